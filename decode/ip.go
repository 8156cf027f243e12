package decode

import (
	"strconv"

	"github.com/sockscope/sockscope/decode/wire"
)

// IPv4 (RFC 791): the header, its options, fragments and the dispatch of
// the payload by protocol number.

var (
	protoIP       = proto("ip", "Internet Protocol Version 4")
	fIPVersion    = field("ip.version", "Version", TypeUint8)
	fIPHdrLen     = field("ip.hdr_len", "Header Length", TypeUint8)
	fIPDSField    = register(Field{Name: "ip.dsfield", Title: "Differentiated Services Field", Type: TypeUint8, Hex: true})
	fIPDSCP       = register(Field{Name: "ip.dsfield.dscp", Title: "Differentiated Services Codepoint", Type: TypeUint8, Mask: 0xfc})
	fIPECN        = register(Field{Name: "ip.dsfield.ecn", Title: "Explicit Congestion Notification", Type: TypeUint8, Mask: 0x03})
	fIPLen        = field("ip.len", "Total Length", TypeUint16)
	fIPID         = register(Field{Name: "ip.id", Title: "Identification", Type: TypeUint16, Hex: true})
	fIPFlags      = register(Field{Name: "ip.flags", Title: "Flags", Type: TypeUint8, Mask: 0xe0, Hex: true})
	fIPFlagRB     = flagField("ip.flags.rb", "Reserved bit", 0x80)
	fIPFlagDF     = flagField("ip.flags.df", "Don't fragment", 0x40)
	fIPFlagMF     = flagField("ip.flags.mf", "More fragments", 0x20)
	fIPFragOffset = register(Field{Name: "ip.frag_offset", Title: "Fragment Offset", Type: TypeUint16, Mask: 0x1fff})
	fIPTTL        = field("ip.ttl", "Time to Live", TypeUint8)
	// The expert items of the TTL (expert.go): too small for a unicast
	// packet, or not what a packet to the Local Network Control Block
	// (224.0.0.0/24, RFC 5771) is sent with; their value is the TTL, and
	// the TTL expected.
	fIPTTLTooSmall = field("ip.ttl.too_small", "Time To Live", TypeNone)
	fIPTTLLNCB     = field("ip.ttl.lncb", "Time To Live", TypeNone)
	fIPProto       = enumField("ip.proto", "Protocol", TypeUint8, ipProtoNames)
	fIPChecksum    = register(Field{Name: "ip.checksum", Title: "Header Checksum", Type: TypeUint16, Hex: true})
	fIPChecksumCal = register(Field{Name: "ip.checksum_calculated", Title: "Calculated Checksum", Type: TypeUint16, Hex: true})
	fIPSrc         = field("ip.src", "Source Address", TypeIPv4)
	fIPDst         = field("ip.dst", "Destination Address", TypeIPv4)
	fIPOptType     = field("ip.opt.type", "Type", TypeUint8)
	fIPOptLen      = field("ip.opt.len", "Length", TypeUint8)
	fIPOptPtr      = field("ip.opt.ptr", "Pointer", TypeUint8)
	// ip.opt.addr is Wireshark's name for an option's address, but the
	// options decode reads have theirs under the names below.
	fIPOptAddr      = field("ip.opt.addr", "IP Address", TypeIPv4)
	fIPRecRoute     = field("ip.rec_rt", "Recorded Route", TypeIPv4)
	fIPRecRouteHost = field("ip.rec_rt_host", "Recorded Route Host", TypeString)
	fIPSrcRoute     = field("ip.src_rt", "Source Route", TypeIPv4)
	fIPSrcRouteHost = field("ip.src_rt_host", "Source Route Host", TypeString)
	fIPEmptyRoute   = field("ip.empty_rt", "Empty Route", TypeIPv4)
	fIPEmptyRtHost  = field("ip.empty_rt_host", "Empty Route Host", TypeString)
	fIPOptRA        = field("ip.opt.ra", "Router Alert", TypeUint16)
)

// ipOptKnown are the option types of IANA's IP Option Numbers registry:
// tshark names them, and says "Unknown (0xNN)" only of the others.
var ipOptKnown = func() (k [256]bool) {
	for _, v := range []uint8{0, 1, 7, 10, 11, 12, 15, 25, 30, 68, 82, 94, 130, 131, 133, 134, 136, 137, 142, 144,
		145, 147, 148, 149, 150, 151, 152, 158, 205, 222} {
		k[v] = true
	}
	return k
}()

