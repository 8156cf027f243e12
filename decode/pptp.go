package decode

import "strconv"

// PPTP control connection (RFC 2637 section 2), TCP port 1723: a 12-byte
// header (length, message type, magic cookie 0x1a2b3c4d, control message
// type, reserved) and one of 15 control messages. Its calls carry PPP in
// GRE version 1 (gre.go).
//
// tcpdump prints "pptp CTRL_MSGTYPE=NAME" and each field as "LABEL(value)",
// the result and error codes with their meaning at -v; a reserved field
// that is not zero gets "[ERROR: reserved=N must be zero]".

var (
	protoPPTP        = proto("pptp", "Point-to-Point Tunnelling Protocol")
	fPPTPLength      = field("pptp.length", "Length", TypeUint16)
	fPPTPType        = field("pptp.type", "Message type", TypeUint16)
	fPPTPCookie      = register(Field{Name: "pptp.magic_cookie", Title: "Magic Cookie", Type: TypeUint32, Hex: true})
	fPPTPCtrlType    = enumField("pptp.control_message_type", "Control Message Type", TypeUint16, pptpCtrlNamesMap())
	fPPTPReserved    = field("pptp.reserved", "Reserved", TypeBytes)
	fPPTPProtoVer    = field("pptp.protocol_version", "Protocol version", TypeUint16)
	fPPTPFramingCap  = field("pptp.framing_capabilities", "Framing Capabilities", TypeUint32)
	fPPTPBearerCap   = field("pptp.bearer_capabilities", "Bearer Capabilities", TypeUint32)
	fPPTPMaxChannels = field("pptp.maximum_channels", "Maximum Channels", TypeUint16)
	fPPTPFirmware    = field("pptp.firmware_revision", "Firmware Revision", TypeUint16)
	fPPTPHostName    = field("pptp.host_name", "Host Name", TypeString)
	fPPTPVendor      = field("pptp.vendor_name", "Vendor Name", TypeString)
	fPPTPResult      = field("pptp.control_result", "Result Code", TypeUint8)
	fPPTPError       = field("pptp.error", "Error Code", TypeUint8)
	fPPTPReason      = field("pptp.reason", "Reason", TypeUint8)
	fPPTPIdentifier  = field("pptp.identifier", "Identifier", TypeUint32)
	fPPTPCallID      = field("pptp.call_id", "Call ID", TypeUint16)
	fPPTPCallSerial  = field("pptp.call_serial_number", "Call Serial Number", TypeUint16)
	fPPTPMinBPS      = field("pptp.minimum_bps", "Minimum BPS", TypeUint32)
	fPPTPMaxBPS      = field("pptp.maximum_bps", "Maximum BPS", TypeUint32)
	fPPTPBearerType  = field("pptp.bearer_type", "Bearer Type", TypeUint32)
	fPPTPFramingType = field("pptp.framing_type", "Framing Type", TypeUint32)
	fPPTPRecvWindow  = field("pptp.packet_receive_window_size", "Packet Receive Window Size", TypeUint16)
	fPPTPProcDelay   = field("pptp.packet_processing_delay", "Packet Processing Delay", TypeUint16)
	fPPTPPhoneLen    = field("pptp.phone_number_length", "Phone Number Length", TypeUint16)
	fPPTPPhone       = field("pptp.phone_number", "Phone Number", TypeString)
	fPPTPSubaddress  = field("pptp.subaddress", "Subaddress", TypeString)
	fPPTPPeerCallID  = field("pptp.peer_call_id", "Peer Call ID", TypeUint16)
	fPPTPCause       = field("pptp.cause", "Cause Code", TypeUint16)
	fPPTPConnSpeed   = field("pptp.connect_speed", "Connect Speed", TypeUint32)
	fPPTPPhyChannel  = field("pptp.physical_channel_id", "Physical Channel ID", TypeUint32)
	fPPTPDialedLen   = field("pptp.dialed_number_length", "Dialed Number Length", TypeUint16)
	fPPTPDialingLen  = field("pptp.dialing_number_length", "Dialing Number Length", TypeUint16)
	fPPTPDialed      = field("pptp.dialed_number", "Dialed Number", TypeString)
	fPPTPDialing     = field("pptp.dialing_number", "Dialing Number", TypeString)
	fPPTPCallStats   = field("pptp.call_Statistics", "Call Statistics", TypeString)
	fPPTPCRCErrors   = field("pptp.crc_errors", "CRC Errors", TypeUint32)
	fPPTPFrameErrors = field("pptp.framing_errors", "Framing Errors", TypeUint32)
	fPPTPHWOverruns  = field("pptp.hardware_overruns", "Hardware overruns", TypeUint32)
	fPPTPBufOverruns = field("pptp.buffer_overruns", "Buffer overruns", TypeUint32)
	fPPTPTimeouts    = field("pptp.timeout_errors", "Time-out Errors", TypeUint32)
	fPPTPAlignErrors = field("pptp.alignment_errors", "Alignment Errors", TypeUint32)
	fPPTPSendACCM    = register(Field{Name: "pptp.send_accm", Title: "Send ACCM", Type: TypeUint32, Hex: true})
	fPPTPRecvACCM    = register(Field{Name: "pptp.receive_accm", Title: "Receive ACCM", Type: TypeUint32, Hex: true})
)

