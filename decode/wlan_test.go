package decode

import (
	"bytes"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// wlanCorpus are the captures of tcpdump's corpus whose link type is
// 802.11, bare or after radiotap: their paths, or none without the corpus.
func wlanCorpus(tb testing.TB) []string {
	all, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "tcpdump", "*.pcap"))
	var out []string
	for _, f := range all {
		fh, err := os.Open(f)
		if err != nil {
			continue
		}
		var h [24]byte
		_, err = fh.Read(h[:])
		fh.Close()
		if err != nil {
			continue
		}
		l := binary.LittleEndian.Uint32(h[20:])
		if binary.LittleEndian.Uint32(h[:]) != 0xa1b2c3d4 && binary.LittleEndian.Uint32(h[:]) != 0xa1b23c4d {
			l = binary.BigEndian.Uint32(h[20:])
		}
		if l&0xffff == uint32(wire.LinkIEEE80211) || l&0xffff == uint32(wire.LinkIEEE80211Radiotap) {
			out = append(out, f)
		}
	}
	return out
}

// readWlanCapture reads a capture as tcpdump does: a record longer than
// the file's snapshot length is cut to it.
func readWlanCapture(tb testing.TB, path string) []testPacket {
	c, err := readTestCapture(path)
	if err != nil {
		tb.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil || len(b) < 24 {
		tb.Fatal(path, err)
	}
	snap := int(binary.LittleEndian.Uint32(b[16:]))
	if m := binary.LittleEndian.Uint32(b); m != 0xa1b2c3d4 && m != 0xa1b23c4d {
		snap = int(binary.BigEndian.Uint32(b[16:]))
	}
	for i := range c.packets {
		if pk := &c.packets[i]; snap > 0 && len(pk.data) > snap {
			pk.data = pk.data[:snap]
			pk.ci.CaptureLength = snap
		}
	}
	return c.packets
}

// wlanTcpdumpFloor is how many of the corpus' 802.11 captures decode must
// print exactly as tcpdump -n does (of 184; ieee802.11_htc.pcap differs:
// tcpdump reads the HT control field of a QoS data frame as its payload).
const wlanTcpdumpFloor = 183

// TestWlanCorpusLinesAreTcpdumps prints every 802.11 capture of tcpdump's
// corpus and counts those whose lines are tcpdump's, at default verbosity
// with -v, -e, both, and -X; the count must not fall under the floor.
func TestWlanCorpusLinesAreTcpdumps(t *testing.T) {
	needTcpdump(t)
	files := wlanCorpus(t)
	if len(files) == 0 {
		t.Skip("no 802.11 captures in ../shared/corpus/tcpdump")
	}
	for _, mode := range [][]string{{"-n"}, {"-n", "-v"}, {"-n", "-e"}, {"-n", "-v", "-e"}, {"-n", "-X"}} {
		same := 0
		for _, f := range files {
			cmd := exec.Command("tcpdump", append(mode, "-r", f)...)
			cmd.Env = append(cmd.Environ(), "TZ=UTC")
			want, err := cmd.Output()
			if err != nil {
				t.Fatalf("tcpdump -r %s: %v", f, err)
			}
			var got bytes.Buffer
			p := NewPrinter(&got, optionsFor(mode...))
			for _, pk := range readWlanCapture(t, f) {
				if err := p.Print(pk.data, pk.ci, pk.link); err != nil {
					t.Fatal(err)
				}
			}
			p.Flush()
			if bytes.Equal(got.Bytes(), want) {
				same++
			} else {
				t.Logf("%s %v differs:\ntcpdump:   %.300s\nsockscope: %.300s", filepath.Base(f), mode, want, got.Bytes())
			}
		}
		t.Logf("%v: %d of %d 802.11 captures print as tcpdump does", mode, same, len(files))
		if len(files) >= 184 && same < wlanTcpdumpFloor {
			t.Errorf("%v: %d of %d identical, fewer than %d", mode, same, len(files), wlanTcpdumpFloor)
		}
	}
}

// TestWlanCutPacketsDoNotPanic dissects and prints every 802.11 packet of
// the corpus cut at each length, in text and JSON: every read is bounded.
func TestWlanCutPacketsDoNotPanic(t *testing.T) {
	files := wlanCorpus(t)
	if len(files) == 0 {
		t.Skip("no 802.11 captures in ../shared/corpus/tcpdump")
	}
	recoverPanics = false
	defer func() { recoverPanics = true }()
	var out bytes.Buffer
	printers := []interface {
		Print([]byte, gopacket.CaptureInfo, wire.LinkType) error
	}{NewPrinter(&out, Options{}), NewPrinter(&out, Options{Link: true, Verbose: 2, HexASCII: 1}), NewJSONPrinter(&out, Options{})}
	var tr Tree
	seen := map[string]bool{}
	for _, f := range files {
		for _, pk := range readWlanCapture(t, f) {
			if seen[string(pk.data)] {
				continue // the reason and status code captures differ in two bytes
			}
			seen[string(pk.data)] = true
			for n := 0; n <= len(pk.data); n++ {
				ci := pk.ci
				ci.CaptureLength = n
				if ci.Length < n || ci.Length == 0 {
					ci.Length = n
				}
				tr.Dissect(pk.data[:n], ci, pk.link, 1)
				for _, p := range printers {
					if err := p.Print(pk.data[:n], ci, pk.link); err != nil {
						t.Fatal(err)
					}
				}
				out.Reset()
			}
		}
	}
}

// wlanTestFrames are a radiotap deauthentication (flags, rate, channel,
// dB signal) and a bare 802.11 beacon with SSID, rates and DS elements.
func wlanTestFrames() []testPacket {
	rt := []byte{0, 0, 18, 0, 0x0e, 0x10, 0, 0, // version, pad, length, present: flags, rate, channel, dB signal
		0x00, 0x02, 0x6c, 0x09, 0xa0, 0x00, 0x2a, 0, 0, 0}
	rt = rt[:14]
	rt = append(rt, 0x2a)
	rt[2] = byte(len(rt))
	deauth := append(append([]byte{}, rt...), 0xc0, 0, 0x3a, 0x01,
		1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 7, 8, 9, 10, 11, 12, 0x50, 0x0b, 0x02, 0x00)
	beacon := []byte{0x80, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6, 0x10, 0,
		1, 2, 3, 4, 5, 6, 7, 8, 0x64, 0, 0x11, 0,
		0, 4, 'w', 'l', 'a', 'n', 1, 3, 0x82, 0x84, 0x0b, 3, 1, 6}
	ts := gopacket.CaptureInfo{}
	return []testPacket{
		{data: deauth, ci: gopacket.CaptureInfo{Timestamp: ts.Timestamp, CaptureLength: len(deauth), Length: len(deauth)}, link: wire.LinkIEEE80211Radiotap},
		{data: beacon, ci: gopacket.CaptureInfo{CaptureLength: len(beacon), Length: len(beacon)}, link: wire.LinkIEEE80211},
	}
}

// wlanValue is the value of field f in any layer of tr.
func wlanValue(tr *Tree, f FieldID) (uint64, bool) {
	for _, l := range tr.Layers {
		if v, ok := tr.Value(int(l), f); ok {
			return v, true
		}
	}
	return 0, false
}

// wlanFind is the first node of field f in any layer of tr, or -1.
func wlanFind(tr *Tree, f FieldID) int {
	for _, l := range tr.Layers {
		if i := tr.Find(int(l), f); i >= 0 {
			return i
		}
	}
	return -1
}

// TestWlanTreeNamesWhatTheBytesSay checks the fields of the hand-made
// frames: radiotap's aligned fields, the management addresses and the
// elements.
func TestWlanTreeNamesWhatTheBytesSay(t *testing.T) {
	pk := wlanTestFrames()
	var tr Tree
	tr.Dissect(pk[0].data, pk[0].ci, pk[0].link, 1)
	for _, c := range []struct {
		f    FieldID
		want uint64
	}{{fRTLength, 15}, {fRTFlags, 0}, {fRTChanFreq, 2412}, {fRTChanFlags, 0xa0}, {fRTDBSignal, 0x2a},
		{fWRPhy, 4}, {fWRChannel, 1}, {fWRFrequency, 2412}, {fWRDuration, 192 + 26*8}, {fWlanTypeSub, 0x0c},
		{fWlanDuration, 314}, {fWlanSeq, 0xb5}, {fWlanReason, 2}} {
		v, ok := wlanValue(&tr, c.f)
		if !ok || v != c.want {
			t.Errorf("%s = %d, %v; want %d", c.f, v, ok, c.want)
		}
	}
	if i := wlanFind(&tr, fWlanSA); i < 0 || !bytes.Equal(tr.Bytes(i), []byte{7, 8, 9, 10, 11, 12}) {
		t.Errorf("wlan.sa not the second address")
	}
	var names []string
	for _, l := range tr.Layers {
		names = append(names, tr.Nodes[l].Field.Name())
	}
	if got := filepath.Join(names...); got != "frame/radiotap/wlan_radio/wlan/wlan.mgt" {
		t.Errorf("layers %s", got)
	}
	tr.Dissect(pk[1].data, pk[1].ci, pk[1].link, 2)
	if i := wlanFind(&tr, fWlanSSID); i < 0 || string(tr.Bytes(i)) != "wlan" {
		t.Errorf("no SSID wlan")
	}
	if v, ok := wlanValue(&tr, fWlanDSChannel); !ok || v != 6 {
		t.Errorf("channel %d, %v", v, ok)
	}
	var out bytes.Buffer
	p := NewPrinter(&out, Options{Time: TimeNone})
	for _, k := range pk {
		p.Print(k.data, k.ci, k.link)
	}
	p.Flush()
	want := "1.0 Mb/s 2412 MHz 11b 42dB signal DeAuthentication (07:08:09:0a:0b:0c): Previous authentication no longer valid\n" +
		"Beacon (wlan) [1.0* 2.0* 5.5 Mbit] ESS CH: 6, PRIVACY\n"
	if out.String() != want {
		t.Errorf("text:\n%s\nwant:\n%s", out.String(), want)
	}
}

// TestWlanPrintAllocatesNothing: the radiotap, 802.11 and management
// printers allocate nothing once warm.
func TestWlanPrintAllocatesNothing(t *testing.T) {
	pk := wlanTestFrames()
	var out bytes.Buffer
	for _, opt := range []Options{{}, {Link: true}, {Verbose: 1}} {
		p := NewPrinter(&out, opt)
		allocs := testing.AllocsPerRun(100, func() {
			for _, k := range pk {
				p.Print(k.data, k.ci, k.link)
			}
			out.Reset()
		})
		if allocs != 0 {
			t.Errorf("%+v: %.1f allocations per run", opt, allocs)
		}
	}
}

// TestWlanCorpusDissectAllocatesNothing dissects the corpus' 802.11
// packets, warm, with no allocation.
func TestWlanCorpusDissectAllocatesNothing(t *testing.T) {
	files := wlanCorpus(t)
	if len(files) == 0 {
		t.Skip("no 802.11 captures in ../shared/corpus/tcpdump")
	}
	var pkts []testPacket
	for _, f := range files {
		pkts = append(pkts, readWlanCapture(t, f)...)
	}
	var tr Tree
	tr.Reassemble = true
	var out bytes.Buffer
	p := NewPrinter(&out, Options{Link: true, Verbose: 1})
	allocs := testing.AllocsPerRun(5, func() {
		for _, pk := range pkts {
			tr.Dissect(pk.data, pk.ci, pk.link, 1)
			p.Print(pk.data, pk.ci, pk.link)
		}
		out.Reset()
	})
	if allocs != 0 {
		t.Errorf("%.1f allocations per run of %d packets", allocs, len(pkts))
	}
}

// FuzzWlan feeds bytes to the radiotap and 802.11 dissectors and their
// printers: none panics, whatever the bytes.
func FuzzWlan(f *testing.F) {
	for _, pk := range wlanTestFrames() {
		f.Add(pk.data, pk.link == wire.LinkIEEE80211Radiotap, uint8(0))
	}
	recoverPanics = false
	f.Fuzz(func(t *testing.T, data []byte, radiotap bool, opts uint8) {
		link := wire.LinkIEEE80211
		if radiotap {
			link = wire.LinkIEEE80211Radiotap
		}
		var out bytes.Buffer
		p := NewPrinter(&out, testFuzzOptions(opts))
		j := NewJSONPrinter(&out, Options{})
		ci := gopacket.CaptureInfo{CaptureLength: len(data), Length: len(data) + int(opts)}
		if err := p.Print(data, ci, link); err != nil {
			t.Fatal(err)
		}
		if err := j.Print(data, ci, link); err != nil {
			t.Fatal(err)
		}
	})
}
