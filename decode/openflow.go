package decode

// OpenFlow (OpenFlow Switch Specification 1.0.0 and 1.3.x), TCP port 6653
// (IANA) and 6633 (the port of the early switches): every message starts
// with an 8-byte header (version, type, length, transaction ID), so the
// messages are length-prefixed PDUs (tcppdu.go). decode reads the header
// of each message under Wireshark's names, a layer per message as tshark
// nests them, and of version 1.0's bodies only what tshark's expert items
// need: the bodies it leaves undissected, the actions of a FLOW_MOD, and
// a FLOW_MOD without actions (tshark reads an action header past its end).
//
// On port 6633 tshark finds OpenFlow by a heuristic, learned by running it:
// a payload sent to port 6633 is OpenFlow and makes its conversation
// OpenFlow from then on; one sent from port 6633 before that is data.
//
// tcpdump's text without -v is ": OpenFlow" and a line per message:
// "version 1.0, type HELLO, length 8, xid 0x00000001", " [|openflow]"
// after a message that passes the segment's end, and a length below the
// header's "(too short!)" with its xid "(invalid)", which ends the text.

import "strconv"

var (
	protoOFv1       = proto("openflow_v1", "OpenFlow 1.0")
	protoOFv4       = proto("openflow_v4", "OpenFlow 1.3")
	fOFVersion      = field("openflow.version", "Version", TypeUint8)
	fOFVersionUnk   = field("openflow.version.unknown", "Unsupported version not dissected", TypeNone)
	fOF10Type       = enumField("openflow_1_0.type", "Type", TypeUint8, of10TypeNames)
	fOFLength       = field("openflow.length", "Length", TypeUint16)
	fOFXid          = field("openflow.xid", "Transaction ID", TypeUint32)
	fOF10Undecoded  = field("openflow_1_0.type.undecoded", "Message data not dissected yet", TypeNone)
	fOFStatsType    = field("openflow.stats.type", "Type", TypeUint16)
	fOFActionType   = field("openflow.action_typ", "Actions type", TypeUint16)
	fOFActionLen    = field("openflow.action_len", "Action length", TypeUint16)
	fOFActionUndec  = field("openflow.action_typ.undecoded", "Action not dissected yet", TypeNone)
	fOFv4Version    = field("openflow_v4.version", "Version", TypeUint8)
	fOFv4Type       = enumField("openflow_v4.type", "Type", TypeUint8, of13TypeNames)
	fOFv4Length     = field("openflow_v4.length", "Length", TypeUint16)
	fOFv4Xid        = field("openflow_v4.xid", "Transaction ID", TypeUint32)
	fOFv4Experiment = field("openflow_v4.experimenter.undecoded", "Experimenter body.", TypeNone)

	// The message types of OpenFlow 1.0 (section 5.1) and 1.3 (A.1), as
	// tcpdump names them.
	of10TypeNames = map[uint64]string{0: "HELLO", 1: "ERROR", 2: "ECHO_REQUEST", 3: "ECHO_REPLY", 4: "VENDOR",
		5: "FEATURES_REQUEST", 6: "FEATURES_REPLY", 7: "GET_CONFIG_REQUEST", 8: "GET_CONFIG_REPLY", 9: "SET_CONFIG",
		10: "PACKET_IN", 11: "FLOW_REMOVED", 12: "PORT_STATUS", 13: "PACKET_OUT", 14: "FLOW_MOD", 15: "PORT_MOD",
		16: "STATS_REQUEST", 17: "STATS_REPLY", 18: "BARRIER_REQUEST", 19: "BARRIER_REPLY",
		20: "QUEUE_GET_CONFIG_REQUEST", 21: "QUEUE_GET_CONFIG_REPLY"}
	of13TypeNames = map[uint64]string{0: "HELLO", 1: "ERROR", 2: "ECHO_REQUEST", 3: "ECHO_REPLY", 4: "EXPERIMENTER",
		5: "FEATURES_REQUEST", 6: "FEATURES_REPLY", 7: "GET_CONFIG_REQUEST", 8: "GET_CONFIG_REPLY", 9: "SET_CONFIG",
		10: "PACKET_IN", 11: "FLOW_REMOVED", 12: "PORT_STATUS", 13: "PACKET_OUT", 14: "FLOW_MOD", 15: "GROUP_MOD",
		16: "PORT_MOD", 17: "TABLE_MOD", 18: "MULTIPART_REQUEST", 19: "MULTIPART_REPLY", 20: "BARRIER_REQUEST",
		21: "BARRIER_REPLY", 22: "QUEUE_GET_CONFIG_REQUEST", 23: "QUEUE_GET_CONFIG_REPLY", 24: "ROLE_REQUEST",
		25: "ROLE_REPLY", 26: "GET_ASYNC_REQUEST", 27: "GET_ASYNC_REPLY", 28: "SET_ASYNC", 29: "METER_MOD"}
	// ofVersionNames are the wire versions' names (0x01 is 1.0 ... 0x06 1.5).
	ofVersionNames = [7]string{1: "1.0", 2: "1.1", 3: "1.2", 4: "1.3", 5: "1.4", 6: "1.5"}
)

