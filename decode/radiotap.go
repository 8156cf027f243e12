package decode

// The radiotap header (link type 127): what the receiving radio says of an
// 802.11 frame (rate, channel, signal...) before the frame itself, as
// radiotap.org's list of defined fields and the Linux kernel's
// Documentation/networking/radiotap-headers.rst describe it. A version
// byte, a pad byte, a little-endian length that covers the whole header, a
// chain of 32-bit "present" bitmaps (bit 31: another follows; bit 29: the
// next one restarts the radiotap namespace; bit 30: the next one is a
// vendor's namespace), then the fields of the bits set, each aligned to
// its natural size from the start of the header. After the header,
// Wireshark adds its "802.11 radio information" summary (wlan_radio) and
// the frame follows.

import (
	"encoding/binary"
	"math"
	"strconv"

	"github.com/sockscope/sockscope/decode/wire"
)

var (
	protoRadiotap = proto("radiotap", "Radiotap Header")
	fRTVersion    = field("radiotap.version", "Header revision", TypeUint8)
	fRTPad        = field("radiotap.pad", "Header pad", TypeUint8)
	fRTLength     = field("radiotap.length", "Header length", TypeUint16)
	fRTPresent    = field("radiotap.present", "Present flags", TypeNone)
	fRTWord       = register(Field{Name: "radiotap.present.word", Title: "Present flags word", Type: TypeUint32, Hex: true})
	fRTMactime    = field("radiotap.mactime", "MAC timestamp", TypeUint64)
	fRTFlags      = register(Field{Name: "radiotap.flags", Title: "Flags", Type: TypeUint8, Hex: true})
	fRTFlagCFP    = flagField("radiotap.flags.cfp", "CFP", 0x01)
	fRTFlagPre    = flagField("radiotap.flags.preamble", "Preamble", 0x02)
	fRTFlagWEP    = flagField("radiotap.flags.wep", "WEP", 0x04)
	fRTFlagFrag   = flagField("radiotap.flags.frag", "Fragmentation", 0x08)
	fRTFlagFCS    = flagField("radiotap.flags.fcs", "FCS at end", 0x10)
	fRTFlagPad    = flagField("radiotap.flags.datapad", "Data Pad", 0x20)
	fRTFlagBadFCS = flagField("radiotap.flags.badfcs", "Bad FCS", 0x40)
	fRTFlagSGI    = flagField("radiotap.flags.shortgi", "Short GI", 0x80)
	fRTRate       = field("radiotap.datarate", "Data rate (Mb/s)", TypeFloat)
	fRTChanFreq   = field("radiotap.channel.freq", "Channel frequency", TypeUint32)
	fRTChanFlags  = register(Field{Name: "radiotap.channel.flags", Title: "Channel flags", Type: TypeUint16, Hex: true})
	fRTHopSet     = field("radiotap.fhss.hopset", "FHSS Hop Set", TypeUint8)
	fRTHopPattern = field("radiotap.fhss.pattern", "FHSS Pattern", TypeUint8)
	fRTDBmSignal  = field("radiotap.dbm_antsignal", "Antenna signal", TypeInt8)
	fRTDBmNoise   = field("radiotap.dbm_antnoise", "Antenna noise", TypeInt8)
	fRTQuality    = field("radiotap.quality", "Signal Quality", TypeUint16)
	fRTTxAtten    = field("radiotap.txattenuation", "TX attenuation", TypeUint16)
	fRTDBTxAtten  = field("radiotap.db_txattenuation", "dB TX attenuation", TypeUint16)
	fRTTxPower    = field("radiotap.txpower", "Transmit power", TypeInt8)
	fRTAntenna    = field("radiotap.antenna", "Antenna", TypeUint32)
	fRTDBSignal   = field("radiotap.db_antsignal", "dB antenna signal", TypeUint8)
	fRTDBNoise    = field("radiotap.db_antnoise", "dB antenna noise", TypeUint8)
	fRTRxFlags    = register(Field{Name: "radiotap.rxflags", Title: "RX flags", Type: TypeUint16, Hex: true})
	fRTTxFlags    = register(Field{Name: "radiotap.txflags", Title: "TX flags", Type: TypeUint16, Hex: true})
	fRTDataRetry  = field("radiotap.data_retries", "data retries", TypeUint8)
	fRTXFlags     = register(Field{Name: "radiotap.xchannel.flags", Title: "Channel flags", Type: TypeUint32, Hex: true})
	fRTXFreq      = field("radiotap.xchannel.freq", "Channel frequency", TypeUint32)
	fRTXChannel   = field("radiotap.xchannel.channel", "Channel number", TypeUint32)
	fRTMCS        = field("radiotap.mcs", "MCS information", TypeNone)
	fRTMCSKnown   = register(Field{Name: "radiotap.mcs.known", Title: "Known MCS information", Type: TypeUint8, Hex: true})
	fRTMCSBW      = register(Field{Name: "radiotap.mcs.bw", Title: "Bandwidth", Type: TypeUint8, Mask: 0x03})
	fRTMCSGI      = register(Field{Name: "radiotap.mcs.gi", Title: "Guard interval", Type: TypeUint8, Mask: 0x04})
	fRTMCSFormat  = register(Field{Name: "radiotap.mcs.format", Title: "Format", Type: TypeUint8, Mask: 0x08})
	fRTMCSFEC     = register(Field{Name: "radiotap.mcs.fec", Title: "FEC type", Type: TypeUint8, Mask: 0x10})
	fRTMCSSTBC    = register(Field{Name: "radiotap.mcs.stbc", Title: "STBC streams", Type: TypeUint8, Mask: 0x60})
	fRTMCSIndex   = field("radiotap.mcs.index", "MCS index", TypeUint8)
	fRTVendorNS   = field("radiotap.vendor_namespace", "Vendor namespace", TypeBytes)
	fRTVendorOUI  = register(Field{Name: "radiotap.vendor_oui", Title: "Vendor OUI", Type: TypeUint24, Hex: true})
	fRTVendorSub  = field("radiotap.vendor_subns", "Vendor sub namespace", TypeUint8)
	fRTVendorLen  = field("radiotap.vendor_data_len", "Vendor data length", TypeUint16)

	protoWlanRadio    = proto("wlan_radio", "802.11 radio information")
	fWRPhy            = enumField("wlan_radio.phy", "PHY type", TypeUint32, wlanPhyNames)
	fWRShortPreamble  = field("wlan_radio.short_preamble", "Short preamble", TypeBoolean)
	fWRMCSIndex       = field("wlan_radio.11n.mcs_index", "MCS index", TypeUint32)
	fWRBandwidth      = field("wlan_radio.11n.bandwidth", "Bandwidth", TypeUint32)
	fWRShortGI        = field("wlan_radio.11n.short_gi", "Short GI", TypeBoolean)
	fWRSTBC           = field("wlan_radio.11n.stbc_streams", "Number of STBC streams", TypeUint32)
	fWRDataRate       = field("wlan_radio.data_rate", "Data rate", TypeFloat)
	fWRChannel        = field("wlan_radio.channel", "Channel", TypeUint32)
	fWRFrequency      = field("wlan_radio.frequency", "Frequency", TypeUint16)
	fWRSignalDB       = field("wlan_radio.signal_db", "Signal strength (dB)", TypeUint8)
	fWRSignalDBm      = field("wlan_radio.signal_dbm", "Signal strength (dBm)", TypeInt8)
	fWRNoiseDBm       = field("wlan_radio.noise_dbm", "Noise level (dBm)", TypeInt8)
	fWRSNR            = field("wlan_radio.snr", "Signal/noise ratio (dB)", TypeInt32)
	fWRTimestamp      = field("wlan_radio.timestamp", "TSF timestamp", TypeUint64)
	fWRDuration       = field("wlan_radio.duration", "Duration", TypeUint32)
	fWRPreamble       = field("wlan_radio.preamble", "Preamble", TypeUint32)
	fWRAssumedShort   = field("wlan_radio.assumed.short_preamble", "No preamble length information was available, assuming short preamble.", TypeNone)
	fWRAssumedNonGF   = field("wlan_radio.assumed.non_greenfield", "No plcp type information was available, assuming non greenfield.", TypeNone)
	fWRAssumedNoSTBC  = field("wlan_radio.assumed.no_stbc", "No stbc information was available, assuming no stbc.", TypeNone)
	fWRAssumedNoNess  = field("wlan_radio.assumed.no_extension_streams", "No extension stream information was available, assuming no extension streams.", TypeNone)
	fWRAssumedBCCFEC  = field("wlan_radio.assumed.bcc_fec", "No fec type information was available, assuming bcc fec.", TypeNone)
	wlanPhyNames      = map[uint64]string{4: "802.11b (HR/DSSS)", 5: "802.11a (OFDM)", 6: "802.11g (ERP)", 7: "802.11n (HT)", 8: "802.11ac (VHT)", 11: "802.11ax (HE)"}
	wlanRadioAssumed  = [...]FieldID{fWRAssumedNonGF, fWRAssumedNoSTBC, fWRAssumedNoNess, fWRAssumedBCCFEC}
	wlanRadioMCSKnown = [...]uint8{0x08, 0x20, 0x40, 0x10} // the MCS known bits of wlanRadioAssumed
)

