package main

// End-to-end tests of the sockscope binary: TestMain builds it once, and
// every test runs it as a user does, with testdata/ as its input. Tests of
// one package's API are beside that package (capture/filter holds the
// filter oracle, for one); the ones that need namespaces of their own are
// in main_linux_test.go.
//
// decode: its output against the golden files in testdata/golden (made by
// testdata/golden/regen.sh) and, when tcpdump is installed, against tcpdump
// itself; bad input, standard input, -w, and the exit codes of the CLI
// contract; filters as tcpdump applies them.
//
// craft: what --dry-run prints, usage errors, and the craft oracle: the
// packets of craft --dry-run -w, read back by tshark. Every field a spec
// sets must be what tshark reads, the checksums sockscope computes must be
// ones tshark calls good, and a checksum the user set wrong must stay one
// tshark calls bad.
//
// replay: usage errors, --dry-run (which prints what decode prints), and a
// recorded conversation replayed to a live server.
//
// The mutation test (TestMutatedCapturesNeverCrash) feeds mutated captures
// to decode and replay; its comment says how to run it longer.

import (
	"bufio"
	"bytes"
	"compress/gzip"
	bo "encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/net/bpf"

	"github.com/sockscope/sockscope/capture"
	"github.com/sockscope/sockscope/capture/capturetest"
	"github.com/sockscope/sockscope/capture/filter"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sockscope-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "sockscope")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building sockscope: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// requireOracles reports whether a missing tcpdump must fail the test (CI) rather than skip it.
func requireOracles() bool { return os.Getenv("SOCKSCOPE_REQUIRE_PRIV") == "1" }

// requireTshark skips a test that needs tshark when it is not installed,
// failing instead when SOCKSCOPE_REQUIRE_PRIV=1 (CI installs it).
func requireTshark(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tshark"); err != nil {
		if requireOracles() {
			t.Fatal("tshark is not installed and SOCKSCOPE_REQUIRE_PRIV=1 (apt-get install tshark)")
		}
		t.Skip("tshark is not installed (apt-get install tshark)")
	}
}

// requireTcpdump skips the test when tcpdump is not installed, or fails it
// under SOCKSCOPE_REQUIRE_PRIV=1.
func requireTcpdump(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tcpdump"); err != nil {
		if requireOracles() {
			t.Fatal("tcpdump is not installed and SOCKSCOPE_REQUIRE_PRIV=1 (apt-get install tcpdump)")
		}
		t.Skip("tcpdump is not installed (apt-get install tcpdump)")
	}
}

// runFull runs the sockscope binary and returns stdout, stderr and the exit code.
func runFull(t *testing.T, stdin []byte, args ...string) (stdout, stderr []byte, code int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "TZ=UTC")
	return runCmd(t, cmd, stdin)
}

// runCmd runs cmd with stdin (none when nil) and returns its stdout, stderr
// and exit code; a command that cannot run at all fails the test.
func runCmd(t *testing.T, cmd *exec.Cmd, stdin []byte) (stdout, stderr []byte, code int) {
	t.Helper()
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return o.Bytes(), e.Bytes(), code
}

// oneLineError checks that stderr is exactly one line, starting "sockscope:", with no Go trace.
func oneLineError(t *testing.T, stderr []byte, mustContain string) {
	t.Helper()
	s := string(stderr)
	if strings.Count(s, "\n") != 1 || !strings.HasPrefix(s, "sockscope: ") {
		t.Errorf("stderr is not one line starting with sockscope: %q", s)
	}
	if strings.Contains(s, "goroutine") || strings.Contains(s, "panic") {
		t.Errorf("stderr has a Go trace: %q", s)
	}
	if !strings.Contains(s, mustContain) {
		t.Errorf("stderr %q does not say %q", s, mustContain)
	}
}

func run(t *testing.T, name string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "TZ=UTC")
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	_ = cmd.Run() // a capture that ends badly still prints its packets; stdout is what is compared
	return stdout.Bytes()
}

// record is a packet of a capture file: when it was stamped, its length on
// the wire, and the bytes captured.
type record struct {
	ts     time.Time
	length int
	data   []byte
}

// readFile is the records of a capture file.
func readFile(t *testing.T, path string) []record {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := readRecords(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}

// readRecords parses a pcap or pcapng file: what tcpdump -w - or sockscope
// -w - wrote.
func readRecords(out []byte) ([]record, error) {
	r, err := capture.NewReader(bytes.NewReader(out))
	if err != nil {
		return nil, err
	}
	var pkts []record
	for {
		data, ci, err := r.Next()
		if err == io.EOF {
			return pkts, nil
		}
		if err != nil {
			return pkts, err
		}
		pkts = append(pkts, record{ci.Timestamp, ci.Length, bytes.Clone(data)})
	}
}

// ---- decode: the golden files and tcpdump ----

type mode struct {
	suffix string
	flags  []string
}

func readModes(t *testing.T) []mode {
	t.Helper()
	data, err := os.ReadFile("testdata/golden/modes.txt")
	if err != nil {
		t.Fatal(err)
	}
	var modes []mode
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		suffix, flags, ok := strings.Cut(line, ":")
		if !ok {
			t.Fatalf("modes.txt: bad line %q", line)
		}
		modes = append(modes, mode{suffix, strings.Fields(flags)})
	}
	return modes
}

// sll2Name matches the interface column of a Linux cooked v2 line, which both
// tcpdump and sockscope fill from the interfaces of the machine reading the file.
var sll2Name = regexp.MustCompile(`(?m)^(\S+ )\S+\s+(In |Out|B  |M  |P  |\?  ) `)

func normalizeInterfaces(b []byte) []byte { return sll2Name.ReplaceAll(b, []byte("${1}IFACE ${2} ")) }

// compareLines counts the lines of want that got has at the same place, and
// returns the first few that differ.
func compareLines(want, got []byte) (same, total int, diffs []string) {
	w := splitLines(want)
	g := splitLines(got)
	for i, line := range w {
		if i < len(g) && g[i] == line {
			same++
		} else if len(diffs) < 5 {
			gl := "<missing>"
			if i < len(g) {
				gl = g[i]
			}
			diffs = append(diffs, fmt.Sprintf("line %d\n  tcpdump:   %q\n  sockscope: %q", i+1, line, gl))
		}
	}
	if len(g) > len(w) && len(diffs) < 5 {
		diffs = append(diffs, fmt.Sprintf("sockscope printed %d lines, tcpdump %d", len(g), len(w)))
	}
	return same, len(w), diffs
}

func readGzip(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return io.ReadAll(zr)
}

func splitLines(b []byte) []string {
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines
}

// TestDecodePrintsWhatTcpdumpPrinted compares sockscope with the golden outputs
// tcpdump wrote for every capture in testdata/ and every mode in modes.txt.
func TestDecodePrintsWhatTcpdumpPrinted(t *testing.T) {
	for _, m := range readModes(t) {
		t.Run(m.suffix, func(t *testing.T) {
			t.Parallel()
			for _, f := range capturetest.Captures(t, "testdata") {
				if filepath.Base(f) == "mixed.pcap" {
					continue // no golden files: see regen.sh
				}
				golden := filepath.Join("testdata/golden", filepath.Base(f)+"."+m.suffix+".out.gz")
				want, err := readGzip(golden)
				if err != nil {
					t.Fatalf("%v (run bash testdata/golden/regen.sh)", err)
				}
				got := run(t, binary, append(append([]string{"decode"}, m.flags...), "-r", f)...)
				same, total, diffs := compareLines(normalizeInterfaces(want), normalizeInterfaces(got))
				if same != total || len(diffs) > 0 {
					t.Errorf("%s %s: %d of %d lines identical to tcpdump's\n%s", f, strings.Join(m.flags, " "), same, total, strings.Join(diffs, "\n"))
				}
			}
		})
	}
}

// TestDecodeMatchesInstalledTcpdump runs the installed tcpdump itself beside
// sockscope on every capture and mode, so a golden file cannot go stale unseen.
func TestDecodeMatchesInstalledTcpdump(t *testing.T) {
	requireTcpdump(t)
	for _, m := range readModes(t) {
		t.Run(m.suffix, func(t *testing.T) {
			t.Parallel()
			for _, f := range capturetest.Captures(t, "testdata") {
				want := run(t, "tcpdump", append(append([]string{}, m.flags...), "-r", f)...)
				got := run(t, binary, append(append([]string{"decode"}, m.flags...), "-r", f)...)
				same, total, diffs := compareLines(want, got)
				if same != total || len(diffs) > 0 {
					t.Errorf("%s %s: %d of %d lines identical to tcpdump's\n%s", f, strings.Join(m.flags, " "), same, total, strings.Join(diffs, "\n"))
				}
			}
		})
	}
}

// ---- decode: the CLI contract ----

