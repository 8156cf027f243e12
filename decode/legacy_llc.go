//go:build !treedecode

package decode

// The 802.2 LLC printer, as tcpdump prints it: the LLC header of
// frames whose type field is a length (and of cooked 802.2 packets), and the
// SNAP header it may lead to, whose payload is printed by EtherType or, for
// Cisco and bridged frames, as spanning tree or Ethernet.

// 802.2 LLC service access points (IEEE 802 numbers) as tcpdump names them.
const (
	sapGlobal = 0xff
	sapIP     = 0x06
	sapSTP    = 0x42
	sapSNAP   = 0xaa
	sapIPX    = 0xe0
)

// llcSAPNames are the SAP names tcpdump prints.
var llcSAPNames = [256]string{
	0x00: "Null", 0xff: "Global", 0x02: "802.1B I", 0x03: "802.1B G", 0x06: "IP", 0x04: "SNA",
	0x0e: "ProWay NM", 0x42: "STP", 0x4e: "RS511", 0x7e: "ISO8208", 0x8e: "ProWay", 0xaa: "SNAP",
	0xe0: "IPX", 0xf0: "NetBeui", 0xfe: "OSI",
}

// llcSAP appends a SAP name, or "Unknown"; with prefix, unknown SAPs print
// as prefix and the hex value ("Unknown DSAP 0x%02x").
func (p *Printer) llcSAP(sap byte, prefix string) {
	if n := llcSAPNames[sap]; n != "" {
		p.str(n)
		return
	}
	if prefix == "" {
		p.str("Unknown")
		return
	}
	p.str(prefix)
	p.hex(uint64(sap), 2)
}

// llcSAPField appends a SAP as the -e header shows it: "IP (0x06) " and
// the meaning of the address's low bit, set or clear.
func (p *Printer) llcSAPField(sap byte, low bool, set, clear string) {
	p.llcSAP(sap, "")
	p.str(" (0x")
	p.hex(uint64(sap), 2)
	p.str(") ")
	if low {
		p.str(set)
	} else {
		p.str(clear)
	}
}

// llcFlagNames name the LLC flags as tcpdump does: command or response,
// with the poll/final bit of a U frame (0x10) or an I or S frame (0x100).
var llcFlagNames = map[uint16]string{0: "Command", 1: "Response", 0x10: "Poll", 0x100: "Poll",
	0x11: "Final", 0x101: "Final"}

// llcFlagsLength appends ", Flags [Command], length N", how every LLC
// frame's summary ends.
func (p *Printer) llcFlagsLength(flags uint16, length int) {
	p.str(", Flags [")
	if n, ok := llcFlagNames[flags]; ok {
		p.str(n)
	} else {
		p.byte1('?')
	}
	p.str("], length ")
	p.uint(uint64(length))
}

// llcUCommands name the commands of U frames as tcpdump does, without
// their poll/final bit.
var llcUCommands = [256]string{0x03: "ui", 0xe3: "test", 0xaf: "xid", 0x63: "ua", 0x43: "disc",
	0x0f: "dm", 0x6f: "sabme", 0x87: "frmr"}

// llcSupervisory are the functions of S frames (IEEE 802.2).
var llcSupervisory = [4]string{"Receiver Ready", "Receiver not Ready", "Reject", "?"}

