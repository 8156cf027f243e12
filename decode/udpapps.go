package decode

import (
	"strconv"

	"github.com/sockscope/sockscope/decode/wire"
)

// Small protocols over UDP, found by port: TFTP (RFC 1350, options RFC
// 2347), syslog (RFC 3164/5424), IPsec NAT traversal on port 4500 (RFC
// 3948: the NAT keepalive, the non-ESP marker before IKE, ESP in UDP) and
// Broadcom's lawful-interception shim (source port 49152).

var (
	protoTFTP       = proto("tftp", "Trivial File Transfer Protocol")
	fTFTPOpcode     = enumField("tftp.opcode", "Opcode", TypeUint16, tftpOpNames)
	fTFTPSource     = field("tftp.source_file", "Source File", TypeStringz)
	fTFTPDest       = field("tftp.destination_file", "Destination File", TypeStringz)
	fTFTPType       = field("tftp.type", "Type", TypeStringz)
	fTFTPBlock      = field("tftp.block", "Block", TypeUint16)
	fTFTPErrCode    = field("tftp.error.code", "Error code", TypeUint16)
	fTFTPErrMsg     = field("tftp.error.message", "Error message", TypeStringz)
	fTFTPOptName    = field("tftp.option.name", "Option name", TypeStringz)
	fTFTPOptValue   = field("tftp.option.value", "Option value", TypeStringz)
	fTFTPData       = field("tftp.data", "Data", TypeBytes)
	protoSyslog     = proto("syslog", "Syslog message")
	fSyslogFacility = field("syslog.facility", "Facility", TypeUint8)
	fSyslogLevel    = field("syslog.level", "Level", TypeUint8)
	fSyslogMsg      = field("syslog.msg", "Message", TypeString)
	protoUDPEncap   = proto("udpencap", "UDP Encapsulation of IPsec Packets")
	fUDPEncapKA     = field("udpencap.nat_keepalive", "NAT-keepalive packet", TypeNone)
	fUDPEncapNonESP = field("udpencap.non_esp_marker", "Non-ESP Marker", TypeNone)
	protoBCMLI      = proto("bcmli", "Broadcom LI shim")
	fBCMLIDir       = field("bcmli.direction", "Direction", TypeUint8)
	fBCMLIType      = field("bcmli.pkt_type", "Packet type", TypeUint8)
	fBCMLISubtype   = field("bcmli.pkt_subtype", "Packet subtype", TypeUint8)
	fBCMLIID        = field("bcmli.li_id", "LI identifier", TypeUint32)
)

var tftpOpNames = map[uint64]string{1: "RRQ", 2: "WRQ", 3: "DATA", 4: "ACK", 5: "ERROR", 6: "OACK"}

var tftpErrNames = [...]string{"EUNDEF", "ENOTFOUND", "EACCESS", "ENOSPACE", "EBADOP", "EBADID",
	"EEXISTS", "ENOUSER", "EOPTNEG"}

func init() {
	UDPPorts.Register(69, dissectTFTP)
	UDPPorts.Register(514, dissectSyslog)
	UDPPorts.Register(4500, dissectUDPEncap)
	UDPPorts.Register(49152, dissectBCMLI)
	registerText(protoTFTP, textTFTP)
	registerText(protoSyslog, textSyslog)
	registerText(protoUDPEncap, textUDPEncap)
	registerText(protoBCMLI, textBCMLI)
}

// udpLayerSpan is where the layer at node n starts, its length, and how
// many bytes from its start were captured up to the end of the IP layer
// below it: as tcpdump does, the applications read past a UDP length that
// says less than IP.
func udpLayerSpan(t *Tree, n int) (off, length, avail int) {
	off, length = int(t.Nodes[n].Off), int(t.Nodes[n].Len)
	capEnd := len(t.Data)
	if ip := udpIPBelow(t, n); ip >= 0 {
		if e := int(t.Nodes[ip].Off) + int(t.Nodes[ip].Len); e < capEnd && e >= off {
			capEnd = e
		}
	}
	if capEnd < off {
		return off, length, 0
	}
	return off, length, capEnd - off
}

// udpDump appends, with -v, the hex lines of a layer at off: the first
// length bytes, or what was captured of them.
func udpDump(p *Printer, off, length, avail int) {
	if avail > length {
		avail = length
	}
	p.b = appendHexLines(p.b, "\n\t", p.t.Data[off:off+avail])
}

// udpName appends names[i], or unknown past the names.
func udpName(b []byte, names []string, i uint64, unknown string) []byte {
	if i < uint64(len(names)) {
		return append(b, names[i]...)
	}
	return append(b, unknown...)
}

// udpCut appends a truncation mark; abandon says that tcpdump gave the
// packet up there (the capture ended under it), after which -x, -X and -A
// dump the frame from its first byte.
func udpCut(p *Printer, mark string, abandon bool) {
	p.b = append(p.b, mark...)
	if abandon {
		p.abandon()
	}
}

// dissectTFTP reads a TFTP packet.
func dissectTFTP(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoTFTP, off, end, 2)
	if !ok {
		return
	}
	op := t.U16(off)
	t.Add(l, fTFTPOpcode, off, 2, op)
	p, e := off+2, off+n
	str := func(f FieldID) bool {
		q := p
		for q < e && t.Data[q] != 0 {
			q++
		}
		if q >= e {
			t.AddBytes(l, f, p, q-p)
			t.Mark(l, Truncated)
			return false
		}
		t.AddBytes(l, f, p, q-p)
		p = q + 1
		return true
	}
	switch op {
	case 1, 2:
		f := fTFTPSource
		if op == 2 {
			f = fTFTPDest
		}
		if !str(f) || !str(fTFTPType) {
			return
		}
		fallthrough
	case 6:
		for p < e {
			if !str(fTFTPOptName) || p >= e || !str(fTFTPOptValue) {
				return
			}
		}
	case 3, 4, 5:
		// A block number or an error code first.
		if p+2 > e {
			t.Mark(l, Truncated)
			return
		}
		if op == 5 {
			t.Add(l, fTFTPErrCode, p, 2, t.U16(p))
			p += 2
			str(fTFTPErrMsg)
			return
		}
		t.Add(l, fTFTPBlock, p, 2, t.U16(p))
		if op == 3 && p+2 < e {
			t.AddBytes(l, fTFTPData, p+2, e-p-2)
		}
	}
}

