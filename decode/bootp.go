package decode

import "strconv"

// BOOTP (RFC 951) and DHCPv4 (RFC 2131, options RFC 2132 and later) on UDP
// ports 67 and 68. Wireshark names the protocol "dhcp".

var (
	protoDHCP          = proto("dhcp", "Dynamic Host Configuration Protocol")
	fDHCPType          = field("dhcp.type", "Message type", TypeUint8)
	fDHCPHwType        = field("dhcp.hw.type", "Hardware type", TypeUint8)
	fDHCPHwLen         = field("dhcp.hw.len", "Hardware address length", TypeUint8)
	fDHCPHops          = field("dhcp.hops", "Hops", TypeUint8)
	fDHCPID            = register(Field{Name: "dhcp.id", Title: "Transaction ID", Type: TypeUint32, Hex: true})
	fDHCPSecs          = field("dhcp.secs", "Seconds elapsed", TypeUint16)
	fDHCPFlags         = register(Field{Name: "dhcp.flags", Title: "Bootp flags", Type: TypeUint16, Hex: true})
	fDHCPFlagBC        = flagField("dhcp.flags.bc", "Broadcast flag", 0x8000)
	fDHCPIPClient      = field("dhcp.ip.client", "Client IP address", TypeIPv4)
	fDHCPIPYour        = field("dhcp.ip.your", "Your (client) IP address", TypeIPv4)
	fDHCPIPServer      = field("dhcp.ip.server", "Next server IP address", TypeIPv4)
	fDHCPIPRelay       = field("dhcp.ip.relay", "Relay agent IP address", TypeIPv4)
	fDHCPHwAddr        = field("dhcp.hw.addr", "Client hardware address", TypeBytes)
	fDHCPHwMAC         = field("dhcp.hw.mac_addr", "Client MAC address", TypeEther)
	fDHCPServer        = field("dhcp.server", "Server host name", TypeString)
	fDHCPFile          = field("dhcp.file", "Boot file name", TypeString)
	fDHCPCookie        = field("dhcp.cookie", "Magic cookie", TypeIPv4)
	fDHCPVendorOpts    = field("dhcp.vendor_specific_options", "Bootp vendor specific options", TypeBytes)
	fDHCPOptType       = field("dhcp.option.type", "Option", TypeUint8)
	fDHCPOptLen        = field("dhcp.option.length", "Length", TypeUint8)
	fDHCPOptValue      = field("dhcp.option.value", "Value", TypeBytes)
	fDHCPOptPadding    = field("dhcp.option.padding", "Padding", TypeBytes)
	fDHCPOptEnd        = field("dhcp.option.end", "Option End", TypeUint8)
	fDHCPOptMsgType    = enumField("dhcp.option.dhcp", "DHCP", TypeUint8, dhcpMsgTypeValues)
	fDHCPOptRequestLst = field("dhcp.option.request_list_item", "Parameter Request List Item", TypeUint8)
	fDHCPOptSubnetMask = field("dhcp.option.subnet_mask", "Subnet Mask", TypeIPv4)
	fDHCPOptRouter     = field("dhcp.option.router", "Router", TypeIPv4)
	fDHCPOptDNS        = field("dhcp.option.domain_name_server", "Domain Name Server", TypeIPv4)
	fDHCPOptHostname   = field("dhcp.option.hostname", "Host Name", TypeStringz)
	fDHCPOptDomainName = field("dhcp.option.domain_name", "Domain Name", TypeStringz)
	fDHCPOptBroadcast  = field("dhcp.option.broadcast_address", "Broadcast Address", TypeIPv4)
	fDHCPOptNTPServer  = field("dhcp.option.ntp_server", "Network Time Protocol Server", TypeIPv4)
	fDHCPOptRequested  = field("dhcp.option.requested_ip_address", "Requested IP Address", TypeIPv4)
	fDHCPOptLeaseTime  = field("dhcp.option.ip_address_lease_time", "IP Address Lease Time", TypeUint32)
	fDHCPOptServerID   = field("dhcp.option.dhcp_server_id", "DHCP Server Identifier", TypeIPv4)
	fDHCPOptMaxMsgSize = field("dhcp.option.dhcp_max_message_size", "Maximum DHCP Message Size", TypeUint16)
	fDHCPOptRenewal    = field("dhcp.option.renewal_time_value", "Renewal Time Value", TypeUint32)
	fDHCPOptRebinding  = field("dhcp.option.rebinding_time_value", "Rebinding Time Value", TypeUint32)
	fDHCPOptVendorCls  = field("dhcp.option.vendor_class_id", "Vendor class identifier", TypeStringz)
	fDHCPOptClientID   = field("dhcp.client_id", "Identifier", TypeBytes)
	fDHCPOptClientIDTy = field("dhcp.client_id.type", "Type", TypeUint8)
	fDHCPOptTFTPName   = field("dhcp.option.tftp_server_name", "TFTP Server Name", TypeStringz)
	fDHCPOptTFTPAddr   = field("dhcp.option.tftp_server_address", "TFTP Server Address", TypeIPv4)
	fDHCPOptMUDURL     = field("dhcp.option.mudurl", "MUDURL", TypeString)
)

