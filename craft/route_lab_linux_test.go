package craft

import (
	"bytes"
	"net"
	"net/netip"
	"os"
	"testing"
	"time"

	"github.com/sockscope/sockscope/capture/capturetest"
	"github.com/sockscope/sockscope/craft/spec"
	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
)

// The lab's IPv6 addresses, added by labIPv6, and addresses no one has.
var (
	ip6A    = netip.MustParseAddr("fd00:231::1")
	ip6B    = netip.MustParseAddr("fd00:231::2")
	dead4   = netip.MustParseAddr("10.231.0.9")
	dead6   = netip.MustParseAddr("fd00:231::9")
	farAway = netip.MustParseAddr("10.232.0.7") // behind B, by a route in A
)

// routeLab is the capture lab (A and B joined by a veth) with a route in A
// to 10.232.0.0/24 through B, and a netlink handle in each namespace.
type routeLab struct {
	*capturetest.Lab
	ha, hb *netlink.Handle
}

func newRouteLab(t *testing.T) *routeLab {
	t.Helper()
	l := &routeLab{Lab: capturetest.NewLab(t)}
	var err error
	if l.ha, err = netlink.NewHandleAt(l.A); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.ha.Close)
	if l.hb, err = netlink.NewHandleAt(l.B); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.hb.Close)
	_, far, _ := net.ParseCIDR("10.232.0.0/24")
	if err := l.ha.RouteAdd(&netlink.Route{LinkIndex: l.IndexA, Dst: far, Gw: capturetest.IPB.AsSlice()}); err != nil {
		t.Fatalf("route to %s: %v", far, err)
	}
	return l
}

// in runs f in namespace ns, failing the test with its error.
func (l *routeLab) in(t *testing.T, ns netns.NsHandle, f func() error) {
	t.Helper()
	if err := capturetest.InNS(ns, f); err != nil {
		t.Fatal(err)
	}
}

