package decode

// The Ethernet configuration testing protocol (ethertype 0x9000, "Loopback"
// of the Ethernet II specification): a skip count, then reply or forward
// messages, little-endian.

import (
	"encoding/binary"
	"strconv"
)

var (
	protoLoop     = proto("loop", "Configuration Test Protocol (loopback)")
	fLoopSkip     = field("loop.skipcount", "skipCount", TypeUint16)
	fLoopFunction = enumField("loop.function", "Function", TypeUint16, map[uint64]string{1: "Reply", 2: "Forward Data"})
	fLoopReceipt  = field("loop.receipt_number", "Receipt number", TypeUint16)
	fLoopFwdAddr  = field("loop.forwarding_address", "Forwarding address", TypeEther)
)

func init() {
	Ethertypes.Register(0x9000, dissectLoopback)
	registerText(protoLoop, textLoopback)
}

const (
	loopReply   = 1
	loopForward = 2
)

func dissectLoopback(t *Tree, off, end int) {
	l := t.AddLayer(protoLoop, off, end-off)
	capEnd := off + t.Avail(off, end)
	if off+2 > capEnd {
		t.Mark(l, Truncated)
		return
	}
	skip := int(binary.LittleEndian.Uint16(t.Data[off:]))
	t.Add(l, fLoopSkip, off, 2, uint64(skip))
	o := off + 2 + skip
	if o+2 > end || o+2 > capEnd {
		if o+2 > end {
			t.Mark(l, Malformed)
		} else {
			t.Mark(l, Truncated)
		}
		return
	}
	fn := uint64(binary.LittleEndian.Uint16(t.Data[o:]))
	t.Add(l, fLoopFunction, o, 2, fn)
	defer loopData(t, off+2, end, capEnd)
	switch fn {
	case loopReply:
		if o+4 <= end && o+4 <= capEnd {
			t.Add(l, fLoopReceipt, o+2, 2, uint64(binary.LittleEndian.Uint16(t.Data[o+2:])))
		}
	case loopForward:
		if o+8 <= end && o+8 <= capEnd {
			t.AddBytes(l, fLoopFwdAddr, o+2, 6)
		}
	}
}

func textLoopback(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off := int(t.Nodes[n].Off)
	end := off + int(t.Nodes[n].Len)
	capEnd := off + t.Avail(off, end)
	p.b = append(p.b, "Loopback"...)
	// need reports whether [off, e) is in the packet and was captured,
	// appending tcpdump's marks when not.
	need := func(e int) bool {
		switch {
		case e > end:
			p.b = append(p.b, " (invalid)"...)
			if capEnd < end {
				// tcpdump then checks the rest was captured.
				p.b = append(p.b, " [|loopback]"...)
				p.abandon()
			}
		case e > capEnd:
			p.b = append(p.b, " [|loopback]"...)
			p.abandon() // tcpdump abandons the packet: -x dumps it all
		default:
			return true
		}
		return false
	}
	if !need(off + 2) {
		return
	}
	skip, _ := t.Value(n, fLoopSkip)
	p.b = append(p.b, ", skipCount "...)
	p.b = strconv.AppendUint(p.b, skip, 10)
	if skip%8 != 0 {
		p.b = append(p.b, " (bogus)"...)
	}
	o := off + 2 + int(skip)
	if !need(o + 2) {
		return
	}
	fn, _ := t.Value(n, fLoopFunction)
	switch fn {
	case loopReply:
		p.b = append(p.b, ", Reply"...)
		if !need(o + 4) {
			return
		}
		v, _ := t.Value(n, fLoopReceipt)
		p.b = append(p.b, ", receipt number "...)
		p.b = strconv.AppendUint(p.b, v, 10)
		o += 4
	case loopForward:
		p.b = append(p.b, ", Forward Data"...)
		if !need(o + 8) {
			return
		}
		p.b = append(p.b, ", forwarding address "...)
		if i := t.Find(n, fLoopFwdAddr); i >= 0 {
			p.b = appendHexColons(p.b, t.Bytes(i))
		}
		o += 8
	default:
		p.b = append(p.b, ",  invalid ("...)
		p.b = strconv.AppendUint(p.b, fn, 10)
		p.b = append(p.b, ')')
		return
	}
	p.b = append(p.b, ", data ("...)
	p.b = strconv.AppendInt(p.b, int64(end-o), 10)
	p.b = append(p.b, " octets)"...)
	if end > capEnd {
		p.b = append(p.b, " [|loopback]"...)
		p.abandon()
	}
}

// loopData gives as data what follows the functions from p on, as tshark
// does: it reads forward-data functions (8 bytes each) up to a reply (4
// bytes), or to a function of neither kind.
func loopData(t *Tree, p, end, capEnd int) {
	for p+2 <= capEnd {
		fn := binary.LittleEndian.Uint16(t.Data[p:])
		if fn == loopForward && p+8 <= capEnd {
			p += 8
			continue
		}
		if fn == loopReply && p+4 <= capEnd {
			p += 4
		}
		break
	}
	if p < end && p <= capEnd {
		DissectData(t, p, end)
	}
}
