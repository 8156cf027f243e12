package decode

// ARP and RARP (RFC 826, RFC 903, Inverse ARP RFC 2390) and ATM ARP
// (RFC 2225), ethertypes 0x0806 and 0x8035.

import "strconv"

var (
	protoARP      = proto("arp", "Address Resolution Protocol")
	fARPHWType    = enumField("arp.hw.type", "Hardware type", TypeUint16, arpHardwareNames)
	fARPProtoType = register(Field{Name: "arp.proto.type", Title: "Protocol type", Type: TypeUint16, Values: etherTypeNames, Hex: true})
	fARPHWSize    = field("arp.hw.size", "Hardware size", TypeUint8)
	fARPProtoSize = field("arp.proto.size", "Protocol size", TypeUint8)
	fARPOpcode    = enumField("arp.opcode", "Opcode", TypeUint16, arpOpNames)
	fARPSrcHW     = field("arp.src.hw", "Sender hardware address", TypeBytes)
	fARPSrcHWMac  = field("arp.src.hw_mac", "Sender MAC address", TypeEther)
	fARPSrcProto  = field("arp.src.proto", "Sender protocol address", TypeBytes)
	fARPSrcIPv4   = field("arp.src.proto_ipv4", "Sender IP address", TypeIPv4)
	fARPDstHW     = field("arp.dst.hw", "Target hardware address", TypeBytes)
	fARPDstHWMac  = field("arp.dst.hw_mac", "Target MAC address", TypeEther)
	fARPDstProto  = field("arp.dst.proto", "Target protocol address", TypeBytes)
	fARPDstIPv4   = field("arp.dst.proto_ipv4", "Target IP address", TypeIPv4)
	fARPSrcHType  = flagField("arp.src.htype", "Sender ATM number type", 0x40)
	fARPSrcHLen   = register(Field{Name: "arp.src.hlen", Title: "Sender ATM number length", Type: TypeUint8, Mask: 0x3f})
	fARPSrcSType  = flagField("arp.src.stype", "Sender ATM subaddress type", 0x40)
	fARPSrcSLen   = register(Field{Name: "arp.src.slen", Title: "Sender ATM subaddress length", Type: TypeUint8, Mask: 0x3f})
	fARPSrcPLen   = field("arp.src.pln", "Sender protocol size", TypeUint8)
	fARPDstHType  = flagField("arp.dst.htype", "Target ATM number type", 0x40)
	fARPDstHLen   = register(Field{Name: "arp.dst.hlen", Title: "Target ATM number length", Type: TypeUint8, Mask: 0x3f})
	fARPDstSType  = flagField("arp.dst.stype", "Target ATM subaddress type", 0x40)
	fARPDstSLen   = register(Field{Name: "arp.dst.slen", Title: "Target ATM subaddress length", Type: TypeUint8, Mask: 0x3f})
	fARPDstPLen   = field("arp.dst.pln", "Target protocol size", TypeUint8)
	fARPSrcATMNum = field("arp.src.atm_num_nsap", "Sender ATM number (NSAP)", TypeBytes)
	fARPSrcATMSub = field("arp.src.atm_subaddr", "Sender ATM subaddress", TypeBytes)
	fARPDstATMNum = field("arp.dst.atm_num_nsap", "Target ATM number (NSAP)", TypeBytes)
	fARPDstATMSub = field("arp.dst.atm_subaddr", "Target ATM subaddress", TypeBytes)
)

func init() {
	Ethertypes.Register(0x0806, dissectARP)
	Ethertypes.Register(0x8035, dissectARP)
	registerText(protoARP, textARP)
}

// arpHardwareNames are the hardware types tcpdump names.
var arpHardwareNames = map[uint64]string{
	1:  "Ethernet",
	6:  "TokenRing",
	7:  "ArcNet",
	15: "FrameRelay",
	19: "ATM",
	23: "Strip",
	24: "IEEE 1394",
	32: "InfiniBand",
}

// arpOpNames are the operations tcpdump names.
var arpOpNames = map[uint64]string{
	1:  "Request",
	2:  "Reply",
	3:  "Reverse Request",
	4:  "Reverse Reply",
	8:  "Inverse Request",
	9:  "Inverse Reply",
	10: "NACK Reply",
}

const arpHrdATM = 19

