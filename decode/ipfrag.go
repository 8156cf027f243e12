package decode

import (
	"bytes"
	"time"
)

// IP fragments put back together (RFC 791 section 3.2, RFC 8200 section
// 4.5), as tshark 4.0 does with its default preferences (ip.defragment and
// ipv6.defragment on), when Tree.Reassemble is set. What it does was learned
// by running tshark on the captures of testdata/ (frag.pcap, vlan.pcap,
// icmp6-nd.pcap), tcpdump's afs.pcap and packets made for the purpose:
//
//   - A fragment that does not complete its datagram shows its IP header
//     and its payload as data, the first fragment too (its transport
//     header is not read). tshark reads a file in one pass: no fragment
//     says where its datagram was completed (ip.reassembled_in and
//     ipv6.reassembled.in are never given).
//   - The fragment that completes the datagram (the last one to arrive,
//     whatever its offset) shows the datagram: the list of its fragments
//     (ip.fragments, whose value is the datagram's payload; ipv6.fragments,
//     a group), then the payload dissected by the protocol or next header
//     of that fragment's own header. In IPv6 the next header may be another
//     extension header, which is read from the reassembled bytes.
//   - The list is in offset order, fragments of equal offset in the order
//     they came. Each is ip.fragment (its frame number), or
//     ip.fragment.error when it conflicts (overlapping bytes that differ),
//     is a second tail of another length (multipletails) or passes the
//     datagram's end (toolongfragment); a fragment starting before the end
//     of those before it is flagged ip.fragment.overlap. Then
//     ip.fragment.count (all of them, errors too), ip.reassembled.length and
//     ip.reassembled.data. The same with ipv6.* names.
//   - The datagram's length is set by the first tail (more-fragments clear)
//     that arrives; the datagram is complete when its fragments cover it.
//     Where fragments overlap, the bytes of the one earlier in the list are
//     kept.
//   - A duplicate (the same fragment again) before completion is one more
//     fragment in the list, flagged overlap; after completion it starts a
//     new datagram, as a fragment reusing the identification does.
//   - An IPv6 datagram is keyed by source, destination and identification
//     (the next header is not part of it, nor VLAN tags). An IPv4 datagram
//     by source, destination, identification, protocol and the ID of the
//     frame's first 802.1Q tag (none counts as 0; an 802.1ad tag does not
//     count). tshark combines the last three into one number by exclusive
//     or, so that, say, identification 0x50 protocol 17 and identification
//     0x41 protocol 0 go into one datagram; decode keeps them apart.
//   - A fragment whose payload was not wholly captured is not reassembled.
//     An IPv4 one is dissected as with reassembly off (a first fragment's
//     transport header is read), an IPv6 one is data, the first one too.
//     A fragment quoted whole in an ICMP or ICMPv6 error is taken like any
//     other (the error's frame is in the list); quoted fragments are
//     usually cut short, and are then read as above.
//   - IPv6 atomic fragments (offset 0, more-fragments clear) are not
//     reassembled: their payload is read as it is.
//   - tshark keeps unfinished datagrams without a limit we could find (one
//     completed 5000 unfinished datagrams later). decode bounds them:
//     fragMaxDatagrams datagrams and fragMaxBytes bytes of fragments; past
//     either it drops the oldest unfinished datagram, whose later fragments
//     then start a new one.
//
// Dissecting a frame again (the printer's tree after the display filter's,
// sharing its state) gives the same tree and changes nothing: the table
// knows the last frame it took fragments from and remembers the datagrams
// the last fragDoneMax completing frames put together.

