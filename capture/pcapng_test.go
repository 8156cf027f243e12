package capture

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

func TestPcapngRoundTripWithTwoInterfaces(t *testing.T) {
	ifaces := []Interface{
		{Name: "lo", LinkType: ltEthernet, Snaplen: 262144, TsResolution: time.Nanosecond},
		{Name: "any", LinkType: ltSLL2, Snaplen: 0, TsResolution: time.Microsecond},
		{LinkType: ltRaw, Snaplen: 100, TsResolution: time.Millisecond},
	}
	pkts := udpFrames(t, 30)
	var buf bytes.Buffer
	w, err := NewPcapngWriter(&buf, ifaces)
	if err != nil {
		t.Fatal(err)
	}
	for i := range pkts {
		pkts[i].ci.InterfaceIndex = i % len(ifaces)
		if err := w.WritePacket(pkts[i].ci, pkts[i].data); err != nil {
			t.Fatal(err)
		}
		if i == 10 {
			if err := w.WriteStats(1, 1000, 3); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}

	r, got := mustReadAll(t, buf.Bytes())
	gotIfaces := r.Interfaces()
	if len(gotIfaces) != len(ifaces) {
		t.Fatalf("read %d interfaces, want %d", len(gotIfaces), len(ifaces))
	}
	for i := range ifaces {
		if gotIfaces[i] != ifaces[i] {
			t.Errorf("interface %d: %+v, want %+v", i, gotIfaces[i], ifaces[i])
		}
		if r.LinkType(i) != ifaces[i].LinkType {
			t.Errorf("LinkType(%d) = %d, want %d", i, r.LinkType(i), ifaces[i].LinkType)
		}
	}
	if len(got) != len(pkts) {
		t.Fatalf("read %d packets, wrote %d", len(got), len(pkts))
	}
	for i, p := range pkts {
		iface := ifaces[p.ci.InterfaceIndex]
		want := p.data
		if iface.Snaplen != 0 && len(want) > int(iface.Snaplen) {
			want = want[:iface.Snaplen]
		}
		g := got[i]
		if !bytes.Equal(g.data, want) || g.ci.Length != len(p.data) || g.ci.InterfaceIndex != p.ci.InterfaceIndex {
			t.Errorf("packet %d: %d of %d bytes on interface %d, want %d of %d on %d",
				i+1, len(g.data), g.ci.Length, g.ci.InterfaceIndex, len(want), len(p.data), p.ci.InterfaceIndex)
		}
		if wantTS := p.ci.Timestamp.Truncate(iface.TsResolution); !g.ci.Timestamp.Equal(wantTS) {
			t.Errorf("packet %d: timestamp %v, want %v", i+1, g.ci.Timestamp, wantTS)
		}
	}
}

func TestPcapngWriterRejectsWhatItCannotWrite(t *testing.T) {
	for _, ifaces := range [][]Interface{
		nil,
		{{LinkType: 70000}},
		{{LinkType: ltEthernet, TsResolution: 2 * time.Millisecond}},
		{{LinkType: ltEthernet, TsResolution: 10 * time.Second}},
	} {
		if _, err := NewPcapngWriter(io.Discard, ifaces); err == nil {
			t.Errorf("NewPcapngWriter(%+v): no error", ifaces)
		}
	}
	w, err := NewPcapngWriter(io.Discard, []Interface{{LinkType: ltEthernet}})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WritePacket(gopacket.CaptureInfo{InterfaceIndex: 1}, []byte{1}); err == nil {
		t.Error("packet on interface 1 of 1: no error")
	}
	if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: time.Unix(-5, 0)}, []byte{1}); err == nil {
		t.Error("packet from 1969: no error")
	}
	if err := w.WriteStats(1, 0, 0); err == nil {
		t.Error("statistics for interface 1 of 1: no error")
	}
}

// byteOrders runs a test for little- and big-endian pcapng sections.
var byteOrders = []struct {
	name string
	bo   binary.AppendByteOrder
}{{"little endian", binary.LittleEndian}, {"big endian", binary.BigEndian}}

