package stats

import "github.com/sockscope/sockscope/decode"

// Layers and fields that decide which layers of a packet tshark's tables
// count.
var (
	layerIP          = field("ip")
	layerIPv6        = field("ipv6")
	layerICMP        = field("icmp")
	layerICMPv6      = field("icmpv6")
	layerUDP         = field("udp")
	layerIPv6HopOpts = field("ipv6.hopopts")
	layerIPv6DstOpts = field("ipv6.dstopts")
	layerIPv6Routing = field("ipv6.routing")
	layerIPv6Frag    = field("ipv6.fraghdr")
	layerMIPv6       = field("mipv6")
	fieldIPHdrLen    = field("ip.hdr_len")
	fieldIPLen       = field("ip.len")
	fieldIPv6Next    = field("ipv6.nxt")
	fieldFragOffset  = field("ipv6.fraghdr.offset")
	fieldFragMore    = field("ipv6.fraghdr.more")
	fieldReassembled = field("ipv6.reassembled.length")
)

// countedLayers are the layers of t that tshark's tables may count: all but
// those after an ICMP or ICMPv6 layer, the start of a datagram an error
// quotes, which is not a packet of its conversation.
func countedLayers(t *decode.Tree) []int32 {
	for i, l := range t.Layers {
		if f := t.Nodes[l].Field; f == layerICMP || f == layerICMPv6 {
			return t.Layers[:i]
		}
	}
	return t.Layers
}

// counted reports whether the layer t.Layers[i] is one tshark counts: its
// header was captured whole, an IPv4 header makes sense, an IPv6 header's
// extension headers do and lead to a payload (see ipv6Counted), and a UDP
// length is at least the header's 8 bytes (the layer's value is the length
// in effect).
func counted(t *decode.Tree, i int) bool {
	n := &t.Nodes[t.Layers[i]]
	switch {
	case n.Flags&decode.Truncated != 0:
		return false
	case n.Field == layerIP:
		return ipv4Counted(t, int(t.Layers[i]))
	case n.Field == layerIPv6:
		return ipv6Counted(t, i)
	case n.Field == layerUDP:
		return n.Val >= 8
	}
	return true
}

// ipv4Counted reports whether tshark counts the IPv4 layer at node l: not
// when its header length is less than a header's 20 bytes or its total
// length less than its header length. A total length past the captured
// bytes is fine, and so is 0, which segmentation offload leaves.
func ipv4Counted(t *decode.Tree, l int) bool {
	hl, ok1 := t.Value(l, fieldIPHdrLen)
	tl, ok2 := t.Value(l, fieldIPLen)
	return ok1 && ok2 && hl >= 20 && (tl >= hl || tl == 0)
}

// ipv6Counted reports whether tshark counts the IPv6 layer t.Layers[i]:
// it does once its extension headers are read, so not when one was not
// captured whole or its options run past its end, nor for a fragment whose
// datagram is not put back together in this packet, nor when a Mobile
// IPv6 header (next header 135, an extension header to tshark) ends them.
func ipv6Counted(t *decode.Tree, i int) bool {
	next, _ := t.Value(int(t.Layers[i]), fieldIPv6Next)
	for _, l := range t.Layers[i+1:] {
		n := &t.Nodes[l]
		if isIPv6Extension(n.Field) && int(n.Off)+int(n.Len) > t.Captured() {
			return false
		}
		switch n.Field {
		case layerIPv6HopOpts, layerIPv6DstOpts:
			if n.Flags&(decode.Truncated|decode.Malformed) != 0 {
				return false
			}
		case layerIPv6Routing:
			if n.Flags&decode.Truncated != 0 {
				return false
			}
		case layerIPv6Frag:
			if n.Flags&(decode.Truncated|decode.Malformed) != 0 || !wholeDatagram(t, int(l)) {
				return false
			}
		case layerMIPv6:
			return next != ipv6Mobility
		default:
			return true
		}
		next, _ = t.Value(int(l), nextHeaderField[n.Field])
	}
	return true
}

// ipv6Mobility is the next header value of a Mobile IPv6 header.
const ipv6Mobility = 135

// nextHeaderField is the next header field of each IPv6 extension header.
var nextHeaderField = map[decode.FieldID]decode.FieldID{
	layerIPv6HopOpts: field("ipv6.hopopts.nxt"),
	layerIPv6DstOpts: field("ipv6.dstopts.nxt"),
	layerIPv6Routing: field("ipv6.routing.nxt"),
	layerIPv6Frag:    field("ipv6.fraghdr.nxt"),
}

// isIPv6Extension reports whether layer f is an IPv6 extension header.
func isIPv6Extension(f decode.FieldID) bool {
	_, ok := nextHeaderField[f]
	return ok
}

// wholeDatagram reports whether tshark counts the IPv6 header of the
// fragment header at node l: when the datagram was put back together in
// this packet, when the fragment is all of one (offset 0, no more
// fragments), or when the tree does not reassemble and this is the first
// fragment (whose payload tshark then dissects).
func wholeDatagram(t *decode.Tree, l int) bool {
	if t.Has(l, fieldReassembled) {
		return true
	}
	off, _ := t.Value(l, fieldFragOffset)
	more, _ := t.Value(l, fieldFragMore)
	return off == 0 && (more == 0 || !t.Reassemble)
}

// frameBytes is the frame's length as tshark adds it to a table: read as a
// signed 32-bit number, so that a record claiming 2 GiB or more (a file
// may claim any length) subtracts, and the sums wrap as 64-bit numbers.
func frameBytes(t *decode.Tree) uint64 {
	return uint64(int64(int32(uint32(t.CI.Length))))
}
