//go:build !treedecode

package decode

// The SCTP printer, printing as tcpdump does: the ports, then one
// summary per chunk (RFC 9260), with the DATA payload dumped at -vv.

// sctpChunkNames are tcpdump's names of SCTP chunk types (RFC 9260, 3758).
var sctpChunkNames = [256]string{
	0: "DATA", 1: "INIT", 2: "INIT ACK", 3: "SACK", 4: "HB REQ", 5: "HB ACK",
	6: "ABORT", 7: "SHUTDOWN", 8: "SHUTDOWN ACK", 9: "OP ERR", 10: "COOKIE ECHO",
	11: "COOKIE ACK", 12: "ECN ECHO", 13: "ECN CWR", 14: "SHUTDOWN COMPLETE",
	0xc0: "FOR CUM TSN", 0xc1: "REL CTRL", 0xc2: "REL CTRL ACK",
}

// sctpPPIDNames are the payload protocol identifiers tcpdump names.
var sctpPPIDNames = [...]string{
	1: "ISDN Q.921", 2: "M2UA", 3: "M3UA", 4: "SUA", 5: "M2PA", 6: "V5.2", 7: "H.248",
	8: "BICC", 9: "TALI", 10: "DUA", 11: "ASAP", 12: "ENRP", 13: "H.323", 14: "Q.IPC",
	15: "SIMCO", 16: "DDPSC", 17: "DDPSSC", 18: "S1AP", 19: "RUA", 20: "HNBAP",
	21: "ForCES HP", 22: "ForCES MP", 23: "ForCES LP", 24: "SBc-AP", 25: "NBAP", 27: "X2AP",
}

// sctpForCESChannels are the ForCES channels of RFC 5811 by SCTP port.
var sctpForCESChannels = map[uint16]string{6704: "ForCES HP", 6705: "ForCES MP", 6706: "ForCES LP"}

