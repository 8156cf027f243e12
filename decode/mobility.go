package decode

// The IPv6 mobility header (RFC 6275), next header 135 (and 62, which older
// implementations used): binding refresh request, home and care-of test
// (init), binding update, acknowledgement and error, with mobility options.

var (
	protoMIPv6     = proto("mipv6", "Mobile IPv6")
	fMIP6Proto     = field("mip6.proto", "Payload protocol", TypeUint8)
	fMIP6HLen      = field("mip6.hlen", "Header length", TypeUint8)
	fMIP6Type      = enumField("mip6.mhtype", "Mobility Header Type", TypeUint8, mip6TypeNames)
	fMIP6Reserved  = field("mip6.reserved", "Reserved", TypeUint8)
	fMIP6Csum      = register(Field{Name: "mip6.csum", Title: "Checksum", Type: TypeUint16, Hex: true})
	fMIP6BUSeq     = field("mip6.bu.seqnr", "Sequence number", TypeUint16)
	fMIP6BULife    = field("mip6.bu.lifetime", "Lifetime", TypeUint16)
	fMIP6BAStatus  = field("mip6.ba.status", "Status", TypeUint8)
	fMIP6BASeq     = field("mip6.ba.seqnr", "Sequence number", TypeUint16)
	fMIP6BALife    = field("mip6.ba.lifetime", "Lifetime", TypeUint16)
	fMIP6BEStatus  = field("mip6.be.status", "Status", TypeUint8)
	fMIP6BEHAddr   = field("mip6.be.haddr", "Home Address", TypeIPv6)
	fMIP6HoTNIndex = field("mip6.hot.nindex", "Home Nonce Index", TypeUint16)
	fMIP6CoTNIndex = field("mip6.cot.nindex", "Care-of Nonce Index", TypeUint16)
	fMIP6Opt       = field("mip6.mobility_opt", "Mobility Options", TypeUint8)
	fMIP6OptLen    = field("mip6.mobility_opt.len", "Length", TypeUint8)
)

// mip6TypeNames are the names tcpdump prints for mobility header types.
var mip6TypeNames = map[uint64]string{
	0: "BRR", 1: "HoTI", 2: "CoTI", 3: "HoT", 4: "CoT", 5: "BU", 6: "BA", 7: "BE",
}

func init() {
	IPProtocols.Register(135, dissectMobility)
	IPProtocols.Register(62, dissectMobility)
	registerText(protoMIPv6, textMobility)
}

// dissectMobility reads a mobility header at off; over IPv4 the protocol
// number means nothing to tcpdump, and the bytes are data.
func dissectMobility(t *Tree, off, end int) {
	if t.Below(len(t.Nodes), protoIP) > t.Below(len(t.Nodes), protoIPv6) {
		DissectData(t, off, end)
		return
	}
	n := t.Avail(off, len(t.Data))
	l := t.AddLayer(protoMIPv6, off, end-off)
	if n < 3 {
		t.Mark(l, Truncated)
		return
	}
	t.Add(l, fMIP6Proto, off, 1, t.U8(off))
	t.Add(l, fMIP6HLen, off+1, 1, t.U8(off+1))
	// The header runs (length+1)*8 bytes, its options after the message.
	if hlen := (int(t.U8(off+1)) + 1) * 8; off+hlen > end {
		t.Mark(l, Malformed)
	} else if n < hlen {
		t.Mark(l, Truncated)
	}
	typ := t.U8(off + 2)
	t.Add(l, fMIP6Type, off+2, 1, typ)
	if n >= 4 {
		t.Add(l, fMIP6Reserved, off+3, 1, t.U8(off+3))
	}
	if n >= 6 {
		t.Add(l, fMIP6Csum, off+4, 2, t.U16(off+4))
	}
	switch typ {
	case 3:
		if n >= 8 {
			t.Add(l, fMIP6HoTNIndex, off+6, 2, t.U16(off+6))
		}
	case 4:
		if n >= 8 {
			t.Add(l, fMIP6CoTNIndex, off+6, 2, t.U16(off+6))
		}
	case 5:
		if n >= 12 {
			t.Add(l, fMIP6BUSeq, off+6, 2, t.U16(off+6))
			t.Add(l, fMIP6BULife, off+10, 2, t.U16(off+10))
		}
	case 6:
		if n >= 12 {
			t.Add(l, fMIP6BAStatus, off+6, 1, t.U8(off+6))
			t.Add(l, fMIP6BASeq, off+8, 2, t.U16(off+8))
			t.Add(l, fMIP6BALife, off+10, 2, t.U16(off+10))
		}
	case 7:
		if n >= 24 {
			t.Add(l, fMIP6BEStatus, off+6, 1, t.U8(off+6))
			t.AddBytes(l, fMIP6BEHAddr, off+8, 16)
		}
	}
}

