//go:build !treedecode

package decode

// The DHCPv6 printer, printing as tcpdump does: the message type, and
// with -v the transaction id and the options (RFC 8415) in parentheses.

// DHCPv6 message types.
const (
	dhcp6Renew      = 5
	dhcp6InformReq  = 11
	dhcp6RelayForw  = 12
	dhcp6RelayReply = 13
)

var dhcp6MsgTypes = map[uint8]string{
	1: "solicit", 2: "advertise", 3: "request", 4: "confirm", 5: "renew", 6: "rebind",
	7: "reply", 8: "release", 9: "decline", 10: "reconfigure", 11: "inf-req",
	12: "relay-fwd", 13: "relay-reply", 14: "leasequery", 15: "leasequery-reply",
}

var dhcp6OptNames = map[uint16]string{
	1: "client-ID", 2: "server-ID", 3: "IA_NA", 4: "IA_TA", 5: "IA_ADDR", 6: "option-request",
	7: "preference", 8: "elapsed-time", 9: "relay-message", 11: "authentication",
	12: "server-unicast", 13: "status-code", 14: "rapid-commit", 15: "user-class",
	16: "vendor-class", 17: "vendor-specific-info", 18: "interface-ID",
	19: "reconfigure-message", 20: "reconfigure-accept", 21: "SIP-servers-domain",
	22: "SIP-servers-address", 23: "DNS-server", 24: "DNS-search-list", 25: "IA_PD",
	26: "IA_PD-prefix", 31: "SNTP-servers", 32: "lifetime", 27: "NIS-server",
	28: "NIS+-server", 29: "NIS-domain-name", 30: "NIS+-domain-name",
	33: "BCMCS-domain-name", 34: "BCMCS-server", 36: "Geoconf-Civic", 37: "Remote-ID",
	38: "Subscriber-ID", 39: "Client-FQDN", 40: "PANA-agent", 41: "POSIX-timezone",
	42: "POSIX-tz-database", 43: "Echo-request-option", 44: "Lease-query",
	45: "LQ-client-data", 46: "Clt-time", 47: "LQ-relay-data", 48: "LQ-client-link",
	56: "NTP-server", 64: "AFTR-Name", 112: "MUD-URL",
}

var dhcp6StatusCodes = [...]string{"Success", "UnspecFail", "NoAddrsAvail", "NoBinding",
	"NotOnLink", "UseMulticast", "NoPrefixAvail", "UnknownQueryType", "MalformedQuery",
	"NotConfigured", "NotAllowed"}

func (p *Printer) dhcp6OptName(t uint16) {
	if n, ok := dhcp6OptNames[t]; ok {
		p.str(n)
		return
	}
	p.str("opt_")
	p.uint(uint64(t))
}

// dhcp6 prints a DHCPv6 message; b runs to the end of the capture (or of
// the relay-message option that holds it).
func (p *Printer) dhcp6(b []byte, length int) {
	p.proto = "dhcp6"
	p.str("dhcp6")
	ep := min(len(b), max(length, 0))
	if len(b) < 4 {
		p.trunc()
		return
	}
	typ := b[0]
	name, ok := dhcp6MsgTypes[typ]
	if p.opt.Verbose == 0 {
		p.byte1(' ')
		p.dhcp6MsgType(name, ok, typ)
		return
	}
	p.byte1(' ')
	p.dhcp6MsgType(name, ok, typ)
	p.str(" (")
	if typ != dhcp6RelayForw && typ != dhcp6RelayReply {
		p.str("xid=")
		p.hex(uint64(be32(b, 0)&0xffffff), 1)
		p.dhcp6Options(b, 4, ep)
	} else {
		need(b, 18)
		p.str("linkaddr=")
		p.ip6addr(b[2:])
		need(b, 34)
		p.str(" peeraddr=")
		p.ip6addr(b[18:])
		p.dhcp6Options(b, 34, ep)
	}
	p.byte1(')')
}

func (p *Printer) dhcp6MsgType(name string, ok bool, typ uint8) {
	if ok {
		p.str(name)
		return
	}
	p.str("msgtype-")
	p.uint(uint64(typ))
}

// dhcp6Options prints the options from cp to ep. A
// truncated option ends the list with the mark, and printing goes on.
func (p *Printer) dhcp6Options(b []byte, cp, ep int) {
	for cp < ep {
		if ep < cp+4 || len(b) < cp+4 {
			p.trunc()
			return
		}
		optlen := int(be16(b, cp+2))
		if ep < cp+4+optlen {
			p.trunc()
			return
		}
		typ := be16(b, cp)
		p.str(" (")
		p.dhcp6OptName(typ)
		if len(b) < cp+4+optlen {
			p.trunc()
			return
		}
		tp := cp + 4
		end := tp + optlen
		if !p.dhcp6Option(b, typ, tp, optlen, end) {
			p.trunc()
			return
		}
		cp = end
	}
}

