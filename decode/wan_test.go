package decode

import (
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// wanLines are corpus captures of the WAN link types (PPP, Cisco HDLC,
// Frame Relay, SLIP) and of PPPoE and PPTP, with the tcpdump options whose
// lines decode prints as tcpdump does.
var wanLines = map[string][]string{
	"HDLC.pcap": {"-n", "-n -e"}, "ISIS_p2p_adjacency.pcap": {"-n", "-n -e"},
	"OSPFv3_NBMA_adjacencies.pcap": {"-n", "-n -e"}, "OSPFv3_multipoint_adjacencies.pcap": {"-n", "-n -e"},
	"bgp_vpn_attrset.pcap": {"-n", "-n -e"}, "chdlc-slarp-short.pcap": {"-n", "-n -e", "-n -v"},
	"chdlc-slarp.pcap": {"-n", "-n -e", "-n -v"}, "hdlc_slarp.pcapng": {"-n", "-n -e"},
	"hoobr_chdlc_print.pcap": {"-n", "-n -e", "-n -v"}, "isis-extd-isreach-oobr.pcap": {"-n", "-n -e"},
	"esis_snpa_asan-2.pcap": {"-n"}, "esis_snpa_asan-5.pcap": {"-n"},
	"mlppp-oobr.pcap": {"-n", "-n -e", "-n -v"}, "mpls-traceroute.pcap": {"-n", "-n -e", "-n -v"},
	"ppp-invalid-lengths.pcap": {"-n", "-n -e"}, "truncated-aack.pcap": {"-n", "-n -e", "-n -v"},
	"slip-bad-direction.pcap": {"-n", "-n -e", "-n -v"}, "heapoverflow-sl_if_print.pcap": {"-n", "-n -e"},
	"icmp6_nodeinfo_oobr.pcap": {"-n", "-n -e"}, "vrrp-vrrp_print-oobr.pcap": {"-n", "-n -e"},
	"pppoe.pcap": {"-n", "-n -e", "-n -v"}, "pppoes.pcap": {"-n", "-n -e"}, "pptp.pcap": {"-n", "-n -e"},
}

// TestWANLinksPrintAsTcpdumpDoes compares decode's lines for the WAN
// captures of tcpdump's corpus with tcpdump's own.
func TestWANLinksPrintAsTcpdumpDoes(t *testing.T) {
	needTcpdump(t)
	var names []string
	for n := range wanLines {
		names = append(names, n)
	}
	for _, f := range corpusCaptures(t, names...) {
		c, err := readTestCapture(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, mode := range wanLines[filepath.Base(f)] {
			compareWithTcpdump(t, f, c.packets, strings.Fields(mode)...)
		}
	}
}

// TestWANLayersAreTsharks dissects hand-made frames of each link type and
// checks the layers tshark was seen to give frames like them.
func TestWANLayersAreTsharks(t *testing.T) {
	ip := []byte{0x45, 0, 0, 20, 0, 0, 0, 0, 64, 59, 0x66, 0xad, 10, 0, 0, 1, 10, 0, 0, 2}
	cases := []struct {
		name         string
		link         wire.LinkType
		data         []byte
		caplen, want string
	}{
		{"ppp ip", 9, joinWire([]byte{0xff, 0x03, 0x00, 0x21}, ip), "", "ppp ip"},
		{"ppp lcp echo", 9, []byte{0xff, 0x03, 0xc0, 0x21, 9, 1, 0, 8, 1, 2, 3, 4}, "", "ppp lcp"},
		{"ppp pap ack without message", 9, []byte{0xff, 0x03, 0xc0, 0x23, 2, 1, 0, 4, 0x94, 0x86}, "", "ppp pap _ws.malformed"},
		{"ppp multilink cut", 9, []byte{0xff, 0x03, 0x3d, 0x30}, "short", "ppp mp _ws.short"},
		{"chdlc slarp keepalive", 104, []byte{0x8f, 0, 0x80, 0x35, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 1}, "", "chdlc slarp"},
		{"chdlc ip", 104, joinWire([]byte{0x0f, 0, 0x08, 0x00}, ip), "", "chdlc ip"},
		{"frame relay cisco ip", 107, joinWire([]byte{0x48, 0xe1, 0x08, 0x00}, ip), "", "fr ip"},
		{"frame relay nlpid ip", 107, joinWire([]byte{0x48, 0xe1, 0x03, 0xcc}, ip), "", "fr ip"},
		{"slip ip", 8, joinWire(make([]byte, 16), ip), "", "slip ip"},
	}
	var tree Tree
	for i, c := range cases {
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(1700000000, 0), CaptureLength: len(c.data), Length: len(c.data)}
		if c.caplen == "short" {
			ci.Length += 100
		}
		tree.Dissect(c.data, ci, c.link, i+1)
		if got := layerNames(&tree); got != c.want {
			t.Errorf("%s: layers %q, want %q", c.name, got, c.want)
		}
	}
}

// TestWANPrintsWithoutAllocating prints the WAN captures' packets with no
// allocation per packet.
func TestWANPrintsWithoutAllocating(t *testing.T) {
	files := corpusCaptures(t, "HDLC.pcap", "hdlc_slarp.pcapng", "OSPFv3_NBMA_adjacencies.pcap", "mpls-traceroute.pcap",
		"pppoes.pcap", "pppoe.pcap", "pptp.pcap", "slip-bad-direction.pcap", "q933-heapoverflow-2.pcap")
	for _, file := range files {
		for _, opt := range []Options{{}, {Link: true}, {Verbose: 1}} {
			p := NewPrinter(io.Discard, opt)
			if n := allocsPerPacket(t, file, func(pk testPacket) { p.Print(pk.data, pk.ci, pk.link) }); n != 0 {
				t.Errorf("%s %+v: %.2f allocations per packet, want 0", filepath.Base(file), opt, n)
			}
		}
	}
}
