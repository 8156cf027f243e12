package compare

import (
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sockscope/sockscope/capture/capturetest"
)

// requireSCTP skips the test where the kernel has no SCTP: a kernel
// feature, which no privilege grants.
func requireSCTP(t *testing.T) {
	t.Helper()
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_SEQPACKET|unix.SOCK_CLOEXEC, unix.IPPROTO_SCTP)
	if errors.Is(err, unix.EPROTONOSUPPORT) || errors.Is(err, unix.ESOCKTNOSUPPORT) {
		t.Skipf("this kernel has no SCTP (%v): compare skips the sctp kind with a note, which TestCompareNotesAKernelWithoutSCTP checks", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	unix.Close(fd)
}

func TestCompareNotesAKernelWithoutSCTP(t *testing.T) {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_SEQPACKET|unix.SOCK_CLOEXEC, unix.IPPROTO_SCTP)
	if err == nil {
		unix.Close(fd)
		t.Skip("this kernel has SCTP: TestSCTPKeepsBoundariesAndCountsItsWire runs it")
	}
	r, err := Run(Config{Messages: [][]byte{[]byte("A")}, Kinds: []string{"sctp", "unix-seqpacket"}, NoWire: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Kinds) != 1 || len(r.Skipped) != 1 || !strings.Contains(r.Skipped[0].Reason, "no SCTP") || strings.Count(r.Skipped[0].Reason, "\n") != 0 {
		t.Errorf("ran %d kinds, skipped %+v; want unix-seqpacket run and sctp skipped with a one-line note", len(r.Kinds), r.Skipped)
	}
}

func TestSCTPKeepsBoundariesAndCountsItsWire(t *testing.T) {
	requireSCTP(t)
	capturetest.RequirePrivilege(t)
	tcpdump := capturetest.RequireTool(t, "tcpdump")
	td := capturetest.StartTcpdump(t, "", "-i", "lo", "--immediate-mode", "sctp")
	msgs := [][]byte{[]byte("one"), []byte("two"), []byte("three")}
	r, err := Run(Config{Messages: msgs, Kinds: []string{"sctp"}, ReadDelay: 50 * time.Millisecond})
	if err != nil {
		t.Fatalf("compare: %v (skipped %+v)", err, r.Skipped)
	}
	time.Sleep(200 * time.Millisecond)
	td.Stop(t)
	k := r.Kinds[0]
	var data []string
	for _, rd := range k.Reads {
		data = append(data, rd.Data)
	}
	if strings.Join(data, ",") != "one,two,three" || !k.BoundariesKept || !k.InOrder || k.Lost != 0 {
		t.Errorf("sctp: reads %q, boundaries kept %v, in order %v, lost %d; want one read per write", data, k.BoundariesKept, k.InOrder, k.Lost)
	}
	if k.Wire == nil {
		t.Fatal("sctp: no wire counted")
	}
	_, port, _ := strings.Cut(k.Receiver, ":")
	out, err := exec.Command(tcpdump, "-n", "-r", td.File, "sctp port "+port).Output()
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(out), "\n"); k.Wire.Packets != n {
		t.Errorf("sctp: wire counts %d packets, tcpdump %d", k.Wire.Packets, n)
	}
	if k.Wire.Setup < 4 || k.Wire.PayloadBytes != 11 {
		t.Errorf("sctp: setup %d, payload %d B; want the four-way handshake and the 11 bytes written", k.Wire.Setup, k.Wire.PayloadBytes)
	}
	t.Logf("sctp: %d packets on lo (tcpdump agrees), setup %d, teardown %d, SACK-only %d", k.Wire.Packets, k.Wire.Setup, k.Wire.Teardown, k.Wire.Acks)
}
