package labns

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// Dir holds one lock file per lab, NAME.lock, locked by the lab's process.
const Dir = "/run/sockscope"

// netnsDir is where named network namespaces are bind-mounted, as
// ip-netns(8) names them.
const netnsDir = "/run/netns"

// Namespace is a network namespace a lab made.
type Namespace struct {
	// Name is its name under /run/netns, for ip netns exec.
	Name string
	// Handle is an open handle on it; the Lab closes it.
	Handle   netns.NsHandle
	dev, ino uint64
}

// Lab is a lab's reserved name and the namespaces made under it.
type Lab struct {
	// Name is the prefix given to New and eight random hexadecimal
	// digits; the namespaces are named Name and a suffix.
	Name string
	// NS are the namespaces, one per suffix given to New, in order.
	NS []Namespace
	// PID is the lab's process as /proc names it: its number outside a
	// pid namespace the process may run in (unshare --pid).
	PID    int
	lock   *os.File
	path   string // the lock file's
	mu     sync.Mutex
	closed bool
}

// ErrExist is wrapped by the error of a namespace whose name is taken:
// the lab leaves that namespace alone.
var ErrExist = fs.ErrExist

// tries is how many names New tries when one is taken.
const tries = 8

// suffix gives a name's random part: 32 bits, as 8 hexadecimal digits. A
// test replaces it to make names collide.
var suffix = func() string { return fmt.Sprintf("%08x", rand.Uint32()) }

// New makes a lab: a name of prefix and random digits, locked under Dir,
// and one network namespace per suffix, named the lab's name and the
// suffix. A namespace is made only where no namespace or file has the name
// (O_EXCL): one that exists is never taken over, nor removed by Close; New
// then gives up that name and tries another. On error it removes what it
// made.
func New(prefix string, suffixes ...string) (*Lab, error) {
	// Only root may open the locks: another user holding a dead lab's lock
	// would keep it from ever being reclaimed.
	if err := os.MkdirAll(Dir, 0o700); err != nil {
		return nil, privilege(fmt.Errorf("lab: reserve a name: %w", err))
	}
	var err error
	for range tries {
		var l *Lab
		if l, err = reserve(prefix); err != nil {
			if errors.Is(err, fs.ErrExist) {
				continue
			}
			return nil, privilege(err)
		}
		for _, s := range suffixes {
			if err = l.add(l.Name + s); err != nil {
				break
			}
		}
		if err == nil {
			return l, nil
		}
		if cerr := l.Close(); cerr != nil {
			return nil, oneLine{err, cerr}
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
	}
	return nil, fmt.Errorf("lab: no free name after %d tries: %w", tries, err)
}

// reserve takes the name prefix+suffix(): its lock file appears already
// locked (made unnamed, locked, then linked into place), so no other run
// can see it unlocked and take it for a dead run's.
func reserve(prefix string) (*Lab, error) {
	name := prefix + suffix()
	path := filepath.Join(Dir, name+".lock")
	f, err := lockedFile(path)
	if err != nil {
		return nil, fmt.Errorf("lab: reserve a name: %w", err)
	}
	l := &Lab{Name: name, PID: selfPID(), lock: f, path: path}
	if err := l.record("pid %d", l.PID); err != nil {
		os.Remove(path)
		f.Close()
		return nil, err
	}
	return l, nil
}

// lockedFile makes the file path, exclusively locked, and fails with
// fs.ErrExist when path exists.
func lockedFile(path string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Dir(path), unix.O_TMPFILE|os.O_RDWR, 0o600)
	switch {
	case err == nil:
		if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
			f.Close()
			return nil, os.NewSyscallError("flock", err)
		}
		err := unix.Linkat(unix.AT_FDCWD, fmt.Sprintf("/proc/self/fd/%d", f.Fd()), unix.AT_FDCWD, path, unix.AT_SYMLINK_FOLLOW)
		if err != nil {
			f.Close()
			return nil, &os.LinkError{Op: "link", Old: "(unnamed)", New: path, Err: err}
		}
		return f, nil
	case !errors.Is(err, unix.EOPNOTSUPP) && !errors.Is(err, unix.EISDIR) && !errors.Is(err, unix.EINVAL):
		return nil, err
	}
	// A file system without O_TMPFILE: a named temporary file, linked into
	// place (link, unlike rename, fails when the name exists).
	tmp := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
	f, err = os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp)
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
		f.Close()
		return nil, os.NewSyscallError("flock", err)
	}
	if err := os.Link(tmp, path); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// privilege adds to err, when it is a denied permission, what a lab needs.
func privilege(err error) error {
	if errors.Is(err, unix.EPERM) || errors.Is(err, unix.EACCES) {
		return fmt.Errorf("%w (needs CAP_SYS_ADMIN and CAP_NET_ADMIN: run as root)", err)
	}
	return err
}

