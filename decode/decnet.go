package decode

// DECnet Phase IV routing (ethertype 0x6003) and the NSP message a data
// packet carries: a little-endian length, optional padding, the routing
// flags, then a short (6-byte) or long (21-byte) data header or a routing
// control message (decode reads the endnode hello); NSP messages start with
// their flags byte and, but for a connect acknowledgement, the two 16-bit
// link addresses. Addresses are little-endian: the area in the top 6 bits,
// the node in the 10 below.

import (
	"encoding/binary"
	"strconv"
)

var (
	protoDecDNA    = proto("dec_dna", "DEC DNA Routing Protocol")
	fDecDNAFlags   = register(Field{Name: "dec_dna.flags", Title: "Routing flags", Type: TypeUint8, Hex: true})
	fDecDNADst     = register(Field{Name: "dec_dna.dst_node", Title: "Destination node", Type: TypeUint16, Hex: true})
	fDecDNASrc     = register(Field{Name: "dec_dna.src_node", Title: "Source node", Type: TypeUint16, Hex: true})
	fDecDNARtType  = register(Field{Name: "dec_dna.rt.msg_type", Title: "Routing control message", Type: TypeUint8, Hex: true})
	protoDecDNANSP = proto("dec_dna.nsp.msg_type", "DNA NSP message")
	fDecNSPSegSize = field("dec_dna.nsp.segsize", "Maximum data segment size", TypeUint16)
)

// decnet's flags and NSP message flags decode tells apart.
const (
	decnetPad      = 0x80
	decnetControl  = 0x01
	decnetShort    = 0x02
	decnetLong     = 0x06
	decnetShortHdr = 6
	decnetLongHdr  = 21
	nspConnInit    = 0x18
	nspConnConfirm = 0x28
	nspRetransCI   = 0x68
)

func init() {
	Ethertypes.Register(0x6003, dissectDecnet)
	registerText(protoDecDNA, textDecnet)
	shortNames["dec_dna"] = "DEC_DNA"
	shortNames["dec_dna.nsp.msg_type"] = "DEC_DNA"
}

func le16(t *Tree, off int) uint64 { return uint64(binary.LittleEndian.Uint16(t.Data[off:])) }

// dissectDecnet reads the routing header and the NSP message's header; a
// connect initiate or confirm without its session data after the segment
// size is Malformed, as tshark reads on there.
func dissectDecnet(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoDecDNA, off, end, 2)
	if !ok {
		return
	}
	if e := off + 2 + int(le16(t, off)); e < end {
		end = e
		n = t.Avail(off, end)
	}
	stop := off + n
	cut := func(i int) {
		if i == l && t.NetOff == off {
			// tcpdump gives the link layer up: -x dumps the frame
			// from its first byte.
			t.NetOff = 0
		}
		if stop < end {
			t.Mark(i, Truncated)
		} else {
			t.Mark(i, Malformed)
		}
	}
	p := off + 2
	if p >= stop {
		cut(l)
		return
	}
	fl := t.U8(p)
	if fl&decnetPad != 0 {
		p += 1 + int(fl&0x7f)
		if p >= stop {
			cut(l)
			return
		}
		fl = t.U8(p)
	}
	t.Add(l, fDecDNAFlags, p, 1, fl)
	if fl&decnetControl != 0 {
		t.Add(l, fDecDNARtType, p, 1, fl>>1&7)
		return
	}
	var hdr, dst, src int
	switch fl & 7 {
	case decnetShort:
		hdr, dst, src = decnetShortHdr, p+1, p+3
	case decnetLong:
		hdr, dst, src = decnetLongHdr, p+7, p+15
	default:
		return
	}
	if p+hdr > stop {
		cut(l)
		return
	}
	t.Add(l, fDecDNADst, dst, 2, le16(t, dst))
	t.Add(l, fDecDNASrc, src, 2, le16(t, src))
	q := p + hdr
	if q >= end {
		return
	}
	m := t.AddLayer(protoDecDNANSP, q, end-q)
	if q >= stop {
		cut(m)
		return
	}
	switch t.U8(q) {
	case nspConnInit, nspConnConfirm, nspRetransCI:
		if q+9 > stop {
			cut(m)
			return
		}
		t.Add(m, fDecNSPSegSize, q+7, 2, le16(t, q+7))
		if q+9+2 > end {
			// The session's connect data, a format and an object
			// type at least, is not there.
			t.Mark(m, Malformed)
		}
	}
}

// decnetReasons are tcpdump's words for NSP's disconnect reasons.
var decnetReasons = map[uint64]string{
	0: "object rejected connect", 1: "insufficient resources", 2: "unrecognized node name",
	3: "node is shutting down", 4: "unrecognized object", 5: "invalid object name format",
	6: "object too busy", 7: "protocol error discovered", 8: "third party abort", 9: "user abort", 10: "invalid node name format",
	11: "local node shutting down", 32: "insufficient local resources", 33: "insufficient remote user resources",
	34: "invalid access control information", 36: "bad ACCOUNT information", 38: "no response from object",
	39: "node unreachable", 41: "no link terminate", 42: "disconnect complete", 43: "bad image data in connect",
}

