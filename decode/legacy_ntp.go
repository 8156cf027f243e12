//go:build !treedecode

package decode

// The NTP printer, printing as tcpdump does: version, mode and length,
// and with -v the time fields (RFC 5905) or the control header (RFC 9327).

import "time"

// NTP (RFC 5905) message layout.
const (
	ntpTimeMsgLen = 48
	ntpCtrlMsgLen = 12
	ntpModeCtrl   = 6
	ntpJan1970    = 2208988800 // seconds from the NTP era to the Unix epoch
)

var ntpModes = [8]string{"unspecified", "symmetric active", "symmetric passive", "Client",
	"Server", "Broadcast", "Control Message", "Reserved"}

var ntpLeaps = [4]string{"", "+1s", "-1s", "clock unsynchronized"}

// ntp prints an NTP message: one line, or with -v the time fields below it.
func (p *Printer) ntp(b []byte, length int) {
	p.proto = "ntp"
	status := u8(b, 0)
	p.str("NTPv")
	p.uint(uint64(status >> 3 & 7))
	mode := status & 7
	p.str(", ")
	p.str(ntpModes[mode])
	p.str(", length ")
	p.uint(uint64(length))
	if p.opt.Verbose == 0 {
		return
	}
	p.str("\n\tLeap indicator: ")
	p.str(ntpLeaps[status>>6])
	p.str(" (")
	p.uint(uint64(status & 0xc0))
	p.byte1(')')
	switch {
	case mode < ntpModeCtrl:
		p.ntpTime(b, length)
	case mode == ntpModeCtrl:
		p.ntpControl(b, length)
	}
}

func (p *Printer) ntpTime(b []byte, length int) {
	if length < ntpTimeMsgLen {
		p.str(" (invalid)")
		need(b, length)
		return
	}
	stratum := u8(b, 1)
	p.str(", Stratum ")
	p.uint(uint64(stratum))
	switch {
	case stratum == 0:
		p.str(" (unspecified)")
	case stratum == 1:
		p.str(" (primary reference)")
	case stratum <= 15:
		p.str(" (secondary reference)")
	default:
		p.str(" (reserved)")
	}
	poll := int8(u8(b, 2))
	p.str(", poll ")
	p.int(int64(poll))
	if poll > -32 && poll < 32 {
		if poll >= 0 {
			p.str(" (")
			p.uint(1 << poll)
			p.str("s)")
		} else {
			p.str(" (1/")
			p.uint(1 << -poll)
			p.str("s)")
		}
	}
	precision := int8(u8(b, 3))
	p.str(", precision ")
	p.int(int64(precision))
	need(b, 8)
	p.str("\n\tRoot Delay: ")
	p.ntpShortFixed(b[4:])
	need(b, 12)
	p.str(", Root dispersion: ")
	p.ntpShortFixed(b[8:])
	need(b, 16)
	p.str(", Reference-ID: ")
	switch stratum {
	case 0:
		p.str("(unspec)")
	case 1:
		p.printN(b, 12, 4)
	case 62, 63:
		p.ip4addr(b[12:])
		if stratum == 62 {
			p.str(" INFO_QUERY")
		} else {
			p.str(" INFO_REPLY")
		}
		return
	default:
		p.str("0x")
		p.hex(uint64(be32(b, 12)), 8)
	}
	names := [4]string{"\n\t  Reference Timestamp:  ", "\n\t  Originator Timestamp: ",
		"\n\t  Receive Timestamp:    ", "\n\t  Transmit Timestamp:   "}
	for i, n := range names {
		need(b, 24+8*i)
		p.str(n)
		p.ntpTimestamp(b, 16+8*i)
	}
	p.str("\n\t    Originator - Receive Timestamp:  ")
	p.ntpDelta(b, 24, 32)
	p.str("\n\t    Originator - Transmit Timestamp: ")
	p.ntpDelta(b, 24, 40)
	switch length {
	case ntpTimeMsgLen + 4:
		key := be32(b, 48)
		p.str("\n\tKey id: ")
		p.uint(uint64(key))
	case ntpTimeMsgLen + 4 + 16, ntpTimeMsgLen + 4 + 20:
		key := be32(b, 48)
		p.str("\n\tKey id: ")
		p.uint(uint64(key))
		need(b, length)
		p.str("\n\tAuthentication: ")
		for off := 52; off < length; off += 4 {
			p.hex(uint64(be32(b, off)), 8)
		}
	default:
		if length > ntpTimeMsgLen {
			p.str("\n\t(")
			p.uint(uint64(length - ntpTimeMsgLen))
			p.str(" more bytes after the header)")
		}
	}
}

