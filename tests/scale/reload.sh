#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# reload.sh: SIGHUP loads the zones again without stopping: a new serial is served, a
# broken file keeps the previous data, the old zones are freed, and no query is lost.
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99
. "$top_srcdir/tests/scale/common.sh"

need_python
need_tool dig "apt-get install dnsutils"

zone="$SYS_TMP/demo.test.zone"
who_zone "$zone" "v1" 1

# serial_is SERIAL: poll up to 20 s until the SOA serial over UDP is SERIAL.
serial_is() {
	wait_for 20 serial_now "$1"
}
serial_now() {
	[ "$(qdig "$PORT" demo.test SOA +short | awk '{ print $3 }')" = "$1" ]
}

# reloads_logged: how many reload lines the log holds so far.
reloads_logged() {
	grep -Ec 'reload: [0-9]+ zones?, .* failed' "$DUALNSD_LOG"
}

# wait_reloads N [SECONDS]: poll up to SECONDS (20) until N reloads are logged.
wait_reloads() {
	wait_for "${2:-20}" reloads_ge "$1"
}
reloads_ge() {
	[ "$(reloads_logged)" -ge "$1" ]
}

# Rate limiting off: the load below is about reloads, from one client.
start_dualnsd -v --workers 2 --rrl-rate 0 "$zone"
expect_eq "before any reload: serial 1" "$(qdig "$PORT" demo.test SOA +short | awk '{ print $3 }')" 1

# ---- a new serial: served after SIGHUP, by every worker (many source ports).
who_zone "$zone" "v2" 2
kill -HUP "$DUALNSD_PID"
serial_is 2
expect_eq "after SIGHUP with serial 2: serial 2 served" \
	"$(qdig "$PORT" demo.test SOA +short | awk '{ print $3 }')" 2
out=$(who --port "$PORT" --count 100)
expect_eq "after the reload: every worker answers the new data" "$(who_count "$out" v2)" 100
wait_reloads 1
expect_match "the reload is logged in one line: zones, added, removed, failed, time" \
	"$(grep 'reload:' "$DUALNSD_LOG" | grep -v debug | head -n 1)" \
	'reload: 1 zone, 0 added, 0 removed, 0 failed, in [0-9]+\.[0-9]{3} s'

# ---- a broken file: the zone keeps its previous version (tests/conformance.md,
# "Reload": the old zone is kept, as Knot and BIND do), never SERVFAIL.
who_zone "$zone" "v3" 3 'broken A not-an-address'
kill -HUP "$DUALNSD_PID"
wait_reloads 2 || bad "the reload of a broken file is logged"
expect_match "the broken reload is logged as 1 failed" "$(grep 'reload:' "$DUALNSD_LOG" | tail -n 2)" \
	'reload: 1 zone, 0 added, 0 removed, 1 failed'
expect_match "the log names the file and line of the error" "$(cat "$DUALNSD_LOG")" \
	"demo.test.zone.*(line )?7|7.*demo.test.zone"
out=$(qdig "$PORT" demo.test SOA)
expect_eq "after a broken reload: still NOERROR, serial 2 (the previous version)" \
	"$(dig_status "$out"):$(qdig "$PORT" demo.test SOA +short | awk '{ print $3 }')" NOERROR:2
expect_eq "after a broken reload: the previous data, over TCP too" \
	"$(qdig "$PORT" +tcp who.demo.test TXT +short)" '"v2"'

# ---- fixed again: the next reload serves it.
who_zone "$zone" "v4" 4
kill -HUP "$DUALNSD_PID"
serial_is 4
expect_eq "after the file is fixed: serial 4 served" \
	"$(qdig "$PORT" demo.test SOA +short | awk '{ print $3 }')" 4

