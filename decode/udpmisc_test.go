package decode

import (
	"io"
	"testing"
)

// TestLISPIsTcpdumps compares decode's lines with tcpdump's on the
// corpus's LISP captures: Map-Register and Map-Notify with IPv4 and IPv6
// EID prefixes, an xTR-ID, an unknown address family and lengths past the
// message.
func TestLISPIsTcpdumps(t *testing.T) {
	corpusMatchesTcpdump(t, "lisp_eid_notify.pcap", "lisp_eid_register.pcap", "lisp_invalid.pcap",
		"lisp_invalid_length.pcap", "lisp_ipv6.pcap")
}

// TestSFlowIsTcpdumps compares decode's lines with tcpdump's on the
// corpus's sFlow captures: IPv4 and IPv6 agents, versions neither tool
// reads, and a datagram shorter than the header.
func TestSFlowIsTcpdumps(t *testing.T) {
	corpusMatchesTcpdump(t, "sflow-print-v6.pcap", "sflow_expanded.pcap", "sflow_multiple_counter_30_pdus.pcap",
		"sflow_print-segv.pcap")
}

// TestSNMPIsTcpdumps compares decode's lines with tcpdump's on the
// corpus's SNMP captures cut short by the capture.
func TestSNMPIsTcpdumps(t *testing.T) {
	corpusMatchesTcpdump(t, "snmp-heapoverflow-1.pcap", "snmp-heapoverflow-2.pcap")
}

// TestBERReadStaysInBounds checks the BER reader on headers cut short, long
// lengths and the high-tag-number form it does not read.
func TestBERReadStaysInBounds(t *testing.T) {
	for _, c := range []struct {
		name      string
		b         []byte
		short, ok bool
		end       int
	}{
		{"short form", []byte{0x02, 0x01, 0x05}, false, true, 3},
		{"long form", []byte{0x04, 0x82, 0x01, 0x00}, false, true, 4 + 256},
		{"one byte", []byte{0x30}, true, false, 0},
		{"long form cut", []byte{0x30, 0x84, 0x01}, true, false, 0},
		{"indefinite", []byte{0x30, 0x80}, false, false, 0},
		{"high tag number", []byte{0x1f, 0x01, 0x00}, false, false, 0},
	} {
		e, short, ok := berRead(c.b, 0, len(c.b))
		if short != c.short || ok != c.ok || ok && e.end != c.end {
			t.Errorf("%s: got %+v short %v ok %v, want end %d short %v ok %v", c.name, e, short, ok, c.end, c.short, c.ok)
		}
	}
}

// TestNetBIOSLayersAreTsharks checks the layers tshark was seen to give a
// NetBIOS browser announcement (nbdgm, smb, mailslot, browser) and a name
// query cut short, and tcpdump's lines on them ("UDP, length N" without -v).
func TestNetBIOSLayersAreTsharks(t *testing.T) {
	for _, c := range []struct{ name, layers string }{
		{"eapon1.pcap", "eth ip udp nbdgm smb mailslot browser"},
		{"nbns-valgrind.pcap", "eth ip udp nbns _ws.short"},
	} {
		capt, err := readTestCapture(tailCorpus(c.name))
		if err != nil {
			t.Skip(err)
		}
		var tree Tree
		found := false
		for i, p := range capt.packets {
			tree.Dissect(p.data, p.ci, p.link, i+1)
			if layerNames(&tree) == c.layers {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("%s: no packet with layers %q", c.name, c.layers)
		}
	}
	corpusMatchesTcpdump(t, "nbns-valgrind.pcap", "smb_print_trans-oobr2.pcap")
}

// TestMPLSEchoIsTcpdumps compares decode's lines with tcpdump's on the
// corpus's LSP ping captures: a reply, and a request under an MPLS label.
func TestMPLSEchoIsTcpdumps(t *testing.T) {
	corpusMatchesTcpdump(t, "lsp-ping-timestamp.pcap", "tok2str-oobr-2.pcap")
}

// TestUDPAppsDissectAndPrintWithoutAllocating dissects and prints the
// corpus's LISP, sFlow, SNMP, NetBIOS and LSP ping packets, faulty ones
// too, into a reused tree and printer.
func TestUDPAppsDissectAndPrintWithoutAllocating(t *testing.T) {
	p := NewPrinter(io.Discard, Options{})
	var tree Tree
	for _, name := range []string{"lisp_eid_notify.pcap", "lisp_invalid.pcap", "lisp_ipv6.pcap", "sflow_multiple_counter_30_pdus.pcap",
		"sflow_print-segv.pcap", "snmp-heapoverflow-2.pcap", "nbns-valgrind.pcap", "smb_print_trans-oobr2.pcap", "tok2str-oobr-2.pcap"} {
		c, err := readTestCapture(tailCorpus(name))
		if err != nil {
			t.Skip(err)
		}
		for _, pk := range c.packets {
			tree.Dissect(pk.data, pk.ci, pk.link, 1)
			p.Print(pk.data, pk.ci, pk.link)
			if n := testing.AllocsPerRun(10, func() {
				tree.Dissect(pk.data, pk.ci, pk.link, 1)
				p.Print(pk.data, pk.ci, pk.link)
			}); n != 0 {
				t.Errorf("%s: %s: %v allocations a packet", name, layerNames(&tree), n)
			}
		}
	}
}
