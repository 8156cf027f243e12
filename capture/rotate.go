package capture

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"time"

	"github.com/lestrrat-go/strftime"

	"github.com/sockscope/sockscope/decode/wire"
)

// Rotation is how a copy of a source goes on in a new file, as tcpdump's
// -C, -W and -z do: a file larger than Size bytes when a packet comes is
// closed and the packet starts the next one, each with the same header.
type Rotation struct {
	// Size is the bytes a file may pass before the next packet goes to a
	// new file (tcpdump -C, in millions of bytes); 0: no rotation.
	Size int64
	// Files, if not 0, makes the files a ring of that many, named with
	// their number from 0 zero-padded to the width of Files-1, the oldest
	// overwritten (tcpdump -W with -C). Without it the first file is the
	// path itself and the next ones the path and 1, 2, ...
	Files int
	// Interval, if not 0, starts a new file for the first packet that
	// comes that long after the file being written was started, on the
	// wall clock (tcpdump -G); the path is then a strftime(3) pattern the
	// time of each file's start fills in, and Files, if not 0, is the
	// number of files after which the copy ends (ErrStop). With Size as
	// well, each interval's files are named as Size's are, from the
	// interval's name (the strftime pattern's), their number counted again
	// from 0 in each interval, and Files is the ring within an interval,
	// not a limit, as tcpdump does with -C, -G and -W together.
	Interval time.Duration
	// PostRotate, if not empty, is a program run with the path of each
	// file the rotation closes (tcpdump -z), not waited for until Close;
	// the file open at the end is not given to it, as tcpdump does.
	PostRotate string
}

// fileName is the path of the file number n (from 0) of a rotation of
// base, started at time at; with both an Interval and a Size, n counts the
// files of the interval that started at time at.
func (r *Rotation) fileName(base string, n int, at time.Time) string {
	if r.Interval > 0 {
		name, err := strftime.Format(base, at, strftime.WithUnixSeconds('s'))
		if err != nil {
			name = base // not after Check
		}
		if r.Size <= 0 {
			return name
		}
		base = name
	}
	if r.Files > 0 {
		return fmt.Sprintf("%s%0*d", base, len(strconv.Itoa(r.Files-1)), n%r.Files)
	}
	if n == 0 {
		return base
	}
	return base + strconv.Itoa(n)
}

// Check is the error of a path the rotation cannot name its files from:
// with an Interval, a strftime(3) pattern with a conversion it does not
// know.
func (r *Rotation) Check(path string) error {
	if r.Interval > 0 {
		if _, err := strftime.Format(path, time.Now(), strftime.WithUnixSeconds('s')); err != nil {
			return fmt.Errorf("%s: not a strftime pattern sockscope reads (%%Y %%m %%d %%H %%M %%S %%s %%j...): %w", path, err)
		}
	}
	return nil
}

// rotating is what an Output keeps of its Rotation.
type rotating struct {
	Rotation
	base    string
	n       int           // the number of the file being written (in its interval, with both)
	started time.Time     // when it (its interval, with both) was started, on the wall clock
	before  int           // packets whole in the files closed
	ifaces  []Interface   // the header of every file: the first one's
	link    wire.LinkType // the first file's link type (pcap)
	running sync.WaitGroup
	errs    chan error // PostRotate's failures
}

// OpenRotatingOutput is OpenOutput for a copy that rotates (r): path is
// the base of the files' names, and not standard output.
func OpenRotatingOutput(path string, src Source, f Format, r Rotation) (*Output, error) {
	if r.Size <= 0 && r.Interval <= 0 {
		return OpenOutput(path, src, f)
	}
	rot := &rotating{Rotation: r, base: path, errs: make(chan error, 16), started: time.Now()}
	o, err := OpenOutput(rot.fileName(path, 0, rot.started), src, f)
	if err != nil {
		return nil, err
	}
	o.rot = rot
	return o, nil
}

// rotateIfFull, for an Output that rotates and has written its header,
// starts the next file when the one being written is larger
// than the rotation's size, or older than its interval; ErrStop when the
// interval's files are all written.
func (o *Output) rotateIfFull() error {
	r := o.rot
	n := r.n + 1
	if r.Interval > 0 && time.Since(r.started) >= r.Interval {
		if r.Size <= 0 && r.Files > 0 && n >= r.Files {
			return ErrStop
		}
		if r.Size > 0 {
			n = 0 // the next interval's files count from 0 again
		}
		r.started = time.Now()
	} else if r.Size <= 0 || o.out.n+int64(o.buffered()) <= r.Size {
		return nil
	}
	if err := o.Flush(); err != nil {
		return err
	}
	if err := o.f.Close(); err != nil {
		return o.fail(err)
	}
	if r.PostRotate != "" {
		r.run(o.name)
	}
	r.before += o.whole
	r.n = n
	name := r.fileName(r.base, r.n, r.started)
	f, err := os.Create(name)
	if err != nil {
		return o.fail(err)
	}
	next := newOutput(name, f, true)
	next.src, next.format, next.rot = o.src, o.format, r
	*o = *next
	return o.start(r.ifaces, r.link)
}

// wait waits for the PostRotate programs started and gives the first
// failure among them.
func (r *rotating) wait() error {
	r.running.Wait()
	select {
	case err := <-r.errs:
		return err
	default:
		return nil
	}
}

// run starts PostRotate on path.
func (r *rotating) run(path string) {
	cmd := exec.Command(r.PostRotate, path)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		select {
		case r.errs <- fmt.Errorf("-z %s %s: %w", r.PostRotate, path, err):
		default:
		}
		return
	}
	r.running.Add(1)
	go func() {
		defer r.running.Done()
		if err := cmd.Wait(); err != nil {
			select {
			case r.errs <- fmt.Errorf("-z %s %s: %w", r.PostRotate, path, err):
			default:
			}
		}
	}()
}
