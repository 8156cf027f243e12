package decode

// Tests of the JSON printer (json.go) in the tree's layout: one object per
// packet per line, keyed by protocol, each layer an object of its fields
// under their registry (Wireshark) names; the values of the fields tshark
// also shows agree with tshark's.
//
// A field the tests want that is not registered yet is skipped with a log
// line (the dissectors are written protocol by protocol), but each test
// fails when fewer than most of the fields it wants are there.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
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

// jsonObject is one packet's line, decoded with its numbers as json.Number.
type jsonObject map[string]any

// parseJSONLine decodes one line that must hold exactly one JSON object.
func parseJSONLine(line []byte) (jsonObject, error) {
	var obj jsonObject
	d := json.NewDecoder(bytes.NewReader(line))
	d.UseNumber()
	if err := d.Decode(&obj); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, fmt.Errorf("more than one value on the line")
	}
	return obj, nil
}

// parseLines checks that out holds one JSON object per packet, each with a
// frame layer numbering it, and returns them.
func parseLines(t *testing.T, name string, out []byte, packets int) []jsonObject {
	t.Helper()
	var objs []jsonObject
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		obj, err := parseJSONLine(sc.Bytes())
		if err != nil {
			t.Fatalf("%s line %d is not one JSON object: %v\n%s", name, len(objs)+1, err, sc.Bytes())
		}
		frame := obj.layers("frame")
		if len(frame) != 1 {
			t.Fatalf("%s line %d has %d frame layers", name, len(objs)+1, len(frame))
		}
		if n := jsonText(frame[0]["frame.number"]); n != strconv.Itoa(len(objs)+1) {
			t.Fatalf("%s line %d has frame.number %s", name, len(objs)+1, n)
		}
		objs = append(objs, obj)
	}
	if len(objs) != packets {
		t.Fatalf("%s: %d lines for %d packets", name, len(objs), packets)
	}
	return objs
}

// layers are the layers of protocol proto, in order: one object, or the
// objects of an array when the protocol occurs more than once.
func (o jsonObject) layers(proto string) []map[string]any {
	switch v := o[proto].(type) {
	case map[string]any:
		return []map[string]any{v}
	case []any:
		var ls []map[string]any
		for _, e := range v {
			if m, ok := e.(map[string]any); ok {
				ls = append(ls, m)
			}
		}
		return ls
	}
	return nil
}

// jsonText is a value as text: numbers as written, booleans as true/false,
// arrays joined by commas.
func jsonText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case []any:
		s := make([]string, len(v))
		for i, e := range v {
			s[i] = jsonText(e)
		}
		return strings.Join(s, ",")
	default:
		return fmt.Sprint(v)
	}
}

// fieldLayer is the protocol (the layer key) a registered field belongs to.
func fieldLayer(name string) (string, bool) {
	id, ok := Lookup(name)
	if !ok {
		return "", false
	}
	p := id.Info().Proto
	if p == 0 {
		return "", false
	}
	return p.Name(), true
}

// values are the values of field name in o, in order: from the layers of
// its protocol, or (when it is not found there) from any layer.
func (o jsonObject) values(name string) []string {
	var s []string
	add := func(l map[string]any) {
		switch v := l[name].(type) {
		case nil:
		case []any:
			for _, e := range v {
				s = append(s, jsonText(e))
			}
		default:
			s = append(s, jsonText(v))
		}
	}
	if proto, ok := fieldLayer(name); ok {
		for _, l := range o.layers(proto) {
			add(l)
		}
	}
	if len(s) > 0 {
		return s
	}
	keys := make([]string, 0, len(o))
	for k := range o {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, l := range o.layers(k) {
			add(l)
		}
	}
	return s
}

// fieldCheck compares fields of one object with the values a test wants,
// skipping the fields not registered yet.
type fieldCheck struct {
	t               *testing.T
	wanted, present int
}

