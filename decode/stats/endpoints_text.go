package stats

import (
	"bufio"
	"io"
	"sort"
	"strconv"
)

// Column headers of the endpoint tables: TCP's and UDP's have a port.
const (
	endpointsHeader      = "                       |  Packets  | |  Bytes  | | Tx Packets | | Tx Bytes | | Rx Packets | | Rx Bytes |\n"
	endpointsHeaderPorts = "                       |  Port  ||  Packets  | |  Bytes  | | Tx Packets | | Tx Bytes | | Rx Packets | | Rx Bytes |\n"
)

// WriteText writes the table as tshark -q -z endpoints,TYPE does: the
// most packets first, ends with as many in the order they were seen.
func (e *endpointsTable) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(tableRule)
	bw.WriteString(e.kind.title + " Endpoints\n")
	writeFilterLine(bw, e.filter)
	packetsWidth := 10
	if e.kind.hasPorts() {
		packetsWidth = 9
		bw.WriteString(endpointsHeaderPorts)
	} else {
		bw.WriteString(endpointsHeader)
	}
	var line, cell []byte
	for _, i := range e.sorted() {
		c := &e.ends[i]
		line = appendLeft(line[:0], c.end.appendAddr(cell[:0]), 20)
		if e.kind.hasPorts() {
			line = appendNumber(line, uint64(c.end.port), 9)
		}
		line = appendNumber(line, c.frames(), packetsWidth)
		line = appendNumber(line, c.bytes(), 12)
		line = appendNumber(line, c.txFrames, 9)
		line = appendNumber(line, c.txBytes, 14)
		line = appendNumber(line, c.rxFrames, 10)
		line = appendNumber(line, c.rxBytes, 14)
		line = append(line, "   \n"...)
		bw.Write(line)
	}
	bw.WriteString(tableRule)
	return bw.Flush()
}

// appendNumber appends two spaces and n right-aligned in width columns.
func appendNumber(b []byte, n uint64, width int) []byte {
	var cell [20]byte
	b = append(b, "  "...)
	return appendRight(b, strconv.AppendUint(cell[:0], n, 10), width)
}

// sorted is the order of the table's rows: the most packets first, ties
// in the order the ends were first seen.
func (e *endpointsTable) sorted() []int {
	order := make([]int, len(e.ends))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool {
		return e.ends[order[x]].frames() > e.ends[order[y]].frames()
	})
	return order
}
