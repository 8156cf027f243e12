package decode

// Tests of the UDP printer and what it dispatches to by port (udp.go,
// bootp.go, dhcp6.go, ntp.go), against tcpdump when it is installed.

import (
	"encoding/binary"
	"strings"
	"testing"
)

// udpDatagram builds a UDP datagram with a zero checksum.
func udpDatagram(sport, dport uint16, payload []byte) []byte {
	u := make([]byte, 8, 8+len(payload))
	binary.BigEndian.PutUint16(u[0:], sport)
	binary.BigEndian.PutUint16(u[2:], dport)
	binary.BigEndian.PutUint16(u[4:], uint16(8+len(payload)))
	return append(u, payload...)
}

// testUDPFrame wraps a UDP datagram in Ethernet and IPv4 from 10.0.0.1 to
// 10.0.0.2 (or IPv6 from fd00:99::1 to fd00:99::2), its checksum left as it is.
func testUDPFrame(v6 bool, u []byte) []byte {
	if v6 {
		return etherFrame(testEtherIPv6, ip6Packet(testAddr6A, testAddr6B, wireProtoUDP, u))
	}
	return etherFrame(testEtherIPv4, ip4Hdr{src: testAddr4A, dst: testAddr4B, proto: wireProtoUDP, id: 1}.packet(u))
}

// TestUDPLines checks UDP headers: lengths that lie, and the -v checksum,
// IPv4 only from -vv.
func TestUDPLines(t *testing.T) {
	plain := udpDatagram(40000, 47000, []byte("hello"))
	long := udpDatagram(40000, 47000, []byte("hello"))
	binary.BigEndian.PutUint16(long[4:], 100)
	short := udpDatagram(40000, 47000, []byte("hello"))
	binary.BigEndian.PutUint16(short[4:], 4)
	summed6 := wireWithChecksum(ipAddr6(testAddr6A), ipAddr6(testAddr6B), wireProtoUDP, udpDatagram(40000, 47000, []byte("hello")), 6)
	bad6 := append([]byte(nil), summed6...)
	bad6[7] ^= 1
	tests := []struct {
		name   string
		opt    Options
		v6     bool
		b      []byte
		caplen int // of the datagram, 0 for all of it
		want   string
	}{
		{"plain", Options{}, false, plain, 0, "10.0.0.1.40000 > 10.0.0.2.47000: UDP, length 5"},
		{"quiet", Options{Quiet: true}, false, plain, 0, "10.0.0.1.40000 > 10.0.0.2.47000: UDP, length 5"},
		{"header claims more than the datagram", Options{}, false, long, 0, "10.0.0.1.40000 > 10.0.0.2.47000: UDP, bad length 92 > 5"},
		{"length field below 8", Options{}, false, short, 0, "10.0.0.1.40000 > 10.0.0.2.47000: truncated-udplength 4"},
		{"IPv4 checksum only from -vv, zero means none", Options{Verbose: 2}, false, plain, 0, "10.0.0.1.40000 > 10.0.0.2.47000: [no cksum] UDP, length 5"},
		{"IPv4 checksum not shown at -v", Options{Verbose: 1}, false, plain, 0, "10.0.0.1.40000 > 10.0.0.2.47000: UDP, length 5"},
		{"IPv6 checksum right", Options{Verbose: 1}, true, summed6, 0, "fd00:99::1.40000 > fd00:99::2.47000: [udp sum ok] UDP, length 5"},
		{"ports cut", Options{}, false, plain, 3, "10.0.0.1 > 10.0.0.2:  [|udp]"},
	}
	var pkts []testPacket
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			frame := testUDPFrame(tt.v6, tt.b)
			caplen := len(frame)
			if tt.caplen > 0 {
				caplen = len(frame) - len(tt.b) + tt.caplen
			}
			pkts = append(pkts, testCut(frame, caplen))
			src := testAddr4A
			if tt.v6 {
				src = testAddr6A
			}
			if got := testFromAddr(testPrintCut(t, tt.opt, frame, caplen), src); got != tt.want {
				t.Errorf("\n got %s\nwant %s", got, tt.want)
			}
		})
	}
	got := testPrintCut(t, Options{Verbose: 1}, testUDPFrame(true, bad6), 1<<20)
	want := "fd00:99::1.40000 > fd00:99::2.47000: [bad udp cksum 0x"
	if got = testFromAddr(got, testAddr6A); !strings.HasPrefix(got, want) {
		t.Errorf("a damaged checksum should be reported: %s", got)
	}
	testMatchTcpdumpPackets(t, append(pkts, testCut(testUDPFrame(true, bad6), 1<<20)))
}