// The expert items of the header (expert.go): a version other than 4, a
// total length past what the layer below framed (its value is what that
// layer framed), an option of a type with no name whose length passes the
// end of the options (its value is the type).
var (
	fIPBogusVersion  = field("ip.bogus_ip_version", "Bogus IP version", TypeNone)
	fIPBogusHdrLen   = field("ip.bogus_header_length", "Bogus IP header length", TypeNone)
	fIPBogusLen      = field("ip.bogus_ip_length", "Bogus IP length", TypeNone)
	fIPLenPastEnd    = field("ip.len.past_end", "IPv4 total length exceeds packet length", TypeNone)
	fIPOptLenPastEnd = field("ip.opt.len.invalid", "Invalid length for option", TypeNone)
)

// ipProtoNames are the names tcpdump prints for IP protocol numbers
// ("proto TCP (6)"), from IANA's protocol numbers registry.
var ipProtoNames = map[uint64]string{
	0: "Options", 1: "ICMP", 2: "IGMP", 4: "IPIP", 6: "TCP", 8: "EGP", 9: "IGRP", 17: "UDP",
	33: "DCCP", 41: "IPv6", 43: "Routing", 44: "Fragment", 46: "RSVP", 47: "GRE",
	50: "ESP", 51: "AH", 55: "Mobile IP", 58: "ICMPv6", 62: "Mobile IP (old)", 88: "EIGRP", 89: "OSPF",
	103: "PIM", 108: "Compressed IP", 112: "VRRP", 113: "PGM", 132: "SCTP",
	135: "Mobility", 143: "Ethernet",
}

func init() {
	deriveBits(fIPDSField, fIPDSCP, fIPECN)
	deriveBits(fIPFlags, fIPFlagRB, fIPFlagDF, fIPFlagMF)
	Ethertypes.Register(0x0800, dissectIP)
	IPProtocols.Register(4, dissectIP)
	registerText(protoIP, textIP)
}

