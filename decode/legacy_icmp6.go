//go:build !treedecode

package decode

// The ICMPv6 printer (RFC 4443, 4861, 2710, 3810, 4620, 2894), printing as
// tcpdump does: neighbor discovery with its options, MLD, router
// renumbering and node information; RPL is rpl.go's. Unlike the ICMP
// printer, tcpdump 4.99 prints the text of ICMPv6 as it reads it, and does
// not print the quoted packet.

// ICMPv6 types.
const (
	icmp6DstUnreach      = 1
	icmp6PacketTooBig    = 2
	icmp6TimeExceeded    = 3
	icmp6ParamProb       = 4
	icmp6EchoRequest     = 128
	icmp6EchoReply       = 129
	icmp6MLDQuery        = 130
	icmp6MLDReport       = 131
	icmp6MLDDone         = 132
	icmp6RouterSolicit   = 133
	icmp6RouterAdvert    = 134
	icmp6NeighborSolicit = 135
	icmp6NeighborAdvert  = 136
	icmp6Redirect        = 137
	icmp6RouterRenum     = 138
	icmp6NIQuery         = 139
	icmp6NIReply         = 140
	icmp6INDSolicit      = 141
	icmp6INDAdvert       = 142
	icmp6MLDv2Report     = 143
	icmp6HADiscovRequest = 144
	icmp6HADiscovReply   = 145
	icmp6MobPrefixSolic  = 146
	icmp6MobPrefixAdvert = 147
	icmp6RPL             = 155
)

// icmp6TypeTokens are the ICMPv6 type names as tcpdump prints them.
var icmp6TypeTokens = [256]string{
	1: "destination unreachable", 2: "packet too big", 3: "time exceeded in-transit",
	4: "parameter problem", 128: "echo request", 129: "echo reply",
	130: "multicast listener query", 131: "multicast listener report",
	132: "multicast listener done", 133: "router solicitation",
	134: "router advertisement", 135: "neighbor solicitation",
	136: "neighbor advertisement", 137: "redirect", 138: "router renumbering",
	139: "who-are-you request", 140: "who-are-you reply",
	141: "inverse neighbor solicitation", 142: "inverse neighbor advertisement",
	143: "multicast listener report v2", 144: "ha discovery request",
	145: "ha discovery reply", 146: "mobile router solicitation",
	147: "mobile router advertisement", 155: "RPL",
	200: "mtrace response", 201: "mtrace message",
}

var icmp6UnreachTokens = [...]string{
	"unreachable route", " unreachable prohibited", "beyond scope",
	"unreachable address", "unreachable port",
}

var icmp6ParamProbNames = [...]string{
	"erroneous", "next header", "option", "incomplete header chain",
}

// Neighbor discovery option types (RFC 4861, 4191, 6106, 6275).
const (
	ndOptSourceLinkAddr = 1
	ndOptTargetLinkAddr = 2
	ndOptPrefixInfo     = 3
	ndOptRedirected     = 4
	ndOptMTU            = 5
	ndOptAdvInterval    = 7
	ndOptHomeAgentInfo  = 8
	ndOptRouteInfo      = 24
	ndOptRDNSS          = 25
	ndOptDNSSL          = 31
)

var ndOptNames = [...]string{
	1: "source link-address", 2: "destination link-address", 3: "prefix info",
	4: "redirected header", 5: "mtu", 7: "advertisement interval",
	8: "homeagent information", 24: "route info", 25: "rdnss", 31: "dnssl",
}

var routerPrefNames = [...]string{"medium", "high", "rsv", "low"}

// The flags of router and neighbor advertisements and of prefix information
// (RFC 4861 4.2, 4.4, 4.6.2; RFC 3775 7.1; RFC 8781), as tcpdump names them.
var (
	raFlagNames = [...]bitName{{0x80, "managed"}, {0x40, "other stateful"}, {0x20, "home agent"},
		{0x02, "ipv6 only"}}
	naFlagNames     = [...]bitName{{0x80000000, "router"}, {0x40000000, "solicited"}, {0x20000000, "override"}}
	prefixFlagNames = [...]bitName{{0x80, "onlink"}, {0x40, "auto"}, {0x20, "router"}}
)

