package decode

// Tests of the ICMP printer (icmp.go), against tcpdump when it is
// installed.

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/sockscope/sockscope/decode/wire"
)

// TestICMPLines checks the common ICMP messages, the quoted probe of -v and
// a message cut before its fields.
func TestICMPLines(t *testing.T) {
	a, b := "10.99.1.1", "10.99.2.2"
	pkt := func(m []byte) []byte {
		return etherFrame(testEtherIPv4, ip4Hdr{src: b, dst: a, proto: wireProtoICMP, id: 7}.packet(m))
	}
	probe := ip4Hdr{src: a, dst: b, proto: wireProtoICMP, id: 9, ttl: 1}.packet(
		icmpMsg(8, 0, []byte{0x45, 0xcd, 0, 1}, make([]byte, 8)))
	tests := []struct {
		name string
		v    int
		m    []byte
		want string
	}{
		{"echo reply", 0, icmpMsg(0, 0, []byte{0x45, 0xcd, 0, 1}, make([]byte, 56)),
			"IP 10.99.2.2 > 10.99.1.1: ICMP echo reply, id 17869, seq 1, length 64"},
		{"host unreachable", 0, icmpMsg(3, 1, make([]byte, 4), probe[:28]),
			"IP 10.99.2.2 > 10.99.1.1: ICMP host 10.99.2.2 unreachable, length 36"},
		{"need to fragment", 0, icmpMsg(3, 4, []byte{0, 0, 0x05, 0x78}, probe[:28]),
			"IP 10.99.2.2 > 10.99.1.1: ICMP 10.99.2.2 unreachable - need to frag (mtu 1400), length 36"},
		{"time exceeded quotes the probe with -v", 1, icmpMsg(11, 0, make([]byte, 4), probe[:28]),
			"IP (tos 0x0, ttl 64, id 7, offset 0, flags [none], proto ICMP (1), length 56)\n" +
				"    10.99.2.2 > 10.99.1.1: ICMP time exceeded in-transit, length 36\n" +
				"\tIP (tos 0x0, ttl 1, id 9, offset 0, flags [none], proto ICMP (1), length 36)\n" +
				"    10.99.1.1 > 10.99.2.2: ICMP echo request, id 17869, seq 1, length 16"},
		{"timestamp reply", 0, icmpMsg(14, 0, []byte{0, 1, 0, 2}, joinWire(wire32(45296789), wire32(86399999), wire32(100000000))),
			"IP 10.99.2.2 > 10.99.1.1: ICMP time stamp reply id 1 seq 2: org 12:34:56.789, recv 23:59:59.999, xmit 27:46:40.000, length 20"},
		{"cut short before the id prints nothing of the message", 0, []byte{8, 0, 0, 0, 0},
			"IP 10.99.2.2 > 10.99.1.1:  [|icmp]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(printFrames(t, Options{Verbose: tt.v}, pkt(tt.m)), "\n")
			if got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestICMPMessagesMatchTcpdump prints every ICMP type and code, with the
// quoted datagram tcpdump shows with -v, and RFC 4884 extensions.
func TestICMPMessagesMatchTcpdump(t *testing.T) {
	a, b := "10.1.2.3", "10.4.5.6"
	var frames [][]byte
	add := func(m []byte) {
		frames = append(frames, etherFrame(testEtherIPv4, ip4Hdr{src: a, dst: b, proto: wireProtoICMP, id: 3}.packet(m)))
	}
	udp := func(sport, dport uint16, data string) []byte {
		return joinWire(wire16(sport), wire16(dport), wire16(uint16(8+len(data))), wire16(0), []byte(data))
	}
	inner := ip4Hdr{src: b, dst: a, proto: wireProtoUDP, id: 5}.packet(udp(3333, 4444, "hello"))
	innerICMP := ip4Hdr{src: b, dst: a, proto: wireProtoICMP, id: 6, ttl: 1}.packet(icmpMsg(8, 0, []byte{0, 1, 0, 1}, []byte("probe")))
	for code := uint8(0); code < 17; code++ {
		rest := make([]byte, 4)
		if code == 4 {
			rest = []byte{0, 0, 0x05, 0x78}
		}
		add(icmpMsg(3, code, rest, inner))
	}
	tcp := joinWire(wire16(1), wire16(80), wire32(5), wire32(0), []byte{0x50, 2}, wire16(100), wire16(0), wire16(0))
	add(icmpMsg(3, 3, make([]byte, 4), ip4Hdr{src: b, dst: a, proto: wireProtoTCP}.packet(tcp)))
	add(icmpMsg(3, 3, make([]byte, 4), ip4Hdr{src: b, dst: a, proto: wireProtoSCTP}.packet(make([]byte, 12))))
	add(icmpMsg(3, 3, make([]byte, 4), inner[:20]))
	add(icmpMsg(3, 1, make([]byte, 4), innerICMP))
	for code := uint8(0); code < 5; code++ {
		add(icmpMsg(5, code, ipAddr4("9.9.9.9"), inner))
	}
	for code := uint8(0); code < 3; code++ {
		add(icmpMsg(11, code, make([]byte, 4), innerICMP))
	}
	add(icmpMsg(12, 0, []byte{5, 0, 0, 0}, inner))
	add(icmpMsg(12, 1, make([]byte, 4), inner))
	add(icmpMsg(4, 0, make([]byte, 4), inner))
	// RFC 4884: 128 bytes of the original datagram, then an MPLS label
	// stack object (RFC 4950) and an interface object.
	orig := append(append([]byte(nil), inner...), make([]byte, 128)...)[:128]
	mpls := joinWire(wire16(8), []byte{1, 1}, wire32(16000<<12|5<<9|1<<8|254))
	iface := joinWire(wire16(12), []byte{2, 3}, []byte{1, 2, 3, 4, 5, 6, 7, 8})
	ext := func(objs ...[]byte) []byte {
		e := joinWire([]byte{0x20, 0, 0, 0}, joinWire(objs...))
		binary.BigEndian.PutUint16(e[2:], wire.Checksum(e))
		return e
	}
	add(icmpMsg(11, 0, []byte{0, 32, 0, 0}, joinWire(orig, ext(mpls))))
	add(icmpMsg(3, 1, make([]byte, 4), joinWire(orig, ext(mpls, iface))))
	add(icmpMsg(3, 1, make([]byte, 4), joinWire(orig, []byte{0x10, 0, 0, 0}, mpls)))
	add(icmpMsg(12, 0, []byte{0, 32, 0, 0}, joinWire(orig, []byte{0x20, 0, 0x12, 0x34}, mpls)))
	add(icmpMsg(0, 0, []byte{0, 77, 0, 3}, []byte("abc")))
	add(icmpMsg(13, 0, []byte{0, 1, 0, 2}, joinWire(wire32(1000), wire32(0), wire32(0))))
	add(icmpMsg(14, 0, []byte{0, 1, 0, 2}, joinWire(wire32(45296789), wire32(86399999), wire32(100000000))))
	add(icmpMsg(17, 0, []byte{0, 1, 0, 2}, make([]byte, 4)))
	add(icmpMsg(18, 0, []byte{0, 1, 0, 2}, ipAddr4("255.255.255.0")))
	add(icmpMsg(9, 0, []byte{2, 2, 0x07, 0x08}, joinWire(ipAddr4("10.0.0.1"), wire32(5), ipAddr4("10.0.0.2"), wire32(0xffffffff))))
	add(icmpMsg(9, 0, []byte{1, 2, 0, 45}, joinWire(ipAddr4("10.0.0.1"), wire32(5))))
	add(icmpMsg(9, 0, []byte{1, 2, 0x1c, 0x84}, joinWire(ipAddr4("10.0.0.1"), wire32(5))))
	add(icmpMsg(9, 0, []byte{1, 3, 0x1c, 0x84}, joinWire(ipAddr4("10.0.0.1"), wire32(5))))
	add(icmpMsg(9, 0, []byte{3, 2, 0x1c, 0x84}, joinWire(ipAddr4("10.0.0.1"), wire32(5))))
	for _, typ := range []uint8{10, 15, 16, 42} {
		add(icmpMsg(typ, 0, make([]byte, 4), nil))
	}
	bad := icmpMsg(8, 0, []byte{0, 1, 0, 1}, []byte("zz"))
	bad[2] ^= 0x55
	add(bad)
	// Messages cut short at every length.
	full := icmpMsg(3, 3, make([]byte, 4), inner)
	for n := 1; n < 34; n += 3 {
		add(full[:n])
	}
	ts := icmpMsg(14, 0, []byte{0, 1, 0, 2}, make([]byte, 12))
	add(ts[:18])
	frag := ip4Hdr{src: a, dst: b, proto: wireProtoICMP, flagsOff: 0x2000}.packet(bytes.Repeat([]byte{8, 0, 1, 2}, 10))
	frames = append(frames, etherFrame(testEtherIPv4, frag))
	matchTcpdump(t, frames)
}
