package decode

// RADIUS (RFC 2865, accounting RFC 2866, dynamic authorization RFC 5176) on
// UDP 1812, 1813, 1645, 1646, 1700 and 3799: a code, an identifier, a
// length and a 16-byte authenticator, then attributes of a type, a length
// and a value. An EAP-Message attribute (RFC 3579) carries EAP, of which
// decode reads the header (RFC 3748 section 4) for tshark's item on
// MD5-Challenge.
//
// tshark takes the datagram for RADIUS only when its code is one it knows
// and its length field is 20 to 4096; otherwise it is data. A length past
// the datagram stops it after the authenticator (a malformed packet), and
// an attribute shorter than 2 bytes, or longer than what the length leaves,
// ends the attributes with an item of its own.

import (
	"strconv"
	"strings"
)

var (
	protoRADIUS          = proto("radius", "RADIUS Protocol")
	fRADIUSCode          = enumField("radius.code", "Code", TypeUint8, radiusCodeNames)
	fRADIUSID            = register(Field{Name: "radius.id", Title: "Packet identifier", Type: TypeUint8, Hex: true})
	fRADIUSLength        = field("radius.length", "Length", TypeUint16)
	fRADIUSAuthenticator = field("radius.authenticator", "Authenticator", TypeBytes)
	fRADIUSAVP           = field("radius.avp", "AVP", TypeBytes)
	fRADIUSAVPType       = field("radius.avp.type", "Type", TypeUint8)
	fRADIUSAVPLength     = field("radius.avp.length", "Length", TypeUint8)
	fRADIUSEAPFragment   = field("radius.eap_fragment", "EAP fragment", TypeBytes)
	// The item of an attribute too short or too long, its length as value.
	fRADIUSInvalidLength = field("radius.invalid_length", "Invalid length", TypeNone)
	fRADIUSMalformed     = malformedItem("RADIUS")

	protoEAP      = proto("eap", "Extensible Authentication Protocol")
	fEAPCode      = enumField("eap.code", "Code", TypeUint8, map[uint64]string{1: "Request", 2: "Response", 3: "Success", 4: "Failure", 5: "Initiate", 6: "Finish"})
	fEAPID        = field("eap.id", "Id", TypeUint8)
	fEAPLen       = field("eap.len", "Length", TypeUint16)
	fEAPType      = field("eap.type", "Type", TypeUint8)
	fEAPMITM      = field("eap.mitm_attacks", "Vulnerable to MITM attacks", TypeNone)
	fEAPBadLen    = field("eap.len.bad", "Bad length", TypeNone)
	fEAPMalformed = malformedItem("EAP")
	radiusNames   = map[uint64]string{1: "Access-Request", 2: "Access-Accept", 3: "Access-Reject",
		4: "Accounting-Request", 5: "Accounting-Response", 11: "Access-Challenge", 12: "Status-Server",
		13: "Status-Client", 40: "Disconnect-Request", 41: "Disconnect-ACK", 42: "Disconnect-NAK",
		43: "CoA-Request", 44: "CoA-ACK", 45: "CoA-NAK", 255: "Reserved"}
)

// radiusCodeNames are the codes of the tree; tcpdump's names (radiusNames)
// are the same where both have one.
var radiusCodeNames = radiusNames

// radiusKnown are the codes tshark takes a datagram on a RADIUS port for
// RADIUS with: RFC 2865, 2866, 2882, 3575, 5176 and 6613's, as it was seen
// to accept them.
var radiusKnown = func() (k [256]bool) {
	for _, r := range [][2]int{{1, 13}, {21, 27}, {29, 34}, {40, 45}, {50, 51}, {129, 132}} {
		for c := r[0]; c <= r[1]; c++ {
			k[c] = true
		}
	}
	return k
}()

