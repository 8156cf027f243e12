package decode

import (
	"hash/crc32"
	"strconv"
)

// SCTP (RFC 9260): the common header, its CRC32c checksum (appendix B) and
// the chunks: DATA (with the payload protocol identifiers of IANA's
// registry), INIT, INIT ACK, SACK and the others by name.
//
// tcpdump's text: "sctp (1) [DATA] (B)(E) [TSN: 1] [SID: 0] [SSEQ 2] [PPID
// M3UA] , (2) [SACK] ..."; with -vv each chunk on a line of its own ("\n\t1)
// [DATA] ...") and a DATA chunk's payload in hex.

var (
	protoSCTP          = proto("sctp", "Stream Control Transmission Protocol")
	fSCTPSrcPort       = field("sctp.srcport", "Source port", TypeUint16)
	fSCTPDstPort       = field("sctp.dstport", "Destination port", TypeUint16)
	fSCTPPort          = field("sctp.port", "Port", TypeUint16)
	fSCTPVTag          = register(Field{Name: "sctp.verification_tag", Title: "Verification tag", Type: TypeUint32, Hex: true})
	fSCTPChecksum      = register(Field{Name: "sctp.checksum", Title: "Checksum", Type: TypeUint32, Hex: true})
	fSCTPChecksumSt    = enumField("sctp.checksum.status", "Checksum Status", TypeUint8, udpChecksumStatusNames)
	fSCTPChunkType     = enumField("sctp.chunk_type", "Chunk type", TypeUint8, sctpChunkTitles)
	fSCTPChunkFlags    = register(Field{Name: "sctp.chunk_flags", Title: "Chunk flags", Type: TypeUint8, Hex: true})
	fSCTPChunkLen      = field("sctp.chunk_length", "Chunk length", TypeUint16)
	fSCTPChunkLenBad   = field("sctp.chunk_length.bad", "Bad chunk length", TypeNone)
	fSCTPDataE         = flagField("sctp.data_e_bit", "E-Bit", 0x1)
	fSCTPDataB         = flagField("sctp.data_b_bit", "B-Bit", 0x2)
	fSCTPDataU         = flagField("sctp.data_u_bit", "U-Bit", 0x4)
	fSCTPDataI         = flagField("sctp.data_i_bit", "I-Bit", 0x8)
	fSCTPDataTSN       = field("sctp.data_tsn", "Transmission sequence number (relative)", TypeUint32)
	fSCTPDataTSNRaw    = field("sctp.data_tsn_raw", "Transmission sequence number (absolute)", TypeUint32)
	fSCTPDataSID       = register(Field{Name: "sctp.data_sid", Title: "Stream identifier", Type: TypeUint16, Hex: true})
	fSCTPDataSSN       = field("sctp.data_ssn", "Stream sequence number", TypeUint16)
	fSCTPDataPPID      = enumField("sctp.data_payload_proto_id", "Payload protocol identifier", TypeUint32, sctpPPIDTitles)
	fSCTPInitTag       = register(Field{Name: "sctp.init_initiate_tag", Title: "Initiate tag", Type: TypeUint32, Hex: true})
	fSCTPInitCredit    = field("sctp.init_credit", "Advertised receiver window credit (a_rwnd)", TypeUint32)
	fSCTPInitOut       = field("sctp.init_nr_out_streams", "Number of outbound streams", TypeUint16)
	fSCTPInitIn        = field("sctp.init_nr_in_streams", "Number of inbound streams", TypeUint16)
	fSCTPInitTSN       = field("sctp.init_initial_tsn", "Initial TSN", TypeUint32)
	fSCTPInitAckTag    = register(Field{Name: "sctp.initack_initiate_tag", Title: "Initiate tag", Type: TypeUint32, Hex: true})
	fSCTPInitAckCredit = field("sctp.initack_credit", "Advertised receiver window credit (a_rwnd)", TypeUint32)
	fSCTPInitAckOut    = field("sctp.initack_nr_out_streams", "Number of outbound streams", TypeUint16)
	fSCTPInitAckIn     = field("sctp.initack_nr_in_streams", "Number of inbound streams", TypeUint16)
	fSCTPInitAckTSN    = field("sctp.initack_initial_tsn", "Initial TSN", TypeUint32)
	fSCTPSackCumTSN    = field("sctp.sack_cumulative_tsn_ack", "Cumulative TSN ACK", TypeUint32)
	fSCTPSackARwnd     = field("sctp.sack_a_rwnd", "Advertised receiver window credit (a_rwnd)", TypeUint32)
	fSCTPSackNGaps     = field("sctp.sack_number_of_gap_blocks", "Number of gap acknowledgement blocks", TypeUint16)
	fSCTPSackNDups     = field("sctp.sack_number_of_duplicated_tsns", "Number of duplicated TSNs", TypeUint16)
	fSCTPSackGapStart  = field("sctp.sack_gap_block_start", "Start", TypeUint16)
	fSCTPSackGapEnd    = field("sctp.sack_gap_block_end", "End", TypeUint16)
	fSCTPSackDupTSN    = field("sctp.sack_duplicate_tsn", "Duplicate TSN", TypeUint32)
	fSCTPShutdownTSN   = field("sctp.shutdown_cumulative_tsn_ack", "Cumulative TSN Ack", TypeUint32)
	fSCTPChunkValue    = field("sctp.chunk_value", "Chunk value", TypeBytes)
)

