package decode

// The Link Management Protocol (RFC 4204), UDP port 701: a version in the
// first 4 bits, flags, a message type and the message's length, then
// objects decode does not read.

import "strconv"

var (
	protoLMP    = proto("lmp", "Link Management Protocol (LMP)")
	fLMPVersion = register(Field{Name: "lmp.version", Title: "LMP Version", Type: TypeUint8, Mask: 0xf0})
	fLMPFlags   = register(Field{Name: "lmp.flags", Title: "Flags", Type: TypeUint8, Hex: true})
	fLMPType    = field("lmp.msg", "Message Type", TypeUint8)
	fLMPLength  = field("lmp.length", "Length", TypeUint16)
)

// lmpMessages are the message types as tcpdump names them (RFC 4204 12).
var lmpMessages = [...]string{1: "Config", 2: "Config ACK", 3: "Config NACK", 4: "Hello", 5: "Begin Verify",
	6: "Begin Verify ACK", 7: "Begin Verify NACK", 8: "End Verify", 9: "End Verify ACK", 10: "Test",
	11: "Test Status Success", 12: "Test Status Failure", 13: "Test Status ACK", 14: "Link Summary",
	15: "Link Summary ACK", 16: "Link Summary NACK", 17: "Channel Status", 18: "Channel Status ACK",
	19: "Channel Status Request", 20: "Channel Status Response"}

func init() {
	UDPPorts.Register(701, dissectLMP)
	registerText(protoLMP, textLMP)
	shortNames["lmp"] = "LMP"
}

func dissectLMP(t *Tree, off, end int) {
	l, _, ok := t.StartLayer(protoLMP, off, end, 6)
	if !ok {
		return
	}
	t.Add(l, fLMPVersion, off, 1, t.U8(off)>>4)
	t.Add(l, fLMPFlags, off+2, 1, t.U8(off+2))
	t.Add(l, fLMPType, off+3, 1, t.U8(off+3))
	t.Add(l, fLMPLength, off+4, 2, t.U16(off+4))
}

// textLMP prints tcpdump's line, "LMPv1 Config Message, length: 683" (the
// UDP payload's length); decode does not print the objects -v adds.
func textLMP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	v, ok := t.Value(n, fLMPVersion)
	if !ok {
		p.b = append(p.b, " [|lmp]"...)
		return
	}
	if v != 1 {
		p.b = append(p.b, "LMP version "...)
		p.b = strconv.AppendUint(p.b, v, 10)
		p.b = append(p.b, " packet not supported"...)
		return
	}
	typ, _ := t.Value(n, fLMPType)
	p.b = append(p.b, "LMPv1 "...)
	if typ < uint64(len(lmpMessages)) && lmpMessages[typ] != "" {
		p.b = append(p.b, lmpMessages[typ]...)
	} else {
		p.b = append(p.b, "unknown ("...)
		p.b = strconv.AppendUint(p.b, typ, 10)
		p.b = append(p.b, ')')
	}
	p.b = append(p.b, " Message, length: "...)
	p.b = strconv.AppendInt(p.b, int64(t.Nodes[n].Len), 10)
}
