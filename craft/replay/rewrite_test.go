package replay

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/capture"
	"github.com/sockscope/sockscope/decode/wire"
)

func TestParseAddrMapReadsTheFormsTcprewriteTakes(t *testing.T) {
	for _, c := range []struct {
		in, old, new string
	}{
		{"10.0.0.1:10.9.9.9", "10.0.0.1/32", "10.9.9.9/32"},
		{" 10.0.0.1:10.9.9.9 ", "10.0.0.1/32", "10.9.9.9/32"}, // as "a, b" in a flag
		{"10.0.0.0/8:192.168.0.0/16x", "", ""},
		{"10.0.0.0/8:192.0.0.0/8", "10.0.0.0/8", "192.0.0.0/8"},
		{"10.0.0.0/8:192.168.0.0/16", "10.0.0.0/8", "192.168.0.0/16"},
		{"10.99.0.1:172.16.0.0/24", "10.99.0.1/32", "172.16.0.0/24"},
		{"10.1.2.3/16:192.168.7.7/16", "10.1.0.0/16", "192.168.0.0/16"}, // host bits dropped
		{"10.96.0.0/12:172.16.0.0/12", "10.96.0.0/12", "172.16.0.0/12"},
		{"0.0.0.0/0:1.2.3.4/0", "0.0.0.0/0", "0.0.0.0/0"},
		{"[2001:db8::1]:[fd00::1]", "2001:db8::1/128", "fd00::1/128"},
		{"[2001:db8::/32]:[fd00::/32]", "2001:db8::/32", "fd00::/32"},
		{"[::ffff:10.0.0.1]:[::ffff:10.0.0.2]", "::ffff:10.0.0.1/128", "::ffff:10.0.0.2/128"},
	} {
		m, err := ParseAddrMap(c.in)
		if c.old == "" {
			if err == nil {
				t.Errorf("ParseAddrMap(%q) = %v, want an error", c.in, m)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseAddrMap(%q): %v", c.in, err)
			continue
		}
		if m.Old.String() != c.old || m.New.String() != c.new {
			t.Errorf("ParseAddrMap(%q) = %v -> %v, want %s -> %s", c.in, m.Old, m.New, c.old, c.new)
		}
		again, err := ParseAddrMap(m.String())
		if err != nil || again != m {
			t.Errorf("ParseAddrMap(%q.String() = %q) = %v, %v; want it back", c.in, m.String(), again, err)
		}
	}
}

func TestParseAddrMapSaysWhatIsWrong(t *testing.T) {
	for _, c := range []struct{ in, why string }{
		{"", "empty"},
		{"10.0.0.1", "no : between OLD and NEW"},
		{"10.0.0.1:", "an address is missing"},
		{":10.0.0.1", "an address is missing"},
		{"10.0.0.1-10.0.0.2", "no : between"},
		{"10.0.0.256:10.0.0.1", `"10.0.0.256" is not an IP address`},
		{"10.0.0.0/33:10.0.0.0/33", "is not an address/length prefix"},
		{"10.0.0.1:[fd00::1]", "both sides must be one family"},
		{"[fd00::1]:10.0.0.1", "both sides must be one family"},
		{"2001:db8::1:fd00::1", "IPv6 addresses go in brackets"},
		{"[2001:db8::1]:fd00::1", "IPv6 addresses go in brackets"},
		{"[2001:db8::1:[fd00::1]", "a : must follow the ] of OLD"},
		{"[2001:db8::1]:[fd00::1", "does not end with the only ]"},
		{"[2001:db8::1][fd00::1]", "a : must follow the ]"},
		{"[2001:db8::1:fd00::1", "no ] closes"},
		{"[fe80::1%eth0]:[fe80::2]", "has a zone"},
		{"10.0.0.1:10.0.0.2:10.0.0.3", "IPv6 addresses go in brackets"},
	} {
		_, err := ParseAddrMap(c.in)
		if err == nil {
			t.Errorf("ParseAddrMap(%q) took it, want an error saying %q", c.in, c.why)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, c.why) || !strings.Contains(msg, "[2001:db8::/32]:[fd00::/32]") || strings.Contains(msg, "\n") {
			t.Errorf("ParseAddrMap(%q) error %q: want one line saying %q and showing the forms", c.in, msg, c.why)
		}
	}
}

// mapped is the address a maps to, worked out bit by bit for the test.
func mapped(maps []AddrMap, a netip.Addr) netip.Addr {
	for _, m := range maps {
		if !m.Old.Contains(a) {
			continue
		}
		in, to := a.As16(), m.New.Addr().As16()
		skip := 0
		if a.Is4() {
			skip = 96
		}
		for bit := 0; bit < m.New.Bits(); bit++ {
			i, mask := (skip+bit)/8, byte(0x80>>((skip+bit)%8))
			in[i] = in[i]&^mask | to[i]&mask
		}
		out := netip.AddrFrom16(in)
		if a.Is4() {
			out = out.Unmap()
		}
		return out
	}
	return a
}

func TestAddrMapKeepsHostBits(t *testing.T) {
	for _, c := range []struct{ m, in, want string }{
		{"10.0.0.1:10.9.9.9", "10.0.0.1", "10.9.9.9"},
		{"10.0.0.1:10.9.9.9", "10.0.0.2", "10.0.0.2"},
		{"10.0.0.0/8:192.168.0.0/8", "10.1.2.3", "192.1.2.3"},
		// Lengths that differ: tcprewrite --srcipmap maps tcp4.pcap's
		// 10.99.0.1 as these do.
		{"10.0.0.0/8:192.168.0.0/16", "10.99.0.1", "192.168.0.1"},
		{"10.99.0.1:172.16.0.0/24", "10.99.0.1", "172.16.0.1"},
		{"10.99.0.0/24:172.16.0.0/8", "10.99.0.1", "172.99.0.1"},
		{"10.99.0.0/16:172.16.5.0/24", "10.99.0.2", "172.16.5.2"},
		{"10.96.0.0/12:172.16.0.0/12", "10.99.1.1", "172.19.1.1"},
		{"10.96.0.0/12:172.16.0.0/12", "10.112.0.1", "10.112.0.1"},
		{"0.0.0.0/0:1.2.3.4/0", "8.8.8.8", "8.8.8.8"},
		{"[fd00:99::/32]:[2001:db8::/32]", "fd00:99::1:2", "2001:db8::1:2"},
		{"[fd00:90::/28]:[2001:db0::/28]", "fd00:99::2", "2001:db9::2"},
		{"[fe80::/64]:[fe80:0:0:1::/64]", "fe80::99:ff:fe00:101", "fe80::1:99:ff:fe00:101"},
		{"[fd00::1]:[fd00::2]", "10.0.0.1", "10.0.0.1"},
	} {
		m, err := ParseAddrMap(c.m)
		if err != nil {
			t.Fatal(err)
		}
		a := netip.MustParseAddr(c.in)
		b := a.AsSlice()
		changed := mapAddr([]AddrMap{m}, b)
		got, _ := netip.AddrFromSlice(b)
		if got.String() != c.want || changed != (c.in != c.want) {
			t.Errorf("%s on %s = %s (changed %v), want %s", c.m, c.in, got, changed, c.want)
		}
		if want := mapped([]AddrMap{m}, a); want.String() != c.want {
			t.Errorf("the test's own mapping of %s by %s is %s, want %s", c.in, c.m, want, c.want)
		}
	}
}

// frame is one packet of a test capture.
type frame struct {
	file string
	n    int // 1-based, as tshark numbers them in its file
	link wire.LinkType
	ci   gopacket.CaptureInfo
	data []byte
}

// captures reads every capture in testdata/ but, with -short, mixed.pcap:
// 2000 packets of traffic the others hold too.
func captures(t testing.TB) []frame {
	t.Helper()
	paths, err := filepath.Glob("../../testdata/*.pcap*")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no captures in testdata: %v", err)
	}
	var out []frame
	for _, path := range paths {
		if testing.Short() && filepath.Base(path) == "mixed.pcap" {
			continue
		}
		r, err := capture.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		for n := 1; ; n++ {
			data, ci, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			out = append(out, frame{filepath.Base(path), n, r.LinkType(ci.InterfaceIndex), ci, bytes.Clone(data)})
		}
		r.Close()
	}
	return out
}

