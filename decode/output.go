package decode

import (
	"io"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// output is what the printers (Printer, JSONPrinter, FieldsPrinter) share:
// where they write, what is not yet written, the first write error, the
// tree they dissect into, the packets printed, and the capture file's
// interface names.
type output struct {
	w   io.Writer
	opt Options
	t   Tree
	b   []byte // output not yet written
	n   int    // packets printed
	err error  // the first write error; later Prints return it
	// ifNames are the capture file's interface names (pcapng), by index.
	ifNames map[int]string
	// follow, when set by FollowTree, is a tree a display filter dissects
	// each packet into just before Print; cur is the tree of the packet
	// being printed: follow's, or t (see dissect).
	follow, cur *Tree
}

// FollowTree makes the printer keep what it learns across packets in t's
// state (Tree.ShareState), and, when t dissects as the printer's own tree
// does (the same Stateless, Reassemble and VerifyChecksums), read a packet
// from t when t holds it rather than dissect it again: t is a display
// filter's tree (display.Selector.Tree), which dissected the packet to
// select it.
//
// t is then told to want (Tree.Want) what the printer reads too, unless
// the printer's tree reads each packet alone (Stateless).
func (o *output) FollowTree(t *Tree) {
	o.t.ShareState(t)
	if o.t.Stateless {
		return // the text printer's tree reads every packet alone
	}
	t.Want = t.Want.Union(o.t.Want)
	o.t.Want = t.Want
	if t.Stateless == o.t.Stateless && t.Reassemble == o.t.Reassemble && t.VerifyChecksums == o.t.VerifyChecksums {
		o.follow = t
	}
}

// dissect makes cur the packet's tree: the followed tree when it holds this
// packet (the same number and time), else the printer's own, dissected.
func (o *output) dissect(data []byte, ci gopacket.CaptureInfo, link wire.LinkType, n int) *Tree {
	if f := o.follow; f != nil && f.Number == n && f.CI.Timestamp.Equal(ci.Timestamp) && len(f.Nodes) > 0 {
		o.cur = f
	} else {
		o.t.Dissect(data, ci, link, n)
		o.cur = &o.t
	}
	return o.cur
}

// flushAt is how much output a printer buffers before it writes.
const flushAt = 32 << 10

func newOutput(w io.Writer, opt Options) output {
	o := output{w: w, opt: opt, b: make([]byte, 0, 64<<10)}
	o.t.Reassemble = opt.Reassemble
	return o
}

// start counts a packet about to be printed and returns its number: its
// place in the input (Options.Position) or among the packets printed. It
// fails after a write error and for a link type decode does not read.
func (o *output) start(link wire.LinkType) (int, error) {
	if o.err != nil {
		return 0, o.err
	}
	if err := CheckLink(link); err != nil {
		return 0, err
	}
	o.n++
	if o.opt.Position != nil {
		return o.opt.Position().Number, nil
	}
	return o.n, nil
}

// end writes the buffered output once there is enough of it.
func (o *output) end() error {
	if len(o.b) >= flushAt {
		return o.Flush()
	}
	return nil
}

// Flush writes what Print has buffered.
func (o *output) Flush() error {
	if o.err != nil {
		return o.err
	}
	if len(o.b) > 0 {
		_, o.err = o.w.Write(o.b)
		o.b = o.b[:0]
	}
	return o.err
}

// Tree is the dissection of the last packet printed.
func (o *output) Tree() *Tree { return &o.t }

// SetInterfaceName names the capture file's interface index (a pcapng
// Interface Description Block), for frame.interface_id and
// frame.interface_name, which tshark gives for pcapng files only.
func (o *output) SetInterfaceName(index int, name string) {
	if o.ifNames == nil {
		o.ifNames = map[int]string{}
	}
	o.ifNames[index] = name
}
