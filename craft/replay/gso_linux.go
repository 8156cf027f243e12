package replay

import (
	"encoding/binary"

	"golang.org/x/sys/unix"

	"github.com/sockscope/sockscope/decode/wire"
)

// A capture made on a host with segmentation offloads (GRO, TSO: the
// default on veth and most NICs) holds TCP frames far larger than the
// link's MTU: the kernel handed them to the capture before cutting them
// into segments, or after putting them together. A packet socket refuses
// such a frame (EMSGSIZE), unless it comes with a virtio_net_hdr that makes
// it a GSO packet (PACKET_VNET_HDR): then it goes on as one frame where the
// device takes GSO packets (a veth: the far end sees it byte for byte, as
// the capture had it), and is cut into MTU-sized segments where it does not.

// virtio_net_hdr values (include/uapi/linux/virtio_net.h).
const (
	vnetHdrLen       = 10
	vnetGSOTCPv4     = 1  // VIRTIO_NET_HDR_GSO_TCPV4
	vnetGSOTCPv6     = 4  // VIRTIO_NET_HDR_GSO_TCPV6
	tcpChecksumField = 16 // csum_offset, for a kernel that looks at it
)

// gsoHeader is the virtio_net_hdr that lets an Ethernet frame holding one
// IPv4 or IPv6 TCP segment (802.1Q-tagged or not; no IP options beyond the
// header's, no IPv6 extension headers, not a fragment) go out as a GSO
// packet for a link of MTU mtu; ok is false for any other frame.
func gsoHeader(frame []byte, mtu int) (hdr [vnetHdrLen]byte, ok bool) {
	// One 802.1Q tag at the most: what the header describes.
	l3, typ, ok := wire.Network(wire.LinkEthernet, frame)
	if !ok || l3 > 14 && (l3 != 18 || binary.BigEndian.Uint16(frame[12:]) != 0x8100) {
		return hdr, false
	}
	var l4 int
	var gso byte
	ip := frame[l3:]
	switch {
	case typ == wire.EtherTypeIPv4 && len(ip) >= 20 && ip[0]>>4 == 4:
		ihl := int(ip[0]&0x0f) * 4
		fragment := binary.BigEndian.Uint16(ip[6:])&0x3fff != 0
		if ip[9] != unix.IPPROTO_TCP || ihl < 20 || fragment {
			return hdr, false
		}
		l4, gso = l3+ihl, vnetGSOTCPv4
	case typ == wire.EtherTypeIPv6 && len(ip) >= 40 && ip[0]>>4 == 6:
		if ip[6] != unix.IPPROTO_TCP {
			return hdr, false
		}
		l4, gso = l3+40, vnetGSOTCPv6
	default:
		return hdr, false
	}
	if len(frame) < l4+20 {
		return hdr, false
	}
	end := l4 + int(frame[l4+12]>>4)*4
	segment := mtu - (end - l3)
	if end > len(frame) || end-l4 < 20 || segment <= 0 || end >= len(frame) {
		return hdr, false
	}
	// No NEEDS_CSUM: the TCP checksum stays as captured where the packet
	// goes on whole, and where the kernel cuts it into segments it
	// computes each segment's from scratch (with NEEDS_CSUM it would add
	// to the field as if it held only the pseudo-header's sum: right for
	// a capture made with checksum offload, wrong for a full checksum).
	hdr[0], hdr[1] = 0, gso
	// Host byte order: the legacy virtio header a packet socket reads.
	binary.NativeEndian.PutUint16(hdr[2:], uint16(end))
	binary.NativeEndian.PutUint16(hdr[4:], uint16(segment))
	binary.NativeEndian.PutUint16(hdr[6:], uint16(l4))
	binary.NativeEndian.PutUint16(hdr[8:], tcpChecksumField)
	return hdr, true
}
