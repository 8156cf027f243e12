package replay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/capture"
	"github.com/sockscope/sockscope/capture/filter"
	"github.com/sockscope/sockscope/decode"
	"github.com/sockscope/sockscope/decode/display"
	"github.com/sockscope/sockscope/decode/wire"
)

// Options says how File sends a capture's packets. The zero value (with an
// Interface) sends every packet once, at the file's own pace.
type Options struct {
	// Interface is where the frames go out; it is required unless DryRun
	// is set, and its link type must be the file's (Ethernet captures
	// onto Ethernet or loopback, raw IP ones onto interfaces without a
	// link header, such as tun).
	Interface string
	// Speed multiplies the pace: 2 sends twice as fast as recorded, 0.5
	// half. 0 means 1.
	Speed float64
	// PPS sends this many packets a second, evenly, instead of the file's
	// pace.
	PPS float64
	// Mbps sends at this many megabits a second (10^6), counting each
	// frame's bytes, instead of the file's pace.
	Mbps float64
	// TopSpeed sends as fast as the link takes: batches of frames in one
	// sendmmsg each, past the queueing discipline (PACKET_QDISC_BYPASS).
	TopSpeed bool
	// Loop is how many times the file is sent, one pass after the other
	// (0 or 1: once).
	Loop int
	// Count stops after this many packets have been handled, sent or
	// failed (0: no limit).
	Count int
	// Filter, if not empty, is a pcap-filter expression: only the packets
	// it accepts are sent (and counted). A bad one is a *filter.Error.
	Filter string
	// Display, if not nil, is a display filter (decode/display): of the
	// packets Filter accepts, only those it selects are sent (and counted).
	Display *display.Filter
	// Rewrite, if not nil, changes each frame before it is sent (see
	// Rewrite in this package).
	Rewrite Rewriter
	// DryRun, if not nil, receives decode's one-line text for each packet
	// that would be sent, after rewriting; nothing is sent and no time is
	// waited.
	DryRun io.Writer
	// Progress, if not nil, is called about every ProgressEvery (default
	// 200ms) while the replay runs, and once at the end.
	Progress func(Progress)
	// ProgressEvery is how often Progress is called.
	ProgressEvery time.Duration
}

// Rewriter changes a frame of link type linkType (a pcap LINKTYPE_ value)
// in place; wireLen is its length on the wire, len(frame) or more when a
// snapshot length cut it. It reports whether it changed anything.
type Rewriter interface {
	Apply(linkType wire.LinkType, frame []byte, wireLen int) bool
}

// Progress is how far a replay has come.
type Progress struct {
	Packets, Bytes, Failed int64
	// Total is the number of packets the replay will send, or -1 when it
	// cannot be known beforehand (the capture comes from standard input).
	Total   int64
	Elapsed time.Duration
	// Left is the time until the last packet is due, by the pace (the
	// file's timestamps, --pps or --mbps), or -1 when the pace does not
	// say (top speed, standard input).
	Left time.Duration
}

// Summary is what a replay did, like tcpreplay's closing statistics.
type Summary struct {
	Interface string
	// Packets and Bytes went out; Failed were refused (by the kernel, or
	// before: too large for the link, empty), counted by reason in
	// Failures.
	Packets, Bytes, Failed int64
	Failures               map[string]int64
	// Truncated is how many of the packets sent were shorter than on the
	// wire they were captured from (a snapshot length cut them): they went
	// out as captured.
	Truncated int64
	// Rewritten is how many packets Rewrite changed.
	Rewritten int64
	// Segmented is how many TCP frames larger than the link's MTU (from a
	// capture made with segmentation offloads) went out as GSO packets:
	// whole where the device takes them (a veth), cut into segments by
	// the kernel where it does not.
	Segmented int64
	// Elapsed is from the first packet sent to the last.
	Elapsed time.Duration
	// DryRun is true when nothing was sent: the counts are of the packets
	// printed instead.
	DryRun bool
}

