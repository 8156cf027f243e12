package decode

// The link layers: Ethernet (with 802.1Q/802.1ad VLAN tags), Linux cooked
// captures v1 and v2, BSD null and OpenBSD loop headers, and raw IP.

import (
	"math/bits"
	"strconv"

	"github.com/sockscope/sockscope/decode/wire"
)

var (
	protoEth = proto("eth", "Ethernet")
	fEthDst  = field("eth.dst", "Destination", TypeEther)
	fEthSrc  = field("eth.src", "Source", TypeEther)
	fEthType = register(Field{Name: "eth.type", Title: "Type", Type: TypeUint16, Values: etherTypeNames, Hex: true})
	fEthLen  = field("eth.len", "Length", TypeUint16)
	// fEthSrcGroup is the expert item of a source address with the
	// group (I/G) bit set (expert.go).
	fEthSrcGroup = field("eth.src_not_group", "Source MAC must not be a group address", TypeNone)

	protoVLAN     = proto("vlan", "802.1Q Virtual LAN")
	fVLANPriority = register(Field{Name: "vlan.priority", Title: "Priority", Type: TypeUint16, Mask: 0xe000})
	fVLANDEI      = flagField("vlan.dei", "DEI", 0x1000)
	fVLANID       = register(Field{Name: "vlan.id", Title: "ID", Type: TypeUint16, Mask: 0x0fff})
	fVLANEtype    = register(Field{Name: "vlan.etype", Title: "Type", Type: TypeUint16, Values: etherTypeNames, Hex: true})
	fVLANLen      = field("vlan.len", "Length", TypeUint16)

	// An 802.1ad service tag (ethertype 0x88a8) is its own protocol to
	// Wireshark, with the type field of 802.1ah.
	protoQinQ     = proto("ieee8021ad", "IEEE 802.1ad")
	fQinQPriority = register(Field{Name: "ieee8021ad.priority", Title: "Priority", Type: TypeUint16, Mask: 0xe000})
	fQinQDEI      = register(Field{Name: "ieee8021ad.dei", Title: "DEI", Type: TypeUint16, Mask: 0x1000})
	fQinQID       = register(Field{Name: "ieee8021ad.id", Title: "ID", Type: TypeUint16, Mask: 0x0fff})
	fQinQEtype    = register(Field{Name: "ieee8021ah.etype", Title: "Type", Type: TypeUint16, Values: etherTypeNames, Hex: true})

	protoSLL     = proto("sll", "Linux cooked-mode capture")
	fSLLPktType  = field("sll.pkttype", "Packet type", TypeUint16)
	fSLLHatype   = field("sll.hatype", "Link-layer address type", TypeUint16)
	fSLLHalen    = field("sll.halen", "Link-layer address length", TypeUint16)
	fSLLSrcEth   = field("sll.src.eth", "Source", TypeEther)
	fSLLSrcOther = field("sll.src.other", "Source", TypeBytes)
	fSLLUnused   = field("sll.unused", "Unused", TypeBytes)
	fSLLLtype    = field("sll.ltype", "Protocol", TypeUint16)
	fSLLEtype    = register(Field{Name: "sll.etype", Title: "Protocol", Type: TypeUint16, Values: etherTypeNames, Hex: true})
	fSLLIfindex  = field("sll.ifindex", "Interface index", TypeUint32)

	protoNull   = proto("null", "Null/Loopback")
	fNullFamily = field("null.family", "Family", TypeUint32)

	protoRaw = proto("raw", "Raw packet data")
)

func init() {
	LinkTypes.Register(uint32(wire.LinkEthernet), dissectEthernet)
	LinkTypes.Register(uint32(wire.LinkLinuxSLL), dissectSLL)
	LinkTypes.Register(uint32(wire.LinkLinuxSLL2), dissectSLL2)
	LinkTypes.Register(uint32(wire.LinkNull), dissectNull)
	LinkTypes.Register(uint32(wire.LinkLoop), dissectNull)
	LinkTypes.Register(uint32(wire.LinkRawOld), dissectRaw)
	LinkTypes.Register(uint32(wire.LinkRaw), dissectRaw)
	LinkTypes.Register(uint32(wire.LinkIPv4), dissectRaw)
	LinkTypes.Register(uint32(wire.LinkIPv6), dissectRaw)
	for _, et := range []uint32{0x8100, 0x9100, 0x9200} {
		Ethertypes.Register(et, dissectVLAN)
	}
	Ethertypes.Register(0x88a8, dissectQinQ)
	registerText(protoEth, textEth)
	registerText(protoVLAN, textVLAN)
	registerText(protoQinQ, textVLAN)
	registerText(protoSLL, textSLL)
	registerText(protoNull, textNull)
	registerText(protoRaw, textRaw)
}

