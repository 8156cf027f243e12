//go:build !treedecode

package decode

// The link-layer printers: Ethernet with its 802.1Q tags, Linux cooked v1
// and v2, BSD null/loopback and raw IP, as tcpdump prints them. Each returns
// the length of the link header, which -x, -X and -A leave out. What a frame
// whose type field is a length carries is llc.go's; a MACsec SecTAG is
// macsec.go's.

// EtherType values (IEEE registry) that the printers dispatch on or name.
const (
	etherTypeIPv4     = 0x0800
	etherTypeARP      = 0x0806
	etherTypeTrail    = 0x1000 // Trailer encapsulation of IPv4, which ARP also accepts
	etherTypeRARP     = 0x8035
	etherTypeVLAN     = 0x8100
	etherTypeQinQ     = 0x88a8
	etherType9100     = 0x9100
	etherType9200     = 0x9200
	etherTypeIPv6     = 0x86dd
	etherTypeJumbo    = 0x8870 // Alteon jumbo frames: an LLC header follows
	etherTypeLoopback = 0x9000 // Ethernet configuration testing protocol
	etherTypeMACsec   = 0x88e5 // IEEE 802.1AE
	maxEthernetLength = 1500   // a type/length field up to this is an 802.3 length
)

// etherTypeNames are the EtherType names tcpdump prints.
var etherTypeNames = map[uint16]string{
	0x0800: "IPv4", 0x8847: "MPLS unicast", 0x8848: "MPLS multicast", 0x86dd: "IPv6",
	0x8100: "802.1Q", 0x9100: "802.1Q-9100", 0x88a8: "802.1Q-QinQ", 0x9200: "802.1Q-9200",
	0x88e5: "802.1AE MACsec", 0x9000: "Loopback", 0x0200: "PUP", 0x0806: "ARP",
	0x8035: "Reverse ARP", 0x0600: "NS", 0x0500: "Sprite", 0x1000: "Trail",
	0x6001: "MOP DL", 0x6002: "MOP RC", 0x6003: "DN", 0x6004: "LAT", 0x6007: "SCA",
	0x6558: "TEB", 0x8038: "Lanbridge", 0x803c: "DEC DNS", 0x803e: "DEC DTS",
	0x805b: "VEXP", 0x805c: "VPROD", 0x809b: "Appletalk", 0x80f3: "Appletalk ARP",
	0x8137: "IPX", 0x880b: "PPP", 0x8808: "MPCP", 0x8809: "Slow Protocols",
	0x8863: "PPPoE D", 0x8864: "PPPoE S", 0x888e: "EAPOL", 0x8899: "Realtek protocols",
	0x886f: "MS NLB heartbeat", 0x8870: "Jumbo", 0x894f: "NSH", 0xfefe: "OSI",
	0x00fe: "GRE-OSI", 0xabcd: "CFM (old)", 0x8902: "CFM", 0x893a: "IEEE1905.1",
	0x88cc: "LLDP", 0x88ca: "TIPC", 0x0707: "GeoNet (old)", 0x8947: "GeoNet",
	0x1111: "CALM FAST", 0x88a2: "AoE", 0x88f7: "PTP", 0xd28b: "Arista Vendor Specific Protocol",
}

// etherTypeName names EtherType t as tcpdump does, or "Unknown".
func etherTypeName(t uint16) string {
	if n, ok := etherTypeNames[t]; ok {
		return n
	}
	return "Unknown"
}

// linkLayer prints a packet from its first byte according to its link type and
// returns the link header length.
func (p *Printer) linkLayer(b []byte, length int, link LinkType) int {
	switch link {
	case LinkEthernet:
		p.proto = "ether"
		return p.ether(b, length)
	case LinkLinuxSLL:
		return p.sll(b, length)
	case LinkLinuxSLL2:
		return p.sll2(b, length)
	case LinkNull, LinkLoop:
		return p.null(b, length)
	case LinkRaw, LinkRawOld, LinkRawOld2, LinkIPv4, LinkIPv6:
		// tcpdump prints LINKTYPE_IPV4 and _IPV6 with its raw IP printer
		// too: the version nibble decides, whatever the link type says.
		p.proto = "raw"
		if p.opt.Link {
			p.str("ip: ")
		}
		p.ipN(b, length)
		return 0
	}
	p.str("unsupported link type ")
	p.uint(uint64(link))
	return 0
}

