package decode

import (
	"strconv"
	"time"
)

// NTP (RFC 5905; version 1-3 RFC 1059, 1119, 1305) on UDP port 123: time
// messages (modes 0-5), control messages (mode 6, RFC 1305 appendix B) and
// private messages (mode 7, shown by their first byte only).

var (
	protoNTP          = proto("ntp", "Network Time Protocol")
	fNTPFlags         = register(Field{Name: "ntp.flags", Title: "Flags", Type: TypeUint8, Hex: true})
	fNTPFlagsLI       = register(Field{Name: "ntp.flags.li", Title: "Leap Indicator", Type: TypeUint8, Mask: 0xc0})
	fNTPFlagsVN       = register(Field{Name: "ntp.flags.vn", Title: "Version number", Type: TypeUint8, Mask: 0x38})
	fNTPFlagsMode     = register(Field{Name: "ntp.flags.mode", Title: "Mode", Type: TypeUint8, Mask: 0x07, Values: ntpModeValues})
	fNTPStratum       = field("ntp.stratum", "Peer Clock Stratum", TypeUint8)
	fNTPPoll          = field("ntp.ppoll", "Peer Polling Interval", TypeUint8)
	fNTPPrecision     = field("ntp.precision", "Peer Clock Precision", TypeUint8)
	fNTPRootDelay     = field("ntp.rootdelay", "Root Delay", TypeUint32)
	fNTPRootDisp      = field("ntp.rootdispersion", "Root Dispersion", TypeUint32)
	fNTPRefID         = field("ntp.refid", "Reference ID", TypeBytes)
	fNTPRefTime       = field("ntp.reftime", "Reference Timestamp", TypeAbsTime)
	fNTPOrg           = field("ntp.org", "Origin Timestamp", TypeAbsTime)
	fNTPRec           = field("ntp.rec", "Receive Timestamp", TypeAbsTime)
	fNTPXmt           = field("ntp.xmt", "Transmit Timestamp", TypeAbsTime)
	fNTPKeyID         = field("ntp.keyid", "Key ID", TypeBytes)
	fNTPMAC           = field("ntp.mac", "Message Authentication Code", TypeBytes)
	fNTPCtrlFlags2    = field("ntp.ctrl.flags2", "Flags 2", TypeUint8)
	fNTPCtrlR         = register(Field{Name: "ntp.ctrl.flags2.r", Title: "Response bit", Type: TypeUint8, Mask: 0x80})
	fNTPCtrlError     = register(Field{Name: "ntp.ctrl.flags2.error", Title: "Error bit", Type: TypeUint8, Mask: 0x40})
	fNTPCtrlMore      = register(Field{Name: "ntp.ctrl.flags2.more", Title: "More bit", Type: TypeUint8, Mask: 0x20})
	fNTPCtrlOpcode    = register(Field{Name: "ntp.ctrl.flags2.opcode", Title: "Opcode", Type: TypeUint8, Mask: 0x1f})
	fNTPCtrlSequence  = field("ntp.ctrl.sequence", "Sequence", TypeUint16)
	fNTPCtrlStatus    = register(Field{Name: "ntp.ctrl.status", Title: "Status", Type: TypeUint16, Hex: true})
	fNTPCtrlAssocID   = field("ntp.ctrl.associd", "AssociationID", TypeUint16)
	fNTPCtrlOffset    = field("ntp.ctrl.offset", "Offset", TypeUint16)
	fNTPCtrlCount     = field("ntp.ctrl.count", "Count", TypeUint16)
	fNTPCtrlData      = field("ntp.ctrl.data", "Data", TypeNone)
	fNTPPrivReqCode   = field("ntp.priv.reqcode", "Request code", TypeUint8)
	fNTPPrivAuthSeq   = field("ntp.priv.auth_seq", "Auth, sequence", TypeUint8)
	fNTPPrivImpl      = field("ntp.priv.impl", "Implementation", TypeUint8)
	ntpModeValues     = map[uint64]string{0: "reserved", 1: "symmetric active", 2: "symmetric passive", 3: "client", 4: "server", 5: "broadcast", 6: "NTP control message", 7: "reserved for private use"}
	ntpModeNames      = [8]string{"unspecified", "symmetric active", "symmetric passive", "Client", "Server", "Broadcast", "Control Message", "Reserved"}
	ntpLeapNames      = [4]string{"", "+1s", "-1s", "clock unsynchronized"}
	ntpTimestampField = [4]FieldID{fNTPRefTime, fNTPOrg, fNTPRec, fNTPXmt}
	// ntpHeaderLen is the fixed header's size by mode: a control message's
	// (6) is 12 bytes, a private message is read to its fourth byte.
	ntpHeaderLen = [8]int{48, 48, 48, 48, 48, 48, 12, 4}
)

