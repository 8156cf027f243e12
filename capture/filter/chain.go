package filter

import "golang.org/x/net/bpf"

// Headers whose length only the packet says: "protochain" walks IPv6
// extension headers and IPsec AH to the protocol asked for, and "geneve"
// finds the packet a Geneve tunnel carries. Their code keeps offsets in X
// and scratch registers, so their tests are impure (no other test's
// outcome decides them), and tcpdump does not optimise a program that
// has them: such a program compiles even when it selects nothing.

// IPv6 extension headers that "protochain" steps over as RFC 8200 4.3-4.5
// lays them out (next header, then length in 8-byte units less one).
var ipv6Extensions = []uint32{0, 60, 43, ipprotoFragment} // hop-by-hop, destination options, routing, fragment

// ipprotoNone is IPv6's "no next header" (RFC 8200 4.7).
const ipprotoNone = 59

// protochainSteps is how many headers protochain steps over before it
// gives up: tcpdump's loop has no bound but the packet's length, a
// classic BPF program has no backward jumps. See doc.go.
const protochainSteps = 12

func (g *gen) protochain(n nID) cond {
	q, t := n.q, n.tok
	v := g.ipProtocol(t, "protochain 6")
	if g.nl().reg >= 0 {
		g.errorAt(t.pos, "protochain after geneve is not supported: write ip proto N")
	}
	g.unoptimized = true
	switch q.proto {
	case pIP:
		return and(g.netProto(etherIPv4), g.chain(v, false))
	case pIP6:
		return and(g.netProto(etherIPv6), g.chain(v, true))
	case pDefault:
		v4 := and(g.netProto(etherIPv4), g.chain(v, false))
		return or(v4, and(g.netProto(etherIPv6), g.chain(v, true)))
	}
	g.errorAt(t.pos, "'protochain' after '%s' has no meaning: write ip protochain or ip6 protochain", q.proto)
	return nil
}

// chain is the walk along the header chain, unrolled: on entry to each
// step A holds the next protocol and X the offset of its header from the
// network layer.
func (g *gen) chain(proto uint32, ipv6 bool) cond {
	nl := g.nl().k
	var start []bpf.RawInstruction
	if ipv6 {
		start = []bpf.RawInstruction{
			{Op: clsLD | modeABS | sizeB, K: nl + 6},
			{Op: clsLDX | modeIMM, K: ipv6Fixed},
		}
	} else {
		start = []bpf.RawInstruction{
			{Op: clsLD | modeABS | sizeB, K: nl + 9},
			{Op: clsLDX | modeMSH | sizeB, K: nl},
		}
	}
	const m = 0 // the scratch register a step keeps the next protocol in
	// Past an extension header: next header at X, length (in 8 bytes,
	// less one) at X+1.
	extension := []bpf.RawInstruction{
		{Op: clsLD | modeIND | sizeB, K: nl},
		{Op: clsST, K: m},
		{Op: clsLD | modeIND | sizeB, K: nl + 1},
		{Op: clsALU | aluAdd | srcK, K: 1},
		{Op: clsALU | aluMul | srcK, K: 8},
		{Op: clsALU | aluAdd | srcX},
		{Op: clsMISC | miscTAX},
		{Op: clsLD | modeMEM, K: m},
	}
	// Past AH (RFC 4302 2): next header at X, length (in 4 bytes, less
	// two) at X+1. tcpdump's X becomes that length alone, not the offset
	// plus it; so does this, to select what tcpdump selects.
	ah := []bpf.RawInstruction{
		{Op: clsMISC | miscTXA},
		{Op: clsLD | modeIND | sizeB, K: nl},
		{Op: clsST, K: m},
		{Op: clsMISC | miscTXA},
		{Op: clsALU | aluAdd | srcK, K: 1},
		{Op: clsMISC | miscTAX},
		{Op: clsLD | modeIND | sizeB, K: nl},
		{Op: clsALU | aluAdd | srcK, K: 2},
		{Op: clsALU | aluMul | srcK, K: 4},
		{Op: clsMISC | miscTAX},
		{Op: clsLD | modeMEM, K: m},
	}
	test := func(code []bpf.RawInstruction, k uint32) *cTest {
		return &cTest{stmts: code, jop: jeq, k: k, impure: true}
	}
	return cGraph{build: func(yes, no *block) *block {
		// Built from the last step back: after the last, give up.
		nextExt, nextAH := no, no
		var entry *block
		for step := protochainSteps; step >= 0; step-- {
			// The tests after "is it proto": which header comes next.
			rest := &block{test: test(nil, ipprotoAH), t: nextAH, f: no}
			if ipv6 {
				for i := len(ipv6Extensions) - 1; i >= 0; i-- {
					rest = &block{test: test(nil, ipv6Extensions[i]), t: nextExt, f: rest}
				}
			}
			rest = &block{test: test(nil, ipprotoNone), t: no, f: rest}
			if step == 0 {
				entry = &block{test: test(start, proto), t: yes, f: rest}
				break
			}
			nextExt = &block{test: test(extension, proto), t: yes, f: rest}
			nextAH = &block{test: test(ah, proto), t: yes, f: rest}
		}
		return entry
	}}
}

