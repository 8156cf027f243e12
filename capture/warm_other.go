//go:build !amd64

package capture

// warm does nothing where no prefetch instruction is wired in.
func warm(p *byte) {}