// PPS is packets sent per second of Elapsed.
func (s Summary) PPS() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Packets) / s.Elapsed.Seconds()
}

// Mbps is the megabits (10^6) sent per second of Elapsed.
func (s Summary) Mbps() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Bytes) * 8 / 1e6 / s.Elapsed.Seconds()
}

// String is the summary as a few lines of text, as tcpreplay ends.
func (s Summary) String() string {
	var b strings.Builder
	where := ""
	if s.Interface != "" {
		where = " on " + s.Interface
	}
	if s.DryRun {
		fmt.Fprintf(&b, "dry run: would send %d packets (%d bytes)%s\n", s.Packets, s.Bytes, where)
	} else {
		fmt.Fprintf(&b, "sent %d packets (%d bytes)%s in %.6f seconds\n", s.Packets, s.Bytes, where, s.Elapsed.Seconds())
		fmt.Fprintf(&b, "rate %.1f pps, %.3f Mbps\n", s.PPS(), s.Mbps())
	}
	if s.DryRun && s.Failed == 0 {
		if s.Rewritten > 0 {
			fmt.Fprintf(&b, "rewritten %d\n", s.Rewritten)
		}
		return b.String()
	}
	fmt.Fprintf(&b, "failed %d", s.Failed)
	reasons := make([]string, 0, len(s.Failures))
	for r := range s.Failures {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for i, r := range reasons {
		sep := ", "
		if i == 0 {
			sep = ": "
		}
		fmt.Fprintf(&b, "%s%d %s", sep, s.Failures[r], r)
	}
	b.WriteByte('\n')
	if s.Truncated > 0 {
		fmt.Fprintf(&b, "truncated %d (cut by the capture's snapshot length: sent as captured)\n", s.Truncated)
	}
	if s.Rewritten > 0 {
		fmt.Fprintf(&b, "rewritten %d\n", s.Rewritten)
	}
	if s.Segmented > 0 {
		fmt.Fprintf(&b, "gso %d (TCP frames larger than the MTU, from a capture made with offloads: sent as GSO packets)\n", s.Segmented)
	}
	return b.String()
}

// ErrNoInterface is File's error when Options has no Interface and is not
// a dry run: replay never guesses where to send.
var ErrNoInterface = errors.New("replay: no interface given: name the one to send on (sockscope interfaces lists them)")

// File replays the capture at path ("-": standard input) as opt says,
// until every packet is sent, opt.Count is reached or ctx ends (a stop, not
// an error: the summary says how far it came). An error means the replay
// could not start or could not go on (the interface went down, the file is
// damaged); packets the kernel refuses one by one are counted in
// Summary.Failed instead.
func File(ctx context.Context, path string, opt Options) (Summary, error) {
	if opt.Interface == "" && opt.DryRun == nil {
		return Summary{}, ErrNoInterface
	}
	if badRate(opt.Speed) || badRate(opt.PPS) || badRate(opt.Mbps) || opt.Loop < 0 || opt.Count < 0 {
		return Summary{}, errors.New("replay: --speed, --pps, --mbps, --loop and -c take positive numbers")
	}
	open, again, done, err := opener(path, opt.Loop)
	if err != nil {
		return Summary{}, err
	}
	defer done()
	rp := &replayer{opt: opt, open: open, sum: Summary{Interface: opt.Interface, Failures: map[string]int64{}, DryRun: opt.DryRun != nil}}
	if opt.Filter != "" {
		rp.flt = filter.NewPerLink(opt.Filter)
	}
	rp.total, rp.plan = -1, -1
	if opt.Progress != nil && again {
		if rp.total, err = rp.count(); err != nil {
			return Summary{}, err
		}
	}
	if opt.Interface != "" {
		// A dry run with an interface checks what the real run would:
		// that it is there and up, and takes the file's frames.
		out, err := newOutput(opt.Interface)
		if err != nil {
			return Summary{}, err
		}
		if opt.DryRun == nil {
			if err := out.open(opt.TopSpeed); err != nil {
				return Summary{}, err
			}
			defer out.Close()
		}
		rp.out = out
	}
	if opt.DryRun != nil {
		rp.print = decode.NewPrinter(opt.DryRun, decode.Options{IfName: capture.InterfaceName})
	}
	err = rp.run(ctx)
	if rp.print != nil {
		if ferr := rp.print.Flush(); err == nil {
			err = ferr
		}
	}
	return rp.sum, err
}

// badRate says a Speed, PPS or Mbps cannot pace: negative, NaN or
// infinite (0 is "not given").
func badRate(v float64) bool { return v < 0 || math.IsNaN(v) || math.IsInf(v, 0) }

// opener returns how to open the capture for each pass, and whether it
// can be read more than once as it is (a regular file). Standard input, a
// pipe or a FIFO can be read once: with more than one pass, it is copied to
// a temporary file first.
func opener(path string, loop int) (open func() (*capture.Reader, error), again bool, done func(), err error) {
	done = func() {}
	if path != "-" {
		fi, err := os.Stat(path)
		if err != nil {
			return nil, false, done, fmt.Errorf("replay: %w", err)
		}
		if fi.Mode().IsRegular() {
			open := func() (*capture.Reader, error) {
				r, err := capture.Open(path)
				if err != nil {
					return nil, fmt.Errorf("replay: %w", err)
				}
				return r, nil
			}
			// Open once now, so that a foreign file is the first thing
			// said.
			r, err := open()
			if err != nil {
				return nil, false, done, err
			}
			r.Close()
			return open, true, done, nil
		}
	}
	name, in := "standard input", io.Reader(os.Stdin)
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, false, done, fmt.Errorf("replay: %w", err)
		}
		name, in, done = path, f, func() { f.Close() }
	}
	if loop <= 1 {
		used := false
		return func() (*capture.Reader, error) {
			if used {
				return nil, fmt.Errorf("replay: %s can be read only once", name)
			}
			used = true
			r, err := capture.NewReader(in)
			if err != nil {
				return nil, fmt.Errorf("replay: %s: %w", name, err)
			}
			return r, nil
		}, false, done, nil
	}
	// Spooled to an unlinked file, not memory: standard input may be
	// larger than memory, and the disk holds what a capture needs.
	spool, err := os.CreateTemp("", "sockscope-replay-*")
	if err != nil {
		done()
		return nil, false, done, fmt.Errorf("replay: keep %s for --loop: %w", name, err)
	}
	os.Remove(spool.Name()) // its space is freed when it is closed
	size, err := io.Copy(spool, in)
	done() // in is read whole
	done = func() { spool.Close() }
	if err != nil {
		done()
		return nil, false, done, fmt.Errorf("replay: keep %s for --loop in %s: %w", name, os.TempDir(), err)
	}
	return func() (*capture.Reader, error) {
		r, err := capture.NewReader(io.NewSectionReader(spool, 0, size))
		if err != nil {
			return nil, fmt.Errorf("replay: %s: %w", name, err)
		}
		return r, nil
	}, false, done, nil
}

