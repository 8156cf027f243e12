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
package labns
