package decode

// Tests of the link-layer printers (link.go, llc.go, stp.go), and the
// builders of Ethernet and cooked frames.

import (
	"encoding/binary"
	"testing"

	"github.com/sockscope/sockscope/decode/wire"
)

var (
	linkMAC1   = []byte{0x02, 0, 0, 0, 0, 0x01}
	linkMACBC  = []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	linkMACSTP = []byte{0x01, 0x80, 0xc2, 0, 0, 0}
)

// linkEther is an Ethernet frame from 02:00:00:00:00:01 to the broadcast address.
func linkEther(typeOrLen uint16, payload []byte) []byte {
	return joinWire(linkMACBC, linkMAC1, wire16(typeOrLen), payload)
}

// linkEther8023 is an 802.3 frame to the bridge group address whose length
// field says n.
func linkEther8023(n uint16, payload []byte) []byte {
	return joinWire(linkMACSTP, linkMAC1, wire16(n), payload)
}

// linkSLL is a Linux cooked v1 packet from linkMAC1.
func linkSLL(pktType, hatype, proto uint16, payload []byte) []byte {
	return joinWire(wire16(pktType), wire16(hatype), wire16(6), linkMAC1, []byte{0, 0}, wire16(proto), payload)
}

// linkSLL2 is a Linux cooked v2 packet from linkMAC1 on interface ifindex.
func linkSLL2(pktType uint8, hatype uint16, ifindex uint32, proto uint16, payload []byte) []byte {
	return joinWire(wire16(proto), []byte{0, 0}, binary.BigEndian.AppendUint32(nil, ifindex),
		wire16(hatype), []byte{pktType, 6}, linkMAC1, []byte{0, 0}, payload)
}

// linkSTPConfig is an 802.1D configuration BPDU of a root bridge 8001.00:19:06:ea:b8:80.
var linkSTPConfig = []byte{
	0, 0, 0, 0, 0, // protocol, version, type, flags
	0x80, 0x01, 0x00, 0x19, 0x06, 0xea, 0xb8, 0x80, // root
	0, 0, 0, 0, // path cost
	0x80, 0x01, 0x00, 0x19, 0x06, 0xea, 0xb8, 0x80, // bridge
	0x80, 0x05, // port
	0x00, 0x00, 0x14, 0x00, 0x02, 0x00, 0x0f, 0x00, // 0 s, 20 s, 2 s, 15 s
}

// linkRSTP is an 802.1w BPDU with the proposal, learn and forward flags.
var linkRSTP = joinWire([]byte{0, 0, 2, 2, 0x3e}, linkSTPConfig[5:], []byte{0})

