package commands

import (
	"bytes"
	"strings"
	"testing"
)

// Issue 13: compare --count 99999999999 ran out of memory with a stack
// trace; every number compare takes now has a bound, checked before
// anything runs: exit 2, one line that says the range.
func TestCompareRefusesNumbersOutOfBoundsBeforeRunning(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--count", "99999999999", "--size", "1", "--kinds", "udp"}, "--count must be 1 to 100000, got 99999999999"},
		{[]string{"--count", "100001"}, "--count must be 1 to 100000, got 100001"},
		{[]string{"--count", "0"}, "--count must be 1 to 100000, got 0"},
		{[]string{"--count", "-5"}, "--count must be 1 to 100000, got -5"},
		{[]string{"--count", "3", "--size", "65001"}, "--size must be 1 to 65000, got 65001"},
		{[]string{"--count", "3", "--size", "0"}, "--size must be 1 to 65000, got 0"},
		{[]string{"--count", "100000", "--size", "168"}, "--count 100000 --size 168 is 16800000 bytes, more than the 16 MiB (16777216 bytes) compare sends: give fewer or smaller messages"},
		{[]string{"--messages", strings.Repeat("A,", 100000) + "A"}, "--messages: 100001 messages, more than 100000; give fewer"},
		{[]string{"--read-delay", "61s"}, "--read-delay must be 0 to 1m, got 1m1s"},
		{[]string{"--read-delay", "-1ms"}, "--read-delay must be 0 to 1m, got -1ms"},
		{[]string{"--lab", "--loss", "101"}, "--loss must be a percentage, 0 to 100, got 101"},
		{[]string{"--lab", "--reorder", "-1"}, "--reorder must be a percentage, 0 to 100, got -1"},
		{[]string{"--lab", "--delay", "2m"}, "--delay must be 0 to 1m, such as 20ms, got 2m0s"},
		{[]string{"--lab", "--delay", "-1s"}, "--delay must be 0 to 1m, such as 20ms, got -1s"},
	} {
		var out, errs bytes.Buffer
		app := App()
		app.Writer, app.ErrWriter = &out, &errs
		err := app.Run(append([]string{"sockscope", "compare"}, tc.args...))
		name := strings.Join(tc.args, " ")
		if len(name) > 60 {
			name = name[:60] + "..."
		}
		if err == nil || ExitCode(err) != 2 {
			t.Errorf("%s: %v (exit %d), want a usage error, exit 2", name, err, ExitCode(err))
			continue
		}
		if err.Error() != "compare: "+tc.want {
			t.Errorf("%s: %q, want %q", name, err, tc.want)
		}
		// Nothing ran: no lab, no report, no line on stderr.
		if out.Len() > 0 || errs.Len() > 0 {
			t.Errorf("%s: wrote %q and %q before refusing", name, out.String(), errs.String())
		}
	}
}

func TestCompareHelpStatesTheBounds(t *testing.T) {
	var out bytes.Buffer
	app := App()
	app.Writer, app.ErrWriter = &out, &out
	if err := app.Run([]string{"sockscope", "compare", "--help"}); err != nil {
		t.Fatal(err)
	}
	help := strings.Join(strings.Fields(out.String()), " ")
	for _, want := range []string{"--count 1 to 100000", "--size 1 to 65000", "at most 16 MiB", "--read-delay and --delay 0 to 1m", "--loss and --reorder 0 to 100"} {
		if !strings.Contains(help, want) {
			t.Errorf("compare --help does not say %q", want)
		}
	}
}