// dissectIP reads an IPv4 header at off and the payload it bounds.
func dissectIP(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoIP, off, end, 1)
	if !ok {
		return
	}
	vhl := t.U8(off)
	vn := t.Add(l, fIPVersion, off, 1, vhl>>4)
	if vhl>>4 != 4 {
		if t.Below(l, protoIP) < 0 && t.Below(l, protoIPv6) < 0 {
			// tshark was seen to say so of a header an Ethertype leads
			// to, not of one inside another IP packet (a PIM register).
			t.Add(vn, fIPBogusVersion, off, 1, 0)
			if vhl>>4 == 6 {
				// tshark reads on as IPv6 (tcpdump's line says the
				// encapsulation is wrong, and stops: see dumpStart).
				netOff := t.NetOff
				t.Call(dissectIPv6, off, end)
				t.NetOff = netOff
				return
			}
		}
		t.Mark(l, Malformed)
		return
	}
	if n < 20 {
		t.Mark(l, Truncated)
		return
	}
	hl := int(vhl&0x0f) * 4
	if hn := t.Add(l, fIPHdrLen, off, 1, uint64(hl)); hl < 20 {
		t.Add(hn, fIPBogusHdrLen, off, 1, uint64(hl))
	}
	tos := t.U8(off + 1)
	t.Add(l, fIPDSField, off+1, 1, tos)
	total := int(t.U16(off + 2))
	if total == 0 && end-off >= hl && hl >= 20 {
		// TCP segmentation offload (a BIG TCP packet past 64 KiB): tshark
		// takes the length the layer below framed and gives it as ip.len.
		total = end - off
	}
	ln := t.Add(l, fIPLen, off+2, 2, uint64(total))
	switch {
	case hl < 20: // tshark says only that of the header
	case total < hl:
		t.Add(ln, fIPBogusLen, off+2, 2, 0)
	case total > end-off && t.Below(l, protoICMP) < 0:
		// Not of the packet an ICMP error quotes, cut short by design.
		t.Nodes[t.Add(ln, fIPLenPastEnd, off+2, 2, uint64(end-off))].Flags |= Generated
	}
	t.Add(l, fIPID, off+4, 2, t.U16(off+4))
	fo := t.U16(off + 6)
	t.Add(l, fIPFlags, off+6, 1, fo>>13)
	t.Add(l, fIPFragOffset, off+6, 2, fo&0x1fff)
	ipTTL(t, t.Add(l, fIPTTL, off+8, 1, t.U8(off+8)), off)
	pr := t.U8(off + 9)
	t.Add(l, fIPProto, off+9, 1, pr)
	ck := t.Add(l, fIPChecksum, off+10, 2, t.U16(off+10))
	t.noteAddresses(l, t.AddBytes(l, fIPSrc, off+12, 4))
	t.AddBytes(l, fIPDst, off+16, 4)
	if hl < 20 || total < hl {
		// tshark gives the length's item and stops, without an exception.
		return
	}
	if n >= hl {
		h := t.Data[off : off+hl]
		if t.VerifyChecksums {
			// Wireshark adds it only when it validates checksums, which
			// it does not by default.
			sum := wire.Sum(0, h[:10])
			sum = wire.Sum(sum, h[12:])
			c := t.Add(l, fIPChecksumCal, off+10, 2, uint64(wire.Fold(sum)))
			t.Nodes[c].Flags |= Generated
		}
		if wire.Fold(wire.Sum(0, h)) != 0 {
			// The checksum's node only: tshark, which does not check
			// it, goes on.
			t.Nodes[ck].Flags |= Malformed
		}
	} else {
		t.Mark(l, Truncated)
	}
	dissectIPOptions(t, l, off+20, off+hl)
	// The layer's length is what the layer below allowed (the text says how
	// many bytes the header claims beyond it); the payload ends where the
	// header says, as tcpdump's protocol lengths do.
	if off+total < end {
		t.SetLen(l, total)
	}
	end = off + total
	if n < hl {
		return
	}
	// A fragment whose payload was captured whole goes to the table when
	// the tree reassembles (ipfrag.go).
	if fo&0x3fff != 0 && t.reassembling() && t.Avail(off+hl, end) == end-off-hl {
		start, stop, ok := defragment(t, l, ipFragFields, ipFragKey(t, l, off, pr), int(fo&0x1fff)*8, fo&0x2000 != 0, off+hl, end)
		if !ok {
			DissectData(t, off+hl, end)
			return
		}
		off, hl, end = start, 0, stop
	} else if fo&0x1fff != 0 {
		DissectData(t, off+hl, end)
		return
	}
	if !t.Call(IPProtocols.Lookup(uint32(pr)), off+hl, end) && end > off+hl {
		DissectData(t, off+hl, end) // tshark adds no data item for no bytes
	}
}

// dissectIPOptions adds the options in [off, end) as far as they were
// captured.
func dissectIPOptions(t *Tree, l, off, end int) {
	for off < end && off < len(t.Data) {
		typ := t.U8(off)
		t.Add(l, fIPOptType, off, 1, typ)
		if typ == 0 {
			return
		}
		if typ == 1 {
			off++
			continue
		}
		if off+1 >= len(t.Data) {
			return
		}
		n := int(t.U8(off + 1))
		ln := t.Add(l, fIPOptLen, off+1, 1, uint64(n))
		if n < 2 || off+n > end {
			if n >= 2 && !ipOptKnown[typ] {
				t.Add(ln, fIPOptLenPastEnd, off+1, 1, typ)
			}
			return
		}
		switch typ {
		case 7, 131, 137:
			if n >= 3 && off+2 < len(t.Data) {
				dissectIPRoute(t, l, typ, off, n)
			}
		case 68:
			if n >= 3 && off+2 < len(t.Data) {
				t.Add(l, fIPOptPtr, off+2, 1, t.U8(off+2))
			}
		case 148:
			if n == 4 && off+4 <= len(t.Data) {
				t.Add(l, fIPOptRA, off+2, 2, t.U16(off+2))
			}
		}
		off += n
	}
}

