package decode

// The NetBIOS session service (RFC 1002 section 4.3), TCP port 139, and
// the same framing for SMB directly over TCP port 445 (MS-SMB2 2.1): a
// 4-byte header (type, flags whose low bit extends the length, length),
// so its messages say their length (tcppdu.go). A session message holds
// SMB (0xFF 'SMB') or SMB2 (0xFE 'SMB'); decode gives the smb or smb2
// layer over it, not its fields. A payload that does not start with a
// plausible header (an unknown type, flags other than the extension bit,
// or an empty session message with bytes after it) is, as tshark reads
// it, the continuation of a message it did not see.
//
// tcpdump's text without -v prints nothing of it.

var (
	protoNBSS     = proto("nbss", "NetBIOS Session Service")
	protoSMB2     = proto("smb2", "SMB2 (Server Message Block Protocol version 2)")
	fNBSSType     = register(Field{Name: "nbss.type", Title: "Message Type", Type: TypeUint8, Hex: true, Values: nbssTypeNames})
	fNBSSFlags    = register(Field{Name: "nbss.flags", Title: "Flags", Type: TypeUint8, Hex: true})
	fNBSSLength   = field("nbss.length", "Length", TypeUint24)
	fNBSSContData = field("nbss.continuation_data", "Continuation data", TypeBytes)
	nbssTypeNames = map[uint64]string{0x00: "Session message", 0x81: "Session request", 0x82: "Positive session response",
		0x83: "Negative session response", 0x84: "Retarget session response", 0x85: "Session keep-alive"}
)

const nbssHeaderLen = 4

func init() {
	p := &tcpPDU{proto: protoNBSS, name: "NBSS", min: nbssHeaderLen,
		length: func(b []byte) int {
			return nbssHeaderLen + (int(b[1]&1)<<16 | int(b[2])<<8 | int(b[3]))
		},
		dissect: dissectNBSS, lead: nbssLead}
	registerTCPPDU(139, p)
	registerTCPPDU(445, p)
	malformedNames[protoSMB] = "SMB"
	malformedNames[protoSMB2] = "SMB2"
}

// nbssLead reads a payload [off, end) that does not start with a plausible
// header as the continuation of an earlier message.
func nbssLead(t *Tree, off, end int) bool {
	ce := min(end, len(t.Data))
	if ce-off < nbssHeaderLen {
		return false
	}
	typ, fl := t.U8(off), t.U8(off+1)
	n := int(fl&1)<<16 | int(t.U16(off+2))
	if _, ok := nbssTypeNames[typ]; ok && fl&0xfe == 0 && !(typ == 0 && n == 0 && end-off > nbssHeaderLen) {
		return false
	}
	l := t.AddLayer(protoNBSS, off, end-off)
	t.AddBytes(l, fNBSSContData, off, ce-off)
	return true
}

// dissectNBSS reads the message [off, end), its bytes in the segment
// ending at stop.
func dissectNBSS(t *Tree, off, end, stop int) {
	l, _, ok := t.StartLayer(protoNBSS, off, end, nbssHeaderLen)
	if !ok {
		return
	}
	typ, fl := t.U8(off), t.U8(off+1)
	t.Add(l, fNBSSType, off, 1, typ)
	t.Add(l, fNBSSFlags, off+1, 1, fl)
	t.Add(l, fNBSSLength, off+1, 3, uint64(int(fl&1)<<16|int(t.U16(off+2))))
	p := off + nbssHeaderLen
	if typ != 0 || p >= end {
		return
	}
	cut := min(stop, len(t.Data))
	if cut-p < 4 {
		if p < cut {
			DissectData(t, p, end)
		}
		return
	}
	var sp FieldID
	switch {
	case t.Data[p] == 0xff && string(t.Data[p+1:p+4]) == "SMB":
		sp = protoSMB
	case t.Data[p] == 0xfe && string(t.Data[p+1:p+4]) == "SMB":
		sp = protoSMB2
	default:
		DissectData(t, p, end)
		return
	}
	t.AddLayer(sp, p, end-p)
	if end > stop {
		// The message passes the end of its segment, unreassembled.
		addUnreassembled(t, sp, p)
	}
}
