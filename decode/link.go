package decode

import "strconv"

// Link-layer printers: Ethernet (with 802.1Q tags), Linux cooked v1 and v2,
// BSD null/loopback and raw IP, after tcpdump's print-ether.c, print-sll.c,
// print-null.c and print-raw.c. Each returns the length of the link header,
// which -x/-X/-A leave out. Frames with an 802.3 length field carry 802.2
// LLC, printed after print-llc.c with the SNAP and spanning tree (print-stp.c)
// payloads it leads to.

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

// etherTypeNames are tcpdump's ethertype_values names.
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

// etherTypeName is tok2str(ethertype_values, "Unknown", t).
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

func isVLANType(t uint16) bool {
	return t == etherTypeVLAN || t == etherType9100 || t == etherType9200 || t == etherTypeQinQ
}

// ether prints an Ethernet frame as ether_common_print does: the addresses
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
	p.mac(src)
	p.str(" > ")
	p.mac(dst)
	p.str(", ")
}

// vlanTCI appends an 802.1Q tag control field as ieee8021q_tci_string does.
func (p *Printer) vlanTCI(tci uint16) {
	p.str("vlan ")
	p.uint(uint64(tci & 0xfff))
	p.str(", p ")
	p.uint(uint64(tci >> 13))
	if tci&0x1000 != 0 {
		p.str(", DEI")
	}
}

// etherType prints the payload of an EtherType, as tcpdump's ethertype_print,
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
		p.str("ethertype ")
		p.str(etherTypeName(t))
		p.str(" (0x")
		p.hex(uint64(t), 4)
		p.byte1(')')
	}
	p.str(", length ")
	p.uint(uint64(length))
	p.str(": ")
}

// sllV1Header appends what sll_print shows: the packet type, the address
// when it is 6 bytes long, the protocol.
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

// sllV2Header appends what sll2_print shows: the interface index, the
// address when it is 6 bytes long, the protocol.
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
// whose protocol field is t, as the second half of sll_if_print does.
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

// bsdAFName is tcpdump's bsd_af_values: BSD address families by number.
func bsdAFName(family uint32) (string, bool) {
	switch family {
	case 2:
		return "IPv4", true
	case 6:
		return "NS", true
	case 7:
		return "ISO", true
	case 16:
		return "Appletalk", true
	case 23:
		return "IPX", true
	case 24, 28, 30: // IPv6 on NetBSD/OpenBSD, FreeBSD, Darwin
		return "IPv6", true
	}
	return "", false
}

