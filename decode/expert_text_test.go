package decode

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// infoBrackets are the leading "[TCP ...] " groups of tshark's Info column.
var infoBrackets = regexp.MustCompile(`^(\[TCP [^\]]*\] )+`)

// TestExpertLinesEndWithTsharksInfoBrackets prints testdata/'s captures,
// and without -short a sample of the corpus with TCP trouble, with
// Options.Expert: each line must be tcpdump's line (the printer's without
// Expert) followed by the TCP analysis words tshark's Info column starts
// with for the frame, " [TCP Retransmission] [TCP Dup ACK 12#1]".
func TestExpertLinesEndWithTsharksInfoBrackets(t *testing.T) {
	needTshark(t)
	files := fieldsCaptures(t)
	if !testing.Short() {
		for _, f := range []string{"ssh.pcap", "mptcp-v0.pcap", "dns_tcp.pcap", "whois.pcap", "print-flags.pcap", "tfo-5c1fa7f9ae91.pcap"} {
			files = append(files, filepath.Join("..", "..", "shared", "corpus", "tcpdump", f))
		}
	}
	compared, lines, items := 0, 0, 0
	for _, file := range files {
		c, err := readTestCapture(file)
		if err != nil {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
		out, err := exec.CommandContext(ctx, "tshark", "-n", "-r", file, "-T", "fields", "-e", "_ws.col.Info").Output()
		cancel()
		if err != nil {
			continue
		}
		info := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
		if len(info) != len(c.packets) {
			continue
		}
		var plain, expert bytes.Buffer
		pp := NewPrinter(&plain, Options{})
		pe := NewPrinter(&expert, Options{Expert: true, Reassemble: true})
		read := true
		for _, pk := range c.packets {
			if !Supported(pk.link) {
				read = false
				break
			}
			pp.Print(pk.data, pk.ci, pk.link)
			pe.Print(pk.data, pk.ci, pk.link)
		}
		pp.Flush()
		pe.Flush()
		if !read {
			continue
		}
		compared++
		pl := strings.Split(plain.String(), "\n")
		el := strings.Split(expert.String(), "\n")
		if len(pl) != len(el) {
			t.Errorf("%s: %d lines with --expert, %d without", filepath.Base(file), len(el), len(pl))
			continue
		}
		// A packet may print several lines (-v does; a default line may
		// hold none): the items end the packet's last line, so compare
		// packet by packet as the lines come, on single-line packets.
		if len(pl) != len(c.packets)+1 {
			t.Logf("%s: %d lines for %d packets: compared as text only", filepath.Base(file), len(pl)-1, len(c.packets))
		}
		for i := range pl {
			if !strings.HasPrefix(el[i], pl[i]) {
				t.Errorf("%s line %d: %q is not tcpdump's %q with items after it", filepath.Base(file), i+1, el[i], pl[i])
				continue
			}
			if len(pl) != len(c.packets)+1 || i >= len(info) {
				continue
			}
			want := strings.TrimSuffix(infoBrackets.FindString(info[i]), " ")
			if want != "" {
				want = " " + want
			}
			lines++
			if got := el[i][len(pl[i]):]; got != want {
				t.Errorf("%s frame %d: --expert appends %q, tshark's Info starts %q", filepath.Base(file), i+1, got, want)
			} else if got != "" {
				items++
			}
		}
	}
	t.Logf("%d captures, %d lines compared, %d with items appended as tshark's Info has them", compared, lines, items)
}
