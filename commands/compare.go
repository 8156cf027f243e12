package commands

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/sockscope/sockscope/capture"
	"github.com/sockscope/sockscope/craft"
	"github.com/sockscope/sockscope/craft/compare"
	"github.com/sockscope/sockscope/craft/spec"
)

// defaultRawSpec is the raw kind's header: IPv4 to loopback with protocol
// 253, "use for experimentation and testing" (RFC 3692).
const defaultRawSpec = "ip(dst=127.0.0.1,proto=253)"

// defaultRawSpec6 is defaultRawSpec over IPv6 (--ip6): to ::1, next
// header 253.
const defaultRawSpec6 = "ip6(dst=::1,nh=253)"

func compareCommand() *cli.Command {
	return &cli.Command{
		Name:      "compare",
		Usage:     "send the same messages through raw, stream, datagram and seqpacket sockets and compare what each wrote, put on the wire and read",
		UsageText: "sockscope compare [--messages A,B,C | --count N --size S] [--kinds raw,stream,datagram,seqpacket] [--raw SPEC] [--ip6] [--lab [--loss P] [--delay D] [--reorder P]] [--json] [-w FILE]",
		Description: `For each kind, a receiver and a sender in this process exchange the same
messages over loopback (AF_UNIX for the unix kinds); the receiver reads only
after the sender has finished (--read-delay), so merged stream reads show.
A capture on lo records each IP kind's packets.

With --lab, the IP kinds cross a veth between two network namespaces that
compare makes (sscmpXXXXXXXXa for the senders, sscmpXXXXXXXXb for the
receivers and the capture, XXXXXXXX random) and always removes, also on
Ctrl-C: Ethernet and ARP are real. It makes a namespace only under a name
no namespace has, so it never takes over or removes one it did not make.
A run killed outright (SIGKILL) leaves its lab; the next compare --lab
removes it and says so in one line. --loss P drops P percent of the
packets arriving on each side (an nftables rule in each namespace), so TCP
retransmits and UDP loses.
--delay D holds the packets leaving each side for D, and --reorder P lets P
percent of them skip that delay and overtake the others (tc netem, as
"netem delay D reorder P%"; 10ms when --delay is not given): these need the
kernel's sch_netem, and compare says so and exits 1 where it is missing.

Kinds: raw (IPv4 with the --raw header, IP_HDRINCL), stream (tcp, unix-stream),
datagram (udp, unix-dgram), seqpacket (unix-seqpacket, sctp where the kernel has it).

--ip6 runs the IP kinds over IPv6: on ::1, or with --lab between fd33::1 and
fd33::2 on the veth. The raw kind then sends ip6(dst=::1,nh=253) (with --lab:
` + compare.LabRawSpec6 + `) on an IPv6 raw socket; an IPv6 raw socket never reads
the IPv6 header, so the reads' headers are rebuilt from ancillary data.

The raw kind and the capture need CAP_NET_RAW: without it the other kinds
run, the wire rows stay empty, and a line on stderr says what was skipped;
the exit status is 0 if any kind ran, 1 if none could.

SCTP runs where the kernel has it; elsewhere one line says it was skipped.

Bounds, checked before anything runs (else exit 2): --count 1 to ` + strconv.Itoa(compare.MaxCount) + `
(and --messages at most as many), --size 1 to ` + strconv.Itoa(compare.MaxSize) + `, --count times
--size at most 16 MiB, --read-delay and --delay 0 to 1m, --loss and
--reorder 0 to 100. Within them a run's memory stays bounded.

Examples:
   sudo sockscope compare                        A, B, C through every kind
   sudo sockscope compare --kinds tcp,udp --count 5 --size 100
   sudo sockscope compare --lab --loss 30 --count 200 --kinds stream,datagram
   sudo sockscope compare --ip6 --kinds raw,tcp,udp
   sudo sockscope compare --json | jq '.kinds[] | {name, reads}'`,
		OnUsageError: func(c *cli.Context, err error, isSubcommand bool) error {
			return usageErrorf("compare: %v (see sockscope compare --help)", err)
		},
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "messages", Value: "A,B,C", Usage: "the messages to send, comma separated (\\, for a comma in one), one write each"},
			&cli.IntFlag{Name: "count", Usage: "send `N` messages of --size bytes instead of --messages (1 to " + strconv.Itoa(compare.MaxCount) + "; N times S at most 16 MiB)"},
			&cli.IntFlag{Name: "size", Value: 1, Usage: "with --count, `S` bytes per message (1 to " + strconv.Itoa(compare.MaxSize) + ")"},
			&cli.StringFlag{Name: "kinds", Value: "raw,stream,datagram,seqpacket", Usage: "kinds to run: raw, stream, datagram, seqpacket, or tcp, udp, unix-stream, unix-dgram, unix-seqpacket, sctp"},
			&cli.StringFlag{Name: "raw", Value: defaultRawSpec, Usage: "the raw kind's headers, a craft `SPEC` starting with ip(...) (with --lab: " + compare.LabRawSpec + ")"},
			&cli.DurationFlag{Name: "read-delay", Value: 100 * time.Millisecond, Usage: "the receiver reads `D` after the sender has finished (0 to 1m)"},
			&cli.BoolFlag{Name: "nodelay", Usage: "set TCP_NODELAY on the TCP sender (Nagle's algorithm off)"},
			&cli.BoolFlag{Name: "json", Usage: "print the report as one JSON document"},
			&cli.StringFlag{Name: "w", Usage: "write the captured packets to `FILE` (pcapng)"},
			&cli.BoolFlag{Name: "wide", Usage: "wider columns (more than 120 columns with every kind)"},
			&cli.BoolFlag{Name: "ip6", Usage: "run the IP kinds (raw, tcp, udp) over IPv6: ::1, or fd33::1 and fd33::2 with --lab; the raw kind's default header is " + defaultRawSpec6},
			&cli.BoolFlag{Name: "lab", Usage: "run the IP kinds across a veth between two network namespaces that compare makes and removes, sscmpXXXXXXXXa and b (Ethernet and ARP are real; needs root)"},
			&cli.IntFlag{Name: "loss", Usage: "with --lab, drop `P` percent of the packets arriving on each side (nftables; 0 to 100)"},
			&cli.IntFlag{Name: "reorder", Usage: "with --lab, let `P` percent of the packets overtake the delayed others (tc netem; 0 to 100)"},
			&cli.DurationFlag{Name: "delay", Usage: "with --lab, delay the packets leaving each side by `D` (tc netem; 10ms with --reorder; 0 to 1m)"},
			&cli.BoolFlag{Name: "diagram", Usage: "draw a ladder per kind instead of the table: write() calls, the packets on the wire, read() calls, in time order"},
		},
		Action: func(c *cli.Context) error {
			err := runCompare(c)
			if err != nil && !strings.HasPrefix(err.Error(), "compare") {
				// Each error names the command, as decode's and capture's do.
				var ue *UsageError
				if errors.As(err, &ue) {
					return &UsageError{Err: fmt.Errorf("compare: %w", ue.Err)}
				}
				return fmt.Errorf("compare: %w", err)
			}
			return err
		},
	}
}

