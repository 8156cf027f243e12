//go:build !treedecode

package decode

// JSON Lines output (`sockscope decode --json`): one object per packet per
// line, every layer an object of its own in "layers", so that jq can select
// and reduce without knowing how the packet was framed.
//
// The layers are decoded by gopacket's DecodingLayer implementations into
// preallocated values, and written by appending to one reused buffer, so a
// common packet costs no allocation. gopacket's DecodingLayerParser is not
// used as is: it keeps one value per layer type and reports the list only
// after the whole packet, which loses the outer of two layers of one type
// (QinQ tags, the Ethernet frame inside VXLAN, the IP header an ICMP error
// quotes). The loop in layers does what its DecodeLayers does, DecodeFromBytes
// then NextLayerType, but writes each layer before decoding the next.

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"net/netip"
	"strconv"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

// maxJSONLayers bounds the layers written for one packet, so that a packet of
// nested tunnels cannot make a line, or the time spent on it, grow without end.
const maxJSONLayers = 40

// JSONPrinter writes one JSON object per packet per line.
type JSONPrinter struct {
	opt     Options
	w       *bufio.Writer
	buf     []byte
	n       uint64
	ifNames []string       // pcapng interface names, by interface index
	ifCache map[int]string // Options.IfName answers, by ifindex ("" when unknown)

	// Per packet.
	truncated  bool             // a layer was cut short of what its header says
	noTrunc    bool             // inside an ICMP quote or a first fragment: shortness is expected
	cut        bool             // the capture kept fewer bytes than were on the wire
	fragment   bool             // the rest is (part of) a fragment and is not decoded further
	quoted     bool             // an ICMP error's quoted packet has begun
	mdns       bool             // the DNS message is multicast DNS (the class top bit is a flag)
	nlayers    int              // layer objects written so far
	layerStart int              // where the current layer object begins in buf, for a rollback
	layerName  string           // the current layer's name
	avail      int              // bytes the innermost IP header says follow this point, or -1
	panicMsg   string           // what a decoder panicked with, for the packet's "error"
	fallback   gopacket.Decoder // what nextGopacket decodes with

	eth   layers.Ethernet
	dot1q layers.Dot1Q
	arp   layers.ARP
	ip4   layers.IPv4
	ip6   layers.IPv6
	tcp   layers.TCP
	udp   layers.UDP
	icmp4 layers.ICMPv4
	icmp6 layers.ICMPv6
	dns   layers.DNS
	vxlan layers.VXLAN
}

// NewJSONPrinter returns a JSONPrinter writing to w. Of the options it uses
// IfName (the interface of a Linux cooked v2 header) and Nano (nine decimals
// in "ts_unix" rather than six).
func NewJSONPrinter(w io.Writer, opt Options) *JSONPrinter {
	return &JSONPrinter{
		opt: opt,
		w:   bufio.NewWriterSize(w, 256<<10),
		buf: make([]byte, 0, 64<<10),
	}
}

// SetInterfaceName names the capture file's interface index (a pcapng
// Interface Description Block), for the "interface" field of its packets.
func (j *JSONPrinter) SetInterfaceName(index int, name string) {
	if index < 0 || index >= 1<<16 {
		return
	}
	for len(j.ifNames) <= index {
		j.ifNames = append(j.ifNames, "")
	}
	j.ifNames[index] = name
}

// Flush writes out what is buffered.
func (j *JSONPrinter) Flush() error { return j.w.Flush() }

// SetTruncated is gopacket's DecodeFeedback: a layer found fewer bytes than its
// header announces.
func (j *JSONPrinter) SetTruncated() {
	if !j.noTrunc {
		j.truncated = true
	}
}

// Print writes the object for one packet and a newline.
func (j *JSONPrinter) Print(data []byte, ci gopacket.CaptureInfo, link LinkType) error {
	j.n++
	data = data[:len(data):len(data)] // no decoder may read past the captured bytes
	j.truncated, j.noTrunc, j.fragment, j.quoted, j.mdns = false, false, false, false, false
	j.cut = len(data) < ci.Length
	j.nlayers, j.avail, j.panicMsg = 0, -1, ""

	j.buf = append(j.buf[:0], `{"n":`...)
	j.buf = strconv.AppendUint(j.buf, j.n, 10)
	j.timestamps(ci)
	j.kInt("len", ci.Length)
	j.kInt("caplen", len(data))
	j.interfaceName(data, ci, link)
	j.key("link")
	j.linkName(link)
	j.buf = append(j.buf, `,"layers":[`...)
	j.layers(data, link)
	j.buf = append(j.buf, ']')
	if j.truncated {
		j.buf = append(j.buf, `,"truncated":true`...)
	}
	if j.panicMsg != "" {
		j.kStr("error", j.panicMsg)
	}
	j.buf = append(j.buf, '}', '\n')
	_, err := j.w.Write(j.buf)
	return err
}

// timestamps appends "ts" (RFC 3339, UTC, nanoseconds) and "ts_unix".
func (j *JSONPrinter) timestamps(ci gopacket.CaptureInfo) {
	t := ci.Timestamp.UTC()
	year, month, day := t.Date()
	ns := t.Nanosecond()
	j.buf = append(j.buf, `,"ts":"`...)
	if year < 0 {
		j.buf = append(j.buf, '-')
		year = -year
	}
	j.buf = appendDate(j.buf, year, month, day)
	j.buf = append(j.buf, 'T')
	h, mi, s := t.Clock()
	j.buf = appendClock(j.buf, h, mi, s)
	j.buf = append(j.buf, '.')
	j.buf = appendPadded(j.buf, uint64(ns), 9)
	j.buf = append(j.buf, `Z","ts_unix":`...)
	unix := t.Unix()
	if unix < 0 && ns > 0 { // -1.25 s is Unix -2 plus 0.75 s
		j.buf = append(j.buf, '-')
		unix = -unix - 1
		ns = 1e9 - ns
	} else if unix < 0 {
		j.buf = append(j.buf, '-')
		unix = -unix
	}
	j.buf = strconv.AppendUint(j.buf, uint64(unix), 10)
	j.buf = append(j.buf, '.')
	if j.opt.Nano {
		j.buf = appendPadded(j.buf, uint64(ns), 9)
	} else {
		j.buf = appendPadded(j.buf, uint64(ns/1000), 6)
	}
}

// interfaceName appends "interface": the pcapng interface's name, else the
// name of a Linux cooked v2 header's ifindex on this machine.
func (j *JSONPrinter) interfaceName(data []byte, ci gopacket.CaptureInfo, link LinkType) {
	if i := ci.InterfaceIndex; i >= 0 && i < len(j.ifNames) && j.ifNames[i] != "" {
		j.kStr("interface", j.ifNames[i])
		return
	}
	if link != LinkLinuxSLL2 || len(data) < 8 || j.opt.IfName == nil {
		return
	}
	index := int(binary.BigEndian.Uint32(data[4:8]))
	name, ok := j.ifCache[index]
	if !ok {
		// IfName may ask the kernel; ask once per index.
		if j.ifCache == nil {
			j.ifCache = make(map[int]string)
		}
		if n, found := j.opt.IfName(index); found {
			name = n
		}
		j.ifCache[index] = name
	}
	if name != "" {
		j.kStr("interface", name)
	}
}

// linkTypeNames are the DLT_ names (tcpdump -L) of the link types one meets.
var linkTypeNames = map[LinkType]string{
	LinkNull: "NULL", LinkEthernet: "EN10MB", LinkRawOld: "RAW", LinkRawOld2: "RAW",
	LinkRaw: "RAW", LinkLoop: "LOOP", LinkLinuxSLL: "LINUX_SLL", LinkIPv4: "IPV4",
	LinkIPv6: "IPV6", LinkLinuxSLL2: "LINUX_SLL2",
	6: "IEEE802", 9: "PPP", 10: "FDDI", 50: "PPP_HDLC", 51: "PPP_ETHER", 104: "C_HDLC",
	105: "IEEE802_11", 117: "PFLOG", 127: "IEEE802_11_RADIO", 143: "DOCSIS",
	147: "USER0", 189: "USB_LINUX", 192: "PPI", 220: "USB_LINUX_MMAPPED", 239: "NFLOG",
	249: "USBPCAP", 263: "VSOCK",
}

func (j *JSONPrinter) linkName(link LinkType) {
	if link == LinkEthernet {
		j.buf = append(j.buf, `"EN10MB"`...)
		return
	}
	if name, ok := linkTypeNames[link]; ok {
		j.quote(name)
		return
	}
	j.buf = append(j.buf, `"LINKTYPE_`...)
	j.buf = strconv.AppendUint(j.buf, uint64(link), 10)
	j.buf = append(j.buf, '"')
}

// jsonNext says what the bytes after a layer hold.
type jsonNext uint8

const (
	nextNone jsonNext = iota
	nextEthernet
	nextDot1Q
	nextARP
	nextIPv4
	nextIPv6
	nextHopOpts
	nextDstOpts
	nextRouting
	nextFragment
	nextAH
	nextESP
	nextTCP
	nextUDP
	nextICMPv4
	nextICMPv6
	nextDNS
	nextDNSTCP
	nextVXLAN
	nextPayload
	nextGopacket // j.fallback names the gopacket layer type
)

// layers writes the layer objects of a packet.
func (j *JSONPrinter) layers(data []byte, link LinkType) {
	next, b := j.step(nextNone, data, link)
	for steps := 0; next != nextNone; steps++ {
		if j.nlayers >= maxJSONLayers || steps >= maxJSONLayers {
			next = nextPayload
		}
		next, b = j.step(next, b, link)
	}
}

