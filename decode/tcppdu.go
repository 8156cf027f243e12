package decode

// Messages over TCP that carry their own length (BGP, RPKI-RTR), read as
// tshark 4.0 reads them with its defaults (tcp.desegment_tcp_streams TRUE),
// learned by running it on the corpus' captures of those protocols:
//
//   - A segment holds messages one after the other, each its own layer; a
//     message the segment ends inside is buffered (its bytes shown as
//     tcp.segment_data) until the segments after it complete it; the
//     segment that does shows the message as tcp.segments (the frames,
//     their count, the length and the bytes, as tcpreasm.go gives HTTP's)
//     and dissects it from those bytes, then the messages after it.
//   - A gap in the sequence drops what was buffered; a segment whose
//     capture was cut short, or any segment without reassembly
//     (Tree.Reassemble false, tcpdump's text), is read alone, its last
//     message cut where the bytes end.
//
// The buffering, its limits and the replay of a frame dissected twice are
// tcpreasm.go's.

// A tcpPDU is a protocol whose messages over TCP say their length.
type tcpPDU struct {
	proto FieldID
	name  string // tshark's name of it in its expert items
	min   int    // the bytes a message's length is read from
	// length is the length of the message that starts b (len(b) >= min).
	length func(b []byte) int
	// dissect reads one message [off, end); end may pass the captured
	// bytes when the message is cut, and stop, the end of the segment
	// when the message passes it unreassembled.
	dissect func(t *Tree, off, end, stop int)
	// lead, when not nil, may read the payload [off, end) of a segment
	// in its own way when it does not start as a message does, and then
	// reports true: the bytes are not reassembled nor read further.
	lead func(t *Tree, off, end int) bool
}

// tcpPDUPorts are the protocols read this way, by TCP port.
var tcpPDUPorts = map[uint16]*tcpPDU{}

// registerTCPPDU makes p the protocol of TCP port port.
func registerTCPPDU(port uint16, p *tcpPDU) {
	malformedNames[p.proto] = p.name
	tcpPDUPorts[port] = p
	TCPPorts.Register(uint32(port), func(t *Tree, off, end int) { tcpPDUAlone(t, p, off, end, true) })
}

// fMalformedExpert is tshark's item for an exception that stopped a
// protocol's dissection: a read past the end of its bytes, or, for these
// protocols, a message whose length is below its header's. The node's
// value is the protocol; it comes under a _ws.malformed layer.
var fMalformedExpert = field("_ws.malformed.expert", "Malformed Packet (Exception occurred)", TypeNone)

// malformedNames are the protocols' names in the Malformed Packet item.
var malformedNames = map[FieldID]string{}

func init() {
	expert(fMalformedExpert, expertInfo{severity: SeverityError, group: GroupMalformed, message: "Malformed Packet (Exception occurred)",
		protocolOf: func(t *Tree, n int) string { return malformedNames[FieldID(t.Nodes[n].Val)] }})
}

// tshark's items for an exception in a message that passes its segment's
// end, not reassembled (the capture cut the segment short): the node's
// value is the protocol, as fMalformedExpert's.
var (
	protoUnreassembled   = proto("_ws.unreassembled", "Unreassembled Fragmented Packet")
	fUnreassembledExpert = field("_ws.unreassembled.expert", "Unreassembled fragment (change preferences to enable reassembly)", TypeNone)
)

func init() {
	expert(fUnreassembledExpert, expertInfo{severity: SeverityNote, group: GroupReassemble,
		message:    "Unreassembled fragment (change preferences to enable reassembly)",
		protocolOf: func(t *Tree, n int) string { return malformedNames[FieldID(t.Nodes[n].Val)] }})
}

// addUnreassembled adds tshark's items for a read of protocol p past the
// end of a segment cut short: the message is cut short too.
func addUnreassembled(t *Tree, p FieldID, off int) {
	ul := t.AddLayer(protoUnreassembled, off, 0)
	t.Add(ul, fUnreassembledExpert, off, 0, uint64(p))
	t.Mark(ul, Truncated)
}

// addMalformed adds tshark's Malformed Packet item for protocol p at off.
func addMalformed(t *Tree, p FieldID, off int) {
	ml := t.AddLayer(protoMalformed, off, 0)
	t.Add(ml, fMalformedExpert, off, 0, uint64(p))
}

// tcpPDUConv is the reading of one conversation's two directions.
type tcpPDUConv struct{ tcpConvBufs }

// tcpPayloadPDU dissects the payload [pay, end) of TCP layer l as the
// messages of the protocol tshark gives the ports, reassembling them
// across segments when t.Reassemble, and reports whether it did.
func tcpPayloadPDU(t *Tree, l int, rel tcpRel, sport, dport uint16, seq uint32, pay, end int) bool {
	port, ok := tcpPickPort(sport, dport)
	if !ok {
		return false
	}
	p := tcpPDUPorts[port]
	if p == nil {
		return false
	}
	r := &t.crossPacket().reasm
	if r.replay(t, rel, seq) {
		return true
	}
	m := r.begin(t, rel, seq)
	c := r.pduConv(rel.stream)
	d := &c.dir[rel.dir&1]
	if t.Reassemble && end <= len(t.Data) {
		r.pduReassemble(t, l, p, d, seq, pay, end)
	} else {
		r.drop(d)
		d.known = false
		tcpPDUAlone(t, p, pay, end, true)
	}
	r.end(t, m)
	return true
}

