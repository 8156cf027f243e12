// Command sockscope captures, decodes, crafts and replays packets on Linux,
// and shows side by side what each kind of socket (raw, stream, datagram,
// sequenced packet) puts on the wire. It is one static binary:
// CGO_ENABLED=0 go build works.
//
// Usage:
//
//	sockscope interfaces
//	sockscope decode  -r FILE|- [output flags] [FILTER...]
//	sockscope capture [-i IFACE|any] [-w FILE|-] [output flags] [FILTER...]
//	sockscope craft   [-i IFACE] [-c N --wait D -w FILE --dry-run] SPEC
//	sockscope compare [--kinds raw,stream,datagram,seqpacket] [--lab]
//	sockscope replay  -r FILE|- -i IFACE [--speed X] [FILTER...]
//
// Flags follow tcpdump's letters where tcpdump has the same meaning; sockscope
// --help and each command's --help list them all. Exit status 0 is success,
// 1 failed work, 2 a usage error.
//
// # Rooms
//
// main only runs commands and maps its error to an exit status. commands
// wires flags to capture (where packets come from and go to), decode (what
// the bytes mean) and craft (packets a user describes, sent through raw
// sockets; craft/compare and craft/replay). decode/wire, at the bottom,
// holds link types, checksums and IP walks for all of them. Nothing but
// main imports commands.
//
// # Tests
//
// main_test.go runs the built binary as a user does: decode against the
// golden outputs in testdata/golden and against tcpdump, craft's packets
// read back by tshark, replay, the exit codes, and mutated captures that
// must never crash it. main_linux_test.go sends crafted packets across a
// capture/capturetest lab and checks them on the far side; it skips without
// privilege and fails instead under SOCKSCOPE_REQUIRE_PRIV=1.
package main
