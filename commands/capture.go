package commands

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"os/user"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/google/gopacket"
	"github.com/urfave/cli/v2"

	"github.com/sockscope/sockscope/capture"
	"github.com/sockscope/sockscope/capture/filter"
	"github.com/sockscope/sockscope/decode"
	"github.com/sockscope/sockscope/decode/display"
	"github.com/sockscope/sockscope/decode/wire"
)

func captureCommand() *cli.Command {
	return &cli.Command{
		Name:      "capture",
		Usage:     "capture packets live on an interface and print them as tcpdump does, or write them to a file",
		UsageText: "sockscope capture [-i IFACE|any|N [-i IFACE...]] [-s SNAPLEN -p -B KiB -c N --duration D -w FILE|- -U --pcapng -Z USER] [-n -e -v -q -x -X -A -t... --json] [--parquet FILE [-e NAME...]] [-d] [FILTER...]",
		Description: `Captures on an AF_PACKET socket with a memory-mapped TPACKET_V3 ring, as tcpdump does.
FILTER is a pcap-filter(7) expression, as tcpdump takes it: the kernel drops the packets it
does not select (those it cannot judge, sockscope drops itself), and -c counts only the
packets selected. -d prints the program compiled for the interface's link type, and exits.
-i any captures on every interface in Linux cooked v2 frames. On lo (and on any), each
packet is shown once, as tcpdump shows it. -i repeated captures on each interface named, as
dumpcap -i A -i B does: each its own ring and filter, the packets merged in timestamp order,
each line marked with its interface and direction as tcpdump -i any marks them ("eth0  In  "),
-w writing pcapng with one interface block each, the kernel's counts summed and then per
interface. Ctrl-C, SIGTERM, SIGHUP, -c or --duration end the capture: everything received is
written, then the kernel's counts go to standard error.
With -w, --nano writes nanosecond timestamps (the kernel's own); without it, microseconds.
Needs CAP_NET_RAW: run as root, or once: setcap cap_net_raw,cap_net_admin=eip $(which sockscope)

Examples:
   sockscope capture -i eth0                          one line per packet, as tcpdump
   sockscope capture -i any -c 10 -e                  10 packets from every interface, with link headers
   sockscope capture -i lo -w lo.pcap --duration 30s  30 seconds of loopback into a file
   sockscope capture -i eth0 -c 5 udp port 53        5 DNS packets
   sockscope capture -i eth0 -i eth1 -w both.pcapng   two interfaces into one pcapng, as dumpcap -i eth0 -i eth1
   sockscope capture -i any -d tcp and not port 22    the filter program, as tcpdump -d
   sockscope capture -i eth0 -w - | sockscope decode -r -     a stream another reader decodes as it comes
   sockscope capture -i 1 -w big.pcapng --pcapng -B 131072    interface 1 of sockscope interfaces, 128 MiB ring
   sockscope capture -i eth0 --duration 1h --parquet eth0.parquet      an hour's fields for DuckDB, Spark or Trino
   sudo sockscope capture -i eth0 -Z nobody -w eth0.pcap      drop root once the socket is open`,
		UseShortOptionHandling: true,
		OnUsageError: func(c *cli.Context, err error, isSubcommand bool) error {
			return usageErrorf("capture: %v (see sockscope capture --help)", err)
		},
		Flags: append(append(captureLiveFlags(),
			&cli.StringFlag{Name: "w", Usage: "write the packets to `FILE` (pcap; - for standard output, readable as it is written) instead of printing them"},
			printFlag(),
			&cli.BoolFlag{Name: "U", Usage: "write each packet out as it arrives (flush per packet)"},
			&cli.BoolFlag{Name: "pcapng", Usage: "with -w, write pcapng (interface name, link type, and the drop count at the end) instead of pcap"},
			&cli.StringFlag{Name: "Z", Usage: "once the socket is open, run as `USER` (the -w file then belongs to USER)"},
			parquetFlag(),
		), append(append(append(outputFlags(), displayFlags()...), filterFlags()...), rotationFlags()...)...),
		Action: runCapture,
	}
}

