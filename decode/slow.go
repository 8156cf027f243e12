package decode

// The Slow Protocols (IEEE 802.3 annex 57A), ethertype 0x8809: a subtype
// byte, then Link Aggregation Control (LACP, 1), its Marker protocol (2),
// Ethernet OAM (3) or an Organization Specific Slow Protocol (OSSP, 10).
// decode reads the subtype and each PDU's first fields; the rest it counts
// only to find where the PDU would pass the frame's end.

import "strconv"

var (
	protoSlow       = proto("slow", "Slow Protocols")
	fSlowSubtype    = register(Field{Name: "slow.subtype", Title: "Slow Protocols subtype", Type: TypeUint8, Values: slowSubtypes, Hex: true})
	protoLACP       = proto("lacp", "LACP")
	fLACPVersion    = register(Field{Name: "lacp.version", Title: "LACP Version", Type: TypeUint8, Hex: true})
	fLACPActorSys   = field("lacp.actor.sysid", "Actor System ID", TypeEther)
	fLACPActorKey   = field("lacp.actor.key", "Actor Key", TypeUint16)
	fLACPActorPort  = field("lacp.actor.port", "Actor Port", TypeUint16)
	fLACPPartnerSys = field("lacp.partner.sysid", "Partner System", TypeEther)
	fLACPPartnerKey = field("lacp.partner.key", "Partner Key", TypeUint16)
	fLACPPartnerPrt = field("lacp.partner.port", "Partner Port", TypeUint16)
	protoMarker     = proto("marker", "Marker")
	fMarkerVersion  = field("marker.version", "Version Number", TypeUint8)
	protoOAMPDU     = proto("oampdu", "OAMPDU")
	fOAMPDUFlags    = register(Field{Name: "oampdu.flags", Title: "Flags", Type: TypeUint16, Hex: true})
	fOAMPDUCode     = register(Field{Name: "oampdu.code", Title: "OAMPDU code", Type: TypeUint8, Hex: true})
	protoOSSP       = proto("ossp", "OSSP")
	fOSSPOUI        = register(Field{Name: "ossp.oui", Title: "OUI", Type: TypeUint24, Hex: true})
)

// slowSubtypes are the subtypes IEEE 802.3 annex 57A assigns.
var slowSubtypes = map[uint64]string{1: "LACP", 2: "Marker Protocol", 3: "OAM", 10: "Organization Specific Slow Protocol"}

// lacpBytes and markerBytes are the PDUs' fixed sizes after the subtype
// (the version, the TLVs, the terminator and the padding or reserved
// bytes to 110 octets); oampduBytes and osspBytes their headers'.
const (
	lacpBytes   = 109
	markerBytes = 109
	oampduBytes = 3
	osspBytes   = 3
)

func init() {
	Ethertypes.Register(0x8809, dissectSlow)
	registerText(protoSlow, textSlow)
	shortNames["slow"] = "802.3 Slow protocols"
	shortNames["lacp"] = "Link Aggregation Control Protocol"
	shortNames["marker"] = "Link Aggregation Marker Protocol"
	shortNames["oampdu"] = "Ethernet OAM PDU"
	shortNames["ossp"] = "Organization Specific Slow Protocol"
}

// dissectSlow reads the subtype and hands the PDU to its layer; a PDU
// shorter than its fixed size is Truncated where the capture cut it, else
// Malformed, as tshark reads the whole structure.
func dissectSlow(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoSlow, off, end, 1)
	if !ok {
		return
	}
	st := t.U8(off)
	t.Add(l, fSlowSubtype, off, 1, st)
	p := off + 1
	if n == 1 {
		// Nothing of the PDU was captured: tshark adds no layer for it.
		if p < end {
			t.Mark(l, Truncated)
		}
		return
	}
	var (
		pl   FieldID
		need int
	)
	switch st {
	case 1:
		pl, need = protoLACP, lacpBytes
	case 2:
		pl, need = protoMarker, markerBytes
	case 3:
		pl, need = protoOAMPDU, oampduBytes
	case 10:
		pl, need = protoOSSP, osspBytes
	default:
		DissectData(t, p, end)
		return
	}
	c := t.AddLayer(pl, p, end-p)
	have := n - 1
	switch st {
	case 1:
		t.Add(c, fLACPVersion, p, 1, t.U8(p))
		if have >= 21 {
			t.AddBytes(c, fLACPActorSys, p+5, 6)
			t.Add(c, fLACPActorKey, p+11, 2, t.U16(p+11))
			t.Add(c, fLACPActorPort, p+15, 2, t.U16(p+15))
		}
		if have >= 41 {
			t.AddBytes(c, fLACPPartnerSys, p+25, 6)
			t.Add(c, fLACPPartnerKey, p+31, 2, t.U16(p+31))
			t.Add(c, fLACPPartnerPrt, p+35, 2, t.U16(p+35))
		}
	case 2:
		t.Add(c, fMarkerVersion, p, 1, t.U8(p))
	case 3:
		if have >= 3 {
			t.Add(c, fOAMPDUFlags, p, 2, t.U16(p))
			t.Add(c, fOAMPDUCode, p+2, 1, t.U8(p+2))
		}
	case 10:
		if have >= 3 {
			t.Add(c, fOSSPOUI, p, 3, t.U24(p))
		}
	}
	if have < need {
		if p+have < end {
			t.Mark(c, Truncated)
		} else {
			t.Mark(c, Malformed)
		}
	}
}

// textSlow prints tcpdump's line: "LACPv1, length 110", "MARKERv1, length
// 110", "OAM, length 52", or for another subtype "unknown (10), length 52"
// and the PDU's bytes; " [|slow]" when the subtype and the byte after it
// were not captured.
func textSlow(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off, ln := int(t.Nodes[n].Off), int(t.Nodes[n].Len)
	have := t.Avail(off, off+ln)
	if have < 2 {
		p.b = append(p.b, " [|slow]"...)
		return
	}
	st, ver := t.U8(off), t.U8(off+1)
	switch st {
	case 1:
		p.b = append(p.b, "LACPv"...)
		p.b = strconv.AppendUint(p.b, ver, 10)
	case 2:
		p.b = append(p.b, "MARKERv"...)
		p.b = strconv.AppendUint(p.b, ver, 10)
	case 3:
		p.b = append(p.b, "OAM"...)
	default:
		p.b = append(p.b, "unknown ("...)
		p.b = strconv.AppendUint(p.b, st, 10)
		p.b = append(p.b, ')')
	}
	p.b = append(p.b, ", length "...)
	p.b = strconv.AppendInt(p.b, int64(ln), 10)
	// tcpdump dumps an unknown PDU whatever the options.
	if st > 3 {
		p.b = appendHexRows(p.b, t.Data[off:off+have], 0, false)
	}
}
