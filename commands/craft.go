package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/google/gopacket"
	"github.com/urfave/cli/v2"

	"github.com/sockscope/sockscope/capture"
	"github.com/sockscope/sockscope/craft"
	"github.com/sockscope/sockscope/craft/spec"
	"github.com/sockscope/sockscope/decode"
	"github.com/sockscope/sockscope/decode/wire"
)

func craftCommand() *cli.Command {
	return &cli.Command{
		Name:      "craft",
		Usage:     "build packets with the headers you write and send them through raw sockets",
		UsageText: "sockscope craft [-i IFACE] [-c N --interval D --rate PPS --flood --wait D -w FILE --dry-run] SPEC",
		Description: `SPEC is layers joined by / as in scapy, each with the fields you set; the rest get
sane defaults (lengths, checksums, protocol numbers, source address from the routing table).
A field you set is kept exactly, even when it is wrong. SPEC is the trailing arguments joined
with spaces; quote it for the shell.

Layers: ether(dst,src,type) vlan(id,prio,dei,type) arp(op,hwsrc,psrc,hwdst,pdst,...)
  ip(src,dst,ttl,tos,id,flags=DF|MF,frag,proto,len,chksum,ihl,version,options=[nop,ra,rr=3])
  ip6(src,dst,hlim,tc,fl,nh,plen) hbh(nh,len,options=[padn=4,ra=0]) dstopts(...)
  rh(nh,len,type,segleft,addrs=[fd00::1]) frag6(nh,offset,m,id)
  icmp(type=echo-request,code,id,seq,chksum,gw,mtu) icmp6(type,code,id,seq,chksum,mtu,target,lladdr,flags)
  tcp(sport,dport,seq,ack,flags=SA,win,urp,chksum,dataofs,reserved,options=[mss=1460,sackok,wscale=7,ts=1:0,nop,eol])
  udp(sport,dport,len,chksum) dns(qname,qtype=AAAA,qclass,id,rd,...)
Payloads: "text" (escapes \n \t \xHH), hex:0a0b0c, fill(N), fill(N,0x41).

Limits: a number is decimal or 0x hex within its field (ttl 0-255, ports 0-65535, ihl and
dataofs 0-15...); a payload is at most 65535 bytes, a spec at most 1024 layers, 66560 bytes
in all and 1 MiB of text. Options past what a header's length counts (ip and tcp: 40 bytes,
hbh and dstopts: 2046, rh: 127 addresses) are refused unless you set that length (ihl=,
dataofs=, len=): then every byte is written, past the header's end as you asked.

Examples:
   sockscope craft --dry-run 'ip(dst=10.0.0.2,ttl=3)/tcp(dport=80,flags=S,options=[mss=1460,sackok,wscale=7])'
   sockscope craft --dry-run -c 3 'ip(dst=192.0.2.1)/icmp(type=echo-request)/fill(56)'
   sockscope craft --dry-run 'ip6(dst=fd00::2)/frag6(m=1,id=7)/udp(dport=53)/dns(qname=example.com,qtype=AAAA)'
   sockscope craft --dry-run -i eth0 'ether(dst=ff:ff:ff:ff:ff:ff)/arp(pdst=10.0.0.1)'
   sockscope craft --dry-run -w probes.pcap 'ip(dst=10.0.0.2)/udp(dport=9,chksum=0x1234)/"hello\n"'
   sockscope craft -c 3 --wait 1s 'ip(dst=10.0.0.2)/icmp/fill(56)'          ping, with the headers you wrote
   sockscope craft -i eth0 --flood -c 1000000 'ether(dst=02:00:00:00:00:02)/ip(dst=10.0.0.2)/udp(dport=9)/fill(18)'
   printf 'one\ntwo\n' | sockscope craft --header 'ip(dst=10.0.0.2)/udp(dport=5005)'

Sending needs CAP_NET_RAW. A spec at ip or ip6 goes out of a raw IP socket (bound to -i when
given), one at ether out of a packet socket on -i (or the route's interface). Ctrl-C stops.`,
		UseShortOptionHandling: true,
		OnUsageError: func(c *cli.Context, err error, isSubcommand bool) error {
			return usageErrorf("craft: %v (see sockscope craft --help)", err)
		},
		Flags: append([]cli.Flag{
			&cli.BoolFlag{Name: "dry-run", Usage: "print each packet (decode's line and a hex dump) and send nothing; needs no privilege"},
			&cli.IntFlag{Name: "c", Value: 1, Usage: "send `N` packets, 1 to 1000000000 (default 1; with --flood, until interrupted); ip id and icmp seq count up from the spec's value or the default (seq=5! keeps 5)"},
			&cli.StringFlag{Name: "i", Usage: "the interface to send on (`IFACE`); its MAC is ether's default src"},
			&cli.StringFlag{Name: "w", Usage: "write the packets sent to `FILE` (pcap; - for standard output)"},
			&cli.DurationFlag{Name: "interval", Usage: "wait `D` between packets, 0 to 1h (default 1s when -c is more than 1, as ping)"},
			&cli.Float64Flag{Name: "rate", Usage: "send `PPS` packets a second, 0.001 to 1000000000"},
			&cli.BoolFlag{Name: "flood", Usage: "send as fast as the link takes, in batches, until -c packets or interrupted"},
			&cli.DurationFlag{Name: "wait", Usage: "listen `D` (0 to 1h) after the last packet for replies and print them with their rtt; it keeps each probe, so -c at most 1000000"},
			&cli.BoolFlag{Name: "header", Usage: "send each line of standard input as the payload under SPEC's headers, ip id, icmp seq and tcp seq counting on"},
			&cli.IntFlag{Name: "chunk", Usage: "with --header, `N` bytes per packet (1 to 65535) instead of a line (at most 65535 bytes)"},
			&cli.StringFlag{Name: "listen", Usage: "print what a raw socket for `PROTO` receives (icmp, tcp, udp, a number; --ip6 for IPv6)"},
			&cli.BoolFlag{Name: "ip6", Usage: "with --listen, a raw IPv6 socket"},
		}, outputFlags()...),
		Action: runCraft,
	}
}

