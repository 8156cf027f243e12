package filter

import (
	"fmt"
	"strings"

	"golang.org/x/net/bpf"
)

// Dump formats a program as tcpdump -d (level 1), -dd (level 2, C array
// lines) or -ddd (level 3 and more, decimal numbers) prints it, byte for
// byte.
func Dump(prog []bpf.RawInstruction, level int) string {
	var b strings.Builder
	switch {
	case level > 2:
		fmt.Fprintf(&b, "%d\n", len(prog))
		for _, ins := range prog {
			fmt.Fprintf(&b, "%d %d %d %d\n", ins.Op, ins.Jt, ins.Jf, ins.K)
		}
	case level > 1:
		for _, ins := range prog {
			fmt.Fprintf(&b, "{ 0x%x, %d, %d, 0x%08x },\n", ins.Op, ins.Jt, ins.Jf, ins.K)
		}
	default:
		for i, ins := range prog {
			b.WriteString(Image(ins, i))
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// skfNames are the names tcpdump -d prints for Linux's metadata load offsets.
var skfNames = map[uint32]string{
	0: "proto", 4: "type", 8: "ifidx", 12: "nla", 16: "nlan", 20: "mark", 24: "queue",
	28: "hatype", 32: "rxhash", 36: "cpu", 40: "xor_x", 44: "vlan_tci", 48: "vlanp",
	52: "poff", 56: "random", 60: "vlan_tpid",
}

func absOperand(k uint32) string {
	if k >= skfAdOff && k < skfAdOff+skfAdMax {
		if name, ok := skfNames[k-skfAdOff]; ok {
			return "[" + name + "]"
		}
	}
	return fmt.Sprintf("[%d]", int32(k))
}

// Image is instruction n of a program as one line of tcpdump -d.
func Image(p bpf.RawInstruction, n int) string {
	var op, operand string
	k := p.K
	switch int(p.Op) {
	default:
		op, operand = "unimp", fmt.Sprintf("0x%x", p.Op)
	case clsRET | retK:
		op, operand = "ret", fmt.Sprintf("#%d", int32(k))
	case clsRET | retA:
		op = "ret"
	case clsLD | sizeW | modeABS:
		op, operand = "ld", absOperand(k)
	case clsLD | sizeH | modeABS:
		op, operand = "ldh", absOperand(k)
	case clsLD | sizeB | modeABS:
		op, operand = "ldb", absOperand(k)
	case clsLD | sizeW | modeLEN:
		op, operand = "ld", "#pktlen"
	case clsLD | sizeW | modeIND:
		op, operand = "ld", fmt.Sprintf("[x + %d]", int32(k))
	case clsLD | sizeH | modeIND:
		op, operand = "ldh", fmt.Sprintf("[x + %d]", int32(k))
	case clsLD | sizeB | modeIND:
		op, operand = "ldb", fmt.Sprintf("[x + %d]", int32(k))
	case clsLD | modeIMM:
		op, operand = "ld", fmt.Sprintf("#0x%x", k)
	case clsLDX | modeIMM:
		op, operand = "ldx", fmt.Sprintf("#0x%x", k)
	case clsLDX | modeMSH | sizeB:
		op, operand = "ldxb", fmt.Sprintf("4*([%d]&0xf)", int32(k))
	case clsLD | modeMEM:
		op, operand = "ld", fmt.Sprintf("M[%d]", int32(k))
	case clsLDX | modeMEM:
		op, operand = "ldx", fmt.Sprintf("M[%d]", int32(k))
	case clsST:
		op, operand = "st", fmt.Sprintf("M[%d]", int32(k))
	case clsSTX:
		op, operand = "stx", fmt.Sprintf("M[%d]", int32(k))
	case clsJMP | ja:
		op, operand = "ja", fmt.Sprintf("%d", int32(uint32(n)+1+k))
	case clsJMP | jgt | srcK:
		op, operand = "jgt", fmt.Sprintf("#0x%x", k)
	case clsJMP | jge | srcK:
		op, operand = "jge", fmt.Sprintf("#0x%x", k)
	case clsJMP | jeq | srcK:
		op, operand = "jeq", fmt.Sprintf("#0x%x", k)
	case clsJMP | jset | srcK:
		op, operand = "jset", fmt.Sprintf("#0x%x", k)
	case clsJMP | jgt | srcX:
		op, operand = "jgt", "x"
	case clsJMP | jge | srcX:
		op, operand = "jge", "x"
	case clsJMP | jeq | srcX:
		op, operand = "jeq", "x"
	case clsJMP | jset | srcX:
		op, operand = "jset", "x"
	case clsALU | aluAdd | srcX:
		op, operand = "add", "x"
	case clsALU | aluSub | srcX:
		op, operand = "sub", "x"
	case clsALU | aluMul | srcX:
		op, operand = "mul", "x"
	case clsALU | aluDiv | srcX:
		op, operand = "div", "x"
	case clsALU | aluMod | srcX:
		op, operand = "mod", "x"
	case clsALU | aluAnd | srcX:
		op, operand = "and", "x"
	case clsALU | aluOr | srcX:
		op, operand = "or", "x"
	case clsALU | aluXor | srcX:
		op, operand = "xor", "x"
	case clsALU | aluLsh | srcX:
		op, operand = "lsh", "x"
	case clsALU | aluRsh | srcX:
		op, operand = "rsh", "x"
	case clsALU | aluAdd | srcK:
		op, operand = "add", fmt.Sprintf("#%d", int32(k))
	case clsALU | aluSub | srcK:
		op, operand = "sub", fmt.Sprintf("#%d", int32(k))
	case clsALU | aluMul | srcK:
		op, operand = "mul", fmt.Sprintf("#%d", int32(k))
	case clsALU | aluDiv | srcK:
		op, operand = "div", fmt.Sprintf("#%d", int32(k))
	case clsALU | aluMod | srcK:
		op, operand = "mod", fmt.Sprintf("#%d", int32(k))
	case clsALU | aluAnd | srcK:
		op, operand = "and", fmt.Sprintf("#0x%x", k)
	case clsALU | aluOr | srcK:
		op, operand = "or", fmt.Sprintf("#0x%x", k)
	case clsALU | aluXor | srcK:
		op, operand = "xor", fmt.Sprintf("#0x%x", k)
	case clsALU | aluLsh | srcK:
		op, operand = "lsh", fmt.Sprintf("#%d", int32(k))
	case clsALU | aluRsh | srcK:
		op, operand = "rsh", fmt.Sprintf("#%d", int32(k))
	case clsALU | aluNeg:
		op = "neg"
	case clsMISC | miscTAX:
		op = "tax"
	case clsMISC | miscTXA:
		op = "txa"
	}
	if opClass(int(p.Op)) == clsJMP && opOp(int(p.Op)) != ja {
		return fmt.Sprintf("(%03d) %-8s %-16s jt %d\tjf %d", n, op, operand, n+1+int(p.Jt), n+1+int(p.Jf))
	}
	return fmt.Sprintf("(%03d) %-8s %s", n, op, operand)
}
