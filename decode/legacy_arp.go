//go:build !treedecode

package decode

// The ARP and RARP printer, printing as tcpdump does: "Request who-has
// 10.0.0.2 tell 10.0.0.1", "Reply 10.0.0.2 is-at 02:00:00:00:00:02", the
// hardware and protocol types with -v or when they are not Ethernet/IPv4,
// and ATM ARP (RFC 2225). tcpdump 4.99.3 prints gratuitous ARP and probes
// like any other request or reply, and so does this printer.

// ARP hardware types (the RFC 826 hardware type registry).
const (
	arpHrdFrameRelay = 15
	arpHrdATM        = 19
)

// arpHrdNames are the hardware type names tcpdump prints.
var arpHrdNames = map[uint16]string{1: "Ethernet", 6: "TokenRing", 7: "ArcNet", 15: "FrameRelay",
	23: "Strip", 24: "IEEE 1394", 19: "ATM", 32: "InfiniBand"}

// arpOpNames are the operation names tcpdump prints, by operation code.
var arpOpNames = [...]string{
	1: "Request", 2: "Reply", 3: "Reverse Request", 4: "Reverse Reply",
	8: "Inverse Request", 9: "Inverse Reply", 10: "NACK Reply",
}

// arpOp appends the operation name, or "Unknown (N)".
func (p *Printer) arpOp(op uint16) {
	if int(op) < len(arpOpNames) && arpOpNames[op] != "" {
		p.str(arpOpNames[op])
		return
	}
	p.str("Unknown (")
	p.uint(uint64(op))
	p.byte1(')')
}

// arpTypes appends "Ethernet (len 6), IPv4 (len 4)" with the unknown forms;
// hln < 0 leaves the lengths out (ATM ARP prints its own).
func (p *Printer) arpTypes(hrd, pro uint16, hln, pln int) {
	if n, ok := arpHrdNames[hrd]; ok {
		p.str(n)
	} else {
		p.str("Unknown Hardware (")
		p.uint(uint64(hrd))
		p.byte1(')')
	}
	if hln >= 0 {
		p.str(" (len ")
		p.uint(uint64(hln))
		p.byte1(')')
	}
	p.str(", ")
	if n, ok := etherTypeNames[pro]; ok {
		p.str(n)
	} else {
		p.str("Unknown Protocol (0x")
		p.hex(uint64(pro), 4)
		p.byte1(')')
	}
	if hln >= 0 {
		p.str(" (len ")
		p.uint(uint64(pln))
		p.byte1(')')
	}
}

// isIPProto reports whether an ARP protocol type carries IPv4 addresses.
func isIPProto(pro uint16) bool { return pro == etherTypeIPv4 || pro == etherTypeTrail }

// arp prints an ARP or RARP packet as tcpdump prints it. b holds the
// captured bytes from the ARP header on, length the bytes on the wire.
func (p *Printer) arp(b []byte, length int) {
	p.proto = "arp"
	need(b, 8)
	hrd, pro, op := be16(b, 0), be16(b, 2), be16(b, 6)
	if hrd == arpHrdATM {
		p.atmARP(b, length)
		return
	}
	hln, pln := int(b[4]), int(b[5])
	sha := 8
	spa := sha + hln
	tha := spa + pln
	tpa := tha + hln
	need(b, tpa+pln)
	if !p.opt.Link {
		p.str("ARP, ")
	}
	if !isIPProto(pro) || pln != 4 || hln == 0 || p.opt.Verbose > 0 {
		p.arpTypes(hrd, pro, hln, pln)
		if p.opt.Verbose == 0 {
			// tcpdump does not know the address formats: only the length.
			p.str(", length ")
			p.uint(uint64(length))
			return
		}
		p.str(", ")
	}
	p.arpOp(op)
	p.byte1(' ')
	switch op {
	case 1: // request
		p.str("who-has ")
		p.arpIP(b[tpa:], pro, pln)
		if !isZeroAddr(b[tha : tha+hln]) {
			p.str(" (")
			p.linkAddr(b[tha:tha+hln], hrd)
			p.byte1(')')
		}
		p.str(" tell ")
		p.arpIP(b[spa:], pro, pln)
	case 2: // reply
		p.arpIP(b[spa:], pro, pln)
		p.str(" is-at ")
		p.linkAddr(b[sha:sha+hln], hrd)
	case 3, 8: // reverse request, inverse request
		p.str("who-is ")
		p.linkAddr(b[tha:tha+hln], hrd)
		p.str(" tell ")
		p.linkAddr(b[sha:sha+hln], hrd)
	case 4: // reverse reply
		p.linkAddr(b[tha:tha+hln], hrd)
		p.str(" at ")
		p.arpIP(b[tpa:], pro, pln)
	case 9: // inverse reply
		p.linkAddr(b[sha:sha+hln], hrd)
		p.str(" at ")
		p.arpIP(b[spa:], pro, pln)
	default:
		p.dataPrint(b)
		return
	}
	p.str(", length ")
	p.uint(uint64(length))
}

