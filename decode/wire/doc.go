// Package wire holds the facts about packet bytes that every part of
// sockscope needs and none owns: the pcap link types and the framing each
// one puts before the network header, the Internet checksum (RFC 1071) with
// its pseudo-headers and incremental update (RFC 1624), and the walks that
// find an IP packet's upper-layer header and its final destination.
//
// LinkType names the LINKTYPE_ values; Network finds the network header of
// a frame of a link type (Untag steps over VLAN tags). Sum, Fold, Checksum,
// PseudoHeaderSum and UpdateChecksum compute checksums. WalkIPv6 steps over
// IPv6 extension headers (IPv6ExtLen, IsIPv6Extension), and IPv4FinalDst and
// IPv6RoutingFinalDst find the destination a source route ends at, which is
// the one a pseudo-header holds. It owns no protocol's meaning beyond that,
// and holds no state.
//
// It is at the bottom of the import graph: it imports nothing of
// sockscope's, and capture, capture/filter, decode, decode/flow, craft,
// craft/compare, craft/replay and commands take these from here instead of
// writing their own. Its tests (wire_test.go) pin the checksum to RFC
// 1071's example, the incremental update to recomputing, and the walks and
// the link types' names to hand-made packets.
package wire