func TestTruncatedFileKeepsEarlierPackets(t *testing.T) {
	whole, err := os.ReadFile("testdata/tcp4.pcap")
	if err != nil {
		t.Fatal(err)
	}
	full, _, _ := runFull(t, nil, "decode", "-n", "-r", "testdata/tcp4.pcap")
	fullLines := strings.Split(string(full), "\n")
	// Cut the file in the middle of a packet some way in.
	cut := filepath.Join(t.TempDir(), "cut.pcap")
	if err := os.WriteFile(cut, whole[:len(whole)/3], 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := runFull(t, nil, "decode", "-n", "-r", cut)
	if code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	got := strings.Split(strings.TrimSuffix(string(stdout), "\n"), "\n")
	if len(got) < 10 {
		t.Fatalf("only %d packets printed before the cut", len(got))
	}
	for i, line := range got {
		if line != fullLines[i] {
			t.Fatalf("packet %d printed %q, the whole file prints %q", i+1, line, fullLines[i])
		}
	}
	oneLineError(t, stderr, "packet "+strconv.Itoa(len(got)+1)+": truncated")
	if tcpdump, err := exec.LookPath("tcpdump"); err == nil {
		want, _ := exec.Command(tcpdump, "-n", "-r", cut).Output()
		if n := strings.Count(string(want), "\n"); n != len(got) {
			t.Errorf("tcpdump prints %d packets of the cut file, sockscope %d", n, len(got))
		}
	}
}

func TestNotACaptureIsOneLineAndExit1(t *testing.T) {
	_, stderr, code := runFull(t, nil, "decode", "-r", "README.md")
	if code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	oneLineError(t, stderr, "not a pcap or pcapng file")

	_, stderr, code = runFull(t, nil, "decode", "-r", "testdata/no-such-file.pcap")
	if code != 1 {
		t.Errorf("missing file: exit status %d, want 1", code)
	}
	oneLineError(t, stderr, "no such file")
}

func TestUsageErrorsExit2(t *testing.T) {
	for _, args := range [][]string{
		{"decode", "--no-such-flag", "-r", "testdata/tcp4.pcap"},
		{"decode"}, // -r is required
		{"decode", "-c", "many", "-r", "testdata/tcp4.pcap"},
		{"decode", "-c", "-3", "-r", "testdata/tcp4.pcap"},
		{"decode", "-tttttt", "-r", "testdata/tcp4.pcap"},
		{"decode", "-c", "0", "-r", "testdata/tcp4.pcap"}, // as tcpdump: no count is "all"
		{"decode", "-c", "99999999999999999999", "-r", "testdata/tcp4.pcap"},
		// capture checks its numbers before it opens a socket.
		{"capture", "-i", "lo", "-c", "0"},
		{"capture", "-i", "lo", "-s", "262145"}, // tcpdump's largest is 262144
		{"capture", "-i", "lo", "-s", "-1"},
		{"capture", "-i", "lo", "-B", "0"},
		{"capture", "-i", "lo", "-B", "2097152"}, // tcpdump's largest is 2097151 KiB
		{"capture", "-i", "lo", "--duration", "0s"},
		{"capture", "-i", "lo", "--duration", "-1s"},
		{"compare", "--count", "many"},
		{"compare", "--kinds", "tcp,carrier-pigeon"},
		{"compare", "--kinds", "raw", "--raw", "ip(dst=8.8.8.8,proto=253)"}, // compare sends only to itself
		{"compare", "--kinds", "raw", "--raw", "ip6(dst=::1,nh=253)"},       // an IPv6 header without --ip6
		{"compare", "--size", "5"},
		{"compare", "--messages", "X,Y", "--count", "3"},
		{"compare", "--json", "--diagram"},
		{"no-such-command"},
	} {
		_, stderr, code := runFull(t, nil, args...)
		if code != 2 {
			t.Errorf("%v: exit status %d, want 2 (stderr %q)", args, code, stderr)
		}
		oneLineError(t, stderr, "")
	}
}

func TestReadsStandardInput(t *testing.T) {
	for _, f := range []string{"testdata/dns.pcap", "testdata/comment.pcapng"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fromFile, _, _ := runFull(t, nil, "decode", "-n", "-v", "-r", f)
		fromStdin, stderr, code := runFull(t, data, "decode", "-n", "-v", "-r", "-")
		if code != 0 || !bytes.Equal(fromFile, fromStdin) {
			t.Errorf("%s from standard input: exit %d, %q; output differs from reading the file: %v", f, code, stderr, !bytes.Equal(fromFile, fromStdin))
		}
	}
}

// TestWriteCopiesPackets copies packets out with -w and reads the copy back with
// tcpdump (when installed) and with sockscope: both must print what the original prints.
func TestWriteCopiesPackets(t *testing.T) {
	for _, f := range []string{"testdata/tcp6.pcap", "testdata/any.pcap", "testdata/tcp-nano.pcap", "testdata/comment.pcapng"} {
		copied, stderr, code := runFull(t, nil, "decode", "-r", f, "-c", "20", "-w", "-")
		if code != 0 {
			t.Fatalf("%s -w -: exit %d: %s", f, code, stderr)
		}
		original, _, _ := runFull(t, nil, "decode", "-n", "-c", "20", "-r", f)
		again, _, _ := runFull(t, copied, "decode", "-n", "-r", "-")
		if !bytes.Equal(original, again) {
			t.Errorf("%s: the copy decodes differently from the original", f)
		}
		all, _, _ := runFull(t, nil, "decode", "-n", "-r", f)
		if n, total := bytes.Count(original, []byte("\n")), bytes.Count(all, []byte("\n")); n != min(20, total) {
			t.Errorf("%s -c 20 printed %d lines of %d", f, n, total)
		}
		if _, err := exec.LookPath("tcpdump"); err == nil {
			path := filepath.Join(t.TempDir(), "copy.pcap")
			if err := os.WriteFile(path, copied, 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("tcpdump", "-n", "-r", path)
			cmd.Env = append(os.Environ(), "TZ=UTC")
			out, err := cmd.Output()
			if err != nil {
				t.Errorf("tcpdump cannot read what -w wrote from %s: %v", f, err)
			}
			want, _ := exec.Command("sh", "-c", "TZ=UTC tcpdump -n -c 20 -r "+f+" 2>/dev/null").Output()
			if !bytes.Equal(out, want) {
				t.Errorf("%s: tcpdump reads the copy differently from the original", f)
			}
		}
	}
}

// TestPcapngWithSeveralLinkTypes reads a pcapng whose interfaces are Ethernet,
// raw IP and Linux cooked v2, which tcpdump itself refuses; tshark is the oracle
// for how many packets it holds.
func TestPcapngWithSeveralLinkTypes(t *testing.T) {
	stdout, stderr, code := runFull(t, nil, "decode", "-n", "-r", "testdata/multi.pcapng")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(string(stdout), "\n"), "\n")
	var ether, cooked, raw int
	for _, l := range lines {
		switch {
		case strings.Contains(l, " In  ") || strings.Contains(l, " Out "):
			cooked++
		case strings.Contains(l, " IP ") || strings.Contains(l, " IP6 ") || strings.Contains(l, " ARP"):
			ether++ // Ethernet and raw IP print alike without -e
		}
	}
	withE, _, _ := runFull(t, nil, "decode", "-n", "-e", "-r", "testdata/multi.pcapng")
	for _, l := range strings.Split(string(withE), "\n") {
		if strings.Contains(l, " ip: ") {
			raw++
		}
	}
	if cooked == 0 || ether == 0 || raw == 0 {
		t.Errorf("want packets of each link type, got %d cooked, %d Ethernet or raw, %d raw", cooked, ether, raw)
	}
	if _, err := exec.LookPath("tshark"); err == nil {
		out, err := exec.Command("tshark", "-r", "testdata/multi.pcapng", "-T", "fields", "-e", "frame.number").Output()
		if err != nil {
			t.Fatal(err)
		}
		if want := strings.Count(string(out), "\n"); want != len(lines) {
			t.Errorf("tshark reads %d packets, sockscope printed %d lines", want, len(lines))
		}
	} else if requireOracles() {
		t.Fatal("tshark is not installed and SOCKSCOPE_REQUIRE_PRIV=1")
	}
}

func TestOptionsAfterTheFilterAreOptions(t *testing.T) {
	// As tcpdump (GNU getopt) reads them: options anywhere, "--" ends them.
	want, _, _ := runFull(t, nil, "decode", "-n", "-c", "2", "-v", "-r", "testdata/tcp4.pcap", "tcp", "port", "46002")
	for _, args := range [][]string{
		{"decode", "-r", "testdata/tcp4.pcap", "tcp", "port", "46002", "-c", "2", "-nv"},
		{"decode", "tcp", "-r", "testdata/tcp4.pcap", "port", "46002", "-c=2", "-n", "-v"},
		{"decode", "-c", "2", "-nv", "-r", "testdata/tcp4.pcap", "--", "tcp", "port", "46002"},
	} {
		got, stderr, code := runFull(t, nil, args...)
		if code != 0 || !bytes.Equal(got, want) || len(want) == 0 {
			t.Errorf("%v: exit %d (stderr %q), output the same as with the options first: %v", args, code, stderr, bytes.Equal(got, want))
		}
	}
	_, stderr, code := runFull(t, nil, "decode", "-r", "testdata/tcp4.pcap", "--", "tcp", "-c", "2")
	if code != 2 || !strings.Contains(string(stderr), "filter") {
		t.Errorf("after --, -c is the filter's: exit %d, stderr %q; want the filter's syntax error", code, stderr)
	}
}

func TestWritingToAFullDiskIsOneLineNotAPanic(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full here")
	}
	for _, args := range [][]string{
		{"decode", "-r", "testdata/tcp4.pcap", "-w", "/dev/full"},
		{"decode", "-r", "testdata/tcp4.pcap", "-w", "/dev/full", "--pcapng"},
	} {
		_, stderr, code := runFull(t, nil, args...)
		if code != 1 {
			t.Errorf("%s: exit %d, want 1", strings.Join(args, " "), code)
		}
		oneLineError(t, stderr, "write /dev/full: no space left on device (not even the file header could be written)")
	}
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer full.Close()
	cmd := exec.Command(binary, "decode", "-r", "testdata/tcp4.pcap", "-w", "-")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = full, &stderr
	var ee *exec.ExitError
	if err := cmd.Run(); !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Errorf("-w - to a full disk: %v, want exit 1", err)
	}
	oneLineError(t, stderr.Bytes(), "no space left on device")
}

// ---- decode: filters as tcpdump applies them ----

