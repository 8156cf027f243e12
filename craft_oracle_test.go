package main

// The craft oracle: the packets of sockscope craft --dry-run -w, read back by
// tshark. Every field a spec sets must be what tshark reads, the checksums
// sockscope computes must be ones tshark calls good, and a checksum the user
// set wrong must stay one tshark calls bad.

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// craftCase is a spec, how many packets to make of it, and the value tshark
// must read for each field (per packet, joined with ";" when -c > 1).
type craftCase struct {
	spec  string
	count int
	want  map[string]string
}

// checksumStatus are tshark's verdicts on each checksum (1 good, 0 bad); any
// that is present must be good unless the case says otherwise (3: no
// checksum, as a UDP checksum of 0 says).
var checksumStatus = []string{"ip.checksum.status", "tcp.checksum.status", "udp.checksum.status", "icmp.checksum.status", "icmpv6.checksum.status"}

var craftCases = []craftCase{
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1,ttl=3,tos=0xb8,id=0x1234,flags=DF)/tcp(sport=41000,dport=80,flags=S,options=[mss=1460,sackok,wscale=7])",
		want: map[string]string{"ip.ttl": "3", "ip.dsfield": "0xb8", "ip.id": "0x1234", "ip.flags.df": "1", "ip.src": "10.99.0.1", "ip.dst": "10.99.0.2",
			"tcp.srcport": "41000", "tcp.dstport": "80", "tcp.flags": "0x0002", "tcp.options.mss_val": "1460", "tcp.options.wscale.shift": "7", "tcp.hdr_len": "32"}},
	{spec: `ip(dst=10.99.0.2,src=10.99.0.1)/tcp(sport=1,dport=2,seq=1000,ack=2000,flags=PA,win=512,urp=7,options=[nop,nop,ts=123:456])/"hello"`,
		want: map[string]string{"tcp.seq_raw": "1000", "tcp.ack_raw": "2000", "tcp.flags": "0x0018", "tcp.window_size_value": "512", "tcp.urgent_pointer": "7",
			"tcp.options.timestamp.tsval": "123", "tcp.options.timestamp.tsecr": "456", "tcp.len": "5", "tcp.payload": "68656c6c6f"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1)/tcp(flags=FSRPAUEC)", want: map[string]string{"tcp.flags": "0x00ff"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1)/tcp(reserved=0xe,flags=S)", want: map[string]string{"tcp.flags": "0x0e02", "tcp.flags.res": "1"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1)/tcp(chksum=0x1234)", want: map[string]string{"tcp.checksum": "0x1234", "tcp.checksum.status": "0"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1,chksum=0xbeef)/udp(dport=9)", want: map[string]string{"ip.checksum": "0xbeef", "ip.checksum.status": "0"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1)/udp(sport=5000,dport=48000)/fill(100,0x41)",
		want: map[string]string{"udp.srcport": "5000", "udp.dstport": "48000", "udp.length": "108", "ip.len": "128", "data.len": "100"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1)/udp(dport=48000,chksum=0)/hex:00112233",
		want: map[string]string{"udp.checksum": "0x0000", "udp.checksum.status": "3", "data.data": "00112233"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1)/udp(dport=48000,chksum=0xdead)/\"x\"", want: map[string]string{"udp.checksum": "0xdead", "udp.checksum.status": "0"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1)/icmp(type=echo-request,id=77,seq=5)/fill(56)",
		want: map[string]string{"icmp.type": "8", "icmp.code": "0", "icmp.ident": "77", "icmp.seq": "5", "data.len": "56"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1,id=100!)/icmp(id=9)/fill(8)", count: 3,
		want: map[string]string{"ip.id": "0x0064;0x0064;0x0064", "icmp.seq": "1;2;3", "icmp.ident": "9;9;9"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1,id=100)/icmp(id=9)/fill(8)", count: 3,
		want: map[string]string{"ip.id": "0x0064;0x0065;0x0066", "icmp.seq": "1;2;3", "icmp.ident": "9;9;9"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1)/icmp(seq=9)", count: 2,
		want: map[string]string{"icmp.seq": "9;10"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1)/icmp(seq=9!)", count: 2,
		want: map[string]string{"icmp.seq": "9;9"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1)/icmp(type=echo-reply,chksum=1)", want: map[string]string{"icmp.type": "0", "icmp.checksum": "0x0001", "icmp.checksum.status": "0"}},
	{spec: "ip(dst=10.99.0.1,src=10.99.0.254)/icmp(type=dest-unreachable,code=port-unreachable)/ip(src=10.99.0.1,dst=10.99.0.2,ttl=1)/udp(sport=40000,dport=33434)/fill(4)",
		want: map[string]string{"icmp.type": "3", "icmp.code": "3", "ip.ttl": "64,1", "udp.dstport": "33434"}},
	{spec: "ip(dst=10.99.0.1,src=10.99.0.254)/icmp(type=unreachable,code=frag-needed,mtu=1400)/ip(src=10.99.0.1,dst=10.99.0.2)/tcp(dport=80)",
		want: map[string]string{"icmp.code": "4", "icmp.mtu": "1400"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1,frag=185,flags=MF,proto=17)/fill(40)",
		want: map[string]string{"ip.frag_offset": "185", "ip.flags.mf": "1", "ip.proto": "17"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1,options=[rr=3])/icmp",
		want: map[string]string{"ip.hdr_len": "36", "ip.opt.type": "7,0"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1,options=[ra])/udp(dport=9)", want: map[string]string{"ip.hdr_len": "24", "ip.opt.type": "148"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1)/udp(sport=33000)/dns(id=0x4242,qname=www.example.test,qtype=AAAA)",
		want: map[string]string{"udp.dstport": "53", "dns.id": "0x4242", "dns.qry.name": "www.example.test", "dns.qry.type": "28", "dns.flags.recdesired": "1", "dns.count.queries": "1"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1)/udp/dns(qname=example.test,qtype=MX,rd=0,qclass=CH)",
		want: map[string]string{"dns.qry.type": "15", "dns.flags.recdesired": "0", "dns.qry.class": "0x0003"}},
	{spec: "ip6(dst=fd00:99::2,src=fd00:99::1,hlim=7,tc=0x20,fl=0x12345)/tcp(dport=443,flags=S)",
		want: map[string]string{"ipv6.hlim": "7", "ipv6.tclass": "0x00000020", "ipv6.flow": "0x012345", "ipv6.nxt": "6", "ipv6.plen": "20", "tcp.dstport": "443"}},
	{spec: "ip6(dst=fd00:99::2,src=fd00:99::1)/udp(dport=48001)/\"six\"", want: map[string]string{"ipv6.plen": "11", "udp.length": "11"}},
	{spec: "ip6(dst=fd00:99::2,src=fd00:99::1)/icmp6(type=echo-request,id=5,seq=6)/fill(10)",
		want: map[string]string{"icmpv6.type": "128", "icmpv6.echo.identifier": "0x0005", "icmpv6.echo.sequence_number": "6"}},
	{spec: "ip6(dst=fd00:99::2,src=fd00:99::1)/icmp6", count: 2, want: map[string]string{"icmpv6.echo.sequence_number": "1;2"}},
	{spec: "ip6(dst=ff02::1:ff00:2,src=fd00:99::1,hlim=255)/icmp6(type=ns,target=fd00:99::2,lladdr=02:99:00:00:00:01)",
		want: map[string]string{"icmpv6.type": "135", "icmpv6.nd.ns.target_address": "fd00:99::2", "icmpv6.opt.linkaddr": "02:99:00:00:00:01"}},
	{spec: "ip6(dst=fd00:99::2,src=fd00:99::1)/icmp6(type=echo-request,chksum=0x4321)", want: map[string]string{"icmpv6.checksum": "0x4321", "icmpv6.checksum.status": "0"}},
	{spec: "ip6(dst=fd00:99::2,src=fd00:99::1)/hbh(options=[ra=0])/dstopts/udp(dport=48001)",
		want: map[string]string{"ipv6.nxt": "0", "ipv6.hopopts.nxt": "60", "ipv6.dstopts.nxt": "17", "ipv6.opt.router_alert": "0"}},
	{spec: "ip6(dst=fd00:99::2,src=fd00:99::1)/frag6(offset=185,m=1,id=0xabcd)/udp(dport=48001)/fill(8)",
		want: map[string]string{"ipv6.nxt": "44", "ipv6.fraghdr.ident": "0x0000abcd", "ipv6.fraghdr.offset": "185", "ipv6.fraghdr.more": "1"}},
	{spec: "ip6(dst=fd00:99::2,src=fd00:99::1)/rh(segleft=1,addrs=[fd00:99::3])/udp(dport=48001)",
		want: map[string]string{"ipv6.routing.type": "0", "ipv6.routing.segleft": "1", "ipv6.nxt": "43"}},
	{spec: "ether(dst=02:99:00:00:00:02,src=02:99:00:00:00:01)/ip(dst=10.99.0.2,src=10.99.0.1)/udp(dport=48000)",
		want: map[string]string{"eth.dst": "02:99:00:00:00:02", "eth.src": "02:99:00:00:00:01", "eth.type": "0x0800"}},
	{spec: "ether(src=02:99:00:00:00:01)/vlan(id=100,prio=5)/ip6(dst=fd00:99::2,src=fd00:99::1)/icmp6",
		want: map[string]string{"vlan.id": "100", "vlan.priority": "5", "vlan.etype": "0x86dd", "eth.type": "0x8100"}},
	{spec: "ether(src=02:99:00:00:00:01)/arp(psrc=10.99.0.1,pdst=10.99.0.2)",
		want: map[string]string{"eth.dst": "ff:ff:ff:ff:ff:ff", "arp.opcode": "1", "arp.src.hw_mac": "02:99:00:00:00:01", "arp.src.proto_ipv4": "10.99.0.1", "arp.dst.proto_ipv4": "10.99.0.2"}},
	{spec: "ether(src=02:99:00:00:00:02,dst=02:99:00:00:00:01)/arp(op=reply,psrc=10.99.0.2,pdst=10.99.0.1,hwdst=02:99:00:00:00:01)",
		want: map[string]string{"arp.opcode": "2", "arp.dst.hw_mac": "02:99:00:00:00:01"}},
	{spec: "ip(dst=10.99.0.2,src=10.99.0.1,len=9999)/udp(dport=48000)", want: map[string]string{"ip.len": "9999"}},
}

