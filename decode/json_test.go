//go:build !treedecode

package decode

// Tests of the JSON printer (json.go): one object per line, the fields
// tshark dissects agree with tshark's, no allocation.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
)

// jsonLines prints every packet of c and returns the output.
func jsonLines(t testing.TB, c *testCapture) []byte {
	t.Helper()
	var out bytes.Buffer
	j := NewJSONPrinter(&out, Options{})
	for i, name := range c.ifNames {
		j.SetInterfaceName(i, name)
	}
	for _, p := range c.packets {
		if err := j.Print(p.data, p.ci, p.link); err != nil {
			t.Fatal(err)
		}
	}
	if err := j.Flush(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// parseLines checks that out holds one JSON object per packet and returns them.
func parseLines(t *testing.T, name string, out []byte, packets int) []map[string]any {
	t.Helper()
	var objs []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var obj map[string]any
		d := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		d.UseNumber()
		if err := d.Decode(&obj); err != nil {
			t.Fatalf("%s line %d is not JSON: %v\n%s", name, len(objs)+1, err, sc.Bytes())
		}
		if d.More() {
			t.Fatalf("%s line %d holds more than one value", name, len(objs)+1)
		}
		if n, _ := obj["n"].(json.Number); string(n) != strconv.Itoa(len(objs)+1) {
			t.Fatalf("%s line %d has n %v", name, len(objs)+1, obj["n"])
		}
		ls, ok := obj["layers"].([]any)
		if !ok {
			t.Fatalf("%s line %d has no layers array", name, len(objs)+1)
		}
		for _, l := range ls {
			if m, ok := l.(map[string]any); !ok || m["layer"] == nil {
				t.Fatalf("%s line %d has a layer without a name: %v", name, len(objs)+1, l)
			}
		}
		objs = append(objs, obj)
	}
	if len(objs) != packets {
		t.Fatalf("%s: %d lines for %d packets", name, len(objs), packets)
	}
	return objs
}

// testCaptures lists the real captures of testdata/ and, when it is there, the
// corpus of tcpdump's own test captures (many malformed on purpose).
func testCaptures(t *testing.T, corpus bool) []string {
	files, _ := filepath.Glob("../testdata/*.pcap*")
	if corpus {
		more, _ := filepath.Glob("../../shared/corpus/tcpdump/*.pcap*")
		files = append(files, more...)
	}
	if len(files) == 0 {
		t.Skip("no captures in testdata/")
	}
	return files
}

// TestJSONEveryLineIsJSONForJq prints every capture of testdata/ and the
// corpus, broken ones included, and checks each line is one JSON object (by
// jq too, when it is installed).
func TestJSONEveryLineIsJSONForJq(t *testing.T) {
	jq, _ := exec.LookPath("jq")
	var all bytes.Buffer
	total := 0
	for _, f := range testCaptures(t, true) {
		c, err := readTestCapture(f)
		if err != nil {
			continue // the corpus has files broken on purpose
		}
		out := jsonLines(t, c)
		parseLines(t, filepath.Base(f), out, len(c.packets))
		all.Write(out)
		total += len(c.packets)
	}
	if jq == "" {
		t.Skip("jq is not installed")
	}
	cmd := exec.Command(jq, "-c", ".n")
	cmd.Stdin = &all
	got, err := cmd.Output()
	if err != nil {
		t.Fatalf("jq rejected the output: %v", err)
	}
	if n := bytes.Count(got, []byte("\n")); n != total {
		t.Fatalf("jq read %d objects of %d", n, total)
	}
}

// tsharkField is a tshark field and how to find the same values in our object.
type tsharkField struct {
	name  string
	layer string                          // our layer names, space-separated ("" for the top level)
	key   string                          // its field
	get   func(l map[string]any) []string // instead of key
	// outer, when set, keeps only the layers that the layer before names
	// so in its "type"; "!name" keeps all but those. tshark's vlan is
	// 802.1Q's tag, its ieee8021ad the 802.1ad service tag.
	outer string
}

// number normalises a decimal or 0x-hex number for comparison.
func tsharkNumber(s string) string {
	if v, err := strconv.ParseUint(s, 0, 64); err == nil {
		return strconv.FormatUint(v, 10)
	}
	return s
}

func jsonStrings(l map[string]any, key string) []string {
	arr, _ := l[key].([]any)
	var s []string
	for _, v := range arr {
		s = append(s, fmt.Sprint(v))
	}
	return s
}

func flagBits(l map[string]any, key string, table []bitName) []string {
	var v uint64
	for _, n := range jsonStrings(l, key) {
		for _, t := range table {
			if t.name == n {
				v |= uint64(t.bit)
			}
		}
	}
	return []string{strconv.FormatUint(v, 10)}
}

func dnsNames(l map[string]any, section, typ, key string) []string {
	var s []string
	arr, _ := l[section].([]any)
	for _, v := range arr {
		rr := v.(map[string]any)
		if typ != "" && rr["type"] != typ {
			continue
		}
		name := fmt.Sprint(rr[key])
		if name == "." {
			name = "<Root>"
		}
		s = append(s, strings.TrimSuffix(name, "."))
	}
	return s
}

func tableIndex(table []string, name any) []string {
	for i, n := range table {
		if n == name {
			return []string{strconv.Itoa(i)}
		}
	}
	return []string{fmt.Sprint(name)}
}

var tsharkFields = []tsharkField{
	{name: "frame.len", key: "len"},
	{name: "frame.cap_len", key: "caplen"},
	{name: "eth.src", layer: "ethernet", key: "src"},
	{name: "eth.dst", layer: "ethernet", key: "dst"},
	{name: "vlan.id", layer: "vlan", key: "id", outer: "!802.1ad"},
	{name: "ieee8021ad.id", layer: "vlan", key: "id", outer: "802.1ad"},
	{name: "sll.pkttype", layer: "sll sll2", get: func(l map[string]any) []string { return tableIndex(sllDirections[:], l["direction"]) }},
	{name: "sll.hatype", layer: "sll sll2", key: "hatype"},
	{name: "sll.ifindex", layer: "sll2", key: "ifindex"},
	{name: "arp.opcode", layer: "arp", get: func(l map[string]any) []string {
		return tableIndex([]string{1: "request", 2: "reply"}, l["op"])
	}},
	{name: "arp.src.proto_ipv4", layer: "arp", key: "sender_ip"},
	{name: "arp.dst.proto_ipv4", layer: "arp", key: "target_ip"},
	{name: "arp.src.hw_mac", layer: "arp", key: "sender_mac"},
	{name: "ip.src", layer: "ipv4", key: "src"},
	{name: "ip.dst", layer: "ipv4", key: "dst"},
	{name: "ip.ttl", layer: "ipv4", key: "ttl"},
	{name: "ip.id", layer: "ipv4", key: "id"},
	{name: "ip.len", layer: "ipv4", key: "length"},
	{name: "ip.proto", layer: "ipv4", get: func(l map[string]any) []string { return tableIndex(ipProtoNames[:], l["proto"]) }},
	{name: "ip.checksum", layer: "ipv4", key: "checksum"},
	{name: "ip.flags", layer: "ipv4", get: func(l map[string]any) []string {
		return flagBits(l, "flags", []bitName{{1, "MF"}, {2, "DF"}, {4, "RF"}})
	}},
	{name: "ip.frag_offset", layer: "ipv4", get: func(l map[string]any) []string { // tshark 4.0 counts 8-byte units
		v, _ := strconv.Atoi(fmt.Sprint(l["frag_offset"]))
		return []string{strconv.Itoa(v / 8)}
	}},
	{name: "ipv6.src", layer: "ipv6", key: "src"},
	{name: "ipv6.dst", layer: "ipv6", key: "dst"},
	{name: "ipv6.hlim", layer: "ipv6", key: "hop_limit"},
	{name: "ipv6.plen", layer: "ipv6", key: "length"},
	{name: "ipv6.flow", layer: "ipv6", key: "flow"},
	{name: "ipv6.nxt", layer: "ipv6", get: func(l map[string]any) []string { return tableIndex(ipProtoNames[:], l["next_header"]) }},
	{name: "ipv6.fraghdr.ident", layer: "ipv6_fragment", key: "id"},
	{name: "ipv6.fraghdr.more", layer: "ipv6_fragment", get: func(l map[string]any) []string {
		return map[bool][]string{true: {"1"}, false: {"0"}}[l["more"] == true]
	}},
	{name: "tcp.srcport", layer: "tcp", key: "sport"},
	{name: "tcp.dstport", layer: "tcp", key: "dport"},
	{name: "tcp.seq_raw", layer: "tcp", key: "seq"},
	{name: "tcp.ack_raw", layer: "tcp", key: "ack"},
	{name: "tcp.hdr_len", layer: "tcp", key: "hdr_len"},
	{name: "tcp.len", layer: "tcp", key: "payload_len"},
	{name: "tcp.window_size_value", layer: "tcp", key: "window"},
	{name: "tcp.checksum", layer: "tcp", key: "checksum"},
	{name: "tcp.flags", layer: "tcp", get: func(l map[string]any) []string { return flagBits(l, "flags", tcpFlagJSONNames[:]) }},
	{name: "tcp.options.mss_val", layer: "tcp", get: func(l map[string]any) []string { return tcpOptionField(l, "mss", "value") }},
	{name: "tcp.options.wscale.shift", layer: "tcp", get: func(l map[string]any) []string { return tcpOptionField(l, "wscale", "value") }},
	{name: "tcp.options.timestamp.tsval", layer: "tcp", get: func(l map[string]any) []string { return tcpOptionField(l, "TS", "val") }},
	{name: "tcp.options.timestamp.tsecr", layer: "tcp", get: func(l map[string]any) []string { return tcpOptionField(l, "TS", "ecr") }},
	{name: "udp.srcport", layer: "udp", key: "sport"},
	{name: "udp.dstport", layer: "udp", key: "dport"},
	{name: "udp.length", layer: "udp", key: "length"},
	{name: "udp.checksum", layer: "udp", key: "checksum"},
	{name: "icmp.type", layer: "icmp", key: "type"},
	{name: "icmp.code", layer: "icmp", key: "code"},
	{name: "icmp.checksum", layer: "icmp", key: "checksum"},
	{name: "icmp.seq", layer: "icmp", key: "seq"},
	{name: "icmpv6.type", layer: "icmpv6", key: "type"},
	{name: "icmpv6.code", layer: "icmpv6", key: "code"},
	{name: "icmpv6.checksum", layer: "icmpv6", key: "checksum"},
	{name: "icmpv6.echo.sequence_number", layer: "icmpv6", key: "seq"},
	{name: "icmpv6.echo.identifier", layer: "icmpv6", key: "id"},
	{name: "icmpv6.nd.ns.target_address", layer: "icmpv6", get: func(l map[string]any) []string { return ifICMPType(l, "135", "target") }},
	{name: "icmpv6.nd.na.target_address", layer: "icmpv6", get: func(l map[string]any) []string { return ifICMPType(l, "136", "target") }},
	{name: "icmpv6.mtu", layer: "icmpv6", key: "mtu"},
	{name: "vxlan.vni", layer: "vxlan", key: "vni"},
	{name: "dns.id", layer: "dns", key: "id"},
	{name: "dns.flags.rcode", layer: "dns", get: func(l map[string]any) []string {
		if l["qr"] != true {
			return nil // tshark shows it in responses only
		}
		s := tableIndex(dnsRcodeNames[:], l["rcode"])
		v, _ := strconv.Atoi(s[0])
		return []string{strconv.Itoa(v & 0xf)}
	}},
	{name: "dns.qry.name", layer: "dns", get: func(l map[string]any) []string { return dnsNames(l, "questions", "", "name") }},
	{name: "dns.a", layer: "dns", get: func(l map[string]any) []string {
		var s []string
		for _, sec := range []string{"answers", "authorities", "additionals"} {
			s = append(s, dnsNames(l, sec, "A", "data")...)
		}
		return s
	}},
	{name: "dns.aaaa", layer: "dns", get: func(l map[string]any) []string {
		var s []string
		for _, sec := range []string{"answers", "authorities", "additionals"} {
			s = append(s, dnsNames(l, sec, "AAAA", "data")...)
		}
		return s
	}},
	{name: "dns.cname", layer: "dns", get: func(l map[string]any) []string {
		var s []string
		for _, sec := range []string{"answers", "authorities", "additionals"} {
			s = append(s, dnsNames(l, sec, "CNAME", "data")...)
		}
		return s
	}},
}

func tcpOptionField(l map[string]any, kind, key string) []string {
	var s []string
	opts, _ := l["options"].([]any)
	for _, o := range opts {
		m := o.(map[string]any)
		if m["kind"] == kind && m[key] != nil {
			s = append(s, fmt.Sprint(m[key]))
		}
	}
	return s
}

func ifICMPType(l map[string]any, typ, key string) []string {
	if fmt.Sprint(l["type"]) == typ && l[key] != nil {
		return []string{fmt.Sprint(l[key])}
	}
	return nil
}

// ourValues collects the values of field f from every matching layer, in order.
func ourValues(obj map[string]any, f tsharkField) []string {
	var s []string
	if f.layer == "" {
		return []string{fmt.Sprint(obj[f.key])}
	}
	prevType := ""
	for _, l := range obj["layers"].([]any) {
		m := l.(map[string]any)
		outer := prevType
		prevType = fmt.Sprint(m["type"])
		if !strings.Contains(" "+f.layer+" ", " "+fmt.Sprint(m["layer"])+" ") {
			continue
		}
		if not, ok := strings.CutPrefix(f.outer, "!"); ok && outer == not || !ok && f.outer != "" && outer != f.outer {
			continue
		}
		if f.get != nil {
			s = append(s, f.get(m)...)
		} else if v, ok := m[f.key]; ok {
			s = append(s, fmt.Sprint(v))
		}
	}
	return s
}

// tsharkValues runs tshark on a file for the fields, without reassembly, so
// that each packet is dissected on its own as sockscope does.
func tsharkValues(t *testing.T, file string) []map[string][]string {
	args := []string{"-r", file, "-n", "-T", "json",
		"-o", "tcp.desegment_tcp_streams:FALSE", "-o", "ip.defragment:FALSE",
		"-o", "ipv6.defragment:FALSE", "-o", "tcp.analyze_sequence_numbers:FALSE",
		"-e", "frame.time_epoch"}
	for _, f := range tsharkFields {
		args = append(args, "-e", f.name)
	}
	cmd := exec.Command("tshark", args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tshark %s: %v\n%s", file, err, stderr.Bytes())
	}
	var pkts []struct {
		Source struct {
			Layers map[string][]string `json:"layers"`
		} `json:"_source"`
	}
	if err := json.Unmarshal(out, &pkts); err != nil {
		t.Fatalf("tshark output for %s: %v", file, err)
	}
	var res []map[string][]string
	for _, p := range pkts {
		res = append(res, p.Source.Layers)
	}
	return res
}

// TestJSONAgreesWithTshark compares, packet by packet, the fields tshark
// dissects with the same fields in our objects, on the real captures.
func TestJSONAgreesWithTshark(t *testing.T) {
	if _, err := exec.LookPath("tshark"); err != nil {
		if os.Getenv("SOCKSCOPE_REQUIRE_PRIV") == "1" {
			t.Fatal("tshark is not installed")
		}
		t.Skip("tshark is not installed")
	}
	files := testCaptures(t, false)
	for _, name := range []string{"dns_udp.pcap", "dns_tcp.pcap", "vxlan.pcap", "loopback.pcap",
		"mptcp-v1.pcap", "ipv4_tcp_http_xml.pcap"} {
		if f := filepath.Join("../../shared/corpus/tcpdump", name); fileExists(f) {
			files = append(files, f)
		}
	}
	compared := 0
	for _, file := range files {
		c, err := readTestCapture(file)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		objs := parseLines(t, file, jsonLines(t, c), len(c.packets))
		theirs := tsharkValues(t, file)
		if len(theirs) != len(objs) {
			t.Fatalf("%s: tshark saw %d packets, we %d", file, len(theirs), len(objs))
		}
		bad := 0
		for i, obj := range objs {
			ts := theirs[i]
			if e := ts["frame.time_epoch"]; len(e) == 1 {
				sec, frac, _ := strings.Cut(e[0], ".")
				want := sec + "." + (frac + "000000")[:6]
				if got := fmt.Sprint(obj["ts_unix"]); got != want {
					t.Errorf("%s packet %d: ts_unix %s, tshark %s", file, i+1, got, e[0])
				}
			}
			for _, f := range tsharkFields {
				want := ts[f.name]
				for k := range want {
					want[k] = tsharkNumber(want[k])
				}
				got := ourValues(obj, f)
				for k := range got {
					got[k] = tsharkNumber(got[k])
				}
				if strings.Join(got, ",") != strings.Join(want, ",") {
					bad++
					if bad <= 10 {
						t.Errorf("%s packet %d: %s: we have %q, tshark %q", file, i+1, f.name, got, want)
					}
				}
				compared += len(want)
			}
		}
	}
	t.Logf("%d field values compared with tshark", compared)
}

func fileExists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}

