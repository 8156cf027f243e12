package commands

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/sockscope/sockscope/capture"
	"github.com/sockscope/sockscope/craft"
	"github.com/sockscope/sockscope/craft/spec"
	"github.com/sockscope/sockscope/decode/wire"
)

// replyWaiter listens for the replies to the probes craft sends (--wait):
// it prints each reply that answers a probe as decode's one-line output
// followed by "rtt X.XXX ms", and at the end a summary in ping's words.
type replyWaiter interface {
	// Sent records a probe as it went out: from the Ethernet header when
	// the send is at layer 2, else from the IP header.
	Sent(pkt []byte, at time.Time)
	// Finish waits up to wait after the last probe for replies still due,
	// then prints the summary.
	Finish(wait time.Duration) error
	// Close releases the listening socket.
	Close() error
}

// Why a packet capture (AF_PACKET, capture.OpenLive) rather than raw IP
// sockets: one socket sees every kind of answer (TCP, UDP, ICMP errors from
// routers, ARP and ND, which no raw IP socket gets), replies to a source
// address the probe spoofed on the link, and a kernel timestamp per packet
// for the rtt. A filter compiled from the spec (craft.ReplyFilter) runs in
// the kernel, so that only the few packets that may be replies are queued.

// waitBufferSize is the ring of the reply capture: room for some 50,000
// small replies while the printer is slow (a flood's replies come as fast as
// its probes).
const waitBufferSize = 8 << 20

// replyFlushEvery is how often printed replies are flushed to the output:
// one write per reply would cost a flood of replies a system call each.
const replyFlushEvery = 20 * time.Millisecond

// waitBlockTimeout is how long the kernel holds a partly filled ring block:
// a reply is printed at most this much after it came (its rtt is measured
// by the kernel's timestamp, whatever the delay).
const waitBlockTimeout = 10 * time.Millisecond

// newReplyWaiter opens the listener before the first probe is sent. l2 is
// whether probes go out of an AF_PACKET socket on iface (else a raw IP
// socket; iface may still be set with -i); ip6 whether they are IPv6.
func newReplyWaiter(c *cli.Context, l2 bool, iface string, ip6 bool) (replyWaiter, error) {
	return openReplyWaiter(c, l2, iface, ip6, os.Stdout)
}

// openReplyWaiter is newReplyWaiter printing to out.
func openReplyWaiter(c *cli.Context, l2 bool, iface string, ip6 bool, out io.Writer) (*captureWaiter, error) {
	name := iface
	if name == "" {
		name = capture.AnyInterface
	}
	var s *spec.Spec
	if c.NArg() > 0 {
		s, _ = spec.Parse(strings.Join(c.Args().Slice(), " "))
	}
	expr, peer := craft.ReplyFilter(s)
	if expr == "" {
		expr = "inbound and (ip or arp)"
		if ip6 {
			expr = "inbound and ip6"
		}
	}
	cfg := capture.LiveConfig{
		Interface:  name,
		NoPromisc:  !l2, // at layer 2 the probe's source may not be ours
		BufferSize: waitBufferSize,
		Timeout:    waitBlockTimeout,
	}
	link, err := capture.LinkTypeOf(name)
	if errors.Is(err, capture.ErrUnknownInterface) {
		return nil, usageErrorf("craft: -i %s: %w", name, err)
	}
	if err != nil {
		return nil, fmt.Errorf("craft: --wait: %w", err)
	}
	if err := cfg.SetFilter(expr, link); err != nil {
		return nil, fmt.Errorf("craft: --wait: the reply filter %q: %w", expr, liveFilterError("capture", err))
	}
	src, err := capture.OpenLive(cfg)
	if errors.Is(err, capture.ErrUnknownInterface) {
		return nil, usageErrorf("craft: %w", err)
	}
	if err != nil {
		return nil, fmt.Errorf("craft: --wait: %w", err)
	}
	if w := src.Warning(); w != "" {
		fmt.Fprintf(os.Stderr, "sockscope: warning: %s\n", w)
	}
	rp, err := newReplyPrinter(c, out)
	if err != nil {
		src.Close()
		return nil, err
	}
	probeLink := wire.LinkRaw
	if l2 {
		probeLink = wire.LinkEthernet
	}
	rp.flushEvery(replyFlushEvery)
	w := &captureWaiter{src: src, out: rp, peer: peer}
	w.w = craft.NewWaiter(src, src.LinkType(0), probeLink, rp.reply)
	return w, nil
}

