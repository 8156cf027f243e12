package decode

// PPP (RFC 1661) as a capture's link type (LINKTYPE_PPP 9, and
// LINKTYPE_PPP_HDLC 50, PPP in HDLC-like framing, RFC 1662), as GRE's
// protocol type 0x880b (PPTP's enhanced GRE, RFC 2637) and inside PPPoE
// sessions: an optional address and control byte (0xff, 0x03), a protocol
// field of one byte when its low bit is set (protocol-field compression) or
// two, then the protocol's packet. The network protocols go on by their
// ethertype; the control protocols (LCP, IPCP, IPv6CP, CCP, PAP, CHAP, BAP)
// share one header, code, identifier and length (RFC 1661 section 5), and
// the multilink protocol (RFC 1990) a 4-byte fragment header.

import (
	"strconv"

	"github.com/sockscope/sockscope/decode/wire"
)

var (
	protoPPP     = proto("ppp", "Point-to-Point Protocol")
	fPPPAddress  = register(Field{Name: "ppp.address", Title: "Address", Type: TypeUint8, Hex: true})
	fPPPControl  = register(Field{Name: "ppp.control", Title: "Control", Type: TypeUint8, Hex: true})
	fPPPProtocol = register(Field{Name: "ppp.protocol", Title: "Protocol", Type: TypeUint16, Hex: true, Values: pppProtocolNames})

	// The header of the control protocols, Wireshark's fields shared by
	// LCP, IPCP, IPv6CP, CCP and BAP; PAP and CHAP have their own.
	fPPPCode       = field("ppp.code", "Code", TypeUint8)
	fPPPIdentifier = field("ppp.identifier", "Identifier", TypeUint8)
	fPPPLength     = field("ppp.length", "Length", TypeUint16)
	fLCPMagic      = register(Field{Name: "lcp.magic_number", Title: "Magic Number", Type: TypeUint32, Hex: true})

	protoLCP    = proto("lcp", "PPP Link Control Protocol")
	protoIPCP   = proto("ipcp", "PPP IP Control Protocol")
	protoIPv6CP = proto("ipv6cp", "PPP IPv6 Control Protocol")
	protoCCP    = proto("ccp", "PPP Compression Control Protocol")
	protoBAP    = proto("bap", "PPP Bandwidth Allocation Protocol")
	protoPAP    = proto("pap", "PPP Password Authentication Protocol")
	fPAPCode    = field("pap.code", "Code", TypeUint8)
	fPAPID      = field("pap.identifier", "Identifier", TypeUint8)
	fPAPLength  = field("pap.length", "Length", TypeUint16)
	fPAPData    = field("pap.data", "Data", TypeNone)
	protoCHAP   = proto("chap", "PPP Challenge Handshake Authentication Protocol")
	fCHAPCode   = field("chap.code", "Code", TypeUint8)
	fCHAPID     = field("chap.identifier", "Identifier", TypeUint8)
	fCHAPLength = field("chap.length", "Length", TypeUint16)

	protoMP   = proto("mp", "PPP Multilink Protocol")
	fMPFrag   = register(Field{Name: "mp.frag", Title: "Fragment", Type: TypeUint8, Hex: true})
	fMPFirst  = register(Field{Name: "mp.first", Title: "First fragment", Type: TypeBoolean, Mask: 0x80})
	fMPLast   = register(Field{Name: "mp.last", Title: "Last fragment", Type: TypeBoolean, Mask: 0x40})
	fMPSeq    = field("mp.seq", "Sequence number", TypeUint24)
	fMPPaylod = field("mp.payload", "Payload", TypeBytes)
)

// pppProtocolNames are tshark's names of the PPP protocols decode tells apart.
var pppProtocolNames = map[uint64]string{
	0x0021: "Internet Protocol version 4",
	0x0023: "OSI Network Layer",
	0x003d: "Multi-Link",
	0x0057: "Internet Protocol version 6",
	0x0281: "MPLS Unicast",
	0x0283: "MPLS Multicast",
	0x8021: "Internet Protocol Control Protocol",
	0x8057: "IPv6 Control Protocol",
	0x80fd: "Compression Control Protocol",
	0xc021: "Link Control Protocol",
	0xc023: "Password Authentication Protocol",
	0xc02d: "Bandwidth Allocation Protocol",
	0xc223: "Challenge Handshake Authentication Protocol",
}

