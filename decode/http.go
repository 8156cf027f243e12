package decode

import (
	"bytes"
	"strconv"
)

// HTTP/1.x messages (RFC 9110, RFC 9112) in the trees that keep state
// across packets (JSON, -T fields, display filters), under tshark 4.0's
// field names. The text printer's trees (Stateless) keep tcpdump's view in
// tcpapps.go: an http layer on ports 80 and 8080 and its first line.
//
// What tshark 4.0 does at its defaults, learned by running it on
// testdata/http.pcap, the corpus' HTTP captures and captures made for it:
//
//   - A TCP payload goes to HTTP when a port is one of tshark's HTTP ports
//     (80, 631, 1900, 2710, 2869, 3128, 3132, 3689, 5985, 8080, 8088, 11371)
//     and no port dissector comes first, or else when its first line looks
//     like HTTP (the heuristic tshark runs on TCP: a request line "METHOD
//     target HTTP/x.y" or a status line "HTTP/x.y code"); from then on the
//     whole conversation, both ways, is HTTP, whatever a segment starts with.
//   - A payload holds messages one after the other (pipelining). A message
//     is its first line, header lines up to a blank line, and a body: none
//     for a request without Content-Length or Transfer-Encoding, for a
//     response to HEAD and for status 1xx, 204 and 304; chunked when
//     Transfer-Encoding says so; Content-Length bytes; else, for a
//     response, the rest of what is there. A payload that starts with no
//     first line is a continuation: an http layer and the bytes as data.
//   - Each message is an http layer: http.request or http.response, the
//     first line as an expert chat item (http.chat) with its parts
//     (http.request.method, .uri, .version; http.response.version, .code,
//     .code.desc, .phrase; for a URI with a query, .uri.path, .uri.query and
//     each .uri.query.parameter), every header line as http.request.line or
//     http.response.line (CR LF included) and the headers tshark names as
//     their fields (http.host, http.content_length_header with
//     http.content_length...); an unknown header only as a line. Then what
//     tshark computes: http.request.full_uri ("http://" Host and the
//     target, or the target when absolute), and the numbering below; then
//     the body as http.file_data (de-chunked, with http.chunk_size,
//     http.chunk_boundary, http.chunk_data of each chunk) and the body's
//     media by its Content-Type: data-text-lines for text/* (but XML),
//     json, xml, urlencoded-form (its keys and values), else data.
//   - Numbering (one pass, as tshark -r does without -2): a conversation
//     numbers its exchanges from 1. A request opens the next one
//     (http.request_number); a response joins the last exchange when it is a
//     request still without response (http.response_number,
//     http.request_in, http.time since the request), else opens the next
//     one on its own. http.prev_request_in and (for a response)
//     http.prev_response_in name the frames of the exchange before;
//     http.response_for.uri is the last request's full URI.
//   - frame.protocols names http once for the messages of one payload, and
//     each body's media.
//
// Reassembly across segments (tcpreasm.go) hands this file whole messages.

