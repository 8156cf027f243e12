package capture

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

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

// WriteStats appends a pcapng statistics block; a pcap file has none.
func (o *Output) WriteStats(received, dropped uint64) error {
	if o.ng == nil || o.failed != nil {
		return o.failed
	}
	if err := o.ng.WriteStats(0, received, dropped); err != nil {
		return o.fail(err)
	}
	return nil
}

// Packets is how many packets are whole in the file.
func (o *Output) Packets() int { return o.whole }

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

// Close flushes and closes the file (standard output stays open).
func (o *Output) Close() error {
	err := o.Flush()
	if f, ok := o.f.(*os.File); !ok || f != os.Stdout {
		if cerr := o.f.Close(); err == nil {
			err = cerr
		}
	}
	return err
}
