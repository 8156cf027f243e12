package decode

import "strconv"

// Text protocols over TCP that tcpdump shows by their lines: HTTP (RFC 9110
// and its WebDAV extensions), RTSP (RFC 2326), FTP (RFC 959), SMTP (RFC
// 5321), WHOIS (RFC 3912); and the SSH version line (RFC 4253 4.2).
//
// tcpdump's text: without -v "PROTO: first line" when the first line is
// printable (and, for HTTP and RTSP, starts with a method or is a status
// line), else "PROTO"; with -v "PROTO, length: N" and every line after a
// newline and a tab, up to the first line with a byte that is not printable.
// A last line without its end gets " [|proto]".

var (
	protoHTTP     = proto("http", "Hypertext Transfer Protocol")
	fHTTPRequest  = field("http.request", "Request", TypeBoolean)
	fHTTPResponse = field("http.response", "Response", TypeBoolean)
	protoRTSP     = proto("rtsp", "Real Time Streaming Protocol")
	protoFTP      = proto("ftp", "File Transfer Protocol (FTP)")
	protoSMTP     = proto("smtp", "Simple Mail Transfer Protocol")
	protoWHOIS    = proto("whois", "whois")
	protoSSH      = proto("ssh", "SSH Protocol")
	fSSHProtocol  = field("ssh.protocol", "Protocol", TypeString)
)

// A txtProto is one of the line-based protocols.
type txtProto struct {
	name  string   // tcpdump's name: "HTTP"
	trunc string   // its truncation mark: " [|http]"
	cmds  []string // the methods a first line must start with, or nil for any line
}

var (
	txtHTTP = &txtProto{"HTTP", " [|http]", []string{
		"OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE", "TRACE", "CONNECT",
		// WebDAV (RFC 4918), search (RFC 5323), versioning (RFC 3253)
		"PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "SEARCH",
		"VERSION-CONTROL", "REPORT", "CHECKOUT", "CHECKIN", "UNCHECKOUT", "MKWORKSPACE",
		"UPDATE", "LABEL", "MERGE", "BASELINE-CONTROL", "MKACTIVITY",
		// Exchange's WebDAV extensions
		"SUBSCRIBE", "UNSUBSCRIBE", "NOTIFY", "POLL", "BCOPY", "BDELETE", "BMOVE",
		"BPROPFIND", "BPROPPATCH",
	}}
	txtRTSP = &txtProto{"RTSP", " [|rtsp]", []string{
		"DESCRIBE", "ANNOUNCE", "GET_PARAMETER", "OPTIONS", "PAUSE", "PLAY", "RECORD",
		"REDIRECT", "SETUP", "SET_PARAMETER", "TEARDOWN",
	}}
	txtFTP   = &txtProto{"FTP", " [|ftp]", nil}
	txtSMTP  = &txtProto{"SMTP", " [|smtp]", nil}
	txtWHOIS = &txtProto{"WHOIS", " [|whois]", nil}
)

func init() {
	for _, port := range []uint32{80, 8080} {
		TCPPorts.Register(port, dissectHTTP)
	}
	TCPPorts.Register(554, func(t *Tree, off, end int) { t.AddLayer(protoRTSP, off, end-off) })
	TCPPorts.Register(21, func(t *Tree, off, end int) { t.AddLayer(protoFTP, off, end-off) })
	TCPPorts.Register(25, func(t *Tree, off, end int) { t.AddLayer(protoSMTP, off, end-off) })
	TCPPorts.Register(43, func(t *Tree, off, end int) { t.AddLayer(protoWHOIS, off, end-off) })
	TCPPorts.Register(22, dissectSSH)
	registerText(protoHTTP, func(p *Printer, l int) { textLines(p, l, txtHTTP) })
	registerText(protoRTSP, func(p *Printer, l int) { textLines(p, l, txtRTSP) })
	registerText(protoFTP, func(p *Printer, l int) { textLines(p, l, txtFTP) })
	registerText(protoSMTP, func(p *Printer, l int) { textLines(p, l, txtSMTP) })
	registerText(protoWHOIS, func(p *Printer, l int) { textLines(p, l, txtWHOIS) })
	registerText(protoSSH, textSSH)
	// A cut line makes tcpdump dump the whole frame with -x, -X or -A.
	for _, p := range []FieldID{protoHTTP, protoRTSP, protoFTP, protoSMTP, protoWHOIS, protoSSH} {
		dumpFromStart[p] = true
	}
}