// forget removes ip from A's neighbour table: the lab's entries are static,
// and the test wants to see them found on the link.
func (l *routeLab) forget(t *testing.T, ip netip.Addr) {
	t.Helper()
	neighs, err := l.ha.NeighList(l.IndexA, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range neighs {
		if addrFrom(n.IP) == ip {
			if err := l.ha.NeighDel(&n); err != nil {
				t.Fatalf("forget %s: %v", ip, err)
			}
		}
	}
}

// labIPv6 turns IPv6 on in both namespaces (the capture lab keeps it off)
// and gives the veth ends ip6A and ip6B, with no duplicate detection to wait
// for.
func (l *routeLab) labIPv6(t *testing.T) {
	t.Helper()
	for _, side := range []struct {
		ns    netns.NsHandle
		h     *netlink.Handle
		iface string
		ip    netip.Addr
	}{{l.A, l.ha, capturetest.IfA, ip6A}, {l.B, l.hb, capturetest.IfB, ip6B}} {
		l.in(t, side.ns, func() error {
			for _, c := range []string{"all", "default", "lo", side.iface} {
				if err := os.WriteFile("/proc/sys/net/ipv6/conf/"+c+"/disable_ipv6", []byte("0"), 0); err != nil {
					return err
				}
			}
			return nil
		})
		link, err := side.h.LinkByName(side.iface)
		if err != nil {
			t.Fatal(err)
		}
		addr := &netlink.Addr{IPNet: &net.IPNet{IP: side.ip.AsSlice(), Mask: net.CIDRMask(64, 128)}, Flags: 0x02 /* IFA_F_NODAD */}
		if err := side.h.AddrAdd(link, addr); err != nil {
			t.Fatalf("address %s: %v", side.ip, err)
		}
	}
}

func TestRouteToThePeerIsTheVeth(t *testing.T) {
	l := newRouteLab(t)
	l.in(t, l.A, func() error {
		r, err := RouteTo(capturetest.IPB, "")
		if err != nil {
			t.Fatal(err)
		}
		if r.Iface != capturetest.IfA || r.Index != l.IndexA || !bytes.Equal(r.MAC, l.MACA) || r.MTU != 1500 ||
			r.Src != capturetest.IPA || r.Gateway.IsValid() || r.NextHop() != capturetest.IPB || r.Loopback {
			t.Errorf("route to the peer: %+v", r)
		}
		r, err = RouteTo(farAway, "")
		if err != nil {
			t.Fatal(err)
		}
		if r.Iface != capturetest.IfA || r.Gateway != capturetest.IPB || r.NextHop() != capturetest.IPB || r.Src != capturetest.IPA {
			t.Errorf("route through the peer: %+v", r)
		}
		// A has no default route; -i takes the address as on-link there.
		if r, err := RouteTo(netip.MustParseAddr("198.51.100.1"), ""); err == nil {
			t.Errorf("a route where there is none: %+v", r)
		}
		r, err = RouteTo(netip.MustParseAddr("198.51.100.1"), capturetest.IfA)
		if err != nil || r.Iface != capturetest.IfA || r.Gateway.IsValid() {
			t.Errorf("route with -i: %+v %v", r, err)
		}
		r, err = RouteTo(netip.MustParseAddr("10.231.0.255"), "")
		if err != nil || !r.Broadcast || r.Iface != capturetest.IfA {
			t.Errorf("route to the veth's broadcast address: %+v %v", r, err)
		}
		if mac, err := (KernelHops{}).NextMAC(r); err != nil || mac.String() != "ff:ff:ff:ff:ff:ff" {
			t.Errorf("broadcast next hop: %v %v", mac, err)
		}
		r, err = RouteTo(capturetest.IPA, "")
		if err != nil || !r.Loopback || r.Iface != "lo" {
			t.Errorf("route to A's own address: %+v %v", r, err)
		}
		return nil
	})
}

func TestNeighborMACFoundByARP(t *testing.T) {
	l := newRouteLab(t)
	l.in(t, l.A, func() error {
		// The lab's static entry is in the table.
		if mac, err := NeighborMAC(capturetest.IfA, capturetest.IPB, 0); err != nil || !bytes.Equal(mac, l.MACB) {
			t.Errorf("from the table: %v %v", mac, err)
		}
		return nil
	})
	l.forget(t, capturetest.IPB)
	l.in(t, l.A, func() error {
		mac, err := NeighborMAC(capturetest.IfA, capturetest.IPB, 0)
		if want := "10.231.0.2 is not in the neighbour table of sslive0, and nothing was sent to ask"; err == nil || err.Error() != want {
			t.Errorf("table only, with the entry gone: %v %v, want error %q", mac, err, want)
		}
		mac, err = NeighborMAC(capturetest.IfA, capturetest.IPB, capturetest.Patience)
		if err != nil || !bytes.Equal(mac, l.MACB) {
			t.Errorf("by ARP: %v %v, want %v", mac, err, l.MACB)
		}
		return nil
	})
}

func TestNeighborMACFoundByND(t *testing.T) {
	l := newRouteLab(t)
	l.labIPv6(t)
	l.forget(t, ip6B)
	l.in(t, l.A, func() error {
		r, err := RouteTo(ip6B, "")
		if err != nil || r.Iface != capturetest.IfA || r.Src != ip6A || r.Gateway.IsValid() {
			t.Errorf("route to the peer's IPv6 address: %+v %v", r, err)
		}
		return nil
	})
	_, far6, _ := net.ParseCIDR("fd00:232::/64")
	if err := l.ha.RouteAdd(&netlink.Route{LinkIndex: l.IndexA, Dst: far6, Gw: ip6B.AsSlice()}); err != nil {
		t.Fatalf("route to %s: %v", far6, err)
	}
	l.in(t, l.A, func() error {
		r, err := RouteTo(netip.MustParseAddr("fd00:232::7"), "")
		if err != nil || r.Iface != capturetest.IfA || r.Gateway != ip6B || r.Src != ip6A {
			t.Errorf("route through the peer's IPv6 address: %+v %v", r, err)
		}
		if mac, err := NeighborMAC(capturetest.IfA, ip6B, 0); err == nil {
			t.Errorf("table only: %v; want it not found", mac)
		}
		mac, err := NeighborMAC(capturetest.IfA, ip6B, capturetest.Patience)
		if err != nil || !bytes.Equal(mac, l.MACB) {
			t.Errorf("by ND: %v %v, want %v", mac, err, l.MACB)
		}
		return nil
	})
}

func TestNeighborMACOfNoOneTimesOut(t *testing.T) {
	l := newRouteLab(t)
	l.labIPv6(t)
	l.in(t, l.A, func() error {
		for _, c := range []struct {
			ip   netip.Addr
			want string
		}{
			{dead4, "no ARP reply from 10.231.0.9 on sslive0 (is it up?)"},
			{dead6, "no neighbour advertisement from fd00:231::9 on sslive0 (is it up?)"},
		} {
			start := time.Now()
			mac, err := NeighborMAC(capturetest.IfA, c.ip, 300*time.Millisecond)
			if err == nil || err.Error() != c.want {
				t.Errorf("%s: %v %v, want error %q", c.ip, mac, err, c.want)
			}
			if took := time.Since(start); took < 300*time.Millisecond {
				t.Errorf("%s: gave up after %v", c.ip, took)
			}
		}
		return nil
	})
}

func TestEtherFrameThroughTheLabsGateway(t *testing.T) {
	l := newRouteLab(t)
	l.forget(t, capturetest.IPB)
	l.in(t, l.A, func() error {
		s, err := spec.Parse("ether/ip(dst=10.232.0.7)/icmp")
		if err != nil {
			return err
		}
		hops := KernelHops{Timeout: capturetest.Patience}
		b, err := Build(s, Options{Source: hops, Hops: hops})
		if err != nil {
			return err
		}
		p := b.Packet(0)
		if !bytes.Equal(p[0:6], l.MACB) || !bytes.Equal(p[6:12], l.MACA) || !bytes.Equal(p[14+12:14+16], capturetest.IPA.AsSlice()) {
			t.Errorf("frame % x, want dst %v src %v ip src %s", p[:34], l.MACB, l.MACA, capturetest.IPA)
		}
		if len(b.Notes()) != 0 {
			t.Errorf("notes %q", b.Notes())
		}
		return nil
	})
}

func TestEtherFrameOutOfIfaceToAnUnknownAddress(t *testing.T) {
	l := newRouteLab(t)
	l.in(t, l.A, func() error {
		s, err := spec.Parse("ether/ip(dst=198.51.100.1)/icmp")
		if err != nil {
			return err
		}
		hops := KernelHops{Iface: capturetest.IfA, Timeout: 300 * time.Millisecond}
		b, err := Build(s, Options{Source: hops, Hops: hops})
		if err != nil {
			return err
		}
		p := b.Packet(0)
		if !bytes.Equal(p[0:6], make([]byte, 6)) || !bytes.Equal(p[6:12], l.MACA) || !bytes.Equal(p[14+12:14+16], capturetest.IPA.AsSlice()) {
			t.Errorf("frame % x, want dst zeros, src %v, ip src %s", p[:34], l.MACA, capturetest.IPA)
		}
		want := "ether dst: 00:00:00:00:00:00 (no ARP reply from 198.51.100.1 on sslive0 (is it up?)); set dst= to choose"
		if len(b.Notes()) != 1 || b.Notes()[0] != want {
			t.Errorf("notes %q, want %q", b.Notes(), want)
		}
		return nil
	})
}
