package decode

import (
	"strconv"

	"github.com/sockscope/sockscope/decode/wire"
)

// VXLAN (RFC 7348) on UDP port 4789 and, on port 8472, the Overlay Transport
// Virtualization header tcpdump reads there (draft-hasmit-otv): both are 8
// bytes before an Ethernet frame.
//
// VXLAN: flags (8 bits, I = 0x08: the VNI is valid), 24 reserved bits, the
// 24-bit VNI, 8 reserved bits. OTV: flags (I = 0x08), a 24-bit overlay ID,
// a 24-bit instance ID, 8 reserved bits.

var (
	protoVXLAN      = proto("vxlan", "Virtual eXtensible Local Area Network")
	fVXLANFlags     = register(Field{Name: "vxlan.flags", Title: "Flags", Type: TypeUint16, Hex: true})
	fVXLANFlagG     = flagField("vxlan.flag_g", "GBP Extension", 0x8000)
	fVXLANFlagI     = flagField("vxlan.flag_i", "VXLAN Network ID (VNI)", 0x800)
	fVXLANFlagD     = flagField("vxlan.flag_d", "Don't Learn", 0x40)
	fVXLANFlagA     = flagField("vxlan.flag_a", "Policy Applied", 0x8)
	fVXLANReserved  = register(Field{Name: "vxlan.flags_reserved", Title: "Reserved(R)", Type: TypeUint16, Mask: 0x77b7, Hex: true})
	fVXLANGBP       = field("vxlan.gbp", "Group Policy ID", TypeUint16)
	fVXLANVNI       = field("vxlan.vni", "VXLAN Network Identifier (VNI)", TypeUint24)
	fVXLANReserved8 = field("vxlan.reserved8", "Reserved", TypeUint8)

	// VXLAN-GPE (draft-ietf-nvo3-vxlan-gpe) on UDP 4790: flags (ver, I, P,
	// B, O), 16 reserved bits, a next protocol, the VNI. tshark names its
	// fields under vxlan.
	protoVXLANGPE    = proto("vxlan_gpe", "Virtual eXtensible Local Area Network (GPE)")
	fVXLANVer        = register(Field{Name: "vxlan.ver", Title: "Version", Type: TypeUint8, Mask: 0x30})
	fVXLANIBit       = register(Field{Name: "vxlan.i_bit", Title: "Instance", Type: TypeUint8, Mask: 0x8})
	fVXLANPBit       = register(Field{Name: "vxlan.p_bit", Title: "Next Protocol Bit", Type: TypeUint8, Mask: 0x4})
	fVXLANOBit       = register(Field{Name: "vxlan.o_bit", Title: "OAM bit", Type: TypeUint8, Mask: 0x1})
	fVXLANReserved16 = field("vxlan.reserved_16", "Reserved", TypeUint16)
	fVXLANNextProto  = enumField("vxlan.next_proto", "Next Protocol", TypeUint8, tunnelNextNames)

	// OTV is not a protocol tshark knows: its names are ours.
	protoOTV     = proto("otv", "Overlay Transport Virtualization")
	fOTVFlags    = register(Field{Name: "otv.flags", Title: "Flags", Type: TypeUint8, Hex: true})
	fOTVFlagI    = flagField("otv.flags.i", "Instance ID valid", 0x08)
	fOTVOverlay  = field("otv.overlay", "Overlay ID", TypeUint24)
	fOTVInstance = field("otv.instance", "Instance ID", TypeUint24)
	fOTVReserved = field("otv.reserved", "Reserved", TypeUint8)
)

func init() {
	UDPPorts.Register(4789, dissectVXLAN)
	UDPPorts.Register(8472, dissectOTV)
	UDPPorts.Register(4790, dissectVXLANGPE)
	registerText(protoVXLAN, textVXLAN)
	registerText(protoVXLANGPE, textVXLANGPE)
	registerText(protoOTV, textOTV)
}

