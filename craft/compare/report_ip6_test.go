package compare

import (
	"net"
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/sockscope/sockscope/decode/wire"
)

// lo6Frame is loFrame over IPv6 (::1 to ::1): next header tr's, or 253.
func lo6Frame(t *testing.T, tr gopacket.SerializableLayer, payload string) Frame {
	t.Helper()
	eth := &layers.Ethernet{SrcMAC: make(net.HardwareAddr, 6), DstMAC: make(net.HardwareAddr, 6), EthernetType: layers.EthernetTypeIPv6}
	ip := &layers.IPv6{Version: 6, HopLimit: 64, SrcIP: net.IPv6loopback, DstIP: net.IPv6loopback}
	ls := []gopacket.SerializableLayer{eth, ip}
	switch l := tr.(type) {
	case *layers.TCP:
		ip.NextHeader = layers.IPProtocolTCP
		l.SetNetworkLayerForChecksum(ip)
		ls = append(ls, l)
	case *layers.UDP:
		ip.NextHeader = layers.IPProtocolUDP
		l.SetNetworkLayerForChecksum(ip)
		ls = append(ls, l)
	default:
		ip.NextHeader = 253
	}
	ls = append(ls, gopacket.Payload(payload))
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatal(err)
	}
	d := append([]byte(nil), buf.Bytes()[:14+40+int(ip.Length)]...)
	return Frame{Data: d, CI: gopacket.CaptureInfo{CaptureLength: len(d), Length: len(d)}}
}

func TestWireCountsATCPConversationOverIPv6(t *testing.T) {
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
		lo6Frame(t, c("S", 100, 0), ""),
		lo6Frame(t, s("SA", 900, 101), ""),
		lo6Frame(t, c("A", 101, 901), ""),
		lo6Frame(t, c("PA", 101, 901), "A"),
		lo6Frame(t, s("A", 901, 102), ""),
		lo6Frame(t, c("PA", 102, 901), "BC"),
		lo6Frame(t, c("PA", 102, 901), "BC"), // retransmitted
		lo6Frame(t, s("A", 901, 104), ""),
		lo6Frame(t, c("FA", 104, 901), ""),
		lo6Frame(t, c("FA", 104, 901), ""), // FIN again
		lo6Frame(t, s("A", 901, 105), ""),
		lo6Frame(t, s("FA", 901, 105), ""),
		lo6Frame(t, c("A", 105, 902), ""),
	}
	w := WireOf(frames, wire.LinkEthernet, false)
	want := Wire{Packets: 13, Setup: 3, Teardown: 5, Acks: 2, Retransmissions: 2, PayloadBytes: 5, First: 3}
	if w.Packets != want.Packets || w.Setup != want.Setup || w.Teardown != want.Teardown || w.Acks != want.Acks ||
		w.Retransmissions != want.Retransmissions || w.PayloadBytes != want.PayloadBytes || w.First != want.First {
		t.Errorf("got %+v, want %+v", *w, want)
	}
	// Every frame: 14 Ethernet + 40 IPv6 + 20 TCP bytes of header.
	if w.HeaderBytes != 13*74 || w.Bytes != 13*74+5 || w.KernelHeaderBytes != w.HeaderBytes || w.UserHeaderBytes != 0 {
		t.Errorf("bytes %d, header %d (kernel %d, user %d), want %d, %d, all the kernel's", w.Bytes, w.HeaderBytes, w.KernelHeaderBytes, w.UserHeaderBytes, 13*74+5, 13*74)
	}
}

func TestWireCountsUDPAndRawHeadersOverIPv6(t *testing.T) {
	udp := []Frame{}
	for _, m := range []string{"A", "B", "C"} {
		udp = append(udp, lo6Frame(t, &layers.UDP{SrcPort: 40000, DstPort: 5000}, m))
	}
	w := WireOf(udp, wire.LinkEthernet, false)
	if w.Packets != 3 || w.HeaderBytes != 3*62 || w.PayloadBytes != 3 || w.Setup != 0 || w.First != 0 {
		t.Errorf("udp: %+v, want 3 packets of 62 header bytes and 1 payload byte", *w)
	}
	raw := []Frame{lo6Frame(t, nil, "A"), lo6Frame(t, nil, "BC")}
	w = WireOf(raw, wire.LinkEthernet, true)
	if w.UserHeaderBytes != 2*40 || w.KernelHeaderBytes != 2*14 || w.PayloadBytes != 3 || w.First != 0 {
		t.Errorf("raw: user %d, kernel %d, payload %d, first %d; want 80, 28, 3, 0", w.UserHeaderBytes, w.KernelHeaderBytes, w.PayloadBytes, w.First)
	}
}

func TestDiagramLabelsIPv6Frames(t *testing.T) {
	isn, seen := map[bool]uint32{}, map[bool]bool{}
	syn := &layers.TCP{SrcPort: 40000, DstPort: 5000, Seq: 7, Window: 64, DataOffset: 5, SYN: true}
	for _, c := range []struct {
		f    Frame
		want string
	}{
		{lo6Frame(t, &layers.UDP{SrcPort: 40000, DstPort: 5000}, "A"), "udp 1 B"},
		{lo6Frame(t, syn, ""), "SYN"},
		{lo6Frame(t, nil, "AB"), "ip proto 253, 2 B"},
	} {
		if got, from := frameLabel(c.f.Data, 40000, isn, seen); got != c.want || !from {
			t.Errorf("label %q (from the sender %v), want %q from the sender", got, from, c.want)
		}
	}
}
