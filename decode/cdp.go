package decode

// Cisco Discovery Protocol, SNAP OUI 0x00000c PID 0x2000: a version, a
// time to live and an IP-style checksum over the whole message, then TLVs
// of a 16-bit type and a 16-bit length that counts the TLV's four header
// bytes. decode reads the chain and the names in it.

import (
	"strconv"

	"github.com/sockscope/sockscope/decode/wire"
)

var (
	protoCDP        = proto("cdp", "Cisco Discovery Protocol")
	fCDPVersion     = field("cdp.version", "Version", TypeUint8)
	fCDPTTL         = field("cdp.ttl", "TTL", TypeUint8)
	fCDPChecksum    = register(Field{Name: "cdp.checksum", Title: "Checksum", Type: TypeUint16, Hex: true})
	fCDPChecksumBad = field("cdp.bad_checksum", "Bad checksum", TypeNone)
	fCDPTLVType     = register(Field{Name: "cdp.tlv.type", Title: "Type", Type: TypeUint16, Hex: true})
	fCDPTLVLen      = field("cdp.tlv.len", "Length", TypeUint16)
	fCDPDeviceID    = field("cdp.deviceid", "Device ID", TypeString)
	fCDPPortID      = field("cdp.portid", "Sent through Interface", TypeString)
	fCDPPlatform    = field("cdp.platform", "Platform", TypeString)
)

// cdpTLVDevice, cdpTLVPort and cdpTLVPlatform are the TLV types whose
// strings decode gives.
const (
	cdpTLVDevice   = 1
	cdpTLVPort     = 3
	cdpTLVPlatform = 6
)

func init() {
	llcCiscoDissectors[0x2000] = dissectCDP
	registerText(protoCDP, textCDP)
	shortNames["cdp"] = "CDP"
	expert(fCDPChecksumBad, expertInfo{severity: SeverityError, group: GroupChecksum, protocol: "CDP",
		summary: func(t *Tree, l, n int, b []byte) []byte {
			return append(appendHex4(append(b, "Bad checksum [should be 0x"...), t.Nodes[n].Val), ']')
		}})
}

// dissectCDP reads the header, verifies the checksum of a message captured
// whole, and walks the TLVs; a TLV header or value past the frame's end
// marks the layer Malformed, past the capture's Truncated.
func dissectCDP(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoCDP, off, end, 4)
	if !ok {
		if off+n >= end {
			t.Nodes[l].Flags = t.Nodes[l].Flags&^Truncated | Malformed
		}
		return
	}
	t.Add(l, fCDPVersion, off, 1, t.U8(off))
	t.Add(l, fCDPTTL, off+1, 1, t.U8(off+1))
	ck := t.U16(off + 2)
	c := t.Add(l, fCDPChecksum, off+2, 2, ck)
	if off+n == end {
		want := uint64(wire.Fold(wire.Sum(wire.Sum(0, t.Data[off:off+2]), t.Data[off+4:end])))
		if want != ck {
			t.Nodes[t.Add(c, fCDPChecksumBad, off+2, 2, want)].Flags |= Generated
		}
	}
	stop := off + n
	bad := func() {
		if stop < end {
			t.Mark(l, Truncated)
		} else {
			t.Mark(l, Malformed)
		}
	}
	for p := off + 4; p < end; {
		if p+4 > stop {
			bad()
			return
		}
		typ, ln := t.U16(p), int(t.U16(p+2))
		t.Add(l, fCDPTLVType, p, 2, typ)
		t.Add(l, fCDPTLVLen, p+2, 2, uint64(ln))
		if ln < 4 || p+ln > stop {
			bad()
			return
		}
		switch typ {
		case cdpTLVDevice:
			t.AddBytes(l, fCDPDeviceID, p+4, ln-4)
		case cdpTLVPort:
			t.AddBytes(l, fCDPPortID, p+4, ln-4)
		case cdpTLVPlatform:
			t.AddBytes(l, fCDPPlatform, p+4, ln-4)
		}
		p += ln
	}
}

// textCDP prints tcpdump's default lines: "CDPv2, ttl: 180s", the device ID
// as ", Device-ID 'Switch'", every other TLV's value as hex rows, and
// ", length 378" after them.
func textCDP(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off, ln := int(t.Nodes[n].Off), int(t.Nodes[n].Len)
	end := off + ln
	stop := off + t.Avail(off, end)
	if stop-off < 4 {
		p.b = append(p.b, " (packet length "...)
		p.b = strconv.AppendInt(p.b, int64(ln), 10)
		p.b = append(p.b, " < 4) (invalid)"...)
		return
	}
	p.b = append(p.b, "CDPv"...)
	p.b = strconv.AppendUint(p.b, t.U8(off), 10)
	p.b = append(p.b, ", ttl: "...)
	p.b = strconv.AppendUint(p.b, t.U8(off+1), 10)
	p.b = append(p.b, 's')
	for q := off + 4; q < end; {
		if end-q < 4 {
			p.b = append(p.b, " (remaining packet length "...)
			p.b = strconv.AppendInt(p.b, int64(end-q), 10)
			p.b = append(p.b, " < 4) (invalid)"...)
			return
		}
		if q+4 > stop {
			p.b = append(p.b, " [|cdp]"...)
			return
		}
		typ, tl := t.U16(q), int(t.U16(q+2))
		if tl < 4 || q+tl > stop {
			p.b = append(p.b, " [|cdp]"...)
			return
		}
		if typ == cdpTLVDevice {
			p.b = append(p.b, ", Device-ID '"...)
			p.b = append(p.b, t.Data[q+4:q+tl]...)
			p.b = append(p.b, '\'')
		} else {
			p.b = cdpHexRows(p.b, t.Data[q+4:q+tl])
		}
		q += tl
	}
	p.b = append(p.b, ", length "...)
	p.b = strconv.AppendInt(p.b, int64(ln), 10)
}

// cdpHexRows writes data as the rows tcpdump gives a CDP value: "\n\t
// 0x0000:  4369 7363 ..." without the ASCII column.
func cdpHexRows(b, data []byte) []byte {
	for i := 0; i < len(data); i += 16 {
		row := data[i:min(i+16, len(data))]
		b = append(b, "\n\t  0x"...)
		b = appendHexOffset(b, uint64(i))
		b = append(b, ": "...)
		for j := 0; j < len(row); j += 2 {
			b = append(b, ' ', hexLower[row[j]>>4], hexLower[row[j]&15])
			if j+1 < len(row) {
				b = append(b, hexLower[row[j+1]>>4], hexLower[row[j+1]&15])
			}
		}
	}
	return b
}
