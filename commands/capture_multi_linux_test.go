package commands

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"

	"github.com/sockscope/sockscope/capture"
	"github.com/sockscope/sockscope/capture/capturetest"
	"github.com/sockscope/sockscope/craft/labns"
)

// multiLabPrefix names the namespaces of these tests' labs.
const multiLabPrefix = "sshmulti"

// multiLab is two namespaces, A and B, joined by two veth pairs: links[i]
// has its ends in A and B, its own /24, static neighbours and no IPv6, so
// that only the test's packets cross it. The names have different lengths
// (tcpdump -i any pads a name to 5 columns).
type multiLab struct {
	t     *testing.T
	nsB   string
	a, b  netns.NsHandle
	links [2]multiLink
}

type multiLink struct {
	a, b     string // the ends' names, in A and B
	ipA, ipB netip.Addr
	indexA   int // ifindex of a, in A
	macB     net.HardwareAddr
}

func newMultiLab(t *testing.T) *multiLab {
	t.Helper()
	capturetest.RequirePrivilege(t)
	if dead, err := labns.Reclaim(multiLabPrefix); err != nil || len(dead) > 0 {
		t.Logf("labs left by ended test processes: %v (%v)", dead, err)
	}
	p, err := labns.NewPair(multiLabPrefix)
	if err != nil {
		capturetest.SkipOrFail(t, "cannot make the lab's network namespaces: %v", err)
	}
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Errorf("remove the lab: %v", err)
		}
	})
	l := &multiLab{t: t, nsB: p.B.NS, a: p.A.Handle, b: p.B.Handle}
	for i, names := range [2][2]string{{"ma0", "mb0"}, {"hmultia1", "hmultib1"}} {
		lk := multiLink{a: names[0], b: names[1],
			ipA: netip.AddrFrom4([4]byte{10, 233, byte(i), 1}), ipB: netip.AddrFrom4([4]byte{10, 233, byte(i), 2})}
		err := p.Connect(labns.LinkConfig{LinkA: lk.a, LinkB: lk.b,
			AddrsA: []netip.Prefix{netip.PrefixFrom(lk.ipA, 24)}, AddrsB: []netip.Prefix{netip.PrefixFrom(lk.ipB, 24)},
			NoIPv6: true, Static: true, Patience: capturetest.Patience})
		if err != nil {
			t.Fatal(err)
		}
		lk.indexA, lk.macB = p.A.Index, p.B.MAC
		l.links[i] = lk
		capturetest.WaitUntil(t, lk.a+" carries packets", func() bool {
			return l.inA(func() error { return capturetest.Ping(lk.ipA, lk.ipB) }) == nil
		})
	}
	return l
}

func (l *multiLab) inA(f func() error) error { return capturetest.InNS(l.a, f) }

// names are the B ends, for -i.
func (l *multiLab) names() []string { return []string{l.links[0].b, l.links[1].b} }

// traffic sends, over each link in turn, pings echoed by B and then the
// UDP datagrams of datagrams, and returns once B has them all: 2 IP
// packets per ping and 5 more per link.
func (l *multiLab) traffic(pings int) {
	l.t.Helper()
	for _, lk := range l.links {
		l.pings(lk, pings)
		l.datagrams(lk)
	}
}

// pings sends n pings over lk, each answered.
func (l *multiLab) pings(lk multiLink, n int) {
	l.t.Helper()
	for range n {
		if err := l.inA(func() error { return capturetest.Ping(lk.ipA, lk.ipB) }); err != nil {
			l.t.Fatalf("ping %s: %v", lk.ipB, err)
		}
	}
}

