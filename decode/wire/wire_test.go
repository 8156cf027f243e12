package wire_test

import (
	"bytes"
	"encoding/hex"
	"math/rand/v2"
	"testing"

	"github.com/sockscope/sockscope/decode/wire"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// naiveSum is RFC 1071's sum word by word, the reference for Sum.
func naiveSum(b []byte) uint16 {
	var s uint64
	for i := 0; i+1 < len(b); i += 2 {
		s += uint64(b[i])<<8 | uint64(b[i+1])
	}
	if len(b)%2 == 1 {
		s += uint64(b[len(b)-1]) << 8
	}
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	return ^uint16(s)
}

func TestChecksum(t *testing.T) {
	// RFC 1071 section 3's example: the sum of these bytes is ddf2.
	if got := wire.Checksum(unhex(t, "0001f203f4f5f6f7")); got != ^uint16(0xddf2) {
		t.Errorf("RFC 1071 example: %04x, want %04x", got, ^uint16(0xddf2))
	}
	// An IPv4 header with its checksum checks to 0.
	hdr := unhex(t, "4500003c1c4640004006f0f17f0000017f000001")
	hdr[10], hdr[11] = 0, 0
	c := wire.Checksum(hdr)
	hdr[10], hdr[11] = byte(c>>8), byte(c)
	if wire.Checksum(hdr) != 0 {
		t.Errorf("a header with its checksum sums to %04x, want 0", wire.Checksum(hdr))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 7, 8, 9, 63, 1500, 65535, 200000} {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		if got, want := wire.Checksum(b), naiveSum(b); got != want {
			t.Errorf("%d random bytes: %04x, want %04x", n, got, want)
		}
		for i := range b {
			b[i] = 0xff
		}
		if got, want := wire.Checksum(b), naiveSum(b); got != want {
			t.Errorf("%d bytes of ff: %04x, want %04x", n, got, want)
		}
	}
}

func TestUpdateChecksumMatchesRecomputing(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 1000 {
		b := make([]byte, 40)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		c := wire.Checksum(b)
		at := 2 * rng.IntN(16)
		old := bytes.Clone(b[at : at+4])
		for i := range 4 {
			b[at+i] = byte(rng.Uint32())
		}
		if got, want := wire.UpdateChecksum(c, old, b[at:at+4]), wire.Checksum(b); got != want && !(got == 0xffff && want == 0 || got == 0 && want == 0xffff) {
			t.Fatalf("incremental %04x, recomputed %04x", got, want)
		}
	}
}

func TestPseudoHeaderSum(t *testing.T) {
	// A UDP datagram with the checksum the pseudo-header gives it checks to 0.
	src, dst := []byte{10, 0, 0, 1}, []byte{10, 0, 0, 2}
	udp := unhex(t, "d43100350010000068656c6c6f212121")
	c := wire.Fold(wire.Sum(wire.PseudoHeaderSum(src, dst, wire.ProtoUDP, len(udp)), udp))
	udp[6], udp[7] = byte(c>>8), byte(c)
	if got := wire.Fold(wire.Sum(wire.PseudoHeaderSum(src, dst, wire.ProtoUDP, len(udp)), udp)); got != 0 {
		t.Errorf("a datagram with its checksum sums to %04x, want 0", got)
	}
	// An IPv6 upper-layer length above 65535 counts whole (RFC 8200 8.1).
	if a, b := wire.PseudoHeaderSum(src, dst, 6, 0x10001), wire.PseudoHeaderSum(src, dst, 6, 2); wire.Fold(a) != wire.Fold(b) {
		t.Errorf("length 0x10001 sums as %04x, 2 as %04x: they are equal modulo 0xffff", wire.Fold(a), wire.Fold(b))
	}
}

func TestNetwork(t *testing.T) {
	ip4 := unhex(t, "4500001c000100004011f9d00a0000010a000002")
	ip6 := append(unhex(t, "6000000000083a40"), make([]byte, 32)...)
	eth := func(typ string, rest ...[]byte) []byte {
		b := unhex(t, "020000000002020000000001"+typ)
		for _, r := range rest {
			b = append(b, r...)
		}
		return b
	}
	for _, tt := range []struct {
		name string
		link wire.LinkType
		b    []byte
		off  int
		typ  uint16
		ok   bool
	}{
		{"ethernet", wire.LinkEthernet, eth("0800", ip4), 14, wire.EtherTypeIPv4, true},
		{"802.1Q", wire.LinkEthernet, eth("8100", unhex(t, "000586dd"), ip6), 18, wire.EtherTypeIPv6, true},
		{"QinQ 88a8 + 8100", wire.LinkEthernet, eth("88a8", unhex(t, "00648100"), unhex(t, "00050806"), ip4), 22, wire.EtherTypeARP, true},
		{"old QinQ 9100", wire.LinkEthernet, eth("9100", unhex(t, "00640800"), ip4), 18, wire.EtherTypeIPv4, true},
		{"tag cut short", wire.LinkEthernet, eth("8100", unhex(t, "00")), 14, 0x8100, true},
		{"ethernet short", wire.LinkEthernet, make([]byte, 13), 0, 0, false},
		{"sll", wire.LinkLinuxSLL, append(unhex(t, "00000001000602000000000100000800"), ip4...), 16, wire.EtherTypeIPv4, true},
		{"sll netlink", wire.LinkLinuxSLL, unhex(t, "00040338000000000000000000000000"), 0, 0, false},
		{"sll2", wire.LinkLinuxSLL2, append(unhex(t, "86dd000000000001000100060200000000010000"), ip6...), 20, wire.EtherTypeIPv6, true},
		{"sll2 netlink", wire.LinkLinuxSLL2, unhex(t, "0000000000000001033804000000000000000000"), 0, 0, false},
		{"raw 4", wire.LinkRaw, ip4, 0, wire.EtherTypeIPv4, true},
		{"raw 6", wire.LinkRawOld, ip6, 0, wire.EtherTypeIPv6, true},
		{"raw neither", wire.LinkRaw, []byte{0x50}, 0, 0, true},
		{"ipv4", wire.LinkIPv4, nil, 0, wire.EtherTypeIPv4, true},
		{"ipv6", wire.LinkIPv6, nil, 0, wire.EtherTypeIPv6, true},
		{"null", wire.LinkNull, append([]byte{2, 0, 0, 0}, ip4...), 4, wire.EtherTypeIPv4, true},
		{"loop", wire.LinkLoop, append([]byte{0, 0, 0, 24}, ip6...), 4, wire.EtherTypeIPv6, true},
		{"unknown", 147, ip4, 0, 0, false},
	} {
		off, typ, ok := wire.Network(tt.link, tt.b)
		if off != tt.off || typ != tt.typ || ok != tt.ok {
			t.Errorf("%s: %d, %04x, %v; want %d, %04x, %v", tt.name, off, typ, ok, tt.off, tt.typ, tt.ok)
		}
	}
}

func TestIPv4FinalDst(t *testing.T) {
	base := unhex(t, "4500003000010000401100000102030405060708")
	for _, tt := range []struct {
		name, opts string
		want       []byte
	}{
		{"no options", "", []byte{5, 6, 7, 8}},
		{"loose source route", "0183" + "0b04" + "0a000001" + "0a000002" + "00", []byte{10, 0, 0, 2}},
		{"strict source route after a nop", "01" + "8907040a0000630000", []byte{10, 0, 0, 99}},
		{"record route is not a route to follow", "070b04" + "0a000001" + "0a000002" + "00", []byte{5, 6, 7, 8}},
		{"end of options first", "00" + "8307040a000001", []byte{5, 6, 7, 8}},
		{"option longer than the header", "83ff040a000001", []byte{5, 6, 7, 8}},
	} {
		opts := unhex(t, tt.opts)
		hdr := append(bytes.Clone(base), opts...)
		for len(hdr)%4 != 0 {
			hdr = append(hdr, 0)
		}
		hdr[0] = 0x40 | byte(len(hdr)/4)
		if got := wire.IPv4FinalDst(hdr); !bytes.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	if got := wire.IPv4FinalDst(base[:19]); got != nil {
		t.Errorf("a header cut short: %v, want nil", got)
	}
}

func TestWalkIPv6(t *testing.T) {
	hdr := func(nh byte) []byte {
		b := make([]byte, 40)
		b[0], b[6] = 0x60, nh
		b[24] = 0xdd // destination address
		return b
	}
	a1, a2 := bytes.Repeat([]byte{0xa1}, 16), bytes.Repeat([]byte{0xa2}, 16)
	routing := func(segLeft byte) []byte {
		rh := []byte{wire.ProtoFragment, 4, 0, segLeft, 0, 0, 0, 0}
		return append(append(rh, a1...), a2...)
	}
	frag := func(off uint16, more bool) []byte {
		f := []byte{wire.ProtoUDP, 0, byte(off >> 8), byte(off), 0, 0, 0, 1}
		if more {
			f[3] |= 1
		}
		return f
	}
	cat := func(bs ...[]byte) []byte { return bytes.Join(bs, nil) }
	hop := []byte{wire.ProtoRouting, 0, 1, 4, 0, 0, 0, 0}
	ah := append([]byte{wire.ProtoTCP, 1}, make([]byte, 10)...) // (1+2)*4 = 12 bytes
	udp := make([]byte, 8)
	for _, tt := range []struct {
		name string
		p    []byte
		want wire.IPv6Upper
	}{
		{"plain", cat(hdr(wire.ProtoUDP), udp), wire.IPv6Upper{Proto: wire.ProtoUDP, Off: 40, First: true, Whole: true, Dst: 24}},
		{"hop-by-hop, routing with segments left, atomic fragment", cat(hdr(0), hop, routing(2), frag(0, false), udp),
			wire.IPv6Upper{Proto: wire.ProtoUDP, Off: 40 + 8 + 40 + 8, First: true, Whole: true, Dst: 40 + 8 + 8 + 16}},
		{"routing done", cat(hdr(wire.ProtoRouting), routing(0), frag(0, true), udp),
			wire.IPv6Upper{Proto: wire.ProtoUDP, Off: 40 + 40 + 8, First: true, Whole: false, Dst: 24}},
		{"later fragment", cat(hdr(wire.ProtoFragment), frag(8, false), udp),
			wire.IPv6Upper{Proto: wire.ProtoUDP, Off: -1, First: false, Whole: false, Dst: 24}},
		{"authentication header", cat(hdr(wire.ProtoAH), ah, make([]byte, 20)),
			wire.IPv6Upper{Proto: wire.ProtoTCP, Off: 52, First: true, Whole: true, Dst: 24}},
		{"extension cut short", cat(hdr(0), hop[:6]), wire.IPv6Upper{Proto: 0, Off: -1, First: true, Whole: true, Dst: 24}},
		{"routing address cut short", cat(hdr(wire.ProtoRouting), routing(1)[:30]),
			wire.IPv6Upper{Proto: wire.ProtoRouting, Off: -1, First: true, Whole: true, Dst: 24}},
	} {
		if got := wire.WalkIPv6(tt.p); got != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
	if got := wire.IPv6RoutingFinalDst(routing(1)); !bytes.Equal(got, a2) {
		t.Errorf("type 0 routing header: final destination %x, want %x", got, a2)
	}
	srh := append([]byte{wire.ProtoUDP, 4, 4, 1, 1, 0, 0, 0}, cat(a1, a2)...)
	if got := wire.IPv6RoutingFinalDst(srh); !bytes.Equal(got, a1) {
		t.Errorf("segment routing header: final destination %x, want Segment List[0] %x", got, a1)
	}
}

func TestLinkTypeNames(t *testing.T) {
	for _, tt := range []struct {
		l                wire.LinkType
		str, short, desc string
	}{
		{wire.LinkEthernet, "EN10MB (Ethernet)", "EN10MB", "Ethernet"},
		{wire.LinkLinuxSLL2, "LINUX_SLL2 (Linux cooked v2)", "LINUX_SLL2", "Linux cooked v2"},
		{wire.LinkRaw, "RAW (Raw IP)", "RAW", "Raw IP"},
		{999, "999", "LINKTYPE_999", "link type 999"},
	} {
		if tt.l.String() != tt.str || tt.l.Name() != tt.short || tt.l.Description() != tt.desc {
			t.Errorf("%d: %q, %q, %q; want %q, %q, %q", uint32(tt.l), tt.l.String(), tt.l.Name(), tt.l.Description(), tt.str, tt.short, tt.desc)
		}
	}
}

func BenchmarkChecksum1500(b *testing.B) {
	buf := make([]byte, 1500)
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		wire.Checksum(buf)
	}
}
