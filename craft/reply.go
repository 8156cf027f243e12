package craft

// Reply matching: which received packet answers which probe. The rules are
// those of ping, traceroute and nmap, on the bytes alone:
//
//   - TCP and UDP: the probe's addresses and ports reversed (a SYN-ACK or an
//     RST to a SYN, a datagram back from the port probed).
//   - ICMP and ICMPv6 queries (echo, and ICMP's timestamp, information and
//     address mask): the reply type with the same identifier and sequence
//     number, from the probe's destination (from anyone when it was sent to
//     a multicast or broadcast address).
//   - ICMP and ICMPv6 errors (destination unreachable, packet too big, time
//     exceeded, parameter problem): the quoted packet is the probe, by its
//     addresses, protocol, IPv4 id and the first 8 bytes of its transport
//     header (ports, or ICMP id and sequence number), from anyone on the
//     path.
//   - ARP: a reply whose sender IP is the request's target IP.
//   - ND: a neighbour advertisement whose target is the solicitation's.
//
// Probes that look alike (a TCP SYN sent -c 3 times with the same ports) are
// answered first come, first served. A packet that answers only probes that
// were already answered is a duplicate, as ping's (DUP!).

import (
	"encoding/binary"
	"fmt"
	"math"
	"net/netip"
	"strings"
	"time"

	"github.com/sockscope/sockscope/craft/spec"
	"github.com/sockscope/sockscope/decode/wire"
)

// Network layers a probe or reply can have.
const (
	mIPv4 = 4
	mIPv6 = 6
	mARP  = 1
)

// IP protocol numbers (IANA) and the ICMP types the matching reads.
const (
	mProtoICMP   = 1
	mProtoTCP    = 6
	mProtoUDP    = 17
	mProtoICMPv6 = 58

	mICMPUnreach    = 3
	mICMPTimeExceed = 11
	mICMPParamProb  = 12

	mICMP6Unreach     = 1
	mICMP6TooBig      = 2
	mICMP6TimeExceed  = 3
	mICMP6ParamProb   = 4
	mICMP6EchoRequest = 128
	mICMP6EchoReply   = 129
	mICMP6NS          = 135
	mICMP6NA          = 136

	mARPRequest = 1
	mARPReply   = 2
)

// mICMPQueryReply maps an ICMP query type (RFC 792, RFC 950) to its reply's.
var mICMPQueryReply = map[uint8]uint8{8: 0, 13: 14, 15: 16, 17: 18}

// mIsICMPError reports whether an ICMP (v4 or v6) type quotes the packet
// that caused it.
func mIsICMPError(v6 bool, t uint8) bool {
	if v6 {
		return t >= mICMP6Unreach && t <= mICMP6ParamProb
	}
	return t == mICMPUnreach || t == mICMPTimeExceed || t == mICMPParamProb
}

// packetInfo is what matching needs of a packet: its network addresses and
// the start of its transport header.
type packetInfo struct {
	net      uint8 // mIPv4, mIPv6 or mARP
	src, dst netip.Addr
	// final is the destination after a routing header (IPv6), where a
	// reply comes from; else dst.
	final netip.Addr
	ipid  uint16 // IPv4 identification
	proto uint8  // the transport protocol, past IPv6 extension headers
	l4    []byte // the transport header and what follows; nil in a later fragment
	arpOp uint16
}

// replyParse finds the network layer of a packet of link type link.
func replyParse(b []byte, link wire.LinkType) (packetInfo, bool) {
	off, etherType, ok := wire.Network(link, b)
	if !ok {
		return packetInfo{}, false
	}
	switch etherType {
	case wire.EtherTypeIPv4, wire.EtherTypeIPv6:
		return replyParseIP(b[off:])
	case wire.EtherTypeARP:
		return replyParseARP(b[off:])
	}
	return packetInfo{}, false
}

