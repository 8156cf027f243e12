//go:build !treedecode

package decode

// The TCP printer, printing as tcpdump does: flags, sequence numbers
// relative to the first ones seen on each connection, options (MPTCP among
// them), the -v checksum, and the payload protocols tcpdump decodes by
// port, among them the text protocols (HTTP, FTP, SMTP, RTSP; SIP over UDP)
// and the SSH version line.

// TCP header flags (RFC 9293 section 3.1).
const (
	tcpFIN = 0x01
	tcpSYN = 0x02
	tcpRST = 0x04
	tcpPSH = 0x08
	tcpACK = 0x10
	tcpURG = 0x20
	tcpECE = 0x40
	tcpCWR = 0x80
)

// tcpFlagLetters are the flag letters tcpdump prints, in its order.
var tcpFlagLetters = [...]bitName{{tcpFIN, "F"}, {tcpSYN, "S"}, {tcpRST, "R"}, {tcpPSH, "P"},
	{tcpACK, "."}, {tcpURG, "U"}, {tcpECE, "E"}, {tcpCWR, "W"}}

// TCP option kinds (IANA "TCP Option Kind Numbers").
const (
	tcpOptEOL       = 0
	tcpOptNOP       = 1
	tcpOptMSS       = 2
	tcpOptWScale    = 3
	tcpOptSACKOK    = 4
	tcpOptSACK      = 5
	tcpOptEcho      = 6
	tcpOptEchoReply = 7
	tcpOptTimestamp = 8
	tcpOptCC        = 11
	tcpOptCCNew     = 12
	tcpOptCCEcho    = 13
	tcpOptMD5       = 19
	tcpOptSCPS      = 20
	tcpOptUTO       = 28
	tcpOptAO        = 29
	tcpOptMPTCP     = 30
	tcpOptFastOpen  = 34
	tcpOptExp2      = 254
)

// tcpOptNames are tcpdump's names of TCP options; kind 13 really prints as "".
var tcpOptNames = map[uint8]string{
	tcpOptEOL: "eol", tcpOptNOP: "nop", tcpOptMSS: "mss", tcpOptWScale: "wscale",
	tcpOptSACKOK: "sackOK", tcpOptSACK: "sack", tcpOptEcho: "echo", tcpOptEchoReply: "echoreply",
	tcpOptTimestamp: "TS", tcpOptCC: "cc", tcpOptCCNew: "ccnew", tcpOptCCEcho: "",
	tcpOptMD5: "md5", tcpOptSCPS: "scps", tcpOptUTO: "uto", tcpOptAO: "tcp-ao",
	tcpOptMPTCP: "mptcp", tcpOptFastOpen: "tfo", tcpOptExp2: "exp",
}

// tcpOptNumberSize is the data size of the options whose data is one
// number, printed in decimal.
var tcpOptNumberSize = [256]int{tcpOptMSS: 2, tcpOptWScale: 1, tcpOptCC: 4, tcpOptCCNew: 4,
	tcpOptCCEcho: 4, tcpOptEcho: 4, tcpOptEchoReply: 4}

// Well-known TCP ports whose payload tcpdump decodes.
const (
	portFTP         = 21
	portSSH         = 22
	portTelnet      = 23
	portSMTP        = 25
	portWhois       = 43
	portDomain      = 53
	portHTTP        = 80
	portBGP         = 179
	portRPKIRTR     = 323
	portRTSP        = 554
	portPPTP        = 1723
	portRedis       = 6379
	portOpenFlowOld = 6633
	portOpenFlow    = 6653
	portHTTPAlt     = 8080
	portRTSPAlt     = 8554
	portBEEP        = 10288
	tcpRSTDataMax   = 30 // bytes of RST payload printed with -v
)

// tcpTrackerMax bounds the connections one generation of the tracker holds.
// Two generations at most are kept, so memory stays in the tens of MiB even
// on captures with millions of connections; a connection idle for a whole
// generation loses its base, as if tcpdump had first seen it then.
const tcpTrackerMax = 250000

// tcpConnKey names a connection in both directions: the addresses and ports
// in tcpdump's canonical order (lower port first; on equal ports, lower
// address first). IPv4 addresses use the first 8 bytes of addrs.
type tcpConnKey struct {
	addrs [32]byte
	ports uint32
	v6    bool
}

