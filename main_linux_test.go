package main

// End-to-end tests of the sockscope binary that need Linux and namespaces
// of their own (the rest, and the helpers, are in main_test.go).
//
// Tests of craft sending for real, in a lab of two namespaces joined by a
// veth: sockscope sends from A, tcpdump captures on B's end, and every
// packet sockscope says it sent (-w) must be on B's wire byte for byte,
// with the fields the spec wrote read back by tshark. Nothing leaves the lab.

import (
	"bytes"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"

	"github.com/sockscope/sockscope/capture"
	"github.com/sockscope/sockscope/capture/capturetest"
)

// The IPv6 addresses of the craft oracle's cases: A gets the first, and B's
// MAC is the second's static neighbour (IPv6 is off in B, which only captures).
const (
	labV6A = "fd00:99::1"
	labV6B = "fd00:99::2"
)

// craftLab is a capturetest.Lab with IPv6 on in A, so that a raw IPv6 socket
// there has a route to labV6B.
func craftLab(t *testing.T) *capturetest.Lab {
	t.Helper()
	capturetest.RequireTool(t, "tcpdump")
	capturetest.RequireTool(t, "tshark")
	l := capturetest.NewLab(t)
	err := capturetest.InNS(l.A, func() error {
		for _, p := range []string{"all", "default", "lo", capturetest.IfA} {
			if err := os.WriteFile("/proc/sys/net/ipv6/conf/"+p+"/disable_ipv6", []byte("0"), 0); err != nil {
				return err
			}
		}
		link, err := netlink.LinkByName(capturetest.IfA)
		if err != nil {
			return err
		}
		a := &netlink.Addr{IPNet: &net.IPNet{IP: net.ParseIP(labV6A), Mask: net.CIDRMask(64, 128)}, Flags: unix.IFA_F_NODAD}
		if err := netlink.AddrAdd(link, a); err != nil {
			return fmt.Errorf("address %s: %w", labV6A, err)
		}
		return netlink.NeighAdd(&netlink.Neigh{LinkIndex: link.Attrs().Index, State: netlink.NUD_PERMANENT, IP: net.ParseIP(labV6B), HardwareAddr: l.MACB})
	})
	if err != nil {
		t.Fatalf("IPv6 in A: %v", err)
	}
	return l
}

// inNS runs sockscope in namespace ns and returns its stdout, stderr and exit code.
func inNS(t *testing.T, ns string, args ...string) (stdout, stderr []byte, code int) {
	t.Helper()
	return inNSWithStdin(t, ns, nil, args...)
}

func inNSWithStdin(t *testing.T, ns string, stdin []byte, args ...string) (stdout, stderr []byte, code int) {
	t.Helper()
	return runCmd(t, exec.Command("ip", append([]string{"netns", "exec", ns, binary}, args...)...), stdin)
}

// labSpec moves a craft oracle case into the lab's IPv4 addresses.
var labSpec = strings.NewReplacer("10.99.0.1", capturetest.IPA.String(), "10.99.0.2", capturetest.IPB.String())

// sentCase is a spec sent from A and what sockscope says it sent.
type sentCase struct {
	craftCase
	file string // sockscope's -w
}

