package decode

import "strconv"

// Geneve (RFC 8926) on UDP port 6081: an 8-byte header (version, options
// length in 4-byte words, the O and C flags, a protocol type that is an
// ethertype, a 24-bit VNI), options (class, type, length in 4-byte words,
// data), then the payload the protocol type names.

var (
	protoGeneve            = proto("geneve", "Generic Network Virtualization Encapsulation")
	fGeneveVersion         = field("geneve.version", "Version", TypeUint8)
	fGeneveFlags           = register(Field{Name: "geneve.flags", Title: "Flags", Type: TypeUint8, Hex: true})
	fGeneveFlagOAM         = flagField("geneve.flags.oam", "Operations, Administration and Management Frame", 0x80)
	fGeneveFlagCritical    = flagField("geneve.flags.critical", "Critical Options Present", 0x40)
	fGeneveFlagReserved    = flagField("geneve.flags.reserved", "Reserved", 0x3f)
	fGeneveProto           = register(Field{Name: "geneve.proto_type", Title: "Protocol Type", Type: TypeUint16, Hex: true})
	fGeneveVNI             = register(Field{Name: "geneve.vni", Title: "Virtual Network Identifier (VNI)", Type: TypeUint24, Hex: true})
	fGeneveReserved        = field("geneve.reserved", "Reserved", TypeUint8)
	fGeneveOptions         = field("geneve.options", "Geneve Options", TypeBytes)
	fGeneveOption          = field("geneve.option", "Option", TypeBytes)
	fGeneveOptClass        = register(Field{Name: "geneve.option.class", Title: "Class", Type: TypeUint16, Hex: true})
	fGeneveOptType         = register(Field{Name: "geneve.option.type", Title: "Type", Type: TypeUint8, Hex: true})
	fGeneveOptTypeCritical = flagField("geneve.option.type.critical", "Critical Option", 0x80)
	fGeneveOptFlags        = register(Field{Name: "geneve.option.flags", Title: "Flags", Type: TypeUint8, Hex: true})
	fGeneveOptLength       = field("geneve.option.length", "Length", TypeUint8)
	fGeneveOptData         = field("geneve.option.unknown.data", "Unknown Option Data", TypeBytes)
	fGeneveOptLenInvalid   = field("geneve.option.length.invalid", "Invalid length for option", TypeNone)
	fGeneveVersionUnknown  = field("geneve.version.unknown", "Unknown version", TypeNone)
)

func init() {
	UDPPorts.Register(6081, dissectGeneve)
	registerText(protoGeneve, textGeneve)
}

// dissectGeneve reads a Geneve header, its options and its payload.
func dissectGeneve(t *Tree, off, end int) {
	l, n, ok := tunnelStart(t, protoGeneve, off, end, 8, 8)
	if !ok {
		return
	}
	b0 := t.U8(off)
	v := t.Add(l, fGeneveVersion, off, 1, b0>>6)
	if b0>>6 != 0 {
		t.Add(v, fGeneveVersionUnknown, off, 1, 0)
		t.Mark(v, Malformed)
		return
	}
	fl := t.U8(off + 1)
	f := t.Add(l, fGeneveFlags, off+1, 1, fl)
	t.Add(f, fGeneveFlagOAM, off+1, 1, fl>>7&1)
	t.Add(f, fGeneveFlagCritical, off+1, 1, fl>>6&1)
	t.Add(f, fGeneveFlagReserved, off+1, 1, fl&0x3f)
	pt := t.U16(off + 2)
	t.Add(l, fGeneveProto, off+2, 2, pt)
	t.Add(l, fGeneveVNI, off+4, 3, t.U24(off+4))
	t.Add(l, fGeneveReserved, off+7, 1, t.U8(off+7))
	hlen := 8 + int(b0&0x3f)*4
	if off+hlen > end {
		// The options run past the datagram: tcpdump says how far.
		t.Mark(l, Malformed)
		return
	}
	if hlen > n {
		t.Mark(l, Truncated)
		return
	}
	if hlen > 8 {
		o := t.AddBytes(l, fGeneveOptions, off+8, hlen-8)
		for p := off + 8; p < off+hlen; {
			if off+hlen-p < 4 {
				t.Mark(o, Malformed)
				break
			}
			ol := 4 + int(t.U8(p+3)&0x1f)*4
			bad := p+ol > off+hlen
			w := ol
			if bad {
				w = off + hlen - p
			}
			op := t.AddBytes(o, fGeneveOption, p, w)
			t.Add(op, fGeneveOptClass, p, 2, t.U16(p))
			ty := t.U8(p + 2)
			ti := t.Add(op, fGeneveOptType, p+2, 1, ty)
			t.Add(ti, fGeneveOptTypeCritical, p+2, 1, ty>>7&1)
			t.Add(op, fGeneveOptFlags, p+3, 1, t.U8(p+3)>>5)
			li := t.Add(op, fGeneveOptLength, p+3, 1, uint64(ol))
			if bad {
				t.Add(li, fGeneveOptLenInvalid, p+3, 1, 0)
				t.Mark(li, Malformed)
				break
			}
			if ol > 4 {
				t.AddBytes(op, fGeneveOptData, p+4, ol-4)
			}
			p += ol
		}
	}
	t.SetLen(l, hlen)
	poff := off + hlen
	if pt == 0x6558 {
		tunnelEthernet(t, poff, end)
		return
	}
	tunnelEthertype(t, uint32(pt), poff, end)
}