// tcpConnBase is what tcpdump remembers per connection: the sequence number
// base of each direction (seq for the canonical source, ack for the other).
type tcpConnBase struct {
	seq, ack uint32
}

// tcpTracker keeps the initial sequence numbers of each connection, so
// sequence numbers print relative to them as tcpdump's do.
type tcpTracker struct {
	cur, old map[tcpConnKey]tcpConnBase
}

func (t *tcpTracker) init() {
	t.cur = make(map[tcpConnKey]tcpConnBase)
	t.old = nil
}

// lookup finds the bases of a connection, moving it to the current generation.
func (t *tcpTracker) lookup(k *tcpConnKey) (tcpConnBase, bool) {
	if c, ok := t.cur[*k]; ok {
		return c, true
	}
	if c, ok := t.old[*k]; ok {
		t.store(k, c)
		return c, true
	}
	return tcpConnBase{}, false
}

func (t *tcpTracker) store(k *tcpConnKey, c tcpConnBase) {
	if t.cur == nil {
		t.init()
	}
	if _, ok := t.cur[*k]; !ok && len(t.cur) >= tcpTrackerMax {
		t.old = t.cur
		t.cur = make(map[tcpConnKey]tcpConnBase, tcpTrackerMax/4)
	}
	t.cur[*k] = c
}

// relative turns seq and ack into numbers relative to the connection's bases,
// recording the bases when the connection is new or restarts with a SYN, as
// tcpdump does. It returns the bases for the SACK blocks.
func (t *tcpTracker) relative(ni *netInfo, sport, dport uint16, syn bool, seq, ack *uint32) (rev bool, base tcpConnBase) {
	var k tcpConnKey
	n := 4
	if ni.v6 {
		n = 16
		k.v6 = true
	}
	src, dst := ni.src, ni.dst
	if len(src) < n || len(dst) < n {
		return false, base
	}
	src, dst = src[:n], dst[:n]
	if sport > dport {
		rev = true
	} else if sport == dport && string(src) > string(dst) {
		rev = true
	}
	if rev {
		copy(k.addrs[:n], dst)
		copy(k.addrs[n:2*n], src)
		k.ports = uint32(dport)<<16 | uint32(sport)
	} else {
		copy(k.addrs[:n], src)
		copy(k.addrs[n:2*n], dst)
		k.ports = uint32(sport)<<16 | uint32(dport)
	}
	c, ok := t.lookup(&k)
	if !ok || syn {
		if rev {
			c.ack, c.seq = *seq, *ack-1
		} else {
			c.seq, c.ack = *seq, *ack-1
		}
		t.store(&k, c)
	} else if rev {
		*seq -= c.ack
		*ack -= c.seq
	} else {
		*seq -= c.seq
		*ack -= c.ack
	}
	return rev, c
}

// transportAddrs prints "src.sport > dst.dport: " before a transport header,
// or only the ports when an extension header sat between the IP header and
// this one (tcpdump's printers then leave the addresses to the IP printer).
func (p *Printer) transportAddrs(ni *netInfo, proto uint8, sport, dport int) {
	if !niDirect(ni, proto) {
		if sport >= 0 {
			p.uint(uint64(sport))
			p.str(" > ")
			p.uint(uint64(dport))
			p.str(": ")
		}
		return
	}
	p.ipAddr(ni.src, ni.v6)
	if sport >= 0 {
		p.byte1('.')
		p.uint(uint64(sport))
	}
	p.str(" > ")
	p.ipAddr(ni.dst, ni.v6)
	if sport >= 0 {
		p.byte1('.')
		p.uint(uint64(dport))
	}
	p.str(": ")
}