func TestPcapngTimestampResolutionsAndOffsets(t *testing.T) {
	const sec = 1700000000
	for _, tc := range []struct {
		name     string
		tsresol  int // -1: no option
		offset   int64
		ts       uint64
		want     time.Time
		wantUnit time.Duration
	}{
		{"default microseconds", -1, 0, sec*1e6 + 123456, time.Unix(sec, 123456000), time.Microsecond},
		{"nanoseconds", 9, 0, sec*1e9 + 123456789, time.Unix(sec, 123456789), time.Nanosecond},
		{"milliseconds", 3, 0, sec*1e3 + 123, time.Unix(sec, 123000000), time.Millisecond},
		{"seconds", 0, 0, sec, time.Unix(sec, 0), time.Second},
		{"picoseconds", 12, 0, 10_000_000*1e12 + 123456789012, time.Unix(10_000_000, 123456789), time.Nanosecond},
		{"10^-25 s", 25, 0, 5e18, time.Unix(0, 500), time.Nanosecond},
		{"2^-20 s", 0x80 | 20, 0, sec<<20 | 1<<19, time.Unix(sec, 500000000), 953 * time.Nanosecond},
		{"2^-10 s", 0x80 | 10, 0, sec<<10 + 1, time.Unix(sec, 976562), 976562 * time.Nanosecond},
		{"2^-70 s", 0x80 | 70, 0, 1 << 63, time.Unix(0, 7812500), time.Nanosecond},
		{"offset", -1, 1_000_000, 1_500_000, time.Unix(1_000_001, 500000000), time.Microsecond},
		{"negative offset", 9, -10, 15e9, time.Unix(5, 0), time.Nanosecond},
	} {
		for _, order := range byteOrders {
			t.Run(tc.name+"/"+order.name, func(t *testing.T) {
				f := &ngFile{bo: order.bo}
				var opts [][]byte
				if tc.tsresol >= 0 {
					opts = append(opts, f.tsresol(byte(tc.tsresol)))
				}
				if tc.offset != 0 {
					opts = append(opts, f.tsoffset(tc.offset))
				}
				f.shb().idb(ltEthernet, 0, opts...).epb(0, tc.ts, []byte{1, 2, 3}, 3)
				r, got := mustReadAll(t, f.b)
				if len(got) != 1 || !got[0].ci.Timestamp.Equal(tc.want) {
					t.Fatalf("timestamp %v, want %v", got[0].ci.Timestamp, tc.want)
				}
				if res := r.Interfaces()[0].TsResolution; res != tc.wantUnit {
					t.Errorf("TsResolution %v, want %v", res, tc.wantUnit)
				}
			})
		}
	}
}

func TestPcapngSectionsResetInterfacesAndByteOrder(t *testing.T) {
	le := &ngFile{bo: binary.LittleEndian}
	le.shb().idb(ltEthernet, 0, le.name("eth0")).epb(0, 1e6, []byte("first"), 5)
	be := &ngFile{bo: binary.BigEndian}
	be.shb().idb(ltRaw, 0, be.name("tun0")).idb(ltSLL2, 0, be.name("any"), be.tsresol(9)).
		epb(1, 2e9, []byte("second"), 6).epb(0, 3e6, []byte("third"), 5)
	file := append(le.b, be.b...)

	r, err := NewReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []struct {
		data      string
		iface     int
		linkType  wire.LinkType
		ts        time.Time
		numIfaces int
	}{
		{"first", 0, ltEthernet, time.Unix(1, 0), 1},
		{"second", 1, ltSLL2, time.Unix(2, 0), 2},
		{"third", 0, ltRaw, time.Unix(3, 0), 2},
	} {
		data, ci, err := r.Next()
		if err != nil {
			t.Fatalf("packet %d: %v", i+1, err)
		}
		if string(data) != want.data || ci.InterfaceIndex != want.iface || r.LinkType(ci.InterfaceIndex) != want.linkType ||
			!ci.Timestamp.Equal(want.ts) || len(r.Interfaces()) != want.numIfaces {
			t.Errorf("packet %d: %q on interface %d (link type %d) at %v, %d interfaces; want %+v",
				i+1, data, ci.InterfaceIndex, r.LinkType(ci.InterfaceIndex), ci.Timestamp, len(r.Interfaces()), want)
		}
	}
	if _, _, err := r.Next(); err != io.EOF {
		t.Errorf("after the last packet: %v, want io.EOF", err)
	}
	if names := r.Interfaces(); names[0].Name != "tun0" || names[1].Name != "any" {
		t.Errorf("interfaces of the second section: %+v", names)
	}
}

