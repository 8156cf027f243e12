package capture

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/bits"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// pcapng block types (draft-ietf-opsawg-pcapng section 10.1).
const (
	blockSHB        = 0x0a0d0d0a
	blockIDB        = 0x00000001
	blockPB         = 0x00000002 // obsolete Packet Block
	blockSPB        = 0x00000003
	blockNRB        = 0x00000004
	blockISB        = 0x00000005
	blockEPB        = 0x00000006
	blockJournal    = 0x00000009
	blockDSB        = 0x0000000a
	blockCustom     = 0x00000bad
	blockCustomCopy = 0x40000bad

	byteOrderMagic = 0x1a2b3c4d

	// Smallest valid lengths, counting the 12 bytes of type, length and
	// trailing length.
	minBlockLen = 12
	minSHBLen   = 28
	minIDBLen   = 20
	minEPBLen   = 32
	minSPBLen   = 16
	minPBLen    = 32

	// maxBlockLen bounds any block: the largest packet libpcap allows
	// (D-Bus, 128 MiB) plus room for options.
	maxBlockLen = 128<<20 + 1<<20
)

// Option codes (draft-ietf-opsawg-pcapng sections 3.5, 4.2, 4.3, 4.6).
const (
	optEndOfOpt   = 0
	optComment    = 1
	optShbUserApp = 4
	optIfName     = 2
	optIfTsresol  = 9
	optIfTsoffset = 14
	optIsbIfRecv  = 4
	optIsbIfDrop  = 5
)

// blockName names a block type for error messages.
func blockName(typ uint32) string {
	switch typ {
	case blockSHB:
		return "section header block"
	case blockIDB:
		return "interface description block"
	case blockPB:
		return "packet block"
	case blockSPB:
		return "simple packet block"
	case blockNRB:
		return "name resolution block"
	case blockISB:
		return "interface statistics block"
	case blockEPB:
		return "enhanced packet block"
	case blockJournal:
		return "systemd journal export block"
	case blockDSB:
		return "decryption secrets block"
	case blockCustom, blockCustomCopy:
		return "custom block"
	}
	return fmt.Sprintf("block of type %#x", typ)
}

// minLen returns the smallest valid total length of a block type.
func minLen(typ uint32) uint32 {
	switch typ {
	case blockSHB:
		return minSHBLen
	case blockIDB:
		return minIDBLen
	case blockEPB:
		return minEPBLen
	case blockSPB:
		return minSPBLen
	case blockPB:
		return minPBLen
	}
	return minBlockLen
}

// ngIface is the decoding state of one pcapng interface.
type ngIface struct {
	ts      tsConv
	limit   uint32 // a captured length above this is an error
	snaplen uint32 // a captured length above this is cut to it
}

// tsConv turns a pcapng timestamp (units since the epoch, plus an offset in
// seconds) into a time.Time, exactly to the nanosecond.
type tsConv struct {
	unitsPerSec uint64 // 10^n or 2^n; 0 when that does not fit in 64 bits
	pow2        bool
	tooFine     uint  // for unitsPerSec 0: n
	offset      int64 // if_tsoffset, seconds
	res         uint8 // the if_tsresol byte, for TsResolution
}

func newTsConv(tsresol uint8, offset int64) tsConv {
	c := tsConv{offset: offset, res: tsresol, pow2: tsresol&0x80 != 0}
	n := uint(tsresol & 0x7f)
	switch {
	case c.pow2 && n < 64:
		c.unitsPerSec = 1 << n
	case !c.pow2 && n <= 19: // 10^19 is the largest power of ten in a uint64
		c.unitsPerSec = 1
		for range n {
			c.unitsPerSec *= 10
		}
	default:
		c.tooFine = n
	}
	return c
}

// resolution returns the timestamp unit as a Duration, at least 1ns.
func (c tsConv) resolution() time.Duration {
	n := uint(c.res & 0x7f)
	if c.pow2 {
		return max(time.Second>>n, 1)
	}
	d := time.Second
	for i := uint(0); i < n && d > 1; i++ {
		d /= 10
	}
	return d
}

