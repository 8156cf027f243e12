package capture

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"golang.org/x/sys/unix"

	"github.com/sockscope/sockscope/decode/wire"
)

// ringFrame lays out one TPACKET_V3 frame as the kernel writes it: a
// tpacket3_hdr, a sockaddr_ll, and the packet at mac.
type ringFrame struct {
	pkt      []byte
	mac      int    // tp_mac
	wireLen  int    // tp_len; len(pkt) if 0
	proto    uint16 // sll_protocol, host value
	ifindex  int32
	hatype   uint16
	pkttype  uint8
	addr     []byte
	status   uint32
	vlanTCI  uint32
	vlanTPID uint16
}

func (f ringFrame) bytes() []byte {
	ne := binary.NativeEndian
	b := make([]byte, f.mac+len(f.pkt)+64)
	ne.PutUint32(b[frameSecOff:], 1700000000)
	ne.PutUint32(b[frameNsecOff:], 123456789)
	ne.PutUint32(b[frameSnaplenOff:], uint32(len(f.pkt)))
	l := f.wireLen
	if l == 0 {
		l = len(f.pkt)
	}
	ne.PutUint32(b[frameLenOff:], uint32(l))
	ne.PutUint32(b[frameStatusOff:], f.status)
	ne.PutUint16(b[frameMacOff:], uint16(f.mac))
	ne.PutUint32(b[frameVlanTCIOff:], f.vlanTCI)
	ne.PutUint16(b[frameVlanTPOff:], f.vlanTPID)
	ne.PutUint16(b[sllOff:], unix.AF_PACKET)
	binary.BigEndian.PutUint16(b[sllProtoOff:], f.proto)
	ne.PutUint32(b[sllIfindexOff:], uint32(f.ifindex))
	ne.PutUint16(b[sllHatypeOff:], f.hatype)
	b[sllPkttypeOff] = f.pkttype
	b[sllHalenOff] = byte(len(f.addr))
	copy(b[sllAddrOff:], f.addr)
	copy(b[f.mac:], f.pkt)
	return b
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Where the kernel puts the packet with the PACKET_RESERVE OpenLive asks for:
// SOCK_RAW, Ethernet: TPACKET_ALIGN(68+14) + 4 - 14; SOCK_DGRAM: TPACKET_ALIGN(68) + 16 + 8.
const (
	rawMac    = 86
	cookedMac = 104
)

func TestFrameBecomesWhatTcpdumpWrites(t *testing.T) {
	eth := "0202020202b2 0202020202a2 0800 4500001c0001000040110000 0a0000010a000002 03e80009000800000000"
	ip := "4500001c0001000040110000 0a0000010a000002 03e80009000800000000"
	mac := "0202020202a2"
	tests := []struct {
		name     string
		linkType wire.LinkType
		snaplen  int
		frame    ringFrame
		want     string // hex; "" for a skipped frame
		wantLen  int
	}{
		{
			name: "ethernet as it is", linkType: wire.LinkEthernet, snaplen: maxSnaplen,
			frame: ringFrame{pkt: unhex(t, eth), mac: rawMac, pkttype: unix.PACKET_HOST},
			want:  eth, wantLen: 44,
		},
		{
			name: "ethernet longer on the wire", linkType: wire.LinkEthernet, snaplen: maxSnaplen,
			frame: ringFrame{pkt: unhex(t, eth), mac: rawMac, wireLen: 1514},
			want:  eth, wantLen: 1514,
		},
		{
			name: "ethernet cut at the snaplen", linkType: wire.LinkEthernet, snaplen: 14,
			frame: ringFrame{pkt: unhex(t, eth), mac: rawMac},
			want:  "0202020202b2 0202020202a2 0800", wantLen: 44,
		},
		{
			name: "802.1Q tag put back", linkType: wire.LinkEthernet, snaplen: maxSnaplen,
			frame: ringFrame{pkt: unhex(t, eth), mac: rawMac, status: unix.TP_STATUS_VLAN_VALID, vlanTCI: 0x200a},
			want:  "0202020202b2 0202020202a2 8100200a 0800 4500001c0001000040110000 0a0000010a000002 03e80009000800000000", wantLen: 48,
		},
		{
			name: "802.1ad tag put back with its TPID", linkType: wire.LinkEthernet, snaplen: maxSnaplen,
			frame: ringFrame{pkt: unhex(t, eth), mac: rawMac, status: unix.TP_STATUS_VLAN_VALID | unix.TP_STATUS_VLAN_TPID_VALID, vlanTCI: 5, vlanTPID: 0x88a8},
			want:  "0202020202b2 0202020202a2 88a80005 0800 4500001c0001000040110000 0a0000010a000002 03e80009000800000000", wantLen: 48,
		},
		{
			name: "tag 0 without the flag is no tag", linkType: wire.LinkEthernet, snaplen: maxSnaplen,
			frame: ringFrame{pkt: unhex(t, eth), mac: rawMac},
			want:  eth, wantLen: 44,
		},
		{
			name: "outgoing copy on lo skipped", linkType: wire.LinkEthernet, snaplen: maxSnaplen,
			frame: ringFrame{pkt: unhex(t, eth), mac: rawMac, pkttype: unix.PACKET_OUTGOING, ifindex: 1},
		},
		{
			name: "outgoing elsewhere kept", linkType: wire.LinkEthernet, snaplen: maxSnaplen,
			frame: ringFrame{pkt: unhex(t, eth), mac: rawMac, pkttype: unix.PACKET_OUTGOING, ifindex: 2},
			want:  eth, wantLen: 44,
		},
		{
			name: "cooked v2 header built from sockaddr_ll", linkType: wire.LinkLinuxSLL2, snaplen: maxSnaplen,
			frame: ringFrame{pkt: unhex(t, ip), mac: cookedMac, proto: 0x0800, ifindex: 7, hatype: unix.ARPHRD_ETHER, pkttype: unix.PACKET_OTHERHOST, addr: unhex(t, mac)},
			want:  "0800 0000 00000007 0001 03 06 0202020202a20000" + ip, wantLen: 50,
		},
		{
			name: "cooked v2 keeps no VLAN tag, as tcpdump", linkType: wire.LinkLinuxSLL2, snaplen: maxSnaplen,
			frame: ringFrame{pkt: unhex(t, ip), mac: cookedMac, proto: 0x0800, ifindex: 7, hatype: 1, pkttype: unix.PACKET_OUTGOING, addr: unhex(t, mac), status: unix.TP_STATUS_VLAN_VALID, vlanTCI: 10},
			want:  "0800 0000 00000007 0001 04 06 0202020202a20000" + ip, wantLen: 50,
		},
		{
			name: "cooked v2 cut at the snaplen, header counted", linkType: wire.LinkLinuxSLL2, snaplen: 21,
			frame: ringFrame{pkt: unhex(t, ip), mac: cookedMac, proto: 0x0800, ifindex: 1, hatype: unix.ARPHRD_LOOPBACK, pkttype: unix.PACKET_HOST, addr: make([]byte, 6)},
			want:  "0800 0000 00000001 0304 00 06 0000000000000000 45", wantLen: 50,
		},
		{
			name: "cooked v1 header", linkType: wire.LinkLinuxSLL, snaplen: maxSnaplen,
			frame: ringFrame{pkt: unhex(t, ip), mac: cookedMac, proto: 0x0800, ifindex: 9, hatype: unix.ARPHRD_PPP, pkttype: unix.PACKET_HOST},
			want:  "0000 0200 0000 0000000000000000 0800" + ip, wantLen: 46,
		},
		{
			name: "tag not put back in an Ethernet header cut short of it (tcpdump -s 10)", linkType: wire.LinkEthernet, snaplen: 10,
			frame: ringFrame{pkt: unhex(t, "0202020202b2 02020202"), mac: rawMac, wireLen: 44, status: unix.TP_STATUS_VLAN_VALID, vlanTCI: 0x200a},
			want:  "0202020202b2 02020202", wantLen: 44,
		},
		{
			name: "tag put back though the snaplen then cuts it (tcpdump -s 14)", linkType: wire.LinkEthernet, snaplen: 14,
			frame: ringFrame{pkt: unhex(t, "0202020202b2 0202020202a2 08"), mac: rawMac, wireLen: 44, status: unix.TP_STATUS_VLAN_VALID, vlanTCI: 0x200a},
			want:  "0202020202b2 0202020202a2 8100", wantLen: 48,
		},
		{
			name: "cooked v1 tag before the protocol", linkType: wire.LinkLinuxSLL, snaplen: maxSnaplen,
			frame: ringFrame{pkt: unhex(t, ip), mac: cookedMac, proto: 0x0800, hatype: unix.ARPHRD_ETHER, addr: unhex(t, mac), status: unix.TP_STATUS_VLAN_VALID | unix.TP_STATUS_VLAN_TPID_VALID, vlanTCI: 0x200a, vlanTPID: 0x8100},
			want:  "0000 0001 0006 0202020202a20000 8100200a 0800" + ip, wantLen: 50,
		},
		{
			name: "cooked v1 packet of 13 bytes stays untagged, as tcpdump", linkType: wire.LinkLinuxSLL, snaplen: maxSnaplen,
			frame: ringFrame{pkt: unhex(t, "40414243444546474849404142"), mac: cookedMac, proto: 0x0800, hatype: unix.ARPHRD_ETHER, addr: unhex(t, mac), status: unix.TP_STATUS_VLAN_VALID, vlanTCI: 0x200a},
			want:  "0000 0001 0006 0202020202a20000 0800 40414243444546474849404142", wantLen: 29,
		},
		{
			name: "cooked address: the first 8 bytes of a longer one", linkType: wire.LinkLinuxSLL2, snaplen: maxSnaplen,
			frame: ringFrame{pkt: unhex(t, ip), mac: cookedMac, proto: 0x0800, ifindex: 3, hatype: unix.ARPHRD_INFINIBAND, addr: unhex(t, "0102030405060708090a")},
			want:  "0800 0000 00000003 0020 00 0a 0102030405060708" + ip, wantLen: 50,
		},
		{
			name: "raw IP as it is", linkType: wire.LinkRaw, snaplen: maxSnaplen,
			frame: ringFrame{pkt: unhex(t, ip), mac: 96, pkttype: unix.PACKET_HOST},
			want:  ip, wantLen: 30,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFramer(tt.linkType, tt.snaplen, 1)
			var ci gopacket.CaptureInfo
			data, keep, err := f.frame(tt.frame.bytes(), &ci)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == "" {
				if keep {
					t.Fatalf("frame kept (% x), want it skipped", data)
				}
				return
			}
			if !keep {
				t.Fatal("frame skipped")
			}
			if want := unhex(t, tt.want); !bytes.Equal(data, want) {
				t.Errorf("data\n got % x\nwant % x", data, want)
			}
			if ci.CaptureLength != len(data) || ci.Length != tt.wantLen {
				t.Errorf("caplen %d len %d, want %d %d", ci.CaptureLength, ci.Length, len(data), tt.wantLen)
			}
			if want := time.Unix(1700000000, 123456789); !ci.Timestamp.Equal(want) {
				t.Errorf("timestamp %v, want %v", ci.Timestamp, want)
			}
		})
	}
}

