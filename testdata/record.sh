#!/usr/bin/env bash
# record.sh records the real-traffic captures in testdata/ (see README.md).
#
# Every packet is real: the script builds a small lab of network namespaces
# joined by veth pairs, makes traffic in it with ordinary tools (ping, nc,
# dig, dnsmasq, radvd, socat) and records it with tcpdump or tshark. Nothing
# is sent outside the namespaces it creates: no address of the machine is
# used, no real interface is touched. Namespaces are named sstd* and removed
# on exit, also on failure.
#
# Usage: sudo testdata/record.sh [capture...]   (default: all)
#   captures: arp-icmp icmp6-nd tcp dns frag vxlan any raw-ip multi mixed http
#
# Needs root and: tcpdump tshark editcap capinfos ping nc(openbsd) dig
# dnsmasq radvd socat nft ethtool ss
#   apt-get install tcpdump tshark dnsutils dnsmasq radvd socat nftables ethtool netcat-openbsd
#
# Addresses: 10.99.0.0/16 and fd00:99::/48, MACs 02:99:..., set explicitly,
# so reruns give the same addresses (ports, ISNs, ids and times vary).
set -euo pipefail

OUT=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/sstd-record.XXXXXX)
NAMESPACES=(sstdA sstdB sstdR)
PIDS=()

log() { printf 'record: %s\n' "$*" >&2; }

