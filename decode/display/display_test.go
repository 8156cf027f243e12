package display_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/sockscope/sockscope/decode"
	"github.com/sockscope/sockscope/decode/display"
)

func TestBadExpressionNamesTheProblemAndItsColumn(t *testing.T) {
	for _, tt := range []struct {
		expr, msg string
		col       int
	}{
		{"tcp.prot == 80", "tcp.prot is neither a field nor a protocol name; did you mean tcp.port", 1},
		{"tcp.port == 80 and", "unexpected end of filter expression", 19},
		{"ip.ttl == 300", `"300" too big for this field, maximum 255`, 11},
		{"tcp.port in {80 443}", `"443" was unexpected in this context`, 17},
		{"ip.src == tcp.port", "ip.src and tcp.port are not of compatible types", 11},
		{"tcp.port contains 1", "cannot participate in contains comparison", 1},
		{`dns.qry.name matches "("`, "bad regular expression", 22},
		{"tcp)", `")" was unexpected in this context`, 4},
	} {
		_, err := display.Compile(tt.expr)
		var de *display.Error
		if !errors.As(err, &de) {
			t.Errorf("%q: error %v is not a *display.Error", tt.expr, err)
			continue
		}
		if !strings.Contains(de.Msg, tt.msg) || de.Column() != tt.col {
			t.Errorf("%q: %q at column %d, want %q at column %d", tt.expr, de.Msg, de.Column(), tt.msg, tt.col)
		}
		lines := strings.Split(err.Error(), "\n")
		if len(lines) != 3 || lines[1] != tt.expr || lines[2] != strings.Repeat(" ", tt.col-1)+"^" {
			t.Errorf("%q: error text %q is not message, expression, caret", tt.expr, err.Error())
		}
	}
}

func TestMatchAllocatesNothing(t *testing.T) {
	trees := dissectAll(t, "../../testdata/tcp4.pcap")
	for _, expr := range []string{
		"tcp.port in {80, 443, 46001..46010} && ip.addr == 10.99.0.0/16",
		`tcp.payload contains "GET" or frame matches "http/1\\.1"`,
		"tcp.flags & 0x12 == 0x12 and not ip.src == ip.dst",
		"eth.src[0:3] == 02:99:00 && count(tcp.options.sack_le) == 0",
		"tcp.srcport + 1 == tcp.dstport || -tcp.len < -100 || {tcp.len * 2} % 3 == 1",
		`max(tcp.srcport, tcp.dstport) > 40000 && string(ip.ttl) == "64" && eth.addr[0] & 1`,
		"frame.time_relative > 1.5 && frame.time_delta < 0.001 && frame.time >= \"2026-01-01 00:00:00\"",
	} {
		f, err := display.Compile(expr)
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range trees {
			f.Match(tr) // warm the regular expression's machines
		}
		if n := testing.AllocsPerRun(10, func() {
			for _, tr := range trees {
				f.Match(tr)
			}
		}); n != 0 {
			t.Errorf("%q: %v allocations per run over %d packets", expr, n, len(trees))
		}
	}
}

func BenchmarkMatchTCP(b *testing.B) {
	benchMatch(b, "tcp.flags.syn == 1 && tcp.port in {80, 443, 46001} && ip.addr == 10.99.0.0/16")
}

// benchMatch matches expr on the packets of tcp4.pcap, dissected beforehand.
func benchMatch(b *testing.B, expr string) {
	trees := dissectAll(b, "../../testdata/tcp4.pcap")
	f, err := display.Compile(expr)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.Match(trees[i%len(trees)])
	}
}

// BenchmarkMatchArithmetic matches computed operands: arithmetic and
// functions, whose values are worked out in pooled scratch space.
func BenchmarkMatchArithmetic(b *testing.B) {
	benchMatch(b, `tcp.srcport + 1 == tcp.dstport || max(tcp.srcport, tcp.dstport) > 60000 || string(ip.ttl) == "1"`)
}

// BenchmarkSelectorTCP dissects and matches, what -Y costs a packet.
func BenchmarkSelectorTCP(b *testing.B) {
	trees := dissectAll(b, "../../testdata/tcp4.pcap")
	f, err := display.Compile("tcp.flags.syn == 1 && tcp.port in {80, 443, 46001} && ip.addr == 10.99.0.0/16")
	if err != nil {
		b.Fatal(err)
	}
	s := &display.Selector{Filter: f}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tr := trees[i%len(trees)]
		s.Select(tr.Data, tr.CI, tr.Link)
	}
}

