package commands

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sockscope/sockscope/capture/capturetest"
)

// compareJSON is the part of compare --json these tests read.
type compareJSON struct {
	Messages []string `json:"messages"`
	Link     string   `json:"link"`
	Kinds    []struct {
		Kind     string `json:"kind"`
		Name     string `json:"name"`
		Family   string `json:"family"`
		Sender   string `json:"sender"`
		Receiver string `json:"receiver"`
		Writes   []struct {
			Bytes int `json:"bytes"`
		} `json:"writes"`
		Reads []struct {
			Bytes       int    `json:"bytes"`
			HeaderBytes int    `json:"header_bytes"`
			Header      string `json:"header"`
			Data        string `json:"data"`
		} `json:"reads"`
		BoundariesKept bool  `json:"boundaries_kept"`
		DeliveredBytes int   `json:"delivered_bytes"`
		InOrder        bool  `json:"in_order"`
		Lost           int   `json:"lost"`
		ElapsedUS      int64 `json:"elapsed_us"`
		Wire           *struct {
			Packets         int `json:"packets"`
			HeaderBytes     int `json:"header_bytes"`
			PayloadBytes    int `json:"payload_bytes"`
			UserHeaderBytes int `json:"user_header_bytes"`
			Setup           int `json:"setup"`
			Teardown        int `json:"teardown"`
			Retransmissions int `json:"retransmissions"`
		} `json:"wire"`
	} `json:"kinds"`
	Skipped []struct {
		Name string `json:"name"`
	} `json:"skipped"`
}

// runCompare runs sockscope compare with args and decodes its JSON.
func runCompareJSON(t *testing.T, args ...string) compareJSON {
	t.Helper()
	var out, errs bytes.Buffer
	app := App()
	app.Writer, app.ErrWriter = &out, &errs
	if err := app.Run(append([]string{"sockscope", "compare", "--json"}, args...)); err != nil {
		t.Fatalf("compare %v: %v (stderr %q)", args, err, errs.String())
	}
	var r compareJSON
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("compare --json: %v\n%s", err, out.String())
	}
	return r
}

func TestCompareShowsWhatEachKindOfSocketDoesOnLoopback(t *testing.T) {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 253)
	if err != nil {
		capturetest.SkipOrFail(t, "permission denied (the raw kind and the capture need CAP_NET_RAW: run as root): %v", err)
	}
	unix.Close(fd)
	capturetest.RequirePrivilege(t)

	r := runCompareJSON(t)
	if strings.Join(r.Messages, ",") != "A,B,C" || r.Link != "lo" {
		t.Errorf("messages %q on %q, want A,B,C on lo", r.Messages, r.Link)
	}
	seen := map[string]bool{}
	for _, k := range r.Kinds {
		seen[k.Name] = true
		if len(k.Writes) != 3 {
			t.Errorf("%s: %d writes, want 3", k.Name, len(k.Writes))
		}
		if k.DeliveredBytes != 3 || !k.InOrder || k.Lost != 0 {
			t.Errorf("%s: delivered %d, in order %v, lost %d; want 3 in order, none lost", k.Name, k.DeliveredBytes, k.InOrder, k.Lost)
		}
		var data []string
		for _, rd := range k.Reads {
			data = append(data, rd.Data)
		}
		switch k.Name {
		case "tcp", "unix-stream":
			if len(k.Reads) >= 3 || k.BoundariesKept || strings.Join(data, "") != "ABC" {
				t.Errorf("%s: reads %q, boundaries kept %v; want A,B,C merged into fewer reads", k.Name, data, k.BoundariesKept)
			}
		case "udp", "unix-dgram", "unix-seqpacket":
			if strings.Join(data, ",") != "A,B,C" || !k.BoundariesKept {
				t.Errorf("%s: reads %q, boundaries kept %v; want A, B, C kept", k.Name, data, k.BoundariesKept)
			}
			for _, rd := range k.Reads {
				if rd.Bytes != 1 {
					t.Errorf("%s: a read of %d bytes, want 1", k.Name, rd.Bytes)
				}
			}
		case "raw":
			if strings.Join(data, ",") != "A,B,C" || !k.BoundariesKept {
				t.Errorf("raw: reads %q, want A, B, C", data)
			}
			for _, rd := range k.Reads {
				// ip(dst=127.0.0.1,proto=253): version 4, 20 bytes,
				// total 21, protocol 253 (0xfd), to 127.0.0.1.
				h := rd.Header
				if rd.Bytes != 21 || rd.HeaderBytes != 20 || len(h) != 40 || h[:8] != "45000015" || h[18:20] != "fd" || h[32:] != "7f000001" {
					t.Errorf("raw: read %d bytes, header %s (%d bytes); want 21 bytes, the spec's 20-byte header", rd.Bytes, h, rd.HeaderBytes)
				}
			}
		}
		switch k.Name {
		case "tcp":
			if k.Wire == nil || k.Wire.Setup != 3 || k.Wire.Teardown < 3 || k.Wire.PayloadBytes != 3 || k.Wire.Retransmissions != 0 {
				t.Errorf("tcp wire %+v, want setup 3, teardown >= 3, 3 payload bytes", k.Wire)
			}
		case "udp":
			if k.Wire == nil || k.Wire.Packets != 3 || k.Wire.PayloadBytes != 3 || k.Wire.HeaderBytes != 3*42 {
				t.Errorf("udp wire %+v, want 3 packets of 42 header bytes and 1 payload byte", k.Wire)
			}
		case "raw":
			if k.Wire == nil || k.Wire.Packets != 3 || k.Wire.UserHeaderBytes != 3*20 {
				t.Errorf("raw wire %+v, want 3 packets with 20 header bytes each by the user", k.Wire)
			}
		default:
			if k.Wire != nil {
				t.Errorf("%s: wire %+v, want none (AF_UNIX)", k.Name, k.Wire)
			}
		}
	}
	for _, name := range []string{"raw", "tcp", "unix-stream", "udp", "unix-dgram", "unix-seqpacket"} {
		if !seen[name] {
			t.Errorf("%s did not run (skipped: %v)", name, r.Skipped)
		}
	}
}