// dhcpOptFields are the fields that hold the values of common options:
// integers of the value's size, addresses one node each, strings whole.
var dhcpOptFields = [256]FieldID{
	1: fDHCPOptSubnetMask, 3: fDHCPOptRouter, 6: fDHCPOptDNS, 12: fDHCPOptHostname, 15: fDHCPOptDomainName,
	28: fDHCPOptBroadcast, 42: fDHCPOptNTPServer, 50: fDHCPOptRequested, 51: fDHCPOptLeaseTime,
	54: fDHCPOptServerID, 57: fDHCPOptMaxMsgSize, 58: fDHCPOptRenewal, 59: fDHCPOptRebinding,
	60: fDHCPOptVendorCls, 66: fDHCPOptTFTPName, 150: fDHCPOptTFTPAddr, 161: fDHCPOptMUDURL,
}

var dhcpMsgTypeValues = map[uint64]string{
	1: "Discover", 2: "Offer", 3: "Request", 4: "Decline", 5: "ACK", 6: "NACK", 7: "Release",
	8: "Inform", 10: "LeaseQuery", 11: "LeaseUnassigned", 12: "LeaseUnknown", 13: "LeaseActive",
}

func init() {
	UDPPorts.Register(67, dissectDHCP)
	UDPPorts.Register(68, dissectDHCP)
	registerText(protoDHCP, textDHCP)
}

const dhcpMagic = 0x63825363

