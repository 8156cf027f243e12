package replay_test

import (
	"context"
	"os"
	"testing"

	"github.com/sockscope/sockscope/craft/replay"
)

// A test in a user's suite: the recorded conversation, replayed to the
// server under test, must get the recorded answers.
func ExampleConverse() {
	t := &testing.T{} // in a test, the *testing.T given to it
	rep, err := replay.Converse(context.Background(), "testdata/http.pcap",
		replay.Selector{Flow: 1}, replay.ConverseOptions{To: "127.0.0.1:8080", TopSpeed: true})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Matched() {
		rep.WriteText(os.Stderr) // what differs, answer by answer
		t.Fail()
	}
}
