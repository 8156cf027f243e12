package decode

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/sockscope/sockscope/decode/wire"
)

// expertSep joins the occurrences of a field in tshark's -T fields
// output here: a byte no message has.
const expertSep = "\x1f"

// expertItem is one expert item as tshark's -T fields gives it.
type expertItem struct {
	message         string
	severity, group uint32
}

// tsharkExperts runs tshark at its defaults on file and gives each frame's
// expert items, by frame number.
func tsharkExperts(file string) ([][]expertItem, error) {
	out, err := exec.Command("tshark", "-n", "-r", file, "-T", "fields", "-E", "aggregator="+expertSep,
		"-e", "_ws.expert.message", "-e", "_ws.expert.severity", "-e", "_ws.expert.group").Output()
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	frames := make([][]expertItem, len(lines))
	for i, line := range lines {
		c := strings.Split(line, "\t")
		if len(c) != 3 || c[0] == "" {
			continue
		}
		msgs, sevs, groups := strings.Split(c[0], expertSep), strings.Split(c[1], expertSep), strings.Split(c[2], expertSep)
		if len(msgs) != len(sevs) || len(msgs) != len(groups) {
			continue // a message with the separator in it: not compared
		}
		for k := range msgs {
			s, _ := strconv.ParseUint(sevs[k], 10, 32)
			g, _ := strconv.ParseUint(groups[k], 10, 32)
			frames[i] = append(frames[i], expertItem{msgs[k], uint32(s), uint32(g)})
		}
	}
	return frames, nil
}

// expertKind names the expert field a message of tshark's is, among those
// decode gives, or "" for another's.
// exceptionMessage is tshark's item for an exception.
const exceptionMessage = "Malformed Packet (Exception occurred)"

func expertKind(e expertItem) string {
	for f, x := range expertOf {
		if x != nil && x.summary == nil && x.message == e.message {
			return FieldID(f).Name()
		}
	}
	switch {
	case e.severity == SeverityComment.Wire() && e.group == GroupComment.Wire():
		return "frame.comment.expert" // a packet comment: the message is the comment
	case strings.HasPrefix(e.message, "Connection establish request (SYN): server port "):
		return "tcp.connection.syn"
	case strings.HasPrefix(e.message, "Connection establish acknowledge (SYN+ACK): server port "):
		return "tcp.connection.synack"
	case strings.HasPrefix(e.message, "Duplicate ACK (#"):
		return "tcp.analysis.duplicate_ack"
	case strings.HasPrefix(e.message, "Possible traceroute: hop #"):
		return "udp.possible_traceroute"
	case strings.HasPrefix(e.message, `"Time To Live" only `):
		return "ip.ttl.too_small"
	case strings.HasPrefix(e.message, `"Time To Live" != `):
		return "ip.ttl.lncb"
	case strings.HasPrefix(e.message, "Bad length value "):
		return "udp.length.bad"
	case strings.HasPrefix(e.message, "Bogus IP header length ("):
		return "ip.bogus_header_length"
	case strings.HasPrefix(e.message, "IPv4 total length exceeds packet length ("):
		return "ip.len.past_end"
	case strings.HasPrefix(e.message, "IPv6 payload length exceeds framing length ("):
		return "ipv6.plen_exceeds_framing"
	case strings.HasPrefix(e.message, "Unknown (0x") && strings.HasSuffix(e.message, " says option goes past end of options)"):
		return "ip.opt.len.invalid"
	case osiExpertKind(e.message) != "":
		return osiExpertKind(e.message)
	case strings.HasPrefix(e.message, "M-SEARCH ") || strings.HasPrefix(e.message, "NOTIFY "):
		return "" // SSDP's, which decode does not dissect
	case strings.HasSuffix(e.message, `\r\n`) && e.severity == SeverityChat.Wire() && strings.Contains(e.message, "HTTP/"):
		return "http.chat"
	}
	return ""
}

// ourExperts dissects file as tshark does at its defaults (reassembling)
// and gives each frame's expert items; false when the file is not read
// whole.
func ourExperts(file string) ([][]expertItem, bool) {
	c, err := readTestCapture(file)
	if err != nil {
		return nil, false
	}
	var t Tree
	t.Reassemble = true
	frames := make([][]expertItem, len(c.packets))
	var b []byte
	for i, pk := range c.packets {
		if !Supported(pk.link) {
			return nil, false
		}
		t.Dissect(pk.data, pk.ci, pk.link, i+1)
		t.Experts(func(e Expert) bool {
			b = t.AppendSummary(b[:0], e)
			frames[i] = append(frames[i], expertItem{string(b), e.Severity.Wire(), e.Group.Wire()})
			return true
		})
	}
	return frames, true
}

