package filter

import (
	"bytes"
	"errors"
	"math/rand"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/gopacket/pcapgo"
	"golang.org/x/net/bpf"

	"github.com/sockscope/sockscope/decode/wire"
)

// testPackets reads the packets of a pcap file in ../../testdata, with
// gopacket's reader (capture's imports this package).
func testPackets(t testing.TB, name string) (link wire.LinkType, pkts [][]byte, lens []int) {
	t.Helper()
	f, err := os.Open("../../testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := pcapgo.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	for {
		data, ci, err := r.ReadPacketData()
		if err != nil {
			break
		}
		pkts = append(pkts, bytes.Clone(data))
		lens = append(lens, ci.Length)
	}
	return wire.LinkType(r.LinkType()), pkts, lens
}

// TestMatcherAgreesWithXNetVM runs every corpus program on real packets
// with the Matcher and with x/net/bpf's VM: where their semantics are the
// same (the whole packet captured, shifts under 32 bits) so are the
// results, and the VM accepts every program the compiler makes.
func TestMatcherAgreesWithXNetVM(t *testing.T) {
	for _, name := range []string{"tcp4.pcap", "any.pcap", "raw-ip.pcap", "frag.pcap", "vxlan.pcap"} {
		link, pkts, lens := testPackets(t, name)
		for _, expr := range corpus(t) {
			prog, err := CompileOptions(expr, link, Options{Names: testNames()})
			if err != nil {
				continue
			}
			vm, err := bpf.NewVM(prog)
			if err != nil {
				t.Errorf("%s %q: x/net/bpf refuses the program: %v", name, expr, err)
				continue
			}
			m, err := NewMatcher(prog)
			if err != nil {
				t.Errorf("%s %q: %v", name, expr, err)
				continue
			}
			if slices.Contains(prog, bpf.Instruction(bpf.NegateA{})) {
				continue // x/net/bpf's VM accepts "neg" but cannot run it
			}
			for i, p := range pkts {
				if lens[i] != len(p) {
					continue
				}
				n, err := vm.Run(p)
				if err != nil {
					t.Fatal(err)
				}
				if got := m.Match(p, lens[i]); got != (n != 0) {
					t.Errorf("%s %q packet %d: Matcher %v, x/net/bpf %v", name, expr, i+1, got, n != 0)
					break
				}
			}
		}
	}
}

// TestMatcherIsLibpcapNotXNet pins the two places libpcap's interpreter,
// which tcpdump uses, differs from x/net/bpf's VM.
func TestMatcherIsLibpcapNotXNet(t *testing.T) {
	pkt := make([]byte, 60)
	prog, err := Compile("len > 1000", 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := NewMatcher(prog)
	if !m.Match(pkt, 1514) {
		t.Error(`"len > 1000" rejects a 1514-byte packet of which 60 bytes were captured`)
	}
	// A shift by 32 bits or more gives 0 in libpcap 1.10's interpreter
	// (random expressions such as "icmp6[044] << len < len" showed it).
	shift := []bpf.Instruction{
		bpf.LoadConstant{Dst: bpf.RegA, Val: 1},
		bpf.LoadConstant{Dst: bpf.RegX, Val: 33},
		bpf.ALUOpX{Op: bpf.ALUOpShiftLeft},
		bpf.RetA{},
	}
	m, err = NewMatcher(shift)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Run(pkt, 60); got != 0 {
		t.Errorf("1 << 33 = %d, want 0", got)
	}
}

func TestNewMatcherRefusesBrokenPrograms(t *testing.T) {
	for name, prog := range map[string][]bpf.Instruction{
		"no return":       {bpf.LoadConstant{Dst: bpf.RegA, Val: 1}},
		"jump past end":   {bpf.JumpIf{Cond: bpf.JumpEqual, SkipTrue: 3}, bpf.RetA{}},
		"scratch 16":      {bpf.LoadScratch{Dst: bpf.RegA, N: 16}, bpf.RetA{}},
		"divide by zero":  {bpf.ALUOpConstant{Op: bpf.ALUOpDiv}, bpf.RetA{}},
		"empty":           {},
		"ja past the end": {bpf.Jump{Skip: 1}, bpf.RetA{}},
	} {
		if _, err := NewMatcher(prog); err == nil {
			t.Errorf("%s: NewMatcher accepted it", name)
		}
	}
}

func TestMatcherDoesNotAllocate(t *testing.T) {
	prog, _ := Compile("ip and (tcp or icmp)", 1, 0)
	m, _ := NewMatcher(prog)
	_, pkts, lens := testPackets(t, "tcp4.pcap")
	allocs := testing.AllocsPerRun(100, func() {
		for i, p := range pkts {
			m.Match(p, lens[i])
		}
	})
	if allocs != 0 {
		t.Errorf("Match allocates %v times per run", allocs)
	}
}

func BenchmarkMatchIPTCPOrICMP(b *testing.B) {
	prog, _ := Compile("ip and (tcp or icmp)", 1, 0)
	m, _ := NewMatcher(prog)
	_, pkts, lens := testPackets(b, "tcp4.pcap")
	var size int
	for _, p := range pkts {
		size += len(p)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for i, p := range pkts {
			m.Match(p, lens[i])
		}
	}
}

func BenchmarkCompilePortAndHost(b *testing.B) {
	names := testNames()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := CompileOptions("tcp port 443 and not host 10.0.0.1", 1, Options{Names: names}); err != nil {
			b.Fatal(err)
		}
	}
}

// fuzzLinks are the link types FuzzCompileFilter compiles for.
var fuzzLinks = []wire.LinkType{1, 276, 113, 101, 228, 229, 0, 108}

// FuzzCompileFilter compiles arbitrary expressions: the compiler must not
// panic, must fail only with an *Error, and every program it makes must be
// one x/net/bpf assembles and runs (jumps in range, a return at the end)
// and the Matcher runs on any packet.
func FuzzCompileFilter(f *testing.F) {
	for i, expr := range corpus(f) {
		f.Add(expr, uint8(i))
	}
	names := testNames()
	rng := rand.New(rand.NewSource(1))
	pkts := make([][]byte, 8)
	for i := range pkts {
		pkts[i] = make([]byte, rng.Intn(200))
		rng.Read(pkts[i])
	}
	if data, err := os.ReadFile("../../testdata/tcp4.pcap"); err == nil && len(data) > 200 {
		pkts = append(pkts, data[40:200])
	}
	f.Fuzz(func(t *testing.T, expr string, linkIndex uint8) {
		if len(expr) > 2000 {
			return
		}
		link := fuzzLinks[int(linkIndex)%len(fuzzLinks)]
		prog, err := CompileOptions(expr, link, Options{Names: names})
		if err != nil {
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("%q: error %v is not a *filter.Error", expr, err)
			}
			// The message, the expression (its line breaks shown as
			// spaces, caret.Visible) and the caret: three lines.
			if strings.Count(err.Error(), "\n") != 2 {
				t.Fatalf("%q: error %q is not three lines", expr, err)
			}
			return
		}
		if _, err := bpf.Assemble(prog); err != nil {
			t.Fatalf("%q: x/net/bpf cannot assemble the program: %v", expr, err)
		}
		if _, err := bpf.NewVM(prog); err != nil {
			t.Fatalf("%q: x/net/bpf refuses the program: %v", expr, err)
		}
		m, err := NewMatcher(prog)
		if err != nil {
			t.Fatalf("%q: %v", expr, err)
		}
		for _, p := range pkts {
			m.Match(p, len(p))
		}
	})
}
