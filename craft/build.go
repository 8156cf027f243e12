package craft

// Why sockscope's own serializers rather than gopacket's SerializeLayers:
// a spec may set any field to any value, and the user's value must reach the
// wire exactly. gopacket's layers cannot say some of it (an IPv4 IHL or a TCP
// data offset that disagrees with the options, TCP's reserved bits, IPv6
// extension headers with chosen lengths), and with FixLengths and
// ComputeChecksums it overwrites lengths and checksums the user set. Patching
// its output afterwards works for fixed offsets, but a lying IHL moves every
// offset after it. So each layer here is a few lines that write its header in
// front of the bytes of the layers inside it, innermost first: by then every
// length and checksum a header needs is known, and a field the user set is
// simply written as given.

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"

	"github.com/sockscope/sockscope/craft/spec"
	"github.com/sockscope/sockscope/decode/wire"
)

// Options are what a build needs from outside the spec.
type Options struct {
	// Source picks the source address when the spec sets none; nil is
	// KernelSource (the routing table's choice).
	Source SourceFinder
	// IfaceMAC is the MAC of the interface given with -i: the default
	// ether src when Hops finds none. nil means 00:00:00:00:00:00.
	IfaceMAC net.HardwareAddr
	// Hops finds ether's default src and dst for a unicast destination:
	// the outgoing interface's MAC and the next hop's (KernelHops reads
	// the routing and neighbour tables). nil leaves them to IfaceMAC and
	// zeros, with a note.
	Hops HopFinder
	// Rand draws the random defaults (IP and IPv6 fragment ids, TCP
	// sequence number, ports, ICMP and DNS ids); nil is math/rand/v2.
	Rand func() uint32
}

// Protocol numbers chained into the layer above when the spec leaves them out.
const (
	// protoPayload is what ip proto / ip6 nh say when raw bytes follow:
	// 253, "use for experimentation and testing" (RFC 3692).
	protoPayload = 253
	// protoNone is IPv6's No Next Header (RFC 8200 section 4.7), used by
	// ip and ip6 when nothing follows.
	protoNone = 59
	// etherTypePayload is the EtherType when raw bytes follow ether or
	// vlan: 0x88b5, IEEE 802 local experimental EtherType 1.
	etherTypePayload = 0x88b5
)

var etherTypeOf = map[spec.Kind]uint16{spec.VLAN: 0x8100, spec.ARP: 0x0806, spec.IPv4: 0x0800, spec.IPv6: 0x86dd}

var protoOf = map[spec.Kind]uint8{
	spec.HopByHop: 0, spec.ICMP: 1, spec.IPv4: 4, spec.TCP: 6, spec.UDP: 17, spec.IPv6: 41,
	spec.Routing: 43, spec.Fragment6: 44, spec.ICMPv6: 58, spec.DestOpts: 60, spec.Payload: protoPayload,
}

// Defaults of fields that do not depend on other layers.
const (
	defaultTTL     = 64
	defaultTCPWin  = 64240 // Linux's SYN window with a 1460-byte MSS
	defaultICMPSeq = 1     // ping's first sequence number
)

// layer is a spec layer with every field resolved: the user's value or the
// default, for numbers in n, addresses and MACs beside.
type layer struct {
	*spec.Layer
	n        map[string]uint64
	count    map[string]bool // fields that count up with the packet index
	src, dst netip.Addr
	srcMAC   net.HardwareAddr
	dstMAC   net.HardwareAddr
	nh       uint64 // the protocol of the layer that follows
}

// Builder makes the packets of one spec; packet i of a run of -c N differs
// from the first only in the fields that tell probes apart.
type Builder struct {
	spec   *spec.Spec
	layers []*layer
	notes  []string
	link   wire.LinkType
	size   int // the length of the first packet: the buffer each packet starts with
}

