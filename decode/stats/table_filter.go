package stats

import (
	"fmt"
	"strings"

	"github.com/sockscope/sockscope/decode"
	"github.com/sockscope/sockscope/decode/display"
)

// A tableFilter is the display filter of a conversation or endpoint
// table: tshark's -z conv,TYPE,FILTER counts only the packets FILTER
// selects (and -Y's packets arrive selected already).
type tableFilter struct {
	text  string          // what the table's Filter line shows; "" for none
	match *display.Filter // the spec's own filter, nil when it has none
}

// newTableFilter reads the filter of a spec whose words after the TYPE are
// rest (a filter may hold commas: they are joined back), or else the -Y
// filter the packets were selected with.
func newTableFilter(stat string, args []string, selected string) (tableFilter, error) {
	if len(args) < 2 {
		return tableFilter{text: selected}, nil
	}
	expr := strings.Join(args[1:], ",")
	f, err := display.Compile(expr)
	if err != nil {
		return tableFilter{}, fmt.Errorf("-z %s,%s,%s: %w", stat, args[0], expr, err)
	}
	return tableFilter{text: expr, match: f}, nil
}

// selects reports whether the table counts the packet.
func (f *tableFilter) selects(t *decode.Tree) bool { return f.match == nil || f.match.Match(t) }

// line is the table's Filter line.
func (f *tableFilter) line() string {
	if f.text == "" {
		return "Filter:<No Filter>\n"
	}
	return "Filter:" + f.text + "\n"
}
