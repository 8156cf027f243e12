package craft

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/sockscope/sockscope/craft/spec"
)

// HeaderPacket is packet i of a stream sent under the spec's headers
// (craft --header): payload in place of the spec's own, lengths and
// checksums computed for it, the fields that tell probes apart counted as in
// Packet(i), and the TCP sequence number moved on by off, the bytes of the
// stream sent before this packet.
func (b *Builder) HeaderPacket(i int, payload []byte, off uint32) ([]byte, error) {
	h := *b
	h.layers = nil
	for _, l := range b.layers {
		if l.Kind == spec.Payload {
			break // payloads end a spec
		}
		if l.Kind == spec.TCP {
			c := *l
			c.n = make(map[string]uint64, len(l.n))
			for k, v := range l.n {
				c.n[k] = v
			}
			c.n["seq"] = uint64(uint32(l.n["seq"]) + off)
			l = &c
		}
		h.layers = append(h.layers, l)
	}
	h.layers = append(h.layers, &layer{Layer: &spec.Layer{Kind: spec.Payload, Name: "payload", Data: payload}})
	return h.packet(i)
}

// Chunks cuts a stream into payloads: each line with its newline (the last
// one may have none), or each size bytes when size > 0 (the last may be
// shorter). It returns io.EOF at the end of r, and an error for a line
// longer than spec.MaxPayload: no packet holds it, and memory stays bounded
// whatever the stream.
func Chunks(r io.Reader, size int) func() ([]byte, error) {
	br := bufio.NewReaderSize(r, max(size, spec.MaxPayload+1))
	return func() ([]byte, error) {
		if size > 0 {
			buf := make([]byte, size)
			n, err := io.ReadFull(br, buf)
			if n > 0 {
				return buf[:n], nil
			}
			if errors.Is(err, io.ErrUnexpectedEOF) {
				err = io.EOF
			}
			return nil, err
		}
		line, err := br.ReadSlice('\n')
		if len(line) > spec.MaxPayload || errors.Is(err, bufio.ErrBufferFull) {
			return nil, fmt.Errorf("a line of standard input is longer than %d bytes, more than a packet holds: cut it with --chunk N", spec.MaxPayload)
		}
		if len(line) > 0 {
			return append([]byte(nil), line...), nil
		}
		return nil, err
	}
}

// SendStream sends a packet of b's headers over each payload next gives,
// until next returns io.EOF, r.Count packets are sent, or ctx ends, paced by
// r.Every when it is set. It returns how many packets went out.
func (s *Sender) SendStream(ctx context.Context, b *Builder, next func() ([]byte, error), r Run) (int, error) {
	var pace *Pacer
	l := s.lane()
	sent := 0
	var off uint32
	for (r.Count == 0 || sent < r.Count) && ctx.Err() == nil {
		payload, err := next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return sent, err
		}
		pkt, err := b.HeaderPacket(sent, payload, off)
		if err != nil {
			return sent, err
		}
		if r.Every > 0 {
			if pace == nil {
				pace = NewPacer(time.Now(), r.Every)
			}
			if pace.Wait(ctx, sent) != nil {
				break
			}
		}
		at := time.Now()
		k, err := l.send([][]byte{pkt})
		if k > 0 && r.Sent != nil {
			r.Sent(pkt, at)
		}
		if pace != nil && sent == 0 && k > 0 {
			pace.Went(k, time.Now())
		}
		sent += k
		if err != nil {
			return sent, err
		}
		off += uint32(len(payload))
	}
	return sent, nil
}
