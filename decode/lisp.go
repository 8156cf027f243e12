package decode

// LISP control messages (RFC 9301 section 5; RFC 6830 before it) on UDP
// port 4342. decode reads the Map-Register (type 3) and Map-Notify (type 4)
// messages: a header with a record count, a nonce, a key ID and
// authentication data, then mapping records, each an EID prefix and its
// locators, and with the I bit an xTR-ID and a site ID at the end. Of the
// other types it reads the type alone.

import "strconv"

var (
	protoLISP        = proto("lisp", "Locator/ID Separation Protocol")
	fLISPType        = register(Field{Name: "lisp.type", Title: "Type", Type: TypeUint24, Mask: 0xf00000, Values: lispTypeNames})
	fLISPRegXTRID    = register(Field{Name: "lisp.mreg.flags.xtrid", Title: "I bit (xTR-ID present)", Type: TypeBoolean, Mask: 0x020000})
	fLISPNotXTRID    = register(Field{Name: "lisp.mnot.flags.xtrid", Title: "I bit (xTR-ID present)", Type: TypeBoolean, Mask: 0x080000})
	fLISPRecords     = field("lisp.records", "Record Count", TypeUint8)
	fLISPNonce       = register(Field{Name: "lisp.nonce", Title: "Nonce", Type: TypeUint64, Hex: true})
	fLISPKeyID       = register(Field{Name: "lisp.keyid", Title: "Key ID", Type: TypeUint16, Hex: true})
	fLISPAuthLen     = field("lisp.authlen", "Authentication Data Length", TypeUint16)
	fLISPAuth        = field("lisp.auth", "Authentication Data", TypeBytes)
	fLISPMapping     = field("lisp.mapping", "Mapping Record", TypeNone)
	fLISPMapTTL      = field("lisp.mapping.ttl", "Record TTL", TypeUint32)
	fLISPMapLocCnt   = field("lisp.mapping.loccnt", "Locator Count", TypeUint8)
	fLISPMapMaskLen  = field("lisp.mapping.eid.masklen", "EID Mask Length", TypeUint8)
	fLISPMapAct      = register(Field{Name: "lisp.mapping.act", Title: "Action", Type: TypeUint16, Mask: 0xe000})
	fLISPMapAuth     = register(Field{Name: "lisp.mapping.auth", Title: "Authoritative bit", Type: TypeBoolean, Mask: 0x1000})
	fLISPMapEIDAFI   = field("lisp.mapping.eid.afi", "EID Prefix AFI", TypeUint16)
	fLISPMapEIDv4    = field("lisp.mapping.eid.ipv4", "EID Prefix", TypeIPv4)
	fLISPMapEIDv6    = field("lisp.mapping.eid.ipv6", "EID Prefix", TypeIPv6)
	fLISPLoc         = field("lisp.loc", "Locator Record", TypeNone)
	fLISPLocPriority = field("lisp.loc.priority", "Priority", TypeUint8)
	fLISPLocWeight   = field("lisp.loc.weight", "Weight", TypeUint8)
	fLISPLocMPrio    = field("lisp.loc.multicast_priority", "Multicast Priority", TypeUint8)
	fLISPLocMWeight  = field("lisp.loc.multicast_weight", "Multicast Weight", TypeUint8)
	fLISPLocFlags    = register(Field{Name: "lisp.loc.flags", Title: "Flags", Type: TypeUint16, Hex: true})
	fLISPLocAFI      = field("lisp.loc.afi", "AFI", TypeUint16)
	fLISPLocator     = field("lisp.loc.locator", "Locator", TypeString)
	fLISPXTRID       = field("lisp.xtrid", "xTR-ID", TypeBytes)
	fLISPSiteID      = field("lisp.siteid", "Site-ID", TypeBytes)
	// The item of an EID prefix of an address family decode cannot read,
	// the family as value.
	fLISPBadAFI   = field("lisp.mapping.eid.afi.unexpected", "Unexpected EID prefix AFI", TypeNone)
	lispTypeNames = map[uint64]string{1: "Map-Request", 2: "Map-Reply", 3: "Map-Register", 4: "Map-Notify",
		5: "Map-Referral", 6: "Map-Notify-Ack", 7: "Info", 8: "Encapsulated Control Message"}
)

const (
	lispMapRegister = 3
	lispMapNotify   = 4
	lispHeaderLen   = 16 // type to the authentication data's length
	lispRecordLen   = 12 // a mapping record before its EID prefix
	lispLocatorLen  = 8  // a locator record before its address
	lispXTRLen      = 24 // xTR-ID and site ID
)