func init() {
	LinkTypes.Register(uint32(wire.LinkIEEE80211Radiotap), dissectRadiotap)
	deriveBits(fRTFlags, fRTFlagCFP, fRTFlagPre, fRTFlagWEP, fRTFlagFrag, fRTFlagFCS, fRTFlagPad, fRTFlagBadFCS, fRTFlagSGI)
	for _, f := range []FieldID{fWRAssumedShort, fWRAssumedNonGF, fWRAssumedNoSTBC, fWRAssumedNoNess, fWRAssumedBCCFEC} {
		expert(f, expertInfo{severity: SeverityWarning, group: GroupAssumption, protocol: "802.11 Radio", message: f.Info().Title})
	}
	registerText(protoRadiotap, textRadiotap)
}

// The radiotap fields' bit numbers (radiotap.org, "Defined fields").
const (
	rtTSFT       = 0
	rtFlags      = 1
	rtRate       = 2
	rtChannel    = 3
	rtFHSS       = 4
	rtDBmSignal  = 5
	rtDBmNoise   = 6
	rtQuality    = 7
	rtTxAtten    = 8
	rtDBTxAtten  = 9
	rtTxPower    = 10
	rtAntenna    = 11
	rtDBSignal   = 12
	rtDBNoise    = 13
	rtRxFlags    = 14
	rtTxFlags    = 15
	rtRTSRetries = 16
	rtDataRetry  = 17
	rtXChannel   = 18
	rtMCS        = 19
	rtAMPDU      = 20
	rtVHT        = 21
	rtTimestamp  = 22
	rtHE         = 23
	rtHEMU       = 24
	rtHEMUUser   = 25
	rtZeroPSDU   = 26
	rtLSIG       = 27
	rtKnown      = 28 // the fields below this bit have a fixed size
)