// etherTypeNames are the names tcpdump gives ethertypes.
var etherTypeNames = map[uint64]string{
	0x00fe: "GRE-OSI",
	0x0200: "PUP",
	0x0500: "Sprite",
	0x0600: "NS",
	0x0707: "GeoNet (old)",
	0x0800: "IPv4",
	0x0806: "ARP",
	0x1000: "Trail",
	0x1111: "CALM FAST",
	0x6001: "MOP DL",
	0x6002: "MOP RC",
	0x6003: "DN",
	0x6004: "LAT",
	0x6007: "SCA",
	0x6558: "TEB",
	0x8035: "Reverse ARP",
	0x8038: "Lanbridge",
	0x803c: "DEC DNS",
	0x803e: "DEC DTS",
	0x805b: "VEXP",
	0x805c: "VPROD",
	0x809b: "Appletalk",
	0x80f3: "Appletalk ARP",
	0x8100: "802.1Q",
	0x8870: "Jumbo",
	0x8137: "IPX",
	0x86dd: "IPv6",
	0x8808: "MPCP",
	0x8809: "Slow Protocols",
	0x880b: "PPP",
	0x8847: "MPLS unicast",
	0x8848: "MPLS multicast",
	0x8863: "PPPoE D",
	0x8864: "PPPoE S",
	0x886f: "MS NLB heartbeat",
	0x888e: "EAPOL",
	0x8899: "Realtek protocols",
	0x88a2: "AoE",
	0x88a8: "802.1Q-QinQ",
	0x88ca: "TIPC",
	0x88cc: "LLDP",
	0x88e5: "802.1AE MACsec",
	0x88f7: "PTP",
	0x8902: "CFM",
	0x893a: "IEEE1905.1",
	0x8947: "GeoNet",
	0x894f: "NSH",
	0x9000: "Loopback",
	0x9100: "802.1Q-9100",
	0x9200: "802.1Q-9200",
	0xabcd: "CFM (old)",
	0xd28b: "Arista Vendor Specific Protocol",
	0xfefe: "OSI",
}

// setNetOff records where the link layer ends when layer node l is the
// capture's link layer (or a VLAN tag right after it).
func setNetOff(t *Tree, off int) {
	for i := 1; i < len(t.Layers); i++ {
		switch t.Nodes[t.Layers[i]].Field {
		case protoEth, protoVLAN, protoQinQ, protoSLL, protoNull, protoRaw:
			if i > 1 && t.Nodes[t.Layers[i]].Field == protoEth {
				return
			}
		default:
			return
		}
	}
	t.NetOff = off
}

// dispatchEthertype dissects [off, end) as the protocol of ethertype et.
func dispatchEthertype(t *Tree, et uint64, off, end int) {
	if d := Ethertypes.Lookup(uint32(et)); d != nil {
		t.Call(d, off, end)
		return
	}
	DissectData(t, off, end)
}

func dissectEthernet(t *Tree, off, end int) {
	l := t.AddLayer(protoEth, off, end-off)
	if t.Avail(off, end) < 14 {
		t.Mark(l, Truncated)
		return
	}
	t.AddBytes(l, fEthDst, off, 6)
	s := t.AddBytes(l, fEthSrc, off+6, 6)
	if t.Data[off+6]&1 != 0 {
		t.Nodes[t.Add(s, fEthSrcGroup, off+6, 6, 0)].Flags |= Generated
	}
	tl := t.U16(off + 12)
	setNetOff(t, off+14)
	if tl <= 1500 {
		t.Add(l, fEthLen, off+12, 2, tl)
		e := off + 14 + int(tl)
		if e > end {
			e = end
		}
		if d := llcDissector; d != nil {
			t.Call(d, off+14, e)
		} else {
			DissectData(t, off+14, e)
		}
		return
	}
	t.Add(l, fEthType, off+12, 2, tl)
	if tl == etherTypeJumbo && llcDissector != nil {
		t.Call(llcDissector, off+14, end)
		return
	}
	dispatchEthertype(t, tl, off+14, end)
}