// liveFlags are the flags of a live capture, which capture and stats share.
func liveFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "i", Usage: "capture on `IFACE`: a name, any for all interfaces, or a number from sockscope interfaces (default: the first one listed)"},
		&cli.IntFlag{Name: "s", Value: 262144, Usage: "keep at most `SNAPLEN` bytes of each packet (0 to 262144; 0: 262144)"},
		&cli.BoolFlag{Name: "p", Usage: "don't put the interface into promiscuous mode"},
		&cli.IntFlag{Name: "B", Value: capture.DefaultBufferSize >> 10, Usage: "kernel ring size in `KiB` (1 to 2097151)"},
		&cli.IntFlag{Name: "c", DefaultText: "no limit", Usage: "stop after `N` packets (1 or more)"},
		&cli.DurationFlag{Name: "duration", Usage: "stop after `D` (such as 10s or 2m)"},
		&cli.StringFlag{Name: "y", Usage: "capture in the link type `TYPE`, one -L lists (any offers LINUX_SLL2, the default, and LINUX_SLL), as tcpdump -y"},
		&cli.BoolFlag{Name: "L", Usage: "list the link types the interface (-i) offers, as tcpdump -L, and exit"},
		&cli.StringFlag{Name: "Q", Value: "inout", Usage: "keep the packets the machine received (in), sent (out) or both (inout), as tcpdump -Q; on lo every packet counts as received"},
	}
}

// captureLiveFlags are liveFlags with capture's -i, which may be given
// more than once.
func captureLiveFlags() []cli.Flag {
	flags := liveFlags()
	flags[0] = &cli.GenericFlag{Name: "i", Value: &repeated{}, Usage: "capture on `IFACE`: a name, any for all interfaces, or a number from sockscope interfaces (default: the first one listed); repeat -i to capture on several at once (-w then writes pcapng)"}
	return flags
}

// interfaceArgs are the -i values given: capture's, which may repeat, or
// stats' one; none for the default.
func interfaceArgs(c *cli.Context) []string {
	if _, ok := c.Generic("i").(*repeated); ok {
		return repeatedValues(c, "i")
	}
	if c.IsSet("i") {
		return []string{c.String("i")}
	}
	return nil
}

// captureConfig is what runCapture takes from its flags.
type captureConfig struct {
	live     capture.LiveConfig   // the first interface's
	lives    []capture.LiveConfig // each interface's, in the order of -i
	count    int
	duration time.Duration
	out      string // -w; "" prints
	pcapng   bool
	flushAll bool // -U
	nano     bool
	user     *user.User       // -Z
	dump     int              // -d, -dd, -ddd: print the filter program and exit
	expr     string           // the filter expression
	link     wire.LinkType    // the link type it is compiled for
	display  *display.Filter  // -Y, or nil
	offered  []wire.LinkType  // with -L or -y: the interface's link types
	rotation capture.Rotation // -C, -G, -W, -z (capture's, runCapture)
}

// listLinkTypes prints the link types cfg's interface offers, as tcpdump
// -L does, on standard error as tcpdump writes them.
func listLinkTypes(cfg captureConfig) error {
	fmt.Fprintf(os.Stderr, "Data link types for %s (use option -y to set):\n", cfg.live.Interface)
	for _, l := range cfg.offered {
		fmt.Fprintf(os.Stderr, "  %s (%s)\n", l.Name(), l.Description())
	}
	return nil
}

