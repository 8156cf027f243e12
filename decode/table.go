package decode

import (
	"math"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// Dissector reads the layer that starts at off. end is where the layer below
// says this one ends; it may pass len(t.Data) when the capture was cut short,
// and a dissector that finds fewer bytes than it needs marks what it added
// Truncated. A dissector adds its layer with AddLayer, its fields under it,
// and calls the next layer's dissector (found in a Table) through Call.
type Dissector func(t *Tree, off, end int)

// Table picks the next dissector by a value of the layer below: an
// ethertype, an IP protocol number, a port, a link type. Protocols register
// into tables when the package initialises; nothing registers later.
type Table struct {
	Name  string      // the field whose value is the key: "etype", "ip.proto"
	dense []Dissector // keys below 1<<16, indexed by key: no hashing per packet
	m     map[uint32]Dissector
}

// The tables the dissectors consult.
var (
	LinkTypes   = &Table{Name: "frame.link_type"} // pcap LINKTYPE_ values
	Ethertypes  = &Table{Name: "etype"}           // Ethernet, VLAN, SLL, GRE protocol types
	IPProtocols = &Table{Name: "ip.proto"}        // IPv4 protocol and IPv6 next header
	UDPPorts    = &Table{Name: "udp.port"}        // well-known UDP ports
	TCPPorts    = &Table{Name: "tcp.port"}        // well-known TCP ports
)

// Register makes d the dissector for key.
func (tb *Table) Register(key uint32, d Dissector) {
	if tb.Lookup(key) != nil {
		panic("decode: " + tb.Name + " value registered twice")
	}
	if key < 1<<16 {
		if int(key) >= len(tb.dense) {
			tb.dense = append(tb.dense, make([]Dissector, int(key)+1-len(tb.dense))...)
		}
		tb.dense[key] = d
		return
	}
	if tb.m == nil {
		tb.m = map[uint32]Dissector{}
	}
	tb.m[key] = d
}

// Lookup is the dissector for key, or nil.
func (tb *Table) Lookup(key uint32) Dissector {
	if key < uint32(len(tb.dense)) {
		return tb.dense[key]
	}
	return tb.m[key]
}

// Call runs d on [off, end) unless the packet nests too deep, and reports
// whether it ran.
func (t *Tree) Call(d Dissector, off, end int) bool {
	if d == nil || !t.Enter() {
		return false
	}
	d(t, off, end)
	t.Leave()
	return true
}

// Fields of the frame: the capture's facts about the packet, the first layer
// of every tree.
var (
	protoFrame        = proto("frame", "Frame")
	fFrameNumber      = field("frame.number", "Frame Number", TypeUint32)
	fFrameTimeEpoch   = field("frame.time_epoch", "Epoch Time", TypeRelTime)
	fFrameLen         = field("frame.len", "Frame length on the wire", TypeUint32)
	fFrameLenLtCaplen = field("frame.len_lt_caplen", "Frame length is less than captured length", TypeNone)
	fFrameCapLen      = field("frame.cap_len", "Frame length stored into the capture file", TypeUint32)
	fFrameInterfaceID = field("frame.interface_id", "Interface id", TypeUint32)
	fFrameInterface   = field("frame.interface_name", "Interface name", TypeString)
	fFrameLinkType    = field("frame.link_type", "Link type", TypeUint32)
	// A comment the capture file gives the packet (a wire.Comment in the
	// CaptureInfo's AncillaryData), with its expert item, whose message is
	// the comment: tshark 4.0 gives both under a "pkt_comment" layer before
	// the frame; here they are the frame's.
	fFrameComment       = field("frame.comment", "Comment", TypeString)
	fFrameCommentExpert = field("frame.comment.expert", "Formatted comment", TypeNone)
	protoData           = proto("data", "Data")
	fDataData           = field("data.data", "Data", TypeBytes)
	fDataLen            = field("data.len", "Length", TypeInt32)
	protoMalformed      = proto("_ws.malformed", "Malformed Packet")
	protoShort          = proto("_ws.short", "Packet size limited during capture")
	protoUnknownLink    = proto("_ws.unknown_link", "Unsupported link type")
	fUnknownLinkHeader  = field("_ws.unknown_link.type", "Link type", TypeUint32)
)

// Dissect fills t with packet number (counting from 1) of a capture: the
// frame layer, then the layers its link type leads to.
func (t *Tree) Dissect(data []byte, ci gopacket.CaptureInfo, link wire.LinkType, number int) {
	t.Reset(data, ci, link)
	t.Number = number
	if number == 1 || t.First.IsZero() {
		t.First, t.lastTime = ci.Timestamp, ci.Timestamp
	}
	t.Previous, t.Displayed, t.lastTime = t.lastTime, t.lastTime, ci.Timestamp
	f := t.AddLayer(protoFrame, 0, len(data))
	t.Add(f, fFrameNumber, 0, 0, uint64(number))
	t.Add(f, fFrameTimeEpoch, 0, 0, uint64(epochNanos(ci.Timestamp)))
	if fl := t.Add(f, fFrameLen, 0, 0, uint64(ci.Length)); ci.Length < len(data) {
		t.Add(fl, fFrameLenLtCaplen, 0, 0, 0)
	}
	t.Add(f, fFrameCapLen, 0, 0, uint64(len(data)))
	t.Add(f, fFrameInterfaceID, 0, 0, uint64(ci.InterfaceIndex))
	t.Add(f, fFrameLinkType, 0, 0, uint64(link))
	for _, a := range ci.AncillaryData {
		if c, ok := a.(wire.Comment); ok {
			start := len(t.Text)
			t.Text = append(t.Text, c...)
			i := t.Add(f, fFrameComment, 0, 0, 0)
			t.SetText(i, start)
			t.Add(i, fFrameCommentExpert, 0, 0, 0)
		}
	}
	d := LinkTypes.Lookup(uint32(link))
	if d == nil {
		l := t.AddLayer(protoUnknownLink, 0, len(data))
		t.Add(l, fUnknownLinkHeader, 0, 0, uint64(link))
		return
	}
	end := ci.Length
	if end < len(data) {
		end = len(data)
	}
	t.Call(d, 0, end)
}

// DissectData adds the bytes [off, end) as a data layer: what no dissector
// reads. Data the capture cuts short is not marked Truncated: tshark's data
// takes the bytes captured and was not seen to end in _ws.short (1 of the
// corpus's 552 hierarchies it reads, against 93 where it was marked).
func DissectData(t *Tree, off, end int) {
	n := t.Avail(off, end)
	l := t.AddLayer(protoData, off, end-off)
	if n > 0 {
		t.AddBytes(l, fDataData, off, n)
	}
	t.Add(l, fDataLen, off, 0, uint64(n)) // what was captured, as Wireshark counts it
}

// epochNanos is ts in nanoseconds since the epoch; a zero time is 0, and a
// time past what 64 bits of nanoseconds hold is clamped.
func epochNanos(ts time.Time) int64 {
	if ts.IsZero() {
		return 0
	}
	const limit = int64(math.MaxInt64 / 1_000_000_000)
	s := ts.Unix()
	switch {
	case s >= limit:
		return math.MaxInt64
	case s <= -limit:
		return math.MinInt64
	}
	return s*1e9 + int64(ts.Nanosecond())
}
