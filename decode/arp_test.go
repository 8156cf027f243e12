package decode

// Tests of the ARP printer (arp.go) on hand-made packets of every form.

import (
	"encoding/binary"
	"testing"

	"github.com/sockscope/sockscope/decode/wire"
)

var (
	linkIP1 = []byte{10, 0, 0, 1}
	linkIP2 = []byte{10, 0, 0, 2}
	linkZ6  = make([]byte, 6)
)

// arpPacket builds an ARP packet with the given fields.
func arpPacket(hrd, pro uint16, hln, pln uint8, op uint16, sha, spa, tha, tpa []byte) []byte {
	b := binary.BigEndian.AppendUint16(nil, hrd)
	b = binary.BigEndian.AppendUint16(b, pro)
	b = append(b, hln, pln)
	b = binary.BigEndian.AppendUint16(b, op)
	return joinWire(b, sha, spa, tha, tpa)
}

// atmARPPacket builds an ATM ARP (RFC 2225) packet.
func atmARPPacket(op uint16, sha, ssa, spa, tha, tsa, tpa []byte) []byte {
	b := binary.BigEndian.AppendUint16(nil, 19)
	b = binary.BigEndian.AppendUint16(b, 0x0800)
	b = append(b, byte(len(sha)), byte(len(ssa)))
	b = binary.BigEndian.AppendUint16(b, op)
	b = append(b, byte(len(spa)), byte(len(tha)), byte(len(tsa)), byte(len(tpa)))
	return joinWire(b, sha, ssa, spa, tha, tsa, tpa)
}

// linkARPs are ARP packets of every operation and address form tcpdump's
// printer tells apart. The first is a plain request from 10.0.0.1.
func linkARPs() [][]byte {
	m := linkMAC1
	return [][]byte{
		arpPacket(1, 0x0800, 6, 4, 1, m, linkIP1, linkZ6, linkIP2),
		arpPacket(1, 0x0800, 6, 4, 1, m, linkIP1, m, linkIP2),
		arpPacket(1, 0x0800, 6, 4, 2, m, linkIP2, m, linkIP1),
		arpPacket(1, 0x0800, 6, 4, 1, m, linkIP1, linkZ6, linkIP1),            // gratuitous
		arpPacket(1, 0x0800, 6, 4, 1, m, []byte{0, 0, 0, 0}, linkZ6, linkIP2), // probe
		arpPacket(1, 0x0800, 6, 4, 3, m, linkIP1, m, linkIP2),
		arpPacket(1, 0x0800, 6, 4, 4, m, linkIP1, m, linkIP2),
		arpPacket(1, 0x0800, 6, 4, 8, m, linkIP1, m, linkIP2),
		arpPacket(1, 0x0800, 6, 4, 9, m, linkIP1, m, linkIP2),
		arpPacket(1, 0x0800, 6, 4, 10, m, linkIP1, m, linkIP2),
		arpPacket(1, 0x0800, 6, 4, 77, m, linkIP1, m, linkIP2),
		arpPacket(6, 0x0800, 6, 4, 1, m, linkIP1, linkZ6, linkIP2),
		arpPacket(1, 0x86dd, 6, 16, 1, m, make([]byte, 16), linkZ6, make([]byte, 16)),
		arpPacket(1, 0x0800, 0, 4, 1, nil, linkIP1, nil, linkIP2),
		arpPacket(1, 0x0800, 8, 4, 2, joinWire(m, []byte("ab")), linkIP1, joinWire(m, []byte("cd")), linkIP2),
		arpPacket(15, 0x0800, 2, 4, 2, []byte{0x18, 0x41}, linkIP1, []byte{0x18, 0x41}, linkIP2),
		arpPacket(15, 0x0800, 4, 4, 2, []byte{0x18, 0x40, 0x02, 0x05}, linkIP1, []byte{0x18, 0x41, 0, 0}, linkIP2),
		arpPacket(15, 0x0800, 1, 4, 2, []byte{0x19}, linkIP1, []byte{0x18}, linkIP2),
		arpPacket(15, 0x0800, 3, 4, 4, []byte{0x18, 0x40, 0x02}, linkIP1, []byte{0x18, 0x40, 0x03}, linkIP2),
		arpPacket(1, 0x1000, 6, 4, 1, m, linkIP1, linkZ6, linkIP2),
		arpPacket(1, 0x0800, 6, 5, 1, m, append(linkIP1, 'x'), linkZ6, append(linkIP2, 'y')),
		arpPacket(99, 0x1234, 6, 4, 1, m, linkIP1, linkZ6, linkIP2),
		atmARPPacket(1, m, nil, linkIP1, m, []byte{1, 2}, linkIP2),
		atmARPPacket(2, m, []byte("zz"), linkIP1, nil, nil, linkIP2),
		atmARPPacket(8, nil, nil, linkIP1, m, nil, linkIP2),
		atmARPPacket(9, m, nil, linkIP1, m, nil, linkIP2),
		atmARPPacket(10, m, nil, linkIP1, m, nil, linkIP2),
		atmARPPacket(11, m, nil, linkIP1, m, nil, linkIP2),
		atmARPPacket(1, m, nil, linkIP1, m, nil, linkIP2[:3]),
	}
}

