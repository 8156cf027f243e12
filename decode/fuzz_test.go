package decode

// FuzzDecode: every link printer on arbitrary bytes, in many output modes,
// through the public API only (it builds against either decoder), seeded
// with the link tests' hand-made packets and the testdata captures.

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// testFuzzLinks are the link types FuzzDecode feeds bytes as.
var testFuzzLinks = []wire.LinkType{wire.LinkEthernet, wire.LinkLinuxSLL, wire.LinkLinuxSLL2, wire.LinkNull, wire.LinkLoop, wire.LinkRaw, wire.LinkIPv4, wire.LinkIPv6,
	wire.LinkIEEE80211, wire.LinkIEEE80211Radiotap}

// testFuzzOptions turns a byte of fuzz input into a set of output options.
func testFuzzOptions(bits uint8) Options {
	opt := Options{
		Link:     bits&1 != 0,
		Verbose:  int(bits>>1) & 3,
		Quiet:    bits&8 != 0,
		Time:     TimeFormat(bits>>4) % 6,
		Location: time.UTC,
		IfName:   func(int) (string, bool) { return "eth0", true },
	}
	switch bits >> 6 {
	case 1:
		opt.Hex = 1
	case 2:
		opt.HexASCII = 2
	case 3:
		opt.ASCII = 1
	}
	return opt
}

// testFuzzSeeds adds to f the link tests' packets of every link type and
// the first packets of the Ethernet captures of testdata/.
func testFuzzSeeds(f *testing.F) {
	for _, lp := range linkOraclePackets() {
		for i, l := range testFuzzLinks {
			if l == lp.link {
				f.Add(lp.data, uint8(i), uint8(1), uint16(0))
			}
		}
	}
	for _, name := range []string{"arp-icmp.pcap", "tcp4.pcap", "tcp6.pcap", "dns.pcap", "vxlan.pcap", "frag.pcap"} {
		for i, data := range fuzzSeedPackets(testdataPath(name), 8) {
			f.Add(data, uint8(0), uint8(i*37), uint16(i%3))
		}
	}
}

// FuzzDecode prints arbitrary bytes as each link type with many option sets,
// as text and as JSON, with the Printer's recovery from panics switched off:
// whatever the bytes, no dissector or renderer panics, Print returns without
// error, the text ends a line and the JSON is one line a packet.
func FuzzDecode(f *testing.F) {
	testFuzzSeeds(f)
	recoverPanics = false
	f.Fuzz(func(t *testing.T, data []byte, link, opts uint8, extra uint16) {
		var out, js bytes.Buffer
		p := NewPrinter(&out, testFuzzOptions(opts))
		j := NewJSONPrinter(&js, Options{})
		l := testFuzzLinks[int(link)%len(testFuzzLinks)]
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(1700000000, 0), CaptureLength: len(data), Length: len(data) + int(extra)}
		// Twice, so the state kept between packets (TCP, timestamps) is used.
		for i := 0; i < 2; i++ {
			if err := p.Print(data, ci, l); err != nil {
				t.Fatal(err)
			}
			if err := j.Print(data, ci, l); err != nil {
				t.Fatal(err)
			}
		}
		if err := p.Flush(); err != nil {
			t.Fatal(err)
		}
		if err := j.Flush(); err != nil {
			t.Fatal(err)
		}
		if b := out.Bytes(); len(b) == 0 || b[len(b)-1] != '\n' {
			t.Fatalf("output %q does not end a line", b)
		}
		if n := bytes.Count(js.Bytes(), []byte("\n")); n != 2 {
			t.Fatalf("JSON has %d lines for 2 packets", n)
		}
	})
}

// fuzzSeedPackets reads up to max packets of an Ethernet capture, if it is there.
func fuzzSeedPackets(path string, max int) [][]byte {
	c, err := readTestCapture(path)
	if err != nil {
		return nil
	}
	var out [][]byte
	for _, pk := range c.packets {
		if pk.link != wire.LinkEthernet || len(out) == max {
			break
		}
		out = append(out, pk.data)
	}
	return out
}
