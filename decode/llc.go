package decode

// IEEE 802.2 LLC and the SNAP header after it (RFC 1042): what 802.3 frames
// (a length where the ethertype would be) and Linux cooked protocol 4 carry.

import "strconv"

var (
	protoLLC       = proto("llc", "Logical-Link Control")
	fLLCDSAP       = field("llc.dsap", "DSAP", TypeUint8)
	fLLCDSAPSAP    = register(Field{Name: "llc.dsap.sap", Title: "SAP", Type: TypeUint8, Mask: 0xfe, Values: llcSAPNames})
	fLLCDSAPIG     = flagField("llc.dsap.ig", "IG Bit", 0x01)
	fLLCSSAP       = field("llc.ssap", "SSAP", TypeUint8)
	fLLCSSAPSAP    = register(Field{Name: "llc.ssap.sap", Title: "SAP", Type: TypeUint8, Mask: 0xfe, Values: llcSAPNames})
	fLLCSSAPCR     = flagField("llc.ssap.cr", "CR Bit", 0x01)
	fLLCControl    = register(Field{Name: "llc.control", Title: "Control", Type: TypeUint16, Hex: true})
	fLLCOUI        = register(Field{Name: "llc.oui", Title: "Organization Code", Type: TypeUint24, Values: llcOUINames, Hex: true})
	fLLCPID        = register(Field{Name: "llc.pid", Title: "Protocol ID", Type: TypeUint16, Hex: true})
	fLLCType       = register(Field{Name: "llc.type", Title: "Type", Type: TypeUint16, Values: etherTypeNames, Hex: true})
	fLLCCiscoPID   = register(Field{Name: "llc.cisco_pid", Title: "PID", Type: TypeUint16, Values: llcCiscoPIDs, Hex: true})
	fLLCBridgedPID = register(Field{Name: "llc.bridged_pid", Title: "PID", Type: TypeUint16, Values: llcBridgedPIDs, Hex: true})
)

func init() {
	llcDissector = dissectLLC
	registerText(protoLLC, textLLC)
}

// llcSAPNames are the service access points tcpdump names.
var llcSAPNames = map[uint64]string{
	0x00: "Null",
	0x02: "802.1B I",
	0x04: "SNA",
	0x06: "IP",
	0x0e: "ProWay NM",
	0x42: "STP",
	0x4e: "RS511",
	0x7e: "ISO8208",
	0x8e: "ProWay",
	0xaa: "SNAP",
	0xe0: "IPX",
	0xf0: "NetBeui",
	0xfe: "OSI",
}

// llcOUINames are the SNAP organisation codes tcpdump names.
var llcOUINames = map[uint64]string{
	0x000000: "Ethernet",
	0x00000c: "Cisco",
	0x0000f8: "Cisco bridged",
	0x0080c2: "Ethernet bridged",
	0x0012bb: "ANSI/TIA",
	0x00a03e: "ATM Forum",
	0x080007: "Appletalk",
	0x001018: "Broadcom",
	0x001b21: "DCBX",
	0x00e02f: "DOCSIS Spanning Tree",
	0x00049f: "Freescale",
	0x002481: "HP",
	0x0004ea: "HP-Labs",
	0x080009: "Hewlett-Packard",
	0x00005e: "IANA",
	0x00120f: "IEEE 802.3 Private",
	0x009069: "Juniper",
	0x0015ad: "Netronome",
	0x002320: "Nicira Networks",
	0x000081: "Nortel Networks SONMP",
	0x00e004: "PMC-Sierra",
}

// llcCiscoPIDs are Cisco's SNAP protocol ids.
var llcCiscoPIDs = map[uint64]string{
	0x2000: "CDP",
	0x2004: "DTP",
	0x010b: "PVST",
	0x0111: "UDLD",
	0x010c: "VLAN Bridge",
	0x2003: "VTP",
}

