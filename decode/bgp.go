package decode

import "strconv"

// BGP-4 (RFC 4271), TCP port 179: a 19-byte header (a marker of all ones,
// the message's length, its type) and the OPEN message with its optional
// parameters and capabilities (RFC 5492: multiprotocol RFC 4760, route
// refresh RFC 2918, graceful restart RFC 4724, 4-octet AS numbers RFC
// 6793), UPDATE with its withdrawn routes, path attributes and NLRI,
// NOTIFICATION, KEEPALIVE and ROUTE-REFRESH (RFC 7313), under Wireshark's
// field names. Several messages may share a segment and one may span
// segments (tcppdu.go).
//
// What tshark says of a message, learned by running it on the corpus: the
// expert items below in the places it gives them; a read past the
// message's length stops the message there with a Malformed Packet item
// (tshark's exception), the messages after it still read; a read past
// the captured bytes marks the layer cut short.
//
// tcpdump's text without -v is ": BGP" after the TCP line.

var (
	protoBGP          = proto("bgp", "Border Gateway Protocol")
	fBGPMarker        = field("bgp.marker", "Marker", TypeBytes)
	fBGPLength        = field("bgp.length", "Length", TypeUint16)
	fBGPType          = enumField("bgp.type", "Type", TypeUint8, bgpTypes)
	fBGPContinuation  = field("bgp.continuation", "Continuation", TypeNone)
	fBGPOpenVersion   = field("bgp.open.version", "Version", TypeUint8)
	fBGPOpenMyAS      = field("bgp.open.myas", "My AS", TypeUint16)
	fBGPOpenHoldTime  = field("bgp.open.holdtime", "Hold Time", TypeUint16)
	fBGPOpenID        = field("bgp.open.identifier", "BGP Identifier", TypeIPv4)
	fBGPOpenOptLen    = field("bgp.open.opt.len", "Optional Parameters Length", TypeUint8)
	fBGPOpenParamType = field("bgp.open.opt.param.type", "Parameter Type", TypeUint8)
	fBGPOpenParamLen  = field("bgp.open.opt.param.len", "Parameter Length", TypeUint8)
	fBGPCapType       = field("bgp.cap.type", "Type", TypeUint8)
	fBGPCapLength     = field("bgp.cap.length", "Length", TypeUint8)
	fBGPWithdrawnLen  = field("bgp.update.withdrawn_routes.length", "Withdrawn Routes Length", TypeUint16)
	fBGPAttrsLen      = field("bgp.update.path_attributes.length", "Total Path Attribute Length", TypeUint16)
	fBGPAttrFlags     = register(Field{Name: "bgp.update.path_attribute.flags", Title: "Flags", Type: TypeUint8, Hex: true})
	fBGPAttrType      = field("bgp.update.path_attribute.type_code", "Type Code", TypeUint8)
	fBGPAttrLength    = field("bgp.update.path_attribute.length", "Length", TypeUint16)
	fBGPNotifyMajor   = field("bgp.notify.major_error", "Major error Code", TypeUint8)
	fBGPRefreshAFI    = field("bgp.route_refresh.afi", "Address family identifier (AFI)", TypeUint16)
	fBGPRefreshSAFI   = field("bgp.route_refresh.safi", "Subsequent address family identifier (SAFI)", TypeUint8)

	// tshark's item for a marker that is not all ones, which its -z
	// expert table was not seen to count: not an expert item here.
	fBGPMarkerInvalid = field("bgp.marker_invalid", "Marker is not all ones", TypeNone)

	// Expert items; a node's value says which message and its number.
	fBGPCapLengthBad  = field("bgp.cap.length.bad", "Capability length is wrong", TypeNone)
	fBGPGRHelperOnly  = field("bgp.cap.gr.helper_mode_only", "Graceful Restart Capability supported in Helper mode only", TypeNone)
	fBGPLengthInvalid = field("bgp.length.invalid", "Length is invalid", TypeNone)
	fBGPPrefixInvalid = field("bgp.prefix_length.invalid", "Prefix length is invalid", TypeNone)
	fBGPUnknownAFI    = field("bgp.unknown_afi", "Unknown Address Family", TypeNone)
	fBGPNextHopRD     = field("bgp.next_hop.rd.nonzero", "Route Distinguisher in Next Hop Network Address nonzero", TypeNone)
	fBGPEVPNNoIP      = field("bgp.evpn.no_ip", "IP Address: NOT INCLUDED", TypeNone)
	fBGPAIGPType      = field("bgp.attr.aigp.type", "Unknown AIGP attribute type", TypeNone)
)