// rtLayout is each defined field's alignment and size, by bit.
var rtLayout = [rtKnown][2]uint8{
	rtTSFT: {8, 8}, rtFlags: {1, 1}, rtRate: {1, 1}, rtChannel: {2, 4}, rtFHSS: {1, 2},
	rtDBmSignal: {1, 1}, rtDBmNoise: {1, 1}, rtQuality: {2, 2}, rtTxAtten: {2, 2}, rtDBTxAtten: {2, 2},
	rtTxPower: {1, 1}, rtAntenna: {1, 1}, rtDBSignal: {1, 1}, rtDBNoise: {1, 1}, rtRxFlags: {2, 2},
	rtTxFlags: {2, 2}, rtRTSRetries: {1, 1}, rtDataRetry: {1, 1}, rtXChannel: {4, 8}, rtMCS: {1, 3},
	rtAMPDU: {4, 8}, rtVHT: {2, 12}, rtTimestamp: {8, 12}, rtHE: {2, 12}, rtHEMU: {2, 12},
	rtHEMUUser: {2, 6}, rtZeroPSDU: {1, 1}, rtLSIG: {2, 4},
}

// The bits of a present word that are not fields of its namespace.
const (
	rtBitRadiotapNS = 29
	rtBitVendorNS   = 30
	rtBitExt        = 31
)

// rtWalk steps through a radiotap header's fields, in the order of their
// bits. Its fields say where the walk is; next moves it on.
type rtWalk struct {
	b        []byte // the header's captured bytes (at most its length)
	hlen     int    // the header's length
	words    int    // the present words' count, once they were all read
	w        int    // the word whose bits are being walked
	bit      int    // the next bit of word w to look at
	base     int    // the bit number of word w's bit 0 in its namespace
	inVendor bool   // word w belongs to a vendor's namespace
	ns       int    // how many namespace changes came before word w
	off      int    // where the next field may start
	// Found by next: the field's number (base+bit), its offset and size.
	num, foff, fsize int
	vendor           bool // the field found is a vendor namespace's header
}

// rtStatus is how a walk ended.
type rtStatus uint8

const (
	rtOK        rtStatus = iota // a field was found
	rtEnd                       // no more fields
	rtBitmapCut                 // the present words run past the header
	rtFieldCut                  // a field runs past the header
	rtUnknown                   // a field whose size is not known: num
)

