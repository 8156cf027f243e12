package capture

import (
	"github.com/sockscope/sockscope/capture/filter"
	"github.com/sockscope/sockscope/decode/wire"
)

// SetFilter compiles the pcap-filter expression expr for a live capture on
// a link of type link (see LinkTypeOf) into cfg: for the kernel to run on
// the socket where it can, and otherwise for Next to run on the packets it
// returns, so that the packets selected are those tcpdump selects. The
// kernel cannot run a program that reads fields of a cooked header it has
// no metadata for, or one longer than it takes; and it must not run one
// that tests VLAN tags on a link whose tags it takes out of the frame
// before the filter runs (Next puts them back). A bad expression is a
// *filter.Error. cfg.Snaplen must be set first: the program returns it.
func (cfg *LiveConfig) SetFilter(expr string, link wire.LinkType) error {
	opt := filter.Options{Live: true, Snaplen: uint32(LiveSnaplen(cfg.Snaplen, link))}
	prog, err := filter.CompileOptions(expr, link, opt)
	if err != nil {
		return err
	}
	kernel, ok, err := filter.KernelProgram(prog, link)
	if err != nil {
		return err
	}
	m, err := filter.NewMatcher(prog)
	if err != nil {
		return err
	}
	tagsRestored := link == wire.LinkEthernet || link == wire.LinkLinuxSLL
	if ok && !(tagsRestored && filter.MentionsVLAN(expr)) {
		// The kernel runs it; if it refuses, the same program runs here.
		cfg.Filter, cfg.Fallback = kernel, m
		return nil
	}
	cfg.Match = m
	return nil
}
