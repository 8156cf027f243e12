package compare

import (
	"fmt"
	"net/netip"

	"github.com/sockscope/sockscope/craft/spec"
)

// The lab's addresses (RFC 1918 and RFC 4193 space that exists only inside
// its namespaces): A sends, B receives.
var (
	LabAddrA  = netip.MustParseAddr("10.233.0.1")
	LabAddrB  = netip.MustParseAddr("10.233.0.2")
	LabAddr6A = netip.MustParseAddr("fd33::1")
	LabAddr6B = netip.MustParseAddr("fd33::2")
)

// CheckRawSpec makes s fit compare's raw kind, which sends only to itself:
// an IPv4 header (IPv6 with ip6), to a loopback address or, in the lab, to
// B's; a lab header without a source gets A's (the host's own address
// would otherwise be looked up, outside the lab). The error says what to
// write instead.
func CheckRawSpec(s *spec.Spec, ip6, lab bool) error {
	if len(s.Layers) == 0 || (s.Layers[0].Kind != spec.IPv4 && s.Layers[0].Kind != spec.IPv6) {
		return fmt.Errorf("the raw kind's spec starts with its IP header: ip(...), or ip6(...) with --ip6")
	}
	ip := s.Layers[0]
	if got6 := ip.Kind == spec.IPv6; got6 != ip6 {
		if got6 {
			return fmt.Errorf("an ip6(...) header needs --ip6, which runs the IP kinds over IPv6")
		}
		return fmt.Errorf("with --ip6 the raw kind's header is ip6(...), not ip(...)")
	}
	src, dst := LabAddrA, LabAddrB
	if ip6 {
		src, dst = LabAddr6A, LabAddr6B
	}
	d, ok := ip.Fields["dst"]
	switch {
	case lab && (!ok || d.Addr != dst):
		return fmt.Errorf("in the lab the raw kind sends to B: write dst=%s", dst)
	case !lab && !ok:
		return fmt.Errorf("the raw kind sends to loopback: write dst=127.0.0.1 (dst=::1 with --ip6)")
	case !lab && !d.Addr.IsLoopback():
		return fmt.Errorf("dst=%s: compare sends only to itself, on loopback (127.0.0.1, ::1) or with --lab to %s; craft sends elsewhere", d.Addr, dst)
	}
	// Answers (a TCP reset, an ICMP error) go to the source: it must be
	// this machine's too.
	if v, ok := ip.Fields["src"]; ok {
		switch {
		case lab && v.Addr != src:
			return fmt.Errorf("src=%s: in the lab the raw kind sends from A: write src=%s, or leave src out", v.Addr, src)
		case !lab && !v.Addr.IsLoopback():
			return fmt.Errorf("src=%s: answers would go to it, off this machine; give a loopback source, or leave src out", v.Addr)
		}
	}
	if lab && !ip.Has("src") {
		ip.Fields["src"] = spec.Value{Addr: src}
	}
	return nil
}
