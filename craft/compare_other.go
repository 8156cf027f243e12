//go:build !linux

package craft

import (
	"errors"
	"runtime"
)

// ErrNothingRan is returned by Compare when no kind could run.
var ErrNothingRan = errors.New("compare: no kind could run (the lines above say why)")

// Compare runs sockets on Linux's loopback; elsewhere it runs nothing.
func Compare(cfg CompareConfig) (*CompareReport, error) {
	return nil, errors.New("compare runs on Linux, not " + runtime.GOOS)
}
