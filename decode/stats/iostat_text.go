package stats

// The layout of tshark's I/O statistics: a box as wide as its columns (or
// its longest column spec), the capture's duration and the interval at the
// precision of the interval given, a row per interval with its time span.

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// MaxTextIntervals is the most rows WriteText writes.
const MaxTextIntervals = 10_000_000

// headlessWidth is the width of a column whose heading tshark leaves out
// of the headings' line, the line's end written as if it were there: a
// time of 99999.6 s (13 wide, sized as 100000 s) has no heading, one of
// 99999.4 s (12 wide) has.
const headlessWidth = 13

// ioLayout is what the text's widths and numbers are computed from.
type ioLayout struct {
	dur, iv int64 // microseconds
	prec    int   // decimals of the times (0: whole seconds)
	rows    int64
	// rowW is the width of the times in the rows, from the duration's
	// whole seconds; boxW the width the box is laid out for, from the
	// duration rounded to prec (one more digit when it rounds up to a
	// power of ten: tshark's rows are then narrower than its header).
	rowW, boxW int
	colW       int  // the interval column's text width
	pad        int  // spaces either side of a row's times in a wide column
	whole      bool // one interval, the whole capture
}

// layout computes the layout of the table as it stands.
func (s *IOStat) layout() ioLayout {
	l := ioLayout{dur: s.dur, iv: s.interval}
	if l.iv == 0 || l.iv >= l.dur {
		l.iv, l.whole = l.dur, true
		l.prec = 3
		if l.dur >= 10e6 {
			l.prec = 1
		}
	} else {
		l.prec = 6
		for v := l.iv; l.prec > 0 && v%10 == 0; v /= 10 {
			l.prec--
		}
	}
	if l.dur > 0 && l.iv > 0 {
		l.rows = (l.dur + l.iv - 1) / l.iv
	}
	l.rowW = digits(l.dur / 1e6)
	rounded := decimalSeconds(l.dur, l.prec)
	whole, _, _ := strings.Cut(rounded, ".")
	l.boxW = min(len(whole), 5)
	if l.prec > 0 {
		l.rowW += 1 + l.prec
		l.boxW += 1 + l.prec
	}
	l.colW = max(len("Interval"), 2*l.boxW+4)
	l.pad = (l.colW - (2*l.boxW + 4)) / 2
	return l
}

// digits is the number of decimal digits of n, at most 5.
func digits(n int64) int {
	d := 1
	for ; n >= 10 && d < 5; n /= 10 {
		d++
	}
	return d
}

// appendTime writes us microseconds as seconds at the layout's precision,
// right-aligned in w.
func (l *ioLayout) appendTime(b []byte, us int64, w int) []byte {
	var s string
	if l.prec == 0 {
		s = strconv.FormatInt(us/1e6, 10)
	} else {
		s = decimalSeconds(us, l.prec)
	}
	return padRight(b, s, w)
}

// decimalSeconds writes us microseconds (not negative) as seconds with
// prec decimals (1 to 6), a half rounded down as tshark rounds a duration:
// 3.85 s to a tenth is 3.8, 0.75 s is 0.7, 99.999997 s is 100.0.
func decimalSeconds(us int64, prec int) string {
	unit, scale := int64(1), int64(1)
	for i := prec; i < 6; i++ {
		unit *= 10
	}
	for i := 0; i < prec; i++ {
		scale *= 10
	}
	q := us / unit
	if us%unit > unit/2 {
		q++
	}
	f := strconv.FormatInt(q%scale+scale, 10)
	return strconv.FormatInt(q/scale, 10) + "." + f[1:]
}

// padRight appends the string s right-aligned in w columns.
func padRight(b []byte, s string, w int) []byte {
	b = appendSpaces(b, w-len(s))
	return append(b, s...)
}

// padLeft appends the string s left-aligned in w columns.
func padLeft(b []byte, s string, w int) []byte {
	b = append(b, s...)
	return appendSpaces(b, w-len(s))
}

// appendCentred writes s in w columns, the odd space on its left.
func appendCentred(b []byte, s string, w int) []byte {
	extra := w - len(s)
	if extra < 0 {
		extra = 0
	}
	left := (extra + 1) / 2
	b = append(b, strings.Repeat(" ", left)...)
	b = append(b, s...)
	return append(b, strings.Repeat(" ", extra-left)...)
}

// subLabels are the headings of column c's values.
func (c *ioColumn) subLabels() []string {
	if c.calc == calcFramesBytes {
		return []string{"Frames", "Bytes"}
	}
	return []string{calcNames[c.calc]}
}