var (
	fIPFragments      = field("ip.fragments", "IPv4 Fragments", TypeBytes)
	fIPFragment       = field("ip.fragment", "IPv4 Fragment", TypeFrameNum)
	fIPFragOverlap    = field("ip.fragment.overlap", "Fragment overlap", TypeBoolean)
	fIPFragConflict   = field("ip.fragment.overlap.conflict", "Conflicting data in fragment overlap", TypeBoolean)
	fIPFragMultiTails = field("ip.fragment.multipletails", "Multiple tail fragments found", TypeBoolean)
	fIPFragTooLong    = field("ip.fragment.toolongfragment", "Fragment too long", TypeBoolean)
	fIPFragError      = field("ip.fragment.error", "Defragmentation error", TypeFrameNum)
	fIPFragCount      = field("ip.fragment.count", "Fragment count", TypeUint32)
	fIPReassembledIn  = field("ip.reassembled_in", "Reassembled IPv4 in frame", TypeFrameNum)
	fIPReassembledLen = field("ip.reassembled.length", "Reassembled IPv4 length", TypeUint32)
	fIPReassembled    = field("ip.reassembled.data", "Reassembled IPv4 data", TypeBytes)

	fIPv6Fragments      = field("ipv6.fragments", "IPv6 Fragments", TypeNone)
	fIPv6Fragment       = field("ipv6.fragment", "IPv6 Fragment", TypeFrameNum)
	fIPv6FragOverlap    = field("ipv6.fragment.overlap", "Fragment overlap", TypeBoolean)
	fIPv6FragConflict   = field("ipv6.fragment.overlap.conflict", "Conflicting data in fragment overlap", TypeBoolean)
	fIPv6FragMultiTails = field("ipv6.fragment.multipletails", "Multiple tail fragments found", TypeBoolean)
	fIPv6FragTooLong    = field("ipv6.fragment.toolongfragment", "Fragment too long", TypeBoolean)
	fIPv6FragError      = field("ipv6.fragment.error", "Defragmentation error", TypeFrameNum)
	fIPv6FragCount      = field("ipv6.fragment.count", "Fragment count", TypeUint32)
	fIPv6ReassembledIn  = field("ipv6.reassembled.in", "Reassembled IPv6 in frame", TypeFrameNum)
	fIPv6ReassembledLen = field("ipv6.reassembled.length", "Reassembled IPv6 length", TypeUint32)
	fIPv6Reassembled    = field("ipv6.reassembled.data", "Reassembled IPv6 data", TypeBytes)
)

// fragFields are one IP version's reassembly fields.
type fragFields struct {
	fragments, fragment, overlap, conflict, multiTails, tooLong, err, count, length, data FieldID
}

var (
	ipFragFields = &fragFields{fIPFragments, fIPFragment, fIPFragOverlap, fIPFragConflict,
		fIPFragMultiTails, fIPFragTooLong, fIPFragError, fIPFragCount, fIPReassembledLen, fIPReassembled}
	ipv6FragFields = &fragFields{fIPv6Fragments, fIPv6Fragment, fIPv6FragOverlap, fIPv6FragConflict,
		fIPv6FragMultiTails, fIPv6FragTooLong, fIPv6FragError, fIPv6FragCount, fIPv6ReassembledLen, fIPv6Reassembled}
)

// The table's bounds.
const (
	fragMaxDatagrams = 1 << 14  // unfinished datagrams
	fragMaxBytes     = 64 << 20 // bytes of their fragments
	fragDoneMax      = 32       // completed datagrams remembered for dissecting a frame again
	// fragTimeout is how long, in capture time, a datagram's fragments
	// wait for the rest: RFC 8200's reassembly timeout for IPv6 (Linux
	// waits 30 seconds for IPv4). A datagram older is given up when a
	// later fragment arrives, so that a long capture with fragments that
	// never complete keeps few of them.
	fragTimeout = 60 * int64(time.Second)
	// fragKeepArena is the most a free slot keeps of its buffers for the
	// next datagram; a larger one goes, with its datagram.
	fragKeepArena = 64 << 10
)

// fragKey names a datagram being reassembled.
type fragKey struct {
	src, dst [16]byte
	id       uint32
	proto    uint16 // IPv4's protocol; fragKeyV6 for IPv6, whose key has no next header
	vlan     uint16 // IPv4: the frame's first 802.1Q VLAN ID
}

const fragKeyV6 = 0x100