func init() {
	TCPPorts.Register(1723, dissectPPTP)
	registerText(protoPPTP, textPPTP)
}

// pptpCtrlNames are the control message types, as tcpdump names them.
var pptpCtrlNames = [...]string{"", "SCCRQ", "SCCRP", "StopCCRQ", "StopCCRP", "ECHORQ", "ECHORP",
	"OCRQ", "OCRP", "ICRQ", "ICRP", "ICCN", "CCRQ", "CDN", "WEN", "SLI"}

func pptpCtrlNamesMap() map[uint64]string {
	m := map[uint64]string{}
	for i, n := range pptpCtrlNames {
		if n != "" {
			m[uint64(i)] = n
		}
	}
	return m
}

// The kinds of a PPTP message's items.
const (
	pkU8 = iota
	pkU16
	pkU32
	pkHex32    // 0x%08x
	pkRes8     // reserved, one byte
	pkRes16    // reserved, two bytes
	pkVersion  // major.minor
	pkResult   // one byte with a meaning from a table at -v
	pkError    // one byte with an error code meaning at -v
	pkFrameCap // A and S bits; "LABEL(" printed before the read
	pkBearerCap
	pkBearerType
	pkFrameType
	pkString // fixed-length, NUL-padded; "LABEL(" printed before the read
)

// A pptpItem is one field of a control message.
type pptpItem struct {
	kind  uint8
	size  uint8 // a string's length in bytes
	label string
	f     *FieldID
	codes []string // pkResult: meanings by value
}

var (
	pptpSCCRPResults = []string{1: "Successful channel establishment", 2: "General error", 3: "Command channel already exists",
		4: "Requester is not authorized to establish a command channel", 5: "The protocol version of the requester is not supported"}
	pptpStopReasons  = []string{1: "None", 2: "Stop-Protocol", 3: "Stop-Local-Shutdown"}
	pptpOKResults    = []string{1: "OK", 2: "General Error"}
	pptpOCRPResults  = []string{1: "Connected", 2: "General Error", 3: "No Carrier", 4: "Busy", 5: "No Dial Tone", 6: "Time-out", 7: "Do Not Accept"}
	pptpICRPResults  = []string{1: "Connect", 2: "General Error", 3: "Do Not Accept"}
	pptpCDNResults   = []string{1: "Lost Carrier", 2: "General Error", 3: "Admin Shutdown", 4: "Request"}
	pptpErrorNames   = []string{0: "None", 1: "Not-Connected", 2: "Bad-Format", 3: "Bad-Value", 4: "No-Resource", 5: "Bad-Call-ID", 6: "PAC-Error"}
	pptpBearerTypes  = []string{1: "A", 2: "D", 3: "Any"}
	pptpFramingTypes = []string{1: "A", 2: "S", 3: "E"}
)

