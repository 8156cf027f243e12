package decode

// Benchmarks of the one-line printers on the real captures of testdata/:
// each reports MB/s and must show 0 allocs/op.

import (
	"encoding/binary"
	"io"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/sockscope/sockscope/decode/wire"
)

// benchCapture prints, as benchPrint, the frames of a testdata capture that
// benchSelect keeps.
func benchCapture(b *testing.B, name string, etherType uint16, proto uint8, opt Options) {
	benchPrint(b, benchSelect(readTestdata(b, name), etherType, proto), opt)
}

// benchSelect keeps the Ethernet frames of the given EtherType whose IP
// payload is of protocol proto (no IPv6 extension headers).
func benchSelect(pkts []testPacket, etherType uint16, proto uint8) []testPacket {
	var out []testPacket
	for _, pk := range pkts {
		d := pk.data
		if len(d) < 14+40 || binary.BigEndian.Uint16(d[12:]) != etherType {
			continue
		}
		switch etherType {
		case testEtherIPv4:
			if d[14+9] != proto {
				continue
			}
		case testEtherIPv6:
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
func benchPrint(b *testing.B, pkts []testPacket, opt Options) {
	if len(pkts) == 0 {
		b.Skip("no packets of that kind in the capture")
	}
	opt.Location = time.UTC
	p := NewPrinter(io.Discard, opt)
	total := 0
	for _, pk := range pkts {
		total += len(pk.data)
		if err := p.Print(pk.data, pk.ci, pk.link); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(total / len(pkts)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		pk := &pkts[i%len(pkts)]
		if err := p.Print(pk.data, pk.ci, pk.link); err != nil {
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
	benchCapture(b, "tcp4.pcap", testEtherIPv4, wireProtoTCP, Options{})
}

// BenchmarkPrintOneLineTCPVerbose is the same with -v: checksums verified.
func BenchmarkPrintOneLineTCPVerbose(b *testing.B) {
	benchCapture(b, "tcp4.pcap", testEtherIPv4, wireProtoTCP, Options{Verbose: 1})
}

// BenchmarkPrintOneLineTCP6 prints Ethernet/IPv6/TCP packets.
func BenchmarkPrintOneLineTCP6(b *testing.B) {
	benchCapture(b, "tcp6.pcap", testEtherIPv6, wireProtoTCP, Options{})
}

// BenchmarkPrintOneLineUDP6 prints Ethernet/IPv6/UDP packets (DNS queries
// and answers).
func BenchmarkPrintOneLineUDP6(b *testing.B) {
	benchCapture(b, "dns.pcap", testEtherIPv6, wireProtoUDP, Options{})
}

// BenchmarkPrintOneLineDNS prints the IPv4/UDP DNS packets, with -vv so every
// section of the messages is decoded.
func BenchmarkPrintOneLineDNS(b *testing.B) {
	benchCapture(b, "dns.pcap", testEtherIPv4, wireProtoUDP, Options{Verbose: 2})
}

// BenchmarkPrintOneLineVXLAN prints VXLAN packets with their inner frames.
func BenchmarkPrintOneLineVXLAN(b *testing.B) {
	benchCapture(b, "vxlan.pcap", testEtherIPv4, wireProtoUDP, Options{})
}

// BenchmarkPrintMixed prints every packet of testdata/mixed.pcap (TCP, DNS,
// ICMP, ARP, ND) as tcpdump -n does: the whole dispatch, not one path.
func BenchmarkPrintMixed(b *testing.B) {
	benchPrint(b, readTestdata(b, "mixed.pcap"), Options{})
}

// BenchmarkDissectTestdata dissects, whole, the Ethernet packets of every
// capture of testdata/ in turn, as the benchmarks' file repeats them (one
// tree, so conversations are followed across packets): what -z io,phs
// spends on each packet before its table counts it.
func BenchmarkDissectTestdata(b *testing.B) { benchDissect(b, nil) }

// BenchmarkDissectTestdataStream dissects as BenchmarkDissectTestdata for a
// reader of tcp.stream (-z conv,tcp).
func BenchmarkDissectTestdataStream(b *testing.B) { benchDissect(b, WantFields(fTCPStream)) }

// BenchmarkDissectTestdataIP dissects as BenchmarkDissectTestdata for a
// reader of the IP addresses alone (-z conv,ip).
func BenchmarkDissectTestdataIP(b *testing.B) { benchDissect(b, WantFields(fIPSrc, fIPDst)) }

func benchDissect(b *testing.B, w *Want) {
	files, _ := filepath.Glob("../testdata/*.pcap*")
	sort.Strings(files)
	var pkts []testPacket
	var n int64
	for _, f := range files {
		c, err := readTestCapture(f)
		if err != nil {
			continue
		}
		for _, pk := range c.packets {
			if pk.link == wire.LinkEthernet {
				pkts = append(pkts, pk)
				n += int64(len(pk.data))
			}
		}
	}
	if len(pkts) == 0 {
		b.Skip("no Ethernet captures in testdata/")
	}
	b.SetBytes(n / int64(len(pkts)))
	b.ReportAllocs()
	t := Tree{Reassemble: true, Want: w}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		pk := pkts[i%len(pkts)]
		t.Dissect(pk.data, pk.ci, pk.link, i+1)
	}
}
