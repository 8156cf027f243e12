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
	ret   uint32   // for returns (test == nil)
	key   int32    // the test's code (graph.keyID), for comparing tests
	keyed bool     // key is set
	facts *factSet // what holds on every path into the block
	seen  bool
	walk  int // the last graph.order that came here
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

// graph is a lowered program.
type graph struct {
	entry       *block
	accept, rej *block
	keys        map[string]int32 // test code -> key
	walk        int              // orders made
}

// keyID is the key of a test's code: equal for equal code.
func (g *graph) keyID(t *cTest) int32 {
	if g.keys == nil {
		g.keys = map[string]int32{}
	}
	code := testKey(t)
	id, ok := g.keys[code]
	if !ok {
		id = int32(len(g.keys))
		g.keys[code] = id
	}
	return id
}

// order returns the blocks reachable from the entry, each after every
// block that jumps to it: the reverse of a depth-first postorder that
// visits the false successor first. The walk keeps its own stack, as deep
// as the longest path (a test per term of a long chain).
func (g *graph) order() []*block {
	g.walk++
	type frame struct {
		b    *block
		next int // successors visited: 0, 1 (f) or 2 (f and t)
	}
	var post []*block
	stack := []frame{{b: g.entry}}
	g.entry.walk = g.walk
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if b := top.b; b.test != nil && top.next < 2 {
			succ := b.f
			if top.next == 1 {
				succ = b.t
			}
			top.next++
			if succ.walk != g.walk {
				succ.walk = g.walk
				stack = append(stack, frame{b: succ})
			}
			continue
		}
		post = append(post, top.b)
		stack = stack[:len(stack)-1]
	}
	slices.Reverse(post)
	return post
}

// round is what one round of simplify knows: the sets of facts it made,
// and where a set of facts leads from a block.
type round struct {
	sets  factTable
	leads map[lead]*block
	path  []*block
	steps *int // what is left of simplify's walkSteps
}

// forwardRounds is how many rounds of simplify drop useless tests from the
// first block on, before they go from the last block back.
const forwardRounds = 16

// walkSteps bounds the tests follow may skip in one simplify, a few per
// block: ordinary expressions take fewer than 5 per block, while n edges
// with n different sets of facts into a run of n decided tests ("(host a
// or ... ) and ip and ip and ...") would take n². Past it, edges stay
// where they are: the program is as right, only longer.
func walkSteps(blocks int) int { return 1<<16 + 64*blocks }

type lead struct {
	from  *block
	facts *factSet
}

func (r *round) factsOn(b *block, outcome bool) *factSet {
	if b.test.impure {
		return b.facts
	}
	return r.sets.with(b.facts, fact{key: b.key, jop: b.test.jop, outcome: outcome, k: b.test.k})
}

// follow skips, from an edge carrying facts, the blocks those facts
// decide. Many edges carry the same facts into the same long run of tests
// they decide (a chain of "or"s of n terms has n), so where facts lead
// from a block is remembered for the rest of the round: the blocks past
// an edge are ones the round has not come to, whose edges are still those
// it started with.
func (r *round) follow(to *block, facts *factSet) *block {
	r.path = r.path[:0]
	for to.test != nil && !to.test.impure {
		if end, ok := r.leads[lead{to, facts}]; ok {
			to = end
			break
		}
		if *r.steps <= 0 {
			break
		}
		outcome, known := facts.decide(to.key, to.test.jop, to.test.k)
		if !known {
			break
		}
		*r.steps--
		r.path = append(r.path, to)
		if outcome {
			to = to.t
		} else {
			to = to.f
		}
	}
	for _, b := range r.path {
		r.leads[lead{b, facts}] = to
	}
	return to
}

// simplify redirects every edge past the tests it decides, drops tests
// whose outcome does not matter, and shares identical blocks, until
// nothing changes.
func (g *graph) simplify() {
	all := g.order()
	for _, b := range all {
		if b.test != nil && !b.keyed {
			b.key, b.keyed = g.keyID(b.test), true
		}
	}
	steps := walkSteps(len(all))
	rounds := 0
	for changed := true; changed; {
		changed = false
		blocks := g.order()
		for _, b := range blocks {
			b.facts, b.seen = nil, false
		}
		r := &round{sets: factTable{}, leads: map[lead]*block{}, steps: &steps}
		for _, b := range blocks {
			if b.test == nil {
				continue
			}
			for _, edge := range [2]struct {
				to      **block
				outcome bool
			}{{&b.t, true}, {&b.f, false}} {
				facts := r.factsOn(b, edge.outcome)
				if next := r.follow(*edge.to, facts); next != *edge.to {
					*edge.to, changed = next, true
				}
				succ := *edge.to
				if !succ.seen {
					succ.facts, succ.seen = facts, true
				} else {
					succ.facts = r.sets.intersect(succ.facts, facts)
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
		// From the first block on, the order whose programs tcpdump's
		// match (which useless tests go first decides which others become
		// useless, and so which loads stay to reject a short packet). A
		// run of n tests made useless one by one takes n rounds that way
		// ("(n hosts) and tcp port 80": 1000 hosts, 117 s); past a few
		// rounds, from the last block back, where a test made useless by
		// dropping the one after it goes in the same round.
		rounds++
		for i := range blocks {
			b := blocks[i]
			if rounds > forwardRounds {
				b = blocks[len(blocks)-1-i]
			}
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
		if e := skip(g.entry); e != g.entry {
			g.entry, changed = e, true
		}
		// Share blocks that test the same thing with the same successors.
		same := map[signature]*block{}
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
	var uses map[int32]int // blocks that run each test's code
	for g.entry.test != nil && g.entry.test.constant {
		if uses == nil {
			uses = map[int32]int{}
			for _, b := range g.order() {
				if b.test != nil {
					uses[b.key]++
				}
			}
		}
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
		next, other := g.entry.t, g.entry.f
		if !outcome {
			next, other = other, next
		}
		// When the other way is a return and no other test runs this
		// code, the graph after the entry is the one simplify has just
		// settled, less one fact no test asks about: simplifying again
		// would change nothing, and after each of n constants would
		// take n rounds of the whole graph.
		unchanged := other.test == nil && uses[g.entry.key] == 1
		uses[g.entry.key]--
		g.entry = next
		if !unchanged {
			g.simplify()
			uses = nil
		}
	}
}

// signature is what makes two blocks the same: the same test and the same
// successors.
type signature struct {
	key    int32
	jop    uint16
	k      uint32
	impure bool
	t, f   *block
}

func sig(b *block) signature {
	return signature{key: b.key, jop: b.test.jop, k: b.test.k, impure: b.test.impure, t: b.t, f: b.f}
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
