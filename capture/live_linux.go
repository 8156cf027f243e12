package capture

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/google/gopacket"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/sockscope/sockscope/decode/wire"
)

// LINKTYPE_ values a live capture produces (https://www.tcpdump.org/linktypes.html).
const ()

// Cooked header lengths (Linux cooked v1 and v2) and the 802.1Q tag.
const (
	sllHdrLen  = 16
	sll2HdrLen = 20
	vlanTagLen = 4
)

// framer turns a ring frame into the packet libpcap hands to tcpdump for the
// same frame.
type framer struct {
	linkType wire.LinkType
	snaplen  int
	// loIndex is the ifindex of lo, whose outgoing copies are skipped: the
	// kernel hands a packet socket each looped-back packet twice, once
	// going out and once coming in, and tcpdump shows it once.
	loIndex int32
	// vlanOffset is where an 802.1Q tag the kernel took out of the frame
	// (TP_STATUS_VLAN_VALID) is put back: after the MAC addresses of an
	// Ethernet header, before the protocol of a cooked v1 header; -1 for
	// link types libpcap leaves untagged, cooked v2 among them.
	vlanOffset int
}

func newFramer(linkType wire.LinkType, snaplen int, loIndex int32) framer {
	f := framer{linkType: linkType, snaplen: snaplen, loIndex: loIndex, vlanOffset: -1}
	switch linkType {
	case wire.LinkEthernet:
		f.vlanOffset = 12
	case wire.LinkLinuxSLL:
		f.vlanOffset = sllHdrLen - 2
	}
	return f
}

// frame returns the packet in frame, which runs from a tpacket3_hdr to the end
// of its block, or keep false for a frame tcpdump would not show. A cooked
// header and a VLAN tag are written into the frame in front of the packet,
// in the room the kernel leaves there (PACKET_RESERVE).
func (f *framer) frame(frame []byte, ci *gopacket.CaptureInfo) (data []byte, keep bool, err error) {
	ne := binary.NativeEndian
	if frame[sllPkttypeOff] == unix.PACKET_OUTGOING && int32(ne.Uint32(frame[sllIfindexOff:])) == f.loIndex {
		return nil, false, nil
	}
	caplen := int(ne.Uint32(frame[frameSnaplenOff:]))
	length := int(ne.Uint32(frame[frameLenOff:]))
	start := int(ne.Uint16(frame[frameMacOff:]))
	end := start + caplen
	if end > len(frame) {
		return nil, false, fmt.Errorf("corrupted frame in the ring: packet at %d of %d bytes runs past its block", start, caplen)
	}
	switch f.linkType {
	case wire.LinkLinuxSLL2:
		start -= sll2HdrLen
		if start < frameHdrEnd {
			return nil, false, errors.New("cooked frame in the ring has no room for its header")
		}
		h := frame[start : start+sll2HdrLen]
		copy(h[0:2], frame[sllProtoOff:sllProtoOff+2]) // already in network order
		h[2], h[3] = 0, 0
		binary.BigEndian.PutUint32(h[4:], ne.Uint32(frame[sllIfindexOff:]))
		binary.BigEndian.PutUint16(h[8:], ne.Uint16(frame[sllHatypeOff:]))
		h[10] = frame[sllPkttypeOff]
		h[11] = frame[sllHalenOff]
		copy(h[12:20], frame[sllAddrOff:sllAddrOff+8])
		length += sll2HdrLen
	case wire.LinkLinuxSLL:
		start -= sllHdrLen
		if start < frameHdrEnd {
			return nil, false, errors.New("cooked frame in the ring has no room for its header")
		}
		h := frame[start : start+sllHdrLen]
		binary.BigEndian.PutUint16(h[0:], uint16(frame[sllPkttypeOff]))
		binary.BigEndian.PutUint16(h[2:], ne.Uint16(frame[sllHatypeOff:]))
		binary.BigEndian.PutUint16(h[4:], uint16(frame[sllHalenOff]))
		copy(h[6:14], frame[sllAddrOff:sllAddrOff+8])
		copy(h[14:16], frame[sllProtoOff:sllProtoOff+2])
		length += sllHdrLen
	}
	status := ne.Uint32(frame[frameStatusOff:])
	tci := ne.Uint32(frame[frameVlanTCIOff:])
	// As libpcap decides: a tag is there if the kernel says so, or if the
	// TCI is not 0 on kernels that predate the flag.
	if (tci != 0 || status&unix.TP_STATUS_VLAN_VALID != 0) && f.vlanOffset >= 0 && caplen >= f.vlanOffset {
		tpid := ne.Uint16(frame[frameVlanTPOff:])
		if tpid == 0 && status&unix.TP_STATUS_VLAN_TPID_VALID == 0 {
			tpid = unix.ETH_P_8021Q
		}
		if start-vlanTagLen < frameHdrEnd {
			return nil, false, errors.New("frame in the ring has no room for its VLAN tag")
		}
		start -= vlanTagLen
		copy(frame[start:], frame[start+vlanTagLen:start+vlanTagLen+f.vlanOffset])
		tag := frame[start+f.vlanOffset:]
		binary.BigEndian.PutUint16(tag[0:], tpid)
		binary.BigEndian.PutUint16(tag[2:], uint16(tci))
		length += vlanTagLen
	}
	data = frame[start:end]
	if len(data) > f.snaplen {
		data = data[:f.snaplen]
	}
	ci.Timestamp = time.Unix(int64(ne.Uint32(frame[frameSecOff:])), int64(ne.Uint32(frame[frameNsecOff:])))
	ci.CaptureLength = len(data)
	ci.Length = length
	return data, true, nil
}