// start reads the present words of header b (of length hlen); false when
// they run past it or past what was captured.
func (r *rtWalk) start(b []byte, hlen int) bool {
	*r = rtWalk{b: b, hlen: hlen}
	for o := 4; ; o += 4 {
		if o+4 > len(b) || o+4 > hlen {
			return false
		}
		r.words++
		if binary.LittleEndian.Uint32(b[o:])>>rtBitExt == 0 {
			r.off = o + 4
			return true
		}
	}
}

// word is present word i.
func (r *rtWalk) word(i int) uint32 { return binary.LittleEndian.Uint32(r.b[4+4*i:]) }

// next finds the next field.
func (r *rtWalk) next() rtStatus {
	for r.w < r.words {
		wd := r.word(r.w)
		for ; r.bit < 32; r.bit++ {
			if wd&(1<<r.bit) == 0 {
				continue
			}
			b := r.bit
			switch {
			case b == rtBitExt || b == rtBitRadiotapNS:
				continue
			case b == rtBitVendorNS:
				r.bit++
				return r.vendorHeader()
			case r.inVendor:
				continue // its data was skipped with its header
			}
			num := r.base + b
			if num >= rtKnown {
				r.num = num
				return rtUnknown
			}
			al, size := int(rtLayout[num][0]), int(rtLayout[num][1])
			o := (r.off + al - 1) &^ (al - 1)
			r.num, r.foff, r.fsize, r.vendor = num, o, size, false
			if o+size > r.hlen || o+size > len(r.b) {
				return rtFieldCut
			}
			r.off = o + size
			r.bit++
			return rtOK
		}
		// The next word: a new namespace, or the same one's next 32 bits.
		switch {
		case wd&(1<<rtBitVendorNS) != 0:
			r.inVendor, r.base = true, 0
			r.ns++
		case wd&(1<<rtBitRadiotapNS) != 0:
			r.inVendor, r.base = false, 0
			r.ns++
		default:
			r.base += 32
		}
		r.w++
		r.bit = 0
	}
	return rtEnd
}

// vendorHeader reads a vendor namespace's header (OUI, sub-namespace, the
// length of its data) and steps over its data.
func (r *rtWalk) vendorHeader() rtStatus {
	o := (r.off + 1) &^ 1
	r.num, r.foff, r.fsize, r.vendor = rtBitVendorNS, o, 6, true
	if o+6 > r.hlen || o+6 > len(r.b) {
		return rtFieldCut
	}
	r.off = o + 6 + int(binary.LittleEndian.Uint16(r.b[o+4:]))
	return rtOK
}

// rtInfo is what the header says that the radio summary and the frame
// after it need.
type rtInfo struct {
	present                    uint64 // the fields found, by bit (radiotap namespace, first 64)
	flags                      uint8
	rate                       uint8 // 500 kb/s units
	freq, chanFlags            uint16
	dbmSignal, dbmNoise        int8
	dbSignal                   uint8
	tsft                       uint64
	mcsKnown, mcsFlags, mcsIdx uint8
}

func (in *rtInfo) has(bit int) bool { return in.present&(1<<bit) != 0 }

func dissectRadiotap(t *Tree, off, end int) {
	l, n, ok := t.StartLayer(protoRadiotap, off, end, 4)
	if !ok {
		return
	}
	d := t.Data[off : off+n]
	hlen := int(binary.LittleEndian.Uint16(d[2:]))
	t.SetLen(l, hlen)
	t.Add(l, fRTVersion, off, 1, uint64(d[0]))
	t.Add(l, fRTPad, off+1, 1, uint64(d[1]))
	t.Add(l, fRTLength, off+2, 2, uint64(hlen))
	t.NetOff = off + hlen
	var in rtInfo
	if d[0] == 0 {
		hdr := d
		if len(hdr) > hlen {
			hdr = hdr[:hlen]
		}
		if !radiotapFields(t, l, off, hdr, hlen, &in) {
			t.Mark(l, Truncated)
			return
		}
	}
	if hlen > end-off {
		hlen = end - off
	}
	r := t.AddLayer(protoWlanRadio, off+hlen, 0)
	if d[0] == 0 {
		wlanRadio(t, r, &in, end-off-hlen)
	}
	if t.Avail(off+hlen, end) == 0 {
		t.Mark(r, Truncated)
		return
	}
	var fl wlanFlags
	if in.flags&0x10 != 0 {
		fl |= wlanFCS
	}
	if in.flags&0x20 != 0 {
		fl |= wlanDataPad
	}
	dissectWlanFrame(t, off+hlen, end, fl)
}

