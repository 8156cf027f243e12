package decode

import (
	"encoding/binary"
	"io"
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
func dnsName(name string) []byte {
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

func be16b(v uint16) []byte { return []byte{byte(v >> 8), byte(v)} }

func dnsJoin(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func TestDNSMessages(t *testing.T) {
	question := dnsJoin(dnsName("www.example.test"), be16b(1), be16b(1))
	// An answer naming the question by a compression pointer to offset 12.
	answerA := dnsJoin([]byte{0xc0, 12}, be16b(1), be16b(1), []byte{0, 0, 0, 60}, be16b(4), []byte{10, 99, 0, 80})
	answerCNAME := dnsJoin([]byte{0xc0, 12}, be16b(5), be16b(1), []byte{0, 0, 0, 60}, be16b(6), []byte{3, 'w', 'e', 'b', 0xc0, 16})
	opt := dnsJoin([]byte{0}, be16b(41), be16b(1232), []byte{0, 0, 0x80, 0}, be16b(0))
	tests := []struct {
		name    string
		msg     []byte
		verbose int
		mdns    bool
		want    string
	}{
		{"query with recursion desired",
			dnsJoin(dnsHeader(12345, 0x0100, 1, 0, 0, 0), question), 0, false,
			"12345+ A? www.example.test. (34)"},
		{"query with EDNS",
			dnsJoin(dnsHeader(7, 0x0120, 1, 0, 0, 1), question, opt), 0, false,
			"7+ [1au] A? www.example.test. (45)"},
		{"answer, authoritative",
			dnsJoin(dnsHeader(12345, 0x8580, 1, 1, 0, 0), question, answerA), 0, false,
			"12345* 1/0/0 A 10.99.0.80 (50)"},
		{"answer with names at -v",
			dnsJoin(dnsHeader(9, 0x8180, 1, 2, 0, 0), question, answerCNAME, answerA), 1, false,
			"9 2/0/0 www.example.test. CNAME web.example.test., www.example.test. A 10.99.0.80 (68)"},
		{"NXDomain without recursion available",
			dnsJoin(dnsHeader(9, 0x8403, 1, 0, 0, 0), question), 0, false,
			"9 NXDomain*- 0/0/0 (34)"},
		{"all sections at -vv, OPT with DO",
			dnsJoin(dnsHeader(9, 0x8180, 1, 1, 0, 1), question, answerA, opt), 2, false,
			"9 q: A? www.example.test. 1/0/1 www.example.test. A 10.99.0.80 ar: . OPT UDPsize=1232 DO (61)"},
		{"mDNS question asking for a unicast answer",
			dnsJoin(dnsHeader(0, 0, 1, 0, 0, 0), dnsName("printer.local"), be16b(28), be16b(0x8001)), 0, true,
			"0 AAAA (QU)? printer.local. (31)"},
		{"compression pointer loop",
			dnsJoin(dnsHeader(1, 0x8180, 1, 1, 0, 0), question, []byte{0xc0, 34}, be16b(5), be16b(1), []byte{0, 0, 0, 1}, be16b(2), []byte{0xc0, 46}), 1, false,
			"1 1/0/0 <BAD PTR> [|domain]"},
		{"reserved label type",
			dnsJoin(dnsHeader(1, 0x0100, 1, 0, 0, 0), []byte{0x80, 'x', 0}, be16b(1), be16b(1)), 0, false,
			"1+ [|domain]"},
		{"shorter than a header",
			[]byte{1, 2, 3}, 0, false,
			"domain [length 3 < 12] (invalid)"},
		{"question cut short",
			dnsJoin(dnsHeader(5, 0x0100, 1, 0, 0, 0), dnsName("www.exa")), 0, false,
			"5+ [|domain]"},
		{"escaped label bytes",
			dnsJoin(dnsHeader(5, 0x0100, 1, 0, 0, 0), []byte{3, 'a', 0x01, 0xe9, 0}, be16b(16), be16b(3)), 0, false,
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

func TestDNSOverTCPNeedsItsLengthPrefix(t *testing.T) {
	msg := dnsJoin(dnsHeader(4, 0x0100, 1, 0, 0, 0), dnsName("a.test"), be16b(15), be16b(1))
	p := NewPrinter(io.Discard, Options{})
	framed := dnsJoin(be16b(uint16(len(msg))), msg)
	if got, want := transportLine(p, func() { p.domain(framed, len(framed), true, false) }), " 4+ MX? a.test. (24)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	part := dnsJoin(be16b(200), msg)
	if got, want := transportLine(p, func() { p.domain(part, len(part), true, false) }), " [prefix length(200) != length(24)] (invalid)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestDNSEDNSOptionsAtVerbose(t *testing.T) {
	ecs := dnsJoin(be16b(8), be16b(7), be16b(1), []byte{24, 0, 192, 0, 2})
	cookie := dnsJoin(be16b(10), be16b(8), []byte{1, 2, 3, 4, 5, 6, 7, 8})
	rdata := dnsJoin(ecs, cookie)
	opt := dnsJoin([]byte{0}, be16b(41), be16b(4096), []byte{0, 0, 0, 0}, be16b(uint16(len(rdata))), rdata)
	msg := dnsJoin(dnsHeader(3, 0x0100, 1, 0, 0, 1), dnsName("x.test"), be16b(1), be16b(1), opt)
	p := NewPrinter(io.Discard, Options{Verbose: 2})
	got := transportLine(p, func() { p.domain(msg, len(msg), false, false) })
	want := "3+ [1au] A? x.test. ar: . OPT UDPsize=4096 [ECS 192.0.2.0/24/0,COOKIE 0102030405060708] (" +
		dnsItoa(len(msg)) + ")"
	if got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
}

func dnsItoa(n int) string {
	var b []byte
	p := &Printer{buf: b}
	p.uint(uint64(n))
	return string(p.buf)
}

// FuzzDNS feeds hostile messages to the DNS printer: it must end every one
// without a panic other than its truncation mark.
func FuzzDNS(f *testing.F) {
	f.Add(dnsJoin(dnsHeader(1, 0x8180, 1, 1, 0, 0), dnsName("a.b"), be16b(1), be16b(1), []byte{0xc0, 12}, be16b(1), be16b(1), []byte{0, 0, 0, 1}, be16b(4), []byte{1, 2, 3, 4}), 2, false)
	f.Add(dnsJoin(dnsHeader(1, 0, 1, 0, 0, 0), []byte{0x41, 8, 0xff, 0}, be16b(1), be16b(1)), 0, true)
	f.Fuzz(func(t *testing.T, msg []byte, verbose int, overTCP bool) {
		p := NewPrinter(io.Discard, Options{Verbose: verbose & 3})
		transportLine(p, func() { p.domain(msg, len(msg), overTCP, verbose&4 != 0) })
	})
}
