//go:build !linux

package craft

import (
	"errors"
	"io"

	"github.com/google/gopacket"
)

// RawListener is a raw IP socket; craft --listen exists only on Linux.
type RawListener struct{}

// ListenRaw fails off Linux.
func ListenRaw(proto int, ip6 bool) (*RawListener, error) {
	return nil, errors.New("raw socket listening needs Linux")
}

// Next returns io.EOF off Linux.
func (l *RawListener) Next() ([]byte, gopacket.CaptureInfo, error) {
	return nil, gopacket.CaptureInfo{}, io.EOF
}

// Close does nothing off Linux.
func (l *RawListener) Close() error { return nil }
