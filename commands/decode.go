package commands

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/google/gopacket"
	"github.com/urfave/cli/v2"

	"github.com/sockscope/sockscope/capture"
	"github.com/sockscope/sockscope/capture/filter"
	"github.com/sockscope/sockscope/decode"
	"github.com/sockscope/sockscope/decode/wire"
)

func decodeCommand() *cli.Command {
	return &cli.Command{
		Name:      "decode",
		Usage:     "read a pcap or pcapng file and print its packets as tcpdump does",
		UsageText: "sockscope decode -r FILE|- [-n -e -v -q -x -X -A -t... -c N --json -w FILE|- -d] [FILTER...]",
		Description: `Prints one line per packet, the same lines as tcpdump -n (tcpdump 4.99).
Reads classic pcap (either byte order, micro- or nanosecond) and pcapng; FILE - is standard input.
FILTER is a pcap-filter(7) expression, as tcpdump takes it; only the packets it selects are
printed or written.

Examples:
   sockscope decode -r testdata/tcp4.pcap                  one line per packet
   sockscope decode -n -v -r testdata/dns.pcap             with IP header fields and DNS details
   sockscope decode -e -c 3 -r testdata/arp-icmp.pcap      with MAC addresses, first 3 packets
   sockscope decode -X -r testdata/tcp6.pcap               hex and ASCII of each packet
   sockscope decode -tttt -r testdata/any.pcap             date and time on each line
   sockscope decode --json -r testdata/dns.pcap | jq -c '.layers[-1]'
   sockscope decode -r big.pcapng -c 100 -w first100.pcap  copy the first 100 packets out
   sockscope decode -r testdata/tcp4.pcap 'tcp port 46001 and tcp[tcpflags] & tcp-syn != 0'
   sockscope decode -r testdata/dns.pcap -w dns-v6.pcap ip6 and udp port 53
   sockscope decode -d -r testdata/tcp4.pcap tcp port 46001   the filter program, as tcpdump -d`,
		UseShortOptionHandling: true,
		OnUsageError: func(c *cli.Context, err error, isSubcommand bool) error {
			return usageErrorf("decode: %v (see sockscope decode --help)", err)
		},
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "r", Usage: "read packets from `FILE` (pcap or pcapng; - for standard input)"},
			&cli.IntFlag{Name: "c", Usage: "stop after `N` packets (1 or more)"},
			&cli.StringFlag{Name: "w", Usage: "write the packets to `FILE` (pcap; - for standard output) instead of printing them"},
			&cli.BoolFlag{Name: "pcapng", Usage: "with -w, write pcapng instead of pcap"},
		}, append(outputFlags(), filterFlags()...)...),
		Action: runDecode,
	}
}

func runDecode(c *cli.Context) error {
	if err := positiveCount(c, "decode", "c"); err != nil {
		return err
	}
	path := c.String("r")
	if path == "" {
		return usageErrorf("decode: -r FILE is required: the capture to read, or - for standard input")
	}
	r, err := capture.Open(path)
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		return fmt.Errorf("decode: %w", err) // it names the file already
	}
	if err != nil {
		return fmt.Errorf("decode: %s: %w; sockscope reads pcap and pcapng files", displayName(path), err)
	}
	defer r.Close()

	expr, filtered := filterExpression(c)
	if level := c.Count("d"); level > 0 {
		return dumpFileFilter(r, expr, level)
	}
	var flt *fileFilter
	if filtered {
		flt = &fileFilter{filter.NewPerLink(expr)}
		// Compile for the interfaces known now, so that a bad expression is
		// reported before any output, as tcpdump does.
		for i, ifc := range r.Interfaces() {
			if !decode.Supported(wire.LinkType(ifc.LinkType)) {
				continue // copyPackets says what is wrong with the file
			}
			if _, err := flt.matcher(r, i); err != nil {
				return err
			}
		}
	}

	var sink packetSink
	if out := c.String("w"); out != "" {
		sink, err = newFileSink(out, c.Bool("pcapng"), r)
	} else {
		var p printer
		p, err = newPrinter(c, os.Stdout)
		sink = printSink{p}
	}
	if err != nil {
		return err
	}
	err = copyPackets(r, sink, c.Int("c"), flt)
	if ferr := sink.Close(); err == nil {
		err = ferr
	}
	var ue *UsageError
	if errors.As(err, &ue) {
		return err // a filter that does not compile for a later interface
	}
	var we *capture.WriteError
	if errors.As(err, &we) {
		return fmt.Errorf("decode: %w", err) // the output, not the file read
	}
	if err != nil {
		return fmt.Errorf("decode: %s: %w", displayName(path), err)
	}
	return nil
}

func displayName(path string) string {
	if path == "-" {
		return "standard input"
	}
	return path
}

// packetSink is where decode sends each packet: a printer or a capture file.
type packetSink interface {
	Packet(data []byte, ci gopacket.CaptureInfo, link wire.LinkType) error
	Close() error
}