// testRewrite is the rewrite the capture tests apply: a single-address map
// before a CIDR map of each family, one not on a byte boundary, link-local
// addresses too, and both MACs.
func testRewrite(t testing.TB) *Rewrite {
	t.Helper()
	maps := func(specs ...string) []AddrMap {
		var ms []AddrMap
		for _, s := range specs {
			m, err := ParseAddrMap(s)
			if err != nil {
				t.Fatal(err)
			}
			ms = append(ms, m)
		}
		return ms
	}
	return &Rewrite{
		SrcMAC: net.HardwareAddr{0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0x01},
		DstMAC: net.HardwareAddr{0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0x02},
		SrcIP: maps("10.99.0.2:192.0.2.77", "10.96.0.0/12:172.16.0.0/12",
			"[fd00:99::2]:[2001:db8:ffff::2]", "[fd00:90::/28]:[2001:db0::/28]", "[fe80::/64]:[fe80:0:0:1::/64]"),
		DstIP: maps("10.99.0.1:198.51.100.1", "10.99.0.0/16:172.31.0.0/16",
			"[fd00:99::1]:[2001:db8:eeee::1]", "[fd00::/16]:[2001:db8::/16]", "[fe80::/10]:[fe80::/10]",
			"[ff02::/16]:[ff05::/16]"),
	}
}

