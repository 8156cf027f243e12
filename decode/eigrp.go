package decode

// EIGRP (RFC 7868), IP protocol 88: a 20-byte header (version, opcode,
// checksum, flags, sequence, acknowledgement, virtual router ID,
// autonomous system), then TLVs of a 16-bit type and a length that counts
// their 4-byte header. decode reads the header, verifies the checksum (over
// the whole message, as tshark does) and walks the TLVs for tshark's items:
// a length below 4, a TLV shorter than its fixed fields or past the
// message (a malformed packet), an unknown general TLV, and the Parameters
// TLV of a goodbye (K1 to K5 all 255, RFC 7868 5.3.4.2).

import (
	"strconv"

	"github.com/sockscope/sockscope/decode/wire"
)

var (
	protoEIGRP       = proto("eigrp", "Cisco EIGRP")
	fEIGRPVersion    = field("eigrp.version", "Version", TypeUint8)
	fEIGRPOpcode     = enumField("eigrp.opcode", "Opcode", TypeUint8, eigrpOpcodeNames)
	fEIGRPChecksum   = register(Field{Name: "eigrp.checksum", Title: "Checksum", Type: TypeUint16, Hex: true})
	fEIGRPChecksumBd = field("eigrp.checksum.bad.expert", "Bad Checksum", TypeNone)
	fEIGRPFlags      = register(Field{Name: "eigrp.flags", Title: "Flags", Type: TypeUint32, Hex: true})
	fEIGRPSeq        = field("eigrp.seq", "Sequence", TypeUint32)
	fEIGRPAck        = field("eigrp.ack", "Acknowledge", TypeUint32)
	fEIGRPVRID       = field("eigrp.vrid", "Virtual Router ID", TypeUint16)
	fEIGRPAS         = field("eigrp.as", "Autonomous System", TypeUint16)
	fEIGRPTLVType    = register(Field{Name: "eigrp.tlv_type", Title: "Type", Type: TypeUint16, Hex: true})
	fEIGRPTLVLen     = field("eigrp.tlv.len", "Length", TypeUint16)
	fEIGRPTLVLenBad  = field("eigrp.tlv.len.invalid", "Corrupt TLV (Length field less than 4)", TypeNone)
	fEIGRPTLVUnknown = field("eigrp.tlv_type.unknown", "Unknown TLV", TypeNone)
	fEIGRPGoodbye    = field("eigrp.peer_termination", "Peer Termination", TypeNone)
	eigrpMalformed   = malformedItem("EIGRP")

	// tcpdump's names of the opcodes.
	eigrpOpcodeNames = map[uint64]string{1: "Update", 3: "Query", 4: "Reply", 5: "Hello", 6: "IPX SAP", 7: "Probe"}
)

const (
	eigrpHeaderLen  = 20
	eigrpParameters = 0x0001
)

// eigrpGeneralMin are the bytes of fixed fields after the header of the
// general TLVs (type 0x00NN, RFC 7868 6.7) that have some: Parameters,
// Software Version, Next Multicast Sequence, Peer Stub; a TLV with fewer
// is malformed. The types 1 to 8 are known.
var eigrpGeneralMin = [9]int{1: 8, 4: 4, 5: 4, 6: 2}

func init() {
	IPProtocols.Register(88, dissectEIGRP)
	registerText(protoEIGRP, textEIGRP)
	expert(fEIGRPChecksumBd, expertInfo{severity: SeverityWarning, group: GroupChecksum, protocol: "EIGRP",
		summary: func(t *Tree, l, n int, b []byte) []byte {
			return append(appendHex4(append(b, "Bad Checksum [should be 0x"...), t.Nodes[n].Val), ']')
		}})
	expert(fEIGRPTLVLenBad, expertInfo{severity: SeverityError, group: GroupMalformed, protocol: "EIGRP",
		message: "Corrupt TLV (Length field less than 4)"})
	expert(fEIGRPTLVUnknown, expertInfo{severity: SeverityWarning, group: GroupProtocol, protocol: "EIGRP",
		summary: func(t *Tree, l, n int, b []byte) []byte {
			return append(appendHex4(append(b, "Unknown Generic TLV (0x"...), t.Nodes[n].Val), ')')
		}})
	expert(fEIGRPGoodbye, expertInfo{severity: SeverityNote, group: GroupResponseCode, protocol: "EIGRP",
		message: "Peer Termination"})
}

