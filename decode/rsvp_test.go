package decode

import (
	"slices"
	"testing"
)

// TestRSVPIsTsharksAndTcpdumps checks the items tshark was seen to give
// RSVP messages with faulty lengths, and tcpdump's lines on the corpus's
// RSVP captures.
func TestRSVPIsTsharksAndTcpdumps(t *testing.T) {
	hello := []byte{0x10, 20, 0x98, 0xce, 64, 0, 0, 20}
	for _, c := range []struct {
		name, layers string
		rsvp         []byte
		items        []string
	}{
		{"hello", "eth ip rsvp", joinWire(hello, []byte{0, 12, 22, 1, 0, 0, 0, 1, 0, 0, 0, 2}), nil},
		// A label subobject of length 0, then an object of length 0
		// (tcpdump's rsvp-infinite-loop.pcap).
		{"zero lengths", "eth ip rsvp", joinWire(hello, []byte{0, 8, 20, 1, 3, 0, 0, 0, 0, 0, 0, 0}),
			[]string{"RSVP: Invalid length: 0", "RSVP: Length: 0 (bogus, must be >= 4)"}},
		{"token bucket then unknown parameter", "eth ip rsvp", joinWire(hello,
			[]byte{0, 36, 12, 2, 0, 0, 0, 7, 1, 0, 0, 70, 127, 0, 0, 5}, make([]byte, 20), []byte{0, 4, 13, 2}),
			[]string{"RSVP: Unknown parameter 0, 3331 words"}},
		{"header cut", "eth ip rsvp _ws.malformed", hello[:5], []string{"RSVP: Malformed Packet (Exception occurred)"}},
	} {
		tree := dissectEther(tunEth(0x0800, tunIPv4(46, c.rsvp)))
		if got := layerNames(tree); got != c.layers {
			t.Errorf("%s: layers %q, want %q", c.name, got, c.layers)
		}
		if got := expertMessages(tree); !slices.Equal(got, c.items) {
			t.Errorf("%s: items %q, want %q", c.name, got, c.items)
		}
	}
	corpusMatchesTcpdump(t, "rsvp_cap.pcap", "rsvp-infinite-loop.pcap", "rsvp-inf-loop-2.pcapng",
		"rsvp_fast_reroute-oobr.pcap", "rsvp_uni-oobr-1.pcap", "rsvp_uni-oobr-2.pcap")
}
