package craft

import (
	"fmt"
	"net"
	"net/netip"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// RouteTo asks the kernel for its route to dst (RTM_GETROUTE, as `ip route
// get`); nothing is sent. A non-empty iface forces the outgoing interface,
// as ping -I does: with no route through it, the kernel takes dst as on-link
// there. An IPv6 address with a zone is looked up on the zone's interface.
func RouteTo(dst netip.Addr, iface string) (Route, error) {
	if iface == "" {
		iface = dst.Zone()
	}
	var opt *netlink.RouteGetOptions
	if iface != "" {
		ifc, err := net.InterfaceByName(iface)
		if err != nil {
			return Route{}, fmt.Errorf("route to %s: no interface %s (sockscope interfaces lists them)", dst, iface)
		}
		opt = &netlink.RouteGetOptions{OifIndex: ifc.Index}
	}
	routes, err := netlink.RouteGetWithOptions(dst.WithZone("").AsSlice(), opt)
	if err != nil {
		return Route{}, fmt.Errorf("route to %s: %w", dst, err)
	}
	if len(routes) == 0 || routes[0].LinkIndex == 0 {
		return Route{}, fmt.Errorf("route to %s: the kernel has none", dst)
	}
	rt := routes[0]
	link, err := netlink.LinkByIndex(rt.LinkIndex)
	if err != nil {
		return Route{}, fmt.Errorf("route to %s: interface %d: %w", dst, rt.LinkIndex, err)
	}
	a := link.Attrs()
	r := Route{
		Dst:       dst,
		Iface:     a.Name,
		Index:     a.Index,
		MTU:       a.MTU,
		Loopback:  a.Flags&net.FlagLoopback != 0,
		Broadcast: rt.Type == unix.RTN_BROADCAST,
		Src:       addrFrom(rt.Src),
		Gateway:   addrFrom(rt.Gw),
	}
	if len(a.HardwareAddr) > 0 {
		r.MAC = a.HardwareAddr
	}
	// An IPv4 route may have an IPv6 gateway (RTA_VIA, RFC 5549).
	if via, ok := rt.Via.(*netlink.Via); ok && !r.Gateway.IsValid() {
		r.Gateway = addrFrom(via.Addr)
	}
	return r, nil
}

// addrFrom is ip as a netip.Addr, IPv4 unmapped; invalid for nil.
func addrFrom(ip net.IP) netip.Addr {
	a, ok := netip.AddrFromSlice(ip)
	if !ok {
		return netip.Addr{}
	}
	if a.Is4In6() {
		a = a.Unmap()
	}
	return a
}