// step decodes and writes one layer (the link layer when next is nextNone).
// A decoder that panics on hostile bytes ends the packet: the layer it was
// writing becomes {"layer":..,"error":..} and the packet gets an "error".
func (j *JSONPrinter) step(next jsonNext, b []byte, link LinkType) (n jsonNext, rest []byte) {
	defer func() {
		if r := recover(); r != nil {
			// Drop the layer begun, if any, and write it again with the error.
			j.buf = j.buf[:j.layerStart]
			name := j.layerName
			if name != "" {
				j.nlayers--
			} else {
				name = "payload"
			}
			j.open(name)
			j.panicMsg = fmt.Sprintf("%s: malformed layer (decoder panic: %v)", name, r)
			j.kStr("error", "malformed")
			j.close()
			n, rest = nextNone, nil
		}
	}()
	j.layerStart, j.layerName = len(j.buf), ""
	if len(b) == 0 && next != nextNone {
		return nextNone, nil
	}
	switch next {
	case nextNone:
		return j.linkLayer(b, link)
	case nextEthernet:
		return j.ethernet(b)
	case nextDot1Q:
		return j.vlan(b)
	case nextARP:
		return j.arpLayer(b)
	case nextIPv4:
		return j.ipv4(b)
	case nextIPv6:
		return j.ipv6(b)
	case nextHopOpts, nextDstOpts:
		return j.ipv6Options(b, next)
	case nextRouting:
		return j.ipv6Routing(b)
	case nextFragment:
		return j.ipv6Fragment(b)
	case nextAH:
		return j.ah(b)
	case nextESP:
		return j.esp(b)
	case nextTCP:
		return j.tcpLayer(b)
	case nextUDP:
		return j.udpLayer(b)
	case nextICMPv4:
		return j.icmpv4(b)
	case nextICMPv6:
		return j.icmpv6(b)
	case nextDNS:
		return j.dnsLayer(b)
	case nextDNSTCP:
		return j.dnsTCP(b)
	case nextVXLAN:
		return j.vxlanLayer(b)
	case nextGopacket:
		return j.gopacketLayers(b, j.fallback)
	}
	return j.payload(b)
}

// open begins a layer object. Until close, a panic rolls back to its start.
func (j *JSONPrinter) open(name string) {
	j.layerStart, j.layerName = len(j.buf), name
	if j.nlayers > 0 {
		j.buf = append(j.buf, ',')
	}
	j.nlayers++
	j.buf = append(j.buf, `{"layer":"`...)
	j.buf = append(j.buf, name...)
	j.buf = append(j.buf, '"')
}

// close ends a layer object.
func (j *JSONPrinter) close() {
	j.buf = append(j.buf, '}')
	j.layerStart, j.layerName = len(j.buf), ""
}

// fail ends the packet at a layer that would not decode.
func (j *JSONPrinter) fail(err error) (jsonNext, []byte) {
	if err != nil {
		j.kStr("error", err.Error())
	}
	j.close()
	if j.cut && !j.noTrunc {
		j.truncated = true
	}
	return nextNone, nil
}

// short ends the packet at a layer whose fixed header was not captured.
func (j *JSONPrinter) short(what string) (jsonNext, []byte) {
	j.kStr("error", what)
	j.close()
	if !j.noTrunc {
		j.truncated = true
	}
	return nextNone, nil
}

func (j *JSONPrinter) payload(b []byte) (jsonNext, []byte) {
	if len(b) == 0 {
		return nextNone, nil
	}
	j.open("payload")
	j.kInt("length", len(b))
	if j.fragment {
		j.buf = append(j.buf, `,"fragment":true`...)
	}
	j.close()
	return nextNone, nil
}

// Link layers.

func (j *JSONPrinter) linkLayer(b []byte, link LinkType) (jsonNext, []byte) {
	switch link {
	case LinkEthernet:
		return j.ethernet(b)
	case LinkLinuxSLL:
		return j.sll(b)
	case LinkLinuxSLL2:
		return j.sll2(b)
	case LinkNull, LinkLoop:
		return j.null(b, link == LinkLoop)
	case LinkRaw, LinkRawOld, LinkRawOld2:
		if len(b) > 0 && b[0]>>4 == 6 {
			return j.ipv6(b)
		}
		return j.ipv4(b)
	case LinkIPv4:
		return j.ipv4(b)
	case LinkIPv6:
		return j.ipv6(b)
	}
	if link < 256 && layers.LinkTypeMetadata[link].Name != "UnknownLinkType" {
		return j.gopacketLayers(b, layers.LinkType(link))
	}
	return j.payload(b)
}

// gopacketDecodes reports whether gopacket has a decoder for lt beyond raw payload.
func gopacketDecodes(lt gopacket.LayerType) bool {
	return lt != 0 && lt != gopacket.LayerTypePayload && lt != gopacket.LayerTypeFragment &&
		lt != gopacket.LayerTypeDecodeFailure && lt != gopacket.LayerTypeZero
}

func (j *JSONPrinter) ethernet(b []byte) (jsonNext, []byte) {
	j.open("ethernet")
	if len(b) < 14 {
		return j.short("frame shorter than an Ethernet header")
	}
	if err := j.eth.DecodeFromBytes(b, j); err != nil {
		return j.fail(err)
	}
	j.kMAC("src", b[6:12])
	j.kMAC("dst", b[0:6])
	t := binary.BigEndian.Uint16(b[12:14])
	if t < 0x0600 { // an 802.3 length, followed by 802.2 LLC
		j.kInt("length", int(t))
		j.close()
		j.fallback = layers.LayerTypeLLC
		return nextGopacket, j.eth.Payload
	}
	j.key("type")
	j.etherType(t)
	j.close()
	return j.etherNext(t), j.eth.Payload
}

func (j *JSONPrinter) vlan(b []byte) (jsonNext, []byte) {
	j.open("vlan")
	if err := j.dot1q.DecodeFromBytes(b, j); err != nil {
		return j.fail(err)
	}
	d := &j.dot1q
	j.kInt("id", int(d.VLANIdentifier))
	j.kInt("pcp", int(d.Priority))
	j.kBool("dei", d.DropEligible)
	j.key("type")
	j.etherType(uint16(d.Type))
	j.close()
	return j.etherNext(uint16(d.Type)), d.Payload
}

// etherNext chooses the decoder for an EtherType.
func (j *JSONPrinter) etherNext(t uint16) jsonNext {
	switch t {
	case 0x0800:
		return nextIPv4
	case 0x86dd:
		return nextIPv6
	case 0x0806, 0x8035:
		return nextARP
	case 0x8100, 0x88a8, 0x9100, 0x9200:
		return nextDot1Q
	case 0x6558:
		return nextEthernet
	}
	if t < 0x0600 {
		j.fallback = layers.LayerTypeLLC
		return nextGopacket
	}
	if lt := layers.EthernetType(t).LayerType(); gopacketDecodes(lt) {
		j.fallback = lt
		return nextGopacket
	}
	return nextPayload
}

// etherTypeJSONNames name the EtherTypes of the packets one commonly meets.
var etherTypeJSONNames = map[uint16]string{
	0x0800: "IPv4", 0x0806: "ARP", 0x86dd: "IPv6", 0x8100: "802.1Q", 0x88a8: "802.1ad",
	0x9100: "802.1Q-9100", 0x9200: "802.1Q-9200", 0x8035: "RARP", 0x8847: "MPLS",
	0x8848: "MPLS-multicast", 0x8863: "PPPoE-discovery", 0x8864: "PPPoE-session",
	0x888e: "EAPOL", 0x88cc: "LLDP", 0x88e5: "MACsec", 0x88f7: "PTP", 0x6558: "TEB",
	0x8809: "Slow-Protocols", 0x88b5: "Local-Experimental-1", 0x88b6: "Local-Experimental-2",
	0x894f: "NSH", 0x8902: "CFM", 0x9000: "Loopback", 0x22f3: "TRILL", 0x88e7: "PBB",
	0x8915: "RoCE", 0x8906: "FCoE", 0x8914: "FIP", 0x22ea: "SRP", 0x892f: "HSR",
}

func (j *JSONPrinter) etherType(t uint16) {
	switch t { // skip the map for the usual three
	case 0x0800:
		j.buf = append(j.buf, `"IPv4"`...)
		return
	case 0x86dd:
		j.buf = append(j.buf, `"IPv6"`...)
		return
	case 0x0806:
		j.buf = append(j.buf, `"ARP"`...)
		return
	}
	if name, ok := etherTypeJSONNames[t]; ok {
		j.quote(name)
		return
	}
	j.hexString(uint64(t), 4)
}

// sllDirections are the Linux PACKET_ types (linux/if_packet.h) of a cooked header.
var sllDirections = [...]string{0: "In", 1: "Broadcast", 2: "Multicast", 3: "OtherHost", 4: "Out"}

func (j *JSONPrinter) direction(t int) {
	if t >= 0 && t < len(sllDirections) {
		j.kName("direction", sllDirections[t])
		return
	}
	j.kInt("direction", t)
}

// sll writes a Linux cooked v1 header (16 bytes: packet type, ARPHRD type,
// address length, 8 address bytes, protocol).
func (j *JSONPrinter) sll(b []byte) (jsonNext, []byte) {
	j.open("sll")
	if len(b) < 16 {
		return j.short("frame shorter than a Linux cooked header")
	}
	j.direction(int(binary.BigEndian.Uint16(b[0:2])))
	hatype := binary.BigEndian.Uint16(b[2:4])
	j.kInt("hatype", int(hatype))
	j.sllAddr(b[6:14], int(binary.BigEndian.Uint16(b[4:6])))
	return j.sllProtocol(binary.BigEndian.Uint16(b[14:16]), hatype, b[16:])
}

