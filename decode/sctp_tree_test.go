package decode

// Tests of the tree decoder's TCP (relative sequence numbers, options as
// tcpdump walks them, text protocols cut by the capture) and SCTP (chunks,
// M3UA) on hand-made packets, against the installed tcpdump.

import (
	"io"
	"testing"
)

// testSCTPFrame wraps SCTP chunks in Ethernet and IPv4 from 10.0.0.1 to
// 10.0.0.2.
func testSCTPFrame(sport, dport uint16, chunks ...[]byte) []byte {
	p := joinWire(wire16(sport), wire16(dport), wire32(0x01020304), wire32(0), joinWire(chunks...))
	return etherFrame(testEtherIPv4, ip4Hdr{src: testAddr4A, dst: testAddr4B, proto: wireProtoSCTP, id: 1}.packet(p))
}

// testSCTPChunk is a chunk with its length and padding.
func testSCTPChunk(typ, flags byte, body []byte) []byte {
	c := joinWire([]byte{typ, flags}, wire16(uint16(4+len(body))), body)
	for len(c)%4 != 0 {
		c = append(c, 0)
	}
	return c
}

func testSCTPData(flags byte, tsn uint32, sid, ssn uint16, ppid uint32, payload []byte) []byte {
	return testSCTPChunk(0, flags, joinWire(wire32(tsn), wire16(sid), wire16(ssn), wire32(ppid), payload))
}

func TestSCTPChunksMatchTcpdump(t *testing.T) {
	m3ua := func(class, typ byte, params ...[]byte) []byte {
		body := joinWire(params...)
		return joinWire([]byte{1, 0, class, typ}, wire32(uint32(8+len(body))), body)
	}
	param := func(tag uint16, v []byte) []byte {
		p := joinWire(wire16(tag), wire16(uint16(4+len(v))), v)
		for len(p)%4 != 0 {
			p = append(p, 0)
		}
		return p
	}
	frames := [][]byte{
		testSCTPFrame(2905, 2905, testSCTPData(3, 1, 2, 3, 3, m3ua(1, 1, param(0x0006, wire32(1)), param(0x0210, []byte("abcdefghijkl"))))),
		testSCTPFrame(2905, 2905, testSCTPData(3, 1, 2, 3, 3, m3ua(3, 3, param(0x0009, []byte("hb"))))),
		testSCTPFrame(2905, 2905, testSCTPData(3, 1, 2, 3, 3, []byte{1, 0})),
		testSCTPFrame(5000, 5001, testSCTPData(4, 7, 0, 9, 46, []byte("xyz")), testSCTPData(7, 8, 1, 10, 8, []byte("w"))),
		testSCTPFrame(5000, 5001, testSCTPData(3, 1, 2, 3, 0, nil)),
		testSCTPFrame(5000, 5001, testSCTPChunk(1, 0, joinWire(wire32(0x11), wire32(0x22), wire16(3), wire16(4), wire32(0x55)))),
		testSCTPFrame(5000, 5001, testSCTPChunk(2, 0, joinWire(wire32(0x11), wire32(0x22), wire16(3), wire16(4), wire32(0x55), wire32(0x00070008), wire32(0x01020304)))),
		testSCTPFrame(5000, 5001, testSCTPChunk(3, 0, joinWire(wire32(100), wire32(2000), wire16(2), wire16(1), wire16(2), wire16(3), wire16(5), wire16(6), wire32(99)))),
		testSCTPFrame(5000, 5001, testSCTPChunk(4, 0, joinWire(wire32(0x00010008), wire32(7))), testSCTPChunk(5, 0, nil), testSCTPChunk(6, 1, nil)),
		testSCTPFrame(5000, 5001, testSCTPChunk(7, 0, wire32(77)), testSCTPChunk(14, 0, nil), testSCTPChunk(99, 0, []byte{1, 2})),
		testSCTPFrame(5000, 5001, []byte{0, 3, 0, 2}),
		testSCTPFrame(6704, 5001, testSCTPData(3, 1, 2, 3, 0, []byte("x"))),
		testSCTPFrame(5000, 5001),
	}
	matchTcpdump(t, frames)
	var pkts []testPacket
	d := testSCTPFrame(5000, 5001, testSCTPData(3, 1, 2, 3, 46, []byte("xyzw")), testSCTPData(3, 1, 2, 3, 46, []byte("xyzw")))
	for _, cut := range []int{14 + 20 + 3, 14 + 20 + 12, 14 + 20 + 14, 14 + 20 + 30, 14 + 20 + 12 + 20 + 4} {
		pkts = append(pkts, testCut(d, cut))
	}
	testMatchTcpdumpPackets(t, pkts)
}

