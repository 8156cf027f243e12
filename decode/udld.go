package decode

// Cisco's UniDirectional Link Detection (RFC 5171), SNAP OUI 0x00000c PID
// 0x0111: a version and an opcode in one byte, flags, a checksum, then TLVs
// decode does not read.

import "strconv"

var (
	protoUDLD     = proto("udld", "Unidirectional Link Detection")
	fUDLDVersion  = register(Field{Name: "udld.version", Title: "Version", Type: TypeUint8, Mask: 0xe0})
	fUDLDOpcode   = register(Field{Name: "udld.opcode", Title: "Opcode", Type: TypeUint8, Mask: 0x1f, Values: udldOpcodes})
	fUDLDFlags    = field("udld.flags", "Flags", TypeUint8)
	fUDLDFlagRT   = register(Field{Name: "udld.flags.rt", Title: "Recommended timeout", Type: TypeUint8, Mask: 0x01, Hex: true})
	fUDLDFlagRSY  = register(Field{Name: "udld.flags.rsy", Title: "ReSynch", Type: TypeUint8, Mask: 0x02, Hex: true})
	fUDLDChecksum = register(Field{Name: "udld.checksum", Title: "Checksum", Type: TypeUint16, Hex: true})
	udldOpcodes   = map[uint64]string{0: "Reserved", 1: "Probe message", 2: "Echo message", 3: "Flush message"}
)

func init() {
	registerText(protoUDLD, textUDLD)
}

// dissectUDLD reads the header at off.
func dissectUDLD(t *Tree, off, end int) {
	l, n, _ := t.StartLayer(protoUDLD, off, end, 4)
	if n < 4 && t.NetOff == off {
		// tcpdump gives the link layer up ([|udld]): a single -x dumps
		// the frame from its first byte.
		t.NetOff = 0
	}
	if n < 2 {
		return
	}
	b := t.U8(off)
	t.Add(l, fUDLDVersion, off, 1, b>>5)
	t.Add(l, fUDLDOpcode, off, 1, b&0x1f)
	fl := t.U8(off + 1)
	f := t.Add(l, fUDLDFlags, off+1, 1, fl)
	t.Add(f, fUDLDFlagRT, off+1, 1, fl&1)
	t.Add(f, fUDLDFlagRSY, off+1, 1, fl>>1&1)
	if n >= 4 {
		t.Add(l, fUDLDChecksum, off+2, 2, t.U16(off+2))
	}
}

// textUDLD prints tcpdump's first line, "UDLDv1, Code Probe message (1),
// Flags [RT, RSY] (0x03), length 60", and [|udld] after it when the checksum
// was not captured; decode does not print the TLVs -v adds.
func textUDLD(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	ver, ok := t.Value(n, fUDLDVersion)
	if !ok {
		p.b = append(p.b, " [|udld]"...)
		return
	}
	op, _ := t.Value(n, fUDLDOpcode)
	fl, _ := t.Value(n, fUDLDFlags)
	p.b = append(p.b, "UDLDv"...)
	p.b = strconv.AppendUint(p.b, ver, 10)
	p.b = append(p.b, ", Code "...)
	if s, ok := udldOpcodes[op]; ok {
		p.b = append(p.b, s...)
	} else {
		p.b = append(p.b, "unknown"...)
	}
	p.b = append(p.b, " ("...)
	p.b = strconv.AppendUint(p.b, op, 10)
	p.b = append(p.b, "), Flags ["...)
	switch fl & 3 {
	case 0:
		p.b = append(p.b, "none"...)
	case 1:
		p.b = append(p.b, "RT"...)
	case 2:
		p.b = append(p.b, "RSY"...)
	case 3:
		p.b = append(p.b, "RT, RSY"...)
	}
	p.b = append(p.b, "] (0x"...)
	p.b = append(p.b, hexDigits[fl>>4&15], hexDigits[fl&15])
	p.b = append(p.b, "), length "...)
	p.b = strconv.AppendInt(p.b, int64(t.Nodes[n].Len), 10)
	if !t.Has(n, fUDLDChecksum) {
		p.b = append(p.b, " [|udld]"...)
	}
}
