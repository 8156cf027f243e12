package decode

// The -x, -X and -A dumps tcpdump prints after a packet's line, and the hex
// rows protocols print inline for payloads they do not read.
//
// What the installed tcpdump does, as its output shows:
//   - -X wins over -x, and -x over -A; the chosen letter given twice (-XX,
//     -xx, -AA) dumps from the frame's first byte, once from the end of the
//     link-layer header (Tree.NetOff).
//   - The dump runs to the end of the captured bytes: Ethernet padding after
//     an IP packet is dumped too.
//   - A frame too short for its link-layer header (or a VLAN tag after it)
//     dumps nothing with a single letter.
//   - When some protocols find their header cut short (ARP, ICMP...), tcpdump
//     abandons the packet and loses where the link layer ended: a single
//     letter then dumps from the first byte as well (dumpFromStart).
//   - Nothing at all is printed when there is nothing to dump.

// The dump forms.
const (
	dumpNone = iota
	dumpHex
	dumpHexASCII
	dumpASCII
)

// dumpFromStartNames are the protocols whose truncated header makes tcpdump
// dump the whole frame even with a single -x, -X or -A: tcpdump's output
// shows it for these (Wireshark's names). A protocol's owner may also set
// dumpFromStart[proto] in its init.
var dumpFromStartNames = []string{
	"arp", "icmp", "igmp", "vxlan", "vxlan_gpe", "otv", "nsh",
	"hsrp", "l2tp", "stp", "vrrp", "ssh",
}

// linkLayerNames are the link layers that start a frame (and its VLAN
// tags): when Ethernet's or a VLAN tag's header is cut short, a single
// letter dumps nothing; when a Linux cooked or BSD loopback header is, it
// dumps the frame from its first byte.
var linkLayerNames = []string{"eth", "vlan", "sll", "sll2", "null", "raw"}

// linkCutDumpsNothing are the link layers of linkLayerNames whose cut
// header leaves nothing to dump.
var linkCutDumpsNothing = map[string]bool{"eth": true, "vlan": true}

// dumpFromStart, linkLayer and linkCutNothing hold the registered protocols
// of dumpFromStartNames, linkLayerNames and linkCutDumpsNothing.
var dumpFromStart, linkLayer, linkCutNothing = map[FieldID]bool{}, map[FieldID]bool{}, map[FieldID]bool{}

func init() {
	for _, n := range dumpFromStartNames {
		if id, ok := Lookup(n); ok {
			dumpFromStart[id] = true
		}
	}
	for _, n := range linkLayerNames {
		if id, ok := Lookup(n); ok {
			linkLayer[id] = true
			linkCutNothing[id] = linkCutDumpsNothing[n]
		}
	}
}

// appendDumps writes the -x, -X and -A dumps of the packet after its line
// (b ends with the line's '\n').
func (p *Printer) appendDumps(b []byte) []byte {
	o := &p.opt
	form, level := dumpNone, 0
	switch {
	case o.HexASCII > 0:
		form, level = dumpHexASCII, o.HexASCII
	case o.Hex > 0:
		form, level = dumpHex, o.Hex
	case o.ASCII > 0:
		form, level = dumpASCII, o.ASCII
	default:
		return b
	}
	data := p.t.Data
	start := 0
	if level < 2 {
		start = p.dumpStart()
	}
	if start >= len(data) {
		return b
	}
	data = data[start:]
	// tcpdump writes each row after a newline and ends the packet with
	// one: take the line's newline back and put it at the end.
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	switch form {
	case dumpHex:
		b = appendHexRows(b, data, 0, false)
	case dumpHexASCII:
		b = appendHexRows(b, data, 0, true)
	case dumpASCII:
		b = append(b, '\n')
		b = appendASCII(b, data)
	}
	return append(b, '\n')
}

// dumpStart is where a single -x, -X or -A starts in the packet.
func (p *Printer) dumpStart() int {
	t := &p.t
	link := true // in the frame's leading link layers
	for i, l := range t.Layers {
		n := &t.Nodes[l]
		if i == 0 {
			continue // the frame
		}
		link = link && linkLayer[n.Field]
		if n.Field == protoIP && t.Find(int(l), fIPBogusVersion) >= 0 {
			break // tcpdump reads nothing past an IPv4 header of another version
		}
		if n.Flags&Truncated == 0 {
			continue
		}
		if link {
			if linkCutNothing[n.Field] {
				return len(t.Data)
			}
			return 0
		}
		if dumpFromStart[n.Field] {
			return 0
		}
		// An IPv4 header of which not one byte was captured: tcpdump
		// gives up reading its version.
		if n.Field == protoIP && int(n.Off) >= len(t.Data) {
			return 0
		}
	}
	if p.abandoned {
		return 0
	}
	if t.NetOff > len(t.Data) {
		return len(t.Data)
	}
	return t.NetOff
}

// hexLower: the digits of the dumps.
const hexLower = "0123456789abcdef"

// appendHexRows writes data as tcpdump's hex rows, each after a newline:
// "\n\t0x0010:  4500 0028 ..." with 16 bytes a row, and with ascii the
// printable characters after the hex ("  E..(....@.f....."). off is the
// offset the first row is labelled with.
func appendHexRows(b, data []byte, off int, ascii bool) []byte {
	for i := 0; i < len(data); i += 16 {
		row := data[i:min(i+16, len(data))]
		b = append(b, "\n\t0x"...)
		b = appendHexOffset(b, uint64(off+i))
		b = append(b, ": "...)
		w := 0
		for j := 0; j < len(row); j += 2 {
			b = append(b, ' ', hexLower[row[j]>>4], hexLower[row[j]&15])
			w += 3
			if j+1 < len(row) {
				b = append(b, hexLower[row[j+1]>>4], hexLower[row[j+1]&15])
				w += 2
			}
		}
		if !ascii {
			continue
		}
		for ; w < 40; w++ {
			b = append(b, ' ')
		}
		b = append(b, ' ', ' ')
		for _, c := range row {
			if c > ' ' && c < 0x7f {
				b = append(b, c)
			} else {
				b = append(b, '.')
			}
		}
	}
	return b
}

// appendHexOffset writes v in hexadecimal, at least 4 digits.
func appendHexOffset(b []byte, v uint64) []byte {
	var d [16]byte
	i := len(d)
	for w := 0; w < 4 || v != 0; w++ {
		i--
		d[i] = hexLower[v&15]
		v >>= 4
	}
	return append(b, d[i:]...)
}

// appendASCII writes data as -A does: printable characters, tabs and
// newlines as they are, a carriage return as '.' when at least two bytes
// follow it and the next is not a newline (else nothing), and any other
// byte as '.'.
func appendASCII(b, data []byte) []byte {
	for i, c := range data {
		switch {
		case c == '\r':
			if len(data)-i > 2 && data[i+1] != '\n' {
				b = append(b, '.')
			}
		case c == '\t' || c == '\n' || (c >= ' ' && c < 0x7f):
			b = append(b, c)
		default:
			b = append(b, '.')
		}
	}
	return b
}
