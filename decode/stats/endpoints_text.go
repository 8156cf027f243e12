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
	bw.WriteString(e.filter.line())
	if e.kind.hasPorts() {
		bw.WriteString(endpointsHeaderPorts)
	} else {
		bw.WriteString(endpointsHeader)
	}
	var line []byte
	var cell [64]byte
	for _, i := range e.sorted() {
		c := &e.ends[i]
		line = appendLeft(line[:0], c.end.appendAddr(cell[:0]), 20)
		cols := endpointColumns
		if e.kind.hasPorts() {
			line = appendColumn(line, uint64(c.end.port), portColumn)
			cols = endpointPortColumns
		}
		line = appendColumn(line, c.frames(), cols[0])
		line = appendColumn(line, c.bytes(), cols[1])
		line = appendColumn(line, c.txFrames, cols[2])
		line = appendColumn(line, c.txBytes, cols[3])
		line = appendColumn(line, c.rxFrames, cols[4])
		line = appendColumn(line, c.rxBytes, cols[5])
		line = append(line, "   \n"...)
		bw.Write(line)
	}
	bw.WriteString(tableRule)
	return bw.Flush()
}

// A column is a number's place in a row: gap spaces, then the number
// right-aligned in width columns, or wider when it does not fit.
type column struct{ gap, width int }

// The numeric columns of the endpoint tables: packets, bytes, then the
// same sent (Tx) and received (Rx); with a port, the packets' gap is a
// space narrower.
var (
	portColumn          = column{2, 9}
	endpointColumns     = [6]column{{6, 6}, {5, 9}, {5, 6}, {7, 9}, {6, 6}, {7, 9}}
	endpointPortColumns = [6]column{{5, 6}, {5, 9}, {5, 6}, {7, 9}, {6, 6}, {7, 9}}
)

// appendColumn appends n in column c.
func appendColumn(b []byte, n uint64, c column) []byte {
	var cell [20]byte
	b = appendSpaces(b, c.gap)
	return appendRight(b, strconv.AppendUint(cell[:0], n, 10), c.width)
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
