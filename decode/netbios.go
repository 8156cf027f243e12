package decode

// NetBIOS over UDP (RFC 1002): the name service on port 137, a DNS-like
// header with questions and resource records under encoded names (section
// 4.2), and the datagram service on port 138 (section 4.4), whose direct
// and broadcast datagrams carry an SMB message. Of SMB (MS-CIFS) decode
// reads the header and a Trans request's name: a mailslot write (MS-MAIL)
// and, on \MAILSLOT\BROWSE, the browser protocol's command (MS-BRWS). The
// datagram's line is tcpdump's without -v, "UDP, length N".

import "encoding/binary"

var (
	protoNBNS       = proto("nbns", "NetBIOS Name Service")
	fNBNSID         = register(Field{Name: "nbns.id", Title: "Transaction ID", Type: TypeUint16, Hex: true})
	fNBNSFlags      = register(Field{Name: "nbns.flags", Title: "Flags", Type: TypeUint16, Hex: true})
	fNBNSQueries    = field("nbns.count.queries", "Questions", TypeUint16)
	fNBNSAnswers    = field("nbns.count.answers", "Answer RRs", TypeUint16)
	fNBNSAuthRR     = field("nbns.count.auth_rr", "Authority RRs", TypeUint16)
	fNBNSAddRR      = field("nbns.count.add_rr", "Additional RRs", TypeUint16)
	fNBNSName       = field("nbns.name", "Name", TypeString)
	fNBNSType       = field("nbns.type", "Type", TypeUint16)
	fNBNSClass      = field("nbns.class", "Class", TypeUint16)
	fNBNSTTL        = field("nbns.ttl", "Time to live", TypeUint32)
	protoNBDGM      = proto("nbdgm", "NetBIOS Datagram Service")
	fNBDGMType      = field("nbdgm.type", "Message Type", TypeUint8)
	fNBDGMFlags     = register(Field{Name: "nbdgm.flags", Title: "Flags", Type: TypeUint8, Hex: true})
	fNBDGMID        = register(Field{Name: "nbdgm.dgram_id", Title: "Datagram ID", Type: TypeUint16, Hex: true})
	fNBDGMSrcIP     = field("nbdgm.src.ip", "Source IP", TypeIPv4)
	fNBDGMSrcPort   = field("nbdgm.src.port", "Source Port", TypeUint16)
	fNBDGMLen       = field("nbdgm.dgram_len", "Datagram length", TypeUint16)
	fNBDGMOffset    = field("nbdgm.pkt_offset", "Packet offset", TypeUint16)
	fNBDGMErrorCode = register(Field{Name: "nbdgm.error_code", Title: "Error code", Type: TypeUint8, Hex: true})
	fNBDGMSrcName   = field("nbdgm.source_name", "Source name", TypeString)
	fNBDGMDstName   = field("nbdgm.destination_name", "Destination name", TypeString)
	protoSMB        = proto("smb", "SMB (Server Message Block Protocol)")
	fSMBCmd         = register(Field{Name: "smb.cmd", Title: "SMB Command", Type: TypeUint8, Hex: true})
	fSMBWCT         = field("smb.wct", "Word Count (WCT)", TypeUint8)
	fSMBDataCount   = field("smb.dc", "Data Count", TypeUint16)
	fSMBDataOffset  = field("smb.data_offset", "Data Offset", TypeUint16)
	fSMBBCC         = field("smb.bcc", "Byte Count (BCC)", TypeUint16)
	fSMBTransName   = field("smb.trans_name", "Transaction Name", TypeString)
	protoMailslot   = proto("mailslot", "SMB MailSlot Protocol")
	fMailslotOpcode = field("mailslot.opcode", "Opcode", TypeUint16)
	fMailslotPrio   = field("mailslot.priority", "Priority", TypeUint16)
	fMailslotClass  = field("mailslot.class", "Class", TypeUint16)
	fMailslotSize   = field("mailslot.size", "Size", TypeUint16)
	fMailslotName   = field("mailslot.name", "Mailslot Name", TypeString)
	protoBrowser    = proto("browser", "Microsoft Windows Browser Protocol")
	fBrowserCommand = register(Field{Name: "browser.command", Title: "Command", Type: TypeUint8, Hex: true})
)

