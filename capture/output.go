package capture

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// Output is a capture file being written, pcap or pcapng, to a path or to
// standard output. It owns the file and counts the packets that are whole
// in it: when a write fails (a full disk, a closed pipe), a regular file is
// cut back to the end of the last whole packet, so that what the file holds
// is a valid capture of exactly Packets() packets, the number a user is told.
type Output struct {
	name string
	f    outFile
	// ours is a file CreateOutput made, which fail may cut back; standard
	// output may be the user's file (>>, 2>&1) with their data before ours.
	ours bool
	out  countingWriter
	w    Writer
	ng   *PcapngWriter
	// buffered reports the bytes the writer holds that are not yet in f.
	buffered func() int

	// ends are the file offsets where packets not yet known to be whole end,
	// oldest first from head; whole counts those that reached the file.
	ends  []int64
	head  int
	whole int
	// wholeEnd is where the last whole packet (or the file header) ends:
	// the file is a valid capture when cut there.
	wholeEnd int64
	failed   error

	// A copy of a Source (OpenOutput): the source, the format, and the
	// link type and interfaces the header was written with.
	closed bool
	src    Source
	format Format
	link   wire.LinkType
	nIface int
	// rot, if not nil, starts a new file when this one is full
	// (OpenRotatingOutput).
	rot *rotating
}

// countingWriter counts the bytes the file took, also from a write that
// failed part way.
type countingWriter struct {
	f   io.Writer
	n   int64
	err error // the first error of the file
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.f.Write(p)
	c.n += int64(n)
	if err != nil && c.err == nil {
		c.err = err
	}
	return n, err
}

// outFile is what Output needs of a file: an *os.File, or a test's fake.
type outFile interface {
	io.WriteCloser
	Stat() (fs.FileInfo, error)
	Truncate(size int64) error
}

func newOutput(name string, f outFile, ours bool) *Output {
	return &Output{name: name, f: f, ours: ours, out: countingWriter{f: f}}
}

