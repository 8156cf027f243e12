package compare

import (
	"bytes"
	"strings"
	"testing"
)

func TestTallySaysWhetherBoundariesWereKept(t *testing.T) {
	msgs := [][]byte{[]byte("A"), []byte("B"), []byte("C")}
	for _, tc := range []struct {
		name        string
		reads       []string
		kept, order bool
		lost        int
	}{
		{"merged stream", []string{"ABC"}, false, true, 0},
		{"partly merged", []string{"A", "BC"}, false, true, 0},
		{"short stream", []string{"AB"}, false, true, 1},
		{"datagrams", []string{"A", "B", "C"}, true, true, 0},
		{"one lost", []string{"A", "C"}, true, true, 1},
		{"reordered", []string{"B", "A", "C"}, true, false, 1},
	} {
		var reads [][]byte
		for _, r := range tc.reads {
			reads = append(reads, []byte(r))
		}
		var k KindReport
		k.tally(msgs, reads)
		if k.BoundariesKept != tc.kept || k.InOrder != tc.order || k.Lost != tc.lost {
			t.Errorf("%s: kept %v, in order %v, lost %d; want %v, %v, %d", tc.name, k.BoundariesKept, k.InOrder, k.Lost, tc.kept, tc.order, tc.lost)
		}
	}
}

func TestParseKindsTakesKindsAndSockets(t *testing.T) {
	got, err := ParseKinds("datagram,tcp,raw")
	if err != nil || strings.Join(got, ",") != "raw,tcp,udp,unix-dgram" {
		t.Errorf("got %v, %v", got, err)
	}
	if _, err := ParseKinds("tcp,quic"); err == nil {
		t.Error("quic: no error")
	}
}

func TestMessagesOfCountAndSize(t *testing.T) {
	m := Messages(28, 2)
	if len(m) != 28 || !bytes.Equal(m[0], []byte("AA")) || !bytes.Equal(m[27], []byte("BB")) {
		t.Errorf("got %q", m)
	}
}
