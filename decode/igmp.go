package decode

import (
	"strconv"

	"github.com/sockscope/sockscope/decode/wire"
)

// IGMP v1/v2/v3 (RFC 1112, RFC 2236, RFC 3376) and multicast traceroute
// (mtrace) queries and responses.

var (
	protoIGMP         = proto("igmp", "Internet Group Management Protocol")
	fIGMPType         = enumField("igmp.type", "Type", TypeUint8, igmpTypeNames)
	fIGMPVersion      = field("igmp.version", "IGMP Version", TypeUint8)
	fIGMPMaxResp      = field("igmp.max_resp", "Max Resp Time", TypeUint8)
	fIGMPChecksum     = register(Field{Name: "igmp.checksum", Title: "Checksum", Type: TypeUint16, Hex: true})
	fIGMPMaddr        = field("igmp.maddr", "Multicast Address", TypeIPv4)
	fIGMPQRV          = register(Field{Name: "igmp.qrv", Title: "QRV", Type: TypeUint8, Mask: 0x7})
	fIGMPQQIC         = field("igmp.qqic", "QQIC", TypeUint8)
	fIGMPNumSrc       = field("igmp.num_src", "Num Src", TypeUint16)
	fIGMPSaddr        = field("igmp.saddr", "Source Address", TypeIPv4)
	fIGMPNumGrpRecs   = field("igmp.num_grp_recs", "Num Group Records", TypeUint16)
	fIGMPRecordType   = field("igmp.record_type", "Record Type", TypeUint8)
	fIGMPAuxDataLen   = field("igmp.aux_data_len", "Aux Data Len", TypeUint8)
	fIGMPMtraceHops   = field("igmp.mtrace.max_hops", "# hops", TypeUint8)
	fIGMPMtraceSaddr  = field("igmp.mtrace.saddr", "Source Address", TypeIPv4)
	fIGMPMtraceRaddr  = field("igmp.mtrace.raddr", "Receiver Address", TypeIPv4)
	fIGMPMtraceRsp    = field("igmp.mtrace.rspaddr", "Response Address", TypeIPv4)
	fIGMPMtraceRspTTL = field("igmp.mtrace.resp_ttl", "Response TTL", TypeUint8)
	fIGMPMtraceQID    = field("igmp.mtrace.q_id", "Query ID", TypeUint24)
)

var igmpTypeNames = map[uint64]string{
	0x11: "Membership Query", 0x12: "Membership Report v1", 0x13: "DVMRP", 0x14: "PIM v1",
	0x16: "Membership Report v2", 0x17: "Leave Group", 0x1e: "Traceroute Response",
	0x1f: "Traceroute Query or Request", 0x22: "Membership Report v3",
}

// dvmrpDissector reads IGMP's type 0x13, set by dvmrp.go.
var dvmrpDissector Dissector

func init() {
	IPProtocols.Register(2, dissectIGMP)
	registerText(protoIGMP, textIGMP)
}

