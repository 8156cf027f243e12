package compare

import (
	"bytes"
	"strings"
	"testing"
)

func TestTableOfEveryKindFits120Columns(t *testing.T) {
	msgs := Messages(200, 1000)
	r := &Report{Link: "lo"}
	for _, k := range Kinds {
		kr := KindReport{Kind: k.Kind, Name: k.Name, Family: "inet", ElapsedUS: 123456789}
		if strings.HasPrefix(k.Name, "unix") {
			kr.Family = "unix"
		} else {
			kr.Wire = &Wire{Packets: 123456, Bytes: 123456789, OverheadPct: 99.9, First: -1}
		}
		for i, m := range msgs {
			kr.Writes = append(kr.Writes, Op{Bytes: len(m) + i})
			kr.Reads = append(kr.Reads, Op{Bytes: len(m) + i, Data: string(m)})
		}
		r.Kinds = append(r.Kinds, kr)
	}
	var b strings.Builder
	if err := r.WriteTable(&b, false); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(b.String(), "\n") {
		if len(line) > 120 {
			t.Errorf("%d columns: %s", len(line), line)
		}
	}
	if !strings.Contains(b.String(), "none (AF_UNIX)") {
		t.Errorf("no AF_UNIX mark in\n%s", b.String())
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
