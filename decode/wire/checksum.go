package wire

import (
	"encoding/binary"
)

// Sum adds b to the ones' complement running sum s (RFC 1071): b's 16-bit
// big-endian words, an odd last byte padded with zero. It adds 32-bit words
// in 64 bits and folds at the end, which is the same sum modulo 0xffff, so
// a jumbogram cannot overflow it; the result stays below 2^17, so a few
// more words may be added to it directly before Fold.
func Sum(s uint32, b []byte) uint32 {
	acc := uint64(s)
	for len(b) >= 8 {
		v := binary.BigEndian.Uint64(b)
		acc += v>>32 + v&0xffffffff
		b = b[8:]
	}
	for len(b) >= 2 {
		acc += uint64(binary.BigEndian.Uint16(b))
		b = b[2:]
	}
	if len(b) == 1 {
		acc += uint64(b[0]) << 8
	}
	for acc>>32 != 0 {
		acc = acc&0xffffffff + acc>>32
	}
	return uint32(acc>>16) + uint32(acc&0xffff)
}

// Fold finishes a running sum into the checksum a header carries: folded to
// 16 bits and complemented.
func Fold(s uint32) uint16 {
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	return ^uint16(s)
}

// Checksum is the Internet checksum of b. Over a header whose checksum field
// holds its checksum, it is 0.
func Checksum(b []byte) uint16 { return Fold(Sum(0, b)) }

// PseudoHeaderSum is the running sum of the pseudo-header that the TCP, UDP
// and ICMPv6 checksums cover: source and destination address (4 or 16 bytes
// each), protocol and upper-layer length (RFC 768, RFC 793 section 3.1,
// RFC 8200 section 8.1). dst is the final destination (see IPv4FinalDst,
// IPv6RoutingFinalDst).
func PseudoHeaderSum(src, dst []byte, proto uint8, length int) uint32 {
	n := uint32(length)
	return Sum(Sum(0, src), dst) + n>>16 + n&0xffff + uint32(proto)
}

// UpdateChecksum returns checksum c once the bytes old (an even number) have
// become now, without the rest of what it covers: RFC 1624 equation 3,
// HC' = ~(~HC + ~m + m').
func UpdateChecksum(c uint16, old, now []byte) uint16 {
	s := uint32(^c)
	for i := 0; i+1 < len(old) && i+1 < len(now); i += 2 {
		s += uint32(^binary.BigEndian.Uint16(old[i:])) + uint32(binary.BigEndian.Uint16(now[i:]))
	}
	return Fold(s)
}