func dissectEIGRP(t *Tree, off, end int) {
	n := t.Avail(off, end)
	if end-off < eigrpHeaderLen && n == end-off {
		// tshark gives up before the EIGRP layer: the item follows IP.
		m := t.AddLayer(protoMalformed, off, end-off)
		t.Nodes[t.Add(m, eigrpMalformed, off, 0, 0)].Flags |= Generated
		return
	}
	l, _, ok := t.StartLayer(protoEIGRP, off, end, eigrpHeaderLen)
	if !ok {
		return
	}
	t.Add(l, fEIGRPVersion, off, 1, t.U8(off))
	t.Add(l, fEIGRPOpcode, off+1, 1, t.U8(off+1))
	ck := t.U16(off + 2)
	c := t.Add(l, fEIGRPChecksum, off+2, 2, ck)
	if end <= len(t.Data) {
		want := uint64(wire.Fold(wire.Sum(wire.Sum(0, t.Data[off:off+2]), t.Data[off+4:end])))
		if want != ck {
			t.Nodes[t.Add(c, fEIGRPChecksumBd, off+2, 2, want)].Flags |= Generated
		}
	}
	t.Add(l, fEIGRPFlags, off+4, 4, t.U32(off+4))
	t.Add(l, fEIGRPSeq, off+8, 4, t.U32(off+8))
	t.Add(l, fEIGRPAck, off+12, 4, t.U32(off+12))
	t.Add(l, fEIGRPVRID, off+16, 2, t.U16(off+16))
	t.Add(l, fEIGRPAS, off+18, 2, t.U16(off+18))
	for o := off + eigrpHeaderLen; o < end; {
		if o+4 > end {
			t.malformed(l, eigrpMalformed, o)
			return
		}
		if o+4 > len(t.Data) {
			t.Mark(l, Truncated)
			return
		}
		typ, tlen := t.U16(o), int(t.U16(o+2))
		ty := t.Add(l, fEIGRPTLVType, o, 2, typ)
		ln := t.Add(ty, fEIGRPTLVLen, o+2, 2, uint64(tlen))
		if tlen < 4 {
			t.Nodes[t.Add(ln, fEIGRPTLVLenBad, o+2, 2, 0)].Flags |= Generated
			return
		}
		need := 0
		if typ>>8 == 0 {
			if typ >= uint64(len(eigrpGeneralMin)) || typ == 0 {
				t.Nodes[t.Add(ty, fEIGRPTLVUnknown, o, 2, typ)].Flags |= Generated
			} else {
				need = eigrpGeneralMin[typ]
			}
		}
		if tlen-4 < need || o+tlen > end {
			t.malformed(l, eigrpMalformed, o+4)
			return
		}
		if o+tlen > len(t.Data) {
			t.Mark(l, Truncated)
			return
		}
		if typ == eigrpParameters && t.U32(o+4) == 0xffffffff && t.U8(o+8) == 0xff {
			t.Nodes[t.Add(ty, fEIGRPGoodbye, o, tlen, 0)].Flags |= Generated
		}
		o += tlen
	}
}

// textEIGRP prints tcpdump's line, "EIGRP Hello, length: 40", the length
// the IP payload's; decode does not print the TLVs -v adds.
func textEIGRP(p *Printer, l int) {
	t := &p.t
	off, length, avail := layerBytes(t, p.Node(l))
	if avail < eigrpHeaderLen {
		p.b = append(p.b, " [|eigrp]"...)
		return
	}
	if v := t.U8(off); v != 2 {
		p.b = strconv.AppendUint(append(p.b, "EIGRP version "...), v, 10)
		p.b = append(p.b, " packet not supported"...)
		return
	}
	op := t.U8(off + 1)
	p.b = append(p.b, "EIGRP "...)
	if s, ok := eigrpOpcodeNames[op]; ok {
		p.b = append(p.b, s...)
	} else {
		p.b = strconv.AppendUint(append(p.b, "unknown ("...), op, 10)
		p.b = append(p.b, ')')
	}
	p.b = strconv.AppendInt(append(p.b, ", length: "...), int64(length), 10)
}
