package decode

// Tests of IP reassembly (ipfrag.go) on hand-made fragments. What each test
// expects is what tshark 4.0 printed for the same packets, written to a
// pcap file and read with its default preferences (tshark -T fields -e
// frame.protocols -e ip.fragment ...).

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// fragEcho is an ICMP echo request of 48 bytes, the datagram the tests cut
// into fragments.
func fragEcho() []byte {
	b := make([]byte, 48)
	b[0] = 8
	binary.BigEndian.PutUint16(b[4:], 0x1234)
	binary.BigEndian.PutUint16(b[6:], 1)
	for i := 8; i < len(b); i++ {
		b[i] = byte(i - 8)
	}
	binary.BigEndian.PutUint16(b[2:], wire.Fold(wire.Sum(0, b)))
	return b
}

// ip4Frag is an Ethernet frame, with 802.1Q tags of the IDs vlans (outer
// first), carrying an IPv4 fragment from 10.0.0.1 to 10.0.0.2: payload b at
// byte offset off of datagram id, more fragments to follow if more.
func ip4Frag(vlans []uint16, id uint16, proto byte, off int, more bool, b []byte) []byte {
	f := []byte{2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}
	for _, v := range vlans {
		f = append(f, 0x81, 0, byte(v>>8), byte(v))
	}
	f = append(f, 8, 0)
	h := make([]byte, 20)
	h[0] = 0x45
	binary.BigEndian.PutUint16(h[2:], uint16(20+len(b)))
	binary.BigEndian.PutUint16(h[4:], id)
	fo := uint16(off / 8)
	if more {
		fo |= 0x2000
	}
	binary.BigEndian.PutUint16(h[6:], fo)
	h[8], h[9] = 64, proto
	copy(h[12:], []byte{10, 0, 0, 1, 10, 0, 0, 2})
	binary.BigEndian.PutUint16(h[10:], wire.Fold(wire.Sum(0, h)))
	return append(append(f, h...), b...)
}

// ip6Frag is an Ethernet frame carrying an IPv6 fragment from fe80::1 to
// fe80::2, after the extension headers exts (0 hop-by-hop, 60 destination
// options, each 8 bytes of padding).
func ip6Frag(exts []byte, id uint32, nh byte, off int, more bool, b []byte) []byte {
	chain := append(append([]byte{}, exts...), 44)
	var ext []byte
	for i := range exts {
		ext = append(ext, chain[i+1], 0, 1, 4, 0, 0, 0, 0)
	}
	fo := uint16(off/8) << 3
	if more {
		fo |= 1
	}
	ext = append(ext, nh, 0, byte(fo>>8), byte(fo))
	ext = binary.BigEndian.AppendUint32(ext, id)
	h := make([]byte, 40)
	h[0] = 0x60
	binary.BigEndian.PutUint16(h[4:], uint16(len(ext)+len(b)))
	h[6], h[7] = chain[0], 64
	h[8], h[9], h[23] = 0xfe, 0x80, 1
	h[24], h[25], h[39] = 0xfe, 0x80, 2
	f := []byte{2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x86, 0xdd}
	return append(append(append(f, h...), ext...), b...)
}

// fragSummary is what the tests compare of each packet, as tshark -T fields
// gives it: frame.protocols, then the fragment fields present.
func fragSummary(t *Tree) string {
	var b []byte
	for i, l := range t.Layers {
		if i == 0 {
			continue
		}
		if i > 1 {
			b = append(b, ':')
		}
		b = append(b, registry[t.Nodes[l].Field].Name...)
	}
	for _, f := range []FieldID{fIPFragment, fIPFragError, fIPFragOverlap, fIPFragConflict, fIPFragMultiTails,
		fIPFragTooLong, fIPFragCount, fIPReassembledLen, fIPv6Fragment, fIPv6FragError, fIPv6FragOverlap,
		fIPv6FragConflict, fIPv6FragCount, fIPv6ReassembledLen, fICMPSeq, fICMPv6Type} {
		var vs []string
		t.Each(f, func(_ int, v uint64) bool { vs = append(vs, strconv.FormatUint(v, 10)); return true })
		if len(vs) > 0 {
			b = append(b, ' ')
			b = append(b, registry[f].Name...)
			b = append(b, '=')
			b = append(b, strings.Join(vs, ",")...)
		}
	}
	return string(b)
}

