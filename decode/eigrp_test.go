package decode

import (
	"encoding/binary"
	"slices"
	"testing"

	"github.com/sockscope/sockscope/decode/wire"
)

// eigrpMessage is an EIGRP Hello with the TLVs given and a good checksum.
func eigrpMessage(tlvs ...byte) []byte {
	m := joinWire([]byte{2, 5, 0, 0}, make([]byte, 12), []byte{0, 0, 0, 100}, tlvs)
	binary.BigEndian.PutUint16(m[2:], wire.Fold(wire.Sum(0, m)))
	return m
}

// TestEIGRPIsTsharksAndTcpdumps checks the items tshark was seen to give
// EIGRP messages, and tcpdump's lines on the corpus's EIGRP captures.
func TestEIGRPIsTsharksAndTcpdumps(t *testing.T) {
	bad := eigrpMessage(0, 1, 0, 12, 1, 0, 1, 0, 0, 0, 0, 15)
	bad[3] ^= 1
	for _, c := range []struct {
		name, layers string
		msg          []byte
		items        []string
	}{
		{"hello", "eth ip eigrp", eigrpMessage(0, 1, 0, 12, 1, 0, 1, 0, 0, 0, 0, 15), nil},
		{"goodbye", "eth ip eigrp", eigrpMessage(0, 1, 0, 12, 255, 255, 255, 255, 255, 0, 0, 15), []string{"EIGRP: Peer Termination"}},
		{"bad checksum", "eth ip eigrp", bad, []string{"EIGRP: Bad Checksum [should be 0x" + string(appendHex4(nil, uint64(binary.BigEndian.Uint16(bad[2:])^1))) + "]"}},
		{"short", "eth ip _ws.malformed", eigrpMessage()[:10], []string{"EIGRP: Malformed Packet (Exception occurred)"}},
		{"TLV length 3", "eth ip eigrp", eigrpMessage(0, 1, 0, 3), []string{"EIGRP: Corrupt TLV (Length field less than 4)"}},
		{"parameters cut", "eth ip eigrp _ws.malformed", eigrpMessage(0, 1, 0, 8, 1, 0, 1, 0), []string{"EIGRP: Malformed Packet (Exception occurred)"}},
		{"unknown TLV", "eth ip eigrp", eigrpMessage(0, 9, 0, 4), []string{"EIGRP: Unknown Generic TLV (0x0009)"}},
	} {
		tree := dissectEther(tunEth(0x0800, tunIPv4(88, c.msg)))
		if got := layerNames(tree); got != c.layers {
			t.Errorf("%s: layers %q, want %q", c.name, got, c.layers)
		}
		if got := expertMessages(tree); !slices.Equal(got, c.items) {
			t.Errorf("%s: items %q, want %q", c.name, got, c.items)
		}
	}
	corpusMatchesTcpdump(t, "EIGRP_adjacency.pcap", "EIGRP_goodbye.pcap", "EIGRP_ipv6.pcap", "EIGRP_subnet_down.pcap",
		"EIGRP_subnet_up.pcap", "eigrp-tlv-oobr.pcap")
}
