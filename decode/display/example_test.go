package display_test

import (
	"fmt"
	"io"

	"github.com/sockscope/sockscope/capture"
	"github.com/sockscope/sockscope/decode"
	"github.com/sockscope/sockscope/decode/display"
)

// A display filter compiled once, run on every packet of a capture: the
// numbers of the DNS responses that answer with an address in 10.99/16.
func Example() {
	f, err := display.Compile(`dns.flags.response == 1 && dns.a == 10.99.0.0/16 && dns.qry.name contains "www"`)
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := capture.Open("../../testdata/dns.pcap")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	var tree decode.Tree
	for n := 1; ; n++ {
		data, ci, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		iface, _ := r.Interface(ci.InterfaceIndex)
		tree.Dissect(data, ci, iface.LinkType, n)
		if f.Match(&tree) {
			fmt.Println(n) // tshark -Y selects the same frames
		}
	}
	// Output:
	// 4
	// 67
	// 83
	// 85
	// 89
}