func captureFlags(c *cli.Context, cmd string) (captureConfig, error) {
	cfg := captureConfig{
		count:    c.Int("c"),
		duration: c.Duration("duration"),
		out:      c.String("w"),
		pcapng:   c.Bool("pcapng"),
		flushAll: c.Bool("U") || c.Bool("l"),
		nano:     c.Bool("nano"),
		dump:     c.Count("d"),
	}
	if err := positiveCount(c, cmd, "c"); err != nil {
		return cfg, err
	}
	switch {
	case c.IsSet("duration") && cfg.duration <= 0:
		return cfg, usageErrorf("%s: --duration %v: give a time above 0, such as 10s", cmd, cfg.duration)
	case c.Int("s") < 0 || c.Int("s") > maxSnaplen:
		return cfg, usageErrorf("%s: -s %d: the snapshot length is 0 (for %d) to %d bytes", cmd, c.Int("s"), maxSnaplen, maxSnaplen)
	case c.Int("B") < 1 || c.Int("B") > maxRingKiB:
		return cfg, usageErrorf("%s: -B %d: the ring size is 1 to %d KiB (2 GiB)", cmd, c.Int("B"), maxRingKiB)
	case cfg.pcapng && cfg.out == "":
		return cfg, usageErrorf("%s: --pcapng applies to the file -w writes; add -w FILE", cmd)
	}
	names, err := resolveInterfaces(c, cmd, cfg.out != "" && !cfg.pcapng)
	if err != nil {
		return cfg, err
	}
	base := capture.LiveConfig{
		Snaplen:    c.Int("s"),
		NoPromisc:  c.Bool("p"),
		BufferSize: c.Int("B") << 10,
	}
	dir, ok := capture.ParseDirection(c.String("Q"))
	if !ok {
		return cfg, usageErrorf("%s: -Q %s: give in, out or inout", cmd, c.String("Q"))
	}
	base.Direction = dir
	// The filter is compiled before the socket is opened, so that a bad
	// expression is a usage error that needs no privilege to see; for
	// each interface, whose link types may differ.
	expr, filtered, err := filterExpression(c)
	if err != nil {
		return cfg, err
	}
	for i, name := range names {
		live := base
		live.Interface = name
		if c.Bool("L") || c.IsSet("y") {
			offered, err := capture.LinkTypesOf(name)
			if errors.Is(err, capture.ErrUnknownInterface) {
				return cfg, usageErrorf("%s: %w", cmd, err)
			}
			if err != nil {
				return cfg, fmt.Errorf("%s: %w", cmd, err)
			}
			cfg.offered = offered
			if c.IsSet("y") {
				lt, ok := wire.ParseLinkType(c.String("y"))
				if !ok {
					return cfg, usageErrorf("%s: -y %s: not a link type's name (such as EN10MB, LINUX_SLL2; %s -L -i %s lists the interface's)", cmd, c.String("y"), cmd, name)
				}
				if !slices.Contains(offered, lt) {
					return cfg, usageErrorf("%s: -y %s: %s does not offer it (%s -L -i %s lists what it offers)", cmd, c.String("y"), name, cmd, name)
				}
				live.LinkType = lt
			}
		}
		if filtered || cfg.dump > 0 {
			link, err := capture.LinkTypeOf(name)
			if errors.Is(err, capture.ErrUnknownInterface) {
				return cfg, usageErrorf("%s: %w", cmd, err)
			}
			if err != nil {
				return cfg, fmt.Errorf("%s: %w", cmd, err)
			}
			if live.LinkType != 0 {
				link = live.LinkType
			}
			if i == 0 {
				cfg.link, cfg.expr = link, expr
			} else if cfg.dump > 0 && link != cfg.link {
				return cfg, usageErrorf("%s: -d: %s and %s have different link types (%s, %s), each its own program: give -d one -i", cmd, names[0], name, cfg.link.Name(), link.Name())
			}
			if err := live.SetFilter(expr, link); err != nil {
				var fe *filter.Error
				if len(names) > 1 && errors.As(err, &fe) {
					// Which of the interfaces, whose link types differ.
					named := *fe
					named.Msg = "-i " + name + ": " + fe.Msg
					err = &named
				}
				return cfg, liveFilterError(cmd, err)
			}
		}
		cfg.lives = append(cfg.lives, live)
	}
	cfg.live = cfg.lives[0]
	if cfg.display, err = compileDisplay(c); err != nil {
		return cfg, err
	}
	if c.IsSet("parquet") {
		if err := checkParquet(c, cmd); err != nil {
			return cfg, err
		}
	}
	if z := c.String("Z"); z != "" {
		u, err := user.Lookup(z)
		if err != nil {
			return cfg, usageErrorf("%s: -Z %s: no such user", cmd, z)
		}
		cfg.user = u
	}
	return cfg, nil
}

// resolveInterfaces are the interfaces -i names (a name, or a number
// from sockscope interfaces), each once; the first one listed when -i is
// not given. Several need a -w file in pcapng, the one format that says
// which interface each packet came from: -w NAME.pcap without --pcapng is
// a usage error (dumpcap, too, writes no pcap of several interfaces), and
// any other name is written in pcapng (asPcap: -w was given, --pcapng
// not).
func resolveInterfaces(c *cli.Context, cmd string, asPcap bool) ([]string, error) {
	args := interfaceArgs(c)
	if len(args) == 0 {
		args = []string{""}
	}
	var names []string
	for _, arg := range args {
		name, err := capture.ResolveInterface(arg)
		if errors.Is(err, capture.ErrUnknownInterface) {
			return nil, usageErrorf("%s: -i %s: %w", cmd, arg, err)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", cmd, err)
		}
		if len(args) > 1 && name == capture.AnyInterface {
			return nil, usageErrorf("%s: -i any captures on every interface already: give it alone, or name each interface with its own -i", cmd)
		}
		if slices.Contains(names, name) {
			return nil, usageErrorf("%s: -i %s given twice: give each interface once", cmd, name)
		}
		names = append(names, name)
	}
	if len(names) > 1 {
		out := c.String("w")
		switch {
		case c.Bool("L"):
			return nil, usageErrorf("%s: -L lists the link types of one interface: give one -i", cmd)
		case asPcap && strings.HasSuffix(strings.ToLower(out), ".pcap"):
			return nil, usageErrorf("%s: -w %s: a pcap file cannot say which of the %d interfaces each packet came from; write pcapng: -w %sng (several -i write pcapng)", cmd, out, len(names), out)
		}
	}
	return names, nil
}

