package compare

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// runSCTP runs the SCTP kind: SOCK_SEQPACKET sockets (RFC 6458's
// one-to-many style), the receiver bound and listening, the sender sending
// each message to it with sendto, which sets up the association (INIT,
// INIT ACK, COOKIE ECHO, COOKIE ACK) with the first. Each message is one
// DATA chunk and one read, delivered reliably and in order; closing the
// sender shuts the association down. The receiver reads, after
// cfg.ReadDelay, until every message has come or none comes for a while.
func runSCTP(cfg Config, n *network, record bool) (*KindReport, error) {
	fam, _ := n.family()
	k := &KindReport{Kind: "seqpacket", Name: "sctp", Protocol: "sctp", Family: fam}
	var rx *sctpConn
	err := n.inReceiver(func() (err error) {
		rx, err = openSCTP(n.ip6, n.receiver, true)
		return err
	})
	if err != nil {
		return nil, err
	}
	defer rx.Close()
	k.Receiver = rx.local.String()
	var w *wireRecorder
	if record {
		if w, err = startWire(n, "sctp port "+strconv.Itoa(rx.local.Port)); err != nil {
			return nil, err
		}
	}
	var tx *sctpConn
	err = n.inSender(func() (err error) {
		tx, err = openSCTP(n.ip6, n.sender, false)
		return err
	})
	if err != nil {
		if w != nil {
			w.stop()
		}
		return nil, err
	}
	tx.to = sockaddrOf(rx.local)
	k.Sender = tx.local.String()
	err = exchange(k, cfg, n, tx, func() ([][]byte, []time.Time, time.Time, error) {
		// Delivery is reliable: wait as long as a stream's reader would
		// for a message still being retransmitted, not a datagram's quiet.
		return readDatagrams(rx, len(cfg.Messages), max(n.quiet, sctpQuiet))
	})
	if w != nil {
		// The association's SHUTDOWN, SHUTDOWN ACK and SHUTDOWN COMPLETE
		// follow the sender's close.
		time.Sleep(sctpShutdownWait)
	}
	if ferr := finish(k, w, false); err == nil {
		err = ferr
	}
	if err != nil {
		return nil, err
	}
	return k, nil
}

// sctpQuiet is how long the SCTP receiver waits for one more message: an
// association retransmits after its RTO, 1 s at first and doubling (RFC
// 9260 section 16, RTO.Initial; Linux's default is the same), so a chunk
// lost three times on a lossy lab link comes after 7 s.
const sctpQuiet = 10 * time.Second

// sctpShutdownWait lets an association's shutdown cross the link before the
// capture stops.
const sctpShutdownWait = 50 * time.Millisecond

// sctpConn is an SCTP SOCK_SEQPACKET socket as a net.Conn for exchange:
// Read returns one message; Write sends one, to the receiver when to is set.
// Deadlines are the runtime poller's, as for Go's own sockets.
type sctpConn struct {
	f     *os.File
	rc    syscall.RawConn
	local *net.TCPAddr // IP and port (Go has no SCTPAddr)
	to    unix.Sockaddr
}

// openSCTP opens an SCTP SOCK_SEQPACKET socket bound to ip (port chosen by
// the kernel); a receiver listens, so that associations come up.
func openSCTP(ip6 bool, ip net.IP, listen bool) (*sctpConn, error) {
	family := unix.AF_INET
	if ip6 {
		family = unix.AF_INET6
	}
	fd, err := unix.Socket(family, unix.SOCK_SEQPACKET|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, unix.IPPROTO_SCTP)
	if err != nil {
		if errors.Is(err, unix.EPROTONOSUPPORT) || errors.Is(err, unix.ESOCKTNOSUPPORT) {
			return nil, fmt.Errorf("this kernel has no SCTP (%v; modprobe sctp adds it)", err)
		}
		return nil, fmt.Errorf("sctp socket: %w", err)
	}
	fail := func(op string, err error) (*sctpConn, error) {
		unix.Close(fd)
		return nil, fmt.Errorf("sctp %s: %w", op, err)
	}
	if err := unix.Bind(fd, sockaddrOf(&net.TCPAddr{IP: ip})); err != nil {
		return fail("bind "+ip.String(), err)
	}
	if listen {
		if err := unix.Listen(fd, 8); err != nil {
			return fail("listen", err)
		}
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		return fail("getsockname", err)
	}
	c := &sctpConn{local: addrOf(sa)}
	// A non-blocking socket: os.NewFile puts it under the runtime poller.
	c.f = os.NewFile(uintptr(fd), "sctp "+c.local.String())
	if c.rc, err = c.f.SyscallConn(); err != nil {
		c.f.Close()
		return nil, fmt.Errorf("sctp: %w", err)
	}
	return c, nil
}

// sockaddrOf is the socket address of a.
func sockaddrOf(a *net.TCPAddr) unix.Sockaddr {
	if ip4 := a.IP.To4(); ip4 != nil {
		sa := &unix.SockaddrInet4{Port: a.Port}
		copy(sa.Addr[:], ip4)
		return sa
	}
	sa := &unix.SockaddrInet6{Port: a.Port}
	copy(sa.Addr[:], a.IP.To16())
	return sa
}

// addrOf is the address in sa.
func addrOf(sa unix.Sockaddr) *net.TCPAddr {
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		return &net.TCPAddr{IP: net.IP(sa.Addr[:]).To16(), Port: sa.Port}
	case *unix.SockaddrInet6:
		return &net.TCPAddr{IP: net.IP(sa.Addr[:]), Port: sa.Port}
	}
	return &net.TCPAddr{}
}

func (c *sctpConn) Read(b []byte) (int, error) { return c.f.Read(b) }

// Write sends b as one message.
func (c *sctpConn) Write(b []byte) (int, error) {
	if c.to == nil {
		return c.f.Write(b)
	}
	var err error
	werr := c.rc.Write(func(fd uintptr) bool {
		err = unix.Sendto(int(fd), b, 0, c.to)
		return !errors.Is(err, unix.EAGAIN)
	})
	if werr != nil {
		return 0, werr
	}
	if err != nil {
		return 0, os.NewSyscallError("sendto", err)
	}
	return len(b), nil
}

func (c *sctpConn) Close() error                       { return c.f.Close() }
func (c *sctpConn) LocalAddr() net.Addr                { return c.local }
func (c *sctpConn) RemoteAddr() net.Addr               { return nil }
func (c *sctpConn) SetDeadline(t time.Time) error      { return c.f.SetDeadline(t) }
func (c *sctpConn) SetReadDeadline(t time.Time) error  { return c.f.SetReadDeadline(t) }
func (c *sctpConn) SetWriteDeadline(t time.Time) error { return c.f.SetWriteDeadline(t) }
