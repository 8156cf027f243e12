package replay_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/sockscope/sockscope/craft/replay"
)

// A test in a user's suite: a recorded conversation, replayed to the
// server under test, must get the recorded answers. Here the server under
// test is one that echoes what is POSTed to it, as the server
// testdata/http.pcap was recorded from does, and the conversation is that
// file's second: a POST to /echo.
func ExampleConverse() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write(body)
	}))
	defer srv.Close()

	rep, err := replay.Converse(context.Background(), "../../testdata/http.pcap",
		replay.Selector{Flow: 2}, replay.ConverseOptions{To: srv.Listener.Addr().String(), TopSpeed: true})
	if err != nil {
		log.Fatal(err)
	}
	if !rep.Matched() {
		rep.WriteText(os.Stderr) // in a test: t.Error, with what differs, answer by answer
	}
	fmt.Printf("matched %v: %d of %d answers the same\n", rep.Matched(), rep.Counts()[replay.Same], len(rep.Exchanges))
	// Output:
	// matched true: 1 of 1 answers the same
}