// Build resolves the defaults of s. The error, for a packet that cannot be
// built (more bytes than an IPv4 length holds), is a *spec.Error.
func Build(s *spec.Spec, opt Options) (*Builder, error) {
	if opt.Source == nil {
		opt.Source = KernelSource{}
	}
	if opt.Rand == nil {
		opt.Rand = rand.Uint32
	}
	b := &Builder{spec: s, link: wire.LinkRaw}
	if len(s.Layers) > 0 && s.Layers[0].Kind == spec.Ether {
		b.link = wire.LinkEthernet
	}
	for _, sl := range s.Layers {
		b.layers = append(b.layers, &layer{Layer: sl, n: map[string]uint64{}, count: map[string]bool{}})
	}
	// Inside out, so that a link layer can see what its ARP or IP layer chose.
	for i := len(b.layers) - 1; i >= 0; i-- {
		if err := b.resolve(i, opt); err != nil {
			return nil, err
		}
	}
	p, err := b.packet(0)
	if err != nil {
		return nil, err
	}
	b.size = len(p)
	return b, nil
}

// LinkType is the framing of the packets: Ethernet when the spec starts
// with ether, raw IP otherwise.
func (b *Builder) LinkType() wire.LinkType { return b.link }

// Notes are the defaults a user may want to know were guessed (a MAC of
// zeros, a source the routing table could not give), one line each.
func (b *Builder) Notes() []string { return b.notes }

// Packet returns the bytes of packet i (from 0): the first packet, with the
// fields that tell probes apart (ip id, icmp and icmp6 echo seq) increased
// by i unless the spec fixes them.
func (b *Builder) Packet(i int) []byte {
	p, _ := b.packet(i)
	return p
}

func (b *Builder) notef(format string, args ...any) {
	b.notes = append(b.notes, fmt.Sprintf(format, args...))
}

// def sets field name of l to the user's value or, when unset, to v.
func (l *layer) def(name string, v uint64) {
	if f, ok := l.Fields[name]; ok {
		l.n[name] = f.Num
	} else {
		l.n[name] = v
	}
}

// counter is def for a field that counts up over the packets of a run,
// from the user's value or v, unless the user fixed it (seq=5!).
func (l *layer) counter(name string, v uint64) {
	l.def(name, v)
	l.count[name] = !l.Fields[name].Fixed
}

func (l *layer) addr(name string) (netip.Addr, bool) {
	f, ok := l.Fields[name]
	return f.Addr, ok
}

func (l *layer) mac(name string) (net.HardwareAddr, bool) {
	f, ok := l.Fields[name]
	return f.MAC, ok
}

func (b *Builder) next(i int) *layer {
	if i+1 < len(b.layers) {
		return b.layers[i+1]
	}
	return nil
}

// source is the user's src of l or the routing table's choice for dst.
func (b *Builder) source(l *layer, field string, dst netip.Addr, opt Options) netip.Addr {
	if a, ok := l.addr(field); ok {
		return a
	}
	a, err := opt.Source.Source(dst)
	if err == nil && a.IsValid() {
		return a
	}
	zero := netip.IPv4Unspecified()
	if dst.Is6() {
		zero = netip.IPv6Unspecified()
	}
	b.notef("%s %s: no local address to reach %s (%v); using %s, set %s= to choose", l.Name, field, dst, err, zero, field)
	return zero
}

