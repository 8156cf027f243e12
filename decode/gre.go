package decode

import "strconv"

// GRE, IP protocol 47: version 0 (RFC 1701, RFC 2784, RFC 2890: checksum
// and offset, key, sequence number, source route entries) and version 1,
// the enhanced GRE of PPTP (RFC 2637: payload length and call ID in the key,
// sequence and acknowledgment numbers). The payload is dissected by its
// protocol type: an ethertype, 0x6558 a whole Ethernet frame (transparent
// Ethernet bridging), 0x88be and 0x22eb ERSPAN, 0x2001 NHRP.
//
// tcpdump 4.99.3 decodes a version 0 payload only for the protocol types in
// greDecoded and a version 1 payload only for PPP; for any other it prints
// "gre-proto-0x...", ERSPAN and NHRP included.

var (
	protoGRE             = proto("gre", "Generic Routing Encapsulation")
	fGREFlagsVersion     = register(Field{Name: "gre.flags_and_version", Title: "Flags and Version", Type: TypeUint16, Hex: true})
	fGREFlagChecksum     = flagField("gre.flags.checksum", "Checksum Bit", 0x8000)
	fGREFlagRouting      = flagField("gre.flags.routing", "Routing Bit", 0x4000)
	fGREFlagKey          = flagField("gre.flags.key", "Key Bit", 0x2000)
	fGREFlagSeq          = flagField("gre.flags.sequence_number", "Sequence Number Bit", 0x1000)
	fGREFlagStrict       = flagField("gre.flags.strict_source_route", "Strict Source Route Bit", 0x800)
	fGREFlagRecursion    = register(Field{Name: "gre.flags.recursion_control", Title: "Recursion control", Type: TypeUint16, Mask: 0x700})
	fGREFlagAck          = flagField("gre.flags.ack", "Acknowledgment", 0x80)
	fGREFlagReserved     = register(Field{Name: "gre.flags.reserved", Title: "Flags (Reserved)", Type: TypeUint16, Mask: 0xf8})
	fGREFlagVersion      = register(Field{Name: "gre.flags.version", Title: "Version", Type: TypeUint16, Mask: 0x7})
	fGREProto            = register(Field{Name: "gre.proto", Title: "Protocol Type", Type: TypeUint16, Hex: true})
	fGREChecksum         = register(Field{Name: "gre.checksum", Title: "Checksum", Type: TypeUint16, Hex: true})
	fGREOffset           = field("gre.offset", "Offset", TypeUint16)
	fGREKey              = register(Field{Name: "gre.key", Title: "Key", Type: TypeUint32, Hex: true})
	fGREKeyPayloadLength = field("gre.key.payload_length", "Payload Length", TypeUint16)
	fGREKeyCallID        = field("gre.key.call_id", "Call ID", TypeUint16)
	fGRESeq              = field("gre.sequence_number", "Sequence Number", TypeUint32)
	fGREAck              = field("gre.ack_number", "Acknowledgment Number", TypeUint32)
	fGRERouting          = field("gre.routing", "Routing", TypeNone)
	fGRERoutingAF        = field("gre.routing.address_family", "Address Family", TypeUint16)
	fGRERoutingOffset    = field("gre.routing.sre_offset", "SRE Offset", TypeUint8)
	fGRERoutingLength    = field("gre.routing.src_length", "SRE Length", TypeUint8)
	fGRERoutingInfo      = field("gre.routing.information", "Routing Information", TypeBytes)

	fWCCPRedirect   = field("gre.wccp.redirect_header", "Redirect Header", TypeNone)
	fWCCPDynamic    = flagField("gre.wccp.dynamic_service", "Dynamic Service", 0x01)
	fWCCPAltUsed    = flagField("gre.wccp.alternative_bucket_used", "Alternative bucket used", 0x02)
	fWCCPValid      = flagField("gre.wccp.redirect_header_valid", "WCCP Redirect header is valid", 0x04)
	fWCCPServiceID  = field("gre.wccp.service_id", "Service ID", TypeUint8)
	fWCCPAltBucket  = field("gre.wccp.alternative_bucket", "Alternative Bucket", TypeUint8)
	fWCCPPrimBucket = field("gre.wccp.primary_bucket", "Primary Bucket", TypeUint8)
)

// The version 0 protocol types whose payload tcpdump decodes.
var greDecoded = map[uint64]bool{
	0x00fe: true, // OSI network layer (IS-IS)
	0x0800: true, // IPv4
	0x86dd: true, // IPv6
	0x6558: true, // transparent Ethernet bridging
	0x809b: true, // AppleTalk
	0x8137: true, // IPX
	0x8847: true, // MPLS unicast
}

