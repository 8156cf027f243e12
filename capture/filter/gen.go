package filter

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"net/netip"
	"strconv"
	"strings"

	"golang.org/x/net/bpf"

	"github.com/sockscope/sockscope/decode/wire"
)

// The generator turns the tree into a condition: and, or and not of tests,
// where each test is straight-line code that leaves a value in A and one
// conditional jump on it. Conditions keep tcpdump's order of evaluation
// (which matters when a load falls off the end of a short packet and the
// whole program rejects it): the link-layer type before the network
// header, the protocol before the port.

type (
	cond  interface{}
	cAnd  struct{ a, b cond } // a is evaluated first
	cOr   struct{ a, b cond }
	cNot  struct{ a cond }
	cTrue struct{}
	// cGraph is a condition that builds its own blocks (a loop unrolled).
	cGraph struct {
		build func(yes, no *block) *block
	}
	cFalse struct{}
	// cTest runs stmts, then jumps on A compared (jop) with k or X.
	cTest struct {
		stmts []bpf.RawInstruction
		jop   uint16
		k     uint32
		// impure tests read A as an earlier test left it ("byte N & V",
		// as in tcpdump); the optimizer must not reason about them.
		impure bool
		// constant tests compare two numbers; see graph.settleConstants.
		constant bool
	}
)

func and(a, b cond) cond { return cAnd{a, b} }
func or(a, b cond) cond  { return cOr{a, b} }
func not(a cond) cond    { return cNot{a} }

// pppType is the PPP protocol number for an Ethernet type.
func pppType(v uint32) uint32 {
	switch v {
	case etherIP:
		return 0x0021
	case etherIPv6:
		return 0x0057
	case 0x6003:
		return 0x0027
	case etherAtalk:
		return 0x0029
	case 0x0600:
		return 0x0025
	case sapISO:
		return 0x0023
	case sapSTP:
		return 0x0031
	case sapIPX:
		return 0x002b
	}
	return v
}

// snap is an 802.2 SNAP header with an organisation code and type.
func (g *gen) snap(org, typ uint32) cond {
	off := g.offLinkPL
	return and(cmpEq(off.add(4), 4, (org&0xffff)<<16|typ&0xffff), cmpEq(off, 4, 0xaaaa0300|org>>16&0xff))
}

// Ethernet types and 802.2 SAPs the primitives use.
const (
	etherIP     = 0x0800
	etherARP    = 0x0806
	etherRARP   = 0x8035
	etherIPv6   = 0x86dd
	ether8021Q  = 0x8100
	ether8021AD = 0x88a8
	etherQinQ   = 0x9100
	etherMPLS   = 0x8847
	etherPPPoED = 0x8863
	etherPPPoES = 0x8864
	etherMTU    = 1500
	etherIPX    = 0x8137
	etherAtalk  = 0x809b
	etherAarp   = 0x80f3

	sapISO     = 0xfe
	sapIP      = 0x06
	sapNetbeui = 0xf0
	sapIPX     = 0xe0
	sapSTP     = 0x42
)

type gen struct {
	expr  string
	link  wire.LinkType
	opt   Options
	names *Names

	// Offsets, from the start of the packet, that "vlan" and "mpls" move.
	offLinktype loc // the link-layer type field
	noLinktype  bool
	offLinkPL   loc    // link-layer payload
	offNL       uint32 // network header, after offLinkPL
	offNLNoSNAP uint32 // OSI network header, after offLinkPL
	offLinkHdr  loc    // the link-layer header ("ether[0]")
	geneve      bool   // after "geneve": the offsets are in registers
	nextReg     int    // registers "geneve" took, from the top down
	vlanDepth   int
	mplsDepth   int
	// unoptimized: tcpdump does not optimize programs with "protochain",
	// so it never finds that they reject every packet.
	unoptimized bool

	depth int // scratch registers in use
}

// compileErr is how a generator function gives up; Compile recovers it.
type compileErr struct{ err *Error }

func (g *gen) errorAt(pos int, format string, args ...any) {
	panic(compileErr{&Error{Expr: g.expr, Offset: pos, Msg: fmt.Sprintf(format, args...)}})
}

func newGen(expr string, link wire.LinkType, opt Options) (*gen, error) {
	g := &gen{expr: expr, link: link, opt: opt, names: opt.Names}
	if g.names == nil {
		g.names = SystemNames()
	}
	g.offLinkHdr, g.nextReg = at(0), memWords-1
	switch link {
	case wire.LinkEthernet:
		g.offLinktype, g.offLinkPL, g.offNLNoSNAP = at(12), at(14), 3
	case wire.LinkLinuxSLL:
		g.offLinktype, g.offLinkPL = at(14), at(16)
	case wire.LinkLinuxSLL2:
		g.offLinktype, g.offLinkPL = at(0), at(20)
	case wire.LinkNull, wire.LinkLoop:
		g.offLinktype, g.offLinkPL = at(0), at(4)
	case wire.LinkRaw, wire.LinkRawOld, wire.LinkIPv4, wire.LinkIPv6:
		g.offLinkPL, g.noLinktype = at(0), true
	default:
		return nil, fmt.Errorf("filter: %w: %d", ErrLinkType, link)
	}
	return g, nil
}

func (g *gen) nl() loc { return g.offLinkPL.add(g.offNL) }

// nlNoSNAP is where an OSI network header starts: after the 3-byte 802.2
// header on Ethernet.
func (g *gen) nlNoSNAP() loc { return g.offLinkPL.add(g.offNLNoSNAP) }

// Tests on packet bytes.

// loc is a place in the packet: k bytes from its start, or, after
// "geneve", k bytes from an offset the program computed into M[reg].
type loc struct {
	reg int // -1: from the start of the packet
	k   uint32
}

func at(k uint32) loc { return loc{reg: -1, k: k} }

func (l loc) add(k uint32) loc { return loc{reg: l.reg, k: l.k + k} }

// load reads size bytes at l into A.
func load(size uint16, l loc) []bpf.RawInstruction {
	if l.reg < 0 {
		return []bpf.RawInstruction{{Op: clsLD | modeABS | size, K: l.k}}
	}
	return []bpf.RawInstruction{{Op: clsLDX | modeMEM, K: uint32(l.reg)}, {Op: clsLD | modeIND | size, K: l.k}}
}

// ipHeaderLenInX puts the length of the IPv4 header at nl into X.
func ipHeaderLenInX(nl loc) []bpf.RawInstruction {
	if nl.reg < 0 {
		return []bpf.RawInstruction{{Op: clsLDX | modeMSH | sizeB, K: nl.k}}
	}
	return []bpf.RawInstruction{
		{Op: clsLDX | modeMEM, K: uint32(nl.reg)}, {Op: clsLD | modeIND | sizeB, K: nl.k},
		{Op: clsALU | aluAnd | srcK, K: 0xf}, {Op: clsALU | aluLsh | srcK, K: 2},
		{Op: clsALU | aluAdd | srcX}, {Op: clsMISC | miscTAX},
	}
}

func sizeCode(size uint32) uint16 {
	switch size {
	case 1:
		return sizeB
	case 2:
		return sizeH
	}
	return sizeW
}

