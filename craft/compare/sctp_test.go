package compare

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sockscope/sockscope/capture"
	"github.com/sockscope/sockscope/decode/wire"
)

// sctpCaptures are tcpdump's own test captures that hold SCTP (ForCES, ISUP
// over M3UA...): real associations with handshakes, SACKs, heartbeats and
// shutdowns. They are in ../shared/corpus, beside the project.
var sctpCaptures = []string{"forces1.pcap", "forces2.pcap", "forces3.pcap", "isup.pcap"}

func TestSCTPWireCountsAsTsharkDissectsIt(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		if os.Getenv("SOCKSCOPE_REQUIRE_PRIV") == "1" {
			t.Fatal("tshark is not installed (it is the oracle)")
		}
		t.Skip("tshark is not installed")
	}
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "tcpdump")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no corpus beside the project: %v", err)
	}
	for _, name := range sctpCaptures {
		path := filepath.Join(dir, name)
		frames, link := sctpFrames(t, path)
		got := WireOf(frames, link, false)
		// tshark: each SCTP packet's chunk types and lengths, and the
		// DATA chunks its TSN analysis calls retransmissions.
		out, err := exec.Command(tshark, "-r", path, "-o", "sctp.tsn_analysis:TRUE", "-Y", "sctp", "-T", "fields",
			"-E", "separator=;", "-e", "sctp.chunk_type", "-e", "sctp.chunk_length", "-e", "sctp.retransmission").Output()
		if err != nil {
			t.Fatalf("tshark %s: %v", name, err)
		}
		var want Wire
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		for _, line := range lines {
			f := strings.Split(line, ";")
			types, lens := strings.Split(f[0], ","), strings.Split(f[1], ",")
			setup, teardown, sacks, others := false, false, 0, 0
			for i, ty := range types {
				switch ty {
				case "0", "64":
					head := 16
					if ty == "64" {
						head = 20
					}
					want.PayloadBytes += atoi(t, lens[i]) - head
					others++
				case "1", "2", "10", "11":
					setup = true
				case "6", "7", "8", "14":
					teardown = true
				case "3":
					sacks++
				default:
					others++
				}
			}
			switch {
			case setup:
				want.Setup++
			case teardown:
				want.Teardown++
			case sacks > 0 && others == 0:
				want.Acks++
			}
			if f[2] != "" {
				want.Retransmissions += len(strings.Split(f[2], ","))
			}
		}
		if got.Packets != len(lines) || got.PayloadBytes != want.PayloadBytes || got.Setup != want.Setup ||
			got.Teardown != want.Teardown || got.Acks != want.Acks || got.Retransmissions != want.Retransmissions {
			t.Errorf("%s: packets %d, payload %d B, setup %d, teardown %d, acks %d, retransmissions %d; tshark: %d, %d B, %d, %d, %d, %d",
				name, got.Packets, got.PayloadBytes, got.Setup, got.Teardown, got.Acks, got.Retransmissions,
				len(lines), want.PayloadBytes, want.Setup, want.Teardown, want.Acks, want.Retransmissions)
		}
		t.Logf("%s: %d SCTP packets, %d payload bytes, setup %d, teardown %d, SACK-only %d, retransmissions %d",
			name, got.Packets, got.PayloadBytes, got.Setup, got.Teardown, got.Acks, got.Retransmissions)
	}
}

// sctpFrames reads the SCTP packets of a capture (those over IPv4 or IPv6
// directly after the link header).
func sctpFrames(t *testing.T, path string) ([]Frame, wire.LinkType) {
	t.Helper()
	r, err := capture.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var frames []Frame
	var link wire.LinkType
	for {
		data, ci, err := r.Next()
		if err == io.EOF {
			return frames, link
		}
		if err != nil {
			t.Fatal(err)
		}
		link = wire.LinkType(r.LinkType(ci.InterfaceIndex))
		if _, _, _, proto, _ := ipOf(data, link); proto == 132 {
			frames = append(frames, Frame{Data: bytes.Clone(data), CI: ci})
		}
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			t.Fatalf("not a number: %q", s)
		}
		n = n*10 + int(c-'0')
	}
	return n
}

func TestSCTPDataSentAgainIsARetransmission(t *testing.T) {
	// An IPv4 packet over Ethernet: SCTP common header, one DATA chunk
	// (TSN tsn, 3 bytes of data, padded to 4).
	packet := func(tsn byte) Frame {
		f := make([]byte, 14+20+12+20)
		f[12], f[13] = 0x08, 0x00
		ip := f[14:]
		ip[0], ip[3], ip[9] = 0x45, byte(len(ip)), 132
		copy(ip[12:], []byte{10, 0, 0, 1, 10, 0, 0, 2})
		sctp := ip[20:]
		sctp[1], sctp[3] = 1, 2 // ports 1 -> 2
		chunk := sctp[12:]
		chunk[3] = 19 // DATA, length 16 + 3
		chunk[7] = tsn
		copy(chunk[16:], "abc")
		return Frame{Data: f}
	}
	w := WireOf([]Frame{packet(1), packet(2), packet(2), packet(3), packet(1)}, wire.LinkEthernet, false)
	if w.Retransmissions != 2 || w.PayloadBytes != 15 || w.Packets != 5 {
		t.Errorf("TSNs 1, 2, 2, 3, 1: %d retransmissions, %d payload bytes in %d packets; want 2, 15, 5", w.Retransmissions, w.PayloadBytes, w.Packets)
	}
}

func TestSCTPLadderLabelsNameTheChunks(t *testing.T) {
	for _, c := range []struct {
		chunks []byte
		want   string
	}{
		{[]byte{10, 0, 0, 8, 1, 2, 3, 4, 0, 0, 0, 17, 0, 0, 0, 7, 0, 0, 0, 1, 0, 0, 0, 0, 'A', 0, 0, 0}, `COOKIE ECHO+DATA 1 B "A"`},
		{[]byte{3, 0, 0, 16, 0, 0, 0, 7, 0, 1, 0, 0, 0, 0, 0, 0}, "SACK"},
		{[]byte{14, 0, 0, 4}, "SHUTDOWN COMPLETE"},
		{[]byte{200, 0, 0, 4}, "chunk 200"},
		{[]byte{0, 0, 0, 99}, "sctp"}, // a chunk longer than the packet
	} {
		if got := sctpLabel(c.chunks); got != c.want {
			t.Errorf("chunks % x: %q, want %q", c.chunks, got, c.want)
		}
	}
}

// FuzzWireOf feeds strangers' frames to the wire counts and the ladder's
// labels, SCTP chunks among them: never a panic.
func FuzzWireOf(f *testing.F) {
	sctp := make([]byte, 14+20+12+20)
	sctp[12], sctp[14], sctp[14+9] = 0x08, 0x45, 132
	sctp[14+3] = byte(len(sctp) - 14)
	copy(sctp[14+32:], []byte{0, 0, 0, 17, 0, 0, 0, 1})
	f.Add(sctp)
	tcp := make([]byte, 14+20+20)
	tcp[12], tcp[14], tcp[14+9], tcp[14+3], tcp[14+20+12] = 0x08, 0x45, 6, 40, 0x50
	f.Add(tcp)
	f.Fuzz(func(t *testing.T, frame []byte) {
		frames := []Frame{{Data: frame}, {Data: frame}}
		WireOf(frames, wire.LinkEthernet, false)
		WireOf(frames, wire.LinkEthernet, true)
		if len(frame) > 14+20 {
			sctpLabel(frame[14+20:])
		}
	})
}
