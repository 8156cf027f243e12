package main

// A mutation test of the CLI as a user runs it. Captures from testdata/ and
// ../shared/corpus (tcpdump's test captures) are mutated (bit flips, length,
// link type and timestamp rewrites in the pcap and pcapng headers, truncation,
// bytes inserted and deleted, editcap -E where installed) and fed to decode in
// several modes, to replay --dry-run and to replay --flows. No run may panic,
// hang (10 s), end by a signal, exit other than 0, 1 or 2, or pass 1 GiB of RSS.
//
// It runs for a time, not a count: 60 s by default; SOCKSCOPE_MUTATE_TIME=10m
// runs longer (with go test -timeout 0), 0 skips it. Mutant i of a run is made
// from the seed and i alone (given the same captures), so
// SOCKSCOPE_MUTATE_SEED=S makes the same mutants again. A failing mutant is
// saved under SOCKSCOPE_MUTATE_DIR (default $TMPDIR/sockscope-mutation-finds),
// and the failure names the command that fails on it.

import (
	"bytes"
	bo "encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

const (
	mutateRunTimeout = 10 * time.Second
	mutateRSSLimit   = 1 << 20 // KiB: 1 GiB
	mutateWorkers    = 2
	mutateMaxFinds   = 20
)

// mutateDecodeModes are the decode flags a mutant is read with; each mutant
// gets a few of them, chosen by its own generator. FILTER marks where the
// filter words start, after -r.
var mutateDecodeModes = [][]string{
	{},
	{"-v"},
	{"-vv"},
	{"-vvv"},
	{"-e", "-x"},
	{"-X"},
	{"-XX"},
	{"-A"},
	{"--json"},
	{"-q"},
	{"-e", "-tttt", "--nano"},
	{"-ttt"},
	{"-w", "/dev/null"},
	{"--pcapng", "-w", "/dev/null"},
	{"-v", "FILTER", "tcp", "or", "udp"},
	{"-e", "FILTER", "tcp[tcpflags] & tcp-syn != 0 or udp port 53 or icmp6 or ip[6:2] & 0x1fff != 0"},
}

func TestMutatedCapturesNeverCrash(t *testing.T) {
	budget := 60 * time.Second
	if testing.Short() {
		budget = 10 * time.Second
	}
	if v := os.Getenv("SOCKSCOPE_MUTATE_TIME"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("SOCKSCOPE_MUTATE_TIME=%q: %v", v, err)
		}
		budget = d
	}
	if budget <= 0 {
		t.Skip("SOCKSCOPE_MUTATE_TIME=0")
	}
	if d, ok := t.Deadline(); ok {
		if left := time.Until(d) - mutateRunTimeout - 20*time.Second; left < budget {
			t.Logf("budget cut from %v to %v by go test -timeout (pass -timeout 0 for a long run)", budget, left.Round(time.Second))
			budget = left
		}
		if budget <= 0 {
			t.Skip("no time left before go test's -timeout")
		}
	}
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("SOCKSCOPE_MUTATE_SEED"); v != "" {
		s, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("SOCKSCOPE_MUTATE_SEED=%q: %v", v, err)
		}
		seed = s
	}
	finds := os.Getenv("SOCKSCOPE_MUTATE_DIR")
	if finds == "" {
		finds = filepath.Join(os.TempDir(), "sockscope-mutation-finds")
	}

	own := mutationSeeds(t, "testdata")
	var corpus []seedCapture
	if _, err := os.Stat("../shared/corpus"); err == nil {
		corpus = mutationSeeds(t, "../shared/corpus")
	} else {
		t.Logf("../shared/corpus is absent: mutating testdata/ only")
	}
	if len(own) == 0 {
		t.Fatal("no captures in testdata/")
	}
	editcap, _ := exec.LookPath("editcap")
	t.Logf("seed %d (SOCKSCOPE_MUTATE_SEED=%d makes the same mutants), budget %v, %d workers, %d captures from testdata, %d from ../shared/corpus, editcap: %v",
		seed, seed, budget, mutateWorkers, len(own), len(corpus), editcap != "")

	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer devnull.Close()

	m := &mutationRun{seed: seed, finds: finds, devnull: devnull, codes: map[string]int{}, ops: map[string]int{}}
	work := t.TempDir()
	start := time.Now()
	deadline := start.Add(budget)
	var next atomic.Uint64
	var wg sync.WaitGroup
	for w := range mutateWorkers {
		dir := filepath.Join(work, strconv.Itoa(w))
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			for time.Now().Before(deadline) {
				i := next.Add(1) - 1
				r := rand.New(rand.NewPCG(seed, i))
				mu := makeMutant(r, own, corpus, editcap, dir)
				m.try(r, i, mu, dir, deadline)
			}
		})
	}
	wg.Wait()

	t.Logf("%v: %d mutants (%d from testdata, %d from the corpus, %d through editcap -E), %d runs; mutations %s",
		time.Since(start).Round(time.Millisecond), m.mutants, m.fromOwn, m.mutants-m.fromOwn, m.ops["editcap"], m.runs, countsByKey(m.ops))
	t.Logf("exit codes: %s", countsByKey(m.codes))
	t.Logf("max RSS %d KiB: %s", m.maxRSS, m.maxRSSCmd)
	t.Logf("slowest run %v: %s", m.slowest.Round(time.Millisecond), m.slowestCmd)
	t.Logf("most stderr %d bytes: %s", m.maxStderr, m.maxStderrCmd)
	for _, f := range m.reports {
		t.Error(f)
	}
	if m.failures > 0 {
		t.Errorf("%d failing runs (the first %d above); their mutants are in %s; SOCKSCOPE_MUTATE_SEED=%d makes the same mutants again", m.failures, len(m.reports), finds, seed)
	}
}

