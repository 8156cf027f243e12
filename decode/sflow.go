package decode

// sFlow version 5 (sflow.org's sFlow Version 5 specification, 2004; versions
// 2 and 4 share its header) on UDP port 6343: a header naming the agent, then
// samples of a type and a length, each holding records of a format and a
// length. decode reads the header and walks the samples and records by
// their lengths; a length past the datagram ends it malformed. A datagram
// of another version is data, as tshark takes it.

import "strconv"

var (
	protoSFlow         = proto("sflow", "InMon sFlow")
	fSFlowVersion      = field("sflow_245.version", "Datagram version", TypeUint32)
	fSFlowAgentType    = enumField("sflow_245.agenttype", "Agent address type", TypeUint32, map[uint64]string{1: "IPv4", 2: "IPv6"})
	fSFlowAgent        = field("sflow_245.agent", "Agent address", TypeIPv4)
	fSFlowAgent6       = field("sflow_245.agent.v6", "Agent address", TypeIPv6)
	fSFlowSubAgent     = field("sflow_245.sub_agent_id", "Sub-agent ID", TypeUint32)
	fSFlowSequence     = field("sflow_245.sequence_number", "Sequence number", TypeUint32)
	fSFlowUptime       = field("sflow_245.sysuptime", "SysUptime", TypeUint32)
	fSFlowNumSamples   = field("sflow_245.numsamples", "NumSamples", TypeUint32)
	fSFlowSampleType   = register(Field{Name: "sflow_245.sampletype", Title: "sFlow sample type", Type: TypeUint32, Mask: 0xfff})
	fSFlowSampleLength = field("sflow_5.sample_length", "Sample length (byte)", TypeUint32)
	fSFlowRecordLength = field("sflow_5.flow_data_length", "Flow data length (byte)", TypeUint32)
)

const sflowPort = 6343

// sflowCounterLen is the length of the standard counters records by
// format (sFlow Version 5, section 5: generic interface, Ethernet, Token
// Ring, 100 BaseVG, VLAN).
func sflowCounterLen(format uint64) int {
	switch format {
	case 1:
		return 88
	case 2:
		return 52
	case 3:
		return 72
	case 4:
		return 80
	case 5:
		return 28
	}
	return 0
}

func init() {
	UDPPorts.Register(sflowPort, dissectSFlow)
	registerText(protoSFlow, textSFlow)
}

// sflowHeaderLen is the header's length for an agent address of type at
// (1 IPv4, 2 IPv6), 0 for another type.
func sflowHeaderLen(at uint64) int {
	switch at {
	case 1:
		return 28
	case 2:
		return 40
	}
	return 0
}

// sflowRecordsAt is where the record count of a sample of type typ sits
// (from the sample's data): flow and counters samples, and their expanded
// forms; -1 for a type whose records decode does not walk.
func sflowRecordsAt(typ uint64) int {
	switch typ {
	case 1:
		return 28
	case 2:
		return 8
	case 3:
		return 40
	case 4:
		return 12
	}
	return -1
}

