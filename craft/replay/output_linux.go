package replay

import (
	"errors"
	"fmt"
	"net"
	"slices"

	"golang.org/x/sys/unix"

	"github.com/sockscope/sockscope/capture"
	"github.com/sockscope/sockscope/craft"
	"github.com/sockscope/sockscope/decode/wire"
)

// batchFrames and batchBytes bound a batch of frames sent in one system
// call: as many as craft sends in one sendmmsg.
const (
	batchFrames = 256
	batchBytes  = 1 << 20
)

// output is the interface a replay sends on: its packet socket, what it
// takes, and the batch of frames waiting to go.
type output struct {
	name string
	link wire.LinkType // the interface's link type, as a capture on it reports
	// arphrdEther is true for an Ethernet device, not loopback.
	arphrdEther bool
	mtu         int
	sender      *craft.Sender
	fits        []wire.LinkType // file link types known to fit
	arena       []byte
	frames      [][]byte
	refusals    []refusal
	// gso takes the frames that go as GSO packets, a virtio_net_hdr
	// before each (in gsoBuf); opened for the first that needs it, and
	// never past the queueing discipline: a packet the kernel must cut
	// into segments in software is dropped on that path
	// (PACKET_QDISC_BYPASS).
	gso    *craft.Sender
	gsoBuf [][]byte
}

// refusal is a frame of a batch that the kernel did not take.
type refusal struct {
	index  int // in the batch
	reason string
}

// newOutput describes the interface name: what it takes (link type,
// MTU), without a socket yet. It fails when the interface is missing or
// down.
func newOutput(name string) (*output, error) {
	ifc, err := net.InterfaceByName(name)
	if err != nil {
		return nil, fmt.Errorf("replay: no interface %q (sockscope interfaces lists them)", name)
	}
	if ifc.Flags&net.FlagUp == 0 {
		return nil, fmt.Errorf("replay: %s is down: bring it up with ip link set %s up", name, name)
	}
	if ifc.Flags&net.FlagRunning == 0 {
		// Up without a carrier (a veth whose peer is down, a cable out):
		// the kernel would take every frame and drop it.
		return nil, fmt.Errorf("replay: %s is up but has no carrier (its peer or cable is down): every frame would be dropped; bring the link up first", name)
	}
	link, err := capture.LinkTypeOf(name)
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	return &output{name: name, link: link, mtu: ifc.MTU, arphrdEther: ifc.Flags&net.FlagLoopback == 0}, nil
}

// open opens the packet socket on the interface; with bypass, its frames
// skip the queueing discipline.
func (o *output) open(bypass bool) error {
	s, err := craft.Open(craft.Target{Link: wire.LinkEthernet, Iface: o.name}, nil)
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	if bypass {
		if err := s.BypassQdisc(); err != nil {
			s.Close()
			return fmt.Errorf("replay: %s: %w", o.name, err)
		}
	}
	o.sender = s
	o.arena = make([]byte, 0, batchBytes)
	o.frames = make([][]byte, 0, batchFrames)
	return nil
}

// Close closes the sockets, if open.
func (o *output) Close() error {
	if o.gso != nil {
		o.gso.Close()
	}
	if o.sender == nil {
		return nil
	}
	return o.sender.Close()
}

// check fails when frames of link type link cannot go out of the
// interface: only Ethernet frames fit an Ethernet (or loopback) interface,
// only raw IP packets one without a link header.
func (o *output) check(link wire.LinkType, packet int) error {
	// Per packet: a file has one link type, a pcapng few.
	if slices.Contains(o.fits, link) {
		return nil
	}
	ok := false
	switch link {
	case wire.LinkEthernet:
		ok = o.link == wire.LinkEthernet
	case wire.LinkRaw, wire.LinkRawOld, wire.LinkIPv4, wire.LinkIPv6:
		ok = o.link == wire.LinkRaw
	}
	if !ok {
		return fmt.Errorf("replay: packet %d: %s frames cannot go out of %s, which takes %s frames; replay Ethernet captures onto Ethernet interfaces, raw IP ones onto interfaces without a link header (tun)",
			packet, link.Description(), o.name, o.link.Description())
	}
	o.fits = append(o.fits, link)
	return nil
}

