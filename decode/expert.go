package decode

import "strconv"

// Expert items, as Wireshark calls what a dissector says of a packet beyond
// its fields: a retransmission, a connection reset, an HTTP request line.
// Each is a field of the tree (tcp.analysis.retransmission,
// tcp.connection.rst, http.chat) registered here with tshark's severity,
// group, protocol and message, as tshark shows them in its expert infos
// (-T fields -e _ws.expert.message, -e _ws.expert.severity, -e
// _ws.expert.group) and its -z expert table (which also names the
// protocol). Tree.Experts gives a packet's items in the order of its tree,
// the order tshark gives them.
//
// The items are those of the fields decode dissects as tshark does, a
// pcapng packet comment's (frame.comment.expert: severity and group
// Comment, protocol Frame, the comment as message, as tshark 4.0 gives
// it), and the header checks tshark makes of what decode dissects: a frame
// shorter than was captured, an Ethernet source address with the group
// bit, IPv4's version, header length, total length and options, IPv6's
// version and payload length and a type 0 routing header, UDP's length,
// ICMP's checksum. What tshark says of protocols decode does not dissect,
// or of faults decode does not read the same way (exceptions it calls
// malformed packets, ARP's duplicate addresses, an Ethernet trailer that
// is not zeros) is not here.

// Severity is how much an expert item matters, tshark's levels.
type Severity uint8

// The severities, lowest first.
const (
	SeverityComment Severity = iota + 1
	SeverityChat
	SeverityNote
	SeverityWarning
	SeverityError
)

var severityNames = [...]string{SeverityComment: "Comment", SeverityChat: "Chat", SeverityNote: "Note", SeverityWarning: "Warning", SeverityError: "Error"}

// String is the severity's name: "Chat", "Note", "Warning", "Error", "Comment".
func (s Severity) String() string {
	if int(s) < len(severityNames) && severityNames[s] != "" {
		return severityNames[s]
	}
	return "Severity(" + strconv.Itoa(int(s)) + ")"
}

// severityWire are tshark's numbers of the severities (_ws.expert.severity >> 20).
var severityWire = [...]uint32{SeverityComment: 1, SeverityChat: 2, SeverityNote: 4, SeverityWarning: 6, SeverityError: 8}

// Wire is the severity as tshark's _ws.expert.severity gives it.
func (s Severity) Wire() uint32 {
	if int(s) < len(severityWire) {
		return severityWire[s] << 20
	}
	return 0
}

// An ExpertGroup is what an expert item is about, as tshark groups them.
type ExpertGroup uint8

// The groups, numbered as tshark numbers them (_ws.expert.group >> 24).
const (
	GroupChecksum ExpertGroup = iota + 1
	GroupSequence
	GroupResponseCode
	GroupRequestCode
	GroupUndecoded
	GroupReassemble
	GroupMalformed
	GroupDebug
	GroupProtocol
	GroupSecurity
	GroupComment
	GroupDecryption
	GroupAssumption
	GroupDeprecated
)

var groupNames = [...]string{GroupChecksum: "Checksum", GroupSequence: "Sequence", GroupResponseCode: "Response",
	GroupRequestCode: "Request", GroupUndecoded: "Undecoded", GroupReassemble: "Reassemble", GroupMalformed: "Malformed",
	GroupDebug: "Debug", GroupProtocol: "Protocol", GroupSecurity: "Security", GroupComment: "Comment",
	GroupDecryption: "Decryption", GroupAssumption: "Assumption", GroupDeprecated: "Deprecated"}

// String is the group's name as tshark's -z expert writes it ("Sequence",
// "Malformed", "Response" for response codes).
func (g ExpertGroup) String() string {
	if int(g) < len(groupNames) && groupNames[g] != "" {
		return groupNames[g]
	}
	return "Group(" + strconv.Itoa(int(g)) + ")"
}

// Wire is the group as tshark's _ws.expert.group gives it.
func (g ExpertGroup) Wire() uint32 { return uint32(g) << 24 }

// expertInfo is what an expert field says.
type expertInfo struct {
	severity Severity
	group    ExpertGroup
	protocol string // tshark's short name of the protocol
	message  string
	// summary, when not nil, appends a message that depends on the packet
	// (node n of layer l) in place of message.
	summary func(t *Tree, l, n int, b []byte) []byte
	// info is the words of Wireshark's Info column for the item ("TCP
	// Retransmission"), when it writes some; infoOrder places them among
	// the others of the packet.
	info      string
	infoOrder int

	// protocolOf, when not nil, names the protocol of node n in place of
	// protocol (an item tshark gives any protocol, Malformed Packet's).
	protocolOf func(t *Tree, n int) string
}

// expertOf are the expert fields' infos, by FieldID.
var expertOf []*expertInfo

