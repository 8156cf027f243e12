package commands

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	pq "github.com/parquet-go/parquet-go"

	"github.com/sockscope/sockscope/capture"
	"github.com/sockscope/sockscope/capture/capturetest"
	"github.com/sockscope/sockscope/decode/wire"
)

// These tests run the sockscope binary, built once without cgo, in the
// namespaces of a capturetest.Lab, beside tcpdump.

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

func sockscopeBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "sockscope-test")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "sockscope")
		cmd := exec.Command("go", "build", "-o", binPath, "github.com/sockscope/sockscope")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// syncBuffer is a bytes.Buffer safe to read while a process writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// run is sockscope running in a lab namespace.
type run struct {
	cmd    *exec.Cmd
	stderr *syncBuffer
	done   chan error
}

// startCapture runs sockscope with args in namespace ns (or in the test's own
// with ns ""), and returns once it says it is listening. stdout, if not nil,
// is where its standard output goes.
func startCapture(t *testing.T, ns string, stdout io.Writer, args ...string) *run {
	t.Helper()
	r := startSockscope(t, ns, stdout, args...)
	deadline := time.Now().Add(capturetest.Patience)
	for !strings.Contains(r.stderr.String(), "listening on") {
		select {
		case err := <-r.done:
			t.Fatalf("sockscope %s ended before listening: %v\n%s", strings.Join(args, " "), err, r.stderr)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("sockscope did not say it was listening:\n%s", r.stderr)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return r
}

func startSockscope(t *testing.T, ns string, stdout io.Writer, args ...string) *run {
	t.Helper()
	bin := sockscopeBinary(t)
	r := &run{stderr: &syncBuffer{}, done: make(chan error, 1)}
	if ns == "" {
		r.cmd = exec.Command(bin, args...)
	} else {
		r.cmd = exec.Command("ip", append([]string{"netns", "exec", ns, bin}, args...)...)
	}
	r.cmd.Stdout = stdout
	r.cmd.Stderr = r.stderr
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { r.done <- r.cmd.Wait() }()
	t.Cleanup(func() {
		r.cmd.Process.Kill()
		select {
		case <-r.done:
		case <-time.After(5 * time.Second):
		}
	})
	return r
}

// wait waits for sockscope to end and returns its exit code.
func (r *run) wait(t *testing.T) int {
	t.Helper()
	select {
	case err := <-r.done:
		r.done <- err
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0
	case <-time.After(capturetest.Patience):
		t.Fatalf("sockscope did not end:\n%s", r.stderr)
	}
	return -1
}

// interrupt sends sig and waits for a clean end.
func (r *run) interrupt(t *testing.T, sig os.Signal) {
	t.Helper()
	r.cmd.Process.Signal(sig)
	if code := r.wait(t); code != 0 {
		t.Fatalf("sockscope exited %d after %v:\n%s", code, sig, r.stderr)
	}
}

var statsRE = regexp.MustCompile(`(?m)^(\d+) packets? captured\n(\d+) packets? received by filter\n(\d+) packets? dropped by kernel\n`)

// captureStats reads tcpdump's three lines from sockscope's standard error.
func (r *run) stats(t *testing.T) (captured, received, dropped uint64) {
	t.Helper()
	m := statsRE.FindStringSubmatch(r.stderr.String())
	if m == nil {
		t.Fatalf("no statistics in sockscope's standard error:\n%s", r.stderr)
	}
	n := func(s string) uint64 {
		v, _ := strconv.ParseUint(s, 10, 64)
		return v
	}
	return n(m[1]), n(m[2]), n(m[3])
}

type packet = capturetest.Packet

// readPackets reads a capture file, or fails the test.
func readPackets(t *testing.T, path string) (capture.Interface, []packet) {
	t.Helper()
	r, err := capture.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	return readAllFrom(t, r)
}

func readAllFrom(t *testing.T, r *capture.Reader) (capture.Interface, []packet) {
	t.Helper()
	var pkts []packet
	for {
		data, ci, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("after %d packets: %v", len(pkts), err)
		}
		pkts = append(pkts, packet{Data: bytes.Clone(data), Length: ci.Length, Timestamp: ci.Timestamp})
	}
	return r.Interfaces()[0], pkts
}

// waitForMarker waits until sockscope has written the lab's marker frame to
// the capture file at path, and with it every packet before it. sockscope
// flushes its output whenever the ring is empty.
func waitForMarker(t *testing.T, r *run, path string) {
	t.Helper()
	capturetest.WaitUntil(t, "sockscope wrote the marker to "+filepath.Base(path), func() bool {
		select {
		case err := <-r.done:
			r.done <- err
			t.Fatalf("sockscope ended before the marker: %v\n%s", err, r.stderr)
		default:
		}
		f, err := capture.Open(path)
		if err != nil {
			return false // not even a file header yet
		}
		defer f.Close()
		for {
			data, _, err := f.Next()
			if err != nil {
				return false // the end, or a packet being written
			}
			if capturetest.IsMarker(data) {
				return true
			}
		}
	})
}

// fileIsClean checks that capinfos and tshark read a file without a word of
// warning.
func fileIsClean(t *testing.T, path string) {
	t.Helper()
	capturetest.RequireTool(t, "capinfos")
	capturetest.RequireTool(t, "tshark")
	for _, args := range [][]string{{"capinfos", path}, {"tshark", "-n", "-r", path}} {
		cmd := exec.Command(args[0], args[1:]...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			t.Errorf("%s: %v: %s", strings.Join(args, " "), err, stderr.String())
		}
		for _, line := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
			if line != "" && !strings.HasPrefix(line, "Running as user") {
				t.Errorf("%s warns: %s", strings.Join(args, " "), line)
			}
		}
	}
}