func replyParseARP(b []byte) (packetInfo, bool) {
	// Ethernet and IPv4 only: hardware type 1, protocol 0x0800, 6 and 4.
	if len(b) < 28 || binary.BigEndian.Uint16(b[0:]) != 1 || binary.BigEndian.Uint16(b[2:]) != 0x0800 || b[4] != 6 || b[5] != 4 {
		return packetInfo{}, false
	}
	p := packetInfo{net: mARP, arpOp: binary.BigEndian.Uint16(b[6:])}
	p.src = netip.AddrFrom4([4]byte(b[14:18]))
	p.dst = netip.AddrFrom4([4]byte(b[24:28]))
	p.final = p.dst
	return p, true
}

// replyParseIP reads an IPv4 or IPv6 header, and IPv6's extension headers. A
// quoted packet may end early: l4 then holds what there is.
func replyParseIP(b []byte) (packetInfo, bool) {
	if len(b) < 1 {
		return packetInfo{}, false
	}
	switch b[0] >> 4 {
	case 4:
		ihl := int(b[0]&0x0f) * 4
		if len(b) < 20 || ihl < 20 {
			return packetInfo{}, false
		}
		p := packetInfo{net: mIPv4, proto: b[9], ipid: binary.BigEndian.Uint16(b[4:])}
		p.src = netip.AddrFrom4([4]byte(b[12:16]))
		p.dst = netip.AddrFrom4([4]byte(b[16:20]))
		p.final = p.dst
		if binary.BigEndian.Uint16(b[6:])&0x1fff == 0 && len(b) >= ihl {
			p.l4 = b[ihl:]
			// A lying total length (a probe's, or a quote's) is not
			// believed beyond the bytes at hand.
			if n := int(binary.BigEndian.Uint16(b[2:])); n >= ihl && n < len(b) {
				p.l4 = b[ihl:n]
			}
		}
		return p, true
	case 6:
		if len(b) < 40 {
			return packetInfo{}, false
		}
		p := packetInfo{net: mIPv6}
		p.src = netip.AddrFrom16([16]byte(b[8:24]))
		p.dst = netip.AddrFrom16([16]byte(b[24:40]))
		p.final = p.dst
		nh, rest := b[6], b[40:]
		for wire.IsIPv6Extension(nh) {
			n, next, ok := wire.IPv6ExtLen(nh, rest)
			if !ok {
				return p, true
			}
			switch nh {
			case wire.ProtoRouting: // the reply comes from the last hop (RFC 8200 4.4)
				if a := wire.IPv6RoutingFinalDst(rest[:n]); a != nil && rest[3] > 0 {
					p.final = netip.AddrFrom16([16]byte(a))
				}
			case wire.ProtoFragment: // RFC 8200 4.5
				if binary.BigEndian.Uint16(rest[2:])&0xfff8 != 0 {
					p.proto = next
					return p, true // a later fragment: no transport header
				}
			}
			nh, rest = next, rest[n:]
		}
		p.proto, p.l4 = nh, rest
		return p, true
	}
	return packetInfo{}, false
}

// matchKey is the part of a probe, or of the probe a reply answers, that
// is looked up; addresses are compared after the lookup (see fits).
type matchKey struct {
	net    uint8
	proto  uint8
	typ    uint8 // the expected reply's ICMP type, for queries
	a, b   uint16
	target netip.Addr // ARP and ND: the address asked about
}

