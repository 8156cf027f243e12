package decode

import (
	"io"
	"math"
	"net/netip"
	"strconv"
	"unicode/utf8"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// JSONPrinter writes one JSON object per packet per line. The object's keys
// are the protocols of the packet's layers in order ("frame", "eth", "ip",
// "tcp"...), each an object of its fields under their registry names
// ("ip.ttl": 64). A field that occurs more than once in a layer (DNS answers,
// TCP options) has an array of its values, and so has a protocol that occurs
// more than once in a packet (the inner and outer "ip" of a tunnel). Groups
// without a value of their own add no key: their subfields are in the same
// object. A layer cut short by the capture's end has "_ws.short": true, a
// malformed one "_ws.malformed": true.
type JSONPrinter struct {
	output
	next  []int32 // the next node of the same field in the layer, or -1
	last  []int32 // by FieldID: the last node seen of it, and its stamp
	stamp []uint32
	gen   uint32
	lnext []int32 // the next layer of the same protocol, or -1
	chain []int32 // the nodes of one repeated field
}

// NewJSONPrinter returns a JSONPrinter that writes to w.
func NewJSONPrinter(w io.Writer, opt Options) *JSONPrinter {
	return &JSONPrinter{output: newOutput(w, opt)}
}

// Print writes packet data, captured as ci from a link of type link.
func (j *JSONPrinter) Print(data []byte, ci gopacket.CaptureInfo, link wire.LinkType) error {
	n, err := j.start(link)
	if err != nil {
		return err
	}
	start := len(j.b)
	if recoverPanics {
		defer func() {
			if r := recover(); r != nil {
				j.b = j.b[:start]
				j.b = append(j.b, `{"frame":{"frame.number":`...)
				j.b = strconv.AppendInt(j.b, int64(n), 10)
				j.b = append(j.b, `},"_ws.malformed":true}`+"\n"...)
			}
		}()
	}
	j.dissect(data, ci, link, n)
	j.b = j.appendPacket(j.b)
	return j.end()
}

// link finds, for every node, the next node of the same field in its layer,
// and for every layer the next layer of the same protocol.
func (j *JSONPrinter) link() {
	t := j.cur
	if len(j.last) < len(registry) {
		j.last = make([]int32, len(registry))
		j.stamp = make([]uint32, len(registry))
	}
	if cap(j.next) < len(t.Nodes) {
		j.next = make([]int32, len(t.Nodes), 2*len(t.Nodes))
	}
	j.next = j.next[:len(t.Nodes)]
	// Layers: one generation for the whole packet.
	j.gen++
	if cap(j.lnext) < len(t.Layers) {
		j.lnext = make([]int32, len(t.Layers), 2*len(t.Layers))
	}
	j.lnext = j.lnext[:len(t.Layers)]
	for i := len(t.Layers) - 1; i >= 0; i-- {
		f := t.Nodes[t.Layers[i]].Field
		j.lnext[i] = -1
		if j.stamp[f] == j.gen {
			j.lnext[i] = j.last[f]
		}
		j.stamp[f], j.last[f] = j.gen, int32(i)
	}
	// Fields: a generation per layer.
	for li := len(t.Layers) - 1; li >= 0; li-- {
		j.gen++
		lo := int(t.Layers[li])
		hi := len(t.Nodes)
		if li+1 < len(t.Layers) {
			hi = int(t.Layers[li+1])
		}
		for i := hi - 1; i > lo; i-- {
			f := t.Nodes[i].Field
			j.next[i] = -1
			if j.stamp[f] == j.gen {
				j.next[i] = j.last[f]
			}
			j.stamp[f], j.last[f] = j.gen, int32(i)
		}
	}
}

func (j *JSONPrinter) appendPacket(b []byte) []byte {
	t := j.cur
	j.link()
	// done marks the layers and fields already written as part of an array.
	j.gen++
	doneGen := j.gen
	b = append(b, '{')
	for li := range t.Layers {
		l := int(t.Layers[li])
		f := t.Nodes[l].Field
		if j.stamp[f] == doneGen && j.last[f] == -2 {
			continue // written with the first layer of its protocol
		}
		if li > 0 {
			b = append(b, ',')
		}
		b = appendJSONKey(b, registry[f].Name)
		if j.lnext[li] < 0 {
			b = j.appendLayer(b, li)
			continue
		}
		b = append(b, '[')
		for k := li; k >= 0; k = int(j.lnext[k]) {
			if k != li {
				b = append(b, ',')
			}
			b = j.appendLayer(b, k)
		}
		b = append(b, ']')
		j.stamp[f], j.last[f] = doneGen, -2
	}
	return append(b, "}\n"...)
}

// appendLayer writes layer li as an object.
func (j *JSONPrinter) appendLayer(b []byte, li int) []byte {
	t := j.cur
	lo := int(t.Layers[li])
	hi := len(t.Nodes)
	if li+1 < len(t.Layers) {
		hi = int(t.Layers[li+1])
	}
	b = append(b, '{')
	first := true
	sep := func(b []byte) []byte {
		if !first {
			b = append(b, ',')
		}
		first = false
		return b
	}
	if li == 0 {
		if name, ok := j.interfaceName(); ok {
			b = sep(b)
			b = appendJSONKey(b, "frame.interface_name")
			b = appendJSONString(b, []byte(name))
		}
	}
	for i := lo + 1; i < hi; i++ {
		n := &t.Nodes[i]
		typ := registry[n.Field].Type
		if typ == TypeNone || typ == TypeProtocol {
			continue
		}
		if j.next[i] == -2 {
			continue // written in an array before
		}
		b = sep(b)
		b = appendJSONKey(b, registry[n.Field].Name)
		if j.next[i] < 0 {
			b = j.appendValue(b, i)
			for _, c := range registry[n.Field].Bits {
				if !c.BitPresent(n.Val) {
					continue
				}
				b = append(b, ',')
				b = appendJSONKey(b, registry[c].Name)
				b = appendBitValue(b, c, n.Val)
			}
			continue
		}
		j.chain = j.chain[:0]
		for k := i; k >= 0; {
			j.chain = append(j.chain, int32(k))
			nk := int(j.next[k])
			j.next[k] = -2
			k = nk
		}
		b = append(b, '[')
		for x, k := range j.chain {
			if x > 0 {
				b = append(b, ',')
			}
			b = j.appendValue(b, int(k))
		}
		b = append(b, ']')
		for _, c := range registry[n.Field].Bits {
			x := 0
			for _, k := range j.chain {
				if !c.BitPresent(t.Nodes[k].Val) {
					continue
				}
				if x == 0 {
					b = append(b, ',')
					b = appendJSONKey(b, registry[c].Name)
					b = append(b, '[')
				} else {
					b = append(b, ',')
				}
				b = appendBitValue(b, c, t.Nodes[k].Val)
				x++
			}
			if x > 0 {
				b = append(b, ']')
			}
		}
	}
	if f := t.Nodes[lo].Flags; f&Truncated != 0 {
		b = sep(b)
		b = append(b, `"_ws.short":true`...)
	} else if f&Malformed != 0 {
		b = sep(b)
		b = append(b, `"_ws.malformed":true`...)
	}
	return append(b, '}')
}

// appendValue writes node i's value as JSON.
func (j *JSONPrinter) appendValue(b []byte, i int) []byte {
	return appendJSONValue(b, j.cur, i)
}

// appendJSONValue writes node i's value as JSON: a number, a boolean or a
// string, by the type of its field.
func appendJSONValue(b []byte, t *Tree, i int) []byte {
	n := &t.Nodes[i]
	f := &registry[n.Field]
	switch f.Type {
	case TypeBoolean:
		return strconv.AppendBool(b, n.Val != 0)
	case TypeUint8, TypeUint16, TypeUint24, TypeUint32, TypeUint40, TypeUint48, TypeUint56, TypeUint64, TypeFrameNum:
		return strconv.AppendUint(b, n.Val, 10)
	case TypeInt8:
		return strconv.AppendInt(b, int64(int8(n.Val)), 10)
	case TypeInt16:
		return strconv.AppendInt(b, int64(int16(n.Val)), 10)
	case TypeInt24:
		return strconv.AppendInt(b, int64(n.Val<<40)>>40, 10)
	case TypeInt32:
		return strconv.AppendInt(b, int64(int32(n.Val)), 10)
	case TypeInt64:
		return strconv.AppendInt(b, int64(n.Val), 10)
	case TypeFloat, TypeDouble:
		v := math.Float64frombits(n.Val)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return append(b, "null"...)
		}
		return strconv.AppendFloat(b, v, 'g', -1, 64)
	case TypeAbsTime, TypeRelTime:
		return appendSeconds(b, int64(n.Val))
	case TypeChar:
		return appendJSONString(b, t.Bytes(i))
	case TypeEther, TypeEUI64:
		return append(appendHexColons(append(b, '"'), t.Bytes(i)), '"')
	case TypeIPv4:
		v := t.Bytes(i)
		if len(v) != 4 {
			return append(appendHexColons(append(b, '"'), v), '"')
		}
		b = append(b, '"')
		b = netip.AddrFrom4([4]byte(v)).AppendTo(b)
		return append(b, '"')
	case TypeIPv6:
		v := t.Bytes(i)
		if len(v) != 16 {
			return append(appendHexColons(append(b, '"'), v), '"')
		}
		b = append(b, '"')
		b = netip.AddrFrom16([16]byte(v)).AppendTo(b)
		return append(b, '"')
	case TypeString, TypeStringz, TypeStringzPad, TypeUintString:
		return appendJSONString(b, t.Bytes(i))
	default: // bytes, GUIDs, OIDs
		return append(appendHexColons(append(b, '"'), t.Bytes(i)), '"')
	}
}

