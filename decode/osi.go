package decode

// The OSI network layer protocols, told apart by their first byte, the
// network layer protocol identifier (ISO/TR 9577): what LLC carries at SAP
// 0xfe and GRE at protocol type 0x00fe. decode reads IS-IS (0x83); the
// payload of any other is data.

// nlpidDissectors are the dissectors by NLPID, set by their files.
var nlpidDissectors [256]Dissector

func init() {
	// GRE takes its payload's dissector from the ethertypes; 0x00fe is
	// no ethertype an Ethernet frame can carry (a length there).
	Ethertypes.Register(0x00fe, dissectOSI)
}

// dissectOSI hands the bytes at off to the dissector of their NLPID.
func dissectOSI(t *Tree, off, end int) {
	if t.Avail(off, end) > 0 {
		if d := nlpidDissectors[t.Data[off]]; d != nil {
			d(t, off, end)
			return
		}
	}
	DissectData(t, off, end)
}

// nlpidKnown reports whether the byte at off is an NLPID decode reads.
func nlpidKnown(t *Tree, off, end int) bool {
	return t.Avail(off, end) > 0 && nlpidDissectors[t.Data[off]] != nil
}
