package filter

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// The scanner splits an expression into the tokens pcap-filter(7) knows.
// Like the flex scanner tcpdump uses, it takes at each position the longest
// token any rule matches, and of two as long the rule listed first; that is
// why "ip6" is a keyword, "ip6x" a name, "tcp-syn" the number 2, and
// "10.1.2.3.4.5" an Ethernet address.

type tokKind int

const (
	tEOF      tokKind = iota
	tNum              // a number, or a name that stands for one (tcp-syn)
	tID               // a name; text without the escaping backslash
	tHID              // dotted IPv4 address or prefix: 10, 10.1, 10.1.2.3
	tHID6             // IPv6 address
	tEID              // Ethernet address
	tAID              // $xx
	tPunct            // one of + - * / % : [ ] ! < > ( ) & | ^ = >= <= != == << >>
	tKey              // a keyword; key says which
	tNamedNum         // scanning only: a name for a number
)

// token is one lexeme at byte offset pos of the expression.
type token struct {
	kind tokKind
	key  keyword
	text string
	num  uint32
	pos  int
}

func (t token) String() string {
	if t.kind == tEOF {
		return "end of expression"
	}
	return fmt.Sprintf("%q", t.text)
}

type keyword int

const (
	kNone keyword = iota
	kDst
	kSrc
	kLink
	kHost
	kNet
	kMask
	kPort
	kPortrange
	kProto
	kProtochain
	kGateway
	kLess
	kGreater
	kByte
	kBroadcast
	kMulticast
	kAnd
	kOr
	kNot
	kLen
	kInbound
	kOutbound
	kIfindex
	kVlan
	kMpls
	kPppoed
	kPppoes
	kGeneve
	kLLC
	kAddr1
	kAddr2
	kAddr3
	kAddr4
	kRA
	kTA
	kWlanType // type, subtype, dir: 802.11 only
	kATM      // lane, metac, vpi...: ATM only
	kMTP      // fisu, sio...: SS7 MTP only
	kPF       // on, rset, reason...: OpenBSD pflog only
	kProtoName
)

// protocol qualifiers; zero is "none given".
type proto int

const (
	pDefault proto = iota
	pLink
	pIP
	pArp
	pRarp
	pSCTP
	pTCP
	pUDP
	pICMP
	pIGMP
	pIGRP
	pPIM
	pVRRP
	pCARP
	pRadio
	pIP6
	pICMP6
	pAH
	pESP
	pAtalk
	pAarp
	pDecnet
	pLat
	pSca
	pMoprc
	pMopdl
	pISO
	pESIS
	pISIS
	pL1
	pL2
	pIIH
	pLSP
	pSNP
	pCSNP
	pPSNP
	pCLNP
	pSTP
	pIPX
	pNetbeui
)

var protoNames = map[string]proto{
	"link": pLink, "ether": pLink, "ppp": pLink, "slip": pLink, "fddi": pLink, "tr": pLink, "wlan": pLink,
	"ip": pIP, "arp": pArp, "rarp": pRarp, "sctp": pSCTP, "tcp": pTCP, "udp": pUDP, "icmp": pICMP,
	"igmp": pIGMP, "igrp": pIGRP, "pim": pPIM, "vrrp": pVRRP, "carp": pCARP, "radio": pRadio,
	"ip6": pIP6, "icmp6": pICMP6, "ah": pAH, "esp": pESP, "atalk": pAtalk, "aarp": pAarp,
	"decnet": pDecnet, "lat": pLat, "sca": pSca, "moprc": pMoprc, "mopdl": pMopdl, "iso": pISO,
	"esis": pESIS, "es-is": pESIS, "isis": pISIS, "is-is": pISIS, "l1": pL1, "l2": pL2, "iih": pIIH,
	"lsp": pLSP, "snp": pSNP, "csnp": pCSNP, "psnp": pPSNP, "clnp": pCLNP, "stp": pSTP, "ipx": pIPX,
	"netbeui": pNetbeui,
}

// protoWord is how an error names a protocol qualifier.
func (p proto) String() string {
	best := ""
	for name, q := range protoNames {
		if q == p && (best == "" || name < best) {
			best = name
		}
	}
	if p == pLink {
		return "link"
	}
	return best
}

