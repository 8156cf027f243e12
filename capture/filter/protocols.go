package filter

// Protocols as data: what identifies each protocol name of the language
// in the header before it.

// EtherTypes (IEEE 802 numbers, IANA's ieee-802-numbers registry).
const (
	etherIPv4     = 0x0800
	etherARP      = 0x0806
	etherRARP     = 0x8035
	etherIPv6     = 0x86dd
	etherVLAN     = 0x8100
	etherQinQ     = 0x88a8
	etherQinQOld  = 0x9100
	etherMPLS     = 0x8847
	etherMPLSMC   = 0x8848
	etherPPPoED   = 0x8863
	etherPPPoES   = 0x8864
	etherDECnet   = 0x6003
	etherMOPDL    = 0x6001
	etherMOPRC    = 0x6002
	etherLAT      = 0x6004
	etherSCA      = 0x6007
	etherAtalk    = 0x809b
	etherAARP     = 0x80f3
	etherIPX      = 0x8137
	etherLoopback = 0x9000 // Ethernet configuration testing protocol
	// ethermaxLength: an EtherType field of 1500 or less is an 802.3
	// length, and an 802.2 LLC header follows.
	etherMaxLength = 1500
)

// IP protocol numbers (IANA's protocol-numbers registry).
const (
	ipprotoICMP     = 1
	ipprotoIGMP     = 2
	ipprotoIGRP     = 9
	ipprotoFragment = 44 // IPv6 fragment header (RFC 8200 4.5)
	ipprotoESP      = 50
	ipprotoAH       = 51
	ipprotoICMPv6   = 58
	ipprotoPIM      = 103
	ipprotoVRRP     = 112 // CARP uses the same number
)

// Linux cooked capture protocol values that are not EtherTypes
// (linux/if_ether.h).
const (
	cookedNovell = 0x0001 // ETH_P_802_3: Novell's raw 802.3
	cookedLLC    = 0x0004 // ETH_P_802_2: an 802.2 LLC header follows
)

// llc is an 802.2 LLC header's first bytes, DSAP then SSAP.
const (
	llcSTP     = 0x42   // spanning tree's SAP
	llcISO     = 0xfefe // ISO network layer, DSAP and SSAP
	llcNetBEUI = 0xf0f0
	llcIPX     = 0xe0
	llcSNAP    = 0xaaaa0300 // DSAP, SSAP, UI control, first OUI byte 0
	// novellRaw is the first two bytes of IPX in a raw 802.3 frame.
	novellRaw = 0xffff
)

// ISO network layer protocol identifiers (ISO/IEC TR 9577), in the byte
// after the LLC header.
const (
	nlpidCLNP = 0x81
	nlpidESIS = 0x82
	nlpidISIS = 0x83
)

// IS-IS PDU types (ISO/IEC 10589 9.5), the byte 4 past the NLPID, as
// tcpdump groups them: level 1 and level 2 include the point-to-point
// hello (17), and the whole byte is compared.
var isisPDUs = map[proto][]uint32{
	pL1:   {26, 24, 18, 15, 17},
	pL2:   {27, 25, 20, 16, 17},
	pIIH:  {17, 15, 16},
	pLSP:  {18, 20},
	pSNP:  {27, 26, 24, 25},
	pCSNP: {24, 25},
	pPSNP: {26, 27},
}

// over says which IP versions carry a protocol.
type over int

const (
	overIPv4 over = 1 << iota
	overIPv6
)

// protoSpec is how a protocol name is recognised: by the EtherType of a
// network-layer protocol, or by the IP protocol number of a transport one.
type protoSpec struct {
	ether   uint32
	ipProto uint32
	over    over
}

var protocols = map[proto]protoSpec{
	pIP:     {ether: etherIPv4},
	pIP6:    {ether: etherIPv6},
	pArp:    {ether: etherARP},
	pRarp:   {ether: etherRARP},
	pDecnet: {ether: etherDECnet},
	pLat:    {ether: etherLAT},
	pSca:    {ether: etherSCA},
	pMoprc:  {ether: etherMOPRC},
	pMopdl:  {ether: etherMOPDL},

	pTCP:   {ipProto: ipprotoTCP, over: overIPv4 | overIPv6},
	pUDP:   {ipProto: ipprotoUDP, over: overIPv4 | overIPv6},
	pSCTP:  {ipProto: ipprotoSCTP, over: overIPv4 | overIPv6},
	pICMP:  {ipProto: ipprotoICMP, over: overIPv4},
	pIGMP:  {ipProto: ipprotoIGMP, over: overIPv4},
	pIGRP:  {ipProto: ipprotoIGRP, over: overIPv4},
	pPIM:   {ipProto: ipprotoPIM, over: overIPv4 | overIPv6},
	pVRRP:  {ipProto: ipprotoVRRP, over: overIPv4},
	pCARP:  {ipProto: ipprotoVRRP, over: overIPv4},
	pICMP6: {ipProto: ipprotoICMPv6, over: overIPv6},
	pAH:    {ipProto: ipprotoAH, over: overIPv4 | overIPv6},
	pESP:   {ipProto: ipprotoESP, over: overIPv4 | overIPv6},
}

