package filter

import "golang.org/x/net/bpf"

// Primitives with their own keyword: encapsulations (which move the
// network layer for the rest of the expression), link-layer broadcast and
// multicast, lengths, direction, interface index, and "llc".

func (g *gen) other(n nOther) cond {
	switch n.key {
	case kVlan:
		return g.vlan(n)
	case kMpls:
		return g.mpls(n)
	case kPppoed:
		return g.netProto(etherPPPoED)
	case kPppoes:
		return g.pppoes(n)
	case kGeneve:
		return g.geneve(n)
	case kBroadcast:
		return g.broadcast(n)
	case kMulticast:
		return g.multicast(n)
	case kLess:
		// len <= n
		return not(&cTest{stmts: []bpf.RawInstruction{{Op: clsLD | modeLEN}}, jop: jgt, k: n.n})
	case kGreater:
		return &cTest{stmts: []bpf.RawInstruction{{Op: clsLD | modeLEN}}, jop: jge, k: n.n}
	case kByte:
		return g.byteOp(n)
	case kInbound, kOutbound:
		return g.direction(n)
	case kIfindex:
		return g.ifindex(n)
	case kLLC:
		return g.llc(n)
	case kWlanType:
		g.errorAt(n.pos, "802.11 frame types need an 802.11 capture, not %s", g.spec.name)
	case kATM:
		g.errorAt(n.pos, "ATM primitives need a SunATM capture, not %s", g.spec.name)
	case kMTP:
		g.errorAt(n.pos, "SS7 MTP primitives need an MTP2 capture, not %s", g.spec.name)
	case kPF:
		g.errorAt(n.pos, "pflog primitives need an OpenBSD pflog capture, not %s", g.spec.name)
	}
	g.errorAt(n.pos, "sockscope cannot test %s", n.keyTok)
	return nil
}

// needEthernet stops with an error unless the frame in force is an
// Ethernet one, whose EtherType can say what follows.
func (g *gen) needEthernet(n nOther) {
	if g.framing != frameEthernet {
		g.notEthernet(n)
	}
}

// notEthernet is the error for a primitive that reads an Ethernet header
// where there is none.
func (g *gen) notEthernet(n nOther) {
	if g.framing == g.spec.framing {
		g.errorAt(n.pos, "%s reads an Ethernet header, which %s captures do not have", n.keyTok.text, g.spec.name)
	}
	g.errorAt(n.pos, "%s reads an Ethernet header, and the mpls or pppoes before it has moved past it: write %s first", n.keyTok.text, n.keyTok.text)
}

// vlan is an 802.1Q or 802.1ad tag (with its VLAN ID); everything after
// it in the expression reads the frame 4 bytes further on.
func (g *gen) vlan(n nOther) cond {
	g.needEthernet(n)
	if n.hasN && n.n > 4095 {
		g.errorAt(n.pos, "vlan %d: a VLAN ID is 12 bits, 0 to 4095", n.n)
	}
	t := g.typeAt
	c := anyOf(cmpEq(t, 2, etherVLAN), cmpEq(t, 2, etherQinQ), cmpEq(t, 2, etherQinQOld))
	if n.hasN {
		c = and(c, field(t.add(2), 2, jeq, n.n, 0x0fff))
	}
	g.typeAt = g.typeAt.add(4)
	g.netAt = g.netAt.add(4)
	return c
}

// mpls is an MPLS label stack entry (RFC 3032) with its label; after it
// the network layer is 4 bytes further on, and "ip" means the bottom of
// the stack was reached and an IPv4 header follows.
func (g *gen) mpls(n nOther) cond {
	if g.framing != frameEthernet && g.framing != frameMPLS {
		g.notEthernet(n)
	}
	if n.hasN && n.n > 0xfffff {
		g.errorAt(n.pos, "mpls %d: an MPLS label is 20 bits, 0 to 1048575", n.n)
	}
	var c cond
	if g.framing == frameMPLS {
		// Another label follows only where the last was not the bottom.
		c = field(g.mplsBottom, 1, jeq, 0, 0x01)
	} else {
		c = cmpEq(g.typeAt, 2, etherMPLS)
	}
	if n.hasN {
		c = and(c, field(g.netAt, 4, jeq, n.n<<12, 0xfffff000))
	}
	g.mplsBottom = g.netAt.add(2)
	g.netAt = g.netAt.add(4)
	g.framing = frameMPLS
	return c
}

// pppoes is a PPPoE session frame (RFC 2516) with its session ID; after
// it comes PPP, its protocol field 6 bytes into the PPPoE header.
func (g *gen) pppoes(n nOther) cond {
	if n.hasN && n.n > 0xffff {
		g.errorAt(n.pos, "pppoes %d: a PPPoE session ID is 16 bits, 0 to 65535", n.n)
	}
	c := g.netProto(etherPPPoES)
	if n.hasN {
		c = and(c, field(g.netAt, 4, jeq, n.n, 0xffff))
	}
	if g.framing == frameEthernet || g.framing == frameCooked {
		g.typeAt = g.netAt.add(6)
		g.netAt = g.netAt.add(8)
		g.framing = framePPP
	}
	return c
}