// TestDecodeFilterAsTcpdumpDoes runs the binary as a user does: decode -r
// FILE -w - EXPR writes the very packets tcpdump -r FILE -w - EXPR writes,
// -d/-dd/-ddd print tcpdump's program, and a bad expression is three lines
// on stderr and exit status 2.
func TestDecodeFilterAsTcpdumpDoes(t *testing.T) {
	requireTcpdump(t)
	exprs := []string{
		"tcp port 46001 and tcp[tcpflags] & tcp-syn != 0",
		"ip and (tcp or icmp)",
		"udp port 53 or icmp6",
		"vlan 100 and tcp",
		"not arp and len > 100",
		"host 10.99.0.2 or host fd00:99::2",
		"ip[6:2] & 0x1fff != 0",
	}
	for _, f := range []string{"testdata/tcp4.pcap", "testdata/any.pcap", "testdata/any-sll1.pcap", "testdata/raw-ip.pcap", "testdata/vlan.pcap", "testdata/frag.pcap", "testdata/dns.pcap", "testdata/comment.pcapng"} {
		for _, expr := range exprs {
			want := run(t, "tcpdump", "-r", f, "-w", "-", "--", expr)
			got, stderr, code := runFull(t, nil, "decode", "-r", f, "-w", "-", "--", expr)
			if len(want) == 0 {
				if code != 2 {
					t.Errorf("%s %q: tcpdump rejects it, sockscope exits %d", f, expr, code)
				}
				continue
			}
			if code != 0 {
				t.Errorf("%s %q: exit %d: %s", f, expr, code, stderr)
				continue
			}
			wp, err1 := readRecords(want)
			gp, err2 := readRecords(got)
			if err1 != nil || err2 != nil {
				t.Errorf("%s %q: reading the outputs: %v, %v", f, expr, err1, err2)
				continue
			}
			if len(wp) != len(gp) {
				t.Errorf("%s %q: tcpdump writes %d packets, sockscope %d", f, expr, len(wp), len(gp))
				continue
			}
			for i := range wp {
				if !wp[i].ts.Equal(gp[i].ts) || wp[i].length != gp[i].length || !bytes.Equal(wp[i].data, gp[i].data) {
					t.Errorf("%s %q: packet %d written differs from tcpdump's", f, expr, i+1)
					break
				}
			}
		}
	}

	// -d, -dd and -ddd print one program in tcpdump's three formats; its
	// instructions are sockscope's own, so the check is that the printed
	// program (read back from -ddd) selects what tcpdump selects.
	for _, f := range []string{"testdata/tcp4.pcap", "testdata/any.pcap", "testdata/raw-ip.pcap"} {
		expr := "tcp port 443 and not host 10.0.0.1 or udp"
		d, _, c1 := runFull(t, nil, "decode", "-d", "-r", f, "--", expr)
		dd, _, c2 := runFull(t, nil, "decode", "-dd", "-r", f, "--", expr)
		ddd, _, c3 := runFull(t, nil, "decode", "-ddd", "-r", f, "--", expr)
		if c1 != 0 || c2 != 0 || c3 != 0 {
			t.Errorf("decode -d/-dd/-ddd -r %s: exit %d %d %d", f, c1, c2, c3)
			continue
		}
		lines := strings.Split(strings.TrimSpace(string(ddd)), "\n")
		var prog []bpf.RawInstruction
		for _, l := range lines[1:] {
			var ins bpf.RawInstruction
			if _, err := fmt.Sscanf(l, "%d %d %d %d", &ins.Op, &ins.Jt, &ins.Jf, &ins.K); err != nil {
				t.Fatalf("-ddd line %q: %v", l, err)
			}
			prog = append(prog, ins)
		}
		dLines := strings.Split(strings.TrimSpace(string(d)), "\n")
		ddLines := strings.Split(strings.TrimSpace(string(dd)), "\n")
		if lines[0] != strconv.Itoa(len(prog)) || len(dLines) != len(prog) || len(ddLines) != len(prog) {
			t.Errorf("%s: -ddd says %s instructions and has %d, -d %d lines, -dd %d", f, lines[0], len(prog), len(dLines), len(ddLines))
			continue
		}
		for i, ins := range prog {
			if want := fmt.Sprintf("{ 0x%x, %d, %d, 0x%08x },", ins.Op, ins.Jt, ins.Jf, ins.K); ddLines[i] != want {
				t.Errorf("%s: -dd line %d is %q, -ddd says %q", f, i, ddLines[i], want)
			}
			if !strings.HasPrefix(dLines[i], fmt.Sprintf("(%03d) ", i)) {
				t.Errorf("%s: -d line %d is %q", f, i, dLines[i])
			}
		}
		var insts []bpf.Instruction
		for _, r := range prog {
			insts = append(insts, r.Disassemble())
		}
		m, err := filter.NewMatcher(insts)
		if err != nil {
			t.Fatalf("%s: the -ddd program: %v", f, err)
		}
		wp, _ := readRecords(run(t, "tcpdump", "-r", f, "-w", "-", "--", expr))
		r, err := capture.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for {
			data, ci, err := r.Next()
			if err != nil {
				break
			}
			if m.Match(data, ci.Length) {
				if n >= len(wp) || !bytes.Equal(wp[n].data, data) {
					t.Errorf("%s: the printed program selects a packet tcpdump does not (at %d)", f, n)
					break
				}
				n++
			}
		}
		r.Close()
		if n != len(wp) {
			t.Errorf("%s: the printed program selects %d packets, tcpdump %d", f, n, len(wp))
		}
	}

	_, stderr, code := runFull(t, nil, "decode", "-r", "testdata/tcp4.pcap", "tcp", "port", "70000")
	lines := strings.Split(strings.TrimSuffix(string(stderr), "\n"), "\n")
	if code != 2 || len(lines) != 3 || lines[0] != "sockscope: filter: port 70000 is past 65535: a port is 0 to 65535 at column 10" ||
		lines[1] != "tcp port 70000" || lines[2] != "         ^" {
		t.Errorf("bad expression: exit %d, stderr %q; want exit 2, message at column 10, expression, caret", code, stderr)
	}
}

// ---- craft: dry runs and usage errors ----

// TestCraftDryRunPrintsWhatDecodeWouldPrint: the dry run's lines are decode
// -X's lines for the same packets, read back from the pcap it wrote.
func TestCraftDryRunPrintsWhatDecodeWouldPrint(t *testing.T) {
	for _, spec := range []string{
		`ip(dst=10.99.0.2,src=10.99.0.1)/tcp(dport=80,options=[mss=1460,sackok,wscale=7])/"GET / HTTP/1.0\r\n\r\n"`,
		`ether(src=02:99:00:00:00:01,dst=02:99:00:00:00:02)/ip6(src=fd00:99::1,dst=fd00:99::2)/udp/dns(qname=www.example.test,qtype=AAAA)`,
		`ip(dst=10.99.0.2,src=10.99.0.1)/icmp/fill(56)`,
	} {
		file := filepath.Join(t.TempDir(), "dry.pcap")
		out, stderr, code := runFull(t, nil, "craft", "--dry-run", "-c", "3", "-w", file, spec)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", spec, code, stderr)
		}
		want, _, code := runFull(t, nil, "decode", "-X", "-r", file)
		if code != 0 || string(out) != string(want) {
			t.Errorf("%s: dry run printed\n%s\ndecode -X of what it wrote prints\n%s", spec, out, want)
		}
		if strings.Count(string(out), "IP") < 3 {
			t.Errorf("%s: three packets not printed:\n%s", spec, out)
		}
	}
}

func TestCraftBadSpecIsAUsageErrorWithACaret(t *testing.T) {
	_, stderr, code := runFull(t, nil, "craft", "--dry-run", "ip(dst=10.0.0.2)/udp/tcp(dport=80)")
	want := "sockscope: spec: tcp cannot follow udp (after udp: dns or a payload) at column 22\n" +
		"ip(dst=10.0.0.2)/udp/tcp(dport=80)\n" +
		"                     ^\n"
	if code != 2 || string(stderr) != want {
		t.Errorf("exit %d, stderr\n%s\nwant exit 2 and\n%s", code, stderr, want)
	}
	// The spec is the trailing arguments joined with spaces.
	_, stderr, code = runFull(t, nil, "craft", "--dry-run", "ip(dst=10.0.0.2,", "tll=3)")
	if code != 2 || !strings.Contains(string(stderr), `unknown field "tll" of ip`) || !strings.Contains(string(stderr), "at column 18\n") {
		t.Errorf("exit %d, stderr %s", code, stderr)
	}
}

// TestCraftUsageErrorsExit2: flags that cannot go together are usage errors,
// and nothing is sent.
func TestCraftUsageErrorsExit2(t *testing.T) {
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"craft", "--dry-run", "--flood", "ip(dst=10.0.0.2)"}, "give -c"},
		{[]string{"craft", "--flood", "--rate", "10", "ip(dst=10.0.0.2)"}, "drop --rate"},
		{[]string{"craft", "--rate", "10", "--interval", "1s", "ip(dst=10.0.0.2)"}, "give one"},
		{[]string{"craft", "--rate", "0", "ip(dst=10.0.0.2)"}, "from 0.001 to 1000000000"},
		{[]string{"craft", "--dry-run", "--wait", "1s", "ip(dst=10.0.0.2)"}, "nothing to --wait for"},
		{[]string{"craft", "--chunk", "4", "ip(dst=10.0.0.2)"}, "add --header"},
	} {
		_, stderr, code := runFull(t, nil, c.args...)
		if code != 2 {
			t.Errorf("%q: exit %d, want 2", c.args, code)
		}
		oneLineError(t, stderr, c.msg)
	}
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"craft", "--dry-run"}, "a SPEC is required"},
		{[]string{"craft", "--dry-run", "-c", "0", "ip(dst=10.0.0.2)"}, "from 1 to 1000000000"},
		{[]string{"craft", "--dry-run", "-i", "nosuchif0", "ether/ip(dst=10.0.0.2)"}, "no such interface"},
	} {
		_, stderr, code := runFull(t, nil, c.args...)
		if code != 2 {
			t.Errorf("%q: exit %d, want 2", c.args, code)
		}
		oneLineError(t, stderr, c.msg)
	}
}

// TestCraftNumbersOutOfRangeAreUsageErrors: every number craft's flags take
// has a bound, checked before anything is sent or opened: exit 2 and one
// line that names the range.
func TestCraftNumbersOutOfRangeAreUsageErrors(t *testing.T) {
	// -i of no interface: were a bound not checked first, the run stops
	// there rather than send.
	// And a loopback destination: nothing could leave the machine anyway.
	const spec = "ether/ip(dst=127.0.0.2)/udp"
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"-c", "0"}, "craft: -c 0: give a packet count from 1 to 1000000000"},
		{[]string{"-c", "1000000001"}, "craft: -c 1000000001: give a packet count from 1 to 1000000000"},
		{[]string{"-c", "99999999999"}, "from 1 to 1000000000"},
		{[]string{"--interval", "-1s"}, "craft: --interval -1s: give a time from 0 to 1h"},
		{[]string{"--interval", "2h"}, "craft: --interval 2h0m0s: give a time from 0 to 1h"},
		{[]string{"--rate", "0"}, "craft: --rate 0: give packets a second from 0.001 to 1000000000"},
		{[]string{"--rate", "2e9"}, "from 0.001 to 1000000000"},
		{[]string{"--rate", "0.0001"}, "from 0.001 to 1000000000"},
		{[]string{"--rate", "NaN"}, "from 0.001 to 1000000000"},
		{[]string{"--wait", "-1s"}, "craft: --wait -1s: give a time from 0 to 1h"},
		{[]string{"--wait", "61m"}, "craft: --wait 1h1m0s: give a time from 0 to 1h"},
		{[]string{"--header", "--chunk", "0"}, "craft: --chunk 0: give the bytes per packet, from 1 to 65535"},
		{[]string{"--header", "--chunk", "65536"}, "from 1 to 65535"},
		{[]string{"--wait", "1s", "-c", "1000001"}, "craft: -c 1000001 with --wait: at most 1000000 probes (--wait keeps each, some 300 bytes, to match its replies)"},
		{[]string{"--wait", "1s", "--flood"}, "craft: --flood with --wait needs -c N, at most 1000000 (--wait keeps each probe to match its replies)"},
		{[]string{"--listen", "icmp", "-c", "0"}, "from 1 to 1000000000"},
	} {
		args := append(append([]string{"craft", "-i", "nosuchif0"}, c.args...), spec)
		if c.args[0] == "--listen" {
			args = append([]string{"craft"}, c.args...)
		}
		_, stderr, code := runFull(t, nil, args...)
		if code != 2 {
			t.Errorf("%q: exit %d, want 2", c.args, code)
		}
		oneLineError(t, stderr, c.msg)
	}
}

