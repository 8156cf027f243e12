package filter

import (
	"fmt"
	"slices"
	"strings"

	"golang.org/x/net/bpf"
)

// A condition becomes a graph of blocks: each block is a test with a true
// and a false successor, or a return. and/or/not become wiring, never code:
// lower(c, yes, no) returns the entry of c given where to go after it. The
// graph is then simplified where one test already decides another on
// every path to it, and laid out with forward jumps only.

type block struct {
	test  *cTest
	t, f  *block
	ret   uint32 // for returns (test == nil)
	key   string // the test's code, for comparing tests
	facts []fact // what holds on every path into the block
	seen  bool
	pos   int // first instruction, in layout
	longT bool
	longF bool
}

func lower(c cond, yes, no *block) *block {
	switch c := c.(type) {
	case cAnd:
		return lower(c.a, lower(c.b, yes, no), no)
	case cOr:
		return lower(c.a, yes, lower(c.b, yes, no))
	case cNot:
		return lower(c.a, no, yes)
	case cTrue:
		return yes
	case cFalse:
		return no
	case *cTest:
		return &block{test: c, t: yes, f: no}
	case cGraph:
		return c.build(yes, no)
	}
	panic(fmt.Sprintf("filter: unknown condition %T", c))
}

func testKey(t *cTest) string {
	var b strings.Builder
	for _, s := range t.stmts {
		fmt.Fprintf(&b, "%x:%x;", s.Op, s.K)
	}
	if t.jop&srcX != 0 {
		b.WriteString("x")
	}
	return b.String()
}

// A fact is what a test's outcome says about the value it computed.
type fact struct {
	key     string
	jop     uint16
	k       uint32
	outcome bool
}

// decide returns the outcome of test (jop, k) on a value that fact holds
// for, when the fact settles it. Only equalities count, as in tcpdump's
// optimizer: which expressions "reject all packets" (an error) depends on
// what the optimizer can prove, so sockscope proves no more.
func decide(f fact, jop uint16, k uint32) (outcome, known bool) {
	if f.jop == jop && f.k == k {
		return f.outcome, true
	}
	if jop&srcX != 0 || f.jop&srcX != 0 {
		return false, false
	}
	if f.jop == jeq && jop == jeq && f.outcome {
		return false, true // A == f.k, so A != k
	}
	return false, false
}

// graph is a lowered program.
type graph struct {
	entry       *block
	accept, rej *block
}

// order returns the blocks reachable from the entry, each after every
// block that jumps to it.
func (g *graph) order() []*block {
	var post []*block
	visited := map[*block]bool{}
	var walk func(b *block)
	walk = func(b *block) {
		if visited[b] {
			return
		}
		visited[b] = true
		if b.test != nil {
			walk(b.f)
			walk(b.t)
		}
		post = append(post, b)
	}
	walk(g.entry)
	slices.Reverse(post)
	return post
}

func factsOn(b *block, outcome bool) []fact {
	if b.test.impure {
		return b.facts
	}
	out := append([]fact{}, b.facts...)
	return append(out, fact{key: b.key, jop: b.test.jop, k: b.test.k, outcome: outcome})
}

func intersect(a, b []fact) []fact {
	var out []fact
	for _, f := range a {
		if slices.Contains(b, f) {
			out = append(out, f)
		}
	}
	return out
}

// follow skips, from an edge carrying facts, the blocks those facts decide.
func follow(to *block, facts []fact) *block {
	for n := 0; to.test != nil && !to.test.impure && n < 1<<16; n++ {
		decided := false
		for _, f := range facts {
			if f.key != to.key {
				continue
			}
			if outcome, known := decide(f, to.test.jop, to.test.k); known {
				if outcome {
					to = to.t
				} else {
					to = to.f
				}
				decided = true
				break
			}
		}
		if !decided {
			break
		}
	}
	return to
}