// replayer is one replay's state.
type replayer struct {
	opt   Options
	open  func() (*capture.Reader, error)
	flt   *filter.PerLink
	out   *output
	print *decode.Printer
	sum   Summary
	total int64

	start     time.Time // when the first packet was due
	passStart time.Duration
	passFirst time.Time // timestamp of the pass's first packet
	passLast  time.Duration
	sentBits  float64
	n         int64 // packets handled (sent, failed or waiting in the batch)
	lastProg  time.Time
	// batch describes the frames waiting in out's batch: they count as
	// sent once the kernel has taken them.
	batch []queued
	// plan is when the last packet is due, from the start (-1: unknown).
	plan time.Duration
}

// queued is a frame in the batch, as the summary counts it.
type queued struct {
	size      int
	truncated bool
}

// count is how many packets the replay will send, for the progress line.
func (rp *replayer) count() (int64, error) {
	r, err := rp.open()
	if err != nil {
		return 0, err
	}
	defer r.Close()
	var n, bytes int64
	var first, last time.Time
	loop := capture.Loop{Filter: rp.flt}
	selectDisplay(&loop, rp.opt.Display)
	_, err = loop.Run(r, func(data []byte, ci gopacket.CaptureInfo, _ wire.LinkType) error {
		if n == 0 {
			first = ci.Timestamp
		}
		n, bytes, last = n+1, bytes+int64(len(data)), ci.Timestamp
		return nil
	})
	var fe *filter.Error
	if errors.As(err, &fe) {
		return 0, err
	}
	if err != nil {
		return -1, nil // the replay itself will say what is wrong
	}
	loops := int64(max(1, rp.opt.Loop))
	total := n * loops
	if rp.opt.Count > 0 {
		total = min(total, int64(rp.opt.Count))
	}
	// When the last packet is due: a pass's span times the passes, or
	// the packets (bits) at the rate; a count cuts it in proportion.
	share := float64(total) / float64(max(1, n*loops))
	speed := rp.opt.Speed
	if speed == 0 {
		speed = 1
	}
	switch {
	case rp.opt.TopSpeed || n == 0:
		rp.plan = -1
	case rp.opt.PPS > 0:
		rp.plan = time.Duration(float64(total-1) / rp.opt.PPS * float64(time.Second))
	case rp.opt.Mbps > 0:
		rp.plan = time.Duration(float64(bytes*loops*8) * share / (rp.opt.Mbps * 1e6) * float64(time.Second))
	default:
		rp.plan = time.Duration(float64(max(0, last.Sub(first))) * float64(loops) * share / speed)
	}
	return total, nil
}

