package decode

import (
	"strconv"

	"github.com/sockscope/sockscope/decode/wire"
)

// UDP (RFC 768): the header, the checksum over the IPv4 (RFC 768) or IPv6
// (RFC 8200 section 8.1) pseudo-header, and the dispatch of the payload by
// port through UDPPorts.
//
// The payload handed to the application is the smaller of what the UDP
// length field and the IP layer say; a length field below 8 leaves it
// undissected ("truncated-udplength N").

var (
	protoUDP    = proto("udp", "User Datagram Protocol")
	fUDPSrcPort = field("udp.srcport", "Source Port", TypeUint16)
	fUDPDstPort = field("udp.dstport", "Destination Port", TypeUint16)
	// fUDPTraceroute is the expert item of a datagram to or from a port
	// traceroute uses (expert.go); its value is the port.
	fUDPTraceroute     = field("udp.possible_traceroute", "Possible traceroute", TypeNone)
	fUDPPort           = field("udp.port", "Source or Destination Port", TypeUint16)
	fUDPLength         = field("udp.length", "Length", TypeUint16)
	fUDPChecksum       = register(Field{Name: "udp.checksum", Title: "Checksum", Type: TypeUint16, Hex: true})
	fUDPChecksumCalc   = register(Field{Name: "udp.checksum_calculated", Title: "Calculated Checksum", Type: TypeUint16, Hex: true})
	fUDPChecksumStatus = enumField("udp.checksum.status", "Checksum Status", TypeUint8, udpChecksumStatusNames)
	fUDPLengthBad      = field("udp.length.bad", "Bad length value", TypeNone)
	fUDPChecksumBad    = field("udp.checksum.bad", "Bad checksum", TypeNone)
	fUDPPayload        = field("udp.payload", "Payload", TypeBytes)
	fUDPStream         = field("udp.stream", "Stream index", TypeUint32)
)

// The values of udp.checksum.status, as Wireshark numbers them.
const (
	udpChecksumBad        = 0
	udpChecksumGood       = 1
	udpChecksumUnverified = 2
	udpChecksumNotPresent = 3
)

var udpChecksumStatusNames = map[uint64]string{0: "Bad", 1: "Good", 2: "Unverified", 3: "Not present"}

func init() {
	IPProtocols.Register(17, dissectUDP)
	registerText(protoUDP, textUDP)
	setPrintsAddresses(protoUDP)
}

// udpRank orders the applications tcpdump recognises by port: when both
// ports name one, the lower rank wins; a port with no rank for a side is
// not looked up on that side (BFD only as the destination, the Broadcom LI
// shim only as the source). Ranks come from what the installed tcpdump
// decodes for every pair of such ports; ports registered in UDPPorts and
// absent here rank after all of them, the destination first.
var udpRankSrc, udpRankDst = udpRanks()