func TestCorruptFrameIsAnError(t *testing.T) {
	b := ringFrame{pkt: make([]byte, 60), mac: rawMac}.bytes()
	binary.NativeEndian.PutUint32(b[frameSnaplenOff:], 1<<20)
	f := newFramer(wire.LinkEthernet, maxSnaplen, 1)
	if _, _, err := f.frame(b, new(gopacket.CaptureInfo)); err == nil || !strings.Contains(err.Error(), "corrupted") {
		t.Fatalf("err = %v, want a corrupted frame error", err)
	}
}

func TestFrameAllocatesNothing(t *testing.T) {
	b := ringFrame{pkt: make([]byte, 60), mac: cookedMac, proto: 0x0800, addr: make([]byte, 6)}.bytes()
	f := newFramer(wire.LinkLinuxSLL2, maxSnaplen, 1)
	ci := new(gopacket.CaptureInfo)
	if n := testing.AllocsPerRun(100, func() { f.frame(b, ci) }); n != 0 {
		t.Errorf("%v allocations per frame, want 0", n)
	}
}

func TestRingBlocksGrowWithTheRing(t *testing.T) {
	if minBlockSize != 256<<10 {
		t.Skipf("pages of %d bytes", minBlockSize)
	}
	for _, tt := range []struct{ size, block int }{
		{1, 256 << 10},
		{2 << 20, 256 << 10},
		{8 << 20, 256 << 10},
		{16 << 20, 512 << 10},
		{DefaultBufferSize, 1 << 20},
		{1 << 30, 1 << 20},
	} {
		if got := blockSizeFor(tt.size); got != tt.block {
			t.Errorf("blockSizeFor(%d) = %d, want %d", tt.size, got, tt.block)
		}
	}
}

