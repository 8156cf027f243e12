//go:build !treedecode

package decode

// The IPv4 printer and the protocol dispatch shared with IPv6, as tcpdump
// prints them; the internet checksum the transport printers verify with -v;
// and the small printers the dispatch reaches besides those of their own
// files: ESP, AH, IPComp, VRRP, and the header line of OSPF and PIM. Other
// protocols print as tcpdump -n prints an unknown one.

// IP protocol numbers (IANA "Assigned Internet Protocol Numbers").
const (
	ipProtoHopOpts     = 0
	ipProtoICMP        = 1
	ipProtoIGMP        = 2
	ipProtoIPv4        = 4
	ipProtoTCP         = 6
	ipProtoUDP         = 17
	ipProtoDCCP        = 33
	ipProtoIPv6        = 41
	ipProtoRouting     = 43
	ipProtoFragment    = 44
	ipProtoGRE         = 47
	ipProtoESP         = 50
	ipProtoAH          = 51
	ipProtoICMPv6      = 58
	ipProtoNone        = 59
	ipProtoDstOpts     = 60
	ipProtoMobilityOld = 62
	ipProtoND          = 77
	ipProtoOSPF        = 89
	ipProtoPIM         = 103
	ipProtoIPComp      = 108
	ipProtoVRRP        = 112
	ipProtoSCTP        = 132
	ipProtoEthernet    = 143
	ipProtoMobility    = 135
)

// ipProtoTokens are the protocol names tcpdump prints with -v.
var ipProtoTokens = [256]string{
	0: "Options", 1: "ICMP", 2: "IGMP", 4: "IPIP", 6: "TCP", 8: "EGP", 9: "IGRP",
	17: "UDP", 33: "DCCP", 41: "IPv6", 43: "Routing", 44: "Fragment", 46: "RSVP",
	47: "GRE", 50: "ESP", 51: "AH", 55: "Mobile IP", 58: "ICMPv6",
	62: "Mobile IP (old)", 88: "EIGRP", 89: "OSPF", 103: "PIM", 108: "Compressed IP",
	112: "VRRP", 113: "PGM", 132: "SCTP", 135: "Mobility", 143: "Ethernet",
}

func ipProtoName(n uint8) string {
	if s := ipProtoTokens[n]; s != "" {
		return s
	}
	return "unknown"
}

// IPv4 header bits (RFC 791).
const (
	ipFlagRes   = 0x8000 // reserved, the "evil bit" of RFC 3514
	ipFlagDF    = 0x4000
	ipFlagMF    = 0x2000
	ipOffMask   = 0x1fff
	ipHeaderLen = 20
)

// ip4FlagNames are the IPv4 fragment flag names as tcpdump prints them.
var ip4FlagNames = [...]bitName{{ipFlagMF, "+"}, {ipFlagDF, "DF"}, {ipFlagRes, "rsvd"}}

// IPv4 option types (RFC 791, 1393, 2113).
const (
	ipOptEOL      = 0
	ipOptNOP      = 1
	ipOptRR       = 7
	ipOptTS       = 68
	ipOptRFC1393  = 82
	ipOptSecurity = 130
	ipOptLSRR     = 131
	ipOptSSRR     = 137
	ipOptRA       = 148
)

// netInfo is what the network layer hands the transport printers: the
// addresses they print beside the ports and use for checksums.
type netInfo struct {
	src, dst []byte // 4 bytes for IPv4, 16 for IPv6
	v6       bool
	proto    uint8 // transport protocol number (after IPv6 extension headers)

	// hdr is the network header from its first byte (IPv4 with its options,
	// IPv6 with its extension headers), for the pseudo-header's final
	// destination when a source route is present.
	hdr []byte
	// fragmented is set when the payload is only the first fragment of the
	// datagram (IPv4 MF, or an IPv6 fragment header): tcpdump does not
	// verify checksums then.
	fragmented bool
	// ttl is the IPv4 TTL or the IPv6 hop limit.
	ttl uint8
}

