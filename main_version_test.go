package main

import (
	"os"
	"os/exec"
	"path/filepath"
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

// TestInstallLineBuilds checks the README's install line against the
// module: it installs the module's path, the command is the module's root
// package, and go install of the checkout (what @latest fetches, built
// here from the tree) gives a sockscope that runs; the Go version the
// README asks for is go.mod's.
func TestInstallLineBuilds(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	mod, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	var module, goVersion string
	for _, line := range strings.Split(string(mod), "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[0] == "module" {
			module = f[1]
		} else if len(f) == 2 && f[0] == "go" {
			goVersion = f[1]
		}
	}
	if want := "go install " + module + "@latest"; !strings.Contains(string(readme), "\n    "+want+"\n") {
		t.Errorf("README.md has no install line %q", want)
	}
	if parts := strings.Split(goVersion, "."); len(parts) < 2 || !strings.Contains(string(readme), "With Go "+parts[0]+"."+parts[1]+" or later") {
		t.Errorf("README.md does not ask for Go %s, which go.mod names", goVersion)
	}
	bin := t.TempDir()
	install := exec.Command("go", "install", ".")
	install.Env = append(os.Environ(), "GOBIN="+bin, "CGO_ENABLED=0")
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("go install .: %v\n%s", err, out)
	}
	out, err := exec.Command(filepath.Join(bin, "sockscope"), "--version").Output()
	if err != nil || !strings.HasPrefix(string(out), "sockscope version ") {
		t.Errorf("the installed sockscope --version: %v, %q", err, out)
	}
}
