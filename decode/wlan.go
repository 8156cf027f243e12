package decode

// IEEE 802.11 frames (link type 105, or after a radiotap header): the MAC
// header (frame control, duration, up to four addresses named by the
// frame's type and its To DS and From DS bits, sequence control, QoS and
// HT control), a management frame's body as Wireshark's wlan.mgt layer
// (fixed parameters, then tagged elements), a data frame's LLC handed on,
// and the FCS at the end when the radio says it is there. IEEE 802.11-2016
// clause 9 gives the formats.

import (
	"encoding/binary"
	"strconv"

	"github.com/sockscope/sockscope/decode/wire"
)

var (
	protoWlan       = proto("wlan", "IEEE 802.11 wireless LAN")
	fWlanTypeSub    = register(Field{Name: "wlan.fc.type_subtype", Title: "Type/Subtype", Type: TypeUint16, Hex: true})
	fWlanFC         = register(Field{Name: "wlan.fc", Title: "Frame Control Field", Type: TypeUint16, Hex: true})
	fWlanVersion    = register(Field{Name: "wlan.fc.version", Title: "Version", Type: TypeUint8, Mask: 0x03})
	fWlanType       = register(Field{Name: "wlan.fc.type", Title: "Type", Type: TypeUint8, Mask: 0x0c, Values: wlanTypeNames})
	fWlanSubtype    = register(Field{Name: "wlan.fc.subtype", Title: "Subtype", Type: TypeUint8, Mask: 0xf0})
	fWlanFlags      = register(Field{Name: "wlan.flags", Title: "Flags", Type: TypeUint8, Hex: true})
	fWlanDS         = register(Field{Name: "wlan.fc.ds", Title: "DS status", Type: TypeUint8, Mask: 0x03, Hex: true})
	fWlanToDS       = flagField("wlan.fc.tods", "To DS", 0x01)
	fWlanFromDS     = flagField("wlan.fc.fromds", "From DS", 0x02)
	fWlanMoreFrag   = flagField("wlan.fc.frag", "More Fragments", 0x04)
	fWlanRetry      = flagField("wlan.fc.retry", "Retry", 0x08)
	fWlanPwrMgt     = flagField("wlan.fc.pwrmgt", "PWR MGT", 0x10)
	fWlanMoreData   = flagField("wlan.fc.moredata", "More Data", 0x20)
	fWlanProtected  = flagField("wlan.fc.protected", "Protected flag", 0x40)
	fWlanOrder      = flagField("wlan.fc.order", "+HTC/Order flag", 0x80)
	fWlanDuration   = register(Field{Name: "wlan.duration", Title: "Duration", Type: TypeUint16, Mask: 0x7fff})
	fWlanRA         = field("wlan.ra", "Receiver address", TypeEther)
	fWlanDA         = field("wlan.da", "Destination address", TypeEther)
	fWlanTA         = field("wlan.ta", "Transmitter address", TypeEther)
	fWlanSA         = field("wlan.sa", "Source address", TypeEther)
	fWlanBSSID      = field("wlan.bssid", "BSS Id", TypeEther)
	fWlanSTAA       = field("wlan.staa", "STA address", TypeEther)
	fWlanFrag       = register(Field{Name: "wlan.frag", Title: "Fragment number", Type: TypeUint16, Mask: 0x000f})
	fWlanSeq        = register(Field{Name: "wlan.seq", Title: "Sequence number", Type: TypeUint16, Mask: 0xfff0})
	fWlanQoS        = register(Field{Name: "wlan.qos", Title: "Qos Control", Type: TypeUint16, Hex: true})
	fWlanHTC        = register(Field{Name: "wlan.htc", Title: "HT Control (+HTC)", Type: TypeUint32, Hex: true})
	fWlanWEPIV      = register(Field{Name: "wlan.wep.iv", Title: "Initialization Vector", Type: TypeUint24, Hex: true})
	fWlanWEPKey     = field("wlan.wep.key", "Key Index", TypeUint8)
	fWlanFCS        = register(Field{Name: "wlan.fcs", Title: "Frame check sequence", Type: TypeUint32, Hex: true})
	protoWlanMgt    = proto("wlan.mgt", "IEEE 802.11 Wireless Management")
	fWlanFixed      = field("wlan.fixed.all", "Fixed parameters", TypeNone)
	fWlanTimestamp  = register(Field{Name: "wlan.fixed.timestamp", Title: "Timestamp", Type: TypeUint64})
	fWlanBeaconIval = field("wlan.fixed.beacon", "Beacon Interval", TypeUint32)
	fWlanCaps       = register(Field{Name: "wlan.fixed.capabilities", Title: "Capabilities Information", Type: TypeUint16, Hex: true})
	fWlanListenIval = register(Field{Name: "wlan.fixed.listen_ival", Title: "Listen Interval", Type: TypeUint16, Hex: true})
	fWlanCurrentAP  = field("wlan.fixed.current_ap", "Current AP", TypeEther)
	fWlanStatus     = register(Field{Name: "wlan.fixed.status_code", Title: "Status code", Type: TypeUint16, Hex: true})
	fWlanAID        = register(Field{Name: "wlan.fixed.aid", Title: "Association ID", Type: TypeUint16, Mask: 0x3fff, Hex: true})
	fWlanReason     = register(Field{Name: "wlan.fixed.reason_code", Title: "Reason code", Type: TypeUint16, Hex: true})
	fWlanAuthAlg    = field("wlan.fixed.auth.alg", "Authentication Algorithm", TypeUint16)
	fWlanAuthSeq    = register(Field{Name: "wlan.fixed.auth_seq", Title: "Authentication SEQ", Type: TypeUint16, Hex: true})
	fWlanTagged     = field("wlan.tagged.all", "Tagged parameters", TypeNone)
	fWlanTag        = field("wlan.tag", "Tag", TypeNone)
	fWlanTagNumber  = field("wlan.tag.number", "Tag Number", TypeUint8)
	fWlanTagLength  = field("wlan.tag.length", "Tag length", TypeUint32)
	fWlanSSID       = field("wlan.ssid", "SSID", TypeBytes)
	fWlanRates      = field("wlan.supported_rates", "Supported Rates", TypeUint8)
	fWlanExtRates   = field("wlan.extended_supported_rates", "Extended Supported Rates", TypeUint8)
	fWlanDSChannel  = field("wlan.ds.current_channel", "Current Channel", TypeUint8)
	fWlanRSNVersion = field("wlan.rsn.version", "RSN Version", TypeUint16)
	fWlanRSNGCS     = register(Field{Name: "wlan.rsn.gcs", Title: "Group Cipher Suite", Type: TypeUint32, Hex: true})
	fWlanRSNPCSCnt  = field("wlan.rsn.pcs.count", "Pairwise Cipher Suite Count", TypeUint16)
	fWlanRSNPCSBad  = field("wlan.rsn.pcs.count.invalid", "Pairwise Cipher Suite Count too large", TypeNone)
	fWlanRSNPCSList = field("wlan.rsn.pcs.list", "Pairwise Cipher Suite List", TypeNone)
	fWlanRSNPCS     = register(Field{Name: "wlan.rsn.pcs", Title: "Pairwise Cipher Suite", Type: TypeUint32, Hex: true})
	fWlanRSNAKMCnt  = field("wlan.rsn.akms.count", "Auth Key Management (AKM) Suite Count", TypeUint16)
	fWlanRSNAKMBad  = field("wlan.rsn.akms.count.invalid", "Auth Key Management (AKM) Suite Count too large", TypeNone)
	fWlanRSNAKMList = field("wlan.rsn.akms.list", "Auth Key Management (AKM) List", TypeNone)
	fWlanRSNAKM     = register(Field{Name: "wlan.rsn.akms", Title: "Auth Key Management (AKM) Suite", Type: TypeUint32, Hex: true})
	fWlanRSNCaps    = register(Field{Name: "wlan.rsn.capabilities", Title: "RSN Capabilities", Type: TypeUint16, Hex: true})
	wlanTypeNames   = map[uint64]string{0: "Management frame", 1: "Control frame", 2: "Data frame", 3: "Extension"}
)

