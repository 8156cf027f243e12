package decode

// BGP-4 (RFC 4271), TCP port 179: a 19-byte header (a marker of all ones,
// the message's length, its type) and the OPEN, UPDATE, NOTIFICATION,
// KEEPALIVE and ROUTE-REFRESH (RFC 2918, RFC 7313) messages, as Wireshark
// names their fields. Several messages may share a segment and one may
// span segments (tcppdu.go).
//
// tcpdump's text without -v is ": BGP" after the TCP line.

var (
	protoBGP   = proto("bgp", "Border Gateway Protocol")
	fBGPMarker = field("bgp.marker", "Marker", TypeBytes)
	fBGPLength = field("bgp.length", "Length", TypeUint16)
	fBGPType   = enumField("bgp.type", "Type", TypeUint8, bgpTypes)
)

var bgpTypes = map[uint64]string{1: "OPEN Message", 2: "UPDATE Message", 3: "NOTIFICATION Message",
	4: "KEEPALIVE Message", 5: "ROUTE-REFRESH Message", 6: "CAPABILITY Message"}

// bgpHeaderLen is the header's size (RFC 4271 section 4.1).
const bgpHeaderLen = 19

func init() {
	registerTCPPDU(179, &tcpPDU{min: bgpHeaderLen, length: func(b []byte) int { return int(b[16])<<8 | int(b[17]) }, dissect: dissectBGP})
	registerText(protoBGP, func(p *Printer, l int) { p.b = append(p.b, ": BGP"...) })
}

// dissectBGP reads the message [off, end).
func dissectBGP(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoBGP, off, end, bgpHeaderLen)
	_ = n
	if !ok {
		return
	}
	t.AddBytes(l, fBGPMarker, off, 16)
	t.Add(l, fBGPLength, off+16, 2, t.U16(off+16))
	t.Add(l, fBGPType, off+18, 1, t.U8(off+18))
}