func init() {
	IPProtocols.Register(47, dissectGRE)
	registerText(protoGRE, textGRE)
}

// GRE flag bits.
const (
	greC = 0x8000
	greR = 0x4000
	greK = 0x2000
	greS = 0x1000
	greA = 0x0080
)

// dissectGRE reads a GRE header and its payload.
func dissectGRE(t *Tree, off, end int) {
	l := t.AddLayer(protoGRE, off, end-off)
	n := t.Avail(off, end)
	if n < 2 {
		t.Mark(l, Truncated)
		return
	}
	fl := t.U16(off)
	f := t.Add(l, fGREFlagsVersion, off, 2, fl)
	ver := fl & 7
	t.Add(f, fGREFlagChecksum, off, 2, fl>>15&1)
	t.Add(f, fGREFlagRouting, off, 2, fl>>14&1)
	t.Add(f, fGREFlagKey, off, 2, fl>>13&1)
	t.Add(f, fGREFlagSeq, off, 2, fl>>12&1)
	t.Add(f, fGREFlagStrict, off, 2, fl>>11&1)
	t.Add(f, fGREFlagRecursion, off, 2, fl>>8&7)
	if ver == 1 {
		t.Add(f, fGREFlagAck, off, 2, fl>>7&1)
	} else {
		t.Add(f, fGREFlagReserved, off, 2, fl>>3&0x1f)
	}
	vn := t.Add(f, fGREFlagVersion, off, 2, ver)
	if ver > 1 {
		t.Mark(vn, Malformed)
		return
	}
	p := off + 2
	trunc := func(need int) bool {
		if p+need > off+n {
			t.Mark(l, Truncated)
			return true
		}
		return false
	}
	if trunc(2) {
		return
	}
	proto := t.U16(p)
	t.Add(l, fGREProto, p, 2, proto)
	p += 2
	if ver == 0 && fl&(greC|greR) != 0 {
		if trunc(4) {
			return
		}
		t.Add(l, fGREChecksum, p, 2, t.U16(p))
		t.Add(l, fGREOffset, p+2, 2, t.U16(p+2))
		p += 4
	}
	if fl&greK != 0 {
		if trunc(4) {
			return
		}
		k := t.Add(l, fGREKey, p, 4, t.U32(p))
		if ver == 1 {
			t.Add(k, fGREKeyPayloadLength, p, 2, t.U16(p))
			t.Add(k, fGREKeyCallID, p+2, 2, t.U16(p+2))
		}
		p += 4
	}
	if fl&greS != 0 {
		if trunc(4) {
			return
		}
		t.Add(l, fGRESeq, p, 4, t.U32(p))
		p += 4
	}
	if ver == 1 && fl&greA != 0 {
		if trunc(4) {
			return
		}
		t.Add(l, fGREAck, p, 4, t.U32(p))
		p += 4
	}
	if ver == 0 && fl&greR != 0 {
		for {
			if trunc(4) {
				return
			}
			af, so, sl := t.U16(p), t.U8(p+2), int(t.U8(p+3))
			r := t.Add(l, fGRERouting, p, 4+sl, 0)
			t.Add(r, fGRERoutingAF, p, 2, af)
			t.Add(r, fGRERoutingOffset, p+2, 1, so)
			t.Add(r, fGRERoutingLength, p+3, 1, uint64(sl))
			p += 4
			if af == 0 && sl == 0 {
				break
			}
			if trunc(sl) {
				return
			}
			t.AddBytes(r, fGRERoutingInfo, p, sl)
			p += sl
		}
	}
	t.SetLen(l, end-off)
	switch {
	case ver == 1 && fl&greS == 0:
		// An acknowledgment alone: no payload.
	case ver == 0 && proto == 0x6558:
		tunnelEthernet(t, p, end)
	case ver == 0 && (proto == 0x88be || proto == 0x22eb):
		t.Call(dissectERSPAN, p, end)
	case ver == 0 && proto == 0x2001:
		t.Call(dissectNHRP, p, end)
	case ver == 0 && proto == 0x883e:
		greWCCP(t, l, p, end)
	default:
		tunnelEthertype(t, uint32(proto), p, end)
	}
}

