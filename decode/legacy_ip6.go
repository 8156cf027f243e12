//go:build !treedecode

package decode

// The IPv6 printer and its extension headers (RFC 8200, 6275, 8754), as
// tcpdump prints them.

const ip6HeaderLen = 40

// IPv6 option types (RFC 8200, 2711, 6275).
const (
	ip6OptPad1        = 0x00
	ip6OptPadN        = 0x01
	ip6OptRouterAlert = 0x05
	ip6OptJumbo       = 0xc2
	ip6OptHomeAddress = 0xc9
)

// ip6 prints an IPv6 datagram as tcpdump prints it.
func (p *Printer) ip6(b []byte, length int) {
	p.proto = "ip6"
	if len(b) < ip6HeaderLen {
		p.trunc()
		return
	}
	if length < ip6HeaderLen {
		p.str("truncated-ip6 ")
		p.uint(uint64(uint32(length)))
		return
	}
	if !p.opt.Link {
		p.str("IP6 ")
	}
	if v := b[0] >> 4; v != 6 {
		p.str("version error: ")
		p.uint(uint64(v))
		p.str(" != 6")
		return
	}
	payloadLen := int(be16(b, 4))
	var total int
	if payloadLen != 0 {
		total = payloadLen + ip6HeaderLen
		if length < total {
			p.str("truncated-ip6 - ")
			p.uint(uint64(total - length))
			p.str(" bytes missing!")
		}
	} else {
		total = length + ip6HeaderLen
	}
	nh := b[6]
	if p.opt.Verbose > 0 {
		flow := be32(b, 0)
		p.byte1('(')
		if flow&0x0ff00000 != 0 {
			p.str("class 0x")
			p.hex(uint64(flow&0x0ff00000)>>20, 2)
			p.str(", ")
		}
		if flow&0x000fffff != 0 {
			p.str("flowlabel 0x")
			p.hex(uint64(flow&0x000fffff), 5)
			p.str(", ")
		}
		p.str("hlim ")
		p.uint(uint64(b[7]))
		p.str(", next-header ")
		p.str(ipProtoName(nh))
		p.str(" (")
		p.uint(uint64(nh))
		p.str(") payload length: ")
		p.uint(uint64(payloadLen))
		p.str(") ")
	}
	// Cut the captured bytes to the end of the datagram.
	if len(b) > total {
		b = b[:total]
	}
	ip6Hdr := b
	cp, advance, totalAdvance := 0, ip6HeaderLen, 0
	rem := total
	ph := -1 // the previous header, none yet
	foundExt, foundJumbo, foundHBH, fragmented := false, false, false, false
	for cp < len(b) && advance > 0 {
		if rem < advance {
			p.trunc()
			return
		}
		cp += advance
		rem -= advance
		totalAdvance += advance
		if cp > len(b) {
			// Each header checked its own bytes; this cannot happen,
			// but a read past the end is a truncation, not a crash.
			panic(truncated{})
		}
		if cp == ip6HeaderLen && nh != ipProtoTCP && nh != ipProtoUDP &&
			nh != ipProtoDCCP && nh != ipProtoSCTP {
			p.ip6addr(b[8:])
			p.str(" > ")
			p.ip6addr(b[24:])
			p.str(": ")
		}
		switch nh {
		case ipProtoHopOpts:
			if foundHBH {
				p.str("[The Hop-by-Hop Options header was already found] (invalid)")
				return
			}
			if ph != -1 {
				p.str("[The Hop-by-Hop Options header don't follow the IPv6 header] (invalid)")
				return
			}
			var jumbo uint32
			advance = p.hopByHop(b[cp:], &foundJumbo, payloadLen, &jumbo)
			if foundJumbo {
				payloadLen = int(jumbo)
			}
			if payloadLen == 0 && !foundJumbo {
				p.str("[No valid Jumbo Payload Hop-by-Hop option found] (invalid)")
				return
			}
			if advance < 0 {
				return
			}
			foundExt, foundHBH = true, true
			nh = b[cp]
		case ipProtoDstOpts:
			advance = p.dstOpts(b[cp:])
			if advance < 0 {
				return
			}
			foundExt = true
			nh = b[cp]
		case ipProtoFragment:
			advance = p.frag6(b, cp)
			if advance < 0 || len(b) <= cp+advance {
				return
			}
			foundExt = true
			nh = b[cp]
			fragmented = true
		case ipProtoMobilityOld, ipProtoMobility:
			p.mobility(b[cp:], rem)
			return
		case ipProtoRouting:
			if len(b) < cp+1 {
				p.trunc()
				return
			}
			advance = p.rt6(b[cp:])
			if advance < 0 {
				return
			}
			foundExt = true
			nh = b[cp]
		default:
			if foundJumbo {
				n := payloadLen + ip6HeaderLen
				if n < totalAdvance {
					p.trunc()
					return
				}
				if length < n {
					p.str("truncated-ip6 - ")
					p.uint(uint64(n - length))
					p.str(" bytes missing!")
				}
				if n <= len(b) {
					b = b[:n]
				}
				rem = n - totalAdvance
			} else if payloadLen == 0 {
				if foundExt {
					p.trunc()
					return
				}
				if ip6HeaderLen <= len(b) {
					b = b[:ip6HeaderLen]
				}
				rem = ip6HeaderLen - totalAdvance
			}
			var pl []byte
			if cp <= len(b) {
				pl = b[cp:]
			}
			ni := netInfo{src: ip6Hdr[8:24], dst: ip6Hdr[24:40], v6: true, proto: nh,
				hdr: ip6Hdr, fragmented: fragmented, ttl: ip6Hdr[7]}
			p.ipDemux(pl, rem, &ni)
			return
		}
		ph = int(nh)
		p.proto = "ip6"
	}
}