// sctpChunkTitles are IANA's chunk type names.
var sctpChunkTitles = map[uint64]string{
	0: "DATA", 1: "INIT", 2: "INIT_ACK", 3: "SACK", 4: "HEARTBEAT", 5: "HEARTBEAT_ACK",
	6: "ABORT", 7: "SHUTDOWN", 8: "SHUTDOWN_ACK", 9: "ERROR", 10: "COOKIE_ECHO",
	11: "COOKIE_ACK", 12: "ECNE", 13: "CWR", 14: "SHUTDOWN_COMPLETE", 15: "AUTH",
	16: "NR-SACK", 64: "I_DATA", 128: "ASCONF_ACK", 130: "RE_CONFIG", 132: "PAD",
	192: "FORWARD_TSN", 193: "ASCONF", 194: "I_FORWARD_TSN",
}

// sctpChunkNames are tcpdump's names of the chunk types it knows.
var sctpChunkNames = map[byte]string{
	0: "DATA", 1: "INIT", 2: "INIT ACK", 3: "SACK", 4: "HB REQ", 5: "HB ACK", 6: "ABORT",
	7: "SHUTDOWN", 8: "SHUTDOWN ACK", 9: "OP ERR", 10: "COOKIE ECHO", 11: "COOKIE ACK",
	12: "ECN ECHO", 13: "ECN CWR", 14: "SHUTDOWN COMPLETE", 192: "FOR CUM TSN",
	193: "REL CTRL", 194: "REL CTRL ACK",
}

// sctpPPIDNames are the payload protocol identifiers (IANA's SCTP payload
// protocol identifiers registry) as tcpdump names them.
var sctpPPIDNames = [...]string{
	1: "ISDN Q.921", 2: "M2UA", 3: "M3UA", 4: "SUA", 5: "M2PA", 6: "V5.2", 7: "H.248",
	8: "BICC", 9: "TALI", 10: "DUA", 11: "ASAP", 12: "ENRP", 13: "H.323", 14: "Q.IPC",
	15: "SIMCO", 16: "DDPSC", 17: "DDPSSC", 18: "S1AP", 19: "RUA", 20: "HNBAP",
	21: "ForCES HP", 22: "ForCES MP", 23: "ForCES LP", 24: "SBc-AP", 25: "NBAP",
	27: "X2AP",
}