var (
	fHTTPChat          = field("http.chat", "Formatted text", TypeNone)
	fHTTPReqMethod     = field("http.request.method", "Request Method", TypeString)
	fHTTPReqURI        = field("http.request.uri", "Request URI", TypeString)
	fHTTPReqURIPath    = field("http.request.uri.path", "Request URI Path", TypeString)
	fHTTPReqURIQuery   = field("http.request.uri.query", "Request URI Query", TypeString)
	fHTTPReqURIParam   = field("http.request.uri.query.parameter", "Request URI Query Parameter", TypeString)
	fHTTPReqVersion    = field("http.request.version", "Request Version", TypeString)
	fHTTPReqLine       = field("http.request.line", "Request line", TypeString)
	fHTTPRespLine      = field("http.response.line", "Response line", TypeString)
	fHTTPFullURI       = field("http.request.full_uri", "Full request URI", TypeString)
	fHTTPRespVersion   = field("http.response.version", "Response Version", TypeString)
	fHTTPRespCode      = field("http.response.code", "Status Code", TypeUint16)
	fHTTPRespCodeDesc  = field("http.response.code.desc", "Status Code Description", TypeString)
	fHTTPRespPhrase    = field("http.response.phrase", "Response Phrase", TypeString)
	fHTTPContentLenHdr = field("http.content_length_header", "Content-Length", TypeString)
	fHTTPContentLen    = field("http.content_length", "Content length", TypeUint64)
	fHTTPContentType   = field("http.content_type", "Content-Type", TypeString)
	fHTTPTransferEnc   = field("http.transfer_encoding", "Transfer-Encoding", TypeString)
	fHTTPFileData      = field("http.file_data", "File Data", TypeString)
	fHTTPRequestNumber = field("http.request_number", "Request number", TypeUint32)
	fHTTPRespNumber    = field("http.response_number", "Response number", TypeUint32)
	fHTTPPrevReqIn     = field("http.prev_request_in", "Prev request in frame", TypeFrameNum)
	fHTTPPrevRespIn    = field("http.prev_response_in", "Prev response in frame", TypeFrameNum)
	fHTTPRequestIn     = field("http.request_in", "Request in frame", TypeFrameNum)
	fHTTPTime          = field("http.time", "Time since request", TypeRelTime)
	fHTTPRespForURI    = field("http.response_for.uri", "Request URI", TypeString)
	fHTTPChunkSize     = field("http.chunk_size", "Chunk size", TypeUint32)
	fHTTPChunkData     = field("http.chunk_data", "Chunk data", TypeBytes)
	fHTTPChunkBoundary = field("http.chunk_boundary", "Chunk boundary", TypeBytes)

	protoTextLines = proto("data-text-lines", "Line-based text data")
	protoJSON      = proto("json", "JavaScript Object Notation")
	protoXML       = proto("xml", "eXtensible Markup Language")
	protoURLForm   = proto("urlencoded-form", "HTML Form URL Encoded")
	fURLFormKey    = field("urlencoded-form.key", "Key", TypeStringz)
	fURLFormValue  = field("urlencoded-form.value", "Value", TypeStringz)
)

// httpHeaders are the headers tshark gives a field of their own, by their
// lower-case names.
var httpHeaders = map[string]FieldID{
	"content-type":        fHTTPContentType,
	"content-length":      fHTTPContentLenHdr,
	"transfer-encoding":   fHTTPTransferEnc,
	"host":                field("http.host", "Host", TypeString),
	"user-agent":          field("http.user_agent", "User-Agent", TypeString),
	"accept":              field("http.accept", "Accept", TypeString),
	"connection":          field("http.connection", "Connection", TypeString),
	"date":                field("http.date", "Date", TypeString),
	"server":              field("http.server", "Server", TypeString),
	"last-modified":       field("http.last_modified", "Last-Modified", TypeString),
	"location":            field("http.location", "Location", TypeString),
	"cache-control":       field("http.cache_control", "Cache-Control", TypeString),
	"accept-encoding":     field("http.accept_encoding", "Accept Encoding", TypeString),
	"accept-language":     field("http.accept_language", "Accept-Language", TypeString),
	"referer":             field("http.referer", "Referer", TypeString),
	"cookie":              field("http.cookie", "Cookie", TypeString),
	"set-cookie":          field("http.set_cookie", "Set-Cookie", TypeString),
	"content-encoding":    field("http.content_encoding", "Content-Encoding", TypeString),
	"authorization":       field("http.authorization", "Authorization", TypeString),
	"www-authenticate":    field("http.www_authenticate", "WWW-Authenticate", TypeString),
	"proxy-authorization": field("http.proxy_authorization", "Proxy-Authorization", TypeString),
	"proxy-authenticate":  field("http.proxy_authenticate", "Proxy-Authenticate", TypeString),
	"upgrade":             field("http.upgrade", "Upgrade", TypeString),
	"x-forwarded-for":     field("http.x_forwarded_for", "X-Forwarded-For", TypeString),
}

