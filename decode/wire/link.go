package wire

import (
	"encoding/binary"
	"strconv"
	"strings"
)

// LinkType is a pcap LINKTYPE_ value, the framing of a packet's first byte.
type LinkType uint32

// Link types from https://www.tcpdump.org/linktypes.html.
const (
	LinkNull      LinkType = 0   // BSD loopback: 4-byte address family in host order
	LinkEthernet  LinkType = 1   // IEEE 802.3 Ethernet
	LinkPPP       LinkType = 9   // PPP (what follows "pppoes" in a filter)
	LinkRawOld    LinkType = 12  // raw IP: DLT_RAW on Linux and most systems
	LinkRawOld2   LinkType = 14  // raw IP on OpenBSD (DLT_RAW there); not readable on Linux
	LinkRaw       LinkType = 101 // raw IPv4 or IPv6, version in the first nibble
	LinkIEEE80211 LinkType = 105 // IEEE 802.11 frames
	LinkLoop      LinkType = 108 // OpenBSD loopback: 4-byte address family in network order
	LinkLinuxSLL  LinkType = 113 // Linux cooked capture v1
	LinkIPv4      LinkType = 228 // raw IPv4
	LinkIPv6      LinkType = 229 // raw IPv6
	LinkDBus      LinkType = 231 // D-Bus messages
	LinkUSBPcap   LinkType = 249 // USB packets of USBPcap
	LinkLinuxSLL2 LinkType = 276 // Linux cooked capture v2
	// LinkIEEE80211Radiotap is 802.11 frames after a radiotap header.
	LinkIEEE80211Radiotap LinkType = 127
	LinkEBHSCR            LinkType = 279 // Elektrobit high-speed capture and replay
	LinkSLIP              LinkType = 8   // SLIP, after a 16-byte direction and compressed-header record
	LinkPPPHDLC           LinkType = 50  // PPP in HDLC-like framing (RFC 1662)
	LinkCHDLC             LinkType = 104 // Cisco HDLC
	LinkFrameRelay        LinkType = 107 // Frame Relay, from its Q.922 address
)

// linkNames are the registry's names and descriptions of the link types,
// as tcpdump's "listening on" line and -L give them.
var linkNames = map[LinkType][2]string{
	LinkNull:              {"NULL", "BSD loopback"},
	LinkEthernet:          {"EN10MB", "Ethernet"},
	LinkRawOld:            {"RAW", "Raw IP"},
	LinkRaw:               {"RAW", "Raw IP"},
	LinkLoop:              {"LOOP", "OpenBSD loopback"},
	LinkLinuxSLL:          {"LINUX_SLL", "Linux cooked v1"},
	LinkIPv4:              {"IPV4", "Raw IPv4"},
	LinkIPv6:              {"IPV6", "Raw IPv6"},
	LinkLinuxSLL2:         {"LINUX_SLL2", "Linux cooked v2"},
	LinkPPP:               {"PPP", "PPP"},
	LinkDBus:              {"DBUS", "D-Bus"},
	LinkUSBPcap:           {"USBPCAP", "USB packets, beginning with a USBPcap header"},
	LinkEBHSCR:            {"EBHSCR", "Elektrobit High Speed Capture and Replay"},
	LinkIEEE80211:         {"IEEE802_11", "802.11"},
	LinkIEEE80211Radiotap: {"IEEE802_11_RADIO", "802.11 plus radiotap header"},
	LinkSLIP:              {"SLIP", "SLIP"},
	LinkPPPHDLC:           {"PPP_SERIAL", "PPP over serial"},
	LinkCHDLC:             {"C_HDLC", "Cisco HDLC"},
	LinkFrameRelay:        {"FRELAY", "Frame Relay"},
}

// String is the link type's name and description, "EN10MB (Ethernet)", or
// its number for a type without one here.
func (l LinkType) String() string {
	if n, ok := linkNames[l]; ok {
		return n[0] + " (" + n[1] + ")"
	}
	return strconv.FormatUint(uint64(l), 10)
}

// Name is the link type's name in the registry ("EN10MB", "LINUX_SLL2"), or
// "LINKTYPE_" and its number.
func (l LinkType) Name() string {
	if n, ok := linkNames[l]; ok {
		return n[0]
	}
	return "LINKTYPE_" + strconv.FormatUint(uint64(l), 10)
}