// TestTruncatedFrameGetsTheSameBytes: a frame cut by a snap length is
// rewritten into the start of what the whole frame becomes, checksums
// included, since the incremental update needs only the checksum field.
func TestTruncatedFrameGetsTheSameBytes(t *testing.T) {
	rw := testRewrite(t)
	frames := captures(t)
	cut := 0
	for _, f := range frames {
		whole := bytes.Clone(f.data)
		rw.Apply(f.link, whole, len(whole))
		for _, snap := range []int{14, 20, 34, 38, 40, 42, 48, 54, 58, 60, 62, 64, 68, 74, 80, 96, 128} {
			if snap >= len(f.data) {
				break
			}
			if off, hdr := ipHeader(f.link, f.data); off < 0 || snap < off+hdr {
				continue // the addresses are not all in the frame: left alone
			}
			part := bytes.Clone(f.data[:snap])
			rw.Apply(f.link, part, len(f.data))
			if !bytes.Equal(part, whole[:snap]) {
				t.Errorf("%s packet %d cut to %d bytes:\n got % x\nwant % x", f.file, f.n, snap, part, whole[:snap])
			}
			cut++
		}
	}
	t.Logf("%d frames, %d truncations", len(frames), cut)
}

// ipHeader finds the IP header in a frame of the test captures the simple
// way (the tag types there: 802.1Q, 802.1ad, 0x9100): its offset and the
// length of its fixed part, or -1.
func ipHeader(link wire.LinkType, data []byte) (off, hdr int) {
	var typ uint16
	switch link {
	case wire.LinkEthernet:
		off = 12
		for off+2 <= len(data) {
			typ = be16(data[off:])
			off += 2
			if typ != 0x8100 && typ != 0x88a8 && typ != 0x9100 {
				break
			}
			off += 2
		}
	case wire.LinkLinuxSLL:
		off = 16
		if len(data) >= 16 {
			typ = be16(data[14:])
		}
	case wire.LinkLinuxSLL2:
		off = 20
		if len(data) >= 20 {
			typ = be16(data[0:])
		}
	case wire.LinkRaw:
		if len(data) > 0 && data[0]>>4 == 4 {
			typ = wire.EtherTypeIPv4
		} else if len(data) > 0 && data[0]>>4 == 6 {
			typ = wire.EtherTypeIPv6
		}
	}
	switch typ {
	case wire.EtherTypeIPv4:
		return off, 20
	case wire.EtherTypeIPv6:
		return off, 40
	}
	return -1, 0
}

