//go:build !treedecode

package decode

// The BOOTP/DHCP printer, printing as tcpdump does: the one-line
// summary, and with -v the fixed fields and the DHCP options (RFC 2132)
// one per line.

// BOOTP message layout (RFC 951, RFC 2131 section 2).
const (
	bootpRequest = 1
	bootpReply   = 2
	bootpCiaddr  = 12
	bootpChaddr  = 28
	bootpSname   = 44
	bootpFile    = 108
	bootpVend    = 236
)

// DHCP option tags with special handling (RFC 2132 and later).
const (
	dhcpTagPad            = 0
	dhcpTagNetbiosNode    = 46
	dhcpTagOptOverload    = 52
	dhcpTagMessage        = 53
	dhcpTagParamRequest   = 55
	dhcpTagClientID       = 61
	dhcpTagUserClass      = 77
	dhcpTagClientFQDN     = 81
	dhcpTagAgentInfo      = 82
	dhcpTagClasslessRoute = 121
	dhcpTagClasslessMS    = 249
	dhcpTagEnd            = 255
)

// dhcpTags are the DHCP options as tcpdump names them: the first byte is
// the format of the data (i address, p address pairs, l unsigned 32, L
// signed 32, s 16-bit, b bytes, x hex bytes, a text, B booleans, $ special),
// the rest the name.
var dhcpTags = map[uint8]string{
	0: " PAD", 1: "iSubnet-Mask", 2: "LTime-Zone", 3: "iDefault-Gateway", 4: "iTime-Server",
	5: "iIEN-Name-Server", 6: "iDomain-Name-Server", 7: "iLOG", 8: "iCS", 9: "iLPR-Server",
	10: "iIM", 11: "iRL", 12: "aHostname", 13: "sBS", 255: " END", 14: "aDP",
	15: "aDomain-Name", 16: "iSS", 17: "aRP", 18: "aEP", 19: "BIPF", 20: "BSRT", 21: "pPF",
	22: "sRSZ", 23: "bTTL", 24: "lMTU-Timeout", 25: "sMTU-Table", 26: "sMTU", 27: "BLSN",
	28: "iBR", 29: "BMD", 30: "BMS", 31: "BRouter-Discovery", 32: "iRSA", 33: "pStatic-Route",
	34: "BUT", 35: "lAT", 36: "BIE", 37: "bTT", 38: "lKI", 39: "BKG", 40: "aYD", 41: "iYS",
	42: "iNTP", 43: "bVendor-Option", 44: "iNetbios-Name-Server", 45: "iWDD",
	46: "$Netbios-Node", 47: "aNetbios-Scope", 48: "iXFS", 49: "iXDM", 64: "sN+D", 65: "iN+S",
	68: "iMH", 69: "iSMTP", 70: "iPOP3", 71: "iNNTP", 72: "iWWW", 73: "iFG", 74: "iIRC",
	75: "iSTS", 76: "iSTDA", 50: "iRequested-IP", 51: "lLease-Time", 52: "$OO", 66: "aTFTP",
	67: "aBF", 53: " DHCP-Message", 54: "iServer-ID", 55: "bParameter-Request", 56: "aMSG",
	57: "sMSZ", 58: "lRN", 59: "lRB", 60: "aVendor-Class", 61: "$Client-ID", 98: "aUAP",
	116: "BNOAUTO", 78: "bSLP-DA", 79: "bSLP-SCOPE", 117: "sNSSEARCH", 77: "$User-Class",
	118: "iSUBNET", 121: "$Classless-Static-Route", 249: "$Classless-Static-Route-Microsoft",
	150: "iTFTP-Server-Address", 80: "aSLP-NA", 81: "$FQDN", 82: "$Agent-Information",
	83: "bARMT", 88: "aTZSTR", 89: "bFQDNS", 90: "bAUTH", 91: "LLast-Transaction-Time",
	92: "iAssociated-IP", 93: "sARCH", 94: "bNDI", 97: "bGUID", 95: "aLDAP", 100: "aPOSIX-TZ",
	101: "aTZ-Name", 112: "iNI", 113: "aNITAG", 114: "aURL", 161: "aMUD-URL",
}

var dhcpMessageTypes = map[uint8]string{
	1: "Discover", 2: "Offer", 3: "Request", 4: "Decline", 5: "ACK", 6: "NACK", 7: "Release",
	8: "Inform", 10: "LeaseQuery", 11: "LeaseUnassigned", 12: "LeaseUnknown", 13: "LeaseActive",
}

var dhcpAgentSubopts = map[uint8]string{1: "Circuit-ID", 2: "Remote-ID", 6: "Subscriber-ID"}