// dissectDHCP reads a BOOTP/DHCP message: the fixed 236-byte header, the
// magic cookie and the options after it.
func dissectDHCP(t *Tree, off, end int) {
	l := t.AddLayer(protoDHCP, off, end-off)
	// What was captured of the datagram bounds the message.
	capEnd := capturedEnd(t, end)
	has := func(o, n int) bool { return off+o+n <= capEnd }
	if !has(0, 1) {
		t.Mark(l, Truncated)
		return
	}
	t.Add(l, fDHCPType, off, 1, t.U8(off))
	if !has(1, 3) {
		t.Mark(l, Truncated)
		return
	}
	htype, hlen := t.U8(off+1), t.U8(off+2)
	t.Add(l, fDHCPHwType, off+1, 1, htype)
	t.Add(l, fDHCPHwLen, off+2, 1, hlen)
	t.Add(l, fDHCPHops, off+3, 1, t.U8(off+3))
	if !has(4, 8) {
		t.Mark(l, Truncated)
		return
	}
	t.Add(l, fDHCPID, off+4, 4, t.U32(off+4))
	t.Add(l, fDHCPSecs, off+8, 2, t.U16(off+8))
	if !has(10, 2) {
		t.Mark(l, Truncated)
		return
	}
	fl := t.U16(off + 10)
	fi := t.Add(l, fDHCPFlags, off+10, 2, fl)
	t.Add(fi, fDHCPFlagBC, off+10, 2, fl>>15)
	for i, f := range [4]FieldID{fDHCPIPClient, fDHCPIPYour, fDHCPIPServer, fDHCPIPRelay} {
		if !has(12+4*i, 4) {
			t.Mark(l, Truncated)
			return
		}
		t.AddBytes(l, f, off+12+4*i, 4)
	}
	if !has(28, 16) {
		t.Mark(l, Truncated)
		return
	}
	if htype == 1 && hlen == 6 {
		t.AddBytes(l, fDHCPHwMAC, off+28, 6)
	} else {
		n := int(hlen)
		if n > 16 {
			n = 16
		}
		t.AddBytes(l, fDHCPHwAddr, off+28, n)
	}
	if !has(44, 64) {
		t.Mark(l, Truncated)
		return
	}
	t.AddBytes(l, fDHCPServer, off+44, dhcpStrLen(t.Data[off+44:off+108]))
	if !has(108, 128) {
		t.Mark(l, Truncated)
		return
	}
	t.AddBytes(l, fDHCPFile, off+108, dhcpStrLen(t.Data[off+108:off+236]))
	if !has(236, 4) {
		t.Mark(l, Truncated)
		return
	}
	opts := off + 240
	if t.U32(off+236) != dhcpMagic {
		// BOOTP's 64-byte vendor field (RFC 951): tshark reads it whole,
		// and what follows it as options.
		if !has(236, 64) {
			t.Mark(l, Truncated)
			return
		}
		t.AddBytes(l, fDHCPVendorOpts, off+236, 64)
		opts = off + 300
	} else {
		t.AddBytes(l, fDHCPCookie, off+236, 4)
	}
	for o := opts; o < capEnd; {
		code := t.U8(o)
		if code == 0 {
			n := 1
			for o+n < capEnd && t.Data[o+n] == 0 {
				n++
			}
			oi := t.Add(l, fDHCPOptType, o, n, 0)
			t.AddBytes(oi, fDHCPOptPadding, o, n)
			o += n
			continue
		}
		if code == 255 {
			if !t.Tcpdump {
				// tshark's End option item holds 0, and what follows
				// it is padding, not options.
				t.Add(t.Add(l, fDHCPOptType, o, 1, 0), fDHCPOptEnd, o, 1, 255)
				if o+1 < capEnd {
					t.AddBytes(l, fDHCPOptPadding, o+1, capEnd-o-1)
				}
				return
			}
			// tcpdump's -vvv reads on past the end.
			oi := t.Add(l, fDHCPOptType, o, 1, 255)
			t.Add(oi, fDHCPOptEnd, o, 1, 255)
			o++
			continue
		}
		if o+2 > capEnd {
			oi := t.Add(l, fDHCPOptType, o, 1, code)
			t.Mark(oi, Truncated)
			return
		}
		n := int(t.U8(o + 1))
		oi := t.Add(l, fDHCPOptType, o, 2+n, code)
		t.Add(oi, fDHCPOptLen, o+1, 1, uint64(n))
		if o+2+n > capEnd {
			t.Mark(oi, Truncated)
			return
		}
		if n > 0 {
			t.AddBytes(oi, fDHCPOptValue, o+2, n)
		}
		if f := dhcpOptFields[code]; f != 0 && n > 0 {
			v := o + 2
			switch f.Info().Type {
			case TypeIPv4:
				for i := 0; i+4 <= n; i += 4 {
					t.AddBytes(oi, f, v+i, 4)
				}
			case TypeUint32:
				if n == 4 {
					t.Add(oi, f, v, 4, t.U32(v))
				}
			case TypeUint16:
				if n == 2 {
					t.Add(oi, f, v, 2, t.U16(v))
				}
			default:
				t.AddBytes(oi, f, v, n)
			}
		}
		switch code {
		case 61:
			if n > 0 {
				ci := t.AddBytes(oi, fDHCPOptClientID, o+2, n)
				t.Add(ci, fDHCPOptClientIDTy, o+2, 1, t.U8(o+2))
			}
		case 53:
			if n == 1 {
				t.Add(oi, fDHCPOptMsgType, o+2, 1, t.U8(o+2))
			}
		case 55:
			for i := 0; i < n; i++ {
				t.Add(oi, fDHCPOptRequestLst, o+2+i, 1, t.U8(o+2+i))
			}
		}
		o += 2 + n
	}
}

// dhcpStrLen is the length of a NUL-padded string field.
func dhcpStrLen(b []byte) int {
	for i, c := range b {
		if c == 0 {
			return i
		}
	}
	return len(b)
}

