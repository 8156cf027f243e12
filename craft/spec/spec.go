package spec

import (
	"fmt"
	"net"
	"net/netip"
	"strings"

	"github.com/sockscope/sockscope/decode/caret"
)

// Error is a bad spec: what is wrong and where.
type Error struct {
	Spec   string
	Offset int // byte offset in Spec of the token at fault
	Msg    string
}

// Column is the 1-based character position the error points at.
func (e *Error) Column() int { return caret.Column(e.Spec, e.Offset) }

// Error is "spec: MSG at column N", then the spec, then a caret under the
// column, on three lines (as a bad filter expression is reported). A spec
// longer than the terminal shows is cut to a window around the column (see
// caret.Show).
func (e *Error) Error() string {
	return caret.Report("spec", strings.Map(caret.Visible, e.Msg), e.Spec, e.Offset)
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