// pppTextNames are the names tcpdump gives the PPP protocols.
var pppTextNames = map[uint64]string{
	0x0021: "IP", 0x0023: "OSI", 0x003d: "MLPPP", 0x0057: "IP6",
	0x0281: "MPLS", 0x0283: "MPLS mcast", 0x8021: "IPCP", 0x8057: "IP6CP",
	0x80fd: "CCP", 0xc021: "LCP", 0xc023: "PAP", 0xc02d: "BAP", 0xc223: "CHAP",
}

// pppEthertypes are the ethertypes of the PPP protocols dissected by one.
var pppEthertypes = map[uint64]uint32{
	0x0021: 0x0800,
	0x0057: 0x86dd,
	0x0281: 0x8847,
	0x0283: 0x8848,
}

// pppControl describes one control protocol: its layer, its fields for
// the common header, the name tcpdump gives it and its codes' names.
type pppControl struct {
	proto          FieldID
	code, id, ln   FieldID
	name, truncTag string
	codes          map[uint64]string
}

// The codes of LCP (RFC 1661, RFC 1570), which IPCP, IPv6CP and CCP use a
// part of (CCP adds 14 and 15, RFC 1962).
var pppCodeNames = map[uint64]string{
	1: "Conf-Request", 2: "Conf-Ack", 3: "Conf-Nack", 4: "Conf-Reject",
	5: "Term-Request", 6: "Term-Ack", 7: "Code-Reject", 8: "Prot-Reject",
	9: "Echo-Request", 10: "Echo-Reply", 11: "Discard-Request",
	12: "Ident", 13: "Time-Remain", 14: "Reset-Req", 15: "Reset-Ack",
}

var (
	pppControls = map[uint64]*pppControl{
		0xc021: {protoLCP, fPPPCode, fPPPIdentifier, fPPPLength, "LCP", "lcp", pppCodeNames},
		0x8021: {protoIPCP, fPPPCode, fPPPIdentifier, fPPPLength, "IPCP", "ipcp", pppCodeNames},
		0x8057: {protoIPv6CP, fPPPCode, fPPPIdentifier, fPPPLength, "IP6CP", "ip6cp", pppCodeNames},
		0x80fd: {protoCCP, fPPPCode, fPPPIdentifier, fPPPLength, "CCP", "ccp", pppCodeNames},
		0xc02d: {protoBAP, fPPPCode, fPPPIdentifier, fPPPLength, "BAP", "bap", nil},
		0xc023: {protoPAP, fPAPCode, fPAPID, fPAPLength, "PAP", "pap", map[uint64]string{1: "Auth-Req", 2: "Auth-ACK", 3: "Auth-NACK"}},
		0xc223: {protoCHAP, fCHAPCode, fCHAPID, fCHAPLength, "CHAP", "chap", map[uint64]string{1: "Challenge", 2: "Response", 3: "Success", 4: "Fail"}},
	}
	// pppControlOf finds a control protocol by its layer's protocol.
	pppControlOf = map[FieldID]*pppControl{}
)

func init() {
	LinkTypes.Register(uint32(wire.LinkPPP), dissectPPP)
	LinkTypes.Register(uint32(wire.LinkPPPHDLC), dissectPPP)
	Ethertypes.Register(0x880b, dissectPPP)
	registerText(protoPPP, textPPP)
	registerText(protoMP, textMP)
	for _, c := range pppControls {
		pppControlOf[c.proto] = c
		registerText(c.proto, textPPPControl)
		shortNames[c.proto.Name()] = "PPP " + c.name
	}
	shortNames["ipv6cp"] = "PPP IPV6CP"
	shortNames["ppp"] = "PPP"
	shortNames["mp"] = "PPP MP"
}

