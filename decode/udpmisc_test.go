package decode

import "testing"

// TestLISPIsTcpdumps compares decode's lines with tcpdump's on the
// corpus's LISP captures: Map-Register and Map-Notify with IPv4 and IPv6
// EID prefixes, an xTR-ID, an unknown address family and lengths past the
// message.
func TestLISPIsTcpdumps(t *testing.T) {
	corpusMatchesTcpdump(t, "lisp_eid_notify.pcap", "lisp_eid_register.pcap", "lisp_invalid.pcap",
		"lisp_invalid_length.pcap", "lisp_ipv6.pcap")
}

// TestSFlowIsTcpdumps compares decode's lines with tcpdump's on the
// corpus's sFlow captures: IPv4 and IPv6 agents, versions neither tool
// reads, and a datagram shorter than the header.
func TestSFlowIsTcpdumps(t *testing.T) {
	corpusMatchesTcpdump(t, "sflow-print-v6.pcap", "sflow_expanded.pcap", "sflow_multiple_counter_30_pdus.pcap",
		"sflow_print-segv.pcap")
}