// cmp is "the size-byte field at off (masked) jop k".
func cmpOp(off loc, size uint32, jop uint16, k, mask uint32) cond {
	if mask == 0 && jop == jeq {
		// Nothing of the field counts: no load (tcpdump's optimizer
		// drops it too, so a short packet is not rejected for it).
		if k == 0 {
			return cTrue{}
		}
		return cFalse{}
	}
	s := load(sizeCode(size), off)
	if full := uint64(1)<<(8*size) - 1; uint64(mask)&full != full {
		s = append(s, bpf.RawInstruction{Op: clsALU | aluAnd | srcK, K: mask})
	}
	return &cTest{stmts: s, jop: jop, k: k}
}

func cmpEq(off loc, size, k uint32) cond { return cmpOp(off, size, jeq, k, 0xffffffff) }
func mcmp(off loc, size, k, mask uint32) cond {
	return cmpOp(off, size, jeq, k, mask)
}

// transport4 is the size-byte field at off in the header after an IPv4
// header, whose length the packet gives.
func (g *gen) transport4(off uint32, size uint32, k uint32) cond {
	stmts := ipHeaderLenInX(g.nl())
	stmts = append(stmts, bpf.RawInstruction{Op: clsLD | modeIND | sizeCode(size), K: g.nl().k + off})
	return &cTest{stmts: stmts, jop: jeq, k: k}
}

// Link-layer types.

func (g *gen) linktype(v uint32) cond {
	if g.mplsDepth > 0 {
		// Under MPLS labels, the bottom label and the IP version say it.
		bottom := mcmp(g.nl().add(^uint32(1)), 1, 0x01, 0x01) // nl - 2
		switch v {
		case etherIP:
			return and(bottom, mcmp(g.nl(), 1, 0x40, 0xf0))
		case etherIPv6:
			return and(bottom, mcmp(g.nl(), 1, 0x60, 0xf0))
		}
		g.errorAt(0, "unsupported protocol over mpls")
	}
	switch g.link {
	case wire.LinkEthernet:
		switch {
		case v == sapISO || v == sapIP || v == sapNetbeui:
			return and(not(cmpOp(g.offLinktype, 2, jgt, etherMTU, 0xffff)), cmpEq(g.offLinkPL, 2, v<<8|v))
		case v == sapIPX:
			// 802.2 with the IPX SAP, raw 802.3, SNAP, or Ethernet II.
			llc := g.offLinkPL
			var c cond = or(cmpEq(llc, 1, sapIPX), cmpEq(llc, 2, 0xffff))
			c = or(g.snap(0, etherIPX), c)
			c = and(not(cmpOp(g.offLinktype, 2, jgt, etherMTU, 0xffff)), c)
			return or(cmpEq(g.offLinktype, 2, etherIPX), c)
		case v == etherAtalk || v == etherAarp:
			org := uint32(0x080007)
			if v == etherAarp {
				org = 0
			}
			c := and(not(cmpOp(g.offLinktype, 2, jgt, etherMTU, 0xffff)), g.snap(org, v))
			return or(cmpEq(g.offLinktype, 2, v), c)
		case v <= etherMTU:
			return and(not(cmpOp(g.offLinktype, 2, jgt, etherMTU, 0xffff)), cmpEq(g.offLinktype.add(2), 1, v))
		}
		return cmpEq(g.offLinktype, 2, v)
	case wire.LinkLinuxSLL:
		switch {
		case v == sapISO || v == sapIP || v == sapNetbeui:
			return and(cmpEq(g.offLinktype, 2, 4), cmpEq(g.offLinkPL, 2, v<<8|v))
		case v == sapIPX:
			llc := g.offLinkPL
			var c cond = or(cmpEq(llc, 1, sapIPX), g.snap(0, etherIPX))
			c = and(cmpEq(g.offLinktype, 2, 4), c)
			c = or(cmpEq(g.offLinktype, 2, 1), c)
			return or(cmpEq(g.offLinktype, 2, etherIPX), c)
		case v == etherAtalk || v == etherAarp:
			org := uint32(0x080007)
			if v == etherAarp {
				org = 0
			}
			c := and(cmpEq(g.offLinktype, 2, 4), g.snap(org, v))
			return or(cmpEq(g.offLinktype, 2, v), c)
		case v <= etherMTU:
			return and(cmpEq(g.offLinktype, 2, 4), cmpEq(g.offLinkPL, 1, v))
		}
		return cmpEq(g.offLinktype, 2, v)
	case wire.LinkLinuxSLL2:
		return cmpEq(g.offLinktype, 2, v)
	case wire.LinkPPP:
		return cmpEq(g.offLinktype, 2, pppType(v))
	case wire.LinkRaw, wire.LinkRawOld:
		switch v {
		case etherIP:
			return mcmp(g.offLinkPL, 1, 0x40, 0xf0)
		case etherIPv6:
			return mcmp(g.offLinkPL, 1, 0x60, 0xf0)
		}
		return cFalse{}
	case wire.LinkIPv4:
		if v == etherIP {
			return cTrue{}
		}
		return cFalse{}
	case wire.LinkIPv6:
		if v == etherIPv6 {
			return cTrue{}
		}
		return cFalse{}
	case wire.LinkNull, wire.LinkLoop:
		af := func(family uint32) cond {
			if g.link == wire.LinkNull && !g.opt.BigEndian {
				family = bits.ReverseBytes32(family)
			}
			return cmpEq(g.offLinktype, 4, family)
		}
		switch v {
		case etherIP:
			return af(2)
		case etherIPv6:
			// The BSDs' values of AF_INET6: NetBSD/OpenBSD, FreeBSD, Darwin.
			return or(af(30), or(af(24), af(28)))
		}
		return cFalse{}
	}
	panic("unreachable")
}

// Protocols.

var ipProtoNumbers = map[proto]uint32{
	pTCP: 6, pUDP: 17, pSCTP: 132, pICMP: 1, pIGMP: 2, pIGRP: 9, pPIM: 103, pVRRP: 112, pCARP: 112,
	pICMP6: 58, pAH: 51, pESP: 50,
}

var etherTypes = map[proto]uint32{
	pIP: etherIP, pArp: etherARP, pRarp: etherRARP, pIP6: etherIPv6, pAtalk: 0x809b, pAarp: 0x80f3,
	pDecnet: 0x6003, pSca: 0x6007, pLat: 0x6004, pMopdl: 0x6001, pMoprc: 0x6002,
	pISO: sapISO, pSTP: sapSTP, pIPX: sapIPX, pNetbeui: sapNetbeui,
}

// ipProto is "ip proto v", ip6Proto "ip6 proto v" (also behind one
// fragment header).
func (g *gen) ipProto(v uint32) cond {
	return and(g.linktype(etherIP), cmpEq(g.nl().add(9), 1, v))
}

func (g *gen) ip6Proto(v uint32) cond {
	return and(g.linktype(etherIPv6), or(cmpEq(g.nl().add(6), 1, v), and(cmpEq(g.nl().add(6), 1, 44), cmpEq(g.nl().add(40), 1, v))))
}

