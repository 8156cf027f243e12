// Package decode turns packet bytes into meaning: a registry of fields under
// Wireshark's display-filter names, dissectors that fill one reusable tree
// per packet, and renderers that read the tree (tcpdump's text, JSON lines,
// tshark's -T fields).
// It is pure functions of bytes: it opens no socket and reads no file; its
// callers hand it each packet with its gopacket.CaptureInfo and link type.
//
// # The engine
//
// Each protocol declares its fields once (Field, FieldID; Lookup and Fields
// read the registry). A Dissector reads one layer, adds it and its fields to
// the Tree with offsets and lengths, and calls the next dissector, which a
// Table picks by the value of the layer below: LinkTypes, Ethertypes,
// IPProtocols, UDPPorts, TCPPorts. Protocols register into the tables when
// the package initialises. Tree.Dissect starts at the frame and its link
// type; a layer cut short by the capture's end is marked Truncated. The
// tree keeps its slices from packet to packet, so dissecting allocates
// nothing once warm.
//
// Printer renders the tree as tcpdump's lines (Options holds tcpdump's
// output flags: -e, -v, -q, -x, -X, -A, -t), through one text function
// per protocol and one reused buffer; a layer cut short ends in tcpdump's
// mark ("[|tcp]") where tcpdump prints one.
// JSONPrinter writes one JSON object a line, keyed by the registry's names.
// FieldsPrinter writes the fields -e names as tshark -T fields does (-E's
// options in FieldsOptions). All three have Print and Flush of the same
// shape, which capture.Loop hands packets to; Options.Position tells them
// where a packet stands in its input when the caller leaves packets out (a
// display filter), so frame numbers and relative times stay the input's.
// Tree.Each walks every occurrence of a field, which the renderers, the
// display filters and Parquet read values with; Nearest offers the field
// names nearest an unknown one. CheckLink and Supported say which link
// types the printers read.
//
// # Beside it
//
// decode/display compiles Wireshark's display-filter language (-Y) into a
// Filter that matches a Tree; decode/parquet writes a Tree's fields as
// Parquet rows; decode/flow follows conversations and reassembles TCP;
// decode/wire holds link types, checksums and the IP walks every package
// uses; decode/caret draws the caret under an error in an expression.
//
// # Imports and tests
//
// Of sockscope's packages it imports decode/wire only, neither capture nor
// craft; commands, craft/compare and craft/replay import it. Its oracle
// tests print real captures of testdata/ and hand-made packets and compare
// the lines with tcpdump's on the same file in several flag sets, and the
// JSON and the registry's names and types with tshark's; each skips when
// its tool is missing and fails instead under SOCKSCOPE_REQUIRE_PRIV=1.
// Fuzz targets (FuzzDecode, FuzzDNS, FuzzIPLayers, FuzzTransport,
// FuzzJSONPrint) feed it arbitrary bytes; allocation tests and benchmarks
// hold the hot path to no allocation per packet. The golden outputs of
// testdata/golden are checked by the root package's end-to-end tests.
package decode
