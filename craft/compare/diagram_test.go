package compare

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
)

// TestDiagramFitsAndLabels draws a TCP exchange built from real frame
// bytes: every line fits 80 columns, arrows point the way the packets
// went, and the labels are the short ones the issue names.
func TestDiagramFitsAndLabels(t *testing.T) {
	frame := func(sport, dport uint16, seq uint32, flags byte, payload string) []byte {
		f := make([]byte, 14+20+20+len(payload))
		f[12], f[13] = 0x08, 0x00
		ip := f[14:]
		ip[0], ip[9] = 0x45, 6
		ip[2], ip[3] = byte((40+len(payload))>>8), byte(40+len(payload))
		copy(ip[12:], []byte{127, 0, 0, 1, 127, 0, 0, 1})
		tcp := ip[20:]
		tcp[0], tcp[1], tcp[2], tcp[3] = byte(sport>>8), byte(sport), byte(dport>>8), byte(dport)
		tcp[4], tcp[5], tcp[6], tcp[7] = byte(seq>>24), byte(seq>>16), byte(seq>>8), byte(seq)
		tcp[12], tcp[13] = 5<<4, flags
		copy(tcp[20:], payload)
		return f
	}
	t0 := time.Unix(1700000000, 0)
	at := func(us int) gopacket.CaptureInfo {
		return gopacket.CaptureInfo{Timestamp: t0.Add(time.Duration(us) * time.Microsecond)}
	}
	k := KindReport{Kind: "stream", Name: "tcp", Family: "inet", Sender: "127.0.0.1:40000", Receiver: "127.0.0.1:5000",
		Writes: []Op{{Bytes: 1, At: t0.Add(30 * time.Microsecond)}},
		Reads:  []Op{{Bytes: 1, Data: "A", At: t0.Add(900 * time.Microsecond)}},
		Wire:   &Wire{},
		Frames: []Frame{
			{frame(40000, 5000, 100, 0x02, ""), at(0)},
			{frame(5000, 40000, 7, 0x12, ""), at(10)},
			{frame(40000, 5000, 101, 0x10, ""), at(20)},
			{frame(40000, 5000, 101, 0x18, "A"), at(25)},
		}}
	r := &Report{Messages: []string{"A"}, Kinds: []KindReport{k}}
	var out bytes.Buffer
	if err := r.WriteDiagram(&out, 80); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, line := range strings.Split(text, "\n") {
		if len(line) > 80 {
			t.Errorf("line of %d columns: %q", len(line), line)
		}
	}
	for _, want := range []string{"-- SYN -", "<", "SYN ACK --", "-- ACK -", `-- PSH 1:2 "A" -`, `write(1) "A"`, `read(1) "A"`} {
		if !strings.Contains(text, want) {
			t.Errorf("diagram has no %q:\n%s", want, text)
		}
	}
	if i, j := strings.Index(text, "PSH"), strings.Index(text, "read(1)"); i > j {
		t.Errorf("the read comes before the data it read:\n%s", text)
	}
}

// TestTableSplitsToFitTheTerminal: six kinds do not fit 80 columns side
// by side; the table comes in groups that do, every kind in one of them.
func TestTableSplitsToFitTheTerminal(t *testing.T) {
	r := &Report{Messages: []string{"A"}, Link: "lo"}
	for _, name := range []string{"raw", "tcp", "unix-stream", "udp", "unix-dgram", "unix-seqpacket"} {
		r.Kinds = append(r.Kinds, KindReport{Kind: "k", Name: name, Family: "unix", Writes: []Op{{Bytes: 1}}, Reads: []Op{{Bytes: 1, Data: "A"}}})
	}
	for _, width := range []int{80, 120} {
		var out bytes.Buffer
		if err := r.WriteTableWidth(&out, width, false); err != nil {
			t.Fatal(err)
		}
		text := out.String()
		for _, line := range strings.Split(text, "\n") {
			if len(line) > width {
				t.Errorf("width %d: line of %d columns: %q", width, len(line), line)
			}
		}
		for _, k := range r.Kinds {
			if !strings.Contains(text, k.Name) {
				t.Errorf("width %d: kind %s is missing", width, k.Name)
			}
		}
		if n, want := strings.Count(text, "\nsocket "), map[int]int{80: 2, 120: 1}[width]; n != want {
			t.Errorf("width %d: %d groups, want %d", width, n, want)
		}
	}
}
