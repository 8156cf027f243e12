package decode

import (
	"encoding/binary"

	"strconv"

	"github.com/sockscope/sockscope/decode/wire"
)

// ICMP for IPv4 (RFC 792, RFC 950, RFC 1256): messages, the datagram an
// error quotes, and the checksum tcpdump -v verifies.

var (
	protoICMP          = proto("icmp", "Internet Control Message Protocol")
	fICMPType          = enumField("icmp.type", "Type", TypeUint8, icmpTypeNames)
	fICMPCode          = field("icmp.code", "Code", TypeUint8)
	fICMPChecksum      = register(Field{Name: "icmp.checksum", Title: "Checksum", Type: TypeUint16, Hex: true})
	fICMPChecksumCal   = register(Field{Name: "icmp.checksum_calculated", Title: "Calculated Checksum", Type: TypeUint16, Hex: true})
	fICMPIdent         = field("icmp.ident", "Identifier (BE)", TypeUint16)
	fICMPSeq           = field("icmp.seq", "Sequence Number (BE)", TypeUint16)
	fICMPMTU           = field("icmp.mtu", "MTU of next hop", TypeUint16)
	fICMPPointer       = field("icmp.pointer", "Pointer", TypeUint32)
	fICMPRedirGW       = field("icmp.redir_gw", "Gateway Address", TypeIPv4)
	fICMPNumAddrs      = field("icmp.num_addrs", "Number of addresses", TypeUint8)
	fICMPAddrEntrySize = field("icmp.addr_entry_size", "Address entry size", TypeUint8)
	fICMPLifetime      = field("icmp.lifetime", "Lifetime", TypeUint16)
	fICMPRouterAddr    = field("icmp.router_address", "Router address", TypeIPv4)
	fICMPPrefLevel     = field("icmp.pref_level", "Preference level", TypeInt32)
	fICMPOrigTS        = field("icmp.originate_timestamp", "Originate Timestamp", TypeUint32)
	fICMPRecvTS        = field("icmp.receive_timestamp", "Receive Timestamp", TypeUint32)
	fICMPXmitTS        = field("icmp.transmit_timestamp", "Transmit Timestamp", TypeUint32)
	fICMPAddrMask      = field("icmp.address_mask", "Address Mask", TypeIPv4)
	fICMPDataTime      = field("icmp.data_time", "Timestamp from icmp data", TypeAbsTime)
	fICMPDataTimeRel   = field("icmp.data_time_relative", "Timestamp from icmp data (relative)", TypeRelTime)
)

// fICMPChecksumBad is the expert item of a wrong checksum; its value is the
// checksum the message should have (expert.go).
var fICMPChecksumBad = field("icmp.checksum_bad", "Bad checksum", TypeNone)

var icmpTypeNames = map[uint64]string{
	0: "Echo (ping) reply", 3: "Destination unreachable", 4: "Source quench (flow control)",
	5: "Redirect", 8: "Echo (ping) request", 9: "Router advertisement", 10: "Router solicitation",
	11: "Time-to-live exceeded", 12: "Parameter problem", 13: "Timestamp request",
	14: "Timestamp reply", 15: "Information request", 16: "Information reply",
	17: "Address mask request", 18: "Address mask reply",
}

func init() {
	IPProtocols.Register(1, dissectICMP)
	registerText(protoICMP, textICMP)
}

// icmpQuotes reports whether ICMP type typ carries the start of the
// datagram that caused it.
func icmpQuotes(typ uint64) bool {
	return typ == 3 || typ == 4 || typ == 5 || typ == 11 || typ == 12
}

