//go:build treedecode

package decode

import "strconv"

// IPv6 (RFC 8200): the fixed header, the extension headers (hop-by-hop and
// destination options, routing, fragment) and the dispatch of the upper
// layer by next-header number.
//
// Layers: the "ipv6" layer covers the fixed header and its payload; each
// extension header is a layer of its own (ipv6.hopopts, ipv6.routing,
// ipv6.fraghdr, ipv6.dstopts, as Wireshark names them), followed by the
// upper layer. A transport finds its IPv6 header with t.Below(node,
// protoIPv6); fIPv6Src and fIPv6Dst are the addresses of the fixed header.

var (
	protoIPv6     = proto("ipv6", "Internet Protocol Version 6")
	fIPv6Version  = field("ipv6.version", "Version", TypeUint8)
	fIPv6TClass   = register(Field{Name: "ipv6.tclass", Title: "Traffic Class", Type: TypeUint32, Mask: 0x0ff00000, Hex: true})
	fIPv6DSCP     = register(Field{Name: "ipv6.tclass.dscp", Title: "Differentiated Services Codepoint", Type: TypeUint32, Mask: 0x0fc00000})
	fIPv6ECN      = register(Field{Name: "ipv6.tclass.ecn", Title: "Explicit Congestion Notification", Type: TypeUint32, Mask: 0x00300000})
	fIPv6Flow     = register(Field{Name: "ipv6.flow", Title: "Flow Label", Type: TypeUint24, Mask: 0xfffff, Hex: true})
	fIPv6PLen     = field("ipv6.plen", "Payload Length", TypeUint16)
	fIPv6Nxt      = enumField("ipv6.nxt", "Next Header", TypeUint8, ipProtoNames)
	fIPv6HLim     = field("ipv6.hlim", "Hop Limit", TypeUint8)
	fIPv6Src      = field("ipv6.src", "Source Address", TypeIPv6)
	fIPv6Dst      = field("ipv6.dst", "Destination Address", TypeIPv6)
	fIPv6BadVer   = field("ipv6.bogus_ipv6_version", "Bogus IP version", TypeNone)
	fIPv6FragHdr  = proto("ipv6.fraghdr", "Fragment Header for IPv6")
	fIPv6FragNxt  = enumField("ipv6.fraghdr.nxt", "Next header", TypeUint8, ipProtoNames)
	fIPv6FragRes  = register(Field{Name: "ipv6.fraghdr.reserved_octet", Title: "Reserved octet", Type: TypeUint8, Hex: true})
	fIPv6FragOff  = register(Field{Name: "ipv6.fraghdr.offset", Title: "Offset", Type: TypeUint16, Mask: 0xfff8})
	fIPv6FragRsvB = register(Field{Name: "ipv6.fraghdr.reserved_bits", Title: "Reserved bits", Type: TypeUint16, Mask: 0x6})
	fIPv6FragMore = flagField("ipv6.fraghdr.more", "More Fragments", 0x1)
	fIPv6FragID   = register(Field{Name: "ipv6.fraghdr.ident", Title: "Identification", Type: TypeUint32, Hex: true})
)

func init() {
	Ethertypes.Register(0x86dd, dissectIPv6)
	IPProtocols.Register(41, dissectIPv6)
	registerText(protoIPv6, textIPv6)
	registerText(fIPv6FragHdr, textIPv6Frag)
}

// dissectIPv6 reads an IPv6 header at off and the headers and payload after it.
func dissectIPv6(t *Tree, off, end int) {
	n := t.Avail(off, end)
	l := t.AddLayer(protoIPv6, off, end-off)
	if n < 1 {
		t.Mark(l, Truncated)
		return
	}
	v := t.U8(off) >> 4
	t.Add(l, fIPv6Version, off, 1, v)
	if v != 6 {
		t.Add(l, fIPv6BadVer, off, 1, 0)
		t.Mark(l, Malformed)
		return
	}
	if n < 40 {
		t.Mark(l, Truncated)
		return
	}
	w := t.U32(off)
	t.Add(l, fIPv6TClass, off, 4, w>>20&0xff)
	t.Add(l, fIPv6Flow, off+1, 3, w&0xfffff)
	plen := int(t.U16(off + 4))
	t.Add(l, fIPv6PLen, off+4, 2, uint64(plen))
	nh := t.U8(off + 6)
	t.Add(l, fIPv6Nxt, off+6, 1, nh)
	t.Add(l, fIPv6HLim, off+7, 1, t.U8(off+7))
	t.AddBytes(l, fIPv6Src, off+8, 16)
	t.AddBytes(l, fIPv6Dst, off+24, 16)
	if off+40+plen < end {
		end = off + 40 + plen
	}
	t.SetLen(l, end-off)
	ipv6Next(t, byte(nh), off+40, end)
}

