package commands

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vishvananda/netns"

	"github.com/sockscope/sockscope/capture/capturetest"
	"github.com/sockscope/sockscope/craft"
	"github.com/sockscope/sockscope/craft/spec"
)

// requireLab skips the test, or fails it under SOCKSCOPE_REQUIRE_PRIV=1,
// when it may not make network namespaces.
func requireLab(t *testing.T) {
	t.Helper()
	capturetest.RequirePrivilege(t)
	if os.Geteuid() != 0 {
		capturetest.SkipOrFail(t, "compare --lab makes network namespaces: run the tests as root")
	}
}

// noLabLeft fails t when a namespace of compare --lab run by process pid
// is still there.
func noLabLeft(t *testing.T, pid int) {
	t.Helper()
	for _, side := range []string{"a", "b"} {
		name := fmt.Sprintf("sscmp%d%s", pid, side)
		if ns, err := netns.GetFromName(name); err == nil {
			ns.Close()
			t.Errorf("namespace %s is still there after compare --lab", name)
		}
		if _, err := os.Stat(filepath.Join("/run/netns", name)); err == nil {
			t.Errorf("/run/netns/%s is still there after compare --lab", name)
		}
	}
}

func TestCompareLabWireCountsWhatTcpdumpCountsOnTheVeth(t *testing.T) {
	requireLab(t)
	tcpdump := capturetest.RequireTool(t, "tcpdump")
	lab := craft.NewCompareLab(craft.LabImpairment{})
	if err := lab.Build(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := lab.Close(); err != nil {
			t.Error(err)
		}
		noLabLeft(t, os.Getpid())
	}()

	td := capturetest.StartTcpdump(t, lab.NsB, "-i", lab.Link(), "--immediate-mode", "arp or tcp or udp or ip proto 253")
	file := td.File

	msgs := [][]byte{[]byte("one"), []byte("two"), []byte("three"), []byte("four")}
	r, err := craft.CompareInLab(craft.CompareConfig{Messages: msgs, Kinds: []string{"raw", "tcp", "udp", "unix-dgram"}, Raw: labRaw(t), ReadDelay: 50 * time.Millisecond}, lab)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	td.Stop(t)
	count := func(expr string) int {
		out, err := exec.Command(tcpdump, "-n", "-r", file, expr).Output()
		if err != nil {
			t.Fatalf("tcpdump -r %s: %v", expr, err)
		}
		return strings.Count(string(out), "\n")
	}
	if r.Link != lab.Link() {
		t.Errorf("link %q, want the veth %q", r.Link, lab.Link())
	}
	arp := count("arp")
	if arp < 2 {
		t.Errorf("tcpdump saw %d ARP packets on the veth, want the request and the reply at least", arp)
	}
	all := 0
	for _, k := range r.Kinds {
		var data []string
		for _, rd := range k.Reads {
			data = append(data, rd.Data)
		}
		switch k.Name {
		case "tcp":
			if strings.Join(data, "") != "onetwothreefour" || k.BoundariesKept || !k.InOrder || k.Lost != 0 {
				t.Errorf("tcp: reads %q, boundaries kept %v; want the bytes in order, merged", data, k.BoundariesKept)
			}
		case "raw", "udp", "unix-dgram":
			if strings.Join(data, ",") != "one,two,three,four" || !k.BoundariesKept || k.Lost != 0 {
				t.Errorf("%s: reads %q, boundaries kept %v; want one read per write", k.Name, data, k.BoundariesKept)
			}
		}
		if k.Family == "unix" {
			if k.Wire != nil {
				t.Errorf("%s: wire %+v, want none (AF_UNIX)", k.Name, k.Wire)
			}
			continue
		}
		if k.Wire == nil {
			t.Fatalf("%s: no wire counted", k.Name)
		}
		if !strings.HasPrefix(k.Receiver, "10.233.0.2") || !strings.HasPrefix(k.Sender, "10.233.0.1") {
			t.Errorf("%s: %s -> %s, want the lab's 10.233.0.1 -> 10.233.0.2", k.Name, k.Sender, k.Receiver)
		}
		expr := "ip proto 253 and src host 10.233.0.1 and dst host 10.233.0.2"
		if k.Name != "raw" {
			_, port, _ := strings.Cut(k.Receiver, ":")
			expr = k.Name + " port " + port
		}
		n := count(expr)
		// The kind's capture also takes the ARP packets of its time: all of
		// them come before the first kind's first packet.
		if k.Wire.Packets < n || k.Wire.Packets > n+arp {
			t.Errorf("%s: wire counts %d packets, tcpdump %d of %q and %d ARP", k.Name, k.Wire.Packets, n, expr, arp)
		}
		all += k.Wire.Packets
	}
	if want := count("arp or tcp or udp or ip proto 253"); all != want {
		t.Errorf("the kinds' wire counts add up to %d packets, tcpdump counts %d on the veth", all, want)
	}
}

