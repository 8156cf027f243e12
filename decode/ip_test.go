package decode

// Tests of the IPv4 printer and its dispatch (ip.go, gre.go, igmp.go), and
// the builders of IP and ICMP packets the other tests use.

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// Builders of hand-made packets for the IP, ICMP and ICMPv6 tests.

func ipAddr4(s string) []byte { a := netip.MustParseAddr(s).As4(); return a[:] }

func ipAddr6(s string) []byte { a := netip.MustParseAddr(s).As16(); return a[:] }

// ip4Hdr describes an IPv4 header; zero values are the usual ones.
type ip4Hdr struct {
	src, dst   string
	proto      uint8
	ttl        uint8
	tos        uint8
	id         uint16
	flagsOff   uint16 // flags and fragment offset (in 8-byte units)
	opts       []byte
	total      int  // total length field, 0 for the real one
	badSum     bool // leave the header checksum wrong
	noTTLGiven bool
}

func (h ip4Hdr) packet(payload []byte) []byte {
	hl := 20 + len(h.opts)
	total := hl + len(payload)
	if h.total != 0 {
		total = h.total
	}
	ttl := h.ttl
	if ttl == 0 && !h.noTTLGiven {
		ttl = 64
	}
	b := joinWire([]byte{0x40 | byte(hl/4), h.tos}, wire16(uint16(total)), wire16(h.id), wire16(h.flagsOff),
		[]byte{ttl, h.proto, 0, 0}, ipAddr4(h.src), ipAddr4(h.dst), h.opts)
	if !h.badSum {
		binary.BigEndian.PutUint16(b[10:], wire.Checksum(b))
	}
	return append(b, payload...)
}

func ip6Packet(src, dst string, nh uint8, payload []byte) []byte {
	return joinWire(wire32(6<<28), wire16(uint16(len(payload))), []byte{nh, 64}, ipAddr6(src), ipAddr6(dst), payload)
}

func icmpMsg(typ, code uint8, rest, body []byte) []byte {
	m := joinWire([]byte{typ, code, 0, 0}, rest, body)
	binary.BigEndian.PutUint16(m[2:], wire.Checksum(m))
	return m
}

func icmp6Msg(src, dst string, typ, code uint8, rest, body []byte) []byte {
	m := joinWire([]byte{typ, code, 0, 0}, rest, body)
	binary.BigEndian.PutUint16(m[2:], wire.Fold(wire.Sum(wire.PseudoHeaderSum(ipAddr6(src), ipAddr6(dst), wireProtoICMPv6, len(m)), m)))
	return m
}

func etherFrame(etherType uint16, payload []byte) []byte {
	return joinWire([]byte{2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}, wire16(etherType), payload)
}

// printFrames prints Ethernet frames with the given options, one string per
// frame, without timestamps.
func printFrames(t *testing.T, opt Options, frames ...[]byte) []string {
	t.Helper()
	opt.Time = TimeNone
	var out bytes.Buffer
	p := NewPrinter(&out, opt)
	for _, f := range frames {
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(1, 0), CaptureLength: len(f), Length: len(f)}
		if err := p.Print(f, ci, wire.LinkEthernet); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Flush(); err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
}

// TestChecksumVerdicts checks the -v verdicts on checksums: a right IPv4
// header checksum says nothing, a wrong one says what it should be, and an
// ICMP checksum holding 0x1234 says the value that belongs there.
func TestChecksumVerdicts(t *testing.T) {
	m := icmpMsg(8, 0, []byte{0, 1, 0, 1}, nil)
	right := binary.BigEndian.Uint16(m[2:])
	bad := append([]byte(nil), m...)
	binary.BigEndian.PutUint16(bad[2:], 0x1234)
	h := ip4Hdr{src: "10.1.2.3", dst: "10.4.5.6", proto: wireProtoICMP, id: 1}
	good := printFrames(t, Options{Verbose: 1}, etherFrame(testEtherIPv4, h.packet(m)))
	if s := strings.Join(good, "\n"); strings.Contains(s, "cksum") {
		t.Errorf("right checksums reported: %s", s)
	}
	got := strings.Join(printFrames(t, Options{Verbose: 1}, etherFrame(testEtherIPv4, h.packet(bad))), "\n")
	if want := fmt.Sprintf("(wrong icmp cksum 1234 (->%x)!)", right); !strings.Contains(got, want) {
		t.Errorf("got %s\nwant it to contain %s", got, want)
	}
	h.badSum = true
	got = strings.Join(printFrames(t, Options{Verbose: 1}, etherFrame(testEtherIPv4, h.packet(m))), "\n")
	if !strings.Contains(got, ", bad cksum 0 (->") {
		t.Errorf("a wrong header checksum should be reported: %s", got)
	}
	matchTcpdump(t, [][]byte{etherFrame(testEtherIPv4, h.packet(m)), etherFrame(testEtherIPv4, ip4Hdr{src: "10.1.2.3", dst: "10.4.5.6", proto: wireProtoICMP}.packet(bad))})
}

