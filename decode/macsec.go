package decode

// IEEE 802.1AE MAC security (ethertype 0x88e5): the SecTAG, then either the
// protected frame's ethertype and payload or, encrypted or changed, opaque
// bytes; a 16-byte integrity check value ends the frame.

import "strconv"

var (
	protoMACsec    = proto("macsec", "802.1AE Security tag")
	fMACsecTCI     = register(Field{Name: "macsec.TCI", Title: "TCI", Type: TypeUint8, Mask: 0xfc, Hex: true})
	fMACsecTCIV    = register(Field{Name: "macsec.TCI.V", Title: "VER", Type: TypeUint8, Mask: 0x80, Hex: true})
	fMACsecTCIES   = flagField("macsec.TCI.ES", "ES", 0x40)
	fMACsecTCISC   = flagField("macsec.TCI.SC", "SC", 0x20)
	fMACsecTCISCB  = flagField("macsec.TCI.SCB", "SCB", 0x10)
	fMACsecTCIE    = flagField("macsec.TCI.E", "E", 0x08)
	fMACsecTCIC    = flagField("macsec.TCI.C", "C", 0x04)
	fMACsecAN      = register(Field{Name: "macsec.AN", Title: "AN", Type: TypeUint8, Mask: 0x03, Hex: true})
	fMACsecSL      = field("macsec.SL", "Short length", TypeUint8)
	fMACsecPN      = field("macsec.PN", "Packet number", TypeUint32)
	fMACsecSCISys  = field("macsec.SCI.system_identifier", "System Identifier", TypeEther)
	fMACsecSCIPort = field("macsec.SCI.port_identifier", "Port Identifier", TypeUint16)
	fMACsecEtype   = register(Field{Name: "macsec.etype", Title: "Ethertype", Type: TypeUint16, Values: etherTypeNames, Hex: true})
	fMACsecICV     = field("macsec.ICV", "ICV", TypeBytes)
	fMACsecProtLen = field("macsec.protected_len", "Protected length", TypeUint32)
)

func init() {
	Ethertypes.Register(0x88e5, dissectMACsec)
	registerText(protoMACsec, textMACsec)
}

const (
	macsecICVLength = 16
	macsecSC        = 0x20
	macsecE         = 0x08
	macsecC         = 0x04
)

func dissectMACsec(t *Tree, off, end int) {
	avail := t.Avail(off, end)
	if !t.Tcpdump && (avail < 2 || t.U8(off)&macsecSC != 0 && avail < 14 || avail < 6) {
		// tshark's dissector leaves a SecTAG not captured whole to data;
		// tcpdump's line says it is cut short.
		DissectData(t, off, end)
		return
	}
	l := t.AddLayer(protoMACsec, off, end-off)
	if avail < 2 {
		t.Mark(l, Truncated)
		macsecGiveUp(t, off, off)
		return
	}
	tci, sl := t.U8(off), t.U8(off+1)
	i := t.Add(l, fMACsecTCI, off, 1, tci>>2)
	t.Add(i, fMACsecTCIV, off, 1, tci>>7)
	t.Add(i, fMACsecTCIES, off, 1, tci>>6&1)
	t.Add(i, fMACsecTCISC, off, 1, tci>>5&1)
	t.Add(i, fMACsecTCISCB, off, 1, tci>>4&1)
	t.Add(i, fMACsecTCIE, off, 1, tci>>3&1)
	t.Add(i, fMACsecTCIC, off, 1, tci>>2&1)
	t.Add(l, fMACsecAN, off, 1, tci&3)
	t.Add(l, fMACsecSL, off+1, 1, sl)
	tag := 6
	if tci&macsecSC != 0 {
		tag += 8
	}
	if avail < tag {
		t.Mark(l, Truncated)
		macsecGiveUp(t, off, off)
		return
	}
	if tci&0x80 != 0 || sl > 63 {
		t.Mark(l, Malformed)
		macsecGiveUp(t, off, off)
		return
	}
	t.Add(l, fMACsecPN, off+2, 4, t.U32(off+2))
	if tci&macsecSC != 0 {
		t.AddBytes(l, fMACsecSCISys, off+6, 6)
		t.Add(l, fMACsecSCIPort, off+12, 2, t.U16(off+12))
	}
	if t.NetOff == off {
		t.NetOff = off + tag
	}
	if tci&(macsecE|macsecC) != 0 {
		DissectData(t, off+tag, end)
		return
	}
	// tcpdump wants the ICV and the short length's bytes captured; tshark
	// was seen to dissect what the SecTAG protects all the same, the
	// short length's bytes when it is set (the ICV then follows them).
	plen := end - off - tag - macsecICVLength
	if sl != 0 {
		plen = int(sl)
	}
	if macsecICVCut(avail, tag, sl) {
		// tcpdump stops at the SecTAG ("[|macsec]"); tshark leaves the
		// frame as data up to an ICV's length past the SecTAG.
		macsecGiveUp(t, off, off+tag)
		if avail <= tag+macsecICVLength {
			t.Mark(l, Truncated)
			return
		}
	}
	t.Add(l, fMACsecProtLen, off+tag, 0, uint64(plen))
	if icv := off + tag + plen; icv < off+avail {
		t.AddBytes(l, fMACsecICV, icv, min(macsecICVLength, off+avail-icv))
	}
	if plen < 2 || avail < tag+2 {
		if plen == 0 && t.NetOff == off+tag {
			// tcpdump finds the Ethernet type cut short: a single -x
			// dumps the frame from its first byte.
			t.NetOff = 0
		}
		return
	}
	et := t.U16(off + tag)
	t.Add(l, fMACsecEtype, off+tag, 2, et)
	if t.NetOff == off+tag {
		t.NetOff = off + tag + 2
	}
	if et == 0x88e5 {
		DissectData(t, off+tag+2, off+tag+plen)
		return
	}
	dispatchEthertype(t, et, off+tag+2, off+tag+plen)
}

