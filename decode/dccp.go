package decode

// DCCP (RFC 4340), IP protocol 33: ports, data offset, CCVal and checksum
// coverage, checksum, type and the extended-sequence bit, a 48-bit or 24-bit
// sequence number, the acknowledgement subheader of every type but Request
// and Data, then by type a service code (Request, Response) or a reset code
// and its data; options to the data offset; the application's bytes after
// it are data. The checksum (RFC 4340 section 9) covers the pseudo-header,
// the DCCP header and as much of the application data as CsCov says; tshark
// verifies it, as decode does when asked to.
//
// tcpdump's text without -v: "DCCP DCCP-Response (service=0) (ack=N) ",
// a trailing space included.

import (
	"strconv"

	"github.com/sockscope/sockscope/decode/wire"
)

var (
	protoDCCP         = proto("dccp", "Datagram Congestion Control Protocol")
	fDCCPSrcPort      = field("dccp.srcport", "Source Port", TypeUint16)
	fDCCPDstPort      = field("dccp.dstport", "Destination Port", TypeUint16)
	fDCCPDataOffset   = field("dccp.data_offset", "Data Offset", TypeUint8)
	fDCCPCCVal        = field("dccp.ccval", "CCVal", TypeUint8)
	fDCCPCsCov        = field("dccp.cscov", "Checksum Coverage", TypeUint8)
	fDCCPChecksum     = register(Field{Name: "dccp.checksum", Title: "Checksum", Type: TypeUint16, Hex: true})
	fDCCPChecksumSt   = enumField("dccp.checksum.status", "Checksum Status", TypeUint8, checksumStatusNames)
	fDCCPChecksumBad  = field("dccp.bad_checksum", "Bad checksum", TypeNone)
	fDCCPType         = enumField("dccp.type", "Type", TypeUint8, dccpTypeNames)
	fDCCPX            = field("dccp.x", "Extended Sequence Numbers", TypeBoolean)
	fDCCPSeqRaw       = field("dccp.seq_raw", "Sequence Number (raw)", TypeUint64)
	fDCCPAckRaw       = field("dccp.ack_raw", "Acknowledgement Number (raw)", TypeUint64)
	fDCCPServiceCode  = field("dccp.service_code", "Service Code", TypeUint32)
	fDCCPResetCode    = field("dccp.reset_code", "Reset Code", TypeUint8)
	fDCCPOptions      = field("dccp.options", "Options", TypeNone)
	fDCCPOptionType   = field("dccp.option_type", "Option Type", TypeUint8)
	fDCCPOptionLenBad = field("dccp.option.len.bad", "Bad option length", TypeNone)
	fDCCPHdrLenBad    = field("dccp.advertised_header_length.bad", "Advertised header length bad", TypeNone)
	fDCCPTypeReserved = field("dccp.packet_type.reserved", "Reserved packet type: unable to dissect further", TypeNone)
	dccpTypeNames     = map[uint64]string{0: "Request", 1: "Response", 2: "Data", 3: "Ack", 4: "DataAck", 5: "CloseReq", 6: "Close", 7: "Reset", 8: "Sync", 9: "SyncAck"}

	// tcpdump's names of the reset codes (RFC 4340 section 5.6).
	dccpResetNames = [...]string{"unspecified", "closed", "aborted", "no_connection", "packet_error", "option_error",
		"mandatory_error", "connection_refused", "bad_service_code", "too_busy", "bad_init_cookie", "aggression_penalty"}
)

func init() {
	IPProtocols.Register(33, dissectDCCP)
	registerText(protoDCCP, textDCCP)
	setPrintsAddresses(protoDCCP)
	expert(fDCCPChecksumBad, expertInfo{severity: SeverityError, group: GroupChecksum, protocol: "DCCP",
		summary: func(t *Tree, l, n int, b []byte) []byte {
			return append(appendHex4(append(b, "Bad checksum [should be 0x"...), t.Nodes[n].Val), ']')
		}})
	expert(fDCCPOptionLenBad, expertInfo{severity: SeverityWarning, group: GroupProtocol, protocol: "DCCP",
		summary: func(t *Tree, l, n int, b []byte) []byte {
			return append(b, dccpOptionLenMsg[t.Nodes[n].Val]...)
		}})
	expert(fDCCPHdrLenBad, expertInfo{severity: SeverityWarning, group: GroupMalformed, protocol: "DCCP",
		message: "Advertised header length bad"})
	expert(fDCCPTypeReserved, expertInfo{severity: SeverityWarning, group: GroupProtocol, protocol: "DCCP",
		message: "Reserved packet type: unable to dissect further"})
}

