package decode

// Cisco's VLAN Trunking Protocol, SNAP OUI 0x00000c PID 0x2003: a version
// and a message code, then the message, which decode does not read.

import "strconv"

var (
	protoVTP    = proto("vtp", "VLAN Trunking Protocol")
	fVTPVersion = register(Field{Name: "vtp.version", Title: "Version", Type: TypeUint8, Hex: true})
	fVTPCode    = register(Field{Name: "vtp.code", Title: "Code", Type: TypeUint8, Values: vtpCodes, Hex: true})
	vtpCodes    = map[uint64]string{1: "Summary Advertisement", 2: "Subset Advertisement", 3: "Advertisement Request", 4: "Join"}
	// vtpTextCodes are the codes as tcpdump names them, after "Message ".
	vtpTextCodes = map[uint64]string{1: "Summary advertisement", 2: "Subset advertisement", 3: "Advertisement request", 4: "Join message"}
)

func init() {
	llcCiscoDissectors[0x2003] = dissectVTP
	registerText(protoVTP, textVTP)
	shortNames["vtp"] = "VTP"
}

func dissectVTP(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoVTP, off, end, 2)
	if !ok {
		if off+n >= end {
			t.Nodes[l].Flags = t.Nodes[l].Flags&^Truncated | Malformed
		}
		return
	}
	c := t.U8(off + 1)
	t.Add(l, fVTPVersion, off, 1, t.U8(off))
	t.Add(l, fVTPCode, off+1, 1, c)
	// tshark reads a summary's fixed fields (to the MD5 digest), and a
	// subset's, then its VLAN records, each led by its length.
	need := 0
	switch c {
	case 1:
		need = vtpSummaryBytes
	case 2:
		need = vtpSubsetBytes
		for p := off + need; p < end && off+need <= off+n; {
			if p >= off+n {
				break
			}
			ln := int(t.U8(p))
			if ln == 0 {
				t.Mark(l, Malformed)
				return
			}
			p += ln
			need = p - off
		}
	}
	if n < need {
		if off+n < end {
			t.Mark(l, Truncated)
		} else {
			t.Mark(l, Malformed)
		}
	}
}

// vtpSummaryBytes and vtpSubsetBytes are the fixed parts of a summary and
// a subset advertisement: the header, the 32-byte domain name, the
// revision, and a summary's updater, timestamp and digest.
const (
	vtpSummaryBytes = 4 + 32 + 4 + 4 + 12 + 16
	vtpSubsetBytes  = 4 + 32 + 4
)

// textVTP prints tcpdump's line, "VTPv1, Message Summary advertisement
// (0x01), length 77".
func textVTP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	v, ok := t.Value(n, fVTPVersion)
	if !ok {
		p.b = append(p.b, " (invalid)"...)
		return
	}
	c, _ := t.Value(n, fVTPCode)
	p.b = append(p.b, "VTPv"...)
	p.b = strconv.AppendUint(p.b, v, 10)
	p.b = append(p.b, ", Message "...)
	if s, ok := vtpTextCodes[c]; ok {
		p.b = append(p.b, s...)
	} else {
		p.b = append(p.b, "Unknown message type"...)
	}
	p.b = append(p.b, " (0x"...)
	p.b = append(p.b, hexDigits[c>>4&15], hexDigits[c&15])
	p.b = append(p.b, "), length "...)
	p.b = strconv.AppendInt(p.b, int64(t.Nodes[n].Len), 10)
}
