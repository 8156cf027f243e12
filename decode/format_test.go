package decode

// Tests of format.go: timestamps, dumps, addresses and escapes, each against
// what tcpdump prints.

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sockscope/sockscope/decode/wire"
)

// linkTimes prints a frame at each of the given times and returns the
// timestamps, the text before the first space of each line (or before the
// second for the delta forms, which start with a sign or a space).
func linkTimes(t *testing.T, opt Options, ts ...time.Time) []string {
	t.Helper()
	frame := linkEther(0x0806, linkARPs()[0])
	var pkts []linkPacket
	for _, tm := range ts {
		pkts = append(pkts, linkPacket{link: wire.LinkEthernet, data: frame, ts: tm})
	}
	var out []string
	for _, line := range strings.Split(strings.TrimSuffix(linkPrint(t, opt, pkts...), "\n"), "\n") {
		out = append(out, strings.TrimSuffix(line, "ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28"))
	}
	return out
}

// TestTimestampForms checks each -t form tcpdump has, over packets out of order.
func TestTimestampForms(t *testing.T) {
	t0 := time.Unix(1700000000, 123456789)
	ts := []time.Time{t0, t0.Add(1500 * time.Millisecond), t0.Add(-2 * time.Second), t0.Add(26 * time.Hour)}
	for _, tc := range []struct {
		opt  Options
		want []string
	}{
		{Options{}, []string{"22:13:20.123456 ", "22:13:21.623456 ", "22:13:18.123456 ", "00:13:20.123456 "}},
		{Options{Nano: true}, []string{"22:13:20.123456789 ", "22:13:21.623456789 ", "22:13:18.123456789 ", "00:13:20.123456789 "}},
		{Options{Time: TimeNone}, []string{"", "", "", ""}},
		{Options{Time: TimeUnix}, []string{"1700000000.123456 ", "1700000001.623456 ", "1699999998.123456 ", "1700093600.123456 "}},
		{Options{Time: TimeDelta}, []string{" 00:00:00.000000 ", " 00:00:01.500000 ", "-00:00:03.500000 ", " 02:00:02.000000 "}},
		{Options{Time: TimeSinceFirst}, []string{" 00:00:00.000000 ", " 00:00:01.500000 ", "-00:00:02.000000 ", " 02:00:00.000000 "}},
		{Options{Time: TimeDate}, []string{"2023-11-14 22:13:20.123456 ", "2023-11-14 22:13:21.623456 ", "2023-11-14 22:13:18.123456 ", "2023-11-16 00:13:20.123456 "}},
		{Options{Time: TimeDate, Location: time.FixedZone("X", -5*3600)}, []string{"2023-11-14 17:13:20.123456 ", "2023-11-14 17:13:21.623456 ", "2023-11-14 17:13:18.123456 ", "2023-11-15 19:13:20.123456 "}},
	} {
		got := linkTimes(t, tc.opt, ts...)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%+v:\n got %q\nwant %q", tc.opt, got, tc.want)
		}
	}
}

