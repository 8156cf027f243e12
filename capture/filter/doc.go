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
// # Errors
//
// The error messages are sockscope's own, not libpcap's: each says what
// is wrong where the caret points and what to write instead ("port 70000
// is past 65535: a port is 0 to 65535"; `missing ")": the "(" at column 8
// is not closed`), and a syntax error names what was expected at its
// column rather than saying "syntax error". They are refused in the same
// situations tcpdump refuses, so a tcpdump user knows them.
// TestErrorsAreOurOwn holds a table of bad expressions, one or more for
// each message, and runs each through tcpdump too: a message that shares
// a run of three words with tcpdump's (numbers and the expression's own
// words aside) fails it.
//
// Compilation has three steps: a recursive-descent parser builds a tree
// (parse.go, scanning in scan.go); the generator turns the tree into a
// condition of and/or/not over tests (cond.go; the design is described at
// the top of gen.go); the condition is lowered to a graph of blocks,
// simplified where one test decides a later one, and laid out as
// instructions (lower.go). print.go prints programs as tcpdump's -d, -dd
// and -ddd do; cooked.go moves a cooked capture's program into the
// kernel's view of a cooked socket.
//
// The generator is data and one small engine. linkSpecs (gen.go) says,
// per link type, where the protocol field and the network layer are and
// which link-layer primitives exist; protocols (protocols.go) says, per
// protocol name, its EtherType or IP protocol number and over which IP
// versions; addresses, ports and protocol numbers (hosts.go) are fields at
// fixed offsets of those headers; encapsulations (encap.go, chain.go)
// move the offsets for the rest of the expression. A new protocol is a
// row of protocols; a new link type a row of linkSpecs (and, if its
// header says the protocol another way, a framing).
//
// # Where sockscope may differ from tcpdump
//
// In the packets an expression both compile selects: only on packets too
// short for a load, and only where tcpdump's
// optimiser proves more than lower.go's simplifier: "not host A or not
// host B" (A and B IPv4 addresses, or nets) is true for a packet whose
// source is neither, whatever its destination; tcpdump's program knows it
// and never loads the destination, sockscope's loads it and so rejects an
// IPv4 packet cut off inside its destination address. On the captures of
// tcpdump's own tests (2000 random expressions each of seeds 21, 22, 23)
// that is 1 to 3 pairs of 4000, each the same truncated packet
// (ipv4_invalid_length.pcap); the other differences there come from
// malformed capture files, which tcpdump reads differently, not from the
// filter.
//
// The simplifier may also prove that an expression rejects all packets
// (an error) where tcpdump's optimiser stops short and compiles a program
// that selects nothing: "ip[0] = 1 or udp and udp[0] = 1 and tcp" is
// refused by sockscope and compiled by tcpdump, whose program keeps the
// test of ip[0] (both its edges lead to the same block) and tests for TCP
// after it has found UDP. Random expressions of seed 4 (4000 of them) had
// one such.
//
// "protochain" walks at most 12 extension headers: tcpdump's program
// loops back (which the kernel refuses, so tcpdump runs it in user space)
// and walks any number. As tcpdump's does, it takes the offset after an
// AH header to be that header's length alone.
//
// sockscope refuses a few expressions tcpdump compiles (all but the
// last are in TestErrorsAreOurOwn's table): "net ::1" (an IPv6 net
// without a prefix length), DECnet addresses past area 63 or node 1023 or
// 16 bits, and "decnet net"; "mpls and llc" and "pppoes and mpls" on
// Ethernet; a port range whose first name is another protocol's ("udp
// portrange http-443"). It compiles one kind that tcpdump refuses for
// want of scratch memory: arithmetic on loads nested 15 deep to the right
// ("ether[15] + (ether[14] + (... + ether[0]))"), where tcpdump stops at
// 14.
//
// "byte N & V" tests V against what A holds, not the byte at N, as
// tcpdump's program does (at the start of a program A is 0).
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