// greWCCP dissects the payload of protocol type 0x883e, a packet a WCCP
// router redirects (draft-wilson-wrec-wccp-v2): an IPv4 packet, after a
// 4-byte redirect header unless it starts as one (tshark was seen to take
// a first nibble of 4 for the packet's). tcpdump prints the payload as
// "gre-proto-0x883e".
func greWCCP(t *Tree, l, off, end int) {
	if t.Avail(off, end) >= 4 && t.U8(off)>>4 != 4 {
		h := t.Add(l, fWCCPRedirect, off, 4, 0)
		b := t.U8(off)
		t.Add(h, fWCCPDynamic, off, 1, b&1)
		t.Add(h, fWCCPAltUsed, off, 1, b>>1&1)
		t.Add(h, fWCCPValid, off, 1, b>>2&1)
		t.Add(h, fWCCPServiceID, off+1, 1, t.U8(off+1))
		t.Add(h, fWCCPAltBucket, off+2, 1, t.U8(off+2))
		t.Add(h, fWCCPPrimBucket, off+3, 1, t.U8(off+3))
		off += 4
	}
	tunnelEthertype(t, 0x0800, off, end)
}

// textGRE prints the GRE header as tcpdump does ("GREv0, key=0x2, seq 7,
// length 44: ...") and its payload after ": " or, with -v, on the next line
// after a tab.
func textGRE(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	fi := t.Find(n, fGREFlagsVersion)
	if fi < 0 {
		p.b = append(p.b, " [|gre]"...)
		return
	}
	fl := t.Nodes[fi].Val
	ver := fl & 7
	p.b = append(p.b, "GREv"...)
	p.b = strconv.AppendUint(p.b, ver, 10)
	if ver > 1 {
		p.b = append(p.b, " ERROR: unknown-version"...)
		return
	}
	if p.opt.Verbose > 0 {
		p.b = append(p.b, ", Flags ["...)
		first := true
		for _, fn := range greFlagNames {
			if fl&fn.bit != 0 {
				if !first {
					p.b = append(p.b, ", "...)
				}
				first = false
				p.b = append(p.b, fn.name...)
			}
		}
		if first {
			p.b = append(p.b, "none"...)
		}
		p.b = append(p.b, ']')
	}
	proto, ok := t.Value(n, fGREProto)
	if !ok {
		p.b = append(p.b, " [|gre]"...)
		return
	}
	trunc := t.Nodes[n].Flags&Truncated != 0
	if ver == 0 && fl&(greC|greR) != 0 {
		ci := t.Find(n, fGREChecksum)
		if ci < 0 {
			p.b = append(p.b, " [|gre]"...)
			return
		}
		if p.opt.Verbose > 0 {
			p.b = append(p.b, ", sum 0x"...)
			p.b = strconv.AppendUint(p.b, t.Nodes[ci].Val, 16)
		}
		o, _ := t.Value(n, fGREOffset)
		p.b = append(p.b, ", off 0x"...)
		p.b = strconv.AppendUint(p.b, o, 16)
	}
	if fl&greK != 0 {
		ki := t.Find(n, fGREKey)
		if ki < 0 {
			p.b = append(p.b, " [|gre]"...)
			return
		}
		if ver == 1 {
			c, _ := t.Value(ki, fGREKeyCallID)
			p.b = append(p.b, ", call "...)
			p.b = strconv.AppendUint(p.b, c, 10)
		} else {
			p.b = append(p.b, ", key=0x"...)
			p.b = strconv.AppendUint(p.b, t.Nodes[ki].Val, 16)
		}
	}
	if fl&greS != 0 && !p.tunnelUint(n, fGRESeq, ", seq ", " [|gre]") {
		return
	}
	if ver == 1 && fl&greA != 0 && !p.tunnelUint(n, fGREAck, ", ack ", " [|gre]") {
		return
	}
	if ver == 0 && fl&greR != 0 {
		for r := t.Find(n, fGRERouting); r >= 0; r = t.FindNext(n, r, fGRERouting) {
			af, _ := t.Value(r, fGRERoutingAF)
			sl, _ := t.Value(r, fGRERoutingLength)
			if af == 0 && sl == 0 {
				break
			}
			p.b = append(p.b, ", "...)
			p.greSRE(r, af, sl)
			if !t.Has(r, fGRERoutingInfo) && sl > 0 {
				p.b = append(p.b, " [|gre]"...)
				return
			}
		}
	}
	if trunc {
		p.b = append(p.b, " [|gre]"...)
		return
	}
	if ver == 1 && fl&greS == 0 {
		p.b = append(p.b, ", no-payload"...)
	}
	if p.opt.Link {
		p.b = tunnelProto(p.b, proto)
	}
	p.b = append(p.b, ", length "...)
	p.b = strconv.AppendInt(p.b, int64(t.Nodes[n].Len), 10)
	if ver == 1 && fl&greS == 0 {
		return
	}
	p.tunnelBreak("\n\t")
	decoded := greDecoded[proto]
	if ver == 1 {
		decoded = proto == 0x880b
	}
	if decoded && p.tunnelCarries(l) {
		p.Layer(l + 1)
		return
	}
	p.b = append(p.b, "gre-proto-0x"...)
	p.b = strconv.AppendUint(p.b, proto, 16)
}

