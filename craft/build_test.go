package craft

import (
	"encoding/binary"
	"net/netip"
	"testing"

	"github.com/sockscope/sockscope/craft/spec"
	"github.com/sockscope/sockscope/decode/wire"
)

// testOptions fix what a build takes from outside: source addresses and the
// random defaults, so that packets are the same on every run.
func testOptions() Options {
	n := uint32(0)
	return Options{
		Source: FixedSource{V4: netip.MustParseAddr("192.0.2.1"), V6: netip.MustParseAddr("2001:db8::1")},
		Rand:   func() uint32 { n += 0x01010101; return n },
	}
}

func build(t *testing.T, text string) *Builder {
	t.Helper()
	s, err := spec.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Build(s, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// onesSum is the ones' complement sum of b in 16-bit words (independent of
// the builder's, to check it).
func onesSum(parts ...[]byte) uint16 {
	var s uint64
	for _, b := range parts {
		for i := 0; i < len(b); i += 2 {
			w := uint64(b[i]) << 8
			if i+1 < len(b) {
				w |= uint64(b[i+1])
			}
			s += w
		}
	}
	for s > 0xffff {
		s = s>>16 + s&0xffff
	}
	return uint16(s)
}

func pseudo4(ip []byte, proto byte, n int) []byte {
	p := append([]byte{}, ip[12:20]...)
	return append(p, 0, proto, byte(n>>8), byte(n))
}

func pseudo6(ip []byte, proto byte, n int) []byte {
	p := append([]byte{}, ip[8:40]...)
	return append(p, 0, 0, byte(n>>8), byte(n), 0, 0, 0, proto)
}

func TestEveryFieldTheUserSetsLandsAtItsOffset(t *testing.T) {
	for _, c := range []struct {
		spec string
		off  int
		want []byte
	}{
		{"ether(dst=02:00:00:00:00:02)/ip(dst=10.0.0.2)", 0, []byte{2, 0, 0, 0, 0, 2}},
		{"ether(src=02:00:00:00:00:01)/ip(dst=10.0.0.2)", 6, []byte{2, 0, 0, 0, 0, 1}},
		{"ether(type=0x1234)/ip(dst=10.0.0.2)", 12, []byte{0x12, 0x34}},
		{"ether/vlan(id=100,prio=5,dei=1)/ip(dst=10.0.0.2)", 12, []byte{0x81, 0x00, 0xb0, 0x64, 0x08, 0x00}},
		{"ether/arp(op=reply,hwsrc=02:00:00:00:00:01,psrc=10.0.0.1,hwdst=02:00:00:00:00:02,pdst=10.0.0.2)", 20,
			[]byte{0, 2, 2, 0, 0, 0, 0, 1, 10, 0, 0, 1, 2, 0, 0, 0, 0, 2, 10, 0, 0, 2}},
		{"ip(dst=10.0.0.2,version=5,ihl=7,tos=0xb8)", 0, []byte{0x57, 0xb8}},
		{"ip(dst=10.0.0.2,len=1000,id=0xbeef,flags=DF|MF,frag=0x1234,ttl=3,proto=99,chksum=0xdead)", 2,
			[]byte{0x03, 0xe8, 0xbe, 0xef, 0x72, 0x34, 3, 99, 0xde, 0xad}},
		{"ip(dst=10.0.0.2,src=10.0.0.1)", 12, []byte{10, 0, 0, 1, 10, 0, 0, 2}},
		{"ip(dst=10.0.0.2,options=[nop,rr=1])", 20, []byte{1, 7, 7, 4, 0, 0, 0, 0}},
		{"ip6(dst=fd00::2,tc=0xab,fl=0x12345,plen=7,nh=200,hlim=9)", 0, []byte{0x6a, 0xb1, 0x23, 0x45, 0, 7, 200, 9}},
		{"ip6(dst=fd00::2)/frag6(offset=185,m=1,id=0x01020304)", 40, []byte{59, 0, 0x05, 0xc9, 1, 2, 3, 4}},
		{"ip6(dst=fd00::2)/rh(segleft=0,addrs=[fd00::3])", 40, []byte{59, 2, 0, 0, 0, 0, 0, 0, 0xfd}},
		{"ip6(dst=fd00::2)/hbh(options=[ra=0])/udp", 40, []byte{17, 0, 5, 2, 0, 0, 1, 0}},
		{"ip(dst=10.0.0.2)/tcp(sport=1,dport=2,seq=3,ack=4,dataofs=15,reserved=0xf,flags=FA,win=5,chksum=6,urp=7)", 20,
			[]byte{0, 1, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0xff, 0x11, 0, 5, 0, 6, 0, 7}},
		{"ip(dst=10.0.0.2)/tcp(options=[mss=1460,wscale=7])", 32, []byte{0x70, 0x02}},
		{"ip(dst=10.0.0.2)/tcp(options=[mss=1460,wscale=7])", 40, []byte{2, 4, 5, 0xb4, 3, 3, 7, 0}},
		{"ip(dst=10.0.0.2)/udp(sport=1,dport=2,len=3,chksum=0)", 20, []byte{0, 1, 0, 2, 0, 3, 0, 0}},
		{"ip(dst=10.0.0.2)/icmp(type=time-exceeded,code=1,chksum=0xffff,id=7,seq=8)", 20, []byte{11, 1, 0xff, 0xff, 0, 7, 0, 8}},
		{"ip(dst=10.0.0.2)/icmp(type=redirect,gw=10.0.0.9)", 24, []byte{10, 0, 0, 9}},
		{"ip(dst=10.0.0.2)/icmp(type=unreachable,code=frag-needed,mtu=1400)", 24, []byte{0, 0, 0x05, 0x78}},
		{"ip6(dst=fd00::2)/icmp6(type=na,flags=SO,target=fd00::9,lladdr=02:00:00:00:00:09)", 40 + 4,
			[]byte{0x60, 0, 0, 0, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 2, 1, 2, 0, 0, 0, 0, 9}},
		{"ip(dst=10.0.0.2)/udp/dns(id=0x4242,qr=1,aa=1,rd=0,rcode=3,qdcount=9,qname=a.b,qtype=AAAA,qclass=CH)", 28,
			[]byte{0x42, 0x42, 0x84, 0x03, 0, 9, 0, 0, 0, 0, 0, 0, 1, 'a', 1, 'b', 0, 0, 28, 0, 3}},
		{`ip(dst=10.0.0.2)/"hi\x00"/hex:ff/fill(2,0x41)`, 20, []byte{'h', 'i', 0, 0xff, 'A', 'A'}},
	} {
		p := build(t, c.spec).Packet(0)
		if len(p) < c.off+len(c.want) {
			t.Errorf("%s: packet of %d bytes, want %x at %d", c.spec, len(p), c.want, c.off)
			continue
		}
		if got := p[c.off : c.off+len(c.want)]; string(got) != string(c.want) {
			t.Errorf("%s: at %d % x, want % x", c.spec, c.off, got, c.want)
		}
	}
}

// TestDefaultsMakeAValidPacket: lengths, protocol numbers and checksums the
// user leaves out are computed.
func TestDefaultsMakeAValidPacket(t *testing.T) {
	p := build(t, `ip(dst=10.0.0.2,options=[ra])/tcp(options=[mss=1460,sackok])/"hello"`).Packet(0)
	ihl := int(p[0]&0xf) * 4
	if ihl != 24 || len(p) != 24+28+5 || binary.BigEndian.Uint16(p[2:]) != uint16(len(p)) || p[9] != 6 || p[8] != 64 {
		t.Fatalf("ip header wrong: % x", p[:ihl])
	}
	if onesSum(p[:ihl]) != 0xffff {
		t.Errorf("ip checksum %#x does not verify", binary.BigEndian.Uint16(p[10:]))
	}
	seg := p[ihl:]
	if seg[12]>>4 != 7 || seg[13] != 0x02 || binary.BigEndian.Uint16(seg[14:]) != defaultTCPWin {
		t.Errorf("tcp defaults wrong: % x", seg[:20])
	}
	if onesSum(pseudo4(p, 6, len(seg)), seg) != 0xffff {
		t.Errorf("tcp checksum does not verify")
	}

	p = build(t, `ip6(dst=fd00::2)/hbh/rh(addrs=[fd00::7])/udp/dns(qname=example.com)`).Packet(0)
	if int(binary.BigEndian.Uint16(p[4:])) != len(p)-40 || p[6] != 0 || p[40] != 43 || p[48] != 17 {
		t.Fatalf("ip6 chain wrong: % x", p[:56])
	}
	udp := p[40+8+24:]
	if binary.BigEndian.Uint16(udp[2:]) != 53 || int(binary.BigEndian.Uint16(udp[4:])) != len(udp) {
		t.Errorf("udp header wrong: % x", udp[:8])
	}
	// RFC 8200 section 8.1: the pseudo-header has the final destination.
	ph := pseudo6(p, 17, len(udp))
	copy(ph[16:32], netip.MustParseAddr("fd00::7").AsSlice())
	if onesSum(ph, udp) != 0xffff {
		t.Errorf("udp checksum does not verify against the final destination")
	}

	p = build(t, `ip6(dst=fd00::2)/icmp6(type=ns)`).Packet(0)
	if p[6] != 58 || len(p) != 40+24 || onesSum(pseudo6(p, 58, 24), p[40:]) != 0xffff {
		t.Errorf("icmp6 ns wrong or checksum bad: % x", p[40:])
	}
	if string(p[48:64]) != string(netip.MustParseAddr("fd00::2").AsSlice()) {
		t.Errorf("ns target defaults to ip6 dst: % x", p[48:64])
	}
	p = build(t, `ip(dst=10.0.0.2)/icmp/fill(7)`).Packet(0)
	if p[20] != 8 || binary.BigEndian.Uint16(p[26:]) != 1 || onesSum(p[20:]) != 0xffff {
		t.Errorf("icmp echo request wrong: % x", p[20:])
	}
}

func TestUserChecksumStaysWrong(t *testing.T) {
	for _, c := range []struct {
		spec string
		off  int
	}{
		{"ip(dst=10.0.0.2,chksum=0x1234)", 10},
		{"ip(dst=10.0.0.2)/tcp(chksum=0x1234)", 36},
		{"ip(dst=10.0.0.2)/udp(chksum=0x1234)", 26},
		{"ip(dst=10.0.0.2)/icmp(chksum=0x1234)", 22},
		{"ip6(dst=fd00::2)/icmp6(chksum=0x1234)", 42},
	} {
		p := build(t, c.spec).Packet(0)
		if got := binary.BigEndian.Uint16(p[c.off:]); got != 0x1234 {
			t.Errorf("%s: checksum %#x, want the user's 0x1234", c.spec, got)
		}
	}
	// A lying length is kept, and the checksum covers the lie.
	p := build(t, "ip(dst=10.0.0.2,len=9,ihl=15)/udp(len=3)").Packet(0)
	if len(p) != 28 || binary.BigEndian.Uint16(p[2:]) != 9 || p[0] != 0x4f || binary.BigEndian.Uint16(p[24:]) != 3 || onesSum(p[:20]) != 0xffff {
		t.Errorf("lies not kept: % x", p)
	}
}

func TestCountingFieldsCountUnlessFixed(t *testing.T) {
	b := build(t, "ip(dst=10.0.0.2)/icmp")
	p0, p2 := b.Packet(0), b.Packet(2)
	id0, id2 := binary.BigEndian.Uint16(p0[4:]), binary.BigEndian.Uint16(p2[4:])
	if id2 != id0+2 || binary.BigEndian.Uint16(p2[26:]) != 3 || onesSum(p2[:20]) != 0xffff || onesSum(p2[20:]) != 0xffff {
		t.Errorf("ip id %d then %d, icmp seq %d; want +2 and 3", id0, id2, binary.BigEndian.Uint16(p2[26:]))
	}
	// A value the spec gives is where counting starts...
	b = build(t, "ip(dst=10.0.0.2,id=7)/icmp(seq=9)")
	if p := b.Packet(5); binary.BigEndian.Uint16(p[4:]) != 12 || binary.BigEndian.Uint16(p[26:]) != 14 {
		t.Errorf("given fields did not count from their value: % x", p)
	}
	// ... and a trailing ! fixes it.
	b = build(t, "ip(dst=10.0.0.2,id=7!)/icmp(seq=9!)")
	if p := b.Packet(5); binary.BigEndian.Uint16(p[4:]) != 7 || binary.BigEndian.Uint16(p[26:]) != 9 {
		t.Errorf("fixed fields counted: % x", p)
	}
	b = build(t, "ip6(dst=fd00::2)/icmp6(seq=65535!)")
	if p := b.Packet(1); binary.BigEndian.Uint16(p[46:]) != 65535 {
		t.Errorf("fixed icmp6 seq counted: % x", p[40:])
	}
	b = build(t, "ip6(dst=fd00::2)/icmp6(seq=65535)")
	if p := b.Packet(1); binary.BigEndian.Uint16(p[46:]) != 0 {
		t.Errorf("icmp6 seq 65535 did not wrap to 0: % x", p[40:])
	}
	b = build(t, "ip6(dst=fd00::2)/icmp6(type=echo-reply)")
	if p := b.Packet(1); binary.BigEndian.Uint16(p[46:]) != 2 || onesSum(pseudo6(p, 58, 8), p[40:]) != 0xffff {
		t.Errorf("icmp6 seq of the second packet: % x", p[40:])
	}
}

func TestLinkTypeAndNotes(t *testing.T) {
	b := build(t, "ether/ip(dst=10.0.0.2)")
	if b.LinkType() != wire.LinkEthernet || len(b.Notes()) != 2 {
		t.Errorf("link %d notes %q", b.LinkType(), b.Notes())
	}
	b = build(t, "ether/ip(dst=224.0.0.251)")
	if p := b.Packet(0); string(p[:6]) != "\x01\x00\x5e\x00\x00\xfb" {
		t.Errorf("multicast dst MAC % x", p[:6])
	}
	b = build(t, "ether/ip6(dst=ff02::1:ff00:2)")
	if p := b.Packet(0); string(p[:6]) != "\x33\x33\xff\x00\x00\x02" {
		t.Errorf("multicast dst MAC % x", p[:6])
	}
	if b := build(t, "ip6(dst=fd00::2)"); b.LinkType() != wire.LinkRaw || b.Packet(0)[6] != 59 {
		t.Errorf("raw ip6: link %d nh %d", b.LinkType(), b.Packet(0)[6])
	}
}

func TestTooBigIsASpecError(t *testing.T) {
	s, err := spec.Parse("ip(dst=10.0.0.2)/fill(65535)")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Build(s, testOptions()); err == nil {
		t.Fatal("a 65555-byte IPv4 packet was built")
	} else if _, ok := err.(*spec.Error); !ok {
		t.Fatalf("error %v is not a *spec.Error", err)
	}
}
