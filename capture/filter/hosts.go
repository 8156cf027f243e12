package filter

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"golang.org/x/net/bpf"
)

// Addresses, networks, ports and protocol numbers: an id under its
// qualifiers.

// Where the addresses are, from the start of their header.
const (
	ipv4Src   = 12 // RFC 791
	ipv4Dst   = 16
	ipv6Src   = 8 // RFC 8200
	ipv6Dst   = 24
	arpSPA    = 14 // RFC 826, for a 6-byte hardware and 4-byte protocol address
	arpTPA    = 24
	etherDst  = 0 // IEEE 802.3
	etherSrc  = 6
	ipv6Fixed = 40 // the IPv6 fixed header's length
)

// directed joins the tests of the source and destination fields as the
// direction qualifier asks.
func (g *gen) directed(q qual, pos int, src, dst func() cond) cond {
	switch q.dir {
	case dSrc:
		return src()
	case dDst:
		return dst()
	case dAnd:
		s := src()
		return and(s, dst())
	case dDefault, dOr:
		s := src()
		return or(s, dst())
	}
	g.errorAt(pos, "802.11 address qualifiers (addr1-4, ra, ta) need an 802.11 capture, not %s: write src or dst", g.spec.name)
	return nil
}

func (g *gen) id(n nID) cond {
	q, t := n.q, n.tok
	if q.undef {
		g.errorAt(t.pos, "%s needs a qualifier, and the term before it has none to lend: write host %s or port %s", t, t.text, t.text)
	}
	switch q.addr {
	case aPort, aPortrange:
		return g.portID(n)
	case aProto:
		return g.protoID(n)
	case aProtochain:
		return g.protochain(n)
	case aGateway:
		g.errorAt(t.pos, "sockscope has no \"gateway\" primitive: write ether host ETHER and not host HOST, with the gateway's Ethernet and IP addresses")
	}
	if q.proto == pDecnet {
		return g.decnetHost(q, t)
	}
	switch t.kind {
	case tEID:
		mac, ok := parseMAC(t.text)
		if !ok {
			g.errorAt(t.pos, "%s is not an Ethernet address: write six bytes in hex, as in 02:00:00:00:00:01", t.text)
		}
		if q.proto != pLink {
			g.errorAt(t.pos, "%s is an Ethernet address, which only \"ether\" can qualify: write ether host %s", t.text, t.text)
		}
		if q.addr == aNet {
			g.errorAt(t.pos, "an Ethernet address is a host, not a net: write ether host %s", t.text)
		}
		return g.etherHost(q, t.pos, mac)
	case tAID:
		g.errorAt(t.pos, "ARCnet addresses ($xx) need an ARCnet capture, not %s", g.spec.name)
	case tHID6:
		a, err := netip.ParseAddr(t.text)
		if err != nil {
			g.errorAt(t.pos, "%s is not an IPv6 address: write one as in fd00::1", t.text)
		}
		bits := 128
		if n.masklen >= 0 {
			if n.masklen > 128 {
				g.errorAt(t.pos, "prefix length %d is more than an IPv6 address's 128 bits: write /0 to /128", n.masklen)
			}
			bits = n.masklen
			pre, _ := a.Prefix(bits)
			if pre.Addr() != a {
				g.errorAt(t.pos, "%s/%d has bits set past its /%d mask: write %s", t.text, bits, bits, pre)
			}
		} else if q.addr == aNet {
			g.errorAt(t.pos, "an IPv6 network needs a prefix length: write net %s/64", t.text)
		}
		return g.ipv6Net(q, t.pos, a, bits, written(n))
	case tHID, tNum:
		v, mask := g.ipv4Parts(n)
		return g.ipv4Net(q, t.pos, v, mask, written(n))
	case tID:
		return g.namedHost(n)
	}
	g.errorAt(t.pos, "expected a host, network, port or protocol, found %s", t)
	return nil
}

// written is an address as the expression wrote it, with its mask.
func written(n nID) string {
	switch {
	case n.masklen >= 0:
		return n.tok.text + "/" + strconv.Itoa(n.masklen)
	case n.mask != nil:
		return n.tok.text + " mask " + n.mask.text
	}
	return n.tok.text
}

