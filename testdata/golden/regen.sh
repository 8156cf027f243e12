#!/bin/bash
# Regenerates the golden outputs: what the installed tcpdump (4.99, as Debian ships it)
# prints for every capture in testdata/ in every output mode sockscope matches.
# Usage, from the project's root: bash testdata/golden/regen.sh
# The modes are listed in testdata/golden/modes.txt, one per line: the file suffix, a
# colon, then tcpdump's flags. Output goes to testdata/golden/<capture>.<suffix>.out.gz (gzip, to keep the repository small).
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v tcpdump >/dev/null || { echo "regen: tcpdump is not installed (apt-get install tcpdump)" >&2; exit 1; }
tcpdump --version 2>&1 | head -n 1 | grep -q '4\.99' || echo "regen: warning: not tcpdump 4.99: $(tcpdump --version 2>&1 | head -n 1)" >&2
rm -f testdata/golden/*.out testdata/golden/*.out.gz
for f in testdata/*.pcap testdata/*.pcapng; do
  [ -e "$f" ] || continue
  base=$(basename "$f")
  # mixed.pcap is the benchmark capture: 2000 packets of the same traffic as the
  # others, whose hex dumps alone would be 30 MB. The oracle test compares it
  # against the installed tcpdump instead.
  [ "$base" = mixed.pcap ] && continue
  # libpcap refuses a pcapng whose interfaces have different link types; such files
  # are listed in unreadable.txt and checked by other tests, not against tcpdump.
  if ! tcpdump -c 1 -r "$f" >/dev/null 2>&1; then
    grep -qx "$base" testdata/golden/unreadable.txt ||
      { echo "regen: tcpdump cannot read $f; add it to testdata/golden/unreadable.txt if that is expected" >&2; exit 1; }
    continue
  fi
  while IFS=: read -r suffix flags; do
    [ -n "$suffix" ] || continue
    # TZ=UTC: the default timestamp is local time; golden files must not depend on the zone.
    TZ=UTC tcpdump $flags -r "$f" 2>/dev/null | gzip -n -9 >"testdata/golden/$base.$suffix.out.gz"
  done <testdata/golden/modes.txt
done
echo "regen: $(ls testdata/golden/*.out.gz | wc -l) golden files written"
