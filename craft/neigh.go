package craft

import (
	"encoding/binary"
	"net"
	"net/netip"

	"golang.org/x/net/bpf"

	"github.com/sockscope/sockscope/decode/wire"
)

// The questions NeighborMAC asks on the link when the neighbour table has no
// answer, and how it reads the answers: an ARP request (RFC 826) for IPv4, a
// neighbour solicitation (RFC 4861 section 4.3) for IPv6. Built here, apart
// from the socket, so that they can be tested anywhere.

// EtherTypes of the questions (IEEE 802 numbers).
const (
	etherTypeARP  = 0x0806
	etherTypeIPv6 = 0x86dd
)

// ICMPv6 types of neighbour discovery (RFC 4861 section 4).
const (
	icmp6NeighborSolicitation  = 135
	icmp6NeighborAdvertisement = 136
	ndOptSourceLinkAddr        = 1
	ndOptTargetLinkAddr        = 2
)

var broadcastMAC = net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}

// arpRequest is the ARP payload (after the Ethernet header) asking who has
// target, from src at mac. src may be 0.0.0.0, as an ARP probe (RFC 5227).
func arpRequest(mac net.HardwareAddr, src, target netip.Addr) []byte {
	p := make([]byte, 28)
	binary.BigEndian.PutUint16(p[0:], 1)      // Ethernet
	binary.BigEndian.PutUint16(p[2:], 0x0800) // IPv4
	p[4], p[5] = 6, 4
	binary.BigEndian.PutUint16(p[6:], 1) // request
	copy(p[8:], mac)
	s, t := src.As4(), target.As4()
	copy(p[14:], s[:])
	copy(p[24:], t[:])
	return p
}

// arpReplyFrom reads an ARP payload: the sender's MAC when it is a reply
// from target.
func arpReplyFrom(p []byte, target netip.Addr) (net.HardwareAddr, bool) {
	if len(p) < 28 || binary.BigEndian.Uint16(p[0:]) != 1 || binary.BigEndian.Uint16(p[2:]) != 0x0800 ||
		p[4] != 6 || p[5] != 4 || binary.BigEndian.Uint16(p[6:]) != 2 {
		return nil, false
	}
	if netip.AddrFrom4([4]byte(p[14:18])) != target {
		return nil, false
	}
	return net.HardwareAddr(append([]byte(nil), p[8:14]...)), true
}

// solicitedNode is the solicited-node multicast address of a (RFC 4291
// section 2.7.1) and the MAC it maps to (RFC 2464 section 7).
func solicitedNode(a netip.Addr) (netip.Addr, net.HardwareAddr) {
	t := a.As16()
	m := [16]byte{0: 0xff, 1: 0x02, 11: 0x01, 12: 0xff, 13: t[13], 14: t[14], 15: t[15]}
	return netip.AddrFrom16(m), net.HardwareAddr{0x33, 0x33, 0xff, t[13], t[14], t[15]}
}

// neighborSolicitation is the IPv6 packet (after the Ethernet header) asking
// target's solicited-node group for target's MAC, from src at mac. An
// unspecified src carries no source link-layer address (RFC 4861 section 4.3).
func neighborSolicitation(mac net.HardwareAddr, src, target netip.Addr) []byte {
	dst, _ := solicitedNode(target)
	icmpLen := 24
	if !src.IsUnspecified() {
		icmpLen += 8
	}
	p := make([]byte, 40+icmpLen)
	p[0] = 0x60
	binary.BigEndian.PutUint16(p[4:], uint16(icmpLen))
	p[6] = 58  // ICMPv6
	p[7] = 255 // hop limit: a receiver drops neighbour discovery with less
	s, d, t := src.As16(), dst.As16(), target.As16()
	copy(p[8:], s[:])
	copy(p[24:], d[:])
	icmp := p[40:]
	icmp[0] = icmp6NeighborSolicitation
	copy(icmp[8:], t[:])
	if icmpLen > 24 {
		icmp[24], icmp[25] = ndOptSourceLinkAddr, 1
		copy(icmp[26:], mac)
	}
	binary.BigEndian.PutUint16(icmp[2:], wire.Fold(wire.Sum(pseudoSum(src, dst, 58, icmpLen), icmp)))
	return p
}

// neighborAdvertFrom reads an IPv6 packet: the MAC it gives for target when
// it is a neighbour advertisement of target. One without a target
// link-layer address option gives from, the MAC the frame came from.
func neighborAdvertFrom(p []byte, target netip.Addr, from net.HardwareAddr) (net.HardwareAddr, bool) {
	if len(p) < 40+24 || p[0]>>4 != 6 || p[6] != 58 || p[7] != 255 {
		return nil, false
	}
	icmp := p[40:]
	if n := int(binary.BigEndian.Uint16(p[4:])); n < len(icmp) {
		icmp = icmp[:n]
	}
	if len(icmp) < 24 || icmp[0] != icmp6NeighborAdvertisement || icmp[1] != 0 {
		return nil, false
	}
	if netip.AddrFrom16([16]byte(icmp[8:24])) != target {
		return nil, false
	}
	for opts := icmp[24:]; len(opts) >= 8; {
		n := int(opts[1]) * 8
		if n == 0 || n > len(opts) {
			break
		}
		if opts[0] == ndOptTargetLinkAddr && n >= 8 {
			return net.HardwareAddr(append([]byte(nil), opts[2:8]...)), true
		}
		opts = opts[n:]
	}
	if len(from) != 6 {
		return nil, false
	}
	return net.HardwareAddr(append([]byte(nil), from...)), true
}

// answerFilter is the socket filter that lets through only what may answer
// a question about target, read from the network header on (a SOCK_DGRAM
// packet socket): ARP replies whose sender is target, or neighbour
// advertisements of target. The reader still checks them whole.
func answerFilter(target netip.Addr) []bpf.Instruction {
	const keep, drop = 0xffff, 0
	var prog []bpf.Instruction
	// match appends a load and a comparison that jumps to the drop at the
	// end when it fails; skips are filled in once the length is known.
	var fails []int
	match := func(load bpf.Instruction, v uint32) {
		prog = append(prog, load, bpf.JumpIf{Cond: bpf.JumpEqual, Val: v})
		fails = append(fails, len(prog)-1)
	}
	if target.Is4() {
		match(bpf.LoadAbsolute{Off: 6, Size: 2}, 2) // ARP operation: reply
		match(bpf.LoadAbsolute{Off: 14, Size: 4}, binary.BigEndian.Uint32(target.AsSlice()))
	} else {
		match(bpf.LoadAbsolute{Off: 6, Size: 1}, 58) // next header: ICMPv6
		match(bpf.LoadAbsolute{Off: 40, Size: 1}, icmp6NeighborAdvertisement)
		t := target.As16()
		for i := 0; i < 16; i += 4 {
			match(bpf.LoadAbsolute{Off: uint32(40 + 8 + i), Size: 4}, binary.BigEndian.Uint32(t[i:]))
		}
	}
	prog = append(prog, bpf.RetConstant{Val: keep}, bpf.RetConstant{Val: drop})
	for _, at := range fails {
		prog[at] = bpf.JumpIf{Cond: bpf.JumpEqual, Val: prog[at].(bpf.JumpIf).Val, SkipFalse: uint8(len(prog) - 2 - at)}
	}
	return prog
}
