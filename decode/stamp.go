//go:build treedecode

package decode

import (
	"strconv"
	"time"
)

// clock prints the timestamp column of each line, as -t...-ttttt select.
type clock struct {
	opt         *Options
	first, prev time.Time
	started     bool
}

// append writes the timestamp of a packet seen at ts and the space after it.
func (c *clock) append(b []byte, ts time.Time) []byte {
	// Placeholder: the full -t forms are in progress.
	if c.opt.Time == TimeNone {
		return b
	}
	loc := c.opt.Location
	if loc == nil {
		loc = time.Local
	}
	ts = ts.In(loc)
	h, m, s := ts.Clock()
	b = append2(b, h)
	b = append(b, ':')
	b = append2(b, m)
	b = append(b, ':')
	b = append2(b, s)
	b = append(b, '.')
	us := ts.Nanosecond() / 1000
	b = strconv.AppendInt(b, int64(1000000+us), 10)[:len(b)+7]
	copy(b[len(b)-7:], b[len(b)-6:])
	b = b[:len(b)-1]
	return append(b, ' ')
}

func append2(b []byte, v int) []byte { return append(b, byte('0'+v/10), byte('0'+v%10)) }