// httpStatusText are RFC 9110's reason phrases (section 15), what tshark
// gives as http.response.code.desc.
var httpStatusText = map[uint64]string{
	100: "Continue", 101: "Switching Protocols", 102: "Processing", 103: "Early Hints",
	200: "OK", 201: "Created", 202: "Accepted", 203: "Non-authoritative Information", 204: "No Content",
	205: "Reset Content", 206: "Partial Content", 207: "Multi-Status",
	300: "Multiple Choices", 301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified",
	305: "Use Proxy", 307: "Temporary Redirect", 308: "Permanent Redirect",
	400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden", 404: "Not Found",
	405: "Method Not Allowed", 406: "Not Acceptable", 407: "Proxy Authentication Required",
	408: "Request Time-out", 409: "Conflict", 410: "Gone", 411: "Length Required", 412: "Precondition Failed",
	413: "Request Entity Too Large", 414: "Request-URI Too Long", 415: "Unsupported Media Type",
	416: "Requested Range Not Satisfiable", 417: "Expectation Failed", 418: "I'm a teapot",
	421: "Misdirected Request", 422: "Unprocessable Entity", 423: "Locked", 424: "Failed Dependency",
	426: "Upgrade Required", 428: "Precondition Required", 429: "Too Many Requests",
	431: "Request Header Fields Too Large", 451: "Unavailable For Legal Reasons",
	500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable",
	504: "Gateway Time-out", 505: "HTTP Version not supported", 507: "Insufficient Storage",
	511: "Network Authentication Required",
}

// httpTCPPort reports whether tshark 4.0 gives TCP port p to HTTP
// (tshark -G decodes).
func httpTCPPort(p uint16) bool {
	switch p {
	case 80, 631, 1900, 2710, 2869, 3128, 3132, 3689, 5985, 8080, 8088, 11371:
		return true
	}
	return false
}

// httpExchange is one request and its response, as a conversation numbers them.
type httpExchange struct {
	number          uint32
	reqFrame        uint32 // 0: no request
	respFrame       uint32 // 0: no response yet
	reqTime         int64  // the request's epoch nanoseconds
	head            bool   // the request was HEAD: its response has no body
	reqSeen, answer bool
}

// httpConv is what an HTTP conversation keeps: its last two exchanges, the
// last request's full URI, and each direction's reassembly.
type httpConv struct {
	n       uint32          // exchanges so far
	last    [2]httpExchange // [1] the last, [0] the one before
	lastURI []byte
	hasURI  bool
	tcpConvBufs
}

func (c *httpConv) open(e httpExchange) {
	c.n++
	e.number = c.n
	c.last[0], c.last[1] = c.last[1], e
}

// The kinds of first line.
const (
	httpOther = iota
	httpReq
	httpResp
	httpMore // the bytes end before the first line does: maybe one
)

// httpFirstLine says what the line at the start of b is and where it ends
// (its text b[:e], the next line at next).
func httpFirstLine(b []byte) (kind, e, next int) {
	e, next = httpLineEnd(b, 0)
	if next < 0 {
		if httpPrefixOK(b) {
			return httpMore, 0, -1
		}
		return httpOther, 0, -1
	}
	line := b[:e]
	switch {
	case httpStatusOK(line):
		return httpResp, e, next
	case httpRequestOK(line):
		return httpReq, e, next
	}
	return httpOther, e, next
}

// httpLineEnd finds the end of the line at off: its text ends at e, the next
// starts at next; next is -1 when b ends first.
func httpLineEnd(b []byte, off int) (e, next int) {
	if off >= len(b) {
		return len(b), -1
	}
	j := bytes.IndexByte(b[off:], '\n')
	if j < 0 {
		return len(b), -1
	}
	i := off + j
	if i > off && b[i-1] == '\r' {
		return i - 1, i + 1
	}
	return i, i + 1
}

// httpStatusOK: "HTTP/d.d ddd" and the end or a space.
func httpStatusOK(l []byte) bool {
	if len(l) < 12 || string(l[:5]) != "HTTP/" || !digit(l[5]) || l[6] != '.' || !digit(l[7]) || l[8] != ' ' {
		return false
	}
	return digit(l[9]) && digit(l[10]) && digit(l[11]) && (len(l) == 12 || l[12] == ' ')
}

// httpRequestOK: a known method, a space, a target, " HTTP/d.d".
func httpRequestOK(l []byte) bool {
	sp := httpIndex(l, ' ')
	if sp <= 0 || !txtCommand(l[:sp], txtHTTP.cmds) {
		return false
	}
	if len(l) < sp+10 || string(l[len(l)-9:len(l)-3]) != " HTTP/" {
		return false
	}
	return digit(l[len(l)-3]) && l[len(l)-2] == '.' && digit(l[len(l)-1])
}

