package stats

// I/O statistics (-z io,stat,INTERVAL[,COLUMN...]): the packets and bytes,
// or a calculation over a field, of each column's packets in each interval
// of the capture's time.

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sockscope/sockscope/decode"
	"github.com/sockscope/sockscope/decode/display"
)

func init() {
	register("io,stat", func(args []string, filter string) (Table, error) {
		if len(args) == 0 || args[0] == "" {
			return nil, errors.New("-z io,stat: give the interval in seconds: io,stat,1 (0 for the whole capture)")
		}
		return NewIOStat(args[0], args[1:])
	})
}

// The calculations of a column.
const (
	calcFramesBytes = iota // the plain column: frames and bytes
	calcFrames             // FRAMES
	calcBytes              // BYTES
	calcCount              // COUNT(field): occurrences of the field
	calcSum                // SUM(field)
	calcMin                // MIN(field)
	calcMax                // MAX(field)
	calcAvg                // AVG(field)
)

// calcNames are the calculations' names, as the spec and the header give them.
var calcNames = [...]string{calcFrames: "FRAMES", calcBytes: "BYTES", calcCount: "COUNT", calcSum: "SUM", calcMin: "MIN", calcMax: "MAX", calcAvg: "AVG"}

// The computed frame columns a calculation may read: they are not nodes of
// the tree.
const (
	timeNone = iota
	timeRelative
	timeDelta
	timeDeltaDisplayed
)

// ioColumn is one column of the table: which packets, and what of them.
type ioColumn struct {
	text   string          // the spec, as the header shows it
	expr   string          // its display filter ("" for none)
	name   string          // the field a calculation reads
	calc   int             // calcFramesBytes...
	filter *display.Filter // nil: every packet
	field  decode.FieldID
	tcol   int  // a computed time column instead of field
	isTime bool // values are times (nanoseconds), written in seconds
	signed bool
	// last is the latest interval the column counted a packet in: like
	// tshark's, each column only moves forward, a packet stamped before
	// that interval is counted in it (the column's own: a column that
	// had not counted the packet 24 days later counts the packet after
	// it in its own interval).
	last int64
	// top is, for a time, the largest value (unsigned, see addValue) the
	// calculation took after any packet, in any interval; topped is
	// whether it took one. tshark sizes a time column by it alone (see
	// valueWidth): a SUM of frame.time_delta that was -1.165 s and then
	// -0.267 s is 8 wide (-0.267 s is the larger, and rounds to 0 s), one
	// that was -1.165 s and then 0.6 s 18 wide, and one -0.2 s in an
	// interval is 8 wide whatever the others were.
	top    int64
	topped bool
	// primed is false when no filter of the run names the field (see
	// Prime): tshark then has no value of it to compute with, and the
	// column is 0.
	primed bool
}

// ioCell is one column's sums over one interval.
type ioCell struct {
	frames, bytes uint64
	n             uint64 // occurrences of the field
	sum           int64
	min, max      int64
	// wide is the widest a calculation's value was after any packet of
	// the interval: tshark's column is as wide as the value was at its
	// widest, not only at the end (a MIN column whose interval began with
	// 1448 is four digits wide though its minimum is 55; an AVG of
	// frame.len that passed 1090 before ending at 949, four digits too).
	// A time's is the column's (ioColumn.top).
	wide int
}

// IOStat is tshark's I/O statistics table: for each interval of the given
// length from the first packet, each column's count of packets and bytes,
// or its calculation over a field.
type IOStat struct {
	interval int64 // microseconds; 0: the whole capture
	cols     []ioColumn
	// rows holds the intervals that saw a packet, in order: first[i] is
	// the interval number of the row starting at cells[i*len(cols)].
	first []int64
	cells []ioCell
	// dur is the latest packet's time from the first, in microseconds;
	// any is whether a packet was counted.
	dur int64
	any bool
	// idx is the interval of the latest packet stamped no earlier than
	// the first: tshark counts a packet stamped earlier than the first
	// in the interval of the packet before it.
	idx int64
}

