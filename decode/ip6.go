package decode

import (
	"strconv"

	"github.com/sockscope/sockscope/decode/wire"
)

// IPv6 (RFC 8200): the fixed header, the extension headers (hop-by-hop and
// destination options with Pad1, PadN, router alert, jumbo payload (RFC 2675)
// and home address; routing types 0, 2 and 4 (segment routing, RFC 8754);
// fragment; no next header) and the dispatch of the upper layer by
// next-header number through IPProtocols.
//
// Layers: the "ipv6" layer covers the fixed header and its payload; each
// extension header is a layer of its own (ipv6.hopopts, ipv6.routing,
// ipv6.fraghdr, ipv6.dstopts, as Wireshark names them), followed by the
// upper layer. The upper layer's end is the one the payload length (or the
// jumbo payload option) gives, even past the captured or the framed bytes,
// as tcpdump counts it.
//
// For transports: the IPv6 header of a layer n is t.Below(n, protoIPv6), its
// addresses fIPv6Src and fIPv6Dst. The destination of the pseudo-header of a
// checksum (RFC 8200 8.1) is the final one when a routing header precedes
// the upper layer (tcpdump takes it even with no segments left):
// ipv6FinalDst(t, ip, n) returns it
// (the last address of a type 0 or 2 header, segment 0 of a segment routing
// header), else the header's destination. An upper layer directly above the
// "ipv6" layer prints the addresses itself (printsAddresses); after extension
// headers the IPv6 text has printed them already, and tcpdump prints only the
// ports then (p.Node(l-1) is not the IPv6 layer).

var (
	protoIPv6        = proto("ipv6", "Internet Protocol Version 6")
	fIPv6Version     = field("ipv6.version", "Version", TypeUint8)
	fIPv6TClass      = register(Field{Name: "ipv6.tclass", Title: "Traffic Class", Type: TypeUint32, Mask: 0x0ff00000, Hex: true})
	fIPv6DSCP        = register(Field{Name: "ipv6.tclass.dscp", Title: "Differentiated Services Codepoint", Type: TypeUint32, Mask: 0x0fc00000})
	fIPv6ECN         = register(Field{Name: "ipv6.tclass.ecn", Title: "Explicit Congestion Notification", Type: TypeUint32, Mask: 0x00300000})
	fIPv6Flow        = register(Field{Name: "ipv6.flow", Title: "Flow Label", Type: TypeUint24, Mask: 0xfffff, Hex: true})
	fIPv6PLen        = field("ipv6.plen", "Payload Length", TypeUint16)
	fIPv6Nxt         = enumField("ipv6.nxt", "Next Header", TypeUint8, ip6NextNames)
	fIPv6HLim        = field("ipv6.hlim", "Hop Limit", TypeUint8)
	fIPv6Src         = field("ipv6.src", "Source Address", TypeIPv6)
	fIPv6Dst         = field("ipv6.dst", "Destination Address", TypeIPv6)
	fIPv6BadVer      = field("ipv6.bogus_ipv6_version", "Bogus IP version", TypeNone)
	fIPv6PastPLen    = field("ipv6.ext_past_plen", "Extension headers longer than the payload length", TypeNone)
	fIPv6PLenFraming = field("ipv6.plen_exceeds_framing", "IPv6 payload length does not match expected framing length", TypeNone)
	fIPv6PLenZero    = field("ipv6.plen_zero", "IPv6 payload length equals 0", TypeNone)
	// fIPv6RtDeprecated is the expert item of a type 0 routing header.
	fIPv6RtDeprecated = field("ipv6.routing.deprecated", "Routing header type is deprecated", TypeNone)

	protoIPv6HopOpts  = proto("ipv6.hopopts", "IPv6 Hop-by-Hop Option")
	fIPv6HopNxt       = enumField("ipv6.hopopts.nxt", "Next Header", TypeUint8, ip6NextNames)
	fIPv6HopLen       = field("ipv6.hopopts.len", "Length", TypeUint8)
	fIPv6HopLenOct    = field("ipv6.hopopts.len_oct", "Length", TypeUint16)
	fIPv6HopAgain     = field("ipv6.hopopts.repeated", "IPv6 Hop-by-Hop extension header already found", TypeNone)
	fIPv6HopNotFirst  = field("ipv6.hopopts.not_first", "IPv6 Hop-by-Hop extension header must appear immediately after IPv6 header", TypeNone)
	protoIPv6DstOpts  = proto("ipv6.dstopts", "Destination Options for IPv6")
	fIPv6DstNxt       = enumField("ipv6.dstopts.nxt", "Next Header", TypeUint8, ip6NextNames)
	fIPv6DstLen       = field("ipv6.dstopts.len", "Length", TypeUint8)
	fIPv6DstLenOct    = field("ipv6.dstopts.len_oct", "Length", TypeUint16)
	fIPv6Opt          = field("ipv6.opt", "IPv6 Option", TypeNone)
	fIPv6OptType      = register(Field{Name: "ipv6.opt.type", Title: "Type", Type: TypeUint8, Hex: true})
	fIPv6OptLen       = field("ipv6.opt.length", "Length", TypeUint8)
	fIPv6OptPad1      = field("ipv6.opt.pad1", "Pad1", TypeNone)
	fIPv6OptPadN      = field("ipv6.opt.padn", "PadN", TypeBytes)
	fIPv6OptRtAlert   = field("ipv6.opt.router_alert", "Router Alert", TypeUint16)
	fIPv6OptJumbo     = field("ipv6.opt.jumbo", "Payload Length", TypeUint32)
	fIPv6OptHomeAddr  = field("ipv6.opt.mipv6.home_address", "MIPv6 Home Address", TypeIPv6)
	fIPv6OptUnknown   = field("ipv6.opt.unknown", "Unknown Option Payload", TypeBytes)
	fIPv6OptBadLen    = field("ipv6.opt.invalid_len", "Invalid IPv6 option length", TypeNone)
	fIPv6OptMismatch  = field("ipv6.opt.header_mismatch", "Wrong options extension header for type", TypeNone)
	fIPv6JumboMissing = field("ipv6.opt.jumbo.missing", "IPv6 payload length equals 0 and Hop-By-Hop present and Jumbo Payload option missing", TypeNone)
	fIPv6JumboProhib  = field("ipv6.opt.jumbo.prohibited", "When IPv6 payload length does not equal 0 a Jumbo Payload option must not be present", TypeNone)
	fIPv6JumboShort   = field("ipv6.opt.jumbo.truncated", "Jumbo Payload option present and jumbo length < 65536", TypeNone)
	fIPv6JumboAgain   = field("ipv6.opt.jumbo.repeated", "Jumbo Payload option already seen", TypeNone)

	protoIPv6Routing = proto("ipv6.routing", "Routing Header for IPv6")
	fIPv6RtNxt       = enumField("ipv6.routing.nxt", "Next Header", TypeUint8, ip6NextNames)
	fIPv6RtLen       = field("ipv6.routing.len", "Length", TypeUint8)
	fIPv6RtLenOct    = field("ipv6.routing.len_oct", "Length", TypeUint16)
	fIPv6RtType      = field("ipv6.routing.type", "Type", TypeUint8)
	fIPv6RtSegLeft   = field("ipv6.routing.segleft", "Segments Left", TypeUint8)
	fIPv6RtData      = field("ipv6.routing.unknown_data", "Type-Specific Data", TypeBytes)
	fIPv6RtSrcRes    = field("ipv6.routing.src.reserved", "Reserved", TypeBytes)
	fIPv6RtSrcAddr   = field("ipv6.routing.src.addr", "Address", TypeIPv6)
	fIPv6RtMipRes    = field("ipv6.routing.mipv6.reserved", "Reserved", TypeBytes)
	fIPv6RtMipAddr   = field("ipv6.routing.mipv6.home_address", "Home Address", TypeIPv6)
	fIPv6RtSRHLast   = field("ipv6.routing.srh.last_entry", "Last Entry", TypeUint8)
	fIPv6RtSRHFlags  = register(Field{Name: "ipv6.routing.srh.flags", Title: "Flags", Type: TypeUint8, Hex: true})
	fIPv6RtSRHTag    = field("ipv6.routing.srh.tag", "Tag", TypeBytes)
	fIPv6RtSRHAddr   = field("ipv6.routing.srh.addr", "Address", TypeIPv6)
	fIPv6RtBadLen    = field("ipv6.routing.invalid_length", "Invalid IPv6 Routing header length", TypeNone)
	fIPv6RtUndecoded = field("ipv6.routing.undecoded", "Undecoded IPv6 routing header field", TypeNone)

	fIPv6FragHdr  = proto("ipv6.fraghdr", "Fragment Header for IPv6")
	fIPv6FragNxt  = enumField("ipv6.fraghdr.nxt", "Next header", TypeUint8, ip6NextNames)
	fIPv6FragRes  = register(Field{Name: "ipv6.fraghdr.reserved_octet", Title: "Reserved octet", Type: TypeUint8, Hex: true})
	fIPv6FragOff  = register(Field{Name: "ipv6.fraghdr.offset", Title: "Offset", Type: TypeUint16, Mask: 0xfff8})
	fIPv6FragRsvB = register(Field{Name: "ipv6.fraghdr.reserved_bits", Title: "Reserved bits", Type: TypeUint16, Mask: 0x6})
	fIPv6FragMore = flagField("ipv6.fraghdr.more", "More Fragments", 0x1)
	fIPv6FragID   = register(Field{Name: "ipv6.fraghdr.ident", Title: "Identification", Type: TypeUint32, Hex: true})
)