// dissectFrames dissects frames with one reassembling tree and returns each
// one's fragSummary.
func dissectFrames(frames [][]byte) []string {
	var t Tree
	t.Reassemble = true
	var out []string
	for i, pk := range etherPackets(frames) {
		t.Dissect(pk.data, pk.ci, pk.link, i+1)
		out = append(out, fragSummary(&t))
	}
	return out
}

func checkFrags(t *testing.T, frames [][]byte, want []string) {
	t.Helper()
	got := dissectFrames(frames)
	for i := range want {
		if i >= len(got) || got[i] != want[i] {
			t.Errorf("frame %d:\n got  %q\n want %q", i+1, got[min(i, len(got)-1)], want[i])
		}
	}
}

const fragData = "eth:ip:data"

func TestFragmentsOutOfOrderCompleteAtTheLastToArrive(t *testing.T) {
	e := fragEcho()
	fr := func(id uint16, i int) []byte { return ip4Frag(nil, id, 1, i*16, i < 2, e[i*16:i*16+16]) }
	checkFrags(t, [][]byte{fr(1, 0), fr(1, 1), fr(1, 2), fr(2, 2), fr(2, 0), fr(2, 1), fr(3, 1), fr(3, 2), fr(3, 0)}, []string{
		fragData, fragData,
		"eth:ip:icmp:data ip.fragment=1,2,3 ip.fragment.count=3 ip.reassembled.length=48 icmp.seq=1",
		fragData, fragData,
		"eth:ip:icmp:data ip.fragment=5,6,4 ip.fragment.count=3 ip.reassembled.length=48 icmp.seq=1",
		fragData, fragData,
		"eth:ip:icmp:data ip.fragment=9,7,8 ip.fragment.count=3 ip.reassembled.length=48 icmp.seq=1",
	})
}

func TestDuplicateFragments(t *testing.T) {
	e := fragEcho()
	fr := func(id uint16, i int) []byte { return ip4Frag(nil, id, 1, i*16, i < 2, e[i*16:i*16+16]) }
	checkFrags(t, [][]byte{
		fr(4, 0), fr(4, 1), fr(4, 1), fr(4, 2), // before completion: one more, flagged
		fr(5, 0), fr(5, 1), fr(5, 2), fr(5, 2), fr(5, 0), // after: a new datagram
	}, []string{
		fragData, fragData, fragData,
		"eth:ip:icmp:data ip.fragment=1,2,3,4 ip.fragment.overlap=1 ip.fragment.count=4 ip.reassembled.length=48 icmp.seq=1",
		fragData, fragData,
		"eth:ip:icmp:data ip.fragment=5,6,7 ip.fragment.count=3 ip.reassembled.length=48 icmp.seq=1",
		fragData, fragData,
	})
}

func TestOverlappingFragments(t *testing.T) {
	e := fragEcho()
	bad := append([]byte{}, e...)
	bad[16] ^= 0xff
	var t6 Tree
	t6.Reassemble = true
	frames := [][]byte{
		ip4Frag(nil, 7, 1, 0, true, e[0:24]), ip4Frag(nil, 7, 1, 16, false, e[16:48]), // same bytes
		ip4Frag(nil, 8, 1, 0, true, e[0:24]), ip4Frag(nil, 8, 1, 16, false, bad[16:48]), // conflicting
		ip4Frag(nil, 9, 1, 16, false, e[16:32]), ip4Frag(nil, 9, 1, 0, true, e[0:40]), // past the tail's end
		ip4Frag(nil, 10, 1, 32, false, e[32:48]), ip4Frag(nil, 10, 1, 16, false, e[16:32]), ip4Frag(nil, 10, 1, 0, true, e[0:16]), // two tails
	}
	checkFrags(t, frames, []string{
		fragData,
		"eth:ip:icmp:data ip.fragment=1,2 ip.fragment.overlap=1 ip.fragment.count=2 ip.reassembled.length=48 icmp.seq=1",
		fragData,
		"eth:ip:icmp:data ip.fragment=3 ip.fragment.error=4 ip.fragment.overlap=1 ip.fragment.overlap.conflict=1 ip.fragment.count=2 ip.reassembled.length=48 icmp.seq=1",
		fragData,
		"eth:ip:icmp:data ip.fragment=5 ip.fragment.error=6 ip.fragment.overlap=1 ip.fragment.toolongfragment=1 ip.fragment.count=2 ip.reassembled.length=32 icmp.seq=1",
		fragData, fragData,
		"eth:ip:icmp:data ip.fragment=9,7 ip.fragment.error=8 ip.fragment.multipletails=1 ip.fragment.count=3 ip.reassembled.length=48 icmp.seq=1",
	})
	// Where fragments overlap, the bytes of the one first in offset order stay.
	for i, pk := range etherPackets(frames[:4]) {
		t6.Dissect(pk.data, pk.ci, pk.link, i+1)
	}
	d := t6.Bytes(t6.Find(int(t6.Layers[2]), fIPReassembled))
	if d[16] != e[16] {
		t.Errorf("byte 16 of the conflicting datagram is %#x, want the first fragment's %#x", d[16], e[16])
	}
}