var sctpPPIDTitles = func() map[uint64]string {
	m := map[uint64]string{}
	for i, s := range sctpPPIDNames {
		if s != "" {
			m[uint64(i)] = s
		}
	}
	return m
}()

// sctpForCES names the ForCES SCTP transport mapping's ports (RFC 5811).
func sctpForCES(port uint64) string {
	switch port {
	case 6704:
		return "[ForCES HP]"
	case 6705:
		return "[ForCES MP]"
	case 6706:
		return "[ForCES LP]"
	}
	return ""
}

var crc32c = crc32.MakeTable(crc32.Castagnoli)

// sctpZero stands for the checksum field in the CRC.
var sctpZero [4]byte

func init() {
	IPProtocols.Register(132, dissectSCTP)
	registerText(protoSCTP, textSCTP)
	setPrintsAddresses(protoSCTP)
}

// dissectSCTP reads an SCTP packet at off; it ends at end.
func dissectSCTP(t *Tree, off, end int) {
	l, _, ok := t.StartLayer(protoSCTP, off, end, 12)
	if !ok {
		return
	}
	sport, dport := t.U16(off), t.U16(off+2)
	t.Add(l, fSCTPSrcPort, off, 2, sport)
	t.Add(l, fSCTPDstPort, off+2, 2, dport)
	t.Add(l, fSCTPPort, off, 2, sport)
	t.Add(l, fSCTPPort, off+2, 2, dport)
	t.Add(l, fSCTPVTag, off+4, 4, t.U32(off+4))
	ck := t.U32(off + 8)
	c := t.Add(l, fSCTPChecksum, off+8, 4, ck)
	if end <= len(t.Data) {
		// CRC32c over the packet with the checksum field as zero; the
		// field holds it little-endian (RFC 9260 appendix B).
		h := crc32.Update(0, crc32c, t.Data[off:off+8])
		h = crc32.Update(h, crc32c, sctpZero[:])
		h = crc32.Update(h, crc32c, t.Data[off+12:end])
		got := uint64(h&0xff)<<24 | uint64(h>>8&0xff)<<16 | uint64(h>>16&0xff)<<8 | uint64(h>>24)
		st := uint64(udpChecksumGood)
		if got != ck {
			st = udpChecksumBad
		}
		t.Add(c, fSCTPChecksumSt, off+8, 4, st)
	}
	capEnd := end
	if capEnd > len(t.Data) {
		capEnd = len(t.Data)
	}
	for i := off + 12; i < end; {
		if i+4 > capEnd {
			t.Mark(l, Truncated)
			return
		}
		typ := t.U8(i)
		ln := int(t.U16(i + 2))
		k := t.Add(l, fSCTPChunkType, i, ln, typ)
		fl := t.U8(i + 1)
		f := t.Add(k, fSCTPChunkFlags, i+1, 1, fl)
		if typ == 0 || typ == 64 {
			t.Add(f, fSCTPDataI, i+1, 1, fl>>3&1)
			t.Add(f, fSCTPDataU, i+1, 1, fl>>2&1)
			t.Add(f, fSCTPDataB, i+1, 1, fl>>1&1)
			t.Add(f, fSCTPDataE, i+1, 1, fl&1)
		}
		t.Add(k, fSCTPChunkLen, i+2, 2, uint64(ln))
		if ln < 4 {
			t.Mark(t.Add(k, fSCTPChunkLenBad, i+2, 2, 0), Malformed)
			return
		}
		if i+ln > capEnd {
			t.Mark(k, Truncated)
			return
		}
		d := i + 4
		switch typ {
		case 0:
			if ln >= 16 {
				tsn := t.U32(d)
				t.Add(k, fSCTPDataTSN, d, 4, tsn)
				t.Add(k, fSCTPDataTSNRaw, d, 4, tsn)
				t.Add(k, fSCTPDataSID, d+4, 2, t.U16(d+4))
				t.Add(k, fSCTPDataSSN, d+6, 2, t.U16(d+6))
				t.Add(k, fSCTPDataPPID, d+8, 4, t.U32(d+8))
			}
		case 1, 2:
			if ln >= 20 {
				ft := [5]FieldID{fSCTPInitTag, fSCTPInitCredit, fSCTPInitOut, fSCTPInitIn, fSCTPInitTSN}
				if typ == 2 {
					ft = [5]FieldID{fSCTPInitAckTag, fSCTPInitAckCredit, fSCTPInitAckOut, fSCTPInitAckIn, fSCTPInitAckTSN}
				}
				t.Add(k, ft[0], d, 4, t.U32(d))
				t.Add(k, ft[1], d+4, 4, t.U32(d+4))
				t.Add(k, ft[2], d+8, 2, t.U16(d+8))
				t.Add(k, ft[3], d+10, 2, t.U16(d+10))
				t.Add(k, ft[4], d+12, 4, t.U32(d+12))
			}
		case 3:
			if ln >= 16 {
				t.Add(k, fSCTPSackCumTSN, d, 4, t.U32(d))
				t.Add(k, fSCTPSackARwnd, d+4, 4, t.U32(d+4))
				ng, nd := int(t.U16(d+8)), int(t.U16(d+10))
				t.Add(k, fSCTPSackNGaps, d+8, 2, uint64(ng))
				t.Add(k, fSCTPSackNDups, d+10, 2, uint64(nd))
				j := d + 12
				for g := 0; g < ng && j+4 <= i+ln; g++ {
					t.Add(k, fSCTPSackGapStart, j, 2, t.U16(j))
					t.Add(k, fSCTPSackGapEnd, j+2, 2, t.U16(j+2))
					j += 4
				}
				for g := 0; g < nd && j+4 <= i+ln; g++ {
					t.Add(k, fSCTPSackDupTSN, j, 4, t.U32(j))
					j += 4
				}
			}
		case 7:
			if ln >= 8 {
				t.Add(k, fSCTPShutdownTSN, d, 4, t.U32(d))
			}
		default:
			if ln > 4 {
				t.AddBytes(k, fSCTPChunkValue, d, ln-4)
			}
		}
		i += (ln + 3) &^ 3
	}
}

