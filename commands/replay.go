package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"os/signal"
	"strconv"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v2"

	"github.com/sockscope/sockscope/capture/filter"
	"github.com/sockscope/sockscope/craft/replay"
)

func replayCommand() *cli.Command {
	return &cli.Command{
		Name:  "replay",
		Usage: "send a capture's packets back onto a link, or one of its conversations to a live server",
		UsageText: `sockscope replay -r FILE|- -i IFACE [--speed X | --pps N | --mbps N | --topspeed] [--loop N] [-c N] [--srcmac/--dstmac MAC] [--srcip/--dstip OLD:NEW] [--fixcsum] [--dry-run] [FILTER...]
sockscope replay -r FILE --to HOST:PORT [--flow N] [--exact] [--topspeed] [FILTER...]
sockscope replay -r FILE --flows [FILTER...]`,
		Description: `Every packet of the capture (those the FILTER selects) goes out of IFACE
through a packet socket, bytes unchanged, at the file's own pace: packet n
leaves at start + (its timestamp - the first's) / --speed, by absolute
deadlines, so a long replay does not drift. --pps N and --mbps N pace
evenly instead; --topspeed sends as fast as the link takes (batches of
frames per sendmmsg, past the queueing discipline). -i is required.

Ethernet captures go onto Ethernet (and loopback) interfaces, raw IP ones
onto interfaces without a link header; another pairing is an error. A frame
larger than the interface's MTU is not sent, and counted as failed.

--srcmac and --dstmac set the MACs of Ethernet frames; --srcip and --dstip
OLD:NEW map IPv4 or IPv6 addresses (CIDR maps keep the host bits, the first
map that matches wins, ARP is left alone), updating the IP, TCP, UDP and
ICMPv6 checksums; --fixcsum recomputes every checksum it can. The filter
sees the packets as recorded; those it selects are rewritten, then sent.

--to HOST:PORT replays one TCP or UDP conversation of the file (the first,
or --flow N of those --flows lists) through an ordinary socket: the client's
messages in order, at the recorded gaps unless --topspeed, each live answer
compared with the recorded one (HTTP without its volatile headers, unless
--exact). The report goes to stdout; the exit status is 0 when every answer
is the same, 1 when one differs or is missing.

On a terminal, a progress line on stderr; at the end, a summary on stdout
(on stderr with --dry-run, which prints each packet, as decode does, and
sends nothing).

Examples:
   sudo sockscope replay -r testdata/tcp4.pcap -i veth0
   sudo sockscope replay -r testdata/tcp4.pcap -i veth0 --speed 10 --loop 3
   sudo sockscope replay -r big.pcap -i veth0 --topspeed 'tcp port 80'
   sockscope replay -r testdata/dns.pcap --dry-run udp
   sockscope replay -r testdata/http.pcap --flows
   sockscope replay -r testdata/http.pcap --to 127.0.0.1:8080 --flow 2`,
		OnUsageError: func(c *cli.Context, err error, isSubcommand bool) error {
			return usageErrorf("replay: %v (see sockscope replay --help)", err)
		},
		Flags: []cli.Flag{
			filterFileFlag(),
			&cli.StringFlag{Name: "r", Usage: "read packets from `FILE` (pcap or pcapng; - for standard input)"},
			&cli.StringFlag{Name: "i", Usage: "send on `IFACE`"},
			&cli.Float64Flag{Name: "speed", DefaultText: "1, as recorded", Usage: "multiply the file's pace by `X` (2: twice as fast)"},
			&cli.Float64Flag{Name: "pps", DefaultText: "the file's pace", Usage: "send `N` packets a second, evenly"},
			&cli.Float64Flag{Name: "mbps", DefaultText: "the file's pace", Usage: "send `N` megabits a second"},
			&cli.BoolFlag{Name: "topspeed", Usage: "send as fast as the link takes (tcpreplay's -t: -t is decode's timestamps here)"},
			&cli.IntFlag{Name: "loop", DefaultText: "1", Usage: "send the file `N` times (1 or more; standard input is copied to a temporary file for it)"},
			&cli.IntFlag{Name: "c", DefaultText: "all", Usage: "stop after `N` packets (1 or more)"},
			&cli.BoolFlag{Name: "dry-run", Usage: "print what would be sent (decode's one-line output) and send nothing"},
			&cli.StringFlag{Name: "srcmac", Usage: "set the source MAC of every Ethernet frame to `MAC`"},
			&cli.StringFlag{Name: "dstmac", Usage: "set the destination MAC of every Ethernet frame to `MAC`"},
			&cli.StringSliceFlag{Name: "srcip", Usage: "map source addresses `OLD:NEW` (10.0.0.1:10.9.9.9, 10.0.0.0/8:192.168.0.0/16, [2001:db8::/32]:[fd00::/32]); repeat for more"},
			&cli.StringSliceFlag{Name: "dstip", Usage: "map destination addresses `OLD:NEW`, as --srcip"},
			&cli.BoolFlag{Name: "fixcsum", Usage: "recompute the IPv4, TCP, UDP, ICMP and ICMPv6 checksums of every packet"},
			&cli.BoolFlag{Name: "flows", Usage: "list the file's TCP and UDP conversations with their numbers, and send nothing"},
			&cli.StringFlag{Name: "to", Usage: "replay one conversation's client side to the live server `HOST:PORT` and compare its answers with the recorded ones"},
			&cli.IntFlag{Name: "flow", DefaultText: "the first", Usage: "with --to, the conversation `N` (--flows lists them; default the first)"},
			&cli.BoolFlag{Name: "exact", Usage: "with --to, compare answers byte for byte (HTTP answers are otherwise compared without Date, Age, Expires, Last-Modified, ETag)"},
			&cli.StringSliceFlag{Name: "ignore-header", Usage: "with --to, leave the HTTP header `NAME` out of the comparison too; repeat for more"},
			&cli.DurationFlag{Name: "timeout", Value: replay.DefaultAnswerTimeout, Usage: "with --to, wait `D` at most for an answer"},
			displayFlags()[0],
		},
		Action: runReplay,
	}
}

