package decode

import (
	"strconv"

	"github.com/sockscope/sockscope/decode/wire"
)

// ICMPv6 (RFC 4443): errors quoting the offending packet, echo, neighbor
// discovery (RFC 4861) with its options, multicast listener discovery v1
// and v2 (RFC 2710, RFC 3810), router renumbering (RFC 2894), node
// information queries (RFC 4620), home agent discovery and mobile prefix
// messages (RFC 6275). RPL control messages (type 155) are in rpl.go.
//
// The checksum covers the IPv6 pseudo-header, whose destination is the
// final one of a routing header (ipv6FinalDst); it is verified when the whole
// message was captured and no fragment header precedes it.

var (
	protoICMPv6       = proto("icmpv6", "Internet Control Message Protocol v6")
	fICMPv6Type       = enumField("icmpv6.type", "Type", TypeUint8, icmp6TypeNames)
	fICMPv6Code       = field("icmpv6.code", "Code", TypeUint8)
	fICMPv6Checksum   = register(Field{Name: "icmpv6.checksum", Title: "Checksum", Type: TypeUint16, Hex: true})
	fICMPv6CkStatus   = field("icmpv6.checksum.status", "Checksum Status", TypeUint8)
	fICMPv6CkCalc     = register(Field{Name: "icmpv6.checksum_calculated", Title: "Calculated Checksum", Type: TypeUint16, Hex: true})
	fICMPv6Reserved   = field("icmpv6.reserved", "Reserved", TypeBytes)
	fICMPv6Data       = field("icmpv6.data", "Data", TypeBytes)
	fICMPv6MTU        = field("icmpv6.mtu", "MTU", TypeUint32)
	fICMPv6Pointer    = field("icmpv6.pointer", "Pointer", TypeUint32)
	fICMPv6EchoID     = register(Field{Name: "icmpv6.echo.identifier", Title: "Identifier", Type: TypeUint16, Hex: true})
	fICMPv6EchoSeq    = field("icmpv6.echo.sequence_number", "Sequence", TypeUint16)
	fICMPv6RAHopLimit = field("icmpv6.nd.ra.cur_hop_limit", "Cur hop limit", TypeUint8)
	fICMPv6RAFlag     = register(Field{Name: "icmpv6.nd.ra.flag", Title: "Flags", Type: TypeUint8, Hex: true})
	fICMPv6RALifetime = field("icmpv6.nd.ra.router_lifetime", "Router lifetime (s)", TypeUint16)
	fICMPv6RAReach    = field("icmpv6.nd.ra.reachable_time", "Reachable time (ms)", TypeUint32)
	fICMPv6RARetrans  = field("icmpv6.nd.ra.retrans_timer", "Retrans timer (ms)", TypeUint32)
	fICMPv6NSTarget   = field("icmpv6.nd.ns.target_address", "Target Address", TypeIPv6)
	fICMPv6NAFlag     = register(Field{Name: "icmpv6.nd.na.flag", Title: "Flags", Type: TypeUint32, Hex: true})
	fICMPv6NATarget   = field("icmpv6.nd.na.target_address", "Target Address", TypeIPv6)
	fICMPv6RDTarget   = field("icmpv6.nd.rd.target_address", "Target Address", TypeIPv6)
	fICMPv6RDDest     = field("icmpv6.rd.na.destination_address", "Destination Address", TypeIPv6)
	fICMPv6Opt        = field("icmpv6.opt", "ICMPv6 Option", TypeNone)
	fICMPv6OptType    = field("icmpv6.opt.type", "Type", TypeUint8)
	fICMPv6OptLen     = field("icmpv6.opt.length", "Length", TypeUint8)
	fICMPv6MLDDelay   = field("icmpv6.mld.maximum_response_delay", "Maximum Response Delay [ms]", TypeUint16)
	fICMPv6MLDAddr    = field("icmpv6.mld.multicast_address", "Multicast Address", TypeIPv6)
	fICMPv6MLDRecords = field("icmpv6.mldr.nb_mcast_records", "Number of Multicast Address Records", TypeUint16)
	fICMPv6RRSeq      = field("icmpv6.rr.sequence_number", "Sequence Number", TypeUint32)
	fICMPv6NIQType    = field("icmpv6.ni.qtype", "Qtype", TypeUint16)
	fICMPv6NIFlag     = register(Field{Name: "icmpv6.ni.flag", Title: "Flags", Type: TypeUint16, Hex: true})
	fICMPv6MIP6ID     = field("icmpv6.mip6.identifier", "Identifier", TypeUint16)
	fICMPv6MIP6Flag   = register(Field{Name: "icmpv6.mip6.flag", Title: "Flags", Type: TypeUint16, Hex: true})
	fICMPv6NINonce    = register(Field{Name: "icmpv6.ni.nonce", Title: "Nonce", Type: TypeUint64, Hex: true})
)

// icmp6TypeNames are the names tcpdump prints for ICMPv6 types.
var icmp6TypeNames = map[uint64]string{
	1: "destination unreachable", 2: "packet too big", 3: "time exceeded", 4: "parameter problem",
	128: "echo request", 129: "echo reply", 130: "multicast listener query",
	131: "multicast listener report", 132: "multicast listener done",
	133: "router solicitation", 134: "router advertisement", 135: "neighbor solicitation",
	136: "neighbor advertisement", 137: "redirect", 138: "router renumbering",
	139: "who-are-you request", 140: "who-are-you reply",
	141: "inverse neighbor solicitation", 142: "inverse neighbor advertisement",
	143: "multicast listener report v2", 144: "ha discovery request", 145: "ha discovery reply",
	146: "mobile router solicitation", 147: "mobile router advertisement",
	155: "RPL", 200: "mtrace response", 201: "mtrace message",
}

