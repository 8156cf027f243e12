package flow

import (
	"net/netip"
	"time"
)

// Segment is what one packet carries of a conversation, as a dissector
// that found its transport header tells it: a reader that knows which
// packets belong to a conversation (tshark's tcp.stream or udp.stream)
// hands them to a Stream.
type Segment struct {
	Proto    Proto
	Src, Dst netip.AddrPort
	Seq      uint32 // TCP: the sequence number
	Ack      uint32 // TCP: the acknowledgment number (with ACK in Flags)
	Flags    uint8  // TCP: the flags byte (FIN 0x01, SYN 0x02, RST 0x04, ACK 0x10)
	Payload  []byte // the captured payload; not kept after Add returns
	// Missing is the payload the IP or UDP header counts but the capture
	// cut off, after Payload.
	Missing int
}

// Stream puts one conversation back together from its segments, handed
// over in capture order; only its own bytes are kept. Unlike a Table it
// does not key segments by their endpoints: every segment added is taken
// to be of the one conversation, whose client sent the first (or, a TCP
// SYN-ACK coming first, received it).
type Stream struct {
	c *conv
}

// Add puts one segment in its place, at capture time at.
func (s *Stream) Add(seg *Segment, at time.Time) {
	in := segment{proto: seg.Proto, src: seg.Src, dst: seg.Dst, seq: seg.Seq, ack: seg.Ack, flags: seg.Flags, payload: seg.Payload, missing: seg.Missing}
	if s.c == nil {
		s.c = NewTable().newConv(keyOf(&in), &in, at)
		s.c.keep, s.c.follow = true, true
	}
	c := s.c
	dir := FromClient
	if in.src != c.Client {
		dir = FromServer
	}
	c.Packets[dir]++
	if at.After(c.last) {
		c.last = at
	}
	if in.proto == UDP {
		c.Payload[dir] += int64(len(in.payload) + in.missing)
		c.Lost[dir] += int64(in.missing)
		c.deliver(dir, at, in.payload, in.missing, true)
		return
	}
	c.tcp(dir, &in, at)
}

// Conversation sums the stream up, as Table.Conversations does; ok is
// false before the first segment.
func (s *Stream) Conversation() (c Conversation, ok bool) {
	if s.c == nil {
		return Conversation{}, false
	}
	s.c.finish()
	c = s.c.Conversation
	c.Duration = s.c.last.Sub(c.Start)
	return c, true
}

// Chunks returns the data in the order it was delivered, a chunk per
// delivery: the bytes a TCP segment added to its side's stream (with
// those of the segments that waited behind it for a gap to fill), or a
// UDP datagram. Like Table.Messages, call it after the last segment.
func (s *Stream) Chunks() []Message {
	if s.c == nil {
		return nil
	}
	s.c.finish()
	return s.c.messages
}

// Take returns the chunks delivered since the last Take, in the order of
// delivery, and forgets them: a reader that prints them as they come
// keeps none of the stream's data but what waits behind a gap. A chunk,
// once delivered, does not change. Take and Chunks do not mix: Chunks
// returns only what no Take has.
func (s *Stream) Take() []Message {
	if s.c == nil || len(s.c.messages) == 0 {
		return nil
	}
	m := s.c.messages
	s.c.messages = nil
	return m
}

// Client is the endpoint the stream takes for the client (the sender of
// the first segment, or the receiver of a first SYN-ACK), false before
// the first segment. Unlike Conversation it leaves waiting data waiting.
func (s *Stream) Client() (netip.AddrPort, bool) {
	if s.c == nil {
		return netip.AddrPort{}, false
	}
	return s.c.Client, true
}
