package decode

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// bgpFrame is an Ethernet frame with an IPv4 TCP segment from port sport
// to port dport carrying payload at sequence number seq.
func bgpFrame(sport, dport uint16, seq uint32, payload []byte) []byte {
	return tunEth(0x0800, tunIPv4(6, tcpSegment(sport, dport, seq, 1, 0x18, 1000, nil, payload)))
}

// bgpMessageBytes is a BGP message of type typ with body.
func bgpMessageBytes(typ byte, body []byte) []byte {
	m := bytes.Repeat([]byte{0xff}, 16)
	m = append(m, wire16(uint16(bgpHeaderLen+len(body)))...)
	return append(append(m, typ), body...)
}

// bgpOpenGRHelper is an OPEN whose only capability is graceful restart
// without address families (RFC 4724 section 3): helper mode.
var bgpOpenGRHelper = bgpMessageBytes(1, []byte{4, 0xfd, 0xe8, 0, 180, 10, 0, 0, 1, 6, 2, 4, 64, 2, 0x80, 0x78})

// bgpExperts lists a tree's expert items as "severity/group protocol: message".
func bgpExperts(tr *Tree) []string {
	var out []string
	tr.Experts(func(e Expert) bool {
		if e.Protocol != "TCP" {
			out = append(out, e.Severity.String()+"/"+e.Group.String()+" "+e.Protocol+": "+string(tr.AppendSummary(nil, e)))
		}
		return true
	})
	return out
}

// TestBGPMessagesOfASegmentAreLayers checks what tshark was seen to give
// a segment of three messages: one layer each, the graceful restart
// capability's helper-mode item, and an UPDATE whose 19 bytes end before
// its withdrawn routes' length, which stops it with a Malformed Packet.
func TestBGPMessagesOfASegmentAreLayers(t *testing.T) {
	payload := tunCat(bgpOpenGRHelper, bgpMessageBytes(4, nil), bgpMessageBytes(2, nil))
	frame := bgpFrame(40000, 179, 1000, payload)
	var tr Tree
	tr.Reassemble = true
	tr.Dissect(frame, gopacket.CaptureInfo{CaptureLength: len(frame), Length: len(frame)}, wire.LinkEthernet, 1)
	if got, want := layerNames(&tr), "eth ip tcp bgp bgp bgp _ws.malformed"; got != want {
		t.Errorf("layers %q, want %q", got, want)
	}
	want := []string{"Chat/Request BGP: Graceful Restart Capability supported in Helper mode only",
		"Error/Malformed BGP: Malformed Packet (Exception occurred)"}
	if got := bgpExperts(&tr); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("experts %q, want %q", got, want)
	}
	if got, want := tunLine(t, Options{}, frame), "IP 10.0.0.1.40000 > 10.0.0.2.179: Flags [P.], seq 1000:1073, ack 1, win 1000, length 73: BGP\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestBGPMessageAcrossSegments checks a message split over two segments:
// the first shows its bytes as segment data only, the second the message
// then the segments that carried it, as tshark's hierarchy counts them.
func TestBGPMessageAcrossSegments(t *testing.T) {
	var tr Tree
	tr.Reassemble = true
	for i, step := range []struct {
		seg    []byte
		seq    uint32
		layers string
	}{
		{bgpOpenGRHelper[:10], 1000, "eth ip tcp"},
		{bgpOpenGRHelper[10:], 1010, "eth ip tcp bgp tcp.segments"},
		{bgpMessageBytes(4, nil), 1000 + uint32(len(bgpOpenGRHelper)), "eth ip tcp bgp"},
	} {
		frame := bgpFrame(40000, 179, step.seq, step.seg)
		tr.Dissect(frame, gopacket.CaptureInfo{CaptureLength: len(frame), Length: len(frame)}, wire.LinkEthernet, i+1)
		if got := layerNames(&tr); got != step.layers {
			t.Errorf("frame %d: layers %q, want %q", i+1, got, step.layers)
		}
	}
}

