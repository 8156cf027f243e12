package compare

import (
	"net"
	"slices"
	"strings"
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/sockscope/sockscope/decode/wire"
)

// loFrame is an IP packet in lo's Ethernet framing, as a capture on lo
// hands it: IPv4 from 127.0.0.1 to itself, or with ip6 IPv6 from ::1 to
// itself, with the transport layer tr (protocol 253 when it is nil) and
// payload.
func loFrame(t *testing.T, ip6 bool, tr gopacket.SerializableLayer, payload string) Frame {
	t.Helper()
	proto := layers.IPProtocol(253)
	switch tr.(type) {
	case *layers.TCP:
		proto = layers.IPProtocolTCP
	case *layers.UDP:
		proto = layers.IPProtocolUDP
	}
	eth := &layers.Ethernet{SrcMAC: make(net.HardwareAddr, 6), DstMAC: make(net.HardwareAddr, 6), EthernetType: layers.EthernetTypeIPv4}
	var ip interface {
		gopacket.NetworkLayer
		gopacket.SerializableLayer
	}
	var length func() int // of the IP packet, once serialized
	if ip6 {
		eth.EthernetType = layers.EthernetTypeIPv6
		v6 := &layers.IPv6{Version: 6, HopLimit: 64, SrcIP: net.IPv6loopback, DstIP: net.IPv6loopback, NextHeader: proto}
		ip, length = v6, func() int { return 40 + int(v6.Length) }
	} else {
		v4 := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, SrcIP: net.IPv4(127, 0, 0, 1), DstIP: net.IPv4(127, 0, 0, 1), Protocol: proto}
		ip, length = v4, func() int { return int(v4.Length) }
	}
	ls := []gopacket.SerializableLayer{eth, ip}
	switch l := tr.(type) {
	case *layers.TCP:
		l.SetNetworkLayerForChecksum(ip)
		ls = append(ls, l)
	case *layers.UDP:
		l.SetNetworkLayerForChecksum(ip)
		ls = append(ls, l)
	}
	ls = append(ls, gopacket.Payload(payload))
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatal(err)
	}
	// lo pads no frame to Ethernet's 60 bytes; gopacket does.
	d := append([]byte(nil), buf.Bytes()[:14+length()]...)
	return Frame{Data: d, CI: gopacket.CaptureInfo{CaptureLength: len(d), Length: len(d)}}
}

func TestWireCountsATCPConversation(t *testing.T) {
	for _, tc := range []struct {
		name     string
		ip6      bool
		finAgain bool // the client's FIN is sent twice
		hdr      int  // header bytes of every frame: 14 Ethernet, the IP header's, 20 TCP
		want     Wire
	}{
		{"IPv4", false, false, 14 + 20 + 20, Wire{Packets: 12, Setup: 3, Teardown: 4, Acks: 2, Retransmissions: 1, PayloadBytes: 5, First: 3}},
		{"IPv6", true, true, 14 + 40 + 20, Wire{Packets: 13, Setup: 3, Teardown: 5, Acks: 2, Retransmissions: 2, PayloadBytes: 5, First: 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// client 40000 -> server 5000: handshake, "A", "BC", "BC"
			// again, the server's ACKs, then FIN, ACK, FIN, ACK.
			c := func(flags string, seq, ack uint32) *layers.TCP {
				l := &layers.TCP{SrcPort: 40000, DstPort: 5000, Seq: seq, Ack: ack, Window: 64, DataOffset: 5}
				setFlags(l, flags)
				return l
			}
			s := func(flags string, seq, ack uint32) *layers.TCP {
				l := &layers.TCP{SrcPort: 5000, DstPort: 40000, Seq: seq, Ack: ack, Window: 64, DataOffset: 5}
				setFlags(l, flags)
				return l
			}
			lo := func(l *layers.TCP, payload string) Frame { return loFrame(t, tc.ip6, l, payload) }
			frames := []Frame{
				lo(c("S", 100, 0), ""),
				lo(s("SA", 900, 101), ""),
				lo(c("A", 101, 901), ""),
				lo(c("PA", 101, 901), "A"),
				lo(s("A", 901, 102), ""),
				lo(c("PA", 102, 901), "BC"),
				lo(c("PA", 102, 901), "BC"), // retransmitted
				lo(s("A", 901, 104), ""),
				lo(c("FA", 104, 901), ""),
				lo(s("A", 901, 105), ""),
				lo(s("FA", 901, 105), ""),
				lo(c("A", 105, 902), ""),
			}
			if tc.finAgain {
				frames = slices.Insert(frames, 9, lo(c("FA", 104, 901), ""))
			}
			w := WireOf(frames, wire.LinkEthernet, false)
			want := tc.want
			if w.Packets != want.Packets || w.Setup != want.Setup || w.Teardown != want.Teardown || w.Acks != want.Acks ||
				w.Retransmissions != want.Retransmissions || w.PayloadBytes != want.PayloadBytes || w.First != want.First {
				t.Errorf("got %+v, want %+v", *w, want)
			}
			n := want.Packets
			if w.HeaderBytes != n*tc.hdr || w.Bytes != n*tc.hdr+5 || w.KernelHeaderBytes != w.HeaderBytes || w.UserHeaderBytes != 0 {
				t.Errorf("bytes %d, header %d (kernel %d, user %d), want %d, %d, all the kernel's", w.Bytes, w.HeaderBytes, w.KernelHeaderBytes, w.UserHeaderBytes, n*tc.hdr+5, n*tc.hdr)
			}
		})
	}
}

