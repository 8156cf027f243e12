package filter

import "golang.org/x/net/bpf"

// A condition is what the generator makes of an expression: tests joined by
// and, or and not, which lower.go turns into a graph of blocks. A test is
// straight-line code that leaves a value in A, and one comparison of it.

type cond interface{ isCond() }

type (
	cAnd   struct{ a, b cond }
	cOr    struct{ a, b cond }
	cNot   struct{ a cond }
	cTrue  struct{}
	cFalse struct{}

	// cTest runs stmts, then compares A with k (or with X when jop has
	// srcX).
	cTest struct {
		stmts []bpf.RawInstruction
		jop   uint16
		k     uint32
		// impure marks a test whose outcome other tests with the same
		// code may not decide: its code reads what earlier blocks left
		// (A, X or scratch memory).
		impure bool
		// constant marks a comparison of two numbers, which the program
		// decides where it starts (graph.settleConstants).
		constant bool
	}

	// cGraph is a condition that builds its own blocks, for code that
	// does not fit one test (a value computed two ways).
	cGraph struct {
		build func(yes, no *block) *block
	}
)

func (cAnd) isCond()   {}
func (cOr) isCond()    {}
func (cNot) isCond()   {}
func (cTrue) isCond()  {}
func (cFalse) isCond() {}
func (*cTest) isCond() {}
func (cGraph) isCond() {}

func and(a, b cond) cond { return cAnd{a, b} }
func or(a, b cond) cond  { return cOr{a, b} }
func not(a cond) cond    { return cNot{a} }

// allOf is the conditions joined by and, left to right; none is true.
func allOf(cs ...cond) cond { return joined(cs, and, cTrue{}) }

// anyOf is the conditions joined by or, left to right; none is false.
func anyOf(cs ...cond) cond { return joined(cs, or, cFalse{}) }

// joined is the conditions that are not nil joined by join, left to
// right, or none when there are none.
func joined(cs []cond, join func(a, b cond) cond, none cond) cond {
	var out cond
	for _, c := range cs {
		switch {
		case c == nil:
		case out == nil:
			out = c
		default:
			out = join(out, c)
		}
	}
	if out == nil {
		return none
	}
	return out
}

// compileErr carries an *Error out of the recursive parser and generator
// by panic; compileRaw and parse recover it.
type compileErr struct{ err error }

// loc is where a field starts: at byte k of the packet when reg < 0, else
// at k past the value of scratch register reg (an offset past an
// encapsulation whose length only the packet says, relative to the
// network layer of the outer link, so that KernelProgram can move every
// packet offset by moving k alone).
type loc struct {
	reg int
	k   uint32
}

func at(k uint32) loc { return loc{reg: -1, k: k} }

func (l loc) add(n uint32) loc { return loc{reg: l.reg, k: l.k + n} }

// load is the code that puts the field of size (sizeB, sizeH, sizeW) at l
// in A.
func load(size uint16, l loc) []bpf.RawInstruction {
	if l.reg < 0 {
		return []bpf.RawInstruction{{Op: clsLD | modeABS | size, K: l.k}}
	}
	return []bpf.RawInstruction{
		{Op: clsLDX | modeMEM, K: uint32(l.reg)},
		{Op: clsLD | modeIND | size, K: l.k},
	}
}

// sizeCode is the load size of a field of n bytes.
func sizeCode(n int) uint16 {
	switch n {
	case 1:
		return sizeB
	case 2:
		return sizeH
	}
	return sizeW
}

// field is a test of the n-byte field at l: (field & mask) jop v; a mask
// of all ones is no mask.
func field(l loc, n int, jop uint16, v, mask uint32) *cTest {
	code := load(sizeCode(n), l)
	full := uint32(0xffffffff) >> (32 - 8*n)
	if mask&full != full {
		code = append(code, bpf.RawInstruction{Op: clsALU | aluAnd | srcK, K: mask})
	}
	return &cTest{stmts: code, jop: jop, k: v, impure: l.reg >= 0}
}

// cmpEq is the test that the n-byte field at l equals v.
func cmpEq(l loc, n int, v uint32) cond { return field(l, n, jeq, v, 0xffffffff) }

// ipHeaderLenInX is the code that leaves in X the length of the IPv4
// header at nl (plus the register's offset, for an inner header).
func ipHeaderLenInX(nl loc) []bpf.RawInstruction {
	if nl.reg < 0 {
		return []bpf.RawInstruction{{Op: clsLDX | modeMSH | sizeB, K: nl.k}}
	}
	return []bpf.RawInstruction{
		{Op: clsLDX | modeMEM, K: uint32(nl.reg)},
		{Op: clsLD | modeIND | sizeB, K: nl.k},
		{Op: clsALU | aluAnd | srcK, K: 0xf},
		{Op: clsALU | aluLsh | srcK, K: 2},
		{Op: clsALU | aluAdd | srcX},
		{Op: clsMISC | miscTAX},
	}
}