// appendValue writes value j of column c's cell.
func (c *ioColumn) appendValue(b []byte, cell *ioCell, j int) []byte {
	switch c.calc {
	case calcFramesBytes:
		if j == 0 {
			return strconv.AppendUint(b, cell.frames, 10)
		}
		return strconv.AppendUint(b, cell.bytes, 10)
	case calcFrames:
		return strconv.AppendUint(b, cell.frames, 10)
	case calcBytes:
		return strconv.AppendUint(b, cell.bytes, 10)
	case calcCount:
		return strconv.AppendUint(b, cell.n, 10)
	}
	v := c.calcValue(cell)
	if c.isTime {
		return appendSeconds(b, v)
	}
	return strconv.AppendInt(b, v, 10)
}

// textWidth is the width value j of cell needs in the text: a count's
// own, a calculation's widest after a packet of the interval, a time's
// the column's (by valueWidth's rule, which may be narrower than the time
// written).
func (c *ioColumn) textWidth(cell *ioCell, j int) int {
	switch {
	case c.calc <= calcCount:
		return len(c.appendValue(nil, cell, j))
	case c.isTime && c.topped:
		return c.valueWidth(c.top)
	case cell.n == 0 || c.isTime:
		return c.valueWidth(0)
	}
	return max(c.valueWidth(c.calcValue(cell)), cell.wide)
}

// valueWidth is the width tshark gives v, a calculation's value (SUM,
// MIN, MAX, AVG).
func (c *ioColumn) valueWidth(v int64) int {
	if c.isTime {
		// tshark sizes a time by its seconds rounded to the nearest
		// whole, then ".uuuuuu": 9.4999 s is 8 wide, 9.5001 s 9 wide
		// though it is written 9.500100. The nanoseconds are unsigned
		// and the rounding wraps: -0.5 s is 8 wide, -1 s 18.
		return 7 + udigits((uint64(v)+5e8)/1e9)
	}
	w := 0
	u := uint64(v)
	if v < 0 {
		w, u = 1, uint64(-v)
	}
	return w + udigits(u)
}

// udigits is the number of decimal digits of u.
func udigits(u uint64) int {
	d := 1
	for ; u >= 10; u /= 10 {
		d++
	}
	return d
}

// calcValue is the value of a calculation (SUM, MIN, MAX, AVG) over cell,
// 0 when it counted no value.
func (c *ioColumn) calcValue(cell *ioCell) int64 {
	if cell.n == 0 {
		return 0
	}
	switch c.calc {
	case calcSum:
		return cell.sum
	case calcMin:
		return cell.min
	case calcMax:
		return cell.max
	case calcAvg:
		if c.isTime {
			return int64(uint64(cell.sum) / cell.n)
		}
		return cell.sum / int64(cell.n)
	}
	return 0
}

// appendSeconds writes ns nanoseconds as seconds to the microsecond, as
// tshark writes a time it computed: the nanoseconds unsigned (a negative
// time wraps, -1 s is 2^64 ns less 10^9) and the seconds cut to 32 bits
// (-1 s is written 1266874888.709552, -0.5 s 1266874889.209552).
func appendSeconds(b []byte, ns int64) []byte {
	us := (uint64(ns) + 500) / 1000
	b = strconv.AppendUint(b, uint64(uint32(us/1e6)), 10)
	b = append(b, '.')
	f := strconv.FormatUint(us%1e6+1e6, 10)
	return append(b, f[1:]...)
}

