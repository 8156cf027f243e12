package display

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// tokKind is the kind of a token of an expression.
type tokKind uint8

const (
	tEOF    tokKind = iota
	tWord           // a name or an unquoted literal: tcp.port, 10.0.0.0/8, aa:bb, 443, and
	tString         // "..." or r"..."; text holds the value, escapes resolved
	tChar           // '...'; val holds the value
	tRef            // ${name}: a field reference; text holds the name
	tPunct          // ( ) { } [ ] , # & ! ~ == != === !== < <= > >= && || .. + - * %
)

type token struct {
	kind tokKind
	off  int
	text string
	val  uint64
}

// scanner cuts an expression into tokens, one at a time: a slice's inside
// is read by the parser itself (scanSlice), since "0:3" and "2-4" mean
// something else there.
type scanner struct {
	src string
	pos int
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '_' || c == '.' || c == ':' || c == '/' || c == '-' || c >= 0x80
}

func (s *scanner) skipSpace() {
	for s.pos < len(s.src) && strings.IndexByte(" \t\r\n", s.src[s.pos]) >= 0 {
		s.pos++
	}
}

func (s *scanner) next() (token, error) {
	s.skipSpace()
	if s.pos >= len(s.src) {
		return token{kind: tEOF, off: s.pos}, nil
	}
	start := s.pos
	c := s.src[s.pos]
	if c == '"' || (c == 'r' && s.pos+1 < len(s.src) && s.src[s.pos+1] == '"') {
		return s.scanString()
	}
	if c == '\'' {
		return s.scanChar()
	}
	if c == '$' && s.pos+1 < len(s.src) && s.src[s.pos+1] == '{' {
		end := strings.IndexByte(s.src[s.pos:], '}')
		if end < 0 {
			return token{}, &Error{Expr: s.src, Offset: start, Msg: "the field reference has no closing }"}
		}
		s.pos += end + 1
		return token{kind: tRef, off: start, text: strings.TrimSpace(s.src[start+2 : s.pos-1])}, nil
	}
	if c == '-' && (s.pos+1 >= len(s.src) || !isWordByte(s.src[s.pos+1])) {
		s.pos++
		return token{kind: tPunct, off: start, text: "-"}, nil
	}
	for _, p := range []string{"===", "!==", "==", "!=", "<=", ">=", "&&", "||", "..", "(", ")", "{", "}", "[", "]", ",", "#", "&", "!", "~", "<", ">", "+", "*", "%"} {
		if strings.HasPrefix(s.src[s.pos:], p) {
			s.pos += len(p)
			return token{kind: tPunct, off: start, text: p}, nil
		}
	}
	if !isWordByte(c) || (c == '-' && (s.pos+1 >= len(s.src) || !isWordByte(s.src[s.pos+1]))) {
		r, _ := utf8.DecodeRuneInString(s.src[s.pos:])
		return token{}, &Error{Expr: s.src, Offset: start, Msg: "unexpected character " + strconv.QuoteRune(r)}
	}
	for s.pos < len(s.src) && isWordByte(s.src[s.pos]) {
		if strings.HasPrefix(s.src[s.pos:], "..") && s.pos > start {
			break // 8000..8100 in a set
		}
		s.pos++
	}
	return token{kind: tWord, off: start, text: s.src[start:s.pos]}, nil
}

func (s *scanner) scanString() (token, error) {
	start := s.pos
	raw := s.src[s.pos] == 'r'
	if raw {
		s.pos++
	}
	s.pos++ // the quote
	var b []byte
	for {
		if s.pos >= len(s.src) {
			return token{}, &Error{Expr: s.src, Offset: start, Msg: "the string has no closing quote"}
		}
		c := s.src[s.pos]
		if c == '"' {
			s.pos++
			return token{kind: tString, off: start, text: string(b)}, nil
		}
		if c != '\\' {
			b = append(b, c)
			s.pos++
			continue
		}
		if raw {
			// A raw string keeps its backslashes; \" still does not end it.
			b = append(b, c)
			s.pos++
			if s.pos < len(s.src) {
				b = append(b, s.src[s.pos])
				s.pos++
			}
			continue
		}
		var err error
		if b, err = s.escape(b); err != nil {
			return token{}, err
		}
	}
}

// escape reads the escape sequence at s.pos (its backslash) and appends its
// value to b.
func (s *scanner) escape(b []byte) ([]byte, error) {
	at := s.pos
	s.pos++
	if s.pos >= len(s.src) {
		return b, &Error{Expr: s.src, Offset: at, Msg: "a backslash ends the string"}
	}
	c := s.src[s.pos]
	s.pos++
	switch c {
	case '\'', '"', '\\':
		return append(b, c), nil
	case 'a':
		return append(b, 7), nil
	case 'b':
		return append(b, 8), nil
	case 'f':
		return append(b, 12), nil
	case 'n':
		return append(b, 10), nil
	case 'r':
		return append(b, 13), nil
	case 't':
		return append(b, 9), nil
	case 'v':
		return append(b, 11), nil
	case 'x':
		n := 0
		for n < 2 && s.pos+n < len(s.src) && isHex(s.src[s.pos+n]) {
			n++
		}
		if n == 0 {
			return b, &Error{Expr: s.src, Offset: at, Msg: `\x needs hexadecimal digits`}
		}
		v, _ := strconv.ParseUint(s.src[s.pos:s.pos+n], 16, 8)
		s.pos += n
		return append(b, byte(v)), nil
	case 'u', 'U':
		n := 4
		if c == 'U' {
			n = 8
		}
		if s.pos+n > len(s.src) {
			return b, &Error{Expr: s.src, Offset: at, Msg: `\` + string(c) + " needs " + strconv.Itoa(n) + " hexadecimal digits"}
		}
		v, err := strconv.ParseUint(s.src[s.pos:s.pos+n], 16, 32)
		if err != nil {
			return b, &Error{Expr: s.src, Offset: at, Msg: `\` + string(c) + " needs " + strconv.Itoa(n) + " hexadecimal digits"}
		}
		s.pos += n
		return utf8.AppendRune(b, rune(v)), nil
	}
	if c >= '0' && c <= '7' {
		n := 1
		for n < 3 && s.pos-1+n < len(s.src) && s.src[s.pos-1+n] >= '0' && s.src[s.pos-1+n] <= '7' {
			n++
		}
		v, _ := strconv.ParseUint(s.src[s.pos-1:s.pos-1+n], 8, 16)
		s.pos += n - 1
		if v > 255 {
			return b, &Error{Expr: s.src, Offset: at, Msg: "octal escape is more than a byte"}
		}
		return append(b, byte(v)), nil
	}
	return b, &Error{Expr: s.src, Offset: at, Msg: `unknown escape sequence \` + string(c)}
}

func (s *scanner) scanChar() (token, error) {
	start := s.pos
	s.pos++
	var b []byte
	for s.pos < len(s.src) && s.src[s.pos] != '\'' {
		if s.src[s.pos] == '\\' {
			var err error
			if b, err = s.escape(b); err != nil {
				return token{}, err
			}
			continue
		}
		b = append(b, s.src[s.pos])
		s.pos++
	}
	if s.pos >= len(s.src) {
		return token{}, &Error{Expr: s.src, Offset: start, Msg: "the character constant has no closing quote"}
	}
	s.pos++
	if len(b) != 1 {
		return token{}, &Error{Expr: s.src, Offset: start, Msg: "a character constant holds one byte"}
	}
	return token{kind: tChar, off: start, text: s.src[start:s.pos], val: uint64(b[0])}, nil
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
