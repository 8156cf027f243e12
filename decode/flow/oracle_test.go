package flow

// Oracle tests: the conversations and reassembled streams of the real
// captures in testdata/, compared with what tshark makes of the same files
// (-z conv,tcp / conv,udp and -z follow,tcp,raw / follow,udp,raw).

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"math"
	"net/netip"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// oracleFiles are the captures whose TCP and UDP conversations tshark and
// Table must agree on; in vxlan.pcap, those inside the tunnel too.
var oracleFiles = []string{"frag.pcap", "tcp4.pcap", "tcp6.pcap", "tcp-nano.pcap", "dns.pcap", "any.pcap", "any-sll1.pcap", "raw-ip.pcap", "mixed.pcap", "multi.pcapng", "vlan.pcap", "http.pcap", "vxlan.pcap", "offload.pcap"}

// oracleProtos are the protocols compared in each file. In vlan.pcap the
// three fragments of one UDP datagram were resent with different VLAN tags:
// tshark keeps them apart and never puts the datagram together, Table does,
// so its UDP conversations differ by that one.
func oracleProtos(name string) []Proto {
	if name == "vlan.pcap" {
		return []Proto{TCP}
	}
	return []Proto{TCP, UDP}
}

// needTshark skips a test that needs tshark when it is not installed,
// unless SOCKSCOPE_REQUIRE_PRIV=1 says it must run (CI).
func needTshark(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tshark"); err != nil {
		if os.Getenv("SOCKSCOPE_REQUIRE_PRIV") == "1" {
			t.Fatal("tshark is not installed (it is the oracle)")
		}
		t.Skip("tshark is not installed (it is the oracle)")
	}
}

func tshark(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("tshark", args...).Output()
	if err != nil {
		t.Fatalf("tshark %s: %v", strings.Join(args, " "), err)
	}
	return string(out)
}

// convLine is one line of tshark's conversation table.
var convLine = regexp.MustCompile(`^(\S+)\s+<->\s+(\S+)\s+(\d+) (\d+) (bytes|kB|MB)\s+(\d+) (\d+) (bytes|kB|MB)\s+(\d+) (\d+) (bytes|kB|MB)\s+([\d.]+)\s+([\d.]+)`)

type tsharkConv struct {
	a, b           netip.AddrPort
	framesBA       int // tshark's "<-" column: frames from b to a
	framesAB       int
	bytesBA        string
	bytesAB        string
	start, seconds float64
}

func parseConv(t *testing.T, out string) []tsharkConv {
	t.Helper()
	var convs []tsharkConv
	for _, line := range strings.Split(out, "\n") {
		m := convLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		var c tsharkConv
		var err error
		if c.a, err = parseEndpoint(m[1]); err != nil {
			t.Fatal(err)
		}
		if c.b, err = parseEndpoint(m[2]); err != nil {
			t.Fatal(err)
		}
		c.framesBA, _ = strconv.Atoi(m[3])
		c.bytesBA = m[4] + " " + m[5]
		c.framesAB, _ = strconv.Atoi(m[6])
		c.bytesAB = m[7] + " " + m[8]
		c.start, _ = strconv.ParseFloat(m[12], 64)
		c.seconds, _ = strconv.ParseFloat(m[13], 64)
		convs = append(convs, c)
	}
	return convs
}

// parseEndpoint reads tshark's "10.99.0.1:41001" or "fd00:99::1:41001".
func parseEndpoint(s string) (netip.AddrPort, error) {
	if strings.HasPrefix(s, "[") {
		return netip.ParseAddrPort(s)
	}
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return netip.AddrPort{}, fmt.Errorf("endpoint %q", s)
	}
	a, err := netip.ParseAddr(s[:i])
	if err != nil {
		return netip.AddrPort{}, err
	}
	p, err := strconv.ParseUint(s[i+1:], 10, 16)
	return netip.AddrPortFrom(a, uint16(p)), err
}

// sameSize reports whether n bytes is what tshark printed: exact below
// 10000 bytes, rounded to kB or MB above.
func sameSize(n int64, printed string) bool {
	var v int64
	var unit string
	fmt.Sscanf(printed, "%d %s", &v, &unit)
	switch unit {
	case "bytes":
		return v == n
	case "kB":
		return math.Abs(float64(n)/1e3-float64(v)) <= 1
	case "MB":
		return math.Abs(float64(n)/1e6-float64(v)) <= 1
	}
	return false
}

func TestConversationsAreTsharks(t *testing.T) {
	needTshark(t)
	for _, name := range oracleFiles {
		t.Run(name, func(t *testing.T) {
			table := readTable(t, name, 0)
			got := table.Conversations()
			for _, proto := range oracleProtos(name) {
				want := parseConv(t, tshark(t, "-q", "-n", "-z", "conv,"+proto.String(), "-r", testdataPath(name)))
				var mine []Conversation
				for _, c := range got {
					if c.Proto == proto {
						mine = append(mine, c)
					}
				}
				if len(mine) != len(want) {
					t.Errorf("%s: %d conversations, tshark has %d", proto, len(mine), len(want))
				}
				for _, w := range want {
					c, ok := findConv(mine, w.a, w.b)
					if !ok {
						t.Errorf("%s %s <-> %s: not found", proto, w.a, w.b)
						continue
					}
					// Our arrays are indexed by direction; tshark's by its order.
					ab, ba := FromClient, FromServer
					if c.Client != w.a {
						ab, ba = ba, ab
					}
					if c.Packets[ab] != w.framesAB || c.Packets[ba] != w.framesBA {
						t.Errorf("%s %s <-> %s: frames %d/%d, tshark %d/%d", proto, w.a, w.b, c.Packets[ab], c.Packets[ba], w.framesAB, w.framesBA)
					}
					if !sameSize(c.Bytes[ab], w.bytesAB) || !sameSize(c.Bytes[ba], w.bytesBA) {
						t.Errorf("%s %s <-> %s: bytes %d/%d, tshark %s/%s", proto, w.a, w.b, c.Bytes[ab], c.Bytes[ba], w.bytesAB, w.bytesBA)
					}
					if d := c.Duration.Seconds(); math.Abs(d-w.seconds) > 0.00051 {
						t.Errorf("%s %s <-> %s: duration %.6f, tshark %.4f", proto, w.a, w.b, d, w.seconds)
					}
				}
			}
		})
	}
}

