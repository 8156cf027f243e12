package commands

import (
	"strings"
	"testing"
)

func TestOptionsAfterArgumentsMoveAsGetoptMovesThem(t *testing.T) {
	app := App()
	for _, c := range []struct{ in, want string }{
		{"decode -r f tcp -c 2 -n", "decode -r f -c 2 -n -- tcp"},
		{"decode -r f tcp -nc 2", "decode -r f -n -c 2 -- tcp"},
		{"decode -r f tcp -c2", "decode -r f -c 2 -- tcp"},
		{"decode -r f tcp -nc2 port 80", "decode -r f -n -c 2 -- tcp port 80"},
		{"decode -r f tcp -c 1 -- port 80 -n", "decode -r f -c 1 -- tcp port 80 -n"},
		{"decode -n -r f tcp -w", "decode -n -r f tcp -w"},         // -w lacks its value: left to the filter
		{"decode -r f less -1", "decode -r f less -1"},             // nothing to move
		{"decode --no-such -r f tcp", "decode --no-such -r f tcp"}, // the parser says what is wrong
		{"decode -r - tcp -w -", "decode -r - -w - -- tcp"},
		{"replay -r f udp --dry-run -c 1", "replay -r f --dry-run -c 1 -- udp"},
		{"craft ip(dst=127.0.0.1)/udp -c 3", "craft -c 3 -- ip(dst=127.0.0.1)/udp"},
	} {
		args := append([]string{"sockscope"}, strings.Fields(c.in)...)
		if got := strings.Join(permute(app, args)[1:], " "); got != c.want {
			t.Errorf("%s\n  became %s\n  want   %s", c.in, got, c.want)
		}
	}
}