// NewIOStat makes the table of io,stat,interval,columns...: interval in
// seconds (a decimal with up to six places; 0 for the whole capture), each
// column a display filter, "" for every packet, or a calculation
// (COUNT|SUM|MIN|MAX|AVG(field)filter, FRAMES or BYTES[()filter]).
func NewIOStat(interval string, columns []string) (*IOStat, error) {
	us, err := parseMicros(interval)
	if err != nil {
		return nil, fmt.Errorf("-z io,stat,%s: the interval must be a number of seconds, to the microsecond (0.5, 1, 10)", interval)
	}
	s := &IOStat{interval: us}
	if len(columns) == 0 {
		columns = []string{""}
	}
	for _, c := range columns {
		col, err := parseColumn(c)
		if err != nil {
			return nil, fmt.Errorf("-z io,stat: %s: %w", c, err)
		}
		s.cols = append(s.cols, col)
	}
	return s, nil
}

// parseMicros reads a non-negative decimal number of seconds as microseconds.
func parseMicros(s string) (int64, error) {
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" || len(frac) > 6 {
		return 0, errors.New("bad interval")
	}
	var w int64
	if whole != "" {
		v, err := strconv.ParseUint(whole, 10, 32)
		if err != nil {
			return 0, err
		}
		w = int64(v)
	}
	f := int64(0)
	for i := 0; i < 6; i++ {
		f *= 10
		if i < len(frac) {
			if frac[i] < '0' || frac[i] > '9' {
				return 0, errors.New("bad interval")
			}
			f += int64(frac[i] - '0')
		}
	}
	return w*1e6 + f, nil
}

// parseColumn reads one column's spec.
func parseColumn(spec string) (ioColumn, error) {
	col := ioColumn{text: spec}
	expr := spec
	for c := calcFrames; c <= calcAvg; c++ {
		name := calcNames[c]
		if !strings.HasPrefix(spec, name) {
			continue
		}
		rest := spec[len(name):]
		if c == calcFrames || c == calcBytes {
			if rest != "" && !strings.HasPrefix(rest, "()") {
				continue
			}
			col.calc = c
			expr = strings.TrimPrefix(rest, "()")
			break
		}
		if !strings.HasPrefix(rest, "(") {
			continue
		}
		field, after, ok := strings.Cut(rest[1:], ")")
		if !ok {
			return col, errors.New("the calculation's field is not closed by ')'")
		}
		col.calc, expr = c, after
		if err := col.setField(field, expr); err != nil {
			return col, err
		}
		break
	}
	if strings.HasPrefix(spec, "LOAD(") {
		return col, errors.New("LOAD is not computed by sockscope (COUNT, SUM, MIN, MAX, AVG, FRAMES and BYTES are)")
	}
	if strings.TrimSpace(expr) != "" {
		f, err := display.Compile(expr)
		if err != nil {
			return col, err
		}
		col.filter, col.expr = f, expr
	}
	return col, nil
}

// setField sets the field a calculation reads, checking that it has values
// to compute with.
func (c *ioColumn) setField(name, expr string) error {
	c.primed, c.name = namesField(expr, name), name
	switch name {
	case "frame.time_relative":
		c.tcol, c.isTime, c.signed = timeRelative, true, true
		return nil
	case "frame.time_delta":
		c.tcol, c.isTime, c.signed = timeDelta, true, true
		return nil
	case "frame.time_delta_displayed":
		c.tcol, c.isTime, c.signed = timeDeltaDisplayed, true, true
		return nil
	}
	id, ok := decode.Lookup(name)
	if !ok {
		return fmt.Errorf("%s is not a field sockscope knows", name)
	}
	c.field = id
	if c.calc == calcCount {
		return nil
	}
	switch typ := id.Info().Type; {
	case typ.IsInteger():
		c.signed = typ >= decode.TypeInt8 && typ <= decode.TypeInt64
	case typ == decode.TypeRelTime:
		c.isTime, c.signed = true, true
	default:
		return fmt.Errorf("%s doesn't have integral values, so %s(*) calculations are not supported on it", name, calcNames[c.calc])
	}
	return nil
}

