package decode

import (
	"encoding/binary"
	"strconv"

	"github.com/sockscope/sockscope/decode/wire"
)

// Small protocols carried directly over IP: VRRP (RFC 3768, RFC 5798),
// PIM (RFC 7761), OSPF (RFC 2328, RFC 5340), ESP (RFC 4303), AH
// (RFC 4302) and IPComp (RFC 3173), as tcpdump's one-line forms print them.

var (
	protoVRRP       = proto("vrrp", "Virtual Router Redundancy Protocol")
	fVRRPVersion    = register(Field{Name: "vrrp.version", Title: "VRRP protocol version", Type: TypeUint8, Mask: 0xf0})
	fVRRPType       = register(Field{Name: "vrrp.type", Title: "VRRP packet type", Type: TypeUint8, Mask: 0x0f})
	fVRRPVrid       = field("vrrp.virt_rtr_id", "Virtual Rtr ID", TypeUint8)
	fVRRPPrio       = field("vrrp.prio", "Priority", TypeUint8)
	fVRRPAddrCount  = field("vrrp.addr_count", "Addr Count", TypeUint8)
	fVRRPAuthType   = field("vrrp.auth_type", "Auth Type", TypeUint8)
	fVRRPAdverInt   = field("vrrp.adver_int", "Adver Int", TypeUint8)
	fVRRPShortAdver = register(Field{Name: "vrrp.short_adver_int", Title: "Adver Int", Type: TypeUint16, Mask: 0xfff})
	fVRRPChecksum   = register(Field{Name: "vrrp.checksum", Title: "Checksum", Type: TypeUint16, Hex: true})
	fVRRPIPAddr     = field("vrrp.ip_addr", "IP Address", TypeIPv4)
	fVRRPIPv6Addr   = field("vrrp.ipv6_addr", "IPv6 Address", TypeIPv6)

	protoPIM     = proto("pim", "Protocol Independent Multicast")
	fPIMVersion  = register(Field{Name: "pim.version", Title: "Version", Type: TypeUint8, Mask: 0xf0})
	fPIMType     = register(Field{Name: "pim.type", Title: "Type", Type: TypeUint8, Mask: 0x0f})
	fPIMChecksum = register(Field{Name: "pim.cksum", Title: "Checksum", Type: TypeUint16, Hex: true})
	// tshark's items of a PIM message: a bad checksum (the right one its
	// value), a read past the message.
	fPIMChecksumBad = field("pim.cksum.bad.expert", "Bad checksum", TypeNone)
	fPIMOptionType  = field("pim.optiontype", "Type", TypeUint16)
	fPIMOptionLen   = field("pim.optionlength", "Length", TypeUint16)
	fPIMMalformed   = malformedItem("PIM")

	protoOSPF     = proto("ospf", "Open Shortest Path First")
	fOSPFVersion  = field("ospf.version", "Version", TypeUint8)
	fOSPFMsg      = field("ospf.msg", "Message Type", TypeUint8)
	fOSPFLen      = field("ospf.packet_length", "Packet Length", TypeUint16)
	fOSPFRouter   = field("ospf.srcrouter", "Source OSPF Router", TypeIPv4)
	fOSPFArea     = field("ospf.area_id", "Area ID", TypeIPv4)
	fOSPFChecksum = register(Field{Name: "ospf.checksum", Title: "Checksum", Type: TypeUint16, Hex: true})
	// tshark's items of an OSPF packet: OSPFv3's reserved byte not 0, an
	// LS type it does not know, a read past the packet.
	fOSPFReserved    = field("ospf.reserved", "Reserved", TypeBytes)
	fOSPFReservedBad = field("ospf.reserved.incorrect", "incorrect, should be 0", TypeNone)
	fOSPFLSAType     = field("ospf.lsa", "LS Type", TypeUint8)
	fOSPFLSAUnknown  = field("ospf.lsa.unknown", "Unknown LSA Type", TypeNone)
	fOSPFMalformed   = malformedItem("OSPF")

	protoESP  = proto("esp", "Encapsulating Security Payload")
	fESPSPI   = register(Field{Name: "esp.spi", Title: "ESP SPI", Type: TypeUint32, Hex: true})
	fESPSeq   = field("esp.sequence", "ESP Sequence", TypeUint32)
	fESPEData = field("esp.encrypted_data", "Encrypted Data", TypeBytes)

	protoAH     = proto("ah", "Authentication Header")
	fAHNext     = field("ah.next_header", "Next header", TypeUint8)
	fAHLen      = field("ah.length", "Length", TypeUint8)
	fAHReserved = field("ah.reserved", "Reserved", TypeBytes)
	fAHSPI      = register(Field{Name: "ah.spi", Title: "AH SPI", Type: TypeUint32, Hex: true})
	fAHSeq      = field("ah.sequence", "AH Sequence", TypeUint32)
	fAHICV      = field("ah.icv", "AH ICV", TypeBytes)

	protoIPComp  = proto("ipcomp", "IP Payload Compression")
	fIPCompNext  = field("ipcomp.next_header", "Next Header", TypeUint8)
	fIPCompFlags = field("ipcomp.flags", "IPComp Flags", TypeUint8)
	fIPCompCPI   = register(Field{Name: "ipcomp.cpi", Title: "IPComp CPI", Type: TypeUint16, Hex: true})
)

func init() {
	IPProtocols.Register(112, dissectVRRP)
	IPProtocols.Register(103, dissectPIM)
	IPProtocols.Register(89, dissectOSPF)
	IPProtocols.Register(50, dissectESP)
	IPProtocols.Register(51, dissectAH)
	IPProtocols.Register(108, dissectIPComp)
	registerText(protoVRRP, textVRRP)
	registerText(protoPIM, textPIM)
	registerText(protoOSPF, textOSPF)
	registerText(protoESP, textESP)
	registerText(protoAH, textAH)
	registerText(protoIPComp, textIPComp)
}

// layerBytes is the captured part of layer node n: its offset, its length
// as the layer below gives it, and how much of it was captured.
func layerBytes(t *Tree, n int) (off, length, avail int) {
	off = int(t.Nodes[n].Off)
	length = int(t.Nodes[n].Len)
	avail = len(t.Data) - off
	if avail > length {
		avail = length
	}
	if avail < 0 {
		avail = 0
	}
	return
}

// ipBelowIsV6 reports whether the network layer nearest below node n is IPv6.
func ipBelowIsV6(t *Tree, n int) bool {
	return t.Below(n, protoIPv6) > t.Below(n, protoIP)
}

func dissectVRRP(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoVRRP, off, end, 1)
	if !ok {
		return
	}
	t.Add(l, fVRRPVersion, off, 1, t.U8(off)>>4)
	t.Add(l, fVRRPType, off, 1, t.U8(off)&0xf)
	if n < 8 {
		t.Mark(l, Truncated)
		return
	}
	t.Add(l, fVRRPVrid, off+1, 1, t.U8(off+1))
	t.Add(l, fVRRPPrio, off+2, 1, t.U8(off+2))
	cnt := int(t.U8(off + 3))
	t.Add(l, fVRRPAddrCount, off+3, 1, uint64(cnt))
	if t.U8(off)>>4 == 3 {
		t.Add(l, fVRRPShortAdver, off+4, 2, t.U16(off+4)&0xfff)
	} else {
		t.Add(l, fVRRPAuthType, off+4, 1, t.U8(off+4))
		t.Add(l, fVRRPAdverInt, off+5, 1, t.U8(off+5))
	}
	t.Add(l, fVRRPChecksum, off+6, 2, t.U16(off+6))
	f, size := fVRRPIPAddr, 4
	if ipBelowIsV6(t, l) {
		f, size = fVRRPIPv6Addr, 16
	}
	for i, o := 0, off+8; i < cnt && o+size <= off+n; i, o = i+1, o+size {
		t.AddBytes(l, f, o, size)
	}
}

// vrrpPseudoSum is the pseudo-header sum VRRPv3's checksum covers.
func vrrpPseudoSum(t *Tree, n, length int) uint32 {
	ip := t.Below(n, protoIP)
	if ip6 := t.Below(n, protoIPv6); ip6 > ip {
		ip = ip6
	}
	if ip < 0 {
		return uint32(length) + 112
	}
	sum, ok := pseudoHeaderSum(t, ip, n, 112, length)
	if !ok {
		return 0
	}
	return sum
}