// textTFTP prints "TFTP, length N, OP ..." as tcpdump does.
func textTFTP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off, length, avail := udpLayerSpan(t, n)
	capCut := avail < length
	if avail > length {
		// TFTP reads no further than the UDP length.
		avail = length
	}
	p.b = append(p.b, "TFTP, length "...)
	p.b = strconv.AppendInt(p.b, int64(length), 10)
	// tcpdump gives the packet up when a fixed field the UDP length holds
	// was not captured.
	if avail < 2 {
		udpCut(p, " [|tftp]", capCut && length >= 2)
		return
	}
	e := off + avail
	op := t.U16(off)
	p.b = append(p.b, ", "...)
	if s, ok := tftpOpNames[op]; ok {
		p.b = append(p.b, s...)
	} else {
		p.b = append(p.b, "tftp-#"...)
		p.b = strconv.AppendUint(p.b, op, 10)
		return
	}
	q := off + 2
	// str prints " " and the string at q, quoted or not; false when it
	// runs past the capture.
	str := func(quote bool) bool {
		if q >= e && (q >= off+length || !capCut) {
			udpCut(p, " [|tftp]", false)
			return false
		}
		p.b = append(p.b, ' ')
		if quote {
			p.b = append(p.b, '"')
		}
		for q < e && t.Data[q] != 0 {
			p.b = dnsAppendChar(p.b, t.Data[q])
			q++
		}
		if quote {
			p.b = append(p.b, '"')
		}
		if q >= e {
			udpCut(p, " [|tftp]", false)
			return false
		}
		q++
		return true
	}
	switch op {
	case 1, 2, 6:
		if op != 6 {
			// The file name and the mode.
			if !str(true) || !str(false) {
				return
			}
		}
		for q < e && t.Data[q] != 0 {
			if !str(false) {
				return
			}
		}
	case 3, 4, 5:
		if q+2 > e {
			udpCut(p, " [|tftp]", capCut && q+2 <= off+length)
			return
		}
		if op != 5 {
			p.b = append(p.b, " block "...)
			p.b = strconv.AppendUint(p.b, t.U16(q), 10)
			return
		}
		code := t.U16(q)
		p.b = append(p.b, ' ')
		if code < uint64(len(tftpErrNames)) {
			p.b = append(p.b, tftpErrNames[code]...)
		} else {
			p.b = append(p.b, "tftp-err-#"...)
			p.b = strconv.AppendUint(p.b, code, 10)
			p.b = append(p.b, " \""...)
		}
		q += 2
		str(true)
	}
}

// syslogPri reads "<PRI>" at the start of [off, off+n): the priority, the
// offset of the message, and 0 if it parsed, 1 if the bytes are not a
// priority, 2 if the capture ends inside it.
func syslogPri(t *Tree, off, n int) (pri, msg, status int) {
	if n < 1 {
		return 0, 0, 2
	}
	if t.Data[off] != '<' {
		return 0, 0, 1
	}
	i := 1
	for ; ; i++ {
		if i >= n {
			return 0, 0, 2
		}
		c := t.Data[off+i]
		if c == '>' {
			break
		}
		if c < '0' || c > '9' || i > 3 {
			return 0, 0, 1
		}
		pri = pri*10 + int(c-'0')
	}
	return pri, off + i + 1, 0
}

// dissectSyslog reads a syslog message's priority and text.
func dissectSyslog(t *Tree, off, end int) {
	n := t.Avail(off, end)
	l := t.AddLayer(protoSyslog, off, end-off)
	pri, msg, st := syslogPri(t, off, n)
	switch st {
	case 1:
		t.Mark(l, Malformed)
		return
	case 2:
		t.Mark(l, Truncated)
		return
	}
	t.Add(l, fSyslogFacility, off, msg-off, uint64(pri>>3))
	t.Add(l, fSyslogLevel, off, msg-off, uint64(pri&7))
	t.AddBytes(l, fSyslogMsg, msg, off+n-msg)
}

var syslogFacilities = [...]string{"kernel", "user", "mail", "daemon", "auth", "syslog", "lpr",
	"news", "uucp", "cron", "authpriv", "ftp", "ntp", "security", "console", "cron",
	"local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"}

var syslogSeverities = [...]string{"emergency", "alert", "critical", "error", "warning",
	"notice", "info", "debug"}

func syslogFacility(b []byte, f int, verbose bool) []byte {
	if f < len(syslogFacilities) {
		return append(b, syslogFacilities[f]...)
	}
	b = append(b, "unknown ("...)
	b = strconv.AppendInt(b, int64(f), 10)
	return append(b, ')')
}

// textSyslog prints "SYSLOG facility.severity, length: N", or at -v the
// facility, severity and message on lines of their own.
func textSyslog(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off, length, avail := udpLayerSpan(t, n)
	pri, msg, st := syslogPri(t, off, avail)
	switch st {
	case 1:
		p.b = append(p.b, " (invalid)"...)
		return
	case 2:
		udpCut(p, " [|syslog]", true)
		return
	}
	fac, sev := pri>>3, pri&7
	p.b = append(p.b, "SYSLOG"...)
	if p.opt.Verbose == 0 {
		p.b = append(p.b, ' ')
		p.b = syslogFacility(p.b, fac, false)
		p.b = append(p.b, '.')
		p.b = append(p.b, syslogSeverities[sev]...)
	}
	p.b = append(p.b, ", length: "...)
	p.b = strconv.AppendInt(p.b, int64(length), 10)
	if p.opt.Verbose == 0 {
		return
	}
	p.b = append(p.b, "\n\tFacility "...)
	p.b = syslogFacility(p.b, fac, true)
	p.b = append(p.b, " ("...)
	p.b = strconv.AppendInt(p.b, int64(fac), 10)
	p.b = append(p.b, "), Severity "...)
	p.b = append(p.b, syslogSeverities[sev]...)
	p.b = append(p.b, " ("...)
	p.b = strconv.AppendInt(p.b, int64(sev), 10)
	p.b = append(p.b, ")\n\tMsg: "...)
	end := off + length
	if end > off+avail {
		end = off + avail
	}
	for i := msg; i < end; i++ {
		p.b = dnsAppendChar(p.b, t.Data[i])
	}
	if avail < length {
		udpCut(p, " [|syslog]", true)
		return
	}
	if p.opt.Verbose > 1 {
		udpDump(p, off, length, avail)
	}
}