// TestCraftOptionsPastTheHeaderAreUsageErrors: the reproducers of options
// a header's length cannot count (they went out with IHL 0, a wrapped data
// offset, a UDP header inside the IP options, and exit 0).
func TestCraftOptionsPastTheHeaderAreUsageErrors(t *testing.T) {
	for _, c := range []struct{ spec, msg string }{
		{"ip(dst=10.0.0.2,options=[" + strings.TrimSuffix(strings.Repeat("nop,", 41), ",") + "])/udp", "ip options: 44 bytes (41 padded to a multiple of 4), more than the 40 an IPv4 header holds (ihl at most 15)"},
		{"ip(dst=10.0.0.2)/tcp(options=[" + strings.TrimSuffix(strings.Repeat("nop,", 100), ",") + "])", "tcp options: 100 bytes, more than the 40 a TCP header holds (dataofs at most 15)"},
		{"ip(dst=10.0.0.2,options=hex:" + strings.Repeat("01", 64) + ")/udp(dport=9)", "ip options: 64 bytes, more than the 40 an IPv4 header holds (ihl at most 15)"},
	} {
		stdout, stderr, code := runFull(t, nil, "craft", "--dry-run", c.spec)
		lines := strings.Split(string(stderr), "\n")
		if code != 2 || len(stdout) > 0 || len(lines) != 4 || !strings.Contains(lines[0], c.msg) || strings.TrimLeft(lines[2], " ") != "^" {
			t.Errorf("%.40s...: exit %d, stdout %d bytes, stderr\n%s", c.spec, code, len(stdout), stderr)
		}
	}
	// Set the length, and they go as written.
	_, stderr, code := runFull(t, nil, "craft", "--dry-run", "ip(dst=10.0.0.2,ihl=5,options=["+strings.TrimSuffix(strings.Repeat("nop,", 41), ",")+"])/udp")
	if code != 0 {
		t.Errorf("ihl=5 with 41 nops: exit %d: %s", code, stderr)
	}
}

// TestCraftHugeSpecFailsAtOnceWithAShortError: 1e5 vlan layers (about 57 s
// before, and the whole spec echoed, megabytes on stderr) are refused at
// once with an error of three short lines.
func TestCraftHugeSpecFailsAtOnceWithAShortError(t *testing.T) {
	for _, c := range []struct{ first, layer string }{{"ether", "/vlan"}, {"ip6(dst=fd00::2)", "/hbh"}} {
		args := []string{"craft", "--dry-run", c.first}
		for range 10 { // ten arguments: one may not pass 128 KiB
			args = append(args, strings.Repeat(c.layer, 10000))
		}
		start := time.Now()
		stdout, stderr, code := runFull(t, nil, args...)
		took := time.Since(start)
		lines := strings.Split(string(stderr), "\n")
		if code != 2 || len(stdout) > 0 || len(stderr) > 400 || len(lines) != 4 || !strings.Contains(lines[0], "at most 1024 layers") {
			t.Errorf("1e5 %s: exit %d, stdout %d bytes, stderr %d bytes:\n%.500s", c.layer, code, len(stdout), len(stderr), stderr)
		}
		if took > 5*time.Second { // some 20 ms here; generous for a loaded machine
			t.Errorf("1e5 %s: refused after %v", c.layer, took)
		}
	}
}

// ---- craft: the oracle, tshark ----

// craftCase is a spec, how many packets to make of it, and the value tshark
// must read for each field (per packet, joined with ";" when -c > 1).
type craftCase struct {
	spec  string
	count int
	want  map[string]string
}

// checksumStatus are tshark's verdicts on each checksum (1 good, 0 bad); any
// that is present must be good unless the case says otherwise (3: no
// checksum, as a UDP checksum of 0 says).
var checksumStatus = []string{"ip.checksum.status", "tcp.checksum.status", "udp.checksum.status", "icmp.checksum.status", "icmpv6.checksum.status"}