func TestCraftFieldsAreWhatTsharkReads(t *testing.T) {
	if _, err := exec.LookPath("tshark"); err != nil {
		if requireOracles() {
			t.Fatal("tshark is not installed and SOCKSCOPE_REQUIRE_PRIV=1 (apt-get install tshark)")
		}
		t.Skip("tshark is not installed (apt-get install tshark)")
	}
	dir := t.TempDir()
	var matched, good, bad atomic.Int64
	t.Cleanup(func() {
		t.Logf("%d specs: %d fields read as the spec wrote them, %d checksums sockscope computed are good, %d the spec set wrong are bad",
			len(craftCases), matched.Load(), good.Load(), bad.Load())
	})
	for i, c := range craftCases {
		t.Run(fmt.Sprintf("%02d", i), func(t *testing.T) {
			t.Parallel()
			count := max(c.count, 1)
			file := filepath.Join(dir, fmt.Sprintf("%02d.pcap", i))
			_, stderr, code := runFull(t, nil, "craft", "--dry-run", "-c", strconv.Itoa(count), "-w", file, c.spec)
			if code != 0 {
				t.Fatalf("craft exit %d: %s", code, stderr)
			}
			m, g, b := checkFields(t, file, c, count, "")
			matched.Add(m)
			good.Add(g)
			bad.Add(b)
		})
	}
}