// decnetVersions are the NSP versions by the low bits of the info byte.
var decnetVersions = [4]string{"ver 3.2 ", "ver 3.1 ", "ver 4.0 ", "ver 4.1 "}

// appendDecnetAddr appends a node address as "area.node".
func appendDecnetAddr(b []byte, a uint64) []byte {
	b = strconv.AppendUint(b, a>>10, 10)
	b = append(b, '.')
	return strconv.AppendUint(b, a&0x3ff, 10)
}

// textDecnet prints tcpdump's line: "1.1 > 1.1 19 link-service 8195>8196
// ack 0 ackdat 0 seg 1 dat seg count 0 " for a data packet (the length,
// then the NSP message), "endnode-hello endnode vers 2 eco 0 ueco 0 src
// 1.1 blksize 16434 rtr 0.0 hello 10 data 2" for an endnode's hello.
func textDecnet(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off := int(t.Nodes[n].Off)
	stop := off + t.Avail(off, off+int(t.Nodes[n].Len))
	if stop-off < 3 {
		p.b = append(p.b, " [|decnet]"...)
		return
	}
	length := int(le16(t, off))
	q := off + 2
	fl := t.U8(q)
	if fl&decnetPad != 0 {
		q += 1 + int(fl&0x7f)
		if q >= stop {
			p.b = append(p.b, " [|decnet]"...)
			return
		}
		fl = t.U8(q)
	}
	if fl&decnetControl != 0 {
		decnetTextControl(p, q, stop, fl)
		return
	}
	var hdr, dst, src int
	switch fl & 7 {
	case decnetShort:
		hdr, dst, src = decnetShortHdr, q+1, q+3
	case decnetLong:
		hdr, dst, src = decnetLongHdr, q+7, q+15
	default:
		p.b = append(p.b, "unknown message flags under mask"...)
		return
	}
	if q+hdr > stop {
		p.b = append(p.b, " [|decnet]"...)
		return
	}
	p.b = appendDecnetAddr(p.b, le16(t, src))
	p.b = append(p.b, " > "...)
	p.b = appendDecnetAddr(p.b, le16(t, dst))
	p.b = append(p.b, ' ')
	p.b = strconv.AppendInt(p.b, int64(length), 10)
	p.b = append(p.b, ' ')
	nsp := q + hdr
	nsplen := length - (nsp - off - 2)
	if nsplen < 5 {
		p.b = append(p.b, " (nsplen "...)
		p.b = strconv.AppendInt(p.b, int64(nsplen), 10)
		p.b = append(p.b, " < 5) (invalid)"...)
		return
	}
	decnetTextNSP(p, nsp, min(stop, nsp+nsplen))
}

