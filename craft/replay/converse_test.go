package replay

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/flow"
)

// httpPcap holds two conversations (testdata/README.md): GET /, GET
// /data.json and GET /nothere on one connection, POST /echo on another,
// all answered by testdata/httpserver.
var httpPcap = filepath.Join("..", "..", "testdata", "http.pcap")

func testdata(name string) string { return filepath.Join("..", "..", "testdata", name) }

// buildHTTPServer builds testdata/httpserver, the server http.pcap was
// recorded with, into a temporary directory.
func buildHTTPServer(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "httpserver")
	cmd := exec.Command("go", "build", "-o", bin, "./testdata/httpserver")
	cmd.Dir = filepath.Join("..", "..")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build testdata/httpserver: %v\n%s", err, out)
	}
	return bin
}

// startHTTPServer runs the server (prefix: a command that runs it, such
// as ip netns exec NS) in a mode, on listen, and returns the address it
// listens on. It is stopped when the test ends.
func startHTTPServer(t *testing.T, bin, mode, listen string, prefix ...string) string {
	t.Helper()
	args := append(slices.Clone(prefix), bin, "-mode", mode, "-listen", listen)
	cmd := exec.Command(args[0], args[1:]...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("httpserver did not start: %v: %s", err, stderr.String())
	}
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening ")
	if !ok {
		t.Fatalf("httpserver said %q", line)
	}
	return addr
}

func converse(t *testing.T, path string, sel Selector, opts ConverseOptions) *ConversationReport {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rep, err := Converse(ctx, path, sel, opts)
	if err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	t.Logf("report:\n%s", text.String())
	return rep
}

func verdicts(rep *ConversationReport) []Verdict {
	var v []Verdict
	for _, e := range rep.Exchanges {
		v = append(v, e.Verdict)
	}
	return v
}

