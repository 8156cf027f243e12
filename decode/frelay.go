package decode

// Frame Relay (LINKTYPE_FRELAY 107): a Q.922 address of two to four
// octets, the last with its extended-address (EA) bit set, carrying the
// DLCI and the FECN, BECN and DE bits. Then either Cisco's encapsulation, a
// 2-byte ethertype, or the multiprotocol encapsulation of RFC 2427: the
// unnumbered-information control byte 0x03, an optional padding byte, and
// an NLPID (0xcc IPv4, 0x8e IPv6, 0x80 SNAP, 0x81-0x83 OSI, 0x08 Q.933
// signalling). Any other control byte starts a LAPF frame, which Wireshark
// does not dissect either (its "lapf not yet implemented").

import (
	"strconv"

	"github.com/sockscope/sockscope/decode/wire"
)

var (
	protoFR        = proto("fr", "Frame Relay")
	fFRDLCI        = field("fr.dlci", "DLCI", TypeUint32)
	fFRCR          = field("fr.cr", "CR", TypeBoolean)
	fFRFECN        = field("fr.fecn", "FECN", TypeBoolean)
	fFRBECN        = field("fr.becn", "BECN", TypeBoolean)
	fFRDE          = field("fr.de", "DE", TypeBoolean)
	fFRBogus       = field("fr.bogus_address", "Bogus extra address octet", TypeNone)
	fFRControl     = register(Field{Name: "fr.control", Title: "Control Field", Type: TypeUint8, Hex: true})
	fFRLAPF        = field("fr.frame_relay.lapf", "Frame relay lapf not yet implemented", TypeNone)
	fFRNLPID       = register(Field{Name: "fr.nlpid", Title: "NLPID", Type: TypeUint8, Hex: true})
	fFRSNAPOUI     = register(Field{Name: "fr.snap.oui", Title: "Organization Code", Type: TypeUint24, Hex: true})
	fFRSNAPPID     = register(Field{Name: "fr.snap.pid", Title: "Protocol ID", Type: TypeUint16, Hex: true})
	fFRCiscoType   = register(Field{Name: "fr.chdlctype", Title: "Type", Type: TypeUint16, Hex: true, Values: etherTypeNames})
	fFRAddressSize = field("fr.address_length", "Address length", TypeUint8)
	fFRDC          = field("fr.dc", "DC", TypeBoolean)

	// protoText is Wireshark's item of a line of text a dissector adds,
	// at the top of the tree: Frame Relay's LAPF notice, before the data.
	protoText = proto("text", "Text item")
)

func init() {
	LinkTypes.Register(uint32(wire.LinkFrameRelay), dissectFR)
	registerText(protoFR, textFR)
	expert(fFRBogus, expertInfo{severity: SeverityWarning, group: GroupProtocol, protocol: "FR", message: "Bogus extra address octet"})
	expert(fFRLAPF, expertInfo{severity: SeverityWarning, group: GroupUndecoded, protocol: "FR", message: "Frame relay lapf not yet implemented"})
	shortNames["fr"] = "FR"
}

// frNLPIDEthertypes are the NLPIDs dissected by an ethertype's dissector.
var frNLPIDEthertypes = map[uint64]uint32{0xcc: 0x0800, 0x8e: 0x86dd}

func dissectFR(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoFR, off, end, 2)
	if !ok {
		return
	}
	// The address: its octets up to the one with EA set; a fifth and later
	// are bogus, each an expert item.
	p := off
	for {
		if p-off >= n {
			t.Mark(l, Truncated)
			return
		}
		b := t.U8(p)
		if p-off >= 4 || p-off == 3 && b&1 == 0 {
			// A fourth octet is the last; one without EA is bogus.
			t.Nodes[t.Add(l, fFRBogus, p, 1, 0)].Flags |= Generated
		}
		p++
		if b&1 != 0 {
			break
		}
	}
	alen := p - off
	t.Nodes[t.Add(l, fFRAddressSize, off, 0, uint64(alen))].Flags |= Generated
	a0, a1 := t.U8(off), t.U8(off+1)
	dlci := a0>>2<<4 | a1>>4
	switch alen {
	case 3:
		// The final octet holds DLCI bits unless its DC bit says it is
		// DL-CORE control.
		if t.U8(off+2)&2 == 0 {
			dlci = dlci<<6 | t.U8(off+2)>>2
		}
	case 4:
		dlci = dlci<<7 | t.U8(off+2)>>1
		if t.U8(off+3)&2 == 0 {
			dlci = dlci<<6 | t.U8(off+3)>>2
		}
	}
	t.Add(l, fFRCR, off, 1, a0>>1&1)
	t.Add(l, fFRFECN, off+1, 1, a1>>3&1)
	t.Add(l, fFRBECN, off+1, 1, a1>>2&1)
	t.Add(l, fFRDE, off+1, 1, a1>>1&1)
	if alen <= 4 {
		t.Add(l, fFRDLCI, off, alen, dlci)
	}
	if t.NetOff == off {
		t.NetOff = p
	}
	left := t.Avail(p, end)
	if left >= 2 && t.U8(p) != 0x03 {
		if et := t.U16(p); et > 1500 && Ethertypes.Lookup(uint32(et)) != nil {
			t.Add(l, fFRCiscoType, p, 2, et)
			dispatchEthertype(t, et, p+2, end)
			return
		}
	}
	if left < 1 {
		if p < end {
			t.Mark(l, Truncated)
		}
		return
	}
	c := t.U8(p)
	dc := alen == 4 || alen == 3 && t.U8(off+2)&2 == 0
	if alen == 3 {
		t.Add(l, fFRDC, off+2, 1, t.U8(off+2)>>1&1)
	}
	switch {
	case c == 0x03:
		t.Add(l, fFRControl, p, 1, c)
		p++
	case dc:
		// After a DL-CORE address, a 2-byte numbered control field
		// and the NLPID straight after it.
		if left < 3 {
			t.Mark(l, Truncated)
			return
		}
		t.Add(l, fFRControl, p, 2, c)
		p += 2
		frNLPID(t, l, p, end)
		return
	case alen == 3:
		t.Add(l, fFRControl, p, 1, c)
		t.Nodes[t.Add(l, fFRLAPF, p, 1, 0)].Flags |= Generated
		t.AddLayer(protoText, p, 0)
		DissectData(t, p+1, end)
		return
	default:
		DissectData(t, p, end)
		return
	}
	if t.Avail(p, end) < 1 {
		if p < end {
			t.Mark(l, Truncated)
		}
		return
	}
	if t.U8(p) == 0 {
		p++ // padding
		if t.Avail(p, end) < 1 {
			t.Mark(l, Truncated)
			return
		}
	}
	frNLPID(t, l, p, end)
}

