package commands

import (
	"io"

	"github.com/google/gopacket"
	"github.com/urfave/cli/v2"

	"github.com/sockscope/sockscope/capture"
	"github.com/sockscope/sockscope/decode"
	"github.com/sockscope/sockscope/decode/wire"
)

// outputFlags are the output flags that decode and capture share, with tcpdump's letters.
func outputFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "n", Usage: "don't convert addresses or ports to names (sockscope never does; accepted for tcpdump's hands)"},
		&cli.BoolFlag{Name: "e", Usage: "print the link-level header on each line"},
		&cli.BoolFlag{Name: "v", Usage: "verbose: more header fields; repeat (-vv, -vvv) for more"},
		&cli.BoolFlag{Name: "q", Usage: "quick output: less protocol information"},
		&cli.BoolFlag{Name: "x", Usage: "print each packet in hex, without its link header (-xx: with it)"},
		&cli.BoolFlag{Name: "X", Usage: "print each packet in hex and ASCII, without its link header (-XX: with it)"},
		&cli.BoolFlag{Name: "A", Usage: "print each packet in ASCII, without its link header (-AA: with it)"},
		&cli.BoolFlag{Name: "t", Usage: "timestamps: -t none, -tt unix seconds, -ttt delta to previous, -tttt date and time, -ttttt since first"},
		&cli.BoolFlag{Name: "nano", Usage: "print timestamps with nanoseconds"},
		&cli.BoolFlag{Name: "json", Usage: "print one JSON object per packet per line (see README)"},
	}
}

// printer is what decode and capture print packets with: text or JSON.
type printer interface {
	Print(data []byte, ci gopacket.CaptureInfo, link wire.LinkType) error
	Flush() error
}

// newPrinter builds the text or JSON printer the output flags select.
func newPrinter(c *cli.Context, w io.Writer) (printer, error) {
	if c.Count("t") > 5 {
		return nil, usageErrorf("-t given %d times; at most -ttttt", c.Count("t"))
	}
	opt := decode.Options{
		Link:     c.Bool("e"),
		Verbose:  c.Count("v"),
		Quiet:    c.Bool("q"),
		Hex:      c.Count("x"),
		HexASCII: c.Count("X"),
		ASCII:    c.Count("A"),
		Time:     decode.TimeFormat(c.Count("t")),
		Nano:     c.Bool("nano"),
		IfName:   interfaceName,
	}
	if c.Bool("json") {
		return decode.NewJSONPrinter(w, opt), nil
	}
	return decode.NewPrinter(w, opt), nil
}

// interfaceName names an interface of this machine by index, as tcpdump's
// if_indextoname does for Linux cooked v2 headers; it looks each index up once.
func interfaceName(index int) (string, bool) {
	return capture.InterfaceName(index)
}