// sll2 writes a Linux cooked v2 header (20 bytes: protocol, reserved,
// ifindex, ARPHRD type, packet type, address length, 8 address bytes).
func (j *JSONPrinter) sll2(b []byte) (jsonNext, []byte) {
	j.open("sll2")
	if len(b) < 20 {
		return j.short("frame shorter than a Linux cooked v2 header")
	}
	j.direction(int(b[10]))
	j.kUint("ifindex", uint64(binary.BigEndian.Uint32(b[4:8])))
	hatype := binary.BigEndian.Uint16(b[8:10])
	j.kInt("hatype", int(hatype))
	j.sllAddr(b[12:20], int(b[11]))
	return j.sllProtocol(binary.BigEndian.Uint16(b[0:2]), hatype, b[20:])
}

func (j *JSONPrinter) sllAddr(addr []byte, n int) {
	if n <= 0 {
		return
	}
	j.kMAC("addr", addr[:min(n, len(addr))])
}

// sllProtocol writes the cooked header's protocol and closes it. Below 0x0600
// the field is not an EtherType but one of linux/if_ether.h's ETH_P_ values.
func (j *JSONPrinter) sllProtocol(t, hatype uint16, rest []byte) (jsonNext, []byte) {
	j.key("type")
	switch {
	case hatype == 824: // ARPHRD_NETLINK: the protocol is a netlink family
		j.buf = strconv.AppendUint(j.buf, uint64(t), 10)
		j.close()
		return nextPayload, rest
	case t == 0x0004: // ETH_P_802_2
		j.buf = append(j.buf, `"802.2"`...)
		j.close()
		j.fallback = layers.LayerTypeLLC
		return nextGopacket, rest
	case t < 0x0600:
		j.hexString(uint64(t), 4)
		j.close()
		return nextPayload, rest
	}
	j.etherType(t)
	j.close()
	return j.etherNext(t), rest
}

// null writes a BSD loopback header: an address family in 4 bytes, in the
// capturing host's byte order (LINKTYPE_NULL) or in network order (LINKTYPE_LOOP).
func (j *JSONPrinter) null(b []byte, network bool) (jsonNext, []byte) {
	j.open("null")
	if len(b) < 4 {
		return j.short("frame shorter than a loopback header")
	}
	family := binary.BigEndian.Uint32(b)
	if !network && family&0xffff0000 != 0 {
		family = binary.LittleEndian.Uint32(b)
	}
	j.kUint("family", uint64(family))
	j.key("type")
	next := nextPayload
	switch family {
	case 2:
		j.buf = append(j.buf, `"IPv4"`...)
		next = nextIPv4
	case 10, 24, 28, 30: // Linux, NetBSD/OpenBSD, FreeBSD, Darwin AF_INET6
		j.buf = append(j.buf, `"IPv6"`...)
		next = nextIPv6
	default:
		j.buf = append(j.buf, `"unknown"`...)
	}
	j.close()
	return next, b[4:]
}

func (j *JSONPrinter) arpLayer(b []byte) (jsonNext, []byte) {
	j.open("arp")
	a := &j.arp
	// gopacket sums the address lengths in a byte, which can wrap: check first.
	if len(b) >= 8 && len(b) < 8+2*int(b[4])+2*int(b[5]) {
		j.kStr("error", "addresses not captured")
		return j.fail(nil)
	}
	if err := a.DecodeFromBytes(b, j); err != nil {
		return j.fail(err)
	}
	j.kInt("hw_type", int(a.AddrType))
	j.key("proto")
	j.etherType(uint16(a.Protocol))
	j.key("op")
	switch a.Operation {
	case 1:
		j.buf = append(j.buf, `"request"`...)
	case 2:
		j.buf = append(j.buf, `"reply"`...)
	case 3:
		j.buf = append(j.buf, `"rarp-request"`...)
	case 4:
		j.buf = append(j.buf, `"rarp-reply"`...)
	case 8:
		j.buf = append(j.buf, `"inarp-request"`...)
	case 9:
		j.buf = append(j.buf, `"inarp-reply"`...)
	default:
		j.buf = strconv.AppendUint(j.buf, uint64(a.Operation), 10)
	}
	j.kMAC("sender_mac", a.SourceHwAddress)
	j.kAddr("sender_ip", a.SourceProtAddress)
	j.kMAC("target_mac", a.DstHwAddress)
	j.kAddr("target_ip", a.DstProtAddress)
	j.close()
	return nextNone, nil
}

// Network layers.

// ipProtoNames are IANA's keywords for the IP protocol numbers.
var ipProtoNames = [256]string{
	0: "HOPOPT", 1: "ICMP", 2: "IGMP", 4: "IPIP", 6: "TCP", 8: "EGP", 9: "IGP", 17: "UDP",
	27: "RDP", 33: "DCCP", 41: "IPv6", 43: "IPv6-Route", 44: "IPv6-Frag", 46: "RSVP",
	47: "GRE", 50: "ESP", 51: "AH", 58: "ICMPv6", 59: "IPv6-NoNxt", 60: "IPv6-Opts",
	88: "EIGRP", 89: "OSPF", 94: "IPIP-old", 97: "ETHERIP", 98: "ENCAP", 103: "PIM",
	108: "IPComp", 112: "VRRP", 113: "PGM", 115: "L2TP", 124: "ISIS", 132: "SCTP",
	135: "Mobility", 136: "UDPLite", 137: "MPLS-in-IP", 139: "HIP", 140: "Shim6",
	143: "Ethernet", 253: "experimental-253", 254: "experimental-254", 255: "reserved-255",
}

func (j *JSONPrinter) kProto(k string, p uint8) {
	j.key(k)
	j.optionKind(&ipProtoNames, p)
}

// ipNext chooses the decoder for an IP protocol number.
func (j *JSONPrinter) ipNext(p uint8) jsonNext {
	switch p {
	case 6:
		return nextTCP
	case 17:
		return nextUDP
	case 1:
		return nextICMPv4
	case 58:
		return nextICMPv6
	case 4:
		return nextIPv4
	case 41:
		return nextIPv6
	case 0:
		return nextHopOpts
	case 60:
		return nextDstOpts
	case 43:
		return nextRouting
	case 44:
		return nextFragment
	case 51:
		return nextAH
	case 50:
		return nextESP
	case 59:
		return nextNone
	}
	if lt := layers.IPProtocol(p).LayerType(); gopacketDecodes(lt) {
		j.fallback = lt
		return nextGopacket
	}
	return nextPayload
}

// ipv4FlagJSONNames are the IPv4 header flags (RFC 791, RFC 3514's evil bit as RF).
var ipv4FlagJSONNames = [...]bitName{{0x8000, "RF"}, {0x4000, "DF"}, {0x2000, "MF"}}

// ipv4OptionNames are the IPv4 option types by number (IANA "ip-parameters").
var ipv4OptionNames = [256]string{
	0: "EOL", 1: "NOP", 7: "RR", 68: "TS", 131: "LSRR", 137: "SSRR", 148: "RA",
	130: "SEC", 133: "ESEC", 134: "CIPSO", 136: "SID", 82: "TR", 94: "EIP", 25: "QS",
}

// ipVersionAddrs writes what IPv4 and IPv6 headers start with: the version,
// only when it is not the one expected, and the addresses of size bytes
// from off.
func (j *JSONPrinter) ipVersionAddrs(b []byte, version byte, off, size int) {
	if v := b[0] >> 4; v != version {
		j.kInt("version", int(v))
	}
	j.kAddr("src", b[off:off+size])
	j.kAddr("dst", b[off+size:off+2*size])
}

func (j *JSONPrinter) ipv4(b []byte) (jsonNext, []byte) {
	j.open("ipv4")
	if len(b) < 20 {
		return j.short("packet shorter than an IPv4 header")
	}
	ip := &j.ip4
	err := ip.DecodeFromBytes(b, j)
	j.ipVersionAddrs(b, 4, 12, 4)
	hlen := int(b[0]&0xf) * 4
	j.kInt("hdr_len", hlen)
	j.kInt("tos", int(b[1]))
	total := int(binary.BigEndian.Uint16(b[2:4]))
	j.kInt("length", total)
	j.kInt("id", int(binary.BigEndian.Uint16(b[4:6])))
	ff := binary.BigEndian.Uint16(b[6:8])
	j.kFlags(uint32(ff), ipv4FlagJSONNames[:])
	offset := int(ff&0x1fff) * 8
	j.kInt("frag_offset", offset)
	j.kInt("ttl", int(b[8]))
	j.kProto("proto", b[9])
	j.kHex16("checksum", binary.BigEndian.Uint16(b[10:12]))
	if total == 0 { // TCP segmentation offload: the length was left for the NIC
		total = len(b)
	}
	if err != nil && (hlen < 20 || total < hlen || len(b) < hlen) {
		return j.fail(err)
	}
	if hlen > 20 {
		// Written from the bytes: gopacket gives up on the first bad option,
		// and the header length still says where the payload is.
		j.ipv4Options(b[20:hlen])
	}
	j.close()
	payload := b[hlen:min(total, len(b))]
	j.avail = total - hlen
	if offset != 0 {
		j.fragment = true
		return nextPayload, payload
	}
	if ff&0x2000 != 0 { // the first fragment: its transport header, no more
		j.fragment, j.noTrunc = true, true
	}
	return j.ipNext(b[9]), payload
}

