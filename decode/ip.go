//go:build treedecode

package decode

import "strconv"

// IPv4 (RFC 791): the header, its options, fragments and the dispatch of
// the payload by protocol number.

var (
	protoIP        = proto("ip", "Internet Protocol Version 4")
	fIPVersion     = register(Field{Name: "ip.version", Title: "Version", Type: TypeUint8})
	fIPHdrLen      = field("ip.hdr_len", "Header Length", TypeUint8)
	fIPDSField     = register(Field{Name: "ip.dsfield", Title: "Differentiated Services Field", Type: TypeUint8, Hex: true})
	fIPDSCP        = register(Field{Name: "ip.dsfield.dscp", Title: "Differentiated Services Codepoint", Type: TypeUint8, Mask: 0xfc})
	fIPECN         = register(Field{Name: "ip.dsfield.ecn", Title: "Explicit Congestion Notification", Type: TypeUint8, Mask: 0x03})
	fIPLen         = field("ip.len", "Total Length", TypeUint16)
	fIPID          = register(Field{Name: "ip.id", Title: "Identification", Type: TypeUint16, Hex: true})
	fIPFlags       = register(Field{Name: "ip.flags", Title: "Flags", Type: TypeUint8, Mask: 0xe0, Hex: true})
	fIPFlagRB      = flagField("ip.flags.rb", "Reserved bit", 0x80)
	fIPFlagDF      = flagField("ip.flags.df", "Don't fragment", 0x40)
	fIPFlagMF      = flagField("ip.flags.mf", "More fragments", 0x20)
	fIPFragOffset  = register(Field{Name: "ip.frag_offset", Title: "Fragment Offset", Type: TypeUint16, Mask: 0x1fff})
	fIPTTL         = field("ip.ttl", "Time to Live", TypeUint8)
	fIPProto       = enumField("ip.proto", "Protocol", TypeUint8, ipProtoNames)
	fIPChecksum    = register(Field{Name: "ip.checksum", Title: "Header Checksum", Type: TypeUint16, Hex: true})
	fIPChecksumCal = register(Field{Name: "ip.checksum_calculated", Title: "Calculated Checksum", Type: TypeUint16, Hex: true})
	fIPSrc         = field("ip.src", "Source Address", TypeIPv4)
	fIPDst         = field("ip.dst", "Destination Address", TypeIPv4)
)

// ipProtoNames are the names tcpdump prints for IP protocol numbers
// (IANA's protocol numbers registry).
var ipProtoNames = map[uint64]string{
	0: "HBH", 1: "ICMP", 2: "IGMP", 4: "IPIP", 6: "TCP", 8: "EGP", 9: "IGRP", 17: "UDP",
	33: "DCCP", 41: "IPv6", 43: "Routing", 44: "Fragment", 46: "RSVP", 47: "GRE",
	50: "ESP", 51: "AH", 58: "ICMPv6", 59: "NONE", 60: "DSTOPTS", 88: "EIGRP", 89: "OSPF",
	97: "ETHERIP", 103: "PIM", 108: "IPComp", 112: "VRRP", 113: "PGM", 132: "SCTP",
	135: "Mobility", 136: "UDPLite",
}

func init() {
	Ethertypes.Register(0x0800, dissectIP)
	IPProtocols.Register(4, dissectIP)
	registerText(protoIP, textIP)
}

// dissectIP reads an IPv4 header at off and the payload it bounds.
func dissectIP(t *Tree, off, end int) {
	n := t.Avail(off, end)
	l := t.AddLayer(protoIP, off, end-off)
	if n < 1 {
		t.Mark(l, Truncated)
		return
	}
	vhl := t.U8(off)
	t.Add(l, fIPVersion, off, 1, vhl>>4)
	hl := int(vhl&0x0f) * 4
	t.Add(l, fIPHdrLen, off, 1, uint64(hl))
	if vhl>>4 != 4 {
		t.Mark(l, Malformed)
		return
	}
	if n < 20 {
		t.Mark(l, Truncated)
		return
	}
	t.Add(l, fIPDSField, off+1, 1, t.U8(off+1))
	total := int(t.U16(off + 2))
	t.Add(l, fIPLen, off+2, 2, uint64(total))
	t.Add(l, fIPID, off+4, 2, t.U16(off+4))
	fo := t.U16(off + 6)
	fl := t.Add(l, fIPFlags, off+6, 1, fo>>13)
	t.Add(fl, fIPFlagRB, off+6, 1, fo>>15&1)
	t.Add(fl, fIPFlagDF, off+6, 1, fo>>14&1)
	t.Add(fl, fIPFlagMF, off+6, 1, fo>>13&1)
	t.Add(l, fIPFragOffset, off+6, 2, fo&0x1fff)
	t.Add(l, fIPTTL, off+8, 1, t.U8(off+8))
	pr := t.U8(off + 9)
	t.Add(l, fIPProto, off+9, 1, pr)
	t.Add(l, fIPChecksum, off+10, 2, t.U16(off+10))
	t.AddBytes(l, fIPSrc, off+12, 4)
	t.AddBytes(l, fIPDst, off+16, 4)
	if hl < 20 || total < hl {
		t.Mark(l, Malformed)
		return
	}
	if off+total < end {
		end = off + total
	}
	t.SetLen(l, end-off)
	if fo&0x1fff != 0 {
		DissectData(t, off+hl, end)
		return
	}
	d := IPProtocols.Lookup(uint32(pr))
	if d == nil {
		DissectData(t, off+hl, end)
		return
	}
	t.Call(d, off+hl, end)
}

// appendIPv4 appends the dotted-quad form of the 4-byte address a.
func appendIPv4(b []byte, a []byte) []byte {
	if len(a) < 4 {
		return b
	}
	for i := 0; i < 4; i++ {
		if i > 0 {
			b = append(b, '.')
		}
		b = strconv.AppendUint(b, uint64(a[i]), 10)
	}
	return b
}

// textIP prints "IP src > dst: " and the payload's text.
func textIP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	p.b = append(p.b, "IP "...)
	src, dst := t.Find(n, fIPSrc), t.Find(n, fIPDst)
	if src < 0 || dst < 0 {
		p.b = append(p.b, "[|ip]"...)
		return
	}
	if printsAddresses[p.Proto(l+1)] {
		p.Layer(l + 1)
		return
	}
	p.b = appendIPv4(p.b, t.Bytes(src))
	p.b = append(p.b, " > "...)
	p.b = appendIPv4(p.b, t.Bytes(dst))
	p.b = append(p.b, ": "...)
	if p.Proto(l+1) == protoData || l+1 >= len(t.Layers) {
		pr, _ := t.Value(n, fIPProto)
		p.b = append(p.b, " ip-proto-"...)
		p.b = strconv.AppendUint(p.b, pr, 10)
		p.b = append(p.b, ' ')
		hl, _ := t.Value(n, fIPHdrLen)
		tl, _ := t.Value(n, fIPLen)
		p.b = strconv.AppendUint(p.b, tl-hl, 10)
		return
	}
	p.Layer(l + 1)
}
