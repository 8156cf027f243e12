package display

import (
	"github.com/sockscope/sockscope/decode"
	"github.com/sockscope/sockscope/decode/caret"
)

// Error is a bad expression: what is wrong and where.
type Error struct {
	Expr   string
	Offset int // byte offset in Expr of the token at fault
	Msg    string
}

// Column is the 1-based character position the error points at.
func (e *Error) Column() int { return caret.Column(e.Expr, e.Offset) }

// Error is "display filter: MSG at column N", then the expression, then a
// caret under the column, on three lines, as capture/filter's errors are.
func (e *Error) Error() string {
	return caret.Report("display filter", e.Msg, e.Expr, e.Offset)
}

// suggest is up to three registry or either-way names nearest name, for
// "did you mean".
func suggest(name string) []string {
	var names []string
	decode.Fields(func(_ decode.FieldID, f *decode.Field) { names = append(names, f.Name) })
	for _, a := range eitherWay {
		names = append(names, a.name)
	}
	return decode.Nearest(name, names, 3)
}