// radiotapFields adds the present words and the fields of header hdr (of
// length hlen, at off in the packet) under layer l; false when the words
// run past the header.
func radiotapFields(t *Tree, l, off int, hdr []byte, hlen int, in *rtInfo) bool {
	var r rtWalk
	if !r.start(hdr, hlen) {
		return false
	}
	var scratch rtInfo
	p := t.Add(l, fRTPresent, off+4, 4*r.words, 0)
	for i := 0; i < r.words; i++ {
		t.Add(p, fRTWord, off+4+4*i, 4, uint64(r.word(i)))
	}
	for r.w < r.words {
		if r.next() != rtOK {
			break
		}
		o, b := off+r.foff, hdr[r.foff:]
		if r.vendor {
			v := t.AddBytes(l, fRTVendorNS, o, 6)
			t.Add(v, fRTVendorOUI, o, 3, uint64(b[0])<<16|uint64(b[1])<<8|uint64(b[2]))
			t.Add(v, fRTVendorSub, o+3, 1, uint64(b[3]))
			t.Add(v, fRTVendorLen, o+4, 2, uint64(binary.LittleEndian.Uint16(b[4:])))
			continue
		}
		first := r.ns == 0 && !r.inVendor // not a second antenna's fields
		if first && r.num < 64 {
			in.present |= 1 << r.num
		}
		le16 := func(i int) uint64 { return uint64(binary.LittleEndian.Uint16(b[i:])) }
		in := in
		if !first {
			in = &scratch // the summary is the first antenna's
		}
		switch r.num {
		case rtTSFT:
			in.tsft = binary.LittleEndian.Uint64(b)
			t.Add(l, fRTMactime, o, 8, in.tsft)
		case rtFlags:
			in.flags = b[0]
			t.Add(l, fRTFlags, o, 1, uint64(b[0]))
		case rtRate:
			in.rate = b[0]
			t.Add(l, fRTRate, o, 1, math.Float64bits(float64(b[0])/2))
		case rtChannel:
			in.freq, in.chanFlags = uint16(le16(0)), uint16(le16(2))
			t.Add(l, fRTChanFreq, o, 2, le16(0))
			t.Add(l, fRTChanFlags, o+2, 2, le16(2))
		case rtFHSS:
			t.Add(l, fRTHopSet, o, 1, uint64(b[0]))
			t.Add(l, fRTHopPattern, o+1, 1, uint64(b[1]))
		case rtDBmSignal:
			in.dbmSignal = int8(b[0])
			t.Add(l, fRTDBmSignal, o, 1, uint64(int64(int8(b[0]))))
		case rtDBmNoise:
			in.dbmNoise = int8(b[0])
			t.Add(l, fRTDBmNoise, o, 1, uint64(int64(int8(b[0]))))
		case rtQuality:
			t.Add(l, fRTQuality, o, 2, le16(0))
		case rtTxAtten:
			t.Add(l, fRTTxAtten, o, 2, le16(0))
		case rtDBTxAtten:
			t.Add(l, fRTDBTxAtten, o, 2, le16(0))
		case rtTxPower:
			t.Add(l, fRTTxPower, o, 1, uint64(int64(int8(b[0]))))
		case rtAntenna:
			t.Add(l, fRTAntenna, o, 1, uint64(b[0]))
		case rtDBSignal:
			in.dbSignal = b[0]
			t.Add(l, fRTDBSignal, o, 1, uint64(b[0]))
		case rtDBNoise:
			t.Add(l, fRTDBNoise, o, 1, uint64(b[0]))
		case rtRxFlags:
			t.Add(l, fRTRxFlags, o, 2, le16(0))
		case rtTxFlags:
			t.Add(l, fRTTxFlags, o, 2, le16(0))
		case rtDataRetry:
			t.Add(l, fRTDataRetry, o, 1, uint64(b[0]))
		case rtXChannel:
			t.Add(l, fRTXFlags, o, 4, uint64(binary.LittleEndian.Uint32(b)))
			t.Add(l, fRTXFreq, o+4, 2, le16(4))
			t.Add(l, fRTXChannel, o+6, 1, uint64(b[6]))
		case rtMCS:
			in.mcsKnown, in.mcsFlags, in.mcsIdx = b[0], b[1], b[2]
			m := t.Add(l, fRTMCS, o, 3, 0)
			t.Add(m, fRTMCSKnown, o, 1, uint64(b[0]))
			fl := uint64(b[1])
			if b[0]&0x01 != 0 {
				t.Add(m, fRTMCSBW, o+1, 1, fl&3)
			}
			if b[0]&0x04 != 0 {
				t.Add(m, fRTMCSGI, o+1, 1, fl>>2&1)
			}
			if b[0]&0x08 != 0 {
				t.Add(m, fRTMCSFormat, o+1, 1, fl>>3&1)
			}
			if b[0]&0x10 != 0 {
				t.Add(m, fRTMCSFEC, o+1, 1, fl>>4&1)
			}
			if b[0]&0x20 != 0 {
				t.Add(m, fRTMCSSTBC, o+1, 1, fl>>5&3)
			}
			if b[0]&0x02 != 0 {
				t.Add(m, fRTMCSIndex, o+2, 1, uint64(b[2]))
			}
		}
	}
	return true
}