// dissectUDPEncap reads what comes on port 4500: a NAT keepalive, IKE
// after a non-ESP marker, or ESP.
func dissectUDPEncap(t *Tree, off, end int) {
	n := t.Avail(off, end)
	l := t.AddLayer(protoUDPEncap, off, end-off)
	switch {
	case end-off == 1 && n == 1 && t.U8(off) == 0xff:
		t.Add(l, fUDPEncapKA, off, 1, 0)
	case n < 4:
		t.Mark(l, Truncated)
	case t.U32(off) == 0:
		t.Add(l, fUDPEncapNonESP, off, 4, 0)
		t.SetLen(l, 4)
		dissectISAKMP(t, off+4, end)
	default:
		t.SetLen(l, 0)
		if !t.Call(IPProtocols.Lookup(50), off, end) {
			DissectData(t, off, end)
		}
	}
}

// textUDPEncap prints the forms tcpdump gives port 4500.
func textUDPEncap(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	switch {
	case t.Has(n, fUDPEncapKA):
		p.b = append(p.b, "isakmp-nat-keep-alive"...)
	case t.Has(n, fUDPEncapNonESP):
		p.b = append(p.b, "NONESP-encap: "...)
		// IKE itself is not decoded: its header, or its absence.
		avail := 0
		if p.Proto(l+1) == protoISAKMP {
			_, _, avail = udpLayerSpan(t, p.Node(l+1))
		}
		if avail < 28 {
			udpCut(p, " [|isakmp]", false)
			return
		}
		p.Layer(l + 1)
	case t.Nodes[n].Flags&Truncated != 0:
		// Cut before its first four bytes: tcpdump gave the packet up when
		// the datagram was long enough to have them.
		_, plen, av := udpLayerSpan(t, n)
		udpCut(p, " [|isakmp_rfc3948]", plen >= 4 || av == 0 && plen >= 1)
	default:
		p.b = append(p.b, "UDP-encap: "...)
		// ESP needs more than its 8-byte header captured.
		if l+1 >= len(t.Layers) {
			udpCut(p, " [|esp]", false)
			return
		}
		off, length, avail := udpLayerSpan(t, p.Node(l+1))
		if avail <= 8 {
			udpCut(p, " [|esp]", false)
			return
		}
		p.b = append(p.b, "ESP(spi=0x"...)
		p.b = appendHex8(p.b, t.U32(off))
		p.b = append(p.b, ",seq=0x"...)
		p.b = strconv.AppendUint(p.b, t.U32(off+4), 16)
		p.b = append(p.b, "), length "...)
		p.b = strconv.AppendInt(p.b, int64(length), 10)
	}
}

// BCM-LI shim: one 32-bit word, then the intercepted packet.
var (
	bcmliDirNames  = [...]string{"unknown", "unused", "egress", "ingress"}
	bcmliTypeNames = map[uint64]string{4: "undecided", 5: "ipv4", 6: "ipv6", 7: "ethernet"}
	bcmliSubNames  = [...]string{"unknown", "single VLAN tag", "double VLAN tag", "untagged"}
)

func dissectBCMLI(t *Tree, off, end int) {
	l, n, ok := tunnelStart(t, protoBCMLI, off, end, 4, 4)
	if !ok {
		return
	}
	w := t.U32(off)
	t.Add(l, fBCMLIDir, off, 1, w>>29&7)
	t.Add(l, fBCMLIType, off, 1, w>>25&0xf)
	t.Add(l, fBCMLISubtype, off, 1, w>>22&7)
	t.Add(l, fBCMLIID, off+1, 3, w&0x3fffff)
	var d Dissector
	typ := w >> 25 & 0xf
	if typ == 4 && n > 4 {
		// Undecided: IPv4 or IPv6 by the version nibble.
		switch t.U8(off+4) >> 4 {
		case 4:
			typ = 5
		case 6:
			typ = 6
		}
	}
	switch typ {
	case 5:
		d = Ethertypes.Lookup(0x0800)
	case 6:
		d = Ethertypes.Lookup(0x86dd)
	case 7:
		d = LinkTypes.Lookup(uint32(wire.LinkEthernet))
	}
	if d == nil || !t.Call(d, off+4, end) {
		dissectISAKMP(t, off+4, end)
	}
}

func textBCMLI(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	_, length, _ := udpLayerSpan(t, n)
	dir, ok := t.Value(n, fBCMLIDir)
	if !ok {
		if t.Nodes[n].Flags&Malformed != 0 {
			p.b = append(p.b, " (length "...)
			p.b = strconv.AppendInt(p.b, int64(length), 10)
			p.b = append(p.b, " < 4) (invalid)"...)
			return
		}
		udpCut(p, " [|bcm_li]", true)
		return
	}
	typ, _ := t.Value(n, fBCMLIType)
	sub, _ := t.Value(n, fBCMLISubtype)
	id, _ := t.Value(n, fBCMLIID)
	if p.opt.Verbose > 0 {
		p.b = append(p.b, "\n    "...)
	}
	p.b = append(p.b, "BCM-LI-SHIM: direction "...)
	p.b = udpName(p.b, bcmliDirNames[:], dir, "unknown")
	p.b = append(p.b, ", pkt-type "...)
	if s, ok := bcmliTypeNames[typ]; ok {
		p.b = append(p.b, s...)
	} else {
		p.b = append(p.b, "unknown"...)
	}
	p.b = append(p.b, ", pkt-subtype "...)
	p.b = udpName(p.b, bcmliSubNames[:], sub, "unknown")
	p.b = append(p.b, ", li-id "...)
	p.b = strconv.AppendUint(p.b, id, 10)
	if p.opt.Verbose == 0 {
		if _, length, avail := udpLayerSpan(t, n); avail < length {
			udpCut(p, " [|bcm_li]", true)
		}
		return
	}
	p.b = append(p.b, "\n    "...)
	switch typ {
	case 4:
		if pr := p.Proto(l + 1); pr == protoIP || pr == protoIPv6 {
			p.Layer(l + 1)
			return
		}
		p.b = append(p.b, "unknown payload"...)
	case 5, 6, 7:
		p.Layer(l + 1)
	default:
		p.b = append(p.b, " (invalid)"...)
	}
}

