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
package compare
