package capture

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"os"
	"slices"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// readBufferSize is the bufio size Open and NewReader use: large enough that
// reading a file costs a few syscalls per thousand packets.
const readBufferSize = 1 << 20

// minBufioSize is the smallest bufio.Reader NewReader uses as it is: the
// reader peeks at whole headers.
const minBufioSize = 4 << 10

// Interface describes one capture interface of a file: the single implied
// interface of a classic pcap file, or one Interface Description Block of a
// pcapng section.
type Interface struct {
	Name     string        // if_name; empty when the file does not say
	LinkType wire.LinkType // LINKTYPE_ value (low 16 bits of the pcap header field)
	Snaplen  uint32        // as written in the file; 0 in pcapng means no limit
	// TsResolution is the timestamp unit: time.Microsecond or
	// time.Nanosecond for most files. Units finer than a nanosecond are
	// reported as 1ns, which is all time.Time keeps.
	TsResolution time.Duration
	// BigEndian is the byte order of the file (or pcapng section) that
	// describes the interface. A BSD loopback header's address family is in
	// this order, and a filter compiled for the file must know it.
	BigEndian bool
}

// Writer is what pcap and pcapng writers have in common.
type Writer interface {
	// WritePacket appends one packet. data is copied before it returns.
	WritePacket(ci gopacket.CaptureInfo, data []byte) error
	// Flush writes out anything buffered.
	Flush() error
}

// FormatError reports a capture file that is not what it claims to be.
type FormatError struct {
	// Packet is the 1-based number of the packet being read when the file
	// went wrong (packets returned so far + 1), or 0 for the file header.
	Packet int
	Msg    string
}

// Error returns the message, prefixed with the packet number if there is one.
func (e *FormatError) Error() string {
	if e.Packet == 0 {
		return e.Msg
	}
	return fmt.Sprintf("packet %d: %s", e.Packet, e.Msg)
}

func formatErrorf(packet int, format string, args ...any) error {
	return &FormatError{Packet: packet, Msg: fmt.Sprintf(format, args...)}
}

// Reader reads packets from a classic pcap or a pcapng file.
// It is not safe for concurrent use.
type Reader struct {
	br     source
	pf     *prefetcher // br, when it is one
	closer io.Closer   // nil unless Open opened the file
	ng     bool        // pcapng rather than classic pcap
	swap   bool        // the file (or current pcapng section) is big endian

	// Classic pcap only.
	fracNanos   int64  // nanoseconds per unit of the fraction field: 1000 or 1
	lengthsSwap int    // lengthsNotSwapped, lengthsMaybeSwapped, lengthsSwapped
	limit       uint32 // a captured length above this is an error
	snaplen     uint32 // a captured length above this is cut to it

	ifaces   []Interface // the current section's interfaces
	ngIfaces []ngIface   // pcapng: decoding state parallel to ifaces

	buf     []byte // the packet or block being returned; reused
	packets int
	err     error // sticky: once set, Next returns it forever
}