// dhcp6Option prints the data of one option and its closing parenthesis; it
// reports false when tcpdump would stop at a truncation.
func (p *Printer) dhcp6Option(b []byte, typ uint16, tp, optlen, end int) bool {
	bad := func() { p.str(" ?)") }
	switch typ {
	case 1, 2: // client-ID, server-ID: a DUID (RFC 8415 11)
		if optlen < 2 {
			bad()
			break
		}
		switch be16(b, tp) {
		case 1:
			if optlen < 8 {
				bad()
				break
			}
			p.str(" hwaddr/time type ")
			p.uint(uint64(be16(b, tp+2)))
			p.str(" time ")
			p.uint(uint64(be32(b, tp+4)))
			p.byte1(' ')
			p.hexBytes(b, tp+8, optlen-8)
			p.byte1(')')
		case 2:
			if optlen < 10 {
				bad()
				break
			}
			p.str(" vid ")
			p.hexBytes(b, tp+2, 8)
			p.byte1(')')
		case 3:
			if optlen < 4 {
				bad()
				break
			}
			p.str(" hwaddr type ")
			p.uint(uint64(be16(b, tp+2)))
			p.byte1(' ')
			p.hexBytes(b, tp+4, optlen-4)
			p.byte1(')')
		default:
			p.str(" type ")
			p.uint(uint64(be16(b, tp)))
			p.byte1(')')
		}
	case 5: // IA_ADDR
		if optlen < 24 {
			bad()
			break
		}
		p.byte1(' ')
		p.ip6addr(b[tp:])
		p.dhcp6Lifetimes(b, tp+16)
		p.dhcp6Options(b, tp+24, end)
		p.byte1(')')
	case 6, 43: // option-request, echo-request
		if optlen%2 != 0 {
			bad()
			break
		}
		for i := 0; i < optlen; i += 2 {
			p.byte1(' ')
			p.dhcp6OptName(be16(b, tp+i))
		}
		p.byte1(')')
	case 7: // preference
		if optlen != 1 {
			bad()
			break
		}
		p.byte1(' ')
		p.uint(uint64(b[tp]))
		p.byte1(')')
	case 8: // elapsed-time
		if optlen != 2 {
			bad()
			break
		}
		p.byte1(' ')
		p.uint(uint64(be16(b, tp)))
		p.byte1(')')
	case 9: // relay-message: a whole message inside, bounded by the option
		p.str(" (")
		p.dhcp6(b[:min(end, len(b))][tp:], optlen)
		p.byte1(')')
	case 11: // authentication
		if optlen < 11 {
			bad()
			break
		}
		p.dhcp6Auth(b, tp, optlen)
	case 14, 20: // rapid-commit, reconfigure-accept
		p.byte1(')')
	case 18, 38: // interface-ID, subscriber-ID
		p.byte1(' ')
		p.hexBytes(b, tp, min(optlen, 10))
		p.str("...)")
	case 19: // reconfigure-message
		if optlen != 1 {
			bad()
			break
		}
		switch t := b[tp]; t {
		case dhcp6Renew:
			p.str(" for renew)")
		case dhcp6InformReq:
			p.str(" for inf-req)")
		default:
			p.str(" for ???(")
			p.hex(uint64(t), 2)
			p.str("))")
		}
	case 22, 23, 31, 27, 28, 34, 40, 48: // lists of IPv6 addresses
		if optlen%16 != 0 {
			bad()
			break
		}
		for i := 0; i < optlen; i += 16 {
			p.byte1(' ')
			p.ip6addr(b[tp+i:])
		}
		p.byte1(')')
	case 21, 24: // lists of domain names
		for tp < end {
			p.byte1(' ')
			if tp = p.fqdn(dnsMsg(b), tp, end); tp == noName {
				return false
			}
		}
		p.byte1(')')
	case 13: // status-code
		if optlen < 2 {
			bad()
			break
		}
		p.byte1(' ')
		switch c := be16(b, tp); {
		case c > 255:
			p.str("INVALID code")
		case int(c) < len(dhcp6StatusCodes):
			p.str(dhcp6StatusCodes[c])
		default:
			p.str("code")
			p.uint(uint64(c))
		}
		p.byte1(')')
	case 3, 25: // IA_NA, IA_PD
		if optlen < 12 {
			bad()
			break
		}
		p.str(" IAID:")
		p.uint(uint64(be32(b, tp)))
		p.str(" T1:")
		p.uint(uint64(be32(b, tp+4)))
		p.str(" T2:")
		p.uint(uint64(be32(b, tp+8)))
		p.dhcp6Options(b, tp+12, end)
		p.byte1(')')
	case 4: // IA_TA
		if optlen < 4 {
			bad()
			break
		}
		p.str(" IAID:")
		p.uint(uint64(be32(b, tp)))
		p.dhcp6Options(b, tp+4, end)
		p.byte1(')')
	case 26: // IA_PD-prefix
		if optlen < 25 {
			bad()
			break
		}
		p.byte1(' ')
		p.ip6addr(b[tp+9:])
		p.byte1('/')
		p.uint(uint64(b[tp+8]))
		p.dhcp6Lifetimes(b, tp)
		p.dhcp6Options(b, tp+25, end)
		p.byte1(')')
	case 32, 46: // lifetime, clt-time
		if optlen != 4 {
			bad()
			break
		}
		p.byte1(' ')
		p.uint(uint64(be32(b, tp)))
		p.byte1(')')
	case 37: // Remote-ID
		if optlen < 4 {
			bad()
			break
		}
		p.byte1(' ')
		p.uint(uint64(be32(b, tp)))
		p.byte1(' ')
		p.hexBytes(b, tp+4, min(optlen, 14)-4)
		p.str("...)")
	case 44: // Lease-query
		if optlen < 17 {
			bad()
			break
		}
		switch t := b[tp]; t {
		case 1:
			p.str(" by-address")
		case 2:
			p.str(" by-clientID")
		default:
			p.str(" type_")
			p.uint(uint64(t))
		}
		p.byte1(' ')
		p.ip6addr(b[tp+1:])
		p.dhcp6Options(b, tp+17, end)
		p.byte1(')')
	case 45: // LQ-client-data
		p.dhcp6Options(b, tp, end)
		p.byte1(')')
	case 47: // LQ-relay-data
		if optlen < 16 {
			bad()
			break
		}
		p.byte1(' ')
		p.ip6addr(b[tp:])
		p.byte1(' ')
		p.hexBytes(b, tp+16, min(optlen, 26)-16)
		p.str("...)")
	case 56: // NTP-server (RFC 5908)
		if optlen < 4 {
			bad()
			break
		}
		for tp < end-4 {
			code, sublen := be16(b, tp), int(be16(b, tp+2))
			tp += 4
			if tp+sublen > end {
				return false
			}
			p.str(" subopt:")
			p.uint(uint64(code))
			switch code {
			case 1, 2:
				if sublen != 16 {
					p.str(" ?")
					break
				}
				p.byte1(' ')
				p.ip6addr(b[tp:])
			case 3:
				p.byte1(' ')
				if p.fqdn(dnsMsg(b), tp, tp+sublen) == noName {
					return false
				}
			default:
				p.str(" ?")
			}
			tp += sublen
		}
		p.byte1(')')
	case 64: // AFTR-Name (RFC 6334), labels without compression
		if optlen < 3 {
			bad()
			break
		}
		remain := optlen
		p.byte1(' ')
		for remain > 0 && u8(b, tp) != 0 {
			n := int(b[tp])
			tp++
			if n >= remain-1 {
				p.str(" ?")
				break
			}
			p.printJNP(b, tp, n)
			tp += n
			remain -= n + 1
			if u8(b, tp) != 0 {
				p.byte1('.')
			}
		}
		p.byte1(')')
	case 41, 42, 112: // time zones, MUD URL
		if optlen < 5 {
			bad()
			break
		}
		p.byte1(' ')
		p.printJNP(b, tp, optlen)
		p.byte1(')')
	default:
		p.byte1(')')
	}
	return true
}

