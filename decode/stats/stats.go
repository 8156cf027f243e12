// Package stats computes tshark's statistics (-z) over dissected packets:
// conversations, endpoints, the protocol hierarchy, I/O intervals and the
// expert summary, each a Table that reads every packet's tree, in order,
// and writes tshark's table at the end (its layout and numbers, so that a
// user can diff the two) or a value for JSON.
//
// Like decode, it is a pure function of the trees it is given: it opens no
// file and no socket. Its oracle tests compare each table with tshark's on
// the captures of testdata/ and the corpus.
package stats

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/sockscope/sockscope/decode"
)

// A Table is one -z statistic.
type Table interface {
	// Add counts one packet, given its dissection (t.Number and t.CI say
	// which packet and when).
	Add(t *decode.Tree)
	// WriteText writes the table as tshark -q -z writes it.
	WriteText(w io.Writer) error
	// JSON is the table as a value encoding/json writes, for scripts.
	JSON() any
}

// A maker makes the Table of one -z spec: args are the spec's words after
// its name ("tcp" for "conv,tcp"), filter the display filter the spec
// carries or was given ("" for none: tshark prints "<No Filter>").
type maker func(args []string, filter string) (Table, error)

// makers are the -z names, longest first when one is a prefix of another
// ("io,stat" before "io").
var makers = map[string]maker{}

// register declares a -z name, at package initialisation.
func register(name string, m maker) {
	if _, dup := makers[name]; dup {
		panic("stats: -z " + name + " registered twice")
	}
	makers[name] = m
}

// Names are the -z names New knows, sorted.
func Names() []string {
	var names []string
	for n := range makers {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// New makes the Table of spec, a -z argument as tshark takes it
// ("conv,tcp", "endpoints,ip", "io,phs", "io,stat,1,tcp", "expert"); filter
// is the display filter the packets were selected with ("" for none).
func New(spec, filter string) (Table, error) {
	best := ""
	for name := range makers {
		if (spec == name || strings.HasPrefix(spec, name+",")) && len(name) > len(best) {
			best = name
		}
	}
	if best == "" {
		return nil, fmt.Errorf("-z %s: not a statistic sockscope computes (it computes %s)", spec, strings.Join(Names(), ", "))
	}
	var args []string
	if rest := strings.TrimPrefix(spec, best); rest != "" {
		args = strings.Split(rest[1:], ",")
	}
	return makers[best](args, filter)
}
