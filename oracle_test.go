package main

// These tests run the sockscope binary as a user does and compare what it prints
// with tcpdump's own output: the golden files in testdata/golden (made by
// testdata/golden/regen.sh), and, when tcpdump is installed, tcpdump itself.

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
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

// captures lists the captures in testdata/ that tcpdump reads; the ones it
// cannot (testdata/golden/unreadable.txt) are left to other tests.
func captures(t *testing.T) []string {
	t.Helper()
	skip := map[string]bool{}
	if data, err := os.ReadFile("testdata/golden/unreadable.txt"); err == nil {
		for _, name := range strings.Fields(string(data)) {
			skip[name] = true
		}
	}
	var files []string
	for _, pat := range []string{"testdata/*.pcap", "testdata/*.pcapng"} {
		m, _ := filepath.Glob(pat)
		for _, f := range m {
			if !skip[filepath.Base(f)] {
				files = append(files, f)
			}
		}
	}
	if len(files) == 0 {
		t.Fatal("no captures in testdata/")
	}
	return files
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
			for _, f := range captures(t) {
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
	if _, err := exec.LookPath("tcpdump"); err != nil {
		if requireOracles() {
			t.Fatal("tcpdump is not installed and SOCKSCOPE_REQUIRE_PRIV=1 (apt-get install tcpdump)")
		}
		t.Skip("tcpdump is not installed (apt-get install tcpdump)")
	}
	for _, m := range readModes(t) {
		t.Run(m.suffix, func(t *testing.T) {
			t.Parallel()
			for _, f := range captures(t) {
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