var bgpTypes = map[uint64]string{1: "OPEN Message", 2: "UPDATE Message", 3: "NOTIFICATION Message",
	4: "KEEPALIVE Message", 5: "ROUTE-REFRESH Message", 6: "CAPABILITY Message"}

// bgpHeaderLen is the header's size and bgpMaxLen the largest message's
// (RFC 4271 section 4.1).
const (
	bgpHeaderLen = 19
	bgpMaxLen    = 4096
)

// The messages of bgp.cap.length.bad and bgp.length.invalid, by the kind
// in the top bits of the node's value.
const (
	bgpCapMustBe0 = iota
	bgpCapMustBe4
	bgpCapGRShort
)

const (
	bgpLenAttr = iota
	bgpLenOrigin
	bgpLenNextHop
	bgpLenLocalPref
	bgpLenClusterList
	bgpLenAttrSet
	bgpLenNextHopMP
	bgpLenMessage
)

var bgpLenWords = [...]string{bgpLenAttr: "Path attribute length is invalid: ", bgpLenOrigin: "Origin (invalid): ",
	bgpLenNextHop: "Next hop (invalid): ", bgpLenLocalPref: "Local preference (invalid): ",
	bgpLenClusterList: "Cluster list (invalid): ", bgpLenAttrSet: "Attribute set (invalid): "}

const (
	bgpPrefixWithdrawn = iota
	bgpPrefixVPNv4
)

func init() {
	registerTCPPDU(179, &tcpPDU{proto: protoBGP, name: "BGP", min: bgpHeaderLen,
		length: func(b []byte) int { return int(b[16])<<8 | int(b[17]) }, dissect: dissectBGP, lead: bgpLead})
	registerText(protoBGP, func(p *Printer, l int) { p.b = append(p.b, ": BGP"...) })
	bad := func(group ExpertGroup, sev Severity, message string) expertInfo {
		return expertInfo{severity: sev, group: group, protocol: "BGP", message: message}
	}
	expert(fBGPGRHelperOnly, bad(GroupRequestCode, SeverityChat, "Graceful Restart Capability supported in Helper mode only"))
	expert(fBGPUnknownAFI, bad(GroupProtocol, SeverityError, "Unknown Address Family"))
	expert(fBGPNextHopRD, bad(GroupProtocol, SeverityWarning, "Route Distinguisher in Next Hop Network Address nonzero"))
	expert(fBGPEVPNNoIP, bad(GroupProtocol, SeverityNote, "IP Address: NOT INCLUDED"))
	e := bad(GroupMalformed, SeverityNote, "")
	e.summary = func(t *Tree, l, n int, b []byte) []byte {
		b = strconv.AppendUint(append(b, "AIGP type "...), t.Nodes[n].Val, 10)
		return append(b, " unknown"...)
	}
	expert(fBGPAIGPType, e)
	e = bad(GroupMalformed, SeverityError, "")
	e.summary = func(t *Tree, l, n int, b []byte) []byte {
		v := t.Nodes[n].Val
		b = strconv.AppendUint(append(b, "Capability length "...), v&0xff, 10)
		switch v >> 8 {
		case bgpCapMustBe0:
			return append(b, " wrong, must be = 0"...)
		case bgpCapMustBe4:
			return append(b, " is wrong, must be = 4"...)
		}
		return append(b, " too short, must be greater than 6"...)
	}
	expert(fBGPCapLengthBad, e)
	e.summary = func(t *Tree, l, n int, b []byte) []byte {
		v := t.Nodes[n].Val
		k, x := v>>32, v&0xffffffff
		switch {
		case k == bgpLenMessage:
			return strconv.AppendUint(append(b, "Length is invalid "...), x, 10)
		case k == bgpLenNextHopMP:
			b = strconv.AppendUint(append(b, "Unknown Next Hop length ("...), x, 10)
			return append(b, " bytes)"...)
		case k < uint64(len(bgpLenWords)):
			b = strconv.AppendUint(append(b, bgpLenWords[k]...), x, 10)
			if x == 1 {
				return append(b, " byte"...)
			}
			return append(b, " bytes"...)
		}
		return b
	}
	expert(fBGPLengthInvalid, e)
	e.summary = func(t *Tree, l, n int, b []byte) []byte {
		v := t.Nodes[n].Val
		if v>>32 == bgpPrefixVPNv4 {
			b = strconv.AppendUint(append(b, "MP Reach NLRI Labeled VPN IPv4 prefix length "...), v&0xffffffff, 10)
			return append(b, " invalid"...)
		}
		b = strconv.AppendUint(append(b, "Withdrawn route length "...), v&0xffffffff, 10)
		return append(b, " invalid (> 32)"...)
	}
	expert(fBGPPrefixInvalid, e)
}