var keywords = map[string]keyword{
	"dst": kDst, "src": kSrc, "host": kHost, "net": kNet, "mask": kMask, "port": kPort,
	"portrange": kPortrange, "proto": kProto, "protochain": kProtochain, "gateway": kGateway,
	"less": kLess, "greater": kGreater, "byte": kByte, "broadcast": kBroadcast,
	"multicast": kMulticast, "and": kAnd, "&&": kAnd, "or": kOr, "||": kOr, "not": kNot,
	"len": kLen, "length": kLen, "inbound": kInbound, "outbound": kOutbound, "ifindex": kIfindex,
	"vlan": kVlan, "mpls": kMpls, "pppoed": kPppoed, "pppoes": kPppoes, "geneve": kGeneve,
	"llc": kLLC, "address1": kAddr1, "addr1": kAddr1, "address2": kAddr2, "addr2": kAddr2,
	"address3": kAddr3, "addr3": kAddr3, "address4": kAddr4, "addr4": kAddr4, "ra": kRA, "ta": kTA,
	"type": kWlanType, "subtype": kWlanType, "direction": kWlanType, "dir": kWlanType,
	"lane": kATM, "metac": kATM, "bcc": kATM, "oam": kATM, "oamf4": kATM, "oamf4ec": kATM,
	"oamf4sc": kATM, "sc": kATM, "ilmic": kATM, "vpi": kATM, "vci": kATM, "connectmsg": kATM,
	"metaconnect": kATM,
	"on":          kPF, "ifname": kPF, "rset": kPF, "ruleset": kPF, "rnr": kPF, "rulenum": kPF, "srnr": kPF,
	"subrulenum": kPF, "reason": kPF, "action": kPF,
	"fisu": kMTP, "lssu": kMTP, "lsu": kMTP, "msu": kMTP, "hfisu": kMTP, "hlssu": kMTP, "hmsu": kMTP,
	"sio": kMTP, "opc": kMTP, "dpc": kMTP, "sls": kMTP, "hsio": kMTP, "hopc": kMTP, "hdpc": kMTP,
	"hsls": kMTP,
}

// namedNumbers are the names that scan as numbers: header field offsets and
// their values.
var namedNumbers = map[string]uint32{
	"icmptype": 0, "icmpcode": 1,
	"icmp-echoreply": 0, "icmp-unreach": 3, "icmp-sourcequench": 4, "icmp-redirect": 5,
	"icmp-echo": 8, "icmp-routeradvert": 9, "icmp-routersolicit": 10, "icmp-timxceed": 11,
	"icmp-paramprob": 12, "icmp-tstamp": 13, "icmp-tstampreply": 14, "icmp-ireq": 15,
	"icmp-ireqreply": 16, "icmp-maskreq": 17, "icmp-maskreply": 18,
	"icmp6type": 0, "icmp6code": 1,
	"icmp6-destinationunreach": 1, "icmp6-packettoobig": 2, "icmp6-timeexceeded": 3,
	"icmp6-parameterproblem": 4, "icmp6-echo": 128, "icmp6-echoreply": 129,
	"icmp6-multicastlistenerquery": 130, "icmp6-multicastlistenerreportv1": 131,
	"icmp6-multicastlistenerdone": 132, "icmp6-routersolicit": 133, "icmp6-routeradvert": 134,
	"icmp6-neighborsolicit": 135, "icmp6-neighboradvert": 136, "icmp6-redirect": 137,
	"icmp6-routerrenum": 138, "icmp6-nodeinformationquery": 139,
	"icmp6-nodeinformationresponse": 140, "icmp6-ineighbordiscoverysolicit": 141,
	"icmp6-ineighbordiscoveryadvert": 142, "icmp6-multicastlistenerreportv2": 143,
	"icmp6-homeagentdiscoveryrequest": 144, "icmp6-homeagentdiscoveryreply": 145,
	"icmp6-mobileprefixsolicit": 146, "icmp6-mobileprefixadvert": 147,
	"icmp6-certpathsolicit": 148, "icmp6-certpathadvert": 149,
	"icmp6-multicastrouteradvert": 151, "icmp6-multicastroutersolicit": 152,
	"icmp6-multicastrouterterm": 153,
	"tcpflags":                  13, "tcp-fin": 0x01, "tcp-syn": 0x02, "tcp-rst": 0x04, "tcp-push": 0x08,
	"tcp-ack": 0x10, "tcp-urg": 0x20, "tcp-ece": 0x40, "tcp-cwr": 0x80,
}

