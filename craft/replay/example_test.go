package replay_test

import (
	"context"
	"fmt"
	"io"
	"log"

	"github.com/sockscope/sockscope/craft/replay"
)

// A test that loads a device under test with recorded traffic replays the
// capture onto the link to it and checks the summary: here, ten times as
// fast as recorded, only the DNS packets.
func ExampleFile() {
	opt := replay.Options{
		Speed:  10,
		Filter: "udp port 53",
		DryRun: io.Discard, // count only; to send (needs CAP_NET_RAW):
		// Interface: "veth-dut", the link to the device under test, and no DryRun.
	}
	sum, err := replay.File(context.Background(), "../../testdata/dns.pcap", opt)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d packets, %d bytes, %d failed\n", sum.Packets, sum.Bytes, sum.Failed)
	// Output:
	// 46 packets, 6428 bytes, 0 failed
}
