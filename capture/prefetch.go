package capture

import (
	"bufio"
	"errors"
	"io"
)

// source is what Reader reads through: a bufio.Reader, or a prefetcher
// for a file.
type source interface {
	Peek(n int) ([]byte, error)
	Discard(n int) (int, error)
	Read(p []byte) (int, error)
	// Size is the most Peek hands out in one slice.
	Size() int
}

var _ source = (*bufio.Reader)(nil)

// Chunks of a prefetched file: prefetchChunks buffers of prefetchChunk
// bytes, each with room in front where the end of the previous chunk is
// copied when a packet spans the two: prefetchHead bytes, grown up to
// prefetchHeadroom, the most Peek hands out, when a longer packet needs
// it. Small buffers cost a short run less: the pages of 5 MiB of
// buffers were a tenth of a filtered copy of 50 MB of small packets, and
// larger chunks read no faster.
const (
	prefetchChunk    = 256 << 10
	prefetchHead     = 64 << 10
	prefetchHeadroom = maxSnaplen + 64<<10
	prefetchChunks   = 4
)

type chunk struct {
	buf        []byte
	head       int   // the room in front: the chunk's bytes are read into buf[head:]
	start, end int   // the valid bytes are buf[start:end]
	err        error // after the bytes: io.EOF or a read error
}

// prefetcher reads a file in a goroutine of its own, a few chunks ahead
// of the packets being decoded, so that the copy from the kernel overlaps
// the decoding (a filtered copy of a large capture gets about a third
// faster). Like bufio.Reader's, a slice Peek returns stays valid until
// the next call: the chunk before the current one is kept until the
// reader moves on again.
type prefetcher struct {
	full chan *chunk
	free chan *chunk
	stop chan struct{}
	cur  *chunk
	prev *chunk
	off  int
}

// newPrefetcher reads r, a file of size bytes (smaller files get smaller
// chunks).
func newPrefetcher(r io.Reader, size int64) *prefetcher {
	p := &prefetcher{
		full: make(chan *chunk, prefetchChunks),
		free: make(chan *chunk, prefetchChunks),
		stop: make(chan struct{}),
	}
	chunkSize, head := prefetchChunk, prefetchHead
	if size < prefetchChunk {
		chunkSize = int(max(size, 0)) + 1 // +1: the read that finds the end
		head = min(head, chunkSize)       // nothing carried is longer than the file
	}
	for range prefetchChunks {
		p.free <- &chunk{buf: make([]byte, head+chunkSize), head: head}
	}
	go p.fill(r)
	return p
}

// fill reads chunks until the end of the file, an error or close.
func (p *prefetcher) fill(r io.Reader) {
	for {
		var c *chunk
		select {
		case c = <-p.free:
		case <-p.stop:
			return
		}
		n, err := io.ReadFull(r, c.buf[c.head:])
		if err == io.ErrUnexpectedEOF {
			err = io.EOF
		}
		c.start, c.end, c.err = c.head, c.head+n, err
		select {
		case p.full <- c:
		case <-p.stop:
			return
		}
		if err != nil {
			return
		}
	}
}

// advance makes the next chunk current, carrying the unread bytes of the
// current one in front of it.
func (p *prefetcher) advance() error {
	if p.cur != nil && p.cur.err != nil {
		return p.cur.err
	}
	next := <-p.full
	if p.cur != nil {
		left := p.cur.buf[p.off:p.cur.end]
		if len(left) > prefetchHeadroom {
			return errors.New("prefetch: carried more than the headroom")
		}
		if len(left) > next.head {
			next.grow()
		}
		next.start = next.head - len(left)
		copy(next.buf[next.start:], left)
	}
	if p.prev != nil {
		p.free <- p.prev
	}
	p.prev, p.cur, p.off = p.cur, next, next.start
	return nil
}

func (p *prefetcher) Peek(n int) ([]byte, error) {
	if n > prefetchHeadroom {
		return nil, bufio.ErrBufferFull
	}
	for p.cur == nil || p.off+n > p.cur.end {
		if err := p.advance(); err != nil {
			return p.cur.buf[p.off:p.cur.end], err
		}
	}
	return p.cur.buf[p.off : p.off+n : p.off+n], nil
}

// grow gives c the whole headroom, for a packet longer than its room in
// front; its bytes move along.
func (c *chunk) grow() {
	n := len(c.buf) - c.head
	buf := make([]byte, prefetchHeadroom+n)
	copy(buf[prefetchHeadroom+c.start-c.head:], c.buf[c.start:c.end])
	c.start, c.end = prefetchHeadroom+c.start-c.head, prefetchHeadroom+c.end-c.head
	c.buf, c.head = buf, prefetchHeadroom
}

// warmNext warms the cache lines of the next record, whose header and
// first bytes the reader reads after the caller has dissected this one
// (the read, on another core, left them out of this core's cache): their
// fetch then overlaps that work.
func (p *prefetcher) warmNext() {
	if p.cur != nil && p.off+128 <= p.cur.end {
		warm(&p.cur.buf[p.off])
	}
}

func (p *prefetcher) Discard(n int) (int, error) {
	done := 0
	for done < n {
		if p.cur == nil || p.off == p.cur.end {
			if err := p.advance(); err != nil {
				return done, err
			}
			continue
		}
		k := min(n-done, p.cur.end-p.off)
		p.off += k
		done += k
	}
	return done, nil
}

func (p *prefetcher) Read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	for p.cur == nil || p.off == p.cur.end {
		if err := p.advance(); err != nil {
			return 0, err
		}
	}
	n := copy(b, p.cur.buf[p.off:p.cur.end])
	p.off += n
	return n, nil
}

func (p *prefetcher) Size() int { return prefetchHeadroom }

// close stops the goroutine; the file may be closed after it.
func (p *prefetcher) close() {
	close(p.stop)
}