// expert declares field f an expert item.
func expert(f FieldID, e expertInfo) {
	for int(f) >= len(expertOf) {
		expertOf = append(expertOf, nil)
	}
	expertOf[f] = &e
}

// Expert is one expert item of a packet.
type Expert struct {
	Severity Severity
	Group    ExpertGroup
	Protocol string // tshark's short name of the protocol it belongs to: "TCP", "HTTP"
	Field    FieldID
	// Quoted says the item is of a packet an ICMP or ICMPv6 message
	// quotes: tshark gives it in the packet's items but leaves it out of
	// its -z expert table.
	Quoted bool
	node   int32
	layer  int32
}

// Experts calls fn with each expert item of the packet, in the order of the
// tree, until fn returns false.
func (t *Tree) Experts(fn func(e Expert) bool) {
	l, quoted := -1, false
	for i := range t.Nodes {
		n := &t.Nodes[i]
		if n.Depth == 0 {
			if l >= 0 && (t.Nodes[l].Field == protoICMP || t.Nodes[l].Field == protoICMPv6) {
				quoted = true
			}
			l = i
		}
		if int(n.Field) >= len(expertOf) || expertOf[n.Field] == nil {
			continue
		}
		if n.Field == tcpFlags[6].field && i > 0 && t.Nodes[i-1].Field == fTCPDupAckFrame {
			continue // the duplicate ACK's flag again, under the frame it names: one item
		}
		e := expertOf[n.Field]
		pr := e.protocol
		if e.protocolOf != nil {
			pr = e.protocolOf(t, i)
		}
		if !fn(Expert{Severity: e.severity, Group: e.group, Protocol: pr, Field: n.Field, Quoted: quoted, node: int32(i), layer: int32(l)}) {
			return
		}
	}
}

// AppendSummary appends the message of item e of the packet in t.
func (t *Tree) AppendSummary(b []byte, e Expert) []byte {
	x := expertOf[e.Field]
	if x.summary != nil {
		return x.summary(t, int(e.layer), int(e.node), b)
	}
	return append(b, x.message...)
}

// AppendInfo appends the words Wireshark's Info column gives the expert
// items of the packet in t, each in brackets and followed by a space
// ("[TCP Retransmission] "), in the column's order; dupAck is the text of
// a duplicate ACK: "TCP Dup ACK 13#1".
func (t *Tree) AppendInfo(b []byte) []byte {
	var order [8]struct {
		node, at int
	}
	k := 0
	t.Experts(func(e Expert) bool {
		x := expertOf[e.Field]
		if x.info == "" || k == len(order) {
			return true
		}
		if e.Field == tcpFlags[0].field && (t.Has(int(e.layer), tcpFlags[1].field) || t.Has(int(e.layer), tcpFlags[2].field)) {
			return true // a fast or spurious retransmission says so alone
		}
		// Insert by infoOrder, keeping the tree's order among equals.
		j := k
		for j > 0 && order[j-1].at > x.infoOrder {
			order[j] = order[j-1]
			j--
		}
		order[j].node, order[j].at = int(e.node), x.infoOrder
		k++
		return true
	})
	for _, o := range order[:k] {
		f := t.Nodes[o.node].Field
		b = append(b, '[')
		b = append(b, expertOf[f].info...)
		if f == tcpFlags[6].field {
			frame, _ := t.Value(t.layerOf(o.node), fTCPDupAckFrame)
			num, _ := t.Value(t.layerOf(o.node), fTCPDupAckNum)
			b = strconv.AppendUint(append(b, ' '), frame, 10)
			b = strconv.AppendUint(append(b, '#'), num, 10)
		}
		b = append(b, "] "...)
	}
	return b
}

// layerOf is the layer node n belongs to.
func (t *Tree) layerOf(n int) int {
	for ; n > 0 && t.Nodes[n].Depth > 0; n-- {
	}
	return n
}

// expertPort appends message then the port of field f in layer l.
func expertPort(message string, f FieldID) func(t *Tree, l, n int, b []byte) []byte {
	return func(t *Tree, l, n int, b []byte) []byte {
		p, _ := t.Value(l, f)
		return strconv.AppendUint(append(b, message...), p, 10)
	}
}

// appendEscaped appends s as Wireshark formats text for its tree and
// expert messages: \r, \n, \t, \\ and other control bytes escaped.
func appendEscaped(b, s []byte) []byte {
	const hex = "0123456789abcdef"
	for _, c := range s {
		switch {
		case c == '\r':
			b = append(b, `\r`...)
		case c == '\n':
			b = append(b, `\n`...)
		case c == '\t':
			b = append(b, `\t`...)
		case c == '\\':
			b = append(b, `\\`...)
		case c < 0x20 || c >= 0x7f:
			b = append(b, '\\', 'x', hex[c>>4], hex[c&15])
		default:
			b = append(b, c)
		}
	}
	return b
}