// TestUDPDispatchesByPort checks that the port chooses the payload printer.
func TestUDPDispatchesByPort(t *testing.T) {
	query := joinWire(dnsHeader(77, 0x0100, 1, 0, 0, 0), dnsWireName("a.test"), wire16(1), wire16(1))
	tests := []struct {
		name   string
		b      []byte
		caplen int
		want   string
	}{
		// tcpdump 4.99.3 tries IKE on every datagram of port 4500 that is
		// not ESP nor a keepalive; the old printers decode no IKE and say
		// UDP. Either line passes, and this one is not compared with
		// tcpdump.
		{"DNS", udpDatagram(53000, 53, query), 0, "10.0.0.1.53000 > 10.0.0.2.53: 77+ A? a.test. (24)"},
		{"mDNS", udpDatagram(5353, 5353, query), 0, "10.0.0.1.5353 > 10.0.0.2.5353: 77+ A (QM)? a.test. (24)"},
		{"NTP", udpDatagram(40000, 123, append([]byte{0x23}, make([]byte, 47)...)), 0, "10.0.0.1.40000 > 10.0.0.2.123: NTPv4, Client, length 48"},
		{"NAT keepalive", udpDatagram(4500, 4500, []byte{0xff}), 0, "10.0.0.1.4500 > 10.0.0.2.4500: isakmp-nat-keep-alive"},
		{"ESP in UDP", udpDatagram(4500, 4500, joinWire(wire32(0x1234), wire32(7), make([]byte, 8))), 0,
			"10.0.0.1.4500 > 10.0.0.2.4500: UDP-encap: ESP(spi=0x00001234,seq=0x7), length 16"},
		{"ESP in UDP cut after its SPI", udpDatagram(4500, 4500, joinWire(wire32(0x1234), wire32(7))), 12,
			"10.0.0.1.4500 > 10.0.0.2.4500: UDP-encap:  [|esp]"},
		{"IKE in UDP is not decoded", udpDatagram(4500, 4500, make([]byte, 12)), 0, "10.0.0.1.4500 > 10.0.0.2.4500: UDP, length 12"},
	}
	var pkts []testPacket
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			frame := testUDPFrame(false, tt.b)
			caplen := len(frame)
			if tt.caplen > 0 {
				caplen = len(frame) - len(tt.b) + tt.caplen
			}
			if !strings.HasPrefix(tt.name, "IKE") {
				pkts = append(pkts, testCut(frame, caplen))
			}
			got := testFromAddr(testPrintCut(t, Options{}, frame, caplen), testAddr4A)
			if strings.HasPrefix(tt.name, "IKE") && got == "10.0.0.1.4500 > 10.0.0.2.4500: NONESP-encap:  [|isakmp]" {
				return
			}
			if got != tt.want {
				t.Errorf("\n got %s\nwant %s", got, tt.want)
			}
		})
	}
	testMatchTcpdumpPackets(t, pkts)
}

// udpFrame wraps a UDP payload in Ethernet and IPv4 (or IPv6) headers with
// correct checksums.
func udpFrame(v6 bool, sport, dport uint16, payload []byte) []byte {
	src, dst := ipAddr4(testAddr4A), ipAddr4(testAddr4B)
	if v6 {
		src, dst = ipAddr6(testAddr6A), ipAddr6(testAddr6B)
	}
	return testUDPFrame(v6, wireWithChecksum(src, dst, wireProtoUDP, udpDatagram(sport, dport, payload), 6))
}

// TestUDPApplicationsMatchTcpdump prints hand-made packets of the protocols
// tcpdump recognises by UDP port and compares them with tcpdump's lines.
func TestUDPApplicationsMatchTcpdump(t *testing.T) {
	ntp := make([]byte, 48)
	ntp[0], ntp[1], ntp[2], ntp[3] = 0x24, 2, 6, 0xe9
	copy(ntp[12:], []byte{192, 0, 2, 1})
	binary.BigEndian.PutUint32(ntp[24:], 3900000000)
	binary.BigEndian.PutUint32(ntp[32:], 3900000001)
	binary.BigEndian.PutUint32(ntp[36:], 0x80000000)
	binary.BigEndian.PutUint32(ntp[40:], 3900000001)
	dhcp := make([]byte, 240)
	dhcp[0], dhcp[1], dhcp[2] = 1, 1, 6
	copy(dhcp[4:], []byte{0xde, 0xad, 0xbe, 0xef})
	copy(dhcp[28:], []byte{2, 0x99, 0, 0, 0, 1})
	copy(dhcp[236:], []byte{99, 130, 83, 99})
	dhcp = joinWire(dhcp, []byte{53, 1, 1, 61, 7, 1, 2, 0x99, 0, 0, 0, 1, 12, 4, 'h', 'o', 's', 't',
		55, 5, 1, 3, 6, 15, 121, 50, 4, 10, 0, 0, 7, 255})
	dhcp6 := joinWire([]byte{1, 0x12, 0x34, 0x56}, []byte{0, 1, 0, 10, 0, 3, 0, 1, 2, 0x99, 0, 0, 0, 1},
		[]byte{0, 8, 0, 2, 0, 0}, []byte{0, 6, 0, 4, 0, 23, 0, 24},
		[]byte{0, 3, 0, 12, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0})
	frames := [][]byte{
		udpFrame(false, 40000, 123, ntp),
		udpFrame(false, 68, 67, dhcp),
		udpFrame(true, 546, 547, dhcp6),
		udpFrame(false, 40000, 514, []byte("<30>Jan  1 00:00:00 host prog: hello")),
		udpFrame(false, 40000, 69, []byte("\x00\x01boot.img\x00octet\x00blksize\x001432\x00")),
		udpFrame(true, 5353, 5353, joinWire(dnsHeader(0, 0x8400, 0, 1, 0, 0), dnsWireName("printer.local"),
			wire16(28), wire16(0x8001), []byte{0, 0, 0, 120}, wire16(16), make([]byte, 16))),
		udpFrame(false, 40000, 5060, []byte("OPTIONS sip:a@b SIP/2.0\r\nVia: x\r\n\r\n")),
		udpFrame(false, 4500, 4500, []byte{0xff}),
		udpFrame(true, 4500, 4500, joinWire(wire32(0xf4dc0ae5), wire32(1), make([]byte, 24))),
	}
	matchTcpdump(t, frames)
}
