package decode

import "strconv"

// NSH, the Network Service Header (RFC 8300), ethertype 0x894f and VXLAN-GPE
// next protocol 4: a base header (version, O bit, TTL, length in 4-byte
// words, MD type, next protocol), a service path header (SPI, SI), context
// headers (MD type 1: fixed words; MD type 2: TLVs), then the payload.

var (
	protoNSH      = proto("nsh", "Network Service Header")
	fNSHVersion   = register(Field{Name: "nsh.version", Title: "Version", Type: TypeUint16, Mask: 0xc000})
	fNSHOBit      = register(Field{Name: "nsh.Obit", Title: "O Bit", Type: TypeUint16, Mask: 0x2000})
	fNSHCBit      = register(Field{Name: "nsh.CBit", Title: "C Bit", Type: TypeUint16, Mask: 0x1000})
	fNSHTTL       = register(Field{Name: "nsh.ttl", Title: "Time to live", Type: TypeUint16, Mask: 0xfc0})
	fNSHLength    = register(Field{Name: "nsh.length", Title: "Length", Type: TypeUint16, Mask: 0x3f})
	fNSHMDType    = field("nsh.mdtype", "MD Type", TypeUint8)
	fNSHNextProto = enumField("nsh.nextproto", "Next Protocol", TypeUint8, tunnelNextNames)
	fNSHSPI       = register(Field{Name: "nsh.spi", Title: "Service Path Identifier", Type: TypeUint24, Hex: true})
	fNSHSI        = register(Field{Name: "nsh.si", Title: "Service Index", Type: TypeUint8, Hex: true})
	fNSHContext   = field("nsh.contextheader", "Context Header", TypeBytes)
	fNSHMDClass   = register(Field{Name: "nsh.metadataclass", Title: "TLV Class", Type: TypeUint16})
	fNSHMDTypeTLV = field("nsh.metadatatype", "Type", TypeUint8)
	fNSHMDLen     = register(Field{Name: "nsh.metadatalen", Title: "Length", Type: TypeUint8, Mask: 0x7f})
	fNSHMetadata  = field("nsh.metadata", "Variable Metadata", TypeBytes)
	fNSHLengthBad = field("nsh.length.invalid", "Invalid length", TypeNone)
)

func init() {
	Ethertypes.Register(0x894f, dissectNSH)
	registerText(protoNSH, textNSH)
}

// dissectNSH reads an NSH header and the payload its next protocol names.
func dissectNSH(t *Tree, off, end int) {
	l := t.AddLayer(protoNSH, off, end-off)
	n := t.Avail(off, end)
	if n < 4 {
		t.Mark(l, Truncated)
		return
	}
	w := t.U16(off)
	t.Add(l, fNSHVersion, off, 2, w>>14)
	t.Add(l, fNSHOBit, off, 2, w>>13&1)
	t.Add(l, fNSHCBit, off, 2, w>>12&1)
	t.Add(l, fNSHTTL, off, 2, w>>6&0x3f)
	t.Add(l, fNSHLength, off, 2, w&0x3f)
	md := t.U8(off+2) & 0x0f
	t.Add(l, fNSHMDType, off+2, 1, md)
	np := t.U8(off + 3)
	t.Add(l, fNSHNextProto, off+3, 1, np)
	if w>>14 != 0 {
		return // a version tcpdump does not read
	}
	if n < 8 {
		t.Mark(l, Truncated)
		return
	}
	t.Add(l, fNSHSPI, off+4, 3, t.U24(off+4))
	t.Add(l, fNSHSI, off+7, 1, t.U8(off+7))
	words := int(w & 0x3f)
	if words < 2 {
		t.Mark(t.Add(l, fNSHLengthBad, off, 2, 0), Malformed)
		return
	}
	hend := off + words*4
	p := off + 8
	switch md {
	case 1:
		for ; p+4 <= hend; p += 4 {
			if p+4 > off+n {
				t.Mark(l, Truncated)
				return
			}
			t.AddBytes(l, fNSHContext, p, 4)
		}
	case 2:
		for p+4 <= hend {
			if p+4 > off+n {
				t.Mark(l, Truncated)
				return
			}
			t.Add(l, fNSHMDClass, p, 2, t.U16(p))
			t.Add(l, fNSHMDTypeTLV, p+2, 1, t.U8(p+2))
			vl := int(t.U8(p+3) & 0x7f)
			t.Add(l, fNSHMDLen, p+3, 1, uint64(vl))
			p += 4
			if p+vl > off+n {
				t.Mark(l, Truncated)
				return
			}
			if vl > 0 {
				t.AddBytes(l, fNSHMetadata, p, vl)
			}
			p += (vl + 3) &^ 3
		}
	}
	if hend > off+n {
		t.Mark(l, Truncated)
		return
	}
	t.SetLen(l, words*4)
	// An NSH payload is not read as NSH again.
	tunnelNext(t, np, 3, hend, end)
}