const (
	reNum = `(?:0[Xx][0-9A-Fa-f]+|[0-9]+)`
	reB   = `[0-9A-Fa-f][0-9A-Fa-f]?`
	reB2  = `[0-9A-Fa-f]{4}`
	reW   = `[0-9A-Fa-f]{1,4}`
)

func anchored(re string) *regexp.Regexp {
	r := regexp.MustCompile(`^(?:` + re + `)`)
	r.Longest()
	return r
}

// ipv6Forms is every spelling of an IPv6 address the scanner takes: eight
// groups, or fewer with one "::", the last two groups optionally written
// as a dotted IPv4 address.
func ipv6Forms() string {
	groups := func(n int) string {
		g := make([]string, n)
		for i := range g {
			g[i] = reW
		}
		return strings.Join(g, ":")
	}
	v4 := reNum + `\.` + reNum + `\.` + reNum + `\.` + reNum
	forms := []string{groups(8), groups(6) + ":" + v4}
	for total := 0; total <= 7; total++ {
		for left := 0; left <= total; left++ {
			forms = append(forms, groups(left)+"::"+groups(total-left))
		}
	}
	for total := 0; total <= 5; total++ {
		for left := 0; left <= total; left++ {
			right := groups(total - left)
			if right != "" {
				right += ":"
			}
			forms = append(forms, groups(left)+"::"+right+v4)
		}
	}
	return strings.Join(forms, "|")
}

// patterned rules, in the order that breaks ties. Each is compiled the
// first time a token may match it (may): the IPv6 forms alone cost a
// millisecond, which a run whose filter names no IPv6 address would pay
// at start-up for nothing.
var scanRules = []struct {
	kind tokKind
	may  func(s string) bool
	re   func() *regexp.Regexp
}{
	{tAID, func(s string) bool { return s[0] == '$' }, lazy(func() string { return `\$` + reB })},
	{tEID, hexStart, lazy(func() string {
		return strings.Join([]string{
			strings.Repeat(reB+`:`, 5) + reB, strings.Repeat(reB+`-`, 5) + reB,
			strings.Repeat(reB+`\.`, 5) + reB, reB2 + `\.` + reB2 + `\.` + reB2, reB2 + reB2 + reB2}, "|")
	})},
	{tNum, digitStart, lazy(func() string { return reNum })},
	{tHID, digitStart, lazy(func() string { return reNum + `(?:\.` + reNum + `){1,3}` })},
	{tHID6, func(s string) bool { return (hexStart(s) || s[0] == ':') && colonAhead(s) }, lazy(ipv6Forms)},
	{tEOF, func(s string) bool { return hexStart(s) && colonAhead(s) }, lazy(func() string { return reB + `:+(?:` + reB + `:+)+` })}, // a bogus Ethernet address
}

// lazy is the anchored pattern re gives, compiled on first use.
func lazy(re func() string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return anchored(re()) })
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func hexStart(s string) bool   { return isHex(s[0]) }
func digitStart(s string) bool { return s[0] >= '0' && s[0] <= '9' }

// colonAhead reports whether the run of hexadecimal digits, colons and
// dots at the start of s holds a colon: every IPv6 form and bogus
// Ethernet address does.
func colonAhead(s string) bool {
	for i := 0; i < len(s) && (isHex(s[i]) || s[i] == ':' || s[i] == '.'); i++ {
		if s[i] == ':' {
			return true
		}
	}
	return false
}

var (
	idRule      = anchored(`[A-Za-z0-9](?:[-_.A-Za-z0-9]*[.A-Za-z0-9])?`)
	escapedRule = anchored(`\\[^ !()\n\t]+`)
)

