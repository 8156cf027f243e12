package filter

// The simplifier carries, into every block, the facts that hold on every
// path to it. Along a chain of n tests those sets grow to n facts, and
// copying them from block to block costs n² in time and memory (a chain of
// 5000 "host" terms took gigabytes). So a set of facts is immutable and
// shares its parts with the sets it was made from: a treap whose shape
// depends only on its members (a member's priority is a hash of it), so
// that adding a fact copies one path, and the intersection of two sets
// made from a common one visits only where they differ. Each node is made
// once (a factTable holds them), so equal sets are the same pointer: the
// simplifier remembers where a set of facts leads from a block (follow)
// instead of walking the same decided tests again from every block.

// fact is what a test's outcome says about the value it computed: the test
// with code key (graph.keyID), jump jop and constant k came out outcome.
type fact struct {
	key     int32
	jop     uint16
	outcome bool
	k       uint32
}

func (a fact) less(b fact) bool {
	switch {
	case a.key != b.key:
		return a.key < b.key
	case a.jop != b.jop:
		return a.jop < b.jop
	case a.outcome != b.outcome:
		return !a.outcome
	}
	return a.k < b.k
}

// priority is a hash of the fact (splitmix64's finalizer).
func (a fact) priority() uint64 {
	x := uint64(uint32(a.key))<<32 | uint64(a.jop)<<1 | uint64(b2u(a.outcome))
	x ^= uint64(a.k) * 0x9e3779b97f4a7c15
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// factSet is a set of facts; nil is the empty set. It is never changed
// once made, and only a factTable makes one.
type factSet struct {
	f    fact
	prio uint64
	l, r *factSet
}

// factTable makes the nodes of fact sets, each once.
type factTable map[factNode]*factSet

type factNode struct {
	f    fact
	l, r *factSet
}

// node is the set of f and the members of l (below f) and r (above it).
func (t factTable) node(f fact, l, r *factSet) *factSet {
	k := factNode{f, l, r}
	if s, ok := t[k]; ok {
		return s
	}
	s := &factSet{f: f, prio: f.priority(), l: l, r: r}
	t[k] = s
	return s
}

// above reports whether a's root belongs above b's in a treap: the higher
// priority, and of equal priorities the smaller fact.
func above(a, b *factSet) bool {
	return a.prio > b.prio || a.prio == b.prio && a.f.less(b.f)
}

func (s *factSet) has(f fact) bool {
	for s != nil {
		switch {
		case f == s.f:
			return true
		case f.less(s.f):
			s = s.l
		default:
			s = s.r
		}
	}
	return false
}

// with is s and f.
func (t factTable) with(s *factSet, f fact) *factSet {
	if s.has(f) {
		return s
	}
	return t.insert(s, f, f.priority())
}

func (t factTable) insert(s *factSet, f fact, prio uint64) *factSet {
	if s == nil {
		return t.node(f, nil, nil)
	}
	if prio > s.prio || prio == s.prio && f.less(s.f) {
		l, r := t.split(s, f)
		return t.node(f, l, r)
	}
	if f.less(s.f) {
		return t.graft(s, t.insert(s.l, f, prio), s.r)
	}
	return t.graft(s, s.l, t.insert(s.r, f, prio))
}

// split is the members of s below f and those above it; f is not in s.
func (t factTable) split(s *factSet, f fact) (lo, hi *factSet) {
	if s == nil {
		return nil, nil
	}
	if f.less(s.f) {
		lo, l := t.split(s.l, f)
		return lo, t.graft(s, l, s.r)
	}
	r, hi := t.split(s.r, f)
	return t.graft(s, s.l, r), hi
}

// graft is s's root over l and r.
func (t factTable) graft(s, l, r *factSet) *factSet {
	if l == s.l && r == s.r {
		return s
	}
	return t.node(s.f, l, r)
}

// join is the union of a and b, every member of a below every one of b.
func (t factTable) join(a, b *factSet) *factSet {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case above(a, b):
		return t.graft(a, a.l, t.join(a.r, b))
	}
	return t.graft(b, t.join(a, b.l), b.r)
}

// intersect is the facts in both a and b.
func (t factTable) intersect(a, b *factSet) *factSet {
	if a == b {
		return a
	}
	if a == nil || b == nil {
		return nil
	}
	if above(b, a) {
		a, b = b, a
	}
	if a.f == b.f {
		return t.graft(a, t.intersect(a.l, b.l), t.intersect(a.r, b.r))
	}
	// a's root is above every member of b, so it is not one of them.
	lo, hi := t.split(b, a.f)
	return t.join(t.intersect(a.l, lo), t.intersect(a.r, hi))
}

// decide returns the outcome of the test (key, jop, k) on every path the
// facts hold on, when they settle it. Only equalities count, as in
// tcpdump's optimizer: which expressions "reject all packets" (an error)
// depends on what the optimizer can prove, so sockscope proves no more.
// The facts on a path never contradict each other (a test they settle is
// skipped, not added), so which of them settles it does not matter.
func (s *factSet) decide(key int32, jop uint16, k uint32) (outcome, known bool) {
	if s.has(fact{key, jop, true, k}) {
		return true, true
	}
	if s.has(fact{key, jop, false, k}) {
		return false, true
	}
	if jop == jeq && s.eqTrue(key) {
		return false, true // A == another constant, so A != k
	}
	return false, false
}

// eqTrue reports whether s says the value of the test with code key equals
// some constant.
func (s *factSet) eqTrue(key int32) bool {
	lo := fact{key: key, jop: jeq, outcome: true}
	// The least member not below lo.
	var best *factSet
	for s != nil {
		if s.f.less(lo) {
			s = s.r
		} else {
			best, s = s, s.l
		}
	}
	return best != nil && best.f.key == key && best.f.jop == jeq && best.f.outcome
}
