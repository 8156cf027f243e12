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
// does not give as tshark 4.0 does, with the reason: the oracle tests leave
// them out.
var fieldsNotCompared = map[string]string{
	"ip.ttl.lncb": "tshark's -T fields leaves it empty where -Y ip.ttl.lncb finds it; its expert item is compared (TestExpertItemsAsTsharkGivesThem)",
}

// fieldsPrefs are the tshark preferences of sockscope's --no-reassembly:
// each packet dissected on its own, IP fragments and TCP messages left as
// they come (sequence analysis stays on, as in tshark).
var fieldsPrefs = []string{"-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE", "-o", "tcp.desegment_tcp_streams:FALSE"}

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
// every field both know and compares each value of each line: with tshark
// at its default preferences and the printer reassembling (sockscope's
// default), and with neither reassembling (--no-reassembly, fieldsPrefs).
// Every difference fails.
func TestFieldsPrintsWhatTsharkPrints(t *testing.T) {
	needTshark(t)
	names := comparedFields(t)
	files := fieldsCaptures(t)
	for _, mode := range []struct {
		name       string
		reassemble bool
		prefs      []string
	}{{"reassembled", true, nil}, {"alone", false, fieldsPrefs}} {
		t.Run(mode.name, func(t *testing.T) {
			values, agree, lines := 0, 0, 0
			bad := map[string]int{}
			example := map[string]string{}
			for _, file := range files {
				ours := strings.Split(fieldsOutputWith(t, file, names, DefaultFieldsOptions(), Options{Location: time.Local, Reassemble: mode.reassemble}), "\n")
				theirs := strings.Split(tsharkFieldsWith(t, file, mode.prefs, names), "\n")
				if len(ours) != len(theirs) {
					t.Errorf("%s: %d lines, tshark %d", file, len(ours), len(theirs))
					continue
				}
				for i := range theirs {
					if theirs[i] == "" && ours[i] == "" {
						continue
					}
					lines++
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
				t.Errorf("%s: %d values differ; first, %s", n, bad[n], example[n])
			}
			t.Logf("%d fields x %d captures (%d lines): %d non-empty values, %d agree; %d fields left out", len(names), len(files), lines, values, agree, len(fieldsNotCompared))
		})
	}
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
