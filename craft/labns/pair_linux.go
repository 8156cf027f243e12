package labns

import (
	"cmp"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"runtime"
	"time"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// Pair is a lab of two namespaces, A and B, that Connect joins with a veth
// pair: compare --lab's world, and the privileged tests'. Close (the Lab's)
// removes both namespaces, and the veth, its addresses and any nftables
// table or queueing discipline with them.
type Pair struct {
	*Lab
	A, B End
}

// End is one side of a Pair.
type End struct {
	// NS is the namespace's name under /run/netns, for ip netns exec;
	// Handle is an open handle on it, which the Lab closes.
	NS     string
	Handle netns.NsHandle
	// Link is the name of this side's end of the veth, Index its ifindex
	// and MAC its hardware address: set by Connect.
	Link  string
	Index int
	MAC   net.HardwareAddr
}

// NewPair makes a lab of two namespaces, named prefix, eight random
// hexadecimal digits, and "a" or "b" (see New); nothing joins them until
// Connect.
func NewPair(prefix string) (*Pair, error) {
	l, err := New(prefix, "a", "b")
	if err != nil {
		return nil, err
	}
	end := func(n Namespace) End { return End{NS: n.Name, Handle: n.Handle} }
	return &Pair{Lab: l, A: end(l.NS[0]), B: end(l.NS[1])}, nil
}

// LinkConfig says how Connect joins a Pair's namespaces.
type LinkConfig struct {
	// LinkA and LinkB name the ends of the veth; "" names each after its
	// namespace.
	LinkA, LinkB string
	// AddrsA and AddrsB are the addresses of each end. IPv6 ones skip
	// duplicate address detection, so that they are usable at once.
	AddrsA, AddrsB []netip.Prefix
	// NoIPv6 turns IPv6 off in both namespaces before the veth is made,
	// so that the link carries no solicitation of its own.
	NoIPv6 bool
	// Static gives each end the other's addresses as permanent
	// neighbours: no ARP or neighbour discovery crosses the link.
	Static bool
	// Patience bounds the wait for the link to carry packets; 0 means
	// 10 seconds.
	Patience time.Duration
}

// Connect makes the veth between A and B, gives each end its addresses,
// brings it and each namespace's lo up, and waits until the link carries
// packets. What it made goes with the namespaces, when the Lab is closed.
func (p *Pair) Connect(cfg LinkConfig) error {
	ha, err := NetlinkIn(p.A.Handle)
	if err != nil {
		return fmt.Errorf("lab: netlink in %s: %w", p.A.NS, err)
	}
	defer ha.Close()
	hb, err := NetlinkIn(p.B.Handle)
	if err != nil {
		return fmt.Errorf("lab: netlink in %s: %w", p.B.NS, err)
	}
	defer hb.Close()
	if cfg.NoIPv6 {
		for _, e := range []*End{&p.A, &p.B} {
			if err := InNS(e.Handle, disableIPv6); err != nil {
				return fmt.Errorf("lab: %s: %w", e.NS, err)
			}
		}
	}
	p.A.Link, p.B.Link = cmp.Or(cfg.LinkA, p.A.NS), cmp.Or(cfg.LinkB, p.B.NS)
	// Made in A with its peer put in B at once: it never exists outside them.
	veth := &netlink.Veth{LinkAttrs: netlink.LinkAttrs{Name: p.A.Link}, PeerName: p.B.Link, PeerNamespace: netlink.NsFd(p.B.Handle)}
	if err := ha.LinkAdd(veth); err != nil {
		return fmt.Errorf("lab: add veth %s-%s: %w", p.A.Link, p.B.Link, err)
	}
	sides := []struct {
		h           *netlink.Handle
		end         *End
		addrs, peer []netip.Prefix
		link        netlink.Link
	}{{h: ha, end: &p.A, addrs: cfg.AddrsA, peer: cfg.AddrsB}, {h: hb, end: &p.B, addrs: cfg.AddrsB, peer: cfg.AddrsA}}
	for i := range sides {
		s := &sides[i]
		if s.link, err = s.h.LinkByName(s.end.Link); err != nil {
			return fmt.Errorf("lab: %s: %w", s.end.Link, err)
		}
		s.end.Index, s.end.MAC = s.link.Attrs().Index, s.link.Attrs().HardwareAddr
	}
	for i, s := range sides {
		peerMAC := sides[1-i].end.MAC
		for _, a := range s.addrs {
			addr := &netlink.Addr{IPNet: &net.IPNet{IP: a.Addr().AsSlice(), Mask: net.CIDRMask(a.Bits(), a.Addr().BitLen())}}
			if a.Addr().Is6() {
				addr.Flags = unix.IFA_F_NODAD
			}
			if err := s.h.AddrAdd(s.link, addr); err != nil {
				return fmt.Errorf("lab: address %s on %s: %w", a.Addr(), s.end.Link, err)
			}
		}
		if cfg.Static {
			for _, a := range s.peer {
				neigh := &netlink.Neigh{LinkIndex: s.end.Index, State: netlink.NUD_PERMANENT, IP: a.Addr().AsSlice(), HardwareAddr: peerMAC}
				if err := s.h.NeighAdd(neigh); err != nil {
					return fmt.Errorf("lab: neighbour %s on %s: %w", a.Addr(), s.end.Link, err)
				}
			}
		}
		for _, name := range []string{"lo", s.end.Link} {
			link, err := s.h.LinkByName(name)
			if err == nil {
				err = s.h.LinkSetUp(link)
			}
			if err != nil {
				return fmt.Errorf("lab: set %s up in %s: %w", name, s.end.NS, err)
			}
		}
	}
	return waitCarrier(ha, p.A.Link, hb, p.B.Link, cmp.Or(cfg.Patience, 10*time.Second))
}

// waitCarrier waits until both veth ends are up and have left the noop
// queueing discipline, which drops everything: the kernel's linkwatch
// worker gives an end its carrier and qdisc some time after both are up
// (later on a loaded machine), and until then an end's operational state
// may already show up.
func waitCarrier(ha *netlink.Handle, a string, hb *netlink.Handle, b string, patience time.Duration) error {
	ready := func(h *netlink.Handle, name string) bool {
		link, err := h.LinkByName(name)
		if err != nil || link.Attrs().OperState != netlink.OperUp {
			return false
		}
		qs, err := h.QdiscList(link)
		if err != nil {
			return false
		}
		for _, q := range qs {
			if q.Type() == "noop" {
				return false
			}
		}
		return true
	}
	deadline := time.Now().Add(patience)
	for !ready(ha, a) || !ready(hb, b) {
		if time.Now().After(deadline) {
			return fmt.Errorf("lab: veth %s-%s did not come up within %v", a, b, patience)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return nil
}

// disableIPv6 turns IPv6 off in the calling thread's namespace.
func disableIPv6() error {
	for _, c := range []string{"all", "default", "lo"} {
		p := "/proc/sys/net/ipv6/conf/" + c + "/disable_ipv6"
		if err := os.WriteFile(p, []byte("1"), 0); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("disable IPv6: %w", err)
		}
	}
	return nil
}

// InNS runs f on a thread in network namespace ns: the sockets f opens
// belong to ns for good. The thread stays locked and ends with its
// goroutine, so that nothing else ever runs in the namespace by mistake.
func InNS(ns netns.NsHandle, f func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		if err := netns.Set(ns); err != nil {
			errc <- fmt.Errorf("enter namespace: %w", err)
			return
		}
		errc <- f()
	}()
	return <-errc
}

// NetlinkIn opens a netlink handle on namespace ns, its sockets made on a
// thread in ns: netlink.NewHandleAt would first look up the calling
// thread's namespace by os.Getpid, which in a pid namespace with the
// host's /proc (unshare --pid --fork) is another process's.
func NetlinkIn(ns netns.NsHandle) (*netlink.Handle, error) {
	var h *netlink.Handle
	err := InNS(ns, func() (err error) {
		h, err = netlink.NewHandle()
		return err
	})
	return h, err
}