// BFD (RFC 5880) on UDP ports 3784 (single hop, RFC 5881), 4784 (multihop,
// RFC 5883), 6784 (micro-BFD on LAG members, RFC 7130) and its echo on 3785.
var (
	protoBFD       = proto("bfd", "Bidirectional Forwarding Detection Control Message")
	fBFDVersion    = field("bfd.version", "Protocol Version", TypeUint8)
	fBFDDiag       = field("bfd.diag", "Diagnostic Code", TypeUint8)
	fBFDState      = field("bfd.sta", "Session State", TypeUint8)
	fBFDFlags      = register(Field{Name: "bfd.flags", Title: "Message Flags", Type: TypeUint8, Hex: true})
	fBFDFlagP      = flagField("bfd.flags.p", "Poll", 0x20)
	fBFDFlagF      = flagField("bfd.flags.f", "Final", 0x10)
	fBFDFlagC      = flagField("bfd.flags.c", "Control Plane Independent", 0x08)
	fBFDFlagA      = flagField("bfd.flags.a", "Authentication Present", 0x04)
	fBFDFlagD      = flagField("bfd.flags.d", "Demand", 0x02)
	fBFDFlagM      = flagField("bfd.flags.m", "Multipoint", 0x01)
	fBFDMult       = field("bfd.detect_time_multiplier", "Detect Time Multiplier", TypeUint8)
	fBFDLen        = field("bfd.message_length", "Message Length", TypeUint8)
	fBFDMyDisc     = register(Field{Name: "bfd.my_discriminator", Title: "My Discriminator", Type: TypeUint32, Hex: true})
	fBFDYourDisc   = register(Field{Name: "bfd.your_discriminator", Title: "Your Discriminator", Type: TypeUint32, Hex: true})
	fBFDMinTx      = field("bfd.desired_min_tx_interval", "Desired Min TX Interval", TypeUint32)
	fBFDMinRx      = field("bfd.required_min_rx_interval", "Required Min RX Interval", TypeUint32)
	fBFDMinEcho    = field("bfd.required_min_echo_interval", "Required Min Echo Interval", TypeUint32)
	fBFDAuthType   = field("bfd.auth.type", "Authentication Type", TypeUint8)
	fBFDAuthLen    = field("bfd.auth.len", "Authentication Length", TypeUint8)
	fBFDAuthKey    = field("bfd.auth.key", "Authentication Key ID", TypeUint8)
	fBFDAuthPass   = field("bfd.auth.password", "Password", TypeString)
	fBFDAuthSeq    = field("bfd.auth.seq_num", "Sequence Number", TypeUint32)
	fBFDAuthDigest = field("bfd.checksum", "Checksum", TypeBytes)
	fBFDEcho       = field("bfd.echo", "Echo", TypeBytes)
)

// The BFD kinds by port, kept in the layer node's value.
const (
	bfdControl = iota
	bfdMultihop
	bfdLag
	bfdEcho
)

var bfdKindNames = [...]string{"Control", "Multihop", "Lag", "Echo"}

var bfdStateNames = [...]string{"AdminDown", "Down", "Init", "Up"}

var bfdDiagNames = [...]string{"No Diagnostic", "Control Detection Time Expired",
	"Echo Function Failed", "Neighbor Signaled Session Down", "Forwarding Plane Reset",
	"Path Down", "Concatenated Path Down", "Administratively Down",
	"Reverse Concatenated Path Down"}

var bfdAuthNames = [...]string{"Unknown", "Simple Password", "Keyed MD5", "Meticulous Keyed MD5",
	"Keyed SHA1", "Meticulous Keyed SHA1"}

// The flags of version 1 and of version 0 (an earlier draft), high bit first.
var (
	bfdFlagNames1 = [8]string{"", "", "Poll", "Final", "Control Plane Independent",
		"Authentication Present", "Demand", "Multipoint"}
	bfdFlagNames0 = [8]string{"I Hear You", "Demand", "Poll", "Final", "Control Plane Independent",
		"Authentication Present", "Reserved", "Reserved"}
)

func dissectBFDControl(t *Tree, off, end int) { dissectBFD(t, off, end, bfdControl) }

func init() {
	UDPPorts.Register(3784, dissectBFDControl)
	UDPPorts.Register(4784, func(t *Tree, off, end int) { dissectBFD(t, off, end, bfdMultihop) })
	UDPPorts.Register(6784, func(t *Tree, off, end int) { dissectBFD(t, off, end, bfdLag) })
	UDPPorts.Register(3785, func(t *Tree, off, end int) { dissectBFD(t, off, end, bfdEcho) })
	registerText(protoBFD, textBFD)
}

