package capture

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// Classic pcap magic numbers as the first four bytes read big endian
// (pcap-savefile(5); draft-ietf-opsawg-pcap section 4).
const (
	pcapMagicMicro        = 0xa1b2c3d4
	pcapMagicNano         = 0xa1b23c4d
	swappedPcapMagicMicro = 0xd4c3b2a1
	swappedPcapMagicNano  = 0x4d3cb2a1

	pcapFileHeaderLen   = 24
	pcapRecordHeaderLen = 16

	// linkTypeMask keeps the LINKTYPE_ value of the header's link type
	// field; the upper 16 bits carry FCS information (pcap-savefile(5)).
	linkTypeMask = 0x0000ffff
)

// How the captured and original length fields are ordered: they were
// interchanged at version 2.3, and some 2.3 files were written without the
// change; libpcap reads both.
const (
	lengthsNotSwapped = iota
	lengthsMaybeSwapped
	lengthsSwapped
)

// readPcapHeader reads the 24-byte classic pcap file header.
func (r *Reader) readPcapHeader() error {
	hdr, err := r.br.Peek(pcapFileHeaderLen)
	if len(hdr) < pcapFileHeaderLen {
		if err != nil && err != io.EOF {
			return fmt.Errorf("read file header: %w", err)
		}
		return formatErrorf(0, "truncated pcap file header: %d of %d bytes", len(hdr), pcapFileHeaderLen)
	}
	switch binary.BigEndian.Uint32(hdr) {
	case pcapMagicMicro:
		r.swap, r.fracNanos = true, 1000
	case pcapMagicNano:
		r.swap, r.fracNanos = true, 1
	case swappedPcapMagicMicro:
		r.swap, r.fracNanos = false, 1000
	case swappedPcapMagicNano:
		r.swap, r.fracNanos = false, 1
	}
	major, minor := r.u16(hdr[4:]), r.u16(hdr[6:])
	// libpcap reads versions 2.0 to 2.4, and 543.0 from DG/UX tcpdump.
	switch {
	case major == 2 && minor < 3, major == 543 && minor == 0:
		r.lengthsSwap = lengthsSwapped
	case major == 2 && minor == 3:
		r.lengthsSwap = lengthsMaybeSwapped
	case major == 2 && minor == 4:
		r.lengthsSwap = lengthsNotSwapped
	default:
		return formatErrorf(0, "unsupported pcap version %d.%d (want 2.4)", major, minor)
	}
	snaplen := r.u32(hdr[16:])
	linkType := wire.LinkType(r.u32(hdr[20:]) & linkTypeMask)
	r.limit = maxCaplen(linkType)
	r.snaplen = effectiveSnaplen(snaplen, linkType)
	res := time.Microsecond
	if r.fracNanos == 1 {
		res = time.Nanosecond
	}
	r.ifaces = []Interface{{LinkType: linkType, Snaplen: snaplen, TsResolution: res, BigEndian: r.swap}}
	_, err = r.br.Discard(pcapFileHeaderLen)
	return err
}

// nextPcap reads one classic pcap record, its capture header into ci
// (written field by field: see Reader.nextInto).
func (r *Reader) nextPcap(ci *gopacket.CaptureInfo) ([]byte, error) {
	hdr, err := r.br.Peek(pcapRecordHeaderLen)
	if len(hdr) < pcapRecordHeaderLen {
		switch {
		case len(hdr) == 0 && err == io.EOF:
			return nil, io.EOF
		case err != io.EOF:
			return nil, r.readError(err)
		}
		return nil, formatErrorf(r.packets+1, "truncated: file ends inside the packet header (%d of %d bytes)", len(hdr), pcapRecordHeaderLen)
	}
	sec, frac := r.u32(hdr[0:]), r.u32(hdr[4:])
	caplen, length := r.u32(hdr[8:]), r.u32(hdr[12:])
	if r.lengthsSwap == lengthsSwapped || r.lengthsSwap == lengthsMaybeSwapped && caplen > length {
		caplen, length = length, caplen
	}
	if caplen > r.limit {
		return nil, formatErrorf(r.packets+1, "header says %d captured bytes, more than the %d a packet may have", caplen, r.limit)
	}
	r.br.Discard(pcapRecordHeaderLen) // cannot fail: the bytes were peeked
	data, err := r.readN(int(caplen))
	if err != nil {
		if isEOF(err) {
			return nil, formatErrorf(r.packets+1, "truncated: header says %d bytes, file ends after %d", caplen, len(data))
		}
		return nil, r.readError(err)
	}
	if r.pf != nil {
		r.pf.warmNext()
	}
	// Like libpcap, hand out no more than the snaplen the file promised.
	if caplen > r.snaplen {
		data = data[:r.snaplen]
	}
	ci.Timestamp = time.Unix(int64(sec), int64(frac)*r.fracNanos)
	ci.CaptureLength = len(data)
	ci.Length = int(length)
	ci.InterfaceIndex, ci.AncillaryData = 0, nil
	return data, nil
}

