package main

// Tests of the replay command as a user runs it, without sending: usage
// errors, and --dry-run, which prints what decode prints.

import (
	"bytes"
	"os"
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
		{"replay", "-r", "testdata/tcp4.pcap", "-i", "lo", "--mbps", "fast"},
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