func textVRRP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off, length, avail := layerBytes(t, n)
	d := t.Data
	if avail < 1 {
		p.b = append(p.b, " [|vrrp]"...)
		return
	}
	ver, typ := d[off]>>4, d[off]&0xf
	p.b = append(p.b, "VRRPv"...)
	p.b = strconv.AppendUint(p.b, uint64(ver), 10)
	if typ != 1 {
		p.b = append(p.b, ", unknown type ("...)
		p.b = strconv.AppendUint(p.b, uint64(typ), 10)
		p.b = append(p.b, ')')
	} else {
		p.b = append(p.b, ", Advertisement"...)
	}
	if ip := t.Below(n, protoIP); ip >= 0 && ip > t.Below(n, protoIPv6) {
		if ttl, ok := t.Value(ip, fIPTTL); ok && ttl != 255 {
			p.b = append(p.b, ", (ttl "...)
			p.b = strconv.AppendUint(p.b, ttl, 10)
			p.b = append(p.b, ')')
		}
	} else if ip6 := t.Below(n, protoIPv6); ip6 >= 0 {
		if hl, ok := t.Value(ip6, fIPv6HLim); ok && hl != 255 {
			p.b = append(p.b, ", (hlim "...)
			p.b = strconv.AppendUint(p.b, hl, 10)
			p.b = append(p.b, ')')
		}
	}
	if typ != 1 || (ver != 2 && ver != 3) {
		return
	}
	if avail < 3 {
		p.b = append(p.b, " [|vrrp]"...)
		return
	}
	p.b = append(p.b, ", vrid "...)
	p.b = strconv.AppendUint(p.b, uint64(d[off+1]), 10)
	p.b = append(p.b, ", prio "...)
	p.b = strconv.AppendUint(p.b, uint64(d[off+2]), 10)
	if avail < 6 {
		p.b = append(p.b, " [|vrrp]"...)
		return
	}
	cnt := int(d[off+3])
	auth := d[off+4]
	if ver == 2 {
		p.b = append(p.b, ", authtype "...)
		switch auth {
		case 0:
			p.b = append(p.b, "none"...)
		case 1:
			p.b = append(p.b, "simple"...)
		case 2:
			p.b = append(p.b, "ah"...)
		default:
			p.b = append(p.b, "unknown"...)
		}
		p.b = append(p.b, ", intvl "...)
		p.b = strconv.AppendUint(p.b, uint64(d[off+5]), 10)
		p.b = append(p.b, 's')
	} else {
		p.b = append(p.b, ", intvl "...)
		p.b = strconv.AppendUint(p.b, uint64(d[off+4]&0xf)<<8|uint64(d[off+5]), 10)
		p.b = append(p.b, "cs"...)
	}
	p.b = append(p.b, ", length "...)
	p.b = strconv.AppendUint(p.b, uint64(length), 10)
	if p.opt.Verbose == 0 {
		return
	}
	if avail == length && length < 8 {
		p.b = append(p.b, " [|vrrp]"...)
		return
	}
	if avail == length {
		var sum uint32
		if ver == 3 {
			sum = vrrpPseudoSum(t, n, length)
		}
		if wire.Fold(wire.Sum(sum, d[off:off+length])) != 0 {
			p.b = append(p.b, ", (bad vrrp cksum "...)
			p.b = strconv.AppendUint(p.b, uint64(d[off+6])<<8|uint64(d[off+7]), 16)
			p.b = append(p.b, ')')
		}
	}
	p.b = append(p.b, ", addrs"...)
	if cnt > 1 {
		p.b = append(p.b, '(')
		p.b = strconv.AppendUint(p.b, uint64(cnt), 10)
		p.b = append(p.b, ')')
	}
	p.b = append(p.b, ':')
	v6 := ipBelowIsV6(t, n)
	size := 4
	if v6 {
		size = 16
	}
	o := off + 8
	for i := 0; i < cnt; i++ {
		if o+size > off+avail {
			p.b = append(p.b, " [|vrrp]"...)
			return
		}
		if i == 0 {
			p.b = append(p.b, ' ')
		} else {
			p.b = append(p.b, ',')
		}
		if v6 {
			p.b = appendIPv6(p.b, d[o:o+16])
		} else {
			p.b = appendIPv4(p.b, d[o:o+4])
		}
		o += size
	}
	if ver == 2 && auth == 1 {
		if o+8 > off+avail {
			p.b = append(p.b, " [|vrrp]"...)
			return
		}
		p.b = append(p.b, " auth \""...)
		for _, c := range d[o : o+8] {
			if c == 0 {
				break
			}
			p.b = appendPrintable(p.b, c)
		}
		p.b = append(p.b, '"')
	}
}

// appendPrintable appends c, or its escape as tcpdump prints unprintable
// characters of a string (M- for the high bit, ^ for controls).
func appendPrintable(b []byte, c byte) []byte {
	if c >= 0x80 {
		b = append(b, 'M', '-')
		c &= 0x7f
	}
	if c < 0x20 || c == 0x7f {
		return append(b, '^', c^0x40)
	}
	return append(b, c)
}

func dissectPIM(t *Tree, off, end int) {
	if off == end && ipBelowIsV6(t, len(t.Nodes)-1) {
		// Nothing to read: tshark's IPv6 calls PIM on an empty payload,
		// which fails on its first byte (its IPv4 calls no dissector).
		// The PIM layer is kept for tcpdump's "[|pim]", where tshark's
		// hierarchy has none.
		t.malformed(t.AddLayer(protoPIM, off, 0), fPIMMalformed, off)
		return
	}
	l, n, ok := t.StartLayer(protoPIM, off, end, 1)
	if !ok {
		return
	}
	t.Add(l, fPIMVersion, off, 1, t.U8(off)>>4)
	t.Add(l, fPIMType, off, 1, t.U8(off)&0xf)
	if n < 4 {
		pimStop(t, l, off+4, end)
		return
	}
	c := t.Add(l, fPIMChecksum, off+2, 2, t.U16(off+2))
	if t.U8(off)>>4 != 2 {
		return
	}
	pimChecksum(t, l, c, off, end)
	switch t.U8(off) & 0xf {
	case 0:
		pimHelloOptions(t, l, off+4, end)
	case 1:
		// A Register carries the multicast datagram it registers.
		if !pimCan(t, l, off+9, end) {
			return
		}
		switch t.U8(off+8) >> 4 {
		case 6:
			t.Call(dissectIPv6, off+8, end)
		case 0:
			// A dummy header (RFC 7761 4.9.3's null register), of the
			// outer IP version: tshark reads it and goes no further.
			size := 20
			if ipBelowIsV6(t, l) {
				size = 40
			}
			pimCan(t, l, off+8+size, end)
		default:
			t.Call(dissectIP, off+8, end)
		}
	}
}

// pimStop ends PIM layer l on a read that ends at b: past the message's end
// a malformed packet, past the capture's a short one.
func pimStop(t *Tree, l, b, end int) {
	if b > end {
		t.malformed(l, fPIMMalformed, end)
		return
	}
	t.Mark(l, Truncated)
}

// pimCan reports whether the bytes up to b can be read, ending layer l as
// pimStop does when they cannot.
func pimCan(t *Tree, l, b, end int) bool {
	if b <= end && b <= len(t.Data) {
		return true
	}
	pimStop(t, l, b, end)
	return false
}

// pimChecksum verifies the checksum of the PIMv2 message at [off, end), as
// tshark does: over the message (a Register's
// first 8 bytes only, RFC 7761 4.9), after IPv6's pseudo-header.
func pimChecksum(t *Tree, l, c, off, end int) {
	cend := end
	if t.U8(off)&0xf == 1 && end-off > 8 {
		cend = off + 8
	}
	v6 := ipBelowIsV6(t, l)
	// Seen of tshark: over IPv4 it verifies only a message captured
	// whole, over IPv6 one whose checksummed bytes were.
	if cend > len(t.Data) || !v6 && end > len(t.Data) {
		return
	}
	var sum uint32
	if ip := t.Below(l, protoIPv6); v6 {
		s, ok := pseudoHeaderSum(t, ip, l, 103, cend-off)
		if !ok {
			return
		}
		sum = s
	}
	want := uint64(wire.Fold(wire.Sum(wire.Sum(sum, t.Data[off:off+2]), t.Data[off+4:cend])))
	if want != t.Nodes[c].Val {
		t.Nodes[t.Add(c, fPIMChecksumBad, off+2, 2, want)].Flags |= Generated
	}
}

func init() {
	expert(fPIMChecksumBad, expertInfo{severity: SeverityError, group: GroupChecksum, protocol: "PIM",
		summary: func(t *Tree, l, n int, b []byte) []byte {
			return append(appendHex4(append(b, "Bad checksum [should be 0x"...), t.Nodes[n].Val), ']')
		}})
}

func init() {
	expert(fOSPFReservedBad, expertInfo{severity: SeverityWarning, group: GroupProtocol, protocol: "OSPF",
		message: "incorrect, should be 0"})
	expert(fOSPFLSAUnknown, expertInfo{severity: SeverityWarning, group: GroupProtocol, protocol: "OSPF",
		summary: func(t *Tree, l, n int, b []byte) []byte {
			return strconv.AppendUint(append(b, "Unknown LSA Type "...), t.Nodes[n].Val, 10)
		}})
}

// pimOptionSize is how many bytes tshark reads of a Hello option's value,
// by type, whatever its length says: Holdtime, LAN Prune Delay, DR
// Priority, Generation ID, State Refresh (RFC 7761 4.9.2, RFC 3973); 0
// reads the option's length (an address list, an unknown option).
func pimOptionSize(typ uint64) int {
	switch typ {
	case 1:
		return 2
	case 2, 19, 20, 21:
		return 4
	}
	return 0
}

// pimHelloOptions walks the options of a Hello at [o, end), each a type, a
// length and a value, with tshark's reads.
func pimHelloOptions(t *Tree, l, o, end int) {
	for o < end {
		if !pimCan(t, l, o+4, end) {
			return
		}
		typ, olen := t.U16(o), int(t.U16(o+2))
		ty := t.Add(l, fPIMOptionType, o, 2, typ)
		t.Add(ty, fPIMOptionLen, o+2, 2, uint64(olen))
		size := pimOptionSize(typ)
		if size == 0 {
			size = olen
		}
		if !pimCan(t, l, o+4+size, end) {
			return
		}
		o += 4 + olen
	}
}

var pimTypeNames = [16]string{
	"Hello", "Register", "Register Stop", "Join / Prune", "Bootstrap", "Assert", "Graft",
	"Graft Acknowledgement", "Candidate RP Advertisement", "Prune Refresh", "DF Election",
	"ECMP Redirect", "Unknown Type", "Unknown Type", "Unknown Type", "Unknown Type",
}

func textPIM(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off, length, avail := layerBytes(t, n)
	if avail < 1 {
		p.b = append(p.b, " [|pim]"...)
		return
	}
	v := t.Data[off] >> 4
	p.b = append(p.b, "PIMv"...)
	p.b = strconv.AppendUint(p.b, uint64(v), 10)
	if v == 2 && p.opt.Verbose == 0 {
		p.b = append(p.b, ", "...)
		p.b = append(p.b, pimTypeNames[t.Data[off]&0xf]...)
	}
	p.b = append(p.b, ", length "...)
	p.b = strconv.AppendUint(p.b, uint64(length), 10)
	if v == 2 && p.opt.Verbose > 0 {
		p.pimV2(l, n, off, length, avail)
	}
}

