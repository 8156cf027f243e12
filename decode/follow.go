package decode

import (
	"net/netip"
	"strconv"

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
// only, until Take hands them over.
//
// Memory: a reader that calls Take after each packet, as the follow
// command does, holds of the stream only the data waiting behind a gap
// (segments past a hole in the sequence, until the other side
// acknowledges past it or the capture ends), whatever the stream's size;
// the dissector's state grows with the number of conversations in the
// capture, not with their data. On a 560 MB stream tshark was seen to use
// 1.2 GB, sockscope 32 MB.
//
// What tshark shows, learned by running it: a packet belongs to the
// stream when one of its layers of the protocol does (the display filter
// "tcp.stream eq N" selects it), and then each of its layers of the
// protocol gives its payload, a tunnel's outer UDP layer and the inner
// one alike. The packet's endpoints are the addresses of its last
// Ethernet or IP layer and the ports of its last TCP, UDP or SCTP layer,
// whichever layer gave the payload: in a VXLAN datagram, the inner frame's.
// The first packet's endpoints are the first node; the others' chunks
// are the second node's unless their source is the first node. A UDP
// datagram's payload is what udp.length counts, within the IP payload; an
// empty one is not seen at all, not even for the nodes. (tshark also
// leaves out a packet whose application protocol it finds malformed;
// sockscope does not dissect that far.)
type Follower struct {
	proto   flow.Proto
	stream  uint32
	tree    Tree
	data    flow.Stream
	seg     flow.Segment
	first   endpoints
	found   bool
	streams uint32 // one more than the highest stream number seen
	read    int
}

// endpoint is an address (an IP or MAC address, as many bytes as it has)
// and a port: comparable, built without allocating.
type endpoint struct {
	addr  [16]byte
	alen  uint8
	ether bool
	port  uint16
}

type endpoints struct{ src, dst endpoint }

// The stand-ins a flow.Stream is given for the two nodes: it tells the
// directions apart by them.
var nodeStandIn = [2]netip.AddrPort{
	netip.AddrPortFrom(netip.AddrFrom4([4]byte{0, 0, 0, 1}), 1),
	netip.AddrPortFrom(netip.AddrFrom4([4]byte{0, 0, 0, 2}), 2),
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
	f.tree.Dissect(data, ci, link, f.read)
	f.AddTree(&f.tree)
}

// AddTree keeps what the packet t dissects carries of the stream, for a
// reader that dissects the packets itself (every one, in capture order,
// with Reassemble set, as Add does) and hands the tree to more than one
// Follower.
func (f *Follower) AddTree(t *Tree) {
	layer, field := streamFields(f.proto)
	match := false
	for _, l := range t.Layers {
		if t.Nodes[l].Field != layer {
			continue
		}
		if v, ok := t.Value(int(l), field); ok {
			f.streams = max(f.streams, uint32(v)+1)
			match = match || uint32(v) == f.stream
		}
	}
	if !match {
		return
	}
	ends, ok := packetEndpoints(t)
	if !ok {
		return
	}
	for _, l := range t.Layers {
		if t.Nodes[l].Field != layer || !segmentOf(t, int(l), f.proto, &f.seg) {
			continue
		}
		if !f.found {
			f.found, f.first = true, ends
		}
		dir := 1
		if ends.src == f.first.src {
			dir = 0
		}
		f.seg.Src, f.seg.Dst = nodeStandIn[dir], nodeStandIn[1-dir]
		f.data.Add(&f.seg, t.CI.Timestamp)
	}
}

// Found reports whether a packet of the stream was seen.
func (f *Follower) Found() bool { return f.found }

// Streams is the number of streams of the Follower's protocol seen so far.
func (f *Follower) Streams() int { return int(f.streams) }

// Head is the stream's header as tshark's follow prints it in format fm,
// without chunks: its nodes are known once Found.
func (f *Follower) Head(fm flow.Format) *flow.Follow {
	out := &flow.Follow{Proto: f.proto, Format: fm, Index: int(f.stream)}
	if f.found {
		out.Nodes = [2]string{f.first.src.String(), f.first.dst.String()}
	}
	return out
}

// Take returns the chunks put together since the last Take, as Follow
// prints them, and forgets them: the Follower then keeps of the stream's
// data only what waits behind a gap the capture has not shown filled or
// acknowledged. Call it after each packet, and once after the last.
func (f *Follower) Take() []flow.Message {
	chunks := f.data.Take()
	if c, ok := f.data.Client(); ok && c != nodeStandIn[0] {
		for i := range chunks {
			chunks[i].Dir ^= 1
		}
	}
	return chunks
}

// String writes the endpoint as tshark's follow names a node: an IPv6
// address in brackets, then a colon and the port.
func (e endpoint) String() string {
	var b []byte
	switch {
	case e.ether:
		for i := range int(e.alen) {
			if i > 0 {
				b = append(b, ':')
			}
			b = append(b, hexDigits[e.addr[i]>>4], hexDigits[e.addr[i]&0xf])
		}
	case e.alen == 4:
		b = netip.AddrFrom4([4]byte(e.addr[:4])).AppendTo(b)
	case e.alen == 16:
		b = append(b, '[')
		b = netip.AddrFrom16(e.addr).AppendTo(b)
		b = append(b, ']')
	}
	b = append(b, ':')
	return string(strconv.AppendUint(b, uint64(e.port), 10))
}

// packetEndpoints are the addresses of the packet's last Ethernet or IP
// layer and the ports of its last TCP, UDP or SCTP layer, leaving out
// what an ICMP error quotes; false without addresses or ports.
func packetEndpoints(t *Tree) (e endpoints, ok bool) {
	var addrs, ports bool
	for _, l := range t.Layers {
		n := int(l)
		var fs, fd FieldID
		switch t.Nodes[n].Field {
		case protoICMP, protoICMPv6:
			return e, addrs && ports
		case protoEth:
			fs, fd = fEthSrc, fEthDst
		case protoIP:
			fs, fd = fIPSrc, fIPDst
		case protoIPv6:
			fs, fd = fIPv6Src, fIPv6Dst
		case protoTCP:
			fs, fd = fTCPSrcPort, fTCPDstPort
		case protoUDP:
			fs, fd = fUDPSrcPort, fUDPDstPort
		case protoSCTP:
			fs, fd = fSCTPSrcPort, fSCTPDstPort
		default:
			continue
		}
		i, j := t.Find(n, fs), t.Find(n, fd)
		if i < 0 || j < 0 {
			continue
		}
		switch t.Nodes[n].Field {
		case protoTCP, protoUDP, protoSCTP:
			e.src.port, e.dst.port = uint16(t.Nodes[i].Val), uint16(t.Nodes[j].Val)
			ports = true
		default:
			ether := t.Nodes[n].Field == protoEth
			if !setAddr(&e.src, t.Bytes(i), ether) || !setAddr(&e.dst, t.Bytes(j), ether) {
				continue
			}
			addrs = true
		}
	}
	return e, addrs && ports
}

func setAddr(e *endpoint, b []byte, ether bool) bool {
	if len(b) > len(e.addr) || !ether && len(b) != 4 && len(b) != 16 {
		return false
	}
	e.alen, e.ether = uint8(len(b)), ether
	e.addr = [16]byte{}
	copy(e.addr[:], b)
	return true
}

// segmentOf reads the payload, and for TCP the sequence number and flags,
// of the TCP or UDP layer l of t into seg; false when the header was not
// all captured or an ICMP error quotes it.
func segmentOf(t *Tree, l int, p flow.Proto, seg *flow.Segment) bool {
	for _, b := range t.Layers {
		if int(b) < l && (t.Nodes[b].Field == protoICMP || t.Nodes[b].Field == protoICMPv6) {
			return false
		}
	}
	off, end := int(t.Nodes[l].Off), int(t.Nodes[l].Off)+int(t.Nodes[l].Len)
	var hl int
	*seg = flow.Segment{Proto: p}
	if p == flow.TCP {
		h, ok := t.Value(l, fTCPHdrLen)
		if !ok || int(h) < 20 || t.Avail(off, off+int(h)) < int(h) {
			return false
		}
		hl = int(h)
		seq, _ := t.Value(l, fTCPSeqRaw)
		ack, _ := t.Value(l, fTCPAckRaw)
		fl, _ := t.Value(l, fTCPFlags)
		seg.Seq, seg.Ack, seg.Flags = uint32(seq), uint32(ack), uint8(fl)
	} else {
		ulen, ok := t.Value(l, fUDPLength)
		if !ok || t.Find(l, fUDPChecksum) < 0 || ulen != 0 && ulen <= 8 {
			// The header was not whole, or the datagram is empty:
			// tshark's follow does not see it, not even for its nodes.
			return false
		}
		// The payload is what the UDP length counts, if the IP
		// payload holds it (a length of 0, in an IPv6 jumbogram, counts
		// all of it), cut where the capture stops.
		hl = 8
		if ulen != 0 {
			end = min(end, off+int(ulen))
		}
		if t.Avail(off+hl, end) == 0 {
			return false
		}
	}
	if pay := off + hl; pay < end {
		n := t.Avail(pay, end)
		seg.Payload = t.Data[pay : pay+n]
		seg.Missing = end - pay - n
	}
	return true
}
