//go:build !treedecode

package decode

// The Ethernet configuration testing protocol (EtherType 0x9000) printer,
// which prints as tcpdump does. BSD loopback captures (LINKTYPE_NULL) are
// link.go's.

// loopback prints an Ethernet configuration testing protocol (CTP) frame as
// tcpdump prints it; its fields are little-endian.
func (p *Printer) loopback(b []byte, length int) {
	p.proto = "loopback"
	p.str("Loopback")
	if length < 2 {
		p.invalid()
		need(b, length)
		return
	}
	skip := int(b[0]) | int(u8(b, 1))<<8
	p.str(", skipCount ")
	p.uint(uint64(skip))
	if skip%8 != 0 {
		p.str(" (bogus)")
	}
	length -= 2
	if skip > length {
		p.invalid()
		need(b, 2+length)
		return
	}
	need(b, 2+skip)
	b = b[2+skip:]
	length -= skip
	if length < 2 {
		p.invalid()
		need(b, length)
		return
	}
	function := uint16(u8(b, 0)) | uint16(u8(b, 1))<<8
	length -= 2
	switch function {
	case 1:
		p.str(", Reply")
		if length < 2 {
			p.invalid()
			need(b, 2+length)
			return
		}
		p.str(", receipt number ")
		p.uint(uint64(uint16(u8(b, 2)) | uint16(u8(b, 3))<<8))
		length -= 2
		p.str(", data (")
		p.uint(uint64(length))
		p.str(" octets)")
		need(b, 4+length)
	case 2:
		p.str(", Forward Data")
		if length < 6 {
			p.invalid()
			need(b, 2+length)
			return
		}
		p.str(", forwarding address ")
		p.mac(b[2:])
		length -= 6
		p.str(", data (")
		p.uint(uint64(length))
		p.str(" octets)")
		need(b, 8+length)
	default:
		p.str(",  invalid (")
		p.uint(uint64(function))
		p.byte1(')')
		need(b, 2+length)
	}
}
