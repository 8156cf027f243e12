package stats_test

import (
	"path/filepath"
	"testing"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/capture"
	"github.com/sockscope/sockscope/decode"
	"github.com/sockscope/sockscope/decode/stats"
	"github.com/sockscope/sockscope/decode/wire"
)

// benchTrees are mixed.pcap's packets, each dissected into a tree of its
// own, so that a benchmark times the tables and not the dissection.
func benchTrees(b *testing.B) []*decode.Tree {
	r, err := capture.Open(filepath.Join("..", "..", "testdata", "mixed.pcap"))
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	loop := capture.Loop{Check: decode.CheckLink}
	var trees []*decode.Tree
	if _, err := loop.Run(r, func(data []byte, ci gopacket.CaptureInfo, link wire.LinkType) error {
		t := &decode.Tree{}
		t.Dissect(append([]byte(nil), data...), ci, link, loop.Read)
		t.First, t.Previous = loop.First, loop.Previous
		trees = append(trees, t)
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	return trees
}

// benchAdd times Add per packet of the table of spec.
func benchAdd(b *testing.B, spec string) {
	trees := benchTrees(b)
	tab, err := stats.New(spec, "")
	if err != nil {
		b.Fatal(err)
	}
	stats.Prime([]stats.Table{tab}, "")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tab.Add(trees[i%len(trees)])
	}
}

func BenchmarkHierarchyAdd(b *testing.B) { benchAdd(b, "io,phs") }
func BenchmarkIOStatAdd(b *testing.B)    { benchAdd(b, "io,stat,1") }
func BenchmarkIOStatAddColumns(b *testing.B) {
	benchAdd(b, "io,stat,0.1,tcp,SUM(frame.len)frame.len,MAX(ip.ttl)ip.ttl")
}
