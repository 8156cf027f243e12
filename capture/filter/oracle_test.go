package filter_test

// The filter oracle: every expression of ../../testdata/filters.txt, on
// every capture in ../../testdata/ and on captures of the other link types
// made from them, must select with sockscope exactly the packets tcpdump
// selects (same bytes, same timestamps), or be rejected by both.
//
// tcpdump runs once per expression and link type, on one file that holds
// all the captures of that link type; sockscope runs in-process with the
// same compiler and matcher decode uses. The sockscope binary's own filter
// tests (decode -w, -d/-dd/-ddd) are in the repository root's main_test.go.

import (
	"bytes"
	bo "encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sockscope/sockscope/capture"
	"github.com/sockscope/sockscope/capture/capturetest"
	"github.com/sockscope/sockscope/capture/filter"
	"github.com/sockscope/sockscope/decode/wire"
)

var linkNames = map[wire.LinkType]string{1: "Ethernet", 113: "Linux cooked v1", 276: "Linux cooked v2", 101: "raw IP"}

type oraclePacket struct {
	ts     time.Time
	length int
	data   []byte
	src    int // index into oracleSet.sources
}

// oracleSet is one link type: the file tcpdump reads and its packets.
type oracleSet struct {
	name      string
	link      wire.LinkType
	bigEndian bool
	path      string
	sources   []string
	packets   []oraclePacket
}

// requireOracles reports whether a missing tcpdump must fail the test (CI) rather than skip it.
func requireOracles() bool { return os.Getenv("SOCKSCOPE_REQUIRE_PRIV") == "1" }

func requireTcpdump(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tcpdump"); err != nil {
		if requireOracles() {
			t.Fatal("tcpdump is not installed and SOCKSCOPE_REQUIRE_PRIV=1 (apt-get install tcpdump)")
		}
		t.Skip("tcpdump is not installed (apt-get install tcpdump)")
	}
}

