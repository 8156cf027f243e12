package decode

// SNMP versions 1 and 2c (RFC 1157, RFC 3416) on UDP ports 161 and 162: a
// BER-encoded (X.690) SEQUENCE of a version, a community and a PDU, whose
// variable bindings are SEQUENCEs of an object name and a value. decode
// reads the elements with a bounded BER reader of its own: every element's
// header and content is checked against what was captured and against the
// datagram. A datagram that does not start with a SEQUENCE is not SNMP: it
// goes to the other port's dissector, or is data.

import "strconv"

var (
	protoSNMP          = proto("snmp", "Simple Network Management Protocol")
	fSNMPVersion       = enumField("snmp.version", "version", TypeInt32, map[uint64]string{0: "version-1", 1: "v2c", 3: "v3"})
	fSNMPCommunity     = field("snmp.community", "community", TypeString)
	fSNMPData          = enumField("snmp.data", "data", TypeUint32, snmpPDUNames)
	fSNMPRequestID     = field("snmp.request_id", "request-id", TypeInt32)
	fSNMPErrorStatus   = field("snmp.error_status", "error-status", TypeInt32)
	fSNMPErrorIndex    = field("snmp.error_index", "error-index", TypeInt32)
	fSNMPEnterprise    = field("snmp.enterprise", "enterprise", TypeOID)
	fSNMPAgentAddr     = field("snmp.agent_addr", "agent-addr", TypeIPv4)
	fSNMPGenericTrap   = field("snmp.generic_trap", "generic-trap", TypeInt32)
	fSNMPSpecificTrap  = field("snmp.specific_trap", "specific-trap", TypeInt32)
	fSNMPTimeStamp     = field("snmp.time_stamp", "time-stamp", TypeUint32)
	fSNMPVariableBinds = field("snmp.variable_bindings", "variable-bindings", TypeUint32)
	fSNMPName          = field("snmp.name", "Object Name", TypeOID)
	snmpPDUNames       = map[uint64]string{0: "get-request", 1: "get-next-request", 2: "get-response", 3: "set-request",
		4: "trap", 5: "getBulkRequest", 6: "informRequest", 7: "snmpV2-trap", 8: "report"}
)

// BER identifiers (X.690 section 8) SNMP uses.
const (
	berInteger   = 0x02
	berOctets    = 0x04
	berOID       = 0x06
	berSequence  = 0x30
	berIPAddress = 0x40 // [APPLICATION 0], RFC 1155
	berTimeTicks = 0x43 // [APPLICATION 3]
	berPDU       = 0xa0 // [CONTEXT n] constructed: the PDU's type is n
)

func init() {
	UDPPorts.Register(161, dissectSNMP)
	UDPPorts.Register(162, dissectSNMP)
	registerText(protoSNMP, textSNMP)
}

// berElem is one BER element: its identifier, where its content starts and
// ends.
type berElem struct {
	tag        byte
	start, end int
}

// berRead reads the header of the element at off, no byte of it past lim.
// Identifiers in the high-tag-number form and lengths of more than four
// bytes, or indefinite, are not SNMP's: ok is false for them as for a
// header cut short, and short says which.
func berRead(d []byte, off, lim int) (e berElem, short, ok bool) {
	if off+2 > lim {
		return e, true, false
	}
	e.tag = d[off]
	if e.tag&0x1f == 0x1f {
		return e, false, false
	}
	n := int(d[off+1])
	o := off + 2
	if n&0x80 != 0 {
		k := n & 0x7f
		if k == 0 || k > 4 {
			return e, false, false
		}
		if o+k > lim {
			return e, true, false
		}
		n = 0
		for i := 0; i < k; i++ {
			n = n<<8 | int(d[o+i])
		}
		o += k
	}
	e.start, e.end = o, o+n
	return e, false, true
}

// berInt is the signed integer of content [off, end) (up to 8 bytes).
func berInt(d []byte, off, end int) uint64 {
	if off >= end {
		return 0
	}
	var v int64
	if d[off]&0x80 != 0 {
		v = -1
	}
	for i := off; i < end && i < off+8; i++ {
		v = v<<8 | int64(d[i])
	}
	return uint64(v)
}

// snmpReader walks the elements of one SNMP message, marking its layer
// where an element runs past the capture (Truncated) or the datagram
// (Malformed).
type snmpReader struct {
	t   *Tree
	l   int
	end int
}

