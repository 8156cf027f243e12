package commands

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/sockscope/sockscope/capture"
	"github.com/sockscope/sockscope/capture/capturetest"
	"github.com/sockscope/sockscope/capture/filter"
	"github.com/sockscope/sockscope/decode/wire"
)

// elsewhere is a MAC address no one in the lab has: frames sent to it are
// captured on the veth, and dropped by B's stack unanswered.
var elsewhere = net.HardwareAddr{0x02, 0x00, 0x5e, 0x10, 0x00, 0x99}

// Frame builders for the lab: just enough of each header for a filter to
// judge and for tcpdump and sockscope to capture.

func etherFrame(dst, src net.HardwareAddr, etherType uint16, payload []byte) []byte {
	f := append(append(append([]byte{}, dst...), src...), byte(etherType>>8), byte(etherType))
	f = append(f, payload...)
	for len(f) < 60 {
		f = append(f, 0)
	}
	return f
}

// tagged puts a VLAN tag (TPID and TCI) into an Ethernet frame.
func tagged(tag uint32, frame []byte) []byte {
	out := append([]byte{}, frame[:12]...)
	out = binary.BigEndian.AppendUint32(out, tag)
	return append(out, frame[12:]...)
}

func ipv4Packet(src, dst netip.Addr, proto byte, payload []byte) []byte {
	h := make([]byte, 20, 20+len(payload))
	h[0] = 0x45
	binary.BigEndian.PutUint16(h[2:], uint16(20+len(payload)))
	h[8], h[9] = 64, proto
	copy(h[12:], src.AsSlice())
	copy(h[16:], dst.AsSlice())
	var sum uint32
	for i := 0; i < 20; i += 2 {
		sum += uint32(binary.BigEndian.Uint16(h[i:]))
	}
	sum = sum>>16 + sum&0xffff
	sum += sum >> 16
	binary.BigEndian.PutUint16(h[10:], ^uint16(sum))
	return append(h, payload...)
}

func ipv6Packet(src, dst netip.Addr, next byte, payload []byte) []byte {
	h := make([]byte, 40, 40+len(payload))
	h[0] = 0x60
	binary.BigEndian.PutUint16(h[4:], uint16(len(payload)))
	h[6], h[7] = next, 64
	copy(h[8:], src.AsSlice())
	copy(h[24:], dst.AsSlice())
	return append(h, payload...)
}

func udpDatagram(sport, dport uint16, payload []byte) []byte {
	h := make([]byte, 8, 8+len(payload))
	binary.BigEndian.PutUint16(h[0:], sport)
	binary.BigEndian.PutUint16(h[2:], dport)
	binary.BigEndian.PutUint16(h[4:], uint16(8+len(payload)))
	return append(h, payload...)
}

func tcpSegment(sport, dport uint16, payload []byte) []byte {
	h := make([]byte, 20, 20+len(payload))
	binary.BigEndian.PutUint16(h[0:], sport)
	binary.BigEndian.PutUint16(h[2:], dport)
	binary.BigEndian.PutUint32(h[4:], 1000)
	h[12], h[13] = 5<<4, 0x18 // PSH, ACK
	binary.BigEndian.PutUint16(h[14:], 65535)
	return append(h, payload...)
}

func icmpEcho(payload []byte) []byte {
	return append([]byte{8, 0, 0, 0, 0x77, 0x77, 0, 1}, payload...)
}

// arpRequest asks who has ip, an address no one in the lab has.
func arpRequest(from net.HardwareAddr, fromIP, ip netip.Addr) []byte {
	p := []byte{0, 1, 8, 0, 6, 4, 0, 1}
	p = append(append(p, from...), fromIP.AsSlice()...)
	p = append(append(p, make([]byte, 6)...), ip.AsSlice()...)
	return etherFrame(net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, from, unix.ETH_P_ARP, p)
}