func udpRanks() (src, dst map[uint16]uint16) {
	// Each tier: ports ranked equal; "s" the source side, "d" the
	// destination, "sd" both.
	tiers := []struct {
		side  string
		ports []uint16
	}{
		{"sd", []uint16{53, 5353}},
		{"sd", []uint16{525}},
		{"sd", []uint16{69}},
		{"sd", []uint16{67, 68}},
		{"sd", []uint16{520}},
		{"sd", []uint16{654}},
		{"sd", []uint16{500}},
		{"sd", []uint16{4500}},
		{"sd", []uint16{7500, 8500}},
		{"sd", []uint16{161, 162}},
		{"sd", []uint16{123}},
		{"sd", []uint16{88, 750}},
		{"sd", []uint16{1701}},
		{"d", []uint16{2103, 2104, 3456}},
		{"s", []uint16{2103, 2104, 7000, 7001, 7002, 7003, 7004, 7005, 7006, 7007, 7008, 7009}},
		{"d", []uint16{521, 7000, 7001, 7002, 7003, 7004, 7005, 7006, 7007, 7008, 7009}},
		{"s", []uint16{521, 546, 547}},
		{"d", []uint16{546, 547, 5359}},
		{"s", []uint16{5359, 6696, 6697}},
		{"d", []uint16{6696, 6697, 8231}},
		{"s", []uint16{8231}},
		{"d", []uint16{496, 4567}},
		{"s", []uint16{496, 1645, 1646, 1700, 1812, 1813, 3799}},
		{"d", []uint16{921, 1645, 1646, 1700, 1812, 1813, 1985, 3799, 2049}},
		{"s", []uint16{646, 921}},
		{"d", []uint16{646, 698}},
		{"s", []uint16{698, 3503}},
		{"d", []uint16{3503}},
		{"s", []uint16{49152}},
		{"d", []uint16{701, 3784, 3785, 4784, 6784}},
		{"s", []uint16{701, 1589}},
		{"d", []uint16{1589, 6343}},
		{"s", []uint16{6343, 12222, 12223}},
		{"d", []uint16{5060, 12222, 12223}},
		{"s", []uint16{514, 5060}},
		{"d", []uint16{514, 8472}},
		{"s", []uint16{4789, 8472}},
		{"d", []uint16{4789, 6081}},
		{"s", []uint16{4342, 6081}},
		{"d", []uint16{4342, 4790}},
		{"s", []uint16{4790, 17754}},
		{"d", []uint16{6635, 17754}},
		{"s", []uint16{319, 320, 6635}},
		{"d", []uint16{319, 320, 30490}},
		{"s", []uint16{30490}},
	}
	src, dst = map[uint16]uint16{}, map[uint16]uint16{}
	for i, tr := range tiers {
		for _, p := range tr.ports {
			if tr.side != "d" {
				src[p] = uint16(i + 1)
			}
			if tr.side != "s" {
				dst[p] = uint16(i + 1)
			}
		}
	}
	return src, dst
}

// udpRankUnknownDst and udpRankUnknownSrc rank registered ports udpRanks
// does not list.
const (
	udpRankUnknownDst = 1000
	udpRankUnknownSrc = 1001
)

// udpTsharkPort is the protocol tshark, by default, gives port where it
// is not tcpdump's, and whether it differs: none for Broadcom's LI shim
// (49152) and OTV (8472), which only tcpdump reads; seamless BFD's
// reflector (7784), which only tshark does.
func udpTsharkPort(port uint16) (Dissector, bool) {
	switch port {
	case 49152, 8472:
		return nil, true
	case 7784:
		return dissectBFDControl, true
	}
	return nil, false
}

// udpPick is the dissector for a datagram from port sport to port dport.
func udpPick(t *Tree, sport, dport uint16) Dissector {
	lookup := func(port uint16) Dissector {
		if !t.Tcpdump {
			if d, ok := udpTsharkPort(port); ok {
				return d
			}
		}
		return UDPPorts.Lookup(uint32(port))
	}
	ds, dd := lookup(sport), lookup(dport)
	rs, rd := uint16(0xffff), uint16(0xffff)
	if ds != nil {
		if r, ok := udpRankSrc[sport]; ok {
			rs = r
		} else if _, known := udpRankDst[sport]; !known {
			rs = udpRankUnknownSrc
		} else {
			ds = nil
		}
	}
	if dd != nil {
		if r, ok := udpRankDst[dport]; ok {
			rd = r
		} else if _, known := udpRankSrc[dport]; !known {
			rd = udpRankUnknownDst
		} else {
			dd = nil
		}
	}
	switch {
	case ds != nil && (dd == nil || rs < rd):
		return ds
	case dd != nil:
		return dd
	}
	return nil
}

// udpIPBelow is the node of the IPv4 or IPv6 layer nearest below node n, or -1.
func udpIPBelow(t *Tree, n int) int {
	a, b := t.Below(n, protoIP), t.Below(n, protoIPv6)
	if b > a {
		return b
	}
	return a
}

