#!/usr/bin/env bash
# record-tcpgap.sh records testdata/tcp-gap.pcap (see README.md): a TCP
# conversation on the loopback of a fresh network namespace, data both
# ways in small segments, recorded by a tcpdump whose filter leaves out
# about one data segment in 32 (those whose sequence number has bits 8-12
# equal to 00101), as a capture that drops packets would: the segment after
# each gap is tshark's "previous segment not captured", the ACK covering a
# left-out segment its "ACKed segment that wasn't captured".
#
# Usage: sudo testdata/record-tcpgap.sh    Needs root, tcpdump, python3, unshare.
set -euo pipefail
OUT=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "record-tcpgap: needs root" >&2; exit 1; }
exec unshare --net bash -s "$OUT" <<'INNER'
set -euo pipefail
OUT=$1
ip link set lo up
python3 - "$OUT" <<'PY'
import socket, subprocess, sys, threading, time
out = sys.argv[1]
flt = "tcp port 46403 and not (tcp[13] & 8 != 0 and tcp[6] & 0x1f == 0x05)"
tcpdump = subprocess.Popen(["tcpdump", "-i", "lo", "-w", out + "/tcp-gap.pcap", flt], stderr=subprocess.DEVNULL)
time.sleep(1.5)
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 46403)); srv.listen(1)
c = socket.socket(); c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); c.bind(("127.0.0.1", 40403))
c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
c.connect(("127.0.0.1", 46403)); s, _ = srv.accept()
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
def echo():
    while True:
        b = s.recv(1000)
        if not b:
            break
        s.sendall(b)
    s.close()
t = threading.Thread(target=echo); t.start()
for i in range(200):
    c.sendall(bytes([97 + i % 26]) * 200)
    c.recv(1000)
    time.sleep(0.002)
c.shutdown(socket.SHUT_WR); t.join(); c.recv(10); c.close()
time.sleep(1)
tcpdump.terminate(); tcpdump.wait()
PY
INNER