// Live is a live capture: an AF_PACKET socket with a TPACKET_V3 ring. Next
// returns its packets as tcpdump sees them. One goroutine reads it; Stop may
// be called from any goroutine.
type Live struct {
	fd      int
	file    *os.File        // owns fd once set up; waits for it in Go's netpoller
	conn    syscall.RawConn // of file
	ring    *ring
	fr      framer
	match   Matcher // LiveConfig.Match, or Fallback
	warning string  // what the caller should tell the user
	iface   Interface
	index   int // ifindex, 0 for any
	ci      gopacket.CaptureInfo

	stopMu   sync.Mutex // orders Stop's deadline before the drain's
	stopping atomic.Bool
	woken    bool // the netpoller woke Next without a block ready
	timed    bool // a read deadline is set to check on a down interface

	// frames counts the frames taken from the ring, skipped ones included,
	// to compare with the kernel's count when draining.
	frames uint64
	stats  LiveStats // running totals: the kernel zeroes its counters when read

	draining bool
	target   uint64    // frames the kernel had queued when Stop was seen
	deadline time.Time // when draining gives up waiting for them
	final    *LiveStats
	done     bool

	netdown bool // the interface went down; poll for its return or removal
	timeout time.Duration
}

// OpenLive opens a live capture on cfg.Interface. It needs CAP_NET_RAW.
func OpenLive(cfg LiveConfig) (*Live, error) {
	name := cfg.Interface
	index := 0
	if name != AnyInterface {
		ifc, err := net.InterfaceByName(name)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w (sockscope interfaces lists them)", name, ErrUnknownInterface)
		}
		if ifc.Flags&net.FlagUp == 0 {
			return nil, fmt.Errorf("open %s: %w (bring it up with: ip link set %s up)", name, ErrInterfaceDown, name)
		}
		index = ifc.Index
	}
	size := cfg.BufferSize
	if size <= 0 {
		size = DefaultBufferSize
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}

	// Protocol 0: the socket receives nothing until bind names ETH_P_ALL,
	// after the ring and the filter are in place.
	sockType := unix.SOCK_RAW
	if name == AnyInterface {
		sockType = unix.SOCK_DGRAM
	}
	fd, err := unix.Socket(unix.AF_PACKET, sockType|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, openError(name, err)
	}
	s := &Live{fd: fd, index: index, timeout: timeout}
	if err := s.setup(name, cfg, size, timeout); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// openError explains a failure to create the packet socket, naming the
