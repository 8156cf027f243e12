// Package spec parses the craft spec language: layers joined by "/" as in
// scapy, each with the header fields the user sets, such as
// ether(dst=02:00:00:00:00:01)/ip(dst=10.0.0.2,ttl=3)/tcp(dport=80,flags=S)/"hello".
// It owns the grammar, the names of layers, fields and values, and which
// layer may follow which; it builds no bytes (package craft does) and opens
// nothing.
package spec

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Error is a bad spec: what is wrong and where.
type Error struct {
	Spec   string
	Offset int // byte offset in Spec of the token at fault
	Msg    string
}

// Column is the 1-based character position the error points at.
func (e *Error) Column() int {
	off := min(max(e.Offset, 0), len(e.Spec))
	return utf8.RuneCountInString(e.Spec[:off]) + 1
}

// Error is "spec: MSG at column N", then the spec, then a caret under the
// column, on three lines (as a bad filter expression is reported). A spec
// longer than the terminal shows is cut to a window around the column,
// "..." marking each cut; a control character shows as one column, a
// space for a tab or newline, "?" for the rest.
func (e *Error) Error() string {
	off := min(max(e.Offset, 0), len(e.Spec))
	start, end := window(e.Spec, off, shownColumns)
	var b strings.Builder
	fmt.Fprintf(&b, "spec: %s at column %d\n", strings.Map(visible, e.Msg), e.Column())
	caret := utf8.RuneCountInString(e.Spec[start:off])
	if start > 0 {
		b.WriteString("...")
		caret += 3
	}
	b.WriteString(strings.Map(visible, e.Spec[start:end]))
	if end < len(e.Spec) {
		b.WriteString("...")
	}
	b.WriteString("\n")
	b.WriteString(strings.Repeat(" ", caret))
	b.WriteString("^")
	return b.String()
}

// shownColumns is how much of a spec an error shows: with the "..." of two
// cuts, 80 columns.
const shownColumns = 74

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

// visible shows a control character of a spec or message in one column.
func visible(r rune) rune {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return ' '
	case unicode.IsControl(r):
		return '?'
	}
	return r
}

// Spec is a parsed spec: its layers, outermost first.
type Spec struct {
	Text   string
	Layers []*Layer
}

// Kind names a layer.
type Kind int

// The layers of the language. Payload is the bytes of "text", hex:... and
// fill(N[,B]); several payloads in a row are concatenated.
const (
	Ether Kind = iota
	VLAN
	ARP
	IPv4
	IPv6
	HopByHop
	Routing
	Fragment6
	DestOpts
	ICMP
	ICMPv6
	TCP
	UDP
	DNS
	Payload
)

// Layer is one layer of a spec: the fields the user wrote, by name, and for
// a payload its bytes. A field absent from Fields is left to the builder's
// default.
type Layer struct {
	Kind   Kind
	Name   string // as written in the spec, or "payload"
	Offset int    // byte offset of the layer in the spec
	Fields map[string]Value
	Data   []byte // Payload only
}

// Value is the value of one field, in the form its field takes: Num for
// numbers, names and flags; Addr for IP addresses; MAC; Bytes for option
// lists (already encoded as they go on the wire), address lists and names.
type Value struct {
	Offset int // byte offset of the value in the spec
	Num    uint64
	Addr   netip.Addr
	MAC    net.HardwareAddr
	Bytes  []byte
	Str    string // the DNS name, as written
	// Fixed is a number written with a trailing "!" (seq=5!): a field that
	// counts up over the packets of -c N keeps this value in every one.
	Fixed bool
}

// Has reports whether the user set field name.
func (l *Layer) Has(name string) bool {
	_, ok := l.Fields[name]
	return ok
}

// Num is field name's number, or def when the user did not set it.
func (l *Layer) Num(name string, def uint64) uint64 {
	if v, ok := l.Fields[name]; ok {
		return v.Num
	}
	return def
}

// String names the kind as the spec language does.
func (k Kind) String() string {
	if int(k) < len(layerDefs) {
		return layerDefs[k].name
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}
