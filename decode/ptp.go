package decode

import "strconv"

// The Precision Time Protocol (IEEE 1588) on UDP ports 319 (event messages)
// and 320 (general messages) and on ethertype 0x88f7: decode reads version
// 2's 34-byte common header and the bodies of the Sync, Delay_Req,
// Follow_Up, Delay_Resp, Announce and Management messages (IEEE 1588-2008
// clauses 13.3 to 13.10); a message of version 1 is shown as the layer
// alone.

var (
	protoPTP             = proto("ptp", "Precision Time Protocol (IEEE1588)")
	fPTPMajorSdoID       = register(Field{Name: "ptp.v2.majorsdoid", Title: "majorSdoId", Type: TypeUint8, Mask: 0xf0})
	fPTPMessageType      = register(Field{Name: "ptp.v2.messagetype", Title: "messageType", Type: TypeUint8, Mask: 0x0f, Hex: true})
	fPTPMinorVersion     = register(Field{Name: "ptp.v2.minorversionptp", Title: "minorVersionPTP", Type: TypeUint8, Mask: 0xf0})
	fPTPVersion          = register(Field{Name: "ptp.v2.versionptp", Title: "versionPTP", Type: TypeUint8, Mask: 0x0f})
	fPTPMessageLength    = field("ptp.v2.messagelength", "messageLength", TypeUint16)
	fPTPDomain           = field("ptp.v2.domainnumber", "domainNumber", TypeUint8)
	fPTPMinorSdoID       = field("ptp.v2.minorsdoid", "minorSdoId", TypeUint8)
	fPTPFlags            = register(Field{Name: "ptp.v2.flags", Title: "flags", Type: TypeUint16, Hex: true})
	fPTPCorrectionNs     = field("ptp.v2.correction.ns", "correction", TypeUint64)
	fPTPTypeSpecific     = field("ptp.v2.messagetypespecific", "messageTypeSpecific", TypeUint32)
	fPTPClockIdentity    = register(Field{Name: "ptp.v2.clockidentity", Title: "ClockIdentity", Type: TypeUint64, Hex: true})
	fPTPSourcePortID     = field("ptp.v2.sourceportid", "SourcePortID", TypeUint16)
	fPTPSequenceID       = field("ptp.v2.sequenceid", "sequenceId", TypeUint16)
	fPTPControl          = field("ptp.v2.controlfield", "controlField", TypeUint8)
	fPTPLogPeriod        = field("ptp.v2.logmessageperiod", "logMessagePeriod", TypeInt8)
	fPTPOriginSeconds    = field("ptp.v2.sdr.origintimestamp.seconds", "originTimestamp (seconds)", TypeUint64)
	fPTPOriginNanos      = field("ptp.v2.sdr.origintimestamp.nanoseconds", "originTimestamp (nanoseconds)", TypeInt32)
	fPTPPreciseSeconds   = field("ptp.v2.fu.preciseorigintimestamp.seconds", "preciseOriginTimestamp (seconds)", TypeUint64)
	fPTPPreciseNanos     = field("ptp.v2.fu.preciseorigintimestamp.nanoseconds", "preciseOriginTimestamp (nanoseconds)", TypeUint32)
	fPTPReceiveSeconds   = field("ptp.v2.dr.receivetimestamp.seconds", "receiveTimestamp (seconds)", TypeUint64)
	fPTPReceiveNanos     = field("ptp.v2.dr.receivetimestamp.nanoseconds", "receiveTimestamp (nanoseconds)", TypeInt32)
	fPTPRequestingID     = register(Field{Name: "ptp.v2.dr.requestingsourceportidentity", Title: "requestingSourcePortIdentity", Type: TypeUint64, Hex: true})
	fPTPRequestingPort   = field("ptp.v2.dr.requestingsourceportid", "requestingSourcePortId", TypeUint16)
	fPTPAnOriginSeconds  = field("ptp.v2.an.origintimestamp.seconds", "originTimestamp (seconds)", TypeUint64)
	fPTPAnOriginNanos    = field("ptp.v2.an.origintimestamp.nanoseconds", "originTimestamp (nanoseconds)", TypeInt32)
	fPTPAnUTCOffset      = field("ptp.v2.an.origincurrentutcoffset", "originCurrentUTCOffset", TypeInt16)
	fPTPAnPriority1      = field("ptp.v2.an.priority1", "priority1", TypeUint8)
	fPTPAnClockClass     = field("ptp.v2.an.grandmasterclockclass", "grandmasterClockClass", TypeUint8)
	fPTPAnClockAccuracy  = field("ptp.v2.an.grandmasterclockaccuracy", "grandmasterClockAccuracy", TypeUint8)
	fPTPAnClockVariance  = field("ptp.v2.an.grandmasterclockvariance", "grandmasterClockVariance", TypeUint16)
	fPTPAnPriority2      = field("ptp.v2.an.priority2", "priority2", TypeUint8)
	fPTPAnGrandmaster    = register(Field{Name: "ptp.v2.an.grandmasterclockidentity", Title: "grandmasterClockIdentity", Type: TypeUint64, Hex: true})
	fPTPAnStepsRemoved   = field("ptp.v2.an.localstepsremoved", "localStepsRemoved", TypeUint16)
	fPTPTimeSource       = register(Field{Name: "ptp.v2.timesource", Title: "TimeSource", Type: TypeUint8, Hex: true})
	fPTPMMTargetIdentity = register(Field{Name: "ptp.v2.mm.targetportidentity", Title: "targetPortIdentity", Type: TypeUint64, Hex: true})
	fPTPMMTargetPort     = field("ptp.v2.mm.targetportid", "targetPortId", TypeUint16)
	fPTPMMStartHops      = field("ptp.v2.mm.startingboundaryhops", "startingBoundaryHops", TypeUint8)
	fPTPMMHops           = field("ptp.v2.mm.boundaryhops", "boundaryHops", TypeUint8)
	fPTPMMAction         = register(Field{Name: "ptp.v2.mm.action", Title: "actionField", Type: TypeUint8, Mask: 0x1f})
	fPTPV1Version        = field("ptp.versionptp", "versionPTP", TypeUint16)
)