// dissectPPP reads a PPP header at off and its protocol's packet.
func dissectPPP(t *Tree, off, end int) {
	l, n, _ := t.StartLayer(protoPPP, off, end, 0)
	p := off
	if n >= 1 && t.U8(p) == 0xff {
		if n < 2 {
			t.Mark(l, Truncated)
			return
		}
		t.Add(l, fPPPAddress, p, 1, 0xff)
		t.Add(l, fPPPControl, p+1, 1, t.U8(p+1))
		p += 2
	}
	if t.Avail(p, end) < 1 {
		t.Mark(l, Truncated)
		return
	}
	var pr uint64
	if t.U8(p)&1 != 0 {
		pr = t.U8(p)
		t.Add(l, fPPPProtocol, p, 1, pr)
		p++
	} else {
		if t.Avail(p, end) < 2 {
			t.Mark(l, Truncated)
			return
		}
		pr = t.U16(p)
		t.Add(l, fPPPProtocol, p, 2, pr)
		p += 2
	}
	if off == 0 && t.NetOff == 0 && (t.Link == wire.LinkPPP || t.Link == wire.LinkPPPHDLC) {
		t.NetOff = p
	}
	if et, ok := pppEthertypes[pr]; ok {
		tunnelEthertype(t, et, p, end)
		return
	}
	if c, ok := pppControls[pr]; ok {
		if t.Enter() {
			dissectPPPControl(t, c, p, end)
			t.Leave()
		}
		return
	}
	switch pr {
	case 0x003d:
		t.Call(dissectMP, p, end)
		return
	case 0x0023:
		t.Call(dissectOSI, p, end)
		return
	}
	if t.Avail(p, end) > 0 {
		DissectData(t, p, end)
	}
}

// dissectPPPControl reads the code, identifier and length of a control
// protocol's packet, and LCP's magic number of an echo or discard. Bytes
// the length claims past the packet's end are a malformed packet's; past
// what was captured, a short one's.
func dissectPPPControl(t *Tree, c *pppControl, off, end int) {
	l, n, ok := t.StartLayer(c.proto, off, end, 4)
	if !ok {
		if end-off >= 4 {
			return
		}
		t.Nodes[l].Flags = t.Nodes[l].Flags&^Truncated | Malformed
		return
	}
	code := t.U8(off)
	t.Add(l, c.code, off, 1, code)
	t.Add(l, c.id, off+1, 1, t.U8(off+1))
	ln := int(t.U16(off + 2))
	t.Add(l, c.ln, off+2, 2, uint64(ln))
	stop := off + ln
	if stop > end {
		stop = end
	}
	need := func(k int) bool {
		if off+k <= stop && k <= n {
			return true
		}
		if off+k > stop || off+k > end {
			t.Mark(l, Malformed)
		} else {
			t.Mark(l, Truncated)
		}
		return false
	}
	switch {
	case c.proto == protoLCP && code >= 9 && code <= 11:
		if need(8) {
			t.Add(l, fLCPMagic, off+4, 4, t.U32(off+4))
		}
	case c.proto == protoPAP && (code == 2 || code == 3):
		if need(5) {
			t.Add(l, fPAPData, off+4, ln-4, 0)
		}
	}
}

// dissectMP reads the multilink fragment header, in its long form (the
// default until LCP negotiates short sequence numbers).
func dissectMP(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoMP, off, end, 4)
	if !ok {
		if end-off >= 4 {
			return
		}
		t.Nodes[l].Flags = t.Nodes[l].Flags&^Truncated | Malformed
		return
	}
	b := t.U8(off)
	f := t.Add(l, fMPFrag, off, 1, b)
	t.Add(f, fMPFirst, off, 1, b>>7)
	t.Add(f, fMPLast, off, 1, b>>6&1)
	t.Add(l, fMPSeq, off+1, 3, t.U24(off+1))
	if n > 4 {
		t.AddBytes(l, fMPPaylod, off+4, n-4)
	}
}

