package main

// Tests of the decode command as a user runs it: bad input, standard input,
// copying packets out, and the exit codes of the CLI contract.

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// runFull runs the sockscope binary and returns stdout, stderr and the exit code.
func runFull(t *testing.T, stdin []byte, args ...string) (stdout, stderr []byte, code int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "TZ=UTC")
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
