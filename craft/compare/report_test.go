package compare

import (
	"bytes"
	"net"
	"strings"
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/sockscope/sockscope/decode/wire"
)

// loFrame is an IPv4 packet in lo's Ethernet framing, as a capture on lo
// hands it, with the transport layer tr and payload.
func loFrame(t *testing.T, tr gopacket.SerializableLayer, payload string) Frame {
	t.Helper()
	eth := &layers.Ethernet{SrcMAC: make(net.HardwareAddr, 6), DstMAC: make(net.HardwareAddr, 6), EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, SrcIP: net.IPv4(127, 0, 0, 1), DstIP: net.IPv4(127, 0, 0, 1)}
	ls := []gopacket.SerializableLayer{eth, ip}
	switch l := tr.(type) {
	case *layers.TCP:
		ip.Protocol = layers.IPProtocolTCP
		l.SetNetworkLayerForChecksum(ip)
		ls = append(ls, l)
	case *layers.UDP:
		ip.Protocol = layers.IPProtocolUDP
		l.SetNetworkLayerForChecksum(ip)
		ls = append(ls, l)
	default:
		ip.Protocol = 253
	}
	ls = append(ls, gopacket.Payload(payload))
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatal(err)
	}
	// lo pads no frame to Ethernet's 60 bytes; gopacket does.
	d := append([]byte(nil), buf.Bytes()[:14+int(ip.Length)]...)
	return Frame{Data: d, CI: gopacket.CaptureInfo{CaptureLength: len(d), Length: len(d)}}
}