// dhcpOptNames are the option names tcpdump prints ("" is "Unknown").
var dhcpOptNames = [256]string{
	0: "PAD", 1: "Subnet-Mask", 2: "Time-Zone", 3: "Default-Gateway", 4: "Time-Server", 5: "IEN-Name-Server",
	6: "Domain-Name-Server", 7: "LOG", 8: "CS", 9: "LPR-Server", 10: "IM", 11: "RL", 12: "Hostname", 13: "BS",
	14: "DP", 15: "Domain-Name", 16: "SS", 17: "RP", 18: "EP", 19: "IPF", 20: "SRT", 21: "PF", 22: "RSZ",
	23: "TTL", 24: "MTU-Timeout", 25: "MTU-Table", 26: "MTU", 27: "LSN", 28: "BR", 29: "MD", 30: "MS",
	31: "Router-Discovery", 32: "RSA", 33: "Static-Route", 34: "UT", 35: "AT", 36: "IE", 37: "TT", 38: "KI",
	39: "KG", 40: "YD", 41: "YS", 42: "NTP", 43: "Vendor-Option", 44: "Netbios-Name-Server", 45: "WDD",
	46: "Netbios-Node", 47: "Netbios-Scope", 48: "XFS", 49: "XDM", 50: "Requested-IP", 51: "Lease-Time",
	52: "OO", 53: "DHCP-Message", 54: "Server-ID", 55: "Parameter-Request", 56: "MSG", 57: "MSZ", 58: "RN",
	59: "RB", 60: "Vendor-Class", 61: "Client-ID", 64: "N+D", 65: "N+S", 66: "TFTP", 67: "BF", 68: "MH",
	69: "SMTP", 70: "POP3", 71: "NNTP", 72: "WWW", 73: "FG", 74: "IRC", 75: "STS", 76: "STDA",
	77: "User-Class", 78: "SLP-DA", 79: "SLP-SCOPE", 80: "SLP-NA", 81: "FQDN", 82: "Agent-Information",
	83: "ARMT", 88: "TZSTR", 89: "FQDNS", 90: "AUTH", 91: "Last-Transaction-Time", 92: "Associated-IP",
	93: "ARCH", 94: "NDI", 95: "LDAP", 97: "GUID", 98: "UAP", 100: "POSIX-TZ", 101: "TZ-Name", 112: "NI",
	113: "NITAG", 114: "URL", 116: "NOAUTO", 117: "NSSEARCH", 118: "SUBNET", 121: "Classless-Static-Route",
	150: "TFTP-Server-Address", 161: "MUD-URL", 249: "Classless-Static-Route-Microsoft", 255: "END",
}

// How an option's value is printed; 0 is the shape of an unknown option.
const (
	dhcpVUnknown = iota
	dhcpVIP      // IPv4 addresses
	dhcpVU32     // 32-bit integers
	dhcpVS32     // signed 32-bit integers
	dhcpVU16     // 16-bit integers
	dhcpVBytes   // bytes in decimal, dotted
	dhcpVBool    // N, Y
	dhcpVString  // a quoted string
	dhcpVSpecial // decoded by its own code
)

var dhcpOptKinds = func() (k [256]uint8) {
	set := func(kind uint8, codes ...int) {
		for _, c := range codes {
			k[c] = kind
		}
	}
	set(dhcpVIP, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 16, 28, 32, 41, 42, 44, 45, 48, 49, 50, 54, 65, 68, 69, 70,
		71, 72, 73, 74, 75, 76, 92, 112, 118, 150)
	set(dhcpVU32, 24, 35, 38, 51, 58, 59)
	set(dhcpVS32, 2, 91)
	set(dhcpVU16, 13, 22, 25, 26, 57, 64, 93, 117)
	set(dhcpVBytes, 23, 37, 43, 78, 79, 83, 89, 90, 94, 97)
	set(dhcpVBool, 19, 20, 27, 29, 30, 31, 34, 36, 39, 116)
	set(dhcpVString, 12, 14, 15, 17, 18, 40, 47, 56, 60, 66, 67, 80, 88, 95, 98, 100, 101, 113, 114, 161)
	set(dhcpVSpecial, 21, 33, 46, 52, 53, 55, 61, 77, 81, 82, 121, 249)
	return
}()

// dhcpAppendOptName appends "Name (code)".
func dhcpAppendOptName(b []byte, code byte) []byte {
	if s := dhcpOptNames[code]; s != "" {
		b = append(b, s...)
	} else {
		b = append(b, "Unknown"...)
	}
	b = append(b, " ("...)
	b = strconv.AppendUint(b, uint64(code), 10)
	return append(b, ')')
}