// probeKeys are the keys of a probe: direct, for a reply from the peer, and
// quoted, for an ICMP error quoting it.
func probeKeys(p packetInfo) (direct matchKey, hasDirect bool, quoted matchKey, hasQuoted bool) {
	if p.net == mARP {
		if p.arpOp == mARPRequest {
			return matchKey{net: mARP, typ: mARPReply, target: p.dst}, true, matchKey{}, false
		}
		return matchKey{}, false, matchKey{}, false
	}
	quoted = matchKey{net: p.net, proto: p.proto}
	if p.l4 == nil {
		return matchKey{}, false, quoted, true
	}
	l4 := p.l4
	switch p.proto {
	case mProtoTCP, mProtoUDP:
		if len(l4) < 4 {
			return matchKey{}, false, quoted, true
		}
		sport, dport := binary.BigEndian.Uint16(l4[0:]), binary.BigEndian.Uint16(l4[2:])
		quoted.a, quoted.b = sport, dport
		return matchKey{net: p.net, proto: p.proto, a: sport, b: dport}, true, quoted, true
	case mProtoICMP:
		if p.net != mIPv4 || len(l4) < 8 {
			break
		}
		id, seq := binary.BigEndian.Uint16(l4[4:]), binary.BigEndian.Uint16(l4[6:])
		if rt, ok := mICMPQueryReply[l4[0]]; ok {
			quoted.a, quoted.b = id, seq
			return matchKey{net: p.net, proto: mProtoICMP, typ: rt, a: id, b: seq}, true, quoted, true
		}
	case mProtoICMPv6:
		if p.net != mIPv6 || len(l4) < 8 {
			break
		}
		switch l4[0] {
		case mICMP6EchoRequest:
			id, seq := binary.BigEndian.Uint16(l4[4:]), binary.BigEndian.Uint16(l4[6:])
			quoted.a, quoted.b = id, seq
			return matchKey{net: p.net, proto: mProtoICMPv6, typ: mICMP6EchoReply, a: id, b: seq}, true, quoted, true
		case mICMP6NS:
			if len(l4) < 24 {
				break
			}
			t := netip.AddrFrom16([16]byte(l4[8:24]))
			return matchKey{net: p.net, proto: mProtoICMPv6, typ: mICMP6NA, target: t}, true, quoted, true
		}
	}
	return matchKey{}, false, quoted, true
}

// replyKey is the key of the probe that reply p would answer directly (not
// as an ICMP error); ok is false when p answers nothing that way.
func replyKey(p packetInfo) (matchKey, bool) {
	if p.net == mARP {
		if p.arpOp == mARPReply {
			return matchKey{net: mARP, typ: mARPReply, target: p.src}, true
		}
		return matchKey{}, false
	}
	l4 := p.l4
	switch p.proto {
	case mProtoTCP, mProtoUDP:
		if len(l4) < 4 {
			return matchKey{}, false
		}
		return matchKey{net: p.net, proto: p.proto, a: binary.BigEndian.Uint16(l4[2:]), b: binary.BigEndian.Uint16(l4[0:])}, true
	case mProtoICMP:
		if p.net != mIPv4 || len(l4) < 8 {
			return matchKey{}, false
		}
		switch l4[0] {
		case 0, 14, 16, 18:
			return matchKey{net: p.net, proto: mProtoICMP, typ: l4[0], a: binary.BigEndian.Uint16(l4[4:]), b: binary.BigEndian.Uint16(l4[6:])}, true
		}
	case mProtoICMPv6:
		if p.net != mIPv6 || len(l4) < 8 {
			return matchKey{}, false
		}
		switch l4[0] {
		case mICMP6EchoReply:
			return matchKey{net: p.net, proto: mProtoICMPv6, typ: mICMP6EchoReply, a: binary.BigEndian.Uint16(l4[4:]), b: binary.BigEndian.Uint16(l4[6:])}, true
		case mICMP6NA:
			if len(l4) < 24 {
				return matchKey{}, false
			}
			return matchKey{net: p.net, proto: mProtoICMPv6, typ: mICMP6NA, target: netip.AddrFrom16([16]byte(l4[8:24]))}, true
		}
	}
	return matchKey{}, false
}

// quotedPacket is the packet an ICMP or ICMPv6 error quotes, or ok false
// when p is no such error.
func quotedPacket(p packetInfo) (packetInfo, bool) {
	if (p.net == mIPv4 && p.proto != mProtoICMP) || (p.net == mIPv6 && p.proto != mProtoICMPv6) || p.net == mARP {
		return packetInfo{}, false
	}
	if len(p.l4) < 8+20 || !mIsICMPError(p.net == mIPv6, p.l4[0]) {
		return packetInfo{}, false
	}
	q, ok := replyParseIP(p.l4[8:])
	if !ok || q.net != p.net {
		return packetInfo{}, false
	}
	return q, true
}