func (j *JSONPrinter) ipv4Options(b []byte) {
	j.buf = append(j.buf, `,"options":[`...)
	for i := 0; i < len(b); {
		if i > 0 {
			j.buf = append(j.buf, ',')
		}
		t := b[i]
		j.buf = append(j.buf, `{"kind":`...)
		j.optionKind(&ipv4OptionNames, t)
		if t == 0 || t == 1 {
			j.buf = append(j.buf, '}')
			if t == 0 {
				break
			}
			i++
			continue
		}
		if i+2 > len(b) || int(b[i+1]) < 2 || i+int(b[i+1]) > len(b) {
			j.buf = append(j.buf, `,"error":"bad length"}`...)
			break
		}
		l := int(b[i+1])
		data := b[i+2 : i+l]
		j.kInt("length", l)
		switch t {
		case 7, 131, 137: // route recording and source routes: pointer, addresses
			if len(data) >= 1 {
				j.kInt("pointer", int(data[0]))
				j.kAddrs(data[1:], 4)
			}
		case 68: // timestamps (RFC 791): pointer, overflow and flag, then the entries
			if len(data) >= 2 {
				j.kInt("pointer", int(data[0]))
				j.kInt("overflow", int(data[1]>>4))
				flag := data[1] & 0xf
				j.kInt("flag", int(flag))
				j.buf = append(j.buf, `,"entries":[`...)
				step := 4
				if flag == 1 || flag == 3 {
					step = 8 // address and timestamp
				}
				for k := 2; k+step <= len(data); k += step {
					if k > 2 {
						j.buf = append(j.buf, ',')
					}
					if step == 8 {
						j.buf = append(j.buf, `{"addr":`...)
						j.addr(data[k : k+4])
						j.kUint("ts", uint64(binary.BigEndian.Uint32(data[k+4:])))
					} else {
						j.buf = append(j.buf, `{"ts":`...)
						j.buf = strconv.AppendUint(j.buf, uint64(binary.BigEndian.Uint32(data[k:])), 10)
					}
					j.buf = append(j.buf, '}')
				}
				j.buf = append(j.buf, ']')
			}
		case 148: // router alert
			if len(data) == 2 {
				j.kInt("value", int(binary.BigEndian.Uint16(data)))
			}
		}
		j.buf = append(j.buf, '}')
		i += l
	}
	j.buf = append(j.buf, ']')
}

// optionKind appends the quoted name of an option kind, or its number.
func (j *JSONPrinter) optionKind(names *[256]string, t uint8) {
	j.buf = append(j.buf, '"')
	if name := names[t]; name != "" {
		j.buf = append(j.buf, name...)
	} else {
		j.buf = strconv.AppendUint(j.buf, uint64(t), 10)
	}
	j.buf = append(j.buf, '"')
}

func (j *JSONPrinter) ipv6(b []byte) (jsonNext, []byte) {
	j.open("ipv6")
	if len(b) < 40 {
		return j.short("packet shorter than an IPv6 header")
	}
	ip := &j.ip6
	err := ip.DecodeFromBytes(b, j)
	j.ipVersionAddrs(b, 6, 8, 16)
	j.kInt("tclass", int(ip.TrafficClass))
	j.kInt("flow", int(ip.FlowLabel))
	plen := int(binary.BigEndian.Uint16(b[4:6]))
	j.kInt("length", plen)
	j.kProto("next_header", b[6])
	j.kInt("hop_limit", int(b[7]))
	payload := ip.Payload
	switch {
	case plen == 0 && b[6] != 0:
		// gopacket wants a jumbo option here; Linux's BIG TCP and segmentation
		// offload leave the length 0 without one. The payload is what follows.
		payload = b[40:]
	case err != nil && ip.HopByHop == nil:
		return j.fail(err)
	case b[6] == 0:
		// gopacket takes the hop-by-hop header in with the IPv6 one (for the
		// jumbo length); it is written as a layer of its own like the others.
		payload = b[40:]
		if plen != 0 {
			payload = b[40:min(len(b), 40+plen)]
		}
	}
	j.close()
	if plen == 0 {
		plen = len(payload) // a jumbogram's length is in the hop-by-hop header
	}
	j.avail = plen
	return j.ipNext(b[6]), payload
}

// ipv6TLVNames are the hop-by-hop and destination option types (IANA "ipv6-parameters").
var ipv6TLVNames = [256]string{
	0: "Pad1", 1: "PadN", 4: "TunnelEncapLimit", 5: "RouterAlert", 7: "CALIPSO",
	8: "SMF_DPD", 0x26: "QuickStart", 0x63: "RPL", 0xc2: "Jumbo", 0xc9: "HomeAddress",
	0x6d: "MPL", 0x8b: "ILNP", 0x8c: "LineID", 0x1e: "IOAM", 0x31: "IOAM",
}

// ipv6ExtStart writes what the extension headers share and returns the header
// length, or -1 when the header is not all there (the layer is then closed).
func (j *JSONPrinter) ipv6ExtStart(name string, b []byte, unit, extra int) int {
	j.open(name)
	if len(b) < 2 {
		j.short("extension header not captured")
		return -1
	}
	j.kProto("next_header", b[0])
	n := (int(b[1]) + extra) * unit
	j.kInt("length", n)
	if len(b) < n {
		j.short("extension header not captured")
		return -1
	}
	return n
}

// ipv6Next is where an extension header hands over to the next one.
func (j *JSONPrinter) ipv6Next(p uint8, b []byte, n int) (jsonNext, []byte) {
	if j.avail >= 0 {
		j.avail -= n
	}
	return j.ipNext(p), b[n:]
}

func (j *JSONPrinter) ipv6Options(b []byte, which jsonNext) (jsonNext, []byte) {
	name := "ipv6_dstopts"
	if which == nextHopOpts {
		name = "ipv6_hopopts"
	}
	n := j.ipv6ExtStart(name, b, 8, 1)
	if n < 0 {
		return nextNone, nil
	}
	j.buf = append(j.buf, `,"options":[`...)
	opts := b[2:n]
	for i := 0; i < len(opts); {
		if i > 0 {
			j.buf = append(j.buf, ',')
		}
		t := opts[i]
		j.buf = append(j.buf, `{"kind":`...)
		j.optionKind(&ipv6TLVNames, t)
		if t == 0 {
			j.buf = append(j.buf, '}')
			i++
			continue
		}
		if i+2 > len(opts) || i+2+int(opts[i+1]) > len(opts) {
			j.buf = append(j.buf, `,"error":"bad length"}`...)
			break
		}
		l := int(opts[i+1])
		data := opts[i+2 : i+2+l]
		j.kInt("length", l)
		switch {
		case t == 5 && l == 2:
			j.kInt("value", int(binary.BigEndian.Uint16(data)))
		case t == 0xc2 && l == 4:
			j.kUint("value", uint64(binary.BigEndian.Uint32(data)))
		case t == 4 && l == 1:
			j.kInt("value", int(data[0]))
		case t == 0xc9 && l == 16:
			j.kAddr("addr", data)
		}
		j.buf = append(j.buf, '}')
		i += 2 + l
	}
	j.buf = append(j.buf, ']')
	j.close()
	return j.ipv6Next(b[0], b, n)
}

func (j *JSONPrinter) ipv6Routing(b []byte) (jsonNext, []byte) {
	n := j.ipv6ExtStart("ipv6_routing", b, 8, 1)
	if n < 0 {
		return nextNone, nil
	}
	if n < 8 {
		return j.fail(nil)
	}
	rtype := b[2]
	j.kInt("type", int(rtype))
	j.kInt("segments_left", int(b[3]))
	switch rtype {
	case 0, 2, 4: // source route, mobile IPv6 home address, segment routing
		if rtype == 4 {
			j.kInt("last_entry", int(b[4]))
			j.kInt("tag", int(binary.BigEndian.Uint16(b[6:8])))
		}
		j.kAddrs(b[8:n], 16)
	}
	j.close()
	return j.ipv6Next(b[0], b, n)
}

func (j *JSONPrinter) ipv6Fragment(b []byte) (jsonNext, []byte) {
	j.open("ipv6_fragment")
	if len(b) < 8 {
		return j.short("fragment header not captured")
	}
	j.kProto("next_header", b[0])
	ff := binary.BigEndian.Uint16(b[2:4])
	offset := int(ff & 0xfff8) // in units of 8 bytes, already shifted by 3
	more := ff&1 != 0
	j.kInt("offset", offset)
	j.kBool("more", more)
	j.kUint("id", uint64(binary.BigEndian.Uint32(b[4:8])))
	j.close()
	if j.avail >= 0 {
		j.avail -= 8
	}
	if offset != 0 {
		j.fragment = true
		return nextPayload, b[8:]
	}
	if more {
		j.fragment, j.noTrunc = true, true
	}
	return j.ipNext(b[0]), b[8:]
}

// ah writes an IPsec Authentication Header (RFC 4302), whose length counts
// 4-byte words less two.
func (j *JSONPrinter) ah(b []byte) (jsonNext, []byte) {
	n := j.ipv6ExtStart("ah", b, 4, 2)
	if n < 0 {
		return nextNone, nil
	}
	if n < 12 {
		return j.fail(nil)
	}
	j.kUint("spi", uint64(binary.BigEndian.Uint32(b[4:8])))
	j.kUint("seq", uint64(binary.BigEndian.Uint32(b[8:12])))
	j.close()
	return j.ipv6Next(b[0], b, n)
}

// esp writes an IPsec ESP header (RFC 4303); what follows is encrypted.
func (j *JSONPrinter) esp(b []byte) (jsonNext, []byte) {
	j.open("esp")
	if len(b) < 8 {
		return j.short("ESP header not captured")
	}
	j.kUint("spi", uint64(binary.BigEndian.Uint32(b[0:4])))
	j.kUint("seq", uint64(binary.BigEndian.Uint32(b[4:8])))
	j.kInt("length", len(b)-8)
	j.close()
	return nextNone, nil
}

// Transport layers.

// tcpOptionNames are tcpdump's names of the TCP option kinds.
var tcpOptionNames = [256]string{
	0: "eol", 1: "nop", 2: "mss", 3: "wscale", 4: "sackOK", 5: "sack", 8: "TS",
	19: "md5", 28: "uto", 29: "tcp-ao", 30: "mptcp", 34: "tfo", 172: "accecn0",
	174: "accecn1", 253: "exp", 254: "exp",
}

// tcpFlagJSONNames name the TCP flags, the AE bit of RFC 9768 included.
var tcpFlagJSONNames = [...]bitName{{0x001, "FIN"}, {0x002, "SYN"}, {0x004, "RST"}, {0x008, "PSH"},
	{0x010, "ACK"}, {0x020, "URG"}, {0x040, "ECE"}, {0x080, "CWR"}, {0x100, "AE"}}