// icmp6 prints an ICMPv6 message as tcpdump prints it.
func (p *Printer) icmp6(b []byte, length int, ni *netInfo) {
	p.proto = "icmp6"
	if length == 0 {
		p.str("ICMP6, length 0 (invalid)")
		return
	}
	v := p.opt.Verbose
	if v > 0 && !ni.fragmented && len(b) >= length {
		field := be16(b, 2)
		sum := inetChecksum(b[:length], ni.pseudoSum(ipProtoICMPv6, length))
		if sum != 0 {
			p.str("[bad icmp6 cksum 0x")
			p.hex(uint64(field), 4)
			p.str(" -> 0x")
			p.hex(uint64(cksumShouldBe(field, sum)), 4)
			p.str("!] ")
		} else {
			p.str("[icmp6 sum ok] ")
		}
	}
	typ := u8(b, 0)
	p.str("ICMP6, ")
	if name := icmp6TypeTokens[typ]; name != "" {
		p.str(name)
	} else {
		p.str("unknown icmp6 type (")
		p.uint(uint64(typ))
		p.byte1(')')
	}
	if v > 0 {
		switch typ {
		case icmp6RouterSolicit, icmp6RouterAdvert, icmp6NeighborAdvert, icmp6NeighborSolicit,
			icmp6Redirect, icmp6HADiscovReply, icmp6MobPrefixAdvert:
			p.str(", length ")
			p.uint(uint64(length))
		}
	}
	code := u8(b, 1)
	switch typ {
	case icmp6DstUnreach:
		p.str(", ")
		if int(code) < len(icmp6UnreachTokens) {
			p.str(icmp6UnreachTokens[code])
		} else {
			p.str("unknown unreach code (")
			p.uint(uint64(code))
			p.byte1(')')
		}
		switch code {
		case 0, 1, 3:
			need(b, 48)
			p.byte1(' ')
			p.ip6addr(b[32:])
		case 2:
			need(b, 48)
			p.byte1(' ')
			p.ip6addr(b[32:])
			p.str(", source address ")
			p.ip6addr(b[16:])
		case 4:
			off, proto, ok := icmp6UpperLayer(b, 8)
			if !ok {
				p.trunc()
				return
			}
			dport := be16(b, off+2)
			need(b, 48)
			p.str(", ")
			p.ip6addr(b[32:])
			p.unreachPort(proto, dport)
			if proto != ipProtoTCP && proto != ipProtoUDP {
				// tcpdump says it only for the other protocols.
				p.str(" unreachable")
			}
		default:
			if v <= 1 {
				p.netHexData(b, 0, "\n\t", length)
				return
			}
		}
	case icmp6PacketTooBig:
		mtu := be32(b, 4)
		p.str(", mtu ")
		p.uint(uint64(mtu))
	case icmp6TimeExceeded:
		switch code {
		case 0:
			need(b, 48)
			p.str(" for ")
			p.ip6addr(b[32:])
		case 1:
			p.str(" (reassembly)")
		default:
			p.str(", unknown code (")
			p.uint(uint64(code))
			p.byte1(')')
		}
	case icmp6ParamProb:
		if len(b) < 48 {
			p.trunc()
			return
		}
		if int(code) < len(icmp6ParamProbNames) {
			ptr := be32(b, 4)
			p.str(", ")
			p.str(icmp6ParamProbNames[code])
			p.str(" - octet ")
			p.uint(uint64(ptr))
		} else {
			p.str(", code-#")
			p.uint(uint64(code))
		}
	case icmp6EchoRequest, icmp6EchoReply:
		id, seq := be16(b, 4), be16(b, 6)
		p.str(", id ")
		p.uint(uint64(id))
		p.str(", seq ")
		p.uint(uint64(seq))
	case icmp6MLDQuery:
		switch {
		case length == 24:
			p.mld(b)
		case length >= 28:
			p.str(" v2")
			p.mldV2Query(b, length)
		default:
			p.str(" unknown-version (len ")
			p.uint(uint64(length))
			p.str(") ")
		}
	case icmp6MLDReport, icmp6MLDDone:
		p.mld(b)
	case icmp6RouterSolicit:
		if v > 0 {
			p.ndOptions(b, 8, length-8)
		}
	case icmp6RouterAdvert:
		if v > 0 {
			need(b, 16)
			flags := b[5]
			p.str("\n\thop limit ")
			p.uint(uint64(b[4]))
			p.str(", Flags [")
			p.bitNames(uint32(flags), raFlagNames[:], ", ")
			p.str("], pref ")
			p.str(routerPrefNames[flags>>3&3])
			p.str(", router lifetime ")
			p.uint(uint64(be16(b, 6)))
			p.str("s, reachable time ")
			p.uint(uint64(be32(b, 8)))
			p.str("ms, retrans timer ")
			p.uint(uint64(be32(b, 12)))
			p.str("ms")
			p.ndOptions(b, 16, length-16)
		}
	case icmp6NeighborSolicit:
		need(b, 24)
		p.str(", who has ")
		p.ip6addr(b[8:])
		if v > 0 {
			p.ndOptions(b, 24, length-24)
		}
	case icmp6NeighborAdvert:
		need(b, 24)
		p.str(", tgt is ")
		p.ip6addr(b[8:])
		if v > 0 {
			p.str(", Flags [")
			p.bitNames(be32(b, 4), naFlagNames[:], ", ")
			p.byte1(']')
			p.ndOptions(b, 24, length-24)
		}
	case icmp6Redirect:
		need(b, 40)
		p.str(", ")
		p.ip6addr(b[24:])
		p.str(" to ")
		p.ip6addr(b[8:])
		if v > 0 {
			p.ndOptions(b, 40, length-40)
		}
	case icmp6RouterRenum:
		p.routerRenum(b)
	case icmp6NIQuery, icmp6NIReply:
		p.nodeInfo(b, length)
	case icmp6INDSolicit, icmp6INDAdvert:
	case icmp6MLDv2Report:
		p.mldV2Report(b, length)
	case icmp6MobPrefixSolic, icmp6HADiscovRequest:
		id := be16(b, 4)
		p.str(", id 0x")
		p.hex(uint64(id), 4)
	case icmp6HADiscovReply:
		if v > 0 {
			id := be16(b, 4)
			p.str(", id 0x")
			p.hex(uint64(id), 4)
			for off := 8; off < length; off += 16 {
				need(b, off+16)
				p.str(", ")
				p.ip6addr(b[off:])
			}
		}
	case icmp6MobPrefixAdvert:
		if v > 0 {
			id := be16(b, 4)
			p.str(", id 0x")
			p.hex(uint64(id), 4)
			flags := be16(b, 6)
			if flags&0xc000 != 0 {
				p.byte1(' ')
			}
			if flags&0x8000 != 0 {
				p.byte1('M')
			}
			if flags&0x4000 != 0 {
				p.byte1('O')
			}
			p.ndOptions(b, 8, length-8)
		}
	case icmp6RPL:
		p.rpl(code, b, 4, length-4)
	default:
		p.str(", length ")
		p.uint(uint64(length))
		if v <= 1 {
			p.netHexData(b, 0, "\n\t", length)
		}
		return
	}
	if v == 0 {
		p.str(", length ")
		p.uint(uint64(length))
	}
}