func TestCompareWireCountsWhatTcpdumpCounts(t *testing.T) {
	capturetest.RequirePrivilege(t)
	tcpdump := capturetest.RequireTool(t, "tcpdump")
	td := capturetest.StartTcpdump(t, "", "-i", "lo", "--immediate-mode", "tcp or udp or ip proto 253")
	file := td.File

	r := runCompareJSON(t, "--kinds", "raw,tcp,udp", "--messages", "one,two,three,four")
	time.Sleep(100 * time.Millisecond)
	td.Stop(t)
	for _, k := range r.Kinds {
		expr := "ip proto 253 and host 127.0.0.1"
		if k.Name != "raw" {
			_, port, _ := strings.Cut(k.Receiver, ":")
			expr = k.Name + " port " + port
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
}

func TestCompareWithoutPrivilegeRunsTheKindsThatNeedNone(t *testing.T) {
	capturetest.RequirePrivilege(t) // to drop it with setpriv
	setpriv := capturetest.RequireTool(t, "setpriv")
	bin := sockscopeBinary(t)
	os.Chmod(filepath.Dir(bin), 0o755)
	cmd := exec.Command(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", bin, "compare", "--json")
	var out, errs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errs
	if err := cmd.Run(); err != nil {
		t.Fatalf("compare as nobody: %v\n%s", err, errs.String())
	}
	for _, want := range []string{"compare: wire not recorded: open lo: operation not permitted", "compare: raw skipped: raw IPv4 socket: operation not permitted"} {
		if !strings.Contains(errs.String(), want) {
			t.Errorf("stderr does not say %q:\n%s", want, errs.String())
		}
	}
	var r compareJSON
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	var ran []string
	for _, k := range r.Kinds {
		ran = append(ran, k.Name)
		if k.Wire != nil || k.DeliveredBytes != 3 {
			t.Errorf("%s: wire %+v, delivered %d; want no wire, 3 bytes", k.Name, k.Wire, k.DeliveredBytes)
		}
	}
	if got := strings.Join(ran, ","); got != "tcp,unix-stream,udp,unix-dgram,unix-seqpacket" {
		t.Errorf("ran %s, want every kind but raw and sctp", got)
	}

	// Nothing that needs no privilege: exit 1.
	cmd = exec.Command(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", bin, "compare", "--kinds", "raw")
	msg, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Errorf("--kinds raw as nobody: %v, want exit 1\n%s", err, msg)
	}
}

func TestCompareMessagesTakeEscapedCommas(t *testing.T) {
	for in, want := range map[string][]string{
		"A,B,C":     {"A", "B", "C"},
		`a\,b,c`:    {"a,b", "c"},
		`c\\d,e`:    {`c\d`, "e"},
		`x\y`:       {`x\y`},
		"héllo,日本語": {"héllo", "日本語"},
	} {
		if got := splitMessages(in); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("splitMessages(%q) = %q, want %q", in, got, want)
		}
	}
}
