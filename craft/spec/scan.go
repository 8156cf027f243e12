package spec

import (
	"fmt"
	"strings"
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
)

type token struct {
	kind tokKind
	text string // the word, the punctuation, or a string's decoded bytes
	off  int
}

func (t token) describe() string {
	switch t.kind {
	case tEOF:
		return "end of spec"
	case tString:
		return "a string"
	case tPunct:
		return fmt.Sprintf("%q", t.text)
	}
	return fmt.Sprintf("%q", t.text)
}

const punct = "()[],=|/"

func isWordByte(c byte) bool {
	return c > ' ' && c != '"' && c != '\'' && strings.IndexByte(punct, c) < 0 && c != 0x7f
}

// scan splits src into tokens; a string that does not end, or a bad escape
// in it, is an *Error.
func scan(src string) ([]token, error) {
	var toks []token
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case strings.IndexByte(punct, c) >= 0:
			toks = append(toks, token{tPunct, src[i : i+1], i})
			i++
		case c == '"' || c == '\'':
			s, n, err := scanString(src, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{tString, s, i})
			i += n
		case isWordByte(c):
			j := i
			for j < len(src) && isWordByte(src[j]) {
				j++
			}
			toks = append(toks, token{tWord, src[i:j], i})
			i = j
		default:
			return nil, &Error{src, i, fmt.Sprintf("unexpected character %q", c)}
		}
	}
	return append(toks, token{tEOF, "", len(src)}), nil
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