func TestFragmentsNeverCompletedStayData(t *testing.T) {
	e := fragEcho()
	fr := func(id uint16, i int) []byte { return ip4Frag(nil, id, 1, i*16, i < 2, e[i*16:i*16+16]) }
	got := dissectFrames([][]byte{fr(10, 0), fr(10, 1), fr(11, 0), fr(11, 2)})
	for i, g := range got {
		if g != fragData {
			t.Errorf("frame %d: %q, want %q", i+1, g, fragData)
		}
	}
}

func TestFragmentKeys(t *testing.T) {
	e := fragEcho()
	u := make([]byte, 48)
	binary.BigEndian.PutUint16(u[4:], 48)
	fr := func(vlans []uint16, id uint16, i int) []byte {
		return ip4Frag(vlans, id, 1, i*16, i < 2, e[i*16:i*16+16])
	}
	checkFrags(t, [][]byte{
		// The protocol is part of the key.
		ip4Frag(nil, 20, 1, 0, true, e[0:24]), ip4Frag(nil, 20, 17, 0, true, u[0:24]),
		ip4Frag(nil, 20, 1, 24, false, e[24:48]), ip4Frag(nil, 20, 17, 24, false, u[24:48]),
		// The first 802.1Q tag's ID is (inner tags are not).
		fr([]uint16{20, 10}, 21, 0), fr([]uint16{30, 10}, 21, 1), fr([]uint16{10}, 21, 2),
		fr([]uint16{20, 10}, 22, 0), fr([]uint16{20, 11}, 22, 1), fr([]uint16{20, 10}, 22, 2),
		// VLAN 0 is no VLAN.
		fr([]uint16{0}, 23, 0), fr(nil, 23, 1), fr([]uint16{0}, 23, 2),
	}, []string{
		fragData, fragData,
		"eth:ip:icmp:data ip.fragment=1,3 ip.fragment.count=2 ip.reassembled.length=48 icmp.seq=1",
		"eth:ip:udp:data ip.fragment=2,4 ip.fragment.count=2 ip.reassembled.length=48",
		"eth:vlan:vlan:ip:data", "eth:vlan:vlan:ip:data", "eth:vlan:ip:data",
		"eth:vlan:vlan:ip:data", "eth:vlan:vlan:ip:data",
		"eth:vlan:vlan:ip:icmp:data ip.fragment=8,9,10 ip.fragment.count=3 ip.reassembled.length=48 icmp.seq=1",
		"eth:vlan:ip:data", fragData,
		"eth:vlan:ip:icmp:data ip.fragment=11,12,13 ip.fragment.count=3 ip.reassembled.length=48 icmp.seq=1",
	})
}

func TestIPv6FragmentsAfterExtensionHeaders(t *testing.T) {
	e := fragEcho()
	e[0] = 128
	fr := func(exts []byte, id uint32, i int) []byte { return ip6Frag(exts, id, 58, i*16, i < 2, e[i*16:i*16+16]) }
	checkFrags(t, [][]byte{
		fr(nil, 1, 0), fr(nil, 1, 1), fr(nil, 1, 2),
		// The headers before the fragment header may differ.
		fr([]byte{0}, 2, 0), fr([]byte{0, 60}, 2, 1), fr([]byte{60}, 2, 2),
		// Out of order.
		fr([]byte{0}, 3, 2), fr([]byte{0}, 3, 1), fr([]byte{0}, 3, 0),
		// An atomic fragment is read as it is.
		ip6Frag(nil, 4, 58, 0, false, e),
	}, []string{
		"eth:ipv6:ipv6.fraghdr:data", "eth:ipv6:ipv6.fraghdr:data",
		"eth:ipv6:ipv6.fraghdr:icmpv6:data ipv6.fragment=1,2,3 ipv6.fragment.count=3 ipv6.reassembled.length=48 icmpv6.type=128",
		"eth:ipv6:ipv6.hopopts:ipv6.fraghdr:data", "eth:ipv6:ipv6.hopopts:ipv6.dstopts:ipv6.fraghdr:data",
		"eth:ipv6:ipv6.dstopts:ipv6.fraghdr:icmpv6:data ipv6.fragment=4,5,6 ipv6.fragment.count=3 ipv6.reassembled.length=48 icmpv6.type=128",
		"eth:ipv6:ipv6.hopopts:ipv6.fraghdr:data", "eth:ipv6:ipv6.hopopts:ipv6.fraghdr:data",
		"eth:ipv6:ipv6.hopopts:ipv6.fraghdr:icmpv6:data ipv6.fragment=9,8,7 ipv6.fragment.count=3 ipv6.reassembled.length=48 icmpv6.type=128",
		"eth:ipv6:ipv6.fraghdr:icmpv6:data icmpv6.type=128",
	})
}