// Hand-made frames for the unit tests (the real captures are the main proof).

func testIPv4(proto byte, payload []byte) []byte {
	n := 20 + len(payload)
	b := []byte{0x45, 0, byte(n >> 8), byte(n), 0x12, 0x34, 0x40, 0, 64, proto, 0xbe, 0xef,
		10, 0, 0, 1, 10, 0, 0, 2}
	return append(b, payload...)
}

// testSYN is a SYN as Linux sends it: MSS, SACK permitted, timestamps, window scale.
var testSYN = etherFrame(0x0800, testIPv4(6, []byte{
	0x9c, 0x40, 0x00, 0x50, 0, 0, 0x10, 0, 0, 0, 0, 0, 0xa0, 0x02, 0xfa, 0xf0, 0x12, 0x34, 0, 0,
	2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7}))

// testDNS is a query for example.test. A IN.
var testDNS = etherFrame(0x0800, testIPv4(17, udpDatagram(40000, 53, []byte{
	0xab, 0xcd, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
	7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 4, 't', 'e', 's', 't', 0, 0, 1, 0, 1})))

func printOne(t *testing.T, data []byte, ci gopacket.CaptureInfo, link LinkType, opt Options) (string, map[string]any) {
	t.Helper()
	var out bytes.Buffer
	j := NewJSONPrinter(&out, opt)
	if ci.Length == 0 {
		ci.Length = len(data)
	}
	ci.CaptureLength = len(data)
	if err := j.Print(data, ci, link); err != nil {
		t.Fatal(err)
	}
	j.Flush()
	line := out.String()
	if strings.Count(line, "\n") != 1 || !strings.HasSuffix(line, "\n") {
		t.Fatalf("not one line: %q", line)
	}
	var obj map[string]any
	if err := json.Unmarshal([]byte(line), &obj); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, line)
	}
	return line, obj
}

