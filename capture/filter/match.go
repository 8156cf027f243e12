package filter

import (
	"encoding/binary"
	"errors"
	"fmt"

	"golang.org/x/net/bpf"
)

// Matcher runs a classic BPF program on packets the way libpcap's
// interpreter does for tcpdump -r, which is where it differs from
// x/net/bpf's VM: "len" is the packet's length on the wire, not the bytes
// captured; a shift by 32 bits or more gives 0; Linux metadata loads are out of range. It does
// not allocate, and is not safe for concurrent use.
type Matcher struct {
	prog []bpf.RawInstruction
}

// NewMatcher checks prog (jumps in range, a return at the end, known
// instructions, no division by a constant 0) and prepares it to run.
func NewMatcher(prog []bpf.Instruction) (*Matcher, error) {
	raw, err := bpf.Assemble(prog)
	if err != nil {
		return nil, fmt.Errorf("filter: %w", err)
	}
	if err := validate(raw); err != nil {
		return nil, err
	}
	return &Matcher{prog: raw}, nil
}

func validate(prog []bpf.RawInstruction) error {
	if len(prog) == 0 {
		return errors.New("filter: empty program")
	}
	for i, ins := range prog {
		left := uint32(len(prog) - i - 1)
		bad := func(what string) error {
			return fmt.Errorf("filter: instruction %d (%s): %s", i, Image(ins, i), what)
		}
		code := int(ins.Op)
		switch opClass(code) {
		case clsLD, clsLDX:
			switch opMode(code) {
			case modeMEM:
				if ins.K >= memWords {
					return bad("scratch register out of range")
				}
			case modeIMM, modeABS, modeIND, modeLEN, modeMSH:
			default:
				return bad("unknown load")
			}
		case clsST, clsSTX:
			if ins.K >= memWords {
				return bad("scratch register out of range")
			}
		case clsALU:
			switch opOp(code) {
			case aluDiv, aluMod:
				if opSrc(code) == srcK && ins.K == 0 {
					return bad("division by zero")
				}
			case aluAdd, aluSub, aluMul, aluOr, aluAnd, aluLsh, aluRsh, aluNeg, aluXor:
			default:
				return bad("unknown ALU operation")
			}
		case clsJMP:
			if opOp(code) == ja {
				if ins.K >= left {
					return bad("jump past the end")
				}
			} else if uint32(ins.Jt) >= left || uint32(ins.Jf) >= left {
				return bad("jump past the end")
			}
		}
	}
	if opClass(int(prog[len(prog)-1].Op)) != clsRET {
		return errors.New("filter: program does not end with a return")
	}
	return nil
}

// Match reports whether the program accepts the packet: data is what was
// captured, wireLen its length on the wire.
func (m *Matcher) Match(data []byte, wireLen int) bool {
	return m.Run(data, wireLen) != 0
}

