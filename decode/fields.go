package decode

import (
	"errors"
	"fmt"
	"io"
	"math"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// FieldsOptions are tshark's -E options of -T fields.
type FieldsOptions struct {
	Header     bool // header=y: a first line of the field names
	Separator  byte // separator=/t|/s|C: between fields (default tab)
	Quote      byte // quote=d|s|n: '"', '\'' or 0 around each non-empty value
	Occurrence byte // occurrence=f|l|a: 'f' first, 'l' last, 'a' (or 0) all
	Aggregator byte // aggregator=,|/s|C: between occurrences (default ',')
}

// DefaultFieldsOptions are tshark's defaults: no header, tab between fields,
// no quotes, every occurrence joined by commas.
func DefaultFieldsOptions() FieldsOptions {
	return FieldsOptions{Separator: '\t', Occurrence: 'a', Aggregator: ','}
}

// Set reads one -E option, "name=value", as tshark reads it: a value's first
// character counts ("header=yes" is y), "/t" is a tab and "/s" a space.
func (fo *FieldsOptions) Set(opt string) error {
	name, val, ok := strings.Cut(opt, "=")
	bad := fmt.Errorf("%q is not a valid field output option=value pair (header=y|n, separator=/t|/s|C, quote=d|s|n, occurrence=f|l|a, aggregator=,|/s|C)", name)
	if !ok || val == "" {
		return bad
	}
	switch name {
	case "header":
		switch val[0] {
		case 'y', 'Y':
			fo.Header = true
		case 'n', 'N':
			fo.Header = false
		default:
			return bad
		}
	case "separator":
		fo.Separator = slashChar(val, true)
	case "aggregator":
		fo.Aggregator = slashChar(val, false)
	case "quote":
		switch val[0] {
		case 'd', 'D':
			fo.Quote = '"'
		case 's', 'S':
			fo.Quote = '\''
		case 'n', 'N':
			fo.Quote = 0
		default:
			return bad
		}
	case "occurrence":
		switch val[0] {
		case 'f', 'F', 'l', 'L', 'a', 'A':
			fo.Occurrence = val[0] | 0x20
		default:
			return bad
		}
	case "bom":
		// tshark's UTF-8 byte order mark: sockscope writes none.
		if val[0] != 'n' && val[0] != 'N' {
			return bad
		}
	default:
		return bad
	}
	return nil
}

// slashChar is a separator or aggregator value: "/s" a space, "/t" a tab for
// a separator (tshark 4.0 makes it a backslash for an aggregator), else the
// value's first character.
func slashChar(v string, sep bool) byte {
	if len(v) >= 2 && v[0] == '/' {
		switch v[1] {
		case 's':
			return ' '
		case 't':
			if sep {
				return '\t'
			}
		}
		return '\\'
	}
	return v[0]
}

// base is how tshark -T fields writes an integer field.
type base uint8

const (
	baseDec base = iota
	baseHex
)

// column kinds beyond the registry: values tshark computes from the capture
// rather than the packet.
const (
	colField = iota
	colTime
	colTimeRelative
	colTimeDelta
	colTimeDeltaDisplayed
	colProtocols
)

// frameColumns are the frame fields tshark has that are not in the tree.
var frameColumns = map[string]int{
	"frame.time":                 colTime,
	"frame.time_relative":        colTimeRelative,
	"frame.time_delta":           colTimeDelta,
	"frame.time_delta_displayed": colTimeDeltaDisplayed,
	"frame.protocols":            colProtocols,
}

type fieldColumn struct {
	id   FieldID
	kind int
	name string
	pos  int // its place among the columns
}

// FieldsPrinter writes the values of chosen fields, one line per packet, as
// tshark -T fields -e NAME... -E OPT does: integers in the base tshark shows
// them in (decimal, or 0x and the type's width of hex digits), booleans as 1
// or 0, addresses in their usual forms, bytes as bare hex, several
// occurrences joined by the aggregator. It dissects each packet into one
// reused tree and appends into one reused buffer: it allocates nothing per
// packet once warm.
type FieldsPrinter struct {
	output
	fo   FieldsOptions
	cols []fieldColumn
	// first and prev are the first and the previous packet's times: of the
	// input (Options.Position), or of the packets printed; displayed is
	// the previous printed packet's.
	first, prev, displayed time.Time
	// one column's walk: how many occurrences so far, and the last one's node.
	col   *fieldColumn
	count int
	last  int
	lastV uint64
	// The nodes of each column, gathered in one pass over a packet's tree
	// (gather): bySource maps a field whose nodes hold a column's values
	// (the field itself, or a bit field's parent) to the columns they feed,
	// an index into sourceCols; nodes[c] are column c's nodes in tree order.
	bySource   []int16
	sourceCols [][]int
	nodes      [][]int32
}

// NewFieldsPrinter returns a FieldsPrinter that writes fields names of each
// packet to w. A name neither in the registry nor one of tshark's computed
// frame fields (frame.time, frame.time_relative, frame.time_delta,
// frame.time_delta_displayed, frame.protocols) is an error that names it.
func NewFieldsPrinter(w io.Writer, opt Options, names []string, fo FieldsOptions) (*FieldsPrinter, error) {
	if len(names) == 0 {
		return nil, errors.New(`-T fields was given, but no fields were given with -e`)
	}
	if fo.Separator == 0 {
		fo.Separator = '\t'
	}
	if fo.Aggregator == 0 {
		fo.Aggregator = ','
	}
	if fo.Occurrence == 0 {
		fo.Occurrence = 'a'
	}
	p := &FieldsPrinter{output: newOutput(w, opt), fo: fo}
	var unknown []string
	for _, name := range names {
		if k, ok := frameColumns[name]; ok {
			p.cols = append(p.cols, fieldColumn{kind: k, name: name, pos: len(p.cols)})
			continue
		}
		id, ok := Lookup(name)
		if !ok {
			unknown = append(unknown, name)
			continue
		}
		p.cols = append(p.cols, fieldColumn{id: id, name: name, pos: len(p.cols)})
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, &UnknownFieldsError{Names: unknown}
	}
	p.t.Want = wantColumns(p.cols)
	basesOnce.Do(makeBases)
	p.bySource = make([]int16, len(registry))
	for i := range p.bySource {
		p.bySource[i] = -1
	}
	p.nodes = make([][]int32, len(p.cols))
	for c, col := range p.cols {
		if col.kind != colField {
			continue
		}
		src := col.id
		if b := registry[src].BitOf; b != 0 {
			src = b
		}
		if p.bySource[src] < 0 {
			p.bySource[src] = int16(len(p.sourceCols))
			p.sourceCols = append(p.sourceCols, nil)
		}
		k := p.bySource[src]
		p.sourceCols[k] = append(p.sourceCols[k], c)
	}
	if fo.Header {
		for i, c := range p.cols {
			if i > 0 {
				p.b = append(p.b, fo.Separator)
			}
			p.b = append(p.b, c.name...)
		}
		p.b = append(p.b, '\n')
	}
	return p, nil
}

// wantColumns is what the columns read of a tree: frame.protocols names
// every layer, so it wants everything.
func wantColumns(cols []fieldColumn) *Want {
	w := &Want{}
	for _, c := range cols {
		switch c.kind {
		case colField:
			w.add(c.id)
		case colProtocols:
			return nil
		}
	}
	return w
}

// UnknownFieldsError names the -e fields that are not known.
type UnknownFieldsError struct {
	Names []string
}

func (e *UnknownFieldsError) Error() string {
	if len(e.Names) == 1 {
		return fmt.Sprintf("field %q isn't valid", e.Names[0])
	}
	return "some fields aren't valid: " + strings.Join(e.Names, ", ")
}

// FieldNames are the names NewFieldsPrinter accepts: the registry's and
// tshark's computed frame fields.
func FieldNames() []string {
	var names []string
	Fields(func(_ FieldID, f *Field) { names = append(names, f.Name) })
	for n := range frameColumns {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Print writes the fields of packet data, captured as ci from a link of type link.
func (p *FieldsPrinter) Print(data []byte, ci gopacket.CaptureInfo, link wire.LinkType) error {
	n, err := p.start(link)
	if err != nil {
		return err
	}
	if p.n == 1 {
		p.displayed = ci.Timestamp
	}
	if p.opt.Position != nil {
		pos := p.opt.Position()
		p.first, p.prev = pos.First, pos.Previous
	} else if p.n == 1 {
		p.first, p.prev = ci.Timestamp, ci.Timestamp
	}
	start := len(p.b)
	if recoverPanics {
		defer func() {
			if r := recover(); r != nil {
				p.b = p.b[:start]
				p.b = append(p.b, '\n')
			}
		}()
	}
	p.dissect(data, ci, link, n)
	p.gather()
	p.b = p.appendLine(p.b)
	p.prev, p.displayed = ci.Timestamp, ci.Timestamp
	return p.end()
}

// gather finds the nodes of every column in one pass over the tree, where
// a walk per column (Tree.Each) would pass over it once per column.
func (p *FieldsPrinter) gather() {
	for c := range p.nodes {
		p.nodes[c] = p.nodes[c][:0]
	}
	// Locals, which the appends below cannot change: the loop need not
	// load them again at each node.
	nodes, bySource := p.cur.Nodes, p.bySource
	for i := range nodes {
		k := bySource[nodes[i].Field]
		if k < 0 {
			continue
		}
		for _, c := range p.sourceCols[k] {
			p.nodes[c] = append(p.nodes[c], int32(i))
		}
	}
}

func (p *FieldsPrinter) appendLine(b []byte) []byte {
	for i := range p.cols {
		if i > 0 {
			b = append(b, p.fo.Separator)
		}
		start := len(b)
		if p.fo.Quote != 0 {
			b = append(b, p.fo.Quote)
		}
		valStart := len(b)
		b = p.appendColumn(b, &p.cols[i])
		if len(b) == valStart {
			b = b[:start] // tshark quotes no empty value
		} else if p.fo.Quote != 0 {
			b = append(b, p.fo.Quote)
		}
	}
	return append(b, '\n')
}

// appendColumn writes one column's value: its occurrences, by the
// occurrence option, joined by the aggregator.
func (p *FieldsPrinter) appendColumn(b []byte, c *fieldColumn) []byte {
	t := p.cur
	switch c.kind {
	case colTime:
		loc := p.opt.Location
		if loc == nil {
			loc = time.Local
		}
		return t.CI.Timestamp.In(loc).AppendFormat(b, "Jan _2, 2006 15:04:05.000000000 MST")
	case colTimeRelative:
		return appendSeconds(b, t.CI.Timestamp.Sub(p.first).Nanoseconds())
	case colTimeDelta:
		return appendSeconds(b, t.CI.Timestamp.Sub(p.prev).Nanoseconds())
	case colTimeDeltaDisplayed:
		return appendSeconds(b, t.CI.Timestamp.Sub(p.displayed).Nanoseconds())
	case colProtocols:
		return p.appendProtocols(b)
	}
	switch c.id {
	case fFrameInterfaceID:
		if p.ifNames == nil {
			return b
		}
	case fFrameInterface:
		return append(b, p.ifNames[t.CI.InterfaceIndex]...)
	}
	p.col, p.count, p.last = c, 0, -1
	p.b = b
	bit := registry[c.id].BitOf != 0
	for _, node := range p.nodes[c.pos] {
		v := t.Nodes[node].Val
		if bit {
			if !c.id.BitPresent(v) {
				continue
			}
			v = bitValue(c.id, v)
		}
		if !p.occurrence(int(node), v) {
			break
		}
	}
	b = p.b
	if p.fo.Occurrence == 'l' && p.last >= 0 {
		b = p.appendValue(b, c.id, p.last, p.lastV)
	}
	return b
}

// occurrence takes node, of value v, as the next occurrence of the column
// being written; false stops the column.
func (p *FieldsPrinter) occurrence(node int, v uint64) bool {
	switch p.fo.Occurrence {
	case 'l':
		p.last, p.lastV = node, v
		return true
	case 'f':
		p.b = p.appendValue(p.b, p.col.id, node, v)
		return false
	}
	if p.count > 0 {
		p.b = append(p.b, p.fo.Aggregator)
	}
	p.count++
	p.b = p.appendValue(p.b, p.col.id, node, v)
	return true
}

// appendValue writes the value v of field id at node as tshark -T fields does.
func (p *FieldsPrinter) appendValue(b []byte, id FieldID, node int, v uint64) []byte {
	t := p.cur
	f := &registry[id]
	switch f.Type {
	case TypeNone:
		return append(b, '1')
	case TypeProtocol:
		return p.appendProtocol(b, id, node)
	case TypeBoolean:
		if v != 0 {
			return append(b, '1')
		}
		return append(b, '0')
	case TypeUint8, TypeUint16, TypeUint24, TypeUint32, TypeUint40, TypeUint48, TypeUint56, TypeUint64, TypeFrameNum:
		if fieldBase(id) == baseHex {
			return appendHexWidth(b, v, typeDigits[f.Type])
		}
		return strconv.AppendUint(b, v, 10)
	case TypeInt8:
		return strconv.AppendInt(b, int64(int8(v)), 10)
	case TypeInt16:
		return strconv.AppendInt(b, int64(int16(v)), 10)
	case TypeInt24:
		return strconv.AppendInt(b, int64(v<<40)>>40, 10)
	case TypeInt32:
		return strconv.AppendInt(b, int64(int32(v)), 10)
	case TypeInt64:
		return strconv.AppendInt(b, int64(v), 10)
	case TypeFloat, TypeDouble:
		return strconv.AppendFloat(b, math.Float64frombits(v), 'g', -1, 64)
	case TypeAbsTime:
		return time.Unix(0, int64(v)).UTC().AppendFormat(b, "Jan _2, 2006 15:04:05.000000000 UTC")
	case TypeRelTime:
		return appendSeconds(b, int64(v))
	case TypeEther, TypeEUI64:
		return appendHexColons(b, t.Bytes(node))
	case TypeIPv4:
		if a := t.Bytes(node); len(a) == 4 {
			return netip.AddrFrom4([4]byte(a)).AppendTo(b)
		}
		return appendHexColons(b, t.Bytes(node))
	case TypeIPv6:
		if a := t.Bytes(node); len(a) == 16 {
			return netip.AddrFrom16([16]byte(a)).AppendTo(b)
		}
		return appendHexColons(b, t.Bytes(node))
	case TypeString, TypeStringz, TypeStringzPad, TypeUintString, TypeChar:
		if id == fFrameComment {
			return appendCommentField(b, t.Bytes(node))
		}
		return appendFieldString(b, t.Bytes(node))
	default: // bytes, GUIDs, OIDs
		v := t.Bytes(node)
		if len(v) == 0 {
			return append(b, "<none>"...)
		}
		for _, c := range v {
			b = append(b, hexDigits[c>>4], hexDigits[c&15])
		}
		return b
	}
}

// typeDigits is the hex digits of an integer type's width: tshark pads a
// hex value to it (tcp.flags 0x0002, ip.dsfield 0x00).
var typeDigits = [numFieldTypes]int{
	TypeUint8: 2, TypeUint16: 4, TypeUint24: 6, TypeUint32: 8,
	TypeUint40: 10, TypeUint48: 12, TypeUint56: 14, TypeUint64: 16, TypeFrameNum: 1,
}

// appendHexWidth writes v as 0x and at least digits hex digits.
func appendHexWidth(b []byte, v uint64, digits int) []byte {
	b = append(b, '0', 'x')
	n := 1
	for x := v >> 4; x != 0; x >>= 4 {
		n++
	}
	for ; digits > n; digits-- {
		b = append(b, '0')
	}
	for k := n - 1; k >= 0; k-- {
		b = append(b, hexDigits[(v>>(4*k))&15])
	}
	return b
}

// appendFieldString writes a string value as tshark -T fields does: printable
// bytes as they are, others escaped as \xNN and the C escapes.
func appendFieldString(b, s []byte) []byte {
	for _, c := range s {
		switch {
		case c == '\\':
			b = append(b, '\\', '\\')
		case c >= 0x20 && c < 0x7f || c >= 0x80:
			b = append(b, c)
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c == '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'x', hexDigits[c>>4], hexDigits[c&15])
		}
	}
	return b
}

// appendCommentField writes a packet comment as tshark 4.0's -T fields
// was seen to: newline, carriage return and tab as \n, \r and \t, every
// other byte (a backslash, other control bytes) as it is.
func appendCommentField(b, s []byte) []byte {
	for _, c := range s {
		switch c {
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, c)
		}
	}
	return b
}

// fieldBases are the integer fields tshark shows in a base other than the
// registry's Hex says (tshark -G fields, and what tshark -T fields prints:
// BASE_HEX_DEC prints hex, BASE_DEC_HEX decimal).
var fieldBases = map[string]base{
	"dhcp.hw.type": baseHex, "dns.resp.ext_rcode": baseHex, "geneve.reserved": baseHex,
	"igmp.type": baseHex, "ipcomp.next_header": baseHex, "ipcomp.flags": baseHex,
	"sll.ltype": baseHex, "llc.dsap": baseHex, "llc.ssap": baseHex, "mip6.reserved": baseHex,
	"nsh.ttl": baseHex, "nsh.metadatalen": baseHex, "ntp.ctrl.flags2": baseHex,
	"stp.protocol": baseHex, "bfd.diag": baseHex, "bfd.sta": baseHex,
	"bfd.auth.seq_num": baseHex, "lwres.serial": baseHex,
	"tcp.options.mptcp.sendkey": baseDec, "tcp.options.mptcp.recvkey": baseDec,
	"tcp.options.mptcp.recvtok": baseDec, "tcp.options.mptcp.sendrand": baseDec,
	"tcp.options.mptcp.sendtrunchmac": baseDec, "tcp.options.mptcp.addaddrtrunchmac": baseDec,
	"lwres.opcode": baseDec, "nsh.spi": baseDec, "nsh.si": baseDec,
	// BASE_HEX in tshark -G fields, yet printed in decimal by 4.0.
	"dns.rr.udp_payload_size": baseDec,
}

// bases holds each FieldID's base, from Hex and fieldBases, made once.
var (
	bases     []base
	basesOnce sync.Once
)

func fieldBase(id FieldID) base { return bases[id] }

func makeBases() {
	{
		b := make([]base, len(registry))
		for i := range registry {
			if registry[i].Hex {
				b[i] = baseHex
			}
		}
		for name, v := range fieldBases {
			if id, ok := byName[name]; ok {
				b[id] = v
			}
		}
		bases = b
	}
}
