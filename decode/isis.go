package decode

// IS-IS (ISO/IEC 10589, RFC 1142, RFC 1195): the common header of 8 bytes,
// then by PDU type the fixed part of a hello (LAN or point-to-point), a link
// state PDU or a complete or partial sequence numbers PDU, then CLVs (a
// code and a length byte each) up to the PDU length. Like tshark, decode
// gives each PDU its own layer (isis.hello, isis.lsp, isis.csnp,
// isis.psnp) after the isis one, walks the CLVs and says which codes it
// does not read, and checks an LSP's Fletcher checksum (ISO 8473 annex C).
//
// The CLV walk follows what tshark was seen to do: it goes on while more
// than two bytes of the PDU are left, so a CLV header in the last two bytes
// is not read; a CLV longer than what is left ends it with "Short CLV
// header (length vs left)"; reading past the packet's end is an exception
// (Malformed, or Truncated where the capture cut the packet short).

import "strconv"

var (
	protoISIS         = proto("isis", "ISO 10589 ISIS InTRA Domain Routeing Information Exchange Protocol")
	fISISIRPD         = register(Field{Name: "isis.irpd", Title: "Intradomain Routing Protocol Discriminator", Type: TypeUint8, Hex: true})
	fISISLen          = field("isis.len", "Length Indicator", TypeUint8)
	fISISVersion      = field("isis.version", "Version/Protocol ID Extension", TypeUint8)
	fISISSysIDLen     = field("isis.sysid_len", "ID Length", TypeUint8)
	fISISTypeReserved = register(Field{Name: "isis.type.reserved", Title: "Reserved", Type: TypeUint8, Mask: 0xe0, Hex: true})
	fISISType         = register(Field{Name: "isis.type", Title: "PDU Type", Type: TypeUint8, Mask: 0x1f, Values: isisTypeNames})
	fISISVersion2     = field("isis.version2", "Version", TypeUint8)
	fISISReserved     = field("isis.reserved", "Reserved", TypeUint8)
	fISISMaxArea      = field("isis.max_area_adr", "Maximum Area Addresses", TypeUint8)
	fISISReservedNZ   = field("isis.reserved.notzero", "Reserved must be 0", TypeNone)
	fISISTypeUnknown  = field("isis.type.unknown", "Unknown ISIS packet type", TypeNone)
	// fISISMalformed is the exception of a common header cut short: a
	// name of decode's own (tshark's item is _ws.malformed.expert).
	fISISMalformed = field("isis.malformed", "Malformed Packet", TypeNone)

	fISISHelloCircuit  = register(Field{Name: "isis.hello.circuit_type", Title: "Circuit type", Type: TypeUint8, Mask: 0x03, Hex: true})
	fISISHelloReserved = register(Field{Name: "isis.hello.reserved", Title: "Reserved", Type: TypeUint8, Mask: 0xfc, Hex: true})
	fISISHelloHolding  = field("isis.hello.holding_timer", "Holding timer", TypeUint16)
	fISISHelloPriority = register(Field{Name: "isis.hello.priority", Title: "Priority", Type: TypeUint8, Mask: 0x7f})
	fISISHelloCircuit2 = field("isis.hello.local_circuit_id", "Local circuit ID", TypeUint8)

	fISISLSPLifetime = field("isis.lsp.remaining_life", "Remaining lifetime", TypeUint16)
	fISISLSPSeq      = register(Field{Name: "isis.lsp.sequence_number", Title: "Sequence number", Type: TypeUint32, Hex: true})
	fISISLSPChecksum = register(Field{Name: "isis.lsp.checksum", Title: "Checksum", Type: TypeUint16, Hex: true})
	fISISLSPStatus   = register(Field{Name: "isis.lsp.checksum.status", Title: "Checksum Status", Type: TypeUint8, Values: checksumStatusNames})
	fISISLSPBad      = field("isis.lsp.bad_checksum", "Bad checksum", TypeNone)
	fISISLSPTypeBlk  = register(Field{Name: "isis.lsp.is_type", Title: "Type of Intermediate System", Type: TypeUint8, Mask: 0x03})
	fISISLSPSubTLV   = field("isis.lsp.subtlv.unknown", "Unknown SubTLV", TypeNone)
	fISISLSPLongDIS  = field("isis.lsp.partition_dis.long", "Long lsp partition DIS", TypeNone)
)