// TestCraftSendPutsTheSpecOnTheWire sends the craft oracle's cases from A (a
// raw IPv4 socket, a raw IPv6 socket, a packet socket for frames, the next
// hop's MAC for a header the kernel would rewrite) and finds each packet on
// B's end of the veth as sockscope wrote it, with tshark reading there the
// fields each spec set: a wrong checksum stays wrong, a lying length lies.
func TestCraftSendPutsTheSpecOnTheWire(t *testing.T) {
	l := craftLab(t)
	td := capturetest.StartTcpdump(t, l.NsB, "-i", capturetest.IfB)
	dir := t.TempDir()
	var cases []sentCase
	for i, c := range craftCases {
		if strings.HasPrefix(c.spec, "ip(dst=10.99.0.1,") {
			continue // to A itself: it would not cross the veth
		}
		c.spec = labSpec.Replace(c.spec)
		want := map[string]string{}
		for k, v := range c.want {
			want[k] = labSpec.Replace(v)
		}
		c.want = want
		sc := sentCase{craftCase: c, file: filepath.Join(dir, fmt.Sprintf("sent%02d.pcap", i))}
		args := []string{"craft", "-w", sc.file, "-c", strconv.Itoa(max(c.count, 1)), "--interval", "1ms"}
		if strings.HasPrefix(c.spec, "ether") || strings.Contains(c.spec, "dst=ff0") {
			args = append(args, "-i", capturetest.IfA)
		}
		_, stderr, code := inNS(t, l.NsA, append(args, c.spec)...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", c.spec, code, stderr)
		}
		if want := fmt.Sprintf("%d packets sent\n", max(c.count, 1)); max(c.count, 1) > 1 && !strings.HasSuffix(string(stderr), want) {
			t.Errorf("%s: stderr %q, want it to end %q", c.spec, stderr, want)
		}
		cases = append(cases, sc)
	}
	l.Mark()
	td.WaitForMarker(t)
	td.Stop(t)
	wire := readPcap(t, td.File)

	pos, onWire := 0, 0
	for i, c := range cases {
		sent := readPcap(t, c.file)
		if len(sent) != max(c.count, 1) {
			t.Fatalf("%s: -w holds %d packets, want %d", c.spec, len(sent), max(c.count, 1))
		}
		ether := strings.HasPrefix(c.spec, "ether")
		var frames [][]byte
		for k, p := range sent {
			j := slices.IndexFunc(wire[pos:], func(f []byte) bool {
				return ether && bytes.Equal(f, p) || !ether && len(f) > 14 && bytes.Equal(f[14:], p)
			})
			if j < 0 {
				t.Fatalf("%s: packet %d is not on B's wire as sockscope sent it:\n% x", c.spec, k+1, p)
			}
			frames = append(frames, wire[pos+j])
			pos += j + 1
		}
		onWire += len(frames)
		file := filepath.Join(dir, fmt.Sprintf("wire%02d.pcap", i))
		writeEthernet(t, file, frames)
		checkFields(t, file, c.craftCase, -1, c.spec+": on the wire ")
	}
	t.Logf("%d specs, %d packets: each on B's wire as sent, every field tshark reads there as the spec wrote it", len(cases), onWire)
}

// TestCraftSendPacesProbesWithCountingIDs: -c 5 --interval 10ms sends five
// packets about 10 ms apart, ip id counting up; --rate 200 -c 50 takes about
// a quarter of a second.
func TestCraftSendPacesProbesWithCountingIDs(t *testing.T) {
	l := capturetest.NewLab(t)
	td := capturetest.StartTcpdump(t, l.NsB, "-i", capturetest.IfB)
	spec := fmt.Sprintf("ip(src=%s,dst=%s,id=0x1000)/udp(sport=41000,dport=9)", capturetest.IPA, capturetest.IPB)
	_, stderr, code := inNS(t, l.NsA, "craft", "-c", "5", "--interval", "10ms", strings.Replace(spec, ",id=0x1000", "", 1))
	if code != 0 || string(stderr) != "5 packets sent\n" {
		t.Fatalf("-c 5 --interval 10ms: exit %d, stderr %q", code, stderr)
	}
	rate := strings.Replace(spec, "41000", "41001", 1)
	_, stderr, code = inNS(t, l.NsA, "craft", "-c", "50", "--rate", "200", rate)
	if code != 0 || string(stderr) != "50 packets sent\n" {
		t.Fatalf("-c 50 --rate 200: exit %d, stderr %q", code, stderr)
	}
	l.Mark()
	td.WaitForMarker(t)
	td.Stop(t)
	var interval, rated []time.Time
	var ids []uint16
	for _, p := range readFile(t, td.File) {
		data := p.data
		if len(data) < 14+28 {
			continue
		}
		switch sport := int(data[34])<<8 | int(data[35]); sport {
		case 41000:
			interval = append(interval, p.ts)
			ids = append(ids, uint16(data[18])<<8|uint16(data[19]))
		case 41001:
			rated = append(rated, p.ts)
		}
	}
	if len(interval) != 5 || len(rated) != 50 {
		t.Fatalf("B saw %d of the 5 paced packets and %d of the 50 rated ones", len(interval), len(rated))
	}
	for i := 1; i < 5; i++ {
		if ids[i] != ids[0]+uint16(i) {
			t.Errorf("ip ids %v do not count up by one", ids)
			break
		}
	}
	// Deadlines are absolute, from when the first packet went out (its
	// send returned): packet i goes at that time + i*every or later. A late
	// packet is followed by an early one, so single gaps say little; on a
	// busy machine B may stamp the first packet late, by up to one interval
	// here.
	onTime := func(what string, at []time.Time, every time.Duration) {
		t.Helper()
		for i := range at {
			if early := time.Duration(i-1)*every - at[i].Sub(at[0]); i > 0 && early > 0 {
				t.Errorf("%s: packet %d went %v after the first, before its deadline (%v after the first, less one interval)", what, i+1, at[i].Sub(at[0]), time.Duration(i)*every)
			}
		}
		if total := at[len(at)-1].Sub(at[0]); total > 10*time.Second {
			t.Errorf("%s: %v from first to last", what, total)
		}
	}
	onTime("-c 5 --interval 10ms", interval, 10*time.Millisecond)
	onTime("-c 50 --rate 200", rated, 5*time.Millisecond)
	t.Logf("ids %#x..%#x; --interval 10ms: %v for 4 gaps; --rate 200: %v for 49", ids[0], ids[4], interval[4].Sub(interval[0]), rated[49].Sub(rated[0]))
}

