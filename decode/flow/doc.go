// Package flow finds the TCP and UDP conversations in captured packets and
// gives back what each side said: per direction, the TCP payload put back
// in sequence order, or the UDP datagrams. It is a pure function of the
// packet bytes; it opens no file and no socket.
//
// A Table takes packets in capture order (Add, with their link type and
// gopacket.CaptureInfo), finds the IP header with decode/wire, puts IP
// fragments together, and keys each packet to a Conversation: client and
// server, packets and bytes each way, the payload the capture lacks.
// Follow marks the conversations whose Messages (what one side sent before
// the other spoke) it keeps.
//
// The TCP reassembly is its own, not gopacket/reassembly's: a file is read
// once, in order, to the end, so it needs no timeouts, flushing or page
// pools, only the next sequence number per direction and the segments that
// wait ahead of it. It also keeps the order in which the two directions'
// data was delivered, which is what makes messages, and reads the packet
// bytes directly, with no gopacket.Packet per packet.
//
// Of sockscope's packages it imports decode/wire only; craft/replay uses it
// to list a capture's conversations and replay one to a live server. Its
// oracle tests compare the conversations and streams of the captures in
// testdata/ with tshark's conversation tables and follow output; they skip
// when tshark is missing, even under SOCKSCOPE_REQUIRE_PRIV=1. FuzzTable
// keeps its seeds in testdata/fuzz.
package flow