// llcDissector is 802.2 LLC's dissector, set by llc.go.
var llcDissector Dissector

// vlanFields are the fields of an 802.1Q or an 802.1ad tag.
type vlanFields struct{ proto, prio, dei, id, etype FieldID }

var (
	vlanQ  = &vlanFields{protoVLAN, fVLANPriority, fVLANDEI, fVLANID, fVLANEtype}
	vlanAD = &vlanFields{protoQinQ, fQinQPriority, fQinQDEI, fQinQID, fQinQEtype}
)

// vlanFieldsOf is the field set of a tag layer's protocol.
func vlanFieldsOf(p FieldID) *vlanFields {
	if p == protoQinQ {
		return vlanAD
	}
	return vlanQ
}

func dissectVLAN(t *Tree, off, end int) { dissectTag(t, off, end, vlanQ) }
func dissectQinQ(t *Tree, off, end int) { dissectTag(t, off, end, vlanAD) }

// dissectTag reads a 4-byte 802.1Q or 802.1ad tag and what follows it.
func dissectTag(t *Tree, off, end int, f *vlanFields) {
	l := t.AddLayer(f.proto, off, end-off)
	if t.Avail(off, end) < 4 {
		t.Mark(l, Truncated)
		if t.NetOff == off {
			// A tag cut short: a single -x dumps nothing.
			t.NetOff = len(t.Data)
		}
		return
	}
	tci := t.U16(off)
	t.Add(l, f.prio, off, 2, tci>>13)
	t.Add(l, f.dei, off, 2, tci>>12&1)
	t.Add(l, f.id, off, 2, tci&0xfff)
	tl := t.U16(off + 2)
	if t.NetOff == off {
		t.NetOff = off + 4 // the tag belongs to the link-layer header
	}
	if tl <= 1500 {
		t.Add(l, fVLANLen, off+2, 2, tl)
		e := off + 4 + int(tl)
		if e > end || t.Below(l, protoSLL) >= 0 {
			// Behind a cooked header tcpdump takes the length for an
			// unknown type and reads LLC to the end.
			e = end
		}
		if d := llcDissector; d != nil {
			t.Call(d, off+4, e)
		} else {
			DissectData(t, off+4, e)
		}
		return
	}
	t.Add(l, f.etype, off+2, 2, tl)
	switch {
	case tl == etherTypeJumbo && llcDissector != nil:
		t.Call(llcDissector, off+4, end)
	case tl == 0x88e5:
		// tcpdump reads MACsec only right after the Ethernet header.
		DissectData(t, off+4, end)
	case t.Below(l, protoSLL) >= 0 && sllNotFollowed(tl):
		DissectData(t, off+4, end)
	default:
		dispatchEthertype(t, tl, off+4, end)
	}
}

// sllNotFollowed: the ethertypes tcpdump does not read behind a Linux
// cooked header (it reads them only after an Ethernet header).
func sllNotFollowed(et uint64) bool {
	switch et {
	case 0x88a8, 0x9100, 0x9200, 0x88e5, etherTypeJumbo:
		return true
	}
	return false
}

func dissectSLL(t *Tree, off, end int) {
	l := t.AddLayer(protoSLL, off, end-off)
	if t.Avail(off, end) < 16 {
		t.Mark(l, Truncated)
		return
	}
	t.Add(l, fSLLPktType, off, 2, t.U16(off))
	t.Add(l, fSLLHatype, off+2, 2, t.U16(off+2))
	halen := t.U16(off + 4)
	t.Add(l, fSLLHalen, off+4, 2, halen)
	sllAddr(t, l, off+6, halen)
	proto := t.U16(off + 14)
	setNetOff(t, off+16)
	sllPayload(t, l, off+14, proto, off+16, end)
}

