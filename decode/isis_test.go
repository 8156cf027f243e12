package decode

import (
	"bytes"
	"encoding/binary"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// isisFrame is an 802.3 frame carrying pdu under LLC at the OSI SAP, to
// IS-IS's all-L1-ISs address.
func isisFrame(pdu []byte) []byte {
	f := tunCat([]byte{0x01, 0x80, 0xc2, 0, 0, 0x14, 0xc2, 0x02, 0x29, 0x98, 0, 0x01, 0, 0, 0xfe, 0xfe, 0x03}, pdu)
	binary.BigEndian.PutUint16(f[12:], uint16(len(pdu)+3))
	return f
}

var isisSys = []byte{0x33, 0x33, 0x33, 0x33, 0x33, 0x33}

// isisPDUBytes is a PDU of type typ: the common header, fixed (with its
// PDU length at lenAt, set here) and the CLVs.
func isisPDUBytes(typ byte, fixed []byte, lenAt int, clvs ...[]byte) []byte {
	b := tunCat([]byte{0x83, byte(8 + len(fixed)), 1, 0, typ, 1, 0, 0}, fixed)
	for _, c := range clvs {
		b = append(b, c...)
	}
	binary.BigEndian.PutUint16(b[8+lenAt:], uint16(len(b)))
	return b
}

func isisLANHello(typ byte, clvs ...[]byte) []byte {
	return isisPDUBytes(typ, tunCat([]byte{1}, isisSys, []byte{0, 30, 0, 0, 64}, isisSys, []byte{2}), 9, clvs...)
}

func isisP2PHello(clvs ...[]byte) []byte {
	return isisPDUBytes(17, tunCat([]byte{1}, isisSys, []byte{0, 30, 0, 0, 1}), 9, clvs...)
}

// isisLSPBytes is an LSP of type typ, its checksum set right when good.
func isisLSPBytes(typ byte, lifetime uint16, good bool, clvs ...[]byte) []byte {
	fixed := tunCat([]byte{0, 0}, wire16(lifetime), isisSys, []byte{0, 0}, wire32(0x0f), []byte{0x12, 0x34, 0x03})
	b := isisPDUBytes(typ, fixed, 0, clvs...)
	if good {
		binary.BigEndian.PutUint16(b[24:], uint16(fletcherChecksum(b[12:], 12)))
	}
	return b
}

func isisSNP(typ byte, clvs ...[]byte) []byte {
	fixed := tunCat([]byte{0, 0}, isisSys, []byte{0})
	if typ == 24 || typ == 25 {
		fixed = tunCat(fixed, make([]byte, 8), []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	}
	return isisPDUBytes(typ, fixed, 0, clvs...)
}

// isisTestFrames are IS-IS PDUs of every kind, whole, with CLVs tshark reads
// and does not, and faulty: a bad checksum, a short CLV, a PDU length past
// the packet, a nonzero reserved byte, area addresses and a partition
// designated IS that do not fit their CLV, an unknown authentication type,
// a PDU cut short by the capture.
func isisTestFrames() []testPacket {
	area := []byte{1, 4, 3, 0x49, 0, 1}
	nlpid := []byte{129, 1, 0xcc}
	unknown := []byte{200, 2, 0, 0}
	routerCap := []byte{242, 9, 1, 1, 1, 1, 0, 27, 2, 0, 0}
	reserved := isisLANHello(15, area)
	reserved[6] = 0xff
	long := isisLSPBytes(18, 1199, true, []byte{11, 2, 0, 0})
	binary.BigEndian.PutUint16(long[8:], uint16(len(long)+40))
	frames := [][]byte{
		isisFrame(isisLANHello(15, area, nlpid, []byte{8, 2, 0, 0})),
		isisFrame(isisLANHello(16, area, []byte{143, 0}, unknown)),
		isisFrame(isisP2PHello(area, []byte{240, 1, 0}, []byte{7, 0}, []byte{0, 0}, []byte{0, 0})),
		isisFrame(isisLSPBytes(18, 1199, true, area, nlpid, []byte{3, 0})),
		isisFrame(isisLSPBytes(20, 99, true, area, []byte{3, 0}, routerCap)),
		isisFrame(isisLSPBytes(20, 1199, false, area)),
		isisFrame(isisLSPBytes(18, 0, true, []byte{11, 9, 0, 0})),
		isisFrame(long),
		isisFrame(isisSNP(24, []byte{9, 0}, unknown)),
		isisFrame(isisSNP(27, []byte{9, 0})),
		isisFrame(reserved),
		isisFrame(isisPDUBytes(5, []byte{0, 0, 1, 2}, 0)),
		isisFrame(isisLSPBytes(20, 1199, true, []byte{1, 6, 3, 0x49, 0, 1, 2, 0x49}, []byte{4, 8, 1, 2, 3, 4, 5, 6, 7, 8}, []byte{10, 4, 0x4c, 0, 0, 0})),
		isisFrame(isisLANHello(15, []byte{1, 5, 3, 0x49, 0, 1, 2}, []byte{10, 2, 1, 0x41})),
		isisFrame(isisP2PHello([]byte{1, 2, 3, 0x49})),
	}
	var pkts []testPacket
	for i, f := range frames {
		pkts = append(pkts, testPacket{data: f, link: wire.LinkEthernet,
			ci: gopacket.CaptureInfo{Timestamp: time.Unix(1700000000+int64(i), 0), CaptureLength: len(f), Length: len(f)}})
	}
	// An LSP the capture cut in its CLVs, and one in its fixed part.
	cut := isisFrame(isisLSPBytes(18, 1199, true, area, nlpid))
	for _, n := range []int{len(cut) - 3, 30, 22} {
		pkts = append(pkts, testPacket{data: cut[:n], link: wire.LinkEthernet,
			ci: gopacket.CaptureInfo{Timestamp: time.Unix(1700000100+int64(n), 0), CaptureLength: n, Length: len(cut)}})
	}
	return pkts
}

// TestISISLayersAndExpertsAreTsharks dissects IS-IS PDUs of every kind and
// compares their layers and expert items with tshark's for the same
// frames (tshark's frame.protocols has an osi layer its io,phs leaves out).
func TestISISLayersAndExpertsAreTsharks(t *testing.T) {
	pkts := isisTestFrames()
	var tree Tree
	tree.Dissect(pkts[0].data, pkts[0].ci, pkts[0].link, 1)
	if got, want := layerNames(&tree), "eth llc isis isis.hello"; got != want {
		t.Errorf("layers %q, want %q", got, want)
	}
	needTshark(t)
	path := filepath.Join(t.TempDir(), "isis.pcap")
	writeTestPcap(t, path, wire.LinkEthernet, pkts)
	theirs, err := tsharkExperts(path)
	if err != nil {
		t.Fatal(err)
	}
	ours, ok := ourExperts(path)
	if !ok {
		t.Fatal("decode did not read the capture")
	}
	protos := strings.Split(strings.TrimSpace(tsharkFieldsWith(t, path, nil, []string{"frame.protocols"})), "\n")
	for i, pk := range pkts {
		tree.Dissect(pk.data, pk.ci, pk.link, i+1)
		got := strings.ReplaceAll(layerNames(&tree), " ", ":")
		got = strings.ReplaceAll(strings.ReplaceAll(got, ":_ws.short", ""), ":_ws.malformed", "")
		if i < len(protos) && "eth:llc:"+strings.TrimPrefix(got, "eth:llc:") != strings.ReplaceAll(protos[i], ":osi:", ":") {
			t.Errorf("frame %d: layers %s, tshark's %s", i+1, got, protos[i])
		}
		var w []expertItem
		if i < len(theirs) {
			w = theirs[i]
		}
		if !slices.Equal(ours[i], w) {
			t.Errorf("frame %d: expert items\n%v\ntshark's\n%v", i+1, ours[i], w)
		}
	}
}

// TestISISPrintsAsTcpdump compares the lines of the same PDUs with
// tcpdump's, without and with -e.
func TestISISPrintsAsTcpdump(t *testing.T) {
	pkts := isisTestFrames()
	if got, want := tunLine(t, Options{}, pkts[0].data), "IS-IS, L1 Lan IIH, src-id 3333.3333.3333, lan-id 3333.3333.3333.02, prio 64, length 40\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	needTcpdump(t)
	path := filepath.Join(t.TempDir(), "isis.pcap")
	writeTestPcap(t, path, wire.LinkEthernet, pkts)
	for _, mode := range [][]string{{"-n"}, {"-n", "-e"}, {"-n", "-q"}, {"-n", "-x"}} {
		compareWithTcpdump(t, path, pkts, mode...)
	}
}

// TestFletcherChecksum checks the checksum an LSP's bytes should carry:
// with it in place, the ISO 8473 sums are zero.
func TestFletcherChecksum(t *testing.T) {
	b := isisLSPBytes(18, 1199, true, []byte{1, 4, 3, 0x49, 0, 1})[12:]
	var c0, c1 int
	for _, v := range b {
		c0 = (c0 + int(v)) % 255
		c1 = (c1 + c0) % 255
	}
	if c0 != 0 || c1 != 0 {
		t.Errorf("sums %d %d with the checksum in place, want 0 0", c0, c1)
	}
	if got := fletcherChecksum(b, 12); got != uint64(binary.BigEndian.Uint16(b[12:])) {
		t.Errorf("checksum %#04x of a PDU that carries %#04x", got, binary.BigEndian.Uint16(b[12:]))
	}
}

// TestISISDissectAllocatesNothing dissects IS-IS, ES-IS and CLNP PDUs
// again and again.
func TestISISDissectAllocatesNothing(t *testing.T) {
	pkts := append(isisTestFrames(), osiTestFrames()...)
	var tree Tree
	for i, pk := range pkts {
		tree.Dissect(pk.data, pk.ci, pk.link, i+1)
	}
	allocs := testing.AllocsPerRun(50, func() {
		for i, pk := range pkts {
			tree.Dissect(pk.data, pk.ci, pk.link, i+1)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per run", allocs)
	}
}

// osiTestFrames are ES-IS and CLNP PDUs: hellos, a redirect, an unknown
// type, a bad checksum, a data PDU, an error report, a header too short
// for tcpdump.
func osiTestFrames() []testPacket {
	withLen := func(b []byte) []byte { b[1] = byte(len(b)); return b }
	esh := withLen([]byte{0x82, 0, 1, 0, 2, 0, 30, 0, 0, 1, 4, 0x49, 0, 1, 2})
	ish := withLen([]byte{0x82, 0, 1, 0, 4, 0, 30, 0, 0, 4, 0x49, 0, 1, 2})
	rd := withLen([]byte{0x82, 0, 1, 0, 6, 0, 30, 0, 0, 4, 0x49, 0, 1, 2, 6, 2, 0, 0, 0, 0, 1, 4, 0x49, 0, 1, 3, 0xc5, 1, 0})
	odd := withLen([]byte{0x82, 0, 1, 0, 9, 0, 30, 0, 0, 0, 0, 0})
	tiny := withLen([]byte{0x82, 0, 1, 0, 2, 0, 30, 0, 0, 0})
	bad := withLen([]byte{0x82, 0, 1, 0, 4, 0, 30, 0x12, 0x34, 4, 0x49, 0, 1, 2})
	dt := tunCat(withLen([]byte{0x81, 0, 1, 20, 0x1c, 0, 0, 0, 0, 4, 0x49, 0, 1, 2, 4, 0x49, 0, 1, 3}), []byte("hello"))
	binary.BigEndian.PutUint16(dt[5:], uint16(len(dt)))
	er := withLen([]byte{0x81, 0, 1, 20, 0x01, 0, 19, 0, 0, 4, 0x49, 0, 1, 2, 4, 0x49, 0, 1, 3})
	var pkts []testPacket
	for i, pdu := range [][]byte{esh, ish, rd, odd, bad, dt, er, tiny} {
		f := isisFrame(pdu)
		pkts = append(pkts, testPacket{data: f, link: wire.LinkEthernet,
			ci: gopacket.CaptureInfo{Timestamp: time.Unix(1700000000+int64(i), 0), CaptureLength: len(f), Length: len(f)}})
	}
	return pkts
}

// TestOSIIsTsharksAndTcpdumps compares the layers and expert items of ES-IS
// and CLNP PDUs with tshark's, and their lines with tcpdump's.
func TestOSIIsTsharksAndTcpdumps(t *testing.T) {
	pkts := osiTestFrames()
	var tree Tree
	tree.Dissect(pkts[5].data, pkts[5].ci, pkts[5].link, 1)
	if got, want := layerNames(&tree), "eth llc clnp data"; got != want {
		t.Errorf("layers %q, want %q", got, want)
	}
	path := filepath.Join(t.TempDir(), "osi.pcap")
	if _, err := exec.LookPath("tshark"); err == nil {
		writeTestPcap(t, path, wire.LinkEthernet, pkts)
		theirs, err := tsharkExperts(path)
		if err != nil {
			t.Fatal(err)
		}
		ours, _ := ourExperts(path)
		protos := strings.Split(strings.TrimSpace(tsharkFieldsWith(t, path, nil, []string{"frame.protocols"})), "\n")
		for i, pk := range pkts {
			tree.Dissect(pk.data, pk.ci, pk.link, i+1)
			got := strings.ReplaceAll(layerNames(&tree), " ", ":")
			if want := strings.ReplaceAll(protos[i], ":osi:", ":"); got != want {
				t.Errorf("frame %d: layers %s, tshark's %s", i+1, got, want)
			}
			if !slices.Equal(ours[i], theirs[i]) {
				t.Errorf("frame %d: expert items\n%v\ntshark's\n%v", i+1, ours[i], theirs[i])
			}
		}
	}
	needTcpdump(t)
	writeTestPcap(t, path, wire.LinkEthernet, pkts)
	for _, mode := range [][]string{{"-n"}, {"-n", "-e"}} {
		compareWithTcpdump(t, path, pkts, mode...)
	}
}

// FuzzOSI dissects and prints OSI PDUs over LLC, seeded with the IS-IS,
// ES-IS and CLNP test frames, cut anywhere and with any frame length,
// with the Printer's recovery from panics switched off.
func FuzzOSI(f *testing.F) {
	for _, pk := range append(isisTestFrames(), osiTestFrames()...) {
		f.Add(pk.data, uint16(0), uint8(0))
	}
	recoverPanics = false
	f.Fuzz(func(t *testing.T, data []byte, extra uint16, opts uint8) {
		var out bytes.Buffer
		p := NewPrinter(&out, testFuzzOptions(opts))
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(1700000000, 0), CaptureLength: len(data), Length: len(data) + int(extra)}
		if err := p.Print(data, ci, wire.LinkEthernet); err != nil {
			t.Fatal(err)
		}
		var tree Tree
		tree.Reassemble = true
		tree.Dissect(data, ci, wire.LinkEthernet, 1)
		var b []byte
		tree.Experts(func(e Expert) bool {
			b = tree.AppendSummary(b[:0], e)
			return true
		})
	})
}

// osiExpertKind names the IS-IS and LLDP expert items whose message
// depends on the packet, for the expert test's expertKind; "" for others.
func osiExpertKind(message string) string {
	for _, k := range []struct{ prefix, kind string }{
		{"Dissector for IS-IS CLV (", "isis.clv.unknown"}, {"Short CLV header (", "isis.short_clv"},
		{"Bad checksum [should be 0x", "isis.lsp.bad_checksum"}, {"Unknown SubTlv: ", "isis.lsp.subtlv.unknown"},
		{"short address", "isis.short_address"}, {"Long lsp partition DIS, ", "isis.lsp.partition_dis.long"},
		{"Invalid Chassis ID (", "lldp.bad_type"}, {"Invalid Port ID (", "lldp.bad_type"},
	} {
		if strings.HasPrefix(message, k.prefix) {
			return k.kind
		}
	}
	return ""
}