// selfPID is this process's number as /proc tells it: outside a pid
// namespace that /proc was not mounted for, os.Getpid's number (1 after
// unshare --pid --fork) names another process.
func selfPID() int {
	if s, err := os.Readlink("/proc/self"); err == nil {
		if pid, err := strconv.Atoi(s); err == nil {
			return pid
		}
	}
	return os.Getpid()
}

// record appends one line to the lab's lock file, in one write.
func (l *Lab) record(format string, args ...any) error {
	if _, err := fmt.Fprintf(l.lock, format+"\n", args...); err != nil {
		return fmt.Errorf("lab: write %s: %w", l.path, err)
	}
	return nil
}

// add makes network namespace name. The namespace is made first, and
// recorded with its inode before it gets its name, so that a run that
// dies at any step leaves nothing a later Reclaim cannot tell is its own.
func (l *Lab) add(name string) error {
	what := "make network namespace " + name
	ns, err := unshared()
	if err != nil {
		return privilege(fmt.Errorf("lab: %s: %w", what, err))
	}
	var st unix.Stat_t
	if err := unix.Fstat(int(ns), &st); err != nil {
		ns.Close()
		return fmt.Errorf("lab: %s: %w", what, err)
	}
	n := Namespace{Name: name, Handle: ns, dev: st.Dev, ino: st.Ino}
	if err := l.record("netns %s %d %d", name, n.dev, n.ino); err != nil {
		ns.Close()
		return err
	}
	if err := netnsMountPoint(); err != nil {
		ns.Close()
		return fmt.Errorf("lab: %s: %w", what, err)
	}
	path := filepath.Join(netnsDir, name)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_RDONLY, 0o444)
	if err != nil {
		ns.Close()
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("lab: %s: a namespace of that name exists, and is not this run's: %w", what, fs.ErrExist)
		}
		return fmt.Errorf("lab: %s: %w", what, err)
	}
	// The empty file the namespace is mounted on is ours too, until then:
	// unrecorded, a run that died here would leave it for good.
	err = unix.Fstat(int(f.Fd()), &st)
	if err == nil {
		err = l.record("file %s %d %d", name, st.Dev, st.Ino)
	}
	f.Close()
	if err != nil {
		os.Remove(path)
		ns.Close()
		return fmt.Errorf("lab: %s: %w", what, err)
	}
	if err := unix.Mount(fmt.Sprintf("/proc/self/fd/%d", ns), path, "none", unix.MS_BIND, ""); err != nil {
		os.Remove(path)
		ns.Close()
		return fmt.Errorf("lab: %s: mount on %s: %w", what, path, err)
	}
	l.NS = append(l.NS, n)
	return nil
}

var netnsDirShared struct {
	once sync.Once
	err  error
}

// netnsMountPoint makes /run/netns a mount point of its own with shared
// propagation, as ip netns add does the first time it runs on a machine.
// Done before any namespace is mounted under it: were ip netns add (a test's,
// a user's) to do it while a lab's namespaces are mounted there, its mount
// over the directory would hide them, and their files could then be neither
// unmounted nor removed (EBUSY) until the machine restarts.
func netnsMountPoint() error {
	netnsDirShared.once.Do(func() {
		if err := os.MkdirAll(netnsDir, 0o755); err != nil {
			netnsDirShared.err = err
			return
		}
		share := func() error {
			return unix.Mount("", netnsDir, "none", unix.MS_SHARED|unix.MS_REC, "")
		}
		err := share()
		if errors.Is(err, unix.EINVAL) { // not a mount point yet
			if err = unix.Mount(netnsDir, netnsDir, "none", unix.MS_BIND|unix.MS_REC, ""); err == nil {
				err = share()
			}
		}
		if err != nil {
			netnsDirShared.err = fmt.Errorf("make %s a shared mount point: %w", netnsDir, err)
		}
	})
	return netnsDirShared.err
}

// unshared makes a network namespace on a thread of its own, which ends
// in it with its goroutine, so that no other goroutine ever runs in it by
// mistake, and returns a handle on it.
func unshared() (netns.NsHandle, error) {
	type made struct {
		fd  int
		err error
	}
	c := make(chan made, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends in the new namespace
		if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
			c <- made{-1, os.NewSyscallError("unshare", err)}
			return
		}
		// thread-self, not the pid: in a pid namespace with the host's
		// /proc, os.Getpid's number is another process's.
		fd, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			err = fmt.Errorf("open /proc/thread-self/ns/net: %w", err)
		}
		c <- made{fd, err}
	}()
	m := <-c
	return netns.NsHandle(m.fd), m.err
}

// Close removes the lab's namespaces (with them their links, routes and
// nftables tables), then its lock file. It is safe to call more than once,
// and concurrently.
func (l *Lab) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	var errs []error
	for i := len(l.NS) - 1; i >= 0; i-- {
		n := l.NS[i]
		n.Handle.Close()
		if _, err := removeNS(n.Name, n.dev, n.ino, 0, 0); err != nil {
			errs = append(errs, fmt.Errorf("lab: %w", err))
		}
	}
	if len(errs) == 0 {
		// Kept on error: a later run retries what failed.
		os.Remove(l.path)
	}
	l.lock.Close()
	return joinOneLine(errs)
}

