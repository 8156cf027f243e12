package craft

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sockscope/sockscope/craft/spec"
	"github.com/sockscope/sockscope/decode/wire"
)

// Target is where the packets of a run go.
type Target struct {
	// Link is the framing of the packets (Builder.LinkType): Ethernet
	// frames go out as they are on a packet socket bound to Iface; raw IP
	// packets go out of a raw IP socket that takes the header as written.
	Link wire.LinkType
	// IPv6 is whether raw IP packets are IPv6 (the spec starts at ip6).
	IPv6 bool
	// Iface is the interface to send on (-i). Frames need one; raw IP
	// packets are bound to it when it is set (SO_BINDTODEVICE), else go
	// where the routing table says.
	Iface string
	// NextHop, for raw IP packets with Iface set, is the MAC address of
	// the next hop on Iface. With it the packets leave from a packet
	// socket addressed to that MAC (the kernel adds only the Ethernet
	// header), so that nothing in the IP header is rewritten: a raw IPv4
	// socket writes ip len and chksum itself (and an id or src of 0).
	// nil: a raw IP socket. The neighbour lookup fills it in.
	NextHop net.HardwareAddr
}

// TargetFor is where b's packets go when sent on iface (-i, "" for the
// routing table's choice), and notes for the user, one line each.
//
// Frames go out of iface, or of the interface the kernel routes their IP or
// ARP destination by. IP packets go out of a raw IP socket, unless iface
// is set or a raw IPv4 socket would rewrite the header (a length or
// checksum the user set wrong, an id or src of 0): then, when hops finds
// the route's next hop (on iface, if set) and its MAC, they go to that MAC
// from a packet socket on its interface, so that the header reaches the
// wire as written; if it does not, from the raw socket (bound to iface),
// with a note.
func TargetFor(b *Builder, iface string, hops HopFinder) (Target, []string, error) {
	t := Target{Link: b.LinkType(), Iface: iface}
	first := b.Packet(0)
	if t.Link == wire.LinkEthernet {
		if iface != "" {
			return t, nil, nil
		}
		dst := b.linkDestination()
		if hops == nil || !dst.IsValid() || dst.IsUnspecified() {
			return t, nil, ErrNeedInterface
		}
		r, err := hops.Route(dst)
		if err != nil {
			return t, nil, fmt.Errorf("%w (%v)", ErrNeedInterface, err)
		}
		t.Iface = r.Iface
		return t, nil, nil
	}
	t.IPv6 = len(b.layers) > 0 && b.layers[0].Kind == spec.IPv6
	var rewrites []string
	if !t.IPv6 {
		rewrites = kernelRewrites(first, b.layers[0].Has)
	}
	if iface == "" && len(rewrites) == 0 {
		return t, nil, nil
	}
	// With -i, as with a header the kernel would rewrite, the packet goes
	// out of a packet socket on the interface to the next hop's MAC.
	dst, err := destination(first, t.IPv6)
	if err == nil && hops != nil {
		var r Route
		if r, err = hops.Route(dst); err == nil {
			var mac net.HardwareAddr
			if mac, err = hops.NextMAC(r); err == nil {
				t.Iface, t.NextHop = r.Iface, mac
				return t, nil, nil
			}
		}
	}
	if hops == nil {
		err = errors.New("no neighbour lookup")
	}
	if len(rewrites) == 0 {
		return t, []string{fmt.Sprintf("sending from a raw IP socket bound to %s: the next hop's MAC was not found (%v)", iface, err)}, nil
	}
	note := fmt.Sprintf("a raw IPv4 socket sends %s; to send them as written, give the frame: ether(dst=NEXT-HOP-MAC)/ip(...) with -i IFACE (the next hop's MAC was not found: %v)",
		strings.Join(rewrites, ", "), err)
	return t, []string{note}, nil
}