// textSCTP prints an SCTP packet as tcpdump does.
func textSCTP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	sport, ok1 := t.Value(n, fSCTPSrcPort)
	dport, ok2 := t.Value(n, fSCTPDstPort)
	if !ok1 || !ok2 {
		p.b = append(p.b, " [|sctp]"...)
		return
	}
	// Unlike TCP's, the addresses come even after IPv6 extension headers.
	src, dst, v6, _ := tcpAddrs(p, l)
	p.b = appendEndpoint(p.b, src, v6, int(sport))
	p.b = append(p.b, " > "...)
	p.b = appendEndpoint(p.b, dst, v6, int(dport))
	p.b = append(p.b, ": sctp"...)
	p.b = append(p.b, sctpForCES(sport)...)
	p.b = append(p.b, sctpForCES(dport)...)
	forces := sctpForCES(sport) != "" || sctpForCES(dport) != ""
	off := int(t.Nodes[n].Off)
	end := off + int(t.Nodes[n].Len)
	d := t.Data
	capEnd := end
	if capEnd > len(d) {
		capEnd = len(d)
	}
	vv := p.opt.Verbose > 1
	u32 := func(i int) uint64 {
		return uint64(d[i])<<24 | uint64(d[i+1])<<16 | uint64(d[i+2])<<8 | uint64(d[i+3])
	}
	u16 := func(i int) uint64 { return uint64(d[i])<<8 | uint64(d[i+1]) }
	num := func(s string, v uint64) {
		p.b = append(p.b, s...)
		p.b = strconv.AppendUint(p.b, v, 10)
	}
	bogus := func(ln int) {
		p.b = append(p.b, "bogus chunk length "...)
		p.b = strconv.AppendInt(p.b, int64(ln), 10)
		p.b = append(p.b, ']')
	}
	for i, c := off+12, 1; i < end; c++ {
		if i+4 > capEnd {
			p.b = append(p.b, " [|sctp]"...)
			return
		}
		typ := d[i]
		ln := int(u16(i + 2))
		sep := func() {
			switch {
			case vv:
				p.b = append(p.b, "\n\t"...)
				p.b = strconv.AppendInt(p.b, int64(c), 10)
				p.b = append(p.b, ") "...)
			default:
				if c == 1 {
					p.b = append(p.b, " ("...)
				} else {
					p.b = append(p.b, ", ("...)
				}
				p.b = strconv.AppendInt(p.b, int64(c), 10)
				p.b = append(p.b, ") "...)
			}
		}
		if ln < 4 {
			sep()
			p.b = append(p.b, "[Bad chunk length "...)
			p.b = strconv.AppendInt(p.b, int64(ln), 10)
			p.b = append(p.b, ", < size of chunk descriptor]"...)
			return
		}
		if i+ln > capEnd {
			p.b = append(p.b, " [|sctp]"...)
			return
		}
		sep()
		p.b = append(p.b, '[')
		if name, ok := sctpChunkNames[typ]; ok {
			p.b = append(p.b, name...)
		} else {
			p.b = append(p.b, "Unknown chunk type: 0x"...)
			p.b = strconv.AppendUint(p.b, uint64(typ), 16)
		}
		p.b = append(p.b, "] "...)
		b := i + 4
		switch typ {
		case 0:
			fl := d[i+1]
			if fl&4 != 0 {
				p.b = append(p.b, "(U)"...)
			}
			if fl&2 != 0 {
				p.b = append(p.b, "(B)"...)
			}
			if fl&1 != 0 {
				p.b = append(p.b, "(E)"...)
			}
			if fl&7 != 0 {
				p.b = append(p.b, ' ')
			}
			if ln < 16 {
				bogus(ln)
				return
			}
			num("[TSN: ", u32(b))
			num("] [SID: ", u16(b+4))
			num("] [SSEQ ", u16(b+6))
			p.b = append(p.b, "] [PPID "...)
			ppid := u32(b + 8)
			if ppid < uint64(len(sctpPPIDNames)) && sctpPPIDNames[ppid] != "" {
				p.b = append(p.b, sctpPPIDNames[ppid]...)
			} else {
				p.b = append(p.b, "0x"...)
				p.b = strconv.AppendUint(p.b, ppid, 16)
			}
			p.b = append(p.b, "] "...)
			if ln == 16 {
				bogus(ln)
				return
			}
			switch {
			case forces || ppid >= 21 && ppid <= 23:
				sctpForCESText(p, d[i+16:i+ln])
			case ppid == 3:
				if vv {
					m3uaText(p, d[i+16:i+ln])
				}
			case vv:
				p.b = append(p.b, "[Payload:"...)
				p.b = appendHexRows(p.b, d[i+16:i+ln], 0, true)
				p.b = append(p.b, ']')
			}
		case 1, 2:
			if ln < 20 {
				bogus(ln)
				return
			}
			num("[init tag: ", u32(b))
			num("] [rwnd: ", u32(b+4))
			num("] [OS: ", u16(b+8))
			num("] [MIS: ", u16(b+10))
			num("] [init TSN: ", u32(b+12))
			p.b = append(p.b, "] "...)
		case 3:
			if ln < 16 {
				bogus(ln)
				return
			}
			cum := u32(b)
			num("[cum ack ", cum)
			num("] [a_rwnd ", u32(b+4))
			ng, nd := int(u16(b+8)), int(u16(b+10))
			num("] [#gap acks ", uint64(ng))
			num("] [#dup tsns ", uint64(nd))
			p.b = append(p.b, "] "...)
			j := b + 12
			for g := 1; g <= ng && j+4 <= i+ln; g++ {
				num("\n\t\t[gap ack block #", uint64(g))
				num(": start = ", uint64(uint32(cum+u16(j))))
				num(", end = ", uint64(uint32(cum+u16(j+2))))
				p.b = append(p.b, "] "...)
				j += 4
			}
			for g := 1; g <= nd && j+4 <= i+ln; g++ {
				num("\n\t\t[dup TSN #", uint64(g))
				num(": ", u32(j))
				p.b = append(p.b, "] "...)
				j += 4
			}
		}
		i += (ln + 3) &^ 3
	}
}

