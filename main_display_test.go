package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDecodeDisplayFilterSelectsAsTshark: decode -Y writes the packets tshark
// -Y selects, after the capture filter, and -c counts selected packets.
func TestDecodeDisplayFilterSelectsAsTshark(t *testing.T) {
	out, stderr, code := runCmd(t, exec.Command(binary, "decode", "-r", "testdata/tcp4.pcap", "-Y", "tcp.flags.syn == 1 && tcp.flags.ack == 1", "-w", "-"), nil)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	recs, err := readRecords(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 { // tshark -r testdata/tcp4.pcap -Y '...' selects frames 2 24 44 64
		t.Errorf("decode -Y wrote %d packets, want 4", len(recs))
	}
	out, _, _ = runCmd(t, exec.Command(binary, "decode", "-r", "testdata/tcp4.pcap", "-c", "1", "-Y", "tcp.flags.syn == 1 && tcp.flags.ack == 1", "tcp port 46001"), nil)
	if n := strings.Count(string(out), "\n"); n != 1 || !strings.Contains(string(out), "10.99.0.2.46001 >") {
		t.Errorf("decode -c 1 -Y ... 'tcp port 46001. printed %q", out)
	}
}

// TestBadDisplayFilterIsAUsageError: exit 2, the problem, the expression and
// a caret under the column.
func TestBadDisplayFilterIsAUsageError(t *testing.T) {
	_, stderr, code := runCmd(t, exec.Command(binary, "decode", "-r", "testdata/tcp4.pcap", "-Y", "tcp.prot == 80"), nil)
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	want := "sockscope: display filter: tcp.prot is neither a field nor a protocol name; did you mean tcp.port"
	lines := strings.Split(strings.TrimSuffix(string(stderr), "\n"), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], want) || lines[1] != "tcp.prot == 80" || lines[2] != "^" {
		t.Errorf("stderr %q", stderr)
	}
}