// dissectICMP reads an ICMP message in [off, end).
func dissectICMP(t *Tree, off, end int) {
	n := t.Avail(off, end)
	l := t.AddLayer(protoICMP, off, end-off)
	if icmpCutFromStart(t.Data, off, n) {
		t.Mark(l, Truncated)
	}
	if n < 2 {
		return
	}
	typ := t.U8(off)
	t.Add(l, fICMPType, off, 1, typ)
	t.Add(l, fICMPCode, off+1, 1, t.U8(off+1))
	if n < 4 {
		return
	}
	ck := t.Add(l, fICMPChecksum, off+2, 2, t.U16(off+2))
	if n == end-off && !ipFragmented(t, l) && !ipCutBelow(t, l, end) {
		b := t.Data[off:end]
		c := t.Add(l, fICMPChecksumCal, off+2, 2, uint64(wire.Fold(wire.Sum(wire.Sum(0, b[:2]), b[4:]))))
		t.Nodes[c].Flags |= Generated
		if wire.Fold(wire.Sum(0, b)) != 0 {
			t.Mark(ck, Malformed)
			t.Add(c, fICMPChecksumBad, off+2, 2, t.Nodes[c].Val)
		}
	}
	if n < 8 {
		return
	}
	switch typ {
	case 0, 8, 13, 14, 15, 16, 17, 18:
		t.Add(l, fICMPIdent, off+4, 2, t.U16(off+4))
		t.Add(l, fICMPSeq, off+6, 2, t.U16(off+6))
		switch {
		case (typ == 13 || typ == 14) && n >= 20:
			t.Add(l, fICMPOrigTS, off+8, 4, t.U32(off+8))
			t.Add(l, fICMPRecvTS, off+12, 4, t.U32(off+12))
			t.Add(l, fICMPXmitTS, off+16, 4, t.U32(off+16))
		case (typ == 17 || typ == 18) && n >= 12:
			t.AddBytes(l, fICMPAddrMask, off+8, 4)
		}
	case 3:
		if t.U8(off+1) == 4 {
			t.Add(l, fICMPMTU, off+6, 2, t.U16(off+6))
		}
	case 5:
		t.AddBytes(l, fICMPRedirGW, off+4, 4)
	case 12:
		t.Add(l, fICMPPointer, off+4, 1, t.U8(off+4))
	case 9:
		na := int(t.U8(off + 4))
		t.Add(l, fICMPNumAddrs, off+4, 1, uint64(na))
		t.Add(l, fICMPAddrEntrySize, off+5, 1, t.U8(off+5))
		t.Add(l, fICMPLifetime, off+6, 2, t.U16(off+6))
		for i, o := 0, off+8; i < na && t.U8(off+5) == 2 && o+8 <= off+n; i, o = i+1, o+8 {
			t.AddBytes(l, fICMPRouterAddr, o, 4)
			t.Add(l, fICMPPrefLevel, o+4, 4, t.U32(o+4))
		}
	}
	if typ == 0 || typ == 8 {
		icmpEchoData(t, l, off+8, end)
	}
	// The quoted datagram, when a byte of it was captured.
	if icmpQuotes(typ) && n > 8 {
		t.Call(dissectIP, off+8, end)
	}
}

// icmpEchoData reads an echo's bytes in [off, end): a timestamp first when
// they start with one, then data, as Wireshark has them. ping writes the
// time it sent the echo at the start of its data; Wireshark takes the first
// 8 bytes for one when, read as 32-bit seconds and microseconds (big-endian,
// else little-endian), the microseconds are under a million and the seconds
// within a day of the packet's (learned from tshark 4.0 on echoes made
// for it: 86,399 seconds either way are taken, 86,400 are not).
func icmpEchoData(t *Tree, l, off, end int) {
	if t.Avail(off, end) >= 8 {
		frame := t.CI.Timestamp.Unix()
		for _, order := range []binary.ByteOrder{binary.BigEndian, binary.LittleEndian} {
			sec, usec := int64(order.Uint32(t.Data[off:])), int64(order.Uint32(t.Data[off+4:]))
			if usec >= 1_000_000 || sec-frame >= 86400 || frame-sec >= 86400 {
				continue
			}
			ts := sec*1_000_000_000 + usec*1000
			t.Add(l, fICMPDataTime, off, 8, uint64(ts))
			t.Add(l, fICMPDataTimeRel, off, 8, uint64(t.CI.Timestamp.UnixNano()-ts))
			off += 8
			break
		}
	}
	if t.Avail(off, end) > 0 {
		DissectData(t, off, end)
	}
}

// ipCutBelow reports whether the IPv4 layer below node n ends, as the layer
// under it bounds it (a MACsec ICV follows), before end: the message is not
// wholly there and its checksum is not checked.
func ipCutBelow(t *Tree, n, end int) bool {
	ip := t.Below(n, protoIP)
	return ip >= 0 && int(t.Nodes[ip].Off)+int(t.Nodes[ip].Len) < end
}

