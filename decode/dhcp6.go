package decode

import "strconv"

// DHCPv6 (RFC 8415) on UDP ports 546 and 547: client/server messages, relay
// messages and their options, with those of RFC 3319 (SIP servers), 3646
// (DNS), 3898 (NIS), 4075 (SNTP), 4242 (information refresh time), 4649
// (remote ID), 4580 (subscriber ID), 4704 (client FQDN), 5007 (leasequery),
// 5908 (NTP server), 6334 (AFTR name), 6355 (UUID DUID), 8520 (MUD URL).

var (
	protoDHCPv6       = proto("dhcpv6", "DHCPv6")
	fDHCPv6MsgType    = enumField("dhcpv6.msgtype", "Message type", TypeUint8, dhcp6MsgValues)
	fDHCPv6HopCount   = field("dhcpv6.hopcount", "Hopcount", TypeUint8)
	fDHCPv6XID        = register(Field{Name: "dhcpv6.xid", Title: "Transaction ID", Type: TypeUint24, Hex: true})
	fDHCPv6LinkAddr   = field("dhcpv6.linkaddr", "Link address", TypeIPv6)
	fDHCPv6PeerAddr   = field("dhcpv6.peeraddr", "Peer address", TypeIPv6)
	fDHCPv6OptType    = field("dhcpv6.option.type", "Option", TypeUint16)
	fDHCPv6OptLen     = field("dhcpv6.option.length", "Length", TypeUint16)
	fDHCPv6OptValue   = field("dhcpv6.option.value", "Value", TypeBytes)
	fDHCPv6DUIDType   = field("dhcpv6.duid.type", "DUID Type", TypeUint16)
	fDHCPv6Elapsed    = field("dhcpv6.elapsed_time", "Elapsed time", TypeUint16)
	fDHCPv6Preference = field("dhcpv6.option_preference", "Pref-value", TypeUint8)
	fDHCPv6Status     = field("dhcpv6.status_code", "Status Code", TypeUint16)
	fDHCPv6T1         = field("dhcpv6.iaid.t1", "T1", TypeUint32)
	fDHCPv6T2         = field("dhcpv6.iaid.t2", "T2", TypeUint32)
	fDHCPv6IAAddr     = field("dhcpv6.iaaddr.ip", "IPv6 address", TypeIPv6)
	fDHCPv6IAAddrPref = field("dhcpv6.iaaddr.pref_lifetime", "Preferred lifetime", TypeUint32)
	fDHCPv6IAAddrVal  = field("dhcpv6.iaaddr.valid_lifetime", "Valid lifetime", TypeUint32)
	fDHCPv6PrefPref   = field("dhcpv6.iaprefix.pref_lifetime", "Preferred lifetime", TypeUint32)
	fDHCPv6PrefValid  = field("dhcpv6.iaprefix.valid_lifetime", "Valid lifetime", TypeUint32)
	fDHCPv6PrefLen    = field("dhcpv6.iaprefix.pref_len", "Prefix length", TypeUint8)
	fDHCPv6PrefAddr   = field("dhcpv6.iaprefix.pref_addr", "Prefix address", TypeIPv6)
	fDHCPv6DUIDBytes  = field("dhcpv6.duid.bytes", "DUID", TypeBytes)
	fDHCPv6LLTHwType  = field("dhcpv6.duidllt.hwtype", "Hardware type", TypeUint16)
	fDHCPv6LLHwType   = field("dhcpv6.duidll.hwtype", "Hardware type", TypeUint16)
	fDHCPv6ENEnterp   = field("dhcpv6.duiden.enterprise", "Enterprise ID", TypeUint32)
	fDHCPv6ENIdent    = field("dhcpv6.duiden.identifier", "Identifier", TypeBytes)
	fDHCPv6UUID       = field("dhcpv6.duiduuid.bytes", "UUID", TypeBytes)
	fDHCPv6StatusMsg  = field("dhcpv6.status_msg", "Status Message", TypeString)
	fDHCPv6DNSServer  = field("dhcpv6.dns_server", "DNS server address", TypeIPv6)
	fDHCPv6SIPServerA = field("dhcpv6.sip_server_a", "SIP server address", TypeIPv6)
	fDHCPv6InterfaceI = field("dhcpv6.interface_id", "Interface-ID", TypeBytes)
)

