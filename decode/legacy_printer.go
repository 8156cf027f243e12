//go:build !treedecode

// Package decode turns packet bytes into meaning: the one-line, verbose and hex
// output of tcpdump -n, and JSON. It is pure functions of bytes: it never opens
// a socket or a file (capture/ does that) and imports neither capture/ nor craft/.
//
// A Printer prints each packet as tcpdump 4.99 does, line for line: the
// timestamp (-t...), the link header (-e), each protocol layer (-v, -q), and
// the dumps (-x, -X, -A). Printers read the packet bytes with be16, be32, u8
// and need, which stop the packet as truncated when the captured bytes end;
// Print then marks the line " [|proto]" as tcpdump does.
package decode

import (
	"bufio"
	"fmt"
	"io"
	"time"

	"github.com/google/gopacket"
)

// LinkType is a pcap LINKTYPE_ value, the framing of a packet's first byte.
type LinkType uint32

// Link types from https://www.tcpdump.org/linktypes.html.
const (
	LinkNull      LinkType = 0   // BSD loopback: 4-byte address family in host order
	LinkEthernet  LinkType = 1   // IEEE 802.3 Ethernet
	LinkRawOld    LinkType = 12  // raw IP: DLT_RAW on Linux and most systems
	LinkRawOld2   LinkType = 14  // raw IP on OpenBSD (DLT_RAW there); not readable on Linux
	LinkRaw       LinkType = 101 // raw IPv4 or IPv6, version in the first nibble
	LinkLoop      LinkType = 108 // OpenBSD loopback: 4-byte address family in network order
	LinkLinuxSLL  LinkType = 113 // Linux cooked capture v1
	LinkIPv4      LinkType = 228 // raw IPv4
	LinkIPv6      LinkType = 229 // raw IPv6
	LinkLinuxSLL2 LinkType = 276 // Linux cooked capture v2
)

// TimeFormat selects how the timestamp of each line is printed, as tcpdump's -t flags do.
type TimeFormat int

// The timestamp forms, in the order of tcpdump's repeated -t flag.
const (
	TimeDefault    TimeFormat = iota // 15:04:05.000000 in the local zone
	TimeNone                         // -t
	TimeUnix                         // -tt: seconds since the epoch
	TimeDelta                        // -ttt: since the previous packet
	TimeDate                         // -tttt: date and time in the local zone
	TimeSinceFirst                   // -ttttt: since the first packet
)

// Options are the output flags shared by decode and capture; their letters are tcpdump's.
type Options struct {
	Link     bool       // -e: print the link-level header
	Verbose  int        // -v, -vv, -vvv
	Quiet    bool       // -q: less protocol information
	Hex      int        // -x (1) and -xx (2, with the link header)
	HexASCII int        // -X (1) and -XX (2, with the link header)
	ASCII    int        // -A (1) and -AA (2, with the link header)
	Time     TimeFormat // -t...
	// Nano prints nanoseconds instead of microseconds (tcpdump --nano); without
	// it, nanosecond timestamps are cut to microseconds as libpcap does.
	Nano bool
	// Location is the zone of TimeDefault and TimeDate; nil means time.Local.
	Location *time.Location
	// IfName names a network interface by index, for Linux cooked v2 headers,
	// as tcpdump does by looking it up on the machine that reads the file.
	// nil, or ok false, prints "?".
	IfName func(index int) (name string, ok bool)
}

// maxSnaplen is tcpdump's largest snapshot length: a packet header claiming more is invalid.
const maxSnaplen = 262144

// Printer writes the text form of packets, one call to Print per packet. It keeps
// the state tcpdump keeps between packets (TCP sequence bases, the reference
// timestamp of -ttt and -ttttt) and reuses one buffer, so printing allocates
// nothing per packet.
type Printer struct {
	opt Options
	w   *bufio.Writer
	buf []byte

	// proto names the protocol being printed, for the " [|proto]" mark
	// when a header runs past the captured bytes.
	proto string
	// llHdrLen is the length of the link-layer header, which -x, -X and -A skip.
	llHdrLen int

	// refSec and refFrac are the reference time of -ttt and -ttttt, in the
	// units printed (microseconds, or nanoseconds with Nano); zero is unset,
	// as in tcpdump, so a packet stamped at the epoch sets no reference.
	refSec, refFrac int64
	loc             *time.Location

	tcpSeq tcpTracker
}

// truncated is the panic value a printer raises when it reads past the captured
// bytes; Print recovers it and marks the line the way tcpdump does (" [|tcp]").
// It mirrors how tcpdump abandons a packet at a read past the capture.
type truncated struct{}

// NewPrinter returns a Printer writing to w with the given options.
func NewPrinter(w io.Writer, opt Options) *Printer {
	p := &Printer{opt: opt, w: bufio.NewWriterSize(w, 256<<10), buf: make([]byte, 0, 64<<10)}
	p.loc = opt.Location
	if p.loc == nil {
		p.loc = time.Local
	}
	p.tcpSeq.init()
	return p
}

// Flush writes out what is buffered.
func (p *Printer) Flush() error { return p.w.Flush() }