func init() {
	LinkTypes.Register(uint32(wire.LinkIEEE80211), dissectWlan)
	deriveBits(fWlanFlags, fWlanDS, fWlanToDS, fWlanFromDS, fWlanMoreFrag, fWlanRetry, fWlanPwrMgt, fWlanMoreData, fWlanProtected, fWlanOrder)
	registerText(protoWlan, textWlan)
	// A suite count larger than the element's bytes: "Pairwise Cipher
	// Suite Count too large, 4*12336 > 40", the count and the bytes left
	// being the item's value's upper and lower halves.
	for _, f := range []FieldID{fWlanRSNPCSBad, fWlanRSNAKMBad} {
		title := f.Info().Title
		expert(f, expertInfo{severity: SeverityError, group: GroupMalformed, protocol: "IEEE 802.11",
			summary: func(t *Tree, l, n int, b []byte) []byte {
				v := t.Nodes[n].Val
				b = append(append(b, title...), ", 4*"...)
				b = strconv.AppendUint(b, v>>32, 10)
				return strconv.AppendUint(append(b, " > "...), v&0xffffffff, 10)
			}})
	}
}

// wlanFlags are what the layer below says of the frame.
type wlanFlags uint8

const (
	wlanFCS     wlanFlags = 1 << iota // the frame ends with its FCS
	wlanDataPad                       // the header is padded to 32 bits
)

// The frame types (frame control bits 2-3).
const (
	wlanMgmt = 0
	wlanCtrl = 1
	wlanData = 2
)

// The management subtypes with a body decode reads.
const (
	wlanAssocReq    = 0
	wlanAssocResp   = 1
	wlanReassocReq  = 2
	wlanReassocResp = 3
	wlanProbeReq    = 4
	wlanProbeResp   = 5
	wlanBeacon      = 8
	wlanATIM        = 9
	wlanDisassoc    = 10
	wlanAuth        = 11
	wlanDeauth      = 12
)

func dissectWlan(t *Tree, off, end int) { dissectWlanFrame(t, off, end, 0) }

// wlanHeaderLen is the MAC header's length for frame control fc0 (type and
// subtype) and fc1 (flags); 0 for a control frame it does not know.
func wlanHeaderLen(fc0, fc1 byte) int {
	typ, sub := fc0>>2&3, fc0>>4
	switch typ {
	case wlanMgmt:
		if fc1&0x80 != 0 {
			return 28
		}
		return 24
	case wlanCtrl:
		switch sub {
		case 12, 13: // CTS, ACK
			return 10
		case 8, 9, 10, 11, 14, 15: // BAR, BA, PS-Poll, RTS, CF-End
			return 16
		}
		return 0
	case wlanData:
		n := 24
		if fc1&3 == 3 {
			n += 6
		}
		if sub&8 != 0 {
			n += 2
			if fc1&0x80 != 0 {
				n += 4
			}
		}
		return n
	}
	return 0
}

// wlanTcpdumpHeaderLen is the MAC header's length as tcpdump reads it:
// without an HT control field.
func wlanTcpdumpHeaderLen(fc0, fc1 byte) int {
	if fc0>>2&3 == wlanMgmt {
		return 24
	}
	return wlanHeaderLen(fc0, fc1&^0x80)
}