// decnetTextNSP appends an NSP message at [q, stop).
func decnetTextNSP(p *Printer, q, stop int) {
	t := &p.t
	if q+5 > stop {
		p.b = append(p.b, "[|decnet]"...)
		return
	}
	mf := t.U8(q)
	dst, src := le16(t, q+1), le16(t, q+3)
	links := func(name string) {
		p.b = append(p.b, name...)
		p.b = append(p.b, ' ')
		p.b = strconv.AppendUint(p.b, src, 10)
		p.b = append(p.b, '>')
		p.b = strconv.AppendUint(p.b, dst, 10)
		p.b = append(p.b, ' ')
	}
	// acks appends the acknowledgement words at r (as many as have the
	// top bit set, at most two), named by their qualifier, and gives
	// where the message goes on.
	acks := func(r int, names [4]string) int {
		for k := 0; k < 2 && r+2 <= stop; k++ {
			w := le16(t, r)
			if w&0x8000 == 0 {
				break
			}
			p.b = append(p.b, names[w>>12&3]...)
			p.b = append(p.b, ' ')
			p.b = strconv.AppendUint(p.b, w&0xfff, 10)
			p.b = append(p.b, ' ')
			r += 2
		}
		return r
	}
	seg := func(r int) int {
		if r+2 <= stop {
			p.b = append(p.b, "seg "...)
			p.b = strconv.AppendUint(p.b, le16(t, r)&0xfff, 10)
			p.b = append(p.b, ' ')
		}
		return r + 2
	}
	dataAcks := [4]string{"ack", "nak", "oack", "onak"}
	otherAcks := [4]string{"ack", "nak", "ackdat", "nakdat"}
	switch mf {
	case 0x00, 0x20, 0x40, 0x60:
		links("data")
		seg(acks(q+5, dataAcks))
	case 0x04:
		links("data-ack")
		acks(q+5, dataAcks)
	case 0x10:
		links("link-service")
		r := seg(acks(q+5, otherAcks))
		if r+2 > stop {
			return
		}
		ls, fc := t.U8(r), t.U8(r+1)
		switch ls >> 2 & 3 {
		case 0:
			p.b = append(p.b, "dat seg count "...)
			p.b = strconv.AppendUint(p.b, fc, 10)
			p.b = append(p.b, ' ')
			switch ls & 3 {
			case 1:
				p.b = append(p.b, "donotsend-data "...)
			case 2:
				p.b = append(p.b, "send-data "...)
			case 3:
				p.b = append(p.b, "reserved-fcmod? "...)
				p.b = strconv.AppendUint(p.b, ls&3, 10)
			}
		case 1:
			p.b = append(p.b, "intr req count "...)
			p.b = strconv.AppendUint(p.b, fc, 10)
			p.b = append(p.b, ' ')
		default:
			p.b = append(p.b, "reserved-fcval-int? "...)
			p.b = strconv.AppendUint(p.b, ls&0x0c, 10)
		}
	case 0x14:
		links("ils-ack")
		acks(q+5, otherAcks)
	case 0x30:
		p.b = append(p.b, "intr "...)
		seg(acks(q+5, otherAcks))
	case 0x24:
		p.b = append(p.b, "conn-ack "...)
		p.b = strconv.AppendUint(p.b, dst, 10)
	case nspConnInit, nspRetransCI, nspConnConfirm:
		switch mf {
		case nspConnInit:
			links("conn-initiate")
		case nspRetransCI:
			links("retrans-conn-initiate")
		default:
			links("conn-confirm")
		}
		if q+9 > stop {
			return
		}
		switch t.U8(q+5) >> 2 & 3 {
		case 1:
			p.b = append(p.b, "seg "...)
		case 2:
			p.b = append(p.b, "msg "...)
		}
		p.b = append(p.b, decnetVersions[t.U8(q+6)&3]...)
		p.b = append(p.b, "segsize "...)
		p.b = strconv.AppendUint(p.b, le16(t, q+7), 10)
		p.b = append(p.b, ' ')
	case 0x38, 0x48:
		if mf == 0x38 {
			links("disconn-initiate")
		} else {
			links("disconn-confirm")
		}
		if q+7 > stop {
			return
		}
		r := le16(t, q+5)
		if s, ok := decnetReasons[r]; ok {
			p.b = append(p.b, s...)
		} else {
			p.b = append(p.b, "reason-"...)
			p.b = strconv.AppendUint(p.b, r, 10)
		}
		p.b = append(p.b, ' ')
	default:
		p.b = append(p.b, "reserved-ctltype? "...)
		p.b = strconv.AppendUint(p.b, mf, 16)
		p.b = append(p.b, ' ')
		p.b = strconv.AppendUint(p.b, src, 10)
		p.b = append(p.b, " > "...)
		p.b = strconv.AppendUint(p.b, dst, 10)
	}
}

// decnetTextControl appends a routing control message; decode reads the
// endnode hello's fields.
func decnetTextControl(p *Printer, q, stop int, fl uint64) {
	t := &p.t
	if fl>>1&7 != 6 {
		p.b = append(p.b, "[|decnet]"...)
		return
	}
	// flags, version (3), id (6), info, block size (2), area, seed (8),
	// neighbor (6), timer (2), reserved, data count.
	if q+32 > stop {
		p.b = append(p.b, "[|decnet]"...)
		return
	}
	p.b = append(p.b, "endnode-hello "...)
	switch t.U8(q+10) & 3 {
	case 1:
		p.b = append(p.b, "l2rout"...)
	case 2:
		p.b = append(p.b, "l1rout"...)
	case 3:
		p.b = append(p.b, "endnode"...)
	default:
		p.b = append(p.b, "?"...)
	}
	p.b = append(p.b, " vers "...)
	p.b = strconv.AppendUint(p.b, t.U8(q+1), 10)
	p.b = append(p.b, " eco "...)
	p.b = strconv.AppendUint(p.b, t.U8(q+2), 10)
	p.b = append(p.b, " ueco "...)
	p.b = strconv.AppendUint(p.b, t.U8(q+3), 10)
	p.b = append(p.b, " src "...)
	p.b = appendDecnetAddr(p.b, le16(t, q+8))
	p.b = append(p.b, " blksize "...)
	p.b = strconv.AppendUint(p.b, le16(t, q+11), 10)
	p.b = append(p.b, " rtr "...)
	p.b = appendDecnetAddr(p.b, le16(t, q+26))
	p.b = append(p.b, " hello "...)
	p.b = strconv.AppendUint(p.b, le16(t, q+28), 10)
	p.b = append(p.b, " data "...)
	p.b = strconv.AppendUint(p.b, t.U8(q+31), 10)
}
