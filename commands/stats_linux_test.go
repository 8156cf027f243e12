package commands

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sockscope/sockscope/capture/capturetest"
	"github.com/sockscope/sockscope/decode/stats"
)

// TestStatsLiveCountsWhatItCaptured counts a live capture in the lab into
// -z conv,eth and ends it with -c and with SIGINT: the final table (JSON)
// has as many frames between A's and B's MACs as stats says it captured,
// and the kernel's counts are on stderr as capture prints them.
func TestStatsLiveCountsWhatItCaptured(t *testing.T) {
	for _, stop := range []string{"-c", "SIGINT"} {
		t.Run(stop, func(t *testing.T) {
			l := capturetest.NewLab(t)
			send := l.Sender()
			var out syncBuffer
			args := []string{"stats", "-i", capturetest.IfB, "-z", "conv,eth", "--json"}
			if stop == "-c" {
				args = append(args, "-c", "5")
			}
			ss := startCapture(t, l.NsB, &out, args...)
			for i := 0; i < 10; i++ {
				if err := send.Send(i, 1); err != nil {
					t.Fatal(err)
				}
			}
			if stop == "-c" {
				if code := ss.wait(t); code != 0 {
					t.Fatalf("stats -c 5 exited %d:\n%s", code, ss.stderr)
				}
			} else {
				time.Sleep(300 * time.Millisecond)
				ss.interrupt(t, os.Interrupt)
			}
			captured, _, _ := ss.stats(t)
			var got map[string]stats.ConvJSON
			if err := json.NewDecoder(bytes.NewBufferString(out.String())).Decode(&got); err != nil {
				t.Fatalf("stats --json printed %q: %v", out.String(), err)
			}
			convs := got["conv,eth"].Conversations
			if len(convs) != 1 || convs[0].Frames != captured || captured == 0 || stop == "-c" && captured != 5 {
				t.Fatalf("captured %d; conversations %+v", captured, convs)
			}
			macs := convs[0].A + " " + convs[0].B
			if !strings.Contains(macs, l.MACA.String()) || !strings.Contains(macs, l.MACB.String()) {
				t.Errorf("the conversation is %s, want %s and %s", macs, l.MACA, l.MACB)
			}
		})
	}
}