func TestHTTPFlowsAreListed(t *testing.T) {
	flows, origin, err := ListFlows(httpPcap, Selector{})
	if err != nil {
		t.Fatal(err)
	}
	if len(flows) != 2 || flows[0].Server.String() != "10.99.0.2:46080" || flows[1].Client.Port() != 40081 {
		t.Fatalf("flows %+v", flows)
	}
	var out bytes.Buffer
	if err := WriteFlows(&out, flows, origin); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	if len(lines) != 3 || !strings.Contains(lines[1], "10.99.0.1:40080  ->  10.99.0.2:46080") || !strings.Contains(lines[2], "40081") {
		t.Errorf("table:\n%s", out.String())
	}
	// A filter numbers the conversations among the packets it accepts.
	flows, _, err = ListFlows(httpPcap, Selector{Filter: "tcp port 40081"})
	if err != nil {
		t.Fatal(err)
	}
	if len(flows) != 1 || flows[0].Index != 1 || flows[0].Client.Port() != 40081 {
		t.Errorf("filtered flows %+v", flows)
	}
	// So does a Match function: port 40081 is 9c 91.
	flows, _, err = ListFlows(httpPcap, Selector{Match: func(data []byte, ci gopacket.CaptureInfo) bool {
		return bytes.Contains(data, []byte{0x9c, 0x91})
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(flows) != 1 || flows[0].Client.Port() != 40081 || flows[0].Packets != [2]int{6, 4} {
		t.Errorf("matched flows %+v", flows)
	}
}

func TestHTTPReplayToTheSameServerMatches(t *testing.T) {
	bin := buildHTTPServer(t)
	addr := startHTTPServer(t, bin, "same", "127.0.0.1:0")
	rep := converse(t, httpPcap, Selector{Flow: 1}, ConverseOptions{To: addr})
	if !rep.Matched() || !slices.Equal(verdicts(rep), []Verdict{Same, Same, Same}) {
		t.Fatalf("verdicts %v", verdicts(rep))
	}
	// The page carries Last-Modified, every answer a Date: both left out.
	if !slices.Equal(rep.Exchanges[0].Ignored, []string{"Date", "Last-Modified"}) || !slices.Equal(rep.Exchanges[1].Ignored, []string{"Date"}) {
		t.Errorf("ignored %v and %v", rep.Exchanges[0].Ignored, rep.Exchanges[1].Ignored)
	}
	if rep.Sent != 3 || rep.Exchanges[1].After != `"GET /data.json HTTP/1.1"` {
		t.Errorf("sent %d, second answer after %s", rep.Sent, rep.Exchanges[1].After)
	}
	// The POST, on its own connection, chosen by a filter.
	rep = converse(t, httpPcap, Selector{Filter: "tcp port 40081"}, ConverseOptions{To: addr, TopSpeed: true})
	if !rep.Matched() || len(rep.Exchanges) != 1 || !bytes.HasSuffix(rep.Exchanges[0].Live, []byte("\r\n\r\nhello from sockscope")) {
		t.Errorf("POST: verdicts %v, live %q", verdicts(rep), rep.Exchanges[0].Live)
	}
}

func TestHTTPReplayExactSeesTheDate(t *testing.T) {
	addr := startHTTPServer(t, buildHTTPServer(t), "same", "127.0.0.1:0")
	rep := converse(t, httpPcap, Selector{Flow: 1}, ConverseOptions{To: addr, Exact: true, TopSpeed: true})
	if rep.Matched() || rep.Exchanges[1].Verdict != Differs || !strings.Contains(rep.Exchanges[1].Diff, "first difference at byte") {
		t.Errorf("exact: %v %q", verdicts(rep), rep.Exchanges[1].Diff)
	}
}

func TestHTTPReplayToAnotherServerDiffers(t *testing.T) {
	addr := startHTTPServer(t, buildHTTPServer(t), "differ", "127.0.0.1:0")
	rep := converse(t, httpPcap, Selector{Flow: 1}, ConverseOptions{To: addr})
	if rep.Matched() || !slices.Equal(verdicts(rep), []Verdict{Differs, Differs, Same}) {
		t.Fatalf("verdicts %v", verdicts(rep))
	}
	if d := rep.Exchanges[0].Diff; !strings.Contains(d, "body: recorded 147 bytes, live 35") || !strings.Contains(d, "header Content-Length") {
		t.Errorf("page diff:\n%s", d)
	}
	if d := rep.Exchanges[1].Diff; !strings.Contains(d, `status: recorded "HTTP/1.1 200 OK", live "HTTP/1.1 503 Service Unavailable"`) {
		t.Errorf("data.json diff:\n%s", d)
	}
	var text bytes.Buffer
	rep.WriteText(&text)
	last := strings.TrimSpace(text.String())
	last = last[strings.LastIndexByte(last, '\n')+1:]
	if !strings.HasPrefix(last, "DIFFERS: 3 answers: 1 same, 2 differs") {
		t.Errorf("summary line %q", last)
	}
}

func TestHTTPReplayToAServerThatClosesEarlyMisses(t *testing.T) {
	addr := startHTTPServer(t, buildHTTPServer(t), "closeearly", "127.0.0.1:0")
	rep := converse(t, httpPcap, Selector{Flow: 1}, ConverseOptions{To: addr})
	if !slices.Equal(verdicts(rep), []Verdict{Same, Missing, Missing}) || !rep.Closed {
		t.Fatalf("verdicts %v closed %v", verdicts(rep), rep.Closed)
	}
	if d := rep.Exchanges[1].Diff; d != "the server closed the connection" {
		t.Errorf("missing because %q", d)
	}
}

// serveOnce listens on a loopback port until the test ends, and serves the
// first connection with serve, closing it after.
func serveOnce(t *testing.T, serve func(c net.Conn)) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		serve(c)
	}()
	return ln
}

// answerDNS answers each query read on pc with the answer book's, under
// the query's ID (with spoil, its last byte changed), until pc is closed.
func answerDNS(pc net.PacketConn, book map[string][]byte, spoil bool) {
	buf := make([]byte, 65536)
	for {
		n, from, err := pc.ReadFrom(buf)
		if err != nil {
			return
		}
		answer := bytes.Clone(book[string(buf[2:n])])
		if answer == nil {
			continue
		}
		copy(answer, buf[:2]) // the query's ID
		if spoil {
			answer[len(answer)-1] ^= 0xff
		}
		pc.WriteTo(answer, from)
	}
}

func TestConverseErrorsSayWhatToDo(t *testing.T) {
	// A port nothing listens on: take one and close it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = Converse(context.Background(), httpPcap, Selector{}, ConverseOptions{To: addr})
	if err == nil || err.Error() != "replay: connect "+addr+": connection refused; is the server running?" || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("refused: %v", err)
	}
	_, err = Converse(context.Background(), httpPcap, Selector{Flow: 3}, ConverseOptions{To: addr})
	if err == nil || !strings.Contains(err.Error(), "has 2 conversations, so no flow 3 (--flows lists them)") {
		t.Errorf("flow 3: %v", err)
	}
	_, err = Converse(context.Background(), testdata("arp-icmp.pcap"), Selector{Filter: "icmp"}, ConverseOptions{To: addr})
	if err == nil || !strings.Contains(err.Error(), "holds no TCP or UDP conversation that the filter accepts") {
		t.Errorf("no conversation: %v", err)
	}
	_, err = Converse(context.Background(), httpPcap, Selector{}, ConverseOptions{})
	if err == nil || !strings.Contains(err.Error(), "--to HOST:PORT") {
		t.Errorf("no server: %v", err)
	}
}