// buildOracleSets reads every capture tcpdump can read, groups the packets
// by link type into one microsecond pcap per type in dir, and adds the link
// types testdata has no capture of, made from raw-ip.pcap's packets: raw
// IPv4 (228) and raw IPv6 (229) holding both versions, BSD loopback in
// both byte orders (with the IPv6 families of BSD, FreeBSD and macOS, and a
// few headers in the other byte order), and OpenBSD loopback.
func buildOracleSets(t *testing.T, dir string) []*oracleSet {
	t.Helper()
	byLink := map[wire.LinkType]*oracleSet{}
	var order []wire.LinkType
	files := capturetest.Captures(t, "../../testdata")
	other := os.Getenv("FILTER_CAPTURES") // a glob (from capture/filter): other captures, for a deeper look
	if other != "" {
		files, _ = filepath.Glob(other)
	}
	for _, f := range files {
		r, err := capture.Open(f)
		if err != nil && other != "" {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for {
			data, ci, err := r.Next()
			if err != nil {
				break
			}
			link := r.LinkType(ci.InterfaceIndex)
			if _, known := linkNames[link]; !known && other != "" {
				continue
			}
			set := byLink[link]
			if set == nil {
				set = &oracleSet{name: linkNames[link], link: link}
				if set.name == "" {
					set.name = fmt.Sprintf("link type %d", link)
				}
				byLink[link] = set
				order = append(order, link)
			}
			if len(set.sources) == 0 || set.sources[len(set.sources)-1] != filepath.Base(f) {
				set.sources = append(set.sources, filepath.Base(f))
			}
			set.packets = append(set.packets, oraclePacket{ci.Timestamp.Truncate(time.Microsecond), ci.Length, bytes.Clone(data), len(set.sources) - 1})
		}
		r.Close()
	}
	var sets []*oracleSet
	for _, link := range order {
		sets = append(sets, byLink[link])
	}

	raw := byLink[101]
	if raw == nil && other != "" {
		raw = &oracleSet{sources: []string{"none"}}
	} else if raw == nil {
		t.Fatal("testdata has no raw IP capture")
	}
	var fromRaw []oraclePacket
	for _, p := range raw.packets {
		if p.src == 0 {
			fromRaw = append(fromRaw, p)
		}
	}
	derive := func(name string, link wire.LinkType, big bool, header func(i int, version byte) []byte) {
		set := &oracleSet{name: name, link: link, bigEndian: big, sources: []string{name + " (from " + raw.sources[0] + ")"}}
		for i, p := range fromRaw {
			h := header(i, p.data[0]>>4)
			data := append(h, p.data...)
			set.packets = append(set.packets, oraclePacket{p.ts, p.length + len(h), data, 0})
		}
		sets = append(sets, set)
	}
	none := func(int, byte) []byte { return nil }
	family := func(i int, version byte) uint32 {
		if version == 6 {
			return []uint32{24, 28, 30}[i%3]
		}
		return 2
	}
	derive("raw IPv4", 228, false, none)
	derive("raw IPv6", 229, false, none)
	derive("BSD loopback, little-endian", 0, false, func(i int, v byte) []byte {
		h := bo.LittleEndian.AppendUint32(nil, family(i, v))
		if i%7 == 3 {
			h = bo.BigEndian.AppendUint32(nil, family(i, v))
		}
		return h
	})
	derive("BSD loopback, big-endian", 0, true, func(i int, v byte) []byte {
		h := bo.BigEndian.AppendUint32(nil, family(i, v))
		if i%7 == 3 {
			h = bo.LittleEndian.AppendUint32(nil, family(i, v))
		}
		return h
	})
	derive("OpenBSD loopback", 108, true, func(i int, v byte) []byte {
		return bo.BigEndian.AppendUint32(nil, family(i, v))
	})

	for i, set := range sets {
		set.path = filepath.Join(dir, fmt.Sprintf("set%d.pcap", i))
		if err := os.WriteFile(set.path, pcapFile(set), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return sets
}

// pcapFile is a classic microsecond pcap of the set's packets, in the
// set's byte order.
func pcapFile(set *oracleSet) []byte {
	var order bo.AppendByteOrder = bo.LittleEndian
	if set.bigEndian {
		order = bo.BigEndian
	}
	b := order.AppendUint32(nil, 0xa1b2c3d4)
	b = order.AppendUint16(b, 2)
	b = order.AppendUint16(b, 4)
	b = order.AppendUint32(b, 0)
	b = order.AppendUint32(b, 0)
	b = order.AppendUint32(b, 262144)
	b = order.AppendUint32(b, uint32(set.link))
	for _, p := range set.packets {
		b = order.AppendUint32(b, uint32(p.ts.Unix()))
		b = order.AppendUint32(b, uint32(p.ts.Nanosecond()/1000))
		b = order.AppendUint32(b, uint32(len(p.data)))
		b = order.AppendUint32(b, uint32(p.length))
		b = append(b, p.data...)
	}
	return b
}

// readRecords parses the pcap tcpdump -w - or sockscope -w - wrote.
func readRecords(out []byte) ([]oraclePacket, error) {
	r, err := capture.NewReader(bytes.NewReader(out))
	if err != nil {
		return nil, err
	}
	var pkts []oraclePacket
	for {
		data, ci, err := r.Next()
		if err == io.EOF {
			return pkts, nil
		}
		if err != nil {
			return pkts, err
		}
		pkts = append(pkts, oraclePacket{ci.Timestamp, ci.Length, bytes.Clone(data), 0})
	}
}

// tcpdumpSelects runs tcpdump -r path -w - on expr and returns the indices
// of the packets of set it wrote, or rejected when it refused expr.
func tcpdumpSelects(set *oracleSet, expr string) (sel []int, rejected bool, err error) {
	cmd := exec.Command("tcpdump", "-r", set.path, "-w", "-", "--", expr)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && stdout.Len() == 0 {
			return nil, true, nil
		}
		return nil, false, fmt.Errorf("tcpdump: %v: %s", err, stderr.Bytes())
	}
	pkts, err := readRecords(stdout.Bytes())
	if err != nil {
		return nil, false, err
	}
	// tcpdump writes a subsequence of the file; match it in order.
	i := 0
	for _, p := range pkts {
		for i < len(set.packets) && !(set.packets[i].ts.Equal(p.ts) && bytes.Equal(set.packets[i].data, p.data)) {
			i++
		}
		if i == len(set.packets) {
			return nil, false, fmt.Errorf("tcpdump wrote a packet (%v, %d bytes) that is not in the file", p.ts, len(p.data))
		}
		sel = append(sel, i)
		i++
	}
	return sel, false, nil
}

// oracleNames are the names tcpdump sees: this machine's /etc files, and
// none of a file that is missing (sockscope would fall back to built-in
// services and protocols; tcpdump knows none).
func oracleNames(t *testing.T) *filter.Names {
	dir := t.TempDir()
	for _, name := range []string{"hosts", "services", "protocols", "networks", "ethers"} {
		data, _ := os.ReadFile("/etc/" + name)
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filter.LoadNames(dir)
}

// sockscopeSelects compiles expr as decode does and runs it on the set.
func sockscopeSelects(set *oracleSet, expr string, names *filter.Names) (sel []int, err error) {
	prog, err := filter.CompileOptions(expr, set.link, filter.Options{BigEndian: set.bigEndian, Names: names})
	if err != nil {
		return nil, err
	}
	m, err := filter.NewMatcher(prog)
	if err != nil {
		return nil, err
	}
	for i, p := range set.packets {
		if m.Match(p.data, p.length) {
			sel = append(sel, i)
		}
	}
	return sel, nil
}

// TestFilterSelectsWhatTcpdumpSelects is the oracle test of the filter
// compiler: pairs (expression, capture) agree when both tools select the
// same packets or both reject the expression.
func TestFilterSelectsWhatTcpdumpSelects(t *testing.T) {
	requireTcpdump(t)
	start := time.Now()
	cases := filter.ReadFilterCorpus(t)
	if len(cases) < 200 {
		t.Fatalf("testdata/filters.txt has %d expressions, want at least 200", len(cases))
	}
	sets := buildOracleSets(t, t.TempDir())
	names := oracleNames(t)

	type result struct {
		set       int
		c         filter.FilterCase
		agree     []bool // per source capture
		tdReject  bool
		ourReject bool
		msg       string
	}
	jobs := make(chan [2]int)
	results := make(chan result)
	var wg sync.WaitGroup
	for w := 0; w < 2*runtime.NumCPU(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				set, c := sets[j[0]], cases[j[1]]
				res := result{set: j[0], c: c, agree: make([]bool, len(set.sources))}
				want, tdReject, err := tcpdumpSelects(set, c.Expr)
				if err != nil {
					res.msg = err.Error()
					results <- res
					continue
				}
				got, ourErr := sockscopeSelects(set, c.Expr, names)
				res.tdReject, res.ourReject = tdReject, ourErr != nil
				for src := range set.sources {
					if tdReject || ourErr != nil {
						res.agree[src] = tdReject && ourErr != nil
						continue
					}
					res.agree[src] = fmt.Sprint(bySource(set, want, src)) == fmt.Sprint(bySource(set, got, src))
				}
				switch {
				case tdReject && ourErr == nil:
					res.msg = "tcpdump rejects it, sockscope accepts it"
				case !tdReject && ourErr != nil:
					res.msg = "sockscope rejects it: " + strings.ReplaceAll(ourErr.Error(), "\n", " | ")
				case !tdReject:
					for src := range set.sources {
						if !res.agree[src] {
							res.msg += fmt.Sprintf("%s: tcpdump selects packets %v, sockscope %v; ",
								set.sources[src], packetNumbers(set, want, src), packetNumbers(set, got, src))
						}
					}
				}
				results <- res
			}
		}()
	}
	go func() {
		for i := range sets {
			for j := range cases {
				jobs <- [2]int{i, j}
			}
		}
		close(jobs)
		wg.Wait()
		close(results)
	}()

	agree := make([]int, len(sets))
	total := make([]int, len(sets))
	rejectAgree, rejectTotal := 0, 0
	var failures []string
	for res := range results {
		set := sets[res.set]
		for _, ok := range res.agree {
			total[res.set]++
			if ok {
				agree[res.set]++
			}
		}
		if res.tdReject {
			rejectTotal++
			if res.ourReject {
				rejectAgree++
			}
		}
		if res.c.Reject && !res.tdReject && res.msg == "" {
			res.msg = "marked REJECT in filters.txt, but tcpdump accepts it"
		}
		if res.msg != "" {
			failures = append(failures, fmt.Sprintf("%s, %q: %s", set.name, res.c.Expr, res.msg))
		}
	}
	sort.Strings(failures)
	for i, f := range failures {
		if i == filterFailuresShown {
			t.Errorf("... and %d more", len(failures)-30)
			break
		}
		t.Error(f)
	}
	var sum []string
	allAgree, allTotal := 0, 0
	for i, set := range sets {
		sum = append(sum, fmt.Sprintf("%s %d/%d", set.name, agree[i], total[i]))
		allAgree += agree[i]
		allTotal += total[i]
	}
	t.Logf("%d expressions, %d captures: %d of %d pairs agree (%s); tcpdump rejected %d expression/link type pairs, sockscope %d of them; %v",
		len(cases), allTotal/len(cases), allAgree, allTotal, strings.Join(sum, ", "), rejectTotal, rejectAgree, time.Since(start).Round(time.Second))
}

// bySource keeps the selected indices of packets from source capture src.
func bySource(set *oracleSet, sel []int, src int) []int {
	var out []int
	for _, i := range sel {
		if set.packets[i].src == src {
			out = append(out, i)
		}
	}
	return out
}

// packetNumbers are the 1-based numbers, within their capture, of the
// selected packets from source src (the first few).
func packetNumbers(set *oracleSet, sel []int, src int) []int {
	first := -1
	for i, p := range set.packets {
		if p.src == src {
			first = i
			break
		}
	}
	var out []int
	for _, i := range bySource(set, sel, src) {
		if len(out) == 12 {
			break
		}
		out = append(out, i-first+1)
	}
	return out
}

// filterFailuresShown is how many disagreements the oracle test lists.
var filterFailuresShown = func() int {
	if n, err := strconv.Atoi(os.Getenv("FILTER_FAILURES")); err == nil {
		return n
	}
	return 30
}()
