// Package filter compiles pcap-filter(7) expressions, the language tcpdump
// takes, to classic BPF programs (golang.org/x/net/bpf) in pure Go, and
// runs them on packets. It owns the language and its meaning; it opens no
// socket, and no file but /etc's name files (Names).
//
// # Entry points
//
// Compile and CompileOptions turn an expression and a link type into
// []bpf.Instruction; a bad expression is an *Error that points at its
// column (with decode/caret). The same program runs in two places:
// attached to a live packet socket (Options.Live, and KernelProgram, which
// adapts it to what the kernel sees on cooked sockets or says it cannot),
// and on packets read from files by Matcher, its own interpreter, which
// runs a program as tcpdump -r does where that differs from x/net/bpf's VM.
// PerLink compiles one expression per link type, byte order and snapshot
// length, for files whose interfaces differ; capture.Loop uses it. Dump
// prints programs as tcpdump's -d, -dd and -ddd do. A program selects the
// packets tcpdump selects with the same expression; its instructions are
// sockscope's own and may differ from tcpdump's.
//
// Compilation has three steps: a recursive-descent parser builds a tree
// (parse.go, scanning in scan.go); the generator turns the tree into a
// condition of and/or/not over tests (gen.go, arith.go); the condition is
// lowered to a graph of blocks, simplified where one test decides a later
// one, and laid out as instructions (lower.go).
//
// # Imports and tests
//
// It imports only decode/caret and decode/wire of sockscope's;
// capture, commands, craft/compare and craft/replay import it. The oracle
// tests run every expression of testdata/filters.txt, and random ones
// written from the grammar, on the captures in testdata/ and on copies of
// them in the other link types, and require that tcpdump and sockscope
// select the same packets or both reject the expression. FuzzCompileFilter
// keeps its seeds in testdata/fuzz; other tests pin the Matcher against
// x/net/bpf's VM, its allocations, and the compiler's cost on long and
// deeply nested expressions.
package filter
