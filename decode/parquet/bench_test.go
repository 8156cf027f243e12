package parquet_test

import (
	"io"
	"testing"

	"github.com/sockscope/sockscope/decode"
	"github.com/sockscope/sockscope/decode/parquet"
)

// benchPackets are mixed.pcap's packets: TCP, UDP, DNS, ICMP over IPv4 and IPv6.
func benchPackets(b *testing.B) ([]packet, int64) {
	t := &testing.T{}
	pkts := readCapture(t, "../../testdata/mixed.pcap")
	var n int64
	for _, p := range pkts {
		n += int64(len(p.data))
	}
	return pkts, n
}

// BenchmarkWriteParquetDefaultColumns writes the default columns of each packet.
func BenchmarkWriteParquetDefaultColumns(b *testing.B) {
	benchWrite(b, nil)
}

// BenchmarkWriteParquetSixColumns writes the six columns of ../shared/bench/fields.sh.
func BenchmarkWriteParquetSixColumns(b *testing.B) {
	benchWrite(b, []string{"frame.number", "ip.src", "ip.dst", "ip.proto", "tcp.dstport", "udp.dstport"})
}

func benchWrite(b *testing.B, names []string) {
	pkts, size := benchPackets(b)
	w, err := parquet.NewWriter(io.Discard, names)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range pkts {
			if err := w.Print(p.data, p.ci, p.link); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkPrintText is the anchor: the same packets as decode -n prints them.
func BenchmarkPrintText(b *testing.B) {
	pkts, size := benchPackets(b)
	p := decode.NewPrinter(io.Discard, decode.Options{})
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, pk := range pkts {
			if err := p.Print(pk.data, pk.ci, pk.link); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := p.Flush(); err != nil {
		b.Fatal(err)
	}
}