// copyPackets moves the packets flt selects (all when flt is nil) from r to
// sink until the file ends or max (if > 0) are done.
func copyPackets(r *capture.Reader, sink packetSink, max int, flt *fileFilter) error {
	var checked []bool // by interface index: link type known to be supported
	for n := 0; max == 0 || n < max; {
		data, ci, err := r.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		link := wire.LinkType(r.LinkType(ci.InterfaceIndex))
		if i := ci.InterfaceIndex; i >= len(checked) || !checked[i] {
			if err := decode.CheckLink(link); err != nil {
				return fmt.Errorf("packet %d: %w", r.Packets(), err)
			}
			for len(checked) <= i {
				checked = append(checked, false)
			}
			checked[i] = true
		}
		if flt != nil {
			m, err := flt.matcher(r, ci.InterfaceIndex)
			if err != nil {
				return err
			}
			if !m.Match(data, ci.Length) {
				continue
			}
		}
		if err := sink.Packet(data, ci, link); err != nil {
			return err
		}
		n++
	}
	return nil
}

// fileFilter is decode's filter: one program per link type and byte order
// of the file's interfaces, run on every packet.
type fileFilter struct{ *filter.PerLink }

// matcher returns the matcher for interface i of r's current section.
func (f *fileFilter) matcher(r *capture.Reader, i int) (*filter.Matcher, error) {
	var snaplen uint32
	if ifaces := r.Interfaces(); i < len(ifaces) {
		snaplen = ifaces[i].Snaplen
	}
	m, err := f.Matcher(r.LinkType(i), r.BigEndian(), snaplen)
	if err != nil {
		return nil, filterError(err)
	}
	return m, nil
}

// dumpFileFilter prints the program for the file's first interface, as
// tcpdump -d -r FILE does, and reads nothing else.
func dumpFileFilter(r *capture.Reader, expr string, level int) error {
	ifaces := r.Interfaces()
	if len(ifaces) == 0 {
		// pcapng describes its interfaces in blocks before the packets.
		if _, _, err := r.Next(); err != nil && err != io.EOF {
			return fmt.Errorf("decode: %w", err)
		}
		if ifaces = r.Interfaces(); len(ifaces) == 0 {
			return errors.New("decode: the file describes no interface, so it has no link type to compile the filter for")
		}
	}
	opt := filter.Options{Snaplen: effectiveSnaplen(ifaces[0].Snaplen), BigEndian: r.BigEndian()}
	return dumpFilter(os.Stdout, expr, ifaces[0].LinkType, opt, level)
}

type printSink struct{ p printer }

func (s printSink) Packet(data []byte, ci gopacket.CaptureInfo, link wire.LinkType) error {
	return s.p.Print(data, ci, link)
}

func (s printSink) Close() error { return s.p.Flush() }

// fileSink writes packets to a pcap or pcapng file, whose header is written
// at the first packet so that it takes that packet's link type.
type fileSink struct {
	pcapng bool
	r      *capture.Reader
	out    *capture.Output
	link   wire.LinkType
}

func newFileSink(path string, pcapng bool, r *capture.Reader) (*fileSink, error) {
	out, err := capture.CreateOutput(path)
	if err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	return &fileSink{pcapng: pcapng, r: r, out: out}, nil
}

func (s *fileSink) start(link wire.LinkType) error {
	ifaces := s.r.Interfaces()
	s.link = link
	if s.pcapng {
		return s.out.StartPcapng(ifaces)
	}
	snap := uint32(262144)
	if len(ifaces) > 0 && ifaces[0].Snaplen > 0 {
		snap = ifaces[0].Snaplen
	}
	return s.out.StartPcap(link, snap, false)
}

func (s *fileSink) Packet(data []byte, ci gopacket.CaptureInfo, link wire.LinkType) error {
	if !s.out.Started() {
		if err := s.start(link); err != nil {
			return err
		}
	}
	if !s.pcapng && link != s.link {
		return fmt.Errorf("packet %d has link type %d but the pcap being written has %d; write pcapng (--pcapng) to keep both", s.r.Packets(), link, s.link)
	}
	if s.pcapng {
		// The writer was made with the interfaces known then; a later pcapng
		// interface is a case for --pcapng output we do not handle yet.
		if ci.InterfaceIndex >= len(s.r.Interfaces()) {
			return errors.New("pcapng input has more interfaces than at its start")
		}
	}
	return s.out.WritePacket(ci, data)
}

func (s *fileSink) Close() error {
	var err error
	if ifaces := s.r.Interfaces(); !s.out.Started() && len(ifaces) > 0 {
		// No packet was written (a filter selected none): still write the
		// file header, as tcpdump -w does, so the output is a capture.
		err = s.start(wire.LinkType(ifaces[0].LinkType))
	}
	if cerr := s.out.Close(); err == nil {
		err = cerr
	}
	return err
}