// quoteKey is the key of the probe a quoted packet is.
func quoteKey(q packetInfo) matchKey {
	k := matchKey{net: q.net, proto: q.proto}
	l4 := q.l4
	switch {
	case (q.proto == mProtoTCP || q.proto == mProtoUDP) && len(l4) >= 4:
		k.a, k.b = binary.BigEndian.Uint16(l4[0:]), binary.BigEndian.Uint16(l4[2:])
	case q.proto == mProtoICMP && q.net == mIPv4 && len(l4) >= 8:
		if _, ok := mICMPQueryReply[l4[0]]; ok {
			k.a, k.b = binary.BigEndian.Uint16(l4[4:]), binary.BigEndian.Uint16(l4[6:])
		}
	case q.proto == mProtoICMPv6 && q.net == mIPv6 && len(l4) >= 8 && l4[0] == mICMP6EchoRequest:
		k.a, k.b = binary.BigEndian.Uint16(l4[4:]), binary.BigEndian.Uint16(l4[6:])
	}
	return k
}

// sentProbe is one packet sent, as the matching remembers it.
type sentProbe struct {
	seq      int // from 0, in the order sent
	at       time.Time
	info     packetInfo
	answered bool
	rtt      time.Duration
	// stamped is set when at is the kernel's time for the probe, from a
	// capture's copy of it as it left (see Outgoing).
	stamped bool
}

// anyone reports whether replies to the probe may come from any address:
// it went to a multicast or broadcast address.
func (p *sentProbe) anyone() bool {
	d := p.info.final
	return d.IsMulticast() || d == netip.AddrFrom4([4]byte{255, 255, 255, 255}) || !d.IsValid() || d.IsUnspecified()
}

// fitsDirect reports whether reply r, found under the probe's direct key,
// is addressed as its answer.
func (p *sentProbe) fitsDirect(r packetInfo) bool {
	switch {
	case p.info.net == mARP:
		return true
	case p.info.proto == mProtoICMPv6 && p.info.l4[0] == mICMP6NS:
		return true // the advertisement may come from any of the target's addresses
	}
	if !p.anyone() && r.src != p.info.final {
		return false
	}
	return p.info.src.IsUnspecified() || r.dst == p.info.src || r.dst.IsMulticast()
}

// fitsQuote reports whether quoted packet q, found under the probe's quoted
// key, is the probe as it left.
func (p *sentProbe) fitsQuote(q packetInfo) bool {
	if q.dst != p.info.dst || !(p.info.src.IsUnspecified() || q.src == p.info.src) {
		return false
	}
	// Linux fills in an IPv4 id of 0 on a raw socket with IP_HDRINCL.
	return p.info.net != mIPv4 || p.info.ipid == 0 || q.ipid == p.info.ipid
}

// probeQueue holds the probes of one key in the order sent; next is the
// first one not yet answered, so that first come, first served is cheap.
type probeQueue struct {
	probes []*sentProbe
	next   int
	// stampNext is the first probe not yet stamped nor answered.
	stampNext int
}

// stampable returns the first probe that is neither stamped nor answered and
// that q (a packet seen by the capture) is, or nil.
func (q *probeQueue) stampable(info packetInfo) *sentProbe {
	for q.stampNext < len(q.probes) && (q.probes[q.stampNext].stamped || q.probes[q.stampNext].answered) {
		q.stampNext++
	}
	for _, p := range q.probes[q.stampNext:] {
		if !p.stamped && !p.answered && p.fitsQuote(info) {
			return p
		}
	}
	return nil
}