func sllAddr(t *Tree, l, off int, halen uint64) {
	n := int(halen)
	if n > 8 {
		n = 8
	}
	if n == 6 { // tcpdump shows the address only when it has 6 bytes
		t.AddBytes(l, fSLLSrcEth, off, 6)
	} else {
		t.AddBytes(l, fSLLSrcOther, off, n)
	}
	if n < 8 {
		t.AddBytes(l, fSLLUnused, off+n, 8-n)
	}
}

// The Linux cooked header's protocol values that are not ethertypes.
const (
	sllProto8023 = 0x0001 // Novell 802.3 frames without LLC
	sllProtoLLC  = 0x0004 // 802.2 LLC
)

// etherTypeJumbo is the ethertype of 802.2 LLC in jumbo frames.
const etherTypeJumbo = 0x8870

func sllPayload(t *Tree, l, poff int, proto uint64, off, end int) {
	if proto <= 1500 {
		t.Add(l, fSLLLtype, poff, 2, proto)
		if proto == sllProtoLLC && llcDissector != nil {
			t.Call(llcDissector, off, end)
			return
		}
		DissectData(t, off, end)
		return
	}
	t.Add(l, fSLLEtype, poff, 2, proto)
	if sllNotFollowed(proto) {
		DissectData(t, off, end)
		return
	}
	dispatchEthertype(t, proto, off, end)
}

func dissectSLL2(t *Tree, off, end int) {
	l := t.AddLayer(protoSLL, off, end-off)
	if t.Avail(off, end) < 20 {
		t.Mark(l, Truncated)
		return
	}
	proto := t.U16(off)
	t.Add(l, fSLLIfindex, off+4, 4, t.U32(off+4))
	t.Add(l, fSLLHatype, off+8, 2, t.U16(off+8))
	t.Add(l, fSLLPktType, off+10, 1, t.U8(off+10))
	halen := t.U8(off + 11)
	t.Add(l, fSLLHalen, off+11, 1, halen)
	sllAddr(t, l, off+12, halen)
	setNetOff(t, off+20)
	sllPayload(t, l, off, proto, off+20, end)
}

func dissectNull(t *Tree, off, end int) {
	l := t.AddLayer(protoNull, off, end-off)
	if t.Avail(off, end) < 4 {
		t.Mark(l, Truncated)
		return
	}
	// A null header's family is in the writing host's byte order: tcpdump
	// reads it little-endian and swaps it when the upper half is set (a
	// family is small). A loop header's is in network order, swapped when
	// only the upper half is set.
	fam := t.U32(off)
	switch {
	case t.Link != wire.LinkLoop:
		fam = uint64(bits.ReverseBytes32(uint32(fam)))
		if fam&0xffff0000 != 0 {
			fam = uint64(bits.ReverseBytes32(uint32(fam)))
		}
	case fam&0xffff == 0:
		fam = uint64(bits.ReverseBytes32(uint32(fam)))
	}
	t.Add(l, fNullFamily, off, 4, fam)
	setNetOff(t, off+4)
	switch fam {
	case nullAFInet:
		dispatchEthertype(t, 0x0800, off+4, end)
	case 24, 28, 30: // AF_INET6 of NetBSD/OpenBSD, FreeBSD, Darwin
		dispatchEthertype(t, 0x86dd, off+4, end)
	default:
		DissectData(t, off+4, end)
	}
}

const nullAFInet = 2

// nullFamilyNames are the address families tcpdump names in null and loop
// headers.
var nullFamilyNames = map[uint64]string{
	2:  "IPv4",
	6:  "NS",
	7:  "ISO",
	16: "Appletalk",
	23: "IPX",
	24: "IPv6",
	28: "IPv6",
	30: "IPv6",
}

