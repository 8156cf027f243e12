package capturetest

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"

	"github.com/sockscope/sockscope/craft/labns"
)

// The lab's veth pair: IfA in namespace A, IfB in namespace B, with
// addresses IPA and IPB.
const (
	IfA = "sslive0"
	IfB = "sslive1"
)

// The lab's IPv4 addresses, on IfA and IfB.
var (
	IPA = netip.MustParseAddr("10.231.0.1")
	IPB = netip.MustParseAddr("10.231.0.2")
)

// Patience is how long a test waits for what takes milliseconds on an idle
// machine: a reply, a marker in a capture, a process ending. Tests never sleep
// for a fixed time to let something happen; they wait for a sign that it did,
// and give up after Patience, so that a loaded machine slows them down without
// failing them.
const Patience = 30 * time.Second

// labEtherType marks the frames a Sender sends (IEEE 802 local experimental
// EtherType 1): no one in B answers them, so B sees exactly the frames sent.
const labEtherType = 0x88b5

// Lab is two network namespaces of the test, A and B, joined by a veth pair.
// IPv6 is off and the neighbours are static, so that no packet flows but the
// test's own. Namespaces and veth go when the test ends, failed or not.
type Lab struct {
	t          *testing.T
	NsA, NsB   string // names under /run/netns, for ip netns exec
	A, B       netns.NsHandle
	ha, hb     *netlink.Handle
	MACA, MACB net.HardwareAddr
	IndexA     int // ifindex of IfA in A
	IndexB     int // ifindex of IfB in B
	IndexLoB   int // ifindex of lo in B
	sender     *Sender
}

// RequirePrivilege skips the test, with the reason, when it cannot open a
// packet socket, and fails it instead when SOCKSCOPE_REQUIRE_PRIV=1 (CI runs
// as root and sets it).
func RequirePrivilege(t *testing.T) {
	t.Helper()
	fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0)
	if err == nil {
		unix.Close(fd)
		return
	}
	SkipOrFail(t, "permission denied (needs CAP_NET_RAW and CAP_SYS_ADMIN: run the tests as root): %v", err)
}

// SkipOrFail skips the test, or fails it when SOCKSCOPE_REQUIRE_PRIV=1.
func SkipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("SOCKSCOPE_REQUIRE_PRIV") == "1" {
		t.Fatalf("SOCKSCOPE_REQUIRE_PRIV=1 but: "+format, args...)
	}
	t.Skipf(format, args...)
}

// RequireTool returns the path of a program, skipping the test (or failing
// it, under SOCKSCOPE_REQUIRE_PRIV=1) when it is not installed.
func RequireTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		SkipOrFail(t, "%s is not installed", name)
	}
	return path
}

// InNS runs f on a thread in network namespace ns (labns.InNS); the
// sockets f opens stay in ns.
func InNS(ns netns.NsHandle, f func() error) error { return labns.InNS(ns, f) }

// LabPrefix starts the names of the tests' lab namespaces (and of their
// lock files under labns.Dir).
const LabPrefix = "sslive"

// NewLab builds a lab for t: namespaces named sslive, eight random
// hexadecimal digits, and a or b, made only where no namespace has the name
// (labns), and removed when the test ends, failed or not. It first removes
// the labs of test processes that were killed (a timeout, SIGKILL) and says
// so in the test's log; those of running tests, in any package, stay.
func NewLab(t *testing.T) *Lab {
	t.Helper()
	RequirePrivilege(t)
	ReclaimDeadLabs(t)
	p, err := labns.NewPair(LabPrefix)
	if err != nil {
		SkipOrFail(t, "cannot make the lab's network namespaces: %v", err)
	}
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Errorf("remove the lab: %v", err)
		}
	})
	err = p.Connect(labns.LinkConfig{LinkA: IfA, LinkB: IfB,
		AddrsA: []netip.Prefix{netip.PrefixFrom(IPA, 24)}, AddrsB: []netip.Prefix{netip.PrefixFrom(IPB, 24)},
		NoIPv6: true, Static: true, Patience: Patience})
	if err != nil {
		t.Fatal(err)
	}
	l := &Lab{t: t, NsA: p.A.NS, NsB: p.B.NS, A: p.A.Handle, B: p.B.Handle,
		MACA: p.A.MAC, MACB: p.B.MAC, IndexA: p.A.Index, IndexB: p.B.Index}
	if l.ha, err = labns.NetlinkIn(l.A); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.ha.Close)
	if l.hb, err = labns.NetlinkIn(l.B); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.hb.Close)
	l.IndexLoB = l.link(l.hb, "lo").Attrs().Index
	// Connect waited for the veth's carrier and queueing discipline; an
	// echo request that crosses and is answered shows the whole path
	// works. No capture is open yet, and the probes are the only traffic.
	WaitUntil(t, "the lab's veth carries packets", func() bool {
		return InNS(l.A, func() error { return ping(IPA, IPB, 200*time.Millisecond) }) == nil
	})
	return l
}

