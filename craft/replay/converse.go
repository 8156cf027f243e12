package replay

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/sockscope/sockscope/decode/flow"
)

// Defaults of ConverseOptions.
const (
	DefaultAnswerTimeout = 3 * time.Second
	DefaultQuiet         = 150 * time.Millisecond
)

// ConverseOptions says how Converse replays a conversation. Only To is
// required.
type ConverseOptions struct {
	// To is the live server, HOST:PORT.
	To string
	// TopSpeed sends each client message as soon as the answer before it
	// is in, instead of keeping the recorded gaps.
	TopSpeed bool
	// Exact compares answers byte for byte. Otherwise HTTP answers are
	// compared as HTTP: status line, headers but VolatileHeaders and
	// IgnoreHeaders, and body (Exchange.Ignored names the headers left
	// out); other answers byte for byte in any case.
	Exact bool
	// IgnoreHeaders are more HTTP headers to leave out of the comparison.
	IgnoreHeaders []string
	// Timeout is how long Converse waits for an answer that is not all
	// there (DefaultAnswerTimeout if 0); it also bounds connecting and
	// each send.
	Timeout time.Duration
	// Quiet is how long the line must stay quiet, once an answer as long
	// as the recorded one has come (and it is not a whole HTTP response),
	// before the answer counts as complete (DefaultQuiet if 0).
	Quiet time.Duration
}

// Verdict is how a live answer compares with the recorded one.
type Verdict string

// The verdicts of an Exchange.
const (
	Same    Verdict = "same"    // the live answer is the recorded one (as compared)
	Differs Verdict = "differs" // it came, and is not
	Missing Verdict = "missing" // nothing came: the server closed, or kept silent past Timeout
	Extra   Verdict = "extra"   // the server said more than was recorded
)

// Exchange is one recorded answer of the server and what the live server
// answered in its place.
type Exchange struct {
	Index int // 1-based, in the recorded order; extra answers come last
	// After is what the client had sent just before: an HTTP request
	// line, a line of text, or a byte count; empty when the server spoke
	// first (a greeting).
	After    string
	Recorded []byte // nil for an extra answer
	Live     []byte // nil when missing
	Verdict  Verdict
	// Diff says what differs, one line per difference; for a missing
	// answer, why nothing came.
	Diff string
	// Ignored names the HTTP headers in the answers that were not
	// compared.
	Ignored []string
}

// ConversationReport is what Converse found.
type ConversationReport struct {
	Flow  flow.Conversation // the recorded conversation
	Flows int               // how many conversations the file (or the filter's selection) holds
	To    string
	Exact bool
	// Recorded is the number of messages in the recorded conversation,
	// both ways.
	Recorded int
	Sent     int // client messages sent (TCP: writes, UDP: datagrams)
	// SentBytes is the payload of those messages.
	SentBytes int64
	Exchanges []Exchange
	Elapsed   time.Duration
	// Closed says the server closed or reset the connection before its
	// last recorded answer (some are missing), or took no more data, or
	// (UDP) that its host answered port unreachable.
	Closed bool
	// Notes are things the reader of the report should know about the
	// recording, one line each: data the capture lacks, a guessed client.
	Notes []string
	// Interrupted says the context ended before the conversation did:
	// the exchanges are those compared until then.
	Interrupted bool
}

// Matched reports whether every live answer was the recorded one: no
// answer differs, is missing, or is extra, and the replay was not
// interrupted.
func (r *ConversationReport) Matched() bool {
	if r.Interrupted {
		return false
	}
	for _, e := range r.Exchanges {
		if e.Verdict != Same {
			return false
		}
	}
	return true
}

// Counts returns how many exchanges have each verdict.
func (r *ConversationReport) Counts() map[Verdict]int {
	n := map[Verdict]int{}
	for _, e := range r.Exchanges {
		n[e.Verdict]++
	}
	return n
}

