package decode

import (
	"net/netip"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/flow"
	"github.com/sockscope/sockscope/decode/wire"
)

// StreamOf is the stream number (tcp.stream, or udp.stream) of the first
// layer of protocol p in the dissected packet t that has one, and false
// when none has: what picks the conversation of a packet a filter selected.
func StreamOf(t *Tree, p flow.Proto) (uint32, bool) {
	layer, field := streamFields(p)
	for _, l := range t.Layers {
		if t.Nodes[l].Field != layer {
			continue
		}
		if v, ok := t.Value(int(l), field); ok {
			return uint32(v), true
		}
	}
	return 0, false
}

func streamFields(p flow.Proto) (layer, stream FieldID) {
	if p == flow.UDP {
		return protoUDP, fUDPStream
	}
	return protoTCP, fTCPStream
}

// Follower picks the packets of one TCP or UDP stream out of a capture,
// numbered as tshark numbers tcp.stream and udp.stream, and puts its data
// back together as tshark's -z follow shows it. It dissects every packet
// it is given (in capture order, all of them: the numbering depends on
// every conversation's first packet) and keeps the bytes of its stream
// only.
type Follower struct {
	proto   flow.Proto
	stream  uint32
	tree    Tree
	data    flow.Stream
	seg     flow.Segment
	nodes   [2]netip.AddrPort
	found   bool
	streams uint32 // one more than the highest stream number seen
	read    int
}

// NewFollower returns a Follower of stream number n of protocol p.
func NewFollower(p flow.Proto, n uint32) *Follower {
	f := &Follower{proto: p, stream: n}
	f.tree.Reassemble = true // IP fragments put together, as tshark does
	return f
}

// Add dissects the next packet of the capture and keeps what it carries
// of the stream. data is not kept.
func (f *Follower) Add(data []byte, ci gopacket.CaptureInfo, link wire.LinkType) {
	f.read++
	t := &f.tree
	t.Dissect(data, ci, link, f.read)
	layer, field := streamFields(f.proto)
	for _, l := range t.Layers {
		if t.Nodes[l].Field != layer {
			continue
		}
		v, ok := t.Value(int(l), field)
		if !ok {
			continue
		}
		f.streams = max(f.streams, uint32(v)+1)
		if uint32(v) != f.stream || !segmentOf(t, int(l), f.proto, &f.seg) {
			continue
		}
		if !f.found {
			f.found = true
			f.nodes = [2]netip.AddrPort{f.seg.Src, f.seg.Dst}
		}
		f.data.Add(&f.seg, ci.Timestamp)
	}
}

// Found reports whether a packet of the stream was seen.
func (f *Follower) Found() bool { return f.found }

// Streams is the number of streams of the Follower's protocol seen so far.
func (f *Follower) Streams() int { return int(f.streams) }

// Follow is the stream as tshark's follow prints it in format fm: its
// first node the sender of its first packet.
func (f *Follower) Follow(fm flow.Format) *flow.Follow {
	out := &flow.Follow{Proto: f.proto, Format: fm, Index: int(f.stream), Nodes: f.nodes}
	chunks := f.data.Chunks()
	if c, ok := f.data.Conversation(); ok && c.Client != f.nodes[0] {
		// The stream took the receiver of a SYN-ACK for the client.
		for i := range chunks {
			chunks[i].Dir ^= 1
		}
	}
	out.Chunks = chunks
	return out
}

// segmentOf reads the TCP or UDP layer l of t into seg: its endpoints,
// sequence number and flags, and its payload, false when the header was
// not all captured or no IP layer below names the endpoints.
func segmentOf(t *Tree, l int, p flow.Proto, seg *flow.Segment) bool {
	src, dst, ok := layerAddrs(t, l)
	if !ok {
		return false
	}
	off, end := int(t.Nodes[l].Off), int(t.Nodes[l].Off)+int(t.Nodes[l].Len)
	var hl int
	*seg = flow.Segment{Proto: p}
	if p == flow.TCP {
		h, ok := t.Value(l, fTCPHdrLen)
		if !ok || t.Avail(off, off+int(h)) < int(h) || int(h) < 20 {
			return false
		}
		hl = int(h)
		seq, _ := t.Value(l, fTCPSeqRaw)
		fl, _ := t.Value(l, fTCPFlags)
		seg.Seq, seg.Flags = uint32(seq), uint8(fl)
	} else {
		if t.Find(l, fUDPChecksum) < 0 {
			return false // the header was not whole
		}
		hl = 8
	}
	seg.Src = netip.AddrPortFrom(src, uint16(t.U16(off)))
	seg.Dst = netip.AddrPortFrom(dst, uint16(t.U16(off+2)))
	pay := off + hl
	if pay < end {
		n := t.Avail(pay, end)
		seg.Payload = t.Data[pay : pay+n]
		seg.Missing = end - pay - n
	}
	return true
}

// layerAddrs are the addresses of the IP layer nearest below layer l.
func layerAddrs(t *Tree, l int) (src, dst netip.Addr, ok bool) {
	ip := tcpIPBelow(t, l)
	if ip < 0 {
		return src, dst, false
	}
	var i, j int
	if t.Nodes[ip].Field == protoIPv6 {
		i, j = t.Find(ip, fIPv6Src), t.Find(ip, fIPv6Dst)
	} else {
		i, j = t.Find(ip, fIPSrc), t.Find(ip, fIPDst)
	}
	if i < 0 || j < 0 {
		return src, dst, false
	}
	src, ok1 := netip.AddrFromSlice(t.Bytes(i))
	dst, ok2 := netip.AddrFromSlice(t.Bytes(j))
	return src, dst, ok1 && ok2
}