func findConv(cs []Conversation, a, b netip.AddrPort) (Conversation, bool) {
	for _, c := range cs {
		if c.Client == a && c.Server == b || c.Client == b && c.Server == a {
			return c, true
		}
	}
	return Conversation{}, false
}

// followed is what tshark's follow,raw printed for one stream: its first
// node (the side that sent first; invalid if no data flowed), and the
// chunks each side sent, consecutive ones joined unless datagrams.
type followed struct {
	node0    netip.AddrPort
	messages []Message
}

var (
	filterLine = regexp.MustCompile(`^Filter: \w+\.stream eq (\d+)$`)
	nodeLine   = regexp.MustCompile(`^Node 0: (\S+)$`)
)

// tsharkFollow runs one tshark over the file with a follow,PROTO,raw per
// stream, and returns the streams by their number (tshark numbers them in
// the order of their first packets, as Table does).
func tsharkFollow(t *testing.T, name string, proto Proto, streams int, datagrams bool) []followed {
	t.Helper()
	args := []string{"-q", "-n", "-r", testdataPath(name)}
	for i := range streams {
		args = append(args, "-z", fmt.Sprintf("follow,%s,raw,%d", proto, i))
	}
	out := make([]followed, streams)
	var cur *followed
	for _, line := range strings.Split(tshark(t, args...), "\n") {
		if m := filterLine.FindStringSubmatch(line); m != nil {
			n, _ := strconv.Atoi(m[1])
			if n >= streams {
				t.Fatalf("tshark followed stream %d of %d", n, streams)
			}
			cur = &out[n]
			continue
		}
		if m := nodeLine.FindStringSubmatch(line); m != nil && cur != nil {
			cur.node0, _ = parseEndpoint(m[1]) // ":0" when no data flowed
			continue
		}
		if cur == nil || line == "" || strings.HasPrefix(line, "=") || strings.HasPrefix(line, "Node") || strings.HasPrefix(line, "Follow:") {
			continue
		}
		dir := FromClient
		if strings.HasPrefix(line, "\t") {
			dir = FromServer
		}
		data, err := hex.DecodeString(strings.TrimSpace(line))
		if err != nil {
			t.Fatalf("follow output %q: %v", line, err)
		}
		if n := len(cur.messages); !datagrams && n > 0 && cur.messages[n-1].Dir == dir {
			cur.messages[n-1].Data = append(cur.messages[n-1].Data, data...)
			continue
		}
		cur.messages = append(cur.messages, Message{Dir: dir, Data: data})
	}
	return out
}

func TestStreamsAreTsharksFollow(t *testing.T) {
	needTshark(t)
	for _, name := range []string{"tcp4.pcap", "tcp6.pcap", "dns.pcap", "any.pcap", "raw-ip.pcap", "vlan.pcap", "http.pcap"} {
		t.Run(name, func(t *testing.T) {
			table := readTable(t, name, All)
			for _, proto := range oracleProtos(name) {
				var mine []Conversation
				for _, c := range table.Conversations() {
					if c.Proto == proto {
						mine = append(mine, c)
					}
				}
				follows := tsharkFollow(t, name, proto, len(mine), proto == UDP)
				for i, c := range mine {
					f := follows[i]
					msgs, _ := table.Messages(c.Index)
					what := fmt.Sprintf("%s stream %d (%s -> %s)", proto, i, c.Client, c.Server)
					if !f.node0.IsValid() && len(f.messages) == 0 {
						if len(msgs) != 0 {
							t.Errorf("%s: %d messages, tshark none", what, len(msgs))
						}
						continue
					}
					if f.node0 != c.Client && f.node0 != c.Server {
						t.Errorf("%s: tshark's node 0 is %s", what, f.node0)
						continue
					}
					want := f.messages
					if f.node0 != c.Client { // tshark's node 0 sent first
						want = flip(want)
					}
					compareMessages(t, what, msgs, want)
				}
			}
		})
	}
}

func flip(ms []Message) []Message {
	out := make([]Message, len(ms))
	for i, m := range ms {
		m.Dir ^= 1
		out[i] = m
	}
	return out
}

func compareMessages(t *testing.T, what string, got, want []Message) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d messages, tshark %d", what, len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if got[i].Dir != want[i].Dir || !bytes.Equal(got[i].Data, want[i].Data) {
			t.Errorf("%s: message %d: %s %d bytes, tshark %s %d bytes", what, i+1, got[i].Dir, len(got[i].Data), want[i].Dir, len(want[i].Data))
		}
	}
}