func (b *Builder) resolve(i int, opt Options) error {
	l, next := b.layers[i], b.next(i)
	nextKind := spec.Kind(-1)
	if next != nil {
		nextKind = next.Kind
	}
	switch l.Kind {
	case spec.Ether, spec.VLAN:
		t, ok := etherTypeOf[nextKind]
		if !ok {
			t = etherTypePayload
		}
		l.def("type", uint64(t))
		if l.Kind == spec.VLAN {
			l.def("prio", 0)
			l.def("dei", 0)
			l.def("id", 1)
			return nil
		}
		l.srcMAC, l.dstMAC = b.etherAddrs(l, opt)
	case spec.ARP:
		l.def("hwtype", 1)
		l.def("ptype", 0x0800)
		l.def("hwlen", 6)
		l.def("plen", 4)
		l.def("op", 1)
		l.dst, _ = l.addr("pdst")
		l.src = b.source(l, "psrc", l.dst, opt)
		l.dstMAC, _ = l.mac("hwdst")
		if l.dstMAC == nil {
			l.dstMAC = make(net.HardwareAddr, 6)
		}
		// hwsrc is resolved with ether's src, in etherAddrs.
	case spec.IPv4:
		l.dst, _ = l.addr("dst")
		l.src = b.source(l, "src", l.dst, opt)
		opts := len(pad4(l.Fields["options"].Bytes))
		if err := b.optionsFit(l, opts, maxIPv4Options, "an IPv4 header", "ihl", 15, "a multiple of 4"); err != nil {
			return err
		}
		l.def("version", 4)
		l.def("ihl", uint64(5+opts/4))
		l.def("tos", 0)
		l.counter("id", uint64(uint16(opt.Rand())))
		l.def("flags", 0)
		l.def("frag", 0)
		l.def("ttl", defaultTTL)
		l.def("proto", b.proto(nextKind))
	case spec.IPv6:
		l.dst, _ = l.addr("dst")
		l.src = b.source(l, "src", l.dst, opt)
		l.def("version", 6)
		l.def("tc", 0)
		l.def("fl", 0)
		l.def("nh", b.proto(nextKind))
		l.def("hlim", defaultTTL)
	case spec.HopByHop, spec.DestOpts:
		opts := len(pad8(l.Fields["options"].Bytes))
		if err := b.optionsFit(l, opts, maxExtOptions, "an extension header", "len", 255, "a multiple of 8 with the 2-byte header"); err != nil {
			return err
		}
		l.def("nh", b.proto(nextKind))
		l.def("len", uint64(opts/8))
	case spec.Routing:
		l.def("nh", b.proto(nextKind))
		n := uint64(len(l.Fields["addrs"].Bytes) / 16)
		if err := b.addrsFit(l, n); err != nil {
			return err
		}
		l.def("len", 2*n)
		l.def("type", 0)
		l.def("segleft", n)
	case spec.Fragment6:
		l.def("nh", b.proto(nextKind))
		l.def("res", 0)
		l.def("offset", 0)
		l.def("res2", 0)
		l.def("m", 0)
		l.def("id", uint64(opt.Rand()))
	case spec.ICMP:
		l.def("type", 8)
		l.def("code", 0)
		l.def("mtu", 0)
		l.def("id", uint64(uint16(opt.Rand())))
		if isICMPQuery(l.n["type"]) {
			l.counter("seq", defaultICMPSeq)
		} else {
			l.def("seq", 0)
			if !l.Has("id") {
				l.n["id"] = 0 // the "unused" word of an error
			}
		}
	case spec.ICMPv6:
		l.def("type", 128)
		l.def("code", 0)
		l.def("id", uint64(uint16(opt.Rand())))
		if t := l.n["type"]; t == 128 || t == 129 {
			l.counter("seq", defaultICMPSeq)
		} else {
			l.def("seq", 0)
			if !l.Has("id") {
				l.n["id"] = 0
			}
		}
		l.def("flags", 0)
		l.def("mtu", 0)
		if a, ok := l.addr("target"); ok {
			l.dst = a
		} else if ip := b.above(i, spec.IPv6); ip != nil && !ip.Fields["dst"].Addr.IsMulticast() {
			l.dst = ip.Fields["dst"].Addr // the address a neighbour solicitation asks about
		} else {
			l.dst = netip.IPv6Unspecified()
		}
	case spec.TCP:
		l.def("sport", uint64(ephemeralPort(opt.Rand())))
		l.def("dport", 80)
		l.def("seq", uint64(opt.Rand()))
		l.def("ack", 0)
		opts := len(pad4(l.Fields["options"].Bytes))
		if err := b.optionsFit(l, opts, maxTCPOptions, "a TCP header", "dataofs", 15, "a multiple of 4"); err != nil {
			return err
		}
		l.def("dataofs", uint64(5+opts/4))
		l.def("reserved", 0)
		l.def("flags", 0x02) // SYN
		l.def("win", defaultTCPWin)
		l.def("urp", 0)
	case spec.UDP:
		l.def("sport", uint64(ephemeralPort(opt.Rand())))
		if nextKind == spec.DNS {
			l.def("dport", 53)
		} else {
			l.def("dport", 9) // discard (RFC 863)
		}
	case spec.DNS:
		l.def("id", uint64(uint16(opt.Rand())))
		for _, f := range []string{"qr", "opcode", "aa", "tc", "ra", "z", "ad", "cd", "rcode", "ancount", "nscount", "arcount"} {
			l.def(f, 0)
		}
		l.def("rd", 1)
		l.def("qdcount", 1)
		l.def("qtype", 1)  // A
		l.def("qclass", 1) // IN
	}
	return nil
}

