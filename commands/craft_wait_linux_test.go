package commands

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/urfave/cli/v2"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"

	"github.com/sockscope/sockscope/capture/capturetest"
	"github.com/sockscope/sockscope/craft"
	"github.com/sockscope/sockscope/craft/spec"
	"github.com/sockscope/sockscope/decode"
	"github.com/sockscope/sockscope/decode/wire"
)

// These tests send probes from namespace A of a capturetest.Lab to B with
// a raw socket of their own, and check that craft's --wait matches the
// answers B's kernel sends, and that --listen in B prints what ping sends.

// craftContext parses args with the craft command's flags, as the command
// line would, for calling newReplyWaiter and runListen directly.
func craftContext(t *testing.T, args ...string) *cli.Context {
	t.Helper()
	set := flag.NewFlagSet("craft", flag.ContinueOnError)
	for _, f := range craftCommand().Flags {
		if err := f.Apply(set); err != nil {
			t.Fatal(err)
		}
	}
	// Until craft has --ip6 and decode's output flags, which the waiter
	// and the listener read where they exist.
	for _, f := range append(outputFlags(), &cli.BoolFlag{Name: "ip6"}) {
		if set.Lookup(f.Names()[0]) == nil {
			if err := f.Apply(set); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := set.Parse(args); err != nil {
		t.Fatal(err)
	}
	return cli.NewContext(App(), set, nil)
}

// labProbe builds the packet of text with A's address as the source.
func labProbe(t *testing.T, text string, mac net.HardwareAddr) []byte {
	t.Helper()
	s, err := spec.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	b, err := craft.Build(s, craft.Options{Source: craft.FixedSource{V4: capturetest.IPA}, IfaceMAC: mac})
	if err != nil {
		t.Fatal(err)
	}
	return b.Packet(0)
}

// sendIPFromA sends an IPv4 packet, header included, from A to its
// destination with a raw socket (IP_HDRINCL), and returns the time taken
// just before the send.
func sendIPFromA(t *testing.T, l *capturetest.Lab, pkt []byte) time.Time {
	t.Helper()
	var at time.Time
	err := capturetest.InNS(l.A, func() error {
		fd, err := unix.Socket(unix.AF_INET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.IPPROTO_RAW)
		if err != nil {
			return err
		}
		defer unix.Close(fd)
		at = time.Now()
		return unix.Sendto(fd, pkt, 0, &unix.SockaddrInet4{Addr: [4]byte(pkt[16:20])})
	})
	if err != nil {
		t.Fatalf("send the probe: %v", err)
	}
	return at
}

// sendFrameFromA sends an Ethernet frame out of A's veth end.
func sendFrameFromA(t *testing.T, l *capturetest.Lab, frame []byte) time.Time {
	t.Helper()
	var at time.Time
	err := capturetest.InNS(l.A, func() error {
		fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			return err
		}
		defer unix.Close(fd)
		sa := &unix.SockaddrLinklayer{Ifindex: l.IndexA, Halen: 6}
		copy(sa.Addr[:], frame[0:6])
		at = time.Now()
		return unix.Sendto(fd, frame, 0, sa)
	})
	if err != nil {
		t.Fatalf("send the frame: %v", err)
	}
	return at
}

// waitInA opens craft's reply waiter in A for the probes of args, printing
// into the returned buffer.
func waitInA(t *testing.T, l *capturetest.Lab, l2 bool, iface string, args ...string) (*captureWaiter, *syncBuffer) {
	t.Helper()
	out := &syncBuffer{}
	c := craftContext(t, args...)
	var w *captureWaiter
	err := capturetest.InNS(l.A, func() (err error) {
		w, err = openReplyWaiter(c, l2, iface, false, out)
		return err
	})
	if err != nil {
		t.Fatalf("open the reply waiter: %v", err)
	}
	t.Cleanup(func() { w.Close() })
	return w, out
}

var rttLine = regexp.MustCompile(`(?m)^\d\d:\d\d:\d\d\.\d{6} (.*) rtt (\d+\.\d{3}) ms$`)

// oneReply checks the waiter's output: one reply line holding want, with
// an rtt, and the summary of one probe answered.
func oneReply(t *testing.T, out string, want string) {
	t.Helper()
	t.Logf("output:\n%s", out)
	m := rttLine.FindAllStringSubmatch(out, -1)
	if len(m) != 1 || !strings.Contains(m[0][1], want) {
		t.Fatalf("want one reply line with %q and its rtt; output:\n%s", want, out)
	}
	if !strings.Contains(out, "\n1 packets transmitted, 1 received, 0% packet loss\nrtt min/avg/max/mdev = "+m[0][2]+"/"+m[0][2]+"/"+m[0][2]+"/0.000 ms\n") {
		t.Errorf("no summary of one probe answered in %s rtt; output:\n%s", m[0][2], out)
	}
}

// probeFromA opens a reply waiter (--wait 1s) in A, sends the probe text
// from A (an IP packet; with l2, a frame on IfA), and returns what the
// waiter printed once the probe was answered or the wait ended.
func probeFromA(t *testing.T, l *capturetest.Lab, l2 bool, text string) string {
	t.Helper()
	iface, args := "", []string{"--wait", "1s", text}
	var mac net.HardwareAddr
	send := sendIPFromA
	if l2 {
		iface, args = capturetest.IfA, []string{"--wait", "1s", "-i", capturetest.IfA, text}
		mac, send = l.MACA, sendFrameFromA
	}
	w, out := waitInA(t, l, l2, iface, args...)
	probe := labProbe(t, text, mac)
	w.Sent(probe, send(t, l, probe))
	if err := w.Finish(capturetest.Patience); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// listenInB listens on TCP port in B, until the test ends.
func listenInB(t *testing.T, l *capturetest.Lab, port uint16) {
	t.Helper()
	var ln net.Listener
	err := capturetest.InNS(l.B, func() (err error) {
		ln, err = net.Listen("tcp4", netip.AddrPortFrom(capturetest.IPB, port).String())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
}

func TestCraftWaitMatchesTheEchoReply(t *testing.T) {
	l := capturetest.NewLab(t)
	text := fmt.Sprintf("ip(dst=%s)/icmp(id=4242)/fill(56)", capturetest.IPB)
	out := probeFromA(t, l, false, text)
	oneReply(t, out, fmt.Sprintf("IP %s > %s: ICMP echo reply, id 4242, seq 1, length 64", capturetest.IPB, capturetest.IPA))
	if !strings.Contains(out, fmt.Sprintf("--- %s craft statistics ---\n", capturetest.IPB)) {
		t.Errorf("no statistics title:\n%s", out)
	}
}

func TestCraftWaitMatchesTheSynAckOfAListeningPort(t *testing.T) {
	l := capturetest.NewLab(t)
	listenInB(t, l, 8080)
	text := fmt.Sprintf("ip(dst=%s)/tcp(sport=40404,dport=8080,seq=1000,options=[mss=1460])", capturetest.IPB)
	out := probeFromA(t, l, false, text)
	oneReply(t, out, fmt.Sprintf("IP %s.8080 > %s.40404: Flags [S.], seq ", capturetest.IPB, capturetest.IPA))
	if !strings.Contains(out, "ack 1001,") {
		t.Errorf("the SYN-ACK does not acknowledge the SYN's seq 1000:\n%s", out)
	}
}

func TestCraftWaitMatchesThePortUnreachableOfAClosedPort(t *testing.T) {
	l := capturetest.NewLab(t)
	text := fmt.Sprintf("ip(dst=%s)/udp(sport=40405,dport=33434)/\"probe\"", capturetest.IPB)
	out := probeFromA(t, l, false, text)
	oneReply(t, out, fmt.Sprintf("IP %s > %s: ICMP %s udp port 33434 unreachable", capturetest.IPB, capturetest.IPA, capturetest.IPB))
}

func TestCraftWaitMatchesTheARPReplyAtLayer2(t *testing.T) {
	l := capturetest.NewLab(t)
	text := fmt.Sprintf("ether/arp(psrc=%s,pdst=%s)", capturetest.IPA, capturetest.IPB)
	out := probeFromA(t, l, true, text)
	oneReply(t, out, fmt.Sprintf("ARP, Reply %s is-at %s", capturetest.IPB, l.MACB))
}

func TestCraftWaitCountsWhatWasNotAnswered(t *testing.T) {
	l := capturetest.NewLab(t)
	// The probe is recorded and never sent: no answer can come.
	text := fmt.Sprintf("ip(dst=%s)/icmp(id=7)", capturetest.IPB)
	w, out := waitInA(t, l, false, "", "--wait", "200ms", text)
	w.Sent(labProbe(t, text, nil), time.Now())
	start := time.Now()
	if err := w.Finish(200 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("Finish took %v for a wait of 200ms", d)
	}
	if got := out.String(); !strings.HasSuffix(got, "1 packets transmitted, 0 received, 100% packet loss\n") || strings.Contains(got, "rtt") {
		t.Errorf("output:\n%s", got)
	}
}

// listenWhilePinging runs craft's --listen (listenArgs) in B and pings
// from A (pingArgs, one echo request at a time) until the listener has
// seen what its -c asks for, and returns what it printed; what names what
// it waits for.
func listenWhilePinging(t *testing.T, l *capturetest.Lab, what string, listenArgs []string, pingArgs ...string) string {
	t.Helper()
	ping := capturetest.RequireTool(t, "ping")
	out := &bytes.Buffer{}
	c := craftContext(t, listenArgs...)
	done := make(chan error, 1)
	go func() {
		done <- capturetest.InNS(l.B, func() error { return listenRaw(c, "icmp", out) })
	}()
	// The socket opens soon after; until it has seen enough requests,
	// ping again.
	deadline := time.After(capturetest.Patience)
	for {
		cmd := exec.Command("ip", append([]string{"netns", "exec", l.NsA, ping}, pingArgs...)...)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("ping: %v\n%s", err, b)
		}
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			return out.String()
		case <-deadline:
			t.Fatalf("--listen %s:\n%s", what, out)
		default:
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestCraftListenPrintsTheEchoRequestsPingSends(t *testing.T) {
	capturetest.RequireTool(t, "ping")
	l := capturetest.NewLab(t)
	out := listenWhilePinging(t, l, "did not see 3 echo requests", []string{"--listen", "icmp", "-c", "3"},
		"-n", "-c", "1", "-W", "1", "-s", "24", capturetest.IPB.String())
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	want := regexp.MustCompile(fmt.Sprintf(`^\d\d:\d\d:\d\d\.\d{6} IP %s > %s: ICMP echo request, id \d+, seq 1, length 32$`,
		regexp.QuoteMeta(capturetest.IPA.String()), regexp.QuoteMeta(capturetest.IPB.String())))
	if len(lines) != 3 {
		t.Fatalf("want 3 lines, got:\n%s", out)
	}
	for _, line := range lines {
		if !want.MatchString(line) {
			t.Errorf("line %q is not ping's echo request as the raw socket got it", line)
		}
	}
}

func TestCraftListenBadProtocolIsAUsageError(t *testing.T) {
	for _, proto := range []string{"bogus", "256", "0", "255", "-1"} {
		err := listenRaw(craftContext(t, "--listen", proto), proto, os.Stdout)
		if err == nil || ExitCode(err) != 2 {
			t.Errorf("--listen %s: %v (exit %d), want a usage error", proto, err, ExitCode(err))
		}
	}
}

// The lab's IPv6 addresses, on IfA and IfB, once enableIPv6 has run.
var (
	ip6A = netip.MustParseAddr("fd00:231::1")
	ip6B = netip.MustParseAddr("fd00:231::2")
)

// enableIPv6 turns IPv6 back on in both namespaces of the lab (it starts
// off, so that no packet flows but the tests'), gives the veth ends ip6A and
// ip6B without duplicate address detection, and makes B's neighbour entry
// for A static; A learns B's MAC by neighbour discovery, or the test sends
// at layer 2.
func enableIPv6(t *testing.T, l *capturetest.Lab) {
	t.Helper()
	for _, side := range []struct {
		ns    netns.NsHandle
		name  string
		ifc   string
		addr  netip.Addr
		peer  netip.Addr
		mac   net.HardwareAddr
		nsArg string
	}{
		{l.A, "A", capturetest.IfA, ip6A, ip6B, l.MACB, l.NsA},
		{l.B, "B", capturetest.IfB, ip6B, ip6A, l.MACA, l.NsB},
	} {
		err := capturetest.InNS(side.ns, func() error {
			for _, c := range []string{"all", "default", "lo", side.ifc} {
				if err := os.WriteFile("/proc/sys/net/ipv6/conf/"+c+"/disable_ipv6", []byte("0"), 0); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("enable IPv6 in %s: %v", side.name, err)
		}
		for _, args := range [][]string{
			{"addr", "add", side.addr.String() + "/64", "dev", side.ifc, "nodad"},
			{"neigh", "replace", side.peer.String(), "lladdr", side.mac.String(), "dev", side.ifc, "nud", "permanent"},
		} {
			if b, err := exec.Command("ip", append([]string{"-n", side.nsArg}, args...)...).CombinedOutput(); err != nil {
				t.Fatalf("ip -n %s %s: %v\n%s", side.nsArg, strings.Join(args, " "), err, b)
			}
		}
	}
	capturetest.WaitUntil(t, "A pings B over IPv6", func() bool {
		return exec.Command("ip", "netns", "exec", l.NsA, "ping", "-6", "-n", "-c", "1", "-W", "1", ip6B.String()).Run() == nil
	})
}

func TestCraftWaitMatchesTheNeighbourAdvertisement(t *testing.T) {
	capturetest.RequireTool(t, "ip")
	capturetest.RequireTool(t, "ping")
	l := capturetest.NewLab(t)
	enableIPv6(t, l)
	// B's entry for A is static, so B answers with a unicast advertisement.
	text := fmt.Sprintf("ether/ip6(src=%s,dst=ff02::1:ff00:2,hlim=255)/icmp6(type=ns,target=%s,lladdr=%s)", ip6A, ip6B, l.MACA)
	out := probeFromA(t, l, true, text)
	oneReply(t, out, fmt.Sprintf("IP6 %s > %s: ICMP6, neighbor advertisement, tgt is %s", ip6B, ip6A, ip6B))
}

func TestCraftWaitMatchesTheEcho6Reply(t *testing.T) {
	capturetest.RequireTool(t, "ip")
	capturetest.RequireTool(t, "ping")
	l := capturetest.NewLab(t)
	enableIPv6(t, l)
	text := fmt.Sprintf("ether(dst=%s)/ip6(src=%s,dst=%s)/icmp6(id=77,seq=5)/fill(16)", l.MACB, ip6A, ip6B)
	out := probeFromA(t, l, true, text)
	oneReply(t, out, fmt.Sprintf("IP6 %s > %s: ICMP6, echo reply, id 77, seq 5, length 24", ip6B, ip6A))
}

func TestCraftListenIP6RebuildsTheHeader(t *testing.T) {
	capturetest.RequireTool(t, "ping")
	capturetest.RequireTool(t, "ip")
	l := capturetest.NewLab(t)
	enableIPv6(t, l)
	out := listenWhilePinging(t, l, "--ip6 saw no echo request", []string{"--listen", "icmp", "--ip6", "-c", "1", "-v"},
		"-6", "-n", "-c", "1", "-W", "1", "-s", "24", "-Q", "0x28", "-t", "9", ip6B.String())
	t.Logf("output:\n%s", out)
	// The checksum is good only with the right addresses; ping lets the
	// kernel choose the flow label.
	want := regexp.MustCompile(fmt.Sprintf(`IP6 \(class 0x28, (flowlabel 0x[0-9a-f]+, )?hlim 9, next-header ICMPv6 \(58\) payload length: 32\) %s > %s: \[icmp6 sum ok\] ICMP6, echo request, id \d+, seq 1\n$`,
		regexp.QuoteMeta(ip6A.String()), regexp.QuoteMeta(ip6B.String())))
	if !want.MatchString(out) {
		t.Errorf("want %s in:\n%s", want, out)
	}
}

// The sockscope binary, end to end: craft sends, --wait matches.

func TestCraftCommandPingsWithWait(t *testing.T) {
	l := capturetest.NewLab(t)
	out := &syncBuffer{}
	r := startSockscope(t, l.NsA, out, "craft", "-c", "3", "--interval", "50ms", "--wait", "1s", fmt.Sprintf("ip(dst=%s)/icmp(id=99)/fill(56)", capturetest.IPB))
	if code := r.wait(t); code != 0 {
		t.Fatalf("exit %d:\n%s", code, r.stderr)
	}
	t.Logf("output:\n%s", out)
	m := rttLine.FindAllStringSubmatch(out.String(), -1)
	if len(m) != 3 {
		t.Fatalf("want 3 replies with their rtt:\n%s", out)
	}
	for i, r := range m {
		if want := fmt.Sprintf("IP %s > %s: ICMP echo reply, id 99, seq %d, length 64", capturetest.IPB, capturetest.IPA, i+1); r[1] != want {
			t.Errorf("reply %d: %q, want %q", i+1, r[1], want)
		}
		// Timed from the kernel's stamps of the probe leaving and the
		// reply coming: a veth's round trip is some microseconds, never
		// nothing (the sender's own clock may be read after the reply came).
		if r[2] == "0.000" {
			t.Errorf("reply %d: rtt 0.000 ms", i+1)
		}
	}
	if !regexp.MustCompile(`\n3 packets transmitted, 3 received, 0% packet loss\nrtt min/avg/max/mdev = \d+\.\d{3}/\d+\.\d{3}/\d+\.\d{3}/\d+\.\d{3} ms\n$`).MatchString(out.String()) {
		t.Errorf("no summary of 3 probes answered:\n%s", out)
	}
}

func TestCraftCommandSynGetsTheSynAck(t *testing.T) {
	l := capturetest.NewLab(t)
	listenInB(t, l, 8081)
	out := &syncBuffer{}
	r := startSockscope(t, l.NsA, out, "craft", "--wait", "1s", fmt.Sprintf("ip(dst=%s)/tcp(dport=8081,flags=S)", capturetest.IPB))
	if code := r.wait(t); code != 0 {
		t.Fatalf("exit %d:\n%s", code, r.stderr)
	}
	oneReply(t, out.String(), fmt.Sprintf("IP %s.8081 > %s.", capturetest.IPB, capturetest.IPA))
	if !strings.Contains(out.String(), "Flags [S.]") {
		t.Errorf("no SYN-ACK:\n%s", out)
	}
}

func TestCraftCommandListenPrintsWhatPingSends(t *testing.T) {
	ping := capturetest.RequireTool(t, "ping")
	l := capturetest.NewLab(t)
	out := &syncBuffer{}
	r := startCapture(t, l.NsB, out, "craft", "--listen", "icmp", "-c", "2")
	if b, err := exec.Command("ip", "netns", "exec", l.NsA, ping, "-n", "-c", "2", "-i", "0.05", "-W", "1", capturetest.IPB.String()).CombinedOutput(); err != nil {
		t.Fatalf("ping: %v\n%s", err, b)
	}
	if code := r.wait(t); code != 0 {
		t.Fatalf("exit %d:\n%s", code, r.stderr)
	}
	want := regexp.MustCompile(fmt.Sprintf(`^(\d\d:\d\d:\d\d\.\d{6} IP %s > %s: ICMP echo request, id \d+, seq [12], length 64\n){2}$`,
		regexp.QuoteMeta(capturetest.IPA.String()), regexp.QuoteMeta(capturetest.IPB.String())))
	if !want.MatchString(out.String()) {
		t.Errorf("want ping's 2 echo requests, got:\n%s", out)
	}
	if !strings.Contains(r.stderr.String(), "2 packets received\n") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
}

func TestReplyLinesEndWithTheirRTT(t *testing.T) {
	s, err := spec.Parse("ip(src=10.0.0.2,dst=10.0.0.1)/icmp(type=echo-reply,id=7,seq=1)")
	if err != nil {
		t.Fatal(err)
	}
	b, err := craft.Build(s, craft.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ip := b.Packet(0)
	cooked := append(make([]byte, 20), ip...)
	cooked[0], cooked[1], cooked[10] = 0x08, 0x00, 0 // IPv4, to us
	at := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	line := "12:00:00.000000 IP 10.0.0.2 > 10.0.0.1: ICMP echo reply, id 7, seq 1, length 8"
	for _, c := range []struct {
		name   string
		args   []string
		data   []byte
		link   wire.LinkType
		dup    bool
		want   string
		prefix bool
	}{
		{"one line", nil, ip, 101, false, line + " rtt 0.124 ms\n", false},
		{"duplicate", nil, ip, 101, true, line + " rtt 0.124 ms (DUP!)\n", false},
		{"any device, from the IP header", nil, cooked, 276, false, line + " rtt 0.124 ms\n", false},
		{"hex dump after the line", []string{"-x"}, ip, 101, false, line + " rtt 0.124 ms\n\t0x0000:  4500", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out bytes.Buffer
			rp, err := newReplyPrinter(craftContext(t, c.args...), &out)
			if err != nil {
				t.Fatal(err)
			}
			// The same printer, with its clock in UTC.
			rp.p = decode.NewPrinter(&rp.buf, decode.Options{Location: time.UTC, Hex: len(c.args)})
			rp.reply(craft.Reply{Answer: craft.Answer{RTT: 123500 * time.Nanosecond, Dup: c.dup}, Data: c.data,
				CI: gopacket.CaptureInfo{Timestamp: at, CaptureLength: len(c.data), Length: len(c.data)}, Link: wire.LinkType(c.link)})
			if err := rp.flush(); err != nil {
				t.Fatal(err)
			}
			got := out.String()
			if c.prefix && !strings.HasPrefix(got, c.want) || !c.prefix && got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
	var out bytes.Buffer
	rp, err := newReplyPrinter(craftContext(t, "--json"), &out)
	if err != nil {
		t.Fatal(err)
	}
	rp.reply(craft.Reply{Answer: craft.Answer{RTT: time.Millisecond}, Data: ip,
		CI: gopacket.CaptureInfo{Timestamp: at, CaptureLength: len(ip), Length: len(ip)}, Link: wire.LinkRaw})
	if err := rp.flush(); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.HasSuffix(got, `,"rtt_ms":1.000}`+"\n") || !json.Valid([]byte(got)) {
		t.Errorf("JSON line %q", got)
	}
}
