package decode

import (
	"encoding/binary"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// lldpTLV is one TLV of an LLDPDU.
func lldpTLV(typ uint16, v []byte) []byte {
	return append(binary.BigEndian.AppendUint16(nil, typ<<9|uint16(len(v))), v...)
}

// lldpFrame is an LLDPDU whose system name is name.
func lldpFrame(name string) []byte {
	return tunEth(0x88cc, tunCat(lldpTLV(1, []byte{4, 2, 0, 0, 0, 0, 1}), lldpTLV(2, []byte("\x05eth0")),
		lldpTLV(3, []byte{0, 0x78}), lldpTLV(5, []byte(name)), lldpTLV(0, nil)))
}

// TestLLDP checks the layers tshark was seen to give LLDP frames (one lldp
// layer; _ws.short when the capture cuts the TLVs, unless a first TLV out
// of order ended them before) and the line tcpdump prints without -v.
func TestLLDP(t *testing.T) {
	whole := lldpFrame("switch-1")
	bad := lldpFrame("switch-1")
	bad[14] = 0x30 // the first TLV of type 24, not the chassis ID
	pkts := []testPacket{
		{data: whole, link: wire.LinkEthernet, ci: gopacket.CaptureInfo{Timestamp: time.Unix(1700000000, 0), CaptureLength: len(whole), Length: len(whole)}},
		{data: whole[:30], link: wire.LinkEthernet, ci: gopacket.CaptureInfo{Timestamp: time.Unix(1700000001, 0), CaptureLength: 30, Length: len(whole)}},
		{data: bad[:30], link: wire.LinkEthernet, ci: gopacket.CaptureInfo{Timestamp: time.Unix(1700000002, 0), CaptureLength: 30, Length: len(whole)}},
	}
	var tree Tree
	for i, want := range []string{"eth lldp", "eth lldp _ws.short", "eth lldp"} {
		pk := pkts[i]
		tree.Dissect(pk.data, pk.ci, pk.link, i+1)
		if got := layerNames(&tree); got != want {
			t.Errorf("packet %d: layers %q, want %q", i+1, got, want)
		}
	}
	if got, want := tunLine(t, Options{}, whole), "LLDP, length 32: switch-1\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	needTcpdump(t)
	path := filepath.Join(t.TempDir(), "lldp.pcap")
	writeTestPcap(t, path, wire.LinkEthernet, pkts)
	for _, mode := range [][]string{{"-n"}, {"-n", "-e"}, {"-n", "-q"}} {
		compareWithTcpdump(t, path, pkts, mode...)
	}
}