// checkFields reads file with tshark and compares the fields c wants (the
// values of count packets joined with ";"; count < 0: any number), and
// checks every checksum not among them is good. It returns how many wanted
// fields matched, computed checksums were good, and checksums the spec set
// wrong were flagged bad. Errors start with prefix.
func checkFields(t *testing.T, file string, c craftCase, count int, prefix string) (matched, good, bad int64) {
	t.Helper()
	var fields []string
	for f := range c.want {
		fields = append(fields, f)
	}
	slices.Sort(fields)
	for _, f := range checksumStatus {
		if _, ok := c.want[f]; !ok {
			fields = append(fields, f)
		}
	}
	args := []string{"-r", file, "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
		"-T", "fields", "-E", "separator=|", "-E", "occurrence=a", "-E", "aggregator=,"}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	out, err := exec.Command("tshark", args...).Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if count >= 0 && len(lines) != count {
		t.Fatalf("%stshark read %d packets, want %d:\n%s", prefix, len(lines), count, out)
	}
	got := make([][]string, len(fields))
	for _, line := range lines {
		vals := strings.Split(line, "|")
		for k := range fields {
			got[k] = append(got[k], vals[k])
		}
	}
	for k, f := range fields {
		g := strings.Join(got[k], ";")
		if want, ok := c.want[f]; ok {
			switch {
			case g != want:
				t.Errorf("%s%s = %q, want %q", prefix, f, g, want)
			case strings.HasSuffix(f, "checksum.status") && want == "0":
				bad++
			default:
				matched++
			}
			continue
		}
		for _, v := range got[k] {
			for _, s := range strings.Split(v, ",") {
				if s != "" && s != "1" {
					t.Errorf("%s%s = %q: a checksum sockscope computed is not good", prefix, f, v)
				} else if s == "1" {
					good++
				}
			}
		}
	}
	return matched, good, bad
}