// dissectIPRoute adds the pointer and the addresses of a record-route (7)
// or source-route (131, 137) option of n bytes at off, as Wireshark names
// them: the slots before the pointer hold the route recorded, those from it
// the route still to go (but its last address, the destination) or, in a
// record-route option, empty slots. A pointer into the middle of a slot
// gives no addresses.
func dissectIPRoute(t *Tree, l int, typ uint64, off, n int) {
	ptr := int(t.U8(off + 2))
	t.Add(l, fIPOptPtr, off+2, 1, uint64(ptr))
	if ptr < 4 || (ptr-4)%4 != 0 {
		return
	}
	for i := 3; i+4 <= n && off+i+4 <= len(t.Data); i += 4 {
		f, h := fIPRecRoute, fIPRecRouteHost
		if i+1 >= ptr {
			f, h = fIPSrcRoute, fIPSrcRouteHost
			if typ == 7 {
				f, h = fIPEmptyRoute, fIPEmptyRtHost
			} else if i+8 > n {
				// Wireshark shows a source route's last address as
				// the destination (ip.dst), which decode leaves as
				// the header's.
				break
			}
		}
		t.AddBytes(l, f, off+i, 4)
		start := len(t.Text)
		t.Text = appendIPv4(t.Text, t.Data[off+i:off+i+4])
		t.SetText(t.Add(l, h, off+i, 4, 0), start)
	}
}

