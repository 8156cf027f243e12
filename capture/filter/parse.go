package filter

import "fmt"

// The parser reads the pcap-filter(7) language into a tree. It is a
// recursive-descent parser that backtracks where the language needs more
// than one token of lookahead ("(" opens a grouped expression, a grouped
// list of addresses or an arithmetic expression). Qualifiers carry over:
// in "host a or b" the bare "b" takes "host" from the term before it, and
// a parenthesised expression passes on what came before it.

// dirQual is a direction qualifier.
type dirQual int

const (
	dDefault dirQual = iota
	dSrc
	dDst
	dOr  // src or dst
	dAnd // src and dst
	dAddr1
	dAddr2
	dAddr3
	dAddr4
	dRA
	dTA
)

// addrQual is an address type qualifier.
type addrQual int

const (
	aDefault addrQual = iota
	aHost
	aNet
	aPort
	aPortrange
	aGateway
	aProto
	aProtochain
)

// qual is the qualifiers in force for an address; undef is set after a
// term that has none to pass on to the bare addresses after it.
type qual struct {
	proto proto
	dir   dirQual
	addr  addrQual
	undef bool
}

var qualUndef = qual{undef: true}

// Tree nodes.
type (
	node interface{}

	nAnd struct{ l, r node }
	nOr  struct{ l, r node }
	nNot struct{ x node }

	// nID is an address, number or name under qualifiers.
	nID struct {
		q       qual
		tok     token  // tID, tNum, tHID, tHID6, tEID, tAID
		mask    *token // "HID mask HID": the mask
		masklen int    // "HID/NUM": the length; -1 when absent
	}
	// nProto is a protocol name on its own: "tcp", "ip6".
	nProto struct {
		p   proto
		pos int
	}
	nRel struct {
		op     string // > >= = <= < !=
		l, r   arith
		pos    int
		negate bool
	}
	// nOther is a primitive with its own keyword: broadcast, less, vlan...
	nOther struct {
		key    keyword
		p      proto
		n, n2  uint32
		hasN   bool
		op     string
		text   string
		pos    int
		keyTok token
	}
)

type (
	arith interface{}

	aNum  struct{ v uint32 }
	aLen  struct{}
	aNeg  struct{ x arith }
	aLoad struct {
		p    proto
		idx  arith
		size uint32
		pos  int
		// sizeAt is where ":" is, if a size is given.
		sizeAt int
	}
	aBin struct {
		op   string
		l, r arith
		pos  int
	}
)

type parser struct {
	expr string
	toks []token
	i    int
	// depth is how many parentheses, brackets, "not"s and signs enclose
	// the token at i; see maxNesting.
	depth int
	// arithAt remembers each arithmetic expression tried, by the token it
	// starts at: "(" may open one or a grouped expression, and without it
	// each of n nested "(" would try the n-1 inside it again.
	arithAt map[int]arithTry
	// The error to report is the one found farthest into the expression;
	// of two at the same token, one found while reading a "(" as the
	// start of arithmetic (guessing > 0) gives way to one found reading
	// it as a group: "ip and (tcp" lacks a ")", not a "[" after tcp.
	farPos     int
	farMsg     string
	farGuessed bool
	guessing   int
}

// maxNesting is how deep parentheses, brackets, "not"s and signs may
// nest. tcpdump's parser runs out of stack near 10000 levels ("memory
// exhausted"); sockscope stops there too, with its own error, so that no
// expression makes the recursive parser and generator use unbounded stack.
const maxNesting = 10000

