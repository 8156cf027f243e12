package caret

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Columns is how much of the text Show shows: with the "..." of two cuts,
// 80 columns.
const Columns = 74

// Show is two lines: the text (all of it when it has no more than Columns
// characters, else a window around byte offset off, "..." marking each
// cut), and a caret under off. A control character shows as one column
// (see Visible), so that the caret stays under the right place.
func Show(text string, off int) string {
	off = min(max(off, 0), len(text))
	start, end := window(text, off, Columns)
	var b strings.Builder
	caret := utf8.RuneCountInString(text[start:off])
	if start > 0 {
		b.WriteString("...")
		caret += 3
	}
	b.WriteString(strings.Map(Visible, text[start:end]))
	if end < len(text) {
		b.WriteString("...")
	}
	b.WriteString("\n")
	b.WriteString(strings.Repeat(" ", caret))
	b.WriteString("^")
	return b.String()
}

// window is the part of s, s[start:end], that an error about s[off:] shows:
// all of s when it has no more than n characters, else n of them from the
// start when off is in the first two thirds of them, else n around off, a
// third before it.
func window(s string, off, n int) (start, end int) {
	if utf8.RuneCountInString(s) <= n {
		return 0, len(s)
	}
	start, end = off, off
	if utf8.RuneCountInString(s[:off]) <= n-n/3 {
		start = 0
	}
	for k := 0; k < n/3 && start > 0; k++ {
		_, size := utf8.DecodeLastRuneInString(s[:start])
		start -= size
	}
	for k := utf8.RuneCountInString(s[start:off]); k < n && end < len(s); k++ {
		_, size := utf8.DecodeRuneInString(s[end:])
		end += size
	}
	for k := utf8.RuneCountInString(s[start:end]); k < n && start > 0; k++ {
		_, size := utf8.DecodeLastRuneInString(s[:start])
		start -= size
	}
	return start, end
}

// Column is the 1-based character position of byte offset off in text
// (clamped to the text): the column an error at off names.
func Column(text string, off int) int {
	off = min(max(off, 0), len(text))
	return utf8.RuneCountInString(text[:off]) + 1
}

// Report is what, the message msg and the column of off, then text and a
// caret under off (Show), on three lines: "what: msg at column N". It is
// how a bad filter, display filter or spec is reported.
func Report(what, msg, text string, off int) string {
	return what + ": " + msg + " at column " + strconv.Itoa(Column(text, off)) + "\n" + Show(text, off)
}

// Visible shows a control character in one column: a space for a tab or
// a line break, "?" for the others.
func Visible(r rune) rune {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return ' '
	case unicode.IsControl(r):
		return '?'
	}
	return r
}
