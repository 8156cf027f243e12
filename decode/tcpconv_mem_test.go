package decode

import (
	"encoding/binary"
	"runtime"
	"testing"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// tcpHandshakeData is the Ethernet frames of one short connection from
// 10.(i>>16).(i>>8).i, port 1024+i%50000, to 10.255.0.1:80: SYN, SYN-ACK,
// 100 bytes of data, their ACK.
func tcpHandshakeData(i int) [4][]byte {
	frame := func(fromClient bool, flags byte, seq, ack uint32, n int) []byte {
		b := make([]byte, 14+20+20+n)
		binary.BigEndian.PutUint16(b[12:], 0x0800)
		ip := b[14:]
		ip[0], ip[8], ip[9] = 0x45, 64, 6
		binary.BigEndian.PutUint16(ip[2:], uint16(40+n))
		c := []byte{10, byte(i >> 16), byte(i >> 8), byte(i)}
		s := []byte{10, 255, 0, 1}
		cp, sp := uint16(1024+i%50000), uint16(80)
		if !fromClient {
			c, s, cp, sp = s, c, sp, cp
		}
		copy(ip[12:], c)
		copy(ip[16:], s)
		tcp := ip[20:]
		binary.BigEndian.PutUint16(tcp[0:], cp)
		binary.BigEndian.PutUint16(tcp[2:], sp)
		binary.BigEndian.PutUint32(tcp[4:], seq)
		binary.BigEndian.PutUint32(tcp[8:], ack)
		tcp[12], tcp[13] = 5<<4, flags
		binary.BigEndian.PutUint16(tcp[14:], 65535)
		return b
	}
	return [4][]byte{
		frame(true, 0x02, 1000, 0, 0),
		frame(false, 0x12, 5000, 1001, 0),
		frame(true, 0x18, 1001, 5001, 100),
		frame(false, 0x10, 5001, 1101, 0),
	}
}

// tcpTableBytes is the heap a Tree holds after reading n connections of
// tcpHandshakeData, per connection.
func tcpTableBytes(n int) float64 {
	var tr Tree
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	ts := time.Unix(1700000000, 0)
	for i := 0; i < n; i++ {
		for k, f := range tcpHandshakeData(i) {
			ci := gopacket.CaptureInfo{Timestamp: ts.Add(time.Duration(4*i+k) * time.Microsecond), CaptureLength: len(f), Length: len(f)}
			tr.Dissect(f, ci, wire.LinkEthernet, 4*i+k+1)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(&tr)
	return float64(after.HeapAlloc-before.HeapAlloc) / float64(n)
}

// TestTCPConversationTableIsSmall: 65,536 conversations (the table's
// bound), each with a segment awaiting acknowledgment once, take less
// than 1 KiB each: the analysis keeps its segments in an array that grows
// with the flow, not a fixed one of 32 (2 KiB a conversation before).
func TestTCPConversationTableIsSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("a quarter of a million packets")
	}
	per := tcpTableBytes(tcpConvMax)
	t.Logf("%.0f bytes per conversation, %.1f MiB for %d", per, per*tcpConvMax/(1<<20), tcpConvMax)
	if per > 1024 {
		t.Errorf("%.0f bytes per conversation", per)
	}
}
