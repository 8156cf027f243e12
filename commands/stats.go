package commands

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/google/gopacket"
	"github.com/mattn/go-isatty"
	"github.com/urfave/cli/v2"
	"golang.org/x/sys/unix"

	"github.com/sockscope/sockscope/capture"
	"github.com/sockscope/sockscope/capture/filter"
	"github.com/sockscope/sockscope/decode"
	"github.com/sockscope/sockscope/decode/display"
	"github.com/sockscope/sockscope/decode/stats"
	"github.com/sockscope/sockscope/decode/wire"
)

func statsCommand() *cli.Command {
	return &cli.Command{
		Name:      "stats",
		Usage:     "tshark's statistics of a capture: conversations, endpoints, protocol hierarchy, I/O, expert",
		UsageText: "sockscope stats (-r FILE|- | -i IFACE|any [-c N --duration D]) -z SPEC [-z SPEC...] [-Y EXPR] [--json] [FILTER...]",
		Description: `Counts the packets of a capture file (-r) or of a live capture (-i) and prints each -z
table as tshark -q -z prints it (the same layout and numbers, so the two diff), the last -z
first, as tshark orders them. SPEC is tshark's: conv,eth|ip|ipv6|tcp|udp,
endpoints,eth|ip|ipv6|tcp|udp, io,phs, io,stat,INTERVAL[,EXPR...], expert. FILTER (pcap-filter;
in the kernel when live) and -Y EXPR (a display filter) choose the packets counted: -Y EXPR
gives what tshark's -z SPEC,EXPR gives. --json prints one JSON object, a member per -z SPEC.

Live, on a terminal, the tables are drawn again every second in place; Ctrl-C, SIGTERM,
SIGHUP, -c or --duration end the capture, and the final tables are printed, with the kernel's
counts on stderr as capture prints them. Not on a terminal, only the final tables are printed.

Examples:
   sockscope stats -r testdata/tcp4.pcap -z conv,tcp
   sockscope stats -r testdata/mixed.pcap -z endpoints,ip -z io,phs
   sockscope stats -r testdata/dns.pcap -Y dns.flags.response==1 -z conv,udp --json
   sudo sockscope stats -i any -z conv,ip -z endpoints,tcp    top talkers, live`,
		UseShortOptionHandling: true,
		OnUsageError: func(c *cli.Context, err error, isSubcommand bool) error {
			return usageErrorf("stats: %v (see sockscope stats --help)", err)
		},
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "r", Usage: "read packets from `FILE` (pcap or pcapng; - for standard input)"},
			&cli.GenericFlag{Name: "z", Value: &repeated{}, Usage: "a statistic, as tshark's -z `SPEC` (repeat for more)"},
			&cli.BoolFlag{Name: "json", Usage: "print the tables as one JSON object, a member per -z SPEC"},
			&cli.BoolFlag{Name: "no-reassembly", Usage: "dissect each packet on its own (by default, as tshark, IP fragments and TCP-carried messages are put back together)"},
			&cli.StringFlag{Name: "Y", Usage: "count only the packets the display filter `EXPR` selects, in every table (what tshark's -z SPEC,EXPR counts; tshark's own -q -Y leaves -z tables unfiltered); runs after FILTER"},
			filterFileFlag(),
		}, liveFlags()...),
		Action: runStats,
	}
}

func runStats(c *cli.Context) error {
	path, live := c.String("r"), c.IsSet("i")
	switch {
	case path == "" && !live:
		return usageErrorf("stats: give -r FILE (a capture, or - for standard input) or -i IFACE (a live capture)")
	case path != "" && live:
		return usageErrorf("stats: -r %s and -i %s: give one source, a file or an interface", path, c.String("i"))
	case path != "" && c.IsSet("duration"):
		return usageErrorf("stats: --duration ends a live capture (-i); a file (-r) is counted to its end, or to -c N packets")
	}
	if err := positiveCount(c, "stats", "c"); err != nil {
		return err
	}
	specs := repeatedValues(c, "z")
	if len(specs) == 0 {
		return usageErrorf("stats: give at least one -z SPEC (%s)", strings.Join(stats.Names(), ", "))
	}
	tables := make([]stats.Table, len(specs))
	for i, s := range specs {
		t, err := stats.New(s, c.String("Y"))
		if err != nil {
			return usageErrorf("stats: %v", err)
		}
		tables[i] = t
	}
	stats.Prime(tables, c.String("Y"))
	var err error
	if live {
		err = statsLive(c, tables)
	} else {
		err = statsFile(c, path, tables)
	}
	if err != nil {
		return err
	}
	return writeTables(os.Stdout, c.Bool("json"), specs, tables)
}

// statsFile counts the packets of the capture file path into tables.
func statsFile(c *cli.Context, path string, tables []stats.Table) error {
	r, err := capture.Open(path)
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		return fmt.Errorf("stats: %w", err)
	}
	if err != nil {
		return fmt.Errorf("stats: %s: %w; sockscope reads pcap and pcapng files", displayName(path), err)
	}
	defer r.Close()
	loop := capture.Loop{Count: c.Int("c"), Check: decode.CheckLink}
	sel, err := setDisplayFilter(c, &loop)
	if err != nil {
		return err
	}
	expr, ok, err := filterExpression(c)
	if err != nil {
		return err
	}
	if ok {
		loop.Filter = filter.NewPerLink(expr)
		if err := loop.Compile(r); err != nil {
			return filterError(err)
		}
	}
	_, err = loop.Run(r, countInto(&loop, sel, reassemble(c), tables, nil))
	var fe *filter.Error
	if errors.As(err, &fe) {
		return filterError(err)
	}
	if err != nil {
		return fmt.Errorf("stats: %s: %w", displayName(path), err)
	}
	return nil
}

