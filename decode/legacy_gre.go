//go:build !treedecode

package decode

// The GRE printer, as tcpdump prints it: GRE version 0 (RFC 2784,
// 2890) with its source routes (RFC 1701), the enhanced GRE of PPTP
// (version 1, RFC 2637), and the IPv4, IPv6 or Ethernet packet it carries.

// GRE header flags (RFC 2784, 2890, 2637).
const (
	greChecksum = 0x8000
	greRouting  = 0x4000
	greKey      = 0x2000
	greSeq      = 0x1000
	greSSR      = 0x0800
	greAck      = 0x0080
)

var greFlagNames = [...]bitName{
	{greChecksum, "checksum present"}, {greRouting, "routing present"},
	{greKey, "key present"}, {greSeq, "sequence# present"},
	{greSSR, "source routing present"}, {greAck, "ack present"},
}

// greField is an optional field of a GRE header: there when one of flags is
// set, size bytes long, printed after label in hex or decimal, masked.
type greField struct {
	flags   uint16
	size    int
	label   string
	hex     bool
	mask    uint32
	verbose bool // printed only with -v
}

// greFields are the optional fields of GRE version 0 (RFC 2784, 2890) and
// of the enhanced GRE of PPTP, version 1 (RFC 2637), in header order; in
// version 1 the key holds the payload length and, in its low half, the call ID.
var greFields = [2][]greField{
	{
		{greChecksum | greRouting, 2, ", sum 0x", true, 0xffff, true},
		{greChecksum | greRouting, 2, ", off 0x", true, 0xffff, false},
		{greKey, 4, ", key=0x", true, 0xffffffff, false},
		{greSeq, 4, ", seq ", false, 0xffffffff, false},
	},
	{
		{greKey, 4, ", call ", false, 0xffff, false},
		{greSeq, 4, ", seq ", false, 0xffffffff, false},
		{greAck, 4, ", ack ", false, 0xffffffff, false},
	},
}

// gre prints a GRE packet and what it carries, as tcpdump prints it.
func (p *Printer) gre(b []byte, length int) {
	p.proto = "gre"
	if len(b) < 2 || length < 2 {
		p.trunc()
		return
	}
	flags := be16(b, 0)
	vers := flags & 7
	p.str("GREv")
	p.uint(uint64(vers))
	if vers > 1 {
		p.str(" ERROR: unknown-version")
		return
	}
	if p.opt.Verbose > 0 {
		p.str(", Flags [")
		p.bitNames(uint32(flags), greFlagNames[:], ", ")
		p.byte1(']')
	}
	off, rem := 2, length-2
	// field reads the next n bytes, or reports that they are missing.
	field := func(n int) (uint32, bool) {
		if len(b) < off+n || rem < n {
			return 0, false
		}
		var v uint32
		for i := 0; i < n; i++ {
			v = v<<8 | uint32(b[off+i])
		}
		off += n
		rem -= n
		return v, true
	}
	v, ok := field(2)
	if !ok {
		p.trunc()
		return
	}
	proto := uint16(v)
	for _, f := range greFields[vers] {
		if flags&f.flags == 0 {
			continue
		}
		if v, ok = field(f.size); !ok {
			p.trunc()
			return
		}
		if f.verbose && p.opt.Verbose == 0 {
			continue
		}
		p.str(f.label)
		if f.hex {
			p.hex(uint64(v&f.mask), 1)
		} else {
			p.uint(uint64(v & f.mask))
		}
	}
	if vers == 0 && flags&greRouting != 0 {
		for {
			if v, ok = field(4); !ok {
				p.trunc()
				return
			}
			af, sreoff, srelen := uint16(v>>16), int(v>>8&0xff), int(v&0xff)
			if af == 0 && srelen == 0 {
				break
			}
			if !p.greSRE(af, sreoff, srelen, b[off:], rem) || rem < srelen {
				p.trunc()
				return
			}
			off += srelen
			rem -= srelen
		}
	}
	if vers == 1 && flags&greSeq == 0 {
		p.str(", no-payload")
	}
	if p.opt.Link {
		p.etherProto(proto)
	}
	p.str(", length ")
	p.uint(uint64(uint32(length)))
	if vers == 1 && flags&greSeq == 0 {
		return
	}
	if p.opt.Verbose < 1 {
		p.str(": ")
	} else {
		p.str("\n\t")
	}
	payload := b[off:]
	switch {
	case vers == 0 && proto == etherTypeIPv4:
		p.ip(payload, rem)
	case vers == 0 && proto == etherTypeIPv6:
		p.ip6(payload, rem)
	case vers == 0 && proto == 0x6558: // transparent Ethernet bridging
		p.ether(payload, rem)
	default:
		p.str("gre-proto-0x")
		p.hex(uint64(proto), 1)
	}
}

// greSRE prints a GRE source route entry (RFC 1701); false means truncated.
func (p *Printer) greSRE(af uint16, sreoff, srelen int, b []byte, rem int) bool {
	unit := 0
	switch af {
	case 0x0800:
		p.str(", (rtaf=ip")
		unit = 4
	case 0xfffe:
		p.str(", (rtaf=asn")
		unit = 2
	default:
		p.str(", (rtaf=0x")
		p.hex(uint64(af), 1)
		p.byte1(')')
		return true
	}
	ok := true
	switch {
	case sreoff%unit != 0:
		p.str(", badoffset=")
		p.uint(uint64(sreoff))
	case srelen%unit != 0:
		p.str(", badlength=")
		p.uint(uint64(srelen))
	case sreoff >= srelen:
		p.str(", badoff/len=")
		p.uint(uint64(sreoff))
		p.byte1('/')
		p.uint(uint64(srelen))
	default:
		for pos := 0; pos < srelen; pos += unit {
			if len(b) < pos+unit || rem-pos < unit {
				ok = false
				break
			}
			p.byte1(' ')
			if pos == sreoff {
				p.byte1('*')
			}
			if unit == 4 {
				p.ip4addr(b[pos:])
			} else {
				p.hex(uint64(be16(b, pos)), 1)
			}
		}
	}
	p.byte1(')')
	return ok
}