func layerOf(obj map[string]any, i int) map[string]any {
	ls := obj["layers"].([]any)
	if i < 0 {
		i += len(ls)
	}
	if i < 0 || i >= len(ls) {
		return nil
	}
	return ls[i].(map[string]any)
}

// TestJSONTCPSynFields checks every field of a SYN's layers, so that a change
// of name or form shows.
func TestJSONTCPSynFields(t *testing.T) {
	ts := time.Date(2026, 11, 26, 8, 0, 0, 123456789, time.UTC)
	line, obj := printOne(t, testSYN, gopacket.CaptureInfo{Timestamp: ts}, LinkEthernet, Options{})
	for _, want := range []string{
		`{"n":1,"ts":"2026-11-26T08:00:00.123456789Z","ts_unix":1795680000.123456,"len":74,"caplen":74,"link":"EN10MB","layers":[`,
		`{"layer":"ethernet","src":"02:00:00:00:00:01","dst":"02:00:00:00:00:02","type":"IPv4"}`,
		`"flags":["DF"],"frag_offset":0,"ttl":64,"proto":"TCP","checksum":"0xbeef"}`,
		`"sport":40000,"dport":80,"seq":4096,"ack":0,"hdr_len":40,"flags":["SYN"],"window":64240,"checksum":"0x1234",` +
			`"options":[{"kind":"mss","value":1460},{"kind":"sackOK"},{"kind":"TS","val":1,"ecr":0},{"kind":"nop"},{"kind":"wscale","value":7}],"payload_len":0}]}`,
	} {
		if !strings.Contains(line, want) {
			t.Errorf("missing %s\nin %s", want, line)
		}
	}
	if obj["truncated"] != nil || obj["error"] != nil {
		t.Errorf("unexpected truncated/error: %s", line)
	}
}

