package decode

import (
	"fmt"
	"math/bits"
)

// FieldType is the type of a field's value, named as Wireshark names it
// (tshark -G fields lists each field with one of these).
type FieldType uint8

// The field types decode uses.
const (
	TypeNone       FieldType = iota // FT_NONE: a label or a group, no value of its own
	TypeProtocol                    // FT_PROTOCOL: a layer
	TypeBoolean                     // FT_BOOLEAN: a flag, usually one bit of a Mask
	TypeChar                        // FT_CHAR: one ASCII byte
	TypeUint8                       // FT_UINT8
	TypeUint16                      // FT_UINT16
	TypeUint24                      // FT_UINT24
	TypeUint32                      // FT_UINT32
	TypeUint40                      // FT_UINT40
	TypeUint48                      // FT_UINT48
	TypeUint56                      // FT_UINT56
	TypeUint64                      // FT_UINT64
	TypeInt8                        // FT_INT8
	TypeInt16                       // FT_INT16
	TypeInt24                       // FT_INT24
	TypeInt32                       // FT_INT32
	TypeInt64                       // FT_INT64
	TypeFloat                       // FT_FLOAT
	TypeDouble                      // FT_DOUBLE
	TypeAbsTime                     // FT_ABSOLUTE_TIME: Val is Unix nanoseconds
	TypeRelTime                     // FT_RELATIVE_TIME: Val is nanoseconds (signed)
	TypeEther                       // FT_ETHER: 6 bytes
	TypeEUI64                       // FT_EUI64: 8 bytes
	TypeIPv4                        // FT_IPv4: 4 bytes
	TypeIPv6                        // FT_IPv6: 16 bytes
	TypeBytes                       // FT_BYTES
	TypeUintBytes                   // FT_UINT_BYTES: bytes after a length
	TypeString                      // FT_STRING
	TypeStringz                     // FT_STRINGZ: NUL-terminated
	TypeStringzPad                  // FT_STRINGZPAD: NUL-padded to a fixed size
	TypeUintString                  // FT_UINT_STRING: a string after a length
	TypeFrameNum                    // FT_FRAMENUM
	TypeGUID                        // FT_GUID
	TypeOID                         // FT_OID
	numFieldTypes
)

var fieldTypeNames = [numFieldTypes]string{
	"FT_NONE", "FT_PROTOCOL", "FT_BOOLEAN", "FT_CHAR",
	"FT_UINT8", "FT_UINT16", "FT_UINT24", "FT_UINT32", "FT_UINT40", "FT_UINT48", "FT_UINT56", "FT_UINT64",
	"FT_INT8", "FT_INT16", "FT_INT24", "FT_INT32", "FT_INT64",
	"FT_FLOAT", "FT_DOUBLE", "FT_ABSOLUTE_TIME", "FT_RELATIVE_TIME",
	"FT_ETHER", "FT_EUI64", "FT_IPv4", "FT_IPv6", "FT_BYTES", "FT_UINT_BYTES",
	"FT_STRING", "FT_STRINGZ", "FT_STRINGZPAD", "FT_UINT_STRING", "FT_FRAMENUM", "FT_GUID", "FT_OID",
}

// String is the type's Wireshark name, such as FT_UINT16.
func (t FieldType) String() string {
	if t < numFieldTypes {
		return fieldTypeNames[t]
	}
	return fmt.Sprintf("FieldType(%d)", uint8(t))
}

// IsInteger reports whether values of type t are held in Node.Val as an
// unsigned (or, for the Int types, two's complement) integer.
func (t FieldType) IsInteger() bool {
	return (t >= TypeBoolean && t <= TypeInt64) || t == TypeFrameNum
}

// isSigned reports whether t's integer is signed.
func (t FieldType) isSigned() bool { return t >= TypeInt8 && t <= TypeInt64 }

// A FieldID names a registered field; 0 is no field.
type FieldID uint16

