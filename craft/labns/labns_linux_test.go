package labns_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/sockscope/sockscope/capture/capturetest"
	"github.com/sockscope/sockscope/craft/labns"
)

// prefix names these tests' labs: no other test or run makes them.
const prefix = "sslabnstest"

// requireRoot skips the test, or fails it under SOCKSCOPE_REQUIRE_PRIV=1,
// when it may not make network namespaces.
func requireRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		capturetest.SkipOrFail(t, "making network namespaces needs CAP_SYS_ADMIN: run the tests as root")
	}
}

// theirs makes namespace name as a user would (ip netns add), removed
// when the test ends, and returns its inode.
func theirs(t *testing.T, name string) uint64 {
	t.Helper()
	ip := capturetest.RequireTool(t, "ip")
	if out, err := exec.Command(ip, "netns", "add", name).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add %s: %v %s", name, err, out)
	}
	t.Cleanup(func() { exec.Command(ip, "netns", "del", name).Run() })
	return inode(t, name)
}

// inode is the inode of namespace name, 0 when there is none.
func inode(t *testing.T, name string) uint64 {
	t.Helper()
	var st unix.Stat_t
	if err := unix.Stat(filepath.Join("/run/netns", name), &st); err != nil {
		return 0
	}
	return st.Ino
}

func lockFile(name string) string { return filepath.Join(labns.Dir, name+".lock") }

func gone(t *testing.T, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, err := os.Stat(filepath.Join("/run/netns", n)); err == nil {
			t.Errorf("/run/netns/%s is still there", n)
		}
	}
}

func TestNewLeavesANamespaceOfItsNameAndTakesAnother(t *testing.T) {
	requireRoot(t)
	for _, side := range []string{"a", "b"} {
		t.Run(side, func(t *testing.T) {
			taken := prefix + "0bad000" + side
			ino := theirs(t, taken+side)
			defer labns.SetNames("0bad000"+side, "900d000"+side)()
			l, err := labns.New(prefix, "a", "b")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { l.Close() })
			if want := prefix + "900d000" + side; l.Name != want {
				t.Errorf("lab %s, want %s: the first name was taken", l.Name, want)
			}
			if got := inode(t, taken+side); got != ino {
				t.Errorf("%s: inode %d, want %d: a namespace the lab did not make was replaced or removed", taken+side, got, ino)
			}
			// What New made under the taken name went with it.
			gone(t, taken+map[string]string{"a": "b", "b": "a"}[side])
			if _, err := os.Stat(lockFile(taken)); err == nil {
				t.Errorf("%s is still there", lockFile(taken))
			}
			if len(l.NS) != 2 || inode(t, l.NS[0].Name) == 0 || inode(t, l.NS[1].Name) == 0 {
				t.Fatalf("lab %+v: want two namespaces made", l.NS)
			}
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
			gone(t, l.NS[0].Name, l.NS[1].Name)
			if got := inode(t, taken+side); got != ino {
				t.Errorf("after Close, %s: inode %d, want %d", taken+side, got, ino)
			}
			if _, err := os.Stat(lockFile(l.Name)); err == nil {
				t.Errorf("%s is still there after Close", lockFile(l.Name))
			}
		})
	}
}

// TestHelperLab is not a test: run by startLab, it makes a lab, prints its
// name and PID, and waits to be killed.
func TestHelperLab(t *testing.T) {
	if os.Getenv("LABNS_HELPER") != "1" {
		t.Skip("a helper process of TestReclaim...")
	}
	l, err := labns.New(prefix, "a", "b")
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	fmt.Println(l.Name, l.PID)
	os.Stdin.Read(make([]byte, 1)) // until killed
	os.Exit(0)
}

// startLab starts a process (under unshare, with args) that makes a lab,
// and returns it with the lab's name and the PID the lab recorded.
func startLab(t *testing.T, args ...string) (*exec.Cmd, string, int) {
	t.Helper()
	args = append(args, os.Args[0], "-test.run=^TestHelperLab$")
	// Labs of this test's earlier runs, killed: not this run's business.
	labns.Reclaim(prefix)
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(os.Environ(), "LABNS_HELPER=1")
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		in.Close()
		cmd.Wait()
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	f := strings.Fields(line)
	if err != nil || len(f) != 2 {
		t.Fatalf("helper said %q, %v", line, err)
	}
	pid, _ := strconv.Atoi(f[1])
	t.Cleanup(func() {
		for _, s := range []string{"a", "b"} {
			exec.Command("ip", "netns", "del", f[0]+s).Run()
		}
		os.Remove(lockFile(f[0]))
	})
	return cmd, f[0], pid
}