// netbiosSMBMagic starts an SMB message (MS-CIFS 2.2.3.1).
var netbiosSMBMagic = [4]byte{0xff, 'S', 'M', 'B'}

const (
	mailslotPrefix   = `\MAILSLOT\`
	mailslotBrowse   = `\MAILSLOT\BROWSE`
	smbTransRequest  = 0x25 // SMB_COM_TRANSACTION
	smbHeaderLen     = 32
	nbnsHeaderLen    = 12
	nbdgmHeaderLen   = 14 // to the packet offset of a direct or broadcast datagram
	nbdgmErrorLen    = 11
	nbdgmQueryLen    = 10 // a query's header before its destination name
	smbTransSetupAt  = 28 // a Trans request's setup words, from its words
	smbTransDCountAt = 22 // its data count and data offset, from its words
)

func init() {
	UDPPorts.Register(137, dissectNBNS)
	UDPPorts.Register(138, dissectNBDGM)
}

// netbiosName is where the encoded name at off (RFC 1002 section 4.1: a
// label of 32 half-byte letters, scope labels, a zero byte; or a pointer)
// ends, no byte past lim; ok is false when it runs past lim.
func netbiosName(t *Tree, off, lim int) (int, bool) {
	o := off
	for n := 0; o < lim && n < 64; n++ {
		c := int(t.U8(o))
		switch {
		case c == 0:
			return o + 1, true
		case c&0xc0 == 0xc0:
			if o+2 > lim {
				return o, false
			}
			return o + 2, true
		}
		o += 1 + c
	}
	return o, false
}

func dissectNBNS(t *Tree, off, end int) {
	l, _, ok := t.StartLayer(protoNBNS, off, end, 1)
	if !ok {
		return
	}
	if !reachOrMark(t, l, off+nbnsHeaderLen, end) {
		return
	}
	t.Add(l, fNBNSID, off, 2, t.U16(off))
	t.Add(l, fNBNSFlags, off+2, 2, t.U16(off+2))
	var counts [4]int
	for i, f := range [4]FieldID{fNBNSQueries, fNBNSAnswers, fNBNSAuthRR, fNBNSAddRR} {
		counts[i] = int(t.U16(off + 4 + 2*i))
		t.Add(l, f, off+4+2*i, 2, uint64(counts[i]))
	}
	lim := min(end, len(t.Data))
	o := off + nbnsHeaderLen
	// name reads a name and the n bytes after it.
	name := func(n int) (int, bool) {
		e, ok := netbiosName(t, o, lim)
		if !ok || e+n > lim {
			reachOrMark(t, l, max(e, lim)+1, end)
			return 0, false
		}
		t.AddBytes(l, fNBNSName, o, e-o)
		t.Add(l, fNBNSType, e, 2, t.U16(e))
		t.Add(l, fNBNSClass, e+2, 2, t.U16(e+2))
		return e, true
	}
	for i := 0; i < counts[0]; i++ {
		e, ok := name(4)
		if !ok {
			return
		}
		o = e + 4
	}
	for i := 0; i < counts[1]+counts[2]+counts[3]; i++ {
		e, ok := name(10)
		if !ok {
			return
		}
		t.Add(l, fNBNSTTL, e+4, 4, t.U32(e+4))
		rdlen := int(t.U16(e + 8))
		o = e + 10 + rdlen
		if !reachOrMark(t, l, o, end) {
			return
		}
	}
}

func dissectNBDGM(t *Tree, off, end int) {
	l, _, ok := t.StartLayer(protoNBDGM, off, end, 1)
	if !ok {
		return
	}
	typ := t.U8(off)
	t.Add(l, fNBDGMType, off, 1, typ)
	hl := nbdgmQueryLen
	switch {
	case typ >= 0x10 && typ <= 0x12:
		hl = nbdgmHeaderLen
	case typ == 0x13:
		hl = nbdgmErrorLen
	case typ < 0x10 || typ > 0x16:
		return
	}
	if !reachOrMark(t, l, off+hl, end) {
		return
	}
	t.Add(l, fNBDGMFlags, off+1, 1, t.U8(off+1))
	t.Add(l, fNBDGMID, off+2, 2, t.U16(off+2))
	t.AddBytes(l, fNBDGMSrcIP, off+4, 4)
	t.Add(l, fNBDGMSrcPort, off+8, 2, t.U16(off+8))
	lim := min(end, len(t.Data))
	o := off + hl
	switch hl {
	case nbdgmErrorLen:
		t.Add(l, fNBDGMErrorCode, off+10, 1, t.U8(off+10))
		return
	case nbdgmQueryLen:
		e, ok := netbiosName(t, o, lim)
		if !ok {
			reachOrMark(t, l, lim+1, end)
			return
		}
		t.AddBytes(l, fNBDGMDstName, o, e-o)
		return
	}
	t.Add(l, fNBDGMLen, off+10, 2, t.U16(off+10))
	t.Add(l, fNBDGMOffset, off+12, 2, t.U16(off+12))
	for _, f := range [2]FieldID{fNBDGMSrcName, fNBDGMDstName} {
		e, ok := netbiosName(t, o, lim)
		if !ok {
			reachOrMark(t, l, lim+1, end)
			return
		}
		t.AddBytes(l, f, o, e-o)
		o = e
	}
	if t.Avail(o, end) >= 4 && [4]byte(t.Data[o:o+4]) == netbiosSMBMagic {
		dissectSMBMailslot(t, o, end)
	} else if o < end {
		DissectData(t, o, end)
	}
}

// dissectSMBMailslot reads the SMB message at off that a datagram carries:
// its header, and of a Trans request the mailslot write and the browser
// command it may hold.
func dissectSMBMailslot(t *Tree, off, end int) {
	l, _, _ := t.StartLayer(protoSMB, off, end, 4)
	if !reachOrMark(t, l, off+smbHeaderLen+1, end) {
		return
	}
	cmd := t.U8(off + 4)
	t.Add(l, fSMBCmd, off+4, 1, cmd)
	w := off + smbHeaderLen
	wct := int(t.U8(w))
	t.Add(l, fSMBWCT, w, 1, uint64(wct))
	bc := w + 1 + 2*wct
	if !reachOrMark(t, l, bc+2, end) {
		return
	}
	bcc := int(u16le(t, bc))
	if cmd != smbTransRequest || t.U8(off+9)&0x80 != 0 || wct < 14 {
		t.Add(l, fSMBBCC, bc, 2, uint64(bcc))
		return
	}
	words := w + 1
	dcount := int(u16le(t, words+smbTransDCountAt))
	doff := int(u16le(t, words+smbTransDCountAt+2))
	t.Add(l, fSMBDataCount, words+smbTransDCountAt, 2, uint64(dcount))
	t.Add(l, fSMBDataOffset, words+smbTransDCountAt+2, 2, uint64(doff))
	t.Add(l, fSMBBCC, bc, 2, uint64(bcc))
	// The transaction's name: NUL-terminated ASCII after the byte count.
	nm := bc + 2
	lim := min(end, len(t.Data))
	ne := nm
	for ne < lim && t.Data[ne] != 0 {
		ne++
	}
	if ne >= lim {
		reachOrMark(t, l, lim+1, end)
		return
	}
	name := t.Data[nm:ne]
	t.AddText(l, fSMBTransName, nm, ne+1-nm, name)
	if len(name) < len(mailslotPrefix) || string(name[:len(mailslotPrefix)]) != mailslotPrefix || wct < 17 {
		return
	}
	setup := words + smbTransSetupAt
	m := t.AddLayer(protoMailslot, setup, end-setup)
	t.Add(m, fMailslotOpcode, setup, 2, u16le(t, setup))
	t.Add(m, fMailslotPrio, setup+2, 2, u16le(t, setup+2))
	t.Add(m, fMailslotClass, setup+4, 2, u16le(t, setup+4))
	t.Add(m, fMailslotSize, bc, 2, uint64(bcc))
	t.AddText(m, fMailslotName, nm, ne+1-nm, name)
	if string(name) != mailslotBrowse {
		return
	}
	data := off + doff
	if dcount == 0 || data >= end {
		return
	}
	b := t.AddLayer(protoBrowser, data, min(end, data+dcount)-data)
	if !reachOrMark(t, b, data+1, end) {
		return
	}
	t.Add(b, fBrowserCommand, data, 1, t.U8(data))
}

// u16le reads the little-endian 16-bit integer at off (SMB's byte order);
// the caller has checked that the bytes were captured.
func u16le(t *Tree, off int) uint64 { return uint64(binary.LittleEndian.Uint16(t.Data[off:])) }
