package decode

// SLIP (LINKTYPE_SLIP 8, RFC 1055) as BSD's capture gives it: a 16-byte
// pseudo-header, the direction (0 in, 1 out) and the first 15 bytes of the
// Van Jacobson compressed header (RFC 1144) if there was one, then the IP
// packet. Wireshark does not read this link type (its tree is the frame's
// data); the layer is here for tcpdump's text, and the hierarchy counts a
// SLIP frame as data.

import (
	"strconv"

	"github.com/sockscope/sockscope/decode/wire"
)

var (
	protoSLIP      = proto("slip", "Serial Line IP")
	fSLIPDirection = field("slip.direction", "Direction", TypeUint8)
	fSLIPLinkType  = register(Field{Name: "slip.type", Title: "Compressed header type", Type: TypeUint8, Hex: true})
)

// slipHeaderLen is the length of the capture's SLIP pseudo-header.
const slipHeaderLen = 16

func init() {
	LinkTypes.Register(uint32(wire.LinkSLIP), dissectSLIP)
	registerText(protoSLIP, textSLIP)
}

func dissectSLIP(t *Tree, off, end int) {
	l, _, ok := t.StartLayer(protoSLIP, off, end, slipHeaderLen)
	if !ok {
		return
	}
	t.Add(l, fSLIPDirection, off, 1, t.U8(off))
	t.Add(l, fSLIPLinkType, off+1, 1, t.U8(off+1))
	p := off + slipHeaderLen
	if t.NetOff == off {
		t.NetOff = p
	}
	if t.Avail(p, end) > 0 {
		switch t.U8(p) >> 4 {
		case 4:
			dispatchEthertype(t, 0x0800, p, end)
			return
		case 6:
			dispatchEthertype(t, 0x86dd, p, end)
			return
		}
	}
	DissectData(t, p, end)
}

// textSLIP prints, with -e, the direction ("I ", "O ", "Invalid direction
// 48 "), then the IP packet, or "ip v14" for another version.
func textSLIP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	dir, ok := t.Value(n, fSLIPDirection)
	if !ok {
		p.b = append(p.b, " [|slip]"...)
		return
	}
	if p.opt.Link {
		switch dir {
		case 0:
			p.b = append(p.b, "I "...)
		case 1:
			p.b = append(p.b, "O "...)
		default:
			p.b = append(p.b, "Invalid direction "...)
			p.b = strconv.AppendUint(p.b, dir, 10)
			p.b = append(p.b, ' ')
		}
		if ty, _ := t.Value(n, fSLIPLinkType); dir <= 1 && ty < 0x40 {
			// Not a compressed header's type: tcpdump flags the byte.
			p.b = append(p.b, "slip-"...)
			p.b = strconv.AppendUint(p.b, ty, 10)
			p.b = append(p.b, "!: "...)
		}
	}
	if next := p.Proto(l + 1); next == protoData || next == 0 {
		off := int(t.Nodes[n].Off) + slipHeaderLen
		if off < len(t.Data) {
			p.b = append(p.b, "ip v"...)
			p.b = strconv.AppendUint(p.b, uint64(t.Data[off]>>4), 10)
		} else {
			p.b = append(p.b, " [|slip]"...)
		}
		return
	}
	p.Layer(l + 1)
}
