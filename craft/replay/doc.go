// Package replay sends the packets of a capture file back out: onto a link
// as they were recorded (or rewritten), at the file's own pace or faster,
// and, as one conversation through ordinary sockets, to a live server whose
// answers it compares with the recorded ones.
//
// It reads files with capture, selects packets with capture/filter, sends
// frames through craft's packet socket and prints with decode; it never
// captures, and never sends anywhere but the interface or address it is
// given.
//
// File replays a capture onto an interface as Options say (pace, rate,
// loops, a filter, a Rewrite of MAC and IP addresses whose checksums are
// updated incrementally or recomputed, a dry run that prints each packet as
// decode does instead of sending it); it reads the file with a capture.Loop. ListFlows and WriteFlows list a capture's
// conversations (decode/flow), and Converse replays one of them to a live
// server and reports, per exchange, whether its answers match.
//
// Of sockscope's packages it imports capture, capture/filter, craft,
// decode, decode/flow and decode/wire; only commands imports it. Its tests:
// rewrites against recomputed checksums and tshark's verdicts, FuzzRewrite
// and FuzzCompareAnswers, conversations replayed to test servers, a corpus
// of strangers' captures beside the project that must never panic or hang
// (skipped when absent), and privileged replays across a capture/capturetest
// lab, byte for byte and at the file's pace.
package replay
