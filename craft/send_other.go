//go:build !linux

package craft

import (
	"errors"
	"runtime"
)

// Sender is the socket a run's packets leave from; sending is Linux's.
type Sender struct{ own *lane }

type lane struct {
	batch   [][]byte
	scratch []byte
}

// Open fails: raw sockets that take the user's headers are Linux's.
func Open(t Target, first []byte) (*Sender, error) {
	return nil, errors.New("sending crafted packets needs Linux (this is " + runtime.GOOS + "); --dry-run works here")
}

// BypassQdisc does nothing.
func (s *Sender) BypassQdisc() error { return nil }

// VnetHeaders does nothing.
func (s *Sender) VnetHeaders() error { return nil }

// Close does nothing.
func (s *Sender) Close() error { return nil }

func (s *Sender) lane() *lane { return &lane{} }

func (l *lane) send(pkts [][]byte) (int, error) {
	return 0, errors.New("sending crafted packets needs Linux (this is " + runtime.GOOS + ")")
}
