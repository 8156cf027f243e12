package commands

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/google/gopacket"
	"github.com/urfave/cli/v2"

	"github.com/sockscope/sockscope/capture"
	"github.com/sockscope/sockscope/decode"
	"github.com/sockscope/sockscope/decode/display"
	"github.com/sockscope/sockscope/decode/wire"
)

// outputFlags are the output flags that decode and capture share, with tcpdump's letters.
func outputFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "n", Usage: "don't convert addresses or ports to names (sockscope never does; accepted for tcpdump's hands)"},
		&cli.BoolFlag{Name: "e", Usage: "print the link-level header on each line"},
		&cli.BoolFlag{Name: "v", Usage: "verbose: more header fields; repeat (-vv, -vvv) for more"},
		&cli.BoolFlag{Name: "q", Usage: "quick output: less protocol information"},
		&cli.BoolFlag{Name: "x", Usage: "print each packet in hex, without its link header (-xx: with it)"},
		&cli.BoolFlag{Name: "X", Usage: "print each packet in hex and ASCII, without its link header (-XX: with it)"},
		&cli.BoolFlag{Name: "A", Usage: "print each packet in ASCII, without its link header (-AA: with it)"},
		&cli.BoolFlag{Name: "t", Usage: "timestamps: -t none, -tt unix seconds, -ttt delta to previous, -tttt date and time, -ttttt since first"},
		&cli.BoolFlag{Name: "nano", Usage: "print timestamps with nanoseconds"},
		&cli.BoolFlag{Name: "#", Aliases: []string{"number"}, Usage: "start each line with the count of packets printed, as tcpdump -#"},
		&cli.BoolFlag{Name: "l", Usage: "write each line out as soon as its packet is printed, also into a pipe or a file (a live capture's lines already go out whenever no packet is waiting; a file's are written in blocks)"},
		&cli.BoolFlag{Name: "json", Usage: "print one JSON object per packet per line (keys: sockscope man decode)"},
		&cli.StringFlag{Name: "T", Usage: "output format, as tshark's -T: fields (with -e NAME...) or json (the same as --json)"},
		&cli.StringSliceFlag{Name: "field", Usage: "with -T fields, -e `NAME`: a field to print (tshark's display-filter names; repeat -e for more)"},
		&cli.BoolFlag{Name: "no-reassembly", Usage: "with --json, -T fields, --parquet or -Y: dissect each packet on its own (by default, as tshark, IP fragments and TCP-carried messages are put back together and read at the packet that completes them)"},
		&cli.GenericFlag{Name: "E", Value: &repeated{}, Usage: "with -T fields, an `OPTION` as tshark's -E: header=y|n, separator=/t|/s|C, quote=d|s|n, occurrence=f|l|a, aggregator=,|/s|C"},
	}
}

// repeated is a flag's values, one per use, kept whole: -E separator=, is
// one option whose value is a comma, which a StringSliceFlag would split.
type repeated []string

func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }
func (r *repeated) String() string     { return strings.Join(*r, " ") }

// eOptions are the -E options given.
func eOptions(c *cli.Context) []string { return repeatedValues(c, "E") }

// repeatedValues are the values of a repeated flag, each kept whole.
func repeatedValues(c *cli.Context, name string) []string {
	if r, ok := c.Generic(name).(*repeated); ok && r != nil {
		return *r
	}
	return nil
}

// fieldArgs rewrites the -e NAME of a decode or capture line that asks for
// -T fields (or --parquet FILE) into --field NAME: -e alone
// stays tcpdump's link-level flag.
// Without -T, an -e followed by a field name (a name with a dot that the
// registry knows) is the usage error tshark makes of it.
func fieldArgs(args []string) ([]string, error) {
	if len(args) < 3 || (args[1] != "decode" && args[1] != "capture") {
		return args, nil
	}
	fields := false
	for i, a := range args[2:] {
		if a == "--" {
			break
		}
		if a == "-T" || strings.HasPrefix(a, "-T") || strings.HasPrefix(a, "--T=") {
			v := strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(a, "--T="), "-T"), "=")
			if v == "" && i+3 < len(args) {
				v = args[i+3]
			}
			fields = v == "fields"
		}
	}
	fields = fields || hasParquet(args[2:])
	out := []string{args[0], args[1]}
	for i := 2; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			out = append(out, args[i:]...)
			break
		}
		name, ok := "", false
		switch {
		case a == "-e" && i+1 < len(args):
			name, ok = args[i+1], true
		case strings.HasPrefix(a, "-e") && len(a) > 2 && strings.Contains(a, "."):
			name = a[2:]
			if _, known := decode.Lookup(name); known || !fields {
				ok = fields || known
			}
		}
		if !ok {
			out = append(out, a)
			continue
		}
		if !fields {
			if _, known := decode.Lookup(name); known && strings.Contains(name, ".") {
				return nil, usageErrorf("%s: -e %s names a field to print, but neither -T fields nor --parquet was given (-e alone is tcpdump's link-level header)", args[1], name)
			}
			out = append(out, a)
			continue
		}
		out = append(out, "--field", name)
		if a == "-e" {
			i++
		}
	}
	return out, nil
}