func runCompare(c *cli.Context) error {
	if c.NArg() > 0 {
		return usageErrorf("compare takes no arguments, got %q (see sockscope compare --help)", c.Args().First())
	}
	switch {
	case c.IsSet("size") && !c.IsSet("count"):
		return usageErrorf("--size S goes with --count N: N messages of S bytes")
	case c.IsSet("messages") && c.IsSet("count"):
		return usageErrorf("give --messages or --count N --size S, not both")
	case c.Bool("json") && c.Bool("diagram"):
		return usageErrorf("give --json or --diagram, not both")
	}
	if err := checkCompareNumbers(c); err != nil {
		return err
	}
	cfg := compare.Config{ReadDelay: c.Duration("read-delay"), NoDelay: c.Bool("nodelay"),
		// Only the diagram and -w show more of a capture than its first
		// data packet.
		FirstFrameOnly: !c.Bool("diagram") && c.String("w") == ""}
	if c.IsSet("count") {
		cfg.Messages = compare.Messages(c.Int("count"), c.Int("size"))
	} else {
		msgs := splitMessages(c.String("messages"))
		if len(msgs) > compare.MaxCount {
			return usageErrorf("--messages: %d messages, more than %d; give fewer", len(msgs), compare.MaxCount)
		}
		for _, m := range msgs {
			if m == "" {
				return usageErrorf("--messages: an empty message; give non-empty messages such as A,B,C")
			}
			cfg.Messages = append(cfg.Messages, []byte(m))
		}
	}
	kinds, err := compare.ParseKinds(c.String("kinds"))
	if err != nil {
		return usageErrorf("--kinds: %v", err)
	}
	cfg.Kinds = kinds
	cfg.IP6 = c.Bool("ip6")
	rawSpec := c.String("raw")
	switch {
	case c.IsSet("raw"):
	case c.Bool("lab") && cfg.IP6:
		rawSpec = compare.LabRawSpec6 // the lab's own addresses
	case c.Bool("lab"):
		rawSpec = compare.LabRawSpec
	case cfg.IP6:
		rawSpec = defaultRawSpec6
	}
	s, err := spec.Parse(rawSpec)
	if err != nil {
		return usageErrorf("--raw: %v", err)
	}
	// The raw kind sends only to this machine: loopback, or the lab.
	if err := compare.CheckRawSpec(s, cfg.IP6, c.Bool("lab")); err != nil {
		return usageErrorf("--raw: %v", err)
	}
	// -w is made before the run, so that a path that cannot be written is
	// said at once, not after a lab's run.
	var pcap *capture.Output
	if out := c.String("w"); out != "" {
		if pcap, err = capture.CreateOutput(out); err != nil {
			return fmt.Errorf("-w: %w", err)
		}
		defer pcap.Close()
	}
	lab, release, err := compareLab(c)
	if err != nil {
		return err
	}
	if c.Bool("lab") && lab == nil {
		// No lab after all (no privilege): on lo, with loopback's header.
		if c.IsSet("raw") {
			if err := compare.CheckRawSpec(s, cfg.IP6, false); err != nil {
				return usageErrorf("--raw: without the lab, %v", err)
			}
		} else if s, err = spec.Parse(map[bool]string{false: defaultRawSpec, true: defaultRawSpec6}[cfg.IP6]); err != nil {
			return err
		}
	}
	if cfg.Raw, err = craft.Build(s, craft.Options{}); err != nil {
		return usageErrorf("--raw: %v", err)
	}
	var r *compare.Report
	if lab != nil {
		defer release()
		r, err = compare.RunInLab(cfg, lab)
		if cerr := release(); cerr != nil {
			fmt.Fprintln(c.App.ErrWriter, "compare:", cerr)
		}
	} else {
		r, err = compare.Run(cfg)
	}
	if r != nil {
		for _, n := range r.Notes {
			fmt.Fprintln(c.App.ErrWriter, "compare:", n)
		}
		for _, sk := range r.Skipped {
			fmt.Fprintf(c.App.ErrWriter, "compare: %s skipped: %s\n", sk.Name, sk.Reason)
		}
	}
	if errors.Is(err, compare.ErrNothingRan) {
		return err
	}
	if err != nil {
		return err
	}
	if pcap != nil {
		if err := writeCompareFrames(pcap, r); err != nil {
			return err
		}
	}
	if c.Bool("json") {
		return r.WriteJSON(c.App.Writer)
	}
	// A table wider than the terminal comes in groups that fit it (120
	// columns when the output is not a terminal); the diagram takes 80 to
	// 120 columns, as the terminal has.
	width := terminalWidth(os.Stdout, 120)
	if c.Bool("diagram") {
		dw := min(max(terminalWidth(os.Stdout, 80), 80), 120)
		if c.Bool("wide") {
			dw = max(width, 120)
		}
		return r.WriteDiagram(c.App.Writer, dw)
	}
	return r.WriteTableWidth(c.App.Writer, width, c.Bool("wide"))
}

