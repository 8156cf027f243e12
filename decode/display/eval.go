package display

import (
	"bytes"

	"github.com/sockscope/sockscope/decode"
)

// test is one compiled node of an expression.
type test interface {
	match(t *decode.Tree) bool
}

// everything is the empty expression's test: every packet.
type everything struct{}

func (everything) match(*decode.Tree) bool { return true }

type andTest struct{ a, b test }
type orTest struct{ a, b test }
type notTest struct{ a test }

func (x *andTest) match(t *decode.Tree) bool { return x.a.match(t) && x.b.match(t) }
func (x *orTest) match(t *decode.Tree) bool  { return x.a.match(t) || x.b.match(t) }
func (x *notTest) match(t *decode.Tree) bool { return !x.a.match(t) }

// function is what an operand computes from a field's occurrences.
type function uint8

const (
	fnNone  function = iota
	fnLen            // the byte length of each occurrence
	fnCount          // the number of occurrences, one value
	// the computed ones (compute.go)
	fnArith // x aop y, or -x (aop 'n')
	fnUpper
	fnLower
	fnString
	fnMax
	fnMin
	fnAbs
)

// operand is a field (with its slice, layer and mask), a function of one,
// or a constant; it yields its values occurrence by occurrence: next finds
// the node of the next one, value reads it.
type operand struct {
	off  int    // where it starts in the expression
	text string // as written
	k    kind

	isConst bool
	c       constant
	folded  bool // a constant worked out from constant arithmetic, converted already

	fid     [2]FieldID // the field's ids (either-way fields have two); the parent of a bit field
	info    *decode.Field
	bitOf   bool
	bitIf   uint64 // the parent's bits the bit field needs (decode.Field.BitIf)
	pshift  uint
	mask    uint64
	mshift  uint
	signed  int // the width of a signed field, to extend its sign
	boolean bool
	layerLo int // 0: every layer
	layerHi int

	sliced     bool
	sliceStart int
	sliceLen   int // -1: to the end
	// short says that a slice the field is too short for is an empty
	// value, as tshark compares it ("sll[59] != d1" holds for a shorter
	// sll), rather than no value, as a presence test takes it.
	short bool

	and    uint64
	hasAnd bool

	fn  function
	arg *operand

	// a computed operand's: the operator, the operands, max's and min's
	// arguments, and the width an unsigned result overflows past
	aop   byte
	x, y  *operand
	args  []*operand
	width uint
	// typ is the field whose type a computed operand has: the constants
	// in it and compared with it are read as its values.
	typ *operand

	tcol int // a time column (timeColumns)

	absent bool // a field of tshark's that decode never produces (tsharkOnly), a field reference
	ref    bool // a field reference, ${name}
}

// FieldID is decode's field identifier.
type FieldID = decode.FieldID

// next is the index of the node of the operand's first occurrence at or
// after node i, or -1. A constant and a count occur once, at 0.
func (o *operand) next(t *decode.Tree, i int) int {
	if o.isConst {
		if i == 0 {
			return 0
		}
		return -1
	}
	if o.fn == fnCount {
		// count of a field that does not occur has no value, as under
		// tshark: "count(tcp.port) == 0" selects nothing.
		if i == 0 && o.arg.next(t, 0) >= 0 {
			return 0
		}
		return -1
	}
	if o.fn == fnLen {
		return o.arg.next(t, i)
	}
	if o.absent {
		return -1
	}
	if o.tcol != colNone {
		if i == 0 && len(t.Nodes) > 0 {
			return 0
		}
		return -1
	}
	if o.absent {
		return -1
	}
	nodes := t.Nodes
	a, b := o.fid[0], o.fid[1]
	for ; i < len(nodes); i++ {
		if f := nodes[i].Field; f != a && f != b {
			continue
		}
		if nodes[i].Val&o.bitIf != o.bitIf {
			continue
		}
		if o.layerLo > 0 && !o.inLayers(t, i) {
			continue
		}
		if o.sliced && !o.short {
			if _, ok := o.slice(t.Bytes(i)); !ok {
				continue
			}
		}
		return i
	}
	return -1
}

// inLayers says whether node i is in one of the layers #layerLo..#layerHi:
// the layers of the protocol of the layer it sits in, which is the
// operand's own but for a field another protocol adds (ip.version in an
// IPv6 header is in IPv6's layer #1, as tshark numbers it).
func (o *operand) inLayers(t *decode.Tree, i int) bool {
	l := i
	for l > 0 && t.Nodes[l].Depth > 0 {
		l--
	}
	p := t.Nodes[l].Field
	n := 0
	for j := 0; j <= l; j++ {
		if t.Nodes[j].Field == p && t.Nodes[j].Depth == 0 {
			n++
		}
	}
	return n >= o.layerLo && n <= o.layerHi
}

