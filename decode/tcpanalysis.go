package decode

import "encoding/binary"

// TCP sequence analysis, as tshark 4.0 adds it to every segment with its
// default preferences (tcp.analyze_sequence_numbers, tcp.calculate_timestamps
// and tcp.track_bytes_in_flight on): the flags under tcp.analysis.flags,
// the frame an ACK acknowledges and its round trip, the initial round trip,
// bytes in flight, the scaled window and the times within the stream. What
// it does was learned from the Wireshark User's Guide ("TCP Analysis") and
// by running tshark on the captures of testdata/ (tcp4.pcap, tcp6.pcap and
// the lossy tcp-loss*.pcap were recorded for it) and of the tcpdump corpus.
//
// Each direction of a conversation (tcpFlow) keeps the next sequence number
// it is expected to send (the highest seq+len seen: SYN and FIN count one),
// its last acknowledgment and window and when it was sent, the number of
// duplicate ACKs since its last new one, and the analysis flags of its last
// segment. A segment is then checked in this order, each check against
// the state before the segment:
//
//   - zero window probe: one byte at the next expected sequence number
//     while the other side's window is zero; no retransmission checks.
//   - zero window: the window is zero, and none of SYN, FIN, RST is set.
//   - lost segment (previous segment not captured): the sequence number is
//     past the next expected one (RST aside).
//   - keep-alive: at most one byte at one less than the next expected
//     number, no SYN, FIN or RST; no retransmission checks.
//   - window update: no data, a non-zero window that changed, at the next
//     expected number, acknowledging what the last ACK did.
//   - window full: data that fills the other side's window exactly (its
//     last ACK plus its window).
//   - keep-alive ACK, zero window probe ACK: no data, window unchanged (not
//     zero for the first, zero for the second), at the expected number and
//     ACK, answering the other side's last segment that was a keep-alive (a
//     zero window probe); neither is a duplicate. (A closed window's answer
//     to Linux's probes, which are keep-alives, is a zero window alone.)
//   - duplicate ACK: no data, a non-zero window that did not change, at the
//     next expected number, acknowledging what the last ACK did, none of
//     SYN, FIN, RST; numbered from 1 since the last ACK that was not one,
//     whose frame it names.
//   - ACKed unseen segment: the ACK passes the highest number the other
//     side was seen to send, not counting a segment after a gap (its
//     highest number is taken at its next segment without one), and no
//     ACK of this side was so flagged since the other side last sent.
//   - retransmissions, for data (or SYN, FIN) before the next expected
//     number: spurious when the other side has already acknowledged all of
//     it; fast when the other side sent at least two duplicate ACKs for
//     exactly its sequence number, the last less than 20 ms before; out of
//     order when it comes less than the initial round trip (3 ms when not
//     known) after the segment that last advanced the next expected number
//     and does not end where that one did; else a retransmission. A fast
//     or spurious retransmission is a retransmission too.
//   - reused ports: a SYN that starts a new conversation on endpoints seen
//     before (see tcpConvs).
//
// The window of a segment without SYN is scaled by the shift its sender
// gave in its SYN when no SYN seen came without the option, the other
// side's SYN unseen or not (scale factor -2 when one came without the
// option, else -1 when the sender's own SYN was not seen).
//
// An ACK names the frame of the segment it acknowledges exactly (whose
// next sequence number it is) and the time since; segments it covers are
// forgotten. The segments awaiting acknowledgment are kept in a small ring
// per direction (tcpUnackedMax): when it is full a new segment is not kept,
// and an ACK of it names no frame. Bytes in flight, for a segment with
// data (not one after a gap: neither they nor the bytes since the last
// PSH are given for it), are from the lowest sequence number still awaiting acknowledgment
// (the other side's last acknowledgment, when it falls inside a segment)
// to the highest next one (a SYN counts none; an earlier FIN counts one,
// but no FIN does when the segment has one itself, its own or one sent
// before and now sent again), less the bytes of each SACK block of the other side's last
// acknowledgment, wherever it lies (a D-SACK block below the
// acknowledgment included); bytes since the last PSH count every
// segment's data and restart after one with PSH.
//
// The group tcp.analysis is there when the segment acknowledges one, has
// data, or has a flag; the initial round trip (the SYN to the first ACK of
// the SYN-ACK, by the side that sent the SYN) is then given in it too.
//
// The payload of a segment flagged as a retransmission (fast ones aside) or
// out of order is not handed to a protocol: tshark gives its tcp.payload
// but no layer above (it leaves retransmitted data undissected whatever
// tcp.no_subdissector_on_error and tcp.desegment_tcp_streams say, and
// out-of-order data when the former is on, its default). Reassembling
// (Tree.Reassemble, tshark's defaults), it gives a retransmission's bytes,
// unless spurious, as tcp.segment_data. A conversation read as HTTP goes
// to its reassembly (tcpreasm.go) first, which has its own rule for data
// sent again.
//
// A frame dissected again (the same number in the same conversation, as
// under -Y where the printer's tree sees the packet the filter's tree saw)
// gets the outcome kept from the first time and changes nothing.