// pseudoSum returns the one's complement sum, not folded, of the IPv4 or IPv6
// pseudo-header for a transport segment of length bytes of protocol proto.
// The destination is the final one of a source route, as tcpdump takes it
// for IPv4 and IPv6 alike.
func (ni *netInfo) pseudoSum(proto uint8, length int) uint32 {
	var sum uint32
	dst := ni.dst
	if ni.v6 {
		dst = ip6FinalDst(ni.hdr, dst)
		sum = sumWords(ni.src, 0)
		sum = sumWords(dst, sum)
		sum += uint32(length>>16) & 0xffff
		sum += uint32(length) & 0xffff
		sum += uint32(proto)
		return sum
	}
	dst = ip4FinalDst(ni.hdr, dst)
	sum = sumWords(ni.src, 0)
	sum = sumWords(dst, sum)
	sum += uint32(proto)
	sum += uint32(uint16(length))
	return sum
}

// sumWords adds b as big-endian 16-bit words to sum (an odd last byte is the
// high half of a word).
func sumWords(b []byte, sum uint32) uint32 {
	n := len(b) &^ 1
	for i := 0; i < n; i += 2 {
		sum += uint32(b[i])<<8 | uint32(b[i+1])
		if sum >= 1<<31 {
			sum = sum&0xffff + sum>>16
		}
	}
	if len(b)&1 != 0 {
		sum += uint32(b[len(b)-1]) << 8
	}
	return sum
}

// inetChecksum returns the internet checksum (RFC 1071) of b, starting from
// the partial sum initial (a pseudoSum, or 0). Over data that includes its
// checksum field the result is 0 when the checksum is correct.
func inetChecksum(b []byte, initial uint32) uint16 {
	sum := sumWords(b, initial)
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	return ^uint16(sum)
}

// cksumShouldBe returns what a checksum field holding field should have held,
// given the inetChecksum computed over the data including it.
func cksumShouldBe(field, computed uint16) uint16 {
	s := uint32(field) + uint32(computed)
	s = s&0xffff + s>>16
	s = s&0xffff + s>>16
	return uint16(s)
}

// ip4FinalDst returns the last address of a valid loose or strict source route
// in the IPv4 header h, or dst.
func ip4FinalDst(h []byte, dst []byte) []byte {
	if len(h) < ipHeaderLen {
		return dst
	}
	hlen := int(h[0]&0xf) * 4
	if hlen <= ipHeaderLen || len(h) < hlen {
		return dst
	}
	opts := h[ipHeaderLen:hlen]
	for len(opts) > 0 {
		t := opts[0]
		n := 1
		if t == ipOptEOL {
			break
		} else if t != ipOptNOP {
			if len(opts) < 2 {
				break
			}
			n = int(opts[1])
			if n < 2 {
				break
			}
		}
		if len(opts) < n {
			break
		}
		if (t == ipOptSSRR || t == ipOptLSRR) && n >= 7 {
			return opts[n-4 : n]
		}
		opts = opts[n:]
	}
	return dst
}

// ip prints an IPv4 datagram as tcpdump prints it.
func (p *Printer) ip(b []byte, length int) {
	p.proto = "ip"
	vhl := u8(b, 0)
	if v := vhl >> 4; v != 4 {
		if v == 6 {
			p.str("IP6, wrong link-layer encapsulation")
		} else {
			p.str("IP")
			p.uint(uint64(v))
		}
		p.str(" (invalid)")
		return
	}
	if !p.opt.Link {
		p.str("IP ")
	}
	if len(b) < ipHeaderLen {
		p.trunc()
		return
	}
	if length < ipHeaderLen {
		p.str("truncated-ip ")
		p.uint(uint64(uint32(length)))
		return
	}
	hlen := int(vhl&0xf) * 4
	if hlen < ipHeaderLen {
		p.str("bad-hlen ")
		p.uint(uint64(hlen))
		return
	}
	total := int(be16(b, 2))
	if length < total {
		p.str("truncated-ip - ")
		p.uint(uint64(total - length))
		p.str(" bytes missing! ")
	}
	if total < hlen {
		p.str("bad-len ")
		p.uint(uint64(total))
		return
	}
	// Cut the captured bytes to the end of the datagram.
	if len(b) > total {
		b = b[:total]
	}
	plen := total - hlen
	off := be16(b, 6)
	proto := b[9]
	if p.opt.Verbose > 0 {
		if !p.ip4Verbose(b, hlen, off, proto) {
			return
		}
	}
	if off&ipOffMask != 0 {
		p.ip4addr(b[12:])
		p.str(" > ")
		p.ip4addr(b[16:])
		p.str(": ip-proto-")
		p.uint(uint64(proto))
		return
	}
	if proto != ipProtoTCP && proto != ipProtoUDP && proto != ipProtoSCTP && proto != ipProtoDCCP {
		p.ip4addr(b[12:])
		p.str(" > ")
		p.ip4addr(b[16:])
		p.str(": ")
	}
	if len(b) < hlen {
		p.headerNotCaptured(len(b), hlen)
	}
	ni := netInfo{src: b[12:16], dst: b[16:20], proto: proto, hdr: b[:hlen],
		fragmented: off&ipFlagMF != 0, ttl: b[8]}
	p.ipDemux(b[hlen:], plen, &ni)
}

