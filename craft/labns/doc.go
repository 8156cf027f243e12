// Package labns makes sockscope's labs (compare --lab, and the privileged
// tests' labs): named network namespaces, and the usual pair of them, A
// and B, joined by a veth with its addresses (Pair). A lab never takes over
// or removes a namespace it did not make, and the labs that runs which died
// (SIGKILL, a crash) left behind are removed, never a live run's.
//
// Each lab holds an exclusive flock on a lock file under Dir for as long as
// its process lives; the kernel drops the lock when the process dies, however
// it dies, so a lock that can be taken is a dead run's. The file lists what
// the lab made, each namespace with its inode, so that only those are
// removed. What a lab puts in its namespaces (the veth, addresses, nftables
// tables, queueing disciplines) goes with them. Linux only.
//
// New makes a Lab of named namespaces, NewPair the pair (Connect joins them
// with LinkConfig's veth and addresses), Reclaim removes dead runs' labs,
// and InNS and NetlinkIn work inside a namespace. Close removes what the
// lab made.
//
// It imports nothing of sockscope's; craft/compare (compare --lab) and
// capture/capturetest (every privileged test's lab) build on it, and nothing
// else does. Its tests make real namespaces, so they skip without
// CAP_SYS_ADMIN (failing instead under SOCKSCOPE_REQUIRE_PRIV=1): that a
// killed process's lab is reclaimed and a live one's never is, in another
// PID namespace too, and that a Pair's veth joins its namespaces.
package labns