// seedCapture is one capture a mutant starts from.
type seedCapture struct {
	path string
	data []byte
}

func mutationSeeds(t *testing.T, root string) []seedCapture {
	t.Helper()
	var seeds []seedCapture
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch filepath.Ext(path) {
		case ".pcap", ".pcapng", ".cap":
		default:
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if len(data) > 0 {
			seeds = append(seeds, seedCapture{path, data})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return seeds
}

// mutant is one mutated capture and what was done to it.
type mutant struct {
	from string
	own  bool
	data []byte
	how  []string
	ops  []string
}

func (mu *mutant) did(op, format string, args ...any) {
	mu.ops = append(mu.ops, op)
	mu.how = append(mu.how, fmt.Sprintf(format, args...))
}

func makeMutant(r *rand.Rand, own, corpus []seedCapture, editcap, dir string) *mutant {
	src := own[r.IntN(len(own))]
	isOwn := true
	if len(corpus) > 0 && r.IntN(2) == 0 {
		src, isOwn = corpus[r.IntN(len(corpus))], false
	}
	mu := &mutant{from: src.path, own: isOwn, data: slices.Clone(src.data)}
	n := 1 + r.IntN(3)
	if editcap != "" && r.IntN(5) == 0 {
		// Even when editcap refuses the file, r moves on the same way.
		format, eseed, p := "pcap", r.Uint32(), []string{"0.02", "0.005", "0.1"}[r.IntN(3)]
		if r.IntN(2) == 0 {
			format = "pcapng"
		}
		out := filepath.Join(dir, "editcap.out")
		cmd := exec.Command(editcap, "-E", p, "--seed", strconv.FormatUint(uint64(eseed), 10), "-F", format, src.path, out)
		if err := runWithin(cmd, mutateRunTimeout); err == nil {
			if data, err := os.ReadFile(out); err == nil {
				mu.data = data
				mu.did("editcap", "editcap -E %s --seed %d -F %s", p, eseed, format)
				n = r.IntN(2)
			}
		}
	}
	for range n {
		mutate(r, mu)
	}
	return mu
}

// runWithin runs cmd, killing it after d.
func runWithin(cmd *exec.Cmd, d time.Duration) error {
	if err := cmd.Start(); err != nil {
		return err
	}
	timer := time.AfterFunc(d, func() { cmd.Process.Kill() })
	defer timer.Stop()
	return cmd.Wait()
}

// capField is a number in a capture's file format: a length, a link type, a timestamp...
type capField struct {
	off, size int
	order     bo.ByteOrder
	kind      string // "length", "linktype", "time", "other"
	name      string
}

func (f capField) get(b []byte) uint64 {
	switch f.size {
	case 1:
		return uint64(b[f.off])
	case 2:
		return uint64(f.order.Uint16(b[f.off:]))
	case 4:
		return uint64(f.order.Uint32(b[f.off:]))
	}
	return f.order.Uint64(b[f.off:])
}

func (f capField) put(b []byte, v uint64) {
	switch f.size {
	case 1:
		b[f.off] = byte(v)
	case 2:
		f.order.PutUint16(b[f.off:], uint16(v))
	case 4:
		f.order.PutUint32(b[f.off:], uint32(v))
	default:
		f.order.PutUint64(b[f.off:], v)
	}
}

// captureLayout finds the fields and record (or block) starts of a pcap or
// pcapng file, as far as they can be followed.
func captureLayout(b []byte) (fields []capField, starts []int) {
	if len(b) < 24 {
		return nil, nil
	}
	le, be := bo.LittleEndian, bo.BigEndian
	var order bo.ByteOrder
	hdr := 16
	switch m := le.Uint32(b); m {
	case 0xa1b2c3d4, 0xa1b23c4d, 0xa1b2cd34:
		order = le
		if m == 0xa1b2cd34 {
			hdr = 24
		}
	case 0xd4c3b2a1, 0x4d3cb2a1, 0x34cdb2a1:
		order = be
		if m == 0x34cdb2a1 {
			hdr = 24
		}
	case 0x0a0d0d0a:
		return pcapngLayout(b)
	default:
		return nil, nil
	}
	fields = append(fields,
		capField{4, 2, order, "other", "version major"},
		capField{6, 2, order, "other", "version minor"},
		capField{8, 4, order, "time", "thiszone"},
		capField{16, 4, order, "length", "snaplen"},
		capField{20, 4, order, "linktype", "link type"},
		capField{20, 4, order, "other", "link type and FCS bits"})
	for off, n := 24, 0; off+hdr <= len(b); n++ {
		starts = append(starts, off)
		fields = append(fields,
			capField{off, 4, order, "time", fmt.Sprintf("ts_sec of record %d", n)},
			capField{off + 4, 4, order, "time", fmt.Sprintf("ts_frac of record %d", n)},
			capField{off + 8, 4, order, "length", fmt.Sprintf("incl_len of record %d", n)},
			capField{off + 12, 4, order, "length", fmt.Sprintf("orig_len of record %d", n)})
		incl := int(order.Uint32(b[off+8:]))
		if incl < 0 || incl > len(b) {
			break
		}
		off += hdr + incl
	}
	return fields, starts
}

func pcapngLayout(b []byte) (fields []capField, starts []int) {
	var order bo.ByteOrder = bo.LittleEndian
	for off, n := 0, 0; off+12 <= len(b); n++ {
		typ := order.Uint32(b[off:])
		if typ == 0x0a0d0d0a {
			if off+28 > len(b) {
				break
			}
			order = bo.LittleEndian
			if bo.BigEndian.Uint32(b[off+8:]) == 0x1a2b3c4d {
				order = bo.BigEndian
			}
		}
		blen := int(order.Uint32(b[off+4:]))
		starts = append(starts, off)
		fields = append(fields, capField{off + 4, 4, order, "length", fmt.Sprintf("total length of block %d", n)})
		if blen < 12 || off+blen > len(b) {
			break
		}
		fields = append(fields,
			capField{off + blen - 4, 4, order, "length", fmt.Sprintf("trailing total length of block %d", n)},
			capField{off, 4, order, "other", fmt.Sprintf("type of block %d", n)})
		end := off + blen - 4
		opts := -1
		switch typ {
		case 0x0a0d0d0a:
			fields = append(fields, capField{off + 16, 8, order, "length", fmt.Sprintf("section length of block %d", n)})
			opts = off + 24
		case 1: // interface description
			if off+20 <= end {
				fields = append(fields,
					capField{off + 8, 2, order, "linktype", fmt.Sprintf("link type of block %d", n)},
					capField{off + 12, 4, order, "length", fmt.Sprintf("snaplen of block %d", n)})
				opts = off + 16
			}
		case 6, 2: // enhanced packet, obsolete packet
			if off+28 <= end {
				fields = append(fields,
					capField{off + 8, 4, order, "length", fmt.Sprintf("interface id of block %d", n)},
					capField{off + 12, 4, order, "time", fmt.Sprintf("timestamp high of block %d", n)},
					capField{off + 16, 4, order, "time", fmt.Sprintf("timestamp low of block %d", n)},
					capField{off + 20, 4, order, "length", fmt.Sprintf("captured length of block %d", n)},
					capField{off + 24, 4, order, "length", fmt.Sprintf("original length of block %d", n)})
				if c := int(order.Uint32(b[off+20:])); c >= 0 && c <= blen {
					opts = off + 28 + (c+3)&^3
				}
			}
		case 3: // simple packet
			fields = append(fields, capField{off + 8, 4, order, "length", fmt.Sprintf("original length of block %d", n)})
		case 5: // interface statistics
			if off+20 <= end {
				fields = append(fields, capField{off + 8, 4, order, "length", fmt.Sprintf("interface id of block %d", n)})
				opts = off + 20
			}
		}
		for o := opts; o >= 0 && o+4 <= end; {
			code, olen := order.Uint16(b[o:]), int(order.Uint16(b[o+2:]))
			fields = append(fields, capField{o + 2, 2, order, "length", fmt.Sprintf("length of option %d in block %d", code, n)})
			if typ == 1 && code == 9 && olen >= 1 && o+5 <= end {
				fields = append(fields, capField{o + 4, 1, order, "time", fmt.Sprintf("if_tsresol of block %d", n)})
			}
			if code == 0 {
				break
			}
			o += 4 + (olen+3)&^3
		}
		off += blen
	}
	return fields, starts
}

// mutateLengthValues are the values a length field is rewritten to, given its value v.
func mutateLengthValues(v uint64) []uint64 {
	return []uint64{0, 1, 3, 11, v - 1, v + 1, v + 2, v + 4, v * 2, v / 2, 0xffff, 0x10000, 0x40000, 0x40001,
		1 << 24, 0x7fffffff, 0x80000000, 0xfffffffc, 0xffffffff, 1<<63 - 1, 1<<64 - 1}
}

var mutateLinkTypes = []uint64{0, 1, 6, 8, 9, 10, 12, 14, 50, 101, 104, 105, 107, 108, 113, 119, 127, 137, 143, 147,
	192, 195, 197, 220, 228, 229, 239, 249, 276, 0xfff, 0xffff, 0x10000001, 0xffffffff}

var mutateTimeValues = []uint64{0, 1, 6, 9, 19, 20, 63, 0x7f, 0x80, 0x89, 0xff, 999999, 1000000, 999999999,
	1000000000, 0x7fffffff, 0x80000000, 0xffffffff, 1<<64 - 1}

// mutate applies one mutation to mu.
func mutate(r *rand.Rand, mu *mutant) {
	b := mu.data
	fields, starts := captureLayout(b)
	byKind := func(kinds ...string) []capField {
		var fs []capField
		for _, f := range fields {
			if slices.Contains(kinds, f.kind) && f.off+f.size <= len(b) {
				fs = append(fs, f)
			}
		}
		return fs
	}
	at := func() int { // an offset: anywhere, or where a record or block starts
		if len(starts) > 0 && r.IntN(3) == 0 {
			return min(len(b), max(0, starts[r.IntN(len(starts))]+r.IntN(40)-8))
		}
		return r.IntN(len(b) + 1)
	}
	switch op := r.IntN(12); {
	case len(b) == 0:
		mu.data = append(b, byte(r.IntN(256)))
		mu.did("insert", "a byte into the empty file")
	case op < 3: // bit flips, one in three in a header field
		k := 1 + r.IntN(8)
		var where []string
		hdr := byKind("length", "linktype", "time", "other")
		for range k {
			off := r.IntN(len(b))
			if len(hdr) > 0 && r.IntN(3) == 0 {
				f := hdr[r.IntN(len(hdr))]
				off = f.off + r.IntN(f.size)
			} else if r.IntN(6) == 0 {
				off = r.IntN(min(len(b), 24))
			}
			bit := r.IntN(8)
			b[off] ^= 1 << bit
			where = append(where, fmt.Sprintf("%d.%d", off, bit))
		}
		mu.did("flip", "flip bits at %s", strings.Join(where, ","))
	case op < 5: // a length field
		fs := byKind("length")
		if len(fs) == 0 {
			mutateBytes(r, mu)
			return
		}
		f := fs[r.IntN(len(fs))]
		if len(fs) > 8 && r.IntN(2) == 0 { // the headers near the start matter most
			f = fs[r.IntN(8)]
		}
		vs := mutateLengthValues(f.get(b))
		v := vs[r.IntN(len(vs))]
		if r.IntN(5) == 0 {
			v = r.Uint64N(1 << (8 * min(f.size, 4)))
		}
		old := f.get(b)
		f.put(b, v)
		mu.did("length", "%s %d -> %d", f.name, old, f.get(b))
	case op < 6: // a link type
		fs := byKind("linktype")
		if len(fs) == 0 {
			mutateBytes(r, mu)
			return
		}
		f := fs[r.IntN(len(fs))]
		old := f.get(b)
		f.put(b, mutateLinkTypes[r.IntN(len(mutateLinkTypes))])
		mu.did("linktype", "%s %d -> %d", f.name, old, f.get(b))
	case op < 7: // a timestamp
		fs := byKind("time")
		if len(fs) == 0 {
			mutateBytes(r, mu)
			return
		}
		f := fs[r.IntN(len(fs))]
		old := f.get(b)
		f.put(b, mutateTimeValues[r.IntN(len(mutateTimeValues))])
		mu.did("time", "%s %d -> %d", f.name, old, f.get(b))
	case op < 9: // truncation
		n := at()
		mu.data = b[:n]
		mu.did("truncate", "truncate to %d of %d bytes", n, len(b))
	case op < 10: // insertion: random bytes or a copy of some of the file
		off := at()
		var ins []byte
		if r.IntN(2) == 0 {
			ins = make([]byte, 1+r.IntN(64))
			for i := range ins {
				ins[i] = byte(r.IntN(256))
			}
		} else {
			from := r.IntN(len(b))
			ins = slices.Clone(b[from : from+min(len(b)-from, 1+r.IntN(2048))])
		}
		mu.data = slices.Insert(b, off, ins...)
		mu.did("insert", "insert %d bytes at %d", len(ins), off)
	case op < 11: // deletion
		off := at()
		n := min(len(b)-off, 1+r.IntN(64))
		mu.data = slices.Delete(b, off, off+n)
		mu.did("delete", "delete %d bytes at %d", n, off)
	default:
		mutateBytes(r, mu)
	}
}

// mutateBytes writes an interesting value (0, all ones, the sign bits) over
// 1, 2 or 4 bytes anywhere in the file: inside packets, mostly.
func mutateBytes(r *rand.Rand, mu *mutant) {
	b := mu.data
	size := []int{1, 2, 4}[r.IntN(3)]
	if len(b) < size {
		size = 1
	}
	off := r.IntN(len(b) - size + 1)
	vals := []uint64{0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff}
	f := capField{off, size, bo.BigEndian, "", ""}
	if r.IntN(2) == 0 {
		f.order = bo.LittleEndian
	}
	v := vals[r.IntN(len(vals))]
	f.put(b, v)
	mu.did("bytes", "set %d bytes at %d to %#x", size, off, f.get(b))
}

// mutationRun holds what the workers count.
type mutationRun struct {
	seed    uint64
	finds   string
	devnull *os.File

	mu                     sync.Mutex
	mutants, fromOwn, runs int
	codes, ops             map[string]int
	maxRSS                 int64
	maxRSSCmd              string
	slowest                time.Duration
	slowestCmd             string
	maxStderr              int64
	maxStderrCmd           string
	failures               int
	reports                []string
	saved                  map[uint64]string
}

// try writes mutant i to dir and runs the commands its generator chooses.
func (m *mutationRun) try(r *rand.Rand, i uint64, mu *mutant, dir string, deadline time.Time) {
	path := filepath.Join(dir, "mutant")
	if err := os.WriteFile(path, mu.data, 0o644); err != nil {
		m.fail(i, mu, "", "writing the mutant: "+err.Error(), nil, "")
		return
	}
	var runs [][]string
	runs = append(runs, []string{"replay", "--dry-run", "-r", "FILE"}, []string{"replay", "--flows", "-r", "FILE"})
	for _, k := range r.Perm(len(mutateDecodeModes))[:4] {
		mode := mutateDecodeModes[k]
		args := []string{"decode"}
		filter := slices.Index(mode, "FILTER")
		if filter < 0 {
			filter = len(mode)
		}
		args = append(append(append(args, mode[:filter]...), "-r", "FILE"), mode[min(filter+1, len(mode)):]...)
		runs = append(runs, args)
	}
	stdin := r.IntN(8) == 0 // one decode run reads the mutant from standard input
	m.mu.Lock()
	m.mutants++
	if mu.own {
		m.fromOwn++
	}
	for _, op := range mu.ops {
		m.ops[op]++
	}
	m.mu.Unlock()
	for k, args := range runs {
		if time.Now().After(deadline) {
			return
		}
		fromStdin := stdin && k == len(runs)-1
		m.run(i, mu, path, args, fromStdin)
	}
}

var goCrashLine = regexp.MustCompile(`(?m)^(panic: |fatal error: |goroutine \d+ \[|\[signal )`)

func (m *mutationRun) run(i uint64, mu *mutant, path string, args []string, fromStdin bool) {
	argv := slices.Clone(args)
	for k, a := range argv {
		if a == "FILE" {
			argv[k] = path
			if fromStdin {
				argv[k] = "-"
			}
		}
	}
	cmd := exec.Command(binary, argv...)
	cmd.Env = append(os.Environ(), "TZ=UTC")
	cmd.Stdout = m.devnull
	var stderr stderrTail
	cmd.Stderr = &stderr
	if fromStdin {
		f, err := os.Open(path)
		if err != nil {
			m.fail(i, mu, "", err.Error(), nil, "")
			return
		}
		defer f.Close()
		cmd.Stdin = f
	}
	began := time.Now()
	if err := cmd.Start(); err != nil {
		m.fail(i, mu, "", "starting sockscope: "+err.Error(), nil, "")
		return
	}
	var hung, huge atomic.Bool
	done := make(chan struct{})
	go func() { // the watchdog: time and memory
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			if time.Since(began) > mutateRunTimeout {
				hung.Store(true)
				cmd.Process.Kill()
				return
			}
			if rss := processRSS(cmd.Process.Pid); rss > mutateRSSLimit {
				huge.Store(true)
				cmd.Process.Kill()
				return
			}
		}
	}()
	cmd.Wait()
	close(done)
	took := time.Since(began)

	ps := cmd.ProcessState
	rss := ps.SysUsage().(*syscall.Rusage).Maxrss
	code := ps.ExitCode()
	label := strconv.Itoa(code)
	var problem string
	switch ws := ps.Sys().(syscall.WaitStatus); {
	case hung.Load():
		label, problem = "hang", fmt.Sprintf("hang: still running after %v, killed", mutateRunTimeout)
	case huge.Load() || rss > mutateRSSLimit:
		label, problem = "memory", fmt.Sprintf("memory: RSS passed %d KiB", mutateRSSLimit)
	case goCrashLine.Match(stderr.head) || goCrashLine.Match(stderr.tail):
		label, problem = "panic", fmt.Sprintf("Go panic or fatal error (exit %d)", code)
	case ws.Signaled():
		label, problem = "signal", "killed by signal "+ws.Signal().String()
	case code < 0 || code > 2:
		problem = fmt.Sprintf("exit status %d, want 0, 1 or 2", code)
	}
	shown := strings.Join(quoteArgs(args), " ")
	if fromStdin {
		shown = strings.Replace(shown, "-r FILE", "-r -", 1) + " < FILE"
	}
	line := fmt.Sprintf("sockscope %s (mutant %d, from %s)", shown, i, mu.from)

	m.mu.Lock()
	m.runs++
	m.codes[label]++
	if rss > m.maxRSS {
		m.maxRSS, m.maxRSSCmd = rss, line
	}
	if took > m.slowest {
		m.slowest, m.slowestCmd = took, line
	}
	if stderr.n > m.maxStderr {
		m.maxStderr, m.maxStderrCmd = stderr.n, line
	}
	m.mu.Unlock()
	if problem != "" {
		m.fail(i, mu, shown, problem, &stderr, path)
	}
}

// fail saves mutant i once and reports the command that failed on it.
func (m *mutationRun) fail(i uint64, mu *mutant, args, problem string, stderr *stderrTail, path string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.failures++
	if len(m.reports) >= mutateMaxFinds {
		return
	}
	if m.saved == nil {
		m.saved = map[uint64]string{}
	}
	saved, ok := m.saved[i]
	if !ok {
		ext := ".pcap"
		if bytes.HasPrefix(mu.data, []byte{0x0a, 0x0d, 0x0d, 0x0a}) {
			ext = ".pcapng"
		}
		saved = filepath.Join(m.finds, fmt.Sprintf("%d-%d%s", m.seed, i, ext))
		if err := os.MkdirAll(m.finds, 0o755); err != nil {
			saved = "(not saved: " + err.Error() + ")"
		} else if err := os.WriteFile(saved, mu.data, 0o644); err != nil {
			saved = "(not saved: " + err.Error() + ")"
		}
		m.saved[i] = saved
	}
	cmd := strings.ReplaceAll(args, "FILE", saved)
	msg := fmt.Sprintf("%s\n\tgo run . %s\n\tmutant %d of seed %d, from %s: %s", problem, cmd, i, m.seed, mu.from, strings.Join(mu.how, "; "))
	if stderr != nil && stderr.n > 0 {
		msg += "\n\tstderr: " + strings.ReplaceAll(stderr.String(), path, saved)
	}
	m.reports = append(m.reports, msg)
}

func quoteArgs(args []string) []string {
	q := make([]string, len(args))
	for k, a := range args {
		q[k] = a
		if strings.ContainsAny(a, " &!'\"*?<>|;") {
			q[k] = "'" + a + "'"
		}
	}
	return q
}

// processRSS is the resident set size of process pid in KiB, 0 when unknown.
func processRSS(pid int) int64 {
	status, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	_, rest, ok := bytes.Cut(status, []byte("\nVmRSS:"))
	if !ok {
		return 0
	}
	line, _, _ := bytes.Cut(rest, []byte("\n"))
	kib, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(string(line)), " kB"), 10, 64)
	return kib
}