func init() {
	UDPPorts.Register(123, dissectNTP)
	registerText(protoNTP, textNTP)
}

// ntpUnixNano converts the 64-bit NTP timestamp at off (era 0) to Unix
// nanoseconds.
func ntpUnixNano(t *Tree, off int) uint64 {
	sec := int64(t.U32(off)) - 2208988800
	frac := t.U32(off + 4)
	return uint64(sec*1e9 + int64(frac*1e9>>32))
}

func dissectNTP(t *Tree, off, end int) {
	l := t.AddLayer(protoNTP, off, end-off)
	lim := capturedEnd(t, end)
	if off+1 > lim {
		t.Mark(l, Truncated)
		return
	}
	b0 := t.U8(off)
	fl := t.Add(l, fNTPFlags, off, 1, b0)
	t.Add(fl, fNTPFlagsLI, off, 1, b0>>6)
	t.Add(fl, fNTPFlagsVN, off, 1, b0>>3&7)
	t.Add(fl, fNTPFlagsMode, off, 1, b0&7)
	if off+ntpHeaderLen[b0&7] > lim {
		t.Mark(l, Truncated)
		return
	}
	switch b0 & 7 {
	case 6:
		f2 := t.U8(off + 1)
		fi := t.Add(l, fNTPCtrlFlags2, off+1, 1, f2)
		t.Add(fi, fNTPCtrlR, off+1, 1, f2>>7)
		t.Add(fi, fNTPCtrlError, off+1, 1, f2>>6&1)
		t.Add(fi, fNTPCtrlMore, off+1, 1, f2>>5&1)
		t.Add(fi, fNTPCtrlOpcode, off+1, 1, f2&0x1f)
		t.Add(l, fNTPCtrlSequence, off+2, 2, t.U16(off+2))
		t.Add(l, fNTPCtrlStatus, off+4, 2, t.U16(off+4))
		t.Add(l, fNTPCtrlAssocID, off+6, 2, t.U16(off+6))
		t.Add(l, fNTPCtrlOffset, off+8, 2, t.U16(off+8))
		count := int(t.U16(off + 10))
		t.Add(l, fNTPCtrlCount, off+10, 2, uint64(count))
		if count > 0 {
			d := t.Add(l, fNTPCtrlData, off+12, count, 0)
			if off+12+count > lim {
				t.Mark(d, Truncated)
			}
		}
	case 7:
		t.Add(l, fNTPPrivAuthSeq, off+1, 1, t.U8(off+1))
		t.Add(l, fNTPPrivImpl, off+2, 1, t.U8(off+2))
		t.Add(l, fNTPPrivReqCode, off+3, 1, t.U8(off+3))
	default:
		t.Add(l, fNTPStratum, off+1, 1, t.U8(off+1))
		t.Add(l, fNTPPoll, off+2, 1, t.U8(off+2))
		t.Add(l, fNTPPrecision, off+3, 1, t.U8(off+3))
		t.Add(l, fNTPRootDelay, off+4, 4, t.U32(off+4))
		t.Add(l, fNTPRootDisp, off+8, 4, t.U32(off+8))
		t.AddBytes(l, fNTPRefID, off+12, 4)
		for i, f := range ntpTimestampField {
			t.Add(l, f, off+16+8*i, 8, ntpUnixNano(t, off+16+8*i))
		}
		extra := end - (off + 48)
		if extra == 4 || extra == 20 || extra == 24 {
			if off+52 > lim {
				t.Mark(l, Truncated)
				return
			}
			t.AddBytes(l, fNTPKeyID, off+48, 4)
			if extra > 4 {
				if off+48+extra > lim {
					t.Mark(l, Truncated)
					return
				}
				t.AddBytes(l, fNTPMAC, off+52, extra-4)
			}
		}
	}
}

