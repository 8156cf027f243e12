package capturetest

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/sockscope/sockscope/craft/labns"
)

// TestHelperKilledWithItsLab is not a test: run by
// TestLabOfAKilledTestIsRemovedByTheNextLab, it builds a lab, prints the
// namespaces' names and waits to be killed, as a test killed by go test's
// timeout would be.
func TestHelperKilledWithItsLab(t *testing.T) {
	if os.Getenv("CAPTURETEST_HELPER") != "1" {
		t.Skip("a helper process of TestLabOfAKilledTestIsRemovedByTheNextLab")
	}
	l := NewLab(t)
	os.Stdout.WriteString(l.NsA + " " + l.NsB + "\n")
	os.Stdin.Read(make([]byte, 1))
}

func TestLabOfAKilledTestIsRemovedByTheNextLab(t *testing.T) {
	RequirePrivilege(t)
	if os.Geteuid() != 0 {
		SkipOrFail(t, "a lab makes network namespaces: run the tests as root")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperKilledWithItsLab$")
	cmd.Env = append(os.Environ(), "CAPTURETEST_HELPER=1")
	in, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		in.Close()
		cmd.Process.Kill()
		cmd.Wait()
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	names := strings.Fields(line)
	if err != nil || len(names) != 2 {
		t.Fatalf("helper said %q, %v", line, err)
	}
	exists := func(name string) bool {
		_, err := os.Stat(filepath.Join("/run/netns", name))
		return err == nil
	}
	// A live test's lab: another NewLab leaves it.
	other := NewLab(t)
	if !exists(names[0]) || !exists(names[1]) {
		t.Fatalf("NewLab removed the lab %v of a running test", names)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if !exists(names[0]) {
		// Another package's NewLab, in a test process of its own, may
		// have been first.
		t.Logf("%s is gone already", names[0])
	}
	ReclaimDeadLabs(t)
	for _, n := range names {
		if exists(n) {
			t.Errorf("%s of the killed test is still there", n)
		}
	}
	if !exists(other.NsA) || !exists(other.NsB) {
		t.Errorf("ReclaimDeadLabs removed this test's own lab")
	}
	lock := filepath.Join(labns.Dir, strings.TrimSuffix(names[0], "a")+".lock")
	if _, err := os.Stat(lock); err == nil {
		t.Errorf("%s is still there", lock)
	}
}
