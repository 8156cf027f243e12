package decode

// Tests of the TCP printer (tcp.go), on hand-made segments and the real
// captures of testdata/ against tcpdump.

import (
	"bytes"
	"encoding/binary"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// The addresses of the hand-made TCP and UDP tests.
var (
	testAddr4A, testAddr4B = "10.0.0.1", "10.0.0.2"
	testAddr6A, testAddr6B = "fd00:99::1", "fd00:99::2"
)

// testTCPFrame wraps a TCP segment in Ethernet and IPv4 from 10.0.0.1 to
// 10.0.0.2 (back: the other way), its checksum set.
func testTCPFrame(back bool, seg []byte) []byte {
	src, dst := testAddr4A, testAddr4B
	if back {
		src, dst = dst, src
	}
	seg = wireWithChecksum(ipAddr4(src), ipAddr4(dst), wireProtoTCP, append([]byte(nil), seg...), 16)
	return etherFrame(testEtherIPv4, ip4Hdr{src: src, dst: dst, proto: wireProtoTCP, id: 1}.packet(seg))
}

// testTCPFrame6 is the same in IPv6 from fd00:99::1 to fd00:99::2.
func testTCPFrame6(seg []byte) []byte {
	seg = wireWithChecksum(ipAddr6(testAddr6A), ipAddr6(testAddr6B), wireProtoTCP, append([]byte(nil), seg...), 16)
	return etherFrame(testEtherIPv6, ip6Packet(testAddr6A, testAddr6B, wireProtoTCP, seg))
}

// testIPText is a one-line IPv4 or IPv6 line without its "IP "/"IP6 ".
func testIPText(line string) string {
	if s, ok := strings.CutPrefix(line, "IP "); ok {
		return s
	}
	return strings.TrimPrefix(line, "IP6 ")
}

// tcpSegment builds a TCP segment; the header length follows the options,
// which must be a multiple of 4 bytes long.
func tcpSegment(sport, dport uint16, seq, ack uint32, flags uint8, win uint16, opts, payload []byte) []byte {
	h := make([]byte, 20+len(opts), 20+len(opts)+len(payload))
	binary.BigEndian.PutUint16(h[0:], sport)
	binary.BigEndian.PutUint16(h[2:], dport)
	binary.BigEndian.PutUint32(h[4:], seq)
	binary.BigEndian.PutUint32(h[8:], ack)
	h[12] = byte((20+len(opts))/4) << 4
	h[13] = flags
	binary.BigEndian.PutUint16(h[14:], win)
	copy(h[20:], opts)
	return append(h, payload...)
}

var synOpts = []byte{
	2, 4, 0x05, 0xb4, // mss 1460
	4, 2, // sackOK
	8, 10, 0, 0, 0, 1, 0, 0, 0, 0, // TS val 1 ecr 0
	1,       // nop
	3, 3, 7, // wscale 7
}

// TestTCPPrintsHandshakeLikeTcpdump checks a connection from SYN to FIN, with
// sequence numbers relative to each side's first.
func TestTCPPrintsHandshakeLikeTcpdump(t *testing.T) {
	steps := []struct {
		seg  []byte
		back bool
		want string
	}{
		{tcpSegment(40000, 80, 1000, 0, wireTCPSyn, 64240, synOpts, nil), false,
			"10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, win 64240, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0"},
		{tcpSegment(80, 40000, 5000, 1001, wireTCPSyn|wireTCPAck, 65160, nil, nil), true,
			"10.0.0.2.80 > 10.0.0.1.40000: Flags [S.], seq 5000, ack 1001, win 65160, length 0"},
		{tcpSegment(40000, 80, 1001, 5001, wireTCPAck, 502, nil, nil), false,
			"10.0.0.1.40000 > 10.0.0.2.80: Flags [.], ack 1, win 502, length 0"},
		{tcpSegment(40000, 80, 1001, 5001, wireTCPAck|wireTCPPsh, 502, nil, []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")), false,
			"10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 1:28, ack 1, win 502, length 27: HTTP: GET / HTTP/1.1"},
		{tcpSegment(80, 40000, 5001, 1028, wireTCPAck|wireTCPPsh, 509, nil, []byte("<html>\n")), true,
			"10.0.0.2.80 > 10.0.0.1.40000: Flags [P.], seq 1:8, ack 28, win 509, length 7: HTTP"},
		{tcpSegment(40000, 80, 1028, 5008, wireTCPAck|wireTCPFin, 502, nil, nil), false,
			"10.0.0.1.40000 > 10.0.0.2.80: Flags [F.], seq 28, ack 8, win 502, length 0"},
	}
	var frames [][]byte
	for _, s := range steps {
		frames = append(frames, testTCPFrame(s.back, s.seg))
	}
	lines := printFrames(t, Options{}, frames...)
	for i, s := range steps {
		if i >= len(lines) {
			t.Fatalf("%d lines for %d segments", len(lines), len(steps))
		}
		if got := testIPText(lines[i]); got != s.want {
			t.Errorf("step %d:\n got %s\nwant %s", i, got, s.want)
		}
	}
	matchTcpdump(t, frames)
}

// TestTCPOptionsAndOddHeaders checks the options tcpdump decodes, bad ones,
// and headers whose length field lies.
func TestTCPOptionsAndOddHeaders(t *testing.T) {
	sack := []byte{1, 1, 5, 10, 0, 0, 0x13, 0xec, 0, 0, 0x14, 0x50} // {5100:5200}
	sack = append(sack, 0, 0, 0, 0)                                 // eol and padding
	tests := []struct {
		name string
		seg  []byte
		want string
	}{
		{"sack blocks relative to the ack base, as first seen",
			tcpSegment(1, 2, 7, 9, wireTCPAck, 10, sack, nil),
			"10.0.0.1.1 > 10.0.0.2.2: Flags [.], ack 9, win 10, options [nop,nop,sack 1 {5092:5192},eol], length 0"},
		{"unknown option in hex, urgent pointer",
			append(tcpSegment(1, 2, 7, 0, wireTCPUrg, 10, []byte{99, 4, 0xab, 0xcd}, nil)[:18], 0, 5, 99, 4, 0xab, 0xcd),
			"10.0.0.1.1 > 10.0.0.2.2: Flags [U], win 10, urg 5, options [unknown-99 0xabcd], length 0"},
		{"option longer than the header",
			tcpSegment(1, 2, 7, 0, wireTCPSyn, 10, []byte{2, 8, 0, 0}, nil),
			"10.0.0.1.1 > 10.0.0.2.2: Flags [S], seq 7, win 10, options [[bad opt]"},
		{"header length below 20",
			func() []byte { s := tcpSegment(1, 2, 7, 0, wireTCPSyn, 10, nil, nil); s[12] = 4 << 4; return s }(),
			"10.0.0.1.1 > 10.0.0.2.2:  tcp 4 [bad hdr length 16 - too short, < 20]"},
		{"no flags at all, fast open cookie",
			tcpSegment(1, 2, 7, 0, 0, 10, []byte{34, 10, 1, 2, 3, 4, 5, 6, 7, 8, 1, 1}, nil),
			"10.0.0.1.1 > 10.0.0.2.2: Flags [none], win 10, options [tfo  cookie 0102030405060708,nop,nop], length 0"},
		{"header cut by the snapshot",
			tcpSegment(1, 2, 7, 0, wireTCPSyn, 10, nil, nil)[:12],
			"10.0.0.1.1 > 10.0.0.2.2:  [|tcp]"},
		{"ports cut by the snapshot",
			tcpSegment(1, 2, 7, 0, wireTCPSyn, 10, nil, nil)[:3],
			"10.0.0.1 > 10.0.0.2: [|tcp]"},
		{"options cut by the snapshot",
			tcpSegment(1, 2, 7, 0, wireTCPSyn, 10, synOpts, nil)[:30],
			"10.0.0.1.1 > 10.0.0.2.2: Flags [S], seq 7, win 10, options [mss 1460,sackOK,TS [|tcp]>"},
		{"mptcp capable",
			tcpSegment(1, 2, 7, 0, wireTCPSyn, 10, []byte{30, 12, 0x01, 0x81, 1, 2, 3, 4, 5, 6, 7, 8}, nil),
			"10.0.0.1.1 > 10.0.0.2.2: Flags [S], seq 7, win 10, options [mptcp 12 capable v1 csum {0x102030405060708}], length 0"},
	}
	var pkts []testPacket
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A segment cut by the snapshot was 40 bytes on the wire.
			seg := tt.seg
			if strings.HasSuffix(tt.name, "cut by the snapshot") {
				seg = append(append([]byte(nil), seg...), make([]byte, 40-len(seg))...)
			}
			frame := testTCPFrame(false, seg)
			caplen := 14 + 20 + len(tt.seg)
			pkts = append(pkts, testCut(frame, caplen))
			if got := testIPText(testPrintCut(t, Options{}, frame, caplen)); got != tt.want {
				t.Errorf("\n got %s\nwant %s", got, tt.want)
			}
		})
	}
	testMatchTcpdumpPackets(t, pkts)
}

