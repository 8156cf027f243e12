package replay

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/capture"
	"github.com/sockscope/sockscope/capture/filter"
	"github.com/sockscope/sockscope/decode"
	"github.com/sockscope/sockscope/decode/display"
	"github.com/sockscope/sockscope/decode/flow"
	"github.com/sockscope/sockscope/decode/wire"
)

// Selector picks the conversation of a file that Converse replays.
type Selector struct {
	// Flow is the conversation's number, as ListFlows gives it (counted
	// among the packets Filter accepts, if there is a filter). 0 picks
	// the first.
	Flow int
	// Filter, if not empty, is a pcap-filter expression: only the packets
	// it accepts make conversations. A bad one is a *filter.Error.
	Filter string
	// Display, if not nil, is a display filter: of the packets Filter
	// accepts, only those it selects make conversations.
	Display *display.Filter
	// Match, if not nil, is asked about each packet too (after Filter):
	// only those it accepts make conversations.
	Match func(data []byte, ci gopacket.CaptureInfo) bool
}

// ListFlows returns the TCP and UDP conversations of the capture at path
// ("-" for standard input) among the packets sel's Filter and Match
// accept (all if neither is given), numbered as Selector.Flow counts them,
// and the time of the capture's first packet, from which tshark's
// conversation tables count their starts. sel.Flow is not used.
func ListFlows(path string, sel Selector) ([]flow.Conversation, time.Time, error) {
	t, origin, err := readFlows(path, sel, 0)
	if err != nil {
		return nil, time.Time{}, err
	}
	return t.Conversations(), origin, nil
}

// readFlows reads the packets sel selects into a flow table that follows
// conversation follow (0: none); origin is the first packet's time, of
// all the capture's packets.
func readFlows(path string, sel Selector, follow int) (t *flow.Table, origin time.Time, err error) {
	r, err := capture.Open(path)
	if err != nil {
		return nil, origin, fmt.Errorf("replay: %w", err)
	}
	defer r.Close()
	t = flow.NewTable()
	if follow != 0 {
		t.Follow(follow)
	}
	loop := capture.Loop{Check: decode.CheckLink}
	if sel.Filter != "" {
		loop.Filter = filter.NewPerLink(sel.Filter)
	}
	selectDisplay(&loop, sel.Display)
	_, err = loop.Run(r, func(data []byte, ci gopacket.CaptureInfo, link wire.LinkType) error {
		if sel.Match == nil || sel.Match(data, ci) {
			t.Add(link, data, ci)
		}
		return nil
	})
	var fe *filter.Error
	switch {
	case errors.As(err, &fe):
		return nil, loop.First, err
	case err != nil:
		return nil, loop.First, fmt.Errorf("replay: %s: %w", path, err)
	}
	return t, loop.First, nil
}

// WriteFlows prints conversations as a table, one line each: the number
// --flow takes, the protocol, client and server, packets and payload bytes
// each way, the start (from origin, the capture's first packet as
// ListFlows gives it, as tshark's -z conv counts them; the zero time: from
// the first conversation's) and the duration.
func WriteFlows(w io.Writer, flows []flow.Conversation, origin time.Time) error {
	if len(flows) == 0 {
		_, err := fmt.Fprintln(w, "no TCP or UDP conversations")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "flow\tproto\tclient\t\tserver\tpackets\tclient bytes\tserver bytes\tstart\tduration\t")
	t0 := origin
	if t0.IsZero() {
		t0 = flows[0].Start
	}
	for _, c := range flows {
		arrow := "->"
		if !c.Handshake && c.Proto == flow.TCP {
			arrow = "?>" // no SYN seen: the client is a guess
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d/%d\t%d\t%d\t%.6f\t%s\t\n", c.Index, c.Proto, c.Client, arrow, c.Server,
			c.Packets[flow.FromClient], c.Packets[flow.FromServer], c.Payload[flow.FromClient], c.Payload[flow.FromServer],
			c.Start.Sub(t0).Seconds(), roundDuration(c.Duration))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, c := range flows {
		if !c.Handshake && c.Proto == flow.TCP {
			_, err := fmt.Fprintln(w, "?> : the capture has no SYN for this connection; the client is the first sender")
			return err
		}
	}
	return nil
}

// roundDuration keeps three significant places of a duration.
func roundDuration(d time.Duration) string {
	switch {
	case d == 0:
		return "0s"
	case d < time.Millisecond:
		return d.Round(time.Microsecond).String()
	case d < time.Second:
		return d.Round(10 * time.Microsecond).String()
	}
	return strings.TrimSuffix(d.Round(time.Millisecond).String(), ".000")
}
