package stats

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/sockscope/sockscope/decode"
	"github.com/sockscope/sockscope/decode/display"
)

// -z expert: the expert items of every packet (decode's Tree.Experts),
// counted by severity, group, protocol and message, as tshark's
// "-z expert" table: a section per severity, the most severe first, each
// row a distinct item with how often it came, rows in the order each was
// first seen. tshark's -z expert,LEVEL (error, warn, note, chat, comment)
// keeps the items of that severity and above, and -z expert,FILTER or
// expert,LEVEL,FILTER only the items of the packets FILTER selects. As tshark's, it leaves out
// the items of a packet an ICMP error quotes.
//
// What it counts is what decode dissects: the TCP analysis and connection
// items, HTTP's request and response lines, pcapng packet comments
// (section Comments, group Comment, protocol Frame) and the header checks
// of Ethernet, IPv4, IPv6, UDP and ICMP (decode/expert.go). tshark's items
// for faults and protocols decode does not read as it does (malformed
// packets, other protocols' checks) have no rows here.

func init() { register("expert", newExpert) }

// expertLevels are the words of -z expert,LEVEL.
var expertLevels = map[string]decode.Severity{
	"error": decode.SeverityError, "warn": decode.SeverityWarning, "note": decode.SeverityNote,
	"chat": decode.SeverityChat, "comment": decode.SeverityComment,
}

// expertSections are the severities in the order of the table, with the
// title of each section.
var expertSections = []struct {
	severity decode.Severity
	title    string
}{
	{decode.SeverityError, "Errors"}, {decode.SeverityWarning, "Warns"}, {decode.SeverityNote, "Notes"},
	{decode.SeverityChat, "Chats"}, {decode.SeverityComment, "Comments"},
}

type expertKey struct {
	severity decode.Severity
	group    decode.ExpertGroup
	protocol string
	summary  string
}

// expertTable is -z expert.
type expertTable struct {
	min   decode.Severity
	match *display.Filter // the spec's own filter, nil when it has none
	rows  []expertKey     // in the order first seen
	count map[expertKey]int
	buf   []byte
}

// newExpert reads -z expert[,LEVEL][,FILTER] as tshark does: a first word
// that is a level (in any case) is one, the rest, commas and all, is a
// display filter selecting the packets whose items are counted.
func newExpert(args []string, filter string) (Table, error) {
	t := &expertTable{min: decode.SeverityComment, count: map[expertKey]int{}}
	if len(args) > 0 {
		if s, ok := expertLevels[strings.ToLower(args[0])]; ok {
			t.min = s
			args = args[1:]
		}
	}
	if expr := strings.Join(args, ","); expr != "" {
		f, err := display.Compile(expr)
		if err != nil {
			return nil, fmt.Errorf("-z expert: filter %q is not one sockscope reads (a level is one of error, warn, note, chat, comment): %w", expr, err)
		}
		t.match = f
	}
	return t, nil
}

// Add counts the expert items of one packet.
func (x *expertTable) Add(t *decode.Tree) {
	if x.match != nil && !x.match.Match(t) || t.Link == 8 {
		return // tshark does not read SLIP (8): no items but the frame's
	}
	thrown := false // a dissector gave the exception's item itself
	t.Experts(func(e decode.Expert) bool {
		if e.Severity < x.min || e.Quoted {
			return true
		}
		x.buf = t.AppendSummary(x.buf[:0], e)
		thrown = thrown || string(x.buf) == exceptionSummary
		k := expertKey{e.Severity, e.Group, e.Protocol, string(x.buf)}
		if x.count[k] == 0 {
			x.rows = append(x.rows, k)
		}
		x.count[k]++
		return true
	})
	if i, short, ok := exception(t); ok && !short && !thrown && decode.SeverityError >= x.min {
		// tshark's item for a packet whose bytes contradict a protocol,
		// or end before its header does.
		k := expertKey{decode.SeverityError, decode.GroupMalformed, decode.ShortName(t.Nodes[t.Layers[i]].Field), exceptionSummary}
		if x.count[k] == 0 {
			x.rows = append(x.rows, k)
		}
		x.count[k]++
	}
}

// exceptionSummary is the message of tshark's item for an exception.
const exceptionSummary = "Malformed Packet (Exception occurred)"

// exception is the layer (an index of t.Layers) where tshark's dissection
// of the packet ends before its bytes do, and whether they ran out where the
// capture cut the frame (short) rather than where the frame ended or a
// length said (malformed); ok is false when the dissection ended whole. The
// same ends put _ws.short and _ws.malformed in the hierarchy (Hierarchy.Add).
func exception(t *decode.Tree) (i int, short, ok bool) {
	if len(t.Layers) < 2 {
		return 0, false, false
	}
	short = t.CI.Length > t.CI.CaptureLength
	if t.CI.CaptureLength == 0 || t.Link == 1 && t.CI.CaptureLength < 14 {
		return 1, short, true
	}
	i = len(t.Layers) - 1
	nd := &t.Nodes[t.Layers[i]]
	switch {
	case nd.Flags&decode.Malformed != 0 && nd.Flags&decode.Nested == 0:
		return i, false, true
	case nd.Flags&decode.Truncated != 0, nd.Flags&decode.Malformed != 0:
		return i, short, true
	case i > 1 && int(nd.Off) >= t.CI.CaptureLength && int(nd.Off) < t.CI.Length:
		return i, short, true
	}
	return 0, false, false
}

// WriteText writes the table as tshark -q -z expert does: nothing when no
// packet had an item.
func (x *expertTable) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for _, s := range expertSections {
		n := 0
		for _, k := range x.rows {
			if k.severity == s.severity {
				n += x.count[k]
			}
		}
		if n == 0 {
			continue
		}
		fmt.Fprintf(bw, "\n%s (%d)\n=============\n", s.title, n)
		fmt.Fprintf(bw, "%12s %10s %18s  %s\n", "Frequency", "Group", "Protocol", "Summary")
		for _, k := range x.rows {
			if k.severity == s.severity {
				fmt.Fprintf(bw, "%12d %10s %18s  %s\n", x.count[k], k.group, k.protocol, k.summary)
			}
		}
	}
	return bw.Flush()
}

// expertJSONRow is one row of the table in JSON.
type expertJSONRow struct {
	Severity  string `json:"severity"`
	Group     string `json:"group"`
	Protocol  string `json:"protocol"`
	Summary   string `json:"summary"`
	Frequency int    `json:"frequency"`
}

// JSON is the rows, the most severe first, then in the order first seen.
func (x *expertTable) JSON() any {
	rows := []expertJSONRow{}
	for _, s := range expertSections {
		for _, k := range x.rows {
			if k.severity == s.severity {
				rows = append(rows, expertJSONRow{k.severity.String(), k.group.String(), k.protocol, k.summary, x.count[k]})
			}
		}
	}
	return rows
}
