//go:build !linux

package craft

import (
	"errors"
	"net/netip"
)

// RouteTo asks the kernel for its route to dst; only Linux is asked.
func RouteTo(dst netip.Addr, iface string) (Route, error) {
	return Route{}, errors.New("route to " + dst.String() + ": routes are read from Linux's routing table only")
}