// simplify redirects every edge past the tests it decides, drops tests
// whose outcome does not matter, and shares identical blocks, until
// nothing changes.
func (g *graph) simplify() {
	for _, b := range g.order() {
		if b.test != nil {
			b.key = testKey(b.test)
		}
	}
	for changed := true; changed; {
		changed = false
		blocks := g.order()
		for _, b := range blocks {
			b.facts, b.seen = nil, false
		}
		for _, b := range blocks {
			if b.test == nil {
				continue
			}
			for _, edge := range []struct {
				to      **block
				outcome bool
			}{{&b.t, true}, {&b.f, false}} {
				facts := factsOn(b, edge.outcome)
				if next := follow(*edge.to, facts); next != *edge.to {
					*edge.to, changed = next, true
				}
				succ := *edge.to
				if !succ.seen {
					succ.facts, succ.seen = facts, true
				} else {
					succ.facts = intersect(succ.facts, facts)
				}
			}
		}
		// A test whose both edges meet is not needed.
		skip := func(b *block) *block {
			for b.test != nil && !b.test.impure && b.t == b.f {
				b = b.t
			}
			return b
		}
		if e := skip(g.entry); e != g.entry {
			g.entry, changed = e, true
		}
		for _, b := range blocks {
			if b.test == nil {
				continue
			}
			if t := skip(b.t); t != b.t {
				b.t, changed = t, true
			}
			if f := skip(b.f); f != b.f {
				b.f, changed = f, true
			}
		}
		// Share blocks that test the same thing with the same successors.
		same := map[string]*block{}
		for _, b := range slices.Backward(blocks) {
			if b.test == nil {
				continue
			}
			if b.t.test != nil {
				if s, ok := same[sig(b.t)]; ok && s != b.t {
					b.t, changed = s, true
				}
			}
			if b.f.test != nil {
				if s, ok := same[sig(b.f)]; ok && s != b.f {
					b.f, changed = s, true
				}
			}
			if _, ok := same[sig(b)]; !ok {
				same[sig(b)] = b
			}
		}
		if g.entry.test != nil {
			if s, ok := same[sig(g.entry)]; ok && s != g.entry {
				g.entry, changed = s, true
			}
		}
	}
}

// settleConstants decides the comparisons of two numbers that the program
// starts with. tcpdump's optimizer does no more: "59 + 212 = 256" alone
// rejects all packets (an error), "ether multicast and 59 + 212 = 256"
// compiles to a program that compares 271 with 256.
func (g *graph) settleConstants() {
	for g.entry.test != nil && g.entry.test.constant {
		t := g.entry.test
		var a uint32
		if len(t.stmts) > 0 {
			a = t.stmts[0].K
		}
		outcome := false
		switch t.jop {
		case jeq:
			outcome = a == t.k
		case jgt:
			outcome = a > t.k
		case jge:
			outcome = a >= t.k
		}
		if outcome {
			g.entry = g.entry.t
		} else {
			g.entry = g.entry.f
		}
		g.simplify()
	}
}

func sig(b *block) string {
	return fmt.Sprintf("%s|%x|%x|%v|%p|%p", b.key, b.test.jop, b.test.k, b.test.impure, b.t, b.f)
}

// emit lays the blocks out and returns the instructions.
func (g *graph) emit() []bpf.RawInstruction {
	blocks := g.order()
	// Returns go last, the rejecting one at the very end as tcpdump's does.
	var body []*block
	var rets []*block
	for _, b := range blocks {
		if b.test == nil {
			rets = append(rets, b)
		} else {
			body = append(body, b)
		}
	}
	slices.SortStableFunc(rets, func(a, b *block) int {
		if a.ret == 0 && b.ret != 0 {
			return 1
		}
		if a.ret != 0 && b.ret == 0 {
			return -1
		}
		return 0
	})
	layout := append(body, rets...)
	for {
		n := 0
		for _, b := range layout {
			b.pos = n
			if b.test == nil {
				n++
				continue
			}
			n += len(b.test.stmts) + 1
			if b.longT {
				n++
			}
			if b.longF {
				n++
			}
		}
		grew := false
		for _, b := range layout {
			if b.test == nil {
				continue
			}
			jmp := b.pos + len(b.test.stmts)
			next := jmp + 1
			if b.longT {
				next++
			}
			if b.longF {
				next++
			}
			if !b.longT && b.t.pos-(jmp+1) > 255 {
				b.longT, grew = true, true
			}
			if !b.longF && b.f.pos-(jmp+1) > 255 {
				b.longF, grew = true, true
			}
		}
		if !grew {
			break
		}
	}
	var prog []bpf.RawInstruction
	for _, b := range layout {
		if b.test == nil {
			prog = append(prog, bpf.RawInstruction{Op: clsRET | retK, K: b.ret})
			continue
		}
		prog = append(prog, b.test.stmts...)
		jmp := len(prog)
		ins := bpf.RawInstruction{Op: clsJMP | b.test.jop, K: b.test.k}
		slot := jmp + 1
		if b.longT {
			ins.Jt = uint8(slot - (jmp + 1))
			prog = append(prog, ins, bpf.RawInstruction{Op: clsJMP | ja, K: uint32(b.t.pos - (slot + 1))})
			slot++
		} else {
			ins.Jt = uint8(b.t.pos - (jmp + 1))
			prog = append(prog, ins)
		}
		if b.longF {
			prog[jmp].Jf = uint8(slot - (jmp + 1))
			prog = append(prog, bpf.RawInstruction{Op: clsJMP | ja, K: uint32(b.f.pos - (slot + 1))})
		} else {
			prog[jmp].Jf = uint8(b.f.pos - (jmp + 1))
		}
	}
	return prog
}