// TestRPKIRTRLengthBelowHeader checks a PDU whose length is below the
// 8-byte header: tshark reads nothing of it and gives a Malformed Packet
// of the RPKI-Router Protocol.
func TestRPKIRTRLengthBelowHeader(t *testing.T) {
	frame := bgpFrame(323, 40000, 1, []byte{1, 0, 0, 5, 0, 0, 0, 3, 0, 0, 0, 9})
	var tr Tree
	tr.Reassemble = true
	tr.Dissect(frame, gopacket.CaptureInfo{CaptureLength: len(frame), Length: len(frame)}, wire.LinkEthernet, 1)
	if got, want := layerNames(&tr), "eth ip tcp _ws.malformed"; got != want {
		t.Errorf("layers %q, want %q", got, want)
	}
	want := []string{"Error/Malformed RPKI-Router Protocol: Malformed Packet (Exception occurred)"}
	if got := bgpExperts(&tr); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("experts %q, want %q", got, want)
	}
}

// TestBGPAndRPKIRTRPrintAsTcpdump compares the lines of BGP and RPKI-RTR
// segments, whole and cut short, with tcpdump's.
func TestBGPAndRPKIRTRPrintAsTcpdump(t *testing.T) {
	rpki := []byte{1, 0, 0, 5, 0, 0, 0, 12, 0, 0, 0, 9}
	frames := [][]byte{
		bgpFrame(40000, 179, 1000, bgpOpenGRHelper),
		bgpFrame(179, 40000, 5000, bgpMessageBytes(4, nil)),
		bgpFrame(323, 40000, 1, rpki),
		bgpFrame(40001, 323, 1, rpki[:8]),
		bgpFrame(323, 40002, 1, []byte{1, 0, 0, 5, 0, 0, 0, 3, 0, 0, 0, 9}), // a length below the header's
	}
	var pkts []testPacket
	for i, f := range frames {
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(1700000000+int64(i), 0), CaptureLength: len(f), Length: len(f)}
		pkts = append(pkts, testPacket{data: f, ci: ci, link: wire.LinkEthernet})
	}
	cut := frames[0][:60]
	pkts = append(pkts, testPacket{data: cut, link: wire.LinkEthernet,
		ci: gopacket.CaptureInfo{Timestamp: time.Unix(1700000010, 0), CaptureLength: len(cut), Length: len(frames[0])}})
	if got := tunLine(t, Options{}, frames[2]); !strings.HasSuffix(got, "length 12, RPKI-RTR\n") {
		t.Errorf("got %q, want the line to end in \"length 12, RPKI-RTR\"", got)
	}
	needTcpdump(t)
	path := filepath.Join(t.TempDir(), "bgp.pcap")
	writeTestPcap(t, path, wire.LinkEthernet, pkts)
	for _, mode := range [][]string{{"-n"}, {"-n", "-q"}, {"-n", "-x"}} {
		compareWithTcpdump(t, path, pkts, mode...)
	}
}

// TestBGPDissectAllocatesNothing dissects BGP segments, a message across
// two of them among them, again and again.
func TestBGPDissectAllocatesNothing(t *testing.T) {
	segs := [][]byte{bgpOpenGRHelper[:10], bgpOpenGRHelper[10:], bgpMessageBytes(4, nil)}
	var frames [][]byte
	seq := uint32(1000)
	for _, s := range segs {
		frames = append(frames, bgpFrame(40000, 179, seq, s))
		seq += uint32(len(s))
	}
	var tr Tree
	tr.Reassemble = true
	n := 0
	next := func() {
		// Each round is a new conversation's first segments: the same
		// sequence numbers again would be retransmissions.
		f := frames[n%len(frames)]
		n++
		tr.Dissect(f, gopacket.CaptureInfo{CaptureLength: len(f), Length: len(f)}, wire.LinkEthernet, n)
	}
	for i := 0; i < 30; i++ {
		next()
	}
	if a := testing.AllocsPerRun(300, next); a != 0 {
		t.Errorf("%.1f allocations per packet", a)
	}
}
