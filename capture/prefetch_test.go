package capture

import (
	"bytes"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// prefetchPackets are packets of every size up to the largest a pcap may
// hold, enough of them to fill several prefetch chunks, so that records
// start, end and straddle every which way around chunk boundaries.
func prefetchPackets() []testPacket {
	rng := rand.New(rand.NewSource(7))
	start := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	var pkts []testPacket
	total := 0
	for i := 0; total < 5*prefetchChunk; i++ {
		n := 1 + rng.Intn(1600)
		switch i % 97 {
		case 13:
			n = maxSnaplen // the largest packet
		case 50:
			n = prefetchChunk/2 + rng.Intn(1000) // larger than Peek hands out: read, not peeked
		}
		data := make([]byte, n)
		rng.Read(data)
		pkts = append(pkts, testPacket{
			ci:   gopacket.CaptureInfo{Timestamp: start.Add(time.Duration(i) * time.Microsecond), CaptureLength: n, Length: n},
			data: data,
		})
		total += n + 16
	}
	return pkts
}

func readOpened(t *testing.T, path string) ([]testPacket, error) {
	t.Helper()
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var pkts []testPacket
	for {
		data, ci, err := r.Next()
		if err == io.EOF {
			return pkts, nil
		}
		if err != nil {
			return pkts, err
		}
		pkts = append(pkts, testPacket{ci: ci, data: bytes.Clone(data)})
	}
}

// TestPrefetchedFileReadsAsStream checks that a file read through Open
// (chunks read ahead in a goroutine) gives the packets and errors that the
// same bytes give through a bufio.Reader, whole and cut anywhere.
func TestPrefetchedFileReadsAsStream(t *testing.T) {
	pkts := prefetchPackets()
	// A link type that may hold packets longer than maxSnaplen.
	file := pcapFile(t, wire.LinkUSBPcap, 0, false, pkts)
	dir := t.TempDir()
	cuts := []int{len(file), len(file) - 1, prefetchChunk, prefetchChunk + 7, 3*prefetchChunk - 5, 24 + 16 + 3}
	for _, cut := range cuts {
		path := filepath.Join(dir, "f.pcap")
		if err := os.WriteFile(path, file[:cut], 0o644); err != nil {
			t.Fatal(err)
		}
		got, gotErr := readOpened(t, path)
		_, want, wantErr := readAll(t, file[:cut])
		if len(got) != len(want) || (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
			t.Fatalf("cut at %d: %d packets, %v; a stream gives %d, %v", cut, len(got), gotErr, len(want), wantErr)
		}
		for i := range got {
			if !bytes.Equal(got[i].data, want[i].data) || !got[i].ci.Timestamp.Equal(want[i].ci.Timestamp) {
				t.Fatalf("cut at %d: packet %d differs", cut, i+1)
			}
		}
	}
}

// TestPrefetchStopsWithClose checks that closing a reader half way stops
// its goroutine.
func TestPrefetchStopsWithClose(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.pcap")
	if err := os.WriteFile(path, pcapFile(t, wire.LinkUSBPcap, 0, false, prefetchPackets()), 0o644); err != nil {
		t.Fatal(err)
	}
	before := runtime.NumGoroutine()
	for range 20 {
		r, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		r.Next()
		r.Close()
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after closing 20 readers, %d before", n, before)
	}
}