// The ways a message's reading stops early.
const (
	bgpRead    = iota
	bgpShort   // past the captured bytes
	bgpPastEnd // past the message's length: tshark's Malformed Packet
	bgpPastSeg // past the end of a segment cut short, the message not reassembled
)

// bgpMsg is one message being read.
type bgpMsg struct {
	t    *Tree
	l    int // the bgp layer
	end  int // the message's end
	seg  int // the end of its bytes in the segment
	cut  int // the end of what was captured of it
	stop int // bgpRead, or why reading stopped
}

// has reports whether the n bytes at off may be read, and notes why not.
func (m *bgpMsg) has(off, n int) bool {
	if n >= 0 && off+n <= m.cut {
		return true
	}
	if m.stop == bgpRead {
		switch {
		case off+n > m.end || n < 0:
			m.stop = bgpPastEnd
		case off+n > m.seg:
			m.stop = bgpPastSeg
		default:
			m.stop = bgpShort
		}
	}
	return false
}

// finish adds what tshark gives after a message of protocol p at off whose
// reading stopped early.
func (m *bgpMsg) finish(p FieldID, off int) {
	switch m.stop {
	case bgpShort:
		m.t.Mark(m.l, Truncated)
	case bgpPastEnd:
		addMalformed(m.t, p, off)
	case bgpPastSeg:
		addUnreassembled(m.t, p, off)
	}
}

// bgpLead reads a segment's payload [off, end) that does not start with a
// marker as tshark does: the continuation of a message it did not see, a
// bgp layer over all of it, then the messages from the first marker in it
// on, one after the other.
func bgpLead(t *Tree, off, end int) bool {
	if off+16 > len(t.Data) || bgpIsMarker(t.Data[off:]) {
		return false
	}
	l := t.AddLayer(protoBGP, off, end-off)
	ce := min(end, len(t.Data))
	i := off + 1
	for ; i+16 <= ce && !bgpIsMarker(t.Data[i:]); i++ {
	}
	if i+16 > ce {
		t.Add(l, fBGPContinuation, off, ce-off, 0)
		return true
	}
	t.Add(l, fBGPContinuation, off, i-off, 0)
	for i < end {
		n := end - i
		if i+18 <= ce {
			if n = int(t.U16(i + 16)); n < bgpHeaderLen {
				addMalformed(t, protoBGP, i)
				return true
			}
			n = min(n, end-i)
		}
		dissectBGP(t, i, i+n, i+n)
		i += n
	}
	return true
}