// sctp prints an SCTP packet and its chunks as tcpdump prints them.
func (p *Printer) sctp(b []byte, length int, ni *netInfo) {
	p.proto = "sctp"
	if length < 12 {
		p.str("truncated-sctp - ")
		p.uint(uint64(12 - length))
		p.str(" bytes missing!")
		return
	}
	if len(b) < 12 {
		p.trunc()
		return
	}
	sport, dport := be16(b, 0), be16(b, 2)
	p.ipAddr(ni.src, ni.v6)
	p.byte1('.')
	p.uint(uint64(sport))
	p.str(" > ")
	p.ipAddr(ni.dst, ni.v6)
	p.byte1('.')
	p.uint(uint64(dport))
	p.str(": sctp")
	forces := false
	for _, port := range [...]uint16{sport, dport} {
		if ch := sctpForCESChannels[port]; ch != "" {
			p.byte1('[')
			p.str(ch)
			p.byte1(']')
			forces = true
		}
	}
	off := 12
	rem := uint32(length) - 12
	sep := " ("
	if p.opt.Verbose >= 2 {
		sep = "\n\t"
	}
	for count := uint64(1); rem != 0; count++ {
		if rem < 4 {
			p.str(sep)
			p.uint(count)
			p.str(") [chunk descriptor cut off at end of packet]")
			return
		}
		if len(b) < off+4 {
			p.trunc()
			return
		}
		chunkLen := be16(b, off+2)
		if chunkLen < 4 {
			p.str(sep)
			p.uint(count)
			p.str(") [Bad chunk length ")
			p.uint(uint64(chunkLen))
			p.str(", < size of chunk descriptor]")
			return
		}
		align := uint32(0)
		if chunkLen%4 != 0 {
			align = 4 - uint32(chunkLen%4)
		}
		if rem < align {
			p.str(sep)
			p.uint(count)
			p.str(") [Bad chunk length ")
			p.uint(uint64(chunkLen))
			p.str(", > remaining data in packet]")
			return
		}
		if len(b) < off+int(chunkLen) {
			p.trunc()
			return
		}
		id, flags := b[off], b[off+1]
		off += 4
		rem -= 4
		left := chunkLen - 4
		p.str(sep)
		p.uint(count)
		p.str(") [")
		if name := sctpChunkNames[id]; name != "" {
			p.str(name)
		} else {
			p.str("Unknown chunk type: 0x")
			p.hex(uint64(id), 1)
		}
		p.str("] ")
		bogus := func() {
			p.str("bogus chunk length ")
			p.uint(uint64(chunkLen))
			p.byte1(']')
		}
		switch id {
		case 0: // DATA
			if flags&4 != 0 {
				p.str("(U)")
			}
			if flags&2 != 0 {
				p.str("(B)")
			}
			if flags&1 != 0 {
				p.str("(E)")
			}
			if flags&7 != 0 {
				p.byte1(' ')
			}
			if left < 12 {
				bogus()
				return
			}
			ppid := be32(b, off+8)
			p.str("[TSN: ")
			p.uint(uint64(be32(b, off)))
			p.str("] [SID: ")
			p.uint(uint64(be16(b, off+4)))
			p.str("] [SSEQ ")
			p.uint(uint64(be16(b, off+6)))
			p.str("] [PPID ")
			if ppid < uint32(len(sctpPPIDNames)) && sctpPPIDNames[ppid] != "" {
				p.str(sctpPPIDNames[ppid])
			} else {
				p.str("0x")
				p.hex(uint64(ppid), 1)
			}
			p.str("] ")
			forces = forces || ppid >= 21 && ppid <= 23
			off += 12
			rem -= 12
			left -= 12
			if left == 0 {
				bogus()
				return
			}
			// ForCES and M3UA payloads are not decoded.
			if !forces && p.opt.Verbose >= 2 && ppid != 3 {
				p.str("[Payload")
				if p.opt.Hex == 0 && p.opt.HexASCII == 0 && p.opt.ASCII == 0 {
					p.byte1(':')
					data := b[off:]
					cut := len(data) < int(left)
					if !cut {
						data = data[:left]
					}
					p.hexASCII("\n\t", data, 0)
					if cut {
						panic(truncated{})
					}
				}
				p.byte1(']')
			}
			off += int(left)
			rem -= uint32(left)
			left = 0
		case 1, 2: // INIT, INIT ACK
			if left < 16 {
				bogus()
				return
			}
			p.str("[init tag: ")
			p.uint(uint64(be32(b, off)))
			p.str("] [rwnd: ")
			p.uint(uint64(be32(b, off+4)))
			p.str("] [OS: ")
			p.uint(uint64(be16(b, off+8)))
			p.str("] [MIS: ")
			p.uint(uint64(be16(b, off+10)))
			p.str("] [init TSN: ")
			p.uint(uint64(be32(b, off+12)))
			p.str("] ")
			off += int(left)
			rem -= uint32(left)
			left = 0
		case 3: // SACK
			if left < 12 {
				bogus()
				return
			}
			cum := be32(b, off)
			gaps, dups := be16(b, off+8), be16(b, off+10)
			p.str("[cum ack ")
			p.uint(uint64(cum))
			p.str("] [a_rwnd ")
			p.uint(uint64(be32(b, off+4)))
			p.str("] [#gap acks ")
			p.uint(uint64(gaps))
			p.str("] [#dup tsns ")
			p.uint(uint64(dups))
			p.str("] ")
			off += 12
			rem -= 12
			left -= 12
			for i := uint16(0); left != 0 && i < gaps; i++ {
				if left < 4 {
					bogus()
					return
				}
				start, end := be16(b, off), be16(b, off+2)
				p.str("\n\t\t[gap ack block #")
				p.uint(uint64(i) + 1)
				p.str(": start = ")
				p.uint(uint64(cum + uint32(start)))
				p.str(", end = ")
				p.uint(uint64(cum + uint32(end)))
				p.str("] ")
				off += 4
				rem -= 4
				left -= 4
			}
			for i := uint16(0); left != 0 && i < dups; i++ {
				if left < 4 {
					bogus()
					return
				}
				tsn := be32(b, off)
				p.str("\n\t\t[dup TSN #")
				p.uint(uint64(i) + 1)
				p.str(": ")
				p.uint(uint64(tsn))
				p.str("] ")
				off += 4
				rem -= 4
				left -= 4
			}
		default:
			off += int(left)
			rem -= uint32(left)
			left = 0
		}
		off += int(left)
		rem -= uint32(left)
		if p.opt.Verbose < 2 {
			sep = ", ("
		}
		if align != 0 {
			if len(b) < off+int(align) {
				p.trunc()
				return
			}
			off += int(align)
			rem -= align
		}
	}
}
