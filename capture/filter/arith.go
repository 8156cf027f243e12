package filter

import (
	"strings"

	"golang.org/x/net/bpf"
)

// Arithmetic: "proto[expr:size]", len, numbers and the operators between
// them, compared by a relation. A value is code that leaves it in A (using
// X and scratch memory from a depth up), or a constant; checks is what its
// loads need to be true first (tcpdump's: "ip[0]" needs an IPv4 packet,
// "tcp[0]" an IPv4 TCP first fragment).

type value struct {
	code    []bpf.RawInstruction
	isConst bool
	k       uint32
	checks  cond
}

var aluOps = map[string]uint16{
	"+": aluAdd, "-": aluSub, "*": aluMul, "/": aluDiv, "%": aluMod, "&": aluAnd, "|": aluOr,
	"^": aluXor, "<<": aluLsh, ">>": aluRsh,
}

func andChecks(a, b cond) cond {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	return and(a, b)
}

// outOfScratch is the error for arithmetic that needs more values kept
// at once than a program has scratch memory words for.
const outOfScratch = "this arithmetic keeps more values at once than a BPF program has scratch memory for (16 words): nest less to the right of its operators, or split it into comparisons joined by and"

func (g *gen) scratch(depth, pos int) uint32 {
	if depth > g.nextReg {
		g.errorAt(pos, "%s", outOfScratch)
	}
	return uint32(depth)
}

// inA is the code that puts v in A.
func (v value) inA() []bpf.RawInstruction {
	if v.isConst {
		return []bpf.RawInstruction{{Op: clsLD | modeIMM, K: v.k}}
	}
	return v.code
}

func (g *gen) arith(a arith, depth int) value {
	switch a := a.(type) {
	case aNum:
		return value{isConst: true, k: a.v}
	case aLen:
		return value{code: []bpf.RawInstruction{{Op: clsLD | modeLEN}}}
	case aNeg:
		x := g.arith(a.x, depth)
		if x.isConst {
			return value{isConst: true, k: -x.k, checks: x.checks}
		}
		return value{code: append(x.code, bpf.RawInstruction{Op: clsALU | aluNeg}), checks: x.checks}
	case aBin:
		return g.binary(a, depth)
	case aLoad:
		return g.load(a, depth)
	}
	panic("unreachable")
}

func (g *gen) binary(a aBin, depth int) value {
	op := aluOps[a.op]
	// tcpdump judges the right operand by the first number in it, the
	// one its code loads first: "len / udp[0:2]" divides "by zero".
	if v, ok := firstNumber(a.r); ok {
		_, literal := a.r.(aNum)
		switch {
		case (op == aluLsh || op == aluRsh) && v > 31 && literal:
			g.errorAt(a.pos, "%q by %d: a shift is by 0 to 31 bits", a.op, v)
		case (op == aluLsh || op == aluRsh) && v > 31:
			g.errorAt(a.pos, "the right of %q starts with %d, which counts as a shift past 31 bits (as in tcpdump): start it with a number up to 31", a.op, v)
		case (op == aluDiv || op == aluMod) && v == 0 && literal:
			g.errorAt(a.pos, "%q by 0 has no result: write a number other than 0 after %q", a.op, a.op)
		case (op == aluDiv || op == aluMod) && v == 0:
			g.errorAt(a.pos, "the right of %q starts with the number 0, which counts as %q by 0 (as in tcpdump): write it so another number comes first", a.op, a.op)
		}
	}
	// The left operand is computed first and kept in M[depth] while the
	// right one is, one word further on: a chain to the left ("a + b +
	// c + ...") needs two words however long it is, as in tcpdump, which
	// compiles any length of it; a chain to the right one word per term.
	l := g.arith(a.l, depth)
	r := g.arith(a.r, depth+1)
	if r.isConst && !l.isConst && (op == aluLsh || op == aluRsh) && r.k > 31 {
		// tcpdump's optimizer refuses a constant shift it cannot fold.
		g.errorAt(a.pos, "%q by %d: a shift is by 0 to 31 bits", a.op, r.k)
	}
	// tcpdump keeps only the left operand's checks here.
	out := value{checks: l.checks}
	if l.isConst && l.k == 0 && !r.isConst {
		// What tcpdump's optimizer makes of an operation on a 0: the
		// right operand's value, or 0 without its loads.
		switch op {
		case aluAdd, aluOr, aluXor:
			out.code = r.code
			return out
		case aluMul, aluDiv, aluMod, aluAnd, aluLsh, aluRsh:
			out.isConst, out.k = true, 0
			return out
		}
	}
	if r.isConst {
		if (op == aluDiv || op == aluMod) && r.k == 0 {
			g.errorAt(a.pos, "%q by 0 has no result: write a divisor other than 0 after %q", a.op, a.op)
		}
		if l.isConst {
			out.isConst, out.k = true, fold(op, l.k, r.k)
			return out
		}
		if r.k == 0 && (op == aluAnd || op == aluMul) {
			// x & 0 and x * 0 are 0 whatever x is: tcpdump's optimizer
			// drops x's loads, and so does this.
			out.isConst, out.k = true, 0
			return out
		}
		if (op == aluLsh || op == aluRsh) && r.k > 31 {
			out.code = append(l.code, bpf.RawInstruction{Op: clsLD | modeIMM, K: 0})
			return out
		}
		out.code = append(l.code, bpf.RawInstruction{Op: clsALU | op | srcK, K: r.k})
		return out
	}
	m := g.scratch(depth, a.pos)
	code := append(l.inA(), bpf.RawInstruction{Op: clsST, K: m})
	code = append(code, r.inA()...)
	code = append(code, bpf.RawInstruction{Op: clsMISC | miscTAX}, bpf.RawInstruction{Op: clsLD | modeMEM, K: m}, bpf.RawInstruction{Op: clsALU | op | srcX})
	out.code = code
	return out
}