func TestCompareLabLossDeliversEveryStreamByteAndCountsLostDatagrams(t *testing.T) {
	requireLab(t)
	// --nodelay: with Nagle's algorithm the 200 writes ride in two or three
	// segments, and whether one of so few is lost is chance; one segment
	// per write makes a retransmission at 30% loss all but certain.
	r := runCompareJSON(t, "--lab", "--loss", "30", "--count", "200", "--kinds", "tcp,udp", "--nodelay")
	noLabLeft(t, os.Getpid())
	if len(r.Kinds) != 2 {
		t.Fatalf("ran %d kinds, want tcp and udp (skipped %v)", len(r.Kinds), r.Skipped)
	}
	for _, k := range r.Kinds {
		if len(k.Writes) != 200 || k.Wire == nil {
			t.Fatalf("%s: %d writes, wire %+v; want 200 writes on a wire", k.Name, len(k.Writes), k.Wire)
		}
		switch k.Name {
		case "tcp":
			if k.DeliveredBytes != 200 || !k.InOrder || k.Lost != 0 || k.Wire.Retransmissions == 0 {
				t.Errorf("tcp: delivered %d B, in order %v, lost %d, retransmissions %d; want 200 B in order after retransmissions",
					k.DeliveredBytes, k.InOrder, k.Lost, k.Wire.Retransmissions)
			}
		case "udp":
			if len(k.Reads) >= 200 || len(k.Reads) == 0 || k.Lost != len(k.Writes)-len(k.Reads) || !k.BoundariesKept || k.DeliveredBytes != len(k.Reads) {
				t.Errorf("udp: %d reads, lost %d, boundaries kept %v; want fewer than 200 whole reads and lost = writes - reads",
					len(k.Reads), k.Lost, k.BoundariesKept)
			}
			// Every datagram crossed the veth; B dropped some on input.
			if k.Wire.Packets < 200 {
				t.Errorf("udp: %d packets on the wire, want all 200 writes", k.Wire.Packets)
			}
		}
	}
}

func TestCompareLabDelayAndReorderKeepTheStreamWhole(t *testing.T) {
	requireLab(t)
	args := []string{"sockscope", "compare", "--json", "--lab", "--delay", "20ms", "--reorder", "25", "--count", "50", "--kinds", "tcp,udp", "--nodelay"}
	var out, errs bytes.Buffer
	app := App()
	app.Writer, app.ErrWriter = &out, &errs
	err := app.Run(args)
	noLabLeft(t, os.Getpid())
	if errors.Is(err, craft.ErrNoNetem) {
		// A kernel feature, not a privilege: no CI setting can grant it.
		t.Skipf("kernel without sch_netem: %v", err)
	}
	if err != nil {
		t.Fatalf("compare: %v (stderr %q)", err, errs.String())
	}
	var r compareJSON
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("compare --json: %v\n%s", err, out.String())
	}
	for _, k := range r.Kinds {
		// Each direction waits 20ms: no exchange beats one round trip.
		if k.ElapsedUS < 40000 {
			t.Errorf("%s: %d us from first write to last read, want at least one 40ms round trip", k.Name, k.ElapsedUS)
		}
		if k.Name == "tcp" && (k.DeliveredBytes != 50 || !k.InOrder) {
			t.Errorf("tcp: delivered %d B, in order %v; want all 50 B in order", k.DeliveredBytes, k.InOrder)
		}
		if k.Name == "udp" && (len(k.Reads) != 50 || !k.BoundariesKept) {
			t.Errorf("udp: %d reads, boundaries kept %v; want 50 whole datagrams (reordered maybe, none lost)", len(k.Reads), k.BoundariesKept)
		}
	}
}

func TestCompareLabIsRemovedWhenInterrupted(t *testing.T) {
	requireLab(t)
	bin := sockscopeBinary(t)
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		// At 90% loss TCP's retransmissions take many seconds: the run is
		// still going when the signal comes.
		cmd := exec.Command(bin, "compare", "--lab", "--loss", "90", "--count", "200", "--kinds", "tcp")
		var errs syncBuffer
		cmd.Stderr = &errs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		made := filepath.Join("/run/netns", fmt.Sprintf("sscmp%db", cmd.Process.Pid))
		capturetest.WaitUntil(t, "compare made its lab", func() bool {
			_, err := os.Stat(made)
			return err == nil
		})
		time.Sleep(200 * time.Millisecond)
		cmd.Process.Signal(sig)
		err := cmd.Wait()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 130 {
			t.Errorf("%v: compare ended with %v, want exit 130\n%s", sig, err, errs.String())
		}
		if !strings.Contains(errs.String(), "lab removed") {
			t.Errorf("%v: stderr does not say the lab was removed: %q", sig, errs.String())
		}
		noLabLeft(t, cmd.Process.Pid)
	}
}

func TestCompareLabWithoutPrivilegeRunsOnLoopback(t *testing.T) {
	requireLab(t) // to drop it with setpriv
	setpriv := capturetest.RequireTool(t, "setpriv")
	bin := sockscopeBinary(t)
	os.Chmod(filepath.Dir(bin), 0o755)
	cmd := exec.Command(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", bin, "compare", "--lab", "--loss", "30", "--kinds", "tcp,udp")
	var out, errs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errs
	if err := cmd.Run(); err != nil {
		t.Fatalf("compare --lab as nobody: %v, want exit 0\n%s", err, errs.String())
	}
	want := "compare: lab: make network namespace sscmp"
	if !strings.Contains(errs.String(), want) || !strings.Contains(errs.String(), "run as root); running on lo instead, without loss") {
		t.Errorf("stderr does not say the lab needs root:\n%s", errs.String())
	}
	if !strings.Contains(out.String(), "ABC") {
		t.Errorf("no report of the kinds run on lo:\n%s", out.String())
	}

	// --loss without --lab is a usage error.
	msg, err := exec.Command(bin, "compare", "--loss", "30").CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 || !strings.Contains(string(msg), "give --lab too") {
		t.Errorf("--loss without --lab: %v %q, want exit 2 asking for --lab", err, msg)
	}
}

// labRaw is the raw kind's header in the lab, as compare --lab builds it.
func labRaw(t *testing.T) *craft.Builder {
	t.Helper()
	s, err := spec.Parse(craft.LabRawSpec)
	if err != nil {
		t.Fatal(err)
	}
	b, err := craft.Build(s, craft.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return b
}
