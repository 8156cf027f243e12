package filter

// The generator turns the parsed tree into a condition (cond.go). Its
// design, for whoever adds to it:
//
//   - A link type is a row of linkSpecs: where its header says which
//     protocol it carries (its framing), where the network layer starts,
//     and which link-layer primitives it has (addresses, direction,
//     interface index).
//   - A protocol is a row of protocols (protocols.go): the EtherType it
//     has on a link, the IP protocol number it has in an IPv4 or IPv6
//     header, or the LLC service access point it has after an 802.3
//     length. netProto, ipProto and llcProto turn a row into tests for
//     the framing in force; adding a protocol is adding a row.
//   - Addresses and ports (hosts.go) are fields at fixed offsets of the
//     network or transport header, compared under a mask, for each
//     direction asked.
//   - Encapsulations (encap.go: vlan, mpls, pppoes, geneve) change the
//     framing and move the network layer for the rest of the expression,
//     as pcap-filter(7) says they do: gen is walked left to right.
//
// Everything here was written from pcap-filter(7), the protocols'
// specifications, and the programs tcpdump -d prints and the packets
// tcpdump -r selects (testdata/programs.txt.gz keeps tcpdump's programs
// for the expressions of testdata/filters.txt).

import (
	"fmt"
	"strings"

	"github.com/sockscope/sockscope/decode/caret"
	"github.com/sockscope/sockscope/decode/wire"
)

// framing is how a header says which protocol follows it.
type framing int

const (
	// frameEthernet: a 2-byte EtherType, or an 802.3 length (1500 or
	// less) followed by an 802.2 LLC header.
	frameEthernet framing = iota
	// frameCooked: Linux cooked capture's protocol field, an EtherType,
	// or 4 for 802.2 LLC frames and 1 for Novell's raw 802.3.
	frameCooked
	// frameIPVersion: no header; IPv4 or IPv6 by the version nibble.
	frameIPVersion
	frameIPv4Only
	frameIPv6Only
	// frameFamily: BSD loopback's 4-byte address family.
	frameFamily
	// framePPP: PPP's 2-byte protocol field (after "pppoes").
	framePPP
	// frameMPLS: after "mpls": IP by the version nibble, once the
	// bottom of the label stack is reached.
	frameMPLS
)

// linkSpec is what the generator knows of a link type.
type linkSpec struct {
	name    string
	framing framing
	typeAt  uint32 // the protocol field (frameEthernet, frameCooked)
	network uint32 // where the network layer starts
	// macs: the link has Ethernet addresses at 0 (destination) and 6
	// (source), and a broadcast and multicast address.
	macs bool
	// direction is the offset and size of the cooked header's packet
	// type (0: none).
	direction     uint32
	directionSize int
	// ifindexAt is the offset of the 4-byte interface index (0: none).
	ifindexAt uint32
	// familyNetworkOrder: the address family is big-endian whatever
	// the file's byte order (OpenBSD loopback).
	familyNetworkOrder bool
}

var linkSpecs = map[wire.LinkType]linkSpec{
	wire.LinkEthernet: {name: "Ethernet", framing: frameEthernet, typeAt: 12, network: 14, macs: true},
	// struct sll_header: packet type(2) ARPHRD(2) address length(2)
	// address(8) protocol(2).
	wire.LinkLinuxSLL: {name: "Linux cooked v1", framing: frameCooked, typeAt: 14, network: 16,
		direction: 0, directionSize: 2},
	// struct sll2_header: protocol(2) reserved(2) ifindex(4) ARPHRD(2)
	// packet type(1) address length(1) address(8).
	wire.LinkLinuxSLL2: {name: "Linux cooked v2", framing: frameCooked, typeAt: 0, network: 20,
		direction: 10, directionSize: 1, ifindexAt: 4},
	wire.LinkRaw:    {name: "raw IP", framing: frameIPVersion},
	wire.LinkRawOld: {name: "raw IP", framing: frameIPVersion},
	wire.LinkIPv4:   {name: "raw IPv4", framing: frameIPv4Only},
	wire.LinkIPv6:   {name: "raw IPv6", framing: frameIPv6Only},
	wire.LinkNull:   {name: "BSD loopback", framing: frameFamily, network: 4},
	wire.LinkLoop:   {name: "OpenBSD loopback", framing: frameFamily, network: 4, familyNetworkOrder: true},
}

// gen is the state of one compilation.
type gen struct {
	expr  string
	opt   Options
	names *Names
	link  wire.LinkType
	spec  linkSpec

	// What the encapsulations seen so far have made of the packet.
	framing    framing
	offLinkHdr loc // the link-layer header: link[...] and ether[...]
	typeAt     loc // the protocol field
	netAt      loc // the network layer
	// mplsBottom is the byte of the last MPLS label entry that holds its
	// bottom-of-stack bit, once "mpls" was seen.
	mplsBottom loc
	// macs: the frame has Ethernet addresses at offLinkHdr (the link's,
	// or the one a Geneve tunnel carries).
	macs bool

	// nextReg is the highest scratch register arithmetic may use; the
	// registers above it hold encapsulation offsets.
	nextReg int
	// unoptimized is set by protochain and geneve: tcpdump does not
	// optimise such a program, so it keeps every test and compiles even
	// if it rejects every packet (compileRaw then skips simplifying).
	unoptimized bool
}

func newGen(expr string, link wire.LinkType, opt Options) (*gen, error) {
	spec, ok := linkSpecs[link]
	if !ok {
		return nil, fmt.Errorf("filter: link type %d: %w", link, ErrLinkType)
	}
	names := opt.Names
	if names == nil {
		names = SystemNames()
	}
	g := &gen{
		expr: expr, opt: opt, names: names, link: link, spec: spec,
		framing:    spec.framing,
		macs:       spec.macs,
		offLinkHdr: at(0),
		typeAt:     at(spec.typeAt),
		netAt:      at(spec.network),
		nextReg:    memWords - 1,
	}
	return g, nil
}

// nl is where the network layer starts.
func (g *gen) nl() loc { return g.netAt }

// errorAt stops the compilation with an error at byte pos of the
// expression.
func (g *gen) errorAt(pos int, format string, args ...any) {
	panic(compileErr{&Error{Expr: g.expr, Offset: pos, Msg: oneLine(format, args...)}})
}

// oneLine is a message that quotes the expression's text on one line:
// its line breaks and tabs become spaces, other control characters "?"
// (as the caret's line shows them).
func oneLine(format string, args ...any) string {
	return strings.Map(caret.Visible, fmt.Sprintf(format, args...))
}

// node is the condition of a tree, its parts generated left to right.
func (g *gen) node(n node) cond {
	switch n := n.(type) {
	case nAnd:
		l := g.node(n.l)
		return and(l, g.node(n.r))
	case nOr:
		l := g.node(n.l)
		return or(l, g.node(n.r))
	case nNot:
		return not(g.node(n.x))
	case nID:
		return g.id(n)
	case nProto:
		return g.protoAbbrev(n.p, n.pos)
	case nRel:
		return g.relation(n)
	case nOther:
		return g.other(n)
	}
	panic(fmt.Sprintf("filter: unknown tree node %T", n))
}
