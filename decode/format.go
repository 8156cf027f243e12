package decode

import (
	"strconv"
	"time"
)

// The helpers below append to p.buf without fmt, so that printing a packet
// allocates nothing.

// str appends s.
func (p *Printer) str(s string) { p.buf = append(p.buf, s...) }

// byte1 appends one byte.
func (p *Printer) byte1(c byte) { p.buf = append(p.buf, c) }

// uint appends n in decimal (%u).
func (p *Printer) uint(n uint64) { p.buf = strconv.AppendUint(p.buf, n, 10) }

// int appends n in decimal (%d).
func (p *Printer) int(n int64) { p.buf = strconv.AppendInt(p.buf, n, 10) }

const hexDigits = "0123456789abcdef"

// hex appends n in lower-case hex, zero-padded to width digits (as %0*x).
func (p *Printer) hex(n uint64, width int) {
	var tmp [16]byte
	i := len(tmp)
	for n > 0 || i == len(tmp) {
		i--
		tmp[i] = hexDigits[n&0xf]
		n >>= 4
	}
	for len(tmp)-i < width {
		p.buf = append(p.buf, '0')
		width--
	}
	p.buf = append(p.buf, tmp[i:]...)
}

// padUint appends n in decimal, zero-padded to width digits (as %0*u).
func (p *Printer) padUint(n uint64, width int) {
	var tmp [20]byte
	b := strconv.AppendUint(tmp[:0], n, 10)
	for i := len(b); i < width; i++ {
		p.buf = append(p.buf, '0')
	}
	p.buf = append(p.buf, b...)
}

// mac appends a 6-byte MAC address as tcpdump prints it: 00:11:22:33:44:55.
func (p *Printer) mac(b []byte) {
	need(b, 6)
	for i := 0; i < 6; i++ {
		if i > 0 {
			p.buf = append(p.buf, ':')
		}
		p.buf = append(p.buf, hexDigits[b[i]>>4], hexDigits[b[i]&0xf])
	}
}

// ip4addr appends a dotted IPv4 address from 4 bytes.
func (p *Printer) ip4addr(b []byte) {
	need(b, 4)
	for i := 0; i < 4; i++ {
		if i > 0 {
			p.buf = append(p.buf, '.')
		}
		p.buf = strconv.AppendUint(p.buf, uint64(b[i]), 10)
	}
}

