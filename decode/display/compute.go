package display

import (
	"bytes"
	"math"
	"math/bits"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/sockscope/sockscope/decode"
)

// The computed operands: arithmetic (+ - * / % &, unary minus), the
// functions upper, lower, string, max, min and abs, and bitwise & on bytes.
// Their values are worked out whole, per packet, into a scratch list taken
// from a pool (so a Filter stays free of state and Match of allocations),
// where a field's are read one occurrence at a time.

// val is one value of a computed operand.
type val struct {
	u uint64
	b []byte
	// neg marks a signed value in an unsigned context: a negative literal,
	// a unary minus, a difference below zero. tshark 4.0 orders a signed
	// value on the left against anything, an unsigned one on the left
	// against unsigned values only.
	neg bool
	// bad is arithmetic that failed (an overflow of the field's width, a
	// division by zero, an unsigned value plus a negative one): it equals
	// nothing, so only != and !== hold for it.
	bad bool
}

// scratch is the room one Match needs for computed values.
type scratch struct {
	vals []val
	buf  []byte
}

var scratchPool = sync.Pool{New: func() any { return &scratch{vals: make([]val, 0, 64), buf: make([]byte, 0, 512)} }}

// timeColumns are tshark's frame times that are not in decode's tree as
// fields: each packet's values are worked out from its timestamp and the
// tree's First, Previous and Displayed.
var timeColumns = map[string]struct {
	col int
	k   kind
	typ decode.FieldType
}{
	"frame.time":                 {colTime, kAbsTime, decode.TypeAbsTime},
	"frame.time_relative":        {colRelative, kRelTime, decode.TypeRelTime},
	"frame.time_delta":           {colDelta, kRelTime, decode.TypeRelTime},
	"frame.time_delta_displayed": {colDeltaDisplayed, kRelTime, decode.TypeRelTime},
}

const (
	colNone = iota
	colTime
	colRelative
	colDelta
	colDeltaDisplayed
)

// timeValue is a time column's value for the packet of t.
func timeValue(t *decode.Tree, col int) uint64 {
	ts := t.CI.Timestamp
	var ref time.Time
	switch col {
	case colTime:
		return uint64(ts.UnixNano())
	case colRelative:
		ref = t.First
	case colDelta:
		ref = t.Previous
	case colDeltaDisplayed:
		ref = t.Displayed
	}
	if ref.IsZero() {
		ref = ts
	}
	return uint64(ts.Sub(ref).Nanoseconds())
}

// computed says whether the operand's values are worked out whole (eval)
// rather than read occurrence by occurrence (next and value).
func (o *operand) computed() bool { return o.fn >= fnArith }

// eval appends the operand's values in the packet of t to out.
func (o *operand) eval(t *decode.Tree, s *scratch, out []val) []val {
	switch {
	case o.isConst:
		return append(out, val{u: o.c.u, b: o.c.b, neg: o.c.neg})
	case !o.computed():
		for i := o.next(t, 0); i >= 0; i = o.next(t, i+1) {
			u, b := o.value(t, i)
			out = append(out, val{u: u, b: b})
		}
		return out
	}
	start := len(out)
	switch o.fn {
	case fnArith:
		if o.aop == 'n' {
			out = o.x.eval(t, s, out)
			for i := start; i < len(out); i++ {
				out[i] = negate(o.k, out[i])
			}
			return out
		}
		out = o.x.eval(t, s, out)
		mid := len(out)
		out = o.y.eval(t, s, out)
		end := len(out)
		for i := start; i < mid; i++ {
			for j := mid; j < end; j++ {
				out = append(out, o.arith(s, out[i], out[j]))
			}
		}
		return append(out[:start], out[end:]...)
	case fnUpper, fnLower:
		out = o.x.eval(t, s, out)
		for i := start; i < len(out); i++ {
			from := len(s.buf)
			for _, c := range out[i].b {
				if o.fn == fnUpper && c >= 'a' && c <= 'z' {
					c -= 'a' - 'A'
				} else if o.fn == fnLower && c >= 'A' && c <= 'Z' {
					c += 'a' - 'A'
				}
				s.buf = append(s.buf, c)
			}
			out[i].b = s.buf[from:len(s.buf):len(s.buf)]
		}
		return out
	case fnString:
		out = o.x.eval(t, s, out)
		for i := start; i < len(out); i++ {
			from := len(s.buf)
			s.buf = appendString(s.buf, o.x, out[i])
			out[i] = val{b: s.buf[from:len(s.buf):len(s.buf)]}
		}
		return out
	case fnAbs:
		out = o.x.eval(t, s, out)
		for i := start; i < len(out); i++ {
			if v := out[i]; !v.bad && (o.k == kUint && v.neg || o.k != kUint && o.k != kFloat && int64(v.u) < 0) {
				out[i] = negate(o.k, v)
				out[i].neg = false
			} else if o.k == kFloat {
				out[i].u = math.Float64bits(math.Abs(math.Float64frombits(v.u)))
			}
		}
		return out
	case fnMax, fnMin:
		for _, a := range o.args {
			out = a.eval(t, s, out)
		}
		if len(out) == start {
			return out
		}
		best := out[start]
		for _, v := range out[start+1:] {
			c := orderVals(o.k, v, best)
			if o.fn == fnMax && c > 0 || o.fn == fnMin && c < 0 {
				best = v
			}
		}
		return append(out[:start], best)
	}
	return out
}

