package capture

import (
	"bytes"
	"io"
	"testing"
)

// endless serves a file header once, then its packet records forever, so a
// benchmark reads b.N packets from one Reader in steady state.
type endless struct {
	header, records []byte
	off             int // into header, then into records
	inRecords       bool
}

func (e *endless) Read(p []byte) (int, error) {
	if !e.inRecords {
		n := copy(p, e.header[e.off:])
		e.off += n
		if e.off == len(e.header) {
			e.inRecords, e.off = true, 0
		}
		return n, nil
	}
	n := 0
	for n < len(p) {
		k := copy(p[n:], e.records[e.off:])
		n += k
		e.off = (e.off + k) % len(e.records)
	}
	return n, nil
}

// benchFile is 1000 Ethernet/IPv4/UDP frames of 60 to 1412 bytes.
func benchFile(b testing.TB, pcapng bool) (header, records []byte, perPacket int64) {
	pkts := udpFrames(b, 1000)
	var buf bytes.Buffer
	var w Writer
	var err error
	if pcapng {
		w, err = NewPcapngWriter(&buf, []Interface{{LinkType: ltEthernet}})
	} else {
		w, err = NewPcapWriter(&buf, ltEthernet, 0, false)
	}
	if err != nil {
		b.Fatal(err)
	}
	headerLen := buf.Len()
	writeAll(b, w, pkts)
	var bytesOfData int
	for _, p := range pkts {
		bytesOfData += len(p.data)
	}
	return buf.Bytes()[:headerLen], buf.Bytes()[headerLen:], int64(bytesOfData / len(pkts))
}

func benchmarkRead(b *testing.B, pcapng bool) {
	header, records, perPacket := benchFile(b, pcapng)
	r, err := NewReader(&endless{header: header, records: records})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(perPacket)
	b.ReportAllocs()
	var sum int
	for b.Loop() {
		data, _, err := r.Next()
		if err != nil {
			b.Fatal(err)
		}
		sum += len(data)
	}
	if sum == 0 {
		b.Fatal("read nothing")
	}
}

// BenchmarkReadPcap reads packets of a classic pcap file, timestamps and all.
func BenchmarkReadPcap(b *testing.B) { benchmarkRead(b, false) }

// BenchmarkReadPcapng reads Enhanced Packet Blocks.
func BenchmarkReadPcapng(b *testing.B) { benchmarkRead(b, true) }

// BenchmarkWritePcap writes packets to a classic pcap file.
func BenchmarkWritePcap(b *testing.B) {
	pkts := udpFrames(b, 1000)
	w, err := NewPcapWriter(io.Discard, ltEthernet, 0, true)
	if err != nil {
		b.Fatal(err)
	}
	benchmarkWrite(b, w, pkts)
}

// BenchmarkWritePcapng writes Enhanced Packet Blocks.
func BenchmarkWritePcapng(b *testing.B) {
	pkts := udpFrames(b, 1000)
	w, err := NewPcapngWriter(io.Discard, []Interface{{LinkType: ltEthernet, TsResolution: 1}})
	if err != nil {
		b.Fatal(err)
	}
	benchmarkWrite(b, w, pkts)
}

func benchmarkWrite(b *testing.B, w Writer, pkts []testPacket) {
	var total int
	for _, p := range pkts {
		total += len(p.data)
	}
	b.SetBytes(int64(total / len(pkts)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		p := &pkts[i%len(pkts)]
		if err := w.WritePacket(p.ci, p.data); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// TestReadingAllocatesNothingPerPacket is the benchmark's claim as a test.
func TestReadingAllocatesNothingPerPacket(t *testing.T) {
	for _, pcapng := range []bool{false, true} {
		header, records, _ := benchFile(t, pcapng)
		r, err := NewReader(&endless{header: header, records: records})
		if err != nil {
			t.Fatal(err)
		}
		if n := testing.AllocsPerRun(5000, func() { r.Next() }); n != 0 {
			t.Errorf("pcapng=%v: %v allocations per packet, want 0", pcapng, n)
		}
	}
}
