package decode

import (
	"encoding/binary"
	"slices"
	"testing"

	"github.com/sockscope/sockscope/decode/wire"
)

// pimMessage is a PIMv2 message of type typ with a good checksum (over IPv4).
func pimMessage(typ byte, body ...byte) []byte {
	m := joinWire([]byte{0x20 | typ, 0, 0, 0}, body)
	binary.BigEndian.PutUint16(m[2:], wire.Fold(wire.Sum(0, m)))
	return m
}

// TestPIMItemsAreTsharks checks the items tshark was seen to give PIM
// messages: a bad checksum, a Hello option read past the message (it reads
// an option's fixed value whatever its length says), a Register's
// checksum over its first 8 bytes, and tcpdump's lines on the corpus.
func TestPIMItemsAreTsharks(t *testing.T) {
	bad := pimMessage(0, 0, 1, 0, 2, 0, 105)
	bad[2] ^= 0x80
	want := "PIM: Bad checksum [should be 0x" + string(appendHex4(nil, uint64(binary.BigEndian.Uint16(bad[2:])^0x8000))) + "]"
	reg := pimMessage(1, 0x40, 0, 0, 0)
	reg = append(reg, tunIPv4(17, []byte{0, 1, 0, 2, 0, 8, 0, 0})...)
	for _, c := range []struct {
		name, layers string
		msg          []byte
		items        []string
	}{
		{"hello", "eth ip pim", pimMessage(0, 0, 1, 0, 2, 0, 105), nil},
		{"bad checksum", "eth ip pim", bad, []string{want}},
		{"generation ID of length 0 at the end", "eth ip pim _ws.malformed", pimMessage(0, 0, 20, 0, 0),
			[]string{"PIM: Malformed Packet (Exception occurred)"}},
		{"register", "eth ip pim ip udp", reg, nil},
	} {
		tree := dissectEther(tunEth(0x0800, tunIPv4(103, c.msg)))
		if got := layerNames(tree); got != c.layers {
			t.Errorf("%s: layers %q, want %q", c.name, got, c.layers)
		}
		if got := expertMessages(tree); !slices.Equal(got, c.items) {
			t.Errorf("%s: items %q, want %q", c.name, got, c.items)
		}
	}
	corpusMatchesTcpdump(t, "PIM-DM_pruning.pcap", "PIM-SM_join_prune.pcap", "PIM_register_register-stop.pcap",
		"PIMv2_bootstrap.pcap", "PIMv2_hellos.pcap", "pim-packet-assortment.pcap")
}

// TestOSPFItemsAreTsharks checks the items tshark was seen to give OSPF
// packets: OSPFv3's reserved byte not 0, an unknown LS type, an LSA
// shorter than its header (tcpdump's ospf-signed-integer-ubsan.pcap).
func TestOSPFItemsAreTsharks(t *testing.T) {
	v3 := func(reserved byte, body ...byte) []byte {
		h := joinWire([]byte{3, 4}, wire16(uint16(16+len(body))), []byte{1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0, reserved}, body)
		return h
	}
	lsa := func(typ uint16, length uint16) []byte {
		return joinWire([]byte{0, 0}, wire16(typ), make([]byte, 14), wire16(length))
	}
	for _, c := range []struct {
		name, layers string
		msg          []byte
		items        []string
	}{
		{"update", "eth ip ospf", v3(0, joinWire(wire32(1), lsa(0x2001, 20))...), nil},
		{"reserved and unknown type of length 0", "eth ip ospf _ws.malformed", v3(0xfe, joinWire(wire32(1<<31), lsa(0xe0, 0))...),
			[]string{"OSPF: incorrect, should be 0", "OSPF: Unknown LSA Type 224", "OSPF: Malformed Packet (Exception occurred)"}},
	} {
		tree := dissectEther(tunEth(0x0800, tunIPv4(89, c.msg)))
		if got := layerNames(tree); got != c.layers {
			t.Errorf("%s: layers %q, want %q", c.name, got, c.layers)
		}
		if got := expertMessages(tree); !slices.Equal(got, c.items) {
			t.Errorf("%s: items %q, want %q", c.name, got, c.items)
		}
	}
}