// qualified is the qualifiers of q but its protocol, and what they
// qualify: "src host 10.0.0.1".
func qualified(q qual, what string) string {
	words := map[dirQual]string{dSrc: "src ", dDst: "dst ", dOr: "src or dst ", dAnd: "src and dst "}[q.dir]
	words += map[addrQual]string{aHost: "host ", aNet: "net "}[q.addr]
	if words == "" {
		words = "host "
	}
	return words + what
}

// dotted is an IPv4 network as a.b.c.d/len (a.b.c.d for a host).
func dotted(v, mask uint32) string {
	a := netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
	ones := 0
	for m := mask; m&0x80000000 != 0; m <<= 1 {
		ones++
	}
	switch {
	case ones == 32:
		return a.String()
	case mask == 0xffffffff<<uint(32-ones) || ones == 0 && mask == 0:
		return a.String() + "/" + strconv.Itoa(ones)
	}
	m := netip.AddrFrom4([4]byte{byte(mask >> 24), byte(mask >> 16), byte(mask >> 8), byte(mask)})
	return a.String() + " mask " + m.String()
}

// ipv4Parts is the address and mask a dotted id stands for: "10.1" is
// 10.1.0.0/16 whether host or net; a number is a host's 32 bits, or under
// "net" its leading bytes; "/len" and "mask" say the mask.
func (g *gen) ipv4Parts(n nID) (v, mask uint32) {
	t := n.tok
	if t.kind == tNum {
		v, mask = t.num, 0xffffffff
		if n.q.addr == aNet {
			for v != 0 && v&0xff000000 == 0 {
				v <<= 8
				mask <<= 8
			}
		}
	} else {
		parts := strings.Split(t.text, ".")
		for _, p := range parts {
			x, err := parseNumber(p)
			if err != nil || x > 255 {
				g.errorAt(t.pos, "%s is not an IPv4 address: each of its parts is a number from 0 to 255", t.text)
			}
			v = v<<8 | x
		}
		shift := 8 * uint(4-len(parts))
		v <<= shift
		mask = 0xffffffff << shift
	}
	switch {
	case n.masklen >= 0:
		if n.masklen > 32 {
			g.errorAt(t.pos, "prefix length %d is more than an IPv4 address's 32 bits: write /0 to /32", n.masklen)
		}
		mask = 0
		if n.masklen > 0 {
			mask = 0xffffffff << uint(32-n.masklen)
		}
	case n.mask != nil:
		m, ok := parseDotted(n.mask.text)
		if !ok {
			g.errorAt(n.mask.pos, "%s is not a network mask: write four numbers from 0 to 255, as in 255.255.0.0", n.mask.text)
		}
		mask = m
	default:
		return v, mask
	}
	if v&^mask != 0 {
		if n.masklen >= 0 {
			g.errorAt(t.pos, "%s has bits set past its /%d mask: write %s", written(n), n.masklen, dotted(v&mask, mask))
		}
		g.errorAt(t.pos, "%s has bits set past its mask: write %s", written(n), dotted(v&mask, mask))
	}
	return v, mask
}

// parseDotted is a dotted quad.
func parseDotted(s string) (uint32, bool) {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return 0, false
	}
	var v uint32
	for _, p := range parts {
		x, err := parseNumber(p)
		if err != nil || x > 255 {
			return 0, false
		}
		v = v<<8 | x
	}
	return v, true
}

func parseMAC(s string) ([6]byte, bool) {
	var mac [6]byte
	hex := strings.NewReplacer(":", "", "-", "", ".", "").Replace(s)
	if strings.ContainsAny(s, ":-") || strings.Count(s, ".") == 5 {
		// Byte by byte: a part may be one digit.
		parts := strings.FieldsFunc(s, func(r rune) bool { return r == ':' || r == '-' || r == '.' })
		if len(parts) != 6 {
			return mac, false
		}
		for i, p := range parts {
			x, err := strconv.ParseUint(p, 16, 8)
			if err != nil {
				return mac, false
			}
			mac[i] = byte(x)
		}
		return mac, true
	}
	if len(hex) != 12 {
		return mac, false
	}
	for i := range mac {
		x, err := strconv.ParseUint(hex[2*i:2*i+2], 16, 8)
		if err != nil {
			return mac, false
		}
		mac[i] = byte(x)
	}
	return mac, true
}

