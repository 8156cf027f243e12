package craft

import (
	"errors"
	"io"
	"sync"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// PacketSource is where a Waiter reads the packets that may be replies: a
// live capture (capture.Live) opened before the first probe is sent.
type PacketSource interface {
	// Next returns the next packet, waiting for one; io.EOF after Stop
	// once what was queued has been returned.
	Next() ([]byte, gopacket.CaptureInfo, error)
	// Stop makes Next return io.EOF soon; it may be called from any goroutine.
	Stop()
}

// Reply is a received packet that answers a probe, as a Waiter hands it to
// its callback.
type Reply struct {
	Answer
	Data []byte // the source's bytes: valid only during the callback
	CI   gopacket.CaptureInfo
	Link wire.LinkType
}

// earlyKeep is the most packets a Waiter keeps that answered no probe yet:
// a reply may be read before the sender has recorded its probe with Sent
// (on loopback it can arrive before the send call returns).
const earlyKeep = 1024

// early is a packet kept in case its probe is recorded later.
type early struct {
	data []byte
	ci   gopacket.CaptureInfo
	gone bool // matched, or pushed out by newer ones
	// dup is set for a packet that answers only probes answered already,
	// held while probes are still being sent: past 65536 probes the fields
	// that tell them apart wrap, and the look-alike it answers may not be
	// recorded yet. Unclaimed, it is a duplicate after dupGrace or at Finish.
	dup bool
}

// dupGrace is how long a would-be duplicate is held for a probe still to
// be recorded (see early.dup), by the capture's clock.
const dupGrace = 200 * time.Millisecond

// Waiter matches the packets of a source to the probes recorded with Sent,
// in a goroutine of its own, and calls its callback for each answer as it
// comes, then Finish waits for the answers still due.
type Waiter struct {
	src     PacketSource
	link    wire.LinkType // of the source's packets
	onReply func(Reply)

	mu      sync.Mutex // guards what follows, and serializes onReply
	replies *Replies
	last    time.Time // when the last probe was sent
	// Packets that answered nothing yet, by the key of the probe they
	// would answer, directly or as an ICMP error; kept in order, earlyKeep
	// at most.
	earlyDirect map[matchKey][]*early
	earlyQuoted map[matchKey][]*early
	earlyOut    map[matchKey][]*early // by the key of the probe they may be
	earlyOrder  []*early
	evicted     int
	held        []*early // would-be duplicates, oldest first
	finishing   bool     // Finish was called: no probe will come any more
	err         error

	answered chan struct{} // a probe was answered (capacity 1, never blocks)
	done     chan struct{} // closed when the goroutine reading src ends
}

// NewWaiter starts reading src, whose packets are of link type link, for
// replies to probes of link type probeLink (Ethernet when sent at layer 2,
// raw IP otherwise). onReply is called for each answer, from the Waiter's
// goroutine or from Sent, never two at a time.
func NewWaiter(src PacketSource, link, probeLink wire.LinkType, onReply func(Reply)) *Waiter {
	w := &Waiter{
		src: src, link: link, onReply: onReply,
		replies:     NewReplies(probeLink),
		earlyDirect: map[matchKey][]*early{},
		earlyQuoted: map[matchKey][]*early{},
		earlyOut:    map[matchKey][]*early{},
		answered:    make(chan struct{}, 1),
		done:        make(chan struct{}),
	}
	go w.read()
	return w
}

func (w *Waiter) read() {
	defer close(w.done)
	for {
		data, ci, err := w.src.Next()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				w.mu.Lock()
				w.err = err
				w.mu.Unlock()
			}
			return
		}
		w.mu.Lock()
		if !w.replies.Outgoing(data, w.link, ci.Timestamp) && !w.match(data, ci) {
			w.keep(data, ci, false)
		}
		w.release(ci.Timestamp.Add(-dupGrace))
		w.mu.Unlock()
	}
}

// match matches one packet and hands an answer to the callback. A
// would-be duplicate is held instead while probes are still being sent.
func (w *Waiter) match(data []byte, ci gopacket.CaptureInfo) bool {
	m, ok := w.replies.find(data, w.link)
	if !ok {
		return false
	}
	if m.dup() && !w.finishing {
		w.keep(data, ci, true)
		return true
	}
	w.reply(m, data, ci)
	return true
}

// reply counts a match and hands the answer to the callback.
func (w *Waiter) reply(m match, data []byte, ci gopacket.CaptureInfo) {
	a := w.replies.answer(m, ci.Timestamp)
	w.onReply(Reply{Answer: a, Data: data, CI: ci, Link: w.link})
	if !a.Dup {
		select {
		case w.answered <- struct{}{}:
		default:
		}
	}
}

// release reports the held would-be duplicates received before until (all
// of them when until is zero) as the duplicates they are.
func (w *Waiter) release(until time.Time) {
	n := 0
	for _, e := range w.held {
		if !until.IsZero() && !e.ci.Timestamp.Before(until) {
			break
		}
		n++
		if e.gone {
			continue
		}
		e.gone = true
		if m, ok := w.replies.find(e.data, w.link); ok {
			w.reply(m, e.data, e.ci)
		}
	}
	w.held = w.held[n:]
}

