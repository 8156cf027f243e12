package stats_test

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/capture"
	"github.com/sockscope/sockscope/decode"
	"github.com/sockscope/sockscope/decode/display"
	"github.com/sockscope/sockscope/decode/stats"
	"github.com/sockscope/sockscope/decode/wire"
)

// selectedText is the text of spec's table on file, its packets selected
// by the display filter y as sockscope stats -Y selects them.
func selectedText(t *testing.T, file, y, spec string) string {
	t.Helper()
	tab, err := stats.New(spec, y)
	if err != nil {
		t.Fatal(err)
	}
	stats.Prime([]stats.Table{tab}, y)
	r, err := capture.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	loop := capture.Loop{Check: decode.CheckLink}
	own := &decode.Tree{Reassemble: true}
	tree := own
	if y != "" {
		f, err := display.Compile(y)
		if err != nil {
			t.Fatal(err)
		}
		sel := &display.Selector{Filter: f, Number: func() int { return loop.Read }, Reassemble: true,
			Position: func() decode.Position {
				return decode.Position{Number: loop.Read, First: loop.First, Previous: loop.Previous}
			}}
		loop.Select = sel.Select
		tree = sel.Tree()
		tree.Want = nil
	}
	if _, err := loop.Run(r, func(data []byte, ci gopacket.CaptureInfo, link wire.LinkType) error {
		if y == "" {
			own.Dissect(data, ci, link, loop.Read)
			own.First, own.Previous = loop.First, loop.Previous
		}
		tab.Add(tree)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := tab.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestFilteredHierarchyIsTsharks compares io,phs under -Y FILTER and with
// the spec's own filter (io,phs,FILTER) with tshark's -z io,phs,FILTER.
func TestFilteredHierarchyIsTsharks(t *testing.T) {
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Skip("tshark is not installed (it is the oracle)")
	}
	cases := []struct{ capture, filter string }{
		{"mixed.pcap", "udp.port==53"},
		{"mixed.pcap", "tcp.len > 0 && ip.src == 10.99.0.2"},
		{"dns.pcap", "dns.flags.response == 1"},
		{"vlan.pcap", "icmp || icmpv6"},
		{"frag.pcap", "ipv6"},
		{"tcp-loss.pcap", "frame.len > 100"}, // a frame field: the frame is the root
		{"http.pcap", "tcp.port in {80, 8080}"},
	}
	for _, c := range cases {
		file := filepath.Join("..", "..", "testdata", c.capture)
		out, err := exec.Command("tshark", "-n", "-q", "-r", file, "-z", "io,phs,"+c.filter).Output()
		if err != nil {
			t.Fatalf("tshark: %v", err)
		}
		theirs := splitTables(string(out))
		if len(theirs) != 1 {
			t.Fatalf("%s: tshark printed %d tables", c.capture, len(theirs))
		}
		if ours := selectedText(t, file, c.filter, "io,phs"); ours != theirs[0] {
			t.Errorf("%s -Y %q: differs at %s", c.capture, c.filter, firstDiff(ours, theirs[0]))
		}
		if ours := selectedText(t, file, "", "io,phs,"+c.filter); ours != theirs[0] {
			t.Errorf("%s -z io,phs,%s: differs at %s", c.capture, c.filter, firstDiff(ours, theirs[0]))
		}
	}
}

// TestPHSAndIOStatJSON checks the JSON of both tables against their text's
// numbers on one capture.
func TestPHSAndIOStatJSON(t *testing.T) {
	file := filepath.Join("..", "..", "testdata", "dns.pcap")
	phs, _ := stats.New("io,phs", "")
	io, _ := stats.New("io,stat,1,udp,SUM(frame.len)frame.len", "")
	tables := []stats.Table{phs, io}
	stats.Prime(tables, "")
	if err := dissect(file, func(tr *decode.Tree) {
		for _, tb := range tables {
			tb.Add(tr)
		}
	}); err != nil {
		t.Fatal(err)
	}
	var p struct {
		Filter    string `json:"filter"`
		Protocols []struct {
			Protocol  string `json:"protocol"`
			Frames    uint64 `json:"frames"`
			Bytes     uint64 `json:"bytes"`
			Protocols []struct {
				Protocol string `json:"protocol"`
				Frames   uint64 `json:"frames"`
			} `json:"protocols"`
		} `json:"protocols"`
	}
	b, _ := json.Marshal(phs.JSON())
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	// The io,stat column's filter names frame.len: the frame is the root,
	// as in tshark's hierarchy beside such a column.
	if len(p.Protocols) != 1 || p.Protocols[0].Protocol != "frame" || p.Protocols[0].Frames != 104 || p.Protocols[0].Bytes != 11823 {
		t.Fatalf("io,phs JSON: %s", b)
	}
	if len(p.Protocols[0].Protocols) != 1 || p.Protocols[0].Protocols[0].Protocol != "eth" || p.Protocols[0].Protocols[0].Frames != 104 {
		t.Fatalf("io,phs JSON has not eth above the frame: %s", b)
	}
	var s struct {
		Duration  float64 `json:"duration"`
		Intervals int64   `json:"intervals"`
		Columns   []struct{ Spec, Calc string }
		Rows      []struct {
			Index  int64            `json:"index"`
			Values []map[string]any `json:"values"`
		} `json:"rows"`
	}
	b, _ = json.Marshal(io.JSON())
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	if s.Duration != 2.635004 || s.Intervals != 3 || len(s.Columns) != 2 || s.Columns[1].Calc != "SUM" || len(s.Rows) != 3 {
		t.Fatalf("io,stat JSON: %s", b)
	}
	var frames, sum float64
	for _, r := range s.Rows {
		frames += r.Values[0]["frames"].(float64)
		sum += r.Values[1]["sum"].(float64)
	}
	if frames != 46 || sum != 11823 {
		t.Errorf("io,stat JSON: %v udp frames (want 46, as the text), SUM(frame.len) %v (want 11823): %s", frames, sum, b)
	}
}