// dhcpAppendEsc appends bytes as tcpdump prints unsafe text: control
// characters as ^X, bytes above 127 as M- and the rest.
func dhcpAppendEsc(b []byte, s []byte) []byte {
	for _, c := range s {
		if c >= 0x80 {
			b = append(b, 'M', '-')
			c &= 0x7f
		}
		if c < 0x20 || c == 0x7f {
			b = append(b, '^', c^0x40)
		} else {
			b = append(b, c)
		}
	}
	return b
}

const dhcpHex = "0123456789abcdef"

// dhcpAppendColonHex appends bytes as xx:xx:xx.
func dhcpAppendColonHex(b []byte, s []byte) []byte {
	for i, c := range s {
		if i > 0 {
			b = append(b, ':')
		}
		b = append(b, dhcpHex[c>>4], dhcpHex[c&15])
	}
	return b
}

func dhcpAppendHex32(b []byte, v uint64) []byte {
	b = append(b, "0x"...)
	return strconv.AppendUint(b, v, 16)
}

// dhcpAppendSetIP appends label and the IPv4 address a, unless a is 0.0.0.0.
func dhcpAppendSetIP(b []byte, label string, a []byte) []byte {
	if a[0]|a[1]|a[2]|a[3] == 0 {
		return b
	}
	b = append(b, label...)
	return appendIPv4(b, a)
}