// TestPseudoHeaderFollowsSourceRoute checks that the transport checksum
// is verified with the last address of a source route, as the receiver
// will: a UDP checksum computed so is right.
func TestPseudoHeaderFollowsSourceRoute(t *testing.T) {
	lsrr := joinWire([]byte{131, 11, 4}, ipAddr4("1.1.1.1"), ipAddr4("2.2.2.2"), []byte{0})
	u := wireWithChecksum(ipAddr4("10.0.0.1"), ipAddr4("2.2.2.2"), wireProtoUDP, udpDatagram(40000, 47000, []byte("hello")), 6)
	f4 := etherFrame(testEtherIPv4, ip4Hdr{src: "10.0.0.1", dst: "10.0.0.2", proto: wireProtoUDP, opts: lsrr}.packet(u))
	u6 := wireWithChecksum(ipAddr6("fe80::1"), ipAddr6("2001:db8::99"), wireProtoUDP, udpDatagram(40000, 47000, []byte("hello")), 6)
	rt := joinWire([]byte{wireProtoUDP, 2, 0, 1, 0, 0, 0, 0}, ipAddr6("2001:db8::99"))
	f6 := etherFrame(testEtherIPv6, ip6Packet("fe80::1", "2001:db8::1", wireProtoRouting, joinWire(rt, u6)))
	for _, f := range [][]byte{f4, f6} {
		got := strings.Join(printFrames(t, Options{Verbose: 2}, f), "\n")
		if !strings.Contains(got, "[udp sum ok]") {
			t.Errorf("checksum over the route's last address not right: %s", got)
		}
	}
	matchTcpdump(t, [][]byte{f4, f6})
}

// TestIPv4Lines checks the IPv4 header with -v: options, fragments, flags and
// a wrong checksum.
func TestIPv4Lines(t *testing.T) {
	echo := icmpMsg(8, 0, []byte{0, 77, 0, 3}, []byte("abcdefgh"))
	rr := joinWire([]byte{7, 11, 8}, ipAddr4("1.2.3.4"), ipAddr4("0.0.0.0"), []byte{1})
	base := ip4Hdr{src: "10.1.2.3", dst: "10.4.5.6", proto: wireProtoICMP, id: 1}
	withOpts, frag, df, bad := base, base, base, base
	withOpts.opts = rr
	frag.flagsOff = 64
	df.flagsOff, df.tos = 0x4000, 0x02
	bad.badSum = true
	tests := []struct {
		name string
		opt  Options
		pkt  []byte
		want string
	}{
		{"echo", Options{}, base.packet(echo),
			"IP 10.1.2.3 > 10.4.5.6: ICMP echo request, id 77, seq 3, length 16"},
		{"verbose", Options{Verbose: 1}, df.packet(echo),
			"IP (tos 0x2,ECT(0), ttl 64, id 1, offset 0, flags [DF], proto ICMP (1), length 36)\n" +
				"    10.1.2.3 > 10.4.5.6: ICMP echo request, id 77, seq 3, length 16"},
		{"record route", Options{Verbose: 1}, withOpts.packet(echo),
			"IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto ICMP (1), length 48, options (RR 1.2.3.4, 0.0.0.0,NOP))\n" +
				"    10.1.2.3 > 10.4.5.6: ICMP echo request, id 77, seq 3, length 16"},
		{"bad checksum", Options{Verbose: 1}, bad.packet(echo),
			"IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto ICMP (1), length 36, bad cksum 0 (->5fcb)!)\n" +
				"    10.1.2.3 > 10.4.5.6: ICMP echo request, id 77, seq 3, length 16"},
		{"later fragment", Options{}, frag.packet(echo),
			"IP 10.1.2.3 > 10.4.5.6: ip-proto-1"},
		{"link header", Options{Link: true}, base.packet(echo),
			"02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 50: " +
				"10.1.2.3 > 10.4.5.6: ICMP echo request, id 77, seq 3, length 16"},
		{"unknown protocol", Options{}, ip4Hdr{src: "10.1.2.3", dst: "10.4.5.6", proto: 200}.packet(make([]byte, 10)),
			"IP 10.1.2.3 > 10.4.5.6:  ip-proto-200 10"},
		{"total length past the frame", Options{}, ip4Hdr{src: "10.1.2.3", dst: "10.4.5.6", proto: 1, total: 200}.packet(echo),
			"IP truncated-ip - 164 bytes missing! 10.1.2.3 > 10.4.5.6: ICMP echo request, id 77, seq 3, length 180"},
		{"header longer than total", Options{}, ip4Hdr{src: "10.1.2.3", dst: "10.4.5.6", proto: 1, total: 10}.packet(echo),
			"IP bad-len 10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := printFrames(t, tt.opt, etherFrame(testEtherIPv4, tt.pkt))
			if strings.Join(got, "\n") != tt.want {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), tt.want)
			}
		})
	}
}

