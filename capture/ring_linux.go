package capture

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Layout of the TPACKET_V3 ring (linux/if_packet.h). The ring is a run of
// blocks; each starts with a struct tpacket_block_desc and holds frames, each
// a struct tpacket3_hdr, the struct sockaddr_ll of the packet, then (at
// tp_mac) the packet itself.
const (
	// tpacket_block_desc.hdr.bh1 (struct tpacket_hdr_v1) fields.
	blockStatusOff   = 8
	blockNumPktsOff  = 12
	blockFirstPktOff = 16

	// struct tpacket3_hdr fields.
	frameNextOff    = 0
	frameSecOff     = 4
	frameNsecOff    = 8
	frameSnaplenOff = 12
	frameLenOff     = 16
	frameStatusOff  = 20
	frameMacOff     = 24
	frameVlanTCIOff = 32 // hv1.tp_vlan_tci
	frameVlanTPOff  = 36 // hv1.tp_vlan_tpid

	// The struct sockaddr_ll sits at TPACKET_ALIGN(sizeof(struct tpacket3_hdr)).
	sllOff        = 48
	sllProtoOff   = sllOff + 2
	sllIfindexOff = sllOff + 4
	sllHatypeOff  = sllOff + 8
	sllPkttypeOff = sllOff + 10
	sllHalenOff   = sllOff + 11
	sllAddrOff    = sllOff + 12
	// frameHdrEnd is TPACKET3_HDRLEN: the headers the kernel writes end here,
	// and a frame's packet may be moved back into the space after it.
	frameHdrEnd = sllOff + 20
)

// Ring block sizes. A block is a page multiple of at least the largest
// snaplen tcpdump takes (262144), so that the largest packet tcpdump would
// keep fits in a block whole. In a larger ring, blocks grow
// to 1 MiB: the kernel wakes the reader once per block, and fewer wake-ups
// cost less.
var (
	minBlockSize = max(maxSnaplen, os.Getpagesize())
	maxBlockSize = max(1<<20, minBlockSize)
)

// ringBlocks is how many blocks a ring is cut into when its size allows.
const ringBlocks = 32

// blockSizeFor returns the block size for a ring of size bytes: size/32
// rounded down to a power of two, from minBlockSize to maxBlockSize.
func blockSizeFor(size int) int {
	bs := minBlockSize
	for bs*2 <= maxBlockSize && bs*2*ringBlocks <= size {
		bs *= 2
	}
	return bs
}

// ring is a TPACKET_V3 receive ring mapped into memory. The kernel fills
// blocks and hands each over by setting TP_STATUS_USER in its status word;
// the reader walks the block's frames and hands it back with
// TP_STATUS_KERNEL. Blocks are used in order, round the ring.
type ring struct {
	mem       []byte
	blockSize int
	blocks    int

	cur  int  // the block being read, or waited for
	held bool // block cur belongs to us and is not yet handed back
	left int  // frames of block cur not yet returned
	off  int  // offset in mem of the next frame of block cur
}

// newRing asks the kernel for a ring of at least size bytes on packet socket
// fd, whose blocks the kernel hands over at the latest timeout after their
// first packet, and maps it. It settles for fewer blocks when the kernel
// cannot find the memory (ENOMEM).
func newRing(fd int, size int, timeout time.Duration) (*ring, error) {
	bs := blockSizeFor(size)
	n := max(1, (size+bs-1)/bs)
	tov := uint32(max(1, min(timeout.Milliseconds(), 1<<31)))
	for {
		req := unix.TpacketReq3{
			Block_size:     uint32(bs),
			Block_nr:       uint32(n),
			Frame_size:     uint32(bs), // V3 frames are variable; the kernel only checks frames fill the blocks
			Frame_nr:       uint32(n),
			Retire_blk_tov: tov,
		}
		err := unix.SetsockoptTpacketReq3(fd, unix.SOL_PACKET, unix.PACKET_RX_RING, &req)
		if err == nil {
			break
		}
		if !errors.Is(err, unix.ENOMEM) || n == 1 {
			return nil, os.NewSyscallError("setsockopt PACKET_RX_RING", err)
		}
		n -= max(1, n/20)
	}
	mem, err := unix.Mmap(fd, 0, n*bs, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		return nil, os.NewSyscallError("mmap ring", err)
	}
	return &ring{mem: mem, blockSize: bs, blocks: n}, nil
}

// status is the status word of block i, written by the kernel and by us.
func (r *ring) status(i int) *uint32 {
	return (*uint32)(unsafe.Pointer(&r.mem[i*r.blockSize+blockStatusOff]))
}

// ready reports whether next has a frame without waiting for the kernel.
func (r *ring) ready() bool {
	return r.left > 0 || r.blockReady()
}

// blockReady reports whether the kernel has handed over the block after
// those being read.
func (r *ring) blockReady() bool {
	i := r.cur
	if r.held {
		i = (i + 1) % r.blocks
	}
	return atomic.LoadUint32(r.status(i))&unix.TP_STATUS_USER != 0
}

// halfFull reports whether the kernel has filled half the ring or more
// that the reader has yet to read: blocks are filled in order, so it is
// whether the block half a ring past the one being read is the reader's.
func (r *ring) halfFull() bool {
	return atomic.LoadUint32(r.status((r.cur+r.blocks/2)%r.blocks))&unix.TP_STATUS_USER != 0
}

// next returns the next frame: its offset in mem and the end of its block.
// Frames of a block stay valid until next is called after the block's last
// frame; then the block goes back to the kernel. ok is false when the
// kernel still owns the next block.
func (r *ring) next() (off, end int, ok bool) {
	for {
		if r.left > 0 {
			off = r.off
			r.left--
			if r.left > 0 {
				r.off += int(binary.NativeEndian.Uint32(r.mem[off+frameNextOff:]))
			}
			return off, (r.cur + 1) * r.blockSize, true
		}
		if r.held {
			atomic.StoreUint32(r.status(r.cur), unix.TP_STATUS_KERNEL)
			r.held = false
			r.cur = (r.cur + 1) % r.blocks
		}
		if atomic.LoadUint32(r.status(r.cur))&unix.TP_STATUS_USER == 0 {
			return 0, 0, false
		}
		base := r.cur * r.blockSize
		r.held = true
		r.left = int(binary.NativeEndian.Uint32(r.mem[base+blockNumPktsOff:]))
		r.off = base + int(binary.NativeEndian.Uint32(r.mem[base+blockFirstPktOff:]))
	}
}

// close unmaps the ring. The kernel frees it with the socket.
func (r *ring) close() error {
	if r.mem == nil {
		return nil
	}
	err := unix.Munmap(r.mem)
	r.mem = nil
	if err != nil {
		return fmt.Errorf("unmap ring: %w", err)
	}
	return nil
}
