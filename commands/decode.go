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
	"github.com/sockscope/sockscope/decode/display"
	"github.com/sockscope/sockscope/decode/parquet"
	"github.com/sockscope/sockscope/decode/wire"
)

func decodeCommand() *cli.Command {
	return &cli.Command{
		Name:      "decode",
		Usage:     "read a pcap or pcapng file and print its packets as tcpdump does",
		UsageText: "sockscope decode -r FILE|- [-n -e -v -q -x -X -A -t... -c N --json -w FILE|- -d] [--parquet FILE [-e NAME...]] [FILTER...]",
		Description: `Prints one line per packet, the same lines as tcpdump -n (tcpdump 4.99).
Reads classic pcap (either byte order, micro- or nanosecond) and pcapng; FILE - is standard input.
FILTER is a pcap-filter(7) expression, as tcpdump takes it; only the packets it selects are
printed or written. -Y EXPR is a display filter, as tshark -Y reads it, run after FILTER.

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
   sockscope decode -d -r testdata/tcp4.pcap tcp port 46001   the filter program, as tcpdump -d
   sockscope decode --expert -r testdata/tcp-loss.pcap      each line with its [TCP Retransmission], [TCP Dup ACK 12#1]...
   sockscope decode -r testdata/dns.pcap -Y 'dns.flags.response == 1 && dns.qry.name contains "example"'
   sockscope decode -r testdata/dns.pcap --parquet dns.parquet  a Parquet row per packet (columns: sockscope man decode)
   sockscope decode -r big.pcap --parquet p.parquet -e frame.number -e ip.src -e tcp.flags.syn tcp`,
		UseShortOptionHandling: true,
		OnUsageError: func(c *cli.Context, err error, isSubcommand bool) error {
			return usageErrorf("decode: %v (see sockscope decode --help)", err)
		},
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "r", Usage: "read packets from `FILE` (pcap or pcapng; - for standard input)"},
			&cli.IntFlag{Name: "c", DefaultText: "all", Usage: "stop after `N` packets (1 or more)"},
			&cli.StringFlag{Name: "w", Usage: "write the packets to `FILE` (pcap; - for standard output) instead of printing them"},
			printFlag(),
			&cli.BoolFlag{Name: "pcapng", Usage: "with -w, write pcapng instead of pcap"},
			parquetFlag(),
			&cli.BoolFlag{Name: "expert", Usage: "append to each line the packet's TCP analysis items, in brackets as tshark's Info column gives them: [TCP Retransmission] [TCP Dup ACK 12#1] (read across the packets the filters select)"},
		}, append(append(append(outputFlags(), displayFlags()...), filterFlags()...), rotationFlags()...)...),
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

	expr, filtered, err := filterExpression(c)
	if err != nil {
		return err
	}
	if level := c.Count("d"); level > 0 {
		return dumpFileFilter(r, expr, level)
	}
	loop := capture.Loop{Count: c.Int("c"), Check: decode.CheckLink, FlushEach: c.Bool("l")}
	sel, err := setDisplayFilter(c, &loop)
	if err != nil {
		return err
	}
	if filtered {
		loop.Filter = filter.NewPerLink(expr)
		if err := loop.Compile(r); err != nil {
			return filterError(err)
		}
	}

	var handle capture.Handler
	var closeOut func() error
	if out := c.String("parquet"); out != "" {
		if handle, closeOut, err = openParquet(c, "decode", &loop, sel); err != nil {
			return err
		}
	} else if out := c.String("w"); out != "" {
		rot, err := rotationOf(c, "decode", out)
		if err != nil {
			return err
		}
		o, err := capture.OpenRotatingOutput(out, r, capture.Format{Pcapng: c.Bool("pcapng")}, rot)
		if err != nil {
			return fmt.Errorf("decode: %w", err)
		}
		handle, loop.Flush, closeOut = o.Packet, o.Flush, o.Close
		if c.Bool("print") {
			if handle, loop.Flush, closeOut, err = alsoPrint(c, "decode", out, &loop, sel, o.Packet, o.Flush, o.Close); err != nil {
				o.Close()
				return err
			}
		}
	} else {
		p, err := newLoopPrinter(c, os.Stdout, &loop)
		if err != nil {
			return err
		}
		followSelector(sel, p)
		handle, loop.Flush, closeOut = nameInterfaces(r, p, p.Print), p.Flush, p.Flush
	}
	_, err = loop.Run(r, handle)
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	var fe *filter.Error
	if errors.As(err, &fe) {
		return filterError(err) // a filter that does not compile for a later interface
	}
	var we *capture.WriteError
	var pe *parquetError
	if errors.As(err, &we) || errors.As(err, &pe) {
		return fmt.Errorf("decode: %w", err) // the output, not the file read
	}
	if err != nil {
		return fmt.Errorf("decode: %s: %w", displayName(path), err)
	}
	return nil
}