// ipFragmented reports whether the IPv4 layer below node n is a fragment
// (more fragments follow, or it is not the first) that was not put back
// together: its payload's checksum cannot be verified.
func ipFragmented(t *Tree, n int) bool {
	ip := t.Below(n, protoIP)
	if ip < 0 || ipReassembled(t, ip) {
		return false
	}
	mf, _ := t.Value(ip, fIPFlagMF)
	fo, _ := t.Value(ip, fIPFragOffset)
	return mf != 0 || fo != 0
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

// appendIPAddrs appends "src > dst" of the IPv4 header at off.
func appendIPAddrs(b []byte, d []byte, off int) []byte {
	b = appendIPv4(b, d[off+12:off+16])
	b = append(b, " > "...)
	return appendIPv4(b, d[off+16:off+20])
}

// textIP prints the IPv4 header as tcpdump does and the payload's text.
func textIP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off := int(t.Nodes[n].Off)
	d := t.Data
	avail := len(d) - off
	// The layer below may end the datagram before the capture does (a
	// MACsec ICV follows it): the header is read within that end.
	if ln := int(t.Nodes[n].Len); ln < avail {
		avail = ln
	}
	if avail < 1 {
		p.b = append(p.b, " [|ip]"...)
		return
	}
	ver := d[off] >> 4
	if ver != 4 {
		if ver == 6 {
			p.b = append(p.b, "IP6, wrong link-layer encapsulation (invalid)"...)
			return
		}
		p.b = append(p.b, "IP"...)
		p.b = strconv.AppendUint(p.b, uint64(ver), 10)
		p.b = append(p.b, " (invalid)"...)
		return
	}
	if !p.opt.Link {
		p.b = append(p.b, "IP "...)
	}
	if avail < 20 {
		p.b = append(p.b, " [|ip]"...)
		return
	}
	hl := int(d[off]&0x0f) * 4
	total := int(d[off+2])<<8 | int(d[off+3])
	if hl < 20 {
		p.b = append(p.b, "bad-hlen "...)
		p.b = strconv.AppendUint(p.b, uint64(hl), 10)
		return
	}
	if total < hl {
		p.b = append(p.b, "bad-len "...)
		p.b = strconv.AppendUint(p.b, uint64(total), 10)
		return
	}
	// A datagram an ICMP error quotes is cut short by design: no message.
	if ln := int(t.Nodes[n].Len); ln < total && t.Below(n, protoICMP) < 0 {
		p.b = append(p.b, "truncated-ip - "...)
		p.b = strconv.AppendUint(p.b, uint64(total-ln), 10)
		p.b = append(p.b, " bytes missing! "...)
	}
	fo := int(d[off+6])<<8 | int(d[off+7])
	pr := uint64(d[off+9])
	optTrunc := false
	if p.opt.Verbose > 0 {
		tos := d[off+1]
		p.b = append(p.b, "(tos 0x"...)
		p.b = strconv.AppendUint(p.b, uint64(tos), 16)
		switch tos & 3 {
		case 1:
			p.b = append(p.b, ",ECT(1)"...)
		case 2:
			p.b = append(p.b, ",ECT(0)"...)
		case 3:
			p.b = append(p.b, ",CE"...)
		}
		if ttl := d[off+8]; ttl != 0 {
			p.b = append(p.b, ", ttl "...)
			p.b = strconv.AppendUint(p.b, uint64(ttl), 10)
		}
		p.b = append(p.b, ", id "...)
		p.b = strconv.AppendUint(p.b, uint64(d[off+4])<<8|uint64(d[off+5]), 10)
		p.b = append(p.b, ", offset "...)
		p.b = strconv.AppendUint(p.b, uint64(fo&0x1fff)*8, 10)
		p.b = append(p.b, ", flags ["...)
		sep := ""
		if fo&0x2000 != 0 {
			p.b = append(p.b, '+')
			sep = ", "
		}
		if fo&0x4000 != 0 {
			p.b = append(p.b, sep...)
			p.b = append(p.b, "DF"...)
			sep = ", "
		}
		if fo&0x8000 != 0 {
			p.b = append(p.b, sep...)
			p.b = append(p.b, "rsvd"...)
			sep = ", "
		}
		if sep == "" {
			p.b = append(p.b, "none"...)
		}
		p.b = append(p.b, "], proto "...)
		if name, ok := ipProtoNames[pr]; ok {
			p.b = append(p.b, name...)
		} else {
			p.b = append(p.b, "unknown"...)
		}
		p.b = append(p.b, " ("...)
		p.b = strconv.AppendUint(p.b, pr, 10)
		p.b = append(p.b, "), length "...)
		p.b = strconv.AppendUint(p.b, uint64(total), 10)
		if hl > 20 {
			p.b = append(p.b, ", options ("...)
			var ok bool
			ok, optTrunc = p.ipOptions(off+20, off+hl)
			if !ok {
				p.b = append(p.b, " [|ip]"...)
				return
			}
			p.b = append(p.b, ')')
		}
		if avail >= hl {
			if sum := wire.Fold(wire.Sum(0, d[off:off+hl])); sum != 0 {
				good := wire.Fold(wire.Sum(wire.Sum(0, d[off:off+10]), d[off+12:off+hl]))
				p.b = append(p.b, ", bad cksum "...)
				p.b = strconv.AppendUint(p.b, uint64(d[off+10])<<8|uint64(d[off+11]), 16)
				p.b = append(p.b, " (->"...)
				p.b = strconv.AppendUint(p.b, uint64(good), 16)
				p.b = append(p.b, ")!"...)
			}
		}
		p.b = append(p.b, ")\n    "...)
	}
	if optTrunc || (avail < hl && p.opt.Verbose > 0) {
		p.b = appendIPAddrs(p.b, d, off)
		p.b = append(p.b, ":  [|ip]"...)
		return
	}
	if fo&0x1fff != 0 {
		p.b = appendIPAddrs(p.b, d, off)
		p.b = append(p.b, ": ip-proto-"...)
		p.b = strconv.AppendUint(p.b, pr, 10)
		return
	}
	if avail < hl {
		p.b = append(p.b, " [remaining caplen("...)
		p.b = strconv.AppendUint(p.b, uint64(avail), 10)
		p.b = append(p.b, ") < header length("...)
		p.b = strconv.AppendUint(p.b, uint64(hl), 10)
		p.b = append(p.b, ")] [|ip]"...)
		return
	}
	next := p.Proto(l + 1)
	if next != 0 && printsAddresses[next] {
		p.Layer(l + 1)
		return
	}
	p.b = appendIPAddrs(p.b, d, off)
	p.b = append(p.b, ": "...)
	if next == protoData || next == 0 {
		if pr == 77 {
			// tcpdump names protocol 77 (Sun's network disk) "nd".
			p.b = append(p.b, " nd "...)
		} else {
			p.b = append(p.b, " ip-proto-"...)
			p.b = strconv.AppendUint(p.b, pr, 10)
			p.b = append(p.b, ' ')
		}
		p.b = strconv.AppendUint(p.b, uint64(total-hl), 10)
		return
	}
	p.Layer(l + 1)
}