// tunnelEthernet dissects an Ethernet frame carried in a tunnel.
func tunnelEthernet(t *Tree, off, end int) {
	if d := LinkTypes.Lookup(uint32(wire.LinkEthernet)); d != nil && t.Call(d, off, end) {
		return
	}
	DissectData(t, off, end)
}

// tunnelEthertype dissects the payload at off as ethertype et names it, or
// as data when no dissector takes it.
func tunnelEthertype(t *Tree, et uint32, off, end int) {
	if d := Ethertypes.Lookup(et); d != nil && t.Call(d, off, end) {
		return
	}
	DissectData(t, off, end)
}

// tunnelNextNames are the next protocols of VXLAN-GPE and NSH, which number
// them alike; tunnelNextEthertype the ethertypes of those dissected by
// ethertype (3, Ethernet, is a whole frame).
var (
	tunnelNextNames     = map[uint64]string{1: "IPv4", 2: "IPv6", 3: "Ethernet", 4: "NSH", 5: "MPLS"}
	tunnelNextEthertype = [...]uint32{1: 0x0800, 2: 0x86dd, 4: 0x894f}
)

// tunnelNext dissects the payload at off by its next protocol np, for np up
// to last; the payload of any other is data.
func tunnelNext(t *Tree, np, last uint64, off, end int) {
	switch {
	case np == 3:
		tunnelEthernet(t, off, end)
	case np <= last && np < uint64(len(tunnelNextEthertype)) && tunnelNextEthertype[np] != 0:
		tunnelEthertype(t, tunnelNextEthertype[np], off, end)
	default:
		DissectData(t, off, end)
	}
}

// tunnelStart adds the layer of protocol p whose fixed header has size
// bytes: Malformed when the datagram is shorter, Truncated when fewer than
// need bytes were captured. It returns the layer, the captured bytes and
// whether the header may be read.
func tunnelStart(t *Tree, p FieldID, off, end, size, need int) (l, n int, ok bool) {
	l = t.AddLayer(p, off, end-off)
	if end-off < size {
		t.Mark(l, Malformed)
		return l, 0, false
	}
	n = t.Avail(off, end)
	if n < need {
		t.Mark(l, Truncated)
		return l, n, false
	}
	return l, n, true
}

// dissectVXLAN reads a VXLAN header and the Ethernet frame after it.
func dissectVXLAN(t *Tree, off, end int) {
	l, n, ok := tunnelStart(t, protoVXLAN, off, end, 8, 1)
	if !ok {
		return
	}
	if n < 2 {
		// Only the flags byte: tcpdump still prints it.
		t.Add(l, fVXLANFlags, off, 1, t.U8(off)<<8)
		t.Mark(l, Truncated)
		return
	}
	fl := t.U16(off)
	f := t.Add(l, fVXLANFlags, off, 2, fl)
	t.Add(f, fVXLANFlagG, off, 2, fl>>15&1)
	t.Add(f, fVXLANFlagI, off, 2, fl>>11&1)
	t.Add(f, fVXLANFlagD, off, 2, fl>>6&1)
	t.Add(f, fVXLANFlagA, off, 2, fl>>3&1)
	t.Add(f, fVXLANReserved, off, 2, fl&0x77b7)
	if n < 7 {
		t.Mark(l, Truncated)
		return
	}
	t.Add(l, fVXLANGBP, off+2, 2, t.U16(off+2))
	t.Add(l, fVXLANVNI, off+4, 3, t.U24(off+4))
	if n >= 8 {
		t.Add(l, fVXLANReserved8, off+7, 1, t.U8(off+7))
	}
	t.SetLen(l, 8)
	tunnelEthernet(t, off+8, end)
}

