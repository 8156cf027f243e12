package decode

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestWantGivesTheWantedFieldsWhole dissects every capture of testdata/ and
// the corpus whole and, for each different Want a single field makes, with
// that Want: each field comes out of the second tree as out of the first
// (the same nodes, values and bytes, in order), reassembling and not.
func TestWantGivesTheWantedFieldsWhole(t *testing.T) {
	type class struct {
		want *Want
		in   []bool // by FieldID: a field whose Want this is
		n    int
	}
	var classes []*class
	byKey := map[string]*class{}
	for id := FieldID(1); int(id) < len(registry); id++ {
		w := WantFields(id)
		key := fmt.Sprint(w.anyTCP, w.ports, w.tcpConv, w.udpStream)
		c := byKey[key]
		if c == nil {
			c = &class{want: w, in: make([]bool, len(registry))}
			byKey[key] = c
			classes = append(classes, c)
		}
		c.in[id] = true
		c.n++
	}
	if len(classes) < 3 {
		t.Fatalf("%d kinds of Want, want at least 3 (nothing of TCP, every conversation, DNS's port)", len(classes))
	}
	packets, compared := 0, 0
	for _, file := range jsonCaptures(t, true) {
		c, err := readTestCapture(file)
		if err != nil {
			continue // broken on purpose
		}
		for _, reasm := range []bool{false, true} {
			whole := &Tree{Reassemble: reasm}
			trees := make([]*Tree, len(classes))
			for i, cl := range classes {
				trees[i] = &Tree{Reassemble: reasm, Want: cl.want}
			}
			failed := false
			for n, pk := range c.packets {
				if !dissectsWithoutPanic(whole, pk, n+1) {
					break
				}
				packets++
				for i, cl := range classes {
					if !dissectsWithoutPanic(trees[i], pk, n+1) {
						t.Fatalf("%s packet %d: the tree wanting %+v panics where the whole one does not", filepath.Base(file), n+1, *cl.want)
					}
					a, b := wantedNodes(whole, cl.in), wantedNodes(trees[i], cl.in)
					compared += strings.Count(a, "\n")
					if a != b && !failed {
						failed = true
						t.Errorf("%s packet %d (reassembling %v), wanting %+v:\nwhole: %s\nwant:  %s", filepath.Base(file), n+1, reasm, *cl.want, firstDiff(a, b), firstDiff(b, a))
					}
				}
			}
		}
	}
	t.Logf("%d kinds of Want over %d fields; %d packet dissections, %d wanted nodes compared", len(classes), len(registry)-1, packets, compared)
	if packets < 10000 {
		t.Errorf("only %d packets dissected", packets)
	}
}

// dissectsWithoutPanic dissects pk into t, false when a dissector panics (a
// bug the corpus tests report; this test compares what does dissect).
func dissectsWithoutPanic(t *Tree, pk testPacket, n int) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	t.Dissect(pk.data, pk.ci, pk.link, n)
	return true
}

// wantedNodes writes the nodes of the fields in, in tree order, one per
// line: the field, its value (a text value's text) and its bytes.
func wantedNodes(t *Tree, in []bool) string {
	var b strings.Builder
	for i, n := range t.Nodes {
		if !in[n.Field] {
			continue
		}
		v := n.Val
		if n.Flags&InText != 0 {
			v = 0
		}
		fmt.Fprintf(&b, "%s=%d %x\n", n.Field.Info().Name, v, t.Bytes(i))
	}
	return b.String()
}

// firstDiff is a's first line that b lacks at the same place.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range al {
		if i >= len(bl) || al[i] != bl[i] {
			return fmt.Sprintf("line %d: %q", i+1, al[i])
		}
	}
	return "(the same)"
}

// TestWantNotUnderTCP checks notUnderTCP against the captures: no layer
// after a TCP layer, in the payload a TCP dissector hands on, is of a
// protocol it lists.
func TestWantNotUnderTCP(t *testing.T) {
	seen := map[string]int{}
	for _, file := range jsonCaptures(t, true) {
		c, err := readTestCapture(file)
		if err != nil {
			continue
		}
		tr := &Tree{Reassemble: true}
		for n, pk := range c.packets {
			if !dissectsWithoutPanic(tr, pk, n+1) {
				break
			}
			after := false
			for _, l := range tr.Layers {
				f := tr.Nodes[l].Field
				if after {
					seen[f.Info().Name]++
					if notUnderTCP[f] {
						t.Errorf("%s packet %d: %s after TCP, but notUnderTCP lists it", filepath.Base(file), n+1, f.Info().Name)
					}
				}
				after = after || f == protoTCP
			}
		}
	}
	t.Logf("layers after TCP: %v", seen)
}
