package decode

import (
	"strconv"

	"github.com/sockscope/sockscope/decode/wire"
)

// TCP (RFC 9293): the header, its options (RFC 9293 section 3.2, RFC 7323
// window scale and timestamps, RFC 2018 SACK, RFC 7413 fast open, RFC 5925
// TCP-AO, RFC 2385 MD5, RFC 5482 user timeout, RFC 6994 experimental
// options, MPTCP in mptcp.go), the checksum over the IPv4 or IPv6
// pseudo-header, and the payload's dispatch by port through TCPPorts.
//
// The text is tcpdump's: "src.sport > dst.dport: Flags [S.], seq 1:10, ack 1,
// win 502, options [...], length 9", with sequence numbers relative to the
// first ones seen on the connection (kept by the Printer, see tcpSeqState).
// A payload's text function prints its own separator after "length N"
// (": HTTP..." or " 1234+ A? ..."); the TCP text prints nothing for a
// payload no dissector claimed.

var (
	protoTCP = proto("tcp", "Transmission Control Protocol")
	// protoTCPShort is an empty layer after a TCP header the capture cut
	// where tcpdump gives up at once (at an option's kind or length, or
	// before a payload): it then dumps the whole frame with a single -x,
	// -X or -A, not only from the IP header on.
	protoTCPShort     = proto("tcp.short", "TCP header cut short")
	fTCPSrcPort       = field("tcp.srcport", "Source Port", TypeUint16)
	fTCPDstPort       = field("tcp.dstport", "Destination Port", TypeUint16)
	fTCPPort          = field("tcp.port", "Source or Destination Port", TypeUint16)
	fTCPStream        = field("tcp.stream", "Stream index", TypeUint32)
	fTCPSeq           = field("tcp.seq", "Sequence Number", TypeUint32)
	fTCPSeqRaw        = field("tcp.seq_raw", "Sequence Number (raw)", TypeUint32)
	fTCPNxtSeq        = field("tcp.nxtseq", "Next Sequence Number", TypeUint32)
	fTCPAck           = field("tcp.ack", "Acknowledgment Number", TypeUint32)
	fTCPAckRaw        = field("tcp.ack_raw", "Acknowledgment number (raw)", TypeUint32)
	fTCPHdrLen        = field("tcp.hdr_len", "Header Length", TypeUint8)
	fTCPFlags         = register(Field{Name: "tcp.flags", Title: "Flags", Type: TypeUint16, Mask: 0xfff, Hex: true})
	fTCPFlagRes       = register(Field{Name: "tcp.flags.res", Title: "Reserved", Type: TypeBoolean, Mask: 0xe00})
	fTCPFlagAE        = flagField("tcp.flags.ae", "Accurate ECN", 0x100)
	fTCPFlagCWR       = flagField("tcp.flags.cwr", "Congestion Window Reduced", 0x80)
	fTCPFlagECE       = flagField("tcp.flags.ece", "ECN-Echo", 0x40)
	fTCPFlagURG       = flagField("tcp.flags.urg", "Urgent", 0x20)
	fTCPFlagACK       = flagField("tcp.flags.ack", "Acknowledgment", 0x10)
	fTCPFlagPSH       = flagField("tcp.flags.push", "Push", 0x8)
	fTCPFlagRST       = flagField("tcp.flags.reset", "Reset", 0x4)
	fTCPFlagSYN       = flagField("tcp.flags.syn", "Syn", 0x2)
	fTCPFlagFIN       = flagField("tcp.flags.fin", "Fin", 0x1)
	fTCPWindow        = field("tcp.window_size_value", "Window", TypeUint16)
	fTCPChecksum      = register(Field{Name: "tcp.checksum", Title: "Checksum", Type: TypeUint16, Hex: true})
	fTCPChecksumSt    = enumField("tcp.checksum.status", "Checksum Status", TypeUint8, udpChecksumStatusNames)
	fTCPChecksumCal   = register(Field{Name: "tcp.checksum_calculated", Title: "Calculated Checksum", Type: TypeUint16, Hex: true})
	fTCPChecksumBad   = field("tcp.checksum_bad.expert", "Bad checksum", TypeNone)
	fTCPUrgent        = field("tcp.urgent_pointer", "Urgent Pointer", TypeUint16)
	fTCPLen           = field("tcp.len", "TCP Segment Len", TypeUint32)
	fTCPBogusHdrLen   = field("tcp.bogus_header_length", "Bogus TCP Header Length", TypeNone)
	fTCPOptions       = field("tcp.options", "Options", TypeBytes)
	fTCPNonZeroPad    = field("tcp.non_zero_bytes_after_eol", "Non zero bytes in option space after EOL option", TypeNone)
	fTCPOptKind       = enumField("tcp.option_kind", "Kind", TypeUint8, tcpOptionNames)
	fTCPOptLen        = field("tcp.option_len", "Length", TypeUint8)
	fTCPOptLenInvalid = field("tcp.option.len.invalid", "Invalid length for option", TypeNone)
	fTCPOptMSS        = field("tcp.options.mss_val", "MSS Value", TypeUint16)
	fTCPOptWScale     = field("tcp.options.wscale.shift", "Shift count", TypeUint8)
	fTCPOptSackLE     = field("tcp.options.sack_le", "left edge", TypeUint32)
	fTCPOptSackRE     = field("tcp.options.sack_re", "right edge", TypeUint32)
	fTCPOptSackCount  = field("tcp.options.sack.count", "TCP SACK Count", TypeUint8)
	fTCPOptTSVal      = field("tcp.options.timestamp.tsval", "Timestamp value", TypeUint32)
	fTCPOptTSEcr      = field("tcp.options.timestamp.tsecr", "Timestamp echo reply", TypeUint32)
	fTCPOptCC         = field("tcp.options.cc_value", "TCP CC Option", TypeUint32)
	fTCPOptMD5        = field("tcp.options.md5.digest", "MD5 digest", TypeBytes)
	fTCPOptAOKeyID    = field("tcp.options.ao.keyid", "KeyID", TypeUint8)
	fTCPOptAORNext    = field("tcp.options.ao.rnextkeyid", "RNextKeyID", TypeUint8)
	fTCPOptAOMAC      = field("tcp.options.ao.mac", "MAC", TypeBytes)
	fTCPOptUTOGran    = register(Field{Name: "tcp.options.user_to_granularity", Title: "Granularity", Type: TypeBoolean, Mask: 0x8000})
	fTCPOptUTOVal     = register(Field{Name: "tcp.options.user_to_val", Title: "User Timeout", Type: TypeUint16, Mask: 0x7fff})
	fTCPOptTFOReq     = field("tcp.options.tfo.request", "Fast Open Cookie Request", TypeNone)
	fTCPOptTFOCookie  = field("tcp.options.tfo.cookie", "Fast Open Cookie", TypeBytes)
	fTCPOptExpExID    = register(Field{Name: "tcp.options.experimental.exid", Title: "Experiment Identifier", Type: TypeUint16, Hex: true})
	fTCPOptExpData    = field("tcp.options.experimental.data", "Data", TypeBytes)
	fTCPOptSCPSVector = register(Field{Name: "tcp.options.scps.vector", Title: "Capabilities", Type: TypeUint8, Hex: true})
	fTCPOptSCPSID     = field("tcp.options.scps.binding.id", "Binding Space (Community) ID", TypeUint8)
	fTCPOptUnknown    = field("tcp.options.unknown.payload", "Payload", TypeBytes)
	fTCPPayload       = field("tcp.payload", "TCP payload", TypeBytes)
	fTCPResetCause    = field("tcp.reset_cause", "Reset cause", TypeString)
	// The expert items of the header (expert.go gives their severity and
	// message): a stray acknowledgment or urgent pointer, the flags that
	// open and close a connection, and a D-SACK block (RFC 2883).
	fTCPAckNonzero    = field("tcp.ack.nonzero", "The acknowledgment number field is nonzero while the ACK flag is not set", TypeNone)
	fTCPUrgentNonzero = field("tcp.urgent_pointer.non_zero", "The urgent pointer field is nonzero while the URG flag is not set", TypeNone)
	fTCPConnRST       = field("tcp.connection.rst", "Connection reset (RST)", TypeNone)
	fTCPConnSYN       = field("tcp.connection.syn", "Connection establish request (SYN)", TypeNone)
	fTCPConnSYNACK    = field("tcp.connection.synack", "Connection establish acknowledge (SYN+ACK)", TypeNone)
	fTCPConnFIN       = field("tcp.connection.fin", "Connection finish (FIN)", TypeNone)
	fTCPFinActive     = field("tcp.connection.fin_active", "This frame initiates the connection closing", TypeNone)
	fTCPFinPassive    = field("tcp.connection.fin_passive", "This frame undergoes the connection closing", TypeNone)
	fTCPOptDSACKLE    = field("tcp.options.sack.dsack_le", "TCP D-SACK Left Edge", TypeUint32)
	fTCPOptDSACKRE    = field("tcp.options.sack.dsack_re", "TCP D-SACK Right Edge", TypeUint32)
	fTCPOptDSACK      = field("tcp.options.sack.dsack", "D-SACK Sequence", TypeNone)
	fTCPTFOSyn        = field("tcp.analysis.tfo_syn", "TCP SYN with TFO Cookie", TypeNone)
	fTCPOptMSSAbsent  = field("tcp.options.mss.absent", "The SYN packet does not contain a MSS option", TypeNone)
)

