package craft

import (
	"bytes"
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"

	"github.com/sockscope/sockscope/craft/spec"
	"github.com/sockscope/sockscope/decode/wire"
)

// TestCountingProbesRepeatEvery65536: the fields that count are 16 bits wide,
// so a run may keep 65536 packets and cycle through them.
func TestCountingProbesRepeatEvery65536(t *testing.T) {
	for _, c := range []struct {
		spec   string
		period int
	}{
		{"ip(dst=10.0.0.2)/icmp/fill(8)", 1 << 16},
		{"ip(dst=10.0.0.2)/udp(dport=9)", 1 << 16},
		{"ip6(dst=fd00::2)/icmp6", 1 << 16},
		{"ip(dst=10.0.0.2,id=7)/udp(dport=9)", 1 << 16},
		{"ip(dst=10.0.0.2,id=7!)/udp(dport=9)", 1},
		{"ip6(dst=fd00::2)/udp(dport=9)", 1},
		{"ether(dst=02:00:00:00:00:02,src=02:00:00:00:00:01)/arp(pdst=10.0.0.2)", 1},
	} {
		b := build(t, c.spec)
		if got := b.period(); got != c.period {
			t.Errorf("%s: period %d, want %d", c.spec, got, c.period)
		}
		for _, i := range []int{0, 1, 255, 65535} {
			if !bytes.Equal(b.Packet(i), b.Packet(i+c.period)) {
				t.Errorf("%s: packet %d is not packet %d", c.spec, i, i+c.period)
			}
		}
		p := newProbes(b, 0)
		for k, i := range []int{0, 1, 2, 65535, 65536, 70000} {
			if !bytes.Equal(p.packet(i, k, p.scratch()), b.Packet(i)) {
				t.Errorf("%s: the run's packet %d is not the builder's", c.spec, i)
			}
		}
	}
}

// TestBigProbesArePutTogetherFromHeads: 65536 packets of 1400 bytes are more
// than a run keeps; it keeps their heads and puts each packet together.
func TestBigProbesArePutTogetherFromHeads(t *testing.T) {
	for _, text := range []string{
		"ip(dst=10.0.0.2)/udp(dport=9)/fill(1400)",
		"ip(dst=10.0.0.2)/icmp/fill(1000)/\"tail\"",
		"ip6(dst=fd00::2)/icmp6/fill(1400)",
	} {
		b := build(t, text)
		p := newProbes(b, 0)
		if p.tail == nil || len(p.table) != 1<<16 {
			t.Fatalf("%s: a table of %d, tail %d bytes: want 65536 heads", text, len(p.table), len(p.tail))
		}
		scratch := p.scratch()
		p.fill(2)
		for k, i := range []int{0, 1, 7, 65535, 65536, 100000} {
			if got := p.packet(i, k, scratch); !bytes.Equal(got, b.Packet(i)) {
				t.Errorf("%s: packet %d put together is not the builder's", text, i)
			}
		}
	}
}

func TestKernelRewritesWhatARawIPv4SocketChanges(t *testing.T) {
	for _, c := range []struct {
		spec string
		want string
	}{
		{"ip(dst=10.0.0.2,src=10.0.0.1)/udp", ""},
		{"ip(dst=10.0.0.2,src=10.0.0.1,chksum=0xbeef)/udp", "ip chksum 0xbeef"},
		{"ip(dst=10.0.0.2,src=10.0.0.1,len=9999)/udp", "ip len 9999 (the kernel writes 28)"},
		{"ip(dst=10.0.0.2,src=10.0.0.1,id=0)/udp", "ip id 0"},
		{"ip(dst=10.0.0.2,src=10.0.0.1,id=0,flags=DF)/udp", ""},
		{"ip(dst=10.0.0.2,src=0.0.0.0)/udp", "ip src 0.0.0.0"},
		{"ip(dst=10.0.0.2,src=10.0.0.1,ihl=4)/udp", ""}, // the kernel rewrites nothing under 20 bytes
	} {
		got := strings.Join(KernelRewrites(build(t, c.spec).Packet(0)), ", ")
		if c.want == "" && got != "" || !strings.Contains(got, c.want) {
			t.Errorf("%s: %q, want %q", c.spec, got, c.want)
		}
	}
}

// oneRoute is a HopFinder with one route, out of eth9, or none (err).
type oneRoute struct{ err error }

var oneRouteMAC = net.HardwareAddr{2, 0, 0, 0, 0, 9}

func (f oneRoute) Route(dst netip.Addr) (Route, error) {
	return Route{Dst: dst, Iface: "eth9", Index: 9}, f.err
}

func (f oneRoute) NextMAC(r Route) (net.HardwareAddr, error) { return oneRouteMAC, f.err }