// greFlagNames are the flags -v names, in tcpdump's order.
var greFlagNames = [...]struct {
	bit  uint64
	name string
}{
	{greC, "checksum present"},
	{greR, "routing present"},
	{greK, "key present"},
	{greS, "sequence# present"},
	{0x0800, "source routing present"},
	{greA, "ack present"},
}

// greSRE prints one source route entry, node r: "(rtaf=ip 1.2.3.4 *5.6.7.8)"
// with '*' before the entry the offset points at, "(rtaf=asn *1 2)" (the
// AS numbers in hexadecimal, as tcpdump prints them), or
// "(rtaf=0x1234)" for another address family.
func (p *Printer) greSRE(r int, af, sl uint64) {
	t := &p.t
	so, _ := t.Value(r, fGRERoutingOffset)
	info := []byte(nil)
	if i := t.Find(r, fGRERoutingInfo); i >= 0 {
		info = t.Bytes(i)
	}
	p.b = append(p.b, "(rtaf="...)
	// The entries are IPv4 addresses or 2-byte AS numbers.
	var w uint64
	switch af {
	case 0x0800:
		p.b = append(p.b, "ip"...)
		w = 4
	case 0xfffe:
		p.b = append(p.b, "asn"...)
		w = 2
	default:
		p.b = append(p.b, "0x"...)
		p.b = strconv.AppendUint(p.b, af, 16)
		p.b = append(p.b, ')')
		return
	}
	switch {
	case so%w != 0:
		p.b = append(p.b, ", badoffset="...)
		p.b = strconv.AppendUint(p.b, so, 10)
	case sl%w != 0:
		p.b = append(p.b, ", badlength="...)
		p.b = strconv.AppendUint(p.b, sl, 10)
	case so >= sl:
		p.b = append(p.b, ", badoff/len="...)
		p.b = strconv.AppendUint(p.b, so, 10)
		p.b = append(p.b, '/')
		p.b = strconv.AppendUint(p.b, sl, 10)
	default:
		for i := 0; i+int(w) <= len(info); i += int(w) {
			p.b = append(p.b, ' ')
			if uint64(i) == so {
				p.b = append(p.b, '*')
			}
			if w == 4 {
				p.b = appendIPv4(p.b, info[i:i+4])
			} else {
				p.b = strconv.AppendUint(p.b, uint64(info[i])<<8|uint64(info[i+1]), 16)
			}
		}
	}
	p.b = append(p.b, ')')
}

// ERSPAN (draft-foschiano-erspan) over GRE: type I (protocol 0x88be without
// a GRE sequence number) is the mirrored frame alone; type II (0x88be with
// one) has an 8-byte header, type III (0x22eb) a 12-byte one and, with its O
// bit, an 8-byte platform subheader. tcpdump prints none of it.
var (
	protoERSPAN       = proto("erspan", "Encapsulated Remote Switch Packet ANalysis")
	fERSPANVersion    = register(Field{Name: "erspan.version", Title: "Version", Type: TypeUint16, Mask: 0xf000})
	fERSPANVLAN       = register(Field{Name: "erspan.vlan", Title: "Vlan", Type: TypeUint16, Mask: 0xfff})
	fERSPANCOS        = register(Field{Name: "erspan.cos", Title: "COS", Type: TypeUint16, Mask: 0xe000})
	fERSPANEncap      = register(Field{Name: "erspan.encap", Title: "Encap", Type: TypeUint16, Mask: 0x1800})
	fERSPANBSO        = register(Field{Name: "erspan.bso", Title: "Bad/Short/Oversized", Type: TypeUint16, Mask: 0x1800})
	fERSPANTruncated  = register(Field{Name: "erspan.truncated", Title: "Truncated", Type: TypeUint16, Mask: 0x400})
	fERSPANSpanID     = register(Field{Name: "erspan.spanid", Title: "SpanID", Type: TypeUint16, Mask: 0x3ff})
	fERSPANReserved   = register(Field{Name: "erspan.reserved", Title: "Reserved", Type: TypeUint32, Mask: 0xfff00000})
	fERSPANIndex      = register(Field{Name: "erspan.index", Title: "Index", Type: TypeUint32, Mask: 0xfffff})
	fERSPANTimestamp  = field("erspan.timestamp", "Timestamp", TypeUint32)
	fERSPANSGT        = field("erspan.sgt", "Security Group Tag", TypeUint16)
	fERSPANP          = register(Field{Name: "erspan.p", Title: "Has Ethernet PDU", Type: TypeUint16, Mask: 0x8000})
	fERSPANFT         = register(Field{Name: "erspan.ft", Title: "Frame Type", Type: TypeUint16, Mask: 0x7c00})
	fERSPANHW         = register(Field{Name: "erspan.hw", Title: "Hardware ID", Type: TypeUint16, Mask: 0x3f0})
	fERSPANDirection  = flagField("erspan.direction", "Direction", 0x8)
	fERSPANGra        = register(Field{Name: "erspan.gra", Title: "Timestamp granularity", Type: TypeUint16, Mask: 0x6})
	fERSPANO          = register(Field{Name: "erspan.o", Title: "Optional Sub headers", Type: TypeUint16, Mask: 0x1})
	fERSPANPlatID     = register(Field{Name: "erspan.platid", Title: "Platform ID", Type: TypeUint32, Mask: 0xfc000000})
	fERSPANPlatReserv = register(Field{Name: "erspan.pid.rsvd", Title: "Reserved", Type: TypeUint64, Mask: 0x3ffffff})
)