// pimAddr appends a PIM encoded address (RFC 7761 4.9) at o: kind 'u'
// unicast, 'g' group, 's' source; it returns the bytes it took, or 0 when
// the capture ends inside it or the family is unknown.
func (p *Printer) pimAddr(o, end int, kind byte) int {
	d := p.t.Data
	if end > len(d) {
		end = len(d)
	}
	if o+2 > end {
		return 0
	}
	size := 0
	switch d[o] {
	case 1:
		size = 4
	case 2:
		size = 16
	default:
		return 0
	}
	hdr := 2
	if kind != 'u' {
		hdr = 4
	}
	if o+hdr+size > end {
		return 0
	}
	a := d[o+hdr : o+hdr+size]
	if size == 4 {
		p.b = appendIPv4(p.b, a)
	} else {
		p.b = appendIPv6(p.b, a)
	}
	if kind == 'u' {
		return hdr + size
	}
	flags, mlen := d[o+2], int(d[o+3])
	if mlen != size*8 {
		p.b = append(p.b, '/')
		p.b = strconv.AppendUint(p.b, uint64(mlen), 10)
	}
	if kind == 'g' {
		if flags != 0 {
			p.b = append(p.b, "(0x"...)
			p.b = append(p.b, "0123456789abcdef"[flags>>4], "0123456789abcdef"[flags&0xf])
			p.b = append(p.b, ')')
		}
	} else if flags&7 != 0 {
		p.b = append(p.b, '(')
		if flags&4 != 0 {
			p.b = append(p.b, 'S')
		}
		if flags&2 != 0 {
			p.b = append(p.b, 'W')
		}
		if flags&1 != 0 {
			p.b = append(p.b, 'R')
		}
		p.b = append(p.b, ')')
	}
	return hdr + size
}

// pimNextAddr prints the encoded address of the given kind at *o as
// pimAddr does and moves *o past it; when it does not fit before end or
// the capture, it prints the truncation mark instead and returns false.
func (p *Printer) pimNextAddr(o *int, end int, kind byte) bool {
	k := p.pimAddr(*o, end, kind)
	if k == 0 {
		p.b = append(p.b, " [|pimv2]"...)
		return false
	}
	*o += k
	return true
}

