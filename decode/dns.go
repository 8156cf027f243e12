package decode

import (
	"bytes"
	"strconv"
)

// DNS (RFC 1035) over UDP port 53, multicast DNS (RFC 6762) on port 5353,
// and DNS over TCP port 53 with its two-byte length prefix (RFC 1035 section
// 4.2.2); EDNS(0) (RFC 6891) and its options (RFC 7871 client subnet, RFC
// 7873 cookies, RFC 7828 keepalive, RFC 6975 algorithm signals, ...).
//
// The dissector fills the header, the questions and the resource records'
// common parts (names with their compression resolved into Tree.Text); the
// text walks the message's bytes as tcpdump prints them.

var (
	protoDNS           = proto("dns", "Domain Name System")
	fDNSLength         = field("dns.length", "Length", TypeUint16)
	fDNSID             = register(Field{Name: "dns.id", Title: "Transaction ID", Type: TypeUint16, Hex: true})
	fDNSFlags          = register(Field{Name: "dns.flags", Title: "Flags", Type: TypeUint16, Hex: true})
	fDNSFlagResponse   = flagField("dns.flags.response", "Response", 0x8000)
	fDNSFlagOpcode     = register(Field{Name: "dns.flags.opcode", Title: "Opcode", Type: TypeUint16, Mask: 0x7800})
	fDNSFlagAuth       = flagField("dns.flags.authoritative", "Authoritative", 0x0400)
	fDNSFlagTrunc      = flagField("dns.flags.truncated", "Truncated", 0x0200)
	fDNSFlagRD         = flagField("dns.flags.recdesired", "Recursion desired", 0x0100)
	fDNSFlagRA         = flagField("dns.flags.recavail", "Recursion available", 0x0080)
	fDNSFlagZ          = flagField("dns.flags.z", "Z", 0x0040)
	fDNSFlagAD         = flagField("dns.flags.authenticated", "Answer authenticated", 0x0020)
	fDNSFlagCD         = flagField("dns.flags.checkdisable", "Non-authenticated data", 0x0010)
	fDNSFlagRcode      = register(Field{Name: "dns.flags.rcode", Title: "Reply code", Type: TypeUint16, Mask: 0x000f})
	fDNSCountQueries   = field("dns.count.queries", "Questions", TypeUint16)
	fDNSCountAnswers   = field("dns.count.answers", "Answer RRs", TypeUint16)
	fDNSCountAuth      = field("dns.count.auth_rr", "Authority RRs", TypeUint16)
	fDNSCountAdd       = field("dns.count.add_rr", "Additional RRs", TypeUint16)
	fDNSQryName        = field("dns.qry.name", "Name", TypeString)
	fDNSQryType        = enumField("dns.qry.type", "Type", TypeUint16, nil)
	fDNSQryClass       = register(Field{Name: "dns.qry.class", Title: "Class", Type: TypeUint16, Hex: true})
	fDNSQryQU          = flagField("dns.qry.qu", "\"QU\" question", 0x8000)
	fDNSRespName       = field("dns.resp.name", "Name", TypeString)
	fDNSRespType       = enumField("dns.resp.type", "Type", TypeUint16, nil)
	fDNSRespClass      = register(Field{Name: "dns.resp.class", Title: "Class", Type: TypeUint16, Hex: true})
	fDNSRespCacheFlush = flagField("dns.resp.cache_flush", "Cache flush", 0x8000)
	fDNSRespTTL        = field("dns.resp.ttl", "Time to live", TypeUint32)
	fDNSRespLen        = field("dns.resp.len", "Data length", TypeUint16)
	fDNSA              = field("dns.a", "Address", TypeIPv4)
	fDNSAAAA           = field("dns.aaaa", "AAAA Address", TypeIPv6)
	fDNSNS             = field("dns.ns", "Name Server", TypeString)
	fDNSCNAME          = field("dns.cname", "CNAME", TypeString)
	fDNSPTR            = field("dns.ptr.domain_name", "Domain Name", TypeString)
	fDNSMXPref         = field("dns.mx.preference", "Preference", TypeUint16)
	fDNSMXExchange     = field("dns.mx.mail_exchange", "Mail Exchange", TypeString)
	fDNSTXT            = field("dns.txt", "TXT", TypeString)
	fDNSSRVService     = field("dns.srv.service", "Service", TypeString)
	fDNSSRVProto       = field("dns.srv.proto", "Protocol", TypeString)
	fDNSSRVName        = field("dns.srv.name", "Name", TypeString)
	fDNSSRVPriority    = field("dns.srv.priority", "Priority", TypeUint16)
	fDNSSRVWeight      = field("dns.srv.weight", "Weight", TypeUint16)
	fDNSSRVPort        = field("dns.srv.port", "Port", TypeUint16)
	fDNSSRVTarget      = field("dns.srv.target", "Target", TypeString)
	fDNSUDPSize        = field("dns.rr.udp_payload_size", "UDP payload size", TypeUint16)
	fDNSExtRcode       = field("dns.resp.ext_rcode", "Higher bits in extended RCODE", TypeUint8)
	fDNSEDNSVersion    = field("dns.resp.edns0_version", "EDNS0 version", TypeUint8)
	fDNSEDNSZ          = register(Field{Name: "dns.resp.z", Title: "Z", Type: TypeUint16, Hex: true})
	fDNSEDNSDO         = flagField("dns.resp.z.do", "DO bit", 0x8000)
	fDNSOpt            = field("dns.opt", "Option", TypeNone)
	fDNSOptCode        = field("dns.opt.code", "Option Code", TypeUint16)
	fDNSOptLen         = field("dns.opt.len", "Option Length", TypeUint16)
	fDNSOptData        = field("dns.opt.data", "Option Data", TypeBytes)
)