func (j *JSONPrinter) tcpLayer(b []byte) (jsonNext, []byte) {
	j.open("tcp")
	if len(b) < 20 {
		if j.quoted && len(b) >= 4 { // an ICMP error quotes only 8 bytes of it
			j.kInt("sport", int(binary.BigEndian.Uint16(b[0:2])))
			j.kInt("dport", int(binary.BigEndian.Uint16(b[2:4])))
			if len(b) >= 8 {
				j.kUint("seq", uint64(binary.BigEndian.Uint32(b[4:8])))
			}
			j.close()
			return nextNone, nil
		}
		return j.short("segment shorter than a TCP header")
	}
	t := &j.tcp
	err := t.DecodeFromBytes(b, j)
	j.kInt("sport", int(t.SrcPort))
	j.kInt("dport", int(t.DstPort))
	j.kUint("seq", uint64(t.Seq))
	j.kUint("ack", uint64(t.Ack))
	hlen := int(t.DataOffset) * 4
	j.kInt("hdr_len", hlen)
	j.kFlags(uint32(b[12]&1)<<8|uint32(b[13]), tcpFlagJSONNames[:])
	j.kInt("window", int(t.Window))
	j.kHex16("checksum", t.Checksum)
	if t.URG || t.Urgent != 0 {
		j.kInt("urgent", int(t.Urgent))
	}
	opts := t.Options
	if err != nil {
		if hlen < 20 || hlen > len(b) {
			return j.fail(err)
		}
		// A bad option: gopacket has the ones before it, and the payload.
		j.kStr("error", err.Error())
		opts = opts[:max(0, len(opts)-1)]
	}
	if len(opts) > 0 {
		j.tcpOptions(opts)
	}
	plen := len(t.Payload)
	if j.avail >= hlen {
		plen = j.avail - hlen
	}
	j.kInt("payload_len", plen)
	j.close()
	j.avail = -1
	if len(t.Payload) == 0 {
		return nextNone, nil
	}
	if j.fragment {
		return nextPayload, t.Payload
	}
	if t.SrcPort == 53 || t.DstPort == 53 {
		return nextDNSTCP, t.Payload
	}
	if lt := t.NextLayerType(); gopacketDecodes(lt) && lt != layers.LayerTypeDNS {
		j.fallback = lt
		return nextGopacket, t.Payload
	}
	return nextPayload, t.Payload
}

func (j *JSONPrinter) tcpOptions(opts []layers.TCPOption) {
	j.buf = append(j.buf, `,"options":[`...)
	for i := range opts {
		o := &opts[i]
		if i > 0 {
			j.buf = append(j.buf, ',')
		}
		kind := uint8(o.OptionType)
		j.buf = append(j.buf, `{"kind":`...)
		j.optionKind(&tcpOptionNames, kind)
		d := o.OptionData
		switch {
		case kind <= 1:
		case kind == 2 && len(d) == 2:
			j.kInt("value", int(binary.BigEndian.Uint16(d)))
		case kind == 3 && len(d) == 1:
			j.kInt("value", int(d[0]))
		case kind == 4 && len(d) == 0:
		case kind == 5 && len(d)%8 == 0:
			j.buf = append(j.buf, `,"blocks":[`...)
			for k := 0; k+8 <= len(d); k += 8 {
				if k > 0 {
					j.buf = append(j.buf, ',')
				}
				j.buf = append(j.buf, '[')
				j.buf = strconv.AppendUint(j.buf, uint64(binary.BigEndian.Uint32(d[k:])), 10)
				j.buf = append(j.buf, ',')
				j.buf = strconv.AppendUint(j.buf, uint64(binary.BigEndian.Uint32(d[k+4:])), 10)
				j.buf = append(j.buf, ']')
			}
			j.buf = append(j.buf, ']')
		case kind == 8 && len(d) == 8:
			j.kUint("val", uint64(binary.BigEndian.Uint32(d[0:4])))
			j.kUint("ecr", uint64(binary.BigEndian.Uint32(d[4:8])))
		case kind == 30 && len(d) >= 1:
			j.kInt("subtype", int(d[0]>>4))
			j.kInt("length", int(o.OptionLength))
		case kind == 34:
			j.kHexBytes("cookie", d)
		default:
			j.kInt("length", int(o.OptionLength))
		}
		j.buf = append(j.buf, '}')
	}
	j.buf = append(j.buf, ']')
}

func (j *JSONPrinter) udpLayer(b []byte) (jsonNext, []byte) {
	j.open("udp")
	u := &j.udp
	if err := u.DecodeFromBytes(b, j); err != nil {
		if len(b) >= 8 {
			j.kInt("sport", int(binary.BigEndian.Uint16(b[0:2])))
			j.kInt("dport", int(binary.BigEndian.Uint16(b[2:4])))
			j.kInt("length", int(binary.BigEndian.Uint16(b[4:6])))
		}
		return j.fail(err)
	}
	j.kInt("sport", int(u.SrcPort))
	j.kInt("dport", int(u.DstPort))
	j.kInt("length", int(u.Length))
	j.kHex16("checksum", u.Checksum)
	j.close()
	j.avail = -1
	if len(u.Payload) == 0 {
		return nextNone, nil
	}
	if j.fragment {
		return nextPayload, u.Payload
	}
	for _, port := range [2]layers.UDPPort{u.DstPort, u.SrcPort} {
		switch port {
		case 53, 5355: // DNS, LLMNR
			return nextDNS, u.Payload
		case 5353:
			j.mdns = true
			return nextDNS, u.Payload
		case 4789:
			return nextVXLAN, u.Payload
		}
	}
	if lt := u.NextLayerType(); gopacketDecodes(lt) {
		j.fallback = lt
		return nextGopacket, u.Payload
	}
	return nextPayload, u.Payload
}

// icmp4TypeNames and the code names are nftables' keywords where it has one.
var icmp4TypeNames = [...]string{
	0: "echo-reply", 3: "destination-unreachable", 4: "source-quench", 5: "redirect",
	8: "echo-request", 9: "router-advertisement", 10: "router-solicitation",
	11: "time-exceeded", 12: "parameter-problem", 13: "timestamp-request",
	14: "timestamp-reply", 15: "info-request", 16: "info-reply",
	17: "address-mask-request", 18: "address-mask-reply", 30: "traceroute",
	40: "photuris", 42: "extended-echo-request", 43: "extended-echo-reply",
}

var icmp4UnreachNames = [...]string{
	0: "net-unreachable", 1: "host-unreachable", 2: "prot-unreachable",
	3: "port-unreachable", 4: "frag-needed", 5: "source-route-failed",
	6: "net-unknown", 7: "host-unknown", 8: "host-isolated", 9: "net-prohibited",
	10: "host-prohibited", 11: "net-tos-unreachable", 12: "host-tos-unreachable",
	13: "admin-prohibited", 14: "host-precedence-violation", 15: "precedence-cutoff",
}

var icmp4RedirectNames = [...]string{"net-redirect", "host-redirect", "tos-net-redirect", "tos-host-redirect"}

var icmp4TimeNames = [...]string{"ttl-exceeded", "reassembly-timeout"}

var icmp4ParamNames = [...]string{"pointer", "missing-option", "bad-length"}

func (j *JSONPrinter) kTableName(k string, table []string, i int) {
	if i < len(table) && table[i] != "" {
		j.kName(k, table[i])
	}
}

func (j *JSONPrinter) icmpv4(b []byte) (jsonNext, []byte) {
	j.open("icmp")
	c := &j.icmp4
	if err := c.DecodeFromBytes(b, j); err != nil {
		if len(b) >= 2 {
			j.kInt("type", int(b[0]))
			j.kInt("code", int(b[1]))
		}
		return j.fail(err)
	}
	typ, code := int(b[0]), int(b[1])
	j.kInt("type", typ)
	j.kInt("code", code)
	j.kTableName("type_name", icmp4TypeNames[:], typ)
	quotes := false
	switch typ {
	case 3:
		j.kTableName("code_name", icmp4UnreachNames[:], code)
		if code == 4 {
			j.kInt("mtu", int(binary.BigEndian.Uint16(b[6:8])))
		}
		quotes = true
	case 5:
		j.kTableName("code_name", icmp4RedirectNames[:], code)
		j.kAddr("gateway", b[4:8])
		quotes = true
	case 11:
		j.kTableName("code_name", icmp4TimeNames[:], code)
		quotes = true
	case 12:
		j.kTableName("code_name", icmp4ParamNames[:], code)
		j.kInt("pointer", int(b[4]))
		quotes = true
	case 4:
		quotes = true
	}
	j.kHex16("checksum", c.Checksum)
	switch typ {
	case 0, 8, 13, 14, 15, 16, 17, 18:
		j.kInt("id", int(c.Id))
		j.kInt("seq", int(c.Seq))
	}
	j.close()
	j.avail = -1
	if quotes && !j.quoted && !j.fragment && len(c.Payload) > 0 && c.Payload[0]>>4 == 4 {
		// The quoted datagram is cut by design: its header and 8 bytes.
		j.quoted, j.noTrunc = true, true
		return nextIPv4, c.Payload
	}
	return nextPayload, c.Payload
}

var icmp6TypeNames = [256]string{
	1: "destination-unreachable", 2: "packet-too-big", 3: "time-exceeded",
	4: "parameter-problem", 128: "echo-request", 129: "echo-reply",
	130: "mld-listener-query", 131: "mld-listener-report", 132: "mld-listener-done",
	133: "router-solicitation", 134: "router-advertisement", 135: "neighbor-solicitation",
	136: "neighbor-advertisement", 137: "redirect", 138: "router-renumbering",
	139: "node-info-query", 140: "node-info-response", 141: "ind-solicitation",
	142: "ind-advertisement", 143: "mld2-listener-report", 144: "haad-request",
	145: "haad-reply", 146: "mobile-prefix-solicitation", 147: "mobile-prefix-advertisement",
	148: "certification-path-solicitation", 149: "certification-path-advertisement",
	151: "multicast-router-advertisement", 152: "multicast-router-solicitation",
	153: "multicast-router-termination", 155: "rpl-control",
	160: "extended-echo-request", 161: "extended-echo-reply",
}