// The most option bytes a header's length field counts.
const (
	maxIPv4Options  = 40   // IHL is 4 bits of 32-bit words, 20 of them fixed (RFC 791 section 3.1)
	maxTCPOptions   = 40   // Data Offset likewise (RFC 9293 section 3.1)
	maxExtOptions   = 2046 // Hdr Ext Len: 8 bits of 8 octets past the first 8, 2 of them fixed (RFC 8200 section 4.3)
	maxRoutingAddrs = 127  // Hdr Ext Len counts 255 8-octet units past the first 8: 127 addresses
)

// optionsFit refuses options (padded to n bytes) that l's length field,
// when the builder computes it, cannot count: it would wrap, and the next
// header would be read from inside the options. A user who sets the length
// field crafts a malformed header on purpose, and gets every byte.
func (b *Builder) optionsFit(l *layer, n, most int, header, lenField string, lenMost int, padding string) error {
	v, ok := l.Fields["options"]
	if !ok || n <= most || l.Has(lenField) {
		return nil
	}
	padded := ""
	if len(v.Bytes) != n {
		padded = fmt.Sprintf(" (%d padded to %s)", len(v.Bytes), padding)
	}
	return &spec.Error{Spec: b.spec.Text, Offset: v.Offset,
		Msg: fmt.Sprintf("%s options: %d bytes%s, more than the %d %s holds (%s at most %d); remove some, or set %s= to send them anyway",
			l.Name, n, padded, most, header, lenField, lenMost, lenField)}
}

// addrsFit refuses n routing addresses that rh's len or segleft, when the
// builder computes them, cannot count.
func (b *Builder) addrsFit(l *layer, n uint64) error {
	v := l.Fields["addrs"]
	switch {
	case n > maxRoutingAddrs && !l.Has("len"):
		return &spec.Error{Spec: b.spec.Text, Offset: v.Offset,
			Msg: fmt.Sprintf("rh addrs: %d addresses, more than the %d a routing header holds (len at most 255); remove some, or set len= to send them anyway", n, maxRoutingAddrs)}
	case n > 255 && !l.Has("segleft"):
		return &spec.Error{Spec: b.spec.Text, Offset: v.Offset,
			Msg: fmt.Sprintf("rh addrs: %d addresses, more than segleft counts (at most 255); set segleft= to send them anyway", n)}
	}
	return nil
}

func (b *Builder) proto(next spec.Kind) uint64 {
	if p, ok := protoOf[next]; ok {
		return uint64(p)
	}
	return protoNone
}

// isICMPQuery reports whether ICMP type t carries an identifier and sequence
// number (echo, timestamp, information, address mask: RFC 792, RFC 950).
func isICMPQuery(t uint64) bool {
	switch t {
	case 0, 8, 13, 14, 15, 16, 17, 18:
		return true
	}
	return false
}

// ephemeralPort is a port in Linux's default ip_local_port_range, 32768-60999.
func ephemeralPort(r uint32) uint16 { return uint16(32768 + r%(60999-32768+1)) }

// above is the nearest layer of kind k before index i.
func (b *Builder) above(i int, kinds ...spec.Kind) *layer {
	for j := i - 1; j >= 0; j-- {
		for _, k := range kinds {
			if b.layers[j].Kind == k {
				return b.layers[j]
			}
		}
	}
	return nil
}