// CreateOutput creates path ("-" for standard output) for a capture file.
// Its header is written by StartPcap or StartPcapng.
func CreateOutput(path string) (*Output, error) {
	if path == "-" {
		return newOutput("standard output", os.Stdout, false), nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	return newOutput(path, f, true), nil
}

// Format is how OpenOutput writes the packets of a Source.
type Format struct {
	Pcapng bool // pcapng rather than classic pcap
	// Resolution is the timestamps' unit, time.Microsecond or
	// time.Nanosecond; 0 means microseconds in a pcap file and, in pcapng,
	// each interface's own.
	Resolution time.Duration
}

// OpenOutput creates path ("-" for standard output) for a copy of the
// packets of src, written by Packet, in format f. The file header is
// written by Start, or else at the first packet or at Close, from the
// interfaces src describes then: a pcap file takes the link type of its
// first packet and the snapshot length of that packet's interface, a
// pcapng file every interface.
func OpenOutput(path string, src Source, f Format) (*Output, error) {
	o, err := CreateOutput(path)
	if err != nil {
		return nil, err
	}
	o.src, o.format = src, f
	return o, nil
}

// Start writes the header of a copy of a source now, from its interfaces:
// a live capture's output starts before its first packet, so that a reader
// of a pipe knows the link type at once.
func (o *Output) Start() error {
	ifaces := o.src.Interfaces()
	if len(ifaces) == 0 {
		return errors.New("write: the input describes no interface to write the file header for")
	}
	return o.start(ifaces, ifaces[0].LinkType)
}

// start writes the header of a copy of a source: a pcap file's for link
// type link and the snapshot length of ifaces[0], or a pcapng file's with
// every interface.
func (o *Output) start(ifaces []Interface, link wire.LinkType) error {
	o.link, o.nIface = link, len(ifaces)
	if o.rot != nil && o.rot.ifaces == nil {
		o.rot.ifaces, o.rot.link = append([]Interface(nil), ifaces...), link
	}
	if o.format.Pcapng {
		if o.format.Resolution != 0 {
			for i := range ifaces {
				ifaces[i].TsResolution = o.format.Resolution
			}
		}
		return o.StartPcapng(ifaces)
	}
	snap := uint32(maxSnaplen)
	if ifaces[0].Snaplen > 0 {
		snap = ifaces[0].Snaplen
	}
	return o.StartPcap(link, snap, o.format.Resolution == time.Nanosecond)
}

// Packet appends a packet of the source, of link type link: a Handler, for
// a Loop. A pcap file holds one link type; a packet of another is an error
// that says to write pcapng.
func (o *Output) Packet(data []byte, ci gopacket.CaptureInfo, link wire.LinkType) error {
	if o.w == nil && o.failed == nil {
		ifaces := o.src.Interfaces()
		if ci.InterfaceIndex < len(ifaces) {
			ifaces = ifaces[ci.InterfaceIndex:] // a pcap header describes this packet's interface
			if o.format.Pcapng {
				ifaces = o.src.Interfaces()
			}
		}
		if err := o.start(ifaces, link); err != nil {
			return err
		}
	}
	switch {
	case !o.format.Pcapng && link != o.link:
		return fmt.Errorf("%s has link type %d but the pcap being written has %d; write pcapng (--pcapng) to keep both", o.packetName(), link, o.link)
	case o.format.Pcapng && ci.InterfaceIndex >= o.nIface:
		// The header has the interfaces known when it was written.
		return fmt.Errorf("%s comes from interface %d, described after the pcapng output was started with %d; sockscope cannot add interfaces to it yet", o.packetName(), ci.InterfaceIndex, o.nIface)
	}
	return o.WritePacket(ci, data)
}

// packetName names the packet of the source being written, by its number
// when the source counts them.
func (o *Output) packetName() string {
	if c, ok := o.src.(interface{ Packets() int }); ok {
		return fmt.Sprintf("packet %d", c.Packets())
	}
	return "a packet"
}

// Started reports whether the file header has been written.
func (o *Output) Started() bool { return o.w != nil }

// StartPcap writes a pcap file header (see NewPcapWriter).
func (o *Output) StartPcap(linkType wire.LinkType, snaplen uint32, nano bool) error {
	if o.failed != nil {
		return o.failed // once: a header written again would corrupt a stream
	}
	w, err := NewPcapWriter(&o.out, linkType, snaplen, nano)
	if err != nil {
		return o.fail(err)
	}
	o.w, o.buffered = w, w.w.Buffered
	o.wholeEnd = o.out.n
	return nil
}

// StartPcapng writes a pcapng section header and one interface block for
// each of ifaces (see NewPcapngWriter).
func (o *Output) StartPcapng(ifaces []Interface) error {
	if o.failed != nil {
		return o.failed
	}
	w, err := NewPcapngWriter(&o.out, ifaces)
	if err != nil {
		return o.fail(err)
	}
	o.w, o.ng, o.buffered = w, w, w.w.Buffered
	o.wholeEnd = o.out.n
	return nil
}

// WritePacket appends one packet. After an error nothing more is written.
func (o *Output) WritePacket(ci gopacket.CaptureInfo, data []byte) error {
	if o.failed != nil {
		return o.failed
	}
	if o.w == nil {
		return errors.New("write packet: the file header was not written")
	}
	if o.rot != nil {
		if err := o.rotateIfFull(); err != nil {
			return err
		}
	}
	if err := o.w.WritePacket(ci, data); err != nil {
		if o.out.err == nil {
			return err // a packet the format cannot hold (a timestamp out of range)
		}
		return o.fail(err)
	}
	o.ends = append(o.ends, o.out.n+int64(o.buffered()))
	o.settle()
	return nil
}

// settle counts the packets that reached the file.
func (o *Output) settle() {
	for o.head < len(o.ends) && o.ends[o.head] <= o.out.n {
		o.wholeEnd = o.ends[o.head]
		o.head++
		o.whole++
	}
	if o.head == len(o.ends) {
		o.ends, o.head = o.ends[:0], 0
	} else if o.head > 4096 && o.head > len(o.ends)/2 {
		n := copy(o.ends, o.ends[o.head:])
		o.ends, o.head = o.ends[:n], 0
	}
}

// Flush writes out what is buffered.
func (o *Output) Flush() error {
	if o.failed != nil {
		return o.failed
	}
	if o.w == nil {
		return nil
	}
	if err := o.w.Flush(); err != nil {
		return o.fail(err)
	}
	o.settle()
	return nil
}

// WriteStats appends a pcapng statistics block for interface iface (as
// dumpcap ends its file with one per interface); a pcap file has none.
func (o *Output) WriteStats(iface int, received, dropped uint64) error {
	if o.ng == nil || o.failed != nil {
		return o.failed
	}
	if err := o.ng.WriteStats(iface, received, dropped); err != nil {
		return o.fail(err)
	}
	return nil
}

// Packets is how many packets are whole in the file (in the files, when
// it rotates).
func (o *Output) Packets() int {
	if o.rot != nil {
		return o.rot.before + o.whole
	}
	return o.whole
}

// fail records the first write error and cuts a regular file back to its
// last whole packet (or its header), so that it stays a valid capture.
func (o *Output) fail(err error) error {
	if o.failed != nil {
		return o.failed
	}
	o.settle()
	cut := o.wholeEnd
	if fi, serr := o.f.Stat(); o.ours && serr == nil && fi.Mode().IsRegular() && o.out.n > cut {
		// Truncating needs no space, so it works on a full disk.
		if terr := o.f.Truncate(cut); terr == nil {
			o.out.n = cut
		}
	}
	if o.out.err != nil {
		err = o.out.err // the file's own error names it; the writer's adds nothing
	}
	o.failed = &WriteError{Name: o.name, Packets: o.whole, Started: o.wholeEnd > 0, Err: err}
	return o.failed
}

// WriteError is a capture file that could not be written to the end.
type WriteError struct {
	Name    string // the path, or "standard output"
	Packets int    // the packets whole in the file
	Started bool   // its header was written whole
	Err     error
}

func (e *WriteError) Error() string {
	var pe *fs.PathError
	msg := e.Err.Error()
	if !errors.As(e.Err, &pe) {
		msg = "write " + e.Name + ": " + msg
	}
	if !e.Started {
		return msg + " (not even the file header could be written)"
	}
	return fmt.Sprintf("%s (the file holds the first %d packets, each whole)", msg, e.Packets)
}

func (e *WriteError) Unwrap() error { return e.Err }

// Close flushes and closes the file (standard output stays open); a
// second Close does nothing. A copy
// of a source that no packet was written to still gets its header, as
// tcpdump -w writes one, so that the file is a capture.
func (o *Output) Close() error {
	if o.closed {
		return nil
	}
	o.closed = true
	var err error
	if o.src != nil && o.w == nil && o.failed == nil {
		if ifaces := o.src.Interfaces(); len(ifaces) > 0 {
			err = o.start(ifaces, ifaces[0].LinkType)
		}
	}
	if ferr := o.Flush(); err == nil {
		err = ferr
	}
	if f, ok := o.f.(*os.File); !ok || f != os.Stdout {
		if cerr := o.f.Close(); err == nil {
			err = cerr
		}
	}
	if o.rot != nil {
		if werr := o.rot.wait(); err == nil {
			err = werr
		}
	}
	return err
}