func dissectBFD(t *Tree, off, end int, kind uint64) {
	n := t.Avail(off, end)
	l := t.AddLayer(protoBFD, off, end-off)
	t.Nodes[l].Val = kind
	if kind == bfdEcho {
		if n > 0 {
			t.AddBytes(l, fBFDEcho, off, n)
		}
		return
	}
	if n < 24 {
		t.Mark(l, Truncated)
		return
	}
	b0, b1 := t.U8(off), t.U8(off+1)
	t.Add(l, fBFDVersion, off, 1, b0>>5)
	t.Add(l, fBFDDiag, off, 1, b0&0x1f)
	t.Add(l, fBFDState, off+1, 1, b1>>6)
	f := t.Add(l, fBFDFlags, off+1, 1, b1&0x3f)
	for i, ff := range [6]FieldID{fBFDFlagP, fBFDFlagF, fBFDFlagC, fBFDFlagA, fBFDFlagD, fBFDFlagM} {
		t.Add(f, ff, off+1, 1, b1>>(5-i)&1)
	}
	t.Add(l, fBFDMult, off+2, 1, t.U8(off+2))
	t.Add(l, fBFDLen, off+3, 1, t.U8(off+3))
	t.Add(l, fBFDMyDisc, off+4, 4, t.U32(off+4))
	t.Add(l, fBFDYourDisc, off+8, 4, t.U32(off+8))
	t.Add(l, fBFDMinTx, off+12, 4, t.U32(off+12))
	t.Add(l, fBFDMinRx, off+16, 4, t.U32(off+16))
	t.Add(l, fBFDMinEcho, off+20, 4, t.U32(off+20))
	if b1&0x04 == 0 || b0>>5 > 1 {
		return
	}
	a := off + 24
	if a+3 > off+n {
		t.Mark(l, Truncated)
		return
	}
	typ, alen := t.U8(a), int(t.U8(a+1))
	t.Add(l, fBFDAuthType, a, 1, typ)
	t.Add(l, fBFDAuthLen, a+1, 1, uint64(alen))
	t.Add(l, fBFDAuthKey, a+2, 1, t.U8(a+2))
	switch typ {
	case 1:
		if a+alen > off+n || alen < 3 {
			t.Mark(l, Truncated)
			return
		}
		t.AddBytes(l, fBFDAuthPass, a+3, alen-3)
	case 2, 3, 4, 5:
		dl := 16
		if typ >= 4 {
			dl = 20
		}
		if a+8+dl > off+n {
			t.Mark(l, Truncated)
			return
		}
		t.Add(l, fBFDAuthSeq, a+4, 4, t.U32(a+4))
		t.AddBytes(l, fBFDAuthDigest, a+8, dl)
	}
}

// bfdFlags appends the flag names of byte b1 ("none" for none).
func bfdFlags(b []byte, b1 uint64, names *[8]string) []byte {
	first := true
	for i := 0; i < 8; i++ {
		if b1&(0x80>>uint(i)) == 0 || names[i] == "" {
			continue
		}
		if !first {
			b = append(b, ", "...)
		}
		first = false
		b = append(b, names[i]...)
	}
	if first {
		b = append(b, "none"...)
	}
	return b
}

func textBFD(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off, length, avail := udpLayerSpan(t, n)
	kind := t.Nodes[n].Val
	if kind == bfdEcho {
		p.b = append(p.b, "BFD, Echo, length: "...)
		p.b = strconv.AppendInt(p.b, int64(length), 10)
		if p.opt.Verbose > 0 {
			udpDump(p, off, length, avail)
		}
		return
	}
	if avail < 24 {
		udpCut(p, " [|bfd]", true)
		return
	}
	b0, b1 := t.U8(off), t.U8(off+1)
	ver := b0 >> 5
	v := p.opt.Verbose > 0
	p.b = append(p.b, "BFDv"...)
	p.b = strconv.AppendUint(p.b, ver, 10)
	if ver != 1 {
		// The kind by port is told for version 1 only.
		kind = bfdControl
	}
	if ver > 1 {
		p.b = append(p.b, ", "...)
		p.b = append(p.b, bfdKindNames[kind]...)
		p.b = append(p.b, ", length: "...)
		p.b = strconv.AppendInt(p.b, int64(length), 10)
		if v {
			udpDump(p, off, length, avail)
		}
		return
	}
	if v {
		p.b = append(p.b, ", length: "...)
		p.b = strconv.AppendInt(p.b, int64(length), 10)
		p.b = append(p.b, "\n\t"...)
	} else {
		p.b = append(p.b, ", "...)
	}
	p.b = append(p.b, bfdKindNames[kind]...)
	names := &bfdFlagNames0
	if ver == 1 {
		names = &bfdFlagNames1
		p.b = append(p.b, ", State "...)
		p.b = append(p.b, bfdStateNames[b1>>6]...)
	}
	p.b = append(p.b, ", Flags: ["...)
	p.b = bfdFlags(p.b, b1, names)
	p.b = append(p.b, ']')
	if !v {
		p.b = append(p.b, ", length: "...)
		p.b = strconv.AppendInt(p.b, int64(length), 10)
		return
	}
	diag := b0 & 0x1f
	p.b = append(p.b, ", Diagnostic: "...)
	p.b = udpName(p.b, bfdDiagNames[:], diag, "unknown")
	p.b = append(p.b, " (0x"...)
	p.b = append(p.b, dnsHexDigits[diag>>4], dnsHexDigits[diag&0xf])
	p.b = append(p.b, ")\n\tDetection Timer Multiplier: "...)
	mult := t.U8(off + 2)
	p.b = strconv.AppendUint(p.b, mult, 10)
	p.b = append(p.b, " ("...)
	p.b = strconv.AppendUint(p.b, uint64(uint32(mult*t.U32(off+12)))/1000, 10)
	p.b = append(p.b, " ms Detection time), BFD Length: "...)
	p.b = strconv.AppendUint(p.b, t.U8(off+3), 10)
	p.b = append(p.b, "\n\tMy Discriminator: 0x"...)
	p.b = appendHex8(p.b, t.U32(off+4))
	p.b = append(p.b, ", Your Discriminator: 0x"...)
	p.b = appendHex8(p.b, t.U32(off+8))
	p.b = append(p.b, "\n\t  Desired min Tx Interval:    "...)
	p.b = bfdPad4(p.b, t.U32(off+12)/1000)
	p.b = append(p.b, " ms\n\t  Required min Rx Interval:   "...)
	p.b = bfdPad4(p.b, t.U32(off+16)/1000)
	p.b = append(p.b, " ms\n\t  Required min Echo Interval: "...)
	p.b = bfdPad4(p.b, t.U32(off+20)/1000)
	p.b = append(p.b, " ms"...)
	if b1&0x04 == 0 || ver > 1 {
		return
	}
	a, e := off+24, off+avail
	if a+3 > e {
		udpCut(p, " [|bfd]", true)
		return
	}
	typ, alen := t.U8(a), int(t.U8(a+1))
	p.b = append(p.b, "\n\tAuthentication: "...)
	p.b = udpName(p.b, bfdAuthNames[:], typ, "Unknown")
	p.b = append(p.b, " ("...)
	p.b = strconv.AppendUint(p.b, typ, 10)
	p.b = append(p.b, "), length: "...)
	p.b = strconv.AppendInt(p.b, int64(alen), 10)
	p.b = append(p.b, "\n\t  Auth Key ID: "...)
	p.b = strconv.AppendUint(p.b, t.U8(a+2), 10)
	switch typ {
	case 1:
		if alen < 4 || alen > 19 {
			p.b = append(p.b, "[invalid length "...)
			p.b = strconv.AppendInt(p.b, int64(alen), 10)
			p.b = append(p.b, ']')
			return
		}
		p.b = append(p.b, ", Password: "...)
		for i := a + 3; i < a+alen && i < e; i++ {
			p.b = dnsAppendChar(p.b, t.Data[i])
		}
		if a+alen > e {
			udpCut(p, " [|bfd]", true)
		}
	case 2, 3, 4, 5:
		dl := 16
		label := "\n\t  Digest: "
		if typ >= 4 {
			dl, label = 20, "\n\t  Hash: "
		}
		if a+8 > e {
			udpCut(p, " [|bfd]", true)
			return
		}
		p.b = append(p.b, ", Sequence Number: 0x"...)
		p.b = appendHex8(p.b, t.U32(a+4))
		if a+8+dl > e {
			udpCut(p, " [|bfd]", true)
			return
		}
		p.b = append(p.b, label...)
		p.b = dnsHexBytes(p.b, t.Data[a+8:a+8+dl])
	}
}

