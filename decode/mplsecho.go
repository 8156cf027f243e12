package decode

// MPLS echo request and reply, LSP ping (RFC 8029, formerly RFC 4379), on
// UDP port 3503: a 32-byte header of a version, global flags, the message
// type, reply mode, return code and subcode, the sender's handle, a
// sequence number and two NTP timestamps, then TLVs decode does not read.

import "strconv"

var (
	protoMPLSEcho         = proto("mpls-echo", "Multiprotocol Label Switching Echo")
	fMPLSEchoVersion      = field("mpls_echo.version", "Version", TypeUint16)
	fMPLSEchoGFlags       = register(Field{Name: "mpls_echo.gflags", Title: "Global Flags", Type: TypeUint16, Hex: true})
	fMPLSEchoMsgType      = enumField("mpls_echo.msg_type", "Message Type", TypeUint8, mplsEchoTypes)
	fMPLSEchoReplyMode    = field("mpls_echo.reply_mode", "Reply Mode", TypeUint8)
	fMPLSEchoReturnCode   = field("mpls_echo.return_code", "Return Code", TypeUint8)
	fMPLSEchoReturnSub    = field("mpls_echo.return_subcode", "Return Subcode", TypeUint8)
	fMPLSEchoSenderHandle = register(Field{Name: "mpls_echo.sender_handle", Title: "Sender's Handle", Type: TypeUint32, Hex: true})
	fMPLSEchoSequence     = field("mpls_echo.sequence", "Sequence Number", TypeUint32)
	mplsEchoTypes         = map[uint64]string{1: "MPLS Echo Request", 2: "MPLS Echo Reply"}
)

const (
	mplsEchoPort      = 3503
	mplsEchoHeaderLen = 32
)

func init() {
	UDPPorts.Register(mplsEchoPort, dissectMPLSEcho)
	registerText(protoMPLSEcho, textMPLSEcho)
}

func dissectMPLSEcho(t *Tree, off, end int) {
	l, _, ok := t.StartLayer(protoMPLSEcho, off, end, 1)
	if !ok || !reachOrMark(t, l, off+mplsEchoHeaderLen, end) {
		return
	}
	t.Add(l, fMPLSEchoVersion, off, 2, t.U16(off))
	t.Add(l, fMPLSEchoGFlags, off+2, 2, t.U16(off+2))
	t.Add(l, fMPLSEchoMsgType, off+4, 1, t.U8(off+4))
	t.Add(l, fMPLSEchoReplyMode, off+5, 1, t.U8(off+5))
	t.Add(l, fMPLSEchoReturnCode, off+6, 1, t.U8(off+6))
	t.Add(l, fMPLSEchoReturnSub, off+7, 1, t.U8(off+7))
	t.Add(l, fMPLSEchoSenderHandle, off+8, 4, t.U32(off+8))
	t.Add(l, fMPLSEchoSequence, off+12, 4, t.U32(off+12))
}

// textMPLSEcho prints tcpdump's line, "LSP-PINGv1, MPLS Echo Reply, seq 1,
// length: 32"; decode prints the same with -v, and the datagram's length
// where the header was not captured.
func textMPLSEcho(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	length := int64(t.Nodes[n].Len)
	typ, ok := t.Value(n, fMPLSEchoMsgType)
	if !ok {
		p.b = append(p.b, "UDP, length "...)
		p.b = strconv.AppendInt(p.b, length, 10)
		return
	}
	ver, _ := t.Value(n, fMPLSEchoVersion)
	seq, _ := t.Value(n, fMPLSEchoSequence)
	p.b = append(p.b, "LSP-PINGv"...)
	p.b = strconv.AppendUint(p.b, ver, 10)
	p.b = append(p.b, ", "...)
	if s, ok := mplsEchoTypes[typ]; ok {
		p.b = append(p.b, s...)
	} else {
		p.b = append(p.b, "Unknown ("...)
		p.b = strconv.AppendUint(p.b, typ, 10)
		p.b = append(p.b, ')')
	}
	p.b = append(p.b, ", seq "...)
	p.b = strconv.AppendUint(p.b, seq, 10)
	p.b = append(p.b, ", length: "...)
	p.b = strconv.AppendInt(p.b, length, 10)
}