// icmpCutFromStart reports whether the capture ends inside what tcpdump
// must read of the message at off (avail bytes captured) in a way that makes
// it abandon the packet: it prints "[|icmp]" and a single -x, -X or -A dumps
// the frame from its first byte (the layer is marked Truncated). tcpdump
// prints "[|icmp]" for other cut messages too (time exceeded, timestamp
// reply, router advertisement, a port unreachable cut before the quoted
// protocol) but still dumps them from the network header, as its output
// shows: those are not marked.
func icmpCutFromStart(d []byte, off, avail int) bool {
	if avail < 2 {
		return true
	}
	switch d[off] {
	case 0, 8, 13:
		return avail < 8
	case 18:
		return avail < 12
	case 12:
		return d[off+1] == 0 && avail < 5
	case 5:
		return avail < 8+20
	case 3:
		if d[off+1] != 3 {
			return avail < 8+20
		}
		// A port unreachable: cut once the quoted protocol was read.
		if avail < 8+10 {
			return false
		}
		return avail < 8+20 || avail < 8+int(d[off+8]&0x0f)*4+4
	}
	return false
}

// icmpUnreachText is tcpdump's text of the unreachable codes that name the
// quoted datagram's destination only: the part before and after it.
var icmpUnreachText = [16][2]string{
	0: {"net ", " unreachable"}, 1: {"host ", " unreachable"},
	4: {"", " unreachable - need to frag"}, 5: {"", " unreachable - source route failed"},
	6: {"net ", " unreachable - unknown"}, 7: {"host ", " unreachable - unknown"},
	8: {"", " unreachable - source host isolated"}, 9: {"net ", " unreachable - admin prohibited"},
	10: {"host ", " unreachable - admin prohibited"}, 11: {"net ", " unreachable - tos prohibited"},
	12: {"host ", " unreachable - tos prohibited"}, 13: {"host ", " unreachable - admin prohibited filter"},
	14: {"host ", " unreachable - host precedence violation"}, 15: {"host ", " unreachable - precedence cutoff"},
}

// appendMsTime appends milliseconds since midnight as tcpdump prints ICMP
// timestamps: 00:00:01.000 (a day or more prints hours past 24).
func appendMsTime(b []byte, ms uint64) []byte {
	s := ms / 1000
	b = append2(b, s/3600)
	b = append(b, ':')
	b = append2(b, s/60%60)
	b = append(b, ':')
	b = append2(b, s%60)
	b = append(b, '.')
	f := ms % 1000
	b = append(b, byte('0'+f/100), byte('0'+f/10%10), byte('0'+f%10))
	return b
}

// appendClockTime appends a number of seconds as tcpdump prints a router's
// lifetime: 1:00:01, 1:01, 45.
func appendClockTime(b []byte, s uint64) []byte {
	switch {
	case s >= 3600:
		b = strconv.AppendUint(b, s/3600, 10)
		b = append(b, ':')
		b = append2(b, s/60%60)
		b = append(b, ':')
		return append2(b, s%60)
	case s >= 60:
		b = strconv.AppendUint(b, s/60, 10)
		b = append(b, ':')
		return append2(b, s%60)
	}
	return strconv.AppendUint(b, s, 10)
}

// append2 appends v with at least two digits.
func append2(b []byte, v uint64) []byte {
	if v < 10 {
		b = append(b, '0')
	}
	return strconv.AppendUint(b, v, 10)
}