// bfdPad4 appends v right-aligned in four columns.
func bfdPad4(b []byte, v uint64) []byte {
	for w := uint64(1000); w > 1 && v < w; w /= 10 {
		b = append(b, ' ')
	}
	return strconv.AppendUint(b, v, 10)
}

// BIND 9's lightweight resolver protocol on port 921: its 28-byte header.
var (
	protoLWRES     = proto("lwres", "Light Weight DNS RESolver (BIND9)")
	fLWRESLength   = field("lwres.length", "Length", TypeUint32)
	fLWRESVersion  = field("lwres.version", "Version", TypeUint16)
	fLWRESFlags    = register(Field{Name: "lwres.flags", Title: "Packet Flags", Type: TypeUint16, Hex: true})
	fLWRESSerial   = field("lwres.serial", "Serial", TypeUint32)
	fLWRESOpcode   = register(Field{Name: "lwres.opcode", Title: "Operation code", Type: TypeUint32, Hex: true})
	fLWRESResult   = field("lwres.result", "Result", TypeUint32)
	fLWRESRecvLen  = field("lwres.recvlen", "Received length", TypeUint32)
	fLWRESAuthType = field("lwres.authtype", "Auth. type", TypeUint16)
	fLWRESAuthLen  = field("lwres.authlen", "Auth. length", TypeUint16)
)

func init() {
	UDPPorts.Register(921, dissectLWRES)
	registerText(protoLWRES, textLWRES)
}

func dissectLWRES(t *Tree, off, end int) {
	l, _, ok := t.StartLayer(protoLWRES, off, end, 28)
	if !ok {
		return
	}
	t.Add(l, fLWRESLength, off, 4, t.U32(off))
	t.Add(l, fLWRESVersion, off+4, 2, t.U16(off+4))
	t.Add(l, fLWRESFlags, off+6, 2, t.U16(off+6))
	t.Add(l, fLWRESSerial, off+8, 4, t.U32(off+8))
	t.Add(l, fLWRESOpcode, off+12, 4, t.U32(off+12))
	t.Add(l, fLWRESResult, off+16, 4, t.U32(off+16))
	t.Add(l, fLWRESRecvLen, off+20, 4, t.U32(off+20))
	t.Add(l, fLWRESAuthType, off+24, 2, t.U16(off+24))
	t.Add(l, fLWRESAuthLen, off+26, 2, t.U16(off+26))
}

func textLWRES(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off, length, avail := udpLayerSpan(t, n)
	if avail < 28 {
		udpCut(p, " [|lwres]", true)
		return
	}
	p.b = append(p.b, " lwres"...)
	ver := t.U16(off + 4)
	if ver != 0 || p.opt.Verbose > 0 {
		p.b = append(p.b, " v"...)
		p.b = strconv.AppendUint(p.b, ver, 10)
	}
	if ver == 0 {
		p.b = append(p.b, ' ')
		op := t.U32(off + 12)
		switch op {
		case 0:
			p.b = append(p.b, "noop"...)
		case 0x00010001:
			p.b = append(p.b, "getaddrsbyname"...)
		case 0x00010002:
			p.b = append(p.b, "getnamebyaddr"...)
		case 0x00010003:
			p.b = append(p.b, "getrdatabyname"...)
		default:
			p.b = append(p.b, "#0x"...)
			p.b = strconv.AppendUint(p.b, op, 16)
		}
		fl := t.U16(off + 6)
		if fl&1 == 0 {
			p.b = append(p.b, '?')
		}
		if fl&^1 != 0 {
			p.b = append(p.b, "[0x"...)
			p.b = strconv.AppendUint(p.b, fl, 16)
			p.b = append(p.b, ']')
		}
		if p.opt.Verbose > 1 {
			p.b = append(p.b, " (serial:0x"...)
			p.b = strconv.AppendUint(p.b, t.U32(off+8), 16)
			p.b = append(p.b, " result:0x"...)
			p.b = strconv.AppendUint(p.b, t.U32(off+16), 16)
			p.b = append(p.b, " recvlen:"...)
			p.b = strconv.AppendUint(p.b, t.U32(off+20), 10)
			if p.opt.Verbose > 2 {
				p.b = append(p.b, " authtype:0x"...)
				p.b = strconv.AppendUint(p.b, t.U16(off+24), 16)
				p.b = append(p.b, " authlen:"...)
				p.b = strconv.AppendUint(p.b, t.U16(off+26), 10)
			}
			p.b = append(p.b, ')')
		}
	}
	plen := t.U32(off)
	if plen != uint64(length) {
		p.b = append(p.b, " [len: "...)
		p.b = strconv.AppendUint(p.b, plen, 10)
		p.b = append(p.b, " != "...)
		p.b = strconv.AppendInt(p.b, int64(length), 10)
		p.b = append(p.b, ']')
	}
	if ver != 0 {
		return
	}
	if plen > 28 && t.U32(off+12) == 0 {
		p.b = append(p.b, "[extra]"...)
	}
}

