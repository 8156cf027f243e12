package decode

// Tests of the VXLAN and Geneve printers (vxlan.go).

import (
	"strings"
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
	noI := []byte{0, 0, 0, 0, 0, 0, 42, 0}
	frames := [][]byte{
		udpFrame(false, 40000, 4789, joinWire(hdr, inner)),
		udpFrame(false, 40000, 4789, hdr[:4]),
		udpFrame(false, 40000, 4789, noI),
	}
	for i, want := range []string{
		"VXLAN, flags [I] (0x08), vni 42\n",
		"VXLAN (invalid)",
		"VXLAN, flags [invalid] (0x00), vni 42\n",
	} {
		got := testDNSText(testPrintCut(t, Options{}, frames[i], len(frames[i])) + "\n")
		if !strings.HasPrefix(got, want) {
			t.Errorf("frame %d: got %q, want it to start with %q", i, got, want)
		}
	}
	matchTcpdump(t, frames)
}

// TestGeneveOptionsAtVerbose checks Geneve options, their class names and
// data at -vv.
func TestGeneveOptionsAtVerbose(t *testing.T) {
	// Version 0, 2 words of options, protocol TEB, VNI 0x1389, one option.
	hdr := []byte{0x02, 0, 0x65, 0x58, 0x00, 0x13, 0x89, 0, 0x01, 0x02, 0x80, 0x01, 0xde, 0xad, 0xbe, 0xef}
	f := udpFrame(false, 40000, 6081, hdr)
	got := testDNSText(testPrintCut(t, Options{Verbose: 2}, f, len(f)) + "\n")
	want := "Geneve, Flags [none], vni 0x1389, options [class Open Virtual Networking (OVN) (0x102) type 0x80(C) len 8 data deadbeef]\n\t"
	if !strings.HasPrefix(got, want) {
		t.Errorf("\n got %q\nwant %q", got, want)
	}
	matchTcpdump(t, [][]byte{f})
}