// ipOptions prints the options in [off, end) as tcpdump -v does. ok is
// false when the capture ends before an option's type or length (the
// caller prints "[|ip]"); trunc is true when it ends inside an option's
// data ("[truncated-option]").
func (p *Printer) ipOptions(off, end int) (ok, trunc bool) {
	d := p.t.Data
	first := true
	for off < end {
		if !first {
			p.b = append(p.b, ',')
		}
		first = false
		if off >= len(d) {
			return false, false
		}
		typ := d[off]
		switch typ {
		case 0:
			p.b = append(p.b, "EOL"...)
			return true, false
		case 1:
			p.b = append(p.b, "NOP"...)
			off++
			continue
		case 7:
			p.b = append(p.b, "RR"...)
		case 131:
			p.b = append(p.b, "LSRR"...)
		case 137:
			p.b = append(p.b, "SSRR"...)
		case 68:
			p.b = append(p.b, "timestamp"...)
		case 148:
			p.b = append(p.b, "RA"...)
		case 130:
			p.b = append(p.b, "security"...)
		case 82:
			p.b = append(p.b, "traceroute"...)
		default:
			p.b = append(p.b, "unknown "...)
			p.b = strconv.AppendUint(p.b, uint64(typ), 10)
		}
		if off+1 >= len(d) {
			return false, false
		}
		n := int(d[off+1])
		if n < 2 || n > end-off {
			p.b = append(p.b, " [bad length "...)
			p.b = strconv.AppendUint(p.b, uint64(n), 10)
			p.b = append(p.b, ']')
			return true, false
		}
		switch typ {
		case 7, 131, 137:
			if !p.ipRouteOption(off, n) {
				p.b = append(p.b, " [truncated-option]"...)
				return true, true
			}
		case 68:
			if !p.ipTSOption(off, n) {
				p.b = append(p.b, "[truncated-option]"...)
				return true, true
			}
		case 148:
			if n != 4 {
				p.b = append(p.b, " [bad length "...)
				p.b = strconv.AppendUint(p.b, uint64(n), 10)
				p.b = append(p.b, ']')
				break
			}
			if off+4 > len(d) {
				p.b = append(p.b, " [truncated-option]"...)
				return true, true
			}
			if v := uint64(d[off+2])<<8 | uint64(d[off+3]); v != 0 {
				p.b = append(p.b, " value "...)
				p.b = strconv.AppendUint(p.b, v, 10)
			}
		}
		off += n
	}
	return true, false
}

// ipRouteOption prints a record route or source route option of n bytes at
// off; false when the capture ends inside it.
func (p *Printer) ipRouteOption(off, n int) bool {
	d := p.t.Data
	if n < 3 || (n-3)%4 != 0 {
		p.b = append(p.b, " [bad length "...)
		p.b = strconv.AppendUint(p.b, uint64(n), 10)
		p.b = append(p.b, ']')
		if n < 3 {
			return true
		}
	}
	if off+3 > len(d) {
		return false
	}
	ptr := int(d[off+2])
	if ptr < 4 || ptr%4 != 0 {
		p.b = append(p.b, " [bad ptr "...)
		p.b = strconv.AppendUint(p.b, uint64(ptr), 10)
		p.b = append(p.b, ']')
	}
	for i := 3; i < n; i += 4 {
		if off+i+4 > len(d) {
			return false
		}
		p.b = append(p.b, ' ')
		p.b = appendIPv4(p.b, d[off+i:off+i+4])
		if ptr > i+1 {
			p.b = append(p.b, ',')
		}
	}
	return true
}

