//go:build !treedecode

package decode

// The DNS printer, printing as tcpdump does: one line per message with
// the id, flags, counts and records, over UDP (DNS, mDNS) and TCP.
//
// Names are read with offsets into the captured message, never past it:
// compression pointers must point backwards (BIND's rule, which tcpdump
// applies), so a hostile message cannot loop.

// DNS header flag bits and fields (RFC 1035 4.1.1, RFC 4035 3.2).
const (
	dnsQR      = 0x8000
	dnsAA      = 0x0400
	dnsTC      = 0x0200
	dnsRD      = 0x0100
	dnsRA      = 0x0080
	dnsAD      = 0x0020
	dnsCD      = 0x0010
	dnsIQuery  = 1
	dnsHdrLen  = 12
	dnsMaxName = 255 // MAXCDNAME
)

// Label types, the top two bits of a length byte (RFC 1035 4.1.4, RFC 6891).
const (
	labelMask     = 0xc0
	labelPointer  = 0xc0
	labelExtended = 0x40
	labelReserved = 0x80
	labelBitstr   = 0x01 // the extended label type of RFC 2673 bit labels
)

// Resource record types and classes tcpdump treats specially.
const (
	dnsTypeA       = 1
	dnsTypeNS      = 2
	dnsTypeCNAME   = 5
	dnsTypeSOA     = 6
	dnsTypePTR     = 12
	dnsTypeMX      = 15
	dnsTypeTXT     = 16
	dnsTypeAAAA    = 28
	dnsTypeSRV     = 33
	dnsTypeA6      = 38
	dnsTypeDNAME   = 39
	dnsTypeOPT     = 41
	dnsTypeUNSPECA = 104
	dnsTypeTSIG    = 250
	dnsTypeURI     = 256
	dnsClassIN     = 1
	mdnsClassBit   = 0x8000 // QU in questions, cache-flush in answers (RFC 6762)
)

var nsOpcodes = [16]string{
	"", " inv_q", " stat", " op3", " notify", " update", " op6", " op7",
	" op8", " updateA", " updateD", " updateDA",
	" updateM", " updateMA", " zoneInit", " zoneRef",
}

// nsRcodes are the response codes as tcpdump prints them; two really lack
// their leading space.
var nsRcodes = [...]string{
	"", " FormErr", " ServFail", " NXDomain",
	" NotImp", " Refused", " YXDomain", " YXRRSet",
	" NXRRSet", " NotAuth", " NotZone", " Resp11",
	" Resp12", " Resp13", " Resp14", " NoChange",
	" BadVers", "Resp17", " Resp18", " Resp19",
	" Resp20", "Resp21", " Resp22", " BadCookie",
}

// nsTypeNames are the record type names tcpdump prints (IANA DNS parameters).
var nsTypeNames = map[uint16]string{
	1: "A", 2: "NS", 3: "MD", 4: "MF", 5: "CNAME", 6: "SOA", 7: "MB", 8: "MG", 9: "MR",
	10: "NULL", 11: "WKS", 12: "PTR", 13: "HINFO", 14: "MINFO", 15: "MX", 16: "TXT",
	17: "RP", 18: "AFSDB", 19: "X25", 20: "ISDN", 21: "RT", 22: "NSAP", 23: "NSAP_PTR",
	24: "SIG", 25: "KEY", 26: "PX", 27: "GPOS", 28: "AAAA", 29: "LOC", 30: "NXT",
	31: "EID", 32: "NIMLOC", 33: "SRV", 34: "ATMA", 35: "NAPTR", 36: "KX", 37: "CERT",
	38: "A6", 39: "DNAME", 40: "SINK", 41: "OPT", 42: "APL", 43: "DS", 44: "SSHFP",
	45: "IPSECKEY", 46: "RRSIG", 47: "NSEC", 48: "DNSKEY", 99: "SPF", 100: "UINFO",
	101: "UID", 102: "GID", 103: "UNSPEC", 104: "UNSPECA", 249: "TKEY", 250: "TSIG",
	251: "IXFR", 252: "AXFR", 253: "MAILB", 254: "MAILA", 255: "ANY", 256: "URI",
}

