package replay

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"strings"

	"github.com/sockscope/sockscope/decode/wire"
)

// IPv6 extension headers walked to find the upper-layer header (RFC 8200
// section 4; AH is RFC 4302).
const (
	extHopByHop = 0
	extRouting  = 43
	extFragment = 44
	extAH       = 51
	extDestOpts = 60
)

// AddrMap maps addresses in Old to New, keeping the host bits (tcprewrite's
// --srcipmap/--dstipmap). Old and New are of one family and one length.
type AddrMap struct{ Old, New netip.Prefix }

// String gives the map in the form ParseAddrMap reads.
func (m AddrMap) String() string {
	return prefixString(m.Old) + ":" + prefixString(m.New)
}

func prefixString(p netip.Prefix) string {
	s := p.Addr().String()
	if p.Bits() != p.Addr().BitLen() {
		s += "/" + fmt.Sprint(p.Bits())
	}
	if p.Addr().Is6() {
		s = "[" + s + "]"
	}
	return s
}

// addrMapForms ends every ParseAddrMap error: the forms it accepts.
const addrMapForms = "want OLD:NEW such as 10.0.0.1:10.9.9.9, 10.0.0.0/8:192.168.0.0/16, " +
	"[2001:db8::1]:[fd00::1] or [2001:db8::/32]:[fd00::/32]"

// ParseAddrMap parses the user's OLD:NEW: "10.0.0.1:10.9.9.9",
// "10.0.0.0/8:192.168.0.0/16", "[2001:db8::1]:[fd00::1]",
// "[2001:db8::/32]:[fd00::/32]" (IPv6 in brackets). Both sides are of the
// same family; a single address is a full length prefix. Host bits written
// in a prefix are dropped. The lengths may differ, as in tcprewrite: an
// address OLD holds gets NEW's network bits and keeps its own host bits
// past NEW's length (10.0.0.0/8:192.168.0.0/16 maps 10.99.0.1 to
// 192.168.0.1).
func ParseAddrMap(s string) (AddrMap, error) {
	s = strings.TrimSpace(s)
	bad := func(why string) (AddrMap, error) {
		return AddrMap{}, fmt.Errorf("address map %q: %s; %s", s, why, addrMapForms)
	}
	oldText, newText, why := splitAddrMap(s)
	if why != "" {
		return bad(why)
	}
	oldP, why := parseMapSide(oldText)
	if why != "" {
		return bad(why)
	}
	newP, why := parseMapSide(newText)
	if why != "" {
		return bad(why)
	}
	if oldP.Addr().Is4() != newP.Addr().Is4() {
		return bad(fmt.Sprintf("%s is %s and %s is %s: both sides must be one family",
			oldText, family(oldP), newText, family(newP)))
	}
	return AddrMap{Old: oldP, New: newP}, nil
}

func family(p netip.Prefix) string {
	if p.Addr().Is4() {
		return "IPv4"
	}
	return "IPv6"
}

// splitAddrMap cuts OLD:NEW at the colon between them, taking IPv6 sides out
// of their brackets; why says what is wrong when it cannot.
func splitAddrMap(s string) (oldText, newText, why string) {
	if s == "" {
		return "", "", "empty"
	}
	var rest string
	if s[0] == '[' {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return "", "", "no ] closes the [ of OLD"
		}
		oldText, rest = s[1:end], s[end+1:]
		if !strings.HasPrefix(rest, ":") {
			return "", "", "a : must follow the ] of OLD"
		}
		rest = rest[1:]
	} else {
		i := strings.IndexByte(s, ':')
		if i < 0 {
			return "", "", "no : between OLD and NEW"
		}
		oldText, rest = s[:i], s[i+1:]
		if strings.IndexByte(rest, '[') < 0 && strings.IndexByte(rest, ':') >= 0 {
			return "", "", "IPv6 addresses go in brackets"
		}
	}
	if strings.HasPrefix(rest, "[") {
		if !strings.HasSuffix(rest, "]") || strings.Count(rest, "]") != 1 {
			return "", "", "NEW starts with [ but does not end with the only ]"
		}
		return oldText, rest[1 : len(rest)-1], ""
	}
	if strings.IndexByte(rest, ':') >= 0 {
		return "", "", "IPv6 addresses go in brackets"
	}
	return oldText, rest, ""
}