// pimV2 prints the -v detail of a PIMv2 message.
func (p *Printer) pimV2(l, n, off, length, avail int) {
	t := &p.t
	d := t.Data
	end := off + length
	typ := d[off] & 0xf
	p.b = append(p.b, "\n\t"...)
	p.b = append(p.b, pimTypeNames[typ]...)
	if length < 2 {
		p.b = append(p.b, "[length "...)
		p.b = strconv.AppendUint(p.b, uint64(length), 10)
		p.b = append(p.b, " < 2] (invalid)"...)
		return
	}
	if avail >= 2 && typ != 10 && (d[off+1] == 4 || d[off+1] == 16) {
		p.b = append(p.b, ", RFC2117-encoding"...)
	}
	trunc := func() { p.b = append(p.b, " [|pimv2]"...) }
	if avail < 4 {
		trunc()
		return
	}
	p.b = append(p.b, ", cksum 0x"...)
	p.b = appendHex4(p.b, uint64(d[off+2])<<8|uint64(d[off+3]))
	clen := length
	if typ == 1 && clen > 8 {
		clen = 8
	}
	// IPv4: the checksum covers the message (a Register: its header only).
	// IPv6: the whole message and a pseudo-header.
	var ph uint32
	v6 := false
	if ip6 := t.Below(n, protoIPv6); ip6 > t.Below(n, protoIP) {
		v6 = true
		s, dd := t.Find(ip6, fIPv6Src), t.Find(ip6, fIPv6Dst)
		if s >= 0 && dd >= 0 {
			ph = wire.Sum(0, t.Bytes(s))
			ph = wire.Sum(ph, t.Bytes(dd)) + 103
		}
	}
	switch {
	case avail < clen || (v6 && avail < length) || ipFragmented(t, n) || (d[off+2] == 0 && d[off+3] == 0):
		p.b = append(p.b, " (unverified)"...)
	default:
		var sum, whole uint32
		if v6 {
			sum, whole = ph+uint32(clen), ph+uint32(length)
		}
		if wire.Fold(wire.Sum(sum, d[off:off+clen])) == 0 || (clen != length && avail >= length && wire.Fold(wire.Sum(whole, d[off:off+length])) == 0) {
			p.b = append(p.b, " (correct)"...)
		} else {
			p.b = append(p.b, " (incorrect)"...)
		}
	}
	cap := off + avail
	o := off + 4
	switch typ {
	case 0: // Hello
		for o+4 <= end {
			if o+4 > cap {
				trunc()
				return
			}
			ot := int(d[o])<<8 | int(d[o+1])
			ol := int(d[o+2])<<8 | int(d[o+3])
			p.b = append(p.b, "\n\t  "...)
			switch ot {
			case 1:
				p.b = append(p.b, "Hold Time"...)
			case 2:
				p.b = append(p.b, "LAN Prune Delay"...)
			case 19:
				p.b = append(p.b, "DR Priority"...)
			case 20:
				p.b = append(p.b, "Generation ID"...)
			case 21:
				p.b = append(p.b, "State Refresh Capability"...)
			case 22:
				p.b = append(p.b, "Bi-Directional Capability"...)
			case 24:
				p.b = append(p.b, "Address List"...)
			default:
				p.b = append(p.b, "Unknown"...)
			}
			p.b = append(p.b, " Option ("...)
			p.b = strconv.AppendUint(p.b, uint64(ot), 10)
			p.b = append(p.b, "), length "...)
			p.b = strconv.AppendUint(p.b, uint64(ol), 10)
			p.b = append(p.b, ", Value: "...)
			v := o + 4
			if v+ol > cap {
				trunc()
				return
			}
			want := 0
			switch ot {
			case 1:
				want = 2
			case 2, 19, 20, 21:
				want = 4
			}
			if want != 0 && ol != want {
				p.b = append(p.b, "[option length "...)
				p.b = strconv.AppendUint(p.b, uint64(ol), 10)
				p.b = append(p.b, " != "...)
				p.b = strconv.AppendUint(p.b, uint64(want), 10)
				p.b = append(p.b, "] (invalid)"...)
				return
			}
			switch {
			case ot == 1 && ol == 2:
				ht := uint64(d[v])<<8 | uint64(d[v+1])
				if ht == 0xffff {
					p.b = append(p.b, "infinity"...)
				} else {
					p.b = appendRelTime(p.b, ht)
				}
			case ot == 2 && ol == 4:
				p.b = append(p.b, "\n\t    T-bit="...)
				p.b = strconv.AppendUint(p.b, uint64(d[v]>>7), 10)
				p.b = append(p.b, ", LAN delay "...)
				p.b = strconv.AppendUint(p.b, uint64(d[v]&0x7f)<<8|uint64(d[v+1]), 10)
				p.b = append(p.b, "ms, Override interval "...)
				p.b = strconv.AppendUint(p.b, uint64(d[v+2])<<8|uint64(d[v+3]), 10)
				p.b = append(p.b, "ms"...)
			case ot == 19 && ol == 4:
				p.b = strconv.AppendUint(p.b, t.U32(v), 10)
			case ot == 20 && ol == 4:
				p.b = append(p.b, "0x"...)
				p.b = appendHex8(p.b, t.U32(v))
			case ot == 21 && ol == 4:
				p.b = append(p.b, 'v')
				p.b = strconv.AppendUint(p.b, uint64(d[v]), 10)
			case ot == 24 && p.opt.Verbose > 1:
				for a := v; a < v+ol; {
					p.b = append(p.b, "\n\t    "...)
					if !p.pimNextAddr(&a, v+ol, 'u') {
						return
					}
				}
			}
			if p.opt.Verbose > 1 && ol > 0 {
				p.b = appendHexLines(p.b, "\n\t    ", d[v:v+ol])
			}
			o += 4 + ol
		}
	case 1: // Register
		if o+4 > cap {
			trunc()
			return
		}
		f := t.U32(o)
		p.b = append(p.b, ", Flags [ "...)
		switch {
		case f&0xc0000000 == 0:
			p.b = append(p.b, "none"...)
		default:
			sep := ""
			if f&0x80000000 != 0 {
				p.b = append(p.b, "Border"...)
				sep = ", "
			}
			if f&0x40000000 != 0 {
				p.b = append(p.b, sep...)
				p.b = append(p.b, "Null"...)
			}
		}
		p.b = append(p.b, " ]"...)
		if next := p.Proto(l + 1); (next == protoIP || next == protoIPv6) && avail >= 8+20 {
			p.b = append(p.b, "\n\t"...)
			p.Layer(l + 1)
		} else if o+4 < end {
			p.b = append(p.b, "\n\t"...)
			trunc()
		}
	case 2: // Register Stop
		p.b = append(p.b, " group="...)
		if !p.pimNextAddr(&o, end, 'g') {
			return
		}
		p.b = append(p.b, " source="...)
		if !p.pimNextAddr(&o, end, 'u') {
			return
		}
	case 3, 6, 7: // Join/Prune, Graft, Graft-Ack
		if typ != 7 {
			p.b = append(p.b, ", upstream-neighbor: "...)
			if !p.pimNextAddr(&o, end, 'u') {
				return
			}
		}
		if o+4 > cap {
			trunc()
			return
		}
		ng := int(d[o+1])
		ht := uint64(d[o+2])<<8 | uint64(d[o+3])
		p.b = append(p.b, "\n\t  "...)
		p.b = strconv.AppendUint(p.b, uint64(ng), 10)
		p.b = append(p.b, " group(s)"...)
		if typ != 7 {
			p.b = append(p.b, ", holdtime: "...)
			if ht == 0xffff {
				p.b = append(p.b, "infinite"...)
			} else {
				p.b = appendRelTime(p.b, ht)
			}
		}
		o += 4
		for g := 0; g < ng; g++ {
			p.b = append(p.b, "\n\t    group #"...)
			p.b = strconv.AppendUint(p.b, uint64(g+1), 10)
			p.b = append(p.b, ": "...)
			if !p.pimNextAddr(&o, end, 'g') {
				return
			}
			if o+4 > cap {
				trunc()
				return
			}
			nj := int(d[o])<<8 | int(d[o+1])
			np := int(d[o+2])<<8 | int(d[o+3])
			o += 4
			p.b = append(p.b, ", joined sources: "...)
			p.b = strconv.AppendUint(p.b, uint64(nj), 10)
			p.b = append(p.b, ", pruned sources: "...)
			p.b = strconv.AppendUint(p.b, uint64(np), 10)
			for j := 0; j < nj+np; j++ {
				if j < nj {
					p.b = append(p.b, "\n\t      joined source #"...)
					p.b = strconv.AppendUint(p.b, uint64(j+1), 10)
				} else {
					p.b = append(p.b, "\n\t      pruned source #"...)
					p.b = strconv.AppendUint(p.b, uint64(j-nj+1), 10)
				}
				p.b = append(p.b, ": "...)
				if !p.pimNextAddr(&o, end, 's') {
					return
				}
			}
		}
	case 4: // Bootstrap
		if o+4 > cap {
			trunc()
			return
		}
		p.b = append(p.b, " tag="...)
		p.b = strconv.AppendUint(p.b, uint64(d[o])<<8|uint64(d[o+1]), 16)
		p.b = append(p.b, " hashmlen="...)
		p.b = strconv.AppendUint(p.b, uint64(d[o+2]), 10)
		p.b = append(p.b, " BSRprio="...)
		p.b = strconv.AppendUint(p.b, uint64(d[o+3]), 10)
		o += 4
		p.b = append(p.b, " BSR="...)
		if !p.pimNextAddr(&o, end, 'u') {
			return
		}
		for g := 0; o < end; g++ {
			p.b = append(p.b, " (group"...)
			p.b = strconv.AppendUint(p.b, uint64(g), 10)
			p.b = append(p.b, ": "...)
			if !p.pimNextAddr(&o, end, 'g') {
				return
			}
			if o+4 > cap {
				trunc()
				return
			}
			rpcnt, frp := int(d[o]), int(d[o+1])
			p.b = append(p.b, " RPcnt="...)
			p.b = strconv.AppendUint(p.b, uint64(rpcnt), 10)
			p.b = append(p.b, " FRPcnt="...)
			p.b = strconv.AppendUint(p.b, uint64(frp), 10)
			o += 4
			for r := 0; r < frp && o < end; r++ {
				p.b = append(p.b, " RP"...)
				p.b = strconv.AppendUint(p.b, uint64(r), 10)
				p.b = append(p.b, '=')
				if !p.pimNextAddr(&o, end, 'u') {
					return
				}
				if o+4 > cap {
					trunc()
					return
				}
				p.b = append(p.b, ",holdtime="...)
				p.b = appendRelTime(p.b, uint64(d[o])<<8|uint64(d[o+1]))
				p.b = append(p.b, ",prio="...)
				p.b = strconv.AppendUint(p.b, uint64(d[o+2]), 10)
				o += 4
			}
			p.b = append(p.b, ')')
		}
	case 5: // Assert
		p.b = append(p.b, " group="...)
		if !p.pimNextAddr(&o, end, 'g') {
			return
		}
		p.b = append(p.b, " src="...)
		if !p.pimNextAddr(&o, end, 'u') {
			return
		}
		if o+8 > cap {
			trunc()
			return
		}
		pref := t.U32(o)
		if pref&0x80000000 != 0 {
			p.b = append(p.b, " RPT"...)
		}
		p.b = append(p.b, " pref="...)
		p.b = strconv.AppendUint(p.b, pref&0x7fffffff, 10)
		p.b = append(p.b, " metric="...)
		p.b = strconv.AppendUint(p.b, t.U32(o+4), 10)
	case 8: // Candidate RP Advertisement
		if o+4 > cap {
			trunc()
			return
		}
		pc := int(d[o])
		p.b = append(p.b, " prefix-cnt="...)
		p.b = strconv.AppendUint(p.b, uint64(pc), 10)
		p.b = append(p.b, " prio="...)
		p.b = strconv.AppendUint(p.b, uint64(d[o+1]), 10)
		p.b = append(p.b, " holdtime="...)
		p.b = appendRelTime(p.b, uint64(d[o+2])<<8|uint64(d[o+3]))
		o += 4
		p.b = append(p.b, " RP="...)
		if !p.pimNextAddr(&o, end, 'u') {
			return
		}
		for g := 0; g < pc; g++ {
			p.b = append(p.b, " Group"...)
			p.b = strconv.AppendUint(p.b, uint64(g), 10)
			p.b = append(p.b, '=')
			if !p.pimNextAddr(&o, end, 'g') {
				return
			}
		}
	case 10: // DF Election
		st := d[off+1] >> 4
		p.b = append(p.b, "\n\t  "...)
		switch st {
		case 1:
			p.b = append(p.b, "Offer"...)
		case 2:
			p.b = append(p.b, "Winner"...)
		case 3:
			p.b = append(p.b, "Backoff"...)
		case 4:
			p.b = append(p.b, "Pass"...)
		default:
			p.b = append(p.b, "Unknown"...)
		}
		p.b = append(p.b, ", rpa="...)
		if !p.pimNextAddr(&o, end, 'u') {
			return
		}
		if o+8 > cap {
			trunc()
			return
		}
		p.b = append(p.b, " sender pref="...)
		p.b = strconv.AppendUint(p.b, t.U32(o), 10)
		p.b = append(p.b, " sender metric="...)
		p.b = strconv.AppendUint(p.b, t.U32(o+4), 10)
		o += 8
		if st == 3 || st == 4 {
			who := "offer"
			if st == 4 {
				who = "new winner"
			}
			p.b = append(p.b, "\n\t  "...)
			p.b = append(p.b, who...)
			p.b = append(p.b, " addr="...)
			if !p.pimNextAddr(&o, end, 'u') {
				return
			}
			if o+8 > cap {
				trunc()
				return
			}
			p.b = append(p.b, ' ')
			p.b = append(p.b, who...)
			p.b = append(p.b, " pref="...)
			p.b = strconv.AppendUint(p.b, t.U32(o), 10)
			p.b = append(p.b, ' ')
			p.b = append(p.b, who...)
			p.b = append(p.b, " metric="...)
			p.b = strconv.AppendUint(p.b, t.U32(o+4), 10)
			o += 8
			if st == 3 {
				if o+2 > cap {
					trunc()
					return
				}
				p.b = append(p.b, " interval "...)
				p.b = strconv.AppendUint(p.b, uint64(d[o])<<8|uint64(d[o+1]), 10)
				p.b = append(p.b, "ms"...)
			}
		}
	default:
		p.b = append(p.b, " [type "...)
		p.b = strconv.AppendUint(p.b, uint64(typ), 10)
		p.b = append(p.b, ']')
	}
}

func dissectOSPF(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoOSPF, off, end, 2)
	if !ok {
		return
	}
	t.Add(l, fOSPFVersion, off, 1, t.U8(off))
	t.Add(l, fOSPFMsg, off+1, 1, t.U8(off+1))
	if n < 16 {
		t.Mark(l, Truncated)
		return
	}
	t.Add(l, fOSPFLen, off+2, 2, t.U16(off+2))
	t.AddBytes(l, fOSPFRouter, off+4, 4)
	t.AddBytes(l, fOSPFArea, off+8, 4)
	t.Add(l, fOSPFChecksum, off+12, 2, t.U16(off+12))
	hdr := 24
	switch t.U8(off) {
	case 3:
		hdr = 16
		r := t.AddBytes(l, fOSPFReserved, off+15, 1)
		if t.U8(off+15) != 0 {
			t.Nodes[t.Add(r, fOSPFReservedBad, off+15, 1, 0)].Flags |= Generated
		}
	case 2:
	default:
		return
	}
	v3 := hdr == 16
	if !ospfCan(t, l, off+hdr, end) {
		return
	}
	switch t.U8(off + 1) {
	case 1: // Hello: its fixed fields, 20 bytes in both versions
		ospfCan(t, l, off+hdr+20, end)
	case 4: // LS Update
		ospfLSAs(t, l, off+hdr, end, v3)
	}
}

// ospfCan reports whether the bytes up to b can be read, else ends OSPF
// layer l as tshark does: past end a malformed packet, past the capture a
// short one.
func ospfCan(t *Tree, l, b, end int) bool {
	if b <= end && b <= len(t.Data) {
		return true
	}
	if b > end {
		t.malformed(l, fOSPFMalformed, end)
	} else {
		t.Mark(l, Truncated)
	}
	return false
}

// ospfLSAs walks the LSAs of an LS Update at o (a count, then the LSAs,
// each a 20-byte header whose length counts it): an LS type tshark does
// not know has its warning, and a length below the header's ends the
// packet malformed.
func ospfLSAs(t *Tree, l, o, end int, v3 bool) {
	if !ospfCan(t, l, o+4, end) {
		return
	}
	count := t.U32(o)
	o += 4
	for i := uint64(0); i < count && o < end; i++ {
		if !ospfCan(t, l, o+20, end) {
			return
		}
		lt := t.U8(o + 3)
		known := lt >= 1 && lt <= 11 && lt != 8
		if v3 {
			lt = t.U16(o + 2)
			fc := lt & 0x1fff
			known = fc >= 1 && fc <= 9 || fc == 12 || fc >= 33 && fc <= 41
		}
		ln := int(t.U16(o + 18))
		a := t.Add(l, fOSPFLSAType, o+2, 2, lt)
		if !known {
			t.Nodes[t.Add(a, fOSPFLSAUnknown, o+2, 2, lt)].Flags |= Generated
		}
		if ln < 20 {
			t.malformed(l, fOSPFMalformed, o+20)
			return
		}
		if !ospfCan(t, l, o+ln, end) {
			return
		}
		o += ln
	}
}