// TestJSONMarksTruncatedLayers checks that a layer cut by the snaplen keeps
// what was decoded, with an error, and marks the packet truncated.
func TestJSONMarksTruncatedLayers(t *testing.T) {
	// The SYN cut by a snaplen of 60: the TCP options are gone.
	_, obj := printOne(t, testSYN[:60], gopacket.CaptureInfo{Length: len(testSYN)}, LinkEthernet, Options{})
	if obj["truncated"] != true {
		t.Fatalf("truncated not set: %v", obj)
	}
	if l := layerOf(obj, -1); l["layer"] != "tcp" || l["error"] == nil || l["sport"] == nil {
		t.Fatalf("last layer %v, want tcp with ports and an error", l)
	}
	// Ethernet padding after a short IP packet is not a cut.
	padded := append(append([]byte{}, testDNS...), make([]byte, 8)...)
	if _, obj := printOne(t, padded, gopacket.CaptureInfo{}, LinkEthernet, Options{}); obj["truncated"] != nil {
		t.Fatalf("padding marked truncated: %v", obj)
	}
}

// TestJSONDNSQuery checks a DNS query's object.
func TestJSONDNSQuery(t *testing.T) {
	line, _ := printOne(t, testDNS, gopacket.CaptureInfo{}, LinkEthernet, Options{})
	want := `{"layer":"dns","id":43981,"qr":false,"opcode":"QUERY","rcode":"NOERROR","flags":["RD"],` +
		`"questions":[{"name":"example.test.","type":"A","class":"IN"}]}`
	if !strings.Contains(line, want) {
		t.Fatalf("missing %s\nin %s", want, line)
	}
}

