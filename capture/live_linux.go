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

// Cooked header lengths (Linux cooked v1 and v2) and the 802.1Q tag.
const (
	sllHdrLen  = 16
	sll2HdrLen = 20
	vlanTagLen = 4
)

// framer turns a ring frame into the packet tcpdump writes to its file for
// the same packet.
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
	// link types tcpdump writes untagged, cooked v2 among them.
	vlanOffset int
	// direction is which way the packets kept go (LiveConfig.Direction).
	direction Direction
	// markType puts each packet's PacketType in its AncillaryData (Multi).
	markType bool
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
//
// What the kernel writes (Documentation/networking/packet_mmap.rst,
// TPACKET_V3): the packet's first tp_snaplen bytes at offset tp_mac, of
// tp_len on the wire; for a SOCK_DGRAM socket, the packet without its link
// header, which the struct sockaddr_ll after the tpacket3_hdr describes. What
// tcpdump writes for the same packet, seen byte for byte in its files: that
// link header as a cooked header, a VLAN tag the kernel took out put back,
// both counted in the lengths, and then no more than the snaplen. The
// packet's own bytes stay as the kernel gave them: an outgoing packet whose
// checksum the device is to fill in (TP_STATUS_CSUMNOTREADY) keeps the
// checksum field it had when the kernel copied it.
func (f *framer) frame(frame []byte, ci *gopacket.CaptureInfo) (data []byte, keep bool, err error) {
	if len(frame) < frameHdrEnd {
		return nil, false, errCorruptFrame
	}
	h := (*ringHeaders)(frame)
	ne := binary.NativeEndian
	out := h[sllPkttypeOff] == unix.PACKET_OUTGOING
	if out && int32(ne.Uint32(h[sllIfindexOff:])) == f.loIndex {
		return nil, false, nil
	}
	if f.direction == DirectionIn && out || f.direction == DirectionOut && !out {
		return nil, false, nil
	}
	mac := int(ne.Uint16(h[frameMacOff:]))
	snapped := int(ne.Uint32(h[frameSnaplenOff:])) // bytes of the packet in the frame
	room := mac - frameHdrEnd                      // free bytes in front of the packet
	if room < 0 || snapped > len(frame)-mac {
		return nil, false, errCorruptFrame
	}

	start := mac // of the packet as tcpdump shows it
	switch f.linkType {
	case wire.LinkLinuxSLL2:
		if room < sll2HdrLen {
			return nil, false, errCorruptFrame
		}
		start -= sll2HdrLen
		putCookedV2((*[sll2HdrLen]byte)(frame[start:]), h, linkAddr(h))
	case wire.LinkLinuxSLL:
		if room < sllHdrLen {
			return nil, false, errCorruptFrame
		}
		start -= sllHdrLen
		putCookedV1((*[sllHdrLen]byte)(frame[start:]), h, linkAddr(h))
	}
	added := mac - start // to both lengths

	// tcpdump puts a tag back only when the kernel captured at least as many
	// bytes of the packet as come before the tag in what tcpdump writes: a
	// tagged Ethernet frame cut at 10 bytes (-s 10) stays untagged and counts
	// 4 bytes shorter on the wire than with -s 12; and so does, on a cooked v1
	// capture, a tagged packet of 13 bytes, though the 14 bytes before the
	// tag are then all cooked header.
	if f.vlanOffset >= 0 && snapped >= f.vlanOffset && ne.Uint32(h[frameStatusOff:])&unix.TP_STATUS_VLAN_VALID != 0 {
		if start-vlanTagLen < frameHdrEnd {
			return nil, false, errCorruptFrame
		}
		moveBack4(frame[start-vlanTagLen : start+f.vlanOffset])
		start -= vlanTagLen
		binary.BigEndian.PutUint32(frame[start+f.vlanOffset:], vlanTag(h))
		added += vlanTagLen
	}

	captured := min(snapped+added, f.snaplen)
	ci.Timestamp = time.Unix(int64(ne.Uint32(h[frameSecOff:])), int64(ne.Uint32(h[frameNsecOff:])))
	ci.CaptureLength = captured
	ci.Length = int(ne.Uint32(h[frameLenOff:])) + added
	if f.markType {
		ci.AncillaryData = append(ci.AncillaryData[:0], PacketType(h[sllPkttypeOff]))
	}
	return frame[start : start+captured], true, nil
}

// moveBack4 moves b[4:] to the front of b: the 8 to 16 bytes before a tag's
// place, two 8-byte loads and stores where copy would call memmove.
func moveBack4(b []byte) {
	le := binary.LittleEndian
	n := len(b) - 4
	head, tail := le.Uint64(b[4:]), le.Uint64(b[n-4:])
	le.PutUint64(b, head)
	le.PutUint64(b[n-8:], tail)
}

