package flow

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// Proto is a conversation's transport protocol.
type Proto uint8

// The protocols a conversation can have.
const (
	TCP Proto = 6
	UDP Proto = 17
)

// String returns "tcp" or "udp".
func (p Proto) String() string {
	switch p {
	case TCP:
		return "tcp"
	case UDP:
		return "udp"
	}
	return "proto?"
}

// Direction tells who sent a message or a packet.
type Direction uint8

// The two directions of a conversation, which index Conversation's arrays.
const (
	FromClient Direction = 0
	FromServer Direction = 1
)

// String returns "client" or "server".
func (d Direction) String() string {
	if d == FromServer {
		return "server"
	}
	return "client"
}

// Conversation sums up one TCP connection or UDP flow (a pair of
// endpoints). The arrays are indexed by Direction.
type Conversation struct {
	Index  int // 1-based, in the order of the conversations' first packets
	Proto  Proto
	Client netip.AddrPort // TCP: the sender of the SYN; otherwise of the first packet
	Server netip.AddrPort
	// Handshake is true when a TCP SYN was seen, so the client is known
	// rather than taken to be whoever spoke first.
	Handshake bool
	Packets   [2]int   // packets each way
	Bytes     [2]int64 // their lengths on the wire, as tshark's conv tables count
	// Payload is the data each way, as the messages hold it: for TCP the
	// stream's bytes, each counted once (retransmissions are not counted
	// again); for UDP the datagrams' payloads.
	Payload [2]int64
	// Lost is the payload the capture lacks: data the snapshot length cut
	// off, and sequence gaps never filled. The messages hold zero bytes in
	// its place (counted in Payload too), except for a TCP gap above 1 MiB,
	// which is skipped.
	Lost     [2]int64
	Start    time.Time
	Duration time.Duration // from the first packet to the last
	// Fin says which sides of a TCP connection closed theirs (sent a
	// FIN), and FinAfter how many messages, both ways, had come by then:
	// a replay closes its side at the same point.
	Fin      [2]bool
	FinAfter [2]int
}

// Message is what one side sent before the other spoke: the data of
// consecutive TCP segments in one direction (in sequence order), or one
// UDP datagram.
type Message struct {
	Dir    Direction
	Offset time.Duration // from the conversation's start to the first packet of the message
	Data   []byte
}

// maxFill is the largest gap in a TCP stream that the messages hold as zero
// bytes; a larger one is counted in Lost and skipped.
const maxFill = 1 << 20

// All follows every conversation (see Table.Follow).
const All = -1

// key names a conversation whichever way its packets go: the endpoints in
// a fixed order.
type key struct {
	proto Proto
	a, b  netip.AddrPort
}

func keyOf(s *segment) key {
	a, b := s.src, s.dst
	if b.Compare(a) < 0 {
		a, b = b, a
	}
	return key{s.proto, a, b}
}

// conv is a conversation being read.
type conv struct {
	Conversation
	last time.Time
	keep bool
	// follow keeps the data as tshark's follow shows it (a Stream's
	// chunks): each delivery a message of its own, never joined to the
	// one before; the bytes the capture cut off left out rather than
	// zeros in their place (a segment that waited for a gap moves the
	// stream on by what was captured of it); a gap the other side
	// acknowledges past a chunk saying how many bytes are missing (see
	// ackedGap); and the data still waiting behind a gap at the end
	// dropped.
	follow   bool
	messages []Message // if keep
	nmsg     int       // messages so far, kept or not
	lastDir  Direction // of the last message
	half     [2]half   // TCP only
	rst      bool
}

// half is one direction of a TCP connection being put back in order.
type half struct {
	started bool
	next    uint32 // the sequence number of the next byte expected
	fin     bool
	pending []pending // segments that arrived ahead of next
}

type pending struct {
	seq  uint32
	at   time.Time
	data []byte // captured bytes, then missing zeros
	lost int    // how many of data's last bytes the capture lacked
}

// Table collects conversations from packets fed to it in capture order.
// It keeps the messages only of the conversations it is told to follow.
// A Table is not safe for concurrent use.
type Table struct {
	byKey  map[key]*conv
	convs  []*conv
	follow map[int]bool
	all    bool
	seg    segment
	parser parser
}

// NewTable returns an empty table.
func NewTable() *Table {
	return &Table{byKey: map[key]*conv{}, follow: map[int]bool{}}
}

// Follow asks the table to keep the messages of conversation n (its Index),
// or of every conversation when n is All. Call it before the conversation's
// first packet is added.
func (t *Table) Follow(n int) {
	if n == All {
		t.all = true
		return
	}
	t.follow[n] = true
}

