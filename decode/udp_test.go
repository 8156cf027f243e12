//go:build !treedecode

package decode

// Tests of the UDP printer and what it dispatches to by port (udp.go,
// bootp.go, dhcp6.go, ntp.go), against tcpdump when it is installed.

import (
	"encoding/binary"
	"io"
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

// TestUDPLines checks UDP headers: lengths that lie, and the -v checksum,
// IPv4 only from -vv.
func TestUDPLines(t *testing.T) {
	ni4 := testNetInfo4()
	ni4.proto = ipProtoUDP
	ni6 := testNetInfo6()
	ni6.proto = ipProtoUDP
	plain := udpDatagram(40000, 47000, []byte("hello"))
	long := udpDatagram(40000, 47000, []byte("hello"))
	binary.BigEndian.PutUint16(long[4:], 100)
	short := udpDatagram(40000, 47000, []byte("hello"))
	binary.BigEndian.PutUint16(short[4:], 4)
	summed6 := withChecksum(ni6, ipProtoUDP, udpDatagram(40000, 47000, []byte("hello")), 6)
	bad6 := append([]byte(nil), summed6...)
	bad6[7] ^= 1
	tests := []struct {
		name string
		opt  Options
		ni   *netInfo
		b    []byte
		want string
	}{
		{"plain", Options{}, ni4, plain, "10.0.0.1.40000 > 10.0.0.2.47000: UDP, length 5"},
		{"quiet", Options{Quiet: true}, ni4, plain, "10.0.0.1.40000 > 10.0.0.2.47000: UDP, length 5"},
		{"header claims more than the datagram", Options{}, ni4, long, "10.0.0.1.40000 > 10.0.0.2.47000: UDP, bad length 92 > 5"},
		{"length field below 8", Options{}, ni4, short, "10.0.0.1.40000 > 10.0.0.2.47000: truncated-udplength 4"},
		{"IPv4 checksum only from -vv, zero means none", Options{Verbose: 2}, ni4, plain, "10.0.0.1.40000 > 10.0.0.2.47000: [no cksum] UDP, length 5"},
		{"IPv4 checksum not shown at -v", Options{Verbose: 1}, ni4, plain, "10.0.0.1.40000 > 10.0.0.2.47000: UDP, length 5"},
		{"IPv6 checksum right", Options{Verbose: 1}, ni6, summed6, "fd00:99::1.40000 > fd00:99::2.47000: [udp sum ok] UDP, length 5"},
		{"ports cut", Options{}, ni4, plain[:3], "10.0.0.1 > 10.0.0.2:  [|udp]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPrinter(io.Discard, tt.opt)
			length := len(tt.b)
			if length < 8 {
				length = 13
			}
			got := transportLine(p, func() { p.udp(tt.b, length, tt.ni) })
			if got != tt.want {
				t.Errorf("\n got %s\nwant %s", got, tt.want)
			}
		})
	}
	p := NewPrinter(io.Discard, Options{Verbose: 1})
	got := transportLine(p, func() { p.udp(bad6, len(bad6), ni6) })
	want := "fd00:99::1.40000 > fd00:99::2.47000: [bad udp cksum 0x"
	if len(got) < len(want) || got[:len(want)] != want {
		t.Errorf("a damaged checksum should be reported: %s", got)
	}
}

// TestUDPDispatchesByPort checks that the port chooses the payload printer.
func TestUDPDispatchesByPort(t *testing.T) {
	ni := testNetInfo4()
	ni.proto = ipProtoUDP
	query := joinWire(dnsHeader(77, 0x0100, 1, 0, 0, 0), dnsWireName("a.test"), wire16(1), wire16(1))
	tests := []struct {
		name string
		b    []byte
		want string
	}{
		{"DNS", udpDatagram(53000, 53, query), "10.0.0.1.53000 > 10.0.0.2.53: 77+ A? a.test. (24)"},
		{"mDNS", udpDatagram(5353, 5353, query), "10.0.0.1.5353 > 10.0.0.2.5353: 77+ A (QM)? a.test. (24)"},
		{"NTP", udpDatagram(40000, 123, append([]byte{0x23}, make([]byte, 47)...)), "10.0.0.1.40000 > 10.0.0.2.123: NTPv4, Client, length 48"},
		{"NAT keepalive", udpDatagram(4500, 4500, []byte{0xff}), "10.0.0.1.4500 > 10.0.0.2.4500: isakmp-nat-keep-alive"},
		{"ESP in UDP", udpDatagram(4500, 4500, joinWire(wire32(0x1234), wire32(7), make([]byte, 8))),
			"10.0.0.1.4500 > 10.0.0.2.4500: UDP-encap: ESP(spi=0x00001234,seq=0x7), length 16"},
		{"ESP in UDP cut after its SPI", udpDatagram(4500, 4500, joinWire(wire32(0x1234), wire32(7)))[:12],
			"10.0.0.1.4500 > 10.0.0.2.4500: UDP-encap:  [|esp]"},
		{"IKE in UDP is not decoded", udpDatagram(4500, 4500, make([]byte, 12)), "10.0.0.1.4500 > 10.0.0.2.4500: UDP, length 12"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPrinter(io.Discard, Options{})
			if got := transportLine(p, func() { p.udp(tt.b, len(tt.b), ni) }); got != tt.want {
				t.Errorf("\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

// udpFrame wraps a UDP payload in Ethernet and IPv4 (or IPv6) headers with
// correct checksums.
func udpFrame(v6 bool, sport, dport uint16, payload []byte) []byte {
	ni := testNetInfo4()
	if v6 {
		ni = testNetInfo6()
	}
	ni.proto = ipProtoUDP
	u := withChecksum(ni, ipProtoUDP, udpDatagram(sport, dport, payload), 6)
	if v6 {
		return etherFrame(etherTypeIPv6, ip6Packet("fd00:99::1", "fd00:99::2", ipProtoUDP, u))
	}
	return etherFrame(etherTypeIPv4, ip4Hdr{src: "10.0.0.1", dst: "10.0.0.2", proto: ipProtoUDP, id: 1}.packet(u))
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
