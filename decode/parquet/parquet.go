package parquet

import (
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"net/netip"
	"reflect"
	"unicode/utf8"

	"github.com/google/gopacket"
	pq "github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/encoding"

	"github.com/sockscope/sockscope/decode"
	"github.com/sockscope/sockscope/decode/wire"
)

// DefaultFields are the columns written when the caller names none: the
// frame, link and network addresses, the transport's ports and flags, and
// the DNS query name. frame.time, tshark's name for the capture time, is
// the one name that is not in decode's registry: it is frame.time_epoch's
// value, and both are written as a TIMESTAMP.
var DefaultFields = []string{
	"frame.number", "frame.time", "frame.len", "frame.cap_len",
	"eth.src", "eth.dst",
	"ip.src", "ip.dst", "ip.proto", "ip.ttl",
	"ipv6.src", "ipv6.dst", "ipv6.nxt",
	"tcp.srcport", "tcp.dstport", "tcp.flags", "tcp.seq", "tcp.ack", "tcp.len",
	"udp.srcport", "udp.dstport", "udp.length",
	"dns.qry.name", "dns.flags.response",
}

// RowGroupRows is how many rows a row group holds: what the writer keeps in
// memory before it writes them out.
const RowGroupRows = 64 << 10

// batchRows is how many rows Print collects before handing them to
// parquet-go in one call.
const batchRows = 256

// kind is how a field's value becomes a Parquet value.
type kind uint8

const (
	kindPresent   kind = iota // protocols and labels: BOOLEAN, whether the packet has one
	kindBool                  // BOOLEAN
	kindUint32                // INT32 (UINT_8, UINT_16, UINT_32)
	kindUint64                // INT64 (UINT_64)
	kindInt32                 // INT32 (INT_8, INT_16, INT_32), sign-extended from bits
	kindInt64                 // INT64
	kindDouble                // DOUBLE
	kindTime                  // INT64 TIMESTAMP(NANOS, UTC)
	kindDuration              // INT64 nanoseconds
	kindString                // BYTE_ARRAY STRING: the value's bytes
	kindIP                    // BYTE_ARRAY STRING: an IPv4 or IPv6 address in its usual text
	kindHexColons             // BYTE_ARRAY STRING: Ethernet and EUI-64 addresses, aa:bb:cc...
	kindBytes                 // BYTE_ARRAY: the bytes themselves
)

// column is one field written as one Parquet column.
type column struct {
	name string
	id   decode.FieldID
	kind kind
	bits uint8    // of a signed integer, for its sign extension
	bit  bool     // a bit field, read from its parent's node (decode.Field.BitOf)
	slot int      // the index in Writer.first of the node the value is read from
	null pq.Value // the column's NULL, or for kindPresent its false
	yes  pq.Value // for kindPresent, its true
	node pq.Node
}

// Writer writes one Parquet row per packet. Print dissects each packet into
// one reused tree and takes the first occurrence of each field; Close writes
// the rows still held and the file's footer. It is not safe for concurrent
// use.
type Writer struct {
	// Number, if not nil, is the frame.number of the packet Print is given,
	// such as a packet loop's count of the packets it read, so that the
	// numbers stay the capture's when a filter skips some. nil numbers the
	// packets Print is given from 1.
	Number func() int

	t    decode.Tree
	cols []column
	// slot is, by FieldID, the index in first of a field some column reads
	// (its own, or a bit field's parent), or -1; first is, for the packet
	// being written, the first node of each such field, or -1. One walk of
	// the tree fills first, where a walk per column would cost a walk of the
	// whole tree for every field the packet lacks.
	slot  []int16
	first []int32
	w     *pq.Writer
	n     int
	rows  []pq.Row
	vals  []pq.Value // the values of rows, len(cols) each
	arena []byte     // the bytes of the batch's byte-array values
	err   error
}

