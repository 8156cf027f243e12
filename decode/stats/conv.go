package stats

import (
	"time"

	"github.com/sockscope/sockscope/decode"
)

func init() { register("conv", newConvTable) }

// convTable is -z conv,TYPE: the packets and bytes each pair of ends sent
// one another, in both directions, and when they talked.
type convTable struct {
	kind   *tableKind
	filter tableFilter
	index  map[convKey]int32 // finds a conversation in convs
	convs  []conversation
	// last is the key of the conversation counted last and lastIndex its
	// place: the packets of a conversation tend to come in runs, and a
	// comparison is cheaper than the map.
	last      convKey
	lastIndex int32
}

// A convKey names a conversation: its ends, the lower one first (see
// endpoint.compare) so that both directions find it, and for TCP the
// stream number plus one.
type convKey struct {
	ends   [2]endpoint
	stream uint64
}

// A conversation is one pair of ends: a is the source of its first
// packet, b that packet's destination.
type conversation struct {
	a, b endpoint
	// framesAB and bytesAB count what a sent b (tshark's "->" column),
	// framesBA and bytesBA what b sent a ("<-"); bytes are frame lengths.
	framesAB, bytesAB uint64
	framesBA, bytesBA uint64
	// start and stop are the earliest and the latest time of its packets
	// (a capture's clock may step back), relative to the capture's first
	// packet.
	start, stop time.Duration
}

// newConvTable makes the table of -z conv,TYPE.
func newConvTable(args []string, filter string) (Table, error) {
	k, err := kindOf("conv", args)
	if err != nil {
		return nil, err
	}
	f, err := newTableFilter("conv", args, filter)
	if err != nil {
		return nil, err
	}
	return &convTable{kind: k, filter: f, index: map[convKey]int32{}}, nil
}

// Add counts every layer of the table's TYPE in the packet: a tunnel's
// two IP layers are two conversations, each given the whole frame.
func (c *convTable) Add(t *decode.Tree) {
	if !c.filter.selects(t) {
		return
	}
	for i, l := range countedLayers(t) {
		if t.Nodes[l].Field != c.kind.layer {
			continue
		}
		src, dst, ok := c.kind.ends(t, i)
		if !ok {
			continue
		}
		var stream uint64
		if c.kind.stream != 0 {
			if s, ok := t.Value(int(l), c.kind.stream); ok {
				stream = s + 1
			}
		}
		c.count(&src, &dst, stream, frameBytes(t), t.CI.Timestamp.Sub(t.First))
	}
}

// count adds one frame of n bytes from src to dst, in stream, at time at.
func (c *convTable) count(src, dst *endpoint, stream, n uint64, at time.Duration) {
	key := convKey{ends: [2]endpoint{*src, *dst}, stream: stream}
	if src.compare(dst) > 0 {
		key.ends = [2]endpoint{*dst, *src}
	}
	i := c.lastIndex
	if key != c.last || len(c.convs) == 0 {
		var known bool
		if i, known = c.index[key]; !known {
			i = int32(len(c.convs))
			c.index[key] = i
			c.convs = append(c.convs, conversation{a: *src, b: *dst, start: at, stop: at})
		}
		c.last, c.lastIndex = key, i
	}
	cv := &c.convs[i]
	cv.start, cv.stop = min(cv.start, at), max(cv.stop, at)
	if cv.a == *src && cv.b == *dst {
		cv.framesAB++
		cv.bytesAB += n
	} else {
		cv.framesBA++
		cv.bytesBA += n
	}
}

// frames is the conversation's frames, both ways.
func (cv *conversation) frames() uint64 { return cv.framesAB + cv.framesBA }

// bytes is the conversation's bytes, both ways.
func (cv *conversation) bytes() uint64 { return cv.bytesAB + cv.bytesBA }