// tcpOptionNames are IANA's TCP option kinds.
var tcpOptionNames = map[uint64]string{
	0: "End of Option List", 1: "No-Operation", 2: "Maximum segment size", 3: "Window scale",
	4: "SACK permitted", 5: "SACK", 8: "Time Stamp Option", 11: "CC", 12: "CC.NEW", 13: "CC.ECHO",
	19: "TCP MD5 signature", 20: "SCPS capabilities", 28: "User Timeout", 29: "TCP Authentication Option",
	30: "Multipath TCP", 34: "TCP Fast Open Cookie", 253: "RFC3692-style Experiment 1",
	254: "RFC3692-style Experiment 2",
}

// The TCP flag bits.
const (
	tcpFIN = 0x01
	tcpSYN = 0x02
	tcpRST = 0x04
	tcpPSH = 0x08
	tcpACK = 0x10
	tcpURG = 0x20
)

func init() {
	IPProtocols.Register(6, dissectTCP)
	registerText(protoTCP, textTCP)
	setPrintsAddresses(protoTCP)
	deriveBits(fTCPFlags, fTCPFlagRes, fTCPFlagAE, fTCPFlagCWR, fTCPFlagECE, fTCPFlagURG, fTCPFlagACK, fTCPFlagPSH, fTCPFlagRST, fTCPFlagSYN, fTCPFlagFIN)
	dumpFromStart[protoTCPShort] = true
}

// tcpIPBelow is the node of the IPv4 or IPv6 layer nearest below node n, or -1.
func tcpIPBelow(t *Tree, n int) int {
	a, b := t.Below(n, protoIP), t.Below(n, protoIPv6)
	if b > a {
		return b
	}
	return a
}

