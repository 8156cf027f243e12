package capture

// warm asks the processor to bring the two cache lines from p into its
// cache ahead of their use, without waiting for them (PREFETCHT0).
//
//go:noescape
func warm(p *byte)
