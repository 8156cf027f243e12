package flow

import (
	"testing"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// FuzzTable feeds packets cut from one fuzzed input to a table, with each
// link type, and asks for the conversations and their messages: never a
// panic, and the messages never hold more than the payload counted.
func FuzzTable(f *testing.F) {
	for _, name := range []string{"tcp4.pcap", "dns.pcap", "frag.pcap", "any.pcap", "raw-ip.pcap"} {
		for i, p := range readPackets(f, name) {
			if i%7 == 0 {
				f.Add(uint32(p.link), p.data, p.data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, link uint32, a, b []byte) {
		table := NewTable()
		table.Follow(All)
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(1, 0)}
		for _, l := range []wire.LinkType{wire.LinkType(link), 1, 113, 276, 101, 228, 229, 0, 108} {
			table.Add(l, a, ci)
			table.Add(l, b, ci)
			if len(a) > 1 {
				table.Add(l, a[:len(a)/2], ci)
			}
		}
		for _, c := range table.Conversations() {
			msgs, ok := table.Messages(c.Index)
			if !ok {
				t.Fatalf("conversation %d not followed", c.Index)
			}
			var sum [2]int64
			for _, m := range msgs {
				sum[m.Dir] += int64(len(m.Data))
			}
			if sum != c.Payload {
				t.Fatalf("conversation %d: messages %v, payload %v", c.Index, sum, c.Payload)
			}
		}
	})
}
