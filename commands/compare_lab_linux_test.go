package commands

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/nftables"
	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"

	"github.com/sockscope/sockscope/capture/capturetest"
	"github.com/sockscope/sockscope/craft"
	"github.com/sockscope/sockscope/craft/compare"
	"github.com/sockscope/sockscope/craft/labns"
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

// labsNow lists what compare's labs have now: namespaces under /run/netns
// and lock files under labns.Dir named compare.LabPrefix...
func labsNow(t *testing.T) map[string]bool {
	t.Helper()
	have := map[string]bool{}
	for _, dir := range []string{"/run/netns", labns.Dir} {
		names, err := os.ReadDir(dir)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
		for _, n := range names {
			if strings.HasPrefix(n.Name(), compare.LabPrefix) {
				have[filepath.Join(dir, n.Name())] = true
			}
		}
	}
	return have
}

// noLabLeft fails t when a namespace or lock file of compare --lab is
// there that was not before, unless it is the lab of a process still
// running (another package's test, go test running packages side by side).
func noLabLeft(t *testing.T, before map[string]bool) {
	t.Helper()
	for path := range labsNow(t) {
		if !before[path] && !labOfLiveProcess(path) {
			t.Errorf("%s is still there after compare --lab", path)
		}
	}
}

// labOfLiveProcess says whether the lab a namespace or lock file path
// belongs to is held by a running process, by the pid its lock file names.
func labOfLiveProcess(path string) bool {
	name := strings.TrimSuffix(filepath.Base(path), ".lock")
	if filepath.Dir(path) == "/run/netns" {
		name = name[:len(name)-1] // the lab's name and a or b
	}
	b, err := os.ReadFile(filepath.Join(labns.Dir, name+".lock"))
	if err != nil {
		return false
	}
	var pid int
	if _, err := fmt.Sscanf(string(b), "pid %d\n", &pid); err != nil || pid <= 0 {
		return false
	}
	return syscall.Kill(pid, 0) == nil
}

// labOf waits until process pid has made its lab and both namespaces are
// there, and returns the lab's name.
func labOf(t *testing.T, pid int) string {
	t.Helper()
	var name string
	capturetest.WaitUntil(t, fmt.Sprintf("compare (pid %d) made its lab", pid), func() bool {
		locks, _ := filepath.Glob(filepath.Join(labns.Dir, compare.LabPrefix+"*.lock"))
		for _, l := range locks {
			b, _ := os.ReadFile(l)
			if strings.HasPrefix(string(b), fmt.Sprintf("pid %d\n", pid)) {
				name = strings.TrimSuffix(filepath.Base(l), ".lock")
			}
		}
		if name == "" {
			return false
		}
		for _, side := range []string{"a", "b"} {
			ns, err := netns.GetFromName(name + side)
			if err != nil {
				return false
			}
			ns.Close()
		}
		return true
	})
	return name
}

