package decode

import (
	"strconv"
	"time"
)

// clock prints the timestamp column of each line, as -t...-ttttt select,
// the way tcpdump prints it. Its arithmetic is on the stamps as tcpdump sees
// them: whole seconds and a fraction in microseconds (or nanoseconds with
// Options.Nano), the fraction cut, not rounded, from the capture's
// nanoseconds.
type clock struct {
	opt *Options
	// first is the reference of -ttttt, prev the previous packet's stamp
	// for -ttt. A zero stamp is no reference: the next packet becomes it,
	// so a packet stamped at the epoch starts nothing (tcpdump's behaviour).
	first, prev stamp
	// wall caches the date and clock text of second wallSec: packets come
	// many to a second, and a zone lookup per packet is not free.
	wall    []byte
	wallSec int64
}

// stamp is a timestamp in tcpdump's terms: seconds since the epoch and a
// fraction of a second in the printed unit.
type stamp struct{ sec, frac int64 }

// timeError is what tcpdump prints instead of a time it cannot convert.
const timeError = "[Error converting time]"

// stampOf converts ts. Classic pcap files hold the seconds as 32 bits that
// tcpdump reads signed: a value with bit 31 set is a time before 1970.
func (c *clock) stampOf(ts time.Time) stamp {
	sec := ts.Unix()
	if sec >= 1<<31 && sec < 1<<32 {
		sec -= 1 << 32
	}
	frac := int64(ts.Nanosecond())
	if !c.opt.Nano {
		frac /= 1000
	}
	return stamp{sec, frac}
}

// unit is one second in the fraction's unit.
func (c *clock) unit() int64 {
	if c.opt.Nano {
		return 1e9
	}
	return 1e6
}

// append writes the timestamp of a packet seen at ts and the space after it.
func (c *clock) append(b []byte, ts time.Time) []byte {
	if c.opt.Time == TimeNone {
		return b
	}
	s := c.stampOf(ts)
	switch c.opt.Time {
	case TimeUnix:
		if int32(s.sec) < 0 {
			return append(b, timeError+" "...)
		}
		b = strconv.AppendUint(b, uint64(uint32(s.sec)), 10)
		b = c.appendFrac(b, s.frac)
	case TimeDelta:
		if c.prev == (stamp{}) {
			c.prev = s
		}
		b = c.appendRel(b, s, c.prev)
		c.prev = s
	case TimeSinceFirst:
		if c.first == (stamp{}) {
			c.first = s
		}
		b = c.appendRel(b, s, c.first)
	default: // TimeDefault, TimeDate
		if int32(s.sec) < 0 {
			return append(b, timeError+" "...)
		}
		if c.wall == nil || c.wallSec != s.sec {
			c.wall = c.appendWall(c.wall[:0], s.sec)
			c.wallSec = s.sec
		}
		b = append(b, c.wall...)
		b = c.appendFrac(b, s.frac)
	}
	return append(b, ' ')
}

// appendWall writes second sec as a wall clock in the zone of the options
// (and its date before it with -tttt).
func (c *clock) appendWall(b []byte, sec int64) []byte {
	loc := c.opt.Location
	if loc == nil {
		loc = time.Local
	}
	t := time.Unix(sec, 0).In(loc)
	if c.opt.Time == TimeDate {
		y, mo, d := t.Date()
		b = appendPad(b, int64(y), 4)
		b = append(b, '-')
		b = appendPad(b, int64(mo), 2)
		b = append(b, '-')
		b = appendPad(b, int64(d), 2)
		b = append(b, ' ')
	}
	h, m, s := t.Clock()
	return appendHMS(b, int64(h), int64(m), int64(s))
}

// appendRel writes s-ref as -ttt and -ttttt do: a sign (a space or '-'),
// then hours (modulo a day), minutes, seconds and the fraction; a
// difference of 2^31 seconds or more is a conversion error.
func (c *clock) appendRel(b []byte, s, ref stamp) []byte {
	unit := c.unit()
	sec, frac := s.sec-ref.sec, s.frac-ref.frac
	for frac < 0 {
		frac += unit
		sec--
	}
	for frac >= unit {
		frac -= unit
		sec++
	}
	if sec < 0 {
		b = append(b, '-')
		if frac > 0 {
			sec, frac = -sec-1, unit-frac
		} else {
			sec = -sec
		}
	} else {
		b = append(b, ' ')
	}
	if int32(sec) < 0 {
		return append(b, timeError...)
	}
	b = appendHMS(b, sec/3600%24, sec/60%60, sec%60)
	return c.appendFrac(b, frac)
}

// appendFrac writes '.' and the fraction, 6 or 9 digits.
func (c *clock) appendFrac(b []byte, frac int64) []byte {
	b = append(b, '.')
	if c.opt.Nano {
		return appendPad(b, frac, 9)
	}
	return appendPad(b, frac, 6)
}

// appendHMS writes hh:mm:ss.
func appendHMS(b []byte, h, m, s int64) []byte {
	b = appendPad(b, h, 2)
	b = append(b, ':')
	b = appendPad(b, m, 2)
	b = append(b, ':')
	return appendPad(b, s, 2)
}

// appendPad writes v (not negative) in decimal with at least width digits.
func appendPad(b []byte, v int64, width int) []byte {
	var d [20]byte
	i := len(d)
	for v >= 10 || width > 1 {
		i--
		d[i] = byte('0' + v%10)
		v /= 10
		width--
	}
	i--
	d[i] = byte('0' + v)
	return append(b, d[i:]...)
}