// TestIPDispatchAllocatesNothing checks that the IP printers and their
// dispatch keep to the reused buffer at every -v level.
func TestIPDispatchAllocatesNothing(t *testing.T) {
	echo := icmpMsg(8, 0, []byte{0, 77, 0, 3}, make([]byte, 56))
	probe := ip4Hdr{src: "10.4.5.6", dst: "10.1.2.3", proto: wireProtoICMP, ttl: 1}.packet(echo)
	mac := []byte{2, 0x99, 0, 0, 1, 0xfe}
	frames := [][]byte{
		etherFrame(testEtherIPv4, ip4Hdr{src: "10.1.2.3", dst: "10.4.5.6", proto: wireProtoICMP}.packet(echo)),
		etherFrame(testEtherIPv4, ip4Hdr{src: "10.1.2.3", dst: "10.4.5.6", proto: wireProtoICMP,
			opts: []byte{7, 7, 4, 1, 2, 3, 4, 0}}.packet(icmpMsg(11, 0, make([]byte, 4), probe))),
		etherFrame(testEtherIPv4, ip4Hdr{src: "10.1.2.3", dst: "10.4.5.6", proto: wireProtoGRE}.packet(
			joinWire([]byte{0x20, 0, 0x08, 0}, wire32(7), probe))),
		etherFrame(testEtherIPv6, ip6Packet("fd00::1", "fd00::2", wireProtoICMPv6,
			icmp6Msg("fd00::1", "fd00::2", 128, 0, []byte{0, 9, 0, 1}, make([]byte, 56)))),
		etherFrame(testEtherIPv6, ip6Packet("fe80::1", "ff02::1", wireProtoICMPv6,
			icmp6Msg("fe80::1", "ff02::1", 134, 0, []byte{64, 0xc0, 0x07, 0x08}, joinWire(make([]byte, 8),
				[]byte{1, 1}, mac, []byte{31, 3, 0, 0}, wire32(60), dnsWireName("example.test"), make([]byte, 2))))),
		etherFrame(testEtherIPv6, ip6Packet("fe80::1", "ff02::16", wireProtoHopOpts, joinWire(
			[]byte{wireProtoICMPv6, 0, 5, 2, 0, 0, 1, 0}, icmp6Msg("fe80::1", "ff02::16", 143, 0, []byte{0, 0, 0, 1},
				joinWire([]byte{4, 0, 0, 0}, ipAddr6("ff02::fb")))))),
	}
	for _, v := range []int{0, 1, 2} {
		p := NewPrinter(io.Discard, Options{Verbose: v, Location: time.UTC})
		for _, f := range frames {
			ci := gopacket.CaptureInfo{Timestamp: time.Unix(1, 0), CaptureLength: len(f), Length: len(f)}
			if err := p.Print(f, ci, wire.LinkEthernet); err != nil {
				t.Fatal(err)
			}
			allocs := testing.AllocsPerRun(100, func() {
				if err := p.Print(f, ci, wire.LinkEthernet); err != nil {
					t.Fatal(err)
				}
			})
			if allocs != 0 {
				t.Errorf("-v=%d: printing %d bytes allocated %v times", v, len(f), allocs)
			}
		}
	}
}

