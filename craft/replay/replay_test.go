package replay_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/sockscope/sockscope/craft/replay"
)

// The counts are tcpdump's: tcpdump -r testdata/tcp4.pcap 'tcp[tcpflags] & tcp-syn != 0' | wc -l
// prints 9.
func TestReplayLoopsAndCounts(t *testing.T) {
	path := filepath.Join("..", "..", "testdata", "tcp4.pcap")
	for _, c := range []struct {
		opt  replay.Options
		want int64
	}{
		{replay.Options{}, 156},
		{replay.Options{Loop: 3}, 468},
		{replay.Options{Loop: 3, Count: 200}, 200},
		{replay.Options{Count: 10}, 10},
		{replay.Options{Filter: "tcp[tcpflags] & tcp-syn != 0"}, 9},
		{replay.Options{Filter: "tcp[tcpflags] & tcp-syn != 0", Loop: 2}, 18},
	} {
		var out bytes.Buffer
		c.opt.DryRun = &out
		sum, err := replay.File(context.Background(), path, c.opt)
		if err != nil {
			t.Fatal(err)
		}
		lines := int64(bytes.Count(out.Bytes(), []byte("\n")))
		if sum.Packets != c.want || lines != c.want {
			t.Errorf("loop %d, count %d, filter %q: %d packets, %d lines printed; want %d", c.opt.Loop, c.opt.Count, c.opt.Filter, sum.Packets, lines, c.want)
		}
	}
}
