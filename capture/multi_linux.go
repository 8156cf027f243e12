package capture

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/google/gopacket"
)

// Multi is a live capture on several interfaces at once, as dumpcap -i A -i
// B makes one: a Live of its own on each (its own socket, ring and filter),
// read as one Source whose interface i is the i-th LiveConfig. Next returns
// the packets of all in the order of their timestamps: the earliest of
// those the rings hold, once every ring holds one, or once the kernel
// would have handed over an earlier one (a block is handed over at the
// latest LiveConfig.Timeout after its first packet). A packet that
// reaches its ring later than that (a loaded machine), or while another
// ring is half full (then nothing waits for it), may come after later
// ones of the other rings; dumpcap's files are not in strict order
// either.
//
// One goroutine reads it; Stop may be called from any goroutine.
type Multi struct {
	lives  []*Live
	ifaces []Interface
	heads  []multiHead
	// Each Live waits for its kernel in a goroutine of its own (its
	// waiter), only while Next has nothing at hand: Next and the waiter
	// never touch a Live at the same time, each hands it to the other.
	wake    []chan struct{}
	woken   chan waitResult
	waiting []bool
	ended   []bool
	closed  bool
	// hold is how long the kernel may keep a packet before it hands it
	// over: the longest LiveConfig.Timeout.
	hold  time.Duration
	timer *time.Timer
}

// multiHead is the packet a Live returned that Multi has not yet.
type multiHead struct {
	ok   bool
	data []byte // the ring's own, valid until that Live's next take
	ci   gopacket.CaptureInfo
}

// waitResult is what a waiter says when its Live's wait returns.
type waitResult struct {
	i   int
	err error
}

// OpenMulti opens a live capture on each of cfgs (see OpenLive), each
// interface once; AnyInterface is not one of them (it already holds every
// interface). Its packets carry, in CaptureInfo.AncillaryData, the
// PacketType of each, for a printer to say which way it went.
func OpenMulti(cfgs []LiveConfig) (*Multi, error) {
	m := &Multi{woken: make(chan waitResult, len(cfgs))}
	seen := map[string]bool{}
	for _, cfg := range cfgs {
		switch {
		case cfg.Interface == AnyInterface:
			m.Close()
			return nil, errors.New("open any: any captures on every interface already; give it alone, or name each interface")
		case seen[cfg.Interface]:
			m.Close()
			return nil, fmt.Errorf("open %s: the interface is given twice", cfg.Interface)
		}
		seen[cfg.Interface] = true
		s, err := OpenLive(cfg)
		if err != nil {
			m.Close()
			return nil, err
		}
		s.fr.markType = true
		m.hold = max(m.hold, s.timeout)
		m.lives = append(m.lives, s)
		m.ifaces = append(m.ifaces, s.iface)
	}
	if len(m.lives) == 0 {
		return nil, errors.New("open: no interface given")
	}
	n := len(m.lives)
	m.heads, m.waiting, m.ended = make([]multiHead, n), make([]bool, n), make([]bool, n)
	m.wake = make([]chan struct{}, n)
	for i, s := range m.lives {
		m.wake[i] = make(chan struct{}, 1)
		go waiter(i, s, m.wake[i], m.woken)
	}
	return m, nil
}

// waiter waits for s's kernel each time wake says so, and reports when
// the wait is over; it ends when wake is closed.
func waiter(i int, s *Live, wake <-chan struct{}, woken chan<- waitResult) {
	for range wake {
		woken <- waitResult{i: i, err: s.wait()}
	}
}

// Next returns the packet with the earliest timestamp among those the
// rings hold, waiting for one if none does; ci.InterfaceIndex is its
// interface's place in the LiveConfigs given to OpenMulti. data is the
// ring's own, valid until the next call to Next. After Stop, Next returns
// what each kernel had queued when Stop was called, then io.EOF.
func (m *Multi) Next() (data []byte, ci gopacket.CaptureInfo, err error) {
	for {
		if err := m.collect(); err != nil {
			return nil, ci, err
		}
		best := -1
		for i, s := range m.lives {
			if m.ended[i] || m.waiting[i] {
				continue
			}
			h := &m.heads[i]
			if !h.ok {
				data, ci, ok, err := s.take()
				switch {
				case err == io.EOF:
					m.ended[i] = true
					continue
				case err != nil:
					return nil, ci, err
				case !ok:
					continue
				}
				*h = multiHead{ok: true, data: data, ci: ci}
				h.ci.InterfaceIndex = i
			}
			if best < 0 || h.ci.Timestamp.Before(m.heads[best].ci.Timestamp) {
				best = i
			}
		}
		if best >= 0 {
			h := &m.heads[best]
			if early := m.early(best); early > 0 {
				if err := m.wait(early); err != nil {
					return nil, ci, err
				}
				continue
			}
			h.ok = false
			return h.data, h.ci, nil
		}
		if !slices.Contains(m.ended, false) {
			return nil, ci, io.EOF
		}
		if err := m.wait(0); err != nil {
			return nil, ci, err
		}
	}
}

