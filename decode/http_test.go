package decode

// Tests of HTTP (http.go) and its reassembly over TCP (tcpreasm.go): the
// corpus' HTTP captures against tshark, and hand-made conversations.

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// httpCorpus are the corpus captures where tshark -Y http selects packets
// but the two of ARCNET links, which sockscope does not read, and
// ipv4_tcp_http_xml_tso.pcap, whose IPv4 total length is 0 (a segment
// captured before TCP segmentation offload split it), which tshark reads
// as the frame's length and sockscope's IPv4 does not yet.
var httpCorpus = []string{"accecn_handshake.pcap", "ipv4_tcp_http_xml.pcap", "print-flags.pcap"}

// TestHTTPFieldsAsTsharkOnCorpus prints every HTTP, media and TCP
// reassembly field of the corpus' HTTP captures as tshark does at its
// defaults.
func TestHTTPFieldsAsTsharkOnCorpus(t *testing.T) {
	needTshark(t)
	dir := filepath.Join("..", "..", "shared", "corpus", "tcpdump")
	if !fileExists(dir) {
		t.Skip("no corpus at " + dir)
	}
	names := []string{"frame.protocols", "tcp.payload", "data", "data.data", "data.len"}
	for _, n := range FieldNames() {
		for _, p := range []string{"http", "tcp.segment", "tcp.reassembled", "data-text-lines", "json", "xml", "urlencoded-form"} {
			if n == p || strings.HasPrefix(n, p+".") || strings.HasPrefix(n, p+"_") {
				names = append(names, n)
			}
		}
	}
	values := 0
	for _, name := range httpCorpus {
		file := filepath.Join(dir, name)
		ours := strings.Split(fieldsOutputWith(t, file, names, DefaultFieldsOptions(), Options{Location: time.Local, Reassemble: true}), "\n")
		theirs := strings.Split(tsharkFieldsWith(t, file, nil, names), "\n")
		if len(ours) != len(theirs) {
			t.Errorf("%s: %d lines, tshark %d", name, len(ours), len(theirs))
			continue
		}
		for i := range theirs {
			o, w := strings.Split(ours[i], "\t"), strings.Split(theirs[i], "\t")
			for k := range names {
				if k >= len(o) || k >= len(w) {
					break
				}
				if w[k] != "" {
					values++
				}
				if o[k] != w[k] {
					t.Errorf("%s packet %d: %s: we print %s, tshark %s", name, i+1, names[k], quoteShort(o[k]), quoteShort(w[k]))
				}
			}
		}
	}
	t.Logf("%d fields x %d captures: %d values compared", len(names), len(httpCorpus), values)
}

// httpTalk builds a TCP conversation from 10.0.0.1:40000 to 10.0.0.2:40080
// (not an HTTP port: tshark finds HTTP by its heuristic): the handshake,
// then each segment, one millisecond apart.
type httpTalk struct {
	cseq, sseq uint32
	pkts       []testPacket
}

func newHTTPTalk() *httpTalk {
	h := &httpTalk{cseq: 1000, sseq: 5000}
	h.add(true, wireTCPSyn, h.cseq, 0, "")
	h.add(false, wireTCPSyn|wireTCPAck, h.sseq, h.cseq+1, "")
	h.cseq++
	h.sseq++
	h.add(true, wireTCPAck, h.cseq, h.sseq, "")
	return h
}

func (h *httpTalk) add(client bool, flags uint8, seq, ack uint32, data string) {
	src, dst, sp, dp := "10.0.0.1", "10.0.0.2", uint16(40000), uint16(40080)
	if !client {
		src, dst, sp, dp = dst, src, dp, sp
	}
	seg := tcpSegment(sp, dp, seq, ack, flags, 65535, nil, []byte(data))
	f := etherFrame(testEtherIPv4, ip4Hdr{src: src, dst: dst, proto: wireProtoTCP, ttl: 64, id: 1}.packet(seg))
	ts := time.Unix(1700000000, int64(len(h.pkts)+1)*int64(time.Millisecond))
	h.pkts = append(h.pkts, testPacket{data: f, ci: gopacket.CaptureInfo{Timestamp: ts, Length: len(f), CaptureLength: len(f)}, link: wire.LinkEthernet})
}