// removeNS removes /run/netns/name when it is the namespace dev, ino (a
// lab's), or the empty file fdev, fino a lab made to mount it on; any other
// namespace or file of that name is left alone. It says whether it removed
// anything.
func removeNS(name string, dev, ino, fdev, fino uint64) (bool, error) {
	path := filepath.Join(netnsDir, name)
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		if errors.Is(err, unix.ENOENT) {
			return false, nil
		}
		return false, fmt.Errorf("remove namespace %s: %w", name, err)
	}
	switch {
	case st.Dev == dev && st.Ino == ino:
		if err := unix.Unmount(path, unix.MNT_DETACH); err != nil {
			return false, fmt.Errorf("remove namespace %s: %w", name, err)
		}
	case fino != 0 && st.Dev == fdev && st.Ino == fino:
	default:
		return false, nil
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("remove namespace %s: %w", name, err)
	}
	return true, nil
}

// oneLine is errors joined in one line (errors.Join puts each on its own),
// each still found by errors.Is.
type oneLine []error

func (e oneLine) Error() string {
	msgs := make([]string, len(e))
	for i, err := range e {
		msgs[i] = err.Error()
	}
	return strings.Join(msgs, "; ")
}

func (e oneLine) Unwrap() []error { return e }

// joinOneLine is errs as one error on one line, nil if there are none.
func joinOneLine(errs []error) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return oneLine(errs)
}

// Dead is a lab that a run which has ended left behind, and Reclaim
// removed, or tried to.
type Dead struct {
	Name string
	// PID is the run's process, as its /proc named it.
	PID int
	// Removed are the namespaces removed.
	Removed []string
	// Err says, in one line, what could not be removed (without the
	// privilege: everything); the lab is then left for a later run.
	Err error
}

// Reclaim removes the labs named prefix... whose process has ended: those
// whose lock it can take. A live run's lab is never touched, in whatever
// pid namespace it runs; of a dead run's, only the namespaces it recorded
// as its own (by inode) go. It returns the dead labs found, each removed
// or with the reason it could not be, and an error when it could not look
// (it goes on after one).
func Reclaim(prefix string) ([]Dead, error) {
	entries, err := os.ReadDir(Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("lab: %w", err)
	}
	var dead []Dead
	var errs []error
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".lock")
		if !ok || !strings.HasPrefix(name, prefix) {
			continue
		}
		d, err := reclaim(filepath.Join(Dir, e.Name()), name)
		if err != nil {
			errs = append(errs, err)
		}
		if d != nil {
			dead = append(dead, *d)
		}
	}
	return dead, joinOneLine(errs)
}

// reclaim removes the lab of lock file path if its process has ended, and
// returns it; nil if the lab is alive or gone already.
func reclaim(path, name string) (*Dead, error) {
	// Read only: flock takes any descriptor, and a run without the
	// privilege to remove a lab may still see that it is alive.
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
			// Gone, or another user's that a run without privilege could
			// neither judge nor remove: nothing to say.
			return nil, nil
		}
		return nil, fmt.Errorf("lab: %w", err)
	}
	defer f.Close()
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, nil // alive
		}
		return nil, fmt.Errorf("lab: lock %s: %w", path, err)
	}
	// Another run may have reclaimed it, or its owner closed it, between
	// the open and the lock: then the file locked is no longer path's.
	var held, now unix.Stat_t
	if unix.Fstat(int(f.Fd()), &held) != nil || unix.Stat(path, &now) != nil || held.Ino != now.Ino || held.Dev != now.Dev {
		return nil, nil
	}
	d := &Dead{Name: name}
	type file struct{ dev, ino uint64 }
	spaces := map[string][2]file{} // name: the namespace, and the file it is mounted on
	var order []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var what, ns string
		var dev, ino uint64
		line := sc.Text()
		if _, err := fmt.Sscanf(line, "pid %d", &d.PID); err == nil {
			continue
		}
		if _, err := fmt.Sscanf(line, "%s %s %d %d", &what, &ns, &dev, &ino); err != nil {
			continue // the last line of a run killed while writing it
		}
		s, seen := spaces[ns]
		switch what {
		case "netns":
			s[0] = file{dev, ino}
		case "file":
			s[1] = file{dev, ino}
		default:
			continue
		}
		if !seen {
			order = append(order, ns)
		}
		spaces[ns] = s
	}
	var errs []error
	for _, ns := range order {
		s := spaces[ns]
		removed, err := removeNS(ns, s[0].dev, s[0].ino, s[1].dev, s[1].ino)
		if err != nil {
			errs = append(errs, err)
		}
		if removed {
			d.Removed = append(d.Removed, ns)
		}
	}
	if len(errs) == 0 {
		// The lock file goes last: while it is there, a later run
		// retries what failed.
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		d.Err = privilege(oneLine(errs))
	}
	return d, nil
}