// httpPrefixOK reports whether b, a first line not yet ended, may still
// become a request or status line.
func httpPrefixOK(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	const status = "HTTP/"
	if n := min(len(b), len(status)); string(b[:n]) == status[:n] {
		return true
	}
	sp := httpIndex(b, ' ')
	if sp < 0 {
		// a method's first letters
		for _, m := range txtHTTP.cmds {
			if len(b) <= len(m) && asciiEqualFold(b, m[:len(b)]) {
				return true
			}
		}
		return false
	}
	return txtCommand(b[:sp], txtHTTP.cmds)
}

func digit(c byte) bool { return c >= '0' && c <= '9' }

func httpIndex(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

// httpLooksLike is tshark's heuristic on a TCP payload: a first line, whole
// in the segment, that is a request or status line.
func httpLooksLike(b []byte) bool {
	// A status line starts "HTTP/", a request line a method and a space:
	// most payloads fail here, before a search for the line's end.
	if len(b) < 5 {
		return false
	}
	if string(b[:5]) != "HTTP/" {
		sp := bytes.IndexByte(b[:min(len(b), 24)], ' ')
		if sp <= 0 || !txtCommand(b[:sp], txtHTTP.cmds) {
			return false
		}
	}
	k, _, _ := httpFirstLine(b)
	return k == httpReq || k == httpResp
}

// httpHeaderEnd is where the header block that starts at off ends (after
// the blank line), or -1 when b ends first.
func httpHeaderEnd(b []byte, off int) int {
	for {
		e, next := httpLineEnd(b, off)
		if next < 0 {
			return -1
		}
		if e == off {
			return next
		}
		off = next
	}
}

// httpMessage is what httpMessageLen learned of a message.
type httpMessage struct {
	kind             int
	bodyStart        int
	clen             int64 // -1 when no Content-Length
	chunked          bool
	noBody, untilEnd bool
}

// httpMessageLen is the length of the message at the start of b and
// whether b holds all of it (whole). A response's body depends on the
// request it answers: head says it was HEAD. A message that is not one
// (a continuation) takes all of b.
func httpMessageLen(b []byte, head bool) (n int, whole bool, m httpMessage) {
	m.clen = -1
	kind, _, next := httpFirstLine(b)
	m.kind = kind
	switch kind {
	case httpMore:
		return len(b), false, m
	case httpOther:
		return len(b), true, m
	}
	hend := httpHeaderEnd(b, next)
	if hend < 0 {
		return len(b), false, m
	}
	m.bodyStart = hend
	for off := next; off < hend; {
		e, nx := httpLineEnd(b, off)
		name, val := httpHeader(b[off:e])
		switch {
		case asciiLowerIs(name, "content-length"):
			if v, err := strconv.ParseInt(string(val), 10, 64); err == nil && v >= 0 {
				m.clen = v
			}
		case asciiLowerIs(name, "transfer-encoding"):
			if len(val) >= 7 && asciiLowerIs(val[len(val)-7:], "chunked") {
				m.chunked = true
			}
		}
		off = nx
	}
	if kind == httpResp {
		code, _ := strconv.Atoi(string(b[9:12]))
		if head || code/100 == 1 || code == 204 || code == 304 {
			m.noBody = true
			return hend, true, m
		}
	}
	switch {
	case m.chunked:
		end, ok := httpChunkedEnd(b, hend)
		if !ok {
			return len(b), false, m
		}
		return end, true, m
	case m.clen >= 0:
		if int64(len(b)-hend) < m.clen {
			return len(b), false, m
		}
		return hend + int(m.clen), true, m
	case kind == httpReq:
		m.noBody = true
		return hend, true, m
	}
	m.untilEnd = true
	return len(b), true, m
}

// httpChunkedEnd walks a chunked body (RFC 9112 7.1) from off: where it
// ends, after the last chunk and the trailer, or false when b ends first.
func httpChunkedEnd(b []byte, off int) (int, bool) {
	for {
		e, next := httpLineEnd(b, off)
		if next < 0 {
			return 0, false
		}
		size, ok := httpChunkSize(b[off:e])
		if !ok {
			return len(b), true // not chunked after all: the rest
		}
		if size == 0 {
			end := httpHeaderEnd(b, next) // the trailer and its blank line
			return end, end >= 0
		}
		if int64(len(b)-next) < size+2 {
			return 0, false
		}
		off = next + int(size) + 2
	}
}

// httpChunkSize reads a chunk-size line: hex digits, then extensions.
func httpChunkSize(l []byte) (int64, bool) {
	var v int64
	n := 0
	for _, c := range l {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			if n == 0 || c != ';' && c != ' ' && c != '\t' {
				return 0, false
			}
			return v, true
		}
		if v > 1<<40 {
			return 0, false
		}
		v = v<<4 | int64(d)
		n++
	}
	return v, n > 0
}

