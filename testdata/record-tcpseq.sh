#!/usr/bin/env bash
# record-tcpseq.sh records testdata/tcp-seq.pcap (see README.md): TCP
# conversations on the loopback of a fresh network namespace, made with
# ordinary sockets, that exercise tshark's stream index and relative
# sequence numbers: a connection whose handshake is not captured, 4-tuples
# used again after an orderly close and after a reset, a SYN to a closed
# port sent twice from the same port, a SYN retransmitted, then a new SYN
# from the same port while the first attempt never ended.
#
# Usage: sudo testdata/record-tcpseq.sh    Needs root, tcpdump, python3, unshare.
set -euo pipefail
OUT=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "record-tcpseq: needs root" >&2; exit 1; }
exec unshare --net bash -s "$OUT" <<'INNER'
set -euo pipefail
OUT=$1
ip link set lo up
python3 - "$OUT" <<'PY'
import os, socket, struct, subprocess, sys, time
out = sys.argv[1]
def listener(port):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port)); s.listen(8); return s
def client(cport, sport):
    c = socket.socket(); c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    c.bind(("127.0.0.1", cport)); c.connect(("127.0.0.1", sport)); return c
srv = listener(46300)
# 1: established before the capture starts.
early = client(40300, 46300); early_s, _ = srv.accept()
tcpdump = subprocess.Popen(["tcpdump", "-i", "lo", "-w", out + "/tcp-seq.pcap", "tcp"], stderr=subprocess.DEVNULL)
time.sleep(1.5)
early.sendall(b"a" * 100); early_s.recv(1000)
early_s.sendall(b"b" * 200); early.recv(1000)
early_s.sendall(b"c" * 50); early.recv(1000)
early.close(); early_s.recv(10); early_s.close()
time.sleep(0.2)
# 2: a 4-tuple used again after an orderly close (the server closes first).
for i in range(2):
    c = client(40301, 46300); s, _ = srv.accept()
    c.sendall(b"d" * (10 + i)); s.recv(100); s.sendall(b"e" * (20 + i)); c.recv(100)
    s.close(); c.recv(10); c.close(); time.sleep(0.2)
# 3: used again after a reset (SO_LINGER 0 on the client).
for i in range(2):
    c = client(40302, 46300); s, _ = srv.accept()
    c.sendall(b"f" * (30 + i)); s.recv(100)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)); c.close()
    time.sleep(0.1); s.close(); time.sleep(0.2)
# 4: a SYN to a closed port, twice from the same port.
for i in range(2):
    try:
        client(40303, 46309)
    except ConnectionRefusedError:
        pass
    time.sleep(0.2)
# 5: a listener whose accept queue is full drops SYNs: a SYN retransmitted
# with the same sequence number; then, the queue emptied, a new SYN from the
# same port with a new one while the first attempt never ended on the wire.
srv2 = socket.socket(); srv2.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv2.bind(("127.0.0.1", 46310)); srv2.listen(0)
filler = client(40305, 46310)
time.sleep(0.2)
c = socket.socket(); c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); c.bind(("127.0.0.1", 40304)); c.settimeout(1.5)
try:
    c.connect(("127.0.0.1", 46310))
except OSError:
    pass
c.close()
f, _ = srv2.accept(); filler.close(); f.close()
time.sleep(0.2)
c = client(40304, 46310); s, _ = srv2.accept()
c.sendall(b"g" * 40); s.recv(100); s.close(); c.recv(10); c.close()
time.sleep(1)
tcpdump.terminate(); tcpdump.wait()
PY
INNER