const (
	radiusHeaderLen = 20
	radiusMaxLen    = 4096 // RFC 2865 section 3
	radiusEAP       = 79   // EAP-Message, RFC 3579
	eapMD5          = 4    // MD5-Challenge, RFC 3748 section 5.4
)

func init() {
	for _, p := range []uint32{1645, 1646, 1700, 1812, 1813, 3799} {
		UDPPorts.Register(p, dissectRADIUS)
	}
	registerText(protoRADIUS, textRADIUS)
	expert(fRADIUSInvalidLength, expertInfo{severity: SeverityError, group: GroupMalformed, protocol: "RADIUS",
		summary: func(t *Tree, l, n int, b []byte) []byte {
			if v := t.Nodes[n].Val; v < 2 {
				return append(strconv.AppendUint(append(b, "AVP too short: length "...), v, 10), " < 2"...)
			}
			return append(b, "Not enough room in packet for AVP"...)
		}})
	expert(fEAPMITM, expertInfo{severity: SeverityWarning, group: GroupSecurity, protocol: "EAP",
		message: "Vulnerable to MITM attacks. If possible, change EAP type."})
	expert(fEAPBadLen, expertInfo{severity: SeverityWarning, group: GroupProtocol, protocol: "EAP",
		message: "Bad length (too small or too large)"})
}

// malformedItem declares the expert item tshark gives a packet whose
// dissection stopped in protocol short (tshark's name of it, "RADIUS") on
// bytes that were not there: "Malformed Packet (Exception occurred)". A
// field per protocol, as the item's protocol is its field's.
func malformedItem(short string) FieldID {
	f := field("_ws.malformed.expert."+strings.ToLower(short), "Malformed Packet (Exception occurred)", TypeNone)
	expert(f, expertInfo{severity: SeverityError, group: GroupMalformed, protocol: short,
		message: "Malformed Packet (Exception occurred)"})
	return f
}

// malformed ends layer l as tshark ends a dissection that reads past its
// data: marked Malformed, with item f at off.
func (t *Tree) malformed(l int, f FieldID, off int) {
	t.Nodes[t.Add(l, f, off, 0, 0)].Flags |= Generated
	t.Mark(l, Malformed)
}

func dissectRADIUS(t *Tree, off, end int) {
	n := t.Avail(off, end)
	if n > 0 && n == end-off && n < 4 {
		// Too short to tell: tshark's try at RADIUS fails as it reads.
		m := t.AddLayer(protoMalformed, off, end-off)
		t.Nodes[t.Add(m, fRADIUSMalformed, off, 0, 0)].Flags |= Generated
		return
	}
	if n < 4 || !radiusKnown[t.U8(off)] || t.U16(off+2) < radiusHeaderLen || t.U16(off+2) > radiusMaxLen {
		if n > 0 {
			DissectData(t, off, end)
		}
		return
	}
	l := t.AddLayer(protoRADIUS, off, end-off)
	t.Add(l, fRADIUSCode, off, 1, t.U8(off))
	t.Add(l, fRADIUSID, off+1, 1, t.U8(off+1))
	length := int(t.U16(off + 2))
	t.Add(l, fRADIUSLength, off+2, 2, uint64(length))
	if n < radiusHeaderLen {
		if end-off < radiusHeaderLen {
			t.malformed(l, fRADIUSMalformed, off+4)
		} else {
			t.Mark(l, Truncated)
		}
		return
	}
	t.AddBytes(l, fRADIUSAuthenticator, off+4, 16)
	if length > end-off {
		t.malformed(l, fRADIUSMalformed, off+radiusHeaderLen)
		return
	}
	aend := off + length
	for o := off + radiusHeaderLen; o < aend; {
		if o+2 > len(t.Data) {
			t.Mark(l, Truncated)
			return
		}
		typ, alen := t.U8(o), int(t.U8(o+1))
		if alen < 2 {
			t.Nodes[t.Add(l, fRADIUSInvalidLength, o+1, 1, uint64(alen))].Flags |= Generated
			return
		}
		if o+alen > aend {
			t.Nodes[t.Add(l, fRADIUSInvalidLength, o+1, 1, uint64(alen))].Flags |= Generated
			return
		}
		a := t.AddBytes(l, fRADIUSAVP, o, alen)
		t.Add(a, fRADIUSAVPType, o, 1, typ)
		t.Add(a, fRADIUSAVPLength, o+1, 1, uint64(alen))
		if o+alen > len(t.Data) {
			t.Mark(a, Truncated)
			return
		}
		if typ == radiusEAP {
			t.AddBytes(a, fRADIUSEAPFragment, o+2, alen-2)
			if !radiusEAPSeen(t, l, a) && !radiusEAPHeader(t, a, o+2, o+alen) {
				t.Mark(l, Malformed)
				return
			}
		}
		o += alen
	}
}

