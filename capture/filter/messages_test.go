package filter

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"unicode"

	"github.com/sockscope/sockscope/decode/wire"
)

// badExpressions are expressions sockscope refuses, one or more for each
// error the compiler has: the link type, the column and the message. All
// but the ones marked tcpdumpAccepts are refused by tcpdump too.
var badExpressions = []struct {
	link           wire.LinkType
	expr           string
	col            int
	msg            string
	tcpdumpAccepts bool
}{
	// The scanner.
	{1, "ip and # x", 8, `unexpected character "#": remove it (a filter is words, numbers, addresses and ( ) [ ] : ! < > = & | ^ + - * / %)`, false},
	{1, "host 1::2::3", 6, "1::2:: is neither an Ethernet address (six bytes in hex: 02:00:00:00:00:01) nor an IPv6 address (fd00::1, one :: at most)", false},
	{1, "port 08", 6, "08: a number that starts with 0 is octal, and has no digit 8 or 9 (leave the 0 out for decimal)", false},
	{1, "port 4294967296", 6, "4294967296 does not fit in 32 bits (4294967295 at most)", false},

	// The parser: each says what it expected at the column.
	{1, "tcp and", 8, `expected a primitive (host, port, tcp, ip[0] = 1...) after "and", found end of expression`, false},
	{1, "not", 4, `expected a primitive (host, port, tcp, ip[0] = 1...) after "not", found end of expression`, false},
	{1, "tcp and (", 10, `expected a primitive (host, port, tcp, ip[0] = 1...) after "(", found end of expression`, false},
	{1, "= 1", 1, `expected a primitive (host, port, tcp, ip[0] = 1...), found "="`, false},
	{1, "localhost", 1, `expected a primitive (host, port, tcp, ip[0] = 1...), found "localhost": write host localhost or port localhost`, false},
	{1, "(1.2.3.4)", 2, `expected a primitive (host, port, tcp, ip[0] = 1...), found "1.2.3.4": write host 1.2.3.4`, false},
	{1, "ip and (tcp", 12, `missing ")": the "(" at column 8 is not closed`, false},
	{1, "host (1 x", 9, `expected ")" to close the "(" at column 6, found "x"`, false},
	{1, "tcp)", 4, `this ")" closes no "(": remove it, or open the group with "("`, false},
	{1, "tcp port 80 ip", 13, `expected "and", "or" or the end of the expression, found "ip"`, false},
	{1, "host", 5, `expected a host address or name after "host", found end of expression`, false},
	{1, "port", 5, `expected a port number or name after "port", found end of expression`, false},
	{1, "portrange -5", 11, `expected a port range (FIRST-LAST, as in 1000-2000) after "portrange", found "-"`, false},
	{1, "ip proto", 9, `expected a protocol number or name after "proto", found end of expression`, false},
	{1, "src", 4, `expected a host, network or port after "src", found end of expression`, false},
	{1, "src or 10.0.0.1", 8, `expected "dst" after "src or": write src or dst, then host, net or port`, false},
	{1, "less x", 6, `expected a number after "less", found "x"`, false},
	{1, "byte", 5, `expected a byte offset after "byte", found end of expression`, false},
	{1, "byte 1 + 2", 8, `expected one of & | < > = after "byte 1", found "+"`, false},
	{1, "byte 1 = x", 10, `expected a number, found "x"`, false},
	{1, "vlan (x", 7, `expected a number, found "x"`, false},
	{1, "ip[1", 5, `expected "]" to close the "[" at column 3, found end of expression`, false},
	{1, "ip[1:x]", 6, `expected a size (1, 2 or 4) after ":", found "x": write ip[offset:1], [offset:2] or [offset:4]`, false},
	{1, "ip[0] & tcp = 1", 13, `expected "[" after "tcp", found "=": write tcp[offset] to test its header's bytes`, false},
	{1, "tcp[0] =", 9, "expected a number, len or proto[offset], found end of expression", false},
	{1, "host 1.2.3.4/x", 14, `expected a prefix length after "/", found "x"`, false},
	{1, "net 1.2.3.4 mask x", 18, `expected a dotted network mask after "mask", found "x"`, false},
	{1, "host (1 1.2.3.4)", 9, `expected ")" to close the "(" at column 6, found "1.2.3.4"`, false},

	// Addresses and their qualifiers.
	{1, "ip and n", 8, `"n" needs a qualifier, and the term before it has none to lend: write host n or port n`, false},
	{1, "ip6 host 10.0.0.1", 10, "'ip6' cannot qualify 10.0.0.1, an IPv4 address: write 'host 10.0.0.1', or 'ip6 host' with an IPv6 address", false},
	{1, "ip6 src net 10.0.0.0/8", 13, "'ip6' cannot qualify 10.0.0.0/8, an IPv4 network: write 'src net 10.0.0.0/8', or 'ip6 net' with an IPv6 network", false},
	{1, "ip host ::1", 9, "'ip' cannot qualify ::1, an IPv6 address: write 'host ::1', or 'ip host' with an IPv4 address", false},
	{1, "arp host ::1", 10, "'arp' cannot qualify ::1, an IPv6 address: write 'host ::1', or 'arp host' with an IPv4 address", false},
	{1, "tcp host 1.2.3.4", 10, "'tcp' cannot qualify an IP address: write 'tcp and host 1.2.3.4'", false},
	{1, "udp net fd00::/8", 9, "'udp' cannot qualify an IP address: write 'udp and net fd00::/8'", false},
	{1, "ether host 1.2.3.4", 12, "'ether' takes Ethernet addresses, not the IPv4 address 1.2.3.4: write 'host 1.2.3.4', or 'ether host' with an Ethernet address", false},
	{1, "ether dst host ::1", 16, "'ether' takes Ethernet addresses, not the IPv6 address ::1: write 'dst host ::1', or 'ether host' with an Ethernet address", false},
	{1, "ip host 02:00:00:00:00:01", 9, `02:00:00:00:00:01 is an Ethernet address, which only "ether" can qualify: write ether host 02:00:00:00:00:01`, false},
	{101, "ether host 02:00:00:00:00:01", 12, "Ethernet addresses cannot be tested in raw IP captures: test IP addresses instead (host ADDRESS)", false},
	{1, "host $10", 6, "ARCnet addresses ($xx) need an ARCnet capture, not Ethernet", false},
	{1, "host 10.0.0.300", 6, "10.0.0.300 is not an IPv4 address: each of its parts is a number from 0 to 255", false},
	{1, "net 10.1.2.3/8", 5, "10.1.2.3/8 has bits set past its /8 mask: write 10.0.0.0/8", false},
	{1, "host 1.2.3.4 mask 255.255.0.0", 6, "1.2.3.4 mask 255.255.0.0 has bits set past its mask: write 1.2.0.0/16", false},
	{1, "net ::1/64", 5, "::1/64 has bits set past its /64 mask: write ::/64", false},
	{1, "net 10.0.0.0/33", 5, "prefix length 33 is more than an IPv4 address's 32 bits: write /0 to /32", false},
	{1, "net ::/129", 5, "prefix length 129 is more than an IPv6 address's 128 bits: write /0 to /128", false},
	{1, "net 10.0.0.0 mask 255.0.300.0", 19, "255.0.300.0 is not a network mask: write four numbers from 0 to 255, as in 255.255.0.0", false},
	{1, "host nosuchhost", 6, "'nosuchhost' is not a host name in /etc/hosts: write its address, or add it there", false},
	{1, "ether host nosuchhost", 12, "'nosuchhost' is not a host name in /etc/ethers: write its Ethernet address, or add it there", false},
	{1, "net nosuchnet", 5, "'nosuchnet' is not a network name in /etc/networks: write its address and prefix (10.0.0.0/8), or add it there", false},
	{1, "addr1 10.0.0.1", 7, "802.11 address qualifiers (addr1-4, ra, ta) need an 802.11 capture, not Ethernet: write src or dst", false},
	{1, "gateway foo", 9, `sockscope has no "gateway" primitive: write ether host ETHER and not host HOST, with the gateway's Ethernet and IP addresses`, false},
	{1, "decnet host foo", 13, "sockscope looks up no DECnet names: write the address as AREA.NODE, as in 1.2", false},

	// Ports.
	{1, "tcp port 70000", 10, "port 70000 is past 65535: a port is 0 to 65535", false},
	{1, "udp portrange 1-70000", 15, "port 70000 is past 65535: a port is 0 to 65535", false},
	{1, "port nosuchport", 6, "'nosuchport' is not a port name in /etc/services: give a number or a name it lists", false},
	{1, "tcp portrange 1-nosuch", 17, "'nosuch' in the range '1-nosuch' is not a port name in /etc/services: give a number or a name it lists", false},
	{1, "tcp portrange nosuch", 15, "'nosuch' is not a port range: write FIRST-LAST, as in 1000-2000", false},
	{1, "udp port http", 10, "'http' names a tcp port in /etc/services, not a udp one: write tcp port http, or udp port and a number", false},
	{1, "icmp port 80", 11, "'icmp' has no ports: write tcp, udp or sctp port, or port alone for all three", false},

	// Protocols.
	{1, "ip proto nosuch", 10, "'nosuch' is not a protocol name in /etc/protocols: write its number, as in proto 6", false},
	{1, "ether proto nosuch", 13, "'nosuch' is not an EtherType name sockscope knows: write its number, as in ether proto 0x0800", false},
	{1, "tcp proto 6", 11, "'proto' after 'tcp' has no meaning: write ether proto, ip proto, ip6 proto or iso proto", false},
	{1, "tcp protochain 6", 16, "'protochain' after 'tcp' has no meaning: write ip protochain or ip6 protochain", false},
	{1, "ip protochain nosuch", 15, "'nosuch' is not a protocol name in /etc/protocols: write its number, as in protochain 6", false},
	{1, "geneve and ip protochain 6", 26, "protochain after geneve is not supported: write ip proto N", false},
	{1, "link", 1, `"link" needs a field or qualifier: write link[offset] or link proto NUMBER`, false},
	{1, "radio", 1, "radio needs 802.11 radiotap captures, and this one is Ethernet", false},

	// Arithmetic.
	{1, "tcp[0:3] = 1", 1, "tcp[0:3] loads 3 bytes: a load is 1, 2 or 4 bytes; write tcp[0:1], tcp[0:2] or tcp[0:4]", false},
	{1, "tcp[ 2 *\n2:3] = 1", 1, "tcp[2*2:3] loads 3 bytes: a load is 1, 2 or 4 bytes; write tcp[2*2:1], tcp[2*2:2] or tcp[2*2:4]", false},
	{1, "ip[1] / 0 = 1", 7, `"/" by 0 has no result: write a number other than 0 after "/"`, false},
	{1, "ip[1] % 0 = 1", 7, `"%" by 0 has no result: write a number other than 0 after "%"`, false},
	{1, "ip[1] / (2 - 2) = 1", 7, `"/" by 0 has no result: write a divisor other than 0 after "/"`, false},
	{1, "len / udp[0:2] = 1", 5, `the right of "/" starts with the number 0, which counts as "/" by 0 (as in tcpdump): write it so another number comes first`, false},
	{1, "ip[1] << 40 = 1", 7, `"<<" by 40: a shift is by 0 to 31 bits`, false},
	{1, "len >> (40 - 20) = 1", 5, `the right of ">>" starts with 40, which counts as a shift past 31 bits (as in tcpdump): start it with a number up to 31`, false},
	{1, "ip[0] >> (16 + 16) = 1", 7, `">>" by 32: a shift is by 0 to 31 bits`, false},
	{1, "radio[0] = 1", 1, "radio[...] needs 802.11 radiotap captures, and this one is Ethernet", false},
	{1, "stp[0] = 1", 1, "'stp' has no header sockscope can index: write ether, ip, ip6, arp, tcp, udp, icmp or icmp6 [offset]", false},
	{1, "ether[1] + (ether[2] + (ether[3] + (ether[4] + (ether[5] + (ether[6] + (ether[7] + (ether[8] + (ether[9] + (ether[10] + (ether[11] + (ether[12] + (ether[13] + (ether[14] + (ether[15] + (ether[16] + (ether[17] + ether[18])))))))))))))))) = 1",
		210, "this arithmetic keeps more values at once than a BPF program has scratch memory for (16 words): nest less to the right of its operators, or split it into comparisons joined by and", false},
	{1, "geneve and geneve and geneve and geneve and geneve and geneve", 45, "this arithmetic keeps more values at once than a BPF program has scratch memory for (16 words): nest less to the right of its operators, or split it into comparisons joined by and", false},

	// Encapsulations and link-layer primitives.
	{1, "vlan 5000", 1, "vlan 5000: a VLAN ID is 12 bits, 0 to 4095", false},
	{1, "mpls 2000000", 1, "mpls 2000000: an MPLS label is 20 bits, 0 to 1048575", false},
	{1, "pppoes 70000", 1, "pppoes 70000: a PPPoE session ID is 16 bits, 0 to 65535", false},
	{1, "geneve 20000000", 1, "geneve 20000000: a VNI is 24 bits, 0 to 16777215", false},
	{101, "vlan", 1, "vlan reads an Ethernet header, which raw IP captures do not have", false},
	{101, "mpls", 1, "mpls reads an Ethernet header, which raw IP captures do not have", false},
	{101, "llc", 1, "llc reads an Ethernet header, which raw IP captures do not have", false},
	{1, "pppoes and vlan", 12, "vlan reads an Ethernet header, and the mpls or pppoes before it has moved past it: write vlan first", false},
	{1, "llc foo", 1, `"foo" is not an 802.2 LLC frame type: write i, s, u, rr, rnr, rej, ui, ua, disc, dm, sabme, test, xid or frmr`, false},
	{1, "tcp broadcast", 1, "only link and ip have a broadcast: write ether broadcast or ip broadcast", false},
	{101, "ether broadcast", 1, "raw IP captures have no link-layer destination to be all ones: write ip broadcast", false},
	{1, "tcp multicast", 1, "only link, ip and ip6 have a multicast: write ether, ip or ip6 multicast", false},
	{101, "multicast", 1, "raw IP captures have no Ethernet destination to test for a group address: write ip multicast or ip6 multicast", false},
	{1, "inbound", 1, "Ethernet captures do not record which way a packet went, so inbound cannot be tested in them: capture with -i any (Linux cooked) to keep the direction", false},
	{113, "ifindex 1", 1, "Linux cooked v1 captures do not record the interface a packet came on, so ifindex cannot be tested in them: capture with -i any (Linux cooked v2) to keep it", false},
	{1, "type mgt", 1, "802.11 frame types need an 802.11 capture, not Ethernet", false},
	{1, "vpi 1", 1, "ATM primitives need a SunATM capture, not Ethernet", false},
	{1, "sio 1", 1, "SS7 MTP primitives need an MTP2 capture, not Ethernet", false},
	{1, "action pass", 1, "pflog primitives need an OpenBSD pflog capture, not Ethernet", false},

	// The whole expression.
	{1, "tcp and udp", 1, "no packet can match this expression: its tests contradict each other (as tcp and udp do); join such tests with or, or drop one", false},

	// Refused by sockscope only (see doc.go's differences): the message
	// is still sockscope's.
	{1, "net ::1", 5, "an IPv6 network needs a prefix length: write net ::1/64", true},
	{1, "decnet host 64.1", 13, "64.1 is not a DECnet address: write AREA.NODE, the area 0 to 63 and the node 0 to 1023", true},
	{1, "decnet host 70000", 13, "DECnet address 70000 is more than 16 bits: write AREA.NODE, as in 1.2", true},
	{1, "decnet net 1.1", 12, "DECnet has no networks: write decnet host", true},
	{1, "mpls and llc", 10, "llc reads an Ethernet header, and the mpls or pppoes before it has moved past it: write llc first", true},
	{1, "pppoes and mpls", 12, "mpls reads an Ethernet header, and the mpls or pppoes before it has moved past it: write mpls first", true},
}