// TestCompareLabWireCountsWhatTcpdumpCountsOnTheVeth: compare --lab (and
// --lab --ip6) sends each IP kind across the veth between the lab's two
// addresses, and each kind's wire count is tcpdump's on the veth, with the
// address resolution packets (ARP, neighbour discovery) of its time.
func TestCompareLabWireCountsWhatTcpdumpCountsOnTheVeth(t *testing.T) {
	const nd = "(icmp6 and (ip6[40] == 135 or ip6[40] == 136))"
	for _, fam := range []struct {
		name    string
		ip6     bool
		rawSpec string
		kinds   []string
		// resolve is tcpdump's expression for the family's address
		// resolution, of which the veth carries at least minResolve.
		resolve    string
		minResolve int
		proto253   string // tcpdump's expression for the raw kind's protocol
		src, dst   string // the lab's two addresses, as a socket's address starts
		rawExpr    string // tcpdump's expression for the raw kind's packets
		portExpr   string // and what comes before "tcp port N" or "udp port N"
		// resolveFirst: all of the address resolution comes before the first
		// kind's first packet, so every packet on the veth is some kind's.
		// Neighbour discovery (a reachability probe) may also come between
		// two kinds' captures, where none takes it.
		resolveFirst bool
	}{
		{
			name: "ipv4", rawSpec: compare.LabRawSpec, kinds: []string{"raw", "tcp", "udp", "unix-dgram"},
			resolve: "arp", minResolve: 2, proto253: "ip proto 253",
			src: "10.233.0.1", dst: "10.233.0.2", rawExpr: "ip proto 253 and src host 10.233.0.1 and dst host 10.233.0.2",
			resolveFirst: true,
		},
		{
			name: "ipv6", ip6: true, rawSpec: compare.LabRawSpec6, kinds: []string{"raw", "tcp", "udp"},
			resolve: nd, proto253: "ip6 proto 253",
			src: "[fd33::1]:", dst: "[fd33::2]:", rawExpr: "ip6 proto 253 and src host fd33::1 and dst host fd33::2", portExpr: "ip6 and ",
		},
	} {
		t.Run(fam.name, func(t *testing.T) {
			requireLab(t)
			tcpdump := capturetest.RequireTool(t, "tcpdump")
			before := labsNow(t)
			lab := compare.NewLab(compare.Impairment{})
			if err := lab.Build(); err != nil {
				t.Fatal(err)
			}
			defer func() {
				if err := lab.Close(); err != nil {
					t.Error(err)
				}
				noLabLeft(t, before)
			}()

			everything := fam.resolve + " or tcp or udp or " + fam.proto253
			td := capturetest.StartTcpdump(t, lab.NsB, "-i", lab.Link(), "--immediate-mode", everything)
			file := td.File

			msgs := [][]byte{[]byte("one"), []byte("two"), []byte("three"), []byte("four")}
			cfg := compare.Config{Messages: msgs, Kinds: fam.kinds, Raw: labRaw(t, fam.rawSpec), ReadDelay: 50 * time.Millisecond, IP6: fam.ip6}
			r, err := compare.RunInLab(cfg, lab)
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
			resolve := count(fam.resolve)
			if resolve < fam.minResolve {
				t.Errorf("tcpdump saw %d address resolution packets on the veth, want the request and the reply at least", resolve)
			}
			all := 0
			extra := 0 // address resolution packets the kinds' captures took
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
				if want := map[bool]string{false: "inet", true: "inet6"}[fam.ip6]; k.Family != want {
					t.Errorf("%s: family %s, want %s", k.Name, k.Family, want)
				}
				if k.Wire == nil {
					t.Fatalf("%s: no wire counted", k.Name)
				}
				expr := fam.rawExpr
				if k.Name != "raw" {
					if !strings.HasPrefix(k.Sender, fam.src) || !strings.HasPrefix(k.Receiver, fam.dst) {
						t.Errorf("%s: %s -> %s, want the lab's %s -> %s", k.Name, k.Sender, k.Receiver, fam.src, fam.dst)
					}
					expr = fam.portExpr + k.Name + " port " + k.Receiver[strings.LastIndex(k.Receiver, ":")+1:]
				}
				n := count(expr)
				// The kind's capture also takes the address resolution
				// packets of its time.
				if k.Wire.Packets < n || k.Wire.Packets > n+resolve {
					t.Errorf("%s: wire counts %d packets, tcpdump %d of %q and %d of address resolution", k.Name, k.Wire.Packets, n, expr, resolve)
				}
				if k.Name == "tcp" && (k.Wire.Setup != 3 || k.Wire.PayloadBytes != 15) {
					t.Errorf("tcp wire %+v, want setup 3 and 15 payload bytes", *k.Wire)
				}
				all += k.Wire.Packets
				extra += k.Wire.Packets - n
			}
			if len(r.Kinds) != len(fam.kinds) {
				t.Errorf("ran %d kinds, want %s (skipped %v)", len(r.Kinds), strings.Join(fam.kinds, ", "), r.Skipped)
			}
			if extra > resolve {
				t.Errorf("the kinds' captures took %d address resolution packets, tcpdump saw %d on the veth", extra, resolve)
			}
			if want := count(everything); fam.resolveFirst && all != want {
				t.Errorf("the kinds' wire counts add up to %d packets, tcpdump counts %d on the veth", all, want)
			}
		})
	}
}

