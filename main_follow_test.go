package main

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"
)

// followHeader is the line of a follow's header that names its stream.
var followHeader = regexp.MustCompile(`(?m)^Filter: (tcp|udp)\.stream eq (\d+)$`)

// TestFollowPicksTheStreamOfTheFirstSelectedPacket: -Y EXPR, a FILTER, or
// both, pick the stream of the first packet they select; the output is
// then the stream's, byte for byte what its number prints. The streams
// picked are not the first of their files, and the first packet selected
// is not always its stream's first.
func TestFollowPicksTheStreamOfTheFirstSelectedPacket(t *testing.T) {
	for _, tt := range []struct {
		file   string
		args   []string // after -r FILE
		stream string   // what the number form takes
	}{
		{"testdata/tcp4.pcap", []string{"-Y", "tcp.dstport == 46003", "tcp"}, "3"},
		{"testdata/tcp4.pcap", []string{"tcp", "dst", "port", "41002"}, "2"}, // a server's packet
		{"testdata/tcp6.pcap", []string{"--format", "hex", "tcp", "port", "46102"}, "2"},
		{"testdata/tcp6.pcap", []string{"-Y", "tcp.srcport == 46109", "--format", "raw", "tcp", "ip6"}, "1"},
		{"testdata/dns.pcap", []string{"udp", "src", "port", "35806"}, "1"},
		{"testdata/dns.pcap", []string{"-Y", "udp.dstport == 33968", "udp"}, "3"},
		{"testdata/tcp4.pcap", []string{"tcp", "port", "46003", "--format", "hex"}, "3"}, // --format last
	} {
		args := append([]string{"follow", "-r", tt.file}, tt.args...)
		got, stderr, code := runFull(t, nil, args...)
		if code != 0 {
			t.Errorf("%v: exit %d: %s", args, code, stderr)
			continue
		}
		// The same command with the number in place of the selection.
		var byNumber []string
		format := "ascii"
		for i := 0; i < len(tt.args); i++ {
			switch a := tt.args[i]; a {
			case "-Y":
				i++
			case "--format":
				format = tt.args[i+1]
				i++
			case "tcp", "udp":
				byNumber = append(byNumber, a, tt.stream)
			}
		}
		want, stderr, code := runFull(t, nil, append([]string{"follow", "-r", tt.file, "--format", format}, byNumber...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", byNumber, code, stderr)
		}
		m := followHeader.FindSubmatch(got)
		if m == nil || string(m[2]) != tt.stream {
			t.Errorf("%v: header %q, want stream %s", args, m, tt.stream)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%v: not what follow %v prints:\n%s\nwant\n%s", args, byNumber, got, want)
		}
	}
	// From standard input, read twice through a temporary file.
	data, err := os.ReadFile("testdata/tcp4.pcap")
	if err != nil {
		t.Fatal(err)
	}
	got, stderr, code := runFull(t, data, "follow", "-r", "-", "tcp", "port", "46003")
	want, _, _ := runFull(t, nil, "follow", "-r", "testdata/tcp4.pcap", "tcp", "3")
	if code != 0 || !bytes.Equal(got, want) {
		t.Errorf("follow -r - tcp port 46003: exit %d (%s), output not stream 3's:\n%s", code, stderr, got)
	}
}

// TestFollowUsageErrorsExit2: what cannot be followed is said in one line,
// exit status 2, as replay --flow N says a conversation the file does not
// hold; nothing is printed on standard output. (tshark prints a stream
// number the file does not hold as an empty stream.)
func TestFollowUsageErrorsExit2(t *testing.T) {
	for _, tt := range []struct {
		args []string
		says string
	}{
		{[]string{"follow", "-r", "testdata/tcp4.pcap", "tcp", "99"}, "has no TCP stream 99: its 5 TCP streams are 0 to 4"},
		{[]string{"follow", "-r", "testdata/tcp4.pcap", "udp", "0"}, "has no UDP stream"},
		{[]string{"follow", "-r", "testdata/tcp4.pcap", "-Y", "udp", "tcp"}, "no packet the display filter selects belongs to a TCP stream"},
		{[]string{"follow", "-r", "testdata/tcp4.pcap", "tcp", "udp", "port", "53"}, "no packet the filter selects belongs to a TCP stream"},
		{[]string{"follow", "-r", "testdata/tcp4.pcap", "-Y", "tcp", "tcp", "0"}, "a stream number or -Y EXPR, not both"},
		{[]string{"follow", "-r", "testdata/tcp4.pcap", "sctp", "0"}, `"sctp" is not a protocol to follow`},
		{[]string{"follow", "-r", "testdata/tcp4.pcap", "tcp"}, "give a tcp stream number"},
		{[]string{"follow", "-r", "testdata/tcp4.pcap"}, "say what to follow"},
		{[]string{"follow", "tcp", "0"}, "-r FILE is required"},
		{[]string{"follow", "-r", "testdata/tcp4.pcap", "--format", "yaml", "tcp", "0"}, `unknown format "yaml": give ascii, hex or raw`},
		{[]string{"follow", "-r", "testdata/tcp4.pcap", "tcp", "0", "--format"}, "--format needs a value"},
	} {
		stdout, stderr, code := runFull(t, nil, tt.args...)
		if code != 2 || len(stdout) != 0 {
			t.Errorf("%v: exit %d, %d bytes of output; want exit 2 and none (stderr %q)", tt.args, code, len(stdout), stderr)
		}
		oneLineError(t, stderr, tt.says)
	}
	// A number too big for a stream is read as a filter, which says where
	// it is wrong: the three lines of a filter's report.
	_, stderr, code := runFull(t, nil, "follow", "-r", "testdata/dns.pcap", "udp", "4000000000")
	if lines := strings.Split(strings.TrimSuffix(string(stderr), "\n"), "\n"); code != 2 || len(lines) != 3 || !strings.HasSuffix(lines[2], "^") {
		t.Errorf("udp 4000000000: exit %d, stderr %q; want exit 2 and a filter's report", code, stderr)
	}
	// A file that is not a capture is the work failing: exit 1.
	_, stderr, code = runFull(t, nil, "follow", "-r", "README.md", "tcp", "0")
	if code != 1 {
		t.Errorf("not a capture: exit %d, want 1 (stderr %q)", code, stderr)
	}
	oneLineError(t, stderr, "sockscope reads pcap and pcapng files")
}
