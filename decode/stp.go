package decode

// Spanning tree BPDUs: 802.1D configuration and topology change, 802.1w
// rapid (RSTP), 802.1s multiple (MSTP) and 802.1aq shortest path bridging
// (SPB) BPDUs, over LLC SAP 0x42 or SNAP (Cisco PVST, 802.1 bridged BPDU).

import (
	"math"
	"strconv"
)

var (
	protoSTP          = proto("stp", "Spanning Tree Protocol")
	fSTPProtocol      = field("stp.protocol", "Protocol Identifier", TypeUint16)
	fSTPVersion       = enumField("stp.version", "Protocol Version Identifier", TypeUint8, stpVersionNames)
	fSTPType          = register(Field{Name: "stp.type", Title: "BPDU Type", Type: TypeUint8, Values: stpTypeNames, Hex: true})
	fSTPFlags         = register(Field{Name: "stp.flags", Title: "BPDU flags", Type: TypeUint8, Hex: true})
	fSTPFlagTCAck     = flagField("stp.flags.tcack", "Topology Change Acknowledgment", 0x80)
	fSTPFlagAgreement = flagField("stp.flags.agreement", "Agreement", 0x40)
	fSTPFlagForward   = flagField("stp.flags.forwarding", "Forwarding", 0x20)
	fSTPFlagLearn     = flagField("stp.flags.learning", "Learning", 0x10)
	fSTPFlagPortRole  = register(Field{Name: "stp.flags.port_role", Title: "Port Role", Type: TypeUint8, Mask: 0x0c, Values: stpRoleNames})
	fSTPFlagProposal  = flagField("stp.flags.proposal", "Proposal", 0x02)
	fSTPFlagTC        = flagField("stp.flags.tc", "Topology Change", 0x01)
	fSTPRootPrio      = field("stp.root.prio", "Root Bridge Priority", TypeUint16)
	fSTPRootHW        = field("stp.root.hw", "Root Bridge System ID", TypeEther)
	fSTPRootCost      = field("stp.root.cost", "Root Path Cost", TypeUint32)
	fSTPBridgePrio    = field("stp.bridge.prio", "Bridge Priority", TypeUint16)
	fSTPBridgeHW      = field("stp.bridge.hw", "Bridge System ID", TypeEther)
	fSTPPort          = register(Field{Name: "stp.port", Title: "Port identifier", Type: TypeUint16, Hex: true})
	fSTPMsgAge        = field("stp.msg_age", "Message Age", TypeDouble)
	fSTPMaxAge        = field("stp.max_age", "Max Age", TypeDouble)
	fSTPHello         = field("stp.hello", "Hello Time", TypeDouble)
	fSTPForward       = field("stp.forward", "Forward Delay", TypeDouble)
	fSTPV1Len         = field("stp.version_1_length", "Version 1 Length", TypeUint8)
	fSTPV3Len         = field("mstp.version_3_length", "Version 3 Length", TypeUint16)
	fSTPMSTFormat     = field("mstp.config_format_selector", "MST Config ID format selector", TypeUint8)
	fSTPMSTName       = field("stp.mst_config_name", "MST Config name", TypeString) // tshark's mstp.config_name is FT_STRINGZPAD
	fSTPMSTRev        = field("mstp.config_revision_level", "MST Config revision", TypeUint16)
	fSTPMSTDigest     = field("mstp.config_digest", "MST Config digest", TypeBytes)
	fSTPCISTCost      = field("mstp.cist_internal_root_path_cost", "CIST Internal Root Path Cost", TypeUint32)
	fSTPCISTPrio      = field("mstp.cist_bridge.prio", "CIST Bridge Priority", TypeUint16)
	fSTPCISTHW        = field("mstp.cist_bridge.hw", "CIST Bridge Identifier System ID", TypeEther)
	fSTPCISTHops      = field("mstp.cist_remaining_hops", "CIST Remaining hops", TypeUint8)
	fSTPMSTIFlags     = register(Field{Name: "mstp.msti.flags", Title: "MSTI flags", Type: TypeUint8, Hex: true})
	fSTPMSTIID        = register(Field{Name: "mstp.msti.msti_id", Title: "MSTID", Type: TypeUint16, Mask: 0x0fff})
	fSTPMSTIRootID    = field("mstp.msti.regional_root_id", "MSTI Regional Root Identifier", TypeUint16)
	fSTPMSTIRootHW    = field("mstp.msti.root.hw", "Regional Root", TypeEther)
	fSTPMSTICost      = field("mstp.msti.root_cost", "Internal root path cost", TypeUint32)
	fSTPMSTIBPrio     = field("mstp.msti.bridge_priority", "Bridge Identifier Priority", TypeUint8)
	fSTPMSTIPPrio     = field("mstp.msti.port_priority", "Port identifier priority", TypeUint8)
	fSTPMSTIHops      = field("mstp.msti.remaining_hops", "Remaining hops", TypeUint8)
	fSTPV4Len         = field("mstp.version_4_length", "Version 4 Length", TypeUint16)
	fSTPAgreeDigest   = field("mstp.agreement_digest", "Agreement Digest", TypeBytes)
)