// writeCompareFrames keeps every captured packet of r in a pcapng file,
// kind after kind; a file the disk could not hold keeps its whole packets.
func writeCompareFrames(out *capture.Output, r *compare.Report) error {
	if err := out.StartPcapng([]capture.Interface{{Name: r.Link, LinkType: 1, Snaplen: 262144, TsResolution: time.Nanosecond}}); err != nil {
		return fmt.Errorf("-w: %w", err)
	}
	for _, k := range r.Kinds {
		for _, fr := range k.Frames {
			fr.CI.InterfaceIndex = 0
			if err := out.WritePacket(fr.CI, fr.Data); err != nil {
				return fmt.Errorf("-w: %w", err)
			}
		}
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("-w: %w", err)
	}
	return nil
}

// checkCompareNumbers checks every number compare takes against its
// bound, before anything runs: one line saying the range, exit 2.
func checkCompareNumbers(c *cli.Context) error {
	if c.IsSet("count") {
		n, size := c.Int("count"), c.Int("size")
		if n < 1 || n > compare.MaxCount {
			return usageErrorf("--count must be 1 to %d, got %d", compare.MaxCount, n)
		}
		if size < 1 || size > compare.MaxSize {
			return usageErrorf("--size must be 1 to %d, got %d", compare.MaxSize, size)
		}
		if n*size > compare.MaxBytes {
			return usageErrorf("--count %d --size %d is %d bytes, more than the 16 MiB (%d bytes) compare sends: give fewer or smaller messages",
				n, size, n*size, compare.MaxBytes)
		}
	}
	if d := c.Duration("read-delay"); d < 0 || d > compare.MaxDelay {
		return usageErrorf("--read-delay must be 0 to 1m, got %v", d)
	}
	for _, f := range []string{"loss", "reorder", "delay"} {
		if c.IsSet(f) && !c.Bool("lab") {
			return usageErrorf("--%s impairs the lab's link: give --lab too", f)
		}
	}
	for _, f := range []string{"loss", "reorder"} {
		if p := c.Int(f); p < 0 || p > 100 {
			return usageErrorf("--%s must be a percentage, 0 to 100, got %d", f, p)
		}
	}
	if d := c.Duration("delay"); d < 0 || d > compare.MaxDelay {
		return usageErrorf("--delay must be 0 to 1m, such as 20ms, got %v", d)
	}
	return nil
}