// frNLPID reads the NLPID at p and dissects what it names.
func frNLPID(t *Tree, l, p, end int) {
	nl := t.U8(p)
	t.Add(l, fFRNLPID, p, 1, nl)
	if et, ok := frNLPIDEthertypes[nl]; ok {
		dispatchEthertype(t, uint64(et), p+1, end)
		return
	}
	if nl == 0x80 {
		if t.Avail(p+1, end) < 5 {
			t.Mark(l, Truncated)
			return
		}
		t.Add(l, fFRSNAPOUI, p+1, 3, t.U24(p+1))
		pid := t.U16(p + 4)
		t.Add(l, fFRSNAPPID, p+4, 2, pid)
		if t.U24(p+1) == 0 {
			dispatchEthertype(t, pid, p+6, end)
			return
		}
		DissectData(t, p+6, end)
		return
	}
	if d := nlpidDissectors[nl]; d != nil {
		t.Call(d, p, end)
		return
	}
	DissectData(t, p+1, end)
}

// textFR prints nothing of the header by default for an ethertype's
// payload; otherwise tcpdump's "Q.922, hdr-len 2, DLCI 0, Flags [DE,
// FECN], NLPID ... (0x22), length 72482: " with -e or for what it does not
// read.
func textFR(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	alen, ok := t.Value(n, fFRAddressSize)
	if !ok || alen > 4 {
		p.b = append(p.b, "Q.922, invalid address"...)
		return
	}
	next := p.Proto(l + 1)
	et, cisco := t.Value(n, fFRCiscoType)
	c, hasControl := t.Value(n, fFRControl)
	if !cisco && hasControl && c != 0x03 {
		p.b = append(p.b, "UI "...)
		p.b = append(p.b, hexDigits[c>>4], hexDigits[c&15])
		p.b = append(p.b, "! "...)
	}
	if p.opt.Link || next == 0 || next == protoData {
		p.b = append(p.b, "Q.922, hdr-len "...)
		p.b = strconv.AppendUint(p.b, alen, 10)
		p.b = append(p.b, ", DLCI "...)
		dlci, _ := t.Value(n, fFRDLCI)
		p.b = strconv.AppendUint(p.b, dlci, 10)
		p.b = append(p.b, ", Flags ["...)
		first := true
		for _, f := range [...]struct {
			id   FieldID
			name string
		}{{fFRCR, "C!"}, {fFRDE, "DE"}, {fFRFECN, "FECN"}, {fFRBECN, "BECN"}} {
			if v, _ := t.Value(n, f.id); v != 0 {
				if !first {
					p.b = append(p.b, ", "...)
				}
				first = false
				p.b = append(p.b, f.name...)
			}
		}
		if first {
			p.b = append(p.b, "none"...)
		}
		p.b = append(p.b, "], "...)
		if cisco {
			p.b = append(p.b, "cisco-ethertype "...)
			if s, ok := etherTypeNames[et]; ok {
				p.b = append(p.b, s...)
			} else {
				p.b = append(p.b, "Unknown"...)
			}
			p.b = append(p.b, " (0x"...)
			p.b = appendHex4(p.b, et)
			p.b = append(p.b, ')')
		} else if nl, ok := t.Value(n, fFRNLPID); ok {
			p.b = append(p.b, "NLPID "...)
			if s, ok := frNLPIDNames[nl]; ok {
				p.b = append(p.b, s...)
			} else {
				p.b = append(p.b, "unknown"...)
			}
			p.b = append(p.b, " (0x"...)
			p.b = append(p.b, hexDigits[nl>>4], hexDigits[nl&15])
			p.b = append(p.b, ')')
		}
		p.b = append(p.b, ", length "...)
		p.b = strconv.AppendInt(p.b, int64(t.CI.Length), 10)
		p.b = append(p.b, ": "...)
		if next == protoData {
			p.linkData(l + 1)
			return
		}
		if next == 0 {
			p.b = append(p.b, " [|fr]"...)
			return
		}
	}
	p.Layer(l + 1)
}

// frNLPIDNames are tcpdump's names of the NLPIDs.
var frNLPIDNames = map[uint64]string{
	0x08: "Q.933", 0x80: "SNAP", 0x81: "CLNP", 0x82: "ESIS", 0x83: "ISIS",
	0x8e: "IPv6", 0xb0: "FRF.15", 0xb1: "FRF.16", 0xcc: "IPv4",
}
