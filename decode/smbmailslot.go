package decode

// An SMB Transaction request to a mailslot, as NetBIOS datagrams carry
// them (over IPX here): the SMB header ("\xffSMB", a command), the
// Transaction's words and its name; a name under \MAILSLOT\ makes the
// setup words a mailslot layer, and the data of \MAILSLOT\BROWSE a browser
// layer. decode reads no further: these layers are what tshark's hierarchy
// names, and only that.

import "bytes"

var (
	protoSMB       = proto("smb", "SMB (Server Message Block Protocol)")
	fSMBCmd        = register(Field{Name: "smb.cmd", Title: "SMB Command", Type: TypeUint8, Hex: true})
	fSMBTransName  = field("smb.trans_name", "Transaction Name", TypeString)
	protoMailslot  = proto("mailslot", "SMB MailSlot Protocol")
	fMailslotOp    = field("mailslot.opcode", "Opcode", TypeUint16)
	protoBrowser   = proto("browser", "Microsoft Windows Browser Protocol")
	fBrowserCmd    = register(Field{Name: "browser.command", Title: "Command", Type: TypeUint8, Hex: true})
	smbHeaderBytes = 32
)

// smbTrans is SMB's Transaction command; smbTransWords the count of its
// request's parameter words before the setup words (SNIA CIFS 4.2.6).
const (
	smbTrans      = 0x25
	smbTransWords = 14
)

var (
	smbMagic        = []byte("\xffSMB")
	smbMailslotName = []byte(`\MAILSLOT\`)
	smbBrowseName   = []byte(`\MAILSLOT\BROWSE`)
)

func init() {
	shortNames["smb"] = "SMB"
	shortNames["mailslot"] = "SMB Mailslot"
	shortNames["browser"] = "BROWSER"
}

// dissectSMBMailslot reads [off, end) as an SMB message if it has SMB's
// signature, else as data.
func dissectSMBMailslot(t *Tree, off, end int) {
	n := t.Avail(off, end)
	if n < smbHeaderBytes || !bytes.Equal(t.Data[off:off+4], smbMagic) {
		DissectData(t, off, end)
		return
	}
	stop := off + n
	l := t.AddLayer(protoSMB, off, end-off)
	cmd := t.U8(off + 4)
	t.Add(l, fSMBCmd, off+4, 1, cmd)
	// A request (the flags' reply bit clear) of a Transaction.
	if cmd != smbTrans || t.U8(off+9)&0x80 != 0 {
		return
	}
	w := off + smbHeaderBytes
	if w >= stop {
		return
	}
	wct := int(t.U8(w))
	words := w + 1
	bcc := words + 2*wct
	if wct < smbTransWords || bcc+2 > stop {
		return
	}
	name := bcc + 2
	e := name
	for e < stop && t.Data[e] != 0 {
		e++
	}
	t.AddBytes(l, fSMBTransName, name, e-name)
	nm := t.Data[name:e]
	if len(nm) < len(smbMailslotName) || !bytes.EqualFold(nm[:len(smbMailslotName)], smbMailslotName) {
		return
	}
	setup := words + 2*smbTransWords
	m := t.AddLayer(protoMailslot, setup, end-setup)
	if setup+2 <= stop {
		t.Add(m, fMailslotOp, setup, 2, uint64(t.Data[setup])|uint64(t.Data[setup+1])<<8)
	}
	if !bytes.EqualFold(nm, smbBrowseName) {
		return
	}
	dataOff := words + 2*12
	d := off + (int(t.Data[dataOff]) | int(t.Data[dataOff+1])<<8)
	if d < off+smbHeaderBytes || d >= end {
		return
	}
	b := t.AddLayer(protoBrowser, d, end-d)
	if d < stop {
		t.Add(b, fBrowserCmd, d, 1, t.U8(d))
	}
}