// Print writes the text for one packet: its timestamp, its layers, and the
// hex or ASCII dump the options ask for. ci.Length is the length on the wire;
// data holds the captured bytes. The error is the writer's.
func (p *Printer) Print(data []byte, ci gopacket.CaptureInfo, link LinkType) error {
	p.buf = p.buf[:0]
	if p.invalidHeader(len(data), ci.Length) {
		p.buf = append(p.buf, '\n')
		_, err := p.w.Write(p.buf)
		return err
	}
	p.timestamp(ci.Timestamp)
	p.proto = ""
	p.llHdrLen = 0
	p.printLayers(data, ci.Length, link)
	p.dump(data)
	p.buf = append(p.buf, '\n')
	_, err := p.w.Write(p.buf)
	return err
}

// printLayers prints the layers, turning a truncation panic into tcpdump's mark.
// As in tcpdump, a truncated packet's dump includes the link header.
func (p *Printer) printLayers(data []byte, length int, link LinkType) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(truncated); !ok {
				panic(r)
			}
			p.trunc()
			p.llHdrLen = 0
		}
	}()
	p.llHdrLen = p.linkLayer(data, length, link)
}

// invalidHeader prints tcpdump's "[Invalid header: ...]" line for capture
// headers no printer may see (no bytes, a length shorter than what was
// captured, more than 256 KiB) and reports whether it did.
func (p *Printer) invalidHeader(caplen, length int) bool {
	bad := false
	item := func(s string) {
		if !bad {
			p.str("[Invalid header:")
			bad = true
		} else {
			p.byte1(',')
		}
		p.str(s)
	}
	if caplen == 0 {
		item(" caplen==0")
	}
	if length == 0 {
		item(" len==0")
	} else if length < caplen {
		item(" len(")
		p.uint(uint64(uint32(length)))
		p.str(") < caplen(")
		p.uint(uint64(caplen))
		p.byte1(')')
	}
	if caplen > maxSnaplen {
		item(" caplen(")
		p.uint(uint64(caplen))
		p.str(") > 262144")
	}
	if length > maxSnaplen || length < 0 {
		item(" len(")
		p.uint(uint64(uint32(length)))
		p.str(") > 262144")
	}
	if bad {
		p.byte1(']')
	}
	return bad
}

// trunc appends tcpdump's truncation mark for the current protocol.
func (p *Printer) trunc() {
	p.buf = append(p.buf, " [|"...)
	p.buf = append(p.buf, p.proto...)
	p.buf = append(p.buf, ']')
}

// invalid appends tcpdump's mark for a malformed field.
func (p *Printer) invalid() { p.str(" (invalid)") }

// headerNotCaptured notes that a header of hlen bytes is longer than the
// caplen bytes captured, as tcpdump does, and stops the packet as
// truncated.
func (p *Printer) headerNotCaptured(caplen, hlen int) {
	p.str(" [remaining caplen(")
	p.uint(uint64(caplen))
	p.str(") < header length(")
	p.uint(uint64(hlen))
	p.str(")]")
	panic(truncated{})
}

// need stops printing the packet, as truncated, when b is shorter than n bytes.
func need(b []byte, n int) {
	if n < 0 || len(b) < n {
		panic(truncated{})
	}
}

// be16 reads a big-endian 16-bit value at off, stopping as truncated when it is not captured.
func be16(b []byte, off int) uint16 {
	need(b, off+2)
	return uint16(b[off])<<8 | uint16(b[off+1])
}

// be32 reads a big-endian 32-bit value at off, stopping as truncated when it is not captured.
func be32(b []byte, off int) uint32 {
	need(b, off+4)
	return uint32(b[off])<<24 | uint32(b[off+1])<<16 | uint32(b[off+2])<<8 | uint32(b[off+3])
}

// be24 reads a big-endian 24-bit value at off (a VNI, an OUI), stopping as truncated when it is not captured.
func be24(b []byte, off int) uint32 {
	need(b, off+3)
	return uint32(b[off])<<16 | uint32(b[off+1])<<8 | uint32(b[off+2])
}

// u8 reads the byte at off, stopping as truncated when it is not captured.
func u8(b []byte, off int) uint8 {
	need(b, off+1)
	return b[off]
}

// Supported reports whether the printer decodes packets of link type l. It
// answers as tcpdump on Linux does: LINKTYPE 14 is raw IP only on OpenBSD,
// and tcpdump on Linux refuses it ("unknown data link type 14").
func Supported(l LinkType) bool {
	switch l {
	case LinkNull, LinkEthernet, LinkRawOld, LinkRaw, LinkLoop,
		LinkLinuxSLL, LinkIPv4, LinkIPv6, LinkLinuxSLL2:
		return true
	}
	return false
}

// UnsupportedLinkError is a packet of a link type decode does not read.
type UnsupportedLinkError struct{ Link LinkType }

func (e *UnsupportedLinkError) Error() string {
	return fmt.Sprintf("unsupported link type %d; sockscope reads Ethernet, Linux cooked v1/v2, raw IP and BSD loopback captures", uint32(e.Link))
}

// CheckLink is nil when the printer decodes link type l, and says so
// otherwise.
func CheckLink(l LinkType) error {
	if Supported(l) {
		return nil
	}
	return &UnsupportedLinkError{l}
}
