package spec

// The tables of the language: layers, their fields, and the names their
// values may take. Names are matched without regard to case.

// fieldKind is the form a field's value takes.
type fieldKind int

const (
	fNum     fieldKind = iota // a number (decimal or 0x hex) up to max, or a name from names
	fFlags                    // numbers, names or flag letters joined with |, OR-ed
	fMAC                      // 02:00:00:00:00:01
	fIPv4                     // 10.0.0.1
	fIPv6                     // fd00::1
	fTCPOpts                  // [mss=1460,sackok,wscale=7,ts=1:2,sack=1:2,nop,eol,hex:...] or hex:...
	fIPOpts                   // [nop,eol,ra,rr=N,hex:...] or hex:...
	fIP6Opts                  // [pad1,padn=N,ra=N,jumbo=N,hex:...] or hex:...
	fAddrs6                   // [fd00::1,fd00::2]
	fDNSName                  // www.example.com
)

type fieldDef struct {
	name    string
	kind    fieldKind
	max     uint64
	names   map[string]uint64
	letters map[byte]uint64 // fFlags: a word of these letters, as tcp's SA
}

type layerDef struct {
	name     string
	aliases  []string
	fields   []fieldDef
	required []string
	follow   []Kind // the layers that may come next
	hint     string // said when a layer that cannot follow is written after this one
}

var etherTypes = map[string]uint64{
	"ipv4": 0x0800, "ip": 0x0800, "arp": 0x0806, "vlan": 0x8100, "8021q": 0x8100,
	"qinq": 0x88a8, "8021ad": 0x88a8, "ipv6": 0x86dd, "ip6": 0x86dd, "rarp": 0x8035,
}

var ipProtos = map[string]uint64{
	"hopopt": 0, "hbh": 0, "icmp": 1, "igmp": 2, "ipip": 4, "ip": 4, "ipv4": 4, "tcp": 6,
	"udp": 17, "ipv6": 41, "ip6": 41, "routing": 43, "rh": 43, "fragment": 44, "frag6": 44,
	"gre": 47, "esp": 50, "ah": 51, "icmp6": 58, "ipv6-icmp": 58, "none": 59, "nonxt": 59,
	"dstopts": 60, "sctp": 132,
}

var ipFlags = map[string]uint64{"mf": 1, "df": 2, "rf": 4, "evil": 4}

var tcpFlagNames = map[string]uint64{
	"fin": 0x01, "syn": 0x02, "rst": 0x04, "psh": 0x08, "ack": 0x10, "urg": 0x20, "ece": 0x40, "cwr": 0x80,
}

var tcpFlagLetters = map[byte]uint64{
	'F': 0x01, 'S': 0x02, 'R': 0x04, 'P': 0x08, 'A': 0x10, 'U': 0x20, 'E': 0x40, 'C': 0x80,
}

var arpOps = map[string]uint64{
	"request": 1, "who-has": 1, "reply": 2, "is-at": 2, "rarp-request": 3, "rarp-reply": 4,
}

// ICMP and ICMPv6 type and code names are nftables' keywords (as decode's
// JSON names them), with a few short aliases.
var icmpTypes = map[string]uint64{
	"echo-reply": 0, "destination-unreachable": 3, "dest-unreachable": 3, "unreachable": 3,
	"source-quench": 4, "redirect": 5, "echo-request": 8, "echo": 8, "router-advertisement": 9,
	"router-solicitation": 10, "time-exceeded": 11, "parameter-problem": 12,
	"timestamp-request": 13, "timestamp-reply": 14, "info-request": 15, "info-reply": 16,
	"address-mask-request": 17, "address-mask-reply": 18,
}

var icmpCodes = map[string]uint64{
	"net-unreachable": 0, "host-unreachable": 1, "prot-unreachable": 2, "port-unreachable": 3,
	"frag-needed": 4, "net-prohibited": 9, "host-prohibited": 10, "admin-prohibited": 13,
	"ttl-exceeded": 0, "reassembly-exceeded": 1,
}

var icmp6Types = map[string]uint64{
	"destination-unreachable": 1, "dest-unreachable": 1, "unreachable": 1, "packet-too-big": 2,
	"time-exceeded": 3, "parameter-problem": 4, "echo-request": 128, "echo": 128, "echo-reply": 129,
	"mld-listener-query": 130, "mld-listener-report": 131, "mld-listener-done": 132,
	"nd-router-solicit": 133, "rs": 133, "nd-router-advert": 134, "ra": 134,
	"nd-neighbor-solicit": 135, "ns": 135, "nd-neighbor-advert": 136, "na": 136,
	"nd-redirect": 137, "mld2-listener-report": 143,
}

