package decode

import "strconv"

// The OSI network layer protocols, told apart by their first byte, the
// network layer protocol identifier (ISO/TR 9577): what LLC carries at SAP
// 0xfe and GRE at protocol type 0x00fe. decode reads CLNP (0x81), ES-IS
// (0x82) and IS-IS (0x83, isis.go); LLC's payload of any other NLPID is
// left as LLC's, GRE's is data.

// nlpidDissectors are the dissectors by NLPID, set by their files.
var nlpidDissectors [256]Dissector

func init() {
	// GRE takes its payload's dissector from the ethertypes; 0x00fe is
	// no ethertype an Ethernet frame can carry (a length there).
	Ethertypes.Register(0x00fe, dissectOSI)
}

// dissectOSI hands the bytes at off to the dissector of their NLPID.
func dissectOSI(t *Tree, off, end int) {
	if t.Avail(off, end) > 0 {
		if d := nlpidDissectors[t.Data[off]]; d != nil {
			d(t, off, end)
			return
		}
	}
	DissectData(t, off, end)
}

// nlpidKnown reports whether the byte at off is an NLPID decode reads.
func nlpidKnown(t *Tree, off, end int) bool {
	return t.Avail(off, end) > 0 && nlpidDissectors[t.Data[off]] != nil
}

// ES-IS (ISO 9542): a fixed header of 9 bytes, addresses by PDU type, then
// options up to the header's length. CLNP (ISO 8473): a fixed part of 9
// bytes, the destination and source addresses (a length byte each), the
// segmentation part when segmenting is permitted, options up to the header
// length, then a data PDU's payload.
var (
	protoESIS        = proto("esis", "ISO 9542 ESIS Routeing Information Exchange Protocol")
	fESISNLPID       = register(Field{Name: "esis.nlpi", Title: "Network Layer Protocol Identifier", Type: TypeUint8, Hex: true})
	fESISLength      = field("esis.length", "PDU Length", TypeUint8)
	fESISVersion     = field("esis.ver", "Version", TypeUint8)
	fESISReserved    = field("esis.res", "Reserved(==0)", TypeUint8)
	fESISType        = register(Field{Name: "esis.type", Title: "PDU Type", Type: TypeUint8, Mask: 0x1f})
	fESISHolding     = field("esis.htime", "Holding Time", TypeUint16)
	fESISChecksum    = register(Field{Name: "esis.chksum", Title: "Checksum", Type: TypeUint16, Hex: true})
	fESISBadChecksum = field("esis.bad_checksum", "Bad checksum", TypeNone)
	fESISTypeUnknown = field("esis.type.unknown", "Unknown ESIS packet type", TypeNone)
	// The "No Options for this PDU" items: tshark's osi.options.none,
	// under a name per protocol, as each names its own.
	fESISNoOptions = field("esis.options.none", "No Options for this PDU", TypeNone)

	protoCLNP        = proto("clnp", "ISO 8473/X.233 CLNP ConnectionLess Network Protocol")
	fCLNPNLPID       = register(Field{Name: "clnp.nlpi", Title: "Network Layer Protocol Identifier", Type: TypeUint8, Hex: true})
	fCLNPLen         = field("clnp.len", "HDR Length", TypeUint8)
	fCLNPVersion     = field("clnp.version", "Version", TypeUint8)
	fCLNPTTL         = field("clnp.ttl", "Holding Time", TypeUint8)
	fCLNPType        = field("clnp.type", "PDU Type", TypeUint8)
	fCLNPSegPermit   = flagField("clnp.cnf.segmentation", "Segmentation permitted", 0x80)
	fCLNPMoreSegs    = flagField("clnp.cnf.more_segments", "More segments", 0x40)
	fCLNPReportErr   = flagField("clnp.cnf.report_error", "Report error if PDU discarded", 0x20)
	fCLNPCnfType     = register(Field{Name: "clnp.cnf.type", Title: "Type", Type: TypeUint8, Mask: 0x1f, Values: clnpTypeNames})
	fCLNPPDULen      = field("clnp.pdu.len", "PDU length", TypeUint16)
	fCLNPChecksum    = field("clnp.checksum", "Checksum", TypeUint16)
	fCLNPDstLen      = field("clnp.dsap.len", "DAL", TypeUint8)
	fCLNPDst         = field("clnp.dsap", "DA", TypeBytes)
	fCLNPSrcLen      = field("clnp.ssap.len", "SAL", TypeUint8)
	fCLNPSrc         = field("clnp.ssap", "SA", TypeBytes)
	fCLNPNoOptions   = field("clnp.options.none", "No Options for this PDU", TypeNone)
	esisTypeNames    = map[uint64]string{2: "ESH", 4: "ISH", 6: "redirect"} // tcpdump's words
	clnpTypeNames    = map[uint64]string{1: "Error Report", 28: "Data", 29: "Multicast Data", 30: "Echo Request", 31: "Echo Response"}
	osiNLPIDTextName = map[uint8]string{0x81: "CLNP", 0x82: "ES-IS", 0x83: "IS-IS"}
)

