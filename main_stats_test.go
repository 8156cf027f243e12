package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestStatsUsageErrorsExit2: a stats line that cannot run says why in one
// line and exits 2, before it opens a file or a socket.
func TestStatsUsageErrorsExit2(t *testing.T) {
	for _, args := range [][]string{
		{"stats", "-z", "conv,tcp"},                                                 // no source
		{"stats", "-r", "testdata/tcp4.pcap"},                                       // no -z
		{"stats", "-r", "testdata/tcp4.pcap", "-i", "lo", "-z", "conv,tcp"},         // two sources
		{"stats", "-r", "testdata/tcp4.pcap", "-z", "no-such-statistic"},            // not a -z name
		{"stats", "-r", "testdata/tcp4.pcap", "-z", "conv,tcp", "-c", "0"},          // counts are 1 or more
		{"stats", "-r", "testdata/tcp4.pcap", "-z", "conv,tcp", "--duration", "5s"}, // live only
		{"stats", "-i", "no-such-interface0", "-z", "conv,tcp"},
		{"stats", "-i", "lo", "-z", "conv,tcp", "--duration", "0s"},
	} {
		_, stderr, code := runFull(t, nil, args...)
		if code != 2 {
			t.Errorf("%v: exit status %d, want 2 (stderr %q)", args, code, stderr)
		}
		oneLineError(t, stderr, "")
	}
	// A bad expression is the three lines of its report: the problem, the
	// expression, a caret under its column.
	for _, args := range [][]string{
		{"stats", "-r", "testdata/tcp4.pcap", "-z", "conv,tcp", "-Y", "tcp.port =="},
		{"stats", "-r", "testdata/tcp4.pcap", "-z", "conv,tcp", "tcp", "port"},
	} {
		_, stderr, code := runFull(t, nil, args...)
		lines := strings.Split(strings.TrimSuffix(string(stderr), "\n"), "\n")
		if code != 2 || len(lines) != 3 || !strings.HasPrefix(lines[0], "sockscope: ") || !strings.HasSuffix(lines[2], "^") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and a three-line report with a caret", args, code, stderr)
		}
	}
	_, stderr, code := runFull(t, nil, "stats", "-r", "README.md", "-z", "conv,tcp")
	if code != 1 {
		t.Errorf("not a capture: exit %d, want 1 (stderr %q)", code, stderr)
	}
	oneLineError(t, stderr, "not a pcap or pcapng file")
	_, stderr, _ = runFull(t, nil, "stats", "-r", "testdata/tcp4.pcap", "-z", "no-such-statistic")
	if !strings.Contains(string(stderr), "no-such-statistic") {
		t.Errorf("an unknown -z: %q does not name it", stderr)
	}
}

// ioStatYFilters are the display filters TestStatsYIOStatIsTsharks runs
// under: one naming a field a column computes with (tshark then gives the
// field a value), one selecting nothing of some captures, one naming
// frame.number.
var ioStatYFilters = []string{"tcp.len>0", "udp.length>1 || dns.flags.response==1", "frame.number>3"}

// ioStatYSpecs are the tables compared under each filter: the plain one,
// and columns whose values -Y changes (SUM(udp.length) has one only when
// a filter names udp.length; frame.time_delta_displayed measures from the
// last packet -Y showed).
var ioStatYSpecs = []string{
	"io,stat,1",
	"io,stat,0.5,tcp,SUM(udp.length)udp,MIN(tcp.len)tcp,AVG(ip.ttl)ip," +
		"MAX(frame.time_delta_displayed)frame.time_delta_displayed,SUM(frame.time_delta_displayed)frame.time_delta_displayed," +
		"MIN(frame.time_relative)frame.time_relative,SUM(frame.time_delta)frame.time_delta",
}

// TestStatsYIOStatIsTsharks: sockscope stats -Y EXPR -z io,stat,... prints
// what tshark -q -Y EXPR -z io,stat,... prints, byte for byte, on every
// capture of testdata/: tshark counts every packet in io,stat, -Y only
// giving values to the fields it names and choosing the packets
// frame.time_delta_displayed measures from.
func TestStatsYIOStatIsTsharks(t *testing.T) {
	requireTshark(t)
	files, _ := filepath.Glob(filepath.Join("testdata", "*.pcap*"))
	type job struct{ file, filter string }
	jobs := make(chan job)
	var mu sync.Mutex
	var wg sync.WaitGroup
	same, total := 0, 0
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				args := []string{"-n", "-q", "-r", j.file, "-Y", j.filter}
				ours := []string{"stats", "-r", j.file, "-Y", j.filter}
				for _, s := range ioStatYSpecs {
					args = append(args, "-z", s)
					ours = append(ours, "-z", s)
				}
				cmd := exec.Command("tshark", args...)
				cmd.Env = append(os.Environ(), "LC_ALL=C")
				theirs, err := cmd.Output()
				// not runFull: its t.Fatal is for the test's goroutine
				run := exec.Command(binary, ours...)
				run.Env = append(os.Environ(), "TZ=UTC")
				var stderr bytes.Buffer
				run.Stderr = &stderr
				got, ourErr := run.Output()
				mu.Lock()
				total++
				switch {
				case err != nil:
					t.Errorf("tshark %v: %v", args, err)
				case ourErr != nil:
					t.Errorf("sockscope %v: %v: %s", ours, ourErr, stderr.Bytes())
				case strings.Count(string(theirs), "| IO Statistics") != len(ioStatYSpecs):
					t.Errorf("tshark %v printed %d tables, not %d:\n%s", args, strings.Count(string(theirs), "| IO Statistics"), len(ioStatYSpecs), theirs)
				case !bytes.Equal(got, theirs):
					t.Errorf("%s -Y %q: sockscope's io,stat is not tshark's:\n%s", j.file, j.filter, firstLineDiff(got, theirs))
				default:
					same++
				}
				mu.Unlock()
			}
		}()
	}
	for _, f := range files {
		for _, y := range ioStatYFilters {
			jobs <- job{f, y}
		}
	}
	close(jobs)
	wg.Wait()
	t.Logf("-Y with io,stat: %d of %d runs (%d captures, %d filters, %d tables each) identical to tshark's", same, total, len(files), len(ioStatYFilters), len(ioStatYSpecs))
}

// firstLineDiff names the first line where got and want differ.
func firstLineDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n  sockscope: %q\n  tshark:    %q", i+1, gl, wl)
		}
	}
	return "(same lines)"
}