var (
	lab6A   = netip.MustParseAddr("fd00:231::1")
	lab6B   = netip.MustParseAddr("fd00:231::2")
	nowhere = netip.MustParseAddr("10.231.0.99")
)

// filterTraffic is what the filter tests capture: the lab's Traffic (UDP in
// fragments to 5002, TCP to 5001, an echo and its reply, frames tagged
// 802.1Q VLAN 10 and 802.1ad VLAN 5), real datagrams to ports 5000 and
// 5001, and frames B does not answer: IPv6, ARP for an address no one has,
// TCP to port 22 and UDP to elsewhere, frames tagged VLAN 100 and 200.
func filterTraffic(t *testing.T, l *capturetest.Lab) {
	t.Helper()
	l.Traffic()

	var conns []net.PacketConn
	err := capturetest.InNS(l.B, func() error {
		for _, port := range []int{5000, 5001} {
			c, err := net.ListenPacket("udp4", netip.AddrPortFrom(capturetest.IPB, uint16(port)).String())
			if err != nil {
				return err
			}
			conns = append(conns, c)
		}
		return nil
	})
	for _, c := range conns {
		defer c.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	err = capturetest.InNS(l.A, func() error {
		for _, port := range []int{5000, 5001} {
			c, err := net.Dial("udp4", netip.AddrPortFrom(capturetest.IPB, uint16(port)).String())
			if err != nil {
				return err
			}
			defer c.Close()
			for _, size := range []int{10, 300} {
				if _, err := c.Write(make([]byte, size)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 2048)
	for _, c := range conns {
		for range 2 {
			if _, _, err := c.ReadFrom(buf); err != nil {
				t.Fatal(err)
			}
		}
	}

	ip4 := func(proto byte, payload []byte) []byte {
		return etherFrame(elsewhere, l.MACA, unix.ETH_P_IP, ipv4Packet(capturetest.IPA, capturetest.IPB, proto, payload))
	}
	ip6 := func(next byte, payload []byte) []byte {
		return etherFrame(l.MACB, l.MACA, unix.ETH_P_IPV6, ipv6Packet(lab6A, lab6B, next, payload))
	}
	lab := func(n byte) []byte {
		return etherFrame(l.MACB, l.MACA, 0x88b5, []byte{0, 0, 0, n})
	}
	l.SendFrames(
		ip6(17, udpDatagram(40000, 5000, make([]byte, 20))),
		ip6(58, []byte{128, 0, 0, 0, 0, 1, 0, 1}),
		ip6(6, tcpSegment(40000, 22, nil)),
		arpRequest(l.MACA, capturetest.IPA, nowhere),
		arpRequest(l.MACA, capturetest.IPA, nowhere),
		ip4(6, tcpSegment(40001, 22, []byte("ssh?"))),
		ip4(6, tcpSegment(22, 40001, nil)),
		ip4(17, udpDatagram(40002, 5003, make([]byte, 30))),
		tagged(0x8100_0064, lab(1)),
		tagged(0x8100_0064, ip4(17, udpDatagram(40003, 5000, nil))),
		tagged(0x8100_00c8, lab(2)),
		tagged(0x88a8_0064, lab(3)),
		tagged(0x8100_2064, lab(4)), // priority 1, VLAN 100
		geneveFrame(l, etherFrame(l.MACB, l.MACA, unix.ETH_P_IP, ipv4Packet(capturetest.IPA, capturetest.IPB, 1, icmpEcho([]byte("inner echo"))))),
		geneveFrame(l, etherFrame(l.MACB, l.MACA, unix.ETH_P_IP, ipv4Packet(capturetest.IPA, capturetest.IPB, 17, udpDatagram(40004, 5000, nil)))),
	)
}

// geneveFrame is inner, an Ethernet frame, carried from A to no one in B
// by Geneve (RFC 8926: UDP port 6081, an 8-byte header, protocol 0x6558
// for Ethernet, VNI 7).
func geneveFrame(l *capturetest.Lab, inner []byte) []byte {
	hdr := []byte{0, 0, 0x65, 0x58, 0, 0, 7, 0}
	return etherFrame(elsewhere, l.MACA, unix.ETH_P_IP, ipv4Packet(capturetest.IPA, capturetest.IPB, 17, udpDatagram(40010, 6081, append(hdr, inner...))))
}

// sendFromB sends a frame out of IfB, as B would send it: a capture on B
// sees it going out when the send returns.
func sendFromB(t *testing.T, l *capturetest.Lab, frame []byte) {
	t.Helper()
	err := capturetest.InNS(l.B, func() error {
		fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			return err
		}
		defer unix.Close(fd)
		return unix.Sendto(fd, frame, 0, &unix.SockaddrLinklayer{Ifindex: l.IndexB, Halen: 6})
	})
	if err != nil {
		t.Fatalf("send from B: %v", err)
	}
}

// geneveIcmp is an echo request carried by Geneve, payload in its data.
func geneveIcmp(l *capturetest.Lab, payload []byte) []byte {
	return geneveFrame(l, etherFrame(l.MACB, l.MACA, unix.ETH_P_IP, ipv4Packet(capturetest.IPA, capturetest.IPB, 1, icmpEcho(payload))))
}

// TestCaptureFilterGeneveRunsInTheKernelOnAny compiles geneve filters for
// -i any's cooked v2 and v1 headers: the kernel takes the program (no
// user-space matcher), as it does on Ethernet.
func TestCaptureFilterGeneveRunsInTheKernelOnAny(t *testing.T) {
	for _, link := range []wire.LinkType{wire.LinkLinuxSLL2, wire.LinkLinuxSLL, wire.LinkEthernet} {
		for _, expr := range []string{"geneve and icmp", "geneve 7 and udp port 5000", "geneve and geneve and ip"} {
			cfg := capture.LiveConfig{}
			if err := cfg.SetFilter(expr, link); err != nil {
				t.Fatalf("%s on %s: %v", expr, link, err)
			}
			if cfg.Filter == nil || cfg.Match != nil {
				t.Errorf("%s on %s: the kernel does not run it (filter %d instructions, user-space matcher %v)", expr, link, len(cfg.Filter), cfg.Match != nil)
			}
		}
	}
}

func TestCaptureFilterSelectsWhatTcpdumpSelects(t *testing.T) {
	l := capturetest.NewLab(t)
	marker := capturetest.MarkerPayload()
	ip4 := func(dst net.HardwareAddr, proto byte, payload []byte) []byte {
		return etherFrame(dst, l.MACA, unix.ETH_P_IP, ipv4Packet(capturetest.IPA, capturetest.IPB, proto, payload))
	}
	udpMarker := func(port uint16) func() {
		return func() { l.SendFrames(ip4(elsewhere, 17, udpDatagram(40009, port, marker))) }
	}
	tests := []struct {
		iface string
		expr  string
		mark  func() // sends a frame holding the marker that expr selects
		min   int    // packets tcpdump must select, the marker included
	}{
		{capturetest.IfB, "udp port 5000", udpMarker(5000), 4},
		{capturetest.IfB, "icmp or arp", func() { l.SendFrames(ip4(elsewhere, 1, icmpEcho(marker))) }, 5},
		{capturetest.IfB, "tcp and not port 22", func() { l.SendFrames(ip4(elsewhere, 6, tcpSegment(40009, 5001, marker))) }, 20},
		{capturetest.IfB, "ip6", func() {
			l.SendFrames(etherFrame(l.MACB, l.MACA, unix.ETH_P_IPV6, ipv6Packet(lab6A, lab6B, 59, marker)))
		}, 4},
		{capturetest.IfB, "vlan 100", func() {
			l.SendFrames(tagged(0x8100_0064, etherFrame(l.MACB, l.MACA, 0x88b5, marker)))
		}, 5},
		{capturetest.IfB, "vlan and udp", func() {
			l.SendFrames(tagged(0x8100_00c8, ip4(elsewhere, 17, udpDatagram(40009, 5000, marker))))
		}, 2},
		{capturetest.IfB, "host 10.231.0.2 and (tcp or udp)", udpMarker(5003), 30},
		{"any", "udp and dst port 5001", udpMarker(5001), 3},
		{"any", "inbound and not tcp", l.Mark, 15},
		{"any", "outbound", func() { sendFromB(t, l, etherFrame(elsewhere, l.MACB, 0x88b5, marker)) }, 5},
		// Geneve on a cooked socket: the carried packet's offsets move
		// with the cooked header, and the kernel runs the program.
		{"any", "geneve and icmp", func() { l.SendFrames(geneveIcmp(l, marker)) }, 2},
		{capturetest.IfB, "geneve and icmp", func() { l.SendFrames(geneveIcmp(l, marker)) }, 2},
		// A cooked header field the kernel has no metadata for: filtered
		// in user space, as libpcap does.
		{"any", fmt.Sprintf("ether[12:4] = %#x and not tcp", binary.BigEndian.Uint32(l.MACA)), udpMarker(5000), 10},
	}
	compared := 0
	for _, tt := range tests {
		t.Run(tt.iface+" "+tt.expr, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "sockscope.pcap")
			ss := startCapture(t, l.NsB, nil, "capture", "-i", tt.iface, "-w", file, tt.expr)
			args := []string{"-i", tt.iface}
			if tt.iface == "any" {
				args = append(args, "-y", "LINUX_SLL2")
			}
			td := capturetest.StartTcpdump(t, l.NsB, append(args, tt.expr)...)
			filterTraffic(t, l)
			tt.mark()
			waitForMarker(t, ss, file)
			td.WaitForMarker(t)
			td.Stop(t)
			ss.interrupt(t, syscall.SIGINT)

			_, got := readPackets(t, file)
			_, want := readPackets(t, td.File)
			if len(want) < tt.min {
				t.Fatalf("tcpdump selected only %d packets, want at least %d", len(want), tt.min)
			}
			captured, _, dropped := ss.stats(t)
			if captured != uint64(len(got)) || dropped != 0 {
				t.Errorf("reported %d captured, %d dropped; the file has %d packets", captured, dropped, len(got))
			}
			capturetest.SameAsTcpdump(t, tt.expr, got, want)
			if !t.Failed() {
				compared++
				t.Logf("%d packets, byte for byte tcpdump's", len(got))
			}
		})
	}
	t.Logf("%d of %d expressions selected the same packets as tcpdump", compared, len(tests))
}

func TestCaptureFilterCountsOnlySelectedPackets(t *testing.T) {
	l := capturetest.NewLab(t)
	// A flood of frames the filter rejects, before and while it opens.
	stopFlood := l.SendUntilStopped(500)
	file := filepath.Join(t.TempDir(), "c.pcap")
	ss := startCapture(t, l.NsB, nil, "capture", "-i", capturetest.IfB, "-c", "3", "-w", file, "udp", "port", "5000")
	frame := etherFrame(elsewhere, l.MACA, unix.ETH_P_IP, ipv4Packet(capturetest.IPA, capturetest.IPB, 17, udpDatagram(40000, 5000, nil)))
	for range 5 {
		l.SendFrames(frame)
	}
	code := ss.wait(t)
	if err := stopFlood(); err != nil {
		t.Fatal(err)
	}
	if code != 0 {
		t.Fatalf("-c 3 exited %d:\n%s", code, ss.stderr)
	}
	_, got := readPackets(t, file)
	if len(got) != 3 {
		t.Errorf("-c 3 with a filter wrote %d packets, want 3", len(got))
	}
	for i, p := range got {
		if !bytes.Equal(p.Data, frame) {
			t.Errorf("packet %d is not the datagram to port 5000: % x", i+1, p.Data[:min(len(p.Data), 32)])
		}
	}
	if captured, _, _ := ss.stats(t); captured != 3 {
		t.Errorf("reported %d captured, want 3", captured)
	}
}

func TestCaptureBadFilterIsAUsageError(t *testing.T) {
	l := capturetest.NewLab(t)
	setpriv := capturetest.RequireTool(t, "setpriv")
	bin := sockscopeBinary(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-i", "lo", "udp", "port", "5x3"}, "sockscope: filter: '5x3' is not a port name in /etc/services: give a number or a name it lists at column 10\nudp port 5x3\n         ^\n"},
		{[]string{"-i", capturetest.IfB, "tcp and ("}, "sockscope: filter: expected a primitive (host, port, tcp, ip[0] = 1...) after \"(\", found end of expression at column 10\ntcp and (\n         ^\n"},
		{[]string{"-i", "any", "-w", "never.pcap", "ether", "src", "1:2:3:4:5:6"}, "sockscope: filter: Ethernet addresses cannot be tested in Linux cooked v2 captures: test IP addresses instead (host ADDRESS) at column 11\nether src 1:2:3:4:5:6\n          ^\n"},
	}
	for _, tt := range tests {
		// As root, and as nobody without a capability: the expression is
		// judged before the socket is opened, so the answer is the same.
		for _, prefix := range [][]string{nil, {setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--inh-caps=-all"}} {
			args := append([]string{"netns", "exec", l.NsB}, prefix...)
			cmd := exec.Command("ip", append(append(args, bin, "capture"), tt.args...)...)
			cmd.Dir = t.TempDir()
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != 2 || stderr.String() != tt.want || stdout.Len() != 0 {
				t.Errorf("capture %s (%s): exit %d, said\n%s\nwant exit 2 and\n%s", strings.Join(tt.args, " "), strings.Join(prefix, " "), code, stderr.String(), tt.want)
			}
			if strings.Contains(stderr.String(), "listening") {
				t.Errorf("capture %s started capturing", strings.Join(tt.args, " "))
			}
		}
	}
}

func TestCaptureDPrintsTheProgramForTheInterface(t *testing.T) {
	l := capturetest.NewLab(t)
	bin := sockscopeBinary(t)
	tests := []struct {
		flags []string
		expr  string // given as separate words, as a shell passes them
		link  wire.LinkType
		opt   filter.Options
	}{
		{[]string{"-d", "-i", capturetest.IfB}, "tcp and not port 22", 1, filter.Options{Live: true}},
		{[]string{"-dd", "-i", "any"}, "udp and dst port 5001", 276, filter.Options{Live: true}},
		{[]string{"-ddd", "-i", "lo", "-s", "100"}, "inbound", 1, filter.Options{Live: true, Snaplen: 100}},
		{[]string{"-d", "-i", "any", "-s", "5"}, "icmp", 276, filter.Options{Live: true, Snaplen: 21}},
		{[]string{"-d", "-i", capturetest.IfB}, "vlan 100", 1, filter.Options{Live: true}},
		{[]string{"-d", "-i", capturetest.IfB}, "", 1, filter.Options{Live: true}},
	}
	for _, tt := range tests {
		prog, err := filter.CompileOptions(tt.expr, tt.link, tt.opt)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := filter.Assemble(prog)
		if err != nil {
			t.Fatal(err)
		}
		want := filter.Dump(raw, strings.Count(tt.flags[0], "d"))
		args := append(tt.flags, strings.Fields(tt.expr)...)
		cmd := exec.Command("ip", append([]string{"netns", "exec", l.NsB, bin, "capture"}, args...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil || string(out) != want || stderr.Len() != 0 {
			t.Errorf("capture %s: %v, printed\n%s\nwant\n%s\nstderr: %s", strings.Join(args, " "), err, out, want, stderr.String())
		}
	}
}