// dhcp6Lifetimes prints the preferred and valid lifetimes at off of an
// address or a prefix.
func (p *Printer) dhcp6Lifetimes(b []byte, off int) {
	p.str(" pltime:")
	p.uint(uint64(be32(b, off)))
	p.str(" vltime:")
	p.uint(uint64(be32(b, off+4)))
}

// dhcp6Auth prints the authentication option (RFC 8415 21.11).
func (p *Printer) dhcp6Auth(b []byte, tp, optlen int) {
	proto, alg, rdm := b[tp], b[tp+1], b[tp+2]
	switch proto {
	case 2:
		p.str(" proto: delayed")
	case 3:
		p.str(" proto: reconfigure")
	default:
		p.str(" proto: ")
		p.uint(uint64(proto))
	}
	if alg == 1 {
		p.str(", alg: HMAC-MD5")
	} else {
		p.str(", alg: ")
		p.uint(uint64(alg))
	}
	if rdm == 0 {
		p.str(", RDM: mono")
	} else {
		p.str(", RDM: ")
		p.uint(uint64(rdm))
	}
	tp += 3
	p.str(", RD:")
	for i := 0; i < 4; i, tp = i+1, tp+2 {
		p.byte1(' ')
		p.hex(uint64(be16(b, tp)), 4)
	}
	info := optlen - 11
	switch proto {
	case 2:
		if info == 0 {
			break
		}
		if info < 20 {
			p.str(" ??")
			break
		}
		if realm := info - 20; realm > 0 {
			p.str(", realm: ")
			p.hexBytes(b, tp, realm)
			tp += realm
		}
		p.str(", key ID: ")
		p.hex(uint64(be32(b, tp)), 8)
		tp += 4
		p.str(", HMAC-MD5:")
		p.hexWords(b, tp, 4)
	case 3:
		if info != 17 {
			p.str(" ??")
			break
		}
		switch b[tp] {
		case 1:
			p.str(" reconfig-key")
		case 2:
			p.str(" type: HMAC-MD5")
		default:
			p.str(" type: ??")
		}
		tp++
		p.str(" value:")
		p.hexWords(b, tp, 4)
	default:
		p.str(" ??")
	}
	p.byte1(')')
}
