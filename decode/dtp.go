package decode

// Cisco's Dynamic Trunk Protocol, SNAP OUI 0x00000c PID 0x2004: a version
// byte, then TLVs of a 16-bit type and a 16-bit length that counts the
// TLV's own four bytes (domain, trunk status, trunk type, sender ID).

import "strconv"

var (
	protoDTP        = proto("dtp", "Dynamic Trunk Protocol")
	fDTPVersion     = field("dtp.version", "Version", TypeUint8)
	fDTPTLVType     = register(Field{Name: "dtp.tlv_type", Title: "Type", Type: TypeUint16, Values: dtpTLVTypes, Hex: true})
	fDTPTLVLen      = field("dtp.tlv_len", "Length", TypeUint16)
	fDTPDomain      = field("dtp.domain", "Domain", TypeString)
	fDTPSenderID    = field("dtp.senderid", "Sender ID", TypeEther)
	fDTPLenTooShort = field("dtp.tlv_len.too_short", "Indicated length is less than the minimum length", TypeNone)
	dtpTLVTypes     = map[uint64]string{1: "Domain", 2: "Trunk Status", 3: "Trunk Type", 4: "Sender ID"}
)

func init() {
	llcCiscoDissectors[0x2004] = dissectDTP
	registerText(protoDTP, textDTP)
	shortNames["dtp"] = "DTP"
	expert(fDTPLenTooShort, expertInfo{severity: SeverityError, group: GroupMalformed, protocol: "DTP",
		message: "Indicated length is less than the minimum length"})
}

// dissectDTP reads the version and the TLVs; a TLV whose length is under
// its header's four bytes ends the chain with tshark's expert item, one
// that passes the frame's end marks the layer Malformed.
func dissectDTP(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoDTP, off, end, 1)
	if !ok {
		if off >= len(t.Data) && off >= end {
			t.Nodes[l].Flags = t.Nodes[l].Flags&^Truncated | Malformed
		}
		return
	}
	t.Add(l, fDTPVersion, off, 1, t.U8(off))
	stop := off + n
	for p := off + 1; p < end; {
		if p+4 > stop {
			if stop < end {
				t.Mark(l, Truncated)
			} else {
				t.Mark(l, Malformed)
			}
			return
		}
		typ, ln := t.U16(p), int(t.U16(p+2))
		t.Add(l, fDTPTLVType, p, 2, typ)
		ti := t.Add(l, fDTPTLVLen, p+2, 2, uint64(ln))
		if ln < 4 {
			t.Nodes[t.Add(ti, fDTPLenTooShort, p+2, 2, 0)].Flags |= Generated
			return
		}
		if p+ln > stop {
			if stop < end {
				t.Mark(l, Truncated)
			} else {
				t.Mark(l, Malformed)
			}
			return
		}
		switch {
		case typ == 1:
			t.AddBytes(l, fDTPDomain, p+4, ln-4)
		case typ == 4 && ln >= 10:
			t.AddBytes(l, fDTPSenderID, p+4, 6)
		}
		p += ln
	}
}

// textDTP prints tcpdump's line, "DTPv1, length 29"; decode does not print
// the TLVs -v adds.
func textDTP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	v, ok := t.Value(n, fDTPVersion)
	if !ok {
		p.b = append(p.b, "[zero packet length] (invalid)"...)
		return
	}
	p.b = append(p.b, "DTPv"...)
	p.b = strconv.AppendUint(p.b, v, 10)
	p.b = append(p.b, ", length "...)
	p.b = strconv.AppendInt(p.b, int64(t.Nodes[n].Len), 10)
}
