package capture

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"runtime"
	"strconv"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Devices lists the interfaces a live capture can open, in the order and
// with the flags of `tcpdump -D`: interfaces
// that are up, running and connected first, then any, then loopback, then
// interfaces that are disconnected or down. Its position in this list,
// counted from 1, is an interface's number. libpcap's devices that are not
// network interfaces (nflog, dbus, bluetooth...) are not listed.
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

// wirelessTypes are the ARPHRD_ types libpcap calls wireless:
// IrDA, 802.11 (plain, Prism, radiotap) and 802.15.4 (and 6LoWPAN over it).
var wirelessTypes = map[int]bool{783: true, 801: true, 802: true, 803: true, 804: true, 805: true, 825: true}

// connection tells, as libpcap does on Linux, whether an interface is
// wireless, and whether it is connected, from ethtool's link state.
func connection(sock int, name string, flags *DeviceFlags) ConnectionStatus {
	if *flags&DeviceLoopback != 0 {
		return ConnectionNotApplicable
	}
	if _, err := os.Stat("/sys/class/net/" + name + "/wireless"); err == nil {
		*flags |= DeviceWireless
	} else if b, err := os.ReadFile("/sys/class/net/" + name + "/type"); err == nil {
		t, _ := strconv.Atoi(strings.TrimSpace(string(b)))
		if t == unix.ARPHRD_LOOPBACK {
			return ConnectionUnknown
		}
		if wirelessTypes[t] {
			*flags |= DeviceWireless
		}
	}
	if sock < 0 {
		return ConnectionUnknown
	}
	up, err := ethtoolLink(sock, name)
	switch {
	case errors.Is(err, unix.EOPNOTSUPP), errors.Is(err, unix.EINVAL):
		return ConnectionNotApplicable
	case err != nil:
		return ConnectionUnknown
	case up:
		return ConnectionConnected
	}
	return ConnectionDisconnected
}

// ethtoolLink asks the driver whether the link is up (SIOCETHTOOL with
// ETHTOOL_GLINK, as ethtool and libpcap do).
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