// defaultInterval is the time between packets of -c N without --rate or
// --flood: ping's second.
const defaultInterval = time.Second

// The bounds of craft's numbers, checked before anything is opened or sent.
const (
	maxCount    = 1_000_000_000 // -c: 250 s of a 4 Mpps flood; --flood without -c runs until stopped
	maxInterval = time.Hour     // --interval and --wait
	minRate     = 0.001         // --rate: one packet in 1000 s
	maxRate     = 1e9
	// maxWaitProbes bounds the probes of a run with --wait, which keeps
	// each (some 300 bytes) to match its replies: 300 MB at most.
	maxWaitProbes = 1_000_000
)

// checkNumbers refuses a number of craft's flags outside its bound.
func checkNumbers(c *cli.Context) error {
	count, chunk := c.Int("c"), c.Int("chunk")
	interval, wait, rate := c.Duration("interval"), c.Duration("wait"), c.Float64("rate")
	switch {
	case c.IsSet("c") && (count < 1 || count > maxCount):
		return usageErrorf("craft: -c %d: give a packet count from 1 to %d", count, maxCount)
	case c.IsSet("interval") && (interval < 0 || interval > maxInterval):
		return usageErrorf("craft: --interval %v: give a time from 0 to 1h", interval)
	case c.IsSet("wait") && (wait < 0 || wait > maxInterval):
		return usageErrorf("craft: --wait %v: give a time from 0 to 1h", wait)
	case c.IsSet("rate") && !(rate >= minRate && rate <= maxRate): // NaN too
		return usageErrorf("craft: --rate %v: give packets a second from %v to %d", rate, minRate, int(maxRate))
	case c.IsSet("chunk") && (chunk < 1 || chunk > spec.MaxPayload):
		return usageErrorf("craft: --chunk %d: give the bytes per packet, from 1 to %d", chunk, spec.MaxPayload)
	case c.IsSet("wait") && c.IsSet("c") && count > maxWaitProbes:
		return usageErrorf("craft: -c %d with --wait: at most %d probes (--wait keeps each, some 300 bytes, to match its replies)", count, maxWaitProbes)
	case c.IsSet("wait") && c.Bool("flood") && !c.IsSet("c"):
		return usageErrorf("craft: --flood with --wait needs -c N, at most %d (--wait keeps each probe to match its replies)", maxWaitProbes)
	}
	return nil
}

// errTooManyProbes ends a --header --wait run without -c at maxWaitProbes.
var errTooManyProbes = fmt.Errorf("--wait keeps each probe to match its replies, at most %d: standard input has more lines; give -c N, or send without --wait", maxWaitProbes)

// atMost is next that ends with errTooManyProbes when there is more than n
// payloads.
func atMost(n int, next func() ([]byte, error)) func() ([]byte, error) {
	seen := 0
	return func() ([]byte, error) {
		p, err := next()
		if err == nil {
			if seen++; seen > n {
				return nil, errTooManyProbes
			}
		}
		return p, err
	}
}

