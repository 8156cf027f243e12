// Package spec parses the craft spec language: layers joined by "/" as in
// scapy, each with the header fields the user sets, such as
// ether(dst=02:00:00:00:00:01)/ip(dst=10.0.0.2,ttl=3)/tcp(dport=80,flags=S)/"hello".
// It owns the grammar, the names of layers, fields and values, and which
// layer may follow which; it builds no bytes (package craft does) and opens
// nothing.
//
// Parse gives a Spec: its Layers, outermost first, each of a Kind with the
// fields the user wrote, by name, as Values in their field's form (a field
// left out is the builder's to fill). A bad spec is an *Error that names
// the byte at fault and draws a caret under it (decode/caret). The
// bounds (MaxSpec, MaxLayers, MaxPacket, MaxPayload) are checked as the
// spec is read, so that a huge spec fails at once.
//
// Of sockscope's packages it imports decode/caret only; craft,
// craft/compare and commands import it. Its tests are tables of specs,
// good and bad, and of the limits; the fuzz target that parses arbitrary
// specs, FuzzParseSpec, is craft's, since it also builds what parses.
package spec