// protoAbbrev is a protocol name on its own: "tcp", "arp".
func (g *gen) protoAbbrev(p proto, pos int) cond {
	switch p {
	case pTCP, pUDP, pSCTP, pPIM, pAH, pESP:
		v := ipProtoNumbers[p]
		return or(g.ipProto(v), g.ip6Proto(v))
	case pICMP, pIGMP, pIGRP, pVRRP, pCARP:
		return g.ipProto(ipProtoNumbers[p])
	case pICMP6:
		return g.ip6Proto(58)
	case pLink:
		g.errorAt(pos, "link layer applied in wrong context")
	case pRadio:
		g.errorAt(pos, "'radio' applies only to 802.11 radio captures")
	case pESIS:
		return g.proto(0x82, pISO, dDefault, pos)
	case pISIS:
		return g.proto(0x83, pISO, dDefault, pos)
	case pCLNP:
		return g.proto(0x81, pISO, dDefault, pos)
	case pL1, pL2, pIIH, pLSP, pSNP, pCSNP, pPSNP:
		pdus := map[proto][]uint32{
			pL1: {15, 17, 18, 24, 26}, pL2: {16, 17, 20, 25, 27}, pIIH: {15, 16, 17},
			pLSP: {18, 20}, pSNP: {24, 25, 26, 27}, pCSNP: {24, 25}, pPSNP: {26, 27},
		}[p]
		c := or(g.proto(pdus[0], pISIS, dDefault, pos), g.proto(pdus[1], pISIS, dDefault, pos))
		for _, v := range pdus[2:] {
			c = or(g.proto(v, pISIS, dDefault, pos), c)
		}
		return c
	}
	if t, ok := etherTypes[p]; ok {
		return g.linktype(t)
	}
	g.errorAt(pos, "%q (OSI) is not supported by sockscope's filter compiler", p.String())
	return nil
}

// proto is "[ip|ip6|ether] proto v".
func (g *gen) proto(v uint32, p proto, dir dirQual, pos int) cond {
	if dir != dDefault {
		g.errorAt(pos, "direction applied to 'proto'")
	}
	switch p {
	case pDefault:
		return or(g.ipProto(v), g.ip6Proto(v))
	case pLink:
		return g.linktype(v)
	case pIP:
		return g.ipProto(v)
	case pIP6:
		return g.ip6Proto(v)
	case pISO:
		return and(g.linktype(sapISO), cmpEq(g.nlNoSNAP(), 1, v))
	case pISIS:
		return and(g.proto(0x83, pISO, dDefault, pos), cmpEq(g.nlNoSNAP().add(4), 1, v))
	case pArp, pRarp, pLat, pSca, pMoprc, pMopdl:
		g.errorAt(pos, "%s does not encapsulate another protocol", p)
	case pCLNP:
		g.errorAt(pos, "'clnp proto' is not supported")
	}
	g.errorAt(pos, "'%s proto' is bogus", p)
	return nil
}

func (g *gen) ipFirstFragment() cond {
	return not(&cTest{stmts: load(sizeH, g.nl().add(6)), jop: jset, k: 0x1fff})
}

// Hosts and networks.

func dirError(g *gen, pos int, dir dirQual, what string) {
	switch dir {
	case dAddr1, dAddr2, dAddr3, dAddr4:
		n := int(dir-dAddr1) + 1
		g.errorAt(pos, "'addr%d' and 'address%d' are not valid qualifiers for %s", n, n, what)
	case dRA:
		g.errorAt(pos, "'ra' is not a valid qualifier for %s", what)
	case dTA:
		g.errorAt(pos, "'ta' is not a valid qualifier for %s", what)
	}
}

// byDir combines the source and destination forms of a test.
func byDir(dir dirQual, src, dst func() cond) cond {
	switch dir {
	case dSrc:
		return src()
	case dDst:
		return dst()
	case dAnd:
		return and(src(), dst())
	}
	return or(src(), dst())
}

func (g *gen) hostop(addr, mask uint32, dir dirQual, etype uint32, srcOff, dstOff uint32, pos int) cond {
	dirError(g, pos, dir, "addresses other than 802.11 MAC addresses")
	at := func(off uint32) func() cond {
		return func() cond { return and(g.linktype(etype), mcmp(g.nl().add(off), 4, addr, mask)) }
	}
	return byDir(dir, at(srcOff), at(dstOff))
}

// host is an IPv4 host or network (what says which, for errors).
func (g *gen) host(addr, mask uint32, p proto, dir dirQual, what string, pos int) cond {
	switch p {
	case pDefault:
		ip := g.hostop(addr, mask, dir, etherIP, 12, 16, pos)
		if g.mplsDepth > 0 {
			return ip // no ARP inside MPLS
		}
		arp := g.hostop(addr, mask, dir, etherARP, 14, 24, pos)
		rarp := g.hostop(addr, mask, dir, etherRARP, 14, 24, pos)
		return or(or(ip, arp), rarp)
	case pIP:
		return g.hostop(addr, mask, dir, etherIP, 12, 16, pos)
	case pArp:
		return g.hostop(addr, mask, dir, etherARP, 14, 24, pos)
	case pRarp:
		return g.hostop(addr, mask, dir, etherRARP, 14, 24, pos)
	case pLink:
		g.errorAt(pos, "link-layer modifier applied to %s", what)
	case pIP6:
		g.errorAt(pos, "'ip6' modifier applied to ip %s", what)
	}
	g.errorAt(pos, "'%s' modifier applied to %s", p, what)
	return nil
}

func (g *gen) host6(addr, mask [16]byte, p proto, dir dirQual, what string, pos int) cond {
	switch p {
	case pDefault, pIP6:
	case pLink:
		g.errorAt(pos, "link-layer modifier applied to ip6 %s", what)
	case pIP:
		g.errorAt(pos, "'ip' modifier applied to ip6 %s", what)
	default:
		g.errorAt(pos, "'%s' modifier applied to ip6 %s", p, what)
	}
	dirError(g, pos, dir, "addresses other than 802.11 MAC addresses")
	at := func(off uint32) func() cond {
		return func() cond {
			var c cond = g.linktype(etherIPv6)
			for i := uint32(0); i < 4; i++ {
				a := binary.BigEndian.Uint32(addr[4*i:])
				m := binary.BigEndian.Uint32(mask[4*i:])
				c = and(c, mcmp(g.nl().add(off+4*i), 4, a&m, m))
			}
			return c
		}
	}
	return byDir(dir, at(8), at(24))
}

// ehost is an Ethernet address test.
func (g *gen) ehost(mac [6]byte, dir dirQual, pos int) cond {
	if g.link != wire.LinkEthernet {
		g.errorAt(pos, "Ethernet addresses are only in Ethernet captures (this one is %s)", linkName(g.link))
	}
	dirError(g, pos, dir, "Ethernet addresses in Ethernet frames")
	at := func(k uint32) func() cond {
		return func() cond {
			off := g.offLinkHdr.add(k)
			return and(cmpEq(off.add(2), 4, binary.BigEndian.Uint32(mac[2:])), cmpEq(off, 2, uint32(binary.BigEndian.Uint16(mac[:]))))
		}
	}
	return byDir(dir, at(6), at(0))
}

func linkName(link wire.LinkType) string {
	switch link {
	case wire.LinkEthernet:
		return "Ethernet"
	case wire.LinkLinuxSLL:
		return "Linux cooked v1"
	case wire.LinkLinuxSLL2:
		return "Linux cooked v2"
	case wire.LinkNull, wire.LinkLoop:
		return "BSD loopback"
	case wire.LinkPPP:
		return "PPP"
	}
	return "raw IP"
}

