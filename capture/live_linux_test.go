package capture

import (
	"encoding/binary"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"golang.org/x/net/bpf"

	"github.com/sockscope/sockscope/capture/capturetest"
	"github.com/sockscope/sockscope/decode/wire"
)

func TestCaptureSeesWhatTcpdumpSees(t *testing.T) {
	l := capturetest.NewLab(t)
	src := openLive(t, l.B, LiveConfig{Interface: capturetest.IfB})
	if got := src.LinkType(0); got != wire.LinkEthernet {
		t.Fatalf("link type %d, want Ethernet", got)
	}
	ours := filepath.Join(t.TempDir(), "sockscope.pcap")
	c := captureToFile(t, src, ours)
	td := capturetest.StartTcpdump(t, l.NsB, "-i", capturetest.IfB)

	l.Traffic()
	l.Mark()
	c.waitForMarker(t)
	td.WaitForMarker(t)
	td.Stop(t)
	n := c.stop(t)

	_, got := readFile(t, ours)
	_, want := readFile(t, td.File)
	if n != len(got) {
		t.Errorf("Next returned %d packets, the file has %d", n, len(got))
	}
	if len(want) < 20 {
		t.Fatalf("tcpdump saw only %d packets", len(want))
	}
	sameAsTcpdump(t, "veth", got, want)
	var tagged, qinq, fragments, icmp, tcp bool
	for _, p := range got {
		d := p.data
		switch {
		case binary.BigEndian.Uint32(d[12:]) == 0x8100_200a:
			tagged = true
		case binary.BigEndian.Uint32(d[12:]) == 0x88a8_0005:
			qinq = true
		case binary.BigEndian.Uint16(d[12:]) != 0x0800:
		case binary.BigEndian.Uint16(d[20:])&0x2000 != 0:
			fragments = true
		case d[23] == 1:
			icmp = true
		case d[23] == 6:
			tcp = true
		}
	}
	if !tagged || !qinq || !fragments || !icmp || !tcp {
		t.Errorf("capture lacks some traffic: 802.1Q %v, 802.1ad %v, IP fragments %v, ICMP %v, TCP %v", tagged, qinq, fragments, icmp, tcp)
	}
	st, err := src.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if st.Received != uint64(n) || st.Dropped != 0 {
		t.Errorf("stats %+v, want %d received, none dropped", st, n)
	}
}

func TestLoopbackPacketsAreSeenOnce(t *testing.T) {
	l := capturetest.NewLab(t)
	src := openLive(t, l.B, LiveConfig{Interface: "lo"})
	ours := filepath.Join(t.TempDir(), "sockscope.pcap")
	c := captureToFile(t, src, ours)
	td := capturetest.StartTcpdump(t, l.NsB, "-i", "lo")

	l.LoopbackTraffic()
	l.MarkLoopback()
	c.waitForMarker(t)
	td.WaitForMarker(t)
	td.Stop(t)
	n := c.stop(t)

	iface, got := readFile(t, ours)
	_, want := readFile(t, td.File)
	if iface.LinkType != wire.LinkEthernet {
		t.Errorf("lo captured as link type %d, want Ethernet (1) as tcpdump", iface.LinkType)
	}
	if len(want) < 10 {
		t.Fatalf("tcpdump saw only %d packets", len(want))
	}
	sameAsTcpdump(t, "lo", got, want)
	// The kernel queued every packet twice, going out and coming in.
	st, err := src.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if st.Received != 2*uint64(n) {
		t.Errorf("kernel queued %d packets; want twice the %d returned", st.Received, n)
	}
}

