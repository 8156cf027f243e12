package parquet_test

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/gopacket"
	pq "github.com/parquet-go/parquet-go"

	"github.com/sockscope/sockscope/decode"
	"github.com/sockscope/sockscope/decode/parquet"
	"github.com/sockscope/sockscope/decode/wire"
)

// tftpReadLatin1 is a hand-made TFTP read request for the file
// "caf\xe9": a name in Latin-1, whose é is not UTF-8.
func tftpReadLatin1(t *testing.T) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join([]string{
		"029900000002", "029900000001", "0800", // Ethernet
		"4500", "002b", "0000", "4000", "40", "11", "0000", "0a990001", "0a990002", // IPv4, 43 bytes
		"d431", "0045", "0017", "0000", // UDP to port 69, 23 bytes
		"0001", "636166e900", "6f6374657400", // RRQ caf\xe9 octet
	}, ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestStringsThatAreNotUTF8BecomeReplacementCharacters: Parquet's STRING
// is UTF-8, and engines refuse a file whose strings are not.
func TestStringsThatAreNotUTF8BecomeReplacementCharacters(t *testing.T) {
	data := tftpReadLatin1(t)
	ci := gopacket.CaptureInfo{Timestamp: time.Unix(1795682175, 123456789), CaptureLength: len(data), Length: len(data)}
	var tree decode.Tree
	tree.Dissect(data, ci, wire.LinkEthernet, 1)
	id, _ := decode.Lookup("tftp.source_file")
	n := -1
	tree.Each(id, func(node int, _ uint64) bool { n = node; return false })
	if n < 0 {
		t.Fatal("the hand-made request has no tftp.source_file")
	}
	raw := tree.Bytes(n)
	if utf8.Valid(raw) {
		t.Fatalf("the tree's name %q is UTF-8 already: the test tests nothing", raw)
	}
	var want strings.Builder
	for _, r := range string(raw) {
		want.WriteRune(r)
	}

	var buf bytes.Buffer
	w, err := parquet.NewWriter(&buf, []string{"frame.time_epoch", "tftp.source_file", "udp.srcport"})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Print(data, ci, wire.LinkEthernet); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r := pq.NewReader(bytes.NewReader(buf.Bytes()))
	rows := make([]pq.Row, 2)
	k, _ := r.ReadRows(rows)
	if k != 1 {
		t.Fatalf("%d rows, want 1", k)
	}
	row := rows[0]
	if got := row[0].Int64(); got != ci.Timestamp.UnixNano() {
		t.Errorf("frame.time_epoch %d, want %d: nanoseconds kept", got, ci.Timestamp.UnixNano())
	}
	if got := row[1].String(); got != want.String() || !utf8.ValidString(got) {
		t.Errorf("tftp.source_file %q, want %q", got, want.String())
	}
	if got := row[2].Int32(); got != 0xd431 {
		t.Errorf("udp.srcport %d", got)
	}
}

// TestPrintAllocatesNothingPerPacket: rows are values in reused slices, the
// bytes of strings in one reused arena.
func TestPrintAllocatesNothingPerPacket(t *testing.T) {
	pkts := readCapture(t, "../../testdata/mixed.pcap")
	var sink bytes.Buffer
	w, err := parquet.NewWriter(&sink, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pkts { // warm: the tree, the batch, parquet-go's buffers
		if err := w.Print(p.data, p.ci, p.link); err != nil {
			t.Fatal(err)
		}
	}
	i := 0
	allocs := testing.AllocsPerRun(len(pkts), func() {
		p := pkts[i%len(pkts)]
		i++
		if err := w.Print(p.data, p.ci, p.link); err != nil {
			t.Fatal(err)
		}
	})
	// parquet-go allocates now and then when a page or a row group is cut.
	if allocs > 0.1 {
		t.Errorf("%.2f allocations a packet", allocs)
	}
}