// tcp prints a TCP segment; b starts at the TCP header, length is the IP payload length.
func (p *Printer) tcp(b []byte, length int, ni *netInfo) {
	p.proto = "tcp"
	if len(b) < 4 {
		p.ipAddr(ni.src, ni.v6)
		p.str(" > ")
		p.ipAddr(ni.dst, ni.v6)
		p.byte1(':')
		p.trunc()
		return
	}
	sport, dport := be16(b, 0), be16(b, 2)
	p.transportAddrs(ni, ipProtoTCP, int(sport), int(dport))
	if len(b) < 20 {
		p.trunc()
		return
	}
	ulen := uint32(length)
	hlen := uint32(b[12]>>4) * 4
	if hlen < 20 {
		p.str(" tcp ")
		p.uint(uint64(ulen - hlen))
		p.str(" [bad hdr length ")
		p.uint(uint64(hlen))
		p.str(" - too short, < 20]")
		return
	}
	seq, ack := be32(b, 4), be32(b, 8)
	win, urp := be16(b, 14), be16(b, 18)
	if p.opt.Quiet {
		p.str("tcp ")
		p.uint(uint64(ulen - hlen))
		if hlen > ulen {
			p.tcpBadHdrLong(hlen, ulen)
		}
		return
	}
	flags := b[13]
	p.str("Flags [")
	p.bitNames(uint32(flags), tcpFlagLetters[:], "")
	p.byte1(']')

	var rev bool
	var base tcpConnBase
	if flags&tcpACK != 0 {
		rev, base = p.tcpSeq.relative(ni, sport, dport, flags&tcpSYN != 0, &seq, &ack)
	}
	if hlen > ulen {
		p.tcpBadHdrLong(hlen, ulen)
		return
	}
	if p.opt.Verbose > 0 && !niFragmented(ni) && len(b) >= length {
		sum := transportChecksum(ni, ipProtoTCP, b[:length])
		p.cksumField(be16(b, 16), sum)
	}
	ulen -= hlen
	if p.opt.Verbose > 1 || ulen > 0 || flags&(tcpSYN|tcpFIN|tcpRST) != 0 {
		p.str(", seq ")
		p.uint(uint64(seq))
		if ulen > 0 {
			p.byte1(':')
			p.uint(uint64(seq + ulen))
		}
	}
	if flags&tcpACK != 0 {
		p.str(", ack ")
		p.uint(uint64(ack))
	}
	p.str(", win ")
	p.uint(uint64(win))
	if flags&tcpURG != 0 {
		p.str(", urg ")
		p.uint(uint64(urp))
	}
	if hlen > 20 {
		if !p.tcpOptions(b, int(hlen), int(ulen), flags, rev, base) {
			return
		}
	}
	p.str(", length ")
	p.uint(uint64(ulen))
	if ulen == 0 {
		return
	}
	if len(b) < int(hlen) {
		p.headerNotCaptured(len(b), int(hlen))
	}
	payload := b[hlen:]
	n := int(ulen)
	if flags&tcpRST != 0 && p.opt.Verbose > 0 {
		p.tcpRSTData(payload, n)
		return
	}
	p.tcpPayload(payload, n, sport, dport)
}

func (p *Printer) tcpBadHdrLong(hlen, length uint32) {
	p.str(" [bad hdr length ")
	p.uint(uint64(hlen))
	p.str(" - too long, > ")
	p.uint(uint64(length))
	p.byte1(']')
}

// cksumField prints tcpdump's ", cksum 0x1234 (correct)" or "(incorrect -> 0x5678)".
func (p *Printer) cksumField(field, computed uint16) {
	p.str(", cksum 0x")
	p.hex(uint64(field), 4)
	if computed != 0 {
		p.str(" (incorrect -> 0x")
		p.hex(uint64(cksumShouldBe(field, computed)), 4)
		p.byte1(')')
	} else {
		p.str(" (correct)")
	}
}

// transportChecksum returns the internet checksum of a transport segment
// with its pseudo-header: 0 when the checksum field in it is right.
func transportChecksum(ni *netInfo, proto uint8, seg []byte) uint16 {
	return inetChecksum(seg, ni.pseudoSum(proto, len(seg)))
}

// niDirect reports whether the IP header itself names proto as its payload,
// with no extension header (or AH) in between; only then do tcpdump's
// transport printers print the addresses beside the ports.
func niDirect(ni *netInfo, proto uint8) bool {
	h := ni.hdr
	if ni.v6 {
		return len(h) < 7 || h[6] == proto
	}
	return len(h) < 10 || h[9] == proto
}

// niFragmented reports whether the segment is the first fragment of a
// datagram, whose checksum tcpdump does not verify.
func niFragmented(ni *netInfo) bool { return ni.fragmented }

