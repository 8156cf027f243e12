package decode

// The IPv4 printer and the protocol dispatch shared with IPv6, after tcpdump's
// print-ip.c and print-ip-demux.c; the internet checksum the transport
// printers verify with -v; and the small printers the dispatch reaches
// besides TCP, UDP and ICMP: ESP, AH, IPComp, VRRP, GRE, SCTP, and the
// header line of OSPF and PIM (print-esp.c, print-ah.c, print-ipcomp.c,
// print-vrrp.c, print-gre.c, print-sctp.c, print-ospf.c, print-pim.c).
// Other protocols print as tcpdump -n prints an unknown one.

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

// ipProtoTokens are tcpdump's ipproto_values, the names -v prints.
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
// The destination is the final one of a source route, as tcpdump's
// nextproto4_cksum and nextproto6_cksum take it.
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
// given the inetChecksum computed over the data including it (tcpdump's
// in_cksum_shouldbe).
func cksumShouldBe(field, computed uint16) uint16 {
	s := uint32(field) + uint32(computed)
	s = s&0xffff + s>>16
	s = s&0xffff + s>>16
	return uint16(s)
}

// ip4FinalDst returns the last address of a valid loose or strict source route
// in the IPv4 header h, or dst (tcpdump's ip_finddst).
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

// ip prints an IPv4 datagram as tcpdump's ip_print does.
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
	// Cut the captured bytes to the end of the datagram (nd_push_snaplen).
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
		p.str(" [remaining caplen(")
		p.uint(uint64(len(b)))
		p.str(") < header length(")
		p.uint(uint64(hlen))
		p.str(")]")
		panic(truncated{})
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
	sep := ""
	if off&(ipFlagRes|ipFlagDF|ipFlagMF) == 0 {
		p.str("none")
	}
	if off&ipFlagMF != 0 {
		p.str("+")
		sep = ", "
	}
	if off&ipFlagDF != 0 {
		p.str(sep)
		p.str("DF")
		sep = ", "
	}
	if off&ipFlagRes != 0 {
		p.str(sep)
		p.str("rsvd")
	}
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

func ip4OptName(code uint8) string {
	switch code {
	case ipOptEOL:
		return "EOL"
	case ipOptNOP:
		return "NOP"
	case ipOptTS:
		return "timestamp"
	case ipOptSecurity:
		return "security"
	case ipOptRR:
		return "RR"
	case ipOptSSRR:
		return "SSRR"
	case ipOptLSRR:
		return "LSRR"
	case ipOptRA:
		return "RA"
	case ipOptRFC1393:
		return "traceroute"
	}
	return ""
}