// TestFragmentsDissectedAgainChangeNothing dissects each frame with the
// display filter's tree, then, as the printer under -Y does, with a second
// tree sharing its state: both give the same tree, and the table is as if
// each frame were seen once.
func TestFragmentsDissectedAgainChangeNothing(t *testing.T) {
	e := fragEcho()
	fr := func(id uint16, i int) []byte { return ip4Frag(nil, id, 1, i*16, i < 2, e[i*16:i*16+16]) }
	frames := [][]byte{fr(1, 0), fr(1, 2), fr(1, 1), fr(2, 0), fr(2, 1), fr(2, 1), fr(2, 2)}
	want := dissectFrames(frames)
	var filter, printer Tree
	filter.Reassemble, printer.Reassemble = true, true
	printer.ShareState(&filter)
	for i, pk := range etherPackets(frames) {
		filter.Dissect(pk.data, pk.ci, pk.link, i+1)
		a := fragSummary(&filter)
		printer.Dissect(pk.data, pk.ci, pk.link, i+1)
		b := fragSummary(&printer)
		filter.Dissect(pk.data, pk.ci, pk.link, i+1)
		c := fragSummary(&filter)
		if a != want[i] || b != want[i] || c != want[i] {
			t.Errorf("frame %d: first %q, second tree %q, again %q; want %q", i+1, a, b, c, want[i])
		}
	}
	// A completing frame is remembered: dissected again later, it is the same.
	pk := etherPackets(frames)[2]
	printer.Dissect(pk.data, pk.ci, pk.link, 3)
	if got := fragSummary(&printer); got != want[2] {
		t.Errorf("frame 3 again at the end: %q, want %q", got, want[2])
	}
	if n := filter.crossPacket().frags.live; n != 0 {
		t.Errorf("%d datagrams left in the table", n)
	}
}

func TestFragmentsNotReassembledWithoutReassemble(t *testing.T) {
	e := fragEcho()
	var tr Tree
	for i, pk := range etherPackets([][]byte{ip4Frag(nil, 1, 1, 0, true, e[:16]), ip4Frag(nil, 1, 1, 16, false, e[16:])}) {
		tr.Dissect(pk.data, pk.ci, pk.link, i+1)
		want := []string{"eth:ip:icmp:data icmp.seq=1", fragData}[i]
		if got := fragSummary(&tr); got != want {
			t.Errorf("frame %d: %q, want %q", i+1, got, want)
		}
	}
}

// TestFragmentTableIsBounded fills the table past its bound of datagrams:
// the oldest go, and a fragment of one of them starts a new datagram.
func TestFragmentTableIsBounded(t *testing.T) {
	var tr Tree
	tr.Reassemble = true
	e := fragEcho()
	ci := gopacket.CaptureInfo{CaptureLength: 50, Length: 50}
	n := 1
	for id := 0; id <= fragMaxDatagrams; id++ {
		f := ip4Frag(nil, uint16(id), byte(id>>16), 0, true, e[:16])
		copy(f[14+12:], []byte{10, 1, byte(id >> 8), byte(id)})
		tr.Dissect(f, ci, wire.LinkEthernet, n)
		n++
	}
	s := &tr.crossPacket().frags
	if s.live != fragMaxDatagrams {
		t.Errorf("%d datagrams in the table, want %d", s.live, fragMaxDatagrams)
	}
	if s.bytes != 16*fragMaxDatagrams {
		t.Errorf("%d bytes in the table, want %d", s.bytes, 16*fragMaxDatagrams)
	}
	// Datagram 0 was dropped: its last fragment does not complete it.
	f := ip4Frag(nil, 0, 0, 16, false, e[16:])
	copy(f[14+12:], []byte{10, 1, 0, 0})
	tr.Dissect(f, ci, wire.LinkEthernet, n)
	if got := fragSummary(&tr); got != fragData {
		t.Errorf("the dropped datagram's last fragment: %q", got)
	}
}