// bgpIsMarker reports whether b starts with 16 bytes of all ones.
func bgpIsMarker(b []byte) bool {
	if len(b) < 16 {
		return false
	}
	for _, c := range b[:16] {
		if c != 0xff {
			return false
		}
	}
	return true
}

// dissectBGP reads the message [off, end).
func dissectBGP(t *Tree, off, end, stop int) {
	m := bgpMsg{t: t, end: end, seg: stop, cut: min(stop, len(t.Data))}
	m.l = t.AddLayer(protoBGP, off, end-off)
	if m.has(off, bgpHeaderLen) {
		mk := t.AddBytes(m.l, fBGPMarker, off, 16)
		for _, c := range t.Data[off : off+16] {
			if c != 0xff {
				t.Add(mk, fBGPMarkerInvalid, off, 16, 0)
				break
			}
		}
		ln := t.Add(m.l, fBGPLength, off+16, 2, t.U16(off+16))
		typ := t.U8(off + 18)
		t.Add(m.l, fBGPType, off+18, 1, typ)
		if n := t.U16(off + 16); n > bgpMaxLen {
			// Past the largest message (RFC 4271 section 4.1; RFC 8654's
			// extended messages were not seen): tshark reads no further.
			t.Add(ln, fBGPLengthInvalid, off+16, 2, bgpLenMessage<<32|n)
			typ = 0
		}
		switch typ {
		case 1:
			m.open(off + bgpHeaderLen)
		case 2:
			m.update(off + bgpHeaderLen)
		case 3:
			if m.has(off+19, 2) {
				t.Add(m.l, fBGPNotifyMajor, off+19, 1, t.U8(off+19))
			}
		case 5:
			if m.has(off+19, 4) {
				t.Add(m.l, fBGPRefreshAFI, off+19, 2, t.U16(off+19))
				t.Add(m.l, fBGPRefreshSAFI, off+22, 1, t.U8(off+22))
			}
		}
	}
	m.finish(protoBGP, off)
}

// open reads an OPEN message's fields from off (RFC 4271 section 4.2).
func (m *bgpMsg) open(off int) {
	t := m.t
	if !m.has(off, 10) {
		return
	}
	t.Add(m.l, fBGPOpenVersion, off, 1, t.U8(off))
	t.Add(m.l, fBGPOpenMyAS, off+1, 2, t.U16(off+1))
	t.Add(m.l, fBGPOpenHoldTime, off+3, 2, t.U16(off+3))
	t.AddBytes(m.l, fBGPOpenID, off+5, 4)
	olen := int(t.U8(off + 9))
	t.Add(m.l, fBGPOpenOptLen, off+9, 1, uint64(olen))
	p, pend := off+10, off+10+olen
	for p < pend {
		if !m.has(p, 2) {
			return
		}
		ptype, plen := t.U8(p), int(t.U8(p+1))
		t.Add(m.l, fBGPOpenParamType, p, 1, ptype)
		t.Add(m.l, fBGPOpenParamLen, p+1, 1, uint64(plen))
		p += 2
		if ptype == 1 { // authentication data
			if !m.has(p, plen) {
				return
			}
			p += plen
			continue
		}
		if ptype != 2 {
			// tshark shows an unknown parameter's bytes and reads the
			// next parameter right after its length, in them.
			if !m.has(p, plen) {
				return
			}
			continue
		}
		for c, cend := p, p+plen; c < cend; {
			if !m.has(c, 2) {
				return
			}
			next, ok := m.capability(c)
			if !ok {
				return
			}
			c = next
		}
		p += plen
	}
}