// httpHeader splits a header line into its name and its value, trimmed.
func httpHeader(l []byte) (name, val []byte) {
	c := httpIndex(l, ':')
	if c < 0 {
		return nil, nil
	}
	name, val = l[:c], l[c+1:]
	for len(val) > 0 && (val[0] == ' ' || val[0] == '\t') {
		val = val[1:]
	}
	for len(val) > 0 && (val[len(val)-1] == ' ' || val[len(val)-1] == '\t') {
		val = val[:len(val)-1]
	}
	return name, val
}

// asciiLowerIs reports whether b is s, s in lower case, in any case.
func asciiLowerIs(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

// httpHeaderField is the field of a header name, or 0.
func httpHeaderField(name []byte) FieldID {
	var buf [32]byte
	if len(name) > len(buf) {
		return 0
	}
	for i, c := range name {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return httpHeaders[string(buf[:len(name)])] // no allocation: a map index by a converted slice
}

// httpHead reports whether a response now would answer a HEAD request.
func (c *httpConv) httpHead() bool {
	x := &c.last[1]
	return x.reqSeen && !x.answer && x.head
}

// dissectHTTPMessage adds the message at [s, e) of t.Data, found whole or
// cut by the segment's end, as an http layer and its body's media.
func dissectHTTPMessage(t *Tree, c *httpConv, s, e int) {
	b := t.Data[s:e]
	_, _, m := httpMessageLen(b, c.httpHead())
	l := t.AddLayer(protoHTTP, s, e-s)
	kind, le, next := httpFirstLine(b)
	if kind != httpReq && kind != httpResp {
		if e > s {
			DissectData(t, s, e)
		}
		return
	}
	lineEnd := e
	if next >= 0 {
		lineEnd = s + next
	}
	var uri, host []byte
	var head bool
	line := b[:le]
	if kind == httpReq {
		t.Add(l, fHTTPRequest, s, le, 1)
		chat := t.Add(l, fHTTPChat, s, lineEnd-s, 0)
		sp1 := httpIndex(line, ' ')
		sp2 := len(line) - 9
		t.AddBytes(chat, fHTTPReqMethod, s, sp1)
		head = asciiLowerIs(line[:sp1], "head")
		us, ue := sp1+1, sp2
		for us < ue && line[us] == ' ' {
			us++
		}
		uri = line[us:ue]
		u := t.AddBytes(chat, fHTTPReqURI, s+us, ue-us)
		if q := httpIndex(uri, '?'); q >= 0 {
			t.AddBytes(u, fHTTPReqURIPath, s+us, q)
			qs := s + us + q + 1
			t.AddBytes(u, fHTTPReqURIQuery, qs, ue-us-q-1)
			for p := qs; p <= s+ue; {
				amp := httpIndex(t.Data[p:s+ue], '&')
				if amp < 0 {
					t.AddBytes(u, fHTTPReqURIParam, p, s+ue-p)
					break
				}
				t.AddBytes(u, fHTTPReqURIParam, p, amp)
				p += amp + 1
			}
		}
		t.AddBytes(chat, fHTTPReqVersion, s+sp2+1, 8)
	} else {
		t.Add(l, fHTTPResponse, s, le, 1)
		chat := t.Add(l, fHTTPChat, s, lineEnd-s, 0)
		t.AddBytes(chat, fHTTPRespVersion, s, 8)
		code, _ := strconv.ParseUint(string(line[9:12]), 10, 16)
		t.Add(chat, fHTTPRespCode, s+9, 3, code)
		if d, ok := httpStatusText[code]; ok {
			t.Nodes[t.AddText(chat, fHTTPRespCodeDesc, s+9, 3, []byte(d))].Flags |= Generated
		}
		if len(line) > 13 {
			t.AddBytes(chat, fHTTPRespPhrase, s+13, le-13)
		} else {
			t.AddBytes(chat, fHTTPRespPhrase, s+le, 0)
		}
	}
	lineField := fHTTPReqLine
	if kind == httpResp {
		lineField = fHTTPRespLine
	}
	ctype := -1
	off := next
	for off >= 0 && off < len(b) {
		le, nx := httpLineEnd(b, off)
		if le == off && nx >= 0 {
			break // the blank line
		}
		end := nx
		if nx < 0 {
			end = len(b)
		}
		t.AddBytes(l, lineField, s+off, end-off)
		name, val := httpHeader(b[off:le])
		if f := httpHeaderField(name); f != 0 {
			vs := s + le - len(val) - httpTrailingBlanks(b[off:le])
			i := t.AddBytes(l, f, vs, len(val))
			switch f {
			case fHTTPContentLenHdr:
				if v, err := strconv.ParseUint(string(val), 10, 64); err == nil {
					t.Nodes[t.Add(i, fHTTPContentLen, vs, len(val), v)].Flags |= Generated
				}
			case fHTTPContentType:
				ctype = i
			default:
				if asciiLowerIs(name, "host") {
					host = val
				}
			}
		}
		off = nx
	}
	fr := uint32(t.Number)
	if kind == httpReq {
		if len(uri) > 0 && (uri[0] != '/' || host != nil) {
			start := len(t.Text)
			if uri[0] == '/' {
				t.Text = append(t.Text, "http://"...)
				t.Text = append(t.Text, host...)
			}
			t.Text = append(t.Text, uri...)
			i := t.Add(l, fHTTPFullURI, s, 0, 0)
			t.SetText(i, start)
			t.Nodes[i].Flags |= Generated
			c.lastURI = append(c.lastURI[:0], t.Text[start:]...)
			c.hasURI = true
		}
		prev := c.last[1]
		c.open(httpExchange{reqFrame: fr, reqTime: epochNanos(t.CI.Timestamp), head: head, reqSeen: true})
		t.Nodes[t.Add(l, fHTTPRequestNumber, s, 0, uint64(c.n))].Flags |= Generated
		if prev.reqSeen {
			t.Nodes[t.Add(l, fHTTPPrevReqIn, s, 0, uint64(prev.reqFrame))].Flags |= Generated
		}
	} else {
		x := &c.last[1]
		matched := x.reqSeen && !x.answer
		if !matched {
			c.open(httpExchange{})
			x = &c.last[1]
		}
		x.answer, x.respFrame = true, fr
		prev := c.last[0]
		t.Nodes[t.Add(l, fHTTPRespNumber, s, 0, uint64(x.number))].Flags |= Generated
		if matched {
			t.Nodes[t.Add(l, fHTTPTime, s, 0, uint64(epochNanos(t.CI.Timestamp)-x.reqTime))].Flags |= Generated
		}
		if prev.number != 0 && prev.reqSeen {
			t.Nodes[t.Add(l, fHTTPPrevReqIn, s, 0, uint64(prev.reqFrame))].Flags |= Generated
		}
		if prev.number != 0 && prev.answer {
			t.Nodes[t.Add(l, fHTTPPrevRespIn, s, 0, uint64(prev.respFrame))].Flags |= Generated
		}
		if matched {
			t.Nodes[t.Add(l, fHTTPRequestIn, s, 0, uint64(x.reqFrame))].Flags |= Generated
		}
		if c.hasURI {
			t.Nodes[t.AddText(l, fHTTPRespForURI, s, 0, c.lastURI)].Flags |= Generated
		}
	}
	if m.noBody || next < 0 || m.bodyStart == 0 && httpHeaderEnd(b, next) < 0 {
		return
	}
	bs := s + httpHeaderEnd(b, next)
	if bs >= e {
		return
	}
	if m.clen >= 0 && !m.chunked && int64(e-bs) > m.clen {
		e = bs + int(m.clen)
	}
	if m.chunked {
		bs, e = httpDechunk(t, l, bs, e)
		if bs >= e {
			return
		}
	}
	t.AddBytes(l, fHTTPFileData, bs, e-bs)
	httpMedia(t, ctype, bs, e)
}

func httpTrailingBlanks(l []byte) int {
	n := 0
	for i := len(l) - 1; i >= 0 && (l[i] == ' ' || l[i] == '\t'); i-- {
		n++
	}
	return n
}

// httpDechunk adds the chunks of the body at [bs, e) and returns where
// the body without its chunking is: after the packet, put together.
func httpDechunk(t *Tree, l, bs, e int) (int, int) {
	// Two passes over the chunks: the fields first, then the data, which
	// AppendReassembled may move t.Data for.
	total := 0
	off := bs
	for off < e {
		le, next := httpLineEnd(t.Data[:e], off)
		if next < 0 {
			break
		}
		size, ok := httpChunkSize(t.Data[off:le])
		if !ok {
			break
		}
		t.Add(l, fHTTPChunkSize, off, le-off, uint64(size))
		if size == 0 {
			break
		}
		n := int(min(size, int64(e-next)))
		t.AddBytes(l, fHTTPChunkData, next, n)
		if next+n+2 <= e {
			t.AddBytes(l, fHTTPChunkBoundary, next+n, 2)
		}
		total += n
		off = next + n + 2
	}
	if total == 0 {
		return 0, 0
	}
	start := t.AppendReassembled(nil)
	off = bs
	for off < e {
		le, next := httpLineEnd(t.buf[:e], off)
		if next < 0 {
			break
		}
		size, ok := httpChunkSize(t.buf[off:le])
		if !ok || size == 0 {
			break
		}
		n := int(min(size, int64(e-next)))
		t.buf = append(t.buf, t.buf[next:next+n]...)
		off = next + n + 2
	}
	t.Data = t.buf
	return start, len(t.Data)
}

// httpMedia dissects a body at [s, e) by the Content-Type at node ctype.
func httpMedia(t *Tree, ctype, s, e int) {
	var mt []byte
	if ctype >= 0 {
		mt = httpMediaType(t.Bytes(ctype))
	}
	switch {
	case asciiLowerIs(mt, "text/xml"), asciiLowerIs(mt, "application/xml"):
		t.AddLayer(protoXML, s, e-s)
	case asciiLowerIs(mt, "application/json"):
		t.AddLayer(protoJSON, s, e-s)
	case asciiLowerIs(mt, "application/x-www-form-urlencoded"):
		dissectURLForm(t, s, e)
	case len(mt) > 5 && asciiLowerIs(mt[:5], "text/"):
		t.AddLayer(protoTextLines, s, e-s)
	default:
		DissectData(t, s, e)
	}
}

// httpMediaType is a Content-Type value without its parameters.
func httpMediaType(v []byte) []byte {
	if i := httpIndex(v, ';'); i >= 0 {
		v = v[:i]
	}
	for len(v) > 0 && (v[len(v)-1] == ' ' || v[len(v)-1] == '\t') {
		v = v[:len(v)-1]
	}
	return v
}

// dissectURLForm reads "key=value&..." (the HTML form encoding): each key
// and value with "+" a space and %XX its byte.
func dissectURLForm(t *Tree, s, e int) {
	l := t.AddLayer(protoURLForm, s, e-s)
	for p := s; p < e; {
		end := e
		if i := httpIndex(t.Data[p:e], '&'); i >= 0 {
			end = p + i
		}
		ke := end
		if i := httpIndex(t.Data[p:end], '='); i >= 0 {
			ke = p + i
		}
		urlFormText(t, l, fURLFormKey, p, ke)
		if ke < end {
			urlFormText(t, l, fURLFormValue, ke+1, end)
		} else {
			urlFormText(t, l, fURLFormValue, end, end)
		}
		p = end + 1
	}
}

func urlFormText(t *Tree, l int, f FieldID, s, e int) {
	start := len(t.Text)
	for i := s; i < e; i++ {
		c := t.Data[i]
		switch {
		case c == '+':
			c = ' '
		case c == '%' && i+2 < e && hexVal(t.Data[i+1]) >= 0 && hexVal(t.Data[i+2]) >= 0:
			c = byte(hexVal(t.Data[i+1])<<4 | hexVal(t.Data[i+2]))
			i += 2
		}
		t.Text = append(t.Text, c)
	}
	t.SetText(t.Add(l, f, s, e-s, 0), start)
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}
