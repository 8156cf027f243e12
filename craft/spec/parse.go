package spec

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// The bounds of a spec, checked as it is read, so that a spec past one is
// refused at once, at the place it passes it.
const (
	// MaxPayload bounds fill(N), a string and hex:... (a payload's or an
	// option list's): what an IPv4 total length counts.
	MaxPayload = 65535
	// MaxPacket bounds the bytes a spec writes, all its layers together:
	// 64 KiB, the largest MTU Linux gives a link (lo's 65536) and more than
	// an IP length counts, and 1 KiB for the headers of the link.
	MaxPacket = 64<<10 + 1<<10
	// MaxLayers bounds the layers of a spec, payloads included: room for
	// stacks of VLAN tags and chains of IPv6 extension headers far past
	// what a network forwards.
	MaxLayers = 1024
	// MaxSpec bounds the text of a spec, in bytes: room for a 64 KiB
	// payload written as \xHH escapes, four times over.
	MaxSpec = 1 << 20
)

// Parse parses a spec. A bad spec is an *Error naming the problem and where
// it is: an unknown layer or field, a bad value, a duplicate field, a layer
// where it cannot be (tcp after udp), a missing required field (ip's dst),
// a spec past one of the bounds above.
func Parse(text string) (*Spec, error) {
	if len(text) > MaxSpec {
		return nil, &Error{Spec: text, Offset: MaxSpec,
			Msg: fmt.Sprintf("the spec is %d bytes, more than a spec may be (%d bytes)", len(text), MaxSpec)}
	}
	p := &parser{src: text, lx: lexer{src: text}}
	s := &Spec{Text: text}
	size := 0 // the bytes the layers read so far write, at the least
	for {
		l, err := p.layer()
		if err != nil {
			return nil, err
		}
		if err := p.placed(s.Layers, l); err != nil {
			return nil, err
		}
		if len(s.Layers) == MaxLayers {
			return nil, p.errf(l.Offset, "a spec has at most %d layers", MaxLayers)
		}
		if size += l.leastSize(); size > MaxPacket {
			return nil, p.errf(l.Offset, "the packet comes to %d bytes or more by this layer, more than a packet may hold (%d)", size, MaxPacket)
		}
		s.Layers = append(s.Layers, l)
		t := p.next()
		if t.kind == tEOF {
			break
		}
		if t.kind != tPunct || t.text != "/" {
			return nil, p.errf(t.off, "expected / between layers or the end of the spec, found %s", t.describe())
		}
	}
	return s, nil
}

// leastSize is the fewest bytes l takes in a packet: its header at its
// shortest and the bytes the spec gave it (payload, options, addresses,
// name). The builder, which pads and may add more, checks the whole.
func (l *Layer) leastSize() int {
	n := len(l.Data)
	for _, v := range l.Fields {
		n += len(v.Bytes)
	}
	return n + leastHeader[l.Kind]
}

// leastHeader is the fixed part of each layer's header, in bytes.
var leastHeader = [...]int{
	Ether: 14, VLAN: 4, ARP: 28, IPv4: 20, IPv6: 40, HopByHop: 2, Routing: 8, Fragment6: 8, DestOpts: 2,
	ICMP: 8, ICMPv6: 8, TCP: 20, UDP: 8, DNS: 16, Payload: 0,
}

type parser struct {
	src  string
	lx   lexer
	tok  token // the next token, when have
	have bool
}

func (p *parser) peek() token {
	if !p.have {
		p.tok, p.have = p.lx.next(), true
	}
	return p.tok
}

func (p *parser) next() token {
	t := p.peek()
	if t.kind != tEOF && t.kind != tBad {
		p.have = false
	}
	return t
}