func linkEtherFrames() [][]byte {
	arp := linkARPs()[0]
	llc := func(dsap, ssap byte, ctrl []byte, rest []byte) []byte {
		pl := joinWire([]byte{dsap, ssap}, ctrl, rest)
		return linkEther8023(uint16(len(pl)), pl)
	}
	snap := func(oui uint32, pid uint16, rest []byte) []byte {
		return llc(0xaa, 0xaa, []byte{3}, joinWire([]byte{byte(oui >> 16), byte(oui >> 8), byte(oui)}, wire16(pid), rest))
	}
	return [][]byte{
		llc(0x42, 0x42, []byte{3}, linkSTPConfig),
		linkEther8023(uint16(3+len(linkSTPConfig)), joinWire([]byte{0x42, 0x42, 3}, linkSTPConfig, make([]byte, 10))),
		llc(0x42, 0x42, []byte{3}, linkRSTP),
		llc(0x42, 0x42, []byte{3}, []byte{0, 0, 0, 0x80}),
		llc(0x42, 0x42, []byte{3}, []byte{0, 0, 5, 0}),
		llc(0x42, 0x42, []byte{3}, []byte{0, 1, 0, 0}),
		llc(0x42, 0x42, []byte{3}, []byte{0, 0}),
		llc(0x42, 0x42, []byte{3}, append([]byte{0, 0, 3, 2}, make([]byte, 40)...)),
		llc(0x42, 0x42, []byte{3}, linkSTPConfig[:20]),
		llc(0xf0, 0xf0, []byte{3}, make([]byte, 37)),
		llc(0xf0, 0xf1, []byte{0x13}, make([]byte, 37)),
		llc(0xf0, 0xf0, []byte{0x00, 0x02}, make([]byte, 36)),
		llc(0xf0, 0xf0, []byte{0x01, 0x03}, make([]byte, 36)),
		llc(0xf0, 0xf0, []byte{0x05, 0x02}, make([]byte, 36)),
		llc(0x12, 0x34, []byte{3}, make([]byte, 37)),
		llc(0x12, 0x35, []byte{3}, make([]byte, 37)),
		llc(0x13, 0x34, []byte{0xaf}, make([]byte, 37)),
		llc(0x13, 0x34, []byte{0xbf}, []byte{0x81, 0x01, 0x02, 0, 0}),
		llc(0x13, 0x34, []byte{0xbf}, []byte{0x81, 0x01}),
		llc(0x13, 0x34, []byte{0xaf}, nil),
		linkEther8023(2, []byte{0x13, 0x34}),
		llc(0x13, 0x34, []byte{0x00}, nil),
		snap(0, 0x0806, arp),
		snap(0, 0x1234, make([]byte, 20)),
		snap(0x00000c, 0x010b, linkRSTP),
		snap(0x0080c2, 0x0007, joinWire([]byte{0, 0}, linkEther(0x0806, arp))),
		snap(0x0080c2, 0x000e, linkSTPConfig),
		snap(0x123456, 0x0001, make([]byte, 20)),
		snap(0x0000f8, 0x0806, arp),
		linkEther8023(7, []byte{0xaa, 0xaa, 3, 0, 0, 0, 8}),
		llc(0x06, 0x06, []byte{3}, nil),
		linkEther(0x8870, joinWire([]byte{0x42, 0x42, 3}, linkSTPConfig)),
		linkEther(0x1234, make([]byte, 30)),
		linkEther(0x8100, joinWire([]byte{0x20, 0x05, 0x08, 0x06}, arp)),
		linkEther(0x8100, joinWire([]byte{0x30, 0x05, 0x12, 0x34}, make([]byte, 20))),
		linkEther(0x88a8, joinWire([]byte{0x00, 0x05, 0x81, 0x00, 0xf0, 0x06, 0x08, 0x06}, arp)),
		linkEther(0x8100, joinWire([]byte{0x20, 0x05, 0x00, 0x28, 0x42, 0x42, 3}, linkSTPConfig)),
		linkEther(0x9100, []byte{0x20, 0x05}),
		linkEther(0x9200, []byte{0x20, 0x05, 0x08, 0x00}),
		linkEther(0x8100, []byte{0x20, 0x05, 0x08}),
		linkEther(0x9000, joinWire([]byte{0, 0, 1, 0, 5, 0}, make([]byte, 20))),
		linkEther(0x9000, joinWire([]byte{0, 0, 2, 0}, linkMAC1, make([]byte, 20))),
		linkEther(0x9000, joinWire([]byte{8, 0}, make([]byte, 8), []byte{7, 0}, make([]byte, 4))),
		linkEther(0x9000, []byte{3}),
		joinWire(linkMACBC, linkMAC1, []byte{8}),
		// MACsec: integrity only with an SCI, encrypted, with a short
		// length, a version bit set, cut in the SecTAG and in the ICV.
		linkEther(0x88e5, joinWire([]byte{0x21, 0, 0, 0, 0, 5}, linkMAC1, []byte{0, 1, 0x08, 0x06}, arp, make([]byte, 16))),
		linkEther(0x88e5, joinWire([]byte{0x2e, 0, 0, 0, 1, 0}, linkMAC1, []byte{0, 1}, make([]byte, 40))),
		linkEther(0x88e5, joinWire([]byte{0x00, 30, 0, 0, 0, 9, 0x08, 0x06}, arp, make([]byte, 10+16))),
		linkEther(0x88e5, joinWire([]byte{0x00, 40, 0, 0, 0, 9, 0x08, 0x06}, arp, make([]byte, 16))),
		linkEther(0x88e5, joinWire([]byte{0x80, 0, 0, 0, 0, 9}, make([]byte, 30))),
		linkEther(0x88e5, []byte{0x20, 0, 0, 0}),
		linkEther(0x88e5, joinWire([]byte{0x00, 0, 0, 0, 0, 9, 0x08, 0x06}, make([]byte, 8))),
		linkEther(0x88e5, joinWire([]byte{0x00, 0, 0, 0, 0, 9, 0x81, 0x00, 0x00, 0x07, 0x08, 0x06}, arp, make([]byte, 16))),
	}
}

type linkCooked struct {
	proto   uint16
	payload []byte
}

func linkCookedPayloads() []linkCooked {
	arp := linkARPs()[0]
	return []linkCooked{
		{0x0806, arp},
		{0x1234, make([]byte, 20)},
		{4, joinWire([]byte{0x42, 0x42, 3}, linkSTPConfig)},
		{4, joinWire([]byte{0x12, 0x34, 3}, make([]byte, 10))},
		{0x60, make([]byte, 20)},
		{0x8100, joinWire([]byte{0x20, 0x05, 0x08, 0x06}, arp)},
		{0x8100, joinWire([]byte{0x20, 0x05, 0x00, 0x20, 0x42, 0x42, 3}, linkSTPConfig)},
		{0x8100, joinWire([]byte{0x20, 0x05, 0x12, 0x34}, make([]byte, 8))},
		{0x8100, []byte{0x20}},
	}
}