// Ports.

func (g *gen) portSel(dir dirQual, atom func(off uint32) cond) cond {
	return byDir(dir, func() cond { return atom(0) }, func() cond { return atom(2) })
}

func (g *gen) portOrRange(lo, hi uint32, ipproto int, dir dirQual, pos int, what string, only4 ...bool) cond {
	dirError(g, pos, dir, what)
	if lo > hi {
		lo, hi = hi, lo
	}
	atom4 := func(off uint32) cond {
		if what == "ports" {
			return g.transport4(off, 2, lo)
		}
		t := g.transport4(off, 2, lo).(*cTest)
		ge := &cTest{stmts: t.stmts, jop: jge, k: lo}
		gt := &cTest{stmts: t.stmts, jop: jgt, k: hi}
		return and(ge, not(gt))
	}
	atom6 := func(off uint32) cond {
		if what == "ports" {
			return cmpEq(g.nl().add(40+off), 2, lo)
		}
		return and(cmpOp(g.nl().add(40+off), 2, jge, lo, 0xffff), not(cmpOp(g.nl().add(40+off), 2, jgt, hi, 0xffff)))
	}
	op4 := func(ipp uint32) cond {
		return and(and(cmpEq(g.nl().add(9), 1, ipp), g.ipFirstFragment()), g.portSel(dir, atom4))
	}
	op6 := func(ipp uint32) cond {
		return and(cmpEq(g.nl().add(6), 1, ipp), g.portSel(dir, atom6))
	}
	each := func(op func(uint32) cond) cond {
		if ipproto == protoUndef {
			return or(op(ipprotoSCTP), or(op(ipprotoTCP), op(ipprotoUDP)))
		}
		return op(uint32(ipproto))
	}
	if len(only4) > 0 {
		// One IP version, for "geneve".
		if only4[0] {
			return and(g.linktype(etherIP), each(op4))
		}
		return and(g.linktype(etherIPv6), each(op6))
	}
	v6 := and(g.linktype(etherIPv6), each(op6))
	v4 := and(g.linktype(etherIP), each(op4))
	return or(v6, v4)
}

func portProto(g *gen, p proto, pos int, what string) int {
	switch p {
	case pDefault:
		return protoUndef
	case pTCP:
		return ipprotoTCP
	case pUDP:
		return ipprotoUDP
	case pSCTP:
		return ipprotoSCTP
	}
	g.errorAt(pos, "illegal qualifier of '%s'", what)
	return 0
}

// namedPort resolves a service name under a tcp/udp/sctp qualifier.
func (g *gen) namedPort(name string, p proto, pos int, what string) (int, int) {
	port, real, ok := g.names.port(name)
	if !ok {
		g.errorAt(pos, "unknown port '%s'", name)
	}
	protoName := map[int]string{ipprotoTCP: "tcp", ipprotoUDP: "udp", ipprotoSCTP: "sctp"}
	if want := portProto(g, p, pos, what); want != protoUndef {
		if real != protoUndef && real != want {
			g.errorAt(pos, "port '%s' is %s", name, protoName[real])
		}
		real = want
	}
	return port, real
}

// The tree.

func (g *gen) node(n node) cond {
	switch n := n.(type) {
	case nAnd:
		a := g.node(n.l)
		return and(a, g.node(n.r))
	case nOr:
		a := g.node(n.l)
		return or(a, g.node(n.r))
	case nNot:
		return not(g.node(n.x))
	case nProto:
		return g.protoAbbrev(n.p, n.pos)
	case nID:
		return g.id(n)
	case nRel:
		return g.relation(n)
	case nOther:
		return g.other(n)
	}
	panic(fmt.Sprintf("filter: unknown node %T", n))
}

func (g *gen) id(n nID) cond {
	q, t, pos := n.q, n.tok, n.tok.pos
	if q.undef {
		g.errorAt(pos, "syntax error: %s needs a qualifier such as host, net or port", t)
	}
	switch t.kind {
	case tNum:
		return g.number(q, t.num, 32, false, pos)
	case tHID:
		switch q.addr {
		case aPort, aPortrange, aProto, aProtochain:
			g.errorAt(pos, "'%s' modifier applied to ip host", map[addrQual]string{aPort: "port", aPortrange: "portrange", aProto: "proto", aProtochain: "protochain"}[q.addr])
		}
		v, vlen := atoin(t.text)
		if vlen < 0 {
			g.errorAt(pos, "invalid IPv4 address '%s'", t.text)
		}
		if n.masklen >= 0 || n.mask != nil {
			return g.masked(n, v, vlen)
		}
		return g.number(q, v, vlen, true, pos)
	case tHID6:
		addr, err := netip.ParseAddr(t.text)
		if err != nil || !addr.Is6() && !addr.Is4In6() {
			g.errorAt(pos, "bogus IPv6 address %s", t.text)
		}
		masklen := 128
		if n.masklen >= 0 {
			masklen = n.masklen
		}
		if masklen > 128 {
			g.errorAt(pos, "mask length must be <= 128")
		}
		var mask [16]byte
		for i := 0; i < masklen; i++ {
			mask[i/8] |= 0x80 >> (i % 8)
		}
		a := addr.As16()
		for i := range a {
			if a[i]&^mask[i] != 0 {
				g.errorAt(pos, "non-network bits set in \"%s/%d\"", t.text, masklen)
			}
		}
		switch q.addr {
		case aDefault, aHost:
			if masklen != 128 {
				g.errorAt(pos, "Mask syntax for networks only")
			}
			return g.host6(a, mask, q.proto, q.dir, "host", pos)
		case aNet:
			return g.host6(a, mask, q.proto, q.dir, "net", pos)
		}
		g.errorAt(pos, "invalid qualifier against IPv6 address")
	case tEID:
		mac, ok := parseMAC(t.text)
		if !ok {
			g.errorAt(pos, "bogus Ethernet address %s", t.text)
		}
		if (q.addr == aHost || q.addr == aDefault) && q.proto == pLink {
			return g.innerEthernet(g.ehost(mac, q.dir, pos))
		}
		g.errorAt(pos, "ethernet address used in non-ether expression")
	case tAID:
		g.errorAt(pos, "ARCnet addresses ($%s) are only in ARCnet captures", t.text[1:])
	case tID:
		return g.name(q, t.text, pos)
	}
	panic("unreachable")
}