// icmp6UpperLayer finds the transport header of the IPv6 packet quoted at
// off in b, walking its extension headers. It
// returns the offset of the header and its protocol, and false when it is
// not captured or not TCP or UDP.
func icmp6UpperLayer(b []byte, off int) (int, uint8, bool) {
	if len(b) < off+7 {
		return 0, 0, false
	}
	nh := b[off+6]
	hlen := ip6HeaderLen
	cp := off
	for cp < len(b) {
		cp += hlen
		switch nh {
		case ipProtoUDP, ipProtoTCP:
			if len(b) >= cp+4 {
				return cp, nh, true
			}
			return 0, 0, false
		case ipProtoHopOpts, ipProtoDstOpts, ipProtoRouting:
			if len(b) < cp+2 {
				return 0, 0, false
			}
			nh = b[cp]
			hlen = (int(b[cp+1]) + 1) << 3
		case ipProtoFragment:
			if len(b) < cp+4 {
				return 0, 0, false
			}
			if be16(b, cp+2)&0xfff8 != 0 {
				return 0, 0, false
			}
			nh = b[cp]
			hlen = 8
		case ipProtoAH:
			if len(b) < cp+2 {
				return 0, 0, false
			}
			nh = b[cp]
			hlen = (int(b[cp+1]) + 2) << 2
		default:
			return 0, 0, false
		}
	}
	return 0, 0, false
}

