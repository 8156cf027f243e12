//go:build !treedecode

package decode

// Tests of the VXLAN and Geneve printers (vxlan.go).

import (
	"io"
	"testing"
)

// TestVXLANPrintsTheInnerFrame checks the VXLAN header and that the inner
// frame follows on the next line.
func TestVXLANPrintsTheInnerFrame(t *testing.T) {
	inner := joinWire(
		[]byte{2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x06}, // Ethernet, ARP
		[]byte{0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2},
	)
	hdr := []byte{0x08, 0, 0, 0, 0, 0, 42, 0}
	p := NewPrinter(io.Discard, Options{})
	msg := joinWire(hdr, inner)
	got := transportLine(p, func() { p.vxlan(msg, len(msg)) })
	want := "VXLAN, flags [I] (0x08), vni 42\n"
	if len(got) < len(want) || got[:len(want)] != want {
		t.Errorf("got %q, want it to start with %q", got, want)
	}
	if got := transportLine(p, func() { p.vxlan(hdr[:4], 4) }); got != "VXLAN (invalid)" {
		t.Errorf("short header: got %q", got)
	}
	hdr[0] = 0
	if got := transportLine(p, func() { p.vxlan(hdr, 8) }); got[:len("VXLAN, flags [invalid] (0x00), vni 42\n")] != "VXLAN, flags [invalid] (0x00), vni 42\n" {
		t.Errorf("flags without I: got %q", got)
	}
}

// TestGeneveOptionsAtVerbose checks Geneve options, their class names and
// data at -vv.
func TestGeneveOptionsAtVerbose(t *testing.T) {
	// Version 0, 2 words of options, protocol TEB, VNI 0x1389, one option.
	hdr := []byte{0x02, 0, 0x65, 0x58, 0x00, 0x13, 0x89, 0, 0x01, 0x02, 0x80, 0x01, 0xde, 0xad, 0xbe, 0xef}
	p := NewPrinter(io.Discard, Options{Verbose: 2})
	got := transportLine(p, func() { p.geneve(hdr, len(hdr)) })
	want := "Geneve, Flags [none], vni 0x1389, options [class Open Virtual Networking (OVN) (0x102) type 0x80(C) len 8 data deadbeef]\n\t"
	if len(got) < len(want) || got[:len(want)] != want {
		t.Errorf("\n got %q\nwant %q", got, want)
	}
}