func runReplay(c *cli.Context) error {
	path := c.String("r")
	if path == "" {
		return usageErrorf("replay: -r FILE is required: the capture to replay, or - for standard input")
	}
	if c.Bool("flows") {
		return listFlows(c, path)
	}
	if c.IsSet("to") {
		return converse(c, path)
	}
	for _, f := range []string{"flow", "exact", "ignore-header", "timeout"} {
		if c.IsSet(f) {
			return usageErrorf("replay: --%s is for a conversation replay: give --to HOST:PORT too", f)
		}
	}
	opt := replay.Options{
		Interface: c.String("i"),
		Speed:     c.Float64("speed"),
		PPS:       c.Float64("pps"),
		Mbps:      c.Float64("mbps"),
		TopSpeed:  c.Bool("topspeed"),
		Loop:      c.Int("loop"),
		Count:     c.Int("c"),
	}
	paces := 0
	for _, f := range []string{"speed", "pps", "mbps", "topspeed"} {
		if c.IsSet(f) {
			paces++
		}
	}
	switch {
	case paces > 1:
		return usageErrorf("replay: give one of --speed, --pps, --mbps and --topspeed")
	case !rate(c, "speed") || !rate(c, "pps") || !rate(c, "mbps"):
		return usageErrorf("replay: --speed, --pps and --mbps take a number above 0, such as 2 or 0.5")
	case c.IsSet("loop") && opt.Loop < 1:
		return usageErrorf("replay: --loop %d: give how many times to send the file, 1 or more", opt.Loop)
	case positiveCount(c, "replay", "c") != nil:
		return positiveCount(c, "replay", "c")
	case opt.Interface == "" && !c.Bool("dry-run"):
		return usageErrorf("replay: -i IFACE is required: the interface to send on (sockscope interfaces lists them)")
	}
	expr, ok, err := filterExpression(c)
	if err != nil {
		return err
	}
	if ok {
		opt.Filter = expr
	}
	df, err := compileDisplay(c)
	if err != nil {
		return err
	}
	opt.Display = df
	rw, err := replayRewrite(c)
	if err != nil {
		return err
	}
	if !rw.Empty() {
		opt.Rewrite = rw
	}
	summaryTo := c.App.Writer
	if c.Bool("dry-run") {
		opt.DryRun = c.App.Writer
		summaryTo = c.App.ErrWriter
	}
	var bar *progressbar.ProgressBar
	if f, ok := c.App.ErrWriter.(*os.File); ok && isatty.IsTerminal(f.Fd()) && !c.Bool("dry-run") {
		opt.Progress = func(p replay.Progress) {
			if bar == nil {
				bar = newReplayBar(f, p.Total, p.Left < 0)
			}
			if p.Left >= 0 {
				// The pace says when the replay ends; a rate cannot
				// (an hour-long gap in a file).
				bar.Describe("replay, " + p.Left.Round(time.Second).String() + " left")
			}
			bar.Set64(p.Packets + p.Failed)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), stopSignals...)
	defer stop()
	sum, err := replay.File(ctx, path, opt)
	if bar != nil {
		bar.Finish() // and clears the line, for the summary
	}
	var fe *filter.Error
	if errors.As(err, &fe) {
		return &UsageError{Err: fe}
	}
	if sum.Packets > 0 || sum.Failed > 0 || err == nil {
		io.WriteString(summaryTo, sum.String())
	}
	if err != nil {
		return err
	}
	if ctx.Err() != nil {
		return errors.New("replay: interrupted; the summary above counts what was sent")
	}
	return nil
}