// hasParquet says whether a command's words, up to a "--", ask for
// --parquet FILE, whose columns -e NAME gives.
func hasParquet(words []string) bool {
	for _, w := range words {
		switch {
		case w == "--":
			return false
		case w == "--parquet" || w == "-parquet" || strings.HasPrefix(w, "--parquet=") || strings.HasPrefix(w, "-parquet="):
			return true
		}
	}
	return false
}

// fieldsPrinter builds the -T fields printer: an unknown field is a usage
// error that names it and suggests the nearest registry names.
func fieldsPrinter(c *cli.Context, w io.Writer, opt decode.Options) (printer, error) {
	fo := decode.DefaultFieldsOptions()
	for _, e := range eOptions(c) {
		if err := fo.Set(e); err != nil {
			return nil, usageErrorf("-E %s: %v", e, err)
		}
	}
	names := c.StringSlice("field")
	if len(names) == 0 {
		return nil, usageErrorf(`-T fields was given, but no fields were given with -e NAME`)
	}
	p, err := decode.NewFieldsPrinter(w, opt, names, fo)
	var ue *decode.UnknownFieldsError
	if errors.As(err, &ue) {
		var hints []string
		for _, n := range ue.Names {
			if near := decode.Nearest(n, decode.FieldNames(), 3); len(near) > 0 {
				hints = append(hints, fmt.Sprintf("%s: did you mean %s?", n, strings.Join(near, ", ")))
			}
		}
		msg := err.Error()
		if len(hints) > 0 {
			msg += " (" + strings.Join(hints, "; ") + ")"
		}
		return nil, usageErrorf("%s", msg)
	}
	if err != nil {
		return nil, usageErrorf("%v", err)
	}
	return p, nil
}

// nameInterfaces makes handle name each interface of a pcapng file to p,
// from the file's own description, the first time a packet comes from it:
// frame.interface_name in --json and -T fields, as tshark gives it.
func nameInterfaces(r *capture.Reader, p printer, handle capture.Handler) capture.Handler {
	n, ok := p.(interface{ SetInterfaceName(int, string) })
	if !ok || !r.Pcapng() {
		return handle
	}
	var named []bool // by interface index
	return func(data []byte, ci gopacket.CaptureInfo, link wire.LinkType) error {
		if i := ci.InterfaceIndex; i >= len(named) || !named[i] {
			for len(named) <= i {
				named = append(named, false)
			}
			named[i] = true
			if d, ok := r.Interface(i); ok && d.Name != "" {
				n.SetInterfaceName(i, d.Name)
			}
		}
		return handle(data, ci, link)
	}
}

// printer is what decode and capture print packets with: text or JSON.
type printer interface {
	Print(data []byte, ci gopacket.CaptureInfo, link wire.LinkType) error
	Flush() error
}

// newPrinter builds the text or JSON printer the output flags select.
func newPrinter(c *cli.Context, w io.Writer) (printer, error) {
	return newLoopPrinter(c, w, nil)
}

// newLoopPrinter is newPrinter for the packets loop hands over: frame
// numbers and relative times are the input's, also when a display filter
// leaves packets out, as tshark gives them.
func newLoopPrinter(c *cli.Context, w io.Writer, loop *capture.Loop, more ...func(*decode.Options)) (printer, error) {
	if c.Count("t") > 5 {
		return nil, usageErrorf("-t given %d times; at most -ttttt", c.Count("t"))
	}
	opt := decode.Options{
		Link:     c.Bool("e"),
		Verbose:  c.Count("v"),
		Quiet:    c.Bool("q"),
		Hex:      c.Count("x"),
		HexASCII: c.Count("X"),
		ASCII:    c.Count("A"),
		Time:     decode.TimeFormat(c.Count("t")),
		Nano:     c.Bool("nano"),
		IfName:   interfaceName,
		// tcpdump's text never reassembles; the tshark outputs do.
		Reassemble: reassemble(c),
		Expert:     c.Bool("expert"),
		Number:     c.Bool("#"),
	}
	if opt.Expert && (c.String("T") != "" || c.Bool("json")) {
		return nil, usageErrorf("--expert is for the text lines: --json and -T fields give the items as fields (tcp.analysis.*, _ws.expert)")
	}
	if opt.Number && (c.String("T") != "" || c.Bool("json")) {
		return nil, usageErrorf("-# numbers the text lines: --json and -T fields have the packet's number as frame.number")
	}
	for _, set := range more {
		set(&opt)
	}
	if loop != nil {
		opt.Position = func() decode.Position {
			return decode.Position{Number: loop.Read, First: loop.First, Previous: loop.Previous}
		}
	}
	switch c.String("T") {
	case "":
		if len(c.StringSlice("field")) > 0 || len(eOptions(c)) > 0 {
			return nil, usageErrorf("-e NAME and -E were given, but -T fields was not")
		}
	case "fields":
		return fieldsPrinter(c, w, opt)
	case "json":
		return decode.NewJSONPrinter(w, opt), nil
	default:
		return nil, usageErrorf("-T %s: sockscope prints -T fields (with -e NAME...) and -T json (the same as --json)", c.String("T"))
	}
	if c.Bool("json") {
		return decode.NewJSONPrinter(w, opt), nil
	}
	return decode.NewPrinter(w, opt), nil
}

