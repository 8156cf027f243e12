package spec

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/sockscope/sockscope/decode/caret"
)

func TestParseReadsEveryKindOfValue(t *testing.T) {
	s, err := Parse(`ether(dst=ff:ff:ff:ff:ff:ff, src=02:00:00:00:00:01, type=0x0800)/ip(dst=10.0.0.2,ttl=3,flags=DF|MF,tos=0x10,frag=010,proto=tcp,options=[nop,ra,rr=2])/tcp(flags=SA,options=[mss=1460,sackok,wscale=7,ts=1:2,nop,eol,sack=1:2|3:4])/"a\x41\n"/hex:0a:0b0c/fill(3,0x41)`)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Layers) != 6 {
		t.Fatalf("%d layers, want 6", len(s.Layers))
	}
	eth, ip, tcp := s.Layers[0], s.Layers[1], s.Layers[2]
	if eth.Fields["dst"].MAC.String() != "ff:ff:ff:ff:ff:ff" || eth.Num("type", 0) != 0x800 {
		t.Errorf("ether: %+v", eth.Fields)
	}
	for name, want := range map[string]uint64{"ttl": 3, "flags": 3, "tos": 16, "frag": 10, "proto": 6} {
		if got := ip.Num(name, 999); got != want {
			t.Errorf("ip %s = %d, want %d", name, got, want)
		}
	}
	if ip.Fields["dst"].Addr.String() != "10.0.0.2" {
		t.Errorf("ip dst %v", ip.Fields["dst"].Addr)
	}
	if got, want := ip.Fields["options"].Bytes, []byte{1, 148, 4, 0, 0, 7, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0}; !bytes.Equal(got, want) {
		t.Errorf("ip options % x, want % x", got, want)
	}
	if tcp.Num("flags", 0) != 0x12 {
		t.Errorf("tcp flags %#x, want 0x12", tcp.Num("flags", 0))
	}
	wantOpts := []byte{2, 4, 5, 0xb4, 4, 2, 3, 3, 7, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 0,
		5, 18, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4}
	if got := tcp.Fields["options"].Bytes; !bytes.Equal(got, wantOpts) {
		t.Errorf("tcp options\n% x, want\n% x", got, wantOpts)
	}
	for i, want := range []string{"aA\n", "\x0a\x0b\x0c", "AAA"} {
		if l := s.Layers[3+i]; l.Kind != Payload || string(l.Data) != want {
			t.Errorf("payload %d: %v %q, want %q", i, l.Kind, l.Data, want)
		}
	}
}

func TestParseNamesAndAliases(t *testing.T) {
	for _, c := range []struct {
		spec  string
		layer int
		field string
		want  uint64
	}{
		{"ip(dst=1.2.3.4)/icmp(type=echo-request)", 1, "type", 8},
		{"ip(dst=1.2.3.4)/icmp(type=dest-unreachable,code=port-unreachable)", 1, "code", 3},
		{"ip6(dst=::1)/icmp6(type=nd-neighbor-solicit)", 1, "type", 135},
		{"ip6(dst=::1)/icmp6(type=NA,flags=RSO)", 1, "flags", 0xe0},
		{"ip(dst=1.2.3.4)/tcp(flags=syn|ack)", 1, "flags", 0x12},
		{"ip(dst=1.2.3.4)/tcp(flags=0x29)", 1, "flags", 0x29},
		{"ip(dst=1.2.3.4)/tcp(flags=FSRPAUEC)", 1, "flags", 0xff},
		{"ip(dst=1.2.3.4)/udp/dns(qname=example.com,qtype=aaaa)", 2, "qtype", 28},
		{"ip(dst=1.2.3.4)/udp/dns(qname=example.com,qtype=MX,qclass=CH,opcode=status,rcode=nxdomain)", 2, "qclass", 3},
		{"IPv4(dst=1.2.3.4,Flags=evil)", 0, "flags", 4},
		{"ether/arp(op=is-at,pdst=1.2.3.4)", 1, "op", 2},
		{"eth(type=ip6)/ip6(dst=::1,nh=udp)/udp", 0, "type", 0x86dd},
		{"ip6(dst=::1)/frag6(offset=8191,m=1,id=0xffffffff)", 1, "id", 0xffffffff},
		{"ip(dst=1.2.3.4,ttl=0x40)", 0, "ttl", 64},
		{"ip(dst=1.2.3.4,ttl=007)", 0, "ttl", 7},
	} {
		s, err := Parse(c.spec)
		if err != nil {
			t.Errorf("%s: %v", c.spec, err)
			continue
		}
		if got := s.Layers[c.layer].Num(c.field, 1<<40); got != c.want {
			t.Errorf("%s: %s = %#x, want %#x", c.spec, c.field, got, c.want)
		}
	}
}

