package capture

import (
	"cmp"
	"errors"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/gopacket"
	"golang.org/x/net/bpf"

	"github.com/sockscope/sockscope/decode/wire"
)

// DefaultBufferSize is the kernel ring of a live capture when LiveConfig
// leaves BufferSize at 0: 32 MiB, some 200,000 small frames, half a second
// of a busy link while a write to the output file stalls (tcpdump's default
// is 2 MiB). The kernel zeroes the whole ring when it is set up, so a much
// larger default would cost every capture for the rare one that needs it.
const DefaultBufferSize = 32 << 20

// DefaultTimeout is how long the kernel keeps a partly filled ring block
// before handing it over, when LiveConfig leaves Timeout at 0. It bounds how
// late a packet reaches the reader on a quiet link (tcpdump uses 1s).
const DefaultTimeout = 50 * time.Millisecond

// AnyInterface is the pseudo-interface that captures on every interface of
// the network namespace, in Linux cooked v2 frames.
const AnyInterface = "any"

// LiveConfig says what a live capture opens and how.
type LiveConfig struct {
	// Interface is an interface name, or AnyInterface.
	Interface string
	// Snaplen is the most bytes kept of each packet, link header included;
	// 0 or more than 262144 means 262144, as in tcpdump.
	Snaplen int
	// NoPromisc leaves the interface out of promiscuous mode (tcpdump -p).
	// AnyInterface is never put in promiscuous mode.
	NoPromisc bool
	// BufferSize is the size of the kernel ring in bytes, rounded up to
	// whole blocks (256 KiB, up to 1 MiB in larger rings); 0 means
	// DefaultBufferSize.
	BufferSize int
	// Timeout is how long the kernel holds a partly filled block before it
	// hands it over; 0 means DefaultTimeout.
	Timeout time.Duration
	// Filter is a classic BPF program attached to the socket before it is
	// bound, so that no packet it rejects is ever queued. Its return value
	// is the number of bytes to keep, as in a program tcpdump compiles.
	// nil keeps every packet.
	Filter []bpf.RawInstruction
	// Match, if not nil, runs in user space on each packet the kernel
	// queued, as Next returns it (link header and VLAN tags in place), and
	// Next skips the packets it rejects: for a filter the kernel cannot run
	// as tcpdump means it. Filter is then nil, or accepts every packet.
	Match Matcher
	// Fallback, if not nil, is Filter run in user space: used instead
	// when the kernel refuses Filter (Live.Warning then says so).
	Fallback Matcher
	// Direction keeps the packets received (DirectionIn), sent
	// (DirectionOut), or both (DirectionInOut, the zero value), as
	// tcpdump -Q does; on lo, where the kernel hands each packet over
	// twice, only the received copy is kept, so DirectionOut sees none.
	Direction Direction
	// LinkType, if not 0, is the link type to capture in, one of those
	// LinkTypesOf gives the interface (tcpdump -y); 0 is the first one's
	// default, LinkTypeOf.
	LinkType wire.LinkType
}

// Direction is which way the packets a capture keeps go (tcpdump -Q).
type Direction int

const (
	DirectionInOut Direction = iota // both ways
	DirectionIn                     // received by the machine
	DirectionOut                    // sent by it
)

// ParseDirection reads tcpdump -Q's words: in, out, inout.
func ParseDirection(s string) (Direction, bool) {
	switch s {
	case "inout":
		return DirectionInOut, true
	case "in":
		return DirectionIn, true
	case "out":
		return DirectionOut, true
	}
	return DirectionInOut, false
}

// PacketType is which way a live packet went, as the kernel tells a
// packet socket (sll_pkttype, linux/if_packet.h: PACKET_HOST and the
// others): what tcpdump -i any prints after the interface's name. A Multi
// puts it in each packet's CaptureInfo.AncillaryData.
type PacketType uint8

// The packet types (linux/if_packet.h).
const (
	PacketHost      PacketType = 0 // to this host
	PacketBroadcast PacketType = 1 // to all
	PacketMulticast PacketType = 2 // to a group
	PacketOtherHost PacketType = 3 // to another host, seen in promiscuous mode
	PacketOutgoing  PacketType = 4 // sent by this host
)

// PacketTypeOf is the PacketType among ci's AncillaryData, false when it
// has none.
func PacketTypeOf(ci gopacket.CaptureInfo) (PacketType, bool) {
	for _, a := range ci.AncillaryData {
		if t, ok := a.(PacketType); ok {
			return t, true
		}
	}
	return 0, false
}

// Matcher selects packets in user space; capture/filter's Matcher is one.
// Match must not allocate: it runs on every packet.
type Matcher interface {
	Match(data []byte, wireLen int) bool
}

// LiveStats are the kernel's counts for a live capture (the socket's
// PACKET_STATISTICS), summed since it was opened.
type LiveStats struct {
	// Received counts the packets that passed the filter, those dropped
	// included: tcpdump's "packets received by filter".
	Received uint64
	// Dropped counts the packets lost because the ring was full: tcpdump's
	// "packets dropped by kernel".
	Dropped uint64
	// Freezes counts the times the ring filled up and the kernel stopped
	// queueing until a block was handed back (tpacket_stats_v3 freeze_q_cnt).
	Freezes uint64
}