// macAt is the test that the 6 bytes at l are mac: the last four, then
// the first two.
func macAt(l loc, mac [6]byte) cond {
	lo := uint32(mac[2])<<24 | uint32(mac[3])<<16 | uint32(mac[4])<<8 | uint32(mac[5])
	hi := uint32(mac[0])<<8 | uint32(mac[1])
	return and(cmpEq(l.add(2), 4, lo), cmpEq(l, 2, hi))
}

func (g *gen) etherHost(q qual, pos int, mac [6]byte) cond {
	if !g.macs {
		g.errorAt(pos, "Ethernet addresses cannot be tested in %s captures: test IP addresses instead (host ADDRESS)", g.spec.name)
	}
	h := g.offLinkHdr
	return g.directed(q, pos, func() cond { return macAt(h.add(etherSrc), mac) }, func() cond { return macAt(h.add(etherDst), mac) })
}

// ipv4Net is an IPv4 host or network under its qualifiers: in IPv4's
// addresses, and (with no protocol qualifier) ARP's and RARP's protocol
// addresses.
// text is the address as written, for errors.
func (g *gen) ipv4Net(q qual, pos int, v, mask uint32, text string) cond {
	addr := func(l loc) cond {
		if mask == 0 {
			return cTrue{}
		}
		return field(l, 4, jeq, v, mask)
	}
	nl := g.nl()
	inIP := func() cond {
		return and(g.netProto(etherIPv4), g.directed(q, pos, func() cond { return addr(nl.add(ipv4Src)) }, func() cond { return addr(nl.add(ipv4Dst)) }))
	}
	inARP := func(et uint32) cond {
		return and(g.netProto(et), g.directed(q, pos, func() cond { return addr(nl.add(arpSPA)) }, func() cond { return addr(nl.add(arpTPA)) }))
	}
	switch q.proto {
	case pDefault:
		ip := inIP()
		arp := inARP(etherARP)
		return or(or(ip, arp), inARP(etherRARP))
	case pIP:
		return inIP()
	case pArp:
		return inARP(etherARP)
	case pRarp:
		return inARP(etherRARP)
	case pIP6:
		kind, other := "address", "'ip6 host' with an IPv6 address"
		if q.addr == aNet {
			kind, other = "network", "'ip6 net' with an IPv6 network"
		}
		g.errorAt(pos, "'ip6' cannot qualify %s, an IPv4 %s: write '%s', or %s", text, kind, qualified(q, text), other)
	case pLink:
		g.errorAt(pos, "'ether' takes Ethernet addresses, not the IPv4 address %s: write '%s', or 'ether host' with an Ethernet address", text, qualified(q, text))
	}
	g.errorAt(pos, "'%s' cannot qualify an IP address: write '%s and %s'", q.proto, q.proto, qualified(q, text))
	return nil
}

// ipv6Net is an IPv6 host or network: the bits of the prefix, word by
// word.
func (g *gen) ipv6Net(q qual, pos int, a netip.Addr, bits int, text string) cond {
	switch q.proto {
	case pDefault, pIP6:
	case pIP, pArp, pRarp:
		kind, other := "address", fmt.Sprintf("'%s host' with an IPv4 address", q.proto)
		if q.addr == aNet {
			kind, other = "network", fmt.Sprintf("'%s net' with an IPv4 network", q.proto)
		}
		g.errorAt(pos, "'%s' cannot qualify %s, an IPv6 %s: write '%s', or %s", q.proto, text, kind, qualified(q, text), other)
	case pLink:
		g.errorAt(pos, "'ether' takes Ethernet addresses, not the IPv6 address %s: write '%s', or 'ether host' with an Ethernet address", text, qualified(q, text))
	default:
		g.errorAt(pos, "'%s' cannot qualify an IP address: write '%s and %s'", q.proto, q.proto, qualified(q, text))
	}
	b := a.As16()
	addr := func(l loc) cond {
		var c cond
		for w := 0; w < 4 && bits > 32*w; w++ {
			mask := uint32(0xffffffff)
			if left := bits - 32*w; left < 32 {
				mask <<= uint(32 - left)
			}
			v := uint32(b[4*w])<<24 | uint32(b[4*w+1])<<16 | uint32(b[4*w+2])<<8 | uint32(b[4*w+3])
			c = allOf(c, field(l.add(uint32(4*w)), 4, jeq, v, mask))
		}
		if c == nil {
			return cTrue{}
		}
		return c
	}
	nl := g.nl()
	return and(g.netProto(etherIPv6), g.directed(q, pos, func() cond { return addr(nl.add(ipv6Src)) }, func() cond { return addr(nl.add(ipv6Dst)) }))
}