// PTP version 2's message types, its common header's size, and the sizes
// of the bodies decode reads.
const (
	ptpSync       = 0x0
	ptpDelayReq   = 0x1
	ptpFollowUp   = 0x8
	ptpDelayResp  = 0x9
	ptpAnnounce   = 0xb
	ptpManagement = 0xd
	ptpHeaderLen  = 34
)

var (
	// ptpBodyLen is the body decode reads, by message type.
	ptpBodyLen = [16]int{ptpSync: 10, ptpDelayReq: 10, ptpFollowUp: 10, ptpDelayResp: 20, ptpAnnounce: 30, ptpManagement: 14}
	// ptpTypeWords are the message types as tcpdump prints them.
	ptpTypeWords = [16]string{"sync msg", "delay req msg", "peer delay req msg", "peer delay resp msg", "", "", "", "",
		"follow up msg", "delay resp msg", "peer delay resp follow up msg", "announce msg", "signaling msg", "management msg"}
	ptpControlWords = [6]string{"Sync", "Delay_Req", "Follow_Up", "Delay_Resp", "Management", "Other"}
	// ptpFlagWords name the flag bits as tcpdump does, in its order.
	ptpFlagWords = []struct {
		bit  uint64
		name string
	}{{0x0100, "alternate master"}, {0x0200, "two step"}, {0x0400, "unicast"}, {0x2000, "profile specific 1"},
		{0x4000, "profile specific 2"}, {0x8000, "security"}, {0x0001, "leap61"}, {0x0002, "leap59"},
		{0x0004, "utc reasonable"}, {0x0008, "timescale"}, {0x0010, "time traceable"}, {0x0020, "frequency traceable"}}
)

func init() {
	UDPPorts.Register(319, dissectPTP)
	UDPPorts.Register(320, dissectPTP)
	Ethertypes.Register(0x88f7, dissectPTP)
	registerText(protoPTP, textPTP)
	malformedNames[protoPTP] = "PTP"
}

// ptpTime adds a timestamp at o: 48 bits of seconds and 32 of nanoseconds.
func ptpTime(t *Tree, l int, fs, fn FieldID, o int) {
	t.Add(l, fs, o, 6, t.U16(o)<<32|t.U32(o+2))
	t.Add(l, fn, o+6, 4, t.U32(o+6))
}