func init() {
	nlpidDissectors[0x82] = dissectESIS
	nlpidDissectors[0x81] = dissectCLNP
	registerText(protoESIS, textESIS)
	registerText(protoCLNP, textCLNP)
	for _, x := range []struct {
		f     FieldID
		proto string
	}{{fESISNoOptions, "ESIS"}, {fCLNPNoOptions, "CLNP"}} {
		expert(x.f, expertInfo{severity: SeverityNote, group: GroupProtocol, protocol: x.proto, message: "No Options for this PDU"})
	}
	expert(fESISBadChecksum, expertInfo{severity: SeverityError, group: GroupChecksum, protocol: "ESIS", message: "Bad checksum"})
	expert(fESISTypeUnknown, expertInfo{severity: SeverityWarning, group: GroupProtocol, protocol: "ESIS", message: "Unknown ESIS packet type"})
}

// osiAddress reads a length byte and the address after it at p, within
// stop; it gives the offset after them, or -1 when they do not fit.
func osiAddress(t *Tree, p, stop int) (next, n int) {
	if p >= stop {
		return -1, 0
	}
	n = int(t.U8(p))
	if p+1+n > stop {
		return -1, n
	}
	return p + 1 + n, n
}

// dissectESIS reads an ES-IS PDU at off.
func dissectESIS(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoESIS, off, end, 9)
	if !ok {
		return
	}
	hl := int(t.U8(off + 1))
	typ := t.U8(off+4) & 0x1f
	t.Add(l, fESISNLPID, off, 1, t.U8(off))
	t.Add(l, fESISLength, off+1, 1, uint64(hl))
	t.Add(l, fESISVersion, off+2, 1, t.U8(off+2))
	t.Add(l, fESISReserved, off+3, 1, t.U8(off+3))
	t.Add(l, fESISType, off+4, 1, typ)
	t.Add(l, fESISHolding, off+5, 2, t.U16(off+5))
	ck := t.U16(off + 7)
	c := t.Add(l, fESISChecksum, off+7, 2, ck)
	stop := off + hl
	if hl < 9 || stop > off+n {
		return
	}
	if ck != 0 {
		if want := fletcherChecksum(t.Data[off:stop], 7); want != ck {
			t.Nodes[t.Add(c, fESISBadChecksum, off+7, 2, want)].Flags |= Generated
		}
	}
	p := off + 9
	switch typ {
	case 2: // ESH: a count of source addresses, each after its length
		if p >= stop {
			return
		}
		count := int(t.U8(p))
		p++
		for i := 0; i < count && p >= 0; i++ {
			p, _ = osiAddress(t, p, stop)
		}
	case 4: // ISH: the network entity title
		p, _ = osiAddress(t, p, stop)
	case 6: // RD: the destination, the subnetwork address, the NET
		for i := 0; i < 3 && p >= 0; i++ {
			p, _ = osiAddress(t, p, stop)
		}
	default:
		t.Nodes[t.Add(l, fESISTypeUnknown, off+4, 1, 0)].Flags |= Generated
		return
	}
	if p == stop {
		t.Nodes[t.Add(l, fESISNoOptions, p, 0, 0)].Flags |= Generated
	}
}