// namedHost is a name: an Ethernet host from the ethers file, a network
// from the networks file, or a host from the hosts file.
func (g *gen) namedHost(n nID) cond {
	q, t := n.q, n.tok
	if q.proto == pLink {
		mac, ok := g.names.ether(t.text)
		if !ok {
			g.errorAt(t.pos, "'%s' is not a host name in /etc/ethers: write its Ethernet address, or add it there", t.text)
		}
		return g.etherHost(q, t.pos, mac)
	}
	if q.addr == aNet {
		v, ok := g.names.network(t.text)
		if !ok {
			g.errorAt(t.pos, "'%s' is not a network name in /etc/networks: write its address and prefix (10.0.0.0/8), or add it there", t.text)
		}
		mask := uint32(0xffffffff)
		for v != 0 && v&0xff000000 == 0 {
			v <<= 8
			mask <<= 8
		}
		return g.ipv4Net(q, t.pos, v, mask, t.text)
	}
	addrs := g.names.host(t.text)
	if len(addrs) == 0 {
		g.errorAt(t.pos, "'%s' is not a host name in /etc/hosts: write its address, or add it there", t.text)
	}
	var c cond
	for _, a := range addrs {
		switch {
		case a.Is4() && q.proto != pIP6:
			b := a.As4()
			c = anyOf(c, g.ipv4Net(q, t.pos, uint32(b[0])<<24|uint32(b[1])<<16|uint32(b[2])<<8|uint32(b[3]), 0xffffffff, t.text))
		case a.Is6() && (q.proto == pDefault || q.proto == pIP6):
			c = anyOf(c, g.ipv6Net(q, t.pos, a, 128, t.text))
		}
	}
	if c == nil {
		family := "IPv4"
		if q.proto == pIP6 {
			family = "IPv6"
		}
		g.errorAt(t.pos, "/etc/hosts gives '%s' no %s address, which '%s' asks for: write its address, or leave '%s' out", t.text, family, q.proto, q.proto)
	}
	return c
}

