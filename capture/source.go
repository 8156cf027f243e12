package capture

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/capture/filter"
	"github.com/sockscope/sockscope/decode/wire"
)

// Source is where packets come from: a capture file or standard input
// (*Reader), or a live capture (*Live). One goroutine reads it.
type Source interface {
	// Next returns the next packet, io.EOF at the end. data is valid only
	// until the next call. ci.InterfaceIndex says which interface the
	// packet came from (always 0 but for pcapng files).
	Next() (data []byte, ci gopacket.CaptureInfo, err error)
	// Interface describes interface i, false when there is none (yet: a
	// pcapng file describes its interfaces as it goes).
	Interface(i int) (Interface, bool)
	// Interfaces describes those known so far.
	Interfaces() []Interface
	// Ready reports whether Next has a packet at hand without waiting: when
	// it does not, whoever writes the packets out flushes what it holds, so
	// that a reader at the other end of a pipe sees each one soon.
	Ready() bool
	Close() error
}

var (
	_ Source = (*Reader)(nil)
	_ Source = (*Live)(nil)
	_ Source = (*Multi)(nil)
)

// Handler takes each packet a Loop hands over, with the link type of the
// interface it came from. data is valid only until it returns.
type Handler func(data []byte, ci gopacket.CaptureInfo, link wire.LinkType) error

// ErrStop, returned by a Handler, ends a Loop at once without an error.
var ErrStop = errors.New("capture: stop")

// Loop is the packet loop that decode, capture and replay share (and the
// statistics will): it reads a Source to its end, keeps the packets the
// filter selects, and hands them to a Handler.
type Loop struct {
	// Count ends the loop once this many packets were handed over (those
	// Select selected); 0 means no limit.
	Count int
	// Filter, if not nil, selects the packets in user space, with the
	// program for the link type, byte order and snapshot length of each
	// packet's interface (a file's interfaces may differ in each). A live
	// capture's filter runs in the kernel instead (LiveConfig.Filter).
	Filter *filter.PerLink
	// Select, if not nil, is asked after the filter whether to hand each
	// packet over (a display filter, decode/display's Selector); Read still
	// counts the packets it refuses.
	Select func(data []byte, ci gopacket.CaptureInfo, link wire.LinkType) bool
	// Check, if not nil, is asked once per interface whether its link type
	// can be handled; its error, with the packet's number, ends the loop.
	Check func(wire.LinkType) error
	// Flush, if not nil, is called whenever the source has no packet at
	// hand (and after each packet with FlushEach), so that what the handler
	// wrote reaches its reader while the loop waits for more.
	Flush     func() error
	FlushEach bool

	// Read counts the packets Run read, selected or not; First is the
	// timestamp of the first (tshark counts relative times from it) and
	// Previous that of the one read before the last (the last's own for
	// the first).
	Read            int
	First, Previous time.Time
	last            time.Time
}

// Compile compiles the filter for the interfaces src describes now (those
// whose link type Check accepts), so that a bad expression is reported
// before any output, as tcpdump does.
func (l *Loop) Compile(src Source) error {
	if l.Filter == nil {
		return nil
	}
	for _, d := range src.Interfaces() {
		if l.Check != nil && l.Check(d.LinkType) != nil {
			continue // Run says what is wrong with the input
		}
		if _, err := l.Filter.Matcher(d.LinkType, d.BigEndian, d.Snaplen); err != nil {
			return err
		}
	}
	return nil
}

