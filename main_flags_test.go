package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestRepeatedOneValueOptionsAreUsageErrors gives an option that takes one
// value twice, in the forms getopt reads (-c 2, -c2, -nc2, --name=v, after
// the filter): a one-line usage error naming both values, never a silent
// choice of one; switches that count and options that repeat still do.
func TestRepeatedOneValueOptionsAreUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"decode", "-r", "testdata/dns.pcap", "-r", "testdata/tcp4.pcap"},
		{"decode", "-r", "testdata/dns.pcap", "-c", "2", "-c3"},
		{"decode", "-nc2", "-r", "testdata/dns.pcap", "udp", "-c", "5"},
		{"decode", "-r", "testdata/dns.pcap", "-w", "/dev/null", "-w=/dev/null"},
		{"stats", "-r", "testdata/dns.pcap", "-z", "io,phs", "-Y", "udp", "-Y", "tcp"},
		{"capture", "-i", "lo", "-s", "100", "-s", "200", "-c", "1"},
		{"replay", "-r", "testdata/tcp4.pcap", "--dry-run", "--speed", "2", "--speed", "3"},
	} {
		_, stderr, code := runFull(t, nil, args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		oneLineError(t, stderr, "given twice")
	}
	for _, args := range [][]string{
		{"decode", "-n", "-v", "-v", "-c", "1", "-r", "testdata/dns.pcap"},
		{"stats", "-r", "testdata/dns.pcap", "-z", "io,phs", "-z", "conv,ip"},
		{"decode", "-r", "testdata/dns.pcap", "-T", "fields", "-e", "frame.number", "-e", "ip.src", "-c", "1"},
	} {
		if _, stderr, code := runFull(t, nil, args...); code != 0 {
			t.Errorf("%v: exit %d (%s), want 0: these repeat", args, code, stderr)
		}
	}
}

// TestPrintWithWriteAsTcpdump writes a filtered copy with --print: the file
// holds tcpdump -w --print's bytes and the lines are tcpdump's; -w - with
// --print is a usage error (both would go to standard output).
func TestPrintWithWriteAsTcpdump(t *testing.T) {
	requireTcpdump(t)
	dir := t.TempDir()
	ours, theirs := filepath.Join(dir, "ours.pcap"), filepath.Join(dir, "theirs.pcap")
	lines, stderr, code := runFull(t, nil, "decode", "-n", "-r", "testdata/dns.pcap", "-w", ours, "--print", "udp", "port", "53")
	if code != 0 {
		t.Fatalf("decode -w --print: exit %d: %s", code, stderr)
	}
	want := run(t, "tcpdump", "-n", "-r", "testdata/dns.pcap", "-w", theirs, "--print", "udp", "port", "53")
	if !bytes.Equal(lines, want) || len(lines) == 0 {
		t.Errorf("decode -w --print printed\n%s\ntcpdump printed\n%s", lines, want)
	}
	a, _ := os.ReadFile(ours)
	b, _ := os.ReadFile(theirs)
	if !bytes.Equal(a, b) || len(a) <= 24 {
		t.Errorf("decode -w --print wrote %d bytes, tcpdump %d, not the same", len(a), len(b))
	}
	_, stderr, code = runFull(t, nil, "decode", "-r", "testdata/dns.pcap", "-w", "-", "--print")
	if code != 2 {
		t.Errorf("-w - --print: exit %d, want 2", code)
	}
	oneLineError(t, stderr, "standard output")
}