var (
	netbiosNodeNames  = map[uint8]string{1: "b-node", 2: "p-node", 4: "m-node", 8: "h-node"}
	dhcpOverloadNames = map[uint8]string{1: "file", 2: "sname", 3: "file+sname"}
)

var arpHardwareNames = map[uint8]string{0x1: "ether", 0x6: "ieee802", 0x7: "arcnet", 0xf: "frelay",
	0x17: "strip", 0x18: "ieee1394"}

// bootp prints a BOOTP or DHCP message.
func (p *Printer) bootp(b []byte, length int) {
	p.proto = "bootp"
	op := u8(b, 0)
	p.str("BOOTP/DHCP, ")
	switch op {
	case bootpRequest:
		p.str("Request")
	case bootpReply:
		p.str("Reply")
	default:
		p.str("unknown (0x")
		p.hex(uint64(op), 2)
		p.byte1(')')
	}
	htype, hlen := u8(b, 1), u8(b, 2)
	ether := htype == 1 && hlen == 6
	if ether && op == bootpRequest {
		need(b, bootpChaddr+6)
		p.str(" from ")
		p.mac(b[bootpChaddr:])
	}
	p.str(", length ")
	p.uint(uint64(length))
	if p.opt.Verbose == 0 {
		return
	}
	need(b, 10)
	if htype != 1 {
		p.str(", htype ")
		p.uint(uint64(htype))
	}
	if !ether {
		p.str(", hlen ")
		p.uint(uint64(hlen))
	}
	if hops := u8(b, 3); hops != 0 {
		p.str(", hops ")
		p.uint(uint64(hops))
	}
	if xid := be32(b, 4); xid != 0 {
		p.str(", xid 0x")
		p.hex(uint64(xid), 1)
	}
	if secs := be16(b, 8); secs != 0 {
		p.str(", secs ")
		p.uint(uint64(secs))
	}
	flags := be16(b, 10)
	p.str(", Flags [")
	if flags&0x8000 != 0 {
		p.str("Broadcast")
	} else {
		p.str("none")
	}
	p.byte1(']')
	if p.opt.Verbose > 1 {
		p.str(" (0x")
		p.hex(uint64(flags), 4)
		p.byte1(')')
	}
	addrs := [4]string{"\n\t  Client-IP ", "\n\t  Your-IP ", "\n\t  Server-IP ", "\n\t  Gateway-IP "}
	for i, name := range addrs {
		off := bootpCiaddr + 4*i
		if be32(b, off) != 0 {
			p.str(name)
			p.ip4addr(b[off:])
		}
	}
	if ether {
		need(b, bootpChaddr+6)
		p.str("\n\t  Client-Ethernet-Address ")
		p.mac(b[bootpChaddr:])
	}
	for _, f := range [...]struct {
		off, size int
		label     string
	}{{bootpSname, 64, "\n\t  sname \""}, {bootpFile, 128, "\n\t  file \""}} {
		if u8(b, f.off) == 0 {
			continue
		}
		p.str(f.label)
		ok := p.printZTN(b, f.off, f.size) != 0
		p.byte1('"')
		if !ok {
			p.trunc()
			return
		}
	}
	need(b, bootpVend+4)
	switch v := be32(b, bootpVend); v {
	case 0x63825363: // RFC 1048 magic cookie
		p.dhcpOptions(b, bootpVend)
	case 0x434d5500: // "CMU"
		p.bootpCMU(b, bootpVend)
	default:
		if v != 0 {
			p.str("\n\t  Vendor-#0x")
			p.hex(uint64(v), 1)
		}
	}
}

