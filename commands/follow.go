package commands

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"github.com/google/gopacket"
	"github.com/urfave/cli/v2"

	"github.com/sockscope/sockscope/capture"
	"github.com/sockscope/sockscope/capture/filter"
	"github.com/sockscope/sockscope/decode"
	"github.com/sockscope/sockscope/decode/display"
	"github.com/sockscope/sockscope/decode/flow"
	"github.com/sockscope/sockscope/decode/wire"
)

func followCommand() *cli.Command {
	return &cli.Command{
		Name:      "follow",
		Usage:     "print both directions of one TCP or UDP conversation, put back together, as tshark -z follow does",
		UsageText: "sockscope follow -r FILE|- [--format ascii|hex|raw] tcp|udp (STREAM | -Y EXPR | FILTER...)",
		Description: `Prints the data of one conversation, each side's in the order it was delivered, exactly as
tshark -n -q -r FILE -z follow,tcp|udp,FORMAT,STREAM prints it: the header naming the stream and its two
nodes (the first is the sender of its first packet), the chunks (the second node's after a tab) and the
closing line. STREAM is tshark's tcp.stream or udp.stream number, counting from 0, the numbers
stats -z conv and decode -T fields -e tcp.stream show. Instead of a number, -Y EXPR (a display
filter), FILTER (pcap-filter), or both, pick the conversation of the first packet they select.

--format takes tshark's names: ascii (the bytes, dots for what does not print), hex (offsets,
hexadecimal and ASCII, 16 bytes a line) or raw (hexadecimal, a line per chunk); it may also come last.
TCP data is put in sequence order, retransmitted bytes shown once; a gap the other side acknowledged
prints as tshark prints it, "[N bytes missing in capture file]"; data behind a gap never acknowledged
is left out, as tshark leaves it out.

The stream is printed as it is read, so memory does not grow with its size: only data waiting behind
a gap is held, besides what the dissector keeps of each conversation of the file. A stream number the
file does not hold, or filters that select no packet of a stream, is an error (exit 2); tshark would
print an empty stream.

Examples:
   sockscope follow -r testdata/http.pcap tcp 0
   sockscope follow -r testdata/dns.pcap --format hex udp 1
   sockscope follow -r testdata/tcp4.pcap -Y 'tcp.dstport == 46003' tcp
   sockscope follow -r testdata/tcp6.pcap --format raw tcp port 46102`,
		UseShortOptionHandling: true,
		OnUsageError: func(c *cli.Context, err error, isSubcommand bool) error {
			return usageErrorf("follow: %v (see sockscope follow --help)", err)
		},
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "r", Usage: "read packets from `FILE` (pcap or pcapng; - for standard input)"},
			&cli.StringFlag{Name: "format", Value: "ascii", Usage: "print the data as `ascii`, hex or raw (tshark's follow modes)"},
			&cli.StringFlag{Name: "Y", Usage: "follow the stream of the first packet the display filter `EXPR` selects (as tshark -Y reads it; with FILTER, of the first both select)"},
		},
		Action: runFollow,
	}
}

// followSpec is what the command line asks to follow.
type followSpec struct {
	proto  flow.Proto
	format flow.Format
	stream int    // -1: picked by the filters
	filter string // pcap-filter, if any
}

// parseFollowArgs reads tcp|udp, then a stream number or a filter, and a
// --format given after them (the flag parser stops at the first argument).
func parseFollowArgs(c *cli.Context) (followSpec, error) {
	spec := followSpec{stream: -1}
	format := c.String("format")
	var rest []string
	args := c.Args().Slice()
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--format" || a == "-format":
			if i+1 == len(args) {
				return spec, usageErrorf("follow: --format needs a value: ascii, hex or raw")
			}
			format = args[i+1]
			i++
		case strings.HasPrefix(a, "--format=") || strings.HasPrefix(a, "-format="):
			_, format, _ = strings.Cut(a, "=")
		default:
			rest = append(rest, a)
		}
	}
	f, err := flow.ParseFormat(format)
	if err != nil {
		return spec, usageErrorf("follow: --format: %v", err)
	}
	spec.format = f
	if len(rest) == 0 {
		return spec, usageErrorf("follow: say what to follow: tcp or udp, then a stream number, -Y EXPR or a FILTER")
	}
	switch strings.ToLower(rest[0]) {
	case "tcp":
		spec.proto = flow.TCP
	case "udp":
		spec.proto = flow.UDP
	default:
		return spec, usageErrorf("follow: %q is not a protocol to follow: give tcp or udp first", rest[0])
	}
	rest = rest[1:]
	if len(rest) == 1 {
		if n, err := strconv.ParseUint(rest[0], 10, 31); err == nil {
			if c.IsSet("Y") {
				return spec, usageErrorf("follow: give a stream number or -Y EXPR, not both")
			}
			spec.stream = int(n)
			return spec, nil
		}
	}
	if len(rest) == 0 && !c.IsSet("Y") {
		return spec, usageErrorf("follow: give a %s stream number (counting from 0), -Y EXPR or a FILTER after %s", spec.proto, spec.proto)
	}
	spec.filter = strings.Join(rest, " ")
	return spec, nil
}

