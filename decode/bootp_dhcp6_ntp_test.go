package decode

// Tests of bootp.go, dhcp6.go and ntp.go: no allocation per packet on the
// captures of these protocols in the oracle corpus, when it is there.

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// corpusCaptures are the corpus captures named, skipping the test when the
// corpus is not beside the repository.
func corpusCaptures(t *testing.T, names ...string) []string {
	dir := filepath.Join("..", "..", "shared", "corpus", "tcpdump")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("no oracle corpus at", dir)
	}
	var files []string
	for _, n := range names {
		if f := filepath.Join(dir, n); dhcpFileExists(f) {
			files = append(files, f)
		}
	}
	return files
}

func dhcpFileExists(f string) bool { _, err := os.Stat(f); return err == nil }

func TestDHCPAndNTPPrintWithoutAllocating(t *testing.T) {
	files := corpusCaptures(t, "dhcp-rfc3004.pcap", "dhcp-rfc5859.pcap", "dhcp-mud.pcap",
		"dhcp-option-33.pcap", "dhcpv6-ia-na.pcap", "dhcpv6-AFTR-Name-RFC6334.pcap",
		"dhcpv6-mud.pcap", "dhcpv6-ntp-server.pcap", "dhcpv6-domain-list.pcap",
		"ntp.pcap", "ntp-time.pcap", "ntp-control.pcap", "ntp-mode7.pcap")
	for _, file := range files {
		for _, opt := range []Options{{}, {Verbose: 1}, {Verbose: 3}} {
			p := NewPrinter(io.Discard, opt)
			if n := allocsPerPacket(t, file, func(pk testPacket) { p.Print(pk.data, pk.ci, pk.link) }); n != 0 {
				t.Errorf("%s %+v: %.2f allocations per packet, want 0", filepath.Base(file), opt, n)
			}
		}
		j := NewJSONPrinter(io.Discard, Options{})
		if n := allocsPerPacket(t, file, func(pk testPacket) { j.Print(pk.data, pk.ci, pk.link) }); n != 0 {
			t.Errorf("%s --json: %.2f allocations per packet, want 0", filepath.Base(file), n)
		}
	}
}
