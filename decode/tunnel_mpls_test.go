package decode

// Tests of MPLS (mpls.go), WCCP in GRE (gre.go) and MACsec's short length
// (macsec.go): the lines against what the installed tcpdump prints for the
// same frames, the layers against what tshark 4.0 was seen to list for
// them (-z io,phs).

import (
	"encoding/binary"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// mplsEntry is one label stack entry.
func mplsEntry(label, tc uint32, bottom bool, ttl uint32) []byte {
	e := label<<12 | tc<<9 | ttl
	if bottom {
		e |= 0x100
	}
	return binary.BigEndian.AppendUint32(nil, e)
}

// wccpRedirect is a WCCP redirect header: dynamic service, valid bit set,
// service 89, primary bucket 72.
var wccpRedirect = []byte{0x05, 89, 0, 72}

// tunnelLayerFrames are frames and the layers tshark was seen to give them.
var tunnelLayerFrames = []struct {
	name   string
	frame  []byte
	cut    int // bytes captured, 0 for all
	layers string
}{
	{"MPLS", tunEth(0x8847, tunCat(mplsEntry(21, 0, true, 63), tunICMP)), 0, "eth mpls ip icmp"},
	{"MPLS stack", tunEth(0x8847, tunCat(mplsEntry(100, 1, false, 64), mplsEntry(200, 2, false, 63), mplsEntry(300, 3, true, 62), tunICMP)), 0,
		"eth mpls mpls mpls ip icmp"},
	{"MPLS multicast, router alert", tunEth(0x8848, tunCat(mplsEntry(1, 0, false, 64), mplsEntry(100, 0, true, 64), tunICMP)), 0, "eth mpls mpls ip icmp"},
	{"MPLS over UDP", tunEth(0x0800, tunIPv4(17, tunUDP(6635, tunCat(mplsEntry(46, 0, true, 63), tunICMP)))), 0, "eth ip udp mpls ip icmp"},
	{"MPLS in GRE", tunEth(0x0800, tunIPv4(47, tunCat([]byte{0, 0, 0x88, 0x47}, mplsEntry(16, 0, true, 64), tunICMP))), 0, "eth ip gre mpls ip icmp"},
	{"MPLS bottom, nothing after", tunEth(0x8847, mplsEntry(100, 0, true, 64)), 0, "eth mpls _ws.malformed"},
	{"MPLS entry cut by the packet", tunEth(0x8847, tunCat(mplsEntry(100, 0, false, 64), []byte{0, 0x5})), 0, "eth mpls _ws.malformed"},
	{"MPLS payload not captured", tunEth(0x8847, tunCat(mplsEntry(100, 0, false, 48), mplsEntry(101, 5, true, 48), tunICMP)), 22, "eth mpls mpls _ws.short"},
	{"MPLS other payload", tunEth(0x8847, tunCat(mplsEntry(100, 0, true, 64), []byte{0x55, 0, 0, 0})), 0, "eth mpls data"},
	{"WCCP redirect", tunEth(0x0800, tunIPv4(47, tunCat([]byte{0, 0, 0x88, 0x3e}, wccpRedirect, tunICMP))), 0, "eth ip gre ip icmp"},
	{"WCCP, no redirect header", tunEth(0x0800, tunIPv4(47, tunCat([]byte{0, 0, 0x88, 0x3e}, tunICMP))), 0, "eth ip gre ip icmp"},
	// A SecTAG with SC (14 bytes), short length 36: the payload and its
	// ICV are cut by the capture, tcpdump prints "[|macsec]", tshark the
	// packet inside once more than an ICV's bytes follow the SecTAG.
	{"MACsec short length, cut", tunEth(0x88e5, tunCat([]byte{0x20, 36, 0, 0, 0, 1, 2, 0, 0, 0, 0, 1, 0, 1}, []byte{8, 0}, tunICMP, make([]byte, 16))), 14 + 14 + 36 + 4,
		"eth macsec ip icmp"},
}

// layerNames lists a tree's layers after the frame, as io,phs names them:
// a Truncated or Malformed layer adds _ws.short or _ws.malformed.
func layerNames(t *Tree) string {
	var names []string
	for _, l := range t.Layers[1:] {
		n := t.Nodes[l]
		names = append(names, n.Field.Name())
		switch {
		case n.Flags&Malformed != 0:
			names = append(names, "_ws.malformed")
		case n.Flags&Truncated != 0:
			names = append(names, "_ws.short")
		}
	}
	return strings.Join(names, " ")
}

func tunnelLayerPackets() []testPacket {
	var pkts []testPacket
	for i, tc := range tunnelLayerFrames {
		data := tc.frame
		if tc.cut > 0 {
			data = data[:tc.cut]
		}
		pkts = append(pkts, testPacket{data: data, link: wire.LinkEthernet, ci: gopacket.CaptureInfo{
			Timestamp: time.Unix(1700000000, int64(i)*1000), CaptureLength: len(data), Length: len(tc.frame)}})
	}
	return pkts
}

// TestTunnelLayersAsTshark checks the layers of MPLS, WCCP and MACsec
// frames against those tshark was seen to list for the same bytes.
func TestTunnelLayersAsTshark(t *testing.T) {
	var tree Tree
	for i, pk := range tunnelLayerPackets() {
		tc := tunnelLayerFrames[i]
		tree.Dissect(pk.data, pk.ci, pk.link, i+1)
		if got := layerNames(&tree); got != tc.layers {
			t.Errorf("%s: layers %q, want %q", tc.name, got, tc.layers)
		}
	}
}

// TestTunnelLinesAsTcpdump prints the same frames and compares the lines
// with the installed tcpdump's in every oracle mode (and -x, where a cut
// stack dumps the frame from its first byte).
func TestTunnelLinesAsTcpdump(t *testing.T) {
	needTcpdump(t)
	path := filepath.Join(t.TempDir(), "tunnels.pcap")
	pkts := tunnelLayerPackets()
	writeTestPcap(t, path, wire.LinkEthernet, pkts)
	for _, mode := range append(oracleModes, []string{"-n", "-x"}, []string{"-n", "-v", "-e"}) {
		compareWithTcpdump(t, path, pkts, mode...)
	}
}

// TestMPLSLines pins tcpdump's forms that the oracle test above compares
// only where tcpdump is installed.
func TestMPLSLines(t *testing.T) {
	for _, tc := range []struct {
		opt   Options
		frame []byte
		want  string
	}{
		{Options{}, tunEth(0x8847, tunCat(mplsEntry(21, 0, true, 63), tunICMP)),
			"MPLS (label 21, tc 0, [S], ttl 63) IP 192.168.0.1 > 192.168.0.2: ICMP echo request, id 0, seq 0, length 8\n"},
		{Options{Verbose: 1}, tunEth(0x8847, tunCat(mplsEntry(1, 0, false, 64), mplsEntry(7, 2, true, 63), tunICMP)),
			"MPLS (label 1 (router alert), tc 0, ttl 64)\n\t(label 7 (rsvd), tc 2, [S], ttl 63)\n\t" +
				"IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto ICMP (1), length 28)\n    192.168.0.1 > 192.168.0.2: ICMP echo request, id 0, seq 0, length 8\n"},
		{Options{}, tunEth(0x8847, tunCat(mplsEntry(100, 0, false, 64), []byte{0, 5})),
			"MPLS (label 100, tc 0, ttl 64) (invalid)\n"},
		{Options{}, tunEth(0x0800, tunIPv4(17, tunUDP(6635, tunCat(mplsEntry(46, 0, true, 63), tunICMP)))),
			"IP 10.0.0.1.1000 > 10.0.0.2.6635: MPLS (label 46, tc 0, [S], ttl 63) IP 192.168.0.1 > 192.168.0.2: ICMP echo request, id 0, seq 0, length 8\n"},
		{Options{}, tunEth(0x0800, tunIPv4(47, tunCat([]byte{0, 0, 0x88, 0x3e}, wccpRedirect, tunICMP))),
			"IP 10.0.0.1 > 10.0.0.2: GREv0, length 36: gre-proto-0x883e\n"},
	} {
		if got := tunLine(t, tc.opt, tc.frame); got != tc.want {
			t.Errorf("%+v:\n got %q\nwant %q", tc.opt, got, tc.want)
		}
	}
}
