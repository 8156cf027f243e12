package craft

import (
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/sockscope/sockscope/decode/wire"
)

// Sender is the socket a run's packets leave from, as they are: a packet
// socket for Ethernet frames (or for IP packets to a known next hop), a raw
// IP socket that takes the IP header as written otherwise. Batches go out
// in one sendmmsg, or through a TX ring for a flood of frames.
type Sender struct {
	fd     int
	t      Target
	what   string // "10.0.0.2", "eth0": what a send error names
	mtu    int    // of Iface, 0 when unknown
	name   []byte // the destination's struct sockaddr, nil when bound
	closed bool
	own    *lane // SendFrames's
}

// lane is what one thread needs to send batches through the Sender's
// socket: its own message headers for sendmmsg.
type lane struct {
	s     *Sender
	msgs  []unix.Mmsghdr
	iovs  []unix.Iovec
	batch [][]byte
	// scratch is where a batch's packets are put together, when they are.
	scratch []byte
}

// Open opens the socket for t's packets; first is the first packet, whose
// IP destination a raw IP socket sends to (all packets of a spec have the
// same). It needs CAP_NET_RAW.
func Open(t Target, first []byte) (*Sender, error) {
	s := &Sender{fd: -1, t: t}
	var ifc *net.Interface
	if t.Iface != "" {
		var err error
		if ifc, err = net.InterfaceByName(t.Iface); err != nil {
			return nil, fmt.Errorf("send on %s: no such interface (sockscope interfaces lists them)", t.Iface)
		}
		s.mtu = ifc.MTU
		if ifc.Flags&net.FlagUp == 0 {
			return nil, fmt.Errorf("send on %s: %w (bring it up with: ip link set %s up)", t.Iface, unix.ENETDOWN, t.Iface)
		}
	}
	var err error
	switch {
	case t.Link == wire.LinkEthernet:
		if ifc == nil {
			return nil, ErrNeedInterface
		}
		s.what = t.Iface
		err = s.openPacket(unix.SOCK_RAW, ifc, "a packet socket on "+t.Iface)
	case t.NextHop != nil && ifc != nil:
		s.what = t.Iface
		if err = s.openPacket(unix.SOCK_DGRAM, ifc, "a packet socket on "+t.Iface); err == nil {
			proto := uint16(unix.ETH_P_IP)
			if t.IPv6 {
				proto = unix.ETH_P_IPV6
			}
			sa := unix.RawSockaddrLinklayer{Family: unix.AF_PACKET, Protocol: netOrder16(proto), Ifindex: int32(ifc.Index), Halen: uint8(len(t.NextHop))}
			copy(sa.Addr[:], t.NextHop)
			s.name = unsafe.Slice((*byte)(unsafe.Pointer(&sa)), unsafe.Sizeof(sa))
		}
	default:
		err = s.openRaw(first, ifc)
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// lane makes the message headers of a thread's batches.
func (s *Sender) lane() *lane {
	l := &lane{s: s, msgs: make([]unix.Mmsghdr, batchSize), iovs: make([]unix.Iovec, batchSize), batch: make([][]byte, 0, batchSize)}
	for i := range l.msgs {
		h := &l.msgs[i].Hdr
		h.Iov = &l.iovs[i]
		h.Iovlen = 1
		if s.name != nil {
			h.Name = &s.name[0]
			h.Namelen = uint32(len(s.name))
		}
	}
	return l
}

// openPacket opens a packet socket of type typ bound to ifc. Protocol 0: it
// receives nothing.
func (s *Sender) openPacket(typ int, ifc *net.Interface, what string) error {
	fd, err := unix.Socket(unix.AF_PACKET, typ|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return openError(what, err)
	}
	s.fd = fd
	if err := unix.Bind(fd, &unix.SockaddrLinklayer{Ifindex: ifc.Index}); err != nil {
		return fmt.Errorf("open %s: %w", what, os.NewSyscallError("bind", err))
	}
	return nil
}

// openRaw opens a raw IP socket that sends the header as written:
// IPPROTO_RAW implies IP_HDRINCL for IPv4 and IPV6_HDRINCL for IPv6 (set
// again here, where the kernel knows the option, to say so).
func (s *Sender) openRaw(first []byte, ifc *net.Interface) error {
	dst, err := destination(first, s.t.IPv6)
	if err != nil {
		return err
	}
	s.what = dst.String()
	family, what := unix.AF_INET, "a raw IPv4 socket"
	if s.t.IPv6 {
		family, what = unix.AF_INET6, "a raw IPv6 socket"
	}
	fd, err := unix.Socket(family, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.IPPROTO_RAW)
	if err != nil {
		return openError(what, err)
	}
	s.fd = fd
	fail := func(op string, err error) error {
		return fmt.Errorf("open %s: %w", what, os.NewSyscallError(op, err))
	}
	if s.t.IPv6 {
		// IPV6_HDRINCL is Linux 4.5's name for what IPPROTO_RAW already does.
		unix.SetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_HDRINCL, 1)
	} else if err := unix.SetsockoptInt(fd, unix.IPPROTO_IP, unix.IP_HDRINCL, 1); err != nil {
		return fail("setsockopt IP_HDRINCL", err)
	}
	// A broadcast destination is the user's choice, as any other.
	if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_BROADCAST, 1); err != nil {
		return fail("setsockopt SO_BROADCAST", err)
	}
	if ifc != nil {
		if err := unix.BindToDevice(fd, ifc.Name); err != nil {
			return fail("setsockopt SO_BINDTODEVICE", err)
		}
	}
	if s.t.IPv6 {
		sa := unix.RawSockaddrInet6{Family: unix.AF_INET6, Addr: dst.As16()}
		if ifc != nil && (dst.IsLinkLocalUnicast() || dst.IsLinkLocalMulticast() || dst.IsInterfaceLocalMulticast()) {
			sa.Scope_id = uint32(ifc.Index)
		}
		s.name = unsafe.Slice((*byte)(unsafe.Pointer(&sa)), unsafe.Sizeof(sa))
	} else {
		sa := unix.RawSockaddrInet4{Family: unix.AF_INET, Addr: dst.As4()}
		s.name = unsafe.Slice((*byte)(unsafe.Pointer(&sa)), unsafe.Sizeof(sa))
	}
	return nil
}