func TestParseIPv6HeadersAndDNSName(t *testing.T) {
	s, err := Parse("ip6(dst=fd00::2,src=fd00::1,fl=0xfffff)/hbh(options=[ra=0,pad1,padn=3])/rh(addrs=[fd00::3,fd00::4])/dstopts/frag6/udp/dns(qname=www.example.com.)")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Layers[1].Fields["options"].Bytes; !bytes.Equal(got, []byte{5, 2, 0, 0, 0, 1, 1, 0}) {
		t.Errorf("hbh options % x", got)
	}
	if got := s.Layers[2].Fields["addrs"].Bytes; len(got) != 32 || got[15] != 3 || got[31] != 4 {
		t.Errorf("rh addrs % x", got)
	}
	if got := s.Layers[6].Fields["qname"].Bytes; string(got) != "\x03www\x07example\x03com\x00" {
		t.Errorf("qname %q", got)
	}
}

// TestBadSpecSaysWhatAndWhere: every bad spec is an *Error whose column
// points at the token at fault, with a message that names the problem.
func TestBadSpecSaysWhatAndWhere(t *testing.T) {
	for _, c := range []struct {
		spec string
		col  int
		msg  string
	}{
		{"ipx(dst=1.2.3.4)", 1, `unknown layer "ipx"`},
		{"ip(dst=1.2.3.4)/tcpp", 17, `unknown layer "tcpp"`},
		{"ip(dst=1.2.3.4,tll=3)", 16, `unknown field "tll" of ip`},
		{"ip(dst=1.2.3.4,ttl=300)", 20, "ip ttl: 300 is too big (at most 255)"},
		{"ip(dst=1.2.3.4,ttl=abc)", 20, `ip ttl: "abc" is not a number`},
		{"ip(dst=1.2.3.4,ttl=3,ttl=4)", 22, "ip ttl is set twice"},
		{"ip(dst=1.2.3.4)/udp/tcp", 21, "tcp cannot follow udp (after udp: dns or a payload)"},
		{"ip6(dst=::1)/icmp", 14, "icmp cannot follow ip6"},
		{"ip(dst=1.2.3.4)/icmp6", 17, "icmp6 cannot follow ip"},
		{"tcp(dport=80)", 1, "a spec starts with ether, ip or ip6, not tcp"},
		{"ip(ttl=3)", 1, "ip needs dst="},
		{"ip(dst=::1)", 8, "ip dst: ::1 is not an IPv4 address"},
		{"ip6(dst=10.0.0.1)", 9, "ip6 dst: 10.0.0.1 is not an IPv6 address"},
		{"ip(dst=10.0.0.300)", 8, `ip dst: "10.0.0.300" is not an IP address`},
		{"ether(dst=02:00:00:00:00)", 11, `ether dst: "02:00:00:00:00" is not a MAC address`},
		{"ip(dst=1.2.3.4)/tcp(flags=SX)", 28, `tcp flags: unknown flag letter 'X'`},
		{"ip(dst=1.2.3.4,flags=DF|XX)", 25, `ip flags: unknown flag "XX"`},
		{"ip(dst=1.2.3.4)/tcp(options=[mss])", 30, "tcp options option mss needs a value (as mss=1460)"},
		{"ip(dst=1.2.3.4)/tcp(options=[mss=70000])", 34, "tcp options mss: 70000 is too big"},
		{"ip(dst=1.2.3.4)/tcp(options=[foo])", 30, `unknown tcp options option "foo"`},
		{"ip(dst=1.2.3.4)/tcp(options=[ts=1])", 33, `"1" is not two 32-bit numbers`},
		{"ip(dst=1.2.3.4)/tcp(options=[nop", 33, `expected "]" or ","`},
		{"ip(dst=1.2.3.4", 15, `expected ")" or "," after a field, found end of spec`},
		{"ip(dst=1.2.3.4) tcp", 17, `expected / between layers`},
		{`ip(dst=1.2.3.4)/"abc`, 17, "string does not end"},
		{`ip(dst=1.2.3.4)/"a\qb"`, 19, `unknown escape \q`},
		{`ip(dst=1.2.3.4)/"a\x4"`, 19, `\x takes two hex digits`},
		{"ip(dst=1.2.3.4)/hex:0a0", 23, "odd number of digits"},
		{"ip(dst=1.2.3.4)/hex:0a0g", 24, `'g' is not a hex digit`},
		{"ip(dst=1.2.3.4)/fill(70000)", 22, "fill length: 70000 is too big"},
		{"ip(dst=1.2.3.4)/fill(3,256)", 24, "fill byte: 256 is too big"},
		{"ip(dst=1.2.3.4)/fill", 21, `expected "(" after fill`},
		{"ip(dst=1.2.3.4)/udp/dns", 21, "dns needs qname="},
		{"ip(dst=1.2.3.4)/udp/dns(qname=a..b)", 31, "empty label"},
		{"ip(dst=1.2.3.4)/udp/dns(qtype=BOGUS,qname=a)", 31, `dns qtype: "BOGUS" is neither a number nor a name it takes`},
		{"ip(dst=1.2.3.4,=3)", 16, "expected a field of ip"},
		{"ip(dst=1.2.3.4,ttl)", 19, `expected "=" after the field name`},
		{"ip6(dst=::1)/rh(addrs=[fd00::1,1.2.3.4])", 32, `rh addrs: "1.2.3.4" is not an IPv6 address`},
		{"ip6(dst=::1)/hbh(options=[padn=1])", 32, "padn: at least 2 bytes"},
		{"ether/arp(pdst=1.2.3.4)/ip(dst=1.2.3.4)", 25, "ip cannot follow arp"},
		{"ip(dst=1.2.3.4)/ether", 17, "ether cannot follow ip"},
		{"", 1, "expected a layer"},
		{"ip(dst=1.2.3.4)/", 17, "expected a layer"},
		{"ip(dst=1.2.3.4)/tcp(win=1)/ü", 28, `unknown layer "ü"`},
		{"ip(dst=1.2.3.4)/tcp(win=1)/\x01", 28, "unexpected character"},
		{"ip(dst=1.2.3.4)/tcp(seq=4294967296)", 25, "tcp seq: 4294967296 is too big (at most 4294967295)"},
		{"ip(dst=1.2.3.4)/tcp(dataofs=16)", 29, "tcp dataofs: 16 is too big (at most 15)"},
	} {
		_, err := Parse(c.spec)
		var se *Error
		if !errors.As(err, &se) {
			t.Errorf("%q: error %v, want a *spec.Error", c.spec, err)
			continue
		}
		if se.Column() != c.col || !strings.Contains(se.Msg, c.msg) {
			t.Errorf("%q: column %d %q, want column %d %q", c.spec, se.Column(), se.Msg, c.col, c.msg)
		}
		if lines := strings.Split(se.Error(), "\n"); len(lines) != 3 || lines[1] != strings.Map(caret.Visible, c.spec) || lines[2] != strings.Repeat(" ", c.col-1)+"^" {
			t.Errorf("%q: error text %q is not message, spec, caret", c.spec, se.Error())
		}
	}
}
