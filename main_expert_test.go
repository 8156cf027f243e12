package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestDecodeExpertAppendsTheAnalysisToTcpdumpsLine: decode --expert prints
// tcpdump's lines, those of packets with TCP analysis items followed by
// them in brackets; --expert with --json or -T fields is a usage error.
func TestDecodeExpertAppendsTheAnalysisToTcpdumpsLine(t *testing.T) {
	plain, _, code := runFull(t, nil, "decode", "-r", "testdata/tcp-loss.pcap")
	if code != 0 {
		t.Fatalf("decode: exit status %d", code)
	}
	expert, stderr, code := runFull(t, nil, "decode", "--expert", "-r", "testdata/tcp-loss.pcap")
	if code != 0 {
		t.Fatalf("decode --expert: exit status %d (%s)", code, stderr)
	}
	pl, el := strings.Split(string(plain), "\n"), strings.Split(string(expert), "\n")
	if len(pl) != len(el) {
		t.Fatalf("%d lines with --expert, %d without", len(el), len(pl))
	}
	with := map[string]int{}
	for i := range pl {
		if !strings.HasPrefix(el[i], pl[i]) {
			t.Fatalf("line %d: %q does not start with tcpdump's %q", i+1, el[i], pl[i])
		}
		if rest := el[i][len(pl[i]):]; rest != "" {
			if !strings.HasPrefix(rest, " [TCP ") || !strings.HasSuffix(rest, "]") {
				t.Errorf("line %d: appended %q", i+1, rest)
			}
			with[strings.SplitN(strings.TrimPrefix(rest, " ["), "]", 2)[0]]++
		}
	}
	// tcp-loss.pcap has retransmissions and duplicate ACKs (README).
	if with["TCP Retransmission"] == 0 || len(with) < 3 {
		t.Errorf("items appended: %v", with)
	}
	if !bytes.Contains(expert, []byte("[TCP Dup ACK 13#1]")) {
		t.Error("no [TCP Dup ACK 13#1] (tshark's frame 16)")
	}
	for _, args := range [][]string{
		{"decode", "--expert", "--json", "-r", "testdata/tcp-loss.pcap"},
		{"decode", "--expert", "-T", "fields", "-e", "frame.number", "-r", "testdata/tcp-loss.pcap"},
	} {
		_, stderr, code := runFull(t, nil, args...)
		if code != 2 {
			t.Errorf("%v: exit status %d, want 2", args, code)
		}
		oneLineError(t, stderr, "--expert")
	}
}