// dissectIGMP reads an IGMP message in [off, end).
func dissectIGMP(t *Tree, off, end int) {
	if off < end && off < len(t.Data) && t.Data[off] == 0x13 && dvmrpDissector != nil {
		dvmrpDissector(t, off, end)
		return
	}
	l, n, ok := t.StartLayer(protoIGMP, off, end, 1)
	if !ok {
		return
	}
	typ := t.U8(off)
	t.Add(l, fIGMPType, off, 1, typ)
	if n < 8 {
		t.Mark(l, Truncated)
		return
	}
	t.Add(l, fIGMPMaxResp, off+1, 1, t.U8(off+1))
	t.Add(l, fIGMPChecksum, off+2, 2, t.U16(off+2))
	t.AddBytes(l, fIGMPMaddr, off+4, 4)
	switch typ {
	case 0x11:
		v := uint64(2)
		if end-off >= 12 {
			v = 3
		} else if t.U8(off+1) == 0 {
			v = 1
		}
		t.Add(l, fIGMPVersion, off, 0, v)
		if v == 3 && n >= 12 {
			t.Add(l, fIGMPQRV, off+8, 1, t.U8(off+8)&7)
			t.Add(l, fIGMPQQIC, off+9, 1, t.U8(off+9))
			ns := int(t.U16(off + 10))
			t.Add(l, fIGMPNumSrc, off+10, 2, uint64(ns))
			for i, o := 0, off+12; i < ns && o+4 <= off+n; i, o = i+1, o+4 {
				t.AddBytes(l, fIGMPSaddr, o, 4)
			}
		}
	case 0x22:
		if n < 8 {
			break
		}
		ng := int(t.U16(off + 6))
		t.Add(l, fIGMPNumGrpRecs, off+6, 2, uint64(ng))
		o := off + 8
		for i := 0; i < ng && o+8 <= off+n; i++ {
			t.Add(l, fIGMPRecordType, o, 1, t.U8(o))
			t.Add(l, fIGMPAuxDataLen, o+1, 1, t.U8(o+1))
			ns := int(t.U16(o + 2))
			t.Add(l, fIGMPNumSrc, o+2, 2, uint64(ns))
			t.AddBytes(l, fIGMPMaddr, o+4, 4)
			s := o + 8
			for j := 0; j < ns && s+4 <= off+n; j, s = j+1, s+4 {
				t.AddBytes(l, fIGMPSaddr, s, 4)
			}
			o += 8 + 4*ns + 4*int(t.U8(o+1))
		}
	case 0x1e, 0x1f:
		if n >= 24 {
			t.Add(l, fIGMPMtraceHops, off+1, 1, t.U8(off+1))
			t.AddBytes(l, fIGMPMtraceSaddr, off+8, 4)
			t.AddBytes(l, fIGMPMtraceRaddr, off+12, 4)
			t.AddBytes(l, fIGMPMtraceRsp, off+16, 4)
			t.Add(l, fIGMPMtraceRspTTL, off+20, 1, t.U8(off+20))
			t.Add(l, fIGMPMtraceQID, off+21, 3, t.U24(off+21))
		}
	}
}

// appendRelTime appends a duration in seconds as tcpdump prints one:
// 4m30s, 1d2h, 0s.
func appendRelTime(b []byte, secs uint64) []byte {
	if secs == 0 {
		return append(b, "0s"...)
	}
	units := [...]struct {
		n uint64
		c byte
	}{{31536000, 'y'}, {604800, 'w'}, {86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}}
	for _, u := range units {
		if secs >= u.n {
			b = strconv.AppendUint(b, secs/u.n, 10)
			b = append(b, u.c)
			secs %= u.n
		}
	}
	return b
}

// igmpRecordTypes are the names of IGMPv3 group record types.
var igmpRecordTypes = [7]string{1: "is_in", 2: "is_ex", 3: "to_in", 4: "to_ex", 5: "allow", 6: "block"}