func TestCaptureCommandWritesWhatTcpdumpWrites(t *testing.T) {
	for _, format := range []string{"pcap", "pcapng"} {
		t.Run(format, func(t *testing.T) {
			l := capturetest.NewLab(t)
			file := filepath.Join(t.TempDir(), "sockscope."+format)
			args := []string{"capture", "-i", capturetest.IfB, "-w", file}
			if format == "pcapng" {
				args = append(args, "--pcapng")
			}
			ss, got, want := besideTcpdump(t, l, l.NsB, file, args, []string{"-i", capturetest.IfB})
			iface, _ := readPackets(t, file)
			captured, received, dropped := ss.stats(t)
			if captured != uint64(len(got)) || received != captured || dropped != 0 {
				t.Errorf("reported %d captured, %d received, %d dropped; the file has %d packets", captured, received, dropped, len(got))
			}
			capturetest.SameAsTcpdump(t, format, got, want)
			if iface.LinkType != 1 || iface.Snaplen != 262144 {
				t.Errorf("file interface %+v, want Ethernet, snaplen 262144", iface)
			}
			if format == "pcapng" {
				if iface.Name != capturetest.IfB {
					t.Errorf("if_name %q, want %q", iface.Name, capturetest.IfB)
				}
				recv, drop := interfaceStats(t, file)
				if recv != received || drop != dropped {
					t.Errorf("statistics block says %d received, %d dropped; stderr %d, %d", recv, drop, received, dropped)
				}
			}
			fileIsClean(t, file)
		})
	}
}

// besideTcpdump captures in namespace ns with sockscope (args, which must
// write the file it returns the packets of) and tcpdump (tcpdumpArgs)
// while the lab sends its traffic and the marker, and stops both once
// both wrote the marker: sockscope's run, to read its counts, and the
// packets each wrote.
func besideTcpdump(t *testing.T, l *capturetest.Lab, ns, file string, args, tcpdumpArgs []string) (ss *run, got, want []packet) {
	t.Helper()
	ss = startCapture(t, ns, nil, args...)
	td := capturetest.StartTcpdump(t, ns, tcpdumpArgs...)
	l.Traffic()
	l.Mark()
	waitForMarker(t, ss, file)
	td.WaitForMarker(t)
	td.Stop(t)
	ss.interrupt(t, syscall.SIGINT)
	_, got = readPackets(t, file)
	_, want = readPackets(t, td.File)
	return ss, got, want
}

// interfaceStats reads isb_ifrecv and isb_ifdrop from the last Interface
// Statistics Block of a little-endian pcapng file.
func interfaceStats(t *testing.T, path string) (recv, drop uint64) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	found := false
	for len(b) >= 12 {
		typ, n := le.Uint32(b), int(le.Uint32(b[4:]))
		if n < 12 || n > len(b) {
			t.Fatalf("bad block length %d", n)
		}
		if typ == 5 { // Interface Statistics Block
			found = true
			opts := b[20 : n-4]
			for len(opts) >= 4 {
				code, l := le.Uint16(opts), int(le.Uint16(opts[2:]))
				switch code {
				case 4:
					recv = le.Uint64(opts[4:])
				case 5:
					drop = le.Uint64(opts[4:])
				}
				opts = opts[min(len(opts), 4+(l+3)&^3):]
			}
		}
		b = b[n:]
	}
	if !found {
		t.Fatal("no interface statistics block at the end of the pcapng file")
	}
	return recv, drop
}

func TestCaptureCommandStopsCleanlyMidStream(t *testing.T) {
	// SIGHUP too: the terminal of a capture left running closed, which
	// tcpdump takes as the end of its capture as well.
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			l := capturetest.NewLab(t)
			file := filepath.Join(t.TempDir(), "mid.pcap")
			ss := startCapture(t, l.NsB, nil, "capture", "-i", capturetest.IfB, "-w", file)
			stopSending := l.SendUntilStopped(2000)
			ss.interrupt(t, sig) // while frames flow
			if err := stopSending(); err != nil {
				t.Fatal(err)
			}
			_, got := readPackets(t, file)
			captured, received, dropped := ss.stats(t)
			t.Logf("%d captured, %d received, %d dropped", captured, received, dropped)
			if captured != uint64(len(got)) {
				t.Errorf("reported %d captured, the file has %d", captured, len(got))
			}
			if captured+dropped != received {
				t.Errorf("captured %d + dropped %d != received %d", captured, dropped, received)
			}
			if captured < 1000 {
				t.Errorf("only %d packets captured after 2000 arrived", captured)
			}
			fileIsClean(t, file)
		})
	}
}

