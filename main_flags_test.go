package main

import "testing"

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
		{"capture", "-i", "lo", "-i", "lo", "-c", "1"},
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