// dissectWlanFrame reads the 802.11 frame in [off, end).
func dissectWlanFrame(t *Tree, off, end int, fl wlanFlags) {
	l, n, ok := t.StartLayer(protoWlan, off, end, 2)
	if !ok {
		return
	}
	fc0, fc1 := t.Data[off], t.Data[off+1]
	typ, sub := fc0>>2&3, fc0>>4
	// tcpdump's -x starts after the MAC header as it reads it (the HT
	// control field is not part of it), and dumps nothing of a frame cut
	// short in it.
	t.NetOff = len(t.Data)
	if h := wlanTcpdumpHeaderLen(fc0, fc1); h > 0 && n >= h {
		t.NetOff = off + h
	}
	if fc0&3 != 0 {
		// Another protocol version: only the version is read.
		t.Add(l, fWlanVersion, off, 1, uint64(fc0&3))
		if fc0&3 != 1 {
			t.Mark(l, Truncated)
		}
		return
	}
	t.Add(l, fWlanTypeSub, off, 1, uint64(typ)<<4|uint64(sub))
	fc := t.Add(l, fWlanFC, off, 2, uint64(fc0)<<8|uint64(fc1))
	t.Add(fc, fWlanVersion, off, 1, uint64(fc0&3))
	t.Add(fc, fWlanType, off, 1, uint64(typ))
	t.Add(fc, fWlanSubtype, off, 1, uint64(sub))
	t.Add(fc, fWlanFlags, off+1, 1, uint64(fc1))
	hlen := wlanHeaderLen(fc0, fc1)
	if n < 4 {
		t.Mark(l, Truncated)
		return
	}
	t.Add(l, fWlanDuration, off+2, 2, uint64(binary.LittleEndian.Uint16(t.Data[off+2:]))&0x7fff)
	// The FCS, when there, is the frame's last four bytes.
	fcs := -1
	if fl&wlanFCS != 0 && end-off >= hlen+4 {
		end -= 4
		if t.Avail(end, end+4) == 4 {
			fcs = end
		}
	}
	addr := func(i int, f ...FieldID) bool {
		o := off + 4 + 6*i
		if i == 3 {
			o = off + 24
		}
		if t.Avail(o, end) < 6 {
			return false
		}
		for _, x := range f {
			t.AddBytes(l, x, o, 6)
		}
		return true
	}
	cut := func() { t.Mark(l, Truncated) }
	if hlen == 0 {
		addr(0, fWlanRA)
		return
	}
	if typ == wlanCtrl {
		switch {
		case !addr(0, fWlanRA), hlen >= 16 && !addr(1, fWlanTA), n < hlen:
			cut()
		case fcs >= 0:
			t.Add(l, fWlanFCS, fcs, 4, uint64(binary.LittleEndian.Uint32(t.Data[fcs:])))
		}
		return
	}
	var ok1, ok2, ok3 bool
	switch {
	case typ == wlanMgmt || fc1&3 == 0:
		ok1, ok2, ok3 = addr(0, fWlanRA, fWlanDA), addr(1, fWlanTA, fWlanSA), addr(2, fWlanBSSID)
	case fc1&3 == 1:
		ok1, ok2, ok3 = addr(0, fWlanRA, fWlanBSSID), addr(1, fWlanTA, fWlanSA), addr(2, fWlanDA)
	case fc1&3 == 2:
		ok1, ok2, ok3 = addr(0, fWlanRA, fWlanDA), addr(1, fWlanTA, fWlanBSSID), addr(2, fWlanSA)
	default:
		ok1, ok2, ok3 = addr(0, fWlanRA), addr(1, fWlanTA), addr(2, fWlanDA)
	}
	if !ok1 || !ok2 || !ok3 || t.Avail(off+22, end) < 2 {
		cut()
		return
	}
	sc := uint64(binary.LittleEndian.Uint16(t.Data[off+22:]))
	t.Add(l, fWlanFrag, off+22, 2, sc&0xf)
	t.Add(l, fWlanSeq, off+22, 2, sc>>4)
	o := off + 24
	if typ == wlanData && fc1&3 == 3 {
		if !addr(3, fWlanSA) {
			cut()
			return
		}
		o += 6
	}
	if typ == wlanData && sub&8 != 0 {
		if t.Avail(o, end) < 2 {
			cut()
			return
		}
		t.Add(l, fWlanQoS, o, 2, uint64(binary.LittleEndian.Uint16(t.Data[o:])))
		o += 2
	}
	if fc1&0x80 != 0 && (typ == wlanMgmt || sub&8 != 0) {
		if t.Avail(o, end) < 4 {
			cut()
			return
		}
		t.Add(l, fWlanHTC, o, 4, uint64(binary.LittleEndian.Uint32(t.Data[o:])))
		o += 4
	}
	if fl&wlanDataPad != 0 {
		o = off + (o-off+3)&^3
	}
	t.SetLen(l, o-off)
	if fcs >= 0 {
		t.Add(l, fWlanFCS, fcs, 4, uint64(binary.LittleEndian.Uint32(t.Data[fcs:])))
	}
	switch {
	case typ == wlanMgmt && fc1&0x40 == 0:
		dissectWlanMgt(t, o, end, sub)
	case fc1&0x40 != 0:
		if t.Avail(o, end) >= 4 {
			iv := t.Data[o:]
			t.Add(l, fWlanWEPIV, o, 3, uint64(iv[0])<<16|uint64(iv[1])<<8|uint64(iv[2]))
			t.Add(l, fWlanWEPKey, o+3, 1, uint64(iv[3]>>6))
		}
		if o < end {
			DissectData(t, o, end)
		}
	case typ == wlanData && sub&4 == 0 && o < end:
		if llcDissector != nil {
			t.Call(llcDissector, o, end)
		} else {
			DissectData(t, o, end)
		}
	}
}

