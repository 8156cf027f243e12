package wire

import "encoding/binary"

// IP protocol numbers (IANA) that the walks know.
const (
	ProtoHopByHop uint8 = 0
	ProtoICMP     uint8 = 1
	ProtoTCP      uint8 = 6
	ProtoUDP      uint8 = 17
	ProtoRouting  uint8 = 43
	ProtoFragment uint8 = 44
	ProtoAH       uint8 = 51
	ProtoICMPv6   uint8 = 58
	ProtoDestOpts uint8 = 60
	ProtoSCTP     uint8 = 132
)

// IPv4FinalDst is where an IPv4 datagram goes in the end, the destination
// its upper layer's pseudo-header holds: the last address of a loose or
// strict source route option (RFC 791 section 3.1; RFC 1122 section
// 4.1.3.6... the route's end is the destination), else the destination
// address. hdr is the packet from its first byte, maybe cut short; nil when
// it does not hold the address.
func IPv4FinalDst(hdr []byte) []byte {
	if len(hdr) < 20 {
		return nil
	}
	end := min(int(hdr[0]&0xf)*4, len(hdr))
	for i := 20; i < end; {
		typ := hdr[i]
		if typ == 0 { // end of options
			break
		}
		if typ == 1 { // no operation
			i++
			continue
		}
		if i+1 >= end {
			break
		}
		n := int(hdr[i+1])
		if n < 2 || i+n > end {
			break
		}
		if (typ == 131 || typ == 137) && n >= 7 { // loose, strict source route
			last := (n - 3) / 4
			return hdr[i+3+(last-1)*4 : i+3+last*4]
		}
		i += n
	}
	return hdr[16:20]
}

// IsIPv6Extension reports whether an IPv6 next-header value is an extension
// header that IPv6ExtLen can step over: hop-by-hop options, routing,
// fragment, authentication (RFC 4302) and destination options.
func IsIPv6Extension(nh uint8) bool {
	switch nh {
	case ProtoHopByHop, ProtoRouting, ProtoFragment, ProtoAH, ProtoDestOpts:
		return true
	}
	return false
}

// IPv6ExtLen is the length of the extension header nh at the start of b,
// from its length field (RFC 8200 section 4; AH's is in 4-byte units,
// RFC 4302), and its next header; ok is false when b is shorter than
// the header's 8 bytes or the length it gives.
func IPv6ExtLen(nh uint8, b []byte) (n int, next uint8, ok bool) {
	if len(b) < 8 {
		return 0, 0, false
	}
	switch nh {
	case ProtoFragment:
		n = 8
	case ProtoAH:
		n = (int(b[1]) + 2) * 4
	default:
		n = (int(b[1]) + 1) * 8
	}
	if len(b) < n {
		return 0, 0, false
	}
	return n, b[0], true
}

// IPv6RoutingFinalDst is the final destination a routing header lists: the
// last address of a type 0 or type 2 header (RFC 8200 section 4.4, RFC 6275
// section 6.4), Segment List[0] of a segment routing header (RFC 8754); nil
// for another type or when rh, the header from its first byte, does not hold
// the address. Whether the packet is still on its way to it is Segments
// Left's to say (rh[3] > 0).
func IPv6RoutingFinalDst(rh []byte) []byte {
	if at := routingFinalDst(rh); at >= 0 {
		return rh[at : at+16]
	}
	return nil
}

// routingFinalDst is where IPv6RoutingFinalDst's address starts in rh, or -1.
func routingFinalDst(rh []byte) int {
	if len(rh) < 8 {
		return -1
	}
	at := -1
	switch rh[2] {
	case 0, 2:
		if n := int(rh[1]) / 2; n > 0 {
			at = 8 + 16*(n-1)
		}
	case 4:
		if rh[1] >= 2 {
			at = 8
		}
	}
	if at < 0 || at+16 > len(rh) {
		return -1
	}
	return at
}

// IPv6Upper is where WalkIPv6 found the upper-layer header of an IPv6
// packet.
type IPv6Upper struct {
	Proto uint8 // the last next-header value reached
	Off   int   // where the upper-layer header starts; -1 when the walk did not reach it
	First bool  // the packet holds the datagram's start: not a fragment after the first
	Whole bool  // the packet is not a fragment (an atomic fragment is whole)
	// Dst is where the pseudo-header's destination is: the destination
	// address (24), or a routing header's final destination while segments
	// are left; -1 when the packet does not hold that address.
	Dst int
}

// WalkIPv6 steps over the extension headers of the IPv6 packet p (at least
// its 40-byte header, maybe cut short after it) to its upper-layer header.
func WalkIPv6(p []byte) IPv6Upper {
	u := IPv6Upper{Off: -1, First: true, Whole: true, Dst: 24}
	if len(p) < 40 {
		return u
	}
	nh, off := p[6], 40
	for {
		if !IsIPv6Extension(nh) {
			u.Proto, u.Off = nh, off
			return u
		}
		n, next, ok := IPv6ExtLen(nh, p[off:])
		if !ok {
			u.Proto = nh
			return u
		}
		switch nh {
		case ProtoFragment:
			fragOff, more := binary.BigEndian.Uint16(p[off+2:])&^7, p[off+3]&1
			if fragOff != 0 || more != 0 {
				u.Whole = false
			}
			if fragOff != 0 {
				u.First = false
				u.Proto = next
				return u
			}
		case ProtoRouting:
			if p[off+3] > 0 { // segments left
				u.Dst = -1
				if at := routingFinalDst(p[off : off+n]); at >= 0 {
					u.Dst = off + at
				}
			}
		}
		nh, off = next, off+n
	}
}