// tcpOptions prints ", options [...]" and reports whether printing goes on
// (tcpdump returns early on a bad or uncaptured option).
func (p *Printer) tcpOptions(b []byte, hlen, payloadLen int, flags uint8, rev bool, base tcpConnBase) bool {
	hl := hlen - 20
	cp := 20
	p.str(", options [")
	sep := false
	for hl > 0 {
		if sep {
			p.byte1(',')
		}
		opt := u8(b, cp)
		cp++
		ln := 1
		if opt != tcpOptEOL && opt != tcpOptNOP {
			ln = int(u8(b, cp))
			cp++
			if ln < 2 || ln > hl {
				return p.tcpBadOpt(sep)
			}
			hl--
		}
		hl--
		if name, ok := tcpOptNames[opt]; ok {
			p.str(name)
		} else {
			p.str("unknown-")
			p.uint(uint64(opt))
		}
		// check tests, as tcpdump does, that n more bytes are in the header
		// and captured; the result says how to go on.
		const (
			optOK = iota
			optBad
			optTrunc
		)
		check := func(n int) int {
			if n > hl {
				return optBad
			}
			if n < 0 || cp+n > len(b) {
				return optTrunc
			}
			return optOK
		}
		res := optOK
		datalen := 0
		switch opt {
		case tcpOptMSS, tcpOptWScale, tcpOptCC, tcpOptCCNew, tcpOptCCEcho, tcpOptEcho, tcpOptEchoReply:
			datalen = tcpOptNumberSize[opt]
			if res = check(datalen); res == optOK {
				p.byte1(' ')
				var v uint64
				for _, c := range b[cp : cp+datalen] {
					v = v<<8 | uint64(c)
				}
				p.uint(v)
			}
		case tcpOptSACK:
			datalen = ln - 2
			if datalen%8 != 0 {
				p.str(" invalid sack")
				break
			}
			p.byte1(' ')
			p.uint(uint64(datalen / 8))
			p.byte1(' ')
			for i := 0; i < datalen; i += 8 {
				if res = check(i + 4); res != optOK {
					break
				}
				s := be32(b, cp+i)
				if res = check(i + 8); res != optOK {
					break
				}
				e := be32(b, cp+i+4)
				if rev {
					s -= base.seq
					e -= base.seq
				} else {
					s -= base.ack
					e -= base.ack
				}
				p.byte1('{')
				p.uint(uint64(s))
				p.byte1(':')
				p.uint(uint64(e))
				p.byte1('}')
			}
		case tcpOptTimestamp:
			datalen = 8
			if res = check(datalen); res == optOK {
				p.str(" val ")
				p.uint(uint64(be32(b, cp)))
				p.str(" ecr ")
				p.uint(uint64(be32(b, cp+4)))
			}
		case tcpOptMD5:
			datalen = 16
			if res = check(datalen); res == optOK {
				// tcpdump (built with OpenSSL) tries to verify the
				// signature; without -M it cannot.
				p.byte1(' ')
				if hlen+payloadLen > len(b) {
					p.str("snaplen too short, ")
				} else {
					p.str("shared secret not supplied with -M, ")
				}
				p.str("can't check - ")
				p.hexBytes(b, cp, 16)
			}
		case tcpOptSCPS:
			datalen = 2
			if res = check(datalen); res == optOK {
				p.str(" cap ")
				p.hex(uint64(b[cp]), 2)
				p.str(" id ")
				p.uint(uint64(b[cp+1]))
			}
		case tcpOptAO:
			datalen = ln - 2
			if datalen < 2 {
				p.str(" (invalid)")
				break
			}
			if res = check(1); res != optOK {
				break
			}
			p.str(" keyid ")
			p.uint(uint64(b[cp]))
			if res = check(2); res != optOK {
				break
			}
			p.str(" rnextkeyid ")
			p.uint(uint64(b[cp+1]))
			if datalen > 2 {
				p.str(" mac 0x")
				for i := 2; i < datalen; i++ {
					if res = check(i + 1); res != optOK {
						break
					}
					p.hex(uint64(b[cp+i]), 2)
				}
			}
		case tcpOptEOL, tcpOptNOP, tcpOptSACKOK:
		case tcpOptUTO:
			datalen = 2
			if res = check(datalen); res == optOK {
				v := uint32(be16(b, cp))
				p.str(" 0x")
				p.hex(uint64(v), 1)
				if v&1 != 0 {
					v = (v >> 1) * 60
				} else {
					v >>= 1
				}
				p.byte1(' ')
				p.uint(uint64(v))
			}
		case tcpOptMPTCP:
			datalen = ln - 2
			if res = check(datalen); res == optOK {
				if !p.mptcp(b[cp-2:cp-2+ln], flags) {
					res = optBad
				}
			}
		case tcpOptFastOpen:
			datalen = ln - 2
			if res = check(datalen); res == optOK {
				p.byte1(' ')
				p.tcpFastOpen(b[cp:cp+datalen], false)
			}
		case tcpOptExp2:
			datalen = ln - 2
			if res = check(datalen); res != optOK {
				break
			}
			if datalen < 2 {
				res = optBad
				break
			}
			magic := be16(b, cp)
			p.byte1('-')
			if magic == 0xf989 { // TCP Fast Open, RFC 7413
				p.tcpFastOpen(b[cp+2:cp+datalen], true)
			} else {
				p.hex(uint64(magic), 4)
			}
		default:
			datalen = ln - 2
			if datalen > 0 {
				p.str(" 0x")
			}
			for i := 0; i < datalen; i++ {
				if res = check(i + 1); res != optOK {
					break
				}
				p.hex(uint64(b[cp+i]), 2)
			}
		}
		switch res {
		case optBad:
			return p.tcpBadOpt(sep)
		case optTrunc:
			p.trunc()
			if sep {
				p.byte1('>')
			}
			return false
		}
		cp += datalen
		hl -= datalen
		datalen++
		if opt != tcpOptEOL && opt != tcpOptNOP {
			datalen++
		}
		if datalen != ln {
			p.bracketNum("[len ", uint64(ln))
		}
		sep = true
		if opt == tcpOptEOL {
			break
		}
	}
	p.byte1(']')
	return true
}

