package capture

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/sockscope/sockscope/decode/wire"
)

// Link types used in the tests (LINKTYPE_ values).
const (
	ltEthernet = 1
	ltRaw      = 101
	ltSLL2     = 276
)

// testPacket is one packet as a writer is given it and a reader returns it.
type testPacket struct {
	ci   gopacket.CaptureInfo
	data []byte
}

// udpFrames returns n Ethernet/IPv4/UDP frames from 127.0.0.1:40000 to
// 127.0.0.1:9 of growing size, with nanosecond timestamps, so that tcpdump
// has something real to decode.
func udpFrames(t testing.TB, n int) []testPacket {
	t.Helper()
	start := time.Date(2024, 3, 1, 12, 0, 0, 123456789, time.UTC)
	var pkts []testPacket
	for i := range n {
		eth := &layers.Ethernet{
			SrcMAC:       net.HardwareAddr{0, 0, 0, 0, 0, 1},
			DstMAC:       net.HardwareAddr{0, 0, 0, 0, 0, 2},
			EthernetType: layers.EthernetTypeIPv4,
		}
		ip := &layers.IPv4{
			Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, Id: uint16(i),
			SrcIP: net.IPv4(127, 0, 0, 1), DstIP: net.IPv4(127, 0, 0, 1),
		}
		udp := &layers.UDP{SrcPort: 40000, DstPort: 9}
		udp.SetNetworkLayerForChecksum(ip)
		payload := bytes.Repeat([]byte{byte('a' + i%26)}, 1+i*37%1400)
		buf := gopacket.NewSerializeBuffer()
		opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
		if err := gopacket.SerializeLayers(buf, opts, eth, ip, udp, gopacket.Payload(payload)); err != nil {
			t.Fatal(err)
		}
		data := buf.Bytes()
		pkts = append(pkts, testPacket{
			ci: gopacket.CaptureInfo{
				Timestamp:     start.Add(time.Duration(i) * 1234567 * time.Nanosecond),
				CaptureLength: len(data),
				Length:        len(data),
			},
			data: data,
		})
	}
	return pkts
}

// writeAll writes packets with w and flushes.
func writeAll(t testing.TB, w Writer, pkts []testPacket) {
	t.Helper()
	for _, p := range pkts {
		if err := w.WritePacket(p.ci, p.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
}

// readAll reads a whole file; it stops at the first error, which it returns
// unless it is io.EOF. Packet data is copied.
func readAll(t testing.TB, file []byte) (*Reader, []testPacket, error) {
	t.Helper()
	// A 64 KiB buffer, not Open's 1 MiB, keeps the fuzzer fast.
	r, err := NewReader(bufio.NewReaderSize(bytes.NewReader(file), 64<<10))
	if err != nil {
		return nil, nil, err
	}
	var pkts []testPacket
	for {
		data, ci, err := r.Next()
		if err == io.EOF {
			return r, pkts, nil
		}
		if err != nil {
			return r, pkts, err
		}
		if ci.CaptureLength != len(data) {
			t.Fatalf("packet %d: CaptureLength %d, len(data) %d", len(pkts)+1, ci.CaptureLength, len(data))
		}
		pkts = append(pkts, testPacket{ci: ci, data: bytes.Clone(data)})
	}
}

// mustReadAll is readAll for a file that must be good.
func mustReadAll(t testing.TB, file []byte) (*Reader, []testPacket) {
	t.Helper()
	r, pkts, err := readAll(t, file)
	if err != nil {
		t.Fatalf("read after %d packets: %v", len(pkts), err)
	}
	return r, pkts
}

// samePackets compares what was read with what was written, with
// timestamps cut to res.
func samePackets(t *testing.T, got, want []testPacket, res time.Duration) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("read %d packets, wrote %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if !bytes.Equal(g.data, w.data) {
			t.Errorf("packet %d: data differs:\n got % x\nwant % x", i+1, g.data, w.data)
		}
		wantTS := w.ci.Timestamp.Truncate(res)
		if !g.ci.Timestamp.Equal(wantTS) {
			t.Errorf("packet %d: timestamp %s, want %s", i+1, g.ci.Timestamp.UTC().Format(time.RFC3339Nano), wantTS.UTC().Format(time.RFC3339Nano))
		}
		if g.ci.Length != w.ci.Length || g.ci.InterfaceIndex != w.ci.InterfaceIndex {
			t.Errorf("packet %d: length %d interface %d, want %d and %d", i+1, g.ci.Length, g.ci.InterfaceIndex, w.ci.Length, w.ci.InterfaceIndex)
		}
	}
}

// wantFormatError checks err is a *FormatError for packet with msg in it.
func wantFormatError(t *testing.T, err error, packet int, msg string) {
	t.Helper()
	var fe *FormatError
	if !errors.As(err, &fe) {
		t.Fatalf("error %v (%T), want a *FormatError", err, err)
	}
	if fe.Packet != packet || !strings.Contains(fe.Error(), msg) {
		t.Fatalf("error %q (packet %d), want packet %d and %q", fe.Error(), fe.Packet, packet, msg)
	}
}