// dissectUDP reads a UDP header at off and its payload.
func dissectUDP(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoUDP, off, end, 4)
	if !ok {
		return
	}
	sport, dport := t.U16(off), t.U16(off+2)
	t.Add(l, fUDPSrcPort, off, 2, sport)
	t.Add(l, fUDPDstPort, off+2, 2, dport)
	t.Add(l, fUDPPort, off, 2, sport)
	t.Add(l, fUDPPort, off+2, 2, dport)
	udpTraceroute(t, l, off, sport, dport)
	if n < 6 {
		t.Mark(l, Truncated)
		return
	}
	ulen := int(t.U16(off + 4))
	ln := t.Add(l, fUDPLength, off+4, 2, uint64(ulen))
	if ulen == 0 {
		// In an IPv6 jumbogram (RFC 2675) the length is the IPv6 layer's.
		if ip := udpIPBelow(t, l); ip >= 0 && t.Nodes[ip].Field == protoIPv6 {
			if pl, ok := t.Value(ip, fIPv6PLen); ok && pl == 0 {
				ulen = end - off
			}
		}
	}
	// The layer node's value is the length in effect.
	t.Nodes[l].Val = uint64(ulen)
	if ulen < 8 {
		// An expert item, and the datagram is not read further; the
		// dissection ends without an exception, so the layer is not
		// marked.
		b := t.Add(ln, fUDPLengthBad, off+4, 2, 0)
		t.Nodes[b].Flags |= Malformed
		t.Nodes[ln].Flags |= Malformed
		return
	}
	if n < 8 {
		// Without its whole header the datagram is not dissected.
		t.Mark(l, Truncated)
		return
	}
	// The datagram: what the UDP length and the IP layer both allow. The
	// first fragment of a datagram holds only part of it.
	dend := off + ulen
	if dend > end {
		if udpFragment(t, l) {
			t.SetLen(l, ulen)
		} else {
			t.Add(ln, fUDPLengthBad, off+4, 2, 0)
			t.Mark(ln, Malformed)
			t.SetLen(l, end-off)
		}
		dend = end
	} else {
		t.SetLen(l, dend-off)
	}
	ck := t.U16(off + 6)
	c := t.Add(l, fUDPChecksum, off+6, 2, ck)
	udpChecksum(t, l, c, off, dend, ck)
	if stream, ok := udpConversation(t, l); ok {
		t.Nodes[t.Add(l, fUDPStream, off, 0, uint64(stream))].Flags |= Generated
	}
	pay := off + 8
	if pay > dend {
		pay = dend
	}
	// Wireshark gives the payload whether or not a protocol is read in it.
	if dend > pay {
		t.AddBytes(l, fUDPPayload, pay, t.Avail(pay, dend))
	}
	if dend == pay && !t.Tcpdump {
		// tshark calls no protocol for an empty datagram; tcpdump's
		// line names the port's protocol still.
		return
	}
	if d := udpPick(t, uint16(sport), uint16(dport)); d != nil {
		t.Call(d, pay, dend)
	} else if t.Avail(pay, dend) > 0 {
		DissectData(t, pay, dend) // as Wireshark: what no protocol reads is data
	}
}

// udpConvs numbers UDP conversations as tshark's udp.stream does: a pair
// of (address, port) endpoints takes the next index, counting from 0, when
// its first datagram is seen, a header an ICMP error quotes included; it
// is never ended. Bounded as tcpConvs is: past tcpConvMax conversations
// the table starts again, and a conversation seen again then takes a new
// index.
type udpConvs struct {
	m    map[tcpConnKey]uint32
	next uint32
}

// udpConversation is the udp.stream of the UDP layer l, false when the
// tree keeps no state, its reader does not read udp.stream (Want), or no
// IP layer names the endpoints.
func udpConversation(t *Tree, l int) (uint32, bool) {
	if t.Stateless || t.Want != nil && !t.Want.udpStream {
		return 0, false
	}
	ip := udpIPBelow(t, l)
	if ip < 0 {
		return 0, false
	}
	i, j := t.Addresses(ip)
	if i < 0 || j < 0 {
		return 0, false
	}
	src, dst := t.Bytes(i), t.Bytes(j)
	if len(src) != len(dst) || len(src) == 0 || len(src) > 16 {
		return 0, false
	}
	off := int(t.Nodes[l].Off)
	k, _ := tcpKey(src, dst, uint16(t.U16(off)), uint16(t.U16(off+2)))
	s := &t.crossPacket().udp
	if n, ok := s.m[k]; ok {
		return n, true
	}
	if s.m == nil || len(s.m) >= tcpConvMax {
		s.m = make(map[tcpConnKey]uint32)
	}
	n := s.next
	s.m[k] = n
	s.next++
	return n, true
}

