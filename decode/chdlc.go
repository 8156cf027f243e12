package decode

// Cisco HDLC (LINKTYPE_C_HDLC 104): an address byte (0x0f unicast, 0x8f
// broadcast), a control byte and a 2-byte protocol, an ethertype but for
// 0xfefe, OSI's network layer after an optional padding byte. SLARP
// (protocol 0x8035, Cisco's serial line address resolution) asks for and
// gives an interface's address and mask, and keeps the line alive with
// sequence numbers, a reliability and the line's uptime.

import (
	"strconv"

	"github.com/sockscope/sockscope/decode/wire"
)

var (
	protoCHDLC       = proto("chdlc", "Cisco HDLC")
	fCHDLCAddress    = register(Field{Name: "chdlc.address", Title: "Address", Type: TypeUint8, Hex: true})
	fCHDLCControl    = register(Field{Name: "chdlc.control", Title: "Control", Type: TypeUint8, Hex: true})
	fCHDLCProtocol   = register(Field{Name: "chdlc.protocol", Title: "Protocol", Type: TypeUint16, Hex: true, Values: etherTypeNames})
	fCHDLCCLNSPad    = register(Field{Name: "chdlc.clns_padding", Title: "CLNS Padding", Type: TypeUint8, Hex: true})
	protoSLARP       = proto("slarp", "Cisco SLARP")
	fSLARPType       = field("slarp.ptype", "Packet type", TypeUint32)
	fSLARPAddress    = field("slarp.address", "Address", TypeIPv4)
	fSLARPNetmask    = field("slarp.netmask", "Netmask", TypeIPv4)
	fSLARPMySeq      = field("slarp.mysequence", "Outgoing sequence number", TypeUint32)
	fSLARPYourSeq    = field("slarp.yoursequence", "Returned sequence number", TypeUint32)
	fSLARPReliablity = register(Field{Name: "slarp.reliability", Title: "Reliability", Type: TypeUint16, Hex: true})
	fSLARPBadRel     = field("slarp.reliability.invalid", "Reliability must be 0xFFFF", TypeNone)
	// fSLARPUptime is the line's uptime in milliseconds, after a
	// keepalive's reliability: tcpdump prints it, tshark has no field.
	fSLARPUptime = field("slarp.uptime", "Link uptime", TypeUint32)
)

func init() {
	LinkTypes.Register(uint32(wire.LinkCHDLC), dissectCHDLC)
	registerText(protoCHDLC, textCHDLC)
	registerText(protoSLARP, textSLARP)
	expert(fSLARPBadRel, expertInfo{severity: SeverityError, group: GroupMalformed, protocol: "SLARP", message: "Reliability must be 0xFFFF"})
	shortNames["chdlc"] = "CHDLC"
	shortNames["slarp"] = "SLARP"
}

func dissectCHDLC(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoCHDLC, off, end, 4)
	if !ok {
		return
	}
	t.Add(l, fCHDLCAddress, off, 1, t.U8(off))
	t.Add(l, fCHDLCControl, off+1, 1, t.U8(off+1))
	pr := t.U16(off + 2)
	t.Add(l, fCHDLCProtocol, off+2, 2, pr)
	p := off + 4
	if t.NetOff == off {
		t.NetOff = p
	}
	switch {
	case pr == 0x8035:
		t.Call(dissectSLARP, p, end)
	case pr == 0xfefe:
		if n > 5 && !osiNLPIDValid(t.U8(p)) && osiNLPIDValid(t.U8(p+1)) {
			t.Add(l, fCHDLCCLNSPad, p, 1, t.U8(p))
			p++
		}
		dissectOSI(t, p, end)
	case Ethertypes.Lookup(uint32(pr)) != nil:
		dispatchEthertype(t, pr, p, end)
	case n > 4:
		DissectData(t, p, end)
	case p < end:
		t.Mark(l, Truncated)
	}
}

// osiNLPIDValid reports whether b is an NLPID (ISO/TR 9577) rather than
// the padding byte that may come first in Cisco HDLC's OSI payload.
func osiNLPIDValid(b uint64) bool {
	switch b {
	case 0x08, 0x09, 0x80, 0x81, 0x82, 0x83, 0x8e, 0xcc:
		return true
	}
	return false
}

func dissectSLARP(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoSLARP, off, end, 4)
	if !ok {
		return
	}
	ty := t.U32(off)
	t.Add(l, fSLARPType, off, 4, ty)
	switch ty {
	case 0, 1:
		if n < 12 {
			t.Mark(l, Truncated)
			return
		}
		t.AddBytes(l, fSLARPAddress, off+4, 4)
		t.AddBytes(l, fSLARPNetmask, off+8, 4)
	case 2:
		if n < 14 {
			t.Mark(l, Truncated)
			return
		}
		t.Add(l, fSLARPMySeq, off+4, 4, t.U32(off+4))
		t.Add(l, fSLARPYourSeq, off+8, 4, t.U32(off+8))
		r := t.U16(off + 12)
		rn := t.Add(l, fSLARPReliablity, off+12, 2, r)
		if r != 0xffff {
			t.Nodes[t.Add(rn, fSLARPBadRel, off+12, 2, 0)].Flags |= Generated
		}
		if n >= 18 {
			t.Nodes[t.Add(l, fSLARPUptime, off+14, 4, t.U32(off+14))].Flags |= Generated
		}
	}
}

