// Package craft turns the packets a user describes (a spec, see craft/spec)
// into the bytes that go on the wire: every field the user wrote kept
// exactly, even when it is wrong, and the rest filled with sane defaults
// (lengths, checksums, protocol numbers chained from layer to layer). It
// opens no capture and prints nothing; the command decides where the bytes go.
package craft
