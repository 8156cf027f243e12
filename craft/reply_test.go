package craft

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/capture/filter"
	"github.com/sockscope/sockscope/craft/spec"
	"github.com/sockscope/sockscope/decode/wire"
)

// replyPacket builds the bytes of a spec with fixed sources and random
// defaults, for probes and for the replies a peer would send.
func replyPacket(t *testing.T, text string) []byte {
	t.Helper()
	s, err := spec.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	n := uint32(0)
	b, err := Build(s, Options{
		Source: FixedSource{V4: netip.MustParseAddr("10.0.0.1"), V6: netip.MustParseAddr("fd00::1")},
		Rand:   func() uint32 { n += 0x01010101; return n },
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.Packet(0)
}

// quote is what an ICMP error carries of pkt: its first n bytes, as hex:
// for a payload in a spec.
func quote(pkt []byte, n int) string {
	return "hex:" + hex.EncodeToString(pkt[:min(n, len(pkt))])
}

var t0 = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func TestRepliesAnswerTheirProbes(t *testing.T) {
	tcp := replyPacket(t, "ip(dst=10.0.0.2,id=100)/tcp(sport=40000,dport=80,seq=1000)")
	udp := replyPacket(t, "ip(dst=10.0.0.2,id=200)/udp(sport=40001,dport=33434)/fill(8)")
	echo := replyPacket(t, "ip(dst=10.0.0.2)/icmp(id=7,seq=1)/fill(8)")
	bcast := replyPacket(t, "ip(dst=255.255.255.255)/icmp(id=8,seq=1)")
	tcp6 := replyPacket(t, "ip6(dst=fd00::2)/tcp(sport=40002,dport=22)")
	echo6 := replyPacket(t, "ip6(dst=fd00::2)/icmp6(id=9,seq=3)")
	udp6 := replyPacket(t, "ip6(dst=fd00::2)/udp(sport=40003,dport=53)/fill(4)")
	ns := replyPacket(t, "ip6(dst=ff02::1:ff00:2,hlim=255)/icmp6(type=ns,target=fd00::2)")
	for _, c := range []struct {
		name   string
		probe  []byte
		reply  string
		answer bool
		isErr  bool
	}{
		{"syn-ack", tcp, "ip(src=10.0.0.2,dst=10.0.0.1)/tcp(sport=80,dport=40000,flags=SA,ack=1001)", true, false},
		{"rst to a syn", tcp, "ip(src=10.0.0.2,dst=10.0.0.1)/tcp(sport=80,dport=40000,flags=RA,ack=1001)", true, false},
		{"tcp from another port", tcp, "ip(src=10.0.0.2,dst=10.0.0.1)/tcp(sport=81,dport=40000,flags=SA)", false, false},
		{"tcp from another host", tcp, "ip(src=10.0.0.3,dst=10.0.0.1)/tcp(sport=80,dport=40000,flags=SA)", false, false},
		{"tcp to another address", tcp, "ip(src=10.0.0.2,dst=10.0.0.9)/tcp(sport=80,dport=40000,flags=SA)", false, false},
		{"the probe itself", tcp, "ip(dst=10.0.0.2,id=100)/tcp(sport=40000,dport=80,seq=1000)", false, false},
		{"udp reply", udp, "ip(src=10.0.0.2,dst=10.0.0.1)/udp(sport=33434,dport=40001)/\"pong\"", true, false},
		{"port unreachable", udp, "ip(src=10.0.0.2,dst=10.0.0.1)/icmp(type=3,code=3)/" + quote(udp, 28), true, true},
		{"time exceeded from a router", udp, "ip(src=10.9.9.9,dst=10.0.0.1)/icmp(type=time-exceeded)/" + quote(udp, 36), true, true},
		{"unreachable quoting another ip id", udp, "ip(src=10.0.0.2,dst=10.0.0.1)/icmp(type=3,code=3)/" +
			quote(replyPacket(t, "ip(dst=10.0.0.2,id=201)/udp(sport=40001,dport=33434)/fill(8)"), 28), false, false},
		{"unreachable quoting another port", udp, "ip(src=10.0.0.2,dst=10.0.0.1)/icmp(type=3,code=3)/" +
			quote(replyPacket(t, "ip(dst=10.0.0.2,id=200)/udp(sport=40001,dport=33435)/fill(8)"), 28), false, false},
		{"fragmentation needed quoting the syn", tcp, "ip(src=10.0.0.254,dst=10.0.0.1)/icmp(type=3,code=4,mtu=1400)/" + quote(tcp, 28), true, true},
		{"echo reply", echo, "ip(src=10.0.0.2,dst=10.0.0.1)/icmp(type=echo-reply,id=7,seq=1)/fill(8)", true, false},
		{"echo reply of another seq", echo, "ip(src=10.0.0.2,dst=10.0.0.1)/icmp(type=echo-reply,id=7,seq=2)", false, false},
		{"echo reply of another id", echo, "ip(src=10.0.0.2,dst=10.0.0.1)/icmp(type=echo-reply,id=6,seq=1)", false, false},
		{"echo reply from another host", echo, "ip(src=10.0.0.3,dst=10.0.0.1)/icmp(type=echo-reply,id=7,seq=1)", false, false},
		{"echo request is no reply", echo, "ip(src=10.0.0.2,dst=10.0.0.1)/icmp(type=echo-request,id=7,seq=1)", false, false},
		{"broadcast echo answered by anyone", bcast, "ip(src=10.0.0.77,dst=10.0.0.1)/icmp(type=echo-reply,id=8,seq=1)", true, false},
		{"ttl exceeded quoting the echo", echo, "ip(src=10.0.0.254,dst=10.0.0.1)/icmp(type=11)/" + quote(echo, 28), true, true},
		{"tcp6 rst", tcp6, "ip6(src=fd00::2,dst=fd00::1)/tcp(sport=22,dport=40002,flags=RA)", true, false},
		{"echo6 reply", echo6, "ip6(src=fd00::2,dst=fd00::1)/icmp6(type=echo-reply,id=9,seq=3)", true, false},
		{"echo6 reply of another seq", echo6, "ip6(src=fd00::2,dst=fd00::1)/icmp6(type=echo-reply,id=9,seq=4)", false, false},
		{"port6 unreachable", udp6, "ip6(src=fd00::2,dst=fd00::1)/icmp6(type=1,code=4)/" + quote(udp6, 48), true, true},
		{"packet too big quoting echo6", echo6, "ip6(src=fd00::fe,dst=fd00::1)/icmp6(type=2,mtu=1280)/" + quote(echo6, 48), true, true},
		{"neighbour advertisement", ns, "ip6(src=fd00::2,dst=fd00::1,hlim=255)/icmp6(type=na,target=fd00::2,flags=0x60)", true, false},
		{"advertisement of another target", ns, "ip6(src=fd00::3,dst=fd00::1,hlim=255)/icmp6(type=na,target=fd00::3)", false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := NewReplies(wire.LinkRaw)
			r.Sent(c.probe, t0)
			a, ok := r.Match(replyPacket(t, c.reply), wire.LinkRaw, t0.Add(1500*time.Microsecond))
			if ok != c.answer {
				t.Fatalf("answers: %v, want %v", ok, c.answer)
			}
			if !ok {
				return
			}
			if a.Probe != 0 || a.RTT != 1500*time.Microsecond || a.Dup || a.Error != c.isErr {
				t.Errorf("answer %+v, want probe 0, rtt 1.5ms, error %v", a, c.isErr)
			}
		})
	}
}

func TestARPReplyAnswersTheRequestAtLayer2(t *testing.T) {
	req := replyPacket(t, "ether(src=02:00:00:00:00:01)/arp(psrc=10.0.0.1,pdst=10.0.0.2)")
	reply := replyPacket(t, "ether(src=02:00:00:00:00:02,dst=02:00:00:00:00:01)/arp(op=reply,hwsrc=02:00:00:00:00:02,psrc=10.0.0.2,hwdst=02:00:00:00:00:01,pdst=10.0.0.1)")
	other := replyPacket(t, "ether(src=02:00:00:00:00:03,dst=02:00:00:00:00:01)/arp(op=reply,psrc=10.0.0.3,pdst=10.0.0.1)")
	r := NewReplies(wire.LinkEthernet)
	r.Sent(req, t0)
	if _, ok := r.Match(req, wire.LinkEthernet, t0); ok {
		t.Error("the request answered itself")
	}
	if _, ok := r.Match(other, wire.LinkEthernet, t0); ok {
		t.Error("a reply from 10.0.0.3 answered a request for 10.0.0.2")
	}
	if a, ok := r.Match(reply, wire.LinkEthernet, t0.Add(time.Millisecond)); !ok || a.RTT != time.Millisecond {
		t.Errorf("reply: %+v %v", a, ok)
	}
}

// sll2 frames an IP packet as a capture on the any device does.
func sll2(ip []byte) []byte {
	h := make([]byte, 20)
	h[0], h[1] = 0x08, 0x00
	if ip[0]>>4 == 6 {
		h[0], h[1] = 0x86, 0xdd
	}
	return append(h, ip...)
}

func TestEthernetProbesMatchCookedReplies(t *testing.T) {
	probe := replyPacket(t, "ether(src=02:00:00:00:00:01,dst=02:00:00:00:00:02)/vlan(id=5)/ip(src=10.0.0.1,dst=10.0.0.2)/icmp(id=1,seq=1)")
	reply := replyPacket(t, "ip(src=10.0.0.2,dst=10.0.0.1)/icmp(type=echo-reply,id=1,seq=1)")
	r := NewReplies(wire.LinkEthernet)
	r.Sent(probe, t0)
	if _, ok := r.Match(sll2(reply), wire.LinkLinuxSLL2, t0); !ok {
		t.Error("an echo reply on the any device did not answer a tagged Ethernet probe")
	}
	if off, _, _ := wire.Network(wire.LinkEthernet, probe); off != 18 {
		t.Errorf("network offset past one tag: %d, want 18", off)
	}
}

func TestLookAlikeProbesAreAnsweredInTurnThenDuplicates(t *testing.T) {
	syn := replyPacket(t, "ip(dst=10.0.0.2)/tcp(sport=40000,dport=80)")
	synAck := replyPacket(t, "ip(src=10.0.0.2,dst=10.0.0.1)/tcp(sport=80,dport=40000,flags=SA)")
	r := NewReplies(wire.LinkRaw)
	for i := range 3 {
		r.Sent(syn, t0.Add(time.Duration(i)*time.Second))
	}
	for i, want := range []Answer{{Probe: 0, RTT: 100 * time.Millisecond}, {Probe: 1, RTT: 100 * time.Millisecond}, {Probe: 2, RTT: 100 * time.Millisecond}, {Probe: 2, RTT: 1100 * time.Millisecond, Dup: true}} {
		a, ok := r.Match(synAck, wire.LinkRaw, t0.Add(time.Duration(i)*time.Second+100*time.Millisecond))
		if !ok || a != want {
			t.Errorf("answer %d: %+v %v, want %+v", i, a, ok, want)
		}
	}
	s := r.Stats()
	if s.Transmitted != 3 || s.Received != 3 || s.Duplicates != 1 || r.Pending() != 0 {
		t.Errorf("stats %+v", s)
	}
}

func TestEchoRepliesOfACountedRun(t *testing.T) {
	s, err := spec.Parse("ip(dst=10.0.0.2)/icmp(id=7)")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Build(s, Options{Source: FixedSource{V4: netip.MustParseAddr("10.0.0.1")}})
	if err != nil {
		t.Fatal(err)
	}
	r := NewReplies(wire.LinkRaw)
	for i := range 3 {
		r.Sent(b.Packet(i), t0.Add(time.Duration(i)*time.Second))
	}
	// Seq 2's reply is lost; seq 3's comes twice.
	for _, seq := range []int{1, 3, 3} {
		reply := replyPacket(t, fmt.Sprintf("ip(src=10.0.0.2,dst=10.0.0.1)/icmp(type=echo-reply,id=7,seq=%d)", seq))
		a, ok := r.Match(reply, wire.LinkRaw, t0.Add(time.Duration(seq-1)*time.Second+time.Duration(seq)*time.Millisecond))
		if !ok || a.Probe != seq-1 {
			t.Errorf("seq %d: %+v %v", seq, a, ok)
		}
	}
	want := "3 packets transmitted, 2 received, +1 duplicates, 33.3333% packet loss\n" +
		"rtt min/avg/max/mdev = 1.000/2.000/3.000/1.000 ms\n"
	if got := r.Stats().Summary(); got != want {
		t.Errorf("summary:\n%s\nwant:\n%s", got, want)
	}
}

func TestSummaryInPingsWords(t *testing.T) {
	var s ReplyStats
	s.Transmitted = 2
	if got, want := s.Summary(), "2 packets transmitted, 0 received, 100% packet loss\n"; got != want {
		t.Errorf("nothing received: %q, want %q", got, want)
	}
	s = ReplyStats{Transmitted: 1}
	s.add(45678 * time.Nanosecond)
	want := "1 packets transmitted, 1 received, 0% packet loss\nrtt min/avg/max/mdev = 0.046/0.046/0.046/0.000 ms\n"
	if got := s.Summary(); got != want {
		t.Errorf("one received: %q, want %q", got, want)
	}
}

// fakeSource hands out packets pushed to it, as a live capture would: each
// stamped when it was pushed, as the kernel stamps a packet when it arrives,
// not when the reader gets to it (on a busy machine, much later).
type fakeSource struct {
	packets chan stamped
	stop    chan struct{}
	once    sync.Once
	pushed  atomic.Int64
	nexts   atomic.Int64 // calls of Next begun
}

type stamped struct {
	data []byte
	at   time.Time
}

func newFakeSource() *fakeSource {
	return &fakeSource{packets: make(chan stamped, 16), stop: make(chan struct{})}
}

func (f *fakeSource) push(p []byte) {
	f.pushed.Add(1)
	f.packets <- stamped{p, time.Now()}
}

func (f *fakeSource) Next() ([]byte, gopacket.CaptureInfo, error) {
	f.nexts.Add(1)
	select {
	case p := <-f.packets:
		return p.data, gopacket.CaptureInfo{Timestamp: p.at, CaptureLength: len(p.data), Length: len(p.data)}, nil
	case <-f.stop:
		return nil, gopacket.CaptureInfo{}, io.EOF
	}
}

func (f *fakeSource) Stop() { f.once.Do(func() { close(f.stop) }) }

// drain waits until the waiter has handled every packet pushed: its one
// reader asks for the next packet only once it is done with the last.
func drain(t *testing.T, src *fakeSource) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for src.nexts.Load() <= src.pushed.Load() {
		if time.Now().After(deadline) {
			t.Fatal("the waiter did not read the packets pushed in a minute")
		}
		time.Sleep(time.Millisecond)
	}
}