// textIGMP prints an IGMP message as tcpdump does.
func textIGMP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off := int(t.Nodes[n].Off)
	length := int(t.Nodes[n].Len)
	d := t.Data
	avail := len(d) - off
	if avail > length {
		avail = length
	}
	if avail < 1 {
		p.b = append(p.b, " [|igmp]"...)
		return
	}
	if p.opt.Quiet {
		p.b = append(p.b, "igmp"...)
		return
	}
	typ := d[off]
	trunc := func() { p.b = append(p.b, " [|igmp]"...) }
	switch typ {
	case 0x11:
		if length >= 12 {
			p.b = append(p.b, "igmp query v3"...)
			if avail < 12 {
				trunc()
				return
			}
			ns := int(d[off+10])<<8 | int(d[off+11])
			if length != 12+4*ns {
				p.b = append(p.b, " [invalid len "...)
				p.b = strconv.AppendUint(p.b, uint64(length), 10)
				p.b = append(p.b, ']')
				return
			}
			mrc := uint64(d[off+1])
			mrt := mrc
			if mrc >= 128 {
				mrt = (mrc&0xf | 0x10) << ((mrc>>4)&7 + 3)
			}
			if mrc != 100 {
				p.b = append(p.b, " [max resp time "...)
				if mrt < 600 {
					p.b = strconv.AppendUint(p.b, mrt/10, 10)
					p.b = append(p.b, '.')
					p.b = strconv.AppendUint(p.b, mrt%10, 10)
					p.b = append(p.b, 's')
				} else {
					p.b = appendRelTime(p.b, mrt/10)
				}
				p.b = append(p.b, ']')
			}
			g := d[off+4 : off+8]
			if g[0]|g[1]|g[2]|g[3] == 0 && ns == 0 {
				break
			}
			p.b = append(p.b, " [gaddr "...)
			p.b = appendIPv4(p.b, g)
			if !p.igmpSources(off+12, ns, off+avail) {
				return
			}
			break
		}
		if avail < 2 {
			trunc()
			return
		}
		mrc := d[off+1]
		if mrc == 0 {
			p.b = append(p.b, "igmp query v1"...)
		} else {
			p.b = append(p.b, "igmp query v2"...)
		}
		if avail < 8 {
			trunc()
			return
		}
		if mrc != 0 && mrc != 100 {
			p.b = append(p.b, " [max resp time "...)
			p.b = strconv.AppendUint(p.b, uint64(mrc), 10)
			p.b = append(p.b, ']')
		}
		if g := d[off+4 : off+8]; g[0]|g[1]|g[2]|g[3] != 0 {
			p.b = append(p.b, " [gaddr "...)
			p.b = appendIPv4(p.b, g)
			p.b = append(p.b, ']')
		}
		if length != 8 {
			p.b = append(p.b, " [len "...)
			p.b = strconv.AppendUint(p.b, uint64(length), 10)
			p.b = append(p.b, ']')
		}
	case 0x12, 0x16, 0x17:
		if avail < 8 {
			trunc()
			return
		}
		switch typ {
		case 0x12:
			p.b = append(p.b, "igmp v1 report "...)
		case 0x16:
			p.b = append(p.b, "igmp v2 report "...)
		default:
			p.b = append(p.b, "igmp leave "...)
		}
		p.b = appendIPv4(p.b, d[off+4:off+8])
	case 0x22:
		p.b = append(p.b, "igmp v3 report"...)
		if avail < 8 {
			trunc()
			return
		}
		ng := int(d[off+6])<<8 | int(d[off+7])
		p.b = append(p.b, ", "...)
		p.b = strconv.AppendUint(p.b, uint64(ng), 10)
		p.b = append(p.b, " group record(s)"...)
		if p.opt.Verbose == 0 {
			break
		}
		o := off + 8
		for i := 0; i < ng; i++ {
			if o+8 > off+avail {
				trunc()
				return
			}
			rt := d[o]
			ns := int(d[o+2])<<8 | int(d[o+3])
			p.b = append(p.b, " [gaddr "...)
			p.b = appendIPv4(p.b, d[o+4:o+8])
			p.b = append(p.b, ' ')
			if rt >= 1 && rt <= 6 {
				p.b = append(p.b, igmpRecordTypes[rt]...)
			} else {
				p.b = append(p.b, " [v3-report-#"...)
				p.b = strconv.AppendUint(p.b, uint64(rt), 10)
				p.b = append(p.b, ']')
			}
			if !p.igmpSources(o+8, ns, off+avail) {
				return
			}
			o += 8 + 4*ns + 4*int(d[o+1])
		}
	case 0x1e, 0x1f:
		if avail < 24 {
			trunc()
			return
		}
		if typ == 0x1f {
			p.b = append(p.b, "mtrace "...)
		} else {
			p.b = append(p.b, "mresp "...)
		}
		p.b = strconv.AppendUint(p.b, uint64(d[off+21])<<16|uint64(d[off+22])<<8|uint64(d[off+23]), 10)
		p.b = append(p.b, ": "...)
		p.b = appendIPv4(p.b, d[off+8:off+12])
		p.b = append(p.b, " to "...)
		p.b = appendIPv4(p.b, d[off+12:off+16])
		p.b = append(p.b, " reply-to "...)
		p.b = appendIPv4(p.b, d[off+16:off+20])
		if d[off+16]>>4 == 0xe {
			// A multicast response address: the TTL of the response.
			p.b = append(p.b, " with-ttl "...)
			p.b = strconv.AppendUint(p.b, uint64(d[off+20]), 10)
		}
		return
	case 0x13:
		p.b = append(p.b, "igmp dvmrp"...)
		p.dvmrp(off, avail, length)
		return
	case 0x14:
		p.b = append(p.b, "igmp pimv1"...)
		p.pimV1(off, avail, length)
		return
	default:
		p.b = append(p.b, "igmp-"...)
		p.b = strconv.AppendUint(p.b, uint64(typ), 10)
		return
	}
	if p.opt.Verbose > 0 && avail == length && length >= 4 && !ipFragmented(t, n) {
		if wire.Fold(wire.Sum(0, d[off:off+length])) != 0 {
			p.b = append(p.b, " bad igmp cksum "...)
			p.b = strconv.AppendUint(p.b, uint64(d[off+2])<<8|uint64(d[off+3]), 16)
			p.b = append(p.b, '!')
		}
	}
}

