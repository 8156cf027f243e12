package display_test

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/capture"
	"github.com/sockscope/sockscope/capture/capturetest"
	"github.com/sockscope/sockscope/decode"
	"github.com/sockscope/sockscope/decode/display"
	"github.com/sockscope/sockscope/decode/wire"
)

// corpusLine is one expression of testdata/display-filters.txt.
type corpusLine struct {
	line   int
	expr   string
	reject bool
}

func readCorpus(t testing.TB) []corpusLine {
	f, err := os.Open(filepath.Join("..", "..", "testdata", "display-filters.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusLine
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		l := corpusLine{line: n, expr: s}
		if rest, ok := strings.CutPrefix(s, "REJECT "); ok {
			l.expr, l.reject = strings.TrimSpace(rest), true
		}
		out = append(out, l)
	}
	return out
}

// mergedCaptures concatenates every readable testdata capture into one
// pcapng file (mergecap -a), so that tshark reads them all in one run per
// expression; packet numbers run on from file to file.
func mergedCaptures(t *testing.T) (path string, files []string) {
	mergecap := capturetest.RequireTool(t, "mergecap")
	files = capturetest.Captures(t, filepath.Join("..", "..", "testdata"))
	path = filepath.Join(t.TempDir(), "merged.pcapng")
	out, err := exec.Command(mergecap, append([]string{"-a", "-F", "pcapng", "-w", path}, files...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("mergecap: %v\n%s", err, out)
	}
	return path, files
}

// dissectAll reads a capture into one tree per packet, numbered from 1. One
// tree dissects them all, as a Selector's does, so that what it keeps from
// packet to packet (TCP conversations: tcp.stream, relative sequence
// numbers) is there; each packet's tree is a copy of it.
func dissectAll(t testing.TB, path string) []*decode.Tree {
	r, err := capture.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var trees []*decode.Tree
	w := decode.Tree{Reassemble: true} // tshark's defaults, as the CLI's
	loop := capture.Loop{Check: decode.CheckLink}
	_, err = loop.Run(r, func(data []byte, ci gopacket.CaptureInfo, link wire.LinkType) error {
		w.Dissect(slices.Clone(data), ci, link, loop.Read)
		tr := new(decode.Tree)
		*tr = w
		tr.Nodes, tr.Layers, tr.Text = slices.Clone(w.Nodes), slices.Clone(w.Layers), slices.Clone(w.Text)
		tr.Data = slices.Clone(w.Data) // with reassembled bytes, the tree's own buffer
		trees = append(trees, tr)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return trees
}

// TestSelectsWhatTsharkSelects compiles every expression of the corpus and
// runs it on every testdata capture, and tshark -Y too: both must select
// the same packets, and every expression tshark rejects must be rejected.
func TestSelectsWhatTsharkSelects(t *testing.T) {
	tshark := capturetest.RequireTool(t, "tshark")
	merged, files := mergedCaptures(t)
	trees := dissectAll(t, merged)
	corpus := readCorpus(t)
	if len(corpus) < 300 {
		t.Errorf("the corpus has %d expressions, want at least 300", len(corpus))
	}
	results := tsharkSelects(t, tshark, merged, corpus)
	// The Lua listeners run tshark's display-filter engine as -Y does;
	// a few runs of -Y itself hold them to it.
	for _, i := range []int{0, len(corpus) / 3, len(corpus) / 2, len(corpus) - 1} {
		if r := tsharkY(t, tshark, merged, corpus[i].expr); !slices.Equal(r.frames, results[i].frames) || (r.err == "") != (results[i].err == "") {
			t.Fatalf("%q: tshark -Y gives %v %q, its Lua listener %v %q", corpus[i].expr, r.frames, r.err, results[i].frames, results[i].err)
		}
	}
	compared := 0
	for i, c := range corpus {
		res := results[i]
		f, err := display.Compile(c.expr)
		if res.err != "" {
			if !c.reject {
				t.Errorf("line %d: tshark rejects %q (mark it REJECT): %s", c.line, c.expr, firstLine(res.err))
			}
			if err == nil {
				t.Errorf("line %d: %q compiles, but tshark rejects it: %s", c.line, c.expr, firstLine(res.err))
			}
			continue
		}
		if c.reject {
			t.Errorf("line %d: %q is marked REJECT, but tshark accepts it", c.line, c.expr)
		}
		if err != nil {
			t.Errorf("line %d: %q: %v", c.line, c.expr, err)
			continue
		}
		var got []int
		for _, tr := range trees {
			if f.Match(tr) {
				got = append(got, tr.Number)
			}
		}
		compared++
		if !slices.Equal(got, res.frames) {
			t.Errorf("line %d: %q selects %s, tshark %s", c.line, c.expr, diff(got, res.frames), diff(res.frames, got))
		}
	}
	t.Logf("%d expressions compared with tshark on %d captures (%d packets); %d rejected by both", compared, len(files), len(trees), len(corpus)-compared)
}

// diff lists the frames of a that b lacks, at most ten.
func diff(a, b []int) string {
	var s []string
	for _, n := range a {
		if !slices.Contains(b, n) {
			s = append(s, strconv.Itoa(n))
		}
	}
	if len(s) > 10 {
		s = append(s[:10], "...")
	}
	return strconv.Itoa(len(a)) + " packets (not in the other: " + strings.Join(s, " ") + ")"
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// tsharkResult is what tshark selects of the merged capture with one
// expression, or why it rejects it.
type tsharkResult struct {
	frames []int
	err    string
}

// listenerScript registers one Lua tap listener per expression of the file
// DF_FILTERS (a listener takes a display filter, and a bad one is an error
// that pcall catches), and writes each one's packet numbers, or REJECT and
// tshark's message, to DF_OUT: one tshark run reads the capture once for
// every expression, where tshark -Y would take a run (0.3 s) each.
const listenerScript = `
local filters = {}
for line in io.lines(os.getenv("DF_FILTERS")) do filters[#filters+1] = line end
local out = io.open(os.getenv("DF_OUT"), "w")
for i, f in ipairs(filters) do
  local ok, l = pcall(Listener.new, nil, f)
  if ok then
    local h = {}
    function l.packet(pinfo) h[#h+1] = pinfo.number end
    function l.draw() out:write(i, "\t", table.concat(h, " "), "\n") out:flush() end
  else
    out:write(i, "\tREJECT\t", (tostring(l):gsub("\n", " ")), "\n")
  end
end
`

// tsharkSelects runs every expression of the corpus through tshark on the
// merged capture in one run, with Lua listeners when tshark has Lua, else
// with one tshark -Y run per expression, two at a time.
func tsharkSelects(t *testing.T, tshark, merged string, corpus []corpusLine) []tsharkResult {
	results := make([]tsharkResult, len(corpus))
	dir := t.TempDir()
	script, filters, out := filepath.Join(dir, "listen.lua"), filepath.Join(dir, "filters"), filepath.Join(dir, "out")
	var list strings.Builder
	for _, c := range corpus {
		list.WriteString(c.expr + "\n")
	}
	if err := os.WriteFile(script, []byte(listenerScript), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filters, []byte(list.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(tshark, append(append([]string{"-n", "-q"}, tsharkPrefs...), "-r", merged, "-X", "lua_script:"+script)...)
	cmd.Env = append(os.Environ(), "DF_FILTERS="+filters, "DF_OUT="+out)
	msg, err := cmd.CombinedOutput()
	data, rerr := os.ReadFile(out)
	if err == nil && rerr == nil && strings.Count(string(data), "\n") == len(corpus) {
		for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
			num, rest, _ := strings.Cut(line, "\t")
			i, _ := strconv.Atoi(num)
			i--
			if i < 0 || i >= len(results) {
				t.Fatalf("tshark's Lua listeners wrote %q", line)
			}
			if why, ok := strings.CutPrefix(rest, "REJECT\t"); ok {
				results[i].err = why
				continue
			}
			for _, f := range strings.Fields(rest) {
				n, _ := strconv.Atoi(f)
				results[i].frames = append(results[i].frames, n)
			}
		}
		return results
	}
	t.Logf("tshark without Lua listeners (%v %s): one run per expression", err, firstLine(string(msg)))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for i, c := range corpus {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			results[i] = tsharkY(t, tshark, merged, c.expr)
		}()
	}
	wg.Wait()
	return results
}

// tsharkPrefs are the preferences tshark runs under: none, its defaults
// (IP fragments and TCP messages reassembled, sequence analysis on), as
// sockscope's -Y has them.
var tsharkPrefs []string

// tsharkY is what tshark -Y expr selects of the capture.
func tsharkY(t *testing.T, tshark, path, expr string) (r tsharkResult) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, tshark, append(append([]string{"-n"}, tsharkPrefs...), "-r", path, "-Y", expr, "-T", "fields", "-e", "frame.number")...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		r.err = strings.TrimSpace(strings.ReplaceAll(stderr.String(), `Running as user "root" and group "root". This could be dangerous.`, ""))
		if r.err == "" {
			r.err = err.Error()
		}
		return r
	}
	for _, f := range strings.Fields(string(out)) {
		n, err := strconv.Atoi(f)
		if err != nil {
			r.err = "bad tshark output " + f
			return r
		}
		r.frames = append(r.frames, n)
	}
	return r
}