func init() {
	stpDissector = dissectSTP
	registerText(protoSTP, textSTP)
}

var stpVersionNames = map[uint64]string{0: "802.1d", 2: "802.1w", 3: "802.1s", 4: "802.1aq"}

var stpTypeNames = map[uint64]string{0x00: "Config", 0x80: "Topology Change", 0x02: "Rapid STP"}

var stpRoleNames = map[uint64]string{0: "Unknown", 1: "Alternate", 2: "Root", 3: "Designated"}

const (
	stpConfigLen = 35  // an 802.1D configuration BPDU
	stpRSTPLen   = 36  // an RSTP BPDU (with the version 1 length)
	stpMSTPLen   = 102 // an MSTP BPDU without MSTI records
	stpMSTIOff   = 102 // the first MSTI record
	stpMSTILen   = 16  // an MSTI record
	stpSPBLen    = 85  // the SPB part after the MSTIs (version 4 length)
)

func dissectSTP(t *Tree, off, end int) {
	l := t.AddLayer(protoSTP, off, end-off)
	capEnd := off + t.Avail(off, end)
	defer func() {
		// tshark reads the BPDU's type, and for a configuration or
		// rapid spanning tree BPDU the root, cost and port its item
		// names, before it adds the item.
		need := 4
		if off+4 <= capEnd && (t.U8(off+3) == 0x00 || t.U8(off+3) == 0x02) {
			need = 27
		}
		if t.Nodes[l].Flags&Truncated != 0 && off+need > capEnd {
			t.Nodes[l].Flags |= Nested
		}
	}()
	// short reports whether the first n bytes are missing from the capture;
	// the layer is cut short only when the packet holds them (tcpdump's
	// "[|stp]"), not when its length says they are not there ("invalid").
	short := func(n int) bool {
		if off+n <= capEnd {
			return false
		}
		if off+n <= end {
			t.Mark(l, Truncated)
		}
		return true
	}
	if short(2) {
		return
	}
	t.Add(l, fSTPProtocol, off, 2, t.U16(off))
	if t.U16(off) != 0 || short(3) {
		return
	}
	ver := t.U8(off + 2)
	t.Add(l, fSTPVersion, off+2, 1, ver)
	if short(4) {
		return
	}
	typ := t.U8(off + 3)
	t.Add(l, fSTPType, off+3, 1, typ)
	if _, ok := stpVersionNames[ver]; !ok || (typ != 0x00 && typ != 0x02) {
		return
	}
	// A BPDU shorter than its type needs is invalid, whatever was captured.
	switch {
	case typ == 0x00 && end-off < stpConfigLen,
		typ == 0x02 && ver < 2,
		typ == 0x02 && ver == 2 && end-off < stpRSTPLen,
		typ == 0x02 && ver >= 3 && end-off < stpMSTPLen:
		return
	}
	if short(5) {
		return
	}
	fl := t.U8(off + 4)
	f := t.Add(l, fSTPFlags, off+4, 1, fl)
	t.Add(f, fSTPFlagTCAck, off+4, 1, fl>>7&1)
	t.Add(f, fSTPFlagAgreement, off+4, 1, fl>>6&1)
	t.Add(f, fSTPFlagForward, off+4, 1, fl>>5&1)
	t.Add(f, fSTPFlagLearn, off+4, 1, fl>>4&1)
	t.Add(f, fSTPFlagPortRole, off+4, 1, fl>>2&3)
	t.Add(f, fSTPFlagProposal, off+4, 1, fl>>1&1)
	t.Add(f, fSTPFlagTC, off+4, 1, fl&1)
	// Without -v tcpdump reads a configuration BPDU up to the port and an
	// MSTP one up to its version 3 length (and an SPB one's version 4
	// length): the capture is cut short only when it ends before those.
	// The text marks -v's further needs itself.
	captured := func(n int) bool { return off+n <= capEnd }
	if typ == 0x00 || ver == 2 {
		if short(27) {
			return
		}
		t.Add(l, fSTPBridgePrio, off+17, 2, t.U16(off+17))
		t.AddBytes(l, fSTPBridgeHW, off+19, 6)
		t.Add(l, fSTPPort, off+25, 2, t.U16(off+25))
	} else if ver < 2 || short(38) {
		return
	}
	if !captured(stpConfigLen) {
		return
	}
	if typ != 0x00 && ver != 2 {
		t.Add(l, fSTPBridgePrio, off+17, 2, t.U16(off+17))
		t.AddBytes(l, fSTPBridgeHW, off+19, 6)
		t.Add(l, fSTPPort, off+25, 2, t.U16(off+25))
	}
	t.Add(l, fSTPRootPrio, off+5, 2, t.U16(off+5))
	t.AddBytes(l, fSTPRootHW, off+7, 6)
	t.Add(l, fSTPRootCost, off+13, 4, t.U32(off+13))
	for i, fd := range [...]FieldID{fSTPMsgAge, fSTPMaxAge, fSTPHello, fSTPForward} {
		// Seconds in 1/256 units, held as float64 bits.
		t.Add(l, fd, off+27+2*i, 2, stpFloatBits(t.U16(off+27+2*i)))
	}
	if ver < 2 || typ != 0x02 || !captured(stpRSTPLen) {
		return
	}
	t.Add(l, fSTPV1Len, off+35, 1, t.U8(off+35))
	if ver < 3 {
		return
	}
	v3 := int(t.U16(off + 36))
	t.Add(l, fSTPV3Len, off+36, 2, uint64(v3))
	if !captured(stpMSTPLen) {
		stpSPBLength(t, l, off, v3, ver, short)
		return
	}
	t.Add(l, fSTPMSTFormat, off+38, 1, t.U8(off+38))
	t.AddBytes(l, fSTPMSTName, off+39, 32)
	t.Add(l, fSTPMSTRev, off+71, 2, t.U16(off+71))
	t.AddBytes(l, fSTPMSTDigest, off+73, 16)
	t.Add(l, fSTPCISTCost, off+89, 4, t.U32(off+89))
	t.Add(l, fSTPCISTPrio, off+93, 2, t.U16(off+93))
	t.AddBytes(l, fSTPCISTHW, off+95, 6)
	t.Add(l, fSTPCISTHops, off+101, 1, t.U8(off+101))
	for m := stpMSTIOff; m+stpMSTILen <= 38+v3; m += stpMSTILen {
		if !captured(m + stpMSTILen) {
			break
		}
		o := off + m
		t.Add(l, fSTPMSTIFlags, o, 1, t.U8(o))
		t.Add(l, fSTPMSTIID, o+1, 2, t.U16(o+1)&0xfff)
		t.Add(l, fSTPMSTIRootID, o+1, 2, t.U16(o+1))
		t.AddBytes(l, fSTPMSTIRootHW, o+3, 6)
		t.Add(l, fSTPMSTICost, o+9, 4, t.U32(o+9))
		t.Add(l, fSTPMSTIBPrio, o+13, 1, t.U8(o+13))
		t.Add(l, fSTPMSTIPPrio, o+14, 1, t.U8(o+14))
		t.Add(l, fSTPMSTIHops, o+15, 1, t.U8(o+15))
	}
	if stpSPBLength(t, l, off, v3, ver, short) && captured(38+v3+2+stpSPBLen) {
		t.AddBytes(l, fSTPAgreeDigest, off+38+v3+67, 20)
	}
}

