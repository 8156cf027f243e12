package main

// Tests of the craft command as a user runs it: what --dry-run prints, and
// the exit codes and one-line errors of the CLI contract.

import (
	"path/filepath"
	"strings"
	"testing"
)

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
		{[]string{"craft", "--rate", "0", "ip(dst=10.0.0.2)"}, "more than 0"},
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
		{[]string{"craft", "--dry-run", "-c", "0", "ip(dst=10.0.0.2)"}, "at least 1"},
		{[]string{"craft", "--dry-run", "-i", "nosuchif0", "ether/ip(dst=10.0.0.2)"}, "no such interface"},
	} {
		_, stderr, code := runFull(t, nil, c.args...)
		if code != 2 {
			t.Errorf("%q: exit %d, want 2", c.args, code)
		}
		oneLineError(t, stderr, c.msg)
	}
}
