package decode

import "strings"

// Protocols' short names, as tshark -G protocols gives them (its second
// column): the Protocol column of -z expert. wlan.mgt is not a protocol of
// tshark's but a part of 802.11's, whose name it takes.

// shortNames maps a protocol's filter name to its short name.
var shortNames = map[string]string{
	"_ws.malformed":     "Malformed packet",
	"_ws.short":         "Short frame",
	"_ws.unreassembled": "Unreassembled fragmented packet",
	"ah":                "AH",
	"arp":               "ARP/RARP",
	"bfd":               "BFD Control",
	"bgp":               "BGP",
	"clnp":              "CLNP",
	"data":              "Data",
	"data-text-lines":   "Line-based text data",
	"dhcp":              "DHCP/BOOTP",
	"dhcpv6":            "DHCPv6",
	"dns":               "DNS",
	"eap":               "EAP",
	"eigrp":             "EIGRP",
	"erspan":            "ERSPAN",
	"esis":              "ESIS",
	"esp":               "ESP",
	"eth":               "Ethernet",
	"frame":             "Frame",
	"ftp":               "FTP",
	"geneve":            "Geneve",
	"gre":               "GRE",
	"http":              "HTTP",
	"icmp":              "ICMP",
	"icmpv6":            "ICMPv6",
	"ieee8021ad":        "IEEE 802.1AD",
	"igmp":              "IGMP",
	"ip":                "IPv4",
	"lisp":              "LISP Control",
	"sflow":             "sFlow",
	"snmp":              "SNMP",
	"ipcomp":            "IPComp",
	"ipv6":              "IPv6",
	"ipv6.dstopts":      "IPv6 Destination",
	"ipv6.fraghdr":      "IPv6 Fragment",
	"ipv6.hopopts":      "IPv6 Hop-by-Hop",
	"ipv6.routing":      "IPv6 Routing",
	"isakmp":            "ISAKMP",
	"isis":              "ISIS",
	"isis.csnp":         "ISIS CSNP",
	"isis.hello":        "ISIS HELLO",
	"isis.lsp":          "ISIS LSP",
	"isis.psnp":         "ISIS PSNP",
	"json":              "JSON",
	"llc":               "LLC",
	"lldp":              "LLDP",
	"loop":              "LOOP",
	"lwres":             "LWRES",
	"macsec":            "MACsec",
	"mipv6":             "MIPv6",
	"mpls":              "MPLS",
	"msnlb":             "MS NLB",
	"nhrp":              "NHRP",
	"nsh":               "NSH",
	"ntp":               "NTP",
	"null":              "Null",
	"ospf":              "OSPF",
	"pim":               "PIM",
	"pptp":              "PPTP",
	"radiotap":          "802.11 Radiotap",
	"radius":            "RADIUS",
	"raw":               "Raw",
	"rpkirtr":           "RPKI-Router Protocol",
	"rsvp":              "RSVP",
	"rtsp":              "RTSP",
	"sctp":              "SCTP",
	"sip":               "SIP",
	"sll":               "SLL",
	"smtp":              "SMTP",
	"ssh":               "SSH",
	"stp":               "STP",
	"syslog":            "Syslog",
	"tcp":               "TCP",
	"tftp":              "TFTP",
	"udld":              "UDLD",
	"udp":               "UDP",
	"udpencap":          "UDPENCAP",
	"urlencoded-form":   "URL Encoded Form Data",
	"vlan":              "VLAN",
	"vrrp":              "VRRP",
	"vxlan":             "VXLAN",
	"vxlan_gpe":         "VXLAN (GPE)",
	"whois":             "WHOIS",
	"wlan":              "IEEE 802.11",
	"wlan.mgt":          "IEEE 802.11",
	"wlan_radio":        "802.11 Radio",
	"xml":               "XML",
}

// ShortName is the short name of protocol p ("IPv4", "ARP/RARP"), or its
// filter name in capitals when tshark has none for it.
func ShortName(p FieldID) string {
	name := registry[p].Name
	if s, ok := shortNames[name]; ok {
		return s
	}
	return strings.ToUpper(name)
}