// pppProtocols are PPP's numbers for EtherTypes (IANA's ppp-numbers).
var pppProtocols = map[uint32]uint32{
	etherIPv4: 0x0021, etherIPv6: 0x0057, etherDECnet: 0x0027, etherAtalk: 0x0029, etherIPX: 0x002b,
}

// protoAbbrev is the test for a protocol named on its own ("tcp").
func (g *gen) protoAbbrev(p proto, pos int) cond {
	if s, ok := protocols[p]; ok {
		if s.ether != 0 {
			return g.netProto(s.ether)
		}
		return g.ipProto(s.ipProto, s.over)
	}
	switch p {
	case pSTP:
		return g.llcSAP(llcSTP)
	case pNetbeui:
		return g.llcPair(llcNetBEUI)
	case pISO:
		return g.llcPair(llcISO)
	case pCLNP:
		return g.isoNLPID(nlpidCLNP)
	case pESIS:
		return g.isoNLPID(nlpidESIS)
	case pISIS:
		return g.isoNLPID(nlpidISIS)
	case pL1, pL2, pIIH, pLSP, pSNP, pCSNP, pPSNP:
		var pdus cond
		for _, t := range isisPDUs[p] {
			pdus = anyOf(pdus, cmpEq(g.nlpidAt().add(4), 1, t))
		}
		return and(g.isoNLPID(nlpidISIS), pdus)
	case pAtalk:
		return g.snapOrType(etherAtalk, 0x080007)
	case pAarp:
		return g.snapOrType(etherAARP, 0)
	case pIPX:
		return g.ipx()
	case pLink:
		g.errorAt(pos, "\"link\" needs a field or qualifier: write link[offset] or link proto NUMBER")
	case pRadio:
		g.errorAt(pos, "radio needs 802.11 radiotap captures, and this one is %s", g.spec.name)
	}
	g.errorAt(pos, "%q cannot be tested on its own: write %[1]s[offset] or %[1]s proto NUMBER", p.String())
	return nil
}

// netProto is the test that the network layer holds the protocol with
// EtherType et, in the framing in force.
func (g *gen) netProto(et uint32) cond {
	switch g.framing {
	case frameEthernet:
		if et <= etherMaxLength {
			// An 802.3 frame whose LLC header has DSAP et.
			return and(not(field(g.typeAt, 2, jgt, etherMaxLength, 0xffffffff)), cmpEq(g.typeAt.add(2), 1, et))
		}
		return cmpEq(g.typeAt, 2, et)
	case frameCooked:
		if et <= etherMaxLength {
			return and(cmpEq(g.typeAt, 2, cookedLLC), cmpEq(g.typeAt.add(2), 1, et))
		}
		return cmpEq(g.typeAt, 2, et)
	case frameIPVersion, frameMPLS:
		var v uint32
		switch et {
		case etherIPv4:
			v = 0x40
		case etherIPv6:
			v = 0x60
		default:
			return cFalse{}
		}
		version := field(g.netAt, 1, jeq, v, 0xf0)
		if g.framing == frameMPLS {
			return and(field(g.mplsBottom, 1, jeq, 1, 0x01), version)
		}
		return version
	case frameIPv4Only:
		if et == etherIPv4 {
			return cTrue{}
		}
		return cFalse{}
	case frameIPv6Only:
		if et == etherIPv6 {
			return cTrue{}
		}
		return cFalse{}
	case frameFamily:
		var families []uint32
		switch et {
		case etherIPv4:
			families = []uint32{2}
		case etherIPv6:
			// BSD's AF_INET6 differs by system: FreeBSD 28, macOS 30,
			// NetBSD and OpenBSD 24.
			families = []uint32{30, 24, 28}
		default:
			return cFalse{}
		}
		var c cond
		for _, f := range families {
			if !g.spec.familyNetworkOrder && !g.opt.BigEndian {
				f = f>>24 | f>>8&0xff00 | f<<8&0xff0000 | f<<24
			}
			c = anyOf(c, cmpEq(g.typeAt, 4, f))
		}
		return c
	case framePPP:
		if p, ok := pppProtocols[et]; ok {
			return cmpEq(g.typeAt, 2, p)
		}
		return cmpEq(g.typeAt, 2, et)
	}
	return cFalse{}
}