func TestCaptureCommandReportsTheKernelsDrops(t *testing.T) {
	l := capturetest.NewLab(t)
	// A one-block ring, and a standard output nobody reads during the burst:
	// sockscope blocks writing, holding the block, and the kernel drops.
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	ss := startCapture(t, l.NsB, pw, "capture", "-i", capturetest.IfB, "-B", "1", "-w", "-")
	pw.Close()
	arrivals := l.CountArrivals()
	if err := l.Sender().Send(0, 100_000); err != nil {
		t.Fatal(err)
	}
	arrived := arrivals.Wait()
	file := filepath.Join(t.TempDir(), "stdout.pcap")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	copied := make(chan error, 1)
	go func() { _, err := io.Copy(f, pr); copied <- err }()
	ss.interrupt(t, syscall.SIGINT)
	if err := <-copied; err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, got := readPackets(t, file)
	captured, received, dropped := ss.stats(t)
	t.Logf("%d arrived: %d captured, %d received, %d dropped", arrived, captured, received, dropped)
	if dropped == 0 {
		t.Error("no drops reported from a 100000-frame burst into a one-block ring")
	}
	if received != arrived || captured+dropped != arrived {
		t.Errorf("captured %d + dropped %d, received %d; %d arrived", captured, dropped, received, arrived)
	}
	if captured != uint64(len(got)) {
		t.Errorf("reported %d captured, the stream has %d", captured, len(got))
	}
}

func TestCaptureCommandStreamsAsItCaptures(t *testing.T) {
	for _, flags := range [][]string{nil, {"-U"}} {
		t.Run(strings.Join(append([]string{"buffered"}, flags...), " "), func(t *testing.T) {
			l := capturetest.NewLab(t)
			pr, pw, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer pr.Close()
			ss := startCapture(t, l.NsB, pw, append([]string{"capture", "-i", capturetest.IfB, "-w", "-"}, flags...)...)
			pw.Close()
			packets := make(chan int, 100)
			go func() {
				defer close(packets)
				r, err := capture.NewReader(pr)
				if err != nil {
					return
				}
				for n := 1; ; n++ {
					if _, _, err := r.Next(); err != nil {
						return
					}
					packets <- n
				}
			}()
			send := l.Sender()
			for i := range 3 {
				if err := send.Send(i, 1); err != nil {
					t.Fatal(err)
				}
				select {
				case n := <-packets:
					if n != i+1 {
						t.Fatalf("reader has packet %d, want %d", n, i+1)
					}
				case <-time.After(capturetest.Patience):
					t.Fatalf("packet %d did not reach the reader while the capture ran", i+1)
				}
			}
			ss.interrupt(t, syscall.SIGINT)
			for range packets {
			}
			if captured, _, _ := ss.stats(t); captured != 3 {
				t.Errorf("reported %d captured, want 3", captured)
			}
		})
	}
}

func TestCaptureCommandCountDurationAndText(t *testing.T) {
	l := capturetest.NewLab(t)
	send := l.Sender()
	flow := func() (stop func()) {
		quit := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			for i := 0; ; i++ {
				select {
				case <-quit:
					return
				default:
				}
				send.Send(i, 1)
				time.Sleep(time.Millisecond)
			}
		}()
		return func() { close(quit); <-done }
	}

	// -c: exactly N, then it ends by itself.
	file := filepath.Join(t.TempDir(), "c.pcap")
	ss := startCapture(t, l.NsB, nil, "capture", "-i", capturetest.IfB, "-c", "5", "-w", file)
	stop := flow()
	code := ss.wait(t)
	stop()
	if code != 0 {
		t.Fatalf("-c 5 exited %d:\n%s", code, ss.stderr)
	}
	if _, got := readPackets(t, file); len(got) != 5 {
		t.Errorf("-c 5 wrote %d packets", len(got))
	}
	if captured, _, _ := ss.stats(t); captured != 5 {
		t.Errorf("-c 5 reported %d captured", captured)
	}

	// --duration: ends by itself, everything written.
	file = filepath.Join(t.TempDir(), "d.pcap")
	stop = flow()
	start := time.Now()
	ss = startCapture(t, l.NsB, nil, "capture", "-i", capturetest.IfB, "--duration", "500ms", "-w", file)
	code = ss.wait(t)
	stop()
	if code != 0 || time.Since(start) > capturetest.Patience {
		t.Fatalf("--duration 500ms exited %d after %v:\n%s", code, time.Since(start), ss.stderr)
	}
	_, got := readPackets(t, file)
	if captured, received, dropped := ss.stats(t); captured != uint64(len(got)) || captured+dropped != received || captured == 0 {
		t.Errorf("--duration: %d captured, %d received, %d dropped; the file has %d", captured, received, dropped, len(got))
	}

	// Text, on any: one line per packet, naming the interface.
	var out syncBuffer
	ss = startCapture(t, l.NsB, &out, "capture", "-i", "any", "-c", "4", "-n")
	stop = flow()
	code = ss.wait(t)
	stop()
	var lines []string // the packets' lines, not their hex dumps
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if !strings.HasPrefix(line, "\t") {
			lines = append(lines, line)
		}
	}
	if code != 0 || len(lines) != 4 {
		t.Fatalf("-c 4 printed %d lines, exit %d:\n%s\n%s", len(lines), code, out.String(), ss.stderr)
	}
	for _, line := range lines {
		if !strings.Contains(line, capturetest.IfB+" ") {
			t.Errorf("line does not name %s: %s", capturetest.IfB, line)
		}
	}
}

