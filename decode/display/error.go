package display

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sockscope/sockscope/decode"
)

// Error is a bad expression: what is wrong and where.
type Error struct {
	Expr   string
	Offset int // byte offset in Expr of the token at fault
	Msg    string
}

// Column is the 1-based character position the error points at.
func (e *Error) Column() int {
	off := min(max(e.Offset, 0), len(e.Expr))
	return utf8.RuneCountInString(e.Expr[:off]) + 1
}

// Error is "display filter: MSG at column N", then the expression, then a
// caret under the column, on three lines, as capture/filter's errors are.
func (e *Error) Error() string {
	return fmt.Sprintf("display filter: %s at column %d\n%s", e.Msg, e.Column(), showCaret(e.Expr, e.Offset))
}

// showCaret is the text and a caret under byte offset off. Expressions
// longer than a terminal are cut to a window around the column, as
// capture/filter/caret does (decode may not import capture).
func showCaret(text string, off int) string {
	const columns = 74
	off = min(max(off, 0), len(text))
	start, end := 0, len(text)
	if utf8.RuneCountInString(text) > columns {
		start = max(0, off-columns/3)
		for start > 0 && !utf8.RuneStart(text[start]) {
			start--
		}
		end = min(len(text), start+columns)
		for end < len(text) && !utf8.RuneStart(text[end]) {
			end++
		}
	}
	var b strings.Builder
	col := utf8.RuneCountInString(text[start:off])
	if start > 0 {
		b.WriteString("...")
		col += 3
	}
	b.WriteString(strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case unicode.IsControl(r):
			return '?'
		}
		return r
	}, text[start:end]))
	if end < len(text) {
		b.WriteString("...")
	}
	b.WriteString("\n")
	b.WriteString(strings.Repeat(" ", col))
	b.WriteString("^")
	return b.String()
}

// suggest is up to three registry names nearest name by edit distance, for
// "did you mean": only those within a third of the name's length.
func suggest(name string) []string {
	type cand struct {
		name string
		d    int
	}
	var cs []cand
	limit := max(2, len(name)/3)
	decode.Fields(func(_ decode.FieldID, f *decode.Field) {
		if d := distance(name, f.Name, limit); d <= limit {
			cs = append(cs, cand{f.Name, d})
		}
	})
	for _, a := range eitherWay {
		if d := distance(name, a.name, limit); d <= limit {
			cs = append(cs, cand{a.name, d})
		}
	}
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].d != cs[j].d {
			return cs[i].d < cs[j].d
		}
		return cs[i].name < cs[j].name
	})
	var out []string
	for _, c := range cs {
		if len(out) == 3 {
			break
		}
		out = append(out, c.name)
	}
	return out
}

// distance is the Levenshtein distance of a and b, or limit+1 once it is
// sure to pass limit.
func distance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
