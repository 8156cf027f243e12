package capture

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

func TestPcapRoundTripKeepsBytesAndTimestamps(t *testing.T) {
	pkts := udpFrames(t, 20)
	for _, tc := range []struct {
		name string
		nano bool
		res  time.Duration
	}{
		{"microseconds", false, time.Microsecond},
		{"nanoseconds", true, time.Nanosecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := pcapFile(t, ltEthernet, 0, tc.nano, pkts)
			r, got := mustReadAll(t, file)
			samePackets(t, got, pkts, tc.res)
			want := []Interface{{LinkType: ltEthernet, Snaplen: 262144, TsResolution: tc.res}}
			if ifs := r.Interfaces(); len(ifs) != 1 || ifs[0] != want[0] {
				t.Errorf("Interfaces() = %+v, want %+v", ifs, want)
			}
			if r.LinkType(0) != ltEthernet || r.LinkType(1) != 0 || r.Packets() != len(pkts) {
				t.Errorf("LinkType(0) %d, LinkType(1) %d, Packets() %d", r.LinkType(0), r.LinkType(1), r.Packets())
			}
			// io.EOF stays.
			if _, _, err := r.Next(); err != io.EOF {
				t.Errorf("Next after the end: %v, want io.EOF", err)
			}
		})
	}
}

func TestNanosecondPcapUsesItsOwnMagic(t *testing.T) {
	for nano, want := range map[bool][]byte{false: {0xd4, 0xc3, 0xb2, 0xa1}, true: {0x4d, 0x3c, 0xb2, 0xa1}} {
		file := pcapFile(t, ltEthernet, 0, nano, nil)
		if !bytes.Equal(file[:4], want) || len(file) != 24 {
			t.Errorf("nano=%v: file starts % x (%d bytes), want % x (24 bytes)", nano, file[:4], len(file), want)
		}
	}
}

func TestBigEndianPcapReadsLikeLittleEndian(t *testing.T) {
	pkts := udpFrames(t, 5)
	for _, nano := range []bool{false, true} {
		le := pcapFile(t, ltEthernet, 65535, nano, pkts)
		be := swapPcap(le)
		if bytes.Equal(le[:4], be[:4]) {
			t.Fatal("swapPcap did not swap")
		}
		_, fromLE := mustReadAll(t, le)
		r, fromBE := mustReadAll(t, be)
		samePackets(t, fromBE, fromLE, time.Nanosecond)
		if ifs := r.Interfaces(); ifs[0].Snaplen != 65535 || ifs[0].LinkType != ltEthernet {
			t.Errorf("big endian header read as %+v", ifs[0])
		}
	}
}

func TestPcapKeepsSLL2LinkTypeAndDropsFCSBits(t *testing.T) {
	// LINKTYPE_LINUX_SLL2 (276) does not fit in pcapgo's uint8.
	r, _ := mustReadAll(t, pcapFile(t, ltSLL2, 0, false, nil))
	if got := r.LinkType(0); got != ltSLL2 {
		t.Errorf("link type %d, want %d", got, ltSLL2)
	}
	// Bits 16 and up carry FCS length information, not the link type.
	r, _ = mustReadAll(t, pcapFile(t, 0x1000_0000|ltEthernet, 0, false, nil))
	if got := r.LinkType(0); got != ltEthernet {
		t.Errorf("link type with FCS bits read as %#x, want %d", got, ltEthernet)
	}
}

func TestOldPcapVersionHasLengthsSwapped(t *testing.T) {
	// Before version 2.3 the record header had the original length first.
	file := pcapFile(t, ltEthernet, 0, false, []testPacket{{
		ci:   gopacket.CaptureInfo{Timestamp: time.Unix(1, 0), Length: 100},
		data: []byte{1, 2, 3, 4},
	}})
	binary.LittleEndian.PutUint16(file[6:], 2)
	caplen, length := file[24+8:24+12], file[24+12:24+16]
	tmp := bytes.Clone(caplen)
	copy(caplen, length)
	copy(length, tmp)
	_, got := mustReadAll(t, file)
	if len(got) != 1 || got[0].ci.Length != 100 || !bytes.Equal(got[0].data, []byte{1, 2, 3, 4}) {
		t.Errorf("read %+v", got)
	}
}

func TestUnsupportedPcapVersionIsRejected(t *testing.T) {
	file := pcapFile(t, ltEthernet, 0, false, nil)
	binary.LittleEndian.PutUint16(file[4:], 3)
	_, _, err := readAll(t, file)
	wantFormatError(t, err, 0, "unsupported pcap version 3.4")
}

func TestPacketLongerThanSnaplenIsCutLikeLibpcap(t *testing.T) {
	file := pcapFile(t, ltEthernet, 0, false, []testPacket{{ci: gopacket.CaptureInfo{Timestamp: time.Unix(1, 0)}, data: make([]byte, 100)}})
	binary.LittleEndian.PutUint32(file[16:], 64) // snaplen, after the fact
	_, got := mustReadAll(t, file)
	if len(got) != 1 || len(got[0].data) != 64 || got[0].ci.Length != 100 {
		t.Fatalf("read %d packets, first %d bytes of %d", len(got), len(got[0].data), got[0].ci.Length)
	}
}

func TestPcapWriterCutsToSnaplenAndKeepsOriginalLength(t *testing.T) {
	file := pcapFile(t, ltEthernet, 10, false, []testPacket{{ci: gopacket.CaptureInfo{Timestamp: time.Unix(5, 0), Length: 1500}, data: make([]byte, 40)}})
	_, got := mustReadAll(t, file)
	if len(got[0].data) != 10 || got[0].ci.Length != 1500 {
		t.Errorf("read %d bytes of %d, want 10 of 1500", len(got[0].data), got[0].ci.Length)
	}
}