// ip6addr appends an IPv6 address from 16 bytes as tcpdump's addrtostr6 does:
// RFC 5952 form, and the last 32 bits dotted after 96 zero bits (::1.2.3.4)
// or after ::ffff.
func (p *Printer) ip6addr(b []byte) {
	need(b, 16)
	var words [8]uint16
	for i := range words {
		words[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	bestBase, bestLen, curBase, curLen := -1, 0, -1, 0
	for i, w := range words {
		if w == 0 {
			if curBase == -1 {
				curBase, curLen = i, 1
			} else {
				curLen++
			}
		} else if curBase != -1 {
			if bestBase == -1 || curLen > bestLen {
				bestBase, bestLen = curBase, curLen
			}
			curBase = -1
		}
	}
	if curBase != -1 && (bestBase == -1 || curLen > bestLen) {
		bestBase, bestLen = curBase, curLen
	}
	if bestBase != -1 && bestLen < 2 {
		bestBase = -1
	}
	for i := 0; i < 8; i++ {
		if bestBase != -1 && i >= bestBase && i < bestBase+bestLen {
			if i == bestBase {
				p.byte1(':')
			}
			continue
		}
		if i != 0 {
			p.byte1(':')
		}
		if i == 6 && bestBase == 0 && (bestLen == 6 || bestLen == 5 && words[5] == 0xffff) {
			p.ip4addr(b[12:16])
			return
		}
		p.hex(uint64(words[i]), 0)
	}
	if bestBase != -1 && bestBase+bestLen == 8 {
		p.byte1(':')
	}
}

// timestamp appends the time of a packet in the form the options select, as
// tcpdump's ts_print does, with a space after it.
func (p *Printer) timestamp(t time.Time) {
	var sec, frac int64
	if !t.IsZero() { // a zero Time is a packet without a timestamp: the epoch
		sec, frac = t.Unix(), int64(t.Nanosecond())
		if sec >= 1<<31 && sec < 1<<32 {
			// libpcap reads a pcap file's seconds as a signed 32-bit
			// field: past 2038 they are negative, which shows in deltas.
			sec -= 1 << 32
		}
	}
	unit := int64(1000000000)
	if !p.opt.Nano {
		frac /= 1000 // libpcap hands out microseconds unless asked for nanoseconds
		unit = 1000000
	}
	switch p.opt.Time {
	case TimeNone:
		return
	case TimeUnix:
		// tcpdump prints the seconds as a 32-bit unsigned value and refuses
		// those with the top bit set.
		if uint32(sec)&0x80000000 != 0 {
			p.str("[Error converting time]")
		} else {
			p.uint(uint64(uint32(sec)))
			p.frac(frac)
		}
	case TimeDelta, TimeSinceFirst:
		if p.refSec == 0 && p.refFrac == 0 {
			p.refSec, p.refFrac = sec, frac
		}
		// The difference of the printed (cut) values, as tcpdump subtracts
		// the timevals libpcap gave it.
		ds, df := sec-p.refSec, frac-p.refFrac
		if sec < p.refSec || sec == p.refSec && frac < p.refFrac {
			ds, df = -ds, -df
			p.byte1('-')
		} else {
			p.byte1(' ')
		}
		if df < 0 {
			ds--
			df += unit
		}
		p.clock(ds, df, false, time.UTC)
		if p.opt.Time == TimeDelta {
			p.refSec, p.refFrac = sec, frac
		}
	case TimeDate:
		p.clock(sec, frac, true, p.loc)
	default:
		p.clock(sec, frac, false, p.loc)
	}
	p.byte1(' ')
}

// clock appends [YYYY-MM-DD ]HH:MM:SS.frac of sec in loc, as tcpdump's
// ts_date_hmsfrac_print does.
func (p *Printer) clock(sec, frac int64, date bool, loc *time.Location) {
	if uint32(sec)&0x80000000 != 0 {
		p.str("[Error converting time]")
		return
	}
	t := time.Unix(sec, 0).In(loc)
	if date {
		y, m, d := t.Date()
		p.padUint(uint64(y), 4)
		p.byte1('-')
		p.padUint(uint64(m), 2)
		p.byte1('-')
		p.padUint(uint64(d), 2)
		p.byte1(' ')
	}
	h, m, s := t.Clock()
	p.padUint(uint64(h), 2)
	p.byte1(':')
	p.padUint(uint64(m), 2)
	p.byte1(':')
	p.padUint(uint64(s), 2)
	p.frac(frac)
}

// frac appends the fraction of a second: .%06u, or .%09u with Nano.
func (p *Printer) frac(frac int64) {
	p.byte1('.')
	if p.opt.Nano {
		p.padUint(uint64(frac), 9)
	} else {
		p.padUint(uint64(frac), 6)
	}
}

// dump appends the -x, -X or -A dump of the packet after its link header
// (or with it, for -xx, -XX, -AA), as tcpdump's pretty_print_packet does:
// -X wins over -x, which wins over -A, and a packet with nothing past its
// link header dumps nothing.
func (p *Printer) dump(data []byte) {
	level := p.opt.HexASCII
	if level == 0 {
		level = p.opt.Hex
	}
	if level == 0 {
		level = p.opt.ASCII
	}
	if level == 0 {
		return
	}
	b := data
	if level == 1 {
		if len(data) <= p.llHdrLen {
			return
		}
		b = data[p.llHdrLen:]
	}
	switch {
	case p.opt.HexASCII > 0:
		p.hexASCII("\n\t", b, 0)
	case p.opt.Hex > 0:
		p.hexOnly("\n\t", b, 0)
	default:
		p.asciiOnly(b)
	}
}

// suppressDefault reports whether the payload dumps of unknown protocols are
// left out: with -x, -X (the whole packet is dumped anyway) and -q, as
// tcpdump's ndo_suppress_default_print.
func (p *Printer) suppressDefault() bool {
	return p.opt.Hex > 0 || p.opt.HexASCII > 0 || p.opt.Quiet
}

// defaultPrint dumps the bytes of a payload no printer knows, in hex and
// ASCII on lines of their own, unless suppressDefault: tcpdump's
// "if (!ndo->ndo_suppress_default_print) ND_DEFAULTPRINT(p, caplen)".
func (p *Printer) defaultPrint(b []byte) {
	if !p.suppressDefault() {
		p.hexASCII("\n\t", b, 0)
	}
}

// dataPrint dumps b in hex and ASCII whatever the options: a bare
// ND_DEFAULTPRINT in tcpdump.
func (p *Printer) dataPrint(b []byte) { p.hexASCII("\n\t", b, 0) }

func isGraph(c byte) bool { return c > 0x20 && c < 0x7f }

// hexASCII appends b as tcpdump's hex_and_ascii_print_with_offset: each line
// is indent, the offset, 16 bytes in groups of two padded to 40 columns, two
// spaces, then the bytes as characters ('.' for those not graphic).
func (p *Printer) hexASCII(indent string, b []byte, off int) {
	for len(b) > 0 {
		n := min(16, len(b))
		line := b[:n]
		b = b[n:]
		p.str(indent)
		p.str("0x")
		p.hex(uint64(off), 4)
		p.str(": ")
		start := len(p.buf)
		for i := 0; i < n; i += 2 {
			p.byte1(' ')
			p.buf = append(p.buf, hexDigits[line[i]>>4], hexDigits[line[i]&0xf])
			if i+1 < n {
				p.buf = append(p.buf, hexDigits[line[i+1]>>4], hexDigits[line[i+1]&0xf])
			}
		}
		for len(p.buf)-start < 40 {
			p.byte1(' ')
		}
		p.str("  ")
		for _, c := range line {
			if isGraph(c) {
				p.byte1(c)
			} else {
				p.byte1('.')
			}
		}
		off += 16
	}
}

// hexOnly appends b as tcpdump's hex_print_with_offset: 16 bytes a line in
// groups of two, each line starting with indent and the offset.
func (p *Printer) hexOnly(indent string, b []byte, off int) {
	for i := 0; i < len(b); i += 2 {
		if i%16 == 0 {
			p.str(indent)
			p.str("0x")
			p.hex(uint64(off+i), 4)
			p.str(": ")
		}
		p.byte1(' ')
		p.buf = append(p.buf, hexDigits[b[i]>>4], hexDigits[b[i]&0xf])
		if i+1 < len(b) {
			p.buf = append(p.buf, hexDigits[b[i+1]>>4], hexDigits[b[i+1]&0xf])
		}
	}
}

// asciiOnly appends b as tcpdump's ascii_print (-A): a newline, then the
// graphic characters, tabs, spaces and newlines as they are, others as '.';
// a CR is dropped before a LF and at the last two bytes, '.' elsewhere.
func (p *Printer) asciiOnly(b []byte) {
	p.byte1('\n')
	for i, c := range b {
		switch {
		case c == '\r':
			if len(b)-i-1 > 1 && b[i+1] != '\n' {
				p.byte1('.')
			}
		case isGraph(c) || c == '\t' || c == ' ' || c == '\n':
			p.byte1(c)
		default:
			p.byte1('.')
		}
	}
}

// printChar appends c as tcpdump's fn_print_char: "M-" before a byte with
// the top bit set, "^" before a control character (^@, ^?...).
func (p *Printer) printChar(c byte) {
	if c >= 0x80 {
		c &= 0x7f
		p.str("M-")
	}
	if c < 0x20 || c == 0x7f {
		c ^= 0x40
		p.byte1('^')
	}
	p.byte1(c)
}

// printJNP appends up to n bytes of b, stopping at a NUL, as tcpdump's
// nd_printjnp; it stops the packet as truncated if b ends first.
func (p *Printer) printJNP(b []byte, n int) {
	for i := 0; i < n; i++ {
		c := u8(b, i)
		if c == 0 {
			return
		}
		p.printChar(c)
	}
}
