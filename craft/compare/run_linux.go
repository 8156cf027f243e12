package compare

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/sockscope/sockscope/capture"
	"github.com/sockscope/sockscope/capture/filter"
	"github.com/sockscope/sockscope/craft"
	"github.com/sockscope/sockscope/decode/wire"
)

// network is where compare's IP kinds run and are captured: loopback,
// or a lab (lab_linux.go) whose senders and receivers live in two
// network namespaces.
type network struct {
	link             string // the capture's interface, seen from the receiver
	lab              bool
	sender, receiver net.IP
	// sender6 and receiver6 are the IPv6 addresses, used with --ip6.
	sender6, receiver6 net.IP
	ip6                bool
	// inSender and inReceiver run f where that side's sockets belong.
	inSender, inReceiver func(f func() error) error
	// capture is put before each kind's capture filter ("arp or ").
	capture string
	// timeout bounds one kind's run (0: the defaults); quiet is how long a
	// datagram receiver waits for one more message.
	timeout, quiet time.Duration
}

// loopback is compare's usual net: everything on lo, in this namespace.
func loopback() *network {
	here := func(f func() error) error { return f() }
	return &network{link: "lo", sender: loopback4, receiver: loopback4, sender6: net.IPv6loopback, receiver6: net.IPv6loopback,
		inSender: here, inReceiver: here, quiet: readQuiet}
}

// family is the report's family of n's IP kinds, and the suffix of Go's
// network names ("tcp4", "tcp6").
func (n *network) family() (string, string) {
	if n.ip6 {
		return "inet6", "6"
	}
	return "inet", "4"
}

// writeTimeout is how long a blocked write may wait on n.
func (n *network) writeTimeout() time.Duration {
	if n.timeout > 0 {
		return n.timeout
	}
	return writeTimeout
}

// writeTimeout is how long a write may block: a receiver that reads only
// after the sender has finished lets a stream's buffers fill on a long run.
const writeTimeout = 2 * time.Second

// readQuiet is how long a datagram or raw receiver waits for one more
// message before it takes the rest as lost.
const readQuiet = 200 * time.Millisecond

// ErrNothingRan is returned by Run when no kind could run.
var ErrNothingRan = errors.New("compare: no kind could run (the lines above say why)")

// Run runs each kind of cfg in turn on loopback: a receiver and a
// sender exchanging cfg.Messages, the receiver reading after the sender has
// finished and cfg.ReadDelay, with a capture on lo for each IP kind. A kind
// that cannot run (no privilege, no SCTP in the kernel) is skipped with the
// reason; ErrNothingRan when none could.
func Run(cfg Config) (*Report, error) {
	return runOn(cfg, loopback())
}

// RunInLab runs Run's IP kinds across lab's veth instead of lo:
// each sender's socket in namespace A, each receiver's in B, the capture on
// B's end of the veth. AF_UNIX kinds run as Run runs them.
func RunInLab(cfg Config, lab *Lab) (*Report, error) {
	return runOn(cfg, lab.net())
}

func runOn(cfg Config, n *network) (*Report, error) {
	if cfg.IP6 {
		n.ip6 = true
		n.sender, n.receiver = n.sender6, n.receiver6
		if n.lab {
			// IPv6 resolves neighbours with ICMPv6 neighbour
			// solicitations and advertisements, not ARP. Duplicate
			// address detection's solicitations (from ::, for the
			// veth's link-local address) are the link's, not a kind's.
			n.capture = "(icmp6 and (ip6[40] == 135 or ip6[40] == 136) and not src host ::) or "
		}
	}
	r := &Report{Link: n.link, Kinds: []KindReport{}, Skipped: []Skipped{}, Notes: []string{}}
	// Equal messages share one string: --count's are 26.
	r.Messages = make([]string, 0, len(cfg.Messages))
	cfg.texts = map[string]string{}
	for _, m := range cfg.Messages {
		s, ok := cfg.texts[string(m)]
		if !ok {
			s = string(m)
			cfg.texts[s] = s
		}
		r.Messages = append(r.Messages, s)
	}
	record := !cfg.NoWire
	if record {
		if err := probeCapture(n); err != nil {
			record = false
			r.Notes = append(r.Notes, fmt.Sprintf("wire not recorded: %v", err))
		}
	}
	for _, name := range cfg.Kinds {
		k, err := runKind(name, cfg, n, record)
		if err != nil {
			// One line: a spec's error goes on with the spec and a caret.
			reason, _, _ := strings.Cut(err.Error(), "\n")
			r.Skipped = append(r.Skipped, Skipped{Name: name, Reason: reason})
			continue
		}
		if cfg.FirstFrameOnly {
			k.keepFirstFrame()
		}
		r.Kinds = append(r.Kinds, *k)
	}
	if len(r.Kinds) == 0 {
		return r, ErrNothingRan
	}
	return r, nil
}

