package stats

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/sockscope/sockscope/decode"
)

// -z expert: the expert items of every packet (decode's Tree.Experts),
// counted by severity, group, protocol and message, as tshark's
// "-z expert" table: a section per severity, the most severe first, each
// row a distinct item with how often it came, rows in the order each was
// first seen. tshark's -z expert,LEVEL (error, warn, note, chat, comment)
// keeps the items of that severity and above. As tshark's, it leaves out
// the items of a packet an ICMP error quotes.
//
// What it counts is what decode dissects: the TCP analysis and connection
// items and HTTP's request and response lines. tshark's items for faults
// and protocols decode does not read as it does (malformed packets, other
// protocols' checks, pcapng comments) have no rows here.

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
	rows  []expertKey // in the order first seen
	count map[expertKey]int
	buf   []byte
}

func newExpert(args []string, filter string) (Table, error) {
	t := &expertTable{min: decode.SeverityComment, count: map[expertKey]int{}}
	switch len(args) {
	case 0:
	case 1:
		s, ok := expertLevels[args[0]]
		if !ok {
			return nil, fmt.Errorf("-z expert,%s: the level is one of error, warn, note, chat, comment (give a display filter with -Y)", args[0])
		}
		t.min = s
	default:
		return nil, fmt.Errorf("-z expert,%s: give at most a level (error, warn, note, chat, comment), and a display filter with -Y", strings.Join(args, ","))
	}
	return t, nil
}

// Add counts the expert items of one packet.
func (x *expertTable) Add(t *decode.Tree) {
	t.Experts(func(e decode.Expert) bool {
		if e.Severity < x.min || e.Quoted {
			return true
		}
		x.buf = t.AppendSummary(x.buf[:0], e)
		k := expertKey{e.Severity, e.Group, e.Protocol, string(x.buf)}
		if x.count[k] == 0 {
			x.rows = append(x.rows, k)
		}
		x.count[k]++
		return true
	})
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