// splitMessages splits --messages at its commas; "\," is a comma inside a
// message and "\\" a backslash.
func splitMessages(s string) []string {
	var msgs []string
	var cur strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s) && (s[i+1] == ',' || s[i+1] == '\\'):
			cur.WriteByte(s[i+1])
			i++
		case s[i] == ',':
			msgs = append(msgs, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(s[i])
		}
	}
	return append(msgs, cur.String())
}

// compareLab reads --lab and its impairments and builds the lab: nil
// without --lab, and nil with a line on stderr when it cannot be built
// (compare then runs on lo what it can). Until release, Ctrl-C or SIGTERM
// removes the lab and ends compare (exit 130); release removes it.
func compareLab(c *cli.Context) (lab *compare.Lab, release func() error, err error) {
	if !c.Bool("lab") {
		return nil, nil, nil
	}
	impair := compare.Impairment{LossPct: c.Int("loss"), ReorderPct: c.Int("reorder"), Delay: c.Duration("delay")}
	// The labs of runs that died (SIGKILL) go first; a live run's stay.
	gone, err := compare.ReclaimLabs()
	for _, line := range gone {
		fmt.Fprintln(c.App.ErrWriter, "compare:", line)
	}
	if err != nil && !errors.Is(err, fs.ErrPermission) {
		// Without root the labs are not ours to reclaim: the lab's own
		// error, next, says so.
		fmt.Fprintln(c.App.ErrWriter, "compare: looking for labs left by runs that ended:", err)
	}
	lab = compare.NewLab(impair)
	sig := make(chan os.Signal, 1)
	done := make(chan struct{})
	signal.Notify(sig, stopSignals...)
	go func() {
		select {
		case s := <-sig:
			lab.Close()
			fmt.Fprintf(c.App.ErrWriter, "compare: %v: lab removed\n", s)
			os.Exit(130)
		case <-done:
		}
	}()
	var once sync.Once
	release = func() error {
		once.Do(func() {
			signal.Stop(sig)
			close(done)
		})
		return lab.Close()
	}
	if err := lab.Build(); err != nil {
		release()
		if errors.Is(err, compare.ErrNoNetem) {
			// Running without the delay or reordering asked for would
			// show a link unlike the one the user wants to see.
			return nil, nil, err
		}
		msg := "compare: %v; running on lo instead\n"
		if impair.LossPct > 0 {
			msg = "compare: %v; running on lo instead, without loss\n"
		}
		fmt.Fprintf(c.App.ErrWriter, msg, err)
		return nil, nil, nil
	}
	return lab, release, nil
}
