package decode

import "strconv"

// Cisco's Hot Standby Router Protocol, version 0 (RFC 2281), on UDP port
// 1985: a 20-byte hello, coup or resign message, or Cisco's 16-byte
// advertisement (opcode 3), an interface-state TLV.

var (
	protoHSRP          = proto("hsrp", "Cisco Hot Standby Router Protocol")
	fHSRPVersion       = field("hsrp.version", "Version", TypeUint8)
	fHSRPOpcode        = enumField("hsrp.opcode", "Op Code", TypeUint8, hsrpOpcodes)
	fHSRPState         = enumField("hsrp.state", "State", TypeUint8, hsrpStates)
	fHSRPHellotime     = field("hsrp.hellotime", "Hellotime", TypeUint8)
	fHSRPHoldtime      = field("hsrp.holdtime", "Holdtime", TypeUint8)
	fHSRPPriority      = field("hsrp.priority", "Priority", TypeUint8)
	fHSRPGroup         = field("hsrp.group", "Group", TypeUint8)
	fHSRPReserved      = field("hsrp.reserved", "Reserved", TypeUint8)
	fHSRPAuthData      = field("hsrp.auth_data", "Authentication Data", TypeString)
	fHSRPVirtIP        = field("hsrp.virt_ip", "Virtual IP Address", TypeIPv4)
	fHSRPAdvType       = field("hsrp.adv.tlvtype", "Adv type", TypeUint16)
	fHSRPAdvLength     = field("hsrp.adv.tlvlength", "Adv length", TypeUint16)
	fHSRPAdvState      = field("hsrp.adv.state", "Adv state", TypeUint8)
	fHSRPAdvReserved1  = field("hsrp.adv.reserved1", "Adv reserved1", TypeUint8)
	fHSRPAdvActiveGrp  = field("hsrp.adv.activegrp", "Adv active groups", TypeUint16)
	fHSRPAdvPassiveGrp = field("hsrp.adv.passivegrp", "Adv passive groups", TypeUint16)
	fHSRPAdvReserved2  = field("hsrp.adv.reserved2", "Adv reserved2", TypeUint32)
	hsrpOpcodes        = map[uint64]string{0: "Hello", 1: "Coup", 2: "Resign", 3: "Advertise"}
	hsrpStates         = map[uint64]string{0: "Initial", 1: "Learn", 2: "Listen", 4: "Speak", 8: "Standby", 16: "Active"}
	// hsrpStateWords are the states as tcpdump prints them.
	hsrpStateWords = map[uint64]string{0: "initial", 1: "learn", 2: "listen", 4: "speak", 8: "standby", 16: "active"}
	hsrpOpWords    = [3]string{"hello", "coup", "resign"}
)

// The sizes of an advertisement and of the other messages.
const (
	hsrpAdvLen = 16
	hsrpLen    = 20
)

func init() {
	UDPPorts.Register(1985, dissectHSRP)
	registerText(protoHSRP, textHSRP)
	malformedNames[protoHSRP] = "HSRP"
}