// textNTP prints an NTP message as tcpdump does.
func textNTP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off, length, lim := capturedSpan(t, n)
	d := t.Data
	has := func(k int) bool { return off+k <= lim }
	trunc := func() { p.b = append(p.b, " [|ntp]"...) }
	// invalid marks a length too short for what it must hold.
	invalid := func() {
		p.b = append(p.b, " (invalid)"...)
		if !has(length) {
			trunc()
		}
	}
	if !has(1) {
		trunc()
		return
	}
	b0 := d[off]
	mode := b0 & 7
	p.b = append(p.b, "NTPv"...)
	p.b = strconv.AppendUint(p.b, uint64(b0>>3&7), 10)
	p.b = append(p.b, ", "...)
	p.b = append(p.b, ntpModeNames[mode]...)
	p.b = append(p.b, ", length "...)
	p.b = strconv.AppendUint(p.b, uint64(length), 10)
	if p.opt.Verbose == 0 {
		return
	}
	p.b = append(p.b, "\n\tLeap indicator: "...)
	p.b = append(p.b, ntpLeapNames[b0>>6]...)
	p.b = append(p.b, " ("...)
	p.b = strconv.AppendUint(p.b, uint64(b0&0xc0), 10)
	p.b = append(p.b, ')')
	if mode == 7 {
		return
	}
	if length < ntpHeaderLen[mode] {
		invalid()
		return
	}
	if !has(2) {
		trunc()
		return
	}
	if mode == 6 {
		f2 := d[off+1]
		if f2&0x80 != 0 {
			p.b = append(p.b, ", Response"...)
		} else {
			p.b = append(p.b, ", Request"...)
		}
		if f2&0x40 != 0 {
			p.b = append(p.b, ", Error"...)
		} else {
			p.b = append(p.b, ", OK"...)
		}
		if f2&0x20 != 0 {
			p.b = append(p.b, ", More"...)
		} else {
			p.b = append(p.b, ", Last"...)
		}
		p.b = append(p.b, ", OpCode="...)
		p.b = strconv.AppendUint(p.b, uint64(f2&0x1f), 10)
		p.b = append(p.b, '\n')
		if !has(4) {
			trunc()
			return
		}
		p.b = append(p.b, "\tSequence="...)
		p.b = strconv.AppendUint(p.b, t.U16(off+2), 10)
		if !has(6) {
			trunc()
			return
		}
		p.b = append(p.b, ", Status="...)
		if st := t.U16(off + 4); st != 0 {
			p.b = append(p.b, "0x"...)
			p.b = strconv.AppendUint(p.b, st, 16)
		} else {
			p.b = append(p.b, '0')
		}
		for i, name := range [3]string{", Assoc.=", ", Offset=", ", Count="} {
			if !has(8 + 2*i) {
				trunc()
				return
			}
			p.b = append(p.b, name...)
			p.b = strconv.AppendUint(p.b, t.U16(off+6+2*i), 10)
		}
		count := int(t.U16(off + 10))
		if count > 0 {
			if length-12 < count {
				invalid()
				return
			}
			if !has(12 + count) {
				trunc()
				return
			}
			p.b = append(p.b, "\n\tTO-BE-DONE: data not interpreted"...)
		}
		return
	}
	st := d[off+1]
	p.b = append(p.b, ", Stratum "...)
	p.b = strconv.AppendUint(p.b, uint64(st), 10)
	switch {
	case st == 0:
		p.b = append(p.b, " (unspecified)"...)
	case st == 1:
		p.b = append(p.b, " (primary reference)"...)
	case st <= 15:
		p.b = append(p.b, " (secondary reference)"...)
	default:
		p.b = append(p.b, " (reserved)"...)
	}
	if !has(3) {
		trunc()
		return
	}
	poll := int8(d[off+2])
	p.b = append(p.b, ", poll "...)
	p.b = strconv.AppendInt(p.b, int64(poll), 10)
	switch {
	case poll > -32 && poll < 0:
		p.b = append(p.b, " (1/"...)
		p.b = strconv.AppendUint(p.b, 1<<uint(-int(poll)), 10)
		p.b = append(p.b, "s)"...)
	case poll >= 0 && poll < 32:
		p.b = append(p.b, " ("...)
		p.b = strconv.AppendUint(p.b, 1<<uint(poll), 10)
		p.b = append(p.b, "s)"...)
	}
	if !has(4) {
		trunc()
		return
	}
	p.b = append(p.b, ", precision "...)
	p.b = strconv.AppendInt(p.b, int64(int8(d[off+3])), 10)
	if !has(8) {
		trunc()
		return
	}
	p.b = append(p.b, "\n\tRoot Delay: "...)
	p.b = ntpAppendShort(p.b, t.U32(off+4))
	if !has(12) {
		trunc()
		return
	}
	p.b = append(p.b, ", Root dispersion: "...)
	p.b = ntpAppendShort(p.b, t.U32(off+8))
	if !has(16) {
		trunc()
		return
	}
	p.b = append(p.b, ", Reference-ID: "...)
	switch {
	case st == 0:
		p.b = append(p.b, "(unspec)"...)
	case st == 1:
		p.b = dhcpAppendEsc(p.b, d[off+12:off+16])
	case st == 62 || st == 63:
		// tcpdump takes strata 62 and 63 for INFO_QUERY and INFO_REPLY:
		// it shows the reference ID as an address and stops there.
		p.b = appendIPv4(p.b, d[off+12:off+16])
		if st == 62 {
			p.b = append(p.b, " INFO_QUERY"...)
		} else {
			p.b = append(p.b, " INFO_REPLY"...)
		}
		return
	default:
		p.b = append(p.b, "0x"...)
		p.b = dhcp6AppendHex(p.b, d[off+12:off+16])
	}
	for i, name := range [4]string{"\n\t  Reference Timestamp:  ", "\n\t  Originator Timestamp: ",
		"\n\t  Receive Timestamp:    ", "\n\t  Transmit Timestamp:   "} {
		if !has(24 + 8*i) {
			trunc()
			return
		}
		p.b = append(p.b, name...)
		p.b = ntpAppendTime(p.b, t.U32(off+16+8*i), t.U32(off+20+8*i))
	}
	os, of := t.U32(off+24), t.U32(off+28)
	p.b = append(p.b, "\n\t    Originator - Receive Timestamp:  "...)
	p.b = ntpAppendDelta(p.b, os, of, t.U32(off+32), t.U32(off+36))
	p.b = append(p.b, "\n\t    Originator - Transmit Timestamp: "...)
	p.b = ntpAppendDelta(p.b, os, of, t.U32(off+40), t.U32(off+44))
	extra := length - 48
	switch extra {
	case 0:
	case 4, 20, 24:
		if !has(52) {
			trunc()
			return
		}
		p.b = append(p.b, "\n\tKey id: "...)
		p.b = strconv.AppendUint(p.b, t.U32(off+48), 10)
		if extra > 4 {
			if !has(48 + extra) {
				trunc()
				return
			}
			p.b = append(p.b, "\n\tAuthentication: "...)
			p.b = dhcp6AppendHex(p.b, d[off+52:off+48+extra])
		}
	default:
		p.b = append(p.b, "\n\t("...)
		p.b = strconv.AppendUint(p.b, uint64(extra), 10)
		p.b = append(p.b, " more bytes after the header)"...)
	}
}

