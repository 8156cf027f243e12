package capture

import (
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/sockscope/sockscope/capture/capturetest"
	"github.com/sockscope/sockscope/capture/filter"
	"github.com/sockscope/sockscope/decode/wire"
)

func TestLinkTypeOfNeedsNoSocketOfItsOwn(t *testing.T) {
	for _, tt := range []struct {
		name string
		want wire.LinkType
	}{{"lo", wire.LinkEthernet}, {AnyInterface, wire.LinkLinuxSLL2}} {
		got, err := LinkTypeOf(tt.name)
		if err != nil || got != tt.want {
			t.Errorf("LinkTypeOf(%s) = %d, %v; want %d", tt.name, got, err, tt.want)
		}
	}
	if _, err := LinkTypeOf("sslivenothere"); !errors.Is(err, ErrUnknownInterface) {
		t.Errorf("LinkTypeOf(sslivenothere) = %v, want ErrUnknownInterface", err)
	}
}

func TestLiveSnaplenIsWhatTheCaptureKeeps(t *testing.T) {
	for _, tt := range []struct {
		snaplen int
		link    wire.LinkType
		want    int
	}{
		{0, wire.LinkEthernet, maxSnaplen},
		{-1, wire.LinkEthernet, maxSnaplen},
		{1 << 20, wire.LinkEthernet, maxSnaplen},
		{5, wire.LinkEthernet, 5},
		{5, wire.LinkLinuxSLL2, sll2HdrLen + 1},
		{100, wire.LinkLinuxSLL2, 100},
	} {
		if got := LiveSnaplen(tt.snaplen, tt.link); got != tt.want {
			t.Errorf("LiveSnaplen(%d, %d) = %d, want %d", tt.snaplen, tt.link, got, tt.want)
		}
	}
}

// kernelFilter compiles expr for a live Ethernet capture, for the socket.
func kernelFilter(t *testing.T, expr string) []bpf.RawInstruction {
	t.Helper()
	prog, err := filter.CompileOptions(expr, wire.LinkEthernet, filter.Options{Live: true})
	if err != nil {
		t.Fatal(err)
	}
	raw, ok, err := filter.KernelProgram(prog, wire.LinkEthernet)
	if err != nil || !ok {
		t.Fatalf("KernelProgram(%s) = %v, %v", expr, ok, err)
	}
	return raw
}

func TestNoPacketSlipsInWhileTheFilterIsAttached(t *testing.T) {
	l := capturetest.NewLab(t)
	// Frames flood B while captures open one after another: a socket that
	// received before its filter was on would queue some of them.
	stop := l.SendUntilStopped(1000)
	prog := kernelFilter(t, "udp")
	for i := range 30 {
		src := openLive(t, l.B, LiveConfig{Interface: capturetest.IfB, Filter: prog})
		src.Stop()
		n := 0
		for {
			data, _, err := src.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			n++
			if n == 1 {
				t.Errorf("open %d: a frame of the flood came through a filter for udp: % x", i+1, data[:min(len(data), 32)])
			}
		}
		st, err := src.Stats()
		if err != nil {
			t.Fatal(err)
		}
		if st.Received != 0 {
			t.Errorf("open %d: the kernel queued %d packets past a filter for udp during a flood of others", i+1, st.Received)
		}
		src.Close()
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

func TestMatchSelectsInUserSpace(t *testing.T) {
	l := capturetest.NewLab(t)
	// The kernel takes a received tag out of the frame before a socket
	// filter sees it: "vlan 100" can only be judged on the frame Next
	// returns, with the tag put back.
	prog, err := filter.CompileOptions("vlan 100", wire.LinkEthernet, filter.Options{Live: true})
	if err != nil {
		t.Fatal(err)
	}
	m, err := filter.NewMatcher(prog)
	if err != nil {
		t.Fatal(err)
	}
	src := openLive(t, l.B, LiveConfig{Interface: capturetest.IfB, Match: m})
	arrivals := l.CountArrivals()
	send := l.Sender()
	for i, tag := range []uint32{0x8100_0064, 0x8100_00c8, 0, 0x8100_0064, 0x88a8_0064} {
		if err := send.SendTagged(tag, 10*i, 3); err != nil {
			t.Fatal(err)
		}
	}
	if n := arrivals.Wait(); n != 15 {
		t.Fatalf("%d of 15 frames arrived", n)
	}
	src.Stop()
	var tags []uint32
	for {
		data, ci, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if ci.Length != len(data) {
			t.Errorf("frame of %d bytes, %d on the wire", len(data), ci.Length)
		}
		tags = append(tags, binary.BigEndian.Uint32(data[12:]))
	}
	if len(tags) != 9 {
		t.Errorf("Next returned %d frames (tags %x), want the 9 with VLAN ID 100", len(tags), tags)
	}
	for _, tag := range tags {
		if tag&0xfff != 100 {
			t.Errorf("Next returned a frame with tag %08x", tag)
		}
	}
	if st, _ := src.Stats(); st.Received != 15 {
		t.Errorf("kernel queued %d frames, want all 15: the kernel does not filter here", st.Received)
	}
}

// TestRefusedFilterRunsInUserSpace gives the kernel a program it refuses
// (it reads scratch memory no path writes) with a fallback: the capture
// opens, says so, and selects with the fallback, as libpcap does.
func TestRefusedFilterRunsInUserSpace(t *testing.T) {
	l := capturetest.NewLab(t)
	refused := []bpf.RawInstruction{{Op: 0x60, K: 0}, {Op: 0x16}} // ld M[0]; ret a
	prog, err := filter.CompileOptions("vlan 100", wire.LinkEthernet, filter.Options{Live: true})
	if err != nil {
		t.Fatal(err)
	}
	m, err := filter.NewMatcher(prog)
	if err != nil {
		t.Fatal(err)
	}
	src := openLive(t, l.B, LiveConfig{Interface: capturetest.IfB, Filter: refused, Fallback: m})
	if !strings.Contains(src.Warning(), "filtering in user space") {
		t.Errorf("Warning() = %q, want it to say the filter runs in user space", src.Warning())
	}
	arrivals := l.CountArrivals()
	send := l.Sender()
	for i, tag := range []uint32{0x8100_0064, 0x8100_00c8, 0} {
		if err := send.SendTagged(tag, 10*i, 2); err != nil {
			t.Fatal(err)
		}
	}
	if n := arrivals.Wait(); n != 6 {
		t.Fatalf("%d of 6 frames arrived", n)
	}
	src.Stop()
	n := 0
	for {
		data, _, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if binary.BigEndian.Uint32(data[12:])&0xfff != 100 {
			t.Errorf("Next returned a frame with tag %08x", binary.BigEndian.Uint32(data[12:]))
		}
		n++
	}
	if n != 2 {
		t.Errorf("Next returned %d frames, want the 2 with VLAN ID 100", n)
	}
}