func (rp *replayer) run(ctx context.Context) error {
	defer func() {
		// Until now: an interrupted wait is part of the replay's time.
		if !rp.start.IsZero() {
			rp.sum.Elapsed = time.Since(rp.start)
		}
		rp.progress(true)
	}()
	for pass := 0; pass < max(1, rp.opt.Loop); pass++ {
		done, err := rp.pass(ctx)
		if err != nil || done {
			return err
		}
	}
	return nil
}

// pass sends the file once; done is true when the replay is over (Count
// reached, ctx ended).
func (rp *replayer) pass(ctx context.Context) (done bool, err error) {
	r, err := rp.open()
	if err != nil {
		return true, err
	}
	defer r.Close()
	rp.passFirst = time.Time{}
	rp.passStart = rp.passLast
	if rp.over(ctx) {
		return true, rp.flush()
	}
	loop := capture.Loop{Filter: rp.flt}
	selectDisplay(&loop, rp.opt.Display)
	if rp.print != nil {
		// A dry run prints the packets: one decode cannot read is an
		// error, as it is for decode.
		loop.Check = decode.CheckLink
	}
	var stop error // why the handler ended the replay, if it did
	_, err = loop.Run(r, func(data []byte, ci gopacket.CaptureInfo, link wire.LinkType) error {
		if done, stop = rp.packet(ctx, r, data, ci, link); !done && rp.over(ctx) {
			done, stop = true, rp.flush()
		}
		if done {
			return capture.ErrStop
		}
		return nil
	})
	var fe *filter.Error
	switch {
	case done:
		return true, stop
	case err == nil: // the end of the file
		return false, rp.flush()
	case errors.As(err, &fe):
		return true, rp.flushThen(err)
	default:
		// The reader's error names the packet.
		return true, rp.flushThen(fmt.Errorf("replay: %w", err))
	}
}

// selectDisplay makes f, if not nil, loop's Select, numbering frames by
// their place in the file as tshark does.
func selectDisplay(loop *capture.Loop, f *display.Filter) {
	if f == nil {
		return
	}
	sel := &display.Selector{Filter: f, Number: func() int { return loop.Read }}
	loop.Select = sel.Select
}

