package decode

import (
	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// appendExperts appends to the text line b the TCP analysis items of the
// packet, each as tshark's Info column words it, in brackets after a
// space: " [TCP Retransmission]", " [TCP Dup ACK 12#1]", " [TCP Window
// Full]". The text's own tree reads each packet alone, as tcpdump does;
// the analysis needs the packets before, so a second tree, which keeps
// state across packets as tshark's does, reads the packet again. A packet
// without items gets nothing: the line stays tcpdump's.
func (p *Printer) appendExperts(b, data []byte, ci gopacket.CaptureInfo, link wire.LinkType, n int) []byte {
	p.experts.Dissect(data, ci, link, n)
	start := len(b)
	b = append(b, ' ')
	b = p.experts.AppendInfo(b)
	if len(b) == start+1 {
		return b[:start]
	}
	return b[:len(b)-1] // AppendInfo's space after the last
}
