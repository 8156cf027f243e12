package flow

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// The sessions of tcp4.pcap (testdata/README.md): nc sends 3092 bytes up
// and 5000 down on ports 46001-46003, 65536 up and 3092 down over a lossy
// link on 46004, and 46009 is refused.
func TestTCPSessionsGiveBackWhatNcSent(t *testing.T) {
	for _, name := range []string{"tcp4.pcap", "tcp6.pcap"} {
		t.Run(name, func(t *testing.T) {
			table := readTable(t, name, All)
			convs := table.Conversations()
			if len(convs) != 5 {
				t.Fatalf("%d conversations, want 5", len(convs))
			}
			want := map[uint16][2]int64{1: {3092, 5000}, 2: {3092, 5000}, 3: {3092, 5000}, 4: {65536, 3092}, 9: {0, 0}}
			var lossy Conversation
			for _, c := range convs {
				if !c.Handshake || c.Proto != TCP {
					t.Errorf("conversation %d: handshake %v, proto %s", c.Index, c.Handshake, c.Proto)
				}
				w, ok := want[c.Server.Port()%100]
				if !ok || c.Payload != w || c.Lost != [2]int64{} {
					t.Errorf("conversation %d to %s: payload %v lost %v, want %v", c.Index, c.Server, c.Payload, c.Lost, w)
				}
				msgs, _ := table.Messages(c.Index)
				var sum [2]int64
				for _, m := range msgs {
					sum[m.Dir] += int64(len(m.Data))
				}
				if sum != c.Payload {
					t.Errorf("conversation %d: messages hold %v bytes, payload %v", c.Index, sum, c.Payload)
				}
				if c.Server.Port()%100 == 4 {
					lossy = c
				}
				// nc -N closes after its file, each side; the refused
				// connection ends with a reset instead.
				var lastOf [2]int
				for i, m := range msgs {
					lastOf[m.Dir] = i + 1
				}
				if c.Server.Port()%100 != 9 && (c.Fin != [2]bool{true, true} || c.FinAfter[0] < lastOf[0] || c.FinAfter[1] < lastOf[1]) {
					t.Errorf("conversation %d: fin %v after %v messages; last messages %v", c.Index, c.Fin, c.FinAfter, lastOf)
				}
			}
			// Both ends of nc send their file at once: the messages
			// interleave, and each way they add up to the file.
			msgs, _ := table.Messages(lossy.Index)
			var stream [2][]byte
			for _, m := range msgs {
				stream[m.Dir] = append(stream[m.Dir], m.Data...)
			}
			if !bytes.HasPrefix(stream[FromClient], []byte("100000\n100001\n")) || !bytes.HasSuffix(stream[FromServer], []byte("799\n800\n")) {
				t.Errorf("lossy session: streams begin %q and end %q", stream[FromClient][:14], stream[FromServer][len(stream[FromServer])-8:])
			}
			// Retransmissions: more payload on the wire than in the stream.
			if lossy.Packets[FromClient] < 50 {
				t.Errorf("lossy session: only %d packets from the client", lossy.Packets[FromClient])
			}
		})
	}
}

func TestDNSOverUDPIsOneMessagePerDatagram(t *testing.T) {
	table := readTable(t, "dns.pcap", All)
	var udp, tcp int
	for _, c := range table.Conversations() {
		msgs, _ := table.Messages(c.Index)
		switch c.Proto {
		case UDP:
			udp++
			if c.Server.Port() != 53 || len(msgs) != 2 || msgs[0].Dir != FromClient || msgs[1].Dir != FromServer {
				t.Errorf("udp conversation %d (%s -> %s): %d messages", c.Index, c.Client, c.Server, len(msgs))
			}
		case TCP:
			tcp++
			// DNS over TCP: a 2-byte length, then the query; the same for the answer.
			if len(msgs) != 2 || int(binary.BigEndian.Uint16(msgs[0].Data))+2 != len(msgs[0].Data) {
				t.Errorf("tcp conversation %d: %d messages", c.Index, len(msgs))
			}
		}
	}
	if udp != 23 || tcp != 5 {
		t.Errorf("%d udp and %d tcp conversations, want 23 and 5", udp, tcp)
	}
}