// The analysis flags, as bits of tcpAnalysis.flags.
const (
	taRetransmission = 1 << iota
	taFastRetransmission
	taSpuriousRetransmission
	taOutOfOrder
	taLostSegment
	taAckLostSegment
	taDuplicateAck
	taZeroWindow
	taZeroWindowProbe
	taZeroWindowProbeAck
	taWindowFull
	taWindowUpdate
	taKeepAlive
	taKeepAliveAck
	taReusedPorts
	taCount = iota
)

var (
	fTCPWindowSize   = field("tcp.window_size", "Calculated window size", TypeUint32)
	fTCPWindowScale  = field("tcp.window_size_scalefactor", "Window size scaling factor", TypeInt32)
	fTCPTimeRelative = field("tcp.time_relative", "Time since first frame in this TCP stream", TypeRelTime)
	fTCPTimeDelta    = field("tcp.time_delta", "Time since previous frame in this TCP stream", TypeRelTime)
	fTCPAnalysis     = field("tcp.analysis", "SEQ/ACK analysis", TypeNone)
	fTCPAcksFrame    = field("tcp.analysis.acks_frame", "This is an ACK to the segment in frame", TypeFrameNum)
	fTCPAckRTT       = field("tcp.analysis.ack_rtt", "The RTT to ACK the segment was", TypeRelTime)
	fTCPInitialRTT   = field("tcp.analysis.initial_rtt", "iRTT", TypeRelTime)
	fTCPBytesFlight  = field("tcp.analysis.bytes_in_flight", "Bytes in flight", TypeUint32)
	fTCPPushBytes    = field("tcp.analysis.push_bytes_sent", "Bytes sent since last PSH flag", TypeUint32)
	fTCPAnaFlags     = field("tcp.analysis.flags", "TCP Analysis Flags", TypeNone)
	fTCPDupAckNum    = field("tcp.analysis.duplicate_ack_num", "Duplicate ACK #", TypeUint32)
	fTCPDupAckFrame  = field("tcp.analysis.duplicate_ack_frame", "Duplicate to the ACK in frame", TypeFrameNum)
)

// tcpFlagInfo is one analysis flag: its field, and the severity and
// message of the expert item tshark adds with it (from tshark -V; every
// one is in the Sequence group).
type tcpFlagInfo struct {
	field    FieldID
	severity string
	message  string
}