// collectAnswers is a Waiter on a fake source of raw IP packets, and a
// function that returns the answers it has given, in order.
func collectAnswers() (*fakeSource, *Waiter, func() []Answer) {
	src := newFakeSource()
	var got []Answer
	var mu sync.Mutex
	w := NewWaiter(src, wire.LinkRaw, wire.LinkRaw, func(r Reply) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, r.Answer)
	})
	return src, w, func() []Answer {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(got)
	}
}

func TestWaiterMatchesAReplyReadBeforeItsProbeWasRecorded(t *testing.T) {
	src, w, answers := collectAnswers()
	probe := replyPacket(t, "ip(dst=10.0.0.2)/icmp(id=7,seq=1)")
	// The reply is read first, as on loopback, where it can come back
	// before the send call returns.
	src.push(replyPacket(t, "ip(src=10.0.0.2,dst=10.0.0.1)/icmp(type=echo-reply,id=7,seq=1)"))
	drain(t, src) // the waiter keeps it
	w.Sent(probe, time.Now())
	start := time.Now()
	stats, err := w.Finish(10*time.Second, nil)
	if err != nil {
		t.Fatal(err)
	}
	if time.Since(start) > 5*time.Second {
		t.Error("Finish waited although every probe was answered")
	}
	if got := answers(); stats.Received != 1 || len(got) != 1 || got[0].RTT != 0 {
		t.Errorf("stats %+v, answers %+v", stats, got)
	}
}