func init() {
	// Wireshark adds these two to responses only.
	registry[fDNSFlagAuth].BitIf = 0x8000
	registry[fDNSFlagRA].BitIf = 0x8000
	deriveBits(fDNSFlags, fDNSFlagResponse, fDNSFlagOpcode, fDNSFlagAuth, fDNSFlagTrunc, fDNSFlagRD, fDNSFlagRA, fDNSFlagZ, fDNSFlagAD, fDNSFlagCD)
	UDPPorts.Register(53, dissectDNS)
	UDPPorts.Register(5353, dissectMDNS)
	TCPPorts.Register(dnsTCPPort, dissectDNSTCP)
	registerText(protoDNS, textDNS)
}

// dnsTCPPort is DNS's TCP port: the only one whose payload is read as DNS
// (Want follows only its conversations for a reader of DNS fields alone).
const dnsTCPPort = 53

// The kinds of DNS layer, kept in the layer node's Val.
const (
	dnsOverUDP = 0
	dnsMDNS    = 1
	dnsOverTCP = 2
)

func dissectDNS(t *Tree, off, end int)  { dnsDissect(t, off, end, dnsOverUDP) }
func dissectMDNS(t *Tree, off, end int) { dnsDissect(t, off, end, dnsMDNS) }

func dissectDNSTCP(t *Tree, off, end int) {
	if off >= end {
		// No payload: a TCP segment without data is no DNS message.
		DissectData(t, off, end)
		return
	}
	dnsDissect(t, off, end, dnsOverTCP)
}

// dnsDissect adds the DNS layer of [off, end).
func dnsDissect(t *Tree, off, end int, kind uint64) {
	l := t.AddLayer(protoDNS, off, end-off)
	t.Nodes[l].Val = kind
	if kind == dnsOverTCP {
		if t.Avail(off, end) < 2 {
			t.Mark(l, Truncated)
			return
		}
		t.Add(l, fDNSLength, off, 2, t.U16(off))
		off += 2
	}
	if end-off < 12 {
		t.Mark(l, Malformed)
		return
	}
	if t.Avail(off, end) < 12 {
		t.Mark(l, Truncated)
		return
	}
	msg := off
	t.Add(l, fDNSID, off, 2, t.U16(off))
	fl := t.U16(off + 2)
	f := t.Add(l, fDNSFlags, off+2, 2, fl)
	if fl&0x8000 != 0 {
		t.Add(f, fDNSFlagRcode, off+2, 2, fl&0xf)
	}
	qd, an, ns, ar := t.U16(off+4), t.U16(off+6), t.U16(off+8), t.U16(off+10)
	t.Add(l, fDNSCountQueries, off+4, 2, qd)
	t.Add(l, fDNSCountAnswers, off+6, 2, an)
	t.Add(l, fDNSCountAuth, off+8, 2, ns)
	t.Add(l, fDNSCountAdd, off+10, 2, ar)
	cend := end
	if cend > len(t.Data) {
		cend = len(t.Data)
	}
	m := t.Data[msg:cend]
	p := 12
	for i := uint64(0); i < qd; i++ {
		next, ok := dnsSkipName(m, p)
		if !ok || next+4 > len(m) {
			t.Mark(l, Truncated)
			return
		}
		nm := dnsAddName(t, l, fDNSQryName, msg, m, p, next)
		typ, cls := uint64(m[next])<<8|uint64(m[next+1]), uint64(m[next+2])<<8|uint64(m[next+3])
		t.Add(nm, fDNSQryType, msg+next, 2, typ)
		c := t.Add(nm, fDNSQryClass, msg+next+2, 2, cls)
		if kind == dnsMDNS {
			t.Add(c, fDNSQryQU, msg+next+2, 2, cls>>15)
		}
		p = next + 4
	}
	for i := uint64(0); i < an+ns+ar; i++ {
		next, ok := dnsSkipName(m, p)
		if !ok || next+10 > len(m) {
			t.Mark(l, Truncated)
			return
		}
		typ, cls := uint64(m[next])<<8|uint64(m[next+1]), uint64(m[next+2])<<8|uint64(m[next+3])
		var nm int
		if typ == 33 {
			nm = dnsAddSRVName(t, l, msg, m, p, next)
		} else {
			nm = dnsAddName(t, l, fDNSRespName, msg, m, p, next)
		}
		ttl := uint64(m[next+4])<<24 | uint64(m[next+5])<<16 | uint64(m[next+6])<<8 | uint64(m[next+7])
		rdl := int(m[next+8])<<8 | int(m[next+9])
		t.Add(nm, fDNSRespType, msg+next, 2, typ)
		rd := next + 10
		if typ == 41 {
			t.Add(nm, fDNSUDPSize, msg+next+2, 2, cls)
			t.Add(nm, fDNSExtRcode, msg+next+4, 1, ttl>>24)
			t.Add(nm, fDNSEDNSVersion, msg+next+5, 1, ttl>>16&0xff)
			z := t.Add(nm, fDNSEDNSZ, msg+next+6, 2, ttl&0xffff)
			t.Add(z, fDNSEDNSDO, msg+next+6, 2, ttl>>15&1)
		} else {
			c := t.Add(nm, fDNSRespClass, msg+next+2, 2, cls)
			if kind == dnsMDNS {
				t.Add(c, fDNSRespCacheFlush, msg+next+2, 2, cls>>15)
			}
			t.Add(nm, fDNSRespTTL, msg+next+4, 4, ttl)
		}
		t.Add(nm, fDNSRespLen, msg+next+8, 2, uint64(rdl))
		if rd+rdl > len(m) {
			t.Mark(nm, Truncated)
			return
		}
		switch typ {
		case 1:
			if rdl == 4 {
				t.AddBytes(nm, fDNSA, msg+rd, 4)
			}
		case 28:
			if rdl == 16 {
				t.AddBytes(nm, fDNSAAAA, msg+rd, 16)
			}
		case 2, 5, 12:
			if e, ok := dnsSkipName(m, rd); ok && e <= rd+rdl {
				f := fDNSNS
				if typ == 5 {
					f = fDNSCNAME
				} else if typ == 12 {
					f = fDNSPTR
				}
				dnsAddName(t, nm, f, msg, m, rd, e)
			}
		case 15:
			if rdl >= 3 {
				t.Add(nm, fDNSMXPref, msg+rd, 2, uint64(m[rd])<<8|uint64(m[rd+1]))
				if e, ok := dnsSkipName(m, rd+2); ok && e <= rd+rdl {
					dnsAddName(t, nm, fDNSMXExchange, msg, m, rd+2, e)
				}
			}
		case 33:
			if rdl >= 7 {
				t.Add(nm, fDNSSRVPriority, msg+rd, 2, uint64(m[rd])<<8|uint64(m[rd+1]))
				t.Add(nm, fDNSSRVWeight, msg+rd+2, 2, uint64(m[rd+2])<<8|uint64(m[rd+3]))
				t.Add(nm, fDNSSRVPort, msg+rd+4, 2, uint64(m[rd+4])<<8|uint64(m[rd+5]))
				if e, ok := dnsSkipName(m, rd+6); ok && e <= rd+rdl {
					dnsAddName(t, nm, fDNSSRVTarget, msg, m, rd+6, e)
				}
			}
		case 16:
			for q := rd; q < rd+rdl; {
				n := int(m[q])
				if q+1+n > rd+rdl {
					break
				}
				t.AddBytes(nm, fDNSTXT, msg+q+1, n)
				q += 1 + n
			}
		case 41:
			for q := rd; q+4 <= rd+rdl; {
				code, n := uint64(m[q])<<8|uint64(m[q+1]), int(m[q+2])<<8|int(m[q+3])
				o := t.Add(nm, fDNSOpt, msg+q, 4+n, 0)
				t.Add(o, fDNSOptCode, msg+q, 2, code)
				t.Add(o, fDNSOptLen, msg+q+2, 2, uint64(n))
				if q+4+n > rd+rdl {
					break
				}
				if n > 0 {
					t.AddBytes(o, fDNSOptData, msg+q+4, n)
				}
				q += 4 + n
			}
		}
		p = rd + rdl
	}
}