// Geneve (RFC 8926): UDP to port 6081, version 0; with a VNI, that VNI.
const (
	genevePort    = 6081
	geneveEther   = 0x6558 // transparent Ethernet bridging: an Ethernet frame follows
	geneveHdrLen  = 8
	udpHdrLen     = 8
	geneveMaxVNI  = 0xffffff
	geneveVersion = 0xc0 // the version's bits in the first byte
)

// geneve is a Geneve packet (with its VNI); after it the expression reads
// the packet it carries: an Ethernet frame or, by the protocol type, a
// network-layer packet. Three scratch registers keep where the carried
// packet's protocol field, link header and network layer are, as offsets
// from the network layer of the outer packet.
func (g *gen) geneve(n nOther) cond {
	if n.hasN && n.n > geneveMaxVNI {
		g.errorAt(n.pos, "geneve %d: a VNI is 24 bits, 0 to 16777215", n.n)
	}
	if g.nextReg < 3+1 {
		g.errorAt(n.pos, "%s", outOfScratch)
	}
	typeReg, linkReg, netReg := g.nextReg, g.nextReg-1, g.nextReg-2
	g.nextReg -= 3
	g.unoptimized = true
	nl := g.nl()
	base := nl.k

	// The Geneve header at X (past the network layer): the UDP
	// destination port, the version, the VNI.
	header := func(x []bpf.RawInstruction, at uint32) cond {
		ind := func(size uint16, off uint32, mask uint32, v uint32) *cTest {
			code := append(append([]bpf.RawInstruction{}, x...), bpf.RawInstruction{Op: clsLD | modeIND | size, K: base + at + off})
			if x == nil {
				code = load(size, nl.add(at+off))
			}
			if mask != 0 {
				code = append(code, bpf.RawInstruction{Op: clsALU | aluAnd | srcK, K: mask})
			}
			return &cTest{stmts: code, jop: jeq, k: v}
		}
		c := and(ind(sizeH, 2, 0, genevePort), ind(sizeB, udpHdrLen, geneveVersion, 0))
		if n.hasN {
			c = and(c, ind(sizeW, udpHdrLen+4, 0xffffff00, n.n<<8))
		}
		return c
	}
	x4 := ipHeaderLenInX(nl)
	v4 := and(g.ipv4Proto(ipprotoUDP), and(g.ipFirstFragment(), header(x4, 0)))
	v6 := and(g.netProto(etherIPv6), and(cmpEq(nl.add(6), 1, ipprotoUDP), header(nil, ipv6Fixed)))

	// locate leaves the registers set, from A = the UDP header's offset
	// past the network layer.
	locate := func(udp []bpf.RawInstruction) cond {
		code := append(append([]bpf.RawInstruction{}, udp...),
			bpf.RawInstruction{Op: clsALU | aluAdd | srcK, K: udpHdrLen},
			bpf.RawInstruction{Op: clsMISC | miscTAX},
			bpf.RawInstruction{Op: clsALU | aluAdd | srcK, K: 2},
			bpf.RawInstruction{Op: clsST, K: uint32(typeReg)},
			bpf.RawInstruction{Op: clsLD | modeIND | sizeB, K: base},
			bpf.RawInstruction{Op: clsALU | aluAnd | srcK, K: 0x3f},
			bpf.RawInstruction{Op: clsALU | aluMul | srcK, K: 4},
			bpf.RawInstruction{Op: clsALU | aluAdd | srcK, K: geneveHdrLen},
			bpf.RawInstruction{Op: clsALU | aluAdd | srcX},
			bpf.RawInstruction{Op: clsST, K: uint32(linkReg)},
			bpf.RawInstruction{Op: clsLD | modeIND | sizeH, K: base + 2},
		)
		isEther := &cTest{stmts: code, jop: jeq, k: geneveEther, impure: true}
		ether := &cTest{stmts: []bpf.RawInstruction{
			{Op: clsLD | modeMEM, K: uint32(linkReg)},
			{Op: clsALU | aluAdd | srcK, K: 12},
			{Op: clsST, K: uint32(typeReg)},
			{Op: clsALU | aluAdd | srcK, K: 2},
			{Op: clsST, K: uint32(netReg)},
			{Op: clsLD | modeIMM, K: 0},
		}, jop: jeq, k: 0, impure: true}
		network := &cTest{stmts: []bpf.RawInstruction{
			{Op: clsLD | modeMEM, K: uint32(linkReg)},
			{Op: clsST, K: uint32(netReg)},
			{Op: clsLD | modeIMM, K: 0},
		}, jop: jeq, k: 0, impure: true}
		return or(and(isEther, ether), network)
	}
	udp4 := append(append([]bpf.RawInstruction{}, x4...), bpf.RawInstruction{Op: clsMISC | miscTXA})
	udp6 := []bpf.RawInstruction{{Op: clsLD | modeIMM, K: ipv6Fixed}}
	if nl.reg >= 0 {
		// Inside another tunnel: past the network layer it found.
		udp6 = append(udp6, bpf.RawInstruction{Op: clsLDX | modeMEM, K: uint32(nl.reg)}, bpf.RawInstruction{Op: clsALU | aluAdd | srcX})
	}
	c := or(and(v4, locate(udp4)), and(v6, locate(udp6)))

	g.framing = frameEthernet
	g.macs = true
	g.typeAt = loc{reg: typeReg, k: base}
	g.offLinkHdr = loc{reg: linkReg, k: base}
	g.netAt = loc{reg: netReg, k: base}
	return c
}
