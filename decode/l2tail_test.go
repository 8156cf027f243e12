package decode

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sockscope/sockscope/decode/wire"
)

// l2tailCorpus are tcpdump's test captures of the link-layer protocols
// cfm.go, slow.go, cdp.go, dtp.go, vtp.go, ipx.go, smbmailslot.go,
// decnet.go, aoe.go, dvmrp.go and lmp.go read, each with the tcpdump flag sets
// whose lines decode gives as tcpdump does, and the layers of one of its
// packets as tshark's hierarchy was seen to name them.
var l2tailCorpus = []struct {
	file   string
	modes  [][]string
	packet int
	layers string
}{
	{"kday2.pcap", [][]string{{"-n"}, {"-n", "-e"}, {"-n", "-x"}}, 1, "eth cfm cfm.all.tlvs _ws.malformed"},
	{"cfm_sender_id-oobr.pcap", [][]string{{"-n"}, {"-n", "-e"}}, 1, "eth brdwlk _ws.short"},
	{"LACP.pcap", [][]string{{"-n"}, {"-n", "-e"}, {"-n", "-x"}}, 1, "eth slow lacp"},
	{"slow-ossp.pcap", [][]string{{"-n"}, {"-n", "-e"}, {"-n", "-x"}, {"-n", "-v"}}, 1, "eth slow ossp"},
	{"3560_CDP.pcap", [][]string{{"-n"}, {"-n", "-e"}, {"-n", "-x"}}, 1, "eth llc cdp"},
	{"DTP.pcap", [][]string{{"-n"}, {"-n", "-e"}}, 1, "eth llc dtp"},
	{"rpvstp-trunk-native-vid5.pcap", [][]string{{"-n"}, {"-n", "-e"}}, 12, "eth vlan llc vtp"},
	{"ipx.pcap", [][]string{{"-n"}, {"-n", "-e"}, {"-n", "-v"}}, 4, "eth llc ipx nbipx smb mailslot browser"},
	{"ipx-invalid-length.pcap", [][]string{{"-n"}, {"-n", "-e"}}, 1, "eth llc ipx _ws.malformed"},
	{"smb_print_trans-oobr1.pcap", [][]string{{"-n"}}, 4, "eth llc ipx nbipx"},
	{"DECnet_Phone.pcap", [][]string{{"-n"}, {"-n", "-e"}, {"-n", "-x"}}, 8, "eth dec_dna dec_dna.nsp.msg_type _ws.malformed"},
	{"decnet-shorthdr-oobr.pcap", [][]string{{"-n"}, {"-n", "-x"}}, 15, "eth dec_dna _ws.short"},
	{"AoE_Linux.pcap", [][]string{{"-n"}, {"-n", "-e"}}, 1, "eth aoe"},
	{"mrinfo_query.pcap", [][]string{{"-n"}, {"-n", "-v"}}, 1, "eth ip dvmrp"},
	{"lmpv1_busyloop.pcap", [][]string{{"-n"}, {"-n", "-e"}}, 1, "eth ip udp lmp"},
}

// TestLinkTailCorpusAsTcpdumpAndTshark checks the captures of
// l2tailCorpus: tcpdump's lines (when tcpdump is installed) and the layers
// tshark gives the packet named.
func TestLinkTailCorpusAsTcpdumpAndTshark(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "corpus", "tcpdump")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("tcpdump's corpus is not in ../shared/corpus/tcpdump")
	}
	for _, c := range l2tailCorpus {
		t.Run(c.file, func(t *testing.T) {
			path := filepath.Join(dir, c.file)
			capt, err := readTestCapture(path)
			if err != nil {
				t.Skipf("capture not available: %v", err)
			}
			if c.packet > len(capt.packets) {
				t.Fatalf("%d packets, want at least %d", len(capt.packets), c.packet)
			}
			pk := capt.packets[c.packet-1]
			var tree Tree
			tree.Dissect(pk.data, pk.ci, pk.link, c.packet)
			if got := layerNames(&tree); got != c.layers {
				t.Errorf("packet %d: layers %q, want %q", c.packet, got, c.layers)
			}
			if testing.Short() {
				return
			}
			needTcpdump(t)
			for _, m := range c.modes {
				compareWithTcpdump(t, path, capt.packets, m...)
			}
		})
	}
}