// TestTCPVerboseChecksumAndRSTData checks the -v checksum verdict and the
// text a RST may carry.
func TestTCPVerboseChecksumAndRSTData(t *testing.T) {
	good := testTCPFrame6(tcpSegment(443, 50000, 1, 2, wireTCPRst|wireTCPAck, 0, nil, []byte("no\x01way")))
	bad := append([]byte(nil), good...)
	bad[14+40+17] ^= 0xff
	lines := printFrames(t, Options{Verbose: 1}, good, bad)
	got := testFromAddr(lines[0], "fd00:99::1.443")
	want := "fd00:99::1.443 > fd00:99::2.50000: Flags [R.], cksum 0x" // then the value
	if !strings.HasPrefix(got, want) || !strings.Contains(got, " (correct), seq 1:7, ack 2, win 0, length 6 [RST no^Away]") {
		t.Errorf("got %s", got)
	}
	if !strings.Contains(lines[1], " (incorrect -> 0x") {
		t.Errorf("a damaged checksum should be reported: %s", lines[1])
	}
	matchTcpdump(t, [][]byte{good, bad})
}

// TestTCPQuiet checks the -q form: the payload length only.
func TestTCPQuiet(t *testing.T) {
	seg := tcpSegment(1, 2, 7, 0, wireTCPSyn, 10, nil, []byte("abc"))
	got := printFrames(t, Options{Quiet: true}, testTCPFrame(false, seg))[0]
	if want := "IP 10.0.0.1.1 > 10.0.0.2.2: tcp 3"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestTCPManyConnectionsPrintTheSameEachTime checks that a printer that
// has seen more connections than it keeps forgets them the same way on
// every run (by age, never by a random pick), so the output does not
// depend on map order.
func TestTCPManyConnectionsPrintTheSameEachTime(t *testing.T) {
	if testing.Short() {
		t.Skip("prints half a million segments")
	}
	const n = 1 << 17
	var frames [][]byte
	for i := 0; i < n; i++ {
		frames = append(frames, testTCPFrame(false, tcpSegment(uint16(i), uint16(i>>16)+1, uint32(i), 0, wireTCPSyn, 10, nil, nil)))
	}
	for i := 0; i < n; i++ {
		frames = append(frames, testTCPFrame(false, tcpSegment(uint16(i), uint16(i>>16)+1, uint32(i)+1, 5, wireTCPAck, 10, nil, nil)))
	}
	// Then a new connection: its ack is relative to its SYN.
	frames = append(frames, testTCPFrame(false, tcpSegment(1, 9999, 77, 0, wireTCPSyn, 10, nil, nil)),
		testTCPFrame(true, tcpSegment(9999, 1, 500, 78, wireTCPSyn|wireTCPAck, 10, nil, nil)),
		testTCPFrame(false, tcpSegment(1, 9999, 78, 501, wireTCPAck, 10, nil, nil)))
	run := func() []byte {
		var out bytes.Buffer
		p := NewPrinter(&out, Options{Time: TimeNone})
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(1, 0)}
		for _, f := range frames {
			ci.CaptureLength, ci.Length = len(f), len(f)
			if err := p.Print(f, ci, wire.LinkEthernet); err != nil {
				t.Fatal(err)
			}
		}
		if err := p.Flush(); err != nil {
			t.Fatal(err)
		}
		return out.Bytes()
	}
	a, b := run(), run()
	if !bytes.Equal(a, b) {
		t.Fatal("two runs over the same connections print differently")
	}
	// The newest connection is remembered.
	lines := strings.Split(strings.TrimSuffix(string(a), "\n"), "\n")
	if last := lines[len(lines)-1]; !strings.Contains(last, "Flags [.], ack 1, win 10") {
		t.Errorf("last connection's ack not relative: %s", last)
	}
}

