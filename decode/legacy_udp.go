//go:build !treedecode

package decode

// The UDP printer, printing as tcpdump does: ports, length, the -v
// checksum, and the payload protocols tcpdump recognises by port; with the
// small ones among them: ESP in UDP (RFC 3948), TFTP, the Broadcom LI shim
// and syslog.

// UDP ports of the protocols tcpdump decodes, in the order it tries them.
const (
	udpHdrLen        = 8
	portBootPS       = 67
	portBootPC       = 68
	portTFTP         = 69
	portKerberos     = 88
	portNTP          = 123
	portSNMP         = 161
	portSNMPTrap     = 162
	portPTPEvent     = 319
	portPTPGeneral   = 320
	portCiscoAutoRP  = 496
	portISAKMP       = 500
	portSyslog       = 514
	portRIP          = 520
	portRIPng        = 521
	portTimed        = 525
	portDHCP6Server  = 546
	portDHCP6Client  = 547
	portLDP          = 646
	portAODV         = 654
	portOLSR         = 698
	portLMP          = 701
	portKerberosSec  = 750
	portLWRES        = 921
	portVQP          = 1589
	portRadius       = 1645
	portRadiusAcct   = 1646
	portRadiusCoACis = 1700
	portL2TP         = 1701
	portRadiusNew    = 1812
	portRadiusNewAcc = 1813
	portHSRP         = 1985
	portNFS          = 2049
	portZephyrSrv    = 2103
	portZephyrClt    = 2104
	portVAT          = 3456
	portLSPPing      = 3503
	portBFDControl   = 3784
	portRadiusCoA    = 3799
	portLISPControl  = 4342
	portISAKMPNATT   = 4500
	portWB           = 4567
	portBFDMultihop  = 4784
	portVXLAN        = 4789
	portVXLANGPE     = 4790
	portSIP          = 5060
	portMDNS         = 5353
	portAHCP         = 5359
	portGeneve       = 6081
	portSFlow        = 6343
	portMPLS         = 6635
	portBabel        = 6696
	portBabelOld     = 6697
	portBFDLAG       = 6784
	portRXLow        = 7000
	portRXHigh       = 7009
	portISAKMPUser1  = 7500
	portHNCP         = 8231
	portOTV          = 8472
	portISAKMPUser2  = 8500
	portLWAPPData    = 12222
	portLWAPPControl = 12223
	portZEP          = 17754
	portSomeIP       = 30490
	portBCMLI        = 49152
)

// udp prints a UDP datagram; b starts at the UDP header, length is the IP
// payload length.
func (p *Printer) udp(b []byte, length int, ni *netInfo) {
	p.proto = "udp"
	if len(b) < 4 {
		p.transportAddrs(ni, ipProtoUDP, -1, -1)
		p.trunc()
		return
	}
	sport, dport := be16(b, 0), be16(b, 2)
	if length < udpHdrLen {
		p.transportAddrs(ni, ipProtoUDP, int(sport), int(dport))
		p.str("truncated-udp ")
		p.uint(uint64(uint32(length)))
		return
	}
	if len(b) < 6 {
		p.transportAddrs(ni, ipProtoUDP, int(sport), int(dport))
		p.trunc()
		return
	}
	ulen := int(be16(b, 4))
	if ulen == 0 && length > 65535 {
		ulen = length // an IPv6 jumbogram (RFC 2675)
	}
	if ulen < udpHdrLen {
		p.transportAddrs(ni, ipProtoUDP, int(sport), int(dport))
		p.str("truncated-udplength ")
		p.uint(uint64(ulen))
		return
	}
	ulen -= udpHdrLen
	length -= udpHdrLen
	if ulen < length {
		length = ulen
	}
	p.transportAddrs(ni, ipProtoUDP, int(sport), int(dport))
	if len(b) < udpHdrLen {
		p.trunc()
		return
	}
	payload := b[udpHdrLen:]
	if !p.opt.Quiet && len(payload) >= 8 {
		// ONC RPC over UDP to or from the NFS port: tcpdump decodes it as
		// NFS, which sockscope does not; it prints the start of the line.
		dir := be32(payload, 4)
		if (dport == portNFS && dir == 0) || (sport == portNFS && dir == 1) {
			if dir == 0 {
				p.str("NFS request xid ")
			} else {
				p.str("NFS reply xid ")
			}
			p.uint(uint64(be32(payload, 0)))
			p.byte1(' ')
			return
		}
	}
	if p.opt.Verbose > 0 && !niFragmented(ni) {
		p.udpChecksum(b, length, ni)
	}
	if p.opt.Quiet || !p.udpPayload(payload, length, sport, dport) {
		p.udpLength(ulen, length, ni)
	}
}

