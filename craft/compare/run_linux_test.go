package compare

import (
	"net"
	"strings"
	"testing"
	"time"
)

// A listener that never accepts held compare for good: in a lossy lab the
// sender was connected while the handshake's last ACK, and every SYN-ACK
// sent again, were dropped, and it waited for the accept before writing.
// Here the sender connects to another listener, so that ln never accepts:
// the kind ends with an error after the net's timeout.
func TestConnectedKindGivesUpWhenTheListenerNeverAccepts(t *testing.T) {
	ln, err := net.ListenTCP("tcp4", &net.TCPAddr{IP: loopback4})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	other, err := net.ListenTCP("tcp4", &net.TCPAddr{IP: loopback4})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	n := loopback()
	n.timeout = 100 * time.Millisecond
	k := &KindReport{Kind: "stream", Name: "tcp", Family: "inet"}
	done := make(chan error, 1)
	go func() {
		done <- connected(k, Config{Messages: Messages(3, 1)}, n, ln, func() (net.Conn, error) {
			return net.Dial("tcp4", other.Addr().String())
		})
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "accept: ") {
			t.Errorf("got %v, want an accept error", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("still waiting for the listener after a minute")
	}
}