// orderVals orders two values of kind k, for max and min.
func orderVals(k kind, a, b val) int {
	if k.bytesLike() {
		return bytes.Compare(a.b, b.b)
	}
	if k == kUint && (a.neg || b.neg) {
		return order(kInt, a.u, b.u)
	}
	return order(k, a.u, b.u)
}

// negate is -v for a value of kind k.
func negate(k kind, v val) val {
	if v.bad {
		return v
	}
	switch k {
	case kFloat:
		return val{u: math.Float64bits(-math.Float64frombits(v.u))}
	case kUint:
		return val{u: -v.u, neg: true}
	}
	return val{u: -v.u}
}

// arith applies the operand's binary operator to a and b.
func (o *operand) arith(s *scratch, a, b val) val {
	bad := val{bad: true}
	if a.bad || b.bad {
		return bad
	}
	switch o.k {
	case kUint:
		if a.neg {
			return signedArith(o.aop, a.u, b.u, true)
		}
		if b.neg {
			return bad
		}
		max := uint64(math.MaxUint64)
		if o.width < 64 {
			max = 1<<o.width - 1
		}
		switch o.aop {
		case '+':
			r, c := bits.Add64(a.u, b.u, 0)
			if c != 0 || r > max {
				return bad
			}
			return val{u: r}
		case '-':
			return val{u: a.u - b.u, neg: a.u < b.u}
		case '*':
			hi, lo := bits.Mul64(a.u, b.u)
			if hi != 0 || lo > max {
				return bad
			}
			return val{u: lo}
		case '/':
			if b.u == 0 {
				return bad
			}
			return val{u: a.u / b.u}
		case '%':
			if b.u == 0 {
				return bad
			}
			return val{u: a.u % b.u}
		case '&':
			return val{u: a.u & b.u}
		}
	case kInt, kRelTime:
		return signedArith(o.aop, a.u, b.u, false)
	case kFloat:
		x, y := math.Float64frombits(a.u), math.Float64frombits(b.u)
		var r float64
		switch o.aop {
		case '+':
			r = x + y
		case '-':
			r = x - y
		case '*':
			r = x * y
		case '/':
			if y == 0 {
				return bad
			}
			r = x / y
		default:
			return bad
		}
		return val{u: math.Float64bits(r)}
	}
	if o.aop == '&' && o.k.bytesLike() {
		if len(b.b) != len(a.b) {
			return bad
		}
		from := len(s.buf)
		for i, c := range a.b {
			s.buf = append(s.buf, c&b.b[i])
		}
		return val{b: s.buf[from:len(s.buf):len(s.buf)]}
	}
	return bad
}

// signedArith is a op b in two's complement; neg marks the result signed.
func signedArith(op byte, a, b uint64, neg bool) val {
	x, y := int64(a), int64(b)
	var r int64
	switch op {
	case '+':
		r = x + y
	case '-':
		r = x - y
	case '*':
		r = x * y
	case '/', '%':
		if y == 0 || x == math.MinInt64 && y == -1 {
			return val{bad: true}
		}
		if op == '/' {
			r = x / y
		} else {
			r = x % y
		}
	case '&':
		r = x & y
	}
	return val{u: uint64(r), neg: neg}
}

// appendString writes value v of operand o as string() does: integers in
// decimal, addresses in their usual forms.
func appendString(b []byte, o *operand, v val) []byte {
	switch o.k {
	case kUint:
		if v.neg {
			return strconv.AppendInt(b, int64(v.u), 10)
		}
		return strconv.AppendUint(b, v.u, 10)
	case kInt:
		return strconv.AppendInt(b, int64(v.u), 10)
	case kIPv4, kIPv6:
		if a, ok := netip.AddrFromSlice(v.b); ok {
			return a.AppendTo(b)
		}
	case kEther, kEUI64:
		for i, c := range v.b {
			if i > 0 {
				b = append(b, ':')
			}
			b = append(b, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
		}
	}
	return b
}

// matchComputed is relation.match for a relation with a computed side.
func (x *relation) matchComputed(t *decode.Tree) bool {
	s := scratchPool.Get().(*scratch)
	defer scratchPool.Put(s)
	s.buf = s.buf[:0]
	vals := x.l.eval(t, s, s.vals[:0])
	nl := len(vals)
	if x.r != nil {
		vals = x.r.eval(t, s, vals)
	}
	s.vals = vals
	if x.r == nil && x.set == nil {
		for _, v := range vals {
			if !v.bad && (v.u != 0 || nonzero(v.b)) {
				return true
			}
		}
		return false
	}
	seen := false
	for _, lv := range vals[:nl] {
		if x.set != nil {
			ok := !lv.bad && x.inSet(lv.u, lv.b)
			seen = true
			if ok != x.all {
				return ok
			}
			continue
		}
		for _, rv := range vals[nl:] {
			ok := x.compareVals(lv, rv)
			seen = true
			if ok != x.all {
				return ok
			}
		}
	}
	return x.all && seen
}

// compareVals applies the relation's operator to two computed values.
func (x *relation) compareVals(a, b val) bool {
	if a.bad || b.bad {
		return x.op == opNe
	}
	if x.k == kUint && (a.neg || b.neg) {
		if !a.neg {
			return x.op == opNe
		}
		return holds(x.op, order(kInt, a.u, b.u))
	}
	return x.compare(a.u, a.b, b.u, b.b, x.r)
}

func nonzero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return true
		}
	}
	return false
}
