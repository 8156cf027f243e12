package main

// Tests of the craft command as a user runs it: what --dry-run prints, and
// the exit codes and one-line errors of the CLI contract.

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
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
