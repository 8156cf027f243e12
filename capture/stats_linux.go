package capture

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// readStats adds the kernel's counts since the last read to the running
// totals and returns them. The kernel zeroes its counters on every read
// (PACKET_STATISTICS is clear-on-read), and, for TPACKET_V3, adds the drops
// into tp_packets, so that tp_packets is what tcpdump calls "received by
// filter".
func (s *Live) readStats() (LiveStats, error) {
	st, err := unix.GetsockoptTpacketStatsV3(s.fd, unix.SOL_PACKET, unix.PACKET_STATISTICS)
	if err != nil {
		return s.stats, fmt.Errorf("statistics of %s: %w", s.iface.Name, os.NewSyscallError("getsockopt PACKET_STATISTICS", err))
	}
	s.stats.Received += uint64(st.Packets)
	s.stats.Dropped += uint64(st.Drops)
	s.stats.Freezes += uint64(st.Freeze_q_cnt)
	return s.stats, nil
}
