package decode

import "slices"

// Want is what a tree's reader reads of it: the columns of -T fields or of
// a Parquet file, the fields a display filter tests. A tree told
// (Tree.Want) leaves out the work whose only product is fields its reader
// never reads, as tshark fills in only the fields a filter or a column
// names: the fields wanted come out exactly as a whole dissection gives
// them, the others may be missing. A nil *Want wants every field.
//
// What is left out is TCP's work across packets when no wanted field
// depends on it: the conversation (tcp.stream, relative sequence numbers),
// the sequence analysis (when the conversation's numbers alone are wanted), the options, and the payload's dissection (which
// the analysis decides: a retransmitted payload is not dissected). When
// the wanted fields above TCP are only those of protocols TCP reaches by
// port (DNS on port 53), only the conversations whose payload goes to such
// a port are followed. Past tcpConvMax conversations at once, which
// conversations the full table would forget can then differ. UDP's
// conversations (udp.stream) are numbered only when udp.stream is wanted.
type Want struct {
	// anyTCP says that every TCP conversation is to be followed: a TCP
	// field tcpAlone does not list is wanted, or a field of a protocol a
	// TCP payload of any port may carry. Otherwise ports, if any, are the
	// ports whose payload dissectors give a wanted field (tcpByPort).
	anyTCP bool
	ports  []uint16
	// tcpConv says that the conversations are to be looked up for their
	// numbers (tcpConvOnly), though nothing else of TCP's is wanted.
	tcpConv bool
	// udpStream says that udp.stream is wanted.
	udpStream bool
}

// WantFields is the Want of a reader of the fields ids (a bit field's,
// such as tcp.flags.syn, the same as its parent's).
func WantFields(ids ...FieldID) *Want {
	w := &Want{}
	for _, id := range ids {
		w.add(id)
	}
	return w
}

func (w *Want) add(id FieldID) {
	if id == 0 || int(id) >= len(registry) {
		return
	}
	w.udpStream = w.udpStream || id == fUDPStream
	f := &registry[id]
	if f.BitOf != 0 {
		id, f = f.BitOf, &registry[f.BitOf]
	}
	switch {
	case f.Proto == protoTCP && tcpAlone[id]:
	case f.Proto == protoTCP && tcpConvOnly[id]:
		w.tcpConv = true
	case f.Proto == protoTCP:
		w.anyTCP = true
	case f.Proto != 0 && notUnderTCP[f.Proto]:
	case f.Proto != 0 && tcpByPort[f.Proto] != 0:
		if p := tcpByPort[f.Proto]; !slices.Contains(w.ports, p) {
			w.ports = append(w.ports, p)
		}
	default:
		w.anyTCP = true
	}
}

// Union is what a reader of both w and u reads (nil, everything, when
// either is nil).
func (w *Want) Union(u *Want) *Want {
	if w == nil || u == nil {
		return nil
	}
	r := &Want{anyTCP: w.anyTCP || u.anyTCP, ports: slices.Clone(w.ports), tcpConv: w.tcpConv || u.tcpConv, udpStream: w.udpStream || u.udpStream}
	for _, p := range u.ports {
		if !slices.Contains(r.ports, p) {
			r.ports = append(r.ports, p)
		}
	}
	return r
}

// wantsTCP says whether t is to follow the conversation of a segment from
// port sport to port dport: always when it has no Want.
func (t *Tree) wantsTCP(sport, dport uint16) bool {
	w := t.Want
	if w == nil || w.anyTCP {
		return true
	}
	if len(w.ports) == 0 {
		return false
	}
	p, ok := tcpPickPort(sport, dport)
	return ok && slices.Contains(w.ports, p)
}

// numbersTCP says whether t is to look a segment up in the conversations
// for its stream and relative numbers: always when it follows them whole.
func (t *Tree) numbersTCP(whole bool) bool {
	return whole || t.Want.tcpConv
}

// tcpByPort are the protocols a TCP payload carries only through the
// dissector of one port (no heuristic reads them elsewhere), by protocol.
var tcpByPort = map[FieldID]uint16{protoDNS: dnsTCPPort}

// tcpAlone are the TCP fields a segment gives by itself, whatever came
// before it in its conversation.
var tcpAlone = map[FieldID]bool{
	protoTCP: true, fTCPSrcPort: true, fTCPDstPort: true, fTCPPort: true,
	fTCPSeqRaw: true, fTCPAckRaw: true, fTCPHdrLen: true, fTCPFlags: true,
	fTCPWindow: true, fTCPChecksum: true, fTCPChecksumSt: true, fTCPChecksumCal: true, fTCPChecksumBad: true,
	fTCPUrgent: true, fTCPLen: true,
	fTCPPayload: true, fTCPResetCause: true, fTCPBogusHdrLen: true,
}

// tcpConvOnly are the TCP fields the conversation table gives without the
// sequence analysis: the stream and the relative numbers.
var tcpConvOnly = map[FieldID]bool{fTCPStream: true, fTCPSeq: true, fTCPAck: true, fTCPNxtSeq: true}

// notUnderTCP are the protocols no dissector of a TCP payload leads to:
// links, networks, UDP and what only UDP or IP carry. A protocol missing
// here is taken to be one a TCP payload may carry (TestWantNotUnderTCP
// checks this list against the captures).
var notUnderTCP = map[FieldID]bool{}

func init() {
	for _, name := range []string{
		"frame", "_ws.unknown_link", "eth", "ieee8021ad", "vlan", "null", "raw", "sll", "loop", "llc", "stp", "macsec",
		"arp", "ip", "ipv6", "ipv6.dstopts", "ipv6.hopopts", "ipv6.routing", "ipv6.fraghdr", "icmp", "icmpv6", "igmp",
		"gre", "erspan", "nhrp", "ah", "esp", "ipcomp", "ospf", "pim", "vrrp", "sctp", "mipv6", "nsh",
		"udp", "vxlan", "vxlan_gpe", "otv", "geneve", "ntp", "dhcp", "dhcpv6", "bcmli", "bfd", "isakmp",
		"lwres", "sip", "syslog", "tftp", "udpencap",
	} {
		id, ok := byName[name]
		if !ok || registry[id].Type != TypeProtocol {
			panic("decode: notUnderTCP names " + name + ", not a protocol")
		}
		notUnderTCP[id] = true
	}
}