// namesField reports whether the display filter expr names field.
func namesField(expr, field string) bool {
	for i := 0; ; {
		j := strings.Index(expr[i:], field)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(field)
		before := j == 0 || !isNameByte(expr[j-1])
		after := end == len(expr) || !isNameByte(expr[end])
		if before && after {
			return true
		}
		i = j + 1
	}
}

func isNameByte(c byte) bool {
	return c == '.' || c == '_' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// micros is d in microseconds, rounded to the nearest.
func micros(d time.Duration) int64 {
	if d < 0 {
		return -((-d + 500) / 1000).Nanoseconds()
	}
	return ((d + 500) / 1000).Nanoseconds()
}

// Add counts the packet of t in its interval.
func (s *IOStat) Add(t *decode.Tree) {
	first := t.First
	if first.IsZero() {
		first = t.CI.Timestamp
	}
	rel := micros(t.CI.Timestamp.Sub(first))
	if !s.any || rel > s.dur {
		s.dur = rel
	}
	s.any = true
	if rel >= 0 {
		s.idx = 0
		if s.interval > 0 {
			s.idx = rel / s.interval
		}
	}
	for i := range s.cols {
		c := &s.cols[i]
		if c.filter != nil && !c.filter.Match(t) {
			continue
		}
		c.last = max(c.last, s.idx)
		cell := &s.cells[s.row(c.last)+i]
		cell.frames++
		cell.bytes += uint64(t.CI.Length)
		if c.calc < calcCount || !c.primed {
			continue
		}
		if c.tcol != timeNone {
			c.addValue(cell, int64(frameTime(t, c.tcol)))
		} else {
			t.Each(c.field, func(_ int, v uint64) bool {
				c.addValue(cell, c.value(v))
				return true
			})
		}
		if cell.n == 0 {
			continue
		}
		if v := c.calcValue(cell); !c.isTime {
			cell.wide = max(cell.wide, c.valueWidth(v))
		} else if !c.topped || uint64(v) > uint64(c.top) {
			c.top, c.topped = v, true
		}
	}
}

// value is a node's value as a signed integer.
func (c *ioColumn) value(v uint64) int64 {
	if c.signed || c.isTime {
		return int64(v)
	}
	if v > math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(v)
}

// addValue counts one occurrence of the field, of value v.
//
// A time is compared as tshark was seen to compare it: as an unsigned
// count of nanoseconds, so that a negative time (a packet stamped before
// the first, or before the one before it) is larger than any other, and
// a MAX of -0.5 s beside 2 s is -0.5 s (see appendSeconds).
func (c *ioColumn) addValue(cell *ioCell, v int64) {
	if c.isTime {
		if cell.n == 0 || uint64(v) < uint64(cell.min) {
			cell.min = v
		}
		if cell.n == 0 || uint64(v) > uint64(cell.max) {
			cell.max = v
		}
		cell.n++
		cell.sum += v
		return
	}
	if cell.n == 0 || v < cell.min {
		cell.min = v
	}
	if cell.n == 0 || v > cell.max {
		cell.max = v
	}
	cell.n++
	cell.sum += v
}

// frameTime is a computed time column's value for the packet of t, in
// nanoseconds.
func frameTime(t *decode.Tree, col int) time.Duration {
	var ref time.Time
	switch col {
	case timeRelative:
		ref = t.First
	case timeDelta:
		ref = t.Previous
	case timeDeltaDisplayed:
		ref = t.Displayed
	}
	if ref.IsZero() {
		return 0
	}
	return t.CI.Timestamp.Sub(ref)
}

// row is the index in cells of the first column of interval iv, added if
// new.
func (s *IOStat) row(iv int64) int {
	k := len(s.cols)
	n := len(s.first)
	if n > 0 && s.first[n-1] == iv {
		return (n - 1) * k
	}
	j := n
	if n > 0 && s.first[n-1] > iv {
		// a column behind the others (see ioColumn.last)
		j = sort.Search(n, func(j int) bool { return s.first[j] >= iv })
		if s.first[j] == iv {
			return j * k
		}
	}
	s.first = slices.Insert(s.first, j, iv)
	s.cells = slices.Insert(s.cells, j*k, make([]ioCell, k)...)
	return j * k
}
