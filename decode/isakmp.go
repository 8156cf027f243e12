package decode

// The payloads of an ISAKMP (RFC 2408) or IKEv2 (RFC 7296) message, after
// the fixed header dissectISAKMP reads: a chain of payloads, each a generic
// header (next payload, a reserved or critical byte, a length that counts
// the header) and a body. decode walks the chain as tshark does to find
// where it fails: a payload, or a proposal inside a Security Association,
// longer than what holds it, and the body tshark reads of IKEv1's payload
// 15 (RFC 6407's SA KEK, which tshark takes it for), whose source ID
// length may run past the message. An encrypted IKEv1 message, or what
// follows IKEv2's Encrypted payload, is not read.

var (
	fISAKMPPayload    = field("isakmp.typepayload", "Payload", TypeUint8)
	fISAKMPPayloadLen = field("isakmp.payloadlength", "Payload length", TypeUint16)
	isakmpMalformed   = malformedItem("ISAKMP")
)

const (
	isakmpHeaderLen = 28
	isakmpV1SA      = 1
	isakmpV1KEK     = 15
	isakmpV2SA      = 33
	isakmpV2SK      = 46
	isakmpProposal  = 2
)

// isakmpPayloads walks the payloads of the message of layer l at off, in
// a datagram that ends at end, whose fixed header was read.
func isakmpPayloads(t *Tree, l, off, end int) {
	major := t.U8(off+17) >> 4
	if major != 1 && major != 2 || major == 1 && t.U8(off+19)&1 != 0 {
		return
	}
	// The message's length bounds the payloads; one longer than the
	// datagram, tshark calls bogus and reads no payload.
	length := t.U32(off + 24)
	if length < isakmpHeaderLen || length > uint64(end-off) {
		return
	}
	end = off + int(length)
	next := t.U8(off + 16)
	for o := off + isakmpHeaderLen; next != 0 && o < end; {
		if !isakmpCan(t, l, o+4, end) {
			return
		}
		typ, plen := next, int(t.U16(o+2))
		p := t.Add(l, fISAKMPPayload, o, 1, typ)
		t.Add(p, fISAKMPPayloadLen, o+2, 2, uint64(plen))
		if plen < 4 || !isakmpCan(t, l, o+plen, end) {
			return
		}
		switch {
		case major == 1 && typ == isakmpV1SA:
			if !isakmpProposals(t, l, o+12, o+plen) {
				return
			}
		case major == 2 && typ == isakmpV2SA:
			if !isakmpProposals(t, l, o+4, o+plen) {
				return
			}
		case major == 1 && typ == isakmpV1KEK:
			// An inner header, a protocol, an ID type and port, then
			// the source ID's data, whose length is read.
			if !isakmpCan(t, l, o+14, o+plen) || !isakmpCan(t, l, o+14+int(t.U16(o+12)), o+plen) {
				return
			}
		case major == 2 && typ == isakmpV2SK:
			return
		}
		next = t.U8(o)
		o += plen
	}
}

// isakmpProposals walks the proposals of a Security Association at [o,
// end), each with a generic header whose length must fit; it reports
// false when it ended the layer.
func isakmpProposals(t *Tree, l, o, end int) bool {
	if o > end {
		return isakmpCan(t, l, o, end)
	}
	for o < end {
		if !isakmpCan(t, l, o+4, end) {
			return false
		}
		plen := int(t.U16(o + 2))
		if plen < 4 || !isakmpCan(t, l, o+plen, end) {
			return false
		}
		if t.U8(o) != isakmpProposal {
			return true
		}
		o += plen
	}
	return true
}

// isakmpCan reports whether the bytes up to b can be read, else ends layer
// l as tshark does: past end a malformed packet, past the capture a short
// one.
func isakmpCan(t *Tree, l, b, end int) bool {
	if b <= end && b <= len(t.Data) {
		return true
	}
	if b > end {
		t.malformed(l, isakmpMalformed, end)
	} else {
		t.Mark(l, Truncated)
	}
	return false
}
