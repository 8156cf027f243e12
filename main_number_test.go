package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestPacketNumbersAsTcpdump prints lines with -# (--number), alone and
// with other flags and a filter, as tcpdump -# prints them: the count of
// packets printed, five columns wide, then two spaces. -# with --json is a
// usage error; -l changes when lines are written, not what they say.
func TestPacketNumbersAsTcpdump(t *testing.T) {
	requireTcpdump(t)
	for _, args := range [][]string{
		{"-#", "-n"}, {"--number", "-n"}, {"-#e", "-n"}, {"-#", "-n", "-x", "-c", "3"},
		{"-#", "-n", "-tttt"}, {"-#", "-n", "udp", "and", "port", "53"},
	} {
		for _, file := range []string{"testdata/dns.pcap", "testdata/tcp4.pcap"} {
			ours, stderr, code := runFull(t, nil, append([]string{"decode", "-r", file}, args...)...)
			if code != 0 {
				t.Fatalf("decode %s %v: exit %d: %s", file, args, code, stderr)
			}
			theirs := run(t, "tcpdump", append([]string{"-r", file}, args...)...)
			if !bytes.Equal(ours, theirs) {
				t.Errorf("decode -r %s %s differs from tcpdump:\n%s\ntcpdump:\n%s", file, strings.Join(args, " "), ours, theirs)
			}
			if len(ours) > 0 && !bytes.HasPrefix(ours, []byte("    1  ")) {
				t.Errorf("decode -r %s %s: the first line does not start with its number: %.40q", file, strings.Join(args, " "), ours)
			}
		}
	}
	_, stderr, code := runFull(t, nil, "decode", "-#", "--json", "-r", "testdata/dns.pcap")
	if code != 2 {
		t.Errorf("-# with --json: exit %d, want 2", code)
	}
	oneLineError(t, stderr, "frame.number")
	plain, _, _ := runFull(t, nil, "decode", "-n", "-r", "testdata/tcp4.pcap")
	if lined, _, code := runFull(t, nil, "decode", "-l", "-n", "-r", "testdata/tcp4.pcap"); code != 0 || !bytes.Equal(lined, plain) {
		t.Errorf("decode -l: exit %d, lines differ from decode's without -l", code)
	}
}
