package compare

import (
	"errors"
	"time"
)

// Impairment is what compare --lab's link does to the packets that cross
// it, in each direction.
type Impairment struct {
	// LossPct is the share of packets, in percent, each side drops on
	// input (an nftables rule: works on every kernel with nf_tables).
	LossPct int
	// ReorderPct is the share of packets, in percent, that skip Delay and
	// so overtake the ones before them (tc netem).
	ReorderPct int
	// Delay holds every packet that is not reordered this long on its way
	// out of each side (tc netem); 0 with ReorderPct set means
	// DefaultReorderDelay, since without a delay nothing can be overtaken.
	Delay time.Duration
}

// DefaultReorderDelay is the delay reordering uses when none is given: long
// enough on a veth for the packets behind a held one to overtake it.
const DefaultReorderDelay = 10 * time.Millisecond

// ErrNoNetem says that the kernel has no netem queueing discipline, which
// --delay and --reorder need.
var ErrNoNetem = errors.New("lab: --delay and --reorder need the kernel's netem queueing discipline (sch_netem), which this kernel does not have: modprobe sch_netem, or use --loss, which needs only nf_tables")

func (i Impairment) netem() bool { return i.ReorderPct > 0 || i.Delay > 0 }

func (i Impairment) delay() time.Duration {
	if i.Delay == 0 && i.ReorderPct > 0 {
		return DefaultReorderDelay
	}
	return i.Delay
}