// igmpSources prints the ns source addresses of an IGMPv3 query or group
// record, from o: " {a b}]" with -vv, else ", N source(s)]". It reports
// false, after " [|igmp]", when the capture (ending at end) cuts them.
func (p *Printer) igmpSources(o, ns, end int) bool {
	if p.opt.Verbose < 2 {
		p.b = append(p.b, ", "...)
		p.b = strconv.AppendUint(p.b, uint64(ns), 10)
		p.b = append(p.b, " source(s)]"...)
		return true
	}
	p.b = append(p.b, " {"...)
	for i := 0; i < ns; i++ {
		s := o + 4*i
		if s+4 > end {
			p.b = append(p.b, " [|igmp]"...)
			return false
		}
		p.b = append(p.b, ' ')
		p.b = appendIPv4(p.b, p.t.Data[s:s+4])
	}
	p.b = append(p.b, " }]"...)
	return true
}

// pimV1Names are the PIMv1 message types (carried in IGMP type 0x14).
var pimV1Names = [9]string{"Query", "Register", "Register-Stop", "Join/Prune", "RP-reachable", "Assert", "Graft", "Graft-ACK", "Mode"}

// pimV1 prints the PIMv1 message in an IGMP message at off.
func (p *Printer) pimV1(off, avail, length int) {
	d := p.t.Data
	if avail < 2 {
		p.b = append(p.b, " [|pimv1]"...)
		return
	}
	typ := d[off+1]
	if int(typ) >= len(pimV1Names) {
		p.b = append(p.b, " [type "...)
		p.b = strconv.AppendUint(p.b, uint64(typ), 10)
		p.b = append(p.b, ']')
		if avail < length {
			p.b = append(p.b, " [|pimv1]"...)
		}
		return
	}
	p.b = append(p.b, ' ')
	p.b = append(p.b, pimV1Names[typ]...)
	if typ != 4 || p.opt.Verbose == 0 {
		return
	}
	if avail < 24 {
		p.b = append(p.b, " [|pimv1]"...)
		return
	}
	p.b = append(p.b, " group "...)
	p.b = appendIPv4(p.b, d[off+8:off+12])
	if m := d[off+12 : off+16]; m[0]&m[1]&m[2]&m[3] != 0xff {
		p.b = append(p.b, " mask "...)
		p.b = appendIPv4(p.b, m)
	}
	p.b = append(p.b, " RP "...)
	p.b = appendIPv4(p.b, d[off+16:off+20])
	p.b = append(p.b, " hold "...)
	p.b = appendRelTime(p.b, uint64(d[off+22])<<8|uint64(d[off+23]))
}