// icmp6WordFields are the fields of the messages whose body starts with one
// 32-bit word, by type.
var icmp6WordFields = map[uint64]FieldID{2: fICMPv6MTU, 4: fICMPv6Pointer, 138: fICMPv6RRSeq}

// icmp6OptNames are the names of neighbor discovery options.
var icmp6OptNames = map[uint64]string{
	1: "source link-address", 2: "destination link-address", 3: "prefix info",
	4: "redirected header", 5: "mtu", 7: "advertisement interval",
	8: "homeagent information", 24: "route info", 25: "rdnss", 31: "dnssl",
}

// Checksum status values (Wireshark's).
const (
	icmp6CkBad        = 0
	icmp6CkGood       = 1
	icmp6CkUnverified = 2
)

func init() {
	IPProtocols.Register(58, dissectICMPv6)
	registerText(protoICMPv6, textICMPv6)
}

// dissectICMPv6 reads an ICMPv6 message in [off, end).
func dissectICMPv6(t *Tree, off, end int) {
	n := t.Avail(off, end)
	l := t.AddLayer(protoICMPv6, off, end-off)
	if end <= off {
		// An empty message: tcpdump calls it invalid, not cut short.
		t.Mark(l, Malformed)
		return
	}
	var typ uint64
	if n >= 1 {
		typ = t.U8(off)
		t.Add(l, fICMPv6Type, off, 1, typ)
	}
	if n >= 2 {
		t.Add(l, fICMPv6Code, off+1, 1, t.U8(off+1))
	}
	if n < 4 {
		// Too short for its header. Whether tcpdump gave up on the packet
		// (for where -x dumps start) is the text's to say: icmp6MarkCut.
		t.Mark(l, Malformed)
		return
	}
	ck := t.U16(off + 2)
	c := t.Add(l, fICMPv6Checksum, off+2, 2, ck)
	icmp6Checksum(t, l, c, off, end, ck)
	body := off + 4
	switch typ {
	case 1, 3:
		if n >= 8 {
			t.AddBytes(l, fICMPv6Reserved, body, 4)
		}
	case 2, 4, 138:
		if n >= 8 {
			t.Add(l, icmp6WordFields[typ], body, 4, t.U32(body))
		}
	case 128, 129:
		if n >= 8 {
			t.Add(l, fICMPv6EchoID, body, 2, t.U16(body))
			t.Add(l, fICMPv6EchoSeq, body+2, 2, t.U16(body+2))
		}
		if t.Avail(off+8, end) > 0 {
			DissectData(t, off+8, end) // an echo's bytes are data, as Wireshark has them
		}
		return
	case 130, 131, 132:
		if n >= 24 {
			t.Add(l, fICMPv6MLDDelay, body, 2, t.U16(body))
			t.AddBytes(l, fICMPv6Reserved, body+2, 2)
			t.AddBytes(l, fICMPv6MLDAddr, off+8, 16)
		}
	case 143:
		if n >= 8 {
			t.AddBytes(l, fICMPv6Reserved, body, 2)
			t.Add(l, fICMPv6MLDRecords, off+6, 2, t.U16(off+6))
		}
	case 133:
		if n >= 8 {
			t.AddBytes(l, fICMPv6Reserved, body, 4)
		}
		icmp6Options(t, l, off+8, end)
	case 134:
		if n >= 16 {
			t.Add(l, fICMPv6RAHopLimit, body, 1, t.U8(body))
			t.Add(l, fICMPv6RAFlag, body+1, 1, t.U8(body+1))
			t.Add(l, fICMPv6RALifetime, body+2, 2, t.U16(body+2))
			t.Add(l, fICMPv6RAReach, body+4, 4, t.U32(body+4))
			t.Add(l, fICMPv6RARetrans, body+8, 4, t.U32(body+8))
			icmp6Options(t, l, off+16, end)
		}
	case 135:
		if n >= 24 {
			t.AddBytes(l, fICMPv6Reserved, body, 4)
			t.AddBytes(l, fICMPv6NSTarget, off+8, 16)
			icmp6Options(t, l, off+24, end)
		}
	case 136:
		if n >= 24 {
			t.Add(l, fICMPv6NAFlag, body, 4, t.U32(body))
			t.AddBytes(l, fICMPv6NATarget, off+8, 16)
			icmp6Options(t, l, off+24, end)
		}
	case 137:
		if n >= 40 {
			t.AddBytes(l, fICMPv6RDTarget, off+8, 16)
			t.AddBytes(l, fICMPv6RDDest, off+24, 16)
			icmp6Options(t, l, off+40, end)
		}
	case 139, 140:
		if n >= 16 {
			t.Add(l, fICMPv6NIQType, body, 2, t.U16(body))
			t.Add(l, fICMPv6NIFlag, body+2, 2, t.U16(body+2))
			t.Add(l, fICMPv6NINonce, off+8, 8, t.U64(off+8))
		}
	case 146, 147:
		// Mobile prefix solicitation and advertisement (RFC 6275 6.7,
		// 6.8): an identifier, then reserved bits or the M and O flags;
		// an advertisement's prefix options follow.
		if n >= 6 {
			t.Add(l, fICMPv6MIP6ID, body, 2, t.U16(body))
		}
		if n < 8 {
			if end-off >= 8 {
				t.Mark(l, Truncated)
			} else {
				t.Mark(l, Malformed)
			}
			return
		}
		if typ == 146 {
			t.AddBytes(l, fICMPv6Reserved, body+2, 2)
			return
		}
		t.Add(l, fICMPv6MIP6Flag, body+2, 2, t.U16(body+2))
		icmp6Options(t, l, off+8, end)
		return
	case 155:
		rplDissect(t, l, off, end)
		return
	}
	if typ >= 1 && typ <= 4 && n > 8 {
		// The packet that caused the error, as far as it is quoted.
		t.Call(dissectIPv6, off+8, end)
		return
	}
	// Wireshark reads the bodies of the types it knows; it leaves as
	// icmpv6.data only those of types it does not.
	if _, known := icmp6TypeNames[typ]; !known && n > 4 && t.Find(l, fICMPv6Opt) < 0 {
		t.AddBytes(l, fICMPv6Data, body, n-4)
	}
}