var nsClassNames = map[uint16]string{1: "IN", 3: "CHAOS", 4: "HS", 255: "ANY"}

// EDNS option codes (IANA DNS EDNS0 Option Codes) tcpdump names.
const (
	ednsNSID      = 3
	ednsDAU       = 5
	ednsDHU       = 6
	ednsN3U       = 7
	ednsECS       = 8
	ednsExpire    = 9
	ednsCookie    = 10
	ednsKeepalive = 11
	ednsPadding   = 12
	ednsChain     = 13
	ednsKeyTag    = 14
)

var ednsOptNames = map[uint16]string{
	1: "LLQ", 2: "UL", 3: "NSID", 5: "DAU", 6: "DHU", 7: "N3U", 8: "ECS", 9: "EXPIRE",
	10: "COOKIE", 11: "KEEPALIVE", 12: "PADDING", 13: "CHAIN", 14: "KEY-TAG",
	16: "CLIENT-TAG", 17: "SERVER-TAG",
}

var dnssecAlgNames = map[uint8]string{
	0: "DELETE", 1: "RSAMD5", 2: "DH", 3: "DS", 5: "RSASHA1", 6: "DSA-NSEC3-SHA1",
	7: "RSASHA1-NSEC3-SHA1", 8: "RSASHA256", 10: "RSASHA512", 12: "ECC-GOST",
	13: "ECDSAP256SHA256", 14: "ECDSAP384SHA384", 15: "ED25519", 16: "ED448",
	252: "INDIRECT", 253: "PRIVATEDNS", 254: "PRIVATEOID",
}

var dsHashNames = map[uint8]string{1: "SHA-1", 2: "SHA-256", 3: "GOST_R_34.11-94", 4: "SHA-384"}

var nsec3HashNames = map[uint8]string{1: "SHA-1"}

// noName is the offset a name reader returns when it could not read the
// name.
const noName = -1

// dnsMsg is a captured DNS message: m holds the bytes from the header to the
// end of the capture; offsets index it.
type dnsMsg []byte

func (m dnsMsg) has(off int) bool { return off >= 0 && off < len(m) }

// skipName returns the offset after the name at cp, or noName.
func (m dnsMsg) skipName(cp int) int {
	if !m.has(cp) {
		return noName
	}
	i := m[cp]
	cp++
	for i != 0 {
		switch i & labelMask {
		case labelPointer:
			return cp + 1
		case labelExtended:
			if i&^labelMask != labelBitstr || !m.has(cp) {
				return noName
			}
			bits := int(m[cp])
			if bits == 0 {
				bits = 256
			}
			cp += 1 + (bits+7)/8
		case labelReserved:
			return noName
		default:
			cp += int(i)
		}
		if !m.has(cp) {
			return noName
		}
		i = m[cp]
		cp++
	}
	return cp
}

// dnsLabelLen returns the length of the label at cp, or -1 after printing why
// it is bad (labellen).
func (p *Printer) dnsLabelLen(m dnsMsg, cp int) int {
	if !m.has(cp) {
		return -1
	}
	i := m[cp]
	switch i & labelMask {
	case labelExtended:
		if elt := i &^ labelMask; elt != labelBitstr {
			p.str("<ELT ")
			p.uint(uint64(elt))
			p.byte1('>')
			return -1
		}
		if !m.has(cp + 1) {
			return -1
		}
		bits := int(m[cp+1])
		if bits == 0 {
			bits = 256
		}
		return (bits+7)/8 + 1
	case labelPointer, 0:
		return int(i)
	}
	p.str("<BAD LABEL TYPE>")
	return -1
}

