#!/bin/bash
# Records testdata/vlan.pcap: 802.1Q, 802.1ad and QinQ tagged frames, for the
# filter tests ("vlan", "vlan 100 and tcp", "vlan and vlan"...).
#
# This kernel has no VLAN device type ("ip link add ... type vlan": Unknown
# device type) and no tc vlan action, so the tags are put on by the sender:
# in namespace ssfltA a raw AF_PACKET socket sends, over a veth pair, the
# frames of earlier captures here (tcp4, tcp6, frag, arp-icmp, dns,
# icmp6-nd) with zero to three tags added, and tcpdump records what arrives
# in namespace ssfltB (where the kernel takes the outer tag into metadata
# and libpcap puts it back). Everything is removed on exit.
#
# Usage, as root, from anywhere: bash testdata/record-vlan.sh
set -euo pipefail
cd "$(dirname "$0")"
cleanup() {
  [[ -n ${dump:-} ]] && kill "$dump" 2>/dev/null || true
  ip netns del ssfltA 2>/dev/null || true
  ip netns del ssfltB 2>/dev/null || true
}
trap cleanup EXIT
cleanup
ip netns add ssfltA
ip netns add ssfltB
ip link add ssflt0 netns ssfltA type veth peer name ssflt1 netns ssfltB
# Room for three tags on a full-size frame.
ip -n ssfltA link set ssflt0 mtu 1600 up
ip -n ssfltB link set ssflt1 mtu 1600 up
ip netns exec ssfltB tcpdump -i ssflt1 -U -w vlan.pcap 2>/dev/null &
dump=$!
sleep 2
ip netns exec ssfltA python3 - <<'EOF'
import socket, struct, time

def frames(path, limit):
    data = open(path, 'rb').read()
    magic = struct.unpack('<I', data[:4])[0]
    assert magic in (0xa1b2c3d4, 0xa1b23c4d), path
    off, out = 24, []
    while off + 16 <= len(data) and len(out) < limit:
        _, _, caplen, _ = struct.unpack('<IIII', data[off:off + 16])
        out.append(data[off + 16:off + 16 + caplen])
        off += 16 + caplen
    return out

def tag(tpid, vid, pcp=0, dei=0):
    return struct.pack('>HH', tpid, pcp << 13 | dei << 12 | vid)

# Tag stacks, in turn: none, 802.1Q, with priority, with DEI, 802.1ad over
# 802.1Q, priority-only (VID 0), 0x9100 QinQ, and three 802.1Q tags.
stacks = [
    [],
    [tag(0x8100, 100)],
    [tag(0x8100, 200, pcp=3)],
    [tag(0x8100, 100, dei=1)],
    [tag(0x88a8, 300), tag(0x8100, 100)],
    [tag(0x8100, 0, pcp=5)],
    [tag(0x9100, 10), tag(0x8100, 20)],
    [tag(0x8100, 100), tag(0x8100, 200), tag(0x8100, 300)],
]
sources = [('tcp4.pcap', 60), ('tcp6.pcap', 40), ('frag.pcap', 33),
           ('arp-icmp.pcap', 30), ('dns.pcap', 24), ('icmp6-nd.pcap', 24)]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(('ssflt0', 0))
i = 0
for path, limit in sources:
    for f in frames(path, limit):
        s.send(f[:12] + b''.join(stacks[i % len(stacks)]) + f[12:])
        i += 1
        time.sleep(0.002)
EOF
sleep 2
kill "$dump"
wait "$dump" 2>/dev/null || true
dump=
echo "vlan.pcap: $(tcpdump -r vlan.pcap 2>/dev/null | wc -l) packets"
