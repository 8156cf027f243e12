package spec

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// TestHugeSpecsFailAtOnce: a spec of 1e5 vlan or hbh layers (it took about
// 57 s to build before) is refused while it is read, at the first layer
// past the bound, with little work and a short error.
func TestHugeSpecsFailAtOnce(t *testing.T) {
	for _, c := range []struct {
		name, text, msg string
		col             int
	}{
		{"1e5 vlan", "ether/" + strings.Repeat("vlan/", 100000) + "ip(dst=10.0.0.2)", "at most 1024 layers", len("ether/") + 1023*len("vlan/") + 1},
		{"1e5 hbh", "ip6(dst=fd00::2)/" + strings.Repeat("hbh/", 100000) + `"x"`, "at most 1024 layers", len("ip6(dst=fd00::2)/") + 1023*len("hbh/") + 1},
		{"two full fills", "ip(dst=10.0.0.2)/fill(65535)/fill(65535)", "more than a packet may hold (66560)", 30},
		{"fills past the bound", "ip(dst=10.0.0.2)/" + strings.Repeat("fill(60000)/", 3) + `"x"`, "more than a packet may hold (66560)", 30},
		{"options past the bound", "ip(dst=10.0.0.2,options=hex:" + strings.Repeat("01", 65535) + ")/fill(2000)", "more than a packet may hold (66560)", 131101},
		{"longer than a spec may be", "ip(dst=10.0.0.2)/\"" + strings.Repeat(`\x41`, MaxSpec/4) + `"`, "more than a spec may be (1048576 bytes)", MaxSpec + 1},
	} {
		var err error
		start := time.Now()
		allocs := testing.AllocsPerRun(1, func() { _, err = Parse(c.text) })
		took := time.Since(start)
		var se *Error
		if !errors.As(err, &se) {
			t.Errorf("%s: error %v, want a *spec.Error", c.name, err)
			continue
		}
		if !strings.Contains(se.Msg, c.msg) || se.Column() != c.col {
			t.Errorf("%s: column %d %q, want column %d %q", c.name, se.Column(), se.Msg, c.col, c.msg)
		}
		// Reading 1024 layers takes some thousands of allocations; reading
		// all 1e5 took hundreds of thousands.
		if allocs > 20000 {
			t.Errorf("%s: %v allocations to refuse it", c.name, allocs)
		}
		if took > 2*time.Second { // about 10 ms here; generous for a loaded machine
			t.Errorf("%s: %v to refuse it", c.name, took)
		}
		if n := len(se.Error()); n > 400 {
			t.Errorf("%s: the error is %d bytes", c.name, n)
		}
	}
	// At the bounds, a spec is fine.
	for _, text := range []string{
		"ether/" + strings.Repeat("vlan/", MaxLayers-2) + "ip(dst=10.0.0.2)",
		"ip(dst=10.0.0.2)/fill(65535)/fill(1000)",
	} {
		if _, err := Parse(text); err != nil {
			t.Errorf("%.40s...: %.200v", text, err)
		}
	}
}

// TestErrorShowsAWindowOfALongSpec: a long spec is not echoed whole: the
// error shows at most 80 columns around the column at fault, "..." where
// the spec is cut, and the caret under the token at fault.
func TestErrorShowsAWindowOfALongSpec(t *testing.T) {
	vlans := strings.Repeat("vlan/", 500)
	for _, c := range []struct {
		name, text, at    string // at: what the caret points at
		cutLeft, cutRight bool
	}{
		{"in the middle", "ether/" + vlans + "bogus/" + vlans + "ip(dst=10.0.0.2)", "bogus/", true, true},
		{"at the start", "bogus/" + vlans + "ip(dst=10.0.0.2)", "bogus/", false, true},
		{"at the end", "ether/" + vlans + "ip(dst=10.0.0.2,ttl=300)", "300)", true, false},
		{"past the end", "ether/" + vlans, "", true, false},
		{"after wide characters", "ip(dst=10.0.0.2)/\"" + strings.Repeat("ü", 300) + "\"/\"" + strings.Repeat("é", 300) + "\"/bogus", "bogus", true, false},
		{"4 MB", "ether/" + strings.Repeat("vlan/", 800000), "vlan/", true, true},
	} {
		_, err := Parse(c.text)
		var se *Error
		if !errors.As(err, &se) {
			t.Errorf("%s: %.200v, want a *spec.Error", c.name, err)
			continue
		}
		lines := strings.Split(se.Error(), "\n")
		if len(lines) != 3 {
			t.Errorf("%s: %d lines: %.300q", c.name, len(lines), se.Error())
			continue
		}
		shown, caret := lines[1], lines[2]
		if n := utf8.RuneCountInString(shown); n > 80 || len(lines[0]) > 200 {
			t.Errorf("%s: %d columns shown, first line %d bytes: %q", c.name, n, len(lines[0]), se.Error())
		}
		if strings.HasPrefix(shown, "...") != c.cutLeft || strings.HasSuffix(shown, "...") != c.cutRight {
			t.Errorf("%s: cuts of %q, want left %v right %v", c.name, shown, c.cutLeft, c.cutRight)
		}
		col := strings.IndexByte(caret, '^')
		if col < 0 || strings.TrimLeft(caret, " ") != "^" {
			t.Errorf("%s: caret line %q", c.name, caret)
			continue
		}
		if under := string([]rune(shown)[min(col, utf8.RuneCountInString(shown)):]); !strings.HasPrefix(under, c.at) {
			t.Errorf("%s: the caret is under %q, want %q\n%s", c.name, under, c.at, se.Error())
		}
	}
}

// TestErrorShowsControlCharactersAsOneColumn: a newline, tab or escape in a
// spec does not break the error's three lines or move the caret.
func TestErrorShowsControlCharactersAsOneColumn(t *testing.T) {
	_, err := Parse("ip(dst=10.0.0.2,\n\tttl=300)/\"\x1b[31m\"")
	var se *Error
	if !errors.As(err, &se) {
		t.Fatalf("error %v", err)
	}
	want := "spec: ip ttl: 300 is too big (at most 255) at column 23\n" +
		"ip(dst=10.0.0.2,  ttl=300)/\"?[31m\"\n" +
		"                      ^"
	if se.Error() != want {
		t.Errorf("error\n%s\nwant\n%s", se.Error(), want)
	}
}

func TestAStringHoldsAtMost65535Bytes(t *testing.T) {
	for n, ok := range map[int]bool{MaxPayload: true, MaxPayload + 1: false} {
		_, err := Parse(`ether/"` + strings.Repeat("x", n) + `"`)
		if (err == nil) != ok {
			t.Errorf("a string of %d bytes: %v", n, err)
		}
	}
}