// parseMapSide reads one side of a map: an address or a prefix.
func parseMapSide(text string) (netip.Prefix, string) {
	if text == "" {
		return netip.Prefix{}, "an address is missing"
	}
	if strings.IndexByte(text, '/') >= 0 {
		p, err := netip.ParsePrefix(text)
		if err != nil {
			return netip.Prefix{}, fmt.Sprintf("%q is not an address/length prefix", text)
		}
		return p.Masked(), ""
	}
	a, err := netip.ParseAddr(text)
	if err != nil {
		return netip.Prefix{}, fmt.Sprintf("%q is not an IP address", text)
	}
	if a.Zone() != "" {
		return netip.Prefix{}, fmt.Sprintf("%q has a zone, which a packet cannot carry", text)
	}
	return netip.PrefixFrom(a, a.BitLen()), ""
}

// mapAddr rewrites the address in b (4 or 16 bytes) by the first map whose
// Old holds it, keeping its host bits, and reports whether b changed.
func mapAddr(maps []AddrMap, b []byte) bool {
	var a netip.Addr
	switch len(b) {
	case 4:
		a = netip.AddrFrom4([4]byte(b))
	case 16:
		a = netip.AddrFrom16([16]byte(b))
	default:
		return false
	}
	for i := range maps {
		m := &maps[i]
		if !m.Old.Contains(a) {
			continue
		}
		if m.New.Addr().BitLen() != len(b)*8 || m.New.Bits() < 0 {
			return false // a map built by hand across families: leave it
		}
		nb := m.New.Addr().As16()
		n := nb[:]
		if len(b) == 4 {
			n = nb[12:]
		}
		changed := false
		for j, bits := 0, m.New.Bits(); j < len(b) && bits > 0; j, bits = j+1, bits-8 {
			mask := byte(0xff)
			if bits < 8 {
				mask <<= 8 - bits
			}
			if v := b[j]&^mask | n[j]&mask; v != b[j] {
				b[j] = v
				changed = true
			}
		}
		return changed
	}
	return false
}

// Rewrite says how to change the frames of a capture before they are sent
// again, like tcprewrite. The zero value changes nothing.
//
// IP maps apply to the outer IP header only: not to addresses quoted in ICMP
// errors or carried in tunnels, and not to those inside ARP, which
// tcprewrite's --srcipmap and --dstipmap leave alone too (only its --pnat
// and --endpoints rewrite ARP).
type Rewrite struct {
	SrcMAC, DstMAC net.HardwareAddr // nil: keep; 6 bytes, Ethernet frames only
	SrcIP, DstIP   []AddrMap        // first match wins
	FixChecksums   bool             // --fixcsum: recompute IPv4 header, TCP, UDP, ICMP, ICMPv6 checksums
}

// Empty reports whether r changes nothing, so a caller can skip Apply.
func (r *Rewrite) Empty() bool {
	return r == nil || r.SrcMAC == nil && r.DstMAC == nil &&
		len(r.SrcIP) == 0 && len(r.DstIP) == 0 && !r.FixChecksums
}