// ipN prints an IPv4 or IPv6 packet told apart by its version nibble.
func (p *Printer) ipN(b []byte, length int) {
	p.proto = "ipn"
	if length < 1 {
		p.str("truncated-ip ")
		p.uint(uint64(length))
		return
	}
	switch u8(b, 0) & 0xf0 {
	case 0x40:
		p.ip(b, length)
	case 0x60:
		p.ip6(b, length)
	default:
		p.str("unknown ip ")
		p.uint(uint64(b[0] >> 4))
	}
}

// etherTypeLine appends "ethertype IPv4 (0x0800)", or with -q just the name
// ("Unknown Ethertype (0x1234)" for one tcpdump does not know).
func (p *Printer) etherTypeLine(t uint16) {
	if p.opt.Quiet {
		if n, ok := etherTypeNames[t]; ok {
			p.str(n)
		} else {
			p.str("Unknown Ethertype (0x")
			p.hex(uint64(t), 4)
			p.byte1(')')
		}
		return
	}
	p.str("ethertype ")
	p.str(etherTypeName(t))
	p.str(" (0x")
	p.hex(uint64(t), 4)
	p.byte1(')')
}

// etherProto appends ", proto IPv4 (0x0800)", as GRE and Geneve name their
// payload with -e.
func (p *Printer) etherProto(t uint16) {
	p.str(", proto ")
	if n, ok := etherTypeNames[t]; ok {
		p.str(n)
	} else {
		p.str("unknown")
	}
	p.str(" (0x")
	p.hex(uint64(t), 4)
	p.byte1(')')
}

func isVLANType(t uint16) bool {
	return t == etherTypeVLAN || t == etherType9100 || t == etherType9200 || t == etherTypeQinQ
}

// ether prints an Ethernet frame as tcpdump does: the addresses
// and types with -e, any 802.1Q tags, then the payload by its EtherType, or
// an 802.2 LLC frame when the type field is a length. b holds the captured
// bytes, length counts the bytes on the wire.
func (p *Printer) ether(b []byte, length int) int {
	caplen := len(b)
	if length < caplen {
		p.str("[length ")
		p.uint(uint64(length))
		p.str(" < caplen ")
		p.uint(uint64(caplen))
		p.byte1(']')
		p.invalid()
		return length
	}
	if caplen < 14 {
		p.trunc()
		return caplen
	}
	origLength := length
	dst, src := b[0:6], b[6:12]
	if p.opt.Link {
		p.etherAddrs(src, dst)
	}
	hdr := 12
	length -= 12
	t := be16(b, hdr)
	hdr += 2
	length -= 2
	printedLength := false
	if t == etherTypeMACsec {
		if p.opt.Link {
			p.etherTypeLine(t)
			p.str(", length ")
			p.uint(uint64(origLength))
			p.str(": ")
			printedLength = true
		}
		var done bool
		b, hdr, length, done = p.macsec(b, hdr, length, src, dst)
		if done {
			return hdr
		}
		t = be16(b, hdr)
		hdr += 2
		length -= 2
	}
	for isVLANType(t) {
		if len(b)-hdr < 4 {
			p.proto = "vlan"
			p.trunc()
			return len(b)
		}
		if length < 4 {
			p.proto = "vlan"
			p.trunc()
			return hdr + length
		}
		if p.opt.Link {
			tci := be16(b, hdr)
			p.etherTypeLine(t)
			if !printedLength {
				p.str(", length ")
				p.uint(uint64(origLength))
				p.str(": ")
				printedLength = true
			} else {
				p.str(", ")
			}
			p.vlanTCI(tci)
			p.str(", ")
		}
		t = be16(b, hdr+2)
		hdr += 4
		length -= 4
	}
	payload := b[hdr:]
	switch {
	case t <= maxEthernetLength:
		// A length field: an 802.2 LLC header follows, and the frame
		// ends where the length says (padding is not payload).
		if int(t) < length {
			length = int(t)
			if len(payload) > length {
				payload = payload[:length]
			}
		}
		if p.opt.Link {
			p.str("802.3")
			if !printedLength {
				p.str(", length ")
				p.uint(uint64(length))
				p.str(": ")
			}
		}
		n := p.llc(payload, length, src, dst)
		if n < 0 {
			p.defaultPrint(payload)
			n = -n
		}
		hdr += n
	case t == etherTypeJumbo:
		n := p.llc(payload, length, src, dst)
		if n < 0 {
			p.defaultPrint(payload)
			n = -n
		}
		hdr += n
	default:
		if p.opt.Link {
			p.etherTypeLine(t)
			if !printedLength {
				p.str(", length ")
				p.uint(uint64(origLength))
				p.str(": ")
			} else {
				p.str(", ")
			}
		}
		if !p.etherType(t, payload, length, src, dst) {
			if !p.opt.Link {
				// Without -e nothing named the frame yet: print the
				// addresses and the final type before the raw bytes.
				p.etherAddrs(src, dst)
				p.etherTypeLine(t)
				p.str(", length ")
				p.uint(uint64(origLength))
				p.str(": ")
			}
			p.defaultPrint(payload)
		}
	}
	return hdr
}

