package replay

import (
	"bytes"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/sockscope/sockscope/capture"
	"github.com/sockscope/sockscope/capture/capturetest"
	"github.com/sockscope/sockscope/decode/wire"
)

// tsharkFields are what the oracle tests read; the addresses first.
var tsharkFields = []string{
	"ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "eth.src", "eth.dst",
	"ip.checksum.status", "tcp.checksum.status", "udp.checksum.status",
	"icmp.checksum.status", "icmpv6.checksum.status",
}

const (
	colIPSrc = iota
	colIPDst
	colIPv6Src
	colIPv6Dst
	colEthSrc
	colEthDst
	colFirstStatus
)

// tsharkGood is what a checksum.status field holds for a good checksum
// (0 bad, 1 good, 2 unverified).
const tsharkGood = "1"

// tshark reads a pcap with checksum checks on: one row a packet, one column
// a field, occurrences (outer first) split.
func tshark(t *testing.T, path string) [][][]string {
	t.Helper()
	args := []string{"-r", path, "-n",
		"-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
		"-T", "fields", "-E", "separator=/t", "-E", "aggregator=,"}
	for _, f := range tsharkFields {
		args = append(args, "-e", f)
	}
	out, err := exec.Command(capturetest.RequireTool(t, "tshark"), args...).Output()
	if err != nil {
		t.Fatalf("tshark -r %s: %v", path, err)
	}
	var rows [][][]string
	for _, line := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
		cols := strings.Split(line, "\t")
		if len(cols) != len(tsharkFields) {
			t.Fatalf("tshark -r %s: %d fields in %q, want %d", path, len(cols), line, len(tsharkFields))
		}
		row := make([][]string, len(cols))
		for i, c := range cols {
			if c != "" {
				row[i] = strings.Split(c, ",")
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// group is the packets of one capture with one link type, which a pcap
// file can hold.
type group struct {
	name   string
	link   wire.LinkType
	frames []frame
}

func groups(t *testing.T) []group {
	var gs []group
	for _, f := range captures(t) {
		if n := len(gs); n > 0 && gs[n-1].name == f.file && gs[n-1].link == f.link {
			gs[n-1].frames = append(gs[n-1].frames, f)
			continue
		}
		found := false
		for i := range gs {
			if gs[i].name == f.file && gs[i].link == f.link {
				gs[i].frames = append(gs[i].frames, f)
				found = true
			}
		}
		if !found {
			gs = append(gs, group{f.file, f.link, []frame{f}})
		}
	}
	return gs
}

// write puts the frames of g, each changed by edit, in a pcap file.
func (g group) write(t *testing.T, path string, edit func(frame) []byte) {
	t.Helper()
	file, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	w, err := capture.NewPcapWriter(file, g.link, 0, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range g.frames {
		ci := f.ci
		ci.InterfaceIndex = 0
		if err := w.WritePacket(ci, edit(f)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
}

// checksumsStayGood fails for every checksum tshark found good in before
// and not in after; it returns how many good ones it compared.
func checksumsStayGood(t *testing.T, what string, before, after [][][]string) int {
	t.Helper()
	good := 0
	for i := range before {
		for c := colFirstStatus; c < len(tsharkFields); c++ {
			b, a := before[i][c], after[i][c]
			for j := range b {
				if b[j] != tsharkGood {
					continue
				}
				good++
				if j >= len(a) || a[j] != tsharkGood {
					t.Errorf("%s packet %d: %s was good, now %v", what, i+1, tsharkFields[c], a)
				}
			}
		}
	}
	return good
}

// TestRewrittenCapturesAsTsharkSeesThem rewrites every capture in testdata
// (IPv4 and IPv6 maps, single-address and CIDR, and both MACs) and asks
// tshark: each outer address is what the maps say, everything else is as it
// was, and no checksum that was good is bad now.
func TestRewrittenCapturesAsTsharkSeesThem(t *testing.T) {
	capturetest.RequireTool(t, "tshark")
	for _, fix := range []bool{false, true} {
		t.Run(fmt.Sprintf("fixcsum=%v", fix), func(t *testing.T) {
			rw := testRewrite(t)
			rw.FixChecksums = fix
			dir := t.TempDir()
			var addrs, macs, good atomic.Int64
			t.Run("files", func(t *testing.T) {
				for _, g := range groups(t) {
					what := fmt.Sprintf("%s (link type %d)", g.name, g.link)
					t.Run(fmt.Sprintf("%s-%d", g.name, g.link), func(t *testing.T) {
						t.Parallel()
						orig := filepath.Join(dir, fmt.Sprintf("%s-%d.pcap", g.name, g.link))
						edited := filepath.Join(dir, fmt.Sprintf("%s-%d-rewritten.pcap", g.name, g.link))
						g.write(t, orig, func(f frame) []byte { return f.data })
						g.write(t, edited, func(f frame) []byte {
							b := bytes.Clone(f.data)
							rw.Apply(f.link, b, f.ci.Length)
							return b
						})
						before, after := tshark(t, orig), tshark(t, edited)
						if len(before) != len(g.frames) || len(after) != len(before) {
							t.Fatalf("%s: tshark read %d and %d packets, want %d", what, len(before), len(after), len(g.frames))
						}
						for i, f := range g.frames {
							a, m := sameAddresses(t, what, rw, f, before[i], after[i])
							addrs.Add(int64(a))
							macs.Add(int64(m))
						}
						good.Add(int64(checksumsStayGood(t, what, before, after)))
					})
				}
			})
			t.Logf("%d addresses and %d MACs rewritten, %d good checksums stayed good", addrs.Load(), macs.Load(), good.Load())
			if addrs.Load() < 1000 || good.Load() < 1000 {
				t.Errorf("too little was checked: %d addresses rewritten, %d good checksums", addrs.Load(), good.Load())
			}
		})
	}
}

// sameAddresses checks one packet's addresses as tshark read them before
// (b) and after (a) the rewrite: the outer IP addresses are mapped, the
// Ethernet MACs set, every other occurrence (inner, quoted) kept. It
// returns how many addresses and MACs changed.
func sameAddresses(t *testing.T, what string, rw *Rewrite, f frame, b, a [][]string) (addrs, macs int) {
	t.Helper()
	_, hdr := ipHeader(f.link, f.data)
	outer := map[int][]AddrMap{}
	switch hdr {
	case 20:
		outer = map[int][]AddrMap{colIPSrc: rw.SrcIP, colIPDst: rw.DstIP}
	case 40:
		outer = map[int][]AddrMap{colIPv6Src: rw.SrcIP, colIPv6Dst: rw.DstIP}
	}
	if f.link == wire.LinkEthernet {
		outer[colEthSrc], outer[colEthDst] = nil, nil
	}
	for c := colIPSrc; c < colFirstStatus; c++ {
		maps, isOuter := outer[c]
		for j := range b[c] {
			want := b[c][j]
			if isOuter && j == 0 {
				switch c {
				case colEthSrc:
					want = rw.SrcMAC.String()
					macs++
				case colEthDst:
					want = rw.DstMAC.String()
					macs++
				default:
					want = mapped(maps, netip.MustParseAddr(b[c][j])).String()
					if want != b[c][j] {
						addrs++
					}
				}
			}
			if j >= len(a[c]) || a[c][j] != want {
				t.Errorf("%s packet %d: %s was %v, now %v; want %s in place %d",
					what, f.n, tsharkFields[c], b[c], a[c], want, j)
			}
		}
		if len(a[c]) != len(b[c]) {
			t.Errorf("%s packet %d: %s was %v, now %v", what, f.n, tsharkFields[c], b[c], a[c])
		}
	}
	return addrs, macs
}

// corrupt spoils the outer checksums of a copy of f that FixChecksums can
// mend: the IPv4 header's, and the TCP, UDP (unless 0), ICMP or ICMPv6 one
// of a packet that is whole and not a fragment, found by gopacket.
func corrupt(f frame) (data []byte, spoiled int) {
	data = bytes.Clone(f.data)
	off, hdr := ipHeader(f.link, data)
	if off < 0 || len(data) < off+hdr {
		return data, 0
	}
	ip := data[off:]
	first := layers.LayerTypeIPv6
	if hdr == 20 {
		first = layers.LayerTypeIPv4
		ip[10] ^= 0x5a
		spoiled++
	}
	p := gopacket.NewPacket(ip, first, gopacket.NoCopy)
	if p.ErrorLayer() != nil || p.Metadata().Truncated {
		return data, spoiled
	}
	for _, l := range p.Layers() {
		at := 0
		switch l.LayerType() {
		case layers.LayerTypeTCP:
			at = 16
		case layers.LayerTypeUDP:
			at = 6
		case layers.LayerTypeICMPv4, layers.LayerTypeICMPv6:
			at = 2
		default:
			continue
		}
		c := l.LayerContents()
		if len(c) < at+2 || (l.LayerType() == layers.LayerTypeUDP && be16(c[at:]) == 0) {
			return data, spoiled
		}
		c[at] ^= 0x33
		return data, spoiled + 1
	}
	return data, spoiled
}

// TestFixChecksumsAsTsharkSeesIt spoils the checksums of every capture in
// testdata and lets FixChecksums mend them: tshark finds good again every
// checksum it found good in the original.
func TestFixChecksumsAsTsharkSeesIt(t *testing.T) {
	capturetest.RequireTool(t, "tshark")
	fix := &Rewrite{FixChecksums: true}
	dir := t.TempDir()
	var spoiled, bad, good atomic.Int64
	t.Run("files", func(t *testing.T) {
		for _, g := range groups(t) {
			what := fmt.Sprintf("%s (link type %d)", g.name, g.link)
			t.Run(fmt.Sprintf("%s-%d", g.name, g.link), func(t *testing.T) {
				t.Parallel()
				orig := filepath.Join(dir, fmt.Sprintf("%s-%d.pcap", g.name, g.link))
				broken := filepath.Join(dir, fmt.Sprintf("%s-%d-broken.pcap", g.name, g.link))
				mended := filepath.Join(dir, fmt.Sprintf("%s-%d-mended.pcap", g.name, g.link))
				g.write(t, orig, func(f frame) []byte { return f.data })
				g.write(t, broken, func(f frame) []byte {
					b, n := corrupt(f)
					spoiled.Add(int64(n))
					return b
				})
				g.write(t, mended, func(f frame) []byte {
					b, _ := corrupt(f)
					if !fix.Apply(f.link, b, f.ci.Length) && !bytes.Equal(b, f.data) {
						t.Errorf("%s packet %d: FixChecksums changed nothing in a spoiled packet", what, f.n)
					}
					return b
				})
				before, spoilt, after := tshark(t, orig), tshark(t, broken), tshark(t, mended)
				for _, row := range spoilt {
					for c := colFirstStatus; c < len(tsharkFields); c++ {
						for _, s := range row[c] {
							if s == "0" {
								bad.Add(1)
							}
						}
					}
				}
				good.Add(int64(checksumsStayGood(t, what, before, after)))
			})
		}
	})
	t.Logf("%d checksums spoiled, tshark called %d bad; after FixChecksums %d that were good are good again",
		spoiled.Load(), bad.Load(), good.Load())
	if spoiled.Load() < 1000 || bad.Load() < spoiled.Load()/2 {
		t.Errorf("the spoiling did not work: %d spoiled, %d bad", spoiled.Load(), bad.Load())
	}
}
