package filter

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/sockscope/sockscope/decode/wire"
)

// FilterCase is an expression of ../../testdata/filters.txt (exported for
// the oracle tests, which are package filter_test: they read captures with
// package capture, which imports this one).
type FilterCase struct {
	Expr   string
	Reject bool // tcpdump rejects it on every link type
}

// ReadFilterCorpus reads ../../testdata/filters.txt: each expression, and
// whether it is marked REJECT.
func ReadFilterCorpus(t testing.TB) []FilterCase {
	t.Helper()
	data, err := os.ReadFile("../../testdata/filters.txt")
	if err != nil {
		t.Fatal(err)
	}
	var cases []FilterCase
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		expr, reject := strings.CutPrefix(line, "REJECT ")
		cases = append(cases, FilterCase{expr, reject})
	}
	return cases
}

// FixedNames is testNames, for the oracle tests.
func FixedNames() *Names { return testNames() }

// corpus returns the expressions of ../../testdata/filters.txt, without
// the "REJECT " that marks the ones tcpdump rejects.
func corpus(t testing.TB) []string {
	var exprs []string
	for _, c := range ReadFilterCorpus(t) {
		exprs = append(exprs, c.Expr)
	}
	return exprs
}

// testNames are fixed name files, so that tests do not depend on /etc.
func testNames() *Names { return LoadNames("testdata/etc") }

func TestErrorsPointAtTheColumn(t *testing.T) {
	for _, tt := range []struct {
		expr string
		col  int
		msg  string
	}{
		{"tcp port 70000", 10, "port 70000 is past 65535: a port is 0 to 65535"},
		{"tcp and", 8, "expected a primitive (host, port, tcp, ip[0] = 1...) after \"and\", found end of expression"},
		{"host 10.0.0.1 and udp port nosuchport", 28, "'nosuchport' is not a port name in /etc/services"},
		{"ip6 host 10.0.0.1", 10, "'ip6' cannot qualify 10.0.0.1, an IPv4 address: write 'host 10.0.0.1'"},
		{"tcp[0:3] = 1", 1, "tcp[0:3] loads 3 bytes: a load is 1, 2 or 4 bytes; write tcp[0:1], tcp[0:2] or tcp[0:4]"},
		{"port 08", 6, "08: a number that starts with 0 is octal"},
		{"host 1::2::3", 6, "1::2:: is neither an Ethernet address"},
		{"ip and # x", 8, "unexpected character \"#\""},
		{"tcp and udp", 1, "no packet can match this expression"},
		{"ip and n", 8, "\"n\" needs a qualifier"},
		{"localhost", 1, "found \"localhost\": write host localhost"},
		{"net 10.1.2.3/8", 5, "10.1.2.3/8 has bits set past its /8 mask: write 10.0.0.0/8"},
		{"port 80 and (ip or", 19, "after \"or\", found end of expression"},
		{"ip and (tcp", 12, "missing \")\": the \"(\" at column 8 is not closed"},
		{"src or 10.0.0.1", 8, "expected \"dst\""},
		{"ip[1] / 0 = 1", 7, "\"/\" by 0 has no result"},
		{"len = 1 or \u00e4b", 12, "unexpected character"},
	} {
		_, err := CompileOptions(tt.expr, 1, Options{Names: testNames()})
		var fe *Error
		if !errors.As(err, &fe) {
			t.Errorf("%q: error %v, want a *filter.Error", tt.expr, err)
			continue
		}
		if fe.Column() != tt.col || !strings.Contains(fe.Msg, tt.msg) {
			t.Errorf("%q: %q at column %d, want %q at column %d", tt.expr, fe.Msg, fe.Column(), tt.msg, tt.col)
		}
		lines := strings.Split(err.Error(), "\n")
		if len(lines) != 3 || lines[1] != tt.expr || !strings.HasPrefix(lines[0], "filter: ") ||
			lines[2] != strings.Repeat(" ", tt.col-1)+"^" {
			t.Errorf("%q: error text %q is not message, expression, caret", tt.expr, err.Error())
		}
	}
}

func TestLinkTypeErrors(t *testing.T) {
	if _, err := Compile("ip", 105, 0); !errors.Is(err, ErrLinkType) {
		t.Errorf("link type 105: %v, want ErrLinkType", err)
	}
	for _, tt := range []struct {
		expr string
		link wire.LinkType
	}{
		{"vlan", wire.LinkRaw}, {"ether host 02:00:00:00:00:01", wire.LinkLinuxSLL2}, {"ether broadcast", wire.LinkRaw},
		{"inbound", wire.LinkEthernet}, {"ifindex 2", wire.LinkLinuxSLL}, {"mpls", wire.LinkLinuxSLL2},
	} {
		if _, err := Compile(tt.expr, tt.link, 0); err == nil {
			t.Errorf("%q compiles for link type %d; tcpdump rejects it", tt.expr, tt.link)
		}
	}
}

func TestEmptyExpressionAcceptsEverything(t *testing.T) {
	prog, err := Compile("", 1, 65535)
	if err != nil {
		t.Fatal(err)
	}
	if len(prog) != 1 || prog[0] != (bpf.RetConstant{Val: 65535}) {
		t.Errorf("empty expression compiles to %v, want ret #65535", prog)
	}
}

