package decode

// MPLS label stacks (RFC 3032) after ethertypes 0x8847 and 0x8848, in GRE,
// and on UDP port 6635 (RFC 7510): 4-byte entries of a 20-bit label, 3
// traffic-class bits, the bottom-of-stack bit and a TTL, each entry a layer
// of its own as tshark shows it. After the bottom entry, the payload is an
// IPv4 or IPv6 packet by its first nibble (as tshark was seen to choose,
// whatever the label); anything else is data.

import "strconv"

var (
	protoMPLS    = proto("mpls", "MultiProtocol Label Switching Header")
	fMPLSLabel   = register(Field{Name: "mpls.label", Title: "MPLS Label", Type: TypeUint32, Mask: 0xfffff000})
	fMPLSExp     = register(Field{Name: "mpls.exp", Title: "MPLS Experimental Bits", Type: TypeUint32, Mask: 0xe00})
	fMPLSBottom  = register(Field{Name: "mpls.bottom", Title: "MPLS Bottom Of Label Stack", Type: TypeUint32, Mask: 0x100})
	fMPLSTTL     = register(Field{Name: "mpls.ttl", Title: "MPLS TTL", Type: TypeUint32, Mask: 0xff})
	mplsReserved = [...]string{"IPv4 explicit NULL", "router alert", "IPv6 explicit NULL", "implicit NULL"}
)

func init() {
	Ethertypes.Register(0x8847, dissectMPLS)
	Ethertypes.Register(0x8848, dissectMPLS)
	UDPPorts.Register(6635, dissectMPLS)
	registerText(protoMPLS, textMPLS)
}

// dissectMPLS reads the label stack at off and its payload. An entry the
// capture cuts short marks the layer before it Truncated; one the packet
// ends before, or a bottom entry with nothing after it, Malformed (tshark's
// _ws.short and _ws.malformed).
func dissectMPLS(t *Tree, off, end int) {
	l, start := -1, off
	// A stack the capture cuts short ends tcpdump's link layer: a single
	// -x dumps the frame from its first byte.
	cut := func() {
		t.Mark(l, Truncated)
		if t.NetOff == start {
			t.NetOff = 0
		}
	}
	for {
		if n := t.Avail(off, end); n < 4 {
			if l < 0 {
				l = t.AddLayer(protoMPLS, off, end-off)
			}
			if end-off >= 4 {
				cut()
			} else {
				t.Mark(l, Malformed)
			}
			return
		}
		e := t.U32(off)
		l = t.AddLayer(protoMPLS, off, 4)
		t.Add(l, fMPLSLabel, off, 3, e>>12)
		t.Add(l, fMPLSExp, off+2, 1, e>>9&7)
		t.Add(l, fMPLSBottom, off+2, 1, e>>8&1)
		t.Add(l, fMPLSTTL, off+3, 1, e&0xff)
		off += 4
		if e&0x100 != 0 {
			break
		}
	}
	switch n := t.Avail(off, end); {
	case n == 0 && off < end:
		cut()
	case n == 0:
		t.Mark(l, Malformed)
	case t.U8(off)>>4 == 4:
		tunnelEthertype(t, 0x0800, off, end)
	case t.U8(off)>>4 == 6:
		tunnelEthertype(t, 0x86dd, off, end)
	default:
		DissectData(t, off, end)
	}
}

// textMPLS prints the stack from layer l as tcpdump does, "MPLS (label 21,
// tc 0, [S], ttl 63)" an entry, then its payload after a space or, with
// -v, on the next line after a tab.
func textMPLS(p *Printer, l int) {
	t := &p.t
	if l > 0 && p.Proto(l-1) == protoMPLS {
		return // printed with the stack's first entry
	}
	sep := " "
	if p.opt.Verbose > 0 {
		sep = "\n\t"
	}
	p.b = append(p.b, "MPLS"...)
	bottom := false
	for ; p.Proto(l) == protoMPLS; l++ {
		n := p.Node(l)
		label, ok := t.Value(n, fMPLSLabel)
		if !ok {
			p.b = append(p.b, " [|mpls]"...)
			return
		}
		if p.Proto(l-1) == protoMPLS {
			p.b = append(p.b, sep...)
		} else {
			p.b = append(p.b, ' ')
		}
		p.b = append(p.b, "(label "...)
		p.b = strconv.AppendUint(p.b, label, 10)
		if p.opt.Verbose > 0 && label < 16 {
			name := "rsvd"
			if label < uint64(len(mplsReserved)) {
				name = mplsReserved[label]
			}
			p.b = append(p.b, " ("...)
			p.b = append(p.b, name...)
			p.b = append(p.b, ')')
		}
		exp, _ := t.Value(n, fMPLSExp)
		p.b = append(p.b, ", tc "...)
		p.b = strconv.AppendUint(p.b, exp, 10)
		s, _ := t.Value(n, fMPLSBottom)
		if bottom = s != 0; bottom {
			p.b = append(p.b, ", [S]"...)
		}
		ttl, _ := t.Value(n, fMPLSTTL)
		p.b = append(p.b, ", ttl "...)
		p.b = strconv.AppendUint(p.b, ttl, 10)
		p.b = append(p.b, ')')
	}
	last := t.Nodes[p.Node(l-1)].Flags
	switch {
	case last&Truncated != 0:
		p.b = append(p.b, " [|mpls]"...)
	case last&Malformed != 0 && !bottom:
		p.b = append(p.b, " (invalid)"...)
	case p.Proto(l) == protoData:
		p.linkData(l)
	case p.Proto(l) != 0:
		p.b = append(p.b, sep...)
		p.Layer(l)
	}
}