// liveFilterError is a bad expression as a usage error, any other error of
// LiveConfig.SetFilter as capture's.
func liveFilterError(cmd string, err error) error {
	var fe *filter.Error
	if errors.As(err, &fe) {
		return filterError(err)
	}
	return fmt.Errorf("%s: %w", cmd, err)
}

func runCapture(c *cli.Context) error {
	cfg, err := captureFlags(c, "capture")
	if err != nil {
		return err
	}
	if cfg.rotation, err = rotationOf(c, "capture", cfg.out); err != nil {
		return err
	}
	if c.Bool("L") {
		return listLinkTypes(cfg)
	}
	if cfg.dump > 0 {
		opt := filter.Options{Live: true, Snaplen: uint32(capture.LiveSnaplen(cfg.live.Snaplen, cfg.link))}
		return dumpFilter(os.Stdout, cfg.expr, cfg.link, opt, cfg.dump)
	}
	src, err := openLiveSource(cfg.lives)
	if errors.Is(err, capture.ErrUnknownInterface) {
		return usageErrorf("capture: %w", err)
	}
	if err != nil {
		return fmt.Errorf("capture: %w", err)
	}
	defer src.Close()
	if w := src.Warning(); w != "" {
		fmt.Fprintf(os.Stderr, "sockscope: warning: %s\n", w)
	}
	if cfg.user != nil {
		if err := capture.DropPrivileges(cfg.user); err != nil {
			return fmt.Errorf("capture: %w", err)
		}
	}

	loop := capture.Loop{Count: cfg.count, FlushEach: cfg.flushAll}
	sel := selectDisplay(&loop, cfg.display, reassemble(c))
	handle, file, closeOut, err := openCaptureOutput(c, cfg, src, &loop, sel)
	if err != nil {
		return err
	}
	for _, iface := range src.Interfaces() {
		fmt.Fprintf(os.Stderr, "sockscope: listening on %s, link-type %s, snapshot length %d bytes\n", iface.Name, iface.LinkType, iface.Snaplen)
	}

	captured, interrupted, err := runLive("capture", src, &loop, handle, cfg.duration)
	each, serr := src.InterfaceStats()
	if serr == nil && file != nil {
		// A pcapng file ends with the kernel's counts, one block per
		// interface.
		for i, st := range each {
			if werr := file.WriteStats(i, st.Received, st.Dropped); err == nil {
				err = werr
			}
		}
	}
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	if file != nil {
		captured = file.Packets() // what the file holds, also when the disk filled
	}
	if interrupted {
		fmt.Fprintln(os.Stderr) // past the ^C the terminal echoed, as tcpdump does
	}
	if serr == nil {
		fmt.Fprint(os.Stderr, statsReport(captured, capture.SumStats(each)))
		if len(each) > 1 {
			fmt.Fprint(os.Stderr, interfaceReport(src.Interfaces(), each))
		}
	} else if err == nil {
		err = serr
	}
	if err != nil {
		return fmt.Errorf("capture: %w", err)
	}
	return nil
}

// liveSource is a live capture on one interface (*capture.Live) or on
// several (*capture.Multi).
type liveSource interface {
	capture.Source
	Stop()
	Stats() (capture.LiveStats, error)
	InterfaceStats() ([]capture.LiveStats, error)
	Warning() string
}

// openLiveSource opens a live capture on each of lives: a Live for one, a
// Multi for several.
func openLiveSource(lives []capture.LiveConfig) (liveSource, error) {
	if len(lives) == 1 {
		s, err := capture.OpenLive(lives[0])
		if err != nil {
			return nil, err
		}
		return s, nil
	}
	m, err := capture.OpenMulti(lives)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// runLive runs loop over src with h until the capture ends: -c (the
// loop's Count), duration when above 0, or the first of stopSignals,
// which it reports (interrupted).
func runLive(cmd string, src liveSource, loop *capture.Loop, h capture.Handler, duration time.Duration) (n int, interrupted bool, err error) {
	// The first stop signal ends the capture cleanly. A repeat within a
	// second is the same request (timeout(1) signals the command and then its
	// process group); one later, should the end hang on a blocked output,
	// gives up at once.
	var signalled atomic.Bool
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, stopSignals...)
	defer signal.Stop(sigs)
	go func() {
		var first time.Time
		for range sigs {
			switch {
			case first.IsZero():
				first = time.Now()
				signalled.Store(true)
				src.Stop()
			case time.Since(first) > time.Second:
				fmt.Fprintf(os.Stderr, "sockscope: %s: interrupted again while finishing; the output may be incomplete\n", cmd)
				os.Exit(130)
			}
		}
	}()
	if duration > 0 {
		t := time.AfterFunc(duration, src.Stop)
		defer t.Stop()
	}
	n, err = loop.Run(src, h)
	return n, signalled.Load(), err
}

