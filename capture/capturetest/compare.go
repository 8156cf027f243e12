package capturetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// Packet is a captured packet as two captures of the same traffic are
// compared: its bytes, its length on the wire, and when it was stamped.
type Packet struct {
	Data      []byte
	Length    int
	Timestamp time.Time
}

// Slack is how far apart two captures on one interface may stamp the same
// packet, and how close together two packets must be stamped for the two
// captures to hold them in opposite orders. Each capture's socket takes a
// place in its ring under its own lock, and stamps the packet after copying
// it there: when two CPUs hand packets to the captures at the
// same moment (a data segment on one, an ACK on the other), one socket can
// get them in one order and the other in the other. tcpdump beside tcpdump
// does the same. Such packets are stamped some microseconds apart (20 at
// most in the lab tests, on a machine with every CPU busy); Slack allows
// fifty times that, and is still short enough for packets handed over out of
// order by the ring (a block returned too early or too late) to show.
const Slack = time.Millisecond

// SameAsTcpdump fails the test unless got, a capture of sockscope's, holds the
// packets of want, tcpdump's capture of the same traffic on the same
// interface: the same bytes and lengths, each packet stamped within Slack of
// tcpdump's stamp, in tcpdump's order but where two packets were stamped
// within Slack of each other.
func SameAsTcpdump(t *testing.T, what string, got, want []Packet) {
	t.Helper()
	type key struct {
		data   string
		length int
	}
	// Pair each of ours with tcpdump's first unpaired copy of it.
	unpaired := map[key][]int{}
	for j, p := range want {
		k := key{string(p.Data), p.Length}
		unpaired[k] = append(unpaired[k], j)
	}
	pair := make([]int, len(got)) // got[i] is want[pair[i]], or -1
	var extra []int
	for i, p := range got {
		k := key{string(p.Data), p.Length}
		if js := unpaired[k]; len(js) > 0 {
			pair[i], unpaired[k] = js[0], js[1:]
		} else {
			pair[i] = -1
			extra = append(extra, i)
		}
	}
	var missing []int
	for _, js := range unpaired {
		missing = append(missing, js...)
	}
	slices.Sort(missing)
	if len(extra) > 0 || len(missing) > 0 {
		var b strings.Builder
		fmt.Fprintf(&b, "%s: %d packets, tcpdump has %d; %d of ours are not tcpdump's, %d of tcpdump's are not ours", what, len(got), len(want), len(extra), len(missing))
		for n, i := range extra {
			if n == 3 {
				break
			}
			fmt.Fprintf(&b, "\n ours %d: %s", i+1, describe(got[i]))
		}
		for n, j := range missing {
			if n == 3 {
				break
			}
			fmt.Fprintf(&b, "\n tcpdump's %d: %s", j+1, describe(want[j]))
		}
		t.Error(b.String())
		return
	}
	for i, j := range pair {
		if d := got[i].Timestamp.Sub(want[j].Timestamp).Abs(); d > Slack {
			t.Errorf("%s: packet %d stamped %v, tcpdump's %d %v: %v apart", what, i+1, got[i].Timestamp, j+1, want[j].Timestamp, d)
			return
		}
	}
	for i := range pair {
		for k := i + 1; k < len(pair); k++ {
			ji, jk := pair[i], pair[k]
			if ji < jk {
				continue
			}
			if got[k].Timestamp.Sub(got[i].Timestamp).Abs() <= Slack && want[jk].Timestamp.Sub(want[ji].Timestamp).Abs() <= Slack {
				continue // handed to the captures at the same moment
			}
			t.Errorf("%s: our packets %d and %d are tcpdump's %d and %d, the other way round, and were not stamped at the same moment:\n ours %d: %s\n ours %d: %s",
				what, i+1, k+1, ji+1, jk+1, i+1, describe(got[i]), k+1, describe(got[k]))
			return
		}
	}
}

// describe is a packet in one line: length, stamp and first bytes.
func describe(p Packet) string {
	return fmt.Sprintf("len %d, stamped %s: % x", p.Length, p.Timestamp.Format("15:04:05.000000"), p.Data[:min(len(p.Data), 48)])
}