// dissectCLNP reads a CLNP PDU at off and a data PDU's payload after it.
func dissectCLNP(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoCLNP, off, end, 9)
	if !ok {
		return
	}
	hl := int(t.U8(off + 1))
	typ := t.U8(off + 4)
	t.Add(l, fCLNPNLPID, off, 1, t.U8(off))
	t.Add(l, fCLNPLen, off+1, 1, uint64(hl))
	t.Add(l, fCLNPVersion, off+2, 1, t.U8(off+2))
	t.Add(l, fCLNPTTL, off+3, 1, t.U8(off+3))
	ty := t.Add(l, fCLNPType, off+4, 1, typ)
	t.Add(ty, fCLNPSegPermit, off+4, 1, typ>>7)
	t.Add(ty, fCLNPMoreSegs, off+4, 1, typ>>6&1)
	t.Add(ty, fCLNPReportErr, off+4, 1, typ>>5&1)
	t.Add(ty, fCLNPCnfType, off+4, 1, typ&0x1f)
	segLen := int(t.U16(off + 5))
	t.Add(l, fCLNPPDULen, off+5, 2, uint64(segLen))
	t.Add(l, fCLNPChecksum, off+7, 2, t.U16(off+7))
	stop := off + hl
	if hl < 9 || stop > off+n {
		return
	}
	p := off + 9
	for _, f := range [...][2]FieldID{{fCLNPDstLen, fCLNPDst}, {fCLNPSrcLen, fCLNPSrc}} {
		next, an := osiAddress(t, p, stop)
		if next < 0 {
			return
		}
		t.Add(l, f[0], p, 1, uint64(an))
		t.AddBytes(l, f[1], p+1, an)
		p = next
	}
	if typ&0x80 != 0 {
		p += 6 // the segmentation part
	}
	if p == stop {
		t.Nodes[t.Add(l, fCLNPNoOptions, p, 0, 0)].Flags |= Generated
	}
	if typ&0x1f == 28 && segLen > hl {
		e := off + segLen
		if e > end {
			e = end
		}
		DissectData(t, stop, e)
	}
}

// osiAppendNSAP appends an NSAP address as tcpdump writes one: its first
// byte, then pairs of bytes each after a dot ("49.0001.03").
func osiAppendNSAP(b, a []byte) []byte {
	for i, c := range a {
		if i%2 == 1 {
			b = append(b, '.')
		}
		b = append(b, hexDigits[c>>4], hexDigits[c&15])
	}
	return b
}

// osiTextStart appends what tcpdump prints before an OSI PDU's own words:
// "ES-IS, ", or with -e "OSI NLPID ES-IS (0x82): ".
func (p *Printer) osiTextStart(nlpid uint8) {
	name := osiNLPIDTextName[nlpid]
	if p.opt.Link {
		p.b = append(p.b, "OSI NLPID "...)
		p.b = append(p.b, name...)
		p.b = append(p.b, " (0x"...)
		p.b = append(p.b, hexDigits[nlpid>>4], hexDigits[nlpid&15], ')', ':', ' ')
		return
	}
	p.b = append(p.b, name...)
	p.b = append(p.b, ", "...)
}

// esisMinText is the shortest header length tcpdump prints an ES-IS PDU of.
const esisMinText = 11

// textESIS prints tcpdump's line of an ES-IS PDU: "ES-IS, ESH, length 15".
func textESIS(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	if hl, ok := t.Value(n, fESISLength); ok && hl < esisMinText {
		// tcpdump gives up with the bytes in capitals.
		if p.opt.Link {
			p.osiTextStart(0x82)
		} else {
			p.b = append(p.b, "ES-IS"...)
		}
		p.b = strconv.AppendUint(append(p.b, " length indicator "...), hl, 10)
		p.b = append(p.b, " < min PDU size:"...)
		for _, c := range t.Bytes(n) {
			p.b = append(p.b, upperHex[c>>4], upperHex[c&15])
		}
		return
	}
	p.osiTextStart(0x82)
	typ, ok := t.Value(n, fESISType)
	if !ok {
		p.b = append(p.b, "[|esis]"...)
		return
	}
	if s, ok := esisTypeNames[typ]; ok {
		p.b = append(p.b, s...)
	} else {
		p.b = append(strconv.AppendUint(append(p.b, "unknown type ("...), typ, 10), ')')
	}
	p.b = strconv.AppendInt(append(p.b, ", length "...), int64(t.Nodes[n].Len), 10)
}

// textCLNP prints tcpdump's line of a CLNP PDU: "CLNP, 49.0001.03 >
// 49.0001.02, Data, length 24".
func textCLNP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	p.osiTextStart(0x81)
	src, dst := t.Find(n, fCLNPSrc), t.Find(n, fCLNPDst)
	typ, _ := t.Value(n, fCLNPCnfType)
	name, known := clnpTypeNames[typ]
	if src < 0 || dst < 0 || !known {
		p.b = append(p.b, "[|clnp]"...)
		return
	}
	p.b = osiAppendNSAP(p.b, t.Bytes(src))
	p.b = append(p.b, " > "...)
	p.b = osiAppendNSAP(p.b, t.Bytes(dst))
	p.b = append(p.b, ", "...)
	p.b = append(p.b, name...)
	p.b = strconv.AppendInt(append(p.b, ", length "...), int64(t.Nodes[n].Len), 10)
}
