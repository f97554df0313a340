#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# contrib/soak/run.sh: a soak test of dualnsd: steady load, junk, and reloads for a while,
# then PASS only if nothing crashed, loss stayed under 0.1 % and RSS and fds stayed flat.
#
#   contrib/soak/run.sh [SECONDS]        (default 600)
#
# On 127.0.0.1, on a port it binds first: dnsperf at a fixed rate over UDP and over TCP,
# tests/hardening/hostile.py's storm (malformed datagrams, silent and stalled TCP clients,
# bounded), and every 10 s a SIGHUP after swapping example.net's file between a good
# version (serial + 1) and a broken one. Every 10 s it samples VmRSS, open descriptors
# (/proc/PID/fd), the dnsperf loss and example.net's serial.
#
# SIGHUP: a dualnsd without reload dies of it (the default action) or ignores it. A probe
# instance is sent one first; reloads are only done when it logs a reload line and lives.
#
# Environment: DUALNSD (default: src/dualnsd of this tree), UDP_QPS (2000), TCP_QPS (300),
# SOAK_DIR (a temp folder; kept when set), PYTHON3.
# Needs dnsperf, dig and python3 (apt-get install dnsperf dnsutils python3).
set -u

SECONDS_TOTAL=${1:-600}
INTERVAL=10
UDP_QPS=${UDP_QPS:-2000}
TCP_QPS=${TCP_QPS:-300}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/common.sh" || exit 2
HOSTILE=$top/tests/hardening/hostile.py

say() { printf 'soak: %s\n' "$*"; }
die() { say "$*"; exit 2; }

case $SECONDS_TOTAL in '' | *[!0-9]*) die "usage: $0 [SECONDS]" ;; esac
[ "$SECONDS_TOTAL" -ge "$INTERVAL" ] || die "run at least $INTERVAL seconds"
for tool in dnsperf dig "$PYTHON3"; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool not found (apt-get install dnsperf dnsutils python3)"
done
[ -x "$DUALNSD" ] || die "$DUALNSD is not built (make, or set DUALNSD)"

if [ -n "${SOAK_DIR:-}" ]; then
	mkdir -p "$SOAK_DIR" || die "cannot make $SOAK_DIR"
	dir=$SOAK_DIR
else
	new_tmpdir dir "${TMPDIR:-/tmp}" dualns-soak || die "mktemp"
fi

# The zones: example.com as shipped, example.net in a good and a broken version.
cp "$top/zones/example.com.zone" "$top/zones/example.com.big.inc" "$dir/" || die "copy zones"
NET=$dir/example.net.zone
serial=2026112501
good_net() {
	sed "s/2026112501/$1/" "$top/zones/example.net.zone" >"$NET.tmp" && mv "$NET.tmp" "$NET"
}
broken_net() {
	{ sed "s/2026112501/$1/" "$top/zones/example.net.zone"; echo "bad IN A 300.1.2.3"; } >"$NET.tmp" &&
		mv "$NET.tmp" "$NET"
}
good_net "$serial"

# start_server LOG: dualnsd on a free port (dualnsd_start_free); sets PORT and PID.
start_server() {
	local rc=0
	# Rate limiting off: the load comes from one client.
	dualnsd_start_free "$dir" --rrl-rate 0 "$dir/example.com.zone" "$NET" || rc=$?
	PID=$DUALNSD_PID
	ln -sf "$DUALNSD_LOG" "$1"
	[ "$rc" -eq 0 ] && return 0
	[ "$rc" -eq 2 ] && die "dualnsd did not start serving within ${DUALNSD_WAIT:-20} s"
	cat "$DUALNSD_LOG"
	die "dualnsd exited at startup"
}

net_serial() {
	qdig "$PORT" +short example.net SOA 2>/dev/null | awk '{ print $3 }'
}

# probe_done: the probe instance logged a reload line, or died of the signal.
probe_done() {
	grep -qi 'reload' "$dir/probe.log" || ! kill -0 "$probe" 2>/dev/null
}