// TestJSONSurvivesDecoderPanics feeds a DNS question cut inside its type field:
// gopacket's DNS decoder slices past the end there and panics.
func TestJSONSurvivesDecoderPanics(t *testing.T) {
	cut := etherFrame(0x0800, testIPv4(17, udpDatagram(40000, 53, []byte{
		0xab, 0xcd, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 1, 'a', 0, 0})))
	_, obj := printOne(t, cut, gopacket.CaptureInfo{}, LinkEthernet, Options{})
	if msg, _ := obj["error"].(string); !strings.Contains(msg, "dns") {
		t.Fatalf("error %q, want the DNS decoder's panic", obj["error"])
	}
	if l := layerOf(obj, -1); l["layer"] != "dns" || l["error"] == nil {
		t.Fatalf("last layer %v, want dns with an error", l)
	}
	if l := layerOf(obj, 2); l["layer"] != "udp" || l["dport"] != 53.0 {
		t.Fatalf("layers before the panic lost: %v", obj["layers"])
	}
	// The printer goes on with the next packet as if nothing happened.
	var out bytes.Buffer
	j := NewJSONPrinter(&out, Options{})
	j.Print(cut, gopacket.CaptureInfo{Length: len(cut), CaptureLength: len(cut)}, LinkEthernet)
	j.Print(testDNS, gopacket.CaptureInfo{Length: len(testDNS), CaptureLength: len(testDNS)}, LinkEthernet)
	j.Flush()
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || strings.Contains(lines[1], "error") || !strings.Contains(lines[1], `"n":2`) {
		t.Fatalf("second packet after a panic: %q", lines)
	}
}