// checksumStatusNames are Wireshark's words for a checksum's status.
var checksumStatusNames = map[uint64]string{0: "Bad", 1: "Good", 2: "Unverified", 3: "Not present"}

// isisTypeNames are the PDU types.
var isisTypeNames = map[uint64]string{
	15: "L1 HELLO", 16: "L2 HELLO", 17: "P2P HELLO", 18: "L1 LSP", 20: "L2 LSP",
	24: "L1 CSNP", 25: "L2 CSNP", 26: "L1 PSNP", 27: "L2 PSNP",
}

// isisPDU is what one kind of PDU (hello, LSP, CSNP, PSNP) names its layer
// and the fields and expert items every kind has.
type isisPDU struct {
	proto                           FieldID
	expert                          string // tshark's protocol of its expert items
	pduLen, shortPDU, longPDU       FieldID
	clvType, clvLen                 FieldID
	clvUnknown, shortCLV, malformed FieldID
	shortAddr, authUnknown          FieldID
}

func newISISPDU(name, title, expertName, shortPDU string) *isisPDU {
	k := &isisPDU{proto: proto("isis."+name, title), expert: expertName}
	k.pduLen = field("isis."+name+".pdu_length", "PDU length", TypeUint16)
	k.shortPDU = field(shortPDU, "PDU length less than header length", TypeNone)
	// tshark names no field for the hello's; decode gives it one.
	k.longPDU = field("isis."+name+".long_pdu", "PDU length greater than packet length", TypeNone)
	k.clvType = field("isis."+name+".clv.type", "Type", TypeUint8)
	k.clvLen = field("isis."+name+".clv.length", "Length", TypeUint8)
	k.clvUnknown = field("isis."+name+".clv.unknown", "Unknown option", TypeNone)
	k.shortCLV = field("isis."+name+".short_clv", "Short CLV", TypeNone)
	// The exception's item, tshark's _ws.malformed.expert, under a name
	// of decode's own so that it can name the PDU's protocol.
	k.malformed = field("isis."+name+".malformed", "Malformed Packet", TypeNone)
	// An address or instance identifier the CLV has no room for (the
	// node's value: 0 for none at all, else 1<<32 | said<<16 | left).
	k.shortAddr = field("isis."+name+".short_address", "short address", TypeNone)
	k.authUnknown = field("isis."+name+".authentication.unknown", "Unknown authentication type", TypeNone)
	return k
}

var (
	isisHello = newISISPDU("hello", "ISIS HELLO", "ISIS HELLO", "isis.lsp.hello_pdu")
	isisLSP   = newISISPDU("lsp", "ISO 10589 ISIS Link State Protocol Data Unit", "ISIS LSP", "isis.lsp.short_pdu")
	isisCSNP  = newISISPDU("csnp", "ISO 10589 ISIS Complete Sequence Numbers Protocol Data Unit", "ISIS CSNP", "isis.csnp.short_pdu")
	isisPSNP  = newISISPDU("psnp", "ISO 10589 ISIS Partial Sequence Numbers Protocol Data Unit", "ISIS PSNP", "isis.psnp.short_pdu")
)

// isisCLVSet is a set of CLV codes.
type isisCLVSet [4]uint64

func (s *isisCLVSet) has(c uint64) bool { return s[c>>6&3]&(1<<(c&63)) != 0 }

func isisCLVs(codes ...uint8) (s isisCLVSet) {
	for _, c := range codes {
		s[c>>6] |= 1 << (c & 63)
	}
	return s
}

