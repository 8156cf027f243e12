package capture

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/vishvananda/netns"

	"github.com/sockscope/sockscope/capture/capturetest"
)

// openMulti opens a live capture on several interfaces in namespace ns.
func openMulti(t *testing.T, ns netns.NsHandle, cfgs ...LiveConfig) *Multi {
	t.Helper()
	var src *Multi
	err := capturetest.InNS(ns, func() (err error) {
		src, err = OpenMulti(cfgs)
		return err
	})
	if err != nil {
		t.Fatalf("OpenMulti: %v", err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}

// TestMultiNextAllocatesNothing reads a capture on two interfaces, frames
// on one: no allocation per packet, the direction of each included.
func TestMultiNextAllocatesNothing(t *testing.T) {
	l := capturetest.NewLab(t)
	l.AddVeth("ssmultix0", "ssmultix1")
	src := openMulti(t, l.B, LiveConfig{Interface: "ssmultix0"}, LiveConfig{Interface: capturetest.IfB})
	allocs := nextAllocs(t, l, src, func(ci gopacket.CaptureInfo) {
		if pt, ok := PacketTypeOf(ci); ci.InterfaceIndex != 1 || !ok || pt != PacketHost {
			t.Fatalf("a frame sent to B came from interface %d, packet type %v (%v)", ci.InterfaceIndex, pt, ok)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per packet, want 0", allocs)
	}
}

// TestMultiEndsWhenAnInterfaceGoesAway removes one of two interfaces a
// capture is on: Next returns the error that names it, as a capture on it
// alone does, and Close returns.
func TestMultiEndsWhenAnInterfaceGoesAway(t *testing.T) {
	l := capturetest.NewLab(t)
	l.AddVeth("ssmultix0", "ssmultix1")
	src := openMulti(t, l.B, LiveConfig{Interface: capturetest.IfB}, LiveConfig{Interface: "ssmultix0"})
	next := make(chan error, 1)
	go func() {
		for {
			if _, _, err := src.Next(); err != nil {
				next <- err
				return
			}
		}
	}()
	select {
	case err := <-next:
		t.Fatalf("Next returned %v before anything happened", err)
	case <-time.After(200 * time.Millisecond):
	}
	l.DeleteLink("ssmultix0")
	select {
	case err := <-next:
		if err == io.EOF || !strings.Contains(err.Error(), "read ssmultix0: the interface is gone") {
			t.Fatalf("Next = %v, want the interface gone", err)
		}
	case <-time.After(capturetest.Patience):
		// Stopped, Next ends, so that Close does not run beside it.
		src.Stop()
		t.Fatalf("Next did not return when the interface went away; stopped, it returned %v", <-next)
	}
	closed := make(chan error, 1)
	go func() { closed <- src.Close() }()
	select {
	case <-closed:
	case <-time.After(capturetest.Patience):
		t.Fatal("Close did not return")
	}
}