func TestAnyGivesCookedV2AsTcpdump(t *testing.T) {
	l := capturetest.NewLab(t)
	src := openLive(t, l.B, LiveConfig{Interface: AnyInterface})
	ours := filepath.Join(t.TempDir(), "sockscope.pcap")
	c := captureToFile(t, src, ours)
	td := capturetest.StartTcpdump(t, l.NsB, "-i", "any", "-y", "LINUX_SLL2")

	l.Traffic()
	l.LoopbackTraffic()
	l.MarkLoopback()
	c.waitForMarker(t)
	td.WaitForMarker(t)
	td.Stop(t)
	c.stop(t)

	iface, got := readFile(t, ours)
	_, want := readFile(t, td.File)
	if iface.LinkType != wire.LinkLinuxSLL2 {
		t.Errorf("any captured as link type %d, want Linux cooked v2 (276)", iface.LinkType)
	}
	sameAsTcpdump(t, "any", got, want)
	// Both directions of the veth, and lo, each packet once.
	seen := map[uint32]bool{}
	for _, p := range got {
		seen[binary.BigEndian.Uint32(p.data[4:])] = true
	}
	if len(seen) != 2 {
		t.Errorf("packets from interfaces %v, want lo and %s", seen, capturetest.IfB)
	}
}

func TestStopKeepsEverythingTheKernelCounted(t *testing.T) {
	l := capturetest.NewLab(t)
	src := openLive(t, l.B, LiveConfig{Interface: capturetest.IfB, BufferSize: 1 << 20})
	ours := filepath.Join(t.TempDir(), "sockscope.pcap")
	c := captureToFile(t, src, ours)
	stopSending := l.SendUntilStopped(2000)
	n := c.stop(t) // mid-stream
	if err := stopSending(); err != nil {
		t.Fatal(err)
	}
	st, err := src.Stats()
	if err != nil {
		t.Fatal(err)
	}
	_, pkts := readFile(t, ours)
	if len(pkts) != n {
		t.Errorf("file has %d packets, Next returned %d", len(pkts), n)
	}
	if uint64(n)+st.Dropped != st.Received {
		t.Errorf("returned %d + dropped %d != received %d", n, st.Dropped, st.Received)
	}
	if n < 1000 {
		t.Errorf("only %d packets captured after 2000 arrived", n)
	}
	t.Logf("stopped mid-stream: %d captured, %+v", n, st)
}