func (c *tsConv) time(ts uint64) time.Time {
	var sec, ns uint64
	switch c.unitsPerSec {
	case 1e6: // the default: constant divisions are cheap
		sec, ns = ts/1e6, ts%1e6*1e3
	case 1e9:
		sec, ns = ts/1e9, ts%1e9
	case 0: // finer than 2^-64 or 10^-19 s: the seconds are 0
		if c.pow2 {
			hi, _ := bits.Mul64(ts, 1e9)
			ns = hi >> (c.tooFine - 64)
		} else if e := c.tooFine - 9; e <= 19 {
			div := uint64(1)
			for range e {
				div *= 10
			}
			ns = ts / div
		}
	default:
		var frac uint64
		sec, frac = ts/c.unitsPerSec, ts%c.unitsPerSec
		hi, lo := bits.Mul64(frac, 1e9)
		ns, _ = bits.Div64(hi, lo, c.unitsPerSec) // hi < unitsPerSec as frac is
	}
	return time.Unix(c.offset+int64(sec), int64(ns))
}

// readSectionHeader reads a Section Header Block, which sets the byte order
// of the section and starts a new list of interfaces. packet is the number
// to report errors with (0 for the first section).
func (r *Reader) readSectionHeader(packet int) error {
	hdr, err := r.br.Peek(12)
	if len(hdr) < 12 {
		if err != nil && err != io.EOF {
			return r.readError(err)
		}
		return formatErrorf(packet, "truncated: file ends inside a section header block (%d of 12 bytes)", len(hdr))
	}
	switch binary.LittleEndian.Uint32(hdr[8:]) {
	case byteOrderMagic:
		r.swap = false
	case bits.ReverseBytes32(byteOrderMagic):
		r.swap = true
	default:
		return formatErrorf(packet, "section header block: byte-order magic is % x, want 1a 2b 3c 4d in either order", hdr[8:12])
	}
	length := r.u32(hdr[4:])
	if err := checkBlockLen(packet, blockSHB, length); err != nil {
		return err
	}
	block, err := r.readBlockBody(packet, blockSHB, length)
	if err != nil {
		return err
	}
	if major, minor := r.u16(block[12:]), r.u16(block[14:]); major != 1 {
		return formatErrorf(packet, "unsupported pcapng version %d.%d (want 1.0)", major, minor)
	}
	r.ifaces = r.ifaces[:0]
	r.ngIfaces = r.ngIfaces[:0]
	return nil
}

// checkBlockLen rejects a block total length that cannot be right.
func checkBlockLen(packet int, typ, length uint32) error {
	switch {
	case length%4 != 0:
		return formatErrorf(packet, "%s: length %d is not a multiple of 4", blockName(typ), length)
	case length < minLen(typ):
		return formatErrorf(packet, "%s: length %d is less than the minimum of %d", blockName(typ), length, minLen(typ))
	case length > maxBlockLen:
		return formatErrorf(packet, "%s: length %d is more than the maximum of %d", blockName(typ), length, maxBlockLen)
	}
	return nil
}

// readBlockBody reads a whole block whose length has been checked, and
// checks its trailing length.
func (r *Reader) readBlockBody(packet int, typ, length uint32) ([]byte, error) {
	block, err := r.readN(int(length))
	if err != nil {
		if isEOF(err) {
			return nil, formatErrorf(packet, "truncated: %s says %d bytes, file ends after %d", blockName(typ), length, len(block))
		}
		return nil, r.readError(err)
	}
	if trailer := r.u32(block[length-4:]); trailer != length {
		return nil, formatErrorf(packet, "%s: length at the start (%d) and at the end (%d) differ", blockName(typ), length, trailer)
	}
	return block, nil
}

// skipBlock discards a block we have no use for, checking its trailing length.
func (r *Reader) skipBlock(packet int, typ, length uint32) error {
	n, err := r.br.Discard(int(length) - 4)
	if err == nil {
		var trailer []byte
		trailer, err = r.br.Peek(4)
		if err == nil {
			if t := r.u32(trailer); t != length {
				return formatErrorf(packet, "%s: length at the start (%d) and at the end (%d) differ", blockName(typ), length, t)
			}
			r.br.Discard(4)
			return nil
		}
		n += len(trailer)
	}
	if isEOF(err) {
		return formatErrorf(packet, "truncated: %s says %d bytes, file ends after %d", blockName(typ), length, n)
	}
	return r.readError(err)
}

