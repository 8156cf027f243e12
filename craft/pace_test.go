package craft

import (
	"context"
	"testing"
	"time"
)

func TestPacerDeadlinesAreAbsolute(t *testing.T) {
	start := time.Unix(1000, 0)
	p := NewPacer(start, 10*time.Millisecond)
	if got := p.At(5); !got.Equal(start.Add(50 * time.Millisecond)) {
		t.Errorf("packet 5 due at %v, want start+50ms", got)
	}
	for _, c := range []struct {
		after time.Duration
		n     int
		due   int
	}{
		{-time.Millisecond, 0, 0}, // before the start
		{0, 0, 1},                 // packet 0 at once
		{9 * time.Millisecond, 1, 0},
		{10 * time.Millisecond, 1, 1},
		{35 * time.Millisecond, 1, 3}, // late: packets 1, 2 and 3 are all due
		{35 * time.Millisecond, 4, 0},
	} {
		if got := p.Due(start.Add(c.after), c.n); got != c.due {
			t.Errorf("at start+%v, from packet %d: %d due, want %d", c.after, c.n, got, c.due)
		}
	}
}

// TestPacedRunDoesNotDrift: 20 waits of 5 ms take 95 ms from the first
// deadline however long each send takes, as long as it takes less than 5 ms.
func TestPacedRunDoesNotDrift(t *testing.T) {
	start := time.Now()
	p := NewPacer(start, 5*time.Millisecond)
	for n := range 20 {
		if err := p.Wait(context.Background(), n); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Millisecond) // the "send"
	}
	if d := time.Since(start); d < 95*time.Millisecond || d > 500*time.Millisecond {
		t.Errorf("20 packets 5 ms apart took %v, want about 97 ms", d)
	}
}

func TestPacerWaitEndsWithTheContext(t *testing.T) {
	p := NewPacer(time.Now(), time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if err := p.Wait(ctx, 1); err == nil {
		t.Error("Wait for a packet an hour away returned nil when the context ended")
	}
}

// TestPacerDoesNotBurstAfterAPause: a run that fell more than maxLag behind
// goes on from now instead of sending what it missed at once.
func TestPacerDoesNotBurstAfterAPause(t *testing.T) {
	start := time.Now().Add(-10 * time.Second)
	p := NewPacer(start, 100*time.Millisecond)
	if err := p.Wait(context.Background(), 3); err != nil {
		t.Fatal(err)
	}
	if due := p.Due(time.Now(), 3); due != 1 {
		t.Errorf("after a 10 s pause, %d packets due at once, want 1", due)
	}
}

// TestPacerStartsWhenTheFirstPacketWent: a first send that took 30 ms of a
// 5 ms pace does not leave packets 1 to 6 due at once; packet 1 is due one
// interval after the first went out.
func TestPacerStartsWhenTheFirstPacketWent(t *testing.T) {
	start := time.Unix(1000, 0)
	p := NewPacer(start, 5*time.Millisecond)
	went := start.Add(30 * time.Millisecond)
	p.Went(1, went)
	if due := p.Due(went, 1); due != 0 {
		t.Errorf("right after a late first packet, %d packets due, want 0", due)
	}
	if got := p.At(1); !got.Equal(went.Add(5 * time.Millisecond)) {
		t.Errorf("packet 1 due at %v, want %v", got, went.Add(5*time.Millisecond))
	}
	p.Went(2, went) // a first batch of two: packet 2 is next
	if got := p.At(2); !got.Equal(went.Add(5 * time.Millisecond)) {
		t.Errorf("after a first batch of 2, packet 2 due at %v, want %v", got, went.Add(5*time.Millisecond))
	}
}