// ipTSOption prints a timestamp option of n bytes at off; false when the
// capture ends inside it.
func (p *Printer) ipTSOption(off, n int) bool {
	d := p.t.Data
	if n < 4 {
		p.b = append(p.b, "[bad length "...)
		p.b = strconv.AppendUint(p.b, uint64(n), 10)
		p.b = append(p.b, ']')
		return true
	}
	if off+4 > len(d) {
		return false
	}
	p.b = append(p.b, " TS{"...)
	ptr := int(d[off+2])
	oflw := d[off+3] >> 4
	flg := d[off+3] & 0x0f
	size := 8
	if flg == 0 {
		size = 4
	}
	// The length and pointer checks hold for every flag value (entries of
	// 8 bytes for the unknown ones, which print no entries).
	if (n-4)%size != 0 {
		p.b = append(p.b, "[bad length "...)
		p.b = strconv.AppendUint(p.b, uint64(n), 10)
		p.b = append(p.b, ']')
	}
	if ptr < 5 || (ptr-5)%size != 0 || ptr > n+2 {
		p.b = append(p.b, "[bad ptr "...)
		p.b = strconv.AppendUint(p.b, uint64(ptr), 10)
		p.b = append(p.b, ']')
	}
	i := 0
	switch flg {
	case 0, 1, 3:
		switch flg {
		case 0:
			p.b = append(p.b, "TSONLY"...)
		case 1:
			p.b = append(p.b, "TS+ADDR"...)
		default:
			p.b = append(p.b, "PRESPEC"...)
		}
		for i = 4; i < n; i += size {
			if ptr == i+1 {
				p.b = append(p.b, " ^ "...)
			} else {
				p.b = append(p.b, ' ')
			}
			if off+i+size > len(d) {
				return false
			}
			e := d[off+i : off+i+size]
			if size == 4 {
				p.b = strconv.AppendUint(p.b, uint64(e[0])<<24|uint64(e[1])<<16|uint64(e[2])<<8|uint64(e[3]), 10)
				p.b = append(p.b, '@')
			} else {
				p.b = strconv.AppendUint(p.b, uint64(e[4])<<24|uint64(e[5])<<16|uint64(e[6])<<8|uint64(e[7]), 10)
				p.b = append(p.b, '@')
				p.b = appendIPv4(p.b, e[:4])
			}
		}
	default:
		p.b = append(p.b, "[bad ts type "...)
		p.b = strconv.AppendUint(p.b, uint64(flg), 10)
		p.b = append(p.b, ']')
	}
	if ptr == i+1 {
		p.b = append(p.b, " ^ "...)
	}
	if oflw != 0 {
		p.b = append(p.b, " ["...)
		p.b = strconv.AppendUint(p.b, uint64(oflw), 10)
		p.b = append(p.b, " hops not recorded]} "...)
	} else {
		p.b = append(p.b, '}')
	}
	return true
}

// pseudoHeaderSum is the unfolded sum of the pseudo-header that the checksum
// of upper layer node n, proto, length bytes long, covers over the IP layer
// ip below it (RFC 768, RFC 793, RFC 8200 section 8.1): source, final
// destination, length and protocol. False when the addresses were not read.
func pseudoHeaderSum(t *Tree, ip, n int, proto uint8, length int) (uint32, bool) {
	var src, dst []byte
	if t.Nodes[ip].Field == protoIPv6 {
		i := t.Find(ip, fIPv6Src)
		if i < 0 {
			return 0, false
		}
		src, dst = t.Bytes(i), ipv6FinalDst(t, ip, n)
	} else {
		i, j := t.Find(ip, fIPSrc), t.Find(ip, fIPDst)
		if i < 0 || j < 0 {
			return 0, false
		}
		src, dst = t.Bytes(i), wire.IPv4FinalDst(t.Data[t.Nodes[ip].Off:])
		if dst == nil {
			dst = t.Bytes(j)
		}
	}
	if dst == nil {
		return 0, false
	}
	return wire.PseudoHeaderSum(src, dst, proto, length), true
}

// ipTTL adds the expert item, if any, of the TTL node tn of the IPv4 header
// at off: as tshark, a TTL below 5 on a packet not to a multicast group
// (OSPF and PIM aside, sent with 1 to a neighbour), and on a packet to the Local Network Control Block a TTL other than 1
// (255 for VRRP's 224.0.0.18 and HSRPv2's 224.0.0.102, whose senders use
// it to show the packet came from the link).
func ipTTL(t *Tree, tn, off int) {
	if off+20 > len(t.Data) {
		return
	}
	ttl, d := t.Nodes[tn].Val, t.Data[off+16:off+20]
	switch {
	case d[0] == 224 && d[1] == 0 && d[2] == 0:
		want := uint64(1)
		if d[3] == 18 || d[3] == 102 {
			want = 255
		}
		if ttl != want {
			t.Nodes[t.Add(tn, fIPTTLLNCB, off+8, 1, want)].Flags |= Generated
		}
	case d[0]&0xf0 == 224:
	case ttl < 5 && t.Data[off+9] != 89 && t.Data[off+9] != 103:
		t.Nodes[t.Add(tn, fIPTTLTooSmall, off+8, 1, ttl)].Flags |= Generated
	}
}