// dissectHTTP adds an HTTP layer, marked a request or a response by its
// first line.
func dissectHTTP(t *Tree, off, end int) {
	l := t.AddLayer(protoHTTP, off, end-off)
	s, e, _, st := txtLine(t.Data, off, end, end > len(t.Data))
	if st == txtBad {
		return
	}
	if txtCommand(t.Data[s:e], txtHTTP.cmds) {
		t.Add(l, fHTTPRequest, s, e-s, 1)
	} else if txtStatusLine(t.Data[s:e]) {
		t.Add(l, fHTTPResponse, s, e-s, 1)
	}
}

// dissectSSH adds an SSH layer, with the version line when the payload
// starts with one.
func dissectSSH(t *Tree, off, end int) {
	l := t.AddLayer(protoSSH, off, end-off)
	if s, e, ok := sshVersionLine(t.Data, off, end); ok {
		t.AddBytes(l, fSSHProtocol, s, e-s)
	} else if end > len(t.Data) && sshCutVersion(t.Data[min(off, len(t.Data)):]) {
		t.Mark(l, Truncated)
	}
}

// sshVersionLine finds the "SSH-..." line ended by LF or CR LF at off.
func sshVersionLine(d []byte, off, end int) (s, e int, ok bool) {
	if end > len(d) {
		end = len(d)
	}
	if end-off < 4 || string(d[off:off+4]) != "SSH-" {
		return 0, 0, false
	}
	for i := off; i < end; i++ {
		c := d[i]
		if c == '\n' {
			return off, i, true
		}
		if c == '\r' && i+1 < end {
			if d[i+1] == '\n' {
				return off, i, true
			}
			return 0, 0, false
		}
		if c < 0x20 || c >= 0x7f {
			return 0, 0, false
		}
	}
	return 0, 0, false
}

// textSSH prints ": SSH: version line", " [|ssh]" when the capture cuts
// what may be one, or nothing.
func textSSH(p *Printer, l int) {
	t := &p.t
	n := p.Node(l)
	i := t.Find(n, fSSHProtocol)
	if i < 0 {
		if t.Nodes[n].Flags&Truncated != 0 {
			p.b = append(p.b, " [|ssh]"...)
		}
		return
	}
	p.b = append(p.b, ": SSH: "...)
	p.b = append(p.b, t.Bytes(i)...)
}

// The kinds of line txtLine finds.
const (
	txtBad     = iota // a byte that is not printable, or CR without LF
	txtWhole          // a line and its end
	txtPartial        // a line the captured data ends inside
)

// sshCutVersion reports whether b, all that was captured of a payload, may
// be the start of a version line: "SSH-" as far as it goes, printable
// characters and no line end.
func sshCutVersion(b []byte) bool {
	for i, c := range b {
		if i < 4 && c != "SSH-"[i] {
			return false
		}
		if c == '\n' || c < 0x20 && c != '\r' || c >= 0x7f {
			return false
		}
	}
	return true
}

// txtLine finds the line at off: its text [s, e), where the next one
// starts, and its kind. end is the end of the captured data; cut says
// that the payload goes on past it.
func txtLine(d []byte, off, end int, cut bool) (s, e, next, kind int) {
	if end > len(d) {
		end = len(d)
	}
	for i := off; i < end; i++ {
		switch c := d[i]; {
		case c == '\n':
			return off, i, i + 1, txtWhole
		case c == '\r':
			if i+1 < end && d[i+1] == '\n' {
				return off, i, i + 2, txtWhole
			}
			if i+1 == end && cut {
				return off, i, end, txtPartial
			}
			return off, i, end, txtBad
		case c == '\t':
		case c < 0x20 || c >= 0x7f:
			return off, i, end, txtBad
		}
	}
	return off, end, end, txtPartial
}

// txtToken is the first word of line: up to a space, a tab or its end.
func txtToken(line []byte) []byte {
	for i, c := range line {
		if c == ' ' || c == '\t' {
			return line[:i]
		}
	}
	return line
}

