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