// datagrams sends 3 UDP datagrams over lk (1, 1000 and 4000 bytes, the
// last in 3 fragments: 5 IP packets), and returns once B has read them.
func (l *multiLab) datagrams(lk multiLink) {
	t := l.t
	t.Helper()
	var pc net.PacketConn
	err := capturetest.InNS(l.b, func() (err error) {
		pc, err = net.ListenPacket("udp4", netip.AddrPortFrom(lk.ipB, 5009).String())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	sizes := []int{1, 1000, 4000}
	err = l.inA(func() error {
		c, err := net.Dial("udp4", netip.AddrPortFrom(lk.ipB, 5009).String())
		if err != nil {
			return err
		}
		defer c.Close()
		for _, n := range sizes {
			if _, err := c.Write(bytes.Repeat([]byte{'m'}, n)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	pc.SetReadDeadline(time.Now().Add(capturetest.Patience))
	buf := make([]byte, 8192)
	for range sizes {
		if _, _, err = pc.ReadFrom(buf); err != nil {
			t.Fatalf("B reads the datagrams on %s: %v", lk.b, err)
		}
	}
}

// mark sends the lab's marker frame (capturetest.MarkerPayload, an
// EtherType no one in B reads) over each link, after everything before it.
func (l *multiLab) mark() {
	l.t.Helper()
	for _, lk := range l.links {
		frame := make([]byte, 60)
		copy(frame, lk.macB)
		binary.BigEndian.PutUint16(frame[12:], 0x88b5)
		copy(frame[14:], capturetest.MarkerPayload())
		err := l.inA(func() error {
			fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0)
			if err != nil {
				return err
			}
			defer unix.Close(fd)
			sa := &unix.SockaddrLinklayer{Ifindex: lk.indexA, Halen: 6}
			copy(sa.Addr[:], lk.macB)
			return unix.Sendto(fd, frame, 0, sa)
		})
		if err != nil {
			l.t.Fatalf("send the marker on %s: %v", lk.a, err)
		}
	}
}

// byInterface reads a pcapng file: its interfaces, and the packets of
// each. It fails the test when a packet comes after a later one.
func byInterface(t *testing.T, path string) ([]capture.Interface, [][]packet) {
	t.Helper()
	ifaces, each, late := readByInterface(t, path)
	if late > 0 {
		t.Errorf("%s: %d packets come after a later one", path, late)
	}
	return ifaces, each
}

// readByInterface reads a pcapng file: its interfaces, the packets of each,
// and how many packets come after a later one.
func readByInterface(t *testing.T, path string) (ifaces []capture.Interface, each [][]packet, late int) {
	t.Helper()
	r, err := capture.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var last []byte
	for {
		data, ci, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for len(each) <= ci.InterfaceIndex {
			each = append(each, nil)
		}
		each[ci.InterfaceIndex] = append(each[ci.InterfaceIndex], packet{Data: bytes.Clone(data), Length: ci.Length, Timestamp: ci.Timestamp})
		if ts := ci.Timestamp.AppendFormat(nil, "15:04:05.000000000"); last != nil && string(ts) < string(last) {
			late++
		} else {
			last = ts
		}
	}
	return r.Interfaces(), each, late
}

// markedOnEach reports whether a pcapng file holds the marker on each of n
// interfaces.
func markedOnEach(path string, n int) bool {
	r, err := capture.Open(path)
	if err != nil {
		return false
	}
	defer r.Close()
	marked := map[int]bool{}
	for {
		data, ci, err := r.Next()
		if err != nil {
			return len(marked) == n
		}
		if capturetest.IsMarker(data) {
			marked[ci.InterfaceIndex] = true
		}
	}
}

// countBlocks counts the blocks of type typ in a little-endian pcapng file.
func countBlocks(t *testing.T, path string, typ uint32) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for len(b) >= 12 {
		l := int(binary.LittleEndian.Uint32(b[4:]))
		if l < 12 || l > len(b) {
			t.Fatalf("%s: bad block length %d", path, l)
		}
		if binary.LittleEndian.Uint32(b) == typ {
			n++
		}
		b = b[l:]
	}
	return n
}

// TestCaptureSeveralInterfacesWritesWhatTcpdumpWritesOnEach captures two
// veth ends at once into one pcapng file while tcpdump captures each into a
// file of its own: the file has one interface block per -i, named and in
// order, and on each the packets tcpdump wrote for it, byte for byte, in
// timestamp order; SIGINT leaves it whole, with a statistics block per
// interface; capinfos and tshark read it without a word, and tshark names
// each packet's interface as the file does.
func TestCaptureSeveralInterfacesWritesWhatTcpdumpWritesOnEach(t *testing.T) {
	l := newMultiLab(t)
	names := l.names()
	file := filepath.Join(t.TempDir(), "two.pcapng")
	ss := startCapture(t, l.nsB, nil, "capture", "-i", names[0], "-i", names[1], "-w", file)
	var tds []*capturetest.Tcpdump
	for _, name := range names {
		tds = append(tds, capturetest.StartTcpdump(t, l.nsB, "-i", name))
	}
	l.traffic(3)
	l.mark()
	for _, td := range tds {
		td.WaitForMarker(t)
		td.Stop(t)
	}
	capturetest.WaitUntil(t, "sockscope wrote the marker of each interface", func() bool { return markedOnEach(file, 2) })
	ss.interrupt(t, syscall.SIGINT)

	ifaces, each := byInterface(t, file)
	if len(ifaces) != 2 || len(each) != 2 {
		t.Fatalf("%d interfaces described, packets on %d; want 2", len(ifaces), len(each))
	}
	total := 0
	for i, name := range names {
		if ifaces[i].Name != name || ifaces[i].LinkType != 1 || ifaces[i].Snaplen != 262144 {
			t.Errorf("interface %d is %+v, want %s, Ethernet, snaplen 262144", i, ifaces[i], name)
		}
		_, want := readPackets(t, tds[i].File)
		capturetest.SameAsTcpdump(t, name, each[i], want)
		t.Logf("%s: %d packets, tcpdump %d", name, len(each[i]), len(want))
		if len(want) != 3*2+5+1 {
			t.Errorf("tcpdump wrote %d packets on %s, want 12 (the lab is not quiet?)", len(want), name)
		}
		total += len(each[i])
	}
	captured, received, dropped := ss.stats(t)
	if captured != uint64(total) || received != captured || dropped != 0 {
		t.Errorf("reported %d captured, %d received, %d dropped; the file has %d packets", captured, received, dropped, total)
	}
	for i, name := range names {
		line := fmt.Sprintf("%s: %d packets received by filter, 0 packets dropped by kernel\n", name, len(each[i]))
		if !strings.Contains(ss.stderr.String(), line) {
			t.Errorf("standard error does not say %q:\n%s", line, ss.stderr)
		}
	}
	if n := countBlocks(t, file, 5); n != 2 {
		t.Errorf("%d interface statistics blocks, want 2 (one per interface)", n)
	}
	fileIsClean(t, file)
	out, err := exec.Command("tshark", "-n", "-r", file, "-T", "fields", "-e", "frame.interface_name").Output()
	if err != nil {
		t.Fatal(err)
	}
	var fromFile []string
	r, _ := capture.Open(file)
	for {
		_, ci, err := r.Next()
		if err != nil {
			break
		}
		fromFile = append(fromFile, names[ci.InterfaceIndex])
	}
	r.Close()
	if got := strings.Fields(string(out)); !slices.Equal(got, fromFile) {
		t.Errorf("tshark names the packets' interfaces\n%v\nthe file says\n%v", got, fromFile)
	}
}

// timestampRE is the timestamp at the start of a line, and the space after it.
var timestampRE = regexp.MustCompile(`(?m)^\d\d:\d\d:\d\d\.\d{6} `)

// TestCaptureSeveralInterfacesMarksLinesAsTcpdumpAny prints a capture on
// two veth ends beside tcpdump -i any in the same namespace: after the
// timestamp, the same lines, each with the interface and the direction as
// tcpdump -i any gives them ("mb0   In  IP ...", "hmultib1 Out IP ...");
// with -e the marker comes before the Ethernet header.
func TestCaptureSeveralInterfacesMarksLinesAsTcpdumpAny(t *testing.T) {
	l := newMultiLab(t)
	tcpdump := capturetest.RequireTool(t, "tcpdump")
	names := l.names()
	var ours, oursE, theirs syncBuffer
	ss := startCapture(t, l.nsB, &ours, "capture", "-i", names[0], "-i", names[1], "-n", "icmp", "or", "udp")
	ssE := startCapture(t, l.nsB, &oursE, "capture", "-i", names[0], "-i", names[1], "-n", "-e", "icmp", "or", "udp")
	td := exec.Command("ip", "netns", "exec", l.nsB, tcpdump, "-i", "any", "-n", "-l", "icmp", "or", "udp")
	td.Stdout = &theirs
	tdErr := &syncBuffer{}
	td.Stderr = tdErr
	if err := td.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { td.Process.Kill(); td.Wait() })
	capturetest.WaitUntil(t, "tcpdump listens", func() bool { return strings.Contains(tdErr.String(), "listening on") })
	l.traffic(2)
	want := 2 * (2*2 + 5)
	lines := func(b *syncBuffer) []string { return strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") }
	capturetest.WaitUntil(t, fmt.Sprintf("each printed %d lines", want), func() bool {
		return len(lines(&ours)) >= want && len(lines(&oursE)) >= want && len(lines(&theirs)) >= want
	})
	td.Process.Signal(syscall.SIGINT)
	ss.interrupt(t, syscall.SIGINT)
	ssE.interrupt(t, syscall.SIGINT)

	strip := func(b *syncBuffer) []string {
		return strings.Split(strings.TrimSuffix(timestampRE.ReplaceAllString(b.String(), ""), "\n"), "\n")
	}
	// tcpdump may end its output with an empty line when interrupted.
	got, exp := strip(&ours), slices.DeleteFunc(strip(&theirs), func(s string) bool { return s == "" })
	if !slices.Equal(got, exp) {
		t.Errorf("sockscope printed\n%s\ntcpdump -i any printed\n%s", strings.Join(got, "\n"), strings.Join(exp, "\n"))
		for i := range min(len(got), len(exp)) {
			if got[i] != exp[i] {
				t.Errorf("line %d: %q, tcpdump %q", i+1, got[i], exp[i])
				break
			}
		}
	}
	for _, name := range names {
		for _, dir := range []string{"In  IP ", "Out IP "} {
			marker := fmt.Sprintf("%-5s %s", name, dir)
			if !strings.Contains(ours.String(), marker) {
				t.Errorf("no line has %q:\n%s", marker, ours.String())
			}
		}
	}
	eLine := regexp.MustCompile(`^(mb0  |hmultib1) (In |Out) ([0-9a-f]{2}:){5}[0-9a-f]{2} > ([0-9a-f]{2}:){5}[0-9a-f]{2}, ethertype IPv4 \(0x0800\), length \d+: `)
	for i, line := range strip(&oursE) {
		if !eLine.MatchString(line) {
			t.Errorf("-e line %d is not marker, then the Ethernet header: %q", i+1, line)
		}
		if i < len(got) && !strings.HasSuffix(line, strings.SplitN(got[i], " IP ", 2)[1]) {
			t.Errorf("-e line %d ends otherwise than the line without -e:\n%s\n%s", i+1, line, got[i])
		}
	}
}

// TestCaptureSeveralInterfacesCountsAndFiltersEach captures the received
// ICMP of two veth ends with -c 4, -Q in and a filter, while UDP and then
// pings cross each: each interface's socket runs the filter and the
// direction, and -c counts over both, so that the 4 echo requests sent (2
// on each) are the file, and the capture ends by itself.
func TestCaptureSeveralInterfacesCountsAndFiltersEach(t *testing.T) {
	l := newMultiLab(t)
	names := l.names()
	file := filepath.Join(t.TempDir(), "requests.pcapng")
	ss := startCapture(t, l.nsB, nil, "capture", "-i", names[0], "-i", names[1], "-Q", "in", "-c", "4", "-w", file, "icmp")
	for _, lk := range l.links {
		l.datagrams(lk) // not ICMP
	}
	for _, lk := range l.links {
		l.pings(lk, 2) // the replies go out
	}
	if code := ss.wait(t); code != 0 {
		t.Fatalf("exit %d:\n%s", code, ss.stderr)
	}
	_, each := byInterface(t, file)
	var counts []int
	for _, pkts := range each {
		counts = append(counts, len(pkts))
	}
	if !slices.Equal(counts, []int{2, 2}) {
		t.Fatalf("packets per interface: %v, want [2 2]", counts)
	}
	for i, pkts := range each {
		for _, p := range pkts {
			// Ethernet, IPv4 of 20 bytes, ICMP type 8: an echo request.
			if len(p.Data) < 35 || p.Data[23] != 1 || p.Data[34] != 8 {
				t.Errorf("%s: not an echo request: % x", names[i], p.Data[:min(len(p.Data), 40)])
			}
		}
	}
	if captured, _, _ := ss.stats(t); captured != 4 {
		t.Errorf("reported %d captured, want 4", captured)
	}
}

// TestCaptureSeveralInterfacesOfTwoLinkTypes names, beside a veth end, a
// tun device (raw IP): a filter the raw IP one cannot take is a usage
// error that names that -i, and -d, one program per link type, asks for
// one -i.
func TestCaptureSeveralInterfacesOfTwoLinkTypes(t *testing.T) {
	l := newMultiLab(t)
	if out, err := exec.Command("ip", "-n", l.nsB, "tuntap", "add", "sshmtun0", "mode", "tun").CombinedOutput(); err != nil {
		capturetest.SkipOrFail(t, "cannot make a tun device: %v: %s", err, out)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"ether", "host", "1:2:3:4:5:6"}, "sockscope: filter: -i sshmtun0: Ethernet addresses cannot be tested in raw IP captures"},
		{[]string{"-d", "icmp"}, "sockscope: capture: -d: mb0 and sshmtun0 have different link types (EN10MB, RAW)"},
	} {
		args := append([]string{"netns", "exec", l.nsB, sockscopeBinary(t), "capture", "-i", "mb0", "-i", "sshmtun0"}, tc.args...)
		out, err := exec.Command("ip", args...).CombinedOutput()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.HasPrefix(string(out), tc.want) {
			t.Errorf("capture -i mb0 -i sshmtun0 %s: %v\n%s\nwant exit 2 and %q", strings.Join(tc.args, " "), err, out, tc.want)
		}
	}
}

// TestCaptureSeveralInterfacesRotates writes two interfaces with -C 1:
// each file starts with both interface blocks, and the files hold every
// datagram sent over each link.
func TestCaptureSeveralInterfacesRotates(t *testing.T) {
	l := newMultiLab(t)
	names := l.names()
	dir := t.TempDir()
	base := filepath.Join(dir, "r.pcapng")
	ss := startCapture(t, l.nsB, nil, "capture", "-i", names[0], "-i", names[1], "-C", "1", "-w", base, "udp", "or", "ether", "proto", "0x88b5")
	const sent = 800 // of 1400 bytes on each link: 2.3 MB, 3 files
	for _, lk := range l.links {
		// A socket in B, so that no port unreachable comes back; what
		// overflows its buffer has been captured all the same.
		var pc net.PacketConn
		err := capturetest.InNS(l.b, func() (err error) {
			pc, err = net.ListenPacket("udp4", netip.AddrPortFrom(lk.ipB, 5010).String())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		defer pc.Close()
		err = l.inA(func() error {
			c, err := net.Dial("udp4", netip.AddrPortFrom(lk.ipB, 5010).String())
			if err != nil {
				return err
			}
			defer c.Close()
			for range sent {
				if _, err := c.Write(make([]byte, 1400)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	l.mark()
	files := func() []string {
		m, _ := filepath.Glob(base + "*")
		slices.Sort(m) // r.pcapng, r.pcapng1, r.pcapng2...
		return m
	}
	capturetest.WaitUntil(t, "sockscope wrote the markers", func() bool {
		f := files()
		return len(f) > 0 && markedOnEach(f[len(f)-1], 2)
	})
	ss.interrupt(t, syscall.SIGINT)
	got := make([]int, 2)
	for _, f := range files() {
		ifaces, each := byInterface(t, f)
		if len(ifaces) != 2 || ifaces[0].Name != names[0] || ifaces[1].Name != names[1] {
			t.Errorf("%s describes %+v, want %v", filepath.Base(f), ifaces, names)
		}
		for i, pkts := range each {
			for _, p := range pkts {
				if !capturetest.IsMarker(p.Data) {
					got[i]++
				}
			}
		}
	}
	if n := len(files()); n < 3 {
		t.Errorf("%d files, want 3 or more", n)
	}
	if got[0] != sent || got[1] != sent {
		t.Errorf("datagrams in the files: %v, want %d on each", got, sent)
	}
	t.Logf("%d files, %v datagrams", len(files()), got)
}

// TestCaptureSeveralInterfacesStopsCleanlyMidStream interrupts a capture
// on two veth ends while datagrams flood both: the file is whole and
// holds exactly the packets reported captured, which with those dropped
// are those received, summed and per interface.
func TestCaptureSeveralInterfacesStopsCleanlyMidStream(t *testing.T) {
	l := newMultiLab(t)
	names := l.names()
	file := filepath.Join(t.TempDir(), "mid.pcapng")
	ss := startCapture(t, l.nsB, nil, "capture", "-i", names[0], "-i", names[1], "-w", file)
	quit, done := make(chan struct{}), make(chan error, len(l.links))
	for _, lk := range l.links {
		go func() {
			done <- l.inA(func() error {
				pc, err := net.ListenPacket("udp4", netip.AddrPortFrom(lk.ipA, 0).String())
				if err != nil {
					return err
				}
				defer pc.Close()
				to := net.UDPAddrFromAddrPort(netip.AddrPortFrom(lk.ipB, 5011))
				for {
					select {
					case <-quit:
						return nil
					default:
					}
					if _, err := pc.WriteTo(make([]byte, 100), to); err != nil && !strings.Contains(err.Error(), "buffer") {
						return err
					}
				}
			})
		}()
	}
	capturetest.WaitUntil(t, "sockscope wrote 2000 packets of each interface", func() bool {
		r, err := capture.Open(file)
		if err != nil {
			return false
		}
		defer r.Close()
		n := []int{0, 0}
		for {
			_, ci, err := r.Next()
			if err != nil {
				return n[0] >= 2000 && n[1] >= 2000
			}
			n[ci.InterfaceIndex]++
		}
	})
	ss.interrupt(t, syscall.SIGINT) // while datagrams flow
	close(quit)
	for range l.links {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	// Under a flood no packet waits for an earlier one of the other ring
	// (capture.Multi), and the drain at the end waits for none.
	_, each, late := readByInterface(t, file)
	captured, received, dropped := ss.stats(t)
	t.Logf("%d captured, %d received, %d dropped; %d after a later one", captured, received, dropped, late)
	total := 0
	for _, pkts := range each {
		total += len(pkts)
	}
	if captured != uint64(total) || len(each) != 2 {
		t.Errorf("reported %d captured, the file has %d, on %d interfaces", captured, total, len(each))
	}
	if captured+dropped != received {
		t.Errorf("captured %d + dropped %d != received %d", captured, dropped, received)
	}
	var sumRecv, sumDrop uint64
	for _, name := range names {
		var recv, drop uint64
		re := regexp.MustCompile(`(?m)^` + name + `: (\d+) packets? received by filter, (\d+) packets? dropped by kernel$`)
		m := re.FindStringSubmatch(ss.stderr.String())
		if m == nil {
			t.Fatalf("no counts of %s:\n%s", name, ss.stderr)
		}
		fmt.Sscan(m[1], &recv)
		fmt.Sscan(m[2], &drop)
		sumRecv, sumDrop = sumRecv+recv, sumDrop+drop
	}
	if sumRecv != received || sumDrop != dropped {
		t.Errorf("per interface %d received, %d dropped; summed %d, %d", sumRecv, sumDrop, received, dropped)
	}
	fileIsClean(t, file)
}