func init() {
	expert(fFrameCommentExpert, expertInfo{severity: SeverityComment, group: GroupComment, protocol: "Frame",
		summary: func(t *Tree, l, n int, b []byte) []byte { return append(b, t.Bytes(n-1)...) }})
	seq := func(s Severity, message, info string, order int) expertInfo {
		return expertInfo{severity: s, group: GroupSequence, protocol: "TCP", message: message, info: info, infoOrder: order}
	}
	expert(fTCPAckNonzero, expertInfo{severity: SeverityNote, group: GroupProtocol, protocol: "TCP",
		message: "The acknowledgment number field is nonzero while the ACK flag is not set"})
	expert(fTCPUrgentNonzero, expertInfo{severity: SeverityNote, group: GroupProtocol, protocol: "TCP",
		message: "The urgent pointer field is nonzero while the URG flag is not set"})
	expert(fTCPConnRST, seq(SeverityWarning, "Connection reset (RST)", "", 0))
	syn := seq(SeverityChat, "", "", 0)
	syn.summary = expertPort("Connection establish request (SYN): server port ", fTCPDstPort)
	expert(fTCPConnSYN, syn)
	syn.summary = expertPort("Connection establish acknowledge (SYN+ACK): server port ", fTCPSrcPort)
	expert(fTCPConnSYNACK, syn)
	expert(fTCPConnFIN, seq(SeverityChat, "Connection finish (FIN)", "", 0))
	expert(fTCPFinActive, seq(SeverityNote, "This frame initiates the connection closing", "", 0))
	expert(fTCPFinPassive, seq(SeverityNote, "This frame undergoes the connection closing", "", 0))
	expert(fTCPOptDSACK, seq(SeverityWarning, "D-SACK Sequence", "", 0))
	expert(fTCPTFOSyn, seq(SeverityNote, "TCP SYN with TFO Cookie", "", 0))
	expert(fTCPOptMSSAbsent, expertInfo{severity: SeverityNote, group: GroupProtocol, protocol: "TCP",
		message: "The SYN packet does not contain a MSS option"})
	for i, f := range tcpFlags {
		e := seq(tcpSeverity[f.severity], f.message, tcpFlagWords[i].words, tcpFlagWords[i].order)
		if i == 6 {
			e.summary = func(t *Tree, l, n int, b []byte) []byte {
				num, _ := t.Value(l, fTCPDupAckNum)
				return append(strconv.AppendUint(append(b, "Duplicate ACK (#"...), num, 10), ')')
			}
		}
		expert(f.field, e)
	}
	expert(fIPTTLTooSmall, expertInfo{severity: SeverityNote, group: GroupSequence, protocol: "IPv4",
		summary: func(t *Tree, l, n int, b []byte) []byte {
			return strconv.AppendUint(append(b, `"Time To Live" only `...), t.Nodes[n].Val, 10)
		}})
	expert(fIPTTLLNCB, expertInfo{severity: SeverityNote, group: GroupSequence, protocol: "IPv4",
		summary: func(t *Tree, l, n int, b []byte) []byte {
			b = strconv.AppendUint(append(b, `"Time To Live" != `...), t.Nodes[n].Val, 10)
			return append(b, " for a packet sent to the Local Network Control Block (see RFC 3171)"...)
		}})
	expert(fUDPTraceroute, expertInfo{severity: SeverityChat, group: GroupSequence, protocol: "UDP",
		summary: func(t *Tree, l, n int, b []byte) []byte {
			p := t.Nodes[n].Val - 33435
			b = strconv.AppendUint(append(b, "Possible traceroute: hop #"...), p/3+1, 10)
			return strconv.AppendUint(append(b, ", attempt #"...), p%3+1, 10)
		}})
	expert(fUDPLengthBad, expertInfo{severity: SeverityError, group: GroupMalformed, protocol: "UDP",
		summary: func(t *Tree, l, n int, b []byte) []byte {
			// Under the length node: too short for the header, or past
			// the end of the IP payload.
			ulen := t.Nodes[n-1].Val
			b = strconv.AppendUint(append(b, "Bad length value "...), ulen, 10)
			if ulen < 8 {
				return append(b, " < 8"...)
			}
			return append(b, " > IP payload length"...)
		}})
	expert(fEthSrcGroup, expertInfo{severity: SeverityWarning, group: GroupProtocol, protocol: "Ethernet",
		message: "Source MAC must not be a group address: IEEE 802.3-2002, Section 3.2.3(b)"})
	expert(fFrameLenLtCaplen, expertInfo{severity: SeverityError, group: GroupMalformed, protocol: "Frame",
		message: "Frame length is less than captured length"})
	expert(fIPLenPastEnd, expertInfo{severity: SeverityError, group: GroupProtocol, protocol: "IPv4",
		summary: func(t *Tree, l, n int, b []byte) []byte {
			b = strconv.AppendUint(append(b, "IPv4 total length exceeds packet length ("...), t.Nodes[n].Val, 10)
			return append(b, " bytes)"...)
		}})
	expert(fIPOptLenPastEnd, expertInfo{severity: SeverityWarning, group: GroupProtocol, protocol: "IPv4",
		summary: func(t *Tree, l, n int, b []byte) []byte {
			b = appendHex2(append(b, "Unknown (0x"...), t.Nodes[n].Val)
			b = strconv.AppendUint(append(b, ") (option length = "...), t.Nodes[n-1].Val, 10)
			return append(b, " bytes says option goes past end of options)"...)
		}})
	expert(fIPBogusVersion, expertInfo{severity: SeverityError, group: GroupProtocol, protocol: "IPv4", message: "Bogus IPv4 version"})
	expert(fIPBogusHdrLen, expertInfo{severity: SeverityError, group: GroupProtocol, protocol: "IPv4",
		summary: func(t *Tree, l, n int, b []byte) []byte {
			b = strconv.AppendUint(append(b, "Bogus IP header length ("...), t.Nodes[n].Val, 10)
			return append(b, ", must be at least 20)"...)
		}})
	expert(fIPBogusLen, expertInfo{severity: SeverityError, group: GroupProtocol, protocol: "IPv4", message: "Bogus IP length"})
	expert(fIPv6RtDeprecated, expertInfo{severity: SeverityNote, group: GroupDeprecated, protocol: "IPv6 Routing", message: "Routing header type is deprecated"})
	expert(fTCPNonZeroPad, expertInfo{severity: SeverityError, group: GroupProtocol, protocol: "TCP", message: "Non-zero header padding"})
	expert(fIPv6BadVer, expertInfo{severity: SeverityError, group: GroupMalformed, protocol: "IPv6", message: "Bogus IPv6 version"})
	expert(fIPv6PLenZero, expertInfo{severity: SeverityChat, group: GroupProtocol, protocol: "IPv6",
		message: `IPv6 payload length equals 0 (maybe because of "TCP segmentation offload" (TSO))`})
	expert(fIPv6PLenFraming, expertInfo{severity: SeverityWarning, group: GroupProtocol, protocol: "IPv6",
		summary: func(t *Tree, l, n int, b []byte) []byte {
			// The node's value is the bytes missing; the message gives
			// those framed, the payload length (or the jumbo payload
			// option's) less them.
			pl, _ := t.Value(l, fIPv6PLen)
			if pl == 0 {
				pl, _ = t.Value(l, fIPv6OptJumbo)
			}
			b = strconv.AppendUint(append(b, "IPv6 payload length exceeds framing length ("...), pl-t.Nodes[n].Val, 10)
			return append(b, " bytes)"...)
		}})
	expert(fICMPChecksumBad, expertInfo{severity: SeverityWarning, group: GroupChecksum, protocol: "ICMP",
		summary: func(t *Tree, l, n int, b []byte) []byte {
			return append(appendHex4(append(b, "Bad checksum [should be 0x"...), t.Nodes[n].Val), ']')
		}})
	expert(fHTTPChat, expertInfo{severity: SeverityChat, group: GroupSequence, protocol: "HTTP",
		summary: func(t *Tree, l, n int, b []byte) []byte { return appendEscaped(b, t.Bytes(n)) }})
}

var tcpSeverity = map[string]Severity{"Chat": SeverityChat, "Note": SeverityNote, "Warning": SeverityWarning, "Error": SeverityError}

// tcpFlagWords are the words of the Info column for each analysis flag (in
// tcpFlags's order), and their place among the others of a packet: in
// the tree's order, but for the ACK to a zero window probe, which tshark
// was seen to write before the zero window the same ACK announces.
var tcpFlagWords = [taCount]struct {
	words string
	order int
}{
	{"TCP Retransmission", 0},
	{"TCP Fast Retransmission", 0},
	{"TCP Spurious Retransmission", 0},
	{"TCP Out-Of-Order", 0},
	{"TCP Previous segment not captured", 0},
	{"TCP ACKed unseen segment", 0},
	{"TCP Dup ACK", 0},
	{"TCP ZeroWindow", 0},
	{"TCP ZeroWindowProbe", 0},
	{"TCP ZeroWindowProbeAck", -1},
	{"TCP Window Full", 0},
	{"TCP Window Update", 0},
	{"TCP Keep-Alive", 0},
	{"TCP Keep-Alive ACK", 0},
	{"TCP Port numbers reused", 0},
}