// ip6NextNames are the names tcpdump's -v prints for next-header values;
// the others are "unknown".
var ip6NextNames = map[uint64]string{
	0: "Options", 1: "ICMP", 2: "IGMP", 4: "IPIP", 6: "TCP", 8: "EGP", 9: "IGRP",
	17: "UDP", 33: "DCCP", 41: "IPv6", 43: "Routing", 44: "Fragment", 46: "RSVP",
	47: "GRE", 50: "ESP", 51: "AH", 55: "Mobile IP", 58: "ICMPv6",
	62: "Mobile IP (old)", 88: "EIGRP", 89: "OSPF", 103: "PIM", 108: "Compressed IP",
	112: "VRRP", 113: "PGM", 132: "SCTP", 135: "Mobility", 143: "Ethernet",
}

func init() {
	deriveBits(fIPv6TClass, fIPv6DSCP, fIPv6ECN)
	Ethertypes.Register(0x86dd, dissectIPv6)
	IPProtocols.Register(41, dissectIPv6)
	IPProtocols.Register(143, dissectIPv6Ether)
	registerText(protoIPv6, textIPv6)
	registerText(fIPv6FragHdr, textIPv6Frag)
	registerText(protoIPv6HopOpts, textIPv6Opts)
	registerText(protoIPv6DstOpts, textIPv6Opts)
	registerText(protoIPv6Routing, textIPv6Routing)
	// tcpdump gives up on a packet whose IPv6 or extension header was cut
	// short, and a single -x, -X or -A dumps it from its first byte.
	for _, p := range []FieldID{protoIPv6HopOpts, protoIPv6DstOpts, protoIPv6Routing, fIPv6FragHdr} {
		dumpFromStart[p] = true
	}
}

// dissectIPv6Ether reads an Ethernet frame carried as next header 143
// (RFC 8986), through the Ethernet link dissector.
func dissectIPv6Ether(t *Tree, off, end int) {
	if d := LinkTypes.Lookup(uint32(wire.LinkEthernet)); d != nil {
		d(t, off, end)
		return
	}
	DissectData(t, off, end)
}

