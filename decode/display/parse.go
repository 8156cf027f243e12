package display

import (
	"math"
	"math/bits"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/sockscope/sockscope/decode"
)

// Filter is a compiled display filter. It keeps no state between calls of
// Match, so goroutines may share one.
type Filter struct {
	expr string
	root test
	// fields are the registry fields the expression reads.
	fields []FieldID
}

// Want is what the filter reads of a tree (decode.Tree.Want).
func (f *Filter) Want() *decode.Want { return decode.WantFields(f.fields...) }

// String is the expression the filter was compiled from.
func (f *Filter) String() string { return f.expr }

// Match reports whether the dissected packet t is selected. It allocates
// nothing.
func (f *Filter) Match(t *decode.Tree) bool { return f.root.match(t) }

// eitherWay are the fields that are a packet's source or destination,
// resolved here rather than added to decode's tree.
var eitherWay = []struct{ name, src, dst string }{
	{"ip.addr", "ip.src", "ip.dst"},
	{"ipv6.addr", "ipv6.src", "ipv6.dst"},
	{"eth.addr", "eth.src", "eth.dst"},
}

// Compile compiles a display-filter expression once; a bad one is an
// *Error. An empty expression (or only spaces) selects every packet.
func Compile(expr string) (*Filter, error) {
	p := &parser{s: scanner{src: expr}, expr: expr}
	if err := p.advance(); err != nil {
		return nil, err
	}
	if p.tok.kind == tEOF {
		return &Filter{expr: expr, root: everything{}}, nil
	}
	root, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tEOF {
		return nil, p.unexpected()
	}
	return &Filter{expr: expr, root: root, fields: p.fields}, nil
}

type parser struct {
	s    scanner
	tok  token
	expr string
	// fields are the registry fields of the operands read so far.
	fields []FieldID
}

func (p *parser) advance() error {
	t, err := p.s.next()
	if err != nil {
		return err
	}
	p.tok = t
	return nil
}

func (p *parser) errAt(off int, msg string) error {
	return &Error{Expr: p.expr, Offset: off, Msg: msg}
}

func (p *parser) unexpected() error {
	if p.tok.kind == tEOF {
		return p.errAt(p.tok.off, "unexpected end of filter expression")
	}
	return p.errAt(p.tok.off, strconv.Quote(p.s.src[p.tok.off:p.s.pos])+" was unexpected in this context")
}

func (p *parser) is(words ...string) bool {
	if p.tok.kind != tWord && p.tok.kind != tPunct {
		return false
	}
	for _, w := range words {
		if p.tok.text == w {
			return true
		}
	}
	return false
}

func (p *parser) parseOr() (test, error) {
	l, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	for p.is("or", "||") {
		if err := p.advance(); err != nil {
			return nil, err
		}
		r, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		l = &orTest{l, r}
	}
	return l, nil
}

func (p *parser) parseAnd() (test, error) {
	l, err := p.parseNot()
	if err != nil {
		return nil, err
	}
	for p.is("and", "&&") {
		if err := p.advance(); err != nil {
			return nil, err
		}
		r, err := p.parseNot()
		if err != nil {
			return nil, err
		}
		l = &andTest{l, r}
	}
	return l, nil
}

func (p *parser) parseNot() (test, error) {
	if p.is("not", "!") {
		if err := p.advance(); err != nil {
			return nil, err
		}
		x, err := p.parseNot()
		if err != nil {
			return nil, err
		}
		return &notTest{x}, nil
	}
	return p.parseRelation()
}

// comparison operators: the operator, and whether all occurrences must
// satisfy it.
var comparisons = map[string]struct {
	op  cmpOp
	all bool
}{
	"==": {opEq, false}, "eq": {opEq, false}, "any_eq": {opEq, false},
	"!=": {opNe, true}, "ne": {opNe, true}, "all_ne": {opNe, true},
	"===": {opEq, true}, "all_eq": {opEq, true},
	"!==": {opNe, false}, "any_ne": {opNe, false},
	"<": {opLt, false}, "lt": {opLt, false},
	"<=": {opLe, false}, "le": {opLe, false},
	">": {opGt, false}, "gt": {opGt, false},
	">=": {opGe, false}, "ge": {opGe, false},
	"contains": {opContains, false},
	"matches":  {opMatches, false}, "~": {opMatches, false},
	"in": {opIn, false},
}

