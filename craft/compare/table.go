package compare

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rivo/uniseg"

	"github.com/sockscope/sockscope/decode"
	"github.com/sockscope/sockscope/decode/wire"
)

// The table: one column per kind, and the first data packet of each IP kind.

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

// printable is b with bytes outside printable ASCII shown as '.'.
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

// WriteTable prints the report as a table, one column per kind, then the
// first data packet of each IP kind as decode prints it with -X. Columns
// are 15 wide (fits 120 columns with every kind), or 26 when wide.
func (r *Report) WriteTable(w io.Writer, wide bool) error {
	return r.WriteTableWidth(w, 120, wide)
}

// WriteTableWidth is WriteTable for a terminal of width columns: when the
// kinds do not fit side by side, they go in groups, one table below the
// other (wide: never split).
func (r *Report) WriteTableWidth(w io.Writer, width int, wide bool) error {
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
func (r *Report) tableRows(b *strings.Builder, kinds []KindReport, label, col int) {
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
func (r *Report) tableFooter(w io.Writer, b *strings.Builder) error {
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
		ll, _, _ := wire.Network(wire.LinkEthernet, f.Data)
		if _, err := w.Write(clipDump(dump.Bytes(), len(f.Data)-ll)); err != nil {
			return err
		}
	}
	return nil
}