// TestRealCapturesMatchTcpdump compares the ICMP, ICMPv6 and fragment
// captures of testdata/ with tcpdump in every oracle mode.
func TestRealCapturesMatchTcpdump(t *testing.T) {
	needTcpdump(t)
	for _, name := range []string{"arp-icmp.pcap", "icmp6-nd.pcap", "frag.pcap", "raw-ip.pcap"} {
		t.Run(name, func(t *testing.T) {
			pkts := readTestdata(t, name)
			for _, mode := range oracleModes {
				compareWithTcpdump(t, testdataPath(name), pkts, mode...)
			}
		})
	}
}

// TestIPv4EdgeCasesMatchTcpdump prints hand-made IPv4 datagrams that real
// traffic seldom has: options of every kind, fragments, broken lengths and
// the protocols the dispatch knows besides TCP and UDP.
func TestIPv4EdgeCasesMatchTcpdump(t *testing.T) {
	a, b := "10.1.2.3", "10.4.5.6"
	echo := icmpMsg(8, 0, []byte{0, 77, 0, 3}, []byte(strings.Repeat("abcdefgh", 4)))
	h := func(mod func(*ip4Hdr)) ip4Hdr {
		x := ip4Hdr{src: a, dst: b, proto: wireProtoICMP, id: 1}
		if mod != nil {
			mod(&x)
		}
		return x
	}
	withOpts := func(o ...byte) []byte { return h(func(x *ip4Hdr) { x.opts = o }).packet(echo) }
	var pkts [][]byte
	add := func(p []byte) { pkts = append(pkts, etherFrame(testEtherIPv4, p)) }
	add(h(nil).packet(echo))
	add(h(func(x *ip4Hdr) { x.tos, x.ttl, x.noTTLGiven, x.flagsOff = 0xb9, 0, true, 0x4000 }).packet(echo))
	add(h(func(x *ip4Hdr) { x.tos, x.flagsOff = 0x03, 0xe000 }).packet(echo))
	add(h(func(x *ip4Hdr) { x.badSum = true }).packet(echo))
	add(withOpts(joinWire([]byte{7, 11, 8}, ipAddr4("1.2.3.4"), ipAddr4("0.0.0.0"), []byte{1})...))
	add(withOpts(joinWire([]byte{68, 12, 9, 0}, wire32(1234), wire32(0))...))
	add(withOpts(joinWire([]byte{68, 20, 21, 0x21}, ipAddr4("1.2.3.4"), wire32(99), ipAddr4("5.6.7.8"), wire32(77))...))
	add(withOpts(148, 4, 0, 0))
	add(withOpts(148, 4, 0, 9))
	add(withOpts(1, 1, 1, 0))
	add(withOpts(joinWire([]byte{131, 11, 4}, ipAddr4("1.1.1.1"), ipAddr4("2.2.2.2"), []byte{0})...))
	add(withOpts(joinWire([]byte{137, 7, 4}, ipAddr4("1.1.1.1"))...))
	add(withOpts(joinWire([]byte{130, 11}, make([]byte, 10))...))
	add(withOpts(joinWire([]byte{82, 12}, make([]byte, 10))...))
	add(withOpts(99, 4, 0, 0))
	add(withOpts(7, 1, 0, 0))
	add(withOpts(7, 2, 0, 0))
	add(withOpts(joinWire([]byte{68, 40, 5, 0}, make([]byte, 8))...))
	add(withOpts(joinWire([]byte{68, 12, 0, 2}, make([]byte, 8))...))
	big := icmpMsg(8, 0, []byte{0, 5, 0, 6}, bytes.Repeat([]byte{1, 2, 3, 4}, 256))
	add(h(func(x *ip4Hdr) { x.id, x.flagsOff, x.total = 99, 0x2000, 20+512 }).packet(big[:512]))
	add(h(func(x *ip4Hdr) { x.id, x.flagsOff = 99, 64 }).packet(big[512:]))
	add(h(func(x *ip4Hdr) { x.total = 30 }).packet(echo))
	add(h(func(x *ip4Hdr) { x.total = 10 }).packet(echo))
	add(h(nil).packet(echo)[:10])
	add(h(func(x *ip4Hdr) { x.total = 200 }).packet(echo))
	short := h(nil).packet(echo)
	short[0] = 0x44
	add(short)
	long := h(nil).packet(echo)
	long[0] = 0x4f
	add(long)
	v5 := h(nil).packet(echo)
	v5[0] = 0x55
	add(v5)
	v6 := h(nil).packet(echo)
	v6[0] = 0x65
	add(v6)
	add(h(nil).packet([]byte{8}))
	for _, proto := range []uint8{77, 200, 108, 58, 50, 51, 47, 112, 4, 41} {
		var payload []byte
		switch proto {
		case wireProtoESP:
			payload = joinWire(wire32(0x1234), wire32(7), make([]byte, 20))
		case wireProtoAH:
			payload = joinWire([]byte{1, 4, 0, 0}, wire32(0x100), wire32(9), bytes.Repeat([]byte{0xaa}, 12), echo)
		case wireProtoGRE:
			payload = joinWire(wire16(0), wire16(testEtherIPv4), h(nil).packet(echo))
		case wireProtoVRRP:
			vr := joinWire([]byte{0x21, 5, 100, 2, 0, 1, 0, 0}, ipAddr4("10.0.0.254"), ipAddr4("10.0.0.253"), make([]byte, 8))
			binary.BigEndian.PutUint16(vr[6:], wire.Checksum(vr))
			payload = vr
		case wireProtoIPv4:
			payload = h(nil).packet(echo)
		case wireProtoIPv6:
			payload = ip6Packet("fe80::1", "2001:db8::1", wireProtoICMPv6,
				icmp6Msg("fe80::1", "2001:db8::1", 128, 0, []byte{0, 1, 0, 2}, nil))
		case 108:
			payload = joinWire([]byte{4, 0}, wire16(0x1234), make([]byte, 8))
		default:
			payload = make([]byte, 10)
		}
		add(h(func(x *ip4Hdr) { x.proto = proto }).packet(payload))
	}
	gre := func(flags, proto uint16, extra []byte, inner []byte) []byte {
		return h(func(x *ip4Hdr) { x.proto = wireProtoGRE }).packet(joinWire(wire16(flags), wire16(proto), extra, inner))
	}
	add(gre(0x3000, testEtherIPv6, joinWire(wire32(42), wire32(7)), ip6Packet("fe80::1", "2001:db8::1", wireProtoICMPv6,
		icmp6Msg("fe80::1", "2001:db8::1", 128, 0, []byte{0, 1, 0, 2}, nil))))
	add(gre(0, 0x6558, nil, etherFrame(testEtherIPv4, h(nil).packet(echo))))
	add(gre(0, 0x88be, nil, make([]byte, 20)))
	add(gre(0x8000, testEtherIPv4, wire32(0), h(nil).packet(echo)))
	add(gre(0x0005, testEtherIPv4, nil, nil))
	igmp := func(typ, mrt uint8, group string, extra []byte) []byte {
		m := joinWire([]byte{typ, mrt, 0, 0}, ipAddr4(group), extra)
		binary.BigEndian.PutUint16(m[2:], wire.Checksum(m))
		return h(func(x *ip4Hdr) { x.proto, x.ttl, x.dst = wireProtoIGMP, 1, "224.0.0.1" }).packet(m)
	}
	add(igmp(0x11, 100, "0.0.0.0", nil))
	add(igmp(0x11, 0, "0.0.0.0", nil))
	add(igmp(0x11, 50, "239.1.1.1", nil))
	add(igmp(0x11, 100, "0.0.0.0", []byte{2, 0x7d, 0, 0}))
	add(igmp(0x11, 200, "239.1.1.1", joinWire([]byte{0x0a, 0x7d, 0, 2}, ipAddr4("1.1.1.1"), ipAddr4("2.2.2.2"))))
	add(igmp(0x12, 0, "239.1.1.1", nil))
	add(igmp(0x16, 0, "239.1.1.1", nil))
	add(igmp(0x17, 0, "239.1.1.1", nil))
	add(igmp(0x22, 0, "0.0.0.2", joinWire([]byte{4, 0, 0, 0}, ipAddr4("239.1.1.1"),
		[]byte{1, 0, 0, 2}, ipAddr4("239.2.2.2"), ipAddr4("1.1.1.1"), ipAddr4("2.2.2.2"))))
	add(igmp(0x1f, 0, "0.0.0.0", joinWire(ipAddr4("1.1.1.1"), ipAddr4("2.2.2.2"), ipAddr4("224.0.0.9"), []byte{5, 0, 1, 2})))
	add(igmp(0x55, 0, "0.0.0.0", nil))
	matchTcpdump(t, pkts)
}

