package decode

// RSVP (RFC 2205, RSVP-TE RFC 3209), IP protocol 46: an 8-byte common
// header (version and flags, message type, checksum, send TTL, length),
// then objects of a 16-bit length, a class and a C-type. decode walks the
// objects as tshark does, from the header to the end of the datagram, and
// reads inside them only where tshark finds faults: the subobjects of an
// explicit or record route (RFC 3209 4.3.3, 4.4.1) and of a generalized
// UNI object (RFC 4208 / OIF UNI), and the parameters of an Integrated
// Services sender TSPEC (RFC 2210 3.1).

import "strconv"

var (
	protoRSVP        = proto("rsvp", "Resource ReserVation Protocol (RSVP)")
	fRSVPVersion     = register(Field{Name: "rsvp.version", Title: "RSVP Version", Type: TypeUint8, Mask: 0xf0})
	fRSVPFlags       = register(Field{Name: "rsvp.flags", Title: "Flags", Type: TypeUint8, Mask: 0x0f, Hex: true})
	fRSVPMsg         = enumField("rsvp.msg", "Message Type", TypeUint8, rsvpMsgNames)
	fRSVPChecksum    = register(Field{Name: "rsvp.message_checksum", Title: "Message Checksum", Type: TypeUint16, Hex: true})
	fRSVPSendTTL     = field("rsvp.sending_ttl", "Sending TTL", TypeUint8)
	fRSVPMsgLen      = field("rsvp.message_length", "Message length", TypeUint16)
	fRSVPObjLen      = field("rsvp.length", "Length", TypeUint16)
	fRSVPObjClass    = field("rsvp.object", "Object class", TypeUint8)
	fRSVPCType       = field("rsvp.ctype", "C-type", TypeUint32)
	fRSVPParameter   = field("rsvp.parameter", "Parameter", TypeUint8)
	fRSVPParamLen    = field("rsvp.parameter_length", "Parameter length", TypeUint16)
	fRSVPSubobjLen   = field("rsvp.ero_rro_subobjects.length", "Length", TypeUint8)
	fRSVPUnknownObj  = field("rsvp.obj_unknown", "Unknown object", TypeNone)
	fRSVPInvalidLen  = field("rsvp.invalid_length", "Invalid length", TypeNone)
	fRSVPParamUnkown = field("rsvp.parameter.unknown", "Unknown parameter", TypeNone)
	rsvpMalformed    = malformedItem("RSVP")

	// tcpdump's names of the message types.
	rsvpMsgNames = map[uint64]string{1: "Path", 2: "Resv", 3: "PathErr", 4: "ResvErr", 5: "PathTear",
		6: "ResvTear", 7: "ResvConf", 12: "Bundle", 13: "Acknowledgement", 14: "Hello (Old)", 15: "Refresh", 20: "Hello"}
)

// rsvpObjects are the fields of the objects by class, Wireshark's names;
// a class not here is an unknown object.
var rsvpObjects = func() map[uint8]FieldID {
	m := map[uint8]FieldID{}
	for _, o := range []struct {
		class       uint8
		name, title string
	}{
		{1, "rsvp.session", "SESSION"}, {3, "rsvp.hop", "HOP"}, {5, "rsvp.time", "TIME VALUES"},
		{8, "rsvp.style", "STYLE"}, {9, "rsvp.flowspec", "FLOWSPEC"}, {10, "rsvp.filter", "FILTERSPEC"},
		{11, "rsvp.sender", "SENDER TEMPLATE"}, {12, "rsvp.tspec", "SENDER TSPEC"}, {13, "rsvp.adspec", "ADSPEC"},
		{16, "rsvp.label", "LABEL"}, {19, "rsvp.label_request", "LABEL REQUEST"},
		{20, "rsvp.explicit_route", "EXPLICIT ROUTE"}, {21, "rsvp.record_route", "RECORD ROUTE"},
		{22, "rsvp.hello_obj", "HELLO Request/Ack"}, {131, "rsvp.restart", "RESTART CAPABILITY"},
		{207, "rsvp.session_attribute", "SESSION ATTRIBUTE"}, {229, "rsvp.generalized_uni", "GENERALIZED UNI"},
	} {
		m[o.class] = field(o.name, o.title, TypeNone)
	}
	return m
}()