func TestCaptureCommandDropsPrivilegesAfterOpening(t *testing.T) {
	l := capturetest.NewLab(t)
	nobody, err := user.Lookup("nobody")
	if err != nil {
		t.Skip("no user nobody")
	}
	dir, err := os.MkdirTemp("", "sockscope-z")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o777) // nobody writes the file
	file := filepath.Join(dir, "z.pcap")
	ss := startCapture(t, l.NsB, nil, "capture", "-i", capturetest.IfB, "-Z", "nobody", "-w", file)
	arrivals := l.CountArrivals()
	if err := l.Sender().Send(0, 10); err != nil {
		t.Fatal(err)
	}
	arrivals.Wait()
	ss.interrupt(t, syscall.SIGINT)
	fi, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if uid := fi.Sys().(*syscall.Stat_t).Uid; strconv.Itoa(int(uid)) != nobody.Uid {
		t.Errorf("file belongs to uid %d, want nobody's %s", uid, nobody.Uid)
	}
	if _, got := readPackets(t, file); len(got) != 10 {
		t.Errorf("%d packets written after dropping privileges, want 10", len(got))
	}
}

func TestCaptureCommandNeedsOnlyCapNetRaw(t *testing.T) {
	l := capturetest.NewLab(t)
	setpriv := capturetest.RequireTool(t, "setpriv")
	bin := sockscopeBinary(t)
	os.Chmod(filepath.Dir(bin), 0o755)
	asNobody := []string{"netns", "exec", l.NsB, setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups"}

	// No capabilities: a clear error, exit 1.
	cmd := exec.Command("ip", append(asNobody, "--inh-caps=-all", bin, "capture", "-i", "lo")...)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("without CAP_NET_RAW: %v\n%s", err, out)
	}
	want := "sockscope: capture: open lo: operation not permitted (needs CAP_NET_RAW: run as root or setcap cap_net_raw,cap_net_admin=eip " + bin + ")\n"
	if string(out) != want {
		t.Errorf("without CAP_NET_RAW it says\n%q\nwant\n%q", out, want)
	}

	// CAP_NET_RAW and CAP_NET_ADMIN only: it captures.
	caps := []string{"--inh-caps=+net_raw,+net_admin", "--ambient-caps=+net_raw,+net_admin"}
	cmd = exec.Command("ip", append(append(asNobody, caps...), bin, "capture", "-i", capturetest.IfB, "-c", "3", "-w", "-")...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	send := l.Sender()
	deadline := time.Now().Add(capturetest.Patience)
	for i := 0; ; i++ {
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("with CAP_NET_RAW only: %v\n%s", err, stderr.String())
			}
			r, err := capture.NewReader(&stdout)
			if err != nil {
				t.Fatal(err)
			}
			if _, pkts := readAllFrom(t, r); len(pkts) != 3 {
				t.Errorf("with CAP_NET_RAW only: %d packets, want 3", len(pkts))
			}
			return
		case <-time.After(50 * time.Millisecond):
			send.Send(i, 1)
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("with CAP_NET_RAW only it captured nothing:\n%s", stderr.String())
		}
	}
}

func TestCaptureCommandErrorsAreOneClearLine(t *testing.T) {
	l := capturetest.NewLab(t)
	l.AddDownVeth("sslivedown", "sslivedown1")
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-i", "sslivenothere"}, 2, "sockscope: capture: open sslivenothere: no such interface (sockscope interfaces lists them)"},
		{[]string{"-i", "99"}, 2, "sockscope: capture: -i 99: no such interface: there are"},
		{[]string{"-i", "sslivedown"}, 1, "sockscope: capture: open sslivedown: interface is down (bring it up with: ip link set sslivedown up)"},
		{[]string{"-i", "lo", "-s", "-1"}, 2, "sockscope: capture: -s -1: the snapshot length is 0 (for 262144) to 262144 bytes"},
		{[]string{"-i", "lo", "-s", "lots"}, 2, "sockscope: capture: invalid value \"lots\" for flag -s"},
		{[]string{"-i", "lo", "-B", "0"}, 2, "sockscope: capture: -B 0: the ring size is 1 to 2097151 KiB (2 GiB)"},
		{[]string{"-i", "lo", "-c", "-3"}, 2, "sockscope: capture: -c -3: give a count of 1 or more (leave it out for all)"},
		{[]string{"-i", "lo", "--duration", "soon"}, 2, "sockscope: capture: invalid value \"soon\" for flag -duration"},
		{[]string{"-i", "lo", "--pcapng"}, 2, "sockscope: capture: --pcapng applies to the file -w writes; add -w FILE"},
		{[]string{"-i", "lo", "-Z", "sslivenobody"}, 2, "sockscope: capture: -Z sslivenobody: no such user"},
		{[]string{"-i", "lo", "-w", "/nonexistent/dir/x.pcap"}, 1, "sockscope: capture: open /nonexistent/dir/x.pcap: no such file or directory"},
	}
	for _, tt := range tests {
		r := startSockscope(t, l.NsB, nil, append([]string{"capture"}, tt.args...)...)
		code := r.wait(t)
		stderr := r.stderr.String()
		if code != tt.code || !strings.HasPrefix(stderr, tt.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("capture %s: exit %d, said\n%s\nwant exit %d and one line starting\n%s", strings.Join(tt.args, " "), code, stderr, tt.code, tt.want)
		}
	}
}