// parquetFlag is --parquet, on decode and capture.
func parquetFlag() cli.Flag {
	return &cli.StringFlag{Name: "parquet", Usage: "write one row per packet to the Parquet `FILE`, a column per -e NAME (default columns: sockscope man decode)"}
}

// checkParquet is the usage error of --parquet with the other flags, if
// any: a bad column is found before a file is made or a socket opened.
func checkParquet(c *cli.Context, cmd string) error {
	if c.IsSet("w") || c.IsSet("T") || c.Bool("json") {
		return usageErrorf("%s: --parquet is an output of its own: give it without -w, -T or --json", cmd)
	}
	if c.Bool("e") { // each -e NAME became --field NAME: this -e has none
		return usageErrorf("%s: -e needs a field NAME with --parquet, such as -e ip.src", cmd)
	}
	if _, err := parquet.NewWriter(io.Discard, c.StringSlice("field")); err != nil {
		return &UsageError{Err: fmt.Errorf("%s: %w", cmd, err)}
	}
	return nil
}

// openParquet starts the Parquet file --parquet names, its columns the -e
// NAMEs, its rows numbered as the input's packets also when a filter leaves
// some out. The file is complete once closeOut returns.
func openParquet(c *cli.Context, cmd string, loop *capture.Loop, sel *display.Selector) (handle capture.Handler, closeOut func() error, err error) {
	if err := checkParquet(c, cmd); err != nil {
		return nil, nil, err
	}
	out, fields := c.String("parquet"), c.StringSlice("field")
	f, err := os.Create(out)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", cmd, err)
	}
	w, err := parquet.NewWriter(f, fields)
	if err != nil {
		f.Close()
		os.Remove(out)
		return nil, nil, &UsageError{Err: fmt.Errorf("%s: %w", cmd, err)}
	}
	w.Number = func() int { return loop.Read }
	w.Tree().Reassemble = reassemble(c)
	followSelector(sel, w)
	handle = func(data []byte, ci gopacket.CaptureInfo, link wire.LinkType) error {
		if err := w.Print(data, ci, link); err != nil {
			return &parquetError{out, err}
		}
		return nil
	}
	closeOut = func() error {
		err := w.Close()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return &parquetError{out, err}
		}
		return nil
	}
	return handle, closeOut, nil
}

// parquetError is a Parquet file that could not be written: the output's
// failure, not the capture's.
type parquetError struct {
	name string
	err  error
}

func (e *parquetError) Error() string { return "write " + e.name + ": " + e.err.Error() }
func (e *parquetError) Unwrap() error { return e.err }

func displayName(path string) string {
	if path == "-" {
		return "standard input"
	}
	return path
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
	opt := filter.Options{Snaplen: effectiveSnaplen(ifaces[0].Snaplen), BigEndian: ifaces[0].BigEndian}
	return dumpFilter(os.Stdout, expr, ifaces[0].LinkType, opt, level)
}
