package filter

import (
	"fmt"

	"golang.org/x/net/bpf"

	"github.com/sockscope/sockscope/decode/wire"
)

// A program compiled for a Linux cooked capture (LINKTYPE_LINUX_SLL and
// SLL2, what "-i any" records) reads the cooked header that user space
// builds from the packet's metadata. On the socket itself there is no
// such header: a datagram packet socket's filter sees the packet from
// its network header on, and reads metadata with the kernel's ancillary
// loads (Documentation/networking/filter.rst: SKF_AD_OFF + SKF_AD_PROTOCOL,
// SKF_AD_PKTTYPE, SKF_AD_IFINDEX). KernelProgram rewrites one into the
// other.

// maxKernelInstructions is the longest program the kernel takes
// (BPF_MAXINSNS).
const maxKernelInstructions = 4096

// cookedField is a field of a cooked header and the metadata it copies.
type cookedField struct {
	offset uint32
	size   uint16
}

// cookedHeaders: each cooked link type's header length and the fields the
// kernel has ancillary loads for.
var cookedHeaders = map[wire.LinkType]struct {
	length uint32
	fields map[cookedField]uint32
}{
	wire.LinkLinuxSLL: {16, map[cookedField]uint32{
		{14, sizeH}: skfAdProtocol, {0, sizeH}: skfAdPkttype,
	}},
	wire.LinkLinuxSLL2: {20, map[cookedField]uint32{
		{0, sizeH}: skfAdProtocol, {10, sizeB}: skfAdPkttype, {4, sizeW}: skfAdIfindex,
	}},
}

// KernelProgram is prog, compiled with Options.Live for link, as the
// socket runs it: for a cooked link its header's fields become ancillary
// loads and packet offsets move back by the header's length. ok is false
// when the kernel cannot run it (a cooked field with no metadata twin, a
// load that could land in the cooked header, or more instructions than
// the kernel takes); the program must then run in user space.
func KernelProgram(prog []bpf.Instruction, link wire.LinkType) (raw []bpf.RawInstruction, ok bool, err error) {
	raw, err = bpf.Assemble(prog)
	if err != nil {
		return nil, false, fmt.Errorf("filter: %w", err)
	}
	if len(raw) > maxKernelInstructions {
		return raw, false, nil
	}
	hdr, cooked := cookedHeaders[link]
	if !cooked {
		return raw, true, nil
	}
	out := make([]bpf.RawInstruction, len(raw))
	copy(out, raw)
	for i, ins := range out {
		cls, mode := opClass(int(ins.Op)), opMode(int(ins.Op))
		switch {
		case cls == clsLD && mode == modeABS:
			switch {
			case ins.K >= skfAdOff:
				// Already metadata.
			case ins.K >= hdr.length:
				out[i].K -= hdr.length
			default:
				ad, known := hdr.fields[cookedField{ins.K, uint16(ins.Op & 0x18)}]
				if !known {
					return raw, false, nil
				}
				out[i].K = skfAdOff + ad
			}
		case cls == clsLD && mode == modeIND, cls == clsLDX && mode == modeMSH:
			// X holds a length or an offset past the network layer, so
			// the constant carries the header's length.
			if ins.K < hdr.length {
				return raw, false, nil
			}
			out[i].K -= hdr.length
		}
	}
	return out, true, nil
}