// wlanFixedLen is the length of a management subtype's fixed parameters.
func wlanFixedLen(sub byte) int {
	switch sub {
	case wlanAssocReq:
		return 4
	case wlanAssocResp, wlanReassocResp, wlanAuth:
		return 6
	case wlanReassocReq:
		return 10
	case wlanProbeResp, wlanBeacon:
		return 12
	case wlanDisassoc, wlanDeauth:
		return 2
	}
	return 0
}

// wlanHasTags reports whether a management subtype's body goes on with
// tagged elements after its fixed parameters.
func wlanHasTags(sub byte) bool {
	switch sub {
	case wlanAssocReq, wlanAssocResp, wlanReassocReq, wlanReassocResp, wlanProbeReq, wlanProbeResp, wlanBeacon, wlanAuth:
		return true
	}
	return false
}

// dissectWlanMgt reads a management frame's body.
func dissectWlanMgt(t *Tree, off, end int, sub byte) {
	fixed := wlanFixedLen(sub)
	if off >= end && fixed == 0 {
		return
	}
	l, n, ok := t.StartLayer(protoWlanMgt, off, end, fixed)
	if !ok {
		return
	}
	o := off
	if fixed > 0 {
		f := t.Add(l, fWlanFixed, off, fixed, 0)
		le16 := func(i int) uint64 { return uint64(binary.LittleEndian.Uint16(t.Data[off+i:])) }
		switch sub {
		case wlanAssocReq:
			t.Add(f, fWlanCaps, off, 2, le16(0))
			t.Add(f, fWlanListenIval, off+2, 2, le16(2))
		case wlanAssocResp, wlanReassocResp:
			t.Add(f, fWlanCaps, off, 2, le16(0))
			t.Add(f, fWlanStatus, off+2, 2, le16(2))
			t.Add(f, fWlanAID, off+4, 2, le16(4)&0x3fff)
		case wlanReassocReq:
			t.Add(f, fWlanCaps, off, 2, le16(0))
			t.Add(f, fWlanListenIval, off+2, 2, le16(2))
			t.AddBytes(f, fWlanCurrentAP, off+4, 6)
		case wlanProbeResp, wlanBeacon:
			t.Add(f, fWlanTimestamp, off, 8, binary.LittleEndian.Uint64(t.Data[off:]))
			t.Add(f, fWlanBeaconIval, off+8, 2, le16(8))
			t.Add(f, fWlanCaps, off+10, 2, le16(10))
		case wlanAuth:
			t.Add(f, fWlanAuthAlg, off, 2, le16(0))
			t.Add(f, fWlanAuthSeq, off+2, 2, le16(2))
			t.Add(f, fWlanStatus, off+4, 2, le16(4))
		case wlanDisassoc, wlanDeauth:
			t.Add(f, fWlanReason, off, 2, le16(0))
		}
		o += fixed
	}
	if !wlanHasTags(sub) || o >= off+n {
		return
	}
	g := t.Add(l, fWlanTagged, o, end-o, 0)
	for o < end {
		if t.Avail(o, end) < 2 {
			t.Mark(l, Truncated)
			return
		}
		num, ln := t.Data[o], int(t.Data[o+1])
		tg := t.Add(g, fWlanTag, o, 2+ln, 0)
		t.Add(tg, fWlanTagNumber, o, 1, uint64(num))
		t.Add(tg, fWlanTagLength, o+1, 1, uint64(ln))
		if t.Avail(o+2, end) < ln {
			t.Mark(l, Truncated)
			return
		}
		v := o + 2
		switch num {
		case 0:
			t.AddBytes(tg, fWlanSSID, v, ln)
		case 1, 50:
			f := fWlanRates
			if num == 50 {
				f = fWlanExtRates
			}
			for i := 0; i < ln; i++ {
				t.Add(tg, f, v+i, 1, uint64(t.Data[v+i]))
			}
		case 3:
			if ln >= 1 {
				t.Add(tg, fWlanDSChannel, v, 1, uint64(t.Data[v]))
			}
		case 48:
			if !wlanRSN(t, tg, v, ln) {
				// Read past the element: Wireshark's exception ends
				// the frame's dissection as malformed.
				t.Mark(l, Malformed)
				return
			}
		}
		o = v + ln
	}
}

// wlanRSN reads an RSN element's n bytes at off under tag node tg; false
// when its counts send it past them.
func wlanRSN(t *Tree, tg, off, n int) bool {
	o, end := off, off+n
	le16 := func() uint64 { return uint64(binary.LittleEndian.Uint16(t.Data[o:])) }
	be32 := func() uint64 { return t.U32(o) }
	if end-o < 2 {
		return false
	}
	t.Add(tg, fWlanRSNVersion, o, 2, le16())
	o += 2
	if o == end {
		return true
	}
	if end-o < 4 {
		return false
	}
	t.Add(tg, fWlanRSNGCS, o, 4, be32())
	o += 4
	suites := func(fc, fbad, flist, fs FieldID) bool {
		if o == end {
			return true
		}
		if end-o < 2 {
			return false
		}
		cnt := le16()
		c := t.Add(tg, fc, o, 2, cnt)
		o += 2
		left := uint64(end - o)
		if 4*cnt > left {
			t.Add(c, fbad, o-2, 2, cnt<<32|left)
			cnt = left / 4
		}
		ls := t.Add(tg, flist, o, int(4*cnt), 0)
		for i := uint64(0); i < cnt; i++ {
			t.Add(ls, fs, o, 4, be32())
			o += 4
		}
		return true
	}
	if !suites(fWlanRSNPCSCnt, fWlanRSNPCSBad, fWlanRSNPCSList, fWlanRSNPCS) ||
		!suites(fWlanRSNAKMCnt, fWlanRSNAKMBad, fWlanRSNAKMList, fWlanRSNAKM) {
		return false
	}
	if o == end {
		return true
	}
	if end-o < 2 {
		return false
	}
	t.Add(tg, fWlanRSNCaps, o, 2, le16())
	return true
}