// tcpdumpFiles are captures tcpdump reads to compile for each link type.
var tcpdumpFiles = map[wire.LinkType]string{
	1: "../../testdata/tcp4.pcap", 101: "../../testdata/raw-ip.pcap",
	113: "../../testdata/any-sll1.pcap", 276: "../../testdata/any.pcap",
}

// TestErrorsAreOurOwn: every bad expression gets sockscope's message at
// its column and, where tcpdump is installed, tcpdump refuses it too in
// other words: no run of three words of tcpdump's message (all of it if
// shorter) is in sockscope's, leaving out numbers and the words of the
// expression and of the link type's name. A libpcap message that creeps
// back fails.
func TestErrorsAreOurOwn(t *testing.T) {
	_, lookErr := exec.LookPath("tcpdump")
	switch {
	case lookErr != nil && requireTcpdumpHere():
		t.Error("tcpdump is not installed and SOCKSCOPE_REQUIRE_PRIV=1 (apt-get install tcpdump): messages are not compared with tcpdump's")
	case lookErr != nil:
		t.Log("tcpdump is not installed (apt-get install tcpdump): messages are not compared with tcpdump's")
	}
	compared := 0
	for _, tt := range badExpressions {
		_, err := CompileOptions(tt.expr, tt.link, Options{Names: testNames()})
		var fe *Error
		if !errors.As(err, &fe) {
			t.Errorf("%q (link %d): error %v, want %q", tt.expr, tt.link, err, tt.msg)
			continue
		}
		if fe.Msg != tt.msg || fe.Column() != tt.col {
			t.Errorf("%q (link %d):\n got %q at column %d\nwant %q at column %d", tt.expr, tt.link, fe.Msg, fe.Column(), tt.msg, tt.col)
		}
		if strings.Contains(strings.ToLower(fe.Msg), "syntax error") {
			t.Errorf("%q: %q says \"syntax error\"; say what was expected instead", tt.expr, fe.Msg)
		}
		if lookErr != nil {
			continue
		}
		theirs, rejected := tcpdumpRejects(t, tt.link, tt.expr)
		switch {
		case tt.tcpdumpAccepts && rejected:
			t.Errorf("%q: tcpdump refuses it (%s); the table says it compiles it", tt.expr, theirs)
		case tt.tcpdumpAccepts:
		case !rejected:
			t.Errorf("%q: tcpdump compiles it; the table says it refuses it", tt.expr)
		case sharesWords(fe.Msg, theirs, tt.expr+" "+linkSpecs[tt.link].name):
			t.Errorf("%q: sockscope's message %q has tcpdump's words %q", tt.expr, fe.Msg, theirs)
		default:
			compared++
		}
	}
	if lookErr == nil {
		t.Logf("%d of %d messages compared with tcpdump's: none has its words", compared, len(badExpressions))
	}
}

