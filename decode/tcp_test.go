//go:build !treedecode

package decode

// Tests of the TCP printer (tcp.go), on hand-made segments and the real
// captures of testdata/ against tcpdump.

import (
	"encoding/binary"
	"io"
	"strings"
	"testing"
)

// transportLine runs a transport printer the way Print does (a truncation
// panic becomes tcpdump's " [|proto]" mark) and returns what it printed.
func transportLine(p *Printer, print func()) string {
	p.buf = p.buf[:0]
	func() {
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(truncated); !ok {
					panic(r)
				}
				p.trunc()
			}
		}()
		print()
	}()
	return string(p.buf)
}

func testNetInfo4() *netInfo {
	return &netInfo{src: []byte{10, 0, 0, 1}, dst: []byte{10, 0, 0, 2}, proto: ipProtoTCP}
}

func testNetInfo6() *netInfo {
	src := []byte{0xfd, 0, 0, 0x99, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}
	dst := []byte{0xfd, 0, 0, 0x99, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}
	return &netInfo{src: src, dst: dst, v6: true, proto: ipProtoTCP}
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

// withChecksum sets the checksum field of a TCP or UDP segment at off.
func withChecksum(ni *netInfo, proto uint8, seg []byte, off int) []byte {
	seg[off], seg[off+1] = 0, 0
	binary.BigEndian.PutUint16(seg[off:], transportChecksum(ni, proto, seg))
	return seg
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
	p := NewPrinter(io.Discard, Options{})
	ni := testNetInfo4()
	steps := []struct {
		seg  []byte
		back bool
		want string
	}{
		{tcpSegment(40000, 80, 1000, 0, tcpSYN, 64240, synOpts, nil), false,
			"10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, win 64240, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0"},
		{tcpSegment(80, 40000, 5000, 1001, tcpSYN|tcpACK, 65160, nil, nil), true,
			"10.0.0.2.80 > 10.0.0.1.40000: Flags [S.], seq 5000, ack 1001, win 65160, length 0"},
		{tcpSegment(40000, 80, 1001, 5001, tcpACK, 502, nil, nil), false,
			"10.0.0.1.40000 > 10.0.0.2.80: Flags [.], ack 1, win 502, length 0"},
		{tcpSegment(40000, 80, 1001, 5001, tcpACK|tcpPSH, 502, nil, []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")), false,
			"10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 1:28, ack 1, win 502, length 27: HTTP: GET / HTTP/1.1"},
		{tcpSegment(80, 40000, 5001, 1028, tcpACK|tcpPSH, 509, nil, []byte("<html>\n")), true,
			"10.0.0.2.80 > 10.0.0.1.40000: Flags [P.], seq 1:8, ack 28, win 509, length 7: HTTP"},
		{tcpSegment(40000, 80, 1028, 5008, tcpACK|tcpFIN, 502, nil, nil), false,
			"10.0.0.1.40000 > 10.0.0.2.80: Flags [F.], seq 28, ack 8, win 502, length 0"},
	}
	for i, s := range steps {
		n := ni
		if s.back {
			n = &netInfo{src: ni.dst, dst: ni.src, proto: ipProtoTCP}
		}
		got := transportLine(p, func() { p.tcp(s.seg, len(s.seg), n) })
		if got != s.want {
			t.Errorf("step %d:\n got %s\nwant %s", i, got, s.want)
		}
	}
}

// TestTCPOptionsAndOddHeaders checks the options tcpdump decodes, bad ones,
// and headers whose length field lies.
func TestTCPOptionsAndOddHeaders(t *testing.T) {
	ni := testNetInfo4()
	sack := []byte{1, 1, 5, 10, 0, 0, 0x13, 0xec, 0, 0, 0x14, 0x50} // {5100:5200}
	sack = append(sack, 0, 0, 0, 0)                                 // eol and padding
	tests := []struct {
		name string
		seg  []byte
		want string
	}{
		{"sack blocks relative to the ack base, as first seen",
			tcpSegment(1, 2, 7, 9, tcpACK, 10, sack, nil),
			"10.0.0.1.1 > 10.0.0.2.2: Flags [.], ack 9, win 10, options [nop,nop,sack 1 {5092:5192},eol], length 0"},
		{"unknown option in hex, urgent pointer",
			append(tcpSegment(1, 2, 7, 0, tcpURG, 10, []byte{99, 4, 0xab, 0xcd}, nil)[:18], 0, 5, 99, 4, 0xab, 0xcd),
			"10.0.0.1.1 > 10.0.0.2.2: Flags [U], win 10, urg 5, options [unknown-99 0xabcd], length 0"},
		{"option longer than the header",
			tcpSegment(1, 2, 7, 0, tcpSYN, 10, []byte{2, 8, 0, 0}, nil),
			"10.0.0.1.1 > 10.0.0.2.2: Flags [S], seq 7, win 10, options [[bad opt]"},
		{"header length below 20",
			func() []byte { s := tcpSegment(1, 2, 7, 0, tcpSYN, 10, nil, nil); s[12] = 4 << 4; return s }(),
			"10.0.0.1.1 > 10.0.0.2.2:  tcp 4 [bad hdr length 16 - too short, < 20]"},
		{"no flags at all, fast open cookie",
			tcpSegment(1, 2, 7, 0, 0, 10, []byte{34, 10, 1, 2, 3, 4, 5, 6, 7, 8, 1, 1}, nil),
			"10.0.0.1.1 > 10.0.0.2.2: Flags [none], win 10, options [tfo  cookie 0102030405060708,nop,nop], length 0"},
		{"header cut by the snapshot",
			tcpSegment(1, 2, 7, 0, tcpSYN, 10, nil, nil)[:12],
			"10.0.0.1.1 > 10.0.0.2.2:  [|tcp]"},
		{"ports cut by the snapshot",
			tcpSegment(1, 2, 7, 0, tcpSYN, 10, nil, nil)[:3],
			"10.0.0.1 > 10.0.0.2: [|tcp]"},
		{"options cut by the snapshot",
			tcpSegment(1, 2, 7, 0, tcpSYN, 10, synOpts, nil)[:30],
			"10.0.0.1.1 > 10.0.0.2.2: Flags [S], seq 7, win 10, options [mss 1460,sackOK,TS [|tcp]>"},
		{"mptcp capable",
			tcpSegment(1, 2, 7, 0, tcpSYN, 10, []byte{30, 12, 0x01, 0x81, 1, 2, 3, 4, 5, 6, 7, 8}, nil),
			"10.0.0.1.1 > 10.0.0.2.2: Flags [S], seq 7, win 10, options [mptcp 12 capable v1 csum {0x102030405060708}], length 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPrinter(io.Discard, Options{})
			length := len(tt.seg)
			if tt.name == "header cut by the snapshot" || tt.name == "ports cut by the snapshot" || tt.name == "options cut by the snapshot" {
				length = 40
			}
			got := transportLine(p, func() { p.tcp(tt.seg, length, ni) })
			if got != tt.want {
				t.Errorf("\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestTCPVerboseChecksumAndRSTData checks the -v checksum verdict and the
// text a RST may carry.
func TestTCPVerboseChecksumAndRSTData(t *testing.T) {
	ni := testNetInfo6()
	good := withChecksum(ni, ipProtoTCP, tcpSegment(443, 50000, 1, 2, tcpRST|tcpACK, 0, nil, []byte("no\x01way")), 16)
	bad := append([]byte(nil), good...)
	bad[17] ^= 0xff
	p := NewPrinter(io.Discard, Options{Verbose: 1})
	got := transportLine(p, func() { p.tcp(good, len(good), ni) })
	want := "fd00:99::1.443 > fd00:99::2.50000: Flags [R.], cksum 0x" // then the value
	if !strings.HasPrefix(got, want) || !strings.Contains(got, " (correct), seq 1:7, ack 2, win 0, length 6 [RST no^Away]") {
		t.Errorf("got %s", got)
	}
	got = transportLine(p, func() { p.tcp(bad, len(bad), ni) })
	if !strings.Contains(got, " (incorrect -> 0x") {
		t.Errorf("a damaged checksum should be reported: %s", got)
	}
}

// TestTCPQuiet checks the -q form: the payload length only.
func TestTCPQuiet(t *testing.T) {
	p := NewPrinter(io.Discard, Options{Quiet: true})
	seg := tcpSegment(1, 2, 7, 0, tcpSYN, 10, nil, []byte("abc"))
	got := transportLine(p, func() { p.tcp(seg, len(seg), testNetInfo4()) })
	if want := "10.0.0.1.1 > 10.0.0.2.2: tcp 3"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestTCPTrackerStaysBounded checks that the tracker forgets old connections
// by generations, never by a random pick, so the output does not depend on
// map order.
func TestTCPTrackerStaysBounded(t *testing.T) {
	var tr tcpTracker
	tr.init()
	ni := testNetInfo4()
	for i := 0; i < 3*tcpTrackerMax; i++ {
		seq, ack := uint32(i), uint32(i)
		tr.relative(ni, uint16(i), uint16(i>>16)+1, false, &seq, &ack)
	}
	if n := len(tr.cur) + len(tr.old); n > 2*tcpTrackerMax {
		t.Fatalf("tracker holds %d connections, more than %d", n, 2*tcpTrackerMax)
	}
}

// TestTCPPrintAllocatesNothing checks that a segment of a known connection
// costs no allocation.
func TestTCPPrintAllocatesNothing(t *testing.T) {
	p := NewPrinter(io.Discard, Options{Verbose: 1})
	ni := testNetInfo4()
	seg := withChecksum(ni, ipProtoTCP, tcpSegment(40000, 5001, 1, 1, tcpACK|tcpPSH, 502, synOpts, []byte("hello")), 16)
	p.tcp(seg, len(seg), ni)
	allocs := testing.AllocsPerRun(100, func() {
		p.buf = p.buf[:0]
		p.tcp(seg, len(seg), ni)
	})
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
	f.Add(tcpSegment(40000, 80, 1, 2, tcpACK|tcpPSH, 10, synOpts, []byte("GET / HTTP/1.1\r\n")), uint8(0), false)
	f.Add(tcpSegment(1, 2, 7, 0, tcpSYN, 10, []byte{30, 20, 0x21, 0x81, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6}, nil), uint8(1), true)
	f.Add(udpDatagram(68, 67, append([]byte{1, 1, 6, 0}, make([]byte, 300)...)), uint8(0x11), false)
	f.Add(udpDatagram(40000, 4789, []byte{8, 0, 0, 0, 0, 0, 42, 0, 1, 2, 3}), uint8(0x10), true)
	f.Add(udpDatagram(547, 546, []byte{7, 1, 2, 3, 0, 1, 0, 2, 0, 1}), uint8(0x13), true)
	f.Fuzz(func(t *testing.T, seg []byte, mode uint8, v6 bool) {
		opt := Options{Verbose: int(mode & 3), Quiet: mode&4 != 0, Link: mode&8 != 0}
		ni := testNetInfo4()
		if v6 {
			ni = testNetInfo6()
		}
		length := len(seg) + int(mode>>5)
		p := NewPrinter(io.Discard, opt)
		if mode&0x10 != 0 {
			ni.proto = ipProtoUDP
			transportLine(p, func() { p.udp(seg, length, ni) })
		} else {
			transportLine(p, func() { p.tcp(seg, length, ni) })
		}
	})
}