// stpSPBLength adds an SPB BPDU's version 4 length, which tcpdump reads with
// or without -v, and reports whether it was there.
func stpSPBLength(t *Tree, l, off, v3 int, ver uint64, short func(int) bool) bool {
	v4 := 38 + v3
	if ver < 4 || short(v4+2) {
		return false
	}
	t.Add(l, fSTPV4Len, off+v4, 2, t.U16(off+v4))
	return true
}

// stpFloatBits is a timer of 1/256 s as the bits of a float64 of seconds.
func stpFloatBits(v uint64) uint64 {
	return math.Float64bits(float64(v) / 256)
}

// stpText is what the STP text function needs while it walks a BPDU.
type stpText struct {
	p   *Printer
	off int // the BPDU's first byte
	cap int // bytes of it captured
}

// has reports whether the first n bytes of the BPDU were captured; when not,
// it appends tcpdump's truncation mark.
func (s *stpText) has(n int) bool {
	if n <= s.cap {
		return true
	}
	s.p.b = append(s.p.b, " [|stp]"...)
	// tcpdump abandons the packet: a single -x dumps from the first byte.
	s.p.abandon()
	return false
}

func (s *stpText) u8(i int) uint64  { return uint64(s.p.t.Data[s.off+i]) }
func (s *stpText) u16(i int) uint64 { return s.p.t.U16(s.off + i) }
func (s *stpText) u32(i int) uint64 { return s.p.t.U32(s.off + i) }

