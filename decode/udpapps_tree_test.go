package decode

// Oracle tests of the tree decoder's UDP, DNS and small UDP applications
// (udp.go, dns.go, udpapps.go): hand-made packets printed by the installed
// tcpdump and by the Printer, line for line, in every oracle mode and -vvv.

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sockscope/sockscope/decode/wire"
)

var (
	udpTSrc4 = []byte{10, 0, 0, 1}
	udpTDst4 = []byte{10, 0, 0, 2}
	udpTSrc6 = []byte{0xfd, 0, 0, 0x99, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}
	udpTDst6 = []byte{0xfd, 0, 0, 0x99, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}
)

// udpTDatagram is a UDP datagram whose length field says ulen (-1: its
// real length), with its checksum set right (or spoiled when bad).
func udpTDatagram(v6 bool, sport, dport uint16, payload []byte, ulen int, bad bool) []byte {
	u := joinWire(wire16(sport), wire16(dport), wire16(0), wire16(0), payload)
	if ulen < 0 {
		ulen = len(u)
	}
	binary.BigEndian.PutUint16(u[4:], uint16(ulen))
	src, dst := udpTSrc4, udpTDst4
	if v6 {
		src, dst = udpTSrc6, udpTDst6
	}
	wireWithChecksum(src, dst, wireProtoUDP, u, 6)
	if bad {
		u[7] ^= 0x55
	}
	return u
}

// udpTFrame wraps a UDP datagram in Ethernet and IPv4 or IPv6.
func udpTFrame(v6 bool, u []byte) []byte {
	eth := joinWire([]byte{0, 1, 2, 3, 4, 5, 0, 0xa, 0xb, 0xc, 0xd, 0xe})
	if v6 {
		h := joinWire(wire32(6<<28), wire16(uint16(len(u))), []byte{wireProtoUDP, 64}, udpTSrc6, udpTDst6)
		return joinWire(eth, wire16(testEtherIPv6), h, u)
	}
	h := joinWire([]byte{0x45, 0}, wire16(uint16(20+len(u))), wire16(1), wire16(0), []byte{64, wireProtoUDP}, wire16(0), udpTSrc4, udpTDst4)
	binary.BigEndian.PutUint16(h[10:], wire.Checksum(h))
	return joinWire(eth, wire16(testEtherIPv4), h, u)
}

func udpTPacket(v6 bool, sport, dport uint16, payload []byte) []byte {
	return udpTFrame(v6, udpTDatagram(v6, sport, dport, payload, -1, false))
}

// udpTMatch compares pkts with tcpdump in the oracle modes and at -vvv.
func udpTMatch(t *testing.T, frames [][]byte, cuts ...int) {
	t.Helper()
	pkts := etherPackets(frames)
	for i, c := range cuts {
		if c > 0 && c < len(frames[i]) {
			pkts[i] = testCut(frames[i], c)
		}
	}
	needTcpdump(t)
	for i := range pkts {
		pkts[i].ci.Timestamp = time.Unix(1700000000, int64(i)*1000)
	}
	dir := t.TempDir()
	if d := os.Getenv("UDP_ORACLE_DIR"); d != "" {
		dir = d
	}
	path := filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "_")+".pcap")
	writeTestPcap(t, path, wire.LinkEthernet, pkts)
	for _, mode := range append(oracleModes, []string{"-n", "-vvv"}) {
		compareWithTcpdump(t, path, pkts, mode...)
	}
}

func TestTreeUDPHeaderForms(t *testing.T) {
	hello := []byte("hello world")
	var frames [][]byte
	for _, v6 := range []bool{false, true} {
		frames = append(frames,
			udpTFrame(v6, udpTDatagram(v6, 40001, 40000, hello, -1, false)),
			udpTFrame(v6, udpTDatagram(v6, 40001, 40000, hello, -1, true)),
			udpTFrame(v6, udpTDatagram(v6, 40001, 40000, hello, 8+len(hello)+4, false)),
			udpTFrame(v6, udpTDatagram(v6, 40001, 40000, hello, 8+len(hello)-4, false)),
			udpTFrame(v6, udpTDatagram(v6, 40001, 40000, hello, 4, false)),
			udpTFrame(v6, udpTDatagram(v6, 40001, 40000, hello, 0, false)),
			udpTFrame(v6, udpTDatagram(v6, 40001, 53, hello, -1, false)),
		)
	}
	// A zero IPv4 checksum is "no checksum".
	z := udpTDatagram(false, 40001, 40000, hello, -1, false)
	z[6], z[7] = 0, 0
	frames = append(frames, udpTFrame(false, z))
	udpTMatch(t, frames)
}

