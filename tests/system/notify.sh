#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# notify.sh: NOTIFY out (RFC 1996): what is sent at start and on a reload that changes a
# serial, to IPv4 and IPv6 targets; retries until answered, exactly --notify-tries sends
# and one line for a silent target; nothing for an unchanged serial; the counters; and
# queries answered at once while NOTIFYs wait for answers.
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99

need_python
need_tool dig "apt-get install dnsutils"
# The listener parses with dnspython, which the interpreter the tests use may lack.
NOTIFY_PY=
for py in "$PYTHON3" /usr/bin/python3; do
	if "$py" -c 'import dns.message' 2>/dev/null; then
		NOTIFY_PY=$py
		break
	fi
done
[ -n "$NOTIFY_PY" ] || skip "dnspython not found (apt-get install python3-dnspython)"
"$NOTIFY_PY" -c 'import socket; socket.socket(socket.AF_INET6, socket.SOCK_DGRAM).bind(("::1", 0))' \
	2>/dev/null || skip "no IPv6 loopback (::1)"

# listener NAME ADDRESS ARGS...: tests/system/notifylisten.py on ADDRESS and a free port
# (LISTEN_PORT), recording into $SYS_TMP/NAME.log.
listener() {
	local name=$1 addr=$2 out=$SYS_TMP/$1.out
	shift 2
	LISTEN_PORT=$(free_port) || fail "no free port"
	: >"$SYS_TMP/$name.log"
	"$NOTIFY_PY" "$top_srcdir/tests/system/notifylisten.py" --address "$addr" \
		--port "$LISTEN_PORT" --log "$SYS_TMP/$name.log" "$@" >"$out" 2>&1 &
	track_pid $!
	wait_for 10 grep -q listening "$out" || fail "listener $name: $(cat "$out")"
}

# received NAME: how many NOTIFYs NAME got.
received() {
	grep -c 'opcode=NOTIFY' "$SYS_TMP/$1.log" || true
}

# lines PATTERN: how many lines of dualnsd's log match.
lines() {
	grep -Ec -- "$1" "$DUALNSD_LOG" || true
}

# more_than N CMD...: CMD prints a number above N (for wait_for, which runs it each time).
more_than() {
	local n=$1
	shift
	[ "$("$@")" -gt "$n" ]
}

stat_of() {
	qdig "$PORT" +short CH TXT stats.dualns | tr ' ' '\n' | sed -n "s/^\"$1=\\([0-9]*\\)\"$/\\1/p"
}

ZONE_DIR=$(sys_tmpdir)
sys_copy_zone "$top_srcdir/zones/example.com.zone" "$ZONE_DIR"
ZONE=$ZONE_DIR/example.com.zone
OLD=2026112501
NEW=2026112502
grep -q "$OLD ; serial" "$ZONE" || fail "example.com.zone's serial is not $OLD"

# --- At start: A answers from its 2nd NOTIFY on, B (IPv6) at once, C never.
listener a 127.0.0.1 --answer-from 2
A=$LISTEN_PORT
listener b ::1 --answer-from 1
B=$LISTEN_PORT
listener c 127.0.0.1 --answer-from 0
C=$LISTEN_PORT
start_dualnsd --notify-retry 1 --notify-tries 3 --also-notify "127.0.0.1@$A" \
	--also-notify "::1@$B" --also-notify "127.0.0.1@$C" "$ZONE"
wait_for 30 grep -q "to 127.0.0.1:$C: no answer after 3 tries" "$DUALNSD_LOG"
first=$(head -n 1 "$SYS_TMP/a.log")
expect_match "the NOTIFY: opcode NOTIFY, AA, QR clear, the question origin/SOA/IN (RFC 1996 section 3.3)" \
	"$first" 'opcode=NOTIFY qr=0 aa=1 q=example\.com\./SOA/IN'
expect_match "the NOTIFY carries the zone's SOA in the answer section (RFC 1996 section 3.7)" \
	"$first" "an=example\\.com\\./SOA serial=$OLD "
expect_eq "unanswered, the NOTIFY is sent again, and not after the answer (RFC 1996 section 3.6)" \
	"$(received a)" 2
expect_eq "retries carry the same ID" "$(sed -n 's/.* id=\([0-9]*\) .*/\1/p' "$SYS_TMP/a.log" | sort -u | wc -l)" 1
expect_eq "one log line for the acknowledged target, with serial and tries" \
	"$(lines "notify: example\\.com\\. serial $OLD to 127\\.0\\.0\\.1:$A: acknowledged after 2 tries")" 1
