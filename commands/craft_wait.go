package commands

import (
	"errors"
	"time"

	"github.com/urfave/cli/v2"
)

// replyWaiter listens for the replies to the probes craft sends (--wait):
// it prints each reply that answers a probe as decode's one-line output
// followed by "rtt X.XXX ms", and at the end a summary in ping's words.
type replyWaiter interface {
	// Sent records a probe as it went out: from the Ethernet header when
	// the send is at layer 2, else from the IP header.
	Sent(pkt []byte, at time.Time)
	// Finish waits up to wait after the last probe for replies still due,
	// then prints the summary.
	Finish(wait time.Duration) error
	// Close releases the listening socket.
	Close() error
}

// newReplyWaiter opens the listener before the first probe is sent. l2 is
// whether probes go out of an AF_PACKET socket on iface (else a raw IP
// socket; iface may still be set with -i); ip6 whether they are IPv6.
func newReplyWaiter(c *cli.Context, l2 bool, iface string, ip6 bool) (replyWaiter, error) {
	return nil, errors.New("craft: --wait is not implemented yet")
}

// runListen is craft --listen PROTO: print what a raw IP socket for PROTO
// receives (--ip6: a raw IPv6 socket), header included, in decode's
// formats, until interrupted or -c packets.
func runListen(c *cli.Context, proto string) error {
	return usageErrorf("craft: --listen is not implemented yet")
}