func TestTreeUDPCutHeaders(t *testing.T) {
	var frames [][]byte
	var cuts []int
	for _, port := range []uint16{7500, 4500, 69, 53, 3785, 40000} {
		f := udpTPacket(false, 40001, port, make([]byte, 40))
		for n := 2; n <= 9; n++ {
			frames = append(frames, f)
			cuts = append(cuts, 14+20+n)
		}
	}
	udpTMatch(t, frames, cuts...)
}

// TestTreeUDPPortPrecedence checks which of two known ports tcpdump's
// order picks, and the ports known on one side only.
func TestTreeUDPPortPrecedence(t *testing.T) {
	pay := make([]byte, 40)
	for i := range pay {
		pay[i] = 1
	}
	pairs := [][2]uint16{{53, 69}, {69, 53}, {4500, 500}, {500, 4500}, {49152, 3784}, {3784, 49152},
		{514, 69}, {69, 514}, {921, 53}, {40000, 3784}, {3784, 40000}, {49152, 40000}, {40000, 49152},
		{5353, 514}, {7500, 921}, {3785, 4784}}
	var frames [][]byte
	for _, pr := range pairs {
		frames = append(frames, udpTPacket(false, pr[0], pr[1], pay))
	}
	udpTMatch(t, frames)
}

// udpTName encodes a dotted name as labels.
func udpTName(name string) []byte {
	var b []byte
	for _, l := range strings.Split(name, ".") {
		if l != "" {
			b = append(b, byte(len(l)))
			b = append(b, l...)
		}
	}
	return append(b, 0)
}

func udpTDNSHeader(id, flags, qd, an, ns, ar uint16) []byte {
	return joinWire(wire16(id), wire16(flags), wire16(qd), wire16(an), wire16(ns), wire16(ar))
}

func udpTRR(name []byte, typ, class uint16, ttl uint32, rdata []byte) []byte {
	return joinWire(name, wire16(typ), wire16(class), wire32(ttl), wire16(uint16(len(rdata))), rdata)
}