func (p *Printer) etherAddrs(src, dst []byte) {
	p.macPair(src, dst)
	p.str(", ")
}

// macPair appends "src > dst", the MAC addresses of a frame.
func (p *Printer) macPair(src, dst []byte) {
	p.mac(src)
	p.str(" > ")
	p.mac(dst)
}

// vlanTCI appends an 802.1Q tag control field as tcpdump prints it.
func (p *Printer) vlanTCI(tci uint16) {
	p.str("vlan ")
	p.uint(uint64(tci & 0xfff))
	p.str(", p ")
	p.uint(uint64(tci >> 13))
	if tci&0x1000 != 0 {
		p.str(", DEI")
	}
}

// etherType prints the payload of an EtherType, as tcpdump does,
// and reports whether it knew the type. src and dst are the link addresses
// of the frame, nil when it has none (Linux cooked captures).
func (p *Printer) etherType(t uint16, b []byte, length int, src, dst []byte) bool {
	switch t {
	case etherTypeIPv4:
		p.ip(b, length)
	case etherTypeIPv6:
		p.ip6(b, length)
	case etherTypeARP, etherTypeRARP:
		p.arp(b, length)
	case etherTypeLoopback:
		p.loopback(b, length)
	default:
		return false
	}
	return true
}

// sllPacketTypes are the Linux packet types (PACKET_HOST...) as tcpdump names them.
var sllPacketTypes = [...]string{0: "In", 1: "B", 2: "M", 3: "P", 4: "Out"}

func sllPacketType(t int) string {
	if t >= 0 && t < len(sllPacketTypes) {
		return sllPacketTypes[t]
	}
	return "?"
}

// Linux cooked header protocol values below 1536 (linux/if_ether.h ETH_P_*).
const (
	sllP8023 = 0x0001 // Novell 802.3 frames without an 802.2 LLC header
	sllP8022 = 0x0004 // 802.2 frames
)

// sllProtocol appends the -e description of a cooked header's protocol field
// and the length, which -q leaves out.
func (p *Printer) sllProtocol(t uint16, length int) {
	if p.opt.Quiet {
		return
	}
	if t <= maxEthernetLength {
		switch t {
		case sllP8023:
			p.str("802.3")
		case sllP8022:
			p.str("802.2")
		default:
			p.str("ethertype Unknown (0x")
			p.hex(uint64(t), 4)
			p.byte1(')')
		}
	} else {
		p.etherTypeLine(t) // not quiet here
	}
	p.str(", length ")
	p.uint(uint64(length))
	p.str(": ")
}

// sllV1Header appends what tcpdump shows of a cooked v1 header: the packet
// type, the address when it is 6 bytes long, the protocol.
func (p *Printer) sllV1Header(b []byte, length int) {
	p.proto = "sll"
	p.padLeft(sllPacketType(int(be16(b, 0))), 3)
	p.byte1(' ')
	if be16(b, 4) == 6 {
		p.mac(b[6:12])
		p.byte1(' ')
	}
	p.sllProtocol(be16(b, 14), length)
}

// sllV2Header appends what tcpdump shows of a cooked v2 header: the
// interface index, the address when it is 6 bytes long, the protocol.
func (p *Printer) sllV2Header(b []byte, length int) {
	p.proto = "sll2"
	p.str("ifindex ")
	p.uint(uint64(be32(b, 4)))
	p.byte1(' ')
	if u8(b, 11) == 6 {
		p.mac(b[12:18])
		p.byte1(' ')
	}
	p.sllProtocol(be16(b, 0), length)
}

// padLeft appends s right-aligned in width columns (%*s).
func (p *Printer) padLeft(s string, width int) {
	for i := len(s); i < width; i++ {
		p.byte1(' ')
	}
	p.str(s)
}

// padRight appends s left-aligned in width columns (%-*s).
func (p *Printer) padRight(s string, width int) {
	p.str(s)
	for i := len(s); i < width; i++ {
		p.byte1(' ')
	}
}

