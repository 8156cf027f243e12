package decode

import "strconv"

// Multipath TCP options (TCP option kind 30): RFC 6824 (version 0) and RFC
// 8684 (version 1). Subtypes: MP_CAPABLE 0, MP_JOIN 1, DSS 2, ADD_ADDR 3,
// REMOVE_ADDR 4, MP_PRIO 5, MP_FAIL 6, MP_FASTCLOSE 7; tcpdump shows the
// others (MP_TCPRST 8 among them) as "unknown".

var (
	fMPTCPSubtype  = register(Field{Name: "tcp.options.mptcp.subtype", Title: "Multipath TCP subtype", Type: TypeUint8, Mask: 0xf0, Values: mptcpSubtypeNames})
	fMPTCPVersion  = register(Field{Name: "tcp.options.mptcp.version", Title: "Multipath TCP version", Type: TypeUint8, Mask: 0x0f})
	fMPTCPFlags    = register(Field{Name: "tcp.options.mptcp.flags", Title: "Multipath TCP flags", Type: TypeUint8, Hex: true})
	fMPTCPSendKey  = register(Field{Name: "tcp.options.mptcp.sendkey", Title: "Sender's Key", Type: TypeUint64, Hex: true})
	fMPTCPRecvKey  = register(Field{Name: "tcp.options.mptcp.recvkey", Title: "Receiver's Key", Type: TypeUint64, Hex: true})
	fMPTCPAddrID   = field("tcp.options.mptcp.addrid", "Address ID", TypeUint8)
	fMPTCPRecvTok  = register(Field{Name: "tcp.options.mptcp.recvtok", Title: "Receiver's Token", Type: TypeUint32, Hex: true})
	fMPTCPSendRand = register(Field{Name: "tcp.options.mptcp.sendrand", Title: "Sender's Random Number", Type: TypeUint32, Hex: true})
	fMPTCPSendTHM  = register(Field{Name: "tcp.options.mptcp.sendtrunchmac", Title: "Sender's Truncated HMAC", Type: TypeUint64, Hex: true})
	fMPTCPSendHMAC = field("tcp.options.mptcp.sendhmac", "Sender's HMAC", TypeBytes)
	fMPTCPAddTHM   = register(Field{Name: "tcp.options.mptcp.addaddrtrunchmac", Title: "Truncated HMAC", Type: TypeUint64, Hex: true})
	fMPTCPDataAck  = field("tcp.options.mptcp.rawdataack", "Original MPTCP Data ACK", TypeUint64)
	fMPTCPDataSeq  = field("tcp.options.mptcp.rawdataseqno", "Data Sequence Number", TypeUint64)
	fMPTCPSubSeq   = field("tcp.options.mptcp.subflowseqno", "Subflow Sequence Number", TypeUint32)
	fMPTCPDataLen  = field("tcp.options.mptcp.datalvllen", "Data-level Length", TypeUint16)
	fMPTCPChecksum = register(Field{Name: "tcp.options.mptcp.checksum", Title: "Checksum", Type: TypeUint16, Hex: true})
	fMPTCPIPv4     = field("tcp.options.mptcp.ipv4", "Advertised IPv4 Address", TypeIPv4)
	fMPTCPIPv6     = field("tcp.options.mptcp.ipv6", "Advertised IPv6 Address", TypeIPv6)
	fMPTCPPort     = field("tcp.options.mptcp.port", "Advertised port", TypeUint16)
)

var mptcpSubtypeNames = map[uint64]string{
	0: "Multipath Capable", 1: "Join Connection", 2: "Data Sequence Signal", 3: "Add Address",
	4: "Remove Address", 5: "Change Subflow Priority", 6: "TCP Fallback", 7: "Fast Close",
	8: "TCP Reset",
}

// mptcpNames are tcpdump's names of the subtypes.
var mptcpNames = [...]string{"capable", "join", "dss", "add-addr", "rem-addr", "prio", "fail", "fast-close"}

// mptcpAddAddrLen tells, by the length of an ADD_ADDR option, whether it
// holds an IPv6 address, a port and a truncated HMAC (RFC 8684 3.4.1).
func mptcpAddAddrLen(ln int) (ok, v6, port, hmac bool) {
	switch ln {
	case 8:
		return true, false, false, false
	case 10:
		return true, false, true, false
	case 16:
		return true, false, false, true
	case 18:
		return true, false, true, true
	case 20:
		return true, true, false, false
	case 22:
		return true, true, true, false
	case 28:
		return true, true, false, true
	case 30:
		return true, true, true, true
	}
	return false, false, false, false
}

