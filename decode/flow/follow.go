package flow

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
)

// Format is one of the ways tshark's -z follow prints a stream.
type Format uint8

// The formats, by tshark's names.
const (
	ASCII Format = iota // the bytes, with dots for what does not print
	Hex                 // offsets, hexadecimal and ASCII, 16 bytes a line
	Raw                 // hexadecimal, a line per chunk
)

var formatNames = [...]string{ASCII: "ascii", Hex: "hex", Raw: "raw"}

// String returns tshark's name of the format.
func (f Format) String() string {
	if int(f) < len(formatNames) {
		return formatNames[f]
	}
	return "format?"
}

// ParseFormat reads a format's name: ascii, hex or raw.
func ParseFormat(s string) (Format, error) {
	for f, name := range formatNames {
		if s == name {
			return Format(f), nil
		}
	}
	return 0, fmt.Errorf("unknown format %q: give ascii, hex or raw", s)
}

// Follow is one stream as tshark -q -z follow,PROTO,FORMAT,N prints it.
type Follow struct {
	Proto  Proto
	Format Format
	Index  int // the stream's number: tshark's tcp.stream or udp.stream
	// Nodes are the two endpoints, "address:port" as tshark names them
	// (an IPv6 address in brackets): the first the sender of the stream's
	// first packet, whose chunks are printed as they are, the other's
	// after a tab. Empty ones (a stream with no packet) print as ":0".
	Nodes  [2]string
	Chunks []Message // in the order of delivery; Dir FromClient is Nodes[0]'s
}

// separator opens and closes each stream's section.
const separator = "==================================================================="

// WriteTo prints the stream: a header naming it and its endpoints, the
// chunks, and a closing line.
func (f *Follow) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	fw := NewFollowWriter(cw, f)
	fw.Chunks(f.Chunks)
	err := fw.Close()
	return cw.n, err
}

// A FollowWriter prints a stream as its data is put together: the header
// first, then chunks as they come, then the closing line; what it prints
// is what Follow.WriteTo prints of them all at once, and it keeps none of
// it.
type FollowWriter struct {
	w      *bufio.Writer
	format Format
	offset [2]int // hex: the bytes printed so far each way
	b      []byte
	err    error
}

// NewFollowWriter prints the header of f (its chunks are left to
// Chunks) on w.
func NewFollowWriter(w io.Writer, f *Follow) *FollowWriter {
	fw := &FollowWriter{w: bufio.NewWriterSize(w, 64<<10), format: f.Format}
	b := fw.b[:0]
	b = append(b, '\n')
	b = append(b, separator...)
	b = append(b, "\nFollow: "...)
	b = append(b, f.Proto.String()...)
	b = append(b, ',')
	b = append(b, f.Format.String()...)
	b = append(b, "\nFilter: "...)
	b = append(b, f.Proto.String()...)
	b = append(b, ".stream eq "...)
	b = strconv.AppendInt(b, int64(f.Index), 10)
	for i, n := range f.Nodes {
		b = append(b, "\nNode "...)
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, ": "...)
		if n == "" {
			n = ":0"
		}
		b = append(b, n...)
	}
	b = append(b, '\n')
	fw.write(b)
	return fw
}

func (fw *FollowWriter) write(b []byte) {
	fw.b = b[:0]
	if fw.err == nil {
		_, fw.err = fw.w.Write(b)
	}
}

// Chunks prints the next chunks of the stream, in the order of delivery;
// Dir FromClient is the first node's.
func (fw *FollowWriter) Chunks(ms []Message) error {
	for _, m := range ms {
		b := fw.b[:0]
		switch fw.format {
		case ASCII:
			b = appendASCII(b, m)
		case Hex:
			b = appendHex(b, m, fw.offset[m.Dir])
			fw.offset[m.Dir] += len(m.Data)
		case Raw:
			b = appendRaw(b, m)
		}
		fw.write(b)
	}
	return fw.err
}

// Close prints the closing line and flushes what is buffered.
func (fw *FollowWriter) Close() error {
	fw.write(append(fw.b[:0], separator+"\n"...))
	if fw.err == nil {
		fw.err = fw.w.Flush()
	}
	return fw.err
}

// printable is a byte the ASCII forms print as it is: graphic ASCII and
// the space.
func printable(c byte) bool { return c >= 0x20 && c < 0x7f }

// appendASCII writes a chunk's length on a line (after a tab for the
// second node), then its bytes with newlines and carriage returns kept and
// dots for the others that do not print, then a newline.
func appendASCII(b []byte, m Message) []byte {
	if m.Dir == FromServer {
		b = append(b, '\t')
	}
	b = strconv.AppendInt(b, int64(len(m.Data)), 10)
	b = append(b, '\n')
	for _, c := range m.Data {
		if !printable(c) && c != '\n' && c != '\r' {
			c = '.'
		}
		b = append(b, c)
	}
	return append(b, '\n')
}

const hexDigits = "0123456789abcdef"

// appendHex writes a chunk 16 bytes a line: the offset in its direction
// (8 upper-case digits), the bytes in hexadecimal in two groups of eight,
// and again as ASCII, a space after the eighth; the second node's lines
// after a tab. As tshark does, one space that would end a line is left
// out: the one after the eighth character of a short line, or the last
// byte's when it prints as a space.
func appendHex(b []byte, m Message, offset int) []byte {
	const upper = "0123456789ABCDEF"
	for i := 0; i < len(m.Data); i += 16 {
		line := m.Data[i:min(i+16, len(m.Data))]
		if m.Dir == FromServer {
			b = append(b, '\t')
		}
		off := uint32(offset + i)
		for shift := 28; shift >= 0; shift -= 4 {
			b = append(b, upper[off>>uint(shift)&0xf])
		}
		b = append(b, ' ', ' ')
		for j := range 16 {
			if j < len(line) {
				b = append(b, hexDigits[line[j]>>4], hexDigits[line[j]&0xf], ' ')
			} else {
				b = append(b, ' ', ' ', ' ')
			}
			if j == 7 {
				b = append(b, ' ')
			}
		}
		b = append(b, ' ')
		for j, c := range line {
			if !printable(c) {
				c = '.'
			}
			b = append(b, c)
			if j == 7 {
				b = append(b, ' ')
			}
		}
		if b[len(b)-1] == ' ' {
			b = b[:len(b)-1]
		}
		b = append(b, '\n')
	}
	return b
}

// appendRaw writes a chunk as hexadecimal on one line, after a tab for
// the second node.
func appendRaw(b []byte, m Message) []byte {
	if m.Dir == FromServer {
		b = append(b, '\t')
	}
	for _, c := range m.Data {
		b = append(b, hexDigits[c>>4], hexDigits[c&0xf])
	}
	return append(b, '\n')
}

// countWriter counts what it writes and keeps the first error.
type countWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *countWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.err = err
	return n, err
}
