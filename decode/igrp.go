package decode

// Cisco's Interior Gateway Routing Protocol, IP protocol 9: a version and
// an opcode in one byte, the edition, the autonomous system, the counts of
// interior, system and exterior routes and a checksum, then 14 bytes for
// each route, which decode counts but does not read. tcpdump's text for it
// decode does not give: it prints the protocol's number and length, as for
// a protocol it does not read.

import "strconv"

var (
	protoIGRP      = proto("igrp", "Cisco IGRP")
	fIGRPVersion   = register(Field{Name: "igrp.version", Title: "IGRP Version", Type: TypeUint8, Mask: 0xf0})
	fIGRPCommand   = register(Field{Name: "igrp.command", Title: "Command", Type: TypeUint8, Mask: 0x0f})
	fIGRPUpdate    = field("igrp.update", "Update Release", TypeUint8)
	fIGRPAS        = field("igrp.as", "Autonomous System", TypeUint16)
	fIGRPInterior  = field("igrp.interior_routes", "Interior routes", TypeUint16)
	fIGRPSystem    = field("igrp.system_routes", "System routes", TypeUint16)
	fIGRPExterior  = field("igrp.exterior_routes", "Exterior routes", TypeUint16)
	fIGRPChecksum  = register(Field{Name: "igrp.checksum", Title: "Checksum", Type: TypeUint16, Hex: true})
	igrpHeader     = 12
	igrpRouteBytes = 14
)

func init() {
	IPProtocols.Register(9, dissectIGRP)
	registerText(protoIGRP, textIGRP)
	shortNames["igrp"] = "IGRP"
}

// dissectIGRP reads the header and marks the layer Truncated when the
// capture ends before the routes the counts announce (Malformed when the
// datagram does).
func dissectIGRP(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoIGRP, off, end, igrpHeader)
	if !ok {
		return
	}
	b := t.U8(off)
	t.Add(l, fIGRPVersion, off, 1, b>>4)
	t.Add(l, fIGRPCommand, off, 1, b&0x0f)
	t.Add(l, fIGRPUpdate, off+1, 1, t.U8(off+1))
	t.Add(l, fIGRPAS, off+2, 2, t.U16(off+2))
	routes := 0
	for i, f := range [3]FieldID{fIGRPInterior, fIGRPSystem, fIGRPExterior} {
		v := t.U16(off + 4 + 2*i)
		t.Add(l, f, off+4+2*i, 2, v)
		routes += int(v)
	}
	t.Add(l, fIGRPChecksum, off+10, 2, t.U16(off+10))
	if need := igrpHeader + igrpRouteBytes*routes; n < need {
		if off+n < end {
			t.Mark(l, Truncated)
		} else {
			t.Mark(l, Malformed)
		}
	}
}

// textIGRP prints " ip-proto-9 LENGTH".
func textIGRP(p *Printer, l int) {
	p.b = append(p.b, " ip-proto-9 "...)
	p.b = strconv.AppendInt(p.b, int64(p.t.Nodes[p.Node(l)].Len), 10)
}
