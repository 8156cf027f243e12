package compare

import (
	"encoding/binary"
	"iter"

	"github.com/sockscope/sockscope/decode/wire"
)

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

// ipOf finds the IP packet in d, a frame of link type link: IPv4, or IPv6
// (its fixed 40-byte header; the next header is the transport). It gives
// the packet, its header's length, its total length, the protocol and the
// source and destination addresses; ip is nil when d holds no IP packet.
func ipOf(d []byte, link wire.LinkType) (ip []byte, ihl, total int, proto byte, addrs []byte) {
	ll, _, ok := wire.Network(link, d)
	if !ok || len(d) < ll+20 {
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
		ip, ihl, total, proto, addrs := ipOf(d, link)
		if ip == nil {
			w.HeaderBytes += size
			w.KernelHeaderBytes += size
			continue
		}
		hdr := len(d) - len(ip) + ihl // link and IP headers
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
