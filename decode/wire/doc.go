// Package wire holds the facts about packet bytes that every part of
// sockscope needs and none owns: the pcap link types and the framing each
// one puts before the network header, the Internet checksum (RFC 1071) with
// its pseudo-headers and incremental update (RFC 1624), and the walks that
// find an IP packet's upper-layer header and its final destination.
//
// It is at the bottom of the import graph: it imports nothing of
// sockscope's, and capture, capture/filter, decode, decode/flow, craft and
// craft/replay take these from here instead of writing their own.
package wire