// recordedDNS returns the messages of the conversations of dns.pcap with
// the given protocol: the queries and answers dnsmasq gave.
func recordedDNS(t *testing.T, proto flow.Proto) (map[int]flow.Conversation, map[int][]flow.Message) {
	t.Helper()
	t2, _, err := readFlows(testdata("dns.pcap"), Selector{}, flow.All)
	if err != nil {
		t.Fatal(err)
	}
	convs, msgs := map[int]flow.Conversation{}, map[int][]flow.Message{}
	for _, c := range t2.Conversations() {
		if c.Proto == proto {
			convs[c.Index] = c
			msgs[c.Index], _ = t2.Messages(c.Index)
		}
	}
	return convs, msgs
}

// answerBook maps a DNS query, without its 2-byte ID, to the recorded
// answer.
func answerBook(msgs map[int][]flow.Message, lengthPrefix bool) map[string][]byte {
	book := map[string][]byte{}
	off := 0
	if lengthPrefix {
		off = 2
	}
	for _, ms := range msgs {
		for i := 0; i+1 < len(ms); i += 2 {
			if ms[i].Dir == flow.FromClient && ms[i+1].Dir == flow.FromServer && len(ms[i].Data) > off+2 {
				book[string(ms[i].Data[off+2:])] = ms[i+1].Data
			}
		}
	}
	return book
}

// A UDP conversation of dns.pcap against a tiny server that answers each
// query as dnsmasq did (or, with spoil, changes the answer's last byte).
func TestDNSOverUDPReplay(t *testing.T) {
	convs, msgs := recordedDNS(t, flow.UDP)
	book := answerBook(msgs, false)
	for _, spoil := range []bool{false, true} {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go answerDNS(pc, book, spoil)
		for _, n := range []int{1, 2} {
			c := convs[n]
			rep, err := ConverseMessages(context.Background(), c, msgs[n], ConverseOptions{To: pc.LocalAddr().String()})
			if err != nil {
				t.Fatal(err)
			}
			var text bytes.Buffer
			rep.WriteText(&text)
			t.Logf("spoil %v:\n%s", spoil, text.String())
			want := Same
			if spoil {
				want = Differs
			}
			if !slices.Equal(verdicts(rep), []Verdict{want}) || rep.Sent != 1 {
				t.Errorf("flow %d spoil %v: verdicts %v, sent %d", n, spoil, verdicts(rep), rep.Sent)
			}
		}
		pc.Close()
	}
}

// The same over TCP: DNS messages with their 2-byte length, compared byte
// for byte (they are not HTTP).
func TestDNSOverTCPReplay(t *testing.T) {
	convs, msgs := recordedDNS(t, flow.TCP)
	book := answerBook(msgs, true)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				for {
					var n uint16
					if err := binary.Read(c, binary.BigEndian, &n); err != nil {
						return
					}
					q := make([]byte, n)
					if _, err := io.ReadFull(c, q); err != nil {
						return
					}
					answer := bytes.Clone(book[string(q[2:])])
					if answer == nil {
						return
					}
					copy(answer[2:], q[:2])
					c.Write(answer)
				}
			}()
		}
	}()
	for n, c := range convs {
		rep, err := ConverseMessages(context.Background(), c, msgs[n], ConverseOptions{To: ln.Addr().String(), TopSpeed: true})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Matched() || len(rep.Exchanges) != 1 {
			var text bytes.Buffer
			rep.WriteText(&text)
			t.Errorf("flow %d: %v\n%s", n, verdicts(rep), text.String())
		}
	}
}