// SumStats are the counts of several interfaces added up, as tcpdump's
// report of a capture on several gives them.
func SumStats(each []LiveStats) LiveStats {
	var sum LiveStats
	for _, st := range each {
		sum.Received += st.Received
		sum.Dropped += st.Dropped
		sum.Freezes += st.Freezes
	}
	return sum
}

var (
	// ErrUnknownInterface is wrapped by OpenLive's error when the interface
	// does not exist in this network namespace.
	ErrUnknownInterface = errors.New("no such interface")
	// ErrLinkTypeNotOffered is wrapped by OpenLive's error when
	// LiveConfig.LinkType is not one the interface offers.
	ErrLinkTypeNotOffered = errors.New("the interface does not offer the link type")
	// ErrInterfaceDown is wrapped by OpenLive's error when the interface
	// exists but is administratively down.
	ErrInterfaceDown = errors.New("interface is down")
)

// DeviceFlags are the interface properties `tcpdump -D` shows.
type DeviceFlags uint8

// Device flags, in the order tcpdump prints them.
const (
	DeviceUp DeviceFlags = 1 << iota
	DeviceRunning
	DeviceLoopback
	DeviceWireless
)

// ConnectionStatus is an interface's connection status as `tcpdump -D` shows it.
type ConnectionStatus uint8

// Connection states as `tcpdump -D` shows them.
const (
	ConnectionUnknown ConnectionStatus = iota
	ConnectionConnected
	ConnectionDisconnected
	ConnectionNotApplicable
)

// Device is a capture interface as `tcpdump -D` lists it, with its addresses.
type Device struct {
	Name        string
	Description string // only the any device has one
	Index       int    // kernel ifindex; 0 for the any device
	Flags       DeviceFlags
	Connection  ConnectionStatus
	Addrs       []netip.Prefix
}

// deviceWords and the connection words are the words `tcpdump -D` prints
// for an interface's flags.
var deviceWords = []struct {
	flag DeviceFlags
	word string
}{
	{DeviceUp, "Up"},
	{DeviceRunning, "Running"},
	{DeviceLoopback, "Loopback"},
	{DeviceWireless, "Wireless"},
}

var (
	wiredConnectionWords    = [...]string{"Connection status unknown", "Connected", "Disconnected", ""}
	wirelessConnectionWords = [...]string{"Association status unknown", "Associated", "Not associated", ""}
)

// Status returns what `tcpdump -D` prints between brackets after the name,
// such as "Up, Running, Connected" or "none", and "" when it prints no
// brackets at all.
func (d Device) Status() string {
	if d.Flags == 0 && d.Connection == ConnectionUnknown {
		return ""
	}
	var words []string
	for _, w := range deviceWords {
		if d.Flags&w.flag != 0 {
			words = append(words, w.word)
		}
	}
	s := "none"
	if len(words) > 0 {
		s = strings.Join(words, ", ")
	}
	conn := wiredConnectionWords[d.Connection&3]
	if d.Flags&DeviceWireless != 0 {
		conn = wirelessConnectionWords[d.Connection&3]
	}
	if conn != "" {
		s += ", " + conn
	}
	return s
}

// listRank is a device's place in the order `tcpdump -D` lists devices in,
// lower first: one bit for each of listPenalties, the heaviest highest.
func (d Device) listRank() uint32 {
	var rank uint32
	for _, penalized := range listPenalties {
		rank <<= 1
		if penalized(d) {
			rank |= 1
		}
	}
	return rank
}

// listPenalties are what moves a device down the list `tcpdump -D` prints,
// heaviest first: a device without one of them comes before every device
// with it, whatever lighter ones either has. Seen in a namespace of veth,
// bridge, macvlan, vxlan, ifb, tun and tap devices: the interfaces up and
// running come first, connected or with no link state (ifb); then any; then
// lo; then interfaces up but not running (and so disconnected); then those
// down with no link state; then those down and disconnected. A wireless
// interface that is not associated is not held back for it.
var listPenalties = [...]func(Device) bool{
	func(d Device) bool { return d.Flags&DeviceRunning == 0 },
	func(d Device) bool { return d.Flags&DeviceUp == 0 },
	func(d Device) bool { return d.Connection == ConnectionDisconnected && d.Flags&DeviceWireless == 0 },
	func(d Device) bool { return d.Flags&DeviceLoopback != 0 },
	func(d Device) bool { return d.Name == AnyInterface },
}

// sortDevices sorts devices as `tcpdump -D` lists them: by listRank,
// keeping the given order (the kernel's, for interfaces) among equals.
func sortDevices(devs []Device) []Device {
	slices.SortStableFunc(devs, func(a, b Device) int {
		return cmp.Compare(a.listRank(), b.listRank())
	})
	return devs
}

// anyDescription is the any device's description in `tcpdump -D`.
const anyDescription = "Pseudo-device that captures on all interfaces"

var (
	ifNamesMu sync.Mutex
	ifNames   = map[int]string{}
)

// InterfaceName names an interface of this machine by kernel index, as
// if_indextoname does: what tcpdump prints for the interface of a Linux
// cooked v2 header. Each index is looked up once.
func InterfaceName(index int) (string, bool) {
	ifNamesMu.Lock()
	defer ifNamesMu.Unlock()
	if name, ok := ifNames[index]; ok {
		return name, name != ""
	}
	name := ""
	if ifc, err := net.InterfaceByIndex(index); err == nil {
		name = ifc.Name
	}
	ifNames[index] = name
	return name, name != ""
}