func requireTcpdumpHere() bool { return os.Getenv("SOCKSCOPE_REQUIRE_PRIV") == "1" }

// tcpdumpRejects compiles expr with tcpdump -d on a capture of link; it
// returns tcpdump's message without "tcpdump: " and the parser's prefix.
func tcpdumpRejects(t *testing.T, link wire.LinkType, expr string) (msg string, rejected bool) {
	t.Helper()
	var stderr bytes.Buffer
	cmd := exec.Command("tcpdump", "-d", "-r", tcpdumpFiles[link], "--", expr)
	cmd.Stderr = &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("tcpdump: %v", err)
	}
	if err == nil {
		return "", false
	}
	for _, line := range strings.Split(stderr.String(), "\n") {
		if m, ok := strings.CutPrefix(line, "tcpdump: "); ok {
			msg = strings.TrimPrefix(m, "can't parse filter expression: ")
		}
	}
	if msg == "" {
		t.Fatalf("%q: tcpdump failed with no message: %s", expr, stderr.String())
	}
	return strings.TrimSpace(msg), true
}

// sharesWords reports whether ours holds a run of three of theirs' words
// (all of theirs if it has fewer), compared in lower case without the
// quotes and punctuation around them, leaving out words without a letter
// and the words of given (the expression's, the link type's name): they
// are the user's, not tcpdump's wording.
func sharesWords(ours, theirs, given string) bool {
	skip := map[string]bool{}
	words := func(s string) []string {
		var out []string
		for _, w := range strings.Fields(strings.ToLower(s)) {
			w = strings.Trim(w, `'"()[],.:;`)
			if strings.ContainsFunc(w, unicode.IsLetter) && !skip[w] {
				out = append(out, w)
			}
		}
		return out
	}
	for _, w := range words(given) {
		skip[w] = true
	}
	o, th := " "+strings.Join(words(ours), " ")+" ", words(theirs)
	n := min(3, len(th))
	for i := 0; n > 0 && i+n <= len(th); i++ {
		if strings.Contains(o, " "+strings.Join(th[i:i+n], " ")+" ") {
			return true
		}
	}
	return false
}