// Add reads one packet of the given link type (a LINKTYPE_ number) and
// returns the Index of the conversation it belongs to, or 0 if it is not
// a TCP or UDP packet the table can read. data is not kept after Add
// returns. Malformed packets are skipped, never a panic.
func (t *Table) Add(link wire.LinkType, data []byte, ci gopacket.CaptureInfo) int {
	s := &t.seg
	if !t.parser.parse(link, data, s) {
		return 0
	}
	length := int64(ci.Length)
	if length == 0 {
		length = int64(len(data))
	}
	k := keyOf(s)
	c := t.byKey[k]
	syn := s.proto == TCP && s.flags&(flagSYN|flagACK) == flagSYN
	if c != nil && syn && c.closed() {
		c = nil // the ports are used again by a new connection
	}
	if c == nil {
		c = t.newConv(k, s, ci.Timestamp)
	}
	dir := FromClient
	if s.src != c.Client {
		dir = FromServer
	}
	c.Packets[dir]++
	c.Bytes[dir] += length
	if ci.Timestamp.After(c.last) {
		c.last = ci.Timestamp
	}
	if s.proto == UDP {
		c.Payload[dir] += int64(len(s.payload) + s.missing)
		c.Lost[dir] += int64(s.missing)
		c.deliver(dir, ci.Timestamp, s.payload, s.missing, true)
		if inner, ok := vxlanFrame(s); ok {
			// The tunnel's frame holds conversations of its own, which
			// tshark's tables list beside the tunnel's, counting the
			// whole frame's bytes for them too.
			t.Add(wire.LinkEthernet, inner, ci)
		}
		return c.Index
	}
	c.tcp(dir, s, ci.Timestamp)
	return c.Index
}

// vxlanPort is VXLAN's UDP port (RFC 7348 section 5), where tshark
// decodes it.
const vxlanPort = 4789

// vxlanFrame is the Ethernet frame a VXLAN datagram carries: to port 4789,
// with the I flag (a valid VNI) set in its 8-byte header.
func vxlanFrame(s *segment) ([]byte, bool) {
	if s.dst.Port() != vxlanPort || len(s.payload) < 8+14 || s.payload[0]&0x08 == 0 {
		return nil, false
	}
	return s.payload[8:], true
}

func (t *Table) newConv(k key, s *segment, at time.Time) *conv {
	c := &conv{Conversation: Conversation{
		Index:  len(t.convs) + 1,
		Proto:  s.proto,
		Client: s.src,
		Server: s.dst,
		Start:  at,
	}, last: at}
	if s.proto == TCP && s.flags&(flagSYN|flagACK) == flagSYN|flagACK {
		c.Client, c.Server = s.dst, s.src // the SYN itself was not captured
	}
	c.Handshake = s.proto == TCP && s.flags&flagSYN != 0
	c.keep = t.all || t.follow[c.Index]
	t.convs = append(t.convs, c)
	t.byKey[k] = c
	return c
}

func (c *conv) closed() bool {
	return c.rst || c.half[0].fin && c.half[1].fin
}

// tcp puts a segment's data in its place: data already delivered (a
// retransmission, or the overlapping part of a segment) is dropped, data
// ahead of a gap waits until the gap is filled. The first copy of a byte
// wins, as in the receiving kernel.
func (c *conv) tcp(dir Direction, s *segment, at time.Time) {
	h := &c.half[dir]
	if s.flags&flagRST != 0 {
		c.rst = true
	}
	seq := s.seq
	if s.flags&flagSYN != 0 {
		c.Handshake = true
		seq++ // the SYN takes one sequence number; data (TCP Fast Open) follows it
		if !h.started {
			h.started, h.next = true, seq
		}
	} else if !h.started {
		// The capture began after the handshake: start where we are.
		h.started, h.next = true, seq
	}
	if s.flags&flagFIN != 0 && !h.fin {
		// After the data the segment carries, if any.
		defer func() {
			h.fin, c.Fin[dir], c.FinAfter[dir] = true, true, c.nmsg
		}()
	}
	if c.follow && s.flags&flagACK != 0 {
		c.ackedGap(1-dir, s.ack)
	}
	n := len(s.payload) + s.missing
	if n == 0 {
		return
	}
	// In 64 bits: -ahead of the most negative int32 does not fit 32.
	ahead := int64(int32(seq - h.next))
	if ahead > 0 {
		if c.follow {
			h.pending = append(h.pending, pending{seq: seq, at: at, data: slices.Clone(s.payload)})
			return
		}
		data := make([]byte, n)
		copy(data, s.payload)
		h.pending = append(h.pending, pending{seq: seq, at: at, data: data, lost: s.missing})
		return
	}
	skip := int(-ahead)
	if skip >= n {
		return // all of it was delivered before
	}
	payload, missing := s.payload, s.missing
	if skip < len(payload) {
		payload = payload[skip:]
	} else {
		missing -= skip - len(payload)
		payload = nil
	}
	c.deliverTCP(dir, at, payload, missing)
	c.drain(dir, false)
}