// probeCapture opens and closes a capture on n's link, to learn whether
// the wire can be recorded.
func probeCapture(n *network) error {
	return n.inReceiver(func() error {
		s, err := capture.OpenLive(capture.LiveConfig{Interface: n.link, NoPromisc: true})
		if err != nil {
			return err
		}
		return s.Close()
	})
}

func runKind(name string, cfg Config, n *network, record bool) (*KindReport, error) {
	switch name {
	case "raw":
		return runRaw(cfg, n, record)
	case "tcp":
		return runTCP(cfg, n, record)
	case "unix-stream":
		return runUnixConn(cfg, loopback(), "unix", "stream")
	case "unix-seqpacket":
		return runUnixConn(cfg, loopback(), "unixpacket", "seqpacket")
	case "udp":
		return runUDP(cfg, n, record)
	case "unix-dgram":
		return runUnixgram(cfg)
	case "sctp":
		return runSCTP(cfg, n, record)
	}
	return nil, fmt.Errorf("unknown kind %q", name)
}

// wireRecorder captures one kind's packets on a network's link.
type wireRecorder struct {
	link   string
	src    *capture.Live
	frames []Frame
	done   chan error
}

// startWire starts a capture on n's link, in the receiver's namespace, of
// the packets expr (pcap-filter) selects, and of n.capture's.
func startWire(n *network, expr string) (*wireRecorder, error) {
	if n.capture != "" {
		expr = n.capture + "(" + expr + ")"
	}
	var src *capture.Live
	err := n.inReceiver(func() error {
		lt, err := capture.LinkTypeOf(n.link)
		if err != nil {
			return err
		}
		prog, err := filter.Compile(expr, lt, 262144)
		if err != nil {
			return fmt.Errorf("filter %q: %w", expr, err)
		}
		raw, err := filter.Assemble(prog)
		if err != nil {
			return fmt.Errorf("filter %q: %w", expr, err)
		}
		src, err = capture.OpenLive(capture.LiveConfig{Interface: n.link, NoPromisc: true, Filter: raw, Timeout: 5 * time.Millisecond})
		return err
	})
	if err != nil {
		return nil, err
	}
	w := &wireRecorder{link: n.link, src: src, done: make(chan error, 1)}
	go func() {
		for {
			data, ci, err := src.Next()
			if err != nil {
				if err == io.EOF {
					err = nil
				}
				w.done <- err
				return
			}
			w.frames = append(w.frames, Frame{Data: append([]byte(nil), data...), CI: ci})
		}
	}()
	return w, nil
}

// stop ends the capture once the last packets had time to pass, and
// returns them.
func (w *wireRecorder) stop() ([]Frame, error) {
	time.Sleep(20 * time.Millisecond)
	w.src.Stop()
	err := <-w.done
	w.src.Close()
	return w.frames, err
}

// finish stops w, if any, and puts its count in k.
func finish(k *KindReport, w *wireRecorder, userIP bool) error {
	if w == nil {
		return nil
	}
	frames, err := w.stop()
	if err != nil {
		return fmt.Errorf("capture on %s: %w", w.link, err)
	}
	k.Frames = frames
	k.Wire = WireOf(frames, wire.LinkEthernet, userIP)
	return nil
}

// loopback4 is the address the IP kinds run on.
var loopback4 = net.IPv4(127, 0, 0, 1)