// tcpFlags are the analysis flags in the order tshark lists them.
var tcpFlags = [taCount]tcpFlagInfo{
	{field("tcp.analysis.retransmission", "This frame is a (suspected) retransmission", TypeNone), "Note", "This frame is a (suspected) retransmission"},
	{field("tcp.analysis.fast_retransmission", "This frame is a (suspected) fast retransmission", TypeNone), "Note", "This frame is a (suspected) fast retransmission"},
	{field("tcp.analysis.spurious_retransmission", "This frame is a (suspected) spurious retransmission", TypeNone), "Note", "This frame is a (suspected) spurious retransmission"},
	{field("tcp.analysis.out_of_order", "This frame is a (suspected) out-of-order segment", TypeNone), "Warning", "This frame is a (suspected) out-of-order segment"},
	{field("tcp.analysis.lost_segment", "Previous segment(s) not captured (common at capture start)", TypeNone), "Warning", "Previous segment(s) not captured (common at capture start)"},
	{field("tcp.analysis.ack_lost_segment", "ACKed segment that wasn't captured (common at capture start)", TypeNone), "Warning", "ACKed segment that wasn't captured (common at capture start)"},
	{field("tcp.analysis.duplicate_ack", "Duplicate ACK", TypeNone), "Note", "Duplicate ACK (#N)"},
	{field("tcp.analysis.zero_window", "TCP Zero Window segment", TypeNone), "Warning", "TCP Zero Window segment"},
	{field("tcp.analysis.zero_window_probe", "TCP Zero Window Probe", TypeNone), "Note", "TCP Zero Window Probe"},
	{field("tcp.analysis.zero_window_probe_ack", "ACK to a TCP Zero Window Probe", TypeNone), "Note", "ACK to a TCP Zero Window Probe"},
	{field("tcp.analysis.window_full", "TCP window specified by the receiver is now completely full", TypeNone), "Warning", "TCP window specified by the receiver is now completely full"},
	{field("tcp.analysis.window_update", "TCP window update", TypeNone), "Chat", "TCP window update"},
	{field("tcp.analysis.keep_alive", "TCP keep-alive segment", TypeNone), "Note", "TCP keep-alive segment"},
	{field("tcp.analysis.keep_alive_ack", "ACK to a TCP keep-alive segment", TypeNone), "Note", "ACK to a TCP keep-alive segment"},
	{field("tcp.analysis.reused_ports", "A new tcp session is started with the same ports as an earlier session in this trace", TypeNone), "Note", "A new tcp session is started with the same ports as an earlier session in this trace"},
}

// tcpFlagsTreeOrder is the order of the flags in tshark's tree (and of
// its expert items): a fast or spurious retransmission before the
// retransmission it also is.
var tcpFlagsTreeOrder = [taCount]int{1, 2, 0, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}

// tcpUnackedMax is how many segments awaiting acknowledgment a direction
// keeps (for acks_frame, ack_rtt and bytes in flight).
const tcpUnackedMax = 32

// tcpOOOThreshold is how soon after the segment that last advanced the
// next expected number an earlier one counts as out of order when the
// initial round trip is not known; tcpFastRetransWindow how soon after the
// last duplicate ACK a retransmission counts as fast.
const (
	tcpOOOThreshold      = 3_000_000  // ns
	tcpFastRetransWindow = 20_000_000 // ns
)

// tcpUnacked is a segment awaiting acknowledgment: 24 bytes.
type tcpUnacked struct {
	frame    uint32
	seq, end uint32 // its data is [seq, end)
	ctl      uint8  // the numbers its SYN and FIN take after end
	fin      bool
	ts       int64
}

// next is the sequence number after the segment, SYN and FIN counted.
func (u *tcpUnacked) next() uint32 { return u.end + uint32(u.ctl) }