// scan splits expr into tokens, ending with a tEOF token.
func scan(expr string) ([]token, error) {
	var toks []token
	for i := 0; ; {
		for i < len(expr) && strings.IndexByte(" \r\n\t", expr[i]) >= 0 {
			i++
		}
		if i == len(expr) {
			return append(toks, token{kind: tEOF, pos: i}), nil
		}
		t, n, err := scanOne(expr[i:])
		if err != nil {
			return nil, &Error{Expr: expr, Offset: i, Msg: err.Error()}
		}
		t.pos, t.text = i, expr[i:i+n]
		if t.kind == tID && t.text[0] == '\\' {
			t.text = t.text[1:]
		}
		toks = append(toks, t)
		i += n
	}
}

// scanOne returns the longest token at the start of s and its length.
func scanOne(s string) (token, int, error) {
	best, bestLen := token{}, 0
	consider := func(t token, n int) {
		if n > bestLen {
			best, bestLen = t, n
		}
	}
	// Keywords come first in the scanner's rules.
	for word, k := range keywords {
		if strings.HasPrefix(s, word) {
			consider(token{kind: tKey, key: k}, len(word))
		}
	}
	for word, p := range protoNames {
		if strings.HasPrefix(s, word) {
			consider(token{kind: tKey, key: kProtoName, num: uint32(p)}, len(word))
		}
	}
	if strings.IndexByte("+-*/%:[]!<>()&|^=", s[0]) >= 0 {
		consider(token{kind: tPunct}, 1)
	}
	if len(s) >= 2 {
		switch s[:2] {
		case ">=", "<=", "!=", "==", "<<", ">>":
			consider(token{kind: tPunct}, 2)
		}
	}
	for _, r := range scanRules {
		if !r.may(s) {
			continue
		}
		if m := r.re().FindStringIndex(s); m != nil {
			consider(token{kind: r.kind}, m[1])
		}
	}
	for name, v := range namedNumbers {
		if strings.HasPrefix(s, name) {
			consider(token{kind: tNamedNum, num: v}, len(name))
		}
	}
	if m := idRule.FindStringIndex(s); m != nil {
		consider(token{kind: tID}, m[1])
	}
	if m := escapedRule.FindStringIndex(s); m != nil {
		consider(token{kind: tID}, m[1])
	}
	text := s[:bestLen]
	switch {
	case bestLen == 0:
		return token{}, 0, fmt.Errorf("unexpected character %q: remove it (a filter is words, numbers, addresses and ( ) [ ] : ! < > = & | ^ + - * / %%)", s[:1])
	case best.kind == tEOF:
		return token{}, 0, fmt.Errorf("%s is neither an Ethernet address (six bytes in hex: 02:00:00:00:00:01) nor an IPv6 address (fd00::1, one :: at most)", text)
	case best.kind == tNum:
		v, err := parseNumber(text)
		if err != nil {
			return token{}, 0, err
		}
		best.num = v
	case best.kind == tNamedNum:
		best.kind = tNum
	case best.kind == tPunct:
		switch text {
		case "==":
			text = "="
		case "&&":
			return token{kind: tKey, key: kAnd}, 2, nil
		case "||":
			return token{kind: tKey, key: kOr}, 2, nil
		}
		if text == "!" {
			return token{kind: tKey, key: kNot}, 1, nil
		}
	}
	return best, bestLen, nil
}

// parseNumber reads a number as the scanner does: 0x hexadecimal, a
// leading 0 octal, else decimal; more than 32 bits is an error.
func parseNumber(s string) (uint32, error) {
	base, digits := uint64(10), s
	switch {
	case len(s) > 2 && (s[:2] == "0x" || s[:2] == "0X"):
		base, digits = 16, s[2:]
	case len(s) > 1 && s[0] == '0':
		base, digits = 8, s[1:]
	}
	var n uint64
	for _, c := range digits {
		var d uint64
		switch {
		case c >= '0' && c <= '9':
			d = uint64(c - '0')
		case c >= 'a' && c <= 'f':
			d = uint64(c-'a') + 10
		case c >= 'A' && c <= 'F':
			d = uint64(c-'A') + 10
		}
		if d >= base {
			return 0, fmt.Errorf("%s: a number that starts with 0 is octal, and has no digit 8 or 9 (leave the 0 out for decimal)", s)
		}
		n = n*base + d
		if n > 0xffffffff {
			return 0, fmt.Errorf("%s does not fit in 32 bits (4294967295 at most)", s)
		}
	}
	return uint32(n), nil
}