var craftCases = []craftCase{
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1,ttl=3,tos=0xb8,id=0x1234,flags=DF)/tcp(sport=41000,dport=80,flags=S,options=[mss=1460,sackok,wscale=7])",
		want: map[string]string{"ip.ttl": "3", "ip.dsfield": "0xb8", "ip.id": "0x1234", "ip.flags.df": "1", "ip.src": "10.99.0.1", "ip.dst": "10.99.0.2",
			"tcp.srcport": "41000", "tcp.dstport": "80", "tcp.flags": "0x0002", "tcp.options.mss_val": "1460", "tcp.options.wscale.shift": "7", "tcp.hdr_len": "32"}},
	{spec: `ip(dst=10.99.0.2,src=10.99.0.1)/tcp(sport=1,dport=2,seq=1000,ack=2000,flags=PA,win=512,urp=7,options=[nop,nop,ts=123:456])/"hello"`,
		want: map[string]string{"tcp.seq_raw": "1000", "tcp.ack_raw": "2000", "tcp.flags": "0x0018", "tcp.window_size_value": "512", "tcp.urgent_pointer": "7",
			"tcp.options.timestamp.tsval": "123", "tcp.options.timestamp.tsecr": "456", "tcp.len": "5", "tcp.payload": "68656c6c6f"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1)/tcp(flags=FSRPAUEC)", want: map[string]string{"tcp.flags": "0x00ff"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1)/tcp(reserved=0xe,flags=S)", want: map[string]string{"tcp.flags": "0x0e02", "tcp.flags.res": "1"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1)/tcp(chksum=0x1234)", want: map[string]string{"tcp.checksum": "0x1234", "tcp.checksum.status": "0"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1,chksum=0xbeef)/udp(dport=9)", want: map[string]string{"ip.checksum": "0xbeef", "ip.checksum.status": "0"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1)/udp(sport=5000,dport=48000)/fill(100,0x41)",
		want: map[string]string{"udp.srcport": "5000", "udp.dstport": "48000", "udp.length": "108", "ip.len": "128", "data.len": "100"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1)/udp(dport=48000,chksum=0)/hex:00112233",
		want: map[string]string{"udp.checksum": "0x0000", "udp.checksum.status": "3", "data.data": "00112233"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1)/udp(dport=48000,chksum=0xdead)/\"x\"", want: map[string]string{"udp.checksum": "0xdead", "udp.checksum.status": "0"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1)/icmp(type=echo-request,id=77,seq=5)/fill(56)",
		want: map[string]string{"icmp.type": "8", "icmp.code": "0", "icmp.ident": "77", "icmp.seq": "5", "data.len": "56"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1,id=100!)/icmp(id=9)/fill(8)", count: 3,
		want: map[string]string{"ip.id": "0x0064;0x0064;0x0064", "icmp.seq": "1;2;3", "icmp.ident": "9;9;9"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1,id=100)/icmp(id=9)/fill(8)", count: 3,
		want: map[string]string{"ip.id": "0x0064;0x0065;0x0066", "icmp.seq": "1;2;3", "icmp.ident": "9;9;9"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1)/icmp(seq=9)", count: 2,
		want: map[string]string{"icmp.seq": "9;10"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1)/icmp(seq=9!)", count: 2,
		want: map[string]string{"icmp.seq": "9;9"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1)/icmp(type=echo-reply,chksum=1)", want: map[string]string{"icmp.type": "0", "icmp.checksum": "0x0001", "icmp.checksum.status": "0"}},
	{spec: "ip(dst=10.99.0.1,src=10.99.0.254)/icmp(type=dest-unreachable,code=port-unreachable)/ip(src=10.99.0.1,dst=10.99.0.2,ttl=1)/udp(sport=40000,dport=33434)/fill(4)",
		want: map[string]string{"icmp.type": "3", "icmp.code": "3", "ip.ttl": "64,1", "udp.dstport": "33434"}},
	{spec: "ip(dst=10.99.0.1,src=10.99.0.254)/icmp(type=unreachable,code=frag-needed,mtu=1400)/ip(src=10.99.0.1,dst=10.99.0.2)/tcp(dport=80)",
		want: map[string]string{"icmp.code": "4", "icmp.mtu": "1400"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1,frag=185,flags=MF,proto=17)/fill(40)",
		want: map[string]string{"ip.frag_offset": "185", "ip.flags.mf": "1", "ip.proto": "17"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1,options=[rr=3])/icmp",
		want: map[string]string{"ip.hdr_len": "36", "ip.opt.type": "7,0"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1,options=[ra])/udp(dport=9)", want: map[string]string{"ip.hdr_len": "24", "ip.opt.type": "148"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1)/udp(sport=33000)/dns(id=0x4242,qname=www.example.test,qtype=AAAA)",
		want: map[string]string{"udp.dstport": "53", "dns.id": "0x4242", "dns.qry.name": "www.example.test", "dns.qry.type": "28", "dns.flags.recdesired": "1", "dns.count.queries": "1"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1)/udp/dns(qname=example.test,qtype=MX,rd=0,qclass=CH)",
		want: map[string]string{"dns.qry.type": "15", "dns.flags.recdesired": "0", "dns.qry.class": "0x0003"}},
	{spec: "ip6(dst=fd00:99::2,src=fd00:99::1,hlim=7,tc=0x20,fl=0x12345)/tcp(dport=443,flags=S)",
		want: map[string]string{"ipv6.hlim": "7", "ipv6.tclass": "0x00000020", "ipv6.flow": "0x012345", "ipv6.nxt": "6", "ipv6.plen": "20", "tcp.dstport": "443"}},
	{spec: "ip6(dst=fd00:99::2,src=fd00:99::1)/udp(dport=48001)/\"six\"", want: map[string]string{"ipv6.plen": "11", "udp.length": "11"}},
	{spec: "ip6(dst=fd00:99::2,src=fd00:99::1)/icmp6(type=echo-request,id=5,seq=6)/fill(10)",
		want: map[string]string{"icmpv6.type": "128", "icmpv6.echo.identifier": "0x0005", "icmpv6.echo.sequence_number": "6"}},
	{spec: "ip6(dst=fd00:99::2,src=fd00:99::1)/icmp6", count: 2, want: map[string]string{"icmpv6.echo.sequence_number": "1;2"}},
	{spec: "ip6(dst=ff02::1:ff00:2,src=fd00:99::1,hlim=255)/icmp6(type=ns,target=fd00:99::2,lladdr=02:99:00:00:00:01)",
		want: map[string]string{"icmpv6.type": "135", "icmpv6.nd.ns.target_address": "fd00:99::2", "icmpv6.opt.linkaddr": "02:99:00:00:00:01"}},
	{spec: "ip6(dst=fd00:99::2,src=fd00:99::1)/icmp6(type=echo-request,chksum=0x4321)", want: map[string]string{"icmpv6.checksum": "0x4321", "icmpv6.checksum.status": "0"}},
	{spec: "ip6(dst=fd00:99::2,src=fd00:99::1)/hbh(options=[ra=0])/dstopts/udp(dport=48001)",
		want: map[string]string{"ipv6.nxt": "0", "ipv6.hopopts.nxt": "60", "ipv6.dstopts.nxt": "17", "ipv6.opt.router_alert": "0"}},
	{spec: "ip6(dst=fd00:99::2,src=fd00:99::1)/frag6(offset=185,m=1,id=0xabcd)/udp(dport=48001)/fill(8)",
		want: map[string]string{"ipv6.nxt": "44", "ipv6.fraghdr.ident": "0x0000abcd", "ipv6.fraghdr.offset": "185", "ipv6.fraghdr.more": "1"}},
	{spec: "ip6(dst=fd00:99::2,src=fd00:99::1)/rh(segleft=1,addrs=[fd00:99::3])/udp(dport=48001)",
		want: map[string]string{"ipv6.routing.type": "0", "ipv6.routing.segleft": "1", "ipv6.nxt": "43"}},
	{spec: "ether(dst=02:99:00:00:00:02,src=02:99:00:00:00:01)/ip(dst=10.99.0.2,src=10.99.0.1)/udp(dport=48000)",
		want: map[string]string{"eth.dst": "02:99:00:00:00:02", "eth.src": "02:99:00:00:00:01", "eth.type": "0x0800"}},
	{spec: "ether(src=02:99:00:00:00:01)/vlan(id=100,prio=5)/ip6(dst=fd00:99::2,src=fd00:99::1)/icmp6",
		want: map[string]string{"vlan.id": "100", "vlan.priority": "5", "vlan.etype": "0x86dd", "eth.type": "0x8100"}},
	{spec: "ether(src=02:99:00:00:00:01)/arp(psrc=10.99.0.1,pdst=10.99.0.2)",
		want: map[string]string{"eth.dst": "ff:ff:ff:ff:ff:ff", "arp.opcode": "1", "arp.src.hw_mac": "02:99:00:00:00:01", "arp.src.proto_ipv4": "10.99.0.1", "arp.dst.proto_ipv4": "10.99.0.2"}},
	{spec: "ether(src=02:99:00:00:00:02,dst=02:99:00:00:00:01)/arp(op=reply,psrc=10.99.0.2,pdst=10.99.0.1,hwdst=02:99:00:00:00:01)",
		want: map[string]string{"arp.opcode": "2", "arp.dst.hw_mac": "02:99:00:00:00:01"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1,len=9999)/udp(dport=48000)", want: map[string]string{"ip.len": "9999"}},
}

func TestCraftFieldsAreWhatTsharkReads(t *testing.T) {
	if _, err := exec.LookPath("tshark"); err != nil {
		if requireOracles() {
			t.Fatal("tshark is not installed and SOCKSCOPE_REQUIRE_PRIV=1 (apt-get install tshark)")
		}
		t.Skip("tshark is not installed (apt-get install tshark)")
	}
	dir := t.TempDir()
	var matched, good, bad atomic.Int64
	t.Cleanup(func() {
		t.Logf("%d specs: %d fields read as the spec wrote them, %d checksums sockscope computed are good, %d the spec set wrong are bad",
			len(craftCases), matched.Load(), good.Load(), bad.Load())
	})
	for i, c := range craftCases {
		t.Run(fmt.Sprintf("%02d", i), func(t *testing.T) {
			t.Parallel()
			count := max(c.count, 1)
			file := filepath.Join(dir, fmt.Sprintf("%02d.pcap", i))
			_, stderr, code := runFull(t, nil, "craft", "--dry-run", "-c", strconv.Itoa(count), "-w", file, c.spec)
			if code != 0 {
				t.Fatalf("craft exit %d: %s", code, stderr)
			}
			m, g, b := checkFields(t, file, c, count, "")
			matched.Add(m)
			good.Add(g)
			bad.Add(b)
		})
	}
}

// checkFields reads file with tshark and compares the fields c wants (the
// values of count packets joined with ";"; count < 0: any number), and
// checks every checksum not among them is good. It returns how many wanted
// fields matched, computed checksums were good, and checksums the spec set
// wrong were flagged bad. Errors start with prefix.
func checkFields(t *testing.T, file string, c craftCase, count int, prefix string) (matched, good, bad int64) {
	t.Helper()
	var fields []string
	for f := range c.want {
		fields = append(fields, f)
	}
	slices.Sort(fields)
	for _, f := range checksumStatus {
		if _, ok := c.want[f]; !ok {
			fields = append(fields, f)
		}
	}
	args := []string{"-r", file, "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
		"-T", "fields", "-E", "separator=|", "-E", "occurrence=a", "-E", "aggregator=,"}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	out, err := exec.Command("tshark", args...).Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if count >= 0 && len(lines) != count {
		t.Fatalf("%stshark read %d packets, want %d:\n%s", prefix, len(lines), count, out)
	}
	got := make([][]string, len(fields))
	for _, line := range lines {
		vals := strings.Split(line, "|")
		for k := range fields {
			got[k] = append(got[k], vals[k])
		}
	}
	for k, f := range fields {
		g := strings.Join(got[k], ";")
		if want, ok := c.want[f]; ok {
			switch {
			case g != want:
				t.Errorf("%s%s = %q, want %q", prefix, f, g, want)
			case strings.HasSuffix(f, "checksum.status") && want == "0":
				bad++
			default:
				matched++
			}
			continue
		}
		for _, v := range got[k] {
			for _, s := range strings.Split(v, ",") {
				if s != "" && s != "1" {
					t.Errorf("%s%s = %q: a checksum sockscope computed is not good", prefix, f, v)
				} else if s == "1" {
					good++
				}
			}
		}
	}
	return matched, good, bad
}

// ---- replay ----

func TestReplayUsageErrorsExit2(t *testing.T) {
	for _, args := range [][]string{
		{"replay"},                             // -r is required
		{"replay", "-r", "testdata/tcp4.pcap"}, // so is -i
		{"replay", "-r", "testdata/tcp4.pcap", "-i", "lo", "--speed", "0"},
		{"replay", "-r", "testdata/tcp4.pcap", "-i", "lo", "--pps", "-5"},
		{"replay", "-r", "testdata/tcp4.pcap", "-i", "lo", "--speed", "2", "--topspeed"},
		{"replay", "-r", "testdata/tcp4.pcap", "-i", "lo", "--loop", "-1"},
		{"replay", "-r", "testdata/tcp4.pcap", "--dry-run", "--loop", "0"},
		{"replay", "-r", "testdata/tcp4.pcap", "--dry-run", "-c", "0"},
		{"replay", "-r", "testdata/http.pcap", "--to", "127.0.0.1:80", "--timeout", "0s"},
		{"replay", "-r", "testdata/tcp4.pcap", "-i", "lo", "--mbps", "fast"},
		{"replay", "-r", "testdata/tcp4.pcap", "-i", "lo", "--speed", "NaN"},
		{"replay", "-r", "testdata/tcp4.pcap", "-i", "lo", "--pps", "Inf"},
		{"replay", "-r", "testdata/http.pcap", "--to", "nohostport"},
		{"replay", "-r", "testdata/http.pcap", "--to", "10.0.0.1:99999"},
		{"replay", "-r", "testdata/http.pcap", "--flows", "--loop", "2"},
		{"replay", "-r", "testdata/http.pcap", "--flows", "--topspeed"},
		{"replay", "-r", "testdata/http.pcap", "--to", "127.0.0.1:80", "-i", "lo"},
		{"replay", "-r", "testdata/http.pcap", "--to", "127.0.0.1:80", "--flow", "0"}, // flows count from 1
	} {
		_, stderr, code := runFull(t, nil, args...)
		if code != 2 {
			t.Errorf("%v: exit status %d, want 2 (stderr %q)", args, code, stderr)
		}
		oneLineError(t, stderr, "")
	}
	_, stderr, code := runFull(t, nil, "replay", "-r", "testdata/tcp4.pcap", "--dry-run", "tcp", "port")
	if code != 2 || !strings.HasPrefix(string(stderr), "sockscope: filter: ") {
		t.Errorf("bad filter: exit %d, stderr %q; want 2 and the filter's error", code, stderr)
	}
	_, stderr, code = runFull(t, nil, "replay", "-r", "README.md", "-i", "lo")
	if code != 1 {
		t.Errorf("not a capture: exit %d, want 1", code)
	}
	oneLineError(t, stderr, "not a pcap or pcapng file")
}

func TestReplayDryRunPrintsWhatDecodePrints(t *testing.T) {
	for _, f := range []string{"testdata/tcp4.pcap", "testdata/vlan.pcap", "testdata/multi.pcapng"} {
		want, _, _ := runFull(t, nil, "decode", "-r", f, "ip or ip6")
		got, stderr, code := runFull(t, nil, "replay", "--dry-run", "-r", f, "ip or ip6")
		if code != 0 || !bytes.Equal(got, want) {
			t.Errorf("%s: replay --dry-run exit %d (stderr %q), output same as decode's: %v", f, code, stderr, bytes.Equal(got, want))
		}
		n := bytes.Count(want, []byte("\n"))
		if !strings.Contains(string(stderr), "would send "+strconv.Itoa(n)+" packets") {
			t.Errorf("%s: summary %q, want it to count %d packets", f, stderr, n)
		}
	}
	// Standard input, twice over: kept in memory for the second pass.
	data, err := os.ReadFile("testdata/dns.pcap")
	if err != nil {
		t.Fatal(err)
	}
	once, _, _ := runFull(t, nil, "decode", "-r", "testdata/dns.pcap")
	twice, stderr, code := runFull(t, data, "replay", "--dry-run", "--loop", "2", "-r", "-")
	if code != 0 || !bytes.Equal(twice, append(bytes.Clone(once), once...)) {
		t.Errorf("--loop 2 from standard input: exit %d (stderr %q), %d lines, want the file's %d twice", code, stderr, bytes.Count(twice, []byte("\n")), bytes.Count(once, []byte("\n")))
	}
}

// startHTTPServer builds and runs testdata/httpserver, the server
// testdata/http.pcap was recorded from, on a free loopback port in mode
// ("same" or "differ"), and returns its address.
func startHTTPServer(t *testing.T, mode string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "httpserver")
	if out, err := exec.Command("go", "build", "-o", bin, "./testdata/httpserver").CombinedOutput(); err != nil {
		t.Fatalf("build testdata/httpserver: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-listen", "127.0.0.1:0", "-mode", mode)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening ")
	if err != nil || !ok {
		t.Fatalf("httpserver said %q (%v), want listening ADDR", line, err)
	}
	return addr
}

func TestReplayConversationExitsByTheAnswers(t *testing.T) {
	flows, stderr, code := runFull(t, nil, "replay", "-r", "testdata/http.pcap", "--flows")
	if code != 0 || strings.Count(string(flows), "10.99.0.2:46080") != 2 {
		t.Errorf("--flows: exit %d (stderr %q), want the two conversations of http.pcap:\n%s", code, stderr, flows)
	}
	same := startHTTPServer(t, "same")
	out, stderr, code := runFull(t, nil, "replay", "-r", "testdata/http.pcap", "--to", same)
	if code != 0 || !strings.Contains(string(out), "MATCH: 3 answers: 3 same") {
		t.Errorf("the recorded server: exit %d (stderr %q), want 0 and three answers the same:\n%s", code, stderr, out)
	}
	out, stderr, code = runFull(t, nil, "replay", "-r", "testdata/http.pcap", "--to", same, "--flow", "2")
	if code != 0 || !strings.Contains(string(out), "POST /echo") {
		t.Errorf("--flow 2: exit %d (stderr %q), want 0 and the POST:\n%s", code, stderr, out)
	}
	differ := startHTTPServer(t, "differ")
	out, stderr, code = runFull(t, nil, "replay", "-r", "testdata/http.pcap", "--to", differ)
	if code != 1 || !strings.Contains(string(out), "DIFFERS") || !strings.Contains(string(out), "503 Service Unavailable") {
		t.Errorf("a server that answers otherwise: exit %d, want 1 and the difference:\n%s", code, out)
	}
	oneLineError(t, stderr, "not the recorded ones")
	_, stderr, code = runFull(t, nil, "replay", "-r", "testdata/http.pcap", "--to", same, "--flow", "9")
	if code != 2 {
		t.Errorf("--flow 9 of 2: exit %d, want 2", code)
	}
	oneLineError(t, stderr, "no flow 9")
}

func TestALinkTypeDecodeRefusesFailsReplaysDryRunAndListingToo(t *testing.T) {
	// One IEEE 802.15.4 frame (LINKTYPE 195): a capture decode does not read.
	pcap := []byte{
		0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 195, 0, 0, 0,
		1, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 5, 0, 0, 0, 0x41, 0x88, 0x01, 0xff, 0xff,
	}
	file := filepath.Join(t.TempDir(), "wpan.pcap")
	if err := os.WriteFile(file, pcap, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"decode", "-r", file},
		{"replay", "-r", file, "--dry-run"},
		{"replay", "-r", file, "--flows"},
	} {
		_, stderr, code := runFull(t, nil, args...)
		if code != 1 {
			t.Errorf("%v: exit %d, want 1 as decode gives", args, code)
		}
		oneLineError(t, stderr, "packet 1: unsupported link type 195")
	}
}