# ---- does this dualnsd reload on SIGHUP? A probe instance answers that.
start_server "$dir/probe.log"
probe=$PID
kill -HUP "$probe"
# A reload line or the probe's death comes within the deadline; an ignored SIGHUP shows
# only as neither, after it.
wait_for 10 probe_done 2>/dev/null || true
if kill -0 "$probe" 2>/dev/null && grep -qi 'reload' "$dir/probe.log"; then
	reload=yes
	say "SIGHUP: the probe instance reloaded (log: $(grep -i reload "$dir/probe.log" | head -n 1))"
elif kill -0 "$probe" 2>/dev/null; then
	reload=no
	say "SIGHUP: the probe instance ignored it (no reload line in its log): reloads skipped"
else
	reload=no
	say "SIGHUP: the probe instance died of it (no reload support yet): reloads skipped"
fi
stop_pid "$probe"

# ---- the server under test.
LOG=$dir/dualnsd.log
start_server "$LOG"
say "dualnsd pid $PID on 127.0.0.1 port $PORT; $SECONDS_TOTAL s; UDP $UDP_QPS q/s, TCP $TCP_QPS q/s; files in $dir"

cat >"$dir/queries" <<'EOF'
www.example.com A
www.example.com AAAA
mail.example.com A
example.com MX
example.com NS
nothere.example.com A
www.example.com TXT
alias.example.com A
chain1.example.com A
anything.wild.example.com A
sub.example.com A
big.example.com TXT
www.example.net A
www.example.net AAAA
example.net SOA
nothere.example.net A
example.org A
EOF

# The storm outlasts the load; it is stopped (SIGTERM, it prints its summary) after it.
"$PYTHON3" "$HOSTILE" --port "$PORT" storm --seconds $((SECONDS_TOTAL + 120)) --rate 200 --idle 20 --stall 3 \
	>"$dir/storm.out" 2>&1 &
storm=$!
track_pid "$storm"

fail_reasons=()
rss=()
fd=()
sent_total=0
lost_total=0
reloads=0
reload_lines=0
good_serial=$serial

# dnsperf_field FILE WHAT: the number after "Queries WHAT:".
dnsperf_field() {
	sed -n "s/^ *Queries $2: *\([0-9]*\).*/\1/p" "$1" | head -n 1
}

printf '%6s %9s %7s %9s %7s %9s %5s %-14s\n' time udp-sent lost tcp-sent lost rss-kB fds reload
elapsed=0
round=0
while [ "$elapsed" -lt "$SECONDS_TOTAL" ]; do
	round=$((round + 1))
	# A reload first, so its effect is checked at the end of this interval.
	what=-
	if [ "$reload" = yes ]; then
		lines_before=$(grep -ci 'reload' "$LOG")
		if [ $((round % 2)) -eq 1 ]; then
			broken_net $((good_serial + 1))
			what=broken
		else
			good_serial=$((good_serial + 1))
			good_net "$good_serial"
			what=good
		fi
		kill -HUP "$PID" 2>/dev/null
		reloads=$((reloads + 1))
	fi
	dnsperf -s 127.0.0.1 -p "$PORT" -d "$dir/queries" -l "$INTERVAL" -Q "$UDP_QPS" -c 4 -t 2 \
		>"$dir/udp.$round" 2>&1 &
	udp=$!
	dnsperf -m tcp -s 127.0.0.1 -p "$PORT" -d "$dir/queries" -l "$INTERVAL" -Q "$TCP_QPS" -c 4 -t 2 \
		>"$dir/tcp.$round" 2>&1 &
	tcp=$!
	track_pid "$udp"
	track_pid "$tcp"
	wait "$udp" "$tcp"
	untrack_pid "$udp"
	untrack_pid "$tcp"
	elapsed=$((elapsed + INTERVAL))
	if ! kill -0 "$PID" 2>/dev/null; then
		fail_reasons+=("dualnsd died at about ${elapsed} s")
		say "dualnsd is gone; last log lines:"
		tail -n 20 "$LOG"
		break
	fi
	us=$(dnsperf_field "$dir/udp.$round" sent)
	ul=$(dnsperf_field "$dir/udp.$round" lost)
	ts=$(dnsperf_field "$dir/tcp.$round" sent)
	tl=$(dnsperf_field "$dir/tcp.$round" lost)
	if [ -z "$us" ] || [ -z "$ts" ]; then
		fail_reasons+=("dnsperf gave no figures at ${elapsed} s (see $dir/udp.$round, $dir/tcp.$round)")
		us=${us:-0} ul=${ul:-0} ts=${ts:-0} tl=${tl:-0}
	fi
	sent_total=$((sent_total + us + ts))
	lost_total=$((lost_total + ul + tl))
	r=$(awk '/^VmRSS:/ { print $2 }' "/proc/$PID/status")
	f=$(ls "/proc/$PID/fd" | wc -l)
	rss+=("$r")
	fd+=("$f")
	state=$what
	if [ "$reload" = yes ]; then
		lines_after=$(grep -ci 'reload' "$LOG")
		[ "$lines_after" -gt "$lines_before" ] && reload_lines=$((reload_lines + 1))
		# The broken version must leave the last good one served (same serial).
		s=$(net_serial)
		if [ "$s" = "$good_serial" ]; then
			state="$what:$s"
		else
			state="$what:${s:-none}!"
			fail_reasons+=("after the $what reload at $((elapsed - INTERVAL)) s example.net serial is ${s:-none}, want $good_serial")
		fi
	fi
	printf '%6s %9s %7s %9s %7s %9s %5s %-14s\n' "${elapsed}s" "$us" "$ul" "$ts" "$tl" "$r" "$f" "$state"