// nextPcapng reads blocks until one holds a packet.
func (r *Reader) nextPcapng() ([]byte, gopacket.CaptureInfo, error) {
	packet := r.packets + 1
	for {
		hdr, err := r.br.Peek(8)
		if len(hdr) < 8 {
			switch {
			case len(hdr) == 0 && err == io.EOF:
				return nil, gopacket.CaptureInfo{}, io.EOF
			case err != io.EOF:
				return nil, gopacket.CaptureInfo{}, r.readError(err)
			}
			return nil, gopacket.CaptureInfo{}, formatErrorf(packet, "truncated: file ends inside a block header (%d of 8 bytes)", len(hdr))
		}
		typ := r.u32(hdr)
		if typ == blockSHB {
			if err := r.readSectionHeader(packet); err != nil {
				return nil, gopacket.CaptureInfo{}, err
			}
			continue
		}
		length := r.u32(hdr[4:])
		if err := checkBlockLen(packet, typ, length); err != nil {
			return nil, gopacket.CaptureInfo{}, err
		}
		switch typ {
		case blockIDB, blockEPB, blockSPB, blockPB:
		default:
			if err := r.skipBlock(packet, typ, length); err != nil {
				return nil, gopacket.CaptureInfo{}, err
			}
			continue
		}
		block, err := r.readBlockBody(packet, typ, length)
		if err != nil {
			return nil, gopacket.CaptureInfo{}, err
		}
		switch typ {
		case blockIDB:
			if err := r.addInterface(packet, block); err != nil {
				return nil, gopacket.CaptureInfo{}, err
			}
		case blockEPB:
			return r.enhancedPacket(packet, block)
		case blockSPB:
			return r.simplePacket(packet, block)
		case blockPB:
			return r.obsoletePacket(packet, block)
		}
	}
}

// addInterface reads an Interface Description Block.
func (r *Reader) addInterface(packet int, block []byte) error {
	linkType := wire.LinkType(r.u16(block[8:]))
	snaplen := r.u32(block[12:])
	iface := Interface{LinkType: linkType, Snaplen: snaplen, BigEndian: r.swap}
	tsresol, offset := uint8(6), int64(0)
	opts := block[16 : len(block)-4]
	for len(opts) >= 4 {
		code, n := r.u16(opts), int(r.u16(opts[2:]))
		if code == optEndOfOpt {
			break
		}
		if 4+n > len(opts) {
			return formatErrorf(packet, "interface description block: option %d says %d bytes, only %d left in the block", code, n, len(opts)-4)
		}
		val := opts[4 : 4+n]
		switch code {
		case optIfName:
			for len(val) > 0 && val[len(val)-1] == 0 {
				val = val[:len(val)-1]
			}
			iface.Name = string(val)
		case optIfTsresol:
			if n != 1 {
				return formatErrorf(packet, "interface description block: if_tsresol is %d bytes, want 1", n)
			}
			tsresol = val[0]
		case optIfTsoffset:
			if n != 8 {
				return formatErrorf(packet, "interface description block: if_tsoffset is %d bytes, want 8", n)
			}
			if !r.swap {
				offset = int64(binary.LittleEndian.Uint64(val))
			} else {
				offset = int64(binary.BigEndian.Uint64(val))
			}
		}
		opts = opts[min(4+(n+3)&^3, len(opts)):]
	}
	ts := newTsConv(tsresol, offset)
	iface.TsResolution = ts.resolution()
	r.ifaces = append(r.ifaces, iface)
	r.ngIfaces = append(r.ngIfaces, ngIface{
		ts:      ts,
		limit:   maxCaplen(linkType),
		snaplen: effectiveSnaplen(snaplen, linkType),
	})
	return nil
}

// packet finishes a packet from any of the three packet blocks.
func (r *Reader) packet(packet int, typ uint32, id int, ts uint64, data []byte, caplen, length uint32) ([]byte, gopacket.CaptureInfo, error) {
	if id >= len(r.ngIfaces) {
		return nil, gopacket.CaptureInfo{}, formatErrorf(packet, "%s: interface %d has no interface description block before it", blockName(typ), id)
	}
	iface := &r.ngIfaces[id]
	if caplen > uint32(len(data)) {
		return nil, gopacket.CaptureInfo{}, formatErrorf(packet, "%s: captured length %d runs past the end of the block (%d bytes of room)", blockName(typ), caplen, len(data))
	}
	if caplen > iface.limit {
		return nil, gopacket.CaptureInfo{}, formatErrorf(packet, "%s says %d captured bytes, more than the %d a packet may have", blockName(typ), caplen, iface.limit)
	}
	// Like libpcap, hand out no more than the interface's snaplen.
	data = data[:min(caplen, iface.snaplen)]
	return data, gopacket.CaptureInfo{
		Timestamp:      iface.ts.time(ts),
		CaptureLength:  len(data),
		Length:         int(length),
		InterfaceIndex: id,
	}, nil
}