// dissectIPv6 reads an IPv6 header at off and the headers and payload after it.
func dissectIPv6(t *Tree, off, end int) {
	l, _, ok := t.StartLayer(protoIPv6, off, end, 40)
	if !ok {
		return
	}
	v := t.U8(off) >> 4
	t.Add(l, fIPv6Version, off, 1, v)
	// Wireshark adds ip.version too, hidden, so that it reads either header.
	t.Add(l, fIPVersion, off, 1, v)
	if v != 6 {
		// tshark says so and gives up on the header, without an
		// exception: what follows is data, but for the IPv6 link
		// type's packet, which is nothing more.
		t.Add(l, fIPv6BadVer, off, 1, v)
		if len(t.Layers) < 2 || t.Nodes[t.Layers[len(t.Layers)-2]].Field != protoRaw {
			DissectData(t, off, end)
		}
		return
	}
	w := t.U32(off)
	t.Add(l, fIPv6TClass, off, 2, w>>20&0xff)
	t.Add(l, fIPv6Flow, off+1, 3, w&0xfffff)
	plen := int(t.U16(off + 4))
	pn := t.Add(l, fIPv6PLen, off+4, 2, uint64(plen))
	nh := t.U8(off + 6)
	if plen == 0 && nh != 0 {
		t.Nodes[t.Add(pn, fIPv6PLenZero, off+4, 2, 0)].Flags |= Generated
	}
	t.Add(l, fIPv6Nxt, off+6, 1, nh)
	t.Add(l, fIPv6HLim, off+7, 1, t.U8(off+7))
	t.noteAddresses(l, t.AddBytes(l, fIPv6Src, off+8, 16))
	t.AddBytes(l, fIPv6Dst, off+24, 16)
	if plen != 0 || nh != 0 {
		// The payload length rules, even past what the layer below framed
		// (tcpdump reads on and says how many bytes are missing).
		if off+40+plen > end {
			// tshark raises no such item for the packet an ICMPv6 error
			// quotes: the text printer then counts what is missing itself.
			if t.Below(l, protoICMPv6) < 0 {
				t.Add(l, fIPv6PLenFraming, off+4, 2, uint64(off+40+plen-end))
			}
			t.Mark(l, Malformed)
		}
		end = off + 40 + plen
	}
	t.SetLen(l, end-off)
	ipv6Next(t, l, byte(nh), off+40, end)
}

// ipv6Next dissects the headers after the fixed header of layer ip, from the
// header nh at off: extension headers, then the upper layer through
// IPProtocols. end is where the payload length ends it, or, with payload
// length 0 and a hop-by-hop header, where the layer below does until the
// jumbo payload option says.
func ipv6Next(t *Tree, ip int, nh byte, off, end int) {
	first := true
	plen, _ := t.Value(ip, fIPv6PLen)
	jumboCand := plen == 0 && nh == 0
	for {
		switch nh {
		case 0, 60:
			var ok bool
			nh, ok = ipv6Options(t, ip, nh, off, end, first)
			if !ok {
				return
			}
			hop := int(t.Layers[len(t.Layers)-1])
			hl := int(t.Nodes[hop].Len)
			if jumboCand && first {
				// Payload length 0 and a hop-by-hop header: a jumbogram,
				// whose length is the first jumbo payload option's.
				o := t.Find(hop, fIPv6OptJumbo)
				if o >= 0 && !ipv6JumboFlagged(t, hop, o) {
					end = int(t.Nodes[ip].Off) + 40 + int(t.Nodes[o].Val)
					t.SetLen(ip, end-int(t.Nodes[ip].Off))
				} else {
					t.Add(hop, fIPv6JumboMissing, off, hl, 0)
					t.Mark(hop, Malformed)
					return
				}
			}
			off += hl
		case 43:
			var ok bool
			nh, ok = ipv6Routing(t, off, ipv6HeaderLimit(t, ip, off, end))
			if !ok {
				return
			}
			off += int(t.Nodes[t.Layers[len(t.Layers)-1]].Len)
		case 44:
			// tcpdump reads extension headers as far as they were captured,
			// even past the payload length.
			n := t.Avail(off, ipv6HeaderLimit(t, ip, off, end))
			l := t.AddLayer(fIPv6FragHdr, off, 8)
			t.Nodes[l].Flags |= Nested // an item of the IPv6 header's
			if ipv6Short(t, l, n, 2) {
				return
			}
			nh = byte(t.U8(off))
			t.Add(l, fIPv6FragNxt, off, 1, uint64(nh))
			t.Add(l, fIPv6FragRes, off+1, 1, t.U8(off+1))
			if ipv6Short(t, l, n, 4) {
				return
			}
			fo := t.U16(off + 2)
			t.Add(l, fIPv6FragOff, off+2, 2, fo>>3)
			t.Add(l, fIPv6FragRsvB, off+2, 2, fo>>1&3)
			t.Add(l, fIPv6FragMore, off+2, 2, fo&1)
			if n < 8 {
				// Without -v tcpdump prints the offset and stops.
				t.Mark(l, Malformed)
				return
			}
			t.Add(l, fIPv6FragID, off+4, 4, t.U32(off+4))
			off += 8
			// A fragment goes to the table when the tree reassembles
			// (ipfrag.go), but for atomic fragments (offset 0, no
			// more), read as they are; one whose payload was not
			// captured whole is data, the first one too.
			if fo&0xfff9 != 0 && t.reassembling() && off-8 < t.Captured() && off <= end {
				if t.Avail(off, end) < end-off {
					DissectData(t, off, end)
					return
				}
				start, stop, ok := defragment(t, l, ipv6FragFields, ipv6FragKey(t, ip, off-4), int(fo&0xfff8), fo&1 != 0, off, end)
				if !ok {
					DissectData(t, off, end)
					return
				}
				off, end = start, stop
				break
			}
			if fo>>3 != 0 || t.Avail(off, end) == 0 {
				// A later fragment, or nothing of the first one captured.
				DissectData(t, off, end)
				return
			}
		default:
			if off > end {
				// The extension headers passed the payload length.
				last := int(t.Layers[len(t.Layers)-1])
				t.Add(last, fIPv6PastPLen, off, 0, 0)
				return
			}
			if nh == 59 {
				// No next header: what follows, if anything, is data.
				if off < end {
					DissectData(t, off, end)
				}
				return
			}
			d := IPProtocols.Lookup(uint32(nh))
			if nh == 1 || nh == 2 {
				// ICMP and IGMP (for IPv4) over IPv6: tcpdump calls them
				// invalid.
				d = nil
			}
			if d == nil || !t.Call(d, off, end) {
				DissectData(t, off, end)
			}
			return
		}
		first = false
	}
}