func TestReclaimRemovesTheLabOfAKilledProcessOnly(t *testing.T) {
	requireRoot(t)
	// Not a lab's, though named like one: no lock file says it is.
	lookalike := prefix + "ffffffffa"
	theirs(t, lookalike)

	cmd, name, pid := startLab(t)
	if pid != cmd.Process.Pid {
		t.Errorf("the lab recorded pid %d, the process is %d", pid, cmd.Process.Pid)
	}
	dead, err := labns.Reclaim(prefix)
	if err != nil || len(dead) != 0 {
		t.Fatalf("a live lab: Reclaim = %+v, %v; want nothing removed", dead, err)
	}
	if inode(t, name+"a") == 0 || inode(t, name+"b") == 0 {
		t.Fatalf("Reclaim removed a namespace of the live lab %s", name)
	}

	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if inode(t, name+"a") == 0 {
		t.Fatalf("%sa went with its process: nothing to reclaim", name)
	}
	// A user's namespace now has the name of the lab's b: it stays.
	ip := capturetest.RequireTool(t, "ip")
	if out, err := exec.Command(ip, "netns", "del", name+"b").CombinedOutput(); err != nil {
		t.Fatalf("ip netns del: %v %s", err, out)
	}
	ino := theirs(t, name+"b")

	dead, err = labns.Reclaim(prefix)
	if err != nil {
		t.Fatal(err)
	}
	if len(dead) != 1 || dead[0].Name != name || dead[0].PID != pid || !slices.Equal(dead[0].Removed, []string{name + "a"}) {
		t.Fatalf("Reclaim = %+v, want lab %s of pid %d with %sa removed", dead, name, pid, name)
	}
	gone(t, name+"a")
	if inode(t, name+"b") != ino {
		t.Errorf("Reclaim removed %sb, which a user made after the lab's process died", name)
	}
	if inode(t, lookalike) == 0 {
		t.Errorf("Reclaim removed %s, which no lab made", lookalike)
	}
	if _, err := os.Stat(lockFile(name)); err == nil {
		t.Errorf("%s is still there", lockFile(name))
	}
	if dead, err := labns.Reclaim(prefix); err != nil || len(dead) != 0 {
		t.Errorf("Reclaim again = %+v, %v; want nothing", dead, err)
	}
}

func TestReclaimTellsALiveLabInAnotherPIDNamespace(t *testing.T) {
	requireRoot(t)
	unshare := capturetest.RequireTool(t, "unshare")
	// In its pid namespace the process is 1, as a lab made of pid 1's
	// name would be.
	cmd, name, pid := startLab(t, unshare, "--pid", "--fork", "--kill-child")
	if pid == 1 {
		t.Errorf("the lab recorded pid 1, its number inside its pid namespace")
	}
	if dead, err := labns.Reclaim(prefix); err != nil || len(dead) != 0 {
		t.Fatalf("a live lab: Reclaim = %+v, %v; want nothing removed", dead, err)
	}
	if inode(t, name+"a") == 0 || inode(t, name+"b") == 0 {
		t.Fatalf("Reclaim removed a namespace of the live lab %s", name)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	// unshare --kill-child kills the lab's process when unshare dies:
	// wait until its lock is free, that is until it is gone.
	capturetest.WaitUntil(t, "the lab's process ended", func() bool {
		f, err := os.Open(lockFile(name))
		if err != nil {
			return true
		}
		defer f.Close()
		return unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) == nil
	})
	dead, err := labns.Reclaim(prefix)
	if err != nil || len(dead) != 1 || dead[0].Name != name || len(dead[0].Removed) != 2 {
		t.Fatalf("Reclaim = %+v, %v; want lab %s and its two namespaces removed", dead, err, name)
	}
	gone(t, name+"a", name+"b")
}

// TestLabOutlivesIPNetnsAddMountingTheDirectory: on a machine where ip
// netns add has never run, /run/netns is a plain directory; the first ip
// netns add mounts it on itself. Done while a lab's namespaces were mounted
// under it, that hid them: the lab could not remove them (EBUSY), and they
// stayed until the machine restarted. The test runs itself again in a
// mount namespace of its own, where /run/netns can be a plain directory
// without touching the machine's.
func TestLabOutlivesIPNetnsAddMountingTheDirectory(t *testing.T) {
	requireRoot(t)
	ip := capturetest.RequireTool(t, "ip")
	if os.Getenv("LABNS_PRIVATE_MOUNTS") == "1" {
		// Here /run/netns is made a plain directory again, for this
		// mount namespace only.
		for unix.Unmount("/run/netns", unix.MNT_DETACH) == nil {
		}
		l, err := labns.New(prefix, "m")
		if err != nil {
			t.Fatal(err)
		}
		probe := prefix + "ipadd"
		if out, err := exec.Command(ip, "netns", "add", probe).CombinedOutput(); err != nil {
			l.Close()
			t.Fatalf("ip netns add %s: %v %s", probe, err, out)
		}
		exec.Command(ip, "netns", "del", probe).Run()
		if err := l.Close(); err != nil {
			t.Fatalf("the lab could not remove its namespace after ip netns add: %v", err)
		}
		gone(t, l.NS[0].Name)
		return
	}
	unshare := capturetest.RequireTool(t, "unshare")
	cmd := exec.Command(unshare, "--mount", "--propagation", "private", os.Args[0], "-test.run=^TestLabOutlivesIPNetnsAddMountingTheDirectory$", "-test.v")
	cmd.Env = append(os.Environ(), "LABNS_PRIVATE_MOUNTS=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("in a mount namespace of its own: %v\n%s", err, out)
	}
}