// etherAddrs resolves ether's src and dst (and an ARP's hwsrc below it).
// A MAC the spec sets is kept; a multicast or broadcast destination has its
// mapped MAC; any other takes the route's interface MAC and the next hop's,
// from opt.Hops.
func (b *Builder) etherAddrs(l *layer, opt Options) (src, dst net.HardwareAddr) {
	var arp, ip *layer
	for _, x := range b.layers {
		switch {
		case x.Kind == spec.ARP && arp == nil:
			arp = x
		case (x.Kind == spec.IPv4 || x.Kind == spec.IPv6) && ip == nil && arp == nil:
			ip = x
		}
	}
	src, srcSet := l.mac("src")
	dst, dstSet := l.mac("dst")
	if !dstSet {
		dst = groupMAC(arp, ip)
	}
	if srcSet && dst != nil {
		return b.hwsrc(arp, src), dst
	}
	var to netip.Addr
	switch {
	case arp != nil:
		to = arp.dst // pdst
	case ip != nil:
		to = ip.dst
	}
	// The route is asked for when the spec leaves a MAC to find, the
	// neighbours only for a unicast destination the spec gives no MAC for.
	var hopErr error
	var route Route
	if opt.Hops == nil {
		hopErr = fmt.Errorf("no neighbour-table lookup here")
	} else if !to.IsValid() || to.IsUnspecified() {
		hopErr = fmt.Errorf("no destination address to find them from")
	} else {
		route, hopErr = opt.Hops.Route(to)
	}
	if !srcSet {
		switch {
		case hopErr == nil && len(route.MAC) == 6:
			src = route.MAC
		case len(opt.IfaceMAC) == 6:
			src = opt.IfaceMAC
		default:
			src = make(net.HardwareAddr, 6)
			if hopErr == nil && !route.Loopback {
				b.notef("ether src: 00:00:00:00:00:00: %s has no MAC; set src= to choose", route.Iface)
			} else if hopErr != nil {
				b.notef("ether src: 00:00:00:00:00:00 (%v); give -i IFACE for its MAC, or set src=", hopErr)
			}
		}
	}
	if dst == nil {
		if hopErr == nil {
			dst, hopErr = opt.Hops.NextMAC(route)
		}
		if hopErr != nil || len(dst) != 6 {
			dst = make(net.HardwareAddr, 6)
			b.notef("ether dst: 00:00:00:00:00:00 (%v); set dst= to choose", hopErr)
		}
	}
	return b.hwsrc(arp, src), dst
}

// hwsrc gives an ARP layer without hwsrc the frame's src, and returns src.
func (b *Builder) hwsrc(arp *layer, src net.HardwareAddr) net.HardwareAddr {
	if arp != nil {
		var ok bool
		if arp.srcMAC, ok = arp.mac("hwsrc"); !ok {
			arp.srcMAC = src
		}
	}
	return src
}

// groupMAC is the destination MAC a frame has whatever the neighbours: an
// ARP request's broadcast, the MAC an IP multicast or broadcast maps to.
// nil for a unicast destination.
func groupMAC(arp, ip *layer) net.HardwareAddr {
	switch {
	case arp != nil && arp.n["op"] == 1:
		return broadcastMAC
	case ip != nil && ip.dst.Is4() && ip.dst.IsMulticast():
		a := ip.dst.As4() // RFC 1112 section 6.4
		return net.HardwareAddr{0x01, 0x00, 0x5e, a[1] & 0x7f, a[2], a[3]}
	case ip != nil && ip.dst.Is4() && ip.dst == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return broadcastMAC
	case ip != nil && ip.dst.Is6() && ip.dst.IsMulticast():
		a := ip.dst.As16() // RFC 2464 section 7
		return net.HardwareAddr{0x33, 0x33, a[12], a[13], a[14], a[15]}
	}
	return nil
}

// pad4 pads IPv4 or TCP options with zeros (EOL) to a multiple of 4 bytes.
func pad4(opts []byte) []byte {
	for len(opts)%4 != 0 {
		opts = append(opts, 0)
	}
	return opts
}

// pad8 pads IPv6 options so that the extension header (2 bytes, then the
// options) is a multiple of 8 bytes, with Pad1 or PadN (RFC 8200 section 4.2).
func pad8(opts []byte) []byte {
	switch n := (8 - (2+len(opts))%8) % 8; n {
	case 0:
	case 1:
		opts = append(opts, 0)
	default:
		opts = append(opts, 1, byte(n-2))
		opts = append(opts, make([]byte, n-2)...)
	}
	return opts
}

