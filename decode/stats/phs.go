package stats

// The protocol hierarchy (-z io,phs): every packet's layers, as a path from
// its link layer up, counted into one tree of protocols with the packets
// and bytes that reached each node.

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sockscope/sockscope/decode"
	"github.com/sockscope/sockscope/decode/display"
)

func init() {
	register("io,phs", func(args []string, filter string) (Table, error) {
		// tshark takes what follows "io,phs," as a display filter that
		// selects the packets counted.
		if len(args) > 0 {
			expr := strings.Join(args, ",")
			f, err := display.Compile(expr)
			if err != nil {
				return nil, fmt.Errorf("-z io,phs,%s: %w", expr, err)
			}
			h := NewHierarchy(expr)
			h.sel = f
			h.Frame = NamesFrame(expr)
			return h, nil
		}
		h := NewHierarchy(filter)
		h.Frame = NamesFrame(filter)
		return h, nil
	})
}

// The protocols of a path that are not layers of decode's tree but items
// that tshark's tree has at the top level, beside the layers.
var (
	phsTCPSegments, _ = decode.Lookup("tcp.segments")
	phsTCP, _         = decode.Lookup("tcp")
	phsHTTP, _        = decode.Lookup("http")
	phsShort, _       = decode.Lookup("_ws.short")
	phsMalformed, _   = decode.Lookup("_ws.malformed")
	phsICMP, _        = decode.Lookup("icmp")
	phsICMPv6, _      = decode.Lookup("icmpv6")
	phsData, _        = decode.Lookup("data")
	phsUDP, _         = decode.Lookup("udp")
)

// phsNode is one protocol at one place of the hierarchy.
type phsNode struct {
	proto         decode.FieldID
	frames, bytes uint64
	child, next   int32 // first child, next sibling (0: none; 0 is the root)
	last          int32 // last child, where the next new one is added
	hit           int32 // the child found last: the next packet's, most often
}

// Hierarchy is tshark's protocol hierarchy statistics: for each sequence of
// protocols from a packet's link layer up, the packets whose layers begin
// with it and their bytes on the wire. Children keep the order in which they
// were first seen, as tshark prints them.
type Hierarchy struct {
	filter string
	sel    *display.Filter // the spec's filter, if it has one
	nodes  []phsNode       // nodes[0] is the root (the frame)
	// Frame lists the frame itself as the root of the hierarchy, as
	// tshark does when a display filter of the run (-Y, this spec's or
	// another -z's) names a frame field: its tree then holds the frame's
	// item, which it otherwise leaves out. New sets it from the spec's
	// filter; a caller that knows the run's other filters sets it from
	// them with NamesFrame.
	Frame bool
}

// NamesFrame reports whether the display filter expr names the frame
// protocol or one of its fields (frame.len, frame.time_relative...).
func NamesFrame(expr string) bool {
	for i := 0; i < len(expr); {
		if !isNameByte(expr[i]) {
			i++
			continue
		}
		j := i
		for j < len(expr) && isNameByte(expr[j]) {
			j++
		}
		if w := expr[i:j]; w == "frame" || strings.HasPrefix(w, "frame.") {
			return true
		}
		i = j
	}
	return false
}

// NewHierarchy returns an empty hierarchy; filter is the display filter the
// packets were selected with, which the text names.
func NewHierarchy(filter string) *Hierarchy {
	return &Hierarchy{filter: filter, nodes: make([]phsNode, 1, 64)}
}

// Want is what the hierarchy reads of each packet's tree: every layer, so
// the whole of TCP (its analysis decides whether a payload is dissected),
// but not udp.stream, which no layer depends on; and what its filter tests.
func (h *Hierarchy) Want() *decode.Want {
	w := decode.WantFields(field("tcp.analysis.flags"))
	if h.sel != nil {
		w = w.Union(h.sel.Want())
	}
	return w
}

// Add counts the packet of t under each protocol of its path.
func (h *Hierarchy) Add(t *decode.Tree) {
	if h.sel != nil && !h.sel.Match(t) {
		return
	}
	n := int32(0)
	size := uint64(t.CI.Length)
	h.nodes[0].frames++
	h.nodes[0].bytes += size
	step := func(p decode.FieldID) {
		n = h.child(n, p)
		h.nodes[n].frames++
		h.nodes[n].bytes += size
	}
	if h.Frame && len(t.Layers) > 0 {
		step(t.Nodes[t.Layers[0]].Field)
	}
	// tshark's item for bytes missing: short when the capture cut them
	// off, malformed when the packet on the wire had none either.
	missing := phsMalformed
	if t.CI.Length > t.CI.CaptureLength {
		missing = phsShort
	}
	if t.CI.CaptureLength == 0 || t.Link == 1 && t.CI.CaptureLength < 14 {
		// Nothing captured, or not the whole Ethernet header: the frame
		// has no protocol, only the item.
		step(missing)
		return
	}
	if t.Link == 8 {
		step(phsData) // tshark does not read SLIP: the frame is data
		return
	}
	for i := 1; i < len(t.Layers); i++ {
		l := int(t.Layers[i])
		nd := &t.Nodes[l]
		p := nd.Field
		if i == len(t.Layers)-1 && i > 1 && int(nd.Off) >= t.CI.CaptureLength && (nd.Flags&decode.Truncated != 0 || int(nd.Off) < t.CI.Length) {
			// A layer that begins where the captured bytes end has no
			// item in tshark's tree: the one for its missing bytes
			// follows the layer below.
			step(missing)
			break
		}
		if i == len(t.Layers)-1 && i > 1 && nd.Len == 0 && nd.Flags&(decode.Truncated|decode.Malformed) != 0 {
			// A layer given no bytes at all (a header's length said the
			// payload is empty): its dissector fails before it adds an
			// item, and the failure's item follows the layer below.
			step(missing)
			break
		}
		if nd.Flags&decode.Nested != 0 {
			if i == len(t.Layers)-1 && nd.Flags&(decode.Truncated|decode.Malformed) != 0 {
				// A layer that ends the dissection in error without an
				// item of its own (an extension header inside the IPv6
				// header's, a BPDU cut before its item): the one for
				// the bytes missing follows the layer below.
				step(missing)
			}
			continue
		}
		if p == phsHTTP && httpSeen(t, i) {
			continue
		}
		step(p)
		if p == phsTCP && i+1 < len(t.Layers) && t.Find(l, phsTCPSegments) >= 0 {
			step(phsTCPSegments)
		}
		if i == len(t.Layers)-1 {
			// tshark's item for a packet cut short, or bytes that
			// contradict the protocol, follows the layer dissection
			// stopped in.
			if nd.Flags&decode.Truncated != 0 {
				step(missing)
			} else if nd.Flags&decode.Malformed != 0 {
				step(phsMalformed)
			}
		}
		if p == phsICMP || p == phsICMPv6 {
			// What an ICMP message carries (its data, the packet an
			// error quotes) is in the ICMP item, but for the payload of
			// a quoted UDP or TCP header, which tshark's data item
			// shows beside the others.
			for i++; i < len(t.Layers); i++ {
				if t.Nodes[t.Layers[i]].Field == phsData {
					if below := t.Nodes[t.Layers[i-1]].Field; below == phsUDP || below == phsTCP {
						step(phsData)
					}
				}
			}
		}
	}
}