func dissectPTP(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoPTP, off, end, 2)
	if !ok {
		runOut(t, l, protoPTP, off+2, end)
		return
	}
	if t.U8(off+1)&0x0f == 1 {
		// Version 1 begins with its version as 16 bits.
		t.Add(l, fPTPV1Version, off, 2, t.U16(off))
		return
	}
	b0, b1 := t.U8(off), t.U8(off+1)
	t.Add(l, fPTPMajorSdoID, off, 1, b0>>4)
	t.Add(l, fPTPMessageType, off, 1, b0&0x0f)
	t.Add(l, fPTPMinorVersion, off+1, 1, b1>>4)
	t.Add(l, fPTPVersion, off+1, 1, b1&0x0f)
	if n < ptpHeaderLen {
		runOut(t, l, protoPTP, off+ptpHeaderLen, end)
		return
	}
	t.Add(l, fPTPMessageLength, off+2, 2, t.U16(off+2))
	t.Add(l, fPTPDomain, off+4, 1, t.U8(off+4))
	t.Add(l, fPTPMinorSdoID, off+5, 1, t.U8(off+5))
	t.Add(l, fPTPFlags, off+6, 2, t.U16(off+6))
	t.Add(l, fPTPCorrectionNs, off+8, 6, t.U64(off+8)>>16)
	t.Add(l, fPTPTypeSpecific, off+16, 4, t.U32(off+16))
	t.Add(l, fPTPClockIdentity, off+20, 8, t.U64(off+20))
	t.Add(l, fPTPSourcePortID, off+28, 2, t.U16(off+28))
	t.Add(l, fPTPSequenceID, off+30, 2, t.U16(off+30))
	t.Add(l, fPTPControl, off+32, 1, t.U8(off+32))
	t.Add(l, fPTPLogPeriod, off+33, 1, t.U8(off+33))
	typ := b0 & 0x0f
	body := ptpBodyLen[typ]
	if body == 0 {
		return
	}
	o := off + ptpHeaderLen
	if n < ptpHeaderLen+body {
		runOut(t, l, protoPTP, o+body, end)
		return
	}
	switch typ {
	case ptpSync, ptpDelayReq:
		ptpTime(t, l, fPTPOriginSeconds, fPTPOriginNanos, o)
	case ptpFollowUp:
		ptpTime(t, l, fPTPPreciseSeconds, fPTPPreciseNanos, o)
	case ptpDelayResp:
		ptpTime(t, l, fPTPReceiveSeconds, fPTPReceiveNanos, o)
		t.Add(l, fPTPRequestingID, o+10, 8, t.U64(o+10))
		t.Add(l, fPTPRequestingPort, o+18, 2, t.U16(o+18))
	case ptpAnnounce:
		ptpTime(t, l, fPTPAnOriginSeconds, fPTPAnOriginNanos, o)
		t.Add(l, fPTPAnUTCOffset, o+10, 2, t.U16(o+10))
		t.Add(l, fPTPAnPriority1, o+13, 1, t.U8(o+13))
		t.Add(l, fPTPAnClockClass, o+14, 1, t.U8(o+14))
		t.Add(l, fPTPAnClockAccuracy, o+15, 1, t.U8(o+15))
		t.Add(l, fPTPAnClockVariance, o+16, 2, t.U16(o+16))
		t.Add(l, fPTPAnPriority2, o+18, 1, t.U8(o+18))
		t.Add(l, fPTPAnGrandmaster, o+19, 8, t.U64(o+19))
		t.Add(l, fPTPAnStepsRemoved, o+27, 2, t.U16(o+27))
		t.Add(l, fPTPTimeSource, o+29, 1, t.U8(o+29))
	case ptpManagement:
		t.Add(l, fPTPMMTargetIdentity, o, 8, t.U64(o))
		t.Add(l, fPTPMMTargetPort, o+8, 2, t.U16(o+8))
		t.Add(l, fPTPMMStartHops, o+10, 1, t.U8(o+10))
		t.Add(l, fPTPMMHops, o+11, 1, t.U8(o+11))
		t.Add(l, fPTPMMAction, o+12, 1, t.U8(o+12)&0x1f)
	}
}

// ptpAppendTime appends the timestamp at o as tcpdump does: "0 seconds, 0
// nanoseconds", without the comma when comma is false.
func ptpAppendTime(b []byte, t *Tree, o int, comma bool) []byte {
	b = strconv.AppendUint(b, t.U16(o)<<32|t.U32(o+2), 10)
	b = append(b, " seconds"...)
	if comma {
		b = append(b, ',')
	}
	b = append(b, ' ')
	b = strconv.AppendUint(b, t.U32(o+6), 10)
	return append(b, " nanoseconds"...)
}