// The CLV codes tshark reads in each kind of PDU (those it was seen not to
// say "Dissector for IS-IS CLV (n) code not implemented" of); a level 1
// and a level 2 PDU of a kind differ in a few.
var (
	isisCLVsHelloL1 = isisCLVs(1, 6, 7, 8, 10, 12, 16, 129, 132, 133, 143, 145, 148, 211, 229, 232, 233)
	isisCLVsHelloL2 = isisCLVs(1, 6, 7, 8, 10, 12, 129, 132, 133, 148, 211, 229, 232, 233)
	isisCLVsHelloP2 = isisCLVs(1, 7, 8, 10, 12, 129, 132, 133, 143, 148, 211, 229, 232, 233, 240)
	isisCLVsLSPL1   = isisCLVs(1, 2, 3, 7, 10, 13, 14, 22, 27, 128, 129, 130, 132, 133, 134, 135, 137, 138, 140, 142, 144, 147, 149, 184, 185, 186, 222, 229, 232, 235, 236, 237, 242)
	isisCLVsLSPL2   = isisCLVs(1, 2, 4, 5, 7, 10, 13, 14, 22, 27, 128, 129, 130, 132, 133, 134, 135, 137, 138, 140, 144, 149, 222, 229, 232, 235, 236, 237, 242)
	isisCLVsSNP     = isisCLVs(7, 9, 10, 12, 133)
	// isisRouterCapSubs are the sub-TLVs of the router capability CLV
	// (242, RFC 7981) tshark reads.
	isisRouterCapSubs = isisCLVs(1, 2, 6, 7, 8, 9, 10, 12, 13, 14, 19, 22, 23, 25, 26)
)

const (
	isisHeaderLen = 8
	isisSysIDLen  = 6
)

func init() {
	nlpidDissectors[0x83] = dissectISIS
	registerText(protoISIS, textISIS)
	isisExperts(isisHello)
	isisExperts(isisLSP)
	isisExperts(isisCSNP)
	isisExperts(isisPSNP)
	expert(fISISReservedNZ, expertInfo{severity: SeverityWarning, group: GroupProtocol, protocol: "ISIS", message: "Reserved must be 0"})
	expert(fISISTypeUnknown, expertInfo{severity: SeverityWarning, group: GroupProtocol, protocol: "ISIS", message: "Unknown ISIS packet type"})
	expert(fISISMalformed, expertInfo{severity: SeverityError, group: GroupMalformed, protocol: "ISIS", message: "Malformed Packet (Exception occurred)"})
	expert(fISISLSPBad, expertInfo{severity: SeverityError, group: GroupChecksum, protocol: "ISIS LSP",
		summary: func(t *Tree, l, n int, b []byte) []byte {
			return append(appendHex4(append(b, "Bad checksum [should be 0x"...), t.Nodes[n].Val), ']')
		}})
	expert(fISISLSPLongDIS, expertInfo{severity: SeverityError, group: GroupMalformed, protocol: "ISIS LSP",
		summary: func(t *Tree, l, n int, b []byte) []byte {
			b = strconv.AppendUint(append(b, "Long lsp partition DIS, "...), t.Nodes[n].Val, 10)
			return append(b, " left over"...)
		}})
	expert(fISISLSPSubTLV, expertInfo{severity: SeverityWarning, group: GroupProtocol, protocol: "ISIS LSP",
		summary: func(t *Tree, l, n int, b []byte) []byte {
			v := t.Nodes[n].Val
			b = strconv.AppendUint(append(b, "Unknown SubTlv: Type: "...), v>>8, 10)
			return strconv.AppendUint(append(b, ", Length: "...), v&0xff, 10)
		}})
}

