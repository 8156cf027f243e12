package decode

// Connectivity Fault Management (IEEE 802.1ag, ITU-T Y.1731), ethertype
// 0x8902: a level and a version in one byte, an opcode, flags and the
// offset of the first TLV, then the opcode's fields and a chain of TLVs
// (a type byte, a 16-bit length) ended by type 0. decode reads the common
// header and the TLV chain, not the opcodes' own fields.
//
// tcpdump also reads ethertype 0xabcd as CFM (its pre-standard number);
// tshark gives that ethertype to Brocade's Boardwalk FC encapsulation, so
// the tree has a brdwlk layer there and the text is tcpdump's CFM line.

import "strconv"

var (
	protoCFM       = proto("cfm", "CFM EOAM 802.1ag/ITU Protocol")
	fCFMLevel      = register(Field{Name: "cfm.md.level", Title: "CFM MD Level", Type: TypeUint8, Mask: 0xe0})
	fCFMVersion    = register(Field{Name: "cfm.version", Title: "CFM Version", Type: TypeUint8, Mask: 0x1f})
	fCFMOpcode     = register(Field{Name: "cfm.opcode", Title: "CFM OpCode", Type: TypeUint8, Values: cfmOpcodes})
	fCFMFlags      = register(Field{Name: "cfm.flags", Title: "Flags", Type: TypeUint8, Hex: true})
	fCFMFirstTLV   = field("cfm.first.tlv.offset", "First TLV Offset", TypeUint8)
	protoCFMTLVs   = proto("cfm.all.tlvs", "CFM TLVs")
	fCFMTLVType    = field("cfm.tlv.type", "TLV Type", TypeUint8)
	fCFMTLVLen     = field("cfm.tlv.length", "TLV Length", TypeUint16)
	protoBrdwlk    = proto("brdwlk", "Boardwalk")
	fBrdwlkSOF     = register(Field{Name: "brdwlk.sof", Title: "SOF", Type: TypeUint8, Mask: 0xf0})
	fBrdwlkVSAN    = register(Field{Name: "brdwlk.vsan", Title: "VSAN", Type: TypeUint16, Mask: 0x0fff})
	cfmHeaderBytes = 4
)

// cfmOpcodes are IEEE 802.1ag's opcodes, as tcpdump names them.
var cfmOpcodes = map[uint64]string{
	1: "Continuity Check Message",
	2: "Loopback Reply",
	3: "Loopback Message",
	4: "Linktrace Reply",
	5: "Linktrace Message",
}

func init() {
	Ethertypes.Register(0x8902, dissectCFM)
	Ethertypes.Register(0xabcd, dissectBrdwlk)
	registerText(protoCFM, textCFM)
	registerText(protoBrdwlk, textCFM)
	shortNames["cfm"] = "CFM"
	shortNames["cfm.all.tlvs"] = "CFM"
	shortNames["brdwlk"] = "Boardwalk"
}

// dissectCFM reads the common header and the TLVs after the first TLV
// offset, in a cfm.all.tlvs layer as tshark's hierarchy has them. A TLV
// whose length passes the frame's end marks that layer Malformed (tshark's
// exception), one the capture cuts short Truncated.
func dissectCFM(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoCFM, off, end, cfmHeaderBytes)
	if !ok {
		return
	}
	b := t.U8(off)
	t.Add(l, fCFMLevel, off, 1, b>>5)
	t.Add(l, fCFMVersion, off, 1, b&0x1f)
	t.Add(l, fCFMOpcode, off+1, 1, t.U8(off+1))
	t.Add(l, fCFMFlags, off+2, 1, t.U8(off+2))
	first := int(t.U8(off + 3))
	t.Add(l, fCFMFirstTLV, off+3, 1, uint64(first))
	p := off + cfmHeaderBytes + first
	if p >= end {
		if p > end {
			t.Mark(l, Malformed)
		}
		return
	}
	if p > off+n {
		t.Mark(l, Truncated)
		return
	}
	tl := t.AddLayer(protoCFMTLVs, p, end-p)
	stop := off + n
	for {
		if p >= end {
			return
		}
		if p >= stop {
			t.Mark(tl, Truncated)
			return
		}
		typ := t.U8(p)
		t.Add(tl, fCFMTLVType, p, 1, typ)
		if typ == 0 {
			return
		}
		if p+3 > end {
			t.Mark(tl, Malformed)
			return
		}
		if p+3 > stop {
			t.Mark(tl, Truncated)
			return
		}
		ln := int(t.U16(p + 1))
		t.Add(tl, fCFMTLVLen, p+1, 2, uint64(ln))
		p += 3 + ln
		if p > end {
			t.Mark(tl, Malformed)
			return
		}
	}
}

// dissectBrdwlk reads the Boardwalk header's start of frame and VSAN; the
// Fibre Channel frame and the trailer after it decode does not read, but a
// frame the capture cut is Truncated, as tshark finds its trailer missing.
func dissectBrdwlk(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoBrdwlk, off, end, 2)
	if !ok {
		return
	}
	t.Add(l, fBrdwlkSOF, off, 1, t.U8(off)>>4)
	t.Add(l, fBrdwlkVSAN, off, 2, t.U16(off)&0x0fff)
	if n < end-off {
		t.Mark(l, Truncated)
	}
}

// textCFM prints tcpdump's line, "CFMv0 Continuity Check Message, MD
// Level 1, length 74" ("unknown (204)" for an opcode it does not name), or
// "[|cfm]" when the common header was not captured.
func textCFM(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off := int(t.Nodes[n].Off)
	if t.Avail(off, off+int(t.Nodes[n].Len)) < cfmHeaderBytes {
		p.b = append(p.b, "[|cfm]"...)
		return
	}
	b, op := t.U8(off), t.U8(off+1)
	p.b = append(p.b, "CFMv"...)
	p.b = strconv.AppendUint(p.b, b&0x1f, 10)
	p.b = append(p.b, ' ')
	if s, ok := cfmOpcodes[op]; ok {
		p.b = append(p.b, s...)
	} else {
		p.b = append(p.b, "unknown ("...)
		p.b = strconv.AppendUint(p.b, op, 10)
		p.b = append(p.b, ')')
	}
	p.b = append(p.b, ", MD Level "...)
	p.b = strconv.AppendUint(p.b, b>>5, 10)
	p.b = append(p.b, ", length "...)
	p.b = strconv.AppendInt(p.b, int64(t.Nodes[n].Len), 10)
}
