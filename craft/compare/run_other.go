//go:build !linux

package compare

import (
	"errors"
	"runtime"
)

// ErrNothingRan is returned by Run when no kind could run.
var ErrNothingRan = errors.New("compare: no kind could run (the lines above say why)")

// Run runs sockets on Linux's loopback; elsewhere it runs nothing.
func Run(cfg Config) (*Report, error) {
	return nil, errors.New("compare runs on Linux, not " + runtime.GOOS)
}