func TestDeviceStatusWordsAreTcpdumps(t *testing.T) {
	tests := []struct {
		dev  Device
		want string
	}{
		{Device{Flags: DeviceUp | DeviceRunning, Connection: ConnectionConnected}, "Up, Running, Connected"},
		{Device{Flags: DeviceUp | DeviceRunning | DeviceLoopback, Connection: ConnectionNotApplicable}, "Up, Running, Loopback"},
		{Device{Connection: ConnectionNotApplicable}, "none"},
		{Device{Connection: ConnectionDisconnected}, "none, Disconnected"},
		{Device{Flags: DeviceUp}, "Up, Connection status unknown"},
		{Device{Flags: DeviceWireless, Connection: ConnectionDisconnected}, "Wireless, Not associated"},
		{Device{Flags: DeviceUp | DeviceRunning | DeviceWireless, Connection: ConnectionConnected}, "Up, Running, Wireless, Associated"},
		{Device{}, ""},
	}
	for _, tt := range tests {
		if got := tt.dev.Status(); got != tt.want {
			t.Errorf("%+v: Status() = %q, want %q", tt.dev, got, tt.want)
		}
	}
}

func TestDevicesSortAsTcpdumpListsThem(t *testing.T) {
	up := DeviceUp | DeviceRunning
	devs := []Device{
		{Name: "lo", Flags: up | DeviceLoopback, Connection: ConnectionNotApplicable},
		{Name: "ifb0", Connection: ConnectionNotApplicable},
		{Name: "veth9", Flags: up, Connection: ConnectionDisconnected},
		{Name: "eth0", Flags: up, Connection: ConnectionConnected},
		{Name: "any", Flags: up, Connection: ConnectionNotApplicable},
	}
	var got []string
	for _, d := range sortDevices(devs) {
		got = append(got, d.Name)
	}
	if want := "eth0 any lo veth9 ifb0"; strings.Join(got, " ") != want {
		t.Errorf("order %v, want %s", got, want)
	}
}