// TestJSONLinuxCookedV2NamesTheInterface checks that a cooked v2 packet
// names its interface as this machine does.
func TestJSONLinuxCookedV2NamesTheInterface(t *testing.T) {
	sll2 := []byte{0x08, 0x00, 0, 0, 0, 0, 0, 7, 0, 1, 4, 6, 0x02, 0, 0, 0, 0, 1, 0, 0}
	pkt := append(sll2, testIPv4(17, udpDatagram(1, 2, nil))...)
	opt := Options{IfName: func(i int) (string, bool) { return "eth" + strconv.Itoa(i), i == 7 }}
	line, obj := printOne(t, pkt, gopacket.CaptureInfo{}, LinkLinuxSLL2, opt)
	if obj["interface"] != "eth7" || obj["link"] != "LINUX_SLL2" {
		t.Fatalf("interface/link wrong: %s", line)
	}
	want := `{"layer":"sll2","direction":"Out","ifindex":7,"hatype":1,"addr":"02:00:00:00:00:01","type":"IPv4"}`
	if !strings.Contains(line, want) {
		t.Fatalf("missing %s\nin %s", want, line)
	}
	// A pcapng interface name wins over the machine's.
	var out bytes.Buffer
	j := NewJSONPrinter(&out, opt)
	j.SetInterfaceName(0, `any "cooked"`)
	j.Print(pkt, gopacket.CaptureInfo{Length: len(pkt), CaptureLength: len(pkt)}, LinkLinuxSLL2)
	j.Flush()
	if !strings.Contains(out.String(), `"interface":"any \"cooked\""`) {
		t.Fatalf("pcapng name not used: %s", out.String())
	}
}