var icmp6UnreachNames = [...]string{
	0: "no-route", 1: "admin-prohibited", 2: "beyond-scope", 3: "addr-unreachable",
	4: "port-unreachable", 5: "policy-fail", 6: "reject-route", 7: "source-route-error",
}

var icmp6TimeNames = [...]string{"hop-limit-exceeded", "reassembly-timeout"}

var icmp6ParamNames = [...]string{"erroneous-header", "unrecognized-next-header", "unrecognized-option"}

func (j *JSONPrinter) icmpv6(b []byte) (jsonNext, []byte) {
	j.open("icmpv6")
	c := &j.icmp6
	if err := c.DecodeFromBytes(b, j); err != nil {
		return j.fail(err)
	}
	typ, code := b[0], int(b[1])
	j.kInt("type", int(typ))
	j.kInt("code", code)
	if name := icmp6TypeNames[typ]; name != "" {
		j.kName("type_name", name)
	}
	switch typ {
	case 1:
		j.kTableName("code_name", icmp6UnreachNames[:], code)
	case 3:
		j.kTableName("code_name", icmp6TimeNames[:], code)
	case 4:
		j.kTableName("code_name", icmp6ParamNames[:], code)
	}
	j.kHex16("checksum", c.Checksum)
	body := b[4:]
	need := func(n int) bool { return len(body) >= n }
	var opts []byte
	hasOpts := false
	switch typ {
	case 1, 3, 4, 2:
		if need(4) {
			if typ == 2 {
				j.kUint("mtu", uint64(binary.BigEndian.Uint32(body)))
			} else if typ == 4 {
				j.kUint("pointer", uint64(binary.BigEndian.Uint32(body)))
			}
			j.close()
			j.avail = -1
			if !j.quoted && !j.fragment && len(body) > 4 && body[4]>>4 == 6 {
				j.quoted, j.noTrunc = true, true
				return nextIPv6, body[4:]
			}
			return nextPayload, body[4:]
		}
	case 128, 129:
		if need(4) {
			j.kInt("id", int(binary.BigEndian.Uint16(body[0:2])))
			j.kInt("seq", int(binary.BigEndian.Uint16(body[2:4])))
			j.close()
			return nextPayload, body[4:]
		}
	case 130, 131, 132: // MLDv1 (and the MLDv2 query, which starts the same)
		if need(20) {
			j.kInt("max_delay", int(binary.BigEndian.Uint16(body[0:2])))
			j.kAddr("group", body[4:20])
		}
	case 143: // MLDv2 report: records of a type, a source count and a group
		if need(4) {
			n := int(binary.BigEndian.Uint16(body[2:4]))
			j.kInt("records", n)
			j.buf = append(j.buf, `,"groups":[`...)
			for i, k := 0, 4; i < n && k+20 <= len(body); i++ {
				if i > 0 {
					j.buf = append(j.buf, ',')
				}
				j.buf = append(j.buf, `{"type":`...)
				j.buf = strconv.AppendUint(j.buf, uint64(body[k]), 10)
				j.buf = append(j.buf, `,"group":`...)
				j.addr(body[k+4 : k+20])
				nsrc := int(binary.BigEndian.Uint16(body[k+2 : k+4]))
				j.kInt("sources", nsrc)
				j.buf = append(j.buf, '}')
				k += 20 + 16*nsrc + 4*int(body[k+1])
			}
			j.buf = append(j.buf, ']')
		}
	case 133: // router solicitation
		if need(4) {
			opts, hasOpts = body[4:], true
		}
	case 134: // router advertisement
		if need(12) {
			j.kInt("cur_hop_limit", int(body[0]))
			j.ndFlags(body[1], "M", "O", "H")
			j.kInt("router_lifetime", int(binary.BigEndian.Uint16(body[2:4])))
			j.kUint("reachable_time", uint64(binary.BigEndian.Uint32(body[4:8])))
			j.kUint("retrans_timer", uint64(binary.BigEndian.Uint32(body[8:12])))
			opts, hasOpts = body[12:], true
		}
	case 135: // neighbor solicitation
		if need(20) {
			j.kAddr("target", body[4:20])
			opts, hasOpts = body[20:], true
		}
	case 136: // neighbor advertisement
		if need(20) {
			j.ndFlags(body[0], "R", "S", "O")
			j.kAddr("target", body[4:20])
			opts, hasOpts = body[20:], true
		}
	case 137: // redirect
		if need(36) {
			j.kAddr("target", body[4:20])
			j.kAddr("dest", body[20:36])
			opts, hasOpts = body[36:], true
		}
	}
	if hasOpts {
		j.ndOptions(opts)
	}
	j.close()
	j.avail = -1
	return nextNone, nil
}

// ndFlags appends the flags in the top three bits of f, named a, b and c.
func (j *JSONPrinter) ndFlags(f byte, a, b, c string) {
	j.kFlags(uint32(f), []bitName{{0x80, a}, {0x40, b}, {0x20, c}})
}

var ndOptionNames = [256]string{
	1: "source-lladdr", 2: "target-lladdr", 3: "prefix-info", 4: "redirected-header",
	5: "mtu", 7: "advertisement-interval", 8: "home-agent-info", 14: "nonce",
	24: "route-info", 25: "rdnss", 31: "dnssl", 38: "pref64", 37: "captive-portal",
}

// ndOptions writes the options of neighbour discovery (RFC 4861 section 4.6).
func (j *JSONPrinter) ndOptions(b []byte) {
	j.buf = append(j.buf, `,"options":[`...)
	for i := 0; i < len(b); {
		if i > 0 {
			j.buf = append(j.buf, ',')
		}
		t := b[i]
		j.buf = append(j.buf, `{"kind":`...)
		j.optionKind(&ndOptionNames, t)
		if i+2 > len(b) || b[i+1] == 0 || i+8*int(b[i+1]) > len(b) {
			j.buf = append(j.buf, `,"error":"bad length"}`...)
			if !j.noTrunc && i+2 <= len(b) && b[i+1] != 0 && j.cut {
				j.truncated = true
			}
			break
		}
		l := 8 * int(b[i+1])
		d := b[i+2 : i+l]
		j.kInt("length", l)
		switch t {
		case 1, 2:
			j.kMAC("addr", d[:min(6, len(d))])
		case 3:
			if len(d) >= 30 {
				j.key("prefix")
				j.buf = append(j.buf, '"')
				j.buf = netip.AddrFrom16([16]byte(d[14:30])).AppendTo(j.buf)
				j.buf = append(j.buf, '/')
				j.buf = strconv.AppendUint(j.buf, uint64(d[0]), 10)
				j.buf = append(j.buf, '"')
				j.ndFlags(d[1], "L", "A", "R")
				j.kUint("valid_lifetime", uint64(binary.BigEndian.Uint32(d[2:6])))
				j.kUint("preferred_lifetime", uint64(binary.BigEndian.Uint32(d[6:10])))
			}
		case 5:
			if len(d) >= 6 {
				j.kUint("mtu", uint64(binary.BigEndian.Uint32(d[2:6])))
			}
		case 25:
			if len(d) >= 6 {
				j.kUint("lifetime", uint64(binary.BigEndian.Uint32(d[2:6])))
				j.kAddrs(d[6:], 16)
			}
		}
		j.buf = append(j.buf, '}')
		i += l
	}
	j.buf = append(j.buf, ']')
}

// Application layers.

func (j *JSONPrinter) vxlanLayer(b []byte) (jsonNext, []byte) {
	j.open("vxlan")
	v := &j.vxlan
	if len(b) < 8 {
		return j.short("datagram shorter than a VXLAN header")
	}
	if err := v.DecodeFromBytes(b, j); err != nil {
		return j.fail(err)
	}
	j.kHexString("flags", uint64(b[0]), 2)
	j.kUint("vni", uint64(v.VNI))
	if v.GBPExtension {
		j.kInt("group_policy_id", int(v.GBPGroupPolicyID))
	}
	j.close()
	return nextEthernet, v.Payload
}

// dnsTCP takes the two-byte length off a DNS message over TCP (RFC 1035
// section 4.2.2) when the segment holds the whole message.
func (j *JSONPrinter) dnsTCP(b []byte) (jsonNext, []byte) {
	if len(b) >= 2 {
		if n := int(binary.BigEndian.Uint16(b)); n >= 12 && 2+n <= len(b) {
			return j.dnsLayer(b[2 : 2+n])
		}
	}
	return j.payload(b)
}

// dnsFlagJSONNames are the header flags of RFC 1035 4.1.1 and RFC 4035 3.2.
var dnsFlagJSONNames = [...]bitName{{0x0400, "AA"}, {0x0200, "TC"}, {0x0100, "RD"}, {0x0080, "RA"},
	{0x0040, "Z"}, {0x0020, "AD"}, {0x0010, "CD"}}

var dnsOpcodeNames = [...]string{0: "QUERY", 1: "IQUERY", 2: "STATUS", 4: "NOTIFY", 5: "UPDATE", 6: "DSO"}

var dnsRcodeNames = [...]string{
	0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED",
	6: "YXDOMAIN", 7: "YXRRSET", 8: "NXRRSET", 9: "NOTAUTH", 10: "NOTZONE", 11: "DSOTYPENI",
	16: "BADVERS", 17: "BADKEY", 18: "BADTIME", 19: "BADMODE", 20: "BADNAME", 21: "BADALG",
	22: "BADTRUNC", 23: "BADCOOKIE",
}

