package stats

import "github.com/sockscope/sockscope/decode"

// wantedFields are the fields the conversation and endpoint tables read of
// a tree (the TYPE's own fields and those that decide what is counted),
// for decode.Tree.Want; tcp.stream only for TCP's conversations.
var wantedFields = []string{
	"eth.src", "eth.dst", "ip.src", "ip.dst", "ip.hdr_len", "ip.len",
	"ipv6.src", "ipv6.dst", "ipv6.nxt", "ipv6.hopopts.nxt", "ipv6.dstopts.nxt", "ipv6.routing.nxt",
	"ipv6.routing.type", "ipv6.routing.segleft", "ipv6.routing.src.addr", "ipv6.routing.srh.addr",
	"ipv6.fraghdr.nxt", "ipv6.fraghdr.offset", "ipv6.fraghdr.more", "ipv6.reassembled.length",
	"udp.srcport", "udp.dstport", "tcp.srcport", "tcp.dstport",
}

// want is the Want of a table of kind k with filter f.
func want(k *tableKind, f *tableFilter) *decode.Want {
	ids := make([]decode.FieldID, 0, len(wantedFields)+1)
	for _, name := range wantedFields {
		ids = append(ids, field(name))
	}
	if k.stream != 0 {
		ids = append(ids, k.stream)
	}
	w := decode.WantFields(ids...)
	if f.match != nil {
		w = w.Union(f.match.Want())
	}
	return w
}

// Want is what the table reads of each packet's tree, for the tree's Want:
// a reader that dissects for this table alone may leave out the rest.
func (c *convTable) Want() *decode.Want { return want(c.kind, &c.filter) }

// Want is what the table reads of each packet's tree (see convTable.Want).
func (e *endpointsTable) Want() *decode.Want { return want(e.kind, &e.filter) }

// Want is what tables read of each packet's tree together, for a tree that
// dissects for them alone: nil (everything) when one of them reads the
// whole tree (the protocol hierarchy, the expert summary).
func Want(tables []Table) *decode.Want {
	w := decode.WantFields()
	for _, t := range tables {
		r, ok := t.(interface{ Want() *decode.Want })
		if !ok {
			return nil
		}
		w = w.Union(r.Want())
	}
	return w
}

// Want is what the table reads of each packet's tree: the fields its
// columns compute with and those their filters test.
func (s *IOStat) Want() *decode.Want {
	w := decode.WantFields()
	for i := range s.cols {
		c := &s.cols[i]
		if c.filter != nil {
			w = w.Union(c.filter.Want())
		}
		if c.calc >= calcCount && c.tcol == timeNone {
			w = w.Union(decode.WantFields(c.field))
		}
	}
	return w
}