// broadcast: Ethernet's all-ones destination, or "ip broadcast": an IPv4
// destination whose host part (under Options.Netmask) is all zeros or
// all ones.
func (g *gen) broadcast(n nOther) cond {
	switch n.p {
	case pDefault, pLink:
		if !g.spec.macs {
			g.errorAt(n.pos, "%s captures have no link-layer destination to be all ones: write ip broadcast", g.spec.name)
		}
		return macAt(g.offLinkHdr.add(etherDst), [6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	case pIP:
		if g.opt.Netmask == 0xffffffff {
			g.errorAt(n.pos, "ip broadcast needs the network mask, which is unknown here: write ip dst host ADDRESS")
		}
		host := ^g.opt.Netmask
		dst := g.nl().add(ipv4Dst)
		return and(g.netProto(etherIPv4), or(field(dst, 4, jeq, 0, host), field(dst, 4, jeq, host, host)))
	}
	g.errorAt(n.pos, "only link and ip have a broadcast: write ether broadcast or ip broadcast")
	return nil
}

// multicast: the group bit of an Ethernet destination, an IPv4 class D
// destination, or an IPv6 ff00::/8 one.
func (g *gen) multicast(n nOther) cond {
	switch n.p {
	case pDefault, pLink:
		if !g.spec.macs {
			g.errorAt(n.pos, "%s captures have no Ethernet destination to test for a group address: write ip multicast or ip6 multicast", g.spec.name)
		}
		return field(g.offLinkHdr.add(etherDst), 1, jset, 1, 0xffffffff)
	case pIP:
		return and(g.netProto(etherIPv4), field(g.nl().add(ipv4Dst), 1, jge, 0xe0, 0xffffffff))
	case pIP6:
		return and(g.netProto(etherIPv6), cmpEq(g.nl().add(ipv6Dst), 1, 0xff))
	}
	g.errorAt(n.pos, "only link, ip and ip6 have a multicast: write ether, ip or ip6 multicast")
	return nil
}

// byteOp is "byte N op V": a test of the byte at N.
func (g *gen) byteOp(n nOther) cond {
	ld := load(sizeB, at(n.n))
	switch n.op {
	case "=":
		return &cTest{stmts: ld, jop: jeq, k: n.n2}
	case ">":
		return &cTest{stmts: ld, jop: jgt, k: n.n2}
	case "<":
		return not(&cTest{stmts: ld, jop: jge, k: n.n2})
	case "|":
		code := append(ld, bpf.RawInstruction{Op: clsALU | aluOr | srcK, K: n.n2})
		return not(&cTest{stmts: code, jop: jeq, k: 0})
	case "&":
		// tcpdump tests the bits against whatever A holds, not the byte
		// (see doc.go): a program that starts with it sees 0.
		return &cTest{jop: jset, k: n.n2, impure: true}
	}
	g.errorAt(n.pos, "byte takes one of & | < > =")
	return nil
}

// direction is "inbound" or "outbound": the cooked header's packet type,
// or the socket's metadata on a live capture.
func (g *gen) direction(n nOther) cond {
	// PACKET_OUTGOING, linux/if_packet.h.
	const outgoing = 4
	var c cond
	switch {
	case g.spec.directionSize != 0:
		c = cmpEq(at(g.spec.direction), g.spec.directionSize, outgoing)
	case g.opt.Live:
		c = cmpEq(at(skfAdOff+skfAdPkttype), 2, outgoing)
	default:
		g.errorAt(n.pos, "%s captures do not record which way a packet went, so %s cannot be tested in them: capture with -i any (Linux cooked) to keep the direction", g.spec.name, n.keyTok.text)
	}
	if n.key == kInbound {
		return not(c)
	}
	return c
}

// ifindex is the interface a packet came on: the cooked v2 header's, or
// the socket's metadata on a live capture.
func (g *gen) ifindex(n nOther) cond {
	switch {
	case g.spec.ifindexAt != 0:
		return cmpEq(at(g.spec.ifindexAt), 4, n.n)
	case g.opt.Live:
		return cmpEq(at(skfAdOff+skfAdIfindex), 4, n.n)
	}
	g.errorAt(n.pos, "%s captures do not record the interface a packet came on, so ifindex cannot be tested in them: capture with -i any (Linux cooked v2) to keep it", g.spec.name)
	return nil
}

// llc is an 802.2 LLC frame, or one of its control-field kinds (IEEE
// 802.2 5.4): "i" frames have bit 0 clear, "s" frames 01 in the low two
// bits, "u" frames 11, and the named commands their own values.
func (g *gen) llc(n nOther) cond {
	if g.framing != frameEthernet {
		g.notEthernet(n)
	}
	isLLC := and(not(field(g.typeAt, 2, jgt, etherMaxLength, 0xffffffff)), not(cmpEq(g.llcAt(), 2, novellRaw)))
	if n.text == "" {
		return isLLC
	}
	ctl := g.llcAt().add(2)
	sup := map[string]uint32{"rr": 0x01, "rnr": 0x05, "rej": 0x09}
	unn := map[string]uint32{"ui": 0x03, "ua": 0x63, "disc": 0x43, "dm": 0x0f, "sabme": 0x6f, "test": 0xe3, "xid": 0xaf, "frmr": 0x87}
	var kind cond
	switch n.text {
	case "i":
		kind = not(field(ctl, 1, jset, 0x01, 0xffffffff))
	case "s":
		kind = field(ctl, 1, jeq, 0x01, 0x03)
	case "u":
		kind = field(ctl, 1, jeq, 0x03, 0x03)
	default:
		if v, ok := sup[n.text]; ok {
			kind = field(ctl, 1, jeq, v, 0x0f)
		} else if v, ok := unn[n.text]; ok {
			kind = field(ctl, 1, jeq, v, 0xef)
		} else {
			g.errorAt(n.pos, "%q is not an 802.2 LLC frame type: write i, s, u, rr, rnr, rej, ui, ua, disc, dm, sabme, test, xid or frmr", n.text)
		}
	}
	return and(isLLC, kind)
}