// statsReport is the report tcpdump prints at the end of a live capture.
func statsReport(captured int, st capture.LiveStats) string {
	return fmt.Sprintf("%d packet%s captured\n%d packet%s received by filter\n%d packet%s dropped by kernel\n",
		captured, plural(uint64(captured)), st.Received, plural(st.Received), st.Dropped, plural(st.Dropped))
}

// interfaceReport is, after statsReport's sums, the kernel's counts of
// each interface of a capture on several, one line each.
func interfaceReport(ifaces []capture.Interface, each []capture.LiveStats) string {
	var b strings.Builder
	for i, st := range each {
		fmt.Fprintf(&b, "%s: %d packet%s received by filter, %d packet%s dropped by kernel\n",
			ifaces[i].Name, st.Received, plural(st.Received), st.Dropped, plural(st.Dropped))
	}
	return b.String()
}

// plural is the s of n packets.
func plural(n uint64) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// openCaptureOutput opens what the output flags ask for: a printer, or a
// pcap or pcapng file (then also returned, for its counts), with the
// loop's flushing. It runs after -Z, so that a file it creates belongs to
// that user.
func openCaptureOutput(c *cli.Context, cfg captureConfig, src liveSource, loop *capture.Loop, sel *display.Selector) (handle capture.Handler, file *capture.Output, closeOut func() error, err error) {
	if c.String("parquet") != "" {
		handle, closeOut, err := openParquet(c, "capture", loop, sel)
		return handle, nil, closeOut, err
	}
	marks := markInterfaces(src)
	if cfg.out == "" {
		p, err := newLoopPrinter(c, os.Stdout, loop, marks)
		if err != nil {
			return nil, nil, nil, err
		}
		nameLiveInterfaces(src, p)
		followSelector(sel, p)
		loop.Flush = p.Flush
		return p.Print, nil, p.Flush, nil
	}
	// Several interfaces go into pcapng, the one format that says which
	// interface each packet came from (resolveInterfaces refused a .pcap).
	several := len(src.Interfaces()) > 1
	format := capture.Format{Pcapng: cfg.pcapng || several, Resolution: time.Microsecond}
	if cfg.nano {
		format.Resolution = time.Nanosecond
	}
	file, err = capture.OpenRotatingOutput(cfg.out, src, format, cfg.rotation)
	if err == nil {
		// The header goes out at once: a reader of a pipe learns the link
		// type before the first packet.
		if err = file.Start(); err != nil {
			file.Close()
		}
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("capture: %w", err)
	}
	loop.Flush = file.Flush
	if c.Bool("print") {
		handle, flush, closeOut, err := alsoPrint(c, "capture", cfg.out, loop, sel, file.Packet, file.Flush, file.Close, marks)
		if err != nil {
			file.Close()
			return nil, nil, nil, err
		}
		loop.Flush = flush
		return handle, file, closeOut, nil
	}
	return file.Packet, file, file.Close, nil
}

// markInterfaces makes the text of a capture on several interfaces start
// each line, after the timestamp, with the packet's interface and
// direction, as tcpdump -i any does ("eth0  In  IP ..."); it does nothing
// for one interface, whose lines are tcpdump -i IFACE's.
func markInterfaces(src liveSource) func(*decode.Options) {
	ifaces := src.Interfaces()
	if len(ifaces) < 2 {
		return func(*decode.Options) {}
	}
	return func(opt *decode.Options) {
		opt.Interface = func(ci gopacket.CaptureInfo) (string, uint8, bool) {
			t, ok := capture.PacketTypeOf(ci)
			if !ok || ci.InterfaceIndex >= len(ifaces) {
				return "", 0, false
			}
			return ifaces[ci.InterfaceIndex].Name, uint8(t), true
		}
	}
}

// nameLiveInterfaces names each interface of a capture on several to p,
// for frame.interface_name in --json and -T fields, as tshark gives it for
// a capture on several interfaces.
func nameLiveInterfaces(src liveSource, p printer) {
	n, ok := p.(interface{ SetInterfaceName(int, string) })
	ifaces := src.Interfaces()
	if !ok || len(ifaces) < 2 {
		return
	}
	for i, iface := range ifaces {
		n.SetInterfaceName(i, iface.Name)
	}
}