// ip4Verbose prints the -v part of an IPv4 header, "(tos 0x0, ttl 64, ...)"
// and the line break after it. It reports false when the options ran past
// the captured bytes and the packet has been marked truncated.
func (p *Printer) ip4Verbose(b []byte, hlen int, off uint16, proto uint8) bool {
	tos := b[1]
	p.str("(tos 0x")
	p.hex(uint64(tos), 1)
	switch tos & 3 {
	case 1:
		p.str(",ECT(1)")
	case 2:
		p.str(",ECT(0)")
	case 3:
		p.str(",CE")
	}
	if ttl := b[8]; ttl >= 1 {
		p.str(", ttl ")
		p.uint(uint64(ttl))
	}
	p.str(", id ")
	p.uint(uint64(be16(b, 4)))
	p.str(", offset ")
	p.uint(uint64(off&ipOffMask) * 8)
	p.str(", flags [")
	p.bitNames(uint32(off), ip4FlagNames[:], ", ")
	p.str("], proto ")
	p.str(ipProtoName(proto))
	p.str(" (")
	p.uint(uint64(proto))
	p.str("), length ")
	p.uint(uint64(be16(b, 2)))
	truncOpt := false
	if hlen > ipHeaderLen {
		p.str(", options (")
		if !p.ip4Options(b[ipHeaderLen:], hlen-ipHeaderLen) {
			p.str(" [truncated-option]")
			truncOpt = true
		}
		p.byte1(')')
	}
	if hlen <= len(b) {
		if sum := inetChecksum(b[:hlen], 0); sum != 0 {
			field := be16(b, 10)
			p.str(", bad cksum ")
			p.hex(uint64(field), 1)
			p.str(" (->")
			p.hex(uint64(cksumShouldBe(field, sum)), 1)
			p.str(")!")
		}
	}
	p.str(")\n    ")
	if truncOpt {
		p.ip4addr(b[12:])
		p.str(" > ")
		p.ip4addr(b[16:])
		p.str(": ")
		p.trunc()
		return false
	}
	return true
}

// ip4OptNames are the IPv4 option names as tcpdump prints them.
var ip4OptNames = [256]string{ipOptEOL: "EOL", ipOptNOP: "NOP", ipOptTS: "timestamp",
	ipOptSecurity: "security", ipOptRR: "RR", ipOptSSRR: "SSRR", ipOptLSRR: "LSRR", ipOptRA: "RA",
	ipOptRFC1393: "traceroute"}