// val is field name of l for packet i.
func (l *layer) val(name string, i int) uint64 {
	if l.count[name] {
		return l.n[name] + uint64(i)
	}
	return l.n[name]
}

// packet builds packet i, innermost layer first, each header written in
// front of the bytes of the layers inside it.
func (b *Builder) packet(i int) ([]byte, error) {
	f := newFront(b.size)
	for j := len(b.layers) - 1; j >= 0; j-- {
		l := b.layers[j]
		inner := f.bytes()
		var hdr []byte
		switch l.Kind {
		case spec.Payload:
			hdr = l.Data
		case spec.Ether:
			hdr = append(append(append(hdr, l.dstMAC...), l.srcMAC...), be16(l.n["type"])...)
		case spec.VLAN:
			tci := l.n["prio"]<<13 | l.n["dei"]<<12 | l.n["id"]
			hdr = append(be16(tci), be16(l.n["type"])...)
		case spec.ARP:
			hdr = be16(l.n["hwtype"])
			hdr = append(hdr, be16(l.n["ptype"])...)
			hdr = append(hdr, byte(l.n["hwlen"]), byte(l.n["plen"]))
			hdr = append(hdr, be16(l.n["op"])...)
			hdr = append(hdr, l.srcMAC...)
			hdr = append(hdr, l.src.AsSlice()...)
			hdr = append(hdr, l.dstMAC...)
			hdr = append(hdr, l.dst.AsSlice()...)
		case spec.IPv4:
			var err error
			if hdr, err = b.ipv4(l, i, inner); err != nil {
				return nil, err
			}
		case spec.IPv6:
			hdr = make([]byte, 40)
			binary.BigEndian.PutUint32(hdr, uint32(l.n["version"]<<28|l.n["tc"]<<20|l.n["fl"]))
			if len(inner) > 0xffff && !l.Has("plen") {
				return nil, b.tooBig(l, 40+len(inner), "ip6 plen", 0xffff+40)
			}
			binary.BigEndian.PutUint16(hdr[4:], uint16(l.Num("plen", uint64(len(inner)))))
			hdr[6], hdr[7] = byte(l.n["nh"]), byte(l.n["hlim"])
			copy(hdr[8:], l.src.AsSlice())
			copy(hdr[24:], l.dst.AsSlice())
		case spec.HopByHop, spec.DestOpts:
			hdr = append([]byte{byte(l.n["nh"]), byte(l.n["len"])}, pad8(l.Fields["options"].Bytes)...)
		case spec.Routing:
			hdr = []byte{byte(l.n["nh"]), byte(l.n["len"]), byte(l.n["type"]), byte(l.n["segleft"]), 0, 0, 0, 0}
			hdr = append(hdr, l.Fields["addrs"].Bytes...)
		case spec.Fragment6:
			hdr = []byte{byte(l.n["nh"]), byte(l.n["res"])}
			hdr = append(hdr, be16(l.n["offset"]<<3|l.n["res2"]<<1|l.n["m"])...)
			hdr = binary.BigEndian.AppendUint32(hdr, uint32(l.n["id"]))
		case spec.ICMP:
			hdr = []byte{byte(l.n["type"]), byte(l.n["code"]), 0, 0}
			hdr = append(hdr, be16(l.val("id", i))...)
			hdr = append(hdr, be16(l.val("seq", i))...)
			if gw, ok := l.addr("gw"); ok {
				copy(hdr[4:], gw.AsSlice())
			}
			if l.Has("mtu") {
				binary.BigEndian.PutUint16(hdr[6:], uint16(l.n["mtu"]))
			}
			b.check(l, hdr, 2, func() uint16 { return wire.Fold(wire.Sum(wire.Sum(0, hdr), inner)) })
		case spec.ICMPv6:
			hdr = b.icmp6(l, i, j, inner)
		case spec.TCP:
			hdr = b.tcp(l, j, inner)
		case spec.UDP:
			hdr = be16(l.n["sport"])
			hdr = append(hdr, be16(l.n["dport"])...)
			n := 8 + len(inner)
			if n > 0xffff && !l.Has("len") {
				return nil, b.tooBig(l, n, "udp len", 0xffff)
			}
			hdr = append(hdr, be16(l.Num("len", uint64(n)))...)
			hdr = append(hdr, 0, 0)
			b.check(l, hdr, 6, func() uint16 {
				c := wire.Fold(wire.Sum(wire.Sum(b.pseudo(j, 17, n), hdr), inner))
				if c == 0 {
					return 0xffff // 0 means "no checksum" (RFC 768)
				}
				return c
			})
		case spec.DNS:
			hdr = b.dns(l)
		}
		f.prepend(hdr)
	}
	p := f.bytes()
	if len(p) > spec.MaxPacket {
		return nil, &spec.Error{Spec: b.spec.Text, Offset: 0,
			Msg: fmt.Sprintf("the packet would be %d bytes, more than a packet may hold (%d)", len(p), spec.MaxPacket)}
	}
	return p, nil
}