// textDHCP prints a BOOTP/DHCP message as tcpdump does.
func textDHCP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off, length, capEnd := capturedSpan(t, n)
	d := t.Data
	has := func(o, k int) bool { return off+o+k <= capEnd }
	trunc := func() { p.b = append(p.b, " [|bootp]"...) }
	if !has(0, 1) {
		trunc()
		return
	}
	p.b = append(p.b, "BOOTP/DHCP, "...)
	op := d[off]
	switch op {
	case 1:
		p.b = append(p.b, "Request"...)
	case 2:
		p.b = append(p.b, "Reply"...)
	default:
		p.b = append(p.b, "unknown (0x"...)
		p.b = append(p.b, dhcpHex[op>>4], dhcpHex[op&15], ')')
	}
	if !has(1, 2) {
		trunc()
		return
	}
	htype, hlen := d[off+1], d[off+2]
	ether := htype == 1 && hlen == 6
	if op == 1 && ether {
		if !has(28, 6) {
			trunc()
			return
		}
		p.b = append(p.b, " from "...)
		p.b = dhcpAppendColonHex(p.b, d[off+28:off+34])
	}
	p.b = append(p.b, ", length "...)
	p.b = strconv.AppendUint(p.b, uint64(length), 10)
	if p.opt.Verbose == 0 {
		return
	}
	if !has(0, 10) {
		trunc()
		return
	}
	if htype != 1 {
		p.b = append(p.b, ", htype "...)
		p.b = strconv.AppendUint(p.b, uint64(htype), 10)
	}
	if htype != 1 || hlen != 6 {
		p.b = append(p.b, ", hlen "...)
		p.b = strconv.AppendUint(p.b, uint64(hlen), 10)
	}
	if h := d[off+3]; h != 0 {
		p.b = append(p.b, ", hops "...)
		p.b = strconv.AppendUint(p.b, uint64(h), 10)
	}
	if x := t.U32(off + 4); x != 0 {
		p.b = append(p.b, ", xid "...)
		p.b = dhcpAppendHex32(p.b, x)
	}
	if s := t.U16(off + 8); s != 0 {
		p.b = append(p.b, ", secs "...)
		p.b = strconv.AppendUint(p.b, s, 10)
	}
	if !has(10, 2) {
		trunc()
		return
	}
	fl := t.U16(off + 10)
	p.b = append(p.b, ", Flags ["...)
	if fl&0x8000 != 0 {
		p.b = append(p.b, "Broadcast"...)
	} else {
		p.b = append(p.b, "none"...)
	}
	p.b = append(p.b, ']')
	if p.opt.Verbose > 1 {
		p.b = append(p.b, " (0x"...)
		p.b = append(p.b, dhcpHex[fl>>12&15], dhcpHex[fl>>8&15], dhcpHex[fl>>4&15], dhcpHex[fl&15], ')')
	}
	for i, name := range [4]string{"\n\t  Client-IP ", "\n\t  Your-IP ", "\n\t  Server-IP ", "\n\t  Gateway-IP "} {
		o := off + 12 + 4*i
		if !has(12+4*i, 4) {
			trunc()
			return
		}
		p.b = dhcpAppendSetIP(p.b, name, d[o:o+4])
	}
	if ether {
		if !has(28, 6) {
			trunc()
			return
		}
		p.b = append(p.b, "\n\t  Client-Ethernet-Address "...)
		p.b = dhcpAppendColonHex(p.b, d[off+28:off+34])
	}
	for _, f := range [2]struct {
		name    string
		at, len int
	}{{"sname", 44, 64}, {"file", 108, 128}} {
		if !has(f.at, 1) {
			trunc()
			return
		}
		if d[off+f.at] != 0 {
			p.b = append(p.b, "\n\t  "...)
			p.b = append(p.b, f.name...)
			p.b = append(p.b, " \""...)
			e := off + f.at + f.len
			if e > capEnd {
				e = capEnd
			}
			s := d[off+f.at : e]
			p.b = dhcpAppendEsc(p.b, s[:dhcpStrLen(s)])
			p.b = append(p.b, '"')
		}
		if !has(f.at, f.len) {
			trunc()
			return
		}
	}
	if !has(236, 4) {
		trunc()
		return
	}
	cookie := t.U32(off + 236)
	if cookie == 0x434d5500 { // "CMU\0": the Carnegie Mellon vendor area
		p.b = append(p.b, " vend-cmu"...)
		for _, f := range [8]struct {
			name string
			at   int
		}{{" DG:", 12}, {" SM:", 8}, {" NS1:", 16}, {" NS2:", 20}, {" IEN1:", 24}, {" IEN2:", 28}, {" TS1:", 32}, {" TS2:", 36}} {
			o := off + 236 + f.at
			if o+4 > capEnd {
				trunc()
				return
			}
			p.b = dhcpAppendSetIP(p.b, f.name, d[o:o+4])
		}
		return
	}
	if cookie != dhcpMagic {
		if cookie != 0 {
			p.b = append(p.b, "\n\t  Vendor-#0x"...)
			p.b = strconv.AppendUint(p.b, cookie, 16)
		}
		return
	}
	p.b = append(p.b, "\n\t  Vendor-rfc1048 Extensions\n\t    Magic Cookie 0x63825363"...)
	for i := t.Find(n, fDHCPOptType); i >= 0; i = t.FindNext(n, i, fDHCPOptType) {
		nd := &t.Nodes[i]
		if int(nd.Depth) != 1 {
			continue
		}
		o := int(nd.Off)
		code := byte(nd.Val)
		switch {
		case code == 0 && int(nd.Len) >= 1 && d[o] == 0:
			if p.opt.Verbose > 2 {
				p.b = append(p.b, "\n\t    PAD (0), length 0"...)
				if nd.Len > 1 {
					p.b = append(p.b, ", occurs "...)
					p.b = strconv.AppendUint(p.b, uint64(nd.Len), 10)
				}
			}
			continue
		case code == 255 && nd.Len == 1:
			if p.opt.Verbose < 3 {
				// Below -vvv the options end at END; -vvv shows what follows.
				return
			}
			p.b = append(p.b, "\n\t    END (255), length 0"...)
			continue
		}
		if o+2 > capEnd {
			trunc()
			return
		}
		ln := int(d[o+1])
		p.b = append(p.b, "\n\t    "...)
		p.b = dhcpAppendOptName(p.b, code)
		p.b = append(p.b, ", length "...)
		p.b = strconv.AppendUint(p.b, uint64(ln), 10)
		if ln > 0 {
			p.b = append(p.b, ": "...)
		}
		if o+2+ln > capEnd {
			trunc()
			return
		}
		p.b = dhcpAppendOptValue(p.b, code, d[o+2:o+2+ln], p.opt.Verbose)
	}
}

