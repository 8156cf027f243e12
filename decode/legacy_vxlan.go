//go:build !treedecode

package decode

// The printers of the Ethernet-in-UDP tunnels, as tcpdump prints them: VXLAN
// (RFC 7348) and OTV, whose 8-byte header is followed by the inner frame on
// the next line, and Geneve (RFC 8926) with its options.

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
	p.str(", ")
	p.vxlanFlags(flags, "invalid")
	vni := be24(b, 4)
	p.str("vni ")
	p.uint(uint64(vni))
	p.vxlanFrame(b, length)
}

// vxlanFlags appends "flags [I] (0x08), ": the I flag, or unset when the
// VNI (or OTV instance) is not marked valid, and the flags byte.
func (p *Printer) vxlanFlags(flags uint8, unset string) {
	p.str("flags [")
	if flags&vxlanFlagI != 0 {
		p.byte1('I')
	} else {
		p.str(unset)
	}
	p.str("] (0x")
	p.hex(uint64(flags), 2)
	p.str("), ")
}

// vxlanFrame prints, on the next line, the Ethernet frame after a VXLAN or
// OTV header, once the header's last byte is known to be captured.
func (p *Printer) vxlanFrame(b []byte, length int) {
	p.byte1('\n')
	u8(b, vxlanHdrLen-1)
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
	p.vxlanFlags(u8(b, 0), ".")
	overlay := be24(b, 1)
	p.str("overlay ")
	p.uint(uint64(overlay))
	p.str(", ")
	instance := be24(b, 4)
	p.str("instance ")
	p.uint(uint64(instance))
	p.vxlanFrame(b, length)
}

// Geneve (RFC 8926) header fields.
const (
	geneveHdrLen      = 8
	geneveOptCritical = 0x80
	etherTypeTEB      = 0x6558 // Transparent Ethernet Bridging: an Ethernet frame follows
)

// geneveFlagNames are the Geneve flag names tcpdump prints.
var geneveFlagNames = [...]bitName{{0x80, "O"}, {0x40, "C"}, {0x20, "R1"}, {0x10, "R2"}, {0x08, "R3"},
	{0x04, "R4"}, {0x02, "R5"}, {0x01, "R6"}}

// geneveOptClasses are the option classes tcpdump names (IANA "Geneve
// Option Class").
var geneveOptClasses = map[uint16]string{0x0100: "Linux", 0x0101: "Open vSwitch",
	0x0102: "Open Virtual Networking (OVN)", 0x0103: "In-band Network Telemetry (INT)", 0x0104: "VMware"}

// geneveOptClass names an option class: from the table, else by its range.
func geneveOptClass(c uint16) string {
	if n, ok := geneveOptClasses[c]; ok {
		return n
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
	vni := be24(b, 4)
	reserved := b[7]
	length -= geneveHdrLen
	p.str(", Flags [")
	p.bitNames(uint32(flags), geneveFlagNames[:], "")
	p.str("], vni 0x")
	p.hex(uint64(vni), 1)
	if reserved != 0 {
		p.str(", rsvd 0x")
		p.hex(uint64(reserved), 1)
	}
	if p.opt.Link {
		p.etherProto(prot)
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
			p.hexWords(b, 4, (n-4)/4)
		}
		b = b[n:]
		length -= n
	}
}