// fragPiece is one fragment of a datagram being reassembled: where it goes
// and where its bytes are kept.
type fragPiece struct {
	frame int32
	off   int32 // in the datagram's payload
	n     int32
	at    int32 // in the datagram's arena
	tail  bool  // more-fragments clear
}

// fragDgram is a datagram being reassembled.
type fragDgram struct {
	key    fragKey
	gen    uint32 // told apart from an earlier datagram in the same slot
	total  int    // the payload's length, from the first tail; -1 before
	start  int64  // the capture time of its first fragment, in nanoseconds
	pieces []fragPiece
	arena  []byte
}

// The flags of a fragment in a completed datagram.
const (
	fragOverlap uint8 = 1 << iota
	fragConflict
	fragMultiTails
	fragTooLong
	fragErrors = fragConflict | fragMultiTails | fragTooLong
)

// donePiece is a fragment of a completed datagram, in its list.
type donePiece struct {
	frame  int32
	off, n int32 // n is clipped to the datagram's end
	flags  uint8
}

// fragDone is a completed datagram as the frame that completed it shows it.
type fragDone struct {
	frame  int // 0: an empty slot
	ev     int // which fragment of that frame
	data   []byte
	pieces []donePiece
}

// fragRef names a slot's datagram in the order they were started.
type fragRef struct {
	slot int32
	gen  uint32
}

// ipFrags is the table of IP datagrams being reassembled, which a Tree keeps
// across packets (treeState). Once warm it allocates nothing: slots, their
// arenas and the completed datagrams' buffers are used again.
type ipFrags struct {
	m     map[fragKey]int32 // the slot of each unfinished datagram
	slots []fragDgram
	free  []int32
	order []fragRef // by start, oldest first from head; stale refs are skipped
	head  int
	live  int
	bytes int
	gen   uint32
	// last is the last frame fragments were taken from and lastEv how
	// many; a fragment of an earlier frame, or of this one again, is
	// being dissected again and changes nothing.
	last, lastEv int
	done         [fragDoneMax]fragDone
	doneNext     int
}

// add takes fragment ev (counting from 0) of frame: n bytes b at byte
// offset off of datagram k, the last one if !more. It returns the completed
// datagram when this fragment completes it, else nil.
func (s *ipFrags) add(frame, ev int, now int64, k fragKey, off int, more bool, b []byte) *fragDone {
	if frame == 1 && s.last > 1 {
		// Frame numbers start again: a new input.
		s.reset()
	}
	if frame < s.last || frame == s.last && ev < s.lastEv {
		for i := range s.done {
			if d := &s.done[i]; d.frame == frame && d.ev == ev {
				return d
			}
		}
		return nil
	}
	s.last, s.lastEv = frame, ev+1
	if s.m == nil {
		s.m = make(map[fragKey]int32)
	}
	s.expire(now)
	si, ok := s.m[k]
	if !ok {
		si = s.start(k, now)
	}
	d := &s.slots[si]
	p := fragPiece{frame: int32(frame), off: int32(off), n: int32(len(b)), at: int32(len(d.arena)), tail: !more}
	d.arena = append(d.arena, b...)
	s.bytes += len(b)
	if !more && d.total < 0 {
		d.total = off + len(b)
	}
	// Keep the list in offset order, equal offsets in arrival order.
	i := len(d.pieces)
	for i > 0 && d.pieces[i-1].off > p.off {
		i--
	}
	d.pieces = append(d.pieces, fragPiece{})
	copy(d.pieces[i+1:], d.pieces[i:])
	d.pieces[i] = p
	if d.complete() {
		r := s.finish(d, frame, ev)
		s.drop(si)
		return r
	}
	s.trim()
	return nil
}

