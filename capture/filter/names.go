package filter

import (
	"bufio"
	"bytes"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync"
)

// Names resolves the names an expression may use, as libpcap does through
// the C library: hosts from /etc/hosts (never DNS, so that compiling a
// filter never waits on the network), services from /etc/services,
// protocols from /etc/protocols, networks from /etc/networks and Ethernet
// hosts from /etc/ethers. A file that is missing falls back to a built-in
// table of the common names (services and protocols) or to nothing.
type Names struct {
	hosts    map[string][]netip.Addr
	tcp, udp map[string]int
	protos   map[string]int
	networks map[string]uint32
	ethers   map[string][6]byte
}

var (
	systemNamesOnce sync.Once
	systemNames     *Names
)

// SystemNames returns the names of this machine's /etc files, read once.
func SystemNames() *Names {
	systemNamesOnce.Do(func() {
		systemNames = LoadNames("/etc")
	})
	return systemNames
}

// LoadNames reads hosts, services, protocols, networks and ethers from dir.
func LoadNames(dir string) *Names {
	n := &Names{
		hosts:    map[string][]netip.Addr{},
		tcp:      map[string]int{},
		udp:      map[string]int{},
		protos:   map[string]int{},
		networks: map[string]uint32{},
		ethers:   map[string][6]byte{},
	}
	if !eachLine(dir+"/services", n.addService) {
		for _, s := range builtinServices {
			n.addService(strings.Fields(s))
		}
	}
	if !eachLine(dir+"/protocols", n.addProtocol) {
		for _, s := range builtinProtocols {
			n.addProtocol(strings.Fields(s))
		}
	}
	eachLine(dir+"/hosts", n.addHost)
	eachLine(dir+"/networks", n.addNetwork)
	eachLine(dir+"/ethers", n.addEther)
	return n
}

// eachLine calls f with the fields of every line of path, comments cut off;
// it reports whether the file could be read.
func eachLine(path string, f func([]string)) bool {
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		if fields := strings.Fields(line); len(fields) > 0 {
			f(fields)
		}
	}
	return true
}

// addService takes "name port/proto aliases...". The first entry for a name
// wins, as getservbyname returns the first match in the file.
func (n *Names) addService(f []string) {
	if len(f) < 2 {
		return
	}
	num, proto, ok := strings.Cut(f[1], "/")
	port, err := strconv.Atoi(num)
	if !ok || err != nil || port < 0 || port > 65535 {
		return
	}
	var m map[string]int
	switch proto {
	case "tcp":
		m = n.tcp
	case "udp":
		m = n.udp
	default:
		return
	}
	for i, name := range f {
		if i == 1 {
			continue
		}
		if _, dup := m[name]; !dup {
			m[name] = port
		}
	}
}

func (n *Names) addProtocol(f []string) {
	if len(f) < 2 {
		return
	}
	num, err := strconv.Atoi(f[1])
	if err != nil || num < 0 || num > 255 {
		return
	}
	for i, name := range f {
		if i == 1 {
			continue
		}
		if _, dup := n.protos[name]; !dup {
			n.protos[name] = num
		}
	}
}

func (n *Names) addHost(f []string) {
	addr, err := netip.ParseAddr(f[0])
	if err != nil || addr.Zone() != "" {
		return
	}
	for _, name := range f[1:] {
		n.hosts[name] = append(n.hosts[name], addr.Unmap())
	}
}

// addNetwork takes "name number aliases...", the number in inet_network's
// dotted form with 1 to 4 parts ("127", "10.1", "169.254.0.0").
func (n *Names) addNetwork(f []string) {
	if len(f) < 2 {
		return
	}
	v, ok := inetNetwork(f[1])
	if !ok {
		return
	}
	for i, name := range f {
		if i == 1 {
			continue
		}
		if _, dup := n.networks[name]; !dup {
			n.networks[name] = v
		}
	}
}

// inetNetwork is inet_network(3): parts of 0x/0-prefixed or decimal numbers,
// each part a byte, the value right-justified ("10.1" is 0x0a01).
func inetNetwork(s string) (uint32, bool) {
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return 0, false
	}
	var v uint32
	for _, p := range parts {
		x, err := strconv.ParseUint(p, 0, 32)
		if err != nil || x > 255 {
			return 0, false
		}
		v = v<<8 | uint32(x)
	}
	return v, true
}

func (n *Names) addEther(f []string) {
	if len(f) < 2 {
		return
	}
	var mac [6]byte
	parts := strings.Split(f[0], ":")
	if len(parts) != 6 {
		return
	}
	for i, p := range parts {
		x, err := strconv.ParseUint(p, 16, 8)
		if err != nil {
			return
		}
		mac[i] = byte(x)
	}
	if _, dup := n.ethers[f[1]]; !dup {
		n.ethers[f[1]] = mac
	}
}

// host returns the addresses /etc/hosts gives name, IPv4 and IPv6.
func (n *Names) host(name string) []netip.Addr { return n.hosts[name] }

// port resolves a port name as libpcap does: the TCP port of name if there
// is one (with proto protoUndef when UDP has the same number), else the UDP
// port.
func (n *Names) port(name string) (port, proto int, ok bool) {
	tcp, okT := n.tcp[name]
	udp, okU := n.udp[name]
	switch {
	case okT && okU && tcp == udp:
		return tcp, protoUndef, true
	case okT:
		return tcp, ipprotoTCP, true
	case okU:
		return udp, ipprotoUDP, true
	}
	return 0, 0, false
}

