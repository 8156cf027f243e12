package compare

import (
	"strings"
	"testing"

	"github.com/sockscope/sockscope/craft/spec"
)

func TestRawSpecSendsOnlyToThisMachine(t *testing.T) {
	for _, c := range []struct {
		text     string
		ip6, lab bool
		why      string // "" when accepted
	}{
		{"ip(dst=127.0.0.1,proto=253)", false, false, ""},
		{"ip(dst=127.9.9.9,src=127.0.0.5,proto=253)", false, false, ""},
		{"ip(dst=127.9.9.9,src=10.1.1.1,proto=253)", false, false, "off this machine"},
		{"ip6(src=2001:db8:9::5,dst=::1)/tcp(dport=9,flags=S)", true, false, "off this machine"},
		{"ip(src=10.233.0.7,dst=10.233.0.2,proto=253)", false, true, "sends from A"},
		{"ip6(dst=::1,nh=253)", true, false, ""},
		{"ip(dst=10.233.0.2,proto=253)", false, true, ""},
		{"ip6(dst=fd33::2,nh=253)", true, true, ""},
		{"ip(dst=8.8.8.8,proto=253)", false, false, "compare sends only to itself"},
		{"ip(dst=127.0.0.1,proto=253)", false, true, "write dst=10.233.0.2"},
		{"ip6(dst=::1,nh=253)", false, false, "needs --ip6"},
		{"ip(dst=127.0.0.1)", true, false, "not ip(...)"},
		{"ether()/ip(dst=127.0.0.1)", false, false, "starts with its IP header"},
	} {
		s, err := spec.Parse(c.text)
		if err != nil {
			t.Fatalf("%s: %v", c.text, err)
		}
		err = CheckRawSpec(s, c.ip6, c.lab)
		if (err == nil) != (c.why == "") || (err != nil && !strings.Contains(err.Error(), c.why)) {
			t.Errorf("%s (ip6 %v, lab %v): %v, want %q", c.text, c.ip6, c.lab, err, c.why)
		}
		if err == nil && c.lab && s.Layers[0].Fields["src"].Addr != map[bool]any{false: LabAddrA, true: LabAddr6A}[c.ip6] {
			t.Errorf("%s in the lab: src %v, want A's", c.text, s.Layers[0].Fields["src"].Addr)
		}
	}
}