// ednsOptionNames are the EDNS option codes (IANA "dns-parameters").
var ednsOptionNames = [...]string{
	3: "NSID", 5: "DAU", 6: "DHU", 7: "N3U", 8: "ECS", 9: "EXPIRE", 10: "COOKIE",
	11: "TCP-KEEPALIVE", 12: "PADDING", 13: "CHAIN", 14: "KEY-TAG", 15: "EDE",
}

var dnsTypeNames = [258]string{
	1: "A", 2: "NS", 3: "MD", 4: "MF", 5: "CNAME", 6: "SOA", 7: "MB", 8: "MG", 9: "MR",
	10: "NULL", 11: "WKS", 12: "PTR", 13: "HINFO", 14: "MINFO", 15: "MX", 16: "TXT",
	17: "RP", 18: "AFSDB", 24: "SIG", 25: "KEY", 28: "AAAA", 29: "LOC", 33: "SRV",
	35: "NAPTR", 36: "KX", 37: "CERT", 39: "DNAME", 41: "OPT", 42: "APL", 43: "DS",
	44: "SSHFP", 45: "IPSECKEY", 46: "RRSIG", 47: "NSEC", 48: "DNSKEY", 49: "DHCID",
	50: "NSEC3", 51: "NSEC3PARAM", 52: "TLSA", 53: "SMIMEA", 55: "HIP", 59: "CDS",
	60: "CDNSKEY", 61: "OPENPGPKEY", 62: "CSYNC", 63: "ZONEMD", 64: "SVCB", 65: "HTTPS",
	99: "SPF", 249: "TKEY", 250: "TSIG", 251: "IXFR", 252: "AXFR", 253: "MAILB",
	254: "MAILA", 255: "ANY", 256: "URI", 257: "CAA",
}

func (j *JSONPrinter) dnsType(t uint16) {
	j.buf = append(j.buf, '"')
	if int(t) < len(dnsTypeNames) && dnsTypeNames[t] != "" {
		j.buf = append(j.buf, dnsTypeNames[t]...)
	} else { // RFC 3597's form for a type without a mnemonic
		j.buf = append(j.buf, "TYPE"...)
		j.buf = strconv.AppendUint(j.buf, uint64(t), 10)
	}
	j.buf = append(j.buf, '"')
}

func (j *JSONPrinter) dnsClass(c uint16) {
	j.buf = append(j.buf, '"')
	switch c {
	case 1:
		j.buf = append(j.buf, "IN"...)
	case 3:
		j.buf = append(j.buf, "CH"...)
	case 4:
		j.buf = append(j.buf, "HS"...)
	case 254:
		j.buf = append(j.buf, "NONE"...)
	case 255:
		j.buf = append(j.buf, "ANY"...)
	default:
		j.buf = append(j.buf, "CLASS"...)
		j.buf = strconv.AppendUint(j.buf, uint64(c), 10)
	}
	j.buf = append(j.buf, '"')
}

// dnsName appends a name as gopacket decoded it (labels joined by dots) as a
// JSON string, in absolute form with the final dot.
func (j *JSONPrinter) dnsName(name []byte) {
	j.buf = append(j.buf, '"')
	j.dnsNameBare(name)
	j.buf = append(j.buf, '"')
}

// dnsNameBare appends a name, escaped, inside a JSON string already begun.
func (j *JSONPrinter) dnsNameBare(name []byte) {
	j.buf = appendJSONInner(j.buf, name)
	j.buf = append(j.buf, '.')
}

func (j *JSONPrinter) dnsLayer(b []byte) (jsonNext, []byte) {
	j.open("dns")
	d := &j.dns
	if len(b) < 12 {
		return j.short("message shorter than a DNS header")
	}
	// gopacket reads a question's type and class without a length check: a
	// full slice expression makes that a panic (recovered) rather than a read
	// of whatever follows the message in memory.
	err := d.DecodeFromBytes(b[:len(b):len(b)], j)
	j.kInt("id", int(binary.BigEndian.Uint16(b[0:2])))
	j.kBool("qr", b[2]&0x80 != 0)
	j.key("opcode")
	j.nameOrNumber(dnsOpcodeNames[:], int(b[2]>>3)&0xf)
	j.key("rcode")
	rc := int(b[3] & 0xf)
	if err == nil {
		rc = int(d.ResponseCode) // with the upper bits an OPT record carries
	}
	j.nameOrNumber(dnsRcodeNames[:], rc)
	j.kFlags(uint32(b[2])<<8|uint32(b[3]), dnsFlagJSONNames[:])
	j.buf = append(j.buf, `,"questions":[`...)
	for i := range d.Questions {
		q := &d.Questions[i]
		if i > 0 {
			j.buf = append(j.buf, ',')
		}
		j.buf = append(j.buf, `{"name":`...)
		j.dnsName(q.Name)
		j.key("type")
		j.dnsType(uint16(q.Type))
		class := uint16(q.Class)
		if j.mdns && class&0x8000 != 0 { // RFC 6762 section 5.4
			class &= 0x7fff
			j.buf = append(j.buf, `,"unicast_response":true`...)
		}
		j.key("class")
		j.dnsClass(class)
		j.buf = append(j.buf, '}')
	}
	j.buf = append(j.buf, ']')
	j.dnsRecords("answers", d.Answers)
	j.dnsRecords("authorities", d.Authorities)
	j.dnsRecords("additionals", d.Additionals)
	if err != nil {
		return j.fail(err)
	}
	j.close()
	return nextNone, nil
}

func (j *JSONPrinter) dnsRecords(key string, rrs []layers.DNSResourceRecord) {
	if len(rrs) == 0 {
		return
	}
	j.key(key)
	j.buf = append(j.buf, '[')
	for i := range rrs {
		rr := &rrs[i]
		if i > 0 {
			j.buf = append(j.buf, ',')
		}
		j.buf = append(j.buf, `{"name":`...)
		j.dnsName(rr.Name)
		j.key("type")
		j.dnsType(uint16(rr.Type))
		if rr.Type == layers.DNSTypeOPT { // RFC 6891 section 6.1.3
			j.kInt("udp_size", int(rr.Class))
			j.kInt("ext_rcode", int(rr.TTL>>24))
			j.kInt("version", int(rr.TTL>>16&0xff))
			j.kBool("do", rr.TTL&0x8000 != 0)
			j.buf = append(j.buf, `,"options":[`...)
			for k, o := range rr.OPT {
				if k > 0 {
					j.buf = append(j.buf, ',')
				}
				j.buf = append(j.buf, `{"code":`...)
				j.buf = strconv.AppendUint(j.buf, uint64(o.Code), 10)
				if int(o.Code) < len(ednsOptionNames) && ednsOptionNames[o.Code] != "" {
					j.kName("name", ednsOptionNames[o.Code])
				}
				j.kInt("length", len(o.Data))
				if o.Code == 15 && len(o.Data) >= 2 { // RFC 8914 extended error
					j.kInt("info_code", int(binary.BigEndian.Uint16(o.Data)))
					if len(o.Data) > 2 {
						j.key("extra_text")
						j.buf = appendJSONString(j.buf, o.Data[2:])
					}
				}
				j.buf = append(j.buf, '}')
			}
			j.buf = append(j.buf, ']', '}')
			continue
		}
		class := uint16(rr.Class)
		if j.mdns && class&0x8000 != 0 { // RFC 6762 section 10.2
			class &= 0x7fff
			j.buf = append(j.buf, `,"cache_flush":true`...)
		}
		j.key("class")
		j.dnsClass(class)
		j.kUint("ttl", uint64(rr.TTL))
		j.dnsData(rr)
		j.buf = append(j.buf, '}')
	}
	j.buf = append(j.buf, ']')
}

// dnsData appends a record's data in the presentation form of a zone file.
func (j *JSONPrinter) dnsData(rr *layers.DNSResourceRecord) {
	d := rr.Data
	switch rr.Type {
	case layers.DNSTypeA, layers.DNSTypeAAAA:
		if len(d) == 4 || len(d) == 16 {
			j.kAddr("data", d)
			return
		}
	case layers.DNSTypeNS:
		j.key("data")
		j.dnsName(rr.NS)
		return
	case layers.DNSTypeCNAME:
		j.key("data")
		j.dnsName(rr.CNAME)
		return
	case layers.DNSTypePTR:
		j.key("data")
		j.dnsName(rr.PTR)
		return
	case layers.DNSTypeMX:
		j.key("data")
		j.buf = append(j.buf, '"')
		j.buf = strconv.AppendUint(j.buf, uint64(rr.MX.Preference), 10)
		j.buf = append(j.buf, ' ')
		j.dnsNameBare(rr.MX.Name)
		j.buf = append(j.buf, '"')
		return
	case layers.DNSTypeSRV:
		j.key("data")
		j.buf = append(j.buf, '"')
		for _, n := range [3]uint16{rr.SRV.Priority, rr.SRV.Weight, rr.SRV.Port} {
			j.buf = strconv.AppendUint(j.buf, uint64(n), 10)
			j.buf = append(j.buf, ' ')
		}
		j.dnsNameBare(rr.SRV.Name)
		j.buf = append(j.buf, '"')
		return
	case layers.DNSTypeSOA:
		s := &rr.SOA
		j.key("data")
		j.buf = append(j.buf, '"')
		j.dnsNameBare(s.MName)
		j.buf = append(j.buf, ' ')
		j.dnsNameBare(s.RName)
		for _, n := range [5]uint32{s.Serial, s.Refresh, s.Retry, s.Expire, s.Minimum} {
			j.buf = append(j.buf, ' ')
			j.buf = strconv.AppendUint(j.buf, uint64(n), 10)
		}
		j.buf = append(j.buf, '"')
		return
	case layers.DNSTypeTXT, layers.DNSTypeHINFO:
		j.buf = append(j.buf, `,"txt":[`...)
		for k, s := range rr.TXTs {
			if k > 0 {
				j.buf = append(j.buf, ',')
			}
			j.buf = appendJSONString(j.buf, s)
		}
		j.buf = append(j.buf, ']')
		return
	case layers.DNSTypeURI:
		j.key("data")
		j.buf = append(j.buf, '"')
		j.buf = strconv.AppendUint(j.buf, uint64(rr.URI.Priority), 10)
		j.buf = append(j.buf, ' ')
		j.buf = strconv.AppendUint(j.buf, uint64(rr.URI.Weight), 10)
		j.buf = append(j.buf, ' ')
		j.buf = appendJSONInner(j.buf, rr.URI.Target)
		j.buf = append(j.buf, '"')
		return
	}
	if len(d) > 0 {
		j.kHexBytes("rdata", d)
	}
}