// TestARPLines checks each ARP form tcpdump tells apart, with and without -v and -e.
func TestARPLines(t *testing.T) {
	m := linkMAC1
	for _, tc := range []struct {
		opt  Options
		arp  []byte
		want string
	}{
		{Options{}, linkARPs()[0], "ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28"},
		{Options{}, linkARPs()[1], "ARP, Request who-has 10.0.0.2 (02:00:00:00:00:01) tell 10.0.0.1, length 28"},
		{Options{}, linkARPs()[2], "ARP, Reply 10.0.0.2 is-at 02:00:00:00:00:01, length 28"},
		// tcpdump 4.99.3 has no special form for gratuitous ARP or probes.
		{Options{}, linkARPs()[3], "ARP, Request who-has 10.0.0.1 tell 10.0.0.1, length 28"},
		{Options{}, linkARPs()[4], "ARP, Request who-has 10.0.0.2 tell 0.0.0.0, length 28"},
		{Options{Verbose: 1}, linkARPs()[0], "ARP, Ethernet (len 6), IPv4 (len 4), Request who-has 10.0.0.2 tell 10.0.0.1, length 28"},
		{Options{}, linkARPs()[5], "ARP, Reverse Request who-is 02:00:00:00:00:01 tell 02:00:00:00:00:01, length 28"},
		{Options{}, linkARPs()[6], "ARP, Reverse Reply 02:00:00:00:00:01 at 10.0.0.2, length 28"},
		{Options{}, linkARPs()[8], "ARP, Inverse Reply 02:00:00:00:00:01 at 10.0.0.1, length 28"},
		{Options{}, linkARPs()[12], "ARP, Ethernet (len 6), IPv6 (len 16), length 52"},
		{Options{Verbose: 1}, linkARPs()[12], "ARP, Ethernet (len 6), IPv6 (len 16), Request who-has <wrong proto type> tell <wrong proto type>, length 52"},
		{Options{}, linkARPs()[13], "ARP, Ethernet (len 0), IPv4 (len 4), length 16"},
		{Options{}, linkARPs()[14], "ARP, Reply 10.0.0.1 is-at 02:00:00:00:00:01:61:62, length 32"},
		{Options{}, linkARPs()[16], "ARP, Reply 10.0.0.1 is-at DLCI 819265, length 24"},
		{Options{}, linkARPs()[21], "ARP, Unknown Hardware (99) (len 6), Unknown Protocol (0x1234) (len 4), length 28"},
		{Options{}, linkARPs()[22], "ARP, Request who-has 10.0.0.2 (02:00:00:00:00:01,01:02) tell 10.0.0.1, length 34"},
		{Options{Link: true}, linkARPs()[2], "Reply 10.0.0.2 is-at 02:00:00:00:00:01, length 28"},
		{Options{}, arpPacket(1, 0x0800, 6, 4, 2, m, linkIP2, m, linkIP1[:3]), " [|arp]"},
	} {
		got := linkLine(t, tc.opt, linkPacket{link: wire.LinkEthernet, data: linkEther(0x0806, tc.arp), length: 14 + len(tc.arp)})
		if tc.opt.Link {
			got = got[len("02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: "):]
		}
		if got != tc.want {
			t.Errorf("%+v % x:\n got %q\nwant %q", tc.opt, tc.arp, got, tc.want)
		}
	}
}

// TestARPTruncatedAtEveryLength checks that an ARP header cut anywhere prints
// only the mark: tcpdump reads every field before it prints the first.
func TestARPTruncatedAtEveryLength(t *testing.T) {
	arp := linkARPs()[0]
	for n := 0; n < len(arp); n++ {
		got := linkLine(t, Options{}, linkPacket{link: wire.LinkEthernet, data: linkEther(0x0806, arp[:n]), length: 42})
		if got != " [|arp]" {
			t.Errorf("%d bytes of ARP: got %q, want %q", n, got, " [|arp]")
		}
	}
}