// early is how long the packet at the head of ring best is to wait before
// Next returns it, so that a ring that holds nothing now can still hand
// over an earlier packet: as long as the kernel may keep a packet in a
// block before handing it over (LiveConfig.Timeout), counted from the
// packet's timestamp. 0 when every other ring has a packet at hand (the
// earliest of them all is this one), and when ring best is half full or
// more: waiting could fill it up, and a packet lost is worse than one out
// of order. A capture stopping waits as well: what each kernel had queued
// comes in order too.
func (m *Multi) early(best int) time.Duration {
	if m.lives[best].ring.halfFull() {
		return 0
	}
	for i := range m.lives {
		if !m.ended[i] && !m.heads[i].ok {
			return min(time.Until(m.heads[best].ci.Timestamp.Add(m.hold)), m.hold)
		}
	}
	return 0
}

// wait has every Live that holds nothing wait for its kernel, and returns
// when one of them is done waiting, or once d has passed if d > 0.
func (m *Multi) wait(d time.Duration) error {
	for i := range m.lives {
		if !m.ended[i] && !m.waiting[i] && !m.heads[i].ok {
			m.waiting[i] = true
			m.wake[i] <- struct{}{}
		}
	}
	if d <= 0 {
		return m.done(<-m.woken)
	}
	if m.timer == nil {
		m.timer = time.NewTimer(d)
	} else {
		m.timer.Reset(d)
	}
	select {
	case r := <-m.woken:
		m.timer.Stop()
		return m.done(r)
	case <-m.timer.C:
		return nil
	}
}

// collect takes back the Lives whose waiters are done waiting, without
// waiting: one that has packets again while another's keep Next busy is
// read at once, not once the other runs dry.
func (m *Multi) collect() error {
	for {
		select {
		case r := <-m.woken:
			if err := m.done(r); err != nil {
				return err
			}
		default:
			return nil
		}
	}
}

// done takes back the Live whose waiter reported r.
func (m *Multi) done(r waitResult) error {
	m.waiting[r.i] = false
	switch {
	case r.err == io.EOF:
		m.lives[r.i].done = true
		m.ended[r.i] = true
	case r.err != nil:
		return r.err
	}
	return nil
}

// Ready reports whether Next has a packet at hand without waiting: when
// every ring has one (or has ended), since Next may otherwise hold a
// packet back for an earlier one still in the kernel (see early).
func (m *Multi) Ready() bool {
	some := false
	for i, s := range m.lives {
		switch {
		case m.heads[i].ok:
			some = true
		case m.ended[i]:
		case m.waiting[i] || !s.Ready():
			return false
		default:
			some = true
		}
	}
	return some
}

// Interface describes interface i: the name, link type and snapshot length
// of the i-th LiveConfig's capture, and nanosecond timestamps.
func (m *Multi) Interface(i int) (Interface, bool) {
	if i < 0 || i >= len(m.ifaces) {
		return Interface{}, false
	}
	return m.ifaces[i], true
}

// Interfaces describes each interface, in the order given to OpenMulti.
func (m *Multi) Interfaces() []Interface {
	return m.ifaces
}

// Warning says, for each interface whose capture had to do otherwise than
// asked (see Live.Warning), what; "" when none did.
func (m *Multi) Warning() string {
	w := ""
	for _, s := range m.lives {
		if s.warning != "" {
			if w != "" {
				w += "; "
			}
			w += s.iface.Name + ": " + s.warning
		}
	}
	return w
}

// Stop ends the capture on every interface (see Live.Stop).
func (m *Multi) Stop() {
	for _, s := range m.lives {
		s.Stop()
	}
}

// Stats returns the kernel's counts summed over the interfaces.
func (m *Multi) Stats() (LiveStats, error) {
	each, err := m.InterfaceStats()
	return SumStats(each), err
}

// InterfaceStats returns the kernel's counts of each interface (see
// Live.Stats), in the order of Interfaces.
func (m *Multi) InterfaceStats() ([]LiveStats, error) {
	each := make([]LiveStats, len(m.lives))
	for i, s := range m.lives {
		st, err := s.Stats()
		if err != nil {
			return each, err
		}
		each[i] = st
	}
	return each, nil
}

// Close ends the waiters and closes every interface's capture. It must
// not be called while another goroutine is in Next; call Stop for that.
func (m *Multi) Close() error {
	if m.closed {
		return nil
	}
	m.closed = true
	// A waiter in its wait reads the ring: stop it before the ring goes.
	m.Stop()
	n := 0
	for _, w := range m.waiting {
		if w {
			n++
		}
	}
	for ; n > 0; n-- {
		r := <-m.woken
		m.waiting[r.i] = false
	}
	for _, w := range m.wake {
		close(w)
	}
	var err error
	for _, s := range m.lives {
		if cerr := s.Close(); err == nil {
			err = cerr
		}
	}
	return err
}