// tcpFlow is one direction's analysis state; it is fixed in size.
type tcpFlow struct {
	hasNext, hasMax, hasAck, hasWin bool
	scale                           int8 // -1 unknown, -2 no option in its SYN, else the shift
	nextSeq, maxSeq                 uint32
	nextSeqTime                     int64
	lastAck                         uint32
	lastAckTime                     int64
	window                          uint32 // scaled
	lastNonDupAck, dupAcks          uint32
	lastFlags                       uint32
	pushBytes                       uint32
	ackLostSaid                     bool // an ACK it sent was flagged ack_lost_segment since the other side last sent
	// unacked are the segments awaiting acknowledgment, at most
	// tcpUnackedMax, in an array that grows (4, 8, 16, 32) as the flow
	// needs it: most conversations never have many segments in flight,
	// and a table of 65,536 conversations with a fixed array each would
	// hold 128 MiB of empty slots.
	unacked []tcpUnacked
	// unordered is false while each segment in unacked starts at or
	// after the one before it and ends at or after that one's next number,
	// all within a quarter of the sequence space: the common case, where
	// inFlight reads only the first and the last.
	unordered bool
	// sack are the SACK blocks [left, right) of the last acknowledgment
	// this side sent: the other side's bytes received beyond lastAck.
	sack  [4][2]uint32
	nSack uint8
}

// tcpAnalysis is what the analysis gives one segment.
type tcpAnalysis struct {
	flags                  uint32
	dupAckNum, dupAckFrame uint32
	acksFrame              uint32
	ackRTT, irtt           int64
	hasIRTT                bool
	bif, push              uint32
	hasBif                 bool
	window                 uint32
	scale                  int32 // -1 unknown, -2 none, else the factor; 0: a SYN (no field)
	timeRel, timeDelta     int64
	finPassive             bool // a FIN after the other side's
}

// tcpAnalysisState is what a conversation keeps for the analysis.
type tcpAnalysisState struct {
	flow             [2]tcpFlow
	firstTime, lastT int64
	hasTime          bool
	synTime          int64
	synDir           int8 // the side that sent the SYN, -1 none seen
	synAckSeen       bool
	irtt             int64
	hasIRTT          bool
	lastFrame        uint32
	last             tcpAnalysis
	finSent          [2]bool // each side's FIN seen
}

// tcpSeg is a segment as the analysis reads it.
type tcpSeg struct {
	frame      uint32
	ts         int64
	flags      uint64
	seq, ack   uint32
	seglen     uint32
	win        uint16
	wscale     int // the SYN's window scale option, -1 none
	sack       [4][2]uint32
	nSack      uint8 // SACK blocks in its options
	reused     bool
	fromHigher bool
}

func seqLT(a, b uint32) bool { return int32(a-b) < 0 }
func seqGT(a, b uint32) bool { return int32(a-b) > 0 }
func seqLE(a, b uint32) bool { return int32(a-b) <= 0 }
func seqGE(a, b uint32) bool { return int32(a-b) >= 0 }

