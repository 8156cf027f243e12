package stats

import (
	"fmt"
	"strings"

	"github.com/sockscope/sockscope/decode"
)

// A tableKind is one TYPE of -z conv,TYPE and -z endpoints,TYPE: which
// layer of a packet makes a conversation and where its two ends are.
type tableKind struct {
	name  string // the TYPE: "tcp"
	title string // the table's title word: "TCP"
	layer decode.FieldID
	// src and dst are the address fields of the layer itself (eth, ip,
	// ipv6), of kind addr; TCP and UDP take theirs from the network layer
	// below them.
	src, dst decode.FieldID
	addr     addrKind
	// srcPort and dstPort are the layer's port fields (TCP, UDP), 0 for
	// none.
	srcPort, dstPort decode.FieldID
}

// kinds are the TYPEs sockscope counts.
var kinds = []*tableKind{
	{name: "eth", title: "Ethernet", layer: field("eth"), src: field("eth.src"), dst: field("eth.dst"), addr: kindMAC},
	{name: "ip", title: "IPv4", layer: field("ip"), src: field("ip.src"), dst: field("ip.dst"), addr: kindIPv4},
	{name: "ipv6", title: "IPv6", layer: field("ipv6"), src: field("ipv6.src"), dst: field("ipv6.dst"), addr: kindIPv6},
	{name: "tcp", title: "TCP", layer: field("tcp"), srcPort: field("tcp.srcport"), dstPort: field("tcp.dstport")},
	{name: "udp", title: "UDP", layer: field("udp"), srcPort: field("udp.srcport"), dstPort: field("udp.dstport")},
}

// Fields that tell where a packet's layers sit.
var (
	layerIP     = field("ip")
	layerIPv6   = field("ipv6")
	fieldIPSrc  = field("ip.src")
	fieldIPDst  = field("ip.dst")
	fieldIP6Src = field("ipv6.src")
	fieldIP6Dst = field("ipv6.dst")
	layerICMP   = field("icmp")
	layerICMPv6 = field("icmpv6")
)

// countedLayers are the layers of t that tshark's tables count: all but
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

// field is the registered field named name; a missing one is a
// programming error.
func field(name string) decode.FieldID {
	id, ok := decode.Lookup(name)
	if !ok {
		panic("stats: decode has no field " + name)
	}
	return id
}

// kindOf is the TYPE named by a spec's arguments: "conv,tcp" gives
// args ["tcp"].
func kindOf(stat string, args []string) (*tableKind, error) {
	if len(args) == 0 {
		return nil, fmt.Errorf("-z %s needs a type: %s,%s", stat, stat, kindNames())
	}
	for _, k := range kinds {
		if k.name == args[0] {
			return k, nil
		}
	}
	return nil, fmt.Errorf("-z %s,%s: sockscope counts %s of type %s", stat, args[0], stat, kindNames())
}

// kindNames lists the TYPEs for a message.
func kindNames() string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.name
	}
	return strings.Join(names, "|")
}

// hasPorts reports whether the kind's ends are address and port.
func (k *tableKind) hasPorts() bool { return k.srcPort != 0 }

// ends reads the two ends of the layer whose node is l: ok is false when
// the layer lacks an address or a port (a header cut short), and the
// packet is not counted.
func (k *tableKind) ends(t *decode.Tree, l int) (src, dst endpoint, ok bool) {
	if !k.hasPorts() {
		return addrEnds(t, l, k.addr, k.src, k.dst)
	}
	sp, ok1 := t.Value(l, k.srcPort)
	dp, ok2 := t.Value(l, k.dstPort)
	if !ok1 || !ok2 {
		return src, dst, false
	}
	net := networkBelow(t, l)
	if net < 0 {
		return src, dst, false
	}
	if t.Nodes[net].Field == layerIP {
		src, dst, ok = addrEnds(t, net, kindIPv4, fieldIPSrc, fieldIPDst)
	} else {
		src, dst, ok = addrEnds(t, net, kindIPv6, fieldIP6Src, fieldIP6Dst)
	}
	src.port, dst.port = uint16(sp), uint16(dp)
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

// networkBelow is the node of the IPv4 or IPv6 layer nearest below layer
// node l, or -1.
func networkBelow(t *decode.Tree, l int) int {
	for i := len(t.Layers) - 1; i >= 0; i-- {
		n := int(t.Layers[i])
		if n >= l {
			continue
		}
		if f := t.Nodes[n].Field; f == layerIP || f == layerIPv6 {
			return n
		}
	}
	return -1
}
