package craft

import (
	"bytes"
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"

	"github.com/sockscope/sockscope/craft/spec"
)

// fakeHops answers routes and next-hop MACs from maps, and counts what it
// was asked.
type fakeHops struct {
	routes map[netip.Addr]Route
	macs   map[netip.Addr]net.HardwareAddr
	asked  []string
}

func (f *fakeHops) Route(dst netip.Addr) (Route, error) {
	f.asked = append(f.asked, "route "+dst.String())
	r, ok := f.routes[dst]
	if !ok {
		return Route{}, errors.New("route to " + dst.String() + ": network is unreachable")
	}
	return r, nil
}

func (f *fakeHops) NextMAC(r Route) (net.HardwareAddr, error) {
	f.asked = append(f.asked, "neighbour "+r.NextHop().String())
	if r.Loopback {
		return make(net.HardwareAddr, 6), nil
	}
	mac, ok := f.macs[r.NextHop()]
	if !ok {
		return nil, errors.New("no ARP reply from " + r.NextHop().String() + " on " + r.Iface + " (is it up?)")
	}
	return mac, nil
}

func labHops() *fakeHops {
	gw := netip.MustParseAddr("10.0.0.254")
	return &fakeHops{
		routes: map[netip.Addr]Route{
			netip.MustParseAddr("10.0.0.2"):    {Dst: netip.MustParseAddr("10.0.0.2"), Iface: "eth1", MAC: macA},
			netip.MustParseAddr("10.0.0.9"):    {Dst: netip.MustParseAddr("10.0.0.9"), Iface: "eth1", MAC: macA},
			netip.MustParseAddr("192.0.2.80"):  {Dst: netip.MustParseAddr("192.0.2.80"), Iface: "eth1", MAC: macA, Gateway: gw},
			netip.MustParseAddr("fd00::2"):     {Dst: netip.MustParseAddr("fd00::2"), Iface: "eth1", MAC: macA},
			netip.MustParseAddr("127.0.0.1"):   {Dst: netip.MustParseAddr("127.0.0.1"), Iface: "lo", MAC: make(net.HardwareAddr, 6), Loopback: true},
			netip.MustParseAddr("224.0.0.251"): {Dst: netip.MustParseAddr("224.0.0.251"), Iface: "eth1", MAC: macA},
		},
		macs: map[netip.Addr]net.HardwareAddr{
			netip.MustParseAddr("10.0.0.2"): macB,
			gw:                              {0x02, 0, 0, 0, 0, 0xfe},
			netip.MustParseAddr("fd00::2"):  macB,
		},
	}
}

