// Package commands wires sockscope's command-line flags to the capture,
// decode and craft packages. It holds no protocol logic: each file reads
// the flags of one command, builds a configuration, calls a package, and
// maps the error to an exit code. It chooses what is printed and where:
// packets and reports on standard output, talk and errors on standard error.
//
// App is the urfave/cli application and Run its entry point, which first
// moves options written after the arguments, as getopt does; ExitCode
// gives 2 for a UsageError and 1 for failed work. One file per command:
// decode.go and capture.go (each a capture.Source through one capture.Loop
// into a decode printer or a capture.Output), interfaces.go, craft.go (with
// craft_wait.go: --wait reads a capture.Live with a craft.Waiter, --listen a
// raw socket), compare.go and replay.go. The flags commands share are in
// output.go (decode's printers), filter.go (the trailing filter expression
// and -d) and bounds.go.
//
// It imports capture, capture/filter, craft, craft/compare, craft/replay,
// craft/spec, decode and decode/wire; only the root package imports it, and
// nothing in capture, decode or craft does. Most of its tests run the
// sockscope binary, built once without cgo, as a user does: capture, its
// filters and craft --wait and --listen in a capture/capturetest lab beside
// tcpdump, compare on loopback and across its own lab. Those that need
// privilege skip without it and fail instead under SOCKSCOPE_REQUIRE_PRIV=1;
// the option-moving and compare's bounds tests need nothing. The rest of
// the binary's end-to-end tests are the root package's.
package commands
