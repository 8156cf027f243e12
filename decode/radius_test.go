package decode

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// tailCorpus is the path of a capture of tcpdump's tests.
func tailCorpus(name string) string {
	return filepath.Join("..", "..", "shared", "corpus", "tcpdump", name)
}

// corpusMatchesTcpdump compares decode's default lines with tcpdump's on
// captures of tcpdump's corpus, skipping those not there.
func corpusMatchesTcpdump(t *testing.T, names ...string) {
	t.Helper()
	needTcpdump(t)
	for _, name := range names {
		path := tailCorpus(name)
		c, err := readTestCapture(path)
		if err != nil {
			if os.IsNotExist(err) {
				continue
			}
			t.Fatal(err)
		}
		compareWithTcpdump(t, path, c.packets, "-n")
	}
}

// expertMessages are the summaries of a packet's expert items, in order.
func expertMessages(tree *Tree) []string {
	var out []string
	tree.Experts(func(e Expert) bool {
		out = append(out, e.Protocol+": "+string(tree.AppendSummary(nil, e)))
		return true
	})
	return out
}

// dissectEther dissects one Ethernet frame.
func dissectEther(frame []byte) *Tree {
	var tree Tree
	tree.Dissect(frame, gopacket.CaptureInfo{CaptureLength: len(frame), Length: len(frame)}, wire.LinkEthernet, 1)
	return &tree
}

// radiusFrame is an Ethernet frame of a UDP datagram to port 1812.
func radiusFrame(payload []byte) []byte {
	udp := joinWire(wire16(1000), wire16(1812), wire16(uint16(8+len(payload))), wire16(0), payload)
	return tunEth(0x0800, tunIPv4(17, udp))
}

// TestRADIUSIsTsharksAndTcpdumps checks the layers and items tshark was
// seen to give RADIUS datagrams, whole and faulty, and tcpdump's lines on
// the corpus's RADIUS captures.
func TestRADIUSIsTsharksAndTcpdumps(t *testing.T) {
	hdr := func(code byte, length uint16) []byte {
		return joinWire([]byte{code, 1}, wire16(length), make([]byte, 16))
	}
	for _, c := range []struct {
		name, layers string
		payload      []byte
		items        []string
	}{
		{"request", "eth ip udp radius", hdr(1, 20), nil},
		{"unknown code", "eth ip udp data", hdr(0, 20), nil},
		{"length below 20", "eth ip udp data", hdr(1, 19), nil},
		{"length past 4096", "eth ip udp data", hdr(1, 4097), nil},
		{"length past the datagram", "eth ip udp radius _ws.malformed", hdr(1, 21), []string{"RADIUS: Malformed Packet (Exception occurred)"}},
		{"three bytes", "eth ip udp _ws.malformed", []byte{1, 1, 0}, []string{"RADIUS: Malformed Packet (Exception occurred)"}},
		{"attribute of length 1", "eth ip udp radius", joinWire(hdr(1, 24), []byte{1, 1, 'a', 'b'}), []string{"RADIUS: AVP too short: length 1 < 2"}},
		{"attribute past the length", "eth ip udp radius", joinWire(hdr(1, 23), []byte{1, 4, 'a', 'b'}), []string{"RADIUS: Not enough room in packet for AVP"}},
		{"EAP MD5", "eth ip udp radius", joinWire(hdr(1, 30), []byte{79, 10, 1, 1, 0, 8, 4, 0, 0, 0}), []string{"EAP: Vulnerable to MITM attacks. If possible, change EAP type."}},
		{"EAP longer than its attribute", "eth ip udp radius _ws.malformed", joinWire(hdr(11, 27), []byte{79, 7, 1, 1, 0, 6, 4}),
			[]string{"EAP: Bad length (too small or too large)", "EAP: Malformed Packet (Exception occurred)"}},
	} {
		tree := dissectEther(radiusFrame(c.payload))
		if got := layerNames(tree); got != c.layers {
			t.Errorf("%s: layers %q, want %q", c.name, got, c.layers)
		}
		if got := expertMessages(tree); !slices.Equal(got, c.items) {
			t.Errorf("%s: items %q, want %q", c.name, got, c.items)
		}
	}
	corpusMatchesTcpdump(t, "RADIUS.pcap", "RADIUS-RFC3162.pcap", "RADIUS-RFC4675.pcap", "RADIUS-RFC5176.pcap",
		"RADIUS-RFC5176-2.pcap", "RADIUS-RFC5580.pcap", "RADIUS-port1700.pcap", "radius_rfc5447.pcap",
		"radius_rfc5447_invalid_length.pcap")
}

// TestTailProtocolsDissectWithoutAllocating dissects RADIUS, RSVP, EIGRP,
// PIM, OSPF and ISAKMP packets, faulty ones too, into a reused tree.
func TestTailProtocolsDissectWithoutAllocating(t *testing.T) {
	frames := [][]byte{
		radiusFrame(joinWire([]byte{1, 1, 0, 30}, make([]byte, 16), []byte{79, 10, 1, 1, 0, 8, 4, 0, 0, 0})),
		radiusFrame([]byte{1, 1, 0}),
		tunEth(0x0800, tunIPv4(46, []byte{0x10, 20, 0, 0, 64, 0, 0, 20, 0, 8, 20, 1, 3, 0, 0, 0, 0, 0, 0, 0})),
		tunEth(0x0800, tunIPv4(88, eigrpMessage(0, 1, 0, 12, 255, 255, 255, 255, 255, 0, 0, 15))),
		tunEth(0x0800, tunIPv4(103, pimMessage(0, 0, 20, 0, 0))),
		isakmpFrame(0x20, 33, 0, 0, 0, 12, 0, 0, 0xaa, 0xaa, 1, 1, 0, 0),
	}
	var tree Tree
	ci := gopacket.CaptureInfo{}
	for _, f := range frames {
		ci.CaptureLength, ci.Length = len(f), len(f)
		tree.Dissect(f, ci, wire.LinkEthernet, 1)
		if n := testing.AllocsPerRun(20, func() { tree.Dissect(f, ci, wire.LinkEthernet, 1) }); n != 0 {
			t.Errorf("%s: %v allocations a packet", layerNames(&tree), n)
		}
	}
}
