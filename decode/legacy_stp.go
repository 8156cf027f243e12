//go:build !treedecode

package decode

// The spanning tree printer, printing as tcpdump does: the BPDUs of
// 802.1D, RSTP (802.1w), MSTP (802.1s) and SPB (802.1aq) that LLC and SNAP
// frames carry.

import "strconv"

// stpFlagNames are the BPDU flag names tcpdump prints, by bit.
var stpFlagNames = [...]bitName{
	{0x01, "Topology change"}, {0x02, "Proposal"}, {0x10, "Learn"},
	{0x20, "Forward"}, {0x40, "Agreement"}, {0x80, "Topology change ACK"},
}

// stpPortRole names the RSTP port role in bits 2-3 of the flags, as tcpdump does.
func stpPortRole(f uint8) string {
	return [...]string{"Unknown", "Alternate", "Root", "Designated"}[f>>2&3]
}

// stpBridgeID appends an 8-byte bridge identifier as pppp.aa:bb:cc:dd:ee:ff.
func (p *Printer) stpBridgeID(b []byte, off int) {
	need(b, off+8)
	p.hex(uint64(b[off])<<8|uint64(b[off+1]), 4)
	p.byte1('.')
	p.mac(b[off+2 : off+8])
}

// stpSeconds appends an STP time (1/256 s units) as %.2fs.
func (p *Printer) stpSeconds(v uint16) {
	p.buf = strconv.AppendFloat(p.buf, float64(float32(v)/256), 'f', 2, 32)
	p.byte1('s')
}

// stpTimes appends the four timers of a configuration BPDU (-v).
func (p *Printer) stpTimes(b []byte) {
	need(b, 35)
	p.str("\n\tmessage-age ")
	p.stpSeconds(be16(b, 27))
	p.str(", max-age ")
	p.stpSeconds(be16(b, 29))
	p.str(", hello-time ")
	p.stpSeconds(be16(b, 31))
	p.str(", forwarding-delay ")
	p.stpSeconds(be16(b, 33))
}

// stp prints a spanning tree BPDU (802.1D, 802.1w, 802.1s, 802.1aq) as
// tcpdump prints it.
func (p *Printer) stp(b []byte, length int) {
	p.proto = "stp"
	if length < 4 {
		p.invalid()
		return
	}
	if be16(b, 0) != 0 {
		p.str("unknown STP version, length ")
		p.uint(uint64(length))
		return
	}
	version := u8(b, 2)
	p.str("STP ")
	switch version {
	case 0:
		p.str("802.1d")
	case 2:
		p.str("802.1w")
	case 3:
		p.str("802.1s")
	case 4:
		p.str("802.1aq")
	default:
		p.str("Unknown STP protocol (0x")
		p.hex(uint64(version), 2)
		p.byte1(')')
		return
	}
	bpduType := u8(b, 3)
	switch bpduType {
	case 0:
		p.str(", Config")
	case 2:
		p.str(", Rapid STP")
	case 0x80:
		p.str(", Topology Change")
	default:
		p.str(", Unknown BPDU Type (0x")
		p.hex(uint64(bpduType), 2)
		p.byte1(')')
	}
	const bpduLen = 36 // the configuration BPDU with the version 1 length byte
	switch bpduType {
	case 0:
		if length < bpduLen-1 {
			p.invalid()
			return
		}
		p.stpConfig(b, length)
	case 2:
		if version == 2 {
			if length < bpduLen {
				p.invalid()
				return
			}
			p.stpConfig(b, length)
		} else if version == 3 || version == 4 {
			if length < 102 || u8(b, 35) != 0 {
				p.invalid()
				return
			}
			mstpLen := int(be16(b, 36)) + 2
			if length < bpduLen+mstpLen {
				p.invalid()
				return
			}
			p.mstp(b, length)
			if version == 4 {
				spbLen := int(be16(b, 36+mstpLen)) + 2
				if length < bpduLen+mstpLen+spbLen || spbLen < 87 {
					p.invalid()
					return
				}
				p.spb(b, bpduLen+mstpLen)
			}
		}
	}
}

// stpConfig prints a configuration or RSTP BPDU.
func (p *Printer) stpConfig(b []byte, length int) {
	flags := u8(b, 4)
	p.str(", Flags [")
	p.bitNames(uint32(flags), stpFlagNames[:], ", ")
	p.byte1(']')
	need(b, 27)
	p.str(", bridge-id ")
	p.stpBridgeID(b, 17)
	p.byte1('.')
	p.hex(uint64(be16(b, 25)), 4)
	p.str(", length ")
	p.uint(uint64(length))
	if p.opt.Verbose == 0 {
		return
	}
	p.stpTimes(b)
	need(b, 17)
	p.str("\n\troot-id ")
	p.stpBridgeID(b, 5)
	p.str(", root-pathcost ")
	p.uint(uint64(be32(b, 13)))
	if u8(b, 2) == 2 {
		p.str(", port-role ")
		p.str(stpPortRole(flags))
	}
}