// m3uaClasses name M3UA's message classes and types (RFC 4666 3.1.3) as
// tcpdump does: the class, then the types by number.
var m3uaClasses = map[byte]struct {
	name  string
	types []string
}{
	0: {"Management", []string{"Error", "Notify"}},
	1: {"Transfer", []string{1: "Data"}},
	2: {"SS7", []string{1: "Destination Unavailable", 2: "Destination Available", 3: "Destination State Audit",
		4: "Signalling Congestion", 5: "Destination User Part Unavailable", 6: "Destination Restricted"}},
	3: {"ASP", []string{1: "Up", 2: "Down", 3: "Heartbeat", 4: "Up Acknowledgement", 5: "Down Acknowledgement",
		6: "Heartbeat Acknowledgement"}},
	4: {"ASP", []string{1: "Active", 2: "Inactive", 3: "Active Acknowledgement", 4: "Inactive Acknowledgement"}},
	9: {"Routing Key Management", []string{1: "Registration Request", 2: "Registration Response",
		3: "Deregistration Request", 4: "Deregistration Response"}},
}

// m3uaParams name M3UA's parameters (RFC 4666 3.2 and 3.3).
var m3uaParams = map[uint16]string{
	0x0004: "INFO String", 0x0006: "Routing Context", 0x0007: "Diagnostic Info",
	0x0009: "Heartbeat Data", 0x000b: "Traffic Mode Type", 0x000c: "Error Code",
	0x000d: "Status", 0x0011: "ASP Identifier", 0x0012: "Affected Point Code",
	0x0013: "Correlation ID", 0x0200: "Network Appearance", 0x0204: "User/Cause",
	0x0205: "Congestion Indications", 0x0206: "Concerned Destination", 0x0207: "Routing Key",
	0x0208: "Registration Result", 0x0209: "Deregistration Result",
	0x020a: "Local Routing Key Identifier", 0x020b: "Destination Point Code",
	0x020c: "Service Indicators", 0x020e: "Originating Point Code List",
	0x0210: "Protocol Data", 0x0212: "Registration Status", 0x0213: "Deregistration Status",
}