// llcBridgedPIDs are the IEEE 802.1 bridged SNAP protocol ids (RFC 1483).
var llcBridgedPIDs = map[uint64]string{
	0x0001: "Ethernet + FCS",
	0x0002: "802.4 + FCS",
	0x0003: "Token Ring + FCS",
	0x0004: "FDDI + FCS",
	0x0005: "802.6 + FCS",
	0x0007: "Ethernet w/o FCS",
	0x0008: "802.4 w/o FCS",
	0x0009: "Token Ring w/o FCS",
	0x000a: "FDDI w/o FCS",
	0x000b: "802.6 w/o FCS",
	0x000e: "BPDU",
}

const (
	llcSAPSNAP = 0xaa
	llcSAPSTP  = 0x42
	llcSAPIP   = 0x06
	llcSAPOSI  = 0xfe
	llcOUIEth  = 0x000000
	llcOUICBr  = 0x0000f8
	llcOUICsco = 0x00000c
	llcOUIBr   = 0x0080c2
)

func dissectLLC(t *Tree, off, end int) {
	l := t.AddLayer(protoLLC, off, end-off)
	avail := t.Avail(off, end)
	// cut marks the header cut short; tcpdump's -x then starts after the
	// bytes it dumped inline.
	cut := func() {
		t.Mark(l, Truncated)
		if t.NetOff == off {
			t.NetOff = end
		}
	}
	if avail < 3 {
		cut()
		return
	}
	dsap, ssap, c := t.U8(off), t.U8(off+1), t.U8(off+2)
	i := t.Add(l, fLLCDSAP, off, 1, dsap)
	t.Add(i, fLLCDSAPSAP, off, 1, dsap>>1)
	t.Add(i, fLLCDSAPIG, off, 1, dsap&1)
	i = t.Add(l, fLLCSSAP, off+1, 1, ssap)
	t.Add(i, fLLCSSAPSAP, off+1, 1, ssap>>1)
	t.Add(i, fLLCSSAPCR, off+1, 1, ssap&1)
	// tcpdump's -x starts after the LLC (and SNAP) header of a frame whose
	// link layer ends where LLC starts.
	// Behind a Linux cooked header it does so only when it reads what the
	// LLC frame carries.
	direct := t.NetOff == off
	atLink := direct && t.Below(l, protoSLL) < 0
	carried := func(n int) {
		if direct {
			t.NetOff = off + n
		}
	}
	if c&3 != 3 {
		if avail < 4 {
			cut()
			return
		}
		t.Add(l, fLLCControl, off+2, 2, c|t.U8(off+3)<<8)
		if atLink {
			t.NetOff = off + 4
		}
		if c&1 == 0 && end > off+4 {
			// An information frame's payload, which tshark shows as data.
			DissectData(t, off+4, end)
		}
		return
	}
	t.Add(l, fLLCControl, off+2, 1, c)
	if atLink {
		t.NetOff = off + 3
	}
	if c != 0x03 {
		return
	}
	d, s := dsap&0xfe, ssap&0xfe
	switch {
	case d == llcSAPSNAP && s == llcSAPSNAP:
		if avail < 8 {
			if atLink {
				t.NetOff = off
			}
			cut()
			return
		}
		oui, pid := t.U24(off+3), t.U16(off+6)
		t.Add(l, fLLCOUI, off+3, 3, oui)
		if atLink {
			t.NetOff = off + 8
		}
		switch oui {
		case llcOUIEth, llcOUICBr:
			t.Add(l, fLLCType, off+6, 2, pid)
			if Ethertypes.Lookup(uint32(pid)) != nil {
				carried(8)
			}
			dispatchEthertype(t, pid, off+8, end)
			return
		case llcOUICsco:
			t.Add(l, fLLCCiscoPID, off+6, 2, pid)
			if pid == 0x010b && stpDissector != nil {
				carried(8)
				t.Call(stpDissector, off+8, end)
				return
			}
			if pid == 0x0111 {
				carried(8)
				t.Call(dissectUDLD, off+8, end)
				return
			}
			if d := llcCiscoDissectors[pid]; d != nil {
				carried(8)
				t.Call(d, off+8, end)
				return
			}
		case llcOUIBr:
			t.Add(l, fLLCBridgedPID, off+6, 2, pid)
			switch pid {
			case 0x0001, 0x0007:
				// Two bytes of padding, then the frame.
				if off+10 <= end {
					carried(8)
					t.Call(dissectEthernet, off+10, end)
					return
				}
			case 0x000e:
				if stpDissector != nil {
					carried(8)
					t.Call(stpDissector, off+8, end)
					return
				}
			}
		default:
			t.Add(l, fLLCPID, off+6, 2, pid)
		}
		DissectData(t, off+8, end)
	case d == llcSAPSTP && s == llcSAPSTP && stpDissector != nil:
		carried(3)
		t.Call(stpDissector, off+3, end)
	case d == llcSAPOSI && s == llcSAPOSI && nlpidKnown(t, off+3, end):
		carried(3)
		t.Call(dissectOSI, off+3, end)
	case d == s && llcSAPDissectors[d>>1] != nil:
		carried(3)
		t.Call(llcSAPDissectors[d>>1], off+3, end)
	case d == llcSAPIP && s == llcSAPIP:
		if ip := Ethertypes.Lookup(0x0800); ip != nil {
			carried(3)
			t.Call(ip, off+3, end)
		}
	}
}