// ntpShortFixed prints a 16.16 fixed-point value with 6 decimals.
func (p *Printer) ntpShortFixed(b []byte) {
	i, f := be16(b, 0), be16(b, 2)
	p.uint(uint64(i))
	p.byte1('.')
	p.padUint(uint64(float64(f)/65536.0*1000000.0), 6)
}

// ntpTimestamp prints a 32.32 NTP timestamp and its UTC date.
func (p *Printer) ntpTimestamp(b []byte, off int) {
	i, f := be32(b, off), be32(b, off+4)
	p.uint(uint64(i))
	p.byte1('.')
	p.padUint(uint64(uint32(float64(f)/4294967296.0*1000000000.0)), 9)
	if i == 0 {
		return
	}
	t := time.Unix(int64(i)-ntpJan1970, 0).UTC()
	p.str(" (")
	y, mo, d := t.Date()
	p.buf = appendDate(p.buf, y, mo, d)
	p.byte1('T')
	h, mi, s := t.Clock()
	p.buf = appendClock(p.buf, h, mi, s)
	p.str("Z)")
}

// ntpDelta prints the difference of the timestamps at off and from.
func (p *Printer) ntpDelta(b []byte, from, off int) {
	u, ou := be32(b, off), be32(b, from)
	uf, ouf := be32(b, off+4), be32(b, from+4)
	if ou == 0 && ouf == 0 {
		p.ntpTimestamp(b, off)
		return
	}
	var i, f uint32
	neg := false
	switch {
	case u > ou:
		i, f = u-ou, uf-ouf
		if ouf > uf {
			i--
		}
	case u < ou:
		neg = true
		i, f = ou-u, ouf-uf
		if uf > ouf {
			i--
		}
	default:
		if uf > ouf {
			f = uf - ouf
		} else {
			neg = true
			f = ouf - uf
		}
	}
	if neg {
		p.byte1('-')
	} else {
		p.byte1('+')
	}
	p.uint(uint64(i))
	p.byte1('.')
	p.padUint(uint64(uint32(float64(f)/4294967296.0*1000000000.0)), 9)
}

func (p *Printer) ntpControl(b []byte, length int) {
	if length < ntpCtrlMsgLen {
		p.str(" (invalid)")
		need(b, length)
		return
	}
	c := u8(b, 1)
	p.str(", ")
	p.str(ntpWord(c&0x80 != 0, "Response", "Request"))
	p.str(", ")
	p.str(ntpWord(c&0x40 != 0, "Error", "OK"))
	p.str(", ")
	p.str(ntpWord(c&0x20 != 0, "More", "Last"))
	p.str(", OpCode=")
	p.uint(uint64(c & 0x1f))
	p.byte1('\n')
	seq := be16(b, 2)
	p.str("\tSequence=")
	p.uint(uint64(seq))
	status := be16(b, 4)
	p.str(", Status=")
	if status != 0 {
		p.str("0x")
		p.hex(uint64(status), 1)
	} else {
		p.byte1('0')
	}
	assoc := be16(b, 6)
	p.str(", Assoc.=")
	p.uint(uint64(assoc))
	offset := be16(b, 8)
	p.str(", Offset=")
	p.uint(uint64(offset))
	count := int(be16(b, 10))
	p.str(", Count=")
	p.uint(uint64(count))
	if ntpCtrlMsgLen+count > length {
		p.str(" (invalid)")
		need(b, length)
		return
	}
	if count != 0 {
		need(b, ntpCtrlMsgLen+count)
		p.str("\n\tTO-BE-DONE: data not interpreted")
	}
}

func ntpWord(c bool, a, b string) string {
	if c {
		return a
	}
	return b
}