// number is a numeric id: an address (v with vlen significant bits), a
// port, or a protocol.
func (g *gen) number(q qual, v uint32, vlen int, dotted bool, pos int) cond {
	switch q.addr {
	case aDefault, aHost, aNet:
		if q.proto == pDecnet {
			if dotted {
				var area, node uint32
				if n, _ := fmt.Sscanf(strings.Replace(dottedText(g, pos), ".", " ", 1), "%d %d", &area, &node); n != 2 {
					g.errorAt(pos, "malformed decnet address '%s'", dottedText(g, pos))
				}
				v = area<<10&0xfc00 | node&0x3ff
			}
			return g.decnetHost(v, q.dir, pos)
		}
		if q.proto == pLink {
			g.errorAt(pos, "illegal link layer address")
		}
		mask := uint32(0xffffffff)
		if !dotted && q.addr == aNet {
			for v != 0 && v&0xff000000 == 0 {
				v, mask = v<<8, mask<<8
			}
		} else {
			v, mask = shl(v, 32-vlen), shl(mask, 32-vlen)
		}
		what := "host"
		if q.addr == aNet {
			what = "net"
		}
		return g.host(v, mask, q.proto, q.dir, what, pos)
	case aPort, aPortrange:
		what := map[addrQual]string{aPort: "port", aPortrange: "portrange"}[q.addr]
		ipp := portProto(g, q.proto, pos, what)
		if v > 65535 {
			g.errorAt(pos, "illegal port number %d > 65535", v)
		}
		if q.addr == aPort {
			return g.portOrRange(v, v, ipp, q.dir, pos, "ports")
		}
		return g.portOrRange(v, v, ipp, q.dir, pos, "port ranges")
	case aGateway:
		g.errorAt(pos, "'gateway' requires a name")
	case aProto:
		return g.proto(v, q.proto, q.dir, pos)
	case aProtochain:
		return g.protochain(v, q.proto, pos)
	}
	panic("unreachable")
}

func shl(v uint32, n int) uint32 {
	if n >= 32 {
		return 0
	}
	return v << n
}

// dottedText is the token at pos, for the address forms that need its text.
func dottedText(g *gen, pos int) string {
	end := pos
	for end < len(g.expr) && strings.IndexByte(" \t\r\n()!", g.expr[end]) < 0 {
		end++
	}
	return g.expr[pos:end]
}

// decnetHost is a DECnet address (area<<10 | node) in the long or short
// data packet header, with or without padding. The address is
// little-endian on the wire; tcpdump compares it as its host (x86) reads
// it, which these values do.
func (g *gen) decnetHost(addr uint32, dir dirQual, pos int) cond {
	switch dir {
	case dAnd:
		return and(g.decnetHost(addr, dSrc, pos), g.decnetHost(addr, dDst, pos))
	case dDefault, dOr:
		return or(g.decnetHost(addr, dSrc, pos), g.decnetHost(addr, dDst, pos))
	}
	dirError(g, pos, dir, "addresses other than 802.11 MAC addresses")
	sh, lh := uint32(1), uint32(7)
	if dir == dSrc {
		sh, lh = 3, 15
	}
	nl := g.nl()
	a := uint32(addr&0xff)<<8 | addr>>8&0xff
	long := and(mcmp(nl.add(2), 2, 0x8106, 0xff07), cmpEq(nl.add(2+1+lh), 2, a))
	longNoPad := and(mcmp(nl.add(2), 1, 0x06, 0x07), cmpEq(nl.add(2+lh), 2, a))
	short := and(mcmp(nl.add(2), 2, 0x8102, 0xff07), cmpEq(nl.add(2+1+sh), 2, a))
	shortNoPad := and(mcmp(nl.add(2), 1, 0x02, 0x07), cmpEq(nl.add(2+sh), 2, a))
	return and(g.linktype(0x6003), or(shortNoPad, or(short, or(longNoPad, long))))
}

// masked is "net a.b.c.d/len" or "net a.b.c.d mask m.m.m.m".
func (g *gen) masked(n nID, v uint32, vlen int) cond {
	pos := n.tok.pos
	v = shl(v, 32-vlen)
	var m uint32
	if n.mask != nil {
		mv, mlen := atoin(n.mask.text)
		if mlen < 0 {
			g.errorAt(n.mask.pos, "invalid IPv4 address '%s'", n.mask.text)
		}
		m = shl(mv, 32-mlen)
		if v&^m != 0 {
			g.errorAt(pos, "non-network bits set in \"%s mask %s\"", n.tok.text, n.mask.text)
		}
	} else {
		if n.masklen > 32 {
			g.errorAt(pos, "mask length must be <= 32")
		}
		m = shl(0xffffffff, 32-n.masklen)
		if v&^m != 0 {
			g.errorAt(pos, "non-network bits set in \"%s/%d\"", n.tok.text, n.masklen)
		}
	}
	if n.q.addr != aNet {
		g.errorAt(pos, "Mask syntax for networks only")
	}
	return g.host(v, m, n.q.proto, n.q.dir, "net", pos)
}

// atoin reads a dotted IPv4 address or prefix as libpcap does: each part
// decimal and at most 255; it returns the value and 8 bits per part, or
// -1 for a bad address.
func atoin(s string) (uint32, int) {
	var addr uint32
	bitsLen := 0
	for _, part := range strings.Split(s, ".") {
		n := uint32(0)
		for i := 0; i < len(part); i++ {
			if n > 25 {
				return 0, -1
			}
			n = n*10 + uint32(part[i]-'0')
		}
		if n > 255 {
			return 0, -1
		}
		addr = addr<<8 | n
		bitsLen += 8
	}
	return addr, bitsLen
}

func parseMAC(s string) ([6]byte, bool) {
	var mac [6]byte
	hex := strings.NewReplacer(":", "", "-", "", ".", "")
	var parts []string
	switch {
	case strings.Count(s, ":") == 5:
		parts = strings.Split(s, ":")
	case strings.Count(s, "-") == 5:
		parts = strings.Split(s, "-")
	case strings.Count(s, ".") == 5:
		parts = strings.Split(s, ".")
	default:
		h := hex.Replace(s)
		if len(h) != 12 {
			return mac, false
		}
		for i := range mac {
			v, err := strconv.ParseUint(h[2*i:2*i+2], 16, 8)
			if err != nil {
				return mac, false
			}
			mac[i] = byte(v)
		}
		return mac, true
	}
	for i, p := range parts {
		v, err := strconv.ParseUint(p, 16, 8)
		if err != nil {
			return mac, false
		}
		mac[i] = byte(v)
	}
	return mac, true
}