var icmp6Codes = map[string]uint64{
	"no-route": 0, "admin-prohibited": 1, "addr-unreachable": 3, "port-unreachable": 4,
	"policy-fail": 5, "reject-route": 6,
}

var icmp6NAFlags = map[string]uint64{"router": 0x80, "solicited": 0x40, "override": 0x20}
var icmp6NALetters = map[byte]uint64{'R': 0x80, 'S': 0x40, 'O': 0x20}

var dnsTypes = map[string]uint64{
	"a": 1, "ns": 2, "cname": 5, "soa": 6, "ptr": 12, "hinfo": 13, "mx": 15, "txt": 16,
	"aaaa": 28, "srv": 33, "naptr": 35, "opt": 41, "ds": 43, "rrsig": 46, "nsec": 47,
	"dnskey": 48, "svcb": 64, "https": 65, "caa": 257, "axfr": 252, "any": 255,
}

var dnsClasses = map[string]uint64{"in": 1, "ch": 3, "chaos": 3, "hs": 4, "any": 255}

var dnsOpcodes = map[string]uint64{"query": 0, "iquery": 1, "status": 2, "notify": 4, "update": 5}

var dnsRcodes = map[string]uint64{
	"noerror": 0, "formerr": 1, "servfail": 2, "nxdomain": 3, "notimp": 4, "refused": 5,
}

func num(name string, bits uint) fieldDef {
	return fieldDef{name: name, kind: fNum, max: 1<<bits - 1}
}

func named(name string, bits uint, names map[string]uint64) fieldDef {
	return fieldDef{name: name, kind: fNum, max: 1<<bits - 1, names: names}
}

func flags(name string, bits uint, names map[string]uint64, letters map[byte]uint64) fieldDef {
	return fieldDef{name: name, kind: fFlags, max: 1<<bits - 1, names: names, letters: letters}
}

func of(name string, kind fieldKind) fieldDef { return fieldDef{name: name, kind: kind} }

var (
	afterLink = []Kind{VLAN, ARP, IPv4, IPv6, Payload}
	afterIPv6 = []Kind{HopByHop, Routing, Fragment6, DestOpts, ICMPv6, TCP, UDP, IPv4, IPv6, Payload}
)