// appendSeconds writes ns nanoseconds as seconds with nine decimals.
func appendSeconds(b []byte, ns int64) []byte {
	if ns < 0 {
		b = append(b, '-')
		ns = -ns
	}
	b = strconv.AppendInt(b, ns/1e9, 10)
	b = append(b, '.')
	frac := ns % 1e9
	var d [9]byte
	for k := 8; k >= 0; k-- {
		d[k] = byte('0' + frac%10)
		frac /= 10
	}
	return append(b, d[:]...)
}

const hexDigits = "0123456789abcdef"

// appendHexColons writes v as hex bytes joined by colons, as Wireshark shows
// bytes and hardware addresses.
func appendHexColons(b, v []byte) []byte {
	for k, c := range v {
		if k > 0 {
			b = append(b, ':')
		}
		b = append(b, hexDigits[c>>4], hexDigits[c&15])
	}
	return b
}

// appendJSONKey writes "name":.
func appendJSONKey(b []byte, name string) []byte {
	b = append(b, '"')
	b = append(b, name...)
	return append(b, '"', ':')
}

// appendJSONString writes s as a JSON string: quotes, backslashes and
// control characters escaped, bytes that are not UTF-8 as U+FFFD.
func appendJSONString(b, s []byte) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20 || c == 0x7f:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// interfaceName names the packet's interface: the capture file's name for
// its interface index, or else, for a Linux cooked v2 header, the name of its
// ifindex on this machine (Options.IfName), as the text names it.
func (j *JSONPrinter) interfaceName() (string, bool) {
	t := j.cur
	if name, ok := j.ifNames[t.CI.InterfaceIndex]; ok {
		return name, true
	}
	if j.opt.IfName == nil || len(t.Layers) < 2 {
		return "", false
	}
	if i := t.Find(int(t.Layers[1]), fSLLIfindex); i >= 0 {
		return j.opt.IfName(int(t.Nodes[i].Val))
	}
	return "", false
}

// appendBitValue writes bit field c's value, read from its parent's value v.
func appendBitValue(b []byte, c FieldID, v uint64) []byte {
	x := bitValue(c, v)
	if registry[c].Type == TypeBoolean {
		return strconv.AppendBool(b, x != 0)
	}
	return strconv.AppendUint(b, x, 10)
}