// icmp6Options adds the neighbor discovery options in [off, end), as far
// as they were captured and are well formed.
func icmp6Options(t *Tree, l, off, end int) {
	if end > len(t.Data) {
		end = len(t.Data)
	}
	for off+2 <= end {
		ol := int(t.U8(off+1)) * 8
		if ol == 0 {
			return
		}
		o := t.Add(l, fICMPv6Opt, off, ol, 0)
		t.Add(o, fICMPv6OptType, off, 1, t.U8(off))
		t.Add(o, fICMPv6OptLen, off+1, 1, t.U8(off+1))
		off += ol
	}
}

// icmp6Checksum verifies the checksum ck of the message [off, end) under
// the pseudo-header of the IPv6 layer below.
func icmp6Checksum(t *Tree, l, c, off, end int, ck uint64) {
	ip := t.Below(l, protoIPv6)
	// tshark leaves a quoted message's checksum (in an ICMPv6 error) unverified.
	if ip < 0 || end > len(t.Data) || end < off+4 || t.Below(l, protoICMPv6) >= 0 {
		t.Add(c, fICMPv6CkStatus, off+2, 2, icmp6CkUnverified)
		return
	}
	for _, ln := range t.Layers {
		if int(ln) > ip && int(ln) < l && t.Nodes[ln].Field == fIPv6FragHdr && !ipReassembled(t, ip) {
			t.Add(c, fICMPv6CkStatus, off+2, 2, icmp6CkUnverified)
			return
		}
	}
	sum, ok := pseudoHeaderSum(t, ip, l, 58, end-off)
	if !ok {
		t.Add(c, fICMPv6CkStatus, off+2, 2, icmp6CkUnverified)
		return
	}
	sum = wire.Sum(wire.Sum(sum, t.Data[off:off+2]), t.Data[off+4:end])
	want := uint64(wire.Fold(sum))
	cal := t.Add(c, fICMPv6CkCalc, off+2, 2, want)
	t.Nodes[cal].Flags |= Generated
	if want == ck {
		t.Add(c, fICMPv6CkStatus, off+2, 2, icmp6CkGood)
		return
	}
	st := t.Add(c, fICMPv6CkStatus, off+2, 2, icmp6CkBad)
	t.Mark(st, Malformed)
}

// icmp6View is what a text function of an ICMPv6 message reads: the layer's
// node, the message's bytes as captured and its length by the layer below.
type icmp6View struct {
	p    *Printer
	n    int
	off  int
	data []byte // captured bytes of the message
	len  int    // the message's length
	// soft: the "[|icmp6]" printed is tcpdump's own remark, not where it
	// gave up on the packet.
	soft bool
	// mark is what trunc prints: " [|icmp6]", or the mark of another
	// protocol read through the view (" [|mobility]").
	mark string
}

// has reports whether the message's bytes [i, i+k) were captured.
func (m *icmp6View) has(i, k int) bool { return i >= 0 && k >= 0 && i+k <= len(m.data) }

func (m *icmp6View) u8(i int) uint64  { return uint64(m.data[i]) }
func (m *icmp6View) u16(i int) uint64 { return uint64(m.data[i])<<8 | uint64(m.data[i+1]) }
func (m *icmp6View) u32(i int) uint64 { return m.u16(i)<<16 | m.u16(i+2) }

func (m *icmp6View) str(s string)           { m.p.b = append(m.p.b, s...) }
func (m *icmp6View) num(v uint64)           { m.p.b = strconv.AppendUint(m.p.b, v, 10) }
func (m *icmp6View) addr6(i int)            { m.p.b = appendIPv6(m.p.b, m.data[i:i+16]) }
func (m *icmp6View) hex(v uint64)           { m.p.b = strconv.AppendUint(m.p.b, v, 16) }
func (m *icmp6View) trunc()                 { m.str(m.mark) }
func (m *icmp6View) verbose() int           { return m.p.opt.Verbose }
func (m *icmp6View) hexPad(v uint64, w int) { m.p.b = appendHexPad(m.p.b, v, w) }
func (m *icmp6View) length()                { m.str(", length "); m.num(uint64(m.len)) }

// cut reports whether the message's bytes [i, i+k) were not captured, after
// printing the truncation mark when they were not.
func (m *icmp6View) cut(i, k int) bool {
	if m.has(i, k) {
		return false
	}
	m.trunc()
	return true
}

// icmp6Flag names a bit of a flags field.
type icmp6Flag struct {
	bit  uint64
	name string
}