// WriteText writes the table as tshark -q -z io,stat,... does.
//
// Its memory holds only the intervals that saw a packet, whatever the
// capture's span: the empty ones are written as they come. Past
// MaxTextIntervals rows (a clock that jumps years, at a second's interval
// or less) it writes nothing and says to give a longer interval: tshark
// writes every one, and was seen to grow by gigabytes doing so.
func (s *IOStat) WriteText(w io.Writer) error {
	l := s.layout()
	if l.rows > MaxTextIntervals {
		return fmt.Errorf("-z io,stat: %d intervals of %s s in %s s of capture, more than the %d the text writes; give a longer interval, or --json (which lists only the intervals that saw a packet)",
			l.rows, strconv.FormatFloat(float64(s.interval)/1e6, 'f', -1, 64), strconv.FormatFloat(float64(l.dur)/1e6, 'f', -1, 64), MaxTextIntervals)
	}
	k := len(s.cols)
	// The widths of each column's values: their headings' or their
	// longest value's, in any interval: one past the last (a packet at the
	// very end of the capture, when its duration is a whole number of
	// intervals) counts here, though the rows leave it out, as tshark does.
	var subW [][]int
	var scratch []byte
	for i := range s.cols {
		labels := s.cols[i].subLabels()
		ws := make([]int, len(labels))
		for j, lab := range labels {
			ws[j] = max(len(lab), 1)
			for r := range s.first {
				ws[j] = max(ws[j], s.cols[i].textWidth(&s.cells[r*k+i], j))
			}
			if s.cols[i].calc > calcCount {
				// as wide as 0 (0.000000 for times), which an empty
				// interval shows: tshark's time column is 8 wide in a
				// capture without a packet
				scratch = s.cols[i].appendValue(scratch[:0], &ioCell{}, j)
				ws[j] = max(ws[j], len(scratch))
			}
		}
		subW = append(subW, ws)
	}
	colInner := make([]int, k)
	tableW := 1 + l.colW + 2 + 1
	for i, ws := range subW {
		for j, sw := range ws {
			if j > 0 {
				colInner[i]++
			}
			colInner[i] += sw + 2
		}
		tableW += colInner[i] + 1
	}
	colLines := make([]string, k)
	W := tableW
	// The box is at least 25 columns wider than the duration's seconds
	// written at the rows' precision, not rounded (26 for 2.635004 s in
	// intervals of a second, 26 too for 9.9 s), 30 when one interval is
	// the whole capture (35 for 9.999, 34 for 99.9 and for 99.96).
	W = max(W, 25+l.rowW)
	if l.whole {
		W = max(W, 30+l.rowW)
	}
	for i, c := range s.cols {
		text := c.text
		if c.calc == calcFramesBytes && c.filter == nil {
			text = "Frames and bytes"
		}
		head := "   "
		if i == 0 {
			head = "Col"
		}
		num := strconv.Itoa(i + 1)
		if len(num) < 2 {
			num = " " + num
		}
		colLines[i] = "| " + head + num + ": " + text
		W = max(W, len(colLines[i])+2)
	}
	if W == tableW+1 {
		// the table's lines end in a space and a bar of the box's own
		W++
	}

	bw := bufio.NewWriter(w)
	var b []byte
	line := func(s string) {
		b = append(b[:0], s...)
		for len(b) < W-1 {
			b = append(b, ' ')
		}
		b = append(b, "|\n"...)
		bw.Write(b)
	}
	// tableLine ends a line of the table's own width, in a box made wider
	// by a long column spec.
	tableLine := func() {
		if W > tableW {
			b = append(b, strings.Repeat(" ", W-tableW-1)...)
			b = append(b, '|')
		}
		b = append(b, '\n')
		bw.Write(b)
	}
	rule := strings.Repeat("=", W)
	bw.WriteString("\n" + rule + "\n")
	line("| IO Statistics")
	line("|")
	// The duration and the interval are written in the width the box was
	// laid out for, which a duration of more than 99999 seconds exceeds.
	nominal := l.boxW
	b = append(b[:0], "| Duration: "...)
	if l.prec == 0 {
		b = strconv.AppendInt(b, l.dur/1e6, 10)
		b = append(b, '.')
		b = padRight(b, strconv.FormatInt(l.dur%1e6, 10), 6)
		nominal += 7
	} else {
		b = l.appendTime(b, l.dur, 0)
	}
	b = append(b, " secs"...)
	b = append(b, strings.Repeat(" ", max(0, W-18-nominal))...)
	b = append(b, "|\n"...)
	bw.Write(b)
	b = append(b[:0], "| Interval: "...)
	b = l.appendTime(b, l.iv, l.rowW)
	b = append(b, " secs"...)
	b = append(b, strings.Repeat(" ", max(0, W-18-l.boxW))...)
	b = append(b, "|\n"...)
	bw.Write(b)
	line("|")
	for _, c := range colLines {
		line(c)
	}
	line("|" + strings.Repeat("-", W-2))
	b = append(b[:0], '|')
	b = append(b, strings.Repeat(" ", l.colW+2)...)
	for i := range s.cols {
		b = append(b, '|')
		b = padLeft(b, strconv.Itoa(i+1), colInner[i])
	}
	b = append(b, '|')
	tableLine()
	b = append(b[:0], "| "...)
	b = padLeft(b, "Interval", l.colW)
	b = append(b, " |"...)
	for i := range s.cols {
		for j, lab := range s.cols[i].subLabels() {
			if subW[i][j] >= headlessWidth {
				continue
			}
			b = append(b, ' ')
			b = appendCentred(b, lab, subW[i][j])
			b = append(b, " |"...)
		}
	}
	tableLine()
	b = append(b[:0], '|')
	b = append(b, strings.Repeat("-", tableW-2)...)
	b = append(b, '|')
	tableLine()

	pad := strings.Repeat(" ", l.pad)
	var empty []ioCell
	next := 0
	for r := int64(0); r < l.rows; r++ {
		cells := empty
		if next < len(s.first) && s.first[next] == r {
			cells = s.cells[next*k : (next+1)*k]
			next++
		} else if empty == nil {
			empty = make([]ioCell, k)
			cells = empty
		}
		b = append(b[:0], "| "...)
		b = append(b, pad...)
		b = l.appendTime(b, r*l.iv, l.rowW)
		b = append(b, " <> "...)
		switch {
		case r == l.rows-1 && l.prec == 0:
			b = padLeft(b, "Dur", l.boxW+l.pad+1)
			b = append(b, '|')
		case r == l.rows-1:
			b = l.appendTime(b, l.dur, l.rowW)
			b = append(b, pad...)
			b = append(b, " |"...)
		default:
			b = l.appendTime(b, (r+1)*l.iv, l.rowW)
			b = append(b, pad...)
			b = append(b, " |"...)
		}
		for i := range s.cols {
			for j := range subW[i] {
				b = append(b, ' ')
				scratch = s.cols[i].appendValue(scratch[:0], &cells[i], j)
				b = padRight(b, string(scratch), subW[i][j])
				b = append(b, " |"...)
			}
		}
		tableLine()
		if bw.Buffered() > 32<<10 {
			if err := bw.Flush(); err != nil {
				return err
			}
		}
	}
	bw.WriteString(rule + "\n")
	return bw.Flush()
}