// NewWriter returns a Writer of a Parquet file to w whose columns are the
// fields names, under their registry names ("ip.src"), in that order; no
// names means DefaultFields.
func NewWriter(w io.Writer, names []string) (*Writer, error) {
	if len(names) == 0 {
		names = DefaultFields
	}
	cols, err := columns(names)
	if err != nil {
		return nil, err
	}
	pw := &Writer{cols: cols}
	maxID := decode.FieldID(0)
	decode.Fields(func(id decode.FieldID, _ *decode.Field) { maxID = max(maxID, id) })
	pw.slot = make([]int16, int(maxID)+1)
	for i := range pw.slot {
		pw.slot[i] = -1
	}
	for i := range cols {
		c := &cols[i]
		key := c.id
		if p := c.id.Info().BitOf; p != 0 {
			key, c.bit = p, true
		}
		if pw.slot[key] < 0 {
			pw.slot[key] = int16(len(pw.first))
			pw.first = append(pw.first, -1)
		}
		c.slot = int(pw.slot[key])
		if c.kind == kindPresent {
			c.null, c.yes = pq.BooleanValue(false).Level(0, 0, i), pq.BooleanValue(true).Level(0, 0, i)
		} else {
			c.null = pq.Value{}.Level(0, 0, i)
		}
	}
	ids := make([]decode.FieldID, len(cols))
	for i := range cols {
		ids[i] = cols[i].id
	}
	pw.t.Want = decode.WantFields(ids...)
	pw.w = pq.NewWriter(w, pq.NewSchema("packet", schema(cols)),
		pq.MaxRowsPerRowGroup(RowGroupRows),
		pq.Compression(&pq.Snappy),
		pq.CreatedBy("sockscope", "", ""))
	pw.vals = make([]pq.Value, 0, batchRows*len(cols))
	pw.rows = make([]pq.Row, 0, batchRows)
	return pw, nil
}

// columns checks names against the registry and says how each is written.
func columns(names []string) ([]column, error) {
	cols := make([]column, 0, len(names))
	seen := make(map[string]bool, len(names))
	for _, name := range names {
		if seen[name] {
			return nil, fmt.Errorf("parquet: field %s named twice; a column is written once", name)
		}
		seen[name] = true
		id, ok := decode.Lookup(name)
		if !ok && name == "frame.time" {
			// tshark's capture time, which the registry holds as
			// frame.time_epoch: here both are a TIMESTAMP column.
			id, ok = decode.Lookup("frame.time_epoch")
		}
		if !ok {
			return nil, fmt.Errorf("parquet: no field %q; names are Wireshark's display-filter names, such as ip.src or tcp.dstport", name)
		}
		cols = append(cols, newColumn(name, id))
	}
	return cols, nil
}

func newColumn(name string, id decode.FieldID) column {
	c := column{name: name, id: id}
	var leaf pq.Node
	switch typ := id.Info().Type; typ {
	case decode.TypeNone, decode.TypeProtocol:
		c.kind, leaf = kindPresent, pq.Leaf(pq.BooleanType)
	case decode.TypeBoolean:
		c.kind, leaf = kindBool, pq.Leaf(pq.BooleanType)
	case decode.TypeUint8:
		c.kind, leaf = kindUint32, pq.Uint(8)
	case decode.TypeUint16:
		c.kind, leaf = kindUint32, pq.Uint(16)
	case decode.TypeUint24, decode.TypeUint32, decode.TypeFrameNum:
		c.kind, leaf = kindUint32, pq.Uint(32)
	case decode.TypeUint40, decode.TypeUint48, decode.TypeUint56, decode.TypeUint64:
		c.kind, leaf = kindUint64, pq.Uint(64)
	case decode.TypeInt8:
		c.kind, c.bits, leaf = kindInt32, 8, pq.Int(8)
	case decode.TypeInt16:
		c.kind, c.bits, leaf = kindInt32, 16, pq.Int(16)
	case decode.TypeInt24:
		c.kind, c.bits, leaf = kindInt32, 24, pq.Int(32)
	case decode.TypeInt32:
		c.kind, c.bits, leaf = kindInt32, 32, pq.Int(32)
	case decode.TypeInt64:
		c.kind, leaf = kindInt64, pq.Int(64)
	case decode.TypeFloat, decode.TypeDouble:
		c.kind, leaf = kindDouble, pq.Leaf(pq.DoubleType)
	case decode.TypeAbsTime:
		c.kind, leaf = kindTime, pq.Timestamp(pq.Nanosecond)
	case decode.TypeRelTime:
		// frame.time_epoch is typed as tshark types it, a relative time,
		// but it is the capture's clock: a timestamp is what a query wants.
		if name == "frame.time_epoch" || name == "frame.time" {
			c.kind, leaf = kindTime, pq.Timestamp(pq.Nanosecond)
		} else {
			c.kind, leaf = kindDuration, pq.Leaf(pq.Int64Type)
		}
	case decode.TypeIPv4, decode.TypeIPv6:
		c.kind, leaf = kindIP, pq.String()
	case decode.TypeEther, decode.TypeEUI64:
		c.kind, leaf = kindHexColons, pq.String()
	case decode.TypeChar, decode.TypeString, decode.TypeStringz, decode.TypeStringzPad, decode.TypeUintString:
		c.kind, leaf = kindString, pq.String()
	default: // bytes, GUIDs, OIDs
		c.kind, leaf = kindBytes, pq.Leaf(pq.ByteArrayType)
	}
	if c.kind == kindPresent {
		c.node = pq.Required(leaf) // a packet has the protocol or has not
	} else {
		c.node = pq.Optional(leaf) // NULL where the packet lacks the field
	}
	return c
}

