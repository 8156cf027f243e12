package wire

// Comment is a comment a capture file gives one packet (a pcapng Enhanced
// or obsolete Packet Block's opt_comment, UTF-8). capture hands each one
// out as an element of the packet's gopacket.CaptureInfo.AncillaryData, in
// the file's order; a packet without comments has no AncillaryData.
type Comment string
