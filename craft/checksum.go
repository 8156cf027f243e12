package craft

import (
	"net/netip"

	"github.com/sockscope/sockscope/decode/wire"
)

// pseudoSum is the sum of the pseudo-header TCP, UDP and ICMPv6 checksums
// cover: RFC 793 section 3.1 for IPv4, whose length field is 16 bits (a
// length the user made larger is cut to them), RFC 8200 section 8.1 for
// IPv6.
func pseudoSum(src, dst netip.Addr, proto uint8, length int) uint32 {
	if src.Is4() {
		length = int(uint16(length))
	}
	return wire.PseudoHeaderSum(src.AsSlice(), dst.AsSlice(), proto, length)
}
