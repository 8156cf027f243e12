package craft

import (
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/sockscope/sockscope/craft/spec"
)

func repeat(item string, n int) string {
	return strings.TrimSuffix(strings.Repeat(item+",", n), ",")
}

func addrs6(n int) string {
	var a []string
	for i := range n {
		a = append(a, fmt.Sprintf("fd00::%x", i+1))
	}
	return strings.Join(a, ",")
}

// TestOptionsPastTheHeadersLengthAreASpecError: options that a header's
// length field cannot count are refused (41 IPv4 nops made IHL 0, 100 TCP
// nops wrapped the data offset, 64 bytes of ip options put the UDP header
// inside them), and the error says which header, how many bytes and the
// most it holds. At the limit, they are fine.
func TestOptionsPastTheHeadersLengthAreASpecError(t *testing.T) {
	for _, c := range []struct {
		name, spec, at, msg string
	}{
		{"41 ip nops", "ip(dst=10.0.0.2,options=[" + repeat("nop", 41) + "])/udp", "[",
			"ip options: 44 bytes (41 padded to a multiple of 4), more than the 40 an IPv4 header holds (ihl at most 15); remove some, or set ihl= to send them anyway"},
		{"100 tcp nops", "ip(dst=10.0.0.2)/tcp(options=[" + repeat("nop", 100) + "])", "[",
			"tcp options: 100 bytes, more than the 40 a TCP header holds (dataofs at most 15); remove some, or set dataofs= to send them anyway"},
		{"64 bytes of ip options before udp", "ip(dst=10.0.0.2,options=hex:" + strings.Repeat("01", 64) + ")/udp(dport=9)", "hex:",
			"ip options: 64 bytes, more than the 40 an IPv4 header holds (ihl at most 15)"},
		{"tcp options of 41 bytes in hex", "ip(dst=10.0.0.2)/tcp(options=hex:" + strings.Repeat("01", 41) + ")", "hex:",
			"tcp options: 44 bytes (41 padded to a multiple of 4), more than the 40 a TCP header holds"},
		{"hbh options of 2047 bytes", "ip6(dst=fd00::2)/hbh(options=hex:" + strings.Repeat("01", 2047) + ")/udp", "hex:",
			"hbh options: 2054 bytes (2047 padded to a multiple of 8 with the 2-byte header), more than the 2046 an extension header holds (len at most 255); remove some, or set len= to send them anyway"},
		{"dstopts options of 2047 bytes", "ip6(dst=fd00::2)/dstopts(options=hex:" + strings.Repeat("01", 2047) + ")", "hex:",
			"dstopts options: 2054 bytes"},
		{"128 routing addresses", "ip6(dst=fd00::2)/rh(addrs=[" + addrs6(128) + "])/udp", "[",
			"rh addrs: 128 addresses, more than the 127 a routing header holds (len at most 255); remove some, or set len= to send them anyway"},
		{"256 routing addresses with len set", "ip6(dst=fd00::2)/rh(len=0,addrs=[" + addrs6(256) + "])/udp", "[",
			"rh addrs: 256 addresses, more than segleft counts (at most 255); set segleft= to send them anyway"},
	} {
		s, err := spec.Parse(c.spec)
		if err != nil {
			t.Fatalf("%s: %.300v", c.name, err)
		}
		_, err = Build(s, testOptions())
		var se *spec.Error
		if !errors.As(err, &se) {
			t.Errorf("%s: error %v, want a *spec.Error", c.name, err)
			continue
		}
		if !strings.Contains(se.Msg, c.msg) || !strings.HasPrefix(c.spec[se.Offset:], c.at) {
			t.Errorf("%s: at %.10q: %q\nwant at %q: %q", c.name, c.spec[se.Offset:], se.Msg, c.at, c.msg)
		}
	}
	for _, c := range []struct {
		spec string
		off  int
		want byte
	}{
		{"ip(dst=10.0.0.2,options=[" + repeat("nop", 40) + "])/udp", 0, 0x4f},
		{"ip(dst=10.0.0.2,options=hex:" + strings.Repeat("01", 37) + ")/udp", 0, 0x4f},
		{"ip(dst=10.0.0.2)/tcp(options=[" + repeat("nop", 40) + "])", 32, 0xf0},
		{"ip6(dst=fd00::2)/hbh(options=hex:" + strings.Repeat("01", 2046) + ")/udp", 41, 255},
		{"ip6(dst=fd00::2)/rh(addrs=[" + addrs6(127) + "])/udp", 41, 254},
	} {
		if got := build(t, c.spec).Packet(0)[c.off]; got != c.want {
			t.Errorf("%.50s...: byte %d is %#x, want %#x", c.spec, c.off, got, c.want)
		}
	}
}

// TestOptionsPastTheLengthTheUserSetAreWrittenAsGiven: a user who sets the
// length field crafts a malformed packet on purpose: every option byte is
// written, and the length field says what the user wrote.
func TestOptionsPastTheLengthTheUserSetAreWrittenAsGiven(t *testing.T) {
	p := build(t, "ip(dst=10.0.0.2,ihl=5,options=["+repeat("nop", 41)+"])/udp(dport=9)").Packet(0)
	if p[0] != 0x45 || len(p) != 20+44+8 || binary.BigEndian.Uint16(p[2:]) != 20+44+8 || p[20] != 1 || p[60] != 1 || p[61] != 0 ||
		binary.BigEndian.Uint16(p[66:]) != 9 {
		t.Errorf("ip ihl=5 with 41 nops: % x", p)
	}
	p = build(t, "ip(dst=10.0.0.2,src=10.0.0.1)/tcp(dataofs=5,options=["+repeat("nop", 100)+"])").Packet(0)
	if tcp := p[20:]; tcp[12] != 0x50 || len(tcp) != 120 || tcp[20] != 1 || tcp[119] != 1 {
		t.Errorf("tcp dataofs=5 with 100 nops: % x", p)
	}
	if got := onesSum(pseudo4(p, 6, len(p)-20), p[20:]); got != 0xffff {
		t.Errorf("tcp checksum over the options does not add up: %#x", got)
	}
	p = build(t, "ip6(dst=fd00::2)/rh(len=0,segleft=1,addrs=["+addrs6(256)+"])").Packet(0)
	if rh := p[40:]; rh[1] != 0 || rh[3] != 1 || len(rh) != 8+256*16 {
		t.Errorf("rh len=0 with 256 addresses: % x", rh[:8])
	}
}

// TestPacketIsBuiltInTimeLinearInItsLength: each layer's header goes in
// front of the layers inside it without copying them again (1e5 vlan
// layers took some 9 s a build, copying the frame once per layer).
func TestPacketIsBuiltInTimeLinearInItsLength(t *testing.T) {
	b := build(t, "ether(src=02:00:00:00:00:01,dst=02:00:00:00:00:02)/"+strings.Repeat("vlan/", spec.MaxLayers-2)+"fill(60000)")
	n := len(b.Packet(0))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range 10 {
		b.Packet(i)
	}
	runtime.ReadMemStats(&after)
	// One buffer of the packet's length, and a few bytes a layer.
	if perPacket := int(after.TotalAlloc-before.TotalAlloc) / 10; perPacket > 2*n+64*spec.MaxLayers {
		t.Errorf("a packet of %d bytes and %d layers allocates %d bytes", n, spec.MaxLayers, perPacket)
	}
}