// enhancedPacket reads an Enhanced Packet Block:
// interface id, timestamp high and low, captured length, original length, data.
func (r *Reader) enhancedPacket(packet int, block []byte) ([]byte, gopacket.CaptureInfo, error) {
	id := r.u32(block[8:])
	ts := uint64(r.u32(block[12:]))<<32 | uint64(r.u32(block[16:]))
	caplen, length := r.u32(block[20:]), r.u32(block[24:])
	return r.packetWithOptions(packet, blockEPB, int(min(id, math.MaxInt32)), ts, block[28:len(block)-4], caplen, length)
}

// packetWithOptions finishes a packet of an Enhanced or obsolete Packet
// Block, whose options follow the data padded to 4 bytes: each comment
// (opt_comment) becomes a wire.Comment in ci.AncillaryData. An option
// that runs past the block ends the options, not the packet (tcpdump reads
// such a packet; tshark stops there); bytes after the data too few to hold
// an option are ignored.
func (r *Reader) packetWithOptions(packet int, typ uint32, id int, ts uint64, body []byte, caplen, length uint32) ([]byte, gopacket.CaptureInfo, error) {
	data, ci, err := r.packet(packet, typ, id, ts, body, caplen, length)
	if err != nil {
		return data, ci, err
	}
	opts := body[min(int(caplen)+pad4(int(caplen)), len(body)):]
	for len(opts) >= 4 {
		code, n := r.u16(opts), int(r.u16(opts[2:]))
		if code == optEndOfOpt {
			break
		}
		if 4+n > len(opts) {
			// The packet is whole; only its options are not. tcpdump
			// reads such a packet (tshark stops at it): keep the packet
			// and the comments read so far, and no more options.
			break
		}
		if code == optComment {
			ci.AncillaryData = append(ci.AncillaryData, wire.Comment(opts[4:4+n]))
		}
		opts = opts[min(4+(n+3)&^3, len(opts)):]
	}
	return data, ci, nil
}

// obsoletePacket reads a Packet Block: 16-bit interface id, drops count,
// then as an Enhanced Packet Block.
func (r *Reader) obsoletePacket(packet int, block []byte) ([]byte, gopacket.CaptureInfo, error) {
	id := r.u16(block[8:])
	ts := uint64(r.u32(block[12:]))<<32 | uint64(r.u32(block[16:]))
	caplen, length := r.u32(block[20:]), r.u32(block[24:])
	return r.packetWithOptions(packet, blockPB, int(id), ts, block[28:len(block)-4], caplen, length)
}

// simplePacket reads a Simple Packet Block: original length, data. It
// belongs to interface 0, has no timestamp (we give the epoch), and holds
// min(original length, snaplen) bytes.
func (r *Reader) simplePacket(packet int, block []byte) ([]byte, gopacket.CaptureInfo, error) {
	if len(r.ngIfaces) == 0 {
		return nil, gopacket.CaptureInfo{}, formatErrorf(packet, "simple packet block: no interface description block before it")
	}
	length := r.u32(block[8:])
	data := block[12 : len(block)-4]
	caplen := min(length, uint32(len(data)))
	if s := r.ifaces[0].Snaplen; s != 0 {
		caplen = min(caplen, s)
	}
	data, ci, err := r.packet(packet, blockSPB, 0, 0, data, caplen, length)
	// No timestamp: libpcap says the epoch, so tcpdump prints 00:00:00.
	ci.Timestamp = time.Unix(0, 0)
	return data, ci, err
}

// PcapngWriter writes a pcapng file: one little-endian section with the
// interfaces given to NewPcapngWriter, and an Enhanced Packet Block per packet.
type PcapngWriter struct {
	w      *bufio.Writer
	ifaces []ngOut
	buf    []byte // block being built; reused
}

// ngOut is how one interface's packets are written.
type ngOut struct {
	snaplen uint32
	unitNs  uint64 // nanoseconds per timestamp unit
	perSec  uint64 // timestamp units per second
}