// errf is the error at off; once the scanner has refused a character or a
// string, its error comes first, as the one the reader meets first.
func (p *parser) errf(off int, format string, args ...any) error {
	if p.lx.err != nil {
		return p.lx.err
	}
	return &Error{Spec: p.src, Offset: off, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) isPunct(s string) bool {
	t := p.peek()
	return t.kind == tPunct && t.text == s
}

func (p *parser) expectPunct(s, what string) error {
	t := p.next()
	if t.kind != tPunct || t.text != s {
		return p.errf(t.off, "expected %q %s, found %s", s, what, t.describe())
	}
	return nil
}

// layer parses one layer: a string, hex:..., fill(...), or NAME[(fields)].
func (p *parser) layer() (*Layer, error) {
	t := p.next()
	switch {
	case t.kind == tString:
		return &Layer{Kind: Payload, Name: "payload", Offset: t.off, Data: []byte(t.text)}, nil
	case t.kind == tWord && hasPrefixFold(t.text, "hex:"):
		b, err := p.hexBytes(t)
		if err != nil {
			return nil, err
		}
		return &Layer{Kind: Payload, Name: "payload", Offset: t.off, Data: b}, nil
	case t.kind == tWord && strings.EqualFold(t.text, "fill"):
		return p.fill(t)
	case t.kind != tWord:
		return nil, p.errf(t.off, "expected a layer (ether, ip, tcp...) or a payload (\"text\", hex:..., fill(N)), found %s", t.describe())
	}
	kind, ok := layerNames[strings.ToLower(t.text)]
	if !ok {
		return nil, p.errf(t.off, "unknown layer %s (layers: ether vlan arp ip ip6 hbh rh frag6 dstopts icmp icmp6 tcp udp dns; payloads: \"text\" hex:... fill(N))", quote(t.text))
	}
	l := &Layer{Kind: kind, Name: layerDefs[kind].name, Offset: t.off, Fields: map[string]Value{}}
	def := &layerDefs[kind]
	if p.isPunct("(") {
		p.next()
		if p.isPunct(")") {
			p.next()
		} else {
			for {
				if err := p.field(l, def); err != nil {
					return nil, err
				}
				if p.isPunct(",") {
					p.next()
					continue
				}
				if err := p.expectPunct(")", "or \",\" after a field"); err != nil {
					return nil, err
				}
				break
			}
		}
	}
	for _, r := range def.required {
		if !l.Has(r) {
			return nil, p.errf(l.Offset, "%s needs %s= (as %s)", l.Name, r, requiredExample[kind])
		}
	}
	return l, nil
}

var requiredExample = map[Kind]string{
	IPv4: "ip(dst=10.0.0.2)", IPv6: "ip6(dst=fd00::2)", ARP: "arp(pdst=10.0.0.2)", DNS: "dns(qname=example.com)",
}

// field parses NAME=VALUE into l.
func (p *parser) field(l *Layer, def *layerDef) error {
	t := p.next()
	if t.kind != tWord {
		return p.errf(t.off, "expected a field of %s (%s), found %s", l.Name, def.fieldNames(), t.describe())
	}
	name := strings.ToLower(t.text)
	fd := def.field(name)
	if fd == nil {
		return p.errf(t.off, "unknown field %s of %s (its fields: %s)", quote(t.text), l.Name, def.fieldNames())
	}
	if l.Has(name) {
		return p.errf(t.off, "%s %s is set twice", l.Name, name)
	}
	if err := p.expectPunct("=", "after the field name"); err != nil {
		return err
	}
	v, err := p.value(l, fd)
	if err != nil {
		return err
	}
	l.Fields[name] = v
	return nil
}

// value parses the value of field fd.
func (p *parser) value(l *Layer, fd *fieldDef) (Value, error) {
	t := p.peek()
	v := Value{Offset: t.off}
	what := l.Name + " " + fd.name
	switch fd.kind {
	case fTCPOpts, fIPOpts, fIP6Opts:
		b, err := p.options(what, fd.kind)
		v.Bytes = b
		return v, err
	case fAddrs6:
		b, err := p.addrs6(what)
		v.Bytes = b
		return v, err
	}
	t = p.next()
	if t.kind != tWord {
		return v, p.errf(t.off, "expected a value for %s, found %s", what, t.describe())
	}
	switch fd.kind {
	case fNum:
		if len(t.text) > 1 && strings.HasSuffix(t.text, "!") {
			t.text, v.Fixed = t.text[:len(t.text)-1], true
		}
		n, err := p.number(t, what, fd.names, fd.max)
		v.Num = n
		return v, err
	case fFlags:
		for {
			n, err := p.flagAtom(t, what, fd)
			if err != nil {
				return v, err
			}
			v.Num |= n
			if !p.isPunct("|") {
				return v, nil
			}
			p.next()
			t = p.next()
			if t.kind != tWord {
				return v, p.errf(t.off, "expected a flag after |, found %s", t.describe())
			}
		}
	case fMAC:
		mac, err := net.ParseMAC(t.text)
		if err != nil || len(mac) != 6 {
			return v, p.errf(t.off, "%s: %s is not a MAC address (as 02:00:00:00:00:01)", what, quote(t.text))
		}
		v.MAC = mac
	case fIPv4, fIPv6:
		a, err := netip.ParseAddr(t.text)
		switch {
		case err != nil:
			return v, p.errf(t.off, "%s: %s is not an IP address", what, quote(t.text))
		case fd.kind == fIPv4 && !a.Is4():
			return v, p.errf(t.off, "%s: %s is not an IPv4 address (IPv6 is ip6)", what, cut(t.text))
		case fd.kind == fIPv6 && !a.Is6():
			return v, p.errf(t.off, "%s: %s is not an IPv6 address (write IPv4 as ::ffff:%s, or use ip)", what, cut(t.text), cut(t.text))
		}
		v.Addr = a
	case fDNSName:
		b, err := encodeName(t.text)
		if err != "" {
			return v, p.errf(t.off, "%s: %s", what, err)
		}
		v.Bytes, v.Str = b, t.text
	}
	return v, nil
}

// number is a decimal or 0x number, or one of names, at most max.
func (p *parser) number(t token, what string, names map[string]uint64, max uint64) (uint64, error) {
	if n, ok := names[strings.ToLower(t.text)]; ok {
		return n, nil
	}
	n, err := parseUint(t.text, 64)
	if err != nil {
		if names != nil {
			return 0, p.errf(t.off, "%s: %s is neither a number nor a name it takes (%s)", what, quote(t.text), nameList(names))
		}
		return 0, p.errf(t.off, "%s: %s is not a number", what, quote(t.text))
	}
	if n > max {
		return 0, p.errf(t.off, "%s: %s is too big (at most %d)", what, cut(t.text), max)
	}
	return n, nil
}

// flagAtom is one flag: a number, a name, or a word of letters (tcp SA).
func (p *parser) flagAtom(t token, what string, fd *fieldDef) (uint64, error) {
	if n, ok := fd.names[strings.ToLower(t.text)]; ok {
		return n, nil
	}
	if t.text[0] >= '0' && t.text[0] <= '9' {
		return p.number(t, what, nil, fd.max)
	}
	if fd.letters != nil {
		var n uint64
		for i := 0; i < len(t.text); i++ {
			bit, ok := fd.letters[upper(t.text[i])]
			if !ok {
				return 0, p.errf(t.off+i, "%s: unknown flag letter %q (letters: %s; or names: %s)", what, t.text[i], letterList(fd.letters), nameList(fd.names))
			}
			n |= bit
		}
		return n, nil
	}
	return 0, p.errf(t.off, "%s: unknown flag %s (flags: %s, or a number)", what, quote(t.text), nameList(fd.names))
}

func upper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

func nameList(names map[string]uint64) string {
	var s []string
	for n := range names {
		s = append(s, n)
	}
	slices.Sort(s)
	return strings.Join(s, " ")
}

func letterList(letters map[byte]uint64) string {
	type lv struct {
		c byte
		v uint64
	}
	var s []lv
	for c, v := range letters {
		s = append(s, lv{c, v})
	}
	slices.SortFunc(s, func(a, b lv) int { return int(a.v) - int(b.v) })
	var b []byte
	for _, x := range s {
		b = append(b, x.c)
	}
	return string(b)
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// hexBytes decodes a hex:... word; separators : . - between bytes are allowed.
func (p *parser) hexBytes(t token) ([]byte, error) {
	s := t.text[len("hex:"):]
	var b []byte
	for i := 0; i < len(s); {
		if c := s[i]; c == ':' || c == '.' || c == '-' {
			i++
			continue
		}
		if i+1 >= len(s) {
			return nil, p.errf(t.off+4+i, "hex: odd number of digits; write each byte as two digits")
		}
		v, ok := hexByte(s[i], s[i+1])
		if !ok {
			bad := i
			if _, ok := hexDigit(s[i]); ok {
				bad++
			}
			return nil, p.errf(t.off+4+bad, "hex: %q is not a hex digit", s[bad])
		}
		if len(b) == MaxPayload {
			return nil, p.errf(t.off, "hex: more than %d bytes, more than a packet holds", MaxPayload)
		}
		b = append(b, v)
		i += 2
	}
	return b, nil
}

// fill parses fill(N) or fill(N,BYTE).
func (p *parser) fill(name token) (*Layer, error) {
	if err := p.expectPunct("(", "after fill: fill(N) or fill(N,0x41)"); err != nil {
		return nil, err
	}
	t := p.next()
	if t.kind != tWord {
		return nil, p.errf(t.off, "fill: expected a length, found %s", t.describe())
	}
	n, err := p.number(t, "fill length", nil, MaxPayload)
	if err != nil {
		return nil, err
	}
	var b uint64
	if p.isPunct(",") {
		p.next()
		t = p.next()
		if t.kind != tWord {
			return nil, p.errf(t.off, "fill: expected a byte value, found %s", t.describe())
		}
		if b, err = p.number(t, "fill byte", nil, 255); err != nil {
			return nil, err
		}
	}
	if err := p.expectPunct(")", "after fill's arguments"); err != nil {
		return nil, err
	}
	data := make([]byte, n)
	for i := range data {
		data[i] = byte(b)
	}
	return &Layer{Kind: Payload, Name: "payload", Offset: name.off, Data: data}, nil
}

// listItems parses [ITEM, ITEM...] where an item is a word, or NAME=VALUE
// with VALUE words joined by |; it calls fn for each.
func (p *parser) listItems(what string, fn func(name token, vals []token) error) error {
	if err := p.expectPunct("[", "to start the list of "+what); err != nil {
		return err
	}
	if p.isPunct("]") {
		p.next()
		return nil
	}
	for {
		name := p.next()
		if name.kind != tWord {
			return p.errf(name.off, "%s: expected an item, found %s", what, name.describe())
		}
		var vals []token
		if p.isPunct("=") {
			p.next()
			for {
				v := p.next()
				if v.kind != tWord {
					return p.errf(v.off, "%s: expected a value, found %s", what, v.describe())
				}
				vals = append(vals, v)
				if !p.isPunct("|") {
					break
				}
				p.next()
			}
		}
		if err := fn(name, vals); err != nil {
			return err
		}
		if p.isPunct(",") {
			p.next()
			continue
		}
		return p.expectPunct("]", "or \",\" in the list of "+what)
	}
}

func (p *parser) addrs6(what string) ([]byte, error) {
	var b []byte
	err := p.listItems(what, func(name token, vals []token) error {
		a, err := netip.ParseAddr(name.text)
		if err != nil || !a.Is6() || len(vals) > 0 {
			return p.errf(name.off, "%s: %s is not an IPv6 address", what, quote(name.text))
		}
		a16 := a.As16()
		b = append(b, a16[:]...)
		return nil
	})
	return b, err
}

// options parses an option list into its wire bytes, unpadded (the builder
// pads), or hex:... for any bytes at all.
func (p *parser) options(what string, kind fieldKind) ([]byte, error) {
	if t := p.peek(); t.kind == tWord && hasPrefixFold(t.text, "hex:") {
		p.next()
		return p.hexBytes(t)
	}
	var b []byte
	err := p.listItems(what+" options", func(name token, vals []token) error {
		if hasPrefixFold(name.text, "hex:") {
			raw, err := p.hexBytes(name)
			b = append(b, raw...)
			return err
		}
		opt := strings.ToLower(name.text)
		arg := func(i int, max uint64) (uint64, error) {
			if i >= len(vals) {
				return 0, p.errf(name.off, "%s option %s needs a value (as %s)", what, opt, optionExample[opt])
			}
			return p.number(vals[i], what+" "+opt, nil, max)
		}
		noArg := func() error {
			if len(vals) > 0 {
				return p.errf(vals[0].off, "%s option %s takes no value", what, opt)
			}
			return nil
		}
		switch kind {
		case fTCPOpts:
			return p.tcpOption(&b, what, opt, name, vals, arg, noArg)
		case fIPOpts:
			switch opt {
			case "eol", "nop":
				b = append(b, map[string]byte{"eol": 0, "nop": 1}[opt])
				return noArg()
			case "ra":
				b = append(b, 148, 4, 0, 0)
				return noArg()
			case "rr":
				n, err := arg(0, 9)
				b = append(b, 7, byte(3+4*n), 4)
				b = append(b, make([]byte, 4*n)...)
				return err
			}
			return p.errf(name.off, "unknown %s option %s (options: eol nop ra rr=N hex:...)", what, quote(name.text))
		default: // fIP6Opts
			switch opt {
			case "pad1":
				b = append(b, 0)
				return noArg()
			case "padn":
				n, err := arg(0, 257)
				if err == nil && n < 2 {
					return p.errf(vals[0].off, "%s padn: at least 2 bytes (pad1 is one)", what)
				}
				b = append(b, 1, byte(n-2))
				b = append(b, make([]byte, max(n, 2)-2)...)
				return err
			case "ra":
				n, err := arg(0, 0xffff)
				b = append(b, 5, 2, byte(n>>8), byte(n))
				return err
			case "jumbo":
				n, err := arg(0, 0xffffffff)
				b = append(b, 0xc2, 4)
				b = binary.BigEndian.AppendUint32(b, uint32(n))
				return err
			}
			return p.errf(name.off, "unknown %s option %s (options: pad1 padn=N ra=N jumbo=N hex:...)", what, quote(name.text))
		}
	})
	return b, err
}

var optionExample = map[string]string{
	"mss": "mss=1460", "wscale": "wscale=7", "ts": "ts=1:0", "sack": "sack=1000:2000", "rr": "rr=3",
	"padn": "padn=4", "ra": "ra=0", "jumbo": "jumbo=70000",
}

func (p *parser) tcpOption(b *[]byte, what, opt string, name token, vals []token,
	arg func(int, uint64) (uint64, error), noArg func() error) error {
	pair := func(t token) (uint32, uint32, error) {
		l, r, ok := strings.Cut(t.text, ":")
		a, err1 := parseUint(l, 32)
		c, err2 := parseUint(r, 32)
		if !ok || err1 != nil || err2 != nil {
			return 0, 0, p.errf(t.off, "%s %s: %s is not two 32-bit numbers A:B (as %s)", what, opt, quote(t.text), optionExample[opt])
		}
		return uint32(a), uint32(c), nil
	}
	switch opt {
	case "eol", "nop", "sackok":
		*b = append(*b, map[string][]byte{"eol": {0}, "nop": {1}, "sackok": {4, 2}}[opt]...)
		return noArg()
	case "mss":
		n, err := arg(0, 0xffff)
		*b = append(*b, 2, 4, byte(n>>8), byte(n))
		return err
	case "wscale":
		n, err := arg(0, 255)
		*b = append(*b, 3, 3, byte(n))
		return err
	case "ts", "sack":
		if len(vals) == 0 || (opt == "ts" && len(vals) > 1) || len(vals) > 4 {
			return p.errf(name.off, "%s option %s takes %s", what, opt, map[string]string{"ts": "one value VAL:ECR (as ts=1:0)", "sack": "one to four blocks LEFT:RIGHT joined with | (as sack=1000:2000)"}[opt])
		}
		if opt == "ts" {
			*b = append(*b, 8, 10)
		} else {
			*b = append(*b, 5, byte(2+8*len(vals)))
		}
		for _, v := range vals {
			l, r, err := pair(v)
			if err != nil {
				return err
			}
			*b = binary.BigEndian.AppendUint32(*b, l)
			*b = binary.BigEndian.AppendUint32(*b, r)
		}
		return nil
	}
	return p.errf(name.off, "unknown %s option %s (options: mss=N sackok wscale=N ts=VAL:ECR sack=L:R nop eol hex:...)", what, quote(name.text))
}

// encodeName is a DNS name in wire form; "." is the root. The problem, if
// any, is returned as a message.
func encodeName(name string) ([]byte, string) {
	if name == "." {
		return []byte{0}, ""
	}
	name = strings.TrimSuffix(name, ".")
	var b []byte
	for _, label := range strings.Split(name, ".") {
		switch {
		case label == "":
			return nil, fmt.Sprintf("%s has an empty label (two dots in a row)", quote(name))
		case len(label) > 63:
			return nil, fmt.Sprintf("label %s is longer than 63 bytes", quote(label))
		}
		b = append(b, byte(len(label)))
		b = append(b, label...)
	}
	b = append(b, 0)
	if len(b) > 255 {
		return nil, fmt.Sprintf("%s is longer than 255 bytes in wire form", quote(name))
	}
	return b, ""
}

// placed checks that l may come after the layers before it.
func (p *parser) placed(before []*Layer, l *Layer) error {
	if len(before) == 0 {
		if l.Kind != Ether && l.Kind != IPv4 && l.Kind != IPv6 {
			return p.errf(l.Offset, "a spec starts with ether, ip or ip6, not %s", l.Name)
		}
		return nil
	}
	prev := before[len(before)-1]
	def := &layerDefs[prev.Kind]
	if slices.Contains(def.follow, l.Kind) {
		return nil
	}
	return p.errf(l.Offset, "%s cannot follow %s (%s)", l.Name, prev.Name, def.hint)
}

// parseUint reads decimal, or hex after 0x. A leading 0 is not octal: ttl=010 is ten.
func parseUint(s string, bits int) (uint64, error) {
	if hasPrefixFold(s, "0x") {
		return strconv.ParseUint(s[2:], 16, bits)
	}
	return strconv.ParseUint(s, 10, bits)
}
