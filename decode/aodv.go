package decode

import "strconv"

// Ad hoc On-Demand Distance Vector routing (RFC 3561) on UDP port 654: the
// route request, reply, error and reply-acknowledgement messages of IPv4
// (types 1 to 4) and of the IPv6 draft (draft-perkins-manet-aodv6, types 16
// to 19), and the extensions after a request or a reply.

var (
	protoAODV         = proto("aodv", "Ad hoc On-demand Distance Vector Routing Protocol")
	fAODVType         = field("aodv.type", "Type", TypeUint8)
	fAODVFlags        = field("aodv.flags", "Flags", TypeUint16)
	fAODVPrefixSize   = field("aodv.prefix_sz", "Prefix Size", TypeUint8)
	fAODVHopCount     = field("aodv.hopcount", "Hop Count", TypeUint8)
	fAODVRREQID       = field("aodv.rreq_id", "RREQ Id", TypeUint32)
	fAODVDestIP       = field("aodv.dest_ip", "Destination IP", TypeIPv4)
	fAODVDestIPv6     = field("aodv.dest_ipv6", "Destination IPv6", TypeIPv6)
	fAODVDestSeq      = field("aodv.dest_seqno", "Destination Sequence Number", TypeUint32)
	fAODVOrigIP       = field("aodv.orig_ip", "Originator IP", TypeIPv4)
	fAODVOrigIPv6     = field("aodv.orig_ipv6", "Originator IPv6", TypeIPv6)
	fAODVOrigSeq      = field("aodv.orig_seqno", "Originator Sequence Number", TypeUint32)
	fAODVLifetime     = field("aodv.lifetime", "Lifetime", TypeUint32)
	fAODVDestCount    = field("aodv.destcount", "Destination Count", TypeUint8)
	fAODVUnreachIP    = field("aodv.unreach_dest_ip", "Unreachable Destination IP", TypeIPv4)
	fAODVUnreachIPv6  = field("aodv.unreach_dest_ipv6", "Unreachable Destination IPv6", TypeIPv6)
	fAODVExtType      = field("aodv.ext_type", "Extension Type", TypeUint8)
	fAODVExtLength    = field("aodv.ext_length", "Extension Length", TypeUint8)
	aodvRequestLen    = [2]int{24, 44}
	aodvReplyLen      = [2]int{20, 44}
	aodvUnreachLen    = [2]int{8, 20}
	aodvHeaderLenRERR = 4
)

// The message types, IPv4's; the IPv6 draft's are these plus 15.
const (
	aodvRREQ    = 1
	aodvRREP    = 2
	aodvRERR    = 3
	aodvRREPACK = 4
	aodvV6      = 15
)

func init() {
	UDPPorts.Register(654, dissectAODV)
	registerText(protoAODV, textAODV)
	malformedNames[protoAODV] = "AODV"
}

