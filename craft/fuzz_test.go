package craft

// FuzzParseSpec: the spec parser and builder on arbitrary text.

import (
	"bufio"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/craft/spec"
	"github.com/sockscope/sockscope/decode"
)

// corpusSpec is a line of testdata/specs.txt; lies is true when the spec
// sets a length or count that says more than is there.
type corpusSpec struct {
	text string
	lies bool
}

// corpusSpecs are the specs of testdata/specs.txt.
func corpusSpecs(tb testing.TB) []corpusSpec {
	f, err := os.Open("../testdata/specs.txt")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var specs []corpusSpec
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		text, lies := strings.CutSuffix(line, "  # lies")
		specs = append(specs, corpusSpec{text, lies})
	}
	return specs
}

// TestCorpusSpecsBuildAndDecode: every spec of the corpus parses, builds,
// and prints as one line (and its hex) without a decoder's complaint of
// truncation.
func TestCorpusSpecsBuildAndDecode(t *testing.T) {
	var out strings.Builder
	for _, c := range corpusSpecs(t) {
		text := c.text
		s, err := spec.Parse(text)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		b, err := Build(s, testOptions())
		if err != nil {
			t.Errorf("%s: %v", text, err)
			continue
		}
		out.Reset()
		p := decode.NewPrinter(&out, decode.Options{Time: decode.TimeNone})
		data := b.Packet(0)
		if err := p.Print(data, gopacket.CaptureInfo{CaptureLength: len(data), Length: len(data)}, b.LinkType()); err != nil {
			t.Fatal(err)
		}
		p.Flush()
		if truncated := strings.Contains(out.String(), "[|"); truncated != c.lies {
			t.Errorf("%s: decoded as truncated: %v, want %v: %s", text, truncated, c.lies, out.String())
		}
	}
}

// FuzzParseSpec parses arbitrary specs: the parser must not panic and must
// fail only with a three-line *spec.Error; every spec it accepts must build
// (or fail with a *spec.Error), and decode must print what is built.
func FuzzParseSpec(f *testing.F) {
	for _, c := range corpusSpecs(f) {
		f.Add(c.text, uint8(3))
	}
	f.Fuzz(func(t *testing.T, text string, count uint8) {
		if len(text) > 4000 {
			return
		}
		s, err := spec.Parse(text)
		if err != nil {
			var se *spec.Error
			if !errors.As(err, &se) {
				t.Fatalf("%q: error %v is not a *spec.Error", text, err)
			}
			if strings.Count(err.Error(), "\n") != 2 {
				t.Fatalf("%q: error %q is not three lines", text, err)
			}
			return
		}
		b, err := Build(s, testOptions())
		if err != nil {
			var se *spec.Error
			if !errors.As(err, &se) {
				t.Fatalf("%q: build error %v is not a *spec.Error", text, err)
			}
			return
		}
		p := decode.NewPrinter(io.Discard, decode.Options{HexASCII: 1, Verbose: 2})
		for i := range int(count%4) + 1 {
			data := b.Packet(i)
			ci := gopacket.CaptureInfo{Timestamp: time.Unix(0, 0), CaptureLength: len(data), Length: len(data)}
			if err := p.Print(data, ci, b.LinkType()); err != nil {
				t.Fatal(err)
			}
		}
	})
}