// Run reads src until it ends (io.EOF), Count packets were handed over or
// h returns ErrStop, and returns how many were handed over. Run does not
// flush at the end: the owner of the output closes it. An error of src,
// of the filter (a *filter.Error), of Check or of h ends the loop.
func (l *Loop) Run(src Source, h Handler) (n int, err error) {
	var ifaces []loopIface // by interface index
	fixed := false         // the interfaces of a live capture never change
	switch src.(type) {
	case *Live, *Multi:
		fixed = true
	}
	l.Read, l.First, l.Previous, l.last = 0, time.Time{}, time.Time{}, time.Time{}
	file, _ := src.(*Reader)
	var ci gopacket.CaptureInfo
	for l.Count == 0 || n < l.Count {
		if l.Flush != nil && !src.Ready() {
			if err := l.Flush(); err != nil {
				return n, err
			}
		}
		var data []byte
		var err error
		if file != nil {
			data, err = file.nextInto(&ci)
		} else {
			data, ci, err = src.Next()
		}
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		if l.Read++; l.Read == 1 {
			l.First, l.last = ci.Timestamp, ci.Timestamp
		}
		l.Previous, l.last = l.last, ci.Timestamp
		// A live capture's interfaces never change; a pcapng file may
		// describe another interface under the same number in a new
		// section, so what is kept of it is checked each time.
		i := ci.InterfaceIndex
		if !fixed || i >= len(ifaces) {
			desc := describe(src, i)
			if i >= len(ifaces) || !ifaces[i].is(desc) {
				if ifaces, err = l.learn(ifaces, i, desc, l.Read); err != nil {
					return n, err
				}
			}
		}
		f := &ifaces[i]
		if f.match != nil && !f.match.Match(data, ci.Length) {
			continue
		}
		if l.Select != nil && !l.Select(data, ci, f.link) {
			continue
		}
		if err := h(data, ci, f.link); err != nil {
			if err == ErrStop {
				return n, nil
			}
			return n, err
		}
		n++
		if l.FlushEach && l.Flush != nil {
			if err := l.Flush(); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// noInterface describes an interface a file does not describe.
var noInterface Interface

// describe is the description of src's interface i, not to be changed: a
// file's own, without a copy, for Run's check of every packet.
func describe(src Source, i int) *Interface {
	if s, ok := src.(*Reader); ok {
		if i < len(s.ifaces) {
			return &s.ifaces[i]
		}
		return &noInterface
	}
	desc, _ := src.Interface(i)
	return &desc
}

// loopIface is what Run keeps of an interface: what the filter's program
// depends on, the link type checked, and the program.
type loopIface struct {
	known     bool
	link      wire.LinkType
	bigEndian bool
	snaplen   uint32
	match     *filter.Matcher
}

func (f *loopIface) is(d *Interface) bool {
	return f.known && f.link == d.LinkType && f.bigEndian == d.BigEndian && f.snaplen == d.Snaplen
}

// learn fills in what Run keeps of interface i, desc, the interface of
// packet number read.
func (l *Loop) learn(ifaces []loopIface, i int, desc *Interface, read int) ([]loopIface, error) {
	for len(ifaces) <= i {
		ifaces = append(ifaces, loopIface{})
	}
	f := loopIface{known: true, link: desc.LinkType, bigEndian: desc.BigEndian, snaplen: desc.Snaplen}
	if l.Check != nil {
		if err := l.Check(f.link); err != nil {
			return ifaces, fmt.Errorf("packet %d: %w", read, err)
		}
	}
	if l.Filter != nil {
		m, err := l.Filter.Matcher(desc.LinkType, desc.BigEndian, desc.Snaplen)
		if err != nil {
			return ifaces, err
		}
		f.match = m
	}
	ifaces[i] = f
	return ifaces, nil
}

// Interface describes interface i of the current section, false when there
// is none (yet).
func (r *Reader) Interface(i int) (Interface, bool) {
	if i < 0 || i >= len(r.ifaces) {
		return Interface{}, false
	}
	return r.ifaces[i], true
}

// Pcapng reports whether the file is pcapng, whose interfaces are described
// (names, ids) rather than implied.
func (r *Reader) Pcapng() bool { return r.ng }

// Ready reports whether a packet is at hand without a read that may wait:
// always, for a file Open prefetches; for standard input and other
// streams, while buffered bytes remain.
func (r *Reader) Ready() bool {
	if b, ok := r.br.(*bufio.Reader); ok {
		return b.Buffered() > 0
	}
	return true
}