// TestReassemblyAllocatesNothing holds dissection with reassembly to no
// allocation per packet once warm.
func TestReassemblyAllocatesNothing(t *testing.T) {
	pkts := readTestdata(t, "frag.pcap")
	var tr Tree
	tr.Reassemble = true
	n := 0
	next := func() {
		pk := pkts[n%len(pkts)]
		n++
		tr.Dissect(pk.data, pk.ci, pk.link, n)
	}
	for i := 0; i < 4*len(pkts); i++ {
		next()
	}
	if a := testing.AllocsPerRun(1000, next); a != 0 {
		t.Errorf("%.1f allocations per packet", a)
	}
	// The datagrams completed leave nothing behind.
	if s := &tr.crossPacket().frags; len(s.order)-s.head > 2*s.live+64 || len(s.slots) > 4 {
		t.Errorf("the table holds %d refs and %d slots for %d datagrams", len(s.order)-s.head, len(s.slots), s.live)
	}
}

// TestCorpusFragmentsAsTsharkReassemblesThem compares the fragment fields of
// tcpdump's test captures that hold fragments with tshark's, both
// reassembling.
func TestCorpusFragmentsAsTsharkReassemblesThem(t *testing.T) {
	needTshark(t)
	dir := filepath.Join("..", "..", "shared", "corpus", "tcpdump")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("no corpus of tcpdump's captures beside the repository")
	}
	names := []string{"ip.flags.mf", "ip.frag_offset", "ipv6.fraghdr.offset", "ip.fragment", "ip.fragment.error",
		"ip.fragment.count", "ip.reassembled.length", "ip.reassembled.data", "ip.fragment.overlap",
		"ip.fragment.overlap.conflict", "ip.fragment.multipletails", "ip.fragment.toolongfragment",
		"ipv6.fragment", "ipv6.fragment.error", "ipv6.fragment.count", "ipv6.reassembled.length",
		"ipv6.reassembled.data", "udp.srcport", "udp.length", "icmp.type", "frame.protocols"}
	// Found with tshark -Y 'ip.flags.mf==1 || ip.frag_offset>0 || ipv6.fraghdr'.
	files := []string{"afs.pcap", "vrrp-vrrp_print-oobr-2.pcap", "olsr-oobr-1.pcap", "isakmp-ikev1_n_print-oobr.pcap",
		"lmp-lmp_print_data_link_subobjs-oobr.pcap", "isakmp-various-oobr.pcap", "babel_update_oobr.pcap",
		"vqp-oobr.pcap", "rx_serviceid_oobr.pcap", "rsvp_uni-oobr-3.pcap", "rsvp-rsvp_obj_print-oobr.pcap",
		"rpki-rtr-oobr.pcap", "rip_error_hexdump.pcap", "radius_attr_asan.pcap", "pim_header_asan-3.pcap",
		"ldp-ldp_tlv_print-oobr.pcap", "isakmpv1-attr-oobr.pcap", "ip_ts_opts_asan.pcap", "ip_printroute_asan.pcap",
		"ikev1_id_ipv6_addr_subnet-oobr.pcap", "icmpv6-rfc7112.pcap", "hncp_dhcpv4data-oobr.pcap",
		"esp_truncated.pcap", "dhcp6_reconf_asan.pcap", "bootp_asan.pcap", "bootp_asan-2.pcap",
		"bgp_pmsi_tunnel-oobr.pcap", "bgp-bgp_capabilities_print-oobr-2.pcap", "bgp-bgp_capabilities_print-oobr-1.pcap"}
	var frags, reassembled atomic.Int64
	t.Run("captures", func(t *testing.T) {
		for _, name := range files {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				corpusFragments(t, filepath.Join(dir, name), names, &frags, &reassembled)
			})
		}
	})
	t.Logf("%d fragments, %d of them completing a datagram", frags.Load(), reassembled.Load())
}

