//go:build !linux

package craft

import (
	"errors"
	"runtime"
)

// CompareLab is compare --lab's pair of network namespaces: Linux only.
type CompareLab struct {
	NsA, NsB string
	Impair   LabImpairment
}

// LabRawSpec is the raw kind's header in the lab.
const LabRawSpec = "ip(src=10.233.0.1,dst=10.233.0.2,proto=253)"

// LabRawSpec6 is LabRawSpec over IPv6.
const LabRawSpec6 = "ip6(src=fd33::1,dst=fd33::2,nh=253)"

// LabPrefix starts the names of compare --lab's namespaces.
const LabPrefix = "sscmp"

// ReclaimCompareLabs has nothing to remove elsewhere than Linux.
func ReclaimCompareLabs() ([]string, error) { return nil, nil }

// NewCompareLab prepares a lab; elsewhere than Linux it cannot be built.
func NewCompareLab(impair LabImpairment) *CompareLab { return &CompareLab{Impair: impair} }

// Link is the veth end compare captures on.
func (l *CompareLab) Link() string { return l.NsB }

// Build fails: network namespaces are Linux's.
func (l *CompareLab) Build() error {
	return errors.New("lab: network namespaces are Linux's, not " + runtime.GOOS)
}

// Close has nothing to remove.
func (l *CompareLab) Close() error { return nil }

// CompareInLab runs nothing off Linux.
func CompareInLab(cfg CompareConfig, lab *CompareLab) (*CompareReport, error) {
	return Compare(cfg)
}