// ip6FinalDst returns the final destination of an IPv6 datagram whose header
// (with its extension headers) is h: the last address of a type 0 or 2
// routing header, the first segment of a segment routing header, or dst.
func ip6FinalDst(h []byte, dst []byte) []byte {
	if len(h) < ip6HeaderLen {
		return dst
	}
	nh := h[6]
	switch nh {
	case ipProtoHopOpts, ipProtoDstOpts, ipProtoMobilityOld, ipProtoMobility,
		ipProtoFragment, ipProtoRouting:
	default:
		return dst
	}
	cp, advance := 0, ip6HeaderLen
	for cp < len(h) {
		cp += advance
		switch nh {
		case ipProtoHopOpts, ipProtoDstOpts, ipProtoMobilityOld, ipProtoMobility:
			if len(h) < cp+2 {
				return dst
			}
			advance = (int(h[cp+1]) + 1) << 3
			nh = h[cp]
		case ipProtoFragment:
			if len(h) < cp+1 {
				return dst
			}
			advance = 8
			nh = h[cp]
		case ipProtoRouting:
			if len(h) < cp+4 {
				return dst
			}
			n := int(h[cp+1])
			switch h[cp+2] {
			case 0, 2:
				if n%2 == 1 {
					return dst
				}
				for i := 0; i < n/2; i++ {
					a := cp + 8 + 16*i
					if len(h) < a+16 {
						break
					}
					dst = h[a : a+16]
				}
			case 4:
				if n%2 == 1 {
					return dst
				}
				if a := cp + 8; len(h) >= a+16 {
					dst = h[a : a+16]
				}
			}
			return dst
		default:
			return dst
		}
	}
	return dst
}

// hopByHop prints a hop-by-hop options header (RFC 8200) and returns
// its length, or -1 when it is truncated. A valid jumbo payload option is
// reported through foundJumbo and jumbo.
func (p *Printer) hopByHop(b []byte, foundJumbo *bool, payloadLen int, jumbo *uint32) int {
	p.proto = "hbhopt"
	n := (int(u8(b, 1)) + 1) << 3
	if len(b) < n {
		p.trunc()
		return -1
	}
	p.str("HBH ")
	if !p.ip6Options(b[2:n], true, payloadLen, foundJumbo, jumbo) {
		p.trunc()
		return -1
	}
	return n
}