// txtCommand reports whether line starts with one of cmds, in any case.
func txtCommand(line []byte, cmds []string) bool {
	tok := txtToken(line)
	for _, c := range cmds {
		if len(c) == len(tok) && asciiEqualFold(tok, c) {
			return true
		}
	}
	return false
}

func asciiEqualFold(b []byte, s string) bool {
	for i := range b {
		x, y := b[i], s[i]
		if 'a' <= x && x <= 'z' {
			x -= 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// txtStatusLine reports whether line is a status line: a word, spaces and a
// three-digit code ending the line or followed by a space.
func txtStatusLine(line []byte) bool {
	tok := txtToken(line)
	if len(tok) == 0 || len(tok) == len(line) || line[len(tok)] != ' ' {
		return false
	}
	r := line[len(tok):]
	for len(r) > 0 && r[0] == ' ' {
		r = r[1:]
	}
	if len(r) < 3 {
		return false
	}
	for _, c := range r[:3] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(r) == 3 || r[3] == ' '
}

// txtFirstWordOK reports whether the first line at [off, capEnd) starts
// with one of tp's methods or is a status line. A word the capture cuts
// (cut: the payload goes on past capEnd) is not known to be one.
func txtFirstWordOK(d []byte, off, capEnd int, cut bool, tp *txtProto) bool {
	e := off
	for e < capEnd && d[e] != '\r' && d[e] != '\n' {
		e++
	}
	raw := d[off:e]
	if e == capEnd && cut {
		// Only what is known to be whole counts: the first word when a
		// blank follows it.
		tok := txtToken(raw)
		if len(tok) == len(raw) {
			return false
		}
		if txtCommand(raw, tp.cmds) {
			return true
		}
		// A status code needs what follows it too.
		r := raw[len(tok):]
		for len(r) > 0 && r[0] == ' ' {
			r = r[1:]
		}
		if len(r) <= 3 {
			return false
		}
		return txtStatusLine(raw)
	}
	return txtCommand(raw, tp.cmds) || txtStatusLine(raw)
}

// txtTrunc prints tp's truncation mark. When the capture cut the line
// (cut), tcpdump then dumps the whole frame with -x, -X or -A, as for a
// layer cut short; the mark depends on -v, so the Printer, not the tree,
// records it.
func txtTrunc(p *Printer, tp *txtProto, cut bool) {
	p.b = append(p.b, tp.trunc...)
	if cut {
		p.abandon()
	}
}

// textLines prints the text protocol layer l as tcpdump does.
func textLines(p *Printer, l int, tp *txtProto) {
	t := &p.t
	n := p.Node(l)
	off := int(t.Nodes[n].Off)
	end := off + int(t.Nodes[n].Len)
	d := t.Data
	capEnd := end
	if capEnd > len(d) {
		capEnd = len(d)
	}
	cut := capEnd < end
	p.b = append(p.b, ": "...)
	p.b = append(p.b, tp.name...)
	if tp.cmds != nil && !txtFirstWordOK(d, off, capEnd, cut, tp) {
		return
	}
	s, e, next, kind := txtLine(d, off, capEnd, cut)
	if p.opt.Verbose == 0 {
		switch {
		case kind == txtBad:
		case kind == txtPartial && cut:
			txtTrunc(p, tp, cut)
		default:
			p.b = append(p.b, ": "...)
			p.b = append(p.b, d[s:e]...)
			if kind == txtPartial {
				txtTrunc(p, tp, cut)
			}
		}
		return
	}
	p.b = append(p.b, ", length: "...)
	p.b = strconv.AppendInt(p.b, int64(end-off), 10)
	for {
		switch kind {
		case txtBad:
			return
		case txtPartial:
			if !cut {
				p.b = append(p.b, "\n\t"...)
				p.b = append(p.b, d[s:e]...)
			}
			txtTrunc(p, tp, cut)
			return
		}
		p.b = append(p.b, "\n\t"...)
		p.b = append(p.b, d[s:e]...)
		if next >= end {
			return
		}
		s, e, next, kind = txtLine(d, next, capEnd, cut)
	}
}