func TestPcapngSkipsBlocksItDoesNotUse(t *testing.T) {
	for _, order := range byteOrders {
		t.Run(order.name, func(t *testing.T) {
			f := &ngFile{bo: order.bo}
			f.shb(f.comment("recorded for a test"), f.opt(2, []byte("x86_64")))
			f.block(blockNRB, f.u16(1), f.u16(8), []byte{127, 0, 0, 1, 'l', 'o', 0, 0}, f.u32(0))
			f.idb(ltEthernet, 0, f.comment("the only interface"), f.name("lo"))
			f.block(blockCustom, f.u32(32473), []byte("private"))
			f.epb(0, 1e6, []byte("one"), 3, f.comment("a packet with a comment"), f.opt(2, f.u32(1)))
			f.block(blockISB, f.u32(0), f.u32(0), f.u32(7), f.opt(optIsbIfRecv, f.u64(10)), f.opt(0, nil))
			f.block(blockDSB, f.u32(0x544c534b), f.u32(4), []byte("keys"))
			f.block(blockJournal, []byte("__CURSOR=s=1\n"))
			f.block(blockCustomCopy, f.u32(32473), []byte("copy me"))
			f.block(0x12345678)
			f.pb(0, 2e6, []byte("two"), 3)
			f.spb(5, []byte("three"))
			_, got := mustReadAll(t, f.b)
			if len(got) != 3 || string(got[0].data) != "one" || string(got[1].data) != "two" || string(got[2].data) != "three" {
				t.Fatalf("read %+v", got)
			}
			if !got[1].ci.Timestamp.Equal(time.Unix(2, 0)) || !got[2].ci.Timestamp.Equal(time.Unix(0, 0)) {
				t.Errorf("timestamps %v and %v, want 2s and the epoch", got[1].ci.Timestamp, got[2].ci.Timestamp)
			}
		})
	}
}

// TestPcapngPacketComments: each opt_comment of an Enhanced or obsolete
// Packet Block is a wire.Comment in AncillaryData, in order, whatever the
// other options and the data's padding; a packet without one has none.
func TestPcapngPacketComments(t *testing.T) {
	for _, order := range byteOrders {
		t.Run(order.name, func(t *testing.T) {
			f := &ngFile{bo: order.bo}
			f.shb().idb(ltEthernet, 0)
			f.epb(0, 1, []byte("five!"), 5, f.comment("first"), f.opt(2, f.u32(1)), f.comment("second, é"))
			f.epb(0, 2, []byte("none"), 4, f.opt(2, f.u32(1)))
			f.epb(0, 3, []byte("bare"), 4)
			f.block(blockPB, f.u16(0), f.u16(0), f.u32(0), f.u32(4), f.u32(3), f.u32(3), []byte("old\x00"), f.comment("old one"), f.opt(0, nil))
			f.spb(3, []byte("spb\x00"))
			_, got := mustReadAll(t, f.b)
			want := [][]any{{wire.Comment("first"), wire.Comment("second, é")}, nil, nil, {wire.Comment("old one")}, nil}
			if len(got) != len(want) {
				t.Fatalf("read %d packets, want %d", len(got), len(want))
			}
			for i, w := range want {
				if a := got[i].ci.AncillaryData; fmt.Sprint(a) != fmt.Sprint(w) || (w == nil) != (a == nil) {
					t.Errorf("packet %d: AncillaryData %#v, want %#v", i+1, a, w)
				}
			}
			if string(got[0].data) != "five!" || string(got[3].data) != "old" {
				t.Errorf("data %q and %q, want five! and old", got[0].data, got[3].data)
			}
		})
	}
}