func dissectRaw(t *Tree, off, end int) {
	l := t.AddLayer(protoRaw, off, end-off)
	ipLink := t.Link == wire.LinkIPv4 || t.Link == wire.LinkIPv6
	if ipLink {
		t.Nodes[l].Flags |= Nested
	}
	setNetOff(t, off)
	if !t.Tcpdump && !ipLink {
		// tshark's raw dissector takes a packet that starts as PPP in
		// HDLC-like framing does for PPP, and reads 8 bytes before it
		// looks at any other.
		if t.Avail(off, end) >= 2 && t.U16(off) == 0xff03 {
			dissectPPP(t, off, end)
			return
		}
		if t.Avail(off, end) < 8 {
			t.Mark(l, Truncated)
			return
		}
	}
	if t.Avail(off, end) < 1 {
		DissectData(t, off, end)
		return
	}
	v := t.U8(off) >> 4
	if !t.Tcpdump {
		// tshark reads the IPv4 and IPv6 link types' packets as the
		// link type says, whatever their version (but for an IPv6
		// packet of the IPv4 link type, which it hands on to IPv6 with
		// no item nor word of its own); tcpdump goes by the version.
		switch t.Link {
		case wire.LinkIPv4:
			if v != 6 {
				v = 4
			}
		case wire.LinkIPv6:
			v = 6
		}
	}
	switch v {
	case 4:
		dispatchEthertype(t, 0x0800, off, end)
	case 6:
		dispatchEthertype(t, 0x86dd, off, end)
	default:
		DissectData(t, off, end)
	}
}

// linkMAC appends 6 bytes as aa:bb:cc:dd:ee:ff.
func linkMAC(b []byte, m []byte) []byte {
	return appendHexColons(b, m)
}

// linkHex16 appends v as 0x%04x.
func linkHex16(b []byte, v uint64) []byte {
	const hx = "0123456789abcdef"
	return append(b, '0', 'x', hx[v>>12&15], hx[v>>8&15], hx[v>>4&15], hx[v&15])
}

// linkEthertype appends "ethertype NAME (0x0800)".
func linkEthertype(b []byte, et uint64) []byte {
	b = append(b, "ethertype "...)
	if n, ok := etherTypeNames[et]; ok {
		b = append(b, n...)
	} else {
		b = append(b, "Unknown"...)
	}
	b = append(b, " ("...)
	b = linkHex16(b, et)
	return append(b, ')')
}

// etherType appends an ethertype as the -e header shows it: "ethertype
// IPv4 (0x0800)", or with -q "IPv4" and "Unknown Ethertype (0x1234)".
func (p *Printer) etherType(et uint64) {
	if !p.opt.Quiet {
		p.b = linkEthertype(p.b, et)
		return
	}
	if n, ok := etherTypeNames[et]; ok {
		p.b = append(p.b, n...)
		return
	}
	p.b = append(p.b, "Unknown Ethertype ("...)
	p.b = linkHex16(p.b, et)
	p.b = append(p.b, ')')
}

// linkData appends an unread payload's hex, as tcpdump does after a link
// header whose type it does not know, unless the dumps already show it.
func (p *Printer) linkData(l int) {
	n := p.Node(l)
	if n < 0 || p.opt.Hex > 0 || p.opt.HexASCII > 0 || p.opt.Quiet {
		return
	}
	if i := p.t.Find(n, fDataData); i >= 0 {
		p.b = appendHexRows(p.b, p.t.Bytes(i), 0, true)
	}
}

func textEth(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	if t.Nodes[n].Flags&Truncated != 0 && !t.Has(n, fEthSrc) {
		p.b = append(p.b, " [|ether]"...)
		return
	}
	next := p.Proto(l + 1)
	et, typed := t.Value(n, fEthType)
	switch {
	case p.opt.Link && (next == protoVLAN || next == protoQinQ) && !t.Has(p.Node(l+1), vlanFieldsOf(next).id):
		// tcpdump finds the tag cut short before it prints the type.
		p.ethAddrs(n)
		p.b = append(p.b, ", "...)
	case p.opt.Link && typed && et == etherTypeJumbo:
		p.ethAddrs(n)
		p.b = append(p.b, ", "...)
	case p.opt.Link || next == protoData || next == 0:
		p.ethHeader(n, et, typed)
	}
	if next == protoData {
		p.linkData(l + 1)
		return
	}
	p.Layer(l + 1)
}

// ethAddrs appends "src > dst" of the Ethernet layer at node n.
func (p *Printer) ethAddrs(n int) {
	t := &p.t
	if i := t.Find(n, fEthSrc); i >= 0 {
		p.b = linkMAC(p.b, t.Bytes(i))
	}
	p.b = append(p.b, " > "...)
	if i := t.Find(n, fEthDst); i >= 0 {
		p.b = linkMAC(p.b, t.Bytes(i))
	}
}