// reassemble says whether the tshark outputs and -Y put IP fragments and
// TCP-carried messages back together: tshark's default, unless
// --no-reassembly.
func reassemble(c *cli.Context) bool { return !c.Bool("no-reassembly") }

// interfaceName names an interface of this machine by index, as tcpdump's
// if_indextoname does for Linux cooked v2 headers; it looks each index up once.
func interfaceName(index int) (string, bool) {
	return capture.InterfaceName(index)
}

// printFlag is --print, tcpdump's: print the lines as well as write -w's file.
func printFlag() cli.Flag {
	return &cli.BoolFlag{Name: "print", Usage: "with -w FILE, print each packet's line as well (as tcpdump --print)"}
}

// alsoPrint makes the handler, flush and close of a -w file also print
// each packet, for --print: the file is written first, then the line.
func alsoPrint(c *cli.Context, cmd, out string, loop *capture.Loop, sel *display.Selector, handle capture.Handler, flush, closeOut func() error, more ...func(*decode.Options)) (capture.Handler, func() error, func() error, error) {
	if out == "-" {
		return nil, nil, nil, usageErrorf("%s: --print writes lines to standard output, where -w - writes the capture: give -w a FILE", cmd)
	}
	p, err := newLoopPrinter(c, os.Stdout, loop, more...)
	if err != nil {
		return nil, nil, nil, err
	}
	followSelector(sel, p)
	h := func(data []byte, ci gopacket.CaptureInfo, link wire.LinkType) error {
		if err := handle(data, ci, link); err != nil {
			return err
		}
		return p.Print(data, ci, link)
	}
	both := func(a, b func() error) func() error {
		return func() error {
			errA, errB := a(), b()
			if errA != nil {
				return errA
			}
			return errB
		}
	}
	return h, both(flush, p.Flush), both(closeOut, p.Flush), nil
}

// rotationFlags are tcpdump's flags that spread a -w copy over several
// files.
func rotationFlags() []cli.Flag {
	return []cli.Flag{
		&cli.IntFlag{Name: "C", Usage: "with -w FILE, start a new file when the one being written passes `MB` million bytes: FILE, FILE1, FILE2... (as tcpdump -C)"},
		&cli.IntFlag{Name: "G", Usage: "with -w FILE, start a new file for the first packet `SECONDS` after the one being written was started; FILE is a strftime(3) pattern the start's time fills in, such as eth0-%Y%m%d-%H%M%S.pcap; with -C as well, each interval's files are that name, then it with 1, 2... after it (as tcpdump -G)"},
		&cli.IntFlag{Name: "W", Usage: "with -C, keep a ring of `N` files, FILE0 to FILE(N-1), the oldest overwritten; with -G, stop after N files; with both, a ring of N in each interval (as tcpdump -W)"},
		&cli.StringFlag{Name: "z", Usage: "with -C or -G, run `COMMAND` FILE on each file as it is closed for the next one (as tcpdump -z; gzip, for instance)"},
	}
}

// rotationOf is the rotation the flags ask of cmd's -w file out.
func rotationOf(c *cli.Context, cmd, out string) (capture.Rotation, error) {
	var r capture.Rotation
	switch {
	case !c.IsSet("C") && !c.IsSet("G"):
		if c.IsSet("W") || c.IsSet("z") {
			return r, usageErrorf("%s: -W and -z go with -C MB or -G SECONDS: give what starts a new file", cmd)
		}
		return r, nil
	case c.IsSet("C") && c.Int("C") < 1:
		return r, usageErrorf("%s: -C %d: give the size in millions of bytes, 1 or more", cmd, c.Int("C"))
	case c.IsSet("G") && c.Int("G") < 1:
		return r, usageErrorf("%s: -G %d: give the seconds each file covers, 1 or more", cmd, c.Int("G"))
	case out == "" || out == "-":
		return r, usageErrorf("%s: -C and -G start new files: give -w a FILE name", cmd)
	case c.IsSet("W") && c.Int("W") < 1:
		return r, usageErrorf("%s: -W %d: give the number of files, 1 or more", cmd, c.Int("W"))
	}
	r.Interval = time.Duration(c.Int("G")) * time.Second
	if z := c.String("z"); z != "" {
		if _, err := exec.LookPath(z); err != nil {
			return r, usageErrorf("%s: -z %s: %v", cmd, z, err)
		}
	}
	r.Size, r.Files, r.PostRotate = int64(c.Int("C"))*1_000_000, c.Int("W"), c.String("z")
	if err := r.Check(out); err != nil {
		return r, usageErrorf("%s: -w %w", cmd, err)
	}
	return r, nil
}
