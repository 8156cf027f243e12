package decode

import (
	"bytes"
	"encoding/binary"
	"runtime"
	"testing"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/flow"
	"github.com/sockscope/sockscope/decode/wire"
)

// followTCP builds a raw IPv4 TCP packet (LINKTYPE_IPV4) between 10.0.0.1
// port 40000 and 10.0.0.2 port 8080, from the first when out is set.
func followTCP(out bool, seq, ack uint32, flags byte, payload []byte) []byte {
	p := make([]byte, 40, 40+len(payload))
	p[0] = 0x45
	binary.BigEndian.PutUint16(p[2:], uint16(40+len(payload)))
	p[8], p[9] = 64, wire.ProtoTCP
	a, b := []byte{10, 0, 0, 1}, []byte{10, 0, 0, 2}
	pa, pb := uint16(40000), uint16(8080)
	if !out {
		a, b, pa, pb = b, a, pb, pa
	}
	copy(p[12:], a)
	copy(p[16:], b)
	binary.BigEndian.PutUint16(p[20:], pa)
	binary.BigEndian.PutUint16(p[22:], pb)
	binary.BigEndian.PutUint32(p[24:], seq)
	binary.BigEndian.PutUint32(p[28:], ack)
	p[32], p[33] = 5<<4, flags
	return append(p, payload...)
}

// TestFollowerTakenKeepsNoData: a reader that takes the chunks after each
// packet, as the follow command does, gets the whole stream back while
// the Follower's memory stays small: 140 MB of data through a Follower
// leave it well under 16 MB of heap.
func TestFollowerTakenKeepsNoData(t *testing.T) {
	const segs, size = 100_000, 1400
	f := NewFollower(flow.TCP, 0)
	at := time.Unix(1700000000, 0)
	add := func(p []byte) {
		at = at.Add(time.Microsecond)
		f.Add(p, gopacket.CaptureInfo{Timestamp: at, CaptureLength: len(p), Length: len(p)}, wire.LinkIPv4)
	}
	const syn, ack, psh = 0x02, 0x10, 0x08
	add(followTCP(true, 999, 0, syn, nil))
	add(followTCP(false, 4999, 1000, syn|ack, nil))
	add(followTCP(true, 1000, 5000, ack, nil))
	body := make([]byte, size)
	var got, want int
	var sum, wantSum uint64
	var peak uint64
	var ms runtime.MemStats
	seq := uint32(5000)
	for i := range segs {
		for j := range body {
			body[j] = byte(i + j)
		}
		add(followTCP(false, seq, 1000, ack|psh, body))
		seq += size
		if i%10 == 9 {
			add(followTCP(true, 1000, seq, ack, nil))
		}
		want += size
		for _, c := range body {
			wantSum = wantSum*31 + uint64(c)
		}
		for _, m := range f.Take() {
			if m.Dir != flow.FromServer {
				t.Fatalf("chunk %d from the first node; the data came from the second", i)
			}
			got += len(m.Data)
			for _, c := range m.Data {
				sum = sum*31 + uint64(c)
			}
		}
		if i%20_000 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
	}
	if got != want || sum != wantSum {
		t.Errorf("took %d bytes (sum %x), sent %d (sum %x)", got, sum, want, wantSum)
	}
	if peak > 16<<20 {
		t.Errorf("the heap held %d MB while %d MB went through", peak>>20, want>>20)
	}
	head := f.Head(flow.ASCII)
	var b bytes.Buffer
	w := flow.NewFollowWriter(&b, head)
	w.Chunks(f.Take())
	w.Close()
	if !bytes.Contains(b.Bytes(), []byte("Node 0: 10.0.0.1:40000\nNode 1: 10.0.0.2:8080\n")) {
		t.Errorf("header:\n%s", b.Bytes())
	}
	t.Logf("%d MB through, heap at most %.1f MB", want>>20, float64(peak)/(1<<20))
}