var dhcp6MsgValues = map[uint64]string{
	1: "solicit", 2: "advertise", 3: "request", 4: "confirm", 5: "renew", 6: "rebind", 7: "reply",
	8: "release", 9: "decline", 10: "reconfigure", 11: "inf-req", 12: "relay-fwd", 13: "relay-reply",
	14: "leasequery", 15: "leasequery-reply",
}

var dhcp6MsgNames = [16]string{
	1: "solicit", 2: "advertise", 3: "request", 4: "confirm", 5: "renew", 6: "rebind", 7: "reply",
	8: "release", 9: "decline", 10: "reconfigure", 11: "inf-req", 12: "relay-fwd", 13: "relay-reply",
	14: "leasequery", 15: "leasequery-reply",
}

func init() {
	UDPPorts.Register(546, dissectDHCPv6)
	UDPPorts.Register(547, dissectDHCPv6)
	registerText(protoDHCPv6, textDHCPv6)
}

func dissectDHCPv6(t *Tree, off, end int) {
	l := t.AddLayer(protoDHCPv6, off, end-off)
	dhcp6Message(t, l, off, end)
}

// capturedEnd is the end of what can be read of a layer that ends at end.
func capturedEnd(t *Tree, end int) int {
	if end > len(t.Data) {
		return len(t.Data)
	}
	return end
}

// capturedSpan is where the layer at node n starts, its length, and the end
// of what was captured of it.
func capturedSpan(t *Tree, n int) (off, length, lim int) {
	off, length = int(t.Nodes[n].Off), int(t.Nodes[n].Len)
	return off, length, capturedEnd(t, off+length)
}

// dhcp6Message adds the fields of the message [off, end) under parent.
func dhcp6Message(t *Tree, parent, off, end int) {
	lim := capturedEnd(t, end)
	if off+4 > lim {
		t.Mark(parent, Truncated)
		return
	}
	typ := t.U8(off)
	t.Add(parent, fDHCPv6MsgType, off, 1, typ)
	if typ == 12 || typ == 13 {
		if off+34 > lim {
			t.Mark(parent, Truncated)
			return
		}
		t.Add(parent, fDHCPv6HopCount, off+1, 1, t.U8(off+1))
		t.AddBytes(parent, fDHCPv6LinkAddr, off+2, 16)
		t.AddBytes(parent, fDHCPv6PeerAddr, off+18, 16)
		dhcp6Options(t, parent, off+34, end)
		return
	}
	t.Add(parent, fDHCPv6XID, off+1, 3, t.U24(off+1))
	dhcp6Options(t, parent, off+4, end)
}