// The flags tcpdump names in ICMPv6 and mobility messages.
var (
	icmp6RAFlags     = []icmp6Flag{{0x80, "managed"}, {0x40, "other stateful"}, {0x20, "home agent"}, {0x02, "ipv6 only"}}
	icmp6NAFlags     = []icmp6Flag{{0x80, "router"}, {0x40, "solicited"}, {0x20, "override"}}
	icmp6PrefixFlags = []icmp6Flag{{0x80, "onlink"}, {0x40, "auto"}, {0x20, "router"}}
	icmp6RRFlags     = []icmp6Flag{{0x80, "T"}, {0x40, "R"}, {0x20, "A"}, {0x10, "S"}, {0x08, "P"}}
	icmp6NIFlagNames = []icmp6Flag{{0x20, "G"}, {0x10, "S"}, {0x08, "L"}, {0x04, "C"}, {0x02, "A"}, {0x01, "T"}}
	icmp6MRAFlags    = []icmp6Flag{{0x80, "M"}, {0x40, "O"}}
)

// icmp6Flags prints the names of the bits of f that are set, separated by
// sep, and reports whether it printed any.
func icmp6Flags(m *icmp6View, f uint64, flags []icmp6Flag, sep string) bool {
	any := false
	for _, fl := range flags {
		if f&fl.bit != 0 {
			if any {
				m.str(sep)
			}
			m.str(fl.name)
			any = true
		}
	}
	return any
}

// icmp6FlagList prints ", Flags [a, b]" for the bits of f, "[none]" for none.
func icmp6FlagList(m *icmp6View, f uint64, flags []icmp6Flag) {
	m.str(", Flags [")
	if !icmp6Flags(m, f, flags, ", ") {
		m.str("none")
	}
	m.str("]")
}

// textICMPv6 prints "[icmp6 sum ok] ICMP6, " (the checksum with -v) and
// the message.
func textICMPv6(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off := int(t.Nodes[n].Off)
	ln := int(t.Nodes[n].Len)
	if ln < 0 {
		ln = 0
	}
	data := t.Data[min(off, len(t.Data)):min(off+ln, len(t.Data))]
	m := &icmp6View{p: p, n: n, off: off, data: data, len: ln, mark: " [|icmp6]"}
	if p.opt.Verbose > 0 {
		// tcpdump -v reads the checksum of a whole message first.
		if len(data) == ln && ln > 0 && ln < 4 {
			m.trunc()
			icmp6MarkCut(p)
			return
		}
		if st, ok := t.Value(n, fICMPv6CkStatus); ok && st != icmp6CkUnverified {
			if st == icmp6CkGood {
				m.str("[icmp6 sum ok] ")
			} else {
				ck, _ := t.Value(n, fICMPv6Checksum)
				cal, _ := t.Value(n, fICMPv6CkCalc)
				m.str("[bad icmp6 cksum 0x")
				m.hexPad(ck, 4)
				m.str(" -> 0x")
				m.hexPad(cal, 4)
				m.str("!] ")
			}
		}
	}
	if t.Below(n, protoIP) > t.Below(n, protoIPv6) {
		m.str("[ICMPv6 requires IPv6] (invalid)")
		return
	}
	if m.len != 0 && len(data) == 0 {
		m.trunc()
		icmp6MarkCut(p)
		return
	}
	m.str("ICMP6, ")
	if m.len == 0 {
		m.str("length 0 (invalid)")
		return
	}
	typ := m.u8(0)
	if !icmp6Body(m, typ) {
		if !m.soft {
			icmp6MarkCut(p)
		}
		return
	}
	if p.opt.Verbose == 0 {
		m.str(", length ")
		m.num(uint64(m.len))
	}
}

// icmp6MarkCut notes, when the text ended in "[|icmp6]", that
// tcpdump gives up on the packet there: a single -x, -X or -A then dumps it
// from its first byte.
func icmp6MarkCut(p *Printer) {
	const cut = "[|icmp6]"
	if len(p.b) >= len(cut) && string(p.b[len(p.b)-len(cut):]) == cut {
		p.abandon()
	}
}

