package decode

import "testing"

// TestTCPConvsRules checks the rules tcp-seq.pcap shows tshark following
// (the oracle in fields_test.go compares the capture itself): a SYN sent
// again stays in its stream, a SYN with a new number on the same endpoints
// starts the next one, and a side first seen without its SYN counts from
// its first number less one.
func TestTCPConvsRules(t *testing.T) {
	var s tcpConvs
	a, b := []byte{127, 0, 0, 1}, []byte{127, 0, 0, 2}
	seg := func(src, dst []byte, sp, dp uint16, flags uint64, seq, ack uint32) tcpRel {
		var r tcpRel
		if !s.segment(src, dst, sp, dp, flags, seq, ack, &r) {
			t.Fatal("no conversation")
		}
		return r
	}
	want := func(r tcpRel, stream, seq, ack uint32) {
		t.Helper()
		if r.stream != stream || r.seq != seq || r.ack != ack {
			t.Errorf("stream %d seq %d ack %d, want %d %d %d", r.stream, r.seq, r.ack, stream, seq, ack)
		}
	}
	want(seg(a, b, 40000, 80, tcpSYN, 1000, 0), 0, 0, 0)
	want(seg(a, b, 40000, 80, tcpSYN, 1000, 0), 0, 0, 0)
	want(seg(b, a, 80, 40000, tcpSYN|tcpACK, 5000, 1001), 0, 0, 1)
	want(seg(a, b, 40000, 80, tcpACK, 1001, 5001), 0, 1, 1)
	want(seg(a, b, 40000, 80, tcpSYN, 9000, 0), 1, 0, 0)
	// Mid-stream: the first segment's side counts from it, the other from
	// what it acknowledges.
	want(seg(b, a, 80, 40001, tcpACK|tcpPSH, 7000, 3000), 2, 1, 1)
	want(seg(a, b, 40001, 80, tcpACK, 3000, 7100), 2, 1, 101)
}

// TestTCPConvsBounded: past tcpConvMax conversations the table sheds the
// ended ones, then all, and stream indexes go on from where they were.
func TestTCPConvsBounded(t *testing.T) {
	var s tcpConvs
	a, b := []byte{10, 0, 0, 1}, []byte{10, 0, 0, 2}
	for i := 0; i < 3*tcpConvMax; i++ {
		flags := uint64(tcpSYN)
		if i%2 == 0 {
			flags = tcpACK | tcpRST
		}
		var r tcpRel
		s.segment(a, b, uint16(i), uint16(i>>16), flags, 1, 1, &r)
		if r.stream != uint32(i) {
			t.Fatalf("conversation %d: stream %d", i, r.stream)
		}
		if len(s.m) > tcpConvMax || len(s.convs) != len(s.m) {
			t.Fatalf("conversation %d: %d in the map, %d entries", i, len(s.m), len(s.convs))
		}
	}
}

// TestTCPConvsKnownAllocatesNothing: a segment of a known conversation
// costs no allocation.
func TestTCPConvsKnownAllocatesNothing(t *testing.T) {
	var s tcpConvs
	a, b := []byte{10, 0, 0, 1}, []byte{10, 0, 0, 2}
	for p := uint16(1); p <= 100; p++ {
		s.segment(a, b, p, 80, tcpSYN, 1, 0, &tcpRel{})
	}
	seq := uint32(1)
	if n := testing.AllocsPerRun(1000, func() {
		seq++
		s.segment(a, b, 50, 80, tcpACK, seq, 1, &tcpRel{})
		s.segment(b, a, 80, 50, tcpACK, 1, seq, &tcpRel{})
	}); n != 0 {
		t.Errorf("%v allocations per segment pair", n)
	}
}