// Tcpdump's names of the management subtypes.
var wlanMgmtNames = [16]string{
	"Assoc Request", "Assoc Response", "ReAssoc Request", "ReAssoc Response", "Probe Request", "Probe Response",
	"", "", "Beacon", "ATIM", "Disassociation", "Authentication", "DeAuthentication", "Action", "", "",
}

// Tcpdump's names of the control subtypes it prints.
var wlanCtrlNames = [16]string{
	8: "BAR", 9: "BA", 10: "Power Save-Poll", 11: "Request-To-Send", 12: "Clear-To-Send",
	13: "Acknowledgment", 14: "CF-End", 15: "CF-End+CF-Ack",
}

// textWlan prints the frame as tcpdump does at default verbosity.
func textWlan(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off := int(t.Nodes[n].Off)
	end := off + t.Avail(off, len(t.Data))
	if rt := t.Below(n, protoRadiotap); rt >= 0 {
		if f, ok := t.Value(rt, fRTFlags); ok && f&0x10 != 0 {
			// tcpdump takes the FCS off before it reads the frame.
			if wire := int(t.Nodes[rt].Off) + t.CI.Length - off; wire >= 4 && end > off+wire-4 {
				end = off + wire - 4
			}
		}
	}
	d := t.Data[off:end]
	if len(d) < 2 {
		p.b = append(p.b, " [|802.11]"...)
		return
	}
	typ, sub, fl := d[0]>>2&3, d[0]>>4, d[1]
	hlen := wlanTcpdumpHeaderLen(d[0], d[1])
	if hlen == 0 || len(d) < hlen {
		p.b = append(p.b, " [|802.11]"...)
		return
	}
	if p.opt.Link {
		p.wlanLinkHeader(d, hlen, typ, sub, fl)
	}
	body := d[hlen:]
	switch typ {
	case wlanMgmt:
		if fl&0x40 != 0 && wlanMgmtNames[sub] != "" {
			p.b = append(p.b, wlanMgmtNames[sub]...)
			p.wlanProtected(body)
			return
		}
		p.wlanMgmt(d, body, sub)
	case wlanCtrl:
		s := wlanCtrlNames[sub]
		if s == "" {
			p.b = append(p.b, " [|802.11]"...)
			return
		}
		p.b = append(p.b, s...)
		if p.opt.Link {
			return
		}
		p.b = append(p.b, " RA:"...)
		p.b = appendHexColons(p.b, d[4:10])
		p.b = append(p.b, ' ')
		if hlen >= 16 {
			p.b = append(p.b, "TA:"...)
			p.b = appendHexColons(p.b, d[10:16])
			p.b = append(p.b, ' ')
		}
	case wlanData:
		if sub&4 != 0 {
			return // no data
		}
		if fl&0x40 != 0 {
			p.b = append(p.b, "Data"...)
			p.wlanProtected(body)
			return
		}
		p.Layer(p.t.LayerIndex(n) + 1)
	}
}

// wlanFlagWords are the frame control flags -e -v names, in its order.
var wlanFlagWords = [...]struct {
	bit  byte
	word string
}{{0x20, "More Data "}, {0x04, "More Fragments "}, {0x10, "Pwr Mgmt "}, {0x08, "Retry "},
	{0x80, "Strictly Ordered "}, {0x40, "Protected "}}

// wlanCFNames name a data subtype's CF-Ack and CF-Poll bits for -e.
var wlanCFNames = [4]string{"", "Ack", "Poll", "Ack/Poll"}

// wlanLinkHeader prints what -e adds before the frame's text: with -v its
// flags and duration ("Retry 314us "), then its addresses, named by its
// type and DS bits ("BSSID:... DA:... SA:... ").
func (p *Printer) wlanLinkHeader(d []byte, hlen int, typ, sub, fl byte) {
	if p.opt.Verbose > 0 {
		for _, w := range wlanFlagWords {
			if fl&w.bit != 0 {
				p.b = append(p.b, w.word...)
			}
		}
		p.b = strconv.AppendUint(p.b, uint64(binary.LittleEndian.Uint16(d[2:])), 10)
		p.b = append(p.b, "us "...)
	}
	mac := func(name string, i int) {
		p.b = append(p.b, name...)
		p.b = appendHexColons(p.b, d[i:i+6])
		p.b = append(p.b, ' ')
	}
	switch typ {
	case wlanMgmt:
		mac("BSSID:", 16)
		mac("DA:", 4)
		mac("SA:", 10)
	case wlanCtrl:
		mac("RA:", 4)
		if hlen >= 16 {
			mac("TA:", 10)
		}
	case wlanData:
		if sub&0xb != 0 {
			p.b = append(p.b, "CF "...)
			p.b = append(p.b, wlanCFNames[sub&3]...)
			if sub&8 != 0 {
				p.b = append(p.b, "+QoS"...)
			}
			p.b = append(p.b, ' ')
		}
		switch fl & 3 {
		case 0:
			mac("DA:", 4)
			mac("SA:", 10)
			mac("BSSID:", 16)
		case 1:
			mac("BSSID:", 4)
			mac("SA:", 10)
			mac("DA:", 16)
		case 2:
			mac("DA:", 4)
			mac("BSSID:", 10)
			mac("SA:", 16)
		case 3:
			mac("RA:", 4)
			mac("TA:", 10)
			mac("DA:", 16)
			mac("SA:", 24)
		}
	}
}

