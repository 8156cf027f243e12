//go:build !linux

package craft

import (
	"errors"
	"net"
	"net/netip"
	"time"
)

// NeighborMAC is the MAC of a neighbour; only Linux's neighbour table is read.
func NeighborMAC(iface string, ip netip.Addr, timeout time.Duration) (net.HardwareAddr, error) {
	return nil, errors.New("neighbour " + ip.String() + ": neighbours are read from Linux's neighbour table only")
}
