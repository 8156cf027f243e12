package display

import (
	"bytes"
	"math"
	"regexp"

	"github.com/sockscope/sockscope/decode"
)

// kind is how the values of an operand compare.
type kind uint8

const (
	kNone    kind = iota // presence only (FT_NONE, times)
	kUint                // unsigned integers, booleans, frame numbers
	kInt                 // signed integers
	kFloat               // float64 bits
	kRelTime             // a time offset: signed nanoseconds
	kAbsTime             // a date and time: Unix nanoseconds
	kBytes               // byte strings, protocols, slices: compared byte by byte
	kString              // strings: compared byte by byte, match regular expressions
	kEther               // 6-byte addresses
	kIPv4                // addresses, with a prefix in constants
	kIPv6
	kEUI64
)

func (k kind) ordered() bool { return k != kNone }

func (k kind) bytesLike() bool { return k >= kBytes }

// kindOf is the kind of a field's values.
func kindOf(f *decode.Field) kind {
	switch f.Type {
	case decode.TypeBoolean, decode.TypeChar, decode.TypeUint8, decode.TypeUint16, decode.TypeUint24,
		decode.TypeUint32, decode.TypeUint40, decode.TypeUint48, decode.TypeUint56, decode.TypeUint64,
		decode.TypeFrameNum:
		return kUint
	case decode.TypeInt8, decode.TypeInt16, decode.TypeInt24, decode.TypeInt32, decode.TypeInt64:
		return kInt
	case decode.TypeFloat, decode.TypeDouble:
		return kFloat
	case decode.TypeRelTime:
		return kRelTime
	case decode.TypeAbsTime:
		return kAbsTime
	case decode.TypeEther:
		return kEther
	case decode.TypeEUI64:
		return kEUI64
	case decode.TypeIPv4:
		return kIPv4
	case decode.TypeIPv6:
		return kIPv6
	case decode.TypeBytes, decode.TypeUintBytes, decode.TypeProtocol, decode.TypeGUID, decode.TypeOID:
		return kBytes
	case decode.TypeString, decode.TypeStringz, decode.TypeStringzPad, decode.TypeUintString:
		return kString
	}
	return kNone
}

// typeName is how an error names a field's type, as tshark does.
func typeName(t decode.FieldType) string {
	switch t {
	case decode.TypeBoolean:
		return "Boolean"
	case decode.TypeChar:
		return "Character, 1 byte"
	case decode.TypeUint8, decode.TypeUint16, decode.TypeUint24, decode.TypeUint32,
		decode.TypeUint40, decode.TypeUint48, decode.TypeUint56, decode.TypeUint64:
		return "Unsigned integer (" + itoa(bitsOf(t)/8) + " bytes)"
	case decode.TypeInt8, decode.TypeInt16, decode.TypeInt24, decode.TypeInt32, decode.TypeInt64:
		return "Signed integer (" + itoa(bitsOf(t)/8) + " bytes)"
	case decode.TypeEther:
		return "Ethernet or other MAC address"
	case decode.TypeIPv4:
		return "IPv4 address"
	case decode.TypeIPv6:
		return "IPv6 address"
	case decode.TypeBytes, decode.TypeUintBytes:
		return "Byte sequence"
	case decode.TypeString, decode.TypeStringz, decode.TypeStringzPad, decode.TypeUintString:
		return "Character string"
	case decode.TypeProtocol:
		return "Protocol"
	case decode.TypeNone:
		return "Label"
	case decode.TypeAbsTime:
		return "Date and time"
	case decode.TypeRelTime:
		return "Time offset"
	case decode.TypeFloat, decode.TypeDouble:
		return "Floating point"
	case decode.TypeFrameNum:
		return "Frame number"
	}
	return t.String()
}

// bitsOf is the width of an integer type.
func bitsOf(t decode.FieldType) int {
	switch t {
	case decode.TypeBoolean, decode.TypeChar, decode.TypeUint8, decode.TypeInt8:
		return 8
	case decode.TypeUint16, decode.TypeInt16:
		return 16
	case decode.TypeUint24, decode.TypeInt24:
		return 24
	case decode.TypeUint32, decode.TypeInt32, decode.TypeFrameNum:
		return 32
	case decode.TypeUint40:
		return 40
	case decode.TypeUint48:
		return 48
	case decode.TypeUint56:
		return 56
	}
	return 64
}

// constant is a literal converted for the operand it is compared with.
type constant struct {
	u      uint64 // kUint, kInt (two's complement), kFloat (bits)
	b      []byte // the byte kinds
	prefix int    // bits of an address to compare; -1 all
	hi     *constant
	re     *regexp.Regexp
	// neg marks a negative value given for an unsigned field: tshark 4.0
	// orders it only against a signed result (a difference below zero, a
	// unary minus), and never against the field's own values.
	neg bool

	// The literal as written, before conversion.
	litText string
	litKind tokKind
	litVal  uint64
}

// cmpOp is a comparison.
type cmpOp uint8

const (
	opEq cmpOp = iota
	opNe
	opLt
	opLe
	opGt
	opGe
	opContains
	opMatches
	opIn
)

// order compares a with b as values of kind k: -1, 0 or 1.
func order(k kind, a, b uint64) int {
	switch k {
	case kInt, kRelTime, kAbsTime:
		x, y := int64(a), int64(b)
		if x < y {
			return -1
		} else if x > y {
			return 1
		}
		return 0
	case kFloat:
		x, y := math.Float64frombits(a), math.Float64frombits(b)
		if x < y {
			return -1
		} else if x > y {
			return 1
		}
		return 0
	}
	if a < b {
		return -1
	} else if a > b {
		return 1
	}
	return 0
}

// prefixOrder compares a with b over their first bits bits (all when bits is
// negative).
func prefixOrder(a, b []byte, bits int) int {
	if bits < 0 || len(a) != len(b) {
		return bytes.Compare(a, b)
	}
	n := bits / 8
	if n > len(a) {
		n = len(a)
	}
	if c := bytes.Compare(a[:n], b[:n]); c != 0 || n == len(a) {
		return c
	}
	if r := bits % 8; r != 0 {
		m := byte(0xff << (8 - r))
		x, y := a[n]&m, b[n]&m
		if x < y {
			return -1
		} else if x > y {
			return 1
		}
	}
	return 0
}

// holds says whether relation op holds for an order result c.
func holds(op cmpOp, c int) bool {
	switch op {
	case opEq:
		return c == 0
	case opNe:
		return c != 0
	case opLt:
		return c < 0
	case opLe:
		return c <= 0
	case opGt:
		return c > 0
	case opGe:
		return c >= 0
	}
	return false
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