// textPPP prints nothing of the header at the default verbosity: the line
// is its payload's. A payload tcpdump does not read prints as "unknown PPP
// protocol (0x...)".
func textPPP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	pr, ok := t.Value(n, fPPPProtocol)
	if !ok || t.Link == wire.LinkPPPHDLC && t.Nodes[n].Off == 0 && len(t.Data) < 4 {
		// tcpdump reads a serial PPP frame only from its fourth byte on.
		if t.Link == wire.LinkPPPHDLC && t.Nodes[n].Off == 0 {
			p.b = append(p.b, " [|ppp_hdlc]"...)
		} else {
			p.b = append(p.b, " [|ppp]"...)
		}
		return
	}
	next := p.Proto(l + 1)
	if p.opt.Link && t.Link != wire.LinkPPPHDLC {
		if s, ok := pppTextNames[pr]; ok {
			p.b = append(p.b, s...)
		} else {
			p.b = append(p.b, "unknown"...)
		}
		p.b = append(p.b, " (0x"...)
		p.b = appendHex4(p.b, pr)
		p.b = append(p.b, "), length "...)
		p.b = strconv.AppendInt(p.b, int64(t.Nodes[n].Len), 10)
		p.b = append(p.b, ": "...)
	}
	if next == 0 || next == protoData {
		p.b = append(p.b, "unknown PPP protocol (0x"...)
		p.b = appendHex4(p.b, pr)
		p.b = append(p.b, ")"...)
		if next == protoData {
			p.b = append(p.b, ": "...)
		}
		return
	}
	p.Layer(l + 1)
}

// textPPPControl prints a control protocol's packet as tcpdump does, "LCP,
// Echo-Request (0x09), id 106, length 14", the length being the PPP frame's
// from its protocol field.
func textPPPControl(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	c := pppControlOf[t.Nodes[n].Field]
	p.b = append(p.b, c.name...)
	code, ok := t.Value(n, c.code)
	if !ok {
		p.b = append(p.b, " [|"...)
		p.b = append(p.b, c.truncTag...)
		p.b = append(p.b, ']')
		return
	}
	p.b = append(p.b, ", "...)
	if s, ok := c.codes[code]; ok {
		p.b = append(p.b, s...)
	} else {
		p.b = append(p.b, "unknown"...)
	}
	p.b = append(p.b, " (0x"...)
	p.b = append(p.b, hexDigits[code>>4&15], hexDigits[code&15])
	p.b = append(p.b, "), id "...)
	id, _ := t.Value(n, c.id)
	p.b = strconv.AppendUint(p.b, id, 10)
	pl := 0
	if pi := t.Find(p.Node(l-1), fPPPProtocol); pi >= 0 {
		pl = int(t.Nodes[pi].Len)
	}
	if t.Nodes[n].Flags&(Truncated|Malformed) != 0 && !(c.proto == protoLCP) {
		p.b = append(p.b, "[|"...)
		p.b = append(p.b, c.truncTag...)
		p.b = append(p.b, ']')
		return
	}
	p.b = append(p.b, ", length "...)
	p.b = strconv.AppendInt(p.b, int64(t.Nodes[n].Len)+int64(pl), 10)
}

// textMP prints "MLPPP, seq 0x..." ; a header cut short, "MLPPP, [|mlppp]".
func textMP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	if !p.opt.Link {
		p.b = append(p.b, "MLPPP, "...)
	}
	seq, ok := t.Value(n, fMPSeq)
	if !ok {
		p.b = append(p.b, "[|mlppp]"...)
		return
	}
	b, _ := t.Value(n, fMPFrag)
	p.b = append(p.b, "seq 0x"...)
	p.b = appendHex4(p.b, seq&0xfff)
	p.b = append(p.b, ", Flags ["...)
	switch b & 0xc0 {
	case 0xc0:
		p.b = append(p.b, "begin, end"...)
	case 0x80:
		p.b = append(p.b, "begin"...)
	case 0x40:
		p.b = append(p.b, "end"...)
	default:
		p.b = append(p.b, "none"...)
	}
	p.b = append(p.b, "], length "...)
	p.b = strconv.AppendInt(p.b, int64(t.Nodes[n].Len), 10)
}