func setFlags(l *layers.TCP, flags string) {
	l.SYN = strings.Contains(flags, "S")
	l.ACK = strings.Contains(flags, "A")
	l.FIN = strings.Contains(flags, "F")
	l.PSH = strings.Contains(flags, "P")
	l.RST = strings.Contains(flags, "R")
}

func TestWireCountsUDPAndRawHeaders(t *testing.T) {
	for _, tc := range []struct {
		name     string
		ip6      bool
		udpHdr   int      // header bytes of a UDP frame: 14 Ethernet, the IP header's, 8 UDP
		raw      []string // the raw kind's messages
		user     int      // the IP headers the raw kind wrote
		payload  int
		overhead float64
	}{
		{"IPv4", false, 14 + 20 + 8, []string{"A", "B"}, 2 * 20, 2, 97.1}, // 68 of 70 bytes
		{"IPv6", true, 14 + 40 + 8, []string{"A", "BC"}, 2 * 40, 3, 97.3}, // 108 of 111 bytes
	} {
		t.Run(tc.name, func(t *testing.T) {
			udp := []Frame{}
			for _, m := range []string{"A", "B", "C"} {
				udp = append(udp, loFrame(t, tc.ip6, &layers.UDP{SrcPort: 40000, DstPort: 5000}, m))
			}
			w := WireOf(udp, wire.LinkEthernet, false)
			if w.Packets != 3 || w.HeaderBytes != 3*tc.udpHdr || w.PayloadBytes != 3 || w.Setup != 0 || w.First != 0 {
				t.Errorf("udp: %+v, want 3 packets of %d header bytes and 1 payload byte", *w, tc.udpHdr)
			}
			var raw []Frame
			for _, m := range tc.raw {
				raw = append(raw, loFrame(t, tc.ip6, nil, m))
			}
			w = WireOf(raw, wire.LinkEthernet, true)
			if w.UserHeaderBytes != tc.user || w.KernelHeaderBytes != 2*14 || w.PayloadBytes != tc.payload || w.First != 0 {
				t.Errorf("raw: user %d, kernel %d, payload %d, first %d; want %d, 28, %d, 0", w.UserHeaderBytes, w.KernelHeaderBytes, w.PayloadBytes, w.First, tc.user, tc.payload)
			}
			if w.OverheadPct != tc.overhead {
				t.Errorf("raw overhead %v%%, want %v%%", w.OverheadPct, tc.overhead)
			}
		})
	}
}
