package decode

// Tests of the -T fields printer (fields.go) against tshark: every field the
// registry and tshark both know, on every testdata capture, printed the same
// line by line; and the -E options as tshark reads them.

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sockscope/sockscope/capture/capturetest"
)

// fieldsNotCompared are the fields whose -T fields values sockscope's tree
// does not give as tshark 4.0 does, with the reason. The oracle test leaves
// them out and checks that each still differs somewhere, so that the list
// shrinks when a dissector learns.
var fieldsNotCompared = map[string]string{}

// fieldsPartly are fields compared whose values differ on a few packets, for
// the reason given: their differences are logged, not failed.
var fieldsPartly = map[string]string{
	"frame.protocols":  "tshark dissects nothing in a segment it flags a retransmission or out of order (no data)",
	"data":             "tshark leaves retransmitted and out-of-order segments' payloads undissected",
	"tcp.segment_data": "tshark gives a retransmitted segment's payload as tcp.segment_data too",
	"data.data":        "as data",
	"data.len":         "as data",
	// See tcpAnalysisPartly.
	"tcp.analysis.bytes_in_flight": "tshark's bytes in flight after losses follow a rule not yet found",
}

// fieldsPrefs are the tshark preferences the captures are compared under:
// tshark reassembles IP fragments and shows the upper layer in the last one,
// where sockscope dissects each packet on its own (the first fragment's).
var fieldsPrefs = []string{"-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE"}

// fieldsCaptures are the testdata captures tshark reads.
func fieldsCaptures(t *testing.T) []string {
	files := jsonCaptures(t, false)
	skip := map[string]bool{}
	if b, err := os.ReadFile("../testdata/golden/unreadable.txt"); err == nil {
		for _, name := range strings.Fields(string(b)) {
			skip[name] = true
		}
	}
	var keep []string
	for _, f := range files {
		if !skip[filepath.Base(f)] {
			keep = append(keep, f)
		}
	}
	return keep
}

// fieldsOutput prints every packet of the capture file with a FieldsPrinter.
func fieldsOutput(t testing.TB, file string, names []string, fo FieldsOptions) string {
	return fieldsOutputWith(t, file, names, fo, Options{Location: time.Local})
}