// Converse replays one recorded conversation of the capture at path ("-"
// for standard input) to a live server: it opens a stream (TCP) or
// datagram (UDP) socket to opts.To, sends the client's messages in order,
// reads the server's answers, and compares each with the recorded one.
// The report comes back whether the answers match or not (see Matched); an
// error means the replay could not be made: an unreadable file, no such
// conversation, no server to connect to, or ctx ended (then with the
// report so far).
func Converse(ctx context.Context, path string, sel Selector, opts ConverseOptions) (*ConversationReport, error) {
	if opts.To == "" {
		return nil, errors.New("replay: no server given: name the live server with --to HOST:PORT")
	}
	if sel.Flow < 0 {
		return nil, &FlowError{fmt.Sprintf("replay: flow %d: conversations are numbered from 1 (--flows lists them)", sel.Flow)}
	}
	n := max(sel.Flow, 1)
	t, _, err := readFlows(path, sel, n)
	if err != nil {
		return nil, err
	}
	convs := t.Conversations()
	if len(convs) == 0 {
		what := ""
		if sel.Filter != "" || sel.Match != nil {
			what = " that the filter accepts"
		}
		return nil, &FlowError{fmt.Sprintf("replay: %s holds no TCP or UDP conversation%s", path, what)}
	}
	if n > len(convs) {
		return nil, &FlowError{fmt.Sprintf("replay: %s has %s, so no flow %d (--flows lists them)", path, plural(len(convs), "conversation"), n)}
	}
	msgs, _ := t.Messages(n)
	rep, err := ConverseMessages(ctx, convs[n-1], msgs, opts)
	if rep != nil {
		rep.Flows = len(convs)
	}
	return rep, err
}

// FlowError says that the conversation asked for is not in the file: a
// usage error rather than a failed replay.
type FlowError struct{ msg string }

// Error returns the message, one line.
func (e *FlowError) Error() string { return e.msg }

// ConverseMessages is Converse for a conversation already read: conv and
// its messages, as a flow.Table gives them.
func ConverseMessages(ctx context.Context, conv flow.Conversation, msgs []flow.Message, opts ConverseOptions) (*ConversationReport, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultAnswerTimeout
	}
	if opts.Quiet <= 0 {
		opts.Quiet = DefaultQuiet
	}
	rep := &ConversationReport{Flow: conv, Flows: 1, To: opts.To, Exact: opts.Exact, Recorded: len(msgs)}
	if n := conv.Lost[flow.FromClient]; n > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("the capture lacks %s of the client's data: zeros were sent in their place", plural(int(n), "byte")))
	}
	if n := conv.Lost[flow.FromServer]; n > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("the capture lacks %s of the server's answers: zeros stand in their place, so those answers differ", plural(int(n), "byte")))
	}
	if conv.Proto == flow.TCP && !conv.Handshake {
		rep.Notes = append(rep.Notes, "the capture has no SYN for this connection: the client is the side that sent first")
	}
	network := "tcp"
	if conv.Proto == flow.UDP {
		network = "udp"
	}
	start := time.Now()
	d := net.Dialer{Timeout: opts.Timeout}
	conn, err := d.DialContext(ctx, network, opts.To)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("replay: connect %s: %w; is the server running?", opts.To, plainError(err))
	}
	defer conn.Close()
	// Ending ctx wakes a read or write blocked on the socket.
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	s := &session{ctx: ctx, conn: conn, opts: opts, rep: rep, msgs: msgs, udp: conv.Proto == flow.UDP, closeAt: -1}
	if conv.Proto == flow.TCP && conv.Fin[flow.FromClient] {
		// The recorded client closed its side (shutdown, a FIN) after
		// its last message, before the server's later answers maybe:
		// some servers answer only then.
		last := -1
		for i, m := range msgs {
			if m.Dir == flow.FromClient {
				last = i
			}
		}
		s.closeAt = max(conv.FinAfter[flow.FromClient], last+1)
	}
	err = s.run()
	rep.Elapsed = time.Since(start)
	rep.Interrupted = ctx.Err() != nil
	return rep, err
}

// plainError takes the operation and addresses off a net error, which the
// message around it names already: "connection refused".
func plainError(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		var sys *os.SyscallError
		if errors.As(op.Err, &sys) {
			return sys.Err
		}
		return op.Err
	}
	return err
}

// session is one replay on one socket.
type session struct {
	ctx  context.Context
	conn net.Conn
	opts ConverseOptions
	rep  *ConversationReport
	msgs []flow.Message
	udp  bool

	carry   []byte // TCP: live bytes read past the answer they came with, for the next one
	closeAt int    // TCP: the client closes its side before msgs[closeAt] (at the end if len(msgs)); -1: never
	closed  bool   // no more answers: the server closed or reset, or (UDP) its port is unreachable
	broken  bool   // no more sending: a write failed
	why     string // why answers are missing once closed
	buf     []byte
	methods []string // HTTP methods of the requests sent since the last answer
}