// dhcp6Options adds the options in [off, end) under parent.
func dhcp6Options(t *Tree, parent, off, end int) {
	lim := capturedEnd(t, end)
	for off < end {
		if off+4 > lim {
			t.Mark(parent, Truncated)
			return
		}
		code, n := t.U16(off), int(t.U16(off+2))
		o := t.Add(parent, fDHCPv6OptType, off, 4+n, code)
		t.Add(o, fDHCPv6OptLen, off+2, 2, uint64(n))
		v := off + 4
		if v+n > lim {
			t.Mark(o, Truncated)
			return
		}
		if n > 0 {
			t.AddBytes(o, fDHCPv6OptValue, v, n)
		}
		switch code {
		case 1, 2:
			if n >= 2 {
				du := t.AddBytes(o, fDHCPv6DUIDBytes, v, n)
				typ := t.U16(v)
				t.Add(du, fDHCPv6DUIDType, v, 2, typ)
				switch {
				case typ == 1 && n >= 8:
					t.Add(du, fDHCPv6LLTHwType, v+2, 2, t.U16(v+2))
				case typ == 2 && n >= 6:
					t.Add(du, fDHCPv6ENEnterp, v+2, 4, t.U32(v+2))
					t.AddBytes(du, fDHCPv6ENIdent, v+6, n-6)
				case typ == 3 && n >= 4:
					t.Add(du, fDHCPv6LLHwType, v+2, 2, t.U16(v+2))
				case typ == 4 && n == 18:
					t.AddBytes(du, fDHCPv6UUID, v+2, 16)
				}
			}
		case 18:
			t.AddBytes(o, fDHCPv6InterfaceI, v, n)
		case 22, 23:
			f := fDHCPv6DNSServer
			if code == 22 {
				f = fDHCPv6SIPServerA
			}
			for i := 0; i+16 <= n; i += 16 {
				t.AddBytes(o, f, v+i, 16)
			}
		case 3, 4, 5, 25, 26, 44, 45:
			at := dhcp6NestedAt(code)
			if n < at {
				break
			}
			switch code {
			case 3, 25:
				t.Add(o, fDHCPv6T1, v+4, 4, t.U32(v+4))
				t.Add(o, fDHCPv6T2, v+8, 4, t.U32(v+8))
			case 5:
				t.AddBytes(o, fDHCPv6IAAddr, v, 16)
				t.Add(o, fDHCPv6IAAddrPref, v+16, 4, t.U32(v+16))
				t.Add(o, fDHCPv6IAAddrVal, v+20, 4, t.U32(v+20))
			case 26:
				t.Add(o, fDHCPv6PrefPref, v, 4, t.U32(v))
				t.Add(o, fDHCPv6PrefValid, v+4, 4, t.U32(v+4))
				t.Add(o, fDHCPv6PrefLen, v+8, 1, t.U8(v+8))
				t.AddBytes(o, fDHCPv6PrefAddr, v+9, 16)
			}
			dhcp6Sub(t, o, v+at, v+n)
		case 7:
			if n == 1 {
				t.Add(o, fDHCPv6Preference, v, 1, t.U8(v))
			}
		case 8:
			if n == 2 {
				t.Add(o, fDHCPv6Elapsed, v, 2, t.U16(v))
			}
		case 9:
			if t.Enter() {
				dhcp6Message(t, o, v, v+n)
				t.Leave()
			}
		case 13:
			if n >= 2 {
				t.Add(o, fDHCPv6Status, v, 2, t.U16(v))
				t.AddBytes(o, fDHCPv6StatusMsg, v+2, n-2)
			}
		}
		off = v + n
	}
}

// dhcp6NestedAt is where the options inside an option of one of the codes
// that hold options (IA_NA, IA_TA, IA_ADDR, IA_PD, IA_PD-prefix, the
// leasequery ones) start, after its fixed fields: an option shorter than
// that is malformed.
func dhcp6NestedAt(code uint64) int {
	switch code {
	case 3, 25:
		return 12 // IAID, T1, T2
	case 4:
		return 4 // IAID
	case 5:
		return 24 // address, lifetimes
	case 26:
		return 25 // lifetimes, prefix length and address
	case 44:
		return 17 // query type, link address
	}
	return 0
}

// dhcp6Sub adds the options inside an option, bounding how deep they nest.
func dhcp6Sub(t *Tree, parent, off, end int) {
	if t.Enter() {
		dhcp6Options(t, parent, off, end)
		t.Leave()
	}
}