// expertOpen are captures whose disagreements are logged, not failed: those
// the analysis oracle leaves for later, and those with IPv4 in MPLS, which
// decode leaves as data where tshark gives the TTL's items.
var expertOpen = map[string]string{
	"ppp-invalid-lengths.pcap": "IPCP/LCP options past their end (PPP merged this session): tshark's option-length item is not given yet",
	"olsr-oobr-2.pcap":         "OLSR (merged this session) in a cut IPv4 fragment: decode adds an unreassembled item tshark does not",
	"dccp_options-oobr.pcap": "DCCP, which decode does not dissect, gives a 'Bad checksum [should be ...]' item " +
		"this test cannot tell from IS-IS's by its message",
	"bgp_mvpn_6_and_7_oobr.pcap": "tshark's 'Unreassembled fragment' for a BGP message in a frame the capture cut: decode gives it malformed",
	"isakmp-various-oobr.pcap":   "tshark's 'Unreassembled fragment' for a read past the capture inside an IP fragment: a rule decode does not have",
	"tok2str-oobr-2.pcap":        "IPv4 in MPLS, not dissected by decode",
	"of10_s4810.pcap":            "an Ethernet frame inside OpenFlow, not dissected by decode",
	"ipv4_invalid_length.pcap":   "an IPv4 header cut short at 19 bytes: tshark reads its total length, decode stops at the cut",
	"icmp-rfc8335-missing-bytes.pcap": "MACsec: tshark frames the IPv4 packet with the 16-byte ICV after it, " +
		"decode without (the total length's item says 51 bytes there, 35 here)",
	"kday1.pcap": "an IPv6 header after Ethertype 0x0800: tshark reads it as IPv6 after its Bogus IPv4 version, decode stops",
	"kday3.pcap": "an IPv6 header after Ethertype 0x0800: tshark reads it as IPv6 after its Bogus IPv4 version, decode stops",
	"cve-2014-8769-AODV.pcap": "a UDP length past an IPv4 packet cut short: tshark checks it against the bytes framed, " +
		"decode against the IPv4 total length (the payload tcpdump's text reads)",
}

// TestExpertItemsAsTsharkGivesThem compares, frame by frame, the expert
// items sockscope gives with those tshark gives (-e _ws.expert.message,
// severity and group) on testdata/ and, without -short, the tcpdump
// corpus (see tcpCorpusCaptures): tshark's items of the kinds decode gives (expertKind), in order,
// must be ours, with the same severity and group.
func TestExpertItemsAsTsharkGivesThem(t *testing.T) {
	needTshark(t)
	files := fieldsCaptures(t)
	if !testing.Short() {
		files = append(files, tcpCorpusCaptures(3)...)
	}
	if only := os.Getenv("SOCKSCOPE_EXPERT_ONLY"); only != "" {
		keep := files[:0]
		for _, f := range files {
			if strings.Contains(f, only) {
				keep = append(keep, f)
			}
		}
		files = keep
	}
	type run struct {
		frames [][]expertItem
		err    error
	}
	theirAll := make([]chan run, len(files))
	sem := make(chan struct{}, 4)
	for i, file := range files {
		theirAll[i] = make(chan run, 1)
		go func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			f, err := tsharkExperts(file)
			theirAll[i] <- run{f, err}
		}()
	}
	set, agree, extra := map[string]int{}, map[string]int{}, map[string]int{}
	example := map[string]string{}
	compared, frames, framesAgree := 0, 0, 0
	for fi, file := range files {
		r := <-theirAll[fi]
		ours, ok := ourExperts(file)
		if !ok || r.err != nil {
			continue
		}
		base := filepath.Base(file)
		if len(ours) != len(r.frames) {
			t.Logf("%s: %d frames, tshark %d: left out", base, len(ours), len(r.frames))
			continue
		}
		compared++
		why, open := expertOpen[base]
		if !open {
			why, open = tcpAnalysisOpen[base]
		}
		for i := range ours {
			var theirs []expertItem
			for _, e := range r.frames[i] {
				if expertKind(e) != "" && e.message != exceptionMessage {
					theirs = append(theirs, e)
				}
			}
			// The exception's item, which several protocols give under one
			// message, is compared by the -z expert table's test.
			// Ours are those of the same kinds: an item whose message is
			// made per packet has no kind here (expertKind reads the
			// messages of the fixed ones).
			ours[i] = slices.DeleteFunc(ours[i], func(e expertItem) bool {
				return e.message == exceptionMessage || expertKind(e) == ""
			})
			if len(theirs) == 0 && len(ours[i]) == 0 {
				continue
			}
			same := len(theirs) == len(ours[i])
			for k := 0; same && k < len(theirs); k++ {
				same = theirs[k] == ours[i][k]
			}
			if open {
				if !same {
					t.Logf("%s frame %d: not compared (%s): we give %v, tshark %v", base, i+1, why, ours[i], theirs)
				}
				continue
			}
			frames++
			if same {
				framesAgree++
			}
			count := func(items []expertItem) map[expertItem]int {
				m := map[expertItem]int{}
				for _, e := range items {
					m[e]++
				}
				return m
			}
			o, w := count(ours[i]), count(theirs)
			for e, n := range w {
				k := expertKind(e)
				set[k] += n
				agree[k] += min(n, o[e])
			}
			for e, n := range o {
				if n > w[e] {
					extra[expertKind(e)] += n - w[e]
				}
			}
			if !same {
				key := "order"
				for e, n := range w {
					if o[e] != n {
						key = expertKind(e)
					}
				}
				for e, n := range o {
					if w[e] != n {
						key = expertKind(e)
					}
				}
				if _, seen := example[key]; !seen {
					example[key] = base + " frame " + strconv.Itoa(i+1) + ": we give " + quoteShort(itemsString(ours[i])) + ", tshark " + quoteShort(itemsString(theirs))
				}
			}
		}
	}
	var kinds []string
	for k := range set {
		kinds = append(kinds, k)
	}
	for k := range extra {
		if _, ok := set[k]; !ok {
			kinds = append(kinds, k)
		}
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		msg := k + ": tshark " + itoa(set[k]) + ", agree " + itoa(agree[k]) + ", only ours " + itoa(extra[k])
		if agree[k] == set[k] && extra[k] == 0 {
			t.Log(msg)
			continue
		}
		t.Error(msg + "; first, " + example[k])
	}
	if ex, ok := example["order"]; ok {
		t.Error("the same items in another order; first, " + ex)
	}
	t.Logf("%d captures compared, %d of %d frames with expert items agree", compared, framesAgree, frames)
}

