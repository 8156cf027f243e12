package craft

import (
	"bytes"
	"encoding/binary"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/sockscope/sockscope/craft/spec"
)

// TestHeaderPacketOfTheSpecsOwnPayloadIsPacket: the spec's payload given
// again, from the stream's start, makes the spec's own packet.
func TestHeaderPacketOfTheSpecsOwnPayloadIsPacket(t *testing.T) {
	for _, text := range []string{
		`ip(dst=10.0.0.2)/tcp(dport=80,flags=PA,options=[nop,nop,ts=1:2])/"hello\n"`,
		`ip(dst=10.0.0.2)/udp(dport=9)/"hello\n"`,
		`ip(dst=10.0.0.2)/icmp/"hello\n"`,
		`ip6(dst=fd00::2)/hbh/udp(dport=9)/"hello\n"`,
		`ether(dst=02:00:00:00:00:02,src=02:00:00:00:00:01)/ip(dst=10.0.0.2)/udp/"hello\n"`,
	} {
		b := build(t, text)
		for _, i := range []int{0, 3} {
			got, err := b.HeaderPacket(i, []byte("hello\n"), 0)
			if err != nil || !bytes.Equal(got, b.Packet(i)) {
				t.Errorf("%s: packet %d under --header differs from Packet(%d) (%v)", text, i, i, err)
			}
		}
	}
}

func TestHeaderPacketCountsTCPSeqByTheBytesSent(t *testing.T) {
	b := build(t, `ip(dst=10.0.0.2)/tcp(dport=80,seq=1000,flags=PA)`)
	first, _ := b.HeaderPacket(0, []byte("hello\n"), 0)
	second, err := b.HeaderPacket(1, []byte("world!\n"), 6)
	if err != nil {
		t.Fatal(err)
	}
	if seq := binary.BigEndian.Uint32(second[24:]); seq != 1006 {
		t.Errorf("second packet's seq %d, want 1006", seq)
	}
	if n := binary.BigEndian.Uint16(second[2:]); n != 20+20+7 {
		t.Errorf("second packet's ip len %d, want 47", n)
	}
	if id0, id1 := binary.BigEndian.Uint16(first[4:]), binary.BigEndian.Uint16(second[4:]); id1 != id0+1 {
		t.Errorf("ip ids %d then %d, want them counting", id0, id1)
	}
	if c := onesSum(pseudo4(second, 6, 27), second[20:]); c != 0xffff {
		t.Errorf("second packet's tcp checksum is wrong (sum %#x)", c)
	}
	if seq := binary.BigEndian.Uint32(b.Packet(0)[24:]); seq != 1000 {
		t.Errorf("the builder's own packet moved: seq %d", seq)
	}
}

func TestChunksCutsLinesOrBytes(t *testing.T) {
	read := func(next func() ([]byte, error)) []string {
		var out []string
		for {
			p, err := next()
			if err == io.EOF {
				return out
			}
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, string(p))
		}
	}
	if got := read(Chunks(strings.NewReader("a\n\nbc\nd"), 0)); !slices.Equal(got, []string{"a\n", "\n", "bc\n", "d"}) {
		t.Errorf("lines: %q", got)
	}
	if got := read(Chunks(strings.NewReader("abcdefg"), 3)); !slices.Equal(got, []string{"abc", "def", "g"}) {
		t.Errorf("chunks of 3: %q", got)
	}
	if got := read(Chunks(strings.NewReader(""), 0)); got != nil {
		t.Errorf("nothing: %q", got)
	}
}

// TestChunksRefusesALineNoPacketHolds: a stream with no newline is not read
// into memory whole; a line past spec.MaxPayload is an error, one at it is not.
func TestChunksRefusesALineNoPacketHolds(t *testing.T) {
	next := Chunks(strings.NewReader(strings.Repeat("a", spec.MaxPayload-1)+"\n"+strings.Repeat("b", 1<<20)), 0)
	if p, err := next(); err != nil || len(p) != spec.MaxPayload {
		t.Fatalf("a line of %d bytes: %d bytes, %v", spec.MaxPayload, len(p), err)
	}
	if p, err := next(); err == nil || !strings.Contains(err.Error(), "longer than 65535 bytes") {
		t.Errorf("a line of 1 MiB: %d bytes, %v", len(p), err)
	}
}
