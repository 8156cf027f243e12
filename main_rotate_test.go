package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// TestRotationWritesTcpdumpsFiles copies a 13 MB capture with -C, -C -W
// (a ring that wraps) and -z, beside tcpdump -r ... -w with the same
// flags: the same file names, each file byte for byte tcpdump's, and -z run
// on the same files (every one but the last).
func TestRotationWritesTcpdumpsFiles(t *testing.T) {
	requireTcpdump(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pcap")
	// Thirty copies of testdata's TCP captures: some 13 MB.
	var parts [][]byte
	for _, name := range []string{"testdata/tcp4.pcap", "testdata/tcp6.pcap", "testdata/tcp-loss.pcap"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, b)
	}
	file := append([]byte(nil), parts[0]...)
	for len(file) < 13_000_000 {
		for _, p := range parts {
			if bytes.Equal(p[:24], parts[0][:24]) {
				file = append(file, p[24:]...)
			}
		}
	}
	if err := os.WriteFile(in, file, 0o644); err != nil {
		t.Fatal(err)
	}
	logScript := filepath.Join(dir, "z.sh")
	os.WriteFile(logScript, []byte("#!/bin/sh\necho \"$(basename \"$1\")\" >> \"$(dirname \"$1\")/z.log\"\n"), 0o755)
	for _, flags := range [][]string{{"-C", "1"}, {"-C", "2", "-W", "4"}, {"-C", "3", "-W", "12"}, {"-C", "4", "-z", logScript}} {
		ours, theirs := filepath.Join(dir, "ours"), filepath.Join(dir, "theirs")
		for _, d := range []string{ours, theirs} {
			os.RemoveAll(d)
			os.Mkdir(d, 0o755)
		}
		if _, stderr, code := runFull(t, nil, append([]string{"decode", "-r", in, "-w", filepath.Join(ours, "f")}, flags...)...); code != 0 {
			t.Fatalf("decode -w %v: exit %d: %s", flags, code, stderr)
		}
		cmd := exec.Command("tcpdump", append([]string{"-Z", "root", "-r", in, "-w", filepath.Join(theirs, "f")}, flags...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("tcpdump -w %v: %v: %s", flags, err, out)
		}
		if flags[len(flags)-2] == "-z" {
			pcaps := 0
			for _, name := range listFiles(t, theirs) {
				if name != "z.log" {
					pcaps++
				}
			}
			waitForLines(t, filepath.Join(theirs, "z.log"), pcaps-1) // all but the last
		}
		a, b := listFiles(t, ours), listFiles(t, theirs)
		if strings.Join(a, " ") != strings.Join(b, " ") || len(a) < 3 {
			t.Fatalf("%v: files %v, tcpdump's %v", flags, a, b)
		}
		for _, name := range a {
			x, _ := os.ReadFile(filepath.Join(ours, name))
			y, _ := os.ReadFile(filepath.Join(theirs, name))
			if name != "z.log" && !bytes.Equal(x, y) {
				t.Errorf("%v: %s is %d bytes, tcpdump's %d, not the same", flags, name, len(x), len(y))
			}
			if name == "z.log" && !sameLines(x, y) {
				t.Errorf("%v: -z ran on\n%s\ntcpdump's on\n%s", flags, x, y)
			}
		}
	}
	for _, args := range [][]string{
		{"decode", "-r", in, "-w", "-", "-C", "1"},
		{"decode", "-r", in, "-w", filepath.Join(dir, "x"), "-W", "3"},
		{"decode", "-r", in, "-w", filepath.Join(dir, "x"), "-C", "0"},
		{"decode", "-r", in, "-w", filepath.Join(dir, "x"), "-C", "1", "-z", "/no/such/program"},
	} {
		_, stderr, code := runFull(t, nil, args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		oneLineError(t, stderr, "")
	}
}

// listFiles are the names in dir, sorted.
func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

// sameLines says whether a and b hold the same lines in any order.
func sameLines(a, b []byte) bool {
	x, y := strings.Fields(string(a)), strings.Fields(string(b))
	sort.Strings(x)
	sort.Strings(y)
	return strings.Join(x, " ") == strings.Join(y, " ")
}

// waitForLines waits, up to ten seconds, until path has n lines: tcpdump
// does not wait for the programs -z starts.
func waitForLines(t *testing.T, path string, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, _ := os.ReadFile(path)
		if strings.Count(string(b), "\n") >= n || time.Now().After(deadline) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}
