package decode

// FuzzDissect: every dissector and renderer on arbitrary bytes, as every link
// type, in many output modes, with panics left to crash the test.

import (
	"bytes"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/gopacket"
)

// fuzzLinks are the link types the fuzz targets feed bytes as.
var fuzzLinks = []LinkType{LinkEthernet, LinkLinuxSLL, LinkLinuxSLL2, LinkNull, LinkLoop, LinkRaw, LinkIPv4, LinkIPv6}

// fuzzOptions turns a byte of fuzz input into a set of output options.
func fuzzOptions(bits uint8) Options {
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

// FuzzDissect prints arbitrary bytes as text and as JSON: whatever the
// bytes, nothing panics, the text ends a line and the JSON is one line.
func FuzzDissect(f *testing.F) {
	files, _ := filepath.Glob("../testdata/*.pcap")
	for _, file := range files {
		c, err := readTestCapture(file)
		if err != nil {
			continue
		}
		for i, pk := range c.packets {
			if i == 8 {
				break
			}
			for k, l := range fuzzLinks {
				if l == pk.link {
					f.Add(pk.data, uint8(k), uint8(i*37), uint16(i%3))
				}
			}
		}
	}
	recoverPanics = false
	f.Fuzz(func(t *testing.T, data []byte, link, opts uint8, extra uint16) {
		var text, js bytes.Buffer
		p := NewPrinter(&text, fuzzOptions(opts))
		j := NewJSONPrinter(&js, Options{})
		l := fuzzLinks[int(link)%len(fuzzLinks)]
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
		p.Flush()
		j.Flush()
		if b := text.Bytes(); len(b) == 0 || b[len(b)-1] != '\n' {
			t.Fatalf("text %q does not end a line", b)
		}
		if n := bytes.Count(js.Bytes(), []byte("\n")); n != 2 {
			t.Fatalf("JSON has %d lines for 2 packets", n)
		}
	})
}