// llcAt is where the LLC header starts after an 802.3 length or a cooked
// LLC protocol value.
func (g *gen) llcAt() loc { return g.typeAt.add(2) }

// isLLC is the test that an LLC header follows.
func (g *gen) isLLC() cond {
	switch g.framing {
	case frameEthernet:
		return not(field(g.typeAt, 2, jgt, etherMaxLength, 0xffffffff))
	case frameCooked:
		return cmpEq(g.typeAt, 2, cookedLLC)
	}
	return nil
}

// llcSAP is the test for an LLC frame to the service access point sap.
func (g *gen) llcSAP(sap uint32) cond {
	l := g.isLLC()
	if l == nil {
		return cFalse{}
	}
	return and(l, cmpEq(g.llcAt(), 1, sap))
}

// llcPair is the test for an LLC frame whose DSAP and SSAP are pair.
func (g *gen) llcPair(pair uint32) cond {
	l := g.isLLC()
	if l == nil {
		return cFalse{}
	}
	return and(l, cmpEq(g.llcAt(), 2, pair))
}

// isoNLPID is the test for an ISO network-layer packet of protocol id.
func (g *gen) isoNLPID(id uint32) cond {
	return and(g.llcPair(llcISO), cmpEq(g.nlpidAt(), 1, id))
}

// nlpidAt is where the ISO network layer protocol identifier is read:
// after the LLC header's DSAP, SSAP and control byte; on cooked captures
// tcpdump reads it at the LLC header's first byte (so that, with the
// ISO SAPs there, no packet matches), and so does this.
func (g *gen) nlpidAt() loc {
	if g.framing == frameCooked {
		return g.llcAt()
	}
	return g.llcAt().add(3)
}

// snapOrType is a protocol carried with EtherType et, or in an 802.3
// frame with a SNAP header of OUI and type oui<<16|et (oui 0: type et
// after the zero OUI).
func (g *gen) snapOrType(et, oui uint32) cond {
	if g.framing != frameEthernet && g.framing != frameCooked {
		return g.netProto(et)
	}
	snap := and(cmpEq(g.llcAt().add(4), 4, oui<<16|et), cmpEq(g.llcAt(), 4, llcSNAP|oui>>16))
	return or(cmpEq(g.typeAt, 2, et), and(g.isLLC(), snap))
}

// ipx is IPX: by EtherType, in an LLC frame to its SAP, behind SNAP, or
// raw in an 802.3 frame.
func (g *gen) ipx() cond {
	switch g.framing {
	case frameEthernet:
		llc := anyOf(and(cmpEq(g.llcAt().add(4), 4, etherIPX), cmpEq(g.llcAt(), 4, llcSNAP)),
			cmpEq(g.llcAt(), 1, llcIPX), cmpEq(g.llcAt(), 2, novellRaw))
		return or(cmpEq(g.typeAt, 2, etherIPX), and(g.isLLC(), llc))
	case frameCooked:
		llc := or(cmpEq(g.llcAt(), 1, llcIPX), and(cmpEq(g.llcAt().add(4), 4, etherIPX), cmpEq(g.llcAt(), 4, llcSNAP)))
		return anyOf(cmpEq(g.typeAt, 2, etherIPX), cmpEq(g.typeAt, 2, cookedNovell), and(cmpEq(g.typeAt, 2, cookedLLC), llc))
	}
	return g.netProto(etherIPX)
}

// ipProto is the test that the transport protocol is n, over the IP
// versions asked: IPv4's protocol field, or IPv6's next header, directly
// or after a fragment header.
func (g *gen) ipProto(n uint32, v over) cond {
	var c cond
	if v&overIPv4 != 0 {
		c = g.ipv4Proto(n)
	}
	if v&overIPv6 != 0 {
		c = anyOf(c, g.ipv6Proto(n))
	}
	return c
}

func (g *gen) ipv4Proto(n uint32) cond {
	return and(g.netProto(etherIPv4), cmpEq(g.nl().add(9), 1, n))
}

// ipv6Proto: RFC 8200's next header, or the one of a fragment header
// right after the fixed header.
func (g *gen) ipv6Proto(n uint32) cond {
	next := g.nl().add(6)
	return and(g.netProto(etherIPv6),
		or(cmpEq(next, 1, n), and(cmpEq(next, 1, ipprotoFragment), cmpEq(g.nl().add(40), 1, n))))
}

// ipFirstFragment is the test that an IPv4 packet is not a fragment past
// the first: its fragment offset is 0 (RFC 791).
func (g *gen) ipFirstFragment() cond {
	return not(field(g.nl().add(6), 2, jset, 0x1fff, 0xffffffff))
}