// dnsAddName adds the name at p (ending in place at next) of message m,
// which starts at packet offset msg, as a field of parent with its text in
// Tree.Text.
func dnsAddName(t *Tree, parent int, f FieldID, msg int, m []byte, p, next int) int {
	start := len(t.Text)
	t.Text, _ = dnsAppendName(t.Text, m, p)
	// Wireshark's form: no final dot, and the root named.
	if len(t.Text)-start == 1 && t.Text[start] == '.' {
		t.Text = append(t.Text[:start], "<Root>"...)
	} else if len(t.Text) > start+1 && t.Text[len(t.Text)-1] == '.' {
		t.Text = t.Text[:len(t.Text)-1]
	}
	i := t.Add(parent, f, msg+p, next-p, 0)
	t.SetText(i, start)
	return i
}

// dnsAddSRVName adds an SRV record's owner name as Wireshark splits it: its
// first label is dns.srv.service (the record's node, which it returns), its
// second dns.srv.proto and the rest dns.srv.name, each there when the name
// has it; the record has no dns.resp.name.
func dnsAddSRVName(t *Tree, parent int, msg int, m []byte, p, next int) int {
	nm := dnsAddName(t, parent, fDNSSRVService, msg, m, p, next)
	start, size := int(t.Nodes[nm].Val>>32), int(t.Nodes[nm].Val&0xffffffff)
	dot := bytes.IndexByte(t.Text[start:start+size], '.')
	if dot < 0 {
		return nm
	}
	t.Nodes[nm].Val = uint64(start)<<32 | uint64(dot)
	rest, end := start+dot+1, start+size
	part := end
	if d := bytes.IndexByte(t.Text[rest:end], '.'); d >= 0 {
		part = rest + d
	}
	dnsTextPart(t, nm, fDNSSRVProto, msg+p, next-p, rest, part)
	if part < end {
		dnsTextPart(t, nm, fDNSSRVName, msg+p, next-p, part+1, end)
	}
	return nm
}

// dnsTextPart adds field f over n packet bytes at off whose value is
// Tree.Text[from:to], a part of a value already there.
func dnsTextPart(t *Tree, parent int, f FieldID, off, n, from, to int) {
	i := t.Add(parent, f, off, n, uint64(from)<<32|uint64(to-from))
	t.Nodes[i].Flags |= InText
}

// dnsSkipName is the offset after the name at p as it sits in m (a
// compression pointer ends it), and false when its labels are cut short or
// of a type that cannot be skipped.
func dnsSkipName(m []byte, p int) (int, bool) {
	for {
		if p >= len(m) {
			return p, false
		}
		c := int(m[p])
		switch c & 0xc0 {
		case 0xc0:
			// The pointer's second byte is not needed to skip it.
			return p + 2, true
		case 0x40:
			if c != 0x41 || p+2 > len(m) {
				return p, false
			}
			bits := int(m[p+1])
			if bits == 0 {
				bits = 256
			}
			p += 2 + (bits+7)/8
		case 0x80:
			return p, false
		default:
			if c == 0 {
				return p + 1, true
			}
			p += 1 + c
		}
	}
}

// dnsAppendChar appends byte c of a name as appendPrintable does.
func dnsAppendChar(b []byte, c byte) []byte { return appendPrintable(b, c) }

// dnsMaxName is how many bytes of labels tcpdump prints of one name.
const dnsMaxName = 255