// linkDestination is the address a frame of b is for: its first ARP
// layer's pdst or IP layer's dst.
func (b *Builder) linkDestination() netip.Addr {
	for _, l := range b.layers {
		switch l.Kind {
		case spec.ARP, spec.IPv4, spec.IPv6:
			return l.dst
		}
	}
	return netip.Addr{}
}

// ErrNeedInterface is returned by Open for Ethernet frames without an
// interface to send them on.
var ErrNeedInterface = errors.New("a spec that starts with ether is sent on an interface: give -i IFACE")

// Run says how many packets a run sends and how fast.
type Run struct {
	// Count is the number of packets; 0 sends until the context ends.
	Count int
	// Every is the time from one packet to the next, kept by absolute
	// deadlines (packet n is due n*Every after packet 0 went out) so
	// that the pace does not drift. 0 sends as fast as the link takes, in batches.
	Every time.Duration
	// Sent, when set, is called with each packet as it goes out, in
	// order. The slice is valid only during the call.
	Sent func(pkt []byte, at time.Time)
}

// batchSize is how many packets one system call sends at full speed: enough
// to make the call's own cost small beside the packets' (sendmmsg's limit,
// UIO_MAXIOV, is 1024).
const batchSize = 256

// maxTable is the most memory a run keeps its packets in, so that a flood
// of counting probes builds each packet once and then only copies it.
const maxTable = 64 << 20

// Send sends the packets of b through s as r says, until r.Count packets are
// sent or ctx ends (a stop, not an error), and returns how many went out.
//
// A flood (no pace) that needs no Sent callback sends from one thread per
// CPU, up to maxLanes, each with its own batches: the kernel's work for a
// packet is done on the CPU that sends it, so that a flood takes every CPU
// the link can keep busy. Its packets are in order within each batch of
// batchSize, not across them.
func (s *Sender) Send(ctx context.Context, b *Builder, r Run) (int, error) {
	src := newProbes(b, r.Count)
	if r.Every > 0 || r.Sent != nil {
		return s.sendInOrder(ctx, src, r)
	}
	lanes := min(runtime.GOMAXPROCS(0), maxLanes)
	if r.Count > 0 {
		lanes = min(lanes, (r.Count+batchSize-1)/batchSize)
	}
	// The first batch alone, so that a packet the kernel refuses stops
	// the run at once, with one error.
	first := batchSize
	if r.Count > 0 {
		first = min(first, r.Count)
	}
	sent, err := s.sendLane(ctx, s.lane(), src, 0, first, first)
	if err != nil || sent == r.Count || ctx.Err() != nil {
		return sent, err
	}
	if src.table == nil {
		lanes = 1 // packets built as they go are built by one thread
	}
	src.fill(lanes)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var next atomic.Int64
	next.Store(int64(sent))
	counts := make([]int, lanes)
	errs := make([]error, lanes)
	var wg sync.WaitGroup
	for i := range lanes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l := s.lane()
			for ctx.Err() == nil {
				start := int(next.Add(batchSize)) - batchSize
				n := batchSize
				if r.Count > 0 {
					n = min(n, r.Count-start)
				}
				if n <= 0 {
					return
				}
				k, err := s.sendLane(ctx, l, src, start, n, n)
				counts[i] += k
				if err != nil {
					errs[i] = err
					cancel()
					return
				}
			}
		}()
	}
	wg.Wait()
	for i := range lanes {
		sent += counts[i]
	}
	return sent, errors.Join(errs...)
}

