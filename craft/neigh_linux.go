package craft

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"time"

	"github.com/vishvananda/netlink"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// usableNeighbor are the neighbour states (linux/neighbour.h) whose MAC can
// be used as it is; INCOMPLETE and FAILED have none worth trusting.
const usableNeighbor = netlink.NUD_REACHABLE | netlink.NUD_STALE | netlink.NUD_DELAY |
	netlink.NUD_PROBE | netlink.NUD_PERMANENT | netlink.NUD_NOARP

// resend is how often an unanswered question is asked again, as arping does.
const resend = time.Second

// NeighborMAC is the MAC of ip, a neighbour on interface iface: from the
// kernel's neighbour table (RTM_GETNEIGH) when it has a usable entry, else
// asked on the link, an ARP request for IPv4 or a neighbour solicitation to
// ip's solicited-node group for IPv6, sent out of iface only on a packet
// socket, and waited for up to timeout. A timeout of 0 sends nothing and
// answers from the table alone. A loopback interface needs no MAC:
// 00:00:00:00:00:00. The table is left as it is.
func NeighborMAC(iface string, ip netip.Addr, timeout time.Duration) (net.HardwareAddr, error) {
	ifc, err := net.InterfaceByName(iface)
	if err != nil {
		return nil, fmt.Errorf("neighbour %s: no interface %s (sockscope interfaces lists them)", ip, iface)
	}
	if ifc.Flags&net.FlagLoopback != 0 {
		return make(net.HardwareAddr, 6), nil
	}
	if len(ifc.HardwareAddr) != 6 {
		return nil, fmt.Errorf("neighbour %s: %s has no Ethernet address, so no neighbour has one either", ip, iface)
	}
	ip = ip.WithZone("")
	if ip.Is4In6() {
		ip = ip.Unmap()
	}
	if mac, err := tableMAC(ifc.Index, ip); err != nil || mac != nil {
		return mac, err
	}
	if timeout <= 0 {
		return nil, fmt.Errorf("%s is not in the neighbour table of %s, and nothing was sent to ask", ip, iface)
	}
	return askLink(ifc, ip, timeout)
}

// tableMAC is ip's MAC in the neighbour table of interface index, nil when it
// has no usable entry.
func tableMAC(index int, ip netip.Addr) (net.HardwareAddr, error) {
	family := netlink.FAMILY_V4
	if ip.Is6() {
		family = netlink.FAMILY_V6
	}
	neighs, err := netlink.NeighList(index, family)
	if err != nil {
		return nil, fmt.Errorf("neighbour table: %w", err)
	}
	for _, n := range neighs {
		if addrFrom(n.IP) == ip && n.State&usableNeighbor != 0 && len(n.HardwareAddr) == 6 {
			return n.HardwareAddr, nil
		}
	}
	return nil, nil
}

// askLink sends ARP requests or neighbour solicitations for ip out of ifc,
// one now and one every resend, until an answer comes or timeout passes.
func askLink(ifc *net.Interface, ip netip.Addr, timeout time.Duration) (net.HardwareAddr, error) {
	// The question's source is the address the kernel would use toward ip
	// on this link; with none, 0.0.0.0 (an ARP probe) or :: still gets an
	// answer (to the all-nodes group, for IPv6).
	src := netip.IPv4Unspecified()
	proto, what := uint16(etherTypeARP), "ARP reply"
	if ip.Is6() {
		src, proto, what = netip.IPv6Unspecified(), etherTypeIPv6, "neighbour advertisement"
	}
	if r, err := RouteTo(ip, ifc.Name); err == nil && r.Src.IsValid() {
		src = r.Src
	}
	var question []byte
	var to net.HardwareAddr
	if ip.Is4() {
		question, to = arpRequest(ifc.HardwareAddr, src, ip), broadcastMAC
	} else {
		_, to = solicitedNode(ip)
		question = neighborSolicitation(ifc.HardwareAddr, src, ip)
	}

	// SOCK_DGRAM: the kernel writes the Ethernet header from the sockaddr,
	// and takes it off what it hands back. Bound to the protocol and the
	// interface before anything is read, so only that link's frames come.
	fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if errors.Is(err, unix.EPERM) {
		return nil, fmt.Errorf("ask %s for %s: %w (needs CAP_NET_RAW, or set ether dst=)", ifc.Name, ip, os.NewSyscallError("socket", err))
	}
	if err != nil {
		return nil, fmt.Errorf("ask %s for %s: %w", ifc.Name, ip, os.NewSyscallError("socket", err))
	}
	defer unix.Close(fd)
	raw, err := bpf.Assemble(answerFilter(ip))
	if err != nil {
		return nil, fmt.Errorf("ask %s for %s: %w", ifc.Name, ip, err)
	}
	ins := make([]unix.SockFilter, len(raw))
	for i, r := range raw {
		ins[i] = unix.SockFilter{Code: r.Op, Jt: r.Jt, Jf: r.Jf, K: r.K}
	}
	fprog := unix.SockFprog{Len: uint16(len(ins)), Filter: &ins[0]}
	if err := unix.SetsockoptSockFprog(fd, unix.SOL_SOCKET, unix.SO_ATTACH_FILTER, &fprog); err != nil {
		return nil, fmt.Errorf("ask %s for %s: %w", ifc.Name, ip, os.NewSyscallError("setsockopt SO_ATTACH_FILTER", err))
	}
	if err := unix.Bind(fd, &unix.SockaddrLinklayer{Protocol: htons(proto), Ifindex: ifc.Index}); err != nil {
		return nil, fmt.Errorf("ask %s for %s: %w", ifc.Name, ip, os.NewSyscallError("bind", err))
	}
	sa := &unix.SockaddrLinklayer{Protocol: htons(proto), Ifindex: ifc.Index, Halen: 6}
	copy(sa.Addr[:], to)

	buf := make([]byte, 1500)
	deadline := time.Now().Add(timeout)
	next := time.Now()
	for {
		now := time.Now()
		if !now.Before(deadline) {
			return nil, fmt.Errorf("no %s from %s on %s (is it up?)", what, ip, ifc.Name)
		}
		if !now.Before(next) {
			if err := unix.Sendto(fd, question, 0, sa); err != nil {
				return nil, fmt.Errorf("ask %s for %s: %w", ifc.Name, ip, os.NewSyscallError("sendto", err))
			}
			next = now.Add(resend)
		}
		wait := min(deadline.Sub(now), next.Sub(now))
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, int(wait/time.Millisecond)+1)
		if errors.Is(err, unix.EINTR) || n == 0 {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("ask %s for %s: %w", ifc.Name, ip, os.NewSyscallError("poll", err))
		}
		for {
			m, from, err := unix.Recvfrom(fd, buf, unix.MSG_DONTWAIT)
			if errors.Is(err, unix.EAGAIN) || errors.Is(err, unix.EINTR) {
				break
			}
			if err != nil {
				return nil, fmt.Errorf("ask %s for %s: %w", ifc.Name, ip, os.NewSyscallError("recvfrom", err))
			}
			ll, _ := from.(*unix.SockaddrLinklayer)
			if ll == nil || ll.Pkttype == unix.PACKET_OUTGOING {
				continue
			}
			var mac net.HardwareAddr
			var ok bool
			if ip.Is4() {
				mac, ok = arpReplyFrom(buf[:m], ip)
			} else {
				mac, ok = neighborAdvertFrom(buf[:m], ip, ll.Addr[:ll.Halen])
			}
			if ok {
				return mac, nil
			}
		}
	}
}

func htons(v uint16) uint16 { return v<<8 | v>>8 }