// ipv6Short reports whether a header of layer l with have bytes captured is
// cut before the need bytes it reads next, and marks the layer Truncated
// when it is.
func ipv6Short(t *Tree, l, have, need int) bool {
	if have >= need {
		return false
	}
	t.Mark(l, Truncated)
	return true
}

// ipv6ExtLimit is where tcpdump stops reading the extension headers of IPv6
// layer ip: the end of the payload length, or with payload length 0 the
// end of the capture.
func ipv6ExtLimit(t *Tree, ip int) int {
	lim := len(t.Data)
	if ip < 0 {
		return lim
	}
	if pl, _ := t.Value(ip, fIPv6PLen); pl != 0 {
		if e := int(t.Nodes[ip].Off) + 40 + int(pl); e < lim {
			lim = e
		}
	}
	return lim
}

// ipv6HeaderLimit is where the extension header at off of IPv6 layer ip
// may be read to: ipv6ExtLimit, or, for a header in a payload reassembled
// from fragments (after the packet's own bytes), the payload's end.
func ipv6HeaderLimit(t *Tree, ip, off, end int) int {
	if t.appended && off >= t.Captured() {
		return end
	}
	return ipv6ExtLimit(t, ip)
}

// ipv6JumboFlagged reports whether the jumbo payload value node o is
// qualified as not usable (too short, repeated, misplaced, with a payload
// length).
func ipv6JumboFlagged(t *Tree, hop, o int) bool {
	for i := o + 1; i < len(t.Nodes) && t.Nodes[i].Depth == t.Nodes[o].Depth; i++ {
		switch t.Nodes[i].Field {
		case fIPv6JumboShort, fIPv6JumboAgain, fIPv6OptMismatch, fIPv6JumboProhib:
			return true
		}
	}
	return false
}

// ipv6Options reads a hop-by-hop (nh 0) or destination options (nh 60)
// header at off and returns its next header, and false when what follows
// cannot be read.
func ipv6Options(t *Tree, ip int, nh byte, off, end int, first bool) (byte, bool) {
	p, fNxt, fLen, fOct := protoIPv6DstOpts, fIPv6DstNxt, fIPv6DstLen, fIPv6DstLenOct
	hop := nh == 0
	if hop {
		p, fNxt, fLen, fOct = protoIPv6HopOpts, fIPv6HopNxt, fIPv6HopLen, fIPv6HopLenOct
	}
	lim := ipv6HeaderLimit(t, ip, off, end)
	n := t.Avail(off, lim)
	l := t.AddLayer(p, off, 8)
	t.Nodes[l].Flags |= Nested // an item of the IPv6 header's
	if hop && !first {
		if t.Below(l, protoIPv6HopOpts) > ip {
			// A second hop-by-hop header.
			t.Add(l, fIPv6HopAgain, off, 0, 0)
		} else {
			t.Add(l, fIPv6HopNotFirst, off, 0, 0)
		}
		t.Mark(l, Malformed)
		return 0, false
	}
	if n < 2 {
		t.Mark(l, Truncated)
		return 0, false
	}
	next := byte(t.U8(off))
	hl := int(t.U8(off+1))*8 + 8
	t.SetLen(l, hl)
	t.Add(l, fNxt, off, 1, uint64(next))
	t.Add(l, fLen, off+1, 1, t.U8(off+1))
	t.Add(l, fOct, off+1, 1, uint64(hl))
	if lim-off < hl {
		// tcpdump says so and goes on to dump the packet from the end of
		// the link header: Malformed, not Truncated (see dumpStart).
		t.Mark(l, Malformed)
		return 0, false
	}
	plen, _ := t.Value(ip, fIPv6PLen)
	ok := true
	seen := false
	for o := off + 2; o < off+hl; {
		typ := t.U8(o)
		if typ == 0 {
			op := t.Add(l, fIPv6Opt, o, 1, 0)
			t.Add(op, fIPv6OptType, o, 1, 0)
			t.Add(op, fIPv6OptPad1, o, 1, 0)
			o++
			continue
		}
		if o+2 > off+hl || o+2+int(t.U8(o+1)) > off+hl {
			// The option passes the header's end.
			t.Mark(l, Malformed)
			ok = false
			break
		}
		ol := int(t.U8(o + 1))
		op := t.Add(l, fIPv6Opt, o, 2+ol, 0)
		t.Add(op, fIPv6OptType, o, 1, typ)
		t.Add(op, fIPv6OptLen, o+1, 1, uint64(ol))
		if typ == 5 && ol != 2 || typ == 0xc2 && ol != 4 || typ == 0xc9 && ol < 16 {
			// A router alert, jumbo payload or home address option of
			// the wrong length.
			t.Add(op, fIPv6OptBadLen, o+1, 1, 0)
			t.Mark(l, Malformed)
			ok = false
			break
		}
		switch typ {
		case 1:
			t.AddBytes(op, fIPv6OptPadN, o+2, ol)
		case 5:
			t.Add(op, fIPv6OptRtAlert, o+2, 2, t.U16(o+2))
		case 0xc2:
			j := t.U32(o + 2)
			t.Add(op, fIPv6OptJumbo, o+2, 4, j)
			switch {
			case !hop:
				t.Add(op, fIPv6OptMismatch, o, 1, 0)
			case seen:
				t.Add(op, fIPv6JumboAgain, o, 1, 0)
			case plen != 0:
				t.Add(op, fIPv6JumboProhib, o+2, 4, 0)
			case j < 65536:
				t.Add(op, fIPv6JumboShort, o+2, 4, 0)
			case first:
				// The jumbogram's length: tcpdump says how much of it
				// the layer below did not frame, before the upper layer.
				if ipEnd := int(t.Nodes[ip].Off) + 40 + int(j); ipEnd > end {
					t.Add(l, fIPv6PLenFraming, o+2, 4, uint64(ipEnd-end))
				}
			}
			seen = true
		case 0xc9:
			t.AddBytes(op, fIPv6OptHomeAddr, o+2, 16)
		default:
			t.AddBytes(op, fIPv6OptUnknown, o+2, ol)
		}
		o += 2 + ol
	}
	// tcpdump reads the options of a destination options header only with
	// -v, so it goes on past a bad one; a bad hop-by-hop option stops it.
	if !ok && hop {
		return 0, false
	}
	return next, true
}