func isisExperts(k *isisPDU) {
	mal := func(msg string) expertInfo {
		return expertInfo{severity: SeverityError, group: GroupMalformed, protocol: k.expert, message: msg}
	}
	expert(k.shortPDU, mal("PDU length less than header length"))
	expert(k.longPDU, mal("PDU length greater than packet length"))
	expert(k.malformed, mal("Malformed Packet (Exception occurred)"))
	sa := mal("")
	sa.summary = func(t *Tree, l, n int, b []byte) []byte {
		v := t.Nodes[n].Val
		if v == 0 {
			return append(b, "short address (no length for payload)"...)
		}
		b = strconv.AppendUint(append(b, "short address, packet says "...), v>>16&0xffff, 10)
		return append(strconv.AppendUint(append(b, ", we have "...), v&0xffff, 10), " left"...)
	}
	expert(k.shortAddr, sa)
	expert(k.authUnknown, expertInfo{severity: SeverityWarning, group: GroupProtocol, protocol: k.expert, message: "Unknown authentication type"})
	short := mal("")
	short.summary = func(t *Tree, l, n int, b []byte) []byte {
		v := t.Nodes[n].Val
		b = strconv.AppendUint(append(b, "Short CLV header ("...), v>>16, 10)
		return append(strconv.AppendUint(append(b, " vs "...), v&0xffff, 10), ')')
	}
	expert(k.shortCLV, short)
	expert(k.clvUnknown, expertInfo{severity: SeverityNote, group: GroupUndecoded, protocol: k.expert,
		summary: func(t *Tree, l, n int, b []byte) []byte {
			b = strconv.AppendUint(append(b, "Dissector for IS-IS CLV ("...), t.Nodes[n].Val, 10)
			return append(b, ") code not implemented, Contact Wireshark developers if you want this supported"...)
		}})
}

// isisCut marks layer l where a read of [p, p+n) passes the captured
// bytes: Truncated when the capture cut the packet short there, else
// Malformed with the exception's item mal. It reports whether it did.
func isisCut(t *Tree, l int, mal FieldID, p, n, end int) bool {
	if p+n <= len(t.Data) && p+n <= end {
		return false
	}
	if p+n <= end {
		t.Mark(l, Truncated)
		return true
	}
	t.Mark(l, Malformed)
	t.Nodes[t.Add(l, mal, p, 0, 0)].Flags |= Generated
	return true
}

// dissectISIS reads the common header at off and the PDU after it.
func dissectISIS(t *Tree, off, end int) {
	l := t.AddLayer(protoISIS, off, end-off)
	if isisCut(t, l, fISISMalformed, off, isisHeaderLen, end) {
		return
	}
	li := t.U8(off + 1)
	t.Add(l, fISISIRPD, off, 1, t.U8(off))
	t.Add(l, fISISLen, off+1, 1, li)
	t.Add(l, fISISVersion, off+2, 1, t.U8(off+2))
	t.Add(l, fISISSysIDLen, off+3, 1, t.U8(off+3))
	typ := t.U8(off + 4)
	t.Add(l, fISISTypeReserved, off+4, 1, typ>>5)
	t.Add(l, fISISType, off+4, 1, typ&0x1f)
	t.Add(l, fISISVersion2, off+5, 1, t.U8(off+5))
	r := t.Add(l, fISISReserved, off+6, 1, t.U8(off+6))
	if t.U8(off+6) != 0 {
		t.Nodes[t.Add(r, fISISReservedNZ, off+6, 1, 0)].Flags |= Generated
	}
	t.Add(l, fISISMaxArea, off+7, 1, t.U8(off+7))
	var k *isisPDU
	var clvs *isisCLVSet
	fixed := 0
	switch typ & 0x1f {
	case 15:
		k, clvs, fixed = isisHello, &isisCLVsHelloL1, 19
	case 16:
		k, clvs, fixed = isisHello, &isisCLVsHelloL2, 19
	case 17:
		k, clvs, fixed = isisHello, &isisCLVsHelloP2, 12
	case 18:
		k, clvs, fixed = isisLSP, &isisCLVsLSPL1, 19
	case 20:
		k, clvs, fixed = isisLSP, &isisCLVsLSPL2, 19
	case 24, 25:
		k, clvs, fixed = isisCSNP, &isisCLVsSNP, 25
	case 26, 27:
		k, clvs, fixed = isisPSNP, &isisCLVsSNP, 9
	default:
		t.Nodes[t.Add(l, fISISTypeUnknown, off+4, 1, 0)].Flags |= Generated
		return
	}
	p := off + isisHeaderLen
	pl := t.AddLayer(k.proto, p, end-p)
	if isisCut(t, pl, k.malformed, p, fixed, end) {
		return
	}
	pduLenAt := p
	switch k {
	case isisHello:
		c := t.U8(p)
		t.Add(pl, fISISHelloCircuit, p, 1, c&3)
		t.Add(pl, fISISHelloReserved, p, 1, c>>2)
		t.Add(pl, fISISHelloHolding, p+7, 2, t.U16(p+7))
		pduLenAt = p + 9
	}
	pduLen := int(t.U16(pduLenAt))
	n := t.Add(pl, k.pduLen, pduLenAt, 2, uint64(pduLen))
	short := pduLen < int(li)
	if short {
		// An expert item: tshark's tree is not cut short; the CLVs
		// are not read.
		t.Nodes[t.Add(n, k.shortPDU, pduLenAt, 2, 0)].Flags |= Generated
		pduLen = int(li)
	}
	// tshark was seen to find the PDU length too long only past the
	// packet's bytes and the header length again.
	if pduLen > end-off+int(li) {
		t.Nodes[t.Add(n, k.longPDU, pduLenAt, 2, 0)].Flags |= Generated
	}
	switch k {
	case isisHello:
		if typ&0x1f == 17 {
			t.Add(pl, fISISHelloCircuit2, p+11, 1, t.U8(p+11))
		} else {
			t.Add(pl, fISISHelloPriority, p+11, 1, t.U8(p+11)&0x7f)
		}
	case isisLSP:
		t.Add(pl, fISISLSPLifetime, p+2, 2, t.U16(p+2))
		t.Add(pl, fISISLSPSeq, p+12, 4, t.U32(p+12))
		isisLSPChecksum(t, pl, off, p, pduLen, !short)
		t.Add(pl, fISISLSPTypeBlk, p+18, 1, t.U8(p+18)&3)
	}
	isisWalkCLVs(t, pl, k, clvs, off+int(li), off+pduLen, end)
}