// nullHeader appends the -e header of a BSD loopback packet.
func (p *Printer) nullHeader(family uint32, length int) {
	name, ok := bsdAFName(family)
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

// 802.2 LLC service access points (IEEE 802 numbers) as tcpdump names them.
const (
	sapGlobal = 0xff
	sapIP     = 0x06
	sapSTP    = 0x42
	sapSNAP   = 0xaa
	sapIPX    = 0xe0
)

func llcSAPName(sap byte) (string, bool) {
	switch sap {
	case 0x00:
		return "Null", true
	case 0xff:
		return "Global", true
	case 0x02:
		return "802.1B I", true
	case 0x03:
		return "802.1B G", true
	case 0x06:
		return "IP", true
	case 0x04:
		return "SNA", true
	case 0x0e:
		return "ProWay NM", true
	case 0x42:
		return "STP", true
	case 0x4e:
		return "RS511", true
	case 0x7e:
		return "ISO8208", true
	case 0x8e:
		return "ProWay", true
	case 0xaa:
		return "SNAP", true
	case 0xe0:
		return "IPX", true
	case 0xf0:
		return "NetBeui", true
	case 0xfe:
		return "OSI", true
	}
	return "", false
}

// llcSAP appends a SAP name, or "Unknown"; with prefix, unknown SAPs print
// as prefix and the hex value ("Unknown DSAP 0x%02x").
func (p *Printer) llcSAP(sap byte, prefix string) {
	if n, ok := llcSAPName(sap); ok {
		p.str(n)
		return
	}
	if prefix == "" {
		p.str("Unknown")
		return
	}
	p.str(prefix)
	p.hex(uint64(sap), 2)
}

// llcFlag is tcpdump's llc_flag_values: command/response with the poll/final bit.
func llcFlag(v uint16) string {
	switch v {
	case 0:
		return "Command"
	case 1:
		return "Response"
	case 0x10, 0x100:
		return "Poll"
	case 0x11, 0x101:
		return "Final"
	}
	return "?"
}

// llcUCommand is tcpdump's llc_cmd_values, the unnumbered frame commands.
func llcUCommand(c uint16) string {
	switch c {
	case 0x03:
		return "ui"
	case 0xe3:
		return "test"
	case 0xaf:
		return "xid"
	case 0x63:
		return "ua"
	case 0x43:
		return "disc"
	case 0x0f:
		return "dm"
	case 0x6f:
		return "sabme"
	case 0x87:
		return "frmr"
	}
	return ""
}

// llc prints an 802.2 LLC frame as tcpdump's llc_print does. It returns the
// length of the LLC (and SNAP) header when it printed the payload, and the
// negative of it when the payload is unknown and the caller should dump it.
// src and dst are the frame's MAC addresses, nil for a cooked capture.
func (p *Printer) llc(b []byte, length int, src, dst []byte) int {
	p.proto = "llc"
	caplen := len(b)
	if caplen < 3 || length < 3 {
		p.trunc()
		p.dataPrint(b)
		return min(caplen, length)
	}
	dsapField, ssapField := b[0], b[1]
	control := uint16(b[2])
	isU := control&3 == 3
	hdrlen := 3
	if !isU {
		// I and S frames have a two-byte, little-endian control field.
		if caplen < 4 || length < 4 {
			p.trunc()
			p.dataPrint(b)
			return min(caplen, length)
		}
		control = uint16(b[2]) | uint16(b[3])<<8
		hdrlen = 4
	}
	if dsapField == sapGlobal && ssapField == sapGlobal {
		// Novell "raw" 802.3: IPX right after the length field.
		// sockscope has no IPX printer: show the bytes.
		if p.opt.Link {
			p.str("IPX 802.3: ")
		}
		p.dataPrint(b)
		return 0
	}
	dsap, ssap := dsapField&^1, ssapField&^1
	if p.opt.Link {
		p.str("LLC, dsap ")
		p.llcSAP(dsap, "")
		p.str(" (0x")
		p.hex(uint64(dsap), 2)
		if dsapField&1 != 0 {
			p.str(") Group, ssap ")
		} else {
			p.str(") Individual, ssap ")
		}
		p.llcSAP(ssap, "")
		p.str(" (0x")
		p.hex(uint64(ssap), 2)
		if ssapField&1 != 0 {
			p.str(") Response, ctrl 0x")
		} else {
			p.str(") Command, ctrl 0x")
		}
		if isU {
			p.hex(uint64(control), 2)
		} else {
			p.hex(uint64(control), 4)
		}
		p.str(": ")
	}
	b = b[hdrlen:]
	length -= hdrlen
	switch {
	case ssap == sapSNAP && dsap == sapSNAP && control == 3:
		if !p.snap(b, length, src, dst) {
			return -(hdrlen + 5)
		}
		return hdrlen + 5
	case ssap == sapSTP && dsap == sapSTP && control == 3:
		p.stp(b, length)
		return hdrlen
	case ssap == sapIP && dsap == sapIP && control == 3:
		p.ip(b, length)
		return hdrlen
	}
	if !p.opt.Link {
		if ssap == dsap {
			if src != nil && dst != nil {
				p.mac(src)
				p.str(" > ")
				p.mac(dst)
				p.byte1(' ')
			}
			p.llcSAP(dsap, "Unknown DSAP 0x")
		} else {
			if src != nil && dst != nil {
				p.mac(src)
				p.byte1(' ')
			}
			p.llcSAP(ssap, "Unknown SSAP 0x")
			p.str(" > ")
			if src != nil && dst != nil {
				p.mac(dst)
				p.byte1(' ')
			}
			p.llcSAP(dsap, "Unknown DSAP 0x")
		}
		p.byte1(' ')
	}
	flags := uint16(ssapField & 1)
	if isU {
		p.str("Unnumbered, ")
		if c := llcUCommand(control & 0xef); c != "" {
			p.str(c)
		} else {
			p.hex(uint64(control&0xef), 2)
		}
		p.str(", Flags [")
		p.str(llcFlag(flags | control&0x10))
		p.str("], length ")
		p.uint(uint64(length + hdrlen))
		if control&^0x10 == 0xaf { // XID
			if length == 0 {
				return hdrlen
			}
			if len(b) < 1 {
				p.trunc()
				return hdrlen
			}
			if b[0] == 0x81 { // the IEEE basic XID format
				if len(b) < 3 || length < 3 {
					p.trunc()
					p.dataPrint(b)
				} else {
					p.str(": ")
					p.hex(uint64(b[1]), 2)
					p.byte1(' ')
					p.hex(uint64(b[2]), 2)
				}
				return hdrlen
			}
		}
		return -hdrlen
	}
	if control&1 != 0 {
		p.str("Supervisory, ")
		switch control >> 2 & 3 {
		case 0:
			p.str("Receiver Ready")
		case 1:
			p.str("Receiver not Ready")
		case 2:
			p.str("Reject")
		default:
			p.byte1('?')
		}
		p.str(", rcv seq ")
		p.uint(uint64(control >> 9 & 0x7f))
		p.str(", Flags [")
		p.str(llcFlag(flags | control&0x100))
		p.str("], length ")
		p.uint(uint64(length + hdrlen))
		return hdrlen
	}
	p.str("Information, send seq ")
	p.uint(uint64(control >> 1 & 0x7f))
	p.str(", rcv seq ")
	p.uint(uint64(control >> 9 & 0x7f))
	p.str(", Flags [")
	p.str(llcFlag(flags | control&0x100))
	p.str("], length ")
	p.uint(uint64(length + hdrlen))
	return -hdrlen
}

// Organisation codes of SNAP headers, as in tcpdump's oui.h.
const (
	ouiEncapEther = 0x000000
	ouiCisco      = 0x00000c
	ouiCisco90    = 0x0000f8
	ouiRFC2684    = 0x0080c2
	ouiAppletalk  = 0x080007
)

// ouiNames are tcpdump's oui_values.
var ouiNames = map[uint32]string{
	0x000000: "Ethernet", 0x00000c: "Cisco", 0x00005e: "IANA", 0x000081: "Nortel Networks SONMP",
	0x0000f8: "Cisco bridged", 0x0080c2: "Ethernet bridged", 0x00a03e: "ATM Forum",
	0x00e02f: "DOCSIS Spanning Tree", 0x080007: "Appletalk", 0x009069: "Juniper",
	0x080009: "Hewlett-Packard", 0x00120f: "IEEE 802.3 Private", 0x0012bb: "ANSI/TIA",
	0x001b21: "DCBX", 0x002320: "Nicira Networks", 0x5c16c7: "Big Switch Networks",
	0xb0d2f5: "Vello Systems", 0x002481: "HP", 0x0004ea: "HP-Labs", 0x748771: "Infoblox Inc",
	0xa42305: "Open Networking Lab", 0x00049f: "Freescale", 0x0015ad: "Netronome",
	0x001018: "Broadcom", 0x00e004: "PMC-Sierra", 0xd0f0db: "Ericsson",
}

// snapPIDName names the protocol ID of a SNAP header by its organisation, as
// tcpdump's oui_to_struct_tok tables do.
func snapPIDName(oui uint32, pid uint16) string {
	switch oui {
	case ouiEncapEther, ouiCisco90, ouiAppletalk:
		return etherTypeName(pid)
	case ouiCisco:
		switch pid {
		case 0x2000:
			return "CDP"
		case 0x2003:
			return "VTP"
		case 0x2004:
			return "DTP"
		case 0x0111:
			return "UDLD"
		case 0x010b:
			return "PVST"
		case 0x010c:
			return "VLAN Bridge"
		}
	case ouiRFC2684:
		if int(pid) < len(rfc2684Names) && rfc2684Names[pid] != "" {
			return rfc2684Names[pid]
		}
	}
	return "Unknown"
}

// rfc2684Names are the bridged-frame protocol IDs (tcpdump's bridged_values).
var rfc2684Names = [...]string{
	1: "Ethernet + FCS", 7: "Ethernet w/o FCS", 2: "802.4 + FCS", 8: "802.4 w/o FCS",
	3: "Token Ring + FCS", 9: "Token Ring w/o FCS", 4: "FDDI + FCS", 10: "FDDI w/o FCS",
	5: "802.6 + FCS", 11: "802.6 w/o FCS", 14: "BPDU",
}

// snap prints a SNAP header and its payload as tcpdump's snap_print does, and
// reports whether it knew the payload.
func (p *Printer) snap(b []byte, length int, src, dst []byte) bool {
	p.proto = "snap"
	if len(b) < 5 || length < 5 {
		p.trunc()
		return true
	}
	oui := uint32(b[0])<<16 | uint32(b[1])<<8 | uint32(b[2])
	pid := be16(b, 3)
	if p.opt.Link {
		p.str("oui ")
		p.ouiName(oui)
		p.str(" (0x")
		p.hex(uint64(oui), 6)
		if oui == ouiEncapEther {
			p.str("), ethertype ")
		} else {
			p.str("), pid ")
		}
		p.str(snapPIDName(oui, pid))
		p.str(" (0x")
		p.hex(uint64(pid), 4)
		p.str("), length ")
		p.uint(uint64(length - 5))
		p.str(": ")
	}
	b = b[5:]
	length -= 5
	switch oui {
	case ouiEncapEther, ouiCisco90:
		if p.etherType(pid, b, length, src, dst) {
			return true
		}
	case ouiCisco:
		if pid == 0x010b || pid == 0x010c { // PVST+, VLAN bridge
			p.stp(b, length)
			return true
		}
	case ouiRFC2684:
		switch pid {
		case 1, 7: // bridged Ethernet, after two bytes of padding
			need(b, 2)
			p.proto = "ether"
			p.ether(b[2:], length-2)
			return true
		case 14:
			p.stp(b, length)
			return true
		}
	}
	if !p.opt.Link {
		if src != nil && dst != nil {
			p.mac(src)
			p.str(" > ")
			p.mac(dst)
			p.byte1(' ')
		}
		if oui == ouiEncapEther {
			p.str("SNAP, ethertype ")
			p.str(etherTypeName(pid))
		} else {
			p.str("SNAP, oui ")
			p.ouiName(oui)
			p.str(" (0x")
			p.hex(uint64(oui), 6)
			p.str("), pid ")
			p.str(snapPIDName(oui, pid))
		}
		p.str(" (0x")
		p.hex(uint64(pid), 4)
		p.str("), length ")
		p.uint(uint64(length))
		p.str(": ")
	}
	return false
}

func (p *Printer) ouiName(oui uint32) {
	if n, ok := ouiNames[oui]; ok {
		p.str(n)
	} else {
		p.str("Unknown")
	}
}

// stpFlagNames are tcpdump's stp_bpdu_flag_values, by bit.
var stpFlagNames = [...]struct {
	bit  uint8
	name string
}{
	{0x01, "Topology change"}, {0x02, "Proposal"}, {0x10, "Learn"},
	{0x20, "Forward"}, {0x40, "Agreement"}, {0x80, "Topology change ACK"},
}

// stpFlags appends the names of the set flags, ", " between, or "none".
func (p *Printer) stpFlags(f uint8) {
	sep := false
	for _, n := range stpFlagNames {
		if f&n.bit != 0 {
			if sep {
				p.str(", ")
			}
			p.str(n.name)
			sep = true
		}
	}
	if !sep {
		p.str("none")
	}
}

// stpPortRole is tcpdump's rstp_obj_port_role_values for bits 2-3 of the flags.
func stpPortRole(f uint8) string {
	return [...]string{"Unknown", "Alternate", "Root", "Designated"}[f>>2&3]
}

// stpBridgeID appends an 8-byte bridge identifier as pppp.aa:bb:cc:dd:ee:ff.
func (p *Printer) stpBridgeID(b []byte, off int) {
	need(b, off+8)
	p.hex(uint64(b[off])<<8|uint64(b[off+1]), 4)
	p.byte1('.')
	p.mac(b[off+2 : off+8])
}

// stpSeconds appends an STP time (1/256 s units) as %.2fs.
func (p *Printer) stpSeconds(v uint16) {
	p.buf = strconv.AppendFloat(p.buf, float64(float32(v)/256), 'f', 2, 32)
	p.byte1('s')
}

// stpTimes appends the four timers of a configuration BPDU (-v).
func (p *Printer) stpTimes(b []byte) {
	need(b, 35)
	p.str("\n\tmessage-age ")
	p.stpSeconds(be16(b, 27))
	p.str(", max-age ")
	p.stpSeconds(be16(b, 29))
	p.str(", hello-time ")
	p.stpSeconds(be16(b, 31))
	p.str(", forwarding-delay ")
	p.stpSeconds(be16(b, 33))
}

// stp prints a spanning tree BPDU (802.1D, 802.1w, 802.1s, 802.1aq) as
// tcpdump's stp_print does.
func (p *Printer) stp(b []byte, length int) {
	p.proto = "stp"
	if length < 4 {
		p.invalid()
		return
	}
	if be16(b, 0) != 0 {
		p.str("unknown STP version, length ")
		p.uint(uint64(length))
		return
	}
	version := u8(b, 2)
	p.str("STP ")
	switch version {
	case 0:
		p.str("802.1d")
	case 2:
		p.str("802.1w")
	case 3:
		p.str("802.1s")
	case 4:
		p.str("802.1aq")
	default:
		p.str("Unknown STP protocol (0x")
		p.hex(uint64(version), 2)
		p.byte1(')')
		return
	}
	bpduType := u8(b, 3)
	switch bpduType {
	case 0:
		p.str(", Config")
	case 2:
		p.str(", Rapid STP")
	case 0x80:
		p.str(", Topology Change")
	default:
		p.str(", Unknown BPDU Type (0x")
		p.hex(uint64(bpduType), 2)
		p.byte1(')')
	}
	const bpduLen = 36 // the configuration BPDU with the version 1 length byte
	switch bpduType {
	case 0:
		if length < bpduLen-1 {
			p.invalid()
			return
		}
		p.stpConfig(b, length)
	case 2:
		if version == 2 {
			if length < bpduLen {
				p.invalid()
				return
			}
			p.stpConfig(b, length)
		} else if version == 3 || version == 4 {
			if length < 102 || u8(b, 35) != 0 {
				p.invalid()
				return
			}
			mstpLen := int(be16(b, 36)) + 2
			if length < bpduLen+mstpLen {
				p.invalid()
				return
			}
			p.mstp(b, length)
			if version == 4 {
				spbLen := int(be16(b, 36+mstpLen)) + 2
				if length < bpduLen+mstpLen+spbLen || spbLen < 87 {
					p.invalid()
					return
				}
				p.spb(b, bpduLen+mstpLen)
			}
		}
	}
}

// stpConfig prints a configuration or RSTP BPDU.
func (p *Printer) stpConfig(b []byte, length int) {
	flags := u8(b, 4)
	p.str(", Flags [")
	p.stpFlags(flags)
	p.byte1(']')
	need(b, 27)
	p.str(", bridge-id ")
	p.stpBridgeID(b, 17)
	p.byte1('.')
	p.hex(uint64(be16(b, 25)), 4)
	p.str(", length ")
	p.uint(uint64(length))
	if p.opt.Verbose == 0 {
		return
	}
	p.stpTimes(b)
	need(b, 17)
	p.str("\n\troot-id ")
	p.stpBridgeID(b, 5)
	p.str(", root-pathcost ")
	p.uint(uint64(be32(b, 13)))
	if u8(b, 2) == 2 {
		p.str(", port-role ")
		p.str(stpPortRole(flags))
	}
}

// mstp prints the MSTP part of an 802.1s BPDU.
func (p *Printer) mstp(b []byte, length int) {
	flags := u8(b, 4)
	p.str(", CIST Flags [")
	p.stpFlags(flags)
	p.str("], length ")
	p.uint(uint64(length))
	if p.opt.Verbose == 0 {
		return
	}
	p.str("\n\tport-role ")
	p.str(stpPortRole(flags))
	need(b, 17)
	p.str(", CIST root-id ")
	p.stpBridgeID(b, 5)
	p.str(", CIST ext-pathcost ")
	p.uint(uint64(be32(b, 13)))
	need(b, 25)
	p.str("\n\tCIST regional-root-id ")
	p.stpBridgeID(b, 17)
	need(b, 27)
	p.str(", CIST port-id ")
	p.hex(uint64(be16(b, 25)), 4)
	p.byte1(',')
	p.stpTimes(b)
	need(b, 38)
	p.str("\n\tv3len ")
	p.uint(uint64(be16(b, 36)))
	p.str(", MCID Name ")
	p.printJNP(b[min(39, len(b)):], 32)
	need(b, 89)
	p.str(", rev ")
	p.uint(uint64(be16(b, 71)))
	p.str(",\n\t\tdigest ")
	for i := 0; i < 4; i++ {
		p.hex(uint64(be32(b, 73+4*i)), 8)
	}
	need(b, 93)
	p.str(", CIST int-root-pathcost ")
	p.uint(uint64(be32(b, 89)))
	need(b, 101)
	p.str(",\n\tCIST bridge-id ")
	p.stpBridgeID(b, 93)
	need(b, 102)
	p.str(", CIST remaining-hops ")
	p.uint(uint64(u8(b, 101)))
	v3len := int(be16(b, 36))
	if v3len <= 64 {
		return
	}
	for n, off := v3len-64, 102; n >= 16; n, off = n-16, off+16 {
		need(b, off+3)
		msti := be16(b, off+1) & 0xfff
		f := u8(b, off)
		p.str("\n\tMSTI ")
		p.uint(uint64(msti))
		p.str(", Flags [")
		p.stpFlags(f)
		p.str("], port-role ")
		p.str(stpPortRole(f))
		need(b, off+13)
		p.str("\n\t\tMSTI regional-root-id ")
		p.stpBridgeID(b, off+1)
		p.str(", pathcost ")
		p.uint(uint64(be32(b, off+9)))
		need(b, off+16)
		p.str("\n\t\tMSTI bridge-prio ")
		p.uint(uint64(u8(b, off+13) >> 4))
		p.str(", port-prio ")
		p.uint(uint64(u8(b, off+14) >> 4))
		p.str(", hops ")
		p.uint(uint64(u8(b, off+15)))
	}
}

// spb prints the SPB part of an 802.1aq BPDU at off (-v only).
func (p *Printer) spb(b []byte, off int) {
	if p.opt.Verbose == 0 {
		return
	}
	need(b, off+2)
	p.str("\n\tv4len ")
	p.uint(uint64(be16(b, off)))
	p.str(", AUXMCID Name ")
	need(b, off+3)
	p.printJNP(b[off+3:], 32)
	need(b, off+53)
	p.str(", Rev ")
	p.uint(uint64(be16(b, off+35)))
	p.str(",\n\t\tdigest ")
	for i := 0; i < 4; i++ {
		p.hex(uint64(be32(b, off+37+4*i)), 8)
	}
	need(b, off+87)
	agr := u8(b, off+53)
	format := u8(b, off+55)
	conv := u8(b, off+56)
	p.str("\n\tAgreement num ")
	p.uint(uint64(agr >> 6))
	p.str(", Discarded Agreement num ")
	p.uint(uint64(agr >> 4 & 3))
	p.str(", Agreement valid-flag ")
	p.uint(uint64(agr >> 3 & 1))
	p.str(",\n\tRestricted role-flag: ")
	p.uint(uint64(agr >> 2 & 1))
	p.str(", Format id ")
	p.uint(uint64(format >> 4))
	p.str(" cap ")
	p.uint(uint64(format))
	p.str(", Convention id ")
	p.uint(uint64(conv >> 4))
	p.str(" cap ")
	p.uint(uint64(conv))
	p.str(",\n\tEdge count ")
	p.uint(uint64(be16(b, off+57)))
	p.str(", Agreement digest ")
	for i := 0; i < 5; i++ {
		p.hex(uint64(be32(b, off+67+4*i)), 8)
	}
}

// loopback prints an Ethernet configuration testing protocol (CTP) frame as
// tcpdump's print-loopback.c does; its fields are little-endian.
func (p *Printer) loopback(b []byte, length int) {
	p.proto = "loopback"
	p.str("Loopback")
	if length < 2 {
		p.invalid()
		need(b, length)
		return
	}
	skip := int(b[0]) | int(u8(b, 1))<<8
	p.str(", skipCount ")
	p.uint(uint64(skip))
	if skip%8 != 0 {
		p.str(" (bogus)")
	}
	length -= 2
	if skip > length {
		p.invalid()
		need(b, 2+length)
		return
	}
	need(b, 2+skip)
	b = b[2+skip:]
	length -= skip
	if length < 2 {
		p.invalid()
		need(b, length)
		return
	}
	function := uint16(u8(b, 0)) | uint16(u8(b, 1))<<8
	length -= 2
	switch function {
	case 1:
		p.str(", Reply")
		if length < 2 {
			p.invalid()
			need(b, 2+length)
			return
		}
		p.str(", receipt number ")
		p.uint(uint64(uint16(u8(b, 2)) | uint16(u8(b, 3))<<8))
		length -= 2
		p.str(", data (")
		p.uint(uint64(length))
		p.str(" octets)")
		need(b, 4+length)
	case 2:
		p.str(", Forward Data")
		if length < 6 {
			p.invalid()
			need(b, 2+length)
			return
		}
		p.str(", forwarding address ")
		p.mac(b[2:])
		length -= 6
		p.str(", data (")
		p.uint(uint64(length))
		p.str(" octets)")
		need(b, 8+length)
	default:
		p.str(",  invalid (")
		p.uint(uint64(function))
		p.byte1(')')
		need(b, 2+length)
	}
}

// MACsec (IEEE 802.1AE) SecTAG fields.
const (
	macsecTCIVersion = 0x80
	macsecTCISC      = 0x20 // a secure channel identifier follows the packet number
	macsecTCIConfid  = 0x0c // E and C: the payload is encrypted
	macsecTCIFlags   = 0x7c
	macsecICVLen     = 16 // the default integrity check value after the payload
)

// macsecHeader appends the SecTAG as tcpdump's macsec_print_header.
func (p *Printer) macsecHeader(tag []byte, shortLen int) {
	tci := tag[0]
	p.str("an ")
	p.uint(uint64(tci & 3))
	p.str(", pn ")
	p.uint(uint64(be32(tag, 2)))
	p.str(", flags ")
	if tci&macsecTCIFlags == 0 {
		p.str("none")
	}
	for _, f := range [...]struct {
		bit  byte
		name byte
	}{{0x08, 'E'}, {0x04, 'C'}, {0x40, 'S'}, {0x10, 'B'}, {0x20, 'I'}} {
		if tci&f.bit != 0 {
			p.byte1(f.name)
		}
	}
	if shortLen != 0 {
		p.str(", sl ")
		p.uint(uint64(shortLen))
	}
	if tci&macsecTCISC != 0 {
		p.str(", sci ")
		p.hex(uint64(be32(tag, 6))<<32|uint64(be32(tag, 10)), 16)
	}
	p.str(", ")
}

// macsec handles the SecTAG at b[hdr:] as tcpdump's macsec_print: it returns
// the frame without its ICV, the header length past the SecTAG and the length
// left, or done with the link header length when the frame ends here
// (truncated, invalid, or encrypted and dumped).
func (p *Printer) macsec(b []byte, hdr, length int, src, dst []byte) ([]byte, int, int, bool) {
	saved := p.proto
	p.proto = "macsec"
	defer func() { p.proto = saved }()
	full := len(b) // what a truncated or invalid SecTAG leaves as link header
	caplen := len(b) - hdr
	tag := b[hdr:]
	if caplen < 6 || length < 6 {
		p.trunc()
		return b, full, length, true
	}
	tagLen := 6
	if tag[0]&macsecTCISC != 0 {
		tagLen = 14
		if caplen < 14 || length < 14 {
			p.trunc()
			return b, full, length, true
		}
	}
	if tag[1]&^0x3f != 0 || tag[0]&macsecTCIVersion != 0 {
		p.invalid()
		return b, full, length, true
	}
	shortLen := int(tag[1] & 0x3f)
	if p.opt.Link {
		p.macsecHeader(tag, shortLen)
	}
	hdr += tagLen
	length -= tagLen
	caplen -= tagLen
	if tag[0]&macsecTCIConfid != 0 {
		if !p.opt.Link {
			p.mac(src)
			p.str(" > ")
			p.mac(dst)
			p.str(" 802.1AE MACsec, ")
			p.macsecHeader(tag, shortLen)
		}
		p.defaultPrint(b[hdr:])
		return b, hdr, length, true
	}
	if length < macsecICVLen || caplen < macsecICVLen {
		p.trunc()
		return b, full, length, true
	}
	length -= macsecICVLen
	caplen -= macsecICVLen
	b = b[:len(b)-macsecICVLen]
	if shortLen != 0 {
		if shortLen > length || shortLen > caplen {
			p.trunc()
			return b, full, length, true
		}
		length = min(length, shortLen)
		b = b[:hdr+min(caplen, shortLen)]
	}
	return b, hdr, length, false
}