// capability reads one capability at off and gives where the next starts.
func (m *bgpMsg) capability(off int) (int, bool) {
	t := m.t
	ctype, clen := t.U8(off), int(t.U8(off+1))
	t.Add(m.l, fBGPCapType, off, 1, ctype)
	ln := t.Add(m.l, fBGPCapLength, off+1, 1, uint64(clen))
	d := off + 2
	bad := -1
	switch ctype {
	case 0, 2, 70, 128: // reserved, route refresh, enhanced, Cisco's
		if clen != 0 {
			bad = bgpCapMustBe0
		}
	case 1, 65: // multiprotocol, 4-octet AS number
		if clen != 4 {
			bad = bgpCapMustBe4
		}
	case 64: // graceful restart
		switch {
		case clen == 2:
			t.Add(ln, fBGPGRHelperOnly, off+1, 1, 0)
		case clen < 6:
			bad = bgpCapGRShort
		}
	}
	if bad >= 0 {
		t.Add(ln, fBGPCapLengthBad, off+1, 1, uint64(bad)<<8|uint64(clen))
	}
	if !m.has(d, clen) {
		return 0, false
	}
	return d + clen, true
}

// update reads an UPDATE message's fields from off (RFC 4271 section 4.3).
func (m *bgpMsg) update(off int) {
	t := m.t
	if !m.has(off, 2) {
		return
	}
	wlen := int(t.U16(off))
	t.Add(m.l, fBGPWithdrawnLen, off, 2, uint64(wlen))
	w, wend := off+2, off+2+wlen
	for w < wend {
		if !m.has(w, 1) {
			return
		}
		plen := int(t.U8(w))
		if plen > 32 {
			// tshark reads no further in the message.
			t.Add(m.l, fBGPPrefixInvalid, w, 1, bgpPrefixWithdrawn<<32|uint64(plen))
			return
		}
		if !m.has(w+1, (plen+7)/8) {
			return
		}
		w += 1 + (plen+7)/8
	}
	a := wend
	if !m.has(a, 2) {
		return
	}
	alen := int(t.U16(a))
	t.Add(m.l, fBGPAttrsLen, a, 2, uint64(alen))
	a += 2
	m.attributes(a, a+alen)
}

// attributes reads the path attributes in [a, aend) and reports whether
// the message may be read on after them.
func (m *bgpMsg) attributes(a, aend int) bool {
	t := m.t
	for a < aend {
		if !m.has(a, 3) {
			return false
		}
		flags, typ := t.U8(a), t.U8(a+1)
		t.Add(m.l, fBGPAttrFlags, a, 1, flags)
		t.Add(m.l, fBGPAttrType, a+1, 1, typ)
		hl := 3
		var vlen int
		if flags&0x10 != 0 {
			if !m.has(a+2, 2) {
				return false
			}
			hl, vlen = 4, int(t.U16(a+2))
		} else {
			vlen = int(t.U8(a + 2))
		}
		ln := t.Add(m.l, fBGPAttrLength, a+2, hl-2, uint64(vlen))
		v := a + hl
		if v+vlen > aend {
			// tshark reads the value still, and no attribute after it.
			t.Add(ln, fBGPLengthInvalid, a+2, hl-2, bgpLenAttr<<32|uint64(vlen))
			return m.has(v, vlen)
		}
		if !m.attribute(ln, typ, v, vlen) {
			return false
		}
		a = v + vlen
	}
	return true
}

// attribute reads the value [v, v+n) of a path attribute of type typ,
// its length's node ln.
func (m *bgpMsg) attribute(ln int, typ uint64, v, n int) bool {
	t := m.t
	want := func(kind uint64, ok bool) {
		if !ok {
			t.Add(ln, fBGPLengthInvalid, v, n, kind<<32|uint64(n))
		}
	}
	switch typ {
	case 1: // ORIGIN
		want(bgpLenOrigin, n == 1)
	case 3: // NEXT_HOP
		want(bgpLenNextHop, n == 4)
	case 5: // LOCAL_PREF
		want(bgpLenLocalPref, n == 4)
	case 10: // CLUSTER_LIST
		want(bgpLenClusterList, n%4 == 0)
	case 128: // ATTR_SET (RFC 6368 section 5): an origin AS, then attributes
		if n < 4 {
			want(bgpLenAttrSet, false)
			break
		}
		if !m.has(v, 4) || t.Enter() && !m.nestedAttributes(v+4, v+n) {
			return false
		}
	case 14: // MP_REACH_NLRI
		return m.mpReach(ln, v, n)
	case 15: // MP_UNREACH_NLRI
		if n >= 3 && m.has(v, 3) && t.U8(v+2) == 132 && !m.rtMembership(v+3, v+n) {
			return false
		}
	case 26: // AIGP
		if n >= 1 && m.has(v, 1) && t.U8(v) != 1 {
			t.Add(ln, fBGPAIGPType, v, 1, t.U8(v))
		}
	}
	return m.has(v, n)
}

