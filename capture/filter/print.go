package filter

import (
	"fmt"
	"strings"

	"golang.org/x/net/bpf"
)

// Printing programs as tcpdump does: -d one instruction a line in words
// (Image), -dd as C initialisers, -ddd as decimal numbers after a count.
// The layouts below are what tcpdump 4.99 prints.

// metadataNames are the words tcpdump prints for Linux's ancillary loads
// (the kernel's SKF_AD_* offsets past SKF_AD_OFF).
var metadataNames = map[uint32]string{
	skfAdProtocol: "proto", skfAdPkttype: "type", skfAdIfindex: "ifidx",
	skfAdVlanTag: "vlan_tci", skfAdVlanTagP: "vlanp",
	12: "nla", 16: "nlan", 20: "mark", 24: "queue", 28: "hatype", 32: "rxhash",
	36: "cpu", 52: "poff", 56: "random",
}

var loadWords = map[uint16]string{sizeW: "ld", sizeH: "ldh", sizeB: "ldb"}

// aluWords: the name of each operation and whether tcpdump prints its
// constant in hexadecimal (the bitwise ones) or decimal.
var aluWords = map[uint16]struct {
	name string
	hex  bool
}{
	aluAdd: {"add", false}, aluSub: {"sub", false}, aluMul: {"mul", false}, aluDiv: {"div", false},
	aluMod: {"mod", false}, aluLsh: {"lsh", false}, aluRsh: {"rsh", false},
	aluAnd: {"and", true}, aluOr: {"or", true}, aluXor: {"xor", true},
}

var jumpWords = map[uint16]string{jeq: "jeq", jgt: "jgt", jge: "jge", jset: "jset"}

// Image is instruction ins at position pc as tcpdump -d prints it.
func Image(ins bpf.RawInstruction, pc int) string {
	op, operand := instructionWords(ins, pc)
	if opClass(int(ins.Op)) == clsJMP && opOp(int(ins.Op)) != ja {
		return fmt.Sprintf("(%03d) %-8s %-16s jt %d\tjf %d", pc, op, operand, pc+1+int(ins.Jt), pc+1+int(ins.Jf))
	}
	return fmt.Sprintf("(%03d) %-8s %s", pc, op, operand)
}

// instructionWords is an instruction's name and operand.
func instructionWords(ins bpf.RawInstruction, pc int) (string, string) {
	code, k := ins.Op, ins.K
	switch opClass(int(code)) {
	case clsLD, clsLDX:
		name := loadWords[code&0x18]
		if opClass(int(code)) == clsLDX {
			name = "ldx"
			if opMode(int(code)) == modeMSH {
				name = "ldxb"
			}
		}
		switch opMode(int(code)) {
		case modeIMM:
			return name, fmt.Sprintf("#0x%x", k)
		case modeLEN:
			return name, "#pktlen"
		case modeMEM:
			return name, fmt.Sprintf("M[%d]", k)
		case modeMSH:
			return name, fmt.Sprintf("4*([%d]&0xf)", k)
		case modeIND:
			return name, fmt.Sprintf("[x + %d]", k)
		case modeABS:
			if k >= skfAdOff {
				if w, ok := metadataNames[k-skfAdOff]; ok {
					return name, "[" + w + "]"
				}
			}
			return name, fmt.Sprintf("[%d]", k)
		}
	case clsST:
		return "st", fmt.Sprintf("M[%d]", k)
	case clsSTX:
		return "stx", fmt.Sprintf("M[%d]", k)
	case clsALU:
		if opOp(int(code)) == aluNeg {
			return "neg", ""
		}
		w, ok := aluWords[uint16(opOp(int(code)))]
		if !ok {
			break
		}
		if opSrc(int(code)) == srcX {
			return w.name, "x"
		}
		if w.hex {
			return w.name, fmt.Sprintf("#0x%x", k)
		}
		return w.name, fmt.Sprintf("#%d", k)
	case clsJMP:
		if opOp(int(code)) == ja {
			return "ja", fmt.Sprintf("%d", pc+1+int(k))
		}
		w, ok := jumpWords[uint16(opOp(int(code)))]
		if !ok {
			break
		}
		if opSrc(int(code)) == srcX {
			return w, "x"
		}
		return w, fmt.Sprintf("#0x%x", k)
	case clsRET:
		if code&0x18 == retA {
			return "ret", "a"
		}
		return "ret", fmt.Sprintf("#%d", k)
	case clsMISC:
		if code&0xf8 == miscTXA {
			return "txa", ""
		}
		return "tax", ""
	}
	return "unimp", fmt.Sprintf("0x%x", code)
}

// Dump prints a program as tcpdump -d (level 1), -dd (2) or -ddd (3).
func Dump(prog []bpf.RawInstruction, level int) string {
	var b strings.Builder
	switch level {
	case 2:
		for _, ins := range prog {
			fmt.Fprintf(&b, "{ 0x%x, %d, %d, 0x%08x },\n", ins.Op, ins.Jt, ins.Jf, ins.K)
		}
	case 3:
		fmt.Fprintf(&b, "%d\n", len(prog))
		for _, ins := range prog {
			fmt.Fprintf(&b, "%d %d %d %d\n", ins.Op, ins.Jt, ins.Jf, ins.K)
		}
	default:
		for pc, ins := range prog {
			b.WriteString(Image(ins, pc))
			b.WriteByte('\n')
		}
	}
	return b.String()
}