func runFollow(c *cli.Context) error {
	path := c.String("r")
	if path == "" {
		return usageErrorf("follow: -r FILE is required: the capture to read, or - for standard input")
	}
	spec, err := parseFollowArgs(c)
	if err != nil {
		return err
	}
	disp, err := compileDisplay(c)
	if err != nil {
		return err
	}
	var perLink *filter.PerLink
	if spec.filter != "" {
		perLink = filter.NewPerLink(spec.filter)
	}
	if spec.stream < 0 && path == "-" {
		// The stream is found in a first reading and followed in a
		// second: standard input is kept in a file for the two.
		tmp, err := spoolStdin()
		if err != nil {
			return fmt.Errorf("follow: standard input: %w", err)
		}
		defer os.Remove(tmp)
		path = tmp
	}
	name := displayName(c.String("r"))
	if spec.stream < 0 {
		n, found, err := pickStream(path, name, spec.proto, perLink, disp)
		if err != nil {
			return err
		}
		if !found {
			what := "the filter selects"
			if disp != nil && perLink == nil {
				what = "the display filter selects"
			}
			// As replay's --flow: asking for what the file does not
			// hold is a usage error.
			return usageErrorf("follow: %s: no packet %s belongs to a %s stream; try another filter, or a stream number", name, what, strings.ToUpper(spec.proto.String()))
		}
		spec.stream = int(n)
	}
	r, err := openCapture(path, name)
	if err != nil {
		return err
	}
	defer r.Close()
	// The stream is printed as it is put together: the header at its
	// first packet, each chunk once delivered. Only data waiting behind a
	// gap is held, besides what the dissector keeps of every conversation.
	f := decode.NewFollower(spec.proto, uint32(spec.stream))
	var out *flow.FollowWriter
	loop := capture.Loop{Check: decode.CheckLink}
	if _, err := loop.Run(r, func(data []byte, ci gopacket.CaptureInfo, link wire.LinkType) error {
		f.Add(data, ci, link)
		if out == nil && f.Found() {
			out = flow.NewFollowWriter(os.Stdout, f.Head(spec.format))
		}
		if out != nil {
			return out.Chunks(f.Take())
		}
		return nil
	}); err != nil {
		if out != nil {
			out.Close()
		}
		return fmt.Errorf("follow: %s: %w", name, err)
	}
	if out == nil && uint32(spec.stream) >= uint32(f.Streams()) {
		// tshark prints a stream the file does not hold as an empty
		// one; sockscope says so, a usage error as replay's --flow N.
		// A stream that exists but whose packets gave no data (an ICMP
		// error's quote) is printed, as tshark prints it, with no nodes.
		proto := strings.ToUpper(spec.proto.String())
		switch n := f.Streams(); n {
		case 0:
			return usageErrorf("follow: %s has no %s stream", name, proto)
		case 1:
			return usageErrorf("follow: %s has no %s stream %d: its one %s stream is 0", name, proto, spec.stream, proto)
		default:
			return usageErrorf("follow: %s has no %s stream %d: its %d %s streams are 0 to %d", name, proto, spec.stream, n, proto, n-1)
		}
	}
	if out == nil {
		out = flow.NewFollowWriter(os.Stdout, f.Head(spec.format)) // a stream with no data
	}
	out.Chunks(f.Take())
	if err := out.Close(); err != nil {
		return fmt.Errorf("follow: %w", err)
	}
	return nil
}

// openCapture opens a capture file, or says why it is not one.
func openCapture(path, name string) (*capture.Reader, error) {
	r, err := capture.Open(path)
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		return nil, fmt.Errorf("follow: %w", err) // it names the file already
	}
	if err != nil {
		return nil, fmt.Errorf("follow: %s: %w; sockscope reads pcap and pcapng files", name, err)
	}
	return r, nil
}

// pickStream reads the capture up to the first packet that both filters
// (those given) select and that has a stream of protocol p, and returns
// that stream's number. Every packet before it is dissected, so that the
// streams are numbered as in the whole capture.
func pickStream(path, name string, p flow.Proto, perLink *filter.PerLink, disp *display.Filter) (uint32, bool, error) {
	r, err := openCapture(path, name)
	if err != nil {
		return 0, false, err
	}
	defer r.Close()
	loop := capture.Loop{Check: decode.CheckLink, Filter: perLink}
	if err := loop.Compile(r); err != nil {
		return 0, false, filterError(err)
	}
	loop.Filter = nil // the tree must see every packet; the filter runs below
	var tree *decode.Tree
	var sel *display.Selector
	if disp != nil {
		sel = selectDisplay(&capture.Loop{}, disp, true)
		sel.Number = func() int { return loop.Read }
		tree = sel.Tree()
		tree.Want = nil // the stream numbers need the whole dissection
	} else {
		tree = &decode.Tree{Reassemble: true}
	}
	var stream uint32
	found := false
	_, err = loop.Run(r, func(data []byte, ci gopacket.CaptureInfo, link wire.LinkType) error {
		if sel != nil {
			if !sel.Select(data, ci, link) {
				return nil
			}
		} else {
			tree.Dissect(data, ci, link, loop.Read)
		}
		if perLink != nil {
			desc, _ := r.Interface(ci.InterfaceIndex)
			m, err := perLink.Matcher(link, desc.BigEndian, desc.Snaplen)
			if err != nil {
				return err
			}
			if !m.Match(data, ci.Length) {
				return nil
			}
		}
		if n, ok := decode.StreamOf(tree, p); ok {
			stream, found = n, true
			return capture.ErrStop
		}
		return nil
	})
	var fe *filter.Error
	if errors.As(err, &fe) {
		return 0, false, filterError(err)
	}
	if err != nil {
		return 0, false, fmt.Errorf("follow: %s: %w", name, err)
	}
	return stream, found, nil
}

// spoolStdin copies standard input to a temporary file and returns its
// name; the caller removes it.
func spoolStdin() (string, error) {
	f, err := os.CreateTemp("", "sockscope-follow-*.pcap")
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(f, os.Stdin); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}
