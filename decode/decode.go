package decode

import (
	"fmt"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// TimeFormat selects how the timestamp of each line is printed, as tcpdump's
// -t flags do.
type TimeFormat int

// The timestamp forms, in the order of tcpdump's repeated -t flag.
const (
	TimeDefault    TimeFormat = iota // 15:04:05.000000 in the local zone
	TimeNone                         // -t
	TimeUnix                         // -tt: seconds since the epoch
	TimeDelta                        // -ttt: since the previous packet
	TimeDate                         // -tttt: date and time in the local zone
	TimeSinceFirst                   // -ttttt: since the first packet
)

// Options are the output flags shared by decode and capture; their letters are
// tcpdump's.
type Options struct {
	Link     bool       // -e: print the link-level header
	Verbose  int        // -v, -vv, -vvv
	Quiet    bool       // -q: less protocol information
	Hex      int        // -x (1) and -xx (2, with the link header)
	HexASCII int        // -X (1) and -XX (2, with the link header)
	ASCII    int        // -A (1) and -AA (2, with the link header)
	Time     TimeFormat // -t...
	// Nano prints nanoseconds instead of microseconds (tcpdump --nano); without
	// it, nanosecond timestamps are cut to microseconds.
	Nano bool
	// Location is the zone of TimeDefault and TimeDate; nil means time.Local.
	Location *time.Location
	// IfName names a network interface by index, for Linux cooked v2 headers,
	// as tcpdump does by looking it up on the machine that reads the file.
	// nil, or ok false, prints "?".
	IfName func(index int) (name string, ok bool)
	// Interface, if not nil, says which interface a packet came from and
	// which way it went (a Linux packet type: 0 in, 4 out...), which the
	// text prints after the timestamp as tcpdump -i any does ("eth0  In  "):
	// for a capture on several interfaces. ok false prints nothing.
	Interface func(ci gopacket.CaptureInfo) (name string, pktType uint8, ok bool)
	// Position, if not nil, says where each packet printed stands in its
	// input, for a caller that reads packets it does not print (a display
	// filter): frame numbers, and -T fields' frame.time_relative and
	// frame.time_delta, are then the input's, as tshark gives them under
	// -Y. nil: the packets printed are the input.
	Position func() Position
	// Reassemble puts IP fragments and TCP-carried messages back together
	// as tshark does by default (Tree.Reassemble), for the printers that
	// print tshark's fields (JSON, -T fields); tcpdump's text never does.
	Reassemble bool
	// Expert appends to each line of the text the packet's TCP analysis
	// items in brackets, as tshark's Info column gives them (expert_text.go).
	Expert bool
	// Number starts each line of the text with the count of packets
	// printed so far, this one included, right-aligned in five columns and
	// two spaces, as tcpdump -# does.
	Number bool
}

// Position is where a packet stands in its input.
type Position struct {
	Number int       // counting from 1
	First  time.Time // the input's first packet's timestamp
	// Previous is the timestamp of the packet read before this one (this
	// one's own for the first).
	Previous time.Time
}

// UnsupportedLinkError is a packet of a link type decode does not read.
type UnsupportedLinkError struct{ Link wire.LinkType }

func (e *UnsupportedLinkError) Error() string {
	return fmt.Sprintf("unsupported link type %d; sockscope reads Ethernet, Linux cooked v1/v2, raw IP, BSD loopback, 802.11 (bare or radiotap), PPP, Cisco HDLC, Frame Relay and SLIP captures", uint32(e.Link))
}

// Supported reports whether the printer decodes packets of link type l.
// It answers as tcpdump on Linux does: LINKTYPE 14 is raw IP only on OpenBSD,
// and tcpdump on Linux refuses it ("unknown data link type 14").
func Supported(l wire.LinkType) bool {
	return LinkTypes.Lookup(uint32(l)) != nil
}

// CheckLink is nil when the printer decodes link type l, and says so
// otherwise.
func CheckLink(l wire.LinkType) error {
	if Supported(l) {
		return nil
	}
	return &UnsupportedLinkError{Link: l}
}

// maxSnaplen is the largest snapshot length tcpdump accepts (262144 bytes):
// a file or packet header that claims more is invalid.
const maxSnaplen = 262144
