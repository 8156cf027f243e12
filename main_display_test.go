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

// TestDisplayFilterKeepsTheInputsNumbersAndTimes: under -Y, -T fields and
// --json give each packet its number in the file, its times relative to the
// file's first and previous packets, and its TCP stream and relative
// sequence numbers, as tshark -Y does.
func TestDisplayFilterKeepsTheInputsNumbersAndTimes(t *testing.T) {
	requireTshark(t)
	fields := []string{"frame.number", "frame.time_relative", "frame.time_delta", "frame.time_delta_displayed",
		"tcp.stream", "tcp.seq", "tcp.ack"} // TCP's numbers count the packets -Y leaves out too
	for _, tt := range []struct {
		file, expr string
		none       bool // tshark selects no packet
	}{
		{"testdata/mixed.pcap", "dns or icmp", false},
		{"testdata/tcp-seq.pcap", "frame.number >= 5", false},
		{"testdata/dns.pcap", "dns.flags.response == 1", false},
		{"testdata/tcp4.pcap", "tcp.flags.fin == 1", false},
		// Before the first packet displayed, the delta since the last
		// displayed is 0.
		{"testdata/dns.pcap", "frame.number > 3 and frame.time_delta_displayed < 0.01", false},
		{"testdata/mixed.pcap", "frame.time_delta_displayed == 0", false},
		{"testdata/dns.pcap", "frame.time_delta_displayed > 0", true},
	} {
		args := []string{"decode", "-r", tt.file, "-Y", tt.expr, "-T", "fields"}
		targs := []string{"-n", "-r", tt.file, "-Y", tt.expr, "-T", "fields"}
		for _, f := range fields {
			args, targs = append(args, "-e", f), append(targs, "-e", f)
		}
		ours, stderr, code := runCmd(t, exec.Command(binary, args...), nil)
		if code != 0 {
			t.Fatalf("%s -Y %q: exit %d: %s", tt.file, tt.expr, code, stderr)
		}
		theirs, err := exec.Command("tshark", targs...).Output()
		if err != nil {
			t.Fatalf("tshark: %v", err)
		}
		if string(ours) != string(theirs) || (len(theirs) == 0) != tt.none {
			t.Errorf("%s -Y %q:\nsockscope:\n%s\ntshark:\n%s", tt.file, tt.expr, ours, theirs)
		}
		if tt.none {
			continue
		}
		js, _, _ := runCmd(t, exec.Command(binary, "decode", "-r", tt.file, "-Y", tt.expr, "--json", "-c", "1"), nil)
		first := strings.SplitN(string(theirs), "\t", 2)[0]
		if !strings.Contains(string(js), `"frame.number":`+first+",") && !strings.Contains(string(js), `"frame.number":`+first+"}") {
			t.Errorf("%s -Y %q --json: the first packet is not frame %s: %.200s", tt.file, tt.expr, first, js)
		}
	}
}

// TestReplayDisplayFilterSelectsAsTshark: replay -Y sends (here, prints in a
// dry run) the packets tshark -Y selects, and --flows -Y lists only the
// conversations of the packets selected.
func TestReplayDisplayFilterSelectsAsTshark(t *testing.T) {
	requireTshark(t)
	const expr = "dns.flags.response == 0"
	out, stderr, code := runCmd(t, exec.Command(binary, "replay", "-r", "testdata/mixed.pcap", "--dry-run", "-Y", expr), nil)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	theirs, err := exec.Command("tshark", "-n", "-r", "testdata/mixed.pcap", "-Y", expr).Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	if got, want := strings.Count(string(out), "\n"), strings.Count(string(theirs), "\n"); got != want || want == 0 {
		t.Errorf("replay --dry-run -Y %q printed %d packets, tshark -Y selects %d", expr, got, want)
	}
	out, stderr, code = runCmd(t, exec.Command(binary, "replay", "-r", "testdata/http.pcap", "--flows", "-Y", "tcp.port == 40081"), nil)
	if code != 0 || strings.Count(string(out), "\n") != 2 || !strings.Contains(string(out), "10.99.0.1:40081") {
		t.Errorf("replay --flows -Y 'tcp.port == 40081': exit %d, %s%s", code, out, stderr)
	}
}

// TestFieldsNamePcapngInterfacesAsTshark: decode names a pcapng file's
// interfaces as its interface blocks do, in -T fields and --json, as tshark
// does; a pcap file has none.
func TestFieldsNamePcapngInterfacesAsTshark(t *testing.T) {
	requireTshark(t)
	for _, file := range []string{"testdata/multi.pcapng", "testdata/comment.pcapng", "testdata/tcp4.pcap"} {
		ours, stderr, code := runCmd(t, exec.Command(binary, "decode", "-r", file, "-T", "fields", "-e", "frame.interface_id", "-e", "frame.interface_name"), nil)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", file, code, stderr)
		}
		theirs, err := exec.Command("tshark", "-n", "-r", file, "-T", "fields", "-e", "frame.interface_id", "-e", "frame.interface_name").Output()
		if err != nil {
			t.Fatalf("tshark: %v", err)
		}
		if string(ours) != string(theirs) {
			t.Errorf("%s:\nsockscope:\n%s\ntshark:\n%s", file, ours, theirs)
		}
	}
	js, _, _ := runCmd(t, exec.Command(binary, "decode", "-r", "testdata/multi.pcapng", "--json", "-c", "1"), nil)
	if !strings.Contains(string(js), `"frame.interface_name":"a0"`) {
		t.Errorf("--json of multi.pcapng does not name interface a0: %.300s", js)
	}
}