// dnsBitLabel prints an RFC 2673 bit-string label whose count byte is at cp.
func (p *Printer) dnsBitLabel(m dnsMsg, cp int) {
	bits := int(u8(m, cp))
	if bits == 0 {
		bits = 256
	}
	lim := cp + 1 + (bits+3)/4
	p.str("\\[x")
	bp, b := cp+1, bits
	for ; bp < lim && b > 7; b, bp = b-8, bp+1 {
		p.hex(uint64(u8(m, bp)), 2)
	}
	if b > 4 {
		p.hex(uint64(u8(m, bp)&(0xff<<(8-b))), 2)
	} else if b > 0 {
		p.hex(uint64((u8(m, bp)>>4)&0x0f&(0x0f<<(4-b))), 1)
	}
	p.byte1('/')
	p.uint(uint64(bits))
	p.byte1(']')
}

// fqdn prints the domain name at cp, following compression pointers relative
// to base, and returns the offset after it in place, or noName.
func (p *Printer) fqdn(m dnsMsg, cp, base int) int {
	l := p.dnsLabelLen(m, cp)
	if l < 0 || !m.has(cp) {
		return noName
	}
	maxOff := uint32(cp - base)
	i := m[cp]
	cp++
	rp := noName
	compressed := false
	if i&labelMask != labelPointer {
		rp = cp + l
	}
	if i == 0 {
		p.byte1('.')
		return rp
	}
	chars := 0
	for i != 0 && cp < len(m) {
		switch i & labelMask {
		case labelPointer:
			if !compressed {
				rp = cp + 1
				compressed = true
			}
			if !m.has(cp) {
				return noName
			}
			off := (uint32(i)<<8 | uint32(m[cp])) & 0x3fff
			if off >= maxOff {
				p.str("<BAD PTR>")
				return noName
			}
			maxOff = off
			cp = base + int(off)
			if !m.has(cp) {
				return noName
			}
			i = m[cp]
			if l = p.dnsLabelLen(m, cp); l < 0 {
				return noName
			}
			cp++
			continue
		case labelExtended:
			if elt := i &^ labelMask; elt != labelBitstr {
				p.str("<ELT ")
				p.uint(uint64(elt))
				p.byte1('>')
				return noName
			}
			p.dnsBitLabel(m, cp)
		case labelReserved:
			p.str("<BAD LABEL TYPE>")
			return noName
		default:
			if chars+l <= dnsMaxName {
				if !p.printN(m, cp, l) {
					return noName
				}
			} else if chars < dnsMaxName {
				if !p.printN(m, cp, dnsMaxName-chars) {
					return noName
				}
			}
			chars += l
		}
		cp += l
		if chars <= dnsMaxName {
			p.byte1('.')
		}
		chars++
		if !m.has(cp) {
			return noName
		}
		i = m[cp]
		if l = p.dnsLabelLen(m, cp); l < 0 {
			return noName
		}
		cp++
		if !compressed {
			rp += l + 1
		}
	}
	if chars > dnsMaxName {
		p.str("<DOMAIN NAME TOO LONG>")
	}
	return rp
}

func (p *Printer) dnsType(t uint16) {
	if n, ok := nsTypeNames[t]; ok {
		p.str(n)
		return
	}
	p.str("Type")
	p.uint(uint64(t))
}

func (p *Printer) dnsClass(c uint16) {
	if n, ok := nsClassNames[c]; ok {
		p.str(n)
		return
	}
	p.str("(Class ")
	p.uint(uint64(c))
	p.byte1(')')
}

// dnsQuestion prints " A? name." for the question at cp.
func (p *Printer) dnsQuestion(m dnsMsg, cp int, mdns bool) int {
	np := cp
	cp = m.skipName(cp)
	if cp == noName || cp+4 > len(m) {
		return noName
	}
	p.byte1(' ')
	p.dnsType(be16(m, cp))
	class := be16(m, cp+2)
	c := class
	if mdns {
		c &^= mdnsClassBit
	}
	if c != dnsClassIN {
		p.byte1(' ')
		p.dnsClass(c)
	}
	if mdns {
		if class&mdnsClassBit != 0 {
			p.str(" (QU)")
		} else {
			p.str(" (QM)")
		}
	}
	p.str("? ")
	if cp = p.fqdn(m, np, 0); cp == noName {
		return noName
	}
	return cp + 4
}

