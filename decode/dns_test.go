//go:build !treedecode

package decode

// Tests of the DNS printer (dns.go), and the builders of DNS messages.

import (
	"encoding/binary"
	"io"
	"strconv"
	"testing"
)

// dnsHeader builds a DNS header.
func dnsHeader(id, flags uint16, qd, an, ns, ar uint16) []byte {
	h := make([]byte, 12)
	for i, v := range []uint16{id, flags, qd, an, ns, ar} {
		binary.BigEndian.PutUint16(h[2*i:], v)
	}
	return h
}

// dnsName encodes a dotted name as labels.
func dnsWireName(name string) []byte {
	var b []byte
	start := 0
	for i := 0; i <= len(name); i++ {
		if i == len(name) || name[i] == '.' {
			if i > start {
				b = append(b, byte(i-start))
				b = append(b, name[start:i]...)
			}
			start = i + 1
		}
	}
	return append(b, 0)
}

// TestDNSMessages checks queries and answers at each -v level, mDNS, and
// the names tcpdump refuses: pointer loops and reserved label types.
func TestDNSMessages(t *testing.T) {
	question := joinWire(dnsWireName("www.example.test"), wire16(1), wire16(1))
	// An answer naming the question by a compression pointer to offset 12.
	answerA := joinWire([]byte{0xc0, 12}, wire16(1), wire16(1), []byte{0, 0, 0, 60}, wire16(4), []byte{10, 99, 0, 80})
	answerCNAME := joinWire([]byte{0xc0, 12}, wire16(5), wire16(1), []byte{0, 0, 0, 60}, wire16(6), []byte{3, 'w', 'e', 'b', 0xc0, 16})
	opt := joinWire([]byte{0}, wire16(41), wire16(1232), []byte{0, 0, 0x80, 0}, wire16(0))
	tests := []struct {
		name    string
		msg     []byte
		verbose int
		mdns    bool
		want    string
	}{
		{"query with recursion desired",
			joinWire(dnsHeader(12345, 0x0100, 1, 0, 0, 0), question), 0, false,
			"12345+ A? www.example.test. (34)"},
		{"query with EDNS",
			joinWire(dnsHeader(7, 0x0120, 1, 0, 0, 1), question, opt), 0, false,
			"7+ [1au] A? www.example.test. (45)"},
		{"answer, authoritative",
			joinWire(dnsHeader(12345, 0x8580, 1, 1, 0, 0), question, answerA), 0, false,
			"12345* 1/0/0 A 10.99.0.80 (50)"},
		{"answer with names at -v",
			joinWire(dnsHeader(9, 0x8180, 1, 2, 0, 0), question, answerCNAME, answerA), 1, false,
			"9 2/0/0 www.example.test. CNAME web.example.test., www.example.test. A 10.99.0.80 (68)"},
		{"NXDomain without recursion available",
			joinWire(dnsHeader(9, 0x8403, 1, 0, 0, 0), question), 0, false,
			"9 NXDomain*- 0/0/0 (34)"},
		{"all sections at -vv, OPT with DO",
			joinWire(dnsHeader(9, 0x8180, 1, 1, 0, 1), question, answerA, opt), 2, false,
			"9 q: A? www.example.test. 1/0/1 www.example.test. A 10.99.0.80 ar: . OPT UDPsize=1232 DO (61)"},
		{"mDNS question asking for a unicast answer",
			joinWire(dnsHeader(0, 0, 1, 0, 0, 0), dnsWireName("printer.local"), wire16(28), wire16(0x8001)), 0, true,
			"0 AAAA (QU)? printer.local. (31)"},
		{"compression pointer loop",
			joinWire(dnsHeader(1, 0x8180, 1, 1, 0, 0), question, []byte{0xc0, 34}, wire16(5), wire16(1), []byte{0, 0, 0, 1}, wire16(2), []byte{0xc0, 46}), 1, false,
			"1 1/0/0 <BAD PTR> [|domain]"},
		{"reserved label type",
			joinWire(dnsHeader(1, 0x0100, 1, 0, 0, 0), []byte{0x80, 'x', 0}, wire16(1), wire16(1)), 0, false,
			"1+ [|domain]"},
		{"shorter than a header",
			[]byte{1, 2, 3}, 0, false,
			"domain [length 3 < 12] (invalid)"},
		{"question cut short",
			joinWire(dnsHeader(5, 0x0100, 1, 0, 0, 0), dnsWireName("www.exa")), 0, false,
			"5+ [|domain]"},
		{"escaped label bytes",
			joinWire(dnsHeader(5, 0x0100, 1, 0, 0, 0), []byte{3, 'a', 0x01, 0xe9, 0}, wire16(16), wire16(3)), 0, false,
			"5+ TXT CHAOS? a^AM-i. (21)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPrinter(io.Discard, Options{Verbose: tt.verbose})
			got := transportLine(p, func() { p.domain(tt.msg, len(tt.msg), false, tt.mdns) })
			if got != tt.want {
				t.Errorf("\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestDNSOverTCPNeedsItsLengthPrefix checks that a message over TCP is printed
// only when its two-byte length prefix matches the segment.
func TestDNSOverTCPNeedsItsLengthPrefix(t *testing.T) {
	msg := joinWire(dnsHeader(4, 0x0100, 1, 0, 0, 0), dnsWireName("a.test"), wire16(15), wire16(1))
	p := NewPrinter(io.Discard, Options{})
	framed := joinWire(wire16(uint16(len(msg))), msg)
	if got, want := transportLine(p, func() { p.domain(framed, len(framed), true, false) }), " 4+ MX? a.test. (24)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	part := joinWire(wire16(200), msg)
	if got, want := transportLine(p, func() { p.domain(part, len(part), true, false) }), " [prefix length(200) != length(24)] (invalid)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestDNSEDNSOptionsAtVerbose checks the OPT record's options (client subnet,
// cookie) that -vv prints in the additional section.
func TestDNSEDNSOptionsAtVerbose(t *testing.T) {
	ecs := joinWire(wire16(8), wire16(7), wire16(1), []byte{24, 0, 192, 0, 2})
	cookie := joinWire(wire16(10), wire16(8), []byte{1, 2, 3, 4, 5, 6, 7, 8})
	rdata := joinWire(ecs, cookie)
	opt := joinWire([]byte{0}, wire16(41), wire16(4096), []byte{0, 0, 0, 0}, wire16(uint16(len(rdata))), rdata)
	msg := joinWire(dnsHeader(3, 0x0100, 1, 0, 0, 1), dnsWireName("x.test"), wire16(1), wire16(1), opt)
	p := NewPrinter(io.Discard, Options{Verbose: 2})
	got := transportLine(p, func() { p.domain(msg, len(msg), false, false) })
	want := "3+ [1au] A? x.test. ar: . OPT UDPsize=4096 [ECS 192.0.2.0/24/0,COOKIE 0102030405060708] (" +
		strconv.Itoa(len(msg)) + ")"
	if got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
}

// FuzzDNS feeds hostile messages to the DNS printer: it must end every one
// without a panic other than its truncation mark.
func FuzzDNS(f *testing.F) {
	f.Add(joinWire(dnsHeader(1, 0x8180, 1, 1, 0, 0), dnsWireName("a.b"), wire16(1), wire16(1), []byte{0xc0, 12}, wire16(1), wire16(1), []byte{0, 0, 0, 1}, wire16(4), []byte{1, 2, 3, 4}), 2, false)
	f.Add(joinWire(dnsHeader(1, 0, 1, 0, 0, 0), []byte{0x41, 8, 0xff, 0}, wire16(1), wire16(1)), 0, true)
	f.Fuzz(func(t *testing.T, msg []byte, verbose int, overTCP bool) {
		p := NewPrinter(io.Discard, Options{Verbose: verbose & 3})
		transportLine(p, func() { p.domain(msg, len(msg), overTCP, verbose&4 != 0) })
	})
}