func buildWith(t *testing.T, text string, opt Options) *Builder {
	t.Helper()
	s, err := spec.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Build(s, opt)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEtherDefaultsComeFromTheRouteAndTheNextHop(t *testing.T) {
	for _, c := range []struct {
		spec     string
		src, dst string
		asked    string
		note     string
	}{
		{"ether/ip(dst=10.0.0.2)/icmp", "02:00:00:00:00:0a", "02:00:00:00:00:0b", "route 10.0.0.2,neighbour 10.0.0.2", ""},
		{"ether/ip(dst=192.0.2.80)/tcp", "02:00:00:00:00:0a", "02:00:00:00:00:fe", "route 192.0.2.80,neighbour 10.0.0.254", ""},
		{"ether/ip6(dst=fd00::2)/icmp6", "02:00:00:00:00:0a", "02:00:00:00:00:0b", "route fd00::2,neighbour fd00::2", ""},
		{"ether/ip(dst=127.0.0.1)/icmp", "00:00:00:00:00:00", "00:00:00:00:00:00", "route 127.0.0.1,neighbour 127.0.0.1", ""},
		// Multicast and an ARP request: the route for src, no neighbour.
		{"ether/ip(dst=224.0.0.251)/udp", "02:00:00:00:00:0a", "01:00:5e:00:00:fb", "route 224.0.0.251", ""},
		{"ether/arp(pdst=10.0.0.2)", "02:00:00:00:00:0a", "ff:ff:ff:ff:ff:ff", "route 10.0.0.2", ""},
		// An ARP reply goes to pdst's MAC.
		{"ether/arp(op=reply,pdst=10.0.0.2)", "02:00:00:00:00:0a", "02:00:00:00:00:0b", "route 10.0.0.2,neighbour 10.0.0.2", ""},
		// What the spec sets is not looked up.
		{"ether(src=02:00:00:00:00:01,dst=02:00:00:00:00:02)/ip(dst=10.0.0.2)", "02:00:00:00:00:01", "02:00:00:00:00:02", "", ""},
		{"ether(dst=02:00:00:00:00:02)/ip(dst=10.0.0.2)", "02:00:00:00:00:0a", "02:00:00:00:00:02", "route 10.0.0.2", ""},
		{"ether(src=02:00:00:00:00:01)/ip(dst=10.0.0.2)", "02:00:00:00:00:01", "02:00:00:00:00:0b", "route 10.0.0.2,neighbour 10.0.0.2", ""},
		// What cannot be found is zero, with the reason.
		{"ether/ip(dst=10.0.0.9)", "02:00:00:00:00:0a", "00:00:00:00:00:00", "route 10.0.0.9,neighbour 10.0.0.9",
			"ether dst: 00:00:00:00:00:00 (no ARP reply from 10.0.0.9 on eth1 (is it up?)); set dst= to choose"},
		{"ether/ip(dst=198.51.100.1)", "00:00:00:00:00:00", "00:00:00:00:00:00", "route 198.51.100.1",
			"ether src: 00:00:00:00:00:00 (route to 198.51.100.1: network is unreachable); give -i IFACE for its MAC, or set src=|" +
				"ether dst: 00:00:00:00:00:00 (route to 198.51.100.1: network is unreachable); set dst= to choose"},
	} {
		hops := labHops()
		opt := testOptions()
		opt.Hops = hops
		b := buildWith(t, c.spec, opt)
		p := b.Packet(0)
		if dst, src := net.HardwareAddr(p[0:6]).String(), net.HardwareAddr(p[6:12]).String(); src != c.src || dst != c.dst {
			t.Errorf("%s: src %s dst %s, want %s %s", c.spec, src, dst, c.src, c.dst)
		}
		if asked := strings.Join(hops.asked, ","); asked != c.asked {
			t.Errorf("%s: asked %q, want %q", c.spec, asked, c.asked)
		}
		if notes := strings.Join(b.Notes(), "|"); notes != c.note {
			t.Errorf("%s: notes %q, want %q", c.spec, notes, c.note)
		}
	}
}

func TestARPHwsrcIsTheRoutesMAC(t *testing.T) {
	opt := testOptions()
	opt.Hops = labHops()
	p := buildWith(t, "ether/arp(pdst=10.0.0.2)", opt).Packet(0)
	if !bytes.Equal(p[14+8:14+14], macA) {
		t.Errorf("hwsrc % x", p[14+8:14+14])
	}
}

func TestIfaceMACWithoutHops(t *testing.T) {
	opt := testOptions()
	opt.IfaceMAC = macA
	b := buildWith(t, "ether/ip(dst=10.0.0.2)", opt)
	if p := b.Packet(0); !bytes.Equal(p[6:12], macA) || !bytes.Equal(p[0:6], make([]byte, 6)) {
		t.Errorf("frame % x", p[:12])
	}
	if notes := strings.Join(b.Notes(), "|"); notes != "ether dst: 00:00:00:00:00:00 (no neighbour-table lookup here); set dst= to choose" {
		t.Errorf("notes %q", notes)
	}
}

func TestRouteToLoopbackNeedsNoMAC(t *testing.T) {
	r, err := RouteTo(netip.MustParseAddr("127.0.0.1"), "")
	if err != nil {
		t.Skipf("no route to 127.0.0.1 here: %v", err)
	}
	if !r.Loopback || r.Iface != "lo" || r.Src != netip.MustParseAddr("127.0.0.1") || r.Gateway.IsValid() {
		t.Errorf("route %+v", r)
	}
	mac, err := KernelHops{}.NextMAC(r)
	if err != nil || !bytes.Equal(mac, make([]byte, 6)) {
		t.Errorf("loopback next hop: %v %v", mac, err)
	}
}