// TestJSONLoopbackAndRawIP checks the layer that starts each link type
// without an Ethernet header.
func TestJSONLoopbackAndRawIP(t *testing.T) {
	ip := testIPv4(1, []byte{8, 0, 0xf7, 0xff, 0, 1, 0, 1})
	for _, tc := range []struct {
		link LinkType
		data []byte
		want string
	}{
		{LinkNull, append([]byte{2, 0, 0, 0}, ip...), `{"layer":"null","family":2,"type":"IPv4"}`},
		{LinkLoop, append([]byte{0, 0, 0, 2}, ip...), `{"layer":"null","family":2,"type":"IPv4"}`},
		{LinkRaw, ip, `"layers":[{"layer":"ipv4"`},
		{LinkIPv4, ip, `{"layer":"icmp","type":8,"code":0,"type_name":"echo-request","checksum":"0xf7ff","id":1,"seq":1}`},
	} {
		if line, _ := printOne(t, tc.data, gopacket.CaptureInfo{}, tc.link, Options{}); !strings.Contains(line, tc.want) {
			t.Errorf("link %d: missing %s\nin %s", tc.link, tc.want, line)
		}
	}
}

// TestJSONICMPErrorQuotesItsPacket checks that the packet an ICMP error
// quotes is decoded as layers of its own.
func TestJSONICMPErrorQuotesItsPacket(t *testing.T) {
	// A port unreachable quotes the whole UDP datagram's header; the quoted IP
	// length counts bytes the quote leaves out, which is no truncation.
	quoted := testIPv4(17, udpDatagram(40000, 33434, make([]byte, 100)))[:28]
	pkt := etherFrame(0x0800, testIPv4(1, append([]byte{3, 3, 0, 0, 0, 0, 0, 0}, quoted...)))
	line, obj := printOne(t, pkt, gopacket.CaptureInfo{}, LinkEthernet, Options{})
	if obj["truncated"] != nil {
		t.Errorf("quote marked truncated: %s", line)
	}
	if l := layerOf(obj, 2); l["code_name"] != "port-unreachable" {
		t.Errorf("icmp layer %v", l)
	}
	if l := layerOf(obj, -1); l["layer"] != "udp" || l["dport"] != 33434.0 {
		t.Errorf("quoted udp missing: %s", line)
	}
}

// TestJSONStringEscapes checks that strings from packets are valid JSON
// whatever their bytes, with only the escapes JSON has.
func TestJSONStringEscapes(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain", `"plain"`},
		{"q\"b\\s", `"q\"b\\s"`},
		{"\n\r\t\b\f", `"\n\r\t\b\f"`},
		{"\x00\x1f\x7f", `"\u0000\u001f\u007f"`},
		{"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\""},
		{"\xff\xc3", `"\u00ff\u00c3"`},                               // not UTF-8, and a sequence cut short
		{"\xc0\xaf\xed\xa0\x80", `"\u00c0\u00af\u00ed\u00a0\u0080"`}, // overlong, surrogate
		{"\xf4\x90\x80\x80", `"\u00f4\u0090\u0080\u0080"`},           // above U+10FFFF
	} {
		got := string(appendJSONString(nil, tc.in))
		if got != tc.want {
			t.Errorf("%q: got %s, want %s", tc.in, got, tc.want)
		}
		if !json.Valid([]byte(got)) {
			t.Errorf("%q: %s is not valid JSON", tc.in, got)
		}
		if b := string(appendJSONString(nil, []byte(tc.in))); b != got {
			t.Errorf("%q: []byte form %s differs", tc.in, b)
		}
	}
}

