// Package compare is sockscope compare: it sends the same messages through
// each kind of socket (raw, stream, datagram, sequenced packet), captures
// what each puts on the wire, and reports, side by side, what the sender
// wrote, what crossed the link and what the receiver read.
//
// Run runs the kinds on loopback, RunInLab across a veth between two
// network namespaces (Lab, built on craft/labns) whose link can lose,
// delay and reorder packets. A Report is printed by the package itself:
// as a table (WriteTable), a ladder diagram (WriteDiagram) or JSON
// (WriteJSON). The raw kind's packets are built and sent by craft; the
// first data packet of each kind is shown as decode prints it.
//
// It only ever sends to itself: loopback, or the namespaces of its lab.
// The sockets and the lab are Linux's; elsewhere Run and Lab.Build fail.
//
// Of sockscope's packages it imports capture and capture/filter (a live
// capture of the link it runs on), craft and craft/spec (the raw kind),
// craft/labns (the lab), decode and decode/wire; only commands imports it.
// Its tests check the report, the table, the diagram and the wire counts
// of hand-made frames, the SCTP counts against tshark on captures of a
// corpus beside the project (skipped when either is missing), FuzzWireOf,
// and, with privilege, SCTP's boundaries. The runs over
// loopback and across the lab, checked against tcpdump on the veth, are
// commands' tests (compare_linux_test.go, compare_lab_linux_test.go).
package compare