// ---- the mutation test ----

// A mutation test of the CLI as a user runs it. Captures from testdata/ and
// ../shared/corpus (tcpdump's test captures) are mutated (bit flips, length,
// link type and timestamp rewrites in the pcap and pcapng headers, truncation,
// bytes inserted and deleted, editcap -E where installed) and fed to decode in
// several modes, to replay --dry-run and to replay --flows. No run may panic,
// hang (10 s), end by a signal, exit other than 0, 1 or 2, or pass 1 GiB of RSS.
//
// It runs for a time, not a count: 60 s by default; SOCKSCOPE_MUTATE_TIME=10m
// runs longer (with go test -timeout 0), 0 skips it. Mutant i of a run is made
// from the seed and i alone (given the same captures), so
// SOCKSCOPE_MUTATE_SEED=S makes the same mutants again. A failing mutant is
// saved under SOCKSCOPE_MUTATE_DIR (default $TMPDIR/sockscope-mutation-finds),
// and the failure names the command that fails on it.

const (
	mutateRunTimeout = 10 * time.Second
	mutateRSSLimit   = 1 << 20 // KiB: 1 GiB
	mutateWorkers    = 2
	mutateMaxFinds   = 20
)

// mutateDecodeModes are the decode flags a mutant is read with; each mutant
// gets a few of them, chosen by its own generator. FILTER marks where the
// filter words start, after -r.
var mutateDecodeModes = [][]string{
	{},
	{"-v"},
	{"-vv"},
	{"-vvv"},
	{"-e", "-x"},
	{"-X"},
	{"-XX"},
	{"-A"},
	{"--json"},
	{"-q"},
	{"-e", "-tttt", "--nano"},
	{"-ttt"},
	{"-w", "/dev/null"},
	{"--pcapng", "-w", "/dev/null"},
	{"-v", "FILTER", "tcp", "or", "udp"},
	{"-e", "FILTER", "tcp[tcpflags] & tcp-syn != 0 or udp port 53 or icmp6 or ip[6:2] & 0x1fff != 0"},
}

func TestMutatedCapturesNeverCrash(t *testing.T) {
	budget := 60 * time.Second
	if testing.Short() {
		budget = 10 * time.Second
	}
	if v := os.Getenv("SOCKSCOPE_MUTATE_TIME"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("SOCKSCOPE_MUTATE_TIME=%q: %v", v, err)
		}
		budget = d
	}
	if budget <= 0 {
		t.Skip("SOCKSCOPE_MUTATE_TIME=0")
	}
	if d, ok := t.Deadline(); ok {
		if left := time.Until(d) - mutateRunTimeout - 20*time.Second; left < budget {
			t.Logf("budget cut from %v to %v by go test -timeout (pass -timeout 0 for a long run)", budget, left.Round(time.Second))
			budget = left
		}
		if budget <= 0 {
			t.Skip("no time left before go test's -timeout")
		}
	}
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("SOCKSCOPE_MUTATE_SEED"); v != "" {
		s, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("SOCKSCOPE_MUTATE_SEED=%q: %v", v, err)
		}
		seed = s
	}
	finds := os.Getenv("SOCKSCOPE_MUTATE_DIR")
	if finds == "" {
		finds = filepath.Join(os.TempDir(), "sockscope-mutation-finds")
	}

	own := mutationSeeds(t, "testdata")
	var corpus []seedCapture
	if _, err := os.Stat("../shared/corpus"); err == nil {
		corpus = mutationSeeds(t, "../shared/corpus")
	} else {
		t.Logf("../shared/corpus is absent: mutating testdata/ only")
	}
	if len(own) == 0 {
		t.Fatal("no captures in testdata/")
	}
	editcap, _ := exec.LookPath("editcap")
	t.Logf("seed %d (SOCKSCOPE_MUTATE_SEED=%d makes the same mutants), budget %v, %d workers, %d captures from testdata, %d from ../shared/corpus, editcap: %v",
		seed, seed, budget, mutateWorkers, len(own), len(corpus), editcap != "")

	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer devnull.Close()

	m := &mutationRun{seed: seed, finds: finds, devnull: devnull, codes: map[string]int{}, ops: map[string]int{}}
	work := t.TempDir()
	start := time.Now()
	deadline := start.Add(budget)
	var next atomic.Uint64
	var wg sync.WaitGroup
	for w := range mutateWorkers {
		dir := filepath.Join(work, strconv.Itoa(w))
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			for time.Now().Before(deadline) {
				i := next.Add(1) - 1
				r := rand.New(rand.NewPCG(seed, i))
				mu := makeMutant(r, own, corpus, editcap, dir)
				m.try(r, i, mu, dir, deadline)
			}
		})
	}
	wg.Wait()

	t.Logf("%v: %d mutants (%d from testdata, %d from the corpus, %d through editcap -E), %d runs; mutations %s",
		time.Since(start).Round(time.Millisecond), m.mutants, m.fromOwn, m.mutants-m.fromOwn, m.ops["editcap"], m.runs, countsByKey(m.ops))
	t.Logf("exit codes: %s", countsByKey(m.codes))
	t.Logf("max RSS %d KiB: %s", m.maxRSS, m.maxRSSCmd)
	t.Logf("slowest run %v: %s", m.slowest.Round(time.Millisecond), m.slowestCmd)
	t.Logf("most stderr %d bytes: %s", m.maxStderr, m.maxStderrCmd)
	for _, f := range m.reports {
		t.Error(f)
	}
	if m.failures > 0 {
		t.Errorf("%d failing runs (the first %d above); their mutants are in %s; SOCKSCOPE_MUTATE_SEED=%d makes the same mutants again", m.failures, len(m.reports), finds, seed)
	}
}

// seedCapture is one capture a mutant starts from.
type seedCapture struct {
	path string
	data []byte
}

