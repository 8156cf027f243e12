package decode

// The heartbeat of Microsoft's Network Load Balancing, ethertype 0x886f:
// little-endian words, a signature, a version, the host's unique ID (its
// priority, to tcpdump), then the cluster's and the host's IPv4 addresses,
// before a long fixed structure decode does not read.

import (
	"encoding/binary"
	"strconv"
)

var (
	protoMSNLB        = proto("msnlb", "MS Network Load Balancing")
	fMSNLBSignature   = register(Field{Name: "msnlb.signature", Title: "Signature", Type: TypeUint32, Hex: true})
	fMSNLBVersion     = field("msnlb.version", "Version", TypeUint32)
	fMSNLBUniqueHost  = field("msnlb.unique_host_id", "Unique Host ID", TypeUint32)
	fMSNLBClusterIP   = field("msnlb.cluster_ip", "Cluster IP", TypeIPv4)
	fMSNLBHostIP      = field("msnlb.host_ip", "Host IP", TypeIPv4)
	msnlbHeaderLength = 20
)

func init() {
	Ethertypes.Register(0x886f, dissectMSNLB)
	registerText(protoMSNLB, textMSNLB)
}

// dissectMSNLB reads the heartbeat's first words. A heartbeat the capture
// cuts short is marked Truncated, as tshark was seen to mark one cut at 6
// bytes: it reads the structure after these words too.
func dissectMSNLB(t *Tree, off, end int) {
	l, n, _ := t.StartLayer(protoMSNLB, off, end, end-off)
	if n < msnlbHeaderLength {
		// tcpdump gives the link layer up: a single -x dumps the frame
		// from its first byte.
		if t.NetOff == off {
			t.NetOff = 0
		}
		return
	}
	le := func(o int) uint64 { return uint64(binary.LittleEndian.Uint32(t.Data[o:])) }
	t.Add(l, fMSNLBSignature, off, 4, le(off))
	t.Add(l, fMSNLBVersion, off+4, 4, le(off+4))
	t.Add(l, fMSNLBUniqueHost, off+8, 4, le(off+8))
	t.AddBytes(l, fMSNLBClusterIP, off+12, 4)
	t.AddBytes(l, fMSNLBHostIP, off+16, 4)
}

// textMSNLB prints tcpdump's line, "MS NLB heartbeat, host priority: 2,
// cluster IP: 192.168.100.80, host IP: 192.168.100.82", or "MS NLB
// heartbeat [|msnlb]" when those words were not captured.
func textMSNLB(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	p.b = append(p.b, "MS NLB heartbeat"...)
	prio, ok := t.Value(n, fMSNLBUniqueHost)
	if !ok {
		p.b = append(p.b, " [|msnlb]"...)
		return
	}
	p.b = append(p.b, ", host priority: "...)
	p.b = strconv.AppendUint(p.b, prio, 10)
	p.b = append(p.b, ", cluster IP: "...)
	p.b = appendIPv4(p.b, t.Bytes(t.Find(n, fMSNLBClusterIP)))
	p.b = append(p.b, ", host IP: "...)
	p.b = appendIPv4(p.b, t.Bytes(t.Find(n, fMSNLBHostIP)))
}