// dhcpAppendOptValue appends an option's value (the part after "length N: ")
// and a note of the bytes its decoding left over.
func dhcpAppendOptValue(b []byte, code byte, v []byte, verbose int) []byte {
	ln := len(v)
	used := ln
	kind := dhcpOptKinds[code]
	if kind == dhcpVUnknown {
		switch {
		case ln == 0:
		case ln%4 == 0:
			kind = dhcpVU32
		case ln%2 == 0:
			kind = dhcpVU16
		default:
			kind = dhcpVBytes
		}
	}
	switch kind {
	case dhcpVIP:
		used = ln - ln%4
		for i := 0; i < used; i += 4 {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendIPv4(b, v[i:i+4])
		}
	case dhcpVU32, dhcpVS32:
		used = ln - ln%4
		for i := 0; i < used; i += 4 {
			if i > 0 {
				b = append(b, ',')
			}
			x := uint32(v[i])<<24 | uint32(v[i+1])<<16 | uint32(v[i+2])<<8 | uint32(v[i+3])
			if kind == dhcpVS32 {
				b = strconv.AppendInt(b, int64(int32(x)), 10)
			} else {
				b = strconv.AppendUint(b, uint64(x), 10)
			}
		}
	case dhcpVU16:
		used = ln - ln%2
		for i := 0; i < used; i += 2 {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendUint(b, uint64(v[i])<<8|uint64(v[i+1]), 10)
		}
	case dhcpVBytes:
		for i, c := range v {
			if i > 0 {
				b = append(b, '.')
			}
			b = strconv.AppendUint(b, uint64(c), 10)
		}
	case dhcpVBool:
		for i, c := range v {
			if i > 0 {
				b = append(b, ',')
			}
			switch c {
			case 0:
				b = append(b, 'N')
			case 1:
				b = append(b, 'Y')
			default:
				b = strconv.AppendUint(b, uint64(c), 10)
				b = append(b, '?')
			}
		}
	case dhcpVString:
		b = append(b, '"')
		b = dhcpAppendEsc(b, v)
		b = append(b, '"')
	case dhcpVSpecial:
		b, used = dhcpAppendSpecial(b, code, v, verbose)
	}
	if used < ln {
		b = append(b, "\n\t  trailing data length "...)
		b = strconv.AppendUint(b, uint64(ln-used), 10)
	}
	return b
}

