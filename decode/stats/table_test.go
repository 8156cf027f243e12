package stats

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/capture"
	"github.com/sockscope/sockscope/decode"
	"github.com/sockscope/sockscope/decode/wire"
)

// readTrees calls fn with the tree of each packet of a testdata capture,
// dissected as the stats command dissects it.
func readTrees(t testing.TB, name string, fn func(tree *decode.Tree)) {
	r, err := capture.Open(filepath.Join(testdataDir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	loop := capture.Loop{Check: decode.CheckLink}
	var tree decode.Tree
	tree.Reassemble = true
	_, err = loop.Run(r, func(data []byte, ci gopacket.CaptureInfo, link wire.LinkType) error {
		tree.Dissect(data, ci, link, loop.Read)
		tree.First, tree.Previous = loop.First, loop.Previous
		fn(&tree)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// allTables makes the ten conversation and endpoint tables.
func allTables(t testing.TB) []Table {
	var tables []Table
	for _, spec := range oracleSpecs {
		tab, err := New(spec, "")
		if err != nil {
			t.Fatal(err)
		}
		tables = append(tables, tab)
	}
	return tables
}

func TestCountingAKnownConversationAllocatesNothing(t *testing.T) {
	tables := allTables(t)
	readTrees(t, "mixed.pcap", func(tree *decode.Tree) {
		for _, tab := range tables {
			tab.Add(tree)
		}
		if tree.Number%50 != 0 {
			return
		}
		// The packet's conversations are known now: counting it again
		// must not allocate.
		allocs := testing.AllocsPerRun(10, func() {
			for _, tab := range tables {
				tab.Add(tree)
			}
		})
		if allocs != 0 {
			t.Fatalf("packet %d: %v allocations per packet once its conversations are known", tree.Number, allocs)
		}
	})
}

func TestSpecsNameATypeSockscopeCounts(t *testing.T) {
	for _, spec := range []string{"conv", "conv,sctp", "endpoints,wlan", "endpoints"} {
		if _, err := New(spec, ""); err == nil || !strings.Contains(err.Error(), "eth|ip|ipv6|tcp|udp") {
			t.Errorf("New(%q): %v, want an error that lists the types", spec, err)
		}
	}
}

func TestJSONHasTheTextTablesRowsAndWholeNumbers(t *testing.T) {
	conv, _ := New("conv,tcp", "tcp")
	ends, _ := New("endpoints,ip", "")
	readTrees(t, "mixed.pcap", func(tree *decode.Tree) {
		conv.Add(tree)
		ends.Add(tree)
	})
	b, err := json.Marshal(conv.JSON())
	if err != nil {
		t.Fatal(err)
	}
	var c ConvJSON
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	conv.WriteText(&text)
	rows := strings.Count(text.String(), "<->")
	if c.Type != "tcp" || c.Filter != "tcp" || len(c.Conversations) != rows || rows == 0 {
		t.Fatalf("JSON %s: want type tcp, filter tcp and the text's %d rows", b, rows)
	}
	first := c.Conversations[0]
	if first.APort == nil || first.Frames != first.FramesAToB+first.FramesBToA || first.Bytes != first.BytesAToB+first.BytesBToA {
		t.Errorf("first conversation %+v: want ports and totals that add up", first)
	}
	if !strings.Contains(text.String(), first.A+":") || first.Bytes < 10000 {
		t.Errorf("first conversation %+v does not start the text table:\n%s", first, text.String())
	}

	b, err = json.Marshal(ends.JSON())
	if err != nil {
		t.Fatal(err)
	}
	var e EndpointsJSON
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatal(err)
	}
	if len(e.Endpoints) == 0 || e.Endpoints[0].Port != nil || e.Endpoints[0].Packets != e.Endpoints[0].TxPackets+e.Endpoints[0].RxPackets {
		t.Errorf("endpoints JSON %s: want rows without ports whose packets add up", b)
	}
}

func TestSizesAreWrittenInTsharksUnits(t *testing.T) {
	for _, c := range []struct {
		n    uint64
		want string
	}{
		{0, "0 bytes"}, {9999, "9999 bytes"}, {10000, "10 kB"}, {10999, "10 kB"}, {1174729, "1174 kB"},
		{9999999, "9999 kB"}, {10000000, "10 MB"}, {18874368, "18 MB"}, {12345678901, "12 GB"}, {99999999999999, "99 TB"},
		{uint64(1<<64 - 884901888), "-884901888 bytes"},
	} {
		if got := string(appendSize(nil, c.n)); got != c.want {
			t.Errorf("appendSize(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}

// TestTablesAreTheSameWhenTheTreeWantsOnlyTheirFields counts each table
// that says what it reads twice, from whole trees and from trees told the
// tables' Want, and finds the same text.
func TestTablesAreTheSameWhenTheTreeWantsOnlyTheirFields(t *testing.T) {
	specs := append([]string{
		"io,stat,1", "io,stat,0,tcp.analysis.retransmission,COUNT(tcp.analysis.duplicate_ack)tcp.analysis.duplicate_ack",
		"io,stat,1,SUM(tcp.len)tcp.len,MAX(tcp.stream)tcp.stream,AVG(tcp.analysis.ack_rtt)tcp.analysis.ack_rtt",
		"io,stat,10,MAX(tcp.analysis.bytes_in_flight)tcp.analysis.bytes_in_flight,dns,MIN(frame.time_delta)",
		"conv,tcp,tcp.analysis.flags", "endpoints,ip,dns",
		"io,phs", "io,phs,udp.stream == 1", "io,phs,dns",
	}, oracleSpecs...)
	names, _ := filepath.Glob(filepath.Join(testdataDir, "*.pcap*"))
	for _, path := range names {
		name := filepath.Base(path)
		for _, spec := range specs {
			whole, err := tablesWanting(path, spec, false)
			if errors.Is(err, errLinkType) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			wanted, err := tablesWanting(path, spec, true)
			if err != nil {
				t.Fatal(err)
			}
			if wanted != whole {
				t.Errorf("%s -z %s: a tree that wants the table's fields gives\n%s\na whole one\n%s", name, spec, wanted, whole)
			}
		}
	}
	if w := Want([]Table{mustTable(t, "io,phs"), mustTable(t, "expert")}); w != nil {
		t.Errorf("the expert summary reads every field, yet io,phs and expert want %+v", *w)
	}
}

func mustTable(t *testing.T, spec string) Table {
	t.Helper()
	tab, err := New(spec, "")
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// tablesWanting is the text of spec's table after the packets of path, primed
// as in a run of its own, dissected by a tree told the table's Want (want)
// or whole.
func tablesWanting(path, spec string, want bool) (string, error) {
	tab, err := New(spec, "")
	if err != nil {
		return "", err
	}
	Prime([]Table{tab}, "")
	r, err := capture.Open(path)
	if err != nil {
		return "", err
	}
	defer r.Close()
	loop := capture.Loop{Check: decode.CheckLink}
	var tree decode.Tree
	tree.Reassemble = true
	if want {
		tree.Want = Want([]Table{tab})
		if tree.Want == nil {
			return "", fmt.Errorf("-z %s wants every field", spec)
		}
	}
	_, err = loop.Run(r, func(data []byte, ci gopacket.CaptureInfo, link wire.LinkType) error {
		tree.Dissect(data, ci, link, loop.Read)
		tree.First, tree.Previous = loop.First, loop.Previous
		tab.Add(&tree)
		return nil
	})
	var b strings.Builder
	tab.WriteText(&b)
	return b.String(), err
}

func TestIPv6AddressesAreWrittenAsTsharkWritesThem(t *testing.T) {
	// The forms tshark 4.0 wrote for these addresses in a conversation table.
	for _, c := range []struct{ in, want string }{
		{"::ffff:10.0.0.1", "::ffff:10.0.0.1"}, {"::10.0.0.2", "::10.0.0.2"}, {"::0.0.1.0", "::100"},
		{"::1", "::1"}, {"::", "::"}, {"::ffff:0:0", "::ffff:0.0.0.0"}, {"64:ff9b::1.2.3.4", "64:ff9b::102:304"},
		{"1:0:0:1:0:0:0:1", "1:0:0:1::1"}, {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"}, {"1:2:3:4:5:6:7:0", "1:2:3:4:5:6:7:0"},
	} {
		if got := string(appendIPv6(nil, netip.MustParseAddr(c.in).As16())); got != c.want {
			t.Errorf("%s is written %q, want %q", c.in, got, c.want)
		}
	}
}
