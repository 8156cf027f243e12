package decode

import (
	"net/netip"
	"strconv"

	"github.com/sockscope/sockscope/decode/wire"
)

// appendProtocol writes what tshark -T fields prints for a protocol named as
// a field (-e ip): the summary line Wireshark shows for the layer, where
// sockscope's tree holds what it needs, else the protocol's name, as tshark
// prints it for the layers whose line has no details (-e icmp is "icmp").
func (p *FieldsPrinter) appendProtocol(b []byte, id FieldID, n int) []byte {
	t := p.cur
	u := func(f FieldID) uint64 { v, _ := t.Value(n, f); return v }
	switch id {
	case protoFrame:
		b = append(b, "Frame "...)
		b = strconv.AppendInt(b, int64(t.Number), 10)
		b = append(b, ": "...)
		b = appendBytesBits(b, t.CI.Length)
		b = append(b, " on wire ("...)
		b = strconv.AppendInt(b, int64(t.CI.Length)*8, 10)
		b = append(b, " bits), "...)
		b = appendBytesBits(b, t.Captured())
		b = append(b, " captured ("...)
		b = strconv.AppendInt(b, int64(t.Captured())*8, 10)
		b = append(b, " bits)"...)
		if p.ifNames != nil {
			if name, ok := p.ifNames[t.CI.InterfaceIndex]; ok {
				b = append(b, " on interface "...)
				b = append(b, name...)
				b = append(b, ", id "...)
				b = strconv.AppendInt(b, int64(t.CI.InterfaceIndex), 10)
			}
		}
		return b
	case protoEth:
		if s, d := t.Find(n, fEthSrc), t.Find(n, fEthDst); s >= 0 && d >= 0 {
			b = append(b, "Ethernet II, Src: "...)
			b = appendHexColons(b, t.Bytes(s))
			b = append(b, ", Dst: "...)
			return appendHexColons(b, t.Bytes(d))
		}
	case protoIP, protoIPv6:
		src, dst := fIPSrc, fIPDst
		b = append(b, "Internet Protocol Version 4, Src: "...)
		if id == protoIPv6 {
			src, dst = fIPv6Src, fIPv6Dst
			b[len(b)-8] = '6'
		}
		if s, d := t.Find(n, src), t.Find(n, dst); s >= 0 && d >= 0 {
			b = appendAddr(b, t.Bytes(s))
			b = append(b, ", Dst: "...)
			return appendAddr(b, t.Bytes(d))
		}
	case protoUDP:
		b = append(b, "User Datagram Protocol, Src Port: "...)
		b = strconv.AppendUint(b, u(fUDPSrcPort), 10)
		b = append(b, ", Dst Port: "...)
		return strconv.AppendUint(b, u(fUDPDstPort), 10)
	case protoTCP:
		b = append(b, "Transmission Control Protocol, Src Port: "...)
		b = strconv.AppendUint(b, u(fTCPSrcPort), 10)
		b = append(b, ", Dst Port: "...)
		b = strconv.AppendUint(b, u(fTCPDstPort), 10)
		b = append(b, ", Seq: "...)
		b = strconv.AppendUint(b, u(fTCPSeq), 10)
		if u(fTCPFlags)&0x10 != 0 {
			b = append(b, ", Ack: "...)
			b = strconv.AppendUint(b, u(fTCPAck), 10)
		}
		b = append(b, ", Len: "...)
		return strconv.AppendUint(b, u(fTCPLen), 10)
	case protoARP:
		switch u(fARPOpcode) {
		case 1:
			return append(b, "Address Resolution Protocol (request)"...)
		case 2:
			return append(b, "Address Resolution Protocol (reply)"...)
		}
	case protoDNS:
		if u(fDNSFlags)&0x8000 != 0 {
			return append(b, "Domain Name System (response)"...)
		}
		return append(b, "Domain Name System (query)"...)
	case protoSLL:
		if t.Link == wire.LinkType(276) {
			return append(b, "Linux cooked capture v2"...)
		}
		return append(b, "Linux cooked capture v1"...)
	case protoVLAN:
		b = append(b, "802.1Q Virtual LAN, PRI: "...)
		b = strconv.AppendUint(b, u(fVLANPriority), 10)
		b = append(b, ", DEI: "...)
		b = strconv.AppendUint(b, u(fVLANDEI), 10)
		b = append(b, ", ID: "...)
		return strconv.AppendUint(b, u(fVLANID), 10)
	case protoQinQ:
		b = append(b, "IEEE 802.1ad, ID: "...)
		return strconv.AppendUint(b, u(fQinQID), 10)
	case protoTextLines, protoJSON, protoURLForm:
		// "Line-based text data: text/html (3 lines)": the media type of
		// the message the body is of.
		switch id {
		case protoTextLines:
			b = append(b, "Line-based text data: "...)
		case protoJSON:
			b = append(b, "JavaScript Object Notation: "...)
		default:
			b = append(b, "HTML Form URL Encoded: "...)
		}
		if h := t.Below(n, protoHTTP); h >= 0 {
			if c := t.Find(h, fHTTPContentType); c >= 0 {
				b = append(b, httpMediaType(t.Bytes(c))...)
			}
		}
		if id == protoTextLines {
			b = append(b, " ("...)
			b = strconv.AppendInt(b, int64(textLineCount(t.Bytes(n))), 10)
			b = append(b, " lines)"...)
		}
		return b
	case protoData:
		if d := t.Find(n, fDataData); d >= 0 {
			for _, c := range t.Bytes(d) {
				b = append(b, hexDigits[c>>4], hexDigits[c&15])
			}
			return b
		}
	}
	return append(b, registry[id].Name...)
}

