package decode

// Tests of the IPv6 printer and its extension headers (ip6.go), against
// tcpdump when it is installed.

import (
	"encoding/binary"
	"strings"
	"testing"
)

// TestIPv6Lines checks the IPv6 header with -v (class, flow label) and its
// fragment header, first and later fragments.
func TestIPv6Lines(t *testing.T) {
	a, g := "fe80::1", "2001:db8::1"
	echo := icmp6Msg(a, g, 128, 0, []byte{0, 9, 0, 1}, []byte("ping6"))
	flow := ip6Packet(a, g, wireProtoICMPv6, echo)
	binary.BigEndian.PutUint32(flow, 6<<28|0xb8<<20|0x12345)
	frag := ip6Packet(a, g, wireProtoFragment, joinWire([]byte{wireProtoICMPv6, 0, 0, 1}, wire32(0xabcdef), echo))
	later := ip6Packet(a, g, wireProtoFragment, joinWire([]byte{wireProtoICMPv6, 0, 0, 128}, wire32(0xabcdef), echo))
	tests := []struct {
		name string
		opt  Options
		pkt  []byte
		want string
	}{
		{"echo", Options{}, ip6Packet(a, g, wireProtoICMPv6, echo),
			"IP6 fe80::1 > 2001:db8::1: ICMP6, echo request, id 9, seq 1, length 13"},
		{"verbose with class and flow label", Options{Verbose: 1}, flow,
			"IP6 (class 0xb8, flowlabel 0x12345, hlim 64, next-header ICMPv6 (58) payload length: 13) " +
				"fe80::1 > 2001:db8::1: [icmp6 sum ok] ICMP6, echo request, id 9, seq 1"},
		{"first fragment", Options{}, frag,
			"IP6 fe80::1 > 2001:db8::1: frag (0|13) ICMP6, echo request, id 9, seq 1, length 13"},
		{"later fragment", Options{Verbose: 1}, later,
			"IP6 (hlim 64, next-header Fragment (44) payload length: 21) fe80::1 > 2001:db8::1: frag (0x00abcdef:128|13)"},
		{"no next header", Options{}, ip6Packet(a, g, wireProtoNone, nil),
			"IP6 fe80::1 > 2001:db8::1: no next header"},
		{"link header", Options{Link: true}, ip6Packet(a, g, wireProtoICMPv6, echo),
			"02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv6 (0x86dd), length 67: " +
				"fe80::1 > 2001:db8::1: ICMP6, echo request, id 9, seq 1, length 13"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(printFrames(t, tt.opt, etherFrame(testEtherIPv6, tt.pkt)), "\n")
			if got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestIPv6ExtensionHeadersMatchTcpdump prints datagrams with every extension
// header tcpdump decodes, jumbo payloads, mobility headers and broken lengths.
func TestIPv6ExtensionHeadersMatchTcpdump(t *testing.T) {
	a, g := "fe80::1", "2001:db8::1"
	echo := func(dst string) []byte {
		return icmp6Msg(a, dst, 128, 0, []byte{0, 9, 0, 1}, []byte(strings.Repeat("ping6", 4)))
	}
	var frames [][]byte
	add := func(p []byte) { frames = append(frames, etherFrame(testEtherIPv6, p)) }
	dst := []byte{wireProtoICMPv6, 0, 1, 4, 0, 0, 0, 0}
	add(ip6Packet(a, g, wireProtoDstOpts, joinWire(dst, echo(g))))
	add(ip6Packet(a, g, wireProtoDstOpts, joinWire([]byte{wireProtoICMPv6, 0, 0xc2, 4, 0, 1, 0, 0}, echo(g))))
	add(ip6Packet(a, g, wireProtoDstOpts, joinWire([]byte{wireProtoICMPv6, 2, 0xc9, 16}, ipAddr6("2001:db8::5"),
		[]byte{0x3e, 2, 0, 0, 0, 0}, echo(g))))
	hbh := []byte{wireProtoDstOpts, 1, 0x3e, 2, 0, 0, 0, 1, 4, 0, 0, 0, 0, 0, 0, 0}
	add(ip6Packet(a, g, wireProtoHopOpts, joinWire(hbh, dst, echo(g))))
	add(ip6Packet(a, g, wireProtoHopOpts, joinWire([]byte{wireProtoHopOpts, 0, 1, 4, 0, 0, 0, 0}, hbh, echo(g))))
	add(ip6Packet(a, g, wireProtoDstOpts, joinWire([]byte{wireProtoHopOpts, 0, 1, 4, 0, 0, 0, 0}, hbh, echo(g))))
	add(ip6Packet(a, g, wireProtoHopOpts, joinWire([]byte{wireProtoICMPv6, 0, 5, 3, 0, 0, 0, 0}, echo(g))))
	add(ip6Packet(a, g, wireProtoHopOpts, joinWire([]byte{wireProtoICMPv6, 0, 1, 8, 0, 0, 0, 0}, echo(g))))
	rt := func(typ, n, left byte, addrs ...string) []byte {
		h := []byte{wireProtoICMPv6, n, typ, left, 0, 0, 0, 0}
		if typ == 4 {
			h[4], h[7] = 1, 7
		}
		for _, s := range addrs {
			h = append(h, ipAddr6(s)...)
		}
		return h
	}
	add(ip6Packet(a, g, wireProtoRouting, joinWire(rt(0, 2, 1, "2001:db8::99"), echo("2001:db8::99"))))
	add(ip6Packet(a, g, wireProtoRouting, joinWire(rt(2, 2, 1, "2001:db8::98"), echo("2001:db8::98"))))
	add(ip6Packet(a, g, wireProtoRouting, joinWire(rt(4, 4, 1, "2001:db8::97", g), echo("2001:db8::97"))))
	add(ip6Packet(a, g, wireProtoRouting, joinWire(rt(9, 2, 1, g), echo(g))))
	add(ip6Packet(a, g, wireProtoRouting, joinWire(rt(0, 3, 1, g, g), echo(g))))
	big := joinWire(echo(g), make([]byte, 200))
	add(ip6Packet(a, g, wireProtoFragment, joinWire([]byte{wireProtoICMPv6, 0, 0, 1}, wire32(0xabcdef), big[:128])))
	add(ip6Packet(a, g, wireProtoFragment, joinWire([]byte{wireProtoICMPv6, 0, 0, 128}, wire32(0xabcdef), big[128:])))
	add(ip6Packet(a, g, wireProtoFragment, joinWire([]byte{wireProtoUDP, 0, 0, 1}, wire32(0x11), make([]byte, 24))))
	add(ip6Packet(a, g, wireProtoNone, nil))
	add(ip6Packet(a, g, wireProtoIPv6, ip6Packet(g, a, wireProtoICMPv6, icmp6Msg(g, a, 129, 0, []byte{0, 1, 0, 2}, nil))))
	add(ip6Packet(a, g, wireProtoIPv4, ip4Hdr{src: "10.0.0.1", dst: "10.0.0.2", proto: wireProtoICMP}.packet(
		icmpMsg(8, 0, []byte{0, 1, 0, 2}, nil))))
	add(ip6Packet(a, g, wireProtoICMP, icmpMsg(8, 0, []byte{0, 1, 0, 2}, nil)))
	add(ip6Packet(a, g, wireProtoIGMP, make([]byte, 8)))
	add(ip6Packet(a, g, wireProtoESP, joinWire(wire32(0x99), wire32(1), make([]byte, 16))))
	add(ip6Packet(a, g, wireProtoAH, joinWire([]byte{wireProtoICMPv6, 4, 0, 0}, wire32(0x100), wire32(9),
		make([]byte, 12), echo(g))))
	add(ip6Packet(a, g, wireProtoEthernet, etherFrame(testEtherIPv4, ip4Hdr{src: "10.0.0.1", dst: "10.0.0.2",
		proto: wireProtoICMP}.packet(icmpMsg(8, 0, []byte{0, 1, 0, 2}, nil)))))
	add(ip6Packet(a, g, 99, make([]byte, 5)))
	for typ := byte(0); typ < 9; typ++ {
		n := byte(1)
		if typ == 3 || typ == 4 || typ == 7 {
			n = 3
		}
		mh := joinWire([]byte{wireProtoNone, n, typ, 0, 0, 0, 0x12, 0x34}, make([]byte, int(n)*8))
		mh[8] = 0xf0
		if typ == 5 {
			copy(mh[12:], []byte{1, 2, 2, 0})
		}
		add(ip6Packet(a, g, wireProtoMobility, mh))
	}
	add(ip6Packet(a, g, wireProtoMobility, joinWire([]byte{wireProtoNone, 0, 5, 0, 0, 0, 0, 1})))
	p := ip6Packet(a, g, wireProtoICMPv6, echo(g))
	p[0] = 0x70
	add(p)
	add(ip6Packet(a, g, wireProtoICMPv6, echo(g))[:30])
	zero := ip6Packet(a, g, wireProtoICMPv6, echo(g))
	zero[4], zero[5] = 0, 0
	add(zero)
	zeroExt := ip6Packet(a, g, wireProtoDstOpts, joinWire(dst, echo(g)))
	zeroExt[4], zeroExt[5] = 0, 0
	add(zeroExt)
	long := ip6Packet(a, g, wireProtoICMPv6, echo(g))
	long[4], long[5] = 1, 0
	add(long)
	jumbo := ip6Packet(a, g, wireProtoHopOpts, joinWire([]byte{wireProtoICMPv6, 0, 0xc2, 4}, wire32(70000), echo(g)))
	jumbo[4], jumbo[5] = 0, 0
	add(jumbo)
	noJumbo := ip6Packet(a, g, wireProtoHopOpts, joinWire([]byte{wireProtoICMPv6, 0, 1, 4, 0, 0, 0, 0}, echo(g)))
	noJumbo[4], noJumbo[5] = 0, 0
	add(noJumbo)
	matchTcpdump(t, frames)
}