// listFlows prints the conversations of the file (those of the packets the
// filter selects), numbered for --flow.
func listFlows(c *cli.Context, path string) error {
	if err := onlyForLink(c, "--flows lists conversations and sends nothing"); err != nil {
		return err
	}
	for _, f := range []string{"to", "flow", "exact", "ignore-header", "timeout", "topspeed"} {
		if c.IsSet(f) {
			return usageErrorf("replay: --flows lists conversations and sends nothing; %s is for --to", flagName(f))
		}
	}
	expr, _, err := filterExpression(c)
	if err != nil {
		return err
	}
	df, err := compileDisplay(c)
	if err != nil {
		return err
	}
	flows, origin, err := replay.ListFlows(path, replay.Selector{Filter: expr, Display: df})
	if err != nil {
		return replayError(err)
	}
	return replay.WriteFlows(c.App.Writer, flows, origin)
}

// converse replays one conversation to a live server and reports, answer
// by answer, how the live answers compare: exit 0 when all are the same, 1
// when any differ or are missing.
func converse(c *cli.Context, path string) error {
	if err := onlyForLink(c, "--to replays a conversation through an ordinary socket"); err != nil {
		return err
	}
	if c.IsSet("flow") && c.Int("flow") < 1 {
		return usageErrorf("replay: --flow %d: conversations are numbered from 1 (--flows lists them)", c.Int("flow"))
	}
	if c.Duration("timeout") <= 0 {
		return usageErrorf("replay: --timeout takes a duration above 0, such as 5s")
	}
	host, port, err := net.SplitHostPort(c.String("to"))
	if p, perr := strconv.ParseUint(port, 10, 16); err != nil || host == "" || perr != nil || p == 0 {
		return usageErrorf("replay: --to %q: want the live server as HOST:PORT, such as 10.0.0.2:80 or [fd00::2]:53", c.String("to"))
	}
	expr, _, err := filterExpression(c)
	if err != nil {
		return err
	}
	df, err := compileDisplay(c)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), stopSignals...)
	defer stop()
	rep, err := replay.Converse(ctx, path, replay.Selector{Flow: c.Int("flow"), Filter: expr, Display: df}, replay.ConverseOptions{
		To:            c.String("to"),
		TopSpeed:      c.Bool("topspeed"),
		Exact:         c.Bool("exact"),
		IgnoreHeaders: c.StringSlice("ignore-header"),
		Timeout:       c.Duration("timeout"),
	})
	if ctx.Err() != nil {
		// Ctrl-C: what was compared so far, then say it was cut short.
		if rep != nil {
			rep.WriteText(c.App.Writer)
		}
		return errors.New("replay: interrupted; the report above stops where the conversation was")
	}
	if err != nil {
		return replayError(err)
	}
	if err := rep.WriteText(c.App.Writer); err != nil {
		return err
	}
	if !rep.Matched() {
		n := rep.Counts()
		return fmt.Errorf("replay: the live answers are not the recorded ones (%d differ, %d missing, %d extra)", n[replay.Differs], n[replay.Missing], n[replay.Extra])
	}
	return nil
}