// udpLength prints "UDP, length N", or the bad-length form when the header
// claims more than the IP datagram holds.
func (p *Printer) udpLength(ulen, length int, ni *netInfo) {
	if ulen > length && !niFragmented(ni) {
		p.str("UDP, bad length ")
		p.uint(uint64(ulen))
		p.str(" > ")
		p.uint(uint64(length))
		return
	}
	p.str("UDP, length ")
	p.uint(uint64(ulen))
}

// udpChecksum prints tcpdump's -v checksum verdict: IPv4 only from -vv (its
// checksum is optional), IPv6 always.
func (p *Printer) udpChecksum(b []byte, length int, ni *netInfo) {
	if !ni.v6 {
		if p.opt.Verbose < 2 {
			return
		}
		field := be16(b, 6)
		if field == 0 {
			p.str("[no cksum] ")
			return
		}
		if len(b) < udpHdrLen+length {
			return
		}
		p.udpSumVerdict(field, transportChecksum(ni, ipProtoUDP, b[:udpHdrLen+length]))
		return
	}
	if len(b) < udpHdrLen+length {
		return
	}
	sum := transportChecksum(ni, ipProtoUDP, b[:udpHdrLen+length])
	p.udpSumVerdict(be16(b, 6), sum)
}

func (p *Printer) udpSumVerdict(field, sum uint16) {
	if sum != 0 {
		p.str("[bad udp cksum 0x")
		p.hex(uint64(field), 4)
		p.str(" -> 0x")
		p.hex(uint64(cksumShouldBe(field, sum)), 4)
		p.str("!] ")
		return
	}
	p.str("[udp sum ok] ")
}

// udpPayload prints the protocol tcpdump recognises by port, in the order
// tcpdump tries them, and reports whether there was one. Ports of protocols
// sockscope does not decode fall back to "UDP, length N", which is what
// tcpdump prints for them only when it does not know them either.
func (p *Printer) udpPayload(b []byte, length int, sport, dport uint16) bool {
	port := func(n uint16) bool { return sport == n || dport == n }
	switch {
	case port(portDomain):
		p.domain(b, length, false, false)
	case port(portMDNS):
		p.domain(b, length, false, true)
	case port(portTimed):
		return false
	case port(portTFTP):
		p.tftp(b, length)
	case port(portBootPC), port(portBootPS):
		p.bootp(b, length)
	case port(portRIP), port(portAODV), port(portISAKMP):
		return false
	case port(portISAKMPNATT):
		return p.udpEncap(b, length)
	case port(portISAKMPUser1), port(portISAKMPUser2), port(portSNMP), port(portSNMPTrap):
		return false
	case port(portNTP):
		p.ntp(b, length)
	case port(portKerberos), port(portKerberosSec), port(portL2TP), dport == portVAT,
		port(portZephyrSrv), port(portZephyrClt),
		sport >= portRXLow && sport <= portRXHigh, dport >= portRXLow && dport <= portRXHigh,
		port(portRIPng):
		return false
	case port(portDHCP6Server), port(portDHCP6Client):
		p.dhcp6(b, length)
	case port(portAHCP), port(portBabel), port(portBabelOld), port(portHNCP), dport == portWB,
		port(portCiscoAutoRP), port(portRadius), port(portRadiusNew), port(portRadiusAcct),
		port(portRadiusNewAcc), port(portRadiusCoACis), port(portRadiusCoA), dport == portHSRP,
		port(portLWRES), port(portLDP), port(portOLSR), port(portLSPPing):
		return false
	case sport == portBCMLI:
		p.bcmLI(b, length)
	case port(portSIP):
		p.proto = "sip"
		p.txtProto(b, length, sipCommands)
	case port(portSyslog):
		p.syslog(b, length)
	case port(portOTV):
		p.otv(b, length)
	case port(portVXLAN):
		p.vxlan(b, length)
	case port(portGeneve):
		p.geneve(b, length)
	default:
		return false
	}
	return true
}