// ntpAppendShort appends a 16.16 fixed-point value as seconds with six
// decimals.
func ntpAppendShort(b []byte, v uint64) []byte {
	b = strconv.AppendUint(b, v>>16, 10)
	b = append(b, '.')
	return ntpAppendPadded(b, (v&0xffff)*1000000>>16, 6)
}

// ntpAppendPadded appends v with at least width digits.
func ntpAppendPadded(b []byte, v uint64, width int) []byte {
	var buf [20]byte
	i := len(buf)
	for v > 0 || len(buf)-i < width {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
	}
	return append(b, buf[i:]...)
}

// ntpAppendTime appends an NTP timestamp as seconds since 1900 with nine
// decimals and, when the seconds are not zero, the UTC date.
func ntpAppendTime(b []byte, sec, frac uint64) []byte {
	b = strconv.AppendUint(b, sec, 10)
	b = append(b, '.')
	b = ntpAppendPadded(b, frac*1000000000>>32, 9)
	if sec != 0 {
		b = append(b, " ("...)
		b = time.Unix(int64(sec)-2208988800, 0).UTC().AppendFormat(b, "2006-01-02T15:04:05Z")
		b = append(b, ')')
	}
	return b
}

// ntpAppendDelta appends the signed difference of timestamp (s, f) from the
// originator's (os, of), or the timestamp itself when the originator's is
// zero.
func ntpAppendDelta(b []byte, os, of, s, f uint64) []byte {
	if os == 0 && of == 0 {
		return ntpAppendTime(b, s, f)
	}
	sd := int64(s) - int64(os)
	fd := int64(f) - int64(of)
	if fd < 0 {
		fd += 1 << 32
		sd--
	}
	// tcpdump calls equal timestamps negative: "-0.000000000".
	if sd < 0 || sd == 0 && fd == 0 {
		b = append(b, '-')
		if fd != 0 {
			sd, fd = -sd-1, 1<<32-fd
		} else {
			sd = -sd
		}
	} else {
		b = append(b, '+')
	}
	b = strconv.AppendUint(b, uint64(sd), 10)
	b = append(b, '.')
	return ntpAppendPadded(b, uint64(fd)*1000000000>>32, 9)
}