// dnsAppendName appends the name at p of message m, following compression
// pointers (each must point before the one followed last), and reports
// false when it ends in an error that ends the message's printing (the
// error's mark is appended).
func dnsAppendName(b []byte, m []byte, p int) ([]byte, bool) {
	limit := p // a pointer must point before this
	total := 0
	first := true
	long := false
	for {
		if p >= len(m) {
			return b, false
		}
		c := int(m[p])
		switch c & 0xc0 {
		case 0xc0:
			if p+2 > len(m) {
				return b, false
			}
			to := (c&0x3f)<<8 | int(m[p+1])
			if to >= limit {
				return append(b, "<BAD PTR>"...), false
			}
			limit = to
			p = to
			first = false
			continue
		case 0x40:
			if c != 0x41 {
				b = append(b, "<ELT "...)
				b = strconv.AppendInt(b, int64(c&0x3f), 10)
				return append(b, '>'), false
			}
			if p+2 > len(m) {
				return b, false
			}
			bits := int(m[p+1])
			if bits == 0 {
				bits = 256
			}
			nb := (bits + 7) / 8
			if p+2+nb > len(m) {
				return b, false
			}
			b = append(b, `\[x`...)
			for i := 0; i < bits/8; i++ {
				x := m[p+2+i]
				b = append(b, dnsHexDigits[x>>4], dnsHexDigits[x&0xf])
			}
			if r := bits % 8; r != 0 {
				x := m[p+2+bits/8] & byte(0xff<<uint(8-r))
				b = append(b, dnsHexDigits[x>>4])
				if r > 4 {
					b = append(b, dnsHexDigits[x&0xf])
				}
			}
			b = append(b, '/')
			b = strconv.AppendInt(b, int64(bits), 10)
			b = append(b, "]."...)
			total += nb + 1
			p += 2 + nb
			first = false
			continue
		case 0x80:
			return append(b, "<BAD LABEL TYPE>"...), false
		}
		if c == 0 {
			if first {
				b = append(b, '.')
			}
			if long || total > dnsMaxName {
				b = append(b, "<DOMAIN NAME TOO LONG>"...)
			}
			return b, true
		}
		if p+1+c > len(m) {
			// Print what was captured of the label first.
			for i := p + 1; i < len(m) && !long; i++ {
				if total >= dnsMaxName {
					long = true
					break
				}
				b = appendPrintable(b, m[i])
				total++
			}
			return b, false
		}
		// Past the most tcpdump prints, the labels are still walked for
		// errors.
		for i := p + 1; i <= p+c && !long; i++ {
			if total >= dnsMaxName {
				long = true
				break
			}
			b = appendPrintable(b, m[i])
			total++
		}
		if !long {
			b = append(b, '.')
			total++
		}
		first = false
		p += 1 + c
	}
}

// dnsHexDigits are the digits of lower-case hexadecimal.
const dnsHexDigits = "0123456789abcdef"

// dnsTypeNames are the record types tcpdump names.
var dnsTypeNames = map[uint16]string{
	1: "A", 2: "NS", 3: "MD", 4: "MF", 5: "CNAME", 6: "SOA", 7: "MB", 8: "MG", 9: "MR", 10: "NULL",
	11: "WKS", 12: "PTR", 13: "HINFO", 14: "MINFO", 15: "MX", 16: "TXT", 17: "RP", 18: "AFSDB",
	19: "X25", 20: "ISDN", 21: "RT", 22: "NSAP", 23: "NSAP_PTR", 24: "SIG", 25: "KEY", 26: "PX",
	27: "GPOS", 28: "AAAA", 29: "LOC", 30: "NXT", 31: "EID", 32: "NIMLOC", 33: "SRV", 34: "ATMA",
	35: "NAPTR", 36: "KX", 37: "CERT", 38: "A6", 39: "DNAME", 40: "SINK", 41: "OPT", 42: "APL",
	43: "DS", 44: "SSHFP", 45: "IPSECKEY", 46: "RRSIG", 47: "NSEC", 48: "DNSKEY", 99: "SPF",
	100: "UINFO", 101: "UID", 102: "GID", 103: "UNSPEC", 104: "UNSPECA", 249: "TKEY", 250: "TSIG",
	251: "IXFR", 252: "AXFR", 253: "MAILB", 254: "MAILA", 255: "ANY", 256: "URI",
}

var dnsOpcodeNames = [16]string{"", "inv_q", "stat", "op3", "notify", "update", "op6", "op7",
	"op8", "updateA", "updateD", "updateDA", "updateM", "updateMA", "zoneInit", "zoneRef"}

var dnsRcodeNames = [...]string{"", "FormErr", "ServFail", "NXDomain", "NotImp", "Refused",
	"YXDomain", "YXRRSet", "NXRRSet", "NotAuth", "NotZone", "Resp11", "Resp12", "Resp13",
	"Resp14", "NoChange", "BadVers", "BadKey", "BadTime", "BadMode", "BadName", "BadAlg",
	"BadTrunc", "BadCookie"}

var dnsOptNames = map[uint16]string{1: "LLQ", 2: "UL", 3: "NSID", 5: "DAU", 6: "DHU", 7: "N3U",
	8: "ECS", 9: "EXPIRE", 10: "COOKIE", 11: "KEEPALIVE", 12: "PADDING", 13: "CHAIN", 14: "KEY-TAG",
	16: "CLIENT-TAG"}

var dnsDAUNames = map[byte]string{0: "DELETE", 1: "RSAMD5", 2: "DH", 3: "DS", 5: "RSASHA1", 6: "DSA-NSEC3-SHA1",
	7: "RSASHA1-NSEC3-SHA1", 8: "RSASHA256", 10: "RSASHA512", 12: "ECC-GOST", 13: "ECDSAP256SHA256",
	14: "ECDSAP384SHA384", 15: "ED25519", 16: "ED448", 252: "INDIRECT", 253: "PRIVATEDNS", 254: "PRIVATEOID"}

var dnsDHUNames = map[byte]string{1: "SHA-1", 2: "SHA-256", 3: "GOST_R_34.11-94", 4: "SHA-384"}

var dnsN3UNames = map[byte]string{1: "SHA-1"}

// dnsText prints one message: the state of the walk.
type dnsText struct {
	p      *Printer
	m      []byte // the message as captured
	length int    // the message's length
	mdns   bool
	bad    bool // the walk stopped at an error (its mark printed)
}