// computed reports whether an arithmetic expression has an operator.
func computed(a arith) bool {
	switch a.(type) {
	case aBin, aNeg:
		return true
	}
	return false
}

// firstNumber is the leftmost number of an arithmetic expression, if
// that is where its evaluation starts.
func firstNumber(a arith) (uint32, bool) {
	switch a := a.(type) {
	case aNum:
		return a.v, true
	case aNeg:
		return firstNumber(a.x)
	case aBin:
		return firstNumber(a.l)
	case aLoad:
		return firstNumber(a.idx)
	}
	return 0, false
}

func fold(op uint16, a, b uint32) uint32 {
	switch op {
	case aluAdd:
		return a + b
	case aluSub:
		return a - b
	case aluMul:
		return a * b
	case aluDiv:
		return a / b
	case aluMod:
		return a % b
	case aluAnd:
		return a & b
	case aluOr:
		return a | b
	case aluXor:
		return a ^ b
	case aluLsh:
		if b < 32 {
			return a << b
		}
		return 0
	case aluRsh:
		if b < 32 {
			return a >> b
		}
		return 0
	}
	return 0
}

// load is proto[idx:size].
func (g *gen) load(a aLoad, depth int) value {
	var size uint16
	switch a.size {
	case 1:
		size = sizeB
	case 2:
		size = sizeH
	case 4:
		size = sizeW
	default:
		g.errorAt(a.pos, "%[1]s:%[2]d] loads %[2]d bytes: a load is 1, 2 or 4 bytes; write %[1]s:1], %[1]s:2] or %[1]s:4]", strings.Join(strings.Fields(g.expr[a.pos:a.sizeAt]), ""), a.size)
	}
	idx := g.arith(a.idx, depth+1)
	var base loc
	var check cond
	transport := false
	switch a.p {
	case pLink:
		base, check = g.offLinkHdr, idx.checks
	case pIP, pArp, pRarp, pAtalk, pDecnet, pSca, pLat, pMoprc, pMopdl, pIP6:
		base = g.nl()
		check = andChecks(idx.checks, g.protoAbbrev(a.p, a.pos))
	case pSCTP, pTCP, pUDP, pICMP, pIGMP, pIGRP, pPIM, pVRRP, pCARP:
		base, transport = g.nl(), true
		check = and(g.protoAbbrev(pIP, a.pos), andChecks(idx.checks, and(g.protoAbbrev(a.p, a.pos), g.ipFirstFragment())))
	case pICMP6:
		base = g.nl().add(40)
		check = and(andChecks(idx.checks, g.protoAbbrev(pIP6, a.pos)), cmpEq(g.nl().add(6), 1, 58))
	case pRadio:
		g.errorAt(a.pos, "radio[...] needs 802.11 radiotap captures, and this one is %s", g.spec.name)
	default:
		g.errorAt(a.pos, "'%s' has no header sockscope can index: write ether, ip, ip6, arp, tcp, udp, icmp or icmp6 [offset]", a.p)
	}
	ind := bpf.RawInstruction{Op: clsLD | modeIND | size, K: base.k}
	var code []bpf.RawInstruction
	switch {
	case transport && idx.isConst:
		code = append(ipHeaderLenInX(g.nl()), bpf.RawInstruction{Op: clsLD | modeIND | size, K: base.k + idx.k})
	case transport:
		m := g.scratch(depth, a.pos)
		code = append(code, idx.code...)
		code = append(code, bpf.RawInstruction{Op: clsST, K: m})
		code = append(code, ipHeaderLenInX(g.nl())...)
		code = append(code,
			bpf.RawInstruction{Op: clsLD | modeMEM, K: m},
			bpf.RawInstruction{Op: clsALU | aluAdd | srcX},
			bpf.RawInstruction{Op: clsMISC | miscTAX}, ind)
	case idx.isConst && base.reg < 0 && base.k+idx.k >= base.k:
		code = load(size, base.add(idx.k))
	case idx.isConst:
		// After "geneve", or past 4 GiB (no packet is that long, as the
		// kernel and libpcap see an indexed load that overflows).
		code = []bpf.RawInstruction{{Op: clsLD | modeIMM, K: idx.k}}
		if base.reg >= 0 {
			code = append(code, bpf.RawInstruction{Op: clsLDX | modeMEM, K: uint32(base.reg)}, bpf.RawInstruction{Op: clsALU | aluAdd | srcX})
		}
		code = append(code, bpf.RawInstruction{Op: clsMISC | miscTAX}, ind)
	default:
		// The index's code is its own, as in binary: extending it rather
		// than copying it keeps "ip[ip[ip[...]]]" from copying n² instructions.
		code = idx.code
		if base.reg >= 0 {
			code = append(code, bpf.RawInstruction{Op: clsLDX | modeMEM, K: uint32(base.reg)}, bpf.RawInstruction{Op: clsALU | aluAdd | srcX})
		}
		code = append(code, bpf.RawInstruction{Op: clsMISC | miscTAX}, ind)
	}
	return value{code: code, checks: check}
}