// Print writes the row of packet data, captured as ci from a link of type
// link; it has decode.Printer's signature, to be a packet loop's handler.
func (w *Writer) Print(data []byte, ci gopacket.CaptureInfo, link wire.LinkType) error {
	if w.err != nil {
		return w.err
	}
	if err := decode.CheckLink(link); err != nil {
		return err
	}
	w.n++
	number := w.n
	if w.Number != nil {
		number = w.Number()
	}
	w.dissect(data, ci, link, number)
	for i := range w.first {
		w.first[i] = -1
	}
	for i := range w.t.Nodes {
		if f := int(w.t.Nodes[i].Field); f < len(w.slot) {
			if s := w.slot[f]; s >= 0 && w.first[s] < 0 {
				w.first[s] = int32(i)
			}
		}
	}
	start := len(w.vals)
	w.vals = w.vals[:start+len(w.cols)] // batchRows rows fit its capacity
	row := w.vals[start:len(w.vals):len(w.vals)]
	for i := range w.cols {
		row[i] = w.value(&w.cols[i], i)
	}
	w.rows = append(w.rows, row)
	if len(w.rows) == batchRows {
		return w.writeBatch()
	}
	return nil
}

// dissect fills the tree; a dissector's panic (a bug) keeps what the tree
// holds so far, as the printers keep the packet's line.
func (w *Writer) dissect(data []byte, ci gopacket.CaptureInfo, link wire.LinkType, number int) {
	defer func() { _ = recover() }()
	w.t.Dissect(data, ci, link, number)
}

// value is column c's value (column index i) in the tree: its first
// occurrence, or NULL.
func (w *Writer) value(c *column, i int) pq.Value {
	t := &w.t
	node := int(w.first[c.slot])
	found := node >= 0
	var val uint64
	if found {
		val = t.Nodes[node].Val
		if c.bit { // the bits of the parent's first node that has them
			found = false
			t.Each(c.id, func(_ int, v uint64) bool {
				val, found = v, true
				return false
			})
		}
	}
	switch {
	case c.kind == kindPresent && found:
		return c.yes
	case !found:
		return c.null
	}
	var v pq.Value
	switch c.kind {
	case kindBool:
		v = pq.BooleanValue(val != 0)
	case kindUint32:
		v = pq.Int32Value(int32(uint32(val)))
	case kindUint64, kindInt64, kindTime, kindDuration:
		v = pq.Int64Value(int64(val))
	case kindInt32:
		shift := 64 - c.bits
		v = pq.Int32Value(int32(int64(val<<shift) >> shift))
	case kindDouble:
		v = pq.DoubleValue(math.Float64frombits(val))
	case kindString:
		v = w.text(t.Bytes(node))
	case kindBytes:
		v = w.byteArray(t.Bytes(node))
	case kindIP:
		b := t.Bytes(node)
		start := len(w.arena)
		switch len(b) {
		case 4:
			w.arena = netip.AddrFrom4([4]byte(b)).AppendTo(w.arena)
		case 16:
			w.arena = netip.AddrFrom16([16]byte(b)).AppendTo(w.arena)
		default: // cut short by the capture's end
			w.arena = appendHexColons(w.arena, b)
		}
		v = pq.ByteArrayValue(w.arena[start:len(w.arena):len(w.arena)])
	case kindHexColons:
		start := len(w.arena)
		w.arena = appendHexColons(w.arena, t.Bytes(node))
		v = pq.ByteArrayValue(w.arena[start:len(w.arena):len(w.arena)])
	}
	return v.Level(0, 1, i)
}

