package craft

import (
	"net"
	"net/netip"
)

// SourceFinder chooses the source address for packets to dst when the spec
// sets none.
type SourceFinder interface {
	Source(dst netip.Addr) (netip.Addr, error)
}

// KernelSource asks the kernel which local address it would send from: it
// connects a UDP socket to dst (port 9, discard), which consults the routing
// table and sends nothing, and reads the socket's local address.
type KernelSource struct{}

// Source returns the kernel's choice of local address for dst.
func (KernelSource) Source(dst netip.Addr) (netip.Addr, error) {
	c, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(netip.AddrPortFrom(dst, 9)))
	if err != nil {
		return netip.Addr{}, err
	}
	defer c.Close()
	a := c.LocalAddr().(*net.UDPAddr).AddrPort().Addr()
	if dst.Is4() {
		a = a.Unmap()
	}
	return a, nil
}

// FixedSource is a SourceFinder that always answers the same addresses, for
// tests and for a user who names the source once.
type FixedSource struct{ V4, V6 netip.Addr }

// Source returns V4 or V6, whichever family dst is.
func (f FixedSource) Source(dst netip.Addr) (netip.Addr, error) {
	if dst.Is4() {
		return f.V4, nil
	}
	return f.V6, nil
}
