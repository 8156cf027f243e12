package decode

// TCP reassembly of the messages of a protocol read over TCP (HTTP, in
// http.go), as tshark 4.0 does with its defaults (tcp.desegment_tcp_streams,
// http.desegment_headers and http.desegment_body TRUE,
// tcp.reassemble_out_of_order FALSE), learned by running it on the corpus'
// HTTP captures and on captures made for it:
//
//   - Each direction of a conversation is read in sequence order. A
//     segment whose bytes do not complete the message under way is
//     buffered: its tree shows TCP, tcp.payload and tcp.segment_data (the
//     whole payload), no protocol above.
//   - The segment that completes a message shows, under TCP, the bytes it
//     gave as tcp.segment_data, then the message as tcp.segments with each
//     frame that carried it (tcp.segment), tcp.segment.count,
//     tcp.reassembled.length and tcp.reassembled.data; the message is
//     dissected from those bytes (placed after the packet's, see
//     Tree.AppendReassembled). Messages whole in the rest of the segment
//     follow, dissected in place; a message begun at its end is buffered,
//     its bytes tcp.segment_data.
//   - A segment that starts before the next byte expected repeats bytes
//     already read (tshark calls it a retransmission, and dissects nothing
//     in it): a segment all repeated shows its payload as tcp.segment_data
//     only; of one partly repeated, what is new is read. A segment
//     past the next byte expected (a gap: lost or out of order) drops the
//     message under way, and reading starts again from it.
//   - A segment whose capture was cut short is dissected alone.
//
// Without Tree.Reassemble each segment is dissected alone: a message cut
// by the segment's end is dissected as far as it goes (tshark with
// tcp.desegment_tcp_streams FALSE).
//
// Memory is bounded: a direction buffers at most tcpReasmMaxMessage bytes
// and all together at most tcpReasmMaxTotal; a message that would pass
// either is given up: its buffered bytes are dropped, the segment is
// dissected alone, and the next ones are read as they come (the rest of
// the body then shows as continuations, http and data). At most
// httpConvMax conversations are kept: past it the least recently used half
// is dropped with what they buffered.
//
// Dissecting a frame changes the state (what is buffered, the messages'
// numbering), and a printer's tree sharing a display filter's state
// (Tree.ShareState) dissects the same frame right after the filter's tree:
// the payload's nodes, text and reassembled bytes of the last few frames
// are kept (tcpMemo) and given back, unchanged, to the second dissection.

var (
	fTCPSegmentData  = field("tcp.segment_data", "TCP segment data", TypeBytes)
	fTCPSegments     = field("tcp.segments", "Reassembled TCP Segments", TypeNone)
	fTCPSegment      = field("tcp.segment", "TCP Segment", TypeFrameNum)
	fTCPSegmentCount = field("tcp.segment.count", "Segment count", TypeUint32)
	fTCPReasmLen     = field("tcp.reassembled.length", "Reassembled TCP length", TypeUint32)
	fTCPReasmData    = field("tcp.reassembled.data", "Reassembled TCP Data", TypeBytes)
)

const (
	tcpReasmMaxMessage = 16 << 20
	tcpReasmMaxTotal   = 64 << 20
	httpConvMax        = 4096
	tcpMemoSize        = 4
)

// tcpStreamBuf is one direction's reading of its stream.
type tcpStreamBuf struct {
	next   uint32 // the raw sequence number of the next byte expected
	known  bool
	buf    []byte   // the message under way
	frames []uint32 // the frames that carried it
}

// tcpReasm is the reassembly state a tree keeps (treeState).
type tcpReasm struct {
	http  map[uint32]*httpConv // by tcp.stream
	total int                  // bytes buffered in all directions
	clock uint64
	memo  [tcpMemoSize]tcpMemo
	mnext int

	pdu map[uint32]*tcpPDUConv // by tcp.stream: tcppdu.go's protocols
}

// tcpMemo is what dissecting one frame's payload added to its tree.
type tcpMemo struct {
	number           int
	stream           uint32
	dir              uint8
	seq              uint32
	dataLen, textLen int
	nodes            []Node
	layers           []int32 // relative to the first of nodes
	text, app        []byte
}

// conv is the HTTP conversation of stream, made when create is set.
func (r *tcpReasm) conv(stream uint32, create bool) *httpConv {
	c := r.http[stream]
	if c == nil && create {
		if r.http == nil {
			r.http = make(map[uint32]*httpConv)
		}
		if len(r.http) >= httpConvMax {
			r.evict()
		}
		c = &httpConv{}
		r.http[stream] = c
	}
	if c != nil {
		r.clock++
		c.lastUsed = r.clock
	}
	return c
}