// start gives datagram k a slot.
func (s *ipFrags) start(k fragKey, now int64) int32 {
	var si int32
	if n := len(s.free); n > 0 {
		si = s.free[n-1]
		s.free = s.free[:n-1]
	} else {
		s.slots = append(s.slots, fragDgram{})
		si = int32(len(s.slots) - 1)
	}
	s.gen++
	d := &s.slots[si]
	d.key, d.gen, d.total, d.start = k, s.gen, -1, now
	d.pieces, d.arena = d.pieces[:0], d.arena[:0]
	s.m[k] = si
	if len(s.order)-s.head > 2*s.live+64 {
		// Most refs are of datagrams completed since: keep the live ones,
		// in order, so that the slice stays within a few times the table.
		n := 0
		for _, r := range s.order[s.head:] {
			if s.slots[r.slot].gen == r.gen {
				s.order[n] = r
				n++
			}
		}
		s.order, s.head = s.order[:n], 0
	}
	s.order = append(s.order, fragRef{si, s.gen})
	s.live++
	return si
}

// drop frees slot si.
func (s *ipFrags) drop(si int32) {
	d := &s.slots[si]
	delete(s.m, d.key)
	s.bytes -= len(d.arena)
	d.gen = 0
	if cap(d.arena) > fragKeepArena {
		d.arena, d.pieces = nil, nil
	}
	s.free = append(s.free, si)
	s.live--
}

// trim drops the oldest unfinished datagrams while the table holds too many
// or too many bytes.
func (s *ipFrags) trim() {
	for (s.live > fragMaxDatagrams || s.bytes > fragMaxBytes) && s.head < len(s.order) {
		r := s.order[s.head]
		s.head++
		if s.slots[r.slot].gen == r.gen {
			s.drop(r.slot)
		}
	}
}

// expire drops the datagrams started more than fragTimeout before now,
// oldest first.
func (s *ipFrags) expire(now int64) {
	for s.head < len(s.order) {
		r := s.order[s.head]
		d := &s.slots[r.slot]
		if d.gen == r.gen {
			if now-d.start <= fragTimeout {
				return
			}
			s.drop(r.slot)
		}
		s.head++
	}
}

// reset forgets every datagram.
func (s *ipFrags) reset() {
	for i := range s.slots {
		if s.slots[i].gen != 0 {
			s.drop(int32(i))
		}
	}
	s.order, s.head = s.order[:0], 0
	s.last, s.lastEv = 0, 0
	for i := range s.done {
		s.done[i].frame = 0
	}
}

// complete reports whether d's fragments cover its payload.
func (d *fragDgram) complete() bool {
	if d.total < 0 {
		return false
	}
	reach := 0
	for _, p := range d.pieces {
		if int(p.off) > reach {
			return false
		}
		reach = max(reach, int(p.off+p.n))
	}
	return reach >= d.total
}

// finish puts d's payload together in the next slot of the completed
// datagrams and flags its fragments, as the list is in offset order: bytes
// already placed stay.
func (s *ipFrags) finish(d *fragDgram, frame, ev int) *fragDone {
	r := &s.done[s.doneNext]
	s.doneNext = (s.doneNext + 1) % fragDoneMax
	r.frame, r.ev = frame, ev
	if cap(r.data) < d.total {
		r.data = make([]byte, d.total)
	}
	r.data = r.data[:d.total]
	r.pieces = r.pieces[:0]
	reach := 0
	for _, p := range d.pieces {
		off, end := int(p.off), int(p.off+p.n)
		b := d.arena[p.at : int(p.at)+int(p.n)]
		var fl uint8
		if off < reach {
			fl |= fragOverlap
			if e := min(reach, end, d.total); e > off && !bytes.Equal(b[:e-off], r.data[off:e]) {
				fl |= fragConflict
			}
		}
		if p.tail && end != d.total {
			fl |= fragMultiTails
		}
		if end > d.total {
			fl |= fragTooLong
		}
		if from, to := max(off, reach), min(end, d.total); from < to {
			copy(r.data[from:to], b[from-off:to-off])
		}
		reach = max(reach, end)
		n := min(end, d.total) - off
		r.pieces = append(r.pieces, donePiece{frame: p.frame, off: int32(min(off, d.total)), n: int32(max(n, 0)), flags: fl})
	}
	return r
}

