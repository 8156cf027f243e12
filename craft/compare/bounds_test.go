package compare

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// The --count messages of one letter share their bytes: 100000 messages
// of 167 bytes take 26 times 167, not 16.7 MB.
func TestMessagesOfOneLetterShareTheirBytes(t *testing.T) {
	m := Messages(MaxCount, 167)
	if len(m) != MaxCount || string(m[27]) != strings.Repeat("B", 167) {
		t.Fatalf("%d messages, the 28th %q", len(m), m[27])
	}
	if &m[0][0] != &m[26][0] || &m[1][0] != &m[26*3000+1][0] {
		t.Errorf("messages of one letter are copies, not one slice")
	}
}

func TestTallyMatchesRepeatedMessagesInTurn(t *testing.T) {
	msgs := Messages(52, 1) // A..Z, A..Z
	for _, tc := range []struct {
		name, reads string
		order       bool
		lost        int
	}{
		{"all", "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ", true, 0},
		{"the second A and Z", "ABCDEFGHIJKLMNOPQRSTUVWXYZA", true, 25},
		{"B after C: the second B", "ACB", true, 49},
		{"A after the second Y: none left", "ZYA", false, 50},
		{"Z then A again", "ZA", true, 50},
	} {
		var reads [][]byte
		for _, c := range tc.reads {
			reads = append(reads, []byte{byte(c)})
		}
		var k KindReport
		k.Kind = "datagram"
		k.tally(msgs, reads)
		if !k.BoundariesKept || k.InOrder != tc.order || k.Lost != tc.lost {
			t.Errorf("%s: kept %v, in order %v, lost %d; want kept, %v, %d", tc.name, k.BoundariesKept, k.InOrder, k.Lost, tc.order, tc.lost)
		}
	}
}

// WriteJSON writes the report a read at a time, and what it writes is
// what json.Encoder writes of the whole report.
func TestWriteJSONIsWhatTheEncoderWrites(t *testing.T) {
	kind := func(name string) KindReport {
		return KindReport{Kind: "stream", Name: name, Family: "inet", Sender: "127.0.0.1:1", Receiver: "127.0.0.1:2",
			Writes: []Op{{Bytes: 3}, {Bytes: 20, HeaderBytes: 20, Header: "4500"}},
			Reads:  []Op{{Bytes: 3, Data: `"kinds": null <b>&`}, {Bytes: 1, Data: "\n\u2028é"}},
			Wire:   &Wire{Packets: 2, Bytes: 100, OverheadPct: 12.5}, Note: "a note"}
	}
	for _, r := range []*Report{
		{Messages: []string{"A", `"kinds": null`, "\n  \"kinds\": null"}, Link: "lo", Kinds: []KindReport{kind("tcp"), kind("udp")},
			Skipped: []Skipped{{"sctp", "no SCTP"}}, Notes: []string{"wire not recorded"}},
		{Messages: []string{"A"}, Link: "lo", Kinds: []KindReport{}, Skipped: []Skipped{}, Notes: []string{}},
		{Kinds: []KindReport{{Name: "unix-dgram", Reads: []Op{}}}},
		{},
	} {
		var want, got bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			t.Fatal(err)
		}
		if err := r.WriteJSON(&got); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("WriteJSON wrote\n%s\njson.Encoder writes\n%s", got.String(), want.String())
		}
	}
}

func TestFirstFrameOnlyKeepsTheTablesPacket(t *testing.T) {
	frames := []Frame{{Data: []byte{1}}, {Data: []byte{2}}, {Data: []byte{3}}}
	k := KindReport{Frames: frames, Wire: &Wire{First: 1}}
	k.keepFirstFrame()
	if len(k.Frames) != 1 || k.Frames[0].Data[0] != 2 || k.Wire.First != 0 || cap(k.Frames) != 1 {
		t.Errorf("frames %v (cap %d), first %d; want the second packet alone, first 0", k.Frames, cap(k.Frames), k.Wire.First)
	}
	k = KindReport{Frames: frames, Wire: &Wire{First: -1}}
	if k.keepFirstFrame(); k.Frames != nil {
		t.Errorf("no data packet: frames %v, want none", k.Frames)
	}
}