// find returns the first unanswered probe that fits, or else one of the
// last answered ones that fits (the reply is then a duplicate), or nil.
func (q *probeQueue) find(fits func(*sentProbe) bool) *sentProbe {
	for q.next < len(q.probes) && q.probes[q.next].answered {
		q.next++
	}
	for _, p := range q.probes[q.next:] {
		if !p.answered && fits(p) {
			return p
		}
	}
	// Look for a duplicate among the latest probes only: a long run of
	// look-alikes answered long ago is not worth a scan per packet.
	for i := len(q.probes) - 1; i >= 0 && i >= len(q.probes)-64; i-- {
		if p := q.probes[i]; p.answered && fits(p) {
			return p
		}
	}
	return nil
}

// Answer is a received packet that answers a probe.
type Answer struct {
	// Probe is the index of the probe answered, from 0 in the order sent.
	Probe int
	// RTT is the time from the probe's send to the reply's arrival.
	RTT time.Duration
	// Dup is true when the probe had been answered before: the answer is
	// printed with (DUP!) and not counted again.
	Dup bool
	// Error is true when the answer is an ICMP or ICMPv6 error quoting the probe.
	Error bool
}

// Replies matches received packets to the probes sent. It is not safe for
// concurrent use; Waiter serializes it.
type Replies struct {
	link   wire.LinkType // of the probes
	direct map[matchKey]*probeQueue
	quoted map[matchKey]*probeQueue
	sent   int
	stats  ReplyStats
}

// NewReplies returns an empty table for probes of link type link (Ethernet
// for probes sent at layer 2, raw IP otherwise).
func NewReplies(link wire.LinkType) *Replies {
	return &Replies{link: link, direct: map[matchKey]*probeQueue{}, quoted: map[matchKey]*probeQueue{}}
}

// Sent records a probe sent at at, and returns its index. A packet the
// matching cannot read is counted as sent and can never be answered.
func (r *Replies) Sent(pkt []byte, at time.Time) int {
	seq := r.sent
	r.sent++
	r.stats.Transmitted++
	info, ok := replyParse(pkt, r.link)
	if !ok {
		return seq
	}
	if info.l4 != nil {
		info.l4 = info.l4[:min(len(info.l4), 24)] // all the matching reads of it
	}
	// The probe may live long after the send buffer is reused.
	info.l4 = append([]byte(nil), info.l4...)
	p := &sentProbe{seq: seq, at: at, info: info}
	add := func(m map[matchKey]*probeQueue, k matchKey) {
		q := m[k]
		if q == nil {
			q = &probeQueue{}
			m[k] = q
		}
		q.probes = append(q.probes, p)
	}
	d, hasD, qk, hasQ := probeKeys(info)
	if hasD {
		add(r.direct, d)
	}
	if hasQ {
		add(r.quoted, qk)
	}
	return seq
}

// Match reports whether the packet data, of link type link, received at
// at, answers a probe, and which.
func (r *Replies) Match(data []byte, link wire.LinkType, at time.Time) (Answer, bool) {
	m, ok := r.find(data, link)
	if !ok {
		return Answer{}, false
	}
	return r.answer(m, at), true
}

// match is the probe a packet answers, before it is counted.
type match struct {
	p     *sentProbe
	isErr bool
}

// dup reports whether the probe was answered already.
func (m match) dup() bool { return m.p.answered }

// find looks for the probe a packet answers: the first unanswered one, or
// else one answered already.
func (r *Replies) find(data []byte, link wire.LinkType) (match, bool) {
	info, ok := replyParse(data, link)
	if !ok {
		return match{}, false
	}
	if k, ok := replyKey(info); ok {
		if q := r.direct[k]; q != nil {
			if p := q.find(func(p *sentProbe) bool { return p.fitsDirect(info) }); p != nil {
				return match{p: p}, true
			}
		}
	}
	if quoted, ok := quotedPacket(info); ok {
		if q := r.quoted[quoteKey(quoted)]; q != nil {
			if p := q.find(func(p *sentProbe) bool { return p.fitsQuote(quoted) }); p != nil {
				return match{p: p, isErr: true}, true
			}
		}
	}
	return match{}, false
}