func itemsString(items []expertItem) string {
	var s []string
	for _, e := range items {
		s = append(s, e.message+" ("+severityOfWire(e.severity).String()+", "+ExpertGroup(e.group>>24).String()+")")
	}
	return strings.Join(s, "; ")
}

func severityOfWire(w uint32) Severity {
	for s := SeverityComment; s <= SeverityError; s++ {
		if s.Wire() == w {
			return s
		}
	}
	return 0
}

// TestPacketCommentsAsTsharkGivesThem: each comment of a packet (a
// wire.Comment in AncillaryData) is a frame.comment and an expert item of
// severity and group Comment, protocol Frame, whose message is the
// comment's bytes as they are; -T fields escapes only newline, carriage
// return and tab in it. The expected texts are tshark 4.0's for a file
// editcap -a gave the same comments.
func TestPacketCommentsAsTsharkGivesThem(t *testing.T) {
	pkts := readTestdata(t, "tcp4.pcap")
	p := pkts[0]
	comments := []string{"first", "a\nb\x01c\\d\re\x7ff\té"}
	p.ci.AncillaryData = []any{wire.Comment(comments[0]), 42, wire.Comment(comments[1])}
	var tr Tree
	tr.Dissect(p.data, p.ci, p.link, 1)
	var got []string
	tr.Experts(func(e Expert) bool {
		if e.Field != fFrameCommentExpert {
			return true // the packet's SYN
		}
		if e.Severity != SeverityComment || e.Group != GroupComment || e.Protocol != "Frame" {
			t.Errorf("comment item %+v, want severity and group Comment, protocol Frame", e)
		}
		got = append(got, string(tr.AppendSummary(nil, e)))
		return true
	})
	if strings.Join(got, "|") != strings.Join(comments, "|") {
		t.Errorf("expert messages %q, want %q", got, comments)
	}
	var out bytes.Buffer
	fp, err := NewFieldsPrinter(&out, Options{}, []string{"frame.comment", "frame.comment.expert"}, DefaultFieldsOptions())
	if err != nil {
		t.Fatal(err)
	}
	fp.Print(p.data, p.ci, p.link)
	p.ci.AncillaryData = nil
	fp.Print(p.data, p.ci, p.link)
	fp.Flush()
	if want := "first,a\\nb\x01c\\d\\re\x7ff\\té\t1,1\n\t\n"; out.String() != want {
		t.Errorf("-T fields printed %q, want %q", out.String(), want)
	}
}