// udpFragment reports whether the UDP layer l is in a fragment of its IP
// datagram (IPv4 more-fragments, or an IPv6 fragment header) that was not
// put back together.
func udpFragment(t *Tree, l int) bool {
	ip := udpIPBelow(t, l)
	if ip < 0 || ipReassembled(t, ip) {
		return false
	}
	if t.Nodes[ip].Field == protoIP {
		mf, _ := t.Value(ip, fIPFlagMF)
		return mf != 0
	}
	for i := len(t.Layers) - 1; i >= 0; i-- {
		ln := int(t.Layers[i])
		if ln <= ip {
			break
		}
		if ln < l && t.Nodes[ln].Field == fIPv6FragHdr {
			return true
		}
	}
	return false
}

// udpChecksum verifies the checksum ck of the datagram [off, dend) when it
// was captured whole and is not a fragment, under checksum node c.
func udpChecksum(t *Tree, l, c, off, dend int, ck uint64) {
	ip := udpIPBelow(t, l)
	if ip < 0 {
		t.Add(c, fUDPChecksumStatus, off+6, 2, udpChecksumUnverified)
		return
	}
	v6 := t.Nodes[ip].Field == protoIPv6
	if !v6 && ck == 0 {
		t.Add(c, fUDPChecksumStatus, off+6, 2, udpChecksumNotPresent)
		return
	}
	if !t.VerifyChecksums || dend > len(t.Data) || dend-off < 8 {
		t.Add(c, fUDPChecksumStatus, off+6, 2, udpChecksumUnverified)
		return
	}

	if udpFragment(t, l) {
		t.Add(c, fUDPChecksumStatus, off+6, 2, udpChecksumUnverified)
		return
	}
	sum, ok := pseudoHeaderSum(t, ip, l, 17, dend-off)
	if !ok {
		t.Add(c, fUDPChecksumStatus, off+6, 2, udpChecksumUnverified)
		return
	}
	// The sum with the checksum field taken as zero gives the value the
	// field should hold.
	sum = wire.Sum(wire.Sum(sum, t.Data[off:off+6]), t.Data[off+8:dend])
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	want := uint64(^uint16(sum))
	if want == 0 {
		want = 0xffff
	}
	cal := t.Add(c, fUDPChecksumCalc, off+6, 2, want)
	t.Nodes[cal].Flags |= Generated
	if want == ck {
		t.Add(c, fUDPChecksumStatus, off+6, 2, udpChecksumGood)
		return
	}
	t.Add(c, fUDPChecksumStatus, off+6, 2, udpChecksumBad)
	b := t.Add(c, fUDPChecksumBad, off+6, 2, 0)
	t.Mark(b, Malformed)
}

// udpAppendAddrs appends "src.sport > dst.dport" (ports only when the UDP
// layer l does not follow its IP header directly, as after IPv6 extension
// headers; addresses only when ports is false).
func udpAppendAddrs(p *Printer, l int, sport, dport uint64, ports bool) {
	t := &p.t
	n := p.Node(l)
	ip := udpIPBelow(t, n)
	direct := ip >= 0 && l > 0 && p.Node(l-1) == ip
	var src, dst []byte
	v6 := false
	if direct {
		if t.Nodes[ip].Field == protoIPv6 {
			v6 = true
			if i, j := t.Find(ip, fIPv6Src), t.Find(ip, fIPv6Dst); i >= 0 && j >= 0 {
				src, dst = t.Bytes(i), t.Bytes(j)
			}
		} else if i, j := t.Find(ip, fIPSrc), t.Find(ip, fIPDst); i >= 0 && j >= 0 {
			src, dst = t.Bytes(i), t.Bytes(j)
		}
	}
	addr := func(b []byte) {
		if v6 {
			p.b = appendIPv6(p.b, b)
		} else {
			p.b = appendIPv4(p.b, b)
		}
	}
	if src != nil {
		addr(src)
		if ports {
			p.b = append(p.b, '.')
		}
	}
	if ports {
		p.b = strconv.AppendUint(p.b, sport, 10)
	}
	p.b = append(p.b, " > "...)
	if dst != nil {
		addr(dst)
		if ports {
			p.b = append(p.b, '.')
		}
	}
	if ports {
		p.b = strconv.AppendUint(p.b, dport, 10)
	}
}