// dhcpAppendSpecial decodes the options with a structure of their own; it
// returns how many bytes it used.
func dhcpAppendSpecial(b []byte, code byte, v []byte, verbose int) ([]byte, int) {
	ln := len(v)
	switch code {
	case 21, 33: // address pairs
		used := ln - ln%8
		for i := 0; i < used; i += 8 {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '(')
			b = appendIPv4(b, v[i:i+4])
			b = append(b, ':')
			b = appendIPv4(b, v[i+4:i+8])
			b = append(b, ')')
		}
		return b, used
	case 46, 52:
		if ln < 1 {
			return append(b, "[ERROR: length < 1 bytes]"...), ln
		}
		var s string
		if code == 46 {
			switch v[0] {
			case 1:
				s = "b-node"
			case 2:
				s = "p-node"
			case 4:
				s = "m-node"
			case 8:
				s = "h-node"
			}
		} else {
			switch v[0] {
			case 1:
				s = "file"
			case 2:
				s = "sname"
			case 3:
				s = "file+sname"
			}
		}
		if s != "" {
			b = append(b, s...)
		} else {
			b = append(b, '#')
			b = strconv.AppendUint(b, uint64(v[0]), 10)
		}
		return b, 1
	case 53:
		if ln == 1 {
			if s := dhcpMsgTypeValues[uint64(v[0])]; s != "" {
				return append(b, s...), 1
			}
			b = append(b, "Unknown ("...)
			b = strconv.AppendUint(b, uint64(v[0]), 10)
			return append(b, ')'), 1
		}
		for i, c := range v {
			if i > 0 {
				b = append(b, '.')
			}
			b = strconv.AppendUint(b, uint64(c), 10)
		}
		return b, ln
	case 55:
		for i, c := range v {
			if i%4 == 0 {
				b = append(b, "\n\t      "...)
			} else {
				b = append(b, ", "...)
			}
			b = dhcpAppendOptName(b, c)
		}
		return b, ln
	case 61:
		if ln < 1 {
			return append(b, "[ERROR: length < 1 bytes]"...), ln
		}
		switch v[0] {
		case 0:
			b = append(b, '"')
			b = dhcpAppendEsc(b, v[1:])
			return append(b, '"'), ln
		case 1:
			b = append(b, "ether "...)
		case 6:
			b = append(b, "ieee802 "...)
		case 7:
			b = append(b, "arcnet "...)
		case 15:
			b = append(b, "frelay "...)
		case 23:
			b = append(b, "strip "...)
		case 24:
			b = append(b, "ieee1394 "...)
		default:
			b = append(b, "hardware-type "...)
			b = strconv.AppendUint(b, uint64(v[0]), 10)
			b = append(b, ", "...)
		}
		return dhcpAppendColonHex(b, v[1:]), ln
	case 77: // RFC 3004 user class
		if ln < 2 {
			return append(b, "[ERROR: length < 2 bytes]"...), ln
		}
		for i, k := 0, 1; i < ln; k++ {
			b = append(b, "\n\t      instance#"...)
			b = strconv.AppendUint(b, uint64(k), 10)
			b = append(b, ": "...)
			sl := int(v[i])
			if sl == 0 {
				b = append(b, "[ERROR: suboption length must be non-zero]"...)
				break
			}
			if sl > ln-i-1 {
				b = append(b, "[ERROR: invalid option]"...)
				break
			}
			b = append(b, '"')
			b = dhcpAppendEsc(b, v[i+1:i+1+sl])
			b = append(b, "\", length "...)
			b = strconv.AppendUint(b, uint64(sl), 10)
			i += 1 + sl
		}
		return b, ln
	case 81: // RFC 4702 client FQDN
		if ln < 3 {
			return append(b, "[ERROR: length < 3 bytes]"...), ln
		}
		fl := v[0]
		if fl&0xf0 != 0 {
			b = append(b, "[ERROR: MBZ nibble 0x"...)
			b = strconv.AppendUint(b, uint64(fl>>4), 16)
			b = append(b, " != 0] "...)
		}
		if fl&0x0f != 0 {
			b = append(b, '[')
			if fl&1 != 0 {
				b = append(b, 'S')
			}
			if fl&2 != 0 {
				b = append(b, 'O')
			}
			if fl&4 != 0 {
				b = append(b, 'E')
			}
			if fl&8 != 0 {
				b = append(b, 'N')
			}
			b = append(b, "] "...)
		}
		if v[1] != 0 || v[2] != 0 {
			b = strconv.AppendUint(b, uint64(v[1]), 10)
			b = append(b, '/')
			b = strconv.AppendUint(b, uint64(v[2]), 10)
			b = append(b, ' ')
		}
		b = append(b, '"')
		b = dhcpAppendEsc(b, v[3:])
		return append(b, '"'), ln
	case 82: // RFC 3046 relay agent information
		i := 0
		for ln-i >= 2 {
			st, sl := v[i], int(v[i+1])
			b = append(b, "\n\t      "...)
			switch st {
			case 1:
				b = append(b, "Circuit-ID"...)
			case 2:
				b = append(b, "Remote-ID"...)
			case 6:
				b = append(b, "Subscriber-ID"...)
			default:
				b = append(b, "Unknown"...)
			}
			b = append(b, " SubOption "...)
			b = strconv.AppendUint(b, uint64(st), 10)
			b = append(b, ", length "...)
			b = strconv.AppendUint(b, uint64(sl), 10)
			b = append(b, ": "...)
			if sl > ln-i-2 {
				b = append(b, "length goes past end of option"...)
				return b, ln
			}
			s := v[i+2 : i+2+sl]
			switch st {
			case 1, 2, 6:
				b = dhcpAppendEsc(b, s)
			default:
				b = appendHexLines(b, "\n\t\t", s)
			}
			i += 2 + sl
		}
		return b, i
	case 121, 249: // RFC 3442 classless static routes
		if ln < 5 {
			return append(b, "[ERROR: length < 5 bytes]"...), ln
		}
		for i, first := 0, true; i < ln; first = false {
			if !first {
				b = append(b, ',')
			}
			w := int(v[i])
			i++
			if w > 32 {
				b = append(b, "[ERROR: Mask width ("...)
				b = strconv.AppendUint(b, uint64(w), 10)
				return append(b, ") > 32]"...), ln
			}
			sig := (w + 7) / 8
			if ln-i < sig+4 {
				b = append(b, "[ERROR: Remaining length ("...)
				b = strconv.AppendUint(b, uint64(ln-i), 10)
				b = append(b, ") < "...)
				b = strconv.AppendUint(b, uint64(sig+4), 10)
				return append(b, " bytes]"...), ln
			}
			b = append(b, '(')
			if w == 0 {
				b = append(b, "default"...)
			} else {
				var net [4]byte
				copy(net[:], v[i:i+sig])
				b = appendIPv4(b, net[:])
				b = append(b, '/')
				b = strconv.AppendUint(b, uint64(w), 10)
			}
			i += sig
			b = append(b, ':')
			b = appendIPv4(b, v[i:i+4])
			b = append(b, ')')
			i += 4
		}
		return b, ln
	}
	return b, ln
}