// textDNS prints a DNS layer as tcpdump does.
func textDNS(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	node := &t.Nodes[n]
	off, end := int(node.Off), int(node.Off)+int(node.Len)
	kind := node.Val
	if kind == dnsOverTCP {
		p.b = append(p.b, ' ')
		if end-off < 2 {
			p.b = append(p.b, "[DNS over TCP: length "...)
			p.b = strconv.AppendInt(p.b, int64(end-off), 10)
			p.b = append(p.b, " < 2] (invalid)"...)
			return
		}
		if t.Avail(off, end) < 2 {
			p.b = append(p.b, "[|domain]"...)
			return
		}
		plen := int(t.U16(off))
		off += 2
		if plen != end-off {
			p.b = append(p.b, "[prefix length("...)
			p.b = strconv.AppendInt(p.b, int64(plen), 10)
			p.b = append(p.b, ") != length("...)
			p.b = strconv.AppendInt(p.b, int64(end-off), 10)
			p.b = append(p.b, ")] (invalid)"...)
			return
		}
	}
	if end-off < 12 {
		p.b = append(p.b, "domain [length "...)
		p.b = strconv.AppendInt(p.b, int64(end-off), 10)
		p.b = append(p.b, " < 12] (invalid)"...)
		return
	}
	// tcpdump reads up to where the IP layer ends, past a UDP length
	// that says less.
	_, _, avail := udpLayerSpan(t, n)
	cend := int(node.Off) + avail
	if off > cend {
		off = cend
	}
	d := dnsText{p: p, m: t.Data[off:cend], length: end - off, mdns: kind == dnsMDNS}
	d.message()
}

func (d *dnsText) u16(o int) int { return int(d.m[o])<<8 | int(d.m[o+1]) }

// trunc prints tcpdump's mark of a message cut short.
func (d *dnsText) trunc() {
	d.p.b = append(d.p.b, " [|domain]"...)
}

func (d *dnsText) message() {
	p := d.p
	m := d.m
	if len(m) < 12 {
		p.b = append(p.b, " [|domain]"...)
		return
	}
	id, fl := d.u16(0), d.u16(2)
	qd, an, ns, ar := d.u16(4), d.u16(6), d.u16(8), d.u16(10)
	opcode := fl >> 11 & 0xf
	p.b = strconv.AppendInt(p.b, int64(id), 10)
	vv := p.opt.Verbose > 1
	if fl&0x8000 != 0 {
		if opcode != 0 {
			p.b = append(p.b, ' ')
			p.b = append(p.b, dnsOpcodeNames[opcode]...)
		}
		rcode := fl & 0xf
		if ext, ok := d.extRcode(qd, an, ns, ar); ok {
			rcode |= ext << 4
		}
		if rcode != 0 {
			p.b = append(p.b, ' ')
			if rcode < len(dnsRcodeNames) {
				p.b = append(p.b, dnsRcodeNames[rcode]...)
			} else {
				p.b = append(p.b, "Resp"...)
				p.b = strconv.AppendInt(p.b, int64(rcode), 10)
			}
		}
		if fl&0x0400 != 0 {
			p.b = append(p.b, '*')
		}
		if fl&0x0080 == 0 {
			p.b = append(p.b, '-')
		}
		if fl&0x0200 != 0 {
			p.b = append(p.b, '|')
		}
		if fl&0x0020 != 0 {
			p.b = append(p.b, '$')
		}
		if qd != 1 {
			p.b = appendDNSCount(p.b, qd, "q]")
		}
		o := 12
		for i := 0; i < qd; i++ {
			if vv {
				if i > 0 {
					p.b = append(p.b, ',')
				}
				p.b = append(p.b, " q:"...)
				var ok bool
				if o, ok = d.question(o); !ok {
					return
				}
			} else {
				// Skipped: the name must be there, its type and class
				// need not.
				next, ok := dnsSkipName(m, o)
				if !ok {
					d.trunc()
					return
				}
				o = next + 4
				if i < qd-1 {
					p.b = append(p.b, ',')
				}
			}
		}
		p.b = append(p.b, ' ')
		p.b = strconv.AppendInt(p.b, int64(an), 10)
		p.b = append(p.b, '/')
		p.b = strconv.AppendInt(p.b, int64(ns), 10)
		p.b = append(p.b, '/')
		p.b = strconv.AppendInt(p.b, int64(ar), 10)
		if !d.sections(o, an, ns, ar, vv) {
			return
		}
	} else {
		if opcode != 0 {
			p.b = append(p.b, ' ')
			p.b = append(p.b, dnsOpcodeNames[opcode]...)
		}
		if fl&0x0100 != 0 {
			p.b = append(p.b, '+')
		}
		if fl&0x0010 != 0 {
			p.b = append(p.b, '%')
		}
		if fl&0x06cf != 0 {
			p.b = append(p.b, " [b2&3=0x"...)
			p.b = strconv.AppendUint(p.b, uint64(fl), 16)
			p.b = append(p.b, ']')
		}
		if opcode == 1 {
			p.b = appendDNSCount(p.b, qd, "q]")
			if an != 1 {
				p.b = appendDNSCount(p.b, an, "a]")
			}
		} else {
			if an != 0 {
				p.b = appendDNSCount(p.b, an, "a]")
			}
			if qd != 1 {
				p.b = appendDNSCount(p.b, qd, "q]")
			}
		}
		if ns != 0 {
			p.b = appendDNSCount(p.b, ns, "n]")
		}
		if ar != 0 {
			p.b = appendDNSCount(p.b, ar, "au]")
		}
		o := 12
		for i := 0; i < qd; i++ {
			var ok bool
			if o, ok = d.question(o); !ok {
				return
			}
		}
		if vv && !d.sections(o, an, ns, ar, true) {
			return
		}
	}
	p.b = append(p.b, " ("...)
	p.b = strconv.AppendInt(p.b, int64(d.length), 10)
	p.b = append(p.b, ')')
}