var ospfTypeNames = [6]string{1: "Hello", 2: "Database Description", 3: "LS-Request", 4: "LS-Update", 5: "LS-Ack"}

func textOSPF(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off, length, avail := layerBytes(t, n)
	if avail < 24 && !(avail >= 16 && t.Data[off] == 3) {
		p.b = append(p.b, " [|ospf2]"...)
		return
	}
	d := t.Data
	p.b = append(p.b, "OSPFv"...)
	p.b = strconv.AppendUint(p.b, uint64(d[off]), 10)
	p.b = append(p.b, ", "...)
	if typ := d[off+1]; typ >= 1 && typ <= 5 {
		p.b = append(p.b, ospfTypeNames[typ]...)
	} else {
		p.b = append(p.b, "unknown LS-type "...)
		p.b = strconv.AppendUint(p.b, uint64(typ), 10)
	}
	// The length is the IP payload's, less a cryptographic authentication
	// trailer (RFC 2328 D.4.3) that follows the packet.
	if d[off] == 2 && avail >= 24 && d[off+14] == 0 && d[off+15] == 2 && length > int(d[off+19]) {
		length -= int(d[off+19])
	}
	p.b = append(p.b, ", length "...)
	p.b = strconv.AppendUint(p.b, uint64(length), 10)
	if typ := d[off+1]; d[off] == 2 && typ >= 1 && typ <= 5 && p.opt.Verbose > 0 {
		p.ospf2(n, off, length)
	}
	if d[off] == 3 && p.opt.Verbose > 0 {
		p.ospf3(n, off)
	}
}

// appendOSPFRouterArea appends the Router-ID and the area of the OSPF
// (v2 or v3) header at off.
func appendOSPFRouterArea(b, d []byte, off int) []byte {
	b = append(b, "\n\tRouter-ID "...)
	b = appendIPv4(b, d[off+4:off+8])
	if a := d[off+8 : off+12]; a[0]|a[1]|a[2]|a[3] != 0 {
		b = append(b, ", Area "...)
		return appendIPv4(b, a)
	}
	return append(b, ", Backbone Area"...)
}

// appendOSPFDRs appends the designated and backup designated routers of
// a Hello, the 8 bytes r, leaving out one that is 0.0.0.0.
func appendOSPFDRs(b, r []byte) []byte {
	if dr := r[0:4]; dr[0]|dr[1]|dr[2]|dr[3] != 0 {
		b = append(b, "\n\t  Designated Router "...)
		b = appendIPv4(b, dr)
	}
	if bdr := r[4:8]; bdr[0]|bdr[1]|bdr[2]|bdr[3] != 0 {
		b = append(b, ", Backup Designated Router "...)
		b = appendIPv4(b, bdr)
	}
	return b
}

// appendOSPFLSAOrigin appends the advertising router, sequence number and
// age of the LSA header h (its first 16 bytes, the same in v2 and v3), up
// to the words before the length, which the caller appends.
func appendOSPFLSAOrigin(b, h []byte) []byte {
	b = append(b, "\n\t  Advertising Router "...)
	b = appendIPv4(b, h[8:12])
	b = append(b, ", seq 0x"...)
	b = appendHex8(b, uint64(binary.BigEndian.Uint32(h[12:16])))
	b = append(b, ", age "...)
	b = strconv.AppendUint(b, uint64(binary.BigEndian.Uint16(h[0:2])), 10)
	return append(b, "s, length "...)
}

// ospfDDFlagNames are a Database Description's I, M and MS bits as
// appendOSPFDDFlags orders them.
var ospfDDFlagNames = []string{"Init", "More", "Master"}

// appendOSPFDDFlags appends "], DD Flags [...]" for the flags byte f of a
// Database Description (v2 or v3).
func appendOSPFDDFlags(b []byte, f byte) []byte {
	b = append(b, "], DD Flags ["...)
	b = appendBits(b, uint64(f&1)<<2|uint64(f&2)|uint64(f&4)>>2, ospfDDFlagNames)
	return append(b, ']')
}

var ospf3OptionNames = []string{"V6", "External", "MC", "NSSA", "Router", "Demand Circuit", "", "", "AF", "L", "Authentication Trailer"}

var ospf3PrefixOptionNames = []string{"No unicast", "Local address", "MC", "Propagate", "DN", "N"}

var ospf3LSANames = [10]string{1: "Router", 2: "Network", 3: "Inter-Area Prefix", 4: "Inter-Area Router", 5: "External", 6: "Multicast Group membership", 7: "NSSA", 8: "Link", 9: "Intra-Area Prefix"}

// ospf3LSAType appends "Router LSA (1), Area Local Scope" for the OSPFv3
// LS type lt.
func ospf3LSAType(b []byte, lt uint64) []byte {
	fc := lt & 0x1fff
	if int(fc) < len(ospf3LSANames) && ospf3LSANames[fc] != "" {
		b = append(b, ospf3LSANames[fc]...)
	} else {
		b = append(b, "Unknown"...)
	}
	b = append(b, " LSA ("...)
	b = strconv.AppendUint(b, fc, 10)
	b = append(b, "), "...)
	switch lt & 0x6000 {
	case 0:
		b = append(b, "Link Local"...)
	case 0x2000:
		b = append(b, "Area Local"...)
	case 0x4000:
		b = append(b, "AS"...)
	default:
		b = append(b, "Reserved"...)
	}
	return append(b, " Scope"...)
}

