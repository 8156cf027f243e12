package capture

import (
	"fmt"
	"os/user"
	"strconv"
	"syscall"
)

// DropPrivileges makes the process run as u, with u's primary and
// supplementary groups, as tcpdump -Z does once its socket is open. Files
// created afterwards belong to u. On Linux the change applies to every
// thread of the process.
func DropPrivileges(u *user.User) error {
	uid, err := strconv.Atoi(u.Uid)
	if err != nil {
		return fmt.Errorf("drop privileges to %s: uid %q is not a number", u.Username, u.Uid)
	}
	gid, err := strconv.Atoi(u.Gid)
	if err != nil {
		return fmt.Errorf("drop privileges to %s: gid %q is not a number", u.Username, u.Gid)
	}
	groups := []int{gid}
	if ids, err := u.GroupIds(); err == nil {
		for _, id := range ids {
			if g, err := strconv.Atoi(id); err == nil && g != gid {
				groups = append(groups, g)
			}
		}
	}
	// Groups first: once the uid is not 0 they can no longer be changed.
	if err := syscall.Setgroups(groups); err != nil {
		return fmt.Errorf("drop privileges to %s: setgroups: %w", u.Username, err)
	}
	if err := syscall.Setgid(gid); err != nil {
		return fmt.Errorf("drop privileges to %s: setgid %d: %w", u.Username, gid, err)
	}
	if err := syscall.Setuid(uid); err != nil {
		return fmt.Errorf("drop privileges to %s: setuid %d: %w", u.Username, uid, err)
	}
	return nil
}
