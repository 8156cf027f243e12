//go:build !treedecode

package decode

// What every printer prints with, in tcpdump's output forms: numbers,
// addresses, timestamps, the -x, -X and -A dumps, escaped strings and flag
// names. They append to p.buf without fmt, so that printing a packet
// allocates nothing.

import (
	"strconv"
	"time"
)

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
func (p *Printer) padUint(n uint64, width int) { p.buf = appendPadded(p.buf, n, width) }

// appendPadded appends n in decimal, zero-padded to width digits; the JSON
// timestamps share it.
func appendPadded(b []byte, n uint64, width int) []byte {
	if width == 2 && n < 100 {
		return append(b, byte('0'+n/10), byte('0'+n%10))
	}
	var tmp [20]byte
	d := strconv.AppendUint(tmp[:0], n, 10)
	for i := len(d); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, d...)
}

// hexBytes appends n bytes of b from off as two hex digits each, stopping
// as truncated at the first one not captured.
func (p *Printer) hexBytes(b []byte, off, n int) {
	for i := 0; i < n; i++ {
		c := u8(b, off+i)
		p.buf = append(p.buf, hexDigits[c>>4], hexDigits[c&0xf])
	}
}

// hexColons appends bytes as hex pairs joined by colons (01:02:03), as
// tcpdump prints link addresses that are not 6 bytes long.
func (p *Printer) hexColons(b []byte) { p.buf = appendHexColons(p.buf, b) }

// appendHexColons appends b as hex pairs joined by colons; the JSON link
// addresses share it.
func appendHexColons(dst, b []byte) []byte {
	for i, c := range b {
		if i > 0 {
			dst = append(dst, ':')
		}
		dst = append(dst, hexDigits[c>>4], hexDigits[c&0xf])
	}
	return dst
}

// hexWords appends n 32-bit words of b from off, each as " %08x".
func (p *Printer) hexWords(b []byte, off, n int) {
	for i := 0; i < n; i++ {
		p.byte1(' ')
		p.hex(uint64(be32(b, off+4*i)), 8)
	}
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

// ipAddr appends the IPv6 address at the start of a when v6, else the IPv4 one.
func (p *Printer) ipAddr(a []byte, v6 bool) {
	if v6 {
		p.ip6addr(a)
	} else {
		p.ip4addr(a)
	}
}

// ip6addr appends an IPv6 address from 16 bytes as tcpdump prints it:
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
// tcpdump prints it, with a space after it.
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

// clock appends [YYYY-MM-DD ]HH:MM:SS.frac of sec in loc, as tcpdump
// prints it.
func (p *Printer) clock(sec, frac int64, date bool, loc *time.Location) {
	if uint32(sec)&0x80000000 != 0 {
		p.str("[Error converting time]")
		return
	}
	t := time.Unix(sec, 0).In(loc)
	if date {
		y, mo, d := t.Date()
		p.buf = appendDate(p.buf, y, mo, d)
		p.byte1(' ')
	}
	h, mi, s := t.Clock()
	p.buf = appendClock(p.buf, h, mi, s)
	p.frac(frac)
}

// appendDate appends YYYY-MM-DD (the year not negative); the NTP and JSON
// timestamps share it.
func appendDate(b []byte, year int, month time.Month, day int) []byte {
	b = appendPadded(b, uint64(year), 4)
	b = append(b, '-')
	b = appendPadded(b, uint64(month), 2)
	b = append(b, '-')
	return appendPadded(b, uint64(day), 2)
}

// appendClock appends hh:mm:ss.
func appendClock(b []byte, hour, min, sec int) []byte {
	b = appendPadded(b, uint64(hour), 2)
	b = append(b, ':')
	b = appendPadded(b, uint64(min), 2)
	b = append(b, ':')
	return appendPadded(b, uint64(sec), 2)
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
// (or with it, for -xx, -XX, -AA), as tcpdump does:
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
// left out: with -x, -X (the whole packet is dumped anyway) and -q, as in
// tcpdump.
func (p *Printer) suppressDefault() bool {
	return p.opt.Hex > 0 || p.opt.HexASCII > 0 || p.opt.Quiet
}

// defaultPrint dumps the bytes of a payload no printer knows, in hex and
// ASCII on lines of their own, unless suppressDefault, as tcpdump does.
func (p *Printer) defaultPrint(b []byte) {
	if !p.suppressDefault() {
		p.hexASCII("\n\t", b, 0)
	}
}

// dataPrint dumps b in hex and ASCII whatever the options, where tcpdump
// dumps the bytes unconditionally.
func (p *Printer) dataPrint(b []byte) { p.hexASCII("\n\t", b, 0) }

func isGraph(c byte) bool { return c > 0x20 && c < 0x7f }

// hexASCII appends b as tcpdump's -X dump does: each line
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

// hexOnly appends b as tcpdump's -x dump does: 16 bytes a line in
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

// asciiOnly appends b as tcpdump's -A dump does: a newline, then the
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

// printChar appends c as tcpdump escapes a byte: "M-" before a byte with
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

// bracketNum appends text, n and "]": the notes like " [len 12]" and
// "[bad length 3]" tcpdump puts in a line.
func (p *Printer) bracketNum(text string, n uint64) {
	p.str(text)
	p.uint(n)
	p.byte1(']')
}

// bitName names one bit of a flags field, for bitNames.
type bitName struct {
	bit  uint32
	name string
}

// bitNames appends the names tab gives the bits set in f, in tab's order,
// joined by sep, or "none" when it names none of them, as tcpdump prints
// flag names (sep ", ", or "" for names run together).
func (p *Printer) bitNames(f uint32, tab []bitName, sep string) {
	first := true
	for _, t := range tab {
		if f&t.bit != 0 {
			if !first {
				p.str(sep)
			}
			p.str(t.name)
			first = false
		}
	}
	if first {
		p.str("none")
	}
}

// printJNP appends up to n bytes of b from off, stopping at a NUL, as
// tcpdump does; it stops the packet as truncated if b ends first.
func (p *Printer) printJNP(b []byte, off, n int) {
	for i := 0; i < n; i++ {
		c := u8(b, off+i)
		if c == 0 {
			return
		}
		p.printChar(c)
	}
}

// printN appends n bytes of b from off with printChar's escapes, stopping
// at the end of the capture; it reports whether all n were there.
func (p *Printer) printN(b []byte, off, n int) bool {
	for ; n > 0 && off < len(b); n, off = n-1, off+1 {
		p.printChar(b[off])
	}
	return n == 0
}

// printZTN appends the NUL-terminated string of at most n bytes of b at off
// and returns the bytes it took with the NUL, or 0 when it did not end
// inside n bytes and the capture.
func (p *Printer) printZTN(b []byte, off, n int) int {
	for i := 0; i < n && off+i < len(b); i++ {
		c := b[off+i]
		if c == 0 {
			return i + 1
		}
		p.printChar(c)
	}
	return 0
}

// relTime appends a number of seconds as tcpdump prints a duration: 1h2m3s.
func (p *Printer) relTime(secs uint32) {
	if secs == 0 {
		p.str("0s")
		return
	}
	for _, u := range relTimeUnits {
		if secs >= u.n {
			p.uint(uint64(secs / u.n))
			p.byte1(u.name)
			secs %= u.n
		}
	}
}

// relTimeUnits are the units of relTime, largest first.
var relTimeUnits = [...]struct {
	n    uint32
	name byte
}{{31536000, 'y'}, {604800, 'w'}, {86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}}