// dnsRecord prints a resource record at cp and returns the offset after it,
// noName when it could not, or len(m) when it stopped at the end of the
// capture.
func (p *Printer) dnsRecord(m dnsMsg, cp int, mdns bool) int {
	if p.opt.Verbose > 0 {
		p.byte1(' ')
		if cp = p.fqdn(m, cp, 0); cp == noName {
			return noName
		}
	} else {
		cp = m.skipName(cp)
	}
	if cp == noName || cp+10 > len(m) {
		return len(m)
	}
	typ := be16(m, cp)
	class := be16(m, cp+2)
	cp += 4
	c := class
	if mdns {
		c &^= mdnsClassBit
	}
	if c != dnsClassIN && typ != dnsTypeOPT {
		p.byte1(' ')
		p.dnsClass(c)
	}
	if mdns && class&mdnsClassBit != 0 {
		p.str(" (Cache flush)")
	}
	var optFlags uint16
	if typ == dnsTypeOPT {
		optFlags = be16(m, cp+2)
	} else if p.opt.Verbose > 2 {
		p.str(" [")
		p.relTime(be32(m, cp))
		p.byte1(']')
	}
	cp += 4
	rdlen := int(be16(m, cp))
	cp += 2
	rp := cp + rdlen
	p.byte1(' ')
	p.dnsType(typ)
	if rp > len(m) {
		return noName
	}
	switch typ {
	case dnsTypeA:
		if cp+4 > len(m) {
			return noName
		}
		p.byte1(' ')
		p.ip4addr(m[cp:])
	case dnsTypeNS, dnsTypeCNAME, dnsTypePTR, dnsTypeDNAME:
		p.byte1(' ')
		if p.fqdn(m, cp, 0) == noName {
			return noName
		}
	case dnsTypeSOA:
		if p.opt.Verbose == 0 {
			break
		}
		p.byte1(' ')
		if cp = p.fqdn(m, cp, 0); cp == noName {
			return noName
		}
		p.byte1(' ')
		if cp = p.fqdn(m, cp, 0); cp == noName {
			return noName
		}
		if cp+20 > len(m) {
			return noName
		}
		for i := 0; i < 5; i++ {
			p.byte1(' ')
			p.uint(uint64(be32(m, cp+4*i)))
		}
	case dnsTypeMX:
		p.byte1(' ')
		if cp+2 > len(m) {
			return noName
		}
		if p.fqdn(m, cp+2, 0) == noName {
			return noName
		}
		p.byte1(' ')
		p.uint(uint64(be16(m, cp)))
	case dnsTypeTXT:
		for cp < rp {
			p.str(" \"")
			if !m.has(cp) {
				return noName
			}
			n := int(m[cp])
			if !p.printN(m, cp+1, n) {
				return noName
			}
			cp += 1 + n
			p.byte1('"')
		}
	case dnsTypeSRV:
		p.byte1(' ')
		if cp+6 > len(m) {
			return noName
		}
		if p.fqdn(m, cp+6, 0) == noName {
			return noName
		}
		p.byte1(':')
		p.uint(uint64(be16(m, cp+4)))
		p.byte1(' ')
		p.uint(uint64(be16(m, cp)))
		p.byte1(' ')
		p.uint(uint64(be16(m, cp+2)))
	case dnsTypeAAAA:
		if cp+16 > len(m) {
			return noName
		}
		p.byte1(' ')
		p.ip6addr(m[cp:])
	case dnsTypeA6:
		if !m.has(cp) {
			return noName
		}
		pbit := int(m[cp])
		pbyte := (pbit &^ 7) / 8
		if pbit > 128 {
			p.byte1(' ')
			p.uint(uint64(pbit))
			p.str("(bad plen)")
			break
		} else if pbit < 128 {
			var a [16]byte
			need(m, cp+1+16-pbyte)
			copy(a[pbyte:], m[cp+1:])
			p.byte1(' ')
			p.uint(uint64(pbit))
			p.byte1(' ')
			p.ip6addr(a[:])
		}
		if pbit > 0 {
			p.byte1(' ')
			if p.fqdn(m, cp+1+16-pbyte, 0) == noName {
				return noName
			}
		}
	case dnsTypeURI:
		if cp+rdlen > len(m) {
			return noName
		}
		prio, weight := be16(m, cp), be16(m, cp+2)
		p.byte1(' ')
		p.uint(uint64(prio))
		p.byte1(' ')
		p.uint(uint64(weight))
		p.byte1(' ')
		n := rdlen - 4
		if n < 0 {
			n = int(uint32(n))
		}
		if !p.printN(m, cp+4, n) {
			return noName
		}
	case dnsTypeOPT:
		p.str(" UDPsize=")
		p.uint(uint64(c))
		if optFlags&0x8000 != 0 {
			p.str(" DO")
		}
		if cp < rp {
			p.str(" [")
			for cp < rp {
				if cp = p.ednsOption(m, cp); cp == noName {
					return noName
				}
				if cp < rp {
					p.byte1(',')
				}
			}
			p.byte1(']')
		}
	case dnsTypeUNSPECA:
		if cp+rdlen > len(m) {
			return noName
		}
		if !p.printN(m, cp, rdlen) {
			return noName
		}
	case dnsTypeTSIG:
		if cp+rdlen > len(m) {
			return noName
		}
		if p.opt.Verbose == 0 {
			break
		}
		p.byte1(' ')
		if cp = p.fqdn(m, cp, 0); cp == noName {
			return noName
		}
		cp += 6
		fields := [...]string{" fudge=", " maclen=", " origid=", " error=", " otherlen="}
		for i, f := range fields {
			if cp+2 > len(m) {
				return noName
			}
			v := be16(m, cp)
			p.str(f)
			p.uint(uint64(v))
			cp += 2
			if i == 1 {
				cp += int(v)
			}
		}
	}
	return rp
}