// dstOpts prints a destination options header (RFC 8200).
func (p *Printer) dstOpts(b []byte) int {
	p.proto = "dstopt"
	n := (int(u8(b, 1)) + 1) << 3
	if len(b) < n {
		p.trunc()
		return -1
	}
	p.str("DSTOPT ")
	if p.opt.Verbose > 0 {
		var found bool
		var jumbo uint32
		if !p.ip6Options(b[2:n], false, 0, &found, &jumbo) {
			p.trunc()
			return -1
		}
	}
	return n
}

// ip6Options prints the options of a hop-by-hop or destination options
// header; it reports false when an option is cut short.
func (p *Printer) ip6Options(b []byte, hbh bool, payloadLen int, foundJumbo *bool, jumboLen *uint32) bool {
	n := len(b)
	if n == 0 {
		return true
	}
	seenJumbo := false
	v := p.opt.Verbose > 0
	for i := 0; i < n; {
		t := b[i]
		optlen, ok := ip6OptLen(b, i, n)
		if !ok {
			return false
		}
		switch t {
		case ip6OptPad1:
			if v {
				p.str("(pad1)")
			}
		case ip6OptPadN:
			if !p.ip6OptFits("padn", b, i, n, 2, true) {
				return false
			}
			if v {
				p.str("(padn)")
			}
		case ip6OptRouterAlert:
			if !p.ip6OptFits("rtalert", b, i, n, 4, b[i+1] == 2) {
				return false
			}
			if v {
				p.str("(rtalert: 0x")
				p.hex(uint64(be16(b, i+2)), 4)
				p.str(") ")
			}
		case ip6OptJumbo:
			if !p.ip6OptFits("jumbo", b, i, n, 6, b[i+1] == 4) {
				return false
			}
			jl := be32(b, i+2)
			var why string
			switch {
			case seenJumbo:
				why = " - already seen"
			case !hbh:
				seenJumbo = true
				why = " - not a hop-by-hop option"
			case payloadLen != 0:
				seenJumbo = true
				why = " - payload len != 0"
			case jl < 65536:
				seenJumbo = true
				why = " - < 65536"
			default:
				seenJumbo = true
				*foundJumbo = true
				*jumboLen = jl
			}
			if v {
				p.str("(jumbo: ")
				p.uint(uint64(jl))
				p.str(why)
				p.str(") ")
			}
		case ip6OptHomeAddress:
			if !p.ip6OptFits("homeaddr", b, i, n, 18, b[i+1] >= 16) {
				return false
			}
			if v {
				p.str("(homeaddr: ")
				p.ip6addr(b[i+2:])
				if b[i+1] > 16 {
					if !p.ip6SubOptions(b[i+18 : i+optlen]) {
						return false
					}
				}
				p.byte1(')')
			}
		default:
			if n-i < 2 {
				p.str("(type ")
				p.uint(uint64(t))
				p.str(": trunc)")
				return false
			}
			if v {
				p.str("(opt_type 0x")
				p.hex(uint64(t), 2)
				p.str(": len=")
				p.uint(uint64(b[i+1]))
				p.byte1(')')
			}
		}
		i += optlen
	}
	if v {
		p.byte1(' ')
	}
	return true
}

// ip6OptLen returns the length of the option at off in b, the options ending
// at end: one byte for a Pad1, else two more than its length byte. It
// reports false when the option runs past end.
func ip6OptLen(b []byte, off, end int) (int, bool) {
	n := 1
	if u8(b, off) != ip6OptPad1 {
		if off+1 >= end {
			return 0, false
		}
		n = int(u8(b, off+1)) + 2
	}
	return n, off+n <= end
}

// ip6OptFits reports whether the option at i of the n option bytes in b
// has the size bytes its type needs and a length byte it accepts (lenOK);
// if not it prints tcpdump's "(name: trunc)" or "(name: invalid len N)".
func (p *Printer) ip6OptFits(name string, b []byte, i, n, size int, lenOK bool) bool {
	if n-i < size {
		p.byte1('(')
		p.str(name)
		p.str(": trunc)")
		return false
	}
	if !lenOK {
		p.byte1('(')
		p.str(name)
		p.str(": invalid len ")
		p.uint(uint64(b[i+1]))
		p.byte1(')')
		return false
	}
	return true
}