// front is a buffer that grows at the front, as gopacket's SerializeBuffer
// does: a header goes in front of the layers inside it without copying
// them again, so that a packet is built in time linear in its length (a
// copy of the inner bytes per layer made 1e5 vlan layers take a minute).
type front struct {
	buf   []byte
	start int // the packet is buf[start:]
}

// newFront is a buffer with room for size bytes: a packet of that length
// fills it exactly.
func newFront(size int) *front {
	return &front{buf: make([]byte, size), start: size}
}

func (f *front) bytes() []byte { return f.buf[f.start:] }

// prepend puts b in front of the bytes so far, doubling the buffer when it
// has no room.
func (f *front) prepend(b []byte) {
	if len(b) > f.start {
		n := len(f.buf) - f.start
		size := max(2*len(f.buf), n+len(b), 256)
		buf := make([]byte, size)
		copy(buf[size-n:], f.bytes())
		f.buf, f.start = buf, size-n
	}
	f.start -= len(b)
	copy(f.buf[f.start:], b)
}

func (b *Builder) tooBig(l *layer, n int, field string, most int) error {
	return &spec.Error{Spec: b.spec.Text, Offset: l.Offset,
		Msg: fmt.Sprintf("%s would be %d bytes, more than %s holds (%d); make the payload smaller or set the length", l.Name, n, field, most)}
}

// check writes the checksum at hdr[off:] unless the user set it: then the
// user's value, right or wrong, goes on the wire.
func (b *Builder) check(l *layer, hdr []byte, off int, compute func() uint16) {
	if f, ok := l.Fields["chksum"]; ok {
		binary.BigEndian.PutUint16(hdr[off:], uint16(f.Num))
		return
	}
	binary.BigEndian.PutUint16(hdr[off:], compute())
}

// pseudo is the pseudo-header sum for the transport layer at index j: the
// addresses of the nearest IP header above it, IPv6's final destination
// when a routing header lists one (RFC 8200 section 8.1).
func (b *Builder) pseudo(j int, proto uint8, length int) uint32 {
	ip := b.above(j, spec.IPv4, spec.IPv6)
	if ip == nil {
		return 0
	}
	dst := ip.dst
	for k := j - 1; k >= 0 && b.layers[k] != ip; k-- {
		if rh := b.layers[k]; rh.Kind == spec.Routing {
			if a := rh.Fields["addrs"].Bytes; len(a) >= 16 {
				dst = netip.AddrFrom16([16]byte(a[len(a)-16:]))
			}
		}
	}
	return pseudoSum(ip.src, dst, proto, length)
}