// ndLifetime appends a neighbor discovery lifetime: "infinity" or "300s".
func (p *Printer) ndLifetime(t uint32) {
	if t == 0xffffffff {
		p.str("infinity")
		return
	}
	p.uint(uint64(t))
	p.byte1('s')
}

// ndOptions prints the neighbor discovery options in b from off, resid bytes
// long by the message length, and marks the line truncated when one is cut
// short or malformed, as tcpdump does.
func (p *Printer) ndOptions(b []byte, off, resid int) {
	if !p.ndOptionList(b, off, resid) {
		p.trunc()
	}
}

// ndOptionList prints the options for ndOptions; it
// reports false when one is cut short or malformed.
func (p *Printer) ndOptionList(b []byte, off, resid int) bool {
	base := off
	cp := off
	for cp < len(b) {
		if len(b) < cp+2 {
			return false
		}
		if resid <= 0 {
			return true
		}
		t := b[cp]
		n := int(b[cp+1])
		if n == 0 {
			return false
		}
		size := n << 3
		if cp+size > len(b) {
			return false
		}
		p.str("\n\t  ")
		if int(t) < len(ndOptNames) && ndOptNames[t] != "" {
			p.str(ndOptNames[t])
		} else {
			p.str("unknown")
		}
		p.str(" option (")
		p.uint(uint64(t))
		p.str("), length ")
		p.uint(uint64(size))
		p.str(" (")
		p.uint(uint64(n))
		p.str("): ")
		switch t {
		case ndOptSourceLinkAddr, ndOptTargetLinkAddr:
			p.hexColons(b[cp+2 : cp+size])
		case ndOptPrefixInfo:
			need(b, cp+32)
			p.ip6addr(b[cp+16:])
			p.byte1('/')
			p.uint(uint64(b[cp+2]))
			if n != 4 {
				p.str("badlen")
			}
			p.str(", Flags [")
			p.bitNames(uint32(b[cp+3]), prefixFlagNames[:], ", ")
			p.str("], valid time ")
			p.ndLifetime(be32(b, cp+4))
			p.str(", pref. time ")
			p.ndLifetime(be32(b, cp+8))
		case ndOptRedirected:
			// tcpdump dumps from the first option, not this one.
			p.netHexData(b, base, "\n\t    ", size)
		case ndOptMTU:
			mtu := be32(b, cp+4)
			p.byte1(' ')
			p.uint(uint64(mtu))
			if n != 1 {
				p.str("bad option length")
			}
		case ndOptRDNSS:
			lt := be32(b, cp+4)
			p.str(" lifetime ")
			p.uint(uint64(lt))
			p.str("s,")
			for i := 0; i < (n-1)/2; i++ {
				a := cp + 8 + 16*i
				need(b, a+16)
				p.str(" addr: ")
				p.ip6addr(b[a:])
			}
		case ndOptDNSSL:
			lt := be32(b, cp+4)
			p.str(" lifetime ")
			p.uint(uint64(lt))
			p.str("s, domain(s):")
			dom := cp + 8
			for dom < cp+size && u8(b, dom) != 0 {
				p.byte1(' ')
				if dom = p.fqdn(b, dom, base); dom == noName {
					return false
				}
			}
		case ndOptAdvInterval:
			iv := be32(b, cp+4)
			p.byte1(' ')
			p.uint(uint64(iv))
			p.str("ms")
		case ndOptHomeAgentInfo:
			pref, lt := be16(b, cp+4), be16(b, cp+6)
			p.str(" preference ")
			p.uint(uint64(pref))
			p.str(", lifetime ")
			p.uint(uint64(lt))
		case ndOptRouteInfo:
			if len(b) < cp+8 {
				return false
			}
			var prefix [16]byte
			switch n {
			case 1:
			case 2:
				need(b, cp+16)
				copy(prefix[:], b[cp+8:cp+16])
			case 3:
				need(b, cp+24)
				copy(prefix[:], b[cp+8:cp+24])
			default:
				return false
			}
			p.byte1(' ')
			p.ip6addr(prefix[:])
			p.byte1('/')
			p.uint(uint64(b[cp+2]))
			p.str(", pref=")
			p.str(routerPrefNames[b[cp+3]>>3&3])
			p.str(", lifetime=")
			p.ndLifetime(be32(b, cp+4))
		default:
			if p.opt.Verbose <= 1 {
				p.netHexData(b, cp+2, "\n\t  ", size-2)
				return true
			}
		}
		if p.opt.Verbose > 1 {
			p.netHexData(b, cp+2, "\n\t    ", size-2)
		}
		cp += size
		resid -= size
	}
	return true
}

