package decode

// The VXLAN printer, after tcpdump's print-vxlan.c: the 8-byte header of
// RFC 7348 section 5, then the inner Ethernet frame on the next line.

const (
	vxlanHdrLen = 8
	vxlanFlagI  = 0x08 // the VNI is valid
)

// vxlan prints a VXLAN header and the Ethernet frame it carries.
func (p *Printer) vxlan(b []byte, length int) {
	p.proto = "vxlan"
	p.str("VXLAN")
	if length < vxlanHdrLen {
		p.str(" (invalid)")
		return
	}
	flags := u8(b, 0)
	p.str(", flags [")
	if flags&vxlanFlagI != 0 {
		p.byte1('I')
	} else {
		p.str("invalid")
	}
	p.str("] (0x")
	p.hex(uint64(flags), 2)
	p.str("), ")
	vni := uint32(u8(b, 4))<<16 | uint32(be16(b, 5))
	p.str("vni ")
	p.uint(uint64(vni))
	p.byte1('\n')
	u8(b, 7)
	p.proto = "ether"
	p.ether(b[vxlanHdrLen:], length-vxlanHdrLen)
}

// otv prints an Overlay Transport Virtualization header (draft-hasmit-otv,
// VXLAN's layout with an overlay id) and the Ethernet frame it carries.
func (p *Printer) otv(b []byte, length int) {
	p.proto = "otv"
	p.str("OTV, ")
	if length < vxlanHdrLen {
		p.str("[length ")
		p.uint(uint64(length))
		p.str(" < 8] (invalid)")
		need(b, length)
		return
	}
	flags := u8(b, 0)
	p.str("flags [")
	if flags&vxlanFlagI != 0 {
		p.byte1('I')
	} else {
		p.byte1('.')
	}
	p.str("] (0x")
	p.hex(uint64(flags), 2)
	p.str("), ")
	overlay := uint32(u8(b, 1))<<16 | uint32(be16(b, 2))
	p.str("overlay ")
	p.uint(uint64(overlay))
	p.str(", ")
	instance := uint32(u8(b, 4))<<16 | uint32(be16(b, 5))
	p.str("instance ")
	p.uint(uint64(instance))
	p.byte1('\n')
	u8(b, 7)
	p.proto = "ether"
	p.ether(b[vxlanHdrLen:], length-vxlanHdrLen)
}

// Geneve (RFC 8926) header fields.
const (
	geneveHdrLen      = 8
	geneveOptCritical = 0x80
	etherTypeTEB      = 0x6558 // Transparent Ethernet Bridging: an Ethernet frame follows
)

// geneveFlagNames name the flag bits from the high one down.
var geneveFlagNames = [8]string{"O", "C", "R1", "R2", "R3", "R4", "R5", "R6"}

func geneveOptClass(c uint16) string {
	switch c {
	case 0x0100:
		return "Linux"
	case 0x0101:
		return "Open vSwitch"
	case 0x0102:
		return "Open Virtual Networking (OVN)"
	case 0x0103:
		return "In-band Network Telemetry (INT)"
	case 0x0104:
		return "VMware"
	}
	if c <= 0x00ff {
		return "Standard"
	} else if c >= 0xfff0 {
		return "Experimental"
	}
	return "Unknown"
}

// geneve prints a Geneve header, its options with -v, and the payload named
// by its protocol type.
func (p *Printer) geneve(b []byte, length int) {
	p.proto = "geneve"
	p.str("Geneve")
	if length < geneveHdrLen {
		p.str(" [length ")
		p.uint(uint64(length))
		p.str(" < 8] (invalid)")
		return
	}
	if len(b) < geneveHdrLen {
		p.trunc()
		return
	}
	verOpt := b[0]
	if v := verOpt >> 6; v != 0 {
		p.str(" ERROR: unknown-version ")
		p.uint(uint64(v))
		return
	}
	flags := b[1]
	prot := be16(b, 2)
	vni := uint32(b[4])<<16 | uint32(be16(b, 5))
	reserved := b[7]
	length -= geneveHdrLen
	p.str(", Flags [")
	if flags == 0 {
		p.str("none")
	}
	for i, n := range geneveFlagNames {
		if flags&(0x80>>i) != 0 {
			p.str(n)
		}
	}
	p.str("], vni 0x")
	p.hex(uint64(vni), 1)
	if reserved != 0 {
		p.str(", rsvd 0x")
		p.hex(uint64(reserved), 1)
	}
	if p.opt.Link {
		p.str(", proto ")
		if n, ok := etherTypeNames[prot]; ok {
			p.str(n)
		} else {
			p.str("unknown")
		}
		p.str(" (0x")
		p.hex(uint64(prot), 4)
		p.byte1(')')
	}
	optsLen := int(verOpt&0x3f) * 4
	if length < optsLen {
		p.str(" truncated-geneve - ")
		p.uint(uint64(optsLen - length))
		p.str(" bytes missing")
		return
	}
	if len(b) < geneveHdrLen+optsLen {
		p.trunc()
		return
	}
	if optsLen > 0 {
		p.str(", options [")
		if p.opt.Verbose > 0 {
			p.geneveOptions(b[geneveHdrLen:geneveHdrLen+optsLen], optsLen)
		} else {
			p.uint(uint64(optsLen))
			p.str(" bytes")
		}
		p.byte1(']')
	}
	b = b[geneveHdrLen+optsLen:]
	length -= optsLen
	if p.opt.Verbose < 1 {
		p.str(": ")
	} else {
		p.str("\n\t")
	}
	if !p.etherType(prot, b, length, nil, nil) {
		if prot == etherTypeTEB {
			p.proto = "ether"
			p.ether(b, length)
		} else {
			p.str("geneve-proto-0x")
			p.hex(uint64(prot), 1)
		}
	}
}

func (p *Printer) geneveOptions(b []byte, length int) {
	sep := ""
	for length > 0 {
		p.str(sep)
		sep = ", "
		class := be16(b, 0)
		typ := u8(b, 2)
		n := 4 + int(u8(b, 3)&0x1f)*4
		p.str("class ")
		p.str(geneveOptClass(class))
		p.str(" (0x")
		p.hex(uint64(class), 1)
		p.str(") type 0x")
		p.hex(uint64(typ), 1)
		if typ&geneveOptCritical != 0 {
			p.str("(C)")
		}
		p.str(" len ")
		p.uint(uint64(n))
		if n > length {
			p.str(" [bad length]")
			return
		}
		if p.opt.Verbose > 1 && n > 4 {
			p.str(" data")
			for i := 4; i < n; i += 4 {
				p.byte1(' ')
				p.hex(uint64(be32(b, i)), 8)
			}
		}
		b = b[n:]
		length -= n
	}
}