// dvmrpNames are the DVMRP message codes (draft-ietf-idmr-dvmrp-v3).
var dvmrpNames = [10]string{1: "Probe", 2: "Report", 3: "Ask-neighbors", 4: "Neighbors", 5: "Ask-neighbors2", 6: "Neighbors2", 7: "Prune", 8: "Graft", 9: "Graft-ACK"}

// dvmrp prints the DVMRP message in an IGMP message at off.
func (p *Printer) dvmrp(off, avail, length int) {
	d := p.t.Data
	if avail < 2 {
		p.b = append(p.b, " [|dvmrp]"...)
		return
	}
	code := d[off+1]
	if code == 0 || int(code) >= len(dvmrpNames) {
		p.b = append(p.b, " [type "...)
		p.b = strconv.AppendUint(p.b, uint64(code), 10)
		p.b = append(p.b, ']')
		return
	}
	p.b = append(p.b, ' ')
	p.b = append(p.b, dvmrpNames[code]...)
	end := off + length
	if cap := off + avail; cap < end {
		end = cap
	}
	trunc := func() { p.b = append(p.b, " [|dvmrp]"...) }
	switch code {
	case 6:
		if off+8 > end {
			trunc()
			return
		}
		p.b = append(p.b, " (v "...)
		p.b = strconv.AppendUint(p.b, uint64(d[off+7]), 10)
		p.b = append(p.b, '.')
		p.b = strconv.AppendUint(p.b, uint64(d[off+6]), 10)
		p.b = append(p.b, "):"...)
		o := off + 8
		for o < off+length {
			if o+8 > end {
				trunc()
				return
			}
			local := d[o : o+4]
			metric, thresh, flags, nc := d[o+4], d[o+5], d[o+6], int(d[o+7])
			o += 8
			for i := 0; i < nc; i++ {
				if o+4 > end {
					trunc()
					return
				}
				p.b = append(p.b, " ["...)
				p.b = appendIPv4(p.b, local)
				p.b = append(p.b, " -> "...)
				p.b = appendIPv4(p.b, d[o:o+4])
				p.b = append(p.b, " ("...)
				p.b = strconv.AppendUint(p.b, uint64(metric), 10)
				p.b = append(p.b, '/')
				p.b = strconv.AppendUint(p.b, uint64(thresh), 10)
				if flags&0x01 != 0 {
					p.b = append(p.b, "/tunnel"...)
				}
				if flags&0x02 != 0 {
					p.b = append(p.b, "/srcrt"...)
				}
				if flags&0x10 != 0 {
					p.b = append(p.b, "/down"...)
				}
				if flags&0x20 != 0 {
					p.b = append(p.b, "/disabled"...)
				}
				if flags&0x40 != 0 {
					p.b = append(p.b, "/querier"...)
				}
				if flags&0x80 != 0 {
					p.b = append(p.b, "/leaf"...)
				}
				p.b = append(p.b, ")]"...)
				o += 4
			}
		}
	case 7, 8, 9:
		if off+16 > end {
			trunc()
			return
		}
		p.b = append(p.b, " src "...)
		p.b = appendIPv4(p.b, d[off+8:off+12])
		p.b = append(p.b, " grp "...)
		p.b = appendIPv4(p.b, d[off+12:off+16])
		if code == 7 {
			if off+20 > end {
				trunc()
				return
			}
			p.b = append(p.b, " timer "...)
			p.b = appendRelTime(p.b, uint64(d[off+16])<<24|uint64(d[off+17])<<16|uint64(d[off+18])<<8|uint64(d[off+19]))
		}
	}
}