// dhcp6OptNames are the option names tcpdump prints; the rest are opt_N.
var dhcp6OptNames = map[uint16]string{
	1: "client-ID", 2: "server-ID", 3: "IA_NA", 4: "IA_TA", 5: "IA_ADDR", 6: "option-request",
	7: "preference", 8: "elapsed-time", 9: "relay-message", 11: "authentication", 12: "server-unicast",
	13: "status-code", 14: "rapid-commit", 15: "user-class", 16: "vendor-class",
	17: "vendor-specific-info", 18: "interface-ID", 19: "reconfigure-message", 20: "reconfigure-accept",
	21: "SIP-servers-domain", 22: "SIP-servers-address", 23: "DNS-server", 24: "DNS-search-list",
	25: "IA_PD", 26: "IA_PD-prefix", 27: "NIS-server", 28: "NIS+-server", 29: "NIS-domain-name",
	30: "NIS+-domain-name", 31: "SNTP-servers", 32: "lifetime", 33: "BCMCS-domain-name",
	34: "BCMCS-server", 36: "Geoconf-Civic", 37: "Remote-ID", 38: "Subscriber-ID", 39: "Client-FQDN",
	40: "PANA-agent", 41: "POSIX-timezone", 42: "POSIX-tz-database", 43: "Echo-request-option",
	44: "Lease-query", 45: "LQ-client-data", 46: "Clt-time", 47: "LQ-relay-data", 48: "LQ-client-link",
	56: "NTP-server", 64: "AFTR-Name", 112: "MUD-URL",
}

func dhcp6AppendOptName(b []byte, code uint16) []byte {
	if s, ok := dhcp6OptNames[code]; ok {
		return append(b, s...)
	}
	b = append(b, "opt_"...)
	return strconv.AppendUint(b, uint64(code), 10)
}

var dhcp6StatusNames = [11]string{"Success", "UnspecFail", "NoAddrsAvail", "NoBinding", "NotOnLink",
	"UseMulticast", "NoPrefixAvail", "UnknownQueryType", "MalformedQuery", "NotConfigured", "NotAllowed"}

// dhcp6AppendHex appends bytes as contiguous lower-case hexadecimal.
func dhcp6AppendHex(b []byte, s []byte) []byte {
	for _, c := range s {
		b = append(b, dhcpHex[c>>4], dhcpHex[c&15])
	}
	return b
}

// dhcp6AppendHexGroups appends n groups of k bytes, in hexadecimal, spaced.
func dhcp6AppendHexGroups(b []byte, s []byte, k int) []byte {
	for i := 0; i+k <= len(s); i += k {
		if i > 0 {
			b = append(b, ' ')
		}
		b = dhcp6AppendHex(b, s[i:i+k])
	}
	return b
}

func dhcp6be16(b []byte) uint64 { return uint64(b[0])<<8 | uint64(b[1]) }
func dhcp6be32(b []byte) uint64 {
	return uint64(b[0])<<24 | uint64(b[1])<<16 | uint64(b[2])<<8 | uint64(b[3])
}

// textDHCPv6 prints a DHCPv6 message as tcpdump does: the message type and,
// with -v, the transaction ID (or relay addresses) and the options.
func textDHCPv6(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off, _, lim := capturedSpan(t, n)
	p.dhcp6Msg(off, lim, lim, 0)
}

// dhcp6Msg prints the message [off, ep); lim is where the captured datagram
// ends. It is false when the printing stopped for good (a name cut short in
// the middle of a label tcpdump reads all at once).
func (p *Printer) dhcp6Msg(off, ep, lim, depth int) bool {
	d := p.t.Data
	p.b = append(p.b, "dhcp6"...)
	if ep-off < 4 {
		p.b = append(p.b, " [|dhcp6]"...)
		return true
	}
	typ := d[off]
	p.b = append(p.b, ' ')
	if int(typ) < len(dhcp6MsgNames) && dhcp6MsgNames[typ] != "" {
		p.b = append(p.b, dhcp6MsgNames[typ]...)
	} else {
		p.b = append(p.b, "msgtype-"...)
		p.b = strconv.AppendUint(p.b, uint64(typ), 10)
	}
	if p.opt.Verbose == 0 {
		return true
	}
	if typ == 12 || typ == 13 {
		// A relay header cut short ends everything, even in a relay
		// message option.
		p.b = append(p.b, " ("...)
		if ep-off < 18 {
			p.b = append(p.b, " [|dhcp6]"...)
			return false
		}
		p.b = append(p.b, "linkaddr="...)
		p.b = appendIPv6(p.b, d[off+2:off+18])
		if ep-off < 34 {
			p.b = append(p.b, " [|dhcp6]"...)
			return false
		}
		p.b = append(p.b, " peeraddr="...)
		p.b = appendIPv6(p.b, d[off+18:off+34])
		if !p.dhcp6Opts(off+34, ep, lim, depth) {
			return false
		}
		p.b = append(p.b, ')')
		return true
	}
	p.b = append(p.b, " (xid="...)
	p.b = strconv.AppendUint(p.b, uint64(d[off+1])<<16|uint64(d[off+2])<<8|uint64(d[off+3]), 16)
	if !p.dhcp6Opts(off+4, ep, lim, depth) {
		return false
	}
	p.b = append(p.b, ')')
	return true
}