// wlanChannel is the channel number of a frequency in MHz, or -1.
func wlanChannel(f int) int {
	switch {
	case f == 2484:
		return 14
	case f >= 2412 && f < 2484:
		return (f - 2407) / 5
	case f >= 4910 && f <= 4980:
		return (f - 4000) / 5
	case f > 5000 && f <= 5925:
		return (f - 5000) / 5
	}
	return -1
}

// htRate is an HT MCS index's data rate in Mb/s (IEEE 802.11-2016 tables
// 19-27 to 19-30: the data bits per OFDM symbol of one stream, over 4 µs or
// 3.6 µs with the short guard interval), or 0 for an index past 31.
func htRate(idx uint8, bw40, sgi bool) float64 {
	if idx > 31 {
		return 0
	}
	dbps20 := [8]float64{26, 52, 78, 104, 156, 208, 234, 260}
	dbps40 := [8]float64{54, 108, 162, 216, 324, 432, 486, 540}
	d := dbps20[idx%8]
	if bw40 {
		d = dbps40[idx%8]
	}
	d *= float64(idx/8 + 1)
	if sgi {
		return d / 3.6
	}
	return d / 4
}

// wlanRadio adds Wireshark's summary of the PHY under layer r: the frame
// of frameLen bytes follows the header.
func wlanRadio(t *Tree, r int, in *rtInfo, frameLen int) {
	off := int(t.Nodes[r].Off)
	add := func(f FieldID, v uint64) int { return t.Add(r, f, off, 0, v) }
	phy := 0
	switch {
	case in.has(rtHE):
		phy = 11
	case in.has(rtMCS):
		phy = 7
	case in.has(rtChannel) && in.chanFlags&0x0020 != 0: // CCK
		phy = 4
	case in.has(rtChannel) && in.chanFlags&0x0100 != 0 && in.chanFlags&0x0040 != 0: // 5 GHz OFDM
		phy = 5
	case in.has(rtChannel) && in.chanFlags&0x0080 != 0 && in.chanFlags&0x0440 != 0: // 2 GHz OFDM
		phy = 6
	case in.has(rtRate) && (in.rate == 2 || in.rate == 4 || in.rate == 11 || in.rate == 22):
		phy = 4
	}
	if phy != 0 {
		add(fWRPhy, uint64(phy))
	}
	if phy == 4 && in.has(rtFlags) {
		add(fWRShortPreamble, uint64(in.flags>>1&1))
	}
	var rate float64
	htKnown := in.mcsKnown&0x07 == 0x07
	if phy == 7 {
		if in.mcsKnown&0x02 != 0 {
			add(fWRMCSIndex, uint64(in.mcsIdx))
		}
		if in.mcsKnown&0x01 != 0 {
			add(fWRBandwidth, uint64(in.mcsFlags&3))
		}
		if in.mcsKnown&0x04 != 0 {
			add(fWRShortGI, uint64(in.mcsFlags>>2&1))
		}
		if in.mcsKnown&0x20 != 0 {
			add(fWRSTBC, uint64(in.mcsFlags>>5&3))
		}
		if htKnown {
			rate = htRate(in.mcsIdx, in.mcsFlags&3 == 1, in.mcsFlags&4 != 0)
		}
	} else if in.has(rtRate) {
		rate = float64(in.rate) / 2
	}
	if rate > 0 {
		add(fWRDataRate, math.Float64bits(rate))
	}
	if in.has(rtChannel) {
		if c := wlanChannel(int(in.freq)); c >= 0 {
			add(fWRChannel, uint64(c))
		}
		add(fWRFrequency, uint64(in.freq))
	}
	if in.has(rtDBSignal) {
		add(fWRSignalDB, uint64(in.dbSignal))
	}
	if in.has(rtDBmSignal) {
		add(fWRSignalDBm, uint64(int64(in.dbmSignal)))
	}
	if in.has(rtDBmNoise) {
		add(fWRNoiseDBm, uint64(int64(in.dbmNoise)))
	}
	if in.has(rtDBmSignal) && in.has(rtDBmNoise) {
		add(fWRSNR, uint64(int64(in.dbmSignal)-int64(in.dbmNoise)))
	}
	if in.has(rtTSFT) {
		add(fWRTimestamp, in.tsft)
	}
	switch {
	case phy == 4 && rate > 0:
		// DSSS and CCK: a long (192 µs) or short (96 µs) preamble, then
		// the frame's bits at the rate.
		pre, assumed := uint64(96), !in.has(rtFlags)
		if !assumed && in.flags&0x02 == 0 {
			pre = 192
		}
		us := uint64(math.Ceil(float64(frameLen) * 8 / rate))
		d := add(fWRDuration, pre+us)
		if assumed {
			t.Add(d, fWRAssumedShort, off, 0, 0)
		}
		t.Add(d, fWRPreamble, off, 0, pre)
	case phy == 7 && htKnown && rate > 0:
		// The HT duration's parts decode does not compute; what it
		// assumes for the PLCP fields the radio did not give is said.
		for i, f := range wlanRadioAssumed {
			if in.mcsKnown&wlanRadioMCSKnown[i] == 0 {
				t.Add(r, f, off, 0, 0)
			}
		}
	}
}