// appendDNSCount appends " [" and the count n of a section, then tag
// ("q]", "a]", "n]" or "au]").
func appendDNSCount(b []byte, n int, tag string) []byte {
	b = append(b, " ["...)
	b = strconv.AppendInt(b, int64(n), 10)
	return append(b, tag...)
}

// sections prints the an answer records from o, then, with rest, the ns
// authority and ar additional records; false when the message's printing
// ended in them.
func (d *dnsText) sections(o, an, ns, ar int, rest bool) bool {
	var ok bool
	if an > 0 {
		if o, ok = d.section(o, an, ""); !ok {
			return false
		}
	}
	if !rest {
		return true
	}
	if ns > 0 {
		if o, ok = d.section(o, ns, " ns:"); !ok {
			return false
		}
	}
	if ar > 0 {
		if _, ok = d.section(o, ar, " ar:"); !ok {
			return false
		}
	}
	return true
}

// extRcode finds the OPT record's upper rcode bits.
func (d *dnsText) extRcode(qd, an, ns, ar int) (int, bool) {
	m := d.m
	o := 12
	for i := 0; i < qd; i++ {
		next, ok := dnsSkipName(m, o)
		if !ok {
			return 0, false
		}
		o = next + 4
	}
	for i := 0; i < an+ns+ar; i++ {
		next, ok := dnsSkipName(m, o)
		if !ok || next+2 > len(m) {
			return 0, false
		}
		if d.u16(next) == 41 && i >= an+ns {
			if next+5 > len(m) {
				return 0, false
			}
			return int(m[next+4]), true
		}
		if next+10 > len(m) {
			return 0, false
		}
		o = next + 10 + d.u16(next+8)
	}
	return 0, false
}

// question prints " TYPE? name." and is the offset after it.
func (d *dnsText) question(o int) (int, bool) {
	p := d.p
	next, ok := dnsSkipName(d.m, o)
	if !ok || next+4 > len(d.m) {
		d.trunc()
		return o, false
	}
	typ, cls := d.u16(next), d.u16(next+2)
	p.b = append(p.b, ' ')
	d.appendType(typ)
	if d.mdns {
		if cls != 1 && cls&0x7fff != 1 {
			p.b = append(p.b, ' ')
			d.appendClass(cls & 0x7fff)
		}
		if cls&0x8000 != 0 {
			p.b = append(p.b, " (QU)"...)
		} else {
			p.b = append(p.b, " (QM)"...)
		}
	} else if cls != 1 {
		p.b = append(p.b, ' ')
		d.appendClass(cls)
	}
	p.b = append(p.b, "? "...)
	if !d.name(o) {
		return o, false
	}
	return next + 4, true
}

// name prints the name at o; false when its printing failed (the failure
// marked).
func (d *dnsText) name(o int) bool {
	var ok bool
	d.p.b, ok = dnsAppendName(d.p.b, d.m, o)
	if !ok {
		d.trunc()
	}
	return ok
}

// spacedName prints a space and the name at o, and is the offset after
// the name; false when printing or skipping it failed (the failure
// marked).
func (d *dnsText) spacedName(o int) (int, bool) {
	d.p.b = append(d.p.b, ' ')
	if !d.name(o) {
		return o, false
	}
	e, ok := dnsSkipName(d.m, o)
	if !ok {
		d.trunc()
		return o, false
	}
	return e, true
}

// cut marks a record cut short and is what rr then returns for it.
func (d *dnsText) cut(o int) (int, int) {
	d.trunc()
	return o, rrTrunc
}

func (d *dnsText) appendType(typ int) {
	if s, ok := dnsTypeNames[uint16(typ)]; ok {
		d.p.b = append(d.p.b, s...)
		return
	}
	d.p.b = append(d.p.b, "Type"...)
	d.p.b = strconv.AppendInt(d.p.b, int64(typ), 10)
}

func (d *dnsText) appendClass(cls int) {
	switch cls {
	case 1:
		d.p.b = append(d.p.b, "IN"...)
	case 3:
		d.p.b = append(d.p.b, "CHAOS"...)
	case 4:
		d.p.b = append(d.p.b, "HS"...)
	case 255:
		d.p.b = append(d.p.b, "ANY"...)
	default:
		d.p.b = append(d.p.b, "(Class "...)
		d.p.b = strconv.AppendInt(d.p.b, int64(cls), 10)
		d.p.b = append(d.p.b, ')')
	}
}

// section prints count records after lead, separated by commas.
func (d *dnsText) section(o, count int, lead string) (int, bool) {
	if lead != "" {
		// The authority and additional sections need their first byte.
		if o < 0 || o >= len(d.m) {
			d.trunc()
			return o, false
		}
		d.p.b = append(d.p.b, lead...)
	}
	o, st := d.rr(o)
	count--
	for st == rrOK && count > 0 && o < len(d.m) {
		d.p.b = append(d.p.b, ',')
		o, st = d.rr(o)
		count--
	}
	if st == rrTrunc {
		return o, false
	}
	if count > 0 {
		d.trunc()
		return o, false
	}
	if st == rrNone {
		return -1, true
	}
	return o, true
}

// What rr made of a record: printed, not there (its fixed part not
// captured: the walk goes on without it), or cut short (the mark printed,
// the message ends).
const (
	rrOK = iota
	rrNone
	rrTrunc
)