// mld prints an MLDv1 message (RFC 2710); nothing when it is not all captured.
func (p *Printer) mld(b []byte) {
	if len(b) < 24 {
		return
	}
	p.str("max resp delay: ")
	p.uint(uint64(be16(b, 4)))
	p.str(" addr: ")
	p.ip6addr(b[8:])
}

func (p *Printer) mldV2Report(b []byte, length int) {
	if length < 8 {
		p.bracketNum(" [invalid len ", uint64(length))
		return
	}
	p.groupRecords(b, length, true)
}

func (p *Printer) mldV2Query(b []byte, length int) {
	if length < 28 {
		p.bracketNum(" [invalid len ", uint64(length))
		return
	}
	mrc := uint32(be16(b, 4))
	mrt := mrc
	if mrc >= 32768 {
		mrt = (mrc&0x0fff | 0x1000) << ((mrc&0x7000)>>12 + 3)
	}
	if p.opt.Verbose > 0 {
		p.bracketNum(" [max resp delay=", uint64(mrt))
	}
	need(b, 24)
	p.str(" [gaddr ")
	p.ip6addr(b[8:])
	if p.opt.Verbose > 0 {
		f := u8(b, 24)
		if f&0x08 != 0 {
			p.str(" sflag")
		}
		if f&0x07 != 0 {
			p.str(" robustness=")
			p.uint(uint64(f & 7))
		}
		qqi := expCode8(u8(b, 25))
		p.str(" qqi=")
		p.uint(uint64(qqi))
	}
	p.querySources(b, 26, length, true)
}