// mptcpDissect adds the fields of the MPTCP option of ln bytes at i (whole
// and captured) under option node k.
func mptcpDissect(t *Tree, k, i, ln int) {
	if ln < 3 {
		return
	}
	st := t.U8(i+2) >> 4
	t.Add(k, fMPTCPSubtype, i+2, 1, st)
	switch st {
	case 0:
		t.Add(k, fMPTCPVersion, i+2, 1, t.U8(i+2)&0xf)
		if ln >= 4 {
			t.Add(k, fMPTCPFlags, i+3, 1, t.U8(i+3))
		}
		if ln >= 12 {
			t.Add(k, fMPTCPSendKey, i+4, 8, t.U64(i+4))
		}
		if ln >= 20 {
			t.Add(k, fMPTCPRecvKey, i+12, 8, t.U64(i+12))
		}
		if ln >= 22 {
			t.Add(k, fMPTCPDataLen, i+20, 2, t.U16(i+20))
		}
	case 1:
		switch ln {
		case 12:
			t.Add(k, fMPTCPAddrID, i+3, 1, t.U8(i+3))
			t.Add(k, fMPTCPRecvTok, i+4, 4, t.U32(i+4))
			t.Add(k, fMPTCPSendRand, i+8, 4, t.U32(i+8))
		case 16:
			t.Add(k, fMPTCPAddrID, i+3, 1, t.U8(i+3))
			t.Add(k, fMPTCPSendTHM, i+4, 8, t.U64(i+4))
			t.Add(k, fMPTCPSendRand, i+12, 4, t.U32(i+12))
		case 24:
			t.AddBytes(k, fMPTCPSendHMAC, i+4, 20)
		}
	case 2:
		if ln < 4 {
			return
		}
		fl := t.U8(i + 3)
		t.Add(k, fMPTCPFlags, i+3, 1, fl)
		j, end := i+4, i+ln
		if fl&1 != 0 {
			n := 4
			if fl&2 != 0 {
				n = 8
			}
			if j+n > end {
				return
			}
			t.Add(k, fMPTCPDataAck, j, n, mptcpUint(t.Data[j:j+n]))
			j += n
		}
		if fl&4 != 0 {
			n := 4
			if fl&8 != 0 {
				n = 8
			}
			if j+n+6 > end {
				return
			}
			t.Add(k, fMPTCPDataSeq, j, n, mptcpUint(t.Data[j:j+n]))
			j += n
			t.Add(k, fMPTCPSubSeq, j, 4, t.U32(j))
			t.Add(k, fMPTCPDataLen, j+4, 2, t.U16(j+4))
			j += 6
			if j+2 <= end {
				t.Add(k, fMPTCPChecksum, j, 2, t.U16(j))
			}
		}
	case 3:
		ok, v6, port, hmac := mptcpAddAddrLen(ln)
		if !ok {
			return
		}
		t.Add(k, fMPTCPAddrID, i+3, 1, t.U8(i+3))
		j := i + 4
		if v6 {
			t.AddBytes(k, fMPTCPIPv6, j, 16)
			j += 16
		} else {
			t.AddBytes(k, fMPTCPIPv4, j, 4)
			j += 4
		}
		if port {
			t.Add(k, fMPTCPPort, j, 2, t.U16(j))
			j += 2
		}
		if hmac {
			t.Add(k, fMPTCPAddTHM, j, 8, t.U64(j))
		}
	case 4:
		for j := i + 3; j < i+ln; j++ {
			t.Add(k, fMPTCPAddrID, j, 1, t.U8(j))
		}
	case 5:
		if ln == 4 {
			t.Add(k, fMPTCPAddrID, i+3, 1, t.U8(i+3))
		}
	case 6:
		if ln == 12 {
			t.Add(k, fMPTCPDataSeq, i+4, 8, t.U64(i+4))
		}
	case 7:
		if ln == 12 {
			t.Add(k, fMPTCPRecvKey, i+4, 8, t.U64(i+4))
		}
	}
}

// mptcpUint reads a big-endian integer of 4 or 8 bytes.
func mptcpUint(b []byte) uint64 {
	var v uint64
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	return v
}