// llcCiscoDissectors are the dissectors of Cisco's SNAP protocol ids, and
// llcSAPDissectors those of SAPs (by SAP>>1), that their files register.
var (
	llcCiscoDissectors = map[uint64]Dissector{}
	llcSAPDissectors   [128]Dissector
)

// stpDissector is the spanning tree dissector, set by stp.go.
var stpDissector Dissector

func llcAppendSAP(b []byte, sap uint64, unknown string) []byte {
	if s, ok := llcSAPNames[sap&0xfe]; ok {
		return append(b, s...)
	}
	b = append(b, unknown...)
	b = append(b, "0x"...)
	return append(b, hexDigits[sap>>4&15], hexDigits[sap&0xe])
}

func llcAppendHex8(b []byte, v uint64) []byte {
	return append(b, '0', 'x', hexDigits[v>>4&15], hexDigits[v&15])
}

// llcMACs appends "src[ ssap] > dst " as tcpdump prefixes an LLC frame it
// does not read further, with the Ethernet addresses when there are some.
func (p *Printer) llcMACs(n int, sapNames bool) {
	t := &p.t
	e := t.Below(n, protoEth)
	var src, dst []byte
	if e >= 0 {
		if i := t.Find(e, fEthSrc); i >= 0 {
			src = t.Bytes(i)
		}
		if i := t.Find(e, fEthDst); i >= 0 {
			dst = t.Bytes(i)
		}
	}
	dsap, _ := t.Value(n, fLLCDSAP)
	ssap, _ := t.Value(n, fLLCSSAP)
	if e >= 0 {
		p.b = appendHexColons(p.b, src)
		if sapNames && dsap&0xfe != ssap&0xfe {
			p.b = append(p.b, ' ')
			p.b = llcAppendSAP(p.b, ssap, "Unknown SSAP ")
		}
		p.b = append(p.b, " > "...)
		p.b = appendHexColons(p.b, dst)
		p.b = append(p.b, ' ')
	} else if sapNames && dsap&0xfe != ssap&0xfe {
		p.b = llcAppendSAP(p.b, ssap, "Unknown SSAP ")
		p.b = append(p.b, " > "...)
	}
	if sapNames {
		p.b = llcAppendSAP(p.b, dsap, "Unknown DSAP ")
		p.b = append(p.b, ' ')
	}
}

// llcDump appends the LLC layer's bytes as tcpdump's default print does.
func (p *Printer) llcDump(n int) {
	if p.opt.Hex > 0 || p.opt.HexASCII > 0 || p.opt.Quiet {
		return
	}
	off := int(p.t.Nodes[n].Off)
	p.b = appendHexRows(p.b, p.t.Data[off:off+p.t.Avail(off, off+int(p.t.Nodes[n].Len))], 0, true)
}