// gopacketLayers decodes with gopacket.NewPacket what the fast path has no
// decoder for (GRE, SCTP, IGMP, LLC, DHCP, NTP...), writing each of its layers
// as {"layer":name,"length":n}, and hands back to the fast path at the first
// layer it knows (the IPv4 packet inside GRE, say).
func (j *JSONPrinter) gopacketLayers(b []byte, dec gopacket.Decoder) (jsonNext, []byte) {
	pkt := gopacket.NewPacket(b, dec, gopacket.DecodeOptions{NoCopy: true})
	for i, l := range pkt.Layers() {
		t := l.LayerType()
		contents := l.LayerContents()
		if i > 0 {
			if next := fastPathNext(t); next != nextNone {
				if off, ok := offsetIn(b, contents); ok {
					return next, b[off:]
				}
			}
		}
		if t == gopacket.LayerTypePayload || t == gopacket.LayerTypeDecodeFailure {
			return j.payload(contents)
		}
		j.open("-")
		j.buf = j.buf[:len(j.buf)-2] // the name goes in lower case
		for _, c := range []byte(t.String()) {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c <= ' ' || c == '"' || c == '\\' || c >= 0x80 {
				c = '_'
			}
			j.buf = append(j.buf, c)
		}
		j.buf = append(j.buf, '"')
		j.layerName = "gopacket"
		j.kInt("length", len(contents))
		j.close()
	}
	return nextNone, nil
}

// fastPathNext maps the gopacket layer types the fast path decodes.
func fastPathNext(t gopacket.LayerType) jsonNext {
	switch t {
	case layers.LayerTypeEthernet:
		return nextEthernet
	case layers.LayerTypeDot1Q:
		return nextDot1Q
	case layers.LayerTypeARP:
		return nextARP
	case layers.LayerTypeIPv4:
		return nextIPv4
	case layers.LayerTypeIPv6:
		return nextIPv6
	case layers.LayerTypeTCP:
		return nextTCP
	case layers.LayerTypeUDP:
		return nextUDP
	case layers.LayerTypeICMPv4:
		return nextICMPv4
	case layers.LayerTypeICMPv6:
		return nextICMPv6
	case layers.LayerTypeVXLAN:
		return nextVXLAN
	}
	return nextNone
}

// offsetIn finds where sub, a slice gopacket cut from b without copying, begins in b.
func offsetIn(b, sub []byte) (int, bool) {
	off := cap(b) - cap(sub)
	if len(sub) == 0 || off < 0 || off >= len(b) || &b[off] != &sub[0] {
		return 0, false
	}
	return off, true
}

// Appending helpers.

// key appends `,"k":`.
func (j *JSONPrinter) key(k string) {
	j.buf = append(j.buf, ',', '"')
	j.buf = append(j.buf, k...)
	j.buf = append(j.buf, '"', ':')
}

// quote appends s as a JSON string; s needs no escaping (a name from a table).
func (j *JSONPrinter) quote(s string) {
	j.buf = append(j.buf, '"')
	j.buf = append(j.buf, s...)
	j.buf = append(j.buf, '"')
}

// nameOrNumber appends table[i] as a string, or i as a number when the
// table has no name for it.
func (j *JSONPrinter) nameOrNumber(table []string, i int) {
	if i < len(table) && table[i] != "" {
		j.quote(table[i])
		return
	}
	j.buf = strconv.AppendInt(j.buf, int64(i), 10)
}

// kFlags appends `,"flags":[...]`: the names tab gives the bits set in f.
func (j *JSONPrinter) kFlags(f uint32, tab []bitName) {
	j.buf = append(j.buf, `,"flags":[`...)
	first := true
	for _, t := range tab {
		if f&t.bit != 0 {
			if !first {
				j.buf = append(j.buf, ',')
			}
			j.quote(t.name)
			first = false
		}
	}
	j.buf = append(j.buf, ']')
}

// kAddrs appends `,"addrs":[...]`: the addresses of size bytes in b, whole ones only.
func (j *JSONPrinter) kAddrs(b []byte, size int) {
	j.buf = append(j.buf, `,"addrs":[`...)
	for k := 0; k+size <= len(b); k += size {
		if k > 0 {
			j.buf = append(j.buf, ',')
		}
		j.addr(b[k : k+size])
	}
	j.buf = append(j.buf, ']')
}

func (j *JSONPrinter) kInt(k string, n int) {
	j.key(k)
	j.buf = strconv.AppendInt(j.buf, int64(n), 10)
}

func (j *JSONPrinter) kUint(k string, n uint64) {
	j.key(k)
	j.buf = strconv.AppendUint(j.buf, n, 10)
}

func (j *JSONPrinter) kBool(k string, v bool) {
	j.key(k)
	j.buf = strconv.AppendBool(j.buf, v)
}

// kStr appends a string field, escaped.
func (j *JSONPrinter) kStr(k, v string) {
	j.key(k)
	j.buf = appendJSONString(j.buf, v)
}

// kName appends a string field whose value needs no escaping (a name from a table).
func (j *JSONPrinter) kName(k, v string) {
	j.key(k)
	j.quote(v)
}

// hexString appends "0x" and n in width hex digits, quoted.
func (j *JSONPrinter) hexString(n uint64, width int) {
	j.buf = append(j.buf, '"', '0', 'x')
	for i := width - 1; i >= 0; i-- {
		j.buf = append(j.buf, hexDigits[n>>(4*uint(i))&0xf])
	}
	j.buf = append(j.buf, '"')
}

func (j *JSONPrinter) kHexString(k string, n uint64, width int) {
	j.key(k)
	j.hexString(n, width)
}

func (j *JSONPrinter) kHex16(k string, n uint16) { j.kHexString(k, uint64(n), 4) }

// kHexBytes appends bytes as one string of hex digits.
func (j *JSONPrinter) kHexBytes(k string, b []byte) {
	j.key(k)
	j.buf = append(j.buf, '"')
	for _, c := range b {
		j.buf = append(j.buf, hexDigits[c>>4], hexDigits[c&0xf])
	}
	j.buf = append(j.buf, '"')
}

// kMAC appends a link-layer address as colon-separated hex bytes.
func (j *JSONPrinter) kMAC(k string, b []byte) {
	j.key(k)
	j.buf = append(j.buf, '"')
	j.buf = appendHexColons(j.buf, b)
	j.buf = append(j.buf, '"')
}

// addr appends an IPv4 or IPv6 address as a string; other lengths as hex bytes.
func (j *JSONPrinter) addr(b []byte) {
	j.buf = append(j.buf, '"')
	switch len(b) {
	case 4:
		for i := 0; i < 4; i++ {
			if i > 0 {
				j.buf = append(j.buf, '.')
			}
			j.buf = strconv.AppendUint(j.buf, uint64(b[i]), 10)
		}
	case 16:
		j.buf = netip.AddrFrom16([16]byte(b)).AppendTo(j.buf)
	default:
		j.buf = appendHexColons(j.buf, b)
	}
	j.buf = append(j.buf, '"')
}

func (j *JSONPrinter) kAddr(k string, b []byte) {
	j.key(k)
	j.addr(b)
}

// appendJSONString appends s as a JSON string. Unlike strconv.AppendQuote it
// writes only escapes JSON has: \" \\ \n \r \t \b \f, and \u00XX for the other
// control characters, DEL, and each byte that is not part of valid UTF-8 (read
// as the code point of the same value, as Latin-1 would).
func appendJSONString[T string | []byte](b []byte, s T) []byte {
	b = append(b, '"')
	b = appendJSONInner(b, s)
	return append(b, '"')
}

// appendJSONInner appends s escaped as appendJSONString does, without the quotes.
func appendJSONInner[T string | []byte](b []byte, s T) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f && c != '"' && c != '\\' {
			i++
			continue
		}
		if c >= 0x80 {
			if n := utf8Len(s, i); n > 0 {
				i += n
				continue
			}
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		i++
		start = i
	}
	return append(b, s[start:]...)
}

// utf8Len returns the length of the valid UTF-8 sequence at s[i] (RFC 3629:
// no overlong forms, no surrogates, nothing above U+10FFFF), or 0.
func utf8Len[T string | []byte](s T, i int) int {
	c := s[i]
	var n int
	lo, hi := byte(0x80), byte(0xbf) // the range of the second byte
	switch {
	case c >= 0xc2 && c <= 0xdf:
		n = 2
	case c == 0xe0:
		n, lo = 3, 0xa0
	case c == 0xed:
		n, hi = 3, 0x9f
	case c >= 0xe1 && c <= 0xef:
		n = 3
	case c == 0xf0:
		n, lo = 4, 0x90
	case c >= 0xf1 && c <= 0xf3:
		n = 4
	case c == 0xf4:
		n, hi = 4, 0x8f
	default:
		return 0
	}
	if i+n > len(s) || s[i+1] < lo || s[i+1] > hi {
		return 0
	}
	for k := 2; k < n; k++ {
		if s[i+k] < 0x80 || s[i+k] > 0xbf {
			return 0
		}
	}
	return n
}