func TestEveryLinkTypeFindsTheSameConversations(t *testing.T) {
	// any.pcap and any-sll1.pcap hold the same traffic, cooked v2 and v1.
	a := readTable(t, "any.pcap", 0).Conversations()
	b := readTable(t, "any-sll1.pcap", 0).Conversations()
	if len(a) != len(b) || len(a) == 0 {
		t.Fatalf("%d and %d conversations", len(a), len(b))
	}
	for i := range a {
		if a[i].Client != b[i].Client || a[i].Server != b[i].Server || a[i].Payload != b[i].Payload {
			t.Errorf("conversation %d: %s -> %s %v, and %s -> %s %v", i+1, a[i].Client, a[i].Server, a[i].Payload, b[i].Client, b[i].Server, b[i].Payload)
		}
	}
	raw := readTable(t, "raw-ip.pcap", 0).Conversations()
	if len(raw) != 3 {
		t.Errorf("raw-ip.pcap: %d conversations, want 3 (two TCP, one UDP)", len(raw))
	}
}

// tcpPacket builds a raw IPv4 TCP packet (LINKTYPE_IPV4) from a to b.
func tcpPacket(a, b netip.AddrPort, seq uint32, flags byte, payload string) []byte {
	p := make([]byte, 40, 40+len(payload))
	p[0] = 0x45
	binary.BigEndian.PutUint16(p[2:], uint16(40+len(payload)))
	p[8], p[9] = 64, wire.ProtoTCP
	copy(p[12:], a.Addr().AsSlice())
	copy(p[16:], b.Addr().AsSlice())
	binary.BigEndian.PutUint16(p[20:], a.Port())
	binary.BigEndian.PutUint16(p[22:], b.Port())
	binary.BigEndian.PutUint32(p[24:], seq)
	p[32], p[33] = 5<<4, flags
	return append(p, payload...)
}

// A stream built by hand: segments out of order, retransmitted, and
// overlapping, across the wrap of the sequence space.
func TestReassemblyPutsSegmentsInPlace(t *testing.T) {
	c := netip.MustParseAddrPort("192.0.2.1:40000")
	s := netip.MustParseAddrPort("192.0.2.2:80")
	isn := uint32(0xfffffff0) // wraps after 15 bytes
	t0 := time.Unix(1000, 0)
	pkts := []struct {
		from, to netip.AddrPort
		seq      uint32
		flags    byte
		data     string
	}{
		{s, c, 500, flagSYN | flagACK, ""}, // the SYN was not captured: the client is still c
		{c, s, isn + 1, flagACK, "GET / HTTP/1.1\r\n"},
		{c, s, isn + 1 + 26, flagACK, "\r\n"},          // ahead of a gap
		{c, s, isn + 1 + 16, flagACK, "Host: x\r\n"},   // fills part of it
		{c, s, isn + 1 + 22, flagACK, "x\r\nX"},        // overlap: old bytes dropped, "X" new
		{c, s, isn + 1, flagACK, "GET / HTTP/1.1\r\n"}, // retransmission
		{s, c, 501, flagACK, "HTTP/1.1 200 OK\r\n"},
		{s, c, 501, flagACK, "HTTP/1.1 200 OK\r\n"},
		{c, s, isn + 1 + 28, flagFIN | flagACK, ""},
	}
	table := NewTable()
	table.Follow(1)
	for i, p := range pkts {
		data := tcpPacket(p.from, p.to, p.seq, p.flags, p.data)
		ci := gopacket.CaptureInfo{Timestamp: t0.Add(time.Duration(i) * time.Millisecond), CaptureLength: len(data), Length: len(data)}
		if n := table.Add(wire.LinkIPv4, data, ci); n != 1 {
			t.Fatalf("packet %d: conversation %d", i, n)
		}
	}
	conv := table.Conversations()[0]
	if conv.Client != c || conv.Server != s || !conv.Handshake {
		t.Errorf("client %s server %s handshake %v", conv.Client, conv.Server, conv.Handshake)
	}
	msgs, _ := table.Messages(1)
	want := []Message{
		{FromClient, time.Millisecond, []byte("GET / HTTP/1.1\r\nHost: x\r\nX\r\n")},
		{FromServer, 6 * time.Millisecond, []byte("HTTP/1.1 200 OK\r\n")},
	}
	if len(msgs) != len(want) {
		t.Fatalf("%d messages: %q", len(msgs), msgs)
	}
	for i := range want {
		if msgs[i].Dir != want[i].Dir || msgs[i].Offset != want[i].Offset || !bytes.Equal(msgs[i].Data, want[i].Data) {
			t.Errorf("message %d: %s %v %q, want %s %v %q", i, msgs[i].Dir, msgs[i].Offset, msgs[i].Data, want[i].Dir, want[i].Offset, want[i].Data)
		}
	}
	if conv.Payload != [2]int64{28, 17} || conv.Duration != 8*time.Millisecond {
		t.Errorf("payload %v duration %v", conv.Payload, conv.Duration)
	}
}