// userApplication names the writer in the section header (shb_userappl).
const userApplication = "sockscope"

// NewPcapngWriter writes a Section Header Block and one Interface
// Description Block per interface to w at once (with if_name when Name is
// set, and if_tsresol unless TsResolution is the default microsecond; it
// must be a power of ten from 1ns to 1s, or 0 for microseconds). Snaplen 0
// means no limit. Writes are buffered: call Flush when done.
func NewPcapngWriter(w io.Writer, ifaces []Interface) (*PcapngWriter, error) {
	if len(ifaces) == 0 {
		return nil, fmt.Errorf("pcapng writer needs at least one interface")
	}
	pw := &PcapngWriter{w: bufio.NewWriterSize(w, writeBufferSize)}
	le := binary.LittleEndian

	b := le.AppendUint32(nil, blockSHB)
	b = le.AppendUint32(b, 0) // length, set by endBlock
	b = le.AppendUint32(b, byteOrderMagic)
	b = le.AppendUint16(b, 1) // version 1.0
	b = le.AppendUint16(b, 0)
	b = le.AppendUint64(b, math.MaxUint64) // section length not given
	b = appendOption(b, optShbUserApp, []byte(userApplication))
	b = le.AppendUint32(b, optEndOfOpt)
	b = endBlock(b, 0)

	for i, iface := range ifaces {
		if iface.LinkType > math.MaxUint16 {
			return nil, fmt.Errorf("interface %d: link type %d does not fit in a pcapng file (16 bits)", i, iface.LinkType)
		}
		out := ngOut{snaplen: iface.Snaplen, unitNs: 1000, perSec: 1e6}
		res := iface.TsResolution
		var tsresol []byte
		if res != 0 && res != time.Microsecond {
			digits := 9
			for d := time.Nanosecond; d < res && digits > 0; d *= 10 {
				digits--
			}
			unit := time.Second
			for range digits {
				unit /= 10
			}
			if unit != res {
				return nil, fmt.Errorf("interface %d: timestamp resolution %v is not a power of ten from 1ns to 1s", i, res)
			}
			tsresol = []byte{byte(digits)}
			out.unitNs, out.perSec = uint64(unit), uint64(time.Second/unit)
		}
		start := len(b)
		b = le.AppendUint32(b, blockIDB)
		b = le.AppendUint32(b, 0)
		b = le.AppendUint16(b, uint16(iface.LinkType))
		b = le.AppendUint16(b, 0)
		b = le.AppendUint32(b, iface.Snaplen)
		if iface.Name != "" || tsresol != nil {
			if iface.Name != "" {
				b = appendOption(b, optIfName, []byte(iface.Name))
			}
			if tsresol != nil {
				b = appendOption(b, optIfTsresol, tsresol)
			}
			b = le.AppendUint32(b, optEndOfOpt)
		}
		b = endBlock(b, start)
		pw.ifaces = append(pw.ifaces, out)
	}
	pw.w.Write(b)
	if err := pw.w.Flush(); err != nil {
		return nil, fmt.Errorf("write pcapng header: %w", err)
	}
	return pw, nil
}

// appendOption appends one option, padded to 4 bytes.
func appendOption(b []byte, code uint16, val []byte) []byte {
	b = binary.LittleEndian.AppendUint16(b, code)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(val)))
	b = append(b, val...)
	return append(b, make([]byte, pad4(len(val)))...)
}

// endBlock appends the trailing length of the block that starts at start
// and fills in its leading length.
func endBlock(b []byte, start int) []byte {
	length := uint32(len(b) - start + 4)
	binary.LittleEndian.PutUint32(b[start+4:], length)
	return binary.LittleEndian.AppendUint32(b, length)
}

// pad4 returns how many bytes pad n to a multiple of 4.
func pad4(n int) int {
	return -n & 3
}

// timestamp converts t to units of the interface's resolution.
func (o *ngOut) timestamp(t time.Time) (uint64, error) {
	if t.IsZero() {
		return 0, nil
	}
	s := t.Unix()
	if s < 0 || uint64(s) > math.MaxUint64/o.perSec-1 {
		return 0, fmt.Errorf("timestamp %s is outside what this pcapng interface can hold", t.UTC().Format(time.RFC3339))
	}
	return uint64(s)*o.perSec + uint64(t.Nanosecond())/o.unitNs, nil
}

