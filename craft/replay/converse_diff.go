package replay

import (
	"bytes"
	"fmt"
)

// diffContext is how many bytes around a first difference a diff quotes.
const diffContext = 24

// bytesDiff describes how live differs from recorded in one line: the
// lengths and the first byte that differs, with a little of each side
// quoted from there. It returns "" when they are equal.
func bytesDiff(recorded, live []byte) string {
	if bytes.Equal(recorded, live) {
		return ""
	}
	i := 0
	for i < len(recorded) && i < len(live) && recorded[i] == live[i] {
		i++
	}
	from := max(0, i-diffContext/3)
	return fmt.Sprintf("recorded %d bytes, live %d; first difference at byte %d: recorded %s, live %s",
		len(recorded), len(live), i, quote(recorded, from), quote(live, from))
}

// quote shows b from byte from, cut to diffContext bytes, as a Go string.
func quote(b []byte, from int) string {
	if from >= len(b) {
		return "(end)"
	}
	s := b[from:]
	more := ""
	if len(s) > diffContext {
		s, more = s[:diffContext], "..."
	}
	lead := ""
	if from > 0 {
		lead = "..."
	}
	return fmt.Sprintf("%s%q%s", lead, s, more)
}