// TestIncrementalUpdateMatchesRecomputing: on every packet of the captures
// whose checksums were right, recomputing them from scratch after the
// rewrite finds nothing to change.
func TestIncrementalUpdateMatchesRecomputing(t *testing.T) {
	rw := testRewrite(t)
	fix := &Rewrite{FixChecksums: true}
	checked, rewritten := 0, 0
	for _, f := range captures(t) {
		if fix.Apply(f.link, bytes.Clone(f.data), f.ci.Length) {
			continue // a checksum was wrong (or not computed) on the wire
		}
		b := bytes.Clone(f.data)
		if rw.Apply(f.link, b, f.ci.Length) {
			rewritten++
		}
		if fix.Apply(f.link, bytes.Clone(b), f.ci.Length) {
			t.Errorf("%s packet %d: a checksum is wrong after the rewrite", f.file, f.n)
		}
		checked++
	}
	if rewritten < checked/2 {
		t.Errorf("only %d of %d packets rewritten: the maps do not fit the captures", rewritten, checked)
	}
	t.Logf("%d packets with right checksums, %d rewritten", checked, rewritten)
}

// TestFixChecksumsMatchesTheWire: recomputing from scratch gives what the
// kernel sent (offloads were off when the captures were made, but for
// offload.pcap and compare's lab captures tcp-loss*.pcap, left out) on every
// packet but those over loopback, where the kernel leaves checksums partial
// (any.pcap packets 64 to 73, which tshark calls bad too).
func TestFixChecksumsMatchesTheWire(t *testing.T) {
	fix := &Rewrite{FixChecksums: true}
	frames := captures(t)
	var differ []string
	for _, f := range frames {
		if f.file == "offload.pcap" || strings.HasPrefix(f.file, "tcp-loss") {
			// Made with offloads on (compare's lab leaves its veths'
			// on): their TCP checksums are the partial ones the kernel
			// leaves for the device to finish.
			continue
		}
		if !fix.Apply(f.link, bytes.Clone(f.data), f.ci.Length) {
			continue
		}
		differ = append(differ, fmt.Sprintf("%s:%d", f.file, f.n))
		off, hdr := ipHeader(f.link, f.data)
		if off < 0 || len(f.data) < off+hdr {
			t.Errorf("%s packet %d is not IP but FixChecksums changed it", f.file, f.n)
			continue
		}
		src, _ := netip.AddrFromSlice(f.data[off+12 : off+16])
		if hdr == 40 {
			src, _ = netip.AddrFromSlice(f.data[off+8 : off+24])
		}
		if !src.IsLoopback() {
			t.Errorf("%s packet %d from %s: recomputed checksums are not the kernel's", f.file, f.n, src)
		}
	}
	t.Logf("%d of %d packets had other checksums on the wire: %s", len(differ), len(frames), strings.Join(differ, " "))
}

func TestUDPWithoutChecksumKeepsNone(t *testing.T) {
	// An IPv4 UDP datagram 10.0.0.1:1000 -> 10.0.0.2:2000 with no checksum.
	pkt := []byte{
		0x45, 0, 0, 32, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
		0x03, 0xe8, 0x07, 0xd0, 0, 12, 0, 0, 'a', 'b', 'c', 'd',
	}
	put16(pkt[10:], wire.Fold(wire.Sum(0, pkt[:20])))
	rw := &Rewrite{SrcIP: []AddrMap{{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("11.0.0.0/8")}}, FixChecksums: true}
	if !rw.Apply(wire.LinkIPv4, pkt, len(pkt)) {
		t.Fatal("Apply changed nothing")
	}
	if pkt[12] != 11 || be16(pkt[26:]) != 0 || wire.Fold(wire.Sum(0, pkt[:20])) != 0 {
		t.Errorf("got % x: want source 11.0.0.1, UDP checksum 0 and a right IP checksum", pkt)
	}
}