// udpEncap prints what UDP port 4500 carries (RFC 3948), as tcpdump prints
// it: a NAT keepalive, or ESP after "UDP-encap: ". IKE
// after its four zero bytes ("NONESP-encap") is not decoded, so it reports
// false and the datagram prints as "UDP, length N", as IKE on port 500 does.
func (p *Printer) udpEncap(b []byte, length int) bool {
	p.proto = "isakmp_rfc3948"
	if length == 1 && u8(b, 0) == 0xff {
		p.str("isakmp-nat-keep-alive")
		return true
	}
	if length < 4 {
		p.trunc()
		return true
	}
	if be32(b, 0) == 0 {
		return false
	}
	p.str("UDP-encap: ")
	p.esp(b, length)
	return true
}

// TFTP opcodes and error codes (RFC 1350, RFC 2347).
var (
	tftpOps    = [...]string{1: "RRQ", 2: "WRQ", 3: "DATA", 4: "ACK", 5: "ERROR", 6: "OACK"}
	tftpErrors = [...]string{"EUNDEF", "ENOTFOUND", "EACCESS", "ENOSPACE", "EBADOP", "EBADID",
		"EEXISTS", "ENOUSER"}
)

// tftp prints a TFTP packet: requests with file name, mode and options.
func (p *Printer) tftp(b []byte, length int) {
	p.proto = "tftp"
	p.str("TFTP, length ")
	p.uint(uint64(length))
	if length < 2 {
		p.trunc()
		return
	}
	op := be16(b, 0)
	p.str(", ")
	if op == 0 || int(op) >= len(tftpOps) {
		p.str("tftp-#")
		p.uint(uint64(op))
		return
	}
	p.str(tftpOps[op])
	off, length := 2, length-2
	// str prints a NUL-terminated string and moves past it; false when it
	// does not end inside the packet.
	str := func() bool {
		n := p.printZTN(b, off, length)
		off += n
		length -= n
		return n != 0
	}
	// quoted prints a string in quotes; false when the packet ends first.
	quoted := func() bool {
		if length == 0 {
			return false
		}
		p.str(" \"")
		ok := str()
		p.byte1('"')
		return ok
	}
	switch op {
	case 1, 2, 6:
		if op != 6 {
			if !quoted() || length == 0 {
				p.trunc()
				return
			}
			p.byte1(' ')
			if !str() {
				p.trunc()
				return
			}
		}
		for length != 0 {
			if u8(b, off) != 0 {
				p.byte1(' ')
			}
			if !str() {
				p.trunc()
				return
			}
		}
	case 3, 4:
		if length < 2 {
			p.trunc()
			return
		}
		block := be16(b, off)
		p.str(" block ")
		p.uint(uint64(block))
	case 5:
		if length < 2 {
			p.trunc()
			return
		}
		code := be16(b, off)
		p.byte1(' ')
		if int(code) < len(tftpErrors) {
			p.str(tftpErrors[code])
		} else {
			p.str("tftp-err-#")
			p.uint(uint64(code))
			p.str(" \"")
		}
		off, length = off+2, length-2
		if !quoted() {
			p.trunc()
		}
	}
}

// Broadcom LI shim (lawful intercept mirror) header fields, as tcpdump
// names them.
var (
	bcmLIDirections = map[uint32]string{1: "unused", 2: "egress", 3: "ingress"}
	bcmLITypes      = map[uint32]string{4: "undecided", 5: "ipv4", 6: "ipv6", 7: "ethernet"}
	bcmLISubtypes   = map[uint32]string{1: "single VLAN tag", 2: "double VLAN tag", 3: "untagged"}
)