// TestDeltaSubtractsPrintedMicroseconds checks that -ttt subtracts the
// microsecond stamps libpcap hands out, not the nanoseconds of the file.
func TestDeltaSubtractsPrintedMicroseconds(t *testing.T) {
	// libpcap cuts nanoseconds to microseconds before tcpdump subtracts:
	// 1.0000009 - 1.0000001 prints as 0, 1.0000011 - 1.0000009 as 1 µs.
	a := time.Unix(1, 100)
	b := time.Unix(1, 900)
	c := time.Unix(1, 1100)
	got := linkTimes(t, Options{Time: TimeDelta}, a, b, c)
	want := []string{" 00:00:00.000000 ", " 00:00:00.000000 ", " 00:00:00.000001 "}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestTimesTcpdumpCannotConvert checks the stamps tcpdump cannot print the
// usual way, and the reference -ttttt does not take from the epoch.
func TestTimesTcpdumpCannotConvert(t *testing.T) {
	// A first packet at the epoch sets no reference for -ttttt, and
	// seconds with bit 31 set (a negative pcap field) cannot be printed.
	got := linkTimes(t, Options{Time: TimeSinceFirst}, time.Unix(0, 0), time.Unix(5, 0), time.Unix(7, 0))
	want := []string{" 00:00:00.000000 ", " 00:00:00.000000 ", " 00:00:02.000000 "}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("epoch first: got %q, want %q", got, want)
	}
	for _, opt := range []Options{{}, {Time: TimeUnix}, {Time: TimeDate}} {
		got := linkTimes(t, opt, time.Unix(1<<31, 0))
		if got[0] != "[Error converting time] " {
			t.Errorf("%+v: got %q", opt, got[0])
		}
	}
	got = linkTimes(t, Options{Time: TimeDelta}, time.Unix(10, 0), time.Unix(0xffffffff, 0))
	if got[1] != "-00:00:11.000000 " {
		t.Errorf("negative pcap seconds: got %q, want %q", got[1], "-00:00:11.000000 ")
	}
}

// testRawDumps prints raw-IP packets with opt and returns, for each, the
// text after its first line (the dumps).
func testRawDumps(t *testing.T, opt Options, pkts ...[]byte) []string {
	t.Helper()
	var out []string
	for _, d := range pkts {
		line := linkLine(t, opt, linkPacket{link: wire.LinkRaw, data: d})
		_, dump, _ := strings.Cut(line, "\n")
		out = append(out, "\n"+dump)
	}
	return out
}

// TestDumpsMatchPrintASCII checks the -x, -X and -A dumps against the
// examples tcpdump tests its own dumps with, printed as raw IP (no link
// header, so the dump starts at the first byte).
func TestDumpsMatchPrintASCII(t *testing.T) {
	hello := []byte("Hello, World!\n")
	winter := joinWire(make([]byte, 0x100), []byte("Now is the winter of our discontent...\n"))
	got := testRawDumps(t, Options{Hex: 1}, hello)[0] + "|" +
		testRawDumps(t, Options{HexASCII: 1}, hello)[0] + "|" +
		testRawDumps(t, Options{ASCII: 1}, hello)[0] + "|"
	w := testRawDumps(t, Options{HexASCII: 1}, winter)[0]
	got += w[strings.Index(w, "\n\t0x0100:"):]
	want := "\n\t0x0000:  4865 6c6c 6f2c 2057 6f72 6c64 210a|" +
		"\n\t0x0000:  4865 6c6c 6f2c 2057 6f72 6c64 210a       Hello,.World!.|" +
		"\nHello, World!\n|" +
		"\n\t0x0100:  4e6f 7720 6973 2074 6865 2077 696e 7465  Now.is.the.winte" +
		"\n\t0x0110:  7220 6f66 206f 7572 2064 6973 636f 6e74  r.of.our.discont" +
		"\n\t0x0120:  656e 742e 2e2e 0a                        ent...."
	if got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	testRawMatchTcpdump(t, [][]string{{"-n", "-x"}, {"-n", "-X"}, {"-n", "-A"}}, hello, winter)
}

// testRawMatchTcpdump writes raw-IP packets to a pcap file and compares the
// Printer's lines with tcpdump's in the given modes.
func testRawMatchTcpdump(t *testing.T, modes [][]string, pkts ...[]byte) {
	t.Helper()
	needTcpdump(t)
	var tp []testPacket
	for i, d := range pkts {
		tp = append(tp, linkPacket{link: wire.LinkRaw, data: d, ts: time.Unix(1700000000, int64(i)*1000)}.packet())
	}
	path := filepath.Join(t.TempDir(), "raw.pcap")
	writeTestPcap(t, path, wire.LinkRaw, tp)
	for _, m := range modes {
		compareWithTcpdump(t, path, tp, m...)
	}
}

