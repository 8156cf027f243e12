package capture

import (
	"testing"
	"time"
)

// TestRotationNamesAsTcpdump: the names tcpdump 4.99 gave its files, seen
// running it with -C 1 -G 2 -w 't-%H%M%S' with and without -W: each
// interval's files are named as -C names them, from the interval's own
// name, counting from 0 again; -W makes them a ring of each interval,
// zero-padded to its width.
func TestRotationNamesAsTcpdump(t *testing.T) {
	at := time.Date(2026, 12, 7, 16, 12, 22, 0, time.Local)
	for _, c := range []struct {
		r    Rotation
		n    int
		want string
	}{
		{Rotation{Size: 1e6}, 0, "t-%H%M%S"},
		{Rotation{Size: 1e6}, 2, "t-%H%M%S2"},
		{Rotation{Size: 1e6, Files: 12}, 3, "t-%H%M%S03"},
		{Rotation{Interval: 2 * time.Second}, 4, "t-161222"},
		{Rotation{Interval: 2 * time.Second, Size: 1e6}, 0, "t-161222"},
		{Rotation{Interval: 2 * time.Second, Size: 1e6}, 1, "t-1612221"},
		{Rotation{Interval: 2 * time.Second, Size: 1e6}, 3, "t-1612223"},
		{Rotation{Interval: 2 * time.Second, Size: 1e6, Files: 5}, 0, "t-1612220"},
		{Rotation{Interval: 2 * time.Second, Size: 1e6, Files: 12}, 1, "t-16122201"},
		{Rotation{Interval: 2 * time.Second, Size: 1e6, Files: 2}, 2, "t-1612220"},
	} {
		if got := c.r.fileName("t-%H%M%S", c.n, at); got != c.want {
			t.Errorf("%+v, file %d: %q, want %q", c.r, c.n, got, c.want)
		}
	}
}