func TestInterfacesListsAsTcpdumpD(t *testing.T) {
	l := capturetest.NewLab(t)
	l.AddDownVeth("sslivedown", "sslivedown1")
	tcpdump := capturetest.RequireTool(t, "tcpdump")
	theirs, err := exec.Command("ip", "netns", "exec", l.NsB, tcpdump, "-D").Output()
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("ip", "netns", "exec", l.NsB, sockscopeBinary(t), "interfaces").Output()
	if err != nil {
		t.Fatal(err)
	}
	// tcpdump's line for each name, without its number: numbers differ
	// where tcpdump also lists devices that are not network interfaces.
	tcpdumpLine := map[string]string{}
	tcpdumpOrder := []string{}
	for _, line := range strings.Split(strings.TrimSpace(string(theirs)), "\n") {
		_, rest, _ := strings.Cut(line, ".")
		name, _, _ := strings.Cut(rest, " ")
		tcpdumpLine[name] = rest
		tcpdumpOrder = append(tcpdumpOrder, name)
	}
	var names []string
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if strings.HasPrefix(line, "\t") {
			if !strings.HasPrefix(line, "\tinet ") && !strings.HasPrefix(line, "\tinet6 ") {
				t.Errorf("address line %q", line)
			}
			continue
		}
		n++
		num, rest, _ := strings.Cut(line, ".")
		if num != strconv.Itoa(n) {
			t.Errorf("line %q numbered %s, want %d", line, num, n)
		}
		name, _, _ := strings.Cut(rest, " ")
		names = append(names, name)
		if tcpdumpLine[name] != rest {
			t.Errorf("sockscope: %q\n tcpdump: %q", rest, tcpdumpLine[name])
		}
	}
	// The same order as tcpdump's.
	i := 0
	for _, name := range tcpdumpOrder {
		if i < len(names) && names[i] == name {
			i++
		}
	}
	if i != len(names) || len(names) < 5 {
		t.Errorf("order %v, tcpdump's %v", names, tcpdumpOrder)
	}
	if !strings.Contains(string(out), "\tinet "+capturetest.IPB.String()+"/24\n") {
		t.Errorf("no address %s/24 for %s:\n%s", capturetest.IPB, capturetest.IfB, out)
	}

	// -i N is the Nth line.
	ss := startCapture(t, l.NsB, io.Discard, "capture", "-i", "1", "-c", "1")
	if err := l.Sender().Send(0, 1); err != nil {
		t.Fatal(err)
	}
	if code := ss.wait(t); code != 0 || !strings.Contains(ss.stderr.String(), "listening on "+names[0]+",") {
		t.Errorf("-i 1 did not capture on %s (exit %d):\n%s", names[0], code, ss.stderr)
	}
}

