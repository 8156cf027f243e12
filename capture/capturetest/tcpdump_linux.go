package capturetest

import (
	"bufio"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Tcpdump is tcpdump writing a capture file in one of the lab's namespaces.
type Tcpdump struct {
	File   string
	cmd    *exec.Cmd
	done   chan error // tcpdump's end, once
	mu     sync.Mutex
	stderr strings.Builder
}

// StartTcpdump runs tcpdump -n -U -w in namespace ns (this process's own
// when ns is "") with args, and returns
// once it says it is listening: its socket is bound then, and it has every
// packet from that moment on. -U writes each packet as tcpdump reads it, so
// that WaitForMarker can see how far it has got; the packets are the same.
func StartTcpdump(t *testing.T, ns string, args ...string) *Tcpdump {
	t.Helper()
	tcpdump := RequireTool(t, "tcpdump")
	r := &Tcpdump{File: filepath.Join(t.TempDir(), "tcpdump.pcap"), done: make(chan error, 1)}
	argv := append([]string{tcpdump, "-n", "-U", "-w", r.File}, args...)
	if ns != "" {
		argv = append([]string{"ip", "netns", "exec", ns}, argv...)
	}
	r.cmd = exec.Command(argv[0], argv[1:]...)
	errPipe, err := r.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.cmd.Start(); err != nil {
		t.Fatalf("start tcpdump: %v", err)
	}
	listening := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(errPipe)
		said := false
		for sc.Scan() {
			r.mu.Lock()
			r.stderr.WriteString(sc.Text() + "\n")
			r.mu.Unlock()
			if !said && strings.Contains(sc.Text(), "listening on") {
				said = true
				listening <- true
			}
		}
		if !said {
			listening <- false
		}
		r.done <- r.cmd.Wait() // after the last read of the pipe, as Wait asks
	}()
	t.Cleanup(func() {
		r.cmd.Process.Kill()
		select {
		case <-r.done:
		case <-time.After(Patience):
		}
	})
	select {
	case ok := <-listening:
		if !ok {
			t.Fatalf("tcpdump did not start: %s", r.Stderr())
		}
	case <-time.After(Patience):
		t.Fatalf("tcpdump did not say it was listening within %v: %s", Patience, r.Stderr())
	}
	return r
}

// Stderr is what tcpdump has said so far.
func (r *Tcpdump) Stderr() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stderr.String()
}

// WaitForMarker waits until tcpdump has written the marker frame (Lab.Mark
// or MarkLoopback) to its file, and with it every packet before it. tcpdump
// gets a ring block from the kernel at the latest a second after its first
// packet (libpcap's timeout), later on a loaded machine.
func (r *Tcpdump) WaitForMarker(t *testing.T) {
	t.Helper()
	WaitUntil(t, "tcpdump wrote the marker", func() bool {
		select {
		case err := <-r.done:
			r.done <- err
			t.Fatalf("tcpdump ended before the marker: %v: %s", err, r.Stderr())
		default:
		}
		b, err := os.ReadFile(r.File)
		return err == nil && pcapHasMarker(b)
	})
}

// Stop ends tcpdump as Ctrl-C does. tcpdump does not read what is still in
// its ring when interrupted: call WaitForMarker first.
func (r *Tcpdump) Stop(t *testing.T) {
	t.Helper()
	r.cmd.Process.Signal(syscall.SIGINT)
	select {
	case err := <-r.done:
		r.done <- err
		if err != nil {
			t.Fatalf("tcpdump: %v: %s", err, r.Stderr())
		}
	case <-time.After(Patience):
		t.Fatal("tcpdump did not stop")
	}
}

// pcapHasMarker reports whether the pcap file b, which tcpdump may still be
// writing, holds the marker frame in one of its whole records.
func pcapHasMarker(b []byte) bool {
	if len(b) < 24 {
		return false
	}
	var bo binary.ByteOrder
	switch binary.LittleEndian.Uint32(b) {
	case 0xa1b2c3d4, 0xa1b23c4d:
		bo = binary.LittleEndian
	case 0xd4c3b2a1, 0x4d3cb2a1:
		bo = binary.BigEndian
	default:
		return false
	}
	for b = b[24:]; len(b) >= 16; {
		n := int(bo.Uint32(b[8:])) // incl_len
		if len(b) < 16+n {
			return false
		}
		if IsMarker(b[16 : 16+n]) {
			return true
		}
		b = b[16+n:]
	}
	return false
}
