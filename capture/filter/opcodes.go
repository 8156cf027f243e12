package filter

// Classic BPF opcodes, as linux/filter.h and libpcap define them. The
// compiler emits bpf.RawInstruction values with these numbers, because
// tcpdump -dd and -ddd print the numbers and SO_ATTACH_FILTER takes them.
const (
	clsLD   = 0x00
	clsLDX  = 0x01
	clsST   = 0x02
	clsSTX  = 0x03
	clsALU  = 0x04
	clsJMP  = 0x05
	clsRET  = 0x06
	clsMISC = 0x07

	sizeW = 0x00
	sizeH = 0x08
	sizeB = 0x10

	modeIMM = 0x00
	modeABS = 0x20
	modeIND = 0x40
	modeMEM = 0x60
	modeLEN = 0x80
	modeMSH = 0xa0

	aluAdd = 0x00
	aluSub = 0x10
	aluMul = 0x20
	aluDiv = 0x30
	aluOr  = 0x40
	aluAnd = 0x50
	aluLsh = 0x60
	aluRsh = 0x70
	aluNeg = 0x80
	aluMod = 0x90
	aluXor = 0xa0

	ja   = 0x00
	jeq  = 0x10
	jgt  = 0x20
	jge  = 0x30
	jset = 0x40

	srcK = 0x00
	srcX = 0x08

	retK = 0x00
	retA = 0x10

	miscTAX = 0x00
	miscTXA = 0x80
)

// memWords is the number of scratch memory words (BPF_MEMWORDS).
const memWords = 16

// Linux's ancillary data loads: an absolute load at skfAdOff+n reads
// socket metadata n instead of packet bytes.
const (
	skfAdOff      = 0xfffff000 // SKF_AD_OFF, -0x1000
	skfAdProtocol = 0
	skfAdPkttype  = 4
	skfAdIfindex  = 8
	skfAdVlanTag  = 44
	skfAdVlanTagP = 48
	skfAdMax      = 64
)

// IP protocol numbers the port primitives use; protoUndef is "TCP, UDP or
// SCTP", a service name with the same number for each.
const (
	ipprotoTCP  = 6
	ipprotoUDP  = 17
	ipprotoSCTP = 132
	protoUndef  = -1
)

func opClass(code int) int { return code & 0x07 }
func opMode(code int) int  { return code & 0xe0 }
func opOp(code int) int    { return code & 0xf0 }
func opSrc(code int) int   { return code & 0x08 }