// ISAKMP/IKE (RFC 2408, RFC 7296) on ports 500, 7500 and 8500, and after
// the non-ESP marker on 4500: the fixed header as tcpdump summarises it.
// Its payloads are not decoded.
var (
	protoISAKMP      = proto("isakmp", "Internet Security Association and Key Management Protocol")
	fISAKMPISPI      = field("isakmp.ispi", "Initiator SPI", TypeBytes)
	fISAKMPRSPI      = field("isakmp.rspi", "Responder SPI", TypeBytes)
	fISAKMPNext      = field("isakmp.nextpayload", "Next payload", TypeUint8)
	fISAKMPVersion   = register(Field{Name: "isakmp.version", Title: "Version", Type: TypeUint8, Hex: true})
	fISAKMPExch      = field("isakmp.exchangetype", "Exchange type", TypeUint8)
	fISAKMPFlags     = register(Field{Name: "isakmp.flags", Title: "Flags", Type: TypeUint8, Hex: true})
	fISAKMPMessageID = register(Field{Name: "isakmp.messageid", Title: "Message ID", Type: TypeUint32, Hex: true})
	fISAKMPLength    = field("isakmp.length", "Length", TypeUint32)
)

var isakmpExchNames = map[uint64]string{0: "none", 1: "base", 2: "ident", 3: "auth", 4: "agg", 5: "inf",
	32: "oakley-quick", 33: "oakley-newgroup", 34: "ikev2_init", 35: "ikev2_auth", 36: "child_sa", 37: "inf2"}

var isakmpPayloadNames = map[uint64]string{0: "none", 1: "sa", 2: "p", 3: "t", 4: "ke", 5: "id",
	6: "cert", 7: "cr", 8: "hash", 9: "sig", 10: "nonce", 11: "n", 12: "d", 13: "v"}

func init() {
	UDPPorts.Register(500, dissectISAKMP)
	UDPPorts.Register(7500, dissectISAKMP)
	UDPPorts.Register(8500, dissectISAKMP)
	registerText(protoISAKMP, textISAKMP)
}

func dissectISAKMP(t *Tree, off, end int) {
	l, _, ok := t.StartLayer(protoISAKMP, off, end, 28)
	if !ok {
		return
	}
	t.AddBytes(l, fISAKMPISPI, off, 8)
	t.AddBytes(l, fISAKMPRSPI, off+8, 8)
	t.Add(l, fISAKMPNext, off+16, 1, t.U8(off+16))
	t.Add(l, fISAKMPVersion, off+17, 1, t.U8(off+17))
	t.Add(l, fISAKMPExch, off+18, 1, t.U8(off+18))
	t.Add(l, fISAKMPFlags, off+19, 1, t.U8(off+19))
	t.Add(l, fISAKMPMessageID, off+20, 4, t.U32(off+20))
	t.Add(l, fISAKMPLength, off+24, 4, t.U32(off+24))
	isakmpPayloads(t, l, off, end) // isakmp.go
}

// isakmpCookies remembers which address began an IKEv1 exchange, by its
// initiator cookie, to tell the initiator's packets from the responder's.
type isakmpCookies struct {
	by map[uint64][16]byte
}

// isakmpAddr is the source or destination address of the IP layer below n,
// in 16 bytes.
func isakmpAddr(t *Tree, n int, dst bool) (a [16]byte) {
	ip := udpIPBelow(t, n)
	if ip < 0 {
		return a
	}
	f := fIPSrc
	if t.Nodes[ip].Field == protoIPv6 {
		f = fIPv6Src
		if dst {
			f = fIPv6Dst
		}
	} else if dst {
		f = fIPDst
	}
	if i := t.Find(ip, f); i >= 0 {
		copy(a[:], t.Bytes(i))
	}
	return a
}

func textISAKMP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off, length, avail := udpLayerSpan(t, n)
	if avail < 28 {
		p.b = append(p.b, " [|isakmp]"...)
		return
	}
	ver := t.U8(off + 17)
	exch := t.U8(off + 18)
	fl := t.U8(off + 19)
	msgid := t.U32(off + 20)
	p.b = append(p.b, "isakmp"...)
	if p.opt.Verbose > 0 {
		p.b = append(p.b, ' ')
		p.b = strconv.AppendUint(p.b, ver>>4, 10)
		p.b = append(p.b, '.')
		p.b = strconv.AppendUint(p.b, ver&0xf, 10)
		p.b = append(p.b, " msgid "...)
		p.b = appendHex8(p.b, msgid)
		if p.opt.Verbose > 1 {
			p.b = append(p.b, " cookie "...)
			p.b = dnsHexBytes(p.b, t.Data[off:off+8])
			p.b = append(p.b, "->"...)
			p.b = dnsHexBytes(p.b, t.Data[off+8:off+16])
		}
	}
	p.b = append(p.b, ':')
	exchName := func() {
		if s, ok := isakmpExchNames[exch]; ok {
			p.b = append(p.b, s...)
		} else {
			p.b = append(p.b, '#')
			p.b = strconv.AppendUint(p.b, exch, 10)
		}
	}
	switch ver >> 4 {
	case 1:
		if msgid == 0 {
			p.b = append(p.b, " phase 1 "...)
		} else {
			p.b = append(p.b, " phase 2/others "...)
		}
		p.b = append(p.b, isakmpRole(p, n, off)...)
		p.b = append(p.b, ' ')
		exchName()
		p.b = isakmpFlags(p.b, fl, 0x01, "EC")
	case 2:
		if msgid == 0 {
			p.b = append(p.b, " parent_sa "...)
		} else {
			p.b = append(p.b, " child_sa  "...)
		}
		exchName()
		p.b = isakmpFlags(p.b, fl, 0x08, "IVR")
	default:
		return
	}
	if p.opt.Verbose > 0 {
		p.b = append(p.b, ':')
		if fl&1 != 0 {
			p.b = append(p.b, " [encrypted "...)
			np := t.U8(off + 16)
			if s, ok := isakmpPayloadNames[np]; ok {
				p.b = append(p.b, s...)
			} else {
				p.b = append(p.b, "#"...)
				p.b = strconv.AppendUint(p.b, np, 10)
			}
			p.b = append(p.b, ']')
		}
		if il := t.U32(off + 24); il != uint64(length) {
			p.b = append(p.b, " (len mismatch: isakmp "...)
			p.b = strconv.AppendUint(p.b, il, 10)
			p.b = append(p.b, "/ip "...)
			p.b = strconv.AppendInt(p.b, int64(length), 10)
			p.b = append(p.b, ')')
		}
	}
}

