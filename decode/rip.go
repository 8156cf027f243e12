package decode

import "strconv"

// RIP (RFC 1058, RFC 2453; authentication RFC 2082 and RFC 4822) on UDP
// port 520 and RIPng (RFC 2080) on UDP port 521: a 4-byte header, then
// 20-byte route entries. RIPv2's first entry may be an authentication entry
// (address family 0xffff); keyed-digest authentication ends the message with
// a trailer that is not a route.

var (
	protoRIP          = proto("rip", "Routing Information Protocol")
	fRIPCommand       = enumField("rip.command", "Command", TypeUint8, ripCommands)
	fRIPVersion       = field("rip.version", "Version", TypeUint8)
	fRIPDomain        = field("rip.routing_domain", "Routing Domain", TypeUint16)
	fRIPFamily        = field("rip.family", "Address Family", TypeUint16)
	fRIPRouteTag      = field("rip.route_tag", "Route Tag", TypeUint16)
	fRIPIP            = field("rip.ip", "IP Address", TypeIPv4)
	fRIPNetmask       = field("rip.netmask", "Netmask", TypeIPv4)
	fRIPNextHop       = field("rip.next_hop", "Next Hop", TypeIPv4)
	fRIPMetric        = field("rip.metric", "Metric", TypeUint16)
	fRIPAuthType      = field("rip.auth.type", "Authentication type", TypeUint16)
	fRIPPassword      = field("rip.auth.passwd", "Password", TypeString)
	fRIPDigestOffset  = field("rip.digest_offset", "Digest Offset", TypeUint16)
	fRIPKeyID         = field("rip.key_id", "Key ID", TypeUint8)
	fRIPAuthDataLen   = field("rip.auth_data_len", "Auth Data Len", TypeUint8)
	fRIPSeqNum        = field("rip.seq_num", "Seq num", TypeUint32)
	fRIPZeroPadding   = field("rip.zero_padding", "Zero adding", TypeString)
	fRIPAuthData      = field("rip.authentication_data", "Authentication Data", TypeBytes)
	fRIPUnknownFamily = field("rip.unknown_address_family", "Unknown address family", TypeNone)
	ripCommands       = map[uint64]string{1: "Request", 2: "Response", 3: "Traceon", 4: "Traceoff", 5: "Vendor specific (Sun)"}

	protoRIPng      = proto("ripng", "RIPng")
	fRIPngCmd       = enumField("ripng.cmd", "Command", TypeUint8, map[uint64]string{1: "Request", 2: "Response"})
	fRIPngVersion   = field("ripng.version", "Version", TypeUint8)
	fRIPngReserved  = field("ripng.reserved", "Reserved", TypeBytes)
	fRIPngRTE       = field("ripng.rte", "Route Table Entry", TypeNone)
	fRIPngPrefix    = field("ripng.rte.ipv6_prefix", "IPv6 Prefix", TypeIPv6)
	fRIPngRouteTag  = field("ripng.rte.route_tag", "Route Tag", TypeUint16)
	fRIPngPrefixLen = field("ripng.rte.prefix_length", "Prefix Length", TypeUint8)
	fRIPngMetric    = field("ripng.rte.metric", "Metric", TypeUint8)
	ripEntryLen     = 20
)

// RIPv2's authentication entry: its family, and the types of RFC 2453 and
// RFC 4822.
const (
	ripAuthFamily     = 0xffff
	ripAuthKeyedMD5   = 3
	ripAuthSimplePass = 2
)

func init() {
	UDPPorts.Register(520, dissectRIP)
	UDPPorts.Register(521, dissectRIPng)
	registerText(protoRIP, textRIP)
	registerText(protoRIPng, textRIPng)
	malformedNames[protoRIP] = "RIP"
	malformedNames[protoRIPng] = "RIPng"
	expert(fRIPUnknownFamily, expertInfo{severity: SeverityWarning, group: GroupProtocol, protocol: "RIP",
		summary: func(t *Tree, l, n int, b []byte) []byte {
			return strconv.AppendUint(append(b, "Unknown address family "...), t.Nodes[n].Val, 10)
		}})
}

// runOut ends layer l, of protocol p, whose dissection needs the bytes up
// to need of a message that ends at end, as tshark ends it: bytes the
// message holds but the capture lacks are missing (Truncated); bytes past
// the message are an error (Malformed), or, when the UDP length promised
// them and the IP datagram did not carry them or the datagram is a first
// fragment, an unreassembled fragment.
func runOut(t *Tree, l int, p FieldID, need, end int) {
	if need <= end {
		t.Mark(l, Truncated)
		return
	}
	if u := t.Below(l, protoUDP); u >= 0 && (int(t.Nodes[u].Off)+int(t.Nodes[u].Val) > end || udpFragment(t, u)) {
		// The item's layer ends the hierarchy with nothing after it.
		ul := t.AddLayer(protoUnreassembled, int(t.Nodes[l].Off), 0)
		t.Add(ul, fUnreassembledExpert, int(t.Nodes[l].Off), 0, uint64(p))
		return
	}
	t.Mark(l, Malformed)
}