// geneveClassName is the name tcpdump gives an option class.
func geneveClassName(c uint64) string {
	switch {
	case c <= 0xff:
		return "Standard"
	case c == 0x100:
		return "Linux"
	case c == 0x101:
		return "Open vSwitch"
	case c == 0x102:
		return "Open Virtual Networking (OVN)"
	case c == 0x103:
		return "In-band Network Telemetry (INT)"
	case c == 0x104:
		return "VMware"
	case c >= 0xfff0:
		return "Experimental"
	}
	return "Unknown"
}

// textGeneve prints "Geneve, Flags [C], vni 0xa, options [...]" and the
// payload after ": " (or, with -v, on the next line after a tab).
func textGeneve(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	nd := &t.Nodes[n]
	if !t.Has(n, fGeneveVersion) {
		if nd.Flags&Malformed != 0 {
			p.b = tunnelTooShort(append(p.b, "Geneve "...), nd.Len)
			return
		}
		p.b = append(p.b, "Geneve [|geneve]"...)
		return
	}
	ver, _ := t.Value(n, fGeneveVersion)
	if ver != 0 {
		p.b = append(p.b, "Geneve ERROR: unknown-version "...)
		p.b = strconv.AppendUint(p.b, ver, 10)
		return
	}
	off := int(nd.Off)
	hlen := 8 + int(t.Data[off]&0x3f)*4
	p.b = append(p.b, "Geneve, Flags ["...)
	fl, _ := t.Value(n, fGeneveFlags)
	if fl == 0 {
		p.b = append(p.b, "none"...)
	} else {
		if fl&0x80 != 0 {
			p.b = append(p.b, 'O')
		}
		if fl&0x40 != 0 {
			p.b = append(p.b, 'C')
		}
		for i := 0; i < 6; i++ {
			if fl&(0x20>>i) != 0 {
				p.b = append(p.b, 'R', byte('1'+i))
			}
		}
	}
	p.b = append(p.b, "], vni 0x"...)
	vni, _ := t.Value(n, fGeneveVNI)
	p.b = strconv.AppendUint(p.b, vni, 16)
	if p.opt.Link {
		pt, _ := t.Value(n, fGeneveProto)
		p.b = tunnelProto(p.b, pt)
	}
	if nd.Flags&Malformed != 0 && !t.Has(n, fGeneveOptions) {
		// The options run past the datagram.
		p.b = append(p.b, " truncated-geneve - "...)
		p.b = strconv.AppendInt(p.b, int64(hlen)-int64(nd.Len), 10)
		p.b = append(p.b, " bytes missing"...)
		return
	}
	if nd.Flags&Truncated != 0 {
		p.b = append(p.b, " [|geneve]"...)
		return
	}
	if oi := t.Find(n, fGeneveOptions); oi >= 0 {
		p.b = append(p.b, ", options ["...)
		if p.opt.Verbose == 0 {
			p.b = strconv.AppendInt(p.b, int64(t.Nodes[oi].Len), 10)
			p.b = append(p.b, " bytes"...)
		} else {
			p.geneveOptions(oi)
		}
		p.b = append(p.b, ']')
	}
	p.tunnelBreak("\n\t")
	if !p.tunnelCarries(l) {
		pt, _ := t.Value(n, fGeneveProto)
		p.b = append(p.b, "geneve-proto-0x"...)
		p.b = strconv.AppendUint(p.b, pt, 16)
		return
	}
	p.Layer(l + 1)
}

// geneveOptions prints the options under node oi as -v and -vv show them.
func (p *Printer) geneveOptions(oi int) {
	t := &p.t
	first := true
	for op := t.Find(oi, fGeneveOption); op >= 0; op = t.FindNext(oi, op, fGeneveOption) {
		if !first {
			p.b = append(p.b, ", "...)
		}
		first = false
		c, _ := t.Value(op, fGeneveOptClass)
		ty, _ := t.Value(op, fGeneveOptType)
		ol, _ := t.Value(op, fGeneveOptLength)
		p.b = append(p.b, "class "...)
		p.b = append(p.b, geneveClassName(c)...)
		p.b = append(p.b, " (0x"...)
		p.b = strconv.AppendUint(p.b, c, 16)
		p.b = append(p.b, ") type 0x"...)
		p.b = strconv.AppendUint(p.b, ty, 16)
		if ty&0x80 != 0 {
			p.b = append(p.b, "(C)"...)
		}
		p.b = append(p.b, " len "...)
		p.b = strconv.AppendUint(p.b, ol, 10)
		if li := t.Find(op, fGeneveOptLength); li >= 0 && t.Has(li, fGeneveOptLenInvalid) {
			p.b = append(p.b, " [bad length]"...)
			return
		}
		if p.opt.Verbose > 1 {
			if di := t.Find(op, fGeneveOptData); di >= 0 {
				p.b = append(p.b, " data"...)
				d := t.Bytes(di)
				for i := 0; i+4 <= len(d); i += 4 {
					p.b = append(p.b, ' ')
					for _, c := range d[i : i+4] {
						p.b = tunnelHex2(p.b, uint64(c))
					}
				}
			}
		}
	}
}