// pptpMessages are the items of each control message type (RFC 2637
// section 2), in order.
var pptpMessages = [16][]pptpItem{
	1: {{kind: pkVersion, label: "PROTO_VER", f: &fPPTPProtoVer}, {kind: pkRes16}, {kind: pkFrameCap, label: "FRAME_CAP", f: &fPPTPFramingCap},
		{kind: pkBearerCap, label: "BEARER_CAP", f: &fPPTPBearerCap}, {kind: pkU16, label: "MAX_CHAN", f: &fPPTPMaxChannels},
		{kind: pkU16, label: "FIRM_REV", f: &fPPTPFirmware}, {kind: pkString, size: 64, label: "HOSTNAME", f: &fPPTPHostName},
		{kind: pkString, size: 64, label: "VENDOR", f: &fPPTPVendor}},
	2: {{kind: pkVersion, label: "PROTO_VER", f: &fPPTPProtoVer}, {kind: pkResult, label: "RESULT_CODE", f: &fPPTPResult, codes: pptpSCCRPResults},
		{kind: pkError, label: "ERR_CODE", f: &fPPTPError}, {kind: pkFrameCap, label: "FRAME_CAP", f: &fPPTPFramingCap},
		{kind: pkBearerCap, label: "BEARER_CAP", f: &fPPTPBearerCap}, {kind: pkU16, label: "MAX_CHAN", f: &fPPTPMaxChannels},
		{kind: pkU16, label: "FIRM_REV", f: &fPPTPFirmware}, {kind: pkString, size: 64, label: "HOSTNAME", f: &fPPTPHostName},
		{kind: pkString, size: 64, label: "VENDOR", f: &fPPTPVendor}},
	3: {{kind: pkResult, label: "REASON", f: &fPPTPReason, codes: pptpStopReasons}, {kind: pkRes8}, {kind: pkRes16}},
	4: {{kind: pkResult, label: "RESULT_CODE", f: &fPPTPResult, codes: pptpOKResults}, {kind: pkError, label: "ERR_CODE", f: &fPPTPError}, {kind: pkRes16}},
	5: {{kind: pkU32, label: "ID", f: &fPPTPIdentifier}},
	6: {{kind: pkU32, label: "ID", f: &fPPTPIdentifier}, {kind: pkResult, label: "RESULT_CODE", f: &fPPTPResult, codes: pptpOKResults},
		{kind: pkError, label: "ERR_CODE", f: &fPPTPError}, {kind: pkRes16}},
	7: {{kind: pkU16, label: "CALL_ID", f: &fPPTPCallID}, {kind: pkU16, label: "CALL_SER_NUM", f: &fPPTPCallSerial},
		{kind: pkU32, label: "MIN_BPS", f: &fPPTPMinBPS}, {kind: pkU32, label: "MAX_BPS", f: &fPPTPMaxBPS},
		{kind: pkBearerType, label: "BEARER_TYPE", f: &fPPTPBearerType}, {kind: pkFrameType, label: "FRAME_TYPE", f: &fPPTPFramingType},
		{kind: pkU16, label: "RECV_WIN", f: &fPPTPRecvWindow}, {kind: pkU16, label: "PROC_DELAY", f: &fPPTPProcDelay},
		{kind: pkU16, label: "PHONE_NO_LEN", f: &fPPTPPhoneLen}, {kind: pkRes16},
		{kind: pkString, size: 64, label: "PHONE_NO", f: &fPPTPPhone}, {kind: pkString, size: 64, label: "SUB_ADDR", f: &fPPTPSubaddress}},
	8: {{kind: pkU16, label: "CALL_ID", f: &fPPTPCallID}, {kind: pkU16, label: "PEER_CALL_ID", f: &fPPTPPeerCallID},
		{kind: pkResult, label: "RESULT_CODE", f: &fPPTPResult, codes: pptpOCRPResults}, {kind: pkError, label: "ERR_CODE", f: &fPPTPError},
		{kind: pkU16, label: "CAUSE_CODE", f: &fPPTPCause}, {kind: pkU32, label: "CONN_SPEED", f: &fPPTPConnSpeed},
		{kind: pkU16, label: "RECV_WIN", f: &fPPTPRecvWindow}, {kind: pkU16, label: "PROC_DELAY", f: &fPPTPProcDelay},
		{kind: pkU32, label: "PHY_CHAN_ID", f: &fPPTPPhyChannel}},
	9: {{kind: pkU16, label: "CALL_ID", f: &fPPTPCallID}, {kind: pkU16, label: "CALL_SER_NUM", f: &fPPTPCallSerial},
		{kind: pkBearerType, label: "BEARER_TYPE", f: &fPPTPBearerType}, {kind: pkU32, label: "PHY_CHAN_ID", f: &fPPTPPhyChannel},
		{kind: pkU16, label: "DIALED_NO_LEN", f: &fPPTPDialedLen}, {kind: pkU16, label: "DIALING_NO_LEN", f: &fPPTPDialingLen},
		{kind: pkString, size: 64, label: "DIALED_NO", f: &fPPTPDialed}, {kind: pkString, size: 64, label: "DIALING_NO", f: &fPPTPDialing},
		{kind: pkString, size: 64, label: "SUB_ADDR", f: &fPPTPSubaddress}},
	10: {{kind: pkU16, label: "CALL_ID", f: &fPPTPCallID}, {kind: pkU16, label: "PEER_CALL_ID", f: &fPPTPPeerCallID},
		{kind: pkResult, label: "RESULT_CODE", f: &fPPTPResult, codes: pptpICRPResults}, {kind: pkError, label: "ERR_CODE", f: &fPPTPError},
		{kind: pkU16, label: "RECV_WIN", f: &fPPTPRecvWindow}, {kind: pkU16, label: "PROC_DELAY", f: &fPPTPProcDelay}, {kind: pkRes16}},
	11: {{kind: pkU16, label: "PEER_CALL_ID", f: &fPPTPPeerCallID}, {kind: pkRes16}, {kind: pkU32, label: "CONN_SPEED", f: &fPPTPConnSpeed},
		{kind: pkU16, label: "RECV_WIN", f: &fPPTPRecvWindow}, {kind: pkU16, label: "PROC_DELAY", f: &fPPTPProcDelay},
		{kind: pkFrameType, label: "FRAME_TYPE", f: &fPPTPFramingType}},
	12: {{kind: pkU16, label: "CALL_ID", f: &fPPTPCallID}, {kind: pkRes16}},
	13: {{kind: pkU16, label: "CALL_ID", f: &fPPTPCallID}, {kind: pkResult, label: "RESULT_CODE", f: &fPPTPResult, codes: pptpCDNResults},
		{kind: pkError, label: "ERR_CODE", f: &fPPTPError}, {kind: pkU16, label: "CAUSE_CODE", f: &fPPTPCause}, {kind: pkRes16},
		{kind: pkString, size: 128, label: "CALL_STATS", f: &fPPTPCallStats}},
	14: {{kind: pkU16, label: "PEER_CALL_ID", f: &fPPTPPeerCallID}, {kind: pkRes16},
		{kind: pkU32, label: "CRC_ERR", f: &fPPTPCRCErrors}, {kind: pkU32, label: "FRAMING_ERR", f: &fPPTPFrameErrors},
		{kind: pkU32, label: "HARDWARE_OVERRUN", f: &fPPTPHWOverruns}, {kind: pkU32, label: "BUFFER_OVERRUN", f: &fPPTPBufOverruns},
		{kind: pkU32, label: "TIMEOUT_ERR", f: &fPPTPTimeouts}, {kind: pkU32, label: "ALIGN_ERR", f: &fPPTPAlignErrors}},
	15: {{kind: pkU16, label: "PEER_CALL_ID", f: &fPPTPPeerCallID}, {kind: pkRes16},
		{kind: pkHex32, label: "SEND_ACCM", f: &fPPTPSendACCM}, {kind: pkHex32, label: "RECV_ACCM", f: &fPPTPRecvACCM}},
}

