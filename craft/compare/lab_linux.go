package compare

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/google/nftables"
	"github.com/google/nftables/expr"
	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"

	"github.com/sockscope/sockscope/craft/labns"
)

// Lab is compare --lab's world: two network namespaces, A for the
// senders and B for the receivers, joined by a veth pair, so that the IP
// kinds cross a real Ethernet link with ARP. Close removes both, and the
// veth and any nftables table with them.
type Lab struct {
	// NsA and NsB are the namespaces' names under /run/netns, set by
	// Build: LabPrefix, eight random hexadecimal digits, and "a" or "b".
	// Each namespace's end of the veth has the same name.
	NsA, NsB string
	// Impair is what the link does to the packets crossing it.
	Impair   Impairment
	a, b     netns.NsHandle
	ipA, ipB net.IP
	// ipA6 and ipB6 are the IPv6 addresses (compare --ip6), without
	// duplicate address detection, so that they are usable at once.
	ipA6, ipB6 net.IP
	mu         sync.Mutex
	closed     bool
	pair       *labns.Pair
}

// LabPrefix starts the names of compare --lab's namespaces (and its lock
// files under labns.Dir).
const LabPrefix = "sscmp"

// The lab's addresses: a /24 of RFC 1918 space that exists only inside
// the lab's namespaces.
var (
	labIPA = net.IP(LabAddrA.AsSlice())
	labIPB = net.IP(LabAddrB.AsSlice())
	// ULA addresses (RFC 4193) for --ip6.
	labIP6A = net.IP(LabAddr6A.AsSlice())
	labIP6B = net.IP(LabAddr6B.AsSlice())
)

// LabRawSpec6 is LabRawSpec over IPv6 (compare --lab --ip6).
const LabRawSpec6 = "ip6(src=fd33::1,dst=fd33::2,nh=253)"

// LabRawSpec is the raw kind's header in the lab: from A's address to
// B's, with the experimental protocol 253 (RFC 3692).
const LabRawSpec = "ip(src=10.233.0.1,dst=10.233.0.2,proto=253)"

// labRunTimeout bounds one kind's run in the lab: with loss, TCP's
// retransmission timer backs off, and a run of 200 messages at 30% loss
// takes seconds, not minutes.
const labRunTimeout = 2 * time.Minute

// NewLab prepares a lab; nothing exists, and it has no name, until
// Build. Close may be called at any time, also from a signal handler while
// Build runs.
func NewLab(impair Impairment) *Lab {
	return &Lab{Impair: impair, a: netns.None(), b: netns.None(), ipA: labIPA, ipB: labIPB, ipA6: labIP6A, ipB6: labIP6B}
}

// ReclaimLabs removes the labs that compare --lab runs which have
// ended (SIGKILL, a crash) left behind, and says so, one line per lab (or
// why it could not); a live run's lab is never touched.
func ReclaimLabs() ([]string, error) {
	dead, err := labns.Reclaim(LabPrefix)
	var lines []string
	for _, d := range dead {
		if d.Err != nil {
			lines = append(lines, fmt.Sprintf("could not remove lab %s left by a run that ended (pid %d): %v", d.Name, d.PID, d.Err))
			continue
		}
		lines = append(lines, fmt.Sprintf("removed lab %s left by a run that ended (pid %d)", d.Name, d.PID))
	}
	return lines, err
}

// Link is the veth end in B, where compare captures.
func (l *Lab) Link() string { return l.NsB }

// Build makes the namespaces, the veth between them with its addresses,
// and the loss rules, and waits until the link carries packets. On error
// it removes what it made.
func (l *Lab) Build() error {
	if err := l.build(); err != nil {
		l.Close()
		return err
	}
	return nil
}

func (l *Lab) build() error {
	p, err := l.makeNamespaces()
	if err != nil {
		return err
	}
	err = p.Connect(labns.LinkConfig{
		AddrsA: []netip.Prefix{netip.PrefixFrom(LabAddrA, 24), netip.PrefixFrom(LabAddr6A, 64)},
		AddrsB: []netip.Prefix{netip.PrefixFrom(LabAddrB, 24), netip.PrefixFrom(LabAddr6B, 64)},
	})
	if err != nil {
		return err
	}
	if l.Impair.LossPct > 0 {
		for _, e := range []labns.End{p.A, p.B} {
			if err := addLossRule(e.Handle, l.Impair.LossPct); err != nil {
				return fmt.Errorf("lab: nftables loss rule in %s: %w (the kernel needs nf_tables: modprobe nf_tables)", e.NS, err)
			}
		}
	}
	if l.Impair.netem() {
		for _, e := range []labns.End{p.A, p.B} {
			if err := addNetem(e, l.Impair); err != nil {
				return err
			}
		}
	}
	return nil
}