// WritePacket appends an Enhanced Packet Block on interface
// ci.InterfaceIndex. Data beyond the interface's snaplen is cut off;
// ci.Length is the original length (raised to len(data) if smaller); a zero
// ci.Timestamp is written as the epoch. Each wire.Comment in
// ci.AncillaryData is written as an opt_comment, in order.
func (w *PcapngWriter) WritePacket(ci gopacket.CaptureInfo, data []byte) error {
	if ci.InterfaceIndex < 0 || ci.InterfaceIndex >= len(w.ifaces) {
		return fmt.Errorf("write packet: interface %d was not given to the pcapng writer (it has %d)", ci.InterfaceIndex, len(w.ifaces))
	}
	out := &w.ifaces[ci.InterfaceIndex]
	ts, err := out.timestamp(ci.Timestamp)
	if err != nil {
		return fmt.Errorf("write packet: %w", err)
	}
	length := max(ci.Length, len(data))
	if length > math.MaxUint32 {
		return fmt.Errorf("write packet: length %d is more than a pcapng file can hold", length)
	}
	if out.snaplen != 0 && len(data) > int(out.snaplen) {
		data = data[:out.snaplen]
	}
	if len(data) > maxBlockLen-minEPBLen-3 {
		return fmt.Errorf("write packet: %d bytes is more than a pcapng block can hold", len(data))
	}
	le := binary.LittleEndian
	var opts []byte
	for _, a := range ci.AncillaryData {
		if c, ok := a.(wire.Comment); ok {
			if len(c) > math.MaxUint16 {
				return fmt.Errorf("write packet: a comment of %d bytes is more than a pcapng option holds", len(c))
			}
			opts = appendOption(opts, optComment, []byte(c))
		}
	}
	if opts != nil {
		opts = le.AppendUint32(opts, optEndOfOpt)
		if len(data)+len(opts) > maxBlockLen-minEPBLen-3 {
			return fmt.Errorf("write packet: %d bytes and %d of comments are more than a pcapng block can hold", len(data), len(opts))
		}
	}
	total := uint32(minEPBLen + len(data) + pad4(len(data)) + len(opts))
	b := w.buf[:0]
	b = le.AppendUint32(b, blockEPB)
	b = le.AppendUint32(b, total)
	b = le.AppendUint32(b, uint32(ci.InterfaceIndex))
	b = le.AppendUint32(b, uint32(ts>>32))
	b = le.AppendUint32(b, uint32(ts))
	b = le.AppendUint32(b, uint32(len(data)))
	b = le.AppendUint32(b, uint32(length))
	w.w.Write(b)
	w.w.Write(data)
	b = b[:0]
	b = append(b, 0, 0, 0, 0)[:pad4(len(data))]
	b = append(b, opts...)
	b = le.AppendUint32(b, total)
	_, err = w.w.Write(b)
	w.buf = b
	return err
}

// WriteStats appends an Interface Statistics Block for interface iface with
// the packets it received (isb_ifrecv) and dropped (isb_ifdrop), stamped
// with the current time.
func (w *PcapngWriter) WriteStats(iface int, received, dropped uint64) error {
	if iface < 0 || iface >= len(w.ifaces) {
		return fmt.Errorf("write statistics: interface %d was not given to the pcapng writer (it has %d)", iface, len(w.ifaces))
	}
	ts, err := w.ifaces[iface].timestamp(time.Now())
	if err != nil {
		return fmt.Errorf("write statistics: %w", err)
	}
	le := binary.LittleEndian
	b := w.buf[:0]
	b = le.AppendUint32(b, blockISB)
	b = le.AppendUint32(b, 0)
	b = le.AppendUint32(b, uint32(iface))
	b = le.AppendUint32(b, uint32(ts>>32))
	b = le.AppendUint32(b, uint32(ts))
	b = appendOption(b, optIsbIfRecv, le.AppendUint64(nil, received))
	b = appendOption(b, optIsbIfDrop, le.AppendUint64(nil, dropped))
	b = le.AppendUint32(b, optEndOfOpt)
	b = endBlock(b, 0)
	_, err = w.w.Write(b)
	w.buf = b
	return err
}

// Flush writes any buffered blocks to the underlying writer.
func (w *PcapngWriter) Flush() error {
	return w.w.Flush()
}
