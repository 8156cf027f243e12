package decode

import (
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// udprouteCorpus is tcpdump's test corpus, with the captures of PTP, RIP,
// RIPng, HSRP, TSP, Babel, OLSR and AODV.
const udprouteCorpus = "../../shared/corpus/tcpdump"

// udprouteCaptures are those captures, with the tcpdump options their lines
// are compared at beside -n.
var udprouteCaptures = map[string][]string{
	"ptp.pcap": nil, "ptp_corrections.pcap": nil, "ptp_ethernet.pcap": {"-e"}, "ptp_management.pcap": nil,
	"ptp_v2_1.pcap": nil, "rip_error_hexdump.pcap": nil, "ripv1v2.pcap": nil, "ripv2-invalid-length.pcap": nil,
	"ripv2_auth.pcap": nil, "hoobr_ripng_print.pcap": nil, "HSRP_coup.pcap": {"-v"}, "HSRP_election.pcap": {"-v"},
	"HSRP_failover.pcap": {"-v"}, "erspan-type-ii-2.pcap": nil, "kh-timed-001-oobr.pcap": nil,
	"kh-timed-002-oobr.pcap": nil, "kh-timed-004-oobr.pcap": nil, "timed_1.pcap": nil, "babel_auth.pcap": nil,
	"babel_pad1.pcap": nil, "babel_rfc6126bis.pcap": nil, "babel_rtt.pcap": nil, "OLSRv1_HNA_sgw_1.pcap": nil,
	"olsr-oobr-1.pcap": nil, "cve-2014-8769-AODV.pcap": {"-v"}, "hoobr_aodv_extension.pcap": {"-v"},
}

// udprouteProtocols are the layers these dissectors add, by name.
var udprouteProtocols = map[string]bool{"ptp": true, "rip": true, "ripng": true, "hsrp": true, "tsp": true,
	"babel": true, "olsr": true, "aodv": true, "_ws.malformed": true, "_ws.short": true, "_ws.unreassembled": true}

// TestRoutingMessagesPrintAsTcpdump checks the lines of hand-made RIP, HSRP
// and TSP datagrams against what tcpdump 4.99.3 printed for them.
func TestRoutingMessagesPrintAsTcpdump(t *testing.T) {
	rip := []byte{2, 2, 0, 0, 0, 2, 0, 0, 10, 0, 0, 0, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 1}
	hsrp := []byte{0, 0, 16, 3, 10, 100, 1, 0, 'c', 'i', 's', 'c', 'o', 0, 0, 0, 192, 168, 0, 1}
	tsp := append([]byte{24, 1, 0x3c, 0x8a, 10, 0, 0, 0, 0, 0, 0, 0}, "host\x00"...)
	var frames [][]byte
	for _, c := range []struct {
		port    uint16
		payload []byte
		opt     Options
		want    string
	}{
		{520, rip, Options{}, "RIPv2, Response, length: 24"},
		{520, rip[:20], Options{}, "RIPv2, Response, length: 20"},
		{1985, hsrp, Options{}, "HSRPv0-hello 20: state=active group=1 addr=192.168.0.1"},
		{1985, hsrp, Options{Verbose: 1}, `HSRPv0-hello 20: state=active group=1 addr=192.168.0.1 hellotime=3s holdtime=10s priority=100 auth="cisco"`},
		{1985, hsrp[:16], Options{}, "HSRPv0-hello 16: state=active group=1  [|hsrp]"},
		{525, tsp, Options{}, "TSP_LOOP vers 1 seq 15498 hopcnt 10 name host"},
	} {
		frame := tunEth(0x0800, tunIPv4(17, tunUDP(c.port, c.payload)))
		if got := tunLine(t, c.opt, frame); !strings.Contains(got, ": "+c.want+"\n") {
			t.Errorf("port %d: got %q, want it to end in %q", c.port, got, c.want)
		}
		frames = append(frames, frame)
	}
	needTcpdump(t)
	path := filepath.Join(t.TempDir(), "routing.pcap")
	pkts := etherPackets(frames)
	writeTestPcap(t, path, wire.LinkEthernet, pkts)
	compareWithTcpdump(t, path, pkts, "-n")
}

// TestRIPCutShortIsMalformed checks how a RIP entry that passes the
// datagram's end ends the layer: Malformed when the frame held all its
// bytes, as tshark gives ripv2-invalid-length.pcap.
func TestRIPCutShortIsMalformed(t *testing.T) {
	rip := []byte{2, 2, 0, 0, 0, 2, 0, 0, 10, 0, 0, 0, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 0, 0}
	frame := tunEth(0x0800, tunIPv4(17, tunUDP(520, rip)))
	var tree Tree
	tree.Dissect(frame, gopacket.CaptureInfo{CaptureLength: len(frame), Length: len(frame)}, 1, 1)
	if got, want := layerNames(&tree), "eth ip udp rip _ws.malformed"; got != want {
		t.Errorf("layers %q, want %q", got, want)
	}
}

// TestRoutingCapturesAreTcpdumpsAndTsharks compares the corpus captures'
// lines with tcpdump's, and the layers of these protocols in each frame with
// the ones tshark's frame.protocols names.
func TestRoutingCapturesAreTcpdumpsAndTsharks(t *testing.T) {
	if _, err := filepath.Glob(udprouteCorpus); err != nil || !fileExists(filepath.Join(udprouteCorpus, "ptp.pcap")) {
		t.Skip("tcpdump's corpus is not in " + udprouteCorpus)
	}
	_, errTshark := exec.LookPath("tshark")
	for name, modes := range udprouteCaptures {
		path := filepath.Join(udprouteCorpus, name)
		c, err := readTestCapture(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := exec.LookPath("tcpdump"); err == nil {
			compareWithTcpdump(t, path, c.packets, "-n")
			for _, m := range modes {
				compareWithTcpdump(t, path, c.packets, "-n", m)
			}
		}
		if errTshark != nil {
			continue
		}
		out, err := exec.Command("tshark", "-n", "-r", path, "-T", "fields", "-e", "frame.protocols").Output()
		if err != nil {
			t.Fatalf("tshark -r %s: %v", name, err)
		}
		lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
		var tree Tree
		for i, pk := range c.packets {
			if i >= len(lines) {
				break
			}
			tree.Dissect(pk.data, pk.ci, pk.link, i+1)
			var want, got []string
			for _, p := range strings.Split(lines[i], ":") {
				if udprouteProtocols[p] && !strings.HasPrefix(p, "_ws.") {
					want = append(want, p)
				}
			}
			for _, p := range strings.Fields(layerNames(&tree)) {
				if udprouteProtocols[p] && !strings.HasPrefix(p, "_ws.") {
					got = append(got, p)
				}
			}
			if strings.Join(got, ":") != strings.Join(want, ":") {
				t.Errorf("%s frame %d: layers %v, tshark's %v", name, i+1, got, want)
			}
		}
	}
}

// TestRoutingProtocolsPrintWithoutAllocating prints the corpus captures of
// these protocols, as text and JSON, with no allocation per packet.
func TestRoutingProtocolsPrintWithoutAllocating(t *testing.T) {
	files := corpusCaptures(t, "ptp.pcap", "ptp_management.pcap", "ripv2_auth.pcap", "rip_error_hexdump.pcap",
		"HSRP_coup.pcap", "timed_1.pcap", "babel_rtt.pcap", "babel_auth.pcap", "OLSRv1_HNA_sgw_1.pcap",
		"olsr-oobr-1.pcap", "hoobr_aodv_extension.pcap", "hoobr_ripng_print.pcap")
	for _, file := range files {
		for _, opt := range []Options{{}, {Verbose: 1}} {
			p := NewPrinter(io.Discard, opt)
			if n := allocsPerPacket(t, file, func(pk testPacket) { p.Print(pk.data, pk.ci, pk.link) }); n != 0 {
				t.Errorf("%s %+v: %.2f allocations per packet, want 0", filepath.Base(file), opt, n)
			}
		}
		j := NewJSONPrinter(io.Discard, Options{})
		if n := allocsPerPacket(t, file, func(pk testPacket) { j.Print(pk.data, pk.ci, pk.link) }); n != 0 {
			t.Errorf("%s --json: %.2f allocations per packet, want 0", filepath.Base(file), n)
		}
	}
}
