package commands

import (
	"errors"

	"github.com/urfave/cli/v2"

	"github.com/sockscope/sockscope/capture"
	"github.com/sockscope/sockscope/decode/display"
)

// displayFlags are the flags of a display filter, with tshark's letter.
func displayFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "Y", Usage: "print or write only the packets the display filter `EXPR` selects (Wireshark's display-filter language, as tshark -Y reads it; runs after FILTER)"},
	}
}

// compileDisplay compiles -Y, nil when it is not given: a bad expression is
// a usage error (exit 2), printed with a caret under its column.
func compileDisplay(c *cli.Context) (*display.Filter, error) {
	if !c.IsSet("Y") {
		return nil, nil
	}
	f, err := display.Compile(c.String("Y"))
	if err != nil {
		return nil, displayError(err)
	}
	return f, nil
}

// selectDisplay makes f, if not nil, loop's Select. Frames are numbered by
// their place in the input (loop.Read), as tshark numbers them.
func selectDisplay(loop *capture.Loop, f *display.Filter) {
	if f == nil {
		return
	}
	sel := &display.Selector{Filter: f, Number: func() int { return loop.Read }}
	loop.Select = sel.Select
}

// setDisplayFilter compiles -Y, when given, into loop's Select.
func setDisplayFilter(c *cli.Context, loop *capture.Loop) error {
	f, err := compileDisplay(c)
	if err != nil {
		return err
	}
	selectDisplay(loop, f)
	return nil
}

// displayError makes a bad display filter a usage error.
func displayError(err error) error {
	var de *display.Error
	if errors.As(err, &de) {
		return &UsageError{Err: de}
	}
	return err
}