// isisLSPChecksum adds the LSP's checksum and its status: verified over the
// PDU from the LSP ID on when the PDU was captured whole and the checksum
// is not zero (zero: not present), and its length is not short of the
// header (verify false: tshark leaves it unverified then).
func isisLSPChecksum(t *Tree, pl, off, p, pduLen int, verify bool) {
	at := p + 16
	ck := t.U16(at)
	c := t.Add(pl, fISISLSPChecksum, at, 2, ck)
	status := uint64(2)
	start, stop := p+4, off+pduLen
	switch {
	case ck == 0:
		status = 3
	case verify && stop <= len(t.Data) && stop >= at+2:
		want := fletcherChecksum(t.Data[start:stop], at-start)
		status = 1
		if want != ck {
			status = 0
			t.Nodes[t.Add(c, fISISLSPBad, at, 2, want)].Flags |= Generated
		}
	}
	t.Nodes[t.Add(pl, fISISLSPStatus, at, 0, status)].Flags |= Generated
}

// fletcherChecksum is the value the two checksum bytes at k of b should
// hold for b's ISO 8473 checksum to verify (ISO 8473 annex C, RFC 1008).
func fletcherChecksum(b []byte, k int) uint64 {
	var c0, c1 int
	for i, v := range b {
		if i == k || i == k+1 {
			v = 0
		}
		c0 = (c0 + int(v)) % 255
		c1 = (c1 + c0) % 255
	}
	n := len(b) - k // bytes from the first checksum byte to the end
	x := ((n-1)*c0 - c1) % 255
	if x < 0 {
		x += 255
	}
	y := (c1 - n*c0) % 255
	if y < 0 {
		y += 255
	}
	if x == 0 {
		x = 255
	}
	if y == 0 {
		y = 255
	}
	return uint64(x)<<8 | uint64(y)
}