// portID is "port N" and "portrange A-B", names resolved.
func (g *gen) portID(n nID) cond {
	q, t := n.q, n.tok
	var lo, hi int
	ipp := protoUndef
	switch q.proto {
	case pTCP:
		ipp = ipprotoTCP
	case pUDP:
		ipp = ipprotoUDP
	case pSCTP:
		ipp = ipprotoSCTP
	case pDefault, pIP, pIP6:
	default:
		g.errorAt(t.pos, "'%s' has no ports: write tcp, udp or sctp port, or port alone for all three", q.proto)
	}
	// named is the protocol the first port name said, if one did.
	named := protoUndef
	first := true
	resolve := func(s string, pos int) int {
		if v, err := parseNumber(s); err == nil && isNumber(s) {
			first = false
			return int(v)
		}
		p, pp, ok := g.names.port(s)
		if !ok {
			if q.addr == aPortrange {
				g.errorAt(pos, "'%s' in the range '%s' is not a port name in /etc/services: give a number or a name it lists", s, t.text)
			}
			g.errorAt(pos, "'%s' is not a port name in /etc/services: give a number or a name it lists", s)
		}
		if first {
			named = pp
		}
		first = false
		return p
	}
	switch {
	case t.kind == tNum:
		lo = int(t.num)
		hi = lo
	case t.kind == tID && q.addr == aPortrange:
		a, b, ok := strings.Cut(t.text, "-")
		if !ok {
			g.errorAt(t.pos, "'%s' is not a port range: write FIRST-LAST, as in 1000-2000", t.text)
		}
		if digits := leadingDigits(b); digits != "" && digits != b && isNumber(a) {
			// As tcpdump reads "1-2-3": ports 1 to 2.
			b = digits
		}
		lo, hi = resolve(a, t.pos), resolve(b, t.pos+len(a)+1)
	case t.kind == tID:
		lo = resolve(t.text, t.pos)
		hi = lo
	default:
		g.errorAt(t.pos, "expected a port number or name, found %s", t)
	}
	if named != protoUndef {
		name := map[int]string{ipprotoTCP: "tcp", ipprotoUDP: "udp"}[named]
		switch {
		case ipp == protoUndef:
			ipp = named
		case ipp != named && q.addr == aPortrange:
			g.errorAt(t.pos, "the range '%s' starts with a %s port name in /etc/services, not a %s one: write %s portrange %s, or numbers", t.text, name, q.proto, name, t.text)
		case ipp != named:
			g.errorAt(t.pos, "'%s' names a %s port in /etc/services, not a %s one: write %s port %s, or %s port and a number", t.text, name, q.proto, name, t.text, q.proto)
		}
	}
	for _, p := range []int{lo, hi} {
		if p > 65535 {
			g.errorAt(t.pos, "port %d is past 65535: a port is 0 to 65535", p)
		}
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	// portPastX tests the port at l past the offset the code leaves in X
	// (an IPv4 header's length); portAt the port at l.
	portPastX := func(l loc, code []bpf.RawInstruction) cond {
		ld := append(append([]bpf.RawInstruction{}, code...), bpf.RawInstruction{Op: clsLD | modeIND | sizeH, K: l.k})
		if q.addr == aPort {
			return &cTest{stmts: ld, jop: jeq, k: uint32(lo), impure: l.reg >= 0}
		}
		return and(&cTest{stmts: ld, jop: jge, k: uint32(lo), impure: l.reg >= 0},
			not(&cTest{stmts: ld, jop: jgt, k: uint32(hi), impure: l.reg >= 0}))
	}
	portAt := func(l loc) cond {
		if l.reg < 0 {
			ld := load(sizeH, l)
			if q.addr == aPort {
				return &cTest{stmts: ld, jop: jeq, k: uint32(lo)}
			}
			return and(&cTest{stmts: ld, jop: jge, k: uint32(lo)}, not(&cTest{stmts: ld, jop: jgt, k: uint32(hi)}))
		}
		return portPastX(l, []bpf.RawInstruction{{Op: clsLDX | modeMEM, K: uint32(l.reg)}})
	}
	// Each transport protocol with its own copy of the port tests, so
	// that a later test knows which protocol matched (the copies are
	// shared once simplified).
	transports := []uint32{ipprotoSCTP, ipprotoTCP, ipprotoUDP}
	if ipp != protoUndef {
		transports = []uint32{uint32(ipp)}
	}
	nl := g.nl()
	var v4, v6 cond
	if q.proto != pIP {
		th := nl.add(ipv6Fixed)
		var c cond
		for _, p := range transports {
			c = anyOf(c, and(cmpEq(nl.add(6), 1, p),
				g.directed(q, t.pos, func() cond { return portAt(th) }, func() cond { return portAt(th.add(2)) })))
		}
		v6 = and(g.netProto(etherIPv6), c)
	}
	if q.proto != pIP6 {
		x := ipHeaderLenInX(nl)
		var c cond
		for _, p := range transports {
			c = anyOf(c, allOf(cmpEq(nl.add(9), 1, p), g.ipFirstFragment(),
				g.directed(q, t.pos, func() cond { return portPastX(nl, x) }, func() cond { return portPastX(nl.add(2), x) })))
		}
		v4 = and(g.netProto(etherIPv4), c)
	}
	return anyOf(v6, v4)
}

// etherTypeNames are the names "ether proto" takes.
var etherTypeNames = map[string]uint32{
	"ip": etherIPv4, "ip6": etherIPv6, "arp": etherARP, "rarp": etherRARP, "atalk": etherAtalk,
	"aarp": etherAARP, "decnet": etherDECnet, "sca": etherSCA, "lat": etherLAT, "mopdl": etherMOPDL,
	"moprc": etherMOPRC, "ipx": etherIPX, "loopback": etherLoopback, "iso": llcISO & 0xff, "stp": llcSTP, "netbeui": llcNetBEUI & 0xff,
}

// ipProtocol is the IP protocol token t gives, a number or a name of
// /etc/protocols; example is how to write it with a number.
func (g *gen) ipProtocol(t token, example string) uint32 {
	switch t.kind {
	case tNum:
		return t.num
	case tID:
		p, ok := g.names.protocol(t.text)
		if !ok {
			g.errorAt(t.pos, "'%s' is not a protocol name in /etc/protocols: write its number, as in %s", t.text, example)
		}
		return uint32(p)
	}
	g.errorAt(t.pos, "expected a protocol number or name, found %s", t)
	return 0
}

// protoID is "[qualifier] proto N".
func (g *gen) protoID(n nID) cond {
	q, t := n.q, n.tok
	var v uint32
	if q.proto == pLink && t.kind == tID {
		var ok bool
		if v, ok = etherTypeNames[t.text]; !ok {
			g.errorAt(t.pos, "'%s' is not an EtherType name sockscope knows: write its number, as in ether proto 0x0800", t.text)
		}
	} else {
		v = g.ipProtocol(t, "proto 6")
	}
	switch q.proto {
	case pLink:
		if v == etherAtalk || v == etherAARP || v == etherIPX {
			switch v {
			case etherAtalk:
				return g.protoAbbrev(pAtalk, t.pos)
			case etherAARP:
				return g.protoAbbrev(pAarp, t.pos)
			}
			return g.protoAbbrev(pIPX, t.pos)
		}
		return g.netProto(v)
	case pDefault:
		return g.ipProto(v, overIPv4|overIPv6)
	case pIP:
		return g.ipv4Proto(v)
	case pIP6:
		return g.ipv6Proto(v)
	case pISO:
		return and(g.llcPair(llcISO), cmpEq(g.nlpidAt(), 1, v))
	}
	g.errorAt(t.pos, "'proto' after '%s' has no meaning: write ether proto, ip proto, ip6 proto or iso proto", q.proto)
	return nil
}

// DECnet Phase IV routing headers (after the 2-byte length): a short data
// packet has flags 2 in the low three bits and the destination and
// source node addresses at 1 and 3 past the flags; a long one flags 6
// and the addresses at 7 and 15; either may be preceded by one byte of
// padding (flags 0x81). tcpdump looks at these four layouts.
var decnetLayouts = []struct {
	value, mask uint32 // the flags, as a byte or (with padding) a 16-bit word
	size        int
	dst, src    uint32 // from the flags' first byte
}{
	{0x02, 0x07, 1, 1, 3},
	{0x8102, 0xff07, 2, 2, 4},
	{0x06, 0x07, 1, 7, 15},
	{0x8106, 0xff07, 2, 8, 16},
}

// decnetHost is "decnet host AREA.NODE" (or the address as a number).
func (g *gen) decnetHost(q qual, t token) cond {
	var addr uint32
	switch t.kind {
	case tNum:
		addr = t.num
	case tHID:
		parts := strings.Split(t.text, ".")
		area, err1 := parseNumber(parts[0])
		node, err2 := parseNumber(parts[len(parts)-1])
		if len(parts) != 2 || err1 != nil || err2 != nil || area > 63 || node > 1023 {
			g.errorAt(t.pos, "%s is not a DECnet address: write AREA.NODE, the area 0 to 63 and the node 0 to 1023", t.text)
		}
		addr = area<<10 | node
	default:
		g.errorAt(t.pos, "sockscope looks up no DECnet names: write the address as AREA.NODE, as in 1.2")
	}
	if addr > 0xffff {
		g.errorAt(t.pos, "DECnet address %d is more than 16 bits: write AREA.NODE, as in 1.2", addr)
	}
	if q.addr == aNet {
		g.errorAt(t.pos, "DECnet has no networks: write decnet host")
	}
	le := addr>>8 | addr&0xff<<8 // the address is little-endian
	flags := g.nl().add(2)
	in := func(dst bool) cond {
		var c cond
		for _, l := range decnetLayouts {
			off := l.src
			if dst {
				off = l.dst
			}
			c = anyOf(c, and(field(flags, l.size, jeq, l.value, l.mask), cmpEq(flags.add(off), 2, le)))
		}
		return c
	}
	return and(g.netProto(etherDECnet), g.directed(q, t.pos, func() cond { return in(false) }, func() cond { return in(true) }))
}

// isNumber reports whether s is all decimal digits, or 0x and hex digits.
func isNumber(s string) bool {
	if h, ok := strings.CutPrefix(strings.ToLower(s), "0x"); ok && h != "" {
		return strings.Trim(h, "0123456789abcdef") == ""
	}
	return s != "" && leadingDigits(s) == s
}

func leadingDigits(s string) string {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i]
}