expect_eq "the IPv6 target gets one NOTIFY, answered at once" "$(received b)" 1
expect_match "the IPv6 NOTIFY comes from ::1" "$(cat "$SYS_TMP/b.log")" 'from=::1:[0-9]+'
expect_eq "the IPv6 target's acknowledgement is logged" \
	"$(lines "serial $OLD to \\[::1\\]:$B: acknowledged after 1 try$")" 1
expect_eq "a silent target gets exactly --notify-tries NOTIFYs (RFC 1996 section 3.6)" \
	"$(received c)" 3
expect_eq "a silent target: one log line, not one per retry" "$(lines "to 127\\.0\\.0\\.1:$C:")" 1
expect_eq "stats.dualns. counts NOTIFY datagrams sent" "$(stat_of notify-sent)" 6
expect_eq "stats.dualns. counts acknowledged NOTIFYs" "$(stat_of notify-acked)" 2
expect_eq "stats.dualns. counts failed NOTIFYs" "$(stat_of notify-failed)" 1

# --- A reload with the serial unchanged announces nothing (RFC 1996 section 4.1).
reloads=$(lines 'reload: ')
kill -HUP "$DUALNSD_PID"
wait_for 20 more_than "$reloads" lines 'reload: '
expect_eq "an unchanged serial: no NOTIFY sent on reload" "$(stat_of notify-sent)" 6

# --- A reload with a new serial announces it to every target, with the new SOA.
sed -i "s/$OLD ; serial/$NEW ; serial/" "$ZONE"
kill -HUP "$DUALNSD_PID"
wait_for 20 grep -q "serial $NEW to 127.0.0.1:$A: acknowledged" "$DUALNSD_LOG"
wait_for 20 grep -q "serial $NEW to \\[::1\\]:$B: acknowledged" "$DUALNSD_LOG"
expect_match "a changed serial: a NOTIFY with the new SOA (RFC 1996 section 3.7)" \
	"$(tail -n 1 "$SYS_TMP/a.log")" "n=3 .*an=example\\.com\\./SOA serial=$NEW "
expect_match "the IPv6 target too" "$(tail -n 1 "$SYS_TMP/b.log")" "n=2 .*serial=$NEW "
# C is still being retried: stopping must not wait for it.
stop_dualnsd

# --- While a NOTIFY waits for its answer (30 s between tries), queries are answered at
# once: the sender runs in the main loop, the answers in the workers.
before=$(received c)
start_dualnsd --notify-retry 30 --notify-tries 2 --also-notify "127.0.0.1@$C" "$ZONE"
wait_for 20 more_than "$before" received c
slowest=0
answered=0
for i in $(seq 1 20); do
	out=$(qdig "$PORT" www.example.com A)
	[ "$(dig_status "$out")" = NOERROR ] && answered=$((answered + 1))
	ms=$(printf '%s\n' "$out" | sed -n 's/^;; Query time: \([0-9]*\) msec.*/\1/p')
	[ "${ms:-9999}" -gt "$slowest" ] && slowest=${ms:-9999}
done
expect_eq "queries are answered while a NOTIFY is pending" "$answered" 20
expect_le "no query waits for the NOTIFY (slowest answer, ms)" "$slowest" 500
expect_eq "the NOTIFY is still pending: sent once, no outcome" \
	"$(stat_of notify-sent):$(stat_of notify-acked):$(stat_of notify-failed)" 1:0:0
stop_dualnsd

# --- A zone a reload removes cancels its pending NOTIFYs: one line says so, and no
# "no answer" line follows, while another zone's NOTIFY, sent at the same time, runs out.
DIR=$(sys_tmpdir)
sys_copy_zone "$top_srcdir/zones/example.com.zone" "$DIR"
sys_copy_zone "$top_srcdir/zones/example.net.zone" "$DIR"
before=$(received c)
start_dualnsd --notify-retry 1 --notify-tries 3 --also-notify "127.0.0.1@$C" "$DIR"
wait_for 20 more_than "$((before + 1))" received c
rm "$DIR/example.com.zone"
kill -HUP "$DUALNSD_PID"
wait_for 20 grep -q "example\.net\. serial .* to 127\.0\.0\.1:$C: no answer after 3 tries" "$DUALNSD_LOG"
expect_eq "a removed zone's pending NOTIFY is cancelled, with one line" \
	"$(lines "notify: example\\.com\\. serial .* to 127\\.0\\.0\\.1:$C: cancelled, the zone was removed")" 1
expect_eq "a cancelled NOTIFY is not retried to the end" \
	"$(lines "example\\.com\\. serial .*: no answer")" 0
expect_eq "the other zone's NOTIFY ran its course" "$(stat_of notify-failed)" 1
stop_dualnsd