// corpusFragments compares the fragments of one capture of the corpus.
func corpusFragments(t *testing.T, file string, names []string, frags, reassembled *atomic.Int64) {
	name := filepath.Base(file)
	if _, err := os.Stat(file); err != nil {
		return
	}
	ours := strings.Split(fieldsOutputWith(t, file, names, DefaultFieldsOptions(), Options{Reassemble: true}), "\n")
	theirs := strings.Split(tsharkFieldsWith(t, file, nil, names), "\n")
	// Without reassembly, on both sides: a difference there too is not
	// the reassembly's (a protocol decode does not read, a malformed
	// packet read otherwise) and is logged.
	oursOff := strings.Split(fieldsOutputWith(t, file, names, DefaultFieldsOptions(), Options{}), "\n")
	theirsOff := strings.Split(tsharkFieldsWith(t, file, fieldsPrefs, names), "\n")
	if len(ours) != len(theirs) || len(oursOff) != len(theirs) || len(theirsOff) != len(theirs) {
		t.Errorf("%s: %d lines, tshark %d", name, len(ours), len(theirs))
		return
	}
	for i := range theirs {
		w, o := strings.Split(theirs[i], "\t"), strings.Split(ours[i], "\t")
		wOff, oOff := strings.Split(theirsOff[i], "\t"), strings.Split(oursOff[i], "\t")
		if len(w) != len(names) || len(o) != len(names) || len(wOff) != len(names) || len(oOff) != len(names) {
			continue
		}
		if !strings.Contains(w[0], "1") && strings.Trim(w[1], "0,") == "" && w[2] == "" {
			continue // not a fragment
		}
		frags.Add(1)
		if w[3] != "" || w[12] != "" {
			reassembled.Add(1)
		}
		for k, n := range names {
			if n == "frame.protocols" {
				// Up to the layer after the last IP one: tshark
				// reads more application protocols than decode.
				o[k], w[k] = protocolsThroughIP(o[k]), protocolsThroughIP(w[k])
			}
			if o[k] == w[k] {
				continue
			}
			msg := name + " packet " + itoa(i+1) + ": " + n + ": we print " + quoteShort(o[k]) + ", tshark " + quoteShort(w[k])
			if oOff[k] != wOff[k] {
				t.Log("without reassembly too: " + msg)
				continue
			}
			t.Error(msg)
		}
	}
}

// protocolsThroughIP cuts a frame.protocols value after the layer that
// follows its last IP layer (or IPv6 extension header).
func protocolsThroughIP(s string) string {
	p := strings.Split(s, ":")
	last := -1
	for i, x := range p {
		if x == "ip" || strings.HasPrefix(x, "ipv6") {
			last = i
		}
	}
	if last >= 0 && last+2 < len(p) {
		p = p[:last+2]
	}
	return strings.Join(p, ":")
}

// BenchmarkDissectFragments dissects frag.pcap's fragments, putting them
// back together (reassemble) or each on its own.
func BenchmarkDissectFragments(b *testing.B) {
	pkts := readTestdata(b, "frag.pcap")
	var size int64
	for _, pk := range pkts {
		size += int64(len(pk.data))
	}
	for _, reassemble := range []bool{false, true} {
		b.Run("reassemble="+strconv.FormatBool(reassemble), func(b *testing.B) {
			var tr Tree
			tr.Reassemble = reassemble
			b.SetBytes(size / int64(len(pkts)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				pk := pkts[i%len(pkts)]
				tr.Dissect(pk.data, pk.ci, pk.link, i+1)
			}
		})
	}
}

// TestFragmentsGiveUpAfterTheTimeout: a datagram whose last fragment comes
// more than fragTimeout after its first is given up, as a receiver would;
// within it, it is put together.
func TestFragmentsGiveUpAfterTheTimeout(t *testing.T) {
	e := fragEcho()
	start := time.Unix(1_800_000_000, 0)
	for _, c := range []struct {
		gap  time.Duration
		want string
	}{
		{59 * time.Second, "eth:ip:icmp:data ip.fragment=1,2,3 ip.fragment.count=3 ip.reassembled.length=48 icmp.seq=1"},
		{61 * time.Second, fragData},
	} {
		var tr Tree
		tr.Reassemble = true
		for i, at := range []time.Duration{0, time.Second, c.gap} {
			f := ip4Frag(nil, 9, 1, i*16, i < 2, e[i*16:i*16+16])
			tr.Dissect(f, gopacket.CaptureInfo{Timestamp: start.Add(at), CaptureLength: len(f), Length: len(f)}, wire.LinkEthernet, i+1)
		}
		if got := fragSummary(&tr); got != c.want {
			t.Errorf("last fragment %v after the first: %q, want %q", c.gap, got, c.want)
		}
	}
}