// openError explains a failure to create a socket, naming the missing
// capability when that is the reason.
func openError(what string, err error) error {
	if errors.Is(err, unix.EPERM) || errors.Is(err, unix.EACCES) {
		exe, xerr := os.Executable()
		if xerr != nil {
			exe = "/path/to/sockscope"
		}
		return fmt.Errorf("open %s: %w (needs CAP_NET_RAW: run as root or setcap cap_net_raw=eip %s)", what, err, exe)
	}
	return fmt.Errorf("open %s: %w", what, os.NewSyscallError("socket", err))
}

// BypassQdisc sends the packet socket's frames straight to the device's
// driver, past the queueing discipline (PACKET_QDISC_BYPASS, Linux 3.14):
// faster, and what a replay at top speed wants, at the price of tc's
// shaping and the qdisc's statistics. A raw IP socket has no such option:
// nil, nothing changes.
func (s *Sender) BypassQdisc() error {
	if s.t.Link != wire.LinkEthernet && s.t.NextHop == nil {
		return nil
	}
	return os.NewSyscallError("setsockopt PACKET_QDISC_BYPASS", unix.SetsockoptInt(s.fd, unix.SOL_PACKET, unix.PACKET_QDISC_BYPASS, 1))
}

// VnetHeaders makes the packet socket take a struct virtio_net_hdr before
// each frame (PACKET_VNET_HDR): with one that describes a TCP segment, a
// frame larger than the link's MTU goes as a GSO packet, whole where the
// device takes those and cut into segments by the kernel where not.
func (s *Sender) VnetHeaders() error {
	if s.t.Link != wire.LinkEthernet {
		return errors.New("virtio_net_hdr: only a packet socket for whole frames takes one")
	}
	return os.NewSyscallError("setsockopt PACKET_VNET_HDR", unix.SetsockoptInt(s.fd, unix.SOL_PACKET, unix.PACKET_VNET_HDR, 1))
}

// Close closes the socket.
func (s *Sender) Close() error {
	if s.closed || s.fd < 0 {
		return nil
	}
	s.closed = true
	return os.NewSyscallError("close", unix.Close(s.fd))
}

