package main

import (
	"strings"
	"testing"
)

// TestStatsUsageErrorsExit2: a stats line that cannot run says why in one
// line and exits 2, before it opens a file or a socket.
func TestStatsUsageErrorsExit2(t *testing.T) {
	for _, args := range [][]string{
		{"stats", "-z", "conv,tcp"},                                                 // no source
		{"stats", "-r", "testdata/tcp4.pcap"},                                       // no -z
		{"stats", "-r", "testdata/tcp4.pcap", "-i", "lo", "-z", "conv,tcp"},         // two sources
		{"stats", "-r", "testdata/tcp4.pcap", "-z", "no-such-statistic"},            // not a -z name
		{"stats", "-r", "testdata/tcp4.pcap", "-z", "conv,tcp", "-c", "0"},          // counts are 1 or more
		{"stats", "-r", "testdata/tcp4.pcap", "-z", "conv,tcp", "--duration", "5s"}, // live only
		{"stats", "-i", "no-such-interface0", "-z", "conv,tcp"},
		{"stats", "-i", "lo", "-z", "conv,tcp", "--duration", "0s"},
	} {
		_, stderr, code := runFull(t, nil, args...)
		if code != 2 {
			t.Errorf("%v: exit status %d, want 2 (stderr %q)", args, code, stderr)
		}
		oneLineError(t, stderr, "")
	}
	// A bad expression is the three lines of its report: the problem, the
	// expression, a caret under its column.
	for _, args := range [][]string{
		{"stats", "-r", "testdata/tcp4.pcap", "-z", "conv,tcp", "-Y", "tcp.port =="},
		{"stats", "-r", "testdata/tcp4.pcap", "-z", "conv,tcp", "tcp", "port"},
	} {
		_, stderr, code := runFull(t, nil, args...)
		lines := strings.Split(strings.TrimSuffix(string(stderr), "\n"), "\n")
		if code != 2 || len(lines) != 3 || !strings.HasPrefix(lines[0], "sockscope: ") || !strings.HasSuffix(lines[2], "^") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and a three-line report with a caret", args, code, stderr)
		}
	}
	_, stderr, code := runFull(t, nil, "stats", "-r", "README.md", "-z", "conv,tcp")
	if code != 1 {
		t.Errorf("not a capture: exit %d, want 1 (stderr %q)", code, stderr)
	}
	oneLineError(t, stderr, "not a pcap or pcapng file")
	_, stderr, _ = runFull(t, nil, "stats", "-r", "testdata/tcp4.pcap", "-z", "no-such-statistic")
	if !strings.Contains(string(stderr), "no-such-statistic") {
		t.Errorf("an unknown -z: %q does not name it", stderr)
	}
}
