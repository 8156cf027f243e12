package main

// Tests of the replay command as a user runs it, without sending: usage
// errors, and --dry-run, which prints what decode prints.

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

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
		{"replay", "-r", "testdata/http.pcap", "--flows", "-t"},
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