// bridgeID appends an 8-byte bridge id as 8001.00:19:06:ea:b8:80.
func (s *stpText) bridgeID(i int) {
	s.p.b = stpAppendHex16(s.p.b, s.u16(i))
	s.p.b = append(s.p.b, '.')
	s.p.b = appendHexColons(s.p.b, s.p.t.Data[s.off+i+2:s.off+i+8])
}

func stpAppendHex16(b []byte, v uint64) []byte {
	return append(b, hexDigits[v>>12&15], hexDigits[v>>8&15], hexDigits[v>>4&15], hexDigits[v&15])
}

func (s *stpText) timer(name string, i int) {
	s.p.b = append(s.p.b, name...)
	s.p.b = strconv.AppendFloat(s.p.b, float64(s.u16(i))/256, 'f', 2, 64)
	s.p.b = append(s.p.b, 's')
}

func (s *stpText) flags(v uint64) {
	s.p.b = append(s.p.b, "Flags ["...)
	first := true
	for _, f := range [...]struct {
		bit  uint64
		name string
	}{{0x01, "Topology change"}, {0x02, "Proposal"}, {0x10, "Learn"}, {0x20, "Forward"}, {0x40, "Agreement"}, {0x80, "Topology change ACK"}} {
		if v&f.bit != 0 {
			if !first {
				s.p.b = append(s.p.b, ", "...)
			}
			s.p.b = append(s.p.b, f.name...)
			first = false
		}
	}
	if first {
		s.p.b = append(s.p.b, "none"...)
	}
	s.p.b = append(s.p.b, ']')
}

func (s *stpText) role(flags uint64) {
	s.p.b = append(s.p.b, stpRoleNames[flags>>2&3]...)
}

func (s *stpText) digest(i, n int) {
	for _, c := range s.p.t.Data[s.off+i : s.off+i+n] {
		s.p.b = append(s.p.b, hexDigits[c>>4], hexDigits[c&15])
	}
}

// name appends a 32-byte configuration name up to its first NUL, each byte
// captured or the mark; false when the capture ended.
func (s *stpText) name(i int) bool {
	for k := 0; k < 32; k++ {
		if !s.has(i + k + 1) {
			return false
		}
		c := s.p.t.Data[s.off+i+k]
		if c == 0 {
			break
		}
		s.p.b = appendNameChar(s.p.b, c)
	}
	return true
}

// appendNameChar appends a byte of a name as tcpdump shows text: M- for the
// high bit, ^X for control characters.
func appendNameChar(b []byte, c byte) []byte {
	if c&0x80 != 0 {
		b = append(b, 'M', '-')
		c &= 0x7f
	}
	if c < 0x20 || c == 0x7f {
		return append(b, '^', c^0x40)
	}
	return append(b, c)
}