// dissectERSPAN reads an ERSPAN header after GRE and the frame it mirrors.
func dissectERSPAN(t *Tree, off, end int) {
	typ := 1
	if g := t.Below(len(t.Nodes), protoGRE); g >= 0 {
		if v, ok := t.Value(g, fGREProto); ok && v == 0x22eb {
			typ = 3
		} else if t.Has(g, fGRESeq) {
			typ = 2
		}
	}
	l := t.AddLayer(protoERSPAN, off, end-off)
	if typ == 1 {
		tunnelEthernet(t, off, end)
		return
	}
	hl := 8
	if typ == 3 {
		hl = 12
	}
	n := t.Avail(off, end)
	if n < hl {
		t.Mark(l, Truncated)
		return
	}
	w0 := t.U16(off)
	t.Add(l, fERSPANVersion, off, 2, w0>>12)
	t.Add(l, fERSPANVLAN, off, 2, w0&0xfff)
	w1 := t.U16(off + 2)
	t.Add(l, fERSPANCOS, off+2, 2, w1>>13)
	if typ == 2 {
		t.Add(l, fERSPANEncap, off+2, 2, w1>>11&3)
	} else {
		t.Add(l, fERSPANBSO, off+2, 2, w1>>11&3)
	}
	t.Add(l, fERSPANTruncated, off+2, 2, w1>>10&1)
	t.Add(l, fERSPANSpanID, off+2, 2, w1&0x3ff)
	ft := uint64(0)
	if typ == 2 {
		w2 := t.U32(off + 4)
		t.Add(l, fERSPANReserved, off+4, 4, w2>>20)
		t.Add(l, fERSPANIndex, off+4, 4, w2&0xfffff)
	} else {
		t.Add(l, fERSPANTimestamp, off+4, 4, t.U32(off+4))
		t.Add(l, fERSPANSGT, off+8, 2, t.U16(off+8))
		w5 := t.U16(off + 10)
		ft = w5 >> 10 & 0x1f
		t.Add(l, fERSPANP, off+10, 2, w5>>15)
		t.Add(l, fERSPANFT, off+10, 2, ft)
		t.Add(l, fERSPANHW, off+10, 2, w5>>4&0x3f)
		t.Add(l, fERSPANDirection, off+10, 2, w5>>3&1)
		t.Add(l, fERSPANGra, off+10, 2, w5>>1&3)
		t.Add(l, fERSPANO, off+10, 2, w5&1)
		if w5&1 != 0 {
			if n < hl+8 {
				t.Mark(l, Truncated)
				return
			}
			t.Add(l, fERSPANPlatID, off+12, 4, t.U32(off+12)>>26)
			t.Add(l, fERSPANPlatReserv, off+12, 8, t.U64(off+12)&0x3ffffff)
			hl += 8
		}
	}
	t.SetLen(l, hl)
	if ft == 0 {
		tunnelEthernet(t, off+hl, end)
		return
	}
	DissectData(t, off+hl, end)
}