func appendBytesBits(b []byte, n int) []byte {
	b = strconv.AppendInt(b, int64(n), 10)
	return append(b, " bytes"...)
}

// appendAddr writes a 4- or 16-byte address.
func appendAddr(b, a []byte) []byte {
	switch len(a) {
	case 4:
		return netip.AddrFrom4([4]byte(a)).AppendTo(b)
	case 16:
		return netip.AddrFrom16([16]byte(a)).AppendTo(b)
	}
	return appendHexColons(b, a)
}

// appendProtocols writes frame.protocols: the packet's layers joined by
// colons, with tshark's "ethertype" after a layer that hands on by ethertype
// (not after an 802.3 length).
func (p *FieldsPrinter) appendProtocols(b []byte) []byte {
	t := p.cur
	for i, l := range t.Layers {
		f := t.Nodes[l].Field
		if i == 0 {
			continue // the frame: tshark lists what it holds
		}
		if f == protoHTTP && httpListed(t, i) {
			continue // tshark lists HTTP once for the messages of one payload
		}
		if i > 1 {
			b = append(b, ':')
		}
		b = append(b, registry[f].Name...)
		switch f {
		case protoEth, protoVLAN, protoQinQ, protoSLL:
			// An 802.3 length hands on to LLC without an ethertype.
			if i+1 < len(t.Layers) && t.Nodes[t.Layers[i+1]].Field != protoLLC {
				b = append(b, ":ethertype"...)
			}
		}
	}
	return b
}

// httpListed reports whether an http layer comes before layer i since the
// TCP layer below it.
func httpListed(t *Tree, i int) bool {
	for j := i - 1; j > 0; j-- {
		switch t.Nodes[t.Layers[j]].Field {
		case protoHTTP:
			return true
		case protoTCP:
			return false
		}
	}
	return false
}

// textLineCount is the number of lines of b, the last one ended or not.
func textLineCount(b []byte) int {
	n := 0
	for _, c := range b {
		if c == '\n' {
			n++
		}
	}
	if len(b) > 0 && b[len(b)-1] != '\n' {
		n++
	}
	return n
}