// routerRenum prints a router renumbering message (RFC 2894).
func (p *Printer) routerRenum(b []byte) {
	if len(b) < 16 {
		p.trunc()
		return
	}
	code := b[1]
	switch code {
	case 0:
		p.str(", command")
	case 1:
		p.str(", result")
	case 255:
		p.str(", sequence number reset")
	default:
		p.str(", code-#")
		p.uint(uint64(code))
	}
	p.str(", seq=")
	p.uint(uint64(be32(b, 4)))
	v := p.opt.Verbose
	if v > 0 {
		flags := b[9]
		p.byte1('[')
		if flags != 0 {
			for i, c := range [...]byte{'T', 'R', 'A', 'S', 'P'} {
				if flags&(0x80>>i) != 0 {
					p.byte1(c)
				}
			}
			p.byte1(',')
		}
		p.str("seg=")
		p.uint(uint64(b[8]))
		p.str(",maxdelay=")
		p.uint(uint64(be16(b, 10)))
		if r := be32(b, 12); r != 0 {
			p.str("rsvd=0x")
			p.hex(uint64(r), 1)
		}
		p.byte1(']')
	}
	if code != 0 {
		return
	}
	if len(b) < 40 {
		p.trunc()
		return
	}
	if v > 1 {
		p.str("\n\t")
	} else {
		p.byte1(' ')
	}
	p.str("match(")
	switch b[16] {
	case 1:
		p.str("add")
	case 2:
		p.str("change")
	case 3:
		p.str("setglobal")
	default:
		p.byte1('#')
		p.uint(uint64(b[16]))
	}
	if v > 0 {
		p.str(",ord=")
		p.uint(uint64(b[18]))
		p.str(",min=")
		p.uint(uint64(b[20]))
		p.str(",max=")
		p.uint(uint64(b[21]))
	}
	p.byte1(',')
	p.ip6addr(b[24:])
	p.byte1('/')
	p.uint(uint64(b[19]))
	p.byte1(')')
	n := int(b[17]) - 3
	if n%4 != 0 {
		p.trunc()
		return
	}
	cp := 40
	for n /= 4; n > 0; n-- {
		use := cp
		cp += 32
		if len(b) < cp {
			p.trunc()
			return
		}
		if v > 1 {
			p.str("\n\t")
		} else {
			p.byte1(' ')
		}
		p.str("use(")
		if f := b[use+12]; f != 0 {
			if f&0x80 != 0 {
				p.byte1('V')
			}
			if f&0x40 != 0 {
				p.byte1('P')
			}
			p.byte1(',')
		}
		if v > 0 {
			p.str("mask=0x")
			p.hex(uint64(b[use+2]), 1)
			p.str(",raflags=0x")
			p.hex(uint64(b[use+3]), 1)
			p.str(",vltime=")
			if t := be32(b, use+4); t == 0xffffffff {
				p.str("infty")
			} else {
				p.uint(uint64(t))
			}
			p.str(",pltime=")
			if t := be32(b, use+8); t == 0xffffffff {
				p.str("infty")
			} else {
				p.uint(uint64(t))
			}
			p.byte1(',')
		}
		p.ip6addr(b[use+16:])
		p.byte1('/')
		p.uint(uint64(b[use]))
		p.byte1('/')
		p.uint(uint64(b[use+1]))
		p.byte1(')')
	}
}

// niQtypes appends the supported-qtypes query type and its flags (the C,
// compressed, flag of RFC 4620 6.3).
func (p *Printer) niQtypes(flags uint16) {
	p.str("supported qtypes")
	if flags != 0 {
		p.str(" [")
		if flags&1 != 0 {
			p.byte1('C')
		}
		p.byte1(']')
	}
}

// nodeAddrFlags appends the flags of a node addresses query or reply.
func (p *Printer) nodeAddrFlags(f uint16, reply bool) {
	p.str(" [")
	for i, c := range [...]byte{'a', 'G', 'S', 'L', 'C', 'A'} {
		if f&(0x40>>i) != 0 {
			p.byte1(c)
		}
	}
	if reply && f&1 != 0 {
		p.byte1('T')
	}
	p.byte1(']')
}