// TestEthernetLines checks Ethernet frames with and without -e: 802.1Q tags,
// 802.3 lengths with LLC, SNAP and STP, and unknown types.
func TestEthernetLines(t *testing.T) {
	arp := linkARPs()[0]
	for _, tc := range []struct {
		opt   Options
		frame []byte
		want  string
	}{
		{Options{}, linkEther(0x0806, arp), "ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28"},
		{Options{Link: true}, linkEther(0x0806, arp),
			"02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Request who-has 10.0.0.2 tell 10.0.0.1, length 28"},
		{Options{Link: true, Quiet: true}, linkEther(0x0806, arp),
			"02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ARP, length 42: Request who-has 10.0.0.2 tell 10.0.0.1, length 28"},
		{Options{}, linkEther(0x1234, []byte("hello")),
			"02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype Unknown (0x1234), length 19: \n\t0x0000:  6865 6c6c 6f                             hello"},
		{Options{Quiet: true}, linkEther(0x1234, []byte("hello")),
			"02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, Unknown Ethertype (0x1234), length 19: "},
		{Options{Link: true}, linkEther(0x88a8, joinWire([]byte{0x00, 0xc8, 0x81, 0x00, 0x37, 0xd1, 0x08, 0x06}, arp)),
			"02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype 802.1Q-QinQ (0x88a8), length 50: vlan 200, p 0, ethertype 802.1Q (0x8100), vlan 2001, p 1, DEI, ethertype ARP (0x0806), Request who-has 10.0.0.2 tell 10.0.0.1, length 28"},
		{Options{}, linkEther(0x8100, []byte{0x20, 0x05, 0x08}), " [|vlan]"},
		{Options{Link: true}, linkEther8023(uint16(3+len(linkSTPConfig)), joinWire([]byte{0x42, 0x42, 3}, linkSTPConfig)),
			"02:00:00:00:00:01 > 01:80:c2:00:00:00, 802.3, length 38: LLC, dsap STP (0x42) Individual, ssap STP (0x42) Command, ctrl 0x03: STP 802.1d, Config, Flags [none], bridge-id 8001.00:19:06:ea:b8:80.8005, length 35"},
		{Options{Verbose: 1}, linkEther8023(uint16(3+len(linkSTPConfig)), joinWire([]byte{0x42, 0x42, 3}, linkSTPConfig)),
			"STP 802.1d, Config, Flags [none], bridge-id 8001.00:19:06:ea:b8:80.8005, length 35\n\tmessage-age 0.00s, max-age 20.00s, hello-time 2.00s, forwarding-delay 15.00s\n\troot-id 8001.00:19:06:ea:b8:80, root-pathcost 0"},
		{Options{}, linkEther8023(uint16(3+len(linkRSTP)), joinWire([]byte{0x42, 0x42, 3}, linkRSTP)),
			"STP 802.1w, Rapid STP, Flags [Proposal, Learn, Forward], bridge-id 8001.00:19:06:ea:b8:80.8005, length 36"},
		{Options{}, linkEther8023(6, []byte{0x12, 0x34, 3, 1, 2, 3}),
			"02:00:00:00:00:01 Unknown SSAP 0x34 > 01:80:c2:00:00:00 Unknown DSAP 0x12 Unnumbered, ui, Flags [Command], length 6\n\t0x0000:  1234 0301 0203                           .4...."},
		{Options{Link: true}, linkEther8023(6, []byte{0xf0, 0xf1, 0x13, 1, 2, 3}),
			"02:00:00:00:00:01 > 01:80:c2:00:00:00, 802.3, length 6: LLC, dsap NetBeui (0xf0) Individual, ssap NetBeui (0xf0) Response, ctrl 0x13: Unnumbered, ui, Flags [Final], length 6\n\t0x0000:  f0f1 1301 0203                           ......"},
		{Options{}, linkEther8023(4, []byte{0xf0, 0xf0, 0x01, 0x03}),
			"02:00:00:00:00:01 > 01:80:c2:00:00:00 NetBeui Supervisory, Receiver Ready, rcv seq 1, Flags [Poll], length 4"},
		{Options{}, linkEther8023(10, []byte{0xaa, 0xaa, 3, 0, 0, 0x0c, 0x20, 0x04, 1, 2}),
			"DTPv1, length 2"}, // decode reads DTP now, as tcpdump 4.99.3 does
	} {
		got := linkLine(t, tc.opt, linkPacket{link: wire.LinkEthernet, data: tc.frame})
		if got != tc.want {
			t.Errorf("%+v % x:\n got %q\nwant %q", tc.opt, tc.frame, got, tc.want)
		}
	}
}

