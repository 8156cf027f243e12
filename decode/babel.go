package decode

import "strconv"

// The Babel routing protocol (RFC 8966; MAC authentication RFC 8967; the
// older drafts' TSPC and HMAC) on UDP port 6696: a 4-byte header (magic
// 42, version, body length), the body's TLVs, then a trailer of TLVs past
// the body. Each TLV is a type and a length but Pad1, a single byte.

var (
	protoBabel       = proto("babel", "Babel Routing Protocol")
	fBabelMagic      = field("babel.magic", "Magic", TypeUint8)
	fBabelVersion    = field("babel.version", "Version", TypeUint8)
	fBabelBodyLen    = field("babel.bodylen", "Body Length", TypeUint16)
	fBabelMessage    = field("babel.message", "Message", TypeUint8)
	fBabelMsgType    = field("babel.message.type", "Message Type", TypeUint8)
	fBabelMsgLen     = field("babel.message.length", "Message Length", TypeUint8)
	fBabelMsgFlags   = register(Field{Name: "babel.message.flags", Title: "Flags", Type: TypeUint8, Hex: true})
	fBabelSubTLVType = field("babel.subtlv.type", "Sub-TLV Type", TypeUint8)
	fBabelSubTLVLen  = field("babel.subtlv.length", "Sub-TLV Length", TypeUint8)
	// babelNames are the TLV types as tcpdump names them.
	babelNames = [18]string{"pad1", "padn", "ack-req", "ack", "hello", "ihu", "router-id", "nh", "update",
		"route-request", "seqno-request", "tspc", "hmac", "", "", "", "mac", "pc"}
	// babelMinLen is the shortest body of a TLV type tcpdump accepts.
	babelMinLen = [18]int{4: 6, 5: 6, 6: 10, 7: 2, 8: 10, 9: 2, 10: 6, 11: 6, 12: 2, 16: 0, 17: 4}
)

// Babel's magic number, and the TLV types and sub-TLV read here.
const (
	babelMagic       = 42
	babelPad1        = 0
	babelIHU         = 5
	babelUpdate      = 8
	babelSubTimeStmp = 3
)

func init() {
	UDPPorts.Register(6696, dissectBabel)
	registerText(protoBabel, textBabel)
	malformedNames[protoBabel] = "Babel"
}

func dissectBabel(t *Tree, off, end int) {
	n := t.Avail(off, end)
	if n < 1 || t.U8(off) != babelMagic {
		if n > 0 {
			DissectData(t, off, end)
		}
		return
	}
	l := t.AddLayer(protoBabel, off, end-off)
	if n < 4 {
		runOut(t, l, protoBabel, off+4, end)
		return
	}
	lim := off + n
	t.Add(l, fBabelMagic, off, 1, babelMagic)
	t.Add(l, fBabelVersion, off+1, 1, t.U8(off+1))
	t.Add(l, fBabelBodyLen, off+2, 2, t.U16(off+2))
	for o := off + 4; o < end; {
		if o+1 > lim {
			runOut(t, l, protoBabel, o+1, end)
			return
		}
		typ := t.U8(o)
		if typ == babelPad1 {
			m := t.Add(l, fBabelMessage, o, 1, typ)
			t.Add(m, fBabelMsgType, o, 1, typ)
			o++
			continue
		}
		if o+2 > lim {
			runOut(t, l, protoBabel, o+2, end)
			return
		}
		ln := int(t.U8(o + 1))
		m := t.Add(l, fBabelMessage, o, 2+ln, typ)
		t.Add(m, fBabelMsgType, o, 1, typ)
		t.Add(m, fBabelMsgLen, o+1, 1, uint64(ln))
		next := o + 2 + ln
		switch {
		case typ == babelUpdate && ln >= 2 && o+4 <= lim:
			t.Add(m, fBabelMsgFlags, o+3, 1, t.U8(o+3))
		case typ == babelIHU && next <= lim:
			// tshark reads a timestamp sub-TLV of an IHU from 4 bytes
			// past where it is, so that a read past the packet's end
			// fails when the IHU ends the packet.
			if s := babelSubTLV(t, o); s > 0 && t.U8(s) == babelSubTimeStmp && s+2 <= next {
				t.Add(m, fBabelSubTLVType, s, 1, babelSubTimeStmp)
				sl := int(t.U8(s + 1))
				t.Add(m, fBabelSubTLVLen, s+1, 1, uint64(sl))
				if sl == 8 && next+4 > end {
					// tshark's tree then holds its Malformed Packet
					// item, but its -z expert table does not count
					// it: the item's layer alone.
					t.AddLayer(protoMalformed, o, 0)
					return
				}
			}
		}
		o = next
	}
}

// babelSubTLV is where the sub-TLVs of the IHU at o begin, after its
// address (RFC 8966 section 4.6.6), or 0 when its address encoding is not
// known.
func babelSubTLV(t *Tree, o int) int {
	if o+4 > len(t.Data) {
		return 0
	}
	var alen int
	switch t.U8(o + 2) {
	case 0:
		alen = 0
	case 1:
		alen = 4
	case 2:
		alen = 16
	case 3:
		alen = 8
	default:
		return 0
	}
	s := o + 8 + alen
	if s+2 > len(t.Data) {
		return 0
	}
	return s
}

// textBabel prints tcpdump's line, "babel 2 (40) hello ihu pc | mac": the
// version, the body's length, the body's TLVs and, after " |", the
// trailer's; " (invalid)" ends it at a TLV too short or running past the
// body.
func textBabel(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off, length, lim := capturedSpan(t, n)
	b := append(p.b, "babel"...)
	if off+4 > lim {
		p.b = append(b, " [|babel]"...)
		return
	}
	b = append(b, ' ')
	b = strconv.AppendUint(b, t.U8(off+1), 10)
	body := int(t.U16(off + 2))
	b = append(b, " ("...)
	b = strconv.AppendInt(b, int64(body), 10)
	b = append(b, ')')
	bodyEnd := off + 4 + body
	end := off + length
	if bodyEnd > end {
		bodyEnd = end
	}
	o := off + 4
	for pass := 0; pass < 2; pass++ {
		stop := bodyEnd
		if pass == 1 {
			if o >= end {
				break
			}
			b = append(b, " |"...)
			stop = end
		}
		for o < stop {
			if o >= lim {
				p.b = append(b, " [|babel]"...)
				return
			}
			typ := t.U8(o)
			b = append(b, ' ')
			if int(typ) < len(babelNames) && babelNames[typ] != "" {
				b = append(b, babelNames[typ]...)
			} else {
				b = append(b, "unknown"...)
			}
			if typ == babelPad1 {
				o++
				continue
			}
			if o+2 > lim {
				p.b = append(b, " [|babel]"...)
				return
			}
			ln := int(t.U8(o + 1))
			if o+2+ln > stop || int(typ) < len(babelMinLen) && ln < babelMinLen[typ] {
				p.b = append(b, " (invalid)"...)
				return
			}
			if typ == babelUpdate {
				if o+4 > lim {
					p.b = append(b, " [|babel]"...)
					return
				}
				fl := t.U8(o + 3)
				if fl&0x80 != 0 {
					b = append(b, "/prefix"...)
				}
				if fl&0x40 != 0 {
					b = append(b, "/id"...)
				}
			}
			o += 2 + ln
		}
	}
	p.b = b
}