// textPTP prints tcpdump's line for a version 2 message, its header's
// fields ("PTPv2, v1 compat : no, msg type : sync msg, length : 44, ...")
// and then its body's; for another version, "PTPv" and the version's byte.
func textPTP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off, _, lim := capturedSpan(t, n)
	if off+2 > lim {
		p.b = append(p.b, "[|ptp]"...)
		return
	}
	b := p.b
	ver := t.U8(off + 1)
	b = append(b, "PTPv"...)
	b = strconv.AppendUint(b, ver, 10)
	if ver != 2 {
		p.b = b
		return
	}
	typ := t.U8(off) & 0x0f
	b = append(b, ", v1 compat : no, msg type : "...)
	b = append(b, ptpTypeWords[typ]...)
	if off+ptpHeaderLen > lim {
		p.b = append(b, " [|ptp]"...)
		return
	}
	b = append(b, ", length : "...)
	b = strconv.AppendUint(b, t.U16(off+2), 10)
	b = append(b, ", domain : "...)
	b = strconv.AppendUint(b, t.U8(off+4), 10)
	b = append(b, ", reserved1 : "...)
	b = strconv.AppendUint(b, t.U8(off+5), 10)
	b = append(b, ", Flags ["...)
	fl, first := t.U16(off+6), true
	for _, w := range ptpFlagWords {
		if fl&w.bit != 0 {
			if !first {
				b = append(b, ", "...)
			}
			b, first = append(b, w.name...), false
		}
	}
	if first {
		b = append(b, "none"...)
	}
	corr := int64(t.U64(off + 8))
	b = append(b, "], NS correction : "...)
	b = strconv.AppendInt(b, corr>>16, 10)
	b = append(b, ", sub NS correction : "...)
	b = strconv.AppendInt(b, corr&0xffff, 10)
	b = append(b, ", reserved2 : "...)
	b = strconv.AppendUint(b, t.U32(off+16), 10)
	b = append(b, ", clock identity : 0x"...)
	b = strconv.AppendUint(b, t.U64(off+20), 16)
	b = append(b, ", port id : "...)
	b = strconv.AppendUint(b, t.U16(off+28), 10)
	b = append(b, ", seq id : "...)
	b = strconv.AppendUint(b, t.U16(off+30), 10)
	ctl := t.U8(off + 32)
	b = append(b, ", control : "...)
	b = strconv.AppendUint(b, ctl, 10)
	if ctl < uint64(len(ptpControlWords)) {
		b = append(b, " ("...)
		b = append(b, ptpControlWords[ctl]...)
		b = append(b, ')')
	}
	b = append(b, ", log message interval : "...)
	b = strconv.AppendUint(b, t.U8(off+33), 10)
	o := off + ptpHeaderLen
	if body := ptpBodyLen[typ]; body > 0 && o+body > lim {
		p.b = append(b, " [|ptp]"...)
		return
	}
	switch typ {
	case ptpSync, ptpDelayReq:
		b = append(b, ", originTimeStamp : "...)
		b = ptpAppendTime(b, t, o, true)
	case ptpFollowUp:
		b = append(b, ", preciseOriginTimeStamp : "...)
		b = ptpAppendTime(b, t, o, true)
	case ptpDelayResp:
		b = append(b, ", receiveTimeStamp : "...)
		b = ptpAppendTime(b, t, o, true)
		b = append(b, ", port identity : 0x"...)
		b = strconv.AppendUint(b, t.U64(o+10), 16)
		b = append(b, ", port id : "...)
		b = strconv.AppendUint(b, t.U16(o+18), 10)
	case ptpAnnounce:
		b = append(b, ", originTimeStamp : "...)
		b = ptpAppendTime(b, t, o, false)
		b = append(b, ", origin cur utc :"...)
		b = strconv.AppendUint(b, t.U16(o+10), 10)
		b = append(b, ", rsvd : "...)
		b = strconv.AppendUint(b, t.U8(o+12), 10)
		b = append(b, ", gm priority_1 : "...)
		b = strconv.AppendUint(b, t.U8(o+13), 10)
		b = append(b, ", gm clock class : "...)
		b = strconv.AppendUint(b, t.U8(o+14), 10)
		b = append(b, ", gm clock accuracy : "...)
		b = strconv.AppendUint(b, t.U8(o+15), 10)
		b = append(b, ", gm clock variance : "...)
		b = strconv.AppendUint(b, t.U16(o+16), 10)
		b = append(b, ", gm priority_2 : "...)
		b = strconv.AppendUint(b, t.U8(o+18), 10)
		b = append(b, ", gm clock id : 0x"...)
		b = strconv.AppendUint(b, t.U64(o+19), 16)
		b = append(b, ", steps removed : "...)
		b = strconv.AppendUint(b, t.U16(o+27), 10)
		b = append(b, ", time source : 0x"...)
		b = strconv.AppendUint(b, t.U8(o+29), 16)
	case ptpManagement:
		b = append(b, ", port identity : 0x"...)
		b = strconv.AppendUint(b, t.U64(o), 16)
		b = append(b, ", port id : "...)
		b = strconv.AppendUint(b, t.U16(o+8), 10)
		// tcpdump reads all four of the next values from one byte, the
		// port id's first.
		v := t.U8(o + 8)
		b = append(b, ", , start boundary hops  "...)
		b = strconv.AppendUint(b, v, 10)
		b = append(b, ", , boundary hops  "...)
		b = strconv.AppendUint(b, v, 10)
		b = append(b, ", , flags  0x"...)
		b = strconv.AppendUint(b, v, 16)
		b = append(b, ", , reserved  0x"...)
		b = strconv.AppendUint(b, v, 16)
	}
	p.b = b
}