// dccpOptionLenMsg are tshark's messages for an option of a bad length, by
// the index dccpOptionLens gives the option.
var dccpOptionLenMsg = [...]string{"Wrong Timestamp length", "Wrong Timestamp Echo length", "Wrong Elapsed Time length", "Wrong Data checksum length"}

// dccpOptionLens are the lengths RFC 4340 allows the options whose length
// tshark checks: Timestamp (41), Timestamp Echo (42), Elapsed Time (43),
// Data Checksum (44); each with its index in dccpOptionLenMsg.
func dccpOptionLenOK(typ, n uint64) (int, bool) {
	switch typ {
	case 41:
		return 0, n == 6
	case 42:
		return 1, n == 6 || n == 8 || n == 10
	case 43:
		return 2, n == 4 || n == 6
	case 44:
		return 3, n == 6
	}
	return 0, true
}

// dccpHasAck reports whether packets of type typ carry the acknowledgement
// subheader (RFC 4340 section 5.1): all but Request and Data.
func dccpHasAck(typ uint64) bool { return typ != 0 && typ != 2 }

func dissectDCCP(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoDCCP, off, end, 12)
	if !ok {
		return
	}
	t.Add(l, fDCCPSrcPort, off, 2, t.U16(off))
	t.Add(l, fDCCPDstPort, off+2, 2, t.U16(off+2))
	doff := int(t.U8(off+4)) * 4
	dn := t.Add(l, fDCCPDataOffset, off+4, 1, uint64(doff/4))
	t.Add(l, fDCCPCCVal, off+5, 1, t.U8(off+5)>>4)
	cscov := t.U8(off+5) & 0x0f
	t.Add(l, fDCCPCsCov, off+5, 1, cscov)
	ck := t.U16(off + 6)
	c := t.Add(l, fDCCPChecksum, off+6, 2, ck)
	typ := t.U8(off+8) >> 1 & 0x0f
	x := t.U8(off+8) & 1
	dccpChecksum(t, l, c, off, end, doff, int(cscov), ck)
	t.Add(l, fDCCPType, off+8, 1, typ)
	t.Add(l, fDCCPX, off+8, 1, x)
	p := off + 12
	if x == 1 {
		if n < 16 {
			t.Mark(l, Truncated)
			return
		}
		t.Add(l, fDCCPSeqRaw, off+10, 6, t.U16(off+10)<<32|t.U32(off+12))
		p = off + 16
	} else {
		t.Add(l, fDCCPSeqRaw, off+9, 3, t.U32(off+8)&0xffffff)
	}
	if typ > 9 {
		t.Add(l, fDCCPTypeReserved, off+8, 1, 0)
		return
	}
	// The fixed part of the header: the generic header, the
	// acknowledgement subheader, the type's fields.
	fixed := p - off
	if dccpHasAck(typ) {
		fixed += 4 + 4*int(x)
	}
	switch typ {
	case 0, 1, 7:
		fixed += 4
	}
	if doff < fixed || doff > end-off {
		t.Add(dn, fDCCPHdrLenBad, off+4, 1, 0)
		return
	}
	need := func(k int) bool {
		if t.Avail(p, p+k) < k {
			t.Mark(l, Truncated)
			return false
		}
		return true
	}
	if dccpHasAck(typ) {
		if x == 1 {
			if !need(8) {
				return
			}
			t.Add(l, fDCCPAckRaw, p+2, 6, t.U16(p+2)<<32|t.U32(p+4))
			p += 8
		} else {
			if !need(4) {
				return
			}
			t.Add(l, fDCCPAckRaw, p+1, 3, t.U32(p)&0xffffff)
			p += 4
		}
	}
	switch typ {
	case 0, 1:
		if !need(4) {
			return
		}
		t.Add(l, fDCCPServiceCode, p, 4, t.U32(p))
		p += 4
	case 7:
		if !need(4) {
			return
		}
		t.Add(l, fDCCPResetCode, p, 1, t.U8(p))
		p += 4
	}
	if p < off+doff {
		if !dccpOptions(t, l, p, off+doff) {
			return
		}
	}
	if a := t.Avail(off+doff, end); a > 0 {
		DissectData(t, off+doff, end)
	}
}