// answer counts a match of a packet received at at.
func (r *Replies) answer(m match, at time.Time) Answer {
	p := m.p
	// A reply stamped before the probe's send time arrived while the send
	// call was still returning: it is as fast as can be measured.
	rtt := max(at.Sub(p.at), 0)
	a := Answer{Probe: p.seq, RTT: rtt, Error: m.isErr}
	if p.answered {
		a.Dup = true
		r.stats.Duplicates++
		return a
	}
	p.answered, p.rtt = true, rtt
	r.stats.add(rtt)
	if m.isErr {
		r.stats.Errors++
	}
	return a
}

// Outgoing reports whether data, of link type link, is a probe recorded
// with Sent and not yet answered, as a capture saw it leave at at; the
// probe's send time is then at. A capture's timestamp is the kernel's, taken
// as the packet went to the device, and is better than the sender's clock
// read around a send call (during which, on a veth or loopback, the reply
// can already have come). It is the test of an ICMP error's quote: same
// addresses, protocol, IPv4 id and the first 8 bytes of transport header.
func (r *Replies) Outgoing(data []byte, link wire.LinkType, at time.Time) bool {
	info, ok := replyParse(data, link)
	if !ok || info.net == mARP {
		return false
	}
	_, _, k, ok := probeKeys(info)
	if !ok {
		return false
	}
	q := r.quoted[k]
	if q == nil {
		return false
	}
	p := q.stampable(info)
	if p == nil {
		return false
	}
	p.at, p.stamped = at, true
	return true
}

// Pending is the number of probes sent and not yet answered.
func (r *Replies) Pending() int { return r.stats.Transmitted - r.stats.Received }

// Stats returns the counts so far.
func (r *Replies) Stats() ReplyStats { return r.stats }

// ReplyStats are ping's counts: probes sent, answered, duplicates, and the
// round-trip times of the first answer of each probe.
type ReplyStats struct {
	Transmitted int
	Received    int // probes answered, each once
	Duplicates  int // answers to probes already answered
	Errors      int // of Received, the ICMP errors quoting a probe
	Min, Max    time.Duration
	sum, sum2   float64 // of the rtts in nanoseconds, for the mean and mdev
}

func (s *ReplyStats) add(rtt time.Duration) {
	if s.Received == 0 || rtt < s.Min {
		s.Min = rtt
	}
	if rtt > s.Max {
		s.Max = rtt
	}
	s.Received++
	ns := float64(rtt)
	s.sum += ns
	s.sum2 += ns * ns
}

// Avg is the mean round-trip time.
func (s ReplyStats) Avg() time.Duration {
	if s.Received == 0 {
		return 0
	}
	return time.Duration(s.sum / float64(s.Received))
}

// Mdev is ping's mean deviation: the standard deviation of the round-trip
// times, sqrt(mean of squares - square of mean).
func (s ReplyStats) Mdev() time.Duration {
	if s.Received == 0 {
		return 0
	}
	n := float64(s.Received)
	mean := s.sum / n
	return time.Duration(math.Sqrt(max(s.sum2/n-mean*mean, 0)))
}

// Summary is ping's summary (iputils): "N packets transmitted, M received,
// [+D duplicates, ]L% packet loss", and when anything was received
// "rtt min/avg/max/mdev = a/b/c/d ms", each line ending in a newline.
func (s ReplyStats) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d packets transmitted, %d received", s.Transmitted, s.Received)
	if s.Duplicates > 0 {
		fmt.Fprintf(&b, ", +%d duplicates", s.Duplicates)
	}
	if s.Transmitted > 0 {
		loss := float64(s.Transmitted-s.Received) * 100 / float64(s.Transmitted)
		fmt.Fprintf(&b, ", %s%% packet loss", lossPercent(loss))
	}
	b.WriteByte('\n')
	if s.Received > 0 {
		fmt.Fprintf(&b, "rtt min/avg/max/mdev = %s/%s/%s/%s ms\n", Millis(s.Min), Millis(s.Avg()), Millis(s.Max), Millis(s.Mdev()))
	}
	return b.String()
}