// keep holds a copy of a packet that may answer a probe not recorded yet;
// dup says it answers probes answered already (see early.dup).
func (w *Waiter) keep(data []byte, ci gopacket.CaptureInfo, dup bool) {
	info, ok := replyParse(data, w.link)
	if !ok {
		return
	}
	e := &early{data: append([]byte(nil), data...), ci: ci, dup: dup}
	if dup {
		w.held = append(w.held, e)
	}
	kept := false
	if k, ok := replyKey(info); ok {
		w.earlyDirect[k] = append(w.earlyDirect[k], e)
		kept = true
	}
	if q, ok := quotedPacket(info); ok {
		k := quoteKey(q)
		w.earlyQuoted[k] = append(w.earlyQuoted[k], e)
		kept = true
	}
	if _, _, k, ok := probeKeys(info); ok && info.net != mARP {
		w.earlyOut[k] = append(w.earlyOut[k], e) // the capture's copy of a probe?
		kept = true
	}
	if !kept {
		return
	}
	w.earlyOrder = append(w.earlyOrder, e)
	if len(w.earlyOrder) > earlyKeep {
		if old := w.earlyOrder[0]; old.dup && !old.gone {
			w.release(old.ci.Timestamp.Add(time.Nanosecond)) // its time is up
		}
		w.earlyOrder[0].gone = true
		w.earlyOrder = w.earlyOrder[1:]
		if w.evicted++; w.evicted%earlyKeep == 0 { // now and then, forget the gone
			w.sweep()
		}
	}
}

// sweep drops the packets that are gone from the early maps.
func (w *Waiter) sweep() {
	for _, m := range []map[matchKey][]*early{w.earlyDirect, w.earlyQuoted, w.earlyOut} {
		for k, list := range m {
			n := 0
			for _, e := range list {
				if !e.gone {
					list[n] = e
					n++
				}
			}
			if n == 0 {
				delete(m, k)
			} else {
				m[k] = list[:n]
			}
		}
	}
	w.earlyOrder = append([]*early(nil), w.earlyOrder...)
}

// Sent records a probe (its bytes from the link type given to NewWaiter)
// sent at at. When the source also returns the probe as it left (a capture
// that sees outgoing packets), the send time is the capture's timestamp of
// it instead; otherwise take at just before the send call, as a reply can
// come before it returns.
func (w *Waiter) Sent(pkt []byte, at time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.replies.Sent(pkt, at)
	if at.After(w.last) {
		w.last = at
	}
	if len(w.earlyOrder) == 0 {
		return
	}
	info, ok := replyParse(pkt, w.replies.link)
	if !ok {
		return
	}
	d, hasD, q, hasQ := probeKeys(info)
	// The capture's copy of the probe first, for its send time; then the
	// replies read before it.
	if hasQ {
		for _, e := range w.earlyOut[q] {
			if !e.gone && w.replies.Outgoing(e.data, w.link, e.ci.Timestamp) {
				e.gone = true
				break
			}
		}
	}
	for _, c := range []struct {
		m   map[matchKey][]*early
		k   matchKey
		has bool
	}{{w.earlyDirect, d, hasD}, {w.earlyQuoted, q, hasQ}} {
		if !c.has {
			continue
		}
		for _, e := range c.m[c.k] {
			if e.gone {
				continue
			}
			m, ok := w.replies.find(e.data, w.link)
			switch {
			case !ok:
			case !m.dup():
				w.reply(m, e.data, e.ci)
				e.gone = true
			case !e.dup: // a second answer to the probe just recorded
				e.dup = true
				w.held = append(w.held, e)
			}
		}
	}
}

// Finish waits until every probe is answered, or wait has passed since the
// last was sent, or stop is closed; then it stops the source, matches what
// was still queued, and returns the counts. The error is the source's.
func (w *Waiter) Finish(wait time.Duration, stop <-chan struct{}) (ReplyStats, error) {
	w.mu.Lock()
	w.finishing = true
	w.release(time.Time{}) // every probe is recorded: no look-alike will come
	w.mu.Unlock()
wait:
	for {
		w.mu.Lock()
		pending, left := w.replies.Pending(), time.Until(w.last.Add(wait))
		w.mu.Unlock()
		if pending == 0 || left <= 0 {
			break
		}
		t := time.NewTimer(left)
		select {
		case <-w.answered:
		case <-t.C:
		case <-stop:
			t.Stop()
			break wait
		case <-w.done:
			t.Stop()
			break wait
		}
		t.Stop()
	}
	w.src.Stop()
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.replies.Stats(), w.err
}

// Close stops the source and waits for the reading goroutine to end; the
// caller then closes the source.
func (w *Waiter) Close() {
	w.src.Stop()
	<-w.done
}
