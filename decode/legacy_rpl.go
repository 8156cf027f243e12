//go:build !treedecode

package decode

// The RPL control message printer (RFC 6550, ICMPv6 type 155), printing as
// tcpdump does: DIS, DIO, DAO and DAO-ACK, with options at -vv.

var rplModes = [...]string{"nonstoring", "storing", "nonstoring-multicast", "storing-multicast"}

var rplOptNames = [...]string{
	0: "pad1", 1: "padN", 2: "metrics", 3: "routinginfo", 4: "config",
	5: "rpltarget", 6: "transitinfo", 8: "destprefix", 9: "rpltargetdesc",
}

// rpl prints a RPL control message (RFC 6550) whose body starts at off.
func (p *Printer) rpl(code uint8, b []byte, off, length int) {
	if code&0x80 != 0 {
		p.str(", (SEC) [worktodo]")
		return
	}
	p.str(", (CLR)")
	v := p.opt.Verbose > 0
	switch code & 0x7f {
	case 0:
		p.str("DODAG Information Solicitation")
	case 1:
		p.str("DODAG Information Object")
		if !v {
			return
		}
		if length < 24 {
			p.str(" (invalid)")
			return
		}
		need(b, off+24)
		mopprf := b[off+4]
		p.rplDAG(b[off+8:], b[off+5], b[off])
		p.str(",rank:")
		p.uint(uint64(be16(b, off+2)))
		p.byte1(',')
		if mopprf&0x80 != 0 {
			p.str("grounded,")
		}
		p.str("mop:")
		if mop := mopprf >> 3 & 7; int(mop) < len(rplModes) {
			p.str(rplModes[mop])
		} else {
			p.str("mop")
			p.uint(uint64(mop))
		}
		p.str(",prf:")
		p.uint(uint64(mopprf & 7))
		p.byte1(']')
		if p.opt.Verbose > 1 {
			p.rplOptions(b, off+24, length-24)
		}
	case 2:
		p.str("Destination Advertisement Object")
		if !v {
			return
		}
		if len(b) < off+20 {
			p.trunc()
			return
		}
		if length < 4 {
			p.str(" [|length too short]")
			return
		}
		flags := b[off+1]
		dagid, body, blen, ok := p.rplDAGID(b, off, length, flags&0x40 != 0, " [|length too short]")
		if !ok {
			return
		}
		p.rplDAG(dagid, b[off+3], b[off])
		if flags&0x80 != 0 {
			p.str(",acK")
		}
		if dagid != nil {
			p.str(",Dagid")
		}
		p.byte1(',')
		p.hex(uint64(flags), 2)
		p.byte1(']')
		if p.opt.Verbose > 1 {
			p.rplOptions(b, body, blen)
		}
	case 3:
		p.str("Destination Advertisement Object Ack")
		if !v {
			return
		}
		if len(b) < off+4 {
			p.trunc()
			return
		}
		if length < 4 {
			p.str(" [|dao-length too short]")
			return
		}
		dagid, body, blen, ok := p.rplDAGID(b, off, length, b[off+1]&0x80 != 0, " [|dao-length too short]")
		if !ok {
			return
		}
		p.rplDAG(dagid, b[off+2], b[off])
		p.str(",status:")
		p.uint(uint64(b[off+3]))
		p.byte1(']')
		if p.opt.Verbose > 1 {
			p.rplOptions(b, body, blen)
		}
	default:
		p.str("RPL message, unknown code ")
		p.uint(uint64(code))
	}
}

// rplDAGID takes the DODAG ID a DAO or DAO-ACK whose body is at off may
// carry (hasDAG): it returns the ID, nil when there is none, and where the
// options after it start and their length, or false after printing why the
// message stops there (tooShort when the length leaves no room for the ID).
func (p *Printer) rplDAGID(b []byte, off, length int, hasDAG bool, tooShort string) (dagid []byte, body, blen int, ok bool) {
	body, blen = off+4, length-4
	if !hasDAG {
		return nil, body, blen, true
	}
	if len(b) < off+20 {
		p.trunc()
		return nil, 0, 0, false
	}
	if blen < 16 {
		p.str(tooShort)
		return nil, 0, 0, false
	}
	return b[off+4:], body + 16, blen - 16, true
}

// rplDAG appends " [dagid:ADDR,seq:S,instance:I", how each RPL message's
// summary starts; a nil dagid prints as elided.
func (p *Printer) rplDAG(dagid []byte, seq, instance uint8) {
	p.str(" [dagid:")
	if dagid != nil {
		p.ip6addr(dagid)
	} else {
		p.str("<elided>")
	}
	p.str(",seq:")
	p.uint(uint64(seq))
	p.str(",instance:")
	p.uint(uint64(instance))
}

// rplOptions prints RPL options (RFC 6550 6.7).
func (p *Printer) rplOptions(b []byte, off, length int) {
	for length > 0 {
		t := u8(b, off)
		optlen := 1
		if t == 0 {
			p.str(" opt:pad1")
		} else {
			if length < 2 {
				p.trunc()
				return
			}
			optlen = int(u8(b, off+1)) + 2
			p.str(" opt:")
			if int(t) < len(rplOptNames) && rplOptNames[t] != "" {
				p.str(rplOptNames[t])
			} else {
				p.str("subopt:")
				p.uint(uint64(t))
			}
			p.str(" len:")
			p.uint(uint64(optlen))
			p.byte1(' ')
			if len(b) < off+optlen || length < optlen {
				p.trunc()
				return
			}
			if p.opt.Verbose > 2 {
				p.hexOnly(" ", b[off+2:off+optlen], 0)
			}
		}
		off += optlen
		length -= optlen
	}
}