func TestOverflowDropsAreTheKernels(t *testing.T) {
	l := capturetest.NewLab(t)
	// One 256 KiB block: while the reader holds it, the kernel drops.
	src := openLive(t, l.B, LiveConfig{Interface: capturetest.IfB, BufferSize: 1})
	arrivals := l.CountArrivals()
	const burst = 100_000
	if err := l.Sender().Send(0, burst); err != nil {
		t.Fatal(err)
	}
	arrived := arrivals.Wait()
	src.Stop()
	n := 0
	for {
		_, _, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	st, err := src.Stats()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d sent, %d arrived, %d captured, %+v", burst, arrived, n, st)
	if st.Dropped == 0 || st.Freezes == 0 {
		t.Errorf("no drops from a %d-frame burst into one block: %+v", burst, st)
	}
	if st.Received != arrived {
		t.Errorf("kernel counted %d received, %d arrived", st.Received, arrived)
	}
	if uint64(n)+st.Dropped != arrived {
		t.Errorf("captured %d + dropped %d != %d arrived", n, st.Dropped, arrived)
	}
}

func TestSnaplenCutsInTheKernel(t *testing.T) {
	l := capturetest.NewLab(t)
	src := openLive(t, l.B, LiveConfig{Interface: capturetest.IfB, Snaplen: 40})
	ours := filepath.Join(t.TempDir(), "sockscope.pcap")
	c := captureToFile(t, src, ours)
	td := capturetest.StartTcpdump(t, l.NsB, "-i", capturetest.IfB, "-s", "40")
	l.Traffic()
	l.Mark()
	c.waitForMarker(t)
	td.WaitForMarker(t)
	td.Stop(t)
	c.stop(t)
	iface, got := readFile(t, ours)
	_, want := readFile(t, td.File)
	if iface.Snaplen != 40 {
		t.Errorf("file snaplen %d, want 40", iface.Snaplen)
	}
	sameAsTcpdump(t, "snaplen 40", got, want)
}

func TestFilterIsAttachedBeforeBind(t *testing.T) {
	l := capturetest.NewLab(t)
	// Keep nothing: not one packet may reach the ring, not even one that
	// arrived before the filter could have been attached after bind.
	drop, _ := bpf.RetConstant{Val: 0}.Assemble()
	src := openLive(t, l.B, LiveConfig{Interface: capturetest.IfB, Filter: []bpf.RawInstruction{drop}})
	arrivals := l.CountArrivals()
	if err := l.Sender().Send(0, 1000); err != nil {
		t.Fatal(err)
	}
	arrivals.Wait() // every frame went past the filter
	src.Stop()
	if _, _, err := src.Next(); err != io.EOF {
		t.Fatalf("Next = %v, want io.EOF with every packet filtered out", err)
	}
	if st, _ := src.Stats(); st.Received != 0 {
		t.Errorf("kernel queued %d packets past a filter that keeps none", st.Received)
	}
}

func TestOpenSaysWhatIsWrong(t *testing.T) {
	l := capturetest.NewLab(t)
	l.AddDownVeth("sslivedown", "sslivedown1")
	tests := []struct {
		iface string
		want  error
		text  string
	}{
		{"sslivenothere", ErrUnknownInterface, "open sslivenothere: no such interface"},
		{"sslivedown", ErrInterfaceDown, "open sslivedown: interface is down (bring it up with: ip link set sslivedown up)"},
	}
	for _, tt := range tests {
		err := capturetest.InNS(l.B, func() error {
			src, err := OpenLive(LiveConfig{Interface: tt.iface})
			if err == nil {
				src.Close()
			}
			return err
		})
		if !errors.Is(err, tt.want) || !strings.HasPrefix(err.Error(), tt.text) {
			t.Errorf("OpenLive(%s) = %v, want %q", tt.iface, err, tt.text)
		}
	}
}

func TestNextAllocatesNothing(t *testing.T) {
	l := capturetest.NewLab(t)
	src := openLive(t, l.B, LiveConfig{Interface: capturetest.IfB})
	if allocs := nextAllocs(t, l, src, func(gopacket.CaptureInfo) {}); allocs != 0 {
		t.Errorf("%v allocations per packet, want 0", allocs)
	}
}

// nextAllocs sends 300 frames from A to B, stops src once 201 have come,
// reads its first packet (the first block, the drain set up) and gives the
// allocations of each Next after it, check run on each packet's header.
func nextAllocs(t *testing.T, l *capturetest.Lab, src Source, check func(gopacket.CaptureInfo)) float64 {
	t.Helper()
	arrivals := l.CountArrivals()
	if err := l.Sender().Send(0, 300); err != nil {
		t.Fatal(err)
	}
	if n := arrivals.Wait(); n < 201 {
		t.Fatalf("only %d of 300 frames arrived; 201 are read", n)
	}
	src.(interface{ Stop() }).Stop()
	if _, _, err := src.Next(); err != nil {
		t.Fatal(err)
	}
	return testing.AllocsPerRun(200, func() {
		_, ci, err := src.Next()
		if err != nil {
			t.Fatal(err)
		}
		check(ci)
	})
}

func TestInterfaceGoingDownWaitsAndGoingAwayEnds(t *testing.T) {
	l := capturetest.NewLab(t)
	l.AddVeth("sslivex0", "sslivex1")
	src := openLive(t, l.B, LiveConfig{Interface: "sslivex0"})
	next := make(chan error, 1)
	go func() {
		_, _, err := src.Next()
		next <- err
	}()
	l.SetUp("sslivex0", false)
	select {
	case err := <-next:
		t.Fatalf("Next returned %v when the interface went down; want it to wait", err)
	case <-time.After(300 * time.Millisecond):
	}
	l.SetUp("sslivex0", true)
	l.DeleteLink("sslivex0")
	select {
	case err := <-next:
		if err == nil || !strings.Contains(err.Error(), "read sslivex0: the interface is gone") {
			t.Fatalf("Next = %v, want the interface gone", err)
		}
	case <-time.After(capturetest.Patience):
		t.Fatal("Next still waits after the interface was removed")
	}
}
