package decode

// The RPKI to Router protocol (RFC 6810 version 0, RFC 8210 version 1),
// TCP port 323: an 8-byte header (version, PDU type, session ID or flags
// or error code, length) and the PDU's fields by type, under Wireshark's
// field names. Several PDUs may share a segment and one may span segments
// (tcppdu.go); a length below the header's is tshark's Malformed Packet.
//
// tcpdump's text without -v is ", RPKI-RTR" after the TCP line.

var (
	protoRPKIRTR      = proto("rpkirtr", "RPKI-Router Protocol")
	fRPKIVersion      = field("rpki-rtr.version", "Version", TypeUint8)
	fRPKIPDUType      = enumField("rpki-rtr.pdu_type", "PDU Type", TypeUint8, rpkiPDUTypes)
	fRPKISessionID    = field("rpki-rtr.session_id", "Session ID", TypeUint16)
	fRPKIReserved     = field("rpki-rtr.reserved", "Reserved", TypeBytes)
	fRPKIErrorCode    = field("rpki-rtr.error_code", "Error Code", TypeUint16)
	fRPKILength       = field("rpki-rtr.length", "Length", TypeUint32)
	fRPKISerial       = field("rpki-rtr.serial_number", "Serial Number", TypeUint32)
	fRPKIFlags        = register(Field{Name: "rpki-rtr.flags", Title: "Flags", Type: TypeUint8, Hex: true})
	fRPKIPrefixLength = field("rpki-rtr.prefix_length", "Prefix Length", TypeUint8)
	fRPKIMaxLength    = field("rpki-rtr.max_length", "Max length", TypeUint8)
	fRPKIIPv4Prefix   = field("rpki-rtr.ipv4_prefix", "IPv4 Prefix", TypeIPv4)
	fRPKIIPv6Prefix   = field("rpki-rtr.ipv6_prefix", "IPv6 Prefix", TypeIPv6)
	fRPKIASNumber     = field("rpki-rtr.as_number", "AS Number", TypeUint32)
	fRPKIRefresh      = field("rpki-rtr.refresh_interval", "Refresh Interval", TypeUint32)
	fRPKIRetry        = field("rpki-rtr.retry_interval", "Retry Interval", TypeUint32)
	fRPKIExpire       = field("rpki-rtr.expire_interval", "Expire Interval", TypeUint32)
	fRPKIErrorPDULen  = field("rpki-rtr.length_pdu", "Length of Encapsulated PDU", TypeUint32)
	fRPKIErrorTextLen = field("rpki-rtr.length_text", "Length of text", TypeUint32)
	fRPKISubjectKeyID = field("rpki-rtr.subject_key_identifier", "Subject Key Identifier", TypeBytes)
	fRPKIBadLength    = field("rpkirtr.bad_length", "Invalid length field", TypeNone)
	rpkiPDUTypes      = map[uint64]string{0: "Serial Notify", 1: "Serial Query", 2: "Reset Query", 3: "Cache Response",
		4: "IPv4 Prefix", 6: "IPv6 Prefix", 7: "End of Data", 8: "Cache Reset", 9: "Router Key", 10: "Error Report"}
)

// rpkiHeaderLen is the header's size (RFC 8210 section 5.1).
const rpkiHeaderLen = 8

func init() {
	registerTCPPDU(323, &tcpPDU{proto: protoRPKIRTR, name: "RPKI-Router Protocol", min: rpkiHeaderLen,
		length: func(b []byte) int {
			n := uint32(b[4])<<24 | uint32(b[5])<<16 | uint32(b[6])<<8 | uint32(b[7])
			return int(min(n, 1<<30))
		}, dissect: dissectRPKIRTR})
	registerText(protoRPKIRTR, func(p *Printer, l int) { p.b = append(p.b, ", RPKI-RTR"...) })
	expert(fRPKIBadLength, expertInfo{severity: SeverityError, group: GroupMalformed, protocol: "RPKI-Router Protocol", message: "Invalid length field"})
}

// dissectRPKIRTR reads the PDU [off, end).
func dissectRPKIRTR(t *Tree, off, end, stop int) {
	m := bgpMsg{t: t, end: end, seg: stop, cut: min(stop, len(t.Data))}
	m.l = t.AddLayer(protoRPKIRTR, off, end-off)
	if m.has(off, rpkiHeaderLen) {
		m.rpkiPDU(off)
	}
	m.finish(protoRPKIRTR, off)
}

// rpkiPDU reads the header at off and the fields of its type.
func (m *bgpMsg) rpkiPDU(off int) {
	t, l := m.t, m.l
	typ := t.U8(off + 1)
	t.Add(l, fRPKIVersion, off, 1, t.U8(off))
	tn := t.Add(l, fRPKIPDUType, off+1, 1, typ)
	if _, ok := rpkiPDUTypes[typ]; !ok {
		// tshark reads no further in a PDU of a type it does not know.
		t.Add(tn, fRPKIBadLength, off+1, 1, 0)
		return
	}
	switch typ {
	case 0, 1, 3, 7:
		t.Add(l, fRPKISessionID, off+2, 2, t.U16(off+2))
	case 10:
		t.Add(l, fRPKIErrorCode, off+2, 2, t.U16(off+2))
	default:
		t.AddBytes(l, fRPKIReserved, off+2, 2)
	}
	t.Add(l, fRPKILength, off+4, 4, t.U32(off+4))
	p := off + rpkiHeaderLen
	u32 := func(f FieldID) bool {
		if !m.has(p, 4) {
			return false
		}
		t.Add(l, f, p, 4, t.U32(p))
		p += 4
		return true
	}
	switch typ {
	case 0, 1:
		u32(fRPKISerial)
	case 4, 6:
		if !m.has(p, 4) {
			return
		}
		t.Add(l, fRPKIFlags, p, 1, t.U8(p))
		t.Add(l, fRPKIPrefixLength, p+1, 1, t.U8(p+1))
		t.Add(l, fRPKIMaxLength, p+2, 1, t.U8(p+2))
		p += 4
		f, n := fRPKIIPv4Prefix, 4
		if typ == 6 {
			f, n = fRPKIIPv6Prefix, 16
		}
		if !m.has(p, n) {
			return
		}
		t.AddBytes(l, f, p, n)
		p += n
		u32(fRPKIASNumber)
	case 7:
		if u32(fRPKISerial) && t.U8(off) >= 1 && u32(fRPKIRefresh) && u32(fRPKIRetry) {
			u32(fRPKIExpire)
		}
	case 9:
		if m.has(p, 24) {
			t.AddBytes(l, fRPKISubjectKeyID, p, 20)
			t.Add(l, fRPKIASNumber, p+20, 4, t.U32(p+20))
		}
	case 10:
		if !m.has(p, 4) {
			return
		}
		n := int(min(t.U32(p), 1<<30))
		t.Add(l, fRPKIErrorPDULen, p, 4, uint64(n))
		p += 4
		if !m.has(p, n) {
			return
		}
		p += n
		if !m.has(p, 4) {
			return
		}
		n = int(min(t.U32(p), 1<<30))
		t.Add(l, fRPKIErrorTextLen, p, 4, uint64(n))
		m.has(p+4, n)
	}
}