func (p *Printer) tcpBadOpt(sep bool) bool {
	p.str("[bad opt]")
	if sep {
		p.byte1(']')
	}
	return false
}

// tcpFastOpen prints a TCP Fast Open cookie option (RFC 7413).
func (p *Printer) tcpFastOpen(b []byte, exp bool) {
	if exp {
		p.str("tfo")
	}
	switch n := len(b); {
	case n == 0:
		p.str(" cookiereq")
	case n%2 != 0 || n < 4 || n > 16:
		p.str(" (invalid)")
	default:
		p.str(" cookie ")
		p.hexBytes(b, 0, n)
	}
}

// tcpRSTData prints the text a RST segment may carry (RFC 1122 4.2.2.12).
func (p *Printer) tcpRSTData(b []byte, length int) {
	if len(b) >= length {
		p.str(" [RST")
	} else {
		p.str(" [!RST")
	}
	if length > tcpRSTDataMax {
		length = tcpRSTDataMax
		p.byte1('+')
	}
	p.byte1(' ')
	p.printN(b, 0, length)
	p.byte1(']')
}

// tcpPayload prints the application protocols tcpdump recognises by port,
// in tcpdump's order of precedence. Ports whose protocol sockscope does not
// decode still stop the search, as tcpdump's printer for them would. (The
// NetBIOS and SMB printers are not in Debian's tcpdump, built without SMB.)
func (p *Printer) tcpPayload(b []byte, length int, sport, dport uint16) {
	port := func(n uint16) bool { return sport == n || dport == n }
	switch {
	case port(portTelnet):
		p.proto = "telnet"
		if length > 0 {
			u8(b, 0)
		}
	case port(portSMTP):
		p.proto = "smtp"
		p.str(": ")
		p.txtProto(b, length, nil)
	case port(portWhois):
		p.proto = "whois"
		p.str(": ")
		p.txtProto(b, length, nil)
	case port(portBGP):
		// tcpdump prints only the name unless -v; sockscope does not decode
		// the BGP messages -v would show.
		p.proto = "bgp"
		p.str(": BGP")
	case port(portPPTP), port(portRedis):
	case port(portSSH):
		p.ssh(b, length)
	case port(portBEEP), port(portOpenFlowOld), port(portOpenFlow):
	case port(portFTP):
		p.proto = "ftp"
		p.str(": ")
		p.txtProto(b, length, nil)
	case port(portHTTP), port(portHTTPAlt):
		p.proto = "http"
		p.str(": ")
		p.txtProto(b, length, httpCommands)
	case port(portRTSP), port(portRTSPAlt):
		p.proto = "rtsp"
		p.str(": ")
		p.txtProto(b, length, rtspCommands)
	case port(portDomain):
		p.domain(b, length, true, false)
	case port(portRPKIRTR):
		p.proto = "rpki_rtr"
		if p.opt.Verbose == 0 {
			p.str(", RPKI-RTR")
		}
	}
}