func (n *Names) protocol(name string) (int, bool) {
	v, ok := n.protos[name]
	return v, ok
}

func (n *Names) network(name string) (uint32, bool) {
	v, ok := n.networks[name]
	return v, ok
}

func (n *Names) ether(name string) ([6]byte, bool) {
	v, ok := n.ethers[name]
	return v, ok
}

// builtinServices are the names most filters use, for a machine (a CI
// container) without /etc/services; entries follow netbase's file.
var builtinServices = []string{
	"tcpmux 1/tcp", "echo 7/tcp", "echo 7/udp", "discard 9/tcp sink null", "discard 9/udp sink null",
	"daytime 13/tcp", "daytime 13/udp", "ftp-data 20/tcp", "ftp 21/tcp", "ssh 22/tcp",
	"telnet 23/tcp", "smtp 25/tcp mail", "time 37/tcp timserver", "time 37/udp timserver",
	"whois 43/tcp nicname", "tacacs 49/tcp", "tacacs 49/udp", "domain 53/tcp", "domain 53/udp",
	"bootps 67/udp", "bootpc 68/udp", "tftp 69/udp", "gopher 70/tcp", "finger 79/tcp",
	"http 80/tcp www", "kerberos 88/tcp kerberos5 krb5 kerberos-sec", "kerberos 88/udp kerberos5 krb5 kerberos-sec",
	"pop3 110/tcp pop-3", "sunrpc 111/tcp portmapper", "sunrpc 111/udp portmapper", "auth 113/tcp authentication tap ident",
	"nntp 119/tcp readnews untp", "ntp 123/udp", "epmap 135/tcp loc-srv", "netbios-ns 137/udp",
	"netbios-dgm 138/udp", "netbios-ssn 139/tcp", "imap2 143/tcp imap", "snmp 161/tcp", "snmp 161/udp",
	"snmp-trap 162/tcp snmptrap", "snmp-trap 162/udp snmptrap", "xdmcp 177/udp", "bgp 179/tcp",
	"irc 194/tcp", "ldap 389/tcp", "ldap 389/udp", "https 443/tcp", "https 443/udp",
	"microsoft-ds 445/tcp", "isakmp 500/udp", "syslog 514/udp", "printer 515/tcp spooler",
	"submission 587/tcp", "ipp 631/tcp", "ldaps 636/tcp", "ldaps 636/udp", "rsync 873/tcp",
	"ftps-data 989/tcp", "ftps 990/tcp", "telnets 992/tcp", "imaps 993/tcp", "pop3s 995/tcp",
	"socks 1080/tcp", "openvpn 1194/tcp", "openvpn 1194/udp", "ms-sql-s 1433/tcp", "radius 1812/tcp",
	"radius 1812/udp", "nfs 2049/tcp", "nfs 2049/udp", "mysql 3306/tcp", "postgresql 5432/tcp",
	"sip 5060/tcp", "sip 5060/udp", "x11 6000/tcp x11-0", "http-alt 8080/tcp webcache",
}

// builtinProtocols are /etc/protocols' common entries, for the same reason.
var builtinProtocols = []string{
	"ip 0 IP", "hopopt 0 HOPOPT", "icmp 1 ICMP", "igmp 2 IGMP", "ggp 3 GGP", "ipencap 4 IP-ENCAP",
	"st 5 ST", "tcp 6 TCP", "egp 8 EGP", "igp 9 IGP", "pup 12 PUP", "udp 17 UDP", "hmp 20 HMP",
	"xns-idp 22 XNS-IDP", "rdp 27 RDP", "iso-tp4 29 ISO-TP4", "dccp 33 DCCP", "xtp 36 XTP",
	"ddp 37 DDP", "idpr-cmtp 38 IDPR-CMTP", "ipv6 41 IPv6", "ipv6-route 43 IPv6-Route",
	"ipv6-frag 44 IPv6-Frag", "idrp 45 IDRP", "rsvp 46 RSVP", "gre 47 GRE", "esp 50 IPSEC-ESP",
	"ah 51 IPSEC-AH", "skip 57 SKIP", "ipv6-icmp 58 IPv6-ICMP", "ipv6-nonxt 59 IPv6-NoNxt",
	"ipv6-opts 60 IPv6-Opts", "rspf 73 RSPF CPHB", "vmtp 81 VMTP", "eigrp 88 EIGRP", "ospf 89 OSPFIGP",
	"ax.25 93 AX.25", "ipip 94 IPIP", "etherip 97 ETHERIP", "encap 98 ENCAP", "pim 103 PIM",
	"ipcomp 108 IPCOMP", "vrrp 112 VRRP", "l2tp 115 L2TP", "isis 124 ISIS", "sctp 132 SCTP",
	"fc 133 FC", "mobility-header 135 Mobility-Header", "udplite 136 UDPLite", "mpls-in-ip 137 MPLS-in-IP",
	"manet 138", "hip 139 HIP", "shim6 140 Shim6", "wesp 141 WESP", "rohc 142 ROHC", "ethernet 143 Ethernet",
}
