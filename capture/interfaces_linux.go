package capture

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"runtime"
	"strconv"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Devices lists the interfaces a live capture can open, in the order and
// with the flags of `tcpdump -D`: interfaces
// that are up, running and connected first, then any, then loopback, then
// interfaces that are disconnected or down. Its position in this list,
// counted from 1, is an interface's number. The devices tcpdump -D also
// lists that are not network interfaces (nflog, dbus, bluetooth...) are not.
func Devices() ([]Device, error) {
	ifcs, err := net.Interfaces()
	if err != nil {
		return nil, fmt.Errorf("list interfaces: %w", err)
	}
	sock, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		sock = -1 // no connection status; the rest still works
	} else {
		defer unix.Close(sock)
	}
	devs := make([]Device, 0, len(ifcs)+1)
	for _, ifc := range ifcs {
		d := Device{Name: ifc.Name, Index: ifc.Index}
		for _, m := range []struct {
			net net.Flags
			dev DeviceFlags
		}{{net.FlagUp, DeviceUp}, {net.FlagRunning, DeviceRunning}, {net.FlagLoopback, DeviceLoopback}} {
			if ifc.Flags&m.net != 0 {
				d.Flags |= m.dev
			}
		}
		d.Connection = connection(sock, ifc.Name, &d.Flags)
		if addrs, err := ifc.Addrs(); err == nil {
			for _, a := range addrs {
				if p, err := netip.ParsePrefix(a.String()); err == nil {
					d.Addrs = append(d.Addrs, p)
				}
			}
		}
		devs = append(devs, d)
	}
	devs = append(devs, Device{
		Name:        AnyInterface,
		Description: anyDescription,
		Flags:       DeviceUp | DeviceRunning,
		Connection:  ConnectionNotApplicable,
	})
	return sortDevices(devs), nil
}

// ResolveInterface turns the argument of capture -i into an interface name
// as tcpdump does: a number N picks the Nth of Devices (unless an interface
// is named so), "" the first of Devices, and anything else is a name.
func ResolveInterface(arg string) (string, error) {
	n, err := strconv.Atoi(arg)
	if arg != "" && (err != nil || n < 1) {
		return arg, nil
	}
	if arg != "" {
		if _, err := net.InterfaceByName(arg); err == nil {
			return arg, nil
		}
	}
	devs, err := Devices()
	if err != nil {
		return "", err
	}
	if arg == "" {
		return devs[0].Name, nil // there is always any
	}
	if n > len(devs) {
		return "", fmt.Errorf("%w: there are %d (sockscope interfaces lists them)", ErrUnknownInterface, len(devs))
	}
	return devs[n-1].Name, nil
}

// wirelessTypes are the hardware types (ARPHRD_, linux/if_arp.h) of wireless
// links: IrDA, 802.11 (plain, and with Prism or radiotap headers in monitor
// mode), 802.15.4 (plain and monitor) and 6LoWPAN, IPv6 over 802.15.4 or
// Bluetooth LE.
var wirelessTypes = map[uint16]bool{
	unix.ARPHRD_IRDA:               true,
	unix.ARPHRD_IEEE80211:          true,
	unix.ARPHRD_IEEE80211_PRISM:    true,
	unix.ARPHRD_IEEE80211_RADIOTAP: true,
	unix.ARPHRD_IEEE802154:         true,
	unix.ARPHRD_IEEE802154_MONITOR: true,
	unix.ARPHRD_6LOWPAN:            true,
}

// connection returns an interface's connection status as `tcpdump -D` shows
// it, and adds DeviceWireless to flags for a wireless interface.
//
// What tcpdump -D shows, side by side with `ethtool IF` for veth, bridge,
// macvlan, vxlan, ifb, tun and tap devices, up and down: the status is the
// driver's link state (SIOCETHTOOL ETHTOOL_GLINK, ethtool's "Link
// detected"), whether the interface is up or not. A driver that keeps no
// link state (ifb's: EOPNOTSUPP) gives no status, and neither does
// loopback, whose link is always there. For a wireless interface the same
// link state means associated or not.
func connection(sock int, name string, flags *DeviceFlags) ConnectionStatus {
	if wireless(sock, name) {
		*flags |= DeviceWireless
	}
	if *flags&DeviceLoopback != 0 {
		return ConnectionNotApplicable
	}
	if sock < 0 {
		return ConnectionUnknown
	}
	up, err := ethtoolLink(sock, name)
	switch {
	case err == nil && up:
		return ConnectionConnected
	case err == nil:
		return ConnectionDisconnected
	case errors.Is(err, unix.EOPNOTSUPP):
		return ConnectionNotApplicable
	}
	return ConnectionUnknown // the driver could not say (the interface went away, say)
}

// wireless reports whether interface name is a wireless one: its hardware
// type is one of wirelessTypes, or sysfs shows a wireless device, with a
// wireless directory (wireless extensions) or a phy80211 link to its
// cfg80211 radio, as an 802.11 station has though its hardware type is
// Ethernet's. sysfs shows the interfaces of the network namespace it was
// mounted in, which `ip netns exec` mounts for the namespace it enters.
func wireless(sock int, name string) bool {
	if sock >= 0 {
		ifr, err := unix.NewIfreq(name)
		if err == nil && unix.IoctlIfreq(sock, unix.SIOCGIFHWADDR, ifr) == nil && wirelessTypes[ifr.Uint16()] {
			return true
		}
	}
	for _, entry := range [...]string{"wireless", "phy80211"} {
		if _, err := os.Lstat("/sys/class/net/" + name + "/" + entry); err == nil {
			return true
		}
	}
	return false
}

// ethtoolLink asks the driver whether the link is up (SIOCETHTOOL with
// ETHTOOL_GLINK: what `ethtool IF` prints as "Link detected"). A driver that
// keeps no link state answers EOPNOTSUPP.
func ethtoolLink(sock int, name string) (bool, error) {
	if len(name) >= unix.IFNAMSIZ {
		return false, unix.EINVAL
	}
	// struct ethtool_value { __u32 cmd; __u32 data; }
	val := [2]uint32{unix.ETHTOOL_GLINK, 0}
	// struct ifreq with ifr_data pointing at val.
	var ifr struct {
		name [unix.IFNAMSIZ]byte
		data unsafe.Pointer
		_    [24 - unsafe.Sizeof(uintptr(0))]byte
	}
	copy(ifr.name[:], name)
	ifr.data = unsafe.Pointer(&val)
	_, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(sock), unix.SIOCETHTOOL, uintptr(unsafe.Pointer(&ifr)))
	runtime.KeepAlive(&val)
	if errno != 0 {
		return false, errno
	}
	return val[1] != 0, nil
}