// pcapFile writes pkts to a classic pcap file in memory.
func pcapFile(t testing.TB, linkType wire.LinkType, snaplen uint32, nano bool, pkts []testPacket) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewPcapWriter(&buf, linkType, snaplen, nano)
	if err != nil {
		t.Fatal(err)
	}
	writeAll(t, w, pkts)
	return buf.Bytes()
}

// swapPcap turns a little-endian pcap file into the same file big endian,
// as a SPARC or a PowerPC would have written it.
func swapPcap(le []byte) []byte {
	b := bytes.Clone(le)
	swap32 := func(p []byte) { binary.BigEndian.PutUint32(p, binary.LittleEndian.Uint32(p)) }
	swap16 := func(p []byte) { binary.BigEndian.PutUint16(p, binary.LittleEndian.Uint16(p)) }
	swap32(b[0:])
	swap16(b[4:])
	swap16(b[6:])
	for off := 8; off < 24; off += 4 {
		swap32(b[off:])
	}
	for off := 24; off+16 <= len(b); {
		caplen := int(binary.LittleEndian.Uint32(b[off+8:]))
		for i := 0; i < 16; i += 4 {
			swap32(b[off+i:])
		}
		off += 16 + caplen
	}
	return b
}

// ngFile builds a pcapng file block by block, in either byte order, so
// tests can make what no writer at hand makes.
type ngFile struct {
	bo binary.AppendByteOrder
	b  []byte
}

func (f *ngFile) u16(v uint16) []byte { return f.bo.AppendUint16(nil, v) }
func (f *ngFile) u32(v uint32) []byte { return f.bo.AppendUint32(nil, v) }
func (f *ngFile) u64(v uint64) []byte { return f.bo.AppendUint64(nil, v) }

// opt encodes one option, padded.
func (f *ngFile) opt(code uint16, val []byte) []byte {
	b := f.bo.AppendUint16(nil, code)
	b = f.bo.AppendUint16(b, uint16(len(val)))
	b = append(b, val...)
	return append(b, make([]byte, -len(val)&3)...)
}

// block appends a block of type typ with the given body parts (padded).
func (f *ngFile) block(typ uint32, parts ...[]byte) *ngFile {
	var body []byte
	for _, p := range parts {
		body = append(body, p...)
	}
	body = append(body, make([]byte, -len(body)&3)...)
	n := uint32(12 + len(body))
	f.b = f.bo.AppendUint32(f.b, typ)
	f.b = f.bo.AppendUint32(f.b, n)
	f.b = append(f.b, body...)
	f.b = f.bo.AppendUint32(f.b, n)
	return f
}

// withOpts appends the options and an end-of-options if there are any.
func (f *ngFile) withOpts(opts [][]byte) []byte {
	if len(opts) == 0 {
		return nil
	}
	var b []byte
	for _, o := range opts {
		b = append(b, o...)
	}
	return append(b, f.opt(0, nil)...)
}

func (f *ngFile) shb(opts ...[]byte) *ngFile {
	return f.block(blockSHB, f.u32(byteOrderMagic), f.u16(1), f.u16(0), f.u64(^uint64(0)), f.withOpts(opts))
}

func (f *ngFile) idb(linkType uint16, snaplen uint32, opts ...[]byte) *ngFile {
	return f.block(blockIDB, f.u16(linkType), f.u16(0), f.u32(snaplen), f.withOpts(opts))
}

func (f *ngFile) epb(id uint32, ts uint64, data []byte, origLen uint32, opts ...[]byte) *ngFile {
	d := append(bytes.Clone(data), make([]byte, -len(data)&3)...)
	return f.block(blockEPB, f.u32(id), f.u32(uint32(ts>>32)), f.u32(uint32(ts)), f.u32(uint32(len(data))), f.u32(origLen), d, f.withOpts(opts))
}

func (f *ngFile) spb(origLen uint32, data []byte) *ngFile {
	return f.block(blockSPB, f.u32(origLen), data)
}

func (f *ngFile) pb(id uint16, ts uint64, data []byte, origLen uint32) *ngFile {
	d := append(bytes.Clone(data), make([]byte, -len(data)&3)...)
	return f.block(blockPB, f.u16(id), f.u16(0), f.u32(uint32(ts>>32)), f.u32(uint32(ts)), f.u32(uint32(len(data))), f.u32(origLen), d)
}

// tsresol and tsoffset are IDB options.
func (f *ngFile) tsresol(v byte) []byte   { return f.opt(optIfTsresol, []byte{v}) }
func (f *ngFile) tsoffset(s int64) []byte { return f.opt(optIfTsoffset, f.u64(uint64(s))) }
func (f *ngFile) name(s string) []byte    { return f.opt(optIfName, []byte(s)) }
func (f *ngFile) comment(s string) []byte { return f.opt(1, []byte(s)) }