// TestASCIIDumpDropsLineEndCRs checks -A: a CR before a LF or at the end is
// dropped, elsewhere it is a dot, as tcpdump -A prints it.
func TestASCIIDumpDropsLineEndCRs(t *testing.T) {
	data := []byte("a\r\nb\rc\x01\td\r\r")
	if got, want := testRawDumps(t, Options{ASCII: 1}, data)[0], "\na\nb.c.\td"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	testRawMatchTcpdump(t, [][]string{{"-n", "-A"}}, data)
}

// TestDumpLevels checks that -x, -X and -A leave the link header out and that
// -xx, -XX and -AA keep it.
func TestDumpLevels(t *testing.T) {
	frame := linkEther(0x0806, linkARPs()[0])
	lp := linkPacket{link: wire.LinkEthernet, data: frame}
	for _, tc := range []struct {
		opt        Options
		prefix     string
		lines, off int
	}{
		{Options{Hex: 1}, "\t0x0000:  0001 0800", 2, 14},
		{Options{Hex: 2}, "\t0x0000:  ffff ffff", 3, 0},
		{Options{HexASCII: 1, Hex: 2}, "\t0x0000:  0001 0800", 2, 14},
		{Options{HexASCII: 2}, "\t0x0000:  ffff ffff", 3, 0},
		{Options{ASCII: 1}, "........", 3, 14},
	} {
		lines := strings.Split(linkLine(t, tc.opt, lp), "\n")[1:]
		if len(lines) != tc.lines || !strings.HasPrefix(lines[0], tc.prefix) {
			t.Errorf("%+v: got %q", tc.opt, lines)
		}
	}
}

// TestIPv6AddressesAsTcpdump checks the RFC 5952 forms tcpdump prints, the
// dotted forms after ::ffff and 96 zero bits included, as the source of an
// IPv6 datagram with no next header.
func TestIPv6AddressesAsTcpdump(t *testing.T) {
	var pkts [][]byte
	for _, tc := range []struct{ in, want string }{
		{"::", "::"},
		{"::1", "::1"},
		{"2001:db8::1", "2001:db8::1"},
		{"fe80::1:0:0:1", "fe80::1:0:0:1"},
		{"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},
		{"2001:0:0:1::1", "2001:0:0:1::1"},
		{"::ffff:10.0.0.1", "::ffff:10.0.0.1"},
		{"::10.0.0.1", "::10.0.0.1"},
		{"::1:0", "::0.1.0.0"},
		{"1::", "1::"},
		{"::ffff:0:1", "::ffff:0.0.0.1"},
	} {
		pkt := ip6Packet(tc.in, "2001:db8::2", wireProtoNone, nil)
		pkts = append(pkts, pkt)
		got := linkLine(t, Options{}, linkPacket{link: wire.LinkRaw, data: pkt})
		if want := "IP6 " + tc.want + " > 2001:db8::2: no next header"; got != want {
			t.Errorf("%s: got %q, want %q", tc.in, got, want)
		}
	}
	testRawMatchTcpdump(t, [][]string{{"-n"}}, pkts...)
}

// TestPrintCharEscapesAsTcpdump checks tcpdump's escapes, as it prints the
// text a TCP reset carries with -v: ^ for control characters (^@ for a NUL,
// which does not stop the text here), M- for the high bit. (The names of
// TFTP requests, which stop at a NUL, are in TestUDPApplicationsMatchTcpdump.)
func TestPrintCharEscapesAsTcpdump(t *testing.T) {
	f := testTCPFrame(false, tcpSegment(1, 2, 7, 0, wireTCPRst, 0, nil, []byte{'a', 0x01, 0x7f, 0x80 | 'b', 0xff, 0, 'z'}))
	got := strings.Join(printFrames(t, Options{Verbose: 1}, f), "\n")
	if want := "[RST a^A^?M-bM-^?^@z]"; !strings.HasSuffix(got, want) {
		t.Errorf("got %q, want it to end with %q", got, want)
	}
	matchTcpdump(t, [][]byte{f})
}
