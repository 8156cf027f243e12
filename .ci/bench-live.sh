#!/bin/bash
# Live statistics and rotation under the capture benchmark's load (../shared/bench/capture.sh):
# trafgen sends PACKETS (default 2,000,000) small UDP frames over a veth pair between two private
# namespaces, once to each of
#   capture -w FILE                      (the reference: what a plain capture keeps),
#   stats -i -z conv,udp -z io,phs       (issue 17: live stats keep up),
#   capture -G 1 -w 'r-%s.pcap'          (issue 19: a new file each second loses nothing).
# Each line gives what the veth received, what sockscope counted (in its files, or its UDP
# conversation) and what it reports the kernel dropped. Needs root, trafgen and capinfos.
# Usage, from the project's root: bash .ci/bench-live.sh [PACKETS]   (or: make bench-live)
source "$(dirname "$0")/../../shared/bench/lib.sh"
need trafgen netsniff-ng; need capinfos wireshark-common
build
packets=${1:-2000000}
lab_up
conf=$BENCH_TMP/udp.trafgen
echo "{ eth(da=$MAC_B, sa=$MAC_A), ipv4(saddr=10.99.0.1, daddr=10.99.0.2), udp(sp=1000, dp=9), fill(0x41, 18) }" >"$conf"

run() { # run NAME COMMAND...: runs COMMAND in ssB during the load, stops it with SIGINT; prints rx
  local name=$1; shift
  local rx0; rx0=$(rx_packets)
  ip netns exec ssB timeout -s INT 300 "$@" >"$BENCH_TMP/live-$name.out" 2>"$BENCH_TMP/live-$name.err" &
  local pid=$!
  sleep 2
  ip netns exec ssA trafgen --dev ss0 --conf "$conf" --num "$packets" --cpus 1 >/dev/null 2>&1
  sleep 1
  kill -INT "$pid" 2>/dev/null || true # ip netns exec execs timeout: $pid is timeout, which passes SIGINT on
  wait $pid || true
  echo $(($(rx_packets) - rx0))
}
count() { capinfos -c -M "$1" | awk '/Number of packets/ {print $NF}'; }
dropped() { awk '/dropped by kernel/ {print $1}' "$BENCH_TMP/live-$1.err"; }

rx=$(run capture "$SOCKSCOPE" capture -i ss1 -w "$BENCH_TMP/live.pcap")
echo "capture -w: veth received $rx, file holds $(count "$BENCH_TMP/live.pcap"), kernel dropped $(dropped capture)"

rx=$(run stats "$SOCKSCOPE" stats -i ss1 -z conv,udp -z io,phs)
udp=$(awk '/10.99.0.1:1000 +<-> 10.99.0.2:9 / {print $10}' "$BENCH_TMP/live-stats.out")
eth=$(awk '$1 == "eth" {sub("frames:", "", $2); print $2}' "$BENCH_TMP/live-stats.out")
echo "stats -i: veth received $rx, io,phs counted $eth frames, the UDP conversation $udp of the $packets sent, kernel dropped $(dropped stats)"

rm -rf "$BENCH_TMP/rotate"; mkdir -p "$BENCH_TMP/rotate"
rx=$(run rotate "$SOCKSCOPE" capture -i ss1 -G 1 -w "$BENCH_TMP/rotate/r-%s.pcap")
n=0 files=0
for f in "$BENCH_TMP"/rotate/*.pcap; do n=$((n + $(count "$f"))); files=$((files + 1)); done
echo "capture -G 1: veth received $rx, $files files hold $n, sockscope counted $(awk '/packets captured/ {print $1}' "$BENCH_TMP/live-rotate.err"), kernel dropped $(dropped rotate)"