// ospf3 prints the -v detail of the OSPFv3 packet at off.
func (p *Printer) ospf3(n, off int) {
	t := &p.t
	d := t.Data
	capEnd := len(d)
	if e := off + int(t.Nodes[n].Len); capEnd > e {
		capEnd = e
	}
	trunc := func() { p.b = append(p.b, " [|ospf3]"...) }
	if off+16 > capEnd {
		trunc()
		return
	}
	typ := d[off+1]
	plen := int(t.U16(off + 2))
	end := off + plen
	p.b = appendOSPFRouterArea(p.b, d, off)
	if inst := d[off+14]; inst != 0 {
		p.b = append(p.b, ", Instance "...)
		p.b = strconv.AppendUint(p.b, uint64(inst), 10)
	}
	at := false
	prefix := func(o, end int) int {
		if o+4 > end || o+4 > capEnd {
			return 0
		}
		pl := int(d[o])
		popt := d[o+1]
		k := (pl + 31) / 32 * 4
		if pl > 128 || o+4+k > capEnd {
			return 0
		}
		var a [16]byte
		copy(a[:], d[o+4:o+4+k])
		p.b = append(p.b, "\n\t\t"...)
		p.b = appendIPv6(p.b, a[:])
		p.b = append(p.b, '/')
		p.b = strconv.AppendUint(p.b, uint64(pl), 10)
		if popt != 0 {
			p.b = append(p.b, ", Options ["...)
			p.b = appendBits(p.b, uint64(popt), ospf3PrefixOptionNames)
			p.b = append(p.b, ']')
		}
		p.b = append(p.b, ", metric "...)
		p.b = strconv.AppendUint(p.b, t.U16(o+2), 10)
		return 4 + k
	}
	lsaHeader := func(o int) bool {
		if o+20 > capEnd {
			trunc()
			return false
		}
		p.b = appendOSPFLSAOrigin(p.b, d[o:o+16])
		p.b = strconv.AppendUint(p.b, uint64(int64(t.U16(o+18))-20), 10)
		p.b = append(p.b, "\n\t    "...)
		p.b = ospf3LSAType(p.b, t.U16(o+2))
		p.b = append(p.b, ", LSA-ID "...)
		p.b = appendIPv4(p.b, d[o+4:o+8])
		return true
	}
	lsaBody := func(lt uint64, o, lend int) bool {
		if lend > capEnd {
			lend = capEnd
		}
		var np uint64
		switch lt & 0x1fff {
		case 1:
			if o+4 > lend {
				return false
			}
			p.b = append(p.b, "\n\t      Options ["...)
			p.b = appendBits(p.b, t.U24(o+1), ospf3OptionNames)
			p.b = append(p.b, "], RLA-Flags ["...)
			p.b = appendBits(p.b, uint64(d[o]), []string{"ABR", "ASBR", "Virtual", "W"})
			p.b = append(p.b, ']')
			for o += 4; o+16 <= lend; o += 16 {
				switch d[o] {
				case 1:
					p.b = append(p.b, "\n\t      Neighbor Router-ID "...)
				case 2:
					p.b = append(p.b, "\n\t      Neighbor Network-ID "...)
				case 4:
					p.b = append(p.b, "\n\t      Virtual Link Router-ID "...)
				default:
					p.b = append(p.b, "\n\t      Unknown Router Links Type 0x"...)
					p.b = strconv.AppendUint(p.b, uint64(d[o]), 16)
					return true
				}
				p.b = appendIPv4(p.b, d[o+12:o+16])
				p.b = append(p.b, "\n\t      Neighbor Interface-ID "...)
				p.b = appendIPv4(p.b, d[o+8:o+12])
				p.b = append(p.b, ", Interface "...)
				p.b = appendIPv4(p.b, d[o+4:o+8])
				p.b = append(p.b, ", metric "...)
				p.b = strconv.AppendUint(p.b, t.U16(o+2), 10)
			}
		case 2:
			if o+4 > lend {
				return false
			}
			p.b = append(p.b, "\n\t      Options ["...)
			p.b = appendBits(p.b, t.U24(o+1), ospf3OptionNames)
			p.b = append(p.b, "]\n\t      Connected Routers:"...)
			for o += 4; o+4 <= lend; o += 4 {
				p.b = append(p.b, "\n\t\t"...)
				p.b = appendIPv4(p.b, d[o:o+4])
			}
		case 3:
			if o+4 > lend {
				return false
			}
			p.b = append(p.b, ", metric "...)
			p.b = strconv.AppendUint(p.b, t.U24(o+1), 10)
			if prefix(o+4, lend) == 0 {
				return false
			}
		case 8:
			if o+24 > lend {
				return false
			}
			p.b = append(p.b, "\n\t      Options ["...)
			p.b = appendBits(p.b, t.U24(o+1), ospf3OptionNames)
			p.b = append(p.b, "]\n\t      Priority "...)
			p.b = strconv.AppendUint(p.b, uint64(d[o]), 10)
			p.b = append(p.b, ", Link-local address "...)
			p.b = appendIPv6(p.b, d[o+4:o+20])
			np = t.U32(o + 20)
			p.b = append(p.b, ", Prefixes "...)
			p.b = strconv.AppendUint(p.b, np, 10)
			p.b = append(p.b, ':')
			o += 24
		case 9:
			if o+12 > lend {
				return false
			}
			np = t.U16(o)
			p.b = append(p.b, "\n\t    "...)
			p.b = ospf3LSAType(p.b, t.U16(o+2))
			p.b = append(p.b, ", LSA-ID "...)
			p.b = appendIPv4(p.b, d[o+4:o+8])
			p.b = append(p.b, "\n\t      Prefixes "...)
			p.b = strconv.AppendUint(p.b, np, 10)
			p.b = append(p.b, ':')
			o += 12
		}
		// A Link and an Intra-Area-Prefix LSA end in np prefixes.
		for i := uint64(0); i < np; i++ {
			k := prefix(o, lend)
			if k == 0 {
				return false
			}
			o += k
		}
		return true
	}
	o := off + 16
	switch typ {
	case 1:
		if o+20 > capEnd {
			trunc()
			return
		}
		p.b = append(p.b, "\n\tOptions ["...)
		p.b = appendBits(p.b, t.U24(o+5), ospf3OptionNames)
		p.b = append(p.b, "]\n\t  Hello Timer "...)
		p.b = strconv.AppendUint(p.b, t.U16(o+8), 10)
		p.b = append(p.b, "s, Dead Timer "...)
		p.b = strconv.AppendUint(p.b, t.U16(o+10), 10)
		p.b = append(p.b, "s, Interface-ID "...)
		p.b = appendIPv4(p.b, d[o:o+4])
		p.b = append(p.b, ", Priority "...)
		p.b = strconv.AppendUint(p.b, uint64(d[o+4]), 10)
		p.b = appendOSPFDRs(p.b, d[o+12:o+20])
		at = t.U24(o+5)&0x400 != 0
		p.b = append(p.b, "\n\t  Neighbor List:"...)
		for o += 20; o+4 <= end; o += 4 {
			if o+4 > capEnd {
				trunc()
				return
			}
			p.b = append(p.b, "\n\t    "...)
			p.b = appendIPv4(p.b, d[o:o+4])
		}
	case 2:
		if o+12 > capEnd {
			trunc()
			return
		}
		p.b = append(p.b, "\n\tOptions ["...)
		p.b = appendBits(p.b, t.U24(o+1), ospf3OptionNames)
		p.b = appendOSPFDDFlags(p.b, d[o+7])
		p.b = append(p.b, ", MTU "...)
		p.b = strconv.AppendUint(p.b, t.U16(o+4), 10)
		p.b = append(p.b, ", DD-Sequence 0x"...)
		p.b = appendHex8(p.b, t.U32(o+8))
		at = t.U24(o+1)&0x400 != 0
		for o += 12; o < end; o += 20 {
			if !lsaHeader(o) {
				return
			}
		}
	case 3:
		for ; o < end; o += 12 {
			if o+12 > capEnd {
				trunc()
				return
			}
			p.b = append(p.b, "\n\t  Advertising Router "...)
			p.b = appendIPv4(p.b, d[o+8:o+12])
			p.b = append(p.b, "\n\t    "...)
			p.b = ospf3LSAType(p.b, t.U16(o+2))
			p.b = append(p.b, ", LSA-ID "...)
			p.b = appendIPv4(p.b, d[o+4:o+8])
		}
	case 4:
		if o+4 > capEnd {
			trunc()
			return
		}
		nl := t.U32(o)
		o += 4
		for i := uint64(0); i < nl && o < end; i++ {
			if !lsaHeader(o) {
				return
			}
			ll := int(t.U16(o + 18))
			if ll < 20 {
				trunc()
				return
			}
			if !lsaBody(t.U16(o+2), o+20, o+ll) {
				trunc()
				return
			}
			o += ll
		}
	case 5:
		for ; o < end; o += 20 {
			if !lsaHeader(o) {
				return
			}
		}
	}
	// The authentication trailer (RFC 7166) follows the packet.
	if o = off + plen; at && o+16 <= capEnd {
		al := int(t.U16(o + 2))
		p.b = append(p.b, "\n\tAuthentication Type "...)
		if t.U16(o) == 1 {
			p.b = append(p.b, "HMAC"...)
		} else {
			p.b = append(p.b, "unknown"...)
		}
		p.b = append(p.b, ", Length "...)
		p.b = strconv.AppendUint(p.b, uint64(al), 10)
		p.b = append(p.b, ", SAID "...)
		p.b = strconv.AppendUint(p.b, t.U16(o+6), 10)
		p.b = append(p.b, ", CSN 0x"...)
		p.b = appendHex8(p.b, t.U32(o+8))
		p.b = append(p.b, ":"...)
		p.b = appendHex8(p.b, t.U32(o+12))
		if ae := o + al; al > 16 && ae <= capEnd {
			p.b = appendHexLines(p.b, "\n\tAuthentication Data ", d[o+16:ae])
		}
	}
}

// ospfOptionNames are the OSPFv2 option bits (RFC 2328 A.2, RFC 5250,
// RFC 5613), lowest first.
var ospfOptionNames = [8]string{"MultiTopology", "External", "Multicast", "NSSA", "LLS", "Demand Circuit", "Opaque", "Down"}

// appendBits appends the names of the set bits of v, lowest first, joined
// by ", ", or "none".
func appendBits(b []byte, v uint64, names []string) []byte {
	first := true
	for i, nm := range names {
		if v&(1<<uint(i)) != 0 && nm != "" {
			if !first {
				b = append(b, ", "...)
			}
			b = append(b, nm...)
			first = false
		}
	}
	if first {
		b = append(b, "none"...)
	}
	return b
}

var ospfLSANames = [12]string{1: "Router", 2: "Network", 3: "Summary", 4: "ASBR Summary", 5: "External", 7: "NSSA", 9: "Link Local Opaque", 10: "Area Local Opaque", 11: "Domain Wide Opaque"}

// appendOSPFLSAType appends "Router LSA (1)" for the OSPFv2 LS type lt.
func appendOSPFLSAType(b []byte, lt byte) []byte {
	if int(lt) < len(ospfLSANames) && ospfLSANames[lt] != "" {
		b = append(b, ospfLSANames[lt]...)
	} else {
		b = append(b, "unknown"...)
	}
	b = append(b, " LSA ("...)
	b = strconv.AppendUint(b, uint64(lt), 10)
	return append(b, ')')
}

var ospfOpaqueNames = map[byte]string{1: "Traffic Engineering", 3: "Graceful restart", 4: "Router Information", 7: "Extended Prefix", 8: "Extended Link"}