// refuse says why frame cannot go out ("" when it can): empty, or more
// than the interface's MTU and link header (and a VLAN tag) allow.
func (o *output) refuse(frame []byte) string {
	if len(frame) == 0 {
		return "empty (nothing captured)"
	}
	limit := o.mtu
	if o.link == wire.LinkEthernet {
		limit += 14
		if len(frame) >= 14 {
			// An 802.1Q frame may carry 4 bytes more, on an Ethernet
			// device, as the packet socket allows; 802.1ad and double
			// tags get no such allowance.
			if t := uint16(frame[12])<<8 | uint16(frame[13]); t == 0x8100 && o.arphrdEther {
				limit += 4
			}
		}
	}
	if o.mtu > 0 && len(frame) > limit {
		if _, ok := gsoHeader(frame, o.mtu); ok && o.link == wire.LinkEthernet {
			return needsGSO
		}
		return o.tooLarge()
	}
	return ""
}

// needsGSO is refuse's answer for a TCP frame larger than the link's MTU
// that can go as a GSO packet (sendGSO).
const needsGSO = "gso"

// sendGSO sends a frame that refuse said needsGSO; an error is a refusal
// of the frame (errno) or, when fatal, the end of the replay.
func (o *output) sendGSO(frame []byte) (err error, isFatal bool) {
	hdr, _ := gsoHeader(frame, o.mtu)
	if o.gso == nil {
		s, err := craft.Open(craft.Target{Link: wire.LinkEthernet, Iface: o.name}, nil)
		if err != nil {
			return fmt.Errorf("replay: %w", err), true
		}
		if err := s.VnetHeaders(); err != nil {
			s.Close()
			return fmt.Errorf("replay: %s: %w", o.name, err), true
		}
		o.gso, o.gsoBuf = s, make([][]byte, 1)
	}
	o.gsoBuf[0] = append(append(o.gsoBuf[0][:0], hdr[:]...), frame...)
	_, err = o.gso.SendFrames(o.gsoBuf)
	var errno unix.Errno
	if err == nil || (errors.As(err, &errno) && !fatal(errno)) {
		return err, false
	}
	return fmt.Errorf("replay: %w", err), true
}

// tooLarge is the reason a frame too large for the link failed.
func (o *output) tooLarge() string {
	return fmt.Sprintf("larger than %s's MTU of %d (ip link set %s mtu N raises it)", o.name, o.mtu, o.name)
}

// add copies frame into the batch (the reader reuses its buffer).
func (o *output) add(frame []byte) {
	if len(o.arena)+len(frame) > cap(o.arena) {
		// Only a frame larger than the arena itself gets here with an
		// empty batch; it gets a buffer of its own.
		o.frames = append(o.frames, append([]byte(nil), frame...))
		return
	}
	start := len(o.arena)
	o.arena = append(o.arena, frame...)
	o.frames = append(o.frames, o.arena[start:len(o.arena):len(o.arena)])
}

// full says the batch should go now.
func (o *output) full() bool {
	return len(o.frames) == cap(o.frames) || len(o.arena) > cap(o.arena)-65536
}

// flush sends the batch. Frames the kernel refuses one by one are
// returned with the reason, and the others go on; done is how many frames
// of the batch were sent or refused. An error ends the replay (the
// interface went down or away): the frames from done on were not sent.
func (o *output) flush() (done int, refused []refusal, err error) {
	o.refusals = o.refusals[:0]
	defer o.reset()
	for done < len(o.frames) {
		n, err := o.sender.SendFrames(o.frames[done:])
		done += n
		if err == nil {
			break
		}
		var errno unix.Errno
		if !errors.As(err, &errno) || fatal(errno) {
			return done, o.refusals, fmt.Errorf("replay: %w", err)
		}
		o.refusals = append(o.refusals, refusal{index: done, reason: reasonFor(errno, o)})
		done++
	}
	return done, o.refusals, nil
}

func (o *output) reset() {
	o.frames = o.frames[:0]
	o.arena = o.arena[:0]
}

// fatal errors end a replay: every frame after would fail the same way.
func fatal(e unix.Errno) bool {
	switch e {
	case unix.ENETDOWN, unix.ENXIO, unix.ENODEV, unix.EPERM, unix.EACCES, unix.EBADF, unix.ENOBUFS, unix.EAGAIN:
		return true
	}
	return false
}

// reasonFor names a refusal in the summary.
func reasonFor(e unix.Errno, o *output) string {
	if e == unix.EMSGSIZE {
		return o.tooLarge()
	}
	return "refused by the kernel: " + e.Error()
}