// want checks that field name has the value want in obj (its first value
// when it occurs more than once, unless want holds a comma).
func (c *fieldCheck) want(obj jsonObject, name, want string) {
	c.t.Helper()
	c.wanted++
	if _, ok := Lookup(name); !ok {
		c.t.Logf("field %s is not registered yet: skipped", name)
		return
	}
	c.present++
	got := obj.values(name)
	if len(got) == 0 {
		c.t.Errorf("%s missing", name)
		return
	}
	g := got[0]
	if strings.Contains(want, ",") {
		g = strings.Join(got, ",")
	}
	if g != want {
		c.t.Errorf("%s = %s, want %s", name, g, want)
	}
}

// done fails the test when fewer than most of the fields it wanted are
// registered.
func (c *fieldCheck) done() {
	c.t.Helper()
	c.t.Logf("%d of %d wanted fields registered", c.present, c.wanted)
	if 2*c.present <= c.wanted {
		c.t.Errorf("only %d of the %d fields the test wants are registered", c.present, c.wanted)
	}
}

// jsonCaptures lists the real captures of testdata/ and, when it is there,
// the corpus of tcpdump's own test captures (many malformed on purpose).
func jsonCaptures(t *testing.T, corpus bool) []string {
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
// corpus, broken ones included, and checks each line is one JSON object
// numbering its packet (by jq too, when it is installed).
func TestJSONEveryLineIsJSONForJq(t *testing.T) {
	var all bytes.Buffer
	total := 0
	for _, f := range jsonCaptures(t, true) {
		c, err := readTestCapture(f)
		if err != nil {
			continue // the corpus has files broken on purpose
		}
		// Packets of link types sockscope does not read are refused by
		// Print with an error, and have no line.
		pkts := c.packets[:0:0]
		for _, p := range c.packets {
			if Supported(p.link) {
				pkts = append(pkts, p)
			}
		}
		c.packets = pkts
		out := jsonLines(t, c)
		parseLines(t, filepath.Base(f), out, len(c.packets))
		all.Write(out)
		total += len(c.packets)
	}
	jq, err := exec.LookPath("jq")
	if err != nil {
		t.Skip("jq is not installed")
	}
	cmd := exec.Command(jq, "-c", `.frame."frame.number"`)
	cmd.Stdin = &all
	got, err := cmd.Output()
	if err != nil {
		t.Fatalf("jq rejected the output: %v", err)
	}
	if n := bytes.Count(got, []byte("\n")); n != total {
		t.Fatalf("jq read %d objects of %d", n, total)
	}
	if bytes.Contains(got, []byte("null")) {
		t.Fatal("jq found an object without frame.number")
	}
}

// Hand-made frames: a SYN and a DNS query from 10.0.0.1 to 10.0.0.2.

func testJSONIPv4(proto uint8, payload []byte) []byte {
	return ip4Hdr{src: "10.0.0.1", dst: "10.0.0.2", proto: proto, id: 0x1234, flagsOff: 0x4000}.packet(payload)
}

// testJSONSYN is a SYN as Linux sends it: MSS, SACK permitted, timestamps,
// window scale.
var testJSONSYN = etherFrame(testEtherIPv4, testJSONIPv4(wireProtoTCP, wireWithChecksum(ipAddr4("10.0.0.1"), ipAddr4("10.0.0.2"), wireProtoTCP,
	tcpSegment(40000, 80, 4096, 0, wireTCPSyn, 64240, []byte{2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7}, nil), 16)))

// testJSONDNS is a query for example.test. A IN.
var testJSONDNS = etherFrame(testEtherIPv4, testJSONIPv4(wireProtoUDP, udpDatagram(40000, 53, joinWire(
	dnsHeader(0xabcd, 0x0100, 1, 0, 0, 0), dnsWireName("example.test"), wire16(1), wire16(1)))))

// printOne prints one packet as JSON and returns its line and object.
func printOne(t *testing.T, data []byte, ci gopacket.CaptureInfo, link wire.LinkType, opt Options) (string, jsonObject) {
	t.Helper()
	var out bytes.Buffer
	j := NewJSONPrinter(&out, opt)
	return printOneWith(t, j, &out, data, ci, link)
}

func printOneWith(t *testing.T, j *JSONPrinter, out *bytes.Buffer, data []byte, ci gopacket.CaptureInfo, link wire.LinkType) (string, jsonObject) {
	t.Helper()
	out.Reset()
	if ci.Length == 0 {
		ci.Length = len(data)
	}
	ci.CaptureLength = len(data)
	if err := j.Print(data, ci, link); err != nil {
		t.Fatal(err)
	}
	if err := j.Flush(); err != nil {
		t.Fatal(err)
	}
	line := out.String()
	if strings.Count(line, "\n") != 1 || !strings.HasSuffix(line, "\n") {
		t.Fatalf("not one line: %q", line)
	}
	obj, err := parseJSONLine([]byte(line))
	if err != nil {
		t.Fatalf("not JSON: %v\n%s", err, line)
	}
	return line, obj
}

// shortLayers are the protocols of the layers marked cut by the capture.
func (o jsonObject) shortLayers() []string {
	var s []string
	for k := range o {
		for _, l := range o.layers(k) {
			if l["_ws.short"] == true {
				s = append(s, k)
			}
		}
	}
	sort.Strings(s)
	return s
}

// TestJSONTCPSynFields checks the fields of a SYN's layers, so that a
// change of name or form shows.
func TestJSONTCPSynFields(t *testing.T) {
	ts := time.Date(2026, 11, 26, 8, 0, 0, 123456789, time.UTC)
	line, obj := printOne(t, testJSONSYN, gopacket.CaptureInfo{Timestamp: ts}, wire.LinkEthernet, Options{})
	for _, p := range []string{"frame", "eth", "ip", "tcp"} {
		if obj[p] == nil {
			t.Errorf("no %s layer in %s", p, line)
		}
	}
	c := &fieldCheck{t: t}
	for _, f := range [][2]string{
		{"frame.number", "1"},
		{"frame.len", "74"},
		{"frame.cap_len", "74"},
		{"frame.time_epoch", "1795680000.123456789"},
		{"eth.src", "02:00:00:00:00:01"},
		{"eth.dst", "02:00:00:00:00:02"},
		{"eth.type", "2048"},
		{"ip.version", "4"},
		{"ip.hdr_len", "20"},
		{"ip.len", "60"},
		{"ip.id", "4660"},
		{"ip.flags.df", "true"},
		{"ip.flags.mf", "false"},
		{"ip.frag_offset", "0"},
		{"ip.ttl", "64"},
		{"ip.proto", "6"},
		{"ip.src", "10.0.0.1"},
		{"ip.dst", "10.0.0.2"},
		{"tcp.srcport", "40000"},
		{"tcp.dstport", "80"},
		{"tcp.seq_raw", "4096"},
		{"tcp.ack_raw", "0"},
		{"tcp.hdr_len", "40"},
		{"tcp.len", "0"},
		{"tcp.flags.syn", "true"},
		{"tcp.flags.ack", "false"},
		{"tcp.flags.fin", "false"},
		{"tcp.flags.reset", "false"},
		{"tcp.window_size_value", "64240"},
		{"tcp.options.mss_val", "1460"},
		{"tcp.options.wscale.shift", "7"},
		{"tcp.options.timestamp.tsval", "1"},
		{"tcp.options.timestamp.tsecr", "0"},
	} {
		c.want(obj, f[0], f[1])
	}
	c.done()
	if s := obj.shortLayers(); len(s) > 0 {
		t.Errorf("layers %v marked short in %s", s, line)
	}
	if obj["_ws.malformed"] != nil {
		t.Errorf("marked malformed: %s", line)
	}
}

// TestJSONMarksTruncatedLayers checks that a layer cut by the snaplen keeps
// what was decoded and says "_ws.short", and that Ethernet padding after a
// short IP packet is no cut.
func TestJSONMarksTruncatedLayers(t *testing.T) {
	// The SYN cut by a snaplen of 60: the TCP options are gone.
	line, obj := printOne(t, testJSONSYN[:60], gopacket.CaptureInfo{Length: len(testJSONSYN)}, wire.LinkEthernet, Options{})
	tcp := obj.layers("tcp")
	if len(tcp) != 1 {
		t.Fatalf("no tcp layer in %s", line)
	}
	if tcp[0]["_ws.short"] != true {
		t.Errorf("tcp layer not marked short: %s", line)
	}
	c := &fieldCheck{t: t}
	c.want(obj, "tcp.srcport", "40000")
	c.want(obj, "tcp.dstport", "80")
	c.want(obj, "frame.len", "74")
	c.want(obj, "frame.cap_len", "60")
	c.done()
	for _, p := range []string{"eth", "ip"} {
		for _, l := range obj.layers(p) {
			if l["_ws.short"] != nil {
				t.Errorf("%s marked short, its header is whole: %s", p, line)
			}
		}
	}
	padded := append(append([]byte{}, testJSONDNS...), make([]byte, 8)...)
	if line, obj := printOne(t, padded, gopacket.CaptureInfo{}, wire.LinkEthernet, Options{}); len(obj.shortLayers()) > 0 {
		t.Errorf("padding marked short: %s", line)
	}
}

// TestJSONDNSQuery checks a DNS query's fields.
func TestJSONDNSQuery(t *testing.T) {
	line, obj := printOne(t, testJSONDNS, gopacket.CaptureInfo{}, wire.LinkEthernet, Options{})
	if obj["udp"] == nil || obj["dns"] == nil {
		t.Errorf("no udp and dns layers: %s", line)
	}
	c := &fieldCheck{t: t}
	for _, f := range [][2]string{
		{"udp.srcport", "40000"},
		{"udp.dstport", "53"},
		{"udp.length", "38"},
		{"dns.id", "43981"},
		{"dns.flags.response", "false"},
		{"dns.flags.recdesired", "true"},
		{"dns.flags.opcode", "0"},
		{"dns.count.queries", "1"},
		{"dns.count.answers", "0"},
		{"dns.qry.name", "example.test"},
		{"dns.qry.type", "1"},
		{"dns.qry.class", "1"},
	} {
		c.want(obj, f[0], f[1])
	}
	c.done()
}

// TestJSONGoesOnAfterABrokenPacket feeds a DNS question cut inside its type
// field, then a whole query: the first keeps its lower layers and is marked,
// the second is printed as if nothing happened.
func TestJSONGoesOnAfterABrokenPacket(t *testing.T) {
	cut := etherFrame(testEtherIPv4, testJSONIPv4(wireProtoUDP, udpDatagram(40000, 53, []byte{
		0xab, 0xcd, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 1, 'a', 0, 0})))
	var out bytes.Buffer
	j := NewJSONPrinter(&out, Options{})
	line, obj := printOneWith(t, j, &out, cut, gopacket.CaptureInfo{}, wire.LinkEthernet)
	if obj["udp"] == nil {
		t.Errorf("layers before the broken DNS lost: %s", line)
	}
	if d := obj.layers("dns"); len(d) == 1 && d[0]["_ws.malformed"] == nil && d[0]["_ws.short"] == nil {
		t.Errorf("broken DNS not marked: %s", line)
	}
	line, obj = printOneWith(t, j, &out, testJSONDNS, gopacket.CaptureInfo{}, wire.LinkEthernet)
	if n := obj.values("frame.number"); len(n) != 1 || n[0] != "2" {
		t.Errorf("second packet numbered %v: %s", n, line)
	}
	if strings.Contains(line, "_ws.") {
		t.Errorf("second packet marked: %s", line)
	}
}

// testSLL2 is a cooked v2 header: outgoing, on interface 7, from
// 02:00:00:00:00:01, carrying IPv4.
var testSLL2 = []byte{0x08, 0x00, 0, 0, 0, 0, 0, 7, 0, 1, 4, 6, 0x02, 0, 0, 0, 0, 1, 0, 0}

// TestJSONLinuxCookedV2 checks a cooked v2 packet's fields, and that the
// name of its pcapng interface is frame.interface_name.
func TestJSONLinuxCookedV2(t *testing.T) {
	pkt := append(append([]byte(nil), testSLL2...), testJSONIPv4(wireProtoUDP, udpDatagram(1, 2, nil))...)
	line, obj := printOne(t, pkt, gopacket.CaptureInfo{}, wire.LinkLinuxSLL2, Options{})
	if obj["sll"] == nil || obj["ip"] == nil {
		t.Errorf("no sll and ip layers: %s", line)
	}
	c := &fieldCheck{t: t}
	for _, f := range [][2]string{
		{"sll.etype", "2048"},
		{"sll.ifindex", "7"},
		{"sll.hatype", "1"},
		{"sll.pkttype", "4"},
		{"sll.halen", "6"},
		{"sll.src.eth", "02:00:00:00:00:01"},
		{"frame.link_type", "276"},
		{"ip.src", "10.0.0.1"},
		{"udp.dstport", "2"},
	} {
		c.want(obj, f[0], f[1])
	}
	c.done()
	// A pcapng interface name, with characters JSON escapes.
	var out bytes.Buffer
	j := NewJSONPrinter(&out, Options{})
	j.SetInterfaceName(0, `any "cooked"\`)
	line, obj = printOneWith(t, j, &out, pkt, gopacket.CaptureInfo{}, wire.LinkLinuxSLL2)
	if got := obj.values("frame.interface_name"); len(got) != 1 || got[0] != `any "cooked"\` {
		t.Errorf("frame.interface_name %q: %s", got, line)
	}
	// Another interface index has no name.
	_, obj = printOneWith(t, j, &out, pkt, gopacket.CaptureInfo{InterfaceIndex: 1}, wire.LinkLinuxSLL2)
	if got := obj.values("frame.interface_name"); len(got) != 0 {
		t.Errorf("interface 1 named %q", got)
	}
}

// TestJSONLoopbackAndRawIP checks the layers that start each link type
// without an Ethernet header.
func TestJSONLoopbackAndRawIP(t *testing.T) {
	ip := testJSONIPv4(wireProtoICMP, icmpMsg(8, 0, []byte{0, 1, 0, 1}, nil))
	c := &fieldCheck{t: t}
	for _, tc := range []struct {
		link   wire.LinkType
		data   []byte
		layers []string
		fields [][2]string
	}{
		{wire.LinkNull, append([]byte{2, 0, 0, 0}, ip...), []string{"null", "ip", "icmp"}, [][2]string{{"null.family", "2"}}},
		{wire.LinkLoop, append([]byte{0, 0, 0, 2}, ip...), []string{"null", "ip", "icmp"}, [][2]string{{"null.family", "2"}}},
		{wire.LinkRaw, ip, []string{"ip", "icmp"}, nil},
		{wire.LinkIPv4, ip, []string{"ip", "icmp"}, [][2]string{
			{"icmp.type", "8"}, {"icmp.code", "0"}, {"icmp.checksum", "63485"}, {"icmp.ident", "1"}, {"icmp.seq", "1"}}},
	} {
		line, obj := printOne(t, tc.data, gopacket.CaptureInfo{}, tc.link, Options{})
		for _, p := range tc.layers {
			if obj[p] == nil {
				t.Errorf("link %d: no %s layer in %s", tc.link, p, line)
			}
		}
		c.want(obj, "frame.link_type", strconv.Itoa(int(tc.link)))
		c.want(obj, "ip.src", "10.0.0.1")
		for _, f := range tc.fields {
			c.want(obj, f[0], f[1])
		}
	}
	c.done()
}

// TestJSONICMPErrorQuotesItsPacket checks that the packet an ICMP error
// quotes is decoded as layers of its own: "ip" becomes an array of the
// outer and the quoted header.
func TestJSONICMPErrorQuotesItsPacket(t *testing.T) {
	// A port unreachable quotes the UDP datagram's header; the quoted IP
	// length counts bytes the quote leaves out.
	quoted := ip4Hdr{src: "10.0.0.2", dst: "10.9.9.9", proto: wireProtoUDP, id: 7}.packet(udpDatagram(40000, 33434, make([]byte, 100)))[:28]
	pkt := etherFrame(testEtherIPv4, testJSONIPv4(wireProtoICMP, icmpMsg(3, 3, make([]byte, 4), quoted)))
	line, obj := printOne(t, pkt, gopacket.CaptureInfo{}, wire.LinkEthernet, Options{})
	ips := obj.layers("ip")
	if _, isArray := obj["ip"].([]any); !isArray || len(ips) != 2 {
		t.Fatalf("ip is not an array of two layers: %s", line)
	}
	c := &fieldCheck{t: t}
	c.want(obj, "ip.src", "10.0.0.1,10.0.0.2")
	c.want(obj, "ip.dst", "10.0.0.2,10.9.9.9")
	c.want(obj, "ip.id", "4660,7")
	c.want(obj, "icmp.type", "3")
	c.want(obj, "icmp.code", "3")
	c.want(obj, "udp.srcport", "40000")
	c.want(obj, "udp.dstport", "33434")
	c.done()
	if ips[0]["_ws.short"] != nil || obj.layers("eth")[0]["_ws.short"] != nil {
		t.Errorf("the outer layers are whole: %s", line)
	}
	for _, l := range obj.layers("icmp") {
		if l["_ws.short"] != nil {
			t.Errorf("a quote of 28 bytes is a whole ICMP error: %s", line)
		}
	}
}

// TestJSONStringEscapes checks that strings are valid JSON whatever their
// bytes, with only the escapes JSON has: quotes, backslashes and control
// characters escaped, bytes that are not UTF-8 as U+FFFD.
func TestJSONStringEscapes(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain", `"plain"`},
		{"q\"b\\s", `"q\"b\\s"`},
		{"\n\r\t", `"\n\r\t"`},
		{"\b\f", `"\u0008\u000c"`},
		{"\x00\x1f\x7f", `"\u0000\u001f\u007f"`},
		{"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\""},
		{"\xff\xc3", `"\ufffd\ufffd"`},                               // not UTF-8, and a sequence cut short
		{"\xc0\xaf\xed\xa0\x80", `"\ufffd\ufffd\ufffd\ufffd\ufffd"`}, // overlong, surrogate
		{"\xf4\x90\x80\x80", `"\ufffd\ufffd\ufffd\ufffd"`},           // above U+10FFFF
	} {
		got := string(appendJSONString(nil, []byte(tc.in)))
		if got != tc.want {
			t.Errorf("%q: got %s, want %s", tc.in, got, tc.want)
		}
		if !json.Valid([]byte(got)) {
			t.Errorf("%q: %s is not valid JSON", tc.in, got)
		}
	}
	// The same bytes in a DNS name and an interface name: every line is
	// still one JSON object.
	var out bytes.Buffer
	j := NewJSONPrinter(&out, Options{})
	j.SetInterfaceName(0, "eth\x00\"\xff")
	for _, label := range []string{"a\"b", "c\\d", "\x00\x01\x1f", "\xff\xfe", "\xc3\xa9t\xc3\xa9", "x\ny"} {
		msg := joinWire(dnsHeader(1, 0x0100, 1, 0, 0, 0), []byte{byte(len(label))}, []byte(label), []byte{4, 't', 'e', 's', 't', 0}, wire16(1), wire16(1))
		f := etherFrame(testEtherIPv4, testJSONIPv4(wireProtoUDP, udpDatagram(40000, 53, msg)))
		line, _ := printOneWith(t, j, &out, f, gopacket.CaptureInfo{}, wire.LinkEthernet)
		if !json.Valid([]byte(line)) {
			t.Errorf("label %q: not JSON: %s", label, line)
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
	}{{"tcp", testJSONSYN}, {"dns", testJSONDNS}} {
		ci := gopacket.CaptureInfo{Timestamp: time.Now(), Length: len(tc.data), CaptureLength: len(tc.data)}
		j.Print(tc.data, ci, wire.LinkEthernet)
		allocs := testing.AllocsPerRun(200, func() { j.Print(tc.data, ci, wire.LinkEthernet) })
		if allocs != 0 {
			t.Errorf("%s: %.1f allocations per packet, want 0", tc.name, allocs)
		}
	}
}

// tsharkCompared are the fields whose values tshark and sockscope print the
// same way: addresses, ports, lengths, TTLs, flags, identifiers. Those not
// registered are left out.
var tsharkCompared = []string{
	"frame.len", "frame.cap_len", "frame.time_epoch",
	"eth.src", "eth.dst", "eth.type",
	"vlan.id", "vlan.priority", "vlan.etype", "ieee8021ad.id",
	"sll.pkttype", "sll.hatype", "sll.ifindex", "sll.etype", "sll.src.eth",
	"null.family",
	"arp.opcode", "arp.src.proto_ipv4", "arp.dst.proto_ipv4", "arp.src.hw_mac", "arp.dst.hw_mac",
	"ip.hdr_len", "ip.src", "ip.dst", "ip.ttl", "ip.id", "ip.len", "ip.proto", "ip.checksum",
	"ip.flags.df", "ip.flags.mf", "ip.frag_offset", "ip.dsfield",
	"ipv6.src", "ipv6.dst", "ipv6.hlim", "ipv6.plen", "ipv6.nxt", "ipv6.flow", "ipv6.tclass",
	"ipv6.fraghdr.ident", "ipv6.fraghdr.more", "ipv6.fraghdr.nxt",
	"tcp.srcport", "tcp.dstport", "tcp.stream", "tcp.seq", "tcp.seq_raw", "tcp.nxtseq", "tcp.ack", "tcp.ack_raw",
	"tcp.hdr_len", "tcp.len", "tcp.options.sack_le", "tcp.options.sack_re",
	"tcp.window_size_value", "tcp.checksum", "tcp.urgent_pointer",
	"tcp.flags.syn", "tcp.flags.ack", "tcp.flags.fin", "tcp.flags.reset", "tcp.flags.push", "tcp.flags.urg",
	"tcp.options.mss_val", "tcp.options.wscale.shift", "tcp.options.timestamp.tsval", "tcp.options.timestamp.tsecr",
	"udp.srcport", "udp.dstport", "udp.length", "udp.checksum",
	"icmp.type", "icmp.code", "icmp.checksum", "icmp.ident", "icmp.seq", "icmp.mtu",
	"icmpv6.type", "icmpv6.code", "icmpv6.checksum", "icmpv6.echo.identifier", "icmpv6.echo.sequence_number",
	"icmpv6.mtu", "icmpv6.nd.ns.target_address", "icmpv6.nd.na.target_address",
	"vxlan.vni", "geneve.vni",
	"dns.id", "dns.flags.response", "dns.flags.opcode", "dns.flags.rcode", "dns.count.queries", "dns.count.answers",
	"dns.count.auth_rr", "dns.count.add_rr", "dns.qry.name", "dns.qry.type", "dns.qry.class",
	"dns.a", "dns.aaaa", "dns.cname", "dns.resp.ttl",
}

// tsharkNormal is a value as tshark or our JSON writes it, in one form:
// numbers in decimal (tshark writes some in hex), booleans as 1 or 0.
func tsharkNormal(s string) string {
	if v, _, ok := strings.Cut(s, " "); ok && v != "" {
		s = v // "1 (0x0001)"
	}
	switch s {
	case "true", "True":
		return "1"
	case "false", "False":
		return "0"
	}
	if v, err := strconv.ParseUint(s, 0, 64); err == nil {
		return strconv.FormatUint(v, 10)
	}
	return s
}

// tsharkValues runs tshark on a file for the fields, without reassembly, so
// that each packet is dissected on its own as sockscope does; for each
// packet, the values of each field in order.
func tsharkValues(t *testing.T, file string, fields []string) []map[string][]string {
	args := []string{"-r", file, "-n", "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=\x01", "-E", "separator=\x02",
		"-o", "tcp.desegment_tcp_streams:FALSE", "-o", "ip.defragment:FALSE",
		"-o", "ipv6.defragment:FALSE"}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	cmd := exec.Command("tshark", args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tshark %s: %v\n%s", file, err, stderr.Bytes())
	}
	var res []map[string][]string
	for _, line := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
		cols := strings.Split(line, "\x02")
		m := map[string][]string{}
		for i, f := range fields {
			if i < len(cols) && cols[i] != "" {
				m[f] = strings.Split(cols[i], "\x01")
			}
		}
		res = append(res, m)
	}
	return res
}

// TestJSONAgreesWithTshark compares, packet by packet, the values of the
// registered fields tshark also dissects with the same fields in our
// objects, on the real captures and a few of the corpus.
func TestJSONAgreesWithTshark(t *testing.T) {
	needTshark(t)
	var fields []string
	for _, f := range tsharkCompared {
		if _, ok := Lookup(f); ok {
			fields = append(fields, f)
		} else {
			t.Logf("field %s is not registered yet: not compared", f)
		}
	}
	t.Logf("%d of %d fields compared", len(fields), len(tsharkCompared))
	if 2*len(fields) <= len(tsharkCompared) {
		t.Errorf("only %d of the %d fields to compare are registered", len(fields), len(tsharkCompared))
	}
	if len(fields) == 0 {
		return
	}
	files := jsonCaptures(t, false)
	for _, name := range []string{"dns_udp.pcap", "dns_tcp.pcap", "vxlan.pcap", "loopback.pcap",
		"mptcp-v1.pcap", "ipv4_tcp_http_xml.pcap"} {
		if f := filepath.Join("../../shared/corpus/tcpdump", name); fileExists(f) {
			files = append(files, f)
		}
	}
	compared := 0
	byField := map[string]int{}
	bad := 0
	for _, file := range files {
		c, err := readTestCapture(file)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		objs := parseLines(t, file, jsonLines(t, c), len(c.packets))
		theirs := tsharkValues(t, file, fields)
		if len(theirs) != len(objs) {
			t.Fatalf("%s: tshark saw %d packets, we %d", file, len(theirs), len(objs))
		}
		for i, obj := range objs {
			for _, f := range fields {
				want := theirs[i][f]
				got := obj.values(f)
				for k := range want {
					want[k] = tsharkNormal(want[k])
				}
				for k := range got {
					got[k] = tsharkNormal(got[k])
				}
				if strings.Join(got, ",") != strings.Join(want, ",") {
					bad++
					byField[f]++
					if bad <= 20 {
						t.Errorf("%s packet %d: %s: we have %q, tshark %q", filepath.Base(file), i+1, f, got, want)
					}
				}
				compared += len(want)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d values differ, by field: %v", bad, byField)
	}
	t.Logf("%d field values compared with tshark", compared)
}

func fileExists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}

// BenchmarkJSONTCP prints a TCP segment with options and data, as most packets are.
func BenchmarkJSONTCP(b *testing.B) {
	seg := append(append([]byte{}, testJSONSYN[34:]...), make([]byte, 512)...)
	seg[13] = wireTCPPsh | wireTCPAck
	pkt := etherFrame(testEtherIPv4, testJSONIPv4(wireProtoTCP, seg))
	ci := gopacket.CaptureInfo{Timestamp: time.Now(), Length: len(pkt), CaptureLength: len(pkt)}
	j := NewJSONPrinter(io.Discard, Options{})
	b.ReportAllocs()
	b.SetBytes(int64(len(pkt)))
	for b.Loop() {
		j.Print(pkt, ci, wire.LinkEthernet)
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

// FuzzJSONPrint checks that any bytes under any link type give one line of
// valid JSON.
func FuzzJSONPrint(f *testing.F) {
	f.Add(testJSONSYN, uint16(wire.LinkEthernet))
	f.Add(testJSONDNS, uint16(wire.LinkEthernet))
	f.Add(testJSONSYN[14:], uint16(wire.LinkRaw))
	f.Add(append(append([]byte(nil), testSLL2...), testJSONDNS[14:]...), uint16(wire.LinkLinuxSLL2))
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
		l := wire.LinkType(link & 0x1ff)
		if !Supported(l) {
			l = wire.LinkEthernet
		}
		ci := gopacket.CaptureInfo{Length: len(data) + int(link>>12), CaptureLength: len(data)}
		if err := j.Print(data, ci, l); err != nil {
			t.Fatal(err)
		}
		j.Flush()
		line := out.Bytes()
		if bytes.Count(line, []byte("\n")) != 1 || line[len(line)-1] != '\n' || !json.Valid(line) {
			t.Fatalf("bad line for link %d: %q", l, line)
		}
	})
}
