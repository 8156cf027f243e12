package decode

// tcpConvs is the table of TCP conversations a Tree keeps from packet to
// packet, for tshark's tcp.stream and its relative sequence numbers
// (tcp.seq, tcp.ack, tcp.nxtseq, SACK edges), as tshark 4.0 gives them with
// its default preferences. What it does was learned by running tshark on
// the captures of testdata/ (tcp-seq.pcap was recorded for it):
//
//   - A conversation is a pair of (address, port) endpoints. It takes the
//     next stream index, counting from 0, when its first segment is seen.
//   - A SYN without ACK whose sequence number is not its sender's base
//     starts a new conversation on the same endpoints (a new connection on
//     a 4-tuple used before, ended or not); a SYN sent again with the same
//     number (a retransmission) stays in the one it belongs to.
//   - A side's base is its SYN's sequence number; when its SYN was not
//     seen, the sequence number of its first segment less one, or, when the
//     other side acknowledges before this one sends, that acknowledgment
//     number less one. Relative numbers are the raw ones less the base
//     (modulo 2^32): the SYN is 0, the first data byte 1.
//   - tcp.ack is relative to the other side's base when ACK is set; without
//     ACK it is the raw field. SACK edges are relative to the other side's
//     base too (they acknowledge its data).
//
// The table is bounded: at tcpConvMax conversations the ended ones (a
// reset, or a FIN each way) are dropped, and if that frees too little, all.
// A conversation seen again after being dropped starts a new stream, with
// new bases. Looking up a known conversation allocates nothing.
type tcpConvs struct {
	m     map[tcpConnKey]int32 // the index in convs
	convs []tcpConv
	next  uint32 // the next stream index
	// last is the key looked up last and lastI its index in convs (-1 none):
	// a bulk transfer's segments follow one another and skip the map.
	last  tcpConnKey
	lastI int32
	has   bool
}

// tcpConv is one conversation; index 0 is the lower endpoint (tcpCompare).
type tcpConv struct {
	stream uint32
	base   [2]uint32
	has    [2]bool // base is known
	fin    [2]bool
	rst    bool
	http   bool             // read as HTTP: tcpReasm has its conversation
	an     tcpAnalysisState // sequence analysis (tcpanalysis.go)
}

func (c *tcpConv) ended() bool { return c.rst || c.fin[0] && c.fin[1] }

const tcpConvMax = 1 << 16

// tcpRel is what the table gives one segment.
type tcpRel struct {
	stream   uint32
	seq, ack uint32
	sackBase uint32 // what SACK edges are relative to
	dir      uint8  // 0 from the lower endpoint (tcpCompare), 1 from the higher
	// conv is the conversation's entry, valid until the next segment;
	// fromHigher tells the segment's direction, reused that it is a SYN
	// that started a new conversation on endpoints seen before.
	conv               *tcpConv
	fromHigher, reused bool
}

// segment records a segment from (src, sport) to (dst, dport) and gives
// its stream index and relative numbers in r; it is false when the
// addresses cannot name a conversation.
func (s *tcpConvs) segment(src, dst []byte, sport, dport uint16, flags uint64, seq, ack uint32, r *tcpRel) bool {
	if len(src) != len(dst) || len(src) > 16 || len(src) == 0 {
		return false
	}
	k, fromHigher := tcpKey(src, dst, sport, dport)
	me := 0
	if fromHigher {
		me = 1
	}
	if s.m == nil {
		s.m = make(map[tcpConnKey]int32)
	}
	var i int32
	var known bool
	if s.has && k == s.last {
		i, known = s.lastI, true
	} else {
		i, known = s.m[k]
	}
	reused := false
	if known && flags&(tcpSYN|tcpACK) == tcpSYN && s.convs[i].has[me] && s.convs[i].base[me] != seq {
		// A new connection on these endpoints: it takes the old one's place.
		s.convs[i] = tcpConv{stream: s.next}
		s.next++
		reused = true
	}
	if !known {
		if len(s.convs) >= tcpConvMax {
			s.evict()
		}
		i = int32(len(s.convs))
		s.convs = append(s.convs, tcpConv{stream: s.next})
		s.m[k] = i
		s.next++
	}
	s.last, s.lastI, s.has = k, i, true
	c := &s.convs[i]
	other := 1 - me
	switch {
	case flags&tcpSYN != 0:
		c.base[me], c.has[me] = seq, true
	case !c.has[me]:
		c.base[me], c.has[me] = seq-1, true
	}
	if flags&tcpACK != 0 && !c.has[other] {
		c.base[other], c.has[other] = ack-1, true
	}
	if flags&tcpFIN != 0 {
		c.fin[me] = true
	}
	if flags&tcpRST != 0 {
		c.rst = true
	}
	// Field by field into the caller's: a tcpRel returned whole is copied
	// with loads wider than the stores that made it, which stalls.
	r.stream, r.seq, r.ack, r.sackBase, r.dir = c.stream, seq-c.base[me], ack, 0, uint8(me)
	r.conv, r.fromHigher, r.reused = c, fromHigher, reused
	if c.has[other] {
		r.sackBase = c.base[other]
		if flags&tcpACK != 0 {
			r.ack = ack - c.base[other]
		}
	}
	return true
}

// evict makes room in a full table: the ended conversations go, and all of
// them if fewer than a quarter had ended. It allocates, once per
// tcpConvMax/4 new conversations at most.
func (s *tcpConvs) evict() {
	s.has = false
	live := make([]tcpConv, 0, cap(s.convs))
	for k, i := range s.m {
		if c := s.convs[i]; !c.ended() {
			s.m[k] = int32(len(live))
			live = append(live, c)
		} else {
			delete(s.m, k)
		}
	}
	if len(live) > tcpConvMax*3/4 {
		clear(s.m)
		live = live[:0]
	}
	s.convs = live
}