func TestWaiterFinishGivesUpAfterTheWait(t *testing.T) {
	src := newFakeSource()
	w := NewWaiter(src, wire.LinkRaw, wire.LinkRaw, func(Reply) {})
	w.Sent(replyPacket(t, "ip(dst=10.0.0.2)/udp(dport=9)"), time.Now())
	start := time.Now()
	stats, err := w.Finish(100*time.Millisecond, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 90*time.Millisecond || d > 5*time.Second {
		t.Errorf("Finish took %v for a wait of 100ms", d)
	}
	if !strings.HasPrefix(stats.Summary(), "1 packets transmitted, 0 received, 100% packet loss\n") {
		t.Errorf("summary %q", stats.Summary())
	}
}

// failingSource fails its first read.
type failingSource struct{}

func (failingSource) Next() ([]byte, gopacket.CaptureInfo, error) {
	return nil, gopacket.CaptureInfo{}, errors.New("interface went away")
}
func (failingSource) Stop() {}

func TestWaiterReportsTheSourcesError(t *testing.T) {
	w := NewWaiter(failingSource{}, wire.LinkRaw, wire.LinkRaw, func(Reply) {})
	w.Sent(replyPacket(t, "ip(dst=10.0.0.2)/udp(dport=9)"), time.Now())
	if _, err := w.Finish(time.Minute, nil); err == nil || !strings.Contains(err.Error(), "went away") {
		t.Errorf("error %v", err)
	}
}

func TestReplyFilterKeepsThePeerAndICMPAndCompiles(t *testing.T) {
	for _, c := range []struct{ spec, want, peer string }{
		{"ip(dst=10.0.0.2)/tcp(dport=80)", "(inbound and ((src host 10.0.0.2 and tcp) or icmp)) or (outbound and dst host 10.0.0.2 and tcp)", "10.0.0.2"},
		{"ip(dst=10.0.0.2)/udp/dns(qname=example.com)", "(inbound and ((src host 10.0.0.2 and udp) or icmp)) or (outbound and dst host 10.0.0.2 and udp)", "10.0.0.2"},
		{"ip(dst=10.0.0.2)/icmp", "(inbound and ((src host 10.0.0.2) or icmp)) or (outbound and dst host 10.0.0.2 and icmp)", "10.0.0.2"},
		{"ip(dst=10.0.0.2,proto=47)/udp", "(inbound and ((src host 10.0.0.2 and ip proto 47) or icmp)) or (outbound and dst host 10.0.0.2 and ip proto 47)", "10.0.0.2"},
		{"ip(dst=10.0.0.2)", "(inbound and ((src host 10.0.0.2) or icmp)) or (outbound and dst host 10.0.0.2)", "10.0.0.2"},
		{"ip(dst=255.255.255.255)/icmp", "(inbound and icmp) or (outbound and dst host 255.255.255.255 and icmp)", "255.255.255.255"},
		{"ip(dst=224.0.0.1)/udp", "(inbound and ((udp) or icmp)) or (outbound and dst host 224.0.0.1 and udp)", "224.0.0.1"},
		{"ether/vlan(id=3)/ip(dst=10.0.0.2)/tcp", "(inbound and ((src host 10.0.0.2 and tcp) or icmp)) or (outbound and dst host 10.0.0.2 and tcp)", "10.0.0.2"},
		{"ip6(dst=fd00::2)/tcp", "(inbound and ((src host fd00::2 and tcp) or icmp6)) or (outbound and dst host fd00::2 and tcp)", "fd00::2"},
		{"ip6(dst=fd00::2)/hbh/tcp", "(inbound and ((src host fd00::2 and tcp) or icmp6)) or (outbound and dst host fd00::2)", "fd00::2"},
		{"ip6(dst=fd00::2)/rh(addrs=[fd00::3])/udp", "(inbound and ((src host fd00::3 and udp) or icmp6)) or (outbound and dst host fd00::2)", "fd00::3"},
		{"ip6(dst=ff02::1:ff00:2)/icmp6(type=ns,target=fd00::2)", "(inbound and icmp6) or (outbound and dst host ff02::1:ff00:2 and icmp6)", "ff02::1:ff00:2"},
		{"ether/arp(pdst=10.0.0.2)", "inbound and arp", "10.0.0.2"},
		{"ether(type=0x88b5)/fill(10)", "", "invalid IP"},
	} {
		s, err := spec.Parse(c.spec)
		if err != nil {
			t.Fatal(err)
		}
		expr, peer := ReplyFilter(s)
		if expr != c.want || peer.String() != c.peer {
			t.Errorf("%s: %q, %s; want %q, %s", c.spec, expr, peer, c.want, c.peer)
		}
		if expr == "" {
			continue
		}
		for _, link := range []wire.LinkType{wire.LinkEthernet, wire.LinkLinuxSLL2} {
			if _, err := filter.CompileOptions(expr, link, filter.Options{Live: true}); err != nil {
				t.Errorf("%s: %q does not compile for link type %d: %v", c.spec, expr, link, err)
			}
		}
	}
}

// FuzzReplyMatch feeds packets from strangers to the matching: whatever
// their bytes, it must not panic, and what it matches must be a probe sent.
func FuzzReplyMatch(f *testing.F) {
	probes := [][]byte{}
	for _, s := range []string{
		"ip(dst=10.0.0.2,id=100)/tcp(sport=40000,dport=80)",
		"ip(dst=10.0.0.2,id=200)/udp(sport=40001,dport=33434)/fill(8)",
		"ip(dst=10.0.0.2)/icmp(id=7,seq=1)",
		"ip6(dst=fd00::2)/icmp6(id=9,seq=3)",
		"ip6(dst=fd00::2)/frag6(id=1)/udp(sport=40003,dport=53)",
		"ip6(dst=ff02::1:ff00:2)/icmp6(type=ns,target=fd00::2)",
	} {
		s, err := spec.Parse(s)
		if err != nil {
			f.Fatal(err)
		}
		b, err := Build(s, Options{Source: FixedSource{V4: netip.MustParseAddr("10.0.0.1"), V6: netip.MustParseAddr("fd00::1")}})
		if err != nil {
			f.Fatal(err)
		}
		probes = append(probes, b.Packet(0))
	}
	for _, p := range probes {
		f.Add(p, uint8(0))
	}
	f.Add(sll2(probes[0]), uint8(2))
	f.Add([]byte{0x45, 0, 0, 20}, uint8(0))
	links := []wire.LinkType{wire.LinkRaw, wire.LinkEthernet, wire.LinkLinuxSLL2, wire.LinkLinuxSLL}
	f.Fuzz(func(t *testing.T, data []byte, link uint8) {
		r := NewReplies(wire.LinkRaw)
		for _, p := range probes {
			r.Sent(p, t0)
		}
		r.Sent(data, t0) // a stranger's bytes as a probe, too
		lt := links[int(link)%len(links)]
		for range 2 {
			if a, ok := r.Match(data, lt, t0.Add(time.Millisecond)); ok && (a.Probe < 0 || a.Probe > len(probes)) {
				t.Fatalf("answer to probe %d of %d", a.Probe, len(probes)+1)
			}
		}
		wire.Network(lt, data)
	})
}

func TestTheProbeAsItLeftGivesTheSendTime(t *testing.T) {
	syn := replyPacket(t, "ip(dst=10.0.0.2,id=5)/tcp(sport=40000,dport=80)")
	synAck := replyPacket(t, "ip(src=10.0.0.2,dst=10.0.0.1)/tcp(sport=80,dport=40000,flags=SA)")
	r := NewReplies(wire.LinkRaw)
	r.Sent(syn, t0.Add(time.Second)) // the sender's clock, read late
	if r.Outgoing(synAck, wire.LinkRaw, t0) {
		t.Error("the reply was taken for the probe")
	}
	// The capture's copy, on the any device, stamped by the kernel.
	if !r.Outgoing(sll2(syn), wire.LinkLinuxSLL2, t0.Add(10*time.Microsecond)) {
		t.Fatal("the probe's copy was not recognized")
	}
	if r.Outgoing(syn, wire.LinkRaw, t0.Add(20*time.Microsecond)) {
		t.Error("a second copy stamped the probe again")
	}
	a, ok := r.Match(synAck, wire.LinkRaw, t0.Add(40*time.Microsecond))
	if !ok || a.RTT != 30*time.Microsecond {
		t.Errorf("answer %+v %v, want an rtt of 30µs from the kernel's send time", a, ok)
	}
}

func TestWaiterTimesAReplyFromTheProbesCopyReadFirst(t *testing.T) {
	src, w, answers := collectAnswers()
	probe := replyPacket(t, "ip(dst=10.0.0.2)/icmp(id=7,seq=1)")
	// As on a veth: the copy of the probe and the reply are both read
	// before the send call returns and Sent is called.
	src.push(probe)
	time.Sleep(2 * time.Millisecond)
	src.push(replyPacket(t, "ip(src=10.0.0.2,dst=10.0.0.1)/icmp(type=echo-reply,id=7,seq=1)"))
	drain(t, src)
	w.Sent(probe, time.Now())
	stats, err := w.Finish(10*time.Second, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := answers(); stats.Received != 1 || len(got) != 1 || got[0].RTT < 2*time.Millisecond || got[0].RTT > time.Second {
		t.Errorf("stats %+v, answers %+v: want one answer timed from the probe's copy, 2ms or more", stats, got)
	}
}

func TestWaiterHoldsADuplicateForALookAlikeStillToBeRecorded(t *testing.T) {
	src, w, answers := collectAnswers()
	// Probes 0 and 65536 of a run are the same bytes: the 16-bit fields
	// that tell probes apart have wrapped.
	probe := replyPacket(t, "ip(dst=10.0.0.2,id=1)/icmp(id=7,seq=1)")
	reply := replyPacket(t, "ip(src=10.0.0.2,dst=10.0.0.1)/icmp(type=echo-reply,id=7,seq=1)")
	w.Sent(probe, time.Now())
	src.push(reply)
	drain(t, src)
	// The look-alike's reply is read before the sender records it.
	src.push(reply)
	drain(t, src)
	w.Sent(probe, time.Now())
	// And a true duplicate, once sending is over.
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			w.mu.Lock()
			f := w.finishing
			w.mu.Unlock()
			if f {
				src.push(reply)
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	stats, err := w.Finish(300*time.Millisecond, nil)
	<-done
	if err != nil {
		t.Fatal(err)
	}
	if got := answers(); stats.Transmitted != 2 || stats.Received != 2 || len(got) < 2 || got[0].Probe != 0 || got[1].Probe != 1 || got[1].Dup {
		t.Errorf("stats %+v, answers %+v: want probes 0 and 1 answered", stats, got)
	}
}

func TestRawProtocolNamesAndNumbers(t *testing.T) {
	for _, c := range []struct {
		in    string
		ip6   bool
		proto int
		name  string
		err   string
	}{
		{"icmp", false, 1, "icmp", ""},
		{"icmp", true, 58, "icmp6", ""},
		{"TCP", false, 6, "tcp", ""},
		{"17", false, 17, "udp", ""},
		{"0x84", false, 132, "sctp", ""},
		{"200", false, 200, "200", ""},
		{"300", false, 0, "", "out of range"},
		{"0", false, 0, "", "cannot receive"},
		{"255", false, 0, "", "cannot receive"},
		{"bogus", false, 0, "", "unknown protocol"},
	} {
		proto, name, err := ParseRawProtocol(c.in, c.ip6)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: %v, want an error with %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || proto != c.proto || name != c.name {
			t.Errorf("%s (ip6 %v): %d %q %v, want %d %q", c.in, c.ip6, proto, name, err, c.proto, c.name)
		}
	}
}