// name is an id that is a word: a host, network, port, protocol or
// Ethernet host name.
func (g *gen) name(q qual, name string, pos int) cond {
	switch q.addr {
	case aNet:
		addr, ok := g.names.network(name)
		if !ok {
			g.errorAt(pos, "unknown network '%s'", name)
		}
		mask := uint32(0xffffffff)
		for addr != 0 && addr&0xff000000 == 0 {
			addr, mask = addr<<8, mask<<8
		}
		return g.host(addr, mask, q.proto, q.dir, "net", pos)
	case aDefault, aHost:
		if q.proto == pLink {
			mac, ok := g.names.ether(name)
			if g.link != wire.LinkEthernet {
				g.errorAt(pos, "only ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel supports link-level host name")
			}
			if !ok {
				g.errorAt(pos, "unknown ether host '%s'", name)
			}
			return g.innerEthernet(g.ehost(mac, q.dir, pos))
		}
		if q.proto == pDecnet {
			g.errorAt(pos, "DECnet host names are not supported by sockscope's filter compiler")
		}
		addrs := g.names.host(name)
		if len(addrs) == 0 {
			g.errorAt(pos, "unknown host '%s'", name)
		}
		p4, p6 := q.proto, q.proto
		if g.noLinktype && q.proto == pDefault {
			p4, p6 = pIP, pIP6
		}
		var c cond
		for _, a := range addrs {
			var t cond
			switch {
			case a.Is4():
				if p4 == pIP6 {
					continue
				}
				t = g.host(binary.BigEndian.Uint32(a.AsSlice()), 0xffffffff, p4, q.dir, "host", pos)
			default:
				if p6 == pIP {
					continue
				}
				var full [16]byte
				for i := range full {
					full[i] = 0xff
				}
				t = g.host6(a.As16(), full, p6, q.dir, "host", pos)
			}
			if c == nil {
				c = t
			} else {
				c = or(c, t)
			}
		}
		if c == nil {
			suffix := ""
			if q.proto != pDefault {
				suffix = " for specified address family"
			}
			g.errorAt(pos, "unknown host '%s'%s", name, suffix)
		}
		return c
	case aPort:
		port, real := g.namedPort(name, q.proto, pos, "port")
		return g.portOrRange(uint32(port), uint32(port), real, q.dir, pos, "ports")
	case aPortrange:
		portProto(g, q.proto, pos, "portrange")
		lo, hi, real, ok := g.portRange(name, q.proto, pos)
		if !ok {
			g.errorAt(pos, "unknown port in range '%s'", name)
		}
		if lo > 65535 || hi > 65535 {
			g.errorAt(pos, "illegal port number %d > 65535", max(lo, hi))
		}
		return g.portOrRange(uint32(lo), uint32(hi), real, q.dir, pos, "port ranges")
	case aGateway:
		// libpcap 1.10 built with IPv6, as tcpdump is, has no gateway.
		g.errorAt(pos, "'gateway' not supported in this configuration (write it as: ether host ROUTER-MAC and not host ROUTER-IP)")
	case aProto, aProtochain:
		v := g.lookupProto(name, q.proto, pos)
		if q.addr == aProto {
			return g.proto(v, q.proto, q.dir, pos)
		}
		return g.protochain(v, q.proto, pos)
	}
	panic("unreachable")
}