func TestDumpFormats(t *testing.T) {
	prog, err := Compile("ip", 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := Assemble(prog)
	for level, want := range map[int]string{
		1: "(000) ldh      [12]\n(001) jeq      #0x800           jt 2\tjf 3\n(002) ret      #262144\n(003) ret      #0\n",
		2: "{ 0x28, 0, 0, 0x0000000c },\n{ 0x15, 0, 1, 0x00000800 },\n{ 0x6, 0, 0, 0x00040000 },\n{ 0x6, 0, 0, 0x00000000 },\n",
		3: "4\n40 0 0 12\n21 0 1 2048\n6 0 0 262144\n6 0 0 0\n",
	} {
		if got := Dump(raw, level); got != want {
			t.Errorf("level %d:\n%s\nwant\n%s", level, got, want)
		}
	}
}

// TestSimplifierDropsDecidedTests checks that a test another one decides
// on every path is gone.
func TestSimplifierDropsDecidedTests(t *testing.T) {
	prog, err := Compile("ip and (tcp or udp) and ip", 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := Assemble(prog)
	if n := strings.Count(Dump(raw, 1), "jeq      #0x800"); n != 1 {
		t.Errorf("the EtherType is tested %d times, want 1:\n%s", n, Dump(raw, 1))
	}
	if n := strings.Count(Dump(raw, 1), "jeq      #0x86dd"); n != 0 {
		t.Errorf("an IPv4 packet is tested for IPv6:\n%s", Dump(raw, 1))
	}
}

// TestLongJumps compiles a program longer than a conditional jump reaches
// (255 instructions) and checks it still selects what it should.
func TestLongJumps(t *testing.T) {
	var parts []string
	for port := 1; port <= 120; port++ {
		parts = append(parts, "tcp dst port "+strconv.Itoa(port))
	}
	expr := "(" + strings.Join(parts, " or ") + ") and tcp src port 7"
	prog, err := Compile(expr, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(prog) < 300 {
		t.Fatalf("program has %d instructions, want a long one", len(prog))
	}
	m, err := NewMatcher(prog)
	if err != nil {
		t.Fatal(err)
	}
	pkt := make([]byte, 54)
	pkt[12], pkt[13] = 0x08, 0x00
	pkt[14], pkt[23] = 0x45, 6
	for dport, want := range map[int]bool{1: true, 60: true, 120: true, 121: false} {
		pkt[34], pkt[35] = 0, 7
		pkt[36], pkt[37] = byte(dport>>8), byte(dport)
		if got := m.Match(pkt, len(pkt)); got != want {
			t.Errorf("dst port %d: match %v, want %v", dport, got, want)
		}
	}
}

func TestKernelProgramMovesCookedOffsets(t *testing.T) {
	prog, err := CompileOptions("outbound and tcp port 80", 276, Options{Live: true})
	if err != nil {
		t.Fatal(err)
	}
	raw, ok, err := KernelProgram(prog, 276)
	if err != nil || !ok {
		t.Fatalf("KernelProgram: ok %v, %v", ok, err)
	}
	text := Dump(raw, 1)
	for _, want := range []string{"ldb      [type]", "ldh      [proto]", "ldb      [9]", "ldxb     4*([0]&0xf)"} {
		if !strings.Contains(text, want) {
			t.Errorf("cooked kernel program has no %q:\n%s", want, text)
		}
	}
	// The hardware type at offset 8 has no metadata twin: user space filters.
	prog, _ = CompileOptions("ether[8:2] = 1", 276, Options{Live: true})
	if _, ok, _ := KernelProgram(prog, 276); ok {
		t.Error("a load of the cooked header's hardware type went to the kernel")
	}
	if _, err := CompileOptions("inbound", 1, Options{Live: true}); err != nil {
		t.Errorf("inbound on a live Ethernet socket: %v", err)
	}
	if !MentionsVLAN("ip or (vlan 10 and udp)") || MentionsVLAN("ip and udp") {
		t.Error("MentionsVLAN is wrong")
	}
}

func TestNamesComeFromFilesWithBuiltinFallback(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "hosts"), []byte("10.1.2.3 alpha alias # comment\nfd00::5 alpha\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "networks"), []byte("lab 10.1\n"), 0o644)
	n := LoadNames(dir) // no services or protocols file: the built-in tables
	if a := n.host("alias"); len(a) != 1 || a[0].String() != "10.1.2.3" {
		t.Errorf("alias resolves to %v", a)
	}
	if p, proto, ok := n.port("domain"); !ok || p != 53 || proto != protoUndef {
		t.Errorf("domain is port %d proto %d (%v), want 53 for TCP and UDP", p, proto, ok)
	}
	if v, ok := n.network("lab"); !ok || v != 0x0a01 {
		t.Errorf("lab is network %#x (%v)", v, ok)
	}
	// A name for IPv4 and IPv6 gives both.
	prog, err := CompileOptions("host alpha", 1, Options{Names: n})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := Assemble(prog)
	if text := Dump(raw, 1); !strings.Contains(text, "#0xa010203") || !strings.Contains(text, "#0xfd000000") {
		t.Errorf("host alpha does not test both addresses:\n%s", text)
	}
}

// TestScannerTakesTheLongestToken checks tokens that only the longest
// match tells apart.
func TestScannerTakesTheLongestToken(t *testing.T) {
	for text, want := range map[string]tokKind{
		"ip": tKey, "ip6": tKey, "ip6x": tID, "tcp-syn": tNum, "10.1.2.3": tHID, "10.1.2.3.4.5": tEID,
		"fe80::1": tHID6, "aa:bb:cc:dd:ee:ff": tEID, "001122334455": tEID, "0x1f": tNum, "\\udp": tID,
		"1-1024": tID, "$1f": tAID, "&&": tKey,
	} {
		toks, err := scan(text)
		if err != nil {
			t.Errorf("%q: %v", text, err)
			continue
		}
		if len(toks) != 2 || toks[0].kind != want {
			t.Errorf("%q scans as %v, want one token of kind %d", text, toks, want)
		}
	}
}
