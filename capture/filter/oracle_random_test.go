package filter_test

// Random expressions against tcpdump: filters.txt is a fixed list, so this
// test also writes expressions of its own from the grammar of pcap-filter(7)
// (qualifiers, bare ids that inherit them, and/or/not, parentheses,
// arithmetic, named fields), with addresses and ports taken from the
// captures so that selections are not empty, and requires that sockscope
// selects the packets tcpdump selects, or rejects what it rejects.
//
// CI runs a fixed seed; FILTER_RANDOM=N FILTER_SEED=S runs N expressions
// from seed S.

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

type exprGen struct {
	r     *rand.Rand
	hosts []string
	ports []string
	macs  []string
	depth int
}

func (g *exprGen) pick(s ...string) string { return s[g.r.Intn(len(s))] }

func (g *exprGen) num(max int) string {
	n := g.r.Intn(max + 1)
	switch g.r.Intn(6) {
	case 0:
		return fmt.Sprintf("0x%x", n)
	case 1:
		if n > 0 {
			return fmt.Sprintf("0%o", n)
		}
	}
	return strconv.Itoa(n)
}

func (g *exprGen) host() string {
	h := g.hosts[g.r.Intn(len(g.hosts))]
	if g.r.Intn(8) == 0 {
		return g.pick("localhost", "ip6-localhost", "10.99.0.77", "fe80::1")
	}
	return h
}

func (g *exprGen) port() string {
	if g.r.Intn(6) == 0 {
		return g.pick("http", "domain", "ssh", "https", "ntp", "65535", "0")
	}
	return g.ports[g.r.Intn(len(g.ports))]
}

// primitive is one term.
func (g *exprGen) primitive() string {
	proto := g.pick("", "", "", "ip ", "ip6 ", "arp ", "tcp ", "udp ")
	dir := g.pick("", "", "src ", "dst ", "src or dst ", "src and dst ")
	switch g.r.Intn(22) {
	case 0, 1:
		return g.pick("ip", "ip6", "tcp", "udp", "icmp", "icmp6", "arp", "rarp", "sctp", "igmp", "pim", "ah", "esp", "vrrp")
	case 2, 3:
		p := g.pick("", "", "ip ", "ip6 ", "arp ")
		if strings.Contains(g.hosts[0], ":") && p == "ip " {
			p = ""
		}
		return p + dir + "host " + g.host()
	case 4:
		return dir + g.host()
	case 5, 6:
		return g.pick("", "tcp ", "udp ", "sctp ") + dir + "port " + g.port()
	case 7:
		a, b := g.r.Intn(70000), g.r.Intn(70000)
		if g.r.Intn(3) > 0 {
			p, _ := strconv.Atoi(g.ports[g.r.Intn(len(g.ports))])
			a, b = p-g.r.Intn(10), p+g.r.Intn(10)
		}
		return g.pick("", "tcp ", "udp ") + dir + "portrange " + fmt.Sprintf("%d-%d", a, b)
	case 8:
		nets := []string{"10.99.0.0/24", "10.99/16", "10", "10.99", "10.99.0", "10.99.0.0 mask 255.255.255.0",
			"fd00::/8", "fd99::/16", "::/0", "0.0.0.0/0", "10.99.0.1/32", "fe80::/10", "10.99.0.0/33", "10.99.0.1/24"}
		return g.pick("", "ip ", "ip6 ", "arp ") + dir + "net " + nets[g.r.Intn(len(nets))]
	case 9:
		return g.pick("ether ", "") + g.pick("src ", "dst ", "host ", "") + g.macs[g.r.Intn(len(g.macs))]
	case 10:
		return g.pick("ether broadcast", "ether multicast", "broadcast", "multicast", "ip multicast", "ip6 multicast", "ip broadcast")
	case 11:
		return g.pick("ip proto ", "ip6 proto ", "proto ", "ether proto ") + g.pick("6", "17", "1", "58", "\\tcp", "\\udp", "\\icmp", "0x800", "0x86dd", "\\ip", "\\arp", "\\ip6", "132", "50")
	case 12:
		return g.pick("less ", "greater ") + g.num(1600)
	case 13:
		return g.pick("vlan", "vlan "+g.num(4095), "vlan 100", "vlan 200")
	case 14:
		return "tcp[tcpflags] & (" + g.pick("tcp-syn", "tcp-ack", "tcp-fin", "tcp-rst", "tcp-push", "tcp-syn|tcp-ack", "tcp-urg") + ") " + g.pick("!= 0", "= 0", "== tcp-syn", "= tcp-ack")
	case 15:
		return g.pick("icmp[icmptype] = icmp-echo", "icmp[icmptype] == icmp-echoreply", "icmp[icmptype] != icmp-echo",
			"icmp6[icmp6type] = icmp6-echo", "icmp6[icmp6type] = icmp6-neighborsolicit", "icmp6[icmp6type] > 130", "icmp[icmpcode] = 0")
	case 16, 17:
		return g.arith() + " " + g.pick("=", "==", "!=", "<", "<=", ">", ">=") + " " + g.arith()
	case 18:
		return proto + dir + g.pick("host ", "port ") + g.host()
	case 19:
		return g.pick("ip", "tcp", "udp", "icmp") + " and " + g.pick("len", "ip[0] & 0xf", "udp[4:2]") + " " + g.pick(">", "<") + " " + g.num(200)
	case 20:
		return "not " + g.primitive()
	}
	return g.pick("ip6 protochain 6", "protochain 17", "ip protochain 1", "llc", "stp", "mpls", "pppoed", "iso", "decnet")
}

