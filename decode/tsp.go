package decode

import "strconv"

// The Time Synchronization Protocol of BSD's timed (timedc(8), "The Berkeley
// UNIX Time Synchronization Protocol") on UDP port 525: a type, a version, a
// sequence number, an 8-byte union (a hop count for a loop message, a time
// for the messages that set or adjust the clock) and the sender's host name,
// NUL-terminated, from byte 12.

var (
	protoTSP     = proto("tsp", "Time Synchronization Protocol")
	fTSPType     = enumField("tsp.type", "Type", TypeUint8, tspTypeValues)
	fTSPVersion  = field("tsp.version", "Version", TypeUint8)
	fTSPSequence = field("tsp.sequence", "Sequence", TypeUint16)
	fTSPHopcnt   = field("tsp.hopcnt", "Hop Count", TypeUint8)
	fTSPSec      = field("tsp.sec", "Seconds", TypeUint32)
	fTSPUsec     = field("tsp.usec", "Microseconds", TypeUint32)
	fTSPName     = field("tsp.name", "Machine Name", TypeStringz)
	// tspTypes are the message types, as tcpdump names them.
	tspTypes = [...]string{"TSP_ANY", "TSP_ADJTIME", "TSP_ACK", "TSP_MASTERREQ", "TSP_MASTERACK",
		"TSP_SETTIME", "TSP_MASTERUP", "TSP_SLAVEUP", "TSP_ELECTION", "TSP_ACCEPT", "TSP_REFUSE",
		"TSP_CONFLICT", "TSP_RESOLVE", "TSP_QUIT", "TSP_DATE", "TSP_DATEREQ", "TSP_DATEACK",
		"TSP_TRACEON", "TSP_TRACEOFF", "TSP_MSITE", "TSP_MSITEREQ", "TSP_TEST", "TSP_SETDATE",
		"TSP_SETDATEREQ", "TSP_LOOP"}
	tspTypeValues = map[uint64]string{0: "any", 1: "adjtime", 2: "ack", 3: "masterreq", 4: "masteract",
		5: "settime", 6: "masterup", 7: "slaveup", 8: "election", 9: "accept", 10: "refuse",
		11: "conflict", 12: "resolve", 13: "quit", 14: "date", 15: "datereq", 16: "dateack",
		17: "traceon", 18: "traceoff", 19: "msite", 20: "msitereq", 21: "test", 22: "setdate",
		23: "setdatereq", 24: "loop"}
)

// The types whose union holds a hop count, and those whose union holds a
// time.
const (
	tspLoop    = 24
	tspNameOff = 12
)

// tspTimed reports whether the union of a message of type typ is a time.
func tspTimed(typ uint64) bool { return typ == 1 || typ == 5 || typ == 22 || typ == 23 }

func init() {
	UDPPorts.Register(525, dissectTSP)
	registerText(protoTSP, textTSP)
	malformedNames[protoTSP] = "TSP"
}

func dissectTSP(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoTSP, off, end, 4)
	if !ok {
		runOut(t, l, protoTSP, off+4, end)
		return
	}
	typ := t.U8(off)
	t.Add(l, fTSPType, off, 1, typ)
	t.Add(l, fTSPVersion, off+1, 1, t.U8(off+1))
	t.Add(l, fTSPSequence, off+2, 2, t.U16(off+2))
	switch {
	case typ == tspLoop:
		if n < 5 {
			runOut(t, l, protoTSP, off+5, end)
			return
		}
		t.Add(l, fTSPHopcnt, off+4, 1, t.U8(off+4))
	case tspTimed(typ):
		if n < 12 {
			runOut(t, l, protoTSP, off+12, end)
			return
		}
		t.Add(l, fTSPSec, off+4, 4, t.U32(off+4))
		t.Add(l, fTSPUsec, off+8, 4, t.U32(off+8))
	}
	name := off + tspNameOff
	lim := off + n
	for i := name; i < lim; i++ {
		if t.Data[i] == 0 {
			t.AddBytes(l, fTSPName, name, i-name)
			return
		}
	}
	// No NUL before the bytes end.
	runOut(t, l, protoTSP, lim+1, end)
}

// textTSP prints tcpdump's line, "TSP_LOOP vers 1 seq 15498 hopcnt 10 name
// OTTO.testlab.dev.bluearc.com", "(tsp_type 0x30)" for a type it does not
// know, and [|timed] where the capture ends first.
func textTSP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off, _, lim := capturedSpan(t, n)
	d := t.Data
	if off+4 > lim {
		p.b = append(p.b, "[|timed]"...)
		return
	}
	typ := d[off]
	if int(typ) < len(tspTypes) {
		p.b = append(p.b, tspTypes[typ]...)
	} else {
		p.b = append(p.b, "(tsp_type 0x"...)
		p.b = strconv.AppendUint(p.b, uint64(typ), 16)
		p.b = append(p.b, ')')
	}
	p.b = append(p.b, " vers "...)
	p.b = strconv.AppendUint(p.b, uint64(d[off+1]), 10)
	p.b = append(p.b, " seq "...)
	p.b = strconv.AppendUint(p.b, t.U16(off+2), 10)
	if typ == tspLoop {
		if off+5 > lim {
			p.b = append(p.b, " [|timed]"...)
			return
		}
		p.b = append(p.b, " hopcnt "...)
		p.b = strconv.AppendUint(p.b, uint64(d[off+4]), 10)
	}
	p.b = append(p.b, " name "...)
	for i := off + tspNameOff; ; i++ {
		if i >= lim {
			p.b = append(p.b, " [|timed]"...)
			return
		}
		if d[i] == 0 {
			return
		}
		p.b = appendPrintable(p.b, d[i])
	}
}