// TestJSONPrintAllocatesNothing checks that a common packet costs the JSON
// printer no allocation.
func TestJSONPrintAllocatesNothing(t *testing.T) {
	j := NewJSONPrinter(io.Discard, Options{})
	for _, tc := range []struct {
		name string
		data []byte
		max  float64
	}{{"tcp", testSYN, 0}, {"dns", testDNS, 0}} {
		ci := gopacket.CaptureInfo{Timestamp: time.Now(), Length: len(tc.data), CaptureLength: len(tc.data)}
		allocs := testing.AllocsPerRun(200, func() { j.Print(tc.data, ci, LinkEthernet) })
		if allocs > tc.max {
			t.Errorf("%s: %.1f allocations per packet, want at most %.0f", tc.name, allocs, tc.max)
		}
	}
}

// BenchmarkJSONTCP prints a TCP segment with options and data, as most packets are.
func BenchmarkJSONTCP(b *testing.B) {
	seg := append(append([]byte{}, testSYN[34:]...), make([]byte, 512)...)
	seg[13] = 0x18 // PSH ACK
	pkt := etherFrame(0x0800, testIPv4(6, seg))
	ci := gopacket.CaptureInfo{Timestamp: time.Now(), Length: len(pkt), CaptureLength: len(pkt)}
	j := NewJSONPrinter(io.Discard, Options{})
	b.ReportAllocs()
	b.SetBytes(int64(len(pkt)))
	for b.Loop() {
		j.Print(pkt, ci, LinkEthernet)
	}
}

// BenchmarkJSONMixed prints testdata/mixed.pcap (TCP, DNS, ICMP, ARP, ND).
func BenchmarkJSONMixed(b *testing.B) {
	pkts := readTestdata(b, "mixed.pcap")
	var bytes int64
	for _, p := range pkts {
		bytes += int64(len(p.data))
	}
	j := NewJSONPrinter(io.Discard, Options{})
	b.ReportAllocs()
	b.SetBytes(bytes / int64(len(pkts)))
	i := 0
	for b.Loop() {
		p := &pkts[i%len(pkts)]
		j.Print(p.data, p.ci, p.link)
		i++
	}
}

// FuzzJSONPrint checks that any bytes under any link type give one line of valid JSON.
func FuzzJSONPrint(f *testing.F) {
	f.Add(testSYN, uint16(LinkEthernet))
	f.Add(testDNS, uint16(LinkEthernet))
	f.Add(testSYN[14:], uint16(LinkRaw))
	f.Add(append([]byte{0x08, 0x00, 0, 0, 0, 0, 0, 7, 0, 1, 4, 6, 2, 0, 0, 0, 0, 1, 0, 0}, testDNS[14:]...), uint16(LinkLinuxSLL2))
	for _, name := range []string{"../testdata/mixed.pcap", "../testdata/vxlan.pcap", "../testdata/icmp6-nd.pcap"} {
		if c, err := readTestCapture(name); err == nil {
			for i := 0; i < len(c.packets); i += 97 {
				f.Add(c.packets[i].data, uint16(c.packets[i].link))
			}
		}
	}
	var out bytes.Buffer
	j := NewJSONPrinter(&out, Options{})
	f.Fuzz(func(t *testing.T, data []byte, link uint16) {
		out.Reset()
		ci := gopacket.CaptureInfo{Length: len(data) + int(link>>12), CaptureLength: len(data)}
		if err := j.Print(data, ci, LinkType(link&0x1ff)); err != nil {
			t.Fatal(err)
		}
		j.Flush()
		line := out.Bytes()
		if bytes.Count(line, []byte("\n")) != 1 || line[len(line)-1] != '\n' || !json.Valid(line) {
			t.Fatalf("bad line for link %d: %q", link&0x1ff, line)
		}
	})
}