// mptcp prints a Multipath TCP option (RFC 8684) as tcpdump prints it and
// reports whether it was well formed. o is the whole option.
func (p *Printer) mptcp(o []byte, flags uint8) bool {
	p.proto = "mptcp"
	n := len(o)
	if n < 3 {
		return false
	}
	sub := int(u8(o, 2) >> 4)
	if sub > 8 {
		sub = 8
	}
	p.byte1(' ')
	p.uint(uint64(n))
	p.byte1(' ')
	p.str(mptcpSubtypes[sub])
	switch sub {
	case 0: // MP_CAPABLE
		if !((n == 12 || n == 4) && flags&tcpSYN != 0) &&
			!((n == 20 || n == 22) && flags&(tcpSYN|tcpACK) == tcpACK) {
			return false
		}
		v := u8(o, 2) & 0xf
		if v > 1 {
			p.str(" Unknown Version (")
			p.uint(uint64(v))
			p.byte1(')')
			return true
		}
		p.str(" v")
		p.uint(uint64(v))
		if u8(o, 3)&0x80 != 0 {
			p.str(" csum")
		}
		if n == 12 || n >= 20 {
			p.str(" {0x")
			p.hex(be64(o, 4), 1)
			if n >= 20 {
				p.str(",0x")
				p.hex(be64(o, 12), 1)
			}
			p.byte1('}')
		}
	case 1: // MP_JOIN
		if !(n == 12 && flags&tcpSYN != 0) &&
			!(n == 16 && flags&(tcpSYN|tcpACK) == tcpSYN|tcpACK) &&
			!(n == 24 && flags&tcpACK != 0) {
			return false
		}
		if n != 24 {
			if u8(o, 2)&1 != 0 {
				p.str(" backup")
			}
			p.str(" id ")
			p.uint(uint64(u8(o, 3)))
		}
		switch n {
		case 12:
			p.str(" token 0x")
			p.hex(uint64(be32(o, 4)), 1)
			p.str(" nonce 0x")
			p.hex(uint64(be32(o, 8)), 1)
		case 16:
			p.str(" hmac 0x")
			p.hex(be64(o, 4), 1)
			p.str(" nonce 0x")
			p.hex(uint64(be32(o, 12)), 1)
		case 24:
			p.str(" hmac 0x")
			need(o, 24)
			p.hexBytes(o, 4, 20)
		}
	case 2: // DSS
		return p.mptcpDSS(o, flags)
	case 3: // ADD_ADDR
		switch n {
		case 8, 10, 16, 18, 20, 22, 28, 30:
		default:
			return false
		}
		p.byte1(' ')
		switch u8(o, 2) & 0xf {
		case 6:
			p.str("v0-ip6")
		case 4:
			p.str("v0-ip4")
		case 1:
			p.str("v1-echo")
		case 0:
			p.str("v1")
		default:
			p.str("[bad version/echo]")
		}
		p.str(" id ")
		p.uint(uint64(u8(o, 3)))
		// The address, then an optional port, then an optional HMAC: the
		// length tells which are there (8, 10, 16 or 18 bytes with IPv4).
		end := 8
		if n > 18 {
			end = 20
		}
		p.byte1(' ')
		need(o, end)
		p.ipAddr(o[4:end], end == 20)
		if n == end+2 || n == end+10 {
			p.byte1(':')
			p.uint(uint64(be16(o, end)))
		}
		if n == end+8 {
			p.str(" hmac 0x")
			p.hex(be64(o, end), 1)
		}
		if n == end+10 {
			p.str(" hmac 0x")
			p.hex(be64(o, end+2), 1)
		}
	case 4: // REMOVE_ADDR
		if n < 4 {
			return false
		}
		p.str(" id")
		for i := 3; i < n; i++ {
			p.byte1(' ')
			p.uint(uint64(u8(o, i)))
		}
	case 5: // MP_PRIO
		if n != 3 && n != 4 {
			return false
		}
		if u8(o, 2)&1 != 0 {
			p.str(" backup")
		} else {
			p.str(" non-backup")
		}
		if n == 4 {
			p.str(" id ")
			p.uint(uint64(u8(o, 3)))
		}
	case 6: // MP_FAIL
		if n != 12 {
			return false
		}
		p.str(" seq ")
		p.uint(be64(o, 4))
	case 7: // MP_FASTCLOSE
		if n != 12 {
			return false
		}
		p.str(" key 0x")
		p.hex(be64(o, 4), 1)
	}
	return true
}