// NHRP (RFC 2332) over GRE protocol 0x2001: a fixed header, the mandatory
// part (addresses and request ID, or an error's code and offset), client
// information entries and extensions. tcpdump 4.99.3 prints none of it.
var (
	protoNHRP          = proto("nhrp", "NBMA Next Hop Resolution Protocol")
	fNHRPAFN           = register(Field{Name: "nhrp.hdr.afn", Title: "Address Family Number", Type: TypeUint16, Hex: true})
	fNHRPProType       = register(Field{Name: "nhrp.hdr.pro.type", Title: "Protocol Type (short form)", Type: TypeUint16, Hex: true})
	fNHRPSnapOUI       = field("nhrp.hdr.pro.snap.oui", "Protocol Type (long form) - OUI", TypeUint24)
	fNHRPSnapPID       = register(Field{Name: "nhrp.hdr.pro.snap.pid", Title: "Protocol Type (long form) - PID", Type: TypeUint16, Hex: true})
	fNHRPHopCnt        = field("nhrp.hdr.hopcnt", "Hop Count", TypeUint8)
	fNHRPPktSz         = field("nhrp.hdr.pktsz", "Packet Length", TypeUint16)
	fNHRPChecksum      = register(Field{Name: "nhrp.hdr.chksum", Title: "NHRP Packet Checksum", Type: TypeUint16, Hex: true})
	fNHRPExtOff        = field("nhrp.hdr.extoff", "Extension Offset", TypeUint16)
	fNHRPVersion       = field("nhrp.hdr.version", "Version", TypeUint8)
	fNHRPOpType        = enumField("nhrp.hdr.op.type", "NHRP Packet Type", TypeUint8, nhrpTypeNames)
	fNHRPShtl          = field("nhrp.hdr.shtl", "Source Address Type/Len", TypeUint8)
	fNHRPShtlType      = register(Field{Name: "nhrp.hdr.shtl.type", Title: "Type", Type: TypeUint8, Mask: 0x40})
	fNHRPShtlLen       = register(Field{Name: "nhrp.hdr.shtl.len", Title: "Length", Type: TypeUint8, Mask: 0x3f})
	fNHRPSstl          = field("nhrp.hdr.sstl", "Source SubAddress Type/Len", TypeUint8)
	fNHRPSstlType      = register(Field{Name: "nhrp.hdr.sstl.type", Title: "Type", Type: TypeUint8, Mask: 0x40})
	fNHRPSstlLen       = register(Field{Name: "nhrp.hdr.sstl.len", Title: "Length", Type: TypeUint8, Mask: 0x3f})
	fNHRPSrcProtLen    = field("nhrp.src.prot.len", "Source Protocol Len", TypeUint16)
	fNHRPDstProtLen    = field("nhrp.dst.prot.len", "Destination Protocol Len", TypeUint16)
	fNHRPFlags         = register(Field{Name: "nhrp.flags", Title: "Flags", Type: TypeUint16, Hex: true})
	fNHRPReqID         = register(Field{Name: "nhrp.reqid", Title: "Request ID", Type: TypeUint32, Hex: true})
	fNHRPSrcNBMA       = field("nhrp.src.nbma.addr", "Source NBMA Address", TypeIPv4)
	fNHRPSrcNBMABytes  = field("nhrp.src.nbma.addr_bytes", "Source NBMA Address", TypeBytes)
	fNHRPSrcNBMASub    = field("nhrp.src.nbma.saddr", "Source NBMA Sub Address", TypeBytes)
	fNHRPSrcProt       = field("nhrp.src.prot.addr", "Source Protocol Address", TypeIPv4)
	fNHRPSrcProtBytes  = field("nhrp.src.prot.addr_bytes", "Source Protocol Address", TypeBytes)
	fNHRPDstProt       = field("nhrp.dst.prot.addr", "Destination Protocol Address", TypeIPv4)
	fNHRPDstProtBytes  = field("nhrp.dst.prot.addr_byets", "Destination Protocol Address", TypeBytes)
	fNHRPErrCode       = field("nhrp.err.code", "Error Code", TypeUint16)
	fNHRPErrOffset     = field("nhrp.err.offset", "Error Offset", TypeUint16)
	fNHRPCode          = field("nhrp.code", "Code", TypeUint8)
	fNHRPPrefix        = field("nhrp.prefix", "Prefix Length", TypeUint8)
	fNHRPUnused        = field("nhrp.unused", "Unused", TypeUint16)
	fNHRPMTU           = field("nhrp.mtu", "Max Transmission Unit", TypeUint16)
	fNHRPHoldTime      = field("nhrp.htime", "Holding Time (s)", TypeUint16)
	fNHRPCliAddrTL     = field("nhrp.cli.addr_tl", "Client Address Type/Len", TypeUint8)
	fNHRPCliSaddrTL    = field("nhrp.cli.saddr_tl", "Client Sub Address Type/Len", TypeUint8)
	fNHRPCliProtLen    = field("nhrp.prot.len", "Client Protocol Length", TypeUint8)
	fNHRPPref          = field("nhrp.pref", "CIE Preference Value", TypeUint8)
	fNHRPCliNBMA       = field("nhrp.client.nbma.addr", "Client NBMA Address", TypeIPv4)
	fNHRPCliNBMABytes  = field("nhrp.client.nbma.addr_bytes", "Client NBMA Address", TypeBytes)
	fNHRPCliNBMASub    = field("nhrp.client.nbma.saddr", "Client NBMA Sub Address", TypeBytes)
	fNHRPCliProt       = field("nhrp.client.prot.addr", "Client Protocol Address", TypeIPv4)
	fNHRPCliProtBytes  = field("nhrp.client.prot.addr_bytes", "Client Protocol Address", TypeBytes)
	fNHRPExtC          = flagField("nhrp.ext.c", "Compulsory Flag", 0x8000)
	fNHRPExtType       = register(Field{Name: "nhrp.ext.type", Title: "Extension Type", Type: TypeUint16, Mask: 0x3fff, Hex: true})
	fNHRPExtLen        = field("nhrp.ext.len", "Extension length", TypeUint16)
	fNHRPExtValue      = field("nhrp.unknown_ext.value", "Extension Value", TypeBytes)
	fNHRPPktSzInvalid  = field("nhrp.hdr.pktsz.invalid", "Packet length is less than the fixed header length", TypeNone)
	fNHRPExtOffInvalid = field("nhrp.hdr.extoff.invalid", "Extension offset is less than the fixed header length or larger than the packet size", TypeNone)
)