// dissectTCP reads a TCP header at off; the segment ends at end.
func dissectTCP(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoTCP, off, end, 4)
	if !ok {
		return
	}
	sport, dport := t.U16(off), t.U16(off+2)
	t.Add(l, fTCPSrcPort, off, 2, sport)
	t.Add(l, fTCPDstPort, off+2, 2, dport)
	t.Add(l, fTCPPort, off, 2, sport)
	t.Add(l, fTCPPort, off+2, 2, dport)
	if n < 20 {
		t.Mark(l, Truncated)
		return
	}
	seq, ack := t.U32(off+4), t.U32(off+8)
	hl := int(t.U8(off+12)>>4) * 4
	fl := t.U16(off+12) & 0xfff
	seglen := end - off
	var rel tcpRel
	relOK := false
	whole := t.wantsTCP(uint16(sport), uint16(dport))
	if t.numbersTCP(whole) {
		relOK = tcpConversation(t, l, fl, uint32(seq), uint32(ack), &rel)
	}
	if relOK {
		t.Nodes[t.Add(l, fTCPStream, off, 0, uint64(rel.stream))].Flags |= Generated
	}
	an := &tcpNoAnalysis
	analyzed := whole && relOK && hl >= 20 && hl <= seglen
	if analyzed {
		an = tcpAnalyze(t, &rel, off, hl, seglen, fl, uint32(seq), uint32(ack))
	}
	rseq, rack := seq, ack
	if relOK {
		rseq, rack = uint64(rel.seq), uint64(rel.ack)
	}
	t.Add(l, fTCPSeq, off+4, 4, rseq)
	t.Add(l, fTCPSeqRaw, off+4, 4, seq)
	if hl >= 20 && hl <= seglen {
		// The next sequence number: the segment's data, a SYN and a FIN
		// each take one.
		nxt := uint32(rseq) + uint32(seglen-hl)
		if fl&tcpSYN != 0 {
			nxt++
		}
		if fl&tcpFIN != 0 {
			nxt++
		}
		t.Nodes[t.Add(l, fTCPNxtSeq, off, 0, uint64(nxt))].Flags |= Generated
	}
	an0 := t.Add(l, fTCPAck, off+8, 4, rack)
	if fl&tcpACK == 0 && ack != 0 {
		t.Add(an0, fTCPAckNonzero, off+8, 4, 0)
	}
	t.Add(l, fTCPAckRaw, off+8, 4, ack)
	hn := t.Add(l, fTCPHdrLen, off+12, 1, uint64(hl))
	tcpAddConnection(t, t.Add(l, fTCPFlags, off+12, 2, fl), off, fl, analyzed, an)
	t.Add(l, fTCPWindow, off+14, 2, t.U16(off+14))
	if analyzed {
		tcpAddWindow(t, l, off, an)
	}
	ck := t.U16(off + 16)
	c := t.Add(l, fTCPChecksum, off+16, 2, ck)
	if hl >= 20 && hl <= seglen {
		tcpChecksum(t, l, c, off, end, ck)
	}
	if u := t.Add(l, fTCPUrgent, off+18, 2, t.U16(off+18)); fl&tcpURG == 0 && t.Nodes[u].Val != 0 {
		t.Add(u, fTCPUrgentNonzero, off+18, 2, 0)
	}
	if hl < 20 || hl > seglen {
		b := t.Add(hn, fTCPBogusHdrLen, off+12, 1, 0)
		t.Mark(b, Malformed)
		return
	}
	t.Add(l, fTCPLen, off, 0, uint64(seglen-hl))
	if hl > 20 && whole {
		tcpDissectOptions(t, l, off+20, off+hl, rel.sackBase, uint32(ack))
		if fl&tcpSYN != 0 {
			tcpMSSAbsent(t, l, off)
		}
	}
	if analyzed {
		tcpAddAnalysis(t, l, off, an)
	}
	if n < hl {
		t.Mark(l, Truncated)
		if cut, kindCut := tcpOptionsCut(t.Data, off+20, off+hl); kindCut || !cut && seglen > hl {
			t.Mark(t.AddLayer(protoTCPShort, off+20, 0), Truncated)
		}
		return
	}
	pay := off + hl
	if pay >= end {
		return
	}
	if fl&tcpRST != 0 && !t.Stateless {
		// A reset's bytes say why (RFC 9293 section 3.5.3): Wireshark reads
		// them as text, not as a payload for an application (tcpdump's text
		// still hands them to the port's application).
		if a := t.Avail(pay, end); a > 0 {
			t.AddBytes(l, fTCPResetCause, pay, a)
		}
		return
	}
	// Wireshark gives the payload whether or not a protocol is read in it.
	if a := t.Avail(pay, end); a > 0 {
		t.AddBytes(l, fTCPPayload, pay, a)
	}
	if !whole {
		return // what the payload holds is not wanted (Want)
	}
	if relOK && tcpPayloadHTTP(t, l, rel, uint16(sport), uint16(dport), uint32(seq), pay, end) {
		return // HTTP as tshark reads it, across segments (tcpreasm.go)
	}
	if analyzed && an.suppresses() && (t.Reassemble || an.flags&taSpuriousRetransmission == 0) {
		// tshark hands a retransmitted or out-of-order payload to no
		// protocol, reassembling or not (a spurious retransmission's
		// only when reassembling); when reassembling, it shows a
		// retransmission's bytes, unless spurious, as segment data.
		if a := t.Avail(pay, end); a > 0 && t.Reassemble && an.flags&(taOutOfOrder|taSpuriousRetransmission) == 0 {
			t.AddBytes(l, fTCPSegmentData, pay, a)
		}
		return
	}
	if relOK && tcpPayloadPDU(t, l, rel, uint16(sport), uint16(dport), uint32(seq), pay, end) {
		return // messages that say their length, across segments (tcppdu.go)
	}
	if d := tcpPick(uint16(sport), uint16(dport)); d != nil {
		t.Call(d, pay, end)
	} else if t.Avail(pay, end) > 0 {
		DissectData(t, pay, end) // as Wireshark: what no protocol reads is data
	}
}

// tcpNoAnalysis is the analysis of a segment not analyzed: none. It is
// read, never written.
var tcpNoAnalysis tcpAnalysis

// tcpConversation looks the segment of TCP layer node l up in the tree's
// conversations (tcpConvs) and fills in rel; it is false for a segment
// quoted in an ICMP error, or without IP addresses, which belongs to none.
func tcpConversation(t *Tree, l int, flags uint64, seq, ack uint32, rel *tcpRel) bool {
	if t.Stateless {
		return false
	}
	// The IP layer nearest below, in one pass that also finds whether an
	// ICMP error quotes the segment.
	ip := -1
	for i := len(t.Layers) - 1; i >= 0; i-- {
		n := int(t.Layers[i])
		if n >= l {
			continue
		}
		switch t.Nodes[n].Field {
		case protoIP, protoIPv6:
			if ip < 0 {
				ip = n
			}
		case protoICMP, protoICMPv6:
			return false
		}
	}
	if ip < 0 {
		return false
	}
	i, j := t.Addresses(ip)
	if i < 0 || j < 0 {
		return false
	}
	return t.conversations().segment(t.Bytes(i), t.Bytes(j), uint16(t.U16(int(t.Nodes[l].Off))), uint16(t.U16(int(t.Nodes[l].Off)+2)), flags, seq, ack, rel)
}

// tcpRank orders the applications tcpdump recognises over TCP when both
// ports name one: the lower rank wins, whichever side its port is on. The
// order is what the installed tcpdump decodes for every pair of these
// ports; registered ports absent here rank after them, the lower port first.
var tcpRank = map[uint16]int{
	23: 1, 25: 2, 43: 3, 179: 4, 1723: 5, 6379: 6, 22: 7, 10288: 8, 6633: 9, 6653: 9,
	21: 10, 80: 11, 8080: 11, 554: 12, 53: 13, 639: 14, 323: 15, 646: 16, 2049: 17,
}

// tcpPick is the dissector of a payload from port sport to port dport.
func tcpPick(sport, dport uint16) Dissector {
	if p, ok := tcpPickPort(sport, dport); ok {
		return TCPPorts.Lookup(uint32(p))
	}
	return nil
}

// tcpPickPort is the port whose dissector reads a payload from port sport
// to port dport, and false when neither has one.
func tcpPickPort(sport, dport uint16) (uint16, bool) {
	ds, dd := TCPPorts.Lookup(uint32(sport)), TCPPorts.Lookup(uint32(dport))
	switch {
	case ds == nil && dd == nil:
		return 0, false
	case ds == nil:
		return dport, true
	case dd == nil:
		return sport, true
	}
	rank := func(p uint16) int {
		if r, ok := tcpRank[p]; ok {
			return r
		}
		return 1000 + int(p)
	}
	if rank(dport) < rank(sport) {
		return dport, true
	}
	return sport, true
}

