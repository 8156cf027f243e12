package craft

import "net/netip"

// sum adds b to a ones' complement running sum (RFC 1071), as 16-bit
// big-endian words, an odd last byte padded with zero.
func sum(s uint32, b []byte) uint32 {
	for len(b) >= 2 {
		s += uint32(b[0])<<8 | uint32(b[1])
		b = b[2:]
	}
	if len(b) == 1 {
		s += uint32(b[0]) << 8
	}
	return s
}

// fold finishes a running sum into the checksum to write.
func fold(s uint32) uint16 {
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	return ^uint16(s)
}

// checksum is the Internet checksum of b.
func checksum(b []byte) uint16 { return fold(sum(0, b)) }

// pseudoSum is the sum of the pseudo-header TCP, UDP and ICMPv6 checksums
// cover: RFC 793 section 3.1 for IPv4, RFC 8200 section 8.1 for IPv6.
func pseudoSum(src, dst netip.Addr, proto uint8, length int) uint32 {
	s := sum(0, src.AsSlice())
	s = sum(s, dst.AsSlice())
	s += uint32(proto)
	if src.Is4() {
		s += uint32(uint16(length))
	} else {
		s += uint32(length>>16) + uint32(uint16(length))
	}
	return s
}
