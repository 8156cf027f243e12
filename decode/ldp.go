package decode

// LDP (RFC 5036), TCP and UDP port 646: a 10-byte PDU header (version, PDU
// length, LSR ID, label space), then messages of a U bit and 15-bit type, a
// length, a message ID and TLVs. Over TCP the PDUs say their length
// (tcppdu.go). decode reads the header and each message's own header; a
// message length below 4 is tshark's Malformed item and ends the PDU.
//
// tcpdump's text without -v is the first PDU's header, with no separator
// after the TCP or UDP text: "LDP, Label-Space-ID: 192.168.0.2:0,
// pdu-length: 28"; nothing at all when its first message's length is
// 4 or less (a Keepalive, or a bad length), as the installed tcpdump does.

import "strconv"

var (
	protoLDP       = proto("ldp", "Label Distribution Protocol")
	fLDPVersion    = field("ldp.hdr.version", "Version", TypeUint16)
	fLDPPDULen     = field("ldp.hdr.pdu_len", "PDU Length", TypeUint16)
	fLDPLSR        = field("ldp.hdr.ldpid.lsr", "LSR ID", TypeIPv4)
	fLDPLabelSpace = field("ldp.hdr.ldpid.lsid", "Label Space ID", TypeUint16)
	fLDPMsgType    = register(Field{Name: "ldp.msg.type", Title: "Message Type", Type: TypeUint16, Hex: true})
	fLDPMsgLen     = field("ldp.msg.len", "Message Length", TypeUint16)
	fLDPMsgID      = register(Field{Name: "ldp.msg.id", Title: "Message ID", Type: TypeUint32, Hex: true})
	fLDPBadLen     = field("ldp.invalid_length", "Error processing Message Length", TypeNone)
)

const ldpHeaderLen = 10

func init() {
	registerTCPPDU(646, &tcpPDU{proto: protoLDP, name: "LDP", min: 4,
		length:  func(b []byte) int { return int(b[2])<<8 | int(b[3]) + 4 },
		dissect: dissectLDP})
	UDPPorts.Register(646, func(t *Tree, off, end int) { dissectLDP(t, off, end, end) })
	registerText(protoLDP, textLDP)
	expert(fLDPBadLen, expertInfo{severity: SeverityError, group: GroupMalformed, protocol: "LDP",
		summary: func(t *Tree, l, n int, b []byte) []byte {
			b = strconv.AppendUint(append(b, "Error processing Message Length: length is "...), t.Nodes[n].Val, 10)
			return append(b, ", should be >= 4"...)
		}})
}

// dissectLDP reads the PDU [off, end) (stop: the end of its bytes in the
// segment).
func dissectLDP(t *Tree, off, end, stop int) {
	l, _, ok := t.StartLayer(protoLDP, off, end, ldpHeaderLen)
	if !ok {
		return
	}
	plen := int(t.U16(off + 2))
	t.Add(l, fLDPVersion, off, 2, t.U16(off))
	t.Add(l, fLDPPDULen, off+2, 2, uint64(plen))
	t.AddBytes(l, fLDPLSR, off+4, 4)
	t.Add(l, fLDPLabelSpace, off+8, 2, t.U16(off+8))
	pend := min(off+4+plen, end)
	cut := min(stop, len(t.Data))
	for p := off + ldpHeaderLen; p < pend; {
		if p+4 > cut {
			t.Mark(l, Truncated)
			return
		}
		ml := int(t.U16(p + 2))
		if ml < 4 {
			t.Add(l, fLDPBadLen, p, min(8, cut-p), uint64(ml))
			return
		}
		if p+4+ml > cut {
			t.Mark(l, Truncated)
			return
		}
		t.Add(l, fLDPMsgType, p, 2, t.U16(p)&0x7fff)
		t.Add(l, fLDPMsgLen, p+2, 2, uint64(ml))
		t.Add(l, fLDPMsgID, p+4, 4, t.U32(p+4))
		p += 4 + ml
	}
}

func textLDP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off, _, avail := layerBytes(t, n)
	if avail < ldpHeaderLen {
		p.b = append(p.b, " [|LDP]"...)
		return
	}
	if avail >= ldpHeaderLen+4 && t.U16(off+ldpHeaderLen+2) <= 4 {
		return
	}
	p.b = append(p.b, "LDP, Label-Space-ID: "...)
	p.b = appendIPv4(p.b, t.Data[off+4:off+8])
	p.b = strconv.AppendUint(append(p.b, ':'), t.U16(off+8), 10)
	p.b = strconv.AppendUint(append(p.b, ", pdu-length: "...), t.U16(off+2), 10)
}
