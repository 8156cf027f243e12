package compare

import (
	"encoding/binary"
	"fmt"
	"io"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sockscope/sockscope/decode/wire"
)

// WriteDiagram draws, for each kind of the report, a ladder: the sender's
// write() calls on the left, one arrow per packet on the wire in the
// middle (to the right from the sender, to the left from the receiver),
// the receiver's read() calls on the right, in time order, with the
// milliseconds since the kind's first event. width is the terminal's (80
// or more; the wire column takes what is left).
func (r *Report) WriteDiagram(w io.Writer, width int) error {
	width = max(width, 80)
	for i, k := range r.Kinds {
		if i > 0 {
			if _, err := fmt.Fprintln(w); err != nil {
				return err
			}
		}
		if err := k.diagram(w, r.Messages, width); err != nil {
			return err
		}
	}
	return nil
}

// Column widths: time, sender, receiver; the wire gets the rest.
const (
	diagTime = 8
	diagSide = 19
)

type diagEvent struct {
	at    time.Time
	order int // writes before frames before reads at the same instant
	side  int // -1 sender, 0 wire, 1 receiver
	text  string
	right bool // wire: from the sender
}

func (k *KindReport) diagram(w io.Writer, msgs []string, width int) error {
	wireW := width - diagTime - 2*diagSide - 1
	head := fmt.Sprintf("%s (%s): %s -> %s", k.Name, k.Kind, orDash(k.Sender), orDash(k.Receiver))
	var ev []diagEvent
	for i, op := range k.Writes {
		text := fmt.Sprintf("write(%d)", op.Bytes)
		if i < len(msgs) && op.Bytes == len(msgs[i])+op.HeaderBytes {
			text += " " + quoteShort(msgs[i], diagSide-len(text)-2)
		}
		ev = append(ev, diagEvent{at: op.At, order: 0, side: -1, text: text})
	}
	for _, op := range k.Reads {
		text := fmt.Sprintf("read(%d)", op.Bytes)
		if op.Data != "" {
			text += " " + quoteShort(op.Data, diagSide-len(text)-2)
		}
		ev = append(ev, diagEvent{at: op.At, order: 2, side: 1, text: text})
	}
	senderPort := portOf(k.Sender)
	isn := map[bool]uint32{}
	seen := map[bool]bool{}
	for _, f := range k.Frames {
		label, fromSender := frameLabel(f.Data, senderPort, isn, seen)
		ev = append(ev, diagEvent{at: f.CI.Timestamp, order: 1, side: 0, text: label, right: fromSender})
	}
	sort.SliceStable(ev, func(a, b int) bool {
		if !ev[a].at.Equal(ev[b].at) {
			return ev[a].at.Before(ev[b].at)
		}
		return ev[a].order < ev[b].order
	})
	var start time.Time
	for _, e := range ev {
		if !e.at.IsZero() {
			start = e.at
			break
		}
	}
	var b strings.Builder
	b.WriteString(head + "\n")
	fmt.Fprintf(&b, "%*s %-*s %-*s %s\n", diagTime-1, "ms", diagSide-1, "sender", wireW-2, center("wire", wireW-2), "receiver")
	if k.Wire == nil {
		line := fmt.Sprintf("%*s %-*s %s", diagTime-1, "", diagSide-1, "", center("(no wire: "+wireNote(k)+")", wireW-2))
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	for _, e := range ev {
		ms := ""
		if !e.at.IsZero() && !start.IsZero() {
			ms = strconv.FormatFloat(float64(e.at.Sub(start).Microseconds())/1000, 'f', 3, 64)
		}
		left, mid, right := "", "", ""
		switch e.side {
		case -1:
			left = e.text
		case 1:
			right = e.text
		default:
			mid = arrow(e.text, wireW-2, e.right)
		}
		line := fmt.Sprintf("%*s %-*s %-*s %s", diagTime-1, ms, diagSide-1, left, wireW-2, mid, right)
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func wireNote(k *KindReport) string {
	if k.Family == "unix" {
		return "AF_UNIX"
	}
	return "not captured"
}

func center(s string, w int) string {
	if len(s) >= w {
		return s
	}
	pad := (w - len(s)) / 2
	return strings.Repeat(" ", pad) + s
}

// quoteShort quotes s, shortened with ... to fit n characters.
func quoteShort(s string, n int) string {
	n = max(n, 6)
	q := []rune(strconv.Quote(s))
	if len(q) <= n {
		return string(q)
	}
	return string(q[:n-4]) + `..."`
}

// arrow is a label on a line of width w pointing right or left.
func arrow(label string, w int, right bool) string {
	if r := []rune(label); len(r) > w-6 {
		label = string(r[:max(w-9, 1)]) + "..."
	}
	dashes := max(w-utf8.RuneCountInString(label)-4, 1)
	if right {
		return "-- " + label + " " + strings.Repeat("-", dashes-1) + ">"
	}
	return "<" + strings.Repeat("-", dashes-1) + " " + label + " --"
}

func portOf(endpoint string) int {
	ap, err := netip.ParseAddrPort(endpoint)
	if err != nil {
		return -1
	}
	return int(ap.Port())
}

// frameLabel names an Ethernet frame of a compare run as short as the
// diagram needs: TCP flags with sequence numbers relative to each side's
// first, UDP and raw IP with their payload size, ARP. fromSender says
// which way it went.
func frameLabel(f []byte, senderPort int, isn map[bool]uint32, seen map[bool]bool) (string, bool) {
	off, et, ok := wire.Network(wire.LinkEthernet, f)
	if !ok {
		return "frame", true
	}
	p := f[off:]
	switch {
	case et == wire.EtherTypeARP && len(p) >= 8:
		if binary.BigEndian.Uint16(p[6:]) == 1 {
			return "ARP who-has", true
		}
		return "ARP reply", false
	case et != wire.EtherTypeIPv4 && et != wire.EtherTypeIPv6:
		return fmt.Sprintf("ethertype %#04x", et), true
	}
	ip, ihl, total, proto, _ := ipOf(f, wire.LinkEthernet)
	if ip == nil {
		return "ip", true
	}
	p = ip
	if proto == 58 && total > ihl {
		// IPv6's neighbour discovery, where IPv4 has ARP.
		switch p[ihl] {
		case 135:
			return "ND solicit", true
		case 136:
			return "ND advert", false
		}
		return fmt.Sprintf("icmp6 type %d", p[ihl]), true
	}
	l4 := p[ihl:]
	switch proto {
	case 6:
		if len(l4) < 20 {
			return "tcp", true
		}
		from := senderPort < 0 || int(binary.BigEndian.Uint16(l4)) == senderPort
		seq := binary.BigEndian.Uint32(l4[4:])
		off := int(l4[12]>>4) * 4
		flags := l4[13]
		n := max(min(total, len(p))-ihl-off, 0)
		if !seen[from] {
			seen[from], isn[from] = true, seq
		}
		rel := seq - isn[from]
		var names []string
		for _, fl := range []struct {
			bit  byte
			name string
		}{{0x02, "SYN"}, {0x01, "FIN"}, {0x04, "RST"}, {0x08, "PSH"}, {0x10, "ACK"}} {
			if flags&fl.bit != 0 && !(fl.bit == 0x10 && n > 0) {
				names = append(names, fl.name)
			}
		}
		label := strings.Join(names, " ")
		if n > 0 {
			data := l4[min(off, len(l4)):]
			data = data[:min(n, len(data))]
			label += fmt.Sprintf(" %d:%d %s", rel, rel+uint32(n), quoteShort(printable(data), 12))
		}
		return strings.TrimSpace(label), from
	case 17:
		if len(l4) < 8 {
			return "udp", true
		}
		from := senderPort < 0 || int(binary.BigEndian.Uint16(l4)) == senderPort
		return fmt.Sprintf("udp %d B", int(binary.BigEndian.Uint16(l4[4:]))-8), from
	case 132:
		if len(l4) < 12 {
			return "sctp", true
		}
		from := senderPort < 0 || int(binary.BigEndian.Uint16(l4)) == senderPort
		return sctpLabel(l4[12:min(len(l4), max(total-ihl, 12))]), from
	}
	return fmt.Sprintf("ip proto %d, %d B", proto, max(total-ihl, 0)), true
}

// sctpChunkNames name SCTP's chunk types in a ladder (RFC 9260 section 3.2).
var sctpChunkNames = map[byte]string{
	sctpInit: "INIT", sctpInitAck: "INIT ACK", sctpSack: "SACK", 4: "HEARTBEAT", 5: "HEARTBEAT ACK",
	sctpAbort: "ABORT", sctpShutdown: "SHUTDOWN", sctpShutdownAck: "SHUTDOWN ACK", 9: "ERROR",
	sctpCookieEcho: "COOKIE ECHO", sctpCookieAck: "COOKIE ACK", sctpShutdownComplete: "SHUTDOWN COMPLETE",
}

// sctpLabel names the chunks of an SCTP packet, bundled ones joined with
// "+": "COOKIE ECHO+DATA 1 B "A"", "SACK".
func sctpLabel(chunks []byte) string {
	var names []string
	for typ, c := range sctpChunks(chunks) {
		name, ok := sctpChunkNames[typ]
		switch head := sctpDataHead(typ); {
		case (typ == sctpData || typ == sctpIData) && len(c) >= head:
			names = append(names, fmt.Sprintf("DATA %d B %s", len(c)-head, quoteShort(printable(c[head:]), 12)))
		case ok:
			names = append(names, name)
		default:
			names = append(names, fmt.Sprintf("chunk %d", typ))
		}
	}
	if len(names) == 0 {
		return "sctp"
	}
	return strings.Join(names, "+")
}