func parse(expr string) (n node, err error) {
	toks, err := scan(expr)
	if err != nil {
		return nil, err
	}
	p := &parser{expr: expr, toks: toks, farPos: -1, arithAt: map[int]arithTry{}}
	defer func() {
		if r := recover(); r != nil {
			ce, ok := r.(compileErr)
			if !ok {
				panic(r)
			}
			n, err = nil, ce.err
		}
	}()
	if p.peek().kind == tEOF {
		return nil, nil
	}
	n, _, ok := p.expression(qualUndef)
	if ok && p.punct(")") {
		ok = p.fail("this \")\" closes no \"(\": remove it, or open the group with \"(\"")
	} else if ok && p.peek().kind != tEOF {
		ok = p.fail("expected \"and\", \"or\" or the end of the expression, found %s", p.peek())
	}
	if !ok {
		return nil, &Error{Expr: expr, Offset: p.farPos, Msg: p.farMsg}
	}
	return n, nil
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token { t := p.toks[p.i]; p.i++; return t }
func (p *parser) at(k keyword) bool {
	t := p.peek()
	return t.kind == tKey && t.key == k
}
func (p *parser) punct(s string) bool {
	t := p.peek()
	return t.kind == tPunct && t.text == s
}

// enter is the start of a nested construct at the current token; past
// maxNesting, parsing stops with that error at once (leave ends it).
func (p *parser) enter() {
	p.depth++
	if p.depth > maxNesting {
		panic(compileErr{&Error{Expr: p.expr, Offset: p.peek().pos, Msg: fmt.Sprintf("nested more than %d levels deep: write it with less nesting", maxNesting)}})
	}
}

func (p *parser) leave() { p.depth-- }

// fail records a syntax error at the current token and returns false.
// The message says what was expected there, in sockscope's words.
func (p *parser) fail(format string, args ...any) bool {
	pos := p.peek().pos
	guessed := p.guessing > 0
	if pos > p.farPos || pos == p.farPos && p.farGuessed && !guessed {
		p.farPos, p.farMsg, p.farGuessed = pos, oneLine(format, args...), guessed
	}
	return false
}

// unclosed is the error for a group opened at open whose ")" is not
// where the current token is.
func (p *parser) unclosed(open token) bool {
	if p.peek().kind == tEOF {
		return p.fail("missing \")\": the \"(\" at column %d is not closed", open.pos+1)
	}
	return p.fail("expected \")\" to close the \"(\" at column %d, found %s", open.pos+1, p.peek())
}

// noPrimitive is the error for a token where a primitive should start;
// an address or a name alone gets the qualifier it lacks.
func (p *parser) noPrimitive() bool {
	t := p.peek()
	switch t.kind {
	case tID:
		return p.fail("expected a primitive (host, port, tcp, ip[0] = 1...), found %s: write host %s or port %s", t, t.text, t.text)
	case tHID, tHID6:
		return p.fail("expected a primitive (host, port, tcp, ip[0] = 1...), found %s: write host %s", t, t.text)
	case tEID:
		return p.fail("expected a primitive (host, port, tcp, ip[0] = 1...), found %s: write ether host %s", t, t.text)
	}
	if p.i > 0 {
		if prev := p.toks[p.i-1]; prev.kind == tKey || prev.kind == tPunct {
			return p.fail("expected a primitive (host, port, tcp, ip[0] = 1...) after %q, found %s", prev.text, t)
		}
	}
	return p.fail("expected a primitive (host, port, tcp, ip[0] = 1...), found %s", t)
}

// expression: notOrOperand { (and|or) (notOrOperand | addressTerm) }, left
// to right, "and" and "or" of equal precedence as in tcpdump; a bare
// address after them takes the qualifiers of the term before.
func (p *parser) expression(q qual) (node, qual, bool) {
	n, q, ok := p.notOrOperand(q)
	if !ok {
		return nil, q, false
	}
	for p.at(kAnd) || p.at(kOr) {
		isAnd := p.next().key == kAnd
		save := p.i
		r, rq, ok := p.notOrOperand(q)
		if !ok {
			p.i = save
			if r, rq, ok = p.addressTerm(q); !ok {
				return nil, q, false
			}
		}
		if isAnd {
			n = nAnd{n, r}
		} else {
			n = nOr{n, r}
		}
		q = rq
	}
	return n, q, true
}

// notOrOperand: { not } operand.
func (p *parser) notOrOperand(q qual) (node, qual, bool) {
	if p.at(kNot) {
		p.enter()
		p.next()
		n, q, ok := p.notOrOperand(q)
		p.leave()
		if !ok {
			return nil, q, false
		}
		return nNot{n}, q, true
	}
	return p.operand(q)
}

func (p *parser) canStartArith() bool {
	t := p.peek()
	switch {
	case t.kind == tNum, t.kind == tPunct && (t.text == "(" || t.text == "-"), t.kind == tKey && t.key == kLen:
		return true
	case t.kind == tKey && t.key == kProtoName:
		n := p.toks[p.i+1]
		return n.kind == tPunct && n.text == "["
	}
	return false
}

var relops = map[string]bool{">": true, ">=": true, "=": true, "==": true, "<=": true, "<": true, "!=": true}

// operand is a parenthesised expression, a comparison of arithmetic
// expressions, a keyword primitive, or qualifiers and an address.
func (p *parser) operand(q qual) (node, qual, bool) {
	start := p.i
	if p.canStartArith() {
		pos := p.peek().pos
		guess := p.punct("(")
		if guess {
			p.guessing++
		}
		l, ok := p.arith()
		if guess {
			p.guessing--
		}
		if ok && p.peek().kind == tPunct && relops[p.peek().text] {
			op := p.next().text
			if op == "==" {
				op = "="
			}
			if r, ok := p.arith(); ok {
				return nRel{op: op, l: l, r: r, pos: pos}, qualUndef, true
			}
			return nil, q, false
		}
		p.i = start
	}
	if p.punct("(") {
		p.enter()
		open := p.next()
		n, _, ok := p.expression(q)
		p.leave()
		if !ok {
			return nil, q, false
		}
		if !p.punct(")") {
			return nil, q, p.unclosed(open)
		}
		p.next()
		return n, q, true
	}
	t := p.peek()
	pq := pDefault
	if t.kind == tKey && t.key == kProtoName {
		pq = proto(t.num)
		p.next()
	}
	if head, ok := p.qualifiers(pq); ok {
		return p.addressTerm(head)
	}
	switch {
	case p.at(kBroadcast), p.at(kMulticast):
		k := p.next()
		return nOther{key: k.key, p: pq, pos: t.pos, keyTok: k}, qualUndef, true
	case pq != pDefault:
		if p.at(kWlanType) {
			k := p.next()
			return nOther{key: k.key, pos: k.pos, keyTok: k}, qualUndef, true
		}
		return nProto{p: pq, pos: t.pos}, qualUndef, true
	}
	return p.keywordPrimitive()
}

// qualifiers are the qualifiers before an address: [proto] [dir] [type], at least one
// of the last two, or [proto] proto|protochain|gateway.
func (p *parser) qualifiers(pq proto) (qual, bool) {
	q := qual{proto: pq}
	t := p.peek()
	if t.kind != tKey {
		return q, false
	}
	switch t.key {
	case kProto:
		p.next()
		q.addr = aProto
		return q, true
	case kProtochain:
		p.next()
		q.addr = aProtochain
		return q, true
	case kGateway:
		p.next()
		q.addr = aGateway
		return q, true
	case kSrc, kDst:
		p.next()
		q.dir = dSrc
		if t.key == kDst {
			q.dir = dDst
		}
		if p.at(kOr) || p.at(kAnd) {
			conj := p.next()
			other, word := kDst, "dst"
			if t.key == kDst {
				other, word = kSrc, "src"
			}
			if !p.at(other) {
				return q, p.fail("expected %q after %q: write %s %s %s, then host, net or port", word, t.text+" "+conj.text, t.text, conj.text, word)
			}
			p.next()
			q.dir = dOr
			if conj.key == kAnd {
				q.dir = dAnd
			}
		}
	case kAddr1, kAddr2, kAddr3, kAddr4, kRA, kTA:
		p.next()
		q.dir = map[keyword]dirQual{kAddr1: dAddr1, kAddr2: dAddr2, kAddr3: dAddr3, kAddr4: dAddr4, kRA: dRA, kTA: dTA}[t.key]
	}
	switch {
	case p.at(kHost):
		q.addr = aHost
	case p.at(kNet):
		q.addr = aNet
	case p.at(kPort):
		q.addr = aPort
	case p.at(kPortrange):
		q.addr = aPortrange
	default:
		return q, q.dir != dDefault
	}
	p.next()
	return q, true
}

// keywordPrimitive is a primitive that starts with its own keyword.
func (p *parser) keywordPrimitive() (node, qual, bool) {
	t := p.peek()
	if t.kind != tKey {
		return nil, qualUndef, p.noPrimitive()
	}
	o := nOther{key: t.key, pos: t.pos, keyTok: t}
	switch t.key {
	case kLess, kGreater, kIfindex:
		p.next()
		if p.peek().kind != tNum {
			return nil, qualUndef, p.fail("expected a number after %q, found %s", t.text, p.peek())
		}
		o.n, o.hasN = p.next().num, true
	case kByte:
		p.next()
		if p.peek().kind != tNum {
			return nil, qualUndef, p.fail("expected a byte offset after \"byte\", found %s", p.peek())
		}
		o.n = p.next().num
		op := p.peek()
		if op.kind != tPunct || (op.text != "&" && op.text != "|" && op.text != "<" && op.text != ">" && op.text != "=") {
			return nil, qualUndef, p.fail("expected one of & | < > = after \"byte %d\", found %s", o.n, op)
		}
		o.op = p.next().text
		if p.peek().kind != tNum {
			return nil, qualUndef, p.fail("expected a number, found %s", p.peek())
		}
		o.n2 = p.next().num
	case kInbound, kOutbound, kPppoed:
		p.next()
	case kVlan, kMpls, kPppoes, kGeneve:
		p.next()
		save := p.i
		if v, ok := p.parenNumber(); ok {
			o.n, o.hasN = v, true
		} else {
			p.i = save
		}
	case kLLC:
		p.next()
		if n := p.peek(); n.kind == tID || n.kind == tKey && n.key == kPF && n.text == "rnr" {
			o.text = p.next().text
		}
	case kWlanType, kATM, kMTP, kPF:
		// Keywords of link types sockscope does not read (802.11, ATM,
		// SS7 MTP, pflog); the compiler says so.
		p.next()
		for k := p.peek(); k.kind == tID || k.kind == tNum; k = p.peek() {
			p.next()
		}
	default:
		return nil, qualUndef, p.noPrimitive()
	}
	return o, qualUndef, true
}

// parenNumber: NUM | "(" parenNumber ")".
func (p *parser) parenNumber() (uint32, bool) {
	if p.peek().kind == tNum {
		return p.next().num, true
	}
	if !p.punct("(") {
		return 0, p.fail("expected a number, found %s", p.peek())
	}
	p.enter()
	open := p.next()
	v, ok := p.parenNumber()
	p.leave()
	if !ok {
		return 0, false
	}
	if !p.punct(")") {
		return 0, p.unclosed(open)
	}
	p.next()
	return v, true
}

// addressTerm: addressOrNot | parenNumber | "(" addressList ")".
func (p *parser) addressTerm(q qual) (node, qual, bool) {
	t := p.peek()
	if t.kind == tNum || p.punct("(") {
		save := p.i
		if _, ok := p.parenNumber(); ok {
			return nID{q: q, tok: token{kind: tNum, num: p.lastNum(save), pos: t.pos, text: t.text}, masklen: -1}, q, true
		}
		p.i = save
		if t.kind == tNum {
			return nil, q, false
		}
		p.enter()
		open := p.next()
		n, ok := p.addressList(q)
		p.leave()
		if !ok {
			return nil, q, false
		}
		if !p.punct(")") {
			return nil, q, p.unclosed(open)
		}
		p.next()
		return n, q, true
	}
	n, ok := p.addressOrNot(q)
	return n, q, ok
}

// lastNum is the number a parenNumber starting at token i spelled.
func (p *parser) lastNum(i int) uint32 {
	for p.toks[i].kind != tNum {
		i++
	}
	return p.toks[i].num
}

// addressList is addressTerms joined by "and" and "or" inside parentheses; a
// bare number may not stand alone.
func (p *parser) addressList(q qual) (node, bool) {
	var n node
	t := p.peek()
	save := p.i
	if v, ok := p.parenNumber(); ok {
		n = nID{q: q, tok: token{kind: tNum, num: v, pos: t.pos, text: t.text}, masklen: -1}
		if !p.at(kAnd) && !p.at(kOr) {
			return nil, p.fail("expected \"and\" or \"or\", found %s", p.peek())
		}
	} else {
		p.i = save
		var ok bool
		if n, ok = p.addressOrNot(q); !ok {
			return nil, false
		}
	}
	for p.at(kAnd) || p.at(kOr) {
		isAnd := p.next().key == kAnd
		r, _, ok := p.addressTerm(q)
		if !ok {
			return nil, false
		}
		if isAnd {
			n = nAnd{n, r}
		} else {
			n = nOr{n, r}
		}
	}
	return n, true
}

// addressOrNot: a name, an address (with a mask) or "not" addressTerm.
func (p *parser) addressOrNot(q qual) (node, bool) {
	t := p.peek()
	switch t.kind {
	case tID, tEID, tAID:
		p.next()
		return nID{q: q, tok: t, masklen: -1}, true
	case tHID, tHID6:
		p.next()
		n := nID{q: q, tok: t, masklen: -1}
		if p.punct("/") {
			p.next()
			if p.peek().kind != tNum {
				return nil, p.fail("expected a prefix length after \"/\", found %s", p.peek())
			}
			n.masklen = int(min(p.next().num, 1<<20))
		} else if t.kind == tHID && p.at(kMask) {
			p.next()
			if p.peek().kind != tHID {
				return nil, p.fail("expected a dotted network mask after \"mask\", found %s", p.peek())
			}
			m := p.next()
			n.mask = &m
		}
		return n, true
	case tKey:
		if t.key == kNot {
			p.enter()
			p.next()
			n, _, ok := p.addressTerm(q)
			p.leave()
			if !ok {
				return nil, false
			}
			return nNot{n}, true
		}
	}
	return nil, p.noAddress(q)
}

// addressWants says what each address type qualifier takes.
var addressWants = map[addrQual]string{
	aDefault:    "a host, network or port",
	aHost:       "a host address or name",
	aNet:        "a network (10.0.0.0/8, fd00::/64 or a name)",
	aPort:       "a port number or name",
	aPortrange:  "a port range (FIRST-LAST, as in 1000-2000)",
	aGateway:    "a host name",
	aProto:      "a protocol number or name",
	aProtochain: "a protocol number or name",
}

// noAddress is the error for a token where an address of q should be.
func (p *parser) noAddress(q qual) bool {
	want := addressWants[q.addr]
	if prev := p.toks[max(p.i-1, 0)]; p.i > 0 && prev.kind == tKey {
		return p.fail("expected %s after %q, found %s", want, prev.text, p.peek())
	}
	return p.fail("expected %s, found %s", want, p.peek())
}

// Arithmetic. Precedence, lowest first: |, &, << >>, + -, * /. "%" and
// "^" have none in tcpdump's grammar, so they take everything to their
// right: "a % b + c" is "a % (b + c)".
var binPrec = map[string]int{"|": 1, "&": 2, "<<": 3, ">>": 3, "+": 4, "-": 4, "*": 5, "/": 5}

// arithTry is the outcome of parsing an arithmetic expression: the
// expression, whether it parsed, and the token after it.
type arithTry struct {
	a   arith
	ok  bool
	end int
}

func (p *parser) arith() (arith, bool) {
	if t, ok := p.arithAt[p.i]; ok {
		// Trying again would record the same syntax errors.
		p.i = t.end
		return t.a, t.ok
	}
	start := p.i
	a, ok := p.binary(1)
	p.arithAt[start] = arithTry{a: a, ok: ok, end: p.i}
	return a, ok
}

func (p *parser) binary(min int) (arith, bool) {
	l, ok := p.unary()
	if !ok {
		return nil, false
	}
	for {
		t := p.peek()
		if t.kind != tPunct {
			return l, true
		}
		if t.text == "%" || t.text == "^" {
			// Without a precedence, these nest to the right.
			p.enter()
			p.next()
			r, ok := p.binary(1)
			p.leave()
			if !ok {
				return nil, false
			}
			l = aBin{op: t.text, l: l, r: r, pos: t.pos}
			continue
		}
		prec, isOp := binPrec[t.text]
		if !isOp || prec < min {
			return l, true
		}
		p.next()
		r, ok := p.binary(prec + 1)
		if !ok {
			return nil, false
		}
		l = aBin{op: t.text, l: l, r: r, pos: t.pos}
	}
}

func (p *parser) unary() (arith, bool) {
	if !p.punct("-") {
		return p.primary()
	}
	p.enter()
	p.next()
	x, ok := p.unary()
	p.leave()
	if !ok {
		return nil, false
	}
	for p.punct("%") || p.punct("^") {
		t := p.next()
		r, ok := p.binary(1)
		if !ok {
			return nil, false
		}
		x = aBin{op: t.text, l: x, r: r, pos: t.pos}
	}
	return aNeg{x}, true
}

func (p *parser) primary() (arith, bool) {
	t := p.peek()
	switch {
	case t.kind == tNum:
		p.next()
		return aNum{t.num}, true
	case t.kind == tKey && t.key == kLen:
		p.next()
		return aLen{}, true
	case t.kind == tPunct && t.text == "(":
		p.enter()
		open := p.next()
		a, ok := p.arith()
		p.leave()
		if !ok {
			return nil, false
		}
		if !p.punct(")") {
			return nil, p.unclosed(open)
		}
		p.next()
		return a, true
	case t.kind == tKey && t.key == kProtoName:
		p.next()
		if !p.punct("[") {
			return nil, p.fail("expected \"[\" after %q, found %s: write %s[offset] to test its header's bytes", t.text, p.peek(), t.text)
		}
		p.enter()
		open := p.next()
		idx, ok := p.arith()
		p.leave()
		if !ok {
			return nil, false
		}
		ld := aLoad{p: proto(t.num), idx: idx, size: 1, pos: t.pos}
		if p.punct(":") {
			ld.sizeAt = p.next().pos
			if p.peek().kind != tNum {
				return nil, p.fail("expected a size (1, 2 or 4) after \":\", found %s: write %s[offset:1], [offset:2] or [offset:4]", p.peek(), t.text)
			}
			ld.size = p.next().num
		}
		if !p.punct("]") {
			return nil, p.fail("expected \"]\" to close the \"[\" at column %d, found %s", open.pos+1, p.peek())
		}
		p.next()
		return ld, true
	}
	return nil, p.fail("expected a number, len or proto[offset], found %s", t)
}