// llc prints an 802.2 LLC frame as tcpdump prints it. It returns the
// length of the LLC (and SNAP) header when it printed the payload, and the
// negative of it when the payload is unknown and the caller should dump it.
// src and dst are the frame's MAC addresses, nil for a cooked capture.
func (p *Printer) llc(b []byte, length int, src, dst []byte) int {
	p.proto = "llc"
	caplen := len(b)
	if caplen < 3 || length < 3 {
		p.trunc()
		p.dataPrint(b)
		return min(caplen, length)
	}
	dsapField, ssapField := b[0], b[1]
	control := uint16(b[2])
	isU := control&3 == 3
	hdrlen := 3
	if !isU {
		// I and S frames have a two-byte, little-endian control field.
		if caplen < 4 || length < 4 {
			p.trunc()
			p.dataPrint(b)
			return min(caplen, length)
		}
		control = uint16(b[2]) | uint16(b[3])<<8
		hdrlen = 4
	}
	if dsapField == sapGlobal && ssapField == sapGlobal {
		// Novell "raw" 802.3: IPX right after the length field.
		// sockscope has no IPX printer: show the bytes.
		if p.opt.Link {
			p.str("IPX 802.3: ")
		}
		p.dataPrint(b)
		return 0
	}
	dsap, ssap := dsapField&^1, ssapField&^1
	if p.opt.Link {
		p.str("LLC, dsap ")
		p.llcSAPField(dsap, dsapField&1 != 0, "Group", "Individual")
		p.str(", ssap ")
		p.llcSAPField(ssap, ssapField&1 != 0, "Response", "Command")
		p.str(", ctrl 0x")
		if isU {
			p.hex(uint64(control), 2)
		} else {
			p.hex(uint64(control), 4)
		}
		p.str(": ")
	}
	b = b[hdrlen:]
	length -= hdrlen
	switch {
	case ssap == sapSNAP && dsap == sapSNAP && control == 3:
		if !p.snap(b, length, src, dst) {
			return -(hdrlen + 5)
		}
		return hdrlen + 5
	case ssap == sapSTP && dsap == sapSTP && control == 3:
		p.stp(b, length)
		return hdrlen
	case ssap == sapIP && dsap == sapIP && control == 3:
		p.ip(b, length)
		return hdrlen
	}
	if !p.opt.Link {
		if ssap == dsap {
			if src != nil && dst != nil {
				p.macPair(src, dst)
				p.byte1(' ')
			}
			p.llcSAP(dsap, "Unknown DSAP 0x")
		} else {
			if src != nil && dst != nil {
				p.mac(src)
				p.byte1(' ')
			}
			p.llcSAP(ssap, "Unknown SSAP 0x")
			p.str(" > ")
			if src != nil && dst != nil {
				p.mac(dst)
				p.byte1(' ')
			}
			p.llcSAP(dsap, "Unknown DSAP 0x")
		}
		p.byte1(' ')
	}
	flags := uint16(ssapField & 1)
	if isU {
		p.str("Unnumbered, ")
		if c := llcUCommands[control&0xef]; c != "" {
			p.str(c)
		} else {
			p.hex(uint64(control&0xef), 2)
		}
		p.llcFlagsLength(flags|control&0x10, length+hdrlen)
		if control&^0x10 == 0xaf { // XID
			if length == 0 {
				return hdrlen
			}
			if len(b) < 1 {
				p.trunc()
				return hdrlen
			}
			if b[0] == 0x81 { // the IEEE basic XID format
				if len(b) < 3 || length < 3 {
					p.trunc()
					p.dataPrint(b)
				} else {
					p.str(": ")
					p.hex(uint64(b[1]), 2)
					p.byte1(' ')
					p.hex(uint64(b[2]), 2)
				}
				return hdrlen
			}
		}
		return -hdrlen
	}
	if control&1 != 0 {
		p.str("Supervisory, ")
		p.str(llcSupervisory[control>>2&3])
		p.str(", rcv seq ")
		p.uint(uint64(control >> 9 & 0x7f))
		p.llcFlagsLength(flags|control&0x100, length+hdrlen)
		return hdrlen
	}
	p.str("Information, send seq ")
	p.uint(uint64(control >> 1 & 0x7f))
	p.str(", rcv seq ")
	p.uint(uint64(control >> 9 & 0x7f))
	p.llcFlagsLength(flags|control&0x100, length+hdrlen)
	return -hdrlen
}

// Organisation codes (OUIs) of SNAP headers, as tcpdump names them.
const (
	ouiEncapEther = 0x000000
	ouiCisco      = 0x00000c
	ouiCisco90    = 0x0000f8
	ouiRFC2684    = 0x0080c2
	ouiAppletalk  = 0x080007
)