// A gap the capture never filled: the data after it still comes out, and
// the gap is counted as lost.
func TestGapNeverFilledIsCountedLost(t *testing.T) {
	c := netip.MustParseAddrPort("192.0.2.1:40000")
	s := netip.MustParseAddrPort("192.0.2.2:80")
	table := NewTable()
	table.Follow(All)
	for i, p := range [][]byte{
		tcpPacket(c, s, 100, flagSYN, ""),
		tcpPacket(c, s, 101, flagACK, "abc"),
		tcpPacket(c, s, 110, flagACK, "xyz"), // 104-109 never captured
	} {
		table.Add(wire.LinkIPv4, p, gopacket.CaptureInfo{Timestamp: time.Unix(int64(i), 0)})
	}
	msgs, _ := table.Messages(1)
	conv := table.Conversations()[0]
	if len(msgs) != 1 || string(msgs[0].Data) != "abc\x00\x00\x00\x00\x00\x00xyz" || conv.Lost[FromClient] != 6 || conv.Payload[FromClient] != 12 {
		t.Errorf("messages %q, lost %v, payload %v", msgs, conv.Lost, conv.Payload)
	}
}

func TestPortsUsedAgainMakeANewConversation(t *testing.T) {
	c := netip.MustParseAddrPort("192.0.2.1:40000")
	s := netip.MustParseAddrPort("192.0.2.2:80")
	table := NewTable()
	var got []int
	for _, p := range [][]byte{
		tcpPacket(c, s, 100, flagSYN, ""),
		tcpPacket(s, c, 900, flagSYN|flagACK, ""),
		tcpPacket(c, s, 101, flagRST, ""),
		tcpPacket(c, s, 5000, flagSYN, ""),
		tcpPacket(c, s, 5000, flagSYN, ""), // the SYN again: same connection
	} {
		got = append(got, table.Add(wire.LinkIPv4, p, gopacket.CaptureInfo{}))
	}
	if want := []int{1, 1, 1, 2, 2}; !slices.Equal(got, want) {
		t.Errorf("conversations %v, want %v", got, want)
	}
}

func TestNotTCPOrUDPIsSkipped(t *testing.T) {
	table := NewTable()
	for _, p := range readPackets(t, "arp-icmp.pcap") {
		if n := table.Add(p.link, p.data, p.ci); n != 0 && table.Conversations()[n-1].Proto != UDP {
			t.Errorf("packet at %v: conversation %d", p.ci.Timestamp, n)
		}
	}
	// The one UDP datagram to a closed port, its ICMP answer not counted.
	if convs := table.Conversations(); len(convs) != 1 || convs[0].Packets != [2]int{1, 0} {
		t.Errorf("conversations %+v", convs)
	}
}
