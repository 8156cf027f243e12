package stats

import "github.com/sockscope/sockscope/decode"

func init() { register("endpoints", newEndpointsTable) }

// endpointsTable is -z endpoints,TYPE: what each end sent and received.
type endpointsTable struct {
	kind   *tableKind
	filter tableFilter
	index  map[endpoint]int32 // finds an end's row in ends
	ends   []endpointCounts
	// recent are the rows found last: a packet's two ends, which the next
	// packet's often are too, and a comparison is cheaper than the map.
	recent [2]int32
}

// endpointCounts are one end's counts; bytes are frame lengths.
type endpointCounts struct {
	end               endpoint
	txFrames, txBytes uint64
	rxFrames, rxBytes uint64
}

// newEndpointsTable makes the table of -z endpoints,TYPE.
func newEndpointsTable(args []string, filter string) (Table, error) {
	k, err := kindOf("endpoints", args)
	if err != nil {
		return nil, err
	}
	f, err := newTableFilter("endpoints", args, filter)
	if err != nil {
		return nil, err
	}
	return &endpointsTable{kind: k, filter: f, index: map[endpoint]int32{}}, nil
}

// Add counts every layer of the table's TYPE in the packet: its source
// sent the frame and its destination received it (an end that sends to
// itself counts both).
func (e *endpointsTable) Add(t *decode.Tree) {
	if !e.filter.selects(t) {
		return
	}
	for i, l := range countedLayers(t) {
		if t.Nodes[l].Field != e.kind.layer {
			continue
		}
		src, dst, ok := e.kind.ends(t, i)
		if !ok {
			continue
		}
		n := frameBytes(t)
		s := e.row(&src)
		s.txFrames++
		s.txBytes += n
		d := e.row(&dst)
		d.rxFrames++
		d.rxBytes += n
	}
}

// row is end's counts, a new row the first time it is seen.
func (e *endpointsTable) row(end *endpoint) *endpointCounts {
	for _, r := range e.recent {
		if int(r) < len(e.ends) && e.ends[r].end == *end {
			return &e.ends[r]
		}
	}
	i, known := e.index[*end]
	if !known {
		i = int32(len(e.ends))
		e.index[*end] = i
		e.ends = append(e.ends, endpointCounts{end: *end})
	}
	e.recent[0], e.recent[1] = i, e.recent[0]
	return &e.ends[i]
}

// frames is the frames the end sent and received.
func (c *endpointCounts) frames() uint64 { return c.txFrames + c.rxFrames }

// bytes is the bytes the end sent and received.
func (c *endpointCounts) bytes() uint64 { return c.txBytes + c.rxBytes }