func FuzzCompile(f *testing.F) {
	for _, c := range readCorpus(f) {
		f.Add(c.expr)
	}
	tr := new(decode.Tree)
	f.Fuzz(func(t *testing.T, expr string) {
		flt, err := display.Compile(expr)
		if err != nil {
			var de *display.Error
			if !errors.As(err, &de) {
				t.Fatalf("%q: error %v is not a *display.Error", expr, err)
			}
			_ = err.Error()
			return
		}
		flt.Match(tr)
	})
}

// Found by the random-expression test (random_test.go): tshark rejects a
// slice [i-j] with j <= i and a Boolean compared with an integer field
// (the other way round it takes: "ip.ttl == dns.flags.authenticated"); a
// count of a field that does not occur has no value; a protocol orders
// shorter before longer; a slice past a field's end compares as empty.
func TestRandomTestFindings(t *testing.T) {
	for _, e := range []string{"eth.dst[4-4] == 00", "tcp.flags.reset lt ip.checksum", "ip.flags.mf != tcp.dstport"} {
		if _, err := display.Compile(e); err == nil {
			t.Errorf("%q compiles; tshark rejects it", e)
		}
	}
	for _, e := range []string{"! dns.qry.name eq icmp", "tcp == tcp.payload", "icmp contains dns.qry.name"} {
		if _, err := display.Compile(e); err == nil || !strings.Contains(err.Error(), "not of compatible types") {
			t.Errorf("%q: %v; tshark: not of compatible types", e, err)
		}
	}
	for _, e := range []string{"ip.ttl == dns.flags.authenticated", "tcp == udp", "dns.qry.name[0:2] == icmp"} {
		if _, err := display.Compile(e); err != nil {
			t.Errorf("%v; tshark takes it", err)
		}
	}
	arp := dissectAll(t, "../../testdata/arp-icmp.pcap")[0]
	for _, tt := range []struct {
		expr string
		want bool
	}{
		{"count(tcp.srcport) == 0", false},
		{"count(tcp.srcport) <= 1", false},
		{"count(eth.src) == 1", true},
		{"frame > 00", true},
		{"frame < ff", false},
		{"frame[1000] != 00", true},
		{"frame[1000] < 00", true},
		{"frame[1000]", false},
		{"frame[1000] == 00", false},
	} {
		f, err := display.Compile(tt.expr)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Match(arp); got != tt.want {
			t.Errorf("%q: %v, want %v", tt.expr, got, tt.want)
		}
	}
}

// TestTsharkProtocolNamesAreFields: tshark reads a bare word that names one
// of its protocols as that protocol, even where it would read as a byte
// ("ff" is FOUNDATION Fieldbus), and decode never dissects those, so the
// comparison is false, as tshark's is on every capture.
func TestTsharkProtocolNamesAreFields(t *testing.T) {
	trees := dissectAll(t, "../../testdata/arp-icmp.pcap")
	count := func(expr string) int {
		f, err := display.Compile(expr)
		if err != nil {
			t.Fatalf("%q: %v", expr, err)
		}
		n := 0
		for _, tr := range trees {
			if f.Match(tr) {
				n++
			}
		}
		return n
	}
	if count("eth.dst == ff:ff:ff:ff:ff:ff") == 0 || count("eth.dst[0] == ff:ff") != 0 {
		t.Fatal("arp-icmp.pcap has no broadcast frame")
	}
	for _, expr := range []string{"eth.dst[0] == ff", "eth.dst[0] != ff", "frame contains ff", "frame[0] == fc", "frame[0] >= dc", "ff", "dc.dc == \"x\""} {
		if n := count(expr); n != 0 {
			t.Errorf("%q selects %d packets, tshark none", expr, n)
		}
	}
	if n := count("eth.dst[0] == 0xff"); n == 0 {
		t.Error(`"eth.dst[0] == 0xff" selects nothing`)
	}
	if _, err := display.Compile("eth.src == ff"); err == nil || !strings.Contains(err.Error(), "not of compatible types") {
		t.Errorf(`"eth.src == ff": %v, want tshark's "not of compatible types"`, err)
	}
}
