package capturetest

import (
	"bufio"
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

// TsharkFields are the field and protocol names the installed tshark knows
// (tshark -G fields), each with its type: a field's FT_ type, FT_PROTOCOL
// for a protocol. The caller has made sure tshark is installed.
func TsharkFields(t testing.TB) map[string]string {
	t.Helper()
	out, err := exec.Command("tshark", "-G", "fields").Output()
	if err != nil {
		t.Fatalf("tshark -G fields: %v", err)
	}
	types := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		switch {
		case len(cols) >= 4 && cols[0] == "F":
			types[cols[2]] = cols[3]
		case len(cols) >= 3 && cols[0] == "P":
			types[cols[2]] = "FT_PROTOCOL"
		}
	}
	return types
}