// TestCraftSendErrorsAreOneLineExit1: a send the kernel refuses, one on an
// interface that is down, and one without CAP_NET_RAW say what failed and
// what to do in one line, exit 1.
func TestCraftSendErrorsAreOneLineExit1(t *testing.T) {
	l := capturetest.NewLab(t)
	a, b := capturetest.IPA, capturetest.IPB
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"craft", fmt.Sprintf("ip(src=%s,dst=192.0.2.1)/udp(dport=9)", a)}, "send to 192.0.2.1: network is unreachable (no route to it"},
		{[]string{"craft", fmt.Sprintf("ip(src=%s,dst=%s)/udp(dport=9)/fill(3000)", a, b)}, "message too long (3028 bytes is more than the MTU"},
		{[]string{"craft", "-i", capturetest.IfA, fmt.Sprintf("ether(dst=%s)/fill(3000)", l.MACB)}, "send on " + capturetest.IfA + ": message too long (a 3014-byte frame"},
	} {
		_, stderr, code := inNS(t, l.NsA, c.args...)
		if code != 1 {
			t.Errorf("%q: exit %d, want 1: %s", c.args, code, stderr)
		}
		oneLineError(t, stderr, c.msg)
	}
	// An interface that is down.
	err := capturetest.InNS(l.A, func() error {
		return netlink.LinkAdd(&netlink.Veth{LinkAttrs: netlink.LinkAttrs{Name: "ssdown0"}, PeerName: "ssdown1"})
	})
	if err != nil {
		t.Fatal(err)
	}
	_, stderr, code := inNS(t, l.NsA, "craft", "-i", "ssdown0", fmt.Sprintf("ether(dst=%s)/fill(50)", l.MACB))
	if code != 1 {
		t.Errorf("on a down interface: exit %d, want 1: %s", code, stderr)
	}
	oneLineError(t, stderr, "send on ssdown0: network is down (bring it up with: ip link set ssdown0 up)")

	setpriv := capturetest.RequireTool(t, "setpriv")
	cmd := exec.Command("ip", "netns", "exec", l.NsA, setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", binary,
		"craft", fmt.Sprintf("ip(src=%s,dst=%s)/udp(dport=9)", a, b))
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	err = cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Errorf("as nobody: %v, want exit 1: %s", err, errOut.String())
	}
	oneLineError(t, errOut.Bytes(), "open a raw IPv4 socket: operation not permitted (needs CAP_NET_RAW")
}

