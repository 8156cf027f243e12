package filter

import (
	"encoding/binary"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/sockscope/sockscope/decode/wire"
)

// genevePacket is a Linux cooked v2 capture of IPv4/UDP/Geneve (VNI 42,
// one 4-byte option) carrying an Ethernet frame with IPv4/TCP from
// 10.1.2.3 to port 80.
func genevePacket() []byte {
	p := make([]byte, 20, 200)
	binary.BigEndian.PutUint16(p[0:], 0x0800) // protocol
	binary.BigEndian.PutUint32(p[4:], 1)      // ifindex
	binary.BigEndian.PutUint16(p[8:], 1)      // ARPHRD_ETHER
	p[11] = 6
	ipv4 := func(proto byte, src, dst [4]byte) []byte {
		h := make([]byte, 20)
		h[0], h[8], h[9] = 0x45, 64, proto
		copy(h[12:], src[:])
		copy(h[16:], dst[:])
		return h
	}
	p = append(p, ipv4(17, [4]byte{192, 0, 2, 1}, [4]byte{192, 0, 2, 2})...)
	p = binary.BigEndian.AppendUint16(p, 40000)
	p = binary.BigEndian.AppendUint16(p, 6081)
	p = append(p, 0, 0, 0, 0)
	p = append(p, 0x01, 0, 0x65, 0x58, 0, 0, 42, 0) // one option word, Ethernet, VNI 42
	p = append(p, 1, 2, 3, 4)                       // the option
	p = append(p, 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00)
	p = append(p, ipv4(6, [4]byte{10, 1, 2, 3}, [4]byte{10, 1, 2, 4})...)
	p = binary.BigEndian.AppendUint16(p, 1234)
	p = binary.BigEndian.AppendUint16(p, 80)
	return append(p, make([]byte, 16)...)
}

// kernelRun runs a kernel program on a packet as a cooked socket's filter
// sees it: from the network layer, with the metadata an IPv4 packet
// received on interface 1 has.
func kernelRun(t *testing.T, raw []bpf.RawInstruction, packet []byte) bool {
	t.Helper()
	meta := map[uint32]uint32{skfAdOff + skfAdProtocol: 0x0800, skfAdOff + skfAdPkttype: 0, skfAdOff + skfAdIfindex: 1}
	prog := make([]bpf.Instruction, len(raw))
	for i, ins := range raw {
		if v, ok := meta[ins.K]; ok && opClass(int(ins.Op)) == clsLD && opMode(int(ins.Op)) == modeABS {
			ins = bpf.RawInstruction{Op: clsLD | modeIMM, K: v}
		}
		prog[i] = ins.Disassemble()
	}
	m, err := NewMatcher(prog)
	if err != nil {
		t.Fatal(err)
	}
	return m.Match(packet, len(packet))
}

// TestKernelProgramFindsGeneveOnCookedSockets: on "-i any" the kernel
// sees no cooked header, so every offset moves by its length, those
// Geneve keeps in scratch registers too.
func TestKernelProgramFindsGeneveOnCookedSockets(t *testing.T) {
	pkt := genevePacket()
	for expr, want := range map[string]bool{
		"geneve":                               true,
		"geneve 42 and ip and tcp dst port 80": true,
		"geneve and host 10.1.2.3 and ether dst 2:0:0:0:0:2": true,
		"inbound and ifindex 1 and geneve 42 and tcp":        true,
		"geneve 43":              false,
		"geneve and udp":         false,
		"geneve and tcp port 81": false,
	} {
		prog, err := CompileOptions(expr, wire.LinkLinuxSLL2, Options{Live: true})
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		m, err := NewMatcher(prog)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.Match(pkt, len(pkt)); got != want {
			t.Errorf("%s on the cooked capture: %v, want %v", expr, got, want)
		}
		raw, ok, err := KernelProgram(prog, wire.LinkLinuxSLL2)
		if err != nil || !ok {
			t.Fatalf("%s: KernelProgram: %v, %v", expr, ok, err)
		}
		if got := kernelRun(t, raw, pkt[20:]); got != want {
			t.Errorf("%s in the kernel: %v, want %v\n%s", expr, got, want, Dump(raw, 1))
		}
	}
}