// ip4Options prints length bytes of IPv4 options from b; it
// reports false when an option runs past the captured bytes.
func (p *Printer) ip4Options(b []byte, length int) bool {
	sep := false
	for length > 0 {
		if sep {
			p.byte1(',')
		}
		sep = true
		code := u8(b, 0)
		if name := ip4OptNames[code]; name != "" {
			p.str(name)
		} else {
			p.str("unknown ")
			p.uint(uint64(code))
		}
		n := 1
		if code != ipOptNOP && code != ipOptEOL {
			n = int(u8(b, 1))
			if n < 2 {
				p.bracketNum(" [bad length ", uint64(n))
				return true
			}
		}
		if n > length {
			p.bracketNum(" [bad length ", uint64(n))
			return true
		}
		if len(b) < n {
			return false
		}
		switch code {
		case ipOptEOL:
			return true
		case ipOptTS:
			if !p.ip4Timestamps(b, n) {
				return false
			}
		case ipOptRR, ipOptSSRR, ipOptLSRR:
			if !p.ip4Route(b, n) {
				return false
			}
		case ipOptRA:
			if n < 4 {
				p.bracketNum(" [bad length ", uint64(n))
				break
			}
			if v := be16(b, 2); v != 0 {
				p.str(" value ")
				p.uint(uint64(v))
			}
		}
		b = b[n:]
		length -= n
	}
	return true
}

// ip4Route prints a record-route or source-route option (RFC 791).
func (p *Printer) ip4Route(b []byte, length int) bool {
	if length < 3 {
		p.bracketNum(" [bad length ", uint64(length))
		return true
	}
	if (length+1)&3 != 0 {
		p.bracketNum(" [bad length ", uint64(length))
	}
	ptr := uint32(u8(b, 2)) - 1
	if ptr < 3 || (ptr+1)&3 != 0 || ptr > uint32(length)+1 {
		p.bracketNum(" [bad ptr ", uint64(b[2]))
	}
	for i := 3; i < length; i += 4 {
		if len(b) < i+4 {
			return false
		}
		p.byte1(' ')
		p.ip4addr(b[i:])
		if ptr > uint32(i) {
			p.byte1(',')
		}
	}
	return true
}

// ip4Timestamps prints a timestamp option (RFC 791).
func (p *Printer) ip4Timestamps(b []byte, length int) bool {
	if length < 4 {
		p.bracketNum("[bad length ", uint64(length))
		return true
	}
	p.str(" TS{")
	flags := u8(b, 3)
	hoplen := 8
	if flags&0xf == 0 {
		hoplen = 4
	}
	if (length-4)&(hoplen-1) != 0 {
		p.bracketNum("[bad length ", uint64(length))
	}
	ptr := uint32(u8(b, 2)) - 1
	pos := 0
	if ptr < 4 || (ptr-4)&uint32(hoplen-1) != 0 || ptr > uint32(length)+1 {
		p.bracketNum("[bad ptr ", uint64(b[2]))
	}
	switch flags & 0xf {
	case 0:
		p.str("TSONLY")
	case 1:
		p.str("TS+ADDR")
	case 3:
		p.str("PRESPEC")
	default:
		p.bracketNum("[bad ts type ", uint64(flags&0xf))
		goto done
	}
	for pos = 4; pos < length; pos += hoplen {
		mark := " "
		if ptr == uint32(pos) {
			mark = " ^ "
		}
		if len(b) < pos+hoplen {
			return false
		}
		p.str(mark)
		p.uint(uint64(be32(b, pos+hoplen-4)))
		p.byte1('@')
		if hoplen == 8 {
			p.ip4addr(b[pos:])
		}
	}
done:
	if ptr == uint32(pos) {
		p.str(" ^ ")
	}
	if flags>>4 != 0 {
		p.str(" [")
		p.uint(uint64(flags >> 4))
		p.str(" hops not recorded]} ")
	} else {
		p.byte1('}')
	}
	return true
}