// pduConv is the conversation of stream, made if new.
func (r *tcpReasm) pduConv(stream uint32) *tcpPDUConv {
	c := r.pdu[stream]
	if c == nil {
		if r.pdu == nil {
			r.pdu = make(map[uint32]*tcpPDUConv)
		}
		if len(r.pdu) >= httpConvMax {
			evictHalf(r, r.pdu)
		}
		c = &tcpPDUConv{}
		r.pdu[stream] = c
	}
	r.clock++
	c.lastUsed = r.clock
	return c
}

// tcpPDUNext is the length of the message at the start of b, and false
// when b is too short to tell; a length below the header's is -1.
func tcpPDUNext(p *tcpPDU, b []byte) (int, bool) {
	if len(b) < p.min {
		return 0, false
	}
	n := p.length(b)
	if n < p.min {
		return -1, true
	}
	return n, true
}

// tcpPDUAlone dissects the messages of [s, e) as they are, the last one
// cut where the bytes end; lead says s is the start of a segment's payload.
func tcpPDUAlone(t *Tree, p *tcpPDU, s, e int, lead bool) {
	if lead && p.lead != nil && p.lead(t, s, e) {
		return
	}
	ce := min(e, len(t.Data))
	for s < e {
		n, ok := tcpPDUNext(p, t.Data[min(s, ce):ce])
		if n < 0 {
			if t.Stateless && len(t.Layers) > 0 && t.Nodes[t.Layers[len(t.Layers)-1]].Field != p.proto {
				// tcpdump's text names the protocol of a payload on its
				// port all the same.
				t.AddLayer(p.proto, s, e-s)
			}
			addMalformed(t, p.proto, s) // and the rest is not read
			return
		}
		if !ok {
			n = e - s
		}
		p.dissect(t, s, s+n, min(s+n, e))
		s += n
	}
}

// pduReassemble reads the segment's payload [pay, end) into direction d.
func (r *tcpReasm) pduReassemble(t *Tree, l int, p *tcpPDU, d *tcpStreamBuf, seq uint32, pay, end int) {
	pay, ok := r.align(t, l, d, seq, pay, end)
	if !ok {
		return
	}
	fr := uint32(t.Number)
	pos := pay
	if len(d.buf) > 0 {
		if !r.room(len(d.buf), end-pay) {
			r.drop(d)
			tcpPDUAlone(t, p, pay, end, false)
			return
		}
		had := len(d.buf)
		// Take what completes the message, or all of the segment.
		need := end - pay
		if n, ok := tcpPDUNext(p, d.buf); ok && n > 0 {
			need = min(need, n-had)
		} else if !ok && had+need >= p.min {
			var hdr [64]byte
			k := copy(hdr[:], d.buf)
			copy(hdr[k:p.min], t.Data[pay:end])
			if n, _ := tcpPDUNext(p, hdr[:p.min]); n > 0 {
				need = min(need, max(n-had, p.min-had))
			} else {
				need = p.min - had
			}
		}
		r.total += need
		d.buf = append(d.buf, t.Data[pay:pay+need]...)
		n, ok := tcpPDUNext(p, d.buf)
		if n < 0 {
			t.AddBytes(l, fTCPSegmentData, pay, end-pay)
			r.drop(d)
			addMalformed(t, p.proto, pay)
			return
		}
		if !ok || n > len(d.buf) {
			d.frames = append(d.frames, fr)
			t.AddBytes(l, fTCPSegmentData, pay, end-pay)
			return
		}
		t.AddBytes(l, fTCPSegmentData, pay, need)
		d.frames = append(d.frames, fr)
		off := t.AppendReassembled(d.buf[:n])
		p.dissect(t, off, off+n, off+n)
		// tshark's item of the segments is a top-level one after the
		// message's (its hierarchy counts it there), not under TCP.
		addSegments(t, t.AddLayer(fTCPSegments, off, n), d, off, n)
		r.drop(d)
		pos = pay + need
	}
	if pos == pay && p.lead != nil && p.lead(t, pay, end) {
		return
	}
	for pos < end {
		n, ok := tcpPDUNext(p, t.Data[pos:end])
		if n < 0 {
			addMalformed(t, p.proto, pos)
			return
		}
		if !ok || pos+n > end {
			if !r.room(0, end-pos) {
				tcpPDUAlone(t, p, pos, end, false)
				return
			}
			r.keep(t, l, d, pos, end)
			return
		}
		p.dissect(t, pos, pos+n, pos+n)
		pos += n
	}
}
