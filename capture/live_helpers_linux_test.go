package capture

import (
	"io"
	"os"
	"testing"
	"time"

	"github.com/vishvananda/netns"

	"github.com/sockscope/sockscope/capture/capturetest"
)

// openLive opens a live capture in network namespace ns.
func openLive(t *testing.T, ns netns.NsHandle, cfg LiveConfig) *Source {
	t.Helper()
	var src *Source
	err := capturetest.InNS(ns, func() (err error) {
		src, err = OpenLive(cfg)
		return err
	})
	if err != nil {
		t.Fatalf("OpenLive(%+v): %v", cfg, err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}

// readFile reads every packet of a capture file.
func readFile(t *testing.T, path string) (Interface, []testPacket) {
	t.Helper()
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r, pkts := mustReadAll(t, file)
	return r.Interfaces()[0], pkts
}

// captureToFile writes what src returns to a pcap file until Next
// returns io.EOF, and returns the number of packets.
func captureToFile(t *testing.T, src *Source, path string) (done func() int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	iface := src.Interface()
	w, err := NewPcapWriter(f, iface.LinkType, iface.Snaplen, false)
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		n   int
		err error
	}
	res := make(chan result, 1)
	go func() {
		n := 0
		for {
			data, ci, err := src.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				res <- result{n, err}
				return
			}
			if err := w.WritePacket(*ci, data); err != nil {
				res <- result{n, err}
				return
			}
			n++
		}
		err := w.Flush()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		res <- result{n, err}
	}()
	return func() int {
		t.Helper()
		src.Stop()
		select {
		case r := <-res:
			if r.err != nil {
				t.Fatal(r.err)
			}
			return r.n
		case <-time.After(10 * time.Second):
			t.Fatal("capture did not stop")
		}
		return 0
	}
}

// sameAsTcpdump reports how two captures of the same traffic differ: in the
// packets' bytes or lengths, in the order given.
func sameAsTcpdump(t *testing.T, what string, got, want []testPacket) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d packets, tcpdump has %d", what, len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		g, w := got[i], want[i]
		if string(g.data) != string(w.data) || g.ci.Length != w.ci.Length {
			t.Errorf("%s: packet %d differs:\n got len %d % x\nwant len %d % x", what, i+1, g.ci.Length, g.data[:min(len(g.data), 64)], w.ci.Length, w.data[:min(len(w.data), 64)])
			return
		}
		if d := g.ci.Timestamp.Sub(w.ci.Timestamp).Abs(); d > 100*time.Millisecond {
			t.Errorf("%s: packet %d stamped %v, tcpdump %v", what, i+1, g.ci.Timestamp, w.ci.Timestamp)
		}
	}
}
