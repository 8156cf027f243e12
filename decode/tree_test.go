package decode

// Tests of the dissection tree as a whole: the registry speaks Wireshark's
// names and types, JSON keys are registry names, printing allocates nothing,
// and no packet bytes make a dissector or renderer panic.

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/capture/capturetest"
	"github.com/sockscope/sockscope/decode/wire"
)

// testdataCaptures are the project's recorded captures.
func testdataCaptures(t testing.TB) []string {
	t.Helper()
	var files []string
	for _, pat := range []string{"../testdata/*.pcap", "../testdata/*.pcapng"} {
		m, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Fatal("no captures in ../testdata")
	}
	return files
}

// needTshark skips a test that needs tshark when it is not installed,
// unless SOCKSCOPE_REQUIRE_PRIV=1 says it must run (CI).
func needTshark(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tshark"); err != nil {
		if os.Getenv("SOCKSCOPE_REQUIRE_PRIV") == "1" {
			t.Fatal("tshark not installed")
		}
		t.Skip("tshark not installed")
	}
}

// registryTypeOpen are fields whose type is not tshark's yet, with why.
var registryTypeOpen = map[string]string{
	"cfm.all.tlvs":         "a layer here (the TLVs' item), a label in tshark",
	"dec_dna.nsp.msg_type": "a layer here (the NSP header), an integer in tshark",
	"ipx.dst.net":          "decode has no IPX network type; an integer here",
	"ipx.src.net":          "decode has no IPX network type; an integer here",
}

func TestRegistryHasTsharksTypeForEveryNameTsharkKnows(t *testing.T) {
	needTshark(t)
	types := capturetest.TsharkFields(t)
	shared, ours := 0, 0
	Fields(func(id FieldID, f *Field) {
		ours++
		want, ok := types[f.Name]
		if !ok {
			return
		}
		shared++
		if why, ok := registryTypeOpen[f.Name]; ok {
			t.Logf("%s: %s here, %s in tshark (%s)", f.Name, f.Type, want, why)
			return
		}
		if got := f.Type.String(); got != want {
			t.Errorf("%s is %s here and %s in tshark", f.Name, got, want)
		}
	})
	t.Logf("%d fields registered, %d of them known to tshark", ours, shared)
	if shared < ours/2 {
		t.Errorf("only %d of %d registered fields have tshark's names", shared, ours)
	}
}

// checkJSONKeys reports every key of one JSON line that is not a registry
// name: top-level keys are protocols, a layer's keys are its fields.
func checkJSONKeys(t *testing.T, where string, line []byte) {
	t.Helper()
	var pkt map[string]json.RawMessage
	if err := json.Unmarshal(line, &pkt); err != nil {
		t.Fatalf("%s: not JSON: %v: %s", where, err, line)
	}
	for proto, raw := range pkt {
		id, ok := Lookup(proto)
		if !ok || id.Info().Type != TypeProtocol {
			t.Errorf("%s: key %q is not a registered protocol", where, proto)
			continue
		}
		var layers []map[string]json.RawMessage
		if bytes.HasPrefix(raw, []byte("[")) {
			if err := json.Unmarshal(raw, &layers); err != nil {
				t.Fatalf("%s: %s: %v", where, proto, err)
			}
		} else {
			var one map[string]json.RawMessage
			if err := json.Unmarshal(raw, &one); err != nil {
				t.Fatalf("%s: %s: %v", where, proto, err)
			}
			layers = append(layers, one)
		}
		for _, l := range layers {
			for key := range l {
				if _, ok := Lookup(key); !ok {
					t.Errorf("%s: key %q of layer %s is not a registry name", where, key, proto)
				}
			}
		}
	}
}

func TestEveryJSONKeyIsARegistryName(t *testing.T) {
	for _, file := range testdataCaptures(t) {
		c, err := readTestCapture(file)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		j := NewJSONPrinter(&out, Options{})
		for _, p := range c.packets {
			if err := j.Print(p.data, p.ci, p.link); err != nil {
				t.Fatal(err)
			}
		}
		if err := j.Flush(); err != nil {
			t.Fatal(err)
		}
		lines := bytes.Split(bytes.TrimSuffix(out.Bytes(), []byte("\n")), []byte("\n"))
		if len(lines) != len(c.packets) {
			t.Errorf("%s: %d lines for %d packets", file, len(lines), len(c.packets))
		}
		for i, line := range lines {
			checkJSONKeys(t, filepath.Base(file)+" packet "+itoa(i+1), line)
		}
	}
}

func itoa(i int) string { return string(appendInt(nil, i)) }

func appendInt(b []byte, i int) []byte {
	if i >= 10 {
		b = appendInt(b, i/10)
	}
	return append(b, byte('0'+i%10))
}

// allocsPerPacket is the mean number of allocations printing each packet of
// the file takes, once the printer has seen them all once.
func allocsPerPacket(t *testing.T, file string, print func(testPacket)) float64 {
	c, err := readTestCapture(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range c.packets {
		print(p)
	}
	i := 0
	return testing.AllocsPerRun(2*len(c.packets), func() {
		print(c.packets[i%len(c.packets)])
		i++
	})
}

func TestPrintingAllocatesNothingPerPacket(t *testing.T) {
	modes := []Options{{}, {Verbose: 1}, {Verbose: 3}, {Link: true}, {Quiet: true}, {HexASCII: 2}, {ASCII: 1}, {Time: TimeSinceFirst}}
	for _, file := range testdataCaptures(t) {
		for _, opt := range modes {
			p := NewPrinter(io.Discard, opt)
			if n := allocsPerPacket(t, file, func(pk testPacket) { p.Print(pk.data, pk.ci, pk.link) }); n != 0 {
				t.Errorf("%s %+v: %.2f allocations per packet, want 0", filepath.Base(file), opt, n)
			}
		}
		j := NewJSONPrinter(io.Discard, Options{})
		if n := allocsPerPacket(t, file, func(pk testPacket) { j.Print(pk.data, pk.ci, pk.link) }); n != 0 {
			t.Errorf("%s --json: %.2f allocations per packet, want 0", filepath.Base(file), n)
		}
	}
}

func TestEachFindsEveryOccurrenceAndBitField(t *testing.T) {
	var tr Tree
	tr.Reset(make([]byte, 40), gopacket.CaptureInfo{CaptureLength: 40, Length: 40}, wire.LinkRaw)
	l := tr.AddLayer(protoTCP, 0, 40)
	tr.Add(l, fTCPPort, 0, 2, 80)
	tr.Add(l, fTCPFlags, 13, 1, 0x012)
	tr.Add(l, fTCPPort, 2, 2, 443)
	var ports []uint64
	tr.Each(fTCPPort, func(_ int, v uint64) bool { ports = append(ports, v); return true })
	if len(ports) != 2 || ports[0] != 80 || ports[1] != 443 {
		t.Errorf("tcp.port occurrences %v, want [80 443]", ports)
	}
	var syn []uint64
	tr.Each(fTCPFlagSYN, func(_ int, v uint64) bool { syn = append(syn, v); return true })
	if len(syn) != 1 || syn[0] != 1 {
		t.Errorf("tcp.flags.syn occurrences %v, want [1]", syn)
	}
	n := 0
	tr.Each(protoTCP, func(int, uint64) bool { n++; return false })
	if n != 1 {
		t.Errorf("the tcp layer found %d times, want 1", n)
	}
}
