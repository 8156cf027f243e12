package compare

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// WriteJSON writes r as one JSON document, indented by two spaces, byte
// for byte as json.Encoder with SetIndent("", "  ") writes it, but a write
// or read at a time: the document is never whole in memory, and a run of
// 100000 messages takes no more to print than to hold.
func (r *Report) WriteJSON(w io.Writer) error {
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