// analyze runs the analysis of segment s in conversation state a. The
// result is a's own, kept for the frame being dissected again, and valid
// until a analyzes another segment: it is written in place and read field
// by field, never copied whole (a copy loaded right after its fields were
// stored stalls the processor).
func (a *tcpAnalysisState) analyze(s *tcpSeg) *tcpAnalysis {
	if s.frame != 0 && a.lastFrame == s.frame {
		return &a.last
	}
	a.lastFrame = 0 // until r is whole
	me := 0
	if s.fromHigher {
		me = 1
	}
	f1, f2 := &a.flow[me], &a.flow[1-me]
	r := &a.last
	*r = tcpAnalysis{}
	if !a.hasTime {
		a.firstTime, a.lastT, a.hasTime = s.ts, s.ts, true
		a.synDir = -1
		f1.scale, f2.scale = -1, -1
	}
	r.timeRel, r.timeDelta = s.ts-a.firstTime, s.ts-a.lastT
	a.lastT = s.ts
	syn, fin, rst, ackf := s.flags&tcpSYN != 0, s.flags&tcpFIN != 0, s.flags&tcpRST != 0, s.flags&tcpACK != 0

	// The window and its scale.
	r.window = uint32(s.win)
	if syn {
		if s.wscale >= 0 {
			f1.scale = int8(min(s.wscale, 14))
		} else {
			f1.scale = -2
		}
		if !ackf {
			a.synDir, a.synTime, a.synAckSeen = int8(me), s.ts, false
		} else if a.synDir == int8(1-me) {
			a.synAckSeen = true
		}
	} else {
		switch {
		case f1.scale == -2 || f2.scale == -2:
			// A SYN without the option: no scaling, whether or not the
			// other side's SYN was seen (tfo-5c1fa7f9ae91.pcap frame 14).
			r.scale = -2
		case f1.scale == -1:
			r.scale = -1
		default:
			// The sender's own shift, the other side's SYN seen or not
			// (ldp-common-session.pcap, whose SYN-ACK was not captured).
			r.scale = 1 << f1.scale
			r.window <<= f1.scale
		}
		if ackf && !a.hasIRTT && a.synDir >= 0 {
			a.irtt, a.hasIRTT = s.ts-a.synTime, true
		}
	}
	window := r.window
	seq, ack, seglen := s.seq, s.ack, s.seglen
	nxt := seq + seglen
	if syn {
		nxt++
	}
	if fin {
		nxt++
	}
	noSFR := !syn && !fin && !rst
	if fin {
		// The side whose FIN comes first closes the connection; the other
		// side's FIN undergoes the closing.
		r.finPassive = a.finSent[1-me]
		a.finSent[me] = true
	}
	if s.reused {
		r.flags |= taReusedPorts
	}
	dup := false

	switch {
	case seglen == 1 && f1.hasNext && seq == f1.nextSeq && f2.hasWin && f2.window == 0:
		r.flags |= taZeroWindowProbe
		goto finishedFwd
	}
	if window == 0 && noSFR {
		r.flags |= taZeroWindow
	}
	if f1.hasNext && seqGT(seq, f1.nextSeq) && !rst {
		r.flags |= taLostSegment
	}
	if seglen <= 1 && noSFR && f1.hasNext && f1.nextSeq-1 == seq {
		r.flags |= taKeepAlive
		goto finishedFwd
	}
	if seglen == 0 && window != 0 && f1.hasWin && window != f1.window && f1.hasNext && seq == f1.nextSeq && f1.hasAck && ack == f1.lastAck && noSFR {
		r.flags |= taWindowUpdate
	}
	if seglen > 0 && f2.hasWin && f2.hasAck && seq+seglen == f2.lastAck+f2.window && noSFR {
		r.flags |= taWindowFull
	}
	if seglen == 0 && noSFR && f1.hasWin && window == f1.window && f1.hasNext && seq == f1.nextSeq && f1.hasAck && ack == f1.lastAck {
		switch {
		case window != 0 && f2.lastFlags&taKeepAlive != 0:
			r.flags |= taKeepAliveAck
			goto finishedChecking
		case window == 0 && f2.lastFlags&taZeroWindowProbe != 0:
			r.flags |= taZeroWindowProbeAck
			goto finishedChecking
		case window != 0:
			f1.dupAcks++
			dup = true
			r.flags |= taDuplicateAck
			r.dupAckNum, r.dupAckFrame = f1.dupAcks, f1.lastNonDupAck
		}
	}
	if !dup && (!f1.hasAck || ack != f1.lastAck) {
		f1.lastNonDupAck, f1.dupAcks = s.frame, 0
	}
	if ackf && f2.hasMax && seqGT(ack, f2.maxSeq) && !f1.ackLostSaid {
		r.flags |= taAckLostSegment
		f1.ackLostSaid = true
	}
	if (seglen > 0 || syn || fin) && f1.hasNext && seqLT(seq, f1.nextSeq) {
		switch {
		case seglen > 0 && f2.hasAck && seqLE(seq+seglen, f2.lastAck):
			r.flags |= taSpuriousRetransmission | taRetransmission
		case f2.dupAcks >= 2 && f2.lastAck == seq && s.ts-f2.lastAckTime < tcpFastRetransWindow:
			r.flags |= taFastRetransmission | taRetransmission
		case s.ts >= f1.nextSeqTime && s.ts-f1.nextSeqTime < a.oooThreshold() && f1.nextSeq != nxt:
			// A segment from before the expected one's time (a capture's
			// clock going back, as in files put end to end) is a
			// retransmission to tshark, not out of order.
			r.flags |= taOutOfOrder
		default:
			r.flags |= taRetransmission
		}
	}
finishedFwd:
	if (!f1.hasNext || seqGT(nxt, f1.nextSeq)) && r.flags&taZeroWindowProbe == 0 {
		f1.nextSeq, f1.nextSeqTime, f1.hasNext = nxt, s.ts, true
	}
	if seglen > 0 || syn || fin {
		f1.remember(tcpUnacked{frame: s.frame, seq: seq, end: seq + seglen, ctl: uint8(nxt - seq - seglen), ts: s.ts, fin: fin})
	}
	if (!f1.hasMax || seqGT(f1.nextSeq, f1.maxSeq)) && r.flags&taLostSegment == 0 {
		f1.maxSeq, f1.hasMax = f1.nextSeq, true
	}
	f2.ackLostSaid = false
finishedChecking:
	f1.window, f1.hasWin = window, true
	if ackf {
		f1.sack, f1.nSack = s.sack, s.nSack
		f1.lastAck, f1.lastAckTime, f1.hasAck = ack, s.ts, true
		r.acksFrame, r.ackRTT = f2.acknowledge(ack, s.ts)
	}
	f1.lastFlags = r.flags
	if seglen > 0 {
		// tshark was seen to give neither count when the SACK blocks of the
		// last ACK cover all that is in flight (a retransmission of a
		// segment the receiver has already).
		r.bif = f1.inFlight(seq, seq+seglen, fin, f2)
		r.hasBif = r.flags&taLostSegment == 0 && r.bif > 0
		f1.pushBytes += seglen
		r.push = f1.pushBytes
		if s.flags&tcpPSH != 0 {
			f1.pushBytes = 0
		}
	}
	r.irtt, r.hasIRTT = a.irtt, a.hasIRTT
	a.lastFrame = s.frame
	return r
}

