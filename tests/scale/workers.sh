#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# workers.sh: --workers N: N threads, each with its own UDP and TCP socket on the one port,
# all answering; one worker binds without SO_REUSEPORT.
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99
. "$top_srcdir/tests/scale/common.sh"

need_python
need_tool dig "apt-get install dnsutils"
need_tool ss "apt-get install iproute2"

zone="$SYS_TMP/demo.test.zone"
who_zone "$zone" "workers" 1

# Rate limiting off: the loads here are about the workers, from one client.
start_dualnsd --workers 2 --rrl-rate 0 "$zone"

# Both transports answer on the one port (RFC 1035 4.2: UDP and TCP on the same port).
out=$(qdig "$PORT" who.demo.test TXT)
expect_eq "--workers 2: UDP answered" "$(dig_status "$out"):$(dig_count "$out" ANSWER)" NOERROR:1
out=$(qdig "$PORT" +tcp who.demo.test TXT)
expect_eq "--workers 2: TCP answered" "$(dig_status "$out"):$(dig_count "$out" ANSWER)" NOERROR:1

# One UDP and one TCP socket per worker, all on the port, all of this one process.
expect_eq "--workers 2: ss shows 2 UDP sockets on the port, owned by dualnsd" \
	"$(sockets_of u "$PORT" "$DUALNSD_PID")" 2
expect_eq "--workers 2: ss shows 2 TCP listeners on the port, owned by dualnsd" \
	"$(sockets_of t "$PORT" "$DUALNSD_PID")" 2
expect_eq "--workers 2: no other process holds the port" \
	"$(ss -Htulnp "sport = :$PORT" | grep -o 'pid=[0-9]*' | sort -u | wc -l)" 1
# The main thread (signals, reload) and, per worker, its loop thread (TCP) and one UDP
# reader per listen address (here one).
expect_eq "--workers 2: five threads (main, 2 loops, 2 UDP readers)" \
	"$(ls "/proc/$DUALNSD_PID/task" | wc -l)" 5

# The kernel spreads clients over the workers' sockets by a hash of the 4-tuple: many
# source ports all get answers, whichever socket they land on.
out=$(who --port "$PORT" --count 200 --timeout 1)
expect_eq "--workers 2: 200 queries from 200 source ports all answered" \
	"$(who_count "$out" answered)" 200
# No socket overflowed on the way (the drop counter d of ss's skmem stays 0).
expect_eq "--workers 2: no UDP socket dropped a datagram" \
	"$(ss -Hnulpm "sport = :$PORT" | grep -o ',d[0-9]*)' | tr -d ',d)' | sort -u)" 0
stop_dualnsd

# --workers auto: one per online CPU.
start_dualnsd --workers auto "$zone"
cpus=$(getconf _NPROCESSORS_ONLN)
[ "$cpus" -gt 64 ] && cpus=64
expect_eq "--workers auto: one UDP socket per CPU ($cpus)" "$(sockets_of u "$PORT" "$DUALNSD_PID")" "$cpus"
expect_match "--workers auto: the serving line says how many" "$(cat "$DUALNSD_LOG")" \
	"\\(udp\\+tcp\\)$( [ "$cpus" -gt 1 ] && echo ", $cpus workers")"
stop_dualnsd

# One worker needs no SO_REUSEPORT, and must not set it: a socket with SO_REUSEPORT from
# another program cannot join it (socket(7): every socket of a group sets the option).
start_dualnsd "$zone"
expect_eq "--workers 1: one UDP and one TCP socket" \
	"$(sockets_of u "$PORT" "$DUALNSD_PID"):$(sockets_of t "$PORT" "$DUALNSD_PID")" 1:1
expect_eq "--workers 1: three threads (main, loop, UDP reader)" \
	"$(ls "/proc/$DUALNSD_PID/task" | wc -l)" 3
joined=$("$PYTHON3" -c "
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
try:
    s.bind(('127.0.0.1', $PORT)); print('joined')
except OSError as e:
    print('refused')")
expect_eq "--workers 1: another SO_REUSEPORT socket cannot share the port" "$joined" refused
stop_dualnsd

# The "serving" line means answering: dualnsd prints it once every worker thread runs.
# (It used to come before the threads started, so a script that went on at that line
# could find a reader thread, and its descriptors, still missing.) Each start is watched
# closely while two busy loops keep both CPUs taken, which makes a thread start late.
burn() { timeout 15 sh -c 'while :; do :; done'; }
burn & track_pid $!
burn & track_pid $!
early=""
for i in 1 2 3 4 5 6 7 8 9 10; do
	port=$(free_port) || fail "no free port"
	log="$SYS_TMP/serving.$i.log"
	nice -n 10 "$DUALNSD" -p "$port" -l 127.0.0.1 --workers 2 "$zone" 2>"$log" &
	pid=$!
	track_pid "$pid"
	seen=""
	for _ in $(seq 20000); do
		grep -q "serving" "$log" 2>/dev/null && { seen=$(ls "/proc/$pid/task" | wc -l); break; }
		kill -0 "$pid" 2>/dev/null || break
	done
	[ "$seen" = 5 ] || early="$early start $i: ${seen:-no serving line} threads;"
	kill -TERM "$pid"
	wait "$pid" 2>/dev/null
done
expect_eq "--workers 2: all five threads run when the serving line appears (10 starts under load)" \
	"$early" ""
