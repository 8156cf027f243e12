package compare

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/craft"
)

// This file holds what compare's report is made of and how the reads are
// tallied against the messages; wire.go counts the packets, table.go and
// json.go print the report, run_linux.go runs the sockets that fill it.

// Kinds are the sockets compare runs, in the order of its columns,
// with the kind each belongs to.
var Kinds = []struct{ Name, Kind string }{
	{"raw", "raw"},
	{"tcp", "stream"},
	{"unix-stream", "stream"},
	{"udp", "datagram"},
	{"unix-dgram", "datagram"},
	{"unix-seqpacket", "seqpacket"},
	{"sctp", "seqpacket"},
}

// ParseKinds reads compare --kinds: kinds (raw, stream, datagram,
// seqpacket) or sockets (tcp, udp, unix-stream, unix-dgram,
// unix-seqpacket, sctp), comma separated. It returns socket names in
// column order, each once.
func ParseKinds(s string) ([]string, error) {
	want := map[string]bool{}
	for _, f := range strings.Split(s, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		if f == "" {
			continue
		}
		found := false
		for _, k := range Kinds {
			if f == k.Name || f == k.Kind || f == "all" {
				want[k.Name], found = true, true
			}
		}
		if !found {
			return nil, fmt.Errorf("unknown kind %q: give raw, stream, datagram, seqpacket or tcp, udp, unix-stream, unix-dgram, unix-seqpacket, sctp", f)
		}
	}
	if len(want) == 0 {
		return nil, fmt.Errorf("no kind given: give raw, stream, datagram or seqpacket")
	}
	var names []string
	for _, k := range Kinds {
		if want[k.Name] {
			names = append(names, k.Name)
		}
	}
	return names, nil
}

// Bounds of compare's numbers, checked before any work starts: within them
// a run's memory stays bounded (about 1 KB per message and kind, and a few
// times MaxBytes), and so does its time.
const (
	// MaxCount bounds --count, and the messages of --messages.
	MaxCount = 100000
	// MaxSize bounds --size: one UDP datagram over IPv4 holds
	// 65507 bytes.
	MaxSize = 65000
	// MaxBytes bounds the bytes of all the messages (--count times
	// --size).
	MaxBytes = 16 << 20
	// MaxDelay bounds --read-delay and --delay.
	MaxDelay = time.Minute
)

// Messages are the messages of compare --count N --size S: N
// messages of S bytes, the first all "A", the next all "B", and so on. The
// messages of one letter share their bytes: N messages take 26 times S
// bytes, not N times.
func Messages(count, size int) [][]byte {
	var letters [26][]byte
	msgs := make([][]byte, count)
	for i := range msgs {
		c := i % 26
		if letters[c] == nil {
			letters[c] = bytes.Repeat([]byte{byte('A' + c)}, size)
		}
		msgs[i] = letters[c]
	}
	return msgs
}

// Config says what compare sends and how.
type Config struct {
	// Messages are written one per write (send) call.
	Messages [][]byte
	// Kinds are the socket names to run (ParseKinds).
	Kinds []string
	// Raw builds the raw kind's packets: each message under its headers.
	Raw *craft.Builder
	// ReadDelay is how long the receiver waits after the sender has
	// finished before it reads, so that a stream's writes can merge.
	ReadDelay time.Duration
	// NoDelay sets TCP_NODELAY on the TCP sender.
	NoDelay bool
	// NoWire skips the capture on lo.
	NoWire bool
	// IP6 runs the IP kinds over IPv6 (::1, or the lab's fd33::1 and
	// fd33::2); Raw must then start with ip6(...).
	IP6 bool
	// texts are the messages as strings, each distinct one once, for the
	// reads that are whole messages to share (runOn fills it).
	texts map[string]string
	// FirstFrameOnly keeps, of each kind's captured packets, only the
	// first data packet (the one the table shows) in its Frames, so that
	// the report holds no kind's whole capture; the diagram and -w need
	// them all.
	FirstFrameOnly bool
}

// Report is what compare found, one entry per kind that ran.
type Report struct {
	Messages []string     `json:"messages"`
	Link     string       `json:"link"`
	Kinds    []KindReport `json:"kinds"`
	// Skipped are the kinds that could not run, each with the reason.
	Skipped []Skipped `json:"skipped"`
	// Notes are one-line remarks for the user (the wire not recorded...).
	Notes []string `json:"notes"`
}