func textSTP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off := int(t.Nodes[n].Off)
	length := int(t.Nodes[n].Len)
	s := &stpText{p: p, off: off, cap: t.Avail(off, off+length)}
	if length < 4 {
		p.b = append(p.b, " (invalid)"...)
		return
	}
	if !s.has(2) {
		return
	}
	if s.u16(0) != 0 {
		p.b = append(p.b, "unknown STP version, length "...)
		p.b = strconv.AppendInt(p.b, int64(length), 10)
		return
	}
	if !s.has(3) {
		return
	}
	ver := s.u8(2)
	p.b = append(p.b, "STP "...)
	name, ok := stpVersionNames[ver]
	if !ok {
		p.b = append(p.b, "Unknown STP protocol (0x"...)
		p.b = append(p.b, hexDigits[ver>>4], hexDigits[ver&15], ')')
		return
	}
	p.b = append(p.b, name...)
	if !s.has(4) {
		return
	}
	typ := s.u8(3)
	switch {
	case typ == 0x00:
		p.b = append(p.b, ", Config"...)
		if length < stpConfigLen {
			p.b = append(p.b, " (invalid)"...)
			return
		}
		s.config(ver, length)
	case typ == 0x80:
		p.b = append(p.b, ", Topology Change"...)
	case typ == 0x02:
		p.b = append(p.b, ", Rapid STP"...)
		switch {
		case ver == 2:
			if length < stpRSTPLen {
				p.b = append(p.b, " (invalid)"...)
				return
			}
			s.config(ver, length)
		case ver >= 3:
			if length < stpMSTPLen {
				p.b = append(p.b, " (invalid)"...)
				return
			}
			if !s.has(38) {
				return
			}
			if length < 38+int(s.u16(36)) {
				p.b = append(p.b, " (invalid)"...)
				return
			}
			s.mstp(ver, length)
		}
	default:
		p.b = append(p.b, ", Unknown BPDU Type (0x"...)
		p.b = append(p.b, hexDigits[typ>>4], hexDigits[typ&15], ')')
	}
}

// config appends a configuration or RSTP BPDU.
func (s *stpText) config(ver uint64, length int) {
	p := s.p
	if !s.has(5) {
		return
	}
	p.b = append(p.b, ", "...)
	s.flags(s.u8(4))
	if !s.has(27) {
		return
	}
	p.b = append(p.b, ", bridge-id "...)
	s.bridgeID(17)
	p.b = append(p.b, '.')
	p.b = stpAppendHex16(p.b, s.u16(25))
	p.b = append(p.b, ", length "...)
	p.b = strconv.AppendInt(p.b, int64(length), 10)
	if p.opt.Verbose == 0 {
		return
	}
	if !s.has(35) {
		return
	}
	s.timers()
	p.b = append(p.b, "\n\troot-id "...)
	s.bridgeID(5)
	p.b = append(p.b, ", root-pathcost "...)
	p.b = strconv.AppendUint(p.b, s.u32(13), 10)
	if ver == 2 {
		p.b = append(p.b, ", port-role "...)
		s.role(s.u8(4))
	}
}

func (s *stpText) timers() {
	s.timer("\n\tmessage-age ", 27)
	s.timer(", max-age ", 29)
	s.timer(", hello-time ", 31)
	s.timer(", forwarding-delay ", 33)
}