func (s *session) run() error {
	s.buf = make([]byte, 1<<16)
	lastEvent, lastOffset := time.Now(), time.Duration(0)
	after := ""
	answers := 0
	for i, m := range s.msgs {
		if i == s.closeAt {
			s.closeWrite()
		}
		gap := m.Offset - lastOffset
		lastOffset = m.Offset
		if m.Dir == flow.FromClient {
			// The recorded gap, from the message before (sent, or the
			// answer's first byte) to this one.
			if !s.opts.TopSpeed && !s.broken {
				if err := waitUntil(s.ctx, lastEvent.Add(gap)); err != nil {
					return err
				}
			}
			if err := s.send(m.Data); err != nil {
				return err
			}
			after = describe(m.Data)
			lastEvent = time.Now()
			continue
		}
		answers++
		last := !slices.ContainsFunc(s.msgs[i+1:], func(m flow.Message) bool { return m.Dir == flow.FromServer })
		live, first, err := s.answer(m.Data, last)
		if err != nil {
			return err
		}
		e := s.judge(m.Data, live)
		e.Index, e.After = answers, after
		s.rep.Exchanges = append(s.rep.Exchanges, e)
		s.methods = nil
		lastEvent = first
		if first.IsZero() {
			lastEvent = time.Now()
		}
	}
	if s.closeAt >= len(s.msgs) {
		s.closeWrite()
	}
	return s.extra(answers)
}

// closeWrite ends the client's side of a TCP connection, as the recorded
// client did; the server may go on answering.
func (s *session) closeWrite() {
	if tc, ok := s.conn.(*net.TCPConn); ok && !s.broken {
		tc.CloseWrite()
	}
}

// send writes one client message, unless the server has gone.
func (s *session) send(b []byte) error {
	if s.broken {
		return nil
	}
	s.conn.SetWriteDeadline(time.Now().Add(s.opts.Timeout))
	_, err := s.conn.Write(b)
	if err != nil {
		if s.ctx.Err() != nil {
			return s.ctx.Err()
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return fmt.Errorf("replay: send to %s: the server took no data for %v; is it reading?", s.opts.To, s.opts.Timeout)
		}
		s.gone(err)
		return nil
	}
	s.rep.Sent++
	s.rep.SentBytes += int64(len(b))
	if !s.udp && !s.opts.Exact {
		s.methods = append(s.methods, requestMethods(b)...)
	}
	return nil
}

// maxAnswerExcess is how many bytes a live answer may run past the
// recorded one before Converse stops reading it: a server that streams
// without end must not hold a replay, or its memory, for ever.
const maxAnswerExcess = 1 << 20

// gone notes that the server will answer no more, and why. A TCP server
// that closed only its side (io.EOF) may still read: sending goes on
// until a write fails.
func (s *session) gone(err error) {
	s.closed = true
	if err != io.EOF {
		s.broken = true
	}
	switch {
	case err == io.EOF:
		s.why = "the server closed the connection"
	case errors.Is(err, syscall.ECONNRESET):
		s.why = "the server reset the connection"
	case errors.Is(err, syscall.ECONNREFUSED):
		s.why = "port unreachable: nothing listens on " + s.opts.To
	case errors.Is(err, syscall.EPIPE):
		s.why = "the server closed the connection"
	default:
		s.why = plainError(err).Error()
	}
}

// answer reads the live answer in the place of recorded: one datagram
// (UDP), or (TCP) bytes until a whole HTTP answer is in, or as many bytes
// as were recorded and then a quiet line, or the server closes, or
// Timeout. first is when its first byte came.
func (s *session) answer(recorded []byte, last bool) (live []byte, first time.Time, err error) {
	if s.closed {
		return nil, first, nil
	}
	deadline := time.Now().Add(s.opts.Timeout)
	if s.udp {
		s.conn.SetReadDeadline(deadline)
		if s.ctx.Err() != nil {
			return nil, first, s.ctx.Err()
		}
		n, err := s.conn.Read(s.buf)
		switch {
		case err == nil:
			return bytes.Clone(s.buf[:n]), time.Now(), nil
		case s.ctx.Err() != nil:
			return nil, first, s.ctx.Err()
		case errors.Is(err, os.ErrDeadlineExceeded):
			return nil, first, nil
		}
		s.gone(err)
		return nil, first, nil
	}
	wantHTTP := 0
	if isHTTPResponse(recorded) {
		rs, _, _ := readResponses(recorded, s.methods)
		wantHTTP = len(rs)
	}
	live, s.carry = s.carry, nil
	if len(live) > 0 {
		first = time.Now()
	}
	limit := len(recorded) + maxAnswerExcess
	for {
		if len(live) > limit || (!time.Now().Before(deadline) && len(live) >= len(recorded) && len(live) > 0) {
			// A server that never stops sending (a stream, a loop) ends
			// the answer here, and the conversation: what follows
			// cannot be told apart from this answer.
			s.closed = true
			s.why = fmt.Sprintf("the server kept sending past the recorded answer (%d bytes, %v)", len(live), s.opts.Timeout)
			return live, first, nil
		}
		if wantHTTP > 0 {
			if n, ok := httpEnd(live, s.methods, wantHTTP); ok {
				s.carry = bytes.Clone(live[n:])
				return live[:n], first, nil
			}
		}
		full := len(live) >= len(recorded) && len(live) > 0
		if full && !last && wantHTTP == 0 {
			// The rest is the next answer's beginning.
			s.carry = bytes.Clone(live[len(recorded):])
			return live[:len(recorded)], first, nil
		}
		dl := deadline
		if full {
			if dl = time.Now().Add(s.opts.Quiet); dl.After(deadline) {
				dl = deadline
			}
		}
		s.conn.SetReadDeadline(dl)
		if s.ctx.Err() != nil {
			return live, first, s.ctx.Err()
		}
		n, err := s.conn.Read(s.buf)
		if n > 0 {
			if first.IsZero() {
				first = time.Now()
			}
			live = append(live, s.buf[:n]...)
		}
		switch {
		case err == nil:
			continue
		case s.ctx.Err() != nil:
			return live, first, s.ctx.Err()
		case !errors.Is(err, os.ErrDeadlineExceeded):
			s.gone(err)
		}
		if wantHTTP == 0 && len(live) > len(recorded) && bytes.HasPrefix(live, recorded) {
			// The recorded answer, then more: the more is an extra answer.
			s.carry = bytes.Clone(live[len(recorded):])
			live = live[:len(recorded)]
		}
		return live, first, nil
	}
}

