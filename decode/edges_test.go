package decode

import (
	"bytes"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/sockscope/sockscope/decode/wire"
)

// aarpFrames are AppleTalk ARP frames of each form: the three functions of
// the Ethernet/AppleTalk form, an unknown function, an IPv4 protocol type,
// a Token Ring hardware type, a 2-byte hardware address, padding after the
// addresses, and headers cut before their addresses or their 28 bytes.
func aarpFrames() [][]byte {
	src := []byte{0x08, 0x00, 0x07, 0x11, 0x22, 0x33}
	eth := func(p []byte) []byte {
		return joinWire([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, src, wire16(0x80f3), p)
	}
	at := func(net uint16, node byte) []byte { return joinWire([]byte{0}, wire16(net), []byte{node}) }
	hdr := func(ht, pt uint16, hs, ps byte, op uint16) []byte {
		return joinWire(wire16(ht), wire16(pt), []byte{hs, ps}, wire16(op))
	}
	zero6 := make([]byte, 6)
	return [][]byte{
		eth(joinWire(hdr(1, 0x809b, 6, 4, 1), src, at(65280, 42), zero6, at(65280, 7))),
		eth(joinWire(hdr(1, 0x809b, 6, 4, 2), src, at(65280, 42), []byte{8, 0, 7, 0x44, 0x55, 0x66}, at(65280, 7))),
		eth(joinWire(hdr(1, 0x809b, 6, 4, 3), src, at(100, 5), zero6, at(200, 6))),
		eth(joinWire(hdr(1, 0x809b, 6, 4, 9), src, at(100, 5), zero6, at(100, 5))),
		eth(joinWire(hdr(1, 0x0800, 6, 4, 1), src, at(100, 5), zero6, at(100, 5))),
		eth(joinWire(hdr(2, 0x809b, 6, 4, 1), src, at(100, 5), zero6, at(200, 6), make([]byte, 5))),
		eth(joinWire(hdr(1, 0x809b, 2, 4, 1), make([]byte, 12))),
		eth(joinWire(hdr(1, 0x809b, 6, 4, 2), src, at(1, 2), zero6, at(3, 4), make([]byte, 10))),
		eth(joinWire(hdr(1, 0x809b, 6, 4, 2), make([]byte, 11))),
		eth(joinWire(hdr(1, 0x809b, 200, 4, 2), make([]byte, 19))),
		eth(hdr(1, 0x809b, 6, 4, 0)[:6]),
	}
}

// TestAARPIsTcpdumpsAndTsharks: tcpdump's lines in every oracle mode, and
// tshark's fields (frame.protocols among them), for each form of AARP.
func TestAARPIsTcpdumpsAndTsharks(t *testing.T) {
	frames := aarpFrames()
	matchTcpdump(t, frames)
	needTshark(t)
	path := filepath.Join(t.TempDir(), "aarp.pcap")
	writeTestPcap(t, path, wire.LinkEthernet, etherPackets(frames))
	names := []string{"frame.protocols", "aarp.hard.type", "aarp.proto.type", "aarp.hard.size", "aarp.proto.size",
		"aarp.opcode", "aarp.src.hw", "aarp.src.hw_mac", "aarp.src.proto", "aarp.src.proto_id",
		"aarp.dst.hw", "aarp.dst.hw_mac", "aarp.dst.proto", "aarp.dst.proto_id"}
	if got, want := fieldsOutput(t, path, names, FieldsOptions{}), tsharkFields(t, path, names); got != want {
		t.Errorf("fields differ:\nsockscope:\n%s\ntshark:\n%s", got, want)
	}
}

// TestRawIPIsTcpdumpsAndTsharks: raw IP packets (link type 101) shorter
// than the 8 bytes tshark's raw dissector reads, cut or whole, of unknown
// versions, starting as PPP in HDLC-like framing, and an IPv4 header with
// nothing after it: tcpdump's lines, and tshark's frame.protocols.
func TestRawIPIsTcpdumpsAndTsharks(t *testing.T) {
	needTcpdump(t)
	var pkts []testPacket
	for i, p := range []struct {
		data []byte
		len  int
	}{
		{[]byte{0x30}, 1}, {[]byte{0x30, 0}, 2}, {[]byte{0x30, 0, 0}, 3}, {append([]byte{0x30}, make([]byte, 6)...), 7},
		{append([]byte{0x30}, make([]byte, 7)...), 8}, {[]byte{0x30}, 100}, {[]byte{0x45, 0}, 2}, {[]byte{0x60, 0, 0}, 3},
		{[]byte{0xff, 0x03, 0}, 3}, {append([]byte{0xff, 0x03, 0x00, 0x21, 0x45}, make([]byte, 19)...), 24},
		{append([]byte{0x45}, make([]byte, 19)...), 20}, {append([]byte{0x50}, make([]byte, 30)...), 31},
	} {
		pkts = append(pkts, testPacket{data: p.data, link: wire.LinkRaw, ci: gopacket.CaptureInfo{
			Timestamp: time.Unix(1700000000, int64(i)*1000), CaptureLength: len(p.data), Length: p.len}})
	}
	path := filepath.Join(t.TempDir(), "raw.pcap")
	writeTestPcap(t, path, wire.LinkRaw, pkts)
	for _, mode := range [][]string{{"-n"}, {"-n", "-v"}} {
		compareWithTcpdump(t, path, pkts, mode...)
	}
	needTshark(t)
	names := []string{"frame.protocols", "ppp.protocol", "ip.len"}
	if got, want := fieldsOutput(t, path, names, FieldsOptions{}), tsharkFields(t, path, names); got != want {
		t.Errorf("fields differ:\nsockscope:\n%s\ntshark:\n%s", got, want)
	}
}

// TestBOOTPWithoutCookieIsTcpdumpsAndTsharks: a BOOTP message whose options
// do not start with DHCP's magic cookie has RFC 951's 64-byte vendor field,
// which tshark reads whole (an exception when it is shorter) and follows
// with options; tcpdump prints the vendor field's first word, and no xid
// when it is 0.
func TestBOOTPWithoutCookieIsTcpdumpsAndTsharks(t *testing.T) {
	boot := make([]byte, 236)
	boot[0], boot[1], boot[2] = 1, 1, 6
	ones := func(n int) []byte { return bytes.Repeat([]byte{1}, n) }
	var frames [][]byte
	for _, tail := range [][]byte{ones(46), ones(64), joinWire(ones(64), []byte{53, 1, 1, 255}), ones(3), nil} {
		frames = append(frames, udpFrame(false, 68, 67, joinWire(boot, tail)))
	}
	matchTcpdump(t, frames)
	needTshark(t)
	path := filepath.Join(t.TempDir(), "bootp.pcap")
	writeTestPcap(t, path, wire.LinkEthernet, etherPackets(frames))
	names := []string{"frame.protocols", "dhcp.vendor_specific_options", "dhcp.option.type", "dhcp.option.dhcp"}
	if got, want := fieldsOutput(t, path, names, FieldsOptions{}), tsharkFields(t, path, names); got != want {
		t.Errorf("fields differ:\nsockscope:\n%s\ntshark:\n%s", got, want)
	}
}
