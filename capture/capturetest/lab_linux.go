// Package capturetest builds the world a live-capture test runs in: two
// network namespaces joined by a veth pair, real traffic between them, and
// tcpdump capturing beside the code under test. It is for tests only, and
// never touches the machine's own interfaces.
package capturetest

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
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

// TcpdumpTimeout is longer than tcpdump's 1 s ring block timeout: that long
// after the last packet, tcpdump has read everything.
const TcpdumpTimeout = 1300 * time.Millisecond

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
}

var labCount atomic.Int32

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

// InNS runs f on a thread in network namespace ns; the sockets f opens stay
// in ns. The thread stays locked, so it ends with its goroutine and nothing
// else ever runs in the namespace by mistake.
func InNS(ns netns.NsHandle, f func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		if err := netns.Set(ns); err != nil {
			errc <- fmt.Errorf("enter namespace: %w", err)
			return
		}
		errc <- f()
	}()
	return <-errc
}

// newNamedNS makes a named network namespace, removed when the test ends.
func newNamedNS(t *testing.T, name string) netns.NsHandle {
	t.Helper()
	var ns netns.NsHandle
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // the thread ends in the new namespace
		var err error
		ns, err = netns.NewNamed(name)
		errc <- err
	}()
	if err := <-errc; err != nil {
		netns.DeleteNamed(name)
		SkipOrFail(t, "cannot make network namespace %s: %v", name, err)
	}
	t.Cleanup(func() {
		ns.Close()
		if err := netns.DeleteNamed(name); err != nil {
			t.Errorf("remove namespace %s: %v", name, err)
		}
	})
	return ns
}

// NewLab builds a lab for t, its namespaces named sslive<pid>-<n>a and -b.
func NewLab(t *testing.T) *Lab {
	t.Helper()
	RequirePrivilege(t)
	n := labCount.Add(1)
	l := &Lab{t: t, NsA: fmt.Sprintf("sslive%d-%da", os.Getpid(), n), NsB: fmt.Sprintf("sslive%d-%db", os.Getpid(), n)}
	l.A = newNamedNS(t, l.NsA)
	l.B = newNamedNS(t, l.NsB)
	var err error
	if l.ha, err = netlink.NewHandleAt(l.A); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.ha.Close)
	if l.hb, err = netlink.NewHandleAt(l.B); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.hb.Close)
	for _, ns := range []netns.NsHandle{l.A, l.B} {
		if err := InNS(ns, disableIPv6); err != nil {
			t.Fatal(err)
		}
	}
	// Made in A with its peer put in B at once: it never exists outside them.
	veth := &netlink.Veth{LinkAttrs: netlink.LinkAttrs{Name: IfA}, PeerName: IfB, PeerNamespace: netlink.NsFd(l.B)}
	if err := l.ha.LinkAdd(veth); err != nil {
		t.Fatalf("add veth: %v", err)
	}
	linkA, linkB := l.link(l.ha, IfA), l.link(l.hb, IfB)
	l.MACA, l.MACB = linkA.Attrs().HardwareAddr, linkB.Attrs().HardwareAddr
	l.IndexA = linkA.Attrs().Index
	for _, side := range []struct {
		h        *netlink.Handle
		link     netlink.Link
		ip, peer netip.Addr
		peerMAC  net.HardwareAddr
	}{
		{l.ha, linkA, IPA, IPB, l.MACB},
		{l.hb, linkB, IPB, IPA, l.MACA},
	} {
		name := side.link.Attrs().Name
		addr := &netlink.Addr{IPNet: &net.IPNet{IP: side.ip.AsSlice(), Mask: net.CIDRMask(24, 32)}}
		if err := side.h.AddrAdd(side.link, addr); err != nil {
			t.Fatalf("address %s on %s: %v", side.ip, name, err)
		}
		neigh := &netlink.Neigh{LinkIndex: side.link.Attrs().Index, State: netlink.NUD_PERMANENT, IP: side.peer.AsSlice(), HardwareAddr: side.peerMAC}
		if err := side.h.NeighAdd(neigh); err != nil {
			t.Fatalf("neighbour %s on %s: %v", side.peer, name, err)
		}
		for _, ifc := range []string{"lo", name} {
			if err := side.h.LinkSetUp(l.link(side.h, ifc)); err != nil {
				t.Fatalf("set %s up: %v", ifc, err)
			}
		}
	}
	// Wait for the carrier, without which the veth drops what it is given.
	deadline := time.Now().Add(5 * time.Second)
	for l.link(l.hb, IfB).Attrs().OperState != netlink.OperUp {
		if time.Now().After(deadline) {
			t.Fatal("the lab's veth did not come up")
		}
		time.Sleep(10 * time.Millisecond)
	}
	return l
}

func disableIPv6() error {
	for _, c := range []string{"all", "default", "lo"} {
		p := "/proc/sys/net/ipv6/conf/" + c + "/disable_ipv6"
		if err := os.WriteFile(p, []byte("1"), 0); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("disable IPv6: %w", err)
		}
	}
	return nil
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
	set := l.hb.LinkSetDown
	if up {
		set = l.hb.LinkSetUp
	}
	if err := set(l.link(l.hb, name)); err != nil {
		l.t.Fatalf("set %s up %v: %v", name, up, err)
	}
}

// DeleteLink removes interface name from B.
func (l *Lab) DeleteLink(name string) {
	l.t.Helper()
	if err := l.hb.LinkDel(l.link(l.hb, name)); err != nil {
		l.t.Fatalf("delete %s: %v", name, err)
	}
}