// rr prints one resource record and is the offset after it.
func (d *dnsText) rr(o int) (int, int) {
	p := d.p
	m := d.m
	v := p.opt.Verbose > 0
	if v {
		p.b = append(p.b, ' ')
		if !d.name(o) {
			return o, rrTrunc
		}
	}
	next, ok := dnsSkipName(m, o)
	if !ok || next+10 > len(m) {
		return o, rrNone
	}
	p.b = append(p.b, ' ')
	typ, cls := d.u16(next), d.u16(next+2)
	ttl := uint32(m[next+4])<<24 | uint32(m[next+5])<<16 | uint32(m[next+6])<<8 | uint32(m[next+7])
	rdl := d.u16(next + 8)
	rd := next + 10
	if typ == 41 && d.mdns && cls&0x8000 != 0 {
		p.b = append(p.b, "(Cache flush) "...)
	}
	if typ != 41 {
		if d.mdns {
			if cls&0x7fff != 1 {
				d.appendClass(cls & 0x7fff)
				p.b = append(p.b, ' ')
			}
			if cls&0x8000 != 0 {
				p.b = append(p.b, "(Cache flush) "...)
			}
		} else if cls != 1 {
			d.appendClass(cls)
			p.b = append(p.b, ' ')
		}
		if p.opt.Verbose > 2 {
			p.b = append(p.b, '[')
			p.b = dnsRelTime(p.b, ttl)
			p.b = append(p.b, "] "...)
		}
	}
	d.appendType(typ)
	end := rd + rdl
	if end > len(m) {
		return d.cut(o)
	}
	switch typ {
	case 1:
		if rd+4 > len(m) {
			return d.cut(o)
		}
		p.b = append(p.b, ' ')
		p.b = appendIPv4(p.b, m[rd:rd+4])
	case 28:
		if rd+16 > len(m) {
			return d.cut(o)
		}
		p.b = append(p.b, ' ')
		p.b = appendIPv6(p.b, m[rd:rd+16])
	case 2, 5, 12, 39:
		p.b = append(p.b, ' ')
		if !d.name(rd) {
			return o, rrTrunc
		}
	case 6:
		if !v {
			break
		}
		e, ok := d.spacedName(rd)
		if !ok {
			return o, rrTrunc
		}
		if e, ok = d.spacedName(e); !ok {
			return o, rrTrunc
		}
		if e+20 > len(m) {
			return d.cut(o)
		}
		for i := 0; i < 5; i++ {
			p.b = append(p.b, ' ')
			x := uint32(m[e])<<24 | uint32(m[e+1])<<16 | uint32(m[e+2])<<8 | uint32(m[e+3])
			p.b = strconv.AppendUint(p.b, uint64(x), 10)
			e += 4
		}
	case 15:
		p.b = append(p.b, ' ')
		if rd+2 > len(m) {
			return d.cut(o)
		}
		if !d.name(rd + 2) {
			return o, rrTrunc
		}
		p.b = append(p.b, ' ')
		p.b = strconv.AppendInt(p.b, int64(d.u16(rd)), 10)
	case 16:
		for q := rd; q < end; {
			n := int(m[q])
			p.b = append(p.b, ' ', '"')
			q++
			for i := 0; i < n && q < end; i++ {
				p.b = appendPrintable(p.b, m[q])
				q++
			}
			p.b = append(p.b, '"')
		}
	case 33:
		if rd+6 > len(m) {
			return d.cut(o)
		}
		p.b = append(p.b, ' ')
		if !d.name(rd + 6) {
			return o, rrTrunc
		}
		p.b = append(p.b, ':')
		p.b = strconv.AppendInt(p.b, int64(d.u16(rd+4)), 10)
		p.b = append(p.b, ' ')
		p.b = strconv.AppendInt(p.b, int64(d.u16(rd)), 10)
		p.b = append(p.b, ' ')
		p.b = strconv.AppendInt(p.b, int64(d.u16(rd+2)), 10)
	case 256:
		if rd+4 > len(m) {
			return d.cut(o)
		}
		p.b = append(p.b, ' ')
		p.b = strconv.AppendInt(p.b, int64(d.u16(rd)), 10)
		p.b = append(p.b, ' ')
		p.b = strconv.AppendInt(p.b, int64(d.u16(rd+2)), 10)
		p.b = append(p.b, ' ')
		if rdl < 4 {
			// The target's length wraps: all the capture is printed.
			for i := rd + 4; i < len(m); i++ {
				p.b = appendPrintable(p.b, m[i])
			}
			return d.cut(o)
		}
		for i := rd + 4; i < end; i++ {
			p.b = appendPrintable(p.b, m[i])
		}
	case 38:
		if rdl < 1 {
			return d.cut(o)
		}
		pbits := int(m[rd])
		if pbits > 128 {
			break
		}
		nb := 16 - pbits/8
		if rd+1+nb > end {
			return d.cut(o)
		}
		var a [16]byte
		copy(a[16-nb:], m[rd+1:rd+1+nb])
		p.b = append(p.b, ' ')
		p.b = strconv.AppendInt(p.b, int64(pbits), 10)
		p.b = append(p.b, ' ')
		p.b = appendIPv6(p.b, a[:])
		if pbits > 0 {
			p.b = append(p.b, ' ')
			if !d.name(rd + 1 + nb) {
				return o, rrTrunc
			}
		}
	case 250:
		if !v {
			break
		}
		e, ok := d.spacedName(rd)
		if !ok {
			return o, rrTrunc
		}
		if e+10 > len(m) {
			return d.cut(o)
		}
		e += 6 // time signed
		p.b = append(p.b, " fudge="...)
		p.b = strconv.AppendInt(p.b, int64(d.u16(e)), 10)
		mac := d.u16(e + 2)
		p.b = append(p.b, " maclen="...)
		p.b = strconv.AppendInt(p.b, int64(mac), 10)
		e += 4 + mac
		if e+6 > len(m) {
			return d.cut(o)
		}
		p.b = append(p.b, " origid="...)
		p.b = strconv.AppendInt(p.b, int64(d.u16(e)), 10)
		p.b = append(p.b, " error="...)
		p.b = strconv.AppendInt(p.b, int64(d.u16(e+2)), 10)
		p.b = append(p.b, " otherlen="...)
		p.b = strconv.AppendInt(p.b, int64(d.u16(e+4)), 10)
	case 41:
		p.b = append(p.b, " UDPsize="...)
		if d.mdns {
			cls &= 0x7fff
		}
		p.b = strconv.AppendInt(p.b, int64(cls), 10)
		if ttl&0x8000 != 0 {
			p.b = append(p.b, " DO"...)
		}
		if rdl > 0 {
			p.b = append(p.b, " ["...)
			if !d.options(rd, end) {
				return o, rrTrunc
			}
			p.b = append(p.b, ']')
		}
	}
	return end, rrOK
}

