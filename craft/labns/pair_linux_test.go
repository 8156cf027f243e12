package labns_test

import (
	"io"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/sockscope/sockscope/craft/labns"
)

// A pair's link carries TCP between A's and B's addresses, over IPv4 and
// IPv6 (usable at once: no duplicate address detection), and Close takes
// the namespaces, and the veth with them, away.
func TestPairJoinsItsNamespacesWithAVeth(t *testing.T) {
	requireRoot(t)
	p, err := labns.NewPair(prefix)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	a4, b4 := netip.MustParseAddr("10.234.0.1"), netip.MustParseAddr("10.234.0.2")
	a6, b6 := netip.MustParseAddr("fd34::1"), netip.MustParseAddr("fd34::2")
	// Named: the namespaces' names are longer than an interface's 15 bytes.
	err = p.Connect(labns.LinkConfig{LinkA: "sslabnsA", LinkB: "sslabnsB",
		AddrsA: []netip.Prefix{netip.PrefixFrom(a4, 24), netip.PrefixFrom(a6, 64)},
		AddrsB: []netip.Prefix{netip.PrefixFrom(b4, 24), netip.PrefixFrom(b6, 64)}})
	if err != nil {
		t.Fatal(err)
	}
	if p.A.Link != "sslabnsA" || p.B.Link != "sslabnsB" || p.A.Index == 0 || p.B.Index == 0 || len(p.A.MAC) != 6 || len(p.B.MAC) != 6 {
		t.Errorf("ends %+v and %+v: want them named sslabnsA and sslabnsB, each with its ifindex and MAC", p.A, p.B)
	}
	for _, to := range []netip.Addr{b4, b6} {
		var ln net.Listener
		if err := labns.InNS(p.B.Handle, func() (err error) {
			ln, err = net.Listen("tcp", netip.AddrPortFrom(to, 0).String())
			return err
		}); err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		// The kernel completes the connection before the accept, and
		// holds what A wrote until B reads it.
		err := labns.InNS(p.A.Handle, func() error {
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				return err
			}
			defer c.Close()
			_, err = c.Write([]byte("across"))
			return err
		})
		if err != nil {
			t.Fatalf("A to %s: %v", to, err)
		}
		c, err := ln.Accept()
		if err != nil {
			t.Fatal(err)
		}
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		got, err := io.ReadAll(c)
		c.Close()
		if string(got) != "across" || err != nil {
			t.Errorf("B read %q (%v) from A over %s, want %q", got, err, to, "across")
		}
	}
	names := []string{p.A.NS, p.B.NS}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	gone(t, names...)
}