// textNSH prints the NSH header as tcpdump does and the payload after ": "
// (with -v, on the next line).
func textNSH(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	ver, ok := t.Value(n, fNSHVersion)
	if !ok {
		p.b = append(p.b, " [|nsh]"...)
		return
	}
	v := p.opt.Verbose
	p.b = append(p.b, "NSH, "...)
	if v > 1 {
		p.b = append(p.b, "ver "...)
		p.b = strconv.AppendUint(p.b, ver, 10)
		p.b = append(p.b, ", "...)
	}
	if ver != 0 {
		return
	}
	p.b = append(p.b, "flags ["...)
	if o, _ := t.Value(n, fNSHOBit); o != 0 {
		p.b = append(p.b, 'O')
	} else {
		p.b = append(p.b, "none"...)
	}
	p.b = append(p.b, "], "...)
	md, _ := t.Value(n, fNSHMDType)
	if v > 2 {
		ttl, _ := t.Value(n, fNSHTTL)
		ln, _ := t.Value(n, fNSHLength)
		p.b = append(p.b, "TTL "...)
		p.b = strconv.AppendUint(p.b, ttl, 10)
		p.b = append(p.b, ", length "...)
		p.b = strconv.AppendUint(p.b, ln, 10)
		p.b = append(p.b, ", md type "...)
		if md == 1 || md == 2 {
			p.b = strconv.AppendUint(p.b, md, 10)
		} else {
			p.b = nshUnknown(p.b, md)
		}
		p.b = append(p.b, ", "...)
	}
	np, _ := t.Value(n, fNSHNextProto)
	if v > 1 {
		p.b = append(p.b, "next-protocol "...)
		if name, ok := tunnelNextNames[np]; ok {
			p.b = append(p.b, name...)
		} else {
			p.b = nshUnknown(p.b, np)
		}
		p.b = append(p.b, ", "...)
	}
	spi, ok := t.Value(n, fNSHSPI)
	if !ok {
		p.b = append(p.b, " [|nsh]"...)
		return
	}
	si, _ := t.Value(n, fNSHSI)
	p.b = append(p.b, "service-path-id 0x"...)
	p.b = append(p.b, hexLower[spi>>20&15], hexLower[spi>>16&15], hexLower[spi>>12&15], hexLower[spi>>8&15], hexLower[spi>>4&15], hexLower[spi&15])
	p.b = append(p.b, ", service-index 0x"...)
	p.b = strconv.AppendUint(p.b, si, 16)
	if t.Has(n, fNSHLengthBad) {
		p.b = append(p.b, " (less than two headers) (invalid)"...)
		return
	}
	if v > 2 {
		p.nshContexts(n, md)
	}
	if t.Nodes[n].Flags&Truncated != 0 {
		p.b = append(p.b, " [|nsh]"...)
		return
	}
	p.tunnelBreak("\n    ")
	if np > 3 || np == 0 || !p.tunnelCarries(l) {
		p.b = append(p.b, "ERROR: unknown-next-protocol"...)
		return
	}
	p.Layer(l + 1)
}

// nshUnknown appends "unknown (0x05)" for a value NSH does not name.
func nshUnknown(b []byte, v uint64) []byte {
	b = append(b, "unknown (0x"...)
	b = tunnelHex2(b, v)
	return append(b, ')')
}

// nshContexts prints the context headers of NSH node n at -vvv.
func (p *Printer) nshContexts(n int, md uint64) {
	t := &p.t
	switch md {
	case 1:
		k := 0
		for c := t.Find(n, fNSHContext); c >= 0; c = t.FindNext(n, c, fNSHContext) {
			b := t.Bytes(c)
			p.b = append(p.b, "\n        Context["...)
			p.b = append(p.b, byte('0'+k/10%10), byte('0'+k%10))
			p.b = append(p.b, "]: 0x"...)
			for _, x := range b {
				p.b = tunnelHex2(p.b, uint64(x))
			}
			k++
		}
	case 2:
		for c := t.Find(n, fNSHMDClass); c >= 0; c = t.FindNext(n, c, fNSHMDClass) {
			ty, tl := uint64(0), uint64(0)
			if c+1 < len(t.Nodes) {
				ty = t.Nodes[c+1].Val
			}
			if c+2 < len(t.Nodes) {
				tl = t.Nodes[c+2].Val
			}
			p.b = append(p.b, "\n        TLV Class "...)
			p.b = strconv.AppendUint(p.b, t.Nodes[c].Val, 10)
			p.b = append(p.b, ", Type "...)
			p.b = strconv.AppendUint(p.b, ty, 10)
			p.b = append(p.b, ", Len "...)
			p.b = strconv.AppendUint(p.b, tl, 10)
			if c+3 < len(t.Nodes) && t.Nodes[c+3].Field == fNSHMetadata {
				p.b = append(p.b, "\n            Value: 0x"...)
				for i, x := range t.Bytes(c + 3) {
					if i > 0 {
						p.b = append(p.b, ':')
					}
					p.b = tunnelHex2(p.b, uint64(x))
				}
			}
		}
	}
}