// icmp6Body prints the message of type typ after "ICMP6, ", and reports
// whether tcpdump's ", length N" (without -v) follows it.
func icmp6Body(m *icmp6View, typ uint64) bool {
	name, known := icmp6TypeNames[typ]
	if known {
		m.str(name)
	} else {
		m.str("unknown icmp6 type (")
		m.num(typ)
		m.str(")")
	}
	if m.cut(0, 2) {
		return false
	}
	if !known || typ == 200 || typ == 201 {
		m.length()
		icmp6TypeDump(m)
		return false
	}
	code := m.u8(1)
	switch typ {
	case 1:
		switch code {
		case 0, 1, 2, 3:
			m.str(icmp6Unreachables[code])
			if m.cut(8, 40) {
				return false
			}
			m.str(" ")
			m.addr6(8 + 24)
			if code == 2 {
				m.str(", source address ")
				m.addr6(8 + 8)
			}
		case 4:
			m.str(", unreachable port")
			if !icmp6QuotedPort(m, 8) {
				m.trunc()
				m.soft = true
				return false
			}
		default:
			m.str(", unknown unreach code (")
			m.num(code)
			m.str(")")
			icmp6TypeDump(m)
			return false
		}
	case 2:
		if m.cut(4, 4) {
			return false
		}
		m.str(", mtu ")
		m.num(m.u32(4))
	case 3:
		switch code {
		case 0:
			m.str(" in-transit")
			if m.cut(8, 40) {
				return false
			}
			m.str(" for ")
			m.addr6(8 + 24)
		case 1:
			m.str(" in-transit (reassembly)")
		default:
			m.str(" in-transit, unknown code (")
			m.num(code)
			m.str(")")
		}
	case 4:
		if m.cut(4, 44) {
			m.soft = true
			return false
		}
		if code > 3 {
			m.str(", code-#")
			m.num(code)
			break
		}
		m.str(icmp6ParamProblems[code])
		m.num(m.u32(4))
	case 128, 129:
		if m.cut(4, 4) {
			return false
		}
		m.str(", id ")
		m.num(m.u16(4))
		m.str(", seq ")
		m.num(m.u16(6))
	case 130:
		switch {
		case m.len == 24:
			return icmp6MLD(m)
		case m.len >= 28:
			return icmp6MLDv2Query(m)
		default:
			m.str(" unknown-version (len ")
			m.num(uint64(m.len))
			m.str(") ")
		}
	case 131, 132:
		return icmp6MLD(m)
	case 133:
		if m.verbose() > 0 {
			m.length()
			return icmp6NDOptions(m, 8)
		}
	case 134:
		if m.verbose() > 0 {
			m.length()
			if !m.has(4, 12) {
				m.str("\n\t")
				m.trunc()
				return false
			}
			icmp6RAHeader(m)
			return icmp6NDOptions(m, 16)
		}
	case 135, 136, 137:
		return icmp6NDTarget(m, typ)
	case 138:
		return icmp6RR(m)
	case 139, 140:
		return icmp6NodeInfo(m, typ)
	case 143:
		return icmp6MLDv2Report(m)
	case 144, 146:
		return icmp6HomeAgentID(m)
	case 145:
		m.length()
		if m.verbose() > 0 {
			if !icmp6HomeAgentID(m) {
				return false
			}
			for i := 8; i < m.len; i += 16 {
				if m.cut(i, 16) {
					return false
				}
				m.str(", ")
				m.addr6(i)
			}
		}
		return false
	case 147:
		m.length()
		if m.verbose() == 0 || !icmp6HomeAgentID(m) || m.cut(6, 1) {
			return false
		}
		if f := m.u8(6); f&0xc0 != 0 {
			m.str(" ")
			icmp6Flags(m, f, icmp6MRAFlags, "")
		}
		icmp6NDOptions(m, 8)
		return false
	case 155:
		return rplText(m)
	}
	return true
}

// icmp6Unreachables are the texts of destination unreachable codes 0 to 3.
var icmp6Unreachables = [4]string{
	", unreachable route", ",  unreachable prohibited", ", beyond scope", ", unreachable address",
}

// icmp6ParamProblems are the texts of the parameter problem codes, before
// the pointer.
var icmp6ParamProblems = [4]string{
	", erroneous - octet ", ", next header - octet ", ", option - octet ", ", incomplete header chain - octet ",
}

// icmp6HomeAgentID prints a home agent discovery or mobile prefix message's
// ", id 0x...", and reports whether it was captured.
func icmp6HomeAgentID(m *icmp6View) bool {
	if m.cut(4, 2) {
		return false
	}
	m.str(", id 0x")
	m.hexPad(m.u16(4), 4)
	return true
}

// icmp6NDTarget prints a neighbor solicitation (135), advertisement (136) or
// redirect (137): its addresses and, with -v, its length, its flags and its
// options.
func icmp6NDTarget(m *icmp6View, typ uint64) bool {
	v := m.verbose() > 0
	if v {
		m.length()
	}
	addrs := 16
	if typ == 137 {
		addrs = 32
	}
	if m.cut(8, addrs) {
		return false
	}
	switch typ {
	case 135:
		m.str(", who has ")
		m.addr6(8)
	case 136:
		m.str(", tgt is ")
		m.addr6(8)
		if v {
			icmp6FlagList(m, m.u8(4), icmp6NAFlags)
		}
	case 137:
		m.str(", ")
		m.addr6(24)
		m.str(" to ")
		m.addr6(8)
	}
	if v {
		return icmp6NDOptions(m, 8+addrs)
	}
	return true
}

// icmp6TypeDump prints the message in hexadecimal as tcpdump does after an
// unknown type or code (not with -vv and more).
func icmp6TypeDump(m *icmp6View) {
	if m.verbose() > 1 {
		return
	}
	n := m.len
	if n > len(m.data) {
		n = len(m.data)
	}
	m.p.b = icmp6HexDump(m.p.b, "\n\t", m.data[:n])
}

// icmp6HexDump appends data as tcpdump's hex dump rows of 16 bytes, each
// after prefix: "0x0000:  0102 0304 ...".
func icmp6HexDump(b []byte, prefix string, data []byte) []byte {
	for i := 0; i < len(data); i += 16 {
		b = append(b, prefix...)
		b = append(b, "0x"...)
		b = appendHexPad(b, uint64(i), 4)
		b = append(b, ": "...)
		for j := i; j < i+16 && j < len(data); j++ {
			if (j-i)%2 == 0 {
				b = append(b, ' ')
			}
			b = appendHexPad(b, uint64(data[j]), 2)
		}
	}
	return b
}

// icmp6QuotedPort prints ", dst udp port N" (or tcp) from the packet quoted
// at i, and reports whether it found the port.
func icmp6QuotedPort(m *icmp6View, i int) bool {
	if !m.has(i, 40) {
		return false
	}
	dst := i + 24
	nh := m.u8(i + 6)
	o := i + 40
	for {
		switch nh {
		case 0, 60, 43:
			if !m.has(o, 2) {
				return false
			}
			nh, o = m.u8(o), o+int(m.u8(o+1))*8+8
			continue
		case 44:
			if !m.has(o, 8) {
				return false
			}
			if m.u16(o+2)&0xfff8 != 0 {
				return false
			}
			nh, o = m.u8(o), o+8
			continue
		case 6, 17:
			if !m.has(o, 4) {
				return false
			}
			m.str(", ")
			m.addr6(dst)
			if nh == 6 {
				m.str(" tcp port ")
			} else {
				m.str(" udp port ")
			}
			m.num(m.u16(o + 2))
			return true
		}
		return false
	}
}

