package decode

// Tests of the DNS printer (dns.go), and the builders of DNS messages.

import (
	"encoding/binary"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
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
	var frames [][]byte
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := testDNSFrame(tt.msg, tt.mdns)
			frames = append(frames, f)
			if got := testDNSText(strings.Join(printFrames(t, Options{Verbose: tt.verbose}, f), "\n")); got != tt.want {
				t.Errorf("\n got %s\nwant %s", got, tt.want)
			}
		})
	}
	matchTcpdump(t, frames)
}

// testDNSFrame is msg in a UDP datagram to port 53 (5353 to 5353 for
// mDNS) from 10.0.0.1 to 10.0.0.2.
func testDNSFrame(msg []byte, mdns bool) []byte {
	if mdns {
		return udpFrame(false, 5353, 5353, msg)
	}
	return udpFrame(false, 53000, 53, msg)
}

// testDNSText is the DNS part of a line: what follows the ports, after
// the first ": " after the destination address, and the UDP checksum's
// verdict of -vv.
func testDNSText(line string) string {
	line = testFromAddr(line, testAddr4B)
	if _, rest, ok := strings.Cut(line, ": "); ok {
		line = rest
	}
	return strings.TrimPrefix(line, "[udp sum ok] ")
}

// TestDNSOverTCPNeedsItsLengthPrefix checks that a message over TCP is printed
// only when its two-byte length prefix matches the segment.
func TestDNSOverTCPNeedsItsLengthPrefix(t *testing.T) {
	msg := joinWire(dnsHeader(4, 0x0100, 1, 0, 0, 0), dnsWireName("a.test"), wire16(15), wire16(1))
	framed := joinWire(wire16(uint16(len(msg))), msg)
	part := joinWire(wire16(200), msg)
	var frames [][]byte
	for _, tc := range []struct {
		payload []byte
		want    string
	}{
		{framed, ", length 26 4+ MX? a.test. (24)"},
		{part, ", length 26 [prefix length(200) != length(24)] (invalid)"},
	} {
		f := testTCPFrame(false, tcpSegment(40000, 53, 1, 1, wireTCPAck|wireTCPPsh, 10, nil, tc.payload))
		frames = append(frames, f)
		if got := printFrames(t, Options{}, f)[0]; !strings.HasSuffix(got, tc.want) {
			t.Errorf("got %q, want it to end with %q", got, tc.want)
		}
	}
	matchTcpdump(t, frames)
}

// TestDNSEDNSOptionsAtVerbose checks the OPT record's options (client subnet,
// cookie) that -vv prints in the additional section.
func TestDNSEDNSOptionsAtVerbose(t *testing.T) {
	ecs := joinWire(wire16(8), wire16(7), wire16(1), []byte{24, 0, 192, 0, 2})
	cookie := joinWire(wire16(10), wire16(8), []byte{1, 2, 3, 4, 5, 6, 7, 8})
	rdata := joinWire(ecs, cookie)
	opt := joinWire([]byte{0}, wire16(41), wire16(4096), []byte{0, 0, 0, 0}, wire16(uint16(len(rdata))), rdata)
	msg := joinWire(dnsHeader(3, 0x0100, 1, 0, 0, 1), dnsWireName("x.test"), wire16(1), wire16(1), opt)
	got := testDNSText(strings.Join(printFrames(t, Options{Verbose: 2}, testDNSFrame(msg, false)), "\n"))
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
		f := testDNSFrame(msg, verbose&4 != 0)
		if overTCP {
			f = testTCPFrame(false, tcpSegment(40000, 53, 1, 1, wireTCPAck|wireTCPPsh, 10, nil, joinWire(wire16(uint16(len(msg))), msg)))
		}
		p := NewPrinter(io.Discard, Options{Verbose: verbose & 3})
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(1, 0), CaptureLength: len(f), Length: len(f)}
		if err := p.Print(f, ci, wire.LinkEthernet); err != nil {
			t.Fatal(err)
		}
	})
}

// TestDNSFlagsOfResponsesOnly checks that the authoritative and
// recursion-available flags are there in responses only, as Wireshark adds
// them: in Tree.Value and Tree.Each, and in JSON.
func TestDNSFlagsOfResponsesOnly(t *testing.T) {
	response := etherFrame(testEtherIPv4, testJSONIPv4(wireProtoUDP, udpDatagram(53, 40000, joinWire(
		dnsHeader(0xabcd, 0x8580, 1, 0, 0, 0), dnsWireName("example.test"), wire16(1), wire16(1)))))
	for _, tt := range []struct {
		name  string
		frame []byte
		there bool
	}{{"query", testJSONDNS, false}, {"response", response, true}} {
		var tr Tree
		tr.Dissect(tt.frame, gopacket.CaptureInfo{CaptureLength: len(tt.frame), Length: len(tt.frame)}, wire.LinkEthernet, 1)
		l := int(tr.Layers[len(tr.Layers)-1])
		line, _ := printOne(t, tt.frame, gopacket.CaptureInfo{}, wire.LinkEthernet, Options{})
		for _, f := range []FieldID{fDNSFlagAuth, fDNSFlagRA} {
			_, ok := tr.Value(l, f)
			each := 0
			tr.Each(f, func(int, uint64) bool { each++; return true })
			inJSON := strings.Contains(line, `"`+f.Name()+`"`)
			if ok != tt.there || (each == 1) != tt.there || inJSON != tt.there {
				t.Errorf("%s: %s: Value %v, Each %d, in JSON %v; want there %v", tt.name, f.Name(), ok, each, inJSON, tt.there)
			}
		}
		if _, ok := tr.Value(l, fDNSFlagRD); !ok {
			t.Errorf("%s: no dns.flags.recdesired", tt.name)
		}
	}
}