// send sends data from the client (or the server) after what it sent.
func (h *httpTalk) send(client bool, data string) {
	if client {
		h.add(true, wireTCPPsh|wireTCPAck, h.cseq, h.sseq, data)
		h.cseq += uint32(len(data))
	} else {
		h.add(false, wireTCPPsh|wireTCPAck, h.sseq, h.cseq, data)
		h.sseq += uint32(len(data))
	}
}

// resend sends the server's last segment again.
func (h *httpTalk) resend(data string) {
	h.add(false, wireTCPPsh|wireTCPAck, h.sseq-uint32(len(data)), h.cseq, data)
}

// httpTalkFields are the fields the hand-made conversations are checked on.
var httpTalkFields = []string{"frame.number", "frame.protocols", "tcp.segment_data", "tcp.segment", "tcp.reassembled.length",
	"http.request.method", "http.request.uri", "http.response.code", "http.request_in", "http.request_number",
	"http.response_number", "http.prev_request_in", "http.prev_response_in", "http.file_data", "http.chunk_size",
	"http.request.full_uri", "http.response_for.uri", "http.request.line", "http.time", "data.data", "data-text-lines", "json"}

// httpTalkCases are the hand-made conversations: each a story of segments.
func httpTalkCases() map[string]*httpTalk {
	cases := map[string]*httpTalk{}
	h := newHTTPTalk() // a request whole in one segment, and its response
	h.send(true, "GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: t\r\n\r\n")
	h.send(false, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\nhello\n")
	cases["one segment"] = h
	h = newHTTPTalk()
	h.send(true, "GET /a?x=1&y=2 HTTP/1.1\r\nHost: ex")
	h.send(true, "ample.com\r\nFoo: bar\r\n\r\n")
	cases["headers split"] = h
	h = newHTTPTalk()
	h.send(true, "GET /j HTTP/1.1\r\nHost: example.com\r\n\r\n")
	h.send(false, "HTTP/1.1 200 OK\r\nContent-Length: 13\r\nContent-Type: application/json\r\n\r\n{\"a\":")
	h.send(false, "1,")
	h.resend("1,")
	h.send(false, "\"b\":2}")
	cases["content-length body, a segment repeated"] = h
	h = newHTTPTalk()
	h.send(true, "GET /c HTTP/1.1\r\nHost: example.com\r\n\r\n")
	h.send(false, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n5\r\nhello\r\n")
	h.send(false, "6\r\n world\r\n0\r\n\r\n")
	cases["chunked"] = h
	h = newHTTPTalk()
	h.send(true, "GET /b HTTP/1.1\r\nHost: example.com\r\n\r\nGET /c HTTP/1.1\r\nHost: example.com\r\n\r\n")
	h.send(false, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nhiHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
	h.send(true, "HEAD /d HTTP/1.1\r\nHost: example.com\r\n\r\n")
	h.send(false, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n")
	h.send(true, "POST /e HTTP/1.1\r\nHost: example.com\r\nContent-Length: 3\r\n\r\nabcGET /f HTTP/1.1\r\nHo")
	h.send(true, "st: x\r\n\r\n")
	cases["pipelined"] = h
	return cases
}

// talkFields prints the fields of a conversation's packets.
func talkFields(t *testing.T, pkts []testPacket, opt Options) string {
	var out bytes.Buffer
	p, err := NewFieldsPrinter(&out, opt, httpTalkFields, DefaultFieldsOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, pk := range pkts {
		if err := p.Print(pk.data, pk.ci, pk.link); err != nil {
			t.Fatal(err)
		}
	}
	p.Flush()
	return out.String()
}

// TestHTTPTalkAsTshark prints the hand-made conversations with and without
// reassembly as tshark does at its defaults and with
// tcp.desegment_tcp_streams FALSE.
func TestHTTPTalkAsTshark(t *testing.T) {
	needTshark(t)
	for name, h := range httpTalkCases() {
		file := filepath.Join(t.TempDir(), "talk.pcap")
		writeTestPcap(t, file, wire.LinkEthernet, h.pkts)
		// Without reassembly tshark shows a continuation (a segment that
		// starts inside a message) in ways not yet followed: with or
		// without http.file_data, data, or nothing after a repeated
		// segment; only the reassembled view is compared.
		for _, reasm := range []bool{true} {
			got := talkFields(t, h.pkts, Options{Location: time.UTC, Reassemble: reasm})
			var opts []string
			if !reasm {
				opts = []string{"-o", "tcp.desegment_tcp_streams:FALSE"}
			}
			args := append([]string{"-n", "-r", file, "-T", "fields"}, opts...)
			for _, n := range httpTalkFields {
				args = append(args, "-e", n)
			}
			out, err := exec.Command("tshark", args...).Output()
			if err != nil {
				t.Fatal(err)
			}
			if got != string(out) {
				t.Errorf("%s (reassemble %v):\n ours:\n%s\n tshark:\n%s", name, reasm, got, out)
			}
		}
	}
}

// TestHTTPReassembles checks, without tshark, what the conversations'
// segments show: the partial ones TCP alone, the last the whole message.
func TestHTTPReassembles(t *testing.T) {
	cases := httpTalkCases()
	lines := func(name string) []string {
		return strings.Split(talkFields(t, cases[name].pkts, Options{Location: time.UTC, Reassemble: true}), "\n")
	}
	for _, tc := range []struct {
		name string
		line int
		want []string
	}{
		{"one segment", 4, []string{"eth:ethertype:ip:tcp:http", "GET", "/", "http://example.com/"}},
		{"one segment", 5, []string{"eth:ethertype:ip:tcp:http:data-text-lines", "200", "hello\\n", "Line-based text data: text/plain (1 lines)"}},
		{"headers split", 4, []string{"eth:ethertype:ip:tcp", "474554202f613f783d3126793d3220485454502f312e310d0a486f73743a206578"}},
		{"headers split", 5, []string{"eth:ethertype:ip:tcp:http", "4,5", "56", "GET", "/a?x=1&y=2", "Host: example.com\\r\\n,Foo: bar\\r\\n"}},
		{"content-length body, a segment repeated", 5, []string{"eth:ethertype:ip:tcp"}},
		{"content-length body, a segment repeated", 7, []string{"eth:ethertype:ip:tcp", "312c"}},
		{"content-length body, a segment repeated", 8, []string{"eth:ethertype:ip:tcp:http:json", "5,6,8", `{"a":1,"b":2}`}},
		{"chunked", 6, []string{"eth:ethertype:ip:tcp:http:data-text-lines", "5,6", "hello world", "5,6,0"}},
		{"pipelined", 4, []string{"eth:ethertype:ip:tcp:http", "GET,GET", "/b,/c", "1,2"}},
		{"pipelined", 5, []string{"eth:ethertype:ip:tcp:http:data-text-lines", "200,404", "4", "2,3"}},
		{"pipelined", 8, []string{"POST", "abc", "eth:ethertype:ip:tcp:http:data", "474554202f6620485454502f312e310d0a486f"}},
		{"pipelined", 9, []string{"8,9", "28", "GET", "/f", "http://x/f"}},
	} {
		l := lines(tc.name)[tc.line-1]
		cols := strings.Split(l, "\t")
		for _, w := range tc.want {
			if !slices.Contains(cols, w) {
				t.Errorf("%s, packet %d: no %q in %q", tc.name, tc.line, w, l)
			}
		}
	}
}

// TestHTTPSameFrameTwice dissects every packet with one tree, and each
// again with a second tree sharing its state, as -Y's filter and printer
// do: the second tree gives the same fields, and the first, dissecting
// on, is not disturbed.
func TestHTTPSameFrameTwice(t *testing.T) {
	for name, h := range httpTalkCases() {
		want := strings.Split(talkFields(t, h.pkts, Options{Location: time.UTC, Reassemble: true}), "\n")
		var a, b Tree
		a.Reassemble, b.Reassemble = true, true
		b.ShareState(&a)
		for i, pk := range h.pkts {
			a.Dissect(pk.data, pk.ci, pk.link, i+1)
			first := treeFields(&a)
			b.Dissect(pk.data, pk.ci, pk.link, i+1)
			if second := treeFields(&b); second != first {
				t.Errorf("%s packet %d: again %q, first %q", name, i+1, second, first)
			}
			if !strings.Contains(want[i], "http") && strings.Contains(first, "http") {
				t.Errorf("%s packet %d: %q, printed alone %q", name, i+1, first, want[i])
			}
		}
	}
}

// treeFields names a tree's nodes with their values, to compare two trees.
func treeFields(t *Tree) string {
	var s strings.Builder
	for i, n := range t.Nodes {
		s.WriteString(registry[n.Field].Name)
		s.WriteByte('=')
		s.WriteString(strconv.FormatUint(n.Val, 10))
		s.Write(t.Bytes(i))
		s.WriteByte(' ')
	}
	return s.String()
}