// mstp appends an MSTP or SPB BPDU; the first 38 bytes were captured.
func (s *stpText) mstp(ver uint64, length int) {
	p := s.p
	v3 := int(s.u16(36))
	p.b = append(p.b, ", CIST "...)
	s.flags(s.u8(4))
	p.b = append(p.b, ", length "...)
	p.b = strconv.AppendInt(p.b, int64(length), 10)
	if p.opt.Verbose > 0 {
		p.b = append(p.b, "\n\tport-role "...)
		s.role(s.u8(4))
		p.b = append(p.b, ", CIST root-id "...)
		s.bridgeID(5)
		p.b = append(p.b, ", CIST ext-pathcost "...)
		p.b = strconv.AppendUint(p.b, s.u32(13), 10)
		p.b = append(p.b, "\n\tCIST regional-root-id "...)
		s.bridgeID(17)
		p.b = append(p.b, ", CIST port-id "...)
		p.b = stpAppendHex16(p.b, s.u16(25))
		p.b = append(p.b, ',')
		s.timers()
		p.b = append(p.b, "\n\tv3len "...)
		p.b = strconv.AppendInt(p.b, int64(v3), 10)
		p.b = append(p.b, ", MCID Name "...)
		if !s.name(39) || !s.has(89) {
			return
		}
		p.b = append(p.b, ", rev "...)
		p.b = strconv.AppendUint(p.b, s.u16(71), 10)
		p.b = append(p.b, ",\n\t\tdigest "...)
		s.digest(73, 16)
		p.b = append(p.b, ", "...)
		if !s.has(93) {
			return
		}
		p.b = append(p.b, "CIST int-root-pathcost "...)
		p.b = strconv.AppendUint(p.b, s.u32(89), 10)
		p.b = append(p.b, ',')
		if !s.has(101) {
			return
		}
		p.b = append(p.b, "\n\tCIST bridge-id "...)
		s.bridgeID(93)
		p.b = append(p.b, ", "...)
		if !s.has(102) {
			return
		}
		p.b = append(p.b, "CIST remaining-hops "...)
		p.b = strconv.AppendUint(p.b, s.u8(101), 10)
		for m := stpMSTIOff; m+stpMSTILen <= 38+v3; m += stpMSTILen {
			if !s.has(m + 3) {
				return
			}
			p.b = append(p.b, "\n\tMSTI "...)
			p.b = strconv.AppendUint(p.b, s.u16(m+1)&0xfff, 10)
			p.b = append(p.b, ", "...)
			s.flags(s.u8(m))
			p.b = append(p.b, ", port-role "...)
			s.role(s.u8(m))
			if !s.has(m + 13) {
				return
			}
			p.b = append(p.b, "\n\t\tMSTI regional-root-id "...)
			s.bridgeID(m + 1)
			p.b = append(p.b, ", pathcost "...)
			p.b = strconv.AppendUint(p.b, s.u32(m+9), 10)
			if !s.has(m + 16) {
				return
			}
			p.b = append(p.b, "\n\t\tMSTI bridge-prio "...)
			p.b = strconv.AppendUint(p.b, s.u8(m+13)>>4, 10)
			p.b = append(p.b, ", port-prio "...)
			p.b = strconv.AppendUint(p.b, s.u8(m+14)>>4, 10)
			p.b = append(p.b, ", hops "...)
			p.b = strconv.AppendUint(p.b, s.u8(m+15), 10)
		}
	}
	if ver < 4 {
		return
	}
	v4 := 38 + v3
	if !s.has(v4 + 2) {
		return
	}
	v4len := int(s.u16(v4))
	if v4len < stpSPBLen || length < v4+2+v4len {
		p.b = append(p.b, " (invalid)"...)
		return
	}
	if p.opt.Verbose == 0 {
		return
	}
	p.b = append(p.b, "\n\tv4len "...)
	p.b = strconv.AppendInt(p.b, int64(v4len), 10)
	p.b = append(p.b, ", AUXMCID Name "...)
	if !s.name(v4+3) || !s.has(v4+53) {
		return
	}
	p.b = append(p.b, ", Rev "...)
	p.b = strconv.AppendUint(p.b, s.u16(v4+35), 10)
	p.b = append(p.b, ",\n\t\tdigest "...)
	s.digest(v4+37, 16)
	if !s.has(v4 + 87) {
		return
	}
	a := s.u8(v4 + 53)
	p.b = append(p.b, "\n\tAgreement num "...)
	p.b = strconv.AppendUint(p.b, a>>6&3, 10)
	p.b = append(p.b, ", Discarded Agreement num "...)
	p.b = strconv.AppendUint(p.b, a>>4&3, 10)
	p.b = append(p.b, ", Agreement valid-flag "...)
	p.b = strconv.AppendUint(p.b, a>>3&1, 10)
	p.b = append(p.b, ",\n\tRestricted role-flag: "...)
	p.b = strconv.AppendUint(p.b, a>>2&1, 10)
	f := s.u8(v4 + 55)
	p.b = append(p.b, ", Format id "...)
	p.b = strconv.AppendUint(p.b, f>>4, 10)
	p.b = append(p.b, " cap "...)
	p.b = strconv.AppendUint(p.b, f, 10)
	c := s.u8(v4 + 56)
	p.b = append(p.b, ", Convention id "...)
	p.b = strconv.AppendUint(p.b, c>>4, 10)
	p.b = append(p.b, " cap "...)
	p.b = strconv.AppendUint(p.b, c, 10)
	p.b = append(p.b, ",\n\tEdge count "...)
	p.b = strconv.AppendUint(p.b, s.u16(v4+57), 10)
	p.b = append(p.b, ", Agreement digest "...)
	s.digest(v4+67, 20)
}
