package stats

// EndpointsJSON is what JSON gives for -z endpoints,TYPE:
//
//	{"type": "ip", "filter": "",
//	 "endpoints": [{"address": "10.0.0.1", "packets": 1998, "bytes": 1331129,
//	   "tx_packets": 1192, "tx_bytes": 1176277, "rx_packets": 806, "rx_bytes": 154852}, ...]}
//
// The rows are the text table's, in its order; port is there for tcp and
// udp only. Packets and bytes are the text's numbers, bytes whole frame
// lengths. filter is the text's Filter line ("" for none).
type EndpointsJSON struct {
	Type      string              `json:"type"`
	Filter    string              `json:"filter"`
	Endpoints []EndpointsJSONItem `json:"endpoints"`
}

// EndpointsJSONItem is one end of EndpointsJSON.
type EndpointsJSONItem struct {
	Address   string  `json:"address"`
	Port      *uint16 `json:"port,omitempty"`
	Packets   uint64  `json:"packets"`
	Bytes     uint64  `json:"bytes"`
	TxPackets uint64  `json:"tx_packets"`
	TxBytes   uint64  `json:"tx_bytes"`
	RxPackets uint64  `json:"rx_packets"`
	RxBytes   uint64  `json:"rx_bytes"`
}

// JSON is the table as an EndpointsJSON.
func (e *endpointsTable) JSON() any {
	out := EndpointsJSON{Type: e.kind.name, Filter: e.filter.text, Endpoints: []EndpointsJSONItem{}}
	for _, i := range e.sorted() {
		c := &e.ends[i]
		item := EndpointsJSONItem{
			Address: string(c.end.appendAddr(nil)),
			Packets: c.frames(), Bytes: c.bytes(),
			TxPackets: c.txFrames, TxBytes: c.txBytes,
			RxPackets: c.rxFrames, RxBytes: c.rxBytes,
		}
		if e.kind.hasPorts() {
			p := c.end.port
			item.Port = &p
		}
		out.Endpoints = append(out.Endpoints, item)
	}
	return out
}