func dissectRIP(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoRIP, off, end, 4)
	if !ok {
		runOut(t, l, protoRIP, off+4, end)
		return
	}
	lim := off + n
	t.Add(l, fRIPCommand, off, 1, t.U8(off))
	ver := t.U8(off + 1)
	t.Add(l, fRIPVersion, off+1, 1, ver)
	if ver == 2 {
		t.Add(l, fRIPDomain, off+2, 2, t.U16(off+2))
	}
	stop := end
	for o, first := off+4, true; o < stop; o, first = o+ripEntryLen, false {
		if o+2 > lim {
			runOut(t, l, protoRIP, o+2, end)
			return
		}
		fam := t.U16(o)
		if ver == 2 && first && fam == ripAuthFamily {
			if o+4 > lim {
				runOut(t, l, protoRIP, o+4, end)
				return
			}
			typ := t.U16(o + 2)
			t.Add(l, fRIPAuthType, o+2, 2, typ)
			if o+ripEntryLen > lim {
				runOut(t, l, protoRIP, o+ripEntryLen, end)
				return
			}
			switch typ {
			case ripAuthSimplePass:
				t.AddBytes(l, fRIPPassword, o+4, 16)
			case ripAuthKeyedMD5:
				dig := int(t.U16(o + 4))
				t.Add(l, fRIPDigestOffset, o+4, 2, uint64(dig))
				t.Add(l, fRIPKeyID, o+6, 1, t.U8(o+6))
				t.Add(l, fRIPAuthDataLen, o+7, 1, t.U8(o+7))
				t.Add(l, fRIPSeqNum, o+8, 4, t.U32(o+8))
				t.AddBytes(l, fRIPZeroPadding, o+12, 8)
				// The trailer: a family and a type, then the digest.
				tr := off + dig + 4
				if tr+16 > lim {
					runOut(t, l, protoRIP, tr+16, end)
					return
				}
				t.AddBytes(l, fRIPAuthData, tr, 16)
				stop = end - ripEntryLen
			}
			continue
		}
		if fam != 0 && fam != 2 {
			u := t.Add(l, fRIPUnknownFamily, o, 2, fam)
			t.Nodes[u].Flags |= Generated
			if o+ripEntryLen > lim {
				runOut(t, l, protoRIP, o+ripEntryLen, end)
			}
			return
		}
		if o+ripEntryLen > lim {
			runOut(t, l, protoRIP, o+ripEntryLen, end)
			return
		}
		t.Add(l, fRIPFamily, o, 2, fam)
		if ver == 2 {
			t.Add(l, fRIPRouteTag, o+2, 2, t.U16(o+2))
		}
		if fam != 0 {
			t.AddBytes(l, fRIPIP, o+4, 4)
		}
		if ver == 2 {
			t.AddBytes(l, fRIPNetmask, o+8, 4)
			t.AddBytes(l, fRIPNextHop, o+12, 4)
		}
		t.Add(l, fRIPMetric, o+18, 2, t.U16(o+18))
	}
}

// textRIP prints tcpdump's line, "RIPv2, Response, length: 24".
func textRIP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	ver, ok := t.Value(n, fRIPVersion)
	if !ok {
		p.b = append(p.b, " [|rip]"...)
		return
	}
	cmd, _ := t.Value(n, fRIPCommand)
	p.b = append(p.b, "RIPv"...)
	p.b = strconv.AppendUint(p.b, ver, 10)
	p.b = append(p.b, ", "...)
	if s, ok := ripCommands[cmd]; ok && cmd <= 2 {
		p.b = append(p.b, s...)
	} else {
		p.b = append(p.b, "unknown command ("...)
		p.b = strconv.AppendUint(p.b, cmd, 10)
		p.b = append(p.b, ')')
	}
	p.b = append(p.b, ", length: "...)
	p.b = strconv.AppendInt(p.b, int64(t.Nodes[n].Len), 10)
}

func dissectRIPng(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoRIPng, off, end, 4)
	if !ok {
		runOut(t, l, protoRIPng, off+4, end)
		return
	}
	lim := off + n
	t.Add(l, fRIPngCmd, off, 1, t.U8(off))
	t.Add(l, fRIPngVersion, off+1, 1, t.U8(off+1))
	t.AddBytes(l, fRIPngReserved, off+2, 2)
	for o := off + 4; o < end; o += ripEntryLen {
		r := t.Add(l, fRIPngRTE, o, ripEntryLen, 0)
		if o+ripEntryLen > lim {
			runOut(t, l, protoRIPng, o+ripEntryLen, end)
			return
		}
		t.AddBytes(r, fRIPngPrefix, o, 16)
		t.Add(r, fRIPngRouteTag, o+16, 2, t.U16(o+16))
		t.Add(r, fRIPngPrefixLen, o+18, 1, t.U8(o+18))
		t.Add(r, fRIPngMetric, o+19, 1, t.U8(o+19))
	}
}

// textRIPng prints what tcpdump prints of a RIPng message of a version it
// does not know, " [vers 48]", and " (invalid)" when its entries were not
// captured whole. Version 1 messages fall back to UDP's line.
func textRIPng(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	ver, ok := t.Value(n, fRIPngVersion)
	if !ok {
		p.b = append(p.b, " [|ripng]"...)
		return
	}
	if ver == 1 {
		p.b = append(p.b, "UDP, length "...)
		p.b = strconv.AppendInt(p.b, int64(t.Nodes[n].Len), 10)
		return
	}
	p.b = append(p.b, " [vers "...)
	p.b = strconv.AppendUint(p.b, ver, 10)
	p.b = append(p.b, ']')
	if t.Nodes[n].Flags&(Truncated|Malformed) != 0 {
		p.b = append(p.b, " (invalid)"...)
	}
}
