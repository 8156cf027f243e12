package decode

import "strconv"

// The Optimized Link State Routing Protocol (RFC 3626) on UDP port 698: a
// packet header (length, sequence number), then messages, each with a
// header giving its type, validity time, size, originator, TTL, hop count
// and sequence number. decode reads the headers, not the messages' bodies.

var (
	protoOLSR        = proto("olsr", "Optimized Link State Routing Protocol")
	fOLSRPacketLen   = field("olsr.packet_len", "Packet Length", TypeUint16)
	fOLSRPacketSeq   = field("olsr.packet_seq_num", "Packet Sequence Number", TypeUint16)
	fOLSRMessageType = field("olsr.message_type", "Message Type", TypeUint8)
	fOLSRMessageSize = field("olsr.message_size", "Message", TypeUint16)
	fOLSROrigin      = field("olsr.origin_addr", "Originator Address", TypeIPv4)
	fOLSROrigin6     = field("olsr.origin6_addr", "Originator Address", TypeIPv6)
	fOLSRTTL         = field("olsr.ttl", "TTL", TypeUint8)
	fOLSRHopCount    = field("olsr.hop_count", "Hop Count", TypeUint8)
	fOLSRMessageSeq  = field("olsr.message_seq_num", "Message Sequence Number", TypeUint16)
)

// olsrPacketHeaderLen is the packet header's size.
const olsrPacketHeaderLen = 4

func init() {
	UDPPorts.Register(698, dissectOLSR)
	registerText(protoOLSR, textOLSR)
	malformedNames[protoOLSR] = "OLSR"
}

// olsrOverIPv6 reports whether the layer at node l is carried by IPv6, its
// addresses then 16 bytes long.
func olsrOverIPv6(t *Tree, l int) bool {
	ip := udpIPBelow(t, l)
	return ip >= 0 && t.Nodes[ip].Field == protoIPv6
}

func dissectOLSR(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoOLSR, off, end, olsrPacketHeaderLen)
	if !ok {
		runOut(t, l, protoOLSR, off+olsrPacketHeaderLen, end)
		return
	}
	lim := off + n
	t.Add(l, fOLSRPacketLen, off, 2, t.U16(off))
	t.Add(l, fOLSRPacketSeq, off+2, 2, t.U16(off+2))
	alen := 4
	if olsrOverIPv6(t, l) {
		alen = 16
	}
	hdr := 8 + alen
	for o := off + olsrPacketHeaderLen; o < end; {
		if o+4 > lim {
			runOut(t, l, protoOLSR, o+4, end)
			return
		}
		size := int(t.U16(o + 2))
		if size < hdr {
			return
		}
		// The message is read whole before its fields.
		if o+size > lim {
			runOut(t, l, protoOLSR, o+size, end)
			return
		}
		t.Add(l, fOLSRMessageType, o, 1, t.U8(o))
		t.Add(l, fOLSRMessageSize, o+2, 2, uint64(size))
		if alen == 4 {
			t.AddBytes(l, fOLSROrigin, o+4, 4)
		} else {
			t.AddBytes(l, fOLSROrigin6, o+4, 16)
		}
		t.Add(l, fOLSRTTL, o+4+alen, 1, t.U8(o+4+alen))
		t.Add(l, fOLSRHopCount, o+5+alen, 1, t.U8(o+5+alen))
		t.Add(l, fOLSRMessageSeq, o+6+alen, 2, t.U16(o+6+alen))
		o += size
	}
}

// textOLSR prints tcpdump's first words, "OLSRv4, seq 0xce93, length 72";
// decode does not print the messages -v adds.
func textOLSR(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	b := append(p.b, "OLSRv"...)
	if olsrOverIPv6(t, n) {
		b = append(b, '6')
	} else {
		b = append(b, '4')
	}
	seq, ok := t.Value(n, fOLSRPacketSeq)
	if !ok {
		p.b = append(b, " [|olsr]"...)
		return
	}
	plen, _ := t.Value(n, fOLSRPacketLen)
	b = append(b, ", seq 0x"...)
	b = udpHex4(b, seq)
	b = append(b, ", length "...)
	p.b = strconv.AppendUint(b, plen, 10)
}