// isisWalkCLVs reads the CLVs in [p, stop), the PDU's end by its length;
// end is the packet's.
func isisWalkCLVs(t *Tree, pl int, k *isisPDU, clvs *isisCLVSet, p, stop, end int) {
	for stop-p > 2 {
		if isisCut(t, pl, k.malformed, p, 2, end) {
			return
		}
		code, n := t.U8(p), int(t.U8(p+1))
		ty := t.Add(pl, k.clvType, p, 1, code)
		t.Add(pl, k.clvLen, p+1, 1, uint64(n))
		p += 2
		if n > stop-p {
			t.Nodes[t.Add(ty, k.shortCLV, p-2, 2, uint64(n)<<16|uint64(stop-p))].Flags |= Generated
			return
		}
		if !clvs.has(code) {
			t.Nodes[t.Add(ty, k.clvUnknown, p, n, code)].Flags |= Generated
		} else {
			// tshark reads a CLV it knows: past the packet's end, an
			// exception.
			if isisCut(t, pl, k.malformed, p, n, end) {
				return
			}
			isisKnownCLV(t, ty, k, code, p, n)
		}
		p += n
	}
}

// isisKnownCLV makes the checks tshark makes of the body of a CLV it
// reads, code at [p, p+n), all captured: the area addresses' lengths, the
// authentication type, the partition designated IS's length, an instance
// identifier's presence, the router capability's sub-TLVs.
func isisKnownCLV(t *Tree, ty int, k *isisPDU, code uint64, p, n int) {
	stop := p + n
	switch code {
	case 1: // area addresses, each after its length
		for q := p; q < stop; {
			alen := int(t.U8(q))
			q++
			switch {
			case q == stop:
				t.Nodes[t.Add(ty, k.shortAddr, q-1, 1, 0)].Flags |= Generated
				return
			case alen > stop-q:
				t.Nodes[t.Add(ty, k.shortAddr, q-1, 1, 1<<32|uint64(alen)<<16|uint64(stop-q))].Flags |= Generated
				return
			}
			q += alen
		}
	case 4: // the partition designated level 2 IS: a system ID
		if n > isisSysIDLen {
			t.Nodes[t.Add(ty, fISISLSPLongDIS, p, n, uint64(n-isisSysIDLen))].Flags |= Generated
		}
	case 7: // the instance identifier (RFC 8202)
		if n == 0 {
			t.Nodes[t.Add(ty, k.shortAddr, p, 0, 0)].Flags |= Generated
		}
	case 10: // authentication: cleartext, HMAC-MD5, RFC 5310's generic
		if n > 0 {
			if a := t.U8(p); a != 1 && a != 3 && a != 54 {
				t.Nodes[t.Add(ty, k.authUnknown, p, 1, 0)].Flags |= Generated
			}
		}
	case 242:
		if k == isisLSP {
			isisRouterCap(t, ty, p, n)
		}
	}
}

// isisRouterCap reads the sub-TLVs of a router capability CLV (RFC 7981:
// a router ID and a flags byte before them) at [p, p+n), all captured.
func isisRouterCap(t *Tree, ty, p, n int) {
	stop := p + n
	for q := p + 5; q+2 <= stop; {
		c, ln := t.U8(q), int(t.U8(q+1))
		if q+2+ln > stop {
			return
		}
		if !isisRouterCapSubs.has(c) {
			t.Nodes[t.Add(ty, fISISLSPSubTLV, q, 2+ln, c<<8|uint64(ln))].Flags |= Generated
		}
		q += 2 + ln
	}
}

// isisAppendID appends n bytes of a system ID as tcpdump writes one:
// groups of two bytes separated by dots ("3333.3333.3333"), a seventh byte
// after a dot, an eighth after a dash ("3333.3333.3333.00-00").
func isisAppendID(b, id []byte) []byte {
	for i, c := range id {
		switch {
		case i == 7:
			b = append(b, '-')
		case i > 0 && (i%2 == 0 || i == 6) && i < 7:
			b = append(b, '.')
		}
		b = append(b, hexDigits[c>>4], hexDigits[c&15])
	}
	return b
}