func (g *exprGen) arith() string {
	g.depth++
	defer func() { g.depth-- }()
	if g.depth > 3 {
		return g.num(300)
	}
	switch g.r.Intn(9) {
	case 0:
		return g.num(300)
	case 1:
		return "len"
	case 2, 3:
		proto := g.pick("ether", "ip", "ip6", "tcp", "udp", "icmp", "arp", "icmp6", "link")
		size := g.pick("", ":1", ":2", ":4")
		idx := g.num(60)
		if g.r.Intn(5) == 0 {
			idx = g.arith()
		}
		return proto + "[" + idx + size + "]"
	case 4:
		return "(" + g.arith() + ")"
	case 5:
		return "-" + g.arith()
	}
	return g.arith() + " " + g.pick("+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>") + " " + g.arith()
}

func (g *exprGen) expr() string {
	g.depth++
	defer func() { g.depth-- }()
	if g.depth > 3 {
		return g.primitive()
	}
	switch g.r.Intn(7) {
	case 0, 1:
		return g.primitive()
	case 2:
		return g.expr() + g.pick(" and ", " or ", " && ", " || ") + g.expr()
	case 3:
		return "(" + g.expr() + ")"
	case 4:
		return g.pick("not ", "! ", "!") + g.expr()
	case 5:
		// Bare ids after the first take its qualifiers.
		q := g.pick("host ", "src host ", "port ", "tcp dst port ", "net ", "ip6 host ")
		first := g.host()
		next := g.host()
		if strings.Contains(q, "port") {
			first, next = g.port(), g.port()
		}
		if strings.Contains(q, "net") {
			first, next = "10.99", "10.98.0.0/16"
		}
		return q + first + g.pick(" or ", " and ", " or not ", " and not ") + next
	}
	return g.pick("host ", "port ", "ip host ") + "(" + g.host() + " or " + g.host() + ")"
}

// valuesOf collects addresses, ports and MAC addresses of a set's
// packets (IPv4 and IPv6 over Ethernet), for expressions that select some.
func valuesOf(set *oracleSet) (hosts, ports, macs []string) {
	seen := map[string]bool{}
	add := func(list *[]string, v string) {
		if !seen[v] {
			seen[v] = true
			*list = append(*list, v)
		}
	}
	for _, p := range set.packets {
		d := p.data
		if len(d) < 14 {
			continue
		}
		add(&macs, fmt.Sprintf("%02x:%02x:%02x:%02x:%02x:%02x", d[6], d[7], d[8], d[9], d[10], d[11]))
		switch {
		case d[12] == 0x08 && d[13] == 0 && len(d) >= 38:
			add(&hosts, fmt.Sprintf("%d.%d.%d.%d", d[26], d[27], d[28], d[29]))
			ihl := int(d[14]&0xf) * 4
			if (d[23] == 6 || d[23] == 17) && len(d) >= 14+ihl+4 {
				add(&ports, strconv.Itoa(int(d[14+ihl])<<8|int(d[15+ihl])))
			}
		case d[12] == 0x86 && d[13] == 0xdd && len(d) >= 58:
			var parts []string
			for i := 22; i < 38; i += 2 {
				parts = append(parts, strconv.FormatUint(uint64(d[i])<<8|uint64(d[i+1]), 16))
			}
			add(&hosts, strings.Join(parts, ":"))
		}
	}
	return hosts, ports, macs
}