func dissectARP(t *Tree, off, end int) {
	l := t.AddLayer(protoARP, off, end-off)
	avail := t.Avail(off, end)
	if avail < 8 {
		t.Mark(l, Truncated)
		return
	}
	hrd, pro := t.U16(off), t.U16(off+2)
	if hrd == arpHrdATM {
		if avail < 12 {
			t.Mark(l, Truncated)
			return
		}
		shl, ssl, sp := t.U8(off+4)&0x3f, t.U8(off+5)&0x3f, t.U8(off+8)
		thl, tsl, tp := t.U8(off+9)&0x3f, t.U8(off+10)&0x3f, t.U8(off+11)
		total := 12 + int(shl+ssl+sp+thl+tsl+tp)
		if avail < total {
			t.Mark(l, Truncated)
			return
		}
		t.Add(l, fARPHWType, off, 2, hrd)
		t.Add(l, fARPProtoType, off+2, 2, pro)
		h := t.Add(l, fARPSrcHLen, off+4, 1, shl)
		t.Add(h, fARPSrcHType, off+4, 1, t.U8(off+4)>>6&1)
		h = t.Add(l, fARPSrcSLen, off+5, 1, ssl)
		t.Add(h, fARPSrcSType, off+5, 1, t.U8(off+5)>>6&1)
		t.Add(l, fARPOpcode, off+6, 2, t.U16(off+6))
		t.Add(l, fARPSrcPLen, off+8, 1, sp)
		h = t.Add(l, fARPDstHLen, off+9, 1, thl)
		t.Add(h, fARPDstHType, off+9, 1, t.U8(off+9)>>6&1)
		h = t.Add(l, fARPDstSLen, off+10, 1, tsl)
		t.Add(h, fARPDstSType, off+10, 1, t.U8(off+10)>>6&1)
		t.Add(l, fARPDstPLen, off+11, 1, tp)
		o := off + 12
		t.AddBytes(l, fARPSrcATMNum, o, int(shl))
		o += int(shl)
		t.AddBytes(l, fARPSrcATMSub, o, int(ssl))
		o += int(ssl)
		arpProtoAddr(t, l, fARPSrcIPv4, fARPSrcProto, pro, o, int(sp))
		o += int(sp)
		t.AddBytes(l, fARPDstATMNum, o, int(thl))
		o += int(thl)
		t.AddBytes(l, fARPDstATMSub, o, int(tsl))
		o += int(tsl)
		arpProtoAddr(t, l, fARPDstIPv4, fARPDstProto, pro, o, int(tp))
		return
	}
	hl, pl := int(t.U8(off+4)), int(t.U8(off+5))
	if avail < 8+2*hl+2*pl {
		t.Mark(l, Truncated)
		return
	}
	t.Add(l, fARPHWType, off, 2, hrd)
	t.Add(l, fARPProtoType, off+2, 2, pro)
	t.Add(l, fARPHWSize, off+4, 1, uint64(hl))
	t.Add(l, fARPProtoSize, off+5, 1, uint64(pl))
	t.Add(l, fARPOpcode, off+6, 2, t.U16(off+6))
	o := off + 8
	arpHWAddr(t, l, fARPSrcHWMac, fARPSrcHW, o, hl)
	o += hl
	arpProtoAddr(t, l, fARPSrcIPv4, fARPSrcProto, pro, o, pl)
	o += pl
	arpHWAddr(t, l, fARPDstHWMac, fARPDstHW, o, hl)
	o += hl
	arpProtoAddr(t, l, fARPDstIPv4, fARPDstProto, pro, o, pl)
}

func arpHWAddr(t *Tree, l int, mac, other FieldID, off, n int) {
	if n == 6 {
		t.AddBytes(l, mac, off, n)
	} else {
		t.AddBytes(l, other, off, n)
	}
}

func arpProtoAddr(t *Tree, l int, v4, other FieldID, pro uint64, off, n int) {
	if n == 4 && arpIsIP(pro) {
		t.AddBytes(l, v4, off, n)
	} else {
		t.AddBytes(l, other, off, n)
	}
}

// arpIsIP: the protocol types tcpdump reads as IPv4 addresses.
func arpIsIP(pro uint64) bool { return pro == 0x0800 || pro == 0x1000 }

// arpAddrs are the nodes of an ARP layer's addresses, -1 for those absent.
type arpAddrs struct{ sha, ssa, spa, tha, tsa, tpa int }

