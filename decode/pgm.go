package decode

// PGM (RFC 3208), IP protocol 113: a 16-byte header (ports, type, options,
// checksum, global source ID, TSDU length), then the type's fixed fields
// (section 8: SPM, POLL, POLR, ODATA, RDATA, NAK, NNAK, NCF, SPMR, ACK),
// the option extensions when the header says so, and for ODATA and RDATA
// the application's data. tshark reads a datagram of no more than the
// header as data, not PGM.
//
// tcpdump's text without -v, after the IP addresses, is
// "10.0.0.45.13320 > 239.255.0.16.5563: PGM, length 1436" (the TSDU
// length).

import "strconv"

var (
	protoPGM     = proto("pgm", "Pragmatic General Multicast")
	fPGMSrcPort  = field("pgm.hdr.sport", "Source Port", TypeUint16)
	fPGMDstPort  = field("pgm.hdr.dport", "Destination Port", TypeUint16)
	fPGMType     = register(Field{Name: "pgm.hdr.type", Title: "Type", Type: TypeUint8, Hex: true, Values: pgmTypeNames})
	fPGMOpts     = register(Field{Name: "pgm.hdr.opts", Title: "Options", Type: TypeUint8, Hex: true})
	fPGMChecksum = register(Field{Name: "pgm.hdr.cksum", Title: "Checksum", Type: TypeUint16, Hex: true})
	fPGMGSI      = field("pgm.hdr.gsi", "Global Source Identifier", TypeBytes)
	fPGMTSDULen  = field("pgm.hdr.tsdulen", "Transport Service Data Unit Length", TypeUint16)
	pgmTypeNames = map[uint64]string{0: "SPM", 1: "POLL", 2: "POLR", 4: "ODATA", 5: "RDATA", 8: "NAK", 9: "NNAK", 10: "NCF", 12: "SPMR", 13: "ACK"}
)

const pgmHeaderLen = 16

func init() {
	IPProtocols.Register(113, dissectPGM)
	registerText(protoPGM, textPGM)
}

func dissectPGM(t *Tree, off, end int) {
	if end-off <= pgmHeaderLen && !t.Stateless {
		// tcpdump's text reads it as PGM all the same.
		DissectData(t, off, end)
		return
	}
	l, _, ok := t.StartLayer(protoPGM, off, end, pgmHeaderLen)
	if !ok {
		return
	}
	typ, opts := t.U8(off+4), t.U8(off+5)
	t.Add(l, fPGMSrcPort, off, 2, t.U16(off))
	t.Add(l, fPGMDstPort, off+2, 2, t.U16(off+2))
	t.Add(l, fPGMType, off+4, 1, typ)
	t.Add(l, fPGMOpts, off+5, 1, opts)
	t.Add(l, fPGMChecksum, off+6, 2, t.U16(off+6))
	t.AddBytes(l, fPGMGSI, off+8, 6)
	t.Add(l, fPGMTSDULen, off+14, 2, t.U16(off+14))
	p := off + pgmHeaderLen
	// need reports whether the n bytes at p were captured (and are in
	// the datagram), marking the layer cut short when not.
	need := func(n int) bool {
		if p+n > end || t.Avail(p, p+n) < n {
			t.Mark(l, Truncated)
			return false
		}
		return true
	}
	// nla skips a network-layer address: AFI, reserved, the address.
	nla := func() bool {
		if !need(4) {
			return false
		}
		n := 4
		if t.U16(p) == 2 {
			n = 16
		}
		p += 4
		if !need(n) {
			return false
		}
		p += n
		return true
	}
	switch typ {
	case 0: // SPM: sequence, trail, lead, path NLA
		if !need(12) {
			return
		}
		p += 12
		if !nla() {
			return
		}
	case 1: // POLL: sequence, round, subtype, path NLA, back-off, random, mask
		if !need(8) {
			return
		}
		p += 8
		if !nla() || !need(12) {
			return
		}
		p += 12
	case 2, 13: // POLR: sequence, round, reserved; ACK: RX_MAX, bitmap
		if !need(8) {
			return
		}
		p += 8
	case 4, 5: // ODATA, RDATA: sequence, trail
		if !need(8) {
			return
		}
		p += 8
	case 8, 9, 10: // NAK, NNAK, NCF: sequence, source and group NLAs
		if !need(4) {
			return
		}
		p += 4
		if !nla() || !nla() {
			return
		}
	}
	if opts&0x01 != 0 {
		// The first option is OPT_LENGTH, whose last two bytes are the
		// length of all the options (section 9.1).
		if !need(4) {
			return
		}
		n := int(t.U16(p + 2))
		if n < 4 || !need(n) {
			return
		}
		p += n
	}
	if (typ == 4 || typ == 5) && p < end && t.Avail(p, end) > 0 {
		DissectData(t, p, end)
	}
}

func textPGM(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	sport, ok1 := t.Value(n, fPGMSrcPort)
	dport, ok2 := t.Value(n, fPGMDstPort)
	tl, ok3 := t.Value(n, fPGMTSDULen)
	if !ok1 || !ok2 || !ok3 {
		p.b = append(p.b, " [|pgm]"...)
		return
	}
	udpAppendAddrs(p, l, sport, dport, true)
	p.b = strconv.AppendUint(append(p.b, ": PGM, length "...), tl, 10)
}
