package commands

import (
	"errors"
	"io"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/sockscope/sockscope/capture/filter"
	"github.com/sockscope/sockscope/decode/wire"
)

// filterFlags are the flags that print a command's compiled filter, with
// tcpdump's letters, and -F.
func filterFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "d", Usage: "print the compiled filter program and exit (-dd: as C array lines, -ddd: as decimal numbers)"},
		filterFileFlag(),
	}
}

// filterFileFlag is -F, tcpdump's letter for a filter kept in a file.
func filterFileFlag() cli.Flag {
	return &cli.StringFlag{Name: "F", Usage: "read the filter expression from `FILE` (# starts a comment to the end of a line), instead of the command line"}
}

// filterExpression is the filter: the trailing arguments joined with
// spaces, as tcpdump joins them, or the text of -F's file, its comments
// left out; ok is false when there is none. A file beside an expression on
// the command line is a usage error (tcpdump ignores the expression).
func filterExpression(c *cli.Context) (expr string, ok bool, err error) {
	if file := c.String("F"); c.IsSet("F") {
		if c.NArg() > 0 {
			return "", false, usageErrorf("-F %s and the expression %q: give the filter in the file or on the command line, not both", file, strings.Join(c.Args().Slice(), " "))
		}
		b, err := os.ReadFile(file)
		if err != nil {
			return "", false, usageErrorf("-F: %v", err)
		}
		expr = stripFilterComments(string(b))
		return expr, expr != "", nil
	}
	if c.NArg() == 0 {
		return "", false, nil
	}
	return strings.Join(c.Args().Slice(), " "), true, nil
}

// stripFilterComments is the text of a filter file without its comments
// (from # to the end of the line), its lines joined by spaces, trimmed.
func stripFilterComments(text string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if j := strings.IndexByte(l, '#'); j >= 0 {
			l = l[:j]
		}
		lines[i] = l
	}
	return strings.TrimSpace(strings.Join(lines, " "))
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
