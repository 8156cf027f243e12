package decode

// The Distance Vector Multicast Routing Protocol, IGMP's type 0x13
// (draft-ietf-idmr-dvmrp-v3): tshark gives it a layer of its own in place
// of IGMP's; tcpdump prints it as IGMP's text does ("igmp dvmrp ...").

var (
	protoDVMRP     = proto("dvmrp", "Distance Vector Multicast Routing Protocol")
	fDVMRPType     = register(Field{Name: "dvmrp.type", Title: "Type", Type: TypeUint8, Hex: true})
	fDVMRPCode     = register(Field{Name: "dvmrp.code", Title: "Code", Type: TypeUint8, Hex: true})
	fDVMRPChecksum = register(Field{Name: "dvmrp.checksum", Title: "Checksum", Type: TypeUint16, Hex: true})
)

func init() {
	dvmrpDissector = dissectDVMRP
	registerText(protoDVMRP, textIGMP)
	shortNames["dvmrp"] = "DVMRP"
}

func dissectDVMRP(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoDVMRP, off, end, 1)
	if !ok {
		return
	}
	t.Add(l, fDVMRPType, off, 1, t.U8(off))
	if n >= 4 {
		t.Add(l, fDVMRPCode, off+1, 1, t.U8(off+1))
		t.Add(l, fDVMRPChecksum, off+2, 2, t.U16(off+2))
	}
}