// extra reads what the server says after its last recorded answer, until
// it is quiet for Quiet (TCP: with what was read past that answer), for
// Timeout and maxAnswerExcess bytes at most.
func (s *session) extra(answers int) error {
	live := s.carry
	s.carry = nil
	end := time.Now().Add(s.opts.Timeout)
	extraUDP := 0 // bytes of extra datagrams, bounded as a stream's are
	for !s.closed && len(live)+extraUDP <= maxAnswerExcess && time.Now().Before(end) {
		s.conn.SetReadDeadline(time.Now().Add(s.opts.Quiet))
		if s.ctx.Err() != nil {
			// Ending ctx set a deadline in the past, which the line
			// above may have moved on.
			return s.ctx.Err()
		}
		n, err := s.conn.Read(s.buf)
		if n > 0 {
			if s.udp {
				extraUDP += n
				answers++
				s.rep.Exchanges = append(s.rep.Exchanges, Exchange{Index: answers, After: "the last message",
					Live: bytes.Clone(s.buf[:n]), Verdict: Extra, Diff: "not recorded: " + quote(s.buf[:n], 0)})
			} else {
				live = append(live, s.buf[:n]...)
			}
		}
		if err != nil {
			if s.ctx.Err() != nil {
				return s.ctx.Err()
			}
			if !errors.Is(err, os.ErrDeadlineExceeded) {
				s.gone(err)
			}
			break
		}
	}
	if len(live) > 0 {
		answers++
		s.rep.Exchanges = append(s.rep.Exchanges, Exchange{Index: answers, After: "the last message",
			Live: live, Verdict: Extra, Diff: fmt.Sprintf("not recorded: %d bytes %s", len(live), quote(live, 0))})
	}
	// A close after the last answer is as recorded; before, it is news.
	s.rep.Closed = s.broken || slices.ContainsFunc(s.rep.Exchanges, func(e Exchange) bool { return e.Verdict == Missing && s.closed })
	return nil
}

// judge compares a live answer with the recorded one.
func (s *session) judge(recorded, live []byte) Exchange {
	e := Exchange{Recorded: recorded, Live: live}
	if len(live) == 0 {
		e.Verdict = Missing
		e.Diff = s.why
		if !s.closed {
			e.Diff = fmt.Sprintf("no answer within %v", s.opts.Timeout)
		}
		return e
	}
	if !s.opts.Exact && !s.udp && isHTTPResponse(recorded) {
		ignore := append(slices.Clone(VolatileHeaders), s.opts.IgnoreHeaders...)
		if diffs, ignored, ok := compareHTTP(recorded, live, s.methods, ignore); ok {
			e.Ignored = ignored
			e.Verdict = Same
			if len(diffs) > 0 {
				e.Verdict, e.Diff = Differs, strings.Join(diffs, "\n")
			}
			return e
		}
	}
	e.Verdict = Same
	if d := bytesDiff(recorded, live); d != "" {
		e.Verdict, e.Diff = Differs, d
	}
	return e
}

// describe names a client message in a line: its first line if that is
// short text (an HTTP request line, an SMTP command), else its size.
func describe(b []byte) string {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	if len(line) > 0 && len(line) <= 72 && utf8.Valid(line) && !bytes.ContainsFunc(line, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		return fmt.Sprintf("%q", line)
	}
	return fmt.Sprintf("a %d-byte message", len(b))
}
