package main

import (
	"runtime"
	"strings"
	"testing"
)

// TestVersionNamesTheBuild runs sockscope --version: the version the build
// recorded, then the Go that built it, and exit status 0; -v alone is not
// --version (it is decode's verbosity, as tcpdump's).
func TestVersionNamesTheBuild(t *testing.T) {
	out, stderr, code := runFull(t, nil, "--version")
	if code != 0 {
		t.Fatalf("--version: exit %d, stderr %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "sockscope version ") || len(lines[0]) <= len("sockscope version ") {
		t.Fatalf("--version printed %q, want \"sockscope version V\" and the Go version", out)
	}
	if want := runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH; lines[1] != want {
		t.Errorf("--version's second line is %q, want %q", lines[1], want)
	}
	if _, _, code := runFull(t, nil, "-v"); code != 2 {
		t.Errorf("sockscope -v: exit %d, want 2 (a usage error: -v is no version flag)", code)
	}
}