// icmp6MLD prints an MLDv1 message's "max resp delay: N addr: A".
func icmp6MLD(m *icmp6View) bool {
	if m.len < 24 || !m.has(4, 20) {
		return true
	}
	m.str("max resp delay: ")
	m.num(m.u16(4))
	m.str(" addr: ")
	m.addr6(8)
	return true
}

// icmp6MLDCode is an MLDv2 maximum response code's value (RFC 3810 5.1.3).
func icmp6MLDCode(c uint64) uint64 {
	if c < 0x8000 {
		return c
	}
	return (c&0xfff | 0x1000) << ((c>>12)&7 + 3)
}

// icmp6MLDv2Query prints an MLDv2 query.
func icmp6MLDv2Query(m *icmp6View) bool {
	m.str(" v2")
	v := m.verbose()
	if v > 0 {
		if m.cut(4, 2) {
			return false
		}
		m.str(" [max resp delay=")
		m.num(icmp6MLDCode(m.u16(4)))
		m.str("]")
	}
	if m.cut(4, 24) {
		return false
	}
	m.str(" [gaddr ")
	m.addr6(8)
	if v > 0 {
		if m.u8(24)&0x08 != 0 {
			m.str(" sflag")
		}
		if r := m.u8(24) & 7; r != 0 {
			m.str(" robustness=")
			m.num(r)
		}
		q := m.u8(25)
		if q >= 0x80 {
			q = (q&0x0f | 0x10) << ((q>>4)&7 + 3)
		}
		m.str(" qqi=")
		m.num(q)
	}
	ns := m.u16(26)
	if 28+16*int(ns) > m.len {
		m.str(" [invalid number of sources]]")
		return true
	}
	if ns > 0 {
		if v > 1 {
			m.str(" {")
			for i := 0; i < int(ns); i++ {
				if m.cut(28+16*i, 16) {
					return false
				}
				m.str(" ")
				m.addr6(28 + 16*i)
			}
			m.str(" }")
		} else {
			m.str(", ")
			m.num(ns)
			m.str(" source(s)")
		}
	}
	m.str("]")
	return true
}

// icmp6MLDv2Report prints an MLDv2 report's records.
func icmp6MLDv2Report(m *icmp6View) bool {
	if m.cut(6, 2) {
		return false
	}
	ng := m.u16(6)
	m.str(", ")
	m.num(ng)
	m.str(" group record(s)")
	v := m.verbose()
	if v == 0 {
		return true
	}
	o := 8
	for g := 0; g < int(ng); g++ {
		if o+20 > m.len {
			m.str(" [invalid number of groups]")
			return true
		}
		if m.cut(o, 20) {
			return false
		}
		m.str(" [gaddr ")
		m.addr6(o + 4)
		switch rt := m.u8(o); rt {
		case 1:
			m.str(" is_in")
		case 2:
			m.str(" is_ex")
		case 3:
			m.str(" to_in")
		case 4:
			m.str(" to_ex")
		case 5:
			m.str(" allow")
		case 6:
			m.str(" block")
		default:
			m.str("  [v2-report-#")
			m.num(rt)
			m.str("]")
		}
		ns := int(m.u16(o + 2))
		aux := int(m.u8(o+1)) * 4
		if o+20+16*ns > m.len {
			m.str(" [invalid number of sources ")
			m.num(uint64(ns))
			m.str("]")
			return true
		}
		if v == 1 {
			m.str(", ")
			m.num(uint64(ns))
			m.str(" source(s)]")
		} else {
			m.str(" {")
			for i := 0; i < ns; i++ {
				if m.cut(o+20+16*i, 16) {
					return false
				}
				m.str(" ")
				m.addr6(o + 20 + 16*i)
			}
			m.str(" }]")
		}
		o += 20 + 16*ns + aux
	}
	return true
}

// icmp6RAHeader prints a router advertisement's second line.
func icmp6RAHeader(m *icmp6View) {
	m.str("\n\thop limit ")
	m.num(m.u8(4))
	f := m.u8(5)
	icmp6FlagList(m, f, icmp6RAFlags)
	m.str(", pref ")
	m.str(icmp6Pref(f >> 3 & 3))
	m.str(", router lifetime ")
	m.num(m.u16(6))
	m.str("s, reachable time ")
	m.num(m.u32(8))
	m.str("ms, retrans timer ")
	m.num(m.u32(12))
	m.str("ms")
}

// icmp6Pref names a router preference (RFC 4191).
func icmp6Pref(v uint64) string {
	switch v {
	case 0:
		return "medium"
	case 1:
		return "high"
	case 2:
		return "rsv"
	}
	return "low"
}

// icmp6Lifetime prints a lifetime in seconds, or "infinity".
func icmp6Lifetime(m *icmp6View, v uint64) {
	if v == 0xffffffff {
		m.str("infinity")
		return
	}
	m.num(v)
	m.str("s")
}