func arpFindAddrs(t *Tree, n int) (a arpAddrs) {
	a = arpAddrs{-1, -1, -1, -1, -1, -1}
	end := t.LayerEnd(n)
	for i := n + 1; i < end; i++ {
		switch t.Nodes[i].Field {
		case fARPSrcHW, fARPSrcHWMac, fARPSrcATMNum:
			a.sha = i
		case fARPSrcATMSub:
			a.ssa = i
		case fARPSrcProto, fARPSrcIPv4:
			a.spa = i
		case fARPDstHW, fARPDstHWMac, fARPDstATMNum:
			a.tha = i
		case fARPDstATMSub:
			a.tsa = i
		case fARPDstProto, fARPDstIPv4:
			a.tpa = i
		}
	}
	return a
}

func (p *Printer) arpBytes(i int) []byte {
	if i < 0 {
		return nil
	}
	return p.t.Bytes(i)
}

// arpHW appends a hardware address as tcpdump does for hardware type hrd.
func (p *Printer) arpHW(hrd uint64, a, sub int) {
	b := p.arpBytes(a)
	if len(b) == 0 && hrd != arpHrdATM {
		p.b = append(p.b, "<empty>"...)
		return
	}
	switch hrd {
	case 15:
		p.b = arpAppendDLCI(p.b, b)
	case arpHrdATM:
		if len(b) == 0 {
			p.b = append(p.b, "<No address>"...)
			return
		}
		p.b = appendHexColons(p.b, b)
		if s := p.arpBytes(sub); len(s) > 0 {
			p.b = append(p.b, ',')
			p.b = appendHexColons(p.b, s)
		}
	default:
		p.b = appendHexColons(p.b, b)
	}
}

// arpAppendDLCI appends a Q.922 address (a Frame Relay DLCI) of 2, 3 or 4
// bytes, its length told by the address extension bits.
func arpAppendDLCI(b, a []byte) []byte {
	if len(a) < 2 {
		if len(a) == 1 && a[0]&1 == 0 {
			return append(b, "<Truncated>"...)
		}
		return append(b, "<Invalid DLCI>"...)
	}
	if a[0]&1 != 0 {
		return append(b, "<Invalid DLCI>"...)
	}
	dlci := uint64(a[0]&0xfc)<<2 | uint64(a[1]&0xf0)>>4
	switch {
	case a[1]&1 != 0:
	case len(a) < 3:
		return append(b, "<Truncated>"...)
	case a[2]&1 != 0:
		dlci = dlci<<6 | uint64(a[2]>>2)
	case len(a) < 4:
		return append(b, "<Truncated>"...)
	case a[3]&1 != 0:
		dlci = dlci<<13 | uint64(a[2]>>1)<<6 | uint64(a[3]>>2)
	default:
		return append(b, "<Invalid DLCI>"...)
	}
	b = append(b, "DLCI "...)
	return strconv.AppendUint(b, dlci, 10)
}

// arpProto appends a protocol address, or why it cannot be read.
func (p *Printer) arpProto(pro uint64, a int, wrong string) {
	b := p.arpBytes(a)
	switch {
	case !arpIsIP(pro):
		p.b = append(p.b, "<wrong proto type>"...)
	case len(b) != 4:
		p.b = append(p.b, wrong...)
	default:
		p.b = appendIPv4Text(p.b, b)
	}
}

// appendIPv4Text appends 4 bytes as a dotted quad.
func appendIPv4Text(b, a []byte) []byte {
	for i, c := range a {
		if i > 0 {
			b = append(b, '.')
		}
		b = strconv.AppendUint(b, uint64(c), 10)
	}
	return b
}

func arpAppendProtoName(b []byte, pro uint64) []byte {
	if s, ok := etherTypeNames[pro]; ok {
		return append(b, s...)
	}
	b = append(b, "Unknown Protocol ("...)
	b = linkHex16(b, pro)
	return append(b, ')')
}

