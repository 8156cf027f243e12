package display

import (
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode"
	"github.com/sockscope/sockscope/decode/wire"
)

// Selector runs a Filter on raw packets: it dissects each into a tree of
// its own and matches it. Its Select method is the shape of capture.Loop's
// Select hook.
type Selector struct {
	Filter *Filter
	// Number, if not nil, is the packet's number in its input, counting
	// from 1 (capture.Loop's Read), so that frame.number means what it
	// means to tshark even after a capture filter dropped packets; without
	// it the Selector counts the packets it sees.
	Number func() int
	// Position, if not nil, gives the input's first and previous
	// timestamps (capture.Loop's First and Previous), for
	// frame.time_relative and frame.time_delta; without it they are those
	// of the packets the Selector sees.
	Position func() decode.Position
	// VerifyChecksums is passed on to the tree, for the checksum status
	// fields; tshark leaves checksums unverified by default.
	VerifyChecksums bool
	// Reassemble is passed on to the tree (decode.Tree.Reassemble): IP
	// fragments and TCP-carried messages put back together, as tshark does
	// by default.
	Reassemble bool

	tree  decode.Tree
	ready bool // the tree's Want is set
	seen  int
	// shown is the timestamp of the last packet selected, for
	// frame.time_delta_displayed; zero before the first.
	shown time.Time
}

// Select reports whether the filter selects the packet.
func (s *Selector) Select(data []byte, ci gopacket.CaptureInfo, link wire.LinkType) bool {
	s.seen++
	n := s.seen
	if s.Number != nil {
		n = s.Number()
	}
	s.init()
	s.tree.Dissect(data, ci, link, n)
	if s.Position != nil {
		pos := s.Position()
		s.tree.First, s.tree.Previous = pos.First, pos.Previous
	}
	// Before the first packet selected, none was displayed:
	// frame.time_delta_displayed is then 0 (a zero Displayed is the
	// packet's own time), as tshark -Y gives it.
	s.tree.Displayed = s.shown
	ok := s.Filter.Match(&s.tree)
	if ok {
		s.shown = ci.Timestamp
	}
	return ok
}

// Tree is the dissection of the last packet Select saw. Before the first,
// it is the tree Select will dissect into, which wants (decode.Tree.Want)
// what the filter reads: a reader of its packets that reads more tells it
// (decode.Want.Union).
func (s *Selector) Tree() *decode.Tree {
	s.init()
	return &s.tree
}

// init sets up the tree from the Selector's fields, once.
func (s *Selector) init() {
	if !s.ready {
		s.tree.Want, s.ready = s.Filter.Want(), true
	}
	s.tree.VerifyChecksums = s.VerifyChecksums
	s.tree.Reassemble = s.Reassemble
}
