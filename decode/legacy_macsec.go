//go:build !treedecode

package decode

// The MACsec printer (IEEE 802.1AE), printing as tcpdump does: the
// SecTAG with -e, then the frame it protects, or the encrypted payload as
// bytes.

// MACsec (IEEE 802.1AE) SecTAG fields.
const (
	macsecTCIVersion = 0x80
	macsecTCISC      = 0x20 // a secure channel identifier follows the packet number
	macsecTCIConfid  = 0x0c // E and C: the payload is encrypted
	macsecICVLen     = 16   // the default integrity check value after the payload
)

// macsecFlagNames are the TCI bits as tcpdump names them.
var macsecFlagNames = [...]bitName{{0x08, "E"}, {0x04, "C"}, {0x40, "S"}, {0x10, "B"}, {0x20, "I"}}

// macsecHeader appends the SecTAG as tcpdump prints it with -e.
func (p *Printer) macsecHeader(tag []byte, shortLen int) {
	tci := tag[0]
	p.str("an ")
	p.uint(uint64(tci & 3))
	p.str(", pn ")
	p.uint(uint64(be32(tag, 2)))
	p.str(", flags ")
	p.bitNames(uint32(tci), macsecFlagNames[:], "")
	if shortLen != 0 {
		p.str(", sl ")
		p.uint(uint64(shortLen))
	}
	if tci&macsecTCISC != 0 {
		p.str(", sci ")
		p.hex(uint64(be32(tag, 6))<<32|uint64(be32(tag, 10)), 16)
	}
	p.str(", ")
}

// macsec handles the SecTAG at b[hdr:] as tcpdump does: it returns
// the frame without its ICV, the header length past the SecTAG and the length
// left, or done with the link header length when the frame ends here
// (truncated, invalid, or encrypted and dumped).
func (p *Printer) macsec(b []byte, hdr, length int, src, dst []byte) ([]byte, int, int, bool) {
	saved := p.proto
	p.proto = "macsec"
	defer func() { p.proto = saved }()
	full := len(b) // what a truncated or invalid SecTAG leaves as link header
	caplen := len(b) - hdr
	tag := b[hdr:]
	if caplen < 6 || length < 6 {
		p.trunc()
		return b, full, length, true
	}
	tagLen := 6
	if tag[0]&macsecTCISC != 0 {
		tagLen = 14
		if caplen < 14 || length < 14 {
			p.trunc()
			return b, full, length, true
		}
	}
	if tag[1]&^0x3f != 0 || tag[0]&macsecTCIVersion != 0 {
		p.invalid()
		return b, full, length, true
	}
	shortLen := int(tag[1] & 0x3f)
	if p.opt.Link {
		p.macsecHeader(tag, shortLen)
	}
	hdr += tagLen
	length -= tagLen
	caplen -= tagLen
	if tag[0]&macsecTCIConfid != 0 {
		if !p.opt.Link {
			p.macPair(src, dst)
			p.str(" 802.1AE MACsec, ")
			p.macsecHeader(tag, shortLen)
		}
		p.defaultPrint(b[hdr:])
		return b, hdr, length, true
	}
	if length < macsecICVLen || caplen < macsecICVLen {
		p.trunc()
		return b, full, length, true
	}
	length -= macsecICVLen
	caplen -= macsecICVLen
	b = b[:len(b)-macsecICVLen]
	if shortLen != 0 {
		if shortLen > length || shortLen > caplen {
			p.trunc()
			return b, full, length, true
		}
		length = min(length, shortLen)
		b = b[:hdr+min(caplen, shortLen)]
	}
	return b, hdr, length, false
}
