package craft

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"

	"github.com/google/gopacket"
	"golang.org/x/sys/unix"
)

// ipv6FlowInfo is IPV6_FLOWINFO (linux/in6.h): set, the kernel hands the
// flow label and traffic class of each packet as ancillary data.
const ipv6FlowInfo = 11

// listenRcvBuf is the receive buffer asked for the raw socket, so that a
// burst is queued while the printer catches up.
const listenRcvBuf = 4 << 20

// RawListener is a raw IP socket (AF_INET or AF_INET6, SOCK_RAW) receiving
// the packets of one protocol as the kernel hands them to raw sockets: every
// packet of that protocol delivered to this host, copies of those the
// kernel answers itself included. One goroutine reads it; Close may be
// called from any goroutine and ends a waiting Next.
//
// An IPv4 raw socket receives the IP header with the payload. An IPv6 one
// receives only the payload (RFC 3542 section 3): Next rebuilds a 40-byte
// header in front of it from what the kernel tells, the source from the
// socket address, the destination, hop limit, traffic class and flow label
// from ancillary data, the payload length from the size, and the socket's
// protocol as next header. Extension headers the kernel processed are not
// shown.
type RawListener struct {
	file  *os.File
	conn  syscall.RawConn
	ip6   bool
	proto int
	buf   []byte
	oob   []byte
}

// ListenRaw opens a raw IP socket for protocol proto (IPv6 when ip6). It
// needs CAP_NET_RAW.
func ListenRaw(proto int, ip6 bool) (*RawListener, error) {
	family, what := unix.AF_INET, "raw IPv4 socket"
	if ip6 {
		family, what = unix.AF_INET6, "raw IPv6 socket"
	}
	fd, err := unix.Socket(family, unix.SOCK_RAW|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, proto)
	if err != nil {
		if errors.Is(err, unix.EPERM) || errors.Is(err, unix.EACCES) {
			return nil, fmt.Errorf("%s: %w (needs CAP_NET_RAW: run as root)", what, err)
		}
		return nil, fmt.Errorf("%s: %w", what, os.NewSyscallError("socket", err))
	}
	opts := []struct{ level, name int }{{unix.SOL_SOCKET, unix.SO_TIMESTAMPNS}}
	if ip6 {
		opts = append(opts, struct{ level, name int }{unix.IPPROTO_IPV6, unix.IPV6_RECVPKTINFO},
			struct{ level, name int }{unix.IPPROTO_IPV6, unix.IPV6_RECVHOPLIMIT},
			struct{ level, name int }{unix.IPPROTO_IPV6, unix.IPV6_RECVTCLASS},
			struct{ level, name int }{unix.IPPROTO_IPV6, ipv6FlowInfo})
	}
	for _, o := range opts {
		if err := unix.SetsockoptInt(fd, o.level, o.name, 1); err != nil {
			unix.Close(fd)
			return nil, fmt.Errorf("%s: %w", what, os.NewSyscallError("setsockopt", err))
		}
	}
	// Best effort: a smaller buffer only drops more of a burst.
	unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUF, listenRcvBuf)
	f := os.NewFile(uintptr(fd), what)
	conn, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return &RawListener{file: f, conn: conn, ip6: ip6, proto: proto,
		buf: make([]byte, 40+65536), oob: make([]byte, 256)}, nil
}

// Next returns the next packet, from its IP header, and its capture info
// (the kernel's receive time); io.EOF once the listener is closed. data is
// the listener's own, valid until the next call.
func (l *RawListener) Next() (data []byte, ci gopacket.CaptureInfo, err error) {
	var n, oobn, flags int
	var from unix.Sockaddr
	off := 0
	if l.ip6 {
		off = 40
	}
	rerr := l.conn.Read(func(fd uintptr) bool {
		n, oobn, flags, from, err = unix.Recvmsg(int(fd), l.buf[off:], l.oob, 0)
		return !errors.Is(err, unix.EAGAIN)
	})
	if rerr != nil {
		if errors.Is(rerr, os.ErrClosed) {
			return nil, ci, io.EOF
		}
		return nil, ci, fmt.Errorf("read the raw socket: %w", rerr)
	}
	if err != nil {
		return nil, ci, fmt.Errorf("read the raw socket: %w", os.NewSyscallError("recvmsg", err))
	}
	ci.Timestamp = time.Now()
	length := n
	if flags&unix.MSG_TRUNC != 0 {
		n = min(n, len(l.buf)-off)
	}
	var hdr ip6Ancillary
	cmsgs, _ := unix.ParseSocketControlMessage(l.oob[:oobn])
	for _, m := range cmsgs {
		switch {
		case m.Header.Level == unix.SOL_SOCKET && m.Header.Type == unix.SCM_TIMESTAMPNS && len(m.Data) >= 16:
			sec := int64(binary.NativeEndian.Uint64(m.Data[0:]))
			nsec := int64(binary.NativeEndian.Uint64(m.Data[8:]))
			ci.Timestamp = time.Unix(sec, nsec)
		case m.Header.Level == unix.SOL_SOCKET && m.Header.Type == unix.SCM_TIMESTAMPNS && len(m.Data) == 8:
			// A 32-bit struct timespec.
			sec := int64(int32(binary.NativeEndian.Uint32(m.Data[0:])))
			nsec := int64(binary.NativeEndian.Uint32(m.Data[4:]))
			ci.Timestamp = time.Unix(sec, nsec)
		case m.Header.Level == unix.IPPROTO_IPV6:
			hdr.read(m)
		}
	}
	if !l.ip6 {
		ci.CaptureLength, ci.Length = n, length
		return l.buf[:n], ci, nil
	}
	if sa, ok := from.(*unix.SockaddrInet6); ok {
		hdr.src = sa.Addr
	}
	hdr.write(l.buf[:40], length, l.proto)
	ci.CaptureLength, ci.Length = 40+n, 40+length
	return l.buf[:40+n], ci, nil
}

// ip6Ancillary is what the kernel tells of an IPv6 packet's header.
type ip6Ancillary struct {
	src, dst [16]byte
	hlim     uint8
	tclass   uint8
	flow     uint32
}

func (h *ip6Ancillary) read(m unix.SocketControlMessage) {
	switch {
	case m.Header.Type == unix.IPV6_PKTINFO && len(m.Data) >= 16:
		copy(h.dst[:], m.Data[:16])
	case m.Header.Type == unix.IPV6_HOPLIMIT && len(m.Data) >= 4:
		h.hlim = uint8(binary.NativeEndian.Uint32(m.Data))
	case m.Header.Type == unix.IPV6_TCLASS && len(m.Data) >= 4:
		h.tclass = uint8(binary.NativeEndian.Uint32(m.Data))
	case m.Header.Type == ipv6FlowInfo && len(m.Data) >= 4:
		h.flow = binary.BigEndian.Uint32(m.Data) & 0xfffff // network order, as in the header
	}
}

// write puts the rebuilt IPv6 header (RFC 8200 section 3) in b.
func (h *ip6Ancillary) write(b []byte, payload, proto int) {
	binary.BigEndian.PutUint32(b[0:], 6<<28|uint32(h.tclass)<<20|h.flow)
	binary.BigEndian.PutUint16(b[4:], uint16(min(payload, 0xffff)))
	b[6], b[7] = byte(proto), h.hlim
	copy(b[8:], h.src[:])
	copy(b[24:], h.dst[:])
}

// Close closes the socket; a Next waiting in another goroutine returns io.EOF.
// It may be called more than once.
func (l *RawListener) Close() error {
	err := l.file.Close()
	if errors.Is(err, os.ErrClosed) {
		return nil
	}
	return err
}