// textISIS prints tcpdump's line of an IS-IS PDU at its default
// verbosity: "IS-IS, L1 Lan IIH, src-id 3333.3333.3333, lan-id
// 3333.3333.3333.02, prio 64, length 1497", "IS-IS, L1 LSP, lsp-id
// 2222.2222.2222.00-00, seq 0x0000000f, lifetime  1199s, length 136";
// with -e, "OSI NLPID IS-IS (0x83): " instead of "IS-IS, ". The system IDs
// are read from the PDU's bytes (decode has no field of tshark's
// FT_SYSTEM_ID type), which its PDU length field says were captured.
func textISIS(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	if !t.Has(n, fISISType) {
		// A common header cut short: tcpdump names nothing.
		if p.opt.Link {
			p.b = append(p.b, "OSI NLPID IS-IS (0x83): "...)
		}
		p.b = append(p.b, " [|isis]"...)
		return
	}
	if p.opt.Link {
		p.b = append(p.b, "OSI NLPID IS-IS (0x83): "...)
	} else {
		p.b = append(p.b, "IS-IS, "...)
	}
	typ, _ := t.Value(n, fISISType)
	pn := p.Node(l + 1)
	var k *isisPDU
	switch p.Proto(l + 1) {
	case isisHello.proto:
		k = isisHello
	case isisLSP.proto:
		k = isisLSP
	case isisCSNP.proto:
		k = isisCSNP
	case isisPSNP.proto:
		k = isisPSNP
	}
	if k == nil && t.Has(n, fISISTypeUnknown) {
		p.b = strconv.AppendUint(append(p.b, "unknown PDU-Type "...), typ, 10)
		p.b = strconv.AppendInt(append(p.b, ", length "...), int64(t.Nodes[n].Len), 10)
		return
	}
	// The PDU length is there when the fixed part was captured.
	whole := k != nil && t.Has(pn, k.pduLen)
	at := 0
	if whole {
		at = int(t.Nodes[pn].Off)
	}
	id := func(label string, off, size int) {
		if whole {
			p.b = append(p.b, label...)
			p.b = isisAppendID(p.b, t.Data[at+off:at+off+size])
		}
	}
	level := func() {
		if typ == 15 || typ == 18 || typ == 24 || typ == 26 {
			p.b = append(p.b, "L1 "...)
		} else {
			p.b = append(p.b, "L2 "...)
		}
	}
	switch typ {
	case 15, 16:
		level()
		p.b = append(p.b, "Lan IIH"...)
		id(", src-id ", 1, isisSysIDLen)
		id(", lan-id ", 12, isisSysIDLen+1)
		if v, ok := t.Value(pn, fISISHelloPriority); ok {
			p.b = strconv.AppendUint(append(p.b, ", prio "...), v, 10)
		}
	case 17:
		p.b = append(p.b, "p2p IIH"...)
		id(", src-id ", 1, isisSysIDLen)
	case 18, 20:
		level()
		p.b = append(p.b, "LSP"...)
		id(", lsp-id ", 4, isisSysIDLen+2)
		if whole {
			v, _ := t.Value(pn, fISISLSPSeq)
			p.b = append(p.b, ", seq 0x"...)
			for sh := 28; sh >= 0; sh -= 4 {
				p.b = append(p.b, hexDigits[v>>sh&15])
			}
			v, _ = t.Value(pn, fISISLSPLifetime)
			p.b = append(p.b, ", lifetime "...)
			for w := uint64(10000); w > 1 && v < w; w /= 10 {
				p.b = append(p.b, ' ')
			}
			p.b = append(strconv.AppendUint(p.b, v, 10), 's')
		}
	case 24, 25:
		level()
		p.b = append(p.b, "CSNP"...)
		id(", src-id ", 2, isisSysIDLen+1)
	case 26, 27:
		level()
		p.b = append(p.b, "PSNP"...)
		id(", src-id ", 2, isisSysIDLen+1)
	}
	if !whole {
		if k != nil {
			p.b = append(p.b, ' ')
		}
		p.b = append(p.b, "[|isis]"...)
		return
	}
	p.b = strconv.AppendInt(append(p.b, ", length "...), int64(t.Nodes[n].Len), 10)
}
