package decode

// RPL control messages (RFC 6550), ICMPv6 type 155: DODAG information
// solicitation (code 0) and object (1), destination advertisement object (2)
// and its acknowledgement (3), with their options.

var (
	fRPLDIOInstance = field("icmpv6.rpl.dio.instance", "RPLInstanceID", TypeUint8)
	fRPLDIOVersion  = field("icmpv6.rpl.dio.version", "Version", TypeUint8)
	fRPLDIORank     = field("icmpv6.rpl.dio.rank", "Rank", TypeUint16)
	fRPLDIOFlag     = register(Field{Name: "icmpv6.rpl.dio.flag", Title: "Flags", Type: TypeUint8, Hex: true})
	fRPLDIODTSN     = field("icmpv6.rpl.dio.dtsn", "Destination Advertisement Trigger Sequence Number (DTSN)", TypeUint8)
	fRPLDIODagID    = field("icmpv6.rpl.dio.dagid", "DODAGID", TypeIPv6)
	fRPLDAOInstance = field("icmpv6.rpl.dao.instance", "RPLInstanceID", TypeUint8)
	fRPLDAOFlag     = register(Field{Name: "icmpv6.rpl.dao.flag", Title: "Flags", Type: TypeUint8, Hex: true})
	fRPLDAOSeq      = field("icmpv6.rpl.dao.sequence", "DAO Sequence", TypeUint8)
	fRPLDAODodagID  = field("icmpv6.rpl.dao.dodagid", "DODAGID", TypeIPv6)
	fRPLAckInstance = field("icmpv6.rpl.daoack.instance", "RPLInstanceID", TypeUint8)
	fRPLAckFlag     = register(Field{Name: "icmpv6.rpl.daoack.flag", Title: "Flag", Type: TypeUint8, Hex: true})
	fRPLAckSeq      = field("icmpv6.rpl.daoack.sequence", "DAO-ACK Sequence", TypeUint8)
	fRPLAckStatus   = field("icmpv6.rpl.daoack.status", "Status", TypeUint8)
	fRPLAckDodagID  = field("icmpv6.rpl.daoack.dodagid", "DODAGID", TypeIPv6)
	fRPLOpt         = field("icmpv6.rpl.opt", "ICMPv6 RPL Option", TypeNone)
	fRPLOptType     = field("icmpv6.rpl.opt.type", "Type", TypeUint8)
	fRPLOptLen      = field("icmpv6.rpl.opt.length", "Length", TypeUint8)
)

// rplOptNames are the names tcpdump prints for RPL options.
var rplOptNames = map[uint64]string{
	0: "pad1", 1: "padN", 2: "metrics", 3: "routinginfo", 4: "config", 5: "rpltarget",
	6: "transitinfo", 8: "destprefix", 9: "rpltargetdesc",
}

// rplDissect adds the fields of the RPL control message at off (the ICMPv6
// header) under ICMPv6 layer l.
func rplDissect(t *Tree, l, off, end int) {
	n := t.Avail(off, end)
	b := off + 4
	opts := -1
	switch t.U8(off + 1) {
	case 1:
		if n >= 28 {
			t.Add(l, fRPLDIOInstance, b, 1, t.U8(b))
			t.Add(l, fRPLDIOVersion, b+1, 1, t.U8(b+1))
			t.Add(l, fRPLDIORank, b+2, 2, t.U16(b+2))
			t.Add(l, fRPLDIOFlag, b+4, 1, t.U8(b+4))
			t.Add(l, fRPLDIODTSN, b+5, 1, t.U8(b+5))
			t.AddBytes(l, fRPLDIODagID, b+8, 16)
			opts = b + 24
		}
	case 2, 3:
		// A destination advertisement object or its acknowledgement: the
		// DODAGID follows when a flag says so.
		if n < 8 {
			break
		}
		f := t.U8(b + 1)
		id, bit := fRPLDAODodagID, uint64(0x40)
		if t.U8(off+1) == 2 {
			t.Add(l, fRPLDAOInstance, b, 1, t.U8(b))
			t.Add(l, fRPLDAOFlag, b+1, 1, f)
			t.Add(l, fRPLDAOSeq, b+3, 1, t.U8(b+3))
		} else {
			id, bit = fRPLAckDodagID, 0x80
			t.Add(l, fRPLAckInstance, b, 1, t.U8(b))
			t.Add(l, fRPLAckFlag, b+1, 1, f)
			t.Add(l, fRPLAckSeq, b+2, 1, t.U8(b+2))
			t.Add(l, fRPLAckStatus, b+3, 1, t.U8(b+3))
		}
		opts = b + 4
		if f&bit != 0 {
			if n >= 24 {
				t.AddBytes(l, id, b+4, 16)
			}
			opts = b + 20
		}
	}
	if opts < 0 {
		return
	}
	e := end
	if e > len(t.Data) {
		e = len(t.Data)
	}
	for o := opts; o < e; {
		typ := t.U8(o)
		if typ == 0 {
			op := t.Add(l, fRPLOpt, o, 1, 0)
			t.Add(op, fRPLOptType, o, 1, 0)
			o++
			continue
		}
		if o+2 > e {
			t.Mark(l, Truncated)
			return
		}
		ol := int(t.U8(o+1)) + 2
		op := t.Add(l, fRPLOpt, o, ol, 0)
		t.Add(op, fRPLOptType, o, 1, typ)
		t.Add(op, fRPLOptLen, o+1, 1, uint64(ol-2))
		o += ol
	}
}