# ---- a reload while no query comes: the UDP readers sleep in recvmmsg() and must look
# at the published db when their receive timeout ends, or the previous zones would stay
# in memory until the next datagram reached every socket.
freed_logged() {
	grep -c 'previous zones are freed' "$DUALNSD_LOG"
}
freed_ge() {
	[ "$(freed_logged)" -ge "$1" ]
}
wait_for 20 freed_ge "$(reloads_logged)"
n=$(reloads_logged)
kill -HUP "$DUALNSD_PID"
wait_reloads $((n + 1)) || bad "the idle reload is logged within 20 s"
# Without the timeout the previous zones would stay until a datagram came: none comes here.
wait_for 20 freed_ge $((n + 1))
expect_eq "a reload with no query coming: the previous zones are freed" \
	"$(freed_logged)" $((n + 1))

# ---- reloads under a steady query load lose nothing. The zone gets 150k extra names
# (300k records: over a second to load and to diff into the journal), longer than the
# query timeout, so a reload that held up the workers would show as lost queries.
bulk="$SYS_TMP/bulk.inc"
"$PYTHON3" -c "
with open('$bulk', 'w') as f:
    for i in range(150000):
        f.write('h%d A 10.%d.%d.%d\nh%d TXT \"filler\"\n' % (i, i >> 16 & 255, i >> 8 & 255, i & 255, i))"
who_zone "$zone" "v5" 5 "\$INCLUDE $bulk"
before=$(reloads_logged)
kill -HUP "$DUALNSD_PID"
# The deadlines for the big zone come from how long its first load took: a sanitizer
# build takes ten times as long, more when other tests share the CPUs, and a fixed
# deadline that fits one machine fails on another. 120 s bounds that first load.
wait_reloads $((before + 1)) 120 || bad "the big zone's reload is logged within 120 s"
serial_is 5 || bad "the big zone loads"
before=$(reloads_logged)
load_s=$(grep -Eo 'reload: [0-9]+ zones?, .* in [0-9]+' "$DUALNSD_LOG" | tail -n 1 | awk '{ print $NF }')
limit=$((20 + 4 * (${load_s:-0} + 1)))
note "the big zone loaded in ${load_s:-?}.x s: each reload under load gets ${limit} s"
progress="$SYS_TMP/who.progress"
done_file="$SYS_TMP/who.done"
# The loop runs until the three reloads are done (at most 4 limits and a minute): each
# SIGHUP waits for the previous reload's log line and for 200 more answers, so every
# reload starts and ends under load, and the last version is asked for before the loop ends.
who --port "$PORT" --seconds $((4 * limit + 60)) --parallel 16 --timeout 0.5 --progress "$progress" \
	--until "$done_file" >"$SYS_TMP/who.out" &
who_pid=$!
n=$before
for v in 6 7 8; do
	wait_for 20 who_answered_ge "$progress" $(( $(who_progress "$progress") + 200 )) ||
		bad "the query loop answers 200 queries before the reload to v$v"
	who_zone "$zone" "v$v" "$v" "\$INCLUDE $bulk"
	kill -HUP "$DUALNSD_PID"
	n=$((n + 1))
	wait_reloads "$n" "$limit" || bad "the reload to v$v is logged within $limit s"
done
wait_for 20 who_answered_ge "$progress" $(( $(who_progress "$progress") + 200 )) ||
	bad "the query loop answers 200 queries after the last reload"
touch "$done_file"
wait "$who_pid"
out=$(cat "$SYS_TMP/who.out")
note "$(printf '%s\n' "$out" | tr '\n' ' ')"
note "$(grep -E 'reload: [0-9]+ zones?, ' "$DUALNSD_LOG" | tail -n 3 | tr '\n' ' ')"
expect_ge "the reloads happened during the loop: several versions answered" \
	"$(printf '%s\n' "$out" | tail -n +2 | grep -c '^v')" 2
expect_ge "the last version was served before the loop ended" "$(who_count "$out" v8)" 1
expect_ge "queries sent during the reloads" "$(who_count "$out" sent)" 1000
expect_eq "SIGHUP under load: no query lost" "$(who_count "$out" lost)" 0

# ---- every replaced db was freed while running, once the workers had moved on.
expect_eq "each reload's previous zones are freed while running" \
	"$(freed_logged)" "$(reloads_logged)"
stop_dualnsd
