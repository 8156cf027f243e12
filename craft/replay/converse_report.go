package replay

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
)

// WriteText prints the report for people: a line naming the conversation
// and the server, a line per answer with its verdict (and below it, for a
// difference, what differs), and a last line that sums up.
func (r *ConversationReport) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	c := r.Flow
	fmt.Fprintf(bw, "replay %s %s -> %s (flow %d of %d, %s) to %s\n",
		c.Proto, c.Client, c.Server, c.Index, r.Flows, plural(r.Recorded, "message"), r.To)
	for _, n := range r.Notes {
		fmt.Fprintf(bw, "note: %s\n", n)
	}
	var ignored []string
	for _, e := range r.Exchanges {
		if e.Verdict == Extra {
			fmt.Fprintf(bw, "extra answer after %s: %s\n", e.After, e.Diff)
			continue
		}
		if e.After == "" {
			fmt.Fprintf(bw, "answer %d, before the client spoke: %s", e.Index, e.Verdict)
		} else {
			fmt.Fprintf(bw, "answer %d to %s: %s", e.Index, e.After, e.Verdict)
		}
		switch {
		case e.Verdict == Missing:
			fmt.Fprintf(bw, " (%s)", e.Diff)
		case e.Verdict == Same && len(e.Ignored) > 0:
			fmt.Fprintf(bw, " (not compared: %s)", strings.Join(e.Ignored, ", "))
		}
		bw.WriteByte('\n')
		if e.Verdict == Differs {
			for _, line := range strings.Split(e.Diff, "\n") {
				fmt.Fprintf(bw, "    %s\n", line)
			}
		}
		for _, h := range e.Ignored {
			if !slices.Contains(ignored, h) {
				ignored = append(ignored, h)
			}
		}
	}
	n := r.Counts()
	var parts []string
	for _, v := range []Verdict{Same, Differs, Missing, Extra} {
		if n[v] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[v], v))
		}
	}
	switch {
	case len(parts) == 0 && r.Interrupted:
		parts = append(parts, "none compared yet")
	case len(parts) == 0:
		parts = append(parts, "none recorded")
	}
	verdict := "MATCH"
	switch {
	case r.Interrupted:
		verdict = "INTERRUPTED"
	case !r.Matched():
		verdict = "DIFFERS"
	}
	fmt.Fprintf(bw, "%s: %s: %s; sent %s (%s) in %s", verdict,
		plural(len(r.Exchanges)-n[Extra], "answer"), strings.Join(parts, ", "), plural(r.Sent, "message"),
		plural(int(r.SentBytes), "byte"), roundDuration(r.Elapsed))
	if len(ignored) > 0 {
		slices.Sort(ignored)
		fmt.Fprintf(bw, "; HTTP headers not compared: %s (--exact compares every byte)", strings.Join(ignored, ", "))
	}
	bw.WriteByte('\n')
	return bw.Flush()
}

// plural is "1 answer", "2 answers".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
