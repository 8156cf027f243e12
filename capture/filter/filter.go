package filter

import (
	"errors"

	"golang.org/x/net/bpf"

	"github.com/sockscope/sockscope/decode/caret"
	"github.com/sockscope/sockscope/decode/wire"
)

// DefaultSnaplen is what an accepting program returns when Options.Snaplen
// is 0: tcpdump's maximum snapshot length.
const DefaultSnaplen = 262144

// Options tune a compilation. The zero value compiles as tcpdump -r does
// for a little-endian capture file.
type Options struct {
	// Snaplen is the value an accepting program returns; 0 means
	// DefaultSnaplen.
	Snaplen uint32
	// Netmask is the network mask "ip broadcast" uses; tcpdump uses 0
	// when it reads a file. 0xffffffff (unknown) makes it an error.
	Netmask uint32
	// BigEndian is the byte order of the capture file, which is the order
	// of the address family in a BSD loopback (LINKTYPE_NULL) header.
	BigEndian bool
	// Live compiles for a Linux packet socket rather than a file:
	// "inbound", "outbound" and "ifindex" then read socket metadata on
	// every link type.
	Live bool
	// Names resolves host, port, protocol and network names; nil means
	// this machine's /etc files (SystemNames).
	Names *Names
}

// Error is a bad expression: what is wrong and where.
type Error struct {
	Expr   string
	Offset int // byte offset in Expr of the token at fault
	Msg    string
}

// Column is the 1-based character position the error points at.
func (e *Error) Column() int { return caret.Column(e.Expr, e.Offset) }

// Error is "filter: MSG at column N", then the expression, then a caret
// under the column, on three lines. An expression longer than a terminal
// shows is cut to a window around the column (see caret.Show).
func (e *Error) Error() string {
	return caret.Report("filter", e.Msg, e.Expr, e.Offset)
}

// ErrLinkType is wrapped by the error for a link type the compiler has no
// offsets for.
var ErrLinkType = errors.New("link type not supported by the filter compiler")

// Compile compiles expr for packets of link type link (a LINKTYPE_ value:
// 1 Ethernet, 113 and 276 Linux cooked v1 and v2, 101, 12, 228 and 229 raw
// IP, 0 and 108 loopback) as tcpdump -r does; an accepting program returns
// snaplen (0: DefaultSnaplen). A bad expression is an *Error.
func Compile(expr string, link wire.LinkType, snaplen uint32) ([]bpf.Instruction, error) {
	return CompileOptions(expr, link, Options{Snaplen: snaplen})
}

// CompileOptions is Compile with every option.
func CompileOptions(expr string, link wire.LinkType, opt Options) ([]bpf.Instruction, error) {
	raw, err := compileRaw(expr, link, opt)
	if err != nil {
		return nil, err
	}
	prog := make([]bpf.Instruction, len(raw))
	for i, r := range raw {
		prog[i] = r.Disassemble()
	}
	return prog, nil
}

// Assemble converts a program to the raw form a socket takes
// (SO_ATTACH_FILTER) and tcpdump -dd prints.
func Assemble(prog []bpf.Instruction) ([]bpf.RawInstruction, error) {
	return bpf.Assemble(prog)
}

func compileRaw(expr string, link wire.LinkType, opt Options) (prog []bpf.RawInstruction, err error) {
	g, err := newGen(expr, link, opt)
	if err != nil {
		return nil, err
	}
	snaplen := opt.Snaplen
	if snaplen == 0 {
		snaplen = DefaultSnaplen
	}
	tree, err := parse(expr)
	if err != nil {
		return nil, err
	}
	accept := &block{ret: snaplen}
	reject := &block{ret: 0}
	if tree == nil {
		return []bpf.RawInstruction{{Op: clsRET | retK, K: snaplen}}, nil
	}
	defer func() {
		if r := recover(); r != nil {
			ce, ok := r.(compileErr)
			if !ok {
				panic(r)
			}
			prog, err = nil, ce.err
		}
	}()
	c := g.node(tree)
	gr := &graph{entry: lower(c, accept, reject), accept: accept, rej: reject}
	if !g.unoptimized {
		// tcpdump does not optimise a program with protochain or
		// geneve: every test it wrote stays, and with it every load
		// that rejects a packet too short for it.
		gr.simplify()
		gr.settleConstants()
	}
	if gr.entry == reject && !g.unoptimized {
		return nil, &Error{Expr: expr, Offset: 0, Msg: "no packet can match this expression: its tests contradict each other (as tcp and udp do); join such tests with or, or drop one"}
	}
	prog = gr.emit()
	if !opt.Live {
		// No packet in a file reaches Linux's metadata offsets: such a
		// load fails and rejects the packet, which "ret #0" says without
		// x/net/bpf mistaking the load for a metadata extension.
		for i, ins := range prog {
			if opClass(int(ins.Op)) == clsLD && opMode(int(ins.Op)) == modeABS && ins.K >= skfAdOff {
				prog[i] = bpf.RawInstruction{Op: clsRET | retK, K: 0}
			}
		}
	}
	return prog, nil
}

// MentionsVLAN reports whether expr uses "vlan". On a live Ethernet
// socket the kernel has taken received tags out of the frame before a
// socket filter runs, while sockscope puts them back into the packets it
// returns; such an expression must then run in user space on those
// packets (as the file it writes would be read) rather than in the kernel.
func MentionsVLAN(expr string) bool {
	tree, err := parse(expr)
	if err != nil {
		return false
	}
	var walk func(n node) bool
	walk = func(n node) bool {
		switch n := n.(type) {
		case nAnd:
			return walk(n.l) || walk(n.r)
		case nOr:
			return walk(n.l) || walk(n.r)
		case nNot:
			return walk(n.x)
		case nOther:
			return n.key == kVlan
		}
		return false
	}
	return walk(tree)
}