const (
	rsvpHeaderLen   = 8
	rsvpEROClass    = 20
	rsvpRROClass    = 21
	rsvpTSpecClass  = 12
	rsvpGUNIClass   = 229
	rsvpIntServ     = 2   // C-type of an Integrated Services TSPEC
	rsvpTokenBucket = 127 // RFC 2210's token bucket parameter
	// rsvpBogus marks the invalid-length item of an object (rather than
	// of a subobject) in its value.
	rsvpBogus = 1 << 32
)

func init() {
	IPProtocols.Register(46, dissectRSVP)
	registerText(protoRSVP, textRSVP)
	expert(fRSVPInvalidLen, expertInfo{severity: SeverityError, group: GroupMalformed, protocol: "RSVP",
		summary: func(t *Tree, l, n int, b []byte) []byte {
			v := t.Nodes[n].Val
			if v&rsvpBogus != 0 {
				b = strconv.AppendUint(append(b, "Length: "...), v&^rsvpBogus, 10)
				return append(b, " (bogus, must be >= 4)"...)
			}
			return strconv.AppendUint(append(b, "Invalid length: "...), v, 10)
		}})
	expert(fRSVPParamUnkown, expertInfo{severity: SeverityWarning, group: GroupProtocol, protocol: "RSVP",
		summary: func(t *Tree, l, n int, b []byte) []byte {
			b = strconv.AppendUint(append(b, "Unknown parameter "...), t.Nodes[n].Val>>16, 10)
			return append(strconv.AppendUint(append(b, ", "...), t.Nodes[n].Val&0xffff, 10), " words"...)
		}})
}

func dissectRSVP(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoRSVP, off, end, 1)
	if !ok {
		return
	}
	t.Add(l, fRSVPVersion, off, 1, t.U8(off)>>4)
	t.Add(l, fRSVPFlags, off, 1, t.U8(off)&0xf)
	if n < rsvpHeaderLen {
		if end-off < rsvpHeaderLen {
			t.malformed(l, rsvpMalformed, off)
		} else {
			t.Mark(l, Truncated)
		}
		return
	}
	t.Add(l, fRSVPMsg, off+1, 1, t.U8(off+1))
	t.Add(l, fRSVPChecksum, off+2, 2, t.U16(off+2))
	t.Add(l, fRSVPSendTTL, off+4, 1, t.U8(off+4))
	t.Add(l, fRSVPMsgLen, off+6, 2, t.U16(off+6))
	for o := off + rsvpHeaderLen; o < end; {
		if o+4 > len(t.Data) || end-o < 4 {
			rsvpStop(t, l, o, end)
			return
		}
		olen, class := int(t.U16(o)), uint8(t.U8(o+2))
		f, known := rsvpObjects[class]
		if !known {
			f = fRSVPUnknownObj
		}
		if olen < 4 {
			ob := t.Add(l, f, o, 0, 0)
			ln := t.Add(ob, fRSVPObjLen, o, 2, uint64(olen))
			t.Nodes[t.Add(ln, fRSVPInvalidLen, o, 0, rsvpBogus|uint64(olen))].Flags |= Generated
			return
		}
		ob := t.Add(l, f, o, olen, 0)
		t.Add(ob, fRSVPObjLen, o, 2, uint64(olen))
		t.Add(ob, fRSVPObjClass, o+2, 1, uint64(class))
		t.Add(ob, fRSVPCType, o+3, 1, t.U8(o+3))
		oend := o + olen
		if oend > end {
			oend = end
		}
		stop := false
		switch class {
		case rsvpEROClass, rsvpRROClass:
			stop = rsvpRouteSubobjects(t, ob, o+4, oend)
		case rsvpGUNIClass:
			stop = rsvpUNISubobjects(t, ob, o+4, oend)
		case rsvpTSpecClass:
			if t.U8(o+3) == rsvpIntServ {
				stop = rsvpTSpecParams(t, ob, o+4, end)
			}
		}
		if stop {
			rsvpStop(t, l, o, end)
			return
		}
		if o+olen > len(t.Data) {
			// The object's contents were not captured.
			rsvpStop(t, l, o, end)
			return
		}
		o += olen
	}
}