// send sends pkts, as many as it can in each sendmmsg, and returns how
// many went out before an error.
func (l *lane) send(pkts [][]byte) (int, error) {
	for i, p := range pkts {
		l.iovs[i].Base = &p[0]
		l.iovs[i].SetLen(len(p))
	}
	sent := 0
	var full time.Time // since when the device's queue has been full
	for sent < len(pkts) {
		n, _, e := unix.Syscall6(unix.SYS_SENDMMSG, uintptr(l.s.fd), uintptr(unsafe.Pointer(&l.msgs[sent])), uintptr(len(pkts)-sent), 0, 0, 0)
		switch e {
		case 0:
			sent += int(n)
			full = time.Time{}
		case unix.EINTR:
		case unix.ENOBUFS, unix.EAGAIN:
			// The device's queue is full: wait for it to drain, but
			// not for ever (a link with no carrier never drains).
			if full.IsZero() {
				full = time.Now()
			} else if time.Since(full) > stuckQueue {
				return sent, l.s.sendError(e, len(pkts[sent]))
			}
			time.Sleep(50 * time.Microsecond)
		default:
			return sent, l.s.sendError(e, len(pkts[sent]))
		}
	}
	return sent, nil
}

// stuckQueue is how long a send waits for a full device queue to drain
// before it gives up.
const stuckQueue = 5 * time.Second

// hints say what to do about a failed send, by its error.
var hints = map[syscall.Errno]string{
	unix.EPERM:         "a firewall rule refused it (see nft list ruleset)",
	unix.EACCES:        "a firewall rule refused it (see nft list ruleset)",
	unix.ENETUNREACH:   "no route to it: see ip route, add one, or send on an interface with -i IFACE",
	unix.EHOSTUNREACH:  "no way to reach it: check the route and that the neighbour answers ARP/ND",
	unix.ENETDOWN:      "the interface is down: bring it up with ip link set IFACE up",
	unix.ENXIO:         "the interface has gone",
	unix.ENODEV:        "the interface has gone",
	unix.EADDRNOTAVAIL: "the address is not usable here: a link-local one needs -i IFACE",
	unix.ENOBUFS:       "the device's queue stayed full for 5 s: is the link up, with a carrier?",
	unix.EAGAIN:        "the device's queue stayed full for 5 s: is the link up, with a carrier?",
	unix.EINVAL:        "the kernel refused the packet as written (an ip ihl longer than the packet, a frame shorter than its header, or a link-local destination without -i IFACE)",
}

// sendError is one line: what failed, where, and what to do.
func (s *Sender) sendError(e syscall.Errno, size int) error {
	hint := hints[e]
	switch e {
	case unix.EMSGSIZE:
		switch {
		case s.t.Link == wire.LinkEthernet:
			hint = fmt.Sprintf("a %d-byte frame is more than %s's MTU (%d) and its 14-byte header allow: make the payload smaller", size, s.t.Iface, s.mtu)
		case s.mtu > 0:
			hint = fmt.Sprintf("%d bytes is more than %s's MTU (%d): make the payload smaller, or fragment it yourself (ip flags=MF, frag=)", size, s.t.Iface, s.mtu)
		default:
			hint = fmt.Sprintf("%d bytes is more than the MTU of the way out: make the payload smaller, or fragment it yourself (ip flags=MF, frag=)", size)
		}
	case unix.ENETDOWN:
		if s.t.Iface != "" {
			hint = "the interface is down: bring it up with ip link set " + s.t.Iface + " up"
		}
	case unix.EPERM, unix.EACCES:
		if s.t.Link == wire.LinkEthernet {
			hint = "needs CAP_NET_RAW, or a firewall rule refused it"
		}
	}
	err := fmt.Errorf("send to %s: %w", s.what, e)
	if s.t.Link == wire.LinkEthernet || s.t.NextHop != nil {
		err = fmt.Errorf("send on %s: %w", s.what, e)
	}
	if hint != "" {
		err = fmt.Errorf("%w (%s)", err, hint)
	}
	return err
}

// netOrder16 is v in network byte order, as sockaddr_ll.sll_protocol holds it.
func netOrder16(v uint16) uint16 { return v<<8 | v>>8 }