// writeBufferSize is the bufio size of the writers.
const writeBufferSize = 256 << 10

var (
	_ Writer = (*PcapWriter)(nil)
	_ Writer = (*PcapngWriter)(nil)
)

// PcapWriter writes a classic pcap file in little-endian byte order.
type PcapWriter struct {
	w       *bufio.Writer
	snaplen uint32
	nano    bool
	hdr     [pcapRecordHeaderLen]byte
}

// NewPcapWriter writes a pcap file header to w at once and returns a writer
// for its packets. snaplen 0 means 262144, tcpdump's default. With nano the
// file has nanosecond timestamps (magic a1b23c4d), otherwise microseconds.
// Writes are buffered: call Flush when done.
func NewPcapWriter(w io.Writer, linkType wire.LinkType, snaplen uint32, nano bool) (*PcapWriter, error) {
	if snaplen == 0 {
		snaplen = maxSnaplen
	}
	pw := &PcapWriter{w: bufio.NewWriterSize(w, writeBufferSize), snaplen: snaplen, nano: nano}
	var hdr [pcapFileHeaderLen]byte
	magic := uint32(pcapMagicMicro)
	if nano {
		magic = pcapMagicNano
	}
	le := binary.LittleEndian
	le.PutUint32(hdr[0:], magic)
	le.PutUint16(hdr[4:], 2)
	le.PutUint16(hdr[6:], 4)
	// thiszone and sigfigs are always 0.
	le.PutUint32(hdr[16:], snaplen)
	le.PutUint32(hdr[20:], uint32(linkType))
	pw.w.Write(hdr[:])
	if err := pw.w.Flush(); err != nil {
		return nil, fmt.Errorf("write pcap file header: %w", err)
	}
	return pw, nil
}

// WritePacket appends one packet. Data beyond the snaplen is cut off;
// ci.Length is the original length (raised to len(data) if smaller); a
// zero ci.Timestamp is written as the epoch.
func (w *PcapWriter) WritePacket(ci gopacket.CaptureInfo, data []byte) error {
	var sec, frac uint32
	if t := ci.Timestamp; !t.IsZero() {
		s := t.Unix()
		if s < 0 || s > math.MaxUint32 {
			return fmt.Errorf("write packet: timestamp %s is outside what a pcap file can hold (1970 to 2106)", t.UTC().Format(time.RFC3339))
		}
		sec, frac = uint32(s), uint32(t.Nanosecond())
		if !w.nano {
			frac /= 1000
		}
	}
	length := max(ci.Length, len(data))
	if length > math.MaxUint32 {
		return fmt.Errorf("write packet: length %d is more than a pcap file can hold", length)
	}
	if len(data) > int(w.snaplen) {
		data = data[:w.snaplen]
	}
	le := binary.LittleEndian
	le.PutUint32(w.hdr[0:], sec)
	le.PutUint32(w.hdr[4:], frac)
	le.PutUint32(w.hdr[8:], uint32(len(data)))
	le.PutUint32(w.hdr[12:], uint32(length))
	w.w.Write(w.hdr[:])
	_, err := w.w.Write(data)
	return err
}

// Flush writes any buffered packets to the underlying writer.
func (w *PcapWriter) Flush() error {
	return w.w.Flush()
}