// ipv6Routing reads a routing header at off and returns its next header,
// and false when what follows cannot be read.
func ipv6Routing(t *Tree, off, lim int) (byte, bool) {
	avail := lim - off
	if avail < 0 {
		avail = 0
	}
	l := t.AddLayer(protoIPv6Routing, off, 8)
	t.Nodes[l].Flags |= Nested // an item of the IPv6 header's
	if ipv6Short(t, l, avail, 2) {
		return 0, false
	}
	next := byte(t.U8(off))
	ln := int(t.U8(off + 1))
	hl := ln*8 + 8
	t.SetLen(l, hl)
	t.Add(l, fIPv6RtNxt, off, 1, uint64(next))
	t.Add(l, fIPv6RtLen, off+1, 1, uint64(ln))
	t.Add(l, fIPv6RtLenOct, off+1, 1, uint64(hl))
	if ipv6Short(t, l, avail, 3) {
		return 0, false
	}
	typ := t.U8(off + 2)
	if tn := t.Add(l, fIPv6RtType, off+2, 1, typ); typ == 0 && avail >= hl {
		// RFC 5095; tshark was seen to say so only of a header captured
		// whole.
		t.Add(tn, fIPv6RtDeprecated, off+2, 1, 0)
	}
	if ipv6Short(t, l, avail, 4) {
		return 0, false
	}
	t.Add(l, fIPv6RtSegLeft, off+3, 1, t.U8(off+3))
	var fAddr FieldID
	switch typ {
	case 0, 2:
		var fRes FieldID
		fRes, fAddr = ipv6RtFields(typ)
		if ipv6Short(t, l, avail, 8) {
			return 0, false
		}
		t.AddBytes(l, fRes, off+4, 4)
	case 4:
		if ipv6Short(t, l, avail, 5) {
			return 0, false
		}
		t.Add(l, fIPv6RtSRHLast, off+4, 1, t.U8(off+4))
		if ipv6Short(t, l, avail, 6) {
			return 0, false
		}
		t.Add(l, fIPv6RtSRHFlags, off+5, 1, t.U8(off+5))
		if ipv6Short(t, l, avail, 8) {
			return 0, false
		}
		t.AddBytes(l, fIPv6RtSRHTag, off+6, 2)
		fAddr = fIPv6RtSRHAddr
	default:
		t.Add(l, fIPv6RtUndecoded, off+2, 1, 0)
		t.Mark(l, Malformed)
		if avail > 4 {
			n := hl - 4
			if n > avail-4 {
				n = avail - 4
			}
			t.AddBytes(l, fIPv6RtData, off+4, n)
		}
		return 0, false
	}
	addrs := ln / 2
	srh := typ == 4 && !t.Tcpdump
	if srh {
		// A segment routing header lists its segments up to the last
		// entry; what its length leaves after them is TLVs, whatever the
		// length's parity, in tshark's tree (tcpdump's line calls an odd
		// length invalid).
		addrs = min(addrs, int(t.U8(off+4))+1)
	} else if ln%2 != 0 {
		t.Add(l, fIPv6RtBadLen, off+1, 1, 0)
		t.Mark(l, Malformed)
		return 0, false
	}
	for i := 0; i < addrs; i++ {
		o := off + 8 + 16*i
		if ipv6Short(t, l, lim-o, 16) {
			return 0, false
		}
		t.AddBytes(l, fAddr, o, 16)
	}
	if srh && ipv6Short(t, l, avail, hl) {
		return 0, false
	}
	return next, true
}

// ipv6RtFields are the reserved and address fields of a routing header of
// type 0 (source route) or 2 (mobility).
func ipv6RtFields(typ uint64) (res, addr FieldID) {
	if typ == 2 {
		return fIPv6RtMipRes, fIPv6RtMipAddr
	}
	return fIPv6RtSrcRes, fIPv6RtSrcAddr
}