// rsvpStop ends layer l where its bytes at o ran out: the capture's end
// (tshark's short packet) or, when the datagram itself is that short, the
// datagram's (a malformed packet).
func rsvpStop(t *Tree, l, o, end int) {
	if end > len(t.Data) {
		t.Mark(l, Truncated)
		return
	}
	t.malformed(l, rsvpMalformed, o)
}

// rsvpRouteSubobjects reads the subobjects of an explicit or record route
// at [o, end): a type byte and a length that counts them; a length of 0
// ends them with tshark's error. It reports true when the capture ended
// first.
func rsvpRouteSubobjects(t *Tree, ob, o, end int) bool {
	for o < end {
		if o+2 > len(t.Data) {
			return true
		}
		sl := int(t.U8(o + 1))
		ln := t.Add(ob, fRSVPSubobjLen, o+1, 1, uint64(sl))
		if sl == 0 {
			t.Nodes[t.Add(ln, fRSVPInvalidLen, o+1, 1, 0)].Flags |= Generated
			return false
		}
		o += sl
	}
	return false
}

// rsvpUNISubobjects reads the subobjects of a generalized UNI object: a
// 16-bit length, a type and a subtype. A length of 0 ends them with the
// error; one of less than 4 ends them too.
func rsvpUNISubobjects(t *Tree, ob, o, end int) bool {
	for o < end {
		if o+4 > len(t.Data) {
			return true
		}
		sl := int(t.U16(o))
		ln := t.Add(ob, fRSVPSubobjLen, o, 2, uint64(sl))
		if sl == 0 {
			t.Nodes[t.Add(ln, fRSVPInvalidLen, o, 2, 0)].Flags |= Generated
			return false
		}
		if sl < 4 {
			return false
		}
		o += sl
	}
	return false
}

// rsvpTSpecParams reads an Integrated Services TSPEC at o: its message
// header, a service header whose length (in 32-bit words) bounds the
// parameters, then parameters of an ID, flags and a length in words. A
// parameter other than the token bucket is unknown, with tshark's warning
// (which counts its header word in its length). The service's length, not
// the object's, bounds the walk, so it may read on into the next object,
// as tshark does, up to end. It reports true when the capture ended first.
func rsvpTSpecParams(t *Tree, ob, o, end int) bool {
	if o+8 > len(t.Data) || o+8 > end {
		return true
	}
	words := int(t.U16(o + 6))
	p := o + 8
	for words > 0 {
		if p+4 > len(t.Data) || p+4 > end {
			return true
		}
		id, plen := t.U8(p), int(t.U16(p+2))
		pi := t.Add(ob, fRSVPParameter, p, 1, id)
		t.Add(pi, fRSVPParamLen, p+2, 2, uint64(plen))
		if id != rsvpTokenBucket {
			t.Nodes[t.Add(pi, fRSVPParamUnkown, p, 4, id<<16|uint64(plen+1))].Flags |= Generated
		}
		words -= plen + 1
		p += 4 * (plen + 1)
	}
	return false
}

// textRSVP prints tcpdump's line, "RSVPv1 Hello Message, length: 40", the
// length the IP payload's; decode does not print the objects -v adds.
func textRSVP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off, length, avail := layerBytes(t, n)
	if avail < 1 {
		p.b = append(p.b, " [|rsvp]"...)
		return
	}
	if v := t.U8(off) >> 4; v != 1 {
		p.b = append(p.b, "ERROR: RSVP version "...)
		p.b = strconv.AppendUint(p.b, v, 10)
		p.b = append(p.b, " packet not supported"...)
		return
	}
	if avail < rsvpHeaderLen {
		p.b = append(p.b, " [|rsvp]"...)
		return
	}
	typ := t.U8(off + 1)
	p.b = append(p.b, "RSVPv1 "...)
	if s, ok := rsvpMsgNames[typ]; ok {
		p.b = append(p.b, s...)
	} else {
		p.b = strconv.AppendUint(append(p.b, "unknown ("...), typ, 10)
		p.b = append(p.b, ')')
	}
	p.b = append(p.b, " Message, length: "...)
	p.b = strconv.AppendInt(p.b, int64(length), 10)
}