func TestBytesDiffPointsAtTheFirstDifference(t *testing.T) {
	for _, c := range []struct{ rec, live, want string }{
		{"hello", "hello", ""},
		{"hello world", "hello there", `recorded 11 bytes, live 11; first difference at byte 6: recorded "hello world", live "hello there"`},
		{"abc", "ab", `recorded 3 bytes, live 2; first difference at byte 2: recorded "abc", live "ab"`},
		{strings.Repeat("x", 40) + "A" + strings.Repeat("y", 40), strings.Repeat("x", 40) + "B",
			`recorded 81 bytes, live 41; first difference at byte 40: recorded ..."xxxxxxxxAyyyyyyyyyyyyyyy"..., live ..."xxxxxxxxB"`},
	} {
		if got := bytesDiff([]byte(c.rec), []byte(c.live)); got != c.want {
			t.Errorf("bytesDiff(%q, %q) = %s, want %s", c.rec, c.live, got, c.want)
		}
	}
}

// The nc sessions of tcp4.pcap, replayed to servers that send a file
// back: the first reads the client's data to the end before it answers,
// so it answers only because the replay closes its side after its last
// message, as nc -N did; the second answers at once, as nc -l did.
func TestNcSessionReplayClosesItsSideAsRecorded(t *testing.T) {
	var s5k, c3k bytes.Buffer
	for i := 1000; i <= 1999; i++ {
		fmt.Fprintln(&s5k, i)
	}
	for i := 1; i <= 800; i++ {
		fmt.Fprintln(&c3k, i)
	}
	for _, session := range []struct {
		flow      int
		answer    []byte
		readFirst bool
	}{{1, s5k.Bytes(), true}, {5, c3k.Bytes(), false}} { // 3092 bytes up, 5000 down; 65536 up, 3092 down
		got := make(chan int64, 1)
		ln := serveOnce(t, func(c net.Conn) {
			var n int64
			if session.readFirst {
				n, _ = io.Copy(io.Discard, c)
			}
			c.Write(session.answer)
			c.(*net.TCPConn).CloseWrite() // as nc -N does at the end of its file
			if !session.readFirst {
				n, _ = io.Copy(io.Discard, c)
			}
			got <- n
		})
		flowN := session.flow
		rep := converse(t, testdata("tcp4.pcap"), Selector{Flow: flowN}, ConverseOptions{To: ln.Addr().String(), TopSpeed: true})
		if !rep.Matched() || len(rep.Exchanges) != 1 {
			t.Errorf("flow %d: verdicts %v", flowN, verdicts(rep))
		}
		if n := <-got; n != rep.SentBytes || (flowN == 1 && n != 3092) || (flowN == 5 && n != 65536) {
			t.Errorf("flow %d: the server read %d bytes, the replay sent %d", flowN, n, rep.SentBytes)
		}
	}
}

// FuzzCompareAnswers: recorded and live answers are strangers' bytes (a
// capture file, a server): comparing them never panics, and an answer is
// always the same as itself.
func FuzzCompareAnswers(f *testing.F) {
	table, _, err := readFlows(httpPcap, Selector{}, flow.All)
	if err != nil {
		f.Fatal(err)
	}
	for _, c := range table.Conversations() {
		msgs, _ := table.Messages(c.Index)
		for i := 0; i+1 < len(msgs); i += 2 {
			f.Add(msgs[i+1].Data, msgs[i+1].Data, msgs[i].Data)
		}
	}
	f.Add([]byte("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"), []byte("HTTP/1.1 200 OK\r\n\r\nclose-delimited"), []byte("HEAD / HTTP/1.1\r\n\r\n"))
	f.Fuzz(func(t *testing.T, recorded, live, request []byte) {
		methods := requestMethods(request)
		diffs, _, ok := compareHTTP(recorded, recorded, methods, VolatileHeaders)
		if ok && len(diffs) > 0 {
			t.Fatalf("an answer differs from itself: %q", diffs)
		}
		compareHTTP(recorded, live, methods, VolatileHeaders)
		for want := range 3 {
			if n, ok := httpEnd(live, methods, want); ok && (n < 0 || n > len(live)) {
				t.Fatalf("httpEnd = %d of %d bytes", n, len(live))
			}
		}
		if bytesDiff(recorded, live) == "" != bytes.Equal(recorded, live) {
			t.Fatal("bytesDiff and bytes.Equal disagree")
		}
		describe(request)
	})
}