// textRadiotap prints the header's fields as tcpdump does, before the
// frame's text: "1.0 Mb/s 2412 MHz 11b -50dBm signal antenna 1 ".
func textRadiotap(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	off := int(t.Nodes[n].Off)
	avail := t.Avail(off, len(t.Data))
	if avail < 4 {
		p.b = append(p.b, " [|802.11_radio]"...)
		return
	}
	d := t.Data[off : off+avail]
	hlen := int(binary.LittleEndian.Uint16(d[2:]))
	var r rtWalk
	if hlen < 8 || !r.start(d, hlen) || hlen > avail {
		p.b = append(p.b, " [|802.11_radio]"...)
		return
	}
	// The channel's kind is 11n when the header has MCS information.
	hasMCS := r.word(0)&(1<<rtMCS) != 0
	w := r
loop:
	for {
		switch w.next() {
		case rtEnd:
			break loop
		case rtFieldCut:
			p.b = append(p.b, " [|802.11_radio]"...)
			break loop
		case rtUnknown:
			p.b = appendRTBit(p.b, w.num)
			break loop
		}
		if w.vendor || w.inVendor {
			continue
		}
		if w.base != 0 && w.num < rtKnown {
			continue
		}
		b := d[w.foff:]
		switch w.num {
		case rtTSFT:
			p.b = strconv.AppendUint(p.b, binary.LittleEndian.Uint64(b), 10)
			p.b = append(p.b, "us tsft "...)
		case rtFlags:
			f := b[0]
			if f&0x01 != 0 {
				p.b = append(p.b, "cfp "...)
			}
			if f&0x02 != 0 {
				p.b = append(p.b, "short preamble "...)
			}
			if f&0x04 != 0 {
				p.b = append(p.b, "wep "...)
			}
			if f&0x08 != 0 {
				p.b = append(p.b, "fragmented "...)
			}
			if f&0x40 != 0 {
				p.b = append(p.b, "bad-fcs "...)
			}
		case rtRate:
			if b[0] != 0 {
				p.b = appendMbps(p.b, float64(b[0])/2)
			}
		case rtChannel:
			p.b = strconv.AppendUint(p.b, uint64(binary.LittleEndian.Uint16(b)), 10)
			p.b = append(p.b, " MHz "...)
			p.b = appendChanFlags(p.b, binary.LittleEndian.Uint16(b[2:]), hasMCS)
		case rtFHSS:
			p.b = append(p.b, "fhset "...)
			p.b = strconv.AppendUint(p.b, uint64(b[0]), 10)
			p.b = append(p.b, " fhpat "...)
			p.b = strconv.AppendUint(p.b, uint64(b[1]), 10)
			p.b = append(p.b, ' ')
		case rtDBmSignal:
			p.b = strconv.AppendInt(p.b, int64(int8(b[0])), 10)
			p.b = append(p.b, "dBm signal "...)
		case rtDBmNoise:
			p.b = strconv.AppendInt(p.b, int64(int8(b[0])), 10)
			p.b = append(p.b, "dBm noise "...)
		case rtQuality:
			p.b = strconv.AppendUint(p.b, uint64(binary.LittleEndian.Uint16(b)), 10)
			p.b = append(p.b, " sq "...)
		case rtTxAtten:
			p.b = strconv.AppendUint(p.b, uint64(binary.LittleEndian.Uint16(b)), 10)
			p.b = append(p.b, " tx power "...)
		case rtDBTxAtten:
			p.b = strconv.AppendUint(p.b, uint64(binary.LittleEndian.Uint16(b)), 10)
			p.b = append(p.b, "dB tx attenuation "...)
		case rtTxPower:
			p.b = strconv.AppendInt(p.b, int64(int8(b[0])), 10)
			p.b = append(p.b, "dBm tx power "...)
		case rtAntenna:
			p.b = append(p.b, "antenna "...)
			p.b = strconv.AppendUint(p.b, uint64(b[0]), 10)
			p.b = append(p.b, ' ')
		case rtDBSignal:
			p.b = strconv.AppendUint(p.b, uint64(b[0]), 10)
			p.b = append(p.b, "dB signal "...)
		case rtDBNoise:
			p.b = strconv.AppendUint(p.b, uint64(b[0]), 10)
			p.b = append(p.b, "dB noise "...)
		case rtRxFlags, rtAMPDU:
			// nothing at this verbosity
		case rtMCS:
			p.b = appendMCS(p.b, b[0], b[1], b[2])
		case rtXChannel, rtVHT:
			// not in the corpus' headers: left out
		default:
			p.b = appendRTBit(p.b, w.num)
			break loop
		}
	}
	p.Layer(l + 1)
}