func BenchmarkFrameCookedV2(b *testing.B) {
	buf := ringFrame{pkt: make([]byte, 60), mac: cookedMac, proto: 0x0800, addr: make([]byte, 6)}.bytes()
	f := newFramer(wire.LinkLinuxSLL2, maxSnaplen, 1)
	b.SetBytes(60)
	b.ReportAllocs()
	ci := new(gopacket.CaptureInfo)
	for b.Loop() {
		f.frame(buf, ci)
	}
}

// fakeRing is a ring of blocks filled as the kernel fills them with small
// Ethernet frames, for benchmarks that need no socket.
func fakeRing(blocks int) *ring {
	r := &ring{mem: make([]byte, blocks*minBlockSize), blockSize: minBlockSize, blocks: blocks}
	ne := binary.NativeEndian
	frame := ringFrame{pkt: make([]byte, 60), mac: rawMac, pkttype: unix.PACKET_HOST, ifindex: 2}.bytes()[:rawMac+60]
	stride := (len(frame) + 15) &^ 15
	for b := range blocks {
		base := b * minBlockSize
		first := 48
		n := (minBlockSize - first) / stride
		for i := range n {
			off := base + first + i*stride
			copy(r.mem[off:], frame)
			ne.PutUint32(r.mem[off+frameNextOff:], uint32(stride))
		}
		ne.PutUint32(r.mem[base+blockNumPktsOff:], uint32(n))
		ne.PutUint32(r.mem[base+blockFirstPktOff:], uint32(first))
		ne.PutUint32(r.mem[base+blockStatusOff:], unix.TP_STATUS_USER)
	}
	return r
}