// textUDP prints "src.sport > dst.dport: " and the payload's text, or
// "UDP, length N".
func textUDP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	sport, ok1 := t.Value(n, fUDPSrcPort)
	dport, ok2 := t.Value(n, fUDPDstPort)
	if !ok1 || !ok2 {
		udpAppendAddrs(p, l, 0, 0, false)
		p.b = append(p.b, ":  [|udp]"...)
		return
	}
	udpAppendAddrs(p, l, sport, dport, true)
	p.b = append(p.b, ": "...)
	li := t.Find(n, fUDPLength)
	if li < 0 {
		p.b = append(p.b, " [|udp]"...)
		return
	}
	ulen := t.Nodes[n].Val
	if ulen < 8 {
		p.b = append(p.b, "truncated-udplength "...)
		p.b = strconv.AppendUint(p.b, ulen, 10)
		return
	}
	if t.Find(n, fUDPChecksum) < 0 {
		p.b = append(p.b, " [|udp]"...)
		return
	}
	v6 := false
	if ip := udpIPBelow(t, n); ip >= 0 {
		v6 = t.Nodes[ip].Field == protoIPv6
	}
	if p.opt.Verbose > 1 || v6 && p.opt.Verbose > 0 {
		if c := t.Find(n, fUDPChecksum); c >= 0 {
			st, _ := t.Value(c, fUDPChecksumStatus)
			switch st {
			case udpChecksumGood:
				p.b = append(p.b, "[udp sum ok] "...)
			case udpChecksumBad:
				cal, _ := t.Value(c, fUDPChecksumCalc)
				p.b = append(p.b, "[bad udp cksum 0x"...)
				p.b = udpHex4(p.b, t.Nodes[c].Val)
				p.b = append(p.b, " -> 0x"...)
				p.b = udpHex4(p.b, cal)
				p.b = append(p.b, "!] "...)
			case udpChecksumNotPresent:
				p.b = append(p.b, "[no cksum] "...)
			}
		}
	}
	// The payload's length: the datagram as the UDP and IP layers bound it.
	plen := int64(t.Nodes[n].Len) - 8
	if plen < 0 {
		plen = 0
	}
	if !p.opt.Quiet && l+1 < len(t.Layers) && p.Proto(l+1) != protoData {
		if textFuncs[p.Proto(l+1)] != nil {
			p.Layer(l + 1)
			return
		}
	}
	if !p.opt.Quiet && l+1 < len(t.Layers) && p.Proto(l+1) == protoData && udpDataText(p, l+1, sport, dport) {
		return
	}
	p.b = append(p.b, "UDP, "...)
	if t.Has(li, fUDPLengthBad) {
		p.b = append(p.b, "bad length "...)
		p.b = strconv.AppendUint(p.b, ulen-8, 10)
		p.b = append(p.b, " > "...)
		p.b = strconv.AppendInt(p.b, plen, 10)
		return
	}
	p.b = append(p.b, "length "...)
	p.b = strconv.AppendInt(p.b, plen, 10)
}

// udpHex4 appends v as four lower-case hexadecimal digits.
func udpHex4(b []byte, v uint64) []byte {
	const digits = "0123456789abcdef"
	return append(b, digits[v>>12&0xf], digits[v>>8&0xf], digits[v>>4&0xf], digits[v&0xf])
}

// udpTraceroute adds the possible-traceroute item of UDP layer l when
// either port (the destination's first) is one of traceroute's: the ports
// after 33434 (three probes per hop, the first hop's from 33435), as tshark
// flags them. The top of the range, 33534 (33434's 100 ports), is assumed:
// the captures here reach 33449.
func udpTraceroute(t *Tree, l, off int, sport, dport uint64) {
	for _, p := range [2]uint64{dport, sport} {
		if p > 33434 && p <= 33534 {
			t.Nodes[t.Add(l, fUDPTraceroute, off, 4, p)].Flags |= Generated
			return
		}
	}
}