// ParseLinkType reads a link type's registry name, as tcpdump -y takes it
// ("EN10MB", "linux_sll2"; case does not matter).
func ParseLinkType(name string) (LinkType, bool) {
	best := LinkType(0)
	for l, n := range linkNames {
		if strings.EqualFold(n[0], name) && (best == 0 || l > best) {
			best = l // RAW names two numbers: the registry's, the larger
		}
	}
	return best, best != 0
}

// Description is the link type's description in the registry ("Ethernet",
// "Linux cooked v2"), or "link type" and its number: for messages.
func (l LinkType) Description() string {
	if n, ok := linkNames[l]; ok {
		return n[1]
	}
	return "link type " + strconv.FormatUint(uint64(l), 10)
}

// EtherTypes of the network layers sockscope's walks look for.
const (
	EtherTypeIPv4 uint16 = 0x0800
	EtherTypeARP  uint16 = 0x0806
	EtherTypeIPv6 uint16 = 0x86dd
)

// arphrdNetlink is the ARPHRD_ type of a cooked netlink message, whose
// protocol field is a netlink family, not an EtherType.
const arphrdNetlink = 824

// IsVLANTag reports whether an EtherType is a VLAN tag's: 802.1Q (0x8100),
// 802.1ad (0x88a8), or the QinQ types in use before 802.1ad (0x9100,
// 0x9200, 0x9300).
func IsVLANTag(t uint16) bool {
	switch t {
	case 0x8100, 0x88a8, 0x9100, 0x9200, 0x9300:
		return true
	}
	return false
}

// Network finds the network-layer header of a frame of link type link: the
// offset where it starts and its EtherType (IPv4 or IPv6 for the raw IP
// and loopback link types, by the version nibble). VLAN tags on Ethernet,
// SLL and SLL2 are stepped over. ok is false when the link type is not one
// of these, the frame is shorter than its link header, or a cooked frame
// carries a netlink message. The header at off may still be cut short.
func Network(link LinkType, frame []byte) (off int, etherType uint16, ok bool) {
	switch link {
	case LinkEthernet:
		if len(frame) < 14 {
			return 0, 0, false
		}
		off, etherType = Untag(frame, 14, binary.BigEndian.Uint16(frame[12:]))
		return off, etherType, true
	case LinkLinuxSLL:
		// https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html
		if len(frame) < 16 || binary.BigEndian.Uint16(frame[2:]) == arphrdNetlink {
			return 0, 0, false
		}
		off, etherType = Untag(frame, 16, binary.BigEndian.Uint16(frame[14:]))
		return off, etherType, true
	case LinkLinuxSLL2:
		// https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL2.html
		if len(frame) < 20 || binary.BigEndian.Uint16(frame[8:]) == arphrdNetlink {
			return 0, 0, false
		}
		off, etherType = Untag(frame, 20, binary.BigEndian.Uint16(frame[0:]))
		return off, etherType, true
	case LinkRaw, LinkRawOld:
		return 0, ipVersion(frame), true
	case LinkIPv4:
		return 0, EtherTypeIPv4, true
	case LinkIPv6:
		return 0, EtherTypeIPv6, true
	case LinkNull, LinkLoop:
		// A 4-byte address family, in one byte order or the other and with
		// several numbers for IPv6: the version nibble says as much.
		if len(frame) < 4 {
			return 0, 0, false
		}
		return 4, ipVersion(frame[4:]), true
	}
	return 0, 0, false
}

// ipVersion is the EtherType of the IP packet b by its version nibble, or 0.
func ipVersion(b []byte) uint16 {
	if len(b) > 0 {
		switch b[0] >> 4 {
		case 4:
			return EtherTypeIPv4
		case 6:
			return EtherTypeIPv6
		}
	}
	return 0
}

// Untag steps over VLAN tags: off is where the payload of EtherType typ
// starts in frame; it returns the same for the first type that is not a tag
// (or the last tag whose successor the frame does not hold).
func Untag(frame []byte, off int, typ uint16) (int, uint16) {
	for IsVLANTag(typ) && off+4 <= len(frame) {
		typ = binary.BigEndian.Uint16(frame[off+2:])
		off += 4
	}
	return off, typ
}