// options prints the EDNS options of [o, end).
func (d *dnsText) options(o, end int) bool {
	p := d.p
	m := d.m
	for first := true; o < end; first = false {
		// Each option is read as far as the capture goes, past the
		// record's end if it says so.
		if !first {
			p.b = append(p.b, ',')
		}
		if o+2 > len(m) {
			d.trunc()
			return false
		}
		code := d.u16(o)
		if s, ok := dnsOptNames[uint16(code)]; ok {
			p.b = append(p.b, s...)
		} else {
			p.b = append(p.b, "Opt"...)
			p.b = strconv.AppendInt(p.b, int64(code), 10)
		}
		if o+4 > len(m) {
			d.trunc()
			return false
		}
		n := d.u16(o + 2)
		o += 4
		if o+n > len(m) {
			d.trunc()
			return false
		}
		data := m[o : o+n]
		o += n
		if n == 0 {
			continue
		}
		p.b = append(p.b, ' ')
		switch code {
		case 5, 6, 7:
			names := dnsDAUNames
			if code == 6 {
				names = dnsDHUNames
			} else if code == 7 {
				names = dnsN3UNames
			}
			for i, a := range data {
				if i > 0 {
					p.b = append(p.b, ' ')
				}
				if s, ok := names[a]; ok {
					p.b = append(p.b, s...)
				} else {
					p.b = append(p.b, "Alg_"...)
					p.b = strconv.AppendInt(p.b, int64(a), 10)
				}
			}
		case 8:
			if n < 4 {
				p.b = append(p.b, " (invalid)"...)
				continue
			}
			fam, src, scope := int(data[0])<<8|int(data[1]), int(data[2]), int(data[3])
			addr := data[4:]
			switch {
			case len(addr) != (src+7)/8:
				p.b = append(p.b, " (invalid)"...)
				continue
			case fam == 1 && len(addr) <= 4 && src <= 32 && scope <= 32:
				var a [4]byte
				copy(a[:], addr)
				p.b = appendIPv4(p.b, a[:])
			case fam == 2 && len(addr) <= 16 && src <= 128 && scope <= 128:
				var a [16]byte
				copy(a[:], addr)
				p.b = appendIPv6(p.b, a[:])
			default:
				p.b = append(p.b, " (invalid)"...)
				continue
			}
			p.b = append(p.b, '/')
			p.b = strconv.AppendInt(p.b, int64(src), 10)
			p.b = append(p.b, '/')
			p.b = strconv.AppendInt(p.b, int64(scope), 10)
		case 9:
			if n == 4 {
				x := uint32(data[0])<<24 | uint32(data[1])<<16 | uint32(data[2])<<8 | uint32(data[3])
				p.b = strconv.AppendUint(p.b, uint64(x), 10)
				p.b = append(p.b, " sec"...)
			} else {
				p.b = append(p.b, " (invalid)"...)
			}
		case 10:
			if n == 8 || n >= 16 && n <= 40 {
				p.b = appendHexBytes(p.b, data[:8])
				if n > 8 {
					p.b = append(p.b, ' ')
					p.b = appendHexBytes(p.b, data[8:])
				}
			} else {
				p.b = append(p.b, " (invalid)"...)
			}
		case 11:
			if n == 2 {
				x := int(data[0])<<8 | int(data[1])
				p.b = strconv.AppendInt(p.b, int64(x/10), 10)
				p.b = append(p.b, '.')
				p.b = strconv.AppendInt(p.b, int64(x%10), 10)
				p.b = append(p.b, " sec"...)
			} else {
				p.b = append(p.b, " (invalid)"...)
			}
		case 12:
			p.b = append(p.b, '(')
			p.b = strconv.AppendInt(p.b, int64(n), 10)
			p.b = append(p.b, ')')
		case 13:
			p.b = dnsChainName(p.b, data)
		case 14:
			if n%2 != 0 {
				p.b = append(p.b, " (invalid)"...)
				continue
			}
			for i := 0; i+1 < n; i += 2 {
				if i > 0 {
					p.b = append(p.b, ' ')
				}
				p.b = strconv.AppendInt(p.b, int64(data[i])<<8|int64(data[i+1]), 10)
			}
		default:
			p.b = appendHexBytes(p.b, data)
		}
	}
	return true
}

// dnsChainName appends the name of a CHAIN option (RFC 7901), its labels
// within the option's data; a label of another type ends it with a mark.
func dnsChainName(b, x []byte) []byte {
	for i, first := 0, true; i < len(x); first = false {
		c := int(x[i])
		switch {
		case c == 0:
			if first {
				b = append(b, '.')
			}
			return b
		case c&0xc0 == 0xc0:
			return b
		case c&0xc0 != 0:
			return append(b, "<BAD LABEL TYPE>"...)
		}
		for j := i + 1; j <= i+c && j < len(x); j++ {
			b = appendPrintable(b, x[j])
		}
		b = append(b, '.')
		i += 1 + c
	}
	return b
}

// dnsHexBytes appends x as lower-case hexadecimal digits, as appendHexBytes
// does.
func dnsHexBytes(b, x []byte) []byte { return appendHexBytes(b, x) }

// dnsRelTime appends seconds as tcpdump prints a duration: 1y2w3d4h5m6s,
// "0s" for none.
func dnsRelTime(b []byte, secs uint32) []byte {
	if secs == 0 {
		return append(b, "0s"...)
	}
	units := [...]struct {
		n uint32
		c byte
	}{{31536000, 'y'}, {604800, 'w'}, {86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}}
	for _, u := range units {
		if secs >= u.n {
			b = strconv.AppendUint(b, uint64(secs/u.n), 10)
			b = append(b, u.c)
			secs %= u.n
		}
	}
	return b
}