// ringHeaders are the headers the kernel writes at the start of a ring frame:
// a struct tpacket3_hdr, then a struct sockaddr_ll (TPACKET3_HDRLEN bytes).
type ringHeaders [frameHdrEnd]byte

// errCorruptFrame is what frame returns for a frame whose offsets do not fit
// its block, which the kernel never writes.
var errCorruptFrame = errors.New("corrupted ring frame: its packet does not fit its block")

// vlanTag returns the 802.1Q or 802.1ad tag the kernel took out of a frame's
// packet, its TPID and TCI as they stand on the wire, when status has
// TP_STATUS_VLAN_VALID: hv1.tp_vlan_tci holds the tag's TCI, even a TCI of 0.
// TP_STATUS_VLAN_TPID_VALID (Linux 3.14) says hv1.tp_vlan_tpid holds its
// TPID; without it, the tag is 802.1Q's (linux/if_packet.h).
func vlanTag(h *ringHeaders) uint32 {
	ne := binary.NativeEndian
	tpid := uint32(unix.ETH_P_8021Q)
	if ne.Uint32(h[frameStatusOff:])&unix.TP_STATUS_VLAN_TPID_VALID != 0 {
		tpid = uint32(ne.Uint16(h[frameVlanTPOff:]))
	}
	return tpid<<16 | ne.Uint32(h[frameVlanTCIOff:])&0xffff
}

// putCookedV2 writes the LINKTYPE_LINUX_SLL2 header
// (https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL2.html) of a frame's
// packet, from its struct sockaddr_ll: protocol, 2 zero bytes, interface
// index, ARPHRD_ type, packet type, address length (all big-endian) and
// addr, the 8 bytes of linkAddr in memory order.
func putCookedV2(hdr *[sll2HdrLen]byte, h *ringHeaders, addr uint64) {
	ne, be := binary.NativeEndian, binary.BigEndian
	proto := uint64(be.Uint16(h[sllProtoOff:])) // sll_protocol is big-endian already
	be.PutUint64(hdr[0:], proto<<48|uint64(ne.Uint32(h[sllIfindexOff:])))
	be.PutUint32(hdr[8:], uint32(ne.Uint16(h[sllHatypeOff:]))<<16|uint32(be.Uint16(h[sllPkttypeOff:])))
	binary.LittleEndian.PutUint64(hdr[12:], addr)
}

// putCookedV1 writes the LINKTYPE_LINUX_SLL header
// (https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html) of a frame's
// packet, from its struct sockaddr_ll: packet type, ARPHRD_ type and address
// length as 2 big-endian bytes each, addr (the 8 bytes of linkAddr in memory
// order), then the protocol.
func putCookedV1(hdr *[sllHdrLen]byte, h *ringHeaders, addr uint64) {
	ne, be := binary.NativeEndian, binary.BigEndian
	be.PutUint16(hdr[0:], uint16(h[sllPkttypeOff]))
	be.PutUint16(hdr[2:], ne.Uint16(h[sllHatypeOff:]))
	be.PutUint16(hdr[4:], uint16(h[sllHalenOff]))
	binary.LittleEndian.PutUint64(hdr[6:], addr)
	hdr[14], hdr[15] = h[sllProtoOff], h[sllProtoOff+1] // big-endian already
}