// wlanProtected prints a protected body's WEP-style header: "IV: 11 Pad
// 20 KeyID 0".
func (p *Printer) wlanProtected(body []byte) {
	if len(body) < 4 {
		p.b = append(p.b, " [|802.11]"...)
		return
	}
	iv := uint64(body[0]) | uint64(body[1])<<8 | uint64(body[2])<<16
	p.b = append(p.b, " IV:"...)
	for w := uint64(0x100); w > 1 && iv < w; w >>= 4 {
		p.b = append(p.b, ' ')
	}
	p.b = strconv.AppendUint(p.b, iv, 16)
	p.b = append(p.b, " Pad "...)
	p.b = strconv.AppendUint(p.b, uint64(body[3]&0x3f), 16)
	p.b = append(p.b, " KeyID "...)
	p.b = strconv.AppendUint(p.b, uint64(body[3]>>6), 16)
}

// wlanElems are the elements tcpdump prints of a management body.
type wlanElems struct {
	ssid, rates []byte
	hasSSID     bool
	hasRates    bool
	hasDS       bool
	channel     byte
	challenge   bool
	cut         bool // an element ran past the captured bytes
}

func (e *wlanElems) read(b []byte) {
	for len(b) > 0 {
		if len(b) < 2 || len(b) < 2+int(b[1]) {
			e.cut = true
			return
		}
		v := b[2 : 2+int(b[1])]
		switch b[0] {
		case 0:
			if !e.hasSSID {
				e.ssid, e.hasSSID = v, true
			}
		case 1:
			if !e.hasRates {
				e.rates, e.hasRates = v, true
			}
		case 3:
			if len(v) >= 1 && !e.hasDS {
				e.channel, e.hasDS = v[0], true
			}
		case 16:
			e.challenge = true
		}
		b = b[2+int(b[1]):]
	}
}

// wlanSSIDRates appends " (ssid) [1.0* 2.0 Mbit]" for the elements there.
func (p *Printer) wlanSSIDRates(e *wlanElems) {
	if e.hasSSID {
		p.b = append(p.b, " ("...)
		for _, c := range e.ssid {
			if c >= 0x20 && c < 0x7f {
				p.b = append(p.b, c)
			} else {
				p.b = append(p.b, '.')
			}
		}
		p.b = append(p.b, ')')
	}
	if e.hasRates {
		p.b = append(p.b, " ["...)
		for _, r := range e.rates {
			p.b = strconv.AppendFloat(p.b, float64(r&0x7f)/2, 'f', 1, 64)
			if r&0x80 != 0 {
				p.b = append(p.b, '*')
			}
			p.b = append(p.b, ' ')
		}
		p.b = append(p.b, "Mbit]"...)
	}
}

func (p *Printer) wlanMgmt(d, body []byte, sub byte) {
	name := wlanMgmtNames[sub]
	if name == "" {
		p.b = append(p.b, " [|802.11]"...)
		return
	}
	p.b = append(p.b, name...)
	fixed := wlanFixedLen(sub)
	if sub == wlanAuth && len(body) < 6 {
		fixed = 6
	}
	if len(body) < fixed {
		p.b = append(p.b, " [|802.11]"...)
		return
	}
	var e wlanElems
	if wlanHasTags(sub) {
		e.read(body[fixed:])
	}
	le16 := func(i int) uint16 { return binary.LittleEndian.Uint16(body[i:]) }
	switch sub {
	case wlanBeacon, wlanProbeResp:
		p.wlanSSIDRates(&e)
		caps := le16(10)
		if sub == wlanBeacon {
			if caps&1 != 0 {
				p.b = append(p.b, " ESS"...)
			} else {
				p.b = append(p.b, " IBSS"...)
			}
		}
		if e.hasDS {
			p.b = append(p.b, " CH: "...)
			p.b = strconv.AppendUint(p.b, uint64(e.channel), 10)
		}
		if caps&0x10 != 0 {
			p.b = append(p.b, ", PRIVACY"...)
		}
	case wlanProbeReq, wlanAssocReq, wlanReassocReq:
		p.wlanSSIDRates(&e)
		if sub == wlanReassocReq {
			p.b = append(p.b, " AP : "...)
			p.b = appendHexColons(p.b, body[4:10])
		}
	case wlanAssocResp, wlanReassocResp:
		p.b = append(p.b, " AID("...)
		p.b = strconv.AppendUint(p.b, uint64(le16(4)&0x3fff), 16)
		p.b = append(p.b, ") :"...)
		if le16(0)&0x10 != 0 {
			p.b = append(p.b, " PRIVACY "...)
		}
		p.b = append(p.b, ": "...)
		p.b = append(p.b, wlanStatusName(le16(2))...)
	case wlanAuth:
		alg, seq, st := le16(0), le16(2), le16(4)
		p.b = append(p.b, " ("...)
		switch alg {
		case 0:
			p.b = append(p.b, "Open System"...)
		case 1:
			p.b = append(p.b, "Shared Key"...)
		case 2:
			p.b = append(p.b, "EAP"...)
		default:
			p.b = append(p.b, "Reserved"...)
		}
		p.b = append(p.b, ")-"...)
		p.b = strconv.AppendUint(p.b, uint64(seq), 16)
		if alg == 1 && (seq == 2 || seq == 3) {
			p.b = append(p.b, " [Challenge Text] "...)
			if seq == 3 {
				p.b = append(p.b, wlanStatusName(st)...)
			}
		} else {
			p.b = append(p.b, ": "...)
			if seq%2 == 1 {
				p.b = append(p.b, wlanStatusName(st)...)
			}
		}
	case wlanDeauth:
		if !p.opt.Link {
			p.b = append(p.b, " ("...)
			p.b = appendHexColons(p.b, d[10:16])
			p.b = append(p.b, ')')
		}
		p.b = append(p.b, ": "...)
		p.b = append(p.b, wlanReasonName(le16(0))...)
	case wlanDisassoc:
		p.b = append(p.b, ": "...)
		p.b = append(p.b, wlanReasonName(le16(0))...)
	}
	if e.cut {
		p.b = append(p.b, " [|802.11]"...)
	}
}