// pptpItemSize is the bytes item it takes.
func pptpItemSize(it *pptpItem) int {
	switch it.kind {
	case pkU8, pkRes8, pkResult, pkError:
		return 1
	case pkU16, pkRes16, pkVersion:
		return 2
	case pkString:
		return int(it.size)
	}
	return 4
}

// dissectPPTP reads a PPTP control message.
func dissectPPTP(t *Tree, off, end int) {
	l := t.AddLayer(protoPPTP, off, end-off)
	n := t.Avail(off, end)
	lim := off + n
	if n < 2 {
		t.Mark(l, Truncated)
		return
	}
	t.Add(l, fPPTPLength, off, 2, t.U16(off))
	if n < 4 {
		t.Mark(l, Truncated)
		return
	}
	t.Add(l, fPPTPType, off+2, 2, t.U16(off+2))
	if n < 8 {
		t.Mark(l, Truncated)
		return
	}
	t.Add(l, fPPTPCookie, off+4, 4, t.U32(off+4))
	if n < 10 {
		t.Mark(l, Truncated)
		return
	}
	ct := t.U16(off + 8)
	t.Add(l, fPPTPCtrlType, off+8, 2, ct)
	if n < 12 {
		t.Mark(l, Truncated)
		return
	}
	t.AddBytes(l, fPPTPReserved, off+10, 2)
	if ct == 0 || ct >= uint64(len(pptpMessages)) {
		return
	}
	p := off + 12
	for i := range pptpMessages[ct] {
		it := &pptpMessages[ct][i]
		sz := pptpItemSize(it)
		if p+sz > lim {
			t.Mark(l, Truncated)
			return
		}
		switch {
		case it.kind == pkRes8 || it.kind == pkRes16:
			t.AddBytes(l, fPPTPReserved, p, sz)
		case it.kind == pkString:
			k := 0
			for k < sz && t.Data[p+k] != 0 {
				k++
			}
			t.AddBytes(l, *it.f, p, k)
		case sz == 1:
			t.Add(l, *it.f, p, 1, t.U8(p))
		case sz == 2:
			t.Add(l, *it.f, p, 2, t.U16(p))
		default:
			t.Add(l, *it.f, p, 4, t.U32(p))
		}
		p += sz
	}
}