// ednsOption prints one option of an OPT record (RFC 6891 6.1.2).
func (p *Printer) ednsOption(m dnsMsg, cp int) int {
	if cp+2 > len(m) {
		return noName
	}
	opt := be16(m, cp)
	cp += 2
	if n, ok := ednsOptNames[opt]; ok {
		p.str(n)
	} else {
		p.str("Opt")
		p.uint(uint64(opt))
	}
	if cp+2 > len(m) {
		return noName
	}
	n := int(be16(m, cp))
	cp += 2
	if cp+n > len(m) {
		return noName
	}
	if n == 0 {
		return cp
	}
	d := m[cp : cp+n]
	p.byte1(' ')
	switch opt {
	case ednsECS:
		p.ednsClientSubnet(d)
	case ednsCookie:
		if n < 8 || (n > 8 && n < 16) || n > 40 {
			p.str(" (invalid)")
			break
		}
		p.hexBytes(d, 0, 8) // the client cookie, then the server's
		if n > 8 {
			p.byte1(' ')
			p.hexBytes(d, 8, n-8)
		}
	case ednsKeepalive:
		if n != 2 {
			p.str(" (invalid)")
			break
		}
		v := be16(d, 0)
		p.uint(uint64(v / 10))
		p.byte1('.')
		p.uint(uint64(v % 10))
		p.str(" sec")
	case ednsExpire:
		if n != 4 {
			p.str(" (invalid)")
			break
		}
		p.uint(uint64(be32(d, 0)))
		p.str(" sec")
	case ednsPadding:
		p.byte1('(')
		p.uint(uint64(n))
		p.byte1(')')
	case ednsKeyTag:
		if n%2 != 0 {
			p.str(" (invalid)")
			break
		}
		for i := 0; i < n; i += 2 {
			if i > 0 {
				p.byte1(' ')
			}
			p.uint(uint64(be16(d, i)))
		}
	case ednsDAU, ednsDHU, ednsN3U:
		names := dnssecAlgNames
		if opt == ednsDHU {
			names = dsHashNames
		} else if opt == ednsN3U {
			names = nsec3HashNames
		}
		for i, c := range d {
			if i > 0 {
				p.byte1(' ')
			}
			if s, ok := names[c]; ok {
				p.str(s)
			} else {
				p.str("Alg_")
				p.uint(uint64(c))
			}
		}
	case ednsChain:
		p.fqdn(m, cp, cp+n)
	default:
		p.hexBytes(d, 0, n)
	}
	return cp + n
}

