package decode

// What the decode tests share: builders of hand-made packet bytes, one small
// reader of pcap and pcapng files and one pcap writer (decode may not import
// capture/, whose readers are the real ones), and the comparison of the
// Printer's lines with the installed tcpdump's.

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// joinWire joins the parts of a hand-made packet.
func joinWire(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// wire16 and wire32 are v in network byte order; wireLE32 in little-endian
// order, as a BSD loopback header holds its address family.
func wire16(v uint16) []byte   { return binary.BigEndian.AppendUint16(nil, v) }
func wire32(v uint32) []byte   { return binary.BigEndian.AppendUint32(nil, v) }
func wireLE32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

// testPacket is one packet of a capture file or of a test: its bytes, its
// capture header and its link type.
type testPacket struct {
	data []byte
	ci   gopacket.CaptureInfo
	link wire.LinkType
}

// testCapture is a capture file read by readTestCapture.
type testCapture struct {
	packets []testPacket
	ifNames map[int]string // pcapng interface names
}

// readTestCapture reads a classic pcap file (either byte order, micro- or
// nanosecond stamps) or a pcapng file.
func readTestCapture(path string) (*testCapture, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(b) < 24 {
		return nil, errors.New("file too short")
	}
	if binary.LittleEndian.Uint32(b) == 0x0a0d0d0a {
		return readTestPcapng(b)
	}
	var bo binary.ByteOrder = binary.LittleEndian
	magic := bo.Uint32(b)
	if magic != 0xa1b2c3d4 && magic != 0xa1b23c4d {
		bo = binary.BigEndian
		magic = bo.Uint32(b)
	}
	if magic != 0xa1b2c3d4 && magic != 0xa1b23c4d {
		return nil, fmt.Errorf("not a pcap file (magic %#x)", magic)
	}
	fracNs := int64(1000)
	if magic == 0xa1b23c4d {
		fracNs = 1
	}
	link := wire.LinkType(bo.Uint32(b[20:]) & 0xffff)
	c := &testCapture{}
	for off := 24; off+16 <= len(b); {
		sec, frac := int64(bo.Uint32(b[off:])), int64(bo.Uint32(b[off+4:]))
		caplen, length := int(bo.Uint32(b[off+8:])), int(bo.Uint32(b[off+12:]))
		off += 16
		if caplen > len(b)-off {
			break
		}
		c.packets = append(c.packets, testPacket{
			data: b[off : off+caplen : off+caplen],
			ci:   gopacket.CaptureInfo{Timestamp: time.Unix(sec, frac*fracNs), CaptureLength: caplen, Length: length},
			link: link,
		})
		off += caplen
	}
	return c, nil
}

func readTestPcapng(b []byte) (*testCapture, error) {
	c := &testCapture{ifNames: map[int]string{}}
	type iface struct {
		link wire.LinkType
		unit float64 // seconds per timestamp unit
	}
	var ifaces []iface
	var bo binary.ByteOrder = binary.LittleEndian
	for off := 0; off+12 <= len(b); {
		if binary.LittleEndian.Uint32(b[off:]) == 0x0a0d0d0a { // a section: byte order, no interfaces
			if binary.LittleEndian.Uint32(b[off+8:]) == 0x1a2b3c4d {
				bo = binary.LittleEndian
			} else {
				bo = binary.BigEndian
			}
			ifaces = ifaces[:0]
		}
		typ, n := bo.Uint32(b[off:]), int(bo.Uint32(b[off+4:]))
		if n < 12 || n > len(b)-off {
			return nil, fmt.Errorf("bad block length %d at %d", n, off)
		}
		body := b[off+8 : off+n-4]
		switch typ {
		case 1: // interface description
			if len(body) < 8 {
				return nil, errors.New("short interface block")
			}
			ifc := iface{link: wire.LinkType(bo.Uint16(body)), unit: 1e-6}
			for o := 8; o+4 <= len(body); {
				code, l := bo.Uint16(body[o:]), int(bo.Uint16(body[o+2:]))
				if code == 0 || o+4+l > len(body) {
					break
				}
				v := body[o+4 : o+4+l]
				switch {
				case code == 2:
					c.ifNames[len(ifaces)] = string(v)
				case code == 9 && l == 1:
					if v[0]&0x80 != 0 {
						ifc.unit = 1 / float64(uint64(1)<<(v[0]&0x7f))
					} else {
						ifc.unit = 1
						for i := 0; i < int(v[0]); i++ {
							ifc.unit /= 10
						}
					}
				}
				o += 4 + (l+3)&^3
			}
			ifaces = append(ifaces, ifc)
		case 6: // enhanced packet
			if len(body) < 20 {
				return nil, errors.New("short packet block")
			}
			id := int(bo.Uint32(body))
			if id >= len(ifaces) {
				return nil, errors.New("packet of an undescribed interface")
			}
			ts := uint64(bo.Uint32(body[4:]))<<32 | uint64(bo.Uint32(body[8:]))
			caplen, length := int(bo.Uint32(body[12:])), int(bo.Uint32(body[16:]))
			if caplen > len(body)-20 {
				return nil, errors.New("short packet data")
			}
			unitsPerSec := uint64(1/ifaces[id].unit + 0.5)
			t := time.Unix(int64(ts/unitsPerSec), int64(float64(ts%unitsPerSec)*ifaces[id].unit*1e9+0.5))
			ci := gopacket.CaptureInfo{Timestamp: t, CaptureLength: caplen, Length: length, InterfaceIndex: id}
			// Packet comments (option 1), as capture hands them out.
			for o := 20 + (caplen+3)&^3; o+4 <= len(body); {
				code, l := bo.Uint16(body[o:]), int(bo.Uint16(body[o+2:]))
				if code == 0 || o+4+l > len(body) {
					break
				}
				if code == 1 {
					ci.AncillaryData = append(ci.AncillaryData, wire.Comment(body[o+4:o+4+l]))
				}
				o += 4 + (l+3)&^3
			}
			c.packets = append(c.packets, testPacket{
				data: body[20 : 20+caplen : 20+caplen],
				ci:   ci,
				link: ifaces[id].link,
			})
		}
		off += n
	}
	return c, nil
}

// testdataPath is where a capture of the project's testdata/ is.
func testdataPath(name string) string { return filepath.Join("..", "testdata", name) }

// readTestdata reads a capture of testdata/, skipping the test or benchmark
// when it is not there.
func readTestdata(tb testing.TB, name string) []testPacket {
	tb.Helper()
	c, err := readTestCapture(testdataPath(name))
	if err != nil {
		tb.Skipf("capture not available: %v", err)
	}
	return c.packets
}

// etherPackets are frames as Ethernet packets one microsecond apart.
func etherPackets(frames [][]byte) []testPacket {
	pkts := make([]testPacket, len(frames))
	for i, f := range frames {
		pkts[i] = testPacket{data: f, link: wire.LinkEthernet, ci: gopacket.CaptureInfo{
			Timestamp: time.Unix(1700000000, int64(i)*1000), CaptureLength: len(f), Length: len(f)}}
	}
	return pkts
}

// writeTestPcap writes pkts as a little-endian, microsecond pcap file of
// link type link, for tcpdump to read. It is written by hand: gopacket's
// writer holds link types in a byte, too small for LINKTYPE_LINUX_SLL2 (276).
func writeTestPcap(t *testing.T, path string, link wire.LinkType, pkts []testPacket) {
	t.Helper()
	le := binary.LittleEndian
	b := le.AppendUint32(nil, 0xa1b2c3d4)
	b = le.AppendUint16(b, 2)
	b = le.AppendUint16(b, 4)
	b = le.AppendUint64(b, 0)
	b = le.AppendUint32(b, maxSnaplen)
	b = le.AppendUint32(b, uint32(link))
	for _, pk := range pkts {
		b = le.AppendUint32(b, uint32(pk.ci.Timestamp.Unix()))
		b = le.AppendUint32(b, uint32(pk.ci.Timestamp.Nanosecond()/1000))
		b = le.AppendUint32(b, uint32(len(pk.data)))
		b = le.AppendUint32(b, uint32(pk.ci.Length))
		b = append(b, pk.data...)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// needTcpdump skips a test that compares with tcpdump when it is not
// installed, unless SOCKSCOPE_REQUIRE_PRIV=1 says it must run (CI).
func needTcpdump(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tcpdump"); err != nil {
		if os.Getenv("SOCKSCOPE_REQUIRE_PRIV") == "1" {
			t.Fatal("tcpdump not installed")
		}
		t.Skip("tcpdump not installed")
	}
}

// oracleModes are the tcpdump flag sets the oracle tests of hand-made
// packets compare.
var oracleModes = [][]string{{"-n"}, {"-n", "-v"}, {"-n", "-vv"}, {"-n", "-e"}, {"-n", "-X"}, {"-n", "-q"}}

// matchTcpdump writes Ethernet frames to a pcap file and compares the
// Printer's lines with tcpdump's in every oracle mode.
func matchTcpdump(t *testing.T, frames [][]byte) {
	t.Helper()
	needTcpdump(t)
	// IP_ORACLE_DIR keeps the file for a look with tcpdump.
	dir := os.Getenv("IP_ORACLE_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "_")+".pcap")
	pkts := etherPackets(frames)
	writeTestPcap(t, path, wire.LinkEthernet, pkts)
	for _, mode := range oracleModes {
		compareWithTcpdump(t, path, pkts, mode...)
	}
}

// optionsFor turns tcpdump's flags into Options (in UTC, interfaces named
// as on this machine, as tcpdump names them).
func optionsFor(mode ...string) Options {
	opt := Options{Location: time.UTC, IfName: localIfName}
	for _, m := range mode {
		if m == "-n" || !strings.HasPrefix(m, "-") {
			continue
		}
		n := len(m) - 1
		switch m[1] {
		case 'v':
			opt.Verbose += n
		case 'e':
			opt.Link = true
		case 'q':
			opt.Quiet = true
		case 'x':
			opt.Hex = n
		case 'X':
			opt.HexASCII = n
		case 'A':
			opt.ASCII = n
		case 't':
			opt.Time = TimeFormat(n)
		}
	}
	return opt
}

// localIfName names interfaces as tcpdump does on this machine.
func localIfName(index int) (string, bool) {
	ifc, err := net.InterfaceByIndex(index)
	if err != nil {
		return "", false
	}
	return ifc.Name, true
}

// compareWithTcpdump prints pkts, the packets of the pcap file path, with
// the options of mode, and compares the lines with what tcpdump prints for
// the file, naming the first line that differs.
func compareWithTcpdump(t *testing.T, path string, pkts []testPacket, mode ...string) {
	t.Helper()
	cmd := exec.Command("tcpdump", append(mode, "-r", path)...)
	cmd.Env = append(cmd.Environ(), "TZ=UTC")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	want, err := cmd.Output()
	if err != nil {
		t.Fatalf("tcpdump %s -r %s: %v: %s", strings.Join(mode, " "), path, err, stderr.Bytes())
	}
	var got bytes.Buffer
	p := NewPrinter(&got, optionsFor(mode...))
	for _, pk := range pkts {
		if err := p.Print(pk.data, pk.ci, pk.link); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Flush(); err != nil {
		t.Fatal(err)
	}
	ws, gs := bufio.NewScanner(bytes.NewReader(want)), bufio.NewScanner(&got)
	ws.Buffer(nil, 1<<20)
	gs.Buffer(nil, 1<<20)
	for line := 1; ; line++ {
		w, g := ws.Scan(), gs.Scan()
		if !w && !g {
			return
		}
		if ws.Text() != gs.Text() {
			t.Errorf("%s %s line %d differs:\ntcpdump:   %s\nsockscope: %s",
				filepath.Base(path), strings.Join(mode, " "), line, ws.Text(), gs.Text())
			return
		}
	}
}