func TestTargetFor(t *testing.T) {
	tg, notes, err := TargetFor(build(t, "ip(dst=10.0.0.2,src=10.0.0.1)/udp"), "", oneRoute{})
	if err != nil || tg.Link != wire.LinkRaw || tg.IPv6 || tg.Iface != "" || tg.NextHop != nil || notes != nil {
		t.Errorf("plain IPv4: %+v %q %v, want a raw IPv4 socket", tg, notes, err)
	}
	// With -i, an IP packet goes to the next hop from a packet socket.
	tg, _, _ = TargetFor(build(t, "ip6(dst=fd00::2)/udp"), "eth0", oneRoute{})
	if !tg.IPv6 || tg.Iface != "eth9" || !bytes.Equal(tg.NextHop, oneRouteMAC) {
		t.Errorf("IPv6 with -i: %+v, want eth9 to %v", tg, oneRouteMAC)
	}
	// ... and from the raw socket bound to the interface, with a note, when
	// the next hop's MAC is not found.
	tg, notes, _ = TargetFor(build(t, "ip(dst=10.0.0.2,src=10.0.0.1)/udp"), "eth0", oneRoute{err: errors.New("no reply")})
	if tg.Iface != "eth0" || tg.NextHop != nil || len(notes) != 1 {
		t.Errorf("IPv4 with -i and no next hop: %+v %q, want a raw socket on eth0 and a note", tg, notes)
	}
	// A header the kernel would rewrite goes to the next hop at layer 2.
	tg, notes, err = TargetFor(build(t, "ip(dst=10.0.0.2,src=10.0.0.1,chksum=1)/udp"), "", oneRoute{})
	if err != nil || tg.Iface != "eth9" || !bytes.Equal(tg.NextHop, oneRouteMAC) || notes != nil {
		t.Errorf("wrong checksum: %+v %q %v, want eth9 to %v", tg, notes, err, oneRouteMAC)
	}
	// No next hop: a raw socket, and a note of what the kernel changes.
	tg, notes, _ = TargetFor(build(t, "ip(dst=10.0.0.2,src=10.0.0.1,chksum=1)/udp"), "", oneRoute{err: errors.New("no answer")})
	if tg.NextHop != nil || len(notes) != 1 || !strings.Contains(notes[0], "ip chksum 0x0001") || !strings.Contains(notes[0], "no answer") {
		t.Errorf("wrong checksum, no next hop: %+v %q", tg, notes)
	}
	// Frames go out of -i, or of the route's interface.
	tg, _, err = TargetFor(build(t, "ether/ip(dst=10.0.0.2)/udp"), "", oneRoute{})
	if err != nil || tg.Iface != "eth9" || tg.Link != wire.LinkEthernet {
		t.Errorf("ether without -i: %+v %v, want the route's eth9", tg, err)
	}
	if _, _, err = TargetFor(build(t, "ether(dst=02:00:00:00:00:01)/fill(40)"), "", nil); !errors.Is(err, ErrNeedInterface) {
		t.Errorf("a frame with no destination and no -i: %v, want ErrNeedInterface", err)
	}
}

// TestFloodBatchesAllocateNothing: once the table is built, handing out a
// batch of packets, whole or put together from heads, allocates nothing.
func TestFloodBatchesAllocateNothing(t *testing.T) {
	for _, text := range []string{"ip(dst=10.0.0.2)/udp(dport=9)/fill(18)", "ip(dst=10.0.0.2)/udp(dport=9)/fill(1400)"} {
		p := newProbes(build(t, text), 0)
		p.fill(1)
		scratch, batch := p.scratch(), make([][]byte, 0, batchSize)
		i := 0
		allocs := testing.AllocsPerRun(100, func() {
			batch = batch[:0]
			for k := range batchSize {
				batch = append(batch, p.packet(i, k, scratch))
				i++
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations a batch", text, allocs)
		}
	}
}

// BenchmarkFloodBatch is the user-space side of a flood: a batch of counting
// packets made ready for sendmmsg.
func BenchmarkFloodBatch(b *testing.B) {
	for _, c := range []struct{ name, spec string }{
		{"UDP60", "ip(dst=10.0.0.2)/udp(dport=9)/fill(18)"},
		{"UDP1428", "ip(dst=10.0.0.2)/udp(dport=9)/fill(1400)"},
	} {
		b.Run(c.name, func(b *testing.B) {
			s, err := spec.Parse(c.spec)
			if err != nil {
				b.Fatal(err)
			}
			bl, err := Build(s, testOptions())
			if err != nil {
				b.Fatal(err)
			}
			p := newProbes(bl, 0)
			p.fill(1)
			scratch, batch := p.scratch(), make([][]byte, 0, batchSize)
			b.SetBytes(int64(p.size))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; {
				batch = batch[:0]
				for k := 0; k < batchSize && i < b.N; k++ {
					batch = append(batch, p.packet(i, k, scratch))
					i++
				}
			}
		})
	}
}