// textMobility prints "mobility: " and the message, its options with -v.
func textMobility(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off := int(t.Nodes[n].Off)
	data := t.Data[min(off, len(t.Data)):]
	m := &icmp6View{p: p, n: n, off: off, data: data, len: max(int(t.Nodes[n].Len), 0), mark: " [|mobility]"}
	if len(data) == 0 {
		m.trunc()
		return
	}
	if m.has(0, 3) {
		hlen, typ := (int(m.u8(1))+1)*8, m.u8(2)
		if typ < uint64(len(mip6MinLen)) && hlen < mip6MinLen[typ] {
			m.str("(header length ")
			m.num(uint64(hlen))
			m.str(" is too small for type ")
			m.num(typ)
			m.str(")")
			m.trunc()
			return
		}
	}
	m.str("mobility: ")
	if !m.has(0, 3) {
		m.str("[|mobility]")
		return
	}
	hlen := (int(m.u8(1)) + 1) * 8
	typ := m.u8(2)
	if typ >= uint64(len(mip6MinLen)) {
		m.str("type-#")
		m.num(typ)
		m.str(" len=")
		m.num(m.u8(1))
		return
	}
	m.str(mip6TypeNames[typ])
	v := m.verbose() > 0
	switch typ {
	case 1, 2, 3, 4:
		// Home (odd types) or care-of test init and test.
		who := " Home"
		if typ%2 == 0 {
			who = " Care-of"
		}
		if typ >= 3 {
			if m.cut(6, 2) {
				return
			}
			m.str(" nonce id=0x")
			m.hex(m.u16(6))
		}
		if !v {
			break
		}
		if m.cut(8, 8) {
			return
		}
		m.str(who)
		m.str(" Init Cookie=")
		mip6Cookie(m, 8)
		if typ >= 3 {
			if m.cut(16, 8) {
				return
			}
			m.str(who)
			m.str(" Keygen Token=")
			mip6Cookie(m, 16)
		}
	case 5:
		if !mip6Num(m, " seq#=", 6, 2) || m.cut(8, 1) {
			return
		}
		if f := m.u8(8); f&0xf0 != 0 {
			m.str(" ")
			icmp6Flags(m, f, mip6BUFlags, "")
		}
	case 6:
		if !mip6Num(m, " status=", 6, 1) || m.cut(7, 1) {
			return
		}
		if m.u8(7)&0x80 != 0 {
			m.str(" K")
		}
		if !mip6Num(m, " seq#=", 8, 2) {
			return
		}
	case 7:
		if !mip6Num(m, " status=", 6, 1) || m.cut(8, 16) {
			return
		}
		m.str(" homeaddr ")
		m.addr6(8)
	}
	if typ == 5 || typ == 6 {
		// A binding update's or acknowledgement's lifetime, in units of 4s.
		if m.cut(10, 2) {
			return
		}
		m.str(" lifetime=")
		m.num(m.u16(10) << 2)
	}
	if !v {
		return
	}
	// The options: tcpdump wants the byte after each option captured too.
	for i := mip6MinLen[typ]; i < hlen; {
		if m.cut(i, 1) {
			return
		}
		ot := m.u8(i)
		ol := 1
		if ot != 0 {
			if i+1 >= hlen || !m.has(i+1, 1) {
				m.trunc()
				return
			}
			ol = int(m.u8(i+1)) + 2
		}
		if i+ol > hlen || !m.has(i+ol, 1) {
			m.trunc()
			return
		}
		if ot < uint64(len(mip6OptData)) && m.cut(i+2, mip6OptData[ot]) {
			return
		}
		switch ot {
		case 0:
			m.str("(pad1)")
		case 1:
			m.str("(padn)")
		case 2:
			m.str("(refresh: ")
			m.num(m.u16(i+2) << 2)
			m.str(")")
		case 3:
			m.str("(alt-CoA: ")
			m.addr6(i + 2)
			m.str(")")
		case 4:
			m.str("(ni: ho=0x")
			m.hexPad(m.u16(i+2), 4)
			m.str(" co=0x")
			m.hexPad(m.u16(i+4), 4)
			m.str(")")
		case 5:
			m.str("(auth)")
		default:
			m.str("(type-0x")
			m.hexPad(ot, 2)
			m.str(": len=")
			m.num(uint64(ol - 2))
			m.str(")")
		}
		i += ol
	}
}

// mip6MinLen is the smallest header length of each message type (RFC 6275),
// where its options start.
var mip6MinLen = [...]int{8, 16, 16, 24, 24, 12, 12, 24}

// mip6OptData is the data tcpdump reads of the options it prints (refresh
// interval, alternate care-of address, nonce indices), by option type.
var mip6OptData = [...]int{2: 2, 3: 16, 4: 4}

// mip6BUFlags are the flags of a binding update.
var mip6BUFlags = []icmp6Flag{{0x80, "A"}, {0x40, "H"}, {0x20, "L"}, {0x10, "K"}}

// mip6Num prints label and the k-byte (1 or 2) number at i, and reports
// whether it was captured (if not, it prints the truncation mark instead).
func mip6Num(m *icmp6View, label string, i, k int) bool {
	if m.cut(i, k) {
		return false
	}
	m.str(label)
	if k == 1 {
		m.num(m.u8(i))
	} else {
		m.num(m.u16(i))
	}
	return true
}

// mip6Cookie prints 8 bytes at i as two 32-bit hexadecimal halves.
func mip6Cookie(m *icmp6View, i int) {
	m.hexPad(m.u32(i), 8)
	m.str(":")
	m.hexPad(m.u32(i+4), 8)
}