// tcpdumpRecords is what tcpdump writes for expr on the set's file, or
// rejected when it refuses expr.
func tcpdumpRecords(set *oracleSet, expr string) (recs []oraclePacket, rejected bool, err error) {
	cmd := exec.Command("tcpdump", "-r", set.path, "-w", "-", "--", expr)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if stdout.Len() == 0 {
			return nil, true, nil
		}
		return nil, false, fmt.Errorf("tcpdump: %v: %s", err, stderr.Bytes())
	}
	recs, err = readRecords(stdout.Bytes())
	return recs, false, err
}

func TestFilterRandomExpressionsAsTcpdump(t *testing.T) {
	requireTcpdump(t)
	n, seed := 300, int64(1)
	if v, err := strconv.Atoi(os.Getenv("FILTER_RANDOM")); err == nil {
		n = v
	}
	if v, err := strconv.ParseInt(os.Getenv("FILTER_SEED"), 10, 64); err == nil {
		seed = v
	}
	sets := buildOracleSets(t, t.TempDir())
	names := oracleNames(t)
	var eth *oracleSet
	for _, s := range sets {
		if s.link == 1 {
			eth = s
		}
	}
	hosts, ports, macs := valuesOf(eth)
	g := &exprGen{r: rand.New(rand.NewSource(seed)), hosts: hosts, ports: ports, macs: macs}
	exprs := make([]string, n)
	for i := range exprs {
		exprs[i] = g.expr()
	}
	type result struct {
		expr, set, msg string
		accepted       bool
	}
	var mu sync.Mutex
	var failures []string
	agree, accepted := 0, 0
	jobs := make(chan [2]int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.NumCPU(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				expr, set := exprs[j[0]], sets[j[1]]
				want, tdReject, err := tcpdumpRecords(set, expr)
				msg := ""
				got, serr := sockscopeSelects(set, expr, names)
				switch {
				case err != nil:
					msg = err.Error()
				case tdReject && serr == nil:
					msg = "tcpdump rejects it, sockscope accepts it"
				case !tdReject && serr != nil:
					msg = "sockscope rejects it: " + strings.ReplaceAll(serr.Error(), "\n", " | ")
				case !tdReject:
					// The same packets, in the same order (compared by their
					// bytes: a file may hold the same packet twice).
					same := len(got) == len(want)
					for k := 0; same && k < len(got); k++ {
						same = bytes.Equal(set.packets[got[k]].data, want[k].data)
					}
					if !same {
						msg = fmt.Sprintf("sockscope selects %d packets, tcpdump %d", len(got), len(want))
					}
				}
				mu.Lock()
				if msg == "" {
					agree++
					if !tdReject {
						accepted++
					}
				} else {
					failures = append(failures, fmt.Sprintf("%s, %q: %s", set.name, expr, msg))
				}
				mu.Unlock()
			}
		}()
	}
	for i := range exprs {
		for s, set := range sets {
			if set.link == 1 || set.link == 276 || set.link == 101 {
				jobs <- [2]int{i, s}
			}
		}
	}
	close(jobs)
	wg.Wait()
	slices.Sort(failures)
	for i, f := range failures {
		if i == filterFailuresShown {
			t.Errorf("... and %d more", len(failures)-i)
			break
		}
		t.Error(f)
	}
	t.Logf("seed %d: %d random expressions on Ethernet, Linux cooked v2 and raw IP: %d of %d pairs agree (%d accepted by both)",
		seed, n, agree, agree+len(failures), accepted)
}