// textVXLAN prints "VXLAN, flags [I] (0x08), vni 42" and, on the next line,
// the frame it carries.
func textVXLAN(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	if t.Nodes[n].Flags&Malformed != 0 {
		p.b = append(p.b, "VXLAN (invalid)"...)
		return
	}
	p.b = append(p.b, "VXLAN, "...)
	fi := t.Find(n, fVXLANFlags)
	if fi < 0 {
		p.b = append(p.b, " [|vxlan]"...)
		return
	}
	p.b = tunnelFlagsI(p.b, t.Nodes[fi].Val>>8, "invalid")
	if !p.tunnelUint(n, fVXLANVNI, "vni ", " [|vxlan]") {
		return
	}
	p.b = append(p.b, '\n')
	p.Layer(l + 1)
}

// dissectVXLANGPE reads a VXLAN-GPE header and the payload its next
// protocol names.
func dissectVXLANGPE(t *Tree, off, end int) {
	l, n, ok := tunnelStart(t, protoVXLANGPE, off, end, 8, 1)
	if !ok {
		return
	}
	fl := t.U8(off)
	f := t.Add(l, fVXLANFlags, off, 1, fl)
	t.Add(f, fVXLANVer, off, 1, fl>>4&3)
	t.Add(f, fVXLANIBit, off, 1, fl>>3&1)
	t.Add(f, fVXLANPBit, off, 1, fl>>2&1)
	t.Add(f, fVXLANOBit, off, 1, fl&1)
	if n < 8 {
		t.Mark(l, Truncated)
		return
	}
	t.Add(l, fVXLANReserved16, off+1, 2, t.U16(off+1))
	np := t.U8(off + 3)
	t.Add(l, fVXLANNextProto, off+3, 1, np)
	t.Add(l, fVXLANVNI, off+4, 3, t.U24(off+4))
	t.Add(l, fVXLANReserved8, off+7, 1, t.U8(off+7))
	t.SetLen(l, 8)
	tunnelNext(t, np, 4, off+8, end)
}

// textVXLANGPE prints "VXLAN-GPE, flags [IP], vni 42" and the payload after
// ": " (with -v, on the next line).
func textVXLANGPE(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	p.b = append(p.b, "VXLAN-GPE, "...)
	if t.Nodes[n].Flags&Malformed != 0 {
		p.b = append(p.b, " (len "...)
		p.b = strconv.AppendInt(p.b, int64(t.Nodes[n].Len), 10)
		p.b = append(p.b, " < 8) (invalid)"...)
		return
	}
	fl, ok := t.Value(n, fVXLANFlags)
	if !ok {
		p.b = append(p.b, " [|vxlan_gpe]"...)
		return
	}
	p.b = append(p.b, "flags ["...)
	if fl&0x0f == 0 {
		p.b = append(p.b, "none"...)
	}
	for i, c := range "IPBO" {
		if fl&(0x08>>i) != 0 {
			p.b = append(p.b, byte(c))
		}
	}
	p.b = append(p.b, "], "...)
	if !p.tunnelUint(n, fVXLANVNI, "vni ", " [|vxlan_gpe]") {
		return
	}
	p.tunnelBreak("\n    ")
	np, _ := t.Value(n, fVXLANNextProto)
	if np == 0 || np > 4 || !p.tunnelCarries(l) {
		if np == 0 || np > 4 {
			p.b = append(p.b, "ERROR: unknown-next-protocol (invalid)"...)
		}
		return
	}
	p.Layer(l + 1)
}

// dissectOTV reads an OTV header and the Ethernet frame after it.
func dissectOTV(t *Tree, off, end int) {
	l, n, ok := tunnelStart(t, protoOTV, off, end, 8, 1)
	if !ok {
		return
	}
	fl := t.U8(off)
	f := t.Add(l, fOTVFlags, off, 1, fl)
	t.Add(f, fOTVFlagI, off, 1, fl>>3&1)
	if n < 4 {
		t.Mark(l, Truncated)
		return
	}
	t.Add(l, fOTVOverlay, off+1, 3, t.U24(off+1))
	if n < 7 {
		t.Mark(l, Truncated)
		return
	}
	t.Add(l, fOTVInstance, off+4, 3, t.U24(off+4))
	if n >= 8 {
		t.Add(l, fOTVReserved, off+7, 1, t.U8(off+7))
	}
	t.SetLen(l, 8)
	tunnelEthernet(t, off+8, end)
}