// ospf2 prints the -v detail of the OSPFv2 packet at off; length is the
// packet's length as the first line gave it.
func (p *Printer) ospf2(n, off, length int) {
	t := &p.t
	d := t.Data
	ipEnd := off + int(t.Nodes[n].Len)
	capEnd := len(d)
	if capEnd > ipEnd {
		capEnd = ipEnd
	}
	trunc := func() { p.b = append(p.b, " [|ospf2]"...) }
	plen := int(t.U16(off + 2))
	if plen != length {
		p.b = append(p.b, " [len "...)
		p.b = strconv.AppendUint(p.b, uint64(plen), 10)
		p.b = append(p.b, ']')
	}
	typ := d[off+1]
	p.b = appendOSPFRouterArea(p.b, d, off)
	p.b = append(p.b, ", Authentication Type: "...)
	at := t.U16(off + 14)
	switch at {
	case 0:
		p.b = append(p.b, "none"...)
	case 1:
		p.b = append(p.b, "simple"...)
	case 2:
		p.b = append(p.b, "MD5"...)
	default:
		p.b = append(p.b, "unknown"...)
	}
	p.b = append(p.b, " ("...)
	p.b = strconv.AppendUint(p.b, at, 10)
	p.b = append(p.b, ')')
	authLen := 0
	switch at {
	case 1:
		p.b = append(p.b, "\n\tSimple text password: "...)
		for _, c := range d[off+16 : off+24] {
			if c == 0 {
				break
			}
			p.b = appendPrintable(p.b, c)
		}
	case 2:
		authLen = int(d[off+19])
		p.b = append(p.b, "\n\tKey-ID: "...)
		p.b = strconv.AppendUint(p.b, uint64(d[off+18]), 10)
		p.b = append(p.b, ", Auth-Length: "...)
		p.b = strconv.AppendUint(p.b, uint64(authLen), 10)
		p.b = append(p.b, ", Crypto Sequence Number: 0x"...)
		p.b = appendHex8(p.b, t.U32(off+20))
	}
	end := off + plen
	if end > capEnd {
		end = capEnd
	}
	o := off + 24
	lsaHeader := func(o int) bool {
		if o+20 > capEnd {
			trunc()
			return false
		}
		lt := d[o+3]
		ll := int(t.U16(o + 18))
		if ll < 20 {
			p.b = append(p.b, "\n\t    Bogus length "...)
			p.b = strconv.AppendUint(p.b, uint64(ll), 10)
			p.b = append(p.b, " < header (20)"...)
			return false
		}
		p.b = appendOSPFLSAOrigin(p.b, d[o:o+16])
		p.b = strconv.AppendInt(p.b, int64(ll-20), 10)
		p.b = append(p.b, "\n\t    "...)
		p.b = appendOSPFLSAType(p.b, lt)
		p.b = append(p.b, ", "...)
		if lt >= 9 && lt <= 11 {
			p.b = append(p.b, "Opaque-Type "...)
			if nm, ok := ospfOpaqueNames[d[o+4]]; ok {
				p.b = append(p.b, nm...)
			} else {
				p.b = append(p.b, "unknown"...)
			}
			p.b = append(p.b, " LSA ("...)
			p.b = strconv.AppendUint(p.b, uint64(d[o+4]), 10)
			p.b = append(p.b, "), Opaque-ID "...)
			p.b = strconv.AppendUint(p.b, uint64(d[o+5])<<16|t.U16(o+6), 10)
		} else {
			p.b = append(p.b, "LSA-ID: "...)
			p.b = appendIPv4(p.b, d[o+4:o+8])
		}
		p.b = append(p.b, "\n\t    Options: ["...)
		p.b = appendBits(p.b, uint64(d[o+2]), ospfOptionNames[:])
		p.b = append(p.b, ']')
		return true
	}
	lls := false
	switch typ {
	case 1: // Hello
		if o+20 > capEnd {
			trunc()
			return
		}
		p.b = append(p.b, "\n\tOptions ["...)
		p.b = appendBits(p.b, uint64(d[o+6]), ospfOptionNames[:])
		p.b = append(p.b, "]\n\t  Hello Timer "...)
		p.b = strconv.AppendUint(p.b, t.U16(o+4), 10)
		p.b = append(p.b, "s, Dead Timer "...)
		p.b = strconv.AppendUint(p.b, t.U32(o+8), 10)
		p.b = append(p.b, "s, Mask "...)
		p.b = appendIPv4(p.b, d[o:o+4])
		p.b = append(p.b, ", Priority "...)
		p.b = strconv.AppendUint(p.b, uint64(d[o+7]), 10)
		p.b = appendOSPFDRs(p.b, d[o+12:o+20])
		lls = d[o+6]&0x10 != 0
		o += 20
		if o < end {
			p.b = append(p.b, "\n\t  Neighbor List:"...)
			for ; o+4 <= end; o += 4 {
				p.b = append(p.b, "\n\t    "...)
				p.b = appendIPv4(p.b, d[o:o+4])
			}
		}
	case 2: // Database Description
		if o+8 > capEnd {
			trunc()
			return
		}
		p.b = append(p.b, "\n\tOptions ["...)
		p.b = appendBits(p.b, uint64(d[o+2]), ospfOptionNames[:])
		p.b = appendOSPFDDFlags(p.b, d[o+3])
		if mtu := t.U16(o); mtu != 0 {
			p.b = append(p.b, ", MTU: "...)
			p.b = strconv.AppendUint(p.b, mtu, 10)
		}
		p.b = append(p.b, ", Sequence: 0x"...)
		p.b = appendHex8(p.b, t.U32(o+4))
		lls = d[o+2]&0x10 != 0
		for o += 8; o < end; o += 20 {
			if !lsaHeader(o) {
				return
			}
		}
	case 3: // LS Request
		for ; o < end; o += 12 {
			if o+12 > capEnd {
				trunc()
				return
			}
			lt := d[o+3]
			p.b = append(p.b, "\n\t  Advertising Router: "...)
			p.b = appendIPv4(p.b, d[o+8:o+12])
			p.b = append(p.b, ", "...)
			p.b = appendOSPFLSAType(p.b, lt)
			p.b = append(p.b, ", LSA-ID: "...)
			p.b = appendIPv4(p.b, d[o+4:o+8])
		}
	case 4: // LS Update
		if o+4 > capEnd {
			trunc()
			return
		}
		nl := t.U32(o)
		p.b = append(p.b, ", "...)
		p.b = strconv.AppendUint(p.b, nl, 10)
		p.b = append(p.b, " LSA"...)
		if nl != 1 {
			p.b = append(p.b, 's')
		}
		o += 4
		for i := uint64(0); i < nl && o < end; i++ {
			p.b = append(p.b, "\n\t  LSA #"...)
			p.b = strconv.AppendUint(p.b, i+1, 10)
			if !lsaHeader(o) {
				return
			}
			ll := int(t.U16(o + 18))
			if ll < 20 {
				return
			}
			if !p.ospfLSABody(d[o+3], d[o+4], o+20, o+ll) {
				trunc()
				return
			}
			if p.opt.Verbose > 1 && d[o+3] < 9 && ll > 20 && o+ll <= capEnd {
				p.b = appendHexLines(p.b, "\n\t    ", d[o+20:o+ll])
			}
			o += ll
		}
	case 5: // LS Ack: tcpdump reads headers until the capture ends.
		for ; ; o += 20 {
			if !lsaHeader(o) {
				return
			}
		}
	}
	if !lls {
		return
	}
	o = off + plen + authLen
	if o+4 > capEnd {
		return
	}
	p.b = append(p.b, "\n\t  LLS: checksum: 0x"...)
	p.b = appendHex4(p.b, t.U16(o))
	p.b = append(p.b, ", length: "...)
	ll := int(t.U16(o + 2))
	p.b = strconv.AppendUint(p.b, uint64(ll), 10)
	lend := o + ll*4
	if lend > capEnd {
		lend = capEnd
	}
	for o += 4; o+4 <= lend; {
		tt, tl := t.U16(o), int(t.U16(o+2))
		p.b = append(p.b, "\n\t    "...)
		switch tt {
		case 1:
			p.b = append(p.b, "Extended Options"...)
		case 2:
			p.b = append(p.b, "MD5 Authentication"...)
		default:
			p.b = append(p.b, "Unknown"...)
		}
		p.b = append(p.b, " ("...)
		p.b = strconv.AppendUint(p.b, tt, 10)
		p.b = append(p.b, "), length: "...)
		p.b = strconv.AppendUint(p.b, uint64(tl), 10)
		v := o + 4
		if v+tl > lend {
			trunc()
			return
		}
		switch {
		case tt == 1 && tl >= 4:
			p.b = append(p.b, "\n\t      Options: 0x"...)
			p.b = appendHex8(p.b, t.U32(v))
			p.b = append(p.b, " ["...)
			p.b = appendBits(p.b, t.U32(v), []string{"LSDB resync", "Restart"})
			p.b = append(p.b, ']')
		case tt == 2 && tl >= 4:
			p.b = append(p.b, "\n\t      Sequence number: 0x"...)
			p.b = appendHex8(p.b, t.U32(v))
		}
		o = v + tl
	}
}

// ospfRouterLinkNames name, for a router link of type 1 to 4 in a Router
// LSA, its ID and its data.
var ospfRouterLinkNames = [5][2]string{
	1: {"Neighbor Router-ID: ", ", Interface Address: "},
	2: {"Neighbor Network-ID: ", ", Interface Address: "},
	3: {"Stub Network: ", ", Mask: "},
	4: {"Virtual Link: ", ", Interface Address: "},
}

// appendOSPFTOS appends "\n\t\ttopology default (0)", or the number in
// place of "default", for the TOS tos of a Summary or External LSA.
func appendOSPFTOS(b []byte, tos byte) []byte {
	b = append(b, "\n\t\ttopology "...)
	if tos == 0 {
		b = append(b, "default"...)
	} else {
		b = strconv.AppendUint(b, uint64(tos), 10)
	}
	b = append(b, " ("...)
	b = strconv.AppendUint(b, uint64(tos), 10)
	return append(b, ')')
}

