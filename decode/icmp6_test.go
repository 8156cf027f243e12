package decode

// Tests of the ICMPv6 printer (icmp6.go, rpl.go), against tcpdump when it
// is installed.

import (
	"strings"
	"testing"
)

// TestICMPv6Lines checks neighbor discovery and MLDv2 messages in the
// one-line and -v forms.
func TestICMPv6Lines(t *testing.T) {
	a, r := "fe80::99:ff:fe00:101", "fe80::99:ff:fe00:1fe"
	mac := []byte{2, 0x99, 0, 0, 1, 1}
	ns := icmp6Msg(a, "ff02::1:ff00:1fe", 135, 0, make([]byte, 4), joinWire(ipAddr6(r), []byte{1, 1}, mac))
	na := icmp6Msg(r, a, 136, 0, []byte{0x60, 0, 0, 0}, joinWire(ipAddr6(r), []byte{2, 1}, mac))
	report := icmp6Msg(a, "ff02::16", 143, 0, []byte{0, 0, 0, 1}, joinWire([]byte{4, 0, 0, 0}, ipAddr6("ff02::fb")))
	hbh := []byte{wireProtoICMPv6, 0, 5, 2, 0, 0, 1, 0}
	tests := []struct {
		name string
		v    int
		pkt  []byte
		want string
	}{
		{"neighbor solicitation", 0, ip6Packet(a, "ff02::1:ff00:1fe", wireProtoICMPv6, ns),
			"IP6 fe80::99:ff:fe00:101 > ff02::1:ff00:1fe: ICMP6, neighbor solicitation, who has fe80::99:ff:fe00:1fe, length 32"},
		{"neighbor solicitation -v", 1, ip6Packet(a, "ff02::1:ff00:1fe", wireProtoICMPv6, ns),
			"IP6 (hlim 64, next-header ICMPv6 (58) payload length: 32) fe80::99:ff:fe00:101 > ff02::1:ff00:1fe: " +
				"[icmp6 sum ok] ICMP6, neighbor solicitation, length 32, who has fe80::99:ff:fe00:1fe\n" +
				"\t  source link-address option (1), length 8 (1): 02:99:00:00:01:01"},
		{"neighbor advertisement -v", 1, ip6Packet(r, a, wireProtoICMPv6, na),
			"IP6 (hlim 64, next-header ICMPv6 (58) payload length: 32) fe80::99:ff:fe00:1fe > fe80::99:ff:fe00:101: " +
				"[icmp6 sum ok] ICMP6, neighbor advertisement, length 32, tgt is fe80::99:ff:fe00:1fe, Flags [solicited, override]\n" +
				"\t  destination link-address option (2), length 8 (1): 02:99:00:00:01:01"},
		{"MLDv2 report", 0, ip6Packet(a, "ff02::16", wireProtoHopOpts, joinWire(hbh, report)),
			"IP6 fe80::99:ff:fe00:101 > ff02::16: HBH ICMP6, multicast listener report v2, 1 group record(s), length 28"},
		{"MLDv2 report -v", 1, ip6Packet(a, "ff02::16", wireProtoHopOpts, joinWire(hbh, report)),
			"IP6 (hlim 64, next-header Options (0) payload length: 36) fe80::99:ff:fe00:101 > ff02::16: " +
				"HBH (rtalert: 0x0000) (padn) [icmp6 sum ok] ICMP6, multicast listener report v2, 1 group record(s) " +
				"[gaddr ff02::fb to_ex, 0 source(s)]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(printFrames(t, Options{Verbose: tt.v}, etherFrame(testEtherIPv6, tt.pkt)), "\n")
			if got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestICMPv6MessagesMatchTcpdump prints every ICMPv6 message tcpdump knows,
// with their neighbor discovery options and broken variants.
func TestICMPv6MessagesMatchTcpdump(t *testing.T) {
	a, g := "fe80::1", "2001:db8::1"
	var frames [][]byte
	add := func(src, dst string, nh uint8, body []byte) {
		frames = append(frames, etherFrame(testEtherIPv6, ip6Packet(src, dst, nh, body)))
	}
	msg := func(src, dst string, typ, code uint8, rest, body []byte) {
		add(src, dst, wireProtoICMPv6, icmp6Msg(src, dst, typ, code, rest, body))
	}
	hbh := []byte{wireProtoICMPv6, 0, 5, 2, 0, 0, 1, 0}
	mld := func(dst string, typ uint8, rest, body []byte) {
		add(a, dst, wireProtoHopOpts, joinWire(hbh, icmp6Msg(a, dst, typ, 0, rest, body)))
	}
	mld("ff02::16", 143, []byte{0, 0, 0, 3}, joinWire([]byte{4, 0, 0, 0}, ipAddr6("ff02::fb"),
		[]byte{1, 0, 0, 2}, ipAddr6("ff05::2"), ipAddr6(g), ipAddr6("2001:db8::2"),
		[]byte{9, 0, 0, 0}, ipAddr6("ff05::3")))
	mld("ff02::16", 143, []byte{0, 0, 0, 2}, joinWire([]byte{4, 0, 0, 0}, ipAddr6("ff02::fb")))
	mld("ff02::1", 130, []byte{0x27, 0x10, 0, 0}, joinWire(ipAddr6("::"), []byte{2, 0x7d, 0, 0}))
	mld("ff02::1", 130, []byte{0x9c, 0x40, 0, 0}, joinWire(ipAddr6("ff05::2"), []byte{0x0a, 0x90, 0, 1}, ipAddr6(g)))
	mld("ff02::1", 130, []byte{0x03, 0xe8, 0, 0}, ipAddr6("::"))
	mld("ff02::1", 130, []byte{0x03, 0xe8, 0, 0}, joinWire(ipAddr6("::"), []byte{1, 2}))
	mld("ff02::1", 131, make([]byte, 4), ipAddr6("ff05::2"))
	mld("ff02::1", 132, make([]byte, 4), ipAddr6("ff05::2"))
	mac := []byte{2, 0x99, 0, 0, 1, 0xfe}
	msg(a, "ff02::1:ff00:1", 135, 0, make([]byte, 4), joinWire(ipAddr6(g), []byte{1, 1}, mac))
	msg("::", "ff02::1:ff00:1", 135, 0, make([]byte, 4), joinWire(ipAddr6(g), []byte{14, 1, 1, 2, 3, 4, 5, 6}))
	msg(g, a, 136, 0, []byte{0xe0, 0, 0, 0}, joinWire(ipAddr6(g), []byte{2, 1}, mac))
	msg(g, a, 136, 0, make([]byte, 4), ipAddr6(g))
	msg(a, "ff02::2", 133, 0, make([]byte, 4), joinWire([]byte{1, 1}, mac))
	msg(a, "ff02::2", 133, 0, make([]byte, 4), joinWire([]byte{1, 0}, mac))
	msg(a, "ff02::2", 133, 0, make([]byte, 4), joinWire([]byte{1, 2}, mac))
	search := joinWire(dnsWireName("example.test"), dnsWireName("lab"), []byte{3, 'd', 'e', 'v', 0xc0, 17})
	for (8+len(search))%8 != 0 {
		search = append(search, 0)
	}
	opts := joinWire([]byte{3, 4, 64, 0xc0}, wire32(86400), wire32(14400), wire32(0), ipAddr6("fd00:99:1::"),
		[]byte{5, 1, 0, 0}, wire32(1500),
		[]byte{1, 1}, mac,
		[]byte{25, 3, 0, 0}, wire32(600), ipAddr6("fd00:99:1::fe"),
		[]byte{31, byte((8 + len(search)) / 8), 0, 0}, wire32(0xffffffff), search,
		[]byte{7, 1, 0, 0}, wire32(4000),
		[]byte{24, 2, 48, 0x08}, wire32(3600), ipAddr6("fd00:aa::")[:8],
		[]byte{24, 1, 0, 0x18}, wire32(0xffffffff),
		[]byte{8, 1, 0, 0, 0, 10, 0, 20},
		[]byte{99, 1, 1, 2, 3, 4, 5, 6},
		[]byte{5, 1, 0, 0}, wire32(1280))
	msg(a, "ff02::1", 134, 0, []byte{64, 0xc8, 0x07, 0x08}, joinWire(wire32(0), wire32(0), opts))
	msg(a, "ff02::1", 134, 0, []byte{64, 0, 0, 0}, joinWire(wire32(30000), wire32(1000)))
	msg(a, "ff02::1", 134, 0, []byte{64, 0x1a, 0, 0}, joinWire(wire32(30000), wire32(1000), []byte{3, 4, 64, 0x20}))
	msg(a, g, 137, 0, make([]byte, 4), joinWire(ipAddr6("fe80::99"), ipAddr6("2001:db8::77"),
		[]byte{2, 1}, mac, []byte{4, 2}, make([]byte, 14)))
	inner := ip6Packet(g, a, wireProtoUDP, joinWire(wire16(5555), wire16(6666), wire16(12), wire16(0), []byte("abcd")))
	for code := uint8(0); code < 8; code++ {
		msg(a, g, 1, code, make([]byte, 4), inner)
	}
	msg(a, g, 1, 4, make([]byte, 4), ip6Packet(g, a, wireProtoTCP, joinWire(wire16(5555), wire16(443), wire32(1), wire32(2))))
	msg(a, g, 1, 4, make([]byte, 4), ip6Packet(g, a, wireProtoFragment, joinWire([]byte{wireProtoUDP, 0, 0, 0}, wire32(5),
		wire16(5555), wire16(6666), wire16(12), wire16(0))))
	msg(a, g, 1, 4, make([]byte, 4), ip6Packet(g, a, wireProtoDstOpts, joinWire([]byte{wireProtoUDP, 0, 1, 4, 0, 0, 0, 0},
		wire16(5555), wire16(6666), wire16(12), wire16(0))))
	msg(a, g, 1, 4, make([]byte, 4), ip6Packet(g, a, 99, make([]byte, 8)))
	msg(a, g, 1, 4, make([]byte, 4), inner[:44])
	msg(a, g, 2, 0, wire32(1280), inner)
	for code := uint8(0); code < 3; code++ {
		msg(a, g, 3, code, make([]byte, 4), inner)
	}
	for code := uint8(0); code < 5; code++ {
		msg(a, g, 4, code, wire32(40), inner)
	}
	msg(a, g, 4, 0, wire32(40), inner[:30])
	msg(a, g, 129, 0, []byte{0, 9, 0, 1}, []byte("pong"))
	bad := icmp6Msg(a, g, 128, 0, []byte{0, 9, 0, 1}, []byte("ping"))
	bad[2] ^= 0x12
	add(a, g, wireProtoICMPv6, bad)
	msg(a, g, 200, 0, make([]byte, 4), []byte("junk"))
	msg(a, g, 141, 0, make([]byte, 4), nil)
	msg(a, g, 144, 0, []byte{0x12, 0x34, 0, 0}, nil)
	msg(a, g, 145, 0, []byte{0x12, 0x34, 0, 0}, joinWire(ipAddr6(g), ipAddr6(a)))
	msg(a, g, 146, 0, []byte{0x12, 0x34, 0, 0}, nil)
	msg(a, g, 147, 0, []byte{0x12, 0x34, 0xc0, 0}, joinWire([]byte{5, 1, 0, 0}, wire32(1500)))
	// Node information (RFC 4620).
	nonce := []byte{1, 2, 3, 4, 5, 6, 7, 8}
	msg(a, g, 139, 0, []byte{0, 3, 0, 0x3e}, joinWire(nonce, ipAddr6(g)))
	msg(a, g, 139, 2, []byte{0, 3, 0, 2}, joinWire(nonce, ipAddr4("192.0.2.1")))
	msg(a, g, 139, 1, []byte{0, 2, 0, 0}, joinWire(nonce, dnsWireName("host.example")))
	msg(a, g, 139, 0, []byte{0, 0, 0, 0}, nonce)
	msg(a, g, 139, 0, []byte{0, 1, 0, 1}, joinWire(nonce, []byte{1, 2, 3, 4}))
	msg(a, g, 139, 0, []byte{0, 2, 0, 0}, nonce)
	msg(a, g, 139, 0, []byte{0, 2, 0, 0}, nil)
	msg(a, g, 140, 0, []byte{0, 2, 0, 1}, joinWire(nonce, wire32(30), dnsWireName("host.example")))
	msg(a, g, 140, 0, []byte{0, 3, 0, 0x21}, joinWire(nonce, wire32(10), ipAddr6(g), wire32(20), ipAddr6(a)))
	msg(a, g, 140, 1, []byte{0, 3, 0, 0}, nonce)
	msg(a, g, 140, 2, []byte{0, 3, 0, 0}, joinWire(nonce, []byte{1}))
	msg(a, g, 140, 0, []byte{0, 1, 0, 1}, nonce)
	msg(a, g, 140, 0, []byte{0, 9, 0, 0}, nonce)
	// Router renumbering (RFC 2894).
	match := joinWire([]byte{1, 11, 1, 64, 48, 64, 0, 0}, ipAddr6("2001:db8::"))
	use := joinWire([]byte{64, 64, 0, 0}, wire32(0xffffffff), wire32(600), wire32(0x80000000), ipAddr6("2001:db9::"))
	msg(a, g, 138, 0, wire32(5), joinWire([]byte{0, 0xc0, 0, 100}, wire32(0), match, use))
	msg(a, g, 138, 1, wire32(6), joinWire([]byte{0, 0, 0, 100}, wire32(0)))
	msg(a, g, 138, 255, wire32(7), joinWire([]byte{0, 0, 0, 100}, wire32(0)))
	// RPL (RFC 6550).
	msg(a, g, 155, 1, []byte{1, 2, 1, 0}, joinWire([]byte{0x88, 3, 0, 0}, ipAddr6(g), []byte{4, 2, 0, 0}))
	msg(a, g, 155, 0, []byte{0, 0, 0, 0}, nil)
	msg(a, g, 155, 2, []byte{1, 0x40, 0, 7}, joinWire(ipAddr6(g), []byte{5, 2, 0, 0}))
	msg(a, g, 155, 2, []byte{1, 0x80, 0, 7}, make([]byte, 16))
	msg(a, g, 155, 3, []byte{1, 0x80, 7, 0}, ipAddr6(g))
	msg(a, g, 155, 0x81, []byte{0, 0, 0, 0}, nil)
	msg(a, g, 155, 9, []byte{0, 0, 0, 0}, nil)
	// Zero length, and messages cut short.
	add(a, g, wireProtoICMPv6, nil)
	full := icmp6Msg(a, "ff02::1:ff00:1", 135, 0, make([]byte, 4), joinWire(ipAddr6(g), []byte{1, 1}, mac))
	for n := 1; n < len(full); n += 5 {
		add(a, "ff02::1:ff00:1", wireProtoICMPv6, full[:n])
	}
	matchTcpdump(t, frames)
}
