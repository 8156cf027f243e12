package decode

import (
	"slices"
	"testing"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// tcptailTCP is an Ethernet frame of a TCP segment from port sport to
// port dport carrying payload.
func tcptailTCP(sport, dport uint16, seq uint32, payload []byte) []byte {
	return tunEth(0x0800, tunIPv4(6, tcpSegment(sport, dport, seq, 1, 0x18, 512, nil, payload)))
}

// tcptailBack is frame with its IPv4 addresses swapped (the header's
// checksum stays right: the sum of its words does not change).
func tcptailBack(frame []byte) []byte {
	ip := frame[14:]
	for i := 12; i < 16; i++ {
		ip[i], ip[i+4] = ip[i+4], ip[i]
	}
	return frame
}

// TestTCPTailProtocolsAreTsharksAndTcpdumps checks the layers and items
// tshark was seen to give OpenFlow, DCCP, LDP, RESP, PGM and the NetBIOS
// session service, and tcpdump's default lines on their corpus captures
// (not dccp_options-oobr.pcap's: this test's reader keeps the bytes of a
// record past the file's snapshot length, which tcpdump does not print).
func TestTCPTailProtocolsAreTsharksAndTcpdumps(t *testing.T) {
	ofHello := []byte{1, 0, 0, 8, 0, 0, 0, 1}
	flowMod := make([]byte, ofFlowModLen)
	copy(flowMod, []byte{1, 14, 0, ofFlowModLen})
	ldpBad := joinWire([]byte{0, 1, 0, 14, 10, 0, 0, 1, 0, 0}, []byte{0xff, 0xff, 0, 0, 0, 0, 0, 0})
	for _, c := range []struct {
		name, layers string
		frame        []byte
		items        []string
	}{
		{"OpenFlow hello to 6653", "eth ip tcp openflow_v1", tcptailTCP(40000, 6653, 1, ofHello), nil},
		{"two OpenFlow messages", "eth ip tcp openflow_v1 openflow_v1", tcptailTCP(6653, 40000, 1, joinWire(ofHello, ofHello)), nil},
		{"OpenFlow FLOW_MOD without actions", "eth ip tcp openflow_v1 _ws.malformed", tcptailTCP(40000, 6653, 1, flowMod),
			[]string{"openflow_v1: Malformed Packet (Exception occurred)"}},
		{"OpenFlow from 6633 first", "eth ip tcp data", tcptailTCP(6633, 40000, 1, ofHello), nil},
		{"LDP message length 0", "eth ip udp ldp", tunEth(0x0800, tunIPv4(17, tunUDP(646, ldpBad))),
			[]string{"LDP: Error processing Message Length: length is 0, should be >= 4"}},
		{"RESP negative length", "eth ip tcp resp", tcptailTCP(40000, 6379, 1, []byte("*-20\r\n")),
			[]string{"RESP: Malformed length specified"}},
		{"PGM header alone", "eth ip data", tunEth(0x0800, tunIPv4(113, make([]byte, 16))), nil},
		{"PGM ODATA", "eth ip pgm data", tunEth(0x0800, tunIPv4(113, joinWire([]byte{0, 1, 0, 2, 4}, make([]byte, 19), []byte("abc")))), nil},
		{"NBSS and SMB", "eth ip tcp nbss smb", tcptailTCP(445, 40000, 1, []byte{0, 0, 0, 4, 0xff, 'S', 'M', 'B'}), nil},
		{"NBSS continuation", "eth ip tcp nbss", tcptailTCP(445, 40000, 1, []byte{0, 0, 0, 0, 0xff, 'S', 'M', 'B'}), nil},
	} {
		tree := dissectEther(c.frame)
		if got := layerNames(tree); got != c.layers {
			t.Errorf("%s: layers %q, want %q", c.name, got, c.layers)
		}
		if got := expertMessages(tree); !slices.Equal(got, c.items) {
			t.Errorf("%s: items %q, want %q", c.name, got, c.items)
		}
	}
	corpusMatchesTcpdump(t, "of10_7050q.pcapng", "of10_7050sx_bsn-oobr.pcap", "of10_7050sx_bsn.pcap", "of10_inv_OFPST_FLOW.pcap",
		"of10_p3295.pcap", "of10_pf5240.pcap", "of10_s4810.pcap", "of13_ericsson.pcapng",
		"dccp_partial_csum_v4_longer.pcap", "dccp_partial_csum_v4_simple.pcap",
		"dccp_partial_csum_v6_longer.pcap", "dccp_partial_csum_v6_simple.pcap",
		"ldp-common-session.pcap", "ldp-infinite-loop.pcap", "ldp-ldp_tlv_print-oobr.pcap", "ldp_tlv_print-oobr.pcap",
		"resp_1_benchmark.pcap", "resp_2_inline.pcap", "resp_3_malicious.pcap",
		"pgm_group_addr_asan.pcap", "pgm_poll_polr.pcap", "pgm_zmtp1.pcap",
		"smb_data_print-oobr.pcapng", "smb_data_print-segv.pcap", "wccp_redirect_gre.pcap")
}

// TestOpenFlowOn6633FollowsTsharksHeuristic checks that a conversation on
// port 6633 is OpenFlow from its first payload sent to the port on, and
// data before.
func TestOpenFlowOn6633FollowsTsharksHeuristic(t *testing.T) {
	hello := []byte{1, 0, 0, 8, 0, 0, 0, 1}
	var tree Tree
	var got []string
	for i, f := range [][]byte{
		tcptailTCP(6633, 40000, 100, hello),
		tcptailBack(tcptailTCP(40000, 6633, 200, hello)),
		tcptailTCP(6633, 40000, 108, hello),
	} {
		tree.Dissect(f, gopacket.CaptureInfo{CaptureLength: len(f), Length: len(f)}, wire.LinkEthernet, i+1)
		got = append(got, layerNames(&tree))
	}
	want := []string{"eth ip tcp data", "eth ip tcp openflow_v1", "eth ip tcp openflow_v1"}
	if !slices.Equal(got, want) {
		t.Errorf("layers %q, want %q", got, want)
	}
}