// icmp6NDOptions prints the neighbor discovery options from byte i, one a
// line, and reports whether the message ended well.
func icmp6NDOptions(m *icmp6View, i int) bool {
	start := i
	for i < m.len && i < len(m.data) {
		if m.cut(i, 2) {
			return false
		}
		typ, ol := m.u8(i), int(m.u8(i+1))*8
		if ol == 0 || !m.has(i, ol) {
			m.trunc()
			return false
		}
		name, ok := icmp6OptNames[typ]
		if !ok {
			name = "unknown"
		}
		m.str("\n\t  ")
		m.str(name)
		m.str(" option (")
		m.num(typ)
		m.str("), length ")
		m.num(uint64(ol))
		m.str(" (")
		m.num(uint64(ol / 8))
		m.str("): ")
		b := i + 2
		switch typ {
		case 1, 2:
			for j := b; j < i+ol; j++ {
				if j > b {
					m.str(":")
				}
				m.hexPad(m.u8(j), 2)
			}
		case 3:
			if m.cut(i, 32) {
				return false
			}
			m.addr6(i + 16)
			m.str("/")
			m.num(m.u8(b))
			if ol != 32 {
				m.str("badlen")
			}
			icmp6FlagList(m, m.u8(b+1), icmp6PrefixFlags)
			m.str(", valid time ")
			icmp6Lifetime(m, m.u32(i+4))
			m.str(", pref. time ")
			icmp6Lifetime(m, m.u32(i+8))
		case 4:
			n := ol
			if n > len(m.data)-start {
				n = len(m.data) - start
			}
			m.p.b = icmp6HexDump(m.p.b, "\n\t    ", m.data[start:start+n])
		case 5:
			m.str(" ")
			m.num(m.u32(i + 4))
			if ol != 8 {
				m.str("bad option length")
			}
		case 7:
			m.str(" ")
			m.num(m.u32(i + 4))
			m.str("ms")
		case 8:
			m.str(" preference ")
			m.num(m.u16(i + 4))
			m.str(", lifetime ")
			m.num(m.u16(i + 6))
		case 24:
			if ol > 24 {
				m.trunc()
				return false
			}
			m.str(" ")
			var a [16]byte
			copy(a[:], m.data[i+8:i+ol])
			m.p.b = appendIPv6(m.p.b, a[:])
			m.str("/")
			m.num(m.u8(b))
			m.str(", pref=")
			m.str(icmp6Pref(m.u8(b+1) >> 3 & 3))
			m.str(", lifetime=")
			icmp6Lifetime(m, m.u32(i+4))
		case 25:
			m.str(" lifetime ")
			m.num(m.u32(i + 4))
			m.str("s,")
			for j := i + 8; j+16 <= i+ol; j += 16 {
				m.str(" addr: ")
				m.addr6(j)
			}
		case 31:
			m.str(" lifetime ")
			m.num(m.u32(i + 4))
			m.str("s, domain(s):")
			icmp6DomainList(m, i+8, i+ol)
		default:
			if m.verbose() == 1 {
				// tcpdump -v dumps an unknown option and reads no further.
				m.p.b = icmp6HexDump(m.p.b, "\n\t  ", m.data[b:i+ol])
				return true
			}
		}
		if m.verbose() > 1 {
			m.p.b = icmp6HexDump(m.p.b, "\n\t    ", m.data[b:i+ol])
		}
		i += ol
	}
	return true
}

// icmp6DomainList prints the DNS names in [i, end) (RFC 8106), each with its
// final dot, until the padding.
func icmp6DomainList(m *icmp6View, i, end int) {
	for ok := true; ok && i < end && m.data[i] != 0; {
		m.str(" ")
		i, ok = icmp6Name(m, i, end)
	}
}

// icmp6Name prints the DNS name at i, each label followed by a dot, up to its
// zero length or end; it returns where it stopped, and false when a label
// passes end.
func icmp6Name(m *icmp6View, i, end int) (int, bool) {
	for i < end {
		n := int(m.data[i])
		i++
		if n == 0 {
			break
		}
		if i+n > end {
			return i, false
		}
		m.p.b = append(m.p.b, m.data[i:i+n]...)
		m.str(".")
		i += n
	}
	return i, true
}

// icmp6RR prints a router renumbering message (RFC 2894).
func icmp6RR(m *icmp6View) bool {
	if m.cut(0, 16) {
		return true
	}
	switch code := m.u8(1); code {
	case 0:
		m.str(", command")
	case 1:
		m.str(", result")
	case 255:
		m.str(", sequence number reset")
	default:
		m.str(", code-#")
		m.num(code)
	}
	if m.cut(4, 12) {
		return false
	}
	m.str(", seq=")
	m.num(m.u32(4))
	v := m.verbose()
	if v > 0 {
		m.str("[")
		f := m.u8(9)
		icmp6Flags(m, f, icmp6RRFlags, "")
		if f != 0 {
			m.str(",")
		}
		m.str("seg=")
		m.num(m.u8(8))
		m.str(",maxdelay=")
		m.num(m.u16(10))
		if r := m.u32(12); r != 0 {
			m.str("rsvd=0x")
			m.hex(r)
		}
		m.str("]")
	}
	if m.u8(1) != 0 {
		return true
	}
	sep := " "
	if v > 1 {
		sep = "\n\t"
	}
	i := 16
	for i < m.len {
		if m.cut(i, 24) {
			return true
		}
		oplen := int(m.u8(i+1)) * 8
		m.str(sep)
		m.str("match(")
		switch op := m.u8(i); op {
		case 1:
			m.str("add")
		case 2:
			m.str("change")
		case 3:
			m.str("setglobal")
		default:
			m.str("#")
			m.num(op)
		}
		if v > 0 {
			m.str(",ord=")
			m.num(m.u8(i + 2))
			m.str(",min=")
			m.num(m.u8(i + 4))
			m.str(",max=")
			m.num(m.u8(i + 5))
		}
		m.str(",")
		m.addr6(i + 8)
		m.str("/")
		m.num(m.u8(i + 3))
		m.str(")")
		if oplen < 24 {
			m.trunc()
			return true
		}
		for k, u := 0, i+24; k < (oplen-24)/32; k, u = k+1, u+32 {
			if !m.has(u, 32) || u+32 > m.len {
				m.trunc()
				return true
			}
			m.str(sep)
			m.str("use(")
			if f := m.u8(u + 12); f&0x80 != 0 {
				m.str("V,")
			}
			if f := m.u8(u + 12); f&0x40 != 0 {
				m.str("P,")
			}
			if v > 0 {
				m.str("mask=0x")
				m.hex(m.u8(u + 2))
				m.str(",raflags=0x")
				m.hex(m.u8(u + 3))
				icmp6RRTime(m, ",vltime=", m.u32(u+4))
				icmp6RRTime(m, ",pltime=", m.u32(u+8))
				m.str(",")
			}
			m.addr6(u + 16)
			m.str("/")
			m.num(m.u8(u))
			m.str("/")
			m.num(m.u8(u + 1))
			m.str(")")
		}
		i += oplen
	}
	return true
}