// statsLive counts a live capture into tables until it ends, drawing them
// again every second on a terminal, and reports the kernel's counts on
// stderr as capture does.
func statsLive(c *cli.Context, tables []stats.Table) error {
	cfg, err := captureFlags(c, "stats")
	if err != nil {
		return err
	}
	if c.Bool("L") {
		return listLinkTypes(cfg)
	}
	src, err := capture.OpenLive(cfg.live)
	if errors.Is(err, capture.ErrUnknownInterface) {
		return usageErrorf("stats: %w", err)
	}
	if err != nil {
		return fmt.Errorf("stats: %w", err)
	}
	defer src.Close()
	if w := src.Warning(); w != "" {
		fmt.Fprintf(os.Stderr, "sockscope: warning: %s\n", w)
	}
	loop := capture.Loop{Count: cfg.count, Check: decode.CheckLink}
	sel := selectDisplay(&loop, cfg.display, reassemble(c))
	var view *liveView
	if isatty.IsTerminal(os.Stdout.Fd()) && !c.Bool("json") {
		view = &liveView{w: os.Stdout, tables: tables}
		loop.Flush = func() error { view.maybeDraw(time.Now()); return nil }
	}
	iface, _ := src.Interface(0)
	fmt.Fprintf(os.Stderr, "sockscope: listening on %s, link-type %s, snapshot length %d bytes\n", iface.Name, iface.LinkType, iface.Snaplen)
	counted, interrupted, err := runLive("stats", src, &loop, countInto(&loop, sel, reassemble(c), tables, view), cfg.duration)
	view.clear()
	st, serr := src.Stats()
	if interrupted {
		fmt.Fprintln(os.Stderr) // past the ^C the terminal echoed
	}
	if serr == nil {
		fmt.Fprint(os.Stderr, statsReport(counted, st))
	} else if err == nil {
		err = serr
	}
	if err != nil {
		return fmt.Errorf("stats: %w", err)
	}
	return nil
}

// countInto is the loop's handler that gives each packet's tree to tables:
// the display filter's tree when there is one, else one it dissects, told
// to want what the tables and the filter read (stats.Want). view, if not nil, is drawn again as
// the packets' time passes.
func countInto(loop *capture.Loop, sel *display.Selector, reassemble bool, tables []stats.Table, view *liveView) capture.Handler {
	tree := &decode.Tree{Reassemble: reassemble, Want: stats.Want(tables)}
	if sel != nil {
		tree = sel.Tree()
		tree.Want = tree.Want.Union(stats.Want(tables))
	}
	return func(data []byte, ci gopacket.CaptureInfo, link wire.LinkType) error {
		if sel == nil {
			tree.Dissect(data, ci, link, loop.Read)
			tree.First, tree.Previous = loop.First, loop.Previous
		}
		for _, t := range tables {
			t.Add(tree)
		}
		if view != nil {
			view.maybeDraw(ci.Timestamp)
		}
		return nil
	}
}

// writeTables prints the tables as tshark does, the last first, or as one
// JSON object keyed by their specs.
func writeTables(w io.Writer, asJSON bool, specs []string, tables []stats.Table) error {
	if asJSON {
		out := make(map[string]any, len(tables))
		for i, t := range tables {
			out[specs[i]] = t.JSON()
		}
		if err := json.NewEncoder(w).Encode(out); err != nil {
			return fmt.Errorf("stats: %w", err)
		}
		return nil
	}
	for i := len(tables) - 1; i >= 0; i-- {
		if err := tables[i].WriteText(w); err != nil {
			return fmt.Errorf("stats: %w", err)
		}
	}
	return nil
}

// liveView draws the tables on a terminal, in place, at most once a second,
// cut to the terminal's height, like iftop's screen.
type liveView struct {
	w      *os.File
	tables []stats.Table
	last   time.Time
	drawn  bool
	buf    bytes.Buffer
}

func (v *liveView) maybeDraw(now time.Time) {
	if v == nil || (!v.last.IsZero() && now.Sub(v.last) < time.Second && now.After(v.last)) {
		return
	}
	v.last = now
	v.buf.Reset()
	for i := len(v.tables) - 1; i >= 0; i-- {
		v.tables[i].WriteText(&v.buf)
	}
	rows := 24
	if ws, err := unix.IoctlGetWinsize(int(v.w.Fd()), unix.TIOCGWINSZ); err == nil && ws.Row > 1 {
		rows = int(ws.Row)
	}
	lines := strings.SplitAfter(v.buf.String(), "\n")
	if len(lines) > rows-1 {
		lines = lines[:rows-1]
	}
	// Home, clear the screen, then the lines.
	io.WriteString(v.w, "\x1b[H\x1b[2J"+strings.Join(lines, ""))
	v.drawn = true
}

// clear leaves a clean screen for the final tables.
func (v *liveView) clear() {
	if v != nil && v.drawn {
		io.WriteString(v.w, "\x1b[H\x1b[2J")
	}
}
