//go:build !linux

package capture

import (
	"errors"
	"io"
	"os/user"

	"github.com/google/gopacket"

	"github.com/sockscope/sockscope/decode/wire"
)

// errNotLinux is what live capture says off Linux: it is built on AF_PACKET.
var errNotLinux = errors.New("live capture needs Linux (AF_PACKET)")

// Live is a live capture; it exists only on Linux.
type Live struct{}

// OpenLive fails: live capture needs Linux.
func OpenLive(cfg LiveConfig) (*Live, error) { return nil, errNotLinux }

// Interface returns nothing off Linux.
func (s *Live) Interface(int) (Interface, bool) { return Interface{}, false }

// Interfaces is empty off Linux.
func (s *Live) Interfaces() []Interface { return nil }

// LinkType returns 0 off Linux.
func (s *Live) LinkType(int) wire.LinkType { return 0 }

// Warning is always "" here: there is no capture.
func (s *Live) Warning() string { return "" }

// Next returns io.EOF off Linux.
func (s *Live) Next() ([]byte, gopacket.CaptureInfo, error) {
	return nil, gopacket.CaptureInfo{}, io.EOF
}

// Ready returns false off Linux.
func (s *Live) Ready() bool { return false }

// Stop does nothing off Linux.
func (s *Live) Stop() {}

// Stats fails off Linux.
func (s *Live) Stats() (LiveStats, error) { return LiveStats{}, errNotLinux }

// InterfaceStats fails off Linux.
func (s *Live) InterfaceStats() ([]LiveStats, error) { return nil, errNotLinux }

// Close does nothing off Linux.
func (s *Live) Close() error { return nil }

// Devices fails off Linux.
func Devices() ([]Device, error) { return nil, errNotLinux }

// ResolveInterface fails off Linux.
func ResolveInterface(arg string) (string, error) { return "", errNotLinux }

// DropPrivileges fails off Linux.
func DropPrivileges(u *user.User) error { return errNotLinux }

// LinkTypeOf fails off Linux.
func LinkTypeOf(name string) (wire.LinkType, error) { return 0, errNotLinux }

// LinkTypesOf fails off Linux.
func LinkTypesOf(name string) ([]wire.LinkType, error) { return nil, errNotLinux }

// LiveSnaplen returns snaplen, or the maximum for 0, off Linux.
func LiveSnaplen(snaplen int, linkType wire.LinkType) int {
	if snaplen <= 0 || snaplen > maxSnaplen {
		return maxSnaplen
	}
	return snaplen
}

// Multi is a live capture on several interfaces; it exists only on Linux.
type Multi struct{}

// OpenMulti fails: live capture needs Linux.
func OpenMulti(cfgs []LiveConfig) (*Multi, error) { return nil, errNotLinux }

// Interface returns nothing off Linux.
func (m *Multi) Interface(int) (Interface, bool) { return Interface{}, false }

// Interfaces is empty off Linux.
func (m *Multi) Interfaces() []Interface { return nil }

// Warning is always "" here: there is no capture.
func (m *Multi) Warning() string { return "" }

// Next returns io.EOF off Linux.
func (m *Multi) Next() ([]byte, gopacket.CaptureInfo, error) {
	return nil, gopacket.CaptureInfo{}, io.EOF
}

// Ready returns false off Linux.
func (m *Multi) Ready() bool { return false }

// Stop does nothing off Linux.
func (m *Multi) Stop() {}

// Stats fails off Linux.
func (m *Multi) Stats() (LiveStats, error) { return LiveStats{}, errNotLinux }

// InterfaceStats fails off Linux.
func (m *Multi) InterfaceStats() ([]LiveStats, error) { return nil, errNotLinux }

// Close does nothing off Linux.
func (m *Multi) Close() error { return nil }