// m3uaText prints an M3UA message (RFC 4666) carried in a DATA chunk, as
// tcpdump -vv does: the message's class and type, then its parameters.
func m3uaText(p *Printer, m []byte) {
	if len(m) < 8 {
		p.b = append(p.b, " (invalid)"...)
		return
	}
	if m[0] != 1 {
		return
	}
	cls, typ := m[2], m[3]
	p.b = append(p.b, "\n\t\t"...)
	if c, ok := m3uaClasses[cls]; ok {
		p.b = append(p.b, c.name...)
		p.b = append(p.b, ' ')
		if int(typ) < len(c.types) && c.types[typ] != "" {
			p.b = append(p.b, c.types[typ]...)
		} else {
			p.b = append(p.b, "Unknown (0x"...)
			p.b = append(p.b, hexLower[typ>>4], hexLower[typ&15])
			p.b = append(p.b, ')')
		}
		p.b = append(p.b, " Message"...)
	} else {
		p.b = append(p.b, "Unknown message class "...)
		p.b = strconv.AppendUint(p.b, uint64(cls), 10)
	}
	ml := int(m[4])<<24 | int(m[5])<<16 | int(m[6])<<8 | int(m[7])
	if ml > len(m) {
		p.b = append(p.b, "\n\t\t\t@@@@@@ Corrupted length "...)
		p.b = strconv.AppendInt(p.b, int64(ml), 10)
		p.b = append(p.b, " of message @@@@@@"...)
		return
	}
	for i := 8; i+4 <= ml; {
		tag := uint16(m[i])<<8 | uint16(m[i+1])
		pl := int(m[i+2])<<8 | int(m[i+3])
		p.b = append(p.b, "\n\t\t\t"...)
		name, ok := m3uaParams[tag]
		if !ok {
			p.b = append(p.b, "Unknown Parameter (0x"...)
			p.b = appendHexBytes(p.b, m[i:i+2])
			p.b = append(p.b, "): (length "...)
			p.b = strconv.AppendInt(p.b, int64(pl), 10)
			p.b = append(p.b, ')')
		} else {
			p.b = append(p.b, name...)
			p.b = append(p.b, ": "...)
			switch tag {
			case 0x0006, 0x0013, 0x0200:
				// tcpdump shows the parameter's first four bytes here.
				p.b = append(p.b, "0x"...)
				p.b = appendHexBytes(p.b, m[i:i+4])
			default:
				p.b = append(p.b, "(length "...)
				p.b = strconv.AppendInt(p.b, int64(pl), 10)
				p.b = append(p.b, ')')
			}
		}
		if pl < 4 {
			return
		}
		i += (pl + 3) &^ 3
	}
}