// readConn reads c until EOF (streams, seqpacket), returning each read and
// when the last one came; with a timeout, it gives up after it.
func readConn(c net.Conn, timeout time.Duration) (reads [][]byte, times []time.Time, last time.Time, err error) {
	if timeout > 0 {
		c.SetReadDeadline(time.Now().Add(timeout))
	}
	buf := make([]byte, 256<<10)
	for {
		n, err := c.Read(buf)
		if n > 0 {
			reads = append(reads, append([]byte(nil), buf[:n]...))
			last = time.Now()
			times = append(times, last)
		}
		if err == io.EOF {
			return reads, times, last, nil
		}
		if err != nil {
			return reads, times, last, err
		}
	}
}

// readDatagrams reads c until no datagram comes for quiet or every
// message has come.
func readDatagrams(c net.Conn, n int, quiet time.Duration) (reads [][]byte, times []time.Time, last time.Time, err error) {
	// Larger than any datagram: an AF_UNIX one may be as large as the
	// socket's send buffer (212992 bytes by default), and a shorter buffer
	// would cut it.
	buf := make([]byte, 1<<20)
	for len(reads) < n {
		c.SetReadDeadline(time.Now().Add(quiet))
		k, err := c.Read(buf)
		if err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				return reads, times, last, nil
			}
			return reads, times, last, err
		}
		reads = append(reads, append([]byte(nil), buf[:k]...))
		last = time.Now()
		times = append(times, last)
	}
	return reads, times, last, nil
}

// blockedAfter is how long a write may block before the receiver starts
// reading: the kernel's buffers for the connection (or a unix datagram
// socket's queue) are full, and would stay so until it reads.
const blockedAfter = 50 * time.Millisecond

// sending is a sender's progress as its receiver waits on it.
type sending struct {
	ready     chan struct{} // closed when the sender has finished or is blocked
	once      sync.Once
	blockedAt int // the write (from 1) that blocked first; 0 when none did
}

func newSending() *sending { return &sending{ready: make(chan struct{})} }

func (s *sending) release() { s.once.Do(func() { close(s.ready) }) }

// note says when the receiver started reading, if before the last write.
func (s *sending) note(n int) string {
	if s.blockedAt == 0 {
		return ""
	}
	return fmt.Sprintf("the receiver began reading at write %d of %d: the sender's buffers were full", s.blockedAt, n)
}

// writeAll writes each message to c, in its own write call. When a write
// blocks, it releases the receiver to read, and waits for room.
func writeAll(c net.Conn, msgs [][]byte, s *sending, timeout time.Duration) (writes []Op, first time.Time, err error) {
	defer s.release()
	writes = make([]Op, 0, len(msgs))
	for i, m := range msgs {
		if i == 0 {
			first = time.Now()
		}
		c.SetWriteDeadline(time.Now().Add(blockedAfter))
		done, err := c.Write(m)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			if s.blockedAt == 0 {
				s.blockedAt = i + 1
			}
			s.release()
			c.SetWriteDeadline(time.Now().Add(timeout))
			var n int
			n, err = c.Write(m[done:])
			done += n
		}
		if done > 0 || err == nil {
			writes = append(writes, Op{Bytes: done, At: time.Now()})
		}
		if err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				return writes, first, fmt.Errorf("write %d of %d blocked for %v while the receiver was reading", i+1, len(msgs), timeout)
			}
			if errors.Is(err, syscall.EMSGSIZE) {
				return writes, first, fmt.Errorf("write %d of %d: %d bytes are more than one datagram of this socket holds (UDP: 65507 over IPv4); send smaller messages", i+1, len(msgs), len(m))
			}
			return writes, first, fmt.Errorf("write: %w", err)
		}
	}
	return writes, first, nil
}

// readOps are reads as the report shows them.
func readOps(cfg *Config, reads [][]byte, times []time.Time) []Op {
	ops := make([]Op, len(reads))
	for i, r := range reads {
		ops[i] = Op{Bytes: len(r), Data: cfg.readData(r), At: times[i]}
	}
	return ops
}