func isZeroAddr(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// arpIP appends a protocol address when it is an IPv4 one, or what tcpdump
// says instead.
func (p *Printer) arpIP(b []byte, pro uint16, pln int) {
	switch {
	case !isIPProto(pro):
		p.str("<wrong proto type>")
	case pln != 4:
		p.str("<wrong len>")
	default:
		p.ip4addr(b)
	}
}

// linkAddr appends a hardware address as tcpdump prints it: a MAC
// for 6-byte addresses, a DLCI for frame relay, else hex bytes with colons.
func (p *Printer) linkAddr(b []byte, hrd uint16) {
	switch {
	case len(b) == 0:
		p.str("<empty>")
	case hrd == arpHrdFrameRelay:
		p.q922(b)
	case len(b) == 6:
		p.mac(b)
	default:
		p.hexColons(b)
	}
}

// q922 appends a frame relay Q.922 address (its DLCI) as tcpdump prints it.
func (p *Printer) q922(b []byte) {
	const ea = 0x01 // the address-extension bit ends the address
	if len(b) < 1 {
		p.str("<Truncated>")
		return
	}
	if b[0]&ea != 0 {
		p.str("<Invalid DLCI>")
		return
	}
	if len(b) < 2 {
		p.str("<Truncated>")
		return
	}
	dlci := uint32(b[0]&0xfc)<<2 | uint32(b[1]&0xf0)>>4
	if b[1]&ea == 0 {
		rest := b[2:]
		if len(rest) < 1 {
			p.str("<Truncated>")
			return
		}
		if rest[0]&ea == 0 {
			dlci = dlci<<7 | uint32(rest[0]>>1)
			rest = rest[1:]
		}
		if len(rest) < 1 {
			p.str("<Truncated>")
			return
		}
		if rest[0]&ea == 0 {
			p.str("<Invalid DLCI>")
			return
		}
		dlci = dlci<<6 | uint32(rest[0]>>2)
	}
	p.str("DLCI ")
	p.uint(uint64(dlci))
}

// atmARP prints an ATM ARP packet (RFC 2225) as tcpdump prints it.
func (p *Printer) atmARP(b []byte, length int) {
	need(b, 12)
	hrd, pro, op := be16(b, 0), be16(b, 2), be16(b, 6)
	shl, ssl := int(b[4]&0x3f), int(b[5]&0x3f)
	spl := int(b[8])
	thl, tsl := int(b[9]&0x3f), int(b[10]&0x3f)
	tpl := int(b[11])
	sha := 12
	ssa := sha + shl
	spa := ssa + ssl
	tha := spa + spl
	tsa := tha + thl
	tpa := tsa + tsl
	need(b, tpa+tpl)
	if !p.opt.Link {
		p.str("ARP, ")
	}
	if !isIPProto(pro) || spl != 4 || tpl != 4 || p.opt.Verbose > 0 {
		p.arpTypes(hrd, pro, -1, 0)
		p.str(" (len ")
		p.uint(uint64(spl))
		p.byte1('/')
		p.uint(uint64(tpl))
		p.byte1(')')
		if p.opt.Verbose == 0 {
			p.str(", length ")
			p.uint(uint64(length))
			return
		}
		p.str(", ")
	}
	p.arpOp(op)
	p.byte1(' ')
	ipAt := func(off, n int, wrong string) {
		switch {
		case !isIPProto(pro):
			p.str("<wrong proto type>")
		case n != 4:
			p.str(wrong)
		default:
			p.ip4addr(b[off:])
		}
	}
	atmAddr := func(ha, hl, sa, sl int) {
		if hl == 0 {
			p.str("<No address>")
			return
		}
		p.hexColons(b[ha : ha+hl])
		if sl != 0 {
			p.byte1(',')
			p.hexColons(b[sa : sa+sl])
		}
	}
	switch op {
	case 1:
		p.str("who-has ")
		ipAt(tpa, tpl, "<wrong tplen>")
		if thl != 0 {
			p.str(" (")
			atmAddr(tha, thl, tsa, tsl)
			p.byte1(')')
		}
		p.str(" tell ")
		ipAt(spa, spl, "<wrong splen>")
	case 2:
		ipAt(spa, spl, "<wrong splen>")
		p.str(" is-at ")
		atmAddr(sha, shl, ssa, ssl)
	case 8:
		p.str("who-is ")
		atmAddr(tha, thl, tsa, tsl)
		p.str(" tell ")
		atmAddr(sha, shl, ssa, ssl)
	case 9:
		atmAddr(sha, shl, ssa, ssl)
		p.str("at ")
		ipAt(spa, spl, "<wrong splen>")
	case 10:
		p.str("for ")
		ipAt(spa, spl, "<wrong splen>")
	default:
		p.dataPrint(b)
		return
	}
	p.str(", length ")
	p.uint(uint64(length))
}