// forcesTypes name the ForCES message types (RFC 5810 7) as tcpdump does.
var forcesTypes = map[byte]string{
	0x01: "Association Setup", 0x02: "Association TearDown", 0x03: "Config", 0x04: "Query",
	0x05: "Event Notification", 0x06: "Packet Redirect", 0x0f: "HeartBeat",
	0x11: "Association Response", 0x13: "Config Response", 0x14: "Query Response",
}

// sctpForCESText prints the type of a ForCES message (RFC 5810) and, with
// -v, its header.
func sctpForCESText(p *Printer, m []byte) {
	if len(m) < 24 {
		p.b = append(p.b, " [|forces]"...)
		return
	}
	name, ok := forcesTypes[m[1]]
	if !ok {
		return
	}
	p.b = append(p.b, "\n\tForCES "...)
	p.b = append(p.b, name...)
	p.b = append(p.b, ' ')
	if p.opt.Verbose == 0 {
		return
	}
	p.b = append(p.b, "\n\tForCES Version "...)
	p.b = strconv.AppendUint(p.b, uint64(m[0]>>4), 10)
	p.b = append(p.b, " len "...)
	p.b = strconv.AppendUint(p.b, (uint64(m[2])<<8|uint64(m[3]))*4, 10)
	p.b = append(p.b, "B flags 0x"...)
	p.b = appendHexBytes(p.b, m[20:24])
	p.b = append(p.b, " \n\tSrcID "...)
	forcesID(p, m[4:8])
	p.b = append(p.b, " DstID "...)
	forcesID(p, m[8:12])
	p.b = append(p.b, " Correlator 0x"...)
	var c uint64
	for _, x := range m[12:20] {
		c = c<<8 | uint64(x)
	}
	p.b = strconv.AppendUint(p.b, c, 16)
}

// forcesID prints a ForCES ID: hex, then its kind by its top bits (RFC
// 5810 4.2.1.2): CE, FE or broadcast.
func forcesID(p *Printer, b []byte) {
	v := uint64(b[0])<<24 | uint64(b[1])<<16 | uint64(b[2])<<8 | uint64(b[3])
	p.b = append(p.b, "0x"...)
	p.b = strconv.AppendUint(p.b, v, 16)
	switch {
	case v>>30 == 1:
		p.b = append(p.b, "(CE)"...)
	case v>>30 == 0:
		p.b = append(p.b, "(FE)"...)
	default:
		p.b = append(p.b, "(NB)"...)
	}
}