// relation is "l op r".
func (g *gen) relation(n nRel) cond {
	l := g.arith(n.l, 1)
	r := g.arith(n.r, 1)
	checks := andChecks(l.checks, r.checks)
	var jop uint16
	negate := false
	switch n.op {
	case ">":
		jop = jgt
	case ">=":
		jop = jge
	case "=":
		jop = jeq
	case "<=":
		jop, negate = jgt, true
	case "<":
		jop, negate = jge, true
	case "!=":
		jop, negate = jeq, true
	}
	var test cond
	switch {
	case l.isConst && r.isConst && (computed(n.l) || computed(n.r)):
		// tcpdump folds the arithmetic but decides the comparison only
		// where the program starts (see graph.settleConstants).
		test = &cTest{stmts: []bpf.RawInstruction{{Op: clsLD | modeIMM, K: l.k}}, jop: jop, k: r.k, constant: true}
	case l.isConst && r.isConst:
		ok := false
		switch jop {
		case jgt:
			ok = l.k > r.k
		case jge:
			ok = l.k >= r.k
		case jeq:
			ok = l.k == r.k
		}
		if ok {
			test = cTrue{}
		} else {
			test = cFalse{}
		}
	case r.isConst:
		test = &cTest{stmts: l.code, jop: jop, k: r.k}
	default:
		code := append([]bpf.RawInstruction{}, r.inA()...)
		code = append(code, bpf.RawInstruction{Op: clsST, K: 0})
		code = append(code, l.inA()...)
		code = append(code, bpf.RawInstruction{Op: clsLDX | modeMEM, K: 0})
		test = &cTest{stmts: code, jop: jop | srcX}
	}
	if negate {
		test = not(test)
	}
	if checks != nil {
		return and(checks, test)
	}
	return test
}