// textICMP prints "ICMP ..." for the message of layer l.
func textICMP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off := int(t.Nodes[n].Off)
	length := int(t.Nodes[n].Len)
	d := t.Data
	avail := len(d) - off
	if ln := int(t.Nodes[n].Len); avail > ln {
		avail = ln
	}
	start := len(p.b)
	trunc := func() {
		p.b = append(p.b[:start], " [|icmp]"...)
	}
	if avail < 2 {
		trunc()
		return
	}
	typ, code := uint64(d[off]), uint64(d[off+1])
	p.b = append(p.b, "ICMP "...)
	u16 := func(o int) uint64 { return uint64(d[o])<<8 | uint64(d[o+1]) }
	u32 := func(o int) uint64 { return u16(o)<<16 | u16(o+2) }
	// The quoted datagram's header, where an error needs it.
	inner := off + 8
	innerHdr := func() bool { return avail >= 8+20 }
	switch typ {
	case 0, 8:
		if avail < 8 {
			trunc()
			return
		}
		if typ == 0 {
			p.b = append(p.b, "echo reply, id "...)
		} else {
			p.b = append(p.b, "echo request, id "...)
		}
		p.b = strconv.AppendUint(p.b, u16(off+4), 10)
		p.b = append(p.b, ", seq "...)
		p.b = strconv.AppendUint(p.b, u16(off+6), 10)
	case 3:
		if !innerHdr() {
			trunc()
			return
		}
		dst := d[inner+16 : inner+20]
		switch {
		case code == 2:
			p.b = appendIPv4(p.b, dst)
			p.b = append(p.b, " protocol "...)
			p.b = strconv.AppendUint(p.b, uint64(d[inner+9]), 10)
			p.b = append(p.b, " unreachable"...)
		case code == 3:
			hl := int(d[inner]&0x0f) * 4
			if avail < 8+hl+4 {
				trunc()
				return
			}
			port := u16(inner + hl + 2)
			p.b = appendIPv4(p.b, dst)
			switch d[inner+9] {
			case 6:
				p.b = append(p.b, " tcp port "...)
				p.b = strconv.AppendUint(p.b, port, 10)
			case 17:
				p.b = append(p.b, " udp port "...)
				p.b = strconv.AppendUint(p.b, port, 10)
			default:
				p.b = append(p.b, " protocol "...)
				p.b = strconv.AppendUint(p.b, uint64(d[inner+9]), 10)
				p.b = append(p.b, " port "...)
				p.b = strconv.AppendUint(p.b, port, 10)
			}
			p.b = append(p.b, " unreachable"...)
		case code < 16:
			s := icmpUnreachText[code]
			p.b = append(p.b, s[0]...)
			p.b = appendIPv4(p.b, dst)
			p.b = append(p.b, s[1]...)
			if code == 4 {
				if mtu := u16(off + 6); mtu != 0 {
					p.b = append(p.b, " (mtu "...)
					p.b = strconv.AppendUint(p.b, mtu, 10)
					p.b = append(p.b, ')')
				}
			}
		default:
			p.b = appendIPv4(p.b, dst)
			p.b = append(p.b, " unreachable - #"...)
			p.b = strconv.AppendUint(p.b, code, 10)
		}
	case 4:
		p.b = append(p.b, "source quench"...)
	case 5:
		if !innerHdr() {
			trunc()
			return
		}
		switch code {
		case 0:
			p.b = append(p.b, "redirect "...)
		case 1:
			p.b = append(p.b, "redirect "...)
		case 2, 3:
			p.b = append(p.b, "redirect-tos "...)
		default:
			p.b = append(p.b, "redirect-#"...)
			p.b = strconv.AppendUint(p.b, code, 10)
			p.b = append(p.b, ' ')
		}
		p.b = appendIPv4(p.b, d[inner+16:inner+20])
		switch code {
		case 0, 2:
			p.b = append(p.b, " to net "...)
		case 1, 3:
			p.b = append(p.b, " to host "...)
		default:
			p.b = append(p.b, " to "...)
		}
		p.b = appendIPv4(p.b, d[off+4:off+8])
	case 9:
		if avail < 8 {
			trunc()
			return
		}
		p.b = append(p.b, "router advertisement lifetime "...)
		p.b = appendClockTime(p.b, u16(off+6))
		na := int(d[off+4])
		p.b = append(p.b, ' ')
		p.b = strconv.AppendUint(p.b, uint64(na), 10)
		p.b = append(p.b, ':')
		if es := d[off+5]; es != 2 {
			// Only entries of two words (address, preference) are read.
			p.b = append(p.b, " [size "...)
			p.b = strconv.AppendUint(p.b, uint64(es), 10)
			p.b = append(p.b, ']')
			break
		}
		for i, o := 0, off+8; i < na; i, o = i+1, o+8 {
			if o+8 > off+avail {
				trunc()
				return
			}
			p.b = append(p.b, " {"...)
			p.b = appendIPv4(p.b, d[o:o+4])
			p.b = append(p.b, ' ')
			p.b = strconv.AppendUint(p.b, u32(o+4), 10)
			p.b = append(p.b, '}')
		}
	case 10:
		p.b = append(p.b, "router solicitation"...)
	case 11:
		if !innerHdr() {
			trunc()
			return
		}
		switch code {
		case 0:
			p.b = append(p.b, "time exceeded in-transit"...)
		case 1:
			p.b = append(p.b, "ip reassembly time exceeded"...)
		default:
			p.b = append(p.b, "time exceeded-#"...)
			p.b = strconv.AppendUint(p.b, code, 10)
		}
	case 12:
		if code == 0 {
			if avail < 5 {
				trunc()
				return
			}
			p.b = append(p.b, "parameter problem - octet "...)
			p.b = strconv.AppendUint(p.b, uint64(d[off+4]), 10)
		} else {
			p.b = append(p.b, "parameter problem - code "...)
			p.b = strconv.AppendUint(p.b, code, 10)
		}
	case 13, 14:
		if avail < 8 {
			trunc()
			return
		}
		if typ == 13 {
			p.b = append(p.b, "time stamp query id "...)
		} else {
			p.b = append(p.b, "time stamp reply id "...)
		}
		p.b = strconv.AppendUint(p.b, u16(off+4), 10)
		p.b = append(p.b, " seq "...)
		p.b = strconv.AppendUint(p.b, u16(off+6), 10)
		if typ == 14 {
			if avail < 20 {
				trunc()
				return
			}
			p.b = append(p.b, ": org "...)
			p.b = appendMsTime(p.b, u32(off+8))
			p.b = append(p.b, ", recv "...)
			p.b = appendMsTime(p.b, u32(off+12))
			p.b = append(p.b, ", xmit "...)
			p.b = appendMsTime(p.b, u32(off+16))
		}
	case 15:
		p.b = append(p.b, "information request"...)
	case 16:
		p.b = append(p.b, "information reply"...)
	case 17:
		p.b = append(p.b, "address mask request"...)
	case 18:
		if avail < 12 {
			trunc()
			return
		}
		p.b = append(p.b, "address mask is 0x"...)
		m := u32(off + 8)
		for sh := 28; sh >= 0; sh -= 4 {
			p.b = append(p.b, "0123456789abcdef"[m>>uint(sh)&0xf])
		}
	default:
		p.b = append(p.b, "type-#"...)
		p.b = strconv.AppendUint(p.b, typ, 10)
	}
	p.b = append(p.b, ", length "...)
	p.b = strconv.AppendUint(p.b, uint64(length), 10)
	if p.opt.Verbose > 0 {
		inIP := p.Proto(l+1) == protoIP && t.Below(p.Node(l+1), protoICMP) == n
		if length == avail && avail < 4 {
			// A whole message too short for its checksum.
			p.b = append(p.b, " [|icmp]"...)
			return
		}
		if i := t.Find(n, fICMPChecksumCal); i >= 0 && length <= avail {
			ck, _ := t.Value(n, fICMPChecksum)
			if t.Nodes[t.Find(n, fICMPChecksum)].Flags&Malformed != 0 {
				p.b = append(p.b, " (wrong icmp cksum "...)
				p.b = strconv.AppendUint(p.b, ck, 16)
				p.b = append(p.b, " (->"...)
				p.b = strconv.AppendUint(p.b, t.Nodes[i].Val, 16)
				p.b = append(p.b, ")!)"...)
			}
		}
		if icmpQuotes(typ) {
			p.b = append(p.b, "\n\t"...)
			if avail < 8+4 {
				// tcpdump -v abandons the packet here: the dumps start
				// at the frame's first byte.
				p.abandon()
				p.b = append(p.b, " [|icmp]"...)
				return
			}
			if !inIP {
				return
			}
			p.Layer(l + 1)
			if typ == 3 || typ == 11 || typ == 12 {
				itotal := int(d[inner+2])<<8 | int(d[inner+3])
				if length > 8+128 && length != 8+itotal {
					// Without RFC 4884's length (the older, compatible
					// form), tcpdump takes the bytes after the first 128
					// for an extension only when their checksum holds.
					p.icmpExtensions(off+8+128, off+length, d[off+5] != 0)
				}
			}
		}
	}
}

