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
	// stream, if set, numbers the layer's conversations (tcp.stream): a
	// pair of ends that closes a TCP connection and opens another is two
	// conversations.
	stream decode.FieldID
}

// kinds are the TYPEs sockscope counts.
var kinds = []*tableKind{
	{name: "eth", title: "Ethernet", layer: field("eth"), src: field("eth.src"), dst: field("eth.dst"), addr: kindMAC},
	{name: "ip", title: "IPv4", layer: field("ip"), src: field("ip.src"), dst: field("ip.dst"), addr: kindIPv4},
	{name: "ipv6", title: "IPv6", layer: field("ipv6"), src: field("ipv6.src"), dst: field("ipv6.dst"), addr: kindIPv6},
	{name: "tcp", title: "TCP", layer: field("tcp"), srcPort: field("tcp.srcport"), dstPort: field("tcp.dstport"), stream: field("tcp.stream")},
	{name: "udp", title: "UDP", layer: field("udp"), srcPort: field("udp.srcport"), dstPort: field("udp.dstport")},
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
	return nil, fmt.Errorf("-z %s,%s: not a type sockscope counts; give -z %s,%s", stat, args[0], stat, kindNames())
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