func (p *parser) parseRelation() (test, error) {
	if p.is("(") {
		if err := p.advance(); err != nil {
			return nil, err
		}
		x, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if !p.is(")") {
			return nil, p.unexpected()
		}
		return x, p.advance()
	}
	quant := ""
	if p.is("any", "all") {
		quant = p.tok.text
		if err := p.advance(); err != nil {
			return nil, err
		}
	}
	l, err := p.parseBitAnd()
	if err != nil {
		return nil, err
	}
	if l.isConst {
		if looksLikeName(p.s.src, l) {
			return nil, p.unknownField(l)
		}
		if p.tok.kind != tEOF && isComparison(p.tok) || p.is("&", "bitwise_and") {
			return nil, p.errAt(l.off, "left side of the comparison must be a field or function, not "+l.text)
		}
		return nil, p.unknownField(l)
	}
	if l.fn == fnArith && leftmostLeaf(l).isConst {
		return nil, p.errAt(l.off, "Constant arithmetic expression on the LHS is invalid")
	}
	if l.absent && l.ref && !isComparison(p.tok) {
		return nil, p.errAt(l.off, l.text+" is neither a field nor a protocol name")
	}
	if l.computed() {
		if err := p.resolve(l, nil); err != nil {
			return nil, err
		}
		// field & constant: the mask of the lazy path, which needs no
		// scratch
		if l.fn == fnArith && l.aop == '&' && !l.x.computed() && !l.x.isConst && l.y.isConst && (l.x.k == kUint || l.x.k == kInt) && !l.x.hasAnd && l.x.tcol == colNone {
			m := l.x
			m.and, m.hasAnd = l.y.c.u, true
			m.off, m.text = l.off, l.text
			l = m
		}
	}
	if l.fn == fnArith && p.is("in") {
		return nil, p.unexpected()
	}
	if !isComparison(p.tok) {
		if quant != "" {
			return nil, p.unexpected()
		}
		if l.fn != fnNone && l.fn != fnArith {
			return nil, p.errAt(l.off, "a function's value must be compared")
		}
		return &relation{l: l, computed: l.computed(), k: l.k}, nil
	}
	c := comparisons[p.tok.text]
	opText, opOff := p.tok.text, p.tok.off
	if err := p.advance(); err != nil {
		return nil, err
	}
	switch quant {
	case "any":
		c.all = false
	case "all":
		c.all = true
	}
	x := &relation{l: l, op: c.op, all: c.all, k: l.k, computed: l.computed()}
	// tshark orders byte strings (bytes fields, protocols, any slice) by
	// length first, then byte by byte; strings byte by byte only.
	x.lenFirst = l.fn == fnNone && (l.sliced || l.k == kBytes || l.info != nil && l.info.Type == decode.TypeProtocol)
	l.short = true
	if l.k == kNone {
		return nil, p.errAt(l.off, l.text+" (type="+l.typeName()+") cannot participate in "+opText+" comparison")
	}
	switch c.op {
	case opContains, opMatches:
		if !l.k.bytesLike() || l.k == kEther || l.k == kIPv4 || l.k == kIPv6 || l.k == kEUI64 {
			return nil, p.errAt(l.off, l.text+" (type="+l.typeName()+") cannot participate in "+opText+" comparison")
		}
	case opIn:
		set, err := p.parseSet(l)
		if err != nil {
			return nil, err
		}
		x.set = set
		return x, nil
	}
	r, err := p.parseBitAnd()
	if err != nil {
		return nil, err
	}
	if r.computed() {
		typ := l
		if l.computed() {
			typ = l.typ
		}
		if err := p.resolve(r, typ); err != nil {
			return nil, err
		}
	}
	x.computed = l.computed() || r.computed()
	if c.op == opMatches {
		if !r.isConst || p.s.src[r.off] == '\'' || !(p.s.src[r.off] == '"' || p.s.src[r.off] == 'r') {
			return nil, p.errAt(r.off, "the right side of "+opText+" must be a quoted regular expression")
		}
		re, err := regexp.Compile("(?i)" + r.c.litText)
		if err != nil {
			return nil, p.errAt(r.off, "bad regular expression: "+strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		}
		r.c.re = re
		x.r = r
		return x, nil
	}
	if r.isConst && !r.folded {
		k, err := p.convert(r, l)
		if err != nil {
			return nil, err
		}
		r.c = k
		r.k = l.k
	} else if !compatible(l.k, r.k) || l.boolean && !r.boolean || c.op == opContains && (r.k != kBytes && r.k != kString) ||
		l.info != nil && r.info != nil && l.wholeProtocol() != r.wholeProtocol() && !l.sliced && !r.sliced {
		// A protocol compares with a protocol or a slice only: tshark 4.0
		// rejects "dns.qry.name == icmp" and "tcp == tcp.payload".
		// tshark 4.0 compares a Boolean on the left with a Boolean only,
		// though an integer on the left with a Boolean
		return nil, p.errAt(r.off, l.text+" and "+r.text+" are not of compatible types")
	} else {
		r.short = true
	}
	_ = opOff
	x.r = r
	return x, nil
}

func isComparison(t token) bool {
	if t.kind != tWord && t.kind != tPunct {
		return false
	}
	_, ok := comparisons[t.text]
	return ok
}

// wholeProtocol reports whether the operand is a protocol's bytes, neither
// sliced nor given to a function.
func (o *operand) wholeProtocol() bool {
	return o.info != nil && o.info.Type == decode.TypeProtocol && !o.sliced && o.fn == fnNone
}

func compatible(a, b kind) bool {
	switch {
	case a == b:
		return true
	case (a == kUint || a == kInt) && (b == kUint || b == kInt):
		return true
	case (a == kBytes || a == kString) && (b == kBytes || b == kString):
		return true
	}
	return false
}

func (o *operand) typeName() string {
	switch o.fn {
	case fnLen, fnCount:
		return "Unsigned integer (4 bytes)"
	}
	if o.sliced {
		return "Byte sequence"
	}
	if o.info != nil {
		return typeName(o.info.Type)
	}
	return "literal"
}

// unknownField is the error for a name that is neither a field nor a
// protocol, with the registry's nearest names.
func (p *parser) unknownField(o *operand) error {
	msg := o.text + " is neither a field nor a protocol name"
	if p.s.src[o.off] == '"' || p.s.src[o.off] == '\'' || o.text == "" || o.text[0] >= '0' && o.text[0] <= '9' {
		msg = "a test must be a field or protocol, not " + o.text
	} else if s := suggest(o.text); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, ", ") + "?"
	}
	return p.errAt(o.off, msg)
}