// TestTCPPrintAllocatesNothing checks that a segment of a known connection
// costs no allocation.
func TestTCPPrintAllocatesNothing(t *testing.T) {
	p := NewPrinter(io.Discard, Options{Verbose: 1})
	f := testTCPFrame(false, tcpSegment(40000, 5001, 1, 1, wireTCPAck|wireTCPPsh, 502, synOpts, []byte("hello")))
	ci := gopacket.CaptureInfo{Timestamp: time.Unix(1, 0), CaptureLength: len(f), Length: len(f)}
	p.Print(f, ci, wire.LinkEthernet)
	allocs := testing.AllocsPerRun(100, func() { p.Print(f, ci, wire.LinkEthernet) })
	if allocs != 0 {
		t.Errorf("printing a known connection's segment allocated %v times", allocs)
	}
}

// TestTCPLinesMatchTcpdump prints the real captures in testdata/ and compares
// every line with tcpdump's, when tcpdump is installed.
func TestTCPLinesMatchTcpdump(t *testing.T) {
	needTcpdump(t)
	for _, name := range []string{"tcp4.pcap", "tcp6.pcap", "dns.pcap", "vxlan.pcap"} {
		for _, mode := range [][]string{{"-n"}, {"-n", "-v"}} {
			t.Run(name+strings.Join(mode, ""), func(t *testing.T) {
				compareWithTcpdump(t, testdataPath(name), readTestdata(t, name), mode...)
			})
		}
	}
}