// byteArray copies b, which the next packet overwrites, into the batch's arena.
func (w *Writer) byteArray(b []byte) pq.Value {
	start := len(w.arena)
	w.arena = append(w.arena, b...)
	return pq.ByteArrayValue(w.arena[start:len(w.arena):len(w.arena)])
}

// text is b as a Parquet STRING, which must be UTF-8: bytes that are not
// (a name in Latin-1, a cut-off character) become U+FFFD, as JSON output
// shows them.
func (w *Writer) text(b []byte) pq.Value {
	if utf8.Valid(b) {
		return w.byteArray(b)
	}
	start := len(w.arena)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		w.arena = utf8.AppendRune(w.arena, r) // RuneError for a bad byte
		b = b[size:]
	}
	return pq.ByteArrayValue(w.arena[start:len(w.arena):len(w.arena)])
}

func appendHexColons(b, v []byte) []byte {
	for i, x := range v {
		if i > 0 {
			b = append(b, ':')
		}
		b = hex.AppendEncode(b, []byte{x})
	}
	return b
}

// writeBatch hands the rows collected to parquet-go, which copies them
// into its row group, and starts the next batch.
func (w *Writer) writeBatch() error {
	if len(w.rows) == 0 {
		return nil
	}
	if _, err := w.w.WriteRows(w.rows); err != nil {
		w.err = fmt.Errorf("parquet: %w", err)
		return w.err
	}
	w.rows, w.vals = w.rows[:0], w.vals[:0]
	// The arena's old bytes were copied; a new one leaves them to the
	// collector rather than overwriting what a row might still point to.
	if cap(w.arena) > 1<<20 {
		w.arena = nil
	} else {
		w.arena = w.arena[:0]
	}
	return nil
}

// Flush is a no-op beside the printers' Flush: a Parquet file can be read
// only once Close has written its footer.
func (w *Writer) Flush() error { return w.err }

// Close writes the rows held and the file's footer. It does not close the
// io.Writer.
func (w *Writer) Close() error {
	if err := w.writeBatch(); err != nil {
		return err
	}
	if err := w.w.Close(); err != nil {
		w.err = fmt.Errorf("parquet: %w", err)
		return w.err
	}
	w.err = errClosed
	return nil
}

var errClosed = fmt.Errorf("parquet: writer closed")

// Rows is the number of rows Print was given.
func (w *Writer) Rows() int { return w.n }

// Schema is the file's schema, as parquet-go prints it (message packet {
// optional binary ip.src (STRING); ... }).
func (w *Writer) Schema() string { return w.w.Schema().String() }

// schema is the root group of the file: the columns in the order named.
// parquet.Group sorts its fields by name, so the order is kept by this node.
func schema(cols []column) pq.Node {
	fields := make([]pq.Field, len(cols))
	for i := range cols {
		fields[i] = field{Node: cols[i].node, name: cols[i].name}
	}
	return group(fields)
}

type group []pq.Field

func (g group) ID() int                     { return 0 }
func (g group) String() string              { return "group" }
func (g group) Type() pq.Type               { return pq.Group{}.Type() }
func (g group) Optional() bool              { return false }
func (g group) Repeated() bool              { return false }
func (g group) Required() bool              { return true }
func (g group) Leaf() bool                  { return false }
func (g group) Fields() []pq.Field          { return g }
func (g group) Encoding() encoding.Encoding { return nil }
func (g group) Compression() compress.Codec { return nil }
func (g group) GoType() reflect.Type        { return reflect.TypeOf(struct{}{}) }

type field struct {
	pq.Node
	name string
}

func (f field) Name() string { return f.name }

// Value is not used: rows are written as parquet.Row values, not Go structs.
func (f field) Value(base reflect.Value) reflect.Value { return reflect.Value{} }

// Tree is the dissection of the last packet written.
func (w *Writer) Tree() *decode.Tree { return &w.t }
