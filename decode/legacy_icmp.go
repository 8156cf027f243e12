//go:build !treedecode

package decode

// The ICMP printer (RFC 792, 1191, 1256, 4884, 4950), printing as tcpdump
// does: the message, and with -v the datagram an error quotes and
// the MPLS extensions routers add.

// ICMP types.
const (
	icmpEchoReply    = 0
	icmpUnreach      = 3
	icmpSourceQuench = 4
	icmpRedirect     = 5
	icmpEcho         = 8
	icmpRouterAdvert = 9
	icmpTimeExceeded = 11
	icmpParamProb    = 12
	icmpTstamp       = 13
	icmpTstampReply  = 14
	icmpMaskReply    = 18
)

// icmpExtOffset is where an RFC 4884 extension header starts: after the
// 8-byte ICMP header and 128 bytes of the original datagram.
const icmpExtOffset = 8 + 128

// icmpUnreachText is the text of each destination unreachable code: the
// words before and after the address, as tcpdump words them.
var icmpUnreachText = [...]struct{ pre, post string }{
	0:  {"net ", " unreachable"},
	1:  {"host ", " unreachable"},
	5:  {"", " unreachable - source route failed"},
	6:  {"net ", " unreachable - unknown"},
	7:  {"host ", " unreachable - unknown"},
	8:  {"", " unreachable - source host isolated"},
	9:  {"net ", " unreachable - admin prohibited"},
	10: {"host ", " unreachable - admin prohibited"},
	11: {"net ", " unreachable - tos prohibited"},
	12: {"host ", " unreachable - tos prohibited"},
	13: {"host ", " unreachable - admin prohibited filter"},
	14: {"host ", " unreachable - host precedence violation"},
	15: {"host ", " unreachable - precedence cutoff"},
}

// icmpSimpleNames are the types tcpdump prints by name alone.
var icmpSimpleNames = [...]string{
	0: "echo reply", 4: "source quench", 8: "echo request", 10: "router solicitation",
	13: "time stamp request", 14: "time stamp reply", 15: "information request",
	16: "information reply", 17: "address mask request",
}

// icmp prints an ICMP message. tcpdump formats the message into a buffer
// before printing any of it, so when a field is not captured nothing but the
// truncation mark shows: every field is read before the first byte is printed.
func (p *Printer) icmp(b []byte, length int, ni *netInfo) {
	p.proto = "icmp"
	typ := u8(b, 0)
	code := u8(b, 1)
	switch typ {
	case icmpUnreach:
		if !p.icmpUnreach(b, code) {
			return
		}
	case icmpRouterAdvert:
		if !p.icmpRouterAdvert(b) {
			return
		}
	default:
		if n := icmpNeed(typ, code); len(b) < n {
			if typ == icmpTimeExceeded || typ == icmpTstampReply {
				// tcpdump checks these explicitly: the
				// mark ends the message, the packet is not a cut one.
				p.trunc()
				return
			}
			panic(truncated{})
		}
		p.str("ICMP ")
		p.icmpText(b, typ, code)
	}
	p.str(", length ")
	p.uint(uint64(uint32(length)))
	if p.opt.Verbose > 0 && !ni.fragmented && length >= 0 && len(b) >= length {
		if sum := inetChecksum(b[:length], 0); sum != 0 {
			field := be16(b, 2)
			p.str(" (wrong icmp cksum ")
			p.hex(uint64(field), 1)
			p.str(" (->")
			p.hex(uint64(cksumShouldBe(field, sum)), 1)
			p.str(")!)")
		}
	}
	if p.opt.Verbose == 0 {
		return
	}
	errType := typ == icmpUnreach || typ == icmpSourceQuench || typ == icmpRedirect ||
		typ == icmpTimeExceeded || typ == icmpParamProb
	if errType {
		// The quoted datagram, printed in full on the next line.
		p.str("\n\t")
		ipLen := int(be16(b, 10))
		inner := b[8:]
		if len(inner) > ipLen {
			inner = inner[:ipLen]
		}
		p.ip(inner, ipLen)
		p.proto = "icmp"
	}
	if length > icmpExtOffset && (typ == icmpUnreach || typ == icmpTimeExceeded || typ == icmpParamProb) {
		p.icmpExtensions(b, length)
	}
}

// icmpNeed is how many bytes the message text of an ICMP type reads.
func icmpNeed(typ, code uint8) int {
	switch typ {
	case icmpEcho, icmpEchoReply, icmpTstamp:
		return 8
	case icmpRedirect, icmpTimeExceeded:
		return 28
	case icmpParamProb:
		if code == 0 {
			return 5
		}
	case icmpMaskReply:
		return 12
	case icmpTstampReply:
		return 20
	}
	return 2
}