// Apply rewrites frame (link type linkType, a pcap LINKTYPE number) in place.
// wireLen is the original length (frame may be truncated by a snap length).
// It reports whether it changed anything.
//
// Link types: Ethernet (1) with any stack of 802.1Q/802.1ad tags, Linux
// cooked SLL (113) and SLL2 (276), raw IP (12, 101, 228, 229); others are
// left alone. MACs are rewritten on Ethernet only. After an address change the
// IPv4 header checksum and the TCP, UDP and ICMPv6 checksums (whose
// pseudo-header holds the addresses) are updated incrementally (RFC 1624),
// which needs only the checksum field in the frame, not the whole packet; a
// UDP checksum of 0 (none) stays 0, and fragments after the first, which
// carry no upper-layer header, are left alone. With FixChecksums they are
// recomputed from scratch where the whole packet is in the frame: the IPv4
// header always, TCP, UDP, ICMP and ICMPv6 where the packet is not a
// fragment. Over IPv4 a UDP checksum of 0 stays 0 even then, as tcprewrite
// keeps it; over IPv6, where 0 is not allowed (RFC 8200 section 8.1), it is
// computed.
func (r *Rewrite) Apply(linkType wire.LinkType, frame []byte, wireLen int) bool {
	if r == nil {
		return false
	}
	// BSD loopback frames are left alone, and netlink messages in cooked
	// frames carry no IP.
	off, typ, ok := wire.Network(linkType, frame)
	if !ok || linkType == wire.LinkNull || linkType == wire.LinkLoop {
		return false
	}
	changed := false
	if linkType == wire.LinkEthernet {
		changed = setMAC(frame[0:6], r.DstMAC)
		changed = setMAC(frame[6:12], r.SrcMAC) || changed
	}
	// The length of the IP packet on the wire, when the frame holds all of
	// it: the only clue to an IPv4 total length of 0 (TSO, BIG TCP).
	onWire := -1
	if wireLen == len(frame) {
		onWire = wireLen - off
	}
	switch typ {
	case wire.EtherTypeIPv4:
		changed = r.ipv4(frame[off:], onWire) || changed
	case wire.EtherTypeIPv6:
		changed = r.ipv6(frame[off:]) || changed
	}
	return changed
}

// setMAC puts mac into b when it is an Ethernet address, reporting a change.
func setMAC(b []byte, mac net.HardwareAddr) bool {
	if len(mac) != 6 || string(b) == string(mac) {
		return false
	}
	copy(b, mac)
	return true
}

// ipv4 rewrites the IPv4 packet p (maybe truncated). wire is its length on
// the wire when p is all of it, otherwise -1.
func (r *Rewrite) ipv4(p []byte, onWire int) bool {
	if len(p) < 20 || p[0]>>4 != 4 {
		return false
	}
	hl := int(p[0]&0x0f) * 4
	total := int(be16(p[2:]))
	if total == 0 && onWire >= 20 {
		total = onWire
	}
	// end is where the IP packet ends in p, or -1 when its header is
	// nonsense and nothing past it can be trusted.
	end := -1
	if hl >= 20 && total >= hl {
		end = min(total, len(p))
	}
	flags := be16(p[6:])
	offset := flags & 0x1fff
	fragment := flags&0x2000 != 0 || offset != 0 // MF or an offset
	proto := p[9]

	// Where the upper-layer checksum covering the addresses is, if any.
	at := -1
	if offset == 0 && end >= 0 {
		switch proto {
		case wire.ProtoTCP:
			at = hl + 16
		case wire.ProtoUDP:
			at = hl + 6
		}
		if at+2 > end {
			at = -1
		}
	}

	changed := false
	var old [4]byte
	for _, f := range [2]struct {
		at   int
		maps []AddrMap
	}{{12, r.SrcIP}, {16, r.DstIP}} {
		if len(f.maps) == 0 {
			continue
		}
		addr := p[f.at : f.at+4]
		copy(old[:], addr)
		if !mapAddr(f.maps, addr) {
			continue
		}
		changed = true
		put16(p[10:], wire.UpdateChecksum(be16(p[10:]), old[:], addr))
		if at >= 0 {
			updateL4(p[at:], proto, old[:], addr)
		}
	}

	if !r.FixChecksums || hl < 20 || hl > len(p) {
		return changed
	}
	changed = setCsum(p[10:], wire.Fold(wire.Sum(0, p[:10])+wire.Sum(0, p[12:hl]))) || changed
	if fragment || end < 0 || total > len(p) {
		return changed
	}
	l4 := p[hl:total]
	var ps uint32
	if proto != wire.ProtoICMP {
		ps = wire.Sum(wire.Sum(0, p[12:16]), p[16:20])
	}
	return fixL4(l4, proto, ps, false) || changed
}