func init() {
	UDPPorts.Register(4342, dissectLISP)
	registerText(protoLISP, textLISP)
	expert(fLISPBadAFI, expertInfo{severity: SeverityError, group: GroupProtocol, protocol: "LISP Control",
		summary: func(t *Tree, l, n int, b []byte) []byte {
			b = strconv.AppendUint(append(b, "Unexpected EID prefix AFI ("...), t.Nodes[n].Val, 10)
			return append(b, "), cannot decode"...)
		}})
}

// lispAddrLen is the length of an address of family afi (IANA address
// family numbers: 1 IPv4, 2 IPv6), 0 for a family decode does not read.
func lispAddrLen(afi uint64) int {
	switch afi {
	case 1:
		return 4
	case 2:
		return 16
	}
	return 0
}

// lispIBit says whether the I bit (xTR-ID present) of the message whose
// first byte is b0 is set.
func lispIBit(b0 uint64) bool {
	switch b0 >> 4 {
	case lispMapRegister:
		return b0&0x02 != 0
	case lispMapNotify:
		return b0&0x08 != 0
	}
	return false
}

// reachOrMark says whether the message [.., end) holds its bytes up to need;
// when not, layer l ends malformed (the message is shorter) or cut short
// (the capture is).
func reachOrMark(t *Tree, l, need, end int) bool {
	switch {
	case need > end:
		t.Mark(l, Malformed)
		return false
	case need > len(t.Data):
		t.Mark(l, Truncated)
		return false
	}
	return true
}

func dissectLISP(t *Tree, off, end int) {
	l, _, ok := t.StartLayer(protoLISP, off, end, 1)
	if !ok {
		return
	}
	b0 := t.U8(off)
	typ := b0 >> 4
	t.Add(l, fLISPType, off, 3, b0>>4)
	if typ != lispMapRegister && typ != lispMapNotify {
		return
	}
	if !reachOrMark(t, l, off+lispHeaderLen, end) {
		return
	}
	if typ == lispMapRegister {
		t.Add(l, fLISPRegXTRID, off, 3, b0>>1&1)
	} else {
		t.Add(l, fLISPNotXTRID, off, 3, b0>>3&1)
	}
	count := int(t.U8(off + 3))
	t.Add(l, fLISPRecords, off+3, 1, uint64(count))
	t.Add(l, fLISPNonce, off+4, 8, t.U64(off+4))
	t.Add(l, fLISPKeyID, off+12, 2, t.U16(off+12))
	alen := int(t.U16(off + 14))
	t.Add(l, fLISPAuthLen, off+14, 2, uint64(alen))
	o := off + lispHeaderLen
	if !reachOrMark(t, l, o+alen, end) {
		return
	}
	t.AddBytes(l, fLISPAuth, o, alen)
	o += alen
	for i := 0; i < count; i++ {
		if !reachOrMark(t, l, o+lispRecordLen, end) {
			return
		}
		afi := t.U16(o + 10)
		alen := lispAddrLen(afi)
		if alen == 0 {
			// The record cannot be measured: tshark flags it and reads
			// the next from the same place.
			t.Add(l, fLISPBadAFI, o+10, 2, afi)
			continue
		}
		r := t.Add(l, fLISPMapping, o, lispRecordLen+alen, 0)
		locs := int(t.U8(o + 4))
		t.Add(r, fLISPMapTTL, o, 4, t.U32(o))
		t.Add(r, fLISPMapLocCnt, o+4, 1, uint64(locs))
		t.Add(r, fLISPMapMaskLen, o+5, 1, t.U8(o+5))
		fl := t.U16(o + 6)
		t.Add(r, fLISPMapAct, o+6, 2, fl>>13)
		t.Add(r, fLISPMapAuth, o+6, 2, fl>>12&1)
		t.Add(r, fLISPMapEIDAFI, o+10, 2, afi)
		if !reachOrMark(t, l, o+lispRecordLen+alen, end) {
			return
		}
		if alen == 4 {
			t.AddBytes(r, fLISPMapEIDv4, o+lispRecordLen, 4)
		} else {
			t.AddBytes(r, fLISPMapEIDv6, o+lispRecordLen, 16)
		}
		o += lispRecordLen + alen
		for j := 0; j < locs; j++ {
			if !reachOrMark(t, l, o+lispLocatorLen, end) {
				return
			}
			lafi := t.U16(o + 6)
			llen := lispAddrLen(lafi)
			lr := t.Add(r, fLISPLoc, o, lispLocatorLen+llen, 0)
			t.Add(lr, fLISPLocPriority, o, 1, t.U8(o))
			t.Add(lr, fLISPLocWeight, o+1, 1, t.U8(o+1))
			t.Add(lr, fLISPLocMPrio, o+2, 1, t.U8(o+2))
			t.Add(lr, fLISPLocMWeight, o+3, 1, t.U8(o+3))
			t.Add(lr, fLISPLocFlags, o+4, 2, t.U16(o+4))
			t.Add(lr, fLISPLocAFI, o+6, 2, lafi)
			if !reachOrMark(t, l, o+lispLocatorLen+llen, end) {
				return
			}
			if llen > 0 {
				t.AddBytes(lr, fLISPLocator, o+lispLocatorLen, llen)
			}
			o += lispLocatorLen + llen
		}
	}
	if lispIBit(b0) {
		if !reachOrMark(t, l, o+lispXTRLen, end) {
			return
		}
		t.AddBytes(l, fLISPXTRID, o, 16)
		t.AddBytes(l, fLISPSiteID, o+16, 8)
	}
}