// dhcp6Opts prints the options in [cp, ep), each as " (name ...)"; a
// truncated or overlong option ends the list with " [|dhcp6]". It is false
// when the printing stopped for good.
func (p *Printer) dhcp6Opts(cp, ep, lim, depth int) bool {
	d := p.t.Data
	if depth > maxLayers {
		p.b = append(p.b, " [|dhcp6]"...)
		return true
	}
	for cp < ep {
		if ep-cp < 4 {
			p.b = append(p.b, " [|dhcp6]"...)
			return true
		}
		code := uint16(dhcp6be16(d[cp:]))
		ln := int(dhcp6be16(d[cp+2:]))
		if ep-cp-4 < ln {
			p.b = append(p.b, " [|dhcp6]"...)
			return true
		}
		vo := cp + 4
		v := d[vo : vo+ln]
		p.b = append(p.b, " ("...)
		p.b = dhcp6AppendOptName(p.b, code)
		switch code {
		case 1, 2:
			p.b = dhcp6AppendDUID(p.b, v)
		case 3, 4, 5, 25, 26, 44, 45:
			at := dhcp6NestedAt(uint64(code))
			if ln < at {
				p.b = append(p.b, " ?"...)
				break
			}
			p.dhcp6Fixed(code, v)
			if !p.dhcp6Opts(vo+at, vo+ln, lim, depth+1) {
				return false
			}
		case 6, 43:
			if ln%2 != 0 {
				p.b = append(p.b, " ?"...)
				break
			}
			for i := 0; i < ln; i += 2 {
				p.b = append(p.b, ' ')
				p.b = dhcp6AppendOptName(p.b, uint16(dhcp6be16(v[i:])))
			}
		case 7, 8, 32, 46:
			// One integer: a preference, an elapsed time, a lifetime, a
			// client time.
			size := 4
			if code == 7 {
				size = 1
			} else if code == 8 {
				size = 2
			}
			if ln != size {
				p.b = append(p.b, " ?"...)
				break
			}
			var x uint64
			for _, c := range v {
				x = x<<8 | uint64(c)
			}
			p.b = append(p.b, ' ')
			p.b = strconv.AppendUint(p.b, x, 10)
		case 9:
			p.b = append(p.b, " ("...)
			if depth > maxLayers {
				p.b = append(p.b, "dhcp6 [|dhcp6]"...)
			} else {
				// The message in the option is all that its names may
				// read.
				if !p.dhcp6Msg(vo, vo+ln, vo+ln, depth+1) {
					return false
				}
			}
			// The option's own ")" closes the "(dhcp6": tcpdump prints no
			// other.
		case 11:
			p.b = dhcp6AppendAuth(p.b, v)
		case 13:
			if ln < 2 {
				p.b = append(p.b, " ?"...)
				break
			}
			c := dhcp6be16(v)
			switch {
			case c < uint64(len(dhcp6StatusNames)):
				p.b = append(p.b, ' ')
				p.b = append(p.b, dhcp6StatusNames[c]...)
			case c < 256:
				p.b = append(p.b, " code"...)
				p.b = strconv.AppendUint(p.b, c, 10)
			default:
				p.b = append(p.b, " INVALID code"...)
			}
		case 18, 38:
			p.b = dhcp6AppendHexHead(p.b, v)
		case 19:
			if ln != 1 {
				p.b = append(p.b, " ?"...)
				break
			}
			switch v[0] {
			case 5:
				p.b = append(p.b, " for renew"...)
			case 11:
				p.b = append(p.b, " for inf-req"...)
			default:
				p.b = append(p.b, " for ???("...)
				p.b = append(p.b, dhcpHex[v[0]>>4], dhcpHex[v[0]&15], ')')
			}
		case 21, 24:
			for i := vo; i < vo+ln; {
				p.b = append(p.b, ' ')
				next, st := p.dhcp6Name(i, lim)
				if st != dhcp6NameOK {
					p.b = append(p.b, " [|dhcp6]"...)
					return st == dhcp6NameFailed
				}
				i = next
			}
		case 22, 23, 27, 28, 31, 34, 40, 48:
			if ln%16 != 0 {
				p.b = append(p.b, " ?"...)
				break
			}
			for i := 0; i < ln; i += 16 {
				p.b = append(p.b, ' ')
				p.b = appendIPv6(p.b, v[i:i+16])
			}
		case 37:
			if ln < 4 {
				p.b = append(p.b, " ?"...)
				break
			}
			p.b = append(p.b, ' ')
			p.b = strconv.AppendUint(p.b, dhcp6be32(v), 10)
			p.b = dhcp6AppendHexHead(p.b, v[4:])
		case 41, 42, 112:
			if ln < 5 {
				p.b = append(p.b, " ?"...)
				break
			}
			p.b = append(p.b, ' ')
			p.b = dhcpAppendEsc(p.b, v[:dhcpStrLen(v)])
		case 47:
			if ln < 16 {
				p.b = append(p.b, " ?"...)
				break
			}
			p.b = append(p.b, ' ')
			p.b = appendIPv6(p.b, v[:16])
			p.b = dhcp6AppendHexHead(p.b, v[16:])
		case 56:
			if ln < 4 {
				p.b = append(p.b, " ?"...)
				break
			}
			// A name may run on past its suboption; what follows it is
			// found from the suboption's length.
			for i := vo; vo+ln-i > 4; {
				sc, sl := dhcp6be16(d[i:]), int(dhcp6be16(d[i+2:]))
				if sl > vo+ln-i-4 {
					p.b = append(p.b, " [|dhcp6]"...)
					return true
				}
				i += 4
				p.b = append(p.b, " subopt:"...)
				p.b = strconv.AppendUint(p.b, sc, 10)
				switch sc {
				case 1, 2:
					if sl != 16 {
						p.b = append(p.b, " ?"...)
					} else {
						p.b = append(p.b, ' ')
						p.b = appendIPv6(p.b, d[i:i+16])
					}
				case 3:
					p.b = append(p.b, ' ')
					if _, st := p.dhcp6Name(i, lim); st != dhcp6NameOK {
						p.b = append(p.b, " [|dhcp6]"...)
						return st == dhcp6NameFailed
					}
				default:
					p.b = append(p.b, " ?"...)
				}
				i += sl
			}
		case 64:
			if ln < 3 {
				p.b = append(p.b, " ?"...)
				break
			}
			p.b = append(p.b, ' ')
			rem, i := ln, 0
			for first := true; rem > 0 && v[i] != 0; first = false {
				if !first {
					p.b = append(p.b, '.')
				}
				lab := int(v[i])
				i++
				rem--
				if lab > rem-1 {
					p.b = append(p.b, " ?"...)
					break
				}
				l := v[i : i+lab]
				p.b = dhcpAppendEsc(p.b, l[:dhcpStrLen(l)])
				i += lab
				rem -= lab
			}
		}
		p.b = append(p.b, ')')
		cp = vo + ln
	}
	return true
}