func (b *Builder) ipv4(l *layer, i int, inner []byte) ([]byte, error) {
	opts := pad4(l.Fields["options"].Bytes)
	hdr := make([]byte, 20, 20+len(opts))
	hdr[0] = byte(l.n["version"]<<4 | l.n["ihl"]&0xf)
	hdr[1] = byte(l.n["tos"])
	n := 20 + len(opts) + len(inner)
	if n > 0xffff && !l.Has("len") {
		return nil, b.tooBig(l, n, "ip len", 0xffff)
	}
	binary.BigEndian.PutUint16(hdr[2:], uint16(l.Num("len", uint64(n))))
	binary.BigEndian.PutUint16(hdr[4:], uint16(l.val("id", i)))
	binary.BigEndian.PutUint16(hdr[6:], uint16(l.n["flags"]<<13|l.n["frag"]))
	hdr[8], hdr[9] = byte(l.n["ttl"]), byte(l.n["proto"])
	copy(hdr[12:], l.src.AsSlice())
	copy(hdr[16:], l.dst.AsSlice())
	hdr = append(hdr, opts...)
	b.check(l, hdr, 10, func() uint16 { return wire.Checksum(hdr) })
	return hdr, nil
}

func (b *Builder) icmp6(l *layer, i, j int, inner []byte) []byte {
	hdr := []byte{byte(l.n["type"]), byte(l.n["code"]), 0, 0}
	hdr = append(hdr, be16(l.val("id", i))...)
	hdr = append(hdr, be16(l.val("seq", i))...)
	if l.Has("mtu") {
		binary.BigEndian.PutUint32(hdr[4:], uint32(l.n["mtu"]))
	}
	if l.Has("flags") {
		hdr[4] = byte(l.n["flags"])
	}
	t := l.n["type"]
	if t == 135 || t == 136 || t == 137 || l.Has("target") {
		hdr = append(hdr, l.dst.AsSlice()...)
	}
	if mac, ok := l.mac("lladdr"); ok {
		kind := byte(1) // source link-layer address (RFC 4861 section 4.6.1)
		if t == 136 || t == 137 {
			kind = 2 // target link-layer address
		}
		hdr = append(append(hdr, kind, 1), mac...)
	}
	n := len(hdr) + len(inner)
	b.check(l, hdr, 2, func() uint16 { return wire.Fold(wire.Sum(wire.Sum(b.pseudo(j, 58, n), hdr), inner)) })
	return hdr
}

func (b *Builder) tcp(l *layer, j int, inner []byte) []byte {
	opts := pad4(l.Fields["options"].Bytes)
	hdr := make([]byte, 20, 20+len(opts))
	binary.BigEndian.PutUint16(hdr, uint16(l.n["sport"]))
	binary.BigEndian.PutUint16(hdr[2:], uint16(l.n["dport"]))
	binary.BigEndian.PutUint32(hdr[4:], uint32(l.n["seq"]))
	binary.BigEndian.PutUint32(hdr[8:], uint32(l.n["ack"]))
	hdr[12] = byte(l.n["dataofs"]<<4 | l.n["reserved"])
	hdr[13] = byte(l.n["flags"])
	binary.BigEndian.PutUint16(hdr[14:], uint16(l.n["win"]))
	binary.BigEndian.PutUint16(hdr[18:], uint16(l.n["urp"]))
	hdr = append(hdr, opts...)
	n := len(hdr) + len(inner)
	b.check(l, hdr, 16, func() uint16 { return wire.Fold(wire.Sum(wire.Sum(b.pseudo(j, 6, n), hdr), inner)) })
	return hdr
}

func (b *Builder) dns(l *layer) []byte {
	hdr := be16(l.n["id"])
	var flags uint64
	for _, f := range []struct {
		name  string
		shift uint
	}{{"qr", 15}, {"opcode", 11}, {"aa", 10}, {"tc", 9}, {"rd", 8}, {"ra", 7}, {"z", 6}, {"ad", 5}, {"cd", 4}, {"rcode", 0}} {
		flags |= l.n[f.name] << f.shift
	}
	hdr = append(hdr, be16(flags)...)
	for _, c := range []string{"qdcount", "ancount", "nscount", "arcount"} {
		hdr = append(hdr, be16(l.n[c])...)
	}
	hdr = append(hdr, l.Fields["qname"].Bytes...)
	hdr = append(hdr, be16(l.n["qtype"])...)
	return append(hdr, be16(l.n["qclass"])...)
}

func be16(v uint64) []byte { return []byte{byte(v >> 8), byte(v)} }