// sll prints a Linux cooked v1 packet (16-byte header).
func (p *Printer) sll(b []byte, length int) int {
	p.proto = "sll"
	need(b, 16)
	if p.opt.Link {
		p.sllV1Header(b, length)
	}
	return p.sllPayload(b, 16, be16(b, 14), length)
}

// sll2 prints a Linux cooked v2 packet (20-byte header), starting, with or
// without -e, with the interface name and direction as tcpdump does.
func (p *Printer) sll2(b []byte, length int) int {
	p.proto = "sll2"
	need(b, 20)
	name, ok := "", false
	if p.opt.IfName != nil {
		name, ok = p.opt.IfName(int(be32(b, 4)))
	}
	if !ok {
		name = "?"
	}
	p.padRight(name, 5)
	p.byte1(' ')
	p.padRight(sllPacketType(int(b[10])), 3)
	p.byte1(' ')
	if p.opt.Link {
		p.sllV2Header(b, length)
	}
	return p.sllPayload(b, 20, be16(b, 0), length)
}

// sllPayload prints what follows a cooked header of cooked bytes (16 or 20),
// whose protocol field is t, as tcpdump does for both versions.
func (p *Printer) sllPayload(b []byte, cooked int, t uint16, length int) int {
	whole := b
	hdr := cooked
	length -= cooked
	hatype := 2 // offset of the ARPHRD_ type of the capturing interface
	if cooked == 20 {
		hatype = 8
	}
	if be16(whole, hatype) == 803 {
		// ARPHRD_IEEE80211_RADIOTAP: sockscope has no radiotap printer.
		p.defaultPrint(b[hdr:])
		return hdr
	}
	for {
		payload := b[hdr:]
		switch {
		case t <= maxEthernetLength:
			if t == sllP8022 {
				n := p.llc(payload, length, nil, nil)
				if n >= 0 {
					return hdr + n
				}
			}
			p.defaultPrint(payload)
			return hdr
		case t == etherTypeVLAN:
			if len(payload) < 4 {
				p.proto = "vlan"
				p.trunc()
				return hdr + len(payload)
			}
			if p.opt.Link {
				p.vlanTCI(be16(payload, 0))
				p.str(", ")
			}
			t = be16(payload, 2)
			if t <= maxEthernetLength {
				t = sllP8022
			}
			if !p.opt.Quiet {
				p.str("ethertype ")
				p.str(etherTypeName(t))
				p.str(", ")
			}
			hdr += 4
			length -= 4
		default:
			if !p.etherType(t, payload, length, nil, nil) {
				if !p.opt.Link {
					if cooked == 20 {
						p.sllV2Header(whole, length+cooked)
					} else {
						p.sllV1Header(whole, length+cooked)
					}
				}
				p.defaultPrint(payload)
			}
			return hdr
		}
	}
}

// bsdAFNames are the BSD address family names tcpdump prints, by number;
// IPv6 has three, NetBSD/OpenBSD's, FreeBSD's and Darwin's.
var bsdAFNames = map[uint32]string{2: "IPv4", 6: "NS", 7: "ISO", 16: "Appletalk", 23: "IPX",
	24: "IPv6", 28: "IPv6", 30: "IPv6"}

// nullHeader appends the -e header of a BSD loopback packet.
func (p *Printer) nullHeader(family uint32, length int) {
	name, ok := bsdAFNames[family]
	if p.opt.Quiet {
		if ok {
			p.str(name)
		} else {
			p.str("Unknown AF ")
			p.uint(uint64(family))
		}
	} else {
		if !ok {
			name = "Unknown"
		}
		p.str("AF ")
		p.str(name)
		p.str(" (")
		p.uint(uint64(family))
		p.byte1(')')
	}
	p.str(", length ")
	p.uint(uint64(length))
	p.str(": ")
}

// null prints a BSD loopback packet: a 4-byte address family, in host
// (little-endian here) or network order, told apart as tcpdump does.
func (p *Printer) null(b []byte, length int) int {
	p.proto = "null"
	need(b, 4)
	family := uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
	if family&0xffff0000 != 0 {
		family = family>>24 | family>>8&0xff00 | family<<8&0xff0000 | family<<24
	}
	if p.opt.Link {
		p.nullHeader(family, length)
	}
	switch family {
	case 2:
		p.ip(b[4:], length-4)
	case 24, 28, 30:
		p.ip6(b[4:], length-4)
	default:
		if !p.opt.Link {
			p.nullHeader(family, length)
		}
		p.defaultPrint(b[4:])
	}
	return 4
}
