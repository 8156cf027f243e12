package craft

import (
	"fmt"
	"net"
	"net/netip"
	"time"
)

// Route is the kernel's route to one destination, as `ip route get` shows
// it: the interface a packet to Dst leaves by, the source address the kernel
// would give it, and the gateway it is handed to when Dst is not on-link.
type Route struct {
	Dst       netip.Addr
	Iface     string           // the outgoing interface's name
	Index     int              // and its index
	MAC       net.HardwareAddr // its link-layer address (nil when it has none, as a tun)
	MTU       int
	Loopback  bool       // the interface is a loopback: frames on it need no MACs
	Broadcast bool       // Dst is a broadcast address of the interface's subnet
	Src       netip.Addr // the preferred source address (invalid when the kernel gave none)
	Gateway   netip.Addr // invalid when Dst is on-link
}

// NextHop is the address whose MAC a frame to r.Dst is sent to: the
// gateway's, or Dst's own when it is on-link.
func (r Route) NextHop() netip.Addr {
	if r.Gateway.IsValid() {
		return r.Gateway
	}
	return r.Dst
}

// HopFinder finds what an Ethernet frame to a destination needs from the
// host when the spec sets neither ether src nor dst: the route, whose
// interface MAC is the frame's source, and the MAC of its next hop, the
// frame's destination.
type HopFinder interface {
	Route(dst netip.Addr) (Route, error)
	NextMAC(r Route) (net.HardwareAddr, error)
}

// KernelHops is the HopFinder of a real send: the kernel's routing table for
// the interface and the neighbour table for the next hop's MAC, resolved
// with ARP or neighbour discovery out of that interface when it is missing.
// It is a SourceFinder too, one that follows -i.
type KernelHops struct {
	// Iface, when set (-i), is the interface frames leave by, whatever the
	// routing table prefers.
	Iface string
	// Timeout is how long to wait for an ARP reply or neighbour
	// advertisement. 0 looks in the neighbour table only and sends
	// nothing: what a dry run wants.
	Timeout time.Duration
}

// Route is the kernel's route to dst, out of k.Iface when it is set.
func (k KernelHops) Route(dst netip.Addr) (Route, error) {
	return RouteTo(dst, k.Iface)
}

// NextMAC is the MAC of r's next hop: the neighbour table's, or the
// answer to ARP or neighbour discovery on r's interface. A loopback route
// needs none (00:00:00:00:00:00), a broadcast one has ff:ff:ff:ff:ff:ff.
func (k KernelHops) NextMAC(r Route) (net.HardwareAddr, error) {
	switch {
	case r.Loopback:
		return make(net.HardwareAddr, 6), nil
	case r.Broadcast:
		return broadcastMAC, nil
	}
	return NeighborMAC(r.Iface, r.NextHop(), k.Timeout)
}

// Source is the routing table's preferred source address toward dst, out of
// k.Iface when it is set.
func (k KernelHops) Source(dst netip.Addr) (netip.Addr, error) {
	r, err := RouteTo(dst, k.Iface)
	if err != nil {
		return netip.Addr{}, err
	}
	if !r.Src.IsValid() {
		return netip.Addr{}, fmt.Errorf("route to %s: no source address on %s", dst, r.Iface)
	}
	return r.Src, nil
}
