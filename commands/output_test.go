package commands

import (
	"strings"
	"testing"

	"github.com/sockscope/sockscope/decode"
)

func TestFieldArgsReadsDashEAsAFieldOnlyWithTFields(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"s decode -r f -T fields -e ip.src -e tcp", "s decode -r f -T fields --field ip.src --field tcp"},
		{"s decode -Tfields -eip.src -r f", "s decode -Tfields --field ip.src -r f"},
		{"s decode -e -r f tcp", "s decode -e -r f tcp"},
		{"s capture -i lo -T fields -e frame.number -- -e x", "s capture -i lo -T fields --field frame.number -- -e x"},
		// --parquet's columns are -e NAMEs too, before or after the filter.
		{"s decode --parquet o -e ip.src -r f tcp -e ip.dst", "s decode --parquet o --field ip.src -r f tcp --field ip.dst"},
		{"s decode -r f --parquet=o -e frame.number", "s decode -r f --parquet=o --field frame.number"},
		{"s decode -e -r f tcp -- --parquet", "s decode -e -r f tcp -- --parquet"},
	} {
		got, err := fieldArgs(strings.Fields(c.in))
		if err != nil || strings.Join(got, " ") != c.want {
			t.Errorf("%s: %q, %v; want %q", c.in, strings.Join(got, " "), err, c.want)
		}
	}
	if _, err := fieldArgs(strings.Fields("s decode -r f -e ip.src")); err == nil || ExitCode(err) != 2 {
		t.Errorf("-e ip.src without -T fields: %v", err)
	}
}

func TestNearestFieldsSuggestsRegistryNames(t *testing.T) {
	if got := decode.Nearest("ip.srcc", decode.FieldNames(), 3); len(got) == 0 || got[0] != "ip.src" {
		t.Errorf("nearest to ip.srcc: %v", got)
	}
}
