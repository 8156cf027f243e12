package decode

// PPP over Ethernet (RFC 2516): ethertype 0x8863 the discovery stage, 0x8864
// the session stage, both after a 6-byte header of version and type (a
// nibble each), code, session ID and payload length. A discovery packet's
// payload is tags (a type and a length of 2 bytes each, then the value); a
// session's is a PPP frame without address and control (ppp.go).

import "strconv"

var (
	protoPPPoED    = proto("pppoed", "PPP-over-Ethernet Discovery")
	protoPPPoES    = proto("pppoes", "PPP-over-Ethernet Session")
	fPPPoEVersion  = register(Field{Name: "pppoe.version", Title: "Version", Type: TypeUint8, Mask: 0xf0})
	fPPPoEType     = register(Field{Name: "pppoe.type", Title: "Type", Type: TypeUint8, Mask: 0x0f})
	fPPPoECode     = register(Field{Name: "pppoe.code", Title: "Code", Type: TypeUint8, Hex: true, Values: pppoeCodeNames})
	fPPPoESession  = register(Field{Name: "pppoe.session_id", Title: "Session ID", Type: TypeUint16, Hex: true})
	fPPPoEPayload  = field("pppoe.payload_length", "Payload Length", TypeUint16)
	fPPPoEDTags    = field("pppoed.tags", "PPPoE Tags", TypeNone)
	fPPPoEDTag     = register(Field{Name: "pppoed.tag", Title: "Tag", Type: TypeUint16, Hex: true, Values: pppoeTagNames})
	fPPPoEDTagLen  = field("pppoed.tag_length", "Tag Length", TypeUint16)
	fPPPoEDTagData = field("pppoed.tag.unknown_data", "Unknown Data", TypeBytes)
)

// pppoeCodeNames are the codes' names as tcpdump prints them.
var pppoeCodeNames = map[uint64]string{
	0x00: "",
	0x07: "PADO",
	0x09: "PADI",
	0x19: "PADR",
	0x65: "PADS",
	0xa7: "PADT",
}

// pppoeTagNames are the tags of RFC 2516 and RFC 4638 as tcpdump names them.
var pppoeTagNames = map[uint64]string{
	0x0000: "EOL",
	0x0101: "Service-Name",
	0x0102: "AC-Name",
	0x0103: "Host-Uniq",
	0x0104: "AC-Cookie",
	0x0105: "Vendor-Specific",
	0x0110: "Relay-Session-ID",
	0x0120: "PPP-Max-Payload",
	0x0201: "Service-Name-Error",
	0x0202: "AC-System-Error",
	0x0203: "Generic-Error",
}

func init() {
	Ethertypes.Register(0x8863, dissectPPPoED)
	Ethertypes.Register(0x8864, dissectPPPoES)
	registerText(protoPPPoED, textPPPoE)
	registerText(protoPPPoES, textPPPoE)
	shortNames["pppoed"] = "PPPoED"
	shortNames["pppoes"] = "PPPoES"
}

// pppoeHeader reads the 6-byte header into layer l and returns where the
// payload ends (by its length, within end), ok false when it was cut short.
func pppoeHeader(t *Tree, p FieldID, off, end int) (l, stop int, ok bool) {
	l, _, ok = t.StartLayer(p, off, end, 6)
	if !ok {
		return l, 0, false
	}
	b := t.U8(off)
	t.Add(l, fPPPoEVersion, off, 1, b>>4)
	t.Add(l, fPPPoEType, off, 1, b&15)
	t.Add(l, fPPPoECode, off+1, 1, t.U8(off+1))
	t.Add(l, fPPPoESession, off+2, 2, t.U16(off+2))
	pl := int(t.U16(off + 4))
	t.Add(l, fPPPoEPayload, off+4, 2, uint64(pl))
	stop = off + 6 + pl
	if stop > end {
		stop = end
	}
	return l, stop, true
}

func dissectPPPoED(t *Tree, off, end int) {
	l, stop, ok := pppoeHeader(t, protoPPPoED, off, end)
	if !ok {
		return
	}
	p := off + 6
	if p >= stop {
		return
	}
	tags := t.Add(l, fPPPoEDTags, p, stop-p, 0)
	for p+4 <= stop {
		if t.Avail(p, stop) < 4 {
			t.Mark(l, Truncated)
			return
		}
		ty, n := t.U16(p), int(t.U16(p+2))
		g := t.Add(tags, fPPPoEDTag, p, 4+n, ty)
		t.Add(g, fPPPoEDTagLen, p+2, 2, uint64(n))
		if p+4+n > stop {
			t.Mark(l, Malformed)
			return
		}
		if t.Avail(p+4, p+4+n) < n {
			t.Mark(l, Truncated)
			return
		}
		if n > 0 {
			t.AddBytes(g, fPPPoEDTagData, p+4, n)
		}
		p += 4 + n
	}
}

func dissectPPPoES(t *Tree, off, end int) {
	_, stop, ok := pppoeHeader(t, protoPPPoES, off, end)
	if !ok {
		return
	}
	if t.Call(dissectPPP, off+6, stop) {
		return
	}
	DissectData(t, off+6, stop)
}

// textPPPoE prints tcpdump's "PPPoE PADI [Service-Name] [Host-Uniq
// 0x16372C16]" or, for a session, "PPPoE  [ses 0x17] " and the PPP frame.
func textPPPoE(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	p.b = append(p.b, "PPPoE "...)
	code, ok := t.Value(n, fPPPoECode)
	if !ok {
		p.b = append(p.b, "[|pppoe]"...)
		return
	}
	if s, ok := pppoeCodeNames[code]; ok {
		p.b = append(p.b, s...)
	} else {
		p.b = append(p.b, "Unknown(0x"...)
		p.b = append(p.b, hexDigits[code>>4], hexDigits[code&15])
		p.b = append(p.b, ')')
	}
	if sid, _ := t.Value(n, fPPPoESession); sid != 0 {
		p.b = append(p.b, " [ses 0x"...)
		p.b = strconv.AppendUint(p.b, sid, 16)
		p.b = append(p.b, ']')
	}
	if code == 0 {
		p.b = append(p.b, ' ')
		p.Layer(l + 1)
		return
	}
	for g := t.Find(n, fPPPoEDTag); g >= 0; g = t.FindNext(n, g, fPPPoEDTag) {
		ty := t.Nodes[g].Val
		if ty == 0 {
			break
		}
		p.b = append(p.b, " ["...)
		if s, ok := pppoeTagNames[ty]; ok {
			p.b = append(p.b, s...)
		} else {
			p.b = append(p.b, "unknown-0x"...)
			p.b = appendHex4(p.b, ty)
		}
		if d := t.Find(g, fPPPoEDTagData); d >= 0 {
			p.b = append(p.b, " 0x"...)
			for _, c := range t.Bytes(d) {
				p.b = append(p.b, "0123456789ABCDEF"[c>>4], "0123456789ABCDEF"[c&15])
			}
		}
		p.b = append(p.b, ']')
	}
	if t.Nodes[n].Flags&(Truncated|Malformed) != 0 {
		p.b = append(p.b, " [|pppoe]"...)
	}
}
