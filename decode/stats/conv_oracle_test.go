package stats

// The conversation and endpoint tables against the installed tshark's, on
// the captures of testdata/ and of the tcpdump corpus beside the project.

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/capture"
	"github.com/sockscope/sockscope/decode"
	"github.com/sockscope/sockscope/decode/display"
	"github.com/sockscope/sockscope/decode/wire"
)

// oracleSpecs are the tables compared, in the order both tools are given
// them (both print the last first).
var oracleSpecs = []string{
	"conv,eth", "conv,ip", "conv,ipv6", "conv,tcp", "conv,udp",
	"endpoints,eth", "endpoints,ip", "endpoints,ipv6", "endpoints,tcp", "endpoints,udp",
}

var (
	testdataDir = filepath.Join("..", "..", "testdata")
	// corpusDir holds the captures of tcpdump's tests, beside the project;
	// many are malformed on purpose.
	corpusDir = filepath.Join("..", "..", "..", "shared", "corpus", "tcpdump")
)

// corpusSample are the corpus captures compared by default, to keep the
// test short (tshark takes a third of a second to start): those with the
// most conversations and those that once showed what tshark counts
// (ICMP errors, clocks that step back, IPv6 extension headers, routing
// headers, bad IPv4 lengths, cut headers, TCP ports reused, tunnels). With
// SOCKSCOPE_CONV_CORPUS=all every corpus capture is compared.
var corpusSample = []string{
	// many conversations
	"arp-oobr.pcap", "pim-packet-assortment.pcap", "IGMP_V1.pcap", "IGMP_V2.pcap", "vrrp.pcap",
	"sflow_multiple_counter_30_pdus.pcap", "resp_3_malicious.pcap", "resp_1_benchmark.pcap", "eapon1.pcap",
	"dhcpv4v6-rfc5970-rfc8572.pcap", "bgp-4byte-asn.pcap", "erspan-type-ii-2.pcap", "erspan-type-i-4.pcap",
	"dcb_ets.pcap", "kday4.pcap", "kday7.pcap", "l2tp-avp-overflow.pcap",
	"OSPFv2_Capture_FINAL.pcapng", "bgp-bgpsec.pcap", "babel.pcap", "ldp-infinite-loop.pcap",
	"802.1ad_QinQ.pcap", "02-sunrise-sunset-esp.pcap",
	// what tshark counts
	"afs.pcap", "babel_update_oobr.pcap", "ipv6-routing-header.pcap", "ipv6-srh-insert-cksum.pcap",
	"ipv6-srh-tlv-hmac.pcap", "ipv6-srh-tlv-pad1-padn-5-trunc.pcap", "ipv6_mobility_1.pcap",
	"mobility_opt_asan.pcap", "ipv6hdr-heapoverflow.pcap", "ip6_frag_asan.pcap", "ipv6_frag6_negative_len.pcap",
	"ipv6-rthdr-oobr.pcap", "ipv6_missing_jumbo_payload_option.pcap", "ipv4_invalid_hdr_length.pcap",
	"ipv4_invalid_total_length_2.pcap", "heapoverflow-tcp_print.pcap", "icmp-length-zero.pcapng",
	"bgp-as-path-oobr.pcap", "udp-length-heapoverflow.pcap", "ipv6-mobility-header-oobr.pcap",
	"relts-0x80000000.pcap", "bigtcp-ipv4-vxlan-ipv6.pcap", "gso-ipv6-vxlan-ipv4.pcap", "geneve.pcap",
	"icmpv6-rfc7112.pcap", "gre-heapoverflow-1.pcap", "ISIS_level1_adjacency.pcap",
}