// onlyForLink refuses the flags of a replay onto an interface in another
// form of the command, which what says.
func onlyForLink(c *cli.Context, what string) error {
	for _, f := range []string{"i", "speed", "pps", "mbps", "loop", "c", "srcmac", "dstmac", "srcip", "dstip", "fixcsum", "dry-run"} {
		if c.IsSet(f) {
			return usageErrorf("replay: %s; %s is for a replay onto an interface", what, flagName(f))
		}
	}
	return nil
}

// flagName is a flag as the user types it: -i, --speed.
func flagName(f string) string {
	if len(f) == 1 {
		return "-" + f
	}
	return "--" + f
}

// replayError makes a bad filter or a conversation the file does not have
// a usage error.
func replayError(err error) error {
	var fe *filter.Error
	var flowErr *replay.FlowError
	if errors.As(err, &fe) || errors.As(err, &flowErr) {
		return &UsageError{Err: err}
	}
	return err
}

// rate says whether the float flag name, if given, is a usable rate: a
// finite number above 0.
func rate(c *cli.Context, name string) bool {
	v := c.Float64(name)
	return !c.IsSet(name) || (v > 0 && !math.IsInf(v, 0) && !math.IsNaN(v))
}

// replayRewrite reads the rewriting flags.
func replayRewrite(c *cli.Context) (*replay.Rewrite, error) {
	rw := &replay.Rewrite{FixChecksums: c.Bool("fixcsum")}
	for _, m := range []struct {
		flag string
		to   *net.HardwareAddr
	}{{"srcmac", &rw.SrcMAC}, {"dstmac", &rw.DstMAC}} {
		if !c.IsSet(m.flag) {
			continue
		}
		mac, err := net.ParseMAC(c.String(m.flag))
		if err != nil || len(mac) != 6 {
			return nil, usageErrorf("replay: --%s %q: want an Ethernet MAC such as 02:00:00:00:00:01", m.flag, c.String(m.flag))
		}
		*m.to = mac
	}
	for _, m := range []struct {
		flag string
		to   *[]replay.AddrMap
	}{{"srcip", &rw.SrcIP}, {"dstip", &rw.DstIP}} {
		for _, v := range c.StringSlice(m.flag) {
			am, err := replay.ParseAddrMap(v)
			if err != nil {
				return nil, usageErrorf("replay: --%s: %v", m.flag, err)
			}
			*m.to = append(*m.to, am)
		}
	}
	return rw, nil
}

// newReplayBar is the progress line: packets, rate, elapsed and, when the
// total is known, the time left: the bar's guess from the rate when
// predict is set, else the pace's own, in the description.
func newReplayBar(w io.Writer, total int64, predict bool) *progressbar.ProgressBar {
	return progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("replay"),
		progressbar.OptionSetItsString("pkt"),
		progressbar.OptionShowIts(),
		progressbar.OptionShowCount(),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetPredictTime(predict && total > 0),
		progressbar.OptionSetWidth(20),
		progressbar.OptionThrottle(100_000_000),
		progressbar.OptionClearOnFinish(),
	)
}
