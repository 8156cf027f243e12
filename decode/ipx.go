package decode

// Novell's Internetwork Packet eXchange, ethertype 0x8137 or LLC SAP 0xe0:
// a 30-byte header (checksum, length, hops, packet type, then the
// destination's and the source's network, node and socket), and by socket
// the routing (RIP, 0x0453) and service advertisement (SAP, 0x0452)
// protocols, NetBIOS over IPX (0x0455) and its mailslot datagrams (NMPI,
// 0x0553), which may carry an SMB message (smbmailslot.go).

import "strconv"

var (
	protoIPX       = proto("ipx", "Internetwork Packet eXchange")
	fIPXChecksum   = register(Field{Name: "ipx.checksum", Title: "Checksum", Type: TypeUint16, Hex: true})
	fIPXLen        = field("ipx.len", "Length", TypeUint16)
	fIPXHops       = field("ipx.hops", "Transport Control (Hops)", TypeUint8)
	fIPXType       = register(Field{Name: "ipx.packet_type", Title: "Packet Type", Type: TypeUint8, Hex: true})
	fIPXDstNet     = register(Field{Name: "ipx.dst.net", Title: "Destination Network", Type: TypeUint32, Hex: true})
	fIPXDstNode    = field("ipx.dst.node", "Destination Node", TypeEther)
	fIPXDstSocket  = register(Field{Name: "ipx.dst.socket", Title: "Destination Socket", Type: TypeUint16, Hex: true})
	fIPXSrcNet     = register(Field{Name: "ipx.src.net", Title: "Source Network", Type: TypeUint32, Hex: true})
	fIPXSrcNode    = field("ipx.src.node", "Source Node", TypeEther)
	fIPXSrcSocket  = register(Field{Name: "ipx.src.socket", Title: "Source Socket", Type: TypeUint16, Hex: true})
	protoIPXRIP    = proto("ipxrip", "IPX Routing Information Protocol")
	fIPXRIPType    = field("ipxrip.packet_type", "RIP packet type", TypeUint16)
	protoIPXSAP    = proto("ipxsap", "Service Advertisement Protocol")
	fIPXSAPType    = field("ipxsap.packet_type", "SAP packet type", TypeUint16)
	protoNBIPX     = proto("nbipx", "NetBIOS over IPX")
	protoNMPI      = proto("nmpi", "Name Management Protocol over IPX")
	fNMPIType      = register(Field{Name: "nmpi.packettype", Title: "Packet Type", Type: TypeUint8, Hex: true})
	ipxHeaderBytes = 30
)

// IPX sockets and packet types decode reads further.
const (
	ipxSocketSAP     = 0x0452
	ipxSocketRIP     = 0x0453
	ipxSocketNetBIOS = 0x0455
	ipxSocketNWLink  = 0x0553
	// ipxTypeNetBIOS is a NetBIOS broadcast, whose payload starts with 32
	// bytes of the networks it crossed.
	ipxTypeNetBIOS = 0x14
	// nbipxDirected is NetBIOS over IPX's directed datagram.
	nbipxDirected = 0x0b
)

func init() {
	Ethertypes.Register(0x8137, dissectIPX)
	llcSAPDissectors[0xe0>>1] = dissectIPX
	registerText(protoIPX, textIPX)
	shortNames["ipx"] = "IPX"
	shortNames["ipxrip"] = "IPX RIP"
	shortNames["ipxsap"] = "IPX SAP"
	shortNames["nbipx"] = "NBIPX"
	shortNames["nmpi"] = "NMPI"
}