// tcpOptionsCut walks the options in [off, end) as tcpdump's text does and
// reports whether it stops at the capture's end (cut), and whether that end
// is at an option's kind or length byte (kindCut) rather than in its data.
// An end of list or a malformed option first stops it uncut.
func tcpOptionsCut(d []byte, off, end int) (cut, kindCut bool) {
	capEnd := min(end, len(d))
	for i := off; i < end; {
		if i >= capEnd {
			return true, true
		}
		kind := d[i]
		if kind == 0 {
			return false, false
		}
		if kind == 1 {
			i++
			continue
		}
		if i+1 >= capEnd {
			return true, true
		}
		ln := int(d[i+1])
		if ln < 2 || ln > end-i {
			return false, false
		}
		size := 0 // a fixed-size option's size; tcpdump goes on after it
		switch kind {
		case 2, 28, 20:
			size = 4
		case 3:
			size = 3
		case 4:
			size = 2
		case 6, 7, 11, 12, 13:
			size = 6
		case 8:
			size = 10
		case 19:
			size = 18
		}
		if size > 0 {
			if size > end-i {
				return false, false // too little header left: a bad option
			}
			if i+size > capEnd {
				return true, false
			}
			i += size
			continue
		}
		if i+ln > capEnd {
			// A reset SACK or TCP-AO without data reads nothing more.
			if !(kind == 5 && (ln-2)%8 != 0) && !(kind == 29 && ln < 4) {
				return true, false
			}
		}
		i += ln
	}
	return false, false
}

// tcpDissectOptions adds the options in [off, end) as far as they are
// captured and well formed. It reports whether it met an MPTCP option and
// whether the capture ended before the options did.
func tcpDissectOptions(t *Tree, l, off, end int, sackBase, ack uint32) (mptcp, cut bool) {
	capEnd := end
	if capEnd > len(t.Data) {
		capEnd = len(t.Data)
	}
	if capEnd <= off {
		t.Mark(l, Truncated)
		return false, true
	}
	o := t.AddBytes(l, fTCPOptions, off, capEnd-off)
	for i := off; i < end; {
		if i >= capEnd {
			t.Mark(o, Truncated)
			return mptcp, true
		}
		kind := t.U8(i)
		if kind == 0 || kind == 1 {
			t.Add(o, fTCPOptKind, i, 1, kind)
			if kind == 0 {
				// What follows the end of the list is padding, zeros.
				for j := i + 1; j < capEnd; j++ {
					if t.U8(j) != 0 {
						t.Add(o, fTCPNonZeroPad, j, capEnd-j, 0)
						break
					}
				}
				return mptcp, false
			}
			i++
			continue
		}
		if i+1 >= capEnd {
			t.Mark(t.Add(o, fTCPOptKind, i, 1, kind), Truncated)
			return mptcp, true
		}
		ln := int(t.U8(i + 1))
		k := t.Add(o, fTCPOptKind, i, ln, kind)
		t.Add(k, fTCPOptLen, i+1, 1, uint64(ln))
		if ln < 2 || ln > end-i {
			t.Add(k, fTCPOptLenInvalid, i+1, 1, 0)
			t.Mark(k, Malformed)
			return mptcp, false
		}
		if kind == 30 {
			mptcp = true
		}
		if i+ln > capEnd {
			t.Mark(k, Truncated)
			return mptcp, true
		}
		d, dl := i+2, ln-2
		switch kind {
		case 2:
			if dl == 2 {
				t.Add(k, fTCPOptMSS, d, 2, t.U16(d))
			}
		case 3:
			if dl == 1 {
				t.Add(k, fTCPOptWScale, d, 1, t.U8(d))
			}
		case 5:
			if dl%8 == 0 {
				t.Add(k, fTCPOptSackCount, i, 0, uint64(dl/8))
				tcpDSACK(t, k, d, dl, sackBase, ack)
				for j := d; j+8 <= d+dl; j += 8 {
					t.Add(k, fTCPOptSackLE, j, 4, uint64(uint32(t.U32(j))-sackBase))
					t.Add(k, fTCPOptSackRE, j+4, 4, uint64(uint32(t.U32(j+4))-sackBase))
				}
			}
		case 8:
			if dl == 8 {
				t.Add(k, fTCPOptTSVal, d, 4, t.U32(d))
				t.Add(k, fTCPOptTSEcr, d+4, 4, t.U32(d+4))
			}
		case 11, 12, 13:
			if dl == 4 {
				t.Add(k, fTCPOptCC, d, 4, t.U32(d))
			}
		case 19:
			if dl == 16 {
				t.AddBytes(k, fTCPOptMD5, d, 16)
			}
		case 20:
			if dl >= 2 {
				t.Add(k, fTCPOptSCPSVector, d, 1, t.U8(d))
				t.Add(k, fTCPOptSCPSID, d+1, 1, t.U8(d+1))
			}
		case 28:
			if dl == 2 {
				v := t.U16(d)
				t.Add(k, fTCPOptUTOGran, d, 2, v>>15)
				t.Add(k, fTCPOptUTOVal, d, 2, v&0x7fff)
			}
		case 29:
			if dl >= 2 {
				t.Add(k, fTCPOptAOKeyID, d, 1, t.U8(d))
				t.Add(k, fTCPOptAORNext, d+1, 1, t.U8(d+1))
				if dl > 2 {
					t.AddBytes(k, fTCPOptAOMAC, d+2, dl-2)
				}
			}
		case 30:
			mptcpDissect(t, k, i, ln)
		case 34:
			tcpTFO(t, l, k, i, d, dl)
		case 253, 254:
			if dl >= 2 {
				t.Add(k, fTCPOptExpExID, d, 2, t.U16(d))
				if t.U16(d) == 0xf989 { // RFC 7413's fast open before kind 34
					tcpTFO(t, l, k, i, d+2, dl-2)
				} else if dl > 2 {
					t.AddBytes(k, fTCPOptExpData, d+2, dl-2)
				}
			}
		default:
			if dl > 0 {
				t.AddBytes(k, fTCPOptUnknown, d, dl)
			}
		}
		i += ln
	}
	return mptcp, false
}

// tcpTFO adds the fast open option k at i of TCP layer l, whose cookie is
// the dl bytes at d: none is a request for one. A SYN without ACK that
// carries a cookie gets tshark's note tcp.analysis.tfo_syn.
func tcpTFO(t *Tree, l, k, i, d, dl int) {
	if dl == 0 {
		t.Add(k, fTCPOptTFOReq, i, 2, 0)
		return
	}
	c := t.AddBytes(k, fTCPOptTFOCookie, d, dl)
	if t.U8(int(t.Nodes[l].Off)+13)&(tcpSYN|tcpACK) == tcpSYN {
		t.Nodes[t.Add(c, fTCPTFOSyn, d, 0, 0)].Flags |= Generated
	}
}

// tcpInFragment reports whether the segment above IP layer ip is in a
// fragment of its datagram that was not put back together: its checksum
// cannot be verified.
func tcpInFragment(t *Tree, ip int) bool {
	if ipReassembled(t, ip) {
		return false
	}
	if t.Nodes[ip].Field == protoIPv6 {
		for i := len(t.Layers) - 1; i >= 0; i-- {
			ln := int(t.Layers[i])
			if ln <= ip {
				break
			}
			if t.Nodes[ln].Field == fIPv6FragHdr {
				return true
			}
		}
		return false
	}
	mf, _ := t.Value(ip, fIPFlagMF)
	fo, _ := t.Value(ip, fIPFragOffset)
	return mf != 0 || fo != 0
}

