package decode

// Tests of Print as a whole: capture headers, truncation, and the link
// printers against tcpdump in every output mode.

import (
	"bytes"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// linkPacket is one hand-made packet of the link printers' tests: its link
// type, captured bytes, length on the wire (0: as captured) and timestamp
// (zero: a fixed one).
type linkPacket struct {
	link   wire.LinkType
	data   []byte
	length int
	ts     time.Time
}

// packet is lp as a packet read from a file.
func (lp linkPacket) packet() testPacket {
	return testPacket{data: lp.data, ci: lp.captureInfo(), link: lp.link}
}

func (lp linkPacket) captureInfo() gopacket.CaptureInfo {
	ci := gopacket.CaptureInfo{Timestamp: lp.ts, CaptureLength: len(lp.data), Length: lp.length}
	if ci.Length == 0 && len(lp.data) > 0 {
		ci.Length = len(lp.data)
	}
	if ci.Timestamp.IsZero() {
		ci.Timestamp = time.Unix(1700000000, 123456000)
	}
	return ci
}

// linkPrint prints packets with opt (in UTC, interface names from this
// machine) and returns the output.
func linkPrint(t testing.TB, opt Options, pkts ...linkPacket) string {
	t.Helper()
	if opt.Location == nil {
		opt.Location = time.UTC
	}
	if opt.IfName == nil {
		opt.IfName = localIfName
	}
	var out bytes.Buffer
	p := NewPrinter(&out, opt)
	for _, lp := range pkts {
		if err := p.Print(lp.data, lp.captureInfo(), lp.link); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Flush(); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// linkLine prints one packet without a timestamp and returns its text
// without the final newline.
func linkLine(t testing.TB, opt Options, lp linkPacket) string {
	t.Helper()
	opt.Time = TimeNone
	return strings.TrimSuffix(linkPrint(t, opt, lp), "\n")
}

// TestInvalidCaptureHeadersPrintLikeTcpdump checks the line tcpdump prints
// for a capture header no printer may see.
func TestInvalidCaptureHeadersPrintLikeTcpdump(t *testing.T) {
	frame := linkEther(0x1234, make([]byte, 20))
	for _, tc := range []struct {
		data   []byte
		length int
		want   string
	}{
		{frame, 20, "[Invalid header: len(20) < caplen(34)]"},
		{frame, -1, "[Invalid header: len==0]"},
		{nil, -1, "[Invalid header: caplen==0, len==0]"},
		{nil, 10, "[Invalid header: caplen==0]"},
		{frame, 300000, "[Invalid header: len(300000) > 262144]"},
		{make([]byte, 262145), 262145, "[Invalid header: caplen(262145) > 262144, len(262145) > 262144]"},
	} {
		length := tc.length
		if length < 0 {
			length = 0
		}
		var out bytes.Buffer
		p := NewPrinter(&out, Options{Hex: 1})
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(1, 0), CaptureLength: len(tc.data), Length: length}
		if err := p.Print(tc.data, ci, wire.LinkEthernet); err != nil {
			t.Fatal(err)
		}
		p.Flush()
		if got := out.String(); got != tc.want+"\n" {
			t.Errorf("caplen %d len %d: got %q, want %q", len(tc.data), length, got, tc.want)
		}
	}
}

// TestTruncatedPacketDumpIncludesLinkHeader checks that a truncated packet's
// -x dump starts at the link header, as tcpdump's does.
func TestTruncatedPacketDumpIncludesLinkHeader(t *testing.T) {
	// An ARP header cut after 4 bytes: tcpdump marks it and, having left
	// the printers by longjmp, dumps the whole frame with -x.
	frame := linkEther(0x0806, []byte{0, 1, 8, 0})
	got := linkLine(t, Options{Hex: 1}, linkPacket{link: wire.LinkEthernet, data: frame, length: 60})
	want := " [|arp]\n\t0x0000:  ffff ffff ffff 0200 0000 0001 0806 0001\n\t0x0010:  0800"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestShortEthernetFrameIsTruncated checks a frame shorter than an Ethernet
// header.
func TestShortEthernetFrameIsTruncated(t *testing.T) {
	got := linkLine(t, Options{}, linkPacket{link: wire.LinkEthernet, data: []byte{1, 2, 3}, length: 60})
	if got != " [|ether]" {
		t.Errorf("got %q, want %q", got, " [|ether]")
	}
}

// TestSupportedLinkTypesAreTcpdumpsOnLinux checks that Supported answers as
// tcpdump on Linux does.
func TestSupportedLinkTypesAreTcpdumpsOnLinux(t *testing.T) {
	for _, l := range []wire.LinkType{wire.LinkNull, wire.LinkEthernet, wire.LinkRawOld, wire.LinkRaw, wire.LinkLoop, wire.LinkLinuxSLL, wire.LinkIPv4, wire.LinkIPv6, wire.LinkLinuxSLL2,
		wire.LinkIEEE80211, wire.LinkIEEE80211Radiotap, 9, 50, 104, 107, 8} {
		if !Supported(l) {
			t.Errorf("link type %d not supported", l)
		}
	}
	// tcpdump on Linux says "unknown data link type 14" (raw IP on OpenBSD only).
	for _, l := range []wire.LinkType{wire.LinkRawOld2, 1000} {
		if Supported(l) {
			t.Errorf("link type %d supported", l)
		}
	}
}

// The packets the oracle test compares: every link type, header form and
// ARP variant the link printers know, and truncations of each.
func linkOraclePackets() []linkPacket {
	var pkts []linkPacket
	add := func(link wire.LinkType, data []byte) { pkts = append(pkts, linkPacket{link: link, data: data}) }
	for _, f := range linkEtherFrames() {
		add(wire.LinkEthernet, f)
	}
	for _, a := range linkARPs() {
		add(wire.LinkEthernet, linkEther(0x0806, a))
		add(wire.LinkEthernet, linkEther(0x8035, a))
	}
	full := linkEther(0x0806, linkARPs()[0])
	for n := 1; n < len(full); n++ {
		pkts = append(pkts, linkPacket{link: wire.LinkEthernet, data: full[:n], length: len(full)})
	}
	for _, s := range linkCookedPayloads() {
		for _, pt := range []uint16{0, 4, 9} {
			add(wire.LinkLinuxSLL, linkSLL(pt, 1, s.proto, s.payload))
			for _, ifx := range []uint32{1, 999999} {
				add(wire.LinkLinuxSLL2, linkSLL2(uint8(pt), 1, ifx, s.proto, s.payload))
			}
		}
	}
	add(wire.LinkLinuxSLL, linkSLL(0, 803, 0x0800, make([]byte, 20))[:15])
	add(wire.LinkLinuxSLL2, linkSLL2(0, 1, 1, 0x0800, nil)[:19])
	for _, fam := range []uint32{2, 24, 28, 30, 6, 99, 0x02000000} {
		add(wire.LinkNull, append(wireLE32(fam), make([]byte, 20)...))
		add(wire.LinkLoop, append(wireLE32(fam), make([]byte, 20)...))
	}
	add(wire.LinkNull, []byte{2, 0})
	for _, l := range []wire.LinkType{wire.LinkRaw, wire.LinkRawOld, wire.LinkIPv4, wire.LinkIPv6} {
		add(l, append([]byte{0x15}, make([]byte, 30)...))
		add(l, []byte{0x45})
	}
	return pkts
}

// TestLinkPrintersMatchTcpdump prints the hand-made packets and compares,
// line for line, with what the installed tcpdump prints for the same pcap
// files, in each output mode.
func TestLinkPrintersMatchTcpdump(t *testing.T) {
	needTcpdump(t)
	byLink := map[wire.LinkType][]testPacket{}
	for _, lp := range linkOraclePackets() {
		lp.ts = time.Unix(1700000000, 123456000).Add(time.Duration(len(byLink[lp.link])) * 1500 * time.Millisecond)
		byLink[lp.link] = append(byLink[lp.link], lp.packet())
	}
	dir := t.TempDir()
	modes := [][]string{{"-n"}, {"-n", "-e"}, {"-n", "-q"}, {"-n", "-e", "-q"}, {"-n", "-v"},
		{"-n", "-e", "-v"}, {"-n", "-x"}, {"-n", "-xx"}, {"-n", "-X"}, {"-n", "-XX"}, {"-n", "-A"},
		{"-n", "-AA"}, {"-n", "-ttt"}}
	for link, pkts := range byLink {
		path := filepath.Join(dir, "link"+strconv.Itoa(int(link))+".pcap")
		writeTestPcap(t, path, link, pkts)
		for _, m := range modes {
			compareWithTcpdump(t, path, pkts, m...)
		}
	}
}

// TestLinkPrintAllocatesNothing checks the link printers' common paths stay
// allocation-free: Ethernet, VLAN, cooked v2 and ARP.
func TestLinkPrintAllocatesNothing(t *testing.T) {
	pkts := []linkPacket{
		{link: wire.LinkEthernet, data: linkEther(0x0806, linkARPs()[0])},
		{link: wire.LinkEthernet, data: linkEther(0x8100, append([]byte{0x20, 0x05, 0x08, 0x06}, linkARPs()[2]...))},
		{link: wire.LinkLinuxSLL2, data: linkSLL2(0, 1, 1, 0x0806, linkARPs()[0])},
		{link: wire.LinkLinuxSLL, data: linkSLL(4, 1, 0x0806, linkARPs()[2])},
	}
	var out bytes.Buffer
	for _, opt := range []Options{{}, {Link: true}, {Link: true, HexASCII: 1}, {Time: TimeDelta}} {
		opt.IfName = func(int) (string, bool) { return "eth0", true }
		p := NewPrinter(&out, opt)
		allocs := testing.AllocsPerRun(100, func() {
			for _, lp := range pkts {
				p.Print(lp.data, lp.captureInfo(), lp.link)
			}
			out.Reset()
		})
		if allocs != 0 {
			t.Errorf("%+v: %.1f allocations per run", opt, allocs)
		}
	}
}

// BenchmarkPrintLinkHeaders prints ARP in Ethernet, 802.1Q and cooked v2
// frames with -e and -X: the link printers' own work.
func BenchmarkPrintLinkHeaders(b *testing.B) {
	pkts := []linkPacket{
		{link: wire.LinkEthernet, data: linkEther(0x0806, linkARPs()[0])},
		{link: wire.LinkEthernet, data: linkEther(0x8100, append([]byte{0x20, 0x05, 0x08, 0x06}, linkARPs()[2]...))},
		{link: wire.LinkLinuxSLL2, data: linkSLL2(0, 1, 1, 0x0806, linkARPs()[0])},
	}
	p := NewPrinter(io.Discard, Options{Link: true, HexASCII: 1, IfName: func(int) (string, bool) { return "eth0", true }})
	var n int64
	for _, lp := range pkts {
		n += int64(len(lp.data))
	}
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		for _, lp := range pkts {
			p.Print(lp.data, lp.captureInfo(), lp.link)
		}
	}
}