// mstp prints the MSTP part of an 802.1s BPDU.
func (p *Printer) mstp(b []byte, length int) {
	flags := u8(b, 4)
	p.str(", CIST Flags [")
	p.bitNames(uint32(flags), stpFlagNames[:], ", ")
	p.str("], length ")
	p.uint(uint64(length))
	if p.opt.Verbose == 0 {
		return
	}
	p.str("\n\tport-role ")
	p.str(stpPortRole(flags))
	need(b, 17)
	p.str(", CIST root-id ")
	p.stpBridgeID(b, 5)
	p.str(", CIST ext-pathcost ")
	p.uint(uint64(be32(b, 13)))
	need(b, 25)
	p.str("\n\tCIST regional-root-id ")
	p.stpBridgeID(b, 17)
	need(b, 27)
	p.str(", CIST port-id ")
	p.hex(uint64(be16(b, 25)), 4)
	p.byte1(',')
	p.stpTimes(b)
	need(b, 38)
	p.str("\n\tv3len ")
	p.uint(uint64(be16(b, 36)))
	p.str(", MCID Name ")
	p.printJNP(b, 39, 32)
	need(b, 89)
	p.str(", rev ")
	p.uint(uint64(be16(b, 71)))
	p.str(",\n\t\tdigest ")
	for i := 0; i < 4; i++ {
		p.hex(uint64(be32(b, 73+4*i)), 8)
	}
	need(b, 93)
	p.str(", CIST int-root-pathcost ")
	p.uint(uint64(be32(b, 89)))
	need(b, 101)
	p.str(",\n\tCIST bridge-id ")
	p.stpBridgeID(b, 93)
	need(b, 102)
	p.str(", CIST remaining-hops ")
	p.uint(uint64(u8(b, 101)))
	v3len := int(be16(b, 36))
	if v3len <= 64 {
		return
	}
	for n, off := v3len-64, 102; n >= 16; n, off = n-16, off+16 {
		need(b, off+3)
		msti := be16(b, off+1) & 0xfff
		f := u8(b, off)
		p.str("\n\tMSTI ")
		p.uint(uint64(msti))
		p.str(", Flags [")
		p.bitNames(uint32(f), stpFlagNames[:], ", ")
		p.str("], port-role ")
		p.str(stpPortRole(f))
		need(b, off+13)
		p.str("\n\t\tMSTI regional-root-id ")
		p.stpBridgeID(b, off+1)
		p.str(", pathcost ")
		p.uint(uint64(be32(b, off+9)))
		need(b, off+16)
		p.str("\n\t\tMSTI bridge-prio ")
		p.uint(uint64(u8(b, off+13) >> 4))
		p.str(", port-prio ")
		p.uint(uint64(u8(b, off+14) >> 4))
		p.str(", hops ")
		p.uint(uint64(u8(b, off+15)))
	}
}

// spb prints the SPB part of an 802.1aq BPDU at off (-v only).
func (p *Printer) spb(b []byte, off int) {
	if p.opt.Verbose == 0 {
		return
	}
	need(b, off+2)
	p.str("\n\tv4len ")
	p.uint(uint64(be16(b, off)))
	p.str(", AUXMCID Name ")
	need(b, off+3)
	p.printJNP(b, off+3, 32)
	need(b, off+53)
	p.str(", Rev ")
	p.uint(uint64(be16(b, off+35)))
	p.str(",\n\t\tdigest ")
	for i := 0; i < 4; i++ {
		p.hex(uint64(be32(b, off+37+4*i)), 8)
	}
	need(b, off+87)
	agr := u8(b, off+53)
	format := u8(b, off+55)
	conv := u8(b, off+56)
	p.str("\n\tAgreement num ")
	p.uint(uint64(agr >> 6))
	p.str(", Discarded Agreement num ")
	p.uint(uint64(agr >> 4 & 3))
	p.str(", Agreement valid-flag ")
	p.uint(uint64(agr >> 3 & 1))
	p.str(",\n\tRestricted role-flag: ")
	p.uint(uint64(agr >> 2 & 1))
	p.str(", Format id ")
	p.uint(uint64(format >> 4))
	p.str(" cap ")
	p.uint(uint64(format))
	p.str(", Convention id ")
	p.uint(uint64(conv >> 4))
	p.str(" cap ")
	p.uint(uint64(conv))
	p.str(",\n\tEdge count ")
	p.uint(uint64(be16(b, off+57)))
	p.str(", Agreement digest ")
	for i := 0; i < 5; i++ {
		p.hex(uint64(be32(b, off+67+4*i)), 8)
	}
}
