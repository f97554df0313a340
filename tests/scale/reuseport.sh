#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# reuseport.sh: a second server on a busy port fails with a clear message unless both run
# with --reuseport; then both answer, and stopping one loses no query (the upgrade path).
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99
. "$top_srcdir/tests/scale/common.sh"

need_python
need_tool dig "apt-get install dnsutils"
need_tool ss "apt-get install iproute2"

zone_a="$SYS_TMP/a.zone"
zone_b="$SYS_TMP/b.zone"
who_zone "$zone_a" "process A" 1
who_zone "$zone_b" "process B" 1
log_b="$SYS_TMP/second.log"

# ---- without --reuseport a busy port is an error that names the address and port and
# says how to share it.
start_dualnsd "$zone_a"
a_pid=$DUALNSD_PID
start_second "$PORT" "$log_b" "$zone_b" && bad "a second server without --reuseport fails" "it serves"
expect_ne "a second server without --reuseport exits non-zero" "${SECOND_STATUS:-0}" 0
msg=$(grep -v '^dualnsd: serving' "$log_b")
expect_eq "its error is one line" "$(printf '%s\n' "$msg" | grep -c .)" 1
expect_match "the line names the address and port" "$msg" "127\\.0\\.0\\.1 port $PORT"
expect_match "the line says the address is in use" "$msg" "[Ii]n use"
expect_match "the line suggests --reuseport" "$msg" "--reuseport"
# The first one did not choose to share: --reuseport on the second alone cannot force it.
SECOND_STATUS=
start_second "$PORT" "$log_b" --reuseport "$zone_b" &&
	bad "--reuseport on the second server only: fails too" "it serves"
expect_ne "--reuseport on the second server only: exits non-zero" "${SECOND_STATUS:-0}" 0
expect_match "--reuseport on the second server only: says the first one does not share" \
	"$(cat "$log_b")" "without --reuseport"
out=$(qdig "$PORT" who.demo.test TXT +short)
expect_eq "the first server still answers" "$out" '"process A"'
stop_dualnsd

# ---- several workers share the port among themselves (SO_REUSEPORT) but, without
# --reuseport, not with another server.
start_dualnsd --workers 2 "$zone_a"
SECOND_STATUS=
start_second "$PORT" "$log_b" --workers 2 "$zone_b" &&
	bad "a second --workers 2 server without --reuseport fails" "it serves"
expect_ne "a second --workers 2 server without --reuseport exits non-zero" "${SECOND_STATUS:-0}" 0
expect_match "... with the message about the port in use" "$(cat "$log_b")" \
	"127\\.0\\.0\\.1 port $PORT.*[Ii]n use.*--reuseport"
expect_eq "... and left no socket behind" "$(sockets_of u "$PORT" "$SECOND_PID")" 0
stop_dualnsd

# ---- both with --reuseport: both bind, the kernel spreads clients by source port. Rate
# limiting off: the loads below come from one client and are about losing nothing.
start_dualnsd --reuseport --rrl-rate 0 "$zone_a"
a_pid=$DUALNSD_PID
start_second "$PORT" "$log_b" --reuseport --rrl-rate 0 "$zone_b" ||
	fail "a second server with --reuseport on both starts: $(cat "$log_b")"
b_pid=$SECOND_PID
expect_eq "both processes hold a UDP and a TCP socket on the port" \
	"$(sockets_of u "$PORT" "$a_pid")$(sockets_of t "$PORT" "$a_pid"):$(sockets_of u "$PORT" "$b_pid")$(sockets_of t "$PORT" "$b_pid")" \
	11:11
out=$(who --port "$PORT" --count 300)
expect_eq "300 queries from 300 source ports: all answered" "$(who_count "$out" answered)" 300
expect_ge "process A answered some" "$(who_count "$out" "process A")" 1
expect_ge "process B answered some" "$(who_count "$out" "process B")" 1
note "$(printf '%s\n' "$out" | tr '\n' ' ')"

# ---- the upgrade: stop A while clients keep asking; B takes every new query and A answers
# what it had already received, so nothing is lost.
# The loop runs until told to stop (at most 60 s); A is stopped once it has answered 250
# queries, and the loop goes on for 250 more, whatever the machine's speed.
progress="$SYS_TMP/who.progress"
done_file="$SYS_TMP/who.done"
who --port "$PORT" --seconds 60 --parallel 32 --timeout 3 --progress "$progress" \
	--until "$done_file" >"$SYS_TMP/who.out" &
who_pid=$!
wait_for 30 who_answered_ge "$progress" 250 || bad "the query loop answered 250 queries before A stopped"
expect_stops "$a_pid" "process A (stopped during the query loop)"
stopped_at=$(who_progress "$progress")
wait_for 30 who_answered_ge "$progress" $((stopped_at + 250)) ||
	bad "the query loop answered 250 more queries after A stopped"
touch "$done_file"
wait "$who_pid"
out=$(cat "$SYS_TMP/who.out")
note "$(printf '%s\n' "$out" | tr '\n' ' ')"
expect_ge "queries sent while A stopped" "$(who_count "$out" sent)" 500
expect_eq "stopping A under load loses no query" "$(who_count "$out" lost)" 0
out=$(who --port "$PORT" --count 100)
expect_eq "after A stopped: B answers every query" "$(who_count "$out" "process B")" 100
out=$(qdig "$PORT" +tcp who.demo.test TXT +short)
expect_eq "after A stopped: B answers over TCP" "$out" '"process B"'

# ---- the same with queries already queued in the stopping server's sockets: freeze a new
# A (SIGSTOP) so what the kernel hashes to it waits in its socket, then stop it. It must
# answer that queue before it closes (closing a socket discards what it holds), while new
# queries go to B.
start_second "$PORT" "$SYS_TMP/third.log" --reuseport --rrl-rate 0 "$zone_a" ||
	fail "a new process A with --reuseport starts: $(cat "$SYS_TMP/third.log")"
a_pid=$SECOND_PID
kill -STOP "$a_pid"
who --port "$PORT" --count 150 --parallel 150 --timeout 5 >"$SYS_TMP/who.out" &
who_pid=$!
# a_queue: the unread bytes (Recv-Q) in the frozen A's UDP socket on the port. Only A's:
# B may hold a few datagrams for a moment too when the machine is busy.
a_queue() {
	ss -Hnulp "sport = :$PORT" |
		awk -v pid="pid=$a_pid," 'index($0, pid) { q += $2 } END { print q + 0 }'
}
a_has_queue() {
	[ "$(a_queue)" -gt 0 ]
}
wait_for 20 a_has_queue
queued=$(a_queue)
kill -TERM "$a_pid"
kill -CONT "$a_pid"
wait "$who_pid"
out=$(cat "$SYS_TMP/who.out")
note "$(printf '%s\n' "$out" | tr '\n' ' ')"
expect_ge "a frozen A had queries waiting in its UDP socket" "$queued" 1
expect_ge "A answered the queries queued for it after SIGTERM" "$(who_count "$out" "process A")" 1
expect_eq "stopping A with a full queue loses no query" "$(who_count "$out" lost)" 0
expect_stops "$a_pid" "the frozen process A"
expect_stops "$b_pid" "process B"