// oooThreshold is how soon a segment before the next expected number
// counts as out of order: the initial round trip, or tcpOOOThreshold.
func (a *tcpAnalysisState) oooThreshold() int64 {
	if a.hasIRTT && a.irtt > 0 {
		return a.irtt
	}
	return tcpOOOThreshold
}

// remember keeps a segment awaiting acknowledgment, unless the ring is full.
func (f *tcpFlow) remember(u tcpUnacked) {
	n := len(f.unacked)
	if n == tcpUnackedMax {
		return
	}
	if n == 0 {
		f.unordered = false
	} else if prev, first := &f.unacked[n-1], &f.unacked[0]; !seqGE(u.seq, prev.seq) || !seqGE(u.end, prev.next()) || u.next()-first.seq >= tcpNear {
		f.unordered = true
	}
	if n == cap(f.unacked) {
		g := make([]tcpUnacked, n, min(max(4, 2*n), tcpUnackedMax))
		copy(g, f.unacked)
		f.unacked = g
	}
	f.unacked = append(f.unacked, u)
}

// tcpNear is a quarter of the sequence space: numbers that far apart or
// less, either way, compare (seqLT) as integers do.
const tcpNear = 1 << 30

// near says whether b is within tcpNear of a, either way.
func near(a, b uint32) bool { return b-a+tcpNear < 2*tcpNear }