func tcpChecksum(t *Tree, l, c, off, end int, ck uint64) {
	ip := tcpIPBelow(t, l)
	if !t.VerifyChecksums || ip < 0 || end > len(t.Data) || end-off < 20 {
		t.Add(c, fTCPChecksumSt, off+16, 2, udpChecksumUnverified)
		return
	}
	if tcpInFragment(t, ip) {
		t.Add(c, fTCPChecksumSt, off+16, 2, udpChecksumUnverified)
		return
	}
	sum, ok := pseudoHeaderSum(t, ip, l, 6, end-off)
	if !ok {
		t.Add(c, fTCPChecksumSt, off+16, 2, udpChecksumUnverified)
		return
	}
	// The sum with the checksum field left out gives the value it should hold.
	sum = wire.Sum(wire.Sum(sum, t.Data[off:off+16]), t.Data[off+18:end])
	want := uint64(wire.Fold(sum))
	cal := t.Add(c, fTCPChecksumCal, off+16, 2, want)
	t.Nodes[cal].Flags |= Generated
	if want == ck {
		t.Add(c, fTCPChecksumSt, off+16, 2, udpChecksumGood)
		return
	}
	t.Add(c, fTCPChecksumSt, off+16, 2, udpChecksumBad)
	t.Mark(t.Add(c, fTCPChecksumBad, off+16, 2, 0), Malformed)
}

// tcpAddConnection adds under the flags node fn what the flags say of the
// connection: a reset, its opening and its closing (which side closes
// first, when the analysis followed the conversation).
func tcpAddConnection(t *Tree, fn, off int, fl uint64, analyzed bool, an *tcpAnalysis) {
	gen := func(f FieldID) { t.Nodes[t.Add(fn, f, off+13, 1, 0)].Flags |= Generated }
	if fl&tcpRST != 0 {
		gen(fTCPConnRST)
	}
	switch fl & (tcpSYN | tcpACK) {
	case tcpSYN:
		gen(fTCPConnSYN)
	case tcpSYN | tcpACK:
		gen(fTCPConnSYNACK)
	}
	if fl&tcpFIN != 0 {
		gen(fTCPConnFIN)
		switch {
		case !analyzed:
		case an.finPassive:
			gen(fTCPFinPassive)
		default:
			gen(fTCPFinActive)
		}
	}
}

// tcpMSSAbsent adds, to the options of the SYN of TCP layer l, that none
// of them is an MSS. tshark was seen to say so only when the options read
// to their end: not after an option with a bad length, one the capture
// cuts, or an End of Option List followed by a byte other than zero.
func tcpMSSAbsent(t *Tree, l, off int) {
	o := t.Find(l, fTCPOptions)
	if o < 0 || t.Nodes[o].Flags&(Malformed|Truncated) != 0 {
		return
	}
	for k := t.Find(o, fTCPOptKind); k >= 0; k = t.FindNext(o, k, fTCPOptKind) {
		n := t.Nodes[k]
		if n.Val == 2 || n.Flags&(Malformed|Truncated) != 0 {
			return
		}
		if n.Val == 0 {
			end := int(t.Nodes[o].Off) + int(t.Nodes[o].Len)
			for i := int(n.Off) + 1; i < end; i++ {
				if t.Data[i] != 0 {
					return
				}
			}
		}
	}
	t.Nodes[t.Add(o, fTCPOptMSSAbsent, off+20, 0, 0)].Flags |= Generated
}

// tcpDSACK adds the D-SACK block of the SACK option whose blocks are the dl
// bytes at d, when its first block is one (RFC 2883 section 4: below the
// acknowledgment ack, or within the second block).
func tcpDSACK(t *Tree, k, d, dl int, sackBase, ack uint32) {
	le, re := uint32(t.U32(d)), uint32(t.U32(d+4))
	dup := seqLT(le, ack)
	if !dup && dl >= 16 {
		le2, re2 := uint32(t.U32(d+8)), uint32(t.U32(d+12))
		dup = !seqLT(le, le2) && seqLE(re, re2)
	}
	if !dup {
		return
	}
	t.Nodes[t.Add(k, fTCPOptDSACKLE, d, 4, uint64(le-sackBase))].Flags |= Generated
	t.Nodes[t.Add(k, fTCPOptDSACKRE, d+4, 4, uint64(re-sackBase))].Flags |= Generated
	t.Nodes[t.Add(k, fTCPOptDSACK, d, 8, 0)].Flags |= Generated
}

// tcpConnKey names a connection whichever way a segment goes: the address
// length, then the lower (address, port) endpoint and the higher one.
type tcpConnKey [1 + 2*18]byte

// tcpKey is the key of the connection of a segment from (src, sport) to
// (dst, dport), addresses of the same length (4 or 16), and whether the
// segment goes from the higher endpoint to the lower.
func tcpKey(src, dst []byte, sport, dport uint16) (k tcpConnKey, fromHigher bool) {
	k[0] = byte(len(src))
	a, ap, b, bp := src, sport, dst, dport
	if tcpCompare(src, sport, dst, dport) > 0 {
		fromHigher = true
		a, ap, b, bp = dst, dport, src, sport
	}
	copy(k[1:], a)
	k[17], k[18] = byte(ap>>8), byte(ap)
	copy(k[19:], b)
	k[35], k[36] = byte(bp>>8), byte(bp)
	return k, fromHigher
}

// tcpBases are a connection's sequence number bases: of the lower
// endpoint's sequence numbers and of the higher one's.
type tcpBases struct{ lo, hi uint32 }

// tcpSeqState keeps the bases of the connections seen, as tcpdump does to
// print relative sequence numbers: the first segment with ACK set of a
// connection (or any with SYN and ACK set) fixes its sender's base at its
// sequence number and the other side's at its acknowledgment number less
// one, and is printed with absolute numbers; the segments after it print
// their numbers less the bases. Segments without ACK print absolute
// numbers and change nothing. The table is bounded: past tcpSeqMax
// connections the older half is forgotten by generation.
type tcpSeqState struct {
	cur, old map[tcpConnKey]tcpBases
}

const tcpSeqMax = 1 << 16

