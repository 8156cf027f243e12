package craft

import (
	"context"
	"time"
)

// maxLag is how far a paced run may fall behind before it stops making up
// for it: a pause longer than this (a stopped process, a busy machine) is
// not followed by a burst of the packets it missed.
const maxLag = time.Second

// Pacer spaces packets by absolute deadlines: packet n is due at
// start + n*every, so that the time spent sending, and a timer that fires
// late, do not add up over a run.
type Pacer struct {
	start time.Time
	every time.Duration
	timer *time.Timer
}

// NewPacer paces packets every apart, the first (packet 0) due at start.
func NewPacer(start time.Time, every time.Duration) *Pacer {
	return &Pacer{start: start, every: max(every, 1)}
}

// Went moves the schedule onto the first send: its n packets (0 to n-1)
// went out by at, so packet n is due one interval after it. The time it
// took to get the first packet out (a neighbour to resolve, a cold socket,
// a busy machine) is then not made up for by a burst after it.
func (p *Pacer) Went(n int, at time.Time) {
	p.start = at.Add(-time.Duration(n-1) * p.every)
}

// At is when packet n is due.
func (p *Pacer) At(n int) time.Time {
	return p.start.Add(time.Duration(n) * p.every)
}

// Due is how many packets from n on are due at now: 0 when packet n is
// still to come.
func (p *Pacer) Due(now time.Time, n int) int {
	d := now.Sub(p.start)
	if d < 0 {
		return 0
	}
	return max(0, int(d/p.every)+1-n)
}

// Wait waits until packet n is due, and returns ctx's error if it ends
// first. A run that has fallen more than maxLag behind is moved on, so that
// packet n is due now.
func (p *Pacer) Wait(ctx context.Context, n int) error {
	now := time.Now()
	d := p.At(n).Sub(now)
	if d <= -maxLag && -d > p.every {
		p.start = now.Add(-time.Duration(n) * p.every)
	}
	if d <= 0 {
		return ctx.Err()
	}
	if p.timer == nil {
		p.timer = time.NewTimer(d)
	} else {
		p.timer.Reset(d)
	}
	select {
	case <-p.timer.C:
		return nil
	case <-ctx.Done():
		p.timer.Stop()
		return ctx.Err()
	}
}