// tcpConvBufs is the reading of one conversation's two directions, as
// every protocol reassembled over TCP keeps it.
type tcpConvBufs struct {
	dir      [2]tcpStreamBuf
	lastUsed uint64
}

func (b *tcpConvBufs) bufs() *tcpConvBufs { return b }

// evict drops the least recently used half of the conversations.
func (r *tcpReasm) evict() { evictHalf(r, r.http) }

// evictHalf drops the least recently used half of the conversations of m,
// and what they buffered.
func evictHalf[C interface{ bufs() *tcpConvBufs }](r *tcpReasm, m map[uint32]C) {
	var cut uint64
	if half := uint64(len(m)) / 2; r.clock > half {
		cut = r.clock - half
	}
	for k, c := range m {
		if b := c.bufs(); b.lastUsed <= cut {
			r.total -= len(b.dir[0].buf) + len(b.dir[1].buf)
			delete(m, k)
		}
	}
}

// room reports whether n more bytes may be buffered in a direction that
// holds have.
func (r *tcpReasm) room(have, n int) bool {
	return have+n <= tcpReasmMaxMessage && r.total+n <= tcpReasmMaxTotal
}

// keep buffers [pos, end), the start of a message the segment ends in, as
// direction d's message under way, and shows it as tcp.segment_data.
func (r *tcpReasm) keep(t *Tree, l int, d *tcpStreamBuf, pos, end int) {
	t.AddBytes(l, fTCPSegmentData, pos, end-pos)
	d.buf = append(d.buf[:0], t.Data[pos:end]...)
	d.frames = append(d.frames[:0], uint32(t.Number))
	r.total += end - pos
}

// addSegments adds, under sg, the frames that carried direction d's
// message [off, off+n) and the message itself.
func addSegments(t *Tree, sg int, d *tcpStreamBuf, off, n int) {
	for _, f := range d.frames {
		t.Add(sg, fTCPSegment, off, 0, uint64(f))
	}
	t.Add(sg, fTCPSegmentCount, off, 0, uint64(len(d.frames)))
	t.Add(sg, fTCPReasmLen, off, 0, uint64(n))
	t.AddBytes(sg, fTCPReasmData, off, n)
}

// tcpPayloadHTTP dissects the payload [pay, end) of TCP layer l as HTTP
// when tshark would, reassembling across segments when t.Reassemble, and
// reports whether it did.
func tcpPayloadHTTP(t *Tree, l int, rel tcpRel, sport, dport uint16, seq uint32, pay, end int) bool {
	r := &t.crossPacket().reasm
	var c *httpConv
	if rel.conv == nil || rel.conv.http {
		c = r.conv(rel.stream, false) // a map lookup only for HTTP's conversations
	}
	if c == nil && !httpLooksLike(t.Data[pay:min(end, len(t.Data))]) && !tcpPickHTTP(sport, dport) {
		return false
	}
	if r.replay(t, rel, seq) {
		return true
	}
	m := r.begin(t, rel, seq)
	if c == nil {
		c = r.conv(rel.stream, true)
		if rel.conv != nil {
			rel.conv.http = true
		}
	}
	if t.Reassemble && end <= len(t.Data) {
		r.reassemble(t, l, c, &c.dir[rel.dir], seq, pay, end)
	} else {
		if t.Reassemble {
			r.drop(&c.dir[rel.dir])
			c.dir[rel.dir].known = false
		}
		httpAlone(t, c, pay, min(end, len(t.Data)))
	}
	r.end(t, m)
	return true
}

// tcpPickHTTP reports whether tshark gives a payload between these ports
// to HTTP by port: the port tcpPick picks is one of HTTP's, or no port has
// a dissector and one is one of tshark's HTTP ports.
func tcpPickHTTP(sport, dport uint16) bool {
	if !httpTCPPort(sport) && !httpTCPPort(dport) {
		return false // 80 and 8080 among them
	}
	if p, ok := tcpPickPort(sport, dport); ok {
		return p == 80 || p == 8080
	}
	return true
}

// httpAlone dissects the messages of [s, e) as they are, the last one cut
// where the bytes end.
func httpAlone(t *Tree, c *httpConv, s, e int) {
	for s < e {
		n, _, _ := httpMessageLen(t.Data[s:e], c.httpHead())
		if n <= 0 {
			n = e - s
		}
		dissectHTTPMessage(t, c, s, s+n)
		s += n
	}
}

func (r *tcpReasm) drop(d *tcpStreamBuf) {
	r.total -= len(d.buf)
	d.buf, d.frames = d.buf[:0], d.frames[:0]
	if cap(d.buf) > 1<<20 {
		d.buf = nil // a large message's memory goes back
	}
}

