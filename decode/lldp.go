package decode

// The Link Layer Discovery Protocol (IEEE 802.1AB), ethertype 0x88cc: a
// chain of TLVs, a 7-bit type and a 9-bit length each, ended by type 0.
// decode reads the chain and the system name; tshark's hierarchy has an
// lldp layer with nothing inside it.

import "strconv"

var (
	protoLLDP      = proto("lldp", "Link Layer Discovery Protocol")
	fLLDPTLVType   = register(Field{Name: "lldp.tlv.type", Title: "TLV Type", Type: TypeUint16, Mask: 0xfe00})
	fLLDPTLVLen    = register(Field{Name: "lldp.tlv.len", Title: "TLV Length", Type: TypeUint16, Mask: 0x1ff})
	fLLDPSysName   = field("lldp.tlv.system.name", "System Name", TypeString)
	lldpSystemName = uint64(5)
	// fLLDPBadType is the first or second TLV not of the type it must be
	// (its value: the type, and 1 for the second TLV's at bit 8);
	// fLLDPDeprecated an IEEE 802.3 TLV of a deprecated subtype.
	fLLDPBadType    = field("lldp.bad_type", "Incorrect type", TypeNone)
	fLLDPDeprecated = field("lldp.tlv_deprecated", "TLV has been deprecated", TypeNone)
)

func init() {
	Ethertypes.Register(0x88cc, dissectLLDP)
	registerText(protoLLDP, textLLDP)
	expert(fLLDPBadType, expertInfo{severity: SeverityWarning, group: GroupMalformed, protocol: "LLDP",
		summary: func(t *Tree, l, n int, b []byte) []byte {
			v := t.Nodes[n].Val
			what, want := "Invalid Chassis ID (0x", byte('1')
			if v>>8 != 0 {
				what, want = "Invalid Port ID (0x", '2'
			}
			b = append(b, what...)
			b = append(b, upperHex[v>>4&15], upperHex[v&15])
			return append(append(b, "), expected (0x0"...), want, ')')
		}})
	expert(fLLDPDeprecated, expertInfo{severity: SeverityWarning, group: GroupProtocol, protocol: "LLDP", message: "TLV has been deprecated"})
}

const upperHex = "0123456789ABCDEF"

// lldpOUI8023 is the IEEE 802.3 organisationally specific TLVs' OUI; its
// subtype 3, link aggregation, is deprecated (IEEE 802.1AX took it).
const lldpOUI8023 = 0x00120f

// dissectLLDP reads the TLVs at off as tshark was seen to: the first three
// must be the chassis ID, the port ID and the TTL, or the layer ends there
// (an expert item to tshark, not _ws.malformed); a TLV the capture cuts
// short marks the layer Truncated, one past the frame's end Malformed.
func dissectLLDP(t *Tree, off, end int) {
	l := t.AddLayer(protoLLDP, off, end-off)
	k := 0
	cut := lldpTLVs(t, off, end, func(p int, typ uint64, n int) bool {
		if k < 3 && typ != uint64(k+1) {
			// tshark says so of the chassis and port IDs, not the TTL.
			if k < 2 {
				t.Nodes[t.Add(l, fLLDPBadType, p, 2, typ|uint64(k)<<8)].Flags |= Generated
			}
			return false
		}
		k++
		t.Add(l, fLLDPTLVType, p, 2, typ)
		t.Add(l, fLLDPTLVLen, p, 2, uint64(n))
		if p+2+n > end {
			t.Mark(l, Malformed)
			return false
		}
		if typ == lldpSystemName && p+2+n <= len(t.Data) {
			t.AddBytes(l, fLLDPSysName, p+2, n)
		}
		if typ == 127 && n >= 4 && p+6 <= len(t.Data) && t.U24(p+2) == lldpOUI8023 && t.U8(p+5) == 3 {
			t.Nodes[t.Add(l, fLLDPDeprecated, p+5, 1, 0)].Flags |= Generated
		}
		return true
	})
	if cut && t.Nodes[l].Flags&Malformed == 0 {
		t.Mark(l, Truncated)
	}
}

// lldpTLVs calls fn with the offset, type and length of each TLV whose
// header was captured in [off, end), up to the End TLV or until fn returns
// false; cut tells whether the capture ended the chain first (tcpdump's
// "[|lldp]").
func lldpTLVs(t *Tree, off, end int, fn func(p int, typ uint64, n int) bool) (cut bool) {
	stop := off + t.Avail(off, end)
	p := off
	for p+2 <= stop {
		h := t.U16(p)
		typ, n := h>>9, int(h&0x1ff)
		if !fn(p, typ, n) || typ == 0 {
			return false
		}
		p += 2 + n
	}
	return p < end && stop < end
}

// textLLDP prints tcpdump's first line of an LLDPDU, "LLDP, length 288:
// upstairs.example.com" (the system name); with -v, decode does not print
// the TLVs as tcpdump does, and dumps the LLDPDU's bytes instead.
func textLLDP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	p.b = append(p.b, "LLDP, length "...)
	p.b = strconv.AppendInt(p.b, int64(t.Nodes[n].Len), 10)
	if p.opt.Verbose > 0 {
		if p.opt.Hex == 0 && p.opt.HexASCII == 0 && !p.opt.Quiet {
			p.b = appendHexRows(p.b, t.Bytes(n), 0, true)
		}
		return
	}
	// tcpdump takes the first system name TLV wherever it is.
	off := int(t.Nodes[n].Off)
	named := false
	cut := lldpTLVs(t, off, off+int(t.Nodes[n].Len), func(q int, typ uint64, ln int) bool {
		if typ == lldpSystemName && !named && q+2+ln <= len(t.Data) {
			p.b = append(p.b, ": "...)
			p.b = append(p.b, t.Data[q+2:q+2+ln]...)
			named = true
		}
		return true
	})
	if cut {
		p.b = append(p.b, " [|lldp]"...)
	}
}