// ackedGap is what tshark's follow was seen to do when one side
// acknowledges data of the other's the capture lacks (ack beyond the
// gap's start, a segment waiting behind the gap): it prints, in the gap's
// place, a chunk saying how many bytes are missing ("[N bytes missing in
// capture file]" and a NUL), then the waiting data. A gap no
// acknowledgment passes is never filled in: the data behind it is not
// printed.
func (c *conv) ackedGap(dir Direction, ack uint32) {
	h := &c.half[dir]
	for len(h.pending) > 0 && int32(ack-h.next) > 0 {
		slices.SortStableFunc(h.pending, func(a, b pending) int {
			return cmp.Compare(int32(a.seq-h.next), int32(b.seq-h.next))
		})
		p := h.pending[0]
		ahead := int32(p.seq - h.next)
		if ahead <= 0 {
			c.drain(dir, false)
			continue
		}
		if int32(ack-p.seq) <= 0 {
			return // the acknowledgment stops before the waiting data
		}
		marker := fmt.Appendf(nil, "[%d bytes missing in capture file]\x00", ahead)
		c.deliver(dir, p.at, marker, 0, false)
		h.next = p.seq
		c.drain(dir, false)
	}
}

// deliverTCP hands on in-order data and moves the direction's next.
func (c *conv) deliverTCP(dir Direction, at time.Time, data []byte, missing int) {
	h := &c.half[dir]
	h.next += uint32(len(data) + missing)
	c.Payload[dir] += int64(len(data) + missing)
	c.Lost[dir] += int64(missing)
	c.deliver(dir, at, data, missing, false)
}

// drain delivers the waiting segments that now follow on. With force, a
// gap that was never filled is skipped, counted as lost.
func (c *conv) drain(dir Direction, force bool) {
	h := &c.half[dir]
	for len(h.pending) > 0 {
		// The waiting segment that starts first, relative to next.
		slices.SortStableFunc(h.pending, func(a, b pending) int {
			return cmp.Compare(int32(a.seq-h.next), int32(b.seq-h.next))
		})
		p := h.pending[0]
		ahead := int32(p.seq - h.next)
		if ahead > 0 {
			if !force {
				return
			}
			if ahead <= maxFill {
				c.deliverTCP(dir, p.at, nil, int(ahead)) // zeros in the gap's place
			} else {
				// More likely a broken sequence number than lost data.
				c.Lost[dir] += int64(ahead)
				h.next = p.seq
			}
			ahead = 0
		}
		h.pending = h.pending[1:]
		if skip := int(-ahead); skip < len(p.data) {
			lost := min(p.lost, len(p.data)-skip)
			c.deliverTCP(dir, p.at, p.data[skip:len(p.data)-lost], lost)
		}
	}
	h.pending = nil
}

// deliver adds data to the conversation's messages: to the last one if it
// came the same way (a stream), or as a new one.
func (c *conv) deliver(dir Direction, at time.Time, data []byte, missing int, datagram bool) {
	if c.follow {
		missing = 0 // left out, not zeros
		if len(data) == 0 && !datagram {
			return // a segment the capture cut before its payload: no chunk
		}
	}
	if !datagram && c.nmsg > 0 && c.lastDir == dir {
		if c.keep && c.follow {
			b := make([]byte, len(data)+missing)
			copy(b, data)
			c.messages = append(c.messages, Message{Dir: dir, Offset: at.Sub(c.Start), Data: b})
		} else if c.keep {
			m := &c.messages[len(c.messages)-1]
			m.Data = append(m.Data, data...)
			m.Data = append(m.Data, make([]byte, missing)...)
		}
		return
	}
	c.nmsg++
	c.lastDir = dir
	if !c.keep {
		return
	}
	b := make([]byte, len(data)+missing)
	copy(b, data)
	c.messages = append(c.messages, Message{Dir: dir, Offset: at.Sub(c.Start), Data: b})
}

// finish delivers what still waits behind a gap the capture never filled.
func (c *conv) finish() {
	if c.Proto != TCP {
		return
	}
	for dir := range c.half {
		if c.follow {
			c.half[dir].pending = nil
			continue
		}
		c.drain(Direction(dir), true)
	}
}

// Len returns the number of conversations seen so far.
func (t *Table) Len() int {
	return len(t.convs)
}

// Conversations returns the conversations in the order of their first
// packets. Data still waiting behind a gap in the capture is counted as
// delivered after the gap (counted in Lost), so call it after the last
// packet.
func (t *Table) Conversations() []Conversation {
	out := make([]Conversation, len(t.convs))
	for i, c := range t.convs {
		c.finish()
		out[i] = c.Conversation
		out[i].Duration = c.last.Sub(c.Start)
	}
	return out
}

// Messages returns the messages of conversation n in the order they were
// delivered, and false if there is no such conversation or it was not
// followed. Like Conversations, call it after the last packet.
func (t *Table) Messages(n int) ([]Message, bool) {
	if n < 1 || n > len(t.convs) || !t.convs[n-1].keep {
		return nil, false
	}
	c := t.convs[n-1]
	c.finish()
	return c.messages, true
}