// FuzzIPLayers feeds arbitrary bytes to the IPv4 and IPv6 printers (and
// everything they dispatch to) in every output mode: any panic other than
// the truncation mark is a bug.
func FuzzIPLayers(f *testing.F) {
	echo := icmpMsg(8, 0, []byte{0, 1, 0, 1}, []byte("seed"))
	f.Add(ip4Hdr{src: "10.0.0.1", dst: "10.0.0.2", proto: wireProtoICMP}.packet(echo))
	f.Add(ip4Hdr{src: "10.0.0.1", dst: "10.0.0.2", proto: wireProtoICMP,
		opts: []byte{68, 12, 9, 0, 0, 0, 0, 1, 0, 0, 0, 0}}.packet(icmpMsg(11, 0, make([]byte, 4),
		ip4Hdr{src: "10.0.0.2", dst: "10.0.0.1", proto: wireProtoICMP}.packet(echo))))
	f.Add(ip6Packet("fe80::1", "ff02::1", wireProtoHopOpts, joinWire([]byte{wireProtoICMPv6, 0, 5, 2, 0, 0, 1, 0},
		icmp6Msg("fe80::1", "ff02::1", 143, 0, []byte{0, 0, 0, 1}, joinWire([]byte{4, 0, 0, 0}, ipAddr6("ff02::fb"))))))
	f.Add(ip6Packet("fe80::1", "ff02::1", wireProtoICMPv6, icmp6Msg("fe80::1", "ff02::1", 134, 0,
		[]byte{64, 0xc0, 0x07, 0x08}, joinWire(make([]byte, 8), []byte{31, 3, 0, 0}, wire32(60),
			[]byte{7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0xc0, 0x08, 0, 0, 0, 0, 0}))))
	f.Add(ip6Packet("fe80::1", "2001:db8::1", wireProtoFragment, joinWire([]byte{wireProtoUDP, 0, 0, 1}, wire32(7), make([]byte, 16))))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, opt := range []Options{{}, {Verbose: 1}, {Verbose: 3, Link: true}, {HexASCII: 1}} {
			p := NewPrinter(io.Discard, opt)
			for _, length := range []int{len(data), len(data) + 100} {
				ci := gopacket.CaptureInfo{Timestamp: time.Unix(1, 0), CaptureLength: len(data), Length: length}
				if err := p.Print(data, ci, wire.LinkRaw); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}

// BenchmarkPrintOneLineICMP prints the echo requests and replies of a real
// capture as tcpdump -n does.
func BenchmarkPrintOneLineICMP(b *testing.B) {
	benchCapture(b, "arp-icmp.pcap", testEtherIPv4, wireProtoICMP, Options{})
}

// BenchmarkPrintVerboseICMP6 prints the neighbor discovery and echo messages
// of a real capture as tcpdump -n -v does, options and checksums included.
func BenchmarkPrintVerboseICMP6(b *testing.B) {
	benchCapture(b, "icmp6-nd.pcap", testEtherIPv6, wireProtoICMPv6, Options{Verbose: 1})
}
