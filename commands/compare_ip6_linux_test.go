package commands

import (
	"os/exec"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sockscope/sockscope/capture/capturetest"
)

// compare --ip6 on loopback: the IP kinds run over ::1, TCP merges the
// writes, UDP and raw keep them, and each kind's wire count is tcpdump's.
func TestCompareIP6OnLoopbackCountsWhatTcpdumpCounts(t *testing.T) {
	fd, err := unix.Socket(unix.AF_INET6, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 253)
	if err != nil {
		capturetest.SkipOrFail(t, "no raw IPv6 socket (the raw kind and the capture need CAP_NET_RAW, and IPv6: run as root): %v", err)
	}
	unix.Close(fd)
	capturetest.RequirePrivilege(t)
	tcpdump := capturetest.RequireTool(t, "tcpdump")
	td := capturetest.StartTcpdump(t, "", "-i", "lo", "--immediate-mode", "ip6")
	file := td.File

	r := runCompareJSON(t, "--ip6", "--kinds", "raw,tcp,udp")
	time.Sleep(100 * time.Millisecond)
	td.Stop(t)
	seen := map[string]bool{}
	for _, k := range r.Kinds {
		seen[k.Name] = true
		if k.Family != "inet6" {
			t.Errorf("%s: family %q, want inet6", k.Name, k.Family)
		}
		var data []string
		for _, rd := range k.Reads {
			data = append(data, rd.Data)
		}
		expr := "ip6 proto 253 and src host ::1 and dst host ::1"
		switch k.Name {
		case "tcp":
			if len(k.Reads) >= 3 || k.BoundariesKept || strings.Join(data, "") != "ABC" || k.DeliveredBytes != 3 {
				t.Errorf("tcp: reads %q, boundaries kept %v; want A,B,C merged into fewer reads", data, k.BoundariesKept)
			}
			if k.Wire == nil || k.Wire.Setup != 3 || k.Wire.Teardown < 3 || k.Wire.PayloadBytes != 3 || k.Wire.Retransmissions != 0 {
				t.Errorf("tcp wire %+v, want setup 3, teardown >= 3, 3 payload bytes", k.Wire)
			}
		case "udp":
			if strings.Join(data, ",") != "A,B,C" || !k.BoundariesKept {
				t.Errorf("udp: reads %q, want A, B, C kept", data)
			}
			for _, rd := range k.Reads {
				if rd.Bytes != 1 {
					t.Errorf("udp: a read of %d bytes, want 1", rd.Bytes)
				}
			}
			// Ethernet 14, IPv6 40, UDP 8.
			if k.Wire == nil || k.Wire.Packets != 3 || k.Wire.PayloadBytes != 3 || k.Wire.HeaderBytes != 3*62 {
				t.Errorf("udp wire %+v, want 3 packets of 62 header bytes and 1 payload byte", k.Wire)
			}
		case "raw":
			if strings.Join(data, ",") != "A,B,C" || !k.BoundariesKept {
				t.Errorf("raw: reads %q, want A, B, C", data)
			}
			for _, rd := range k.Reads {
				// ip6(dst=::1,nh=253), rebuilt: version 6, payload
				// length 1, next header 253, from and to ::1.
				h := rd.Header
				if rd.Bytes != 41 || rd.HeaderBytes != 40 || len(h) != 80 || h[0] != '6' || h[8:14] != "0001fd" || h[46:48] != "01" || h[78:] != "01" {
					t.Errorf("raw: read %d bytes, header %s (%d bytes); want 41 bytes, a 40-byte IPv6 header to ::1 with next header 253", rd.Bytes, h, rd.HeaderBytes)
				}
			}
			if k.Wire == nil || k.Wire.Packets != 3 || k.Wire.UserHeaderBytes != 3*40 {
				t.Errorf("raw wire %+v, want 3 packets with 40 header bytes each by the user", k.Wire)
			}
		}
		if k.Name != "raw" {
			if !strings.HasPrefix(k.Sender, "[::1]:") || !strings.HasPrefix(k.Receiver, "[::1]:") {
				t.Errorf("%s: sender %q, receiver %q; want [::1]:port", k.Name, k.Sender, k.Receiver)
			}
			port := k.Receiver[strings.LastIndex(k.Receiver, ":")+1:]
			expr = "ip6 and " + k.Name + " port " + port
		}
		out, err := exec.Command(tcpdump, "-n", "-r", file, expr).Output()
		if err != nil {
			t.Fatalf("tcpdump -r %s: %v", expr, err)
		}
		n := strings.Count(string(out), "\n")
		if k.Wire == nil || k.Wire.Packets != n {
			t.Errorf("%s: wire %+v, tcpdump counts %d packets for %q", k.Name, k.Wire, n, expr)
		}
	}
	for _, name := range []string{"raw", "tcp", "udp"} {
		if !seen[name] {
			t.Errorf("%s did not run (skipped: %v)", name, r.Skipped)
		}
	}
}