// layerDefs is indexed by Kind.
var layerDefs = [...]layerDef{
	Ether: {name: "ether", aliases: []string{"eth", "ethernet"},
		fields: []fieldDef{of("dst", fMAC), of("src", fMAC), named("type", 16, etherTypes)},
		follow: afterLink, hint: "after ether: vlan, arp, ip, ip6 or a payload"},
	VLAN: {name: "vlan", aliases: []string{"dot1q"},
		fields: []fieldDef{num("prio", 3), num("dei", 1), num("id", 12), named("type", 16, etherTypes)},
		follow: afterLink, hint: "after vlan: vlan, arp, ip, ip6 or a payload"},
	ARP: {name: "arp",
		fields: []fieldDef{named("hwtype", 16, nil), named("ptype", 16, etherTypes), num("hwlen", 8), num("plen", 8),
			named("op", 16, arpOps), of("hwsrc", fMAC), of("psrc", fIPv4), of("hwdst", fMAC), of("pdst", fIPv4)},
		required: []string{"pdst"},
		follow:   []Kind{Payload}, hint: "after arp: only a payload (padding)"},
	IPv4: {name: "ip", aliases: []string{"ipv4", "ip4"},
		fields: []fieldDef{num("version", 4), num("ihl", 4), num("tos", 8), num("len", 16), num("id", 16),
			flags("flags", 3, ipFlags, nil), num("frag", 13), num("ttl", 8), named("proto", 8, ipProtos),
			num("chksum", 16), of("src", fIPv4), of("dst", fIPv4), of("options", fIPOpts)},
		required: []string{"dst"},
		follow:   []Kind{ICMP, TCP, UDP, IPv4, IPv6, Payload},
		hint:     "after ip: icmp, tcp, udp, ip, ip6 or a payload; IPv6's extension headers and icmp6 follow ip6"},
	IPv6: {name: "ip6", aliases: []string{"ipv6"},
		fields: []fieldDef{num("version", 4), num("tc", 8), num("fl", 20), num("plen", 16), named("nh", 8, ipProtos),
			num("hlim", 8), of("src", fIPv6), of("dst", fIPv6)},
		required: []string{"dst"},
		follow:   afterIPv6, hint: "after ip6: hbh, rh, frag6, dstopts, icmp6, tcp, udp, ip, ip6 or a payload; ICMP for IPv6 is icmp6"},
	HopByHop: {name: "hbh", aliases: []string{"hopopts"},
		fields: []fieldDef{named("nh", 8, ipProtos), num("len", 8), of("options", fIP6Opts)},
		follow: afterIPv6, hint: "after an extension header: another, icmp6, tcp, udp, ip, ip6 or a payload"},
	Routing: {name: "rh", aliases: []string{"routing"},
		fields: []fieldDef{named("nh", 8, ipProtos), num("len", 8), num("type", 8), num("segleft", 8), of("addrs", fAddrs6)},
		follow: afterIPv6, hint: "after an extension header: another, icmp6, tcp, udp, ip, ip6 or a payload"},
	Fragment6: {name: "frag6", aliases: []string{"fragment"},
		fields: []fieldDef{named("nh", 8, ipProtos), num("res", 8), num("offset", 13), num("res2", 2), num("m", 1), num("id", 32)},
		follow: afterIPv6, hint: "after an extension header: another, icmp6, tcp, udp, ip, ip6 or a payload"},
	DestOpts: {name: "dstopts", aliases: []string{"destopts"},
		fields: []fieldDef{named("nh", 8, ipProtos), num("len", 8), of("options", fIP6Opts)},
		follow: afterIPv6, hint: "after an extension header: another, icmp6, tcp, udp, ip, ip6 or a payload"},
	ICMP: {name: "icmp",
		fields: []fieldDef{named("type", 8, icmpTypes), named("code", 8, icmpCodes), num("chksum", 16),
			num("id", 16), num("seq", 16), of("gw", fIPv4), num("mtu", 16)},
		follow: []Kind{IPv4, Payload}, hint: "after icmp: the ip packet an error quotes, or a payload"},
	ICMPv6: {name: "icmp6", aliases: []string{"icmpv6"},
		fields: []fieldDef{named("type", 8, icmp6Types), named("code", 8, icmp6Codes), num("chksum", 16),
			num("id", 16), num("seq", 16), num("mtu", 32), flags("flags", 8, icmp6NAFlags, icmp6NALetters),
			of("target", fIPv6), of("lladdr", fMAC)},
		follow: []Kind{IPv6, Payload}, hint: "after icmp6: the ip6 packet an error quotes, or a payload"},
	TCP: {name: "tcp",
		fields: []fieldDef{num("sport", 16), num("dport", 16), num("seq", 32), num("ack", 32), num("dataofs", 4),
			num("reserved", 4), flags("flags", 8, tcpFlagNames, tcpFlagLetters), num("win", 16), num("chksum", 16),
			num("urp", 16), of("options", fTCPOpts)},
		follow: []Kind{Payload}, hint: "after tcp: only a payload"},
	UDP: {name: "udp",
		fields: []fieldDef{num("sport", 16), num("dport", 16), num("len", 16), num("chksum", 16)},
		follow: []Kind{DNS, Payload}, hint: "after udp: dns or a payload"},
	DNS: {name: "dns",
		fields: []fieldDef{num("id", 16), num("qr", 1), named("opcode", 4, dnsOpcodes), num("aa", 1), num("tc", 1),
			num("rd", 1), num("ra", 1), num("z", 1), num("ad", 1), num("cd", 1), named("rcode", 4, dnsRcodes),
			num("qdcount", 16), num("ancount", 16), num("nscount", 16), num("arcount", 16),
			of("qname", fDNSName), named("qtype", 16, dnsTypes), named("qclass", 16, dnsClasses)},
		required: []string{"qname"},
		follow:   []Kind{Payload}, hint: "after dns: only a payload (bytes after the question)"},
	Payload: {name: "payload", follow: []Kind{Payload}, hint: "after a payload: only more payload"},
}

// layerNames maps every name and alias to its kind; fill is a payload.
var layerNames = func() map[string]Kind {
	m := map[string]Kind{}
	for k, d := range layerDefs {
		if Kind(k) == Payload {
			continue
		}
		m[d.name] = Kind(k)
		for _, a := range d.aliases {
			m[a] = Kind(k)
		}
	}
	return m
}()

func (d *layerDef) field(name string) *fieldDef {
	for i := range d.fields {
		if d.fields[i].name == name {
			return &d.fields[i]
		}
	}
	return nil
}

func (d *layerDef) fieldNames() string {
	s := ""
	for i, f := range d.fields {
		if i > 0 {
			s += " "
		}
		s += f.name
	}
	return s
}
