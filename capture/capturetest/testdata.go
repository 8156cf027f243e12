package capturetest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Captures lists the captures (pcap and pcapng) in the testdata directory
// dir that tcpdump reads; the ones it cannot, named in
// dir/golden/unreadable.txt, are left to other tests.
func Captures(t testing.TB, dir string) []string {
	t.Helper()
	skip := map[string]bool{}
	if data, err := os.ReadFile(filepath.Join(dir, "golden", "unreadable.txt")); err == nil {
		for _, name := range strings.Fields(string(data)) {
			skip[name] = true
		}
	}
	var files []string
	for _, pat := range []string{"*.pcap", "*.pcapng"} {
		m, _ := filepath.Glob(filepath.Join(dir, pat))
		for _, f := range m {
			if !skip[filepath.Base(f)] {
				files = append(files, f)
			}
		}
	}
	if len(files) == 0 {
		t.Fatalf("no captures in %s", dir)
	}
	return files
}
