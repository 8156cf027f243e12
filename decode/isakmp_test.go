package decode

import (
	"slices"
	"testing"
)

// isakmpFrame is an Ethernet frame of a UDP datagram between ports 500
// holding an ISAKMP header of version ver, first payload next, and the
// payloads given; the header's length is the message's.
func isakmpFrame(ver, next byte, payloads ...byte) []byte {
	m := joinWire(make([]byte, 16), []byte{next, ver, 34, 0}, wire32(0), wire32(uint32(28+len(payloads))), payloads)
	udp := joinWire(wire16(500), wire16(500), wire16(uint16(8+len(m))), wire16(0), m)
	return tunEth(0x0800, tunIPv4(17, udp))
}

// TestISAKMPPayloadsAreTsharks checks where tshark was seen to find an
// ISAKMP message malformed: a proposal longer than its Security
// Association (tcpdump's ikev2pI2-segfault.pcapng), IKEv1's payload 15
// whose source ID runs past the message (ISAKMP_sa_setup.pcap); and
// tcpdump's lines on the corpus's captures.
func TestISAKMPPayloadsAreTsharks(t *testing.T) {
	for _, c := range []struct {
		name, layers string
		frame        []byte
		items        []string
	}{
		{"IKEv2 SA with a proposal", "eth ip udp isakmp", isakmpFrame(0x20, 33, 0, 0, 0, 12, 0, 0, 0, 8, 1, 1, 0, 0), nil},
		{"proposal past its SA", "eth ip udp isakmp _ws.malformed", isakmpFrame(0x20, 33, 0, 0, 0, 12, 0, 0, 0xaa, 0xaa, 1, 1, 0, 0),
			[]string{"ISAKMP: Malformed Packet (Exception occurred)"}},
		{"SA KEK source ID past the message", "eth ip udp isakmp _ws.malformed",
			isakmpFrame(0x10, 15, 0, 0, 0, 24, 0, 0, 0, 20, 1, 1, 0, 0, 0, 246, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
			[]string{"ISAKMP: Malformed Packet (Exception occurred)"}},
		{"SA KEK source ID inside", "eth ip udp isakmp",
			isakmpFrame(0x10, 15, 0, 0, 0, 24, 0, 0, 0, 20, 1, 1, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), nil},
	} {
		tree := dissectEther(c.frame)
		if got := layerNames(tree); got != c.layers {
			t.Errorf("%s: layers %q, want %q", c.name, got, c.layers)
		}
		if got := expertMessages(tree); !slices.Equal(got, c.items) {
			t.Errorf("%s: items %q, want %q", c.name, got, c.items)
		}
	}
	corpusMatchesTcpdump(t, "ISAKMP_sa_setup.pcap", "ikev2four.pcap", "ikev2pI2.pcap", "isakmp4500.pcap", "isakmp-no-none-np.pcapng")
}