// nhrpTypeNames are RFC 2332's packet types (and RFC 2332 section 5.2.7's
// error indication).
var nhrpTypeNames = map[uint64]string{
	1: "NHRP Resolution Request", 2: "NHRP Resolution Reply",
	3: "NHRP Registration Request", 4: "NHRP Registration Reply",
	5: "NHRP Purge Request", 6: "NHRP Purge Reply",
	7: "NHRP Error Indication", 8: "NHRP Traffic Indication",
}

// nhrpAddr adds an address of n bytes at off: as an IPv4 address when it
// has 4 bytes, else as bytes.
func nhrpAddr(t *Tree, l int, v4, raw FieldID, off, n int) {
	if n == 0 {
		return
	}
	if n == 4 {
		t.AddBytes(l, v4, off, 4)
		return
	}
	t.AddBytes(l, raw, off, n)
}

// nhrpAddrFields are the fields of the addresses of a source or a client
// information entry: an NBMA address, its subaddress and a protocol address.
type nhrpAddrFields struct {
	nbma, nbmaBytes, sub, prot, protBytes FieldID
}

var (
	nhrpSrcFields = nhrpAddrFields{fNHRPSrcNBMA, fNHRPSrcNBMABytes, fNHRPSrcNBMASub, fNHRPSrcProt, fNHRPSrcProtBytes}
	nhrpCliFields = nhrpAddrFields{fNHRPCliNBMA, fNHRPCliNBMABytes, fNHRPCliNBMASub, fNHRPCliProt, fNHRPCliProtBytes}
)

// nhrpAddrs adds, at p, an NBMA address of na bytes, a subaddress of ns
// bytes and a protocol address of np bytes, and returns the offset after
// them.
func nhrpAddrs(t *Tree, l int, f *nhrpAddrFields, p, na, ns, np int) int {
	nhrpAddr(t, l, f.nbma, f.nbmaBytes, p, na)
	p += na
	if ns > 0 {
		t.AddBytes(l, f.sub, p, ns)
		p += ns
	}
	nhrpAddr(t, l, f.prot, f.protBytes, p, np)
	return p + np
}