// over says whether the replay is over before the next packet: Count
// reached, or ctx ended.
func (rp *replayer) over(ctx context.Context) bool {
	return rp.opt.Count > 0 && rp.n >= int64(rp.opt.Count) || ctx.Err() != nil
}

// packet replays one packet of r, of link type link; done is true when the
// replay is over, with err saying why if it failed.
func (rp *replayer) packet(ctx context.Context, r *capture.Reader, data []byte, ci gopacket.CaptureInfo, link wire.LinkType) (done bool, err error) {
	if rp.opt.Rewrite != nil {
		// The reader's buffer is ours until the next packet.
		if rp.opt.Rewrite.Apply(link, data, ci.Length) {
			rp.sum.Rewritten++
		}
	}
	if rp.out != nil {
		if err := rp.out.check(link, r.Packets()); err != nil {
			return true, rp.flushThen(err)
		}
	}
	if rp.print != nil {
		if rp.out != nil {
			if reason := rp.out.refuse(data); reason != "" && reason != needsGSO {
				rp.fail(reason)
				return false, nil
			} else if reason == needsGSO {
				rp.sum.Segmented++
			}
		}
		if err := rp.print.Print(data, ci, link); err != nil {
			return true, err
		}
		rp.printed(data, ci)
		return false, nil
	}
	behind := false // paced, and this frame was due a while ago
	if rp.opt.TopSpeed {
		if rp.start.IsZero() {
			rp.start = time.Now()
		}
	} else {
		if rp.passFirst.IsZero() {
			rp.passFirst = ci.Timestamp
		}
		at := rp.dueOffset(ci.Timestamp)
		if rp.start.IsZero() {
			rp.start = time.Now().Add(-at)
		}
		if due := rp.start.Add(at); time.Until(due) > 0 {
			// Frames already due went out together; this one waits.
			if err := rp.flush(); err != nil {
				return true, err
			}
			if rp.wait(ctx, due) != nil {
				return true, nil
			}
		} else {
			behind = -time.Until(due) > catchUp
		}
	}
	switch reason := rp.out.refuse(data); reason {
	case "":
	case needsGSO:
		// In order: the batch before it goes first.
		if err := rp.flush(); err != nil {
			return true, err
		}
		err, isFatal := rp.out.sendGSO(data)
		switch {
		case isFatal:
			return true, err
		case err != nil:
			rp.fail("refused by the kernel as a GSO packet: " + err.Error())
		default:
			rp.sum.Packets++
			rp.sum.Bytes += int64(len(data))
			rp.sum.Segmented++
			if ci.Length > len(data) {
				rp.sum.Truncated++
			}
			rp.n++
			rp.sentBits += float64(len(data)) * 8
		}
		rp.progress(false)
		return false, nil
	default:
		rp.fail(reason)
		return false, nil
	}
	rp.out.add(data)
	rp.batch = append(rp.batch, queued{len(data), ci.Length > len(data)})
	rp.n++
	rp.sentBits += float64(len(data)) * 8
	// Paced, a frame on time goes at once; frames due a while ago
	// (the replay is behind: a burst in the file faster than one
	// frame per system call) go together, when the next one is not
	// yet due (the flush before waiting) or the batch is full.
	if rp.out.full() || (!rp.opt.TopSpeed && !behind) {
		if err := rp.flush(); err != nil {
			return true, err
		}
	}
	rp.progress(false)
	return false, nil
}

// dueOffset is when, from the start of the replay, the packet with
// timestamp ts is due: by the file's gaps divided by Speed, by --pps or
// --mbps. Deadlines are absolute, so that time spent sending and timers
// that fire late do not add up over a long replay.
func (rp *replayer) dueOffset(ts time.Time) time.Duration {
	switch {
	case rp.opt.PPS > 0:
		return time.Duration(float64(rp.n) / rp.opt.PPS * float64(time.Second))
	case rp.opt.Mbps > 0:
		return time.Duration(rp.sentBits / (rp.opt.Mbps * 1e6) * float64(time.Second))
	}
	speed := rp.opt.Speed
	if speed == 0 {
		speed = 1
	}
	gap := ts.Sub(rp.passFirst)
	if gap < 0 {
		gap = 0 // a timestamp that goes back: send at once
	}
	at := rp.passStart + time.Duration(float64(gap)/speed)
	rp.passLast = max(rp.passLast, at)
	return at
}

