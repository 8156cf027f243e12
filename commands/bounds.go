package commands

import "github.com/urfave/cli/v2"

// Bounds of the numbers a user gives, checked before any work starts.
const (
	// maxSnaplen is tcpdump's largest -s.
	maxSnaplen = 262144
	// maxRingKiB is the largest -B tcpdump takes: its bytes fit in an int32.
	maxRingKiB = 1<<21 - 1
)

// positiveCount is a usage error for a count flag given as less than 1, as
// tcpdump says "invalid packet count 0": 0 never means "all" here.
func positiveCount(c *cli.Context, command, name string) error {
	if c.IsSet(name) && c.Int(name) < 1 {
		return usageErrorf("%s: %s %d: give a count of 1 or more (leave it out for all)", command, flagName(name), c.Int(name))
	}
	return nil
}
