package decode

import (
	"fmt"
	"io"
	"strconv"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// Printer writes the text form of packets as tcpdump prints them, one call to
// Print per packet. It dissects each packet into one reused tree and renders
// the tree: the protocols' text functions append to one reused buffer, so
// printing allocates nothing per packet once warm.
type Printer struct {
	output
	clock clock // the timestamp column
	// abandoned says the packet's text gave up where tcpdump gives up on
	// the packet, which makes a single -x, -X or -A dump it from its first
	// byte. It depends on the options (-v), so it is the Printer's, not
	// the tree's.
	abandoned bool
	// state is what protocols keep between packets (TCP's initial
	// sequence numbers), by protocol.
	state []any
	// experts is the tree that reads the packets as tshark does, across
	// packets, for Options.Expert; nil without.
	experts *Tree
}

// textFunc appends the text of layer l (an index in Tree.Layers) and, as
// tcpdump does, usually of the layers after it, by calling p.Layer(l+1).
type textFunc func(p *Printer, l int)

// textFuncs are the protocols' text functions by protocol, registered at
// initialisation (after every field is declared, so the slice covers every
// FieldID).
var textFuncs []textFunc

// registerText makes f the text function of protocol p's layers.
func registerText(p FieldID, f textFunc) {
	if len(textFuncs) < len(registry) {
		textFuncs = append(textFuncs, make([]textFunc, len(registry)-len(textFuncs))...)
	}
	if textFuncs[p] != nil {
		panic("decode: text of " + p.Name() + " registered twice")
	}
	textFuncs[p] = f
}

// recoverPanics turns a panic of a dissector or text function into a
// marked line; the tests switch it off to see the panic.
var recoverPanics = true

// NewPrinter returns a Printer that writes to w.
func NewPrinter(w io.Writer, opt Options) *Printer {
	p := &Printer{output: newOutput(w, opt)}
	p.clock.opt = &p.opt
	p.t.VerifyChecksums = opt.Verbose > 0
	p.t.Stateless = true // tcpdump's text reads the segments' own numbers
	p.t.Tcpdump = true
	p.t.Reassemble = false // nor does it put fragments or messages together
	if opt.Expert {
		p.experts = &Tree{Reassemble: opt.Reassemble}
	}
	return p
}

// Print writes packet data, captured as ci from a link of type link.
func (p *Printer) Print(data []byte, ci gopacket.CaptureInfo, link wire.LinkType) error {
	n, err := p.start(link)
	if err != nil {
		return err
	}
	if p.opt.Number {
		p.b = appendPacketNumber(p.b, p.output.n)
	}
	if bad := appendInvalidHeader(p.b, len(data), ci.Length); len(bad) > len(p.b) {
		p.b = append(bad, '\n')
		return nil
	}
	p.b = p.clock.append(p.b, ci.Timestamp)
	if p.opt.Interface != nil {
		if name, pt, ok := p.opt.Interface(ci); ok {
			p.appendIfMarker(name, uint64(pt))
		}
	}
	stamped := len(p.b)
	if recoverPanics {
		defer func() {
			if r := recover(); r != nil {
				p.b = p.b[:stamped]
				p.b = fmt.Appendf(p.b, "[|decode: %v]\n", r)
			}
		}()
	}
	p.abandoned = false
	p.t.Dissect(data, ci, link, n)
	p.Layer(1)
	if p.experts != nil {
		p.b = p.appendExperts(p.b, data, ci, link, n)
	}
	p.b = append(p.b, '\n')
	p.b = p.appendDumps(p.b)
	return p.end()
}

// Layer appends the text of layer l and, through its text function, of the
// layers after it. A layer with no text function of its own is skipped.
func (p *Printer) Layer(l int) {
	for ; l < len(p.t.Layers); l++ {
		if f := textFuncs[p.t.Nodes[p.t.Layers[l]].Field]; f != nil {
			f(p, l)
			return
		}
	}
}

// Node is the tree node of layer l.
func (p *Printer) Node(l int) int {
	if l < 0 || l >= len(p.t.Layers) {
		return -1
	}
	return int(p.t.Layers[l])
}

// Proto is the protocol of layer l, or 0 past the last layer.
func (p *Printer) Proto(l int) FieldID {
	if l < 0 || l >= len(p.t.Layers) {
		return 0
	}
	return p.t.Nodes[p.t.Layers[l]].Field
}

// State is the value protocol key keeps between packets, made by mk the
// first time.
func (p *Printer) State(key FieldID, mk func() any) any {
	if int(key) >= len(p.state) {
		p.state = append(p.state, make([]any, len(registry)-len(p.state))...)
	}
	s := p.state[key]
	if s == nil {
		s = mk()
		p.state[key] = s
	}
	return s
}

// Append writes s to the line.
func (p *Printer) Append(s string) { p.b = append(p.b, s...) }

// printsAddresses holds the protocols whose text function prints the network
// addresses of the IP layer below it, with its ports ("10.0.0.1.80 >
// 10.0.0.2.5000: "); the IP text functions leave the addresses to them.
var printsAddresses []bool

// setPrintsAddresses adds p to printsAddresses, at initialisation.
func setPrintsAddresses(p FieldID) {
	if len(printsAddresses) < len(registry) {
		printsAddresses = append(printsAddresses, make([]bool, len(registry)-len(printsAddresses))...)
	}
	printsAddresses[p] = true
}

// appendPacketNumber appends n right-aligned in five columns and two
// spaces, as tcpdump -# starts a line (wider numbers push the line right).
func appendPacketNumber(b []byte, n int) []byte {
	for w := 10000; w > 1 && n < w; w /= 10 {
		b = append(b, ' ')
	}
	b = strconv.AppendInt(b, int64(n), 10)
	return append(b, "  "...)
}

// appendInvalidHeader writes the line tcpdump prints instead of a packet
// whose capture header cannot be right (nothing captured, nothing on the
// wire, more captured than sent, more than the largest snapshot length), and
// nothing for a sound header.
func appendInvalidHeader(b []byte, caplen, length int) []byte {
	start := len(b)
	b = append(b, "[Invalid header: "...)
	mark := len(b)
	sep := func(b []byte) []byte {
		if len(b) > mark {
			b = append(b, ", "...)
		}
		return b
	}
	if caplen == 0 {
		b = append(b, "caplen==0"...)
	}
	if length == 0 {
		b = append(sep(b), "len==0"...)
	}
	if caplen > maxSnaplen {
		b = append(sep(b), "caplen("...)
		b = strconv.AppendInt(b, int64(caplen), 10)
		b = append(b, ") > 262144"...)
	}
	if length > maxSnaplen {
		b = append(sep(b), "len("...)
		b = strconv.AppendInt(b, int64(length), 10)
		b = append(b, ") > 262144"...)
	}
	if length != 0 && length < caplen {
		b = append(sep(b), "len("...)
		b = strconv.AppendInt(b, int64(length), 10)
		b = append(b, ") < caplen("...)
		b = strconv.AppendInt(b, int64(caplen), 10)
		b = append(b, ')')
	}
	if len(b) == mark {
		return b[:start]
	}
	return append(b, ']')
}

// abandon records that the text stopped where tcpdump abandons the packet:
// the dumps that follow start at the frame's first byte.
func (p *Printer) abandon() { p.abandoned = true }
