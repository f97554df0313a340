#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# contrib/demo/reuseport.sh: two dualnsd processes share one port with SO_REUSEPORT; the kernel picks one per client, and stopping one loses no query.
. "$(dirname "$0")/common.sh"
command -v dig >/dev/null 2>&1 || { echo "dig is needed (apt-get install dnsutils)" >&2; exit 1; }
need_dualnsd

# Each process serves its own copy of a small zone whose TXT record says who it is: the
# answer shows which process the kernel chose, with nothing more than a plain query.
make_zone() {
	cat >"$demo_tmp/$1.zone" <<EOZ
\$ORIGIN demo.test.
\$TTL 60
@    SOA ns1 hostmaster 1 3600 600 86400 60
@    NS  ns1
ns1  A   127.0.0.1
who  TXT "$2"
EOZ
}
make_zone a "process A"
make_zone b "process B"

# start NAME: dualnsd --reuseport on 127.0.0.1 $port with NAME's zone; sets pid_NAME.
start() {
	dualnsd_start "$port" "$demo_tmp/$1.log" --reuseport --rrl-rate 0 "$demo_tmp/$1.zone" ||
		{ cat "$demo_tmp/$1.log" >&2; exit 1; }
	eval "pid_$1=$DUALNSD_PID"
	sed 's/^/    /' "$demo_tmp/$1.log"
}

# asked_ge N: the loop below has had at least N answers (for wait_for).
asked_ge() {
	[ "$(wc -l <"$demo_tmp/during.out")" -ge "$1" ]
}

port=$(free_port)
say "Process A and process B, both with --reuseport, on 127.0.0.1 port $port"
note "Each serves its own zone file for demo.test, which differ in one record: the TXT" \
     "record of who.demo.test is \"process A\" in A's file and \"process B\" in B's. So the" \
     "answer to a plain 'dig who.demo.test TXT' names the process the kernel gave the query to."
run grep -H who "$demo_tmp/a.zone" "$demo_tmp/b.zone"
start a
start b
run ss -tulnp "sport = :$port"
note "Two processes (A is pid $pid_a, B is pid $pid_b), each with a UDP and a TCP" \
     "socket on the same address and port."

say "Without --reuseport a third process cannot join"
"$DUALNSD" -p "$port" -l 127.0.0.1 "$demo_tmp/a.zone" 2>&1 | sed 's/^/    /'

say "200 clients, each from a new source port: the kernel spreads them by a hash of the 4-tuple"
note "Each client is one 'dig who.demo.test TXT'; below, how many answers each process gave."
for _ in $(seq 200); do
	dig +short +tries=1 +time=1 @127.0.0.1 -p "$port" who.demo.test TXT 2>&1 | head -n 1
done | sort | uniq -c | sed 's/^/    /'
note "A client keeps its process as long as it keeps its source port (connected UDP, TCP)."

say "Zero-downtime upgrade: clients keep asking while process A stops (SIGTERM)"
( for _ in $(seq 200); do
	out=$(dig +short +tries=1 +time=1 @127.0.0.1 -p "$port" who.demo.test TXT 2>&1 | head -n 1)
	case $out in '"process'*) echo "$out" ;; *) echo "LOST: $out" ;; esac
done >"$demo_tmp/during.out" ) &
loop=$!
track_pid "$loop"
wait_for 20 asked_ge 50 || true
stop_pid "$pid_a" 10
echo "    process A exited with status $STOP_STATUS while the clients kept asking"
wait "$loop"
sort "$demo_tmp/during.out" | uniq -c | sed 's/^/    /'
lost=$(grep -c '^LOST' "$demo_tmp/during.out")
note "$lost of 200 queries lost: on SIGTERM each of A's UDP sockets leaves the port's" \
     "SO_REUSEPORT group (connect() to itself: the kernel skips connected sockets) and A" \
     "answers what it had already received before it closes."

say "Afterwards, every client reaches process B"
for _ in $(seq 50); do
	dig +short +tries=1 +time=1 @127.0.0.1 -p "$port" who.demo.test TXT 2>&1 | head -n 1
done | sort | uniq -c | sed 's/^/    /'
run ss -tulnp "sport = :$port"