// dhcpOptions prints the options after the magic cookie at off (RFC 1048).
func (p *Printer) dhcpOptions(b []byte, off int) {
	p.str("\n\t  Vendor-rfc1048 Extensions")
	p.str("\n\t    Magic Cookie 0x")
	p.hex(uint64(be32(b, off)), 8)
	bp := off + 4
	for bp < len(b) {
		tag := b[bp]
		bp++
		if tag == dhcpTagPad && p.opt.Verbose < 3 {
			continue
		}
		if tag == dhcpTagEnd && p.opt.Verbose < 3 {
			return
		}
		desc, ok := dhcpTags[tag]
		if !ok {
			desc = "?Unknown"
		}
		format, name := desc[0], desc[1:]
		n := 0
		if tag != dhcpTagPad && tag != dhcpTagEnd {
			n = int(u8(b, bp))
			bp++
		}
		p.str("\n\t    ")
		p.str(name)
		p.str(" (")
		p.uint(uint64(tag))
		p.str("), length ")
		p.uint(uint64(n))
		if n > 0 {
			p.str(": ")
		}
		if tag == dhcpTagPad && p.opt.Verbose > 2 {
			count := 1
			for bp < len(b) && b[bp] == dhcpTagPad {
				bp++
				count++
			}
			if count > 1 {
				p.str(", occurs ")
				p.uint(uint64(count))
			}
		}
		if bp+n > len(b) {
			p.trunc()
			return
		}
		if tag == dhcpTagMessage && n == 1 {
			if s, ok := dhcpMessageTypes[b[bp]]; ok {
				p.str(s)
			} else {
				p.str("Unknown (")
				p.uint(uint64(b[bp]))
				p.byte1(')')
			}
			bp++
			continue
		}
		if tag == dhcpTagParamRequest {
			for i := 0; i < n; i++ {
				t := b[bp+i]
				if i%4 == 0 {
					p.str("\n\t      ")
				} else {
					p.str(", ")
				}
				if s, ok := dhcpTags[t]; ok {
					p.str(s[1:])
				} else {
					p.str("Unknown")
				}
				p.str(" (")
				p.uint(uint64(t))
				p.byte1(')')
			}
			bp += n
			continue
		}
		if format == '?' {
			switch {
			case n&1 != 0:
				format = 'b'
			case n&2 != 0:
				format = 's'
			default:
				format = 'l'
			}
		}
		d := b[bp : bp+n]
		left := p.dhcpOptionData(format, tag, d)
		bp += n - left
		if left > 0 {
			p.str("\n\t  trailing data length ")
			p.uint(uint64(left))
			bp += left
		}
	}
}

// dhcpOptionData prints an option's data d in its format and returns how
// many bytes it left over.
func (p *Printer) dhcpOptionData(format, tag uint8, d []byte) int {
	n := len(d)
	i := 0
	first := true
	sep := func(s byte) {
		if !first {
			p.byte1(s)
		}
		first = false
	}
	switch format {
	case 'a':
		p.byte1('"')
		p.printN(d, 0, n)
		p.byte1('"')
		return 0
	case 'i', 'l', 'L':
		for ; n-i >= 4; i += 4 {
			sep(',')
			switch format {
			case 'i':
				p.ip4addr(d[i:])
			case 'L':
				p.int(int64(int32(be32(d, i))))
			default:
				p.uint(uint64(be32(d, i)))
			}
		}
	case 'p':
		for ; n-i >= 8; i += 8 {
			sep(',')
			p.byte1('(')
			p.ip4addr(d[i:])
			p.byte1(':')
			p.ip4addr(d[i+4:])
			p.byte1(')')
		}
	case 's':
		for ; n-i >= 2; i += 2 {
			sep(',')
			p.uint(uint64(be16(d, i)))
		}
	case 'B':
		for ; i < n; i++ {
			sep(',')
			switch d[i] {
			case 0:
				p.byte1('N')
			case 1:
				p.byte1('Y')
			default:
				p.uint(uint64(d[i]))
				p.byte1('?')
			}
		}
	case '$':
		return p.dhcpSpecial(tag, d)
	default: // 'b', 'x'
		for ; i < n; i++ {
			if format == 'x' {
				sep(':')
				p.hex(uint64(d[i]), 2)
			} else {
				sep('.')
				p.uint(uint64(d[i]))
			}
		}
	}
	return n - i
}