// icmp6RRTime prints label and a router renumbering lifetime, "infty" for
// all ones.
func icmp6RRTime(m *icmp6View, label string, v uint64) {
	m.str(label)
	if v == 0xffffffff {
		m.str("infty")
		return
	}
	m.num(v)
}

// icmp6NodeInfo prints a node information query or reply (RFC 4620).
func icmp6NodeInfo(m *icmp6View, typ uint64) bool {
	// A message too short for its header (not one cut by the capture)
	// still gets its length.
	if m.cut(4, 4) {
		return m.len < 16
	}
	// tcpdump wants the whole message captured.
	if typ == 139 {
		m.str(" node information query")
	} else if !m.has(0, m.len) {
		m.trunc()
		return true
	} else {
		m.str(" node information reply")
	}
	if m.cut(4, 12) {
		return m.len < 16
	}
	if m.cut(0, m.len) {
		return true
	}
	code := m.u8(1)
	qtype := m.u16(4)
	flags := m.u16(6)
	if typ == 139 {
		m.str(" (")
		switch qtype {
		case 0:
			m.str("noop)")
			return true
		case 1:
			m.str("supported qtypes")
			if flags&1 != 0 {
				m.str(" [C]")
			}
		case 2:
			m.str("DNS name")
		case 3:
			m.str("node addresses")
			icmp6NIFlags(m, flags)
		default:
			m.str("unknown")
		}
		if qtype == 2 && m.len == 16 {
			m.str(", 03 draft)")
			return true
		}
		if want := [3]int{16, -1, 4}; code < 3 && want[code] >= 0 && m.len-16 != want[code] {
			if m.verbose() > 0 {
				if qtype == 1 {
					m.str(", invalid len")
				} else {
					m.str(", invalid subject len")
				}
			}
			m.str(")")
			return true
		}
		switch code {
		case 0:
			if m.cut(16, 16) {
				return false
			}
			m.str(", subject=")
			m.addr6(16)
		case 1:
			m.str(", subject=DNS name, \"")
			icmp6NIName(m, 16, m.len)
			m.str("\"")
		case 2:
			if m.cut(16, 4) {
				return false
			}
			m.str(", subject=")
			m.p.b = appendIPv4(m.p.b, m.data[16:20])
		default:
			m.str(", unknown subject")
		}
		m.str(")")
		return true
	}
	m.str(" (")
	switch code {
	case 0:
		if m.verbose() > 0 {
			m.str("success, ")
		}
	case 1:
		m.str("refused)")
		return true
	case 2:
		m.str("unknown")
		if m.verbose() > 0 && m.len != 16 {
			m.str(", invalid length")
		}
		m.str(")")
		return true
	default:
		m.str(")")
		return true
	}
	switch qtype {
	case 0:
		m.str("noop")
		if m.len != 16 && m.verbose() > 0 {
			m.str(", invalid length")
		}
	case 1:
		m.str("supported qtypes")
		if flags&1 != 0 {
			m.str(" [C]")
		}
	case 2:
		m.str("DNS name")
		if m.has(16, 4) {
			m.str(", \"")
			icmp6NIName(m, 20, m.len)
			m.str("\" [TTL=")
			m.num(m.u32(16))
			m.str("]")
		}
		m.str(")")
		return true
	case 3:
		m.str("node addresses")
		for i := 16; i+20 <= m.len; i += 20 {
			if m.cut(i, 20) {
				return false
			}
			m.str(" ")
			m.addr6(i + 4)
			m.str("(")
			m.num(m.u32(i))
			m.str(")")
		}
		icmp6NIFlags(m, flags)
	default:
		m.str("unknown")
	}
	m.str(")")
	return true
}

// icmp6NIFlags prints a node addresses query's flags: " [GSLCAT]".
func icmp6NIFlags(m *icmp6View, f uint64) {
	if f&0x3f == 0 {
		return
	}
	m.str(" [")
	icmp6Flags(m, f, icmp6NIFlagNames, "")
	m.str("]")
}

// icmp6NIName prints the DNS names in [i, end) as dotted names.
func icmp6NIName(m *icmp6View, i, end int) {
	if end > len(m.data) {
		end = len(m.data)
	}
	for ok, first := true, true; ok && i < end; first = false {
		if !first {
			m.str(", ")
		}
		i, ok = icmp6Name(m, i, end)
	}
}