// printed counts a packet a dry run printed as sent.
func (rp *replayer) printed(data []byte, ci gopacket.CaptureInfo) {
	rp.sum.Packets++
	rp.sum.Bytes += int64(len(data))
	if ci.Length > len(data) {
		rp.sum.Truncated++
	}
	rp.n++
}

// fail counts a packet that could not go out, by reason.
func (rp *replayer) fail(reason string) {
	rp.sum.Failed++
	rp.sum.Failures[reason]++
	rp.n++
}

// flushThen flushes what is waiting (as a pass that stops must) and
// returns err, with a failed flush said on the same line.
func (rp *replayer) flushThen(err error) error {
	if ferr := rp.flush(); ferr != nil {
		return fmt.Errorf("%w (and sending the frames before it: %v)", err, ferr)
	}
	return err
}

// flush sends the frames waiting in the batch and counts them: sent, or
// failed with the kernel's reason. Frames left unsent by an error that
// ends the replay are not counted.
func (rp *replayer) flush() error {
	if rp.print != nil || len(rp.batch) == 0 {
		return nil
	}
	done, refused, err := rp.out.flush()
	next := 0
	for i, q := range rp.batch[:done] {
		if next < len(refused) && refused[next].index == i {
			rp.sum.Failed++
			rp.sum.Failures[refused[next].reason]++
			next++
			continue
		}
		rp.sum.Packets++
		rp.sum.Bytes += int64(q.size)
		if q.truncated {
			rp.sum.Truncated++
		}
	}
	rp.batch = rp.batch[:0]
	return err
}

// progress calls Options.Progress when it is time, or at the end.
func (rp *replayer) progress(final bool) {
	if rp.opt.Progress == nil {
		return
	}
	every := rp.opt.ProgressEvery
	if every <= 0 {
		every = 200 * time.Millisecond
	}
	now := time.Now()
	if !final && now.Sub(rp.lastProg) < every {
		return
	}
	rp.lastProg = now
	var elapsed time.Duration
	if !rp.start.IsZero() {
		elapsed = now.Sub(rp.start)
	}
	left := time.Duration(-1)
	if rp.plan >= 0 {
		left = max(0, rp.plan-elapsed)
		if final {
			left = 0
		}
	}
	rp.opt.Progress(Progress{Packets: rp.sum.Packets, Bytes: rp.sum.Bytes, Failed: rp.sum.Failed, Total: rp.total, Elapsed: elapsed, Left: left})
}

// wait waits until due, telling Progress how it goes meanwhile: a gap in
// a file can be an hour long.
func (rp *replayer) wait(ctx context.Context, due time.Time) error {
	if rp.opt.Progress != nil {
		every := max(rp.opt.ProgressEvery, 200*time.Millisecond)
		for time.Until(due) > every+spinFor {
			if err := waitUntil(ctx, time.Now().Add(every)); err != nil {
				return err
			}
			rp.progress(false)
		}
	}
	return waitUntil(ctx, due)
}

// catchUp is how late a paced frame must be for replay to batch it with
// the next ones rather than send it alone at once.
const catchUp = 100 * time.Microsecond

// spinFor is how long before a deadline waitUntil stops sleeping and
// watches the clock instead: the runtime's timers may wake a sleeper up to
// a millisecond late, more than a replay's gaps can afford.
const spinFor = 2 * time.Millisecond

// waitUntil returns at t, or with ctx's error if ctx ends first.
func waitUntil(ctx context.Context, t time.Time) error {
	if d := time.Until(t) - spinFor; d > 0 {
		timer := time.NewTimer(d)
		select {
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		}
	}
	for i := 0; time.Now().Before(t); i++ {
		if i&1023 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return nil
}