// captureWaiter is the replyWaiter of craft --wait: a live capture read by
// a craft.Waiter, whose answers a replyPrinter prints.
type captureWaiter struct {
	src    *capture.Live
	w      *craft.Waiter
	out    *replyPrinter
	peer   netip.Addr // where the probes went, for the summary's title
	closed sync.Once
}

func (cw *captureWaiter) Sent(pkt []byte, at time.Time) { cw.w.Sent(pkt, at) }

// Finish waits for the replies still due (an interrupt cuts the wait short,
// as in ping) and prints the summary.
func (cw *captureWaiter) Finish(wait time.Duration) error {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, stopSignals...)
	defer func() {
		signal.Stop(sigs)
		close(sigs)
	}()
	stop := make(chan struct{})
	go func() {
		if _, ok := <-sigs; ok {
			close(stop)
		}
	}()
	stats, err := cw.w.Finish(wait, stop)
	if err != nil {
		return fmt.Errorf("craft: --wait: %w", err)
	}
	return cw.out.summary(cw.peer, stats)
}

func (cw *captureWaiter) Close() error {
	var err error
	cw.closed.Do(func() {
		cw.w.Close()
		err = cw.src.Close()
		if ferr := cw.out.end(); err == nil {
			err = ferr
		}
	})
	return err
}

// replyPrinter prints each answer as decode prints a packet, with its rtt
// at the end of the first line, and the summary.
type replyPrinter struct {
	w    io.Writer
	json bool
	link bool // -e: print the link header as captured
	buf  bytes.Buffer
	p    printer // writes into buf

	mu    sync.Mutex // guards what follows: reply and the flusher
	out   *bufio.Writer
	dirty bool
	err   error         // the first write error
	stop  chan struct{} // ends the flusher
	ended chan struct{} // closed when the flusher ends
}

// newReplyPrinter reads decode's output flags where the command has them
// (craft may not: then the default one-line output).
func newReplyPrinter(c *cli.Context, w io.Writer) (*replyPrinter, error) {
	rp := &replyPrinter{w: w, json: c.Bool("json"), link: c.Bool("e"), out: bufio.NewWriterSize(w, 64<<10)}
	p, err := newPrinter(c, &rp.buf)
	if err != nil {
		return nil, err
	}
	rp.p = p
	return rp, nil
}

// reply prints one answer. Without -e, a reply captured on the any device
// is printed from its IP header, as the probe would be, rather than with
// the cooked header's interface and direction.
func (rp *replyPrinter) reply(r craft.Reply) {
	data, ci, link := r.Data, r.CI, r.Link
	if !rp.link && (link == wire.LinkLinuxSLL || link == wire.LinkLinuxSLL2) {
		off, typ, ok := wire.Network(link, data)
		if ok && off < len(data) && (data[off]>>4 == 4 || data[off]>>4 == 6) && (typ == wire.EtherTypeIPv4 || typ == wire.EtherTypeIPv6) {
			data, link = data[off:], wire.LinkRaw
			ci.CaptureLength -= off
			ci.Length -= off
		}
	}
	rp.buf.Reset()
	if err := rp.p.Print(data, ci, link); err == nil {
		err = rp.p.Flush()
	}
	out := rp.buf.Bytes()
	line := len(out)
	if i := bytes.IndexByte(out, '\n'); i >= 0 {
		line = i
	}
	var note []byte
	if rp.json {
		// One JSON object per line: the rtt goes in as a last member.
		note = fmt.Appendf(nil, `,"rtt_ms":%s`, craft.Millis(r.RTT))
		if r.Dup {
			note = append(note, `,"dup":true`...)
		}
		if j := bytes.LastIndexByte(out[:line], '}'); j >= 0 {
			line = j
		}
	} else {
		note = fmt.Appendf(nil, " rtt %s ms", craft.Millis(r.RTT))
		if r.Dup {
			note = append(note, " (DUP!)"...)
		}
	}
	rp.mu.Lock()
	defer rp.mu.Unlock()
	rp.out.Write(out[:line])
	rp.out.Write(note)
	rp.out.Write(out[line:])
	rp.dirty = true
}