// textPPTP prints ": pptp ..." as tcpdump does, from the message's bytes.
func textPPTP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off := int(t.Nodes[n].Off)
	lim := off + t.Avail(off, off+int(t.Nodes[n].Len))
	d := t.Data
	v := p.opt.Verbose > 0
	trunc := func() { p.b = append(p.b, " [|pptp]"...) }
	p.b = append(p.b, ": pptp"...)
	if off+2 > lim {
		trunc()
		return
	}
	if v {
		p.b = append(p.b, " Length="...)
		p.b = strconv.AppendUint(p.b, uint64(d[off])<<8|uint64(d[off+1]), 10)
	}
	if off+4 > lim {
		trunc()
		return
	}
	if v {
		switch uint64(d[off+2])<<8 | uint64(d[off+3]) {
		case 1:
			p.b = append(p.b, " CTRL-MSG"...)
		case 2:
			p.b = append(p.b, " MGMT-MSG"...)
		default:
			p.b = append(p.b, " UNKNOWN-MSG-TYPE"...)
		}
	}
	if off+8 > lim {
		trunc()
		return
	}
	cookie := t.U32(off + 4)
	if cookie != 0x1a2b3c4d {
		p.b = append(p.b, " UNEXPECTED Magic-Cookie!!("...)
		p.b = pptpHex8(p.b, cookie)
		p.b = append(p.b, ')')
	}
	if v || cookie != 0x1a2b3c4d {
		p.b = append(p.b, " Magic-Cookie="...)
		p.b = pptpHex8(p.b, cookie)
	}
	if off+10 > lim {
		trunc()
		return
	}
	ct := t.U16(off + 8)
	switch {
	case ct == 0:
		p.b = append(p.b, " CTRL_MSGTYPE=NOT_DEFINED"...)
		return
	case ct >= uint64(len(pptpMessages)):
		p.b = append(p.b, " UNKNOWN_CTRL_MSGTYPE("...)
		p.b = strconv.AppendUint(p.b, ct, 10)
		p.b = append(p.b, ')')
		return
	}
	p.b = append(p.b, " CTRL_MSGTYPE="...)
	p.b = append(p.b, pptpCtrlNames[ct]...)
	if off+12 > lim {
		trunc()
		return
	}
	p.pptpReserved(t.U16(off + 10))
	q := off + 12
	for i := range pptpMessages[ct] {
		it := &pptpMessages[ct][i]
		sz := pptpItemSize(it)
		if it.kind == pkFrameCap || it.kind == pkString {
			p.b = append(p.b, ' ')
			p.b = append(p.b, it.label...)
			p.b = append(p.b, '(')
		}
		if it.kind == pkString {
			for k := 0; k < sz; k++ {
				if q+k >= lim {
					trunc()
					return
				}
				c := d[q+k]
				if c == 0 {
					break
				}
				p.b = pptpChar(p.b, c)
			}
			p.b = append(p.b, ')')
			q += sz
			continue
		}
		if q+sz > lim {
			trunc()
			return
		}
		var val uint64
		switch sz {
		case 1:
			val = t.U8(q)
		case 2:
			val = t.U16(q)
		default:
			val = t.U32(q)
		}
		q += sz
		switch it.kind {
		case pkRes8, pkRes16:
			p.pptpReserved(val)
			continue
		case pkFrameCap:
		default:
			p.b = append(p.b, ' ')
			p.b = append(p.b, it.label...)
			p.b = append(p.b, '(')
		}
		switch it.kind {
		case pkHex32:
			p.b = append(p.b, "0x"...)
			p.b = pptpHex8(p.b, val)
		case pkVersion:
			p.b = strconv.AppendUint(p.b, val>>8, 10)
			p.b = append(p.b, '.')
			p.b = strconv.AppendUint(p.b, val&0xff, 10)
		case pkResult, pkError:
			p.b = strconv.AppendUint(p.b, val, 10)
			if v {
				codes := it.codes
				if it.kind == pkError {
					codes = pptpErrorNames
				}
				p.b = append(p.b, ':')
				if val < uint64(len(codes)) && codes[val] != "" {
					p.b = append(p.b, codes[val]...)
				} else {
					p.b = append(p.b, '?')
				}
			}
		case pkFrameCap:
			if val&1 != 0 {
				p.b = append(p.b, 'A')
			}
			if val&2 != 0 {
				p.b = append(p.b, 'S')
			}
		case pkBearerCap:
			if val&2 != 0 {
				p.b = append(p.b, 'D')
			}
			if val&1 != 0 {
				p.b = append(p.b, 'A')
			}
		case pkBearerType, pkFrameType:
			names := pptpBearerTypes
			if it.kind == pkFrameType {
				names = pptpFramingTypes
			}
			if val < uint64(len(names)) && names[val] != "" {
				p.b = append(p.b, names[val]...)
			} else {
				p.b = append(p.b, '?')
			}
		default:
			p.b = strconv.AppendUint(p.b, val, 10)
		}
		p.b = append(p.b, ')')
	}
}

// pptpReserved prints the complaint about a reserved field that is not zero.
func (p *Printer) pptpReserved(v uint64) {
	if v != 0 {
		p.b = append(p.b, " [ERROR: reserved="...)
		p.b = strconv.AppendUint(p.b, v, 10)
		p.b = append(p.b, " must be zero]"...)
	}
}

// pptpHex8 appends v as 8 lower-case hexadecimal digits.
func pptpHex8(b []byte, v uint64) []byte {
	for s := 28; s >= 0; s -= 4 {
		b = append(b, hexLower[v>>uint(s)&15])
	}
	return b
}

// pptpChar appends c as tcpdump prints a string's byte: M- for the high
// bit, ^X for a control character.
func pptpChar(b []byte, c byte) []byte {
	if c >= 0x80 {
		b = append(b, 'M', '-')
		c &= 0x7f
	}
	switch {
	case c < 0x20:
		return append(b, '^', c+'@')
	case c == 0x7f:
		return append(b, '^', '?')
	}
	return append(b, c)
}