func (p *Printer) bcmName(names map[uint32]string, v uint32) {
	if s, ok := names[v]; ok {
		p.str(s)
	} else {
		p.str("unknown")
	}
}

// bcmLI prints the 4-byte shim Broadcom switches put before mirrored
// packets, and with -v the packet it carries.
func (p *Printer) bcmLI(b []byte, length int) {
	p.proto = "bcm_li"
	if length < 4 {
		p.str(" (length ")
		p.uint(uint64(length))
		p.str(" < 4) (invalid)")
		return
	}
	shim := be32(b, 0)
	typ := shim >> 25 & 0xf
	if p.opt.Verbose > 0 {
		p.str("\n    ")
	}
	p.str("BCM-LI-SHIM: direction ")
	p.bcmName(bcmLIDirections, shim>>29&7)
	p.str(", pkt-type ")
	p.bcmName(bcmLITypes, typ)
	p.str(", pkt-subtype ")
	p.bcmName(bcmLISubtypes, shim>>22&7)
	p.str(", li-id ")
	p.uint(uint64(shim & 0x3fffff))
	b, length = b[4:], length-4
	if p.opt.Verbose == 0 {
		need(b, length)
		return
	}
	p.str("\n    ")
	switch typ {
	case 7:
		p.proto = "ether"
		p.ether(b, length)
	case 5:
		p.ip(b, length)
	case 6:
		p.ip6(b, length)
	case 4:
		switch u8(b, 0) >> 4 {
		case 4:
			p.ip(b, length)
		case 6:
			p.ip6(b, length)
		default:
			p.str("unknown payload")
		}
	default:
		p.str(" (invalid)")
	}
}

// Syslog priority (RFC 5424 section 6.2.1) names.
var (
	syslogSeverities = [8]string{"emergency", "alert", "critical", "error", "warning", "notice", "info", "debug"}
	syslogFacilities = [24]string{"kernel", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
		"uucp", "cron", "authpriv", "ftp", "ntp", "security", "console", "cron", "local0", "local1",
		"local2", "local3", "local4", "local5", "local6", "local7"}
)

// syslog prints a syslog message's priority, and with -v its text.
func (p *Printer) syslog(b []byte, length int) {
	p.proto = "syslog"
	if u8(b, 0) != '<' {
		p.str(" (invalid)")
		return
	}
	off, pri := 1, 0
	for off <= 3 && u8(b, off) >= '0' && b[off] <= '9' {
		pri = pri*10 + int(b[off]-'0')
		off++
	}
	if u8(b, off) != '>' {
		p.str(" (invalid)")
		return
	}
	off++
	facility, severity := pri&0x3f8>>3, pri&7
	if p.opt.Verbose == 0 {
		p.str("SYSLOG ")
		p.syslogName(syslogFacilities[:], facility)
		p.byte1('.')
		p.syslogName(syslogSeverities[:], severity)
		p.str(", length: ")
		p.uint(uint64(length))
		return
	}
	p.str("SYSLOG, length: ")
	p.uint(uint64(length))
	p.str("\n\tFacility ")
	p.syslogName(syslogFacilities[:], facility)
	p.str(" (")
	p.uint(uint64(facility))
	p.str("), Severity ")
	p.syslogName(syslogSeverities[:], severity)
	p.str(" (")
	p.uint(uint64(severity))
	p.str(")\n\tMsg: ")
	for i := off; i < length; i++ {
		p.printChar(u8(b, i))
	}
	if p.opt.Verbose > 1 {
		p.hexOnly("\n\t", b[:min(length, len(b))], 0)
	}
}

func (p *Printer) syslogName(names []string, i int) {
	if i < len(names) {
		p.str(names[i])
		return
	}
	p.str("unknown (")
	p.uint(uint64(i))
	p.byte1(')')
}