// stderrTail keeps the start and the end of what a run writes to stderr: a
// Go panic's trace is at the end.
type stderrTail struct {
	head, tail []byte
	n          int64
}

func (s *stderrTail) Write(p []byte) (int, error) {
	n := len(p)
	s.n += int64(n)
	if room := 4096 - len(s.head); room > 0 {
		k := min(room, len(p))
		s.head = append(s.head, p[:k]...)
		p = p[k:]
	}
	s.tail = append(s.tail, p...)
	if len(s.tail) > 128<<10 {
		s.tail = s.tail[:copy(s.tail, s.tail[len(s.tail)-64<<10:])]
	}
	return n, nil
}

// String is the first lines and the last of stderr, short enough for a test log.
func (s *stderrTail) String() string {
	const keep = 1500
	all := string(s.head) + string(s.tail)
	if int64(len(all)) == s.n && len(all) <= 2*keep {
		return all
	}
	head := string(s.head)
	if len(head) > keep/3 {
		head = head[:keep/3]
	}
	tail := string(s.tail)
	if len(tail) > keep {
		tail = tail[len(tail)-keep:]
	}
	return fmt.Sprintf("%s\n\t[... %d bytes in all ...]\n%s", head, s.n, tail)
}

// countsByKey prints counts by key, most first.
func countsByKey(counts map[string]int) string {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if counts[a] != counts[b] {
			return counts[b] - counts[a]
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s: %d", k, counts[k])
	}
	return strings.Join(parts, ", ")
}