// ipv6Next dissects the header nh at off: an extension header, or the upper
// layer through IPProtocols.
func ipv6Next(t *Tree, nh byte, off, end int) {
	for {
		switch nh {
		case 44:
			n := t.Avail(off, end)
			l := t.AddLayer(fIPv6FragHdr, off, 8)
			if n < 8 {
				t.Mark(l, Truncated)
				return
			}
			nh = byte(t.U8(off))
			t.Add(l, fIPv6FragNxt, off, 1, uint64(nh))
			t.Add(l, fIPv6FragRes, off+1, 1, t.U8(off+1))
			fo := t.U16(off + 2)
			t.Add(l, fIPv6FragOff, off+2, 2, fo>>3)
			t.Add(l, fIPv6FragRsvB, off+2, 2, fo>>1&3)
			t.Add(l, fIPv6FragMore, off+2, 2, fo&1)
			t.Add(l, fIPv6FragID, off+4, 4, t.U32(off+4))
			off += 8
			if fo>>3 != 0 {
				DissectData(t, off, end)
				return
			}
			continue
		}
		d := IPProtocols.Lookup(uint32(nh))
		if d == nil || !t.Call(d, off, end) {
			DissectData(t, off, end)
		}
		return
	}
}

// textIPv6 prints "IP6 src > dst: " and the payload's text.
func textIPv6(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	p.b = append(p.b, "IP6 "...)
	src, dst := t.Find(n, fIPv6Src), t.Find(n, fIPv6Dst)
	if src < 0 || dst < 0 {
		p.b = append(p.b, "[|ip6]"...)
		return
	}
	if printsAddresses[p.Proto(l+1)] {
		p.Layer(l + 1)
		return
	}
	p.b = appendIPv6(p.b, t.Bytes(src))
	p.b = append(p.b, " > "...)
	p.b = appendIPv6(p.b, t.Bytes(dst))
	p.b = append(p.b, ": "...)
	if p.Proto(l+1) == protoData || l+1 >= len(t.Layers) {
		nh, _ := t.Value(n, fIPv6Nxt)
		p.b = append(p.b, "ip-proto-"...)
		p.b = strconv.AppendUint(p.b, nh, 10)
		p.b = append(p.b, ' ')
		pl, _ := t.Value(n, fIPv6PLen)
		p.b = strconv.AppendUint(p.b, pl, 10)
		return
	}
	p.Layer(l + 1)
}

// textIPv6Frag prints "frag (off|len) " and, for a first fragment, the rest.
func textIPv6Frag(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	fo, ok := t.Value(n, fIPv6FragOff)
	if !ok {
		p.b = append(p.b, "[|frag6]"...)
		return
	}
	p.b = append(p.b, "frag ("...)
	p.b = strconv.AppendUint(p.b, fo*8, 10)
	p.b = append(p.b, '|')
	ip := t.Below(n, protoIPv6)
	pl, _ := t.Value(ip, fIPv6PLen)
	used := int(t.Nodes[n].Off) + 8 - int(t.Nodes[ip].Off) - 40
	p.b = strconv.AppendInt(p.b, int64(pl)-int64(used), 10)
	p.b = append(p.b, ") "...)
	if fo == 0 {
		p.Layer(l + 1)
	}
}

// appendIPv6 appends the text form of the 16-byte address a (RFC 5952: the
// longest run of two or more zero groups, the first of equals, becomes "::";
// hexadecimal digits in lower case, without leading zeros).
func appendIPv6(b []byte, a []byte) []byte {
	if len(a) < 16 {
		return b
	}
	var g [8]uint16
	for i := range g {
		g[i] = uint16(a[2*i])<<8 | uint16(a[2*i+1])
	}
	best, bestLen := -1, 1
	for i := 0; i < 8; {
		if g[i] != 0 {
			i++
			continue
		}
		j := i
		for j < 8 && g[j] == 0 {
			j++
		}
		if j-i > bestLen {
			best, bestLen = i, j-i
		}
		i = j
	}
	// IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) forms.
	if best == 0 && (bestLen == 6 || bestLen == 5 && g[5] == 0xffff) {
		b = append(b, "::"...)
		if bestLen == 5 {
			b = append(b, "ffff:"...)
		}
		return appendIPv4(b, a[12:16])
	}
	for i := 0; i < 8; i++ {
		if i == best {
			b = append(b, "::"...)
			i += bestLen - 1
			continue
		}
		if i > 0 && i != best+bestLen {
			b = append(b, ':')
		}
		b = strconv.AppendUint(b, uint64(g[i]), 16)
	}
	return b
}