const (
	ofHeaderLen  = 8
	ofFlowModLen = 72 // OpenFlow 1.0's FLOW_MOD before its actions
	ofPortHeur   = 6633
)

func init() {
	p := &tcpPDU{proto: protoOFv1, name: "openflow_v1", min: ofHeaderLen,
		length:  func(b []byte) int { return int(b[2])<<8 | int(b[3]) },
		dissect: dissectOpenFlow, lead: openFlowLead}
	registerTCPPDU(6653, p)
	registerTCPPDU(ofPortHeur, p)
	malformedNames[protoOFv4] = "openflow_v4"
	registerText(protoOFv1, textOpenFlow)
	registerText(protoOFv4, textOpenFlow)
	registerText(fOFVersion, textOpenFlow)
	undecoded := func(f FieldID, sev Severity, proto, msg string) {
		expert(f, expertInfo{severity: sev, group: GroupUndecoded, protocol: proto, message: msg})
	}
	undecoded(fOF10Undecoded, SeverityWarning, "openflow_v1", "Message data not dissected yet")
	undecoded(fOFActionUndec, SeverityWarning, "openflow_v1", "Action not dissected yet")
	undecoded(fOFVersionUnk, SeverityWarning, "OpenFlow", "Unsupported version not dissected")
	undecoded(fOFv4Experiment, SeverityNote, "openflow_v4", "Experimenter body.")
}

// openFlowLead is tshark's heuristic on port 6633: a payload of a
// conversation not yet taken as OpenFlow is data unless it goes to the
// port, and then the conversation is OpenFlow.
func openFlowLead(t *Tree, off, end int) bool {
	if t.Stateless {
		return false
	}
	tl := -1
	for i := len(t.Layers) - 1; i >= 0; i-- {
		if t.Nodes[t.Layers[i]].Field == protoTCP {
			tl = int(t.Layers[i])
			break
		}
	}
	if tl < 0 {
		return false
	}
	toff := int(t.Nodes[tl].Off)
	sport, dport := t.U16(toff), t.U16(toff+2)
	if sport != ofPortHeur && dport != ofPortHeur || sport == 6653 || dport == 6653 {
		return false
	}
	s := t.Find(tl, fTCPStream)
	if s < 0 {
		return false
	}
	st := t.crossPacket()
	stream := uint32(t.Nodes[s].Val)
	if st.openflow[stream] {
		return false
	}
	if dport == ofPortHeur {
		if st.openflow == nil {
			st.openflow = make(map[uint32]bool)
		}
		st.openflow[stream] = true
		return false
	}
	if t.Avail(off, end) > 0 {
		DissectData(t, off, end)
	}
	return true
}