// lossPercent is C's %g, as ping prints the loss: 6 significant digits, no
// trailing zeros.
func lossPercent(v float64) string {
	return fmt.Sprintf("%.6g", v)
}

// Millis prints d in milliseconds with three decimals, as ping prints rtts.
func Millis(d time.Duration) string {
	us := (d + 500*time.Nanosecond) / time.Microsecond
	return fmt.Sprintf("%d.%03d", us/1000, us%1000)
}

// ReplyFilter is a pcap-filter expression for a live capture that keeps the
// packets that may answer the probes of s, so that the kernel drops the rest:
// inbound packets of the probe's protocol from its destination, and any
// inbound ICMP (or ICMPv6, for IPv6), which carries echo replies, errors
// from routers on the path and neighbour advertisements; for ARP, inbound
// ARP. It keeps the outbound packets of the probe's protocol to its
// destination too: the probes as they leave, whose timestamps are the
// kernel's send times. peer is the destination the replies come from, invalid when the spec
// names none. expr is "" when the spec has no network layer.
func ReplyFilter(s *spec.Spec) (expr string, peer netip.Addr) {
	if s == nil {
		return "", netip.Addr{}
	}
	for i, l := range s.Layers {
		switch l.Kind {
		case spec.ARP:
			return "inbound and arp", l.Fields["pdst"].Addr
		case spec.IPv4, spec.IPv6:
			peer = l.Fields["dst"].Addr
			dst, ext := peer, false // the first hop's address; extension headers
			icmp := "icmp"
			if l.Kind == spec.IPv6 {
				icmp = "icmp6"
			}
			var proto string
			var protoNum uint64
		transport:
			for _, next := range s.Layers[i+1:] {
				switch next.Kind {
				case spec.HopByHop, spec.DestOpts, spec.Fragment6:
					ext = true
					continue
				case spec.Routing:
					ext = true
					if a := next.Fields["addrs"].Bytes; len(a) >= 16 {
						peer = netip.AddrFrom16([16]byte(a[len(a)/16*16-16:]))
					}
					continue
				case spec.TCP:
					proto, protoNum = "tcp", mProtoTCP
				case spec.UDP:
					proto, protoNum = "udp", mProtoUDP
				case spec.ICMP, spec.ICMPv6:
					proto, protoNum = icmp, mProtoICMP // already kept whole
					if next.Kind == spec.ICMPv6 {
						protoNum = mProtoICMPv6
					}
				}
				break transport
			}
			field := "proto"
			if l.Kind == spec.IPv6 {
				field = "nh"
			}
			if f, ok := l.Fields[field]; ok && f.Num != protoNum {
				// The user's protocol number, which the kernel of the
				// peer answers by; the layer below it is only bytes then.
				proto = fmt.Sprintf("ip proto %d", f.Num)
				if l.Kind == spec.IPv6 {
					proto = fmt.Sprintf("ip6 proto %d", f.Num)
				}
			}
			var from []string
			if peer.IsValid() && !peer.IsUnspecified() && !peer.IsMulticast() && peer != netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
				from = append(from, "src host "+peer.String())
			}
			if proto != "" && proto != icmp {
				from = append(from, proto)
			}
			in := "inbound and " + icmp
			if len(from) > 0 || proto != icmp {
				if len(from) == 0 {
					from = append(from, map[string]string{"icmp": "ip", "icmp6": "ip6"}[icmp])
				}
				in = fmt.Sprintf("inbound and ((%s) or %s)", strings.Join(from, " and "), icmp)
			}
			if !dst.IsValid() || dst.IsUnspecified() {
				return in, peer
			}
			// The probes themselves as they leave: their kernel timestamps
			// are the send times (see Replies.Outgoing). The filter's
			// protocols do not look past IPv6 extension headers.
			out := "outbound and dst host " + dst.String()
			if proto != "" && !ext {
				out += " and " + proto
			}
			return fmt.Sprintf("(%s) or (%s)", in, out), peer
		}
	}
	return "", netip.Addr{}
}
