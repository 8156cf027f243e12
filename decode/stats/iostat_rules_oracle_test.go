package stats_test

// The rules of tshark's io,stat text that the captures of testdata/ and
// the corpus show seldom or never, each on a small capture made for it
// (UDP datagrams of a given length and TTL at given times, some stamped
// before the packet before them or before the first), compared with
// tshark's table byte for byte.

import (
	"bytes"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sockscope/sockscope/decode"
	"github.com/sockscope/sockscope/decode/stats"
)

// ioRule is a capture, "seconds:frame length[:TTL[:IP protocol]]" a
// packet, and the tables compared on it.
type ioRule struct {
	name    string
	packets string
	specs   []string
}

var ioRules = []ioRule{
	{"an AVG is as wide as its widest after any packet (1706 before 608)",
		"0:60 0.1:60 0.2:5000 0.3:60 0.4:60 0.5:60 0.6:60 0.7:60 0.8:60 2:60",
		[]string{"io,stat,1,AVG(frame.len)frame.len,MIN(frame.len)frame.len,SUM(frame.len)frame.len"}},
	{"a MIN is as wide as the interval's first value",
		"0:5000 0.1:60 2:60",
		[]string{"io,stat,1,AVG(frame.len)frame.len,MIN(frame.len)frame.len"}},
	{"a time is sized by its seconds rounded: 9.4999 s is 8 wide",
		"0:60 9.4999:60 20:60",
		[]string{"io,stat,10,MAX(frame.time_relative)frame.time_relative", "io,stat,3,MIN(frame.time_relative)frame.time_relative,FRAMES"}},
	{"a time is sized by its seconds rounded: 9.5001 s is 9 wide",
		"0:60 9.5001:60 20:60",
		[]string{"io,stat,10,MAX(frame.time_relative)frame.time_relative", "io,stat,3,MIN(frame.time_relative)frame.time_relative,FRAMES"}},
	{"a column 13 wide has no heading",
		"0:60 99999.6:60",
		[]string{"io,stat,40000,MAX(frame.time_relative)frame.time_relative,FRAMES"}},
	{"a column 12 wide has its heading",
		"0:60 99999.4:60",
		[]string{"io,stat,40000,MAX(frame.time_relative)frame.time_relative,FRAMES"}},
	{"negative times are unsigned nanoseconds",
		"0:60 2:60 1.5:60 0.5:60 2.5:60 -1:70 3:60",
		[]string{
			"io,stat,1,MIN(frame.time_relative)frame.time_relative,MAX(frame.time_relative)frame.time_relative,AVG(frame.time_relative)frame.time_relative,SUM(frame.time_relative)frame.time_relative",
			"io,stat,1,MIN(frame.time_delta)frame.time_delta,MAX(frame.time_delta)frame.time_delta,AVG(frame.time_delta)frame.time_delta,SUM(frame.time_delta)frame.time_delta,FRAMES",
		}},
	{"a MAX of -0.5 s is 8 wide, of -1.5 s 18",
		"0:60 2:60 1.5:60 99:60 50:60 10:60 99:60",
		[]string{"io,stat,100,MIN(frame.time_delta)frame.time_delta,MAX(frame.time_delta)frame.time_delta,AVG(frame.time_delta)frame.time_delta"}},
	{"a time column is sized by its largest value: -0.2 s (8 wide) beside -1.165 s",
		"0:60 3.0:60 4.0:60 2.8:60 1.835:60 5.0:60",
		[]string{"io,stat,1,SUM(frame.time_delta)frame.time_delta,MAX(frame.time_delta)frame.time_delta,AVG(frame.time_delta)frame.time_delta"}},
	{"a time column is sized by its largest value: -1.165 s after 0.6 s",
		"0:60 3.0:60 4.0:60 3.6:60 1.835:60 5.0:60",
		[]string{"io,stat,1,SUM(frame.time_delta)frame.time_delta,MAX(frame.time_delta)frame.time_delta,AVG(frame.time_delta)frame.time_delta"}},
	{"a time column is sized by its largest value in any interval, past the last too",
		"0:65000:64 1.181451:999:64 1.6:999:1:1 2.607:60:255 1.398:9000:64 2.4:65000:64 3.0:1500:64 1.844:60:255",
		[]string{"io,stat,0.5,ip.ttl==2,AVG(frame.len)frame.len,MIN(frame.len)ip.ttl==1,MAX(frame.time_relative)frame.time_relative,SUM(frame.time_delta)frame.time_delta,AVG(frame.time_delta)frame.time_delta"}},
	{"each column moves forward on its own",
		"0:60:1 5:61:1 1:62:2 6:63:1",
		[]string{"io,stat,1,ip.ttl==2,FRAMES,MIN(frame.len)ip.ttl==2,MAX(frame.len)frame.len"}},
	{"a packet before the first is counted in the interval of the packet before it",
		"0:60:2 3:61:2 1.5:63:1 -1.5:62:2 4.5:64:3",
		[]string{"io,stat,1,ip.ttl==2,ip.ttl==1,ip.ttl==3"}},
	{"a duration's half is rounded down: 3.85 s is 3.8",
		"0:60 3.85:60",
		[]string{"io,stat,0.1", "io,stat,0.05", "io,stat,0"}},
	{"a duration's half is rounded down: 0.75 s is 0.7",
		"0:60 0.75:60",
		[]string{"io,stat,0.1", "io,stat,0.01"}},
}