// SendFrames sends packets as they are, in order, up to batchSize in each
// system call, from the calling goroutine. It returns how many went out
// before the first one the kernel refused, and that refusal (an error that
// errors.Is the errno, such as unix.EMSGSIZE for a frame larger than the
// link takes): the caller may count it and go on with the rest.
func (s *Sender) SendFrames(pkts [][]byte) (int, error) {
	if s.own == nil {
		s.own = s.lane()
	}
	sent := 0
	for sent < len(pkts) {
		k, err := s.own.send(pkts[sent:min(len(pkts), sent+batchSize)])
		sent += k
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// maxLanes is the most threads a flood sends from.
const maxLanes = 8

// sendLane sends packets start to start+n of src through l, in batches of
// at most per.
func (s *Sender) sendLane(ctx context.Context, l *lane, src *probes, start, n, per int) (int, error) {
	if l.scratch == nil {
		l.scratch = src.scratch()
	}
	sent := 0
	for sent < n && ctx.Err() == nil {
		l.batch = l.batch[:0]
		for i := range min(per, n-sent, batchSize) {
			l.batch = append(l.batch, src.packet(start+sent+i, i, l.scratch))
		}
		k, err := l.send(l.batch)
		sent += k
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// sendInOrder sends the packets of a paced run, or of one whose packets
// are recorded (r.Sent), in order from one thread.
func (s *Sender) sendInOrder(ctx context.Context, src *probes, r Run) (int, error) {
	var pace *Pacer
	if r.Every > 0 {
		pace = NewPacer(time.Now(), r.Every)
	}
	l := s.lane()
	batch := make([][]byte, 0, batchSize)
	scratch := src.scratch()
	sent := 0
	for r.Count == 0 || sent < r.Count {
		if ctx.Err() != nil {
			break
		}
		n := batchSize
		if r.Count > 0 {
			n = min(n, r.Count-sent)
		}
		if pace != nil {
			if err := pace.Wait(ctx, sent); err != nil {
				break
			}
			n = min(n, pace.Due(time.Now(), sent))
		}
		batch = batch[:0]
		for i := range n {
			batch = append(batch, src.packet(sent+i, i, scratch))
		}
		// Stamped before the send, as ping does: on a fast link the
		// reply can come before the system call returns.
		at := time.Now()
		k, err := l.send(batch)
		if r.Sent != nil && k > 0 {
			for _, p := range batch[:k] {
				r.Sent(p, at)
			}
		}
		if pace != nil && sent == 0 && k > 0 {
			pace.Went(k, time.Now())
		}
		sent += k
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// probes hands out the packets of a run. The fields that tell probes apart
// are 16 bits wide, so packet i is packet i mod 65536: a run keeps each
// packet it has built and builds it once; a run whose packets are all the
// same keeps one. When 65536 whole packets would take more than maxTable,
// it keeps their heads, the bytes before the spec's payload (which every
// packet shares), and puts each packet together in a scratch buffer.
type probes struct {
	b     *Builder
	table [][]byte // whole packets, or heads when tail is set; nil: build each
	tail  []byte   // the payload every packet ends with, when table holds heads
	size  int      // the length of every packet
}

func newProbes(b *Builder, count int) *probes {
	first := b.Packet(0)
	p := &probes{b: b, size: len(first)}
	n := b.period()
	if count > 0 {
		n = min(n, count)
	}
	tail := b.payloadLen()
	switch {
	case n*p.size <= maxTable:
		p.table = make([][]byte, n)
	case tail > 0 && n*(p.size-tail) <= maxTable:
		p.table = make([][]byte, n)
		p.tail = first[p.size-tail:]
	}
	return p
}

// payloadLen is the length of the payload layers that end b's spec.
func (b *Builder) payloadLen() int {
	n := 0
	for j := len(b.layers) - 1; j >= 0 && b.layers[j].Kind == spec.Payload; j-- {
		n += len(b.layers[j].Data)
	}
	return n
}

// fill builds every entry of the table, from lanes goroutines, before they
// are shared.
func (p *probes) fill(lanes int) {
	if p.table == nil {
		return
	}
	var wg sync.WaitGroup
	for k := range lanes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := k; j < len(p.table); j += lanes {
				if p.table[j] == nil {
					p.table[j] = p.entry(j)
				}
			}
		}()
	}
	wg.Wait()
}

func (p *probes) entry(j int) []byte {
	pkt := p.b.Packet(j)
	if p.tail != nil {
		return bytes.Clone(pkt[:len(pkt)-len(p.tail)])
	}
	return pkt
}

// scratch is room for a batch of packets put together from heads and the
// tail: nil when the table holds whole packets.
func (p *probes) scratch() []byte {
	if p.tail == nil {
		return nil
	}
	return make([]byte, p.size*batchSize)
}

// packet is packet i of the run; k is its place in the batch, whose packet
// it may be put together in scratch.
func (p *probes) packet(i, k int, scratch []byte) []byte {
	if p.table == nil {
		return p.b.Packet(i)
	}
	j := i % len(p.table)
	if p.table[j] == nil {
		p.table[j] = p.entry(j)
	}
	if p.tail == nil {
		return p.table[j]
	}
	buf := scratch[k*p.size : (k+1)*p.size]
	copy(buf[copy(buf, p.table[j]):], p.tail)
	return buf
}

// period is how many packets of b there are before they repeat: 1 when no
// field counts, else 1<<16, since the counting fields (ip id, icmp and icmp6
// echo seq) are 16 bits wide and packet i is packet i+65536.
func (b *Builder) period() int {
	for _, l := range b.layers {
		for _, counts := range l.count {
			if counts {
				return 1 << 16
			}
		}
	}
	return 1
}

// destination is the address a raw IP packet is sent to: its IP header's
// dst, which the kernel routes.
func destination(pkt []byte, ip6 bool) (netip.Addr, error) {
	if ip6 {
		if len(pkt) < 40 {
			return netip.Addr{}, fmt.Errorf("an IPv6 packet of %d bytes has no destination address", len(pkt))
		}
		return netip.AddrFrom16([16]byte(pkt[24:40])), nil
	}
	if len(pkt) < 20 {
		return netip.Addr{}, fmt.Errorf("an IPv4 packet of %d bytes has no destination address", len(pkt))
	}
	return netip.AddrFrom4([4]byte(pkt[16:20])), nil
}

// KernelRewrites lists what a raw IPv4 socket would change in pkt, as
// "ip len 9999 (the kernel writes 28)", empty when it sends pkt as it is.
// With IP_HDRINCL, Linux always writes the total length and header
// checksum, and fills in a src or id of 0 (an id only without DF).
func KernelRewrites(pkt []byte) []string {
	return kernelRewrites(pkt, nil)
}

// kernelRewrites is KernelRewrites of the fields set reports as the user's
// (all of them when set is nil): a default the kernel changes is no news.
func kernelRewrites(pkt []byte, set func(field string) bool) []string {
	if len(pkt) < 20 || int(pkt[0]&0xf)*4 < 20 || int(pkt[0]&0xf)*4 > len(pkt) {
		return nil // a header the kernel takes as it is, or refuses
	}
	if set == nil {
		set = func(string) bool { return true }
	}
	var out []string
	hl := int(pkt[0]&0xf) * 4
	if l := int(pkt[2])<<8 | int(pkt[3]); l != len(pkt) && set("len") {
		out = append(out, fmt.Sprintf("ip len %d (the kernel writes %d)", l, len(pkt)))
	}
	if c := int(pkt[10])<<8 | int(pkt[11]); c != int(headerChecksum(pkt[:hl], len(pkt))) && set("chksum") {
		out = append(out, fmt.Sprintf("ip chksum %#04x (the kernel writes the right one)", c))
	}
	if pkt[4] == 0 && pkt[5] == 0 && pkt[6]&0x40 == 0 && set("id") {
		out = append(out, "ip id 0 (the kernel picks one)")
	}
	if pkt[12]|pkt[13]|pkt[14]|pkt[15] == 0 && set("src") {
		out = append(out, "ip src 0.0.0.0 (the kernel writes the interface's address)")
	}
	return out
}

// headerChecksum is the IPv4 header checksum of hdr as the kernel computes
// it, with the total length field set to n.
func headerChecksum(hdr []byte, n int) uint16 {
	h := append([]byte(nil), hdr...)
	h[2], h[3] = byte(n>>8), byte(n)
	h[10], h[11] = 0, 0
	return wire.Checksum(h)
}
