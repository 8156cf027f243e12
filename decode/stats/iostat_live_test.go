package stats_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/sockscope/sockscope/decode"
	"github.com/sockscope/sockscope/decode/stats"
)

// TestIOStatWritingDoesNotChangeTheCounts: a live view writes the table
// after packets it has counted and counts on; the table it writes at the
// end is the one written once after every packet. A packet stamped at an
// exact interval boundary is past the last interval when the table is
// written just after it (the text leaves it out, as tshark does), and
// belongs to the next interval once later packets come.
func TestIOStatWritingDoesNotChangeTheCounts(t *testing.T) {
	file := filepath.Join(t.TempDir(), "live.pcap")
	if err := os.WriteFile(file, udpCapture(t, "0:60 1:61 1.5:62 2:63 2.5:64 3:65 3.2:66"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, spec := range []string{
		"io,stat,1", "io,stat,1,FRAMES,BYTES", "io,stat,0.5,MAX(frame.len)frame.len,MIN(frame.len)frame.len",
		"io,stat,1,SUM(frame.len)frame.len,AVG(frame.len)frame.len",
	} {
		live, err := stats.New(spec, "")
		if err != nil {
			t.Fatal(err)
		}
		once, _ := stats.New(spec, "")
		var redraws int
		if err := dissect(file, func(tree *decode.Tree) {
			live.Add(tree)
			once.Add(tree)
			var b bytes.Buffer
			if err := live.WriteText(&b); err != nil {
				t.Fatal(err)
			}
			live.JSON()
			redraws++
		}); err != nil {
			t.Fatal(err)
		}
		var got, want bytes.Buffer
		if err := live.WriteText(&got); err != nil {
			t.Fatal(err)
		}
		if err := once.WriteText(&want); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("-z %s written after each of %d packets, then at the end:\n%s\nwritten once at the end:\n%s", spec, redraws, got.String(), want.String())
		}
	}
}