func textLLC(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	ctrl, hasCtrl := t.Value(n, fLLCControl)
	if !hasCtrl {
		// The bytes there are dumped inline, -x or not.
		p.b = append(p.b, " [|llc]"...)
		off := int(t.Nodes[n].Off)
		p.b = appendHexRows(p.b, t.Data[off:off+t.Avail(off, off+int(t.Nodes[n].Len))], 0, true)
		return
	}
	dsap, _ := t.Value(n, fLLCDSAP)
	ssap, _ := t.Value(n, fLLCSSAP)
	if p.opt.Link {
		p.b = append(p.b, "LLC, dsap "...)
		p.b = llcAppendSAP(p.b, dsap, "Unknown (")
		if _, ok := llcSAPNames[dsap&0xfe]; ok {
			p.b = append(p.b, " ("...)
			p.b = llcAppendHex8(p.b, dsap&0xfe)
		}
		p.b = append(p.b, ')')
		if dsap&1 != 0 {
			p.b = append(p.b, " Group"...)
		} else {
			p.b = append(p.b, " Individual"...)
		}
		p.b = append(p.b, ", ssap "...)
		p.b = llcAppendSAP(p.b, ssap, "Unknown (")
		if _, ok := llcSAPNames[ssap&0xfe]; ok {
			p.b = append(p.b, " ("...)
			p.b = llcAppendHex8(p.b, ssap&0xfe)
		}
		p.b = append(p.b, ')')
		if ssap&1 != 0 {
			p.b = append(p.b, " Response"...)
		} else {
			p.b = append(p.b, " Command"...)
		}
		p.b = append(p.b, ", ctrl "...)
		if ctrl&3 != 3 {
			p.b = linkHex16(p.b, ctrl)
		} else {
			p.b = llcAppendHex8(p.b, ctrl)
		}
		p.b = append(p.b, ": "...)
	}
	if oui, ok := t.Value(n, fLLCOUI); ok {
		p.textSNAP(l, n, oui)
		return
	}
	if t.Nodes[n].Flags&Truncated != 0 && ctrl == 3 && dsap&0xfe == llcSAPSNAP && ssap&0xfe == llcSAPSNAP {
		p.b = append(p.b, " [|snap]"...)
		return
	}
	if next := p.Proto(l + 1); next != 0 && ctrl == 3 {
		p.Layer(l + 1)
		return
	}
	if !p.opt.Link {
		p.llcMACs(n, true)
	}
	cmd := ssap&1 == 0
	length := int64(t.Nodes[n].Len)
	switch {
	case ctrl&1 == 0: // information
		p.b = append(p.b, "Information, send seq "...)
		p.b = strconv.AppendUint(p.b, ctrl>>1&0x7f, 10)
		p.b = append(p.b, ", rcv seq "...)
		p.b = strconv.AppendUint(p.b, ctrl>>9&0x7f, 10)
		p.llcFlags(cmd, ctrl&0x100 != 0)
		p.b = append(p.b, ", length "...)
		p.b = strconv.AppendInt(p.b, length, 10)
		p.llcDump(n)
	case ctrl&3 == 1: // supervisory
		p.b = append(p.b, "Supervisory, "...)
		switch ctrl >> 2 & 3 {
		case 0:
			p.b = append(p.b, "Receiver Ready"...)
		case 1:
			p.b = append(p.b, "Receiver not Ready"...)
		case 2:
			p.b = append(p.b, "Reject"...)
		default:
			p.b = append(p.b, '?')
		}
		p.b = append(p.b, ", rcv seq "...)
		p.b = strconv.AppendUint(p.b, ctrl>>9&0x7f, 10)
		p.llcFlags(cmd, ctrl&0x100 != 0)
		p.b = append(p.b, ", length "...)
		p.b = strconv.AppendInt(p.b, length, 10)
	default: // unnumbered
		p.b = append(p.b, "Unnumbered, "...)
		m := ctrl & 0xef
		switch m {
		case 0x03:
			p.b = append(p.b, "ui"...)
		case 0x43:
			p.b = append(p.b, "disc"...)
		case 0x63:
			p.b = append(p.b, "ua"...)
		case 0x6f:
			p.b = append(p.b, "sabme"...)
		case 0x87:
			p.b = append(p.b, "frmr"...)
		case 0xaf:
			p.b = append(p.b, "xid"...)
		case 0xe3:
			p.b = append(p.b, "test"...)
		case 0x0f:
			p.b = append(p.b, "dm"...)
		default:
			p.b = append(p.b, hexDigits[m>>4], hexDigits[m&15])
		}
		p.llcFlags(cmd, ctrl&0x10 != 0)
		p.b = append(p.b, ", length "...)
		p.b = strconv.AppendInt(p.b, length, 10)
		off := int(t.Nodes[n].Off)
		captured := t.Avail(off, off+int(length))
		if m == 0xaf && length > 3 {
			if captured < 4 {
				p.b = append(p.b, " [|llc]"...)
				return
			}
			if t.Data[off+3] == 0x81 {
				if captured < 6 {
					// The XID information cut short is dumped
					// inline, -x or not.
					p.b = append(p.b, " [|llc]"...)
					p.b = appendHexRows(p.b, t.Data[off+3:off+captured], 0, true)
					return
				}
				p.b = append(p.b, ": "...)
				p.b = llcAppendHex2(p.b, t.Data[off+4])
				p.b = append(p.b, ' ')
				p.b = llcAppendHex2(p.b, t.Data[off+5])
				return
			}
		}
		if m != 0xaf || length > 3 {
			p.llcDump(n)
		}
	}
}