// ipv6FinalDst is the destination of the pseudo-header of upper layer node
// n above IPv6 layer ip: the final destination of a routing header between
// them (as tcpdump computes it, whatever the segments left), else ip's
// destination address (nil if the header was not read).
func ipv6FinalDst(t *Tree, ip, n int) []byte {
	var dst []byte
	if i := t.Find(ip, fIPv6Dst); i >= 0 {
		dst = t.Bytes(i)
	}
	for _, ln := range t.Layers {
		r := int(ln)
		if r <= ip || r >= n {
			continue
		}
		if t.Nodes[r].Field == protoIPv6 {
			break
		}
		if t.Nodes[r].Field != protoIPv6Routing {
			continue
		}
		rh := t.Data[t.Nodes[r].Off:]
		rh = rh[:min(len(rh), int(t.Nodes[r].Len))]
		if a := wire.IPv6RoutingFinalDst(rh); a != nil {
			dst = a
		}
	}
	return dst
}

// textIPv6 prints "IP6 " (not with -e: the link header said it), the -v
// parenthesis, "src > dst: " unless the upper layer prints them, and the
// layers after it.
func textIPv6(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	ver, ok := t.Value(n, fIPv6Version)
	if !ok {
		p.b = append(p.b, " [|ip6]"...)
		return
	}
	if !p.opt.Link {
		p.b = append(p.b, "IP6 "...)
	}
	if ver != 6 {
		p.b = append(p.b, "version error: "...)
		p.b = strconv.AppendUint(p.b, ver, 10)
		p.b = append(p.b, " != 6"...)
		return
	}
	ipv6Missing(p, n)
	nh, _ := t.Value(n, fIPv6Nxt)
	if p.opt.Verbose > 0 {
		p.b = append(p.b, '(')
		if tc, _ := t.Value(n, fIPv6TClass); tc != 0 {
			p.b = append(p.b, "class 0x"...)
			p.b = appendHex2(p.b, tc)
			p.b = append(p.b, ", "...)
		}
		if fl, _ := t.Value(n, fIPv6Flow); fl != 0 {
			p.b = append(p.b, "flowlabel 0x"...)
			p.b = appendHexPad(p.b, fl, 5)
			p.b = append(p.b, ", "...)
		}
		hl, _ := t.Value(n, fIPv6HLim)
		p.b = append(p.b, "hlim "...)
		p.b = strconv.AppendUint(p.b, hl, 10)
		p.b = append(p.b, ", next-header "...)
		if name, ok := ip6NextNames[nh]; ok {
			p.b = append(p.b, name...)
		} else {
			p.b = append(p.b, "unknown"...)
		}
		p.b = append(p.b, " ("...)
		p.b = strconv.AppendUint(p.b, nh, 10)
		p.b = append(p.b, ") payload length: "...)
		pl, _ := t.Value(n, fIPv6PLen)
		p.b = strconv.AppendUint(p.b, pl, 10)
		p.b = append(p.b, ") "...)
	}
	if printsAddresses[p.Proto(l+1)] {
		p.Layer(l + 1)
		return
	}
	src, dst := t.Find(n, fIPv6Src), t.Find(n, fIPv6Dst)
	p.b = appendIPv6(p.b, t.Bytes(src))
	p.b = append(p.b, " > "...)
	p.b = appendIPv6(p.b, t.Bytes(dst))
	p.b = append(p.b, ": "...)
	ipv6Upper(p, l+1, nh)
}

// ipv6Missing prints "truncated-ip6 - N bytes missing!" when the payload
// length (or jumbo payload option) of node n passes what was framed.
func ipv6Missing(p *Printer, n int) {
	m, ok := p.t.Value(n, fIPv6PLenFraming)
	if plen, has := p.t.Value(n, fIPv6PLen); !ok && has && p.t.Nodes[n].Flags&Malformed != 0 && p.t.Below(n, protoICMPv6) >= 0 {
		if framed := uint64(p.t.Nodes[n].Len); 40+plen > framed {
			m, ok = 40+plen-framed, true
		}
	}
	if ok {
		p.b = append(p.b, "truncated-ip6 - "...)
		p.b = strconv.AppendUint(p.b, m, 10)
		p.b = append(p.b, " bytes missing!"...)
	}
}

// ipv6Upper prints layer l, which follows an IPv6 header or extension
// header whose next header is nh.
func ipv6Upper(p *Printer, l int, nh uint64) {
	t := &p.t
	next := p.Proto(l)
	switch next {
	case protoIPv6HopOpts, protoIPv6DstOpts, protoIPv6Routing, fIPv6FragHdr:
		p.Layer(l)
		return
	}
	if prev := p.Node(l - 1); prev >= 0 && t.Find(prev, fIPv6PastPLen) >= 0 {
		p.b = append(p.b, " [|ip6]"...)
		return
	}
	if nh == 59 {
		p.b = append(p.b, "no next header"...)
		return
	}
	// A jumbogram longer than what was framed.
	if n := p.Node(l); n >= 0 {
		if ip := t.Below(n, protoIPv6); ip >= 0 {
			if hop := t.Below(n, protoIPv6HopOpts); hop > ip {
				ipv6Missing(p, hop)
			}
		}
	}
	if (nh == 1 || nh == 2) && next == protoData {
		if nh == 1 {
			p.b = append(p.b, "[ICMP requires IPv4] (invalid)"...)
		} else {
			p.b = append(p.b, "[IGMP requires IPv4] (invalid)"...)
		}
		return
	}
	if next == protoData || next == 0 {
		if nh == 77 {
			// tcpdump names protocol 77 (Sun's network disk) "nd".
			p.b = append(p.b, " nd "...)
		} else {
			p.b = append(p.b, " ip-proto-"...)
			p.b = strconv.AppendUint(p.b, nh, 10)
			p.b = append(p.b, ' ')
		}
		var ln uint64
		if n := p.Node(l); n >= 0 {
			ln = uint64(t.Nodes[n].Len)
			// A jumbogram's length may pass what a node's length holds.
			if ip := t.Below(n, protoIPv6); ip >= 0 {
				if pl, _ := t.Value(ip, fIPv6PLen); pl == 0 {
					if hop := t.Below(n, protoIPv6HopOpts); hop > ip {
						if j, ok := t.Value(hop, fIPv6OptJumbo); ok {
							ln = j - uint64(int(t.Nodes[n].Off)-int(t.Nodes[ip].Off)-40)
						}
					}
				}
			}
		}
		p.b = strconv.AppendUint(p.b, ln, 10)
		return
	}
	p.Layer(l)
}

