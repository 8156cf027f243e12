package spec

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// token kinds. A word is any run of characters that are not space,
// punctuation of the grammar or a quote: layer and field names, numbers,
// names of values, MAC and IP literals, hex:..., 1:2.
type tokKind int

const (
	tEOF tokKind = iota
	tWord
	tString
	tPunct // one of ( ) [ ] , = | /
	tBad   // a character or string the scanner refused: lexer.err says why
)

type token struct {
	kind tokKind
	text string // the word, the punctuation, or a string's decoded bytes
	off  int
}

func (t token) describe() string {
	switch t.kind {
	case tEOF, tBad:
		return "end of spec"
	case tString:
		return "a string"
	}
	return quote(t.text)
}

// quote is %q of s, cut to its first 32 bytes, "..." after the cut.
func quote(s string) string {
	if n := cutAt(s); n < len(s) {
		return fmt.Sprintf("%q...", s[:n])
	}
	return fmt.Sprintf("%q", s)
}

// cut is s cut to its first 32 bytes, "..." after the cut: a message names
// a token, it does not echo a megabyte of it.
func cut(s string) string {
	if n := cutAt(s); n < len(s) {
		return s[:n] + "..."
	}
	return s
}

func cutAt(s string) int {
	const most = 32
	if len(s) <= most {
		return len(s)
	}
	n := most
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return n
}

const punct = "()[],=|/"

func isWordByte(c byte) bool {
	return c > ' ' && c != '"' && c != '\'' && strings.IndexByte(punct, c) < 0 && c != 0x7f
}

// lexer reads the tokens of src one at a time, as the parser asks for
// them: a spec refused at its 1025th layer is not scanned to its end.
type lexer struct {
	src string
	pos int
	err error // the first character or string refused; then every token is tBad
}

// next is the next token; a string that does not end, a bad escape in it,
// or a character of no token is a tBad token, and lx.err the *Error.
func (lx *lexer) next() token {
	src := lx.src
	for lx.err == nil && lx.pos < len(src) {
		i, c := lx.pos, src[lx.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			lx.pos++
		case strings.IndexByte(punct, c) >= 0:
			lx.pos++
			return token{tPunct, src[i : i+1], i}
		case c == '"' || c == '\'':
			s, n, err := scanString(src, i)
			if err != nil {
				lx.err = err
				break
			}
			lx.pos += n
			return token{tString, s, i}
		case isWordByte(c):
			j := i
			for j < len(src) && isWordByte(src[j]) {
				j++
			}
			lx.pos = j
			return token{tWord, src[i:j], i}
		default:
			lx.err = &Error{src, i, fmt.Sprintf("unexpected character %q", c)}
		}
	}
	if lx.err != nil {
		return token{tBad, "", lx.err.(*Error).Offset}
	}
	return token{tEOF, "", len(src)}
}

// scanString decodes the string starting with the quote at src[start]: the
// escapes are \n \r \t \0 \\ \" \' and \xHH. It returns the bytes and the
// length of the string in src, quotes included.
func scanString(src string, start int) (string, int, error) {
	q := src[start]
	var b strings.Builder
	for i := start + 1; i < len(src); i++ {
		c := src[i]
		if c == q {
			return b.String(), i + 1 - start, nil
		}
		if b.Len() >= MaxPayload { // and a byte more is coming
			return "", 0, &Error{src, start, fmt.Sprintf("string: more than %d bytes, more than a packet holds", MaxPayload)}
		}
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		if i+1 >= len(src) {
			break
		}
		i++
		switch e := src[i]; e {
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case '0':
			b.WriteByte(0)
		case '\\', '"', '\'':
			b.WriteByte(e)
		case 'x':
			if i+2 < len(src) {
				if v, ok := hexByte(src[i+1], src[i+2]); ok {
					b.WriteByte(v)
					i += 2
					continue
				}
			}
			return "", 0, &Error{src, i - 1, `bad escape: \x takes two hex digits, as \x41`}
		default:
			return "", 0, &Error{src, i - 1, fmt.Sprintf(`unknown escape \%c (escapes: \n \r \t \0 \\ \" \xHH)`, e)}
		}
	}
	return "", 0, &Error{src, start, "string does not end: a closing quote is missing"}
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func hexByte(hi, lo byte) (byte, bool) {
	h, ok1 := hexDigit(hi)
	l, ok2 := hexDigit(lo)
	return h<<4 | l, ok1 && ok2
}