// next reads the element at off whose content must lie within [.., within);
// ok is false, and the layer marked, when it cannot be read whole.
func (r *snmpReader) next(off, within int) (berElem, bool) {
	t := r.t
	e, short, ok := berRead(t.Data, off, min(within, len(t.Data)))
	if !ok {
		if short && within > len(t.Data) {
			t.Mark(r.l, Truncated)
		} else {
			t.Mark(r.l, Malformed)
		}
		return e, false
	}
	if e.end > within {
		if e.end > r.end || within == r.end {
			reachOrMark(t, r.l, e.end, r.end)
		} else {
			t.Mark(r.l, Malformed)
		}
		return e, false
	}
	return e, reachOrMark(t, r.l, e.end, r.end)
}

// snmpOther hands a datagram that is not SNMP to the dissector of the
// other port of the UDP layer below, or to data.
func snmpOther(t *Tree, off, end int) {
	if u := t.Below(len(t.Nodes), protoUDP); u >= 0 {
		sport, _ := t.Value(u, fUDPSrcPort)
		dport, _ := t.Value(u, fUDPDstPort)
		for _, p := range [2]uint64{sport, dport} {
			if d := UDPPorts.Lookup(uint32(p)); d != nil && p != 161 && p != 162 {
				t.Call(d, off, end)
				return
			}
		}
	}
	DissectData(t, off, end)
}

func dissectSNMP(t *Tree, off, end int) {
	if t.Avail(off, end) > 0 && t.U8(off) != berSequence {
		snmpOther(t, off, end)
		return
	}
	l, _, ok := t.StartLayer(protoSNMP, off, end, 1)
	if !ok {
		return
	}
	r := snmpReader{t: t, l: l, end: end}
	msg, ok := r.next(off, end)
	if !ok {
		return
	}
	ver, ok := r.next(msg.start, msg.end)
	if !ok {
		return
	}
	if ver.tag != berInteger {
		return
	}
	v := berInt(t.Data, ver.start, ver.end)
	t.Add(l, fSNMPVersion, ver.start, ver.end-ver.start, v)
	if v > 1 {
		return
	}
	com, ok := r.next(ver.end, msg.end)
	if !ok || com.tag != berOctets {
		return
	}
	t.AddText(l, fSNMPCommunity, com.start, com.end-com.start, t.Data[com.start:com.end])
	pdu, ok := r.next(com.end, msg.end)
	if !ok || pdu.tag&0xe0 != berPDU {
		return
	}
	kind := uint64(pdu.tag & 0x1f)
	t.Add(l, fSNMPData, com.end, pdu.end-com.end, kind)
	o := pdu.start
	var fields []FieldID
	if kind == 4 {
		fields = snmpTrapFields[:]
	} else {
		fields = snmpPDUFields[:]
	}
	for _, f := range fields {
		e, ok := r.next(o, pdu.end)
		if !ok {
			return
		}
		switch f {
		case fSNMPEnterprise:
			t.AddBytes(l, f, e.start, e.end-e.start)
		case fSNMPAgentAddr:
			if e.end-e.start == 4 {
				t.AddBytes(l, f, e.start, 4)
			}
		default:
			t.Add(l, f, e.start, e.end-e.start, berInt(t.Data, e.start, e.end))
		}
		o = e.end
	}
	binds, ok := r.next(o, pdu.end)
	if !ok {
		return
	}
	count := 0
	vb := t.Add(l, fSNMPVariableBinds, binds.start, binds.end-binds.start, 0)
	for o = binds.start; o < binds.end; count++ {
		b, ok := r.next(o, binds.end)
		if !ok {
			break
		}
		name, ok := r.next(b.start, b.end)
		if !ok {
			break
		}
		t.AddBytes(vb, fSNMPName, name.start, name.end-name.start)
		if _, ok := r.next(name.end, b.end); !ok {
			break
		}
		o = b.end
	}
	t.Nodes[vb].Val = uint64(count)
}

// The elements before the variable bindings: of a trap (RFC 1157 section
// 4.1.6), and of every other PDU.
var (
	snmpTrapFields = [5]FieldID{fSNMPEnterprise, fSNMPAgentAddr, fSNMPGenericTrap, fSNMPSpecificTrap, fSNMPTimeStamp}
	snmpPDUFields  = [3]FieldID{fSNMPRequestID, fSNMPErrorStatus, fSNMPErrorIndex}
)

// textSNMP prints tcpdump's "[|snmp]" for a message cut short by the
// capture; decode does not print a whole message's PDU and bindings as
// tcpdump does, only its length.
func textSNMP(p *Printer, l int) {
	n := p.Node(l)
	if p.t.Nodes[n].Flags&Truncated != 0 {
		p.b = append(p.b, "  [|snmp]"...)
		return
	}
	p.b = append(p.b, "UDP, length "...)
	p.b = strconv.AppendInt(p.b, int64(p.t.Nodes[n].Len), 10)
}