// isakmpFlags appends "[EC]": the letters of the flags set in fl, letters[i]
// for bit lo<<i; nothing when fl is 0.
func isakmpFlags(b []byte, fl, lo uint64, letters string) []byte {
	if fl == 0 {
		return b
	}
	b = append(b, '[')
	for i := 0; i < len(letters); i++ {
		if fl&(lo<<i) != 0 {
			b = append(b, letters[i])
		}
	}
	return append(b, ']')
}

// isakmpRole is "I" for a packet of the side that began the IKEv1 exchange
// of its initiator cookie, "R" for the other side's, "?" when unknown.
func isakmpRole(p *Printer, n, off int) string {
	t := &p.t
	ic := t.U64(off)
	rc := t.U64(off + 8)
	if ic == 0 {
		return "?"
	}
	st := p.State(protoISAKMP, func() any { return &isakmpCookies{by: map[uint64][16]byte{}} }).(*isakmpCookies)
	src, dst := isakmpAddr(t, n, false), isakmpAddr(t, n, true)
	if rc == 0 {
		if _, seen := st.by[ic]; !seen {
			st.by[ic] = src
		}
	}
	a, ok := st.by[ic]
	switch {
	case !ok:
		return "?"
	case a == src:
		return "I"
	case a == dst:
		return "R"
	}
	return "?"
}

// SIP (RFC 3261) on UDP port 5060, printed as tcpdump prints its text
// protocols: the first line when it is a request or a status line, every
// line at -v.
var (
	protoSIP      = proto("sip", "Session Initiation Protocol")
	fSIPRequest   = field("sip.Request-Line", "Request-Line", TypeString)
	fSIPStatus    = field("sip.Status-Line", "Status-Line", TypeString)
	fSIPMethod    = field("sip.Method", "Method", TypeString)
	sipMethodList = [...]string{"ACK", "BYE", "CANCEL", "DO", "INFO", "INVITE", "MESSAGE", "NOTIFY",
		"OPTIONS", "PRACK", "QAUTH", "REFER", "REGISTER", "SPRACK", "SUBSCRIBE", "UPDATE", "PUBLISH"}
)

func init() {
	UDPPorts.Register(5060, dissectSIP)
	registerText(protoSIP, textSIP)
}

// sipLine is the end of the text line at p of b (its terminator
// excluded), the start of the next, and whether the line is text (printable
// characters and tabs, ended by CRLF or LF); next is -1 when the data ends
// before the line does.
func sipLine(b []byte, p int) (end, next int, ok bool) {
	for i := p; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '\n':
			return i, i + 1, true
		case c == '\r':
			if i+1 >= len(b) {
				return i, -1, true
			}
			if b[i+1] == '\n' {
				return i, i + 2, true
			}
			return i, i + 1, false
		case c == '\t' || c >= 0x20 && c < 0x7f:
		default:
			return i, i + 1, false
		}
	}
	return len(b), -1, true
}

// sipEqualFold reports whether b is s in ASCII letters of any case.
func sipEqualFold(b []byte, s string) bool {
	for i := range b {
		c := b[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

// sipFirstLine reports whether the line b starts with a SIP method (any
// case) followed by a space or the line's end, or is a status line.
func sipFirstLine(b []byte) (method int, ok bool) {
	for i, m := range sipMethodList {
		if len(b) >= len(m) && sipEqualFold(b[:len(m)], m) && (len(b) == len(m) || b[len(m)] == ' ') {
			return i, true
		}
	}
	if len(b) >= 12 && string(b[:8]) == "SIP/2.0 " && b[8] >= '0' && b[8] <= '9' && b[9] >= '0' && b[9] <= '9' &&
		b[10] >= '0' && b[10] <= '9' && b[11] == ' ' {
		return -1, true
	}
	return -1, false
}

func dissectSIP(t *Tree, off, end int) {
	n := t.Avail(off, end)
	l := t.AddLayer(protoSIP, off, end-off)
	b := t.Data[off : off+n]
	e, next, text := sipLine(b, 0)
	if !text {
		return
	}
	m, ok := sipFirstLine(b[:e])
	if !ok {
		return
	}
	if m >= 0 {
		r := t.AddBytes(l, fSIPRequest, off, e)
		t.AddBytes(r, fSIPMethod, off, len(sipMethodList[m]))
	} else {
		t.AddBytes(l, fSIPStatus, off, e)
	}
	if next < 0 {
		t.Mark(l, Truncated)
	}
}

func textSIP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off, length, avail := udpLayerSpan(t, n)
	if avail > length {
		avail = length
	}
	b := t.Data[off : off+avail]
	e, next, text := sipLine(b, 0)
	_, cmd := sipFirstLine(b[:e])
	if p.opt.Verbose == 0 {
		if !cmd || !text {
			p.b = append(p.b, "SIP"...)
			return
		}
		p.b = append(p.b, "SIP: "...)
		p.b = append(p.b, b[:e]...)
		if next < 0 {
			p.b = append(p.b, " [|sip]"...)
		}
		return
	}
	if !cmd {
		p.b = append(p.b, "SIP"...)
		return
	}
	p.b = append(p.b, "SIP, length: "...)
	p.b = strconv.AppendInt(p.b, int64(length), 10)
	for q := 0; q < len(b); {
		e, next, text := sipLine(b, q)
		if !text {
			return
		}
		p.b = append(p.b, "\n\t"...)
		p.b = append(p.b, b[q:e]...)
		if next < 0 {
			p.b = append(p.b, " [|sip]"...)
			return
		}
		q = next
	}
}
