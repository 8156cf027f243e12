package capture

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"
	"time"
)

// fuzzSeeds are small valid files of every shape the reader knows.
func fuzzSeeds(t testing.TB) [][]byte {
	pkts := udpFrames(t, 3)
	us := pcapFile(t, ltEthernet, 0, false, pkts)
	ns := pcapFile(t, ltSLL2, 128, true, pkts)
	seeds := [][]byte{us, ns, swapPcap(us), swapPcap(ns), us[:len(us)-7]}

	var two bytes.Buffer
	w, err := NewPcapngWriter(&two, []Interface{
		{Name: "lo", LinkType: ltEthernet, TsResolution: time.Nanosecond},
		{Name: "tun0", LinkType: ltRaw, Snaplen: 64},
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range pkts {
		p.ci.InterfaceIndex = i % 2
		w.WritePacket(p.ci, p.data)
	}
	w.WriteStats(1, 3, 0)
	w.Flush()
	seeds = append(seeds, two.Bytes())

	for _, bo := range []binary.AppendByteOrder{binary.LittleEndian, binary.BigEndian} {
		f := &ngFile{bo: bo}
		f.shb(f.comment("seed")).idb(ltEthernet, 16, f.name("eth0"), f.tsresol(0x80|20), f.tsoffset(-3))
		f.block(blockNRB, f.u16(0))
		f.epb(0, 1<<40, []byte("enhanced"), 8, f.comment("c")).pb(0, 5, []byte("old"), 3).spb(30, []byte("simple and longer than sixteen"))
		f.block(blockCustom, f.u32(1))
		f.shb().idb(ltRaw, 0, f.tsresol(9)).epb(0, 1, []byte{0x45}, 1)
		seeds = append(seeds, f.b)
	}
	return seeds
}

// FuzzReadFile feeds the reader arbitrary files: it must never panic, loop,
// or allocate much more than the file's size; every error is a
// *FormatError; and what it reads, the pcap writer writes back the same.
func FuzzReadFile(f *testing.F) {
	for _, seed := range fuzzSeeds(f) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, file []byte) {
		// A small bufio buffer takes packets both from it and, when
		// larger, through the growing buffer.
		r, err := NewReader(bufio.NewReaderSize(bytes.NewReader(file), 4096))
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) || fe.Packet != 0 {
				t.Fatalf("header error %v (%T), want a *FormatError for packet 0", err, err)
			}
			return
		}
		var out bytes.Buffer
		w, err := NewPcapWriter(&out, ltEthernet, 0, true)
		if err != nil {
			t.Fatal(err)
		}
		var written []testPacket
		for {
			data, ci, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				var fe *FormatError
				if !errors.As(err, &fe) || fe.Packet != r.Packets()+1 {
					t.Fatalf("error %v (%T) after %d packets, want a *FormatError for packet %d", err, err, r.Packets(), r.Packets()+1)
				}
				break
			}
			// Every packet takes at least 12 bytes of the file.
			if r.Packets() > len(file)/12 {
				t.Fatalf("%d packets from a %d-byte file", r.Packets(), len(file))
			}
			if len(data) != ci.CaptureLength || len(data) > len(file) {
				t.Fatalf("packet %d: %d bytes, CaptureLength %d, file %d bytes", r.Packets(), len(data), ci.CaptureLength, len(file))
			}
			if ci.InterfaceIndex < 0 || ci.InterfaceIndex >= len(r.Interfaces()) {
				t.Fatalf("packet %d: interface %d of %d", r.Packets(), ci.InterfaceIndex, len(r.Interfaces()))
			}
			if cap(r.buf) > 2*len(file)+minReadBuffer {
				t.Fatalf("a %d-byte file grew the buffer to %d bytes", len(file), cap(r.buf))
			}
			if len(data) > maxSnaplen || w.WritePacket(ci, data) != nil {
				continue // more than pcap holds: a timestamp outside 1970-2106
			}
			written = append(written, testPacket{ci: ci, data: bytes.Clone(data)})
		}
		w.Flush()
		_, back := mustReadAll(t, out.Bytes())
		if len(back) != len(written) {
			t.Fatalf("wrote %d packets, read back %d", len(written), len(back))
		}
		for i, p := range written {
			b := back[i]
			if !bytes.Equal(b.data, p.data) || !b.ci.Timestamp.Equal(p.ci.Timestamp) || b.ci.Length != max(p.ci.Length, len(p.data)) {
				t.Fatalf("packet %d: read back %d bytes of %d at %v, wrote %d of %d at %v",
					i+1, len(b.data), b.ci.Length, b.ci.Timestamp, len(p.data), p.ci.Length, p.ci.Timestamp)
			}
		}
	})
}