// convExclusions are the captures whose tables differ from tshark's for
// reasons outside decode/stats, each group with its reason, found by
// reading both dissections of the packets at fault. Their tables are
// compared all the same and a difference is logged, not failed.
var convExclusions = []struct {
	why      string
	captures []string
}{
	{"decode's dissectors and tshark's read a packet differently: tshark dissects what decode leaves as data " +
		"(MPLS, GRE and WCCP payloads, sFlow samples, OpenFlow messages that carry frames, Arista's and MACsec's " +
		"EtherTypes, DTP frames with an inner Ethernet header, TCP after an IPv4 total length of 0 left by " +
		"segmentation offload, an IPv6 header behind the IPv4 EtherType) or leaves as data what decode dissects " +
		"(Broadcom LI, OTV on UDP 8472), or throws on an option decode accepts " +
		"(a CALIPSO hop-by-hop option's length)",
		[]string{"tok2str-oobr-2.pcap", "mpls-over-udp.pcap", "various_gre.pcap", "wccp_redirect_gre.pcap",
			"sflow-print-v6.pcap", "of10_s4810.pcap", "of13_ericsson.pcapng", "arista_ether.pcap",
			"macsec-short-shorter.pcap", "DTP.pcap", "bigtcp-ipv4.pcap", "ipv4_tcp_http_xml_tso.pcap",
			"kday1.pcap", "kday3.pcap", "bcm-li.pcap", "vxlan_port_8472.pcap",
			"ipv6-too-long-jumbo.pcap"}},
	{"timestamps whose microsecond field is a million or more: capture's reader carries them into the seconds, " +
		"tshark keeps the impossible fraction, so the durations differ",
		[]string{"timestamp_invalid_micro.pcap"}},
}

// convExcluded is convExclusions by capture.
var convExcluded = func() map[string]string {
	m := map[string]string{}
	for _, g := range convExclusions {
		for _, c := range g.captures {
			m[c] = g.why
		}
	}
	return m
}()

// filterCases are display filters given with -Y, compared with tshark's
// -z SPEC,FILTER on one capture each.
var filterCases = []struct{ capture, filter string }{
	{"mixed.pcap", "udp.port==53"},
	{"mixed.pcap", "tcp.len > 0 && ip.src == 10.99.0.2"},
	{"dns.pcap", "dns.flags.response == 1"},
	{"tcp-seq.pcap", "tcp.flags.syn == 1"},
	{"vlan.pcap", "icmp || icmpv6"},
	{"frag.pcap", "ipv6"},
}

// filterSpecs are the tables compared for each filter case.
var filterSpecs = []string{"conv,ip", "conv,tcp", "endpoints,udp"}

// specFilterCases are filters a spec carries itself (-z conv,TYPE,FILTER),
// commas and all.
var specFilterCases = []struct{ capture, spec string }{
	{"mixed.pcap", "conv,ip,udp.port in {53,54}"},
	{"mixed.pcap", "endpoints,tcp,tcp.srcport==46205 || tcp.srcport==46301"},
	{"vlan.pcap", "conv,eth,vlan"},
}

func TestConvAndEndpointsTablesAreTsharks(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark is not installed: it is the oracle")
	}
	captures := oracleCaptures(t)
	results := make([]captureResult, len(captures))
	parallel(len(captures), func(i int) {
		results[i] = compareCapture(tshark, captures[i], "", oracleSpecs)
	})
	var tables, same, excusedTables int
	skipped := map[string]int{}
	for _, r := range results {
		name := filepath.Base(r.path)
		if r.skip != "" {
			skipped[r.skip]++
			continue
		}
		if r.err != nil {
			t.Errorf("%s: %v", name, r.err)
			continue
		}
		tables += r.tables
		same += r.same
		why, excused := convExcluded[name]
		for _, d := range r.diffs {
			if excused {
				excusedTables++
				t.Logf("%s (excused: %.60s...): %s", name, why, d)
				continue
			}
			t.Errorf("%s: %s", name, d)
		}
	}
	t.Logf("%d captures compared, %d tables, %d identical, %d excused", len(captures)-skipped[errLinkType.Error()]-skipped[errTshark],
		tables, same, excusedTables)
	t.Logf("skipped: %d captures of a link type decode does not dissect, %d that tshark cannot read",
		skipped[errLinkType.Error()], skipped[errTshark])
}

func TestDisplayFilteredTablesAreTsharks(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark is not installed: it is the oracle")
	}
	results := make([]captureResult, len(filterCases))
	parallel(len(filterCases), func(i int) {
		fc := filterCases[i]
		results[i] = compareCapture(tshark, filepath.Join(testdataDir, fc.capture), fc.filter, filterSpecs)
	})
	for i, r := range results {
		fc := filterCases[i]
		if r.err != nil || r.skip != "" {
			t.Errorf("%s -Y %q: %v%s", fc.capture, fc.filter, r.err, r.skip)
			continue
		}
		for _, d := range r.diffs {
			t.Errorf("%s -Y %q: %s", fc.capture, fc.filter, d)
		}
	}
	for _, fc := range specFilterCases {
		r := compareCapture(tshark, filepath.Join(testdataDir, fc.capture), "", []string{fc.spec})
		if r.err != nil || r.skip != "" {
			t.Errorf("%s -z %q: %v%s", fc.capture, fc.spec, r.err, r.skip)
		}
		for _, d := range r.diffs {
			t.Errorf("%s: %s", fc.capture, d)
		}
	}
}