func wlanStatusName(v uint16) string {
	if int(v) < len(wlanStatusNames) {
		return wlanStatusNames[v]
	}
	return "n/a"
}

func wlanReasonName(v uint16) string {
	if int(v) < len(wlanReasonNames) {
		return wlanReasonNames[v]
	}
	return "Reserved"
}

// wlanStatusNames are tcpdump's names of the status codes (IEEE 802.11-2016
// table 9-46), by value.
var wlanStatusNames = [...]string{
	"Successful",
	"Unspecified failure",
	"TDLS wakeup schedule rejected but alternative schedule provided",
	"TDLS wakeup schedule rejected",
	"Reserved",
	"Security disabled",
	"Unacceptable lifetime",
	"Not in same BSS",
	"Reserved",
	"Reserved",
	"Cannot Support all requested capabilities in the Capability Information field",
	"Reassociation denied due to inability to confirm that association exists",
	"Association denied due to reason outside the scope of this standard",
	"Responding STA does not support the specified authentication algorithm",
	"Received an Authentication frame with authentication transaction sequence number out of expected sequence",
	"Authentication rejected because of challenge failure",
	"Authentication rejected due to timeout waiting for next frame in sequence",
	"Association denied because AP is unable to handle additional associated STAs",
	"Association denied due to requesting STA not supporting all of the data rates in the BSSBasicRateSet parameter, the Basic HT-MCS Set field of the HT Operation parameter, or the Basic VHT-MCS and NSS Set field in the VHT Operation parameter",
	"Association denied due to requesting STA not supporting the short preamble option",
	"Reserved",
	"Reserved",
	"Association request rejected because Spectrum Management capability is required",
	"Association request rejected because the information in the Power Capability element is unacceptable",
	"Association request rejected because the information in the Supported Channels element is unacceptable",
	"Association denied due to requesting STA not supporting the Short Slot Time option",
	"Reserved",
	"Association denied because the requested STA does not support HT features",
	"R0KH unreachable",
	"Association denied because the requesting STA does not support the phased coexistence operation (PCO) transition time required by the AP",
	"Association request rejected temporarily; try again later",
	"Robust management frame policy violation",
	"Unspecified, QoS-related failure",
	"Association denied because QoS AP or PCP has insufficient bandwidth to handle another QoS STA",
	"Association denied due to excessive frame loss rates and/or poor conditions on current operating channel",
	"Association (with QoS BSS) denied because the requesting STA does not support the QoS facility",
	"Reserved",
	"The request has been declined",
	"The request has not been successful as one or more parameters have invalid values",
	"The allocation or TS has not been created because the request cannot be honored; however, a suggested TSPEC/DMG TSPEC is provided so that the initiating STA can attempt to set another allocation or TS with the suggested changes to the TSPEC/DMG TSPEC",
	"Invalid element, i.e., an element defined in this standard for which the content does not meet the specifications in Clause 9",
	"Invalid group cipher",
	"Invalid pairwise cipher",
	"Invalid AKMP",
	"Unsupported RSNE version",
	"Invalid RSNE capabilities",
	"Cipher suite rejected because of security policy",
	"The TS or allocation has not been created; however, the HC or PCP might be capable of creating a TS or allocation, in response to a request, after the time indicated in the TS Delay element",
	"Direct Link is not allowed in the BSS by policy",
	"The Destination STA is not present within this BSS",
	"The Destination STA is not a QoS STA",
	"Association denied because the listen interval is too large",
	"Invalid FT Action frame count",
	"Invalid pairwise master key identifier (PMKID)",
	"Invalid MDE",
	"Invalid FTE",
	"Requested TCLAS processing is not supported by the AP or PCP",
	"The AP or PCP has insufficient TCLAS processing resources to satisfy the request",
	"The TS has not been created because the request cannot be honored; however, the HC or PCP suggests that the STA transition to a different BSS to set up the TS",
	"GAS Advertisement Protocol not supported",
	"No outstanding GAS request",
	"GAS Response not received from the Advertisement Server",
	"STA timed out waiting for GAS Query Response",
	"LARGE GAS Response is larger than query response length limit",
	"Request refused because home network does not support request",
	"Advertisement Server in the network is not currently reachable",
	"Reserved",
	"Request refused due to permissions received via SSPN interface",
	"Request refused because the AP or PCP does not support unauthenticated access",
	"Reserved",
	"Reserved",
	"Reserved",
	"Invalid contents of RSNE",
	"U-APSD coexistence is not supported",
	"Requested U-APSD coexistence mode is not supported",
	"Requested Interval/Duration value cannot be supported with U-APSD coexistence",
	"Authentication is rejected because an Anti-Clogging Token is required",
	"Authentication is rejected because the offered finite cyclic group is not supported",
	"The TBTT adjustment request has not been successful because the STA could not find an alternative TBTT",
	"Transmission failure",
	"Requested TCLAS Not Supported",
	"TCLAS Resources Exhausted",
	"Rejected with Suggested BSS transition",
	"Reject with recommended schedule",
	"Reject because no wakeup schedule specified",
	"Success, the destination STA is in power save mode",
	"FST pending, in process of admitting FST session",
	"Performing FST now",
	"FST pending, gap(s) in block ack window",
	"Reject because of U-PID setting",
	"Reserved",
	"Reserved",
	"(Re)Association refused for some external reason",
	"(Re)Association refused because of memory limits at the AP",
	"(Re)Association refused because emergency services are not supported at the AP",
	"GAS query response not yet received",
	"Reject since the request is for transition to a frequency band subject to DSE procedures and FST Initiator is a dependent STA",
	"Requested TCLAS processing has been terminated by the AP",
	"The TS schedule conflicts with an existing schedule; an alternative schedule is provided",
	"The association has been denied; however, one or more Multi-band elements are included that can be used by the receiving STA to join the BSS",
	"The request failed due to a reservation conflict",
	"The request failed due to exceeded MAF limit",
	"The request failed due to exceeded MCCA track limit",
	"Association denied because the information in theSpectrum Management field is unacceptable",
	"Association denied because the requesting STA does not support VHT features",
	"Enablement denied",
	"Enablement denied due to restriction from an authorized GDB",
	"Authorization deenabled",
}

