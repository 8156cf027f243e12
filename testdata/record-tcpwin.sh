#!/usr/bin/env bash
# record-tcpwin.sh records testdata/tcp-window.pcap (see README.md): TCP on
# the loopback of a fresh network namespace, made with ordinary sockets, for
# tshark's window and keep-alive analysis: a receiver that stops reading
# (its window fills, closes, and opens again as it reads; the sender's
# zero-window probes, which Linux sends as keep-alives), an idle connection
# with keep-alives every second and their ACKs, and a third connection,
# without timestamps, whose closed window is probed with one byte sent from
# a raw socket in place of the sender (Linux never probes with data), which
# the receiving kernel answers.
#
# Usage: sudo testdata/record-tcpwin.sh    Needs root, tcpdump, python3, unshare.
set -euo pipefail
OUT=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "record-tcpwin: needs root" >&2; exit 1; }
exec unshare --net bash -s "$OUT" <<'INNER'
set -euo pipefail
OUT=$1
ip link set lo up
python3 - "$OUT" <<'PY'
import socket, struct, subprocess, sys, threading, time
out = sys.argv[1]
def listener(port, rcvbuf=None):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if rcvbuf: s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.bind(("127.0.0.1", port)); s.listen(8); return s
def client(cport, sport):
    c = socket.socket(); c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    c.bind(("127.0.0.1", cport)); c.connect(("127.0.0.1", sport)); return c
def drain(s, n):
    got = 0
    while got < n:
        got += len(s.recv(1000)); time.sleep(0.002)
tcpdump = subprocess.Popen(["tcpdump", "-i", "lo", "-w", out + "/tcp-window.pcap", "tcp"], stderr=subprocess.DEVNULL)
time.sleep(1.5)
# 1: a receiver (4 KiB receive buffer) that stops reading for 1.5 s.
srv = listener(46400, 4096)
c = client(40400, 46400); s, _ = srv.accept()
data = b"z" * 20000
t = threading.Thread(target=c.sendall, args=(data,)); t.start()
time.sleep(1.5)
drain(s, len(data))
t.join(); c.close(); s.recv(10); s.close()
time.sleep(0.3)
# 2: keep-alives on an idle connection.
srv2 = listener(46401)
c = client(40401, 46401)
c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
s, _ = srv2.accept()
c.sendall(b"k" * 10); s.recv(100)
time.sleep(2.5)
c.close(); s.recv(10); s.close()
time.sleep(0.3)
# 3: a closed window probed with one byte from a raw socket. The receiver's
# last ACK (seen on an AF_PACKET socket) gives the probe's numbers.
open("/proc/sys/net/ipv4/tcp_timestamps", "w").write("0")
sniff = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3)); sniff.bind(("lo", 0)); sniff.settimeout(0.05)
srv3 = listener(46402, 4096)
c = client(40402, 46402); s, _ = srv3.accept()
t = threading.Thread(target=c.sendall, args=(data,)); t.start()
time.sleep(0.5)
last = None
try:
    while True:
        f = sniff.recv(2000)
        ip = f[14:]; ihl = (ip[0] & 15) * 4; tcp = ip[ihl:]
        if ip[9] == 6 and struct.unpack("!H", tcp[:2])[0] == 46402:
            last = struct.unpack("!IIH", tcp[4:12] + tcp[14:16])
except socket.timeout:
    pass
seq, ack, win = last[1], last[0], last[2]
assert win == 0, "the receiver's window is not closed"
def csum(b):
    if len(b) % 2: b += b"\0"
    n = sum(struct.unpack("!%dH" % (len(b) // 2), b)); n = (n >> 16) + (n & 0xffff); n += n >> 16
    return ~n & 0xffff
hdr = struct.pack("!HHIIBBHHH", 40402, 46402, seq, ack, 5 << 4, 0x18, 65535, 0, 0) + b"p"
pseudo = socket.inet_aton("127.0.0.1") * 2 + struct.pack("!BBH", 0, 6, len(hdr))
hdr = hdr[:16] + struct.pack("!H", csum(pseudo + hdr)) + hdr[18:]
raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
raw.sendto(hdr, ("127.0.0.1", 0))
time.sleep(0.3)
drain(s, len(data))
t.join(); c.close(); s.recv(10); s.close()
time.sleep(1)
tcpdump.terminate(); tcpdump.wait()
PY
INNER
