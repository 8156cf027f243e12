package decode

import (
	"encoding/binary"
	"time"
	"unsafe"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// NodeFlags mark what a node's bytes turned out to be.
type NodeFlags uint8

const (
	// Truncated: the capture ends before the bytes the node needs; for a
	// layer, before the end of its header. tcpdump prints "[|proto]".
	Truncated NodeFlags = 1 << iota
	// Malformed: the bytes contradict the protocol (a length too short, a
	// version that cannot be). The layers before it are unaffected.
	Malformed
	// Generated: the value is computed, not read (a checksum's correct
	// value, a relative sequence number).
	Generated
	// InText: the value is held in Tree.Text (a DNS name with its
	// compression resolved), not in the packet at Off.
	InText
	// Nested: a layer that tshark's tree does not hold at its top level,
	// though frame.protocols names it: its item is inside the item of the
	// layer below (IPv6's extension headers, the raw link header of the
	// IPv4 and IPv6 link types), or its dissector stopped before adding
	// one (a BPDU cut before the fields its item names). The protocol
	// hierarchy does not count it.
	Nested
)

// Node is one field of one packet: which field, where its bytes are and, for
// integer types, its value.
type Node struct {
	Field FieldID
	Depth uint8 // 0 for a layer; a field under a layer is 1, its subfields 2...
	Flags NodeFlags
	Off   int32 // first byte in the packet
	Len   int32 // bytes in the packet (may pass the captured end for a layer)
	// Val is an integer, boolean (0/1), time or float64 bits value; for an
	// InText value it is the start in Tree.Text shifted up 32 bits, plus the
	// value's length (see SetText).
	Val uint64
}

// maxLayers bounds how deep dissectors call one another on one packet
// (tunnels in tunnels), so hostile packets cannot recurse without end.
const maxLayers = 64

// Tree is the dissection of one packet. It is reused packet after packet: its
// slices keep their capacity, so dissecting allocates nothing once warm.
type Tree struct {
	Data   []byte               // the packet's captured bytes
	CI     gopacket.CaptureInfo // its capture header
	Link   wire.LinkType        // its link type
	Number int                  // 1 for the first packet of the file
	Nodes  []Node               // depth first, each layer followed by its fields
	Layers []int32              // the index in Nodes of each layer, in order
	Text   []byte               // values not in the packet (InText nodes)
	// NetOff is where the link layer ends: what -x dumps without -xx.
	NetOff int
	// First, Previous and Displayed are the timestamps of the input's
	// first packet, of the packet read before this one and of the last
	// one displayed before it (this one's own when there is none): what
	// tshark's frame.time_relative, frame.time_delta and
	// frame.time_delta_displayed measure from, which a display filter
	// compares. Dissect keeps First and Previous from the packets the
	// tree dissects (a packet numbered 1 starts again) and takes every
	// packet for displayed; a reader that knows better (a display
	// filter's Selector, which knows what it selected) sets them after
	// Dissect.
	First, Previous, Displayed time.Time
	lastTime                   time.Time
	// VerifyChecksums asks the dissectors to compute the checksums of
	// transport layers (TCP, UDP) and add their status; when false they are
	// left unverified, as Wireshark leaves them by default and tcpdump does
	// without -v, which saves a pass over every payload.
	VerifyChecksums bool
	// Tcpdump asks for the layers tcpdump's text reads where tshark's
	// tree has others: protocols tcpdump finds on ports tshark does not
	// look at, headers tcpdump starts on with fewer bytes than tshark's
	// dissector wants. False, tshark's tree, for every output but
	// tcpdump's lines.
	Tcpdump bool
	depth   int // dissector calls on the stack
	// Stateless leaves out what the tree learns across packets (tcp.stream,
	// relative sequence numbers: the segment's own numbers are given, as
	// for a segment quoted in an ICMP error), which tcpdump's text does not
	// print: the text printer's tree saves the lookup per packet.
	Stateless bool
	// Reassemble asks the dissectors for what tshark does across packets
	// by default: IP fragments put back together and their datagram
	// dissected at the last one, and a protocol's message carried over
	// several TCP segments dissected at the segment that completes it. When
	// false (and always when Stateless), each packet is dissected alone.
	Reassemble bool
	// Want, if not nil, is what the tree's reader reads: work whose only
	// product is other fields may be left out (see Want).
	Want *Want
	// state is what the tree learns across packets; shared, when set by
	// ShareState, is another tree's, used instead.
	state  treeState
	shared *treeState
	// buf holds a copy of the packet with reassembled bytes after it, once
	// AppendReassembled was called for this packet (appended).
	buf      []byte
	appended bool
	captured int
	// fragEv counts the fragments of this packet handed to the table.
	fragEv int
	// netLayer is the last IP layer's node and netSrc its source address's
	// (the destination's follows): what a transport dissector names its
	// conversation by, without a search (-1: none).
	netLayer, netSrc int32
}

// noteAddresses records that the source address of IP layer l is node src,
// its destination node src+1.
func (t *Tree) noteAddresses(l, src int) { t.netLayer, t.netSrc = int32(l), int32(src) }

// Addresses are the nodes of the source and destination addresses of the
// IPv4 or IPv6 layer node l, or -1: for the packet's last IP layer, as its
// dissector noted them, without a search.
func (t *Tree) Addresses(l int) (src, dst int) {
	switch {
	case t.netLayer == int32(l):
		return int(t.netSrc), int(t.netSrc) + 1
	case t.Nodes[l].Field == protoIPv6:
		return t.Find(l, fIPv6Src), t.Find(l, fIPv6Dst)
	case t.Nodes[l].Field == protoIP:
		return t.Find(l, fIPSrc), t.Find(l, fIPDst)
	}
	return -1, -1
}

// treeState is what a tree keeps from packet to packet.
type treeState struct {
	tcp   tcpConvs // TCP conversations: tcp.stream, relative sequence numbers
	udp   udpConvs // UDP conversations: udp.stream
	frags ipFrags  // IP datagrams being reassembled (Reassemble)
	reasm tcpReasm // messages over TCP being put together, HTTP conversations
	// openflow are the TCP streams tshark's heuristic took as OpenFlow.
	openflow map[uint32]bool
}

// ShareState makes t keep what it learns across packets (the TCP
// conversations behind tcp.stream and relative sequence numbers, the
// fragments and segments being reassembled) in from's: a printer that
// prints only what a display filter selected then numbers them as the
// filter's tree, which saw every packet, does. Dissecting a packet again
// after from did changes nothing in the state.
func (t *Tree) ShareState(from *Tree) {
	if from.shared != nil {
		t.shared = from.shared
		return
	}
	t.shared = &from.state
}

// crossPacket is the state t uses: its own, or the one it shares.
func (t *Tree) crossPacket() *treeState {
	if t.shared != nil {
		return t.shared
	}
	return &t.state
}

// conversations is the TCP table t uses.
func (t *Tree) conversations() *tcpConvs { return &t.crossPacket().tcp }

// AppendReassembled places b, bytes put together from several packets,
// after the packet's own in t.Data and returns the offset where b starts:
// a dissector then calls the next one on [off, off+len(b)). The nodes
// already added keep their offsets, so each field still reads the bytes it
// came from; the printers number frame bytes from the packet's capture
// header, not from len(t.Data).
func (t *Tree) AppendReassembled(b []byte) int {
	if !t.appended {
		t.buf = append(t.buf[:0], t.Data...)
		t.appended = true
	}
	off := len(t.buf)
	t.buf = append(t.buf, b...)
	t.Data = t.buf
	return off
}

// Reset starts a new packet, keeping the slices' memory.
func (t *Tree) Reset(data []byte, ci gopacket.CaptureInfo, link wire.LinkType) {
	t.Data, t.Link = data, link
	// Field by field: the struct copied whole stalls on loads wider
	// than the stores that just wrote it.
	t.CI.Timestamp, t.CI.CaptureLength, t.CI.Length = ci.Timestamp, ci.CaptureLength, ci.Length
	t.CI.InterfaceIndex, t.CI.AncillaryData = ci.InterfaceIndex, ci.AncillaryData
	t.Nodes = t.Nodes[:0]
	t.Layers = t.Layers[:0]
	t.Text = t.Text[:0]
	t.NetOff = 0
	t.depth = 0
	t.appended = false
	t.netLayer = -1
	t.captured = len(data)
	t.fragEv = 0
}

// Captured is the number of bytes the packet itself has in t.Data, before
// any AppendReassembled bytes: where a trailer after a layer's end is sought.
func (t *Tree) Captured() int { return t.captured }

// AddLayer starts a layer of protocol p whose header and payload take
// [off, off+n) and returns its node index.
func (t *Tree) AddLayer(p FieldID, off, n int) int {
	i := len(t.Nodes)
	t.Layers = append(t.Layers, int32(i))
	if i == cap(t.Nodes) {
		t.Nodes = append(t.Nodes, Node{})
	}
	t.Nodes = t.Nodes[:i+1]
	// Field by field, as Add: a Node literal is built on the stack and
	// copied with loads wider than its stores, a stall on every layer.
	nd := &t.Nodes[i]
	nd.Field, nd.Depth, nd.Flags = p, 0, 0
	nd.Off, nd.Len, nd.Val = int32(off), int32(n), 0
	return i
}

// StartLayer adds a layer of protocol p over [off, end) as a dissector's
// first step, and gives its node and the bytes of it that were captured; ok
// is false, and the layer marked Truncated, when fewer than min were.
func (t *Tree) StartLayer(p FieldID, off, end, min int) (l, n int, ok bool) {
	n = t.Avail(off, end)
	l = t.AddLayer(p, off, end-off)
	if n < min {
		t.Mark(l, Truncated)
		return l, n, false
	}
	return l, n, true
}

// Add appends field f under node parent, taking n bytes at off, with the
// integer value v, and returns its index.
func (t *Tree) Add(parent int, f FieldID, off, n int, v uint64) int {
	i := len(t.Nodes)
	if i == cap(t.Nodes) {
		// append rather than a call: a call would cost Add its inlining
		// (dissectors call it for nearly every field), and growing
		// happens only until the tree has seen its largest packet.
		t.Nodes = append(t.Nodes, Node{})
	}
	t.Nodes = t.Nodes[:i+1]
	if nodeWords {
		// Three stores rather than six: building the tree is bound by
		// its stores, some 57 nodes a packet (node_words.go).
		w := (*[3]uint64)(unsafe.Pointer(&t.Nodes[i]))
		w[0] = uint64(f) | uint64(t.Nodes[parent].Depth+1)<<16 | uint64(off)<<32
		w[1] = uint64(n) // Len, and what is left of n in the padding after it
		w[2] = v
	} else {
		nd := &t.Nodes[i]
		nd.Field, nd.Depth, nd.Flags = f, t.Nodes[parent].Depth+1, 0
		nd.Off, nd.Len, nd.Val = int32(off), int32(n), v
	}
	return i
}

// AddBytes appends a field whose value is the packet's n bytes at off
// (addresses, strings, opaque data).
func (t *Tree) AddBytes(parent int, f FieldID, off, n int) int {
	return t.Add(parent, f, off, n, 0)
}

// AddText appends a field taking n packet bytes at off whose value is s
// rather than those bytes (a decompressed name, a formatted string).
func (t *Tree) AddText(parent int, f FieldID, off, n int, s []byte) int {
	start := len(t.Text)
	t.Text = append(t.Text, s...)
	i := t.Add(parent, f, off, n, 0)
	t.SetText(i, start)
	return i
}

// SetText makes node i's value the bytes of Tree.Text from start to its
// end: for a dissector that appended the value to Text itself.
func (t *Tree) SetText(i, start int) {
	t.Nodes[i].Flags |= InText
	t.Nodes[i].Val = uint64(start)<<32 | uint64(len(t.Text)-start)
}

// Mark sets flags on node i; marking a field marks its layer too, so a
// renderer that looks only at layers still sees it.
func (t *Tree) Mark(i int, f NodeFlags) {
	t.Nodes[i].Flags |= f
	if len(t.Layers) > 0 && t.Nodes[i].Depth > 0 {
		t.Nodes[t.Layers[len(t.Layers)-1]].Flags |= f &^ (Generated | InText)
	}
}

// SetLen changes node i's length, once a dissector knows where it ends.
func (t *Tree) SetLen(i, n int) { t.Nodes[i].Len = int32(n) }

// Bytes is node i's value as bytes: the packet's bytes it covers (clipped to
// what was captured) or its InText value.
func (t *Tree) Bytes(i int) []byte {
	n := &t.Nodes[i]
	if n.Flags&InText != 0 {
		start := n.Val >> 32
		return t.Text[start : start+n.Val&0xffffffff]
	}
	start, end := int(n.Off), int(n.Off)+int(n.Len)
	if end > len(t.Data) {
		end = len(t.Data)
	}
	if start > end {
		return nil
	}
	return t.Data[start:end]
}

// Uint is node i's integer value.
func (t *Tree) Uint(i int) uint64 { return t.Nodes[i].Val }

// LayerEnd is the index after the last node of the layer that starts at node l.
func (t *Tree) LayerEnd(l int) int {
	for i := l + 1; i < len(t.Nodes); i++ {
		if t.Nodes[i].Depth == 0 {
			return i
		}
	}
	return len(t.Nodes)
}

// Find is the first node of field f in the subtree of node n (a layer or a
// field with subfields), or -1.
func (t *Tree) Find(n int, f FieldID) int {
	d := t.Nodes[n].Depth
	for i := n + 1; i < len(t.Nodes) && t.Nodes[i].Depth > d; i++ {
		if t.Nodes[i].Field == f {
			return i
		}
	}
	return -1
}

// FindNext is the next node of field f after node after, within the subtree
// of node n, or -1: with Find it walks repeated fields.
func (t *Tree) FindNext(n, after int, f FieldID) int {
	d := t.Nodes[n].Depth
	for i := after + 1; i < len(t.Nodes) && t.Nodes[i].Depth > d; i++ {
		if t.Nodes[i].Field == f {
			return i
		}
	}
	return -1
}

// Has reports whether the subtree of node n holds field f.
func (t *Tree) Has(n int, f FieldID) bool { return t.Find(n, f) >= 0 }

// Value is the integer value of field f under node n, and whether it is
// there. A bit field (Field.BitOf) is read from its parent's node.
func (t *Tree) Value(n int, f FieldID) (uint64, bool) {
	if p := registry[f].BitOf; p != 0 {
		if i := t.Find(n, p); i >= 0 && f.BitPresent(t.Nodes[i].Val) {
			return bitValue(f, t.Nodes[i].Val), true
		}
		return 0, false
	}
	if i := t.Find(n, f); i >= 0 {
		return t.Nodes[i].Val, true
	}
	return 0, false
}

// LayerIndex is the position in Layers of the layer whose node is n, or -1.
func (t *Tree) LayerIndex(n int) int {
	for i, l := range t.Layers {
		if int(l) == n {
			return i
		}
	}
	return -1
}

// Below is the node of the nearest layer of protocol p before layer node n
// (for a transport layer, its IP layer), or -1.
func (t *Tree) Below(n int, p FieldID) int {
	for i := len(t.Layers) - 1; i >= 0; i-- {
		l := int(t.Layers[i])
		if l < n && t.Nodes[l].Field == p {
			return l
		}
	}
	return -1
}

// Avail is the number of captured bytes in [off, end): what a dissector may
// read when a lower layer says its payload ends at end.
func (t *Tree) Avail(off, end int) int {
	if end > len(t.Data) {
		end = len(t.Data)
	}
	if off >= end {
		return 0
	}
	return end - off
}

// U8, U16, U24, U32 and U64 read big-endian integers at off; the caller has
// checked that the bytes were captured.
func (t *Tree) U8(off int) uint64  { return uint64(t.Data[off]) }
func (t *Tree) U16(off int) uint64 { return uint64(binary.BigEndian.Uint16(t.Data[off:])) }
func (t *Tree) U24(off int) uint64 {
	return uint64(t.Data[off])<<16 | uint64(t.Data[off+1])<<8 | uint64(t.Data[off+2])
}
func (t *Tree) U32(off int) uint64 { return uint64(binary.BigEndian.Uint32(t.Data[off:])) }
func (t *Tree) U64(off int) uint64 { return binary.BigEndian.Uint64(t.Data[off:]) }

// Enter and Leave bracket a dissector's call of the next one; Enter is false
// when the packet nests layers deeper than maxLayers, and the caller stops.
func (t *Tree) Enter() bool {
	if t.depth >= maxLayers {
		return false
	}
	t.depth++
	return true
}

// Leave undoes Enter.
func (t *Tree) Leave() { t.depth-- }

// Each calls fn for every occurrence of field f in the packet, in the
// tree's order, until fn returns false: each node of f, with its value, or
// for a bit field (Field.BitOf) each node of its parent, with the field's
// bits of it (but those its Field.BitIf leaves out). A protocol's occurrences are its layers. What a node's value
// does not hold (addresses, strings, bytes) is Bytes(node).
func (t *Tree) Each(f FieldID, fn func(node int, v uint64) bool) {
	if p := registry[f].BitOf; p != 0 {
		for i := range t.Nodes {
			if t.Nodes[i].Field == p && f.BitPresent(t.Nodes[i].Val) && !fn(i, bitValue(f, t.Nodes[i].Val)) {
				return
			}
		}
		return
	}
	for i := range t.Nodes {
		if t.Nodes[i].Field == f && !fn(i, t.Nodes[i].Val) {
			return
		}
	}
}
