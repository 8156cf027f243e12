package decode

import "strconv"

// AppleTalk ARP (Ethertype 0x80f3), as Inside AppleTalk lays it out: an
// ARP-like header (hardware and protocol types and sizes, a function) and
// the sender's and target's addresses; an AppleTalk address is a pad byte,
// a 16-bit network and a node.
//
// tshark reads every address before it adds the layer's item: a packet
// that ends before them has none (Nested), and the bytes missing are an
// exception. tcpdump reads the 28 bytes of the Ethernet/AppleTalk form,
// and names the function only when the header says that form.

var (
	protoAARP       = proto("aarp", "AppleTalk Address Resolution Protocol")
	fAARPHWType     = register(Field{Name: "aarp.hard.type", Title: "Hardware type", Type: TypeUint16, Hex: true, Values: aarpHWNames})
	fAARPProtoType  = register(Field{Name: "aarp.proto.type", Title: "Protocol type", Type: TypeUint16, Hex: true, Values: map[uint64]string{0x809b: "AppleTalk LLAP bridging", 0x0800: "IPv4"}})
	fAARPHWSize     = field("aarp.hard.size", "Hardware size", TypeUint8)
	fAARPProtoSize  = field("aarp.proto.size", "Protocol size", TypeUint8)
	fAARPOpcode     = enumField("aarp.opcode", "Opcode", TypeUint16, aarpOpNames)
	fAARPSrcHW      = field("aarp.src.hw", "Sender hardware address", TypeBytes)
	fAARPSrcHWMac   = field("aarp.src.hw_mac", "Sender MAC address", TypeEther)
	fAARPSrcProto   = field("aarp.src.proto", "Sender protocol address", TypeBytes)
	fAARPSrcProtoID = field("aarp.src.proto_id", "Sender ID", TypeBytes)
	fAARPDstHW      = field("aarp.dst.hw", "Target hardware address", TypeBytes)
	fAARPDstHWMac   = field("aarp.dst.hw_mac", "Target MAC address", TypeEther)
	fAARPDstProto   = field("aarp.dst.proto", "Target protocol address", TypeBytes)
	fAARPDstProtoID = field("aarp.dst.proto_id", "Target ID", TypeBytes)
)

var (
	aarpHWNames = map[uint64]string{1: "Ethernet", 2: "Token Ring"}
	aarpOpNames = map[uint64]string{1: "request", 2: "reply", 3: "probe"}
)

// aarpLen is the length of the Ethernet/AppleTalk form tcpdump reads.
const aarpLen = 28

func init() {
	Ethertypes.Register(0x80f3, dissectAARP)
	registerText(protoAARP, textAARP)
}

func dissectAARP(t *Tree, off, end int) {
	l := t.AddLayer(protoAARP, off, end-off)
	avail := t.Avail(off, end)
	if avail < 8 || avail < 8+2*int(t.U8(off+4)+t.U8(off+5)) {
		t.Nodes[l].Flags |= Nested
		t.Mark(l, Truncated)
		return
	}
	hrd, pro := t.U16(off), t.U16(off+2)
	hs, ps := int(t.U8(off+4)), int(t.U8(off+5))
	t.Add(l, fAARPHWType, off, 2, hrd)
	t.Add(l, fAARPProtoType, off+2, 2, pro)
	t.Add(l, fAARPHWSize, off+4, 1, uint64(hs))
	t.Add(l, fAARPProtoSize, off+5, 1, uint64(ps))
	t.Add(l, fAARPOpcode, off+6, 2, t.U16(off+6))
	o := off + 8
	for _, f := range [2][4]FieldID{
		{fAARPSrcHWMac, fAARPSrcHW, fAARPSrcProtoID, fAARPSrcProto},
		{fAARPDstHWMac, fAARPDstHW, fAARPDstProtoID, fAARPDstProto},
	} {
		if hs == 6 && (hrd == 1 || hrd == 2) {
			t.AddBytes(l, f[0], o, hs)
		} else {
			t.AddBytes(l, f[1], o, hs)
		}
		o += hs
		if ps == 4 && pro == 0x809b {
			t.AddBytes(l, f[2], o, ps)
		} else {
			t.AddBytes(l, f[3], o, ps)
		}
		o += ps
	}
}

// textAARP prints tcpdump's line: the function with its addresses for the
// Ethernet/AppleTalk form, the header's numbers for any other.
func textAARP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off, end := int(t.Nodes[n].Off), int(t.Nodes[n].Off+t.Nodes[n].Len)
	p.b = append(p.b, "aarp "...)
	if t.Avail(off, end) < aarpLen {
		p.b = append(p.b, " [|aarp]"...)
		return
	}
	hrd, pro, op := t.U16(off), t.U16(off+2), t.U16(off+6)
	hs, ps := t.U8(off+4), t.U8(off+5)
	at := func(o int) {
		p.b = strconv.AppendUint(p.b, t.U16(o+1), 10)
		p.b = append(p.b, '.')
		p.b = strconv.AppendUint(p.b, t.U8(o+3), 10)
	}
	if hrd == 1 && pro == 0x809b && hs == 6 && ps == 4 {
		switch op {
		case 1, 3:
			if op == 1 {
				p.b = append(p.b, "who-has "...)
			} else {
				p.b = append(p.b, "probe "...)
			}
			at(off + 24)
			p.b = append(p.b, " tell "...)
			at(off + 14)
			return
		case 2:
			p.b = append(p.b, "reply "...)
			at(off + 14)
			p.b = append(p.b, " is-at "...)
			p.b = appendHexColons(p.b, t.Data[off+8:off+14])
			return
		}
	}
	p.b = append(p.b, "len "...)
	p.b = strconv.AppendUint(p.b, uint64(end-off), 10)
	p.b = append(p.b, " op "...)
	p.b = strconv.AppendUint(p.b, op, 10)
	p.b = append(p.b, " htype "...)
	p.b = strconv.AppendUint(p.b, hrd, 10)
	p.b = append(p.b, " ptype 0x"...)
	p.b = strconv.AppendUint(p.b, pro, 16)
	p.b = append(p.b, " halen "...)
	p.b = strconv.AppendUint(p.b, hs, 10)
	p.b = append(p.b, " palen "...)
	p.b = strconv.AppendUint(p.b, ps, 10)
}