// looksLikeName says whether a literal is written as a field name would be:
// a bare word that starts with a letter, with no ':' or '/'.
func looksLikeName(src string, o *operand) bool {
	c := src[o.off]
	return (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') && o.c.litKind == tWord && !strings.ContainsAny(o.text, ":/")
}

var functions = map[string]function{"len": fnLen, "count": fnCount}

// parseOperand reads a field (with its layer and slice), a function call
// or a literal.
func (p *parser) parseOperand() (*operand, error) {
	t := p.tok
	switch t.kind {
	case tString, tChar:
		if err := p.advance(); err != nil {
			return nil, err
		}
		return &operand{off: t.off, text: p.s.src[t.off:p.lastEnd(t)], isConst: true, c: constant{litText: t.text, litKind: t.kind, litVal: t.val}}, nil
	case tRef:
		if err := p.advance(); err != nil {
			return nil, err
		}
		o, ok := field(t.text)
		if !ok {
			return nil, p.errAt(t.off, "macro '"+t.text+"' does not exist")
		}
		// A reference is to a field of the frame selected in Wireshark's
		// GUI; tshark has none, so it has no value.
		o.off, o.text, o.absent, o.ref = t.off, p.s.src[t.off:p.lastEnd(t)], true, true
		return o, nil
	case tWord:
	default:
		return nil, p.unexpected()
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	if p.is("(") {
		fn, ok := functions[t.text]
		if !ok {
			switch t.text {
			case "upper", "lower", "string", "min", "max", "abs":
				return p.parseFunction(t)
			}
			return nil, p.errAt(t.off, "the function "+t.text+"() does not exist")
		}
		if err := p.advance(); err != nil {
			return nil, err
		}
		arg, err := p.parseOperand()
		if err != nil {
			return nil, err
		}
		if arg.isConst {
			return nil, p.unknownField(arg)
		}
		if arg.fn != fnNone {
			return nil, p.errAt(arg.off, "Only fields can be used as parameter for "+t.text+"()")
		}
		if !p.is(")") {
			return nil, p.unexpected()
		}
		end := p.tok.off + 1
		if err := p.advance(); err != nil {
			return nil, err
		}
		o := &operand{off: t.off, text: p.s.src[t.off:end], k: kUint, fn: fn, arg: arg}
		if fn == fnLen && !arg.k.bytesLike() {
			return nil, p.errAt(arg.off, arg.text+" (type="+arg.typeName()+") has no length")
		}
		return o, nil
	}
	o, ok := field(t.text)
	if ok {
		p.fields = append(p.fields, o.fid[0], o.fid[1])
	}
	if !ok {
		if k, ok := tsharkOnly[t.text]; ok {
			return &operand{off: t.off, text: t.text, k: k, absent: true}, nil
		}
		return &operand{off: t.off, text: t.text, isConst: true, c: constant{litText: t.text, litKind: tWord}}, nil
	}
	o.off, o.text = t.off, t.text
	if p.is("#") {
		if err := p.layer(o); err != nil {
			return nil, err
		}
	}
	if p.is("[") {
		if o.k != kBytes && o.k != kString && o.k != kEther && o.k != kIPv4 && o.k != kIPv6 && o.k != kEUI64 {
			return nil, p.errAt(o.off, strconv.Quote(o.text)+" is a "+o.typeName()+" and cannot be sliced into a sequence of bytes")
		}
		if err := p.sliceOf(o); err != nil {
			return nil, err
		}
		o.k = kBytes
	}
	return o, nil
}

// lastEnd is where token t ends in the source (the scanner's position
// before the token now read).
func (p *parser) lastEnd(t token) int {
	end := p.tok.off
	for end > t.off && strings.IndexByte(" \t\r\n", p.s.src[end-1]) >= 0 {
		end--
	}
	return end
}

// tsharkOnly are names of tshark 4.0's protocols and fields that decode's
// registry lacks and that would otherwise read as values (byte strings):
// tshark reads a bare word that names a field as that field, so
// "ip.dst[3] == ff" compares with the FOUNDATION Fieldbus protocol, not with
// 0xff. decode never dissects them: they never occur. Each has the kind of
// its tshark type (a protocol compares as bytes).
var tsharkOnly = map[string]kind{"bfd": kBytes, "dc": kBytes, "fc": kBytes, "ff": kBytes, "dc.dc": kString}

// field makes an operand of a registry field or either-way name.
func field(name string) (*operand, bool) {
	if c, ok := timeColumns[name]; ok {
		return &operand{info: &decode.Field{Name: name, Type: c.typ}, k: c.k, tcol: c.col}, true
	}
	var ids [2]FieldID
	id, ok := decode.Lookup(name)
	if ok {
		ids = [2]FieldID{id, id}
	} else {
		for _, a := range eitherWay {
			if a.name == name {
				s, _ := decode.Lookup(a.src)
				d, _ := decode.Lookup(a.dst)
				ids, id, ok = [2]FieldID{s, d}, s, true
			}
		}
	}
	if !ok {
		return nil, false
	}
	f := id.Info()
	o := &operand{fid: ids, info: f, k: kindOf(f)}
	if f.BitOf != 0 {
		parent := f.BitOf.Info()
		o.fid = [2]FieldID{f.BitOf, f.BitOf}
		o.bitOf = true
		o.bitIf = f.BitIf
		o.pshift = shiftOf(parent.Mask)
		o.mask = f.Mask
		o.mshift = shiftOf(f.Mask)
	}
	if o.k == kInt {
		o.signed = bitsOf(f.Type)
	}
	o.boolean = f.Type == decode.TypeBoolean
	return o, true
}

func shiftOf(m uint64) uint {
	if m == 0 {
		return 0
	}
	return uint(bits.TrailingZeros64(m))
}

// layer reads "#n" or "#[i-j]" / "#[i:j]" after a field.
func (p *parser) layer(o *operand) error {
	at := p.tok.off
	src := p.s.src
	i := p.s.pos
	var body string
	if i < len(src) && src[i] == '[' {
		end := strings.IndexByte(src[i:], ']')
		if end < 0 {
			return p.errAt(at, "the layer range has no closing ]")
		}
		body = src[i+1 : i+end]
		p.s.pos = i + end + 1
	} else {
		j := i
		for j < len(src) && src[j] >= '0' && src[j] <= '9' {
			j++
		}
		body = src[i:j]
		p.s.pos = j
	}
	lo, n, ok := parseRange(body)
	if !ok || lo <= 0 || n == 0 {
		return p.errAt(at, "a layer is # and a number from 1, or a range #[i-j]")
	}
	o.layerLo, o.layerHi = lo, lo+n-1
	if n < 0 {
		o.layerHi = math.MaxInt32
	}
	return p.advance()
}

// sliceOf reads the slice after "[", up to its "]".
func (p *parser) sliceOf(o *operand) error {
	at := p.tok.off
	src := p.s.src
	end := strings.IndexByte(src[p.s.pos:], ']')
	if end < 0 {
		return p.errAt(at, "the slice has no closing ]")
	}
	body := strings.TrimSpace(src[p.s.pos : p.s.pos+end])
	p.s.pos += end + 1
	if strings.Contains(body, ",") {
		return p.errAt(at, "comma-joined slices are not supported by sockscope")
	}
	start, n, ok := parseRange(body)
	if !ok || n == 0 {
		return p.errAt(at, "bad slice ["+body+"]: [i:j], [i-j], [i], [:j] or [i:]")
	}
	if n == 1 && strings.Contains(body[1:], "-") {
		// tshark 4.0 wants i < j in [i-j]
		return p.errAt(at, "Range "+body+" isn't valid because "+strconv.Itoa(start)+" is greater or equal than "+strconv.Itoa(start))
	}
	o.sliced, o.sliceStart, o.sliceLen = true, start, n
	return p.advance()
}

// parseRange reads i:j (start, length), i-j (start to end, inclusive), i,
// :j or i: (length -1: to the end).
func parseRange(s string) (start, n int, ok bool) {
	num := func(s string) (int, bool) {
		v, err := strconv.Atoi(strings.TrimSpace(s))
		return v, err == nil
	}
	if a, b, found := strings.Cut(s, ":"); found {
		if strings.TrimSpace(a) == "" {
			start = 0
		} else if start, ok = num(a); !ok {
			return 0, 0, false
		}
		if strings.TrimSpace(b) == "" {
			return start, -1, true
		}
		n, ok = num(b)
		return start, n, ok && n > 0
	}
	if i := strings.Index(s[min(1, len(s)):], "-"); i >= 0 {
		i++
		a, ok1 := num(s[:i])
		b, ok2 := num(s[i+1:])
		if !ok1 || !ok2 || (a >= 0) != (b >= 0) || b < a {
			return 0, 0, false
		}
		return a, b - a + 1, true
	}
	start, ok = num(s)
	return start, 1, ok
}

// parseSet reads a set's values and ranges after "in".
func (p *parser) parseSet(l *operand) ([]constant, error) {
	if !p.is("{") {
		return nil, p.unexpected()
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	var set []constant
	for {
		lo, err := p.parseOperand()
		if err != nil {
			return nil, err
		}
		if !lo.isConst {
			return nil, p.errAt(lo.off, "a set holds values, not the field "+lo.text)
		}
		c, err := p.convert(lo, l)
		if err != nil {
			return nil, err
		}
		if p.is("..") {
			if err := p.advance(); err != nil {
				return nil, err
			}
			hi, err := p.parseOperand()
			if err != nil {
				return nil, err
			}
			if !hi.isConst {
				return nil, p.errAt(hi.off, "a set holds values, not the field "+hi.text)
			}
			h, err := p.convert(hi, l)
			if err != nil {
				return nil, err
			}
			c.hi = &h
		}
		set = append(set, c)
		if p.is("}") {
			return set, p.advance()
		}
		if !p.is(",") {
			return nil, p.unexpected()
		}
		if err := p.advance(); err != nil {
			return nil, err
		}
	}
}

// convert reads literal operand lit as a value of the field operand l.
func (p *parser) convert(lit, l *operand) (constant, error) {
	c := lit.c
	c.prefix = -1
	text := c.litText
	bad := func(msg string) (constant, error) { return constant{}, p.errAt(lit.off, msg) }
	if l.computed() && l.typ != nil {
		l = l.typ
	}
	switch l.k {
	case kRelTime:
		d, ok := parseSeconds(text)
		if c.litKind == tString {
			return bad("Time offset cannot be converted from a string (" + strconv.Quote(text) + ")")
		}
		if !ok || c.litKind != tWord {
			return bad(strconv.Quote(text) + " is not a valid time")
		}
		c.u = uint64(d)
		return c, nil
	case kAbsTime:
		ts, ok := parseAbsTime(text)
		if !ok || c.litKind != tString {
			return bad(strconv.Quote(text) + " is not a valid absolute time. Example: \"Nov 12, 1999 08:55:44.123\" or \"2011-07-04 12:34:56\"")
		}
		c.u = uint64(ts.UnixNano())
		return c, nil
	case kUint, kInt:
		if c.litKind == tChar {
			c.u = c.litVal
			return c, nil
		}
		if l.info != nil && l.fn == fnNone && !l.sliced {
			if l.info.Type == decode.TypeBoolean {
				yes, no := "True", "False"
				if w, ok := boolNames[l.info.Name]; ok {
					yes, no = w[0], w[1]
				}
				switch {
				case text == "True" || text == "TRUE" || strings.EqualFold(text, yes):
					c.u = 1
					return c, nil
				case text == "False" || text == "FALSE" || strings.EqualFold(text, no):
					c.u = 0
					return c, nil
				}
			}
			if v, ok := valueNamed(l.info, text); ok && (c.litKind == tString || !isNumber(text)) {
				c.u = v
				return c, nil
			}
		}
		if c.litKind == tString {
			return bad(typeNameOr(l) + " cannot be converted from a string (" + strconv.Quote(text) + ")")
		}
		v, err := parseInt(text)
		if err != nil {
			if l.info != nil && len(l.info.Values) > 0 {
				return bad(strconv.Quote(text) + " cannot be found among the possible values for " + l.text)
			}
			return bad(strconv.Quote(text) + " is not a valid number")
		}
		if l.info != nil && l.fn == fnNone {
			if l.info.Type == decode.TypeBoolean {
				if v != 0 {
					v = 1
				}
			} else if l.k == kUint && strings.HasPrefix(text, "-") {
				c.neg = true
			} else if w := bitsOf(l.info.Type); w < 64 && l.k == kUint && v < 1<<63 && v >= 1<<w {
				return bad(strconv.Quote(text) + " too big for this field, maximum " + strconv.FormatUint(1<<w-1, 10))
			}
		}
		c.u = v
		return c, nil
	case kFloat:
		f, err := strconv.ParseFloat(text, 64)
		if err != nil || c.litKind != tWord {
			return bad(strconv.Quote(text) + " is not a valid floating-point number")
		}
		c.u = math.Float64bits(f)
		return c, nil
	case kIPv4, kIPv6:
		if c.litKind != tWord {
			return bad(strconv.Quote(text) + " is not a valid " + typeNameOr(l))
		}
		addr, bitsN := text, -1
		if a, b, ok := strings.Cut(text, "/"); ok {
			n, err := strconv.Atoi(b)
			max := 32
			if l.k == kIPv6 {
				max = 128
			}
			if err != nil || n < 0 || n > max {
				return bad("netmask bits in a CIDR address should be <= " + strconv.Itoa(max) + ", not " + b)
			}
			addr, bitsN = a, n
		}
		ip, err := netip.ParseAddr(addr)
		if err != nil || ip.Is4() != (l.k == kIPv4) || ip.Zone() != "" {
			return bad(strconv.Quote(addr) + " is not a valid " + typeNameOr(l) + " (sockscope resolves no host names)")
		}
		c.b = ip.AsSlice()
		c.prefix = bitsN
		return c, nil
	case kEther, kEUI64:
		want := 6
		if l.k == kEUI64 {
			want = 8
		}
		b, ok := byteString(text)
		if c.litKind != tWord || !ok {
			return bad(strconv.Quote(text) + " is not a valid " + typeNameOr(l))
		}
		if len(b) != want {
			return bad(strconv.Quote(text) + " contains too few bytes to be a valid " + typeNameOr(l))
		}
		c.b = b
		return c, nil
	case kBytes:
		switch c.litKind {
		case tString:
			c.b = []byte(text)
			return c, nil
		case tChar:
			c.b = []byte{byte(c.litVal)}
			return c, nil
		}
		if strings.HasPrefix(text, "0x") || strings.HasPrefix(text, "0X") {
			v, err := strconv.ParseUint(text[2:], 16, 64)
			if err != nil || v > 0xff {
				return bad(strconv.Quote(text) + " is not a valid byte string (a hexadecimal number must fit a byte)")
			}
			c.b = []byte{byte(v)}
			return c, nil
		}
		b, ok := byteString(text)
		if !ok {
			return bad(strconv.Quote(text) + " is not a valid byte string")
		}
		c.b = b
		return c, nil
	case kString:
		if c.litKind == tChar {
			c.b = []byte{byte(c.litVal)}
			return c, nil
		}
		c.b = []byte(text)
		return c, nil
	}
	return bad(l.text + " (type=" + l.typeName() + ") cannot be compared with a value")
}

func typeNameOr(o *operand) string { return o.typeName() }

func isNumber(s string) bool {
	_, err := parseInt(s)
	return err == nil
}

// parseInt reads decimal, 0x hexadecimal, 0 octal or 0b binary, with a
// minus sign for a negative value (two's complement).
func parseInt(s string) (uint64, error) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	base := 10
	switch {
	case strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X"):
		base, s = 16, s[2:]
	case strings.HasPrefix(s, "0b") || strings.HasPrefix(s, "0B"):
		base, s = 2, s[2:]
	case len(s) > 1 && s[0] == '0':
		base, s = 8, s[1:]
	}
	v, err := strconv.ParseUint(s, base, 64)
	if err != nil {
		return 0, err
	}
	if neg {
		v = -v
	}
	return v, nil
}

// valueNamed finds an enumerated field's value by its name, ignoring case.
func valueNamed(f *decode.Field, name string) (uint64, bool) {
	best, found := uint64(0), false
	for v, n := range f.Values {
		if strings.EqualFold(n, name) && (!found || v < best) {
			best, found = v, true
		}
	}
	return best, found
}

// byteString reads hex bytes separated by ':', '.' or '-' (one or two
// digits each), or one or two hex digits alone.
func byteString(s string) ([]byte, bool) {
	if s == "" {
		return nil, false
	}
	sep := byte(0)
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == ':' || c == '.' || c == '-' {
			if sep == 0 {
				sep = c
			} else if c != sep {
				return nil, false
			}
		}
	}
	parts := []string{s}
	if sep != 0 {
		parts = strings.Split(s, string(sep))
	}
	b := make([]byte, 0, len(parts))
	for _, part := range parts {
		if sep == '.' && len(part) == 4 && len(parts) > 1 {
			// ffff.ffff.ffff: a MAC address in groups of two bytes
			hi, err1 := strconv.ParseUint(part[:2], 16, 8)
			lo, err2 := strconv.ParseUint(part[2:], 16, 8)
			if err1 != nil || err2 != nil {
				return nil, false
			}
			b = append(b, byte(hi), byte(lo))
			continue
		}
		if len(part) < 1 || len(part) > 2 {
			return nil, false
		}
		v, err := strconv.ParseUint(part, 16, 8)
		if err != nil {
			return nil, false
		}
		b = append(b, byte(v))
	}
	return b, true
}

// parseBitAnd reads an arithmetic expression: sums joined by & (the
// loosest), a sum terms joined by + and -, a term factors joined by *, /
// and %, a factor an operand, -factor or {expression}. A lone operand is
// returned as it is.
func (p *parser) parseBitAnd() (*operand, error) {
	l, err := p.parseSum()
	if err != nil {
		return nil, err
	}
	for p.is("&", "bitwise_and") {
		if err := p.advance(); err != nil {
			return nil, err
		}
		r, err := p.parseSum()
		if err != nil {
			return nil, err
		}
		l = p.binary('&', l, r)
	}
	return l, nil
}

func (p *parser) parseSum() (*operand, error) {
	l, err := p.parseProduct()
	if err != nil {
		return nil, err
	}
	for {
		op := p.arithOp("+", "-")
		if op == 0 {
			return l, nil
		}
		r, err := p.parseProduct()
		if err != nil {
			return nil, err
		}
		l = p.binary(op, l, r)
	}
}

func (p *parser) parseProduct() (*operand, error) {
	l, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	for {
		op := p.arithOp("*", "/", "%")
		if op == 0 {
			return l, nil
		}
		r, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		l = p.binary(op, l, r)
	}
}

// arithOp reads one of the operators ops, if the token is one, and gives
// its byte (0 if not). "-" and "/" may start a word ("a -1", "a /2"): the
// operator is then cut off the word.
func (p *parser) arithOp(ops ...string) byte {
	for _, op := range ops {
		if p.tok.kind == tPunct && p.tok.text == op || p.tok.kind == tWord && p.tok.text == op {
			if p.advance() != nil {
				return 0
			}
			return op[0]
		}
		if (op == "-" || op == "/") && p.tok.kind == tWord && len(p.tok.text) > 1 && p.tok.text[0] == op[0] {
			p.tok.text, p.tok.off = p.tok.text[1:], p.tok.off+1
			return op[0]
		}
	}
	return 0
}

func (p *parser) parseUnary() (*operand, error) {
	start := p.tok.off
	if p.is("-") || p.tok.kind == tWord && len(p.tok.text) > 1 && p.tok.text[0] == '-' && isLetter(p.tok.text[1]) {
		if p.tok.text == "-" {
			if err := p.advance(); err != nil {
				return nil, err
			}
		} else {
			p.tok.text, p.tok.off = p.tok.text[1:], p.tok.off+1
		}
		x, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		return &operand{off: start, text: p.s.src[start:p.lastEnd(token{off: start})], fn: fnArith, aop: 'n', x: x}, nil
	}
	if p.is("{") {
		if err := p.advance(); err != nil {
			return nil, err
		}
		x, err := p.parseBitAnd()
		if err != nil {
			return nil, err
		}
		if !p.is("}") {
			return nil, p.unexpected()
		}
		end := p.tok.off + 1
		if err := p.advance(); err != nil {
			return nil, err
		}
		x.off, x.text = start, p.s.src[start:end]
		return x, nil
	}
	return p.parseOperand()
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// binary is l op r.
func (p *parser) binary(op byte, l, r *operand) *operand {
	return &operand{off: l.off, text: p.s.src[l.off:p.lastEnd(token{off: l.off})], fn: fnArith, aop: op, x: l, y: r}
}

// leftmostField is the first field (or function of one) in a computed
// operand, nil when it holds constants only.
func (p *parser) leftmostField(o *operand) *operand {
	switch {
	case o.isConst:
		return nil
	case o.fn == fnArith:
		if f := p.leftmostField(o.x); f != nil || o.y == nil {
			return f
		}
		return p.leftmostField(o.y)
	case o.fn == fnMax || o.fn == fnMin:
		for _, a := range o.args {
			if f := p.leftmostField(a); f != nil {
				return f
			}
		}
		return nil
	case o.fn == fnAbs:
		return p.leftmostField(o.x)
	case o.computed():
		return o
	}
	return o
}

// leftmostLeaf is the first operand of an arithmetic expression.
func leftmostLeaf(o *operand) *operand {
	for o.fn == fnArith {
		o = o.x
	}
	return o
}

// ftName is the FT_ name of the type of a field operand, as tshark's
// errors give it.
func ftName(o *operand) string {
	switch {
	case o.fn == fnLen || o.fn == fnCount:
		return "FT_UINT32"
	case o.fn == fnUpper || o.fn == fnLower || o.fn == fnString:
		return "FT_STRING"
	case o.sliced:
		return "FT_BYTES"
	case o.info != nil:
		return o.info.Type.String()
	}
	return "FT_NONE"
}

// resolve types a computed operand: its kind and width come from its
// leftmost field (or from typ, the other side's, when it has none), its
// constants are read as that field's values, and constant parts are
// worked out once.
func (p *parser) resolve(o *operand, typ *operand) error {
	if o.isConst || !o.computed() {
		return nil
	}
	switch o.fn {
	case fnUpper, fnLower, fnString:
		return nil // typed when parsed
	case fnAbs:
		if err := p.resolve(o.x, typ); err != nil {
			return err
		}
		o.k, o.typ, o.width = o.x.k, o.x.typ, o.x.width
		if !o.x.computed() {
			o.typ = o.x
		}
		switch o.k {
		case kUint, kInt, kFloat, kRelTime:
			if o.typ == nil || o.typ.info == nil || o.typ.info.Type != decode.TypeBoolean {
				return nil
			}
		}
		return p.errAt(o.x.off, "'"+o.x.text+"' is not a valid argument to 'abs'()")
	case fnMax, fnMin:
		f := p.leftmostField(o)
		if f == nil {
			f = typ
		}
		if f == nil {
			return p.errAt(o.off, "max() and min() need a field")
		}
		o.typ, o.k = f, f.k
		for _, a := range o.args {
			if a.isConst {
				c, err := p.convert(a, f)
				if err != nil {
					return err
				}
				a.c, a.k = c, f.k
				continue
			}
			if err := p.resolve(a, f); err != nil {
				return err
			}
			if ftName(a) != ftName(f) && !a.computed() {
				name := "max"
				if o.fn == fnMin {
					name = "min"
				}
				return p.errAt(a.off, "Arguments to '"+name+"' must have the same type (expected "+ftName(f)+", got "+ftName(a)+")")
			}
		}
		return nil
	}
	// arithmetic
	f := p.leftmostField(o)
	if f == nil {
		f = typ
	}
	if f == nil {
		return p.errAt(o.off, "Constant arithmetic expression on the LHS is invalid")
	}
	if f.computed() && f.typ != nil {
		f = f.typ
	}
	k := f.k
	okKind := k == kUint || k == kInt || k == kFloat || k == kRelTime && (o.aop == '+' || o.aop == '-' || o.aop == 'n') ||
		k.bytesLike() && o.aop == '&' && k != kString
	if f.info != nil && f.info.Type == decode.TypeBoolean || f.fn == fnUpper || f.fn == fnLower || f.fn == fnString {
		okKind = false
	}
	if !okKind {
		op := string(o.aop)
		if o.aop == 'n' {
			op = "-"
		}
		return p.errAt(o.off, ftName(f)+" cannot "+op)
	}
	o.k, o.typ = k, f
	o.width = 64
	if k == kUint && (f.fn == fnLen || f.fn == fnCount || f.info != nil && bitsOf(f.info.Type) <= 32) {
		o.width = 32
	}
	for _, sub := range []*operand{o.x, o.y} {
		if sub == nil {
			continue
		}
		if sub.isConst {
			c, err := p.convert(sub, f)
			if err != nil {
				return err
			}
			sub.c, sub.k = c, k
			continue
		}
		if err := p.resolve(sub, f); err != nil {
			return err
		}
		if !compatible(k, sub.k) {
			return p.errAt(sub.off, o.x.text+" and "+sub.text+" are not of compatible types")
		}
	}
	if o.x.isConst && (o.y == nil || o.y.isConst) {
		// constants only: worked out now
		var v val
		a := val{u: o.x.c.u, b: o.x.c.b, neg: o.x.c.neg}
		if o.aop == 'n' {
			v = negate(k, a)
		} else {
			v = o.arith(&scratch{}, a, val{u: o.y.c.u, b: o.y.c.b, neg: o.y.c.neg})
		}
		if v.bad {
			return p.errAt(o.off, "the arithmetic "+o.text+" fails (an overflow or a division by zero)")
		}
		*o = operand{off: o.off, text: o.text, k: k, isConst: true, folded: true, c: constant{u: v.u, b: v.b, prefix: -1, litText: o.text, litKind: tWord,
			neg: k == kUint && int64(v.u) < 0}}
	}
	return nil
}

// parseFunction reads the arguments of the functions upper, lower,
// string, max, min and abs, after the name.
func (p *parser) parseFunction(t token) (*operand, error) {
	fns := map[string]function{"upper": fnUpper, "lower": fnLower, "string": fnString, "max": fnMax, "min": fnMin, "abs": fnAbs}
	fn := fns[t.text]
	if err := p.advance(); err != nil { // the (
		return nil, err
	}
	var args []*operand
	for {
		a, err := p.parseBitAnd()
		if err != nil {
			return nil, err
		}
		args = append(args, a)
		if !p.is(",") {
			break
		}
		if err := p.advance(); err != nil {
			return nil, err
		}
	}
	if !p.is(")") {
		return nil, p.unexpected()
	}
	end := p.tok.off + 1
	if err := p.advance(); err != nil {
		return nil, err
	}
	o := &operand{off: t.off, text: p.s.src[t.off:end], fn: fn}
	if fn != fnMax && fn != fnMin && len(args) != 1 {
		return nil, p.errAt(t.off, "Function "+t.text+"() takes one argument")
	}
	a := args[0]
	switch fn {
	case fnUpper, fnLower:
		if a.isConst || a.computed() || a.fn != fnNone || a.k != kString || a.sliced {
			return nil, p.errAt(a.off, "Only string type fields can be used as parameter for "+t.text+"()")
		}
		o.x, o.k = a, kString
	case fnString:
		if a.isConst || a.computed() || a.fn != fnNone || a.sliced {
			return nil, p.errAt(a.off, "Only fields can be used as parameter for string()")
		}
		switch a.k {
		case kUint, kInt, kIPv4, kIPv6, kEther, kEUI64:
			if a.info == nil || a.info.Type != decode.TypeBoolean && a.info.Type != decode.TypeProtocol {
				break
			}
			fallthrough
		default:
			return nil, p.errAt(a.off, "String conversion for field \""+a.text+"\" is not supported")
		}
		o.x, o.k = a, kString
	case fnAbs:
		o.x = a
	case fnMax, fnMin:
		o.args = args
	}
	return o, nil
}

// parseSeconds reads a time offset in seconds: digits, a fraction of up
// to nine digits, a minus sign.
func parseSeconds(s string) (int64, bool) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(frac) > 9 || strings.Trim(whole, "0123456789") != "" || strings.Trim(frac, "0123456789") != "" {
		return 0, false
	}
	sec, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || sec > math.MaxInt64/1_000_000_000-1 {
		return 0, false
	}
	ns := int64(0)
	if frac != "" {
		n, _ := strconv.ParseInt(frac+strings.Repeat("0", 9-len(frac)), 10, 64)
		ns = n
	}
	d := sec*1e9 + ns
	if neg {
		d = -d
	}
	return d, true
}

// absTimeLayouts are the date-and-time forms tshark 4.0 reads: ISO 8601
// (the T may be a space; seconds, a fraction and a zone optional) and its
// legacy "Nov 12, 1999 08:55:44.123" (a trailing UTC for universal time).
// Without a zone the time is local.
var absTimeLayouts = []string{
	"2006-01-02T15:04:05.999999999Z07:00", "2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04Z07:00", "2006-01-02T15:04",
	"2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04Z07:00", "2006-01-02 15:04",
	"2006-01-02",
	"Jan _2, 2006 15:04:05.999999999", "Jan _2, 2006 15:04:05.999999999 MST",
	"Jan _2, 2006 15:04", "Jan _2, 2006 15:04 MST",
}

func parseAbsTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range absTimeLayouts {
		if strings.HasSuffix(layout, "MST") && !strings.HasSuffix(s, " UTC") {
			continue
		}
		if ts, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return ts, true
		}
	}
	return time.Time{}, false
}