var mptcpSubtypes = [...]string{"capable", "join", "dss", "add-addr", "rem-addr", "prio", "fail", "fast-close", "unknown"}

// mptcpDSS prints the Data Sequence Signal option.
func (p *Printer) mptcpDSS(o []byte, flags uint8) bool {
	const (
		dssF    = 0x10
		dssm    = 0x08
		dssM    = 0x04
		dssa    = 0x02
		dssA    = 0x01
		dssHead = 4
	)
	n := len(o)
	if n < 4 || flags&tcpSYN != 0 {
		return false
	}
	f := u8(o, 3)
	if f&dssF != 0 {
		p.str(" fin")
	}
	off, rest := dssHead, n-dssHead
	// number prints the 4- or 8-byte number at off and moves past it.
	number := func(wide bool) bool {
		size := 4
		if wide {
			size = 8
		}
		if rest < size {
			return false
		}
		if wide {
			p.uint(be64(o, off))
		} else {
			p.uint(uint64(be32(o, off)))
		}
		off, rest = off+size, rest-size
		return true
	}
	if f&dssA != 0 {
		p.str(" ack ")
		if !number(f&dssa != 0) {
			return false
		}
	}
	if f&dssM != 0 {
		p.str(" seq ")
		if !number(f&dssm != 0) {
			return false
		}
		if rest < 4 {
			return false
		}
		p.str(" subseq ")
		p.uint(uint64(be32(o, off)))
		off, rest = off+4, rest-4
		if rest < 2 {
			return false
		}
		p.str(" len ")
		p.uint(uint64(be16(o, off)))
		off, rest = off+2, rest-2
		if rest >= 2 {
			p.str(" csum 0x")
			p.hex(uint64(be16(o, off)), 1)
			rest -= 2
		}
	}
	return rest == 0
}

// be64 reads a big-endian 64-bit value at off, stopping as truncated when it is not captured.
func be64(b []byte, off int) uint64 {
	return uint64(be32(b, off))<<32 | uint64(be32(b, off+4))
}

// Commands that make a text line the start of a request, for txtProto.
var (
	httpCommands = []string{
		"GET", "PUT", "COPY", "HEAD", "LOCK", "MOVE", "POLL", "POST", "BCOPY", "BMOVE",
		"MKCOL", "TRACE", "LABEL", "MERGE", "DELETE", "SEARCH", "UNLOCK", "REPORT",
		"UPDATE", "NOTIFY", "BDELETE", "CONNECT", "OPTIONS", "CHECKIN", "PROPFIND",
		"CHECKOUT", "CCM_POST", "SUBSCRIBE", "PROPPATCH", "BPROPFIND", "BPROPPATCH",
		"UNCHECKOUT", "MKACTIVITY", "MKWORKSPACE", "UNSUBSCRIBE", "RPC_CONNECT",
		"VERSION-CONTROL", "BASELINE-CONTROL",
	}
	rtspCommands = []string{
		"DESCRIBE", "ANNOUNCE", "GET_PARAMETER", "OPTIONS", "PAUSE", "PLAY", "RECORD",
		"REDIRECT", "SETUP", "SET_PARAMETER", "TEARDOWN",
	}
	sipCommands = []string{
		"ACK", "BYE", "CANCEL", "DO", "INFO", "INVITE", "MESSAGE", "NOTIFY", "OPTIONS",
		"PRACK", "QAUTH", "REFER", "REGISTER", "SPRACK", "SUBSCRIBE", "UPDATE", "PUBLISH",
	}
)