// appendRTBit appends the mark of a field tcpdump does not read: "[bit 15] ".
func appendRTBit(b []byte, num int) []byte {
	b = append(b, "[bit "...)
	b = strconv.AppendInt(b, int64(num), 10)
	return append(b, "] "...)
}

// appendMbps appends a rate as "5.5 Mb/s ".
func appendMbps(b []byte, mbps float64) []byte {
	b = strconv.AppendFloat(b, mbps, 'f', 1, 64)
	return append(b, " Mb/s "...)
}

// appendChanFlags appends a channel's kind from its flags: "11b ", "11a ",
// "11g ", "11n " (when the header has MCS information), "Turbo ".
func appendChanFlags(b []byte, f uint16, ht bool) []byte {
	const (
		turbo = 0x0010
		cck   = 0x0020
		ofdm  = 0x0040
		ghz2  = 0x0080
		ghz5  = 0x0100
		dyn   = 0x0400
	)
	switch {
	case ht && f&(ghz2|ghz5) != 0:
		b = append(b, "11n "...)
	case f&ghz5 != 0 && f&ofdm != 0:
		b = append(b, "11a "...)
	case f&ghz2 != 0 && f&(ofdm|dyn) != 0:
		b = append(b, "11g "...)
	case f&ghz2 != 0 && f&cck != 0:
		b = append(b, "11b "...)
	}
	if f&turbo != 0 {
		b = append(b, "Turbo "...)
	}
	return b
}

// appendMCS appends an HT rate: "150.0 Mb/s MCS 7 40 MHz short GI RX-STBC1 ".
func appendMCS(b []byte, known, flags, idx uint8) []byte {
	if known&0x02 != 0 {
		if known&0x05 == 0x05 && idx <= 31 {
			b = appendMbps(b, htRate(idx, flags&3 == 1, flags&4 != 0))
		}
		b = append(b, "MCS "...)
		b = strconv.AppendUint(b, uint64(idx), 10)
		b = append(b, ' ')
	}
	if known&0x01 != 0 {
		switch flags & 3 {
		case 0:
			b = append(b, "20 MHz "...)
		case 1:
			b = append(b, "40 MHz "...)
		case 2:
			b = append(b, "20 MHz (L) "...)
		case 3:
			b = append(b, "20 MHz (U) "...)
		}
	}
	if known&0x04 != 0 {
		if flags&4 != 0 {
			b = append(b, "short GI "...)
		} else {
			b = append(b, "long GI "...)
		}
	}
	if known&0x08 != 0 {
		if flags&8 != 0 {
			b = append(b, "greenfield "...)
		} else {
			b = append(b, "mixed "...)
		}
	}
	if known&0x10 != 0 {
		if flags&0x10 != 0 {
			b = append(b, "LDPC "...)
		} else {
			b = append(b, "BCC "...)
		}
	}
	if known&0x20 != 0 && flags>>5&3 != 0 {
		b = append(b, "RX-STBC"...)
		b = strconv.AppendUint(b, uint64(flags>>5&3), 10)
		b = append(b, ' ')
	}
	return b
}
