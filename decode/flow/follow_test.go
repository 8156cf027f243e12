package flow

import (
	"net/netip"
	"testing"
	"time"
)

// A Stream in follow mode, as tshark's follow was seen to print gaps (in
// tcpdump's of13_ericsson.pcapng and in testdata captures with packets
// taken out, which the follow oracle test in commands compares): a gap the
// other side acknowledges past prints as "[N bytes missing in capture
// file]" and a NUL, then the data behind it; a gap nobody acknowledges
// holds its data back, and the end of the capture drops it.
func TestStreamPrintsAnAcknowledgedGapAsMissing(t *testing.T) {
	c := netip.MustParseAddrPort("10.0.0.1:40000")
	s := netip.MustParseAddrPort("10.0.0.2:80")
	var st Stream
	at := time.Unix(1700000000, 0)
	add := func(src, dst netip.AddrPort, seq, ack uint32, payload string) {
		at = at.Add(time.Millisecond)
		st.Add(&Segment{Proto: TCP, Src: src, Dst: dst, Seq: seq, Ack: ack, Flags: flagACK, Payload: []byte(payload)}, at)
	}
	add(c, s, 100, 500, "abc") // 100-103
	add(c, s, 110, 500, "xyz") // a gap of 7 bytes before it
	add(s, c, 500, 105, "ok")  // acknowledges 105: not past the waiting data
	if got := st.Take(); len(got) != 2 || string(got[0].Data) != "abc" || string(got[1].Data) != "ok" {
		t.Fatalf("before the acknowledgment: %q", got)
	}
	add(s, c, 502, 113, "") // acknowledges all of it
	got := st.Take()
	want := []string{"[7 bytes missing in capture file]\x00", "xyz"}
	if len(got) != len(want) {
		t.Fatalf("after the acknowledgment: %q, want %q", got, want)
	}
	for i, m := range got {
		if string(m.Data) != want[i] || m.Dir != FromClient {
			t.Errorf("chunk %d: %q from %v, want %q from the client", i, m.Data, m.Dir, want[i])
		}
	}
	add(c, s, 120, 502, "late") // a gap no one acknowledges
	if got := st.Take(); len(got) != 0 {
		t.Errorf("data behind an unacknowledged gap: %q", got)
	}
	if got := st.Chunks(); len(got) != 0 {
		t.Errorf("at the end, data behind an unacknowledged gap: %q", got)
	}
}
