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
func openLive(t *testing.T, ns netns.NsHandle, cfg LiveConfig) *Live {
	t.Helper()
	var src *Live
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

// fileCapture writes what a Source returns to a pcap file, in a goroutine of
// its own, until Next returns io.EOF.
type fileCapture struct {
	src    *Live
	marked chan struct{} // closed once the lab's marker frame is written
	res    chan captureResult
}

type captureResult struct {
	n   int
	err error
}

// captureToFile starts writing what src returns to a pcap file at path.
func captureToFile(t *testing.T, src *Live, path string) *fileCapture {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	iface, _ := src.Interface(0)
	w, err := NewPcapWriter(f, iface.LinkType, iface.Snaplen, false)
	if err != nil {
		t.Fatal(err)
	}
	c := &fileCapture{src: src, marked: make(chan struct{}), res: make(chan captureResult, 1)}
	go func() {
		n, marked := 0, false
		for {
			data, ci, err := src.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				c.res <- captureResult{n, err}
				return
			}
			if err := w.WritePacket(ci, data); err != nil {
				c.res <- captureResult{n, err}
				return
			}
			n++
			if !marked && capturetest.IsMarker(data) {
				marked = true
				close(c.marked)
			}
		}
		err := w.Flush()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		c.res <- captureResult{n, err}
	}()
	return c
}

// waitForMarker waits until the capture has written the lab's marker frame,
// and with it everything the kernel queued before it.
func (c *fileCapture) waitForMarker(t *testing.T) {
	t.Helper()
	select {
	case <-c.marked:
	case r := <-c.res:
		c.res <- r
		t.Fatalf("capture ended after %d packets, before the marker: %v", r.n, r.err)
	case <-time.After(capturetest.Patience):
		t.Fatalf("no marker in the capture after %v", capturetest.Patience)
	}
}

// stop stops the capture, waits for the file to be complete, and returns
// the number of packets written.
func (c *fileCapture) stop(t *testing.T) int {
	t.Helper()
	c.src.Stop()
	select {
	case r := <-c.res:
		if r.err != nil {
			t.Fatal(r.err)
		}
		return r.n
	case <-time.After(capturetest.Patience):
		t.Fatal("capture did not stop")
	}
	return 0
}

// sameAsTcpdump fails the test unless two captures of the same traffic hold
// the same packets (capturetest.SameAsTcpdump).
func sameAsTcpdump(t *testing.T, what string, got, want []testPacket) {
	t.Helper()
	capturetest.SameAsTcpdump(t, what, labPackets(got), labPackets(want))
}

func labPackets(pkts []testPacket) []capturetest.Packet {
	out := make([]capturetest.Packet, len(pkts))
	for i, p := range pkts {
		out[i] = capturetest.Packet{Data: p.data, Length: p.ci.Length, Timestamp: p.ci.Timestamp}
	}
	return out
}
