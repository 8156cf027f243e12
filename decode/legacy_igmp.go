//go:build !treedecode

package decode

// The IGMP printer (RFC 1112, 2236, 3376), printing as tcpdump does, and
// the group records and source lists that IGMPv3 and MLDv2 (icmp6.go)
// share but for their address size.

// igmp prints an IGMP message as tcpdump prints it.
func (p *Printer) igmp(b []byte, length int) {
	p.proto = "igmp"
	if p.opt.Quiet {
		p.str("igmp")
		return
	}
	switch typ := u8(b, 0); typ {
	case 0x11:
		p.str("igmp query")
		if length >= 12 {
			p.igmpV3Query(b, length)
			break
		}
		if mrt := u8(b, 1); mrt != 0 {
			p.str(" v2")
			if mrt != 100 {
				p.bracketNum(" [max resp time ", uint64(mrt))
			}
		} else {
			p.str(" v1")
		}
		if be32(b, 4) != 0 {
			p.str(" [gaddr ")
			p.ip4addr(b[4:])
			p.byte1(']')
		}
		if length != 8 {
			p.bracketNum(" [len ", uint64(uint32(length)))
		}
	case 0x12:
		need(b, 8)
		p.str("igmp v1 report ")
		p.ip4addr(b[4:])
		if length != 8 {
			p.bracketNum(" [len ", uint64(uint32(length)))
		}
	case 0x16:
		need(b, 8)
		p.str("igmp v2 report ")
		p.ip4addr(b[4:])
	case 0x22:
		p.str("igmp v3 report")
		p.igmpV3Report(b, length)
	case 0x17:
		need(b, 8)
		p.str("igmp leave ")
		p.ip4addr(b[4:])
	case 0x13:
		// DVMRP is not decoded further.
		p.str("igmp dvmrp")
		if length < 8 {
			p.bracketNum(" [len ", uint64(uint32(length)))
		}
	case 0x14:
		// Nor is PIM version 1.
		p.str("igmp pimv1")
	case 0x1e:
		p.mtrace("mresp", b, length)
	case 0x1f:
		p.mtrace("mtrace", b, length)
	default:
		p.str("igmp-")
		p.uint(uint64(typ))
	}
	if p.opt.Verbose > 0 && length >= 4 && len(b) >= length {
		if inetChecksum(b[:length], 0) != 0 {
			p.str(" bad igmp cksum ")
			p.hex(uint64(be16(b, 2)), 1)
			p.byte1('!')
		}
	}
}

// mtrace prints a multicast traceroute query or response.
func (p *Printer) mtrace(name string, b []byte, length int) {
	if length < 8+16 {
		p.bracketNum(" [invalid len ", uint64(uint32(length)))
		return
	}
	need(b, 24)
	p.str(name)
	p.byte1(' ')
	p.uint(uint64(be24(b, 21)))
	p.str(": ")
	p.ip4addr(b[8:])
	p.str(" to ")
	p.ip4addr(b[12:])
	p.str(" reply-to ")
	p.ip4addr(b[16:])
	if b[16]&0xf0 == 0xe0 {
		p.str(" with-ttl ")
		p.uint(uint64(b[20]))
	}
}

var igmpRecordTypes = [...]string{1: "is_in", 2: "is_ex", 3: "to_in", 4: "to_ex", 5: "allow", 6: "block"}

// groupRecordType appends the name of an IGMPv3 or MLDv2 group record type.
func (p *Printer) groupRecordType(t uint8, unknown string) {
	if int(t) < len(igmpRecordTypes) && igmpRecordTypes[t] != "" {
		p.str(igmpRecordTypes[t])
		return
	}
	p.bracketNum(unknown, uint64(t))
}

// expCode8 decodes the 8-bit exponential code of an IGMPv3 Max Resp Code
// (RFC 3376 4.1.1) or an MLDv2 QQIC (RFC 3810 5.1.9).
func expCode8(c uint8) uint32 {
	if c < 128 {
		return uint32(c)
	}
	return uint32(c&0x0f|0x10) << (c&0x70>>4 + 3)
}

func (p *Printer) igmpV3Report(b []byte, length int) {
	if length < 16 || length&3 != 0 {
		p.bracketNum(" [invalid len ", uint64(uint32(length)))
		return
	}
	p.groupRecords(b, length, false)
}

// groupRecords prints the records of an IGMPv3 or MLDv2 report (RFC 3376
// 4.2, RFC 3810 5.2), which differ only in their address size: the count,
// and with -v each group with its record type and sources.
func (p *Printer) groupRecords(b []byte, length int, v6 bool) {
	asize, rec, unknown := 4, 8, " [v3-report-#"
	if v6 {
		asize, rec, unknown = 16, 20, " [v2-report-#"
	}
	groups := int(be16(b, 6))
	p.str(", ")
	p.uint(uint64(groups))
	p.str(" group record(s)")
	if p.opt.Verbose == 0 {
		return
	}
	g := 8
	for i := 0; i < groups; i++ {
		if length < g+rec {
			p.str(" [invalid number of groups]")
			return
		}
		need(b, g+rec)
		p.str(" [gaddr ")
		p.ipAddr(b[g+4:], v6)
		p.byte1(' ')
		p.groupRecordType(b[g], unknown)
		nsrcs := int(be16(b, g+2))
		if length < g+rec+nsrcs*asize {
			p.bracketNum(" [invalid number of sources ", uint64(nsrcs))
			return
		}
		p.groupSources(b, g+rec, nsrcs, v6)
		g += rec + nsrcs*asize
		p.byte1(']')
	}
}

// querySources prints the source count at off of an IGMPv3 or MLDv2 query
// and the sources that follow it, and ends the group's bracket.
func (p *Printer) querySources(b []byte, off, length int, v6 bool) {
	asize := 4
	if v6 {
		asize = 16
	}
	if nsrcs := int(be16(b, off)); nsrcs > 0 {
		if length < off+2+nsrcs*asize {
			p.str(" [invalid number of sources]")
		} else {
			p.groupSources(b, off+2, nsrcs, v6)
		}
	}
	p.byte1(']')
}

// groupSources prints the n source addresses at off of a group record or query:
// " { a b }" with -vv, else their number.
func (p *Printer) groupSources(b []byte, off, n int, v6 bool) {
	if p.opt.Verbose < 2 {
		p.str(", ")
		p.uint(uint64(n))
		p.str(" source(s)")
		return
	}
	asize := 4
	if v6 {
		asize = 16
	}
	p.str(" {")
	for i := 0; i < n; i++ {
		a := off + asize*i
		need(b, a+asize)
		p.byte1(' ')
		p.ipAddr(b[a:], v6)
	}
	p.str(" }")
}

func (p *Printer) igmpV3Query(b []byte, length int) {
	p.str(" v3")
	if length < 12 || length&3 != 0 {
		p.bracketNum(" [invalid len ", uint64(uint32(length)))
		return
	}
	mrc := u8(b, 1)
	mrt := expCode8(mrc)
	if mrc != 100 {
		p.str(" [max resp time ")
		if mrt < 600 {
			p.uint(uint64(mrt / 10))
			p.byte1('.')
			p.uint(uint64(mrt % 10))
			p.byte1('s')
		} else {
			p.relTime(mrt / 10)
		}
		p.byte1(']')
	}
	if be32(b, 4) == 0 {
		return
	}
	p.str(" [gaddr ")
	p.ip4addr(b[4:])
	p.querySources(b, 10, length, false)
}
