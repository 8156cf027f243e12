//go:build treedecode

package decode

import "strconv"

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
	registerText(protoVXLAN, textVXLAN)
	registerText(protoOTV, textOTV)
}

// tunnelEthernet dissects an Ethernet frame carried in a tunnel.
func tunnelEthernet(t *Tree, off, end int) {
	if d := LinkTypes.Lookup(uint32(LinkEthernet)); d != nil && t.Call(d, off, end) {
		return
	}
	DissectData(t, off, end)
}

// dissectVXLAN reads a VXLAN header and the Ethernet frame after it.
func dissectVXLAN(t *Tree, off, end int) {
	l := t.AddLayer(protoVXLAN, off, end-off)
	if end-off < 8 {
		t.Mark(l, Malformed)
		return
	}
	n := t.Avail(off, end)
	if n < 2 {
		if n == 1 {
			// Only the flags byte: tcpdump still prints it.
			t.Add(l, fVXLANFlags, off, 1, t.U8(off)<<8)
		}
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
	fl := t.Nodes[fi].Val >> 8
	if fl&0x08 != 0 {
		p.b = append(p.b, "flags [I] (0x"...)
	} else {
		p.b = append(p.b, "flags [invalid] (0x"...)
	}
	p.b = tunnelHex2(p.b, fl)
	p.b = append(p.b, "), "...)
	vni, ok := t.Value(n, fVXLANVNI)
	if !ok {
		p.b = append(p.b, " [|vxlan]"...)
		return
	}
	p.b = append(p.b, "vni "...)
	p.b = strconv.AppendUint(p.b, vni, 10)
	p.b = append(p.b, '\n')
	p.Layer(l + 1)
}

// dissectOTV reads an OTV header and the Ethernet frame after it.
func dissectOTV(t *Tree, off, end int) {
	l := t.AddLayer(protoOTV, off, end-off)
	if end-off < 8 {
		t.Mark(l, Malformed)
		return
	}
	n := t.Avail(off, end)
	if n < 1 {
		t.Mark(l, Truncated)
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
		p.b = append(p.b, "OTV, [length "...)
		p.b = strconv.AppendInt(p.b, int64(t.Nodes[n].Len), 10)
		p.b = append(p.b, " < 8] (invalid)"...)
		return
	}
	p.b = append(p.b, "OTV, "...)
	fl, ok := t.Value(n, fOTVFlags)
	if !ok {
		p.b = append(p.b, " [|otv]"...)
		return
	}
	if fl&0x08 != 0 {
		p.b = append(p.b, "flags [I] (0x"...)
	} else {
		p.b = append(p.b, "flags [.] (0x"...)
	}
	p.b = tunnelHex2(p.b, fl)
	p.b = append(p.b, "), "...)
	ov, ok := t.Value(n, fOTVOverlay)
	if !ok {
		p.b = append(p.b, " [|otv]"...)
		return
	}
	p.b = append(p.b, "overlay "...)
	p.b = strconv.AppendUint(p.b, ov, 10)
	p.b = append(p.b, ", "...)
	in, ok := t.Value(n, fOTVInstance)
	if !ok {
		p.b = append(p.b, " [|otv]"...)
		return
	}
	p.b = append(p.b, "instance "...)
	p.b = strconv.AppendUint(p.b, in, 10)
	p.b = append(p.b, '\n')
	p.Layer(l + 1)
}

// tunnelHex2 appends v's low byte as two lower-case hexadecimal digits.
func tunnelHex2(b []byte, v uint64) []byte {
	return append(b, hexLower[v>>4&15], hexLower[v&15])
}