// relative returns the numbers to print for a segment from (src, sport) to
// (dst, dport) and the base of SACK blocks.
func (s *tcpSeqState) relative(src, dst []byte, sport, dport uint16, flags uint64, seq, ack uint32) (rseq, rack, sackBase uint32) {
	if flags&tcpACK == 0 || len(src) != len(dst) || len(src) > 16 {
		return seq, ack, 0
	}
	k, fromHigher := tcpKey(src, dst, sport, dport)
	lo := !fromHigher
	if s.cur == nil {
		s.cur = make(map[tcpConnKey]tcpBases)
	}
	bs, ok := s.cur[k]
	if !ok && s.old != nil {
		if bs, ok = s.old[k]; ok {
			s.store(k, bs)
		}
	}
	if !ok || flags&tcpSYN != 0 {
		if lo {
			bs = tcpBases{lo: seq, hi: ack - 1}
		} else {
			bs = tcpBases{lo: ack - 1, hi: seq}
		}
		s.store(k, bs)
		if lo {
			return seq, ack, bs.hi
		}
		return seq, ack, bs.lo
	}
	if lo {
		return seq - bs.lo, ack - bs.hi, bs.hi
	}
	return seq - bs.hi, ack - bs.lo, bs.lo
}

func (s *tcpSeqState) store(k tcpConnKey, b tcpBases) {
	if _, ok := s.cur[k]; !ok && len(s.cur) >= tcpSeqMax {
		s.old = s.cur
		s.cur = make(map[tcpConnKey]tcpBases)
	}
	s.cur[k] = b
}

// tcpCompare orders two endpoints by address, then port.
func tcpCompare(a []byte, ap uint16, b []byte, bp uint16) int {
	for i := range a {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	switch {
	case ap < bp:
		return -1
	case ap > bp:
		return 1
	}
	return 0
}

// tcpAddrs returns the addresses of the IP layer below the transport layer
// l, whether they are IPv6 and whether that layer is right below l (else
// extension headers come between, and the IPv6 text has printed them).
func tcpAddrs(p *Printer, l int) (src, dst []byte, v6, direct bool) {
	t := &p.t
	n := p.Node(l)
	ip := tcpIPBelow(t, n)
	if ip < 0 {
		return nil, nil, false, false
	}
	v6 = t.Nodes[ip].Field == protoIPv6
	direct = l > 0 && p.Node(l-1) == ip
	var i, j int
	if v6 {
		i, j = t.Find(ip, fIPv6Src), t.Find(ip, fIPv6Dst)
	} else {
		i, j = t.Find(ip, fIPSrc), t.Find(ip, fIPDst)
	}
	if i < 0 || j < 0 {
		return nil, nil, v6, direct
	}
	return t.Bytes(i), t.Bytes(j), v6, direct
}

// appendEndpoint appends "addr.port", "addr" (port < 0) or "port" (addr nil).
func appendEndpoint(b, addr []byte, v6 bool, port int) []byte {
	if addr != nil {
		if v6 {
			b = appendIPv6(b, addr)
		} else {
			b = appendIPv4(b, addr)
		}
		if port >= 0 {
			b = append(b, '.')
		}
	}
	if port >= 0 {
		b = strconv.AppendUint(b, uint64(port), 10)
	}
	return b
}

// appendTransportAddrs appends "src.sport > dst.dport: " for layer l, the
// ports only after IPv6 extension headers, the addresses only when the
// ports are -1.
func appendTransportAddrs(p *Printer, l int, sport, dport int) {
	src, dst, v6, direct := tcpAddrs(p, l)
	if !direct && sport >= 0 {
		src, dst = nil, nil
	}
	p.b = appendEndpoint(p.b, src, v6, sport)
	p.b = append(p.b, " > "...)
	p.b = appendEndpoint(p.b, dst, v6, dport)
	p.b = append(p.b, ": "...)
}

// textTCP prints a TCP segment as tcpdump does.
func textTCP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	sport, ok1 := t.Value(n, fTCPSrcPort)
	dport, ok2 := t.Value(n, fTCPDstPort)
	if !ok1 || !ok2 {
		appendTransportAddrs(p, l, -1, -1)
		p.b = append(p.b, "[|tcp]"...)
		return
	}
	appendTransportAddrs(p, l, int(sport), int(dport))
	hi := t.Find(n, fTCPHdrLen)
	if hi < 0 {
		p.b = append(p.b, " [|tcp]"...)
		return
	}
	off := int(t.Nodes[n].Off)
	seglen := int(t.Nodes[n].Len)
	hl := int(t.Nodes[hi].Val)
	if hl < 20 {
		p.b = append(p.b, " tcp "...)
		p.b = strconv.AppendInt(p.b, int64(seglen-hl), 10)
		p.b = append(p.b, " [bad hdr length "...)
		p.b = strconv.AppendInt(p.b, int64(hl), 10)
		p.b = append(p.b, " - too short, < 20]"...)
		return
	}
	tooLong := func() {
		p.b = append(p.b, " [bad hdr length "...)
		p.b = strconv.AppendInt(p.b, int64(hl), 10)
		p.b = append(p.b, " - too long, > "...)
		p.b = strconv.AppendInt(p.b, int64(seglen), 10)
		p.b = append(p.b, ']')
	}
	plen := uint32(seglen - hl)
	if p.opt.Quiet {
		p.b = append(p.b, "tcp "...)
		p.b = strconv.AppendUint(p.b, uint64(plen), 10)
		if hl > seglen {
			tooLong()
		}
		return
	}
	flags, _ := t.Value(n, fTCPFlags)
	p.b = append(p.b, "Flags ["...)
	if flags&0xff == 0 {
		p.b = append(p.b, "none"...)
	} else {
		const letters = "FSRP.UEW"
		for i := 0; i < 8; i++ {
			if flags&(1<<i) != 0 {
				p.b = append(p.b, letters[i])
			}
		}
	}
	p.b = append(p.b, ']')
	if hl > seglen {
		tooLong()
		return
	}
	if p.opt.Verbose > 0 {
		if c := t.Find(n, fTCPChecksum); c >= 0 {
			st, ok := t.Value(c, fTCPChecksumSt)
			if ok && (st == udpChecksumGood || st == udpChecksumBad) {
				p.b = append(p.b, ", cksum 0x"...)
				p.b = udpHex4(p.b, t.Nodes[c].Val)
				if st == udpChecksumGood {
					p.b = append(p.b, " (correct)"...)
				} else {
					cal, _ := t.Value(c, fTCPChecksumCal)
					p.b = append(p.b, " (incorrect -> 0x"...)
					p.b = udpHex4(p.b, cal)
					p.b = append(p.b, ')')
				}
			}
		}
	}
	seq, _ := t.Value(n, fTCPSeqRaw)
	ack, _ := t.Value(n, fTCPAckRaw)
	rseq, rack, sackBase := uint32(seq), uint32(ack), uint32(0)
	if src, dst, _, _ := tcpAddrs(p, l); src != nil {
		st := p.State(protoTCP, newTCPSeqState).(*tcpSeqState)
		rseq, rack, sackBase = st.relative(src, dst, uint16(sport), uint16(dport), flags, uint32(seq), uint32(ack))
	}
	if plen > 0 || flags&(tcpSYN|tcpFIN|tcpRST) != 0 || p.opt.Verbose > 1 {
		p.b = append(p.b, ", seq "...)
		p.b = strconv.AppendUint(p.b, uint64(rseq), 10)
		if plen > 0 {
			p.b = append(p.b, ':')
			p.b = strconv.AppendUint(p.b, uint64(rseq+plen), 10)
		}
	}
	if flags&tcpACK != 0 {
		p.b = append(p.b, ", ack "...)
		p.b = strconv.AppendUint(p.b, uint64(rack), 10)
	}
	win, _ := t.Value(n, fTCPWindow)
	p.b = append(p.b, ", win "...)
	p.b = strconv.AppendUint(p.b, win, 10)
	if flags&tcpURG != 0 {
		urg, _ := t.Value(n, fTCPUrgent)
		p.b = append(p.b, ", urg "...)
		p.b = strconv.AppendUint(p.b, urg, 10)
	}
	mark := " [|tcp]"
	if hl > 20 {
		p.b = append(p.b, ", options ["...)
		if !tcpPrintOptions(p, off+20, off+hl, off+seglen, sackBase, flags, &mark) {
			return
		}
		p.b = append(p.b, ']')
	}
	p.b = append(p.b, ", length "...)
	p.b = strconv.AppendUint(p.b, uint64(plen), 10)
	if plen == 0 {
		return
	}
	if capd := len(t.Data) - off; capd < hl {
		p.b = append(p.b, " [remaining caplen("...)
		p.b = strconv.AppendInt(p.b, int64(capd), 10)
		p.b = append(p.b, ") < header length("...)
		p.b = strconv.AppendInt(p.b, int64(hl), 10)
		p.b = append(p.b, ")]"...)
		p.b = append(p.b, mark...)
		return
	}
	if flags&tcpRST != 0 && p.opt.Verbose > 0 {
		tcpPrintRSTData(p, off+hl, int(plen))
		return
	}
	if l+1 < len(t.Layers) {
		p.Layer(l + 1)
	}
}