done

# ---- the verdict.
stop_pid "$storm"
if kill -0 "$PID" 2>/dev/null; then
	stop_pid "$PID"
	[ "$STOP_STATUS" = 0 ] || fail_reasons+=("dualnsd exited with status $STOP_STATUS on SIGTERM")
fi
say "$(tail -n 1 "$dir/storm.out" 2>/dev/null)"
loss=$(awk -v l="$lost_total" -v s="$sent_total" 'BEGIN { printf "%.4f", s ? 100 * l / s : 100 }')
say "queries sent $sent_total, lost $lost_total ($loss %)"
awk -v l="$lost_total" -v s="$sent_total" 'BEGIN { exit !(s > 0 && l * 1000 < s) }' ||
	fail_reasons+=("loss $loss % is not under 0.1 %")
# Flat: from the first sample (after warm-up) to the last, RSS grows by at most 2 MB
# plus 5 %, and the descriptors by at most the storm's own connections in flight.
n=${#rss[@]}
if [ "$n" -ge 2 ]; then
	first=${rss[0]} last=${rss[$((n - 1))]}
	max=0
	for r in "${rss[@]}"; do [ "$r" -gt "$max" ] && max=$r; done
	say "VmRSS: first $first kB, last $last kB, max $max kB; fds: ${fd[*]}"
	[ "$last" -le $((first + 2048 + first / 20)) ] ||
		fail_reasons+=("VmRSS grew from $first kB to $last kB")
	fmin=${fd[0]} fmax=${fd[0]}
	for f in "${fd[@]}"; do
		[ "$f" -lt "$fmin" ] && fmin=$f
		[ "$f" -gt "$fmax" ] && fmax=$f
	done
	[ "${fd[$((n - 1))]}" -le $((fd[0] + 10)) ] && [ $((fmax - fmin)) -le 30 ] ||
		fail_reasons+=("open descriptors not flat: ${fd[*]}")
fi
if [ "$reload" = yes ]; then
	say "reloads: $reloads SIGHUPs, $reload_lines with a reload line in the log"
	[ "$reload_lines" -eq "$reloads" ] || fail_reasons+=("only $reload_lines of $reloads SIGHUPs logged a reload")
else
	say "reloads: none (this dualnsd has no SIGHUP reload)"
fi
if [ "${#fail_reasons[@]}" -eq 0 ]; then
	say "PASS"
	exit 0
fi
for r in "${fail_reasons[@]}"; do
	say "FAIL: $r"
done
exit 1