// flushEvery starts flushing the printed replies every d, so that each shows
// soon without a write of its own.
func (rp *replyPrinter) flushEvery(d time.Duration) {
	rp.stop, rp.ended = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(rp.ended)
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-rp.stop:
				return
			case <-t.C:
				rp.flush()
			}
		}
	}()
}

// flush writes out the replies printed so far (and, once, ends the flusher
// if asked to stop); the error is the first of the output's.
func (rp *replyPrinter) flush() error {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	if rp.dirty {
		if err := rp.out.Flush(); err != nil && rp.err == nil {
			rp.err = err
		}
		rp.dirty = false
	}
	return rp.err
}

// end stops the flusher and flushes.
func (rp *replyPrinter) end() error {
	if rp.stop != nil {
		close(rp.stop)
		<-rp.ended
		rp.stop = nil
	}
	return rp.flush()
}

// summary prints ping's summary for the probes to peer.
// With --json it goes to standard error: standard output is one packet a line.
func (rp *replyPrinter) summary(peer netip.Addr, s craft.ReplyStats) error {
	if err := rp.end(); err != nil {
		return fmt.Errorf("craft: %w", err)
	}
	head := ""
	if peer.IsValid() {
		head = fmt.Sprintf("--- %s craft statistics ---\n", peer)
	}
	w := rp.w
	if rp.json {
		w = os.Stderr
	}
	if _, err := io.WriteString(w, head+s.Summary()); err != nil {
		return fmt.Errorf("craft: %w", err)
	}
	return nil
}

// runListen is craft --listen PROTO: print what a raw IP socket for PROTO
// receives (--ip6: a raw IPv6 socket), header included, in decode's
// formats, until interrupted or -c packets.
func runListen(c *cli.Context, proto string) error {
	return listenRaw(c, proto, os.Stdout)
}

// listenRaw is runListen printing to w.
func listenRaw(c *cli.Context, proto string, w io.Writer) error {
	ip6 := c.Bool("ip6") // read with care: craft may not have the flag
	num, name, err := craft.ParseRawProtocol(proto, ip6)
	if err != nil {
		return usageErrorf("craft: --listen: %v", err)
	}
	count := 0 // without -c, until interrupted
	if c.IsSet("c") {
		if count = c.Int("c"); count < 1 {
			return usageErrorf("craft: -c %d: the packet count must be at least 1", count)
		}
	}
	if c.NArg() > 0 {
		return usageErrorf("craft: --listen takes no SPEC (%q): it prints what the socket receives", strings.Join(c.Args().Slice(), " "))
	}
	p, err := newPrinter(c, w)
	if err != nil {
		return err
	}
	l, err := craft.ListenRaw(num, ip6)
	if err != nil {
		return fmt.Errorf("craft: --listen %s: %w", proto, err)
	}
	defer l.Close()
	family, rebuilt := "IPv4", ""
	if ip6 {
		family, rebuilt = "IPv6", "; IPv6 headers rebuilt from the socket's ancillary data"
	}
	fmt.Fprintf(os.Stderr, "sockscope: listening on a raw %s socket for %s (%d), link-type RAW (Raw IP)%s\n", family, name, num, rebuilt)

	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, stopSignals...)
	defer func() {
		signal.Stop(sigs)
		close(sigs)
	}()
	var signalled atomic.Bool
	go func() {
		if _, ok := <-sigs; ok {
			signalled.Store(true)
			l.Close()
		}
	}()
	n := 0
	for count == 0 || n < count {
		data, ci, err := l.Next()
		if err == io.EOF || err != nil && signalled.Load() {
			break // closed by the signal: the read may say "use of closed file"
		}
		if err != nil {
			return fmt.Errorf("craft: --listen %s: %w", proto, err)
		}
		n++
		if err := p.Print(data, ci, wire.LinkRaw); err != nil {
			return fmt.Errorf("craft: %w", err)
		}
		// A raw socket is read as things happen: each packet shows at once.
		if err := p.Flush(); err != nil {
			return fmt.Errorf("craft: %w", err)
		}
	}
	if signalled.Load() {
		fmt.Fprintln(os.Stderr) // past the ^C the terminal echoed
	}
	fmt.Fprintf(os.Stderr, "%d %s received\n", n, map[bool]string{true: "packet", false: "packets"}[n == 1])
	return nil
}
