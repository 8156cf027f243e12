//go:build !linux

package compare

import (
	"errors"
	"runtime"
)

// Lab is compare --lab's pair of network namespaces: Linux only.
type Lab struct {
	NsA, NsB string
	Impair   Impairment
}

// LabRawSpec is the raw kind's header in the lab.
const LabRawSpec = "ip(src=10.233.0.1,dst=10.233.0.2,proto=253)"

// LabRawSpec6 is LabRawSpec over IPv6.
const LabRawSpec6 = "ip6(src=fd33::1,dst=fd33::2,nh=253)"

// LabPrefix starts the names of compare --lab's namespaces.
const LabPrefix = "sscmp"

// ReclaimLabs has nothing to remove elsewhere than Linux.
func ReclaimLabs() ([]string, error) { return nil, nil }

// NewLab prepares a lab; elsewhere than Linux it cannot be built.
func NewLab(impair Impairment) *Lab { return &Lab{Impair: impair} }

// Link is the veth end compare captures on.
func (l *Lab) Link() string { return l.NsB }

// Build fails: network namespaces are Linux's.
func (l *Lab) Build() error {
	return errors.New("lab: network namespaces are Linux's, not " + runtime.GOOS)
}

// Close has nothing to remove.
func (l *Lab) Close() error { return nil }

// RunInLab runs nothing off Linux.
func RunInLab(cfg Config, lab *Lab) (*Report, error) {
	return Run(cfg)
}
