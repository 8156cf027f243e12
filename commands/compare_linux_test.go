package commands

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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

// loopbackFamily is what compare on loopback does over one IP version: the
// flags that choose it, and what its kinds must show.
type loopbackFamily struct {
	name  string
	flags []string // compare's flags for the family (IPv4: none)
	// kindsFlag chooses the kinds (IPv4: none, every kind there is).
	kindsFlag []string
	domain    int      // of the raw socket the raw kind needs
	kinds     []string // the kinds that must run
	family    string   // the IP kinds' family in the JSON
	addr      string   // how the IP kinds' sender and receiver start
	// udpHeader is the header bytes of one UDP packet on lo (Ethernet 14,
	// IP, UDP 8).
	udpHeader int
	// rawRead is the raw kind's read of one message: its bytes, its header's
	// bytes, and whether the header (in hex) is the one the raw spec wrote.
	rawBytes, rawHeader int
	rawSpec             func(hex string) bool
	rawWant             string
	// tcpdump's filter on lo, and its expression for the raw kind's packets
	// and for the other kinds' (followed by "tcp port N" or "udp port N").
	capture, rawExpr, portExpr string
}

var loopbackFamilies = []loopbackFamily{
	{
		name: "ipv4", domain: unix.AF_INET,
		kinds:  []string{"raw", "tcp", "unix-stream", "udp", "unix-dgram", "unix-seqpacket"},
		family: "inet", addr: "127.0.0.1:", udpHeader: 42,
		// ip(dst=127.0.0.1,proto=253): version 4, 20 bytes, total 21,
		// protocol 253 (0xfd), to 127.0.0.1.
		rawBytes: 21, rawHeader: 20,
		rawSpec: func(h string) bool {
			return len(h) == 40 && h[:8] == "45000015" && h[18:20] == "fd" && h[32:] == "7f000001"
		},
		rawWant: "the spec's 20-byte header",
		capture: "tcp or udp or ip proto 253", rawExpr: "ip proto 253 and host 127.0.0.1",
	},
	{
		name: "ipv6", flags: []string{"--ip6"}, kindsFlag: []string{"--kinds", "raw,tcp,udp"}, domain: unix.AF_INET6,
		kinds:  []string{"raw", "tcp", "udp"},
		family: "inet6", addr: "[::1]:", udpHeader: 62,
		// ip6(dst=::1,nh=253), rebuilt: version 6, payload length 1, next
		// header 253, from and to ::1.
		rawBytes: 41, rawHeader: 40,
		rawSpec: func(h string) bool {
			return len(h) == 80 && h[0] == '6' && h[8:14] == "0001fd" && h[46:48] == "01" && h[78:] == "01"
		},
		rawWant: "a 40-byte IPv6 header to ::1 with next header 253",
		capture: "ip6", rawExpr: "ip6 proto 253 and src host ::1 and dst host ::1", portExpr: "ip6 and ",
	},
}

// requireRawSocket skips the test (or fails it under
// SOCKSCOPE_REQUIRE_PRIV=1) unless a raw socket of fam's version opens and
// the capture may run.
func requireRawSocket(t *testing.T, fam loopbackFamily) {
	t.Helper()
	fd, err := unix.Socket(fam.domain, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 253)
	if err != nil {
		capturetest.SkipOrFail(t, "no raw %s socket (the raw kind and the capture need CAP_NET_RAW: run as root): %v", fam.name, err)
	}
	unix.Close(fd)
	capturetest.RequirePrivilege(t)
}

// TestCompareShowsWhatEachKindOfSocketDoesOnLoopback: over IPv4 and IPv6,
// TCP and the AF_UNIX stream merge the writes, UDP, raw and the other
// AF_UNIX kinds keep them, and each IP kind's wire is what it sent.
func TestCompareShowsWhatEachKindOfSocketDoesOnLoopback(t *testing.T) {
	for _, fam := range loopbackFamilies {
		t.Run(fam.name, func(t *testing.T) {
			requireRawSocket(t, fam)
			r := runCompareJSON(t, append(slices.Clone(fam.flags), fam.kindsFlag...)...)
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
						if rd.Bytes != fam.rawBytes || rd.HeaderBytes != fam.rawHeader || !fam.rawSpec(rd.Header) {
							t.Errorf("raw: read %d bytes, header %s (%d bytes); want %d bytes, %s", rd.Bytes, rd.Header, rd.HeaderBytes, fam.rawBytes, fam.rawWant)
						}
					}
				}
				switch k.Name {
				case "tcp":
					if k.Wire == nil || k.Wire.Setup != 3 || k.Wire.Teardown < 3 || k.Wire.PayloadBytes != 3 || k.Wire.Retransmissions != 0 {
						t.Errorf("tcp wire %+v, want setup 3, teardown >= 3, 3 payload bytes", k.Wire)
					}
				case "udp":
					if k.Wire == nil || k.Wire.Packets != 3 || k.Wire.PayloadBytes != 3 || k.Wire.HeaderBytes != 3*fam.udpHeader {
						t.Errorf("udp wire %+v, want 3 packets of %d header bytes and 1 payload byte", k.Wire, fam.udpHeader)
					}
				case "raw":
					if k.Wire == nil || k.Wire.Packets != 3 || k.Wire.UserHeaderBytes != 3*fam.rawHeader {
						t.Errorf("raw wire %+v, want 3 packets with %d header bytes each by the user", k.Wire, fam.rawHeader)
					}
				default:
					if k.Wire != nil {
						t.Errorf("%s: wire %+v, want none (AF_UNIX)", k.Name, k.Wire)
					}
				}
				switch k.Name {
				case "tcp", "udp":
					if !strings.HasPrefix(k.Sender, fam.addr) || !strings.HasPrefix(k.Receiver, fam.addr) {
						t.Errorf("%s: sender %q, receiver %q; want %sport", k.Name, k.Sender, k.Receiver, fam.addr)
					}
					fallthrough
				case "raw":
					if k.Family != fam.family {
						t.Errorf("%s: family %q, want %s", k.Name, k.Family, fam.family)
					}
				}
			}
			for _, name := range fam.kinds {
				if !seen[name] {
					t.Errorf("%s did not run (skipped: %v)", name, r.Skipped)
				}
			}
		})
	}
}

// TestCompareWireCountsWhatTcpdumpCounts: over IPv4 and IPv6, each IP
// kind's wire count is what tcpdump counts on lo.
func TestCompareWireCountsWhatTcpdumpCounts(t *testing.T) {
	for _, fam := range loopbackFamilies {
		t.Run(fam.name, func(t *testing.T) {
			requireRawSocket(t, fam)
			tcpdump := capturetest.RequireTool(t, "tcpdump")
			td := capturetest.StartTcpdump(t, "", "-i", "lo", "--immediate-mode", fam.capture)
			file := td.File

			r := runCompareJSON(t, append(slices.Clone(fam.flags), "--kinds", "raw,tcp,udp", "--messages", "one,two,three,four")...)
			time.Sleep(100 * time.Millisecond)
			td.Stop(t)
			if len(r.Kinds) != 3 {
				t.Errorf("ran %d kinds, want raw, tcp, udp (skipped %v)", len(r.Kinds), r.Skipped)
			}
			for _, k := range r.Kinds {
				expr := fam.rawExpr
				if k.Name != "raw" {
					expr = fam.portExpr + k.Name + " port " + k.Receiver[strings.LastIndex(k.Receiver, ":")+1:]
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
		})
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