func newTCPSeqState() any { return &tcpSeqState{} }

// tcpRSTMax is how many bytes of a reset's data tcpdump shows (RFC 1122
// 4.2.2.12: the data may explain the reset).
const tcpRSTMax = 30

// tcpPrintRSTData prints the data of a reset: " [RST text]", "+" after RST
// when there is more than shown, "!" before it when the capture ends inside.
func tcpPrintRSTData(p *Printer, off, n int) {
	d := p.t.Data
	p.b = append(p.b, " ["...)
	if off+n > len(d) {
		p.b = append(p.b, '!')
	}
	p.b = append(p.b, "RST"...)
	if n > tcpRSTMax {
		p.b = append(p.b, '+')
	}
	p.b = append(p.b, ' ')
	k := n
	if k > tcpRSTMax {
		k = tcpRSTMax
	}
	if off+k > len(d) {
		k = len(d) - off
	}
	for i := 0; i < k; i++ {
		p.b = appendPrintable(p.b, d[off+i])
	}
	p.b = append(p.b, ']')
}

// appendHexBytes appends b as two lower-case hex digits a byte.
func appendHexBytes(dst, b []byte) []byte {
	for _, c := range b {
		dst = append(dst, dnsHexDigits[c>>4], dnsHexDigits[c&0xf])
	}
	return dst
}

// tcpOptPrinter walks the options of one segment as tcpdump prints them.
type tcpOptPrinter struct {
	p      *Printer
	d      []byte
	capEnd int    // the end of the captured bytes
	first  bool   // printing the first option
	flags  uint64 // the segment's flags
	segEnd int    // where the segment ends
	// mark is what a truncation prints: " [|tcp]", " [|mptcp]" once an
	// MPTCP option was printed (tcpdump names the last printer it ran).
	mark string
}

// trunc ends the options at the capture's end: " [|tcp]", and ">" after an
// option whose name was printed when it is not the first (as tcpdump's
// output has it).
func (o *tcpOptPrinter) trunc(named bool) bool {
	o.p.b = append(o.p.b, o.mark...)
	if named && !o.first {
		o.p.b = append(o.p.b, '>')
	}
	return false
}

// bad ends the options at a malformed one.
func (o *tcpOptPrinter) bad() bool {
	o.p.b = append(o.p.b, "[bad opt]"...)
	if !o.first {
		o.p.b = append(o.p.b, ']')
	}
	return false
}

// has reports whether the n bytes at i were captured.
func (o *tcpOptPrinter) has(i, n int) bool { return i+n <= o.capEnd }

func (o *tcpOptPrinter) u16(i int) uint64 { return uint64(o.d[i])<<8 | uint64(o.d[i+1]) }
func (o *tcpOptPrinter) u32(i int) uint64 {
	return uint64(o.d[i])<<24 | uint64(o.d[i+1])<<16 | uint64(o.d[i+2])<<8 | uint64(o.d[i+3])
}

// need checks the n bytes at d of an option of fixed size, room being
// what the header has left from d: false after "[bad opt]" when they do
// not fit in the header, or after the truncation mark when they were not
// captured.
func (o *tcpOptPrinter) need(d, n, room int) bool {
	if room < n {
		return o.bad()
	}
	if !o.has(d, n) {
		return o.trunc(true)
	}
	return true
}

// lenNote prints "[len N]" when an option's length ln is not want, the
// length of an option of fixed size, and returns want: tcpdump goes on
// after want bytes, whatever the length says.
func (o *tcpOptPrinter) lenNote(ln, want int) int {
	if ln != want {
		o.p.b = append(o.p.b, "[len "...)
		o.p.b = strconv.AppendInt(o.p.b, int64(ln), 10)
		o.p.b = append(o.p.b, ']')
	}
	return want
}

// hex appends the bytes [i, e) of an option in hex as far as they were
// captured; false after the truncation mark when the capture ends first.
func (o *tcpOptPrinter) hex(i, e int) bool {
	if e <= o.capEnd {
		o.p.b = appendHexBytes(o.p.b, o.d[i:e])
		return true
	}
	if i < o.capEnd {
		o.p.b = appendHexBytes(o.p.b, o.d[i:o.capEnd])
	}
	return o.trunc(true)
}