// rplText prints an RPL control message after "RPL", and reports whether
// tcpdump's ", length N" follows.
func rplText(m *icmp6View) bool {
	code := m.u8(1)
	if code&0x80 != 0 {
		m.str(", (SEC) [worktodo]")
		return true
	}
	m.str(", (CLR)")
	v := m.verbose()
	b := 4
	opts := -1
	switch code {
	case 0:
		m.str("DODAG Information Solicitation")
		return true
	case 1:
		m.str("DODAG Information Object")
		if v == 0 {
			return true
		}
		if m.len-4 < 24 {
			m.str(" [length ")
			m.num(uint64(m.len - 4))
			m.str(" < 24] (invalid)")
			return false
		}
		if m.cut(b, 24) {
			return false
		}
		m.str(" [dagid:")
		m.addr6(b + 8)
		m.str(",seq:")
		m.num(m.u8(b + 5))
		m.str(",instance:")
		m.num(m.u8(b))
		m.str(",rank:")
		m.num(m.u16(b + 2))
		f := m.u8(b + 4)
		m.str(",")
		if f&0x80 != 0 {
			m.str("grounded,")
		}
		m.str("mop:")
		switch mop := f >> 3 & 7; mop {
		case 0:
			m.str("nonstoring")
		case 1:
			m.str("storing")
		case 2:
			m.str("nonstoring-multicast")
		case 3:
			m.str("storing-multicast")
		default:
			m.str("mop")
			m.num(mop)
		}
		m.str(",prf:")
		m.num(f & 7)
		m.str("]")
		opts = b + 24
	case 2:
		m.str("Destination Advertisement Object")
		if v == 0 {
			return true
		}
		if m.cut(b, 20) {
			return false
		}
		f := m.u8(b + 1)
		m.str(" [dagid:")
		if f&0x40 != 0 {
			m.addr6(b + 4)
			opts = b + 20
		} else {
			m.str("<elided>")
			opts = b + 4
		}
		m.str(",seq:")
		m.num(m.u8(b + 3))
		m.str(",instance:")
		m.num(m.u8(b))
		if f&0x80 != 0 {
			m.str(",acK")
		}
		if f&0x40 != 0 {
			m.str(",Dagid")
		}
		m.str(",")
		m.hexPad(f, 2)
		m.str("]")
	case 3:
		m.str("Destination Advertisement Object Ack")
		if v == 0 {
			return true
		}
		if m.cut(b, 4) {
			return false
		}
		f := m.u8(b + 1)
		m.str(" [dagid:")
		opts = b + 4
		if f&0x80 != 0 {
			if m.cut(b+4, 16) {
				return false
			}
			m.addr6(b + 4)
			opts = b + 20
		} else {
			m.str("<elided>")
		}
		m.str(",seq:")
		m.num(m.u8(b + 2))
		m.str(",instance:")
		m.num(m.u8(b))
		m.str(",status:")
		m.num(m.u8(b + 3))
		m.str("]")
	default:
		m.str("RPL message, unknown code ")
		m.num(code)
		return true
	}
	if v < 2 {
		return true
	}
	for o := opts; o < m.len; {
		if m.cut(o, 1) {
			return false
		}
		typ := m.u8(o)
		if typ != 0 && !m.has(o+1, 1) {
			m.trunc()
			return false
		}
		m.str(" opt:")
		if name, ok := rplOptNames[typ]; ok {
			m.str(name)
		} else {
			m.str("subopt:")
			m.num(typ)
		}
		if typ == 0 {
			o++
			continue
		}
		ol := int(m.u8(o+1)) + 2
		m.str(" len:")
		m.num(uint64(ol))
		m.str(" ")
		if m.cut(o, ol) {
			return false
		}
		if v > 2 {
			m.p.b = icmp6HexDump(m.p.b, " ", m.data[o+2:o+ol])
		}
		o += ol
	}
	return true
}