// dissectIPX reads the header; a length under the header's 30 bytes marks
// the layer Malformed, as tshark's exception, and the payload ends where
// the length says.
func dissectIPX(t *Tree, off, end int) {
	l, _, ok := t.StartLayer(protoIPX, off, end, ipxHeaderBytes)
	if !ok {
		return
	}
	ln := int(t.U16(off + 2))
	typ := t.U8(off + 5)
	t.Add(l, fIPXChecksum, off, 2, t.U16(off))
	t.Add(l, fIPXLen, off+2, 2, uint64(ln))
	t.Add(l, fIPXHops, off+4, 1, t.U8(off+4))
	t.Add(l, fIPXType, off+5, 1, typ)
	t.Add(l, fIPXDstNet, off+6, 4, t.U32(off+6))
	t.AddBytes(l, fIPXDstNode, off+10, 6)
	dport := t.U16(off + 16)
	t.Add(l, fIPXDstSocket, off+16, 2, dport)
	t.Add(l, fIPXSrcNet, off+18, 4, t.U32(off+18))
	t.AddBytes(l, fIPXSrcNode, off+22, 6)
	sport := t.U16(off + 28)
	t.Add(l, fIPXSrcSocket, off+28, 2, sport)
	if ln < ipxHeaderBytes {
		t.Mark(l, Malformed)
		return
	}
	if off+ln < end {
		end = off + ln
	}
	t.SetLen(l, end-off)
	p := off + ipxHeaderBytes
	if p >= end {
		return
	}
	port := dport
	switch {
	case sport == ipxSocketRIP || sport == ipxSocketSAP || sport == ipxSocketNetBIOS || sport == ipxSocketNWLink:
		if dport != ipxSocketRIP && dport != ipxSocketSAP && dport != ipxSocketNetBIOS && dport != ipxSocketNWLink {
			port = sport
		}
	}
	n := t.Avail(p, end)
	switch port {
	case ipxSocketRIP:
		c := t.AddLayer(protoIPXRIP, p, end-p)
		if n >= 2 {
			t.Add(c, fIPXRIPType, p, 2, t.U16(p))
		}
	case ipxSocketSAP:
		c := t.AddLayer(protoIPXSAP, p, end-p)
		if n >= 2 {
			t.Add(c, fIPXSAPType, p, 2, t.U16(p))
		}
	case ipxSocketNetBIOS:
		c := t.AddLayer(protoNBIPX, p, end-p)
		base := p
		if typ == ipxTypeNetBIOS {
			base += 32
		}
		if base+2 > p+n {
			return
		}
		nt := t.U8(base + 1)
		t.Add(c, fNMPIType, base+1, 1, nt)
		if nt == nbipxDirected && base+34 < end {
			t.Call(dissectIPXSMB, base+34, end)
		}
	case ipxSocketNWLink:
		t.AddLayer(protoNMPI, p, end-p)
		// 32 bytes of networks, the opcode, name type and message ID,
		// and the two 16-byte names.
		if q := p + 32 + 4 + 32; q < end {
			t.Call(dissectIPXSMB, q, end)
		}
	default:
		DissectData(t, p, end)
	}
}

// textIPX prints tcpdump's line: "IPX 00000000.00:03:47:1b:c1:a8.0453 >
// 00000000.ff:ff:ff:ff:ff:ff.0453: " and what the socket carries
// ("ipx-rip-resp a8f87967/1.2", "ipx-netbios 50"), or the length too short
// to hold the header, "[length 29 < 30] (invalid)".
func textIPX(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off := int(t.Nodes[n].Off)
	if !t.Has(n, fIPXSrcSocket) {
		p.b = append(p.b, "IPX [|ipx]"...)
		return
	}
	p.b = append(p.b, "IPX "...)
	if p.opt.Link && t.Below(n, protoLLC) >= 0 {
		p.b = append(p.b, "802.2: "...)
	}
	p.b = ipxAppendAddr(p.b, t, off+18)
	p.b = append(p.b, " > "...)
	p.b = ipxAppendAddr(p.b, t, off+6)
	p.b = append(p.b, ": "...)
	ln := int(t.U16(off + 2))
	if ln < ipxHeaderBytes {
		p.b = append(p.b, "[length "...)
		p.b = strconv.AppendInt(p.b, int64(ln), 10)
		p.b = append(p.b, " < 30] (invalid)"...)
		return
	}
	q, end := off+ipxHeaderBytes, off+int(t.Nodes[n].Len)
	stop := q + t.Avail(q, end)
	dport, sport := t.U16(off+16), t.U16(off+28)
	size := int64(ln - ipxHeaderBytes)
	switch {
	case dport == ipxSocketNetBIOS:
		p.b = append(p.b, "ipx-netbios "...)
		p.b = strconv.AppendInt(p.b, size, 10)
	case dport == ipxSocketNWLink:
		p.b = append(p.b, "ipx-nwlink-dgm "...)
		p.b = strconv.AppendInt(p.b, size, 10)
	case dport == ipxSocketRIP || sport == ipxSocketRIP:
		ipxTextRIP(p, q, stop)
	case dport == ipxSocketSAP || sport == ipxSocketSAP:
		ipxTextSAP(p, q, stop)
	default:
		p.b = append(p.b, "ipx-#"...)
		p.b = strconv.AppendUint(p.b, dport, 16)
		p.b = append(p.b, ' ')
		p.b = strconv.AppendInt(p.b, size, 10)
	}
}

