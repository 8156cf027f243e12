//go:build !(386 || amd64 || arm || arm64 || loong64 || mips64le || mipsle || ppc64le || riscv64 || wasm)

package decode

// nodeWords is false on big-endian machines: Add writes a node field by
// field.
const nodeWords = false