// acknowledge forgets the segments ack covers and gives the frame of the
// one it acknowledges exactly, and the time since it, or 0.
func (f *tcpFlow) acknowledge(ack uint32, ts int64) (frame uint32, rtt int64) {
	k := 0
	for i := range f.unacked {
		// By pointer, and moved only when an earlier one went: a copy of
		// each segment stalled on loads wider than its stores.
		u := &f.unacked[i]
		if u.next() == ack && frame == 0 {
			frame, rtt = u.frame, ts-u.ts // the first sent, when data was sent again
		}
		if seqLE(u.next(), ack) {
			continue
		}
		if k != i {
			f.unacked[k] = *u
		}
		k++
	}
	f.unacked = f.unacked[:k]
	if k == 0 {
		f.unordered = false
	}
	return frame, rtt
}

// inFlight is the bytes from the lowest sequence number awaiting
// acknowledgment to the highest next one, the segment [seq, nxt) included
// (an earlier FIN counted unless the segment has a FIN, fin), less the bytes of the SACK blocks of the other side's last
// acknowledgment (peer), as tshark counts them: the blocks of that one
// acknowledgment, not all those ever reported.
func (f *tcpFlow) inFlight(seq, nxt uint32, fin bool, peer *tcpFlow) uint32 {
	lo, hi := seq, nxt
	us := f.unacked
	if len(us) > 0 && !f.unordered && near(us[0].seq, seq) && near(us[0].seq, nxt) {
		// In order, and all within half the sequence space: the lowest
		// start is the first's, the highest end the last's.
		us = []tcpUnacked{us[0], us[len(us)-1]}
	}
	for _, u := range us {
		if seqLT(u.seq, lo) {
			lo = u.seq
		}
		end := u.end
		if u.fin && !fin {
			// An earlier FIN counts, as tshark counts it; a SYN does not,
			// nor any FIN when this segment has one: tshark gave a
			// retransmission of data and FIN, after the FIN alone, the
			// bytes of its data, less the FIN a SACK block covered.
			end = u.next()
		}
		if seqGT(end, hi) {
			hi = end
		}
	}
	if peer.hasAck && seqGT(peer.lastAck, lo) && seqLE(peer.lastAck, seq) {
		lo = peer.lastAck // a segment acknowledged in part counts from the acknowledgment
	}
	n := hi - lo
	for _, b := range peer.sack[:peer.nSack] {
		// Each block counts whole, wherever it lies: a D-SACK block below
		// the acknowledgment (RFC 2883) is taken off too, as tshark does.
		if l, r := b[0], b[1]; seqLT(l, r) && r-l <= n {
			n -= r - l
		}
	}
	return n
}

// tcpSACKOption reads the SACK blocks (RFC 2018) among the options in
// [off, end) into s.
func tcpSACKOption(d []byte, off, end int, s *tcpSeg) {
	if end > len(d) {
		end = len(d)
	}
	for i := off; i < end; {
		switch d[i] {
		case 0:
			return
		case 1:
			i++
			continue
		}
		if i+1 >= end || d[i+1] < 2 {
			return
		}
		if n := int(d[i+1]); d[i] == 5 && i+n <= end {
			for b := i + 2; b+8 <= i+n && s.nSack < uint8(len(s.sack)); b += 8 {
				s.sack[s.nSack] = [2]uint32{binary.BigEndian.Uint32(d[b:]), binary.BigEndian.Uint32(d[b+4:])}
				s.nSack++
			}
		}
		i += int(d[i+1])
	}
}

// suppresses reports whether tshark, at its default preferences, leaves the
// payload of a segment so flagged undissected.
func (r *tcpAnalysis) suppresses() bool {
	return r.flags&taOutOfOrder != 0 || r.flags&(taRetransmission|taFastRetransmission) == taRetransmission
}