func runCraft(c *cli.Context) error {
	if err := checkNumbers(c); err != nil {
		return err
	}
	if c.IsSet("listen") {
		return runListen(c, c.String("listen"))
	}
	header, chunk := c.Bool("header"), c.Int("chunk")
	if c.IsSet("chunk") && !header {
		return usageErrorf("craft: --chunk cuts standard input for --header: add --header")
	}
	if c.NArg() == 0 {
		return usageErrorf("craft: a SPEC is required, as 'ip(dst=10.0.0.2)/tcp(dport=80)' (see sockscope craft --help)")
	}
	run, err := craftRun(c)
	if err != nil {
		return err
	}
	s, err := spec.Parse(strings.Join(c.Args().Slice(), " "))
	if err != nil {
		return specError(err)
	}
	dry := c.Bool("dry-run")
	if dry && c.IsSet("wait") {
		return usageErrorf("craft: --dry-run sends nothing, so there is nothing to --wait for; drop one of them")
	}
	if header && !c.IsSet("c") {
		run.Count = 0 // until the end of standard input
	}
	if header && !c.IsSet("interval") && !c.IsSet("rate") {
		run.Every = 0 // as the stream comes
	}
	if dry && run.Count == 0 && !header {
		return usageErrorf("craft: --dry-run --flood prints packets until -c N of them; give -c")
	}
	iface := c.String("i")
	opt := craft.Options{}
	if iface != "" {
		ifc, err := net.InterfaceByName(iface)
		if err != nil {
			return usageErrorf("craft: -i %s: no such interface (sockscope interfaces lists them)", iface)
		}
		opt.IfaceMAC = ifc.HardwareAddr
		// The source address of the interface the packets leave by.
		opt.Source = craft.KernelHops{Iface: iface}
	}
	// A dry run only looks in the neighbour table; a send asks the link.
	hops := craft.KernelHops{Iface: iface}
	if !dry {
		hops.Timeout = neighbourTimeout
	}
	opt.Hops = hops
	b, err := craft.Build(s, opt)
	if err != nil {
		return specError(err)
	}
	for _, n := range b.Notes() {
		fmt.Fprintf(os.Stderr, "sockscope: craft: note: %s\n", n)
	}
	var stream func() ([]byte, error)
	if header {
		stream = craft.Chunks(os.Stdin, chunk)
		if c.IsSet("wait") && run.Count == 0 {
			stream = atMost(maxWaitProbes, stream)
		}
	}
	if dry && header {
		var off uint32
		return dryRunOf(b, func(i int) ([]byte, error) {
			if run.Count > 0 && i >= run.Count {
				return nil, io.EOF
			}
			payload, err := stream()
			if err != nil {
				return nil, err
			}
			pkt, err := b.HeaderPacket(i, payload, off)
			off += uint32(len(payload))
			return pkt, specError(err)
		}, c.String("w"))
	}
	if dry {
		return dryRun(b, run.Count, c.String("w"))
	}
	return send(c, b, hops, run, stream)
}

// neighbourTimeout is how long a send waits for the next hop to answer ARP
// or neighbour discovery when the neighbour table has no MAC for it.
const neighbourTimeout = time.Second

// craftRun reads the count and pace of a run from -c, --interval, --rate
// and --flood.
func craftRun(c *cli.Context) (craft.Run, error) {
	var r craft.Run
	flood, rate, interval := c.Bool("flood"), c.Float64("rate"), c.Duration("interval")
	switch {
	case flood && (c.IsSet("rate") || c.IsSet("interval")):
		return r, usageErrorf("craft: --flood sends as fast as the link takes: drop --rate and --interval, or --flood")
	case c.IsSet("rate") && c.IsSet("interval"):
		return r, usageErrorf("craft: --rate and --interval both set the pace: give one")
	}
	r.Count = c.Int("c") // in its bounds: checkNumbers
	switch {
	case flood:
		if !c.IsSet("c") {
			r.Count = 0 // until interrupted
		}
	case c.IsSet("rate"):
		r.Every = time.Duration(float64(time.Second) / rate)
	case c.IsSet("interval"):
		r.Every = interval
	default:
		r.Every = defaultInterval
	}
	return r, nil
}