func TestPcapWriterRejectsTimestampsItCannotStore(t *testing.T) {
	w, err := NewPcapWriter(io.Discard, ltEthernet, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, ts := range []time.Time{time.Unix(-1, 0), time.Unix(1<<32, 0)} {
		if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: ts}, []byte{1}); err == nil {
			t.Errorf("timestamp %v: no error", ts)
		}
	}
	if err := w.WritePacket(gopacket.CaptureInfo{}, []byte{1}); err != nil {
		t.Errorf("zero timestamp: %v", err)
	}
}

func TestTruncatedFileKeepsEarlierPackets(t *testing.T) {
	pkts := udpFrames(t, 23)[20:] // frames of 700 bytes and more
	pcap := pcapFile(t, ltEthernet, 0, false, pkts)
	third := len(pcap) - len(pkts[2].data) - 16 // where packet 3's record starts
	var ng bytes.Buffer
	w, err := NewPcapngWriter(&ng, []Interface{{LinkType: ltEthernet}})
	if err != nil {
		t.Fatal(err)
	}
	writeAll(t, w, pkts)
	ngThird := ng.Len() - (32 + len(pkts[2].data) + pad4(len(pkts[2].data)))

	for _, tc := range []struct {
		name string
		file []byte
		msg  string
	}{
		{"pcap inside data", pcap[:third+16+600], fmt.Sprintf("truncated: header says %d bytes, file ends after 600", len(pkts[2].data))},
		{"pcap inside record header", pcap[:third+5], "truncated: file ends inside the packet header (5 of 16 bytes)"},
		{"pcapng inside block", ng.Bytes()[:ngThird+600], fmt.Sprintf("truncated: enhanced packet block says %d bytes, file ends after 600", 32+len(pkts[2].data)+pad4(len(pkts[2].data)))},
		{"pcapng inside block header", ng.Bytes()[:ngThird+3], "truncated: file ends inside a block header (3 of 8 bytes)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, got, err := readAll(t, tc.file)
			samePackets(t, got, pkts[:2], time.Microsecond)
			wantFormatError(t, err, 3, tc.msg)
			if _, _, again := r.Next(); again != err {
				t.Errorf("second Next after the error: %v, want the same error", again)
			}
			if r.Packets() != 2 {
				t.Errorf("Packets() = %d, want 2", r.Packets())
			}
		})
	}
}

func TestGarbageFileIsRejected(t *testing.T) {
	for _, tc := range []struct {
		name string
		file []byte
		msg  string
	}{
		{"html", []byte("<!DOCTYPE html><html>"), "not a pcap or pcapng file (starts with 3c 21 44 4f)"},
		{"empty", nil, "not a pcap or pcapng file (it is empty)"},
		{"short", []byte{0xd4, 0xc3}, "not a pcap or pcapng file (only 2 bytes: d4 c3)"},
		{"gzip", []byte{0x1f, 0x8b, 8, 0, 0, 0}, "gzip-compressed"},
		{"modified pcap", []byte{0x34, 0xcd, 0xb2, 0xa1, 2, 0, 4, 0}, "modified (Kuznetsov) pcap format"},
		{"pcap header cut", []byte{0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0}, "truncated pcap file header: 8 of 24 bytes"},
		{"pcapng header cut", []byte{0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a}, "truncated: section header block says 28 bytes, file ends after 12"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewReader(bytes.NewReader(tc.file))
			if r != nil {
				t.Errorf("got a reader for a bad file")
			}
			wantFormatError(t, err, 0, tc.msg)
		})
	}
}

func TestLyingHeaderCostsNoMemory(t *testing.T) {
	file := pcapFile(t, ltEthernet, 0, false, udpFrames(t, 1))
	huge := bytes.Clone(file)
	binary.LittleEndian.PutUint32(huge[24+8:], 0xfffffff0)
	_, _, err := readAll(t, huge)
	wantFormatError(t, err, 1, "header says 4294967280 captured bytes, more than the 262144 a packet may have")

	// A D-Bus file may hold 128 MiB packets: a lie within that limit must
	// still cost only the bytes actually there.
	dbus := pcapFile(t, wire.LinkDBus, 0, false, udpFrames(t, 1))
	binary.LittleEndian.PutUint32(dbus[24+8:], 100<<20)
	r, err := NewReader(bytes.NewReader(dbus))
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, _, err = r.Next()
	runtime.ReadMemStats(&after)
	wantFormatError(t, err, 1, "truncated: header says 104857600 bytes")
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("reading a lie of 100 MiB allocated %d bytes", n)
	}
}

func TestOpenReadsFilesAndClosesThem(t *testing.T) {
	path := t.TempDir() + "/x.pcap"
	if err := os.WriteFile(path, pcapFile(t, ltEthernet, 0, true, udpFrames(t, 3)), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for {
		_, _, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 3 {
		t.Errorf("read %d packets, want 3", n)
	}
	if err := r.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if _, _, err := r.Next(); err == nil || errors.Is(err, io.EOF) {
		t.Errorf("Next after Close: %v, want an error", err)
	}
	if _, err := Open(path + ".missing"); err == nil {
		t.Error("Open of a missing file: no error")
	}
}

func TestSmallBufferedReaderIsRebuffered(t *testing.T) {
	file := pcapFile(t, ltEthernet, 0, false, udpFrames(t, 30))
	r, err := NewReader(bufio.NewReaderSize(bytes.NewReader(file), 16))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for ; ; n++ {
		if _, _, err := r.Next(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
	}
	if n != 30 {
		t.Errorf("read %d packets, want 30", n)
	}
}