// ethHeader appends the -e part of the Ethernet layer at node n:
// "src > dst, ethertype IPv4 (0x0800), length 98: ", with the type et
// (which may be a VLAN tag's) or, not typed, an 802.3 length.
func (p *Printer) ethHeader(n int, et uint64, typed bool) {
	t := &p.t
	p.ethAddrs(n)
	p.b = append(p.b, ", "...)
	length := t.Nodes[n].Len
	if typed {
		p.etherType(et)
	} else {
		p.b = append(p.b, "802.3"...)
		if v, ok := t.Value(n, fEthLen); ok && int32(v) < length-14 {
			length = int32(v)
		} else {
			length -= 14
		}
	}
	p.b = append(p.b, ", length "...)
	p.b = strconv.AppendInt(p.b, int64(length), 10)
	p.b = append(p.b, ": "...)
}

func textVLAN(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	f := vlanFieldsOf(p.Proto(l))
	if !t.Has(n, f.id) {
		p.b = append(p.b, " [|vlan]"...)
		return
	}
	next := p.Proto(l + 1)
	et, typed := t.Value(n, f.etype)
	if p.opt.Link {
		p.b = append(p.b, "vlan "...)
		v, _ := t.Value(n, f.id)
		p.b = strconv.AppendUint(p.b, v, 10)
		p.b = append(p.b, ", p "...)
		v, _ = t.Value(n, f.prio)
		p.b = strconv.AppendUint(p.b, v, 10)
		if v, _ := t.Value(n, f.dei); v != 0 {
			p.b = append(p.b, ", DEI"...)
		}
		p.b = append(p.b, ", "...)
	}
	if s := t.Below(n, protoSLL); s >= 0 {
		// Behind a Linux cooked header tcpdump names the type without
		// its number, -e or not (but not with -q).
		if !p.opt.Quiet {
			p.b = append(p.b, "ethertype "...)
			if name, ok := etherTypeNames[et]; ok && typed {
				p.b = append(p.b, name...)
			} else {
				p.b = append(p.b, "Unknown"...)
			}
			p.b = append(p.b, ", "...)
		}
		if next == protoData {
			if !p.opt.Link {
				p.sllHeader(s, t.CI.Length-4)
			}
			p.linkData(l + 1)
			return
		}
		p.Layer(l + 1)
		return
	}
	if p.opt.Link {
		if typed && et != etherTypeJumbo {
			p.etherType(et)
			p.b = append(p.b, ", "...)
		} else if !typed {
			p.b = append(p.b, "802.3"...)
		}
	}
	if next == protoData {
		if e := t.Below(n, protoEth); e >= 0 && !p.opt.Link {
			p.ethHeader(e, et, typed)
		}
		p.linkData(l + 1)
		return
	}
	p.Layer(l + 1)
}

var sllPktTypes = [...]string{"In", "B", "M", "P", "Out"}

func sllPktTypeName(v uint64) string {
	if v < uint64(len(sllPktTypes)) {
		return sllPktTypes[v]
	}
	return "?"
}

// sllIfName appends a Linux cooked v2 header's interface name and packet
// direction, as tcpdump prints them with or without -e: "eth0  In  ".
func (p *Printer) sllIfName(n int) {
	t := &p.t
	idx, _ := t.Value(n, fSLLIfindex)
	name, ok := "", false
	if p.opt.IfName != nil {
		name, ok = p.opt.IfName(int(idx))
	}
	if !ok {
		name = "?"
	}
	pt, _ := t.Value(n, fSLLPktType)
	p.appendIfMarker(name, pt)
}

// appendIfMarker appends an interface's name and a packet type, as tcpdump
// prints them for a Linux cooked v2 header: "eth0  In  ".
func (p *Printer) appendIfMarker(name string, pt uint64) {
	p.b = append(p.b, name...)
	for i := len(name); i < 5; i++ {
		p.b = append(p.b, ' ')
	}
	p.b = append(p.b, ' ')
	s := sllPktTypeName(pt)
	p.b = append(p.b, s...)
	for i := len(s); i < 4; i++ {
		p.b = append(p.b, ' ')
	}
}