// align places the segment's payload [pay, end) at sequence number seq in
// direction d: the bytes read before are skipped, a gap drops what was
// buffered. It gives where the new bytes start, false when there are none
// (a retransmission, whose bytes tshark shows as segment data and dissects
// nothing in).
func (r *tcpReasm) align(t *Tree, l int, d *tcpStreamBuf, seq uint32, pay, end int) (int, bool) {
	if d.known {
		delta := int32(seq - d.next)
		switch {
		case delta < 0 && int(-delta) >= end-pay:
			t.AddBytes(l, fTCPSegmentData, pay, end-pay)
			return pay, false
		case delta < 0:
			pay += int(-delta)
			seq = d.next
		case delta > 0:
			r.drop(d)
		}
	}
	d.known, d.next = true, seq+uint32(end-pay)
	return pay, true
}

// reassemble reads the segment's payload [pay, end) into direction d.
func (r *tcpReasm) reassemble(t *Tree, l int, c *httpConv, d *tcpStreamBuf, seq uint32, pay, end int) {
	pay, ok := r.align(t, l, d, seq, pay, end)
	if !ok {
		return
	}
	fr := uint32(t.Number)
	pos := pay
	if len(d.buf) > 0 {
		if !r.room(len(d.buf), end-pay) {
			r.drop(d)
			httpAlone(t, c, pay, end)
			return
		}
		r.total += end - pay
		d.buf = append(d.buf, t.Data[pay:end]...)
		n, whole, _ := httpMessageLen(d.buf, c.httpHead())
		if !whole {
			d.frames = append(d.frames, fr)
			t.AddBytes(l, fTCPSegmentData, pay, end-pay)
			return
		}
		had := len(d.buf) - (end - pay)
		used := n - had
		t.AddBytes(l, fTCPSegmentData, pay, used)
		d.frames = append(d.frames, fr)
		off := t.AppendReassembled(d.buf[:n])
		addSegments(t, t.Add(l, fTCPSegments, off, n, 0), d, off, n)
		r.drop(d)
		dissectHTTPMessage(t, c, off, off+n)
		pos = pay + used
	}
	for pos < end {
		n, whole, _ := httpMessageLen(t.Data[pos:end], c.httpHead())
		if !whole {
			if !r.room(0, end-pos) {
				httpAlone(t, c, pos, end)
				return
			}
			r.keep(t, l, d, pos, end)
			return
		}
		dissectHTTPMessage(t, c, pos, pos+n)
		pos += n
	}
}

// begin notes where the tree stands before the payload is dissected.
func (r *tcpReasm) begin(t *Tree, rel tcpRel, seq uint32) *tcpMemo {
	m := &r.memo[r.mnext]
	r.mnext = (r.mnext + 1) % tcpMemoSize
	m.number, m.stream, m.dir, m.seq = t.Number, rel.stream, rel.dir, seq
	m.dataLen, m.textLen = len(t.Data), len(t.Text)
	m.nodes = append(m.nodes[:0], Node{Off: int32(len(t.Nodes)), Len: int32(len(t.Layers))})
	return m
}

// end keeps what the payload's dissection added.
func (r *tcpReasm) end(t *Tree, m *tcpMemo) {
	n0, l0 := int(m.nodes[0].Off), int(m.nodes[0].Len)
	m.nodes = append(m.nodes[:0], t.Nodes[n0:]...)
	m.layers = m.layers[:0]
	for _, x := range t.Layers[l0:] {
		m.layers = append(m.layers, x-int32(n0))
	}
	m.text = append(m.text[:0], t.Text[m.textLen:]...)
	m.app = m.app[:0]
	if len(t.Data) > m.dataLen {
		m.app = append(m.app, t.Data[m.dataLen:]...)
	}
}

// replay gives the tree what the payload of this frame added before, when
// it was dissected already, and reports whether it was.
func (r *tcpReasm) replay(t *Tree, rel tcpRel, seq uint32) bool {
	for i := range r.memo {
		m := &r.memo[i]
		if m.number != t.Number || m.stream != rel.stream || m.dir != rel.dir || m.seq != seq || m.number == 0 {
			continue
		}
		if len(t.Data) != m.dataLen || len(t.Text) != m.textLen {
			return true // not the same packet after all: leave it undissected
		}
		if len(m.app) > 0 {
			t.AppendReassembled(m.app)
		}
		t.Text = append(t.Text, m.text...)
		n0 := int32(len(t.Nodes))
		t.Nodes = append(t.Nodes, m.nodes...)
		for _, x := range m.layers {
			t.Layers = append(t.Layers, x+n0)
		}
		return true
	}
	return false
}