// ip6SubOptions prints the sub-options of a home address option.
func (p *Printer) ip6SubOptions(b []byte) bool {
	n := len(b)
	for i := 0; i < n; {
		optlen, ok := ip6OptLen(b, i, n)
		if !ok {
			return false
		}
		switch b[i] {
		case ip6OptPad1:
			p.str(", pad1")
		case ip6OptPadN:
			p.str(", padn")
		default:
			p.str(", sopt_type 0x")
			p.hex(uint64(b[i]), 2)
			p.str(": len=")
			p.uint(uint64(b[i+1]))
		}
		i += optlen
	}
	return true
}

// frag6 prints a fragment header at off in the datagram b and
// returns its length, or -1 for a fragment after the first, whose payload
// is not printed.
func (p *Printer) frag6(b []byte, off int) int {
	p.proto = "frag6"
	h := b[off:]
	var ident uint32
	if p.opt.Verbose > 0 {
		ident = be32(h, 4)
	}
	offset := be16(h, 2) & 0xfff8
	// tcpdump computes this in size_t: it wraps when the header lies.
	size := uint64(ip6HeaderLen) + uint64(be16(b, 4)) - uint64(off) - 8
	p.str("frag (")
	if p.opt.Verbose > 0 {
		p.str("0x")
		p.hex(uint64(ident), 8)
		p.byte1(':')
	}
	p.uint(uint64(offset))
	p.byte1('|')
	p.uint(size)
	p.byte1(')')
	if offset != 0 {
		return -1
	}
	p.byte1(' ')
	return 8
}

// rt6 prints a routing header and returns its length, or -1.
func (p *Printer) rt6(b []byte) int {
	p.proto = "rt6"
	p.str("RT6")
	n := int(u8(b, 1))
	p.str(" (len=")
	p.uint(uint64(n))
	typ := u8(b, 2)
	p.str(", type=")
	p.uint(uint64(typ))
	if typ == 0 {
		p.str(" [Deprecated]")
	}
	segleft := u8(b, 3)
	p.str(", segleft=")
	p.uint(uint64(segleft))
	switch typ {
	case 0, 2:
		if r := be32(b, 4); r != 0 || p.opt.Verbose > 0 {
			p.str(", rsv=0x")
			p.hex(uint64(r), 1)
		}
	case 4:
		last := u8(b, 4)
		p.str(", last-entry=")
		p.uint(uint64(last))
		if f := u8(b, 5); f != 0 || p.opt.Verbose > 0 {
			p.str(", flags=0x")
			p.hex(uint64(f), 1)
		}
		tag := be16(b, 6)
		p.str(", tag=")
		p.hex(uint64(tag), 1)
	default:
		p.str(" (unknown type) (invalid)")
		return -1
	}
	if n%2 == 1 {
		p.str(" (invalid length ")
		p.uint(uint64(n))
		p.str(") (invalid)")
		return -1
	}
	for i := 0; i < n/2; i++ {
		a := 8 + 16*i
		need(b, a+16)
		p.str(", [")
		p.uint(uint64(i))
		p.byte1(']')
		p.ip6addr(b[a:])
	}
	p.str(") ")
	return (n + 1) << 3
}

// mobilityTypes are the Mobile IPv6 message names (RFC 6275).
var mobilityTypes = [...]string{"BRR", "HoTI", "CoTI", "HoT", "CoT", "BU", "BA", "BE"}

// mobilityMinLen is the smallest header each message type needs.
var mobilityMinLen = [...]int{8, 16, 16, 24, 24, 12, 12, 24}