// textLISP prints tcpdump's lines of a Map-Register or Map-Notify: the
// type and record count, then a line per record with its EID prefix and
// locators, then the xTR-ID and site ID (or the bytes left over). Where a
// length runs past the message it ends in " (invalid)". decode prints the
// same without -v and with it.
func textLISP(p *Printer, l int) {
	t := &p.t
	off, length, lim := capturedSpan(t, p.Node(l))
	d := t.Data
	end := off + length
	if lim < end {
		end = lim
	}
	var typ byte
	if off < end {
		typ = d[off] >> 4
	}
	if typ != lispMapRegister && typ != lispMapNotify {
		p.b = append(p.b, "UDP, length "...)
		p.b = strconv.AppendInt(p.b, int64(length), 10)
		return
	}
	invalid := func() { p.b = append(p.b, " (invalid)"...) }
	if typ == lispMapRegister {
		p.b = append(p.b, "LISP-Map-Register"...)
	} else {
		p.b = append(p.b, "LISP-Map-Notify"...)
	}
	// tcpdump reads the header from what was captured, even past a
	// datagram too short for it.
	if off+lispHeaderLen > len(d) {
		invalid()
		return
	}
	count := int(d[off+3])
	p.b = append(p.b, ", "...)
	p.b = strconv.AppendInt(p.b, int64(count), 10)
	p.b = append(p.b, " record(s),"...)
	o := off + lispHeaderLen + int(t.U16(off+14))
	if o > end {
		invalid()
		return
	}
	for i := 0; i < count; i++ {
		p.b = append(p.b, '\n')
		if o+lispRecordLen > end {
			invalid()
			return
		}
		alen := lispAddrLen(t.U16(o + 10))
		if alen == 0 {
			return
		}
		if o+lispRecordLen+alen > end {
			invalid()
			return
		}
		p.b = append(p.b, " EID "...)
		if alen == 4 {
			p.b = appendIPv4(p.b, d[o+lispRecordLen:])
		} else {
			p.b = appendIPv6(p.b, d[o+lispRecordLen:o+lispRecordLen+16])
		}
		p.b = append(p.b, '/')
		p.b = strconv.AppendUint(p.b, uint64(d[o+5]), 10)
		locs := int(d[o+4])
		p.b = append(p.b, ", "...)
		p.b = strconv.AppendInt(p.b, int64(locs), 10)
		p.b = append(p.b, " locator(s)"...)
		o += lispRecordLen + alen
		for j := 0; j < locs; j++ {
			if o+lispLocatorLen > end {
				invalid()
				return
			}
			llen := lispAddrLen(t.U16(o + 6))
			if o+lispLocatorLen+llen > end {
				invalid()
				return
			}
			if llen > 0 {
				p.b = append(p.b, " LOC "...)
				if llen == 4 {
					p.b = appendIPv4(p.b, d[o+lispLocatorLen:])
				} else {
					p.b = appendIPv6(p.b, d[o+lispLocatorLen:o+lispLocatorLen+16])
				}
			}
			o += lispLocatorLen + llen
		}
	}
	if lispIBit(uint64(d[off])) {
		if o+lispXTRLen > end {
			invalid()
			return
		}
		p.b = appendHexLines(p.b, "\n    xTR-ID: ", d[o:o+16])
		p.b = append(p.b, "\n    SITE-ID: "...)
		p.b = strconv.AppendUint(p.b, t.U64(o+16), 10)
		return
	}
	if o < end {
		p.b = appendHexLines(p.b, "\n    Data: ", d[o:end])
	}
}