// linkAddr is the 8 bytes of sockaddr_ll's sll_addr, for a cooked header's
// address: the first sll_halen bytes of the sender's address (8 if it has
// more) and zeros after them, as the kernel leaves them (a capture of
// 180,000 packets through a 1 MiB ring, many times round, shows no other
// bytes there, in sockscope's file as in tcpdump's).
func linkAddr(h *ringHeaders) uint64 {
	return binary.LittleEndian.Uint64(h[sllAddrOff:])
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
			// Hardware with no link type in rawLinkTypes is captured on a
			// cooked socket, which gives the packet without its link header.
			unix.Close(s.fd)
			s.fd, err = unix.Socket(unix.AF_PACKET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
			if err != nil {
				s.fd = -1
				return openError(name, err)
			}
		}
	}
	if cfg.LinkType != 0 && cfg.LinkType != linkType {
		if name != AnyInterface || cfg.LinkType != wire.LinkLinuxSLL {
			return fmt.Errorf("open %s: %w: %s (sockscope capture -L -i %s lists them)", name, ErrLinkTypeNotOffered, cfg.LinkType.Name(), name)
		}
		linkType = cfg.LinkType // any's other cooked header, v1
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
			// A program the kernel refuses (one that reads scratch
			// memory it cannot prove written, say) runs here instead.
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
	s.fr.direction = cfg.Direction
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

// LinkTypesOf are the link types a capture on interface name can give,
// in the order tcpdump -L lists them: any's two cooked headers, v1 then
// v2 (v2 the default), or the one of the interface's hardware.
func LinkTypesOf(name string) ([]wire.LinkType, error) {
	if name == AnyInterface {
		return []wire.LinkType{wire.LinkLinuxSLL, wire.LinkLinuxSLL2}, nil
	}
	l, err := LinkTypeOf(name)
	if err != nil {
		return nil, err
	}
	return []wire.LinkType{l}, nil
}

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

// linkTypeFor is the link type a live capture on hardware of type arphrd
// (an ARPHRD_ value, linux/if_arp.h; SIOCGIFHWADDR's sa_family) produces:
// the one rawLinkTypes gives it, or Linux cooked v1 (LINKTYPE_LINUX_SLL) for
// hardware whose link header sockscope does not record as it is, which
// OpenLive then captures on a SOCK_DGRAM socket, without the link header.
func linkTypeFor(arphrd uint16) wire.LinkType {
	if lt, ok := rawLinkTypes[arphrd]; ok {
		return lt
	}
	return wire.LinkLinuxSLL
}

// rawLinkTypes are the hardware types whose packets a SOCK_RAW packet socket
// hands over in a framing that has a LINKTYPE_ of its own
// (https://www.tcpdump.org/linktypes.html), and that link type. For lo, a
// veth and a tun device it is what `tcpdump -L -i IF` lists first.
var rawLinkTypes = map[uint16]wire.LinkType{
	// LINKTYPE_ETHERNET: an Ethernet header, or one shaped like it.
	unix.ARPHRD_ETHER:    wire.LinkEthernet,
	unix.ARPHRD_LOOPBACK: wire.LinkEthernet, // lo: Ethernet headers of zero addresses
	unix.ARPHRD_METRICOM: wire.LinkEthernet, // Metricom STRIP radios

	// LINKTYPE_RAW: links that carry IP packets with no link header, so that
	// a packet begins with its IPv4 or IPv6 header.
	unix.ARPHRD_SLIP:    wire.LinkRaw,
	unix.ARPHRD_CSLIP:   wire.LinkRaw, // compressed SLIP, expanded before the socket sees it
	unix.ARPHRD_SLIP6:   wire.LinkRaw,
	unix.ARPHRD_CSLIP6:  wire.LinkRaw,
	unix.ARPHRD_ADAPT:   wire.LinkRaw, // SLIP that adapts to CSLIP
	unix.ARPHRD_DLCI:    wire.LinkRaw, // Frame Relay DLCI
	unix.ARPHRD_RAWHDLC: wire.LinkRaw, // raw HDLC carrying IP
	unix.ARPHRD_TUNNEL:  wire.LinkRaw, // IP in IPv4 (ipip)
	unix.ARPHRD_SIT:     wire.LinkRaw, // IPv6 in IPv4 (sit)
	unix.ARPHRD_NONE:    wire.LinkRaw, // no hardware header: tun devices, WireGuard
}

// LiveSnaplen is the snapshot length a live capture of link type linkType
// keeps for LiveConfig.Snaplen snaplen, which a filter for it returns: 0
// or too much means the maximum, and a cooked capture keeps at least its
// header and a byte (as tcpdump: -s 16 on any keeps 21 bytes).
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
	for {
		data, ci, ok, err := s.take()
		if ok || err != nil {
			return data, ci, err
		}
		if err := s.wait(); err != nil {
			if err == io.EOF {
				s.done = true
			}
			return nil, ci, err
		}
	}
}

// take returns the next packet the ring holds, ok false when the kernel
// has handed over none yet (then wait waits for one), and io.EOF once the
// capture is over.
func (s *Live) take() (data []byte, ci gopacket.CaptureInfo, ok bool, err error) {
	if s.done {
		return nil, ci, false, io.EOF
	}
	for {
		if !s.draining && s.stopping.Load() {
			if err := s.startDrain(); err != nil {
				return nil, ci, false, err
			}
		}
		if s.draining && s.frames >= s.target {
			s.done = true
			return nil, ci, false, io.EOF
		}
		off, end, ok := s.ring.next()
		if !ok {
			return nil, ci, false, nil
		}
		s.frames++
		data, keep, err := s.fr.frame(s.ring.mem[off:end], &s.ci)
		if err != nil {
			return nil, ci, false, fmt.Errorf("read %s: %w", s.iface.Name, err)
		}
		if !keep {
			continue
		}
		s.netdown = false
		if s.match != nil && !s.match.Match(data, s.ci.Length) {
			continue
		}
		return data, s.ci, true, nil
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
// the kernel then unbinds the socket, whose name shows ifindex -1. A lookup
// by index would look in the namespace of the calling thread, which need not
// be the socket's.
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
// not one: the interface may come back up, and Next keeps waiting for it.
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
// InterfaceStats are Stats as a capture on several interfaces gives them,
// one per interface: here one.
func (s *Live) InterfaceStats() ([]LiveStats, error) {
	st, err := s.Stats()
	return []LiveStats{st}, err
}

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
