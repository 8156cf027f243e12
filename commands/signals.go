package commands

import (
	"os"
	"syscall"
)

// stopSignals end a command cleanly, as Ctrl-C does: its file complete, its
// counts and tables written, a lab it made removed. SIGHUP is among them:
// the terminal of a capture left running closed (an ssh session dropped),
// which tcpdump was seen to take as the end of its capture too.
var stopSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP}
