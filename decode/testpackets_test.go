package decode

// Numbers from the protocols' registries, for the tests' hand-made packets,
// whose checksums decode/wire computes. They are the tests' own (prefixed
// wire and test) so that the tests do not lean on decode's internals.

import (
	"bytes"
	"encoding/binary"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// EtherTypes (IEEE 802 numbers).
const (
	testEtherIPv4 = 0x0800
	testEtherIPv6 = 0x86dd
)

// IP protocol numbers (IANA "Assigned Internet Protocol Numbers").
const (
	wireProtoHopOpts  = 0
	wireProtoICMP     = 1
	wireProtoIGMP     = 2
	wireProtoIPv4     = 4
	wireProtoTCP      = 6
	wireProtoUDP      = 17
	wireProtoIPv6     = 41
	wireProtoRouting  = 43
	wireProtoFragment = 44
	wireProtoGRE      = 47
	wireProtoESP      = 50
	wireProtoAH       = 51
	wireProtoICMPv6   = 58
	wireProtoNone     = 59
	wireProtoDstOpts  = 60
	wireProtoVRRP     = 112
	wireProtoSCTP     = 132
	wireProtoMobility = 135
	wireProtoEthernet = 143
)

// TCP header flag bits (RFC 9293).
const (
	wireTCPFin = 0x01
	wireTCPSyn = 0x02
	wireTCPRst = 0x04
	wireTCPPsh = 0x08
	wireTCPAck = 0x10
	wireTCPUrg = 0x20
)

// wireWithChecksum sets the checksum field at off of a segment of protocol
// proto sent from src to dst, and returns the segment.
func wireWithChecksum(src, dst []byte, proto uint8, seg []byte, off int) []byte {
	seg[off], seg[off+1] = 0, 0
	binary.BigEndian.PutUint16(seg[off:], wire.Fold(wire.Sum(wire.PseudoHeaderSum(src, dst, proto, len(seg)), seg)))
	return seg
}

// testPrintCut prints one Ethernet frame cut to caplen bytes (its length on
// the wire being the whole frame's) without a timestamp, and returns its
// text without the final newline.
func testPrintCut(t testing.TB, opt Options, frame []byte, caplen int) string {
	t.Helper()
	opt.Time = TimeNone
	if opt.Location == nil {
		opt.Location = time.UTC
	}
	if caplen > len(frame) {
		caplen = len(frame)
	}
	var out bytes.Buffer
	p := NewPrinter(&out, opt)
	ci := gopacket.CaptureInfo{Timestamp: time.Unix(1, 0), CaptureLength: caplen, Length: len(frame)}
	if err := p.Print(frame[:caplen], ci, wire.LinkEthernet); err != nil {
		t.Fatal(err)
	}
	if err := p.Flush(); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(out.String(), "\n")
}

// testFromAddr is line from the first occurrence of addr on: the transport
// part of a line, after the network layer's own text.
func testFromAddr(line, addr string) string {
	if i := strings.Index(line, addr); i >= 0 {
		return line[i:]
	}
	return line
}

// testCut is frame as a packet captured up to caplen bytes, its length on
// the wire being the whole frame's.
func testCut(frame []byte, caplen int) testPacket {
	if caplen > len(frame) {
		caplen = len(frame)
	}
	return testPacket{data: frame[:caplen:caplen], link: wire.LinkEthernet, ci: gopacket.CaptureInfo{
		Timestamp: time.Unix(1700000000, 0), CaptureLength: caplen, Length: len(frame)}}
}

// testMatchTcpdumpPackets writes Ethernet packets (cut or whole) to a pcap
// file and compares the Printer's lines with tcpdump's in every oracle mode.
func testMatchTcpdumpPackets(t *testing.T, pkts []testPacket) {
	t.Helper()
	needTcpdump(t)
	for i := range pkts {
		pkts[i].ci.Timestamp = time.Unix(1700000000, int64(i)*1000)
	}
	path := filepath.Join(t.TempDir(), strings.ReplaceAll(t.Name(), "/", "_")+".pcap")
	writeTestPcap(t, path, wire.LinkEthernet, pkts)
	for _, mode := range oracleModes {
		compareWithTcpdump(t, path, pkts, mode...)
	}
}