// ipDemux prints the payload of an IPv4 or IPv6 datagram by its protocol
// number, as tcpdump does; b starts at the payload and
// length is the payload length from the header.
func (p *Printer) ipDemux(b []byte, length int, ni *netInfo) {
	for {
		switch ni.proto {
		case ipProtoTCP:
			p.tcp(b, length, ni)
		case ipProtoUDP:
			p.udp(b, length, ni)
		case ipProtoICMP:
			if ni.v6 {
				p.str("[ICMP requires IPv4] (invalid)")
				return
			}
			p.icmp(b, length, ni)
		case ipProtoICMPv6:
			if !ni.v6 {
				p.str("[ICMPv6 requires IPv6] (invalid)")
				return
			}
			p.icmp6(b, length, ni)
		case ipProtoIGMP:
			if ni.v6 {
				p.str("[IGMP requires IPv4] (invalid)")
				return
			}
			p.igmp(b, length)
		case ipProtoIPv4:
			p.ip(b, length)
		case ipProtoIPv6:
			p.ip6(b, length)
		case ipProtoND:
			p.str(" nd ")
			p.uint(uint64(length))
		case ipProtoNone:
			p.str("no next header")
		case ipProtoESP:
			p.esp(b, length)
		case ipProtoIPComp:
			p.proto = "ipcomp"
			cpi := be16(b, 2)
			p.str("IPComp(cpi=0x")
			p.hex(uint64(cpi), 4)
			p.byte1(')')
		case ipProtoVRRP:
			p.vrrp(b, length, ni)
		case ipProtoGRE:
			p.gre(b, length)
		case ipProtoSCTP:
			p.sctp(b, length, ni)
		case ipProtoOSPF:
			p.ospf(b, length, ni.v6)
		case ipProtoPIM:
			p.pim(b, length)
		case ipProtoEthernet:
			if !ni.v6 {
				p.str("[Ethernet requires IPv6] (invalid)")
				return
			}
			p.ether(b, length)
		case ipProtoAH:
			if len(b) < 1 {
				p.proto = "ah"
				p.trunc()
				return
			}
			nh := b[0]
			n := p.ah(b)
			if n <= 0 {
				return
			}
			if n > len(b) {
				// tcpdump reads on past the header it was told of;
				// the next read stops it.
				panic(truncated{})
			}
			b = b[n:]
			length -= n
			ni.proto = nh
			continue
		default:
			p.str(" ip-proto-")
			p.uint(uint64(ni.proto))
			p.byte1(' ')
			p.int(int64(uint32(length)))
		}
		return
	}
}

// esp prints an ESP header (RFC 4303), which sockscope, like tcpdump
// without keys, does not decrypt.
func (p *Printer) esp(b []byte, length int) {
	p.proto = "esp"
	if len(b) <= 8 {
		p.trunc()
		return
	}
	p.str("ESP(spi=0x")
	p.hex(uint64(be32(b, 0)), 8)
	p.str(",seq=0x")
	p.hex(uint64(be32(b, 4)), 1)
	p.str("), length ")
	p.uint(uint64(uint32(length)))
}

// ah prints an authentication header (RFC 4302) and returns its length.
func (p *Printer) ah(b []byte) int {
	p.proto = "ah"
	p.str("AH")
	n := u8(b, 1)
	hl := (int(n) + 2) * 4
	p.byte1('(')
	if p.opt.Verbose > 0 {
		p.str("length=")
		p.uint(uint64(n))
		p.byte1('(')
		p.uint(uint64(hl))
		p.str("-bytes),")
	}
	if r := be16(b, 2); r != 0 {
		p.str("reserved=0x")
		p.hex(uint64(r), 1)
		p.str("[MustBeZero],")
	}
	p.str("spi=0x")
	p.hex(uint64(be32(b, 4)), 8)
	p.str(",seq=0x")
	p.hex(uint64(be32(b, 8)), 1)
	p.str(",icv=0x")
	p.hexBytes(b, 12, hl-12)
	p.str("): ")
	return hl
}

