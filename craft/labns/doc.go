// Package labns makes the named network namespaces of sockscope's labs
// (compare --lab, and the privileged tests' labs) so that a lab never takes
// over or removes a namespace it did not make, and removes the labs that
// runs which died (SIGKILL, a crash) left behind, never a live run's.
//
// Each lab holds an exclusive flock on a lock file under Dir for as long as
// its process lives; the kernel drops the lock when the process dies, however
// it dies, so a lock that can be taken is a dead run's. The file lists what
// the lab made, each namespace with its inode, so that only those are
// removed. Linux only.
package labns