// dissectNHRP reads an NHRP packet.
func dissectNHRP(t *Tree, off, end int) {
	l := t.AddLayer(protoNHRP, off, end-off)
	n := t.Avail(off, end)
	if n < 20 {
		t.Mark(l, Truncated)
		return
	}
	t.Add(l, fNHRPAFN, off, 2, t.U16(off))
	t.Add(l, fNHRPProType, off+2, 2, t.U16(off+2))
	t.Add(l, fNHRPSnapOUI, off+4, 3, t.U24(off+4))
	t.Add(l, fNHRPSnapPID, off+7, 2, t.U16(off+7))
	t.Add(l, fNHRPHopCnt, off+9, 1, t.U8(off+9))
	pktsz := int(t.U16(off + 10))
	ps := t.Add(l, fNHRPPktSz, off+10, 2, uint64(pktsz))
	t.Add(l, fNHRPChecksum, off+12, 2, t.U16(off+12))
	extoff := int(t.U16(off + 14))
	eo := t.Add(l, fNHRPExtOff, off+14, 2, uint64(extoff))
	t.Add(l, fNHRPVersion, off+16, 1, t.U8(off+16))
	op := t.U8(off + 17)
	t.Add(l, fNHRPOpType, off+17, 1, op)
	shtl, sstl := t.U8(off+18), t.U8(off+19)
	s := t.Add(l, fNHRPShtl, off+18, 1, shtl)
	t.Add(s, fNHRPShtlType, off+18, 1, shtl>>6&1)
	t.Add(s, fNHRPShtlLen, off+18, 1, shtl&0x3f)
	s = t.Add(l, fNHRPSstl, off+19, 1, sstl)
	t.Add(s, fNHRPSstlType, off+19, 1, sstl>>6&1)
	t.Add(s, fNHRPSstlLen, off+19, 1, sstl&0x3f)
	pend := off + pktsz
	if pktsz < 20 {
		t.Add(ps, fNHRPPktSzInvalid, off+10, 2, 0)
		t.Mark(ps, Malformed)
		pend = end
	}
	if pend > end {
		pend = end
	}
	t.SetLen(l, pend-off)
	mend := pend
	if extoff != 0 {
		if extoff < 20 || off+extoff > pend {
			t.Add(eo, fNHRPExtOffInvalid, off+14, 2, 0)
			t.Mark(eo, Malformed)
			extoff = 0
		} else {
			mend = off + extoff
		}
	}
	p := off + 20
	avail := off + n
	if mend < avail {
		avail = mend
	}
	need := func(k int) bool {
		if p+k > avail {
			if p+k > mend {
				t.Mark(l, Malformed)
			} else {
				t.Mark(l, Truncated)
			}
			return false
		}
		return true
	}
	if !need(4) {
		return
	}
	spl, dpl := int(t.U8(p)), int(t.U8(p+1))
	t.Add(l, fNHRPSrcProtLen, p, 1, uint64(spl))
	t.Add(l, fNHRPDstProtLen, p+1, 1, uint64(dpl))
	if !need(8) {
		return
	}
	if op == 7 {
		t.Add(l, fNHRPUnused, p+2, 2, t.U16(p+2))
		t.Add(l, fNHRPErrCode, p+4, 2, t.U16(p+4))
		t.Add(l, fNHRPErrOffset, p+6, 2, t.U16(p+6))
	} else {
		t.Add(l, fNHRPFlags, p+2, 2, t.U16(p+2))
		t.Add(l, fNHRPReqID, p+4, 4, t.U32(p+4))
	}
	p += 8
	sa, ss := int(shtl&0x3f), int(sstl&0x3f)
	if !need(sa + ss + spl + dpl) {
		return
	}
	p = nhrpAddrs(t, l, &nhrpSrcFields, p, sa, ss, spl)
	nhrpAddr(t, l, fNHRPDstProt, fNHRPDstProtBytes, p, dpl)
	p += dpl
	if op == 7 {
		p = mend // the packet in error follows
	}
	// Client information entries, up to the extensions.
	for p+12 <= avail {
		t.Add(l, fNHRPCode, p, 1, t.U8(p))
		t.Add(l, fNHRPPrefix, p+1, 1, t.U8(p+1))
		t.Add(l, fNHRPUnused, p+2, 2, t.U16(p+2))
		t.Add(l, fNHRPMTU, p+4, 2, t.U16(p+4))
		t.Add(l, fNHRPHoldTime, p+6, 2, t.U16(p+6))
		ca, cs, cp := int(t.U8(p+8)&0x3f), int(t.U8(p+9)&0x3f), int(t.U8(p+10))
		t.Add(l, fNHRPCliAddrTL, p+8, 1, t.U8(p+8))
		t.Add(l, fNHRPCliSaddrTL, p+9, 1, t.U8(p+9))
		t.Add(l, fNHRPCliProtLen, p+10, 1, uint64(cp))
		t.Add(l, fNHRPPref, p+11, 1, t.U8(p+11))
		p += 12
		if !need(ca + cs + cp) {
			return
		}
		p = nhrpAddrs(t, l, &nhrpCliFields, p, ca, cs, cp)
	}
	if extoff == 0 {
		return
	}
	// Extensions: a compulsory bit and a type, a length, a value; type 0
	// ends them.
	p = off + extoff
	eend := pend
	if off+n < eend {
		eend = off + n
	}
	for p+4 <= eend {
		ty := t.U16(p)
		e := t.Add(l, fNHRPExtType, p, 2, ty&0x3fff)
		t.Add(e, fNHRPExtC, p, 2, ty>>15)
		el := int(t.U16(p + 2))
		t.Add(l, fNHRPExtLen, p+2, 2, uint64(el))
		p += 4
		if ty&0x3fff == 0 {
			break
		}
		if p+el > eend {
			t.Mark(l, Truncated)
			return
		}
		if el > 0 {
			t.AddBytes(l, fNHRPExtValue, p, el)
		}
		p += el
	}
}