// chdlcAddressNames are tcpdump's names of the address byte with -e.
func chdlcAppendAddress(b []byte, a uint64) []byte {
	switch a {
	case 0x0f:
		return append(b, "unicast"...)
	case 0x8f:
		return append(b, "bcast"...)
	}
	b = append(b, "0x"...)
	return append(b, hexDigits[a>>4&15], hexDigits[a&15])
}

// textCHDLC prints nothing of the header by default (with -e, "bcast,
// ethertype Reverse ARP (0x8035), length 24: "), then the payload; one
// tcpdump does not read as "unknown CHDLC protocol (0x3030)".
func textCHDLC(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	pr, ok := t.Value(n, fCHDLCProtocol)
	if !ok {
		p.b = append(p.b, " [|chdlc]"...)
		return
	}
	if p.opt.Link {
		a, _ := t.Value(n, fCHDLCAddress)
		p.b = chdlcAppendAddress(p.b, a)
		p.b = append(p.b, ", ethertype "...)
		if s, ok := etherTypeNames[pr]; ok {
			p.b = append(p.b, s...)
		} else {
			p.b = append(p.b, "Unknown"...)
		}
		p.b = append(p.b, " (0x"...)
		p.b = appendHex4(p.b, pr)
		p.b = append(p.b, "), length "...)
		p.b = strconv.AppendInt(p.b, int64(t.CI.Length), 10)
		p.b = append(p.b, ": "...)
	}
	next := p.Proto(l + 1)
	if pr == 0xfefe && (next == protoData || next == 0) {
		d := int(t.Nodes[n].Off) + 4
		if t.Has(n, fCHDLCCLNSPad) {
			d++
		}
		if d >= len(t.Data) {
			p.b = append(p.b, " [|chdlc]"...)
			return
		}
		b := t.Data[d]
		if p.opt.Link {
			p.b = append(p.b, "OSI NLPID Unknown (0x"...)
			p.b = append(p.b, hexDigits[b>>4], hexDigits[b&15])
			p.b = append(p.b, "): length: "...)
		} else {
			p.b = append(p.b, "OSI NLPID 0x"...)
			p.b = append(p.b, hexDigits[b>>4], hexDigits[b&15])
			p.b = append(p.b, " unknown, length: "...)
		}
		p.b = strconv.AppendInt(p.b, int64(t.CI.Length-d), 10)
		if !p.opt.Quiet && p.opt.Hex == 0 && p.opt.HexASCII == 0 {
			p.b = appendHexRows(p.b, t.Data[d:], 0, false)
		}
		return
	}
	if next == 0 || next == protoData || textFuncs[next] == nil {
		if p.opt.Link {
			return
		}
		p.b = append(p.b, "unknown CHDLC protocol (0x"...)
		p.b = appendHex4(p.b, pr)
		p.b = append(p.b, ')')
		return
	}
	p.Layer(l + 1)
}

// textSLARP prints "SLARP (length: 20), keepalive: mineseen=0x00000005,
// yourseen=0x00000002, reliability=0xffff, link uptime=0d2h12m5s".
func textSLARP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	ty, ok := t.Value(n, fSLARPType)
	if !ok {
		p.b = append(p.b, "[|slarp]"...)
		return
	}
	p.b = append(p.b, "SLARP (length: "...)
	p.b = strconv.AppendInt(p.b, int64(t.Nodes[n].Len), 10)
	p.b = append(p.b, "), "...)
	switch ty {
	case 0:
		p.b = append(p.b, "request"...)
	case 1:
		p.b = append(p.b, "reply "...)
		if a := t.Find(n, fSLARPAddress); a >= 0 {
			p.b = appendIPv4(p.b, t.Bytes(a))
			p.b = append(p.b, '/')
			p.b = appendIPv4(p.b, t.Bytes(t.Find(n, fSLARPNetmask)))
		}
	case 2:
		my, ok := t.Value(n, fSLARPMySeq)
		if !ok {
			p.b = append(p.b, "keepalive: [|slarp]"...)
			return
		}
		your, _ := t.Value(n, fSLARPYourSeq)
		r, _ := t.Value(n, fSLARPReliablity)
		p.b = append(p.b, "keepalive: mineseen=0x"...)
		p.b = appendHex8(p.b, my)
		p.b = append(p.b, ", yourseen=0x"...)
		p.b = appendHex8(p.b, your)
		p.b = append(p.b, ", reliability=0x"...)
		p.b = appendHex4(p.b, r)
		if up, ok := t.Value(n, fSLARPUptime); ok {
			s := up / 1000
			p.b = append(p.b, ", link uptime="...)
			p.b = strconv.AppendUint(p.b, s/86400, 10)
			p.b = append(p.b, 'd')
			p.b = strconv.AppendUint(p.b, s/3600%24, 10)
			p.b = append(p.b, 'h')
			p.b = strconv.AppendUint(p.b, s/60%60, 10)
			p.b = append(p.b, 'm')
			p.b = strconv.AppendUint(p.b, s%60, 10)
			p.b = append(p.b, 's')
		}
	default:
		p.b = append(p.b, "0x"...)
		p.b = appendHex8(p.b, ty)
		p.b = append(p.b, " unknown"...)
	}
}
