package craft

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// rawProtocols are the names craft --listen takes for IP protocol numbers
// (IANA's, as /etc/protocols spells them).
var rawProtocols = map[string]int{
	"icmp": 1, "igmp": 2, "ipip": 4, "tcp": 6, "egp": 8, "udp": 17, "dccp": 33,
	"ipv6": 41, "rsvp": 46, "gre": 47, "esp": 50, "ah": 51, "icmp6": 58, "icmpv6": 58,
	"ipv6-icmp": 58, "ospf": 89, "pim": 103, "vrrp": 112, "l2tp": 115, "sctp": 132, "udplite": 136,
}

// ParseRawProtocol reads the protocol of a raw IP socket: a name (icmp, tcp,
// udp, ...) or a number from 1 to 254. With ip6, icmp means ICMPv6. name is
// the protocol's name, or its number when it has none here.
func ParseRawProtocol(s string, ip6 bool) (proto int, name string, err error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if p, ok := rawProtocols[s]; ok {
		if ip6 && p == 1 {
			return 58, "icmp6", nil
		}
		return p, s, nil
	}
	n, err := strconv.ParseUint(s, 0, 8)
	if errors.Is(err, strconv.ErrRange) {
		return 0, "", fmt.Errorf("protocol %s is out of range: give a number from 1 to 254", s)
	}
	if err != nil {
		return 0, "", fmt.Errorf("unknown protocol %q: give icmp, tcp, udp or a number from 1 to 254", s)
	}
	if n == 0 || n == 255 {
		// 0 is no protocol for a raw socket on Linux (EPROTONOSUPPORT), and
		// 255, IPPROTO_RAW, only sends: such a socket receives nothing.
		return 0, "", fmt.Errorf("protocol %d: a raw socket cannot receive it; give a number from 1 to 254", n)
	}
	for name, p := range rawProtocols {
		if p == int(n) && !strings.Contains(name, "icmpv6") && name != "ipv6-icmp" {
			return p, name, nil
		}
	}
	return int(n), s, nil
}