// TestLinuxCookedLines checks cooked v1 and v2 headers with and without -e:
// packet types, the interface name of v2, tags and unknown protocols.
func TestLinuxCookedLines(t *testing.T) {
	arp := linkARPs()[0]
	name := func(i int) (string, bool) {
		if i == 2 {
			return "eth0", true
		}
		return "", false
	}
	for _, tc := range []struct {
		opt  Options
		pkt  linkPacket
		want string
	}{
		{Options{}, linkPacket{link: wire.LinkLinuxSLL, data: linkSLL(0, 1, 0x0806, arp)},
			"ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28"},
		{Options{Link: true}, linkPacket{link: wire.LinkLinuxSLL, data: linkSLL(4, 1, 0x0806, arp)},
			"Out 02:00:00:00:00:01 ethertype ARP (0x0806), length 44: Request who-has 10.0.0.2 tell 10.0.0.1, length 28"},
		{Options{Link: true, Quiet: true}, linkPacket{link: wire.LinkLinuxSLL, data: linkSLL(1, 1, 0x0806, arp)},
			"  B 02:00:00:00:00:01 Request who-has 10.0.0.2 tell 10.0.0.1, length 28"},
		{Options{}, linkPacket{link: wire.LinkLinuxSLL, data: linkSLL(7, 1, 0x1234, []byte{1, 2})},
			"  ? 02:00:00:00:00:01 ethertype Unknown (0x1234), length 18: \n\t0x0000:  0102                                     .."},
		{Options{}, linkPacket{link: wire.LinkLinuxSLL2, data: linkSLL2(0, 1, 2, 0x0806, arp)},
			"eth0  In  ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28"},
		{Options{Link: true}, linkPacket{link: wire.LinkLinuxSLL2, data: linkSLL2(4, 1, 77, 0x0806, arp)},
			"?     Out ifindex 77 02:00:00:00:00:01 ethertype ARP (0x0806), length 48: Request who-has 10.0.0.2 tell 10.0.0.1, length 28"},
		{Options{Link: true}, linkPacket{link: wire.LinkLinuxSLL2, data: linkSLL2(0, 1, 2, 0x8100, joinWire([]byte{0x20, 0x05, 0x08, 0x06}, arp))},
			"eth0  In  ifindex 2 02:00:00:00:00:01 ethertype 802.1Q (0x8100), length 52: vlan 5, p 1, ethertype ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28"},
		{Options{}, linkPacket{link: wire.LinkLinuxSLL2, data: linkSLL2(0, 1, 2, 0x8100, joinWire([]byte{0x20, 0x05, 0x12, 0x34}, []byte{9}))},
			"eth0  In  ethertype Unknown, ifindex 2 02:00:00:00:00:01 ethertype 802.1Q (0x8100), length 21: \n\t0x0000:  09                                       ."},
		{Options{}, linkPacket{link: wire.LinkLinuxSLL, data: linkSLL(0, 1, 0x0806, nil)[:15]}, " [|sll]"},
	} {
		tc.opt.IfName = name
		got := linkLine(t, tc.opt, tc.pkt)
		if got != tc.want {
			t.Errorf("%+v % x:\n got %q\nwant %q", tc.opt, tc.pkt.data, got, tc.want)
		}
	}
}

// TestLoopbackAndRawLines checks BSD loopback in both byte orders and raw IP.
func TestLoopbackAndRawLines(t *testing.T) {
	for _, tc := range []struct {
		opt  Options
		pkt  linkPacket
		want string
	}{
		{Options{}, linkPacket{link: wire.LinkNull, data: joinWire(wireLE32(99), []byte{1})},
			"AF Unknown (99), length 5: \n\t0x0000:  01                                       ."},
		{Options{Quiet: true}, linkPacket{link: wire.LinkLoop, data: joinWire(wire16(0), wire16(99), []byte{1})},
			"Unknown AF 99, length 5: "},
		{Options{Link: true}, linkPacket{link: wire.LinkLoop, data: joinWire(wire16(0), wire16(6), []byte{1})},
			"AF NS (6), length 5: \n\t0x0000:  01                                       ."},
		{Options{}, linkPacket{link: wire.LinkNull, data: []byte{2, 0, 0}}, " [|null]"},
		{Options{Link: true}, linkPacket{link: wire.LinkRaw, data: []byte{0x15, 0}}, "ip: unknown ip 1"},
		{Options{}, linkPacket{link: wire.LinkIPv6, data: []byte{0x15, 0}}, "unknown ip 1"},
	} {
		got := linkLine(t, tc.opt, tc.pkt)
		if got != tc.want {
			t.Errorf("%+v % x:\n got %q\nwant %q", tc.opt, tc.pkt.data, got, tc.want)
		}
	}
}