func dissectAODV(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoAODV, off, end, 1)
	if !ok {
		runOut(t, l, protoAODV, off+1, end)
		return
	}
	lim := off + n
	typ := t.U8(off)
	t.Add(l, fAODVType, off, 1, typ)
	v6, base := 0, typ
	if typ > aodvV6 && typ <= aodvV6+aodvRREPACK {
		v6, base = 1, typ-aodvV6
	}
	need := func(k int) bool {
		if off+k > lim {
			runOut(t, l, protoAODV, off+k, end)
			return false
		}
		return true
	}
	var o int
	switch base {
	case aodvRREQ:
		if !need(aodvRequestLen[v6]) {
			return
		}
		t.Add(l, fAODVFlags, off+1, 1, t.U8(off+1))
		t.Add(l, fAODVHopCount, off+3, 1, t.U8(off+3))
		t.Add(l, fAODVRREQID, off+4, 4, t.U32(off+4))
		if v6 == 0 {
			t.AddBytes(l, fAODVDestIP, off+8, 4)
			t.Add(l, fAODVDestSeq, off+12, 4, t.U32(off+12))
			t.AddBytes(l, fAODVOrigIP, off+16, 4)
			t.Add(l, fAODVOrigSeq, off+20, 4, t.U32(off+20))
		} else {
			t.Add(l, fAODVDestSeq, off+8, 4, t.U32(off+8))
			t.Add(l, fAODVOrigSeq, off+12, 4, t.U32(off+12))
			t.AddBytes(l, fAODVDestIPv6, off+16, 16)
			t.AddBytes(l, fAODVOrigIPv6, off+32, 16)
		}
		o = off + aodvRequestLen[v6]
	case aodvRREP:
		if !need(aodvReplyLen[v6]) {
			return
		}
		t.Add(l, fAODVFlags, off+1, 2, t.U16(off+1))
		t.Add(l, fAODVPrefixSize, off+2, 1, t.U8(off+2)&0x1f)
		t.Add(l, fAODVHopCount, off+3, 1, t.U8(off+3))
		if v6 == 0 {
			t.AddBytes(l, fAODVDestIP, off+4, 4)
			t.Add(l, fAODVDestSeq, off+8, 4, t.U32(off+8))
			t.AddBytes(l, fAODVOrigIP, off+12, 4)
			t.Add(l, fAODVLifetime, off+16, 4, t.U32(off+16))
		} else {
			t.Add(l, fAODVDestSeq, off+4, 4, t.U32(off+4))
			t.AddBytes(l, fAODVDestIPv6, off+8, 16)
			t.AddBytes(l, fAODVOrigIPv6, off+24, 16)
			t.Add(l, fAODVLifetime, off+40, 4, t.U32(off+40))
		}
		o = off + aodvReplyLen[v6]
	case aodvRERR:
		if !need(aodvHeaderLenRERR) {
			return
		}
		t.Add(l, fAODVFlags, off+1, 1, t.U8(off+1))
		cnt := int(t.U8(off + 3))
		t.Add(l, fAODVDestCount, off+3, 1, uint64(cnt))
		o = off + aodvHeaderLenRERR
		for i := 0; i < cnt; i++ {
			if o+aodvUnreachLen[v6] > lim {
				runOut(t, l, protoAODV, o+aodvUnreachLen[v6], end)
				return
			}
			if v6 == 0 {
				t.AddBytes(l, fAODVUnreachIP, o, 4)
			} else {
				t.AddBytes(l, fAODVUnreachIPv6, o, 16)
			}
			t.Add(l, fAODVDestSeq, o+aodvUnreachLen[v6]-4, 4, t.U32(o+aodvUnreachLen[v6]-4))
			o += aodvUnreachLen[v6]
		}
		return
	default:
		return
	}
	// Extensions: a type and a length, then that many bytes.
	for o < end {
		if o+2 > lim {
			runOut(t, l, protoAODV, o+2, end)
			return
		}
		t.Add(l, fAODVExtType, o, 1, t.U8(o))
		ln := int(t.U8(o + 1))
		t.Add(l, fAODVExtLength, o+1, 1, uint64(ln))
		if ln == 0 {
			return
		}
		o += 2 + ln
	}
}

// textAODV prints tcpdump's words for a route reply, " aodv rrep 20
// prefix 16 hops 1\n\tdst 10.0.0.1 dseq 5 src 10.0.0.2 3000 ms", and for a
// route error, " aodv rerr  [items 0] [24]:"; decode prints the type's
// number for the others.
func textAODV(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off, length, lim := capturedSpan(t, n)
	b := append(p.b, " aodv"...)
	if off+1 > lim {
		p.b = append(b, " [|aodv]"...)
		return
	}
	typ := t.U8(off)
	switch typ {
	case aodvRREP:
		b = append(b, " rrep "...)
		b = strconv.AppendInt(b, int64(length), 10)
		if off+aodvReplyLen[0] > lim {
			p.b = append(b, " [|aodv]"...)
			return
		}
		fl := t.U8(off + 1)
		if fl&0x80 != 0 {
			b = append(b, "[R]"...)
		}
		if fl&0x40 != 0 {
			b = append(b, "[A]"...)
		}
		b = append(b, "  prefix "...)
		b = strconv.AppendUint(b, t.U8(off+2)&0x1f, 10)
		b = append(b, " hops "...)
		b = strconv.AppendUint(b, t.U8(off+3), 10)
		b = append(b, "\n\tdst "...)
		b = appendIPv4(b, t.Data[off+4:off+8])
		b = append(b, " dseq "...)
		b = strconv.AppendUint(b, t.U32(off+8), 10)
		b = append(b, " src "...)
		b = appendIPv4(b, t.Data[off+12:off+16])
		b = append(b, ' ')
		b = strconv.AppendUint(b, t.U32(off+16), 10)
		b = append(b, " ms"...)
		if length > aodvReplyLen[0] && off+aodvReplyLen[0]+2 > lim {
			b = append(b, " [|aodv]"...)
		}
	case aodvRERR, aodvV6 + aodvRERR:
		b = append(b, " rerr"...)
		if off+aodvHeaderLenRERR > lim {
			p.b = append(b, " [|aodv]"...)
			return
		}
		if t.U8(off+1)&0x80 != 0 {
			b = append(b, " [D]"...)
		} else {
			b = append(b, ' ')
		}
		cnt := t.U8(off + 3)
		b = append(b, " [items "...)
		b = strconv.AppendUint(b, cnt, 10)
		b = append(b, "] ["...)
		b = strconv.AppendInt(b, int64(length), 10)
		b = append(b, "]:"...)
		if cnt > 0 {
			b = append(b, " [|aodv]"...)
		}
	default:
		b = append(b, " type "...)
		b = strconv.AppendUint(b, typ, 10)
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(length), 10)
	}
	p.b = b
}
