//go:build !linux

package replay

import (
	"errors"
	"runtime"

	"github.com/sockscope/sockscope/decode/wire"
)

// output is Linux's: packet sockets are.
type output struct{}

type refusal struct {
	index  int
	reason string
}

func newOutput(name string) (*output, error) {
	return nil, errors.New("replay: sending onto an interface needs Linux (this is " + runtime.GOOS + "); --dry-run without -i works here")
}

func (o *output) open(bypass bool) error { return nil }

func (o *output) Close() error                               { return nil }
func (o *output) check(link wire.LinkType, packet int) error { return nil }
func (o *output) refuse(frame []byte) string                 { return "" }
func (o *output) add(frame []byte)                           {}
func (o *output) full() bool                                 { return true }
func (o *output) flush() (int, []refusal, error)             { return 0, nil, nil }

const needsGSO = "gso"

func (o *output) sendGSO(frame []byte) (error, bool) { return nil, false }