// IOStatJSON is the table as JSON gives it.
type IOStatJSON struct {
	Duration  float64        `json:"duration"`  // seconds from the first packet to the last
	Interval  float64        `json:"interval"`  // seconds; the duration when 0 was asked or it is longer
	Intervals int64          `json:"intervals"` // how many intervals the text has a row for
	Columns   []IOColumnJSON `json:"columns"`
	// Rows are the intervals that saw a packet, in order: an interval
	// left out has every value 0. (The text writes each interval; a
	// capture whose clock jumps years would make billions of them.)
	Rows []IORowJSON `json:"rows"`
}

// IOColumnJSON is a column: its spec, and the calculation ("frames and
// bytes", "COUNT"...).
type IOColumnJSON struct {
	Spec string `json:"spec"`
	Calc string `json:"calc"`
}

// IORowJSON is one interval: its number from 0, its start and end in
// seconds from the first packet (the last ends at the duration), and each
// column's values, by their heading ("frames", "bytes", "count", "sum",
// "min", "max", "avg"): integers, or seconds for a time field.
type IORowJSON struct {
	Index  int64            `json:"index"`
	Start  float64          `json:"start"`
	End    float64          `json:"end"`
	Values []map[string]any `json:"values"`
}

// JSON is the table as an IOStatJSON value.
func (s *IOStat) JSON() any {
	l := s.layout()
	k := len(s.cols)
	out := IOStatJSON{Duration: float64(l.dur) / 1e6, Interval: float64(l.iv) / 1e6, Intervals: l.rows, Rows: []IORowJSON{}}
	for _, c := range s.cols {
		calc := "frames and bytes"
		if c.calc != calcFramesBytes {
			calc = calcNames[c.calc]
		}
		out.Columns = append(out.Columns, IOColumnJSON{Spec: c.text, Calc: calc})
	}
	for next, r := range s.first {
		if r >= l.rows {
			break
		}
		cells := s.cells[next*k : (next+1)*k]
		end := (r + 1) * l.iv
		if r == l.rows-1 {
			end = l.dur
		}
		row := IORowJSON{Index: r, Start: float64(r*l.iv) / 1e6, End: float64(end) / 1e6}
		for i := range s.cols {
			c := &s.cols[i]
			m := map[string]any{}
			for j, lab := range c.subLabels() {
				v := string(c.appendValue(nil, &cells[i], j))
				if n, err := strconv.ParseInt(v, 10, 64); err == nil {
					m[strings.ToLower(lab)] = n
				} else if f, err := strconv.ParseFloat(v, 64); err == nil {
					m[strings.ToLower(lab)] = f
				}
			}
			row.Values = append(row.Values, m)
		}
		out.Rows = append(out.Rows, row)
	}
	return out
}