// radiusEAPSeen reports whether an EAP-Message attribute of layer l came
// before attribute a: an EAP packet longer than one attribute continues in
// the next, and its header is the first one's.
func radiusEAPSeen(t *Tree, l, a int) bool {
	for i := l + 1; i < a; i++ {
		if t.Nodes[i].Field == fRADIUSEAPFragment {
			return true
		}
	}
	return false
}

// radiusEAPHeader adds the header of the EAP packet at [off, end) under
// attribute a: code, identifier, length and, for a request or response,
// the type, with tshark's warning on MD5-Challenge. It reports false,
// after tshark's malformed-packet item, when the attribute holds less than
// the header or the length says: an EAP packet is read from one attribute
// alone (one split over several is not put together).
func radiusEAPHeader(t *Tree, a, off, end int) bool {
	if end == off {
		return true
	}
	if end-off < 4 {
		t.Nodes[t.Add(a, fEAPMalformed, off, 0, 0)].Flags |= Generated
		return false
	}
	code := t.U8(off)
	t.Add(a, fEAPCode, off, 1, code)
	t.Add(a, fEAPID, off+1, 1, t.U8(off+1))
	elen := int(t.U16(off + 2))
	le := t.Add(a, fEAPLen, off+2, 2, uint64(elen))
	if code != 1 && code != 2 {
		return true
	}
	if end-off < 5 {
		t.Nodes[t.Add(a, fEAPMalformed, off+4, 0, 0)].Flags |= Generated
		return false
	}
	typ := t.U8(off + 4)
	ty := t.Add(a, fEAPType, off+4, 1, typ)
	if elen > end-off {
		t.Nodes[t.Add(le, fEAPBadLen, off+2, 2, 0)].Flags |= Generated
		t.Nodes[t.Add(a, fEAPMalformed, off+4, 0, 0)].Flags |= Generated
		return false
	}
	if typ == eapMD5 {
		t.Nodes[t.Add(ty, fEAPMITM, off+4, 1, 0)].Flags |= Generated
	}
	return true
}

// textRADIUS prints tcpdump's line, "RADIUS, Access-Request (1), id: 0x05
// length: 139", the length the datagram's; decode does not print the
// attributes -v adds.
func textRADIUS(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off, length, avail := udpLayerSpan(t, n)
	if avail < radiusHeaderLen || length < radiusHeaderLen {
		p.b = append(p.b, " [|radius]"...)
		return
	}
	code := t.U8(off)
	p.b = append(p.b, "RADIUS, "...)
	if s, ok := radiusNames[code]; ok {
		p.b = append(p.b, s...)
	} else {
		p.b = append(p.b, "Unknown Command"...)
	}
	p.b = append(p.b, " ("...)
	p.b = strconv.AppendUint(p.b, code, 10)
	p.b = append(p.b, "), id: 0x"...)
	p.b = appendHex2(p.b, t.U8(off+1))
	p.b = append(p.b, " length: "...)
	p.b = strconv.AppendInt(p.b, int64(length), 10)
}