// mptcpPrint prints the MPTCP option of ln bytes at i (within the header) as
// tcpdump does: "mptcp LEN SUBTYPE ...". False when it ended the options.
func mptcpPrint(o *tcpOptPrinter, i, ln int) bool {
	p := o.p
	d := o.d
	p.b = append(p.b, "mptcp"...)
	if ln < 3 {
		return o.bad()
	}
	if !o.has(i, ln) {
		return o.trunc(true)
	}
	p.b = append(p.b, ' ')
	p.b = strconv.AppendInt(p.b, int64(ln), 10)
	p.b = append(p.b, ' ')
	st := int(d[i+2] >> 4)
	if st >= len(mptcpNames) {
		p.b = append(p.b, "unknown"...)
		return true
	}
	p.b = append(p.b, mptcpNames[st]...)
	syn, ack := o.flags&tcpSYN != 0, o.flags&tcpACK != 0
	hex := func(v uint64) {
		p.b = append(p.b, "0x"...)
		p.b = strconv.AppendUint(p.b, v, 16)
	}
	dec := func(v uint64) { p.b = strconv.AppendUint(p.b, v, 10) }
	switch st {
	case 0: // MP_CAPABLE
		switch {
		case (ln == 4 || ln == 12) && syn:
		case (ln == 20 || ln == 22) && ack && !syn:
		default:
			return o.bad()
		}
		if v := d[i+2] & 0xf; v > 1 {
			p.b = append(p.b, " Unknown Version ("...)
			dec(uint64(v))
			p.b = append(p.b, ')')
			return true
		}
		p.b = append(p.b, " v"...)
		dec(uint64(d[i+2] & 0xf))
		if d[i+3]&0x80 != 0 {
			p.b = append(p.b, " csum"...)
		}
		if ln >= 12 {
			p.b = append(p.b, " {"...)
			hex(mptcpUint(d[i+4 : i+12]))
			if ln >= 20 {
				p.b = append(p.b, ',')
				hex(mptcpUint(d[i+12 : i+20]))
			}
			p.b = append(p.b, '}')
		}
	case 1: // MP_JOIN
		switch {
		case ln == 12 && syn:
		case ln == 16 && syn && ack:
		case ln == 24 && ack:
		default:
			return o.bad()
		}
		if ln != 24 {
			if d[i+2]&1 != 0 {
				p.b = append(p.b, " backup"...)
			}
			p.b = append(p.b, " id "...)
			dec(uint64(d[i+3]))
		}
		switch ln {
		case 12:
			p.b = append(p.b, " token "...)
			hex(mptcpUint(d[i+4 : i+8]))
			p.b = append(p.b, " nonce "...)
			hex(mptcpUint(d[i+8 : i+12]))
		case 16:
			p.b = append(p.b, " hmac "...)
			hex(mptcpUint(d[i+4 : i+12]))
			p.b = append(p.b, " nonce "...)
			hex(mptcpUint(d[i+12 : i+16]))
		case 24:
			p.b = append(p.b, " hmac 0x"...)
			p.b = appendHexBytes(p.b, d[i+4:i+24])
		}
	case 2: // DSS
		if ln < 4 || syn {
			return o.bad()
		}
		fl := d[i+3]
		j, end := i+4, i+ln
		if fl&0x10 != 0 {
			p.b = append(p.b, " fin"...)
		}
		if fl&1 != 0 {
			p.b = append(p.b, " ack "...)
			n := 4
			if fl&2 != 0 {
				n = 8
			}
			if j+n > end {
				return o.bad()
			}
			dec(mptcpUint(d[j : j+n]))
			j += n
		}
		if fl&4 != 0 {
			p.b = append(p.b, " seq "...)
			n := 4
			if fl&8 != 0 {
				n = 8
			}
			if j+n > end {
				return o.bad()
			}
			dec(mptcpUint(d[j : j+n]))
			j += n
			if j+4 > end {
				return o.bad()
			}
			p.b = append(p.b, " subseq "...)
			dec(mptcpUint(d[j : j+4]))
			j += 4
			if j+2 > end {
				return o.bad()
			}
			p.b = append(p.b, " len "...)
			dec(mptcpUint(d[j : j+2]))
			j += 2
			if j+2 <= end {
				p.b = append(p.b, " csum "...)
				hex(mptcpUint(d[j : j+2]))
				j += 2
			}
		}
		if j != end {
			return o.bad()
		}
	case 3: // ADD_ADDR
		ok, v6, port, hmac := mptcpAddAddrLen(ln)
		if !ok {
			return o.bad()
		}
		switch d[i+2] & 0xf {
		case 0:
			p.b = append(p.b, " v1"...)
		case 1:
			p.b = append(p.b, " v1-echo"...)
		case 4:
			p.b = append(p.b, " v0-ip4"...)
		case 6:
			p.b = append(p.b, " v0-ip6"...)
		default:
			p.b = append(p.b, " [bad version/echo]"...)
		}
		p.b = append(p.b, " id "...)
		dec(uint64(d[i+3]))
		p.b = append(p.b, ' ')
		j := i + 4
		if v6 {
			p.b = appendIPv6(p.b, d[j:j+16])
			j += 16
		} else {
			p.b = appendIPv4(p.b, d[j:j+4])
			j += 4
		}
		if port {
			p.b = append(p.b, ':')
			dec(mptcpUint(d[j : j+2]))
			j += 2
		}
		if hmac {
			p.b = append(p.b, " hmac "...)
			hex(mptcpUint(d[j : j+8]))
		}
	case 4: // REMOVE_ADDR
		if ln < 4 {
			return o.bad()
		}
		p.b = append(p.b, " id"...)
		for j := i + 3; j < i+ln; j++ {
			p.b = append(p.b, ' ')
			dec(uint64(d[j]))
		}
	case 5: // MP_PRIO
		if ln != 3 && ln != 4 {
			return o.bad()
		}
		if d[i+2]&1 != 0 {
			p.b = append(p.b, " backup"...)
		} else {
			p.b = append(p.b, " non-backup"...)
		}
		if ln == 4 {
			p.b = append(p.b, " id "...)
			dec(uint64(d[i+3]))
		}
	case 6: // MP_FAIL
		if ln != 12 {
			return o.bad()
		}
		p.b = append(p.b, " seq "...)
		dec(mptcpUint(d[i+4 : i+12]))
	case 7: // MP_FASTCLOSE
		if ln != 12 {
			return o.bad()
		}
		p.b = append(p.b, " key "...)
		hex(mptcpUint(d[i+4 : i+12]))
	}
	return true
}
