package decode

// RESP, the Redis serialization protocol (redis.io's protocol spec), TCP
// port 6379: elements that start with a type byte ('+' simple string, '-'
// error, ':' integer, '$' bulk string, '*' array) and end with CRLF, or
// inline commands, a line of text. decode makes a resp layer over each
// segment's payload and tshark's item for a bulk string or array length
// that is negative and not -1 (which ends tshark's reading).
//
// tcpdump's text without -v: ": RESP" then each element, strings quoted
// ("PING"), null for a -1 length, empty for a 0 bulk string, "length
// negative and not -1", "length too large", and " [|resp]" when an element
// passes the end of the bytes.

var (
	protoRESP     = proto("resp", "REdis Serialization Protocol")
	fRESPBadLenth = field("resp.malformed_length", "Malformed length specified", TypeNone)
)

func init() {
	TCPPorts.Register(6379, dissectRESP)
	registerText(protoRESP, textRESP)
	expert(fRESPBadLenth, expertInfo{severity: SeverityError, group: GroupUndecoded, protocol: "RESP",
		message: "Malformed length specified"})
}

func dissectRESP(t *Tree, off, end int) {
	l := t.AddLayer(protoRESP, off, end-off)
	b := t.Data[off:min(end, len(t.Data))]
	for p := 0; p < len(b); {
		c := b[p]
		e := respLineEnd(b, p)
		if e < 0 {
			return
		}
		if c == '$' || c == '*' {
			n, ok := respInt(b[p+1 : e])
			if ok && n < -1 {
				t.Add(l, fRESPBadLenth, off+p, e+2-p, 0)
				return
			}
			if c == '$' && ok && n >= 0 {
				e += 2 + int(min(n, int64(len(b))))
			}
		}
		p = e + 2
	}
}

// respLineEnd is the index of the CRLF that ends the line at p in b, or -1.
func respLineEnd(b []byte, p int) int {
	for i := p; i+1 < len(b); i++ {
		if b[i] == '\r' && b[i+1] == '\n' {
			return i
		}
	}
	return -1
}

// respInt reads a decimal length; false when it is not one or is too large
// for 32 bits.
func respInt(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
		if n > 1<<31 {
			return 1 << 32, true
		}
	}
	if neg {
		n = -n
	}
	return n, true
}

func textRESP(p *Printer, l int) {
	t := &p.t
	off, _, avail := layerBytes(t, p.Node(l))
	b := t.Data[off : off+avail]
	p.b = append(p.b, ": RESP"...)
	quote := func(s []byte) {
		p.b = append(p.b, " \""...)
		for _, c := range s {
			p.b = appendPrintable(p.b, c)
		}
		p.b = append(p.b, '"')
	}
	for i := 0; i < len(b); {
		c := b[i]
		switch c {
		case '+', '-', ':', '$', '*':
		default:
			// An inline command: a line ended by CR or LF, the line ends
			// after it skipped.
			for i < len(b) && (b[i] == '\r' || b[i] == '\n') {
				i++
			}
			if i == len(b) {
				return
			}
			j := i
			for j < len(b) && b[j] != '\r' && b[j] != '\n' {
				j++
			}
			quote(b[i:j])
			for i = j; i < len(b) && (b[i] == '\r' || b[i] == '\n'); i++ {
			}
			continue
		}
		e := respLineEnd(b, i)
		if e < 0 {
			p.b = append(p.b, " [|resp]"...)
			return
		}
		if c != '$' && c != '*' {
			quote(b[i+1 : e])
			i = e + 2
			continue
		}
		n, ok := respInt(b[i+1 : e])
		i = e + 2
		switch {
		case !ok:
			p.b = append(p.b, " invalid"...)
		case n == -1:
			p.b = append(p.b, " null"...)
		case n < -1:
			p.b = append(p.b, " length negative and not -1"...)
		case n > 1<<31-1:
			p.b = append(p.b, " length too large"...)
			return
		case c == '*':
			if n == 0 {
				p.b = append(p.b, " empty"...)
			}
		case n == 0:
			p.b = append(p.b, " empty"...)
			if i+2 > len(b) {
				p.b = append(p.b, " [|resp]"...)
				return
			}
			i += 2
		default:
			if int64(len(b)-i) < n+2 {
				p.b = append(p.b, " [|resp]"...)
				return
			}
			quote(b[i : i+int(n)])
			i += int(n) + 2
		}
	}
}