// Field is one protocol or field decode knows, declared once.
type Field struct {
	Name  string    // Wireshark's display-filter name: "tcp.srcport"; a protocol's is "tcp"
	Title string    // what Wireshark shows before the value: "Source Port"
	Type  FieldType // the type tshark -G fields gives
	// Mask is the bits of the enclosing integer the field takes (0: all). A
	// node of a masked field holds the value shifted down to bit 0.
	Mask uint64
	// Values names the values of an enumerated field (ICMP types, ethertypes).
	Values map[uint64]string
	// Hex says that the value is best shown in hexadecimal (flags, ids, ethertypes).
	Hex bool
	// Proto is the field's protocol: set by register from the name's prefix.
	Proto FieldID
	// Bits are the fields whose values are bits of this one's (the flags of
	// tcp.flags): they are not nodes of the tree, which would cost a node
	// each per packet, but are read from this field's node by Tree.Value and
	// written by the JSON renderer beside it.
	Bits []FieldID
	// BitOf is the field whose value holds this one's bits, or 0.
	BitOf FieldID
	// BitIf, for a bit field, are the bits of its parent's value that must
	// all be set for the field to be there at all, as Wireshark adds some
	// flags under a condition (dns.flags.authoritative in responses only);
	// 0: always there. Tree.Value, Tree.Each and the renderers honour it.
	BitIf uint64
}

// registry holds every field; index 0 is the empty field.
var registry = []Field{{}}

// byName finds a field from its name.
var byName = map[string]FieldID{}

// register declares a field once, at package initialisation. A name given
// twice is a programming error.
func register(f Field) FieldID {
	if _, dup := byName[f.Name]; dup {
		panic("decode: field " + f.Name + " registered twice")
	}
	if len(registry) >= 1<<16-1 {
		panic("decode: too many fields")
	}
	id := FieldID(len(registry))
	if f.Type != TypeProtocol {
		// The protocol is the longest registered prefix before a dot.
		for i := len(f.Name) - 1; i > 0; i-- {
			if f.Name[i] == '.' {
				if p, ok := byName[f.Name[:i]]; ok && registry[p].Type == TypeProtocol {
					f.Proto = p
					break
				}
			}
		}
	} else {
		f.Proto = id
	}
	registry = append(registry, f)
	byName[f.Name] = id
	return id
}

// proto declares a protocol: a layer of the tree.
func proto(name, title string) FieldID {
	return register(Field{Name: name, Title: title, Type: TypeProtocol})
}

// field declares a field of type typ.
func field(name, title string, typ FieldType) FieldID {
	return register(Field{Name: name, Title: title, Type: typ})
}

// flagField declares a boolean that is the bits mask of its parent integer.
func flagField(name, title string, mask uint64) FieldID {
	return register(Field{Name: name, Title: title, Type: TypeBoolean, Mask: mask})
}

// enumField declares an integer field whose values have names.
func enumField(name, title string, typ FieldType, values map[uint64]string) FieldID {
	return register(Field{Name: name, Title: title, Type: typ, Values: values})
}

// Lookup finds a registered field by its name.
func Lookup(name string) (FieldID, bool) {
	id, ok := byName[name]
	return id, ok
}

// Fields calls fn for every registered field, in registration order.
func Fields(fn func(id FieldID, f *Field)) {
	for i := 1; i < len(registry); i++ {
		fn(FieldID(i), &registry[i])
	}
}

// Info is the declaration of field id.
func (id FieldID) Info() *Field { return &registry[id] }

// Name is the field's display-filter name.
func (id FieldID) Name() string { return registry[id].Name }

// String is the field's name.
func (id FieldID) String() string { return registry[id].Name }

// deriveBits declares children as bits of parent (see Field.Bits), at
// initialisation. A child's Mask and the parent's are Wireshark's masks over
// the same bytes: the parent's node holds its value shifted down by its own
// mask, and a child's value is its mask's bits of that, shifted down.
func deriveBits(parent FieldID, children ...FieldID) {
	registry[parent].Bits = append(registry[parent].Bits, children...)
	for _, c := range children {
		if registry[c].Mask == 0 {
			panic("decode: bit field " + registry[c].Name + " has no mask")
		}
		registry[c].BitOf = parent
	}
}

// BitPresent reports whether bit field id is there when its parent's node
// holds the value v (see Field.BitIf); it is true for every other field.
func (id FieldID) BitPresent(v uint64) bool {
	c := registry[id].BitIf
	return v&c == c
}

// shiftOf is how far a mask's lowest bit is from bit 0 (0 for no mask).
func shiftOf(mask uint64) int {
	if mask == 0 {
		return 0
	}
	return bits.TrailingZeros64(mask)
}

// bitValue is bit field c's value, given its parent's value v.
func bitValue(c FieldID, v uint64) uint64 {
	f := &registry[c]
	raw := v << shiftOf(registry[f.BitOf].Mask)
	return (raw & f.Mask) >> shiftOf(f.Mask)
}
