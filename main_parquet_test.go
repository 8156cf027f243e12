package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	pq "github.com/parquet-go/parquet-go"
)

// readParquet reads a Parquet file with parquet-go's reader: the column
// names and each row's values by name.
func readParquet(t *testing.T, path string) ([]string, []map[string]pq.Value) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := pq.NewReader(f)
	defer r.Close()
	var names []string
	for _, c := range r.Schema().Columns() {
		names = append(names, strings.Join(c, "."))
	}
	var out []map[string]pq.Value
	buf := make([]pq.Row, 64)
	for {
		n, err := r.ReadRows(buf)
		for _, row := range buf[:n] {
			m := map[string]pq.Value{}
			for _, v := range row {
				m[names[v.Column()]] = v.Clone()
			}
			out = append(out, m)
		}
		if err != nil {
			break
		}
	}
	return names, out
}

func TestParquetRowsKeepTheCapturesFrameNumbers(t *testing.T) {
	// The packets of port 46002 in the text, numbered by their line.
	var want []int
	for i, line := range splitLines(run(t, binary, "decode", "-r", "testdata/tcp4.pcap")) {
		if strings.Contains(line, ".46002") && len(want) < 3 {
			want = append(want, i+1)
		}
	}
	out := filepath.Join(t.TempDir(), "p.parquet")
	// -e NAMEs before and after the filter, and a tcpdump option after it.
	_, stderr, code := runFull(t, nil, "decode", "--parquet", out, "-e", "frame.number", "-r", "testdata/tcp4.pcap",
		"-e", "ip.src", "tcp", "port", "46002", "-c", "3", "-e", "tcp.flags.syn", "-e", "udp.srcport")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	names, rows := readParquet(t, out)
	if strings.Join(names, " ") != "frame.number ip.src tcp.flags.syn udp.srcport" {
		t.Errorf("columns %v", names)
	}
	if len(rows) != len(want) || len(want) != 3 {
		t.Fatalf("%d rows, want %d (%v)", len(rows), len(want), want)
	}
	for i, row := range rows {
		if got := int(row["frame.number"].Int32()); got != want[i] {
			t.Errorf("row %d: frame.number %d, want %d as the text's line", i+1, got, want[i])
		}
		if src := row["ip.src"].String(); src != "10.99.0.1" && src != "10.99.0.2" {
			t.Errorf("row %d: ip.src %q", i+1, src)
		}
		if !row["udp.srcport"].IsNull() {
			t.Errorf("row %d: udp.srcport %v in a TCP packet, want NULL", i+1, row["udp.srcport"])
		}
	}
	if !rows[0]["tcp.flags.syn"].Boolean() || rows[2]["tcp.flags.syn"].Boolean() {
		t.Errorf("tcp.flags.syn of the handshake's first and third packets: %v, %v", rows[0]["tcp.flags.syn"], rows[2]["tcp.flags.syn"])
	}
}

func TestParquetUsageErrorsExit2(t *testing.T) {
	out := filepath.Join(t.TempDir(), "p.parquet")
	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"decode", "-r", "testdata/tcp4.pcap", "--parquet", out, "-e", "no.such.field"}, "no field"},
		{[]string{"decode", "-r", "testdata/tcp4.pcap", "--parquet", out, "-e"}, "-e needs a field NAME"},
		{[]string{"decode", "-r", "testdata/tcp4.pcap", "--parquet", out, "-e", "ip.src", "-e", "ip.src"}, "named twice"},
		{[]string{"decode", "-r", "testdata/tcp4.pcap", "--parquet", out, "-w", out + ".pcap"}, "without -w"},
		// capture finds them before it opens a socket: no privilege needed.
		{[]string{"capture", "-i", "lo", "--parquet", out, "-e", "no.such.field"}, "no field"},
		{[]string{"capture", "-i", "lo", "--parquet", out, "--json"}, "without -w"},
	} {
		_, stderr, code := runFull(t, nil, c.args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2", c.args, code)
		}
		oneLineError(t, stderr, c.says)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a usage error left %s behind", out)
	}
}