// Run returns the program's result for the packet: 0 to drop, otherwise
// the number of bytes to keep.
func (m *Matcher) Run(data []byte, wireLen int) uint32 {
	var a, x uint32
	var mem [memWords]uint32
	prog := m.prog
	n := uint64(len(data))
	for pc := 0; pc < len(prog); pc++ {
		ins := &prog[pc]
		k := ins.K
		switch ins.Op {
		case clsRET | retK:
			return k
		case clsRET | retA:
			return a
		case clsLD | sizeW | modeABS:
			if uint64(k)+4 > n {
				return 0
			}
			a = binary.BigEndian.Uint32(data[k:])
		case clsLD | sizeH | modeABS:
			if uint64(k)+2 > n {
				return 0
			}
			a = uint32(binary.BigEndian.Uint16(data[k:]))
		case clsLD | sizeB | modeABS:
			if uint64(k) >= n {
				return 0
			}
			a = uint32(data[k])
		case clsLD | sizeW | modeIND:
			off := uint64(x) + uint64(k)
			if off+4 > n {
				return 0
			}
			a = binary.BigEndian.Uint32(data[off:])
		case clsLD | sizeH | modeIND:
			off := uint64(x) + uint64(k)
			if off+2 > n {
				return 0
			}
			a = uint32(binary.BigEndian.Uint16(data[off:]))
		case clsLD | sizeB | modeIND:
			off := uint64(x) + uint64(k)
			if off >= n {
				return 0
			}
			a = uint32(data[off])
		case clsLD | sizeW | modeLEN:
			a = uint32(wireLen)
		case clsLDX | sizeW | modeLEN:
			x = uint32(wireLen)
		case clsLD | modeIMM:
			a = k
		case clsLDX | modeIMM:
			x = k
		case clsLD | modeMEM:
			a = mem[k&(memWords-1)]
		case clsLDX | modeMEM:
			x = mem[k&(memWords-1)]
		case clsLDX | sizeB | modeMSH:
			if uint64(k) >= n {
				return 0
			}
			x = uint32(data[k]&0xf) << 2
		case clsST:
			mem[k&(memWords-1)] = a
		case clsSTX:
			mem[k&(memWords-1)] = x
		case clsJMP | ja:
			pc += int(k)
		case clsJMP | jgt | srcK:
			if a > k {
				pc += int(ins.Jt)
			} else {
				pc += int(ins.Jf)
			}
		case clsJMP | jge | srcK:
			if a >= k {
				pc += int(ins.Jt)
			} else {
				pc += int(ins.Jf)
			}
		case clsJMP | jeq | srcK:
			if a == k {
				pc += int(ins.Jt)
			} else {
				pc += int(ins.Jf)
			}
		case clsJMP | jset | srcK:
			if a&k != 0 {
				pc += int(ins.Jt)
			} else {
				pc += int(ins.Jf)
			}
		case clsJMP | jgt | srcX:
			if a > x {
				pc += int(ins.Jt)
			} else {
				pc += int(ins.Jf)
			}
		case clsJMP | jge | srcX:
			if a >= x {
				pc += int(ins.Jt)
			} else {
				pc += int(ins.Jf)
			}
		case clsJMP | jeq | srcX:
			if a == x {
				pc += int(ins.Jt)
			} else {
				pc += int(ins.Jf)
			}
		case clsJMP | jset | srcX:
			if a&x != 0 {
				pc += int(ins.Jt)
			} else {
				pc += int(ins.Jf)
			}
		case clsALU | aluAdd | srcX:
			a += x
		case clsALU | aluSub | srcX:
			a -= x
		case clsALU | aluMul | srcX:
			a *= x
		case clsALU | aluDiv | srcX:
			if x == 0 {
				return 0
			}
			a /= x
		case clsALU | aluMod | srcX:
			if x == 0 {
				return 0
			}
			a %= x
		case clsALU | aluAnd | srcX:
			a &= x
		case clsALU | aluOr | srcX:
			a |= x
		case clsALU | aluXor | srcX:
			a ^= x
		case clsALU | aluLsh | srcX:
			a = shiftLeft(a, x)
		case clsALU | aluRsh | srcX:
			a = shiftRight(a, x)
		case clsALU | aluAdd | srcK:
			a += k
		case clsALU | aluSub | srcK:
			a -= k
		case clsALU | aluMul | srcK:
			a *= k
		case clsALU | aluDiv | srcK:
			a /= k
		case clsALU | aluMod | srcK:
			a %= k
		case clsALU | aluAnd | srcK:
			a &= k
		case clsALU | aluOr | srcK:
			a |= k
		case clsALU | aluXor | srcK:
			a ^= k
		case clsALU | aluLsh | srcK:
			a = shiftLeft(a, k)
		case clsALU | aluRsh | srcK:
			a = shiftRight(a, k)
		case clsALU | aluNeg:
			a = -a
		case clsMISC | miscTAX:
			x = a
		case clsMISC | miscTXA:
			a = x
		default:
			return 0
		}
	}
	return 0
}

// Shifts by 32 bits or more give 0, as in libpcap 1.10's interpreter.
func shiftLeft(a, n uint32) uint32 {
	if n < 32 {
		return a << n
	}
	return 0
}

func shiftRight(a, n uint32) uint32 {
	if n < 32 {
		return a >> n
	}
	return 0
}