// reassembling reports whether t puts fragments together.
func (t *Tree) reassembling() bool { return t.Reassemble && !t.Stateless }

// defragment hands fragment payload [off, end) of the IP layer l to the
// table under key k; the fragment starts at byte fo of its datagram and
// more says whether others follow. It returns where the datagram's
// payload, placed after the packet's bytes, starts and ends, with the
// fragment list added under node parent, when this fragment completed it;
// ok is false when it did not (the caller dissects the fragment's own
// payload as data).
func defragment(t *Tree, parent int, ff *fragFields, k fragKey, fo int, more bool, off, end int) (start, stop int, ok bool) {
	ev := t.fragEv
	t.fragEv++
	r := t.crossPacket().frags.add(t.Number, ev, epochNanos(t.CI.Timestamp), k, fo, more, t.Data[off:end])
	if r == nil {
		return 0, 0, false
	}
	o := t.AppendReassembled(r.data)
	g := t.Add(parent, ff.fragments, o, len(r.data), 0)
	t.Nodes[g].Flags |= Generated
	for _, p := range r.pieces {
		f := ff.fragment
		if p.flags&fragErrors != 0 {
			f = ff.err
		}
		i := t.Add(g, f, o+int(p.off), int(p.n), uint64(p.frame))
		t.Nodes[i].Flags |= Generated
		for _, x := range [...]struct {
			bit uint8
			f   FieldID
		}{{fragOverlap, ff.overlap}, {fragConflict, ff.conflict}, {fragMultiTails, ff.multiTails}, {fragTooLong, ff.tooLong}} {
			if p.flags&x.bit != 0 {
				t.Nodes[t.Add(i, x.f, o+int(p.off), int(p.n), 1)].Flags |= Generated
			}
		}
	}
	t.Nodes[t.Add(g, ff.count, o, 0, uint64(len(r.pieces)))].Flags |= Generated
	t.Nodes[t.Add(g, ff.length, o, 0, uint64(len(r.data)))].Flags |= Generated
	t.Nodes[t.AddBytes(g, ff.data, o, len(r.data))].Flags |= Generated
	return o, o + len(r.data), true
}

// ipFragKey is the key of the IPv4 fragment whose header is at off, in
// layer l.
func ipFragKey(t *Tree, l, off int, proto uint64) fragKey {
	k := fragKey{id: uint32(t.U16(off + 4)), proto: uint16(proto)}
	copy(k.src[:], t.Data[off+12:off+16])
	copy(k.dst[:], t.Data[off+16:off+20])
	for _, ln := range t.Layers {
		if int(ln) >= l {
			break
		}
		if t.Nodes[ln].Field == protoVLAN {
			v, _ := t.Value(int(ln), fVLANID)
			k.vlan = uint16(v)
			break
		}
	}
	return k
}

// ipReassembled reports whether the IP layer ip (IPv4 or IPv6) put its
// datagram together from fragments, so that the layers above it hold the
// whole datagram.
func ipReassembled(t *Tree, ip int) bool {
	if t.Nodes[ip].Field == protoIP {
		return t.Find(ip, fIPFragments) >= 0
	}
	for _, ln := range t.Layers {
		if int(ln) <= ip {
			continue
		}
		switch t.Nodes[ln].Field {
		case fIPv6FragHdr:
			return t.Find(int(ln), fIPv6Fragments) >= 0
		case protoIPv6HopOpts, protoIPv6DstOpts, protoIPv6Routing:
		default:
			return false
		}
	}
	return false
}

// ipv6FragKey is the key of the IPv6 fragment of IPv6 layer ip whose
// identification is at off.
func ipv6FragKey(t *Tree, ip, off int) fragKey {
	k := fragKey{id: uint32(t.U32(off)), proto: fragKeyV6}
	copy(k.src[:], t.Bytes(t.Find(ip, fIPv6Src)))
	copy(k.dst[:], t.Bytes(t.Find(ip, fIPv6Dst)))
	return k
}