func dissectHSRP(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoHSRP, off, end, 2)
	if !ok {
		runOut(t, l, protoHSRP, off+2, end)
		return
	}
	t.Add(l, fHSRPVersion, off, 1, t.U8(off))
	op := t.U8(off + 1)
	t.Add(l, fHSRPOpcode, off+1, 1, op)
	if op == 3 {
		if n < hsrpAdvLen {
			runOut(t, l, protoHSRP, off+hsrpAdvLen, end)
			return
		}
		t.Add(l, fHSRPAdvType, off+2, 2, t.U16(off+2))
		t.Add(l, fHSRPAdvLength, off+4, 2, t.U16(off+4))
		t.Add(l, fHSRPAdvState, off+6, 1, t.U8(off+6))
		t.Add(l, fHSRPAdvReserved1, off+7, 1, t.U8(off+7))
		t.Add(l, fHSRPAdvActiveGrp, off+8, 2, t.U16(off+8))
		t.Add(l, fHSRPAdvPassiveGrp, off+10, 2, t.U16(off+10))
		t.Add(l, fHSRPAdvReserved2, off+12, 4, t.U32(off+12))
		return
	}
	if n < hsrpLen {
		runOut(t, l, protoHSRP, off+hsrpLen, end)
		return
	}
	t.Add(l, fHSRPState, off+2, 1, t.U8(off+2))
	t.Add(l, fHSRPHellotime, off+3, 1, t.U8(off+3))
	t.Add(l, fHSRPHoldtime, off+4, 1, t.U8(off+4))
	t.Add(l, fHSRPPriority, off+5, 1, t.U8(off+5))
	t.Add(l, fHSRPGroup, off+6, 1, t.U8(off+6))
	t.Add(l, fHSRPReserved, off+7, 1, t.U8(off+7))
	t.AddBytes(l, fHSRPAuthData, off+8, 8)
	t.AddBytes(l, fHSRPVirtIP, off+16, 4)
}

// textHSRP prints tcpdump's line, "HSRPv0-hello 20: state=active group=1
// addr=192.168.0.1", with " hellotime=3s holdtime=10s priority=100
// auth="cisco"" at -v. tcpdump reads an advertisement as it reads a hello,
// to the address it does not hold.
func textHSRP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off, length, lim := capturedSpan(t, n)
	if end := off + length; end < lim {
		lim = end
	}
	d := t.Data
	has := func(k int) bool { return off+k <= lim }
	if !has(1) {
		p.b = append(p.b, "[|hsrp]"...)
		return
	}
	p.b = append(p.b, "HSRPv"...)
	p.b = strconv.AppendUint(p.b, uint64(d[off]), 10)
	if !has(2) {
		p.b = append(p.b, " [|hsrp]"...)
		return
	}
	op := d[off+1]
	p.b = append(p.b, '-')
	if int(op) < len(hsrpOpWords) {
		p.b = append(p.b, hsrpOpWords[op]...)
	} else {
		p.b = append(p.b, "unknown ("...)
		p.b = strconv.AppendUint(p.b, uint64(op), 10)
		p.b = append(p.b, ')')
	}
	p.b = append(p.b, ' ')
	p.b = strconv.AppendInt(p.b, int64(length), 10)
	p.b = append(p.b, ": "...)
	if !has(3) {
		p.b = append(p.b, " [|hsrp]"...)
		return
	}
	p.b = append(p.b, "state="...)
	if s, ok := hsrpStateWords[uint64(d[off+2])]; ok {
		p.b = append(p.b, s...)
	} else {
		p.b = append(p.b, "Unknown state ("...)
		p.b = strconv.AppendUint(p.b, uint64(d[off+2]), 10)
		p.b = append(p.b, ')')
	}
	if !has(7) {
		p.b = append(p.b, " [|hsrp]"...)
		return
	}
	p.b = append(p.b, " group="...)
	p.b = strconv.AppendUint(p.b, uint64(d[off+6]), 10)
	if !has(hsrpLen) {
		p.b = append(p.b, "  [|hsrp]"...)
		return
	}
	p.b = append(p.b, " addr="...)
	p.b = appendIPv4(p.b, d[off+16:off+20])
	if p.opt.Verbose == 0 {
		return
	}
	p.b = append(p.b, " hellotime="...)
	p.b = strconv.AppendUint(p.b, uint64(d[off+3]), 10)
	p.b = append(p.b, "s holdtime="...)
	p.b = strconv.AppendUint(p.b, uint64(d[off+4]), 10)
	p.b = append(p.b, "s priority="...)
	p.b = strconv.AppendUint(p.b, uint64(d[off+5]), 10)
	p.b = append(p.b, " auth=\""...)
	for _, c := range d[off+8 : off+16] {
		if c == 0 {
			break
		}
		p.b = appendPrintable(p.b, c)
	}
	p.b = append(p.b, '"')
}
