//go:build 386 || amd64 || arm || arm64 || loong64 || mips64le || mipsle || ppc64le || riscv64 || wasm

package decode

import "unsafe"

// nodeWords says that Add may write a node as three little-endian words:
// Field, Depth, Flags and Off; Len; Val.
const nodeWords = true

// The layout Add writes: the build fails if Node changes.
var (
	_ [unsafe.Sizeof(Node{}) - 24]byte
	_ [24 - unsafe.Sizeof(Node{})]byte
	_ [unsafe.Offsetof(Node{}.Depth) - 2]byte
	_ [2 - unsafe.Offsetof(Node{}.Depth)]byte
	_ [unsafe.Offsetof(Node{}.Flags) - 3]byte
	_ [3 - unsafe.Offsetof(Node{}.Flags)]byte
	_ [unsafe.Offsetof(Node{}.Off) - 4]byte
	_ [4 - unsafe.Offsetof(Node{}.Off)]byte
	_ [unsafe.Offsetof(Node{}.Len) - 8]byte
	_ [8 - unsafe.Offsetof(Node{}.Len)]byte
	_ [unsafe.Offsetof(Node{}.Val) - 16]byte
	_ [16 - unsafe.Offsetof(Node{}.Val)]byte
)
