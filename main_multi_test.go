package main

import (
	"strings"
	"testing"
)

// TestSeveralInterfacesUsage gives capture several -i: repeating -i is not
// the usage error of a one-value option given twice (it names another
// interface), but the same interface twice, any beside another, a pcap
// file of several, -L and -d of different link types are usage errors of
// one line, and none needs a privilege to see.
func TestSeveralInterfacesUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"capture", "-i", "lo", "-i", "lo", "-c", "1"}, "-i lo given twice: give each interface once"},
		{[]string{"capture", "-i", "any", "-i", "lo", "-c", "1"}, "any captures on every interface already"},
		{[]string{"capture", "-i", "lo", "-i", "any", "-c", "1"}, "any captures on every interface already"},
		{[]string{"capture", "-i", "lo", "-i", "nosuch0", "-c", "1", "udp"}, "no such interface"},
		{[]string{"capture", "-i", "lo", "-i", "nosuch0", "-w", "x.pcap"}, "write pcapng: -w x.pcapng"},
		{[]string{"capture", "-i", "lo", "-i", "nosuch0", "-L"}, "-L lists the link types of one interface"},
		{[]string{"capture", "-i", "lo", "-i", "lo", "-s", "100", "-s", "200"}, "-s given twice"},
	} {
		_, stderr, code := runFull(t, nil, tc.args...)
		if code != 2 {
			t.Errorf("%s: exit %d, want 2 (%s)", strings.Join(tc.args, " "), code, stderr)
		}
		oneLineError(t, stderr, tc.want)
	}
}
