// Package craft turns the packets a user describes (a spec, see craft/spec)
// into the bytes that go on the wire: every field the user wrote kept
// exactly, even when it is wrong, and the rest filled with sane defaults
// (lengths, checksums, protocol numbers chained from layer to layer); and
// sends them (raw IP and packet sockets, paced or flooded), finds routes
// and next-hop MACs, matches replies to probes and listens on raw sockets.
// It prints nothing; the command decides what the user sees. Ordinary
// sockets side by side (compare) and capture replay are craft/compare's
// and craft/replay's, which build on it.
package craft