// dhcp6Fixed prints the fixed fields of an option that holds options (see
// dhcp6NestedAt), value v.
func (p *Printer) dhcp6Fixed(code uint16, v []byte) {
	switch code {
	case 3, 4, 25:
		p.b = append(p.b, " IAID:"...)
		p.b = strconv.AppendUint(p.b, dhcp6be32(v), 10)
		if code != 4 {
			p.b = append(p.b, " T1:"...)
			p.b = strconv.AppendUint(p.b, dhcp6be32(v[4:]), 10)
			p.b = append(p.b, " T2:"...)
			p.b = strconv.AppendUint(p.b, dhcp6be32(v[8:]), 10)
		}
	case 5, 26:
		p.b = append(p.b, ' ')
		lt := v
		if code == 5 {
			p.b = appendIPv6(p.b, v[:16])
			lt = v[16:]
		} else {
			p.b = appendIPv6(p.b, v[9:25])
			p.b = append(p.b, '/')
			p.b = strconv.AppendUint(p.b, uint64(v[8]), 10)
		}
		p.b = append(p.b, " pltime:"...)
		p.b = strconv.AppendUint(p.b, dhcp6be32(lt), 10)
		p.b = append(p.b, " vltime:"...)
		p.b = strconv.AppendUint(p.b, dhcp6be32(lt[4:]), 10)
	case 44:
		switch v[0] {
		case 1:
			p.b = append(p.b, " by-address"...)
		case 2:
			p.b = append(p.b, " by-clientID"...)
		default:
			p.b = append(p.b, " type_"...)
			p.b = strconv.AppendUint(p.b, uint64(v[0]), 10)
		}
		p.b = append(p.b, ' ')
		p.b = appendIPv6(p.b, v[1:17])
	}
}