// send sends the packets of b as r says, until done or interrupted (Ctrl-C,
// SIGTERM: a clean stop), and says on stderr how many went out; with --wait,
// the replies and ping's summary instead.
func send(c *cli.Context, b *craft.Builder, hops craft.HopFinder, r craft.Run, stream func() ([]byte, error)) error {
	t, notes, err := craft.TargetFor(b, c.String("i"), hops)
	if err != nil {
		if errors.Is(err, craft.ErrNeedInterface) {
			return usageErrorf("craft: %v", err)
		}
		return fmt.Errorf("craft: %w", err)
	}
	for _, n := range notes {
		fmt.Fprintf(os.Stderr, "sockscope: craft: note: %s\n", n)
	}
	ctx, stop := signal.NotifyContext(context.Background(), stopSignals...)
	defer stop()

	first := b.Packet(0)
	sender, err := craft.Open(t, first)
	if err != nil {
		return fmt.Errorf("craft: %w", err)
	}
	defer sender.Close()

	var rec *capture.Output
	if out := c.String("w"); out != "" {
		if rec, err = createPcap(out, b.LinkType()); err != nil {
			return err
		}
		defer rec.Close()
	}
	var waiter replyWaiter
	if wait := c.Duration("wait"); wait > 0 {
		waiter, err = newReplyWaiter(c, t.Link == wire.LinkEthernet, t.Iface, t.IPv6)
		if err != nil {
			return err
		}
		defer waiter.Close()
	}
	var recErr error
	if rec != nil || waiter != nil {
		r.Sent = func(pkt []byte, at time.Time) {
			if rec != nil && recErr == nil {
				recErr = record(rec, pkt, at)
			}
			if waiter != nil {
				waiter.Sent(pkt, at)
			}
		}
	}
	var n int
	if stream != nil {
		n, err = sender.SendStream(ctx, b, stream, r)
	} else {
		n, err = sender.Send(ctx, b, r)
	}
	if err != nil {
		if n > 0 {
			fmt.Fprintf(os.Stderr, "sockscope: craft: %s sent before the error\n", packets(n))
		}
		return fmt.Errorf("craft: %w", err)
	}
	if recErr != nil {
		return recErr
	}
	if rec != nil {
		if err := closePcap(rec); err != nil {
			return err
		}
	}
	if waiter != nil {
		// Interrupted: the summary at once, as ping's.
		wait := c.Duration("wait")
		if ctx.Err() != nil {
			wait = 0
		}
		return waiter.Finish(wait)
	}
	fmt.Fprintf(os.Stderr, "%s sent\n", packets(n))
	return nil
}

func packets(n int) string {
	if n == 1 {
		return "1 packet"
	}
	return fmt.Sprintf("%d packets", n)
}

// createPcap creates the -w file of craft: the packets as they went out
// (or, for a dry run, as they were built).
func createPcap(name string, link wire.LinkType) (*capture.Output, error) {
	out, err := capture.CreateOutput(name)
	if err != nil {
		return nil, fmt.Errorf("craft: %w", err)
	}
	if err := out.StartPcap(link, 0, false); err != nil {
		out.Close()
		return nil, fmt.Errorf("craft: %w", err)
	}
	return out, nil
}

// record writes a packet sent (or built) at at into the -w file.
func record(out *capture.Output, pkt []byte, at time.Time) error {
	ci := gopacket.CaptureInfo{Timestamp: at, CaptureLength: len(pkt), Length: len(pkt)}
	if err := out.WritePacket(ci, pkt); err != nil {
		return fmt.Errorf("craft: %w", err)
	}
	return nil
}

// closePcap closes the -w file, its error said as craft's.
func closePcap(out *capture.Output) error {
	if err := out.Close(); err != nil {
		return fmt.Errorf("craft: %w", err)
	}
	return nil
}

// specError makes a bad spec a usage error (exit status 2), printed as
// "spec: ... at column N", the spec and a caret under the column.
func specError(err error) error {
	var se *spec.Error
	if errors.As(err, &se) {
		return &UsageError{Err: se}
	}
	return err
}

// dryRun prints count packets of b as decode -X prints them, and writes them
// to the pcap out when it is given ("-": standard output, then it prints nothing).
func dryRun(b *craft.Builder, count int, out string) error {
	return dryRunOf(b, func(i int) ([]byte, error) {
		if i >= count {
			return nil, io.EOF
		}
		return b.Packet(i), nil
	}, out)
}

// dryRunOf is dryRun of the packets next gives, until io.EOF.
func dryRunOf(b *craft.Builder, next func(i int) ([]byte, error), out string) error {
	var p *decode.Printer
	if out != "-" {
		p = decode.NewPrinter(os.Stdout, decode.Options{HexASCII: 1})
	}
	var rec *capture.Output
	if out != "" {
		var err error
		if rec, err = createPcap(out, b.LinkType()); err != nil {
			return err
		}
		defer rec.Close()
	}
	for i := 0; ; i++ {
		data, err := next(i)
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		ci := gopacket.CaptureInfo{Timestamp: time.Now(), CaptureLength: len(data), Length: len(data)}
		if p != nil {
			if err := p.Print(data, ci, b.LinkType()); err != nil {
				return fmt.Errorf("craft: %w", err)
			}
		}
		if rec != nil {
			if err := record(rec, data, ci.Timestamp); err != nil {
				return err
			}
		}
	}
	if p != nil {
		if err := p.Flush(); err != nil {
			return fmt.Errorf("craft: %w", err)
		}
	}
	if rec != nil {
		return closePcap(rec)
	}
	return nil
}
