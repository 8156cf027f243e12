#!/bin/bash
# How much of tcpdump's own test list sockscope prints exactly as the installed tcpdump does.
# Usage, from the project's root: bash testdata/tcpdump-testlist.sh [TESTLIST [CORPUS]]
# Defaults: ../shared/corpus/tcpdump-TESTLIST and ../shared/corpus/tcpdump.
# Each test line names a capture and options; both tools read the capture with -n and those
# options, and a test counts as identical when the two outputs are equal byte for byte. The
# line figure is the share of tcpdump's lines that sockscope prints too (lines common to both
# outputs, as diff finds them). SOCKSCOPE=path uses a built binary instead of building one;
# KEEP=dir leaves each test's two outputs and its verdict there.
set -u
list=${1:-../shared/corpus/tcpdump-TESTLIST}
corpus=${2:-../shared/corpus/tcpdump}
for f in "$list" "$corpus"; do
	[ -e "$f" ] || { echo "tcpdump-testlist: $f not found; give TESTLIST and CORPUS" >&2; exit 2; }
done
command -v tcpdump >/dev/null || { echo "tcpdump-testlist: tcpdump is not installed (apt-get install tcpdump)" >&2; exit 2; }
work=${KEEP:-$(mktemp -d)}
mkdir -p "$work"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
bin=${SOCKSCOPE:-}
if [ -z "$bin" ]; then
	bin=$work/sockscope
	CGO_ENABLED=0 go build -o "$bin" . || exit 1
fi
tests=0 same=0 lines=0 common=0
while read -r name pcap _ opts; do
	case $name in ''|'#'*) continue ;; esac
	[ -f "$corpus/$pcap" ] || continue
	eval "set -- $opts"
	timeout 20 tcpdump -n -r "$corpus/$pcap" "$@" >"$work/$name.tcpdump" 2>/dev/null
	timeout 20 "$bin" decode -n -r "$corpus/$pcap" "$@" >"$work/$name.sockscope" 2>/dev/null
	n=$(wc -l <"$work/$name.tcpdump")
	gone=$(diff "$work/$name.tcpdump" "$work/$name.sockscope" | grep -c '^<')
	tests=$((tests + 1)) lines=$((lines + n)) common=$((common + n - gone))
	if cmp -s "$work/$name.tcpdump" "$work/$name.sockscope"; then
		same=$((same + 1))
		echo "same $name" >>"$work/verdicts"
	else
		echo "diff $name" >>"$work/verdicts"
	fi
done < <(sed 's/\t\t*/ /g' "$list")
awk -v t="$tests" -v s="$same" -v l="$lines" -v c="$common" 'BEGIN {
	printf "tcpdump test list: %d of %d tests identical (%.1f%%), %d of %d lines (%.1f%%)\n",
		s, t, 100 * s / t, c, l, 100 * c / l }'