// ip4Options prints length bytes of IPv4 options from b (ip_optprint); it
// reports false when an option runs past the captured bytes.
func (p *Printer) ip4Options(b []byte, length int) bool {
	sep := false
	for length > 0 {
		if sep {
			p.byte1(',')
		}
		sep = true
		code := u8(b, 0)
		if name := ip4OptName(code); name != "" {
			p.str(name)
		} else {
			p.str("unknown ")
			p.uint(uint64(code))
		}
		n := 1
		if code != ipOptNOP && code != ipOptEOL {
			n = int(u8(b, 1))
			if n < 2 {
				p.str(" [bad length ")
				p.uint(uint64(n))
				p.byte1(']')
				return true
			}
		}
		if n > length {
			p.str(" [bad length ")
			p.uint(uint64(n))
			p.byte1(']')
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
				p.str(" [bad length ")
				p.uint(uint64(n))
				p.byte1(']')
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

// ip4Route prints a record-route or source-route option (ip_printroute).
func (p *Printer) ip4Route(b []byte, length int) bool {
	if length < 3 {
		p.str(" [bad length ")
		p.uint(uint64(length))
		p.byte1(']')
		return true
	}
	if (length+1)&3 != 0 {
		p.str(" [bad length ")
		p.uint(uint64(length))
		p.byte1(']')
	}
	ptr := uint32(u8(b, 2)) - 1
	if ptr < 3 || (ptr+1)&3 != 0 || ptr > uint32(length)+1 {
		p.str(" [bad ptr ")
		p.uint(uint64(b[2]))
		p.byte1(']')
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

// ip4Timestamps prints a timestamp option (ip_printts).
func (p *Printer) ip4Timestamps(b []byte, length int) bool {
	if length < 4 {
		p.str("[bad length ")
		p.uint(uint64(length))
		p.byte1(']')
		return true
	}
	p.str(" TS{")
	flags := u8(b, 3)
	hoplen := 8
	if flags&0xf == 0 {
		hoplen = 4
	}
	if (length-4)&(hoplen-1) != 0 {
		p.str("[bad length ")
		p.uint(uint64(length))
		p.byte1(']')
	}
	ptr := uint32(u8(b, 2)) - 1
	pos := 0
	if ptr < 4 || (ptr-4)&uint32(hoplen-1) != 0 || ptr > uint32(length)+1 {
		p.str("[bad ptr ")
		p.uint(uint64(b[2]))
		p.byte1(']')
	}
	switch flags & 0xf {
	case 0:
		p.str("TSONLY")
	case 1:
		p.str("TS+ADDR")
	case 3:
		p.str("PRESPEC")
	default:
		p.str("[bad ts type ")
		p.uint(uint64(flags & 0xf))
		p.byte1(']')
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
// number, as tcpdump's ip_demux_print does; b starts at the payload and
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

// esp prints an ESP header, which sockscope, like tcpdump without keys,
// does not decrypt (print-esp.c).
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

// ah prints an authentication header (print-ah.c) and returns its length.
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
	for i := 12; i < hl; i++ {
		c := u8(b, i)
		p.buf = append(p.buf, hexDigits[c>>4], hexDigits[c&0xf])
	}
	p.str("): ")
	return hl
}

// vrrp prints a VRRP advertisement (RFC 3768, 5798) as tcpdump's vrrp_print does.
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
		for i := 0; i < 8; i++ {
			c := u8(b, off+i)
			if c == 0 {
				break
			}
			p.nameChar(c)
		}
		p.byte1('"')
	}
}

// GRE header flags (RFC 2784, 2890, 2637).
const (
	greChecksum = 0x8000
	greRouting  = 0x4000
	greKey      = 0x2000
	greSeq      = 0x1000
	greSSR      = 0x0800
	greAck      = 0x0080
)

var greFlagNames = [...]struct {
	bit  uint16
	name string
}{
	{greChecksum, "checksum present"}, {greRouting, "routing present"},
	{greKey, "key present"}, {greSeq, "sequence# present"},
	{greSSR, "source routing present"}, {greAck, "ack present"},
}

// gre prints a GRE packet and what it carries, as tcpdump's gre_print does.
func (p *Printer) gre(b []byte, length int) {
	p.proto = "gre"
	if len(b) < 2 || length < 2 {
		p.trunc()
		return
	}
	flags := be16(b, 0)
	vers := flags & 7
	p.str("GREv")
	p.uint(uint64(vers))
	if vers > 1 {
		p.str(" ERROR: unknown-version")
		return
	}
	if p.opt.Verbose > 0 {
		p.str(", Flags [")
		sep := ""
		for _, f := range greFlagNames {
			if flags&f.bit != 0 {
				p.str(sep)
				p.str(f.name)
				sep = ", "
			}
		}
		if sep == "" {
			p.str("none")
		}
		p.byte1(']')
	}
	off, rem := 2, length-2
	// field reads the next n bytes, or reports that they are missing.
	field := func(n int) (uint32, bool) {
		if len(b) < off+n || rem < n {
			return 0, false
		}
		var v uint32
		for i := 0; i < n; i++ {
			v = v<<8 | uint32(b[off+i])
		}
		off += n
		rem -= n
		return v, true
	}
	v, ok := field(2)
	if !ok {
		p.trunc()
		return
	}
	proto := uint16(v)
	if vers == 0 {
		if flags&(greChecksum|greRouting) != 0 {
			if v, ok = field(2); !ok {
				p.trunc()
				return
			}
			if p.opt.Verbose > 0 {
				p.str(", sum 0x")
				p.hex(uint64(v), 1)
			}
			if v, ok = field(2); !ok {
				p.trunc()
				return
			}
			p.str(", off 0x")
			p.hex(uint64(v), 1)
		}
		if flags&greKey != 0 {
			if v, ok = field(4); !ok {
				p.trunc()
				return
			}
			p.str(", key=0x")
			p.hex(uint64(v), 1)
		}
		if flags&greSeq != 0 {
			if v, ok = field(4); !ok {
				p.trunc()
				return
			}
			p.str(", seq ")
			p.uint(uint64(v))
		}
		if flags&greRouting != 0 {
			for {
				if v, ok = field(4); !ok {
					p.trunc()
					return
				}
				af, sreoff, srelen := uint16(v>>16), int(v>>8&0xff), int(v&0xff)
				if af == 0 && srelen == 0 {
					break
				}
				if !p.greSRE(af, sreoff, srelen, b[off:], rem) || rem < srelen {
					p.trunc()
					return
				}
				off += srelen
				rem -= srelen
			}
		}
	} else {
		if flags&greKey != 0 {
			if v, ok = field(4); !ok {
				p.trunc()
				return
			}
			p.str(", call ")
			p.uint(uint64(v & 0xffff))
		}
		if flags&greSeq != 0 {
			if v, ok = field(4); !ok {
				p.trunc()
				return
			}
			p.str(", seq ")
			p.uint(uint64(v))
		}
		if flags&greAck != 0 {
			if v, ok = field(4); !ok {
				p.trunc()
				return
			}
			p.str(", ack ")
			p.uint(uint64(v))
		}
		if flags&greSeq == 0 {
			p.str(", no-payload")
		}
	}
	if p.opt.Link {
		p.str(", proto ")
		if n, ok := etherTypeNames[proto]; ok {
			p.str(n)
		} else {
			p.str("unknown")
		}
		p.str(" (0x")
		p.hex(uint64(proto), 4)
		p.byte1(')')
	}
	p.str(", length ")
	p.uint(uint64(uint32(length)))
	if vers == 1 && flags&greSeq == 0 {
		return
	}
	if p.opt.Verbose < 1 {
		p.str(": ")
	} else {
		p.str("\n\t")
	}
	payload := b[off:]
	switch {
	case vers == 0 && proto == etherTypeIPv4:
		p.ip(payload, rem)
	case vers == 0 && proto == etherTypeIPv6:
		p.ip6(payload, rem)
	case vers == 0 && proto == 0x6558: // transparent Ethernet bridging
		p.ether(payload, rem)
	default:
		p.str("gre-proto-0x")
		p.hex(uint64(proto), 1)
	}
}

// greSRE prints a GRE source route entry (RFC 1701); false means truncated.
func (p *Printer) greSRE(af uint16, sreoff, srelen int, b []byte, rem int) bool {
	unit := 0
	switch af {
	case 0x0800:
		p.str(", (rtaf=ip")
		unit = 4
	case 0xfffe:
		p.str(", (rtaf=asn")
		unit = 2
	default:
		p.str(", (rtaf=0x")
		p.hex(uint64(af), 1)
		p.byte1(')')
		return true
	}
	ok := true
	switch {
	case sreoff%unit != 0:
		p.str(", badoffset=")
		p.uint(uint64(sreoff))
	case srelen%unit != 0:
		p.str(", badlength=")
		p.uint(uint64(srelen))
	case sreoff >= srelen:
		p.str(", badoff/len=")
		p.uint(uint64(sreoff))
		p.byte1('/')
		p.uint(uint64(srelen))
	default:
		for pos := 0; pos < srelen; pos += unit {
			if len(b) < pos+unit || rem-pos < unit {
				ok = false
				break
			}
			p.byte1(' ')
			if pos == sreoff {
				p.byte1('*')
			}
			if unit == 4 {
				p.ip4addr(b[pos:])
			} else {
				p.hex(uint64(be16(b, pos)), 1)
			}
		}
	}
	p.byte1(')')
	return ok
}

// sctpChunkNames are tcpdump's names of SCTP chunk types (RFC 9260, 3758).
var sctpChunkNames = [256]string{
	0: "DATA", 1: "INIT", 2: "INIT ACK", 3: "SACK", 4: "HB REQ", 5: "HB ACK",
	6: "ABORT", 7: "SHUTDOWN", 8: "SHUTDOWN ACK", 9: "OP ERR", 10: "COOKIE ECHO",
	11: "COOKIE ACK", 12: "ECN ECHO", 13: "ECN CWR", 14: "SHUTDOWN COMPLETE",
	0xc0: "FOR CUM TSN", 0xc1: "REL CTRL", 0xc2: "REL CTRL ACK",
}

// sctpPPIDNames are the payload protocol identifiers tcpdump names.
var sctpPPIDNames = [...]string{
	1: "ISDN Q.921", 2: "M2UA", 3: "M3UA", 4: "SUA", 5: "M2PA", 6: "V5.2", 7: "H.248",
	8: "BICC", 9: "TALI", 10: "DUA", 11: "ASAP", 12: "ENRP", 13: "H.323", 14: "Q.IPC",
	15: "SIMCO", 16: "DDPSC", 17: "DDPSSC", 18: "S1AP", 19: "RUA", 20: "HNBAP",
	21: "ForCES HP", 22: "ForCES MP", 23: "ForCES LP", 24: "SBc-AP", 25: "NBAP", 27: "X2AP",
}

func sctpForCESChannel(port uint16) string {
	switch port {
	case 6704:
		return "ForCES HP"
	case 6705:
		return "ForCES MP"
	case 6706:
		return "ForCES LP"
	}
	return ""
}

// sctp prints an SCTP packet and its chunks as tcpdump's sctp_print does.
func (p *Printer) sctp(b []byte, length int, ni *netInfo) {
	p.proto = "sctp"
	if length < 12 {
		p.str("truncated-sctp - ")
		p.uint(uint64(12 - length))
		p.str(" bytes missing!")
		return
	}
	if len(b) < 12 {
		p.trunc()
		return
	}
	sport, dport := be16(b, 0), be16(b, 2)
	p.sctpAddr(ni.src, ni.v6)
	p.byte1('.')
	p.uint(uint64(sport))
	p.str(" > ")
	p.sctpAddr(ni.dst, ni.v6)
	p.byte1('.')
	p.uint(uint64(dport))
	p.str(": sctp")
	forces := false
	for _, port := range [...]uint16{sport, dport} {
		if ch := sctpForCESChannel(port); ch != "" {
			p.byte1('[')
			p.str(ch)
			p.byte1(']')
			forces = true
		}
	}
	off := 12
	rem := uint32(length) - 12
	sep := " ("
	if p.opt.Verbose >= 2 {
		sep = "\n\t"
	}
	for count := uint64(1); rem != 0; count++ {
		if rem < 4 {
			p.str(sep)
			p.uint(count)
			p.str(") [chunk descriptor cut off at end of packet]")
			return
		}
		if len(b) < off+4 {
			p.trunc()
			return
		}
		chunkLen := be16(b, off+2)
		if chunkLen < 4 {
			p.str(sep)
			p.uint(count)
			p.str(") [Bad chunk length ")
			p.uint(uint64(chunkLen))
			p.str(", < size of chunk descriptor]")
			return
		}
		align := uint32(0)
		if chunkLen%4 != 0 {
			align = 4 - uint32(chunkLen%4)
		}
		if rem < align {
			p.str(sep)
			p.uint(count)
			p.str(") [Bad chunk length ")
			p.uint(uint64(chunkLen))
			p.str(", > remaining data in packet]")
			return
		}
		if len(b) < off+int(chunkLen) {
			p.trunc()
			return
		}
		id, flags := b[off], b[off+1]
		off += 4
		rem -= 4
		left := chunkLen - 4
		p.str(sep)
		p.uint(count)
		p.str(") [")
		if name := sctpChunkNames[id]; name != "" {
			p.str(name)
		} else {
			p.str("Unknown chunk type: 0x")
			p.hex(uint64(id), 1)
		}
		p.str("] ")
		bogus := func() {
			p.str("bogus chunk length ")
			p.uint(uint64(chunkLen))
			p.byte1(']')
		}
		switch id {
		case 0: // DATA
			if flags&4 != 0 {
				p.str("(U)")
			}
			if flags&2 != 0 {
				p.str("(B)")
			}
			if flags&1 != 0 {
				p.str("(E)")
			}
			if flags&7 != 0 {
				p.byte1(' ')
			}
			if left < 12 {
				bogus()
				return
			}
			ppid := be32(b, off+8)
			p.str("[TSN: ")
			p.uint(uint64(be32(b, off)))
			p.str("] [SID: ")
			p.uint(uint64(be16(b, off+4)))
			p.str("] [SSEQ ")
			p.uint(uint64(be16(b, off+6)))
			p.str("] [PPID ")
			if ppid < uint32(len(sctpPPIDNames)) && sctpPPIDNames[ppid] != "" {
				p.str(sctpPPIDNames[ppid])
			} else {
				p.str("0x")
				p.hex(uint64(ppid), 1)
			}
			p.str("] ")
			forces = forces || ppid >= 21 && ppid <= 23
			off += 12
			rem -= 12
			left -= 12
			if left == 0 {
				bogus()
				return
			}
			// ForCES and M3UA payloads are not decoded.
			if !forces && p.opt.Verbose >= 2 && ppid != 3 {
				p.str("[Payload")
				if p.opt.Hex == 0 && p.opt.HexASCII == 0 && p.opt.ASCII == 0 {
					p.byte1(':')
					data := b[off:]
					cut := len(data) < int(left)
					if !cut {
						data = data[:left]
					}
					p.hexASCII("\n\t", data, 0)
					if cut {
						panic(truncated{})
					}
				}
				p.byte1(']')
			}
			off += int(left)
			rem -= uint32(left)
			left = 0
		case 1, 2: // INIT, INIT ACK
			if left < 16 {
				bogus()
				return
			}
			p.str("[init tag: ")
			p.uint(uint64(be32(b, off)))
			p.str("] [rwnd: ")
			p.uint(uint64(be32(b, off+4)))
			p.str("] [OS: ")
			p.uint(uint64(be16(b, off+8)))
			p.str("] [MIS: ")
			p.uint(uint64(be16(b, off+10)))
			p.str("] [init TSN: ")
			p.uint(uint64(be32(b, off+12)))
			p.str("] ")
			off += int(left)
			rem -= uint32(left)
			left = 0
		case 3: // SACK
			if left < 12 {
				bogus()
				return
			}
			cum := be32(b, off)
			gaps, dups := be16(b, off+8), be16(b, off+10)
			p.str("[cum ack ")
			p.uint(uint64(cum))
			p.str("] [a_rwnd ")
			p.uint(uint64(be32(b, off+4)))
			p.str("] [#gap acks ")
			p.uint(uint64(gaps))
			p.str("] [#dup tsns ")
			p.uint(uint64(dups))
			p.str("] ")
			off += 12
			rem -= 12
			left -= 12
			for i := uint16(0); left != 0 && i < gaps; i++ {
				if left < 4 {
					bogus()
					return
				}
				start, end := be16(b, off), be16(b, off+2)
				p.str("\n\t\t[gap ack block #")
				p.uint(uint64(i) + 1)
				p.str(": start = ")
				p.uint(uint64(cum + uint32(start)))
				p.str(", end = ")
				p.uint(uint64(cum + uint32(end)))
				p.str("] ")
				off += 4
				rem -= 4
				left -= 4
			}
			for i := uint16(0); left != 0 && i < dups; i++ {
				if left < 4 {
					bogus()
					return
				}
				tsn := be32(b, off)
				p.str("\n\t\t[dup TSN #")
				p.uint(uint64(i) + 1)
				p.str(": ")
				p.uint(uint64(tsn))
				p.str("] ")
				off += 4
				rem -= 4
				left -= 4
			}
		default:
			off += int(left)
			rem -= uint32(left)
			left = 0
		}
		off += int(left)
		rem -= uint32(left)
		if p.opt.Verbose < 2 {
			sep = ", ("
		}
		if align != 0 {
			if len(b) < off+int(align) {
				p.trunc()
				return
			}
			off += int(align)
			rem -= align
		}
	}
}

// sctpAddr appends an IPv4 or IPv6 address.
func (p *Printer) sctpAddr(a []byte, v6 bool) {
	if v6 {
		p.ip6addr(a)
	} else {
		p.ip4addr(a)
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