// sllHeader appends the -e part of a Linux cooked header at node n after
// the interface name: " In 02:00:00:00:00:01 ethertype IPv4 (0x0800),
// length 100: " (v1) or "ifindex 2 02:...: " (v2).
func (p *Printer) sllHeader(n, length int) {
	t := &p.t
	if t.Link == wire.LinkLinuxSLL2 {
		idx, _ := t.Value(n, fSLLIfindex)
		p.b = append(p.b, "ifindex "...)
		p.b = strconv.AppendUint(p.b, idx, 10)
		p.b = append(p.b, ' ')
	} else {
		pt, _ := t.Value(n, fSLLPktType)
		s := sllPktTypeName(pt)
		for i := len(s); i < 3; i++ {
			p.b = append(p.b, ' ')
		}
		p.b = append(p.b, s...)
		p.b = append(p.b, ' ')
	}
	if i := t.Find(n, fSLLSrcEth); i >= 0 {
		p.b = linkMAC(p.b, t.Bytes(i))
		p.b = append(p.b, ' ')
	}
	if p.opt.Quiet {
		return
	}
	if v, ok := t.Value(n, fSLLEtype); ok {
		p.b = linkEthertype(p.b, v)
	} else if v, ok := t.Value(n, fSLLLtype); ok {
		switch v {
		case sllProtoLLC:
			p.b = append(p.b, "802.2"...)
		case sllProto8023:
			p.b = append(p.b, "802.3"...)
		default:
			p.b = linkEthertype(p.b, v)
		}
	}
	p.b = append(p.b, ", length "...)
	p.b = strconv.AppendInt(p.b, int64(length), 10)
	p.b = append(p.b, ": "...)
}

func textSLL(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	if !t.Has(n, fSLLHatype) {
		if t.Link == wire.LinkLinuxSLL2 {
			p.b = append(p.b, " [|sll2]"...)
		} else {
			p.b = append(p.b, " [|sll]"...)
		}
		return
	}
	next := p.Proto(l + 1)
	if t.Link == wire.LinkLinuxSLL2 {
		p.sllIfName(n)
	}
	_, typed := t.Value(n, fSLLEtype)
	if p.opt.Link || (next == protoData && typed) {
		p.sllHeader(n, t.CI.Length)
	}
	if next == protoData {
		p.linkData(l + 1)
		return
	}
	p.Layer(l + 1)
}

func textNull(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	fam, ok := t.Value(n, fNullFamily)
	if !ok {
		p.b = append(p.b, " [|null]"...)
		return
	}
	next := p.Proto(l + 1)
	if p.opt.Link || next == protoData {
		name, known := nullFamilyNames[fam]
		switch {
		case p.opt.Quiet && known:
			p.b = append(p.b, name...)
		case p.opt.Quiet:
			p.b = append(p.b, "Unknown AF "...)
			p.b = strconv.AppendUint(p.b, fam, 10)
		default:
			p.b = append(p.b, "AF "...)
			if !known {
				name = "Unknown"
			}
			p.b = append(p.b, name...)
			p.b = append(p.b, " ("...)
			p.b = strconv.AppendUint(p.b, fam, 10)
			p.b = append(p.b, ')')
		}
		p.b = append(p.b, ", length "...)
		p.b = strconv.AppendInt(p.b, int64(t.CI.Length), 10)
		p.b = append(p.b, ": "...)
	}
	if next == protoData {
		p.linkData(l + 1)
		return
	}
	p.Layer(l + 1)
}

func textRaw(p *Printer, l int) {
	if p.opt.Link {
		p.b = append(p.b, "ip: "...)
	}
	if p.Proto(l+1) == protoData {
		// Neither IPv4 nor IPv6: tcpdump names the version.
		n := int(p.t.Nodes[p.Node(l)].Off)
		if n < len(p.t.Data) {
			p.b = append(p.b, "unknown ip "...)
			p.b = strconv.AppendUint(p.b, uint64(p.t.Data[n]>>4), 10)
		}
		return
	}
	p.Layer(l + 1)
}