func TestTreeDNSRecords(t *testing.T) {
	q := joinWire(udpTName("www.ex.test"), wire16(1), wire16(1))
	ptr := []byte{0xc0, 12}
	rdata := map[uint16][]byte{
		1:   {1, 2, 3, 4},
		2:   udpTName("ns.ex.test"),
		5:   udpTName("cn.ex.test"),
		6:   joinWire(udpTName("ns.ex.test"), udpTName("host.ex.test"), wire32(1), wire32(2), wire32(3), wire32(4), wire32(5)),
		12:  udpTName("ptr.ex.test"),
		13:  []byte("\x03cpu\x02os"),
		15:  joinWire(wire16(10), udpTName("mx.ex.test")),
		16:  []byte("\x05hello\x03a b"),
		28:  {0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
		33:  joinWire(wire16(1), wire16(2), wire16(443), udpTName("srv.ex.test")),
		38:  joinWire([]byte{64}, make([]byte, 8), udpTName("pfx.test")),
		39:  udpTName("dname.test"),
		46:  make([]byte, 30),
		99:  []byte("\x0bv=spf1 -all"),
		250: joinWire(udpTName("hmac-sha256"), make([]byte, 6), wire16(300), wire16(4), []byte("abcd"), wire16(12345), wire16(0), wire16(0)),
		256: joinWire(wire16(10), wire16(5), []byte("http://x")),
		257: []byte("\x00\x05issueca.test"),
	}
	var frames [][]byte
	for _, typ := range []uint16{1, 2, 5, 6, 12, 13, 15, 16, 28, 33, 38, 39, 46, 99, 250, 256, 257} {
		msg := joinWire(udpTDNSHeader(7, 0x8180, 1, 1, 0, 0), q, udpTRR(ptr, typ, 1, 3661, rdata[typ]))
		frames = append(frames, udpTPacket(false, 53, 40000, msg))
	}
	// Classes, mDNS (QU/QM, cache flush), TTLs.
	for _, class := range []uint16{3, 255, 0x8001} {
		msg := joinWire(udpTDNSHeader(8, 0x8400, 1, 1, 0, 0), joinWire(udpTName("a.local"), wire16(28), wire16(class)),
			udpTRR(ptr, 1, class, 604800+86400+61, []byte{10, 0, 0, 9}))
		frames = append(frames, udpTPacket(false, 53, 40000, msg), udpTPacket(true, 5353, 5353, msg))
	}
	udpTMatch(t, frames)
}

func TestTreeDNSHeaderAndEDNS(t *testing.T) {
	q := joinWire(udpTName("a"), wire16(1), wire16(1))
	opt := func(ext byte, do bool, opts ...[]byte) []byte {
		z := uint16(0)
		if do {
			z = 0x8000
		}
		data := joinWire(opts...)
		return joinWire([]byte{0}, wire16(41), wire16(1232), []byte{ext, 0}, wire16(z), wire16(uint16(len(data))), data)
	}
	o := func(code uint16, data []byte) []byte { return joinWire(wire16(code), wire16(uint16(len(data))), data) }
	var frames [][]byte
	for _, fl := range []uint16{0x0100, 0x0110, 0x0120, 0x0401, 0x0800, 0x2800, 0x7800} {
		frames = append(frames, udpTPacket(false, 40000, 53, joinWire(udpTDNSHeader(1, fl, 1, 0, 0, 0), q)))
	}
	for _, fl := range []uint16{0x8180, 0x8583, 0x8000, 0x87a0, 0xa805, 0xffef} {
		frames = append(frames, udpTPacket(false, 53, 40000, joinWire(udpTDNSHeader(2, fl, 1, 0, 0, 0), q)))
	}
	// Counts that do not match the message, queries with answers.
	frames = append(frames,
		udpTPacket(false, 53, 40000, joinWire(udpTDNSHeader(3, 0x8180, 2, 0, 0, 0), q, q)),
		udpTPacket(false, 40000, 53, joinWire(udpTDNSHeader(4, 0x0100, 0, 2, 0, 1), q)),
		udpTPacket(false, 53, 40000, joinWire(udpTDNSHeader(5, 0x8180, 1, 2, 3, 4), q)),
		udpTPacket(false, 53, 40000, udpTDNSHeader(6, 0x8180, 1, 0, 0, 0)[:11]))
	opts := [][]byte{
		o(3, nil), o(3, []byte{0, 0x11}), o(5, []byte{5, 8, 13, 253, 9}), o(6, []byte{1, 2, 3, 5}), o(7, []byte{1}),
		o(8, []byte{0, 1, 24, 0, 192, 0, 2}), o(8, []byte{0, 2, 48, 0, 0x20, 1, 0xd, 0xb8, 0, 0}), o(8, []byte{0, 3, 8, 0, 1}),
		o(9, nil), o(9, []byte{0, 0x12, 0x75, 0}), o(10, []byte{1, 2, 3, 4, 5, 6, 7, 8}),
		o(10, joinWire([]byte{1, 2, 3, 4, 5, 6, 7, 8}, make([]byte, 16))), o(10, []byte{1, 2, 3}),
		o(11, nil), o(11, []byte{4, 0xd2}), o(12, make([]byte, 6)), o(13, udpTName("foo.ex.test")), o(13, []byte{3, 'c', 'o', 'm'}),
		o(14, []byte{0x9c, 0x40}), o(14, []byte{1, 2, 3}), o(15, []byte{0, 18}), o(77, []byte{0xde, 0xad}),
	}
	for _, op := range opts {
		frames = append(frames, udpTPacket(false, 40000, 53, joinWire(udpTDNSHeader(9, 0x0100, 1, 0, 0, 1), q, opt(0, true, op))))
	}
	frames = append(frames,
		udpTPacket(false, 40000, 53, joinWire(udpTDNSHeader(10, 0x0100, 1, 0, 0, 1), q, opt(0, false, opts[5], opts[10], opts[15]))),
		udpTPacket(false, 53, 40000, joinWire(udpTDNSHeader(11, 0x8180, 1, 0, 0, 1), q, opt(1, false))),
		udpTPacket(false, 53, 40000, joinWire(udpTDNSHeader(12, 0x8187, 1, 0, 0, 1), q, opt(1, false))))
	udpTMatch(t, frames)
}

// TestTreeDNSNames checks escapes, compression pointers that loop or point
// forward, extended label types and names too long to print.
func TestTreeDNSNames(t *testing.T) {
	Q := joinWire(wire16(1), wire16(1))
	long := func(n, count int) []byte {
		var b []byte
		for i := 0; i < count; i++ {
			b = append(b, byte(n))
			b = append(b, strings.Repeat("x", n)...)
		}
		return append(b, 0)
	}
	names := [][]byte{
		[]byte("\x03a.b\x00"), []byte("\x03a\\b\x00"), []byte("\x04\x01\x7f\xff\x80\x00"),
		[]byte("\x01a\xc0\x20"), {0xc0, 12}, []byte("\x01a\xc0\x0c"),
		{0x41, 8, 0xff, 0}, {0x41, 3, 0xff, 0}, {0x41, 9, 0xff, 0x80, 0}, {0x42, 0}, {0x80, 0},
		long(63, 4), joinWire(long(63, 3)[:192], long(62, 1)), long(1, 140), long(2, 100), long(5, 50),
		[]byte("\x01a"),
	}
	var frames [][]byte
	for i, n := range names {
		frames = append(frames, udpTPacket(false, 40000, 53, joinWire(udpTDNSHeader(uint16(i), 0x0100, 1, 0, 0, 0), n, Q)))
	}
	// A name through a pointer chain in an answer, at -v.
	q := joinWire(udpTName("q.ex.test"), Q)
	ans := udpTRR([]byte{1, 'w', 0xc0, 12}, 5, 1, 60, []byte{3, 'w', 'e', 'b', 0xc0, 14})
	frames = append(frames, udpTPacket(false, 53, 40000, joinWire(udpTDNSHeader(99, 0x8180, 1, 1, 0, 0), q, ans)))
	udpTMatch(t, frames)
}

// TestTreeDNSCutShort cuts responses at every byte: how tcpdump ends each
// section depends on where the capture stops.
func TestTreeDNSCutShort(t *testing.T) {
	q := joinWire(udpTName("a"), wire16(1), wire16(1))
	a := udpTRR([]byte{0xc0, 12}, 1, 1, 60, []byte{1, 2, 3, 4})
	opt := joinWire([]byte{0}, wire16(41), wire16(512), wire32(0), wire16(0))
	var frames [][]byte
	var cuts []int
	for an := 1; an <= 3; an++ {
		msg := joinWire(udpTDNSHeader(uint16(an), 0x8180, 1, uint16(an), 0, 1), q)
		for i := 0; i < an; i++ {
			msg = joinWire(msg, a)
		}
		msg = joinWire(msg, opt)
		f := udpTPacket(false, 53, 40000, msg)
		for c := 12; c <= len(msg); c++ {
			frames = append(frames, f)
			cuts = append(cuts, 14+20+8+c)
		}
	}
	qs := joinWire(udpTDNSHeader(3, 0x8180, 3, 0, 0, 0), q, q, q)
	f := udpTPacket(false, 53, 40000, qs)
	for c := 12; c <= len(qs); c++ {
		frames = append(frames, f)
		cuts = append(cuts, 14+20+8+c)
	}
	udpTMatch(t, frames, cuts...)
}

func TestTreeDNSOverTCP(t *testing.T) {
	msg := joinWire(udpTDNSHeader(7, 0x0100, 1, 0, 0, 0), udpTName("a.test"), wire16(15), wire16(1))
	var frames [][]byte
	for _, pay := range [][]byte{
		joinWire(wire16(uint16(len(msg))), msg), joinWire(wire16(200), msg), msg, {0},
		joinWire(wire16(5), msg[:5]),
	} {
		seg := joinWire(wire16(40000), wire16(53), wire32(1000), wire32(2000), []byte{0x50, 0x18}, wire16(65535), wire16(0), wire16(0), pay)
		wireWithChecksum(udpTSrc4, udpTDst4, wireProtoTCP, seg, 16)
		h := joinWire([]byte{0x45, 0}, wire16(uint16(20+len(seg))), wire16(1), wire16(0), []byte{64, wireProtoTCP}, wire16(0), udpTSrc4, udpTDst4)
		binary.BigEndian.PutUint16(h[10:], wire.Checksum(h))
		frames = append(frames, joinWire([]byte{0, 1, 2, 3, 4, 5, 0, 0xa, 0xb, 0xc, 0xd, 0xe}, wire16(testEtherIPv4), h, seg))
	}
	udpTMatch(t, frames)
}

func TestTreeUDPApplications(t *testing.T) {
	var frames [][]byte
	for _, p := range [][]byte{
		[]byte("\x00\x01file\x00octet\x00"), []byte("\x00\x02f\x00netascii\x00blksize\x001432\x00tsize\x000\x00"),
		[]byte("\x00\x01f\x00octet\x00blk"), []byte("\x00\x03\x00\x05xxxx"), []byte("\x00\x04\x00\x07"), {0, 4},
		[]byte("\x00\x05\x00\x01File not found\x00"), []byte("\x00\x05\x00\x09oops\x00"), []byte("\x00\x06blksize\x001432\x00"),
		{0, 7}, {0, 1},
	} {
		frames = append(frames, udpTPacket(false, 40000, 69, p))
	}
	for _, p := range []string{"<13>hello", "<0>x", "<191>x\x00y", "<192>x", "<1234>x", "13>x", "<13", "<>x", "<13>\x01\x7f\xfftab\tx", ""} {
		frames = append(frames, udpTPacket(false, 40000, 514, []byte(p)))
	}
	for _, p := range [][]byte{{0xff}, {0xff, 0}, {0, 0}, make([]byte, 20), joinWire(wire32(0x1234), wire32(7)),
		joinWire(wire32(0x1234), wire32(7), make([]byte, 16)),
		joinWire(make([]byte, 4), []byte{1, 2, 3, 4, 5, 6, 7, 8}, make([]byte, 8), []byte{0, 0x20, 34, 8}, wire32(0), wire32(28))} {
		frames = append(frames, udpTPacket(false, 4500, 4500, p))
	}
	for _, hdr := range [][]byte{
		joinWire([]byte{1, 2, 3, 4, 5, 6, 7, 8}, make([]byte, 8), []byte{0, 0x10, 2, 1}, wire32(0), wire32(28)),
		joinWire([]byte{1, 2, 3, 4, 5, 6, 7, 8}, make([]byte, 8), []byte{0, 0x20, 34, 0x08}, wire32(5), wire32(28)),
		joinWire(make([]byte, 16), []byte{0, 0x10, 1, 0}, wire32(0), wire32(10)),
		make([]byte, 20),
	} {
		frames = append(frames, udpTPacket(false, 500, 500, hdr))
	}
	bfd := func(b0, b1 byte, auth []byte) []byte {
		return joinWire([]byte{b0, b1, 3, byte(24 + len(auth))}, wire32(1), wire32(2), wire32(1000000), wire32(300000), wire32(0), auth)
	}
	for _, port := range []uint16{3784, 4784, 6784} {
		frames = append(frames, udpTPacket(false, 49999, port, bfd(0x20, 0xc0, nil)),
			udpTPacket(false, 49999, port, bfd(0x27, 0x64, []byte("\x01\x09\x02secret"))),
			udpTPacket(false, 49999, port, bfd(0x20, 0x44, joinWire([]byte{2, 24, 2, 0}, wire32(5), make([]byte, 16)))),
			udpTPacket(false, 49999, port, bfd(0x20, 0x44, joinWire([]byte{4, 28, 2, 0}, wire32(5), make([]byte, 20)))),
			udpTPacket(false, 49999, port, bfd(0x00, 0x84, nil)),
			udpTPacket(false, 49999, port, bfd(0x40, 0xc0, nil)))
	}
	frames = append(frames, udpTPacket(false, 49999, 3785, make([]byte, 12)), udpTPacket(false, 49999, 3784, make([]byte, 10)))
	for _, w := range []uint32{0x78800001, 0x6a8103e8, 0x2c400000, 0xd8001046} {
		frames = append(frames, udpTPacket(false, 49152, 49153, joinWire(wire32(w), make([]byte, 20))))
	}
	frames = append(frames, udpTPacket(false, 49152, 49153, []byte{1, 2, 3}))
	for _, p := range [][]byte{joinWire(wire32(28), make([]byte, 24)), joinWire(wire32(0xd646ff02), make([]byte, 24), make([]byte, 8)),
		joinWire(wire32(1), wire16(7), wire16(1), make([]byte, 20)), make([]byte, 10)} {
		frames = append(frames, udpTPacket(false, 40000, 921, p))
	}
	udpTMatch(t, frames)
}
