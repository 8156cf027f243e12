package replay

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestStrangersCapturesNeverPanicOrHang replays (dry run, with every
// rewrite) and lists the conversations of tcpdump's own test captures,
// many malformed on purpose (../shared/corpus, beside the project): an
// error is fine, a panic or a hang is not.
func TestStrangersCapturesNeverPanicOrHang(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "tcpdump")
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) == 0 {
		t.Skipf("no corpus at %s", dir)
	}
	if testing.Short() {
		files = files[:50]
	}
	rw := &Rewrite{FixChecksums: true}
	for _, m := range []string{"0.0.0.0/0:10.0.0.0/8", "[::/0]:[fd00::/8]"} {
		am, err := ParseAddrMap(m)
		if err != nil {
			t.Fatal(err)
		}
		rw.SrcIP = append(rw.SrcIP, am)
		rw.DstIP = append(rw.DstIP, am)
	}
	for _, f := range files {
		if fi, err := os.Stat(f); err != nil || !fi.Mode().IsRegular() {
			continue
		}
		done := make(chan struct{})
		go func() {
			defer close(done)
			File(context.Background(), f, Options{DryRun: io.Discard, Rewrite: rw})
			ListFlows(f, Selector{})
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: replay --dry-run or --flows still running after 10 s", filepath.Base(f))
		}
	}
	t.Logf("%d captures replayed (dry run, rewritten) and their conversations listed", len(files))
}
