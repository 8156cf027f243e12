package flow

import "testing"

// BenchmarkTableMixed reads mixed.pcap's 2000 packets (pings, DNS, 64 KiB
// TCP transfers) into a table, listing conversations only, and following
// every one.
func BenchmarkTableMixed(b *testing.B) {
	pkts := readPackets(b, "mixed.pcap")
	var size int64
	for _, p := range pkts {
		size += int64(len(p.data))
	}
	for _, follow := range []struct {
		name string
		n    int
	}{{"list", 0}, {"follow-all", All}} {
		b.Run(follow.name, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				t := NewTable()
				if follow.n != 0 {
					t.Follow(follow.n)
				}
				for _, p := range pkts {
					t.Add(p.link, p.data, p.ci)
				}
				t.Conversations()
			}
		})
	}
}