# stop_pids ends the background processes this script started.
stop_pids() {
	local p
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${PIDS[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	PIDS=()
}

# teardown removes the lab: processes first, so the namespaces really go.
teardown() {
	local n
	stop_pids
	for n in "${NAMESPACES[@]}"; do
		ip netns del "$n" 2>/dev/null || true
	done
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	teardown
	rm -rf "$WORK"
	if [ "$rc" -ne 0 ]; then log "failed (exit $rc); lab removed"; fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in tcpdump tshark editcap capinfos ping nc dig dnsmasq radvd socat nft ethtool ss; do
	command -v "$tool" >/dev/null || { log "missing $tool"; exit 1; }
done
[ "$(id -u)" -eq 0 ] || { log "needs root (namespaces, raw capture)"; exit 1; }

A() { ip netns exec sstdA "$@"; }
B() { ip netns exec sstdB "$@"; }
R() { ip netns exec sstdR "$@"; }

# bg NS CMD...: run CMD in namespace NS in the background, remember its pid.
bg() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@" &
	PIDS+=($!)
}

# mkns NAME [noipv6]: a fresh namespace with lo up.
mkns() {
	ip netns del "$1" 2>/dev/null || true
	ip netns add "$1"
	if [ "${2:-}" = noipv6 ]; then
		ip netns exec "$1" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	fi
	ip -n "$1" link set lo up
}

# mkveth NS1 DEV1 MAC1 NS2 DEV2 MAC2: a veth pair made inside the namespaces
# (never in the root namespace), with offloads off so the capture shows
# wire-sized segments with final checksums.
mkveth() {
	ip -n "$1" link add "$2" address "$3" type veth peer name "$5" address "$6" netns "$4"
	ip netns exec "$1" ethtool -K "$2" tx off tso off gso off gro off >/dev/null 2>&1 || true
	ip netns exec "$4" ethtool -K "$5" tx off tso off gso off gro off >/dev/null 2>&1 || true
}

# addr NS DEV ADDR...: add addresses to a device.
addr() {
	local ns=$1 dev=$2 a
	shift 2
	for a in "$@"; do ip -n "$ns" addr add "$a" dev "$dev"; done
}

# wait_dad NS: until no IPv6 address in NS is tentative.
wait_dad() {
	local i
	for i in $(seq 60); do
		[ -z "$(ip -n "$1" -6 addr show tentative)" ] && return 0
		sleep 0.1
	done
	log "dad did not finish in $1"
	return 1
}

# wait_port NS tcp|udp PORT: until something listens on PORT in NS.
wait_port() {
	local i flag=-Hltn
	[ "$2" = udp ] && flag=-Hlun
	for i in $(seq 50); do
		[ -n "$(ip netns exec "$1" ss $flag "sport = :$3")" ] && return 0
		sleep 0.1
	done
	log "nothing listens on $2/$3 in $1"
	return 1
}

# cap_start NS DEV FILE [tcpdump args]: record DEV in NS into $WORK/FILE.
# Sets CAP (pid) and CAPFILE; returns once tcpdump is listening.
cap_start() {
	local ns=$1 dev=$2 file=$3 i
	shift 3
	CAPFILE=$file
	ip netns exec "$ns" tcpdump -Z root -U -i "$dev" -w "$WORK/$file" "$@" 2>"$WORK/$file.log" &
	CAP=$!
	PIDS+=("$CAP")
	for i in $(seq 50); do
		grep -q 'listening on' "$WORK/$file.log" && return 0
		sleep 0.1
	done
	log "tcpdump did not start: $(cat "$WORK/$file.log")"
	return 1
}

# cap_stop: let the last packets in, stop tcpdump, move the file to testdata/.
cap_stop() {
	sleep 1
	kill -INT "$CAP" 2>/dev/null || true
	wait "$CAP" || true
	keep "$CAPFILE"
	log "$CAPFILE: $(grep -h 'captured' "$WORK/$CAPFILE.log")"
}

# keep FILE: move a finished capture from $WORK to testdata/.
keep() {
	[ -s "$WORK/$1" ] || { log "$1 is empty"; return 1; }
	chmod 0644 "$WORK/$1"
	mv "$WORK/$1" "$OUT/$1"
}

# Payload files: printable, deterministic.
seq 1 800 >"$WORK/c3k.dat"                  # 3092 bytes
seq 1000 1999 >"$WORK/s5k.dat"              # 5000 bytes
seq 100000 109999 >"$WORK/64k.dat" && truncate -s 65536 "$WORK/64k.dat"
seq 1 2000 >"$WORK/udp3k.dat" && truncate -s 3000 "$WORK/udp3k.dat"

# tcp_session NS SRVNS SRVADDR PORT CLIPORT CLIDATA SRVDATA: one nc session,
# data both ways, orderly close from both ends.
tcp_session() {
	local cns=$1 sns=$2 addr=$3 port=$4 cport=$5 cdata=$6 sdata=$7 spid
	ip netns exec "$sns" nc -N -l "$addr" "$port" <"$sdata" >/dev/null &
	spid=$!
	PIDS+=("$spid")
	wait_port "$sns" tcp "$port"
	timeout 60 ip netns exec "$cns" nc -N -p "$cport" "$addr" "$port" <"$cdata" >/dev/null
	wait "$spid"
}

# lab_pair [noipv6]: A(a0) <-> B(b0), 10.99.0.1-2/24, fd00:99::1-2/64.
lab_pair() {
	teardown
	mkns sstdA "${1:-}"
	mkns sstdB "${1:-}"
	mkveth sstdA a0 02:99:00:00:00:01 sstdB b0 02:99:00:00:00:02
	addr sstdA a0 10.99.0.1/24
	addr sstdB b0 10.99.0.2/24
	if [ "${1:-}" != noipv6 ]; then
		addr sstdA a0 fd00:99::1/64
		addr sstdB b0 fd00:99::2/64
	fi
	ip -n sstdA link set a0 up
	ip -n sstdB link set b0 up
	if [ "${1:-}" != noipv6 ]; then
		wait_dad sstdA
		wait_dad sstdB
	fi
	sleep 1
}

# lab_chain [noipv6]: A(a0) <-> (r0)R(r1) <-> (b0)B, R forwards.
#   A-R: 10.99.1.0/24, fd00:99:1::/64; R-B: 10.99.2.0/24, fd00:99:2::/64.
# Links are left down; the caller brings them up (to record link-up traffic).
lab_chain() {
	teardown
	mkns sstdA "${1:-}"
	mkns sstdR "${1:-}"
	mkns sstdB "${1:-}"
	mkveth sstdA a0 02:99:00:00:01:01 sstdR r0 02:99:00:00:01:fe
	mkveth sstdR r1 02:99:00:00:02:fe sstdB b0 02:99:00:00:02:02
	R sysctl -q -w net.ipv4.ip_forward=1
	addr sstdA a0 10.99.1.1/24
	addr sstdR r0 10.99.1.254/24
	addr sstdR r1 10.99.2.254/24
	addr sstdB b0 10.99.2.2/24
	if [ "${1:-}" != noipv6 ]; then
		R sysctl -q -w net.ipv6.conf.all.forwarding=1
		addr sstdA a0 fd00:99:1::1/64
		addr sstdR r0 fd00:99:1::fe/64
		addr sstdR r1 fd00:99:2::fe/64
		addr sstdB b0 fd00:99:2::2/64
	fi
}

# chain_routes: default routes of A and B through R (links must be up).
chain_routes() {
	ip -n sstdA route add default via 10.99.1.254
	ip -n sstdB route add default via 10.99.2.254
}

rec_arp_icmp() {
	log "arp-icmp.pcap"
	lab_chain noipv6
	ip -n sstdR link set r0 up
	ip -n sstdR link set r1 up
	ip -n sstdB link set b0 up
	ip -n sstdA link set a0 up
	chain_routes
	sleep 1
	cap_start sstdA a0 arp-icmp.pcap
	A ping -c 2 -i 0.2 10.99.1.254 >/dev/null          # ARP who-has/reply, echo
	A ping -c 2 -i 0.2 10.99.2.2 >/dev/null            # routed echo
	A ping -c 1 -R 10.99.2.2 >/dev/null                # IP option: record route
	A ping -c 1 -T tsonly 10.99.2.2 >/dev/null         # IP option: timestamp
	A ping -c 1 -T tsandaddr 10.99.2.2 >/dev/null
	A ping -c 1 -t 1 10.99.2.2 >/dev/null || true      # time exceeded from R
	A ping -c 1 -s 1000 -p 5353 10.99.2.2 >/dev/null
	echo probe | A nc -u -w 1 -p 40000 10.99.2.2 33434 || true  # port unreachable
	A ping -c 1 -w 5 10.99.2.99 >/dev/null || true     # host unreachable (R's ARP fails)
	A ping -c 1 -w 2 10.99.9.9 >/dev/null || true      # net unreachable (R has no route)
	cap_stop
}

rec_icmp6_nd() {
	log "icmp6-nd.pcap"
	lab_chain
	# The R-B link is smaller, so R answers big packets with Packet Too Big.
	ip -n sstdR link set r1 mtu 1280
	ip -n sstdB link set b0 mtu 1280
	ip -n sstdR link set r1 up
	ip -n sstdB link set b0 up
	ip -n sstdB -6 route add default via fd00:99:2::fe
	# a0 up without carrier: the capture sees DAD, MLD and RS when r0 comes up.
	ip -n sstdA link set a0 up
	cap_start sstdA a0 icmp6-nd.pcap
	ip -n sstdR link set r0 up
	cat >"$WORK/radvd.conf" <<-'EOF'
	interface r0 {
		AdvSendAdvert on;
		MinRtrAdvInterval 3;
		MaxRtrAdvInterval 10;
		AdvLinkMTU 1500;
		prefix fd00:99:1::/64 {
			AdvOnLink on;
			AdvAutonomous on;
		};
		RDNSS fd00:99:1::fe {
		};
		DNSSL example.test {
		};
	};
	EOF
	bg sstdR radvd -n -m stderr -C "$WORK/radvd.conf" -p "$WORK/radvd.pid" 2>"$WORK/radvd.log"
	local radvd=$!
	wait_dad sstdA
	wait_dad sstdR
	wait_dad sstdB
	local i
	for i in $(seq 100); do # A learns its default route from R's RA
		[ -n "$(ip -n sstdA -6 route show default)" ] && break
		sleep 0.1
	done
	[ -n "$(ip -n sstdA -6 route show default)" ] || { log "no RA default route in A"; return 1; }
	sleep 0.5
	wait_dad sstdA # the address A made from the RA's prefix
	A ping -6 -c 2 -i 0.2 fd00:99:1::fe >/dev/null             # NS/NA, echo
	A ping -6 -c 2 -i 0.2 -I a0 ff02::1 >/dev/null 2>&1 || true    # multicast echo
	A ping -6 -c 2 -i 0.2 fd00:99:2::2 >/dev/null              # routed echo
	A ping -6 -c 1 -t 1 fd00:99:2::2 >/dev/null || true        # time exceeded
	echo probe | A nc -6 -u -w 1 -p 40000 fd00:99:2::2 33434 || true # port unreachable
	A ping -6 -c 3 -i 0.5 -s 1400 fd00:99:2::2 >/dev/null || true     # packet too big, then fragments
	A ping -6 -c 1 -w 5 fd00:99:2::99 >/dev/null || true       # address unreachable
	kill "$radvd"                                              # final RA, lifetime 0
	wait "$radvd" || true
	cap_stop
}

# tcp_sessions V ADDR P: the TCP sessions of tcp4/tcp6 (A is the client),
# server ports P+1..P+4, client ports P-5000+1...
tcp_sessions() {
	local v=$1 addr=$2 p=$3
	tcp_session sstdA sstdB "$addr" $((p + 1)) $((p - 5000 + 1)) "$WORK/c3k.dat" "$WORK/s5k.dat"
	A nc "-$v" -z -w 1 -p $((p - 5000 + 9)) "$addr" $((p + 9)) || true # refused: RST
	# Timestamps off in A only (sysctl is per namespace; covers IPv6 too).
	A sysctl -q -w net.ipv4.tcp_timestamps=0
	tcp_session sstdA sstdB "$addr" $((p + 2)) $((p - 5000 + 2)) "$WORK/c3k.dat" "$WORK/s5k.dat"
	A sysctl -q -w net.ipv4.tcp_timestamps=1
	# ECN negotiated (ECE/CWR in the handshake).
	A sysctl -q -w net.ipv4.tcp_ecn=1
	B sysctl -q -w net.ipv4.tcp_ecn=1
	tcp_session sstdA sstdB "$addr" $((p + 3)) $((p - 5000 + 3)) "$WORK/c3k.dat" "$WORK/s5k.dat"
	A sysctl -q -w net.ipv4.tcp_ecn=2
	B sysctl -q -w net.ipv4.tcp_ecn=2
	# A lossy link: B drops 1 in 5 packets of this session as they arrive
	# (netem is not in this kernel; nft numgen at ingress plays the lossy
	# wire). The capture on a0 shows A's retransmissions and B's SACKs.
	B nft -f - <<-EOF
	table netdev sstdloss {
		chain in {
			type filter hook ingress device b0 priority 0;
			tcp dport $((p + 4)) numgen random mod 5 == 0 drop
		}
	}
	EOF
	tcp_session sstdA sstdB "$addr" $((p + 4)) $((p - 5000 + 4)) "$WORK/64k.dat" "$WORK/c3k.dat"
	B nft delete table netdev sstdloss
}

rec_tcp() {
	log "tcp4.pcap tcp6.pcap tcp-nano.pcap"
	lab_pair
	cap_start sstdA a0 tcp4.pcap tcp or icmp
	tcp_sessions 4 10.99.0.2 46000
	cap_stop
	cap_start sstdA a0 tcp6.pcap tcp or icmp6
	tcp_sessions 6 fd00:99::2 46100
	cap_stop
	cap_start sstdA a0 tcp-nano.pcap --time-stamp-precision=nano
	A ping -c 2 -i 0.2 10.99.0.2 >/dev/null
	tcp_session sstdA sstdB 10.99.0.2 46010 40010 "$WORK/c3k.dat" "$WORK/s5k.dat"
	cap_stop
}

# start_dnsmasq [validator]: a DNS server for the made-up zone example.test
# in B on 10.99.0.2 and fd00:99::2. With "validator", also a DNSSEC
# validating forwarder on 10.99.0.3 whose upstream is the first server:
# the zone is unsigned, so validation fails and it answers SERVFAIL.
start_dnsmasq() {
	local big=() i
	for i in $(seq 100 139); do big+=("--host-record=big.example.test,10.99.0.$i"); done
	bg sstdB dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts \
		--bind-interfaces --listen-address=10.99.0.2 --listen-address=fd00:99::2 \
		--pid-file="$WORK/dnsmasq.pid" --user=root --group=root \
		--local=/example.test/ \
		--host-record=www.example.test,10.99.0.80,fd00:99::80 \
		--host-record=mail.example.test,10.99.0.25,fd00:99::25 \
		--host-record=sip.example.test,10.99.0.60 \
		"${big[@]}" \
		--mx-host=example.test,mail.example.test,10 \
		--txt-record=example.test,"v=spf1 mx -all" \
		--txt-record=info.example.test,"first string","second string" \
		--srv-host=_sip._udp.example.test,sip.example.test,5060,10,60 \
		--cname=ftp.example.test,www.example.test \
		--ptr-record=1.0.99.10.in-addr.arpa,a.example.test \
		--server=/broken.test/10.99.77.1 2>"$WORK/dnsmasq.log"
	wait_port sstdB udp 53
	[ "${1:-}" = validator ] || return 0
	addr sstdB b0 10.99.0.3/24
	# The trust anchor is the root zone's KSK-2017 DS record.
	bg sstdB dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts \
		--bind-interfaces --listen-address=10.99.0.3 \
		--pid-file="$WORK/dnsmasq-v.pid" --user=root --group=root \
		--server=10.99.0.2 --dnssec \
		--trust-anchor=.,20326,8,2,E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D \
		2>"$WORK/dnsmasq-v.log"
	for i in $(seq 50); do
		[ -n "$(B ss -Hlun 'src 10.99.0.3 and sport = :53')" ] && return 0
		sleep 0.1
	done
	log "validating dnsmasq did not start"
	return 1
}

rec_dns() {
	log "dns.pcap"
	lab_pair
	start_dnsmasq validator
	local d="dig @10.99.0.2 +tries=1 +time=3"
	cap_start sstdA a0 dns.pcap
	A $d www.example.test A >/dev/null
	A $d www.example.test AAAA >/dev/null
	A $d example.test MX >/dev/null
	A $d example.test TXT >/dev/null
	A $d info.example.test TXT >/dev/null
	A $d _sip._udp.example.test SRV >/dev/null
	A $d ftp.example.test CNAME >/dev/null
	A $d ftp.example.test A >/dev/null
	A $d -x 10.99.0.80 >/dev/null
	A $d -x 10.99.0.1 >/dev/null
	A $d -x fd00:99::80 >/dev/null
	A $d nothere.example.test A >/dev/null            # NXDOMAIN
	A $d www.example.org A >/dev/null || true         # REFUSED: no upstream
	A $d www.broken.test A >/dev/null || true         # REFUSED, EDE network error
	A dig @10.99.0.3 +tries=1 +time=3 www.example.test A >/dev/null || true # SERVFAIL, EDE DNSSEC bogus
	A $d big.example.test A >/dev/null                # 40 answers (~700 bytes)
	A $d +noedns +ignore big.example.test A >/dev/null # truncated (TC) over UDP
	A $d +noedns big.example.test A >/dev/null        # TC, then dig retries over TCP
	A $d example.test ANY >/dev/null || true
	A $d +tcp www.example.test A >/dev/null           # over TCP
	A $d +tcp example.test MX >/dev/null
	A $d +dnssec www.example.test A >/dev/null        # EDNS with DO bit
	A $d +noedns www.example.test A >/dev/null        # no OPT record
	A $d +nocookie +bufsize=512 example.test TXT >/dev/null
	A $d +norecurse www.example.test A >/dev/null
	A dig @fd00:99::2 +tries=1 +time=3 www.example.test AAAA >/dev/null # over IPv6
	A dig @fd00:99::2 +tries=1 +time=3 +tcp mail.example.test A >/dev/null
	cap_stop
}

rec_frag() {
	log "frag.pcap"
	lab_pair
	cap_start sstdA a0 frag.pcap ip or ip6
	A ping -c 2 -i 0.2 -s 4000 10.99.0.2 >/dev/null
	A ping -6 -c 2 -i 0.2 -s 4000 fd00:99::2 >/dev/null
	bg sstdB nc -u -l 10.99.0.2 48000 >/dev/null
	wait_port sstdB udp 48000
	A nc -u -w 1 -p 40007 10.99.0.2 48000 <"$WORK/udp3k.dat" || true
	bg sstdB nc -6 -u -l fd00:99::2 48001 >/dev/null
	wait_port sstdB udp 48001
	A nc -6 -u -w 1 -p 40008 fd00:99::2 48001 <"$WORK/udp3k.dat" || true
	cap_stop
}

rec_vxlan() {
	log "vxlan.pcap"
	lab_pair
	ip -n sstdA link add vx0 address 02:99:00:00:42:01 type vxlan id 42 \
		local 10.99.0.1 remote 10.99.0.2 dstport 4789 dev a0
	ip -n sstdB link add vx0 address 02:99:00:00:42:02 type vxlan id 42 \
		local 10.99.0.2 remote 10.99.0.1 dstport 4789 dev b0
	A ethtool -K vx0 tx off tso off gso off >/dev/null 2>&1 || true
	B ethtool -K vx0 tx off tso off gso off >/dev/null 2>&1 || true
	addr sstdA vx0 10.99.42.1/24 fd00:99:42::1/64
	addr sstdB vx0 10.99.42.2/24 fd00:99:42::2/64
	cap_start sstdA a0 vxlan.pcap udp port 4789
	ip -n sstdA link set vx0 up
	ip -n sstdB link set vx0 up
	wait_dad sstdA
	wait_dad sstdB
	A ping -c 3 -i 0.2 10.99.42.2 >/dev/null          # inner ARP + echo
	A ping -6 -c 3 -i 0.2 fd00:99:42::2 >/dev/null     # inner ND + echo
	tcp_session sstdA sstdB 10.99.42.2 46020 40020 "$WORK/c3k.dat" "$WORK/s5k.dat"
	cap_stop
}

rec_any() {
	log "any.pcap any-sll1.pcap"
	lab_pair
	start_dnsmasq
	local cap2
	# Both encapsulations of the same traffic, recorded side by side.
	cap_start sstdA any any-sll1.pcap -y LINUX_SLL
	cap2=$CAP
	cap_start sstdA any any.pcap -y LINUX_SLL2
	A ping -c 2 -i 0.2 10.99.0.2 >/dev/null           # A -> B
	B ping -c 2 -i 0.2 10.99.0.1 >/dev/null           # B -> A
	A ping -6 -c 2 -i 0.2 fd00:99::2 >/dev/null
	A ping -c 2 -i 0.2 127.0.0.1 >/dev/null           # loopback in A
	A ping -6 -c 1 ::1 >/dev/null
	tcp_session sstdA sstdB 10.99.0.2 46030 40030 "$WORK/c3k.dat" "$WORK/s5k.dat"
	tcp_session sstdB sstdA 10.99.0.1 46031 40031 "$WORK/c3k.dat" "$WORK/s5k.dat"
	tcp_session sstdA sstdA 127.0.0.1 46032 40032 "$WORK/c3k.dat" "$WORK/s5k.dat"
	tcp_session sstdA sstdB fd00:99::2 46033 40033 "$WORK/c3k.dat" "$WORK/s5k.dat"
	bg sstdA nc -u -l 10.99.0.1 48030 >/dev/null
	wait_port sstdA udp 48030
	echo datagram from B | B nc -u -w 1 -p 40034 10.99.0.1 48030 || true
	A dig @10.99.0.2 +tries=1 +time=3 www.example.test A >/dev/null
	A dig @fd00:99::2 +tries=1 +time=3 www.example.test AAAA >/dev/null
	A dig @10.99.0.2 +tries=1 +time=3 +tcp example.test MX >/dev/null
	cap_stop
	CAP=$cap2
	CAPFILE=any-sll1.pcap
	cap_stop
}

# lab_tun: the pair lab plus tun0 in A and B, carried by socat over UDP on
# the veth. tun0 has no link layer, so a capture on it is LINKTYPE_RAW.
lab_tun() {
	lab_pair
	bg sstdA socat TUN:10.99.8.1/24,tun-name=tun0,tun-type=tun,iff-no-pi,iff-up \
		UDP-DATAGRAM:10.99.0.2:7777,bind=10.99.0.1:7777
	bg sstdB socat TUN:10.99.8.2/24,tun-name=tun0,tun-type=tun,iff-no-pi,iff-up \
		UDP-DATAGRAM:10.99.0.1:7777,bind=10.99.0.2:7777
	local i
	for i in $(seq 50); do
		ip -n sstdA link show tun0 >/dev/null 2>&1 && ip -n sstdB link show tun0 >/dev/null 2>&1 && break
		sleep 0.1
	done
	ip -n sstdA link set tun0 mtu 1400
	ip -n sstdB link set tun0 mtu 1400
	addr sstdA tun0 fd00:99:8::1/64
	addr sstdB tun0 fd00:99:8::2/64
	wait_dad sstdA
	wait_dad sstdB
	sleep 0.5
}

rec_raw_ip() {
	log "raw-ip.pcap"
	lab_tun
	cap_start sstdA tun0 raw-ip.pcap
	A ping -c 2 -i 0.2 10.99.8.2 >/dev/null
	A ping -6 -c 2 -i 0.2 fd00:99:8::2 >/dev/null
	tcp_session sstdA sstdB 10.99.8.2 46040 40040 "$WORK/c3k.dat" "$WORK/s5k.dat"
	tcp_session sstdA sstdB fd00:99:8::2 46041 40041 "$WORK/c3k.dat" "$WORK/s5k.dat"
	bg sstdB nc -u -l 10.99.8.2 48040 >/dev/null
	wait_port sstdB udp 48040
	echo datagram over tun | A nc -u -w 1 -p 40042 10.99.8.2 48040 || true
	cap_stop
}

rec_multi() {
	log "multi.pcapng comment.pcapng"
	lab_tun
	local t1 t2 i
	# Four interfaces, three link types: a0 and lo (Ethernet), tun0 (raw IP),
	# any (Linux cooked v2).
	A tshark -q -i a0 -i lo -i tun0 -i any -y LINUX_SLL2 -a duration:6 \
		--capture-comment "sockscope testdata: multi-interface capture made by record.sh" \
		-w "$WORK/multi.pcapng" 2>"$WORK/multi.log" &
	t1=$!
	PIDS+=("$t1")
	A tshark -q -i a0 -f icmp -a duration:4 -w "$WORK/single.pcapng" 2>"$WORK/single.log" &
	t2=$!
	PIDS+=("$t2")
	for i in $(seq 100); do
		grep -q '^Capturing on' "$WORK/multi.log" && grep -q '^Capturing on' "$WORK/single.log" && break
		sleep 0.1
	done
	sleep 0.5
	A ping -c 2 -i 0.2 10.99.0.2 >/dev/null           # a0
	A ping -c 2 -i 0.2 10.99.8.2 >/dev/null           # tun0, carried over a0
	A ping -c 2 -i 0.2 127.0.0.1 >/dev/null           # lo
	A ping -6 -c 2 -i 0.2 fd00:99:8::2 >/dev/null
	wait "$t1" || true
	wait "$t2" || true
	keep multi.pcapng
	editcap --capture-comment "sockscope testdata: pcapng with comments, made by record.sh" \
		-a "1:first packet: an echo request" -a "2:second packet: its reply" \
		"$WORK/single.pcapng" "$WORK/comment.pcapng"
	keep comment.pcapng
}

# mixed_round N: one round of the benchmark traffic.
mixed_round() {
	local n=$1 q
	ip -n sstdA neigh flush dev a0                      # fresh ARP and ND
	A ping -c 4 -i 0.05 10.99.0.2 >/dev/null
	A ping -6 -c 4 -i 0.05 fd00:99::2 >/dev/null
	for q in www mail ftp sip nothere; do
		A dig @10.99.0.2 +tries=1 +time=2 "$q.example.test" A >/dev/null || true
		A dig @fd00:99::2 +tries=1 +time=2 "$q.example.test" AAAA >/dev/null || true
	done
	A dig @10.99.0.2 +tries=1 +time=2 +tcp example.test MX >/dev/null
	tcp_session sstdA sstdB 10.99.0.2 $((46200 + n)) $((41200 + n)) "$WORK/64k.dat" "$WORK/s5k.dat"
	tcp_session sstdB sstdA fd00:99::1 $((46300 + n)) $((41300 + n)) "$WORK/c3k.dat" "$WORK/64k.dat"
}

rec_mixed() {
	log "mixed.pcap"
	lab_pair
	start_dnsmasq
	cap_start sstdA a0 mixed.pcap -c 2000
	local n
	for n in $(seq 1 40); do
		kill -0 "$CAP" 2>/dev/null || break
		mixed_round "$n"
	done
	cap_stop
}

# rec_http: HTTP/1.1 between curl in A and testdata/httpserver (a small Go
# server, built here) in B: three requests on one keep-alive connection,
# then a POST on a new one. For craft/replay's conversation replay.
rec_http() {
	log "http.pcap"
	command -v go >/dev/null || { log "missing go (to build testdata/httpserver)"; return 1; }
	command -v curl >/dev/null || { log "missing curl"; return 1; }
	(cd "$OUT/.." && CGO_ENABLED=0 go build -o "$WORK/httpserver" ./testdata/httpserver)
	lab_pair
	bg sstdB "$WORK/httpserver" -listen 10.99.0.2:46080 >"$WORK/httpserver.log" 2>&1
	wait_port sstdB tcp 46080
	cap_start sstdA a0 http.pcap tcp port 46080
	local u=http://10.99.0.2:46080
	A curl -sS --local-port 40080 -o /dev/null -o /dev/null -o /dev/null "$u/" "$u/data.json" "$u/nothere"
	A curl -sS --local-port 40081 -o /dev/null -d 'hello from sockscope' "$u/echo"
	cap_stop
}

# rec_offload: TCP over IPv4 and IPv6 with the veth's segmentation offloads
# on (as veth comes, and most hosts run): A's TSO/GSO hands the veth
# segments up to 64 KiB, so the capture holds TCP frames larger than the
# 1500-byte MTU, as captures made on ordinary hosts do. For replay's GSO
# path. 64 KiB up (port 46201, then 46202 over IPv6), 5000 bytes down.
rec_offload() {
	log "offload.pcap"
	lab_pair
	ip netns exec sstdA ethtool -K a0 tx on tso on gso on >/dev/null
	ip netns exec sstdB ethtool -K b0 tx on tso on gso on gro on >/dev/null
	cap_start sstdA a0 offload.pcap tcp portrange 46201-46202
	tcp_session sstdA sstdB 10.99.0.2 46201 41201 "$WORK/64k.dat" "$WORK/s5k.dat"
	tcp_session sstdA sstdB fd00:99::2 46202 41202 "$WORK/64k.dat" "$WORK/s5k.dat"
	cap_stop
}

ALL=(arp-icmp icmp6-nd tcp dns frag vxlan any raw-ip multi mixed http offload)
[ $# -gt 0 ] && ALL=("$@")
for c in "${ALL[@]}"; do
	case $c in
	arp-icmp) rec_arp_icmp ;;
	icmp6-nd) rec_icmp6_nd ;;
	tcp) rec_tcp ;;
	dns) rec_dns ;;
	frag) rec_frag ;;
	vxlan) rec_vxlan ;;
	any) rec_any ;;
	raw-ip) rec_raw_ip ;;
	multi) rec_multi ;;
	mixed) rec_mixed ;;
	http) rec_http ;;
	offload) rec_offload ;;
	*) log "unknown capture $c"; exit 2 ;;
	esac
	teardown
done
log "done"
