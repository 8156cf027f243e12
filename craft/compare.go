package craft

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/gopacket"

	"github.com/rivo/uniseg"

	"github.com/sockscope/sockscope/decode"
	"github.com/sockscope/sockscope/decode/wire"
)

// This file holds what compare's report is made of and how it is counted
// and printed; compare_linux.go runs the sockets that fill it.

// CompareKinds are the sockets compare runs, in the order of its columns,
// with the kind each belongs to.
var CompareKinds = []struct{ Name, Kind string }{
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
		for _, k := range CompareKinds {
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
	for _, k := range CompareKinds {
		if want[k.Name] {
			names = append(names, k.Name)
		}
	}
	return names, nil
}

// Bounds of compare's numbers, checked before any work starts: within them
// a run's memory stays bounded (about 1 KB per message and kind, and a few
// times CompareMaxBytes), and so does its time.
const (
	// CompareMaxCount bounds --count, and the messages of --messages.
	CompareMaxCount = 100000
	// CompareMaxSize bounds --size: one UDP datagram over IPv4 holds
	// 65507 bytes.
	CompareMaxSize = 65000
	// CompareMaxBytes bounds the bytes of all the messages (--count times
	// --size).
	CompareMaxBytes = 16 << 20
	// CompareMaxDelay bounds --read-delay and --delay.
	CompareMaxDelay = time.Minute
)

// CompareMessages are the messages of compare --count N --size S: N
// messages of S bytes, the first all "A", the next all "B", and so on. The
// messages of one letter share their bytes: N messages take 26 times S
// bytes, not N times.
func CompareMessages(count, size int) [][]byte {
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

// CompareConfig says what compare sends and how.
type CompareConfig struct {
	// Messages are written one per write (send) call.
	Messages [][]byte
	// Kinds are the socket names to run (ParseKinds).
	Kinds []string
	// Raw builds the raw kind's packets: each message under its headers.
	Raw *Builder
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
	// reads that are whole messages to share (compareOn fills it).
	texts map[string]string
	// FirstFrameOnly keeps, of each kind's captured packets, only the
	// first data packet (the one the table shows) in its Frames, so that
	// the report holds no kind's whole capture; the diagram and -w need
	// them all.
	FirstFrameOnly bool
}

// CompareReport is what compare found, one entry per kind that ran.
type CompareReport struct {
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

// Wire counts what a capture saw of one kind's traffic.
type Wire struct {
	Packets      int `json:"packets"`
	Bytes        int `json:"bytes"`
	HeaderBytes  int `json:"header_bytes"`
	PayloadBytes int `json:"payload_bytes"`
	// UserHeaderBytes are the header bytes the application wrote (the
	// raw kind's IP headers); KernelHeaderBytes the rest (link, and the
	// IP and transport headers of ordinary sockets).
	UserHeaderBytes   int     `json:"user_header_bytes"`
	KernelHeaderBytes int     `json:"kernel_header_bytes"`
	OverheadPct       float64 `json:"overhead_pct"`
	Setup             int     `json:"setup"`
	Teardown          int     `json:"teardown"`
	Acks              int     `json:"acks"`
	Retransmissions   int     `json:"retransmissions"`
	// First is the index in the frames of the first packet carrying
	// data, -1 when none did.
	First int `json:"-"`
}

// TCP flags (RFC 9293 section 3.1).
const (
	tcpFIN = 0x01
	tcpSYN = 0x02
	tcpRST = 0x04
	tcpACK = 0x10
)

// linkLen is the length of the link header of a captured frame.
func linkLen(link wire.LinkType) int {
	switch link {
	case wire.LinkEthernet:
		return 14
	case wire.LinkNull, wire.LinkLoop:
		return 4
	case wire.LinkLinuxSLL:
		return 16
	case wire.LinkLinuxSLL2:
		return 20
	}
	return 0
}

// ipOf finds the IP packet after ll bytes of link header in d: IPv4, or
// IPv6 (its fixed 40-byte header; the next header is the transport). It
// gives the packet, its header's length, its total length, the protocol
// and the source and destination addresses; ip is nil when d holds no IP
// packet.
func ipOf(d []byte, ll int) (ip []byte, ihl, total int, proto byte, addrs []byte) {
	if len(d) < ll+20 {
		return nil, 0, 0, 0, nil
	}
	ip = d[ll:]
	switch ip[0] >> 4 {
	case 4:
		ihl = int(ip[0]&0x0f) * 4
		total = int(binary.BigEndian.Uint16(ip[2:4]))
		if ihl < 20 || ihl > len(ip) {
			return nil, 0, 0, 0, nil
		}
		if total > len(ip) || total < ihl {
			total = len(ip)
		}
		return ip, ihl, total, ip[9], ip[12:20]
	case 6:
		if len(ip) < 40 {
			return nil, 0, 0, 0, nil
		}
		ihl = 40
		total = 40 + int(binary.BigEndian.Uint16(ip[4:6]))
		if total > len(ip) {
			total = len(ip)
		}
		return ip, ihl, total, ip[6], ip[8:40]
	}
	return nil, 0, 0, 0, nil
}

// WireOf counts frames of one kind's traffic captured with link framing,
// IPv4 or IPv6 inside. userIP says the IP headers were written by the application
// (a raw socket with IP_HDRINCL).
//
// Of TCP, setup counts the SYN, the SYN-ACK and the ACK that completes the
// handshake; teardown the FIN and RST segments and the pure ACKs after the
// first FIN; acks the other pure ACKs; retransmissions the data segments
// whose sequence range starts below the highest end already seen in their
// direction, and the SYN and FIN segments sent again (same direction and
// sequence number), as tshark counts them. Of SCTP, see sctpOf.
func WireOf(frames []Frame, link wire.LinkType, userIP bool) *Wire {
	w := &Wire{First: -1}
	ll := linkLen(link)
	type end struct {
		seq  uint32
		seen bool
	}
	ends := map[string]*end{}
	synAck := false
	handshake := false
	fin := false
	control := map[string]bool{} // SYN and FIN segments seen, by direction and seq
	tsns := map[string]uint32{}  // SCTP: the highest TSN seen, by direction
	for i, f := range frames {
		d := f.Data
		w.Packets++
		size := f.CI.Length
		if size == 0 {
			size = len(d)
		}
		w.Bytes += size
		ip, ihl, total, proto, addrs := ipOf(d, ll)
		if ip == nil {
			w.HeaderBytes += size
			w.KernelHeaderBytes += size
			continue
		}
		hdr := ll + ihl
		payload := total - ihl
		switch proto {
		case 6:
			if total < ihl+20 {
				break
			}
			t := ip[ihl:total]
			doff := int(t[12]>>4) * 4
			hdr += doff
			payload = max(total-ihl-doff, 0)
			flags := t[13]
			seq := binary.BigEndian.Uint32(t[4:8])
			key := string(addrs) + string(t[0:4])
			again := false // counted as a retransmission already
			if flags&(tcpSYN|tcpFIN) != 0 {
				ck := key + string([]byte{flags & (tcpSYN | tcpFIN)}) + string(t[4:8])
				if control[ck] {
					w.Retransmissions++
					again = true
				}
				control[ck] = true
			}
			switch {
			case flags&tcpSYN != 0:
				w.Setup++
				if flags&tcpACK != 0 {
					synAck = true
				}
			case flags&(tcpFIN|tcpRST) != 0:
				w.Teardown++
				fin = true
			case payload == 0 && fin:
				w.Teardown++
			case payload == 0 && synAck && !handshake:
				w.Setup++
				handshake = true
			case payload == 0:
				w.Acks++
			}
			if payload > 0 {
				e := ends[key]
				if e == nil {
					e = &end{}
					ends[key] = e
				}
				if e.seen && int32(seq-e.seq) < 0 && !again {
					w.Retransmissions++
				}
				if stop := seq + uint32(payload); !e.seen || int32(stop-e.seq) > 0 {
					e.seq, e.seen = stop, true
				}
				handshake = true
			}
		case 58:
			// ICMPv6 (the lab's neighbour discovery) is the link's
			// control traffic, all header, as ARP is.
			payload = 0
		case 17:
			if total >= ihl+8 {
				hdr += 8
				payload = total - ihl - 8
			}
		case 132:
			payload = sctpOf(w, ip[ihl:min(total, len(ip))], string(addrs), tsns)
		}
		w.HeaderBytes += size - payload
		if userIP && proto != 58 {
			w.UserHeaderBytes += ihl
			w.KernelHeaderBytes += size - payload - ihl
		} else {
			w.KernelHeaderBytes += size - payload
		}
		w.PayloadBytes += payload
		if payload > 0 && w.First < 0 {
			w.First = i
		}
	}
	if w.Bytes > 0 {
		w.OverheadPct = float64(int(float64(w.HeaderBytes)*1000/float64(w.Bytes)+0.5)) / 10
	}
	return w
}

// SCTP chunk types (RFC 9260 section 3.2; I-DATA: RFC 8260).
const (
	sctpData             = 0
	sctpInit             = 1
	sctpInitAck          = 2
	sctpSack             = 3
	sctpAbort            = 6
	sctpShutdown         = 7
	sctpShutdownAck      = 8
	sctpCookieEcho       = 10
	sctpCookieAck        = 11
	sctpShutdownComplete = 14
	sctpIData            = 64
)

// sctpChunks yields the chunks of an SCTP packet after its 12-byte common
// header: each one's type and bytes (as long as its length field says,
// padding left out), up to the first whose length cannot be.
func sctpChunks(b []byte) iter.Seq2[byte, []byte] {
	return func(yield func(byte, []byte) bool) {
		for len(b) >= 4 {
			n := int(binary.BigEndian.Uint16(b[2:4]))
			if n < 4 || n > len(b) || !yield(b[0], b[:n]) {
				return
			}
			b = b[min(len(b), (n+3)&^3):]
		}
	}
}

// sctpDataHead is the header length of a DATA (16) or I-DATA (20) chunk,
// before its user data.
func sctpDataHead(typ byte) int {
	if typ == sctpIData {
		return 20
	}
	return 16
}

// sctpOf counts one SCTP packet (l4: its common header and chunks) into w
// and returns its payload: the user data of its DATA chunks. A packet with
// INIT, INIT ACK, COOKIE ECHO or COOKIE ACK is setup (the four-way
// handshake), one with SHUTDOWN, SHUTDOWN ACK, SHUTDOWN COMPLETE or ABORT
// teardown, one of SACKs only an ack; a DATA chunk whose TSN is not above
// the highest seen in its direction is a retransmission, as tshark's TSN
// analysis counts them. dir names the direction (the IP addresses).
func sctpOf(w *Wire, l4 []byte, dir string, tsns map[string]uint32) (payload int) {
	if len(l4) < 12 {
		return 0
	}
	dir += string(l4[0:4])
	setup, teardown, sacks, others := false, false, 0, 0
	for typ, c := range sctpChunks(l4[12:]) {
		switch typ {
		case sctpData, sctpIData:
			if head := sctpDataHead(typ); len(c) >= head {
				payload += len(c) - head
				tsn := binary.BigEndian.Uint32(c[4:8])
				if top, ok := tsns[dir]; ok && int32(tsn-top) <= 0 {
					w.Retransmissions++
				} else {
					tsns[dir] = tsn
				}
			}
			others++
		case sctpInit, sctpInitAck, sctpCookieEcho, sctpCookieAck:
			setup = true
		case sctpShutdown, sctpShutdownAck, sctpShutdownComplete, sctpAbort:
			teardown = true
		case sctpSack:
			sacks++
		default:
			others++
		}
	}
	switch {
	case setup:
		w.Setup++
	case teardown:
		w.Teardown++
	case sacks > 0 && others == 0:
		w.Acks++
	}
	return payload
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

// printable is b with bytes outside printable ASCII shown as '.'.
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
func (cfg *CompareConfig) readData(b []byte) string {
	if s, ok := cfg.texts[string(b)]; ok && utf8.ValidString(s) {
		return s
	}
	return readData(b)
}

// display is s for a terminal: control characters as ".", so that a
// message cannot move the cursor or ring the bell.
func display(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == utf8.RuneError {
			return '.'
		}
		return r
	}, s)
}

func printable(b []byte) string {
	s := []byte(string(b))
	for i, c := range s {
		if c < 0x20 || c > 0x7e {
			s[i] = '.'
		}
	}
	return string(s)
}

// dumpLines is how many lines of a first data packet's hex dump the table
// shows: its headers and the start of its data (8 lines are 128 bytes).
const dumpLines = 8

// clipDump keeps the one-line text and the first dumpLines lines of hex of
// a packet of size bytes, and says how many bytes more there were.
func clipDump(dump []byte, size int) []byte {
	lines := bytes.SplitAfter(dump, []byte("\n"))
	if len(lines) <= 1+dumpLines+1 {
		return dump
	}
	out := bytes.Join(lines[:1+dumpLines], nil)
	return append(out, fmt.Sprintf("\t... %d bytes more (-w FILE keeps the packets)\n", size-dumpLines*16)...)
}

// shorten cuts s to n terminal columns, ending in ".." when cut.
func shorten(s string, n int) string {
	if uniseg.StringWidth(s) <= n {
		return s
	}
	if n <= 2 {
		return strings.Repeat(".", max(n, 0))
	}
	// By grapheme clusters: an emoji with its variation selector, a
	// letter with its combining marks, stay whole.
	var b strings.Builder
	w := 0
	g := uniseg.NewGraphemes(s)
	for g.Next() {
		if w+g.Width() > n-2 {
			break
		}
		b.WriteString(g.Str())
		w += g.Width()
	}
	return b.String() + ".."
}

// sizes says the sizes of ops: "3 x 1" when all are equal, else a list.
func sizes(ops []Op) string {
	if len(ops) == 0 {
		return "none"
	}
	same := true
	for _, o := range ops {
		same = same && o.Bytes == ops[0].Bytes
	}
	if same {
		return fmt.Sprintf("%d x %d B", len(ops), ops[0].Bytes)
	}
	parts := make([]string, len(ops))
	for i, o := range ops {
		parts[i] = strconv.Itoa(o.Bytes)
	}
	return strings.Join(parts, " + ") + " B"
}

// WriteJSON writes r as one JSON document, indented by two spaces, byte
// for byte as json.Encoder with SetIndent("", "  ") writes it, but a write
// or read at a time: the document is never whole in memory, and a run of
// 100000 messages takes no more to print than to hold.
func (r *CompareReport) WriteJSON(w io.Writer) error {
	bw := bufio.NewWriter(w)
	rest := *r
	rest.Kinds = nil
	err := writeJSONLists(bw, &rest, "", jsonList{"kinds", r.Kinds == nil, len(r.Kinds), func(i int, prefix string) error {
		k := &r.Kinds[i]
		ops := func(ops []Op) func(int, string) error {
			return func(j int, prefix string) error { return writeJSON(bw, &ops[j], prefix) }
		}
		rest := *k
		rest.Writes, rest.Reads = nil, nil
		return writeJSONLists(bw, &rest, prefix,
			jsonList{"writes", k.Writes == nil, len(k.Writes), ops(k.Writes)},
			jsonList{"reads", k.Reads == nil, len(k.Reads), ops(k.Reads)})
	}})
	if err != nil {
		return err
	}
	bw.WriteString("\n")
	return bw.Flush()
}

// jsonList is a slice field of an object that writeJSONLists writes an
// element at a time: its key, whether it is nil, its length, and a
// function that writes element i indented by prefix.
type jsonList struct {
	key  string
	null bool
	n    int
	elem func(i int, prefix string) error
}

// writeJSONLists writes v as json.MarshalIndent(v, prefix, "  ") would,
// but for the lists, which v has as nil slices (null), in its field order:
// their elements are written in place of the nulls, one by one.
func writeJSONLists(w *bufio.Writer, v any, prefix string, lists ...jsonList) error {
	b, err := json.MarshalIndent(v, prefix, "  ")
	if err != nil {
		return err
	}
	for _, l := range lists {
		// The key with its quotes, at the object's depth: within a
		// string, quotes are escaped.
		key := "\n" + prefix + "  \"" + l.key + "\": "
		before, after, ok := bytes.Cut(b, []byte(key+"null"))
		if !ok {
			return fmt.Errorf("json: no %s field", l.key)
		}
		w.Write(before)
		w.WriteString(key)
		switch {
		case l.null:
			w.WriteString("null")
		case l.n == 0:
			w.WriteString("[]")
		default:
			w.WriteString("[")
			inner := prefix + "    "
			for i := range l.n {
				if i > 0 {
					w.WriteString(",")
				}
				w.WriteString("\n" + inner)
				if err := l.elem(i, inner); err != nil {
					return err
				}
			}
			w.WriteString("\n" + prefix + "  ]")
		}
		b = after
	}
	_, err = w.Write(b)
	return err
}

// writeJSON writes v as json.MarshalIndent(v, prefix, "  ").
func writeJSON(w *bufio.Writer, v any, prefix string) error {
	b, err := json.MarshalIndent(v, prefix, "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// WriteTable prints the report as a table, one column per kind, then the
// first data packet of each IP kind as decode prints it with -X. Columns
// are 15 wide (fits 120 columns with every kind), or 26 when wide.
func (r *CompareReport) WriteTable(w io.Writer, wide bool) error {
	return r.WriteTableWidth(w, 120, wide)
}

// WriteTableWidth is WriteTable for a terminal of width columns: when the
// kinds do not fit side by side, they go in groups, one table below the
// other (wide: never split).
func (r *CompareReport) WriteTableWidth(w io.Writer, width int, wide bool) error {
	col := 15
	if wide {
		col = 26
	}
	const label = 14
	per := len(r.Kinds)
	if !wide {
		per = max((width-label)/col, 1)
	}
	var b strings.Builder
	for start := 0; start < len(r.Kinds) || start == 0; start += per {
		if start > 0 {
			b.WriteString("\n")
		}
		r.tableRows(&b, r.Kinds[start:min(start+per, len(r.Kinds))], label, col)
		if len(r.Kinds) == 0 {
			break
		}
	}
	return r.tableFooter(w, &b)
}

// tableRows writes the rows of the table for kinds.
func (r *CompareReport) tableRows(b *strings.Builder, kinds []KindReport, label, col int) {
	row := func(name string, cell func(k *KindReport) string) {
		var line strings.Builder
		fmt.Fprintf(&line, "%-*s", label, name)
		for i := range kinds {
			text := shorten(cell(&kinds[i]), col-1)
			// Padded by the terminal columns it takes: CJK characters
			// and most emoji take two.
			line.WriteString(" " + text + strings.Repeat(" ", max(0, col-1-uniseg.StringWidth(text))))
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteString("\n")
	}
	wire := func(f func(w *Wire) string) func(k *KindReport) string {
		return func(k *KindReport) string {
			if k.Wire == nil {
				if k.Family == "unix" {
					return "none (AF_UNIX)"
				}
				return "-"
			}
			return f(k.Wire)
		}
	}
	num := func(n int) string { return strconv.Itoa(n) }
	row("kind", func(k *KindReport) string { return k.Kind })
	row("socket", func(k *KindReport) string { return k.Name })
	row("writes", func(k *KindReport) string { return num(len(k.Writes)) })
	row("write sizes", func(k *KindReport) string { return sizes(k.Writes) })
	row("reads", func(k *KindReport) string { return num(len(k.Reads)) })
	row("read sizes", func(k *KindReport) string { return sizes(k.Reads) })
	row("read data", func(k *KindReport) string {
		parts := make([]string, len(k.Reads))
		for i, o := range k.Reads {
			parts[i] = display(o.Data)
		}
		return strings.Join(parts, "|")
	})
	row("boundaries", func(k *KindReport) string {
		if k.BoundariesKept {
			return "kept"
		}
		return "merged"
	})
	row("delivered", func(k *KindReport) string { return num(k.DeliveredBytes) + " B" })
	row("in order", func(k *KindReport) string {
		if k.InOrder {
			return "yes"
		}
		return "no"
	})
	row("lost", func(k *KindReport) string { return num(k.Lost) })
	row("wire packets", wire(func(w *Wire) string { return num(w.Packets) }))
	row("wire bytes", wire(func(w *Wire) string { return num(w.Bytes) }))
	row("header bytes", wire(func(w *Wire) string { return num(w.HeaderBytes) }))
	row("payload bytes", wire(func(w *Wire) string { return num(w.PayloadBytes) }))
	row("overhead", wire(func(w *Wire) string { return strconv.FormatFloat(w.OverheadPct, 'f', 1, 64) + "%" }))
	row("hdr by you", wire(func(w *Wire) string { return num(w.UserHeaderBytes) + " B" }))
	row("hdr by kernel", wire(func(w *Wire) string { return num(w.KernelHeaderBytes) + " B" }))
	row("setup", wire(func(w *Wire) string { return num(w.Setup) }))
	row("teardown", wire(func(w *Wire) string { return num(w.Teardown) }))
	row("pure ACKs", wire(func(w *Wire) string { return num(w.Acks) }))
	row("retransmits", wire(func(w *Wire) string { return num(w.Retransmissions) }))
	row("elapsed", func(k *KindReport) string {
		return (time.Duration(k.ElapsedUS) * time.Microsecond).String()
	})
}

// tableFooter writes the notes under the table, and the first data packet
// of each kind with a wire.
func (r *CompareReport) tableFooter(w io.Writer, b *strings.Builder) error {
	for _, k := range r.Kinds {
		if k.Note != "" {
			fmt.Fprintf(b, "%s: %s\n", k.Name, k.Note)
		}
	}
	for _, k := range r.Kinds {
		if k.Family == "unix" {
			b.WriteString("\nAF_UNIX reaches no device: its columns show only the writes and reads.\n")
			break
		}
	}
	b.WriteString("hdr by you: header bytes the application wrote (raw: --raw's IP header).\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	for _, k := range r.Kinds {
		if k.Wire == nil || k.Wire.First < 0 {
			continue
		}
		f := k.Frames[k.Wire.First]
		if _, err := fmt.Fprintf(w, "\n%s: first data packet on %s\n", k.Name, r.Link); err != nil {
			return err
		}
		var dump bytes.Buffer
		p := decode.NewPrinter(&dump, decode.Options{HexASCII: 1, Time: decode.TimeNone})
		if err := p.Print(f.Data, f.CI, wire.LinkEthernet); err != nil {
			return err
		}
		if err := p.Flush(); err != nil {
			return err
		}
		// -X dumps from the network header on: the Ethernet header is
		// not in it.
		if _, err := w.Write(clipDump(dump.Bytes(), len(f.Data)-linkLen(wire.LinkEthernet))); err != nil {
			return err
		}
	}
	return nil
}