func TestWireCountsATCPConversation(t *testing.T) {
	// client 40000 -> server 5000: handshake, "A", "BC", "BC" again, the
	// server's ACKs, then FIN, ACK, FIN, ACK.
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
	frames := []Frame{
		loFrame(t, c("S", 100, 0), ""),
		loFrame(t, s("SA", 900, 101), ""),
		loFrame(t, c("A", 101, 901), ""),
		loFrame(t, c("PA", 101, 901), "A"),
		loFrame(t, s("A", 901, 102), ""),
		loFrame(t, c("PA", 102, 901), "BC"),
		loFrame(t, c("PA", 102, 901), "BC"), // retransmitted
		loFrame(t, s("A", 901, 104), ""),
		loFrame(t, c("FA", 104, 901), ""),
		loFrame(t, s("A", 901, 105), ""),
		loFrame(t, s("FA", 901, 105), ""),
		loFrame(t, c("A", 105, 902), ""),
	}
	w := WireOf(frames, wire.LinkEthernet, false)
	want := Wire{Packets: 12, Setup: 3, Teardown: 4, Acks: 2, Retransmissions: 1, PayloadBytes: 5, First: 3}
	if w.Packets != want.Packets || w.Setup != want.Setup || w.Teardown != want.Teardown || w.Acks != want.Acks ||
		w.Retransmissions != want.Retransmissions || w.PayloadBytes != want.PayloadBytes || w.First != want.First {
		t.Errorf("got %+v, want %+v", *w, want)
	}
	// Every frame: 14 Ethernet + 20 IP + 20 TCP bytes of header.
	if w.HeaderBytes != 12*54 || w.Bytes != 12*54+5 || w.KernelHeaderBytes != w.HeaderBytes || w.UserHeaderBytes != 0 {
		t.Errorf("bytes %d, header %d (kernel %d, user %d), want %d, %d, all the kernel's", w.Bytes, w.HeaderBytes, w.KernelHeaderBytes, w.UserHeaderBytes, 12*54+5, 12*54)
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
	udp := []Frame{}
	for _, m := range []string{"A", "B", "C"} {
		udp = append(udp, loFrame(t, &layers.UDP{SrcPort: 40000, DstPort: 5000}, m))
	}
	w := WireOf(udp, wire.LinkEthernet, false)
	if w.Packets != 3 || w.HeaderBytes != 3*42 || w.PayloadBytes != 3 || w.Setup != 0 || w.First != 0 {
		t.Errorf("udp: %+v", *w)
	}
	raw := []Frame{loFrame(t, nil, "A"), loFrame(t, nil, "B")}
	w = WireOf(raw, wire.LinkEthernet, true)
	if w.UserHeaderBytes != 2*20 || w.KernelHeaderBytes != 2*14 || w.PayloadBytes != 2 {
		t.Errorf("raw: user %d, kernel %d, payload %d; want 40, 28, 2", w.UserHeaderBytes, w.KernelHeaderBytes, w.PayloadBytes)
	}
	if w.OverheadPct != 97.1 { // 68 of 70 bytes
		t.Errorf("raw overhead %v%%, want 97.1%%", w.OverheadPct)
	}
}

func TestTallySaysWhetherBoundariesWereKept(t *testing.T) {
	msgs := [][]byte{[]byte("A"), []byte("B"), []byte("C")}
	for _, tc := range []struct {
		name        string
		reads       []string
		kept, order bool
		lost        int
	}{
		{"merged stream", []string{"ABC"}, false, true, 0},
		{"partly merged", []string{"A", "BC"}, false, true, 0},
		{"short stream", []string{"AB"}, false, true, 1},
		{"datagrams", []string{"A", "B", "C"}, true, true, 0},
		{"one lost", []string{"A", "C"}, true, true, 1},
		{"reordered", []string{"B", "A", "C"}, true, false, 1},
	} {
		var reads [][]byte
		for _, r := range tc.reads {
			reads = append(reads, []byte(r))
		}
		var k KindReport
		k.tally(msgs, reads)
		if k.BoundariesKept != tc.kept || k.InOrder != tc.order || k.Lost != tc.lost {
			t.Errorf("%s: kept %v, in order %v, lost %d; want %v, %v, %d", tc.name, k.BoundariesKept, k.InOrder, k.Lost, tc.kept, tc.order, tc.lost)
		}
	}
}

func TestParseKindsTakesKindsAndSockets(t *testing.T) {
	got, err := ParseKinds("datagram,tcp,raw")
	if err != nil || strings.Join(got, ",") != "raw,tcp,udp,unix-dgram" {
		t.Errorf("got %v, %v", got, err)
	}
	if _, err := ParseKinds("tcp,quic"); err == nil {
		t.Error("quic: no error")
	}
}

func TestMessagesOfCountAndSize(t *testing.T) {
	m := Messages(28, 2)
	if len(m) != 28 || !bytes.Equal(m[0], []byte("AA")) || !bytes.Equal(m[27], []byte("BB")) {
		t.Errorf("got %q", m)
	}
}

func TestTableOfEveryKindFits120Columns(t *testing.T) {
	msgs := Messages(200, 1000)
	r := &Report{Link: "lo"}
	for _, k := range Kinds {
		kr := KindReport{Kind: k.Kind, Name: k.Name, Family: "inet", ElapsedUS: 123456789}
		if strings.HasPrefix(k.Name, "unix") {
			kr.Family = "unix"
		} else {
			kr.Wire = &Wire{Packets: 123456, Bytes: 123456789, OverheadPct: 99.9, First: -1}
		}
		for i, m := range msgs {
			kr.Writes = append(kr.Writes, Op{Bytes: len(m) + i})
			kr.Reads = append(kr.Reads, Op{Bytes: len(m) + i, Data: string(m)})
		}
		r.Kinds = append(r.Kinds, kr)
	}
	var b strings.Builder
	if err := r.WriteTable(&b, false); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(b.String(), "\n") {
		if len(line) > 120 {
			t.Errorf("%d columns: %s", len(line), line)
		}
	}
	if !strings.Contains(b.String(), "none (AF_UNIX)") {
		t.Errorf("no AF_UNIX mark in\n%s", b.String())
	}
}
