package capture

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
	"testing"
	"time"
)

// diskFile is a regular file on a disk that fills after limit bytes.
type diskFile struct {
	data   []byte
	limit  int
	closed bool
}

func (f *diskFile) Write(p []byte) (int, error) {
	room := f.limit - len(f.data)
	if room >= len(p) {
		f.data = append(f.data, p...)
		return len(p), nil
	}
	f.data = append(f.data, p[:max(room, 0)]...)
	return max(room, 0), &fs.PathError{Op: "write", Path: "/full/out.pcap", Err: syscall.ENOSPC}
}

func (f *diskFile) Truncate(n int64) error { f.data = f.data[:n]; return nil }
func (f *diskFile) Close() error           { f.closed = true; return nil }
func (f *diskFile) Stat() (fs.FileInfo, error) {
	return fileInfo{}, nil
}

type fileInfo struct{ fs.FileInfo }

func (fileInfo) Mode() fs.FileMode { return 0o644 }

func TestFullDiskLeavesAValidFileOfTheCountedPackets(t *testing.T) {
	pkts := udpFrames(t, 2000)
	for _, format := range []string{"pcap", "pcapng"} {
		// Limits that cut the header, a record's header, a record's data,
		// and one that falls exactly on a packet's end.
		for _, limit := range []int{0, 10, 100, 1000, 30000, 30001, 99999, 262144 + 17, 400000} {
			f := &diskFile{limit: limit}
			o := newOutput("/full/out.pcap", f, true)
			var err error
			if format == "pcap" {
				err = o.StartPcap(ltEthernet, 0, false)
			} else {
				err = o.StartPcapng([]Interface{{LinkType: ltEthernet, TsResolution: time.Microsecond}})
			}
			err = writeThenClose(o, err, pkts)
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("%s, disk of %d bytes: error %v, want ENOSPC", format, limit, err)
			}
			var we *WriteError
			if !errors.As(err, &we) || we.Packets != o.Packets() {
				t.Fatalf("%s, disk of %d bytes: error %v does not say the %d packets kept", format, limit, err, o.Packets())
			}
			if !f.closed {
				t.Errorf("%s: file not closed", format)
			}
			if len(f.data) == 0 {
				if o.Packets() != 0 {
					t.Errorf("%s, disk of %d bytes: empty file, %d packets counted", format, limit, o.Packets())
				}
				continue
			}
			_, got, rerr := readAll(t, f.data)
			if rerr != nil {
				t.Fatalf("%s, disk of %d bytes: the file left is not a valid capture: %v", format, limit, rerr)
			}
			if len(got) != o.Packets() {
				t.Errorf("%s, disk of %d bytes: file holds %d packets, %d counted", format, limit, len(got), o.Packets())
			}
			samePackets(t, got, pkts[:len(got)], time.Microsecond)
		}
	}
}

func TestOutputCountsEveryPacketWhenNothingFails(t *testing.T) {
	pkts := udpFrames(t, 3000)
	f := &diskFile{limit: 1 << 30}
	o := newOutput("out.pcap", f, true)
	if err := o.StartPcap(ltEthernet, 0, false); err != nil {
		t.Fatal(err)
	}
	for _, p := range pkts {
		if err := o.WritePacket(p.ci, p.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	if o.Packets() != len(pkts) {
		t.Errorf("Packets() = %d, want %d", o.Packets(), len(pkts))
	}
	_, got := mustReadAll(t, f.data)
	samePackets(t, got, pkts, time.Microsecond)
}

func TestWritingToDevFullIsAnErrorNotAPanic(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full here")
	}
	for _, pcapng := range []bool{false, true} {
		o, err := CreateOutput("/dev/full")
		if err != nil {
			t.Fatal(err)
		}
		if pcapng {
			err = o.StartPcapng([]Interface{{LinkType: ltEthernet}})
		} else {
			err = o.StartPcap(ltEthernet, 0, false)
		}
		if cerr := o.Close(); err == nil {
			err = cerr
		}
		if !errors.Is(err, syscall.ENOSPC) || o.Packets() != 0 {
			t.Errorf("pcapng=%v: %v with %d packets, want ENOSPC and 0", pcapng, err, o.Packets())
		}
	}
}

func TestAPacketTheFormatCannotHoldIsNotADiskError(t *testing.T) {
	f := &diskFile{limit: 1 << 20}
	o := newOutput("out.pcap", f, true)
	if err := o.StartPcap(ltEthernet, 0, false); err != nil {
		t.Fatal(err)
	}
	pkts := udpFrames(t, 2)
	bad := pkts[0].ci
	bad.Timestamp = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := o.WritePacket(bad, pkts[0].data); err == nil {
		t.Fatal("a timestamp after 2106 was written to a pcap")
	}
	if err := o.WritePacket(pkts[1].ci, pkts[1].data); err != nil {
		t.Fatalf("the next packet: %v", err)
	}
	if err := o.Close(); err != nil || o.Packets() != 1 {
		t.Errorf("Close: %v, %d packets; want nil, 1", err, o.Packets())
	}
}

func TestAFullDiskNeverCutsStandardOutputsFile(t *testing.T) {
	// sockscope -w - >> log: what was in the file before is the user's.
	f := &diskFile{data: []byte("the user's own lines\n"), limit: 5000}
	before := len(f.data)
	o := newOutput("standard output", f, false)
	err := o.StartPcap(ltEthernet, 0, false)
	err = writeThenClose(o, err, udpFrames(t, 100))
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("error %v, want ENOSPC", err)
	}
	if len(f.data) != 5000 || string(f.data[:before]) != "the user's own lines\n" {
		t.Errorf("standard output's file was cut to %d bytes (%q...), want it left as written", len(f.data), f.data[:min(len(f.data), before)])
	}
}

// writeThenClose writes pkts to o after a start that gave err, stopping at
// the first error, closes o, and returns the first error.
func writeThenClose(o *Output, err error, pkts []testPacket) error {
	for _, p := range pkts {
		if err != nil {
			break
		}
		err = o.WritePacket(p.ci, p.data)
	}
	if cerr := o.Close(); err == nil {
		err = cerr
	}
	return err
}