func TestPcapngSimplePacketBlockKeepsSnaplen(t *testing.T) {
	f := &ngFile{bo: binary.LittleEndian}
	// With a snaplen of 8 a 20-byte packet holds 8 bytes; without one, a
	// 5-byte packet holds 5 bytes and 3 of padding.
	f.shb().idb(ltEthernet, 8).spb(20, []byte("12345678"))
	g := &ngFile{bo: binary.LittleEndian}
	g.shb().idb(ltEthernet, 0).spb(5, []byte("12345"))
	for _, tc := range []struct {
		file   []byte
		data   string
		length int
	}{{f.b, "12345678", 20}, {g.b, "12345", 5}} {
		_, got := mustReadAll(t, tc.file)
		if len(got) != 1 || string(got[0].data) != tc.data || got[0].ci.Length != tc.length {
			t.Errorf("read %q of %d bytes, want %q of %d", got[0].data, got[0].ci.Length, tc.data, tc.length)
		}
	}
}

func TestPcapngBadBlocksAreFormatErrors(t *testing.T) {
	good := func() *ngFile {
		f := &ngFile{bo: binary.LittleEndian}
		return f.shb().idb(ltEthernet, 0).epb(0, 0, []byte("ok"), 2)
	}
	// raw appends bytes that no helper would write.
	raw := func(f *ngFile, words ...uint32) []byte {
		b := f.b
		for _, w := range words {
			b = binary.LittleEndian.AppendUint32(b, w)
		}
		return b
	}
	withTrailer := func(f *ngFile, trailer uint32) []byte {
		b := bytes.Clone(f.b)
		binary.LittleEndian.PutUint32(b[len(b)-4:], trailer)
		return b
	}
	big := make([]byte, 300000)

	for _, tc := range []struct {
		name   string
		file   []byte
		packet int
		msg    string
	}{
		{"length not a multiple of 4", raw(good(), blockEPB, 33), 2, "enhanced packet block: length 33 is not a multiple of 4"},
		{"length under 12", raw(good(), blockISB, 8), 2, "interface statistics block: length 8 is less than the minimum of 12"},
		{"packet block too short", raw(good(), blockEPB, 28), 2, "enhanced packet block: length 28 is less than the minimum of 32"},
		{"length over the maximum", raw(good(), 0x77, 0xfffffff0), 2, "block of type 0x77: length 4294967280 is more than the maximum"},
		{"trailing length differs", withTrailer(good().epb(0, 0, []byte("bad"), 3), 44), 2, "enhanced packet block: length at the start (36) and at the end (44) differ"},
		{"skipped block trailing length differs", withTrailer(good().block(blockNRB, make([]byte, 4)), 12), 2, "name resolution block: length at the start (16) and at the end (12) differ"},
		{"captured length past the block", func() []byte {
			b := good().epb(0, 0, []byte("abcd"), 4).b
			binary.LittleEndian.PutUint32(b[len(b)-36+20:], 9)
			return b
		}(), 2, "enhanced packet block: captured length 9 runs past the end of the block (4 bytes of room)"},
		{"packet bigger than libpcap allows", good().epb(0, 0, big, 300000).b, 2, "enhanced packet block says 300000 captured bytes, more than the 262144"},
		{"packet before any interface", (&ngFile{bo: binary.LittleEndian}).shb().epb(0, 0, []byte("x"), 1).b, 1, "enhanced packet block: interface 0 has no interface description block before it"},
		{"packet on a missing interface", good().epb(3, 0, []byte("x"), 1).b, 2, "interface 3 has no interface description block"},
		{"obsolete packet on a missing interface", good().pb(1, 0, []byte("x"), 1).b, 2, "packet block: interface 1 has no"},
		{"simple packet before any interface", (&ngFile{bo: binary.LittleEndian}).shb().spb(1, []byte("x")).b, 1, "simple packet block: no interface description block"},
		{"option runs past the block", func() []byte {
			f := good()
			return f.block(blockIDB, f.u16(1), f.u16(0), f.u32(0), f.u16(2), f.u16(40), []byte("eth0")).b
		}(), 2, "interface description block: option 2 says 40 bytes, only 4 left"},
		{"if_tsresol of two bytes", func() []byte {
			f := good()
			return f.idb(ltEthernet, 0, f.opt(optIfTsresol, []byte{9, 9})).b
		}(), 2, "if_tsresol is 2 bytes, want 1"},
		{"second section with a bad byte-order magic", raw(good(), blockSHB, 28, 0x11223344, 1, 0, 0, 28), 2, "section header block: byte-order magic is 44 33 22 11"},
		{"second section truncated", raw(good(), blockSHB, 28), 2, "truncated: file ends inside a section header block (8 of 12 bytes)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, got, err := readAll(t, tc.file)
			if len(got) != tc.packet-1 {
				t.Errorf("read %d good packets before the error, want %d", len(got), tc.packet-1)
			}
			wantFormatError(t, err, tc.packet, tc.msg)
		})
	}
}