// connected runs a connected kind: ln accepts the connection dial makes;
// the sender writes the messages and closes, and after cfg.ReadDelay the
// receiver reads until EOF and closes.
func connected(k *KindReport, cfg Config, n *network, ln net.Listener, dial func() (net.Conn, error)) error {
	// A listener that never accepts (nothing came) must not hold compare
	// for good.
	if dl, ok := ln.(interface{ SetDeadline(time.Time) error }); ok && n.timeout > 0 {
		dl.SetDeadline(time.Now().Add(n.timeout))
	}
	accepted := make(chan net.Conn, 1)
	var aerr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		c, err := ln.Accept()
		aerr = err
		accepted <- c
	}()
	c, err := dial()
	if err != nil {
		ln.Close()
		wg.Wait()
		return fmt.Errorf("connect: %w", err)
	}
	k.Sender = c.LocalAddr().String()
	if k.Family == "unix" {
		k.Sender = ""
	}
	// The sender writes without waiting for the accept: when a lossy lab
	// drops the handshake's last ACK, its first data segment completes
	// the handshake (the listener's SYN-ACKs sent again may all be lost).
	return exchange(k, cfg, n, c, func() ([][]byte, []time.Time, time.Time, error) {
		wg.Wait()
		srv := <-accepted
		if aerr != nil {
			return nil, nil, time.Time{}, fmt.Errorf("accept: %w", aerr)
		}
		defer srv.Close()
		return readConn(srv, n.timeout)
	})
}

// exchange writes the messages on tx (closing it after) while the
// receiver waits; after cfg.ReadDelay (or as soon as the sender blocks)
// read reads them. It fills in k's writes, reads, tally and elapsed time.
func exchange(k *KindReport, cfg Config, n *network, tx net.Conn, read func() ([][]byte, []time.Time, time.Time, error)) error {
	var writes []Op
	var first time.Time
	var werr error
	s := newSending()
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		// The receiver waits cfg.ReadDelay after the sender blocks
		// before it reads and makes room.
		writes, first, werr = writeAll(tx, cfg.Messages, s, n.writeTimeout()+cfg.ReadDelay)
		tx.Close()
	}()
	<-s.ready
	time.Sleep(cfg.ReadDelay)
	reads, times, last, err := read()
	<-sent
	k.Writes = writes
	k.Note = s.note(len(cfg.Messages))
	if err != nil {
		return fmt.Errorf("read: %w", err)
	}
	k.Reads = readOps(&cfg, reads, times)
	k.tally(cfg.Messages, reads)
	if !last.IsZero() {
		k.ElapsedUS = last.Sub(first).Microseconds()
	}
	return werr
}

