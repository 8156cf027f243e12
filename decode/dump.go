//go:build treedecode

package decode

// appendDumps writes the -x, -X and -A dumps of the packet after its line.
func (p *Printer) appendDumps(b []byte) []byte {
	// Placeholder: the dump forms are in progress.
	return b
}