// ReclaimDeadLabs removes the labs (LabPrefix) that test processes which
// have ended left behind, and logs one line for each: never a running
// test's, in whatever package or process.
func ReclaimDeadLabs(t *testing.T) {
	t.Helper()
	dead, err := labns.Reclaim(LabPrefix)
	for _, d := range dead {
		if d.Err != nil {
			t.Logf("could not remove lab %s left by a test process that ended (pid %d): %v", d.Name, d.PID, d.Err)
			continue
		}
		t.Logf("removed lab %s left by a test process that ended (pid %d)", d.Name, d.PID)
	}
	if err != nil {
		t.Logf("a lab left by a test process that ended: %v", err)
	}
}

// WaitUntil waits until cond holds, checking every few milliseconds, and
// fails the test when it still does not after Patience.
func WaitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(Patience)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v, and still not: %s", Patience, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (l *Lab) link(h *netlink.Handle, name string) netlink.Link {
	l.t.Helper()
	link, err := h.LinkByName(name)
	if err != nil {
		l.t.Fatalf("%s: %v", name, err)
	}
	return link
}

// AddDownVeth adds a veth pair to B and leaves it down.
func (l *Lab) AddDownVeth(name, peer string) {
	l.t.Helper()
	if err := l.hb.LinkAdd(&netlink.Veth{LinkAttrs: netlink.LinkAttrs{Name: name}, PeerName: peer}); err != nil {
		l.t.Fatalf("add veth %s: %v", name, err)
	}
}

// AddVeth adds a veth pair to B, both ends up.
func (l *Lab) AddVeth(name, peer string) {
	l.t.Helper()
	l.AddDownVeth(name, peer)
	for _, ifc := range []string{name, peer} {
		l.SetUp(ifc, true)
	}
}

// SetUp sets interface name in B up or down.
func (l *Lab) SetUp(name string, up bool) {
	l.t.Helper()
	l.setUp(l.hb, name, up)
}

// SetUpA sets interface name in A up or down.
func (l *Lab) SetUpA(name string, up bool) {
	l.t.Helper()
	l.setUp(l.ha, name, up)
}

// setUp sets interface name up or down in the namespace of h.
func (l *Lab) setUp(h *netlink.Handle, name string, up bool) {
	l.t.Helper()
	set := h.LinkSetDown
	if up {
		set = h.LinkSetUp
	}
	if err := set(l.link(h, name)); err != nil {
		l.t.Fatalf("set %s up %v: %v", name, up, err)
	}
}

// SetMTU sets the MTU of both ends of the lab's veth.
func (l *Lab) SetMTU(mtu int) {
	l.t.Helper()
	for _, end := range []struct {
		h    *netlink.Handle
		name string
	}{{l.ha, IfA}, {l.hb, IfB}} {
		if err := end.h.LinkSetMTU(l.link(end.h, end.name), mtu); err != nil {
			l.t.Fatalf("set %s mtu %d: %v", end.name, mtu, err)
		}
	}
}

// DeleteLink removes interface name from B.
func (l *Lab) DeleteLink(name string) {
	l.t.Helper()
	if err := l.hb.LinkDel(l.link(l.hb, name)); err != nil {
		l.t.Fatalf("delete %s: %v", name, err)
	}
}