// refill hands every block back to the reader, as if the kernel had filled them.
func (r *ring) refill() {
	for b := range r.blocks {
		binary.NativeEndian.PutUint32(r.mem[b*r.blockSize+blockStatusOff:], unix.TP_STATUS_USER)
	}
}

func BenchmarkNextFromRing(b *testing.B) {
	s := &Live{ring: fakeRing(4), fr: newFramer(wire.LinkEthernet, maxSnaplen, 1), iface: Interface{Name: "bench"}}
	b.SetBytes(60)
	b.ReportAllocs()
	for b.Loop() {
		if !s.ring.ready() {
			s.ring.refill()
		}
		if _, _, err := s.Next(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNextIntoPcapWriter(b *testing.B) {
	s := &Live{ring: fakeRing(4), fr: newFramer(wire.LinkEthernet, maxSnaplen, 1), iface: Interface{Name: "bench"}}
	w, err := NewPcapWriter(io.Discard, wire.LinkEthernet, maxSnaplen, false)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(60)
	b.ReportAllocs()
	for b.Loop() {
		if !s.ring.ready() {
			s.ring.refill()
		}
		data, ci, err := s.Next()
		if err != nil {
			b.Fatal(err)
		}
		if err := w.WritePacket(ci, data); err != nil {
			b.Fatal(err)
		}
	}
}

// refilling is a Live on a fake ring that the kernel never runs dry of.
type refilling struct{ *Live }

func (r refilling) Next() ([]byte, gopacket.CaptureInfo, error) {
	if !r.ring.ready() {
		r.ring.refill()
	}
	return r.Live.Next()
}

// BenchmarkLoopIntoOutput is capture -w's path: the ring through the
// shared Loop into the Output that owns the file.
func BenchmarkLoopIntoOutput(b *testing.B) {
	per := 0 // packets in a block of a fake ring: a Run takes one block
	for r := fakeRing(1); ; per++ {
		if _, _, ok := r.next(); !ok {
			break
		}
	}
	s := &Live{ring: fakeRing(4), fr: newFramer(wire.LinkEthernet, maxSnaplen, 1), iface: Interface{Name: "bench", LinkType: wire.LinkEthernet, Snaplen: maxSnaplen}}
	out := newOutput("bench", discardFile{}, false)
	out.src = s
	if err := out.Start(); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(60)
	b.ReportAllocs()
	for done := 0; done < b.N; {
		loop := Loop{Count: min(per, b.N-done), Flush: out.Flush}
		n, err := loop.Run(s, out.Packet)
		if err != nil {
			b.Fatal(err)
		}
		done += n
		s.ring.refill()
	}
}

// BenchmarkNextIntoOutput is the same path without the Loop.
func BenchmarkNextIntoOutput(b *testing.B) {
	s := refilling{&Live{ring: fakeRing(4), fr: newFramer(wire.LinkEthernet, maxSnaplen, 1), iface: Interface{Name: "bench"}}}
	out := newOutput("bench", discardFile{}, false)
	if err := out.StartPcap(wire.LinkEthernet, maxSnaplen, false); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(60)
	b.ReportAllocs()
	for b.Loop() {
		if !s.Ready() {
			out.Flush()
		}
		data, ci, err := s.Next()
		if err != nil {
			b.Fatal(err)
		}
		if err := out.WritePacket(ci, data); err != nil {
			b.Fatal(err)
		}
	}
}

// discardFile is an output file that takes everything and keeps nothing.
type discardFile struct{}

func (discardFile) Write(p []byte) (int, error) { return len(p), nil }
func (discardFile) Close() error                { return nil }
func (discardFile) Stat() (fs.FileInfo, error)  { return nil, errors.New("no file") }
func (discardFile) Truncate(size int64) error   { return nil }