// dhcp6AppendHexHead appends " " and the first ten bytes of v in
// hexadecimal, then "...".
func dhcp6AppendHexHead(b []byte, v []byte) []byte {
	b = append(b, ' ')
	b = dhcp6AppendHex(b, v[:min(len(v), 10)])
	return append(b, "..."...)
}

// The outcomes of dhcp6Name.
const (
	dhcp6NameOK     = iota
	dhcp6NameFailed // the option list ends with " [|dhcp6]"
	dhcp6NameFatal  // the whole message ends there
)

// dhcp6Name prints the DNS name at off (RFC 1035 labels, each followed by a
// dot; RFC 2673 bit-string labels) and returns the offset after it. A
// compression pointer, an unknown label type or a label past lim fails; a
// bit-string label past lim is fatal.
func (p *Printer) dhcp6Name(off, lim int) (int, int) {
	d := p.t.Data
	if off >= lim {
		return off, dhcp6NameFailed
	}
	if d[off] == 0 {
		p.b = append(p.b, '.')
		return off + 1, dhcp6NameOK
	}
	start := off
	for {
		if off >= lim {
			return off, dhcp6NameFailed
		}
		n := int(d[off])
		switch n & 0xc0 {
		case 0:
			if n == 0 {
				return off + 1, dhcp6NameOK
			}
			if off+1 >= lim {
				// Nothing of the label was captured: tcpdump ends the
				// name there.
				return off + 1 + n, dhcp6NameOK
			}
			if off+1+n > lim {
				p.b = dhcpAppendEsc(p.b, d[off+1:lim])
				return lim, dhcp6NameFailed
			}
			p.b = dhcpAppendEsc(p.b, d[off+1:off+1+n])
			off += 1 + n
		case 0x40:
			if n != 0x41 {
				p.b = append(p.b, "<ELT "...)
				p.b = strconv.AppendUint(p.b, uint64(n&0x3f), 10)
				p.b = append(p.b, '>')
				return off, dhcp6NameFailed
			}
			if off+1 >= lim {
				return off, dhcp6NameFailed
			}
			p.b = append(p.b, "\\[x"...)
			bits := int(d[off+1])
			if bits == 0 {
				bits = 256
			}
			nb := (bits + 7) / 8
			for i := 0; i < nb; i++ {
				if off+2+i >= lim {
					return off, dhcp6NameFatal
				}
				c := d[off+2+i]
				// The last byte shows only its bits: one digit for up
				// to four.
				switch rest := bits - 8*i; {
				case rest >= 8:
					p.b = append(p.b, dhcpHex[c>>4], dhcpHex[c&15])
				case rest <= 4:
					p.b = append(p.b, dhcpHex[c>>4&(0xf<<(4-rest))&0xf])
				default:
					c &= 0xff << (8 - rest)
					p.b = append(p.b, dhcpHex[c>>4], dhcpHex[c&15])
				}
			}
			p.b = append(p.b, '/')
			p.b = strconv.AppendUint(p.b, uint64(bits), 10)
			p.b = append(p.b, ']')
			off += 2 + nb
		case 0x80:
			p.b = append(p.b, "<BAD LABEL TYPE>"...)
			return off, dhcp6NameFailed
		default:
			// A compression pointer fails, unless it follows a label and
			// its second byte was not captured: then the name just ends.
			if off+1 >= lim && off > start {
				return off + 2, dhcp6NameOK
			}
			return off, dhcp6NameFailed
		}
		p.b = append(p.b, '.')
	}
}

