package parquet_test

// DuckDB, an engine that is not ours, reads back the files the Writer makes
// from every testdata capture and every field of the registry: the same
// rows, column types and values as the dissection tree gives.

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/capture"
	"github.com/sockscope/sockscope/decode"
	"github.com/sockscope/sockscope/decode/parquet"
	"github.com/sockscope/sockscope/decode/wire"
)

// duckdbPackage is the npm package whose Linux build of DuckDB reads the
// files, pinned so that a run reads with the engine the last one did.
const duckdbPackage = "@duckdb/node-api@1.5.6-r.1"

// readScript prints, as one JSON object, DuckDB's DESCRIBE of the Parquet
// file argv[2] and the rows of the query argv[3].
const readScript = `import { DuckDBInstance } from '@duckdb/node-api';
const [file, sql] = process.argv.slice(2);
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
const d = await c.runAndReadAll("DESCRIBE SELECT * FROM read_parquet('" + file + "')");
const r = await c.runAndReadAll(sql);
process.stdout.write(JSON.stringify({describe: d.getRowObjectsJson(), rows: r.getRowsJson()}));
`

// skipOrFail skips the test, or fails it under SOCKSCOPE_REQUIRE_PRIV=1
// (CI), which promises the tools are there.
func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("SOCKSCOPE_REQUIRE_PRIV") == "1" {
		t.Fatalf("SOCKSCOPE_REQUIRE_PRIV=1 but: "+format, args...)
	}
	t.Skipf(format, args...)
}

// duckDB returns the directory of the script that reads a Parquet file with
// DuckDB, installing the package with npm into the user's cache
// (SOCKSCOPE_DUCKDB_DIR overrides it) the first time.
func duckDB(t *testing.T) (node, script string) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		skipOrFail(t, "node is not installed (apt-get install nodejs npm)")
	}
	dir := os.Getenv("SOCKSCOPE_DUCKDB_DIR")
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			skipOrFail(t, "no cache directory for the npm package: %v", err)
		}
		dir = filepath.Join(cache, "sockscope", "duckdb-node")
	}
	want := strings.TrimPrefix(duckdbPackage[strings.LastIndex(duckdbPackage, "@"):], "@")
	if !installed(dir, want) {
		npm, err := exec.LookPath("npm")
		if err != nil {
			skipOrFail(t, "npm is not installed (apt-get install nodejs npm), and DuckDB is not in %s", dir)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if out, err := exec.CommandContext(ctx, npm, "ping").CombinedOutput(); err != nil {
			// No registry, no DuckDB: a machine off the network cannot run this test,
			// CI or not.
			t.Skipf("npm cannot reach its registry, so DuckDB cannot be installed: %v: %s", err, lastLine(out))
		}
		ctx, cancel = context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, npm, "install", "--no-audit", "--no-fund", "--prefix", dir, duckdbPackage)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm install %s: %v\n%s", duckdbPackage, err, out)
		}
		if !installed(dir, want) {
			t.Fatalf("npm installed %s but %s has no @duckdb/node-api %s", duckdbPackage, dir, want)
		}
	}
	// An ES module finds its imports in the node_modules beside it.
	script = filepath.Join(dir, "read-parquet.mjs")
	if err := os.WriteFile(script, []byte(readScript), 0o644); err != nil {
		t.Fatal(err)
	}
	return node, script
}

func installed(dir, version string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "node_modules", "@duckdb", "node-api", "package.json"))
	var pkg struct{ Version string }
	return err == nil && json.Unmarshal(b, &pkg) == nil && pkg.Version == version
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}

// duckResult is what readScript prints.
type duckResult struct {
	Describe []struct {
		Name string `json:"column_name"`
		Type string `json:"column_type"`
	} `json:"describe"`
	Rows [][]*string `json:"rows"`
}

// query runs sql over file in DuckDB.
func query(t *testing.T, node, script, file, sql string) duckResult {
	t.Helper()
	var stderr bytes.Buffer
	cmd := exec.Command(node, script, file, sql)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("duckdb: %v\n%s", err, stderr.Bytes())
	}
	var res duckResult
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("duckdb's output: %v", err)
	}
	return res
}

// packet is one packet of a testdata capture.
type packet struct {
	data []byte
	ci   gopacket.CaptureInfo
	link wire.LinkType
}