// ednsClientSubnet prints the ECS option (RFC 7871 6) as address/source/scope.
func (p *Printer) ednsClientSubnet(d []byte) {
	if len(d) < 4 {
		p.str(" (invalid)")
		return
	}
	family := be16(d, 0)
	src, scope := int(d[2]), int(d[3])
	bits := 0
	switch family {
	case 1:
		bits = 32
	case 2:
		bits = 128
	default:
		p.str(" (invalid)")
		return
	}
	n := len(d) - 4
	if n > bits/8 || src > bits || scope > bits || (src+7)/8 != n {
		p.str(" (invalid)")
		return
	}
	var a [16]byte
	copy(a[:], d[4:])
	if family == 1 {
		p.ip4addr(a[:4])
	} else {
		p.ip6addr(a[:])
	}
	p.byte1('/')
	p.uint(uint64(src))
	p.byte1('/')
	p.uint(uint64(scope))
}

// domain prints a DNS message; b starts at the message (or at its 2-byte
// length prefix over TCP) and runs to the end of the capture, length is
// the message length the transport gave.
func (p *Printer) domain(b []byte, length int, overTCP, mdns bool) {
	p.proto = "domain"
	if overTCP {
		if length < 2 {
			p.str(" [DNS over TCP: length ")
			p.uint(uint64(length))
			p.str(" < 2] (invalid)")
			return
		}
		length -= 2
		if prefix := be16(b, 0); int(prefix) != length {
			p.str(" [prefix length(")
			p.uint(uint64(prefix))
			p.str(") != length(")
			p.uint(uint64(length))
			p.str(")] (invalid)")
			return
		}
		b = b[2:]
		p.byte1(' ')
	}
	m := dnsMsg(b)
	if length < dnsHdrLen {
		p.str("domain [length ")
		p.uint(uint64(length))
		p.str(" < 12] (invalid)")
		return
	}
	if len(m) < dnsHdrLen {
		p.trunc()
		return
	}
	id, flags := be16(m, 0), be16(m, 2)
	qd, an, ns, ar := int(be16(m, 4)), int(be16(m, 6)), int(be16(m, 8)), int(be16(m, 10))
	rcode := uint32(m.rcode(flags, qd, an, ns, ar))
	opcode := flags >> 11 & 0xf

	p.uint(uint64(id))
	p.str(nsOpcodes[opcode])
	cp := dnsHdrLen
	if flags&dnsQR != 0 {
		if rcode < uint32(len(nsRcodes)) {
			p.str(nsRcodes[rcode])
		} else {
			p.str(" Resp")
			p.uint(uint64(rcode & 0xfff))
		}
		if flags&dnsAA != 0 {
			p.byte1('*')
		}
		if flags&dnsRA == 0 {
			p.byte1('-')
		}
		if flags&dnsTC != 0 {
			p.byte1('|')
		}
		if flags&dnsAD != 0 {
			p.byte1('$')
		}
		if qd != 1 {
			p.str(" [")
			p.uint(uint64(qd))
			p.str("q]")
		}
		for i := 0; i < qd; i++ {
			if i != 0 {
				p.byte1(',')
			}
			if p.opt.Verbose > 1 {
				p.str(" q:")
				if cp = p.dnsQuestion(m, cp, mdns); cp == noName {
					p.trunc()
					return
				}
			} else {
				if cp = m.skipName(cp); cp == noName {
					p.trunc()
					return
				}
				cp += 4
			}
		}
		p.byte1(' ')
		p.uint(uint64(an))
		p.byte1('/')
		p.uint(uint64(ns))
		p.byte1('/')
		p.uint(uint64(ar))
		if cp = p.dnsRecords(m, cp, an, "", mdns); cp == noName {
			return
		}
		if p.opt.Verbose > 1 {
			if cp = p.dnsRecords(m, cp, ns, " ns:", mdns); cp == noName {
				return
			}
			if cp = p.dnsRecords(m, cp, ar, " ar:", mdns); cp == noName {
				return
			}
		}
	} else {
		if flags&dnsRD != 0 {
			p.byte1('+')
		}
		if flags&dnsCD != 0 {
			p.byte1('%')
		}
		if flags&0x6cf != 0 {
			p.str(" [b2&3=0x")
			p.hex(uint64(flags), 1)
			p.byte1(']')
		}
		if opcode == dnsIQuery {
			if qd != 0 {
				p.dnsCount(qd, "q]")
			}
			if an != 1 {
				p.dnsCount(an, "a]")
			}
		} else {
			if an != 0 {
				p.dnsCount(an, "a]")
			}
			if qd != 1 {
				p.dnsCount(qd, "q]")
			}
		}
		if ns != 0 {
			p.dnsCount(ns, "n]")
		}
		if ar != 0 {
			p.dnsCount(ar, "au]")
		}
		if qd > 0 {
			if cp = p.dnsQuestion(m, cp, mdns); cp == noName {
				p.trunc()
				return
			}
			qd--
			for cp < len(m) && qd > 0 {
				if cp = p.dnsQuestion(m, cp, mdns); cp == noName {
					p.trunc()
					return
				}
				qd--
			}
		}
		if qd > 0 {
			p.trunc()
			return
		}
		if p.opt.Verbose > 1 {
			if cp = p.dnsRecords(m, cp, an, "", mdns); cp == noName {
				return
			}
			if cp = p.dnsRecords(m, cp, ns, " ns:", mdns); cp == noName {
				return
			}
			if cp = p.dnsRecords(m, cp, ar, " ar:", mdns); cp == noName {
				return
			}
		}
	}
	p.str(" (")
	p.uint(uint64(length))
	p.byte1(')')
}