// ipv6 rewrites the IPv6 packet p (maybe truncated).
func (r *Rewrite) ipv6(p []byte) bool {
	if len(p) < 40 || p[0]>>4 != 6 {
		return false
	}
	plen := int(be16(p[4:]))
	end := len(p)
	if plen != 0 {
		end = min(end, 40+plen)
	}
	loc := wire.WalkIPv6(p[:end])
	at := -1
	if loc.First && loc.Off >= 0 {
		switch loc.Proto {
		case wire.ProtoTCP:
			at = loc.Off + 16
		case wire.ProtoUDP:
			at = loc.Off + 6
		case wire.ProtoICMPv6:
			at = loc.Off + 2
		}
		if at+2 > end {
			at = -1
		}
	}

	changed := false
	var old [16]byte
	for _, f := range [2]struct {
		at   int
		maps []AddrMap
	}{{8, r.SrcIP}, {24, r.DstIP}} {
		if len(f.maps) == 0 {
			continue
		}
		addr := p[f.at : f.at+16]
		copy(old[:], addr)
		if !mapAddr(f.maps, addr) {
			continue
		}
		changed = true
		// With a routing header still to be followed, the pseudo-header
		// holds the final destination, not this one (RFC 8200 section 8.1).
		if at >= 0 && (f.at == 8 || loc.Dst == 24) {
			updateL4(p[at:], loc.Proto, old[:], addr)
		}
	}

	if !r.FixChecksums || !loc.Whole || loc.Off < 0 || loc.Dst < 0 || plen == 0 || 40+plen > len(p) {
		return changed
	}
	ps := wire.Sum(wire.Sum(0, p[8:24]), p[loc.Dst:loc.Dst+16])
	return fixL4(p[loc.Off:40+plen], loc.Proto, ps, true) || changed
}

// updateL4 updates the upper-layer checksum at the start of c after an
// address in its pseudo-header went from old to now. A UDP checksum of 0
// means none was computed (RFC 768) and stays 0; one that comes out 0 is sent
// as all ones.
func updateL4(c []byte, proto uint8, old, now []byte) {
	v := be16(c)
	if proto == wire.ProtoUDP && v == 0 {
		return
	}
	v = wire.UpdateChecksum(v, old, now)
	if proto == wire.ProtoUDP && v == 0 {
		v = 0xffff
	}
	put16(c, v)
}

// fixL4 recomputes the checksum of the whole upper-layer packet l4 given the
// sum of its pseudo-header addresses, reporting a change. Over IPv4 a UDP
// checksum of 0 (none) stays 0.
func fixL4(l4 []byte, proto uint8, addrSum uint32, ip6 bool) bool {
	at, hdr := 0, 0
	switch proto {
	case wire.ProtoTCP:
		at, hdr = 16, 20
	case wire.ProtoUDP:
		at, hdr = 6, 8
		if len(l4) < 8 {
			return false
		}
		// The UDP length, not the IP one, bounds the datagram (RFC 768).
		n := int(be16(l4[4:]))
		if n < 8 || n > len(l4) || !ip6 && be16(l4[6:]) == 0 {
			return false
		}
		l4 = l4[:n]
	case wire.ProtoICMP:
		if ip6 {
			return false
		}
		at, hdr = 2, 4
	case wire.ProtoICMPv6:
		if !ip6 {
			return false
		}
		at, hdr = 2, 4
	default:
		return false
	}
	if len(l4) < hdr {
		return false
	}
	s := wire.Sum(0, l4[:at]) + wire.Sum(0, l4[at+2:])
	if proto != wire.ProtoICMP {
		s += addrSum + uint32(proto) + uint32(len(l4)>>16) + uint32(len(l4)&0xffff)
	}
	c := wire.Fold(s)
	if proto == wire.ProtoUDP && c == 0 {
		c = 0xffff
	}
	return setCsum(l4[at:], c)
}

// setCsum writes checksum c at b, reporting whether it differed.
func setCsum(b []byte, c uint16) bool {
	if be16(b) == c {
		return false
	}
	put16(b, c)
	return true
}

func be16(b []byte) uint16 { return binary.BigEndian.Uint16(b) }

func put16(b []byte, v uint16) { binary.BigEndian.PutUint16(b, v) }
