package decode

// ATA over Ethernet, ethertype 0x88a2: a version and flags in one byte, an
// error, the shelf (major) and slot (minor) address, a command and a tag,
// then the command's arguments, which decode does not read. tshark reads
// nothing past the version of a version other than 1.

import "strconv"

var (
	protoAoE     = proto("aoe", "ATAoverEthernet")
	fAoEVersion  = register(Field{Name: "aoe.version", Title: "Version", Type: TypeUint8, Mask: 0xf0})
	fAoEResponse = flagField("aoe.response", "Response flag", 0x08)
	fAoEError    = flagField("aoe.flags_error", "Error flag", 0x04)
	fAoEErr      = field("aoe.error", "Error", TypeUint8)
	fAoEMajor    = register(Field{Name: "aoe.major", Title: "Major", Type: TypeUint16, Hex: true})
	fAoEMinor    = register(Field{Name: "aoe.minor", Title: "Minor", Type: TypeUint8, Hex: true})
	fAoECmd      = field("aoe.cmd", "Command", TypeUint8)
	fAoETag      = register(Field{Name: "aoe.tag", Title: "Tag", Type: TypeUint32, Hex: true})
	aoeHeader    = 10
)

func init() {
	Ethertypes.Register(0x88a2, dissectAoE)
	registerText(protoAoE, textAoE)
	shortNames["aoe"] = "AOE"
}

func dissectAoE(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoAoE, off, end, 1)
	if !ok {
		return
	}
	b := t.U8(off)
	t.Add(l, fAoEVersion, off, 1, b>>4)
	if b>>4 != 1 {
		return
	}
	if n < aoeHeader {
		if off+n < end {
			t.Mark(l, Truncated)
		} else {
			t.Mark(l, Malformed)
		}
		return
	}
	t.Add(l, fAoEResponse, off, 1, b>>3&1)
	t.Add(l, fAoEError, off, 1, b>>2&1)
	t.Add(l, fAoEErr, off+1, 1, t.U8(off+1))
	t.Add(l, fAoEMajor, off+2, 2, t.U16(off+2))
	t.Add(l, fAoEMinor, off+4, 1, t.U8(off+4))
	t.Add(l, fAoECmd, off+5, 1, t.U8(off+5))
	t.Add(l, fAoETag, off+6, 4, t.U32(off+6))
}

// textAoE prints tcpdump's line, "AoE length 46, Ver 1, Flags: [Response]"
// (a version other than 1 without its flags); decode does not print the
// header fields -v adds.
func textAoE(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off := int(t.Nodes[n].Off)
	p.b = append(p.b, "AoE length "...)
	p.b = strconv.AppendInt(p.b, int64(t.Nodes[n].Len), 10)
	if t.Avail(off, off+int(t.Nodes[n].Len)) < 1 {
		p.b = append(p.b, " [|aoe]"...)
		return
	}
	b := t.U8(off)
	p.b = append(p.b, ", Ver "...)
	p.b = strconv.AppendUint(p.b, b>>4, 10)
	if b>>4 != 1 {
		return
	}
	p.b = append(p.b, ", Flags: ["...)
	names := [4]string{"MBZ-0", "MBZ-1", "Error", "Response"}
	first := true
	for bit := 3; bit >= 0; bit-- {
		if b>>bit&1 == 0 {
			continue
		}
		if !first {
			p.b = append(p.b, ", "...)
		}
		p.b = append(p.b, names[bit]...)
		first = false
	}
	if first {
		p.b = append(p.b, "none"...)
	}
	p.b = append(p.b, ']')
}