// TestPcapngBadPacketOptionKeepsThePacket: a packet whose option runs past
// its block is read, as tcpdump reads it (its data is whole), with the
// comments before the bad option, and the packets after it too.
func TestPcapngBadPacketOptionKeepsThePacket(t *testing.T) {
	f := (&ngFile{bo: binary.LittleEndian}).shb().idb(ltEthernet, 0).epb(0, 0, []byte("ok"), 2)
	f.block(blockEPB, f.u32(0), f.u32(0), f.u32(0), f.u32(1), f.u32(1), []byte("x\x00\x00\x00"),
		f.u16(1), f.u16(4), []byte("note"), f.u16(1), f.u16(9), []byte("abcd"))
	f.block(blockEPB, f.u32(0), f.u32(0), f.u32(0), f.u32(1), f.u32(1), []byte("y\x00\x00\x00"))
	_, got, err := readAll(t, f.b)
	if err != nil || len(got) != 3 {
		t.Fatalf("read %d packets, error %v; want 3 and none", len(got), err)
	}
	if c := got[1].ci.AncillaryData; len(c) != 1 || c[0] != wire.Comment("note") || string(got[1].data) != "x" || string(got[2].data) != "y" {
		t.Errorf("packet 2: data %q, comments %v; packet 3 %q", got[1].data, c, got[2].data)
	}
}

func TestPcapngBadFirstSectionIsAFileHeaderError(t *testing.T) {
	f := &ngFile{bo: binary.LittleEndian}
	f.block(blockSHB, f.u32(byteOrderMagic), f.u16(2), f.u16(0), f.u64(0))
	_, _, err := readAll(t, f.b)
	wantFormatError(t, err, 0, "unsupported pcapng version 2.0")

	b := bytes.Clone(f.b)
	binary.LittleEndian.PutUint32(b[8:], 0xdeadbeef)
	_, _, err = readAll(t, b)
	wantFormatError(t, err, 0, "byte-order magic is ef be ad de")

	b = bytes.Clone(f.b)
	binary.LittleEndian.PutUint32(b[4:], 30)
	_, _, err = readAll(t, b)
	wantFormatError(t, err, 0, "section header block: length 30 is not a multiple of 4")
}

// TestPcapngWriterKeepsComments: the comments of a packet's AncillaryData
// are written as its opt_comment options and read back the same, in order;
// a packet without them gets no options.
func TestPcapngWriterKeepsComments(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewPcapngWriter(&buf, []Interface{{LinkType: ltEthernet}})
	if err != nil {
		t.Fatal(err)
	}
	in := []gopacket.CaptureInfo{
		{Timestamp: time.Unix(1, 0), Length: 5, AncillaryData: []any{wire.Comment("one"), 7, wire.Comment("two, longer")}},
		{Timestamp: time.Unix(2, 0), Length: 5},
	}
	for _, ci := range in {
		if err := w.WritePacket(ci, []byte("12345")); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	_, got := mustReadAll(t, buf.Bytes())
	if len(got) != 2 {
		t.Fatalf("read %d packets, want 2", len(got))
	}
	if a := got[0].ci.AncillaryData; fmt.Sprint(a) != "[one two, longer]" || string(got[0].data) != "12345" {
		t.Errorf("first packet: %q with %#v, want 12345 with the two comments", got[0].data, a)
	}
	if a := got[1].ci.AncillaryData; a != nil {
		t.Errorf("second packet: AncillaryData %#v, want none", a)
	}
}