func textARP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	if t.Nodes[n].Flags&Truncated != 0 {
		p.b = append(p.b, " [|arp]"...)
		return
	}
	if !p.opt.Link {
		p.b = append(p.b, "ARP, "...)
	}
	hrd, _ := t.Value(n, fARPHWType)
	pro, _ := t.Value(n, fARPProtoType)
	op, _ := t.Value(n, fARPOpcode)
	a := arpFindAddrs(t, n)
	atm := hrd == arpHrdATM
	var short bool
	if atm {
		sp, _ := t.Value(n, fARPSrcPLen)
		tp, _ := t.Value(n, fARPDstPLen)
		short = !arpIsIP(pro) || sp != 4 || tp != 4
		if short || p.opt.Verbose > 0 {
			p.b = append(p.b, "ATM, "...)
			p.b = arpAppendProtoName(p.b, pro)
			p.b = append(p.b, " (len "...)
			p.b = strconv.AppendUint(p.b, sp, 10)
			p.b = append(p.b, '/')
			p.b = strconv.AppendUint(p.b, tp, 10)
			p.b = append(p.b, ')')
		}
	} else {
		hl, _ := t.Value(n, fARPHWSize)
		pl, _ := t.Value(n, fARPProtoSize)
		short = !arpIsIP(pro) || pl != 4 || hl == 0
		if short || p.opt.Verbose > 0 {
			if s, ok := arpHardwareNames[hrd]; ok {
				p.b = append(p.b, s...)
			} else {
				p.b = append(p.b, "Unknown Hardware ("...)
				p.b = strconv.AppendUint(p.b, hrd, 10)
				p.b = append(p.b, ')')
			}
			p.b = append(p.b, " (len "...)
			p.b = strconv.AppendUint(p.b, hl, 10)
			p.b = append(p.b, "), "...)
			p.b = arpAppendProtoName(p.b, pro)
			p.b = append(p.b, " (len "...)
			p.b = strconv.AppendUint(p.b, pl, 10)
			p.b = append(p.b, ')')
		}
	}
	if short && p.opt.Verbose == 0 {
		p.arpLength(n)
		return
	}
	if p.opt.Verbose > 0 {
		p.b = append(p.b, ", "...)
	}
	wrongS, wrongT := "<wrong len>", "<wrong len>"
	if atm {
		wrongS, wrongT = "<wrong splen>", "<wrong tplen>"
	}
	switch {
	case op == 1:
		p.b = append(p.b, "Request who-has "...)
		p.arpProto(pro, a.tpa, wrongT)
		tha := p.arpBytes(a.tha)
		if (atm && len(tha) > 0) || (!atm && !arpZero(tha)) {
			p.b = append(p.b, " ("...)
			p.arpHW(hrd, a.tha, a.tsa)
			p.b = append(p.b, ')')
		}
		p.b = append(p.b, " tell "...)
		p.arpProto(pro, a.spa, wrongS)
	case op == 2:
		p.b = append(p.b, "Reply "...)
		p.arpProto(pro, a.spa, wrongS)
		p.b = append(p.b, " is-at "...)
		p.arpHW(hrd, a.sha, a.ssa)
	case op == 3 && !atm:
		p.b = append(p.b, "Reverse Request who-is "...)
		p.arpHW(hrd, a.tha, a.tsa)
		p.b = append(p.b, " tell "...)
		p.arpHW(hrd, a.sha, a.ssa)
	case op == 4 && !atm:
		p.b = append(p.b, "Reverse Reply "...)
		p.arpHW(hrd, a.tha, a.tsa)
		p.b = append(p.b, " at "...)
		p.arpProto(pro, a.tpa, wrongT)
	case op == 8:
		p.b = append(p.b, "Inverse Request who-is "...)
		p.arpHW(hrd, a.tha, a.tsa)
		p.b = append(p.b, " tell "...)
		p.arpHW(hrd, a.sha, a.ssa)
	case op == 9:
		p.b = append(p.b, "Inverse Reply "...)
		p.arpHW(hrd, a.sha, a.ssa)
		if atm {
			p.b = append(p.b, "at "...)
		} else {
			p.b = append(p.b, " at "...)
		}
		p.arpProto(pro, a.spa, wrongS)
	case op == 10 && atm:
		p.b = append(p.b, "NACK Reply for "...)
		p.arpProto(pro, a.spa, wrongS)
	default:
		if s, ok := arpOpNames[op]; ok {
			p.b = append(p.b, s...)
		} else {
			p.b = append(p.b, "Unknown ("...)
			p.b = strconv.AppendUint(p.b, op, 10)
			p.b = append(p.b, ')')
		}
		p.b = append(p.b, ' ')
		off := int(t.Nodes[n].Off)
		p.b = appendHexRows(p.b, t.Data[off:off+t.Avail(off, off+int(t.Nodes[n].Len))], 0, true)
		return
	}
	p.arpLength(n)
}

func (p *Printer) arpLength(n int) {
	p.b = append(p.b, ", length "...)
	p.b = strconv.AppendInt(p.b, int64(p.t.Nodes[n].Len), 10)
}

func arpZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