// readCapture reads a pcap or pcapng file with sockscope's reader (a test
// may import capture; decode/parquet itself does not), which keeps link
// types gopacket's pcapgo cuts to a byte (Linux cooked v2, 276).
func readCapture(t *testing.T, path string) []packet {
	t.Helper()
	r, err := capture.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var pkts []packet
	for {
		data, ci, err := r.Next()
		if err == io.EOF {
			return pkts
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		pkts = append(pkts, packet{bytes.Clone(data), ci, r.LinkType(ci.InterfaceIndex)})
	}
}

// duckType is the DuckDB type a column of field id reads as, and the SQL
// that turns its value into the text expected() gives.
func duckType(id decode.FieldID) (typ, expr string) {
	q := `"` + id.Name() + `"`
	switch ft := id.Info().Type; ft {
	case decode.TypeNone, decode.TypeProtocol, decode.TypeBoolean:
		typ = "BOOLEAN"
	case decode.TypeUint8:
		typ = "UTINYINT"
	case decode.TypeUint16:
		typ = "USMALLINT"
	case decode.TypeUint24, decode.TypeUint32, decode.TypeFrameNum:
		typ = "UINTEGER"
	case decode.TypeUint40, decode.TypeUint48, decode.TypeUint56, decode.TypeUint64:
		typ = "UBIGINT"
	case decode.TypeInt8:
		typ = "TINYINT"
	case decode.TypeInt16:
		typ = "SMALLINT"
	case decode.TypeInt24, decode.TypeInt32:
		typ = "INTEGER"
	case decode.TypeInt64:
		typ = "BIGINT"
	case decode.TypeFloat, decode.TypeDouble:
		typ = "DOUBLE"
	case decode.TypeAbsTime:
		// DuckDB reads a UTC timestamp in microseconds: the file's
		// nanoseconds are cut.
		return "TIMESTAMP WITH TIME ZONE", "epoch_us(" + q + ")::VARCHAR"
	case decode.TypeRelTime:
		if id.Name() == "frame.time_epoch" {
			return "TIMESTAMP WITH TIME ZONE", "epoch_us(" + q + ")::VARCHAR"
		}
		typ = "BIGINT"
	case decode.TypeIPv4, decode.TypeIPv6, decode.TypeEther, decode.TypeEUI64,
		decode.TypeChar, decode.TypeString, decode.TypeStringz, decode.TypeStringzPad, decode.TypeUintString:
		typ = "VARCHAR"
	default:
		return "BLOB", "hex(" + q + ")"
	}
	return typ, q + "::VARCHAR"
}

// expected is the text of field id's first occurrence in tree t, as
// duckType's SQL shows it, or nil where the packet has none.
func expected(t *decode.Tree, id decode.FieldID) *string {
	node, val, found := -1, uint64(0), false
	t.Each(id, func(n int, v uint64) bool {
		node, val, found = n, v, true
		return false
	})
	f := id.Info()
	var s string
	switch f.Type {
	case decode.TypeNone, decode.TypeProtocol:
		s = strconv.FormatBool(found)
		return &s
	}
	if !found {
		return nil
	}
	switch f.Type {
	case decode.TypeBoolean:
		s = strconv.FormatBool(val != 0)
	case decode.TypeInt8:
		s = strconv.Itoa(int(int8(val)))
	case decode.TypeInt16:
		s = strconv.Itoa(int(int16(val)))
	case decode.TypeInt24:
		s = strconv.FormatInt(int64(val<<40)>>40, 10)
	case decode.TypeInt32:
		s = strconv.Itoa(int(int32(val)))
	case decode.TypeInt64, decode.TypeRelTime:
		s = strconv.FormatInt(int64(val), 10)
		if id.Name() == "frame.time_epoch" {
			s = strconv.FormatInt(int64(val)/1000, 10)
		}
	case decode.TypeAbsTime:
		s = strconv.FormatInt(int64(val)/1000, 10)
	case decode.TypeFloat, decode.TypeDouble:
		s = strconv.FormatFloat(math.Float64frombits(val), 'g', -1, 64)
	case decode.TypeIPv4, decode.TypeIPv6:
		b := t.Bytes(node)
		if a, ok := netip.AddrFromSlice(b); ok && (len(b) == 4 || len(b) == 16) {
			s = a.String()
		} else {
			s = hexColons(b)
		}
	case decode.TypeEther, decode.TypeEUI64:
		s = hexColons(t.Bytes(node))
	case decode.TypeChar, decode.TypeString, decode.TypeStringz, decode.TypeStringzPad, decode.TypeUintString:
		var sb strings.Builder
		for _, r := range string(t.Bytes(node)) { // a byte that is not UTF-8 is U+FFFD
			sb.WriteRune(r)
		}
		s = sb.String()
	default:
		if f.Type.IsInteger() {
			s = strconv.FormatUint(val, 10)
		} else {
			s = strings.ToUpper(hex.EncodeToString(t.Bytes(node)))
		}
	}
	return &s
}

func hexColons(b []byte) string {
	parts := make([]string, len(b))
	for i, x := range b {
		parts[i] = fmt.Sprintf("%02x", x)
	}
	return strings.Join(parts, ":")
}

// sameValue compares DuckDB's text with the tree's; doubles by value,
// since the two print them differently, times within a microsecond of
// rounding.
func sameValue(id decode.FieldID, got, want *string) bool {
	if got == nil || want == nil {
		return got == want
	}
	switch ft := id.Info().Type; {
	case ft == decode.TypeFloat || ft == decode.TypeDouble:
		g, err1 := strconv.ParseFloat(*got, 64)
		w, err2 := strconv.ParseFloat(*want, 64)
		return err1 == nil && err2 == nil && (g == w || math.Abs(g-w) <= 1e-12*math.Abs(w))
	case ft == decode.TypeAbsTime || id.Name() == "frame.time_epoch":
		g, err1 := strconv.ParseInt(*got, 10, 64)
		w, err2 := strconv.ParseInt(*want, 10, 64)
		return err1 == nil && err2 == nil && g-w <= 1 && w-g <= 1
	}
	return *got == *want
}

func TestDuckDBReadsEveryFieldOfEveryCapture(t *testing.T) {
	node, script := duckDB(t)
	var ids []decode.FieldID
	var names []string
	decode.Fields(func(id decode.FieldID, f *decode.Field) {
		ids = append(ids, id)
		names = append(names, f.Name)
	})
	var sel []string
	for _, id := range ids {
		_, expr := duckType(id)
		sel = append(sel, expr)
	}
	files, _ := filepath.Glob("../../testdata/*.pcap*")
	if len(files) == 0 {
		t.Fatal("no captures in testdata")
	}
	rows, cells := 0, 0
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "packets.parquet")
			f, err := os.Create(out)
			if err != nil {
				t.Fatal(err)
			}
			w, err := parquet.NewWriter(f, names)
			if err != nil {
				t.Fatal(err)
			}
			var tree decode.Tree
			var want [][]*string
			for _, p := range readCapture(t, path) {
				if err := w.Print(p.data, p.ci, p.link); err != nil {
					t.Fatal(err) // every testdata link type is one decode reads
				}
				tree.Dissect(p.data, p.ci, p.link, len(want)+1)
				row := make([]*string, len(ids))
				for i, id := range ids {
					row[i] = expected(&tree, id)
				}
				want = append(want, row)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
			sql := "SELECT " + strings.Join(sel, ", ") + " FROM read_parquet('" + out + `') ORDER BY "frame.number"`
			res := query(t, node, script, out, sql)

			if len(res.Describe) != len(ids) {
				t.Fatalf("DuckDB sees %d columns, want %d", len(res.Describe), len(ids))
			}
			for i, id := range ids {
				typ, _ := duckType(id)
				if d := res.Describe[i]; d.Name != id.Name() || d.Type != typ {
					t.Errorf("column %d: DuckDB has %s %s, want %s %s (%s)", i, d.Name, d.Type, id.Name(), typ, id.Info().Type)
				}
			}
			if len(res.Rows) != len(want) {
				t.Fatalf("DuckDB reads %d rows, the capture has %d packets", len(res.Rows), len(want))
			}
			bad := 0
			for r := range want {
				for i, id := range ids {
					if got := res.Rows[r][i]; !sameValue(id, got, want[r][i]) && bad < 20 {
						bad++
						t.Errorf("packet %d, %s: DuckDB reads %s, the tree has %s", r+1, id.Name(), show(got), show(want[r][i]))
					}
				}
			}
			rows += len(want)
			cells += len(want) * len(ids)
		})
	}
	t.Logf("DuckDB read %d rows of %d columns (%d values) from %d captures", rows, len(ids), cells, len(files))
}

