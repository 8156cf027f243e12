package decode

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// TestMSNLB checks an MS NLB heartbeat whole and cut short: the layers
// tshark was seen to give (msnlb, and _ws.short when cut), the line tcpdump
// prints, and tcpdump's lines in every oracle mode and -x.
func TestMSNLB(t *testing.T) {
	hb := tunCat([]byte{0xbf, 0x01, 0xde, 0xc0, 0x06, 0x02, 0, 0, 2, 0, 0, 0, 192, 168, 100, 80, 192, 168, 100, 82}, make([]byte, 40))
	whole := tunEth(0x886f, hb)
	pkts := []testPacket{
		{data: whole, link: wire.LinkEthernet, ci: gopacket.CaptureInfo{Timestamp: time.Unix(1700000000, 0), CaptureLength: len(whole), Length: len(whole)}},
		{data: whole[:20], link: wire.LinkEthernet, ci: gopacket.CaptureInfo{Timestamp: time.Unix(1700000001, 0), CaptureLength: 20, Length: len(whole)}},
	}
	var tree Tree
	for i, want := range []string{"eth msnlb", "eth msnlb _ws.short"} {
		pk := pkts[i]
		tree.Dissect(pk.data, pk.ci, pk.link, i+1)
		if got := layerNames(&tree); got != want {
			t.Errorf("packet %d: layers %q, want %q", i+1, got, want)
		}
	}
	if got, want := tunLine(t, Options{}, whole), "MS NLB heartbeat, host priority: 2, cluster IP: 192.168.100.80, host IP: 192.168.100.82\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	needTcpdump(t)
	path := filepath.Join(t.TempDir(), "msnlb.pcap")
	writeTestPcap(t, path, wire.LinkEthernet, pkts)
	for _, mode := range append(oracleModes, []string{"-n", "-x"}) {
		compareWithTcpdump(t, path, pkts, mode...)
	}
}