// wlanReasonNames are tcpdump's names of the reason codes (IEEE 802.11-2016
// table 9-45), by value.
var wlanReasonNames = [...]string{
	"Reserved",
	"Unspecified reason",
	"Previous authentication no longer valid",
	"Deauthenticated because sending STA is leaving (or has left) IBSS or ESS",
	"Disassociated due to inactivity",
	"Disassociated because AP is unable to handle all currently  associated STAs",
	"Class 2 frame received from nonauthenticated STA",
	"Class 3 frame received from nonassociated STA",
	"Disassociated because sending STA is leaving (or has left) BSS",
	"STA requesting (re)association is not authenticated with responding STA",
	"Disassociated because the information in the Power Capability element is unacceptable",
	"Disassociated because the information in the Supported Channels element is unacceptable",
	"Disassociated due to BSS transition management",
	"Invalid element, i.e., an element defined in this standard for which the content does not meet the specifications in Clause 9",
	"Message integrity code (MIC) failure",
	"4-Way Handshake timeout",
	"Group key handshake timeout",
	"Information element in 4-Way Handshake different from (Re)AssociationRequest/Probe Response/Beacon frame",
	"Invalid group cipher",
	"Invalid pairwise cipher",
	"Invalid AKMP",
	"Unsupported RSNE version",
	"Invalid RSNE capabilities",
	"IEEE 802.1X authentication failed",
	"Cipher suite rejected because of the security policy",
	"TDLS direct-link teardown due to TDLS peer STA unreachable via the TDLS direct link",
	"TDLS direct-link teardown for unspecified reason",
	"Disassociated because session terminated by SSP request",
	"Disassociated because of lack of SSP roaming agreement",
	"Requested service rejected because of SSP cipher suite or AKM requirement",
	"Requested service not authorized in this location",
	"TS deleted because QoS AP lacks sufficient bandwidth for this QoS STA due to a change in BSS service characteristics or operational mode (e.g. an HT BSS change from 40 MHz channel to 20 MHz channel)",
	"Disassociated for unspecified, QoS-related reason",
	"Disassociated because QoS AP lacks sufficient bandwidth for this QoS STA",
	"Disassociated because of excessive number of frames that need to be acknowledged, but are not acknowledged due to AP transmissions and/or poor channel conditions",
	"Disassociated because STA is transmitting outside the limits of its TXOPs",
	"Requested from peer STA as the STA is leaving the BSS (or resetting)",
	"Requested from peer STA as it does not want to use the mechanism",
	"Requested from peer STA as the STA received frames using the mechanism for which a set up is required",
	"Requested from peer STA due to time out",
	"Reserved",
	"Reserved",
	"Reserved",
	"Reserved",
	"Reserved",
	"Peer STA does not support the requested cipher suite",
	"In a DLS Teardown frame: The teardown was initiated by the DLS peer. In a Disassociation frame: Disassociated because authorized access limit reached",
	"In a DLS Teardown frame: The teardown was initiated by the AP. In a Disassociation frame: Disassociated due to external service requirements",
	"Invalid FT Action frame count",
	"Invalid pairwise master key identifier (PMKID)",
	"Invalid MDE",
	"Invalid FTE",
	"Mesh peering canceled for unknown reasons",
	"The mesh STA has reached the supported maximum number of peer mesh STAs",
	"The received information violates the Mesh Configuration policy configured in the mesh STA profile",
	"The mesh STA has received a Mesh Peering Close frame requesting to close the mesh peering",
	"The mesh STA has resent dot11MeshMaxRetries Mesh Peering Open frames, without receiving a Mesh Peering Confirm frame",
	"The confirmTimer for the mesh peering instance times out",
	"The mesh STA fails to unwrap the GTK or the values in the wrapped contents do not match",
	"The mesh STA receives inconsistent information about the mesh parameters between mesh peering Management frames",
	"The mesh STA fails the authenticated mesh peering exchange because due to failure in selecting either the pairwise ciphersuite or group ciphersuite",
	"The mesh STA does not have proxy information for this external destination",
	"The mesh STA does not have forwarding information for this destination",
	"The mesh STA determines that the link to the next hop of an active path in its forwarding information is no longer usable",
	"The Deauthentication frame was sent because the MAC address of the STA already exists in the mesh BSS",
	"The mesh STA performs channel switch to meet regulatory requirements",
	"The mesh STA performs channel switching with unspecified reason",
}
