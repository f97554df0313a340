#!/bin/bash
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
DUALNSD=${DUALNSD:-$top/src/dualnsd}
PYTHON3=${PYTHON3:-python3}
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
	keep_dir=1
else
	dir=$(mktemp -d "${TMPDIR:-/tmp}/dualns-soak.XXXXXX") || die "mktemp"
	keep_dir=
fi
pids=()
cleanup() {
	local pid
	for pid in "${pids[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${pids[@]}"; do
		wait "$pid" 2>/dev/null
	done
	[ -n "$keep_dir" ] || rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# free_port: a port that binds for both UDP and TCP on 127.0.0.1 now (below the
# ephemeral range, so no client socket holds it).
free_port() {
	"$PYTHON3" - <<'EOF'
import random, socket, sys
for _ in range(200):
    port = random.randint(20000, 31999)
    socks = []
    try:
        for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
            s = socket.socket(socket.AF_INET, kind)
            socks.append(s)
            s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        for s in socks:
            s.close()
    print(port)
    sys.exit(0)
sys.exit("no free port found")
EOF
}

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

# start_server LOG: dualnsd on a free port; sets PORT and PID.
start_server() {
	local log=$1 attempt i
	for attempt in 1 2 3; do
		PORT=$(free_port) || die "no free port"
		"$DUALNSD" -p "$PORT" -l 127.0.0.1 "$dir/example.com.zone" "$NET" 2>"$log" &
		PID=$!
		pids+=("$PID")
		for i in $(seq 100); do
			grep -q "port $PORT (udp+tcp)" "$log" 2>/dev/null && return 0
			kill -0 "$PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -0 "$PID" 2>/dev/null && die "dualnsd did not start serving within 10 s"
		grep -qi 'in use' "$log" || { cat "$log"; die "dualnsd exited at startup"; }
	done
	die "no port after 3 tries"
}

net_serial() {
	dig -r @127.0.0.1 -p "$PORT" +tries=1 +time=2 +short example.net SOA 2>/dev/null | awk '{ print $3 }'
}

# ---- does this dualnsd reload on SIGHUP? A probe instance answers that.
start_server "$dir/probe.log"
probe=$PID
kill -HUP "$probe"
sleep 1
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
kill -TERM "$probe" 2>/dev/null
wait "$probe" 2>/dev/null

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
pids+=("$storm")

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
	pids+=("$udp" "$tcp")
	wait "$udp" "$tcp"
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
kill -TERM "$storm" 2>/dev/null
wait "$storm" 2>/dev/null
if kill -0 "$PID" 2>/dev/null; then
	kill -TERM "$PID"
	for i in $(seq 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
	wait "$PID"
	status=$?
	[ "$status" -eq 0 ] || fail_reasons+=("dualnsd exited with status $status on SIGTERM")
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