func TestRoutingHeaderKeepsTheFinalDestinationInTheChecksum(t *testing.T) {
	// IPv6 fd00::1 -> fd00::2 with a type 0 routing header (one address
	// left: fd00::9, the final destination) before a UDP datagram.
	pkt := make([]byte, 40+24+12)
	pkt[0] = 0x60
	put16(pkt[4:], 24+12)
	pkt[6], pkt[7] = extRouting, 64
	src, dst, final := netip.MustParseAddr("fd00::1").As16(), netip.MustParseAddr("fd00::2").As16(), netip.MustParseAddr("fd00::9").As16()
	copy(pkt[8:], src[:])
	copy(pkt[24:], dst[:])
	rh := pkt[40:]
	rh[0], rh[1], rh[2], rh[3] = wire.ProtoUDP, 2, 0, 1
	copy(rh[8:], final[:])
	udp := pkt[64:]
	put16(udp[0:], 1000)
	put16(udp[2:], 2000)
	put16(udp[4:], 12)
	copy(udp[8:], "data")
	s := wire.Sum(wire.Sum(wire.Sum(0, src[:]), final[:]), udp) + uint32(wire.ProtoUDP) + 12
	put16(udp[6:], wire.Fold(s))
	want := be16(udp[6:])

	rw := &Rewrite{DstIP: []AddrMap{{netip.MustParsePrefix("fd00::/16"), netip.MustParsePrefix("fd01::/16")}}}
	rw.Apply(wire.LinkIPv6, pkt, len(pkt))
	if pkt[24] != 0xfd || pkt[25] != 0x01 || be16(udp[6:]) != want {
		t.Errorf("dst %x, UDP checksum %#04x: want fd01::2 and the checksum kept at %#04x", pkt[24:40], be16(udp[6:]), want)
	}
	if (&Rewrite{FixChecksums: true}).Apply(wire.LinkIPv6, pkt, len(pkt)) {
		t.Errorf("recomputing changed the checksum to %#04x, want %#04x", be16(udp[6:]), want)
	}
}

func TestOtherLinkTypesAndNilAreLeftAlone(t *testing.T) {
	rw := testRewrite(t)
	for _, f := range captures(t) {
		b := bytes.Clone(f.data)
		for _, link := range []wire.LinkType{0, 105, 127, 147} {
			if rw.Apply(link, b, len(b)) || !bytes.Equal(b, f.data) {
				t.Fatalf("link type %d: %s packet %d changed", link, f.file, f.n)
			}
		}
		var none *Rewrite
		if !none.Empty() || none.Apply(f.link, b, len(b)) || (&Rewrite{}).Apply(f.link, b, len(b)) || !bytes.Equal(b, f.data) {
			t.Fatalf("a nil or zero Rewrite changed %s packet %d", f.file, f.n)
		}
	}
	if !(&Rewrite{}).Empty() || (&Rewrite{FixChecksums: true}).Empty() || rw.Empty() {
		t.Error("Empty is wrong")
	}
}

// TestRawIPLinkTypesAgree: LINKTYPE_IPV4 (228), LINKTYPE_IPV6 (229) and the
// old raw IP number 12 rewrite raw-ip.pcap as LINKTYPE_RAW (101) does, and
// 228 or 229 leave a packet of the other family alone.
func TestRawIPLinkTypesAgree(t *testing.T) {
	rw := testRewrite(t)
	rw.FixChecksums = true
	n := 0
	for _, f := range captures(t) {
		if f.file != "raw-ip.pcap" {
			continue
		}
		want := bytes.Clone(f.data)
		if !rw.Apply(wire.LinkRaw, want, len(want)) {
			t.Errorf("packet %d: nothing rewritten", f.n)
		}
		same, other := wire.LinkIPv4, wire.LinkIPv6
		if f.data[0]>>4 == 6 {
			same, other = other, same
		}
		for _, link := range []wire.LinkType{wire.LinkRawOld, same} {
			got := bytes.Clone(f.data)
			rw.Apply(link, got, len(got))
			if !bytes.Equal(got, want) {
				t.Errorf("packet %d as link type %d:\n got % x\nwant % x", f.n, link, got, want)
			}
		}
		if b := bytes.Clone(f.data); rw.Apply(other, b, len(b)) || !bytes.Equal(b, f.data) {
			t.Errorf("packet %d as link type %d: changed", f.n, other)
		}
		n++
	}
	if n == 0 {
		t.Fatal("no packets in raw-ip.pcap")
	}
}