func TestTablesWithoutReassemblyAreTsharks(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark is not installed: it is the oracle")
	}
	// Captures with IPv4 and IPv6 fragments and TCP-carried messages.
	captures := []string{"frag.pcap", "vlan.pcap", "mixed.pcap", "http.pcap"}
	results := make([]captureResult, len(captures))
	parallel(len(captures), func(i int) {
		results[i] = compareRun(tshark, oracleRun{path: filepath.Join(testdataDir, captures[i]), specs: oracleSpecs})
	})
	for i, r := range results {
		if r.err != nil || r.skip != "" {
			t.Errorf("%s: %v%s", captures[i], r.err, r.skip)
		}
		for _, d := range r.diffs {
			t.Errorf("%s without reassembly: %s", captures[i], d)
		}
	}
}

// oracleCaptures are testdata's captures and the corpus' sample (all of it
// with SOCKSCOPE_CONV_CORPUS=all).
func oracleCaptures(t *testing.T) []string {
	paths, _ := filepath.Glob(filepath.Join(testdataDir, "*.pcap*"))
	if len(paths) == 0 {
		t.Fatal("no captures in", testdataDir)
	}
	if _, err := os.Stat(corpusDir); err != nil {
		t.Log("no corpus at", corpusDir, "- testdata only")
		return paths
	}
	if os.Getenv("SOCKSCOPE_CONV_CORPUS") == "all" {
		all, _ := filepath.Glob(filepath.Join(corpusDir, "*.pcap*"))
		return append(paths, all...)
	}
	for _, name := range corpusSample {
		paths = append(paths, filepath.Join(corpusDir, name))
	}
	return paths
}

// parallel calls fn(0) ... fn(n-1), two at a time (the machine's cores).
func parallel(n int, fn func(i int)) {
	sem := make(chan struct{}, 2)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			fn(i)
		}()
	}
	wg.Wait()
}

// captureResult is the comparison of one capture's tables.
type captureResult struct {
	path         string
	skip         string // why it was not compared
	err          error
	tables, same int
	diffs        []string // one per table that differs
}

// compareCapture runs tshark and the tables of specs on the capture at
// path, with the display filter (none when "": sockscope's -Y, tshark's
// -z SPEC,FILTER), and compares each table.
func compareCapture(tshark, path, filter string, specs []string) captureResult {
	return compareRun(tshark, oracleRun{path: path, filter: filter, specs: specs, reassemble: true})
}

// An oracleRun is one comparison: a capture, a display filter ("" for
// none), the specs, and whether fragments and segments are put back
// together (tshark's default) or not.
type oracleRun struct {
	path, filter string
	specs        []string
	reassemble   bool
}

// noReassembly are tshark's options that match a tree whose Reassemble is
// false (sockscope stats --no-reassembly).
var noReassembly = []string{"-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE", "-o", "tcp.desegment_tcp_streams:FALSE"}

// compareRun compares the tables of one run with tshark's.
func compareRun(tshark string, run oracleRun) captureResult {
	path, filter, specs := run.path, run.filter, run.specs
	r := captureResult{path: path}
	ours, err := ourTables(path, filter, specs, run.reassemble)
	if errors.Is(err, errLinkType) {
		r.skip = errLinkType.Error()
		return r
	}
	if err != nil {
		r.err = err
		return r
	}
	args := []string{"-n", "-q", "-r", path}
	if !run.reassemble {
		args = append(args, noReassembly...)
	}
	for _, s := range specs {
		if filter != "" {
			s += "," + filter
		}
		args = append(args, "-z", s)
	}
	var stderr bytes.Buffer
	cmd := exec.Command(tshark, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		r.skip = errTshark
		return r
	}
	theirs := splitTables(string(out))
	if len(theirs) != len(specs) {
		r.err = fmt.Errorf("tshark printed %d tables for %d specs:\n%s", len(theirs), len(specs), out)
		return r
	}
	for i, spec := range specs {
		want := theirs[len(specs)-1-i] // tshark prints the last spec first
		r.tables++
		if ours[i] == want {
			r.same++
			continue
		}
		r.diffs = append(r.diffs, fmt.Sprintf("-z %s differs:\n%s", spec, lineDiff(want, ours[i])))
	}
	return r
}

