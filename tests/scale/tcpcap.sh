#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# tcpcap.sh: the TCP connection cap per worker evicts the longest-idle connection, the idle
# timeout shrinks as the table fills, and a stalled message is cut off at 500 ms (RFC 7766).
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99
. "$top_srcdir/tests/scale/common.sh"

need_python
zone="$SYS_TMP/demo.test.zone"
who_zone "$zone" "tcp" 1
conns() {
	"$PYTHON3" "$top_srcdir/tests/scale/tcpconns.py" "$@"
}

# ---- at the cap a new client is served and the longest-idle connection makes room
# (RFC 7766 section 6.2.3: the server may close idle connections; refusing the new one
# would let idle clients lock everyone out).
start_dualnsd --tcp-max 3 --tcp-idle 60 "$zone"
out=$(conns "$PORT" evict)
note "$(printf '%s\n' "$out" | tr '\n' ' ')"
expect_eq "--tcp-max 3: the three first connections are answered" \
	"$(kv c1_first "$(echo $out)")$(kv c2_first "$(echo $out)")$(kv c3_first "$(echo $out)")" \
	answeredansweredanswered
expect_eq "--tcp-max 3: a 4th client is served" "$(kv new "$(echo $out)")" answered
expect_eq "--tcp-max 3: the longest-idle connection was closed for it" "$(kv c1 "$(echo $out)")" closed
expect_eq "--tcp-max 3: the others stay open" \
	"$(kv c2 "$(echo $out)"):$(kv c3 "$(echo $out)")" open:open
stop_dualnsd

# ---- with several workers each has its own table (the cap is per worker), and each
# serves TCP.
start_dualnsd --workers 2 --tcp-max 1 "$zone"
n=0
for i in 1 2 3 4 5 6; do
	[ "$(qdig "$PORT" +tcp who.demo.test TXT +short)" = '"tcp"' ] && n=$((n + 1))
done
expect_eq "--workers 2 --tcp-max 1: every client is served" "$n" 6
stop_dualnsd

# ---- over half full, the idle timeout shrinks linearly to 1 s at the cap: a client is
# told so (edns-tcp-keepalive, RFC 7828, 100 ms units), and when a new client comes to a
# full table, every connection idle for longer than that is closed, not only the one
# eviction would close; the active one stays.
start_dualnsd --tcp-max 4 --tcp-idle 10 "$zone"
out=$(conns "$PORT" shrink)
note "$(printf '%s\n' "$out" | tr '\n' ' ')"
expect_eq "alone: the keepalive advertised is --tcp-idle (10 s = 100)" "$(kv keepalive1 "$(echo $out)")" 100
expect_eq "table full (4 of 4): the keepalive advertised is 1 s (10)" "$(kv keepalive4 "$(echo $out)")" 10
expect_eq "a new client at a full table is served" "$(kv new "$(echo $out)")" answered
expect_eq "the three connections idle for 2.5 s (over the 1 s a full table allows) were closed" \
	"$(kv c1 "$(echo $out)")$(kv c2 "$(echo $out)")$(kv c3 "$(echo $out)")" closedclosedclosed
expect_eq "the connection that kept asking stays open" "$(kv c4 "$(echo $out)")" open

# ---- a message that starts and stalls is cut off after 500 ms (slowloris), whatever the
# idle timeout.
out=$(conns "$PORT" stall)
t=$(kv closed_after "$out")
expect_match "a stalled message: the connection is closed" "$out" '^closed_after='
# Not before 0.4 s; the upper bound leaves a loaded machine room and stays far below
# the 10 s idle timeout, which would close it otherwise.
expect_eq "a stalled message: closed after about 0.5 s (0.4..3.0), not at the idle timeout" \
	"$(awk -v t="${t:-9}" 'BEGIN { print (t >= 0.4 && t <= 3.0) ? "yes" : t }')" yes
stop_dualnsd
