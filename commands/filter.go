package commands

import (
	"errors"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/sockscope/sockscope/capture/filter"
	"github.com/sockscope/sockscope/decode/wire"
)

// filterFlags are the flags that print a command's compiled filter, with
// tcpdump's letters.
func filterFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "d", Usage: "print the compiled filter program and exit (-dd: as C array lines, -ddd: as decimal numbers)"},
	}
}

// filterExpression is the trailing arguments joined with spaces, as tcpdump
// joins them; ok is false when there are none.
func filterExpression(c *cli.Context) (expr string, ok bool) {
	if c.NArg() == 0 {
		return "", false
	}
	return strings.Join(c.Args().Slice(), " "), true
}

// filterError makes a bad expression a usage error (exit status 2), which
// prints as "filter: ... at column N", the expression and a caret under the
// column. Other errors (a link type the compiler has no offsets for) are
// the input's, and exit 1.
func filterError(err error) error {
	var fe *filter.Error
	if errors.As(err, &fe) {
		return &UsageError{Err: fe}
	}
	return err
}

// dumpFilter writes the program for expr as tcpdump -d, -dd or -ddd does.
func dumpFilter(w io.Writer, expr string, link wire.LinkType, opt filter.Options, level int) error {
	prog, err := filter.CompileOptions(expr, link, opt)
	if err != nil {
		return filterError(err)
	}
	raw, err := filter.Assemble(prog)
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, filter.Dump(raw, level))
	return err
}

// effectiveSnaplen is the snapshot length libpcap gives a file's filter:
// 0 or more than the maximum means the maximum.
func effectiveSnaplen(snaplen uint32) uint32 {
	if snaplen == 0 || snaplen > filter.DefaultSnaplen {
		return filter.DefaultSnaplen
	}
	return snaplen
}
