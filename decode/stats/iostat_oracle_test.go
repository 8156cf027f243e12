package stats_test

// The oracle test of -z io,stat (see phs_oracle_test.go for how both sides
// run): every capture's intervals of one second (wider on a long capture),
// the whole capture, half seconds with TCP and UDP columns, and columns
// that compute over fields.

import (
	"path/filepath"
	"strings"
	"testing"
)

// iostatCalcSpecs are the specs with calculations, at the intervals one
// and tenth: a field named by the column's filter, and one it does not
// name (tshark then has a value of the field only if another filter of the
// run names it, see Prime).
func iostatCalcSpecs(one, tenth string) []string {
	return []string{
		"io,stat," + tenth + ",ip.src==10.0.0.0/8,COUNT(tcp.analysis.retransmission)tcp.analysis.retransmission," +
			"MIN(frame.time_relative)frame.time_relative,MAX(frame.time_relative)frame.time_relative," +
			"AVG(tcp.time_delta)tcp.time_delta,FRAMES()tcp,BYTES()ip.src==10.0.0.0/8",
		"io,stat," + one + ",COUNT(tcp.srcport)tcp.srcport,SUM(frame.len)frame.len,MIN(frame.len)frame.len,MAX(ip.ttl)ip.ttl,AVG(frame.len)frame.len,MIN(tcp.len)tcp.len>0",
		"io,stat,0,FRAMES()udp,BYTES()tcp,FRAMES,BYTES,AVG(ip.len)ip.len,MAX(udp.length)udp.length,ip.len>100,SUM(udp.length)udp,COUNT(dns.qry.name)dns.qry.name",
	}
}

// iostatAcceptedDifferences are the captures whose I/O tables differ for a
// reason outside the statistics, with the reason.
var iostatAcceptedDifferences = map[string]string{
	// A packet stamped with a microsecond count of a million or more:
	// sockscope's reader carries it into the seconds, tshark's keeps the
	// seconds, so the two disagree on the capture's duration.
	"timestamp_invalid_micro.pcap": "tshark and sockscope read a stamp of 1,000,000 microseconds or more differently",
	// Packets stamped 2^31 s (68 years) or more after the first: tshark
	// compares a packet's time with the duration so far cut to 32-bit
	// seconds, so that any later packet becomes the duration (0, 3e9 s
	// and 1000 s last 1000 s; 0, 3e9 s and 2.5e9 s last 2.5e9 s; 0,
	// 2.2e9 s and -5 s last -5 s, written as unsigned microseconds cut to
	// 32-bit seconds, 4154504680.6, over 18447 rows of 1e9 s whose times
	// wrap at 2^32 s). This capture's duration is so its 24th packet's
	// time, -168636700.131862 s, written 3985867985.419755. Not done: the
	// text would need unsigned microseconds throughout for one capture.
	"bgp_vpn_rt-oobr.pcap": "tshark's duration once a packet is 2^31 s or more after the first is a later packet's time, wrapped (learnt, not done)",
	// tshark reads the record as 34 bytes captured of 65598, sockscope
	// 31, and tshark's io,stat then counts nothing of the packet.
	"extract_read2_asan.pcap": "tshark and sockscope read the record's captured length differently (34, 31)",
	// A packet stamped before 1970: tshark reads -0.2078753920 s,
	// sockscope 3841.916976 s.
	"rx_serviceid_oobr.pcap": "tshark and sockscope read a negative timestamp differently",
	// The dissections differ (frame.protocols): the tables count other
	// packets or values. Those of the whole corpus
	// (SOCKSCOPE_PHS_CORPUS=all).
	"bgp-bgp_capabilities_print-oobr-1.pcap": "tshark dissects BGP in the segment, which gives it no tcp.len (sockscope: 4075)",
	"bgp-bgp_capabilities_print-oobr-2.pcap": "a first IP fragment: tshark gives its TCP segment no tcp.len, sockscope 4075 (MIN(tcp.len)tcp.len>0)",
	"bigtcp-ipv4-vxlan-ipv6.pcap":            "an IPv4 total length of 0 (big TCP): tshark's ip.len is the frame's, 80046, sockscope's 0 (AVG(ip.len))",
	"bigtcp-ipv4-vxlan-ipv4.pcap":            "an IPv4 total length of 0 (big TCP): tshark's ip.len is the frame's, sockscope's 0",
	"bigtcp-ipv4-geneve-ipv4.pcap":           "an IPv4 total length of 0 (big TCP): tshark's ip.len is the frame's, sockscope's 0",
	"bigtcp-ipv4-geneve-ipv6.pcap":           "an IPv4 total length of 0 (big TCP): tshark's ip.len is the frame's, sockscope's 0",
	"bigtcp-ipv4.pcap":                       "an IPv4 total length of 0 (big TCP): tshark dissects the TCP inside, sockscope stops at IP",
	"ipv4_tcp_http_xml_tso.pcap":             "an IPv4 total length of 0 (TSO): tshark dissects the TCP inside, sockscope stops at IP",
	"arista_ether.pcap":                      "tshark dissects the IPv4 inside Arista's ethertype (avsp), sockscope does not",
	"bcm-li.pcap":                            "sockscope dissects Broadcom LI and the IP inside, tshark does not",
	"vxlan_port_8472.pcap":                   "sockscope dissects OTV and the IP inside UDP port 8472, tshark does not",
	"sflow-print-v6.pcap":                    "tshark dissects the IPv4 inside sFlow's samples, sockscope does not",
	"of13_ericsson.pcapng":                   "tshark dissects the IPv4 inside OpenFlow 1.3, sockscope does not",
	"nhrp-trace.pcap":                        "tshark dissects the IPv4 inside NHRP, sockscope does not",
	"various_gre.pcap":                       "tshark dissects the IPv4 inside GRE's CMD payload, sockscope does not",
	"mpls-over-udp.pcap":                     "tshark dissects MPLS over UDP and the IPv4 inside, sockscope does not",
	"dns_udp_8053.pcap":                      "tshark dissects DNS on UDP port 8053, sockscope does not",
	"kday4.pcap":                             "an IPv4 total length past the 66-byte frame: sockscope's tcp.len is 768, tshark's 0",
	"kday7.pcap":                             "an IPv4 total length past the 66-byte frame: sockscope's tcp.len is 768, tshark's 0",
}

// iostatTimeDifferences are the captures whose table of MIN and MAX over
// frame.time_relative differs, with the reason; their other tables must
// agree.
var iostatTimeDifferences = map[string]string{}

// TestIOStatIsTsharks compares each -z io,stat of every capture.
func TestIOStatIsTsharks(t *testing.T) {
	tables, same, accepted := 0, 0, 0
	for _, c := range oracle(t) {
		if c.err != nil {
			continue // TestHierarchyIsTsharks reports it
		}
		for _, s := range c.specs[1:] {
			tables++
			ours, theirs := c.ours[s], c.theirs[s]
			if ours == theirs {
				same++
				continue
			}
			why, ok := iostatAcceptedDifferences[filepath.Base(c.name)]
			if !ok && strings.Contains(s, "MIN(frame.time_relative)") {
				why, ok = iostatTimeDifferences[filepath.Base(c.name)]
			}
			if ok {
				accepted++
				t.Logf("%s (accepted: %s): -z %s differs at %s", filepath.Base(c.name), why, s, firstDiff(ours, theirs))
				continue
			}
			t.Errorf("%s: -z %s differs at %s", c.name, s, firstDiff(ours, theirs))
		}
	}
	t.Logf("io,stat: %d tables of %d captures compared, %d identical, %d accepted differences", tables, len(oracle(t)), same, accepted)
}