// textIPv6Opts prints a hop-by-hop ("HBH ") or destination options
// ("DSTOPT ") header, its options with -v, and the layers after it.
func textIPv6Opts(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	hop := t.Nodes[n].Field == protoIPv6HopOpts
	trunc := " [|dstopt]"
	if hop {
		trunc = " [|hbhopt]"
	}
	if t.Find(n, fIPv6HopAgain) >= 0 {
		p.b = append(p.b, "[The Hop-by-Hop Options header was already found] (invalid)"...)
		return
	}
	if t.Find(n, fIPv6HopNotFirst) >= 0 {
		p.b = append(p.b, "[The Hop-by-Hop Options header don't follow the IPv6 header] (invalid)"...)
		return
	}
	nxtF := fIPv6DstNxt
	if hop {
		nxtF = fIPv6HopNxt
	}
	nh, ok := t.Value(n, nxtF)
	if !ok || ipv6ExtLimit(t, t.Below(n, protoIPv6))-int(t.Nodes[n].Off) < int(t.Nodes[n].Len) {
		p.b = append(p.b, trunc...)
		return
	}
	if hop {
		p.b = append(p.b, "HBH "...)
	} else {
		p.b = append(p.b, "DSTOPT "...)
	}
	verbose := p.opt.Verbose > 0
	if !verbose && !hop {
		ipv6Upper(p, l+1, nh)
		return
	}
	for o := t.Find(n, fIPv6Opt); o >= 0; o = t.FindNext(n, o, fIPv6Opt) {
		typ, _ := t.Value(o, fIPv6OptType)
		ol, _ := t.Value(o, fIPv6OptLen)
		if t.Find(o, fIPv6OptBadLen) >= 0 {
			// A router alert, jumbo payload or home address option of
			// the wrong length ends the header.
			if typ == 0xc9 {
				p.b = append(p.b, "(homeaddr: trunc)"...)
			} else {
				name := "(rtalert: invalid len "
				if typ == 0xc2 {
					name = "(jumbo: invalid len "
				}
				p.b = append(p.b, name...)
				p.b = strconv.AppendUint(p.b, ol, 10)
				p.b = append(p.b, ')')
			}
			p.b = append(p.b, trunc...)
			return
		}
		switch {
		case typ == 0:
			if verbose {
				p.b = append(p.b, "(pad1)"...)
			}
		case typ == 1:
			if verbose {
				p.b = append(p.b, "(padn)"...)
			}
		case typ == 5:
			if verbose {
				v, _ := t.Value(o, fIPv6OptRtAlert)
				p.b = append(p.b, "(rtalert: 0x"...)
				p.b = appendHexPad(p.b, v, 4)
				p.b = append(p.b, ") "...)
			}
		case typ == 0xc2:
			if verbose {
				v, _ := t.Value(o, fIPv6OptJumbo)
				p.b = append(p.b, "(jumbo: "...)
				p.b = strconv.AppendUint(p.b, v, 10)
				switch {
				case t.Find(o, fIPv6OptMismatch) >= 0:
					p.b = append(p.b, " - not a hop-by-hop option"...)
				case t.Find(o, fIPv6JumboAgain) >= 0:
					p.b = append(p.b, " - already seen"...)
				case t.Find(o, fIPv6JumboProhib) >= 0:
					p.b = append(p.b, " - payload len != 0"...)
				case t.Find(o, fIPv6JumboShort) >= 0:
					p.b = append(p.b, " - < 65536"...)
				}
				p.b = append(p.b, ") "...)
			}
		case typ == 0xc9:
			if verbose {
				a := t.Find(o, fIPv6OptHomeAddr)
				p.b = append(p.b, "(homeaddr: "...)
				p.b = appendIPv6(p.b, t.Bytes(a))
				p.b = append(p.b, ')')
			}
		default:
			if verbose {
				p.b = append(p.b, "(opt_type 0x"...)
				p.b = appendHex2(p.b, typ)
				p.b = append(p.b, ": len="...)
				p.b = strconv.AppendUint(p.b, ol, 10)
				p.b = append(p.b, ')')
			}
		}
	}
	if t.Nodes[n].Flags&Malformed != 0 && t.Find(n, fIPv6JumboMissing) < 0 {
		p.b = append(p.b, trunc...)
		return
	}
	if verbose {
		p.b = append(p.b, ' ')
	}
	if t.Find(n, fIPv6JumboMissing) >= 0 {
		p.b = append(p.b, "[No valid Jumbo Payload Hop-by-Hop option found] (invalid)"...)
		return
	}
	ipv6Upper(p, l+1, nh)
}