// ipxAppendAddr appends the network, node and socket at off as
// "a8f87967.00:00:00:00:00:01.0455".
func ipxAppendAddr(b []byte, t *Tree, off int) []byte {
	b = appendHex8(b, t.U32(off))
	b = append(b, '.')
	b = appendHexColons(b, t.Data[off+4:off+10])
	b = append(b, '.')
	return appendHex4(b, t.U16(off+10))
}

// ipxTextRIP appends a RIP message: "ipx-rip-req" or "ipx-rip-resp" and
// each route as " network/hops.ticks".
func ipxTextRIP(p *Printer, q, stop int) {
	t := &p.t
	if q+2 > stop {
		p.b = append(p.b, " [|ipx]"...)
		return
	}
	switch t.U16(q) {
	case 1:
		p.b = append(p.b, "ipx-rip-req"...)
	case 2:
		p.b = append(p.b, "ipx-rip-resp"...)
	default:
		p.b = append(p.b, "ipx-rip-?"...)
		p.b = appendHex4(p.b, t.U16(q))
		return
	}
	for r := q + 2; r+8 <= stop; r += 8 {
		p.b = append(p.b, ' ')
		p.b = appendHex8(p.b, t.U32(r))
		p.b = append(p.b, '/')
		p.b = strconv.AppendUint(p.b, t.U16(r+4), 10)
		p.b = append(p.b, '.')
		p.b = strconv.AppendUint(p.b, t.U16(r+6), 10)
	}
}

// ipxTextSAP appends a SAP message: "ipx-sap-resp" and each server as "
// 064e 'NAME' addr 00000000.00:13:20:61:83:a3" (a request names the
// server type asked for).
func ipxTextSAP(p *Printer, q, stop int) {
	t := &p.t
	if q+2 > stop {
		p.b = append(p.b, " [|ipx]"...)
		return
	}
	op := t.U16(q)
	switch op {
	case 1, 3:
		if op == 1 {
			p.b = append(p.b, "ipx-sap-req"...)
		} else {
			p.b = append(p.b, "ipx-sap-nearest-req"...)
		}
		if q+4 <= stop {
			p.b = append(p.b, ' ')
			p.b = appendHex4(p.b, t.U16(q+2))
		}
		return
	case 2, 4:
		if op == 2 {
			p.b = append(p.b, "ipx-sap-resp"...)
		} else {
			p.b = append(p.b, "ipx-sap-nearest-resp"...)
		}
	default:
		p.b = append(p.b, "ipx-sap-?"...)
		p.b = appendHex4(p.b, op)
		return
	}
	for r := q + 2; r+64 <= stop; r += 64 {
		p.b = append(p.b, ' ')
		p.b = appendHex4(p.b, t.U16(r))
		p.b = append(p.b, " '"...)
		name := t.Data[r+2 : r+50]
		for i, c := range name {
			if c == 0 {
				name = name[:i]
				break
			}
		}
		p.b = append(p.b, name...)
		// The server's socket tcpdump leaves out.
		p.b = append(p.b, "' addr "...)
		p.b = appendHex8(p.b, t.U32(r+50))
		p.b = append(p.b, '.')
		p.b = appendHexColons(p.b, t.Data[r+54:r+60])
	}
}

// dissectIPXSMB reads [off, end) as an SMB message (netbios.go) if it has
// SMB's signature, else as data.
func dissectIPXSMB(t *Tree, off, end int) {
	if t.Avail(off, end) < 4 || string(t.Data[off:off+4]) != "\xffSMB" {
		DissectData(t, off, end)
		return
	}
	dissectSMBMailslot(t, off, end)
}
