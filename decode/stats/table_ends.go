package stats

import "github.com/sockscope/sockscope/decode"

// Fields that name a packet's ends.
var (
	fieldIPSrc       = field("ip.src")
	fieldIPDst       = field("ip.dst")
	fieldIP6Src      = field("ipv6.src")
	fieldIP6Dst      = field("ipv6.dst")
	fieldRoutingType = field("ipv6.routing.type")
	fieldSegLeft     = field("ipv6.routing.segleft")
	fieldSourceRoute = field("ipv6.routing.src.addr")
	fieldSegment     = field("ipv6.routing.srh.addr")
)

// ends reads the two ends of the layer t.Layers[i]: ok is false when
// tshark does not count it (see counted) or it lacks an address or a
// port.
func (k *tableKind) ends(t *decode.Tree, i int) (src, dst endpoint, ok bool) {
	if !counted(t, i) {
		return src, dst, false
	}
	l := int(t.Layers[i])
	if !k.hasPorts() {
		if k.addr == kindIPv4 || k.addr == kindIPv6 {
			return netEnds(t, l, k.addr)
		}
		return addrEnds(t, l, k.addr, k.src, k.dst)
	}
	sp, ok1 := t.Value(l, k.srcPort)
	dp, ok2 := t.Value(l, k.dstPort)
	if !ok1 || !ok2 {
		return src, dst, false
	}
	src, dst, ok = transportEnds(t, i)
	src.port, dst.port = uint16(sp), uint16(dp)
	return src, dst, ok
}

// transportEnds are the addresses of the transport layer t.Layers[i]:
// those of the IP layer nearest below it, where an IPv6 routing header
// names the destination the packet is routed to in the end.
func transportEnds(t *decode.Tree, i int) (src, dst endpoint, ok bool) {
	for j := i - 1; j >= 0; j-- {
		l := int(t.Layers[j])
		switch t.Nodes[l].Field {
		case layerIP:
			return netEnds(t, l, kindIPv4)
		case layerIPv6:
			src, dst, ok = netEnds(t, l, kindIPv6)
			for _, r := range t.Layers[j+1 : i] {
				if t.Nodes[r].Field == layerIPv6Routing {
					routedDst(t, int(r), &dst)
				}
			}
			return src, dst, ok
		}
	}
	return src, dst, false
}

// routedDst sets dst to the last destination the routing header at node r
// names, when segments are left to visit: a source route's (type 0) last
// address, a segment routing header's (type 4) first segment.
func routedDst(t *decode.Tree, r int, dst *endpoint) {
	if left, _ := t.Value(r, fieldSegLeft); left == 0 {
		return
	}
	last := -1
	switch typ, _ := t.Value(r, fieldRoutingType); typ {
	case 0:
		for a := t.Find(r, fieldSourceRoute); a >= 0; a = t.FindNext(r, a, fieldSourceRoute) {
			last = a
		}
	case 4:
		last = t.Find(r, fieldSegment)
	}
	if last >= 0 {
		var e endpoint
		if e.setAddr(kindIPv6, t.Bytes(last)) {
			dst.addr = e.addr
		}
	}
}

// netEnds reads the addresses of IP layer l, of kind k.
func netEnds(t *decode.Tree, l int, k addrKind) (src, dst endpoint, ok bool) {
	s, d := t.Addresses(l)
	if s < 0 || d < 0 {
		return src, dst, false
	}
	ok = src.setAddr(k, t.Bytes(s)) && dst.setAddr(k, t.Bytes(d))
	return src, dst, ok
}

// addrEnds reads the address fields src and dst, of kind k, of layer l.
func addrEnds(t *decode.Tree, l int, k addrKind, srcField, dstField decode.FieldID) (src, dst endpoint, ok bool) {
	s, d := t.Find(l, srcField), t.Find(l, dstField)
	if s < 0 || d < 0 {
		return src, dst, false
	}
	ok = src.setAddr(k, t.Bytes(s)) && dst.setAddr(k, t.Bytes(d))
	return src, dst, ok
}