// nodeInfo prints a node information query or reply (RFC 4620).
// tcpdump sizes it by the captured bytes.
func (p *Printer) nodeInfo(b []byte, length int) {
	siz := len(b)
	v := p.opt.Verbose > 0
	switch b[0] {
	case icmp6NIQuery:
		if siz == 12 {
			p.str(" who-are-you request")
			return
		}
		p.str(" node information query")
		if siz < 16 {
			p.trunc()
			return
		}
		p.str(" (")
		qtype := be16(b, 4)
		flags := be16(b, 6)
		switch qtype {
		case 0:
			p.str("noop")
		case 1:
			p.niQtypes(flags)
		case 2:
			p.str("DNS name")
		case 3:
			p.str("node addresses")
			if flags != 0 {
				p.nodeAddrFlags(flags, false)
			}
		default:
			p.str("unknown")
		}
		if qtype == 0 || qtype == 1 {
			if siz != 16 && v {
				p.str(", invalid len")
			}
			p.byte1(')')
			return
		}
		if siz == 16 {
			p.str(", 03 draft)")
			return
		}
		switch b[1] {
		case 0, 2: // an IPv6 or an IPv4 address
			want := 16 + 16
			if b[1] == 2 {
				want = 16 + 4
			}
			if siz < want {
				break
			}
			if siz != want {
				if v {
					p.str(", invalid subject len")
				}
				break
			}
			p.str(", subject=")
			p.ipAddr(b[16:], b[1] == 0)
		case 1:
			p.str(", subject=DNS name")
			p.niName(b, 16, v)
		default:
			p.str(", unknown subject")
		}
		p.byte1(')')
	case icmp6NIReply:
		if length > siz || siz < 16 {
			p.trunc()
			return
		}
		p.str(" node information reply (")
		comma := false
		code := b[1]
		switch code {
		case 0:
			if v {
				p.str("success")
				comma = true
			}
		case 1, 2:
			if code == 1 {
				p.str("refused")
			} else {
				p.str("unknown")
			}
			comma = true
			if siz != 16 && v {
				p.str(", invalid length")
			}
		}
		if code != 0 {
			p.byte1(')')
			return
		}
		if comma {
			p.str(", ")
		}
		flags := be16(b, 6)
		switch be16(b, 4) {
		case 0:
			p.str("noop")
			if siz != 16 && v {
				p.str(", invalid length")
			}
		case 1:
			p.niQtypes(flags)
		case 2:
			p.str("DNS name")
			p.niName(b, 20, v)
			if flags&1 != 0 {
				p.str(" [TTL=")
				p.uint(uint64(be32(b, 16)))
				p.byte1(']')
			}
		case 3:
			p.str("node addresses")
			for i := 16; i < siz && i+20 <= siz; i += 20 {
				p.byte1(' ')
				p.ip6addr(b[i+4:])
				p.byte1('(')
				p.uint(uint64(be32(b, i)))
				p.byte1(')')
			}
			if flags != 0 {
				p.nodeAddrFlags(flags, true)
			}
		default:
			p.str("unknown")
		}
		p.byte1(')')
	}
}

// niName prints the name in a node information message from off: a Pascal
// string of the old draft, or DNS labels.
func (p *Printer) niName(b []byte, off int, v bool) {
	ep := len(b)
	cp := off
	if int(u8(b, cp)) == ep-cp-1 {
		if v {
			p.str(", 03 draft")
		}
		p.str(", \"")
		for cp++; cp < ep; cp++ {
			p.printChar(b[cp])
		}
		p.byte1('"')
		return
	}
	p.str(", \"")
	for cp < ep {
		i := int(b[cp])
		cp++
		if i != 0 {
			if i > ep-cp {
				p.str("???")
				break
			}
			for ; i > 0 && cp < ep; i-- {
				p.printChar(b[cp])
				cp++
			}
			if cp+1 < ep && b[cp] != 0 {
				p.byte1('.')
			}
			continue
		}
		switch {
		case cp == ep:
			p.byte1('.')
		case cp+1 == ep && b[cp] == 0:
		default:
			p.str("???")
		}
		break
	}
	p.byte1('"')
}