// vrrp prints a VRRP advertisement (RFC 3768, 5798) as tcpdump prints it.
func (p *Printer) vrrp(b []byte, length int, ni *netInfo) {
	p.proto = "vrrp"
	p.str("VRRP")
	vt := u8(b, 0)
	version, typ := vt>>4, vt&0xf
	p.byte1('v')
	p.uint(uint64(version))
	p.str(", ")
	if typ == 1 {
		p.str("Advertisement")
	} else {
		p.str("unknown type (")
		p.uint(uint64(typ))
		p.byte1(')')
	}
	if ni.ttl != 255 {
		p.str(", (ttl ")
		p.uint(uint64(ni.ttl))
		p.byte1(')')
	}
	if version < 2 || version > 3 || typ != 1 {
		return
	}
	vrid, prio := u8(b, 1), u8(b, 2)
	p.str(", vrid ")
	p.uint(uint64(vrid))
	p.str(", prio ")
	p.uint(uint64(prio))
	var auth uint8
	if version == 2 {
		auth = u8(b, 4)
		p.str(", authtype ")
		switch auth {
		case 0:
			p.str("none")
		case 1:
			p.str("simple")
		case 2:
			p.str("ah")
		default:
			p.byte1('#')
			p.uint(uint64(auth))
		}
		intvl := u8(b, 5)
		p.str(", intvl ")
		p.uint(uint64(intvl))
		p.str("s, length ")
	} else {
		intvl := uint16(u8(b, 4)&0x0f)<<8 | uint16(u8(b, 5))
		p.str(", intvl ")
		p.uint(uint64(intvl))
		p.str("cs, length ")
	}
	p.uint(uint64(uint32(length)))
	if p.opt.Verbose == 0 {
		return
	}
	naddrs := int(u8(b, 3))
	if length >= 0 && len(b) >= length {
		var sum uint16
		if version == 2 {
			sum = inetChecksum(b[:length], 0)
		} else {
			sum = inetChecksum(b[:length], ni.pseudoSum(ipProtoVRRP, length))
		}
		if sum != 0 {
			field := be16(b, 6)
			p.str(", (bad vrrp cksum ")
			p.hex(uint64(field), 1)
			p.byte1(')')
		}
	}
	p.str(", addrs")
	if naddrs > 1 {
		p.byte1('(')
		p.uint(uint64(naddrs))
		p.byte1(')')
	}
	p.byte1(':')
	sep := byte(' ')
	off := 8
	for i := 0; i < naddrs; i++ {
		if ni.v6 {
			need(b, off+16)
			p.byte1(sep)
			p.ip6addr(b[off:])
			off += 16
		} else {
			need(b, off+4)
			p.byte1(sep)
			p.ip4addr(b[off:])
			off += 4
		}
		sep = ','
	}
	if version == 2 && auth == 1 {
		p.str(" auth \"")
		p.printJNP(b, off, 8)
		p.byte1('"')
	}
}

var ospfTypeNames = [...]string{1: "Hello", 2: "Database Description", 3: "LS-Request", 4: "LS-Update", 5: "LS-Ack"}

// ospf prints the first line of an OSPFv2 or OSPFv3 packet, which is all
// tcpdump prints without -v; the verbose decoding of OSPF is not done.
func (p *Printer) ospf(b []byte, length int, v6 bool) {
	if v6 {
		p.proto = "ospf3"
	} else {
		p.proto = "ospf2"
		// The MD5 trailer does not count (RFC 2328 D.4.3).
		if be16(b, 14) == 2 {
			length -= 16
		}
	}
	typ := u8(b, 1)
	version := u8(b, 0)
	p.str("OSPFv")
	p.uint(uint64(version))
	p.str(", ")
	switch {
	case int(typ) < len(ospfTypeNames) && ospfTypeNames[typ] != "":
		p.str(ospfTypeNames[typ])
	case v6:
		p.str("unknown packet type (")
		p.uint(uint64(typ))
		p.byte1(')')
	default:
		p.str("unknown LS-type ")
		p.uint(uint64(typ))
	}
	p.str(", length ")
	p.uint(uint64(uint32(length)))
}

var pimTypeNames = [...]string{
	"Hello", "Register", "Register Stop", "Join / Prune", "Bootstrap", "Assert", "Graft",
	"Graft Acknowledgement", "Candidate RP Advertisement", "Prune Refresh", "DF Election",
	"ECMP Redirect",
}

// pim prints the line tcpdump prints for PIM without -v; the verbose
// decoding of PIM is not done.
func (p *Printer) pim(b []byte, length int) {
	p.proto = "pim"
	tv := u8(b, 0)
	p.str("PIMv")
	p.uint(uint64(tv >> 4))
	if tv>>4 == 2 && p.opt.Verbose == 0 {
		p.str(", ")
		if t := tv & 0xf; int(t) < len(pimTypeNames) {
			p.str(pimTypeNames[t])
		} else {
			p.str("Unknown Type")
		}
	}
	p.str(", length ")
	p.uint(uint64(uint32(length)))
}
