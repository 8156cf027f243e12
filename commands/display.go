package commands

import (
	"errors"

	"github.com/urfave/cli/v2"

	"github.com/sockscope/sockscope/capture"
	"github.com/sockscope/sockscope/decode"
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

// selectDisplay makes f, if not nil, loop's Select, and returns its
// Selector (nil without f). Frames are numbered by their place in the
// input (loop.Read), as tshark numbers them.
func selectDisplay(loop *capture.Loop, f *display.Filter, reassemble bool) *display.Selector {
	if f == nil {
		return nil
	}
	sel := &display.Selector{Filter: f, Number: func() int { return loop.Read }, Reassemble: reassemble,
		Position: func() decode.Position {
			return decode.Position{Number: loop.Read, First: loop.First, Previous: loop.Previous}
		}}
	loop.Select = sel.Select
	return sel
}

// setDisplayFilter compiles -Y, when given, into loop's Select.
func setDisplayFilter(c *cli.Context, loop *capture.Loop) (*display.Selector, error) {
	f, err := compileDisplay(c)
	if err != nil {
		return nil, err
	}
	return selectDisplay(loop, f, reassemble(c)), nil
}

// followSelector makes out's tree, when out prints from one, keep its
// cross-packet state (TCP streams, relative sequence numbers) in sel's,
// which sees every packet: what out prints of the packets sel selects is
// then what tshark -Y prints. Nothing without sel.
func followSelector(sel *display.Selector, out any) {
	if sel == nil {
		return
	}
	if f, ok := out.(interface{ FollowTree(*decode.Tree) }); ok {
		f.FollowTree(sel.Tree()) // prints from sel's tree: no second dissection
		return
	}
	if t, ok := out.(interface{ Tree() *decode.Tree }); ok {
		own, st := t.Tree(), sel.Tree()
		own.ShareState(st)
		// Both trees dissect every packet sel selects with one state: each
		// does the work across packets the other's reader needs.
		own.Want = own.Want.Union(st.Want)
		st.Want = own.Want
	}
}

// displayError makes a bad display filter a usage error.
func displayError(err error) error {
	var de *display.Error
	if errors.As(err, &de) {
		return &UsageError{Err: de}
	}
	return err
}