// ospfLSABody prints the body of an LSA of type lt in [o, end); false when
// the capture ends inside it.
func (p *Printer) ospfLSABody(lt, opaque byte, o, end int) bool {
	t := &p.t
	d := t.Data
	if end > len(d) {
		return false
	}
	if lt >= 9 && lt <= 11 && opaque == 3 {
		// Graceful restart (RFC 3623): TLVs padded to 4 bytes.
		start := o
		for o+4 <= end {
			tt, tl := t.U16(o), int(t.U16(o+2))
			v := o + 4
			p.b = append(p.b, "\n\t    "...)
			switch tt {
			case 1:
				p.b = append(p.b, "Grace Period"...)
			case 2:
				p.b = append(p.b, "Graceful restart Reason"...)
			case 3:
				p.b = append(p.b, "IPv4 interface address"...)
			default:
				p.b = append(p.b, "unknown"...)
			}
			p.b = append(p.b, " TLV ("...)
			p.b = strconv.AppendUint(p.b, tt, 10)
			p.b = append(p.b, "), length "...)
			p.b = strconv.AppendUint(p.b, uint64(tl), 10)
			if v+tl > end {
				return false
			}
			switch {
			case tt == 1 && tl == 4:
				p.b = append(p.b, ", value: "...)
				p.b = strconv.AppendUint(p.b, t.U16(v)<<16|t.U16(v+2), 10)
				p.b = append(p.b, 's')
			case tt == 2 && tl == 1:
				p.b = append(p.b, ", value: "...)
				switch d[v] {
				case 1:
					p.b = append(p.b, "Software Restart"...)
				case 2:
					p.b = append(p.b, "Software Reload/Upgrade"...)
				case 3:
					p.b = append(p.b, "Control Processor Switchover"...)
				default:
					p.b = append(p.b, "Unknown"...)
				}
				p.b = append(p.b, " ("...)
				p.b = strconv.AppendUint(p.b, uint64(d[v]), 10)
				p.b = append(p.b, ')')
			case tt == 3 && tl == 4:
				p.b = append(p.b, ", value: "...)
				p.b = appendIPv4(p.b, d[v:v+4])
			}
			o = v + (tl+3)&^3
		}
		if p.opt.Verbose > 1 && start < end {
			p.b = appendHexLines(p.b, "\n\t    ", d[start:end])
		}
		return true
	}
	switch lt {
	case 1:
		if o+4 > end {
			return false
		}
		p.b = append(p.b, "\n\t    Router LSA Options: ["...)
		p.b = appendBits(p.b, uint64(d[o]), []string{"ABR", "ASBR", "Virtual", "W", "Nt"})
		p.b = append(p.b, ']')
		nl := int(t.U16(o + 2))
		o += 4
		for i := 0; i < nl; i++ {
			if o+12 > end {
				return false
			}
			p.b = append(p.b, "\n\t      "...)
			lk := d[o+8]
			if lk < 1 || lk > 4 {
				p.b = append(p.b, "Unknown Router Link Type ("...)
				p.b = strconv.AppendUint(p.b, uint64(lk), 10)
				p.b = append(p.b, ')')
				return true
			}
			p.b = append(p.b, ospfRouterLinkNames[lk][0]...)
			p.b = appendIPv4(p.b, d[o:o+4])
			p.b = append(p.b, ospfRouterLinkNames[lk][1]...)
			p.b = appendIPv4(p.b, d[o+4:o+8])
			ntos := int(d[o+9])
			p.b = append(p.b, "\n\t\ttopology default (0), metric "...)
			p.b = strconv.AppendUint(p.b, t.U16(o+10), 10)
			o += 12
			for k := 0; k < ntos; k++ {
				if o+4 > end {
					return false
				}
				p.b = append(p.b, "\n\t\ttopology "...)
				p.b = strconv.AppendUint(p.b, uint64(d[o]), 10)
				p.b = append(p.b, " ("...)
				p.b = strconv.AppendUint(p.b, uint64(d[o]), 10)
				p.b = append(p.b, "), metric "...)
				p.b = strconv.AppendUint(p.b, t.U16(o+2), 10)
				o += 4
			}
		}
	case 2:
		if o+4 > end {
			return false
		}
		p.b = append(p.b, "\n\t    Mask "...)
		p.b = appendIPv4(p.b, d[o:o+4])
		p.b = append(p.b, "\n\t    Connected Routers:"...)
		for o += 4; o+4 <= end; o += 4 {
			p.b = append(p.b, "\n\t      "...)
			p.b = appendIPv4(p.b, d[o:o+4])
		}
	case 3, 4:
		if o+4 > end {
			return false
		}
		p.b = append(p.b, "\n\t    Mask "...)
		p.b = appendIPv4(p.b, d[o:o+4])
		for o += 4; o+4 <= end; o += 4 {
			p.b = appendOSPFTOS(p.b, d[o])
			p.b = append(p.b, ", metric "...)
			p.b = strconv.AppendUint(p.b, uint64(d[o+1])<<16|t.U16(o+2), 10)
		}
	case 5, 7:
		if o+4 > end {
			return false
		}
		p.b = append(p.b, "\n\t    Mask "...)
		p.b = appendIPv4(p.b, d[o:o+4])
		for o += 4; o+12 <= end; o += 12 {
			p.b = appendOSPFTOS(p.b, d[o]&0x7f)
			p.b = append(p.b, ", type "...)
			if d[o]&0x80 != 0 {
				p.b = append(p.b, '2')
			} else {
				p.b = append(p.b, '1')
			}
			p.b = append(p.b, ", metric "...)
			if m := uint64(d[o+1])<<16 | t.U16(o+2); m == 0xffffff {
				p.b = append(p.b, "infinite"...)
			} else {
				p.b = strconv.AppendUint(p.b, m, 10)
			}
			if f := d[o+4 : o+8]; f[0]|f[1]|f[2]|f[3] != 0 {
				p.b = append(p.b, ", forward "...)
				p.b = appendIPv4(p.b, f)
			}
			if g := d[o+8 : o+12]; g[0]|g[1]|g[2]|g[3] != 0 {
				p.b = append(p.b, ", tag "...)
				p.b = appendIPv4(p.b, g)
			}
		}
	}
	return true
}

func dissectESP(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoESP, off, end, 8)
	if !ok {
		return
	}
	t.Add(l, fESPSPI, off, 4, t.U32(off))
	t.Add(l, fESPSeq, off+4, 4, t.U32(off+4))
	if n > 8 {
		t.AddBytes(l, fESPEData, off+8, n-8)
	}
}

func textESP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off, length, avail := layerBytes(t, n)
	// The SPI and sequence number are not enough: tcpdump wants a byte of
	// the encrypted payload after them before it prints the header.
	if avail <= 8 {
		p.b = append(p.b, " [|esp]"...)
		return
	}
	p.b = append(p.b, "ESP(spi=0x"...)
	p.b = appendHex8(p.b, t.U32(off))
	p.b = append(p.b, ",seq=0x"...)
	p.b = strconv.AppendUint(p.b, t.U32(off+4), 16)
	p.b = append(p.b, "), length "...)
	p.b = strconv.AppendUint(p.b, uint64(length), 10)
}

// appendHex8 appends v as eight hexadecimal digits.
func appendHex8(b []byte, v uint64) []byte {
	for sh := 28; sh >= 0; sh -= 4 {
		b = append(b, "0123456789abcdef"[v>>uint(sh)&0xf])
	}
	return b
}

func dissectAH(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoAH, off, end, 2)
	if !ok {
		return
	}
	nh := t.U8(off)
	t.Add(l, fAHNext, off, 1, nh)
	hl := (int(t.U8(off+1)) + 2) * 4
	t.Add(l, fAHLen, off+1, 1, t.U8(off+1))
	if n < 12 {
		t.Mark(l, Truncated)
		return
	}
	t.AddBytes(l, fAHReserved, off+2, 2)
	t.Add(l, fAHSPI, off+4, 4, t.U32(off+4))
	t.Add(l, fAHSeq, off+8, 4, t.U32(off+8))
	if hl > 12 {
		t.AddBytes(l, fAHICV, off+12, hl-12)
	}
	if n < hl || off+hl > end {
		t.Mark(l, Truncated)
		return
	}
	t.SetLen(l, hl)
	if !t.Call(IPProtocols.Lookup(uint32(nh)), off+hl, end) {
		DissectData(t, off+hl, end)
	}
}

func textAH(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off := int(t.Nodes[n].Off)
	d := t.Data
	avail := len(d) - off
	if avail < 2 {
		p.b = append(p.b, " [|ah]"...)
		return
	}
	hl := (int(d[off+1]) + 2) * 4
	p.b = append(p.b, "AH("...)
	if p.opt.Verbose > 0 {
		p.b = append(p.b, "length="...)
		p.b = strconv.AppendUint(p.b, uint64(d[off+1]), 10)
		p.b = append(p.b, '(')
		p.b = strconv.AppendUint(p.b, uint64(hl), 10)
		p.b = append(p.b, "-bytes),"...)
	}
	if avail < 12 {
		p.b = append(p.b, " [|ah]"...)
		return
	}
	if r := uint64(d[off+2])<<8 | uint64(d[off+3]); r != 0 {
		p.b = append(p.b, "reserved=0x"...)
		p.b = strconv.AppendUint(p.b, r, 16)
		p.b = append(p.b, "[MustBeZero],"...)
	}
	p.b = append(p.b, "spi=0x"...)
	p.b = appendHex8(p.b, t.U32(off+4))
	p.b = append(p.b, ",seq=0x"...)
	p.b = strconv.AppendUint(p.b, t.U32(off+8), 16)
	p.b = append(p.b, ",icv=0x"...)
	for i := 12; i < hl; i++ {
		if off+i >= len(d) {
			p.b = append(p.b, " [|ah]"...)
			return
		}
		p.b = append(p.b, "0123456789abcdef"[d[off+i]>>4], "0123456789abcdef"[d[off+i]&0xf])
	}
	p.b = append(p.b, "): "...)
	if p.Proto(l+1) == protoData || l+1 >= len(t.Layers) {
		end := off + int(t.Nodes[n].Len)
		if dl := p.Node(l + 1); dl >= 0 {
			end = int(t.Nodes[dl].Off) + int(t.Nodes[dl].Len)
		}
		p.b = append(p.b, " ip-proto-"...)
		p.b = strconv.AppendUint(p.b, uint64(d[off]), 10)
		p.b = append(p.b, ' ')
		if end > off+hl {
			p.b = strconv.AppendUint(p.b, uint64(end-off-hl), 10)
		} else {
			p.b = append(p.b, '0')
		}
		return
	}
	p.Layer(l + 1)
}

func dissectIPComp(t *Tree, off, end int) {
	l, _, ok := t.StartLayer(protoIPComp, off, end, 4)
	if !ok {
		return
	}
	t.Add(l, fIPCompNext, off, 1, t.U8(off))
	t.Add(l, fIPCompFlags, off+1, 1, t.U8(off+1))
	t.Add(l, fIPCompCPI, off+2, 2, t.U16(off+2))
}

func textIPComp(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off, _, avail := layerBytes(t, n)
	if avail < 4 {
		p.b = append(p.b, " [|ipcomp]"...)
		return
	}
	p.b = append(p.b, "IPComp(cpi=0x"...)
	p.b = appendHex4(p.b, t.U16(off+2))
	p.b = append(p.b, ')')
}