func isPrintASCII(c byte) bool { return c >= 0x20 && c <= 0x7e }

// txtToken reads the token at idx into tok and skips the blanks after it, as
// tcpdump does; it returns the index after them, or 0 when there is no
// token.
func txtToken(b []byte, idx, length int, tok *[128]byte) (next, n int) {
	for ; idx < length; idx++ {
		if idx >= len(b) {
			return 0, 0
		}
		c := b[idx]
		if c&0x80 != 0 {
			return 0, 0
		}
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' {
			break
		}
		if !isPrintASCII(c) || n+2 > len(tok)+1 {
			return 0, 0
		}
		tok[n] = c
		n++
	}
	if n == 0 {
		return 0, 0
	}
	for ; idx < length && idx < len(b); idx++ {
		c := b[idx]
		if c == '\r' || c == '\n' || !isPrintASCII(c) || (c != ' ' && c != '\t') {
			break
		}
	}
	return idx, n
}

// txtProto prints a text protocol (HTTP, FTP, SMTP, RTSP, SIP) as tcpdump
// does: the protocol name, then the first line, or with -v every
// text line. With cmds, only a request or response line is printed.
func (p *Printer) txtProto(b []byte, length int, cmds []string) {
	show := cmds == nil
	if !show {
		var tok [128]byte
		idx, n := txtToken(b, 0, length, &tok)
		if idx != 0 {
			for _, c := range cmds {
				if asciiEqualFold(tok[:n], c) {
					show = true
					break
				}
			}
			idx, n = txtToken(b, idx, length, &tok)
			if idx != 0 && n == 3 && isDigit(tok[0]) && isDigit(tok[1]) && isDigit(tok[2]) {
				show = true
			}
		}
	}
	for i := 0; i < len(p.proto); i++ {
		c := p.proto[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		p.byte1(c)
	}
	if !show {
		return
	}
	if p.opt.Verbose > 0 {
		p.str(", length: ")
		p.uint(uint64(length))
		for idx := 0; idx < length; {
			eol := p.txtLine("\n\t", b, idx, length)
			if eol == 0 {
				break
			}
			idx = eol
		}
		return
	}
	p.txtLine(": ", b, 0, length)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func asciiEqualFold(a []byte, s string) bool {
	if len(a) != len(s) {
		return false
	}
	for i := range a {
		x, y := a[i], s[i]
		if x >= 'a' && x <= 'z' {
			x -= 'a' - 'A'
		}
		if y >= 'a' && y <= 'z' {
			y -= 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// txtLine prints the text line at idx after prefix and returns the index
// after its end, or 0 when it is not a whole printable line, as tcpdump
// judges it.
func (p *Printer) txtLine(prefix string, b []byte, idx, length int) int {
	start := idx
	for idx < length {
		c := u8(b, idx)
		switch {
		case c == '\n':
			p.str(prefix)
			p.buf = append(p.buf, b[start:idx]...)
			return idx + 1
		case c == '\r':
			if idx+1 >= length {
				return 0
			}
			if u8(b, idx+1) == '\n' {
				p.str(prefix)
				p.buf = append(p.buf, b[start:idx]...)
				return idx + 2
			}
			return 0
		case !isPrintASCII(c) && c != '\t':
			return 0
		}
		idx++
	}
	p.str(prefix)
	p.buf = append(p.buf, b[start:idx]...)
	p.trunc()
	return 0
}

// ssh prints the version line that opens an SSH connection (RFC 4253 4.2).
func (p *Printer) ssh(b []byte, length int) {
	p.proto = "ssh"
	if u8(b, 0) != 'S' || u8(b, 1) != 'S' || u8(b, 2) != 'H' || u8(b, 3) != '-' {
		return
	}
	for idx := 4; idx < length; idx++ {
		c := u8(b, idx)
		switch {
		case c == '\n':
		case c == '\r':
			if idx+1 >= length || u8(b, idx+1) != '\n' {
				return
			}
		case !isPrintASCII(c):
			return
		default:
			continue
		}
		p.str(": SSH: ")
		p.buf = append(p.buf, b[:idx]...)
		return
	}
}
