package stats

import (
	"bufio"
	"io"
	"sort"
	"strconv"
)

// tableRule is the line above and below every table.
const tableRule = "================================================================================\n"

// Column headers of the conversation tables: TCP's and UDP's ends are
// wider, for their ports.
const (
	convHeader = "                                               |       <-      | |       ->      | |     Total     |    Relative    |   Duration   |\n" +
		"                                               | Frames  Bytes | | Frames  Bytes | | Frames  Bytes |      Start     |              |\n"
	convHeaderPorts = "                                                           |       <-      | |       ->      | |     Total     |    Relative    |   Duration   |\n" +
		"                                                           | Frames  Bytes | | Frames  Bytes | | Frames  Bytes |      Start     |              |\n"
)

// WriteText writes the table as tshark -q -z conv,TYPE does: the most
// frames first, and conversations with as many in the order they were
// first seen.
func (c *convTable) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(tableRule)
	bw.WriteString(c.kind.title + " Conversations\n")
	bw.WriteString(c.filter.line())
	width := 20
	if c.kind.hasPorts() {
		width = 26
		bw.WriteString(convHeaderPorts)
	} else {
		bw.WriteString(convHeader)
	}
	var line []byte
	var cell [64]byte
	for _, i := range c.sorted() {
		cv := &c.convs[i]
		line = appendLeft(line[:0], c.appendEnd(cell[:0], &cv.a), width)
		line = append(line, " <-> "...)
		line = appendLeft(line, c.appendEnd(cell[:0], &cv.b), width)
		line = appendFramesBytes(line, cv.framesBA, cv.bytesBA)
		line = appendFramesBytes(line, cv.framesAB, cv.bytesAB)
		line = appendFramesBytes(line, cv.frames(), cv.bytes())
		line = append(line, "  "...)
		line = appendRight(line, strconv.AppendFloat(cell[:0], seconds(cv.start), 'f', 9, 64), 14)
		line = append(line, "   "...)
		line = appendRight(line, strconv.AppendFloat(cell[:0], seconds(cv.stop)-seconds(cv.start), 'f', 4, 64), 12)
		line = append(line, '\n')
		bw.Write(line)
	}
	bw.WriteString(tableRule)
	return bw.Flush()
}

// appendEnd appends one end as the table names it: the address, and the
// port for TCP and UDP.
func (c *convTable) appendEnd(b []byte, e *endpoint) []byte {
	if c.kind.hasPorts() {
		return e.appendAddrPort(b)
	}
	return e.appendAddr(b)
}

// appendFramesBytes appends one "Frames Bytes" column pair.
func appendFramesBytes(b []byte, frames, bytes uint64) []byte {
	var cell [24]byte
	b = append(b, "  "...)
	b = appendRight(b, strconv.AppendUint(cell[:0], frames, 10), 6)
	b = append(b, ' ')
	return appendLeft(b, appendSize(cell[:0], bytes), 9)
}

// sorted is the order of the table's rows: the most frames first, ties
// in the order the conversations were first seen.
func (c *convTable) sorted() []int {
	order := make([]int, len(c.convs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool {
		return c.convs[order[x]].frames() > c.convs[order[y]].frames()
	})
	return order
}