// TestLinkTailMadePackets checks frames made here against tcpdump: CFM's
// named opcodes, each slow protocol subtype whole and cut short, Cisco's
// SNAP protocols of odd sizes, DECnet's NSP messages and disconnect
// reasons, and AoE's flags.
func TestLinkTailMadePackets(t *testing.T) {
	eth := func(dst string, et uint16, pl []byte) []byte {
		f := joinWire(mustHex(dst), mustHex("001122334455"), wire16(et), pl)
		return f
	}
	snap := func(pid uint16, pl []byte) []byte {
		body := joinWire([]byte{0xaa, 0xaa, 3, 0, 0, 0x0c}, wire16(pid), pl)
		return joinWire(mustHex("01000ccccccc001122334455"), wire16(uint16(len(body))), body)
	}
	dn := func(nsp []byte) []byte {
		body := joinWire([]byte{2, 1, 4, 1, 4, 0}, nsp)
		return eth("aa0004000104", 0x6003, joinWire(binary.LittleEndian.AppendUint16(nil, uint16(len(body))), body))
	}
	var frames [][]byte
	for op := byte(1); op <= 6; op++ {
		frames = append(frames, eth("0180c2000030", 0x8902, joinWire([]byte{0x20, op, 0, 4}, make([]byte, 39))))
	}
	for _, st := range []byte{1, 2, 3, 4, 10} {
		frames = append(frames, eth("0180c2000002", 0x8809, joinWire([]byte{st, 1}, make([]byte, 50))))
	}
	frames = append(frames,
		snap(0x2004, []byte{1, 0, 1, 0, 8, 'L', 'a', 'b', 0}),
		snap(0x2003, joinWire([]byte{1, 3, 0, 3}, []byte("abc"), make([]byte, 40))),
		snap(0x2000, joinWire([]byte{2, 180, 0, 0, 0, 1, 0, 8}, []byte("abcd"), []byte{0, 6, 0, 6, 'x', 'y'})),
		eth("ffffffffffff", 0x88a2, joinWire([]byte{0x1e, 0, 0xff, 0xff, 0xff, 1, 0, 0, 0, 0}, make([]byte, 36))),
		eth("ffffffffffff", 0x88a2, joinWire([]byte{0x10}, make([]byte, 45))),
	)
	for _, r := range []uint16{0, 7, 21, 39, 42} {
		frames = append(frames, dn(joinWire([]byte{0x38, 3, 0x20, 4, 0x20}, binary.LittleEndian.AppendUint16(nil, r), []byte{0})))
	}
	for _, m := range []byte{0x00, 0x04, 0x10, 0x14, 0x24, 0x30, 0x68} {
		frames = append(frames, dn(joinWire([]byte{m, 3, 0x20, 4, 0x20}, []byte{0x01, 0x80, 0x02, 0xa0, 3, 0, 2, 1})))
	}
	frames = append(frames, dn([]byte{0x28, 3, 0x20, 4, 0x20, 0x09, 2, 100, 0, 0}))
	needTcpdump(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "l2tail.pcap")
	pkts := etherPackets(frames)
	writeTestPcap(t, path, wire.LinkEthernet, pkts)
	compareWithTcpdump(t, path, pkts, "-n")
	compareWithTcpdump(t, path, pkts, "-n", "-e")
}

func mustHex(s string) []byte {
	b := make([]byte, len(s)/2)
	for i := range b {
		b[i] = byte(strings.IndexByte(hexLower, s[2*i]))<<4 | byte(strings.IndexByte(hexLower, s[2*i+1]))
	}
	return b
}
