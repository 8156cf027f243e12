package filter

import (
	"fmt"

	"golang.org/x/net/bpf"

	"github.com/sockscope/sockscope/decode/wire"
)

// maxKernelInstructions is the most instructions Linux accepts in one
// socket filter (BPF_MAXINSNS).
const maxKernelInstructions = 4096

// KernelProgram adapts a program compiled with Options.Live for link type
// link to what the kernel sees on the packet socket, as libpcap does before
// it attaches a filter. On a cooked socket (Linux cooked v1 and v2: the "any"
// device, and hardware without a link type) the kernel's filter sees the
// packet from its network header, with no cooked header in front: loads
// from the payload move back by the header's length, and loads of its
// protocol, packet type and interface index fields become loads of the
// same socket metadata. ok is false when the program reads another part of
// the cooked header, or is longer than the kernel takes; the capture must
// then filter in user space with a Matcher on the packets it rebuilds,
// as libpcap does. Other link types are returned unchanged.
func KernelProgram(prog []bpf.Instruction, link wire.LinkType) (raw []bpf.RawInstruction, ok bool, err error) {
	raw, err = bpf.Assemble(prog)
	if err != nil {
		return nil, false, fmt.Errorf("filter: %w", err)
	}
	if len(raw) > maxKernelInstructions {
		return nil, false, nil
	}
	var hdrLen uint32
	var fields map[uint32]uint32
	switch link {
	case wire.LinkLinuxSLL:
		hdrLen = 16
		fields = map[uint32]uint32{0: skfAdPkttype, 14: skfAdProtocol}
	case wire.LinkLinuxSLL2:
		hdrLen = 20
		fields = map[uint32]uint32{0: skfAdProtocol, 4: skfAdIfindex, 10: skfAdPkttype}
	default:
		return raw, true, nil
	}
	out := make([]bpf.RawInstruction, len(raw))
	for i, ins := range raw {
		code := int(ins.Op)
		if (opClass(code) == clsLD || opClass(code) == clsLDX) &&
			(opMode(code) == modeABS || opMode(code) == modeIND || opMode(code) == modeMSH) && ins.K < skfAdOff {
			switch ad, isField := fields[ins.K]; {
			case ins.K >= hdrLen:
				ins.K -= hdrLen
			case isField:
				ins.K = skfAdOff + ad
			case int32(ins.K) > 0:
				return nil, false, nil
			}
		}
		out[i] = ins
	}
	return out, true, nil
}