// tcpPrintOptions prints the options in [off, end) after "options [". It
// is false when it printed a truncation or a malformed option, and the
// segment's text ends there.
func tcpPrintOptions(p *Printer, off, end, segEnd int, sackBase uint32, flags uint64, mark *string) bool {
	o := tcpOptPrinter{p: p, d: p.t.Data, capEnd: len(p.t.Data), first: true, flags: flags, segEnd: segEnd, mark: " [|tcp]"}
	defer func() { *mark = o.mark }()
	for i := off; i < end; o.first = false {
		if !o.first {
			p.b = append(p.b, ',')
		}
		if !o.has(i, 1) {
			return o.trunc(false)
		}
		kind := o.d[i]
		if kind == 0 {
			p.b = append(p.b, "eol"...)
			return true
		}
		if kind == 1 {
			p.b = append(p.b, "nop"...)
			i++
			continue
		}
		if !o.has(i+1, 1) {
			return o.trunc(false)
		}
		ln := int(o.d[i+1])
		if ln < 2 || ln > end-i {
			return o.bad()
		}
		d, dl := i+2, ln-2
		room := end - d // what a length check may read: the rest of the header
		adv := ln
		switch kind {
		case 2:
			p.b = append(p.b, "mss"...)
			if !o.need(d, 2, room) {
				return false
			}
			p.b = append(p.b, ' ')
			p.b = strconv.AppendUint(p.b, o.u16(d), 10)
			adv = o.lenNote(ln, 4)
		case 3:
			p.b = append(p.b, "wscale"...)
			if !o.need(d, 1, room) {
				return false
			}
			p.b = append(p.b, ' ')
			p.b = strconv.AppendUint(p.b, uint64(o.d[d]), 10)
			adv = o.lenNote(ln, 3)
		case 4:
			p.b = append(p.b, "sackOK"...)
			adv = o.lenNote(ln, 2)
		case 5:
			p.b = append(p.b, "sack"...)
			if dl%8 != 0 {
				p.b = append(p.b, " invalid sack"...)
				break
			}
			p.b = append(p.b, ' ')
			p.b = strconv.AppendInt(p.b, int64(dl/8), 10)
			p.b = append(p.b, ' ')
			for j := d; j < d+dl; j += 8 {
				if !o.has(j, 8) {
					return o.trunc(true)
				}
				p.b = append(p.b, '{')
				p.b = strconv.AppendUint(p.b, uint64(uint32(o.u32(j))-sackBase), 10)
				p.b = append(p.b, ':')
				p.b = strconv.AppendUint(p.b, uint64(uint32(o.u32(j+4))-sackBase), 10)
				p.b = append(p.b, '}')
			}
		case 8:
			p.b = append(p.b, "TS"...)
			if !o.need(d, 8, room) {
				return false
			}
			p.b = append(p.b, " val "...)
			p.b = strconv.AppendUint(p.b, o.u32(d), 10)
			p.b = append(p.b, " ecr "...)
			p.b = strconv.AppendUint(p.b, o.u32(d+4), 10)
			adv = o.lenNote(ln, 10)
		case 6, 7, 11, 12, 13:
			switch kind {
			case 6:
				p.b = append(p.b, "echo"...)
			case 7:
				p.b = append(p.b, "echoreply"...)
			case 11:
				p.b = append(p.b, "cc"...)
			case 12:
				p.b = append(p.b, "ccnew"...)
			}
			if !o.need(d, 4, room) {
				return false
			}
			p.b = append(p.b, ' ')
			p.b = strconv.AppendUint(p.b, o.u32(d), 10)
			adv = o.lenNote(ln, 6)
		case 19:
			p.b = append(p.b, "md5"...)
			if !o.need(d, 16, room) {
				return false
			}
			if o.segEnd > len(o.d) {
				p.b = append(p.b, " snaplen too short, can't check - "...)
			} else {
				p.b = append(p.b, " shared secret not supplied with -M, can't check - "...)
			}
			p.b = appendHexBytes(p.b, o.d[d:d+16])
			adv = o.lenNote(ln, 18)
		case 20:
			p.b = append(p.b, "scps"...)
			if !o.need(d, 2, room) {
				return false
			}
			p.b = append(p.b, " cap "...)
			p.b = appendHexBytes(p.b, o.d[d:d+1])
			p.b = append(p.b, " id "...)
			p.b = strconv.AppendUint(p.b, uint64(o.d[d+1]), 10)
			adv = o.lenNote(ln, 4)
		case 28:
			p.b = append(p.b, "uto"...)
			if !o.need(d, 2, room) {
				return false
			}
			v := o.u16(d)
			// tcpdump reads the granularity from the lowest bit and the
			// timeout from the others.
			to := v >> 1
			if v&1 != 0 {
				to *= 60
			}
			p.b = append(p.b, " 0x"...)
			p.b = strconv.AppendUint(p.b, v, 16)
			p.b = append(p.b, ' ')
			p.b = strconv.AppendUint(p.b, to, 10)
			adv = o.lenNote(ln, 4)
		case 29:
			p.b = append(p.b, "tcp-ao"...)
			if dl < 2 {
				p.b = append(p.b, " (invalid)"...)
				break
			}
			if !o.has(d, 1) {
				return o.trunc(true)
			}
			p.b = append(p.b, " keyid "...)
			p.b = strconv.AppendUint(p.b, uint64(o.d[d]), 10)
			if !o.has(d+1, 1) {
				return o.trunc(true)
			}
			p.b = append(p.b, " rnextkeyid "...)
			p.b = strconv.AppendUint(p.b, uint64(o.d[d+1]), 10)
			if dl > 2 {
				p.b = append(p.b, " mac 0x"...)
				if !o.hex(d+2, d+dl) {
					return false
				}
			}
		case 30:
			ok := mptcpPrint(&o, i, ln)
			o.mark = " [|mptcp]"
			if !ok {
				return false
			}
		case 34:
			p.b = append(p.b, "tfo"...)
			if !tcpPrintTFO(&o, d, dl, " ") {
				return false
			}
		case 254:
			p.b = append(p.b, "exp"...)
			if dl < 2 {
				return o.bad()
			}
			if !o.has(d, dl) {
				return o.trunc(true)
			}
			exid := o.u16(d)
			switch exid {
			case 0xf989:
				p.b = append(p.b, "-tfo"...)
				if !tcpPrintTFO(&o, d+2, dl-2, "") {
					return false
				}
			default:
				p.b = append(p.b, '-')
				p.b = appendHexBytes(p.b, o.d[d:d+2])
			}
		default:
			p.b = append(p.b, "unknown-"...)
			p.b = strconv.AppendUint(p.b, uint64(kind), 10)
			if dl > 0 {
				p.b = append(p.b, " 0x"...)
				if !o.hex(d, d+dl) {
					return false
				}
			}
		}
		i += adv
	}
	return true
}

// tcpPrintTFO prints a fast open cookie (RFC 7413) of dl bytes at d, after
// sep: "cookiereq" when empty, "cookie HEX" of 4 to 16 bytes, even in
// number, else "(invalid)".
func tcpPrintTFO(o *tcpOptPrinter, d, dl int, sep string) bool {
	p := o.p
	if dl > 0 && !o.has(d, dl) {
		return o.trunc(true)
	}
	p.b = append(p.b, sep...)
	switch {
	case dl == 0:
		p.b = append(p.b, " cookiereq"...)
	case dl%2 != 0 || dl < 4 || dl > 16:
		p.b = append(p.b, " (invalid)"...)
	default:
		p.b = append(p.b, " cookie "...)
		p.b = appendHexBytes(p.b, o.d[d:d+dl])
	}
	return true
}