// smallDisk mounts a tmpfs of size bytes for the test and unmounts it after.
func smallDisk(t *testing.T, size int) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+strconv.Itoa(size)); err != nil {
		capturetest.SkipOrFail(t, "mount a small tmpfs (needs CAP_SYS_ADMIN: run the tests as root): %v", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir
}

func TestCaptureCommandOnAFullDiskCountsWhatTheFileHolds(t *testing.T) {
	capturetest.RequirePrivilege(t)
	for _, format := range []string{"pcap", "pcapng"} {
		t.Run(format, func(t *testing.T) {
			l := capturetest.NewLab(t)
			file := filepath.Join(smallDisk(t, 128<<10), "full."+format)
			args := []string{"capture", "-i", capturetest.IfB, "-w", file}
			if format == "pcapng" {
				args = append(args, "--pcapng")
			}
			ss := startCapture(t, l.NsB, nil, args...)
			stop := l.SendUntilStopped(1000)
			code := ss.wait(t) // it ends by itself when the disk is full
			if err := stop(); err != nil {
				t.Fatal(err)
			}
			if code != 1 {
				t.Errorf("exit %d on a full disk, want 1:\n%s", code, ss.stderr)
			}
			_, got := readPackets(t, file)
			captured, _, _ := ss.stats(t)
			t.Logf("%d captured, %d in the file", captured, len(got))
			if captured != uint64(len(got)) || len(got) == 0 {
				t.Errorf("reported %d captured, the file has %d", captured, len(got))
			}
			want := fmt.Sprintf("no space left on device (the file holds the first %d packets, each whole)", len(got))
			if last := lastLine(ss.stderr.String()); !strings.HasPrefix(last, "sockscope: capture: write ") || !strings.HasSuffix(last, want) {
				t.Errorf("last line %q, want the write error ending %q", last, want)
			}
			fileIsClean(t, file)
		})
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// TestCaptureCommandDisplayFilterSelectsAndCounts: live, -Y selects what is
// written, and -c counts the packets it selects.
func TestCaptureCommandDisplayFilterSelectsAndCounts(t *testing.T) {
	l := capturetest.NewLab(t)
	send := l.Sender()
	quit, done := make(chan struct{}), make(chan struct{})
	file := filepath.Join(t.TempDir(), "y.pcap")
	// The lab's frames carry a counter in bytes 14-17; its low byte is frame[17].
	ss := startCapture(t, l.NsB, nil, "capture", "-i", capturetest.IfB, "-c", "2", "-w", file,
		"-Y", "frame[17] == 03 || frame[17] == 05")
	go func() {
		defer close(done)
		for i := 0; ; i++ {
			select {
			case <-quit:
				return
			default:
			}
			send.Send(i%256, 1)
			time.Sleep(time.Millisecond)
		}
	}()
	code := ss.wait(t)
	close(quit)
	<-done
	if code != 0 {
		t.Fatalf("-c 2 -Y exited %d:\n%s", code, ss.stderr)
	}
	_, got := readPackets(t, file)
	if len(got) != 2 {
		t.Fatalf("-c 2 -Y wrote %d packets, want 2", len(got))
	}
	for _, p := range got {
		if len(p.Data) < 18 || p.Data[17] != 3 && p.Data[17] != 5 {
			t.Errorf("-Y wrote a packet it does not select: % x", p.Data)
		}
	}
	if captured, _, _ := ss.stats(t); captured != 2 {
		t.Errorf("-c 2 -Y reported %d captured", captured)
	}
}

// TestCaptureCommandWritesParquet captures into a Parquet file, ended by -c
// and by Ctrl-C: either way the file is complete, a row per packet counted,
// frame numbers from 1.
func TestCaptureCommandWritesParquet(t *testing.T) {
	for _, stop := range []string{"-c", "SIGINT"} {
		t.Run(stop, func(t *testing.T) {
			l := capturetest.NewLab(t)
			send := l.Sender()
			file := filepath.Join(t.TempDir(), "c.parquet")
			args := []string{"capture", "-i", capturetest.IfB, "--parquet", file, "-e", "frame.number", "-e", "frame.len"}
			if stop == "-c" {
				args = append(args, "-c", "5")
			}
			ss := startCapture(t, l.NsB, nil, args...)
			for i := 0; i < 10; i++ {
				send.Send(i, 1)
			}
			if stop == "-c" {
				if code := ss.wait(t); code != 0 {
					t.Fatalf("capture --parquet -c 5 exited %d:\n%s", code, ss.stderr)
				}
			} else {
				time.Sleep(300 * time.Millisecond)
				ss.interrupt(t, os.Interrupt)
			}
			captured, _, _ := ss.stats(t)
			f, err := os.Open(file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			r := pq.NewReader(f)
			defer r.Close()
			rows := make([]pq.Row, 64)
			n, _ := r.ReadRows(rows)
			if uint64(n) != captured || n == 0 || stop == "-c" && n != 5 {
				t.Fatalf("%d rows in the Parquet file, %d packets captured", n, captured)
			}
			for i, row := range rows[:n] {
				if got := row[0].Int64(); got != int64(i+1) {
					t.Errorf("row %d: frame.number %d", i, got)
				}
				if row[1].Int64() == 0 {
					t.Errorf("row %d: frame.len 0", i)
				}
			}
		})
	}
}

// TestCaptureCommandDirectionAsTcpdumpQ captures with -Q in on B's end of
// the lab's link and -Q out on A's, beside tcpdump -Q on the same end, while
// A sends B UDP, TCP and an echo: each file holds tcpdump's packets, every
// one of them going the way asked (from A's MAC address, or towards it for
// in on B's end... none sent by B's end there).
func TestCaptureCommandDirectionAsTcpdumpQ(t *testing.T) {
	for _, c := range []struct {
		dir, ns, iface string
		from           func(l *capturetest.Lab) []byte // the source MAC address every packet kept has
	}{
		{"in", "B", capturetest.IfB, func(l *capturetest.Lab) []byte { return l.MACA }},
		{"out", "A", capturetest.IfA, func(l *capturetest.Lab) []byte { return l.MACA }},
		// On any (Linux cooked v2), the header's packet type says the
		// direction: 4 for a packet sent.
		{"in", "B", "any", nil},
		{"out", "A", "any", nil},
	} {
		t.Run(c.dir+" on "+c.iface, func(t *testing.T) {
			l := capturetest.NewLab(t)
			ns := l.NsB
			if c.ns == "A" {
				ns = l.NsA
			}
			file := filepath.Join(t.TempDir(), "sockscope.pcap")
			_, got, want := besideTcpdump(t, l, ns, file, []string{"capture", "-i", c.iface, "-Q", c.dir, "-w", file}, []string{"-i", c.iface, "-Q", c.dir})
			capturetest.SameAsTcpdump(t, "-Q "+c.dir, got, want)
			if len(got) < 20 {
				t.Fatalf("-Q %s kept %d packets; the traffic has far more", c.dir, len(got))
			}
			for i, p := range got {
				if c.from == nil {
					if len(p.Data) < 20 || (p.Data[10] == 4) != (c.dir == "out") {
						t.Fatalf("-Q %s on any: packet %d has the cooked packet type %d", c.dir, i+1, p.Data[10])
					}
					continue
				}
				if len(p.Data) < 12 || !bytes.Equal(p.Data[6:12], c.from(l)) {
					t.Fatalf("-Q %s on %s: packet %d is from %x, not from A's %x", c.dir, c.iface, i+1, p.Data[6:12], c.from(l))
				}
			}
		})
	}
}

// TestCaptureCommandLinkTypesAsTcpdumpL lists the link types of lo and any
// (-L) as tcpdump -L does, and captures on any in Linux cooked v1 (-y
// LINUX_SLL) beside tcpdump -y LINUX_SLL: the same packets, in a file of
// that link type; a link type the interface does not offer is a usage
// error.
func TestCaptureCommandLinkTypesAsTcpdumpL(t *testing.T) {
	l := capturetest.NewLab(t)
	for _, iface := range []string{"lo", "any", capturetest.IfB} {
		ours := exec.Command("ip", "netns", "exec", l.NsB, sockscopeBinary(t), "capture", "-L", "-i", iface)
		got, err := ours.CombinedOutput()
		if err != nil {
			t.Fatalf("capture -L -i %s: %v: %s", iface, err, got)
		}
		want, _ := exec.Command("ip", "netns", "exec", l.NsB, "tcpdump", "-L", "-i", iface).CombinedOutput()
		// On an Ethernet device libpcap also offers DOCSIS, which tcpdump
		// says it cannot print: sockscope offers what it decodes.
		want = []byte(strings.ReplaceAll(string(want), "  DOCSIS (DOCSIS) (printing not supported)\n", ""))
		if string(got) != string(want) {
			t.Errorf("capture -L -i %s:\n%s\ntcpdump -L:\n%s", iface, got, want)
		}
	}
	file := filepath.Join(t.TempDir(), "sockscope.pcap")
	_, got, want := besideTcpdump(t, l, l.NsB, file, []string{"capture", "-i", "any", "-y", "LINUX_SLL", "-w", file}, []string{"-i", "any", "-y", "LINUX_SLL"})
	capturetest.SameAsTcpdump(t, "-i any -y LINUX_SLL", got, want)
	iface, _ := readPackets(t, file)
	if iface.LinkType != wire.LinkLinuxSLL || len(got) < 20 {
		t.Errorf("the file is %s with %d packets, want LINUX_SLL and the traffic", iface.LinkType, len(got))
	}
	out, err := exec.Command("ip", "netns", "exec", l.NsB, sockscopeBinary(t), "capture", "-i", "lo", "-y", "LINUX_SLL2", "-c", "1").CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 || !strings.Contains(string(out), "does not offer") {
		t.Errorf("-i lo -y LINUX_SLL2: %v, %q; want exit 2 and what lo offers", err, out)
	}
}

// TestCaptureCommandRotatesWithoutLosingAPacket captures 40,000 frames with
// -C 1 beside tcpdump writing one file: the files, read in order, hold
// tcpdump's packets, none lost or twice, each file a capture of its own
// with its header, each but the last past a million bytes by less than a
// packet, and their packets the count the capture reports, the kernel
// dropping none.
func TestCaptureCommandRotatesWithoutLosingAPacket(t *testing.T) {
	l := capturetest.NewLab(t)
	dir := t.TempDir()
	base := filepath.Join(dir, "rot")
	ss := startCapture(t, l.NsB, nil, "capture", "-i", capturetest.IfB, "-w", base, "-C", "1")
	td := capturetest.StartTcpdump(t, l.NsB, "-i", capturetest.IfB)
	if err := l.Sender().Send(0, 40000); err != nil {
		t.Fatal(err)
	}
	l.Mark()
	td.WaitForMarker(t)
	names := func() []string {
		var out []string
		for i := 0; ; i++ {
			name := base
			if i > 0 {
				name += strconv.Itoa(i)
			}
			if _, err := os.Stat(name); err != nil {
				return out
			}
			out = append(out, name)
		}
	}
	capturetest.WaitUntil(t, "sockscope wrote the marker", func() bool {
		files := names()
		if len(files) == 0 {
			return false
		}
		f, err := capture.Open(files[len(files)-1])
		if err != nil {
			return false
		}
		defer f.Close()
		for {
			data, _, err := f.Next()
			if err != nil {
				return false
			}
			if capturetest.IsMarker(data) {
				return true
			}
		}
	})
	td.Stop(t)
	ss.interrupt(t, syscall.SIGINT)
	files := names()
	if len(files) < 3 {
		t.Fatalf("-C 1 wrote %d files of 40,000 frames (some 3 MB)", len(files))
	}
	var got []packet
	for i, name := range files {
		_, p := readPackets(t, name)
		got = append(got, p...)
		fi, _ := os.Stat(name)
		if last := i == len(files)-1; !last && (fi.Size() <= 1_000_000 || fi.Size() > 1_000_000+16+int64(len(p[len(p)-1].Data))) {
			t.Errorf("%s is %d bytes: a rotation at 1,000,000 passes it by less than its last packet", filepath.Base(name), fi.Size())
		}
		fileIsClean(t, name)
	}
	_, want := readPackets(t, td.File)
	capturetest.SameAsTcpdump(t, "-C 1", got, want)
	captured, _, dropped := ss.stats(t)
	if captured != uint64(len(got)) || dropped != 0 {
		t.Errorf("reported %d captured, %d dropped; the %d files hold %d packets", captured, dropped, len(files), len(got))
	}
}

// TestCaptureCommandRotatesEachIntervalAndStops captures with -G 1 -W 3
// while frames keep coming: a new file each second, named by the strftime
// pattern, and the capture ends by itself after the third, its files
// holding every packet it says it captured.
func TestCaptureCommandRotatesEachIntervalAndStops(t *testing.T) {
	l := capturetest.NewLab(t)
	dir := t.TempDir()
	ss := startCapture(t, l.NsB, nil, "capture", "-i", capturetest.IfB, "-w", filepath.Join(dir, "g-%s-%H%M%S.pcap"), "-G", "1", "-W", "3")
	send := l.Sender()
	deadline := time.Now().Add(20 * time.Second)
	for i := 0; ; i++ {
		select {
		case err := <-ss.done:
			ss.done <- err
		default:
			if time.Now().Before(deadline) {
				if err := send.Send(i*10, 10); err != nil {
					t.Fatal(err)
				}
				time.Sleep(20 * time.Millisecond)
				continue
			}
			t.Fatal("-G 1 -W 3: the capture did not end after three files")
		}
		break
	}
	if code := ss.wait(t); code != 0 {
		t.Fatalf("exit %d: %s", code, ss.stderr)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "g-*.pcap"))
	if len(files) != 3 {
		t.Fatalf("-G 1 -W 3 wrote %d files: %v", len(files), files)
	}
	total := 0
	for _, f := range files {
		_, p := readPackets(t, f)
		if len(p) == 0 {
			t.Errorf("%s holds no packet", filepath.Base(f))
		}
		total += len(p)
	}
	captured, _, dropped := ss.stats(t)
	if captured != uint64(total) || dropped != 0 {
		t.Errorf("reported %d captured, %d dropped; the files hold %d", captured, dropped, total)
	}
}

// TestCaptureCommandRotatesBySizeWithinEachInterval captures with -C 1 -G 2
// three bursts of 20,000 frames (some 1.5 MB each) two and a half seconds
// apart, as tcpdump names such files (seen running it): each interval's
// first file is the strftime pattern's name, the next ones that name with
// 1, 2... after it, the count starting again in the next interval; every
// file but an interval's last passes a million bytes by less than a
// packet, and the files hold every packet the capture counted.
func TestCaptureCommandRotatesBySizeWithinEachInterval(t *testing.T) {
	l := capturetest.NewLab(t)
	dir := t.TempDir()
	ss := startCapture(t, l.NsB, nil, "capture", "-i", capturetest.IfB, "-w", filepath.Join(dir, "cg-%s"), "-C", "1", "-G", "2")
	send := l.Sender()
	for burst := 0; burst < 3; burst++ {
		if burst > 0 {
			time.Sleep(2500 * time.Millisecond)
		}
		if err := send.Send(burst*20000, 20000); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(500 * time.Millisecond)
	ss.interrupt(t, syscall.SIGINT)
	names, _ := filepath.Glob(filepath.Join(dir, "cg-*"))
	intervals := map[string][]string{} // the interval's name: its files, in order
	for _, name := range names {
		base := filepath.Base(name)
		stamp := strings.TrimPrefix(base, "cg-")
		if len(stamp) < 10 {
			t.Fatalf("%s: not named by -w cg-%%s", base)
		}
		first := "cg-" + stamp[:10] // Unix seconds: ten digits until 2286
		intervals[first] = append(intervals[first], base)
	}
	if len(intervals) < 2 {
		t.Fatalf("-C 1 -G 2: %d intervals over three bursts 2.5 s apart: %v", len(intervals), names)
	}
	split := false
	total := 0
	for first, files := range intervals {
		for i := range files {
			want := first
			if i > 0 {
				want += strconv.Itoa(i)
			}
			if !slices.Contains(files, want) {
				t.Fatalf("interval %s: files %v, want %s, %s1, %s2... in turn", first, files, first, first, first)
			}
			name := filepath.Join(dir, want)
			_, p := readPackets(t, name)
			total += len(p)
			fileIsClean(t, name)
			fi, _ := os.Stat(name)
			if i < len(files)-1 && (len(p) == 0 || fi.Size() <= 1_000_000 || fi.Size() > 1_000_000+16+int64(len(p[len(p)-1].Data))) {
				t.Errorf("%s is %d bytes: a file the next of its interval follows passes 1,000,000 by less than a packet", want, fi.Size())
			}
		}
		split = split || len(files) > 1
	}
	if !split {
		t.Errorf("-C 1 -G 2: no interval of 1.5 MB went on in a second file: %v", names)
	}
	captured, _, dropped := ss.stats(t)
	if captured != uint64(total) || dropped != 0 {
		t.Errorf("reported %d captured, %d dropped; the %d files hold %d packets", captured, dropped, len(names), total)
	}
}