// dhcpSpecial prints the options tcpdump decodes by hand.
func (p *Printer) dhcpSpecial(tag uint8, d []byte) int {
	n := len(d)
	switch tag {
	case dhcpTagNetbiosNode, dhcpTagOptOverload:
		if n < 1 {
			p.str("[ERROR: length < 1 bytes]")
			return 0
		}
		v := d[0]
		names := dhcpOverloadNames
		if tag == dhcpTagNetbiosNode {
			names = netbiosNodeNames
		}
		if s, ok := names[v]; ok {
			p.str(s)
		} else {
			p.str("#")
			p.uint(uint64(v))
		}
		return n - 1
	case dhcpTagClientFQDN:
		if n < 3 {
			p.str("[ERROR: length < 3 bytes]")
			return 0
		}
		if d[0]&0xf0 != 0 {
			p.str("[ERROR: MBZ nibble 0x")
			p.hex(uint64(d[0]>>4), 1)
			p.str(" != 0] ")
		}
		if d[0]&0x0f != 0 {
			p.byte1('[')
			for i, c := range "SOEN" {
				if d[0]&(1<<i) != 0 {
					p.byte1(byte(c))
				}
			}
			p.str("] ")
		}
		if d[1] != 0 || d[2] != 0 {
			p.uint(uint64(d[1]))
			p.byte1('/')
			p.uint(uint64(d[2]))
			p.byte1(' ')
		}
		p.byte1('"')
		p.printN(d, 3, n-3)
		p.byte1('"')
		return 0
	case dhcpTagClientID:
		if n < 1 {
			p.str("[ERROR: length < 1 bytes]")
			return 0
		}
		if d[0] == 0 {
			p.byte1('"')
			p.printN(d, 1, n-1)
			p.byte1('"')
			return 0
		}
		if s, ok := arpHardwareNames[d[0]]; ok {
			p.str(s)
		} else {
			p.str("hardware-type ")
			p.uint(uint64(d[0]))
			p.byte1(',')
		}
		p.byte1(' ')
		p.hexColons(d[1:])
		return 0
	case dhcpTagAgentInfo:
		i := 0
		for n-i >= 2 {
			sub, sublen := d[i], int(d[i+1])
			i += 2
			name, ok := dhcpAgentSubopts[sub]
			if !ok {
				name = "Unknown"
			}
			p.str("\n\t      ")
			p.str(name)
			p.str(" SubOption ")
			p.uint(uint64(sub))
			p.str(", length ")
			p.uint(uint64(sublen))
			if sublen > n-i {
				p.str(": length goes past end of option")
				return 0
			}
			p.str(": ")
			if ok {
				p.printN(d, i, sublen)
			} else {
				p.hexOnly("\n\t\t", d[i:i+sublen], 0)
			}
			i += sublen
		}
		return n - i
	case dhcpTagClasslessRoute, dhcpTagClasslessMS:
		if n < 5 {
			p.str("[ERROR: length < 5 bytes]")
			return 0
		}
		i := 0
		for i < n {
			if i > 0 {
				p.byte1(',')
			}
			width := int(d[i])
			i++
			if width > 32 {
				p.str("[ERROR: Mask width (")
				p.uint(uint64(width))
				p.str(") > 32]")
				return 0
			}
			sig := (width + 7) / 8
			if n-i < sig+4 {
				p.str("[ERROR: Remaining length (")
				p.uint(uint64(n - i))
				p.str(") < ")
				p.uint(uint64(sig + 4))
				p.str(" bytes]")
				return 0
			}
			p.byte1('(')
			if width == 0 {
				p.str("default")
			} else {
				for k := 0; k < sig; k++ {
					if k > 0 {
						p.byte1('.')
					}
					p.uint(uint64(d[i+k]))
				}
				for k := sig; k < 4; k++ {
					p.str(".0")
				}
				p.byte1('/')
				p.uint(uint64(width))
			}
			p.byte1(':')
			p.ip4addr(d[i+sig:])
			p.byte1(')')
			i += sig + 4
		}
		return 0
	case dhcpTagUserClass:
		if n < 2 {
			p.str("[ERROR: length < 2 bytes]")
			return 0
		}
		i, num := 0, 1
		for i < n {
			sublen := int(d[i])
			i++
			p.str("\n\t      instance#")
			p.uint(uint64(num))
			p.str(": ")
			if sublen == 0 {
				p.str("[ERROR: suboption length must be non-zero]")
				return 0
			}
			if n-i < sublen {
				p.str("[ERROR: invalid option]")
				return 0
			}
			p.byte1('"')
			p.printN(d, i, sublen)
			p.str("\", length ")
			p.uint(uint64(sublen))
			num++
			i += sublen
		}
		return 0
	}
	p.str("[unknown special tag ")
	p.uint(uint64(tag))
	p.str(", size ")
	p.uint(uint64(n))
	p.byte1(']')
	return 0
}

// bootpCMU prints the CMU vendor area.
func (p *Printer) bootpCMU(b []byte, off int) {
	p.str(" vend-cmu")
	need(b, off+8)
	flags := b[off+4]
	if flags&^1 != 0 {
		p.str(" F:0x")
		p.hex(uint64(flags), 1)
	}
	sm := "SM*"
	if flags&1 != 0 {
		sm = "SM"
	}
	fields := [...]struct {
		off  int
		name string
	}{{12, "DG"}, {8, sm}, {16, "NS1"}, {20, "NS2"}, {24, "IEN1"}, {28, "IEN2"}, {32, "TS1"}, {36, "TS2"}}
	for _, f := range fields {
		if len(b) < off+f.off+4 {
			p.trunc()
			return
		}
		if be32(b, off+f.off) != 0 {
			p.byte1(' ')
			p.str(f.name)
			p.byte1(':')
			p.ip4addr(b[off+f.off:])
		}
	}
}
