package craft

import (
	"bytes"
	"encoding/binary"
	"net"
	"net/netip"
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"golang.org/x/net/bpf"
)

var (
	macA = net.HardwareAddr{0x02, 0, 0, 0, 0, 0x0a}
	macB = net.HardwareAddr{0x02, 0, 0, 0, 0, 0x0b}
)

func TestARPRequestAsksForTheTarget(t *testing.T) {
	src, target := netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("10.0.0.9")
	p := gopacket.NewPacket(arpRequest(macA, src, target), layers.LayerTypeARP, gopacket.Default)
	arp, _ := p.Layer(layers.LayerTypeARP).(*layers.ARP)
	if arp == nil {
		t.Fatalf("not ARP: %v", p)
	}
	if arp.Operation != layers.ARPRequest || !bytes.Equal(arp.SourceHwAddress, macA) ||
		!bytes.Equal(arp.SourceProtAddress, src.AsSlice()) || !bytes.Equal(arp.DstProtAddress, target.AsSlice()) ||
		!bytes.Equal(arp.DstHwAddress, make([]byte, 6)) {
		t.Errorf("request %+v", arp)
	}
}

func TestARPReplyOnlyFromTheTarget(t *testing.T) {
	target := netip.MustParseAddr("10.0.0.9")
	reply := arpRequest(macB, target, netip.MustParseAddr("10.0.0.1"))
	binary.BigEndian.PutUint16(reply[6:], 2)
	if mac, ok := arpReplyFrom(reply, target); !ok || !bytes.Equal(mac, macB) {
		t.Errorf("reply from the target: %v %v", mac, ok)
	}
	if _, ok := arpReplyFrom(reply, netip.MustParseAddr("10.0.0.8")); ok {
		t.Error("a reply from another address was taken")
	}
	request := arpRequest(macB, target, netip.MustParseAddr("10.0.0.1"))
	if _, ok := arpReplyFrom(request, target); ok {
		t.Error("a request was taken for a reply")
	}
	if _, ok := arpReplyFrom(reply[:27], target); ok {
		t.Error("a short reply was taken")
	}
}

func TestSolicitedNodeGroup(t *testing.T) {
	a, mac := solicitedNode(netip.MustParseAddr("fd00::12:3456:789a"))
	if a != netip.MustParseAddr("ff02::1:ff56:789a") || mac.String() != "33:33:ff:56:78:9a" {
		t.Errorf("solicited-node group %s at %s", a, mac)
	}
}

func TestNeighborSolicitationIsValidND(t *testing.T) {
	src, target := netip.MustParseAddr("fd00::1"), netip.MustParseAddr("fd00::9")
	for _, src := range []netip.Addr{src, netip.IPv6Unspecified()} {
		b := neighborSolicitation(macA, src, target)
		p := gopacket.NewPacket(b, layers.LayerTypeIPv6, gopacket.Default)
		ip, _ := p.Layer(layers.LayerTypeIPv6).(*layers.IPv6)
		ns, _ := p.Layer(layers.LayerTypeICMPv6NeighborSolicitation).(*layers.ICMPv6NeighborSolicitation)
		if ip == nil || ns == nil {
			t.Fatalf("from %s: not a neighbour solicitation: %v", src, p)
		}
		if ip.HopLimit != 255 || ip.DstIP.String() != "ff02::1:ff00:9" || !ip.SrcIP.Equal(src.AsSlice()) ||
			!ns.TargetAddress.Equal(target.AsSlice()) {
			t.Errorf("from %s: %v", src, p)
		}
		if got := onesSum(pseudo6(b, 58, len(b)-40), b[40:]); got != 0xffff {
			t.Errorf("from %s: checksum does not add up (%#04x)", src, got)
		}
		// RFC 4861 section 4.3: no source link-layer address from ::.
		if want := !src.IsUnspecified(); (len(ns.Options) == 1 && bytes.Equal(ns.Options[0].Data, macA)) != want {
			t.Errorf("from %s: options %v", src, ns.Options)
		}
	}
}

// advert is a neighbour advertisement of target, with a target link-layer
// address option when mac is not nil.
func advert(target netip.Addr, mac net.HardwareAddr) []byte {
	p := neighborSolicitation(macB, target, target)
	icmp := p[40:]
	icmp[0] = icmp6NeighborAdvertisement
	if mac == nil {
		p = p[:40+24]
		binary.BigEndian.PutUint16(p[4:], 24)
	} else {
		icmp[24] = ndOptTargetLinkAddr
		copy(icmp[26:], mac)
	}
	return p
}

func TestNeighborAdvertisementGivesTheTargetsMAC(t *testing.T) {
	target := netip.MustParseAddr("fd00::9")
	if mac, ok := neighborAdvertFrom(advert(target, macB), target, macA); !ok || !bytes.Equal(mac, macB) {
		t.Errorf("with the option: %v %v", mac, ok)
	}
	if mac, ok := neighborAdvertFrom(advert(target, nil), target, macA); !ok || !bytes.Equal(mac, macA) {
		t.Errorf("without the option, the frame's source: %v %v", mac, ok)
	}
	if _, ok := neighborAdvertFrom(advert(target, macB), netip.MustParseAddr("fd00::8"), macA); ok {
		t.Error("an advertisement of another target was taken")
	}
	ns := neighborSolicitation(macB, target, target)
	if _, ok := neighborAdvertFrom(ns, target, macA); ok {
		t.Error("a solicitation was taken for an advertisement")
	}
	hop := advert(target, macB)
	hop[7] = 64
	if _, ok := neighborAdvertFrom(hop, target, macA); ok {
		t.Error("an advertisement that crossed a router was taken")
	}
}

func TestAnswerFilterKeepsOnlyTheAnswer(t *testing.T) {
	v4, v6 := netip.MustParseAddr("10.0.0.9"), netip.MustParseAddr("fd00::9")
	reply := arpRequest(macB, v4, netip.MustParseAddr("10.0.0.1"))
	binary.BigEndian.PutUint16(reply[6:], 2)
	other := bytes.Clone(reply)
	other[17] = 8
	for _, c := range []struct {
		what   string
		target netip.Addr
		packet []byte
		keep   bool
	}{
		{"ARP reply from the target", v4, reply, true},
		{"ARP reply from another", v4, other, false},
		{"ARP request from the target", v4, arpRequest(macB, v4, v4), false},
		{"advertisement of the target", v6, advert(v6, macB), true},
		{"advertisement of another", v6, advert(netip.MustParseAddr("fd00::8"), macB), false},
		{"solicitation of the target", v6, neighborSolicitation(macB, v6, v6), false},
		{"short", v6, advert(v6, macB)[:50], false},
	} {
		vm, err := bpf.NewVM(answerFilter(c.target))
		if err != nil {
			t.Fatal(err)
		}
		n, err := vm.Run(c.packet)
		if err != nil || (n > 0) != c.keep {
			t.Errorf("%s: filter gave %d, %v; want kept %v", c.what, n, err, c.keep)
		}
	}
}