// fieldsOutputWith is fieldsOutput with the printer's options opt.
func fieldsOutputWith(t testing.TB, file string, names []string, fo FieldsOptions, opt Options) string {
	t.Helper()
	c, err := readTestCapture(file)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	var out bytes.Buffer
	p, err := NewFieldsPrinter(&out, opt, names, fo)
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range c.ifNames {
		p.SetInterfaceName(i, name)
	}
	for _, pk := range c.packets {
		if err := p.Print(pk.data, pk.ci, pk.link); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Flush(); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// tsharkFields runs tshark -n -r file -T fields with the -e names and -E
// options, under fieldsPrefs.
func tsharkFields(t *testing.T, file string, names []string, opts ...string) string {
	return tsharkFieldsWith(t, file, fieldsPrefs, names, opts...)
}

// tsharkFieldsWith is tsharkFields under the preferences prefs (-o NAME:VALUE
// pairs); nil is tshark's defaults.
func tsharkFieldsWith(t testing.TB, file string, prefs, names []string, opts ...string) string {
	t.Helper()
	args := append([]string{"-n", "-r", file, "-T", "fields"}, prefs...)
	for _, n := range names {
		args = append(args, "-e", n)
	}
	for _, o := range opts {
		args = append(args, "-E", o)
	}
	cmd := exec.Command("tshark", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tshark %s: %v\n%s", file, err, stderr.Bytes())
	}
	return string(out)
}

// comparedFields are the names of the registry tshark also knows, but
// those of fieldsNotCompared.
func comparedFields(t *testing.T) []string {
	known := capturetest.TsharkFields(t)
	var names []string
	for _, n := range FieldNames() {
		if _, skip := fieldsNotCompared[n]; !skip && (known[n] != "" || frameColumns[n] != 0) {
			names = append(names, n)
		}
	}
	return names
}

// TestFieldsPrintsWhatTsharkPrints runs tshark once per testdata capture with
// every field both know and compares each value of each line.
func TestFieldsPrintsWhatTsharkPrints(t *testing.T) {
	needTshark(t)
	names := comparedFields(t)
	files := fieldsCaptures(t)
	values, agree := 0, 0
	bad := map[string]int{}
	example := map[string]string{}
	for _, file := range files {
		ours := strings.Split(fieldsOutput(t, file, names, DefaultFieldsOptions()), "\n")
		theirs := strings.Split(tsharkFields(t, file, names), "\n")
		if len(ours) != len(theirs) {
			t.Errorf("%s: %d lines, tshark %d", file, len(ours), len(theirs))
			continue
		}
		for i := range theirs {
			if theirs[i] == "" && ours[i] == "" {
				continue
			}
			o, w := strings.Split(ours[i], "\t"), strings.Split(theirs[i], "\t")
			if len(o) != len(names) || len(w) != len(names) {
				t.Fatalf("%s line %d: %d and %d columns for %d fields", file, i+1, len(o), len(w), len(names))
			}
			for k, n := range names {
				if o[k] == "" && w[k] == "" {
					continue
				}
				values++
				if o[k] == w[k] {
					agree++
					continue
				}
				bad[n]++
				if _, ok := example[n]; !ok {
					example[n] = filepath.Base(file) + " packet " + itoa(i+1) + ": we print " + quoteShort(o[k]) + ", tshark " + quoteShort(w[k])
				}
			}
		}
	}
	var keys []string
	for n := range bad {
		keys = append(keys, n)
	}
	sort.Strings(keys)
	for _, n := range keys {
		if why, ok := fieldsPartly[n]; ok {
			t.Logf("%s: %d values differ (%s); first, %s", n, bad[n], why, example[n])
			continue
		}
		t.Errorf("%s: %d values differ; first, %s", n, bad[n], example[n])
	}
	t.Logf("%d fields x %d captures: %d non-empty values, %d agree; %d fields left out", len(names), len(files), values, agree, len(fieldsNotCompared))
}

// fragmentFieldPrefixes are the fields a fragment's line must give as tshark
// does when both reassemble: the IP layers' (the fragment lists among
// them), the protocols read in a reassembled datagram, the data of a
// fragment that does not complete one, and the frame's protocols.
var fragmentFieldPrefixes = []string{"ip.", "ipv6.", "icmp.", "icmpv6.", "udp.", "data", "frame.protocols"}

// TestFieldsReassembledPrintsWhatTsharkPrints compares every field again
// with IP fragments put back together (Options.Reassemble) and tshark at
// its default preferences, which reassemble them. On the lines of
// fragments, a difference in the IP, ICMP, UDP or data fields or in
// frame.protocols fails; the others are logged: they are reassembly of
// other kinds (TCP segments shown as data) or known differences. A
// difference in an HTTP or TCP reassembly field fails on any line.
func TestFieldsReassembledPrintsWhatTsharkPrints(t *testing.T) {
	needTshark(t)
	names := comparedFields(t)
	col := map[string]int{}
	for k, n := range names {
		col[n] = k
	}
	isFragment := func(w []string) bool {
		v := func(n string) string {
			if k, ok := col[n]; ok {
				return w[k]
			}
			return ""
		}
		return strings.Contains(v("ip.flags.mf"), "1") || strings.Trim(v("ip.frag_offset"), "0,") != "" || v("ipv6.fraghdr.offset") != ""
	}
	fragmentField := func(n string) bool {
		for _, p := range fragmentFieldPrefixes {
			if strings.HasPrefix(n, p) {
				return true
			}
		}
		return false
	}
	lines, fragLines := 0, 0
	for _, file := range fieldsCaptures(t) {
		ours := strings.Split(fieldsOutputWith(t, file, names, DefaultFieldsOptions(), Options{Location: time.Local, Reassemble: true}), "\n")
		theirs := strings.Split(tsharkFieldsWith(t, file, nil, names), "\n")
		if len(ours) != len(theirs) {
			t.Errorf("%s: %d lines, tshark %d", file, len(ours), len(theirs))
			continue
		}
		logged := map[string]bool{}
		for i := range theirs {
			if theirs[i] == "" && ours[i] == "" {
				continue
			}
			o, w := strings.Split(ours[i], "\t"), strings.Split(theirs[i], "\t")
			if len(o) != len(names) || len(w) != len(names) {
				t.Fatalf("%s line %d: %d and %d columns for %d fields", file, i+1, len(o), len(w), len(names))
			}
			lines++
			frag := isFragment(w)
			if frag {
				fragLines++
			}
			for k, n := range names {
				if o[k] == w[k] {
					continue
				}
				msg := filepath.Base(file) + " packet " + itoa(i+1) + ": " + n + ": we print " + quoteShort(o[k]) + ", tshark " + quoteShort(w[k])
				switch {
				case frag && fragmentField(n):
					t.Error(msg)
				case httpField(n):
					t.Error(msg)
				case fieldsNotCompared[n] != "":
					// Known, and left out of the test above.
				case !logged[n]:
					// Once per field and capture: the first.
					logged[n] = true
					t.Log("not a fragment's IP field: " + msg)
				}
			}
		}
	}
	if fragLines == 0 {
		t.Error("no fragments in the captures")
	}
	t.Logf("%d lines, %d of them fragments", lines, fragLines)
}

// httpField reports whether n is a field of HTTP, of a body's media or of
// TCP reassembly, which must agree with tshark's on every line when both
// reassemble.
func httpField(n string) bool {
	for _, p := range []string{"http", "tcp.segment", "tcp.reassembled", "data-text-lines", "json", "xml", "urlencoded-form"} {
		if n == p || strings.HasPrefix(n, p+".") || strings.HasPrefix(n, p+"_") {
			return n != "tcp.segment_data" // a retransmission's, in tshark's
		}
	}
	return false
}

func quoteShort(s string) string {
	if len(s) > 100 {
		s = s[:100] + "..."
	}
	return "\"" + s + "\""
}

// TestFieldsOptionsAsTsharkReadsThem prints with each -E option set and
// compares the whole output with tshark's.
func TestFieldsOptionsAsTsharkReadsThem(t *testing.T) {
	needTshark(t)
	names := []string{"frame.number", "frame.time", "frame.time_relative", "frame.time_delta", "eth.src",
		"ip.src", "ipv6.src", "tcp.option_kind", "ip.opt.type", "dns.qry.name", "dns.a", "tcp.flags", "tcp.flags.syn"}
	for _, opts := range [][]string{
		nil,
		{"header=y"},
		{"header=n", "separator=/s"},
		{"separator=,", "quote=d"},
		{"quote=s", "header=y"},
		{"occurrence=f"},
		{"occurrence=l", "aggregator=;"},
		{"aggregator=/s"},
		{"aggregator=/t"},
		{"separator=ab", "aggregator=xy"},
		{"header=yes", "quote=n"},
	} {
		fo := DefaultFieldsOptions()
		for _, o := range opts {
			if err := fo.Set(o); err != nil {
				t.Fatalf("%s: %v", o, err)
			}
		}
		for _, file := range []string{"../testdata/tcp4.pcap", "../testdata/dns.pcap", "../testdata/arp-icmp.pcap"} {
			got := fieldsOutput(t, file, names, fo)
			want := tsharkFields(t, file, names, opts...)
			if got != want {
				gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
				for i := range wl {
					if i >= len(gl) || gl[i] != wl[i] {
						t.Errorf("-E %v on %s, line %d:\n ours   %q\n tshark %q", opts, filepath.Base(file), i+1, gl[min(i, len(gl)-1)], wl[i])
						break
					}
				}
			}
		}
	}
}

func TestFieldsOptionsRejected(t *testing.T) {
	for _, o := range []string{"occurrence=2", "quote=x", "bogus=1", "header", "header=", "header=maybe"} {
		fo := DefaultFieldsOptions()
		if err := fo.Set(o); err == nil {
			t.Errorf("-E %s accepted", o)
		}
	}
	if _, err := NewFieldsPrinter(io.Discard, Options{}, []string{"ip.src", "ip.srcx", "foo.bar"}, DefaultFieldsOptions()); err == nil ||
		err.Error() != "some fields aren't valid: foo.bar, ip.srcx" {
		t.Errorf("unknown fields: %v", err)
	}
}

// TestFieldsPrintAllocatesNothing holds the printer to no allocation per packet.
func TestFieldsPrintAllocatesNothing(t *testing.T) {
	pkts := readTestdata(t, "mixed.pcap")
	names := []string{"frame.number", "frame.time", "frame.time_epoch", "frame.protocols", "eth.src", "ip.src", "ip.dst",
		"ipv6.src", "tcp.srcport", "tcp.flags", "tcp.flags.syn", "tcp.option_kind", "udp.dstport", "dns.qry.name", "ip", "tcp", "data.data"}
	p, err := NewFieldsPrinter(io.Discard, Options{Location: time.UTC}, names, DefaultFieldsOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, pk := range pkts {
		p.Print(pk.data, pk.ci, pk.link)
	}
	i := 0
	allocs := testing.AllocsPerRun(1000, func() {
		pk := pkts[i%len(pkts)]
		i++
		p.Print(pk.data, pk.ci, pk.link)
	})
	if allocs != 0 {
		t.Errorf("%.1f allocations per packet", allocs)
	}
}

// BenchmarkFieldsMixed prints ten common fields of each packet of mixed.pcap.
func BenchmarkFieldsMixed(b *testing.B) {
	pkts := readTestdata(b, "mixed.pcap")
	names := []string{"frame.number", "frame.time_epoch", "eth.src", "ip.src", "ip.dst", "ip.proto",
		"tcp.srcport", "tcp.dstport", "tcp.flags", "udp.dstport", "dns.qry.name"}
	p, err := NewFieldsPrinter(io.Discard, Options{Location: time.UTC}, names, DefaultFieldsOptions())
	if err != nil {
		b.Fatal(err)
	}
	var n int64
	for _, pk := range pkts {
		n += int64(len(pk.data))
	}
	b.SetBytes(n / int64(len(pkts)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		pk := pkts[i%len(pkts)]
		p.Print(pk.data, pk.ci, pk.link)
	}
}
