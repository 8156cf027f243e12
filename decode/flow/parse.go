package flow

import (
	"encoding/binary"
	"net/netip"

	"github.com/sockscope/sockscope/decode/wire"
)

// segment is what a packet tells about its conversation: the transport
// header fields a table needs and the payload, a slice of the packet.
type segment struct {
	proto    Proto
	src, dst netip.AddrPort
	seq      uint32
	ack      uint32 // TCP: the acknowledgment number, with flagACK
	flags    uint8  // TCP flags byte
	payload  []byte
	missing  int // payload bytes the IP header counts but the capture cut off
}

// TCP flag bits (RFC 9293 section 3.1).
const (
	flagFIN = 0x01
	flagSYN = 0x02
	flagRST = 0x04
	flagACK = 0x10
)

// parser reads packets down to their TCP or UDP segment. It keeps the IP
// fragments of datagrams not yet whole.
type parser struct {
	fragments fragments
}

// parse finds the TCP or UDP segment in a packet of the given link type.
// It reports false for anything else: another protocol, a fragment other
// than the first, a fragment of a
// datagram not yet whole, or bytes too short for the headers they claim.
func (p *parser) parse(link wire.LinkType, b []byte, s *segment) bool {
	off, typ, ok := wire.Network(link, b)
	if !ok || typ != wire.EtherTypeIPv4 && typ != wire.EtherTypeIPv6 {
		return false
	}
	return p.parseIP(b[off:], s)
}

// parseIP parses an IPv4 or IPv6 packet by its version nibble.
func (p *parser) parseIP(b []byte, s *segment) bool {
	if len(b) < 1 {
		return false
	}
	switch b[0] >> 4 {
	case 4:
		return p.parseIPv4(b, s)
	case 6:
		return p.parseIPv6(b, s)
	}
	return false
}

func (p *parser) parseIPv4(b []byte, s *segment) bool {
	if len(b) < 20 {
		return false
	}
	hl := int(b[0]&0x0f) * 4
	total := int(binary.BigEndian.Uint16(b[2:]))
	if hl < 20 || total < hl || len(b) < hl {
		return false
	}
	src := netip.AddrFrom4([4]byte(b[12:16]))
	dst := netip.AddrFrom4([4]byte(b[16:20]))
	body, missing := clip(b[hl:], total-hl)
	if frag := binary.BigEndian.Uint16(b[6:]); frag&0x3fff != 0 {
		// A fragment (RFC 791): the datagram is read when its last piece
		// arrives, and that packet is the one counted, as tshark does.
		k := fragKey{src: src, dst: dst, id: uint32(binary.BigEndian.Uint16(b[4:])), proto: b[9]}
		whole, ok := p.fragments.add(k, int(frag&0x1fff)*8, frag&0x2000 != 0, body, missing)
		if !ok {
			return false
		}
		body, missing = whole, 0
	}
	return parseTransport(b[9], src, dst, body, missing, s)
}

// clip trims what follows a header to the length the header gives (an
// Ethernet frame may be padded) and says how much of it the capture lacks.
func clip(b []byte, n int) ([]byte, int) {
	if n <= len(b) {
		return b[:n], 0
	}
	return b, n - len(b)
}

func (p *parser) parseIPv6(b []byte, s *segment) bool {
	if len(b) < 40 {
		return false
	}
	src := netip.AddrFrom16([16]byte(b[8:24]))
	dst := netip.AddrFrom16([16]byte(b[24:40]))
	body, missing := clip(b[40:], int(binary.BigEndian.Uint16(b[4:])))
	next := b[6]
	// Extension headers (RFC 8200 section 4), up to the transport header.
	for range 16 {
		if !wire.IsIPv6Extension(next) {
			return parseTransport(next, src, dst, body, missing, s)
		}
		n, nh, ok := wire.IPv6ExtLen(next, body)
		if !ok {
			return false
		}
		if next != wire.ProtoFragment {
			next, body = nh, body[n:]
			continue
		}
		// A fragment (RFC 8200 section 4.5).
		field := binary.BigEndian.Uint16(body[2:])
		k := fragKey{v6: true, src: src, dst: dst, id: binary.BigEndian.Uint32(body[4:])}
		whole, ok := p.fragments.add(k, int(field&0xfff8), field&1 != 0, body[8:], missing)
		if !ok {
			return false
		}
		next, body, missing = nh, whole, 0
	}
	return false
}

func parseTransport(proto byte, src, dst netip.Addr, b []byte, missing int, s *segment) bool {
	switch proto {
	case wire.ProtoTCP:
		if len(b) < 20 {
			return false
		}
		off := int(b[12]>>4) * 4
		if off < 20 || len(b) < off {
			return false
		}
		*s = segment{
			proto:   TCP,
			src:     netip.AddrPortFrom(src, binary.BigEndian.Uint16(b[0:])),
			dst:     netip.AddrPortFrom(dst, binary.BigEndian.Uint16(b[2:])),
			seq:     binary.BigEndian.Uint32(b[4:]),
			flags:   b[13],
			payload: b[off:],
			missing: missing,
		}
		return true
	case wire.ProtoUDP:
		if len(b) < 8 {
			return false
		}
		n := int(binary.BigEndian.Uint16(b[4:]))
		if n < 8 {
			// 0 is a UDP jumbogram's length (RFC 2675); trust IP's.
			n = len(b) + missing
		}
		payload, missing := clip(b[8:], n-8)
		*s = segment{
			proto:   UDP,
			src:     netip.AddrPortFrom(src, binary.BigEndian.Uint16(b[0:])),
			dst:     netip.AddrPortFrom(dst, binary.BigEndian.Uint16(b[2:])),
			payload: payload,
			missing: missing,
		}
		return true
	}
	return false
}