func mutationSeeds(t *testing.T, root string) []seedCapture {
	t.Helper()
	var seeds []seedCapture
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch filepath.Ext(path) {
		case ".pcap", ".pcapng", ".cap":
		default:
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if len(data) > 0 {
			seeds = append(seeds, seedCapture{path, data})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return seeds
}

// mutant is one mutated capture and what was done to it.
type mutant struct {
	from string
	own  bool
	data []byte
	how  []string
	ops  []string
}

func (mu *mutant) did(op, format string, args ...any) {
	mu.ops = append(mu.ops, op)
	mu.how = append(mu.how, fmt.Sprintf(format, args...))
}

func makeMutant(r *rand.Rand, own, corpus []seedCapture, editcap, dir string) *mutant {
	src := own[r.IntN(len(own))]
	isOwn := true
	if len(corpus) > 0 && r.IntN(2) == 0 {
		src, isOwn = corpus[r.IntN(len(corpus))], false
	}
	mu := &mutant{from: src.path, own: isOwn, data: slices.Clone(src.data)}
	n := 1 + r.IntN(3)
	if editcap != "" && r.IntN(5) == 0 {
		// Even when editcap refuses the file, r moves on the same way.
		format, eseed, p := "pcap", r.Uint32(), []string{"0.02", "0.005", "0.1"}[r.IntN(3)]
		if r.IntN(2) == 0 {
			format = "pcapng"
		}
		out := filepath.Join(dir, "editcap.out")
		cmd := exec.Command(editcap, "-E", p, "--seed", strconv.FormatUint(uint64(eseed), 10), "-F", format, src.path, out)
		if err := runWithin(cmd, mutateRunTimeout); err == nil {
			if data, err := os.ReadFile(out); err == nil {
				mu.data = data
				mu.did("editcap", "editcap -E %s --seed %d -F %s", p, eseed, format)
				n = r.IntN(2)
			}
		}
	}
	for range n {
		mutate(r, mu)
	}
	return mu
}

// runWithin runs cmd, killing it after d.
func runWithin(cmd *exec.Cmd, d time.Duration) error {
	if err := cmd.Start(); err != nil {
		return err
	}
	timer := time.AfterFunc(d, func() { cmd.Process.Kill() })
	defer timer.Stop()
	return cmd.Wait()
}

// capField is a number in a capture's file format: a length, a link type, a timestamp...
type capField struct {
	off, size int
	order     bo.ByteOrder
	kind      string // "length", "linktype", "time", "other"
	name      string
}

func (f capField) get(b []byte) uint64 {
	switch f.size {
	case 1:
		return uint64(b[f.off])
	case 2:
		return uint64(f.order.Uint16(b[f.off:]))
	case 4:
		return uint64(f.order.Uint32(b[f.off:]))
	}
	return f.order.Uint64(b[f.off:])
}

func (f capField) put(b []byte, v uint64) {
	switch f.size {
	case 1:
		b[f.off] = byte(v)
	case 2:
		f.order.PutUint16(b[f.off:], uint16(v))
	case 4:
		f.order.PutUint32(b[f.off:], uint32(v))
	default:
		f.order.PutUint64(b[f.off:], v)
	}
}

// captureLayout finds the fields and record (or block) starts of a pcap or
// pcapng file, as far as they can be followed.
func captureLayout(b []byte) (fields []capField, starts []int) {
	if len(b) < 24 {
		return nil, nil
	}
	le, be := bo.LittleEndian, bo.BigEndian
	var order bo.ByteOrder
	hdr := 16
	switch m := le.Uint32(b); m {
	case 0xa1b2c3d4, 0xa1b23c4d, 0xa1b2cd34:
		order = le
		if m == 0xa1b2cd34 {
			hdr = 24
		}
	case 0xd4c3b2a1, 0x4d3cb2a1, 0x34cdb2a1:
		order = be
		if m == 0x34cdb2a1 {
			hdr = 24
		}
	case 0x0a0d0d0a:
		return pcapngLayout(b)
	default:
		return nil, nil
	}
	fields = append(fields,
		capField{4, 2, order, "other", "version major"},
		capField{6, 2, order, "other", "version minor"},
		capField{8, 4, order, "time", "thiszone"},
		capField{16, 4, order, "length", "snaplen"},
		capField{20, 4, order, "linktype", "link type"},
		capField{20, 4, order, "other", "link type and FCS bits"})
	for off, n := 24, 0; off+hdr <= len(b); n++ {
		starts = append(starts, off)
		fields = append(fields,
			capField{off, 4, order, "time", fmt.Sprintf("ts_sec of record %d", n)},
			capField{off + 4, 4, order, "time", fmt.Sprintf("ts_frac of record %d", n)},
			capField{off + 8, 4, order, "length", fmt.Sprintf("incl_len of record %d", n)},
			capField{off + 12, 4, order, "length", fmt.Sprintf("orig_len of record %d", n)})
		incl := int(order.Uint32(b[off+8:]))
		if incl < 0 || incl > len(b) {
			break
		}
		off += hdr + incl
	}
	return fields, starts
}

func pcapngLayout(b []byte) (fields []capField, starts []int) {
	var order bo.ByteOrder = bo.LittleEndian
	for off, n := 0, 0; off+12 <= len(b); n++ {
		typ := order.Uint32(b[off:])
		if typ == 0x0a0d0d0a {
			if off+28 > len(b) {
				break
			}
			order = bo.LittleEndian
			if bo.BigEndian.Uint32(b[off+8:]) == 0x1a2b3c4d {
				order = bo.BigEndian
			}
		}
		blen := int(order.Uint32(b[off+4:]))
		starts = append(starts, off)
		fields = append(fields, capField{off + 4, 4, order, "length", fmt.Sprintf("total length of block %d", n)})
		if blen < 12 || off+blen > len(b) {
			break
		}
		fields = append(fields,
			capField{off + blen - 4, 4, order, "length", fmt.Sprintf("trailing total length of block %d", n)},
			capField{off, 4, order, "other", fmt.Sprintf("type of block %d", n)})
		end := off + blen - 4
		opts := -1
		switch typ {
		case 0x0a0d0d0a:
			fields = append(fields, capField{off + 16, 8, order, "length", fmt.Sprintf("section length of block %d", n)})
			opts = off + 24
		case 1: // interface description
			if off+20 <= end {
				fields = append(fields,
					capField{off + 8, 2, order, "linktype", fmt.Sprintf("link type of block %d", n)},
					capField{off + 12, 4, order, "length", fmt.Sprintf("snaplen of block %d", n)})
				opts = off + 16
			}
		case 6, 2: // enhanced packet, obsolete packet
			if off+28 <= end {
				fields = append(fields,
					capField{off + 8, 4, order, "length", fmt.Sprintf("interface id of block %d", n)},
					capField{off + 12, 4, order, "time", fmt.Sprintf("timestamp high of block %d", n)},
					capField{off + 16, 4, order, "time", fmt.Sprintf("timestamp low of block %d", n)},
					capField{off + 20, 4, order, "length", fmt.Sprintf("captured length of block %d", n)},
					capField{off + 24, 4, order, "length", fmt.Sprintf("original length of block %d", n)})
				if c := int(order.Uint32(b[off+20:])); c >= 0 && c <= blen {
					opts = off + 28 + (c+3)&^3
				}
			}
		case 3: // simple packet
			fields = append(fields, capField{off + 8, 4, order, "length", fmt.Sprintf("original length of block %d", n)})
		case 5: // interface statistics
			if off+20 <= end {
				fields = append(fields, capField{off + 8, 4, order, "length", fmt.Sprintf("interface id of block %d", n)})
				opts = off + 20
			}
		}
		for o := opts; o >= 0 && o+4 <= end; {
			code, olen := order.Uint16(b[o:]), int(order.Uint16(b[o+2:]))
			fields = append(fields, capField{o + 2, 2, order, "length", fmt.Sprintf("length of option %d in block %d", code, n)})
			if typ == 1 && code == 9 && olen >= 1 && o+5 <= end {
				fields = append(fields, capField{o + 4, 1, order, "time", fmt.Sprintf("if_tsresol of block %d", n)})
			}
			if code == 0 {
				break
			}
			o += 4 + (olen+3)&^3
		}
		off += blen
	}
	return fields, starts
}

// mutateLengthValues are the values a length field is rewritten to, given its value v.
func mutateLengthValues(v uint64) []uint64 {
	return []uint64{0, 1, 3, 11, v - 1, v + 1, v + 2, v + 4, v * 2, v / 2, 0xffff, 0x10000, 0x40000, 0x40001,
		1 << 24, 0x7fffffff, 0x80000000, 0xfffffffc, 0xffffffff, 1<<63 - 1, 1<<64 - 1}
}

var mutateLinkTypes = []uint64{0, 1, 6, 8, 9, 10, 12, 14, 50, 101, 104, 105, 107, 108, 113, 119, 127, 137, 143, 147,
	192, 195, 197, 220, 228, 229, 239, 249, 276, 0xfff, 0xffff, 0x10000001, 0xffffffff}

var mutateTimeValues = []uint64{0, 1, 6, 9, 19, 20, 63, 0x7f, 0x80, 0x89, 0xff, 999999, 1000000, 999999999,
	1000000000, 0x7fffffff, 0x80000000, 0xffffffff, 1<<64 - 1}

// mutate applies one mutation to mu.
func mutate(r *rand.Rand, mu *mutant) {
	b := mu.data
	fields, starts := captureLayout(b)
	byKind := func(kinds ...string) []capField {
		var fs []capField
		for _, f := range fields {
			if slices.Contains(kinds, f.kind) && f.off+f.size <= len(b) {
				fs = append(fs, f)
			}
		}
		return fs
	}
	// setOneOf sets a field of kind to one of values (or, with no such
	// field, mutates bytes instead).
	setOneOf := func(kind string, values []uint64) {
		fs := byKind(kind)
		if len(fs) == 0 {
			mutateBytes(r, mu)
			return
		}
		f := fs[r.IntN(len(fs))]
		old := f.get(b)
		f.put(b, values[r.IntN(len(values))])
		mu.did(kind, "%s %d -> %d", f.name, old, f.get(b))
	}
	at := func() int { // an offset: anywhere, or where a record or block starts
		if len(starts) > 0 && r.IntN(3) == 0 {
			return min(len(b), max(0, starts[r.IntN(len(starts))]+r.IntN(40)-8))
		}
		return r.IntN(len(b) + 1)
	}
	switch op := r.IntN(12); {
	case len(b) == 0:
		mu.data = append(b, byte(r.IntN(256)))
		mu.did("insert", "a byte into the empty file")
	case op < 3: // bit flips, one in three in a header field
		k := 1 + r.IntN(8)
		var where []string
		hdr := byKind("length", "linktype", "time", "other")
		for range k {
			off := r.IntN(len(b))
			if len(hdr) > 0 && r.IntN(3) == 0 {
				f := hdr[r.IntN(len(hdr))]
				off = f.off + r.IntN(f.size)
			} else if r.IntN(6) == 0 {
				off = r.IntN(min(len(b), 24))
			}
			bit := r.IntN(8)
			b[off] ^= 1 << bit
			where = append(where, fmt.Sprintf("%d.%d", off, bit))
		}
		mu.did("flip", "flip bits at %s", strings.Join(where, ","))
	case op < 5: // a length field
		fs := byKind("length")
		if len(fs) == 0 {
			mutateBytes(r, mu)
			return
		}
		f := fs[r.IntN(len(fs))]
		if len(fs) > 8 && r.IntN(2) == 0 { // the headers near the start matter most
			f = fs[r.IntN(8)]
		}
		vs := mutateLengthValues(f.get(b))
		v := vs[r.IntN(len(vs))]
		if r.IntN(5) == 0 {
			v = r.Uint64N(1 << (8 * min(f.size, 4)))
		}
		old := f.get(b)
		f.put(b, v)
		mu.did("length", "%s %d -> %d", f.name, old, f.get(b))
	case op < 6: // a link type
		setOneOf("linktype", mutateLinkTypes)
	case op < 7: // a timestamp
		setOneOf("time", mutateTimeValues)
	case op < 9: // truncation
		n := at()
		mu.data = b[:n]
		mu.did("truncate", "truncate to %d of %d bytes", n, len(b))
	case op < 10: // insertion: random bytes or a copy of some of the file
		off := at()
		var ins []byte
		if r.IntN(2) == 0 {
			ins = make([]byte, 1+r.IntN(64))
			for i := range ins {
				ins[i] = byte(r.IntN(256))
			}
		} else {
			from := r.IntN(len(b))
			ins = slices.Clone(b[from : from+min(len(b)-from, 1+r.IntN(2048))])
		}
		mu.data = slices.Insert(b, off, ins...)
		mu.did("insert", "insert %d bytes at %d", len(ins), off)
	case op < 11: // deletion
		off := at()
		n := min(len(b)-off, 1+r.IntN(64))
		mu.data = slices.Delete(b, off, off+n)
		mu.did("delete", "delete %d bytes at %d", n, off)
	default:
		mutateBytes(r, mu)
	}
}

// mutateBytes writes an interesting value (0, all ones, the sign bits) over
// 1, 2 or 4 bytes anywhere in the file: inside packets, mostly.
func mutateBytes(r *rand.Rand, mu *mutant) {
	b := mu.data
	size := []int{1, 2, 4}[r.IntN(3)]
	if len(b) < size {
		size = 1
	}
	off := r.IntN(len(b) - size + 1)
	vals := []uint64{0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff}
	f := capField{off, size, bo.BigEndian, "", ""}
	if r.IntN(2) == 0 {
		f.order = bo.LittleEndian
	}
	v := vals[r.IntN(len(vals))]
	f.put(b, v)
	mu.did("bytes", "set %d bytes at %d to %#x", size, off, f.get(b))
}

// mutationRun holds what the workers count.
type mutationRun struct {
	seed    uint64
	finds   string
	devnull *os.File

	mu                     sync.Mutex
	mutants, fromOwn, runs int
	codes, ops             map[string]int
	maxRSS                 int64
	maxRSSCmd              string
	slowest                time.Duration
	slowestCmd             string
	maxStderr              int64
	maxStderrCmd           string
	failures               int
	reports                []string
	saved                  map[uint64]string
}

// try writes mutant i to dir and runs the commands its generator chooses.
func (m *mutationRun) try(r *rand.Rand, i uint64, mu *mutant, dir string, deadline time.Time) {
	path := filepath.Join(dir, "mutant")
	if err := os.WriteFile(path, mu.data, 0o644); err != nil {
		m.fail(i, mu, "", "writing the mutant: "+err.Error(), nil, "")
		return
	}
	var runs [][]string
	runs = append(runs, []string{"replay", "--dry-run", "-r", "FILE"}, []string{"replay", "--flows", "-r", "FILE"})
	for _, k := range r.Perm(len(mutateDecodeModes))[:4] {
		mode := mutateDecodeModes[k]
		args := []string{"decode"}
		filter := slices.Index(mode, "FILTER")
		if filter < 0 {
			filter = len(mode)
		}
		args = append(append(append(args, mode[:filter]...), "-r", "FILE"), mode[min(filter+1, len(mode)):]...)
		runs = append(runs, args)
	}
	stdin := r.IntN(8) == 0 // one decode run reads the mutant from standard input
	m.mu.Lock()
	m.mutants++
	if mu.own {
		m.fromOwn++
	}
	for _, op := range mu.ops {
		m.ops[op]++
	}
	m.mu.Unlock()
	for k, args := range runs {
		if time.Now().After(deadline) {
			return
		}
		fromStdin := stdin && k == len(runs)-1
		m.run(i, mu, path, args, fromStdin)
	}
}

var goCrashLine = regexp.MustCompile(`(?m)^(panic: |fatal error: |goroutine \d+ \[|\[signal )`)

func (m *mutationRun) run(i uint64, mu *mutant, path string, args []string, fromStdin bool) {
	argv := slices.Clone(args)
	for k, a := range argv {
		if a == "FILE" {
			argv[k] = path
			if fromStdin {
				argv[k] = "-"
			}
		}
	}
	cmd := exec.Command(binary, argv...)
	cmd.Env = append(os.Environ(), "TZ=UTC")
	cmd.Stdout = m.devnull
	var stderr stderrTail
	cmd.Stderr = &stderr
	if fromStdin {
		f, err := os.Open(path)
		if err != nil {
			m.fail(i, mu, "", err.Error(), nil, "")
			return
		}
		defer f.Close()
		cmd.Stdin = f
	}
	began := time.Now()
	if err := cmd.Start(); err != nil {
		m.fail(i, mu, "", "starting sockscope: "+err.Error(), nil, "")
		return
	}
	var hung, huge atomic.Bool
	done := make(chan struct{})
	go func() { // the watchdog: time and memory
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			if time.Since(began) > mutateRunTimeout {
				hung.Store(true)
				cmd.Process.Kill()
				return
			}
			if rss := processRSS(cmd.Process.Pid); rss > mutateRSSLimit {
				huge.Store(true)
				cmd.Process.Kill()
				return
			}
		}
	}()
	cmd.Wait()
	close(done)
	took := time.Since(began)

	ps := cmd.ProcessState
	rss := ps.SysUsage().(*syscall.Rusage).Maxrss
	code := ps.ExitCode()
	label := strconv.Itoa(code)
	var problem string
	switch ws := ps.Sys().(syscall.WaitStatus); {
	case hung.Load():
		label, problem = "hang", fmt.Sprintf("hang: still running after %v, killed", mutateRunTimeout)
	case huge.Load() || rss > mutateRSSLimit:
		label, problem = "memory", fmt.Sprintf("memory: RSS passed %d KiB", mutateRSSLimit)
	case goCrashLine.Match(stderr.head) || goCrashLine.Match(stderr.tail):
		label, problem = "panic", fmt.Sprintf("Go panic or fatal error (exit %d)", code)
	case ws.Signaled():
		label, problem = "signal", "killed by signal "+ws.Signal().String()
	case code < 0 || code > 2:
		problem = fmt.Sprintf("exit status %d, want 0, 1 or 2", code)
	}
	shown := strings.Join(quoteArgs(args), " ")
	if fromStdin {
		shown = strings.Replace(shown, "-r FILE", "-r -", 1) + " < FILE"
	}
	line := fmt.Sprintf("sockscope %s (mutant %d, from %s)", shown, i, mu.from)

	m.mu.Lock()
	m.runs++
	m.codes[label]++
	if rss > m.maxRSS {
		m.maxRSS, m.maxRSSCmd = rss, line
	}
	if took > m.slowest {
		m.slowest, m.slowestCmd = took, line
	}
	if stderr.n > m.maxStderr {
		m.maxStderr, m.maxStderrCmd = stderr.n, line
	}
	m.mu.Unlock()
	if problem != "" {
		m.fail(i, mu, shown, problem, &stderr, path)
	}
}

// fail saves mutant i once and reports the command that failed on it.
func (m *mutationRun) fail(i uint64, mu *mutant, args, problem string, stderr *stderrTail, path string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.failures++
	if len(m.reports) >= mutateMaxFinds {
		return
	}
	if m.saved == nil {
		m.saved = map[uint64]string{}
	}
	saved, ok := m.saved[i]
	if !ok {
		ext := ".pcap"
		if bytes.HasPrefix(mu.data, []byte{0x0a, 0x0d, 0x0d, 0x0a}) {
			ext = ".pcapng"
		}
		saved = filepath.Join(m.finds, fmt.Sprintf("%d-%d%s", m.seed, i, ext))
		if err := os.MkdirAll(m.finds, 0o755); err != nil {
			saved = "(not saved: " + err.Error() + ")"
		} else if err := os.WriteFile(saved, mu.data, 0o644); err != nil {
			saved = "(not saved: " + err.Error() + ")"
		}
		m.saved[i] = saved
	}
	cmd := strings.ReplaceAll(args, "FILE", saved)
	msg := fmt.Sprintf("%s\n\tgo run . %s\n\tmutant %d of seed %d, from %s: %s", problem, cmd, i, m.seed, mu.from, strings.Join(mu.how, "; "))
	if stderr != nil && stderr.n > 0 {
		msg += "\n\tstderr: " + strings.ReplaceAll(stderr.String(), path, saved)
	}
	m.reports = append(m.reports, msg)
}

func quoteArgs(args []string) []string {
	q := make([]string, len(args))
	for k, a := range args {
		q[k] = a
		if strings.ContainsAny(a, " &!'\"*?<>|;") {
			q[k] = "'" + a + "'"
		}
	}
	return q
}

// processRSS is the resident set size of process pid in KiB, 0 when unknown.
func processRSS(pid int) int64 {
	status, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	_, rest, ok := bytes.Cut(status, []byte("\nVmRSS:"))
	if !ok {
		return 0
	}
	line, _, _ := bytes.Cut(rest, []byte("\n"))
	kib, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(string(line)), " kB"), 10, 64)
	return kib
}

