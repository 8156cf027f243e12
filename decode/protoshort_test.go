package decode

import (
	"os/exec"
	"strings"
	"testing"
)

// TestShortNamesAreTsharks: every protocol decode registers that tshark
// knows has tshark's short name (tshark -G protocols), the name -z expert
// puts in its Protocol column.
func TestShortNamesAreTsharks(t *testing.T) {
	out, err := exec.Command("tshark", "-G", "protocols").Output()
	if err != nil {
		t.Skip("tshark is not installed (it is the oracle)")
	}
	short := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Split(line, "\t"); len(f) == 3 {
			short[f[2]] = f[1]
		}
	}
	n := 0
	Fields(func(id FieldID, f *Field) {
		want, ok := short[f.Name]
		if f.Type != TypeProtocol || !ok {
			return
		}
		n++
		if got := ShortName(id); got != want {
			t.Errorf("%s: short name %q, tshark's is %q (add it to shortNames)", f.Name, got, want)
		}
	})
	if n < 50 {
		t.Errorf("only %d protocols compared", n)
	}
}