func (p *Printer) dnsCount(n int, suffix string) {
	p.str(" [")
	p.uint(uint64(n))
	p.str(suffix)
}

// dnsRecords prints a section of count records, after label unless it is empty
// (the answer section has no label and is printed even at the capture's end).
// It returns noName after marking the line truncated.
func (p *Printer) dnsRecords(m dnsMsg, cp, count int, label string, mdns bool) int {
	if count > 0 && (label == "" || cp < len(m)) {
		p.str(label)
		if cp = p.dnsRecord(m, cp, mdns); cp == noName {
			p.trunc()
			return noName
		}
		count--
		for cp < len(m) && count > 0 {
			p.byte1(',')
			if cp = p.dnsRecord(m, cp, mdns); cp == noName {
				p.trunc()
				return noName
			}
			count--
		}
	}
	if count > 0 {
		p.trunc()
		return noName
	}
	return cp
}

// rcode returns the response code, extended by the OPT record's high bits
// when the message has one (RFC 6891 6.1.3).
func (m dnsMsg) rcode(flags uint16, qd, an, ns, ar int) uint16 {
	rcode := flags & 0xf
	cp := dnsHdrLen
	for i := 0; i < qd; i++ {
		if cp = m.skipName(cp); cp == noName {
			return rcode
		}
		cp += 4
		if cp >= len(m) {
			return rcode
		}
	}
	for i := 0; i < an+ns; i++ {
		if cp = m.skipName(cp); cp == noName {
			return rcode
		}
		cp += 8
		if cp+2 > len(m) {
			return rcode
		}
		cp += 2 + int(be16(m, cp))
		if cp >= len(m) {
			return rcode
		}
	}
	for i := 0; i < ar; i++ {
		if cp = m.skipName(cp); cp == noName {
			return rcode
		}
		if cp+2 > len(m) {
			return rcode
		}
		typ := be16(m, cp)
		cp += 4
		if cp+1 > len(m) {
			return rcode
		}
		if typ == dnsTypeOPT {
			return rcode | uint16(m[cp])<<4
		}
		cp += 4
		if cp+2 > len(m) {
			return rcode
		}
		cp += 2 + int(be16(m, cp))
		if cp >= len(m) {
			return rcode
		}
	}
	return rcode
}
