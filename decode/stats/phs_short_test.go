package stats_test

import (
	"bytes"
	"encoding/hex"
	"testing"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode"
	"github.com/sockscope/sockscope/decode/stats"
)

// TestHierarchyOfFramesWithoutTheirBytes: frames whose record holds fewer
// bytes than a header needs. The tables are the ones tshark 4.0 prints for
// the same records (written to a pcap and read with tshark -q -z io,phs):
// a frame with nothing captured, or less than an Ethernet header, counts
// under no protocol, only under _ws.short (the capture cut it) or
// _ws.malformed (the frame on the wire was that short); a layer that begins
// where the captured bytes end is left out, its item following the layer
// below. -z expert gives the malformed ones tshark's exception row.
func TestHierarchyOfFramesWithoutTheirBytes(t *testing.T) {
	// A broadcast Ethernet frame with an IPv4 header and an empty UDP
	// datagram from port 1234 to 5678, then zeros to 60 bytes.
	frame, _ := hex.DecodeString("ffffffffffff00112233445508004500001c000100004011f97cc0a80001c0a8000204d2162e00080000")
	frame = append(frame, make([]byte, 18)...)
	type rec struct{ caplen, length int }
	cases := []struct {
		name   string
		recs   []rec
		want   string
		expert string // tshark -q -z expert on the same records
	}{
		{"nothing captured", []rec{{60, 60}, {0, 0}, {0, 60}}, `
eth                                      frames:1 bytes:60
  ip                                     frames:1 bytes:60
    udp                                  frames:1 bytes:60
_ws.malformed                            frames:1 bytes:0
_ws.short                                frames:1 bytes:60
`, "1  Malformed           Ethernet"},
		{"part of the Ethernet header", []rec{{4, 60}, {13, 60}, {13, 13}, {4, 4}}, `
_ws.short                                frames:2 bytes:120
_ws.malformed                            frames:2 bytes:17
`, "2  Malformed           Ethernet"},
		{"the Ethernet header and no more", []rec{{14, 14}, {14, 60}}, `
eth                                      frames:2 bytes:74
  _ws.malformed                          frames:1 bytes:14
  _ws.short                              frames:1 bytes:60
`, "1  Malformed               IPv4"},
	}
	for _, c := range cases {
		h := stats.NewHierarchy("")
		x, err := stats.New("expert", "")
		if err != nil {
			t.Fatal(err)
		}
		tree := &decode.Tree{}
		for i, r := range c.recs {
			ci := gopacket.CaptureInfo{Timestamp: time.Unix(1, 0), CaptureLength: r.caplen, Length: r.length}
			tree.Dissect(frame[:r.caplen], ci, 1, i+1)
			h.Add(tree)
			x.Add(tree)
		}
		var b bytes.Buffer
		if err := h.WriteText(&b); err != nil {
			t.Fatal(err)
		}
		want := "\n===================================================================\nProtocol Hierarchy Statistics\nFilter: \n" +
			c.want + "===================================================================\n"
		if b.String() != want {
			t.Errorf("%s: got\n%s\nwant\n%s", c.name, b.String(), want)
		}
		b.Reset()
		if err := x.WriteText(&b); err != nil {
			t.Fatal(err)
		}
		n := c.expert[:1]
		want = "\nErrors (" + n + ")\n=============\n   Frequency      Group           Protocol  Summary\n           " +
			c.expert + "  Malformed Packet (Exception occurred)\n"
		if b.String() != want {
			t.Errorf("%s: -z expert gave\n%s\nwant\n%s", c.name, b.String(), want)
		}
	}
}