// addNetem makes netem the root queueing discipline of e's veth end,
// delaying (and reordering) what leaves it, so each direction is impaired
// once. Reordering is netem's: the packets it picks skip the delay and
// overtake those waiting.
func addNetem(e labns.End, impair Impairment) error {
	h, err := labns.NetlinkIn(e.Handle)
	if err != nil {
		return fmt.Errorf("lab: netlink in %s: %w", e.NS, err)
	}
	defer h.Close()
	q := netlink.NewNetem(netlink.QdiscAttrs{LinkIndex: e.Index, Handle: netlink.MakeHandle(1, 0), Parent: netlink.HANDLE_ROOT},
		netlink.NetemQdiscAttrs{Latency: uint32(impair.delay().Microseconds()), ReorderProb: float32(impair.ReorderPct)})
	if err := h.QdiscAdd(q); err != nil {
		if errors.Is(err, unix.ENOENT) || errors.Is(err, unix.EOPNOTSUPP) || errors.Is(err, unix.EINVAL) {
			return ErrNoNetem
		}
		return fmt.Errorf("lab: netem on %s: %w", e.Link, err)
	}
	return nil
}

// addLossRule adds, in namespace ns, a table "sockscope" with an input
// chain that drops pct percent of the packets arriving: the sender's write
// succeeds and the packet crosses the veth (a capture sees it), as on a
// real lossy link, and the receiving host never gets it. ARP is not an
// inet packet, so neighbours still resolve.
func addLossRule(ns netns.NsHandle, pct int) error {
	// Made in ns, as labns.NetlinkIn's handle is: nftables' own way in
	// (WithNetNSFd) finds its way back by the thread's id under /proc/self,
	// which names another thread in a pid namespace (unshare --pid).
	return labns.InNS(ns, func() error { return lossRule(pct) })
}

// lossRule adds addLossRule's table in the calling thread's namespace.
func lossRule(pct int) error {
	c, err := nftables.New()
	if err != nil {
		return err
	}
	defer c.CloseLasting()
	t := c.AddTable(&nftables.Table{Family: nftables.TableFamilyINet, Name: "sockscope"})
	ch := c.AddChain(&nftables.Chain{Name: "loss", Table: t, Type: nftables.ChainTypeFilter,
		Hooknum: nftables.ChainHookInput, Priority: nftables.ChainPriorityFilter})
	limit := make([]byte, 4)
	binary.BigEndian.PutUint32(limit, uint32(pct))
	c.AddRule(&nftables.Rule{Table: t, Chain: ch, Exprs: []expr.Any{
		// numgen random mod 100 < pct drop. numgen writes its number in
		// host order and cmp compares bytes, so turn it big-endian first,
		// as nft(8) does.
		&expr.Numgen{Register: 1, Modulus: 100, Type: unix.NFT_NG_RANDOM},
		&expr.Byteorder{SourceRegister: 1, DestRegister: 1, Op: expr.ByteorderHton, Len: 4, Size: 4},
		&expr.Cmp{Op: expr.CmpOpLt, Register: 1, Data: limit},
		&expr.Verdict{Kind: expr.VerdictDrop},
	}})
	return c.Flush()
}

// makeNamespaces makes the lab's two namespaces, under names no other
// namespace has (labns), unless Close came first.
func (l *Lab) makeNamespaces() (*labns.Pair, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil, errors.New("lab: removed before it was built")
	}
	p, err := labns.NewPair(LabPrefix)
	if err != nil {
		return nil, err
	}
	l.pair = p
	l.NsA, l.NsB = p.A.NS, p.B.NS
	l.a, l.b = p.A.Handle, p.B.Handle
	return p, nil
}

// Close removes the lab's namespaces, and with them the veth and the
// nftables tables: only those Build made. It is safe to call more than
// once, and concurrently.
func (l *Lab) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true // Build, if it has not made the namespaces yet, will not
	if l.pair == nil {
		return nil
	}
	return l.pair.Close() // once: labns.Lab.Close does nothing the second time
}

// net is where the lab runs the IP kinds.
func (l *Lab) net() *network {
	return &network{
		link:       l.Link(),
		lab:        true,
		sender:     l.ipA,
		receiver:   l.ipB,
		sender6:    l.ipA6,
		receiver6:  l.ipB6,
		inSender:   func(f func() error) error { return labns.InNS(l.a, f) },
		inReceiver: func(f func() error) error { return labns.InNS(l.b, f) },
		capture:    "arp or ",
		timeout:    labRunTimeout,
		quiet:      time.Second,
	}
}
