package decode

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
)

func TestICMPLines(t *testing.T) {
	a, b := "10.99.1.1", "10.99.2.2"
	pkt := func(m []byte) []byte {
		return etherFrame(etherTypeIPv4, ip4Hdr{src: b, dst: a, proto: ipProtoICMP, id: 7}.packet(m))
	}
	probe := ip4Hdr{src: a, dst: b, proto: ipProtoICMP, id: 9, ttl: 1}.packet(
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
		{"timestamp reply", 0, icmpMsg(14, 0, []byte{0, 1, 0, 2}, ipJoin(ipU32(45296789), ipU32(86399999), ipU32(100000000))),
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
		frames = append(frames, etherFrame(etherTypeIPv4, ip4Hdr{src: a, dst: b, proto: ipProtoICMP, id: 3}.packet(m)))
	}
	udp := func(sport, dport uint16, data string) []byte {
		return ipJoin(ipU16(sport), ipU16(dport), ipU16(uint16(8+len(data))), ipU16(0), []byte(data))
	}
	inner := ip4Hdr{src: b, dst: a, proto: ipProtoUDP, id: 5}.packet(udp(3333, 4444, "hello"))
	innerICMP := ip4Hdr{src: b, dst: a, proto: ipProtoICMP, id: 6, ttl: 1}.packet(icmpMsg(8, 0, []byte{0, 1, 0, 1}, []byte("probe")))
	for code := uint8(0); code < 17; code++ {
		rest := make([]byte, 4)
		if code == 4 {
			rest = []byte{0, 0, 0x05, 0x78}
		}
		add(icmpMsg(3, code, rest, inner))
	}
	tcp := ipJoin(ipU16(1), ipU16(80), ipU32(5), ipU32(0), []byte{0x50, 2}, ipU16(100), ipU16(0), ipU16(0))
	add(icmpMsg(3, 3, make([]byte, 4), ip4Hdr{src: b, dst: a, proto: ipProtoTCP}.packet(tcp)))
	add(icmpMsg(3, 3, make([]byte, 4), ip4Hdr{src: b, dst: a, proto: ipProtoSCTP}.packet(make([]byte, 12))))
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
	mpls := ipJoin(ipU16(8), []byte{1, 1}, ipU32(16000<<12|5<<9|1<<8|254))
	iface := ipJoin(ipU16(12), []byte{2, 3}, []byte{1, 2, 3, 4, 5, 6, 7, 8})
	ext := func(objs ...[]byte) []byte {
		e := ipJoin([]byte{0x20, 0, 0, 0}, ipJoin(objs...))
		binary.BigEndian.PutUint16(e[2:], inetChecksum(e, 0))
		return e
	}
	add(icmpMsg(11, 0, []byte{0, 32, 0, 0}, ipJoin(orig, ext(mpls))))
	add(icmpMsg(3, 1, make([]byte, 4), ipJoin(orig, ext(mpls, iface))))
	add(icmpMsg(3, 1, make([]byte, 4), ipJoin(orig, []byte{0x10, 0, 0, 0}, mpls)))
	add(icmpMsg(12, 0, []byte{0, 32, 0, 0}, ipJoin(orig, []byte{0x20, 0, 0x12, 0x34}, mpls)))
	add(icmpMsg(0, 0, []byte{0, 77, 0, 3}, []byte("abc")))
	add(icmpMsg(13, 0, []byte{0, 1, 0, 2}, ipJoin(ipU32(1000), ipU32(0), ipU32(0))))
	add(icmpMsg(14, 0, []byte{0, 1, 0, 2}, ipJoin(ipU32(45296789), ipU32(86399999), ipU32(100000000))))
	add(icmpMsg(17, 0, []byte{0, 1, 0, 2}, make([]byte, 4)))
	add(icmpMsg(18, 0, []byte{0, 1, 0, 2}, ipAddr4("255.255.255.0")))
	add(icmpMsg(9, 0, []byte{2, 2, 0x07, 0x08}, ipJoin(ipAddr4("10.0.0.1"), ipU32(5), ipAddr4("10.0.0.2"), ipU32(0xffffffff))))
	add(icmpMsg(9, 0, []byte{1, 2, 0, 45}, ipJoin(ipAddr4("10.0.0.1"), ipU32(5))))
	add(icmpMsg(9, 0, []byte{1, 2, 0x1c, 0x84}, ipJoin(ipAddr4("10.0.0.1"), ipU32(5))))
	add(icmpMsg(9, 0, []byte{1, 3, 0x1c, 0x84}, ipJoin(ipAddr4("10.0.0.1"), ipU32(5))))
	add(icmpMsg(9, 0, []byte{3, 2, 0x1c, 0x84}, ipJoin(ipAddr4("10.0.0.1"), ipU32(5))))
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
	frag := ip4Hdr{src: a, dst: b, proto: ipProtoICMP, flagsOff: 0x2000}.packet(bytes.Repeat([]byte{8, 0, 1, 2}, 10))
	frames = append(frames, etherFrame(etherTypeIPv4, frag))
	matchTcpdump(t, frames)
}