// errTshark is why a capture tshark fails on is skipped.
const errTshark = "tshark cannot read it"

// errLinkType marks a capture of a link type decode does not dissect.
var errLinkType = errors.New("a link type decode does not dissect")

// ourTables dissects the capture at path as the stats command does, with
// reassembly or without, and returns the text of each spec's table.
func ourTables(path, filter string, specs []string, reassemble bool) ([]string, error) {
	tables := make([]Table, len(specs))
	for i, s := range specs {
		tab, err := New(s, filter)
		if err != nil {
			return nil, err
		}
		tables[i] = tab
	}
	if err := countFile(path, filter, reassemble, tables...); err != nil {
		return nil, err
	}
	texts := make([]string, len(tables))
	for i, tab := range tables {
		var b strings.Builder
		if err := tab.WriteText(&b); err != nil {
			return nil, err
		}
		texts[i] = b.String()
	}
	return texts, nil
}

// countFile counts the packets of the capture at path into tables, as
// the stats command does: those the display filter selects ("" for all),
// dissected with reassembly or without.
func countFile(path, filter string, reassemble bool, tables ...Table) error {
	r, err := capture.Open(path)
	if err != nil {
		return err
	}
	defer r.Close()
	loop := capture.Loop{Check: decode.CheckLink}
	var own decode.Tree
	own.Reassemble = reassemble
	tree := &own
	if filter != "" {
		f, err := display.Compile(filter)
		if err != nil {
			return err
		}
		sel := &display.Selector{Filter: f, Number: func() int { return loop.Read }, Reassemble: reassemble,
			Position: func() decode.Position {
				return decode.Position{Number: loop.Read, First: loop.First, Previous: loop.Previous}
			}}
		loop.Select = sel.Select
		tree = sel.Tree()
		tree.Want = nil
	}
	_, err = loop.Run(r, func(data []byte, ci gopacket.CaptureInfo, link wire.LinkType) error {
		if filter == "" {
			own.Dissect(data, ci, link, loop.Read)
			own.First, own.Previous = loop.First, loop.Previous
		}
		for _, tab := range tables {
			tab.Add(tree)
		}
		return nil
	})
	if err != nil && decode.CheckLink(linkOf(r)) != nil {
		return fmt.Errorf("%w: %v", errLinkType, err)
	}
	return err
}

// linkOf is the link type of the capture's first interface.
func linkOf(r *capture.Reader) wire.LinkType {
	if ifs := r.Interfaces(); len(ifs) > 0 {
		return ifs[0].LinkType
	}
	return 0
}

// splitTables cuts tshark's -q output into its tables, each from its
// first rule line to its last, as WriteText writes one.
func splitTables(out string) []string {
	var tables []string
	var cur strings.Builder
	open := false
	for _, line := range strings.SplitAfter(out, "\n") {
		if line == "" {
			continue
		}
		if line == tableRule {
			cur.WriteString(line)
			if open {
				tables = append(tables, cur.String())
				cur.Reset()
			}
			open = !open
			continue
		}
		if open {
			cur.WriteString(line)
		}
	}
	return tables
}

// lineDiff shows the lines of want missing from got and those of got
// missing from want, a few of each.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	count := func(lines []string) map[string]int {
		m := map[string]int{}
		for _, l := range lines {
			m[l]++
		}
		return m
	}
	wm, gm := count(w), count(g)
	var b strings.Builder
	show := func(sign string, lines []string, other map[string]int) {
		var out []string
		for _, l := range lines {
			if other[l] > 0 {
				other[l]--
				continue
			}
			out = append(out, sign+" "+l)
		}
		if len(out) > 6 {
			out = append(out[:6], fmt.Sprintf("%s ... %d more", sign, len(out)-6))
		}
		for _, l := range out {
			b.WriteString(l + "\n")
		}
	}
	show("tshark", w, gm)
	show("ours  ", g, wm)
	if b.Len() == 0 {
		return "the same lines in another order:\n" + got
	}
	return b.String()
}