// slice is the operand's slice of b, false when b is too short for it.
func (o *operand) slice(b []byte) ([]byte, bool) {
	s := o.sliceStart
	if s < 0 {
		s += len(b)
	}
	if s < 0 || s >= len(b) {
		return nil, false
	}
	if o.sliceLen < 0 {
		return b[s:], true
	}
	e := s + o.sliceLen
	if e > len(b) || e < s {
		return nil, false
	}
	return b[s:e], true
}

// value is the operand's value at node i (which next gave): an integer or
// bytes, as its kind says.
func (o *operand) value(t *decode.Tree, i int) (uint64, []byte) {
	if o.isConst {
		return o.c.u, o.c.b
	}
	switch o.fn {
	case fnCount:
		n := uint64(0)
		for j := o.arg.next(t, 0); j >= 0; j = o.arg.next(t, j+1) {
			n++
		}
		return n, nil
	case fnLen:
		_, b := o.arg.value(t, i)
		return uint64(len(b)), nil
	}
	if o.tcol != colNone {
		return timeValue(t, o.tcol), nil
	}
	if o.k.bytesLike() {
		b := t.Bytes(i)
		if o.sliced {
			b, _ = o.slice(b)
		}
		return 0, b
	}
	v := t.Nodes[i].Val
	if o.bitOf {
		v = ((v << o.pshift) & o.mask) >> o.mshift
	}
	if o.signed > 0 && o.signed < 64 {
		sh := 64 - uint(o.signed)
		v = uint64(int64(v<<sh) >> sh)
	}
	if o.boolean && v != 0 {
		v = 1
	}
	if o.hasAnd {
		v &= o.and
	}
	return v, nil
}

// relation is a comparison of two operands, or a presence test (r nil), or
// a membership test (set).
type relation struct {
	l, r *operand
	op   cmpOp
	all  bool // every occurrence (pair) must satisfy it, rather than any
	k    kind
	set  []constant
	// lenFirst orders a protocol (unsliced) as tshark does: the shorter
	// is the lesser, and bytes decide between equal lengths.
	lenFirst bool
	computed bool // a side is computed: matchComputed
}

// order compares two byte values as the relation's operand wants them.
func (x *relation) order(a, b []byte, prefix int) int {
	if x.lenFirst && len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return prefixOrder(a, b, prefix)
}

func (x *relation) match(t *decode.Tree) bool {
	if x.computed {
		return x.matchComputed(t)
	}
	l := x.l
	if x.r == nil && x.set == nil {
		for i := l.next(t, 0); i >= 0; i = l.next(t, i+1) {
			if !l.hasAnd {
				return true
			}
			if u, _ := l.value(t, i); u != 0 {
				return true
			}
		}
		return false
	}
	seen := false
	for i := l.next(t, 0); i >= 0; i = l.next(t, i+1) {
		lu, lb := l.value(t, i)
		if x.set != nil {
			ok := x.inSet(lu, lb)
			seen = true
			if ok != x.all {
				return ok
			}
			continue
		}
		r := x.r
		for j := r.next(t, 0); j >= 0; j = r.next(t, j+1) {
			ru, rb := r.value(t, j)
			ok := x.compare(lu, lb, ru, rb, r)
			seen = true
			if ok != x.all {
				return ok
			}
		}
	}
	return x.all && seen
}

// compare applies the relation's operator to one pair of values.
func (x *relation) compare(lu uint64, lb []byte, ru uint64, rb []byte, r *operand) bool {
	if r.isConst && r.c.neg {
		return x.op == opNe // an unsigned field's value against a negative one
	}
	if !x.k.bytesLike() {
		return holds(x.op, order(x.k, lu, ru))
	}
	switch x.op {
	case opContains:
		// tshark finds the empty string in no string, though in any bytes.
		return bytes.Contains(lb, rb) && (len(rb) > 0 || x.k != kString)
	case opMatches:
		return r.c.re.Match(lb)
	}
	prefix := -1
	if r.isConst {
		prefix = r.c.prefix
	}
	return holds(x.op, x.order(lb, rb, prefix))
}

// inSet says whether a value is one of the set's, or in one of its ranges.
func (x *relation) inSet(u uint64, b []byte) bool {
	for i := range x.set {
		c := &x.set[i]
		if c.neg || c.hi != nil && c.hi.neg {
			continue
		}
		if c.hi == nil {
			if x.k.bytesLike() {
				if x.order(b, c.b, c.prefix) == 0 {
					return true
				}
			} else if order(x.k, u, c.u) == 0 {
				return true
			}
			continue
		}
		if x.k.bytesLike() {
			if x.order(b, c.b, -1) >= 0 && x.order(b, c.hi.b, -1) <= 0 {
				return true
			}
		} else if order(x.k, u, c.u) >= 0 && order(x.k, u, c.hi.u) <= 0 {
			return true
		}
	}
	return false
}