// ouiNames are the organisation names tcpdump prints.
var ouiNames = map[uint32]string{
	0x000000: "Ethernet", 0x00000c: "Cisco", 0x00005e: "IANA", 0x000081: "Nortel Networks SONMP",
	0x0000f8: "Cisco bridged", 0x0080c2: "Ethernet bridged", 0x00a03e: "ATM Forum",
	0x00e02f: "DOCSIS Spanning Tree", 0x080007: "Appletalk", 0x009069: "Juniper",
	0x080009: "Hewlett-Packard", 0x00120f: "IEEE 802.3 Private", 0x0012bb: "ANSI/TIA",
	0x001b21: "DCBX", 0x002320: "Nicira Networks", 0x5c16c7: "Big Switch Networks",
	0xb0d2f5: "Vello Systems", 0x002481: "HP", 0x0004ea: "HP-Labs", 0x748771: "Infoblox Inc",
	0xa42305: "Open Networking Lab", 0x00049f: "Freescale", 0x0015ad: "Netronome",
	0x001018: "Broadcom", 0x00e004: "PMC-Sierra", 0xd0f0db: "Ericsson",
}

// snapPIDName names the protocol ID of a SNAP header by its organisation, as
// tcpdump does.
func snapPIDName(oui uint32, pid uint16) string {
	switch oui {
	case ouiEncapEther, ouiCisco90, ouiAppletalk:
		return etherTypeName(pid)
	case ouiCisco:
		if n, ok := ciscoPIDNames[pid]; ok {
			return n
		}
	case ouiRFC2684:
		if int(pid) < len(rfc2684Names) && rfc2684Names[pid] != "" {
			return rfc2684Names[pid]
		}
	}
	return "Unknown"
}

// ciscoPIDNames are the Cisco SNAP protocol IDs as tcpdump names them.
var ciscoPIDNames = map[uint16]string{0x2000: "CDP", 0x2003: "VTP", 0x2004: "DTP", 0x0111: "UDLD",
	0x010b: "PVST", 0x010c: "VLAN Bridge"}

// rfc2684Names are the bridged-frame protocol IDs (RFC 2684).
var rfc2684Names = [...]string{
	1: "Ethernet + FCS", 7: "Ethernet w/o FCS", 2: "802.4 + FCS", 8: "802.4 w/o FCS",
	3: "Token Ring + FCS", 9: "Token Ring w/o FCS", 4: "FDDI + FCS", 10: "FDDI w/o FCS",
	5: "802.6 + FCS", 11: "802.6 w/o FCS", 14: "BPDU",
}

// snap prints a SNAP header and its payload as tcpdump does, and
// reports whether it knew the payload.
func (p *Printer) snap(b []byte, length int, src, dst []byte) bool {
	p.proto = "snap"
	if len(b) < 5 || length < 5 {
		p.trunc()
		return true
	}
	oui := be24(b, 0)
	pid := be16(b, 3)
	if p.opt.Link {
		p.str("oui ")
		p.ouiName(oui)
		p.str(" (0x")
		p.hex(uint64(oui), 6)
		if oui == ouiEncapEther {
			p.str("), ethertype ")
		} else {
			p.str("), pid ")
		}
		p.str(snapPIDName(oui, pid))
		p.str(" (0x")
		p.hex(uint64(pid), 4)
		p.str("), length ")
		p.uint(uint64(length - 5))
		p.str(": ")
	}
	b = b[5:]
	length -= 5
	switch oui {
	case ouiEncapEther, ouiCisco90:
		if p.etherType(pid, b, length, src, dst) {
			return true
		}
	case ouiCisco:
		if pid == 0x010b || pid == 0x010c { // PVST+, VLAN bridge
			p.stp(b, length)
			return true
		}
	case ouiRFC2684:
		switch pid {
		case 1, 7: // bridged Ethernet, after two bytes of padding
			need(b, 2)
			p.proto = "ether"
			p.ether(b[2:], length-2)
			return true
		case 14:
			p.stp(b, length)
			return true
		}
	}
	if !p.opt.Link {
		if src != nil && dst != nil {
			p.macPair(src, dst)
			p.byte1(' ')
		}
		if oui == ouiEncapEther {
			p.str("SNAP, ethertype ")
			p.str(etherTypeName(pid))
		} else {
			p.str("SNAP, oui ")
			p.ouiName(oui)
			p.str(" (0x")
			p.hex(uint64(oui), 6)
			p.str("), pid ")
			p.str(snapPIDName(oui, pid))
		}
		p.str(" (0x")
		p.hex(uint64(pid), 4)
		p.str("), length ")
		p.uint(uint64(length))
		p.str(": ")
	}
	return false
}

func (p *Printer) ouiName(oui uint32) {
	if n, ok := ouiNames[oui]; ok {
		p.str(n)
	} else {
		p.str("Unknown")
	}
}
