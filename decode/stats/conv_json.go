package stats

// ConvJSON is what JSON gives for -z conv,TYPE:
//
//	{"type": "tcp", "filter": "",
//	 "conversations": [{"a": "10.0.0.1", "a_port": 41205, "b": "10.0.0.2", "b_port": 80,
//	   "frames_a_to_b": 55, "bytes_a_to_b": 69174, "frames_b_to_a": 32, "bytes_b_to_a": 7120,
//	   "frames": 87, "bytes": 76294, "rel_start": 6.130015, "duration": 0.000265}, ...]}
//
// The rows are the text table's, in its order. a is the end that sent
// the conversation's first packet (the text's left end; "->" is a to b);
// the ports are there for tcp and udp only. Frames and bytes are the
// text's numbers as integers, bytes whole frame lengths (never "kB");
// rel_start is the earliest packet's time in seconds after the capture's
// first packet, and duration the seconds from the earliest packet to the
// latest, neither rounded. filter is the text's Filter line ("" for none).
type ConvJSON struct {
	Type          string         `json:"type"`
	Filter        string         `json:"filter"`
	Conversations []ConvJSONItem `json:"conversations"`
}

// ConvJSONItem is one conversation of ConvJSON.
type ConvJSONItem struct {
	A          string  `json:"a"`
	APort      *uint16 `json:"a_port,omitempty"`
	B          string  `json:"b"`
	BPort      *uint16 `json:"b_port,omitempty"`
	FramesAToB uint64  `json:"frames_a_to_b"`
	BytesAToB  uint64  `json:"bytes_a_to_b"`
	FramesBToA uint64  `json:"frames_b_to_a"`
	BytesBToA  uint64  `json:"bytes_b_to_a"`
	Frames     uint64  `json:"frames"`
	Bytes      uint64  `json:"bytes"`
	RelStart   float64 `json:"rel_start"`
	Duration   float64 `json:"duration"`
}

// JSON is the table as a ConvJSON.
func (c *convTable) JSON() any {
	out := ConvJSON{Type: c.kind.name, Filter: c.filter.text, Conversations: []ConvJSONItem{}}
	for _, i := range c.sorted() {
		cv := &c.convs[i]
		item := ConvJSONItem{
			A: string(cv.a.appendAddr(nil)), B: string(cv.b.appendAddr(nil)),
			FramesAToB: cv.framesAB, BytesAToB: cv.bytesAB,
			FramesBToA: cv.framesBA, BytesBToA: cv.bytesBA,
			Frames: cv.frames(), Bytes: cv.bytes(),
			RelStart: seconds(cv.start), Duration: seconds(cv.stop - cv.start),
		}
		if c.kind.hasPorts() {
			ap, bp := cv.a.port, cv.b.port
			item.APort, item.BPort = &ap, &bp
		}
		out.Conversations = append(out.Conversations, item)
	}
	return out
}