// TestIOStatRulesAreTsharks compares each rule's tables with tshark's.
func TestIOStatRulesAreTsharks(t *testing.T) {
	if _, err := exec.LookPath("tshark"); err != nil {
		if os.Getenv("SOCKSCOPE_REQUIRE_PRIV") == "1" {
			t.Fatal("tshark is not installed (it is the oracle)")
		}
		t.Skip("tshark is not installed (it is the oracle)")
	}
	dir := t.TempDir()
	for i, r := range ioRules {
		file := filepath.Join(dir, strconv.Itoa(i)+".pcap")
		if err := os.WriteFile(file, udpCapture(t, r.packets), 0o644); err != nil {
			t.Fatal(err)
		}
		tables := make([]stats.Table, len(r.specs))
		for j, s := range r.specs {
			tb, err := stats.New(s, "")
			if err != nil {
				t.Fatalf("%s: %v", s, err)
			}
			tables[j] = tb
		}
		stats.Prime(tables, "")
		if err := dissect(file, func(tree *decode.Tree) {
			for _, tb := range tables {
				tb.Add(tree)
			}
		}); err != nil {
			t.Fatal(err)
		}
		args := []string{"-n", "-q", "-r", file}
		for _, s := range r.specs {
			args = append(args, "-z", s)
		}
		cmd := exec.Command("tshark", args...)
		cmd.Env = append(os.Environ(), "LC_ALL=C")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("tshark %v: %v", args, err)
		}
		theirs := splitTables(string(out))
		if len(theirs) != len(r.specs) {
			t.Fatalf("%s: tshark printed %d tables for %d -z", r.name, len(theirs), len(r.specs))
		}
		for j, tb := range tables {
			var b bytes.Buffer
			if err := tb.WriteText(&b); err != nil {
				t.Fatal(err)
			}
			if want := theirs[len(theirs)-1-j]; b.String() != want {
				t.Errorf("%s: -z %s differs at %s", r.name, r.specs[j], firstDiff(b.String(), want))
			}
		}
	}
}

// udpCapture is a pcap file (nanosecond stamps) of packets, each
// "seconds:frame length[:TTL[:IP protocol]]": an Ethernet frame of an
// IPv4 packet from 10.0.0.1 to 10.0.0.2 holding a UDP datagram from port
// 40000 to 40001 (an ICMP echo request for protocol 1), padded with
// zeros, stamped seconds after 2023-11-14 22:13:20 UTC.
func udpCapture(t *testing.T, packets string) []byte {
	t.Helper()
	var b bytes.Buffer
	le := binary.LittleEndian
	b.Write(le.AppendUint32(nil, 0xa1b23c4d))
	b.Write(le.AppendUint16(nil, 2))
	b.Write(le.AppendUint16(nil, 4))
	b.Write(make([]byte, 8))
	b.Write(le.AppendUint32(nil, 65535))
	b.Write(le.AppendUint32(nil, 1)) // Ethernet
	for _, p := range strings.Fields(packets) {
		f := strings.Split(p, ":")
		secs, err := strconv.ParseFloat(f[0], 64)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := strconv.Atoi(f[1])
		ttl, proto := 64, 17
		if len(f) > 2 {
			ttl, _ = strconv.Atoi(f[2])
		}
		if len(f) > 3 {
			proto, _ = strconv.Atoi(f[3])
		}
		frame := make([]byte, max(n, 42))
		copy(frame, []byte{0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 8, 0})
		ip := frame[14:]
		be := binary.BigEndian
		ip[0], ip[8], ip[9] = 0x45, byte(ttl), byte(proto)
		be.PutUint16(ip[2:], uint16(len(ip)))
		be.PutUint16(ip[4:], 1)
		copy(ip[12:], []byte{10, 0, 0, 1, 10, 0, 0, 2})
		if proto == 17 {
			be.PutUint16(ip[20:], 40000)
			be.PutUint16(ip[22:], 40001)
			be.PutUint16(ip[24:], uint16(len(ip)-20))
		} else {
			ip[20] = 8 // echo request
			be.PutUint16(ip[24:], 1)
			be.PutUint16(ip[26:], 1)
		}
		ns := int64(secs*1e9+0.5) + 1_700_000_000e9
		if secs < 0 {
			ns = int64(secs*1e9-0.5) + 1_700_000_000e9
		}
		b.Write(le.AppendUint32(nil, uint32(ns/1e9)))
		b.Write(le.AppendUint32(nil, uint32(ns%1e9)))
		b.Write(le.AppendUint32(nil, uint32(len(frame))))
		b.Write(le.AppendUint32(nil, uint32(len(frame))))
		b.Write(frame)
	}
	return b.Bytes()
}