func runTCP(cfg Config, n *network, record bool) (*KindReport, error) {
	fam, v := n.family()
	k := &KindReport{Kind: "stream", Name: "tcp", Protocol: "tcp", Family: fam}
	var ln *net.TCPListener
	err := n.inReceiver(func() (err error) {
		ln, err = net.ListenTCP("tcp"+v, &net.TCPAddr{IP: n.receiver})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	k.Receiver = ln.Addr().String()
	var w *wireRecorder
	if record {
		if w, err = startWire(n, "tcp port "+strconv.Itoa(port)); err != nil {
			return nil, err
		}
	}
	err = connected(k, cfg, n, ln, func() (net.Conn, error) {
		var c *net.TCPConn
		err := n.inSender(func() (err error) {
			d := net.Dialer{Timeout: n.timeout}
			conn, err := d.Dial("tcp"+v, (&net.TCPAddr{IP: n.receiver, Port: port}).String())
			if err == nil {
				c = conn.(*net.TCPConn)
			}
			return err
		})
		if err != nil {
			return nil, err
		}
		// Go sets TCP_NODELAY on every connection; compare leaves Nagle's
		// algorithm on, as a C program's socket has it, unless --nodelay.
		c.SetNoDelay(cfg.NoDelay)
		return c, nil
	})
	// The receiver's close has its FIN and ACK still to cross.
	time.Sleep(10 * time.Millisecond)
	if ferr := finish(k, w, false); err == nil {
		err = ferr
	}
	if err != nil {
		return nil, err
	}
	return k, nil
}

// unixName is an abstract socket name for one kind of this process: it
// leaves no file behind.
func unixName(kind string) string {
	return fmt.Sprintf("@sockscope-compare-%d-%s", os.Getpid(), kind)
}

func runUnixConn(cfg Config, n *network, network, kind string) (*KindReport, error) {
	name := "unix-" + kind
	k := &KindReport{Kind: kind, Name: name, Protocol: "unix", Family: "unix"}
	addr := &net.UnixAddr{Name: unixName(kind), Net: network}
	ln, err := net.ListenUnix(network, addr)
	if err != nil {
		return nil, fmt.Errorf("listen %s: %w", addr.Name, err)
	}
	defer ln.Close()
	k.Receiver = addr.Name
	if err := connected(k, cfg, n, ln, func() (net.Conn, error) { return net.DialUnix(network, nil, addr) }); err != nil {
		return nil, err
	}
	return k, nil
}

// datagrams runs a datagram kind: the sender writes each message to the
// receiver and closes; after cfg.ReadDelay the receiver reads until every
// message came or none comes for readQuiet.
func datagrams(k *KindReport, cfg Config, n *network, rx, tx net.Conn) error {
	return exchange(k, cfg, n, tx, func() ([][]byte, []time.Time, time.Time, error) {
		return readDatagrams(rx, len(cfg.Messages), n.quiet)
	})
}

func runUDP(cfg Config, n *network, record bool) (*KindReport, error) {
	fam, v := n.family()
	k := &KindReport{Kind: "datagram", Name: "udp", Protocol: "udp", Family: fam}
	var rx *net.UDPConn
	err := n.inReceiver(func() (err error) {
		rx, err = net.ListenUDP("udp"+v, &net.UDPAddr{IP: n.receiver})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	defer rx.Close()
	raddr := rx.LocalAddr().(*net.UDPAddr)
	k.Receiver = raddr.String()
	var w *wireRecorder
	if record {
		if w, err = startWire(n, "udp port "+strconv.Itoa(raddr.Port)); err != nil {
			return nil, err
		}
	}
	var tx *net.UDPConn
	err = n.inSender(func() (err error) {
		tx, err = net.DialUDP("udp"+v, nil, raddr)
		return err
	})
	if err != nil {
		if w != nil {
			w.stop()
		}
		return nil, fmt.Errorf("connect: %w", err)
	}
	k.Sender = tx.LocalAddr().String()
	err = datagrams(k, cfg, n, rx, tx)
	if err == nil && k.Lost > 0 && !n.lab {
		// Loopback loses nothing on the way: the receiving socket's
		// queue was full.
		k.Note = strings.TrimPrefix(k.Note+"; "+fmt.Sprintf("%d datagrams dropped by the receiving socket: its buffer (net.core.rmem_default) filled while the receiver waited --read-delay to read", k.Lost), "; ")
	}
	if ferr := finish(k, w, false); err == nil {
		err = ferr
	}
	if err != nil {
		return nil, err
	}
	return k, nil
}

func runUnixgram(cfg Config) (*KindReport, error) {
	k := &KindReport{Kind: "datagram", Name: "unix-dgram", Protocol: "unix", Family: "unix"}
	addr := &net.UnixAddr{Name: unixName("dgram"), Net: "unixgram"}
	rx, err := net.ListenUnixgram("unixgram", addr)
	if err != nil {
		return nil, fmt.Errorf("listen %s: %w", addr.Name, err)
	}
	defer rx.Close()
	k.Receiver = addr.Name
	tx, err := net.DialUnix("unixgram", nil, addr)
	if err != nil {
		return nil, fmt.Errorf("connect %s: %w", addr.Name, err)
	}
	if err := datagrams(k, cfg, loopback(), rx, tx); err != nil {
		return nil, err
	}
	return k, nil
}

// runRaw sends each message under cfg.Raw's headers from a raw socket
// with IP_HDRINCL (the craft sender) and reads them, headers included, on
// a raw socket for the spec's protocol.
func runRaw(cfg Config, n *network, record bool) (*KindReport, error) {
	b := cfg.Raw
	if b == nil {
		return nil, errors.New("no --raw spec")
	}
	first, err := b.HeaderPacket(0, cfg.Messages[0], 0)
	if err != nil {
		return nil, err
	}
	// The header the user wrote: IPv4's (its IHL) or IPv6's fixed 40
	// bytes; addrs are its source and destination, as read back.
	var ihl, proto int
	var src, dst string
	var addrs []byte
	switch {
	case n.ip6 && len(first) >= 40 && first[0]>>4 == 6:
		ihl, proto = 40, int(first[6])
		src, dst = net.IP(first[8:24]).String(), net.IP(first[24:40]).String()
		addrs = first[8:40]
	case n.ip6:
		return nil, errors.New("--raw must start with ip6(...) with --ip6")
	case len(first) >= 20 && first[0]>>4 == 4:
		ihl, proto = int(first[0]&0x0f)*4, int(first[9])
		src, dst = net.IP(first[12:16]).String(), net.IP(first[16:20]).String()
		addrs = first[12:20]
	default:
		return nil, errors.New("--raw must start with ip(...) (or ip6(...) with --ip6)")
	}
	fam, v := n.family()
	k := &KindReport{Kind: "raw", Name: "raw", Protocol: "ip", Family: fam,
		Sender: src, Receiver: dst + " proto " + strconv.Itoa(proto)}
	if n.ip6 {
		k.Protocol = "ip6"
		k.Note = "an IPv6 raw socket never reads the IPv6 header: the reads' headers were rebuilt from the ancillary data (addresses, hop limit, traffic class)"
	}
	var l *craft.RawListener
	if err := n.inReceiver(func() (err error) {
		l, err = craft.ListenRaw(proto, n.ip6)
		return err
	}); err != nil {
		return nil, err
	}
	defer l.Close()
	var s *craft.Sender
	if err := n.inSender(func() error {
		t, _, err := craft.TargetFor(b, "", nil)
		if err != nil {
			return err
		}
		s, err = craft.Open(t, first)
		return err
	}); err != nil {
		return nil, err
	}
	defer s.Close()
	var w *wireRecorder
	if record {
		if w, err = startWire(n, fmt.Sprintf("ip%s proto %d and src host %s and dst host %s", map[string]string{"4": "", "6": "6"}[v], proto, src, dst)); err != nil {
			return nil, err
		}
	}
	got := make(chan []byte, len(cfg.Messages)+16)
	start := make(chan struct{})
	go func() {
		defer close(got)
		<-start
		for {
			data, _, err := l.Next()
			if err != nil {
				return
			}
			got <- append([]byte(nil), data...)
		}
	}()
	var at time.Time
	var werr error
	for i, m := range cfg.Messages {
		pkt, err := b.HeaderPacket(i, m, 0)
		if err != nil {
			werr = err
			break
		}
		if i == 0 {
			at = time.Now()
		}
		if _, err := s.SendFrames([][]byte{pkt}); err != nil {
			werr = err
			break
		}
		k.Writes = append(k.Writes, Op{Bytes: len(pkt), HeaderBytes: ihl, Header: hex.EncodeToString(pkt[:ihl]), At: time.Now()})
	}
	time.Sleep(cfg.ReadDelay)
	close(start)
	var reads [][]byte
	var last time.Time
	quiet := time.NewTimer(n.quiet)
	for len(reads) < len(cfg.Messages) {
		select {
		case pkt := <-got:
			// The socket gets every packet of the protocol to this host:
			// only those between the spec's addresses are the run's.
			ip, h, _, _, got := ipOf(pkt, wire.LinkRaw)
			if ip == nil || !bytes.Equal(got, addrs) {
				continue
			}
			last = time.Now()
			reads = append(reads, pkt[h:])
			k.Reads = append(k.Reads, Op{Bytes: len(pkt), HeaderBytes: h, Header: hex.EncodeToString(pkt[:h]), Data: cfg.readData(pkt[h:]), At: last})
			quiet.Reset(n.quiet)
			continue
		case <-quiet.C:
		}
		break
	}
	l.Close()
	for range got {
	}
	k.tally(cfg.Messages, reads)
	if !last.IsZero() {
		k.ElapsedUS = last.Sub(at).Microseconds()
	}
	if ferr := finish(k, w, true); werr == nil {
		werr = ferr
	}
	if werr != nil {
		return nil, werr
	}
	return k, nil
}
