package replay

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
)

// VolatileHeaders are the HTTP response headers that Converse leaves out
// of the comparison unless ConverseOptions.Exact is set: they say when the
// answer was made or which version of the resource it was, so a live
// server never repeats the recorded value even when it answers the same.
var VolatileHeaders = []string{"Date", "Age", "Expires", "Last-Modified", "Etag"}

// isHTTPResponse reports whether b starts like an HTTP/1 response.
func isHTTPResponse(b []byte) bool {
	return bytes.HasPrefix(b, []byte("HTTP/1."))
}

// requestMethods returns the methods of the HTTP requests in b (a client
// message may hold several, pipelined), or nil if b is not HTTP.
func requestMethods(b []byte) []string {
	br := bufio.NewReader(bytes.NewReader(b))
	var methods []string
	for {
		if _, err := br.Peek(1); err != nil {
			return methods
		}
		req, err := http.ReadRequest(br)
		if err != nil {
			return methods
		}
		methods = append(methods, req.Method)
		io.Copy(io.Discard, req.Body)
	}
}

// httpResponse is one response read from a message.
type httpResponse struct {
	resp *http.Response
	body []byte
	err  error // the body could not be read whole
}

// readResponses reads the HTTP responses in b, answering the requests of
// methods in order (only HEAD matters: its answer has no body). It stops
// at the first that is cut short; rest is what follows the last whole one,
// untilClose says whether that one's body ends only when the server closes.
func readResponses(b []byte, methods []string) (rs []httpResponse, rest []byte, untilClose bool) {
	rd := bytes.NewReader(b)
	br := bufio.NewReader(rd)
	consumed := func() int { return len(b) - rd.Len() - br.Buffered() }
	for i := 0; ; i++ {
		if _, err := br.Peek(1); err != nil {
			return rs, b[consumed():], false
		}
		start := consumed()
		var req *http.Request
		if i < len(methods) {
			req = &http.Request{Method: methods[i]}
		}
		resp, err := http.ReadResponse(br, req)
		if err != nil {
			return rs, b[start:], false
		}
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return rs, b[start:], false
		}
		rs = append(rs, httpResponse{resp: resp, body: body})
		if resp.ContentLength < 0 && len(resp.TransferEncoding) == 0 && bodyAllowed(resp, req) {
			return rs, nil, true // the body ran to the end of b: it ends when the connection does
		}
	}
}

// bodyAllowed reports whether the response may carry a body (RFC 9112
// section 6.3: not to HEAD, not 1xx, 204 or 304).
func bodyAllowed(resp *http.Response, req *http.Request) bool {
	if req != nil && req.Method == http.MethodHead {
		return false
	}
	c := resp.StatusCode
	return c >= 200 && c != 204 && c != 304
}

// httpEnd says where the answer in live ends, if it holds as many whole
// responses as want: n is its length, and ok false while more must be
// read (or, for a body that ends with the connection, until it closes).
func httpEnd(live []byte, methods []string, want int) (n int, ok bool) {
	rs, rest, untilClose := readResponses(live, methods)
	if untilClose || len(rs) < want {
		return 0, false
	}
	if len(rs) > want {
		// Cut after the wanted ones: the rest belongs to the next answer.
		return responsesLen(live, methods, want), true
	}
	return len(live) - len(rest), true
}

// responsesLen is the length of the first n responses in b.
func responsesLen(b []byte, methods []string, n int) int {
	rd := bytes.NewReader(b)
	br := bufio.NewReader(rd)
	for i := range n {
		var req *http.Request
		if i < len(methods) {
			req = &http.Request{Method: methods[i]}
		}
		resp, err := http.ReadResponse(br, req)
		if err != nil {
			break
		}
		io.Copy(io.Discard, resp.Body)
	}
	return len(b) - rd.Len() - br.Buffered()
}

// compareHTTP compares two answers as HTTP: the status line, the headers
// but the ignored ones, and the body (after chunked framing is undone).
// It returns the differences, one per line (none: the same), and the names
// of the headers present but not compared.
func compareHTTP(recorded, live []byte, methods []string, ignore []string) (diffs []string, ignored []string, ok bool) {
	rec, recRest, _ := readResponses(recorded, methods)
	if len(rec) == 0 {
		return nil, nil, false // the recording is not HTTP after all: compare bytes
	}
	got, gotRest, _ := readResponses(live, methods)
	skip := map[string]bool{}
	for _, h := range ignore {
		skip[http.CanonicalHeaderKey(h)] = true
	}
	seen := map[string]bool{}
	for i := range max(len(rec), len(got)) {
		label := ""
		if max(len(rec), len(got)) > 1 {
			label = fmt.Sprintf("response %d: ", i+1)
		}
		switch {
		case i >= len(got):
			diffs = append(diffs, fmt.Sprintf("%smissing (recorded %q)", label, statusLine(rec[i].resp)))
			continue
		case i >= len(rec):
			diffs = append(diffs, fmt.Sprintf("%sextra (live %q)", label, statusLine(got[i].resp)))
			continue
		}
		r, l := rec[i].resp, got[i].resp
		if statusLine(r) != statusLine(l) {
			diffs = append(diffs, fmt.Sprintf("%sstatus: recorded %q, live %q", label, statusLine(r), statusLine(l)))
		}
		names := map[string]bool{}
		for k := range r.Header {
			names[k] = true
		}
		for k := range l.Header {
			names[k] = true
		}
		sorted := make([]string, 0, len(names))
		for k := range names {
			sorted = append(sorted, k)
		}
		slices.Sort(sorted)
		for _, k := range sorted {
			if skip[k] {
				seen[k] = true
				continue
			}
			rv, lv := r.Header[k], l.Header[k]
			switch {
			case rv == nil:
				diffs = append(diffs, fmt.Sprintf("%sheader %s: only live (%q)", label, k, strings.Join(lv, ", ")))
			case lv == nil:
				diffs = append(diffs, fmt.Sprintf("%sheader %s: only recorded (%q)", label, k, strings.Join(rv, ", ")))
			case !slices.Equal(rv, lv):
				diffs = append(diffs, fmt.Sprintf("%sheader %s: recorded %q, live %q", label, k, strings.Join(rv, ", "), strings.Join(lv, ", ")))
			}
		}
		if !slices.Equal(r.TransferEncoding, l.TransferEncoding) {
			diffs = append(diffs, fmt.Sprintf("%sTransfer-Encoding: recorded %q, live %q", label, strings.Join(r.TransferEncoding, ", "), strings.Join(l.TransferEncoding, ", ")))
		}
		if d := bytesDiff(rec[i].body, got[i].body); d != "" {
			diffs = append(diffs, label+"body: "+d)
		}
	}
	if len(recRest) > 0 || len(gotRest) > 0 {
		if d := bytesDiff(recRest, gotRest); d != "" {
			diffs = append(diffs, "after the responses: "+d)
		}
	}
	for k := range seen {
		ignored = append(ignored, k)
	}
	slices.Sort(ignored)
	return diffs, ignored, true
}

func statusLine(r *http.Response) string {
	return r.Proto + " " + r.Status
}
