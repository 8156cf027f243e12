package decode

import (
	"encoding/binary"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// udldFrame is an 802.3 frame carrying a UDLD PDU under LLC/SNAP.
func udldFrame(pdu []byte) []byte {
	llc := tunCat([]byte{0xaa, 0xaa, 3, 0, 0, 0x0c, 0x01, 0x11}, pdu)
	f := tunEth(0, llc)
	binary.BigEndian.PutUint16(f[12:], uint16(len(llc)))
	return f
}

// TestUDLD checks UDLD whole and cut short: the layers tshark was seen to
// give a whole one, the line tcpdump prints, and tcpdump's lines without
// -v (with it tcpdump prints the TLVs, which decode does not read).
func TestUDLD(t *testing.T) {
	whole := udldFrame(tunCat([]byte{0x21, 0x03, 0x6d, 0x85}, []byte{0, 1, 0, 6, 'a', 'b'}))
	pkts := []testPacket{
		{data: whole, link: wire.LinkEthernet, ci: gopacket.CaptureInfo{Timestamp: time.Unix(1700000000, 0), CaptureLength: len(whole), Length: len(whole)}},
		{data: whole[:24], link: wire.LinkEthernet, ci: gopacket.CaptureInfo{Timestamp: time.Unix(1700000001, 0), CaptureLength: 24, Length: len(whole)}},
	}
	var tree Tree
	tree.Dissect(pkts[0].data, pkts[0].ci, pkts[0].link, 1)
	if got, want := layerNames(&tree), "eth llc udld"; got != want {
		t.Errorf("layers %q, want %q", got, want)
	}
	if got, want := tunLine(t, Options{}, whole), "UDLDv1, Code Probe message (1), Flags [RT, RSY] (0x03), length 10\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	needTcpdump(t)
	path := filepath.Join(t.TempDir(), "udld.pcap")
	writeTestPcap(t, path, wire.LinkEthernet, pkts)
	for _, mode := range [][]string{{"-n"}, {"-n", "-e"}, {"-n", "-q"}, {"-n", "-x"}} {
		compareWithTcpdump(t, path, pkts, mode...)
	}
}