func show(s *string) string {
	if s == nil {
		return "NULL"
	}
	return strconv.Quote(*s)
}

// TestDefaultColumnsAsDocumented checks the types sockscope-decode(1)
// (commands/reference/decode.md) lists for the
// default columns, as DuckDB sees them.
func TestDefaultColumnsAsDocumented(t *testing.T) {
	node, script := duckDB(t)
	want := []string{
		"frame.number UINTEGER", "frame.time TIMESTAMP WITH TIME ZONE", "frame.len UINTEGER", "frame.cap_len UINTEGER",
		"eth.src VARCHAR", "eth.dst VARCHAR",
		"ip.src VARCHAR", "ip.dst VARCHAR", "ip.proto UTINYINT", "ip.ttl UTINYINT",
		"ipv6.src VARCHAR", "ipv6.dst VARCHAR", "ipv6.nxt UTINYINT",
		"tcp.srcport USMALLINT", "tcp.dstport USMALLINT", "tcp.flags USMALLINT", "tcp.seq UINTEGER", "tcp.ack UINTEGER", "tcp.len UINTEGER",
		"udp.srcport USMALLINT", "udp.dstport USMALLINT", "udp.length USMALLINT",
		"dns.qry.name VARCHAR", "dns.flags.response BOOLEAN",
	}
	out := filepath.Join(t.TempDir(), "dns.parquet")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	w, err := parquet.NewWriter(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	pkts := readCapture(t, "../../testdata/dns.pcap")
	for _, p := range pkts {
		if err := w.Print(p.data, p.ci, p.link); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	res := query(t, node, script, out, `SELECT count(*)::VARCHAR, count("dns.qry.name")::VARCHAR FROM read_parquet('`+out+`')`)
	var got []string
	for _, d := range res.Describe {
		got = append(got, d.Name+" "+d.Type)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("default columns:\n%s\nwant (as sockscope man decode says):\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := *res.Rows[0][0]; n != strconv.Itoa(len(pkts)) {
		t.Errorf("%s rows, want %d", n, len(pkts))
	}
	if n := *res.Rows[0][1]; n == "0" {
		t.Errorf("no DNS query name in dns.pcap's rows")
	}
}

// TestDuckDBReadsWhatTFieldsPrints compares the Parquet file, as DuckDB
// reads it, with the -T fields printer's first occurrences (tshark's -E
// occurrence=f) on every testdata capture, for the fields whose text the
// two share: integers in decimal, addresses, names.
func TestDuckDBReadsWhatTFieldsPrints(t *testing.T) {
	node, script := duckDB(t)
	names := []string{"frame.number", "frame.len", "frame.cap_len", "eth.src", "eth.dst",
		"ip.src", "ip.dst", "ip.proto", "ip.ttl", "ip.len", "ipv6.src", "ipv6.dst", "ipv6.nxt", "ipv6.hlim",
		"tcp.srcport", "tcp.dstport", "tcp.len", "tcp.window_size_value", "udp.srcport", "udp.dstport", "udp.length",
		"icmp.type", "icmp.code", "dns.qry.name", "dns.qry.type", "dns.count.answers", "arp.opcode", "arp.src.proto_ipv4", "vlan.id"}
	var sel []string
	for _, n := range names {
		sel = append(sel, `coalesce("`+n+`"::VARCHAR, '')`)
	}
	fo := decode.DefaultFieldsOptions()
	fo.Occurrence = 'f'
	files, _ := filepath.Glob("../../testdata/*.pcap*")
	values := 0
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "packets.parquet")
			f, err := os.Create(out)
			if err != nil {
				t.Fatal(err)
			}
			w, err := parquet.NewWriter(f, names)
			if err != nil {
				t.Fatal(err)
			}
			var text bytes.Buffer
			fp, err := decode.NewFieldsPrinter(&text, decode.Options{}, names, fo)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range readCapture(t, path) {
				if err := w.Print(p.data, p.ci, p.link); err != nil {
					t.Fatal(err)
				}
				if err := fp.Print(p.data, p.ci, p.link); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			f.Close()
			if err := fp.Flush(); err != nil {
				t.Fatal(err)
			}
			res := query(t, node, script, out, "SELECT "+strings.Join(sel, ", ")+" FROM read_parquet('"+out+`') ORDER BY "frame.number"`)
			var lines []string
			if text.Len() > 0 {
				lines = strings.Split(strings.TrimSuffix(text.String(), "\n"), "\n")
			}
			if len(lines) != len(res.Rows) {
				t.Fatalf("DuckDB reads %d rows, -T fields prints %d lines", len(res.Rows), len(lines))
			}
			bad := 0
			for r, line := range lines {
				want := strings.Split(line, "\t")
				for i, n := range names {
					if got := *res.Rows[r][i]; got != want[i] {
						if bad++; bad <= 20 {
							t.Errorf("packet %d, %s: DuckDB reads %q, -T fields prints %q", r+1, n, got, want[i])
						}
						continue
					}
					values++
				}
			}
		})
	}
	t.Logf("%d values the same in DuckDB and -T fields", values)
}
