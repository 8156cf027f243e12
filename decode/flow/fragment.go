package flow

import (
	"net/netip"
	"slices"
)

// Limits on the fragments kept waiting: a capture of a fragment flood must
// not take the memory of the machine reading it.
const (
	maxDatagrams    = 256     // datagrams being put together at once
	maxDatagramSize = 1 << 17 // an IPv6 jumbogram is not fragmented; 65535 + headers is the most
)

// fragKey names a datagram being put back together (RFC 791: source,
// destination, protocol and identification; RFC 8200: source, destination
// and identification).
type fragKey struct {
	v6       bool
	src, dst netip.Addr
	id       uint32
	proto    byte
}

type fragPart struct {
	off  int
	data []byte
}

// datagram is one datagram's fragments so far.
type datagram struct {
	parts []fragPart
	end   int // its length, once the last fragment is here; else -1
}

// fragments holds the datagrams whose fragments have begun to arrive, the
// oldest first.
type fragments struct {
	byKey map[fragKey]*datagram
	order []fragKey
	buf   []byte
}

// add keeps one fragment: data at offset off, more if more follow, missing
// the bytes the capture cut off its end. When the datagram is whole it
// returns its payload (valid until the next call) and true.
func (f *fragments) add(k fragKey, off int, more bool, data []byte, missing int) ([]byte, bool) {
	if missing > 0 || off+len(data) > maxDatagramSize {
		return nil, false // a piece the capture cut short can never complete it
	}
	if f.byKey == nil {
		f.byKey = map[fragKey]*datagram{}
	}
	d := f.byKey[k]
	if d == nil {
		if len(f.order) >= maxDatagrams {
			delete(f.byKey, f.order[0])
			f.order = f.order[1:]
		}
		d = &datagram{end: -1}
		f.byKey[k] = d
		f.order = append(f.order, k)
	}
	d.parts = append(d.parts, fragPart{off, slices.Clone(data)})
	if !more {
		d.end = off + len(data)
	}
	if d.end < 0 {
		return nil, false
	}
	// Whole when the pieces, in offset order, leave no hole before end.
	sorted := slices.Clone(d.parts)
	slices.SortStableFunc(sorted, func(a, b fragPart) int { return a.off - b.off })
	covered := 0
	for _, p := range sorted {
		if p.off > covered {
			return nil, false
		}
		covered = max(covered, p.off+len(p.data))
	}
	if covered < d.end {
		return nil, false
	}
	// The first copy of a byte wins: write the pieces last to first.
	f.buf = slices.Grow(f.buf[:0], covered)[:covered]
	for i := len(d.parts) - 1; i >= 0; i-- {
		copy(f.buf[d.parts[i].off:], d.parts[i].data)
	}
	delete(f.byKey, k)
	if i := slices.Index(f.order, k); i >= 0 {
		f.order = slices.Delete(f.order, i, i+1)
	}
	return f.buf[:d.end], true
}
