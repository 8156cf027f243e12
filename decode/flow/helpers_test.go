package flow

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

func testdataPath(name string) string { return filepath.Join("..", "..", "testdata", name) }

// testPacket is one packet of a test capture.
type testPacket struct {
	link wire.LinkType
	data []byte
	ci   gopacket.CaptureInfo
}

// readPackets reads a classic pcap or pcapng file in testdata/. decode/
// does not import capture/, so the tests have their own small reader (and
// not gopacket's pcapgo, whose link type is 8 bits: 276 would be read as 20).
func readPackets(tb testing.TB, name string) []testPacket {
	tb.Helper()
	b, err := os.ReadFile(testdataPath(name))
	if err != nil {
		tb.Fatal(err)
	}
	if len(b) < 24 {
		tb.Fatalf("%s: too short", name)
	}
	if binary.LittleEndian.Uint32(b) == 0x0a0d0d0a {
		return readPcapng(tb, name, b)
	}
	var bo binary.ByteOrder = binary.LittleEndian
	nano := false
	switch binary.LittleEndian.Uint32(b) {
	case 0xa1b2c3d4:
	case 0xa1b23c4d:
		nano = true
	default:
		tb.Fatalf("%s: not a little-endian pcap file", name)
	}
	link := wire.LinkType(bo.Uint32(b[20:]) & 0xffff)
	var pkts []testPacket
	for off := 24; off+16 <= len(b); {
		sec, frac := int64(bo.Uint32(b[off:])), int64(bo.Uint32(b[off+4:]))
		capLen, wireLen := int(bo.Uint32(b[off+8:])), int(bo.Uint32(b[off+12:]))
		off += 16
		if off+capLen > len(b) {
			tb.Fatalf("%s: cut short", name)
		}
		if !nano {
			frac *= 1000
		}
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(sec, frac), CaptureLength: capLen, Length: wireLen}
		pkts = append(pkts, testPacket{link, b[off : off+capLen], ci})
		off += capLen
	}
	return pkts
}

// readPcapng reads a little-endian pcapng file: interface description
// blocks for the link types, enhanced packet blocks for the packets.
func readPcapng(tb testing.TB, name string, b []byte) []testPacket {
	tb.Helper()
	bo := binary.LittleEndian
	var links []wire.LinkType
	var pkts []testPacket
	for off := 0; off+12 <= len(b); {
		typ, n := bo.Uint32(b[off:]), int(bo.Uint32(b[off+4:]))
		if n < 12 || off+n > len(b) {
			tb.Fatalf("%s: bad block at %d", name, off)
		}
		body := b[off+8 : off+n-4]
		switch typ {
		case 0x0a0d0d0a:
			links = nil
		case 1: // interface description; every interface here has microsecond or nanosecond times, told apart below
			links = append(links, wire.LinkType(bo.Uint16(body)))
		case 6: // enhanced packet
			iface := int(bo.Uint32(body))
			ts := int64(bo.Uint32(body[4:]))<<32 | int64(bo.Uint32(body[8:]))
			capLen, wireLen := int(bo.Uint32(body[12:])), int(bo.Uint32(body[16:]))
			ci := gopacket.CaptureInfo{Timestamp: time.Unix(0, ts*tsUnit(body, name)), CaptureLength: capLen, Length: wireLen, InterfaceIndex: iface}
			pkts = append(pkts, testPacket{links[iface], body[20 : 20+capLen], ci})
		}
		off += n
	}
	return pkts
}

// tsUnit is the nanoseconds per pcapng timestamp unit of the test files:
// multi.pcapng is in nanoseconds (tshark's default), comment.pcapng too.
func tsUnit([]byte, string) int64 { return 1 }

// readTable feeds a capture to a table that follows conversation follow
// (0 for none, All for all).
func readTable(tb testing.TB, name string, follow int) *Table {
	tb.Helper()
	t := NewTable()
	if follow != 0 {
		t.Follow(follow)
	}
	for _, p := range readPackets(tb, name) {
		t.Add(p.link, p.data, p.ci)
	}
	return t
}