// icmpExtensions prints the RFC 4884 extension structure in [off, end);
// unless sized (the message gave its length), not when it was captured
// whole and its checksum is wrong.
func (p *Printer) icmpExtensions(off, end int, sized bool) {
	d := p.t.Data
	if off+4 > len(d) {
		return
	}
	if !sized && end <= len(d) && wire.Fold(wire.Sum(0, d[off:end])) != 0 {
		return
	}
	v := d[off] >> 4
	if v != 2 {
		p.b = append(p.b, "\n\tICMP Multi-Part extension v"...)
		p.b = strconv.AppendUint(p.b, uint64(v), 10)
		p.b = append(p.b, " packet not supported"...)
		return
	}
	p.b = append(p.b, "\n\tICMP Multi-Part extension v2, checksum 0x"...)
	ck := uint64(d[off+2])<<8 | uint64(d[off+3])
	p.b = appendHex4(p.b, ck)
	if end <= len(d) && wire.Fold(wire.Sum(0, d[off:end])) == 0 {
		p.b = append(p.b, " (correct)"...)
	} else {
		p.b = append(p.b, " (incorrect)"...)
	}
	p.b = append(p.b, ", length "...)
	p.b = strconv.AppendUint(p.b, uint64(end-off), 10)
	o := off + 4
	for o+4 <= end && o+4 <= len(d) {
		olen := int(d[o])<<8 | int(d[o+1])
		class, ctype := d[o+2], d[o+3]
		p.b = append(p.b, "\n\t  "...)
		switch class {
		case 1:
			p.b = append(p.b, "MPLS Stack Entry"...)
		case 2:
			p.b = append(p.b, "Interface Identification"...)
		default:
			p.b = append(p.b, "unknown"...)
		}
		p.b = append(p.b, " Object ("...)
		p.b = strconv.AppendUint(p.b, uint64(class), 10)
		p.b = append(p.b, "), Class-Type: "...)
		p.b = strconv.AppendUint(p.b, uint64(ctype), 10)
		p.b = append(p.b, ", length "...)
		p.b = strconv.AppendUint(p.b, uint64(olen), 10)
		if olen < 4 {
			return
		}
		body := o + 4
		bend := o + olen
		if bend > len(d) {
			bend = len(d)
		}
		if class == 1 && ctype == 1 {
			for ; body+4 <= bend; body += 4 {
				e := uint64(d[body])<<24 | uint64(d[body+1])<<16 | uint64(d[body+2])<<8 | uint64(d[body+3])
				p.b = append(p.b, "\n\t    label "...)
				p.b = strconv.AppendUint(p.b, e>>12, 10)
				p.b = append(p.b, ", tc "...)
				p.b = strconv.AppendUint(p.b, e>>9&7, 10)
				if e&0x100 != 0 {
					p.b = append(p.b, ", [S]"...)
				}
				p.b = append(p.b, ", ttl "...)
				p.b = strconv.AppendUint(p.b, e&0xff, 10)
			}
		} else if body < bend {
			p.b = appendHexLines(p.b, "\n\t    ", d[body:bend])
		}
		o += olen
	}
}

// appendHex4 appends v as four hexadecimal digits.
func appendHex4(b []byte, v uint64) []byte {
	for sh := 12; sh >= 0; sh -= 4 {
		b = append(b, "0123456789abcdef"[v>>uint(sh)&0xf])
	}
	return b
}

// appendHexLines appends data as tcpdump's hex dump of unknown data: lines
// of 16 bytes, each starting with prefix and the offset.
func appendHexLines(b []byte, prefix string, data []byte) []byte {
	for i := 0; i < len(data); i += 16 {
		b = append(b, prefix...)
		b = append(b, "0x"...)
		b = appendHex4(b, uint64(i))
		b = append(b, ": "...)
		for j := i; j < i+16 && j < len(data); j++ {
			if (j-i)%2 == 0 {
				b = append(b, ' ')
			}
			b = append(b, "0123456789abcdef"[data[j]>>4], "0123456789abcdef"[data[j]&0xf])
		}
	}
	return b
}