// stderrTail keeps the start and the end of what a run writes to stderr: a
// Go panic's trace is at the end.
type stderrTail struct {
	head, tail []byte
	n          int64
}

func (s *stderrTail) Write(p []byte) (int, error) {
	n := len(p)
	s.n += int64(n)
	if room := 4096 - len(s.head); room > 0 {
		k := min(room, len(p))
		s.head = append(s.head, p[:k]...)
		p = p[k:]
	}
	s.tail = append(s.tail, p...)
	if len(s.tail) > 128<<10 {
		s.tail = s.tail[:copy(s.tail, s.tail[len(s.tail)-64<<10:])]
	}
	return n, nil
}

// String is the first lines and the last of stderr, short enough for a test log.
func (s *stderrTail) String() string {
	const keep = 1500
	all := string(s.head) + string(s.tail)
	if int64(len(all)) == s.n && len(all) <= 2*keep {
		return all
	}
	head := string(s.head)
	if len(head) > keep/3 {
		head = head[:keep/3]
	}
	tail := string(s.tail)
	if len(tail) > keep {
		tail = tail[len(tail)-keep:]
	}
	return fmt.Sprintf("%s\n\t[... %d bytes in all ...]\n%s", head, s.n, tail)
}

// countsByKey prints counts by key, most first.
func countsByKey(counts map[string]int) string {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if counts[a] != counts[b] {
			return counts[b] - counts[a]
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s: %d", k, counts[k])
	}
	return strings.Join(parts, ", ")
}