func TestCompareLabLossDeliversEveryStreamByteAndCountsLostDatagrams(t *testing.T) {
	requireLab(t)
	// --nodelay: with Nagle's algorithm the 200 writes ride in two or three
	// segments, and whether one of so few is lost is chance; one segment
	// per write makes a retransmission at 10% loss all but certain (no
	// loss in 200 segments: 0.9^200, about 1e-9). Not 30%: a handshake
	// then fails half its tries, and the SYN's timer doubles from 1 s: 7
	// failures in a row (1%) passed compare's two minutes for a kind.
	before := labsNow(t)
	r := runCompareJSON(t, "--lab", "--loss", "10", "--count", "200", "--kinds", "tcp,udp", "--nodelay")
	noLabLeft(t, before)
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
	before := labsNow(t)
	err := app.Run(args)
	noLabLeft(t, before)
	if errors.Is(err, compare.ErrNoNetem) {
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
		before := labsNow(t)
		cmd := exec.Command(bin, "compare", "--lab", "--loss", "90", "--count", "200", "--kinds", "tcp")
		var errs syncBuffer
		cmd.Stderr = &errs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		labOf(t, cmd.Process.Pid)
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
		noLabLeft(t, before)
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
	if !strings.HasPrefix(errs.String(), "compare: lab: ") || !strings.Contains(errs.String(), "run as root); running on lo instead, without loss") {
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

// labRaw is the raw kind's header in the lab, as compare --lab builds it
// from rawSpec (compare.LabRawSpec, or compare.LabRawSpec6 with --ip6).
func labRaw(t *testing.T, rawSpec string) *craft.Builder {
	t.Helper()
	s, err := spec.Parse(rawSpec)
	if err != nil {
		t.Fatal(err)
	}
	b, err := craft.Build(s, craft.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// inodeOf is the inode of namespace name under /run/netns, 0 when there is
// none.
func inodeOf(name string) uint64 {
	var st unix.Stat_t
	if err := unix.Stat(filepath.Join("/run/netns", name), &st); err != nil {
		return 0
	}
	return st.Ino
}

// Issue 13: with sscmp1a and sscmp1b there, compare --lab under
// unshare --pid --fork (its pid is 1) removed them and ran on lo.
func TestCompareLabNeverRemovesNamespacesItDidNotMake(t *testing.T) {
	requireLab(t)
	ip := capturetest.RequireTool(t, "ip")
	bin := sockscopeBinary(t)
	theirs := map[string]uint64{}
	for _, name := range []string{"sscmp1a", "sscmp1b", fmt.Sprintf("sscmp%da", os.Getpid())} {
		if out, err := exec.Command(ip, "netns", "add", name).CombinedOutput(); err != nil {
			t.Fatalf("ip netns add %s: %v %s", name, err, out)
		}
		t.Cleanup(func() { exec.Command(ip, "netns", "del", name).Run() })
		theirs[name] = inodeOf(name)
	}
	before := labsNow(t)
	args := []string{bin, "compare", "--lab", "--kinds", "udp", "--json"}
	if unshare, err := exec.LookPath("unshare"); err == nil {
		args = append([]string{unshare, "--pid", "--fork"}, args...)
	} else {
		t.Logf("unshare is not installed: compare runs in this pid namespace")
	}
	var out, errs bytes.Buffer
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdout, cmd.Stderr = &out, &errs
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, errs.String())
	}
	if strings.Contains(errs.String(), "running on lo") {
		t.Errorf("compare did not make its lab:\n%s", errs.String())
	}
	var r compareJSON
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("compare --json: %v\n%s", err, out.String())
	}
	if !regexp.MustCompile(`^sscmp[0-9a-f]{8}b$`).MatchString(r.Link) {
		t.Errorf("the lab's link is %q, want sscmp, eight hexadecimal digits and b", r.Link)
	}
	for name, ino := range theirs {
		if got := inodeOf(name); got != ino {
			t.Errorf("%s: inode %d after compare --lab, was %d: compare removed or replaced a namespace it did not make", name, got, ino)
		}
	}
	noLabLeft(t, before)
}

// Issue 13: a compare --lab killed by SIGKILL left its namespaces (and in
// them the veth and the nftables table) for good. The next run removes
// them, and says so in one line.
func TestCompareLabLeftByAKilledRunIsRemovedByTheNextRun(t *testing.T) {
	requireLab(t)
	bin := sockscopeBinary(t)
	before := labsNow(t)
	rootLinks := func() map[string]bool {
		links, err := netlink.LinkList()
		if err != nil {
			t.Fatal(err)
		}
		have := map[string]bool{}
		for _, l := range links {
			have[l.Attrs().Name] = true
		}
		return have
	}
	linksBefore := rootLinks()
	// --read-delay: the run waits a minute after its writes, its lab
	// built, loss table and all.
	cmd := exec.Command(bin, "compare", "--lab", "--loss", "30", "--kinds", "udp", "--read-delay", "1m")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	name := labOf(t, cmd.Process.Pid)
	tables := func(ns netns.NsHandle) []string {
		c, err := nftables.New(nftables.WithNetNSFd(int(ns)))
		if err != nil {
			t.Fatal(err)
		}
		ts, err := c.ListTables()
		if err != nil {
			t.Fatalf("nftables: %v", err)
		}
		var names []string
		for _, tb := range ts {
			names = append(names, tb.Name)
		}
		return names
	}
	capturetest.WaitUntil(t, "the killed run's lab has its veth and its nftables table", func() bool {
		ns, err := netns.GetFromName(name + "b")
		if err != nil {
			return false
		}
		defer ns.Close()
		h, err := netlink.NewHandleAt(ns)
		if err != nil {
			return false
		}
		defer h.Close()
		_, err = h.LinkByName(name + "b")
		return err == nil && slices.Contains(tables(ns), "sockscope")
	})
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if inodeOf(name+"a") == 0 || inodeOf(name+"b") == 0 {
		t.Fatalf("the lab %s went with the run killed: nothing to reclaim", name)
	}

	var out, errs bytes.Buffer
	next := exec.Command(bin, "compare", "--lab", "--kinds", "udp")
	next.Stdout, next.Stderr = &out, &errs
	// Another package's tests run beside these and may start a compare
	// --lab of their own, which reclaims the lab first: then the lab must
	// be gone all the same, but this run has nothing to say of it.
	left := inodeOf(name+"a") != 0 || inodeOf(name+"b") != 0
	if err := next.Run(); err != nil {
		t.Fatalf("the next compare --lab: %v\n%s", err, errs.String())
	}
	want := fmt.Sprintf("compare: removed lab %s left by a run that ended (pid %d)", name, cmd.Process.Pid)
	if !left {
		t.Logf("lab %s was reclaimed by another run before the next one started", name)
	} else if !slices.Contains(strings.Split(errs.String(), "\n"), want) {
		t.Errorf("stderr of the next run:\n%s\nwant the line %q", errs.String(), want)
	}
	noLabLeft(t, before)
	for l := range rootLinks() {
		if !linksBefore[l] && strings.HasPrefix(l, compare.LabPrefix) {
			t.Errorf("link %s is left in this namespace", l)
		}
	}
	root, err := netns.Get()
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	if slices.Contains(tables(root), "sockscope") {
		t.Errorf("an nftables table sockscope is in this namespace")
	}
}