// FuzzTransport feeds hostile TCP and UDP segments (and so every payload
// printer reached by port) to the printers: a truncation mark is the only
// panic allowed.
func FuzzTransport(f *testing.F) {
	f.Add(tcpSegment(40000, 80, 1, 2, wireTCPAck|wireTCPPsh, 10, synOpts, []byte("GET / HTTP/1.1\r\n")), uint8(0), false)
	f.Add(tcpSegment(1, 2, 7, 0, wireTCPSyn, 10, []byte{30, 20, 0x21, 0x81, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6}, nil), uint8(1), true)
	f.Add(udpDatagram(68, 67, append([]byte{1, 1, 6, 0}, make([]byte, 300)...)), uint8(0x11), false)
	f.Add(udpDatagram(40000, 4789, []byte{8, 0, 0, 0, 0, 0, 42, 0, 1, 2, 3}), uint8(0x10), true)
	f.Add(udpDatagram(547, 546, []byte{7, 1, 2, 3, 0, 1, 0, 2, 0, 1}), uint8(0x13), true)
	f.Fuzz(func(t *testing.T, seg []byte, mode uint8, v6 bool) {
		opt := Options{Verbose: int(mode & 3), Quiet: mode&4 != 0, Link: mode&8 != 0}
		proto := uint8(wireProtoTCP)
		if mode&0x10 != 0 {
			proto = wireProtoUDP
		}
		var frame []byte
		if v6 {
			frame = etherFrame(testEtherIPv6, ip6Packet(testAddr6A, testAddr6B, proto, seg))
		} else {
			frame = etherFrame(testEtherIPv4, ip4Hdr{src: testAddr4A, dst: testAddr4B, proto: proto}.packet(seg))
		}
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(1, 0), CaptureLength: len(frame), Length: len(frame) + int(mode>>5)}
		p := NewPrinter(io.Discard, opt)
		if err := p.Print(frame, ci, wire.LinkEthernet); err != nil {
			t.Fatal(err)
		}
	})
}