// dhcp6AppendDUID appends a DUID (RFC 8415 section 11, RFC 6355).
func dhcp6AppendDUID(b []byte, v []byte) []byte {
	ln := len(v)
	if ln < 2 {
		return append(b, " ?"...)
	}
	typ := dhcp6be16(v)
	switch typ {
	case 1:
		if ln < 8 {
			return append(b, " ?"...)
		}
		b = append(b, " hwaddr/time type "...)
		b = strconv.AppendUint(b, dhcp6be16(v[2:]), 10)
		b = append(b, " time "...)
		b = strconv.AppendUint(b, dhcp6be32(v[4:]), 10)
		b = append(b, ' ')
		return dhcp6AppendHex(b, v[8:])
	case 2:
		if ln < 10 {
			return append(b, " ?"...)
		}
		b = append(b, " vid "...)
		return dhcp6AppendHex(b, v[2:10])
	case 3:
		if ln < 4 {
			return append(b, " ?"...)
		}
		b = append(b, " hwaddr type "...)
		b = strconv.AppendUint(b, dhcp6be16(v[2:]), 10)
		b = append(b, ' ')
		return dhcp6AppendHex(b, v[4:])
	}
	b = append(b, " type "...)
	return strconv.AppendUint(b, typ, 10)
}

// dhcp6AppendAuth appends an authentication option (RFC 8415 section 21.11).
func dhcp6AppendAuth(b []byte, v []byte) []byte {
	if len(v) < 11 {
		return append(b, " ?"...)
	}
	b = append(b, " proto: "...)
	switch v[0] {
	case 2:
		b = append(b, "delayed"...)
	case 3:
		b = append(b, "reconfigure"...)
	default:
		b = strconv.AppendUint(b, uint64(v[0]), 10)
	}
	b = append(b, ", alg: "...)
	if v[1] == 1 {
		b = append(b, "HMAC-MD5"...)
	} else {
		b = strconv.AppendUint(b, uint64(v[1]), 10)
	}
	b = append(b, ", RDM: "...)
	if v[2] == 0 {
		b = append(b, "mono"...)
	} else {
		b = strconv.AppendUint(b, uint64(v[2]), 10)
	}
	b = append(b, ", RD: "...)
	b = dhcp6AppendHexGroups(b, v[3:11], 2)
	ai := v[11:]
	switch v[0] {
	case 2:
		if len(ai) == 0 {
			return b
		}
		if len(ai) < 20 {
			return append(b, " ??"...)
		}
		r := len(ai) - 20
		if r > 0 {
			b = append(b, ", realm: "...)
			b = dhcp6AppendHex(b, ai[:r])
		}
		b = append(b, ", key ID: "...)
		b = dhcp6AppendHex(b, ai[r:r+4])
		b = append(b, ", HMAC-MD5: "...)
		return dhcp6AppendHexGroups(b, ai[r+4:r+20], 4)
	case 3:
		if len(ai) != 17 {
			return append(b, " ??"...)
		}
		switch ai[0] {
		case 1:
			b = append(b, " reconfig-key value: "...)
		case 2:
			b = append(b, " type: HMAC-MD5 value: "...)
		default:
			b = append(b, " type: ?? value: "...)
		}
		return dhcp6AppendHexGroups(b, ai[1:17], 4)
	}
	return append(b, " ??"...)
}