// macsecICVCut tells whether tcpdump finds the ICV, or the bytes a short
// length sl promises, cut short by the capture, of a frame with avail bytes
// captured from a SecTAG of tag bytes.
func macsecICVCut(avail, tag int, sl uint64) bool {
	capped := avail - tag - macsecICVLength
	return capped < 0 || sl != 0 && int(sl) > capped
}

// macsecGiveUp: when the SecTAG is cut short or malformed, tcpdump gives up
// on the link layer and a single -x dumps nothing; netOff is where the link
// layer ends so far if the SecTAG follows it directly.
func macsecGiveUp(t *Tree, off, netOff int) {
	if t.NetOff == netOff && netOff >= off {
		t.NetOff = len(t.Data)
	}
}

func textMACsec(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	fl := t.Nodes[n].Flags
	pn, ok := t.Value(n, fMACsecPN)
	if fl&Malformed != 0 {
		p.b = append(p.b, " (invalid)"...)
		return
	}
	if !ok && fl&Truncated != 0 {
		p.b = append(p.b, " [|macsec]"...)
		return
	}
	tci, _ := t.Value(n, fMACsecTCI)
	tci <<= 2
	an, _ := t.Value(n, fMACsecAN)
	sl, _ := t.Value(n, fMACsecSL)
	encrypted := tci&(macsecE|macsecC) != 0
	if p.opt.Link || encrypted {
		if !p.opt.Link {
			p.macsecMACs(n)
			p.b = append(p.b, " 802.1AE MACsec, "...)
		}
		p.b = append(p.b, "an "...)
		p.b = strconv.AppendUint(p.b, an, 10)
		p.b = append(p.b, ", pn "...)
		p.b = strconv.AppendUint(p.b, pn, 10)
		p.b = append(p.b, ", flags "...)
		if tci&0x7c == 0 {
			p.b = append(p.b, "none"...)
		}
		for _, f := range [...]struct {
			bit  uint64
			name byte
		}{{macsecE, 'E'}, {macsecC, 'C'}, {0x40, 'S'}, {0x10, 'B'}, {macsecSC, 'I'}} {
			if tci&f.bit != 0 {
				p.b = append(p.b, f.name)
			}
		}
		p.b = append(p.b, ", "...)
		if sl != 0 {
			p.b = append(p.b, "sl "...)
			p.b = strconv.AppendUint(p.b, sl, 10)
			p.b = append(p.b, ", "...)
		}
		if i := t.Find(n, fMACsecSCISys); i >= 0 {
			p.b = append(p.b, "sci "...)
			for _, c := range t.Bytes(i) {
				p.b = append(p.b, hexDigits[c>>4], hexDigits[c&15])
			}
			port, _ := t.Value(n, fMACsecSCIPort)
			p.b = stpAppendHex16(p.b, port)
			p.b = append(p.b, ", "...)
		}
	}
	if encrypted {
		if p.Proto(l+1) == protoData {
			p.linkData(l + 1)
		}
		return
	}
	tag, off := 6, int(t.Nodes[n].Off)
	if tci&macsecSC != 0 {
		tag += 8
	}
	if fl&Truncated != 0 || macsecICVCut(t.Avail(off, off+int(t.Nodes[n].Len)), tag, sl) {
		p.b = append(p.b, " [|macsec]"...)
		return
	}
	et, ok := t.Value(n, fMACsecEtype)
	if !ok {
		if plen, _ := t.Value(n, fMACsecProtLen); plen == 1 {
			p.b = append(p.b, " [caplen 1 < 2]"...)
		} else {
			p.b = append(p.b, " [|ether]"...)
		}
		return
	}
	next := p.Proto(l + 1)
	if p.opt.Link {
		p.etherType(et)
		p.b = append(p.b, ", "...)
	} else if next == protoData {
		if e := t.Below(n, protoEth); e >= 0 {
			p.macsecMACs(n)
			p.b = append(p.b, ", "...)
			p.etherType(et)
			p.b = append(p.b, ", length "...)
			p.b = strconv.AppendInt(p.b, int64(t.Nodes[e].Len), 10)
			p.b = append(p.b, ": "...)
		}
	}
	if next == protoData {
		p.linkData(l + 1)
		return
	}
	p.Layer(l + 1)
}

// macsecMACs appends "src > dst" of the Ethernet header before the SecTAG.
func (p *Printer) macsecMACs(n int) {
	t := &p.t
	e := t.Below(n, protoEth)
	if e < 0 {
		return
	}
	if i := t.Find(e, fEthSrc); i >= 0 {
		p.b = appendHexColons(p.b, t.Bytes(i))
	}
	p.b = append(p.b, " > "...)
	if i := t.Find(e, fEthDst); i >= 0 {
		p.b = appendHexColons(p.b, t.Bytes(i))
	}
}