// mobility prints a Mobile IPv6 mobility header (RFC 6275).
func (p *Printer) mobility(b []byte, length int) {
	p.proto = "mobility"
	if len(b) < 2 {
		p.trunc()
		return
	}
	mhlen := (int(b[1]) + 1) << 3
	typ := u8(b, 2)
	if int(typ) < len(mobilityMinLen) && mhlen < mobilityMinLen[typ] {
		p.str("(header length ")
		p.uint(uint64(mhlen))
		p.str(" is too small for type ")
		p.uint(uint64(typ))
		p.byte1(')')
		p.trunc()
		return
	}
	p.str("mobility: ")
	if int(typ) < len(mobilityTypes) {
		p.str(mobilityTypes[typ])
	} else {
		p.str("type-#")
		p.uint(uint64(typ))
	}
	v := p.opt.Verbose > 0
	hlen := 8
	cookie := func(what, name string, off int) {
		a, c := be32(b, off), be32(b, off+4)
		p.byte1(' ')
		p.str(what)
		p.byte1(' ')
		p.str(name)
		p.byte1('=')
		p.hex(uint64(a), 8)
		p.byte1(':')
		p.hex(uint64(c), 8)
	}
	switch typ {
	case 0:
	case 1, 2:
		if v {
			what := "Care-of"
			if typ == 1 {
				what = "Home"
			}
			cookie(what, "Init Cookie", hlen)
		}
		hlen += 8
	case 3, 4:
		nonce := be16(b, 6)
		p.str(" nonce id=0x")
		p.hex(uint64(nonce), 1)
		what := "Care-of"
		if typ == 3 {
			what = "Home"
		}
		if v {
			cookie(what, "Init Cookie", hlen)
		}
		hlen += 8
		if v {
			cookie(what, "Keygen Token", hlen)
		}
		hlen += 8
	case 5:
		seq := be16(b, 6)
		p.str(" seq#=")
		p.uint(uint64(seq))
		if len(b) < hlen+2 {
			p.trunc()
			return
		}
		if bits := b[hlen] >> 4; bits != 0 {
			p.byte1(' ')
			for i, name := range [...]string{"A", "H", "L", "K"} {
				if bits&(8>>i) != 0 {
					p.str(name)
				}
			}
		}
		hlen += 2
		lt := be16(b, hlen)
		p.str(" lifetime=")
		p.uint(uint64(lt) << 2)
		hlen += 2
	case 6:
		p.str(" status=")
		p.uint(uint64(u8(b, 6)))
		if u8(b, 7)&0x80 != 0 {
			p.str(" K")
		}
		seq := be16(b, hlen)
		p.str(" seq#=")
		p.uint(uint64(seq))
		hlen += 2
		lt := be16(b, hlen)
		p.str(" lifetime=")
		p.uint(uint64(lt) << 2)
		hlen += 2
	case 7:
		p.str(" status=")
		p.uint(uint64(u8(b, 6)))
		need(b, hlen+16)
		p.str(" homeaddr ")
		p.ip6addr(b[hlen:])
		hlen += 16
	default:
		p.str(" len=")
		p.uint(uint64(b[1]))
		return
	}
	if v && !p.mobilityOptions(b, hlen, mhlen-hlen) {
		p.trunc()
	}
}

// mobilityOptions prints the options of a mobility header;
// it reports false when they are cut short.
func (p *Printer) mobilityOptions(b []byte, off, n int) bool {
	for i := 0; i < n; {
		t := u8(b, off+i)
		optlen, ok := ip6OptLen(b, off+i, off+n)
		if !ok {
			return false
		}
		if len(b) < off+i+optlen+1 {
			return false
		}
		o := off + i
		switch t {
		case 0:
			p.str("(pad1)")
		case 1:
			p.str("(padn)")
		case 2:
			if n-i < 4 {
				p.str("(refresh: trunc)")
				return false
			}
			r := be16(b, o+2)
			p.str("(refresh: ")
			p.uint(uint64(r) << 2)
			p.byte1(')')
		case 3:
			if n-i < 18 {
				p.str("(altcoa: trunc)")
				return false
			}
			need(b, o+18)
			p.str("(alt-CoA: ")
			p.ip6addr(b[o+2:])
			p.byte1(')')
		case 4:
			if n-i < 6 {
				p.str("(ni: trunc)")
				return false
			}
			ho, co := be16(b, o+2), be16(b, o+4)
			p.str("(ni: ho=0x")
			p.hex(uint64(ho), 4)
			p.str(" co=0x")
			p.hex(uint64(co), 4)
			p.byte1(')')
		case 5:
			if n-i < 12 {
				p.str("(auth: trunc)")
				return false
			}
			p.str("(auth)")
		default:
			p.str("(type-0x")
			p.hex(uint64(t), 2)
			p.str(": len=")
			p.uint(uint64(b[o+1]))
			p.byte1(')')
		}
		i += optlen
	}
	return true
}