// missing capability when that is the reason.
func openError(name string, err error) error {
	if errors.Is(err, unix.EPERM) || errors.Is(err, unix.EACCES) {
		exe, xerr := os.Executable()
		if xerr != nil {
			exe = "/path/to/sockscope"
		}
		return fmt.Errorf("open %s: %w (needs CAP_NET_RAW: run as root or setcap cap_net_raw,cap_net_admin=eip %s)", name, err, exe)
	}
	return fmt.Errorf("open %s: %w", name, os.NewSyscallError("socket", err))
}

func (s *Live) setup(name string, cfg LiveConfig, size int, timeout time.Duration) error {
	fail := func(op string, err error) error {
		return fmt.Errorf("open %s: %w", name, os.NewSyscallError(op, err))
	}
	linkType := wire.LinkLinuxSLL2
	if name != AnyInterface {
		ifr, err := unix.NewIfreq(name)
		if err != nil {
			return fmt.Errorf("open %s: %w", name, ErrUnknownInterface)
		}
		if err := unix.IoctlIfreq(s.fd, unix.SIOCGIFHWADDR, ifr); err != nil {
			return fail("ioctl SIOCGIFHWADDR", err)
		}
		linkType = linkTypeFor(ifr.Uint16())
		if linkType == wire.LinkLinuxSLL {
			// libpcap's fallback for hardware it has no link type for:
			// a cooked socket, which gives the packet without its link header.
			unix.Close(s.fd)
			s.fd, err = unix.Socket(unix.AF_PACKET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
			if err != nil {
				s.fd = -1
				return openError(name, err)
			}
		}
	}
	cooked := linkType == wire.LinkLinuxSLL || linkType == wire.LinkLinuxSLL2
	snaplen := LiveSnaplen(cfg.Snaplen, linkType)
	if err := unix.SetsockoptInt(s.fd, unix.SOL_PACKET, unix.PACKET_VERSION, unix.TPACKET_V3); err != nil {
		return fail("setsockopt PACKET_VERSION (TPACKET_V3)", err)
	}
	// Room in front of each packet for a VLAN tag and, when cooked, for the
	// 4 bytes by which a cooked v2 header outgrows the sockaddr_ll space.
	reserve := vlanTagLen
	if cooked {
		reserve += sll2HdrLen - 16
	}
	if err := unix.SetsockoptInt(s.fd, unix.SOL_PACKET, unix.PACKET_RESERVE, reserve); err != nil {
		return fail("setsockopt PACKET_RESERVE", err)
	}
	r, err := newRing(s.fd, size, timeout)
	if err != nil {
		return fmt.Errorf("open %s: %w", name, err)
	}
	s.ring = r

	// The filter goes on before bind, so that no packet it rejects is queued.
	// The socket was made with protocol 0 and is not bound yet: nothing has
	// been queued that the filter did not see, and there is nothing to drain.
	prog := cfg.Filter
	if prog == nil && snaplen < maxSnaplen {
		// No filter (or one that runs in user space): a one-instruction
		// program that only cuts packets, so that the ring holds no bytes
		// the snaplen throws away.
		ins, _ := bpf.RetConstant{Val: uint32(snaplen)}.Assemble()
		prog = []bpf.RawInstruction{ins}
	}
	match := cfg.Match
	if prog != nil {
		err := attachFilter(s.fd, prog)
		if err != nil && cfg.Filter != nil && cfg.Fallback != nil {
			// As libpcap: a program the kernel refuses (one that reads
			// scratch memory it cannot prove written, say) runs here.
			s.warning = fmt.Sprintf("the kernel refused the filter (%v); filtering in user space", err)
			match = cfg.Fallback
			err = nil
			if snaplen < maxSnaplen {
				ins, _ := bpf.RetConstant{Val: uint32(snaplen)}.Assemble()
				err = attachFilter(s.fd, []bpf.RawInstruction{ins})
			}
		}
		if err != nil {
			return fmt.Errorf("open %s: %w", name, err)
		}
	}
	if name != AnyInterface && !cfg.NoPromisc {
		mreq := unix.PacketMreq{Ifindex: int32(s.index), Type: unix.PACKET_MR_PROMISC}
		if err := unix.SetsockoptPacketMreq(s.fd, unix.SOL_PACKET, unix.PACKET_ADD_MEMBERSHIP, &mreq); err != nil {
			return fail("setsockopt PACKET_ADD_MEMBERSHIP (promiscuous mode)", err)
		}
	}
	loIndex := int32(-1)
	if lo, err := net.InterfaceByName("lo"); err == nil {
		loIndex = int32(lo.Index)
	}
	s.fr = newFramer(linkType, snaplen, loIndex)
	s.match = match
	s.iface = Interface{Name: name, LinkType: linkType, Snaplen: uint32(snaplen), TsResolution: time.Nanosecond}

	sa := unix.SockaddrLinklayer{Protocol: htons(unix.ETH_P_ALL), Ifindex: s.index}
	if err := unix.Bind(s.fd, &sa); err != nil {
		if errors.Is(err, unix.ENETDOWN) {
			return fmt.Errorf("open %s: %w (bring it up with: ip link set %s up)", name, ErrInterfaceDown, name)
		}
		if errors.Is(err, unix.ENODEV) {
			return fmt.Errorf("open %s: %w", name, ErrUnknownInterface)
		}
		return fail("bind", err)
	}
	if serr, err := unix.GetsockoptInt(s.fd, unix.SOL_SOCKET, unix.SO_ERROR); err == nil && serr == int(unix.ENETDOWN) {
		return fmt.Errorf("open %s: %w (bring it up with: ip link set %s up)", name, ErrInterfaceDown, name)
	}
	// Next waits in Go's netpoller, which a read deadline interrupts: that
	// is how Stop wakes it, and how draining gives up.
	if err := unix.SetNonblock(s.fd, true); err != nil {
		return fail("set non-blocking", err)
	}
	s.file = os.NewFile(uintptr(s.fd), "packet socket on "+name)
	s.conn, err = s.file.SyscallConn()
	if err != nil {
		return fmt.Errorf("open %s: %w", name, err)
	}
	return nil
}

// Warning is what the capture had to do differently from what it was
// asked (run the filter in user space), or "".
func (s *Live) Warning() string { return s.warning }

// LinkTypeOf is the link type a live capture on interface name produces
// (the LINKTYPE_ value OpenLive's Live reports), so that a filter can be
// compiled for it before the capture is opened. It needs no privilege.
func LinkTypeOf(name string) (wire.LinkType, error) {
	if name == AnyInterface {
		return wire.LinkLinuxSLL2, nil
	}
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return 0, fmt.Errorf("open %s: %w", name, os.NewSyscallError("socket", err))
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq(name)
	if err != nil {
		return 0, fmt.Errorf("open %s: %w (sockscope interfaces lists them)", name, ErrUnknownInterface)
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFHWADDR, ifr); err != nil {
		if errors.Is(err, unix.ENODEV) {
			return 0, fmt.Errorf("open %s: %w (sockscope interfaces lists them)", name, ErrUnknownInterface)
		}
		return 0, fmt.Errorf("open %s: %w", name, os.NewSyscallError("ioctl SIOCGIFHWADDR", err))
	}
	return linkTypeFor(ifr.Uint16()), nil
}

// linkTypeFor maps an ARPHRD_ hardware type to the link type libpcap captures
// it as: Ethernet framing for Ethernet and loopback,
// raw IP for tunnels without a link header, and Linux cooked v1 for the rest.
func linkTypeFor(arphrd uint16) wire.LinkType {
	switch arphrd {
	case unix.ARPHRD_ETHER, unix.ARPHRD_LOOPBACK, unix.ARPHRD_METRICOM:
		return wire.LinkEthernet
	case unix.ARPHRD_NONE, unix.ARPHRD_TUNNEL, unix.ARPHRD_SIT, unix.ARPHRD_CSLIP,
		unix.ARPHRD_SLIP6, unix.ARPHRD_CSLIP6, unix.ARPHRD_ADAPT, unix.ARPHRD_SLIP,
		unix.ARPHRD_RAWHDLC, unix.ARPHRD_DLCI:
		return wire.LinkRaw
	}
	return wire.LinkLinuxSLL
}

// LiveSnaplen is the snapshot length a live capture of link type linkType
// keeps for LiveConfig.Snaplen snaplen, which a filter for it returns: 0
// or too much means the maximum, and a cooked capture keeps at least its
// header and a byte (libpcap's minimum).
func LiveSnaplen(snaplen int, linkType wire.LinkType) int {
	if snaplen <= 0 || snaplen > maxSnaplen {
		snaplen = maxSnaplen
	}
	if linkType == wire.LinkLinuxSLL || linkType == wire.LinkLinuxSLL2 {
		snaplen = max(snaplen, sll2HdrLen+1)
	}
	return snaplen
}

// attachFilter attaches a classic BPF program to packet socket fd.
func attachFilter(fd int, prog []bpf.RawInstruction) error {
	if len(prog) == 0 || len(prog) > 0xffff {
		return fmt.Errorf("attach filter: %d instructions (want 1 to 65535)", len(prog))
	}
	ins := make([]unix.SockFilter, len(prog))
	for i, p := range prog {
		ins[i] = unix.SockFilter{Code: p.Op, Jt: p.Jt, Jf: p.Jf, K: p.K}
	}
	fprog := unix.SockFprog{Len: uint16(len(ins)), Filter: &ins[0]}
	if err := unix.SetsockoptSockFprog(fd, unix.SOL_SOCKET, unix.SO_ATTACH_FILTER, &fprog); err != nil {
		return os.NewSyscallError("setsockopt SO_ATTACH_FILTER", err)
	}
	return nil
}

func htons(v uint16) uint16 {
	return v<<8 | v>>8
}

// Interface describes the capture as a file's interface 0, the only one:
// name, link type, snaplen, and nanosecond timestamps.
func (s *Live) Interface(i int) (Interface, bool) {
	return s.iface, i == 0
}

// Interfaces is the capture's one interface.
func (s *Live) Interfaces() []Interface {
	return []Interface{s.iface}
}

// LinkType is the LINKTYPE_ value of the packets Next returns.
func (s *Live) LinkType(int) wire.LinkType {
	return s.iface.LinkType
}

// Next returns the next packet, waiting for one if need be. data is the
// ring's own, valid until the next call to Next: the packet is not copied
// out of the ring. After Stop, Next returns the packets the kernel had
// queued when Stop was called, then io.EOF.
func (s *Live) Next() (data []byte, ci gopacket.CaptureInfo, err error) {
	if s.done {
		return nil, ci, io.EOF
	}
	for {
		if !s.draining && s.stopping.Load() {
			if err := s.startDrain(); err != nil {
				return nil, ci, err
			}
		}
		if s.draining && s.frames >= s.target {
			s.done = true
			return nil, ci, io.EOF
		}
		if off, end, ok := s.ring.next(); ok {
			s.frames++
			data, keep, err := s.fr.frame(s.ring.mem[off:end], &s.ci)
			if err != nil {
				return nil, ci, fmt.Errorf("read %s: %w", s.iface.Name, err)
			}
			if !keep {
				continue
			}
			s.netdown = false
			if s.match != nil && !s.match.Match(data, s.ci.Length) {
				continue
			}
			return data, s.ci, nil
		}
		if err := s.wait(); err != nil {
			if err == io.EOF {
				s.done = true
			}
			return nil, ci, err
		}
	}
}

// Ready reports whether Next has a packet at hand without waiting. A
// writer can flush its buffers when it is false, so that a reader of the
// output sees each packet soon without a write per packet.
func (s *Live) Ready() bool {
	return !s.done && s.ring.ready()
}

// startDrain notes how many frames the kernel has queued so far, so that
// Next returns exactly those: then the counts Stats reports match the
// packets returned.
func (s *Live) startDrain() error {
	st, err := s.readStats()
	if err != nil {
		return err
	}
	s.final = &st
	s.draining = true
	s.target = st.Received - st.Dropped
	// The kernel hands over a partly filled block at the latest after the
	// retire timeout; wait that long twice, and a second more, at most.
	s.deadline = time.Now().Add(2*s.timeout + time.Second)
	s.stopMu.Lock()
	defer s.stopMu.Unlock()
	if err := s.file.SetReadDeadline(s.deadline); err != nil {
		return fmt.Errorf("read %s: %w", s.iface.Name, err)
	}
	return nil
}

// wait blocks until the kernel hands over a block, Stop is called, or the
// interface goes away. It returns io.EOF when draining has waited long
// enough.
func (s *Live) wait() error {
	if !s.draining {
		// While the interface is down, check now and then whether it is
		// gone for good; otherwise wait for as long as it takes.
		switch {
		case s.netdown:
			s.file.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
			s.timed = true
		case s.timed:
			s.file.SetReadDeadline(time.Time{})
			s.timed = false
		}
	}
	var serr error
	err := s.conn.Read(func(uintptr) bool {
		if s.ring.ready() || !s.draining && s.stopping.Load() {
			return true
		}
		if s.woken {
			// Woken with no block: an error is pending on the socket.
			// Back to the caller for an error, or, for a down interface,
			// to wait with a deadline.
			serr = s.socketError()
			s.woken = false
			return serr != nil || s.netdown
		}
		s.woken = true
		return false
	})
	s.woken = false
	switch {
	case serr != nil:
		return serr
	case errors.Is(err, os.ErrDeadlineExceeded):
		if s.draining && !time.Now().Before(s.deadline) {
			return io.EOF
		}
		if s.netdown && s.gone() {
			return fmt.Errorf("read %s: the interface is gone", s.iface.Name)
		}
		return nil // Stop's wake-up, or time to check on a down interface
	case err != nil:
		return fmt.Errorf("read %s: %w", s.iface.Name, err)
	}
	return nil
}

// gone reports whether the interface the socket is bound to was removed:
// the kernel then unbinds the socket, whose name shows ifindex -1 (libpcap
// asks the same way). A lookup by index would look in the namespace of the
// calling thread, which need not be the socket's.
func (s *Live) gone() bool {
	if s.index == 0 {
		return false
	}
	sa, err := unix.Getsockname(s.fd)
	if err != nil {
		return true
	}
	ll, ok := sa.(*unix.SockaddrLinklayer)
	return !ok || ll.Ifindex != s.index
}

// socketError reads and clears the error pending on the socket. ENETDOWN is
// not one: the interface may come back up, and libpcap keeps waiting.
func (s *Live) socketError() error {
	serr, err := unix.GetsockoptInt(s.fd, unix.SOL_SOCKET, unix.SO_ERROR)
	if err != nil {
		return fmt.Errorf("read %s: %w", s.iface.Name, os.NewSyscallError("getsockopt SO_ERROR", err))
	}
	switch unix.Errno(serr) {
	case 0:
	case unix.ENETDOWN:
		s.netdown = true
	default:
		return fmt.Errorf("read %s: %w", s.iface.Name, unix.Errno(serr))
	}
	return nil
}

// Stop ends the capture: Next returns what the kernel queued until now, then
// io.EOF. It may be called from any goroutine, more than once, and is what a
// signal handler calls.
func (s *Live) Stop() {
	s.stopMu.Lock()
	defer s.stopMu.Unlock()
	if s.stopping.Swap(true) || s.file == nil {
		return
	}
	s.file.SetReadDeadline(time.Now()) // wakes a waiting Next
}

// Stats returns the kernel's counts since the capture was opened. After Next
// has returned io.EOF following Stop, they are the counts at the moment it
// stopped, which match the packets Next returned.
func (s *Live) Stats() (LiveStats, error) {
	if s.final != nil {
		return *s.final, nil
	}
	return s.readStats()
}

// Close releases the socket and its ring. It must not be called while
// another goroutine is in Next; call Stop for that.
func (s *Live) Close() error {
	var err error
	if s.ring != nil {
		err = s.ring.close()
		s.ring = nil
	}
	s.stopMu.Lock()
	defer s.stopMu.Unlock()
	switch {
	case s.file != nil:
		if cerr := s.file.Close(); err == nil {
			err = cerr
		}
		s.file = nil
	case s.fd >= 0:
		if cerr := unix.Close(s.fd); err == nil && cerr != nil {
			err = os.NewSyscallError("close", cerr)
		}
	}
	s.fd = -1
	s.done = true
	return err
}