// icmpText prints the message text of the ICMP types other than destination
// unreachable and router advertisement; icmpNeed bytes have been checked.
func (p *Printer) icmpText(b []byte, typ, code uint8) {
	switch typ {
	case icmpEcho, icmpEchoReply:
		id, seq := be16(b, 4), be16(b, 6)
		p.str("echo ")
		if typ == icmpEcho {
			p.str("request")
		} else {
			p.str("reply")
		}
		p.str(", id ")
		p.uint(uint64(id))
		p.str(", seq ")
		p.uint(uint64(seq))
	case icmpRedirect:
		p.str("redirect")
		switch code {
		case 0, 1:
		case 2, 3:
			p.str("-tos")
		default:
			p.str("-#")
			p.uint(uint64(code))
		}
		p.byte1(' ')
		p.ip4addr(b[24:])
		switch code {
		case 0, 2:
			p.str(" to net ")
		case 1, 3:
			p.str(" to host ")
		default:
			p.str(" to ")
		}
		p.ip4addr(b[4:])
	case icmpTimeExceeded:
		switch code {
		case 0:
			p.str("time exceeded in-transit")
		case 1:
			p.str("ip reassembly time exceeded")
		default:
			p.str("time exceeded-#")
			p.uint(uint64(code))
		}
	case icmpParamProb:
		if code != 0 {
			p.str("parameter problem - code ")
			p.uint(uint64(code))
		} else {
			ptr := u8(b, 4)
			p.str("parameter problem - octet ")
			p.uint(uint64(ptr))
		}
	case icmpMaskReply:
		mask := be32(b, 8)
		p.str("address mask is 0x")
		p.hex(uint64(mask), 8)
	case icmpTstamp:
		id, seq := be16(b, 4), be16(b, 6)
		p.str("time stamp query id ")
		p.uint(uint64(id))
		p.str(" seq ")
		p.uint(uint64(seq))
	case icmpTstampReply:
		p.str("time stamp reply id ")
		p.uint(uint64(be16(b, 4)))
		p.str(" seq ")
		p.uint(uint64(be16(b, 6)))
		p.str(": org ")
		p.msecsOfDay(be32(b, 8))
		p.str(", recv ")
		p.msecsOfDay(be32(b, 12))
		p.str(", xmit ")
		p.msecsOfDay(be32(b, 16))
	default:
		if int(typ) < len(icmpSimpleNames) && icmpSimpleNames[typ] != "" {
			p.str(icmpSimpleNames[typ])
		} else {
			p.str("type-#")
			p.uint(uint64(typ))
		}
	}
}

// icmpUnreach prints a destination unreachable message; false means it was
// cut short and marked so.
func (p *Printer) icmpUnreach(b []byte, code uint8) bool {
	switch code {
	case 2: // protocol
		need(b, 28)
		p.str("ICMP ")
		p.ip4addr(b[24:])
		p.str(" protocol ")
		p.uint(uint64(b[17]))
		p.str(" unreachable")
	case 3: // port
		if len(b) < 18 {
			p.trunc()
			return false
		}
		hlen := int(b[8]&0xf) * 4
		dport := be16(b, 8+hlen+2)
		proto := b[17]
		need(b, 28)
		p.str("ICMP ")
		p.ip4addr(b[24:])
		p.unreachPort(proto, dport)
		p.str(" unreachable")
	case 4: // need to fragment
		mtu := be16(b, 6)
		need(b, 28)
		p.str("ICMP ")
		p.ip4addr(b[24:])
		p.str(" unreachable - need to frag")
		if mtu != 0 {
			p.str(" (mtu ")
			p.uint(uint64(mtu))
			p.byte1(')')
		}
	default:
		need(b, 28)
		p.str("ICMP ")
		if int(code) < len(icmpUnreachText) && icmpUnreachText[code].post != "" {
			t := icmpUnreachText[code]
			p.str(t.pre)
			p.ip4addr(b[24:])
			p.str(t.post)
		} else {
			p.ip4addr(b[24:])
			p.str(" unreachable - #")
			p.uint(uint64(code))
		}
	}
	return true
}

// unreachPort appends the protocol and port of a port unreachable message,
// ICMP's or ICMPv6's: " tcp port 80", or " protocol 132 port 9".
func (p *Printer) unreachPort(proto uint8, dport uint16) {
	switch proto {
	case ipProtoTCP:
		p.str(" tcp port ")
	case ipProtoUDP:
		p.str(" udp port ")
	default:
		p.str(" protocol ")
		p.uint(uint64(proto))
		p.str(" port ")
	}
	p.uint(uint64(dport))
}

