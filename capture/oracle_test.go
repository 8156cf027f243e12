package capture

// Oracle tests: tcpdump, tshark, capinfos, editcap and mergecap read what
// our writers write, and we read what they write, with the same result.
// Each skips when its tool is not installed (CI installs them).

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// needTool returns the path of a tool or skips the test.
func needTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not installed", name)
	}
	return path
}

// run runs a tool and returns its stdout and stderr; it fails the test if
// the tool exits with an error.
func run(t *testing.T, name string, args ...string) (string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(needTool(t, name), args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String(), stderr.String()
}

// writeTemp writes a file into the test's temporary directory.
func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// tsharkView is what tshark says about each packet of a file.
func tsharkView(t *testing.T, path string) []string {
	t.Helper()
	out, _ := run(t, "tshark", "-r", path, "-T", "fields",
		"-e", "frame.time_epoch", "-e", "frame.cap_len", "-e", "frame.len", "-e", "frame.interface_id")
	return strings.Split(strings.TrimRight(out, "\n"), "\n")
}

// ourView is the same as tsharkView, from our reader.
func ourView(t *testing.T, path string) []string {
	t.Helper()
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r, pkts := mustReadAll(t, file)
	pcapng := r.ng
	var lines []string
	for _, p := range pkts {
		ts := p.ci.Timestamp
		iface := ""
		if pcapng {
			iface = strconv.Itoa(p.ci.InterfaceIndex)
		}
		lines = append(lines, fmt.Sprintf("%d.%09d\t%d\t%d\t%s", ts.Unix(), ts.Nanosecond(), p.ci.CaptureLength, p.ci.Length, iface))
	}
	return lines
}

// sameAsTshark checks we read a file as tshark does.
func sameAsTshark(t *testing.T, path string) {
	t.Helper()
	want := tsharkView(t, path)
	got := ourView(t, path)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s: we read\n%s\ntshark reads\n%s", filepath.Base(path), strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// ourTestFiles writes the files our writers make: pcap in both precisions,
// pcapng with one interface and statistics (what tcpdump can read), and
// pcapng with two interfaces of different link types (what it cannot).
func ourTestFiles(t *testing.T) map[string][]byte {
	pkts := udpFrames(t, 40)
	files := map[string][]byte{
		"us.pcap": pcapFile(t, ltEthernet, 0, false, pkts),
		"ns.pcap": pcapFile(t, ltEthernet, 0, true, pkts),
	}

	var one bytes.Buffer
	w, err := NewPcapngWriter(&one, []Interface{{Name: "lo", LinkType: ltEthernet, Snaplen: 262144, TsResolution: time.Nanosecond}})
	if err != nil {
		t.Fatal(err)
	}
	writeAll(t, w, pkts)
	if err := w.WriteStats(0, uint64(len(pkts)), 1); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	files["one.pcapng"] = one.Bytes()

	var two bytes.Buffer
	w, err = NewPcapngWriter(&two, []Interface{
		{Name: "lo", LinkType: ltEthernet, TsResolution: time.Nanosecond},
		{Name: "tun0", LinkType: ltRaw, Snaplen: 100},
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range pkts {
		if i%3 == 1 {
			p.ci.InterfaceIndex = 1
			p.data = p.data[14:] // the IPv4 packet without its Ethernet header
			p.ci.Length -= 14
		}
		if err := w.WritePacket(p.ci, p.data); err != nil {
			t.Fatal(err)
		}
	}
	w.WriteStats(0, 27, 0)
	w.WriteStats(1, 13, 2)
	w.Flush()
	files["two.pcapng"] = two.Bytes()
	return files
}

func TestTcpdumpReadsOurFilesWithoutComplaint(t *testing.T) {
	needTool(t, "tcpdump")
	for name, file := range ourTestFiles(t) {
		if name == "two.pcapng" {
			continue // libpcap allows one link type per file
		}
		t.Run(name, func(t *testing.T) {
			path := writeTemp(t, name, file)
			stdout, stderr := run(t, "tcpdump", "-nn", "-tt", "--nano", "-r", path)
			for line := range strings.Lines(stderr) {
				if !strings.HasPrefix(line, "reading from file") {
					t.Errorf("tcpdump says: %s", line)
				}
			}
			// tcpdump prints a packet per line: check count and timestamps.
			lines := strings.Split(strings.TrimSpace(stdout), "\n")
			want := ourView(t, path)
			if len(lines) != len(want) {
				t.Fatalf("tcpdump printed %d packets, we read %d", len(lines), len(want))
			}
			for i, line := range lines {
				ts, _, _ := strings.Cut(want[i], "\t")
				if !strings.HasPrefix(line, ts+" IP 127.0.0.1.40000 > 127.0.0.1.9: UDP") {
					t.Errorf("tcpdump packet %d: %q, want time %s", i+1, line, ts)
				}
			}
		})
	}
}

func TestWiresharkToolsReadOurFilesWithoutComplaint(t *testing.T) {
	needTool(t, "capinfos")
	needTool(t, "tshark")
	for name, file := range ourTestFiles(t) {
		t.Run(name, func(t *testing.T) {
			path := writeTemp(t, name, file)
			out, stderr := run(t, "capinfos", "-c", "-I", path)
			if stderr != "" {
				t.Errorf("capinfos says: %s", stderr)
			}
			if !strings.Contains(out, "Number of packets:   40") {
				t.Errorf("capinfos:\n%s", out)
			}
			if name == "two.pcapng" && !strings.Contains(out, "Number of interfaces in file: 2") {
				t.Errorf("capinfos does not see two interfaces:\n%s", out)
			}
			sameAsTshark(t, path)
		})
	}
}

func TestReadsWhatLibpcapAndWiresharkWrite(t *testing.T) {
	files := ourTestFiles(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pcap")
	if err := os.WriteFile(in, files["ns.pcap"], 0o644); err != nil {
		t.Fatal(err)
	}
	t.Run("tcpdump -w", func(t *testing.T) {
		out := filepath.Join(dir, "tcpdump.pcap")
		run(t, "tcpdump", "-r", in, "-w", out)
		sameAsTshark(t, out)
	})
	t.Run("tcpdump -w nano", func(t *testing.T) {
		out := filepath.Join(dir, "tcpdump-nano.pcap")
		run(t, "tcpdump", "--time-stamp-precision=nano", "-r", in, "-w", out)
		sameAsTshark(t, out)
	})
	for _, format := range []string{"pcap", "nsecpcap", "pcapng"} {
		t.Run("editcap -F "+format, func(t *testing.T) {
			out := filepath.Join(dir, "editcap."+format)
			// -a adds a packet comment, which pcapng keeps as an option.
			run(t, "editcap", "-F", format, "-a", "2:a comment", in, out)
			sameAsTshark(t, out)
		})
	}
	t.Run("mergecap of two link types", func(t *testing.T) {
		// mergecap puts each input's interface into one pcapng file.
		raw := filepath.Join(dir, "raw.pcap")
		run(t, "editcap", "-F", "pcap", "-C", "14", "-T", "rawip", in, raw)
		out := filepath.Join(dir, "merged.pcapng")
		run(t, "mergecap", "-F", "pcapng", "-w", out, in, raw)
		sameAsTshark(t, out)
		file, _ := os.ReadFile(out)
		r, _ := mustReadAll(t, file)
		if ifs := r.Interfaces(); len(ifs) != 2 || ifs[0].LinkType != ltEthernet || ifs[1].LinkType != ltRaw {
			t.Errorf("interfaces %+v, want Ethernet and raw IP", ifs)
		}
	})
}

// requirePriv skips a privileged test, or fails it in CI, where
// SOCKSCOPE_REQUIRE_PRIV=1 says it must run.
func requirePriv(t *testing.T, reason string) {
	t.Helper()
	if os.Getenv("SOCKSCOPE_REQUIRE_PRIV") == "1" {
		t.Fatal(reason)
	}
	t.Skip(reason)
}

func TestReadsWhatTcpdumpCapturesOnLoopback(t *testing.T) {
	if testing.Short() {
		t.Skip("captures live traffic for seconds")
	}
	if os.Geteuid() != 0 {
		requirePriv(t, "capturing on lo needs root (CAP_NET_RAW)")
	}
	tcpdump := needTool(t, "tcpdump")
	needTool(t, "tshark")
	const count = 8

	for _, tc := range []struct {
		name string
		tool string
		args func(path, filter string) []string
	}{
		{"tcpdump pcap", tcpdump, func(path, filter string) []string {
			return []string{"-i", "lo", "-c", strconv.Itoa(count), "--time-stamp-precision=nano", "-w", path, filter}
		}},
		{"dumpcap pcapng", "dumpcap", func(path, filter string) []string {
			return []string{"-i", "lo", "-c", strconv.Itoa(count), "-f", filter, "-w", path}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tool := needTool(t, tc.tool)
			// Traffic to a port of our own on loopback, and only that.
			conn, err := net.ListenPacket("udp4", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			port := conn.LocalAddr().(*net.UDPAddr).Port
			path := filepath.Join(t.TempDir(), "lo.cap")
			cmd := exec.Command(tool, tc.args(path, fmt.Sprintf("udp and dst port %d", port))...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			// Send until the capture has seen enough: it starts listening
			// at a moment we cannot know.
			tick := time.NewTicker(50 * time.Millisecond)
			defer tick.Stop()
			deadline := time.After(20 * time.Second)
		send:
			for i := 0; ; i++ {
				select {
				case err := <-done:
					if err != nil {
						t.Fatalf("%s: %v\n%s", tc.tool, err, stderr.String())
					}
					break send
				case <-deadline:
					cmd.Process.Kill()
					<-done
					t.Fatalf("%s captured fewer than %d packets in 20s\n%s", tc.tool, count, stderr.String())
				case <-tick.C:
					conn.WriteTo(fmt.Appendf(nil, "datagram %d", i), conn.LocalAddr())
				}
			}
			file, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			_, pkts := mustReadAll(t, file)
			if len(pkts) != count {
				t.Errorf("read %d packets, want %d", len(pkts), count)
			}
			sameAsTshark(t, path)
		})
	}
}

// TestWrittenFileStreamsThroughAPipe checks a reader on a pipe, as
// `sockscope capture -w - | sockscope decode -r -` would use it.
func TestWrittenFileStreamsThroughAPipe(t *testing.T) {
	pr, pw := io.Pipe()
	pkts := udpFrames(t, 100)
	go func() {
		w, err := NewPcapWriter(pw, ltEthernet, 0, true)
		if err != nil {
			pw.CloseWithError(err)
			return
		}
		for _, p := range pkts {
			w.WritePacket(p.ci, p.data)
			w.Flush()
		}
		pw.Close()
	}()
	r, err := NewReader(pr)
	if err != nil {
		t.Fatal(err)
	}
	var got []testPacket
	for {
		data, ci, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, testPacket{ci: ci, data: bytes.Clone(data)})
	}
	samePackets(t, got, pkts, time.Nanosecond)
}