// textIPv6Routing prints "RT6 (len=..., type=..., segleft=..., ...) " and
// the layers after it.
func textIPv6Routing(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	if int(t.Nodes[n].Off) >= len(t.Data) {
		p.b = append(p.b, " [|ip6]"...)
		return
	}
	p.b = append(p.b, "RT6 "...)
	ln, ok := t.Value(n, fIPv6RtLen)
	if !ok {
		p.b = append(p.b, "[|rt6]"...)
		return
	}
	const trunc = " [|rt6]"
	p.b = append(p.b, "(len="...)
	p.b = strconv.AppendUint(p.b, ln, 10)
	typ, ok := ipv6RtField(p, n, ", type=", fIPv6RtType)
	if !ok {
		return
	}
	if typ == 0 {
		p.b = append(p.b, " [Deprecated]"...)
	}
	if _, ok := ipv6RtField(p, n, ", segleft=", fIPv6RtSegLeft); !ok {
		return
	}
	verbose := p.opt.Verbose > 0
	var fAddr FieldID
	switch typ {
	case 0, 2:
		var fRes FieldID
		fRes, fAddr = ipv6RtFields(typ)
		r := t.Find(n, fRes)
		if r < 0 {
			p.b = append(p.b, trunc...)
			return
		}
		b := t.Bytes(r)
		v := uint64(b[0])<<24 | uint64(b[1])<<16 | uint64(b[2])<<8 | uint64(b[3])
		if verbose || v != 0 {
			p.b = append(p.b, ", rsv=0x"...)
			p.b = strconv.AppendUint(p.b, v, 16)
		}
	case 4:
		if _, ok := ipv6RtField(p, n, ", last-entry=", fIPv6RtSRHLast); !ok {
			return
		}
		fl, ok := t.Value(n, fIPv6RtSRHFlags)
		if !ok {
			p.b = append(p.b, trunc...)
			return
		}
		if verbose || fl != 0 {
			p.b = append(p.b, ", flags=0x"...)
			p.b = strconv.AppendUint(p.b, fl, 16)
		}
		tg := t.Find(n, fIPv6RtSRHTag)
		if tg < 0 {
			p.b = append(p.b, trunc...)
			return
		}
		b := t.Bytes(tg)
		p.b = append(p.b, ", tag="...)
		p.b = strconv.AppendUint(p.b, uint64(b[0])<<8|uint64(b[1]), 16)
		fAddr = fIPv6RtSRHAddr
	default:
		p.b = append(p.b, " (unknown type) (invalid)"...)
		return
	}
	if t.Find(n, fIPv6RtBadLen) >= 0 {
		p.b = append(p.b, " (invalid length "...)
		p.b = strconv.AppendUint(p.b, ln, 10)
		p.b = append(p.b, ") (invalid)"...)
		return
	}
	i := 0
	for a := t.Find(n, fAddr); a >= 0; a = t.FindNext(n, a, fAddr) {
		p.b = append(p.b, ", ["...)
		p.b = strconv.AppendInt(p.b, int64(i), 10)
		p.b = append(p.b, ']')
		p.b = appendIPv6(p.b, t.Bytes(a))
		i++
	}
	if t.Nodes[n].Flags&Truncated != 0 {
		p.b = append(p.b, trunc...)
		return
	}
	p.b = append(p.b, ") "...)
	nh, _ := t.Value(n, fIPv6RtNxt)
	ipv6Upper(p, l+1, nh)
}

// ipv6RtField prints label and the value of field f of routing header node
// n in decimal, or " [|rt6]" when the header was cut before it, and returns
// the value and whether it was there.
func ipv6RtField(p *Printer, n int, label string, f FieldID) (uint64, bool) {
	v, ok := p.t.Value(n, f)
	if !ok {
		p.b = append(p.b, " [|rt6]"...)
		return 0, false
	}
	p.b = append(p.b, label...)
	p.b = strconv.AppendUint(p.b, v, 10)
	return v, true
}

// textIPv6Frag prints "frag (off|len) " (with -v "frag (0xident:off|len) ")
// and, for a first fragment, the layers after it.
func textIPv6Frag(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	fo, ok := t.Value(n, fIPv6FragOff)
	id, idOK := t.Value(n, fIPv6FragID)
	if !ok || !idOK && p.opt.Verbose > 0 {
		p.b = append(p.b, " [|frag6]"...)
		return
	}
	p.b = append(p.b, "frag ("...)
	if p.opt.Verbose > 0 {
		p.b = append(p.b, "0x"...)
		p.b = appendHexPad(p.b, id, 8)
		p.b = append(p.b, ':')
	}
	p.b = strconv.AppendUint(p.b, fo*8, 10)
	p.b = append(p.b, '|')
	// The payload length less the headers up to this one's end, as an
	// unsigned 64-bit number (a header longer than the payload wraps).
	var pl uint64
	if ip := t.Below(n, protoIPv6); ip >= 0 {
		pl, _ = t.Value(ip, fIPv6PLen)
		used := uint64(int(t.Nodes[n].Off) + 8 - int(t.Nodes[ip].Off) - 40)
		pl -= used
	}
	p.b = strconv.AppendUint(p.b, pl, 10)
	p.b = append(p.b, ')')
	if fo != 0 {
		return
	}
	p.b = append(p.b, ' ')
	if !idOK {
		return
	}
	nx := p.Node(l + 1)
	if nx < 0 || p.Proto(l+1) == protoData && t.Nodes[nx].Off >= int32(len(t.Data)) {
		return
	}
	nh, _ := t.Value(n, fIPv6FragNxt)
	ipv6Upper(p, l+1, nh)
}

// appendHex2 appends v as two lower-case hexadecimal digits (more if larger).
func appendHex2(b []byte, v uint64) []byte { return appendHexPad(b, v, 2) }

// appendHexPad appends v in lower-case hexadecimal, zero-padded to width digits.
func appendHexPad(b []byte, v uint64, width int) []byte {
	const digits = "0123456789abcdef"
	var buf [16]byte
	i := len(buf)
	for v != 0 || i == len(buf) {
		i--
		buf[i] = digits[v&0xf]
		v >>= 4
	}
	for len(buf)-i < width && i > 0 {
		i--
		buf[i] = '0'
	}
	return append(b, buf[i:]...)
}

// appendIPv6 appends the text form of the 16-byte address a as tcpdump
// prints it (RFC 5952: the longest run of two or more zero groups, the first
// of equals, becomes "::"; lower-case hexadecimal without leading zeros; an
// IPv4-mapped ::ffff:a.b.c.d or IPv4-compatible ::a.b.c.d address ends in
// dotted quad).
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