// icmpRouterAdvert prints a router advertisement (RFC 1256); false means it
// was cut short and marked so.
func (p *Printer) icmpRouterAdvert(b []byte) bool {
	num, size := 0, uint8(0)
	if len(b) >= 8 {
		num, size = int(b[4]), b[5]
	}
	if len(b) < 8 || size == 2 && len(b) < 8+8*num {
		p.trunc()
		return false
	}
	p.str("ICMP router advertisement lifetime ")
	lifetime := uint64(be16(b, 6))
	switch {
	case lifetime < 60:
		p.uint(lifetime)
	case lifetime < 3600:
		p.uint(lifetime / 60)
		p.byte1(':')
		p.padUint(lifetime%60, 2)
	default:
		p.uint(lifetime / 3600)
		p.byte1(':')
		p.padUint(lifetime%3600/60, 2)
		p.byte1(':')
		p.padUint(lifetime%60, 2)
	}
	p.byte1(' ')
	p.uint(uint64(num))
	p.byte1(':')
	if size != 2 {
		p.bracketNum(" [size ", uint64(size))
		return true
	}
	for i := 0; i < num; i++ {
		off := 8 + 8*i
		p.str(" {")
		p.ip4addr(b[off:])
		p.byte1(' ')
		p.uint(uint64(be32(b, off+4)))
		p.byte1('}')
	}
	return true
}

// msecsOfDay prints milliseconds since midnight UTC as hh:mm:ss.mmm.
func (p *Printer) msecsOfDay(t uint32) {
	ms := uint64(t % 1000)
	s := uint64(t / 1000)
	m := s / 60
	s -= m * 60
	h := m / 60
	m -= h * 60
	p.padUint(h, 2)
	p.byte1(':')
	p.padUint(m, 2)
	p.byte1(':')
	p.padUint(s, 2)
	p.byte1('.')
	p.padUint(ms, 3)
}

// icmpExtensions prints RFC 4884 multi-part extensions, such as the MPLS
// label stack of RFC 4950 that routers add to time exceeded messages.
func (p *Printer) icmpExtensions(b []byte, length int) {
	const hdrSize = icmpExtOffset + 5 // extension header and one byte after it
	if len(b) < hdrSize {
		p.trunc()
		return
	}
	ext := b[icmpExtOffset:]
	if b[5] == 0 && len(ext) >= length-icmpExtOffset {
		// No length given: an extension is there only if its checksum holds.
		if inetChecksum(ext[:length-icmpExtOffset], 0) != 0 {
			return
		}
	}
	p.str("\n\tICMP Multi-Part extension v")
	version := ext[0] >> 4
	p.uint(uint64(version))
	if version != 2 {
		p.str(" packet not supported")
		return
	}
	hlen := length - icmpExtOffset
	if len(ext) >= hlen {
		sum := be16(ext, 2)
		p.str(", checksum 0x")
		p.hex(uint64(sum), 4)
		p.str(" (")
		if inetChecksum(ext[:hlen], 0) != 0 {
			p.str("in")
		}
		p.str("correct), length ")
		p.uint(uint64(hlen))
	}
	hlen -= 4
	obj := 4
	for hlen > 4 {
		if len(ext) < obj+4 {
			p.trunc()
			return
		}
		olen := int(be16(ext, obj))
		class := ext[obj+2]
		ctype := ext[obj+3]
		obj += 4
		p.str("\n\t  ")
		switch class {
		case 1:
			p.str("MPLS Stack Entry")
		case 2:
			p.str("Interface Identification")
		default:
			p.str("unknown")
		}
		p.str(" Object (")
		p.uint(uint64(class))
		p.str("), Class-Type: ")
		p.uint(uint64(ctype))
		p.str(", length ")
		p.uint(uint64(olen))
		hlen -= 4
		if class == 0 || olen < 4 {
			return
		}
		olen -= 4
		if class == 1 && ctype == 1 {
			label := be32(ext, obj)
			p.str("\n\t    label ")
			p.uint(uint64(label >> 12))
			p.str(", tc ")
			p.uint(uint64(label >> 9 & 7))
			if label&0x100 != 0 {
				p.str(", [S]")
			}
			p.str(", ttl ")
			p.uint(uint64(label & 0xff))
		} else {
			p.netHexData(ext, obj, "\n\t    ", olen)
		}
		if hlen < olen {
			break
		}
		hlen -= olen
		obj += olen
	}
}

// netHexData prints up to n captured bytes of b from off in hex, as tcpdump
// dumps data it does not decode.
func (p *Printer) netHexData(b []byte, off int, indent string, n int) {
	if off > len(b) {
		p.str(indent)
		p.str("Dissector error: print_unknown_data called with pointer past end of packet")
		return
	}
	b = b[off:]
	if n < len(b) {
		b = b[:max(n, 0)]
	}
	p.hexOnly(indent, b, 0)
}