// Skipped is a kind that did not run, and why.
type Skipped struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// KindReport is one socket's run: what the sender wrote, what the receiver
// read, and what went on the wire between them.
type KindReport struct {
	Kind     string `json:"kind"`     // raw, stream, datagram, seqpacket
	Name     string `json:"name"`     // raw, tcp, unix-stream, ...
	Protocol string `json:"protocol"` // ip, tcp, udp, unix
	Family   string `json:"family"`   // inet, inet6 or unix
	Sender   string `json:"sender"`
	Receiver string `json:"receiver"`
	Writes   []Op   `json:"writes"`
	Reads    []Op   `json:"reads"`
	// BoundariesKept is whether each read returned exactly one message.
	BoundariesKept bool `json:"boundaries_kept"`
	// DeliveredBytes counts the message bytes read (for raw, the payload
	// after the IP header).
	DeliveredBytes int  `json:"delivered_bytes"`
	InOrder        bool `json:"in_order"`
	Lost           int  `json:"lost"`
	// Wire is nil for AF_UNIX, which never reaches a device, and when
	// the capture could not run.
	Wire      *Wire `json:"wire"`
	ElapsedUS int64 `json:"elapsed_us"`
	// Note is a remark on the run (the receiver began reading early).
	Note string `json:"note,omitempty"`
	// Frames are the captured packets (lo's Ethernet framing).
	Frames []Frame `json:"-"`
}

// Op is one write or read: its size, and for reads the message bytes.
type Op struct {
	Bytes int `json:"bytes"`
	// HeaderBytes, for the raw kind, is the IP header written or read
	// with the message; Header is it in hex.
	HeaderBytes int    `json:"header_bytes,omitempty"`
	Header      string `json:"header,omitempty"`
	Data        string `json:"data,omitempty"`
	// At is when the call returned (for the diagram).
	At time.Time `json:"-"`
}

// Frame is a captured packet.
type Frame struct {
	Data []byte
	CI   gopacket.CaptureInfo
}

// tally fills in what the reads say against the messages: boundaries,
// delivered bytes, order and loss. A kind keeps boundaries when every read
// is one whole message; then the reads are matched to the messages in
// turn, and the messages no read matched are lost. Otherwise the reads are
// a byte stream, in order when it is the start of the messages' bytes. It
// takes time about linear in the messages and reads, and no copy of them.
func (k *KindReport) tally(msgs [][]byte, reads [][]byte) {
	if len(reads) == 0 && k.Kind != "stream" {
		// Nothing came: no boundary was merged, every message is lost.
		k.BoundariesKept, k.InOrder, k.Lost = true, true, len(msgs)
		return
	}
	// Each distinct message, and where it comes in msgs (ascending).
	slot := map[string]int{}
	var at [][]int
	for i, m := range msgs {
		j, ok := slot[string(m)]
		if !ok {
			j = len(at)
			slot[string(m)] = j
			at = append(at, nil)
		}
		at[j] = append(at[j], i)
	}
	k.BoundariesKept = len(reads) > 0
	for _, r := range reads {
		k.DeliveredBytes += len(r)
		if _, whole := slot[string(r)]; !whole {
			k.BoundariesKept = false
		}
	}
	if k.BoundariesKept {
		k.InOrder = true
		next, matched := 0, 0
		for _, r := range reads {
			// The first message like r not before next.
			pos := at[slot[string(r)]]
			j, _ := slices.BinarySearch(pos, next)
			if j == len(pos) {
				k.InOrder = false // an earlier message, after a later one
				continue
			}
			matched++
			next = pos[j] + 1
		}
		k.Lost = len(msgs) - matched
		return
	}
	k.InOrder = startsJoined(msgs, reads)
	k.Lost = 0
	off := 0
	for _, m := range msgs {
		off += len(m)
		if off > k.DeliveredBytes {
			k.Lost++
		}
	}
}

// startsJoined says whether the bytes of reads, one after the other, are
// the start of the bytes of msgs, one after the other, without joining
// either.
func startsJoined(msgs, reads [][]byte) bool {
	mi, mo := 0, 0 // the message, and the offset in it, r is compared with
	for _, r := range reads {
		for len(r) > 0 {
			for mi < len(msgs) && mo == len(msgs[mi]) {
				mi, mo = mi+1, 0
			}
			if mi == len(msgs) {
				return false
			}
			n := min(len(r), len(msgs[mi])-mo)
			if !bytes.Equal(r[:n], msgs[mi][mo:mo+n]) {
				return false
			}
			r, mo = r[n:], mo+n
		}
	}
	return true
}

// keepFirstFrame lets go of k's captured packets but the first data
// packet, in a slice of its own (a shorter slice of the same array would
// keep them all).
func (k *KindReport) keepFirstFrame() {
	if k.Wire == nil || k.Wire.First < 0 {
		k.Frames = nil
		return
	}
	k.Frames = []Frame{k.Frames[k.Wire.First]}
	k.Wire.First = 0
}

// readData is a read's data for the report: the bytes themselves when they
// are UTF-8 text (so that a JSON reader gets back what was written), else
// with every byte outside printable ASCII as ".".
func readData(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return printable(b)
}

// readData is the package's readData, sharing the string of a read that
// is a whole message with the report's messages: --count's 100000 reads
// of one kind hold 26 strings, not 100000 copies.
func (cfg *Config) readData(b []byte) string {
	if s, ok := cfg.texts[string(b)]; ok && utf8.ValidString(s) {
		return s
	}
	return readData(b)
}