// dissectOpenFlow reads the message [off, end).
func dissectOpenFlow(t *Tree, off, end, stop int) {
	m := bgpMsg{t: t, end: end, seg: stop, cut: min(stop, len(t.Data))}
	if off >= m.cut {
		return // tshark reads no message after one the capture cut
	}
	switch v := t.U8(off); v {
	case 1:
		m.l = t.AddLayer(protoOFv1, off, end-off)
		if m.has(off, ofHeaderLen) {
			t.Add(m.l, fOFVersion, off, 1, v)
			typ := t.U8(off + 1)
			tn := t.Add(m.l, fOF10Type, off+1, 1, typ)
			t.Add(m.l, fOFLength, off+2, 2, t.U16(off+2))
			t.Add(m.l, fOFXid, off+4, 4, t.U32(off+4))
			m.of10Body(tn, typ, off)
		}
		m.finish(protoOFv1, off)
	case 4:
		m.l = t.AddLayer(protoOFv4, off, end-off)
		if m.has(off, ofHeaderLen) {
			t.Add(m.l, fOFv4Version, off, 1, v)
			typ := t.U8(off + 1)
			t.Add(m.l, fOFv4Type, off+1, 1, typ)
			t.Add(m.l, fOFv4Length, off+2, 2, t.U16(off+2))
			t.Add(m.l, fOFv4Xid, off+4, 4, t.U32(off+4))
			if typ == 4 && end-off > 16 && m.has(off+8, 8) {
				t.Add(m.l, fOFv4Experiment, off+16, 0, 0)
			}
		}
		m.finish(protoOFv4, off)
	default:
		// tshark's item for a version it does not read stands alone, a
		// layer of its own in its hierarchy.
		m.l = t.AddLayer(fOFVersion, off, min(1, end-off))
		t.Add(m.l, fOFVersionUnk, off, 0, 0)
	}
}

// of10Body reads what tshark's expert items need of the body of a
// version 1.0 message of type typ at off (its type node tn).
func (m *bgpMsg) of10Body(tn int, typ uint64, off int) {
	t, n := m.t, m.end-off
	undecoded := func() { t.Add(tn, fOF10Undecoded, off+1, 0, 0) }
	switch typ {
	case 1, 4, 11, 20, 21:
		undecoded()
	case 16, 17:
		if !m.has(off+8, 2) {
			return
		}
		st := t.U16(off + 8)
		t.Add(m.l, fOFStatsType, off+8, 2, st)
		if typ == 16 && st > 1 || typ == 17 && st != 0 && n > 12 {
			undecoded()
		}
	case 14:
		// tshark reads the first action's header, even where the
		// message has none, and no other.
		p := off + ofFlowModLen
		if !m.has(p, 4) {
			return
		}
		at := t.U16(p)
		an := t.Add(m.l, fOFActionType, p, 2, at)
		t.Add(m.l, fOFActionLen, p+2, 2, t.U16(p+2))
		if at != 0 {
			t.Add(an, fOFActionUndec, p, 0, 0)
		}
	}
}

// textOpenFlow prints the messages of the segment from layer l on, as
// tcpdump does: from the bytes, whatever the layers after l are.
func textOpenFlow(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off := int(t.Nodes[n].Off)
	end, capEnd := len(t.Data), len(t.Data)
	for i := l - 1; i >= 0; i-- {
		if p.Proto(i) == protoTCP {
			tn := p.Node(i)
			end = int(t.Nodes[tn].Off) + int(t.Nodes[tn].Len)
			break
		}
	}
	p.b = append(p.b, ": OpenFlow"...)
	for off < end {
		p.b = append(p.b, "\n\t"...)
		if off+ofHeaderLen > min(end, capEnd) {
			p.b = append(p.b, " [|openflow]"...)
			return
		}
		v, typ := t.U8(off), t.U8(off+1)
		ln, xid := int(t.U16(off+2)), t.U32(off+4)
		p.b = append(p.b, "version "...)
		if v < uint64(len(ofVersionNames)) && ofVersionNames[v] != "" {
			p.b = append(p.b, ofVersionNames[v]...)
		} else {
			p.b = appendHex2(append(p.b, "unknown (0x"...), v)
			p.b = append(p.b, ')')
		}
		p.b = append(p.b, ", type "...)
		names := of10TypeNames
		if v == 4 {
			names = of13TypeNames
		}
		if s, ok := names[typ]; ok && (v == 1 || v == 4) {
			p.b = append(p.b, s...)
		} else {
			p.b = appendHex2(append(p.b, "unknown (0x"...), typ)
			p.b = append(p.b, ')')
		}
		p.b = strconv.AppendInt(append(p.b, ", length "...), int64(ln), 10)
		if ln < ofHeaderLen {
			p.b = append(p.b, " (too short!)"...)
		}
		p.b = appendHex8(append(p.b, ", xid 0x"...), xid)
		if ln < ofHeaderLen {
			p.b = append(p.b, " (invalid)"...)
			if end > capEnd {
				p.b = append(p.b, " [|openflow]"...)
			}
			return
		}
		if off+ln > min(end, capEnd) {
			p.b = append(p.b, " [|openflow]"...)
			return
		}
		off += ln
	}
}