// RxPackets is the count of packets IfB has received.
func (l *Lab) RxPackets() uint64 {
	return l.link(l.hb, IfB).Attrs().Statistics.RxPackets
}

// Traffic sends real UDP (one datagram in IP fragments), TCP (a handshake,
// 200 kB, an answer, the teardown) and ICMP (an echo) from A to B, then
// 802.1Q and 802.1ad tagged frames, and waits for the answers.
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
	served := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			served <- err
			return
		}
		defer c.Close()
		n, err := io.Copy(io.Discard, c)
		if err == nil {
			_, err = fmt.Fprintf(c, "got %d bytes\n", n)
		}
		served <- err
	}()

	err = InNS(l.A, func() error {
		u, err := net.Dial("udp4", netip.AddrPortFrom(IPB, 5002).String())
		if err != nil {
			return err
		}
		defer u.Close()
		for _, size := range []int{1, 100, 1000, 1472, 4000} {
			if _, err := u.Write(make([]byte, size)); err != nil {
				return err
			}
		}
		if err := Ping(IPA, IPB); err != nil {
			return fmt.Errorf("ping: %w", err)
		}
		c, err := net.Dial("tcp4", netip.AddrPortFrom(IPB, 5001).String())
		if err != nil {
			return err
		}
		defer c.Close()
		if _, err := c.Write(make([]byte, 200_000)); err != nil {
			return err
		}
		c.(*net.TCPConn).CloseWrite()
		answer, err := bufio.NewReader(c).ReadString('\n')
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
	// B's kernel takes a VLAN tag out of the frame on receive; a capture
	// has to put it back.
	send := l.Sender()
	for _, tag := range []uint32{0x8100_200a, 0x88a8_0005} {
		if err := send.SendTagged(tag, 0, 2); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(50 * time.Millisecond) // the TCP teardown
}

// LoopbackTraffic sends UDP, TCP and ICMP over lo in B.
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
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			if c, err := ln.Accept(); err == nil {
				io.Copy(io.Discard, c)
				c.Close()
			}
		}()
		c, err := net.Dial("tcp4", "127.0.0.1:5003")
		if err != nil {
			return err
		}
		c.Write([]byte(strings.Repeat("stream ", 20000)))
		c.Close()
		wg.Wait()
		u, err := net.Dial("udp4", "127.0.0.1:5004")
		if err != nil {
			return err
		}
		defer u.Close()
		for _, size := range []int{10, 1000, 9000} {
			u.Write(make([]byte, size))
		}
		return Ping(lo, lo)
	})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond) // the TCP teardown
}

// Ping sends one ICMP echo request from src to dst on a raw socket and waits
// for the reply. Run it in the namespace of src.
func Ping(src, dst netip.Addr) error {
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
	c.SetReadDeadline(time.Now().Add(3 * time.Second))
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

// Sender sends Ethernet frames from A to B on a packet socket, with an
// EtherType no one in B answers (0x88b5, IEEE 802 local experimental), so
// that B sees exactly the frames sent.
type Sender struct {
	l  *Lab
	fd int
	sa unix.SockaddrLinklayer
}

// Sender opens a packet socket in A, closed when the test ends.
func (l *Lab) Sender() *Sender {
	l.t.Helper()
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
	frame[hdr], frame[hdr+1] = 0x88, 0xb5
	for i := first; i < first+n; i++ {
		binary.BigEndian.PutUint32(frame[hdr+2:], uint32(i))
		for {
			err := unix.Sendto(s.fd, frame, 0, &s.sa)
			if err == nil {
				break
			}
			if !errors.Is(err, unix.ENOBUFS) && !errors.Is(err, unix.EAGAIN) {
				return err
			}
			time.Sleep(time.Millisecond)
		}
	}
	return nil
}

// Tcpdump is tcpdump writing a capture file in one of the lab's namespaces.
type Tcpdump struct {
	File   string
	cmd    *exec.Cmd
	mu     sync.Mutex
	stderr strings.Builder
}

// StartTcpdump runs tcpdump -n -w in namespace ns with args, and returns once
// it says it is listening.
func StartTcpdump(t *testing.T, ns string, args ...string) *Tcpdump {
	t.Helper()
	tcpdump := RequireTool(t, "tcpdump")
	r := &Tcpdump{File: filepath.Join(t.TempDir(), "tcpdump.pcap")}
	r.cmd = exec.Command("ip", append([]string{"netns", "exec", ns, tcpdump, "-n", "-w", r.File}, args...)...)
	errPipe, err := r.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.cmd.Start(); err != nil {
		t.Fatalf("start tcpdump: %v", err)
	}
	t.Cleanup(func() { r.cmd.Process.Kill(); r.cmd.Wait() })
	listening := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(errPipe)
		said := false
		for sc.Scan() {
			r.mu.Lock()
			r.stderr.WriteString(sc.Text() + "\n")
			r.mu.Unlock()
			if !said && strings.Contains(sc.Text(), "listening on") {
				said = true
				listening <- true
			}
		}
		if !said {
			listening <- false
		}
	}()
	select {
	case ok := <-listening:
		if !ok {
			t.Fatalf("tcpdump did not start: %s", r.Stderr())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("tcpdump did not say it was listening")
	}
	return r
}

// Stderr is what tcpdump has said so far.
func (r *Tcpdump) Stderr() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stderr.String()
}

// Stop ends tcpdump as Ctrl-C does. tcpdump does not read what is still in
// its ring when interrupted: wait TcpdumpTimeout after the traffic first.
func (r *Tcpdump) Stop(t *testing.T) {
	t.Helper()
	r.cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- r.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("tcpdump: %v: %s", err, r.Stderr())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("tcpdump did not stop")
	}
}