// httpSeen reports whether an http layer comes before layer i since the TCP
// layer below it: tshark's tree has one HTTP item for the messages of one
// payload.
func httpSeen(t *decode.Tree, i int) bool {
	for j := i - 1; j > 0; j-- {
		switch t.Nodes[t.Layers[j]].Field {
		case phsHTTP:
			return true
		case phsTCP:
			return false
		}
	}
	return false
}

// child is the node of protocol p under node n, added if new.
func (h *Hierarchy) child(n int32, p decode.FieldID) int32 {
	if c := h.nodes[n].hit; c != 0 && h.nodes[c].proto == p {
		return c
	}
	for c := h.nodes[n].child; c != 0; c = h.nodes[c].next {
		if h.nodes[c].proto == p {
			h.nodes[n].hit = c
			return c
		}
	}
	c := int32(len(h.nodes))
	h.nodes = append(h.nodes, phsNode{proto: p})
	if last := h.nodes[n].last; last != 0 {
		h.nodes[last].next = c
	} else {
		h.nodes[n].child = c
	}
	h.nodes[n].last, h.nodes[n].hit = c, c
	return c
}

// phsRule is the line above and below tshark's table.
const phsRule = "==================================================================="

// phsMaxIndent is the deepest indentation tshark gives a protocol: deeper
// ones are written at it after "...".
const phsMaxIndent = 32

// WriteText writes the hierarchy as tshark -q -z io,phs does: a protocol a
// line, two spaces deeper per level, its name in 40 columns, then its
// frames and bytes.
func (h *Hierarchy) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("\n" + phsRule + "\nProtocol Hierarchy Statistics\nFilter: ")
	bw.WriteString(h.filter)
	bw.WriteString("\n\n")
	var b []byte
	var walk func(n int32, depth int)
	walk = func(n int32, depth int) {
		for c := h.nodes[n].child; c != 0; c = h.nodes[c].next {
			nd := &h.nodes[c]
			b = b[:0]
			indent := 2 * depth
			if indent > phsMaxIndent {
				b = append(b, strings.Repeat(" ", phsMaxIndent)...)
				b = append(b, "..."...)
			} else {
				b = append(b, strings.Repeat(" ", indent)...)
			}
			b = append(b, nd.proto.Name()...)
			for len(b) < 40 {
				b = append(b, ' ')
			}
			b = append(b, " frames:"...)
			b = strconv.AppendUint(b, nd.frames, 10)
			b = append(b, " bytes:"...)
			b = strconv.AppendUint(b, nd.bytes, 10)
			b = append(b, '\n')
			bw.Write(b)
			walk(c, depth+1)
		}
	}
	walk(0, 0)
	bw.WriteString(phsRule + "\n")
	return bw.Flush()
}

// PHSNode is one protocol of the hierarchy as JSON gives it: its name, the
// packets and bytes that reached it, and the protocols above it.
type PHSNode struct {
	Protocol  string    `json:"protocol"`
	Frames    uint64    `json:"frames"`
	Bytes     uint64    `json:"bytes"`
	Protocols []PHSNode `json:"protocols,omitempty"`
}

// PHS is the hierarchy as JSON gives it: the filter ("" for none) and the
// link-layer protocols, each with the protocols above it, in tshark's order.
type PHS struct {
	Filter    string    `json:"filter"`
	Protocols []PHSNode `json:"protocols"`
}

// JSON is the hierarchy as a PHS value: the numbers of the text, nested.
func (h *Hierarchy) JSON() any {
	var tree func(n int32) []PHSNode
	tree = func(n int32) []PHSNode {
		var out []PHSNode
		for c := h.nodes[n].child; c != 0; c = h.nodes[c].next {
			nd := &h.nodes[c]
			out = append(out, PHSNode{Protocol: nd.proto.Name(), Frames: nd.frames, Bytes: nd.bytes, Protocols: tree(c)})
		}
		return out
	}
	p := tree(0)
	if p == nil {
		p = []PHSNode{}
	}
	return PHS{Filter: h.filter, Protocols: p}
}
