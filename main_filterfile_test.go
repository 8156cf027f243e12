package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestFilterFromFileAsTcpdump gives decode and stats the filter in a file
// (-F), comments and line breaks in it: decode prints what the same
// expression on the command line prints and what tcpdump -F prints; stats
// counts the same packets; an empty file filters nothing; a file beside an
// expression, or one that cannot be read, is a one-line usage error.
func TestFilterFromFileAsTcpdump(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "filter")
	if err := os.WriteFile(file, []byte("# DNS over UDP\nudp and\n  port 53 # answers too\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	capture := "testdata/dns.pcap"
	want, _, code := runFull(t, nil, "decode", "-n", "-r", capture, "udp and port 53")
	if code != 0 || len(want) == 0 {
		t.Fatalf("decode with the expression: exit %d, %d bytes", code, len(want))
	}
	got, stderr, code := runFull(t, nil, "decode", "-n", "-r", capture, "-F", file)
	if code != 0 || !bytes.Equal(got, want) {
		t.Errorf("decode -F: exit %d (%s), output differs from the expression's:\n%s\nwant\n%s", code, stderr, got, want)
	}
	if all, _, _ := runFull(t, nil, "decode", "-n", "-r", capture); bytes.Equal(all, want) {
		t.Fatal("the filter selects every packet: the test shows nothing")
	}
	t.Run("tcpdump", func(t *testing.T) {
		requireTcpdump(t)
		if theirs := run(t, "tcpdump", "-n", "-r", capture, "-F", file); !bytes.Equal(got, theirs) {
			t.Errorf("decode -F differs from tcpdump -F:\n%s\ntcpdump:\n%s", got, theirs)
		}
	})
	statsWant, _, _ := runFull(t, nil, "stats", "-r", capture, "-z", "io,phs", "udp and port 53")
	statsGot, _, code := runFull(t, nil, "stats", "-r", capture, "-z", "io,phs", "-F", file)
	if code != 0 || !bytes.Equal(statsGot, statsWant) {
		t.Errorf("stats -F: exit %d, tables differ from the expression's:\n%s\nwant\n%s", code, statsGot, statsWant)
	}

	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, []byte("# nothing but a comment\n"), 0o644)
	all, _, _ := runFull(t, nil, "decode", "-n", "-r", capture)
	if got, _, code := runFull(t, nil, "decode", "-n", "-r", capture, "-F", empty); code != 0 || !bytes.Equal(got, all) {
		t.Errorf("decode -F with only a comment: exit %d, want every packet", code)
	}

	_, stderr, code = runFull(t, nil, "decode", "-n", "-r", capture, "-F", file, "tcp")
	if code != 2 {
		t.Errorf("-F with an expression too: exit %d, want 2", code)
	}
	oneLineError(t, stderr, "not both")
	_, stderr, code = runFull(t, nil, "decode", "-n", "-r", capture, "-F", filepath.Join(dir, "missing"))
	if code != 2 {
		t.Errorf("-F of a missing file: exit %d, want 2", code)
	}
	oneLineError(t, stderr, "missing")
}