func TestReportNotesWhatTheCaptureLacks(t *testing.T) {
	ln := serveOnce(t, func(c net.Conn) {
		io.Copy(c, c) // an echo server
	})
	conv := flow.Conversation{Index: 1, Proto: flow.TCP, Lost: [2]int64{3, 0}}
	msgs := []flow.Message{{Dir: flow.FromClient, Data: []byte("abc\x00\x00\x00")}, {Dir: flow.FromServer, Data: []byte("abc\x00\x00\x00")}}
	rep, err := ConverseMessages(context.Background(), conv, msgs, ConverseOptions{To: ln.Addr().String()})
	if err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	rep.WriteText(&text)
	if !rep.Matched() || len(rep.Notes) != 2 || !strings.Contains(text.String(), "note: the capture lacks 3 bytes of the client's data: zeros were sent in their place\n") {
		t.Errorf("notes %q, report:\n%s", rep.Notes, text.String())
	}
}

// A server that speaks first (an SMTP-like greeting), answers, then says
// more than was recorded: the greeting is an answer before the client
// spoke, the rest an extra answer.
func TestGreetingAndExtraAnswer(t *testing.T) {
	ln := serveOnce(t, func(c net.Conn) {
		io.WriteString(c, "220 hello\r\n")
		line, _ := bufio.NewReader(c).ReadString('\n')
		if line == "QUIT\r\n" {
			io.WriteString(c, "221 bye\r\n")
			time.Sleep(20 * time.Millisecond)
			io.WriteString(c, "oops\r\n")
		}
	})
	conv := flow.Conversation{Index: 1, Proto: flow.TCP, Handshake: true}
	msgs := []flow.Message{
		{Dir: flow.FromServer, Data: []byte("220 hello\r\n")},
		{Dir: flow.FromClient, Offset: time.Millisecond, Data: []byte("QUIT\r\n")},
		{Dir: flow.FromServer, Offset: 2 * time.Millisecond, Data: []byte("221 bye\r\n")},
	}
	rep, err := ConverseMessages(context.Background(), conv, msgs, ConverseOptions{To: ln.Addr().String()})
	if err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	rep.WriteText(&text)
	want := []string{
		"answer 1, before the client spoke: same",
		`answer 2 to "QUIT": same`,
		`extra answer after the last message: not recorded: 6 bytes "oops\r\n"`,
		"DIFFERS: 2 answers: 2 same, 1 extra; sent 1 message (6 bytes) in ",
	}
	for _, w := range want {
		if !strings.Contains(text.String(), w) {
			t.Errorf("report lacks %q:\n%s", w, text.String())
		}
	}
	if !slices.Equal(verdicts(rep), []Verdict{Same, Same, Extra}) || rep.Matched() {
		t.Errorf("verdicts %v", verdicts(rep))
	}
}

func TestServerThatNeverStopsSendingEndsTheReplay(t *testing.T) {
	stop := make(chan struct{})
	defer close(stop)
	ln := serveOnce(t, func(c net.Conn) {
		bufio.NewReader(c).ReadString('\n')
		chunk := bytes.Repeat([]byte("x"), 4096)
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := c.Write(chunk); err != nil {
				return
			}
		}
	})
	conv := flow.Conversation{Index: 1, Proto: flow.TCP, Handshake: true}
	msgs := []flow.Message{
		{Dir: flow.FromClient, Data: []byte("GET\r\n")},
		{Dir: flow.FromServer, Offset: time.Millisecond, Data: []byte("a short answer\r\n")},
	}
	start := time.Now()
	rep, err := ConverseMessages(context.Background(), conv, msgs, ConverseOptions{To: ln.Addr().String(), Timeout: 500 * time.Millisecond})
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if took > 5*time.Second || rep.Matched() || len(rep.Exchanges) == 0 || len(rep.Exchanges[0].Live) > len(msgs[1].Data)+maxAnswerExcess+len(make([]byte, 1<<16)) {
		t.Errorf("a server streaming without end: replay took %v, matched %v, %d exchanges; want it ended within the timeout and a bounded answer", took, rep.Matched(), len(rep.Exchanges))
	}
}