// mpReach reads MP_REACH_NLRI (RFC 4760 section 3) in [v, v+n).
func (m *bgpMsg) mpReach(ln int, v, n int) bool {
	t := m.t
	if !m.has(v, 4) {
		return false
	}
	afi, safi, nhl := t.U16(v), t.U8(v+2), int(t.U8(v+3))
	nh := v + 4
	if !m.has(nh, nhl) {
		return false
	}
	switch {
	case afi != 1 && afi != 2 && afi != 25 && afi != 16388:
		t.Add(ln, fBGPUnknownAFI, nh, nhl, 0)
		t.Add(ln, fBGPLengthInvalid, nh, nhl, bgpLenNextHopMP<<32|uint64(nhl))
	case (safi == 128 || safi == 129) && (nhl == 12 || nhl == 24):
		if t.U64(nh) != 0 {
			t.Add(ln, fBGPNextHopRD, nh, 8, 0)
		}
	}
	s := nh + nhl
	if !m.has(s, 1) {
		return false
	}
	nsnpa := int(t.U8(s))
	s++
	for i := 0; i < nsnpa; i++ {
		if !m.has(s, 1) {
			return false
		}
		l := int(t.U8(s))
		if !m.has(s+1, l) {
			return false
		}
		s += 1 + l
	}
	end := v + n
	if afi == 1 && safi == 128 {
		for p := s; p < end; {
			if !m.has(p, 1) {
				return false
			}
			plen := int(t.U8(p))
			if plen < 88 || plen > 88+32 {
				t.Add(ln, fBGPPrefixInvalid, p, 1, bgpPrefixVPNv4<<32|uint64(plen))
				break
			}
			b := (plen + 7) / 8
			if !m.has(p+1, b) {
				return false
			}
			p += 1 + b
		}
	}
	if safi == 132 && !m.rtMembership(s, end) {
		return false
	}
	if safi == 5 {
		// MCAST-VPN routes (RFC 6514 section 4): a type and a length.
		for p := s; p < end; {
			if !m.has(p, 2) || !m.has(p+2, int(t.U8(p+1))) {
				return false
			}
			p += 2 + int(t.U8(p+1))
		}
	}
	if afi == 25 && safi == 70 {
		for p := s; p+2 <= end; {
			if !m.has(p, 2) {
				return false
			}
			rt, rl := t.U8(p), int(t.U8(p+1))
			// A MAC/IP advertisement (RFC 7432 section 7.2): RD 8, ESI
			// 10, Ethernet tag 4, MAC length and MAC 7, IP length.
			if rt == 2 && rl >= 30 && m.has(p+2+29, 1) && t.U8(p+2+29) == 0 {
				t.Add(ln, fBGPEVPNNoIP, p+2+29, 1, 0)
			}
			p += 2 + rl
		}
	}
	return m.has(v, n)
}

// rtMembership reads route target membership NLRI (RFC 4684 section 4)
// in [p, end): tshark reads an origin AS and a route target after any
// prefix length but 0.
func (m *bgpMsg) rtMembership(p, end int) bool {
	for p < end {
		if !m.has(p, 1) {
			return false
		}
		if m.t.U8(p) == 0 {
			p++
			continue
		}
		if !m.has(p+1, 12) {
			return false
		}
		p += 13
	}
	return true
}

// nestedAttributes reads the attributes of an ATTR_SET, one level deeper.
func (m *bgpMsg) nestedAttributes(a, aend int) bool {
	defer m.t.Leave()
	return m.attributes(a, aend)
}
