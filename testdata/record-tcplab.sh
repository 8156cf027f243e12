#!/usr/bin/env bash
# record-tcplab.sh records testdata/tcp-loss-nodelay.pcap (see README.md):
# compare's lab (two network namespaces joined by a veth, which compare
# makes and removes) with 20% of the packets arriving on each side dropped
# by nftables, 500 writes of 200 bytes with TCP_NODELAY, so that each
# write is a segment: retransmissions, fast retransmissions after three
# duplicate ACKs, out-of-order segments. With sch_netem in the kernel,
# RECORD_NETEM=1 records tcp-loss-delay.pcap too, with 10 ms delay and 25%
# reordering.
#
# Usage: sudo testdata/record-tcplab.sh    Needs root, go, nftables support.
set -euo pipefail
DIR=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "record-tcplab: needs root" >&2; exit 1; }
BIN=$(mktemp -d)
trap 'rm -rf "$BIN"' EXIT
(cd "$DIR/.." && go build -o "$BIN/sockscope" .)
"$BIN/sockscope" compare --lab --loss 20 --count 500 --size 200 --nodelay --kinds tcp \
	-w "$DIR/tcp-loss-nodelay.pcap" >/dev/null
if [ "${RECORD_NETEM:-0}" = 1 ]; then
	"$BIN/sockscope" compare --lab --loss 20 --delay 10ms --reorder 25 --count 500 --size 200 --nodelay \
		--kinds tcp -w "$DIR/tcp-loss-delay.pcap" >/dev/null
fi
