package decode

import (
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/gopacket"
)

// benchPacket is one packet of a capture file read for a test or benchmark.
type benchPacket struct {
	data []byte
	ci   gopacket.CaptureInfo
}

// readBenchPcap reads a classic pcap file (either byte order, micro- or
// nanosecond stamps) from testdata/. It is deliberately tiny: the decode
// package must not import capture/, and these tests only need real bytes.
func readBenchPcap(tb testing.TB, name string) (LinkType, []benchPacket) {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "testdata", name))
	if err != nil {
		tb.Skipf("capture not available: %v", err)
	}
	if len(raw) < 24 {
		tb.Fatalf("%s: too short for a pcap header", name)
	}
	var order binary.ByteOrder
	nano := false
	switch binary.LittleEndian.Uint32(raw) {
	case 0xa1b2c3d4:
		order = binary.LittleEndian
	case 0xa1b23c4d:
		order, nano = binary.LittleEndian, true
	default:
		switch binary.BigEndian.Uint32(raw) {
		case 0xa1b2c3d4:
			order = binary.BigEndian
		case 0xa1b23c4d:
			order, nano = binary.BigEndian, true
		default:
			tb.Skipf("%s: not a classic pcap file", name)
		}
	}
	link := LinkType(order.Uint32(raw[20:]) & 0x0fffffff)
	var pkts []benchPacket
	for off := 24; off+16 <= len(raw); {
		sec, frac := order.Uint32(raw[off:]), order.Uint32(raw[off+4:])
		caplen, length := int(order.Uint32(raw[off+8:])), int(order.Uint32(raw[off+12:]))
		off += 16
		if caplen > len(raw)-off {
			break
		}
		ns := int64(frac) * 1000
		if nano {
			ns = int64(frac)
		}
		pkts = append(pkts, benchPacket{
			data: raw[off : off+caplen : off+caplen],
			ci: gopacket.CaptureInfo{Timestamp: time.Unix(int64(sec), ns), CaptureLength: caplen,
				Length: length},
		})
		off += caplen
	}
	return link, pkts
}

// benchSelect keeps the Ethernet frames of the given EtherType whose IP
// payload is of protocol proto (no IPv6 extension headers).
func benchSelect(pkts []benchPacket, etherType uint16, proto uint8) []benchPacket {
	var out []benchPacket
	for _, pk := range pkts {
		d := pk.data
		if len(d) < 14+40 || binary.BigEndian.Uint16(d[12:]) != etherType {
			continue
		}
		switch etherType {
		case etherTypeIPv4:
			if d[14+9] != proto {
				continue
			}
		case etherTypeIPv6:
			if d[14+6] != proto {
				continue
			}
		}
		out = append(out, pk)
	}
	return out
}

// benchPrint prints the packets in a loop into io.Discard, after one warm-up
// pass so that the TCP tracker already knows every connection.
func benchPrint(b *testing.B, link LinkType, pkts []benchPacket, opt Options) {
	if len(pkts) == 0 {
		b.Skip("no packets of that kind in the capture")
	}
	opt.Location = time.UTC
	p := NewPrinter(io.Discard, opt)
	total := 0
	for _, pk := range pkts {
		total += len(pk.data)
		if err := p.Print(pk.data, pk.ci, link); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(total / len(pkts)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		pk := &pkts[i%len(pkts)]
		if err := p.Print(pk.data, pk.ci, link); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if err := p.Flush(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkPrintOneLineTCP prints Ethernet/IPv4/TCP packets of a real capture
// as tcpdump -n does.
func BenchmarkPrintOneLineTCP(b *testing.B) {
	link, pkts := readBenchPcap(b, "tcp4.pcap")
	benchPrint(b, link, benchSelect(pkts, etherTypeIPv4, ipProtoTCP), Options{})
}

// BenchmarkPrintOneLineTCPVerbose is the same with -v: checksums verified.
func BenchmarkPrintOneLineTCPVerbose(b *testing.B) {
	link, pkts := readBenchPcap(b, "tcp4.pcap")
	benchPrint(b, link, benchSelect(pkts, etherTypeIPv4, ipProtoTCP), Options{Verbose: 1})
}

// BenchmarkPrintOneLineTCP6 prints Ethernet/IPv6/TCP packets.
func BenchmarkPrintOneLineTCP6(b *testing.B) {
	link, pkts := readBenchPcap(b, "tcp6.pcap")
	benchPrint(b, link, benchSelect(pkts, etherTypeIPv6, ipProtoTCP), Options{})
}

// BenchmarkPrintOneLineUDP6 prints Ethernet/IPv6/UDP packets (DNS queries
// and answers).
func BenchmarkPrintOneLineUDP6(b *testing.B) {
	link, pkts := readBenchPcap(b, "dns.pcap")
	benchPrint(b, link, benchSelect(pkts, etherTypeIPv6, ipProtoUDP), Options{})
}

// BenchmarkPrintOneLineDNS prints the IPv4/UDP DNS packets, with -vv so every
// section of the messages is decoded.
func BenchmarkPrintOneLineDNS(b *testing.B) {
	link, pkts := readBenchPcap(b, "dns.pcap")
	benchPrint(b, link, benchSelect(pkts, etherTypeIPv4, ipProtoUDP), Options{Verbose: 2})
}

// BenchmarkPrintOneLineVXLAN prints VXLAN packets with their inner frames.
func BenchmarkPrintOneLineVXLAN(b *testing.B) {
	link, pkts := readBenchPcap(b, "vxlan.pcap")
	benchPrint(b, link, benchSelect(pkts, etherTypeIPv4, ipProtoUDP), Options{})
}