func llcAppendHex2(b []byte, c byte) []byte { return append(b, hexDigits[c>>4], hexDigits[c&15]) }

func (p *Printer) llcFlags(cmd, pf bool) {
	p.b = append(p.b, ", Flags ["...)
	switch {
	case cmd && pf:
		p.b = append(p.b, "Poll"...)
	case cmd:
		p.b = append(p.b, "Command"...)
	case pf:
		p.b = append(p.b, "Final"...)
	default:
		p.b = append(p.b, "Response"...)
	}
	p.b = append(p.b, ']')
}

// textSNAP appends the SNAP header's text: in full with -e, else only when
// no protocol after it was read.
func (p *Printer) textSNAP(l, n int, oui uint64) {
	t := &p.t
	next := p.Proto(l + 1)
	known := next != 0 && next != protoData
	if !p.opt.Link && known {
		p.Layer(l + 1)
		return
	}
	if !p.opt.Link {
		p.llcMACs(n, false)
		p.b = append(p.b, "SNAP, "...)
	}
	if p.opt.Link || oui != llcOUIEth {
		p.b = append(p.b, "oui "...)
		if s, ok := llcOUINames[oui]; ok {
			p.b = append(p.b, s...)
		} else {
			p.b = append(p.b, "Unknown"...)
		}
		p.b = append(p.b, " (0x"...)
		for sh := 20; sh >= 0; sh -= 4 {
			p.b = append(p.b, hexDigits[oui>>sh&15])
		}
		p.b = append(p.b, "), "...)
	}
	var pid uint64
	var names map[uint64]string
	if v, ok := t.Value(n, fLLCType); ok {
		pid, names = v, etherTypeNames
		if oui == llcOUIEth {
			p.b = append(p.b, "ethertype "...)
		} else {
			p.b = append(p.b, "pid "...)
		}
	} else {
		p.b = append(p.b, "pid "...)
		switch {
		case oui == llcOUICsco:
			pid, _ = t.Value(n, fLLCCiscoPID)
			names = llcCiscoPIDs
		case oui == llcOUIBr:
			pid, _ = t.Value(n, fLLCBridgedPID)
			names = llcBridgedPIDs
		default:
			pid, _ = t.Value(n, fLLCPID)
			if oui == 0x080007 {
				names = etherTypeNames
			}
		}
	}
	if s, ok := names[pid]; ok {
		p.b = append(p.b, s...)
	} else {
		p.b = append(p.b, "Unknown"...)
	}
	p.b = append(p.b, " ("...)
	p.b = linkHex16(p.b, pid)
	p.b = append(p.b, "), length "...)
	p.b = strconv.AppendInt(p.b, int64(t.Nodes[n].Len)-8, 10)
	p.b = append(p.b, ": "...)
	if known {
		p.Layer(l + 1)
		return
	}
	p.llcDump(n)
}