// portRange reads "lo-hi", numbers or service names.
func (g *gen) portRange(s string, p proto, pos int) (lo, hi, real int, ok bool) {
	if a, b, found := strings.Cut(s, "-"); found {
		if x, err1 := strconv.Atoi(leadingInt(a)); err1 == nil && a != "" && isDigit(a[0]) {
			if y, err2 := strconv.Atoi(leadingInt(b)); err2 == nil && b != "" && isDigit(b[0]) {
				want := portProto(g, p, pos, "portrange")
				return x, y, want, true
			}
		}
		l, r1 := g.namedPort(a, p, pos, "portrange")
		h, r2 := g.namedPort(b, p, pos, "portrange")
		if r1 != r2 {
			r1 = protoUndef
		}
		return l, h, r1, true
	}
	return 0, 0, 0, false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func leadingInt(s string) string {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return s[:i]
}

var etherProtoNames = map[string]uint32{
	"aarp": 0x80f3, "arp": etherARP, "atalk": 0x809b, "decnet": 0x6003, "ip": etherIP, "ip6": etherIPv6,
	"lat": 0x6004, "loopback": 0x9000, "mopdl": 0x6001, "moprc": 0x6002, "rarp": etherRARP, "sca": 0x6007,
	"iso": sapISO, "stp": sapSTP, "ipx": sapIPX, "netbeui": sapNetbeui,
}

func (g *gen) lookupProto(name string, p proto, pos int) uint32 {
	switch p {
	case pDefault, pIP, pIP6:
		v, ok := g.names.protocol(name)
		if !ok {
			g.errorAt(pos, "unknown ip proto '%s'", name)
		}
		return uint32(v)
	case pLink:
		v, ok := etherProtoNames[name]
		if !ok {
			g.errorAt(pos, "unknown ether proto '%s'", name)
		}
		return v
	case pISO:
		switch name {
		case "esis":
			return 0x82
		case "isis":
			return 0x83
		case "clnp":
			return 0x81
		}
		g.errorAt(pos, "unknown osi proto '%s'", name)
	}
	g.errorAt(pos, "unknown protocol: %s", name)
	return 0
}

// protochainDepth is how many IPv6 extension headers (and AH headers)
// "protochain" follows before it gives up and rejects the packet. tcpdump
// loops without a bound (which a kernel would refuse); real packets have
// a handful.
const protochainDepth = 12

// protochain is "[ip|ip6] protochain v": v is the protocol of the header
// itself or of one after a chain of IPv6 extension headers (hop-by-hop,
// destination options, routing, fragment) and AH headers. The program
// walks the chain with A holding the next protocol and X the offset of
// the header, as tcpdump's does; that includes its reading of an AH
// header's length as the offset from the network header.
func (g *gen) protochain(v uint32, p proto, pos int) cond {
	switch p {
	case pDefault:
		return or(g.protochain(v, pIP, pos), g.protochain(v, pIP6, pos))
	case pIP, pIP6:
	default:
		g.errorAt(pos, "bad protocol applied for 'protochain'")
	}
	g.unoptimized = true
	if g.nl().reg >= 0 {
		g.errorAt(pos, "'protochain' not supported with variable length headers")
	}
	nl := g.nl().k
	var start []bpf.RawInstruction
	if p == pIP {
		start = []bpf.RawInstruction{{Op: clsLD | modeABS | sizeB, K: nl + 9}, {Op: clsLDX | modeMSH | sizeB, K: nl}}
	} else {
		start = []bpf.RawInstruction{{Op: clsLD | modeABS | sizeB, K: nl + 6}, {Op: clsLDX | modeIMM, K: 40}}
	}
	const m = 0 // scratch: the next header while X moves on
	advanceExt := []bpf.RawInstruction{
		{Op: clsLD | modeIND | sizeB, K: nl}, {Op: clsST, K: m},
		{Op: clsLD | modeIND | sizeB, K: nl + 1}, {Op: clsALU | aluAdd | srcK, K: 1},
		{Op: clsALU | aluMul | srcK, K: 8}, {Op: clsALU | aluAdd | srcX},
		{Op: clsMISC | miscTAX}, {Op: clsLD | modeMEM, K: m},
	}
	advanceAH := []bpf.RawInstruction{
		{Op: clsMISC | miscTXA}, {Op: clsLD | modeIND | sizeB, K: nl}, {Op: clsST, K: m},
		{Op: clsMISC | miscTXA}, {Op: clsALU | aluAdd | srcK, K: 1}, {Op: clsMISC | miscTAX},
		{Op: clsLD | modeIND | sizeB, K: nl}, {Op: clsALU | aluAdd | srcK, K: 2},
		{Op: clsALU | aluMul | srcK, K: 4}, {Op: clsMISC | miscTAX}, {Op: clsLD | modeMEM, K: m},
	}
	v6 := p == pIP6
	chain := cGraph{build: func(yes, no *block) *block {
		test := func(stmts []bpf.RawInstruction, k uint32, t, f *block) *block {
			return &block{test: &cTest{stmts: stmts, jop: jeq, k: k, impure: true}, t: t, f: f}
		}
		end := test(nil, v, yes, no)
		// rest is iteration k's tests after "is it v": where a header that
		// came in with a given way of advancing goes.
		var enter func(k int, prefix []bpf.RawInstruction) *block
		rests := make([]*block, protochainDepth)
		enter = func(k int, prefix []bpf.RawInstruction) *block {
			if k == protochainDepth {
				return no
			}
			if rests[k] == nil {
				ah := test(nil, 51, enter(k+1, advanceAH), end)
				next := ah
				if v6 {
					ext := enter(k+1, advanceExt)
					for _, h := range []uint32{44, 43, 60, 0} {
						next = test(nil, h, ext, next)
					}
				}
				rests[k] = test(nil, 59, end, next)
			}
			return test(prefix, v, yes, rests[k])
		}
		return enter(0, start)
	}}
	return and(g.linktype(map[proto]uint32{pIP: etherIP, pIP6: etherIPv6}[p]), chain)
}

// Primitives with their own keyword.

func (g *gen) other(o nOther) cond {
	switch o.key {
	case kBroadcast:
		return g.broadcast(o)
	case kMulticast:
		return g.multicast(o)
	case kLess:
		return not(&cTest{stmts: []bpf.RawInstruction{{Op: clsLD | modeLEN}}, jop: jgt, k: o.n})
	case kGreater:
		return &cTest{stmts: []bpf.RawInstruction{{Op: clsLD | modeLEN}}, jop: jge, k: o.n}
	case kByte:
		at := g.offLinkHdr.add(o.n)
		switch o.op {
		case "=":
			return cmpEq(at, 1, o.n2)
		case "<":
			return not(cmpOp(at, 1, jge, o.n2, 0xff))
		case ">":
			return cmpOp(at, 1, jgt, o.n2, 0xff)
		}
		op := uint16(aluAnd)
		if o.op == "|" {
			op = aluOr
		}
		return not(&cTest{stmts: []bpf.RawInstruction{{Op: clsALU | op | srcK, K: o.n2}}, jop: jeq, k: 0, impure: true})
	case kInbound, kOutbound:
		var out cond
		switch {
		case g.link == wire.LinkLinuxSLL:
			out = cmpEq(at(0), 2, 4)
		case g.link == wire.LinkLinuxSLL2:
			out = cmpEq(at(10), 1, 4)
		case g.opt.Live:
			out = cmpEq(at(skfAdOff+skfAdPkttype), 4, 4)
		default:
			g.errorAt(o.pos, "inbound/outbound not supported on %s (a capture file has no direction; Linux cooked captures, -i any, do)", linkName(g.link))
		}
		if o.key == kInbound {
			return not(out)
		}
		return out
	case kIfindex:
		switch {
		case g.link == wire.LinkLinuxSLL2:
			return cmpEq(at(4), 4, o.n)
		case g.opt.Live:
			return cmpEq(at(skfAdOff+skfAdIfindex), 4, o.n)
		}
		g.errorAt(o.pos, "ifindex not supported on %s (only Linux cooked v2 captures, -i any, record it)", linkName(g.link))
	case kVlan:
		return g.vlan(o)
	case kMpls:
		return g.mpls(o)
	case kPppoed:
		return g.linktype(etherPPPoED)
	case kPppoes:
		return g.pppoes(o)
	case kLLC:
		return g.llc(o)
	case kGeneve:
		return g.geneveEncap(o)
	case kWlanType:
		g.errorAt(o.pos, "802.11 link-layer types supported only on 802.11")
	case kATM:
		g.errorAt(o.pos, "'%s' supported only on raw ATM", o.keyTok.text)
	case kMTP:
		g.errorAt(o.pos, "'%s' supported only on SS7", o.keyTok.text)
	case kPF:
		g.errorAt(o.pos, "'%s' supported only on PFLOG linktype", o.keyTok.text)
	}
	panic("unreachable")
}

func (g *gen) broadcast(o nOther) cond {
	switch o.p {
	case pDefault, pLink:
		if g.link != wire.LinkEthernet {
			g.errorAt(o.pos, "not a broadcast link")
		}
		return g.innerEthernet(g.ehost([6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, dDst, o.pos))
	case pIP:
		if g.opt.Netmask == 0xffffffff {
			g.errorAt(o.pos, "netmask not known, so 'ip broadcast' not supported")
		}
		host := ^g.opt.Netmask
		return and(g.linktype(etherIP), or(mcmp(g.nl().add(16), 4, 0, host), mcmp(g.nl().add(16), 4, host, host)))
	}
	g.errorAt(o.pos, "only link-layer/IP broadcast filters supported")
	return nil
}

func (g *gen) multicast(o nOther) cond {
	switch o.p {
	case pDefault, pLink:
		if g.link != wire.LinkEthernet {
			g.errorAt(o.pos, "link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel")
		}
		return g.innerEthernet(&cTest{stmts: load(sizeB, g.offLinkHdr), jop: jset, k: 1})
	case pIP:
		return and(g.linktype(etherIP), cmpOp(g.nl().add(16), 1, jge, 224, 0xff))
	case pIP6:
		return and(g.linktype(etherIPv6), cmpEq(g.nl().add(24), 1, 255))
	}
	g.errorAt(o.pos, "link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel")
	return nil
}

func (g *gen) vlan(o nOther) cond {
	if g.mplsDepth > 0 {
		g.errorAt(o.pos, "no VLAN match after MPLS")
	}
	if g.link != wire.LinkEthernet {
		g.errorAt(o.pos, "no VLAN support for %s", linkName(g.link))
	}
	var c cond = or(or(g.linktype(ether8021Q), g.linktype(ether8021AD)), g.linktype(etherQinQ))
	if o.hasN {
		if o.n > 0x0fff {
			g.errorAt(o.pos, "VLAN tag %d greater than maximum %d", o.n, 0x0fff)
		}
		c = and(c, mcmp(g.offLinkPL, 2, o.n, 0x0fff))
	}
	g.offLinkPL = g.offLinkPL.add(4)
	g.offLinktype = g.offLinktype.add(4)
	g.vlanDepth++
	return c
}

func (g *gen) mpls(o nOther) cond {
	var c cond
	if g.mplsDepth > 0 {
		// The previous label must not be the bottom of the stack.
		c = mcmp(g.nl().add(^uint32(1)), 1, 0, 0x01) // nl - 2
	} else {
		switch g.link {
		case wire.LinkEthernet:
			c = g.linktype(etherMPLS)
		case wire.LinkPPP:
			c = g.linktype(0x0281)
		default:
			g.errorAt(o.pos, "no MPLS support for %s", linkName(g.link))
		}
	}
	if o.hasN {
		if o.n > 0xfffff {
			g.errorAt(o.pos, "MPLS label %d greater than maximum %d", o.n, 0xfffff)
		}
		c = and(c, mcmp(g.nl(), 4, o.n<<12, 0xfffff000))
	}
	g.offNL += 4
	g.mplsDepth++
	return c
}

func (g *gen) pppoes(o nOther) cond {
	c := g.linktype(etherPPPoES)
	if o.hasN {
		if o.n > 0xffff {
			g.errorAt(o.pos, "PPPoE session number %d greater than maximum %d", o.n, 0xffff)
		}
		c = and(c, mcmp(g.nl(), 4, o.n, 0xffff))
	}
	// What follows is PPP, 6 bytes past the PPPoE header's start.
	g.link = wire.LinkPPP
	g.offLinkHdr = g.nl().add(6)
	g.offLinktype = g.offLinkHdr
	g.offLinkPL = g.offLinkHdr.add(2)
	g.offNL, g.offNLNoSNAP = 0, 0
	return c
}

var llcSubtypes = map[string]struct {
	v, mask uint32
}{
	"rr": {0x01, 0x0f}, "rnr": {0x05, 0x0f}, "rej": {0x09, 0x0f},
	"ui": {0x03, 0xef}, "ua": {0x63, 0xef}, "disc": {0x43, 0xef}, "dm": {0x0f, 0xef},
	"sabme": {0x6f, 0xef}, "test": {0xe3, 0xef}, "xid": {0xaf, 0xef}, "frmr": {0x87, 0xef},
}

func (g *gen) llc(o nOther) cond {
	if g.link != wire.LinkEthernet {
		g.errorAt(o.pos, "'llc' not supported for %s", linkName(g.link))
	}
	llc := g.offLinkPL
	isLLC := and(not(cmpOp(g.offLinktype, 2, jgt, etherMTU, 0xffff)), not(cmpEq(llc, 2, 0xffff)))
	switch strings.ToLower(o.text) {
	case "":
		return isLLC
	case "i":
		return and(isLLC, not(&cTest{stmts: load(sizeB, llc.add(2)), jop: jset, k: 1}))
	case "s":
		return and(isLLC, mcmp(llc.add(2), 1, 1, 0x03))
	case "u":
		return and(isLLC, mcmp(llc.add(2), 1, 3, 0x03))
	}
	sub, ok := llcSubtypes[strings.ToLower(o.text)]
	if !ok {
		g.errorAt(o.pos, "unknown LLC type name \"%s\"", o.text)
	}
	return and(isLLC, mcmp(llc.add(2), 1, sub.v, sub.mask))
}

const geneveTEB = 0x6558 // Transparent Ethernet Bridging: an Ethernet frame inside

// geneveEncap is "geneve [VNI]": UDP to port 6081 over IPv4 or IPv6 with a
// version 0 Geneve header (and that VNI). What follows it in the
// expression looks inside: the program computes, as tcpdump's does, where
// the inner frame, its type field and its payload start (the Geneve
// header has a variable length), keeps them in scratch registers, and
// later tests load relative to them.
func (g *gen) geneveEncap(o nOther) cond {
	if o.hasN && o.n > 0xffffff {
		g.errorAt(o.pos, "Geneve VNI %d greater than maximum %d", o.n, 0xffffff)
	}
	nl := g.nl()
	header := func(tr func(off uint32, size uint32, k, mask uint32) cond) cond {
		c := tr(8, 1, 0, 0xc0) // version 0
		if o.hasN {
			c = and(c, tr(12, 4, o.n<<8, 0xffffff00))
		}
		return c
	}
	tr4 := func(off, size, k, mask uint32) cond {
		t := g.transport4(off, size, k).(*cTest)
		if full := uint64(1)<<(8*size) - 1; uint64(mask)&full != full {
			t.stmts = append(t.stmts, bpf.RawInstruction{Op: clsALU | aluAnd | srcK, K: mask})
		}
		return t
	}
	tr6 := func(off, size, k, mask uint32) cond { return mcmp(nl.add(40+off), size, k, mask) }
	// A ends as the transport header's offset from the network header.
	setA4 := &cTest{stmts: append(ipHeaderLenInX(nl), bpf.RawInstruction{Op: clsMISC | miscTXA}), jop: jeq | srcX, impure: true}
	var a6 []bpf.RawInstruction
	if nl.reg >= 0 {
		a6 = append(a6, bpf.RawInstruction{Op: clsLDX | modeMEM, K: uint32(nl.reg)}, bpf.RawInstruction{Op: clsLD | modeIMM, K: 40}, bpf.RawInstruction{Op: clsALU | aluAdd | srcX})
	} else {
		a6 = append(a6, bpf.RawInstruction{Op: clsLD | modeIMM, K: 40})
	}
	setA6 := &cTest{stmts: append(a6, bpf.RawInstruction{Op: clsMISC | miscTAX}), jop: jeq | srcX, impure: true}
	v4 := and(and(g.portOrRange(6081, 6081, ipprotoUDP, dDst, o.pos, "ports", true), header(tr4)), setA4)
	v6 := and(and(g.portOrRange(6081, 6081, ipprotoUDP, dDst, o.pos, "ports", false), header(tr6)), setA6)

	if g.nextReg-3 < 1 {
		g.errorAt(o.pos, "too many registers needed to evaluate expression")
	}
	rType, rHdr, rPL := g.nextReg, g.nextReg-1, g.nextReg-2
	g.nextReg -= 3
	ins := func(op uint16, k uint32) bpf.RawInstruction { return bpf.RawInstruction{Op: op, K: k} }
	offsets := []bpf.RawInstruction{
		ins(clsALU|aluAdd|srcK, nl.k+8), ins(clsMISC|miscTAX, 0), // X: the Geneve header
		ins(clsALU|aluAdd|srcK, 2), ins(clsST, uint32(rType)), // its protocol type
		ins(clsLD|modeIND|sizeB, 0), ins(clsALU|aluAnd|srcK, 0x3f), ins(clsALU|aluMul|srcK, 4),
		ins(clsALU|aluAdd|srcK, 8), ins(clsALU|aluAdd|srcX, 0), ins(clsST, uint32(rHdr)), // the inner frame
		ins(clsLD|modeIND|sizeH, 2), ins(clsLDX|modeMEM, uint32(rHdr)),
	}
	done := []bpf.RawInstruction{ins(clsSTX, uint32(rPL)), ins(clsLD|modeIMM, 0)}
	ethernet := append([]bpf.RawInstruction{
		ins(clsMISC|miscTXA, 0), ins(clsALU|aluAdd|srcK, 12), ins(clsST, uint32(rType)),
		ins(clsALU|aluAdd|srcK, 2), ins(clsMISC|miscTAX, 0),
	}, done...)
	compute := cGraph{build: func(yes, no *block) *block {
		inner := &block{test: &cTest{stmts: ethernet, jop: jeq, k: 0, impure: true}, t: yes, f: no}
		other := &block{test: &cTest{stmts: done, jop: jeq, k: 0, impure: true}, t: yes, f: no}
		return &block{test: &cTest{stmts: offsets, jop: jeq, k: geneveTEB, impure: true}, t: inner, f: other}
	}}
	g.offLinkHdr = loc{reg: rHdr}
	g.offLinktype = loc{reg: rType}
	g.offLinkPL = loc{reg: rPL}
	g.offNL = 0
	g.link = wire.LinkEthernet
	g.geneve, g.noLinktype = true, false
	g.unoptimized = true
	return and(or(v4, v6), compute)
}

// innerEthernet is true when the frame inside Geneve is Ethernet, which
// link-layer tests need first.
func (g *gen) innerEthernet(c cond) cond {
	if !g.geneve {
		return c
	}
	differ := &cTest{stmts: []bpf.RawInstruction{
		{Op: clsLD | modeMEM, K: uint32(g.offLinkHdr.reg)}, {Op: clsLDX | modeMEM, K: uint32(g.offLinkPL.reg)},
	}, jop: jeq | srcX}
	return and(not(differ), c)
}
