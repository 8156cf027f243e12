// Package craft turns the packets a user describes (a spec, see craft/spec)
// into the bytes that go on the wire: every field the user wrote kept
// exactly, even when it is wrong, and the rest filled with sane defaults
// (lengths, checksums, protocol numbers chained from layer to layer); and
// sends them (raw IP and packet sockets, paced or flooded), finds routes
// and next-hop MACs, matches replies to probes and listens on raw sockets.
// It writes nothing to the terminal (ReplyStats.Summary is a string); the
// command decides what the user sees.
//
// Build makes a Builder from a spec.Spec; Packet(i) is packet i of a run.
// TargetFor says where the packets go (RouteTo, NeighborMAC and a
// HopFinder fill in what the spec leaves out); Open gives the Sender for a
// Target, whose Send paces a Run with a Pacer or floods in batches, and
// SendStream puts the spec's headers over the lines or bytes of a stream.
// ReplyFilter and a Waiter (reading a PacketSource, a live capture the
// command opens) match replies to probes; ListenRaw is craft --listen.
//
// Ordinary sockets side by side are craft/compare's, capture replay is
// craft/replay's; both build on this package. Of sockscope's packages it
// imports craft/spec and decode/wire only, never capture or decode.
// commands, craft/compare and craft/replay import it.
//
// Tests: builder and reply-matching tables; FuzzParseSpec (every spec the
// parser accepts builds, and decode prints it) and FuzzReplyMatch;
// allocation tests and benchmarks of the flood; lab tests of routes and
// neighbour discovery in a capture/capturetest namespace pair, skipped
// without privilege. The craft oracle (tshark reads what craft sends) is in
// the root package's end-to-end tests.
package craft