func dissectSFlow(t *Tree, off, end int) {
	n := t.Avail(off, end)
	if n >= 4 {
		if v := t.U32(off); v != 2 && v != 4 && v != 5 {
			DissectData(t, off, end)
			return
		}
	}
	l, _, ok := t.StartLayer(protoSFlow, off, end, 1)
	if !ok {
		return
	}
	have := func(need int) bool { return reachOrMark(t, l, need, end) }
	if !have(off + 8) {
		return
	}
	t.Add(l, fSFlowVersion, off, 4, t.U32(off))
	at := t.U32(off + 4)
	t.Add(l, fSFlowAgentType, off+4, 4, at)
	hl := sflowHeaderLen(at)
	if hl == 0 {
		return
	}
	if !have(off + hl) {
		return
	}
	o := off + 8
	if at == 1 {
		t.AddBytes(l, fSFlowAgent, o, 4)
		o += 4
	} else {
		t.AddBytes(l, fSFlowAgent6, o, 16)
		o += 16
	}
	t.Add(l, fSFlowSubAgent, o, 4, t.U32(o))
	t.Add(l, fSFlowSequence, o+4, 4, t.U32(o+4))
	t.Add(l, fSFlowUptime, o+8, 4, t.U32(o+8))
	count := t.U32(o + 12)
	t.Add(l, fSFlowNumSamples, o+12, 4, count)
	o += 16
	for i := uint64(0); i < count; i++ {
		if !have(o + 8) {
			return
		}
		typ := t.U32(o) & 0xfff
		slen := int(t.U32(o + 4))
		t.Add(l, fSFlowSampleType, o, 4, typ)
		t.Add(l, fSFlowSampleLength, o+4, 4, uint64(slen))
		data := o + 8
		if slen < 0 || slen > end-data {
			t.Mark(l, Malformed)
			return
		}
		if !have(data + slen) {
			return
		}
		if ra := sflowRecordsAt(typ); ra >= 0 && t.U32(o)>>12 == 0 {
			if ra+4 > slen {
				t.Mark(l, Malformed)
				return
			}
			nrec := t.U32(data + ra)
			r := data + ra + 4
			for j := uint64(0); j < nrec; j++ {
				if r+8 > data+slen {
					t.Mark(l, Malformed)
					return
				}
				rlen := int(t.U32(r + 4))
				t.Add(l, fSFlowRecordLength, r+4, 4, uint64(rlen))
				if rlen < 0 || rlen > data+slen-(r+8) {
					t.Mark(l, Malformed)
					return
				}
				if rf := t.U32(r); (typ == 2 || typ == 4) && rf>>12 == 0 {
					// tshark reads a standard counters record whole
					// whatever its length says and goes on after what
					// it read: nothing of a format it does not know.
					rlen = sflowCounterLen(rf)
					if r+8+rlen > data+slen {
						t.Mark(l, Malformed)
						return
					}
				}
				r += 8 + rlen
			}
		}
		o = data + slen
	}
}

// textSFlow prints tcpdump's line of an sFlow datagram: its version, the
// agent and its sub-agent ID and the length; decode prints the same with
// -v.
func textSFlow(p *Printer, l int) {
	t := &p.t
	off, length, _ := capturedSpan(t, p.Node(l))
	d := t.Data
	if off+4 > len(d) {
		p.b = append(p.b, "sFlow [|SFLOW]"...)
		return
	}
	v := t.U32(off)
	if v != 5 {
		p.b = append(p.b, "sFlow version "...)
		p.b = strconv.AppendUint(p.b, v, 10)
		p.b = append(p.b, " packet not supported"...)
		return
	}
	p.b = append(p.b, "sFlowv5"...)
	if length < 28 {
		p.b = append(p.b, " [length "...)
		p.b = strconv.AppendInt(p.b, int64(length), 10)
		p.b = append(p.b, " < 28] (invalid)"...)
		return
	}
	if off+8 > len(d) {
		p.b = append(p.b, " [|SFLOW]"...)
		return
	}
	at := t.U32(off + 4)
	hl := sflowHeaderLen(at)
	if hl == 0 || off+hl > len(d) {
		p.b = append(p.b, " [|SFLOW]"...)
		return
	}
	o := off + 8
	if at == 1 {
		p.b = append(p.b, ", IPv4 agent "...)
		p.b = appendIPv4(p.b, d[o:o+4])
		o += 4
	} else {
		p.b = append(p.b, ", IPv6 agent "...)
		p.b = appendIPv6(p.b, d[o:o+16])
		o += 16
	}
	p.b = append(p.b, ", agent-id "...)
	p.b = strconv.AppendUint(p.b, t.U32(o), 10)
	p.b = append(p.b, ", length "...)
	p.b = strconv.AppendInt(p.b, int64(length), 10)
}

// udpDataText prints, for data layer l of a datagram between ports sport
// and dport, the line tcpdump prints for its port where tshark saw no
// protocol in it (an sFlow datagram of a version neither reads); false
// when there is none.
func udpDataText(p *Printer, l int, sport, dport uint64) bool {
	if sport != sflowPort && dport != sflowPort {
		return false
	}
	textSFlow(p, l)
	return true
}