// dccpOptions walks the options [off, end) of DCCP layer l; false when
// the capture ended inside them.
func dccpOptions(t *Tree, l, off, end int) bool {
	o := t.Add(l, fDCCPOptions, off, end-off, 0)
	for p := off; p < end; {
		if p >= len(t.Data) {
			t.Mark(l, Truncated)
			return false
		}
		typ := t.U8(p)
		if typ < 32 {
			t.Add(o, fDCCPOptionType, p, 1, typ)
			p++
			continue
		}
		if p+1 >= len(t.Data) {
			t.Mark(l, Truncated)
			return false
		}
		n := int(t.U8(p + 1))
		on := t.Add(o, fDCCPOptionType, p, max(n, 2), typ)
		if n < 2 || p+n > end {
			t.Add(on, fDCCPOptionLenBad, p+1, 1, 0)
			return true
		}
		if i, ok := dccpOptionLenOK(typ, uint64(n)); !ok {
			t.Add(on, fDCCPOptionLenBad, p+1, 1, uint64(i))
		}
		p += n
	}
	return true
}

// dccpChecksum verifies the checksum ck of the packet [off, end) whose
// header is doff bytes, with coverage cscov, under checksum node c.
func dccpChecksum(t *Tree, l, c, off, end, doff, cscov int, ck uint64) {
	cov := end - off
	if cscov > 0 {
		cov = min(cov, doff+(cscov-1)*4)
	}
	ip := tcpIPBelow(t, l)
	if !t.VerifyChecksums || ip < 0 || off+cov > len(t.Data) || doff < 12 || cov < 8 {
		t.Add(c, fDCCPChecksumSt, off+6, 2, udpChecksumUnverified)
		return
	}
	sum, ok := pseudoHeaderSum(t, ip, l, 33, end-off)
	if !ok {
		t.Add(c, fDCCPChecksumSt, off+6, 2, udpChecksumUnverified)
		return
	}
	sum = wire.Sum(wire.Sum(sum, t.Data[off:off+6]), t.Data[off+8:off+cov])
	want := uint64(wire.Fold(sum))
	if want == ck {
		t.Add(c, fDCCPChecksumSt, off+6, 2, udpChecksumGood)
		return
	}
	t.Add(c, fDCCPChecksumSt, off+6, 2, udpChecksumBad)
	t.Mark(t.Add(c, fDCCPChecksumBad, off+6, 2, want), Malformed)
}

func textDCCP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	sport, ok1 := t.Value(n, fDCCPSrcPort)
	dport, ok2 := t.Value(n, fDCCPDstPort)
	if !ok1 || !ok2 {
		udpAppendAddrs(p, l, 0, 0, false)
		p.b = append(p.b, ": [|dccp]"...)
		return
	}
	udpAppendAddrs(p, l, sport, dport, true)
	p.b = append(p.b, ": DCCP"...)
	typ, ok := t.Value(n, fDCCPType)
	if !ok {
		p.b = append(p.b, " [|dccp]"...)
		return
	}
	p.b = append(p.b, " DCCP-"...)
	if s, ok := dccpTypeNames[typ]; ok {
		p.b = append(p.b, s...)
	} else {
		p.b = append(p.b, "Invalid"...)
	}
	switch typ {
	case 0, 1:
		if v, ok := t.Value(n, fDCCPServiceCode); ok {
			p.b = strconv.AppendUint(append(p.b, " (service="...), v, 10)
			p.b = append(p.b, ')')
		}
	case 7:
		if v, ok := t.Value(n, fDCCPResetCode); ok {
			p.b = append(p.b, " (code="...)
			if v < uint64(len(dccpResetNames)) {
				p.b = append(p.b, dccpResetNames[v]...)
			} else {
				p.b = append(p.b, "invalid"...)
			}
			p.b = append(p.b, ')')
		}
	}
	if v, ok := t.Value(n, fDCCPAckRaw); ok {
		p.b = strconv.AppendUint(append(p.b, " (ack="...), v, 10)
		p.b = append(p.b, ')')
	}
	p.b = append(p.b, ' ')
}