// textOTV prints "OTV, flags [I] (0x08), overlay 0, instance 100" and, on
// the next line, the frame it carries.
func textOTV(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	if t.Nodes[n].Flags&Malformed != 0 {
		p.b = tunnelTooShort(append(p.b, "OTV, "...), t.Nodes[n].Len)
		return
	}
	p.b = append(p.b, "OTV, "...)
	fl, ok := t.Value(n, fOTVFlags)
	if !ok {
		p.b = append(p.b, " [|otv]"...)
		return
	}
	p.b = tunnelFlagsI(p.b, fl, ".")
	if !p.tunnelUint(n, fOTVOverlay, "overlay ", " [|otv]") {
		return
	}
	p.b = append(p.b, ", "...)
	if !p.tunnelUint(n, fOTVInstance, "instance ", " [|otv]") {
		return
	}
	p.b = append(p.b, '\n')
	p.Layer(l + 1)
}

// tunnelHex2 appends v's low byte as two lower-case hexadecimal digits.
func tunnelHex2(b []byte, v uint64) []byte {
	return append(b, hexLower[v>>4&15], hexLower[v&15])
}

// tunnelFlagsI appends "flags [I] (0x08), ": the flags byte fl whose 0x08
// bit says the identifier is valid, with clear in the brackets when it is
// not set.
func tunnelFlagsI(b []byte, fl uint64, clear string) []byte {
	b = append(b, "flags ["...)
	if fl&0x08 != 0 {
		b = append(b, 'I')
	} else {
		b = append(b, clear...)
	}
	b = append(b, "] (0x"...)
	b = tunnelHex2(b, fl)
	return append(b, "), "...)
}

// tunnelTooShort appends "[length 6 < 8] (invalid)" for a header of n bytes.
func tunnelTooShort(b []byte, n int32) []byte {
	b = append(b, "[length "...)
	b = strconv.AppendInt(b, int64(n), 10)
	return append(b, " < 8] (invalid)"...)
}

// tunnelUint appends label and the value of field f under node n in
// decimal; when the field is missing it appends trunc instead and is false.
func (p *Printer) tunnelUint(n int, f FieldID, label, trunc string) bool {
	v, ok := p.t.Value(n, f)
	if !ok {
		p.b = append(p.b, trunc...)
		return false
	}
	p.b = append(p.b, label...)
	p.b = strconv.AppendUint(p.b, v, 10)
	return true
}

// tunnelBreak appends what comes between a tunnel's header and its payload:
// ": ", or with -v verbose (a line break and an indent).
func (p *Printer) tunnelBreak(verbose string) {
	if p.opt.Verbose > 0 {
		p.b = append(p.b, verbose...)
	} else {
		p.b = append(p.b, ": "...)
	}
}

// tunnelCarries reports whether the layer after l is a protocol with text
// of its own, which a tunnel prints its payload as.
func (p *Printer) tunnelCarries(l int) bool {
	next := p.Proto(l + 1)
	return next != 0 && next != protoData && textFuncs[next] != nil
}

// tunnelProto appends ", proto IPv4 (0x0800)": the protocol type of a
// tunnel's payload as -e shows it.
func tunnelProto(b []byte, pt uint64) []byte {
	b = append(b, ", proto "...)
	if name, ok := etherTypeNames[pt]; ok {
		b = append(b, name...)
	} else {
		b = append(b, "unknown"...)
	}
	b = append(b, " (0x"...)
	b = append(b, hexLower[pt>>12&15], hexLower[pt>>8&15], hexLower[pt>>4&15], hexLower[pt&15])
	return append(b, ')')
}