// tcpAddAnalysis adds the analysis of TCP layer l: the timestamps, and the
// group when it has something.
func tcpAddAnalysis(t *Tree, l, off int, r *tcpAnalysis) {
	gen := func(i int) { t.Nodes[i].Flags |= Generated }
	gen(t.Add(l, fTCPTimeRelative, off, 0, uint64(r.timeRel)))
	gen(t.Add(l, fTCPTimeDelta, off, 0, uint64(r.timeDelta)))
	if r.acksFrame == 0 && !r.hasBif && r.flags == 0 {
		return
	}
	g := t.Add(l, fTCPAnalysis, off, 0, 0)
	gen(g)
	if r.acksFrame != 0 {
		gen(t.Add(g, fTCPAcksFrame, off, 0, uint64(r.acksFrame)))
		if r.ackRTT != 0 { // tshark leaves out a round trip of 0
			gen(t.Add(g, fTCPAckRTT, off, 0, uint64(r.ackRTT)))
		}
	}
	if r.hasIRTT {
		gen(t.Add(g, fTCPInitialRTT, off, 0, uint64(r.irtt)))
	}
	if r.hasBif {
		gen(t.Add(g, fTCPBytesFlight, off, 0, uint64(r.bif)))
		gen(t.Add(g, fTCPPushBytes, off, 0, uint64(r.push)))
	}
	if r.flags != 0 {
		fl := t.Add(g, fTCPAnaFlags, off, 0, 0)
		gen(fl)
		for _, i := range tcpFlagsTreeOrder {
			if r.flags&(1<<i) != 0 {
				gen(t.Add(fl, tcpFlags[i].field, off, 0, 0))
			}
		}
		if r.flags&taDuplicateAck != 0 {
			gen(t.Add(g, fTCPDupAckNum, off, 0, uint64(r.dupAckNum)))
			d := t.Add(g, fTCPDupAckFrame, off, 0, uint64(r.dupAckFrame))
			gen(d)
			// tshark's expert item repeats the flag under the frame.
			gen(t.Add(d, tcpFlags[6].field, off, 0, 0))
		}
	}
}

// tcpWindowScaleOption is the shift of the window scale option in the
// options [off, end), or -1.
func tcpWindowScaleOption(d []byte, off, end int) int {
	end = min(end, len(d))
	for i := off; i < end; {
		switch d[i] {
		case 0:
			return -1
		case 1:
			i++
			continue
		}
		if i+1 >= end || d[i+1] < 2 {
			return -1
		}
		if d[i] == 3 && d[i+1] == 3 && i+2 < end {
			return int(d[i+2])
		}
		i += int(d[i+1])
	}
	return -1
}

// tcpAnalyze runs the analysis of the segment at off (header hl bytes of
// seglen) in the conversation rel names.
func tcpAnalyze(t *Tree, rel *tcpRel, off, hl, seglen int, flags uint64, seq, ack uint32) *tcpAnalysis {
	// Field by field: a literal is built apart and copied whole, with
	// loads wider than its stores, which stalls.
	var s tcpSeg
	s.frame, s.ts, s.flags = uint32(t.Number), epochNanos(t.CI.Timestamp), flags
	s.seq, s.ack, s.seglen, s.win = seq, ack, uint32(seglen-hl), uint16(t.U16(off+14))
	s.wscale, s.reused, s.fromHigher = -1, rel.reused, rel.fromHigher
	if flags&tcpSYN != 0 && hl > 20 {
		s.wscale = tcpWindowScaleOption(t.Data, off+20, off+hl)
	}
	if flags&tcpACK != 0 && hl > 20 {
		tcpSACKOption(t.Data, off+20, off+hl, &s)
	}
	return rel.conv.an.analyze(&s)
}

// tcpAddWindow adds the scaled window after the window field of layer l.
func tcpAddWindow(t *Tree, l, off int, r *tcpAnalysis) {
	t.Nodes[t.Add(l, fTCPWindowSize, off+14, 2, uint64(r.window))].Flags |= Generated
	if r.scale != 0 {
		t.Nodes[t.Add(l, fTCPWindowScale, off+14, 2, uint64(int64(r.scale)))].Flags |= Generated
	}
}