// Open opens a capture file for reading; path "-" reads standard input.
func Open(path string) (*Reader, error) {
	if path == "-" {
		// Standard input belongs to the process; Close leaves it open.
		return NewReader(os.Stdin)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		p := newPrefetcher(f, st.Size())
		r, err := newReader(p)
		if err != nil {
			p.close()
			f.Close()
			return nil, err
		}
		r.closer = closers{func() error { p.close(); return nil }, f.Close}
		return r, nil
	}
	r, err := NewReader(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.closer = f
	return r, nil
}

// closers closes several things in order, returning the first error.
type closers []func() error

func (c closers) Close() error {
	var first error
	for _, f := range c {
		if err := f(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// NewReader detects the format of r (classic pcap in either byte order with
// microsecond or nanosecond timestamps, or pcapng) and reads its header.
// r is buffered with a 1 MiB bufio.Reader unless it already is a
// *bufio.Reader of at least 4 KiB, which is then used as it is.
func NewReader(r io.Reader) (*Reader, error) {
	br, ok := r.(*bufio.Reader)
	if !ok || br.Size() < minBufioSize {
		br = bufio.NewReaderSize(r, readBufferSize)
	}
	return newReader(br)
}

func newReader(br source) (*Reader, error) {
	rd := &Reader{br: br}
	rd.pf, _ = br.(*prefetcher)
	magic, err := br.Peek(4)
	if len(magic) < 4 {
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("read file header: %w", err)
		}
		if len(magic) == 0 {
			return nil, formatErrorf(0, "not a pcap or pcapng file (it is empty)")
		}
		return nil, formatErrorf(0, "not a pcap or pcapng file (only %d bytes: % x)", len(magic), magic)
	}
	switch binary.BigEndian.Uint32(magic) {
	case pcapMagicMicro, pcapMagicNano, swappedPcapMagicMicro, swappedPcapMagicNano:
		err = rd.readPcapHeader()
	case blockSHB:
		rd.ng = true
		err = rd.readSectionHeader(0)
	default:
		err = notACaptureFile(magic)
	}
	if err != nil {
		return nil, err
	}
	return rd, nil
}

// notACaptureFile explains why the first four bytes are no capture file,
// naming the formats people most often feed a capture reader by mistake.
func notACaptureFile(magic []byte) error {
	switch {
	case magic[0] == 0x1f && magic[1] == 0x8b:
		return formatErrorf(0, "not a pcap or pcapng file: it is gzip-compressed (starts with % x); gunzip it first", magic)
	case binary.BigEndian.Uint32(magic) == 0xa1b2cd34 || binary.LittleEndian.Uint32(magic) == 0xa1b2cd34:
		return formatErrorf(0, "not a pcap or pcapng file: it is the modified (Kuznetsov) pcap format (starts with % x); convert it with editcap -F pcap", magic)
	}
	return formatErrorf(0, "not a pcap or pcapng file (starts with % x)", magic)
}

// Next returns the next packet. data is valid only until the next call to
// Next. ci.InterfaceIndex is the pcapng interface id (0 for pcap); it
// indexes Interfaces and LinkType. Next returns io.EOF at a clean end of
// file, a *FormatError for a bad file, and after any error the same error
// on every later call.
func (r *Reader) Next() (data []byte, ci gopacket.CaptureInfo, err error) {
	data, err = r.nextInto(&ci)
	return data, ci, err
}

// nextInto is Next with the capture header written into ci, field by
// field, where the packet loop keeps it: a struct this size returned by
// value is copied with loads wider than the stores that just wrote it,
// which the processor cannot forward, and the loop paid two such stalls a
// packet (a tenth of a filtered copy's time on small packets).
func (r *Reader) nextInto(ci *gopacket.CaptureInfo) (data []byte, err error) {
	if r.err != nil {
		*ci = gopacket.CaptureInfo{}
		return nil, r.err
	}
	if r.ng {
		data, *ci, err = r.nextPcapng()
	} else {
		data, err = r.nextPcap(ci)
	}
	if err != nil {
		r.err = err
		*ci = gopacket.CaptureInfo{}
		return nil, err
	}
	r.packets++
	return data, nil
}

// Interfaces returns a copy of the interfaces seen so far: exactly one for
// classic pcap; for pcapng, those of the current section (a new section
// header starts a new list, and interface ids count from 0 again). Per
// packet, LinkType is the cheaper call.
func (r *Reader) Interfaces() []Interface {
	return slices.Clone(r.ifaces)
}

// LinkType returns the link type of interface ifaceIndex (a packet's
// ci.InterfaceIndex), or 0 if there is no such interface.
func (r *Reader) LinkType(ifaceIndex int) wire.LinkType {
	if ifaceIndex < 0 || ifaceIndex >= len(r.ifaces) {
		return 0
	}
	return r.ifaces[ifaceIndex].LinkType
}

// Packets returns the number of packets returned so far.
func (r *Reader) Packets() int {
	return r.packets
}

// Close closes the file if Open opened it. Standard input and readers
// given to NewReader are left open.
func (r *Reader) Close() error {
	r.err = errors.New("read from a closed capture reader")
	if r.closer == nil {
		return nil
	}
	c := r.closer
	r.closer = nil
	return c.Close()
}

// u16 and u32 read a field in the byte order of the file.
func (r *Reader) u16(b []byte) uint16 {
	v := binary.LittleEndian.Uint16(b)
	if r.swap {
		v = bits.ReverseBytes16(v)
	}
	return v
}

func (r *Reader) u32(b []byte) uint32 {
	v := binary.LittleEndian.Uint32(b)
	if r.swap {
		v = bits.ReverseBytes32(v)
	}
	return v
}

// minReadBuffer is the smallest packet buffer: enough for any packet of
// up to 64 KiB (loopback and GRO make those common), so steady-state
// reading never grows it.
const minReadBuffer = 64 << 10

// growStep bounds how much readN allocates ahead of the data actually
// present, so a header that lies about a length costs no memory.
const growStep = 256 << 10

// readN reads exactly n bytes into the reused buffer. On a short read it
// returns what it got and the error (io.ErrUnexpectedEOF or io.EOF at the
// end of the file).
func (r *Reader) readN(n int) ([]byte, error) {
	// Most packets fit in the bufio buffer: hand out a slice of it rather
	// than copy. It stays valid until the next read, as Next promises.
	if n <= r.br.Size() {
		b, err := r.br.Peek(n)
		if err != nil {
			return b, err
		}
		_, err = r.br.Discard(n)
		return b, err
	}
	if n > cap(r.buf) && n <= growStep {
		r.buf = make([]byte, max(n, 2*cap(r.buf), minReadBuffer))
	}
	if n <= cap(r.buf) {
		b := r.buf[:n]
		k, err := io.ReadFull(r.br, b)
		return b[:k], err
	}
	// More than growStep: grow step by step as the data arrives.
	b := r.buf[:0]
	for len(b) < n {
		step := min(n-len(b), growStep)
		b = slices.Grow(b, step)
		k, err := io.ReadFull(r.br, b[len(b):len(b)+step])
		b = b[:len(b)+k]
		if err != nil {
			r.buf = b[:0]
			return b, err
		}
	}
	r.buf = b
	return b, nil
}

// isEOF tells a file that ends too early from a failing read.
func isEOF(err error) bool {
	return err == io.EOF || err == io.ErrUnexpectedEOF
}

// readError wraps an I/O error (not a format problem) with where it happened.
func (r *Reader) readError(err error) error {
	return fmt.Errorf("read packet %d: %w", r.packets+1, err)
}

// maxSnaplen is the largest snaplen tcpdump reads, the most a link type
// other than those of maxCaplen may capture per packet.
const maxSnaplen = 262144

// maxCaplen returns the largest captured length tcpdump reads for a link
// type (D-Bus, USBPcap and EBHSCR packets may be longer than maxSnaplen); a
// file claiming more is corrupt (or a fuzzer's).
func maxCaplen(linkType wire.LinkType) uint32 {
	switch linkType {
	case wire.LinkDBus:
		return 128 << 20
	case wire.LinkEBHSCR:
		return 8 << 20
	case wire.LinkUSBPcap:
		return 1 << 20
	}
	return maxSnaplen
}

// effectiveSnaplen is the snaplen tcpdump uses for a file: a snaplen of 0 or
// above the link type's maximum means the maximum.
func effectiveSnaplen(snaplen uint32, linkType wire.LinkType) uint32 {
	limit := maxCaplen(linkType)
	if snaplen == 0 || snaplen > limit {
		return limit
	}
	return snaplen
}