// TestCraftFloodStopsOnInterrupt: --flood sends until Ctrl-C, then says how
// many it sent, and B received them; --flood -c N sends exactly N.
func TestCraftFloodStopsOnInterrupt(t *testing.T) {
	l := capturetest.NewLab(t)
	spec := fmt.Sprintf("ether(dst=%s)/ip(src=%s,dst=%s)/udp(sport=1000,dport=9)/fill(18,0x41)", l.MACB, capturetest.IPA, capturetest.IPB)
	before := l.RxPackets()
	cmd := exec.Command("ip", "netns", "exec", l.NsA, binary, "craft", "-i", capturetest.IfA, "--flood", spec)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	capturetest.WaitUntil(t, "B received 10000 packets of the flood", func() bool { return l.RxPackets()-before >= 10000 })
	cmd.Process.Signal(syscall.SIGINT)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("interrupted flood: %v: %s", err, stderr.String())
	}
	m := regexp.MustCompile(`^(\d+) packets sent\n$`).FindStringSubmatch(stderr.String())
	if m == nil {
		t.Fatalf("interrupted flood said %q, want one line: N packets sent", stderr.String())
	}
	n, _ := strconv.ParseUint(m[1], 10, 64)
	got := l.RxPackets() - before
	// B may drop some when its backlog is full; it counts only what it took.
	if n < 10000 || got > n || got < n*9/10 {
		t.Errorf("flood says %d packets sent, B received %d", n, got)
	}
	t.Logf("flood interrupted: %d sent, %d received", n, got)

	before = l.RxPackets()
	_, out, code := inNS(t, l.NsA, "craft", "-i", capturetest.IfA, "--flood", "-c", "100000", spec)
	if code != 0 || string(out) != "100000 packets sent\n" {
		t.Fatalf("--flood -c 100000: exit %d: %s", code, out)
	}
	if got := l.RxPackets() - before; got < 90000 || got > 100000 {
		t.Errorf("--flood -c 100000: B received %d", got)
	}
}

// TestCraftHeaderSendsEachLineUnderTheSpec: --header sends each line of
// standard input (--chunk: each N bytes) as the payload under the spec's
// headers, and a UDP socket in B reads them, so that every length and
// checksum was right for its payload.
func TestCraftHeaderSendsEachLineUnderTheSpec(t *testing.T) {
	l := capturetest.NewLab(t)
	var conn net.PacketConn
	err := capturetest.InNS(l.B, func() (err error) {
		conn, err = net.ListenPacket("udp4", netip.AddrPortFrom(capturetest.IPB, 5005).String())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	spec := fmt.Sprintf("ip(dst=%s)/udp(dport=5005)", capturetest.IPB)
	_, stderr, code := inNSWithStdin(t, l.NsA, []byte("one\ntwo\nthree"), "craft", "--header", spec)
	if code != 0 || string(stderr) != "3 packets sent\n" {
		t.Fatalf("--header: exit %d: %s", code, stderr)
	}
	_, stderr, code = inNSWithStdin(t, l.NsA, []byte("abcdefghij"), "craft", "--header", "--chunk", "4", spec)
	if code != 0 || string(stderr) != "3 packets sent\n" {
		t.Fatalf("--header --chunk 4: exit %d: %s", code, stderr)
	}
	conn.SetReadDeadline(time.Now().Add(capturetest.Patience))
	buf := make([]byte, 100)
	var got []string
	for range 6 {
		n, _, err := conn.ReadFrom(buf)
		if err != nil {
			t.Fatalf("after %q: %v", got, err)
		}
		got = append(got, string(buf[:n]))
	}
	if want := []string{"one\n", "two\n", "three", "abcd", "efgh", "ij"}; !slices.Equal(got, want) {
		t.Errorf("B read %q, want %q", got, want)
	}
}

// readPcap is the packets of a pcap file.
func readPcap(t *testing.T, path string) [][]byte {
	t.Helper()
	var pkts [][]byte
	for _, p := range readFile(t, path) {
		pkts = append(pkts, p.data)
	}
	return pkts
}

func writeEthernet(t *testing.T, path string, frames [][]byte) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := capture.NewPcapWriter(f, 1, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, fr := range frames {
		if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: time.Now(), CaptureLength: len(fr), Length: len(fr)}, fr); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
}
