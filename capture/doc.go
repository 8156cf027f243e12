// Package capture owns where packets come from and go to: pcap and pcapng
// files and streams, read and written, and, on Linux, live capture. It never
// decodes packet contents (that is decode's job) and prints nothing but
// capture files.
//
// # Sources and the loop
//
// A Source hands out packets as bytes plus a gopacket.CaptureInfo. *Reader
// reads a pcap or pcapng file (Open, which reads ahead of the caller) or a
// stream such as standard input (NewReader). *Live (OpenLive, LiveConfig) is
// an AF_PACKET socket with a TPACKET_V3 ring mapped into the process; its
// classic BPF filter (LiveConfig.SetFilter, compiled by capture/filter) is
// attached before the socket is bound, and runs in user space when the
// kernel cannot run it as tcpdump means it. Stats reports the kernel's
// counts. Devices lists interfaces as tcpdump -D does.
//
// Loop is the one packet loop that decode, capture and replay share: it
// reads a Source to its end, runs a file's filter per interface (a
// filter.PerLink), and hands each selected packet and its link type to a
// Handler, calling its Flush whenever the source has nothing at hand.
//
// # Output
//
// PcapWriter and PcapngWriter write the two formats (the Writer interface).
// Output is the one owner of a -w file or of standard output: it writes the
// header (from a Source's interfaces with OpenOutput, as told after
// CreateOutput), counts the packets that are whole in the file, and after a
// failed write cuts a file it created back to the last whole packet, so the
// file holds exactly the packets the user is told of.
//
// # Imports and tests
//
// capture imports capture/filter and decode/wire, never decode, craft or
// commands; commands, craft/compare and craft/replay import it. Tests: file
// round trips and malformed files, FuzzReadFile, allocation checks and
// benchmarks; oracle tests in which tcpdump, tshark and the Wireshark tools
// read our files and we read theirs; and live tests that capture beside
// tcpdump in a namespace lab of capture/capturetest, skipped without
// privilege and failing instead under SOCKSCOPE_REQUIRE_PRIV=1.
package capture
