package replay

import (
	"encoding/binary"
	"testing"
)

func TestGSOHeaderDescribesATCPSegment(t *testing.T) {
	// Ethernet, IPv4 (20 bytes), TCP with 12 bytes of options, 3000 of data.
	frame := make([]byte, 14+20+32+3000)
	binary.BigEndian.PutUint16(frame[12:], 0x0800)
	frame[14], frame[14+9] = 0x45, 6
	frame[14+20+12] = 8 << 4
	hdr, ok := gsoHeader(frame, 1500)
	if !ok {
		t.Fatal("an IPv4 TCP frame: not GSO-able")
	}
	u16 := func(i int) int { return int(binary.NativeEndian.Uint16(hdr[i:])) }
	if hdr[0] != 0 || hdr[1] != vnetGSOTCPv4 || u16(2) != 66 || u16(4) != 1500-52 || u16(6) != 34 || u16(8) != 16 {
		t.Errorf("header % x: want no flags, TCPv4, hdr_len 66, gso_size 1448, csum_start 34, csum_offset 16", hdr)
	}
	// A fragment, UDP and ARP are not TCP segments.
	frag := append([]byte(nil), frame...)
	frag[14+6] = 0x20 // more fragments
	udp := append([]byte(nil), frame...)
	udp[14+9] = 17
	arp := append([]byte(nil), frame...)
	binary.BigEndian.PutUint16(arp[12:], 0x0806)
	for name, f := range map[string][]byte{"fragment": frag, "udp": udp, "arp": arp, "short": frame[:40]} {
		if _, ok := gsoHeader(f, 1500); ok {
			t.Errorf("%s: GSO-able, want not", name)
		}
	}
}