// TestTCPRelativeSequenceNumbers checks which segments fix a connection's
// bases: the first one with ACK, a SYN with ACK again; segments without ACK
// print absolute numbers and change nothing.
func TestTCPRelativeSequenceNumbers(t *testing.T) {
	const (
		syn, ack, psh = wireTCPSyn, wireTCPAck, wireTCPPsh
	)
	seg := func(back bool, seq, an uint32, flags uint8, payload string) []byte {
		sp, dp := uint16(40000), uint16(5001)
		if back {
			sp, dp = dp, sp
		}
		return testTCPFrame(back, tcpSegment(sp, dp, seq, an, flags, 1000, nil, []byte(payload)))
	}
	frames := [][]byte{
		seg(false, 100, 200, ack, "0123456789"), seg(true, 200, 110, ack, "abcde"), seg(false, 110, 205, ack, ""),
		seg(false, 300, 0, syn, ""), seg(false, 301, 205, ack, "q"),
		seg(true, 500, 700, syn|ack, ""), seg(false, 100, 501, ack, ""), seg(true, 501, 101, ack, ""),
		seg(false, 5, 0, psh, "xy"), seg(true, 0, 0, ack, ""),
	}
	matchTcpdump(t, frames)
}

// TestTCPOptionWalkMatchesTcpdump checks options whose length is not their
// size, options cut by the header's end or the capture, and MPTCP subtypes
// under each handshake flag.
func TestTCPOptionWalkMatchesTcpdump(t *testing.T) {
	var pkts []testPacket
	opts := [][]byte{
		{2, 6, 1, 2, 3, 4, 5, 0}, {3, 4, 5, 0}, {4, 6, 1, 2, 3, 4, 0, 0}, {8, 12, 0, 0, 0, 1, 0, 0, 0, 2, 1, 1},
		{1, 1, 2, 2}, {20, 2, 0, 0}, {20, 10, 15, 0, 1, 2, 3, 4, 5, 6, 7, 8}, {28, 4, 0x80, 0xff},
		{6, 6, 0, 0, 0, 1, 0, 0}, {13, 6, 0, 0, 0, 9, 0, 0}, {29, 3, 1, 0}, {34, 2, 0, 0}, {34, 7, 1, 2, 3, 4, 5, 0},
		{254, 4, 0xac, 0xc0}, {254, 4, 0xf9, 0x89}, {253, 4, 1, 2}, {5, 6, 0, 0, 0, 1, 1, 1}, {99, 3, 1, 0},
		{30, 4, 0x01, 0x81}, {30, 12, 0x10, 0x01, 0, 0, 0, 1, 0, 0, 0, 2}, {30, 8, 0x20, 0x01, 0, 0, 0, 5},
		{30, 8, 0x34, 0x01, 10, 0, 2, 1}, {30, 4, 0x40, 0x03}, {30, 4, 0x81, 0x02}, {30, 3, 0x20, 1},
	}
	for _, o := range opts {
		for _, fl := range []uint8{wireTCPSyn, wireTCPSyn | wireTCPAck, wireTCPAck} {
			f := testTCPFrame(false, tcpSegment(1, 2, 7, 9, fl, 1000, o, nil))
			pkts = append(pkts, testCut(f, len(f)))
		}
		f := testTCPFrame(false, tcpSegment(1, 2, 7, 9, wireTCPAck, 1000, append([]byte{1}, append(o, 0, 0, 0)...), nil))
		for cut := 14 + 20 + 20; cut <= len(f); cut += 3 {
			pkts = append(pkts, testCut(f, cut))
		}
	}
	testMatchTcpdumpPackets(t, pkts)
}

// TestTCPTextProtocolsCutMatchTcpdump cuts HTTP, WHOIS and SSH payloads at
// every byte.
func TestTCPTextProtocolsCutMatchTcpdump(t *testing.T) {
	var pkts []testPacket
	for _, c := range []struct {
		port    uint16
		payload string
	}{
		{80, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"}, {8080, "HTTP/1.1 200 OK\r\n"}, {43, "ab\r\ncd\r\n"},
		{22, "SSH-2.0-x\r\n"}, {554, "OPTIONS * RTSP/1.0\r\n"}, {80, "GET / HTTP/1.1"}, {80, "xyz\r\n"},
	} {
		f := testTCPFrame(false, tcpSegment(40000, c.port, 7, 9, wireTCPAck|wireTCPPsh, 1000, nil, []byte(c.payload)))
		for cut := 14 + 20 + 20; cut <= len(f); cut++ {
			pkts = append(pkts, testCut(f, cut))
		}
	}
	testMatchTcpdumpPackets(t, pkts)
}

func TestSCTPPrintAllocatesNothing(t *testing.T) {
	f := testSCTPFrame(5000, 5001, testSCTPData(3, 1, 2, 3, 46, []byte("xyzw")),
		testSCTPChunk(3, 0, joinWire(wire32(100), wire32(2000), wire16(1), wire16(0), wire16(2), wire16(3))))
	for _, opt := range []Options{{}, {Verbose: 2}} {
		p := NewPrinter(io.Discard, opt)
		pk := testCut(f, len(f))
		p.Print(pk.data, pk.ci, pk.link)
		if n := testing.AllocsPerRun(100, func() { p.Print(pk.data, pk.ci, pk.link) }); n != 0 {
			t.Errorf("%+v: %.1f allocations per packet", opt, n)
		}
	}
}
