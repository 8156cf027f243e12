package compare

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

// TestDiagramFitsAndLabels draws a TCP exchange built from real frame
// bytes: every line fits 80 columns, arrows point the way the packets
// went, and the labels are the short ones the issue names.
func TestDiagramFitsAndLabels(t *testing.T) {
	frame := func(sport, dport uint16, seq uint32, flags byte, payload string) []byte {
		f := make([]byte, 14+20+20+len(payload))
		f[12], f[13] = 0x08, 0x00
		ip := f[14:]
		ip[0], ip[9] = 0x45, 6
		ip[2], ip[3] = byte((40+len(payload))>>8), byte(40+len(payload))
		copy(ip[12:], []byte{127, 0, 0, 1, 127, 0, 0, 1})
		tcp := ip[20:]
		tcp[0], tcp[1], tcp[2], tcp[3] = byte(sport>>8), byte(sport), byte(dport>>8), byte(dport)
		tcp[4], tcp[5], tcp[6], tcp[7] = byte(seq>>24), byte(seq>>16), byte(seq>>8), byte(seq)
		tcp[12], tcp[13] = 5<<4, flags
		copy(tcp[20:], payload)
		return f
	}
	t0 := time.Unix(1700000000, 0)
	at := func(us int) gopacket.CaptureInfo {
		return gopacket.CaptureInfo{Timestamp: t0.Add(time.Duration(us) * time.Microsecond)}
	}
	k := KindReport{Kind: "stream", Name: "tcp", Family: "inet", Sender: "127.0.0.1:40000", Receiver: "127.0.0.1:5000",
		Writes: []Op{{Bytes: 1, At: t0.Add(30 * time.Microsecond)}},
		Reads:  []Op{{Bytes: 1, Data: "A", At: t0.Add(900 * time.Microsecond)}},
		Wire:   &Wire{},
		Frames: []Frame{
			{frame(40000, 5000, 100, 0x02, ""), at(0)},
			{frame(5000, 40000, 7, 0x12, ""), at(10)},
			{frame(40000, 5000, 101, 0x10, ""), at(20)},
			{frame(40000, 5000, 101, 0x18, "A"), at(25)},
		}}
	r := &Report{Messages: []string{"A"}, Kinds: []KindReport{k}}
	var out bytes.Buffer
	if err := r.WriteDiagram(&out, 80); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, line := range strings.Split(text, "\n") {
		if len(line) > 80 {
			t.Errorf("line of %d columns: %q", len(line), line)
		}
	}
	for _, want := range []string{"-- SYN -", "<", "SYN ACK --", "-- ACK -", `-- PSH 1:2 "A" -`, `write(1) "A"`, `read(1) "A"`} {
		if !strings.Contains(text, want) {
			t.Errorf("diagram has no %q:\n%s", want, text)
		}
	}
	if i, j := strings.Index(text, "PSH"), strings.Index(text, "read(1)"); i > j {
		t.Errorf("the read comes before the data it read:\n%s", text)
	}
}

func TestDiagramLabelsIPv6Frames(t *testing.T) {
	isn, seen := map[bool]uint32{}, map[bool]bool{}
	syn := &layers.TCP{SrcPort: 40000, DstPort: 5000, Seq: 7, Window: 64, DataOffset: 5, SYN: true}
	for _, c := range []struct {
		f    Frame
		want string
	}{
		{loFrame(t, true, &layers.UDP{SrcPort: 40000, DstPort: 5000}, "A"), "udp 1 B"},
		{loFrame(t, true, syn, ""), "SYN"},
		{loFrame(t, true, nil, "AB"), "ip proto 253, 2 B"},
	} {
		if got, from := frameLabel(c.f.Data, 40000, isn, seen); got != c.want || !from {
			t.Errorf("label %q (from the sender %v), want %q from the sender", got, from, c.want)
		}
	}
}