// RxPackets is the count of packets IfB has received. The veth counts a
// frame when it queues it for B's receive path, before any capture on IfB
// has seen it: see Arrivals.
func (l *Lab) RxPackets() uint64 {
	return l.link(l.hb, IfB).Attrs().Statistics.RxPackets
}

// Traffic sends real UDP (one datagram in IP fragments), TCP (a handshake,
// 200 kB, an answer, the teardown) and ICMP (an echo) from A to B, and
// 802.1Q and 802.1ad tagged frames. It returns once B has received every
// packet, its captures on IfB have seen them all, and nothing more will
// follow: the datagrams and tagged frames were read in B, the echo was
// answered, and the TCP server's close waited for the last ACK.
func (l *Lab) Traffic() {
	t := l.t
	t.Helper()
	var ln net.Listener
	var udpB net.PacketConn
	err := InNS(l.B, func() (err error) {
		if ln, err = net.Listen("tcp4", netip.AddrPortFrom(IPB, 5001).String()); err != nil {
			return err
		}
		udpB, err = net.ListenPacket("udp4", ":5002")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	defer udpB.Close()
	tagged := l.newWitness(labEtherType)
	defer tagged.close()
	served := make(chan error, 1)
	go func() { served <- serveOnce(ln, "got %d bytes\n") }()

	// B's kernel takes a VLAN tag out of the frame on receive; a capture
	// has to put it back.
	send := l.Sender()
	for _, tag := range []uint32{0x8100_200a, 0x88a8_0005} {
		if err := send.SendTagged(tag, 0, 2); err != nil {
			t.Fatal(err)
		}
	}
	sizes := []int{1, 100, 1000, 1472, 4000}
	err = InNS(l.A, func() error {
		u, err := net.Dial("udp4", netip.AddrPortFrom(IPB, 5002).String())
		if err != nil {
			return err
		}
		defer u.Close()
		for _, size := range sizes {
			if _, err := u.Write(make([]byte, size)); err != nil {
				return err
			}
		}
		if err := Ping(IPA, IPB); err != nil {
			return fmt.Errorf("ping: %w", err)
		}
		answer, err := dialAndSend(netip.AddrPortFrom(IPB, 5001), 200_000)
		if err != nil {
			return err
		}
		if answer != "got 200000 bytes\n" {
			return fmt.Errorf("tcp server answered %q", answer)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := <-served; err != nil {
		t.Fatal(err)
	}
	if err := readDatagrams(udpB, len(sizes)); err != nil {
		t.Fatal(err)
	}
	WaitUntil(t, "B received the 4 tagged frames", func() bool { return tagged.count() >= 4 })
}

// LoopbackTraffic sends UDP, TCP and ICMP over lo in B, and returns once
// every packet has gone through lo: the datagrams were read, the echo was
// answered, and the TCP server's close waited for the last ACK.
func (l *Lab) LoopbackTraffic() {
	t := l.t
	t.Helper()
	lo := netip.MustParseAddr("127.0.0.1")
	err := InNS(l.B, func() error {
		ln, err := net.Listen("tcp4", "127.0.0.1:5003")
		if err != nil {
			return err
		}
		defer ln.Close()
		u, err := net.ListenPacket("udp4", "127.0.0.1:5004")
		if err != nil {
			return err
		}
		defer u.Close()
		served := make(chan error, 1)
		go func() { served <- serveOnce(ln, "") }()
		if _, err := dialAndSend(netip.AddrPortFrom(lo, 5003), 140_000); err != nil {
			return err
		}
		if err := <-served; err != nil {
			return err
		}
		c, err := net.Dial("udp4", "127.0.0.1:5004")
		if err != nil {
			return err
		}
		defer c.Close()
		sizes := []int{10, 1000, 9000}
		for _, size := range sizes {
			if _, err := c.Write(make([]byte, size)); err != nil {
				return err
			}
		}
		if err := readDatagrams(u, len(sizes)); err != nil {
			return err
		}
		return Ping(lo, lo)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// serveOnce accepts one connection on ln, reads it to the end, answers with
// answer (formatted with the byte count) unless it is empty, and closes it.
// The close lingers until the peer has acknowledged the FIN: when serveOnce
// returns, the last packet of the connection has been received.
func serveOnce(ln net.Listener, answer string) error {
	c, err := ln.Accept()
	if err != nil {
		return err
	}
	tc := c.(*net.TCPConn)
	if err := tc.SetLinger(int(Patience / time.Second)); err != nil {
		c.Close()
		return err
	}
	c.SetDeadline(time.Now().Add(Patience))
	n, err := io.Copy(io.Discard, c)
	if err == nil && answer != "" {
		_, err = fmt.Fprintf(c, answer, n)
	}
	if cerr := c.Close(); err == nil {
		err = cerr
	}
	return err
}

// dialAndSend connects to addr, sends n bytes, ends its side, and reads what
// the server says until the server ends too, so that both FINs have crossed.
func dialAndSend(addr netip.AddrPort, n int) (string, error) {
	c, err := net.Dial("tcp4", addr.String())
	if err != nil {
		return "", err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(Patience))
	if _, err := c.Write(make([]byte, n)); err != nil {
		return "", err
	}
	if err := c.(*net.TCPConn).CloseWrite(); err != nil {
		return "", err
	}
	answer, err := io.ReadAll(c)
	return string(answer), err
}

// readDatagrams reads n datagrams from c.
func readDatagrams(c net.PacketConn, n int) error {
	c.SetReadDeadline(time.Now().Add(Patience))
	buf := make([]byte, 65536)
	for i := range n {
		if _, _, err := c.ReadFrom(buf); err != nil {
			return fmt.Errorf("datagram %d of %d: %w", i+1, n, err)
		}
	}
	return nil
}

// Ping sends one ICMP echo request from src to dst on a raw socket and waits
// for the reply. Run it in the namespace of src.
func Ping(src, dst netip.Addr) error {
	return ping(src, dst, Patience)
}

func ping(src, dst netip.Addr, timeout time.Duration) error {
	c, err := net.ListenPacket("ip4:icmp", src.String())
	if err != nil {
		return err
	}
	defer c.Close()
	msg := []byte{8, 0, 0, 0, 0x12, 0x34, 0, 1, 'p', 'i', 'n', 'g'}
	var sum uint32
	for i := 0; i < len(msg); i += 2 {
		sum += uint32(msg[i])<<8 | uint32(msg[i+1])
	}
	sum = sum>>16 + sum&0xffff
	sum += sum >> 16
	msg[2], msg[3] = byte(^sum>>8), byte(^sum)
	if _, err := c.WriteTo(msg, &net.IPAddr{IP: dst.AsSlice()}); err != nil {
		return err
	}
	c.SetReadDeadline(time.Now().Add(timeout))
	buf := make([]byte, 1500)
	for {
		n, _, err := c.ReadFrom(buf)
		if err != nil {
			return err
		}
		if n >= 8 && buf[0] == 0 && buf[4] == 0x12 && buf[5] == 0x34 {
			return nil
		}
	}
}

// Sender sends Ethernet frames from A to B on a packet socket, with
// labEtherType, so that B sees exactly the frames sent.
type Sender struct {
	l  *Lab
	fd int
	sa unix.SockaddrLinklayer
}

// Sender returns the lab's packet socket in A, closed when the test ends.
func (l *Lab) Sender() *Sender {
	l.t.Helper()
	if l.sender != nil {
		return l.sender
	}
	var fd int
	err := InNS(l.A, func() (err error) {
		fd, err = unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0)
		return err
	})
	if err != nil {
		l.t.Fatal(err)
	}
	l.t.Cleanup(func() { unix.Close(fd) })
	s := &Sender{l: l, fd: fd, sa: unix.SockaddrLinklayer{Ifindex: l.IndexA, Halen: 6}}
	copy(s.sa.Addr[:], l.MACB)
	l.sender = s
	return s
}

// Send sends n 60-byte frames numbered from first.
func (s *Sender) Send(first, n int) error {
	return s.SendTagged(0, first, n)
}

// SendTagged sends n frames numbered from first, with a VLAN tag (TPID and
// TCI) unless tag is 0.
func (s *Sender) SendTagged(tag uint32, first, n int) error {
	frame := make([]byte, 64)
	copy(frame[0:], s.l.MACB)
	copy(frame[6:], s.l.MACA)
	hdr := 12
	if tag != 0 {
		binary.BigEndian.PutUint32(frame[12:], tag)
		hdr = 16
	} else {
		frame = frame[:60]
	}
	binary.BigEndian.PutUint16(frame[hdr:], labEtherType)
	for i := first; i < first+n; i++ {
		binary.BigEndian.PutUint32(frame[hdr+2:], uint32(i))
		if err := sendFrame(s.fd, frame, &s.sa); err != nil {
			return err
		}
	}
	return nil
}

// SendFrames sends whole Ethernet frames from A to B, as they are, and
// returns once B's receive path has handed each to its protocol, past every
// capture on IfB. Only these frames may flow until it returns, and none may
// be answered: address them to a MAC address B does not have, or use a
// protocol B drops (IPv6 is off in the lab).
func (l *Lab) SendFrames(frames ...[]byte) {
	l.t.Helper()
	s := l.Sender()
	// Counted by EtherType, as the protocol sees it: past one VLAN tag,
	// which B's kernel takes out of the frame.
	want := map[uint16]uint64{}
	for _, f := range frames {
		typ := binary.BigEndian.Uint16(f[12:])
		if typ == 0x8100 || typ == 0x88a8 {
			typ = binary.BigEndian.Uint16(f[16:])
		}
		want[typ]++
	}
	witnesses := map[uint16]*witness{}
	for typ := range want {
		w := l.newWitness(typ)
		defer w.close()
		witnesses[typ] = w
	}
	for _, f := range frames {
		if err := sendFrame(s.fd, f, &s.sa); err != nil {
			l.t.Fatalf("send a frame: %v", err)
		}
	}
	for typ, n := range want {
		WaitUntil(l.t, fmt.Sprintf("B received the %d frames of EtherType %#04x", n, typ), func() bool {
			return witnesses[typ].count() >= n
		})
	}
}

// sendFrame sends frame, waiting while the socket's buffer is full.
func sendFrame(fd int, frame []byte, sa *unix.SockaddrLinklayer) error {
	// A copy of its own: Sendto writes the raw form into the sockaddr, and
	// two goroutines may send from one Sender (SendUntilStopped, Mark).
	to := *sa
	for {
		err := unix.Sendto(fd, frame, 0, &to)
		if err == nil {
			return nil
		}
		if !errors.Is(err, unix.ENOBUFS) && !errors.Is(err, unix.EAGAIN) {
			return err
		}
		time.Sleep(time.Millisecond)
	}
}

// markerMagic is in the payload of a marker frame and nowhere else. It is
// short enough to be kept by a 40-byte snaplen, after a cooked v2 header too.
var markerMagic = []byte("sockscope lab end")

// IsMarker reports whether a captured packet, of any link type, is the
// frame Mark or MarkLoopback sends, or another that holds MarkerPayload.
func IsMarker(data []byte) bool {
	return bytes.Contains(data[:min(len(data), 128)], markerMagic)
}

// MarkerPayload is what makes a frame a marker: a test that needs a marker
// of another shape (one a filter selects) puts it in the first 128 bytes.
func MarkerPayload() []byte {
	return bytes.Clone(markerMagic)
}

// Mark sends the marker frame from A to B over the veth, after traffic whose
// packets B has all received: a capture on IfB (or any, in B) that has
// returned the marker has returned everything before it. Wait for it in
// each capture before stopping them, instead of waiting a fixed time.
func (l *Lab) Mark() {
	l.t.Helper()
	s := l.Sender()
	frame := make([]byte, 60)
	copy(frame[0:], l.MACB)
	copy(frame[6:], l.MACA)
	binary.BigEndian.PutUint16(frame[12:], labEtherType)
	copy(frame[14:], markerMagic)
	if err := sendFrame(s.fd, frame, &s.sa); err != nil {
		l.t.Fatalf("send the marker: %v", err)
	}
}

// MarkLoopback sends the marker frame over lo in B, as Mark does on the veth.
func (l *Lab) MarkLoopback() {
	l.t.Helper()
	frame := make([]byte, 60)
	binary.BigEndian.PutUint16(frame[12:], labEtherType)
	copy(frame[14:], markerMagic)
	err := InNS(l.B, func() error {
		fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			return err
		}
		defer unix.Close(fd)
		return sendFrame(fd, frame, &unix.SockaddrLinklayer{Ifindex: l.IndexLoB, Halen: 6})
	})
	if err != nil {
		l.t.Fatalf("send the marker on lo: %v", err)
	}
}

// witness counts the frames of one EtherType (the Sender's, labEtherType,
// unless told otherwise) that B's receive path has handed to the protocol:
// a packet socket in B bound to IfB for that EtherType only.
// The kernel gives a frame to every capture on the interface before it
// looks for the protocol's handlers, so a frame the witness has counted has
// been seen by every capture on IfB, and by any.
type witness struct {
	t    *testing.T
	fd   int
	seen uint64
}

func (l *Lab) newWitness(etherType uint16) *witness {
	l.t.Helper()
	var fd int
	err := InNS(l.B, func() (err error) {
		proto := int(htons(etherType))
		if fd, err = unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, proto); err != nil {
			return err
		}
		// The frames are counted, not read: a small buffer overflows,
		// and the kernel counts what it drops as received too.
		unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUF, 4096)
		return unix.Bind(fd, &unix.SockaddrLinklayer{Protocol: htons(etherType), Ifindex: l.IndexB})
	})
	if err != nil {
		if fd > 0 {
			unix.Close(fd)
		}
		l.t.Fatalf("witness socket: %v", err)
	}
	w := &witness{t: l.t, fd: fd}
	l.t.Cleanup(w.close)
	return w
}

// count is how many frames the witness has been handed so far.
func (w *witness) count() uint64 {
	// PACKET_STATISTICS zeroes the counts it returns; tp_packets
	// includes the frames dropped.
	st, err := unix.GetsockoptTpacketStats(w.fd, unix.SOL_PACKET, unix.PACKET_STATISTICS)
	if err != nil {
		w.t.Fatalf("witness statistics: %v", err)
	}
	w.seen += uint64(st.Packets)
	return w.seen
}

func (w *witness) close() {
	if w.fd >= 0 {
		unix.Close(w.fd)
		w.fd = -1
	}
}

func htons(v uint16) uint16 {
	return v<<8 | v>>8
}

// Arrivals tells when the Sender's frames that arrived on IfB have gone
// through B's receive path, past every capture there. A frame is counted as
// received (RxPackets) when the veth queues it for B; the captures see it
// later, when B's CPU gets round to it.
type Arrivals struct {
	l   *Lab
	w   *witness
	rx0 uint64
}

// CountArrivals starts counting. Only the Sender's frames may flow until
// Wait returns.
func (l *Lab) CountArrivals() *Arrivals {
	l.t.Helper()
	return &Arrivals{l: l, w: l.newWitness(labEtherType), rx0: l.RxPackets()}
}

// Wait waits until every frame that arrived on IfB since CountArrivals has
// passed the captures there, and returns how many arrived.
func (a *Arrivals) Wait() uint64 {
	a.l.t.Helper()
	arrived := a.l.RxPackets() - a.rx0
	WaitUntil(a.l.t, fmt.Sprintf("the %d frames that arrived on %s went through its receive path", arrived, IfB), func() bool {
		return a.w.count() >= arrived
	})
	a.w.close()
	return arrived
}

// SendUntilStopped sends frames from A in batches of 100 until the returned
// stop is called, after at least min frames have arrived at B, so that a test
// can end a capture while traffic still flows. stop reports a send error.
func (l *Lab) SendUntilStopped(min uint64) (stop func() error) {
	send := l.Sender()
	before := l.RxPackets()
	quit, sending := make(chan struct{}), make(chan error, 1)
	go func() {
		for i := 0; ; i += 100 {
			select {
			case <-quit:
				sending <- nil
				return
			default:
			}
			if err := send.Send(i, 100); err != nil {
				sending <- err
				return
			}
		}
	}()
	WaitUntil(l.t, fmt.Sprintf("%d frames arrived", min), func() bool { return l.RxPackets()-before >= min })
	return func() error {
		close(quit)
		return <-sending
	}
}
