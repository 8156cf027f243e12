package filter

import "github.com/sockscope/sockscope/decode/wire"

// PerLink is one expression for a file whose packets come from interfaces
// of several kinds (a pcapng file can mix link types and byte orders): it
// compiles a program for each kind when first asked, and keeps it.
type PerLink struct {
	expr  string
	progs []linkMatcher
	last  int // index in progs of the one asked for last
}

type linkMatcher struct {
	link      wire.LinkType
	bigEndian bool
	snaplen   uint32
	m         *Matcher
}

// NewPerLink prepares expr; nothing is compiled until Matcher is called.
func NewPerLink(expr string) *PerLink { return &PerLink{expr: expr} }

// Expression is the expression the matchers run.
func (p *PerLink) Expression() string { return p.expr }

// Matcher returns the matcher for packets of link type link from a file
// written in the given byte order by an interface with snapshot length
// snaplen (0 or more than DefaultSnaplen: DefaultSnaplen, as libpcap
// gives a file's filter). A bad expression is an *Error.
func (p *PerLink) Matcher(link wire.LinkType, bigEndian bool, snaplen uint32) (*Matcher, error) {
	if snaplen == 0 || snaplen > DefaultSnaplen {
		snaplen = DefaultSnaplen
	}
	if p.last < len(p.progs) {
		if l := p.progs[p.last]; l.link == link && l.bigEndian == bigEndian && l.snaplen == snaplen {
			return l.m, nil
		}
	}
	for i, l := range p.progs {
		if l.link == link && l.bigEndian == bigEndian && l.snaplen == snaplen {
			p.last = i
			return l.m, nil
		}
	}
	prog, err := CompileOptions(p.expr, link, Options{Snaplen: snaplen, BigEndian: bigEndian})
	if err != nil {
		return nil, err
	}
	m, err := NewMatcher(prog)
	if err != nil {
		return nil, err
	}
	p.progs = append(p.progs, linkMatcher{link, bigEndian, snaplen, m})
	p.last = len(p.progs) - 1
	return m, nil
}
