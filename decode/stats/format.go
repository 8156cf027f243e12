package stats

import (
	"strconv"
	"time"
)

// appendSize appends n bytes as tshark's conversation tables write a
// size: the number in the largest decimal unit (kB, MB, GB, TB) of which
// it holds at least ten, the rest dropped, not rounded ("9999 bytes", "10
// kB", "1174 kB" for 1174729 bytes). n is read as signed: a sum that
// frameBytes made negative is written in bytes, with its sign.
func appendSize(b []byte, n uint64) []byte {
	for _, u := range sizeUnits {
		if int64(n) >= 0 && n/u.scale >= 10 {
			b = strconv.AppendUint(b, n/u.scale, 10)
			return append(b, u.name...)
		}
	}
	b = strconv.AppendInt(b, int64(n), 10)
	return append(b, " bytes"...)
}

// sizeUnits are appendSize's units, largest first.
var sizeUnits = [...]struct {
	scale uint64
	name  string
}{
	{1e12, " TB"}, {1e9, " GB"}, {1e6, " MB"}, {1e3, " kB"},
}

// appendRight appends s right-aligned in width columns (printf's %*s):
// longer text is not cut.
func appendRight(b []byte, s []byte, width int) []byte {
	b = appendSpaces(b, width-len(s))
	return append(b, s...)
}

// appendLeft appends s left-aligned in width columns (printf's %-*s).
func appendLeft(b []byte, s []byte, width int) []byte {
	b = append(b, s...)
	return appendSpaces(b, width-len(s))
}

// appendSpaces appends n spaces (none when n <= 0).
func appendSpaces(b []byte, n int) []byte {
	for ; n > 0; n-- {
		b = append(b, ' ')
	}
	return b
}

// seconds is d as tshark turns a time into seconds: the whole seconds plus
// the nanoseconds over a billion, both with d's sign, as float64.
func seconds(d time.Duration) float64 {
	return float64(d/time.Second) + float64(d%time.Second)/1e9
}