// TestIPv4LengthZeroTakesTheWireLength: a segment captured before TCP
// segmentation offload or with BIG TCP has IPv4 total length 0; the frame's
// length on the wire stands in for it when the frame is whole.
func TestIPv4LengthZeroTakesTheWireLength(t *testing.T) {
	rw := testRewrite(t)
	rw.FixChecksums = true
	f := tcpFrame(t)
	want := bytes.Clone(f.data)
	rw.Apply(f.link, want, len(want))

	got := bytes.Clone(f.data)
	ip := got[14:]
	put16(ip[2:], 0)
	rw.Apply(f.link, got, len(got))
	if hl := int(ip[0]&0x0f) * 4; !bytes.Equal(got[14+hl:], want[14+hl:]) {
		t.Errorf("TCP segment after the rewrite:\n got % x\nwant % x", got[14+hl:], want[14+hl:])
	}
	if wire.Fold(wire.Sum(0, ip[:20])) != 0 {
		t.Errorf("IPv4 header checksum %#04x is wrong", be16(ip[10:]))
	}
}

// linkTypes are those Apply reads, for the tests that feed it garbage.
var linkTypes = []wire.LinkType{wire.LinkEthernet, wire.LinkRawOld, wire.LinkRaw, wire.LinkLinuxSLL, wire.LinkIPv4, wire.LinkIPv6, wire.LinkLinuxSLL2}

func TestGarbageNeverPanics(t *testing.T) {
	rw := testRewrite(t)
	rw.FixChecksums = true
	for _, f := range captures(t) {
		for _, link := range linkTypes {
			for n := 0; n <= len(f.data) && n <= 200; n++ {
				rw.Apply(link, bytes.Clone(f.data[:n]), len(f.data))
				rw.Apply(link, bytes.Clone(f.data[n:]), len(f.data)-n)
			}
		}
	}
}

func FuzzRewrite(f *testing.F) {
	for _, fr := range captures(f) {
		if fr.n <= 3 {
			f.Add(uint32(fr.link), fr.data, true)
		}
	}
	rw := testRewrite(f)
	f.Fuzz(func(t *testing.T, link32 uint32, data []byte, fix bool) {
		link := wire.LinkType(link32)
		rw := *rw
		rw.FixChecksums = fix
		for _, l := range append(linkTypes, link) {
			b := bytes.Clone(data)
			if !rw.Apply(l, b, len(b)) && !bytes.Equal(b, data) {
				t.Fatalf("link type %d: Apply changed the frame but said it did not", l)
			}
		}
	})
}

// tcpFrame is the first TCP segment over IPv4 in tcp4.pcap with data in it.
func tcpFrame(b testing.TB) frame {
	for _, f := range captures(b) {
		if f.file == "tcp4.pcap" && len(f.data) > 200 {
			return f
		}
	}
	b.Fatal("no TCP data segment in tcp4.pcap")
	return frame{}
}

func TestApplyAllocatesNothing(t *testing.T) {
	rw := testRewrite(t)
	rw.FixChecksums = true
	f := tcpFrame(t)
	b := bytes.Clone(f.data)
	if n := testing.AllocsPerRun(1000, func() {
		copy(b, f.data)
		rw.Apply(f.link, b, len(b))
	}); n != 0 {
		t.Errorf("Apply allocates %v times a frame, want 0", n)
	}
}

func benchmarkRewrite(b *testing.B, fix bool) {
	rw := testRewrite(b)
	rw.FixChecksums = fix
	f := tcpFrame(b)
	buf := bytes.Clone(f.data)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		copy(buf, f.data)
		if !rw.Apply(f.link, buf, len(buf)) {
			b.Fatal("nothing rewritten")
		}
	}
}

// BenchmarkRewriteTCP: MACs and both addresses of an IPv4 TCP segment,
// checksums updated incrementally.
func BenchmarkRewriteTCP(b *testing.B) { benchmarkRewrite(b, false) }

// BenchmarkRewriteTCPFixChecksums: the same, then every checksum recomputed.
func BenchmarkRewriteTCPFixChecksums(b *testing.B) { benchmarkRewrite(b, true) }
