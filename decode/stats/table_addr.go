package stats

import (
	"bytes"
	"net/netip"
	"strconv"
)

// addrKind is what an endpoint's address is. It is 16 bits wide so that an
// endpoint has no padding: Go then hashes a key of endpoints as plain
// memory, the fast way.
type addrKind uint16

const (
	kindMAC addrKind = iota + 1
	kindIPv4
	kindIPv6
)

// An endpoint is one end of a conversation: an address and, for TCP and
// UDP, a port. It is a fixed-size value, so a map keyed by endpoints (or
// pairs of them) finds a known one without allocating.
type endpoint struct {
	addr [16]byte // the address's bytes, left-aligned
	kind addrKind
	port uint16
}

// addrLen is the length of an address of kind k.
func (k addrKind) addrLen() int {
	switch k {
	case kindMAC:
		return 6
	case kindIPv4:
		return 4
	}
	return 16
}

// setAddr makes a, an address of kind k, the endpoint's address; ok is
// false when a is not as long as such an address (its bytes were not all
// captured).
func (e *endpoint) setAddr(k addrKind, a []byte) (ok bool) {
	if len(a) != k.addrLen() {
		return false
	}
	e.addr = [16]byte{}
	copy(e.addr[:], a)
	e.kind = k
	return true
}

// compare orders endpoints by kind, address, then port: a fixed order to
// name a pair the same way whichever end sent the packet.
func (e *endpoint) compare(o *endpoint) int {
	if e.kind != o.kind {
		return int(e.kind) - int(o.kind)
	}
	if c := bytes.Compare(e.addr[:], o.addr[:]); c != 0 {
		return c
	}
	return int(e.port) - int(o.port)
}

// appendAddr appends the address as tshark writes it with -n:
// 02:99:00:00:00:01, 10.0.0.1, fd00::1.
func (e *endpoint) appendAddr(b []byte) []byte {
	switch e.kind {
	case kindMAC:
		const hex = "0123456789abcdef"
		for i, c := range e.addr[:6] {
			if i > 0 {
				b = append(b, ':')
			}
			b = append(b, hex[c>>4], hex[c&15])
		}
		return b
	case kindIPv4:
		return netip.AddrFrom4([4]byte(e.addr[:4])).AppendTo(b)
	default:
		return appendIPv6(b, e.addr)
	}
}

// appendIPv6 appends a as RFC 5952 writes it (netip's form), but for an
// IPv4-compatible address (96 zero bits, then an IPv4 address whose first
// half is not zero), which tshark writes as ::10.0.0.1, not ::a00:1.
func appendIPv6(b []byte, a [16]byte) []byte {
	if [12]byte(a[:12]) == [12]byte{} && (a[12] != 0 || a[13] != 0) {
		b = append(b, "::"...)
		return netip.AddrFrom4([4]byte(a[12:])).AppendTo(b)
	}
	return netip.AddrFrom16(a).AppendTo(b)
}

// appendAddrPort appends the address and the port, as the TCP and UDP
// conversation tables write an end: 10.0.0.1:80, fd00::1:80.
func (e *endpoint) appendAddrPort(b []byte) []byte {
	b = e.appendAddr(b)
	b = append(b, ':')
	return strconv.AppendUint(b, uint64(e.port), 10)
}
